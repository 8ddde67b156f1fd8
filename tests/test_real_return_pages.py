"""The pages read as an editor would, after a newsroom drops returns into the folder.

A copy of the returns folder gets a real return from Lewisham (no manifest row, no "simulated"
in it: a real return; its looked-after parts add up to more than its total, which the reader
flags, and the reader withholds its 70 children in need, whose cell carries a note) and a return from a council the resolver does not know ("Narnia County Council"); a whole
`make reproduce` runs into a temporary folder (`real_return_run` in conftest). Then the front
page, Lewisham's report and every figure's JSON are read for what an editor sees: what each
number rests on in words ("90 councils: 1 real return, 89 simulated"), no internal name
(`real_return`, `as_corrected`, `no_professional`...), the unknown council named and in no total,
chart or ranking, the flagged figure named, and the text planted in the replies shown as text.
Expected counts come from the data files (the manifest, the councils table), not from the code
under test. Removing the real return again removes what only it had made.
"""
from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from conftest import PLANTED_IMAGE, PLANTED_SCRIPT, REAL_COUNCIL, UNKNOWN_COUNCIL
from unallocated import paths

pytestmark = pytest.mark.slow

#: What must never reach a reader: the tables' internal names (a CSV keeps them, a page never).
INTERNAL = ["real_return", "as_corrected", "as_published", "no_professional", "no_qualified_social_worker",
            "councils_reading", "closure_still_open", "not_supplied", "at_most", "at_least", "allocated_other",
            "allocated_qualified", "not_given", "in_transit", "awaiting_closure", "partner_agency", "financial_only"]


class Read(HTMLParser):
    """What a browser would show (text outside script and style), and every element it would make."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.elements, self._skip = [], [], []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._skip.append(tag)

    def handle_endtag(self, tag):
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()

    def handle_data(self, data):
        if self._skip:
            if "planted" in data:
                self.elements.append(("script-with-planted-text", {}))
            return
        self.text.append(data)

    @property
    def visible(self) -> str:
        return " ".join(" ".join(self.text).split())


def read(path) -> Read:
    page = Read()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _layers_in_folder(returns) -> tuple[int, int]:
    """(simulated councils, real councils) from the manifest: every file it places is simulated,
    and the real return is the one file it does not place."""
    with open(returns / "2010" / "manifest.csv", newline="", encoding="utf-8") as f:
        simulated = {r["council_code"] for r in csv.DictReader(f) if r["layer"] == "simulated"}
    return len(simulated), 1


def _region_councils(region: str, returns) -> int:
    """Simulated returns in the folder from a region's councils with a DfE count of children in
    need at 31 March 2010 (the comparison's denominator, so the councils it counts)."""
    with open(paths.REFERENCE / "councils.csv", newline="", encoding="utf-8") as f:
        codes = {r["old_la_code"] for r in csv.DictReader(f) if r["region"] == region and r["in_2010"] == "True"}
    with open(paths.REFERENCE / "official_stats.csv", newline="", encoding="utf-8") as f:
        counted = {r["old_la_code"] for r in csv.DictReader(f) if r["geography_level"] == "la" and r["year"] == "2010"
                   and r["measure"] == "children_in_need" and r["value"] != ""}
    with open(returns / "2010" / "manifest.csv", newline="", encoding="utf-8") as f:
        return len({r["council_code"] for r in csv.DictReader(f)} & codes & counted)


def _internal_names(text: str) -> list[str]:
    return [n for n in INTERNAL if re.search(rf"\b{n}\b", text)]


def _assert_inert(page: Read, where: str) -> None:
    assert not [a for tag, a in page.elements if tag == "img" and "onerror" in a], f"{where}: a planted image is markup"
    assert not [t for t, _ in page.elements if t == "script-with-planted-text"], f"{where}: a planted script is markup"


@pytest.fixture(scope="module")
def run(real_return_run):
    returns, out, done = real_return_run
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return returns, out, done


def test_the_run_exits_0_naming_the_unknown_council_and_what_needs_review(run):
    returns, out, done = run
    simulated, real = _layers_in_folder(returns)
    assert f"{simulated + real} councils: {real} real return, {simulated} simulated" in done.stdout
    assert f"Left out of every total: {UNKNOWN_COUNCIL} (narnia_foi_reply.csv)" in done.stdout
    # the 4 looked-after counts, withheld because their parts add up to more than their total, and
    # the withheld 70, named
    assert "lewisham_foi_reply.csv: 5" in done.stdout
    assert "0 failed" in done.stdout
    # both sides of the summary: a person's readings in the headline, and each later round's page
    assert "from a person's reading)" in done.stdout
    later = [d.name for d in sorted(returns.iterdir()) if (d / "requests.csv").exists()]
    for name in later:
        assert f"rounds/{name}/tracker.html (" in done.stdout, name


def test_the_front_page_says_what_each_number_rests_on_in_words(run):
    returns, out, _ = run
    simulated, real = _layers_in_folder(returns)
    page = read(out / "index.html")
    text = page.visible
    mix = f"{simulated + real} councils: {real} real return, {simulated} simulated"
    assert f"the 2010 returns of {mix}" in text and f"The returns of {mix}" in text
    assert "SIMULATED" in text  # the simulated returns are still most of every total
    assert "Real returns: 1 council's own FOI return" in text
    assert not _internal_names(text), _internal_names(text)
    assert "Real_return" not in text and "real_return+simulated" not in text
    # the unknown council is named as left out, and is in no table of figures
    assert f"Left out of every total, chart and ranking: 1 return from a council the project does not know" in text
    assert UNKNOWN_COUNCIL in text
    rows = re.findall(r'<tr data-code="(\d+)"[^>]*>(.*?)</tr>', (out / "index.html").read_text(encoding="utf-8"), re.S)
    returns_of = {code: re.sub(r"<[^>]+>", " ", cells) for code, cells in rows}
    assert "real return" in returns_of["209"]  # Lewisham, its figures beside it
    assert all("simulated return" in cells or "no return" in cells for code, cells in returns_of.items() if code != "209")
    # the flagged total is named where the counts are read, and in the list of what needs a person
    assert "5 values need review" in returns_of["209"]
    assert "parts larger than the total" in text
    _assert_inert(page, "front page")
    assert PLANTED_IMAGE.replace("'planted'", "(2)") not in (out / "index.html").read_text(encoding="utf-8")


def test_the_real_councils_report_says_its_return_is_real_and_its_comparators_are_mixed(run):
    returns, out, _ = run
    page = read(out / "profiles" / "209-lewisham.html")
    text = page.visible
    assert "Its 2010 return (a real return, snapshot 15 October 2010" in text
    london = _region_councils("London", returns)
    # its region's comparators: the simulated London returns and its own real one, counted
    assert f"(their returns: {london + 1} councils: 1 real return, {london} simulated)" in text
    assert "the real_return returns" not in text and not _internal_names(text), _internal_names(text)
    # the flagged figure, named in the report
    assert "Waiting for a person's review" in text and "parts larger than the total" in text
    # the note beside its 70 is shown as the reply wrote it: text, never markup
    assert f"70 (see note {PLANTED_SCRIPT} {PLANTED_IMAGE})" in text
    _assert_inert(page, "Lewisham's report")
    # its chart says "real return" in its title, which is the image's alt text
    alts = [a.get("alt", "") for tag, a in page.elements if tag == "img"]
    assert any(alt.startswith("Lewisham, a real return:") for alt in alts), alts


def test_every_figure_json_says_its_layers_in_words(run):
    returns, out, _ = run
    simulated, real = _layers_in_folder(returns)
    mix = f"{simulated + real} councils: {real} real return, {simulated} simulated"
    found = sorted((out / "figures").glob("*.json"))
    assert len(found) >= 7
    for path in found:
        words = json.loads(path.read_text(encoding="utf-8"))
        said = json.dumps(words)
        assert not _internal_names(said), (path.name, _internal_names(said))
        assert all(layer in ("simulated returns", "official statistics", "published figures", "real returns")
                   for layer in words["layers"]), (path.name, words["layers"])
        assert words["view"] in ("as corrected", "before the correction"), path.name
        if path.stem.startswith(("01-", "02-", "03-")):
            assert mix in words["title"], (path.name, words["title"])  # the title, so the alt text too
            assert "simulated" in words["title"]
    ranking = json.loads((out / "figures" / "01-ranking.json").read_text(encoding="utf-8"))
    assert "no council is named first on simulated figures" in ranking["title"]


def test_the_unknown_council_is_in_no_chart_table_or_ranking(run):
    _, out, _ = run
    for path in [*(out / "figures").glob("*.csv"), *(out / "tables").glob("*.csv")]:
        if path.name == "index-needs-review.csv":
            continue  # where it is named, with why it is left out
        assert UNKNOWN_COUNCIL not in path.read_text(encoding="utf-8"), path.name
    with open(out / "figures" / "01-ranking.csv", newline="", encoding="utf-8") as f:
        layers = {r["council"]: r["layer"] for r in csv.DictReader(f)}
    # each council's own return: Lewisham's is real, no simulated council is called real
    others = {v for k, v in layers.items() if k != REAL_COUNCIL}
    assert others == {"simulated counts; official denominators"}
    if REAL_COUNCIL in layers:
        assert layers[REAL_COUNCIL] == "real_return counts; official denominators"


def test_removing_the_real_return_removes_what_only_it_made(run, tmp_path):
    import shutil

    # on copies: the run's own folders stay as they are for the other tests (and the browser's)
    returns, out = tmp_path / "returns", tmp_path / "outputs"
    shutil.copytree(run[0], returns)
    shutil.copytree(run[1], out, symlinks=True)
    charts = out / "profiles" / "charts"
    made = sorted(charts.glob("209-lewisham-definitions-*"))
    assert [p.suffix for p in made] == [".csv", ".svg"]
    (returns / "2010" / "lewisham_foi_reply.csv").unlink()
    env = {**os.environ, "UNALLOCATED_RETURNS": str(returns), "UNALLOCATED_OUTPUTS": str(out)}
    again = subprocess.run([sys.executable, "-m", "unallocated", "reproduce", "--quiet"], env=env,
                           capture_output=True, text=True, cwd=paths.ROOT, timeout=900)
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    assert not list(charts.glob("209-lewisham-definitions-*"))
    for path in made:
        assert f"removed {path}: profile Lewisham no longer writes it" in again.stdout
    simulated, _ = _layers_in_folder(returns)
    assert f"the 2010 returns of {simulated} councils, all simulated" in read(out / "index.html").visible
