"""全国地方公共団体コード (local government code) with its check digit, and SDGs goals."""

from __future__ import annotations

from keikaku.core.domain.i18n import _

_WEIGHTS = (6, 5, 4, 3, 2)


def municipality_check_digit(code5: str) -> int:
    """Check digit of a 5-digit code: (11 − Σ dᵢ·wᵢ mod 11) mod 10, weights 6,5,4,3,2."""
    if len(code5) != 5 or not code5.isascii() or not code5.isdigit():
        raise ValueError(_("団体コードは5桁または6桁の数字です。"))
    total = sum(int(d) * w for d, w in zip(code5, _WEIGHTS, strict=True))
    return (11 - total % 11) % 10


def validate_municipality_code(code: str) -> str:
    """Return the 6-digit code (with check digit) or raise ValueError with a Japanese message."""
    code = code.strip()
    if not code.isascii() or not code.isdigit() or len(code) not in (5, 6):
        raise ValueError(
            _("団体コード「%(code)s」は5桁または6桁の数字で入力してください（例: 112411）。")
            % {"code": code}
        )
    expected = municipality_check_digit(code[:5])
    if len(code) == 5:
        return code + str(expected)
    if int(code[5]) != expected:
        raise ValueError(
            _("団体コード「%(code)s」の検査数字が正しくありません（正しくは %(fixed)s）。")
            % {"code": code, "fixed": code[:5] + str(expected)}
        )
    return code


SDG_GOALS: dict[int, str] = {
    1: "貧困をなくそう",
    2: "飢餓をゼロに",
    3: "すべての人に健康と福祉を",
    4: "質の高い教育をみんなに",
    5: "ジェンダー平等を実現しよう",
    6: "安全な水とトイレを世界中に",
    7: "エネルギーをみんなに そしてクリーンに",
    8: "働きがいも経済成長も",
    9: "産業と技術革新の基盤をつくろう",
    10: "人や国の不平等をなくそう",
    11: "住み続けられるまちづくりを",
    12: "つくる責任 つかう責任",
    13: "気候変動に具体的な対策を",
    14: "海の豊かさを守ろう",
    15: "陸の豊かさも守ろう",
    16: "平和と公正をすべての人に",
    17: "パートナーシップで目標を達成しよう",
}


def parse_sdgs(text: str) -> list[int]:
    """「3, 11」「3、11」「3 11」 → [3, 11]; each goal must be 1–17."""
    import unicodedata

    cleaned = unicodedata.normalize("NFKC", text)
    for sep in ("、", ",", ";", "・", "/"):
        cleaned = cleaned.replace(sep, " ")
    goals: list[int] = []
    for part in cleaned.split():
        if not part.isdigit() or not 1 <= int(part) <= 17:
            raise ValueError(
                _("SDGs のゴール「%(part)s」は 1 から 17 の数字で入力してください。")
                % {"part": part}
            )
        if int(part) not in goals:
            goals.append(int(part))
    return sorted(goals)
