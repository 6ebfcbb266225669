"""Citizens' voices (participation.api): proposal box, public comment rounds and results.

``published_result(round_id)`` (the published result snapshot) feeds the API, the CSV, the
search and the plan document's 資料編; without it they fall back to the round list only.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from keikaku.publication.integrations._util import api_function, lines, municipality, register_table
from keikaku.publication.registry import (
    AppendixChapter,
    OpenCall,
    SearchItem,
    Section,
    register_appendix,
    register_call_provider,
    register_search_source,
    register_section,
    shared,
)


def rounds() -> list[Any]:
    fn = api_function("participation", "public_rounds")
    return shared("participation.rounds", lambda: list(fn())) if fn else []


def result(round_id: int) -> dict[str, Any] | None:
    fn = api_function("participation", "published_result")
    return fn(round_id) if fn else None


register_section(
    Section(
        key="participation",
        title=_("市民の声（意見・提案）"),
        url_name="participation:index",
        description=_("意見・提案の受付と、パブリックコメントの案と結果"),
        order=81,
        in_header=False,
    )
)


def calls() -> Iterator[OpenCall]:
    if api_function("participation", "public_rounds") is None:
        return
    yield OpenCall(
        kind="proposal_box",
        kind_label=str(_("意見・提案")),
        title=str(_("まちづくりへの意見・提案（いつでも受付）")),
        url=reverse("participation:proposal_new"),
        state="always",
        description=str(_("総合計画やまちづくりについて、いつでも意見・提案を送れます。")),
        action_label=str(_("意見・提案を送る")),
    )
    for r in rounds():
        if r.state not in ("open", "upcoming"):
            continue
        yield OpenCall(
            kind="public_comment",
            kind_label=str(_("パブリックコメント")),
            title=r.title,
            url=reverse("participation:round", args=[r.id]),
            state=r.state,
            starts=r.starts_at,
            ends=r.ends_at,
            description=str(_("案を読んで、意見を送ることができます。")),
            action_label=str(_("案を読んで意見を送る")),
        )


register_call_provider("participation", calls)


def search_items() -> Iterator[SearchItem]:
    for r in rounds():
        yield SearchItem(
            key=f"participation:round:{r.id}",
            url=reverse("participation:round", args=[r.id]),
            kind="public_comment",
            kind_label=str(_("パブリックコメント")),
            title=r.title,
            body=lines(_("パブリックコメント（市民コメント）"), _("意見募集")),
            date=r.starts_at.date(),
        )
        data = result(r.id) if r.has_result else None
        if r.has_result:
            body = ""
            if data:
                body = lines(
                    data.get("note"),
                    *(
                        lines(row.get("summary"), row.get("city_view"))
                        for row in data.get("rows", [])
                    ),
                )
            yield SearchItem(
                key=f"participation:result:{r.id}",
                url=reverse("participation:result", args=[r.id]),
                kind="public_comment_result",
                kind_label=str(_("意見募集の結果")),
                title=_g("%(title)s の結果") % {"title": r.title},
                body=body or lines(_("意見の概要と市の考え方")),
                date=r.ends_at.date(),
            )


register_search_source("participation", search_items)


def round_rows() -> Iterator[dict[str, Any]]:
    base = municipality()
    labels = {"open": "募集中", "upcoming": "募集前", "closed": "終了"}
    for r in rounds():
        yield {
            **base,
            "round_id": r.id,
            "title": r.title,
            "starts_at": r.starts_at,
            "ends_at": r.ends_at,
            "state": labels.get(r.state, r.state),
            "has_result": r.has_result,
            "is_demo": r.is_demo,
        }


def result_rows() -> Iterator[dict[str, Any]]:
    base = municipality()
    for r in rounds():
        data = result(r.id) if r.has_result else None
        for row in (data or {}).get("rows", []):
            yield {
                **base,
                "round_id": r.id,
                "round_title": r.title,
                "number": row.get("number"),
                "location": row.get("location", ""),
                "summary": row.get("summary", ""),
                "city_view": row.get("city_view", ""),
                "reflection": row.get("reflection_label", ""),
                "opinion_count": row.get("opinion_count"),
            }


register_table(
    "participation",
    "public-comment-rounds",
    _("パブリックコメント（意見募集）の一覧"),
    _("意見募集の件名、募集期間、状態、結果の公表の有無。"),
    """
    round_id    番号                          integer
    title       件名
    starts_at   募集開始日時                  date
    ends_at     募集終了日時                  date
    state       状態
    has_result  結果の公表（1=公表済み）      boolean
    is_demo     説明用の例（1=該当）          boolean
    """,
    rows=round_rows,
    api_path="/api/v1/public-comments",
    order=40,
)
register_table(
    "participation",
    "public-comment-results",
    _("パブリックコメントの結果（意見の概要と市の考え方）"),
    _("公表した結果の一覧表：意見の概要、市の考え方、反映区分。"),
    """
    round_id       意見募集の番号      integer
    round_title    意見募集の件名
    number         番号                integer
    location       該当箇所
    summary        意見の概要
    city_view      市の考え方
    reflection     反映区分
    opinion_count  意見の件数（件）    integer
    """,
    rows=result_rows,
    api_path="/api/v1/public-comments/{id}/result",
    pending=api_function("participation", "published_result") is None,
    pending_note="participation.api.published_result(round_id)",
    order=41,
)


def appendix() -> Iterator[AppendixChapter]:
    blocks: list[dict[str, Any]] = []
    for r in rounds():
        if not r.has_result:
            continue
        data = result(r.id)
        blocks.append({"type": "h3", "text": r.title})
        period = f"{r.starts_at:%Y-%m-%d}～{r.ends_at:%Y-%m-%d}"
        blocks.append({"type": "p", "text": _g("募集期間: %(period)s") % {"period": period}})
        if not data:
            blocks.append(
                {
                    "type": "p",
                    "text": _g("結果は公開サイトの意見募集のページに掲載しています。"),
                }
            )
            continue
        blocks.append(
            {
                "type": "p",
                "text": _g("提出者 %(people)s 人、意見 %(opinions)s 件。")
                % {
                    "people": data.get("submitter_count", "—"),
                    "opinions": data.get("opinion_count", "—"),
                },
            }
        )
        if data.get("note"):
            blocks.append({"type": "p", "text": data["note"]})
        rows = data.get("rows", [])
        if rows:
            blocks.append(
                {
                    "type": "table",
                    "caption": _g("意見の概要と市の考え方"),
                    "header": [
                        _g("番号"),
                        _g("該当箇所"),
                        _g("意見の概要"),
                        _g("市の考え方"),
                        _g("反映区分"),
                    ],
                    "rows": [
                        [
                            row.get("number", ""),
                            row.get("location", ""),
                            row.get("summary", ""),
                            row.get("city_view", ""),
                            row.get("reflection_label", ""),
                        ]
                        for row in rows
                    ],
                }
            )
    if blocks:
        yield AppendixChapter(
            key="public-comment", title=_g("パブリックコメントの結果"), blocks=blocks, order=30
        )


register_appendix("participation", appendix)
