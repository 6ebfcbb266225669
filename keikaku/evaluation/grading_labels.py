"""The texts of the shipped grading presets (``data/grading_presets.json``) as msgids.

A preset is data: it is copied into the city's grading scheme, which staff may edit, and the
published evaluation report keeps its texts in Japanese. This module only lists the shipped
texts with ``gettext_noop`` so that ``makemessages`` puts them in the catalogue; the public
evaluation pages translate the scheme name, scheme description and grade descriptions with
``gettext`` when they show them (:func:`translate_label`). A text a city has edited is not in
the catalogue and is shown as entered. ``tests/test_grading_labels.py`` checks that this list
matches the JSON file.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

PRESET_TEXTS: tuple[str, ...] = (
    # nagayo
    gettext_noop("長与町型（S・A・B・C・−）"),
    gettext_noop(
        "数値目標の進み具合を機械的に判定する 5 段階。S は目標値を超えている、A は基準値を上回っている、B は基準値と同水準（基準値から 10 % 以内の低下まで）、C は基準値より 10 % を超えて下がっている、− は評価できない。"
    ),
    gettext_noop("目標値を超えている"),
    gettext_noop("基準値を上回っている"),
    gettext_noop("基準値と同水準（基準値から 10 % 以内の低下）"),
    gettext_noop("基準値より下がっている（10 % を超える低下）"),
    gettext_noop("実績値が把握できない等の理由により評価できない"),
    # abcd
    gettext_noop("達成度 4 段階（A・B・C・D）"),
    gettext_noop(
        "達成度（(実績値 − 基準値) ÷ (目標値 − 基準値)）で 4 段階に分ける。A は 110 % 以上、B は 80 % 以上 110 % 未満、C は 50 % 以上 80 % 未満、D は 50 % 未満。計画期間の途中では、経過年数を考えない点に注意（期間の最終年度の評価や、毎年度の目標値がある指標に向く）。"
    ),
    gettext_noop("目標を大きく上回って達成（達成度 110 % 以上）"),
    gettext_noop("おおむね目標どおり（達成度 80 % 以上 110 % 未満）"),
    gettext_noop("目標を下回っている（達成度 50 % 以上 80 % 未満）"),
    gettext_noop("目標を大きく下回っている（達成度 50 % 未満）"),
    gettext_noop("実績値が未報告のため評価できない"),
    # marubatsu
    gettext_noop("◎・○・△・×（経過年数を考慮）"),
    gettext_noop(
        "◎ は目標値に到達（達成度 100 % 以上）。まだ到達していない指標は、経過年数から見込まれる進み具合（期待される進捗）に対する割合（期待進捗比）で判定する。○ 概ね順調は 80 % 以上、△ やや遅れは 50 % 以上 80 % 未満、× 遅れは 50 % 未満。最終年度には期待進捗比 = 達成度になる。"
    ),
    gettext_noop("達成（目標値に到達している）"),
    gettext_noop("概ね順調（期待される進捗の 80 % 以上）"),
    gettext_noop("やや遅れ（期待される進捗の 50 % 以上 80 % 未満）"),
    gettext_noop("遅れ（期待される進捗の 50 % 未満）"),
    gettext_noop("実績値が未報告、または基準年度以前のため評価できない"),
    # akiruno
    gettext_noop("あきる野市型（F・S・A・B・C・X・Y・Z）"),
    gettext_noop(
        "F 事業完了・X 未着手・Y 中止は担当課が状態として入力する。S・A・B・C は「このまま進めた場合の見込み」を、期待進捗比（達成度 ÷ 経過割合、最終年度の達成度の見込み）で機械的に判定する。S は 110 % 以上（目標値以上）、A は 90 % 以上 110 % 未満（目標値どおり）、B は 50 % 以上 90 % 未満（要改善）、C は 50 % 未満（要大幅改善）。Z は評価困難。数値の境目は Keikaku の解釈で、市の基準に合わせて変更できる。"
    ),
    gettext_noop("事業完了"),
    gettext_noop("中止"),
    gettext_noop("未着手"),
    gettext_noop("目標値以上の成果が見込まれる（期待進捗比 110 % 以上）"),
    gettext_noop("目標値どおりの成果が見込まれる（期待進捗比 90 % 以上 110 % 未満）"),
    gettext_noop("要改善：このままでは目標値に届かない（期待進捗比 50 % 以上 90 % 未満）"),
    gettext_noop("要大幅改善：目標値の半分程度以下にとどまる見込み（期待進捗比 50 % 未満）"),
    gettext_noop("評価困難（実績値が未報告など）"),
)


def translate_label(text: str) -> str:
    """``text`` in the active language when the catalogue has it, else as entered."""
    return gettext(text) if text else text
