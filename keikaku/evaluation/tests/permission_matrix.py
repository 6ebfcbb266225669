"""Expectations of the evaluation staff URLs (and the report downloads served by
keikaku.reporting) for tests/test_permission_matrix.py.

Reading (rounds, sheets, reports, the comparison and its export, the entry pages): every
staff role. The entry pages accept a POST from every staff user: each row is checked against
the user's rights (a user without a department, or one who is not the secretariat, can enter
nothing). Every staff role may have the report's PDF made in the background (a POST to the
report-file page) and download the finished file.
Sheets are edited by their department (none of the matrix roles has a department) or by
the secretariat (evaluation.confirm_sheet or plans.change_edition, or a superuser); rounds
are created, set up, filled with sheets and published by the secretariat; the carry-over
and the merge of measures need plans.change_edition. POST-only URLs answer 405 to a GET.
"""

from __future__ import annotations

from typing import Any

from keikaku.evaluation import services
from keikaku.evaluation.models import MeasureEvaluation, ProgrammeEvaluation, ReportFile
from keikaku.plans import models as pm
from tests.test_permission_matrix import EVERY_STAFF, ROLES, SECRETARIAT, Case, only

POST_ONLY = {r: "login" if r == "anonymous" else "method" for r in ROLES}
GET_ONLY = POST_ONLY


def objects(world: Any) -> dict[str, Any]:
    plan = world.w.plan
    round_ = services.round_create(edition=plan.edition, fiscal_year=2025, actor="matrix")
    former = pm.Edition.objects.create(
        plan=pm.ComprehensivePlan.objects.create(
            municipality=plan.municipality,
            title="第5次総合計画",
            ordinal=5,
            start_fy=2010,
            end_fy=2019,
        ),
        kind="former",
        title="第5次 前期基本計画",
        start_fy=2010,
        end_fy=2014,
    )
    area = pm.PolicyArea.objects.create(edition=former, number=1, title="子育て")
    pm.Measure.objects.create(area=area, code="1-1", title="子育て支援")
    latter = services.edition_carry_over(
        former=former, actor="matrix", title="第5次 後期基本計画", start_fy=2015, end_fy=2019
    ).edition
    done = ReportFile.objects.create(
        round=round_,
        status=ReportFile.Status.DONE,
        progress=100,
        content=b"%PDF-1.7 stub",
        size=13,
        requested_by_name="matrix",
    )
    return {
        "e_round": round_,
        "e_report_file": done,
        "e_sheet": MeasureEvaluation.objects.filter(round=round_).order_by("pk").first(),
        "e_programme_sheet": ProgrammeEvaluation.objects.filter(round=round_)
        .order_by("pk")
        .first(),
        "e_latter": latter,
    }


def _round(m: Any) -> dict[str, Any]:
    return {"pk": m.objects["e_round"].pk}


def _sheet(key: str) -> Any:
    return lambda m: {"pk": m.objects["e_round"].pk, "sheet_pk": m.objects[key].pk}


SEC = only(*SECRETARIAT)

CASES = [
    Case("staff:evaluation_home", EVERY_STAFF, SEC),
    Case("staff:evaluation_round", EVERY_STAFF, EVERY_STAFF, _round),
    Case("staff:evaluation_round_edit", SEC, SEC, _round),
    Case("staff:evaluation_round_sync", POST_ONLY, SEC, _round),
    Case("staff:evaluation_round_publish", POST_ONLY, SEC, _round),
    Case("staff:evaluation_round_unpublish", POST_ONLY, SEC, _round),
    Case("staff:evaluation_measure_sheet", EVERY_STAFF, SEC, _sheet("e_sheet")),
    Case("staff:evaluation_programme_sheet", EVERY_STAFF, SEC, _sheet("e_programme_sheet")),
    Case("staff:evaluation_report_file", EVERY_STAFF, EVERY_STAFF, _round),
    Case("staff:evaluation_report_file_status", EVERY_STAFF, GET_ONLY, _round),
    Case(
        "staff:evaluation_report_file_download",
        EVERY_STAFF,
        GET_ONLY,
        lambda m: {"pk": m.objects["e_round"].pk, "file_pk": m.objects["e_report_file"].pk},
    ),
    Case("staff:evaluation_upload", EVERY_STAFF, EVERY_STAFF, _round),
    Case("staff:evaluation_upload_template", EVERY_STAFF, GET_ONLY, _round),
    Case("staff:evaluation_grid", EVERY_STAFF, EVERY_STAFF, _round),
    Case("staff:evaluation_carry_over", SEC, SEC),
    Case(
        "staff:evaluation_comparison",
        EVERY_STAFF,
        SEC,
        lambda m: {"edition_pk": m.objects["e_latter"].pk},
    ),
    Case(
        "staff:evaluation_comparison_export",
        EVERY_STAFF,
        GET_ONLY,
        lambda m: {"edition_pk": m.objects["e_latter"].pk, "fmt": "csv"},
    ),
    Case(
        "staff:evaluation_comparison_download",
        EVERY_STAFF,
        GET_ONLY,
        lambda m: {"edition_pk": m.objects["e_latter"].pk, "fmt": "xlsx"},
    ),
    Case(
        "staff:evaluation_report",
        EVERY_STAFF,
        GET_ONLY,
        lambda m: {"pk": m.objects["e_round"].pk, "fmt": "xlsx"},
    ),
]
