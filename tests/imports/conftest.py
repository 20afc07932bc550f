"""Every import test gets its own data directory (staged uploads, kept raw files)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mitradesa.settings import get_settings


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("MITRADESA_DATA_DIR", str(folder))
    get_settings.cache_clear()
    yield folder
    get_settings.cache_clear()
