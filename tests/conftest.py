"""Shared fixtures: the small deliberately broken tables under tests/fixtures/."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

# No per-example deadline anywhere: under load (CI, two cores shared with notebook kernels) correct
# examples took 274-290 ms against hypothesis's 200 ms default, and a deadline failed them.
settings.register_profile("project", deadline=None)
settings.load_profile("project")

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


# The fixture notebooks are broken on purpose (chain error paths); nbval must not collect them.
collect_ignore_glob = ["fixtures/*"]
