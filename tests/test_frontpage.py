"""The front page, `outputs/index.html`, read from a real `make reproduce` run (parsed, not grepped)."""
from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import pytest

from unallocated.model.categories import DEFINITIONS

pytestmark = pytest.mark.slow


class Page(HTMLParser):
    """The front page's tables (rows of cells as text, with their links) and every src/href."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[dict]]] = {}
        self.references: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.text: list[str] = []
        self.title = ""
        self._table = self._row = self._cell = None
        self._in = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self._in.append(tag)
        for key in ("src", "href"):
            if a.get(key) is not None:
                self.references.append((tag, key, a[key]))
        if tag == "table":
            self._table = self.tables.setdefault(a.get("id", ""), [])
        elif tag == "tr" and self._table is not None:
            self._row = {"attrs": a, "cells": []}
            self._table.append(self._row)
        elif tag in ("td", "th") and self._row is not None:
            self._cell = {"text": "", "links": [], "small": [], "attrs": a}
            self._row["cells"].append(self._cell)
        elif tag == "a" and self._cell is not None:
            self._cell["links"].append(a.get("href"))
        elif tag == "small" and self._cell is not None:
            self._cell["small"].append("")
        elif tag == "span" and "print-only" in (a.get("class") or ""):
            self._in[-1] = "print-only"  # a heading's words again, for print only: not read twice

    def handle_endtag(self, tag):
        while self._in and self._in.pop() not in (tag, "print-only" if tag == "span" else tag):
            pass
        if tag == "table":
            self._table = None
        elif tag == "tr":
            self._row = None
        elif tag in ("td", "th"):
            self._cell = None

    def handle_data(self, data):
        if self._in and self._in[-1] in ("script", "style", "print-only"):
            return
        if self._in and self._in[-1] == "title":
            self.title += data
        self.text.append(data)
        if self._cell is not None:
            if self._in[-1] == "small":
                self._cell["small"][-1] += data
            else:
                self._cell["text"] += data


@pytest.fixture(scope="module")
def page(reproduced):
    parsed = Page()
    parsed.feed((reproduced / "index.html").read_text(encoding="utf-8"))
    return parsed


def _council_rows(page):
    rows = page.tables["councils"]
    head, body = rows[0], rows[1:]
    return [c["text"].strip() for c in head["cells"]], body


def test_one_row_per_2010_council_each_linking_the_report_reproduce_writes(page, reproduced):
    from unallocated.sources.councils import councils
    from unallocated.run.reproduce import profile_job

    heads, body = _council_rows(page)
    assert heads[:3] == ["Council", "Region", "Return"]
    assert heads[3:] == [d.title for d in DEFINITIONS.values()]
    assert len(body) == 152
    expected = {c.name: profile_job(c.name).html.name for c in councils(in_2010=True)}
    seen = {}
    for row in body:
        name_cell = row["cells"][0]
        assert len(name_cell["links"]) == 1
        seen[name_cell["text"].strip()] = name_cell["links"][0]
    assert set(seen) == set(expected)
    for name, href in seen.items():
        assert href == f"profiles/{expected[name]}", name
        assert (reproduced / unquote(href)).is_file(), href


def test_every_link_resolves_and_nothing_comes_from_the_network(page, reproduced):
    assert page.references, "the page links nothing"
    for tag, key, value in page.references:
        parts = urlsplit(value)
        if tag == "img" and parts.scheme == "data":
            continue  # the chart, embedded: the page stands alone
        assert not parts.scheme and not parts.netloc, (tag, key, value)
        if tag in ("script", "link", "img"):
            pytest.fail(f"the page fetches {value!r} with <{tag}>: scripts and styles are inline")
        if tag == "a" and parts.path:
            assert (reproduced / unquote(parts.path)).is_file(), value
    links = [v for t, _, v in page.references if t == "a"]
    assert "factcheck/factcheck.html" in links
    for name in ("01-national-picture", "02-definitions", "03-corrections", "05-timelines", "06-fact-check"):
        assert f"notebooks/{name}.html" in links


def test_barnsley_shows_its_corrected_figures_with_bounds_and_before_the_correction(page):
    heads, body = _council_rows(page)
    row = next(r for r in body if r["cells"][0]["text"].strip() == "Barnsley")
    cells = dict(zip(heads, row["cells"]))
    assert cells["Return"]["text"] == "simulated return"  # where its counts are read
    nopro = cells["No professional allocated"]
    # 9 of its 165 cases truly unallocated (Community Care, 6 December 2010); by case type only ranges.
    assert nopro["text"].strip() == "9"
    assert nopro["small"] == ["CP 0 · LAC 0 to 9 · CIN 0 to 9", "before the correction: 165"]
    # The correction moved the 156 to other professionals: still without a qualified social worker.
    nqsw = cells["No qualified social worker"]
    assert nqsw["text"].strip() == "165" and nqsw["small"] == ["CP 0 · LAC 51 · CIN 114"]


def test_councils_without_a_return_say_so_never_zero(page):
    heads, body = _council_rows(page)
    returned = [r for r in body if r["cells"][2]["text"] == "simulated return"]
    missing = [r for r in body if r["cells"][2]["text"] == "no return"]
    assert len(returned) == 89 and len(missing) == 63
    for row in missing:
        assert [c["text"] for c in row["cells"][3:]] == ["no return"] * len(DEFINITIONS), row["cells"][0]["text"]


def test_headline_layer_and_view_are_stated(page):
    rows = page.tables["headline"]
    table = {r["cells"][0]["text"]: [c["text"] for c in r["cells"][1:]] for r in rows[1:]}
    # The coverage's printed wording, then the returns before the correction and as corrected,
    # and how many of the figures came from a person's reading (none in the shipped returns).
    assert table["All three"] == ["more than 8,000", "8,338", "8,182", "0"]
    assert table["Looked after"] == ["448", "448", "397 to 406", "0"]
    assert table["Children in need"] == ["7,811", "7,811", "7,697 to 7,706", "0"]
    assert table["Child protection"] == ["almost 80", "79", "79", "0"]
    heads = [c["text"] for c in rows[0]["cells"]]
    assert heads[2:4] == ["Returns, before the correction", "Returns, as corrected"]  # "published": only what was printed
    text = " ".join(" ".join(page.text).split())
    assert "the 2010 returns of 89 councils, all simulated" in text and "SIMULATED" in text
    assert "the set of responders is simulated" in text
    assert "shown as corrected by the corrections register (Barnsley, 6 December 2010)" in text
    assert page.title.strip() and page.title != "Notebook"


def test_the_front_page_links_the_csv_behind_its_tables_and_chart_and_names_its_build(page, reproduced):
    links = [v for t, _, v in page.references if t == "a"]
    for csv_file in ("tables/01-headline.csv", "tables/index-councils.csv", "figures/index-definitions.csv",
                     "tables/index-needs-review.csv"):
        assert csv_file in links and (reproduced / csv_file).is_file(), csv_file
    text = " ".join(" ".join(page.text).split())
    assert "Built from commit " in text and "(SHA-256 of the returns, registers and reference tables)" in text
    # the chart of the headline under each definition, with the layers in its alt text
    import re

    alts = re.findall(r'<img [^>]*alt="([^"]*)"', (reproduced / "index.html").read_text(encoding="utf-8"))
    assert any("returns of 89 councils, all simulated" in alt for alt in alts), alts


def test_what_needs_a_person_is_named(page):
    rows = page.tables["review"]
    files = {r["cells"][1]["text"] for r in rows[1:]}
    # the two cells the shipped returns leave for review, by design (ingest's issues.csv)
    assert files == {"coventry_foi_data.csv", "leicestershire_foi_response.xlsx"}


def test_front_page_is_readable_by_others(reproduced):
    assert (reproduced / "index.html").stat().st_mode & 0o777 == 0o644


def test_the_councils_created_since_2010_are_linked_and_their_predecessors_say_now_part_of(page, reproduced):
    from unallocated.sources.councils import councils
    from unallocated.run.reproduce import profile_job

    links = [v for t, _, v in page.references if t == "a"]
    for c in councils(in_2010=False):
        href = f"profiles/{profile_job(c.old_la_code).html.name}"
        assert href in links, c.name
        assert (reproduced / href).is_file(), href
    heads, body = _council_rows(page)
    now = {r["cells"][0]["text"].strip(): r["cells"][0]["small"] for r in body}
    assert now["Cumbria"] == ["now part of: Cumberland; Westmorland and Furness"]
    assert now["Poole"] == ["now part of: Bournemouth, Christchurch and Poole"]
    assert now["Barnsley"] == []


def test_no_council_chart_of_the_run_has_its_badge_over_its_title(reproduced):
    # Issue 21: on every council chart with a return, the SIMULATED badge covered words of the
    # title. Every chart the run wrote is measured with the font it names first.
    import os
    import xml.etree.ElementTree as ET

    import matplotlib
    from PIL import ImageFont

    font = ImageFont.truetype(os.path.join(matplotlib.get_data_path(), "fonts", "ttf", "DejaVuSans-Bold.ttf"), 16)
    svg_ns = "{http://www.w3.org/2000/svg}"
    charts = sorted((reproduced / "profiles" / "charts").glob("*-definitions-*.svg"))
    assert len(charts) >= 89
    for chart in charts:
        root = ET.parse(chart).getroot()
        badge = [r for r in root.iter(f"{svg_ns}rect") if r.get("stroke") == "#dd8452"]
        assert badge, chart.name  # every return in the shipped data is simulated
        edge = float(badge[0].get("x")) - 4
        lines = [t for t in root.iter(f"{svg_ns}text") if t.get("font-size") == "16" and t.get("font-weight") == "bold"]
        assert lines and "SIMULATED" in " ".join(t.text for t in lines), chart.name  # the title says it in words
        for t in lines:
            assert float(t.get("x")) + font.getlength(t.text) <= edge, (chart.name, t.text)
