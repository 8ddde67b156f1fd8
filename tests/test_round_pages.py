"""A later round's pages, read from a real `make reproduce` run as an editor would: the front page
links the round's tracker page, which links the round's own pages (notebooks 01-03 and 07 run on
its returns); each says SIMULATED in words, names the round in its title and on every printed
sheet, and carries the footer naming its build, like every other page."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import unquote

import pytest

from unallocated import paths
from unallocated.pages.tracker import ROUND_NOTEBOOKS
from unallocated.rounds import simulated

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not (paths.RAW_RETURNS / simulated.NAME).is_dir(), reason="no simulated round")]

#: Internal names that never reach a reader of the comparison or the tracker (`analysis.layers`).
INTERNAL = ["real_return", "as_corrected", "as_published", "no_professional", "no_qualified_social_worker",
            "councils_reading", "closure_still_open", "not_supplied", "allocated_other", "allocated_qualified",
            "not_held", "part_held", "awaiting_response", "partially_successful"]


class Read(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.links, self.images, self.styles, self.title, self._in = [], [], [], [], "", []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self._in.append(tag)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "img":
            self.images.append(a)

    def handle_endtag(self, tag):
        while self._in and self._in.pop() != tag:
            pass

    def handle_data(self, data):
        where = self._in[-1] if self._in else ""
        if where == "style":
            self.styles.append(data)
        elif where == "title":
            self.title += data
        elif where != "script":
            self.text.append(data)

    @property
    def visible(self) -> str:
        return " ".join(" ".join(self.text).split())

    @property
    def print_label(self) -> str:
        found = re.search(r"@top-left\s*\{\s*content:\s*\"([^\"]*)\"", "".join(self.styles))
        return found.group(1) if found else ""


def read(path) -> Read:
    page = Read()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture(scope="module")
def round_dir(reproduced):
    return reproduced / "rounds" / simulated.NAME


def test_the_front_page_lists_the_rounds_tracker_page_beside_the_national_pages(reproduced):
    front = read(reproduced / "index.html")
    href = f"rounds/{simulated.NAME}/tracker.html"
    assert href in front.links and (reproduced / href).is_file()
    assert "Later rounds of the request" in front.visible
    assert f"Round {simulated.NAME} (SIMULATED): every request" in front.visible  # the tracker's own title


def test_the_tracker_page_links_each_of_the_rounds_pages_and_names_its_build(round_dir):
    tracker = read(round_dir / "tracker.html")
    for name in ROUND_NOTEBOOKS:
        assert f"notebooks/{name}.html" in tracker.links, name
        assert (round_dir / "notebooks" / f"{name}.html").is_file(), name
    assert "SIMULATED" in tracker.title and "SIMULATED." in tracker.visible
    assert tracker.print_label.startswith(f"SIMULATED DATA: round {simulated.NAME}")
    assert "Built from commit" in tracker.visible
    assert not [n for n in INTERNAL if re.search(rf"\b{n}\b", tracker.visible)]
    # the links read as titles that name the round, never as 2010's pages
    for name in ROUND_NOTEBOOKS:
        assert f"(round {simulated.NAME}, SIMULATED)" in read(round_dir / "notebooks" / f"{name}.html").title, name


@pytest.mark.parametrize("name", ROUND_NOTEBOOKS)
def test_each_rounds_page_says_simulated_and_names_the_round_on_every_printed_sheet(round_dir, name):
    page = read(round_dir / "notebooks" / f"{name}.html")
    text = page.visible
    assert f"This page is the {simulated.NAME} round (SIMULATED returns" in text
    assert "SIMULATED:" in text
    assert page.print_label.startswith("SIMULATED DATA:") and simulated.NAME in page.print_label, page.print_label
    assert "Built from commit" in text
    for image in page.images:  # a chart's alt text is its title, which says what it rests on
        assert "simulated" in image.get("alt", ""), image.get("alt", "")[:120]
    for href in page.links:  # the CSVs behind its tables and charts are beside the round's pages
        if href.endswith(".csv"):
            assert (round_dir / "notebooks" / unquote(href)).resolve().is_file(), href
    if name.startswith(("01-", "02-", "03-")):
        assert f"What the numbers rest on: the returns of the {simulated.NAME} round: " in text


def test_the_comparison_page_shows_no_internal_name(round_dir):
    text = read(round_dir / "notebooks" / "07-rounds.html").visible
    assert not [n for n in INTERNAL if re.search(rf"\b{n}\b", text)], [n for n in INTERNAL if re.search(rf"\b{n}\b", text)]
    assert f"every count from the 2010 and {simulated.NAME} rounds" in text
