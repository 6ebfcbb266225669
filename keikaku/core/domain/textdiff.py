"""Character-level differences for Japanese text (no word boundaries needed)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

Op = Literal["equal", "delete", "insert"]


@dataclass(frozen=True)
class Segment:
    op: Op
    text: str


def char_diff(before: str, after: str) -> list[Segment]:
    """Segments that turn `before` into `after`; deletions come before insertions."""
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    out: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.append(Segment("equal", before[i1:i2]))
            continue
        if tag in ("delete", "replace"):
            out.append(Segment("delete", before[i1:i2]))
        if tag in ("insert", "replace"):
            out.append(Segment("insert", after[j1:j2]))
    return out


def apply_before(segments: list[Segment]) -> str:
    return "".join(s.text for s in segments if s.op != "insert")


def apply_after(segments: list[Segment]) -> str:
    return "".join(s.text for s in segments if s.op != "delete")
