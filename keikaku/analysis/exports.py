"""Excel workbook of one analysis run (XlsxWriter, formula and URL conversion off), and the
run's RESULT.json in the format of ``keikaku analyze-opinions``.

Both show the staff decisions as they stand: the Excel 「意見」 sheet gives the engine's
candidates *and* the effective measure (staff decision first), and groups after merges and
splits. No personal data: the texts are the masked ones stored with the run.
"""

from __future__ import annotations

import io
import json
from typing import Any

import xlsxwriter
from django.utils.translation import gettext as _

from keikaku.analysis import selectors
from keikaku.analysis.domain.serialize import FORMAT_NAME, FORMAT_VERSION
from keikaku.analysis.models import AnalysisRun, GroupDecision
from keikaku.analysis.presentation import cluster_name

WORKBOOK_OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def run_filename(run: AnalysisRun, ext: str) -> str:
    return f"analysis-{run.pk}.{ext}"


def _sheet(book: Any, name: str, header: list[str], rows: list[list[Any]], bold: Any) -> None:
    ws = book.add_worksheet(name)
    ws.write_row(0, 0, header, bold)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue  # a blank cell, not an empty string
            if isinstance(value, bool):
                ws.write_string(r, c, "○" if value else "")
            elif isinstance(value, int | float):
                ws.write_number(r, c, value)
            else:
                ws.write_string(r, c, str(value))
    ws.freeze_panes(1, 0)
    if rows:
        ws.autofilter(0, 0, len(rows), len(header) - 1)


def run_workbook_bytes(run: AnalysisRun) -> bytes:
    result = run.result or {}
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    bold = book.add_format({"bold": True})
    titles = {m.code: m.title for m in selectors.edition_measures(run)}
    groups = selectors.effective_groups(run)
    dup_of = {m: g.id for g in groups[GroupDecision.GroupKind.DUPLICATE] for m in g.members}
    camp_of = {m: g.id for g in groups[GroupDecision.GroupKind.CAMPAIGN] for m in g.members}
    counts = run.counts or {}
    params = (run.config or {}).get("parameters", {})
    lexicon = (run.config or {}).get("lexicon", {})

    summary: list[list[Any]] = [
        [_("名称"), run.name],
        [_("分析する意見"), run.source_label],
        [_("照合した基本計画"), str(run.edition)],
        [_("状態"), run.get_status_display()],
        [_("作成日時"), run.created_at.astimezone().strftime("%Y-%m-%d %H:%M")],
        [_("作成者"), run.created_by_name],
        [_("意見の件数"), counts.get("opinions", 0)],
        [_("声の数（重複・組織的な意見を 1 件と数える）"), counts.get("voices", 0)],
        [_("該当なし（分析時）"), counts.get("unassigned", 0)],
        [_("確定済みとして渡した割り当て"), len(run.confirmations)],
        [_("乱数の種"), params.get("seed", 0)],
        [_("「該当なし」にする点数"), params.get("assignment_threshold", 0)],
        [_("ストップワードの数"), len(lexicon.get("stop_words", []))],
        [_("同義語の数"), sum(len(v) for v in lexicon.get("synonyms", {}).values())],
        [_("ユーザー辞書の語の数"), len(lexicon.get("user_terms", []))],
    ]
    summary += [[_("版: %(name)s") % {"name": k}, v] for k, v in run.versions.items()]
    summary += [[_("設定: %(name)s") % {"name": k}, json.dumps(v)] for k, v in params.items()]
    _sheet(book, _("概要"), [_("項目"), _("値")], summary, bold)

    attribute_names: list[str] = []
    opinion_rows: list[list[Any]] = []
    rows: list[Any] = list(selectors.run_opinions(run))  # annotated: effective, decision_kind
    for o in rows:
        for name, _value in o.attribute_pairs():
            if name not in attribute_names:
                attribute_names.append(name)
    for o in rows:
        attrs = dict(o.attribute_pairs())
        cands: list[Any] = []
        for i in range(3):
            if i < len(o.measures):
                cands += [o.measures[i]["code"], o.measures[i]["score"]]
            else:
                cands += ["", None]
        decision = {"confirm": _("確定"), "reassign": _("変更")}.get(o.decision_kind or "", "")
        opinion_rows.append(
            [
                o.position + 1,
                o.opinion_id,
                o.text,
                o.effective,
                titles.get(o.effective, _("該当なし") if not o.effective else ""),
                decision,
                *cands,
                dup_of.get(o.opinion_id, ""),
                camp_of.get(o.opinion_id, ""),
                cluster_name(o.cluster) if o.cluster else "",
                *[attrs.get(a, "") for a in attribute_names],
            ]
        )
    _sheet(
        book,
        _("意見"),
        [
            _("番号"),
            _("意見ID"),
            _("意見"),
            _("施策番号"),
            _("施策名"),
            _("職員の判断"),
            _("候補1"),
            _("点数1"),
            _("候補2"),
            _("点数2"),
            _("候補3"),
            _("点数3"),
            _("重複グループ"),
            _("組織的な意見"),
            _("トピック"),
            *attribute_names,
        ],
        opinion_rows,
        bold,
    )

    _sheet(
        book,
        _("施策別"),
        [_("施策番号"), _("施策名"), _("意見"), _("声の数"), _("職員の判断"), _("分析時の件数")],
        [
            [r.code or _("該当なし"), r.title, r.opinions, r.voices, r.decided, r.engine]
            for r in selectors.measure_table(run)
        ],
        bold,
    )
    texts = {o.opinion_id: o.text for o in rows}
    _sheet(
        book,
        _("トピック"),
        [
            _("トピック"),
            _("施策番号"),
            _("特徴的な語"),
            _("件数"),
            _("まとまり（密度）"),
            _("代表的な意見ID"),
            _("代表的な意見"),
        ],
        [
            [
                cluster_name(c["id"]),
                c["measure"] or _("該当なし"),
                "、".join(c["label_terms"]),
                c["size"],
                c["density"],
                c["representative"],
                texts.get(c["representative"], ""),
            ]
            for c in result.get("clusters", [])
        ],
        bold,
    )
    _sheet(
        book,
        _("キーワード"),
        [_("語"), _("品詞"), _("出現回数"), _("出現した意見の数")],
        [[k["term"], k["pos"], k["tf"], k["df"]] for k in result.get("keywords", [])],
        bold,
    )
    _sheet(
        book,
        _("KWIC"),
        [_("語"), _("意見ID"), _("前"), _("語（原文）"), _("後")],
        [
            [k["term"], line["id"], line["left"], line["keyword"], line["right"]]
            for k in result.get("kwic", [])
            for line in k["lines"]
        ],
        bold,
    )
    co = result.get("cooccurrence", {"nodes": [], "edges": []})
    _sheet(
        book,
        _("共起"),
        [_("語1"), _("語2"), _("一緒に出た意見の数"), _("Jaccard 係数")],
        [[e["source"], e["target"], e["count"], e["jaccard"]] for e in co["edges"]],
        bold,
    )
    group_rows: list[list[Any]] = []
    for kind, label in (
        (GroupDecision.GroupKind.DUPLICATE, _("重複")),
        (GroupDecision.GroupKind.CAMPAIGN, _("組織的な意見")),
    ):
        for g in groups[kind]:
            for m in g.members:
                group_rows.append(
                    [
                        label,
                        g.id,
                        len(g.members),
                        m == g.representative,
                        m in g.staff_members,
                        m,
                        texts.get(m, ""),
                    ]
                )
    _sheet(
        book,
        _("重複・組織的"),
        [
            _("種類"),
            _("グループ"),
            _("件数"),
            _("代表"),
            _("職員が統合"),
            _("意見ID"),
            _("意見"),
        ],
        group_rows,
        bold,
    )
    _sheet(
        book,
        _("特徴語"),
        [
            _("観点"),
            _("値"),
            _("意見の数"),
            _("語"),
            _("品詞"),
            _("出現回数"),
            _("z 値"),
            _("有意"),
        ],
        [
            [
                _("施策") if c["dimension"] == "measure" else c["dimension"],
                c["value"],
                c["size"],
                w["term"],
                w["pos"],
                w["count"],
                w["z"],
                w["significant"],
            ]
            for c in result.get("characteristic_words", [])
            for w in c["words"]
        ],
        bold,
    )
    book.close()
    return buffer.getvalue()


def run_result_json(run: AnalysisRun) -> str:
    """RESULT.json as ``keikaku analyze-opinions`` writes it (the engine's result, without
    the staff decisions made after the run)."""
    result = dict(run.result or {})
    rows = list(run.opinions.order_by("position"))
    data: dict[str, Any] = {
        "format": result.get("format", FORMAT_NAME),
        "version": result.get("version", FORMAT_VERSION),
        "parameters": result.get("parameters", {}),
        "counts": result.get("counts", {}),
        "opinions": [
            {
                "id": o.opinion_id,
                "measures": o.measures,
                "duplicate_group": o.duplicate_group or None,
                "campaign": bool(o.campaign),
                "cluster": o.cluster or None,
                "confirmed": o.confirmed,
            }
            for o in rows
        ],
    }
    for key in (
        "duplicate_groups",
        "campaigns",
        "clusters",
        "keywords",
        "keywords_by_pos",
        "kwic",
        "cooccurrence",
        "characteristic_words",
        "summaries",
    ):
        data[key] = result.get(key)
    data["map"] = [{"id": o.opinion_id, "x": o.x, "y": o.y} for o in rows]
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
