"""The articles' web-page furniture (data/raw/furniture.csv): each declared line is a whole line of
its article, and a mistake in the file is one located error."""

from __future__ import annotations

import pandas as pd
import pytest

from rare_earths.data import claims, furniture
from rare_earths.errors import InputError

ARTICLE = "A headline\n\nThe article's words, 6.9 Mt.\n  LEAVE A REPLY  \nPlease enter your comment!\n"


def _written(tmp_path, body: str):
    path = tmp_path / "furniture.csv"
    path.write_text("source_id,line,what\n" + body, encoding="utf-8")
    return furniture.load(path), path


def test_the_curated_furniture_is_whole_lines_of_its_articles():
    raw, _, articles, _ = claims.load_checked()
    declared = furniture.load()
    furniture.check(declared, articles, claims=raw)  # raises if not
    assert len(declared) > 0
    assert furniture.lines_of(declared, "a001")["LEAVE A REPLY"] == "the web page's comment form"


def test_a_line_is_matched_without_the_spaces_around_it(tmp_path):
    table, path = _written(tmp_path, "a901,LEAVE A REPLY,a comment form\n")
    furniture.check(table, {"a901": ARTICLE}, path)
    assert furniture.lines_of(table, "a901") == {"LEAVE A REPLY": "a comment form"}
    assert furniture.lines_of(table, "a902") == {}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "a901,LEAVE A,a comment form\n",
            r"furniture.csv, line 2, column line: 'LEAVE A' is not a whole line of article a901",
        ),
        ("a909,LEAVE A REPLY,a comment form\n", r"furniture.csv, line 2, column source_id: unknown source 'a909'"),
        (
            "a901,LEAVE A REPLY,a form\na901,Please enter your comment!,a form\na901,LEAVE A REPLY,again\n",
            r"furniture.csv, line 4, column line: this line is declared twice",
        ),
        ("a901,the article's words,a form\n", r"line 2, column line: \"the article's words\" is not a whole line"),
    ],
)
def test_a_line_that_is_not_one_of_its_article_is_a_located_error(tmp_path, body, message):
    table, path = _written(tmp_path, body)
    with pytest.raises(InputError, match=message):
        furniture.check(table, {"a901": ARTICLE}, path)


def test_a_row_without_what_the_line_is_is_refused_by_the_schema(tmp_path):
    with pytest.raises(InputError, match=r"furniture.csv, line 2, column what"):
        _written(tmp_path, "a901,LEAVE A REPLY,\n")


@pytest.mark.parametrize(
    ("quote", "line"),
    [
        ("6.9 Mt", "The article's words, 6.9 Mt."),  # the line holds the quote
        ("the article's words, 6.9 Mt. LEAVE A REPLY now", "LEAVE A REPLY"),  # the quote holds the line
    ],
)
def test_a_line_that_shares_words_with_a_claims_quote_is_a_located_error_naming_the_claim(tmp_path, quote, line):
    table, path = _written(tmp_path, f'a901,Please enter your comment!,a form\na901,"{line}",a form\n')
    quotes = pd.DataFrame({"claim_id": ["a902-01", "a901-01"], "source_id": ["a902", "a901"], "quote": [quote, quote]})
    with pytest.raises(InputError, match=r"furniture.csv, line 3, column line: .* the quote of claim a901-01$"):
        furniture.check(table, {"a901": ARTICLE, "a902": ARTICLE}, path, claims=quotes)
    furniture.check(table, {"a901": ARTICLE}, path)  # without the claims, only the lines are checked


def test_the_data_step_refuses_furniture_that_is_a_claims_words(project, capsys):
    from rare_earths import __main__ as cli

    with project.furniture_csv.open("a", encoding="utf-8") as table:
        table.write("a000,The National Critical Mineral Mission (NCMM),a heading\n")
    line = len(project.furniture_csv.read_text(encoding="utf-8").splitlines())
    assert cli.main(["--project", str(project.root), "data"]) == 1
    err = capsys.readouterr().err
    assert f"data/raw/furniture.csv, line {line}, column line: " in err and "claim a000-59" in err
    assert "Traceback" not in err and not project.processed_claims_csv.exists()
