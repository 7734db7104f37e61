"""Shared fixtures: the small deliberately broken tables under tests/fixtures/."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


# The fixture notebooks are broken on purpose (chain error paths); nbval must not collect them.
collect_ignore_glob = ["fixtures/*"]
