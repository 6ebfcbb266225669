"""What answering costs: the code, its wave and its draft in one query, exact statements per
request, no session; and the one-query reading gives the same objects as the ORM."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from keikaku.surveys import services
from keikaku.surveys.models import AccessCode, AnswerDraft, SurveyResponse
from keikaku.surveys.questionnaire import pages_of
from keikaku.surveys.tests.factories import ACTOR, make_wave

pytestmark = pytest.mark.django_db


def _fields(obj) -> dict:
    return {k: v for k, v in vars(obj).items() if k != "_state"}


def _verbs(queries: CaptureQueriesContext, *, surveys_only: bool = False) -> list[str]:
    """The first word of every statement, with the first table for reads and writes.
    ``surveys_only``: only statements on the survey's tables (a page also renders the
    site's header and footer, which belong to other apps)."""
    out = []
    for q in queries.captured_queries:
        sql = q["sql"]
        verb = sql.split()[0]
        tables = [t for t in sql.replace('"', " ").split() if "_" in t and t.islower()]
        table = next((t for t in tables if t.startswith("surveys_")), None)
        if surveys_only and table is None:
            continue
        out.append(f"{verb} {table}" if verb in ("SELECT", "UPDATE", "INSERT", "DELETE") else verb)
    return out


@pytest.fixture
def answering():
    """A citizen who entered their code (the signed cookie is set) and saved page 1."""
    wave = make_wave()
    (code,) = services.access_codes_generate(wave=wave, actor=ACTOR, count=1)
    client = Client()
    client.post(reverse("survey:entry"), {"code": code.code})
    client.post(reverse("survey:page", args=[1]), {"gender": "2", "nav": "next"})
    return client, code


# --------------------------------------------------------------------------- the reading


def test_the_one_query_reading_gives_what_the_orm_gives():
    wave = make_wave()
    with_draft, without = services.access_codes_generate(wave=wave, actor=ACTOR, count=2)
    services.answer_draft_save(
        access_code=with_draft, columns=["gender"], cells={"gender": "女性"}, page=2
    )
    for code in (with_draft, without):
        orm = AccessCode.objects.select_related("wave", "draft").get(pk=code.pk)
        with CaptureQueriesContext(connection) as queries:
            fast = services.access_code_for_answering(code.pk)
            assert fast is not None
            assert _fields(fast) == _fields(orm)
            assert _fields(fast.wave) == _fields(orm.wave)
            known, draft = services.loaded_draft(fast)
            assert known is True
            if code is with_draft:
                assert draft is not None
                assert _fields(draft) == _fields(orm.draft)
                assert draft.answers == {"gender": "女性"} and draft.page == 2
                assert draft.access_code is fast
            else:
                assert draft is None
                with pytest.raises(AnswerDraft.DoesNotExist):
                    fast.draft  # noqa: B018 - known to be absent, without a query
        assert len(queries) == 1
    assert services.access_code_for_answering(999_999) is None


def test_a_code_read_the_usual_way_has_no_known_draft():
    wave = make_wave()
    (code,) = services.access_codes_generate(wave=wave, actor=ACTOR, count=1)
    assert services.loaded_draft(AccessCode.objects.get(pk=code.pk)) == (False, None)


def test_a_stale_draft_read_with_the_code_loses_no_answer():
    """Another tab saved page 2 after this request read the code: the compare-and-set
    notices, reads again and keeps both pages."""
    wave = make_wave()
    (code,) = services.access_codes_generate(wave=wave, actor=ACTOR, count=1)
    services.answer_draft_save(
        access_code=code, columns=["gender"], cells={"gender": "女性"}, page=2
    )
    stale = services.access_code_for_answering(code.pk)
    assert stale is not None
    services.answer_draft_save(
        access_code=AccessCode.objects.get(pk=code.pk),
        columns=["overall"],
        cells={"overall": "2"},
        page=3,
    )
    services.answer_draft_save(
        access_code=stale, columns=["gender"], cells={"gender": "男性"}, page=2
    )
    draft = AnswerDraft.objects.get(access_code=code)
    assert draft.answers == {"gender": "男性", "overall": "2"}
    assert draft.page == 3


# --------------------------------------------------------------------------- per request


def test_saving_a_page_reads_once_and_writes_once(answering):
    client, _code = answering
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("survey:page", args=[2]), {"overall": "2", "nav": "next"})
    assert response["Location"] == reverse("survey:page", args=[3])
    assert _verbs(queries) == ["SELECT surveys_accesscode", "UPDATE surveys_answerdraft"]


def test_the_first_save_creates_the_draft(client):
    wave = make_wave()
    (code,) = services.access_codes_generate(wave=wave, actor=ACTOR, count=1)
    client.post(reverse("survey:entry"), {"code": code.code})
    pages_of(wave)  # the questions, kept in memory once answering has started
    with CaptureQueriesContext(connection) as queries:
        client.post(reverse("survey:page", args=[1]), {"gender": "2", "nav": "next"})
    assert _verbs(queries) == [
        "SELECT surveys_accesscode",
        "SAVEPOINT",
        "INSERT surveys_answerdraft",
        "RELEASE",
    ]


def test_showing_a_page_and_the_confirmation_reads_the_survey_once(answering):
    client, _code = answering
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("survey:page", args=[1]))
    assert page.status_code == 200
    assert _verbs(queries, surveys_only=True) == ["SELECT surveys_accesscode"]
    with CaptureQueriesContext(connection) as queries:
        confirm = client.get(reverse("survey:confirm"))
    assert "女性" in confirm.content.decode()
    assert _verbs(queries, surveys_only=True) == ["SELECT surveys_accesscode"]


def test_the_final_submission_is_one_read_and_one_transaction(answering):
    client, code = answering
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("survey:submit"))
    assert response["Location"] == reverse("survey:done")
    # inside the test's transaction the submission's own is a savepoint
    assert _verbs(queries) == [
        "SELECT surveys_accesscode",
        "SAVEPOINT",
        "UPDATE surveys_accesscode",
        "INSERT surveys_surveyresponse",
        "DELETE surveys_answerdraft",
        "RELEASE",
    ]
    assert SurveyResponse.objects.get().answers == {"gender": "女性"}
    assert AccessCode.objects.get(pk=code.pk).used_at is not None


def test_answering_never_creates_or_reads_a_session(answering):
    client, _code = answering
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("survey:page", args=[2]))
        client.post(reverse("survey:page", args=[2]), {"overall": "1", "nav": "next"})
        client.post(reverse("survey:submit"))
    assert not any("django_session" in q["sql"] for q in queries.captured_queries)
    assert "sessionid" not in client.cookies
