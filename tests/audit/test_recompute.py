"""Laws of the recomputation rules' helpers (the rules themselves are tested in test_audit.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rare_earths.audit import recompute


@given(
    shares=st.lists(
        st.tuples(st.floats(0, 100, allow_nan=False), st.floats(0, 10, allow_nan=False)), min_size=2, max_size=6
    )
)
def test_sum_of_shares_verdict_orders_by_the_sum_and_its_lowest(shares):
    """A sum within 100% is consistent; over it, within rounding only if the lowest sum the shares'
    rounding admits is within 100%; and the outcome's words never contradict the verdict."""
    total = sum(point for point, _ in shares)
    lowest = sum(point - rounding for point, rounding in shares)
    verdict = recompute._sum_verdict(total, lowest)
    assert (verdict == "consistent") == (total <= 100 + 1e-9)
    assert (verdict == "contradicted") == (lowest > 100 + 1e-9)
    words = recompute._sum_outcome(verdict, total, lowest)
    assert ("more than the whole" in words) == (verdict == "contradicted")
