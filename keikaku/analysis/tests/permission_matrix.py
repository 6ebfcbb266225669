"""Expectations of the opinion-analysis staff URLs for tests/test_permission_matrix.py.

Reading (runs, measures, topics, network, keywords, groups, exports, the lexicon): every staff
role. Starting, re-running and deleting runs, deciding measures, merging or splitting groups,
editing the lexicon and measure keywords need ``analysis.analyse_opinions`` or the plan
editors' right ``plans.change_measure`` (the subcommittee members and the secretariat), or a
superuser. POST-only URLs answer 405 to a GET (anonymous users are sent to sign in first).
"""

from __future__ import annotations

from typing import Any

from keikaku.analysis import services
from keikaku.analysis.models import StopWord, SynonymEntry, UserDictionaryEntry
from tests.test_permission_matrix import EDITORS, EVERY_STAFF, ROLES, Case, only

POST_ONLY = {r: "login" if r == "anonymous" else "method" for r in ROLES}
ANALYSTS = only(*EDITORS)


def objects(world: Any) -> dict[str, Any]:
    services.lexicon_ensure_seeded()  # a transactional test before may have flushed the seed
    plan = world.w.plan
    run = services.run_create(
        edition=plan.edition,
        source="round",
        source_ref=world.objects["round"].pk,
        actor="matrix",
        enqueue=False,
    )
    run = services.run_execute(run_id=run.pk)
    return {
        "a_run": run,
        "a_opinion": run.opinions.order_by("position").first(),
        "a_stop": StopWord.objects.order_by("pk").first(),
        "a_synonym": SynonymEntry.objects.order_by("pk").first(),
        "a_term": UserDictionaryEntry.objects.order_by("pk").first(),
    }


def _run(m: Any) -> dict[str, Any]:
    return {"pk": m.objects["a_run"].pk}


CASES = [
    Case("staff:analysis_home", EVERY_STAFF, EVERY_STAFF),
    Case(
        "staff:analysis_run_new",
        ANALYSTS,
        ANALYSTS,
        data=lambda m: {
            "edition": m.w.plan.edition.pk,
            "source": "round",
            "round": m.objects["round"].pk,
            "id_column": "id",
            "text_column": "text",
            "name": "素案への意見の分析",
            "seed": "0",
            "threshold": "0.1",
        },
    ),
    Case("staff:analysis_run", EVERY_STAFF, EVERY_STAFF, _run),
    Case("staff:analysis_run_status", EVERY_STAFF, EVERY_STAFF, _run),
    Case("staff:analysis_run_rerun", POST_ONLY, ANALYSTS, _run),
    Case("staff:analysis_run_delete", ANALYSTS, ANALYSTS, _run),
    Case(
        "staff:analysis_measure",
        EVERY_STAFF,
        EVERY_STAFF,
        lambda m: {"pk": m.objects["a_run"].pk, "code": "none"},
    ),
    Case(
        "staff:analysis_decide",
        POST_ONLY,
        ANALYSTS,
        lambda m: {"pk": m.objects["a_run"].pk, "opinion_pk": m.objects["a_opinion"].pk},
        lambda m: {"action": "reassign", "measure": m.w.plan.measure.code},
    ),
    Case(
        "staff:analysis_measure_keywords",
        POST_ONLY,
        ANALYSTS,
        lambda m: {"pk": m.objects["a_run"].pk, "measure_pk": m.w.plan.measure.pk},
        lambda m: {"keywords": "保育園"},
    ),
    Case("staff:analysis_topics", EVERY_STAFF, EVERY_STAFF, _run),
    Case("staff:analysis_network", EVERY_STAFF, EVERY_STAFF, _run),
    Case("staff:analysis_keywords", EVERY_STAFF, EVERY_STAFF, _run),
    Case("staff:analysis_groups", EVERY_STAFF, EVERY_STAFF, _run),
    Case(
        "staff:analysis_group_decide",
        POST_ONLY,
        ANALYSTS,
        _run,
        lambda m: {
            "kind": "duplicate",
            "action": "split",
            "opinion_id": m.objects["a_opinion"].opinion_id,
        },
    ),
    Case("staff:analysis_export", EVERY_STAFF, EVERY_STAFF, _run),
    Case("staff:analysis_result_json", EVERY_STAFF, EVERY_STAFF, _run),
    Case(
        "staff:analysis_lexicon",
        EVERY_STAFF,
        ANALYSTS,
        lambda m: {"kind": "stop-words"},
        lambda m: {"lines": "検討"},
    ),
    Case(
        "staff:analysis_lexicon",
        EVERY_STAFF,
        ANALYSTS,
        lambda m: {"kind": "synonyms"},
        lambda m: {"lines": "鶴ヶ島駅,つるがしま駅"},
        label="synonyms",
    ),
    Case(
        "staff:analysis_lexicon",
        EVERY_STAFF,
        ANALYSTS,
        lambda m: {"kind": "user-dictionary"},
        lambda m: {"lines": "つるバス,つるバス,事業"},
        label="user-dictionary",
    ),
    Case(
        "staff:analysis_lexicon_delete",
        POST_ONLY,
        ANALYSTS,
        lambda m: {"kind": "stop-words", "entry_pk": m.objects["a_stop"].pk},
        label="stop-words",
    ),
    Case(
        "staff:analysis_lexicon_delete",
        POST_ONLY,
        ANALYSTS,
        lambda m: {"kind": "synonyms", "entry_pk": m.objects["a_synonym"].pk},
        label="synonyms",
    ),
    Case(
        "staff:analysis_lexicon_delete",
        POST_ONLY,
        ANALYSTS,
        lambda m: {"kind": "user-dictionary", "entry_pk": m.objects["a_term"].pk},
        label="user-dictionary",
    ),
]
