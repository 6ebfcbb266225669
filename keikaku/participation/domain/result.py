"""The result of a public comment round (意見募集の結果): reflection categories, counts,
the table of grouped opinions and the changes to the draft.

行政手続法 第43条 and the city's rules: publish the opinions (same-gist ones summarised
together), the city's view and what changed and why; no personal data, not a vote.
Organised identical submissions are all counted, then shown as one row with a count.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from keikaku.core.domain.i18n import _
from keikaku.core.domain.textdiff import Segment, char_diff


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    reflected: bool = False


# 鶴ヶ島市議会の反映区分 [S]; a city may configure its own per round.
DEFAULT_CATEGORIES: tuple[Category, ...] = (
    Category("A", "反映し修正", True),
    Category("B", "既に趣旨を含む"),
    Category("C", "今後の検討課題"),
    Category("D", "反映できない"),
    Category("E", "その他"),
)

_CODE_RE = re.compile(r"[A-Za-z0-9]{1,5}")
_LINE_RE = re.compile(r"^([^\s:：]+)[\s:：]+(.+)$")


class CategoryFormatError(ValueError):
    pass


def categories_to_text(categories: Sequence[Category]) -> str:
    return "\n".join(f"{c.code} {c.label}" for c in categories)


def parse_categories(text: str, reflected_codes: str) -> tuple[Category, ...]:
    """One category a line, 「A 反映し修正」; reflected_codes lists the codes counted as
    reflected (「A」 or 「A,B」). Errors name the line."""
    import unicodedata

    out: list[Category] = []
    seen: dict[str, int] = {}
    wanted = {
        unicodedata.normalize("NFKC", c).strip().upper()
        for c in re.split(r"[,、\s]+", reflected_codes)
        if c.strip()
    }
    for line_no, raw in enumerate(text.splitlines(), start=1):
        line = unicodedata.normalize("NFKC", raw).strip()
        if not line:
            continue
        m = _LINE_RE.match(line)
        if m is None or not _CODE_RE.fullmatch(m.group(1)):
            raise CategoryFormatError(
                _(
                    "反映区分の%(line)s行目「%(text)s」を読み取れません。「A 反映し修正」のように、記号（英数字5文字まで）と名前を空白で区切って書いてください。"
                )
                % {"line": line_no, "text": raw.strip()}
            )
        code = m.group(1).upper()
        if code in seen:
            raise CategoryFormatError(
                _(
                    "反映区分の記号「%(code)s」が%(first)s行目と%(line)s行目にあります。記号は重ならないようにしてください。"
                )
                % {"code": code, "first": seen[code], "line": line_no}
            )
        seen[code] = line_no
        out.append(
            Category(code, raw.strip()[len(m.group(1)) :].strip(" \t\u3000:："), code in wanted)
        )
    if not out:
        raise CategoryFormatError(_("反映区分を1つ以上、1行に1つずつ書いてください。"))
    unknown = sorted(wanted - set(seen))
    if unknown:
        raise CategoryFormatError(
            _("「反映した意見として数える区分」の「%(codes)s」が反映区分にありません。")
            % {"codes": "、".join(unknown)}
        )
    return tuple(out)


@dataclass(frozen=True)
class OpinionFact:
    """What the result needs to know of one received opinion (never its text or sender)."""

    opinion_id: int
    submitter_key: str
    group_number: int | None
    hidden: bool


@dataclass(frozen=True)
class GroupFact:
    number: int
    location: str
    summary: str
    city_view: str
    reflection: str
    paragraph_key: str = ""
    paragraph_location: str = ""
    before_text: str = ""
    after_text: str = ""


@dataclass(frozen=True)
class ResultRow:
    number: int
    location: str
    summary: str
    city_view: str
    reflection_code: str
    reflection_label: str
    opinion_count: int
    submitter_count: int


@dataclass(frozen=True)
class DraftChange:
    group_number: int
    location: str
    before: str
    after: str
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class CategoryCount:
    code: str
    label: str
    reflected: bool
    opinion_count: int
    group_count: int


@dataclass(frozen=True)
class RoundResult:
    submitter_count: int
    opinion_count: int
    reflected_count: int
    withheld_count: int
    categories: tuple[CategoryCount, ...]
    rows: tuple[ResultRow, ...]
    changes: tuple[DraftChange, ...]


def _submitter_id(fact: OpinionFact) -> str:
    # Opinions without name and address (hearings, anonymous paper) count one each.
    return fact.submitter_key or f"opinion:{fact.opinion_id}"


def result_problems(
    opinions: Sequence[OpinionFact], groups: Sequence[GroupFact], categories: Sequence[Category]
) -> list[str]:
    """What still has to be done before the result can be published (empty = ready)."""
    problems: list[str] = []
    numbers = {g.number for g in groups}
    ungrouped = [o for o in opinions if not o.hidden and o.group_number is None]
    if ungrouped:
        problems.append(
            _("まだ整理（グループ分け）していない意見が%(count)s件あります。")
            % {"count": len(ungrouped)}
        )
    stray = sorted({o.group_number for o in opinions if o.group_number is not None} - numbers)
    if stray:
        problems.append(
            _("存在しない番号%(numbers)sのグループに属する意見があります。")
            % {"numbers": "、".join(str(n) for n in stray)}
        )
    codes = {c.code for c in categories}
    used = Counter(o.group_number for o in opinions if not o.hidden)
    for g in sorted(groups, key=lambda g: g.number):
        missing = []
        if not g.summary.strip():
            missing.append(_("意見の概要"))
        if not g.city_view.strip():
            missing.append(_("市の考え方"))
        if g.reflection not in codes:
            missing.append(_("反映区分"))
        if missing:
            problems.append(
                _("番号%(number)sの「%(fields)s」がまだ書かれていません。")
                % {"number": g.number, "fields": "」「".join(missing)}
            )
        if used[g.number] == 0:
            problems.append(
                _(
                    "番号%(number)sには意見が1件もありません。意見を入れるか、グループを削除してください。"
                )
                % {"number": g.number}
            )
        if g.paragraph_key and g.before_text == g.after_text:
            problems.append(
                _("番号%(number)sは修正する段落を選んでいますが、修正後の文が修正前と同じです。")
                % {"number": g.number}
            )
    return problems


def build_result(
    opinions: Sequence[OpinionFact], groups: Sequence[GroupFact], categories: Sequence[Category]
) -> RoundResult:
    """Counts and table. Hidden (moderated) opinions are counted apart as withheld and are in
    no row; every other opinion is in exactly one group (see :func:`result_problems`)."""
    by_code = {c.code: c for c in categories}
    visible = [o for o in opinions if not o.hidden]
    members: dict[int, list[OpinionFact]] = {}
    for o in visible:
        if o.group_number is not None:
            members.setdefault(o.group_number, []).append(o)
    rows: list[ResultRow] = []
    changes: list[DraftChange] = []
    for g in sorted(groups, key=lambda g: g.number):
        ops = members.get(g.number, [])
        cat = by_code.get(g.reflection)
        rows.append(
            ResultRow(
                number=g.number,
                location=g.location,
                summary=g.summary,
                city_view=g.city_view,
                reflection_code=g.reflection,
                reflection_label=cat.label if cat else "",
                opinion_count=len(ops),
                submitter_count=len({_submitter_id(o) for o in ops}),
            )
        )
        if g.paragraph_key and g.before_text != g.after_text:
            changes.append(
                DraftChange(
                    group_number=g.number,
                    location=g.paragraph_location or g.location,
                    before=g.before_text,
                    after=g.after_text,
                    segments=tuple(char_diff(g.before_text, g.after_text)),
                )
            )
    counts = [
        CategoryCount(
            code=c.code,
            label=c.label,
            reflected=c.reflected,
            opinion_count=sum(r.opinion_count for r in rows if r.reflection_code == c.code),
            group_count=sum(1 for r in rows if r.reflection_code == c.code),
        )
        for c in categories
    ]
    return RoundResult(
        submitter_count=len({_submitter_id(o) for o in visible}),
        opinion_count=len(visible),
        reflected_count=sum(c.opinion_count for c in counts if c.reflected),
        withheld_count=len(opinions) - len(visible),
        categories=tuple(counts),
        rows=tuple(rows),
        changes=tuple(changes),
    )
