"""keikaku analyze-opinions: the command contract (docs/formats/opinion-analysis.md)."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from keikaku.analysis.management.commands.analyze_opinions import Command

ROOT = Path(__file__).resolve().parents[3]
SAMPLES = ROOT / "docs" / "formats" / "samples" / "opinions"


def _run(tmp_path: Path, *extra: str) -> tuple[dict[str, object], str]:
    out = StringIO()
    target = tmp_path / "result.json"
    call_command(
        "analyze_opinions",
        "--opinions",
        str(SAMPLES / "opinions.csv"),
        "--measures",
        str(SAMPLES / "measures.csv"),
        "--output",
        str(target),
        *extra,
        stdout=out,
    )
    return json.loads(target.read_text(encoding="utf-8")), out.getvalue()


def test_sample_result_is_reproduced_exactly(tmp_path: Path) -> None:
    # golden file: docs/formats/samples/opinions/result.json (regenerate it on purpose only)
    data, message = _run(tmp_path, "--confirmations", str(SAMPLES / "confirmations.csv"))
    golden = json.loads((SAMPLES / "result.json").read_text(encoding="utf-8"))
    assert data == golden
    assert message == (
        # 20 opinions − 1 copy (O008 = O001) − 9 further campaign members (O009–O018) = 10 voices
        "意見 20 件（重複と組織的な意見をそれぞれ 1 件と数えると 10 件）を分析しました。"
        "該当なし 1 件、重複グループ 1、組織的な意見 1 件、トピック 5。"
        f"結果: {tmp_path / 'result.json'}\n"
    )


def test_sample_contract(tmp_path: Path) -> None:
    data, _ = _run(tmp_path)
    opinions = {o["id"]: o for o in data["opinions"]}  # type: ignore[attr-defined]
    assert opinions["O001"]["duplicate_group"] == opinions["O008"]["duplicate_group"] == "dup-0001"
    assert opinions["O002"]["measures"][0]["code"] == "4-2"  # ｺﾐｭﾆﾃｨﾊﾞｽ
    assert opinions["O007"]["measures"] == []  # いつもご苦労さまです → 該当なし
    assert [o["campaign"] for o in data["opinions"]] == [False] * 8 + [True] * 10 + [False] * 2  # type: ignore[attr-defined]


def test_seed_is_recorded(tmp_path: Path) -> None:
    data, _ = _run(tmp_path, "--seed", "3", "--threshold", "0.1")
    assert data["parameters"]["seed"] == 3  # type: ignore[index]
    assert data["parameters"]["assignment_threshold"] == 0.1  # type: ignore[index]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--opinions", "missing.csv"],
            "ファイル「missing.csv」が見つかりません。パスを確かめてください。",
        ),
        (
            ["--text-column", "本文"],
            "opinions.csv: 見出し行に「本文」列がありません（ある列: id、text、年代、地区）。列名を確かめてください。",
        ),
        (
            ["--threshold", "2"],
            "--threshold は 0 以上 1 以下の数で指定してください（指定値: 2.0）。",
        ),
    ],
)
def test_errors_are_one_line_japanese(tmp_path: Path, args: list[str], message: str) -> None:
    base = {
        "--opinions": str(SAMPLES / "opinions.csv"),
        "--measures": str(SAMPLES / "measures.csv"),
        "--output": str(tmp_path / "r.json"),
    }
    extra: list[str] = []
    for i in range(0, len(args), 2):
        if args[i] in base:
            base[args[i]] = args[i + 1]
        else:
            extra += args[i : i + 2]
    flat = [x for kv in base.items() for x in kv] + extra
    with pytest.raises(CommandError) as error:
        call_command("analyze_opinions", *flat)
    assert str(error.value) == message
    assert not (tmp_path / "r.json").exists()


def test_missing_output_folder(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as error:
        call_command(
            "analyze_opinions",
            "--opinions",
            str(SAMPLES / "opinions.csv"),
            "--measures",
            str(SAMPLES / "measures.csv"),
            "--output",
            str(tmp_path / "no" / "r.json"),
        )
    assert (
        str(error.value)
        == f"出力先のフォルダー「{tmp_path / 'no'}」がありません。先に作ってください。"
    )


def test_help_documents_every_option() -> None:
    text = Command().create_parser("keikaku", "analyze_opinions").format_help()
    for option in (
        "--opinions",
        "--measures",
        "--output",
        "--id-column",
        "--text-column",
        "--seed",
        "--confirmations",
        "--threshold",
        "--stop-words",
        "--synonyms",
        "--user-dictionary",
    ):
        assert option in text
