"""The national reports' opening notes and tables in words (`unallocated.pages.reports`), on the
2010 round, on a later round, and with text from a reply in them."""
from __future__ import annotations

import html

import pandas as pd
import pytest

from unallocated import paths
from unallocated.pages import reports
from unallocated.rounds import dataset, simulated

PLANTED = "<script>alert('planted')</script><img src=x onerror=alert('planted')>"
has_later_round = pytest.mark.skipif(not (paths.RAW_RETURNS / simulated.NAME).is_dir(), reason="no simulated round")


def test_the_2010_note_says_what_the_numbers_rest_on_and_the_coverages_correction():
    text, label = reports.banner(dataset.round("2010"), "no_professional")
    assert text.startswith("**What the numbers rest on:** the 2010 returns of 89 councils, all simulated.")
    assert "**SIMULATED:**" in text and "which councils responded is simulated too" in text
    assert "Corrections applied in the corrected view: Barnsley, Community Care, 6 December 2010." in text
    assert label == {reports.PRINT_LABEL: "SIMULATED DATA: returns of 89 councils, all simulated"}


@has_later_round
def test_a_later_rounds_note_names_the_round_and_its_own_correction_never_2010s():
    text, label = reports.banner(dataset.round(simulated.NAME), "no_professional", simulated.NAME)
    assert f"the returns of the {simulated.NAME} round: " in text and "the 2010 returns" not in text
    assert "**SIMULATED:**" in text and "no figure in them is a council's" in text
    # the round's own register (its right of reply), not the 2010 coverage's Barnsley
    register = dataset.register(simulated.NAME)
    assert "Barnsley" not in text
    for r in register.itertuples():
        assert f"{r.council}, right of reply, {r.correction_date.day} {r.correction_date:%B %Y}" in text
    assert label[reports.PRINT_LABEL].startswith("SIMULATED DATA: returns of ")
    assert label[reports.PRINT_LABEL].endswith(f"(round {simulated.NAME})")


def test_a_council_named_only_in_a_reply_is_shown_as_text_in_the_note():
    returns = dataset.round("2010")
    unknown = returns.iloc[[0]].assign(council_code=pd.NA, council=PLANTED, source=f"{PLANTED}.csv!B2")
    text, _ = reports.banner(pd.concat([returns, unknown], ignore_index=True))
    assert "<script" not in text and "<img" not in text  # Markdown would pass markup on to the page
    assert html.escape(PLANTED) in text and "Left out of every total:" in text


@has_later_round
def test_the_comparison_note_says_both_rounds_are_simulated_and_labels_every_sheet():
    from unallocated.rounds import round as rounds

    text, label = reports.rounds_banner(rounds.get("2010"), rounds.get(simulated.NAME))
    assert "the 2010 round's returns of 89 councils, all simulated" in text
    assert f"the {simulated.NAME} round's returns of " in text and "**SIMULATED:**" in text
    assert label[reports.PRINT_LABEL] == (f"SIMULATED DATA: Round {simulated.NAME} compared with round 2010, "
                                          f"2010 and {simulated.NAME} simulated")


def test_free_text_columns_are_kept_as_written_and_names_put_in_words():
    table = pd.DataFrame({"group": ["Dorset + Poole; Bournemouth (simulated)"], "layer": ["real_return+simulated"],
                          "why": ["kept as not_supplied"], "n": [1234]})
    shown = reports.words(table, {"group": "group", "layer": "figures", "why": "why", "n": "cases"},
                          text=("group", "why"))
    row = shown.reset_index().iloc[0]
    assert row["group"] == "Dorset + Poole; Bournemouth (simulated)"  # never read as a layer
    assert row["figures"] == "real returns and simulated returns"
    assert row["why"] == "kept as not supplied" and row["cases"] == "1,234"
