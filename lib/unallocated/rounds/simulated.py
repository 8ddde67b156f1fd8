"""The illustrative second round: SIMULATED from start to finish by a seeded generator, so that
the whole path of a round (tracker, letters, reading, review, right of reply, comparison) runs on
something. None of its numbers is a finding, and every file, table and page of it says so.

`python -m unallocated round simulate` (same seed, same bytes) writes `data/raw/returns/2025-simulated/`:

* made as a newsroom would, by `round new 2025-simulated --date 2025-03-31` (153 councils: the
  2019, 2021 and 2023 reorganisations applied), then every event recorded through
  `tracker.record`, as `round record` would: requests sent on Monday 3 November 2025, due on
  Tuesday 2 December (Saint Andrew's Day, observed on Monday 1 December in Scotland, is skipped);
* replies in several formats, each saying on its face that it is simulated: the project's own
  return filled in, councils' own spreadsheets (a title block, one column per category), csv
  files (wide and long), an answer sheet laid out like a letter, a Word letter with a table;
  and refusal and not-held letters (PDF and Word) with no figures, which the review sets aside;
* outcomes of every kind: on time, late after a chaser, partly answered (small numbers withheld
  under s40, a breakdown refused under s12), refused (s12, s40, s22), not held, clarified (the
  clock stopped and restarted), never answered (overdue, very overdue), internal reviews (one
  overturned, one upheld, one unanswered past 40 working days and taken to the ICO);
* the right of reply: most councils agree with how their reply was read, one disputes, and its
  dispute is a row of the round's `corrections.csv`;
* `data/simulated/2025-simulated_returns_truth.csv`: what reading the folder must give back.

The caseloads are sized on each council's real DfE figures at 31 March 2025 (an earlier year
where DfE suppressed 2025's), with seeded shares of cases held by other staff or by no one: so the simulated set has
the shape of real councils, and none of their content.
"""
from __future__ import annotations

import datetime as dt
import io
import random
import shutil
from pathlib import Path

import pandas as pd

from unallocated import paths
from unallocated.returns import simulate as sim
from unallocated.rounds import round as rounds
from unallocated.rounds import tracker
from unallocated.schema import RETURN_COLUMNS

NAME = "2025-simulated"
AS_AT = dt.date(2025, 3, 31)
SENT = dt.date(2025, 11, 3)
#: The day the shipped tracker stands at: every event recorded is on or before it.
TODAY = dt.date(2026, 2, 27)
SEED = 20251103
DESCRIPTION = ("ILLUSTRATIVE and SIMULATED: a second round made by the project's seeded generator "
               "(round simulate) to show a round from request to comparison. No figure in it is real.")
TRUTH = Path("data/simulated") / f"{NAME}_returns_truth.csv"
LAYOUTS = ("template", "title_block", "columns_csv", "long_csv", "letter", "docx")
#: How many councils meet each fate (the rest answer on time).
FATES = {"late": 8, "partial_s40": 3, "partial_s12": 3, "refused_s12": 3, "refused_s40": 2, "refused_s22": 1,
         "not_held": 4, "clarified": 3, "clarification_pending": 1, "no_answer": 8}
#: Seeded shares (low, high) of each case type's open cases held by other staff, and by no one.
OTHER_SHARE = {"cp": (0.0, 0.04), "lac": (0.02, 0.12), "cin": (0.03, 0.15)}
NO_ONE_SHARE = {"cp": (0.0, 0.015), "lac": (0.0, 0.03), "cin": (0.0, 0.08)}


def working_day(start: dt.date, n: int) -> dt.date:
    from unallocated.rounds import deadlines

    return deadlines.working_days_after(start, n).day


def caseloads() -> dict[str, dict[str, int]]:
    """council code -> {cp, lac, cin (other children in need)} from DfE at 31 March 2025; a figure
    DfE suppressed or has not is taken from the latest year before it that has one (2024 back to
    2020), else 0 (the Isles of Scilly look after no children: DfE says 'not applicable')."""
    from unallocated.sources import reference

    table = reference.load_official_stats()
    table = table[(table["geography_level"] == "la") & table["year"].between(2020, 2025)
                  & table["measure"].isin(["children_in_need", "child_protection_plans", "looked_after"])]
    latest = (table.dropna(subset=["value"]).sort_values("year").groupby(["old_la_code", "measure"])["value"].last())
    out: dict[str, dict[str, int]] = {}
    for code in table["old_la_code"].unique():
        cin, cp, lac = (int(latest.get((code, m), 0)) for m in ("children_in_need", "child_protection_plans", "looked_after"))
        out[code] = {"cp": cp, "lac": lac, "cin": max(cin - cp - lac, 0)}
    return out


def _plan(rng: random.Random, council, sizes: dict[str, int]) -> sim.CouncilPlan:
    plan = sim.CouncilPlan(council.old_la_code, council.name, AS_AT.isoformat(), {}, {})
    for ct in sim.CASE_TYPES:
        total = max(1, round(sizes[ct] * rng.uniform(0.92, 1.08)))
        other = round(total * rng.uniform(*OTHER_SHARE[ct]))
        no_one = round(total * rng.uniform(*NO_ONE_SHARE[ct]))
        # "other staff" beside named roles reads as their subtotal: named roles only
        roles = sim._split(rng, other, [r for r in sim.ROLE_LABELS if r != "other"], k=rng.randint(1, 3))
        reasons = sim._split(rng, no_one, list(sim.REASON_LABELS), k=rng.randint(1, 3))
        plan.cases[ct] = sim.CaseFigures(total, reasons, roles)
    return plan


def _docx_bytes(plan: sim.CouncilPlan, entries: list[sim.Entry]) -> bytes:
    """A reply letter in Word with the figures in a table (one row per case type and category)."""
    import docx

    d = docx.Document()
    d.core_properties.author = "unallocated project (simulated)"
    d.core_properties.created = dt.datetime(2025, 11, 3)
    d.add_paragraph(f"{plan.name} Council, Children's Services")
    d.add_paragraph(f"Freedom of Information request {NAME}-{plan.code}: figures as at 31 March 2025")
    d.add_paragraph(sim.NOTE_CELL_TEXT)
    table = d.add_table(rows=1, cols=3)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text, table.rows[0].cells[2].text = \
        "Case type", "Category", "Number"
    words = {"cp": "Child protection", "lac": "Looked after children", "cin": "Children in need"}
    where = {}
    for e in entries:
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = words[e.case_type], sim._row_label(e.category, e.detail), e.raw
        where[(e.case_type, e.category, e.detail)] = ""
    d.add_paragraph("Yours sincerely, Information Governance Team")
    buf = io.BytesIO()
    d.save(buf)
    return _fixed_zip(buf.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """A Word file's zip with fixed entry times, so the same seed gives the same bytes."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in sorted(src.namelist()):
            info = zipfile.ZipInfo(name, date_time=(2025, 11, 3, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(name))
    return out.getvalue()


def _refusal_letter(council: str, code: str, kind: str, pdf: bool) -> bytes:
    """A letter with no figures: a refusal citing its grounds, or 'not held'."""
    text = {
        "refused_s12": ("We estimate that finding and extracting this information would exceed the appropriate "
                        "limit of the Freedom of Information Act, so we are refusing your request under section 12. "
                        "Narrowing it to one type of case may bring it within the limit."),
        "refused_s40": ("The numbers involved are small enough that, with other information in the public domain, "
                        "children could be identified. We are refusing your request under section 40(2)."),
        "refused_s22": ("We intend to publish this information in our annual children's services report. We are "
                        "refusing your request under section 22, information intended for future publication."),
        "not_held": ("Our case management system does not record allocation in the way your request describes, "
                     "so we do not hold the information you asked for."),
    }[kind]
    lines = [f"{council} Council, Information Governance", f"Our reference: {NAME}-{code}", sim.NOTE_CELL_TEXT, "",
             "Dear Requester,", "", text, "", "You may ask for an internal review of this decision.", "",
             "Yours sincerely, Information Governance Team"]
    if pdf:
        from fpdf import FPDF

        doc = FPDF()
        doc.set_creation_date(dt.datetime(2025, 11, 3, tzinfo=dt.timezone.utc))
        doc.add_page()
        doc.set_font("Helvetica", size=11)
        for line in lines:
            doc.multi_cell(0, 6, line or " ", new_x="LMARGIN", new_y="NEXT")
        return bytes(doc.output())
    import docx

    d = docx.Document()
    d.core_properties.created = dt.datetime(2025, 11, 3)
    for line in lines:
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return _fixed_zip(buf.getvalue())


def _reply_file(plan: sim.CouncilPlan, layout: str, withhold: str = "") -> tuple[str, bytes, list[sim.Entry]]:
    """The file of a council's reply with figures, in `layout`; `withhold`: 's40' writes small
    no-one counts as '*', 's12' leaves out the breakdowns of children in need."""
    roles, reasons = sim.CAPABILITY.get(layout, (True, True))  # what each layout can say, as in 2010
    entries = sim.entries_for(plan, roles=roles, reasons=reasons, commas=layout != "template")
    if layout == "columns_csv":
        entries = sim.fill_gaps_for_columns(entries, "0")
    if withhold == "s40":
        for e in entries:
            if e.category == "unallocated" and e.count and e.count < 5:
                e.count, e.qualifier, e.raw = None, "not_supplied", "*"
    if withhold == "s12":
        entries = [e for e in entries if e.case_type != "cin" or e.category == "total"]
    slug = sim._slug(plan.name)
    if layout == "docx":
        return f"{slug}_reply.docx", _docx_bytes(plan, entries), entries
    writer = {"template": sim.layout_template, "columns_csv": sim.layout_columns_csv, "long_csv": sim.layout_long_csv,
              "letter": sim.layout_letter}.get(layout)
    if layout == "title_block":
        data, _ = sim.layout_title_block(plan, entries, False)
    else:
        data, _ = writer(plan, entries)
    ext = "csv" if layout.endswith("csv") else "xlsx"
    return f"{slug}_{layout}.{ext}", data, entries


def _truth_rows(plan: sim.CouncilPlan, file: str, entries: list[sim.Entry]) -> list[dict]:
    return [{"council_code": plan.code, "council": plan.name, "snapshot_date": AS_AT.isoformat(), "case_type": e.case_type,
             "category": e.category, "detail": e.detail, "count": e.count, "qualifier": e.qualifier, "file": file}
            for e in entries]


def build(seed: int = SEED) -> dict:
    """Make the round in the returns folder (`paths.RAW_RETURNS`, which `UNALLOCATED_RETURNS`
    moves): `round new`, then the replies and every event. Returns {"round", "truth", "folder"}."""
    from unallocated.files import atomic_write_bytes, atomic_write_text
    from unallocated.model.corrections import REGISTER_COLUMNS
    from unallocated.returns.review import REVIEW_COLUMNS
    from unallocated.rounds import new

    rng = random.Random(seed)
    folder = paths.RAW_RETURNS / NAME
    if folder.exists():
        shutil.rmtree(folder)
    rounds.remove(NAME)
    wording = ("> SIMULATED round: the project's default request wording, used for its illustrative round; "
               "no council was sent it.\n\n" + new.request_wording())
    r = new.create(NAME, AS_AT, layer="simulated", description=DESCRIPTION, letters=False, wording=wording)
    table = tracker.load(r.tracker_path)
    sizes = caseloads()
    codes = list(table["council_code"])
    order = codes[:]
    rng.shuffle(order)
    fate: dict[str, str] = {}
    i = 0
    for kind, n in FATES.items():
        for code in order[i:i + n]:
            fate[code] = kind
        i += n
    manifest, truth, review = [], [], []
    name_of = dict(zip(table["council_code"], table["council"]))
    from unallocated.sources.councils import get

    for code in codes:
        table = tracker.record(table, code, "send", SENT)
    for n, code in enumerate(codes):
        who = get(code)
        kind = fate.get(code, "on_time")
        due = working_day(SENT, 20)
        plan = _plan(rng, who, sizes[code]) if code in sizes else None
        layout = LAYOUTS[n % len(LAYOUTS)]
        if kind == "no_answer":
            for k in range(rng.randint(0, 2)):
                table = tracker.record(table, code, "chaser", working_day(due, 5 + 10 * k))
            continue
        if kind.startswith("clarif"):
            asked = working_day(SENT, rng.randint(2, 6))
            table = tracker.record(table, code, "clarification_asked", asked,
                                   note="asked whether 'allocated' includes a team manager holding the case")
            if kind == "clarification_pending":
                continue
            given = working_day(asked, rng.randint(1, 3))
            table = tracker.record(table, code, "clarification_given", given)
            reply_on = working_day(given, rng.randint(8, 19))
        elif kind == "late":
            table = tracker.record(table, code, "chaser", working_day(due, 3))
            reply_on = working_day(due, rng.randint(5, 25))
        else:
            reply_on = working_day(SENT, rng.randint(6, 20))
        if kind in ("refused_s12", "refused_s40", "refused_s22", "not_held"):
            pdf = rng.random() < 0.5
            fname = f"{sim._slug(who.name)}_{'not_held' if kind == 'not_held' else 'refusal'}.{'pdf' if pdf else 'docx'}"
            atomic_write_bytes(folder / fname, _refusal_letter(who.name, code, kind, pdf))
            manifest.append({"file": fname, "council": who.name, "snapshot_date": AS_AT.isoformat(), "layer": "simulated"})
            review.append({**dict.fromkeys(REVIEW_COLUMNS, ""), "file": fname, "sheet": "page 1" if pdf else "text",
                           "reading": "ignore", "reviewer": "SIM",
                           "note": "a letter without figures: " + ("not held" if kind == "not_held" else
                                                                    f"refused under {kind.split('_')[1]}")})
            if kind == "not_held":
                table = tracker.record(table, code, "reply", reply_on, status="not_held", files=fname)
            else:
                table = tracker.record(table, code, "reply", reply_on, status="refused", held="held",
                                       exemptions=kind.split("_")[1], files=fname)
            continue
        withhold = kind.split("_")[1] if kind.startswith("partial") else ""
        fname, data, entries = _reply_file(plan, layout, withhold)
        atomic_write_bytes(folder / fname, data)
        manifest.append({"file": fname, "council": who.name, "snapshot_date": AS_AT.isoformat(), "layer": "simulated"})
        truth += _truth_rows(plan, fname, entries)
        status = "partially_successful" if withhold else "successful"
        table = tracker.record(table, code, "reply", reply_on, status=status, exemptions=withhold, files=fname)
    # Internal reviews of three refusals: one overturned (figures given), one upheld, one unanswered.
    refused = [c for c in codes if fate.get(c, "").startswith("refused")]
    for k, code in enumerate(refused[:3]):
        row = table.set_index("council_code").loc[code]
        asked = working_day(dt.date.fromisoformat(row["reply_date"]), 3)
        table = tracker.record(table, code, "review_asked", asked)
        if k == 0:
            who = get(code)
            plan = _plan(rng, who, sizes[code])
            fname, data, entries = _reply_file(plan, "template")
            fname = fname.replace("_template", "_after_review")
            atomic_write_bytes(folder / fname, data)
            manifest.append({"file": fname, "council": who.name, "snapshot_date": AS_AT.isoformat(), "layer": "simulated"})
            truth += _truth_rows(plan, fname, entries)
            table = tracker.record(table, code, "review_reply", working_day(asked, 15), status="successful",
                                   outcome="overturned", held="held", files=fname)
        elif k == 1:
            table = tracker.record(table, code, "review_reply", working_day(asked, 18), status="refused",
                                   outcome="upheld", exemptions=row["exemptions_cited"])
        else:
            complaint = working_day(asked, 41)
            if complaint <= TODAY:
                table = tracker.record(table, code, "ico_complaint", complaint)
    # The right of reply: every council that gave figures is sent them as read; most agree, one
    # disputes (its correction is a row of the round's register), the rest have not answered.
    gave = [c for c in codes if table.set_index("council_code").loc[c, "status"] in tracker.GAVE_FIGURES]
    sent_on = dt.date(2026, 1, 12)
    corrections = []
    truth_df = pd.DataFrame(truth)
    disputed = next(c for c in gave if fate.get(c, "on_time") == "on_time" and (
        truth_df[(truth_df["council_code"] == c) & (truth_df["case_type"] == "cin")
                 & (truth_df["category"] == "unallocated")]["count"].fillna(0).sum() >= 20))
    for k, code in enumerate(gave):
        table = tracker.record(table, code, "right_of_reply_sent", sent_on)
        if code == disputed:
            rows = truth_df[(truth_df["council_code"] == code) & (truth_df["case_type"] == "cin")
                            & (truth_df["category"] == "unallocated")]
            read = int(rows["count"].sum())
            right = read - max(5, read // 4)
            cid = f"{NAME}-{code}-cin"
            answer = f"{sim._slug(name_of[code])}_right_of_reply_answer.md"
            atomic_write_text(folder / answer, (
                f"SIMULATED. {name_of[code]}'s answer to our right-of-reply letter of 12 January 2026: of the "
                f"{read} children-in-need cases we read as allocated to no one, {read - right} were held by family "
                f"support workers and should have been given under Q3. {right} had no one allocated.\n"))
            corrections.append({"correction_id": cid, "council": name_of[code], "council_code": code,
                                "snapshot_date": AS_AT.isoformat(), "case_types": "cin", "category_published": "unallocated",
                                "published_values": f"cin={read}", "published_total": read,
                                "corrected_unallocated_total": right, "corrected_to_category": "allocated_other",
                                "corrected_to_detail": "family_support", "correction_date": "2026-01-20",
                                "source_url": f"data/raw/returns/{NAME}/{answer}",
                                "reason": (f"SIMULATED dispute in the right of reply: the council says {read - right} of "
                                           f"the {read} cases we read as unallocated were held by family support workers.")})
            table = tracker.record(table, code, "right_of_reply_answer", dt.date(2026, 1, 20), answer="disputes",
                                   correction=cid)
        elif k % 5 != 4:
            table = tracker.record(table, code, "right_of_reply_answer", working_day(sent_on, 1 + k % 9), answer="agrees")
    tracker.save(table, r.tracker_path)
    atomic_write_text(folder / "manifest.csv", pd.DataFrame(manifest, columns=["file", "council", "snapshot_date", "layer"])
                      .sort_values("file").to_csv(index=False, lineterminator="\n"))
    atomic_write_text(folder / "review.csv", pd.DataFrame(review, columns=REVIEW_COLUMNS).sort_values("file")
                      .to_csv(index=False, lineterminator="\n"))
    atomic_write_text(folder / "corrections.csv", pd.DataFrame(corrections, columns=REGISTER_COLUMNS)
                      .to_csv(index=False, lineterminator="\n"))
    truth_df = pd.DataFrame(truth).sort_values(["council_code", "case_type", "category", "detail", "file"])
    return {"round": r, "truth": truth_df, "folder": folder}


def generate(project_root: Path = paths.ROOT, seed: int = SEED) -> dict:
    """`build`, then write the truth table under `project_root` (data/simulated/)."""
    from unallocated.files import atomic_write_text

    built = build(seed)
    path = Path(project_root) / TRUTH
    atomic_write_text(path, built["truth"].to_csv(index=False, lineterminator="\n"))
    built["truth_path"] = path
    return built


__all__ = ["build", "generate", "NAME", "RETURN_COLUMNS"]
