"""The front page, `outputs/index.html`: where an editor starts.

It gives the headline as the coverage printed it and as the returns give it, before and after
the corrections register; links to each national page and the fact-check; and a table of the
152 councils of 2010 (name, region, whether it returned, its cases under each definition of
"unallocated" with their bounds, as corrected and, where the correction changed them, as
published), each linking its report, and the 6 councils created since, linking theirs. The table narrows as you type and sorts by any column, with
a small script inside the page: no server, no network, so the page opens from a disk, a shared
drive or an email like every other page. `make reproduce` writes it after the notebooks run.

Every figure comes from the library (`categories.count_under`, `display.show`), the headline
from the table notebook 01 writes (`outputs/tables/01-headline.csv`), so the page and the
notebooks cannot disagree; the layer and the view are stated on the page.
"""
from __future__ import annotations

import csv
import html
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from unallocated import display, paths
from unallocated.model.categories import CASE_TYPES, DEFINITIONS, count_under

PAGE = "index.html"
CASE_TYPE_SHORT = {"cp": "CP", "lac": "LAC", "cin": "CIN"}
CASE_TYPE_LABELS = {"cp": "Child protection", "lac": "Looked after", "cin": "Children in need", "total": "All three"}
#: How the coverage's qualifiers read.
PRINTED_WORDS = {"more_than": "more than", "almost": "almost", "about": "about", "exact": "", "over": "over"}
LAYER_TEXT = {
    "simulated": ("SIMULATED: the councils' 2010 returns were never published, so the project makes a "
                  "set with its seeded generator that agrees with every published figure. Which 89 councils "
                  "responded was never published either: the set of responders is simulated too."),
    "real_return": "the councils' own FOI returns (real_return).",
}


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
            links.append(Link(f"notebooks/{name}.html", _title_of(page), "the notebook as a page, code and all"))
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
    """The headline by case type: printed (16 November 2010), and the returns as published and as
    corrected, from the table notebook 01 writes. Columns: case_type, label, printed, as_published,
    as_corrected, layer."""
    table = pd.read_csv(outputs / "tables" / "01-headline.csv", dtype={"shown": str})
    wide = table.pivot_table(index="case_type", columns="view", values="shown", aggfunc="first")
    layer = "+".join(sorted(set(table["layer"].dropna())))
    printed = {}
    with open(paths.DATA / "published_figures.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["figure_id"].startswith("cc2010-headline-"):
                key = row["figure_id"].removeprefix("cc2010-headline-")
                words = PRINTED_WORDS.get(row["qualifier"], row["qualifier"].replace("_", " "))
                printed[key] = f"{words} {display.number(float(row['value']))}".strip()
    rows = []
    for case_type in [*CASE_TYPES, "total"]:
        if case_type not in wide.index:
            continue
        rows.append({"case_type": case_type, "label": CASE_TYPE_LABELS[case_type],
                     "printed": printed.get(case_type, "not printed"),
                     "as_published": wide.loc[case_type].get("as_published", ""),
                     "as_corrected": wide.loc[case_type].get("as_corrected", ""), "layer": layer})
    return pd.DataFrame(rows)


def council_table() -> pd.DataFrame:
    """One row per 2010 council: code, council, region, returned, report, now (the councils
    that replaced it since, "" for most), and for each
    definition `<name>` (all case types, as corrected, shown with bounds), `<name>_published`
    (as published), `<name>_by_type` ("CP 0 · LAC 0 to 9 · CIN 0 to 9", as corrected) and
    `<name>_sort` (the lower bound, for sorting). A council with no return has "no return"
    in its figures, never 0."""
    from unallocated.rounds import dataset
    from unallocated.sources.councils import councils, successors
    from unallocated.pages.profile import report_file

    views = {"as_corrected": dataset.returns_2010(corrected=True), "as_published": dataset.returns_2010()}
    totals, by_type = {}, {}
    for view, returns in views.items():
        for name in DEFINITIONS:
            t = count_under(returns, name, by=("council_code",)).set_index("council_code")
            totals[view, name] = {code: (display.show_row(row), row["low"]) for code, row in t.iterrows()}
            b = count_under(returns, name, by=("council_code", "case_type"))
            by_type[view, name] = {(r.council_code, r.case_type): display.show_row(r._asdict())
                                   for r in b.itertuples(index=False)}
    responded = set(views["as_published"]["council_code"])
    rows = []
    for c in sorted(councils(in_2010=True), key=lambda c: c.name):
        row = {"code": c.old_la_code, "council": c.name, "region": c.region, "returned": c.old_la_code in responded,
               # profile_job's file name, without re-reading the notebook for each council
               "report": f"profiles/{report_file(c)}",
               "now": "; ".join(s.name for s in successors(c))}
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


def successor_rows() -> list[dict[str, str]]:
    """The councils created since 2010: name, year created, what they cover, their predecessors
    (the 2010 councils whose returns their reports show), and their report's address."""
    from unallocated.sources import councils as council_ids
    from unallocated.pages.profile import covered, report_file

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
table { border-collapse: collapse; font-size: .9rem; }
th, td { text-align: left; padding: .35rem .55rem; border-bottom: 1px solid #ddd; vertical-align: top; }
td.n, th.n { text-align: right; } td.n small { display: block; color: #666; font-size: .75rem; white-space: nowrap; }
thead th { background: #f3f3f3; position: sticky; top: 0; }
#councils th { cursor: pointer; user-select: none; }
#councils th[aria-sort="ascending"]::after { content: " \\25B2"; }
#councils th[aria-sort="descending"]::after { content: " \\25BC"; }
#councils th button { all: inherit; cursor: pointer; padding: 0; }
small.now { display: block; color: #666; font-size: .75rem; }
.no-return { color: #777; font-style: italic; white-space: nowrap; }
label { font-weight: 600; } #search { font-size: 1rem; padding: .3rem .5rem; width: 22rem; max-width: 100%; }
#count { margin-left: .75rem; color: #555; }
ul.pages li { margin: .2rem 0; }
"""

SCRIPT = """
(function () {
  var table = document.getElementById("councils");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var search = document.getElementById("search");
  var count = document.getElementById("count");
  function narrow() {
    var phrase = search.value.toLowerCase().split(/\\s+/).filter(Boolean).join(" ");
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


def render(outputs: Path | None = None) -> str:
    """The front page's HTML."""
    from unallocated import analysis
    from unallocated.rounds import dataset
    from unallocated.model.corrections import load_corrections

    outputs = Path(outputs or paths.OUTPUTS)
    returns = dataset.returns_2010(corrected=True)
    layer = analysis.layer_of(returns)
    layer_text = LAYER_TEXT.get(layer, f"layer {layer}")
    register = load_corrections()
    corrections = "; ".join(f"{r.council}, {r.correction_date:%-d %B %Y}" for r in register.itertuples())
    head = headline(outputs)
    table = council_table()
    returned = int(table["returned"].sum())
    out = ['<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           "<title>Unallocated children's social care cases, 2010: the investigation's pages</title>",
           f"<style>{STYLE}</style>\n</head>\n<body>\n<main>",
           "<h1>Children without an allocated social worker, 2010</h1>",
           "<p>Community Care's Freedom of Information investigation (16 November 2010), reproduced from "
           "the councils' returns: each reading of &ldquo;unallocated&rdquo;, the Barnsley correction, and "
           "every published claim checked. This page links every page <code>make reproduce</code> wrote.</p>",
           f'<p class="layer"><strong>Layer of the 2010 returns:</strong> {_e(layer_text)} '
           f"Official statistics (DfE, ONS) are real; the printed figures are the coverage's own.<br>"
           f"<strong>View:</strong> figures are shown <em>as corrected</em> by the corrections register "
           f"({_e(corrections)}), with the figure as published beside any the correction changed. A range "
           f"(&ldquo;0 to 9&rdquo;) is a figure known only between its bounds.</p>",
           "<h2>The headline: children with no professional allocated</h2>",
           '<table id="headline"><thead><tr><th>Case type</th><th class="n">Printed, 16 November 2010</th>'
           f'<th class="n">{_e(layer.capitalize())} returns, as published</th>'
           f'<th class="n">{_e(layer.capitalize())} returns, as corrected</th></tr></thead><tbody>']
    for r in head.itertuples():
        out.append(f'<tr><th scope="row">{_e(r.label)}</th><td class="n">{_e(r.printed)}</td>'
                   f'<td class="n">{_e(r.as_published)}</td><td class="n">{_e(r.as_corrected)}</td></tr>')
    out.append("</tbody></table>")
    out.append("<p>Barnsley's correction is known only as a total (9 of its 165 cases truly unallocated), so the "
               "corrected figure for each case type is a range; the total is exact.</p>")
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
    out.append(f"<p>{returned} returned (the set of responders is simulated: which councils answered was never "
               f"published); {len(table) - returned} have no return. Cases in all three case types under each "
               "definition, as corrected; the line beneath splits them by case type (CP child protection, LAC "
               "looked after, CIN children in need). Each council's name opens its report. Click a column's "
               "heading to sort by it (a range sorts by its lower bound; no return sorts last).</p>")
    out.append('<p><label for="search">Find a council or region</label> <input id="search" type="search" '
               'placeholder="e.g. Barnsley, or North West" autocomplete="off"><span id="count" '
               'aria-live="polite"></span></p>')
    out.append('<table id="councils"><thead><tr><th><button type="button">Council</button></th>'
               '<th><button type="button">Region</button></th><th><button type="button">Return</button></th>')
    for d in DEFINITIONS.values():
        out.append(f'<th class="n"><button type="button">{_e(d.title)}</button></th>')
    out.append("</tr></thead><tbody>")
    for r in table.to_dict("records"):
        status = "returned" if r["returned"] else "no return"
        search = " ".join([r["council"], r["region"], r["code"]]).lower()
        now = f'<small class="now">now part of: {_e(r["now"])}</small>' if r["now"] else ""
        cells = [f'<td><a href="{_e(r["report"])}">{_e(r["council"])}</a>{now}</td>', f"<td>{_e(r['region'])}</td>",
                 f'<td{"" if r["returned"] else " class=no-return"}>{status}</td>']
        for name in DEFINITIONS:
            if not r["returned"]:
                cells.append('<td class="n no-return" data-sort="">no return</td>')
                continue
            extra = f"<small>{_e(r[f'{name}_by_type'])}</small>" if r[f"{name}_by_type"] else ""
            if r[f"{name}_published"] != r[name]:
                extra += f"<small>as published: {_e(r[f'{name}_published'])}</small>"
            cells.append(f'<td class="n" data-sort="{_e(r[f"{name}_sort"])}">{_e(r[name])}{extra}</td>')
        out.append(f'<tr data-code="{_e(r["code"])}" data-search="{_e(search)}">{"".join(cells)}</tr>')
    out.append("</tbody></table>")
    out.append("<h2>Councils created since 2010</h2>")
    out.append("<p>They did not exist in 2010, so they made no return; each report shows the 2010 returns of the "
               "councils whose area it now covers, and its official figures from its creation.</p>\n<ul class=\"pages\">")
    for s in successor_rows():
        out.append(f'<li><a href="{_e(s["report"])}">{_e(s["council"])}</a> ({_e(s["created"])}): '
                   f'{_e(s["covers"])}. 2010 returns shown: {_e(s["predecessors"])}.</li>')
    out.append("</ul>")
    out.append(f"<script>{SCRIPT}</script>\n</main>\n</body>\n</html>\n")
    return "\n".join(out)


def write(outputs: Path | None = None) -> Path:
    """Write `outputs/index.html` (readable by others, never half-written)."""
    from unallocated.files import atomic_write_text

    outputs = Path(outputs or paths.OUTPUTS)
    return atomic_write_text(outputs / PAGE, render(outputs))
