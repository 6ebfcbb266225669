"""Japanese text and CSV handling shared by every importer and exporter.

- read: UTF-8 (with or without BOM) or CP932, decided strictly, never guessed silently;
- write: UTF-8 with BOM by default (Excel opens it correctly); CP932 only on request, and
  then every character CP932 cannot hold is reported instead of being replaced;
- formula-injection guard for text cells bound for a spreadsheet;
- normalisation for matching only (citizens' text itself is always kept as written).
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from keikaku.core.domain.i18n import _

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class TextDecodeError(ValueError):
    """The bytes are neither UTF-8 nor CP932."""


class CsvFormatError(ValueError):
    """The CSV's shape loses data (duplicate header names, values beyond the header)."""


class NumberParseError(ValueError):
    """A cell that should hold a number does not."""


class UnencodableError(ValueError):
    """Some characters cannot be written in the requested encoding."""

    def __init__(
        self,
        encoding: str,
        characters: Sequence[str],
        *,
        positions: Mapping[str, tuple[int, int]] | None = None,
    ) -> None:
        self.encoding = encoding
        self.characters = list(dict.fromkeys(characters))
        self.positions = dict(positions or {})

        def show(c: str) -> str:
            where = self.positions.get(c)
            if where is None:
                return f"「{c}」"
            return f"「{c}」（{where[0]}行目{where[1]}列目）"

        shown = "、".join(show(c) for c in self.characters[:10])
        if len(self.characters) > 10:
            shown += _("ほか%(count)s文字") % {"count": len(self.characters) - 10}
        super().__init__(
            _(
                "%(encoding)s では書き出せない文字があります: %(chars)s。UTF-8 で書き出してください。"
            )
            % {"encoding": encoding.upper(), "chars": shown}
        )


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str  # "utf-8-sig", "utf-8" or "cp932"


# Python's cp932 codec maps these lone bytes, which are not characters of Windows-31J
# text, to U+0080 and private-use U+F8F0–U+F8F3. Text holding them is not CP932 (often
# UTF-16 or binary data), so it is refused rather than read as garbage.
_CP932_STRAY = re.compile("[\x80\uf8f0-\uf8f3]")


def _line_of(data: bytes, offset: int) -> int:
    return data[:offset].count(b"\n") + 1


def _decode_error(source: str, message: str) -> TextDecodeError:
    advice = _("UTF-8 または Shift_JIS（CP932）で保存したファイルを使ってください。")
    return TextDecodeError((f"{source}: " if source else "") + message + advice)


def _undecodable_line(source: str, data: bytes, offset: int) -> TextDecodeError:
    return _decode_error(
        source,
        _("%(line)s行目の文字コードを判別できません。") % {"line": _line_of(data, offset)},
    )


def decode_bytes(data: bytes, *, source: str = "") -> DecodedText:
    """Decode UTF-8 (BOM or not) or CP932; anything else is refused with a clear message.

    The message names the line of the first byte that neither encoding can read.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _decode_error(source, _("UTF-16 で保存されたファイルは読めません。"))
    nul = data.find(b"\x00")
    if nul >= 0:
        raise _undecodable_line(source, data, nul)
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return DecodedText(data[3:].decode("utf-8"), "utf-8-sig")
        except UnicodeDecodeError as err:
            bad_offset = err.start + 3
    else:
        try:
            return DecodedText(data.decode("utf-8"), "utf-8")
        except UnicodeDecodeError as err:
            bad_offset = err.start
        # CP932 text almost never reads as UTF-8 beyond its first non-ASCII character, so
        # several good UTF-8 characters before the fault mean a damaged (e.g. truncated)
        # UTF-8 file: refuse it instead of reading the whole file as CP932 mojibake.
        if sum(1 for ch in data[:bad_offset].decode("utf-8") if ord(ch) > 0x7F) >= 2:
            raise _undecodable_line(source, data, bad_offset)
        try:
            text = data.decode("cp932")
        except UnicodeDecodeError as err:
            # Report where the encoding that read further stopped: that one was meant.
            bad_offset = max(bad_offset, err.start)
        else:
            stray = _CP932_STRAY.search(text)
            if stray is None:
                return DecodedText(text, "cp932")
            cp932_offset = len(text[: stray.start()].encode("cp932"))
            bad_offset = max(bad_offset, cp932_offset)
    raise _undecodable_line(source, data, bad_offset)


def read_csv_rows(data: bytes, *, source: str = "") -> list[list[str]]:
    """All rows of a CSV file (header included) as lists of strings."""
    text = decode_bytes(data, source=source).text
    return [row for row in csv.reader(io.StringIO(text, newline=""))]


def read_csv_dicts(data: bytes, *, source: str = "") -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows as dicts; header names are stripped of surrounding blanks.

    Blank rows are skipped; short rows are padded with "". Nothing is dropped silently:
    a header name used twice, or a value in a column that has no header, is an error
    naming the row (as a spreadsheet numbers it; the header is row 1) and column.
    """
    rows = read_csv_rows(data, source=source)
    where = f"{source}: " if source else ""
    if not rows:
        return [], []
    header = [h.strip() for h in rows[0]]
    seen: dict[str, int] = {}
    for col, name in enumerate(header, start=1):
        if name and name in seen:
            raise CsvFormatError(
                where
                + _(
                    "見出し「%(name)s」が%(first)s列目と%(second)s列目にあります。見出しを区別してください。"
                )
                % {"name": name, "first": seen[name], "second": col}
            )
        seen.setdefault(name, col)
    out = []
    for row_no, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        for col, cell in enumerate(row[len(header) :], start=len(header) + 1):
            if cell.strip():
                raise CsvFormatError(
                    where
                    + _(
                        "%(row)s行目%(col)s列目の値「%(value)s」に見出しがありません。見出しを付けるか、値を消してください。"
                    )
                    % {"row": row_no, "col": col, "value": cell}
                )
        padded = list(row[: len(header)]) + [""] * (len(header) - len(row))
        out.append(dict(zip(header, padded, strict=True)))
    return header, out


def _needs_guard(text: str) -> bool:
    # Apostrophes already in front are looked through, so that guarding stays reversible:
    # 「'=x」 (typed by someone) is written as 「''=x」 and read back as 「'=x」.
    return text.lstrip("'").startswith(FORMULA_PREFIXES)


def guard_formula(value: object) -> object:
    """Make text that a spreadsheet would run as a formula inert (prefix an apostrophe)."""
    if isinstance(value, str) and _needs_guard(value):
        return "'" + value
    return value


def unguard_formula(value: str) -> str:
    """Undo :func:`guard_formula` when reading back a file we wrote."""
    if value.startswith("'") and _needs_guard(value):
        return value[1:]
    return value


def unencodable_characters(text: str, encoding: str) -> list[str]:
    bad: list[str] = []
    for ch in text:
        try:
            ch.encode(encoding)
        except UnicodeEncodeError:
            bad.append(ch)
    return bad


def _output_encoding(encoding: str) -> str:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise ValueError(
            _("文字コード「%(encoding)s」は使えません。UTF-8（BOM付き）を指定してください。")
            % {"encoding": encoding}
        ) from None
    # Strict Shift_JIS cannot hold 「髙」「①」「～」: a Shift_JIS request gets CP932.
    return "cp932" if name == "shift_jis" else name


def write_csv_bytes(
    rows: Iterable[Sequence[object]], *, encoding: str = "utf-8-sig", guard: bool = True
) -> bytes:
    """CSV bytes; UTF-8 with BOM unless asked otherwise; CP932 refuses unencodable text.

    Characters the encoding cannot hold are reported (with the row and column where each
    first occurs), never replaced.
    """
    codec = _output_encoding(encoding)
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    positions: dict[str, tuple[int, int]] = {}
    for row_no, row in enumerate(rows, start=1):
        cells = ["" if v is None else (guard_formula(v) if guard else v) for v in row]
        writer.writerow(cells)
        for col, cell in enumerate(cells, start=1):
            for ch in unencodable_characters(str(cell), codec):
                positions.setdefault(ch, (row_no, col))
    if positions:
        raise UnencodableError(codec, list(positions), positions=positions)
    return buf.getvalue().encode(codec)


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９．－＋，", "0123456789.-+,")
_NUMBER_WIDTH = str.maketrans("０１２３４５６７８９．－＋，ｅＥ\u3000", "0123456789.-+,eE ")
_SPACES = re.compile(r"\s+")
# Leading characters read as a minus sign: U+2212 MINUS SIGN, hyphens and dashes, the
# katakana prolonged sound mark ー / ｰ typed by mistake, and △ / ▲ (負数 in Japanese
# budget and accounting tables: 「△1,200」 = −1200).
_MINUS_LIKE = "\u2212\u2010\u2011\u2012\u2013\u2014\u2015\ufe63\u30fc\uff70△▲"
_NUMBER_RE = re.compile(r"[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def to_halfwidth_digits(text: str) -> str:
    return text.translate(_FULLWIDTH_DIGITS)


def normalize_for_match(text: str) -> str:
    """NFKC, lower case, single spaces: for matching and search only, never for storage."""
    text = unicodedata.normalize("NFKC", text).lower()
    return _SPACES.sub(" ", text).strip()


def parse_number(text: str, *, where: str = "") -> float | None:
    """A number from a cell: full-width digits, thousands separators, blanks → None.

    A leading 「−」「ー」「△」「▲」 (and similar dashes) is a minus sign. Commas must group
    thousands (「1,234」; 「12,34」 is refused). Anything else — text, 「NaN」, 「1_000」,
    circled or superscript digits — raises :class:`NumberParseError`, whose message starts
    with ``where`` (e.g. 「members.csv 3行目「人数」」).
    """
    cleaned = text.translate(_NUMBER_WIDTH).strip()
    if cleaned == "":
        return None
    if cleaned[0] in _MINUS_LIKE or cleaned[0] in "+-":
        cleaned = ("+" if cleaned[0] == "+" else "-") + cleaned[1:].lstrip()
    value = math.nan
    if _NUMBER_RE.fullmatch(cleaned):
        value = float(cleaned.replace(",", ""))
    if not math.isfinite(value):
        prefix = f"{where}: " if where else ""
        raise NumberParseError(
            prefix
            + _(
                "「%(text)s」を数値として読み取れません。「1234」「1,234」「-5」「3.14」のように数字で書いてください。"
            )
            % {"text": text}
        )
    return value
