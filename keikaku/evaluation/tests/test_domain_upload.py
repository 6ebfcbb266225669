"""Reading the bulk-entry file (no database): typed rows and located problems."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl

from keikaku.core.domain.textio import write_csv_bytes
from keikaku.evaluation.domain.actuals_upload import (
    ActualRow,
    CostRow,
    parse_upload,
    read_upload_files,
)

ACTUAL_HEADER = ["指標番号", "指標名", "年度", "実績値", "時点", "備考", "単位", "基準値", "目標値"]
COST_HEADER = [
    "事業番号",
    "事業名",
    "年度",
    "区分",
    "事業費（千円）",
    "国庫支出金（千円）",
    "県支出金（千円）",
    "地方債（千円）",
    "その他（千円）",
    "一般財源（千円）",
    "人件費（千円）",
    "従事職員数（人工）",
    "備考",
]


def xlsx(sheets: dict[str, list[list[object]]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def parse(sheets: dict[str, list[list[object]]], fy: int | None = 2024):
    return parse_upload(read_upload_files([("actuals.xlsx", xlsx(sheets))]), fiscal_year=fy)


def test_good_file() -> None:
    result = parse(
        {
            "実績値": [
                ACTUAL_HEADER,
                ["1-1-1", "利用者数", 2024, 48, dt.datetime(2025, 3, 31), "速報値", "人", 40, 50],
                ["1-1-2", "待機児童数", "令和6年度", "２", None, None],
                [None, None, None, None],  # blank rows are skipped
                ["2-1-1", "満足度", "R6", "未報告", None, None],
            ],
            "事業費": [
                COST_HEADER,
                [
                    "P-1",
                    "拠点事業",
                    2024,
                    "決算",
                    "37,000",
                    12300,
                    12300,
                    0,
                    0,
                    12400,
                    8000,
                    1.5,
                    "",
                ],
                [
                    "P-2",
                    "マイレージ",
                    2024,
                    "計画",
                    5200,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                ],
            ],
        }
    )
    assert result.problems == ()
    assert result.actuals == (
        ActualRow(2, "1-1-1", 2024, 48.0, dt.date(2025, 3, 31), "速報値"),
        ActualRow(3, "1-1-2", 2024, 2.0, None, ""),
        ActualRow(5, "2-1-1", 2024, None, None, ""),
    )
    assert result.costs == (
        CostRow(2, "P-1", 2024, False, 37000, 12300, 12300, 0, 0, 12400, 8000, 1.5, ""),
        CostRow(3, "P-2", 2024, True, 5200, None, None, None, None, None, None, None, ""),
    )


def test_every_problem_is_located() -> None:
    result = parse(
        {
            "実績値": [
                ACTUAL_HEADER,
                ["1-1-1", "", 2023, 48],  # wrong year
                ["", "", 2024, "abc"],  # no code, not a number
                ["1-1-2", "", 2024, 5],
                ["1-1-2", "", 2024, 6],  # duplicate of row 4
                ["1-1-3", "", 2024, 1, "2025年13月1日"],  # bad date
            ],
            "事業費": [
                COST_HEADER,
                ["P-1", "", 2024, "見込み", -5, 1, 1, 0, 0, 0],  # bad kind, negative total
                ["P-2", "", 2024, "決算", 100, 10, 10, 0, 0, 70],  # 90 ≠ 100
                ["P-3", "", 2024, "決算", 10.5],  # decimals
            ],
            "メモ": [["自由なメモ"]],
        }
    )
    located = [(p.sheet, p.row, p.column_letter, p.column) for p in result.problems]
    assert located == [
        ("実績値", 2, "C", "年度"),
        ("実績値", 3, "A", "指標番号"),
        ("実績値", 3, "D", "実績値"),
        ("実績値", 5, "A", "指標番号"),
        ("実績値", 6, "E", "時点"),
        ("事業費", 2, "D", "区分"),
        ("事業費", 2, "E", "事業費（千円）"),
        ("事業費", 3, "E", "事業費（千円）"),
        ("事業費", 4, "E", "事業費（千円）"),
        ("メモ", None, None, None),
    ]
    messages = [p.message for p in result.problems]
    assert messages[0] == (
        "年度が2023年度になっています。このファイルでは2024年度の値だけを取り込めます。"
        "年度を直すか、行を削除してください。"
    )
    assert messages[1] == "指標番号が空です。施策の成果指標の番号を入力してください。"
    assert messages[3] == (
        "指標「1-1-2」の2024年度の行が 4 行目にもあります。1 行にまとめてください。"
    )
    assert messages[6] == "金額（-5）が負です。0 以上の千円単位の金額を入力してください。"
    assert messages[7] == (
        "財源内訳の合計（90 千円）が事業費（100 千円）と一致しません。"
        "国庫支出金・県支出金・地方債・その他・一般財源の合計を事業費に合わせてください。"
    )
    assert messages[8] == "金額（10.5）は千円単位の整数で入力してください（小数は使えません）。"
    assert messages[9] == (
        "シート「メモ」は取り込めません。シート名を「実績値」か「事業費」にしてください。"
    )
    assert str(result.problems[0]) == "「実績値」シート 2行目 C列「年度」: " + messages[0]
    # nothing is returned for rows with problems
    assert [r.row for r in result.actuals] == [4]
    assert result.costs == ()


def test_missing_and_unknown_columns() -> None:
    result = parse({"実績値": [["指標番号", "値段"], ["1-1-1", 3]]})
    assert [(p.row, p.column_letter, p.column, p.message) for p in result.problems] == [
        (
            1,
            "B",
            "値段",
            "列「値段」は使いません。列名を確かめてください"
            "（使える列: 指標番号、指標名、年度、実績値、時点、備考）。",
        ),
        (1, None, "年度", "必要な列「年度」がありません。1 行目に列名を書いてください。"),
        (1, None, "実績値", "必要な列「実績値」がありません。1 行目に列名を書いてください。"),
    ]


def test_no_sheet_and_no_rows() -> None:
    empty = parse({"実績値": [ACTUAL_HEADER]})
    assert [p.message for p in empty.problems] == [
        "取り込む行がありません。2 行目から値を入力してください。"
    ]
    broken = parse_upload(read_upload_files([("a.xlsx", b"not a zip")]))
    assert [(p.source, p.message) for p in broken.problems] == [
        (
            "a.xlsx",
            "ファイルを開けません。壊れているか、.xlsx・.zip の形式ではありません。"
            "書き出したファイルを使ってください。",
        )
    ]
    wrong = parse_upload(read_upload_files([("a.pdf", b"%PDF")]))
    assert wrong.problems[0].message.startswith("Excel ファイル（.xlsx）を 1 つ")


def test_csv_in_cp932_with_names_of_sheets() -> None:
    rows = [["指標番号", "年度", "実績値", "備考"], ["1-1-1", "2024", "1,234", "髙橋①"]]
    data = write_csv_bytes(rows, encoding="cp932", guard=False)
    result = parse_upload(read_upload_files([("実績値.csv", data)]), fiscal_year=2024)
    assert result.problems == ()
    assert result.actuals == (ActualRow(2, "1-1-1", 2024, 1234.0, None, "髙橋①"),)


def test_csv_formula_guard_is_undone() -> None:
    rows = [["指標番号", "年度", "実績値", "備考"], ["1-1-1", "2024", "5", "=SUM(A1)"]]
    data = write_csv_bytes(rows)  # UTF-8 with BOM; the note is written as '=SUM(A1)
    result = parse_upload(read_upload_files([("実績値.csv", data)]), fiscal_year=2024)
    assert result.actuals[0].note == "=SUM(A1)"


def test_documented_sample_reads_cleanly() -> None:
    from pathlib import Path

    sample = Path(__file__).resolve().parents[3] / "docs/formats/samples/evaluation-upload.xlsx"
    result = parse_upload(read_upload_files([(sample.name, sample.read_bytes())]), fiscal_year=2024)
    assert result.problems == ()
    assert [(r.indicator, r.value) for r in result.actuals] == [
        ("1-1-1", 48.0),
        ("1-1-2", 2.0),
        ("1-2-1", 4.0),
        ("1-2-2", 1.0),
        ("2-1-1", 62.0),
        ("2-1-2", None),
    ]
    assert result.actuals[1].as_of == dt.date(2025, 4, 1)
    assert [(c.programme, c.total, c.general, c.staff_cost, c.staff_fte) for c in result.costs] == [
        ("P-1", 37000, 12400, 8000, 1.0),
        ("P-2", 5000, 4000, 4000, 0.5),
    ]
