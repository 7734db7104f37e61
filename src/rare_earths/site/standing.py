"""How pages style and name a claim's standing and a check's verdict.

The standing itself is decided once, in `rare_earths.audit.conclusions`, and read from
`data/processed/conclusions.csv`; this module only says how it looks: one CSS class and one label
per standing (`vocabulary.STANDINGS`), and the class of a verdict by what it says of the claims it
judges (fails them, agrees with them, or neither).
"""

from __future__ import annotations

from rare_earths import vocabulary

STANDINGS = tuple(vocabulary.STANDINGS)


def css_class(standing: str) -> str:
    """The stylesheet's class of a standing: "confirmed", "consistent", "does-not-hold", "unchecked"."""
    if standing not in vocabulary.STANDINGS:
        raise KeyError(f"{standing!r} is no standing; known: {', '.join(vocabulary.STANDINGS)}")
    return standing.replace("_", "-")


def label(standing: str) -> str:
    """A standing in readers' words ("Consistent with its own article only")."""
    return vocabulary.STANDINGS[standing][0]


def verdict_class(verdict: str) -> str:
    """The class suffix of a verdict: "fails", "holds" (it agrees), or "unchecked" (neither)."""
    if verdict not in vocabulary.VERDICTS:
        raise KeyError(f"{verdict!r} is no verdict of the audit")
    if verdict in vocabulary.FAILING_VERDICTS:
        return "fails"
    return "holds" if verdict in vocabulary.AGREEING_VERDICTS else "unchecked"


# How a count of claims of a standing reads: "1 does not hold", "13 do not hold".
_COUNTED = {
    "confirmed": ("confirmed", "confirmed"),
    "consistent": ("consistent with its own article only", "consistent with their own article only"),
    "does_not_hold": ("does not hold", "do not hold"),
    "unchecked": ("could not be checked", "could not be checked"),
}


def counted(standing: str, count: int) -> str:
    """ "13 do not hold", "1 consistent with its own article only"."""
    one, many = _COUNTED[standing]
    return f"{count} {one if count == 1 else many}"
