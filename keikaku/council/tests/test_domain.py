"""Pure rules of the council app (no database): calls, ages, essays, receipts, bills, the
plan's adoption, quorum, minutes and PDF checks."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keikaku.council.domain import bills as b
from keikaku.council.domain import meetings as mt
from keikaku.council.domain import recruitment as r

UTC = dt.UTC


# --- calls and deadlines ------------------------------------------------------------------------


def test_deadline_written_as_a_day_ends_at_midnight_japan_time():
    end = r.deadline_end_of_day(dt.date(2024, 5, 31))
    # 2024-06-01 00:00 JST = 2024-05-31 15:00 UTC
    assert end == dt.datetime(2024, 5, 31, 15, 0, tzinfo=UTC)
    assert r.day_start(dt.date(2024, 5, 1)) == dt.datetime(2024, 4, 30, 15, 0, tzinfo=UTC)


def test_call_state_at_the_boundaries_in_japan_time():
    window = r.CallWindow(
        starts_at=r.day_start(dt.date(2024, 5, 1)),
        ends_at=r.deadline_end_of_day(dt.date(2024, 5, 31)),
    )
    jst = r.JAPAN
    assert r.call_state(window, dt.datetime(2024, 4, 30, 23, 59, 59, tzinfo=jst)) == "upcoming"
    assert r.call_state(window, dt.datetime(2024, 5, 1, 0, 0, tzinfo=jst)) == "open"
    # The last second of 31 May in Japan is still open; in UTC it is 14:59:59.
    assert r.call_state(window, dt.datetime(2024, 5, 31, 14, 59, 59, tzinfo=UTC)) == "open"
    assert r.call_state(window, dt.datetime(2024, 5, 31, 23, 59, 59, tzinfo=jst)) == "open"
    # 15:00 UTC on 31 May is already 1 June in Japan: closed, though it is still 31 May in UTC.
    assert r.call_state(window, dt.datetime(2024, 5, 31, 15, 0, tzinfo=UTC)) == "closed"
    unpublished = r.CallWindow(window.starts_at, window.ends_at, is_published=False)
    assert r.call_state(unpublished, dt.datetime(2024, 5, 10, tzinfo=jst)) == "draft"
    assert r.call_state_label("open") == "募集中"
    assert r.call_state_label("closed") == "募集終了"


def test_call_window_refuses_naive_times_and_reversed_periods():
    with pytest.raises(ValueError, match="タイムゾーンが必要です"):
        r.CallWindow(dt.datetime(2024, 5, 1), dt.datetime(2024, 5, 31))
    with pytest.raises(ValueError, match="締切日時は募集開始日時より後にしてください。"):
        r.CallWindow(r.day_start(dt.date(2024, 5, 31)), r.day_start(dt.date(2024, 5, 1)))


# --- age --------------------------------------------------------------------------------------


def test_age_on_counts_full_years_and_29_february():
    assert r.age_on(dt.date(2006, 4, 2), dt.date(2024, 4, 1)) == 17
    assert r.age_on(dt.date(2006, 4, 1), dt.date(2024, 4, 1)) == 18
    # Born on 29 February 2004: in the common year 2023 the year turns on 1 March.
    assert r.age_on(dt.date(2004, 2, 29), dt.date(2023, 2, 28)) == 18
    assert r.age_on(dt.date(2004, 2, 29), dt.date(2023, 3, 1)) == 19
    assert r.age_on(dt.date(2004, 2, 29), dt.date(2024, 2, 29)) == 20


@given(
    birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2030, 12, 31)),
    days=st.integers(min_value=0, max_value=40000),
)
def test_age_never_decreases_and_matches_whole_years(birth, days):
    day = birth + dt.timedelta(days=days)
    age = r.age_on(birth, day)
    assert age >= 0
    assert r.age_on(birth, day + dt.timedelta(days=1)) in (age, age + 1)
    # between 365*age and 366*(age+1) days have passed
    assert 365 * age <= days < 366 * (age + 1)


def test_age_problem_messages():
    ref = dt.date(2024, 5, 31)
    assert r.age_problem(dt.date(1985, 4, 1), ref, 18) is None
    assert (
        r.age_problem(dt.date(2006, 6, 1), ref, 18)
        == "応募できるのは、2024年5月31日時点で18歳以上の方です。"
    )
    assert (
        r.age_problem(dt.date(2025, 1, 1), ref, 18)
        == "生年月日が正しくありません。西暦の年月日で入力してください（例: 1985-04-01）。"
    )


def test_age_bands():
    assert [r.age_band(a) for a in (17, 20, 34, 79, 80, 95)] == [
        "under20",
        "20s",
        "30s",
        "70s",
        "80plus",
        "80plus",
    ]
    assert r.age_band_label("30s") == "30歳代"
    assert r.age_band_label("under20") == "19歳以下"
    assert r.age_band_label("80plus") == "80歳以上"


# --- essay, receipts, keys ----------------------------------------------------------------------


def test_essay_length_ignores_line_breaks_only():
    # 「髙」「𠮷」 are one character each; the full-width space counts; \r\n and \n do not.
    assert r.essay_length("髙𠮷\r\nまち　づくり\n") == 2 + 6
    assert r.essay_problem("あ" * 399, min_chars=400, max_chars=800) == (
        "作文は400字以上で書いてください（いまは399字です。改行は数えません）。"
    )
    assert r.essay_problem("あ" * 801, min_chars=400, max_chars=800) == (
        "作文は800字以内で書いてください（いまは801字です。改行は数えません）。"
    )
    assert r.essay_problem("あ" * 400 + "\n" * 5, min_chars=400, max_chars=400) is None
    assert r.essay_problem(" \n ", min_chars=1, max_chars=10) == "作文を入力してください。"


@given(st.text(alphabet=st.sampled_from("あ髙𠮷 \n\r　"), max_size=200))
def test_essay_length_is_length_without_line_breaks(text):
    assert r.essay_length(text) == len(text.replace("\r\n", "").replace("\r", "").replace("\n", ""))


def test_receipt_numbers_round_trip():
    assert r.format_receipt(2024, 3) == "A-2024-0003"
    assert r.parse_receipt(" A-2024-0003 ") == (2024, 3)
    with pytest.raises(ValueError, match="受付番号の形"):
        r.parse_receipt("C-2024-00003")
    with pytest.raises(ValueError, match="1以上"):
        r.format_receipt(2024, 0)


def test_submission_key_depends_on_token_and_content():
    t = "0123456789abcdef0123456789abcdef"
    assert r.is_form_token(t)
    assert not r.is_form_token("not-a-token")
    k = r.submission_key(t, ["髙橋", "作文"])
    assert k == r.submission_key(t, ["髙橋", "作文"])
    assert k != r.submission_key(t, ["髙橋", "作文。"])
    assert k != r.submission_key("f" * 32, ["髙橋", "作文"])
    # field boundaries matter: ("ab", "c") is not ("a", "bc")
    assert r.submission_key(t, ["ab", "c"]) != r.submission_key(t, ["a", "bc"])


def test_applicant_key_folds_spaces_and_width():
    born = dt.date(1985, 4, 1)
    a = r.applicant_key("secret", "よしだ はなこ", born)
    assert a == r.applicant_key("secret", "よしだ　はなこ", born)
    assert a == r.applicant_key("secret", "よしだはなこ", born)
    assert a != r.applicant_key("secret", "よしだはなこ", dt.date(1985, 4, 2))
    assert a != r.applicant_key("other", "よしだはなこ", born)
    assert r.applicant_key("secret", "", born) == ""
    assert r.applicant_key("secret", "よしだ", None) == ""


def test_retention():
    assert r.retention_until(dt.date(2024, 5, 31), 1825) == dt.date(2029, 5, 30)
    with pytest.raises(ValueError, match="1日以上"):
        r.retention_until(dt.date(2024, 5, 31), 0)


# --- bills and adoption -------------------------------------------------------------------------


def facts(**kw):
    base = {"number": "議案第71号", "result": b.BillResult.PENDING}
    base.update(kw)
    return b.BillFacts(**base)


def test_a_passed_bill_needs_its_vote_day_and_consistent_counts():
    ok = facts(
        result=b.BillResult.PASSED,
        submitted_on=dt.date(2024, 11, 29),
        committee="総務常任委員会",
        committee_decided_on=dt.date(2024, 12, 9),
        committee_result="passed",
        vote_on=dt.date(2024, 12, 19),
        votes_for=15,
        votes_against=2,
        effective_on=dt.date(2025, 4, 1),
    )
    assert b.bill_problems(ok) == []
    assert b.bill_problems(facts(result=b.BillResult.PASSED)) == [
        ("vote_on", "「原案可決」の議案には議決日を入力してください。")
    ]
    assert b.bill_problems(
        facts(
            result=b.BillResult.PASSED, vote_on=dt.date(2024, 12, 19), votes_for=2, votes_against=15
        )
    ) == [("votes_for", "可決なのに賛成（2）が反対（15）より少なくなっています。")]
    assert b.bill_problems(
        facts(
            result=b.BillResult.REJECTED,
            vote_on=dt.date(2024, 12, 19),
            votes_for=15,
            votes_against=2,
        )
    ) == [("votes_for", "否決なのに賛成（15）が反対（2）より多くなっています。")]
    # a tie is decided by the chair: either result is allowed
    tie = {"vote_on": dt.date(2024, 12, 19), "votes_for": 8, "votes_against": 8}
    assert b.bill_problems(facts(result=b.BillResult.PASSED, **tie)) == []
    assert b.bill_problems(facts(result=b.BillResult.REJECTED, **tie)) == []


def test_bill_problems_dates_and_half_entered_votes():
    assert b.bill_problems(
        facts(
            result=b.BillResult.PASSED,
            submitted_on=dt.date(2024, 12, 20),
            vote_on=dt.date(2024, 12, 19),
        )
    ) == [("vote_on", "議決日は提出日以降の日にしてください。")]
    assert b.bill_problems(facts(votes_for=15)) == [
        ("votes_for", "採決していない議案（審議中・撤回）には賛成・反対の数を入力できません。"),
        ("votes_against", "賛成と反対の数は両方入力してください（全会一致なら反対は 0）。"),
    ]
    assert b.bill_problems(facts(vote_on=dt.date(2024, 12, 19))) == [
        ("result", "議決日が入力されています。議決の結果を選んでください。")
    ]
    assert b.bill_problems(facts(committee_decided_on=dt.date(2024, 12, 9))) == [
        ("committee", "委員会の審査日を入力したときは、付託した委員会名も入力してください。")
    ]
    assert b.bill_problems(facts(committee_result="passed")) == [
        ("committee_decided_on", "委員会の審査結果を入力したときは、審査日も入力してください。")
    ]
    assert b.bill_problems(facts(effective_on=dt.date(2025, 4, 1))) == [
        ("effective_on", "施行日は可決した議案にだけ入力できます。")
    ]


def test_vote_summary():
    assert b.vote_summary(15, 2) == "賛成15、反対2"
    assert b.vote_summary(18, 0) == "全会一致（賛成18）"
    assert b.vote_summary(None, None) == ""


def ref(i, target, result, vote_on=None, submitted_on=dt.date(2024, 11, 29), effective_on=None):
    return b.BillRef(
        id=i,
        target=b.BillTarget(target),
        result=b.BillResult(result),
        submitted_on=submitted_on,
        vote_on=vote_on,
        effective_on=effective_on,
    )


def test_adoption_follows_the_basic_plan_bill():
    assert b.adoption_of([]) == b.Adoption(state=b.AdoptionState.NONE)
    pending = ref(2, "basic_plan", "pending")
    assert b.adoption_of([pending]).state == "submitted"
    concept = ref(1, "basic_concept", "passed", vote_on=dt.date(2024, 11, 29))
    plan = ref(
        2, "basic_plan", "passed", vote_on=dt.date(2024, 12, 19), effective_on=dt.date(2025, 4, 1)
    )
    assert b.adoption_of([concept, plan]) == b.Adoption(
        state=b.AdoptionState.ENACTED,
        plan_bill_id=2,
        adopted_on=dt.date(2024, 12, 19),
        concept_bill_id=1,
        concept_adopted_on=dt.date(2024, 11, 29),
        effective_on=dt.date(2025, 4, 1),
    )
    # only the concept has passed so far
    assert b.adoption_of([concept]) == b.Adoption(
        state=b.AdoptionState.NONE, concept_bill_id=1, concept_adopted_on=dt.date(2024, 11, 29)
    )


def test_a_rejected_plan_bill_then_a_new_bill_that_passes():
    rejected = ref(2, "basic_plan", "rejected", vote_on=dt.date(2024, 12, 19))
    assert b.adoption_of([rejected]).state == "rejected"
    assert b.adoption_of([rejected]).adopted_on is None
    again = ref(
        3, "basic_plan", "amended", vote_on=dt.date(2025, 3, 14), submitted_on=dt.date(2025, 2, 20)
    )
    adoption = b.adoption_of([rejected, again])
    assert (adoption.state, adoption.plan_bill_id, adoption.adopted_on) == (
        "enacted",
        3,
        dt.date(2025, 3, 14),
    )
    withdrawn = ref(4, "basic_plan", "withdrawn")
    assert b.adoption_of([withdrawn]) == b.Adoption(state=b.AdoptionState.NONE)
    assert b.adoption_state_label("enacted") == "議決済"


# --- meetings -----------------------------------------------------------------------------------


def test_quorum_is_a_majority():
    assert [mt.quorum_of(n) for n in (1, 2, 15, 20)] == [1, 2, 8, 11]
    with pytest.raises(ValueError, match="1以上"):
        mt.quorum_of(0)


@given(st.integers(min_value=1, max_value=500))
def test_quorum_is_the_smallest_majority(seats):
    q = mt.quorum_of(seats)
    assert 2 * q > seats
    assert 2 * (q - 1) <= seats


def test_attendance_summary():
    s = mt.attendance_summary([True] * 7 + [False] * 5, 12)
    # 12 seats → quorum 12 // 2 + 1 = 7; 7 present → quorate
    assert s == mt.AttendanceSummary(present=7, absent=5, seats=12, quorum=7, quorate=True)
    assert mt.attendance_summary([True] * 6 + [False] * 6, 12).quorate is False
    assert mt.attendance_summary([True, False], None) == mt.AttendanceSummary(
        1, 1, None, None, None
    )


def test_terms_agenda_and_labels():
    assert mt.term_covers(dt.date(2023, 7, 1), dt.date(2025, 6, 30), dt.date(2025, 6, 30))
    assert not mt.term_covers(dt.date(2023, 7, 1), dt.date(2025, 6, 30), dt.date(2025, 7, 1))
    assert mt.term_covers(dt.date(2023, 7, 1), None, dt.date(2040, 1, 1))
    assert mt.term_problem(dt.date(2025, 7, 1), dt.date(2025, 6, 30)) == (
        "任期の終わりは任期の始まりより後の日にしてください。"
    )
    assert mt.agenda_items("・素案の審議\n\n- その他\n  報告  ") == ("素案の審議", "その他", "報告")
    assert mt.meeting_label(3) == "第3回"


def test_minutes_are_published_only_after_approval_of_a_public_meeting():
    assert mt.minutes_publish_problem(status="draft", meeting_published=True, has_content=True) == (
        "議事録はまだ確認（承認）されていません。会長・委員の確認を経て「確認済にする」を押してから公開してください。"
    )
    assert mt.minutes_publish_problem(
        status="approved", meeting_published=False, has_content=True
    ) == ("会議そのものが公開されていません。先に会議を公開してください。")
    assert mt.minutes_publish_problem(
        status="approved", meeting_published=True, has_content=False
    ) == ("議事録の本文かPDFを登録してから公開してください。")
    assert (
        mt.minutes_publish_problem(status="approved", meeting_published=True, has_content=True)
        is None
    )


def test_pdf_problem_checks_magic_bytes_and_size():
    assert mt.pdf_problem(b"%PDF-1.7\n...", name="資料.pdf", max_bytes=100) is None
    assert mt.pdf_problem(b"PK\x03\x04", name="資料.pdf", max_bytes=100) == (
        "「資料.pdf」は PDF ファイルではありません（ファイルの先頭が %PDF- ではありません）。PDF で保存したファイルを選んでください。"
    )
    assert mt.pdf_problem(b"", name="空.pdf", max_bytes=100) == (
        "「空.pdf」は空のファイルです。PDF を選び直してください。"
    )
    # 2 MiB + 1 byte against a 2 MiB limit: 2097153 / 1048576 = 2.0000009… → 「2.0MB」
    big = b"%PDF-" + b"0" * (2 * 1024 * 1024 - 4)
    assert mt.pdf_problem(big, name="大.pdf", max_bytes=2 * 1024 * 1024) == (
        "「大.pdf」は 2.0MB あり、上限の 2.0MB を超えています。ファイルを分けるか圧縮してください。"
    )
    assert mt.format_size(1536) == "2KB"
    assert mt.format_size(3 * 1024 * 1024) == "3.0MB"
