"""Array type shared by the demography domain modules."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def as_float_array(values: object) -> FloatArray:
    """``values`` as a float64 ndarray (no copy when it already is one)."""
    return np.asarray(values, dtype=np.float64)
