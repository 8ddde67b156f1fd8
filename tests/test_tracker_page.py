"""A later round's tracker page (`pages/tracker.py`) held to the standard of every other page: the
words of the tracker and of the round's corrections register (a reference, a council's reason in
its right of reply) shown as text, never markup; SIMULATED in words in its title, on the page
and at the top of every printed sheet; the print stylesheet and the build footer; no internal
status name."""
from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from unallocated import paths
from unallocated.rounds import simulated

pytestmark = pytest.mark.skipif(not (paths.RAW_RETURNS / simulated.NAME).is_dir(), reason="no simulated round")

PLANTED_SCRIPT = "<script>alert('planted')</script>"
PLANTED_IMAGE = "<img src=x onerror=alert('planted')>"


class Read(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.elements, self.styles, self.title, self._in = [], [], [], "", []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._in.append(tag)

    def handle_endtag(self, tag):
        while self._in and self._in.pop() != tag:
            pass

    def handle_data(self, data):
        where = self._in[-1] if self._in else ""
        if where == "script":
            self.elements.append(("script-text", {"text": data}))
        elif where == "style":
            self.styles.append(data)
        elif where == "title":
            self.title += data
        else:
            self.text.append(data)

    @property
    def visible(self) -> str:
        return " ".join(" ".join(self.text).split())


def _rewrite(path, change):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    columns = list(rows[0])
    change(rows)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    base = tmp_path_factory.mktemp("tracker")
    returns = base / "returns"
    returns.mkdir()
    shutil.copy(paths.RAW_RETURNS / "rounds.csv", returns / "rounds.csv")
    shutil.copytree(paths.RAW_RETURNS / simulated.NAME, returns / simulated.NAME)

    def plant_reference(rows):
        rows[0]["reference"] = f"{rows[0]['reference']} {PLANTED_SCRIPT}"

    def plant_reason(rows):
        rows[0]["reason"] = f"{rows[0]['reason']} {PLANTED_IMAGE}"

    _rewrite(returns / simulated.NAME / "requests.csv", plant_reference)
    _rewrite(returns / simulated.NAME / "corrections.csv", plant_reason)
    env = {**os.environ, "UNALLOCATED_RETURNS": str(returns), "UNALLOCATED_OUTPUTS": str(base / "out")}
    done = subprocess.run([sys.executable, "-c", f"from unallocated.pages import tracker; tracker.write({simulated.NAME!r})"],
                          env=env, capture_output=True, text=True, cwd=paths.ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    read = Read()
    read.feed((base / "out" / "rounds" / simulated.NAME / "tracker.html").read_text(encoding="utf-8"))
    return read


def test_words_from_the_tracker_and_a_reply_stay_text(page):
    assert PLANTED_SCRIPT in page.visible and PLANTED_IMAGE in page.visible
    assert not [a for tag, a in page.elements if tag == "img"]
    assert not [a for tag, a in page.elements if tag == "script-text" and "planted" in a["text"]]


def test_it_says_simulated_in_words_in_its_title_on_the_page_and_on_every_printed_sheet(page):
    assert "(SIMULATED)" in page.title
    assert "SIMULATED. This round is an illustration" in page.visible
    style = "".join(page.styles)
    assert "@page" in style and "size: A4" in style
    assert f'"SIMULATED DATA: round {simulated.NAME}, an illustration' in style


def test_it_names_its_build_and_shows_no_internal_status_name(page):
    footers = [a for tag, a in page.elements if tag == "footer"]
    assert footers and "Built from commit" in page.visible and "(SHA-256 of the returns" in page.visible
    for name in ("not_held", "part_held", "partly_overturned", "awaiting_response", "partially_successful"):
        assert name not in page.visible, name
