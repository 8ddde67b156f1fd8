"""The front page, `outputs/index.html`: where an editor starts.

It gives the headline as the coverage printed it and as the councils' returns give it, before
and after the corrections register, with how many councils of each layer the totals rest on
("89 councils: 1 real return, 88 simulated") and how many of their figures came from a person's
reading; a chart of the headline under each definition; what no total counts (a council the
project does not know) and what needs a person's review; links to each national report and the
fact-check; a table of the 152 councils of 2010 (name, region, what its return is, its cases
under each definition of "unallocated" with their bounds, as corrected and, where the correction
changed them, before it), each linking its report, and the 6 councils created since, linking
theirs. The table narrows as you type any name or code the resolver takes (so "Brighton &
Hove", "Hull", "Cumberland" or "E06000043" find their council) and sorts by any column, with a
small script inside the page: no server, no network, so the page opens from a disk, a shared
drive or an email like every other page. It prints on A4 with nothing cut and what the numbers
rest on at the top of every sheet, links the CSV behind each table and chart, and names in its
footer the commit, the data's hash and the date it was built. `make reproduce` writes it after
the notebooks run.

Every figure comes from the library (`categories.count_under`, `display.show`), the headline
from the table notebook 01 writes (`outputs/tables/01-headline.csv`), so the page and the
notebooks cannot disagree. Every piece of text from a reply (a council's name as its file gave
it, a raw cell) is escaped: it is shown, never run.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from unallocated import display, paths
from unallocated.model.categories import CASE_TYPES, DEFINITIONS, count_under

PAGE = "index.html"
#: What the front page writes beside it (the CSVs behind its tables and chart).
COUNCILS_CSV = "tables/index-councils.csv"
REVIEW_CSV = "tables/index-needs-review.csv"
CHART = "figures/index-definitions"
CASE_TYPE_SHORT = {"cp": "CP", "lac": "LAC", "cin": "CIN"}
CASE_TYPE_LABELS = {"cp": "Child protection", "lac": "Looked after", "cin": "Children in need", "total": "All three"}
#: What a council's return is, in the council table's Return column.
RETURN_WORDS = {"simulated": "simulated return", "real_return": "real return", "review": "read by a person",
                "none": "no return"}
SIMULATED_TEXT = ("the councils' 2010 returns were never published, so the project makes a set with its seeded "
                  "generator that agrees with every published figure. Which 89 councils responded was never "
                  "published either: the set of responders in the simulated returns is simulated too.")


@dataclass(frozen=True)
class Link:
    href: str  # relative to outputs/
    title: str
    what: str


def _title_of(page: Path) -> str:
    found = re.search(r"<title>(.*?)</title>", page.read_text(encoding="utf-8"), re.S | re.I)
    return html.unescape(found.group(1)).strip() if found else page.stem


def national_links(outputs: Path) -> list[Link]:
    """The national pages that exist, in reading order, with their titles, and the fact-check."""
    from unallocated.pages.names import NATIONAL

    links = []
    for name in NATIONAL:
        page = outputs / "notebooks" / f"{name}.html"
        if page.exists():
            links.append(Link(f"notebooks/{name}.html", _title_of(page),
                              "a report (its code stays in the notebook, notebooks/" + name + ".ipynb)"))
    report = outputs / "factcheck" / "factcheck.html"
    if report.exists():
        links.append(Link("factcheck/factcheck.html", _title_of(report),
                          "every published claim, its verdict and what the verdict rests on"))
    return links


def round_links(outputs: Path) -> list[tuple[str, str, str]]:
    """(href, title, what) of each later round's tracker page that `make reproduce` wrote
    (`outputs/rounds/NAME/tracker.html`), in the order of the register of rounds."""
    from unallocated.rounds import round as rounds

    links = []
    for r in rounds.all_rounds():
        page = outputs / "rounds" / r.name / "tracker.html"
        if r.name != rounds.DEFAULT and page.exists():
            what = ("SIMULATED: an illustration of a round, from the request letters to the comparison with "
                    "2010; none of its figures is a finding") if r.simulated else r.description
            links.append((f"rounds/{r.name}/tracker.html", _title_of(page), what))
    return links


def headline(outputs: Path) -> pd.DataFrame:
    """The headline by case type: printed (16 November 2010, as the register words it), and the
    returns before the correction and as corrected, from the table notebook 01 writes. Columns:
    case_type, label, printed, as_published, as_corrected, from_a_person, layer, rests_on."""
    from unallocated.model import published

    table = pd.read_csv(outputs / "tables" / "01-headline.csv", dtype={"shown": str})
    wide = table.pivot_table(index="case_type", columns="view", values="shown", aggfunc="first")
    corrected = table[table["view"] == "as_corrected"].set_index("case_type")
    layer = "+".join(sorted(set(table["layer"].dropna())))
    printed = {row["figure_id"].removeprefix("cc2010-headline-"): published.words(row, with_denominator=False)
               for row in published.figures() if row["figure_id"].startswith("cc2010-headline-")}
    rests = str(table["rests_on"].dropna().iloc[0]) if "rests_on" in table.columns and table["rests_on"].notna().any() else ""
    rows = []
    for case_type in [*CASE_TYPES, "total"]:
        if case_type not in wide.index:
            continue
        person = corrected["from_a_person"].get(case_type, 0) if "from_a_person" in corrected.columns else 0
        rows.append({"case_type": case_type, "label": CASE_TYPE_LABELS[case_type],
                     "printed": printed.get(case_type, "not printed"),
                     "as_published": wide.loc[case_type].get("as_published", ""),
                     "as_corrected": wide.loc[case_type].get("as_corrected", ""),
                     "from_a_person": int(person) if pd.notna(person) else 0, "layer": layer, "rests_on": rests})
    return pd.DataFrame(rows)


def council_table() -> pd.DataFrame:
    """One row per 2010 council: code, council, region, returned, layer (of its return: simulated,
    real_return, review, none), needs_review (figures of its reply a person must decide),
    from_a_person (figures from a person's reading), report, now (the councils that replaced it
    since, "" for most), search (every name and code the resolver takes for it and its
    successors), and for each definition `<name>` (all case types, as corrected, shown with
    bounds), `<name>_published` (before the correction), `<name>_by_type` ("CP 0 · LAC 0 to 9 ·
    CIN 0 to 9", as corrected) and `<name>_sort` (the lower bound, for sorting). A council with
    no return has "no return" in its figures, never 0."""
    from unallocated.analysis import layers
    from unallocated.pages.profile import report_file
    from unallocated.rounds import dataset
    from unallocated.sources.councils import clean_name, councils, names_of, successors

    views = {"as_corrected": dataset.returns_2010(corrected=True), "as_published": dataset.returns_2010()}
    totals, by_type = {}, {}
    for view, returns in views.items():
        for name in DEFINITIONS:
            t = count_under(returns, name, by=("council_code",)).set_index("council_code")
            totals[view, name] = {code: (display.show_row(row), row["low"]) for code, row in t.iterrows()}
            b = count_under(returns, name, by=("council_code", "case_type"))
            by_type[view, name] = {(r.council_code, r.case_type): display.show_row(r._asdict())
                                   for r in b.itertuples(index=False)}
    received = views["as_published"]
    own_layer = layers.layer_by_council(received)
    person = received[layers.from_a_person(received)].groupby("council_code").size().to_dict()
    review = needs_review().groupby("council_code").size().to_dict()
    rows = []
    for c in sorted(councils(in_2010=True), key=lambda c: c.name):
        later = successors(c)
        terms = [clean_name(c.name), clean_name(c.region), *names_of(c), *[t for s in later for t in names_of(s)]]
        row = {"code": c.old_la_code, "council": c.name, "region": c.region,
               "returned": c.old_la_code in own_layer, "layer": own_layer.get(c.old_la_code, "none"),
               "needs_review": int(review.get(c.old_la_code, 0)), "from_a_person": int(person.get(c.old_la_code, 0)),
               # profile_job's file name, without re-reading the notebook for each council
               "report": f"profiles/{report_file(c)}",
               "now": "; ".join(s.name for s in later), "search": " | ".join(dict.fromkeys(terms))}
        for name in DEFINITIONS:
            if not row["returned"]:
                row.update({name: "no return", f"{name}_published": "no return", f"{name}_by_type": "",
                            f"{name}_sort": ""})
                continue
            shown, low = totals["as_corrected", name][c.old_la_code]
            row[name] = shown
            row[f"{name}_published"] = totals["as_published", name][c.old_la_code][0]
            row[f"{name}_by_type"] = " · ".join(
                f"{CASE_TYPE_SHORT[t]} {by_type['as_corrected', name][c.old_la_code, t]}"
                for t in CASE_TYPES if (c.old_la_code, t) in by_type["as_corrected", name])
            row[f"{name}_sort"] = "" if pd.isna(low) else f"{float(low):g}"
        rows.append(row)
    return pd.DataFrame(rows)


def needs_review() -> pd.DataFrame:
    """Every value the reader could not take without a person (`profile.needs_review`, with the
    layer of its file and the view), for the list and the CSV behind it."""
    from unallocated.pages.profile import needs_review as of_the_round

    return of_the_round(csv=True)


def successor_rows() -> list[dict[str, str]]:
    """The councils created since 2010: name, year created, what they cover, their predecessors
    (the 2010 councils whose returns their reports show), and their report's address."""
    from unallocated.pages.profile import covered, report_file
    from unallocated.sources import councils as council_ids

    rows = []
    for c in sorted(council_ids.councils(in_2010=False), key=lambda c: c.name):
        year, _, covers = council_ids.SUCCESSORS[c.old_la_code]
        rows.append({"code": c.old_la_code, "council": c.name, "created": str(year), "covers": covers,
                     "predecessors": ", ".join(p.name for p in covered(c)), "report": f"profiles/{report_file(c)}"})
    return rows


STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; margin: 0;
       color: #222; background: #fff; line-height: 1.45; }
main { max-width: 1200px; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
h1 { font-size: 1.7rem; margin: 0 0 .5rem; } h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; }
.layer { border-left: 4px solid #dd8452; background: #fdf3ec; padding: .6rem .9rem; margin: 1rem 0; }
.layer strong { color: #a4501b; }
.layer.real { border-left-color: #55a868; background: #eef7f0; }
.layer.real strong { color: #2c6b3a; }
table { border-collapse: collapse; font-size: .9rem; }
th, td { text-align: left; padding: .35rem .55rem; border-bottom: 1px solid #ddd; vertical-align: top; }
td.n, th.n { text-align: right; } td.n small { display: block; color: #666; font-size: .75rem; white-space: nowrap; }
thead th { background: #f3f3f3; position: sticky; top: 0; }
caption { caption-side: top; text-align: left; color: #444; padding: .3rem 0; }
#councils th { cursor: pointer; user-select: none; }
#councils th[aria-sort="ascending"]::after { content: " \\25B2"; }
#councils th[aria-sort="descending"]::after { content: " \\25BC"; }
#councils th button { all: inherit; cursor: pointer; padding: 0; }
small.now, small.ret { display: block; color: #666; font-size: .75rem; }
td.sim { color: #a4501b; } td.real { color: #2c6b3a; font-weight: 600; }
.no-return { color: #777; font-style: italic; white-space: nowrap; }
label { font-weight: 600; } #search { font-size: 1rem; padding: .3rem .5rem; width: 22rem; max-width: 100%; }
#count { margin-left: .75rem; color: #555; }
ul.pages li { margin: .2rem 0; }
p.csv { font-size: .85rem; color: #444; margin: .3rem 0 0; }
.chart img { max-width: 100%; height: auto; }
table.review td { font-size: .85rem; overflow-wrap: anywhere; }
"""

#: Names the search matches are written as `councils.clean_name` writes them; the script writes
#: what is typed the same way, so "Brighton & Hove" finds "brighton and hove".
SCRIPT = """
(function () {
  var table = document.getElementById("councils");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var search = document.getElementById("search");
  var count = document.getElementById("count");
  function clean(text) {
    var s = text.normalize("NFKD").replace(/[\\u0300-\\u036f]/g, "").toLowerCase().replace(/&/g, " and ");
    s = s.replace(/[^a-z0-9]+/g, " ").replace(/\\bsaint\\b/g, "st");
    return s.split(" ").filter(Boolean).join(" ");
  }
  function narrow() {
    var phrase = clean(search.value);
    var shown = 0;
    rows.forEach(function (row) {
      var keep = row.getAttribute("data-search").indexOf(phrase) >= 0;
      row.hidden = !keep;
      if (keep) { shown += 1; }
    });
    count.textContent = shown + " of " + rows.length + " councils shown";
  }
  search.addEventListener("input", narrow);
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  heads.forEach(function (th, column) {
    th.querySelector("button").addEventListener("click", function () {
      var descending = th.getAttribute("aria-sort") === "ascending";
      heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      var numeric = th.classList.contains("n");
      function key(row) {
        var v = row.cells[column].getAttribute("data-sort");
        if (v === null) { v = row.cells[column].textContent; }
        if (!numeric) { return v.toLowerCase(); }
        return v === "" ? null : parseFloat(v.replace(/,/g, ""));
      }
      var sorted = rows.slice().sort(function (a, b) {
        var x = key(a), y = key(b);
        if (x === y) { return 0; }
        if (x === null) { return 1; }   // no return: always last
        if (y === null) { return -1; }
        return (x < y ? -1 : 1) * (descending ? -1 : 1);
      });
      sorted.forEach(function (row) { body.appendChild(row); });
    });
  });
  narrow();
}());
"""


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _csv_link(href: str, what: str) -> str:
    return f'<p class="csv">The numbers {_e(what)}: <a href="{_e(href)}">{_e(href.rsplit("/", 1)[-1])}</a> (CSV).</p>'


def _chart(outputs: Path, rests: str, simulated: bool) -> str:
    """The headline under each definition, as corrected (from notebook 02's table), drawn as SVG
    with its CSV beside it; '' when that table is not there."""
    from unallocated.analysis import svgcharts
    from unallocated.model.categories import get_definition

    source = outputs / "tables" / "02-definitions.csv"
    if not source.exists():
        return "<p>The chart of the headline under each definition appears once notebook 02 has run.</p>"
    table = pd.read_csv(source)
    totals = table[(table["case_type"] == "total") & (table["view"] == "as_corrected")].copy()
    totals["definition_title"] = totals["definition"].map(lambda d: get_definition(d).title)
    order = list(DEFINITIONS)
    totals = totals.assign(_o=totals["definition"].map(order.index)).sort_values("_o").drop(columns="_o")
    nopro = totals[totals["definition"] == "no_professional"].iloc[0]
    widest = totals[totals["definition"] == "no_qualified_social_worker"].iloc[0]
    narrow = totals[totals["definition"] == "councils_reading"].iloc[0]
    title = (f"As corrected, {narrow['shown']} to {widest['shown']} cases, depending on what counts as "
             f"unallocated ({nopro['shown']} with no professional allocated); returns of {rests}")
    layers = [x for x in ("real_return", "simulated") if x in " ".join(totals["layer"].astype(str))] or ["simulated"]
    svg = svgcharts.definition_bars(totals, "no_professional", title=title,
                                    subtitle=("All three case types, every council the project knows, as corrected "
                                              "(data/corrections.csv). A paler bar is a range: the total is known "
                                              "only between its ends."), layers=layers)
    keep = ["definition", "definition_title", "count", "qualifier", "low", "high", "shown", "view", "layer", "rests_on"]
    data = totals[[c for c in keep if c in totals.columns]]
    svgcharts.save(CHART.rsplit("/", 1)[-1], svg, data, outputs / "figures")
    return (f'<div class="chart">{svgcharts.img_tag(svg, alt=title)}</div>'
            + _csv_link(f"{CHART}.csv", "this chart draws"))


def render(outputs: Path | None = None) -> str:
    """The front page's HTML (and, beside it, the CSVs its tables and chart are made from)."""
    from unallocated import analysis, build
    from unallocated.analysis import layers
    from unallocated.files import atomic_write
    from unallocated.model.corrections import load_corrections
    from unallocated.rounds import dataset

    outputs = Path(outputs or paths.OUTPUTS)
    received = dataset.returns_2010()
    counted = analysis.national_rows(received)
    simulated = layers.simulated_any(counted)
    rests = layers.rests_on(counted, "no_professional")
    label = layers.page_label(counted)
    built = build.current()
    register = load_corrections()
    corrections = "; ".join(f"{r.council}, {r.correction_date:%-d %B %Y}" for r in register.itertuples())
    head = headline(outputs)
    table = council_table()
    review = needs_review()
    left = analysis.left_out(received)
    # Its figures are as corrected, each beside the figure before the correction (`_published`).
    for name, frame in ((COUNCILS_CSV, table.assign(view="as_corrected")), (REVIEW_CSV, review)):
        atomic_write(outputs / name, lambda tmp, f=frame: f.to_csv(tmp, index=False, lineterminator="\n"))
    returned = int(table["returned"].sum())
    real = int((table["layer"] == "real_return").sum())
    out = ['<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           "<title>Unallocated children's social care cases, 2010: the investigation's pages</title>",
           f"<style>{STYLE}{build.print_css(label)}</style>\n</head>\n<body>\n<main>",
           "<h1>Children without an allocated social worker, 2010</h1>",
           "<p>Community Care's Freedom of Information investigation (16 November 2010), reproduced from "
           "the councils' returns: each reading of &ldquo;unallocated&rdquo;, the Barnsley correction, and "
           "every published claim checked. This page links every page <code>make reproduce</code> wrote.</p>"]
    sim_text = f"<br><strong>SIMULATED:</strong> {_e(SIMULATED_TEXT)}" if simulated else ""
    real_text = (f"<br><strong>Real returns:</strong> {real} {'council' if real == 1 else 'councils'}'"
                 f"{'s' if real == 1 else ''} own FOI return{'s' if real != 1 else ''}, put in the returns folder; the "
                 "table below says which." if real else "")
    out.append(f'<p class="layer{"" if simulated else " real"}"><strong>What the numbers rest on:</strong> the 2010 '
               f"returns of {_e(rests)}.{sim_text}{real_text}<br>Official statistics (DfE, ONS) are real; the "
               f"printed figures are the coverage's own, written as it printed them.<br>"
               f"<strong>View:</strong> figures are shown <em>as corrected</em> by the corrections register "
               f"({_e(corrections)}), with the figure before the correction beside any the correction changed. A "
               f"range (&ldquo;0 to 9&rdquo;) is a figure known only between its bounds.</p>")
    out.append("<h2>The headline: children with no professional allocated</h2>")
    person_total = int(head.loc[head["case_type"] == "total", "from_a_person"].sum()) if len(head) else 0
    out.append(f'<table id="headline"><caption>The returns of {_e(rests)}.</caption><thead><tr><th>Case type</th>'
               '<th class="n">Printed, 16 November 2010</th><th class="n">Returns, before the correction</th>'
               '<th class="n">Returns, as corrected</th><th class="n">Figures from a person\'s reading</th>'
               '</tr></thead><tbody>')
    for r in head.itertuples():
        out.append(f'<tr><th scope="row">{_e(r.label)}</th><td class="n">{_e(r.printed)}</td>'
                   f'<td class="n">{_e(r.as_published)}</td><td class="n">{_e(r.as_corrected)}</td>'
                   f'<td class="n">{r.from_a_person}</td></tr>')
    out.append("</tbody></table>")
    out.append(_csv_link("tables/01-headline.csv", "in this table"))
    out.append("<p>Barnsley's correction is known only as a total (9 of its 165 cases truly unallocated), so the "
               "corrected figure for each case type is a range; the total is exact. "
               + (f"{person_total} of the figures the total adds came from a person's reading of a reply "
                  "(review.csv); each council's report lists its own." if person_total else
                  "None of the figures it adds came from a person's reading of a reply (review.csv).") + "</p>")
    out.append("<h2>The headline under each definition of &ldquo;unallocated&rdquo;</h2>")
    out.append(_chart(outputs, rests, simulated))
    out.append("<h2>What no total counts, and what needs a person</h2>")
    if left.empty:
        out.append("<p>Every return in the folder is from a council of 2010 the project knows: none is left out of the "
                   "totals.</p>")
    else:
        names = "; ".join(f"{_e(r.council)} ({_e(r.files)})" for r in left.itertuples())
        out.append(f"<p><strong>Left out of every total, chart and ranking:</strong> {len(left)} return"
                   f"{'s' if len(left) != 1 else ''} from a council the project does not know as a council of 2010: "
                   f"{names}. Ingest's issues say why; no figure of it is counted anywhere.</p>")
    if review.empty:
        out.append("<p>No figure in the returns is waiting for a person's review.</p>")
    else:
        files = review["file"].nunique()
        out.append(f"<p><strong>Waiting for a person's review:</strong> {len(review)} value"
                   f"{'s' if len(review) != 1 else ''} in {files} file{'s' if files != 1 else ''} the reader could "
                   "not take on its own (ingest's issues.csv). A value withheld is in no total; a file flagged as a "
                   "whole (parts larger than its total, say) is counted as read, so check it before quoting that "
                   "council. Each council's report lists its own.</p>")
        out.append('<table class="review" id="review"><thead><tr><th>Council</th><th>File</th><th>Cell</th>'
                   "<th>As written</th><th>Why it needs a person</th></tr></thead><tbody>")
        for r in review.head(40).itertuples():
            where = " ".join(x for x in (r.sheet, r.cell) if x)
            out.append(f"<tr><td>{_e(r.council or 'not known')}</td><td>{_e(r.file)}</td><td>{_e(where)}</td>"
                       f"<td>{_e(r.raw)}</td><td>{_e(layers.plain(r.problem))}</td></tr>")
        out.append("</tbody></table>")
        more = f" ({len(review) - 40} more than shown here)" if len(review) > 40 else ""
        out.append(_csv_link(REVIEW_CSV, f"in this list{more}"))
    out.append('<h2>The national pages</h2>\n<ul class="pages">')
    for link in national_links(outputs):
        out.append(f'<li><a href="{_e(link.href)}">{_e(link.title)}</a>: {_e(link.what)}</li>')
    out.append("</ul>")
    later = round_links(outputs)
    if later:  # each later round: its tracker page, which links the round's own pages
        out.append('<h2>Later rounds of the request</h2>\n<ul class="pages">')
        out += [f'<li><a href="{_e(href)}">{_e(title)}</a>: {_e(what)}</li>' for href, title, what in later]
        out.append("</ul>")
    out.append(f"<h2>The {len(table)} councils of 2010</h2>")
    responders = " (the set of responders is simulated: which councils answered was never published)" if simulated else ""
    out.append(f"<p>{returned} returned{responders}; {len(table) - returned} have no return. The Return column says "
               "what each council's figures are: a <em>simulated return</em> (made by the project's generator), a "
               "<em>real return</em>, or none. Cases in all three case types under each definition, as corrected; "
               "the line beneath splits them by case type (CP child protection, LAC looked after, CIN children in "
               "need). Each council's name opens its report. Click a column's heading to sort by it (a range sorts "
               "by its lower bound; no return sorts last).</p>")
    out.append('<p><label for="search">Find a council, region or code</label> <input id="search" type="search" '
               'placeholder="e.g. Brighton &amp; Hove, North West or E06000043" autocomplete="off"><span id="count" '
               'aria-live="polite"></span></p>')
    def heading(text: str, numeric: bool = False) -> str:
        # Chromium does not paint a button in a table heading repeated on a printed sheet: the
        # heading's words are printed from a span the screen does not show.
        return (f'<th{" class=n" if numeric else ""}><button type="button">{_e(text)}</button>'
                f'<span class="print-only">{_e(text)}</span></th>')

    out.append('<table id="councils"><thead><tr>' + heading("Council") + heading("Region") + heading("Return"))
    for d in DEFINITIONS.values():
        out.append(heading(d.title, numeric=True))
    out.append("</tr></thead><tbody>")
    for r in table.to_dict("records"):
        status = RETURN_WORDS.get(r["layer"], r["layer"])
        now = f'<small class="now">now part of: {_e(r["now"])}</small>' if r["now"] else ""
        extra_return = ""
        if r["needs_review"]:
            extra_return += f'<small class="ret">{r["needs_review"]} value{"s" if r["needs_review"] != 1 else ""} need review</small>'
        if r["from_a_person"]:
            extra_return += f'<small class="ret">{r["from_a_person"]} from a person\'s reading</small>'
        css = {"simulated": "sim", "real_return": "real"}.get(r["layer"], "no-return" if not r["returned"] else "")
        cells = [f'<td><a href="{_e(r["report"])}">{_e(r["council"])}</a>{now}</td>', f"<td>{_e(r['region'])}</td>",
                 f'<td class="{css}">{_e(status)}{extra_return}</td>']
        for name in DEFINITIONS:
            if not r["returned"]:
                cells.append('<td class="n no-return" data-sort="">no return</td>')
                continue
            extra = f"<small>{_e(r[f'{name}_by_type'])}</small>" if r[f"{name}_by_type"] else ""
            if r[f"{name}_published"] != r[name]:
                extra += f"<small>before the correction: {_e(r[f'{name}_published'])}</small>"
            cells.append(f'<td class="n" data-sort="{_e(r[f"{name}_sort"])}">{_e(r[name])}{extra}</td>')
        out.append(f'<tr data-code="{_e(r["code"])}" data-search="{_e(r["search"])}">{"".join(cells)}</tr>')
    out.append("</tbody></table>")
    out.append(_csv_link(COUNCILS_CSV, "in this table"))
    out.append("<h2>Councils created since 2010</h2>")
    out.append("<p>They did not exist in 2010, so they made no return; each report shows the 2010 returns of the "
               "councils whose area it now covers, and its official figures from its creation.</p>\n<ul class=\"pages\">")
    for s in successor_rows():
        out.append(f'<li><a href="{_e(s["report"])}">{_e(s["council"])}</a> ({_e(s["created"])}): '
                   f'{_e(s["covers"])}. 2010 returns shown: {_e(s["predecessors"])}.</li>')
    out.append("</ul>")
    out.append(built.footer_html())
    out.append(f"<script>{SCRIPT}</script>\n</main>\n</body>\n</html>\n")
    return "\n".join(out)


def write(outputs: Path | None = None) -> Path:
    """Write `outputs/index.html` (readable by others, never half-written)."""
    from unallocated.files import atomic_write_text

    outputs = Path(outputs or paths.OUTPUTS)
    return atomic_write_text(outputs / PAGE, render(outputs))
