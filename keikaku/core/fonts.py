"""The Japanese font every PDF of Keikaku embeds, and whether the server has it.

Noto Sans CJK JP comes with the Debian package ``fonts-noto-cjk``; fontconfig's ``fc-list``
says whether it is installed. Shared by keikaku.reporting and keikaku.publication.
"""

from __future__ import annotations

import subprocess
from functools import lru_cache

FONT_FAMILY = "Noto Sans CJK JP"


@lru_cache(maxsize=1)
def cjk_font_available() -> bool:
    """True when fontconfig knows :data:`FONT_FAMILY` (asked once per process)."""
    try:
        out = subprocess.run(
            ["fc-list", f":family={FONT_FAMILY}", "family"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return FONT_FAMILY in out
