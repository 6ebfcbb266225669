"""Expectations of the report downloads served by keikaku.reporting (in the staff namespace
under /staff/evaluation/…) for tests/test_permission_matrix.py.

The staff evaluation report (PDF, Excel; live data) and the comparison of the former and the
latter plan (Excel, CSV) are for every staff role to read (keikaku.accounts.rules
staff_required); they are downloads only: a POST is refused with 405 after the sign-in check
(an anonymous visitor is sent to sign in). The Excel report and the CSV comparison are in
keikaku/evaluation/tests/permission_matrix.py; these are the other formats, on the sample
round and latter edition that module builds (the PDF renderer is a stub in the matrix).
"""

from __future__ import annotations

from typing import Any

from tests.test_permission_matrix import EVERY_STAFF, ROLES, Case

GET_ONLY = {r: "login" if r == "anonymous" else "method" for r in ROLES}


def objects(world: Any) -> dict[str, Any]:
    missing = {"e_round", "e_latter"} - set(world.objects)
    assert not missing, (
        f"The reporting expectations use the evaluation module's sample objects {missing}: "
        "keikaku.evaluation must come before keikaku.reporting in INSTALLED_APPS."
    )
    return {}


CASES = [
    Case(
        "staff:evaluation_report",
        EVERY_STAFF,
        GET_ONLY,
        lambda m: {"pk": m.objects["e_round"].pk, "fmt": "pdf"},
        label="pdf",
    ),
    Case(
        "staff:evaluation_comparison_export",
        EVERY_STAFF,
        GET_ONLY,
        lambda m: {"edition_pk": m.objects["e_latter"].pk, "fmt": "xlsx"},
        label="xlsx",
    ),
]
