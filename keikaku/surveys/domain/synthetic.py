"""Synthetic (illustrative) survey answers for the demo and the benchmarks.

Deterministic for a given seed (numpy's PCG64). The model is deliberately simple and says
nothing about any real city:

- every respondent has a general mood ``m ~ N(0, 0.6)``;
- every measure has a quality ``q ~ N(0.1, 0.45)`` and a salience ``p ~ N(0.9, 0.45)``;
- satisfaction with a measure is ``q + m + N(0, 0.8)``, importance ``p + N(0, 0.7)``, and
  overall satisfaction ``mean(q) + 1.4·m + N(0, 0.5)``, cut into the five codes at
  ±0.4 and ±1.2 (the higher the value, the better the code: +2 → code 1);
- 「わからない」 is answered with probability 8 % (satisfaction) / 3 % (importance), no
  answer with 3 %;
- attributes and other single choices follow the given weights (uniform by default);
  multiple choices pick each option with probability 30 % (at most ``max_picks``); about
  12 % write one of a few illustrative comments in each free-text question.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

import numpy as np
from numpy.typing import NDArray

from keikaku.surveys.domain.wave import QuestionDef, Row, WaveSpec

ILLUSTRATIVE_COMMENTS: Final = (
    "駅の周りの歩道を広くしてほしいです。",
    "子どもが遊べる公園がもっと近くにあるとうれしいです。",
    "夜道が暗いので、街灯を増やしてほしい。",
    "バスの本数が少なく、通院に困っています。",
    "市の情報が見つけにくいので、ホームページを分かりやすくしてほしい。",
    "災害のときの避難場所を、もっと知らせてほしい。",
    "高齢の親の介護について、相談できる窓口を知りたいです。",
    "図書館の開館時間を延ばしてほしいです。",
    "ごみの分け方が分かりにくいです。",
    "地域の行事に参加したいが、情報が届きません。",
)


def _cut(values: NDArray[np.float64]) -> NDArray[np.int8]:
    """Latent values → codes 1 (best) … 5 (worst)."""
    codes = np.full(values.shape, 3, dtype=np.int8)
    codes[values > 0.4] = 2
    codes[values > 1.2] = 1
    codes[values < -0.4] = 4
    codes[values < -1.2] = 5
    return codes


def _blank_out(
    codes: NDArray[np.int8], rng: np.random.Generator, dont_know: float, no_answer: float
) -> NDArray[np.int8]:
    draw = rng.random(codes.shape)
    out = codes.copy()
    out[draw < dont_know + no_answer] = 9
    out[draw < no_answer] = 0
    return out


def synthetic_rows(
    spec: WaveSpec,
    n: int,
    *,
    seed: int,
    id_prefix: str = "D",
    weights: Mapping[str, Sequence[float]] | None = None,
) -> list[Row]:
    """``n`` respondents answering every question of ``spec`` (ids ``D00001`` …).

    ``weights`` maps a question code to the relative weight of each of its options
    (single choice and attributes).
    """
    rng = np.random.default_rng(seed)
    weights = weights or {}
    rows: list[Row] = [(f"{id_prefix}{i + 1:05d}", {}) for i in range(n)]
    mood = rng.normal(0.0, 0.6, n)
    measures = [q for q in spec.questions if q.kind == "measure"]
    quality = rng.normal(0.1, 0.45, len(measures))
    salience = rng.normal(0.9, 0.45, len(measures))
    if measures:
        sat = _cut(quality[None, :] + mood[:, None] + rng.normal(0.0, 0.8, (n, len(measures))))
        imp = _cut(salience[None, :] + rng.normal(0.0, 0.7, (n, len(measures))))
        sat = _blank_out(sat, rng, 0.08, 0.03)
        imp = _blank_out(imp, rng, 0.03, 0.03)
        for j, q in enumerate(measures):
            for i in range(n):
                if sat[i, j]:
                    rows[i][1][f"S:{q.code}"] = str(int(sat[i, j]))
                if imp[i, j]:
                    rows[i][1][f"I:{q.code}"] = str(int(imp[i, j]))
    base = float(quality.mean()) if measures else 0.0
    for q in spec.questions:
        if q.kind == "measure":
            continue
        column = q.code
        if q.kind == "scale":
            latent = base + 1.4 * mood + rng.normal(0.0, 0.5, n)
            codes = _blank_out(_cut(latent), rng, 0.03, 0.02)
            for i in range(n):
                if codes[i]:
                    rows[i][1][column] = str(int(codes[i]))
        elif q.kind == "single":
            _single(q, rows, rng, weights.get(q.code))
        elif q.kind == "multiple":
            limit = q.max_picks or len(q.options)
            picks = rng.random((n, len(q.options))) < 0.3
            for i in range(n):
                chosen = [k + 1 for k in np.flatnonzero(picks[i]).tolist()][:limit]
                if chosen:
                    rows[i][1][column] = ";".join(str(c) for c in chosen)
        else:
            writes = rng.random(n) < 0.12
            which = rng.integers(0, len(ILLUSTRATIVE_COMMENTS), n)
            for i in np.flatnonzero(writes).tolist():
                rows[i][1][column] = ILLUSTRATIVE_COMMENTS[int(which[i])]
    return rows


def _single(
    q: QuestionDef, rows: list[Row], rng: np.random.Generator, weights: Sequence[float] | None
) -> None:
    k = len(q.options)
    p = np.asarray(weights if weights is not None else [1.0] * k, dtype=np.float64)
    if p.shape != (k,) or (p < 0).any() or p.sum() <= 0:
        raise ValueError(f"weights of {q.code} must be {k} non-negative numbers")
    choice = rng.choice(k, size=len(rows), p=p / p.sum())
    skip = rng.random(len(rows)) < 0.02
    for i, (c, s) in enumerate(zip(choice.tolist(), skip.tolist(), strict=True)):
        if s:
            continue
        rows[i][1][q.code] = q.options[c] if q.attribute else str(c + 1)
