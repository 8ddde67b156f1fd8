"""The fact-check's report: every published claim, re-derived, with a verdict
(`python -m unallocated factcheck` runs it: `unallocated.run.factcheck_cli`).

For editors
-----------
Reads the claims register (`data/claims.csv`, described in `docs/claims_data_dictionary.md`),
checks each claim against the returns (as received and as corrected) or the official statistics
(`unallocated.factcheck.claims`), and writes:

* ``DIR/factcheck.csv``: claim_id, wording, source, published_figure_id, value_published,
  value_corrected, layer, evidence (what the verdict rests on: `unallocated.factcheck.claims.EVIDENCE`),
  verdict, explanation, notes;
* ``DIR/factcheck.html``: the same as a page that opens in any browser, verdicts colour-coded,
  and every claim resting on SIMULATED returns labelled as such.

It prints the verdict table and exits 0, or 1 if a claim marked ``must_hold`` fails, or 2 if the
register or the data cannot be read (or the command line is wrong). ``--notebook`` also runs
`notebooks/06-fact-check.ipynb` (through `unallocated.run.runner`) into ``outputs/notebooks/``.

Default ``--out`` is ``outputs/factcheck``. Relative paths are read from the project root, and a
path starting with ``outputs/`` goes to the project's outputs folder (`UNALLOCATED_OUTPUTS` moves it).
"""
from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd

from unallocated import paths
from unallocated.paths import project_path
from unallocated.factcheck.claims import (
    CLAIMS_PATH,
    EVIDENCE,
    EVIDENCE_LABELS,
    SIMULATED_LABEL,
    SIMULATED_LABEL_NOT_HOLDING,
    Sources,
    Verdict,
    evaluate_all,
    load_claims,
    verdict_table,
)

DEFAULT_OUT = "outputs/factcheck"
NOTEBOOK = "06-fact-check"

#: Verdict colours in the HTML page (background, text).
COLOURS = {
    "holds": ("#d8f0d2", "#1d5e12"),
    "consistent_only": ("#dde6f5", "#23406e"),
    "holds_before_correction_only": ("#fff1c9", "#6b4e00"),
    "holds_before_correction_undetermined_after": ("#fff1c9", "#6b4e00"),
    "holds_only_under": ("#fde2c4", "#7a3b00"),
    "fails": ("#f8d0cf", "#8a1410"),
    "not_checkable": ("#e3e3e3", "#333333"),
}


def _atomic_write(path: Path, text: str) -> None:
    from unallocated.files import atomic_write_text

    atomic_write_text(path, text, newline="")  # readable by others (0644), never half-written


def run(claims_file: str | Path = CLAIMS_PATH, out_dir: str | Path = DEFAULT_OUT,
        sources: Sources | None = None) -> tuple[pd.DataFrame, list[Verdict]]:
    """Check every claim in `claims_file`, write factcheck.csv and factcheck.html into `out_dir`.

    Returns the verdict table (the CSV's columns) and the verdicts themselves.
    """
    claims = load_claims(project_path(claims_file))
    verdicts = evaluate_all(claims, sources or Sources())
    table = verdict_table(verdicts)
    out = project_path(out_dir)
    _atomic_write(out / "factcheck.csv", table.to_csv(index=False, lineterminator="\n"))
    _atomic_write(out / "factcheck.html", to_html(verdicts, source=str(claims_file)))
    return table, verdicts


def summary(verdicts: list[Verdict]) -> str:
    """How many claims got each verdict kind, how many rest on each kind of evidence, and how
    many on independent evidence."""
    counts: dict[str, int] = {}
    for v in verdicts:
        counts[v.kind] = counts.get(v.kind, 0) + 1
    parts = [f"{n} {k}" for k, n in sorted(counts.items())]
    simulated = sum(v.evidence == "simulated_returns" for v in verdicts)
    independent = sum(v.independent for v in verdicts)
    printed = sum(v.evidence == "published_and_corrections" for v in verdicts)
    return (f"{len(verdicts)} claims: " + ", ".join(parts) + f"; {independent} rest on independent evidence "
            f"(official statistics or real returns); {printed} on the printed figures with the corrections register "
            f"applied; {simulated} on SIMULATED returns")


def by_evidence(verdicts: list[Verdict]) -> pd.DataFrame:
    """Verdicts counted by what they rest on (rows in `claims.EVIDENCE` order) and verdict kind."""
    rows = []
    for evidence, meaning in EVIDENCE.items():
        mine = [v for v in verdicts if v.evidence == evidence]
        kinds: dict[str, int] = {}
        for v in mine:
            kinds[v.kind] = kinds.get(v.kind, 0) + 1
        rows.append({"evidence": evidence, "claims": len(mine),
                     "verdicts": ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())), "what it means": meaning})
    return pd.DataFrame(rows)


def text_table(verdicts: list[Verdict], width: int = 38) -> str:
    """The verdict table for a terminal."""
    rows = [("claim", "verdict", "before the correction", "as corrected", "layer", "must")]
    for v in verdicts:
        rows.append((v.claim.claim_id, v.verdict, v.value_published, v.value_corrected, v.layer,
                     "yes" if v.claim.must_hold else "no"))

    def cut(s: str, i: int) -> str:
        return s if i < 2 or len(s) <= width else s[: width - 1] + "…"

    rows = [tuple(cut(str(c), i) for i, c in enumerate(r)) for r in rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _breakable(text: str) -> str:
    """Escaped, with a line-break opportunity after each _, + and -, so ids and verdict names wrap
    at their joins in a narrow column rather than mid-word."""
    return re.sub(r"([_+-])", r"\1<wbr>", html.escape(str(text)))


def to_html(verdicts: list[Verdict], source: str = "data/claims.csv") -> str:
    """A self-contained page: the verdict table, colour-coded, simulated claims labelled."""
    esc = html.escape
    body = []
    ordered = sorted(verdicts, key=lambda v: list(EVIDENCE).index(v.evidence))
    group = None
    for v in ordered:
        if v.evidence != group:
            group = v.evidence
            n = sum(x.evidence == group for x in verdicts)
            body.append(f'<tr class="group"><th colspan="8">Resting on {esc(EVIDENCE[group])}: {n} '
                        f'claim{"s" if n != 1 else ""}</th></tr>')
        bg, fg = COLOURS.get(v.kind, COLOURS["not_checkable"])
        label = SIMULATED_LABEL if v.kind.startswith("holds") or v.kind == "consistent_only" else SIMULATED_LABEL_NOT_HOLDING
        if v.evidence in EVIDENCE_LABELS:
            label = EVIDENCE_LABELS[v.evidence]
        sim = f'<div class="sim">{esc(label)}</div>' if v.simulated or v.evidence in EVIDENCE_LABELS else ""
        c = v.claim
        body.append(
            "<tr>"
            f'<td class="id">{_breakable(c.claim_id)}<div class="small">{esc(c.article_date)}'
            f'{" · must hold" if c.must_hold else ""}</div></td>'
            f'<td>&ldquo;{esc(c.wording)}&rdquo;<div class="small">{esc(c.wording_kind)} · '
            f'<a href="{esc(c.source_url)}">source</a> · {esc(c.comparison.text if c.comparison else "no wording to check")}</div></td>'
            f"<td>{esc(v.value_published)}</td><td>{esc(v.value_corrected)}</td>"
            f'<td class="{"simlayer" if v.simulated else ""}">{_breakable(v.layer)}</td>'
            f'<td class="verdict" style="background:{bg};color:{fg}">{_breakable(v.verdict)}</td>'
            f'<td>{_breakable(v.evidence)}</td>'
            f"<td>{sim}{esc(_strip_label(v.explanation))}"
            f"{_note(c.notes)}</td>"
            "</tr>")
    from unallocated import build

    built = build.current()
    legend = "".join(
        f'<span class="key" style="background:{bg};color:{fg}">{esc(k)}</span> '
        for k, (bg, fg) in COLOURS.items())
    counts = esc(summary(verdicts))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Fact-check: unallocated children's social care cases, 2010</title>
<style>
body {{ font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 1.5em; color: #222; }}
h1 {{ font-size: 1.4em; margin-bottom: .2em; }}
p {{ max-width: 60em; }}
/* Fixed layout: the table is as wide as the window, and long ids and verdicts wrap inside their column. */
table {{ border-collapse: collapse; width: 100%; font-size: .88em; table-layout: fixed; }}
th, td {{ border: 1px solid #ccc; padding: .35em .5em; vertical-align: top; text-align: left; }}
th {{ background: #f2f2f2; position: sticky; top: 0; }}
td {{ overflow-wrap: anywhere; }}
td.verdict {{ font-weight: bold; }}
td.id {{ font-family: monospace; }}
.small {{ font-size: .8em; color: #666; margin-top: .2em; }}
.sim {{ font-weight: bold; color: #a04a00; margin-bottom: .3em; }}
td.simlayer {{ color: #a04a00; font-weight: bold; }}
.key {{ padding: .1em .4em; border-radius: .2em; font-size: .85em; }}
tr.group th {{ background: #e8e8f4; text-align: left; }}
.warn {{ border: 2px solid #dd8452; padding: .5em .8em; background: #fff6ef; max-width: 60em; }}
{build.print_css(print_label(verdicts))}
</style></head><body>
<h1>Fact-check: unallocated children's social care cases, 2010</h1>
<p>Every claim in the 2010 coverage that the councils' returns or the official statistics can speak to
(register: <code>{esc(source)}</code>), checked before the correction (the returns as received, or the figures as printed) and as corrected
(after the corrections register: Barnsley, 6 December 2010). {counts}.</p>
<p class="warn"><b>SIMULATED DATA.</b> The councils' real 2010 returns were never published. Rows whose layer
says <b>simulated</b> were checked against returns made by this project's seeded generator, built to agree
with the published figures: such a verdict shows the simulated data agrees with the claim, not that a
council's real return does, and is <b>consistent_only</b>, never <b>holds</b>. Only <b>official</b> rows rest on
real statistics; <b>published</b> rows rest on the coverage's own printed figures, with the corrections
register applied to them where the correction changes them; a figure checked only against the project's
transcription of the same article is not checkable.</p>
<p>Verdicts: {legend}</p>
<p>The verdicts as data: <a href="factcheck.csv">factcheck.csv</a> (CSV, one row per claim).</p>
<p>By evidence: {esc("; ".join(f"{r['evidence']}: {r['claims']} ({r['verdicts'] or 'none'})" for _, r in by_evidence(verdicts).iterrows()))}.
Only <b>official_statistics</b> (and a newsroom's real returns) is independent of the coverage and of the project's own construction.</p>
<table>
<colgroup><col style="width:13%"><col style="width:18%"><col style="width:10%"><col style="width:10%"><col style="width:8%"><col style="width:10%"><col style="width:8%"><col style="width:23%"></colgroup>
<thead><tr><th>claim</th><th>wording</th><th>value before the correction</th><th>value as corrected</th><th>layer</th><th>verdict</th><th>evidence</th><th>explanation and note</th></tr></thead>
<tbody>
{chr(10).join(body)}
</tbody></table>
{built.footer_html()}
</body></html>
"""


def print_label(verdicts: list[Verdict]) -> str:
    """What the fact-check's numbers rest on, for the top of every printed sheet."""
    if any(v.simulated for v in verdicts):
        return "SIMULATED DATA: verdicts on simulated returns are marked so, row by row"
    return "Verdicts on the councils' returns, official statistics and the printed figures"


def _note(notes: str) -> str:
    return f'<div class="small">Note: {html.escape(notes)}</div>' if notes else ""


def _strip_label(explanation: str) -> str:
    """The explanation without its leading simulated label (the page shows the label on its own)."""
    for label in (SIMULATED_LABEL, SIMULATED_LABEL_NOT_HOLDING, *EVIDENCE_LABELS.values()):
        if explanation.startswith(label + ". "):
            return explanation[len(label) + 2:]
    return explanation
