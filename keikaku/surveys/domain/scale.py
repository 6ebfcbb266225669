"""The five-point answer scale of the citizen survey (市民意識調査) and its code table.

Every satisfaction (満足度), importance (重要度) and overall-satisfaction cell holds one code:

====  ==================  ==================  =====
code  satisfaction        importance          score
====  ==================  ==================  =====
1     満足                 重要                 +2
2     やや満足             やや重要             +1
3     どちらともいえない   どちらともいえない    0
4     やや不満             あまり重要でない     -1
5     不満                 重要でない           -2
9     わからない           わからない           (excluded from the score)
0     (empty cell = no answer, 無回答)          (excluded everywhere)
====  ==================  ==================  =====

In memory a survey's scale answers are an ``int8`` matrix (respondents × items) of these
codes; ``0`` stands for the empty cell. Counts over the codes are kept in the fixed column
order :data:`COUNT_CODES` = (1, 2, 3, 4, 5, 9, 0), so column ``j`` of a count array always
means the same code.
"""

from __future__ import annotations

from typing import Final

import numpy as np
from numpy.typing import NDArray

from keikaku.core.domain.i18n import TranslatedLabels, gettext_noop

NO_ANSWER: Final = 0
DONT_KNOW: Final = 9
VALID_CODES: Final = (1, 2, 3, 4, 5)
COUNT_CODES: Final = (1, 2, 3, 4, 5, DONT_KNOW, NO_ANSWER)
"""Column order of every count array (… × 7)."""
DONT_KNOW_COLUMN: Final = 5
NO_ANSWER_COLUMN: Final = 6

SCORE_WEIGHTS: Final = (2, 1, 0, -1, -2)
"""Weight of codes 1–5 in the weighted mean score (加重平均評価点)."""

SATISFACTION_LABELS: Final[TranslatedLabels[int]] = TranslatedLabels(
    {
        1: gettext_noop("満足"),
        2: gettext_noop("やや満足"),
        3: gettext_noop("どちらともいえない"),
        4: gettext_noop("やや不満"),
        5: gettext_noop("不満"),
        9: gettext_noop("わからない"),
    }
)
"""Answer labels of the satisfaction scale, translated into the active language on lookup
(Japanese outside a request; ``.msgids`` gives the Japanese table)."""
IMPORTANCE_LABELS: Final[TranslatedLabels[int]] = TranslatedLabels(
    {
        1: gettext_noop("重要"),
        2: gettext_noop("やや重要"),
        3: gettext_noop("どちらともいえない"),
        4: gettext_noop("あまり重要でない"),
        5: gettext_noop("重要でない"),
        9: gettext_noop("わからない"),
    }
)
"""Answer labels of the importance scale, translated on lookup like :data:`SATISFACTION_LABELS`."""

_LUT = np.full(256, -1, dtype=np.int8)
for _column, _code in enumerate(COUNT_CODES):
    _LUT[_code] = _column
CODE_TO_COLUMN: Final[NDArray[np.int8]] = _LUT
"""Look-up table: answer code (0–255) → column of a count array, −1 for an invalid code."""
CODE_TO_COLUMN.setflags(write=False)
