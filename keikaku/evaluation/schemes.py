"""Which grading schemes (評価方式) and attention rule (要注意の判定規則) this city uses.

The shipped presets are ``keikaku/evaluation/data/grading_presets.json``. A city may replace
them with its own file of the same shape (setting ``KEIKAKU_GRADING_PRESETS_FILE``) and
change the rule for measures needing attention (setting ``KEIKAKU_EVALUATION_ATTENTION``, a
dict as read by :meth:`AttentionRule.from_dict`). Both settings are optional.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings

from keikaku.evaluation.domain.grading import GradingScheme, default_scheme_id, load_presets
from keikaku.evaluation.domain.rollup import AttentionRule


def _presets_path() -> Path | None:
    value = getattr(settings, "KEIKAKU_GRADING_PRESETS_FILE", "") or ""
    return Path(value) if value else None


@lru_cache(maxsize=4)
def _load(path: Path | None) -> dict[str, GradingScheme]:
    return load_presets(path)


def available_schemes() -> dict[str, GradingScheme]:
    return _load(_presets_path())


def scheme_default_id() -> str:
    return default_scheme_id(_presets_path())


def scheme_get(scheme_id: str) -> GradingScheme:
    """The scheme with this id; the default one if the id is no longer offered."""
    schemes = available_schemes()
    return schemes.get(scheme_id) or schemes[scheme_default_id()]


def scheme_choices() -> list[tuple[str, str]]:
    return [(s.id, s.name) for s in available_schemes().values()]


def attention_rule(scheme: GradingScheme) -> AttentionRule:
    raw = getattr(settings, "KEIKAKU_EVALUATION_ATTENTION", None)
    if raw:
        return AttentionRule.from_dict(raw)
    return AttentionRule.default_for(scheme)
