"""Property, in every format: a return with random values (some of them traps: decimals,
decimal commas, percentages, error cells), random spellings of its labels, a random layout and
a junk notes column reads so that no planted value comes back as a different number, and each
is either recovered or named in issues.csv."""
from __future__ import annotations

import string
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from return_writers import writers
from unallocated.returns import read_returns

WRITERS = writers()
CASE = {"cp": ["Child protection", "CP", "Children subject to a child protection plan"],
        "lac": ["Looked after children", "LAC", "Children in care"],
        "cin": ["Children in need", "CIN", "Child in need cases"]}
CAT = {"total": ["Total open cases", "Total", "All open cases"],
       "allocated_qualified": ["Allocated to a qualified social worker", "Qualified SW"],
       "unallocated": ["Unallocated", "Not allocated", "No allocated social worker"]}
TRAPS = ["12,5", "18%", "#REF!", "#DIV/0!", 2.5, "0,7"]
KEYS = [(c, k) for c in CASE for k in CAT]

value = st.one_of(st.integers(0, 9999), st.sampled_from(TRAPS))
junk = st.text(alphabet=string.ascii_letters + " ", min_size=1, max_size=15).filter(str.strip)


@st.composite
def returns(draw):
    values = {key: draw(value) for key in KEYS}
    case_names = {c: draw(st.sampled_from(v)) for c, v in CASE.items()}
    cat_names = {k: draw(st.sampled_from(v)) for k, v in CAT.items()}
    layout = draw(st.sampled_from(["wide", "transposed", "long"]))
    note = draw(junk)
    fmt = draw(st.sampled_from(sorted(WRITERS)))
    if layout == "wide":
        rows = [["Case type"] + list(cat_names.values()) + ["Notes"]] + [
            [case_names[c]] + [values[(c, k)] for k in CAT] + [note if c == "cp" else None]
            for c in CASE]
    elif layout == "transposed":
        rows = [[""] + list(case_names.values())] + [
            [cat_names[k]] + [values[(c, k)] for c in CASE] for k in CAT] + [["Notes", note]]
    else:
        rows = [["Case type", "Category", "Number"]] + [
            [case_names[c], cat_names[k], values[(c, k)]] for c, k in KEYS]
    return fmt, layout, values, rows


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(returns())
def test_no_planted_value_is_read_as_a_different_number(case):
    fmt, layout, values, rows = case
    with tempfile.TemporaryDirectory() as tmp:
        res = read_returns(WRITERS[fmt](Path(tmp), "wigan_return", rows))
    assert res.unreadable.empty, res.unreadable
    got: dict[tuple[str, str], set] = {}
    for r in res.returns.itertuples():
        if str(r.count) not in ("None", "nan", "<NA>", ""):
            got.setdefault((r.case_type, r.category), set()).add(int(r.count))
    issue_raw = " | ".join(str(x) for x in res.issues["raw"])
    for key, planted in values.items():
        counts = got.get(key, set())
        if isinstance(planted, int):
            # never a different number; recovered, or its cell named in issues
            assert counts <= {planted}, (fmt, layout, key, planted, counts)
            assert counts == {planted} or f"{planted:,}" in issue_raw or str(planted) in issue_raw, (
                fmt, layout, key, planted)
        else:
            assert not counts, (fmt, layout, key, planted, counts)
            assert str(planted) in issue_raw, (fmt, layout, key, planted)
    planted_keys = set(values)
    assert set(got) <= planted_keys, set(got) - planted_keys
