"""Embedding and LLM backends: offline defaults, a fake, the optional HTTP backends."""

from __future__ import annotations

import io
import json
from typing import Any

import numpy as np
import pytest
from scipy import sparse

from keikaku.analysis.domain.backends import (
    BackendError,
    EmbeddingBackend,
    EmbeddingInput,
    FakeLLM,
    LLMBackend,
    NullLLM,
    OpenAICompatibleEmbedding,
    OpenAICompatibleLLM,
    TfidfLsaEmbedding,
)


class _Response(io.BytesIO):
    def __enter__(self) -> _Response:
        return self

    def __exit__(self, *args: object) -> None:
        self.close()


class _Opener:
    def __init__(self, answer: Any) -> None:
        self.answer = answer
        self.requests: list[tuple[str, dict[str, Any], dict[str, str], float]] = []

    def __call__(self, request: Any, timeout: float) -> _Response:
        body = json.loads(request.data.decode("utf-8"))
        self.requests.append((request.full_url, body, dict(request.header_items()), timeout))
        return _Response(json.dumps(self.answer).encode("utf-8"))


def test_defaults_satisfy_the_protocols() -> None:
    assert isinstance(TfidfLsaEmbedding(), EmbeddingBackend)
    assert isinstance(NullLLM(), LLMBackend)
    assert isinstance(FakeLLM(), LLMBackend)
    assert isinstance(OpenAICompatibleLLM("http://127.0.0.1:9", "m"), LLMBackend)


def test_null_and_fake_llm() -> None:
    assert NullLLM().summarize(["a"], instruction="要約") is None
    assert FakeLLM().summarize(
        ["市民プールを残してください。子どもの居場所です。", "b"], instruction="x"
    ) == (
        "2件の意見。例: 市民プールを残してください。子どもの居場"  # the first 20 characters
    )


def test_lsa_embedding_rows_are_unit_or_zero() -> None:
    words = sparse.csr_matrix(
        np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0], [1.0, 1.0, 0.0]])
    )
    chars = sparse.csr_matrix(np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0], [1.0, 0.0]]))
    vectors = TfidfLsaEmbedding(dimensions=2).embed(
        EmbeddingInput(["a", "b", "", "ab"], words, chars)
    )
    assert vectors.shape == (4, 2)
    assert np.linalg.norm(vectors, axis=1).round(6).tolist() == [1.0, 1.0, 0.0, 1.0]


def test_openai_compatible_llm_posts_a_chat_completion() -> None:
    opener = _Opener({"choices": [{"message": {"content": " 要約です。 "}}]})
    llm = OpenAICompatibleLLM(
        "http://127.0.0.1:8000/v1/", "local-model", api_key="k", opener=opener
    )
    assert llm.summarize(["意見1", "意見2"], instruction="要約して") == "要約です。"
    url, body, headers, timeout = opener.requests[0]
    assert url == "http://127.0.0.1:8000/v1/chat/completions"
    assert body == {
        "model": "local-model",
        "messages": [
            {"role": "system", "content": "要約して"},
            {"role": "user", "content": "- 意見1\n- 意見2"},
        ],
        "temperature": 0,
    }
    assert headers["Authorization"] == "Bearer k"
    assert timeout == 60.0


def test_openai_compatible_embedding_batches_and_normalises() -> None:
    opener = _Opener(
        {"data": [{"index": 1, "embedding": [0.0, 2.0]}, {"index": 0, "embedding": [3.0, 4.0]}]}
    )
    backend = OpenAICompatibleEmbedding(
        "http://127.0.0.1:8000/v1", "emb", batch_size=2, opener=opener
    )
    empty = sparse.csr_matrix((2, 1))
    vectors = backend.embed(EmbeddingInput(["a", ""], empty, empty))
    assert vectors.round(4).tolist() == [[0.6, 0.8], [0.0, 1.0]]
    assert opener.requests[0][1] == {"model": "emb", "input": ["a", " "]}


def test_backend_errors_are_japanese() -> None:
    with pytest.raises(BackendError) as scheme:
        OpenAICompatibleLLM("file:///etc/passwd", "m", opener=_Opener({})).summarize(
            ["a"], instruction="x"
        )
    assert (
        str(scheme.value)
        == "接続先の URL は http:// または https:// で始めてください: file:///etc/passwd/chat/completions"
    )
    with pytest.raises(BackendError) as shape:
        OpenAICompatibleLLM("http://127.0.0.1:9", "m", opener=_Opener({"oops": 1})).summarize(
            ["a"], instruction="x"
        )
    assert str(shape.value) == "外部の分析サービスの応答を読めませんでした。"

    def refuse(request: Any, timeout: float) -> Any:
        raise OSError("connection refused")

    with pytest.raises(BackendError) as down:
        OpenAICompatibleLLM("http://127.0.0.1:9", "m", opener=refuse).summarize(
            ["a"], instruction="x"
        )
    assert str(down.value) == (
        "外部の分析サービス（http://127.0.0.1:9/chat/completions）に接続できませんでした: connection refused"
    )
