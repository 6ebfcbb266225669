"""Council tests write uploaded PDFs to a temporary media folder, never to var/media."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _council_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
