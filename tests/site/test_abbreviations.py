"""Abbreviations written out at their first use on each page, in running prose only."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from rare_earths import vocabulary
from rare_earths.site import abbreviations

USGS = vocabulary.ABBREVIATIONS[0]


def _page(main: str) -> str:
    return f"<html><head><title>USGS</title></head><body><nav>USGS</nav><main>{main}</main><footer>USGS</footer></body></html>"


def test_the_first_use_in_prose_is_written_out_and_the_others_are_left():
    page = abbreviations.expand_first_uses(_page("<p>The USGS gives 356 kt.</p><ul><li>USGS and kt again.</li></ul>"))
    assert page.count("<abbr") == 2
    assert f'<abbr title="{USGS.meaning}">USGS</abbr> ({USGS.meaning}) gives 356 <abbr' in page
    assert "<li>USGS and kt again.</li>" in page
    assert "<title>USGS</title>" in page and "<nav>USGS</nav>" in page and "<footer>USGS</footer>" in page


def test_the_articles_words_code_links_headings_and_tables_are_left_as_they_are():
    kept = (
        '<div class="article-text"><p>REEs and the USGS</p></div><p><q>the USGS</q> <a href="x">USGS</a> '
        '<code>USGS</code></p><h2>USGS</h2><table><tr><th>kt</th><td>USGS</td><td class="verbatim">Mt</td></tr></table>'
        '<p title="USGS kt"><svg><text>USGS</text></svg><span class="verbatim">IREL</span></p>'
    )
    assert abbreviations.expand_first_uses(_page(kept)) == _page(kept)
    # Expanded where prose first uses it, after them.
    later = abbreviations.expand_first_uses(_page(kept + "<p>Then the USGS.</p>"))
    assert later.endswith(
        f'<p>Then the <abbr title="{USGS.meaning}">USGS</abbr> ({USGS.meaning}).</p></main><footer>USGS</footer></body></html>'
    )


def test_a_word_that_only_contains_an_abbreviation_is_not_one():
    page = _page("<p>USGSX, Mtn, REEF and kts.</p>")
    assert abbreviations.expand_first_uses(page) == page


def test_the_forms_of_one_abbreviation_are_written_out_once():
    page = abbreviations.expand_first_uses(_page("<p>FY25 and FY2024-25; REE and REEs.</p>"))
    assert re.findall(r"<abbr[^>]*>([^<]*)</abbr>", page) == ["FY25", "REE"]


def test_an_abbreviation_the_writer_follows_with_a_parenthesis_is_written_out_at_its_next_use():
    page = abbreviations.expand_first_uses(_page("<p>The USGS (2025) and the USGS's data.</p><p>The USGS again.</p>"))
    assert "<p>The USGS (2025) and the USGS's data.</p>" in page
    assert f'<p>The <abbr title="{USGS.meaning}">USGS</abbr> ({USGS.meaning}) again.</p>' in page


def test_a_page_without_main_is_left_as_it_is():
    assert abbreviations.expand_first_uses("<p>USGS</p>") == "<p>USGS</p>"


def test_the_glossary_lists_every_abbreviation_once():
    listed = [words for words, _ in abbreviations.glossary()]
    assert sorted(listed) == sorted(entry.words for entry in vocabulary.ABBREVIATIONS)
    assert len(set(listed)) == len(listed)
    assert all(re.fullmatch(entry.pattern, entry.words) for entry in vocabulary.ABBREVIATIONS)


WORDS = st.sampled_from(
    [*(entry.words for entry in vocabulary.ABBREVIATIONS), "the", "figure", "of", "356", "&amp;", "REEs", "FY25"]
)


@given(st.lists(st.lists(WORDS, min_size=1, max_size=12), min_size=1, max_size=5))
def test_taking_the_expansions_out_gives_the_page_back_and_each_is_written_out_at_most_once(paragraphs):
    main = "".join(f"<p>{' '.join(words)}</p>" for words in paragraphs)
    page = abbreviations.expand_first_uses(_page(main))
    assert abbreviations.taken_out(page) == _page(main)
    expanded = re.findall(r'<abbr title="([^"]*)">', page)
    assert len(expanded) == len(set(expanded))
