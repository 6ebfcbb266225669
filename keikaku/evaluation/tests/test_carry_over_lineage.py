"""Carry-over to the next edition (前期 → 後期) of priority strategies and programmes, with
their lineage (kept by this app: StrategyLineage, ProgrammeLineage), and the comparison with
its export (database)."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from keikaku.core.models import AuditEvent
from keikaku.evaluation import selectors, services
from keikaku.evaluation.models import ProgrammeEvaluation, ProgrammeLineage, StrategyLineage
from keikaku.evaluation.tests.factories import add_strategies, make_former_plan, make_user
from keikaku.plans.models import Edition, Indicator, Measure, PriorityStrategy, Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def env():
    fp = make_former_plan()
    st = add_strategies(fp)
    jim = make_user("jim", secretariat=True, publisher=True, full_name="𠮷田 花子")
    round_ = services.round_create(edition=fp.edition, fiscal_year=2024, actor=jim, is_final=True)
    # the final evaluation decided that 健康マイレージ事業 (P-2) is complete
    sheet = ProgrammeEvaluation.objects.get(round=round_, programme=fp.programmes["P-2"])
    services.sheet_update(
        sheet=sheet, actor=jim, expected_version=None, changes={"direction": "complete"}
    )
    return fp, st, jim


def carry(fp, jim, **kw):
    return services.edition_carry_over(
        former=fp.edition, actor=jim, title="後期基本計画", start_fy=2025, end_fy=2029, **kw
    )


def test_strategies_and_programmes_are_carried_over_with_lineage(env) -> None:
    fp, st, jim = env
    result = carry(fp, jim)
    latter = result.edition
    assert (result.measures, result.indicators) == (3, 6)
    assert (result.strategies, result.strategy_indicators) == (2, 3)
    assert (result.programmes, result.programmes_ended) == (1, ("P-2",))
    # 6 measure indicators and S1-1, S1-2 have actuals; S2-1 was never reported
    assert (result.baselines_updated, result.baselines_kept) == (8, ("S2-1",))
    new_strategies = {s.number: s for s in PriorityStrategy.objects.filter(edition=latter)}
    s1 = new_strategies[1]
    assert (s1.title, s1.basic_goal) == (
        "こどもにやさしいまちづくり",
        "合計特殊出生率を 1.20 に高めます。",
    )
    # its measures are the copies, not the former measures
    assert sorted((m.code, m.area.edition_id) for m in s1.measures.all()) == [
        ("1-1", latter.pk),
        ("1-2", latter.pk),
    ]
    assert list(StrategyLineage.objects.values_list("former_id", "successor_id")) == [
        (st.strategies[1].pk, s1.pk),
        (st.strategies[2].pk, new_strategies[2].pk),
    ]
    new_inds = {i.code: i for i in Indicator.objects.filter(strategy__edition=latter)}
    assert {c: i.predecessor_id for c, i in new_inds.items()} == {
        c: st.indicators[c].pk for c in ("S1-1", "S1-2", "S2-1")
    }
    # new baselines: the latest actual (FY2024), or the former baseline when never reported
    assert (new_inds["S1-1"].baseline_value, new_inds["S1-1"].baseline_fy) == (1.11, 2024)
    assert (new_inds["S2-1"].baseline_value, new_inds["S2-1"].baseline_fy) == (17.62, 2018)
    assert (new_inds["S1-1"].target_value, new_inds["S1-1"].target_fy) == (None, 2029)
    (p1,) = Programme.objects.filter(edition=latter)
    assert (p1.code, p1.name, p1.department_id, p1.measure.code, p1.measure.area.edition_id) == (
        "P-1",
        "地域子育て支援拠点事業",
        fp.child_section.pk,
        "1-1",
        latter.pk,
    )
    assert p1.costs.count() == 0  # the new implementation plan sets the yearly costs
    assert list(ProgrammeLineage.objects.values_list("former_id", "successor_id")) == [
        (fp.programmes["P-1"].pk, p1.pk)
    ]
    audit = AuditEvent.objects.filter(action="carry_over").get()
    assert audit.after["strategies"] == 2
    assert audit.after["programmes_ended"] == ["P-2"]


def test_every_programme_can_be_kept(env) -> None:
    fp, _st, jim = env
    result = carry(fp, jim, skip_ended_programmes=False)
    assert (result.programmes, result.programmes_ended) == (2, ())


def test_merging_measures_moves_programmes_and_strategy_links(env) -> None:
    fp, _st, jim = env
    latter = carry(fp, jim).edition
    m11 = Measure.objects.get(area__edition=latter, code="1-1")
    m12 = Measure.objects.get(area__edition=latter, code="1-2")
    m21 = Measure.objects.get(area__edition=latter, code="2-1")
    school = Programme.objects.create(edition=latter, code="P-3", name="学校改修事業", measure=m12)
    s1 = PriorityStrategy.objects.get(edition=latter, number=1)
    s2 = PriorityStrategy.objects.get(edition=latter, number=2)
    s2.measures.add(m12)
    services.measure_merge(kept=m11, absorbed=m12, actor=jim)
    school.refresh_from_db()
    assert school.measure_id == m11.pk
    assert [m.code for m in s1.measures.all()] == ["1-1"]
    assert sorted(m.code for m in s2.measures.all()) == ["1-1", "2-1"]
    assert m21.pk in {m.pk for m in s2.measures.all()}


def test_comparison_lists_strategies_programmes_and_strategy_indicators(env) -> None:
    fp, st, jim = env
    latter = carry(fp, jim).edition
    s2 = PriorityStrategy.objects.get(edition=latter, number=2)
    s2.title = "健康長寿のまちづくり"
    s2.save()
    s3 = PriorityStrategy.objects.create(
        edition=latter, number=3, title="多様な働き方が実現できるまちづくり"
    )
    m21 = Measure.objects.get(area__edition=latter, code="2-1")
    Programme.objects.create(edition=latter, code="P-4", name="健康ポイント事業", measure=m21)
    p1 = Programme.objects.get(edition=latter, code="P-1")
    p1.measure = m21
    p1.save()
    s11 = Indicator.objects.get(strategy__edition=latter, code="S1-1")
    s11.target_value = 1.30
    s11.save()
    Indicator.objects.create(strategy=s3, code="S3-1", name="市内事業所の従業者数", unit="人")
    comparison = selectors.edition_comparison(Edition.objects.get(pk=latter.pk))
    assert [
        (c.kind_label, [r.code for r in c.former], [r.code for r in c.latter], c.details)
        for c in comparison.strategies
    ] == [
        ("継続", ["重点戦略1"], ["重点戦略1"], ()),
        (
            "名称変更",
            ["重点戦略2"],
            ["重点戦略2"],
            ("名称「いつまでも健康でいられるまちづくり」→「健康長寿のまちづくり」",),
        ),
        ("新設", [], ["重点戦略3"], ()),
    ]
    assert [
        (c.kind_label, [r.code for r in c.former], [r.code for r in c.latter], c.details)
        for c in comparison.programmes
    ] == [
        ("継続", ["P-1"], ["P-1"], ("施策 1-1 → 2-1",)),
        ("新設", [], ["P-4"], ()),
        ("廃止", ["P-2"], [], ()),
    ]
    strategy_rows = [
        (c.kind_label, c.former_measure, c.latter_measure, c.latter_code or c.former_code)
        for c in comparison.indicators
        if "重点戦略" in (c.former_measure + c.latter_measure)
    ]
    assert strategy_rows == [
        ("変更", "重点戦略1", "重点戦略1", "S1-1"),
        ("変更", "重点戦略1", "重点戦略1", "S1-2"),
        ("変更", "重点戦略2", "重点戦略2", "S2-1"),
        ("新設", "", "重点戦略3", "S3-1"),
    ]
    s11_change = next(c for c in comparison.indicators if c.latter_code == "S1-1")
    assert [(f.label, f.before, f.after) for f in s11_change.changes] == [
        ("基準値", "1.05", "1.11"),
        ("基準値の年度", "平成30（2018）年度", "令和6（2024）年度"),
        ("目標値", "1.2", "1.3"),
        ("目標年度", "令和6（2024）年度", "令和11（2029）年度"),
    ]
    assert {k.value: v for k, v in comparison.strategy_counts().items()} == {
        "added": 1,
        "removed": 0,
        "merged": 0,
        "split": 0,
        "renamed": 1,
        "continued": 1,
    }


def test_a_programme_merge_recorded_in_the_lineage_shows_as_merged(env) -> None:
    fp, _st, jim = env
    latter = carry(fp, jim, skip_ended_programmes=False).edition
    p1 = Programme.objects.get(edition=latter, code="P-1")
    p2 = Programme.objects.get(edition=latter, code="P-2")
    ProgrammeLineage.objects.create(former=fp.programmes["P-2"], successor=p1)
    p2.delete()
    comparison = selectors.edition_comparison(Edition.objects.get(pk=latter.pk))
    assert [
        (c.kind_label, [r.code for r in c.former], [r.code for r in c.latter], c.details)
        for c in comparison.programmes
    ] == [("統合", ["P-1", "P-2"], ["P-1"], ("P-1・P-2 を P-1 に統合",))]


def test_comparison_page_and_export(client, env) -> None:
    fp, _st, jim = env
    latter = carry(fp, jim).edition
    client.force_login(jim)
    page = client.get(reverse("staff:evaluation_comparison", args=[latter.pk])).content.decode()
    assert '<h2 id="cmp-strategies-h">重点戦略の変更</h2>' in page
    assert '<h2 id="cmp-programmes-h">事務事業の変更</h2>' in page
    assert "P-2 健康マイレージ事業" in page
    url = reverse("staff:evaluation_comparison_download", args=[latter.pk, "csv"])
    assert url == f"/staff/evaluation/editions/{latter.pk}/comparison/export.csv"
    csv = client.get(url)
    assert (
        csv["Content-Disposition"] == 'attachment; filename="keikaku-comparison-112411-latter.csv"'
    )
    assert csv.content.startswith(b"\xef\xbb\xbf")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "対象,区分,前期の施策番号,前期の施策名,後期の施策番号,後期の施策名,内容,,,,"
    assert (
        "重点戦略,継続,重点戦略1,こどもにやさしいまちづくり,重点戦略1,こどもにやさしいまちづくり,,,,,"
        in lines
    )
    assert "対象,区分,前期の事業番号,前期の事業名,後期の事業番号,後期の事業名,内容,,,," in lines
    assert "事務事業,継続,P-1,地域子育て支援拠点事業,P-1,地域子育て支援拠点事業,,,,," in lines
    assert "事務事業,廃止,P-2,健康マイレージ事業,,,,,,," in lines
    # S2-1 was never reported: its baseline is kept, its target is left for the department
    assert (
        "成果指標,変更,重点戦略2,S2-1,65歳健康寿命（男性）,重点戦略2,S2-1,65歳健康寿命（男性）,"
        "目標値／目標年度,目標値: 18／目標年度: 令和6（2024）年度,"
        "目標値: —／目標年度: 令和11（2029）年度"
    ) in lines
    xlsx = client.get(reverse("staff:evaluation_comparison_download", args=[latter.pk, "xlsx"]))
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["施策の変更", "重点戦略の変更", "事務事業の変更", "成果指標の変更"]
    ws = book["事務事業の変更"]
    assert ws["A1"].value == "事務事業の変更（前期基本計画 → 後期基本計画）"
    assert [c.value for c in ws[3]] == [
        "区分",
        "前期の事業番号",
        "前期の事業名",
        "後期の事業番号",
        "後期の事業名",
        "内容",
    ]
    assert [[c.value for c in row] for row in ws.iter_rows(min_row=4)] == [
        ["継続", "P-1", "地域子育て支援拠点事業", "P-1", "地域子育て支援拠点事業", None],
        ["廃止", "P-2", "健康マイレージ事業", None, None, None],
    ]
    assert (
        client.get(
            reverse("staff:evaluation_comparison_download", args=[latter.pk, "pdf"])
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("staff:evaluation_comparison_download", args=[fp.edition.pk, "csv"])
        ).status_code
        == 404
    )


def test_carry_over_view_reports_the_new_counts(client, env) -> None:
    fp, _st, jim = env
    client.force_login(jim)
    response = client.post(
        reverse("staff:evaluation_carry_over"),
        {
            "former": fp.edition.pk,
            "title": "後期基本計画",
            "start_fy": 2025,
            "end_fy": 2029,
            "restart_cumulative": "on",
            "skip_ended_programmes": "on",
        },
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "「後期基本計画」を作りました（政策分野 2、施策 3、成果指標 6、重点戦略 2（成果指標 3）、"
        "事務事業 1）。基準値を最新の実績値に更新した指標は 8 件です。目標値を入力してください。",
        "「休止・廃止」「完了」と評価したため引き継がなかった事務事業: P-2",
        "実績値の報告がなく、前期の基準値を引き継いだ指標: S2-1",
    ]
