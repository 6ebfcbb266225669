"""Pluggable embedding and LLM backends.

By default the analysis is offline and self-contained: :class:`TfidfLsaEmbedding` (TruncatedSVD
of the TF-IDF features already computed) and :class:`NullLLM` (no generated text). A test
double, :class:`FakeLLM`, returns fixed text. :class:`OpenAICompatibleLLM` and
:class:`OpenAICompatibleEmbedding` call an OpenAI-compatible HTTP API (``/chat/completions``,
``/embeddings``) with ``urllib``; they exist only when a caller constructs one with an explicit
URL — nothing in the default pipeline opens a network connection.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.decomposition import TruncatedSVD
from sklearn.preprocessing import normalize as l2_normalize

from keikaku.analysis.domain.features import Matrix
from keikaku.core.domain.i18n import _

__all__ = [
    "BackendError",
    "EmbeddingBackend",
    "EmbeddingInput",
    "FakeLLM",
    "LLMBackend",
    "NullLLM",
    "OpenAICompatibleEmbedding",
    "OpenAICompatibleLLM",
    "TfidfLsaEmbedding",
]


class BackendError(RuntimeError):
    """An external backend failed or answered something unusable."""


@dataclass(frozen=True)
class EmbeddingInput:
    """What an embedding backend may use: the normalised texts and their TF-IDF features."""

    texts: Sequence[str]
    word_tfidf: Matrix
    char_tfidf: Matrix
    seed: int = 0


@runtime_checkable
class EmbeddingBackend(Protocol):
    @property
    def name(self) -> str: ...

    def embed(self, data: EmbeddingInput) -> NDArray[np.float64]:
        """One L2-normalised row per text (a row of zeros for an empty text)."""
        ...


@runtime_checkable
class LLMBackend(Protocol):
    @property
    def name(self) -> str: ...

    def summarize(self, texts: Sequence[str], *, instruction: str) -> str | None:
        """A short Japanese summary of the texts, or None when the backend writes none."""
        ...


@dataclass(frozen=True)
class TfidfLsaEmbedding:
    """Latent semantic analysis: TruncatedSVD of word and character TF-IDF, side by side."""

    dimensions: int = 100
    word_weight: float = 0.5
    name: str = "tfidf-lsa"

    def embed(self, data: EmbeddingInput) -> NDArray[np.float64]:
        n = data.word_tfidf.shape[0]
        features = sparse.hstack(
            [
                data.word_tfidf * np.sqrt(self.word_weight),
                data.char_tfidf * np.sqrt(1.0 - self.word_weight),
            ],
            format="csr",
        )
        # keep only columns that occur (hashed character features are mostly empty)
        used = np.unique(features.indices)
        features = features[:, used]
        k = min(self.dimensions, n - 1, features.shape[1] - 1)
        if k < 1:
            dense: NDArray[np.float64] = np.asarray(features.toarray(), dtype=np.float64)
            out: NDArray[np.float64] = l2_normalize(dense) if dense.size else np.zeros((n, 1))
            return out
        svd = TruncatedSVD(n_components=k, algorithm="randomized", n_iter=5, random_state=data.seed)
        reduced: NDArray[np.float64] = np.asarray(svd.fit_transform(features), dtype=np.float64)
        # a stable sign for each component: its largest loading is positive
        comps = np.asarray(svd.components_)
        signs = np.sign(comps[np.arange(k), np.abs(comps).argmax(axis=1)])
        signs[signs == 0] = 1.0
        result: NDArray[np.float64] = l2_normalize(reduced * signs)
        return result


@dataclass(frozen=True)
class NullLLM:
    """No language model: no generated summaries (the default)."""

    name: str = "none"

    def summarize(self, texts: Sequence[str], *, instruction: str) -> str | None:
        return None


@dataclass(frozen=True)
class FakeLLM:
    """Test double: a fixed, checkable summary."""

    name: str = "fake"

    def summarize(self, texts: Sequence[str], *, instruction: str) -> str | None:
        first = texts[0] if texts else ""
        return f"{len(texts)}件の意見。例: {first[:20]}"


Opener = Callable[..., Any]


def _post_json(
    opener: Opener, url: str, payload: dict[str, Any], api_key: str, timeout: float
) -> Any:
    if not url.startswith(("http://", "https://")):
        raise BackendError(
            _("接続先の URL は http:// または https:// で始めてください: %(url)s") % {"url": url}
        )
    headers = {"Content-Type": "application/json"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode("utf-8"), headers=headers, method="POST"
    )
    try:
        with opener(request, timeout=timeout) as response:
            return json.loads(response.read().decode("utf-8"))
    except (OSError, ValueError) as exc:
        raise BackendError(
            _("外部の分析サービス（%(url)s）に接続できませんでした: %(error)s")
            % {"url": url, "error": exc}
        ) from exc


@dataclass(frozen=True)
class OpenAICompatibleLLM:
    """Chat completions of an OpenAI-compatible server; only when configured with a URL."""

    base_url: str
    model: str
    api_key: str = ""
    timeout: float = 60.0
    max_texts: int = 30
    opener: Opener = urllib.request.urlopen
    name: str = "openai-compatible"

    def summarize(self, texts: Sequence[str], *, instruction: str) -> str | None:
        joined = "\n".join(f"- {t}" for t in texts[: self.max_texts])
        payload = {
            "model": self.model,
            "messages": [
                {"role": "system", "content": instruction},
                {"role": "user", "content": joined},
            ],
            "temperature": 0,
        }
        answer = _post_json(
            self.opener,
            self.base_url.rstrip("/") + "/chat/completions",
            payload,
            self.api_key,
            self.timeout,
        )
        try:
            return str(answer["choices"][0]["message"]["content"]).strip()
        except (KeyError, IndexError, TypeError) as exc:
            raise BackendError(_("外部の分析サービスの応答を読めませんでした。")) from exc


@dataclass(frozen=True)
class OpenAICompatibleEmbedding:
    """Embeddings of an OpenAI-compatible server; only when configured with a URL."""

    base_url: str
    model: str
    api_key: str = ""
    timeout: float = 60.0
    batch_size: int = 256
    opener: Opener = urllib.request.urlopen
    name: str = "openai-compatible-embedding"

    def embed(self, data: EmbeddingInput) -> NDArray[np.float64]:
        rows: list[list[float]] = []
        texts = list(data.texts)
        for start in range(0, len(texts), self.batch_size):
            batch = [t or " " for t in texts[start : start + self.batch_size]]
            answer = _post_json(
                self.opener,
                self.base_url.rstrip("/") + "/embeddings",
                {"model": self.model, "input": batch},
                self.api_key,
                self.timeout,
            )
            try:
                items = sorted(answer["data"], key=lambda d: d["index"])
                rows.extend([list(map(float, d["embedding"])) for d in items])
            except (KeyError, TypeError, ValueError) as exc:
                raise BackendError(_("外部の分析サービスの応答を読めませんでした。")) from exc
        if len(rows) != len(texts):
            raise BackendError(_("外部の分析サービスの応答の件数が合いません。"))
        matrix = np.asarray(rows, dtype=np.float64).reshape(len(texts), -1)
        out: NDArray[np.float64] = l2_normalize(matrix)
        return out
