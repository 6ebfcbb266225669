"""Services and permissions of the yearly evaluation (database)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from keikaku.core.models import AuditEvent, ContentVersion
from keikaku.core.services import StaleEditError
from keikaku.evaluation import api, rules, selectors, services
from keikaku.evaluation.domain.actuals_upload import ActualRow, CostRow, ParsedUpload
from keikaku.evaluation.models import (
    EvaluationPublication,
    MeasureEvaluation,
    MeasureMerge,
    ProgrammeEvaluation,
)
from keikaku.evaluation.tests.factories import make_former_plan, make_user
from keikaku.plans.models import Edition, Indicator, IndicatorValue, Measure, ProgrammeCost

pytestmark = pytest.mark.django_db

COLUMNS = {
    "実績値": {"indicator": ("指標番号", "A"), "value": ("実績値", "D")},
    "事業費": {
        "programme": ("事業番号", "A"),
        "total": ("事業費（千円）", "E"),
        "staff_cost": ("人件費（千円）", "K"),
    },
}


def parsed(actuals=(), costs=()) -> ParsedUpload:
    return ParsedUpload(tuple(actuals), tuple(costs), (), COLUMNS)


def cost(row: int, code: str, total: int | None, **kw) -> CostRow:
    values = dict(
        national=None,
        prefectural=None,
        bonds=None,
        other=None,
        general=None,
        staff_cost=None,
        staff_fte=None,
        note="",
        is_plan=False,
    )
    values.update(kw)
    return CostRow(row=row, programme=code, fiscal_year=2024, total=total, **values)


@pytest.fixture
def setup():
    fp = make_former_plan()
    jim = make_user("jim", secretariat=True, full_name="𠮷田 花子")
    child = make_user("child", department=fp.child_section, full_name="髙橋 一郎")
    boss = make_user("boss", department=fp.child_dept, full_name="山田 部長")
    other = make_user("other", department=fp.health_section, full_name="鈴木 次郎")
    round_ = services.round_create(edition=fp.edition, fiscal_year=2024, actor=jim, is_final=True)
    return fp, round_, {"jim": jim, "child": child, "boss": boss, "other": other}


def test_round_create_makes_sheets(setup) -> None:
    fp, round_, users = setup
    assert MeasureEvaluation.objects.filter(round=round_).count() == 3
    assert ProgrammeEvaluation.objects.filter(round=round_).count() == 2
    assert round_.scheme_id == "marubatsu"
    with pytest.raises(services.EvaluationError) as exc:
        services.round_create(edition=fp.edition, fiscal_year=2024, actor=users["jim"])
    assert str(exc.value) == "前期基本計画 の2024年度の評価は既にあります。一覧から開いてください。"
    with pytest.raises(ValidationError) as bad:
        services.round_create(edition=fp.edition, fiscal_year=2026, actor=users["jim"])
    assert bad.value.message_dict["fiscal_year"] == [
        "評価する年度は計画期間（2020〜2024年度）の中から選んでください。"
    ]
    # a measure added later gets its sheet on sync
    Measure.objects.create(area=fp.areas[2], code="2-2", title="地域医療")
    assert services.round_sync_sheets(round_=round_, actor=users["jim"]) == 1
    assert services.round_sync_sheets(round_=round_, actor=users["jim"]) == 0


def test_department_only_rules(setup) -> None:
    fp, round_, u = setup
    sheet_11 = MeasureEvaluation.objects.get(round=round_, measure__code="1-1")
    sheet_21 = MeasureEvaluation.objects.get(round=round_, measure__code="2-1")
    assert rules.can_edit_measure_sheet(u["child"], sheet_11) is True
    assert rules.can_edit_measure_sheet(u["boss"], sheet_11) is True  # 部 covers its 課
    assert rules.can_edit_measure_sheet(u["other"], sheet_11) is False
    assert rules.can_edit_measure_sheet(u["child"], sheet_21) is False
    assert rules.can_edit_measure_sheet(u["jim"], sheet_21) is True
    assert rules.can_confirm(u["child"], sheet_11) is False
    services.sheet_submit(sheet=sheet_11, actor=u["child"], expected_version=sheet_11.version)
    assert sheet_11.status == "submitted"
    assert sheet_11.submitted_by == "髙橋 一郎"
    # submitted: read-only for the department, the secretariat may confirm or return
    assert rules.can_edit_measure_sheet(u["child"], sheet_11) is False
    assert rules.can_confirm(u["jim"], sheet_11) is True
    services.sheet_confirm(sheet=sheet_11, actor=u["jim"], expected_version=sheet_11.version)
    assert (sheet_11.status, sheet_11.confirmed_by) == ("confirmed", "𠮷田 花子")
    with pytest.raises(services.EvaluationError) as exc:
        services.sheet_submit(sheet=sheet_11, actor=u["child"], expected_version=sheet_11.version)
    assert str(exc.value) == (
        "この評価シートは「確認済み」のため、この操作はできません。画面を読み込み直してください。"
    )
    services.sheet_return(sheet=sheet_11, actor=u["jim"], expected_version=sheet_11.version)
    assert (sheet_11.status, sheet_11.confirmed_by) == ("draft", "")
    actions = list(
        AuditEvent.objects.filter(object_type="evaluation.measureevaluation").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["confirm", "return", "submit"]


def test_sheet_update_checks_grade_and_version(setup) -> None:
    _fp, round_, u = setup
    sheet = MeasureEvaluation.objects.get(round=round_, measure__code="1-1")
    with pytest.raises(ValidationError) as exc:
        services.sheet_update(
            sheet=sheet, actor=u["child"], expected_version=1, changes={"internal_grade": "S"}
        )
    assert exc.value.message_dict["internal_grade"] == [
        "内部評価は ◎・○・△・×・− のどれかにしてください。"
    ]
    services.sheet_update(
        sheet=sheet,
        actor=u["child"],
        expected_version=1,
        changes={"results": "利用が増えました。", "internal_grade": "○", "status": "confirmed"},
    )
    sheet.refresh_from_db()
    assert (sheet.results, sheet.internal_grade, sheet.status, sheet.version) == (
        "利用が増えました。",
        "○",
        "draft",
        2,
    )
    with pytest.raises(StaleEditError):
        services.sheet_update(
            sheet=sheet, actor=u["other"], expected_version=1, changes={"results": "上書き"}
        )
    sheet.refresh_from_db()
    assert sheet.results == "利用が増えました。"


def test_entry_plan_located_problems_and_nothing_written(setup) -> None:
    fp, round_, u = setup
    before = list(IndicatorValue.objects.order_by("pk").values_list("pk", "value", "version"))
    upload = parsed(
        actuals=[
            ActualRow(2, "1-1-1", 2024, 49.0, None, ""),  # fine on its own
            ActualRow(3, "9-9-9", 2024, 1.0, None, ""),  # unknown
            ActualRow(4, "2-1-1", 2024, 63.0, None, ""),  # other department
            ActualRow(5, "1-2-2", 2024, 0.5, None, ""),  # milestone must be 0 or 1
        ],
        costs=[cost(2, "P-1", 36000), cost(3, "P-2", 100)],  # P-2: other department
    )
    with pytest.raises(services.UploadError) as exc:
        services.entry_plan(round_=round_, parsed=upload, user=u["child"])
    assert [(p.sheet, p.row, p.column_letter, p.message) for p in exc.value.problems] == [
        (
            "実績値",
            3,
            "A",
            "指標番号「9-9-9」はこの基本計画の成果指標にありません。番号を確かめてください。",
        ),
        (
            "実績値",
            4,
            "A",
            "指標「2-1-1」（施策 2-1）の実績値を入力する権限がありません。担当課か事務局に依頼してください。",
        ),
        (
            "実績値",
            5,
            "D",
            "指標「1-2-2」は達成・未達成の指標です。完了なら 1、未完了なら 0 を入力してください（いまは 0.5）。",
        ),
        (
            "事業費",
            3,
            "A",
            "事業「P-2」の事業費を入力する権限がありません。担当課か事務局に依頼してください。",
        ),
    ]
    assert (
        list(IndicatorValue.objects.order_by("pk").values_list("pk", "value", "version")) == before
    )


def test_entry_apply_writes_through_plan_services(setup) -> None:
    fp, round_, u = setup
    upload = parsed(
        actuals=[
            ActualRow(2, "1-1-1", 2024, 50.0, None, "確定値"),  # update 48 → 50
            ActualRow(3, "1-2-1", 2024, 4.0, None, ""),  # create
            ActualRow(4, "1-1-2", 2024, 2.0, None, ""),  # unchanged
        ],
        costs=[
            cost(
                2,
                "P-1",
                37000,
                national=12300,
                prefectural=12300,
                bonds=0,
                other=0,
                general=12400,
                staff_cost=8000,
                staff_fte=1.5,
            )
        ],
    )
    plan = services.entry_plan(round_=round_, parsed=upload, user=u["child"])
    assert [(c.indicator.code, c.action, c.before, c.value) for c in plan.actuals] == [
        ("1-1-1", "update", 48.0, 50.0),
        ("1-2-1", "create", None, 4.0),
    ]
    assert plan.costs == []  # the settled cost is the same
    assert [(s.programme.code, s.staff_cost, str(s.staff_fte)) for s in plan.staff] == [
        ("P-1", 8000, "1.5")
    ]
    assert plan.unchanged == 2
    assert plan.summary_text() == "実績値 2 件、事業費 0 件、人件費 1 件を変更（変更なし 2 件）"
    measures, indicators = services.grade_changes(round_, plan.overrides())
    # 1-1-1 reaches its target (◎); 1-2-1 becomes reported (4 of 4 → ◎)
    assert [(c, a, b) for c, _n, a, b in indicators] == [("1-1-1", "○", "◎"), ("1-2-1", "−", "◎")]
    assert [(o.code, o.grade, n.grade) for o, n in measures] == []  # 1-1 mean stays ○, 1-2 stays ◎
    services.entry_apply(round_=round_, plan=plan, actor=u["child"])
    value = IndicatorValue.objects.get(indicator=fp.indicators["1-1-1"], fiscal_year=2024)
    assert (value.value, value.note, value.version) == (50.0, "確定値", 2)
    assert (
        IndicatorValue.objects.get(indicator=fp.indicators["1-2-1"], fiscal_year=2024).value == 4.0
    )
    sheet = ProgrammeEvaluation.objects.get(round=round_, programme__code="P-1")
    assert (sheet.staff_cost, str(sheet.staff_fte)) == (8000, "1.50")
    assert AuditEvent.objects.filter(action="bulk_entry").count() == 1
    assert AuditEvent.objects.filter(object_type="plans.indicatorvalue").count() == 2


def test_entry_plan_detects_stale_grid(setup) -> None:
    fp, round_, u = setup
    upload = parsed(actuals=[ActualRow(1, "1-1-1", 2024, 49.0, None, "")])
    with pytest.raises(services.UploadError) as exc:
        services.entry_plan(
            round_=round_,
            parsed=upload,
            user=u["jim"],
            expected_versions={f"value:{fp.indicators['1-1-1'].pk}": 7},
        )
    assert exc.value.problems[0].message == (
        "指標「1-1-1」の実績値は、この画面を開いた後に別の人が変更しました。読み込み直してから入力してください。"
    )


def test_staff_cost_only_on_settled_rows(setup) -> None:
    _fp, round_, u = setup
    upload = parsed(costs=[cost(2, "P-1", 38500, is_plan=True, staff_cost=100)])
    with pytest.raises(services.UploadError) as exc:
        services.entry_plan(round_=round_, parsed=upload, user=u["jim"])
    assert [(p.row, p.column_letter, p.message) for p in exc.value.problems] == [
        (2, "K", "人件費と従事職員数は「決算」の行に入力してください（この行は「計画」です）。")
    ]


def test_publish_snapshot_has_confirmed_texts_only(setup) -> None:
    fp, round_, u = setup
    s11 = MeasureEvaluation.objects.get(round=round_, measure__code="1-1")
    s21 = MeasureEvaluation.objects.get(round=round_, measure__code="2-1")
    services.sheet_update(
        sheet=s11, actor=u["jim"], expected_version=None, changes={"results": "公開してよい文章"}
    )
    services.sheet_update(
        sheet=s21, actor=u["jim"], expected_version=None, changes={"results": "まだ下書きの文章"}
    )
    services.sheet_submit(sheet=s11, actor=u["jim"], expected_version=None)
    services.sheet_confirm(sheet=s11, actor=u["jim"], expected_version=None)
    version = (
        ContentVersion.objects.get(key="public").version
        if ContentVersion.objects.filter(key="public").exists()
        else 0
    )
    services.round_publish(round_=round_, actor=u["jim"])
    assert ContentVersion.objects.get(key="public").version == version + 1
    report = api.published_report(2024)
    assert report is not None
    assert report.measure("1-1").results == "公開してよい文章"
    assert report.measure("2-1").results == ""
    assert report.confirmed_texts_only is True
    assert report.published_at != ""
    assert [r.fiscal_year for r in api.published_rounds()] == [2024]
    # a later draft edit does not reach the public snapshot until published again
    services.sheet_update(
        sheet=s11, actor=u["jim"], expected_version=None, changes={"results": "編集中"}
    )
    assert api.published_report(2024).measure("1-1").results == "公開してよい文章"
    services.round_unpublish(round_=round_, actor=u["jim"])
    assert api.published_report(2024) is None
    assert EvaluationPublication.objects.count() == 0


def test_carry_over_lineage_and_baselines(setup) -> None:
    fp, _round, u = setup
    result = services.edition_carry_over(
        former=fp.edition, actor=u["jim"], title="後期基本計画", start_fy=2025, end_fy=2029
    )
    latter = result.edition
    assert (latter.kind, latter.predecessor_id, latter.start_fy) == ("latter", fp.edition.pk, 2025)
    assert (result.areas, result.measures, result.indicators) == (2, 3, 6)
    assert result.baselines_updated == 6
    assert result.baselines_kept == ()
    new = {i.code: i for i in Indicator.objects.filter(measure__area__edition=latter)}
    assert all(new[c].predecessor_id == fp.indicators[c].pk for c in new)
    # latest actual becomes the baseline, with its year
    assert (new["1-1-1"].baseline_value, new["1-1-1"].baseline_fy) == (48.0, 2024)
    assert (new["2-1-1"].baseline_value, new["2-1-1"].baseline_fy) == (62.0, 2024)
    # cumulative indicators restart from 0 before the new period
    assert (new["1-2-1"].baseline_value, new["1-2-1"].baseline_fy) == (0.0, 2024)
    # milestone done → baseline 1; targets left for the departments (milestones: 1)
    assert (new["1-2-2"].baseline_value, new["1-2-2"].target_value) == (1.0, 1.0)
    assert (new["1-1-1"].target_value, new["1-1-1"].target_fy) == (None, 2029)
    m = Measure.objects.get(area__edition=latter, code="1-1")
    assert m.predecessor_id == fp.measures["1-1"].pk
    assert [d.code for d in m.departments.all()] == ["0601"]
    assert m.initiatives.count() == 1
    with pytest.raises(services.EvaluationError) as exc:
        services.edition_carry_over(
            former=fp.edition, actor=u["jim"], title="後期", start_fy=2025, end_fy=2029
        )
    assert str(exc.value) == (
        "「前期基本計画」を引き継いだ基本計画は既にあります。比較の画面で確認してください。"
    )


def test_carry_over_keeps_baseline_without_actuals(setup) -> None:
    fp, _round, u = setup
    IndicatorValue.objects.filter(indicator=fp.indicators["2-1-2"]).delete()
    result = services.edition_carry_over(
        former=fp.edition,
        actor=u["jim"],
        title="後期基本計画",
        start_fy=2025,
        end_fy=2029,
        restart_cumulative=False,
        baseline_up_to_fy=2023,
    )
    assert result.baselines_kept == ("2-1-2",)
    new = {i.code: i for i in Indicator.objects.filter(measure__area__edition=result.edition)}
    assert (new["2-1-2"].baseline_value, new["2-1-2"].baseline_fy) == (35.0, 2018)
    # up to FY2023: 1-1-1 was 47 in 2023; cumulative carried: 3 (running total in 2023)
    assert (new["1-1-1"].baseline_value, new["1-1-1"].baseline_fy) == (47.0, 2023)
    assert (new["1-2-1"].baseline_value, new["1-2-1"].baseline_fy) == (3.0, 2023)


def test_comparison_after_edits_and_merge(setup) -> None:
    fp, _round, u = setup
    latter = services.edition_carry_over(
        former=fp.edition, actor=u["jim"], title="後期基本計画", start_fy=2025, end_fy=2029
    ).edition
    m11 = Measure.objects.get(area__edition=latter, code="1-1")
    m12 = Measure.objects.get(area__edition=latter, code="1-2")
    m21 = Measure.objects.get(area__edition=latter, code="2-1")
    m11.title = "こども・子育て支援の充実"
    m11.save()
    services.measure_merge(kept=m11, absorbed=m12, actor=u["jim"])
    m21.delete()
    Measure.objects.create(area=m11.area, code="1-3", order=3, title="不登校の子どもへの支援")
    ind = Indicator.objects.get(measure=m11, code="1-1-1")
    ind.target_value = 60
    ind.save()
    assert MeasureMerge.objects.filter(former=fp.measures["1-2"], successor=m11).exists()
    assert Indicator.objects.filter(measure=m11).count() == 4  # 2 own + 2 moved
    comparison = selectors.edition_comparison(Edition.objects.get(pk=latter.pk))
    assert [
        (c.kind_label, [r.code for r in c.former], [r.code for r in c.latter])
        for c in comparison.measures
    ] == [
        ("統合", ["1-1", "1-2"], ["1-1"]),
        ("新設", [], ["1-3"]),
        ("廃止", ["2-1"], []),
    ]
    counts = {k.value: v for k, v in comparison.indicator_counts().items()}
    assert counts == {"added": 0, "removed": 2, "changed": 4, "continued": 0}
    changed = next(c for c in comparison.indicators if c.latter_code == "1-1-1")
    assert [(f.label, f.before, f.after) for f in changed.changes] == [
        ("基準値", "40", "48"),
        ("基準値の年度", "平成30（2018）年度", "令和6（2024）年度"),
        ("目標値", "50", "60"),
        ("目標年度", "令和6（2024）年度", "令和11（2029）年度"),
    ]


def test_costs_written_with_breakdown(setup) -> None:
    fp, round_, u = setup
    upload = parsed(
        costs=[cost(2, "P-2", 5000, national=0, prefectural=0, bonds=0, other=0, general=5000)]
    )
    plan = services.entry_plan(round_=round_, parsed=upload, user=u["jim"])
    services.entry_apply(round_=round_, plan=plan, actor=u["jim"])
    row = ProgrammeCost.objects.get(programme=fp.programmes["P-2"], fiscal_year=2024, is_plan=False)
    assert (row.total, row.general) == (5000, 5000)
    report = selectors.round_report(round_)
    p2 = report.measure("2-1").programmes[0]
    assert (p2.cost_plan, p2.cost_actual, p2.total_cost) == (5200, 5000, 5000)
