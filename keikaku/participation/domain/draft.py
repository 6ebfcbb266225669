"""The draft (素案) a public comment round publishes: sections and paragraphs with stable keys.

Three sources give the same shape:
- the plan structure: one section per policy area and per measure, one paragraph per line
  of 目指す姿 / 現状と課題 / 役割分担, per initiative and per indicator
  (:func:`draft_from_measures`, fed with ``measure_page_data`` dictionaries);
- a Markdown file: ``#`` headings, blank-line separated paragraphs, list items
  (:func:`draft_from_markdown`);
- a Word (.docx) file, read elsewhere into :class:`Block` items (headings by style)
  (:func:`draft_from_blocks`).

Keys are made once, when the draft is imported, and never change afterwards: comments,
groups and changes refer to them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from keikaku.core.domain.fiscal import format_fiscal_year
from keikaku.core.domain.i18n import _

MAX_HEADING_CHARS = 300
_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9-]+")
_HEADING_RE = re.compile(r"^(#{1,6})[ \t\u3000]+(.+?)[ \t#]*$")
_LIST_RE = re.compile(r"^(?:[-*+・]|[0-9０-９]+[.)．）])[ \t\u3000]+")


class DraftFormatError(ValueError):
    """The uploaded draft cannot be read as sections and paragraphs."""


@dataclass(frozen=True)
class DraftParagraph:
    key: str
    label: str
    text: str


@dataclass(frozen=True)
class DraftSection:
    key: str
    level: int
    heading: str
    measure_code: str = ""
    paragraphs: tuple[DraftParagraph, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Block:
    """One block of a word-processor document: a heading (level 1–3) or a paragraph."""

    kind: Literal["heading", "paragraph"]
    text: str
    level: int = 0


def safe_key(text: str) -> str:
    """「1-1」 → 「1-1」; 「１－１」 → 「1-1」-like ASCII; anything else → underscores squeezed."""
    import unicodedata

    folded = unicodedata.normalize("NFKC", text).replace("－", "-")
    key = _KEY_UNSAFE.sub("_", folded).strip("_")
    return key or "x"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _num(value: Any) -> str:
    if value is None:
        return ""
    number = float(value)
    if number == int(number):
        return f"{int(number):,}"
    return f"{number:,.2f}".rstrip("0").rstrip(".")


def _indicator_text(ind: Mapping[str, Any]) -> str:
    unit = str(ind.get("unit") or "")
    parts = []
    if ind.get("baseline_value") is not None:
        when = (
            f"（{format_fiscal_year(int(ind['baseline_fy']))}）" if ind.get("baseline_fy") else ""
        )
        parts.append(
            _("基準値 %(value)s%(unit)s%(when)s")
            % {
                "value": _num(ind["baseline_value"]),
                "unit": unit,
                "when": when,
            }
        )
    if ind.get("target_value") is not None:
        when = f"（{format_fiscal_year(int(ind['target_fy']))}）" if ind.get("target_fy") else ""
        parts.append(
            _("目標値 %(value)s%(unit)s%(when)s")
            % {
                "value": _num(ind["target_value"]),
                "unit": unit,
                "when": when,
            }
        )
    text = str(ind.get("name") or "")
    if parts:
        text += "：" + "　→　".join(parts)
    return text


class _KeyMaker:
    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, base: str) -> str:
        key, n = base, 2
        while key in self.used:
            key, n = f"{base}-{n}", n + 1
        self.used.add(key)
        return key


def draft_from_measures(measures: Sequence[Mapping[str, Any]]) -> tuple[DraftSection, ...]:
    """Sections from ``measure_page_data`` dictionaries (in plan order).

    A policy area opens a level-1 section (heading only); each measure is a level-2 section.
    """
    keys = _KeyMaker()
    sections: list[DraftSection] = []
    current_area: object = None
    ordered = sorted(enumerate(measures), key=lambda im: (int(im[1]["area"]["number"]), im[0]))
    for _index, m in ordered:
        area = m["area"]
        if area["number"] != current_area:
            current_area = area["number"]
            sections.append(
                DraftSection(
                    key=keys.make(f"area-{safe_key(str(area['number']))}"),
                    level=1,
                    heading=_("政策分野%(number)s %(title)s")
                    % {"number": area["number"], "title": area["title"]},
                )
            )
        code = str(m["code"])
        base = f"measure-{safe_key(code)}"
        section_key = keys.make(base)
        paragraphs: list[DraftParagraph] = []

        def add(
            part: str,
            label: str,
            text: str,
            base: str = section_key,
            out: list[DraftParagraph] = paragraphs,
        ) -> None:
            out.append(DraftParagraph(keys.make(f"{base}-{part}"), label, text))

        if m.get("plain_summary"):
            for i, line in enumerate(_lines(m["plain_summary"]), start=1):
                add(f"summary-{i}", _("やさしい日本語の要約"), line)
        for i, line in enumerate(_lines(m.get("target_state", "")), start=1):
            add(f"target-{i}", _("目指す姿"), line)
        for i, line in enumerate(_lines(m.get("current_issues", "")), start=1):
            add(f"issues-{i}", _("現状と課題"), line)
        for i, ini in enumerate(m.get("initiatives", []), start=1):
            text = str(ini.get("title") or "")
            if ini.get("description"):
                text += "：" + " ".join(_lines(str(ini["description"])))
            add(f"initiative-{i}", _("主な取組"), text)
        for ind in m.get("indicators", []):
            add(
                f"indicator-{safe_key(str(ind.get('code') or ''))}",
                _("成果指標"),
                _indicator_text(ind),
            )
        for part, label, name in (
            ("citizens", _("役割分担（市民）"), "role_citizens"),
            ("businesses", _("役割分担（事業者）"), "role_businesses"),
            ("city", _("役割分担（市）"), "role_city"),
        ):
            for i, line in enumerate(_lines(m.get(name, "")), start=1):
                add(f"role-{part}-{i}", label, line)
        sections.append(
            DraftSection(
                key=section_key,
                level=2,
                heading=_("施策%(code)s %(title)s") % {"code": code, "title": m["title"]},
                measure_code=code,
                paragraphs=tuple(paragraphs),
            )
        )
    return tuple(sections)


def draft_from_blocks(blocks: Iterable[Block], *, source: str = "") -> tuple[DraftSection, ...]:
    """Sections from headings and paragraphs in document order.

    Text before the first heading becomes a section 「はじめに」. Keys: s1, s2 … and
    s1-p1, s1-p2 … in order of appearance.
    """
    where = f"{source}: " if source else ""
    sections: list[DraftSection] = []
    heading: tuple[int, str] | None = None
    paragraphs: list[str] = []
    started = False

    def close() -> None:
        nonlocal paragraphs
        if heading is None and not paragraphs:
            return
        number = len(sections) + 1
        key = f"s{number}"
        level, title = heading if heading is not None else (1, _("はじめに"))
        sections.append(
            DraftSection(
                key=key,
                level=level,
                heading=title,
                paragraphs=tuple(
                    DraftParagraph(f"{key}-p{i}", "", text)
                    for i, text in enumerate(paragraphs, start=1)
                ),
            )
        )
        paragraphs = []

    for block in blocks:
        text = block.text.strip()
        if not text:
            continue
        if block.kind == "heading":
            if started:
                close()
            started = True
            if len(text) > MAX_HEADING_CHARS:
                raise DraftFormatError(
                    where
                    + _(
                        "見出し「%(head)s…」が長すぎます（%(max)s文字まで）。本文は見出しにしないでください。"
                    )
                    % {"head": text[:20], "max": MAX_HEADING_CHARS}
                )
            heading = (min(max(block.level, 1), 3), text)
        else:
            started = True
            paragraphs.append(text)
    close()
    if not sections:
        raise DraftFormatError(
            where + _("素案に見出しも本文もありません。内容のあるファイルを選んでください。")
        )
    return tuple(sections)


def markdown_blocks(text: str) -> list[Block]:
    """Blocks of a Markdown draft: ``#`` headings (levels beyond 3 count as 3), paragraphs
    separated by blank lines (their lines joined), each list item its own paragraph."""
    blocks: list[Block] = []
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            blocks.append(Block("paragraph", "".join(buffer)))
            buffer.clear()

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush()
            continue
        m = _HEADING_RE.match(line)
        if m:
            flush()
            blocks.append(Block("heading", m.group(2).strip(), min(len(m.group(1)), 3)))
            continue
        item = _LIST_RE.match(line)
        if item:
            flush()
            buffer.append(line)
            flush()
            continue
        buffer.append(line)
    flush()
    return blocks


def draft_from_markdown(text: str, *, source: str = "") -> tuple[DraftSection, ...]:
    return draft_from_blocks(markdown_blocks(text), source=source)


def heading_level_of_style(style_name: str) -> int:
    """Word paragraph style → heading level (0 = body text).

    「Heading 1」「見出し 1」「Title」「表題」 are headings; anything else is body text.
    """
    name = style_name.strip().lower()
    if name in ("title", "表題"):
        return 1
    m = re.fullmatch(r"(?:heading|見出し)\s*([0-9０-９])", name)
    if m:
        import unicodedata

        return min(int(unicodedata.normalize("NFKC", m.group(1))), 3)
    return 0


def section_location(section_heading: str, paragraph_label: str, paragraph_index: int) -> str:
    """「施策1-1 子育て支援の充実（目指す姿）」 or 「第2章 まちの現状（第3段落）」 for result tables."""
    if paragraph_label:
        return f"{section_heading}（{paragraph_label}）"
    return _("%(heading)s（第%(n)s段落）") % {"heading": section_heading, "n": paragraph_index}
