"""Rules of the public recruitment of council members (公募委員の募集).

Pure functions, no Django: the state of a call at a moment, the deadline as the end of a day in
Japan time, the applicant's age on the reference day, the essay's length, receipt numbers, the
duplicate-submit key and the keyed applicant key that spots a second application by the same
person without reading personal data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from keikaku.core.domain.i18n import _

JAPAN = ZoneInfo("Asia/Tokyo")
RECEIPT_PREFIX = "A"  # 公募委員への応募 (Application)
_RECEIPT_RE = re.compile(r"A-(\d{4})-(\d{4,})")
_TOKEN_RE = re.compile(r"[0-9a-f]{32}")
_LINE_BREAKS = re.compile(r"\r\n|\r|\n")


class CallState(StrEnum):
    DRAFT = "draft"  # not published
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"


def call_state_label(state: CallState | str) -> str:
    labels = {
        CallState.DRAFT: _("非公開"),
        CallState.UPCOMING: _("募集前"),
        CallState.OPEN: _("募集中"),
        CallState.CLOSED: _("募集終了"),
    }
    return labels[CallState(state)]


@dataclass(frozen=True)
class CallWindow:
    """The period of a call: applications are accepted from ``starts_at`` (included) until
    ``ends_at`` (excluded). Both are aware datetimes."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    is_published: bool = True

    def __post_init__(self) -> None:
        if self.starts_at.tzinfo is None or self.ends_at.tzinfo is None:
            raise ValueError(_("募集期間の日時にはタイムゾーンが必要です。"))
        if self.ends_at <= self.starts_at:
            raise ValueError(_("締切日時は募集開始日時より後にしてください。"))


def call_state(window: CallWindow, now: dt.datetime) -> CallState:
    """The state of a call at ``now`` (an aware datetime; server time)."""
    if now.tzinfo is None:
        raise ValueError(_("現在時刻にはタイムゾーンが必要です。"))
    if not window.is_published:
        return CallState.DRAFT
    if now < window.starts_at:
        return CallState.UPCOMING
    if now >= window.ends_at:
        return CallState.CLOSED
    return CallState.OPEN


def day_start(day: dt.date) -> dt.datetime:
    """00:00 of a day in Japan time: the moment a call that starts on ``day`` opens."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=JAPAN)


def deadline_end_of_day(day: dt.date) -> dt.datetime:
    """A deadline written as a day (「5月31日必着」) ends when the next day begins in Japan
    time: 2024-05-31 → 2024-06-01 00:00 JST (= 2024-05-31 15:00 UTC), excluded."""
    return day_start(day + dt.timedelta(days=1))


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Full years of age on ``day``: one year more from the birthday on (年齢計算ニ関スル法律
    counts the year as ending with the day before it); a person born on 29 February is a year
    older from 1 March in common years."""
    if day < birth_date:
        raise ValueError(_("生年月日が基準日より後になっています。"))
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def age_band(age: int) -> str:
    """Age band code kept for statistics: 17 → "under20", 34 → "30s", 85 → "80plus"."""
    if age < 20:
        return "under20"
    if age >= 80:
        return "80plus"
    return f"{age // 10 * 10}s"


def age_band_label(band: str) -> str:
    """ "30s" → 「30歳代」, "under20" → 「19歳以下」, "80plus" → 「80歳以上」; unknown → as is."""
    if band == "under20":
        return _("19歳以下")
    if band == "80plus":
        return _("80歳以上")
    if band.endswith("s") and band[:-1].isdigit():
        return _("%(n)s歳代") % {"n": band[:-1]}
    return band


def age_problem(birth_date: dt.date, reference_day: dt.date, min_age: int) -> str | None:
    """Why an applicant cannot apply by age, or None."""
    if birth_date > reference_day:
        return _("生年月日が正しくありません。西暦の年月日で入力してください（例: 1985-04-01）。")
    age = age_on(birth_date, reference_day)
    if age > 130:
        return _("生年月日が正しくありません。西暦の年月日で入力してください（例: 1985-04-01）。")
    if age < min_age:
        return _("応募できるのは、%(day)s時点で%(min)s歳以上の方です。") % {
            "day": f"{reference_day.year}年{reference_day.month}月{reference_day.day}日",
            "min": min_age,
        }
    return None


def essay_length(text: str) -> int:
    """Characters of an essay as a 原稿用紙 count would have them: line breaks are not
    counted, every other character is (a full-width space is a character)."""
    return len(_LINE_BREAKS.sub("", text))


def essay_problem(text: str, *, min_chars: int, max_chars: int) -> str | None:
    """Why an essay cannot be accepted, or None."""
    n = essay_length(text.strip())
    if n == 0:
        return _("作文を入力してください。")
    if n < min_chars:
        return _("作文は%(min)s字以上で書いてください（いまは%(n)s字です。改行は数えません）。") % {
            "min": min_chars,
            "n": n,
        }
    if n > max_chars:
        return _("作文は%(max)s字以内で書いてください（いまは%(n)s字です。改行は数えません）。") % {
            "max": max_chars,
            "n": n,
        }
    return None


def format_receipt(fiscal_year: int, number: int) -> str:
    """(2024, 3) → 「A-2024-0003」: an application, the fiscal year of receipt, a serial."""
    if number < 1:
        raise ValueError(_("受付番号の連番は1以上です。"))
    return f"{RECEIPT_PREFIX}-{fiscal_year}-{number:04d}"


def parse_receipt(text: str) -> tuple[int, int]:
    m = _RECEIPT_RE.fullmatch(text.strip())
    if m is None:
        raise ValueError(
            _("「%(text)s」は受付番号の形（例: A-2024-0003）ではありません。") % {"text": text}
        )
    return int(m.group(1)), int(m.group(2))


def is_form_token(value: str) -> bool:
    """A form token is 32 lower-case hex digits (uuid4().hex), issued with each blank form."""
    return bool(_TOKEN_RE.fullmatch(value))


def submission_key(form_token: str, fields: Sequence[str]) -> str:
    """The duplicate-submit key: the same form (token) sent twice with the same content gives
    the same key, so one application is stored and the same receipt shown again."""
    h = hashlib.sha256()
    h.update(form_token.encode("utf-8"))
    for value in fields:
        h.update(b"\x1f")
        h.update(value.encode("utf-8"))
    return h.hexdigest()


def _normalise_identity(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s\u3000・,，、.-]+", "", folded).lower()


def applicant_key(secret: str, name_kana: str, birth_date: dt.date | None) -> str:
    """A keyed hash of the reading of the name and the birth date: the same person applying
    twice to one call (「つるがしま たろう」 and 「つるがしま　たろう」) gets the same key, so staff
    see a possible duplicate without opening personal data. Empty without both."""
    reading = _normalise_identity(name_kana)
    if not reading or birth_date is None:
        return ""
    mac = hmac.new(
        secret.encode("utf-8"), f"{reading}\x1f{birth_date.isoformat()}".encode(), hashlib.sha256
    )
    return mac.hexdigest()


def retention_until(submitted: dt.date, days: int) -> dt.date:
    """The day after which an applicant's personal data is deleted."""
    if days < 1:
        raise ValueError(_("個人情報の保存日数は1日以上にしてください。"))
    return submitted + dt.timedelta(days=days)
