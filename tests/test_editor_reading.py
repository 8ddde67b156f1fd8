"""Read the national outputs as an editor would before publication.

After a run of the national notebooks (into a temporary outputs folder), every table under
`tables/` and every CSV beside a figure is read back:

* each says its layer and its view (`as_published` / `as_corrected`);
* each count whose qualifier is not exact is shown with its bound ("0 to 9", "at least 540",
  "about 11,758 (11,704 to 19,813)"), never as a bare number, and the shown text is what
  `unallocated.display.show` makes of the count, qualifier and bounds beside it;
* each figure's title (saved beside it as JSON, in words: "as corrected", "simulated returns")
  states the view its CSV holds; every count of that view the title quotes is quoted as shown
  (with its range when it has one); it never says "no worker"; every title says how many
  councils of each layer it rests on and "simulated" in words when any is; a ranking on
  simulated returns names no leader, and one on real returns names its leader as the CSV ranks
  it, never a council whose figure a correction withdrew (unless it says so); either names under
  the chart every council it leaves out.

The council reports (profile pages) are read the same way, for a few councils run into a
temporary outputs folder: Barnsley's report shows 0 to 9, 0 to 9 and 9 in total with the
correction's date and source, and no count whose qualifier is not exact is shown bare (the
report's tables show what `display.show` made of the CSV beside them, never a `count` column).
"""
from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys

import pandas as pd
import pytest

from unallocated import display, paths
from unallocated.model.corrections import load_corrections

VIEWS = {"as_published", "as_corrected"}
NEEDS_RETURNS = pytest.mark.skipif(not any((paths.RAW_RETURNS / "2010").glob("*.xlsx")),
                                   reason="simulated returns not in data/raw/returns/2010 (make simulate)")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    out = tmp_path_factory.mktemp("outputs")
    env = {**os.environ, "UNALLOCATED_OUTPUTS": str(out)}
    done = subprocess.run([sys.executable, "-m", "unallocated", "reproduce", "--no-profiles", "--quiet", "--force"],
                          env=env, capture_output=True, text=True, cwd=paths.ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def _csvs(out):
    found = sorted((out / "tables").glob("*.csv")) + sorted((out / "figures").glob("*.csv"))
    assert len(found) >= 19, [p.name for p in found]  # 12 tables, 7 figures
    return found


def _measures(table: pd.DataFrame):
    """(count, qualifier, low, high, shown) column names for each measure with a qualifier."""
    for q in [c for c in table.columns if c.endswith("qualifier")]:
        prefix = q[: -len("qualifier")]
        count = prefix + "count" if prefix + "count" in table.columns else prefix.rstrip("_")
        shown = prefix + "shown"
        yield count, q, prefix + "low", prefix + "high", shown


def _read(path) -> pd.DataFrame:
    """As text, as an editor sees it (so '9' stays '9')."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _num(value):
    try:
        return float(str(value).replace(",", "")) if str(value) not in ("", "<NA>", "nan") else None
    except ValueError:
        return None


BARE = re.compile(r"^[0-9][0-9,]*$")


@NEEDS_RETURNS
@pytest.mark.slow
def test_every_table_and_figure_csv_says_its_layer_and_view(outputs):
    for path in _csvs(outputs):
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        assert "layer" in table.columns and (table["layer"] != "").all(), path.name
        assert "view" in table.columns and set(table["view"]) <= VIEWS, (path.name, set(table.get("view", [])))


@NEEDS_RETURNS
@pytest.mark.slow
def test_a_count_that_is_not_exact_is_shown_with_its_bound(outputs):
    checked = 0
    for path in _csvs(outputs):
        table = _read(path)
        for count, qualifier, low, high, shown in _measures(table):
            assert shown in table.columns, f"{path.name}: {qualifier} has no {shown} column"
            for _, row in table.iterrows():
                if row[qualifier] == "":
                    assert row[shown] == "", (path.name, row.to_dict())  # nothing to show (a walk's first row)
                    continue
                want = display.show(_num(row.get(count)), row[qualifier], _num(row.get(low)), _num(row.get(high)))
                assert row[shown] == want, (path.name, row[shown], want, row.to_dict())
                if row[qualifier] != "exact":
                    assert not BARE.match(str(row[shown])), (path.name, row[shown], row[qualifier])
                checked += 1
    assert checked > 100


def _figures(out):
    found = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((out / "figures").glob("*.json"))}
    assert set(found) == {"01-headline", "01-ranking", "02-definitions", "02-walk", "03-correction", "05-essex",
                          "05-birmingham"}
    return found


def _numbers(text: str) -> set[float]:
    return {float(m.replace(",", "")) for m in re.findall(r"(?<![\d.])\d{1,3}(?:,\d{3})+(?![\d])|(?<![\d.,])\d+(?![\d,])", text)}


VIEW_KEYS = {"as corrected": "as_corrected", "before the correction": "as_published"}


@NEEDS_RETURNS
@pytest.mark.slow
def test_titles_match_their_csv_under_the_view_they_state(outputs):
    for name, words in _figures(outputs).items():
        title, subtitle, note = words["title"], words["subtitle"], words["note"]
        table = _read(outputs / "figures" / f"{name}.csv")
        view = VIEW_KEYS[words["view"]]  # said in words in the JSON; the CSV keeps the key
        assert view in set(table["view"]), name
        said = (title + " " + subtitle).lower()
        assert "no worker" not in said and "without a worker" not in said, name
        assert words["view"] in said, (name, "the title or subtitle states its view")
        assert "as published" not in said, (name, "'published' is said only of what was printed")
        if words["simulated"]:
            assert "simulated" in title.lower(), (name, "the title itself (so the alt text) says simulated")
        if not name.startswith("05-"):
            assert words["rests_on"] and words["rests_on"] in title, (name, "the councils of each layer, in the title")
        # every count of the stated view the title quotes is quoted as shown, with its range if any
        mine = table[table["view"] == view]
        quoted = _numbers(title.replace(words["rests_on"], ""))
        for count, qualifier, low, high, shown in _measures(mine):
            for _, row in mine.iterrows():
                if _num(row.get(count)) is not None and _num(row[count]) in quoted and row.get(shown):
                    if row[qualifier] == "at_least":
                        continue  # "more than 1,000" is stored as at least 1,001: the number itself is not quoted
                    assert row[shown] in title, (name, row[shown], title)


@NEEDS_RETURNS
@pytest.mark.slow
def test_the_ranking_title_names_no_leader_on_simulated_returns_and_names_the_left_out(outputs):
    words = _figures(outputs)["01-ranking"]
    table = pd.read_csv(outputs / "figures" / "01-ranking.csv")
    ranked = table.dropna(subset=["rank"]).sort_values("rank")
    assert words["simulated"]
    # a simulated figure on a real council is not a finding: no council is named in the title
    assert not [c for c in table["council"] if c in words["title"]], words["title"]
    assert "no council is named first on simulated figures" in words["title"]
    whole = pd.read_csv(outputs / "tables" / "01-ranking.csv")  # every council, the chart's top 15 and the rest
    assert f"of the {int(whole['rank'].notna().sum())} councils that can be ranked" in words["title"]
    assert len(ranked) == 15
    for council in table.loc[table["rank"].isna(), "council"]:
        assert council in words["note"], council
    assert "not ranked" in words["note"].lower()


@NEEDS_RETURNS
@pytest.mark.slow
def test_a_table_never_shows_the_withdrawn_barnsley_figure_as_corrected(outputs):
    # 165 (51 + 114) was withdrawn on 6 December 2010: as corrected Barnsley has 9 in all, 0 to 9 each
    barnsley = _read(outputs / "tables" / "03-barnsley.csv")
    corrected = barnsley[barnsley["view"] == "as_corrected"].set_index("case_type")["shown"]
    assert corrected["lac"] == "0 to 9" and corrected["cin"] == "0 to 9"
    ranking = _read(outputs / "tables" / "01-ranking.csv")
    row = ranking[ranking["council"] == "Barnsley"].iloc[0]
    assert row["view"] == "as_corrected" and row["shown"] == "9"


# --------------------------------------------------------------------------- council reports

#: Councils whose reports are read: Barnsley (corrected), three whose cells carry a hedge
#: ("5%" where a count was asked for, "c. 50", "<5"), and one with no return.
PROFILED = ["Barnsley", "Leicestershire", "North Tyneside", "Bradford"]
_TABLE = re.compile(r"<table\b.*?</table>", re.S)
_ROW = re.compile(r"<tr\b.*?>(.*?)</tr>", re.S)
_CELL = re.compile(r"<t[hd]\b.*?>(.*?)</t[hd]>", re.S)
_TAG = re.compile(r"<.*?>", re.S)


def _no_return_council() -> str:
    from unallocated.sources import councils
    from unallocated.rounds import dataset

    have = set(dataset.returns_2010(corrected=False)["council_code"])
    return next(c.name for c in councils.councils(in_2010=True) if c.old_la_code not in have)


@pytest.fixture(scope="module")
def profiles(tmp_path_factory):
    out = tmp_path_factory.mktemp("profile-outputs")
    env = {**os.environ, "UNALLOCATED_OUTPUTS": str(out)}
    names = [*PROFILED, _no_return_council()]
    code = ("import sys\nfrom unallocated import reproduce, runner\n"
            f"jobs = [reproduce.profile_job(c) for c in {names!r}]\n"
            "results = runner.run_jobs(jobs, workers=1, progress=False)\n"
            "bad = [f'{r.job.label}: {r.error}' for r in results if not r.ok]\n"
            "print('\\n'.join(bad)); sys.exit(1 if bad else 0)\n")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=paths.ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    pages = {p.stem: p.read_text(encoding="utf-8") for p in sorted((out / "profiles").glob("*.html"))}
    assert len(pages) == len(names), sorted(pages)
    return {"pages": pages, "out": out}


def _tables(page: str) -> list[list[list[str]]]:
    """Each HTML table of a page as rows of cell texts (header rows included)."""
    return [[[html.unescape(_TAG.sub("", c)).strip() for c in _CELL.findall(row)] for row in _ROW.findall(t)]
            for t in _TABLE.findall(page)]


def _text(page: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S)
    return " ".join(html.unescape(_TAG.sub(" ", body)).split())


@NEEDS_RETURNS
@pytest.mark.slow
def test_the_barnsley_report_shows_the_correction_with_its_date_and_source(profiles):
    corr = load_corrections().set_index("council").loc["Barnsley"]
    stem, page = next((stem, text) for stem, text in profiles["pages"].items() if stem.endswith("-barnsley"))
    text = _text(page)
    total = int(corr["corrected_unallocated_total"])
    assert f"looked after 0 to {total} and children in need 0 to {total}" in text
    assert f"{total} cases in total" in text
    assert f"{corr['correction_date']:%-d %B %Y}" in text  # 6 December 2010
    assert corr["source_url"] in text
    # the cases table: as corrected, each case type 0 to 9, exactly 9 in all, in words
    table = next(t for t in _tables(page) if t and "figures" in t[0] and "All three" in t[0])
    header = table[0]
    col = {name: i for i, name in enumerate(header)}
    corrected = next(r for r in table if len(r) == len(header) and r[0] == "No professional allocated (chosen)"
                     and r[col["figures"]] == "as corrected")
    assert corrected[col["Looked after"]] == f"0 to {total}"
    assert corrected[col["Children in need"]] == f"0 to {total}"
    assert corrected[col["All three"]] == str(total)
    assert corrected[col["return"]] == "SIMULATED return"
    # where each figure comes from: the CSV linked under the table, sourced to the register
    cases = _read(profiles["out"] / "profiles" / "charts" / f"{stem}-cases-no_professional.csv")
    row = cases[(cases["definition"] == "no_professional") & (cases["view"] == "as_corrected")
                & (cases["case_type"] == "lac")].iloc[0]
    assert corr["correction_id"] in row["source"] and f"{corr['correction_date']:%-d %B %Y}" in row["source"]
    assert f'href="charts/{stem}-cases-no_professional.csv"' in page


@NEEDS_RETURNS
@pytest.mark.slow
def test_no_report_shows_a_bare_count_whose_qualifier_is_not_exact(profiles):
    hedged = 0
    for stem, page in profiles["pages"].items():
        shown_on_page = {cell for t in _tables(page) for row in t for cell in row}
        assert "count" not in {cell for t in _tables(page) for cell in t[0]}, stem
        cases = _read(profiles["out"] / "profiles" / "charts" / f"{stem}-cases-no_professional.csv")
        for _, row in cases.iterrows():
            if row["qualifier"] in ("", "exact") or row["view"] != "as_corrected":
                continue
            assert not BARE.match(row["shown"]), (stem, row.to_dict())
            assert row["shown"] in shown_on_page, (stem, row["shown"])  # the page shows what display made
            hedged += 1
    assert hedged >= 10  # Barnsley's ranges, Leicestershire's "at least", "about 50", "<5"


@NEEDS_RETURNS
@pytest.mark.slow
def test_a_report_of_a_council_not_in_the_returns_says_the_responders_are_simulated(profiles):
    name = _no_return_council()
    page = next(text for text in profiles["pages"].values() if f"<h1" in text and name in text.split("</h1>", 1)[0])
    text = _text(page)
    assert f"{name} is not among the 89 councils" in text
    assert "the set of responders in the shipped returns is itself SIMULATED" in text
