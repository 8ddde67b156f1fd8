"""A round's tracker page, `outputs/rounds/NAME/tracker.html`: every council asked, what happened
to its request, when its answer was due and how that date was computed, who is overdue, the
response by region, the right of reply and the corrections it produced; with links to the round's
pages. One page per round other than 2010 (whose requests were not recorded); the front page
links each (`frontpage.round_links`). Like every page it opens alone: no script from elsewhere, no network.
Like every page it prints on A4 with what it rests on at the top of each sheet (SIMULATED in
words for the simulated round), carries the footer naming the commit, data and date it was built
from (`unallocated.build`), and shows every word of the tracker (a reply's reference, grounds,
a right-of-reply answer) as text, escaped.

The day the page judges lateness on: the day it is made, except for the SIMULATED round, whose
tracker stands at a fixed day (`rounds.simulated.TODAY`), so that two runs write the same bytes.
"""
from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

from unallocated import paths
from unallocated.rounds import round as rounds

PAGE = "tracker.html"
#: The notebooks run on a round other than 2010, in reading order (`make reproduce`).
ROUND_NOTEBOOKS = ["01-national-picture", "02-definitions", "03-corrections", "07-rounds"]


#: The page's own styles. Printed, the table of every request (13 columns) fits the A4 sheet: a
#: smaller type, and a long reference or date may break anywhere rather than run off the sheet.
PAGE_CSS = """
.late { color: #a00; font-weight: bold }
td small { display: block; color: #555 }
@media print {
  #requests { font-size: 6pt !important; }
  #requests th, #requests td { padding: 1px 2px !important; }
}
"""


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def day_of(r: rounds.Round) -> dt.date:
    from unallocated.rounds import simulated

    return simulated.TODAY if r.name == simulated.NAME else dt.date.today()


def later_rounds() -> list[rounds.Round]:
    """The rounds with a tracker (every round but 2010)."""
    return [r for r in rounds.all_rounds() if r.name != rounds.DEFAULT and r.tracker_path.exists()]


def render(r: rounds.Round | str, today: dt.date | None = None, outputs: Path | None = None) -> str:
    from unallocated import build
    from unallocated.pages.frontpage import STYLE
    from unallocated.rounds import compare, dataset, tracker

    r = rounds.get(r)
    today = today or day_of(r)
    outputs = Path(outputs or paths.OUTPUTS)
    here = r.outputs if outputs == paths.OUTPUTS else outputs / "rounds" / r.name
    table = tracker.with_state(tracker.load(r.tracker_path), today)
    acc = compare.accounting(r)
    summary = compare.accounting_summary(acc)
    regions = tracker.by_region(tracker.load(r.tracker_path), today)
    register = dataset.register(r.name)
    sim = r.simulated
    title = f"Round {r.name}{' (SIMULATED)' if sim else ''}: every request, its deadline and its answer"
    label = (f"SIMULATED DATA: round {r.name}, an illustration: no request was sent and no figure is a council's"
             if sim else f"Round {r.name}: every request, its deadline and its answer")
    out = ['<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{_e(title)}</title>", f"<style>{STYLE}{build.print_css(label)}{PAGE_CSS}</style>\n</head>\n<body>\n<main>",
           f"<h1>{_e(title)}</h1>",
           '<p><a href="../../index.html">The front page</a> (the 2010 investigation)</p>']
    if sim:
        out.append('<p class="layer"><strong>SIMULATED.</strong> This round is an illustration made by the '
                   "project's seeded generator: no council was sent these requests, and every date, reply, "
                   "refusal and figure on this page is invented to show how a round is run and tracked. "
                   "None of it is a finding.</p>")
    out.append(f"<p>{_e(r.description)} Figures asked for as at {_e(r.figures_as_at or 'the date of each reply')}; "
               f"the councils asked are those with children's services on {_e(r.councils_on)}. The state of each "
               f"request is judged on <strong>{today:%A} {today.day} {today:%B %Y}</strong>: an answer is due on the "
               "twentieth working day after the request was received (weekends and the bank holidays of every part "
               "of the UK skipped; a request for clarification stops the clock and it starts again when the "
               "clarification arrives), overdue after that, very overdue after forty working days. Due dates are "
               "computed from the tracker's dates, never stored.</p>")
    from unallocated.pages.frontpage import _title_of

    links = [(f"notebooks/{n}.html", _title_of(here / "notebooks" / f"{n}.html")) for n in ROUND_NOTEBOOKS
             if (here / "notebooks" / f"{n}.html").exists()]
    if links:
        out.append("<h2>The round's pages</h2>\n<ul class=\"pages\">")
        out += [f'<li><a href="{_e(h)}">{_e(n)}</a></li>' for h, n in links]
        out.append("</ul>")
    out.append("<h2>Every council asked</h2>\n<table><thead><tr><th>Outcome</th><th class=\"n\">Councils</th></tr></thead><tbody>")
    out += [f'<tr><td>{_e(s.outcome)}</td><td class="n">{s.councils}</td></tr>' for s in summary.itertuples()]
    out.append("</tbody></table>")
    out.append("<h2>Response by region</h2>\n<p>Answered: any final answer, refusals included; the rate is answered "
               "over asked.</p>\n<table><thead><tr>")
    cols = ["region", "asked", "answered", "gave_figures", "answered_late", "refused", "not_held", "waiting", "overdue",
            "very_overdue", "response_rate"]
    out += [f'<th{"" if c == "region" else " class=n"}>{_e(c.replace("_", " "))}</th>' for c in cols]
    out.append("</tr></thead><tbody>")
    for _, row in regions.iterrows():
        out.append("<tr>" + "".join(f'<td{"" if c == "region" else " class=n"}>{_e(row[c])}</td>' for c in cols) + "</tr>")
    out.append("</tbody></table>")
    late = table[table["overdue"]]
    out.append(f"<h2>Overdue ({len(late)})</h2>")
    if late.empty:
        out.append("<p>None.</p>")
    else:
        out.append("<ul>")
        for _, row in late.sort_values(["working_days_late", "council"], ascending=[False, True]).iterrows():
            chased = f"; chased {row['chasers'].replace(';', ', ')}" if row["chasers"] else "; not chased yet"
            out.append(f'<li><span class="late">{_e(row["council"])}</span>: {_e(row["state"])}, due {_e(row["due"])}, '
                       f'{row["working_days_late"]} working days late{_e(chased)}</li>')
        out.append("</ul>")
    if not register.empty:
        out.append("<h2>Corrections from the right of reply</h2>\n<ul>")
        for c in register.itertuples():
            out.append(f"<li>{_e(c.council)}: {_e(c.reason)} (correction {_e(c.correction_id)}, "
                       f"{c.correction_date:%-d %B %Y}; source {_e(c.source_url)})</li>")
        out.append("</ul>")
    out.append("<h2>Every request</h2>\n<p>How each due date was computed is under the date.</p>")
    heads = ["Council", "Region", "Reference", "State", "Sent", "Due", "Reply", "Held", "Grounds cited", "Chasers",
             "Internal review", "ICO", "Right of reply"]
    out.append('<table id="requests"><thead><tr>' + "".join(f"<th>{h}</th>" for h in heads) + "</tr></thead><tbody>")
    for _, row in table.iterrows():
        review = " \u2192 ".join(filter(None, [row["internal_review_asked"], row["internal_review_reply"],
                                                row["internal_review_outcome"].replace("_", " ")]))
        reply = " ".join(filter(None, [row["right_of_reply_answer"], row["right_of_reply_date"],
                                       row["right_of_reply_correction"]])) or ("sent " + row["right_of_reply_sent"]
                                                                              if row["right_of_reply_sent"] else "")
        state = f'<span class="late">{_e(row["state"])}</span>' if row["overdue"] else _e(row["state"])
        due = f'{_e(row["due"])}<small>{_e(row["due_explained"])}</small>' if row["due_explained"] else ""
        cells = [row["council"], row["region"], row["reference"], None, row["sent"], None, row["reply_date"],
                 row["held"].replace("_", " "),
                 row["exemptions_cited"].replace(";", ", "), row["chasers"].replace(";", ", "), review, row["ico_complaint"], reply]
        cells[3], cells[5] = state, due
        out.append("<tr>" + "".join(f"<td>{c if i in (3, 5) else _e(c)}</td>" for i, c in enumerate(cells)) + "</tr>")
    out.append("</tbody></table>")
    out.append(build.current().footer_html())
    out.append("</main>\n</body>\n</html>\n")
    return "\n".join(out)


def write(r: rounds.Round | str, today: dt.date | None = None) -> Path:
    from unallocated.files import atomic_write_text

    r = rounds.get(r)
    return atomic_write_text(r.outputs / PAGE, render(r, today))
