"""Reference by definition: a count the articles give against the standard definition of what is counted.

The rare-earth elements are defined by IUPAC (Nomenclature of Inorganic Chemistry, IUPAC
Recommendations 2005, rule IR-3.5) as scandium, yttrium and the lanthanides, lanthanum to lutetium
(atomic numbers 57 to 71): seventeen elements. A figure that counts them is checked against that
list, as a reserve is against USGS.
"""

from __future__ import annotations

from rare_earths.audit.registry import check, rule
from rare_earths.audit.statements import CONSISTENT, CONTRADICTED, Statement, what

# (symbol, atomic number) of each rare-earth element, by IUPAC's definition (above).
LANTHANIDES = tuple(
    zip(
        ("La", "Ce", "Pr", "Nd", "Pm", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu"),
        range(57, 72),
        strict=True,
    )
)
RARE_EARTH_ELEMENTS = (("Sc", 21), ("Y", 39), *LANTHANIDES)
# The counts a definition settles: (subject, metric) -> the members counted.
DEFINED = {("rare earth elements", "element_count"): RARE_EARTH_ELEMENTS}


@rule(
    "definition",
    "reference",
    "A count of a defined group (the rare-earth elements) against its standard definition (IUPAC: scandium, yttrium "
    "and the fifteen lanthanides).",
    evidence="primary",
)
def definition(found: list[Statement]) -> list[dict]:
    rows = []
    for stated in found:
        members = DEFINED.get((stated.subject, stated.metric))
        if members is None:
            continue
        count = len(members)
        verdict = CONSISTENT if stated.holds(count) else CONTRADICTED
        rows.append(
            check(
                "definition",
                stated.claim_ids,
                stated,
                float(count),
                "IUPAC's definition of the rare-earth elements",
                verdict,
                f"{what(stated)}, {stated.as_written} ({', '.join(stated.claim_ids)}): IUPAC defines the rare-earth "
                f"elements as scandium, yttrium and the {len(LANTHANIDES)} lanthanides (atomic numbers 57 to 71), "
                f"{count} in all, {'as stated' if verdict == CONSISTENT else 'not ' + stated.as_written}.",
            )
        )
    return rows
