"""Rules of receiving an opinion: receipt numbers, duplicate-submit keys, submitter keys,
the comment period and plain-text checks. Pure functions, no Django."""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from keikaku.core.domain.i18n import _

# Receipt prefixes by where an opinion came in.
PREFIX_PROPOSAL = "P"  # 常時募集の意見・提案 (web, paper, FAX, mail, e-mail, phone)
PREFIX_PUBLIC_COMMENT = "C"  # パブリックコメント
PREFIX_HEARING = "H"  # 意見交換・ヒアリング
PREFIX_SURVEY = "S"  # 市民意識調査の自由記述
PREFIXES = (PREFIX_PROPOSAL, PREFIX_PUBLIC_COMMENT, PREFIX_HEARING, PREFIX_SURVEY)

MIN_PERIOD_DAYS = 30  # 行政手続法 第39条第3項: 公示の日から起算して30日以上
_RECEIPT_RE = re.compile(r"([A-Z])-(\d{4})-(\d{5,})")
_TOKEN_RE = re.compile(r"[0-9a-f]{32}")
# Control characters other than tab and line breaks are not text a person types.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029\ufeff]")


@dataclass(frozen=True)
class Receipt:
    prefix: str
    fiscal_year: int
    number: int

    @property
    def text(self) -> str:
        return format_receipt(self.prefix, self.fiscal_year, self.number)


def sequence_key(prefix: str, fiscal_year: int) -> str:
    """The name of the counter a receipt number is drawn from: one per prefix and year."""
    if prefix not in PREFIXES:
        raise ValueError(_("受付番号の種類「%(prefix)s」は使えません。") % {"prefix": prefix})
    return f"{prefix}-{fiscal_year}"


def format_receipt(prefix: str, fiscal_year: int, number: int) -> str:
    """("C", 2024, 7) → 「C-2024-00007」: kind, fiscal year of receipt, serial number."""
    if number < 1:
        raise ValueError(_("受付番号の連番は1以上です。"))
    return f"{sequence_key(prefix, fiscal_year)}-{number:05d}"


def parse_receipt(text: str) -> Receipt:
    m = _RECEIPT_RE.fullmatch(text.strip())
    if m is None or m.group(1) not in PREFIXES:
        raise ValueError(
            _("「%(text)s」は受付番号の形（例: C-2024-00007）ではありません。") % {"text": text}
        )
    return Receipt(m.group(1), int(m.group(2)), int(m.group(3)))


def is_form_token(value: str) -> bool:
    """A form token is 32 lower-case hex digits (uuid4().hex), issued with each blank form."""
    return bool(_TOKEN_RE.fullmatch(value))


def submission_key(form_token: str, fields: Sequence[str]) -> str:
    """The duplicate-submit key: the same form (token) posted with the same content twice
    gives the same key, so one opinion is stored and the same receipt shown. Changed content
    under the same token (the back button, an edit, a second send) is a new opinion."""
    h = hashlib.sha256()
    h.update(form_token.encode("utf-8"))
    for value in fields:
        h.update(b"\x1f")
        h.update(value.encode("utf-8"))
    return h.hexdigest()


def _normalise_identity(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s\u3000・,，、.-]+", "", folded).lower()


def submitter_key(secret: str, name: str, address: str) -> str:
    """A keyed hash of name and address, for counting submitters (提出者数) without
    reading personal data: 「鶴ヶ島 太郎」 and 「鶴ヶ島　太郎」 at the same address count once.
    Empty when both are blank (then each opinion counts as its own submitter)."""
    n, a = _normalise_identity(name), _normalise_identity(address)
    if not n and not a:
        return ""
    mac = hmac.new(secret.encode("utf-8"), f"{n}\x1f{a}".encode(), hashlib.sha256)
    return mac.hexdigest()


def period_days(start: date, end: date) -> int:
    """Days of a comment period counted from the day of publication, both days included:
    2024-06-01 … 2024-06-30 is 30 days."""
    return (end - start).days + 1


def period_problem(start: date, end: date, reason: str) -> str | None:
    """Why a period cannot be saved, or None. Shorter than 30 days needs a reason."""
    if end < start:
        return _("締切日は募集開始日より後にしてください。")
    days = period_days(start, end)
    if days < MIN_PERIOD_DAYS and not reason.strip():
        return _(
            "意見募集の期間が%(days)s日間で、30日に足りません。30日未満とする理由を「期間を短くする理由」に書いてください。"
        ) % {"days": days}
    return None


def plain_text_problem(text: str, *, label: str, max_chars: int, required: bool) -> str | None:
    """A message if the text cannot be accepted as plain text of at most max_chars."""
    if required and not text.strip():
        return _("「%(label)s」を入力してください。") % {"label": label}
    if len(text) > max_chars:
        return _(
            "「%(label)s」は%(max)s文字以内で入力してください（いまは%(count)s文字です）。"
            "長い場合は、いくつかに分けて送ってください。"
        ) % {"label": label, "max": f"{max_chars:,}", "count": f"{len(text):,}"}
    bad = _CONTROL_RE.search(text)
    if bad is not None:
        line = text[: bad.start()].count("\n") + 1
        return _(
            "「%(label)s」の%(line)s行目に、文字として表示できない制御文字があります。その文字を消してください。"
        ) % {"label": label, "line": line}
    return None


def normalise_newlines(text: str) -> str:
    """Browsers send CRLF; the stored text keeps the citizen's words with LF line breaks."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
