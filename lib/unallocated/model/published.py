"""The register of published figures (`data/published_figures.csv`): what the 2010 coverage
printed, and the one way a page writes a printed figure.

Every page that quotes the coverage writes the figure as the register words it, through `words`
("more than 1,000", "18% of Barnet's LAC total", "almost 80"), never the bare `value` column:
the register stores "over one thousand" as 1000 with the qualifier `more_than`, and Barnet's
18% as 18 with the qualifier `percent`. The columns are described in
`docs/published_figures_data_dictionary.md`.
"""
from __future__ import annotations

import csv
import functools

from unallocated import display, paths

PATH = paths.DATA / "published_figures.csv"


@functools.lru_cache(maxsize=1)
def _rows() -> tuple[dict[str, str], ...]:
    with open(PATH, newline="", encoding="utf-8") as f:
        return tuple(csv.DictReader(f))


def figures() -> list[dict[str, str]]:
    """Every row of the register, as text (copies)."""
    return [dict(r) for r in _rows()]


def figure(figure_id: str) -> dict[str, str]:
    """One row by its `figure_id` (KeyError naming it when there is none)."""
    for row in _rows():
        if row["figure_id"] == figure_id:
            return dict(row)
    raise KeyError(f"no figure {figure_id!r} in {PATH.name}")


def about(council_name: str) -> list[dict[str, str]]:
    """The figures that name this council (its name among the row's `councils`)."""
    return [dict(r) for r in _rows() if council_name in [c.strip() for c in r["councils"].split(";")]]


def words(row: dict[str, str], with_denominator: bool = True) -> str:
    """The figure as printed: 'more than 8,000', '18% of Barnet's LAC total', '132 of 407 LAC
    cases' (without the denominator: '18%', '132')."""
    return display.printed(float(row["value"]), row["qualifier"], row["denominator"] if with_denominator else "")


def sentence(row: dict[str, str]) -> str:
    """What was printed and when, in the register's words: 'unallocated children-in-need cases,
    the two councils combined: more than 1,000 (Community Care, 6 December 2010)'."""
    when = row["article_date"]
    from urllib.parse import urlsplit

    host = urlsplit(row["source_url"]).hostname or "source not recorded"
    source = "Community Care" if "communitycare" in host else host.removeprefix("www.")
    if when:
        import datetime as _dt

        day = _dt.date.fromisoformat(when)
        dated = f"{source}, {day.day} {day:%B %Y}"
    else:
        dated = f"{source}, undated"
    return f"{row['measure']}: {words(row)} ({dated})"


def on_date(council_name: str, case_type: str, date: str, definition: str) -> dict[str, str] | None:
    """The figure the register prints for a council, case type and snapshot date (its `as_of`
    is the date or its month) under a definition, if any: which point of a timeline is printed."""
    for row in about(council_name):
        as_of = row["as_of"]
        if case_type in row["case_types"].split(";") and row["implied_definition"] == definition and as_of \
                and (date == as_of or date.startswith(as_of)):
            return row
    return None
