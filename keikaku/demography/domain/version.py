"""The version of the projection engine, stored with every projection run.

Bump it whenever a change to :mod:`.projection`, :mod:`.scenarios` or :mod:`.tables` can
change a projected number, so that a stored run tells which computation produced it.
"""

from __future__ import annotations

from typing import Final

ENGINE_NAME: Final = "keikaku.demography"
ENGINE_VERSION: Final = "1.0"


def engine_version() -> str:
    """``keikaku.demography/1.0``."""
    return f"{ENGINE_NAME}/{ENGINE_VERSION}"
