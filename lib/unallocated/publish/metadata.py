"""The Datasette metadata for `outputs/unallocated.db`, written from the data dictionary: a title,
description, licence and source for the database and each table, a description for every column
(its unit in words, its allowed values, what an empty cell means: Datasette's unit labels are
going away, so units are words), and the canned queries a data desk asks first.

The canned queries:

    council_in_every_round       one council's figures in every round, under each definition, as
                                 published and as corrected (?council=Barnsley, or a code)
    national_totals              the national total under each definition, as published and as
                                 corrected, side by side
    overdue_requests             requests past their due date with no reply (a tracker's rounds;
                                 ?today=YYYY-MM-DD, default today)
    response_rate_by_region      councils asked and councils that replied, by region (a tracker's rounds)
    figures_from_a_persons_reading  numbers a person keyed in review.csv, with who and why
"""
from __future__ import annotations

from unallocated import schema
from unallocated.model.categories import DEFINITIONS
from unallocated.publish.dictionary import allowed_values
from unallocated.schema import Column, Table

DATABASE = "unallocated"

OGL = {"license": "Open Government Licence v3.0",
       "license_url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"}

TITLE = "Unallocated children's social care cases in English councils, 2010: the investigation's data"

DESCRIPTION = (
    "The data behind a reproduction of Community Care's November 2010 investigation into children "
    "with no allocated social worker: councils' FOI returns in every round, as published and as "
    "corrected, each council's cases under each definition of 'unallocated', the national totals, "
    "the fact-check's verdicts, the registers of published figures and corrections, and the official "
    "DfE and ONS statistics. THE 2010 RETURNS THAT SHIP WITH THE PROJECT ARE SIMULATED: made by a "
    "seeded generator to agree with every published figure, not any council's real return; every row "
    "says its layer. Official statistics are Crown copyright under the Open Government Licence v3.0; "
    "the project's own tables carry no licence of their own (ask the newsroom that published them)."
)

SOURCE = "Community Care (2010), the councils' FOI returns (simulated for 2010), DfE and ONS official statistics"


def column_description(column: Column) -> str:
    """Everything the dictionary says about a column, in one paragraph."""
    parts = [column.description.rstrip(".") + "."]
    if column.unit:
        parts.append(f"Unit: {column.unit}.")
    if column.format and column.type in ("text", "date"):
        parts.append(f"Written as: {column.format}.")
    values = allowed_values(column)
    if values:
        parts.append("Values: " + "; ".join(f"{code} ({meaning})" for code, meaning in values.items()) + ".")
    if column.missing:
        parts.append(f"Empty: {column.missing.removeprefix('empty: ')}." if column.missing.startswith("empty")
                     else column.missing.capitalize() + ".")
    if column.references:
        parts.append(f"Refers to {column.references}.")
    return " ".join(parts)


def table_metadata(table: Table) -> dict:
    meta = {"title": table.title, "description": table.description, "source": table.source or SOURCE,
            "columns": {c.name: column_description(c) for c in table.columns}}
    if table.source_url:
        meta["source_url"] = table.source_url
    if table.licence == "OGL-UK-3.0":
        meta.update(OGL)
    return meta


def _order_by_definition(column: str) -> str:
    cases = " ".join(f"when '{name}' then {i}" for i, name in enumerate(DEFINITIONS))
    return f"case {column} {cases} end"


def _order_by_case_type(column: str) -> str:
    cases = " ".join(f"when '{name}' then {i}" for i, name in enumerate([*schema.CASE_TYPES, "total"]))
    return f"case {column} {cases} end"


def canned_queries() -> dict[str, dict]:
    today = "coalesce(nullif(:today, ''), date('now'))"
    awaiting = "lower(replace(coalesce(q.status, ''), ' ', '_')) in ('', 'awaiting_response')"
    return {
        "council_in_every_round": {
            "title": "One council's figures in every round",
            "description": (
                "A council's cases under each definition of 'unallocated', by case type, in every round, "
                "as corrected and as published, with bounds and the text a reader should see. Give the "
                "council's name as the returns spell it (Barnsley) or its old DfE or ONS code. The layer "
                "column says whether the numbers are simulated (the shipped 2010 returns are)."),
            "sql": (
                "select f.round, f.view, f.council_code, f.council, f.snapshot_date, f.case_type, f.definition,\n"
                "  f.shown, f.count, f.qualifier, f.low, f.high, f.layer\n"
                "from council_figures f\n"
                "where f.council_code in (select old_la_code from councils where lower(name) = lower(:council)\n"
                "    or old_la_code = :council or ons_code = :council)\n"
                "  or lower(f.council) = lower(:council)\n"
                f"order by f.round, f.snapshot_date, f.view, {_order_by_case_type('f.case_type')}, "
                f"{_order_by_definition('f.definition')}"),
        },
        "national_totals": {
            "title": "National totals under each definition, as published and as corrected",
            "description": (
                "For every round where each council has one return: the cases under each definition by case "
                "type and in all, as published and as corrected side by side. A corrected figure known only as "
                "a total across case types is a range by case type. The shipped 2010 returns are SIMULATED "
                "(see layer): their totals agree with what the coverage printed because the generator was "
                "built to."),
            "sql": (
                "select p.round, p.definition, d.title, p.case_type, p.label,\n"
                "  p.shown as as_published, c.shown as as_corrected, p.councils, p.layer\n"
                "from national_totals p\n"
                "join national_totals c on c.round = p.round and c.definition = p.definition\n"
                "  and c.case_type = p.case_type and c.view = 'as_corrected'\n"
                "join definitions d on d.name = p.definition\n"
                "where p.view = 'as_published'\n"
                f"order by p.round, {_order_by_definition('p.definition')}, {_order_by_case_type('p.case_type')}"),
        },
        "overdue_requests": {
            "title": "Overdue requests",
            "description": (
                "Requests in a round's tracker still awaiting a response (status empty or 'awaiting response') "
                "with no reply date, whose statutory due date has passed by :today (leave it empty for today). "
                "Days past due are calendar days; the due date itself counts working days. A round without a "
                "tracker has no rows here: the 2010 round records none; on the shipped data only the SIMULATED "
                "2025 round answers."),
            "sql": (
                "select q.round, q.council_code, coalesce(c.name, q.council) as council, c.region, q.status,\n"
                f"  q.due_date, cast(julianday({today}) - julianday(q.due_date) as integer) as days_past_due\n"
                "from requests q left join councils c on c.old_la_code = q.council_code\n"
                f"where coalesce(q.reply_date, '') = '' and q.due_date is not null and q.due_date < {today}\n"
                f"  and {awaiting}\n"
                "order by days_past_due desc, q.round, council"),
        },
        "response_rate_by_region": {
            "title": "Response rate by region",
            "description": (
                "For each round with a tracker: the councils asked in each region, how many replied (a reply "
                "date is recorded) and the share. A round without a tracker has no rows here: the 2010 round "
                "records none (the coverage says 89 councils answered; which ones is itself simulated in the "
                "shipped returns); on the shipped data only the SIMULATED 2025 round answers."),
            "sql": (
                "select q.round, coalesce(c.region, 'council not recognised') as region, count(*) as asked,\n"
                "  sum(coalesce(q.reply_date, '') != '') as replied,\n"
                "  round(100.0 * sum(coalesce(q.reply_date, '') != '') / count(*), 1) as percent_replied\n"
                "from requests q left join councils c on c.old_la_code = q.council_code\n"
                "group by 1, 2 order by 1, 2"),  # by position: the tracker has a region column too
        },
        "figures_from_a_persons_reading": {
            "title": "Figures that came from a person's reading",
            "description": (
                "Every number that a person keyed or decided in a round's review.csv rather than the reader "
                "taking it from the reply, with the decision's reviewer and note. On the shipped data there "
                "are none."),
            "sql": (
                "select r.round, r.council_code, r.council, r.snapshot_date, r.case_type, r.category, r.detail,\n"
                "  r.shown, r.raw, r.source, d.reviewer, d.note, r.layer\n"
                "from returns r left join review_decisions d on d.round = r.round and d.review_row = r.review_row\n"
                "where r.view = 'as_published' and r.from_review\n"
                "order by r.round, r.council, r.row"),
        },
    }


def datasette_metadata(specs: dict[str, Table]) -> dict:
    """The metadata.json Datasette reads (`datasette serve DB --metadata FILE`)."""
    return {
        "title": TITLE,
        "description": DESCRIPTION,
        "source": SOURCE,
        "databases": {
            DATABASE: {
                "title": TITLE,
                "description": DESCRIPTION,
                "source": SOURCE,
                "tables": {name: table_metadata(table) for name, table in specs.items()},
                "queries": canned_queries(),
            }
        },
    }
