"""The numeric regression test: the results of the chain's last run (reports/results.csv, which
`make test` makes first) against the results the committed notebooks recorded, each within the
tolerance it states. nbval compares every output exactly; this names a change by its result
("04 india_implied_consumption_growth: 31.7 %/yr → 30.2 %/yr")."""

from __future__ import annotations

import pytest
from conftest import CHECKOUT

from rare_earths.build import chain, params, reader, results
from rare_earths.project import relative


def test_the_last_run_gives_the_committed_notebooks_results_within_their_tolerances():
    if not CHECKOUT.results_csv.is_file():
        pytest.fail(
            f"{relative(CHECKOUT.results_csv)} is missing: run `make reports` first (`make test` does)",
            pytrace=False,
        )
    defaults = params.resolve()
    for name in chain.NOTEBOOKS:
        ran = reader.ran_with(__import__("nbformat").read(CHECKOUT.executed / name, as_version=4))
        differs = {key: value for key, value in ran.items() if value != defaults[key]}
        assert not differs, (
            f"{name} last ran with {differs}, not the defaults the committed notebooks use: run `make reports`"
        )
    committed = results.chain_table(CHECKOUT.notebooks, chain.NOTEBOOKS)
    assert len(committed) >= len(chain.NOTEBOOKS), (
        "the committed notebooks record fewer results than there are notebooks"
    )
    changes = results.compare(committed, results.read(CHECKOUT.results_csv))
    assert not changes, "results changed:\n" + "\n".join(changes)


def test_every_notebook_records_at_least_one_result_with_its_meaning():
    committed = results.table(CHECKOUT.notebooks, chain.NOTEBOOKS)
    assert set(committed.notebook) == set(chain.NOTEBOOKS)
    assert committed.meaning.str.len().min() > 20 and (committed.label != committed.name).all()
