"""How pages style and name a claim's standing and a check's verdict, read from their records.

The standing itself is decided once, in `rare_earths.audit.conclusions`, and read from
`data/processed/conclusions.csv`; its label, class and counted words are declared once, in
`vocabulary.Standing`, and a verdict's in `vocabulary.Verdict`. These functions only look them up,
with an error that names the vocabulary for a name that is not in it.
"""

from __future__ import annotations

from rare_earths import vocabulary

STANDINGS = tuple(vocabulary.STANDINGS)


def _standing(name: str) -> vocabulary.Standing:
    if name not in vocabulary.STANDINGS:
        raise KeyError(f"{name!r} is no standing; known: {', '.join(vocabulary.STANDINGS)}")
    return vocabulary.STANDINGS[name]


def css_class(standing: str) -> str:
    """The stylesheet's class of a standing: "confirmed", "consistent", "does-not-hold", "unchecked"."""
    return _standing(standing).css


def label(standing: str) -> str:
    """A standing in readers' words ("Consistent, not independently confirmed")."""
    return _standing(standing).label


def verdict_class(verdict: str) -> str:
    """The class suffix of a verdict: "fails", "holds" (it agrees), or "unchecked" (neither)."""
    if verdict not in vocabulary.VERDICTS:
        raise KeyError(f"{verdict!r} is no verdict of the audit")
    return vocabulary.VERDICTS[verdict].css


def counted(standing: str, count: int) -> str:
    """ "13 do not hold", "1 consistent but not independently confirmed"."""
    return _standing(standing).counted(count)


# Verdicts that say no more than their standing does ("Confirmed" that "Holds", "Could not be
# checked" because "Not checked"): a card names the verdict beside the standing only otherwise.
_SAID_BY_THE_STANDING = frozenset({"consistent", "not_checked", "cannot_check"})


def conclusion(standing: str, verdict: str) -> str:
    """A claim's conclusion in words, its standing first: "Does not hold: contradicted", "Confirmed:
    holds within rounding", "Confirmed"."""
    said = label(standing)
    if verdict_class(verdict) and verdict not in _SAID_BY_THE_STANDING:
        said += f": {vocabulary.VERDICTS[verdict].label.lower()}"
    return said
