"""The targets the project sets itself, declared once, and the table that states each with what one
run of `make bench` measured.

A measurement is a number of seconds under a name (`chain.measure` and `fresh.measure` return them);
each target names its measurement, the measurement its ratio is taken against, and its limit: on
that ratio (the cold chain against its floor, which holds across machines) or on the seconds
themselves (what a reader waits).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# What a ratio is taken against, as the table names it.
BASES = {
    "floor_no_sweep": "its floor",
    "floor": "its floor",
    "cold": "the cold chain",
}


@dataclass(frozen=True)
class Target:
    measurement: str  # its name in the measurements of a run
    what: str  # what is timed, for the table
    base: str  # the measurement its ratio is against (`BASES`)
    limit: float | None = None  # None: reported, no target
    on_ratio: bool = False  # the limit is on the ratio (at most), else on the seconds (under)

    def stated(self) -> str:
        if self.limit is None:
            return "none (reported)"
        return f"≤ {self.limit:g} × {BASES[self.base]}" if self.on_ratio else f"< {self.limit:g} s"

    def met(self, seconds: float, base: float | None) -> bool:
        return seconds / base <= self.limit if self.on_ratio else seconds < self.limit


TARGETS = (
    Target(
        "cold_no_sweep",
        "cold chain without the sweep (`run --force --no-sweep`), alternated with its floor: "
        "the cleaning step and the notebooks' code as plain scripts, as many at a time (it renders no page)",
        "floor_no_sweep",
        1.25,
        on_ratio=True,
    ),
    Target(
        "cold",
        "cold chain with the sweep (`run --force`), alternated with its floor: the same scripts "
        "and the sweep's other runs as scripts",
        "floor",
    ),
    Target("warm", "warm no-op (`run`, nothing changed)", "cold", 0.5),
    Target("one_parameter", "one parameter changed (`run --set consumption_base_year=2023`)", "cold"),
    Target("site_only", "site-only edit (`run` after a comment is added to the site's stylesheet)", "cold"),
    Target("fresh_reports", "`make reports` in a fresh clone, installs included", "cold", 60),
    Target("fresh_test", "`make test` in that clone, after its `make reports`", "cold", 180),
    Target("warm_test", "`make test` again in that clone", "cold", 120),
)


def result(target: Target, seconds: Mapping[str, float], failed: Mapping[str, str]) -> str:
    """The verdict: met or not met; reported (no target); failed, and how, when its command failed;
    or not measured."""
    if target.measurement in failed:
        return f"failed ({failed[target.measurement]})"
    if target.measurement not in seconds:
        return "not measured"
    if target.limit is None:
        return "reported"
    if target.on_ratio and target.base not in seconds:
        return "not measured"
    return "met" if target.met(seconds[target.measurement], seconds.get(target.base)) else "not met"


def table(seconds: Mapping[str, float], failed: Mapping[str, str] | None = None) -> str:
    """Every target, with its measurement, its ratio and whether it was met. `failed`: the
    measurements whose command failed, and how (a failed command's time meets no target)."""
    failed = failed or {}
    lines = [
        "| measurement | seconds | ratio | target | result |",
        "|---|---:|---|---|---|",
    ]
    for target in TARGETS:
        if target.measurement in seconds:
            value = seconds[target.measurement]
            measured = f"{value:.2f}"
            ratio = f"{value / seconds[target.base]:.3g} × {BASES[target.base]}" if target.base in seconds else "-"
        else:
            measured, ratio = "-", "-"
        lines.append(
            f"| {target.what} | {measured} | {ratio} | {target.stated()} | {result(target, seconds, failed)} |"
        )
    return "\n".join(lines)
