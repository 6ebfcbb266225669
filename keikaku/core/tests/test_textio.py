"""Japanese text and CSV handling: encodings, formula guard, numbers, matching."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keikaku.core.domain.textio import (
    CsvFormatError,
    DecodedText,
    NumberParseError,
    TextDecodeError,
    UnencodableError,
    decode_bytes,
    guard_formula,
    normalize_for_match,
    parse_number,
    read_csv_dicts,
    read_csv_rows,
    unencodable_characters,
    unguard_formula,
    write_csv_bytes,
)

BOM = b"\xef\xbb\xbf"
HARD = "髙橋①～"  # 髙 (IBM extension), ① (NEC special), ～ (U+FF5E): CP932 yes, strict Shift_JIS no
READ_ADVICE = "UTF-8 または Shift_JIS（CP932）で保存したファイルを使ってください。"
NUMBER_MESSAGE = (
    "を数値として読み取れません。「1234」「1,234」「-5」「3.14」のように数字で書いてください。"
)

# --------------------------------------------------------------------------- decoding


def test_utf8_without_bom() -> None:
    assert decode_bytes("氏名,髙橋𠮷\n".encode()) == DecodedText("氏名,髙橋𠮷\n", "utf-8")


def test_utf8_with_bom_drops_the_bom() -> None:
    assert decode_bytes(BOM + "氏名,髙橋𠮷\n".encode()) == DecodedText("氏名,髙橋𠮷\n", "utf-8-sig")


def test_cp932_with_ibm_and_nec_characters() -> None:
    data = "氏名,備考\r\n髙橋,①～③\r\n".encode("cp932")
    with pytest.raises(UnicodeEncodeError):
        "髙".encode("shift_jis")  # why CP932, not strict Shift_JIS
    assert data[11:13] == b"\xee\xe0"  # 髙 as Python writes it (NEC-selected IBM extension)
    assert decode_bytes(data) == DecodedText("氏名,備考\r\n髙橋,①～③\r\n", "cp932")
    # Excel writes 髙 at its IBM extension code FBFC; it reads back the same.
    assert decode_bytes(b"\xfb\xfc") == DecodedText("髙", "cp932")


def test_cp932_whose_first_bytes_look_like_utf8() -> None:
    # ﾃｽﾄ in CP932 is C3 BD C4: C3 BD is valid UTF-8 (ý) before the decoder fails, yet one
    # such character is not enough to call the file damaged UTF-8.
    data = "ﾃｽﾄ\n".encode("cp932")
    assert data == b"\xc3\xbd\xc4\n"
    assert decode_bytes(data) == DecodedText("ﾃｽﾄ\n", "cp932")


def test_empty_and_ascii() -> None:
    assert decode_bytes(b"") == DecodedText("", "utf-8")
    assert decode_bytes(b"a,b\n") == DecodedText("a,b\n", "utf-8")


def test_undecodable_bytes_name_the_line() -> None:
    # Line 2 holds 0x81 followed by a newline: an incomplete CP932 pair and invalid UTF-8.
    with pytest.raises(TextDecodeError) as exc:
        decode_bytes(b"a,b\n\x81\n", source="members.csv")
    assert str(exc.value) == "members.csv: 2行目の文字コードを判別できません。" + READ_ADVICE
    with pytest.raises(TextDecodeError) as exc:
        decode_bytes(b"\x81")
    assert str(exc.value) == "1行目の文字コードを判別できません。" + READ_ADVICE


def test_utf8_with_bom_but_broken_is_refused() -> None:
    with pytest.raises(TextDecodeError) as exc:
        decode_bytes(BOM + "a\n髙".encode()[:-1], source="x.csv")
    assert str(exc.value) == "x.csv: 2行目の文字コードを判別できません。" + READ_ADVICE


def test_truncated_utf8_is_not_read_as_cp932_mojibake() -> None:
    # "氏名\n髙橋" in UTF-8 cut inside 橋: the bytes happen to decode as CP932, but the
    # three good UTF-8 characters before the cut show it is damaged UTF-8.
    data = "氏名\n髙橋".encode()[:-1]
    assert data.decode("cp932") == "豌丞錐\n鬮呎ｩ"  # what a blind fallback would read
    with pytest.raises(TextDecodeError) as exc:
        decode_bytes(data)
    assert str(exc.value) == "2行目の文字コードを判別できません。" + READ_ADVICE


def test_utf16_is_refused_not_read_as_garbage() -> None:
    with pytest.raises(TextDecodeError) as exc:
        decode_bytes("氏名,年齢\n".encode("utf-16"), source="a.csv")
    assert str(exc.value) == "a.csv: UTF-16 で保存されたファイルは読めません。" + READ_ADVICE
    with pytest.raises(TextDecodeError) as exc:
        decode_bytes("a\nb".encode("utf-16-le"))
    assert str(exc.value) == "1行目の文字コードを判別できません。" + READ_ADVICE


def test_stray_single_bytes_are_not_cp932() -> None:
    # 0xA0 and 0xFD–0xFF are not characters in CP932 (Python maps them to private use).
    with pytest.raises(TextDecodeError) as exc:
        decode_bytes(b"ok\nok\n\xa0\n")
    assert str(exc.value) == "3行目の文字コードを判別できません。" + READ_ADVICE


# --------------------------------------------------------------------------- reading CSV


def test_read_csv_rows_and_dicts() -> None:
    data = BOM + '氏名 , 年齢\r\n髙橋,"4,2"\r\n,\r\n𠮷田\r\n'.encode()
    assert read_csv_rows(data) == [["氏名 ", " 年齢"], ["髙橋", "4,2"], ["", ""], ["𠮷田"]]
    header, rows = read_csv_dicts(data)
    assert header == ["氏名", "年齢"]
    assert rows == [{"氏名": "髙橋", "年齢": "4,2"}, {"氏名": "𠮷田", "年齢": ""}]


def test_read_csv_dicts_keeps_text_as_written() -> None:
    header, rows = read_csv_dicts("意見\n ｺﾐｭﾆﾃｨﾊﾞｽ を増やして　\n".encode("cp932"))
    assert rows == [{"意見": " ｺﾐｭﾆﾃｨﾊﾞｽ を増やして\u3000"}]


def test_read_csv_dicts_refuses_values_without_a_header() -> None:
    data = "氏名,年齢\n髙橋,42,\n山田,30,東京\n".encode()
    with pytest.raises(CsvFormatError) as exc:
        read_csv_dicts(data, source="members.csv")
    assert str(exc.value) == (
        "members.csv: 3行目3列目の値「東京」に見出しがありません。見出しを付けるか、値を消してください。"
    )


def test_read_csv_dicts_refuses_duplicate_header() -> None:
    with pytest.raises(CsvFormatError) as exc:
        read_csv_dicts("氏名,年齢, 氏名\n".encode())
    assert str(exc.value) == "見出し「氏名」が1列目と3列目にあります。見出しを区別してください。"


def test_read_csv_dicts_empty() -> None:
    assert read_csv_dicts(b"") == ([], [])


# --------------------------------------------------------------------------- writing CSV


def test_write_utf8_with_bom_keeps_every_character() -> None:
    data = write_csv_bytes([["氏名", "備考"], ["𠮷田", HARD]])
    assert data == BOM + "氏名,備考\r\n𠮷田,髙橋①～\r\n".encode()
    assert read_csv_rows(data) == [["氏名", "備考"], ["𠮷田", HARD]]


def test_write_utf8_without_bom_on_request() -> None:
    assert write_csv_bytes([["𠮷", "髙"]], encoding="utf-8") == "𠮷,髙\r\n".encode()


def test_write_cp932_keeps_ibm_and_nec_characters() -> None:
    data = write_csv_bytes([["氏名"], [HARD]], encoding="cp932")
    assert data == "氏名\r\n髙橋①～\r\n".encode("cp932")
    assert decode_bytes(data) == DecodedText("氏名\r\n髙橋①～\r\n", "cp932")


def test_write_shift_jis_request_means_cp932() -> None:
    assert write_csv_bytes([[HARD]], encoding="Shift_JIS") == "髙橋①～\r\n".encode("cp932")


def test_write_cp932_refuses_unencodable_characters_and_names_them() -> None:
    rows = [["氏名", "備考"], ["𠮷田", "髙"], ["山田", "𠮷野家と🍣"]]
    with pytest.raises(UnencodableError) as exc:
        write_csv_bytes(rows, encoding="cp932")
    assert str(exc.value) == (
        "CP932 では書き出せない文字があります: 「𠮷」（2行目1列目）、「🍣」（3行目2列目）。"
        "UTF-8 で書き出してください。"
    )
    assert exc.value.characters == ["𠮷", "🍣"]
    assert exc.value.positions == {"𠮷": (2, 1), "🍣": (3, 2)}


def test_unencodable_error_lists_at_most_ten() -> None:
    chars = [chr(0x20000 + i) for i in range(12)]
    err = UnencodableError("cp932", chars)
    shown = "、".join(f"「{c}」" for c in chars[:10])
    assert str(err) == (
        f"CP932 では書き出せない文字があります: {shown}ほか2文字。UTF-8 で書き出してください。"
    )


def test_unknown_encoding() -> None:
    with pytest.raises(ValueError) as exc:
        write_csv_bytes([["a"]], encoding="klingon")
    assert (
        str(exc.value) == "文字コード「klingon」は使えません。UTF-8（BOM付き）を指定してください。"
    )


def test_unencodable_characters() -> None:
    assert unencodable_characters("𠮷田髙①～", "cp932") == ["𠮷"]
    assert unencodable_characters("髙①～", "shift_jis") == ["髙", "①", "～"]


def test_write_guards_formulas_and_none() -> None:
    data = write_csv_bytes([["=SUM(A1)", "+1", "-1", "@x", "\tx", None, 5, -3]])
    assert data == BOM + b"'=SUM(A1),'+1,'-1,'@x,'\tx,,5,-3\r\n"
    unguarded = write_csv_bytes([["=SUM(A1)"]], guard=False)
    assert unguarded == BOM + b"=SUM(A1)\r\n"


# --------------------------------------------------------------------------- formula guard


@pytest.mark.parametrize(
    ("value", "guarded"),
    [
        ("=1+1", "'=1+1"),
        ("+81-3-1234", "'+81-3-1234"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("'=1", "''=1"),  # an apostrophe someone typed survives the round trip
        ("髙橋", "髙橋"),
        ("'quoted'", "'quoted'"),
        ("", ""),
        ("a=b", "a=b"),
    ],
)
def test_guard_formula(value: str, guarded: str) -> None:
    assert guard_formula(value) == guarded
    assert unguard_formula(guarded) == value


def test_guard_formula_leaves_non_text_alone() -> None:
    assert guard_formula(-5) == -5
    assert guard_formula(None) is None


@given(st.text(alphabet=st.sampled_from(list("=+-@\t\r'a髙 ")) | st.characters(), max_size=12))
def test_guard_round_trip(value: str) -> None:
    guarded = guard_formula(value)
    assert isinstance(guarded, str)
    assert unguard_formula(guarded) == value
    assert not guarded.startswith(("=", "+", "-", "@", "\t", "\r"))


# Cell text: any character a file can carry (no NUL, no lone surrogates), and the
# characters that matter here.
CELL = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00")
    | st.sampled_from(list("=+-@\t\r\n'\",髙𠮷①～")),
    max_size=8,
)


@given(st.lists(st.lists(CELL, min_size=1, max_size=4), min_size=1, max_size=5))
def test_csv_write_read_round_trip(rows: list[list[str]]) -> None:
    data = write_csv_bytes(rows)
    back = [[unguard_formula(c) for c in r] for r in read_csv_rows(data)]
    assert back == rows


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1234", 1234.0),
        ("１２３４", 1234.0),
        ("1,234", 1234.0),
        ("１，２３４", 1234.0),
        ("1,234,567.5", 1234567.5),
        ("3.14", 3.14),
        ("３．１４", 3.14),
        (".5", 0.5),
        ("+5", 5.0),
        ("＋５", 5.0),
        ("-5", -5.0),
        ("－５", -5.0),
        ("\u22125", -5.0),  # − U+2212 MINUS SIGN
        ("\u2212１，２００", -1200.0),
        ("ー5", -5.0),  # katakana prolonged sound mark typed for a minus
        ("ｰ5", -5.0),
        ("‐5", -5.0),
        ("–5", -5.0),
        ("△1,200", -1200.0),
        ("▲ 300", -300.0),
        ("- 5", -5.0),
        ("  42  ", 42.0),
        ("\u300042\u3000", 42.0),
        ("1e3", 1000.0),
        ("0", 0.0),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "   ", "\u3000", "\t"])
def test_parse_number_blank_is_none(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "nan",
        "inf",
        "1_000",
        "12,34",
        "1,2345",
        "−1−2",
        "5ー",
        "①",
        "10²",
        "1 000",
        "--5",
        "1e999",
    ],
)
def test_parse_number_rejects(text: str) -> None:
    with pytest.raises(NumberParseError) as exc:
        parse_number(text)
    assert str(exc.value) == f"「{text}」{NUMBER_MESSAGE}"
    assert isinstance(exc.value, ValueError)


def test_parse_number_error_says_where() -> None:
    with pytest.raises(NumberParseError) as exc:
        parse_number("多数", where="members.csv 3行目「人数」")
    assert str(exc.value) == f"members.csv 3行目「人数」: 「多数」{NUMBER_MESSAGE}"


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_parse_number_reads_what_a_spreadsheet_shows(n: int) -> None:
    grouped = f"{n:,}"
    assert parse_number(grouped) == n
    fullwidth = grouped.translate(str.maketrans("0123456789,-", "０１２３４５６７８９，－"))
    assert parse_number(fullwidth) == n
    assert parse_number(grouped.replace("-", "\u2212")) == n
    assert parse_number(grouped.replace("-", "△")) == n


# --------------------------------------------------------------------------- matching


def test_normalize_for_match() -> None:
    assert normalize_for_match("ｺﾐｭﾆﾃｨﾊﾞｽ") == normalize_for_match("コミュニティバス")
    assert normalize_for_match("ｺﾐｭﾆﾃｨﾊﾞｽ") == "コミュニティバス"
    assert normalize_for_match("  ＫＰＩ　の\t目標値 ") == "kpi の 目標値"
    assert normalize_for_match("髙橋") == "髙橋"  # NFKC keeps 髙 (no compatibility mapping)
    assert normalize_for_match("①") == "1"
