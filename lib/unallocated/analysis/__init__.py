"""The investigation's tables and charts: what the returns say under each definition, nationally
and council by council, drawn in the house style.

    tables      national totals, headline, shares, rankings, walk, named councils, timelines
    charts      the national figures (matplotlib), each saved with the CSV of what it draws
    svgcharts   the council reports' small charts (plain SVG, no matplotlib)
    figures     the house style: palette, layer source lines, saving PNG, SVG, CSV and JSON
    layers      which layer each number rests on, in words ("89 councils: 1 real return, 88 simulated")

`from unallocated import analysis` gives the tables' functions directly
(`analysis.headline(returns)`), as it did before the tables had a module of their own.
"""
from unallocated.analysis.tables import (  # noqa: F401 (the package's face)
    CASE_TYPE_LABELS,
    CONTEXT_MEASURES,
    DFE_MEASURE,
    NAMED_COUNCILS,
    NOT_RANKED_NO_DFE,
    VIEWS,
    WALK_STEPS,
    WORKFORCE_MEASURES,
    corrected_national,
    corrections_applied,
    council_counts,
    council_counts_by_definition,
    headline,
    layer_of,
    left_out,
    long_views,
    named_councils,
    national_rows,
    dfe_year,
    not_ranked_no_dfe,
    official_2010,
    official_at,
    official_context,
    published_shares,
    ranking,
    ranking_change,
    timeline_table,
    trend,
    under_every_definition,
    view_of,
    views,
    walk,
)
