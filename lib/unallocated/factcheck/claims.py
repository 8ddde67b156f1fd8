"""The claims register, the metrics a claim is measured with, and the verdict on each claim.

For reporters
-------------
`data/claims.csv` lists every sentence of the 2010 coverage that the returns or the official
statistics can speak to (columns: `docs/claims_data_dictionary.md`). Each claim names a *metric*
(what to compute: a count of cases, a share of a caseload, a share of councils, a fall between
two dates, an official total), the metric's parameters (councils, case types, the definition of
"unallocated" the sentence implies, the snapshot, whether the claim is about the returns as
received or as corrected) and a *comparison*: what the sentence's wording means, read by
`unallocated.factcheck.wording` ("more_than 8000", "almost 80", "percent 6 of 89", "a_quarter").

`evaluate(claim)` computes the metric twice, on the returns as published (as received) and as
corrected by the corrections register, and gives one verdict:

==========================================  ===============================================
``holds``                                   the wording holds on the view the claim is about,
                                            and (for a claim about the returns as received)
                                            still holds after the corrections; given only on
                                            evidence that settles it (official statistics,
                                            real returns, or the printed figures with the
                                            corrections register applied to them)
``consistent_only``                         the wording agrees with material that is not
                                            independent of it (the simulated returns, the
                                            corrections register alone, the printed numbers'
                                            own arithmetic): consistent, not confirmed; shown
                                            apart from ``holds``
``holds_before_correction_only``            holds as published, fails once corrected
                                            (Barnsley's 51 and 114)
``holds_before_correction_undetermined_``   holds as published; as corrected the value is a
``after``                                   range straddling the wording's edge (the "49%")
``holds_only_under:<definition>``           fails under the definition the sentence implies,
                                            holds under that other named definition
                                            (Birmingham's 644 "unallocated to a social worker")
``fails``                                   fails, under every definition in the dispute
``not_checkable``                           the data cannot settle it; the explanation says
                                            why (no such council in the returns; a value known
                                            only as a range that straddles the wording's
                                            boundary: "undetermined")
==========================================  ===============================================

Every claim also says what its verdict rests on (`EVIDENCE`, the register's `evidence` column):
official statistics, the printed figures with the corrections register applied to them,
published figures alone, the project's transcription of the same article, the corrections
register, the simulated returns, or nothing (a ``not_checkable`` row with its reason). Only
official statistics (and a newsroom's real returns) are independent evidence; the printed figures
with the register settle what the correction did to a printed figure ("448" becomes "397 to 406";
"more than 8,000" still holds). A claim checked only against the project's transcription of the
same article is ``not_checkable``: the figure would be checked against itself.

Every value carries the layers of the rows it was computed from (`simulated`, `published`,
`real_return`, or `official`): a verdict that rests on simulated returns says the simulated data
agree with the claim, never that a council's real return does.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from unallocated import display, paths
from unallocated.model.categories import (
    DEFINITIONS,
    OTHER_ROLES,
    AmbiguousReturns,
    Definition,
    count_under,
    open_caseload,
)
from unallocated.errors import DataFileError, UnallocatedError
from unallocated.factcheck.wording import Interval, Quantity, Wording, WordingError, check, parse

__all__ = [
    "CLAIMS_PATH", "CLAIM_COLUMNS", "METRICS", "VIEWS", "WORDING_KINDS", "CLAIM_LAYERS", "EXTRA_DEFINITIONS",
    "VERDICTS", "EVIDENCE", "INDEPENDENT_EVIDENCE", "EVIDENCE_LABELS", "ClaimsError", "NotCheckable", "Claim", "Sources", "Measured", "Verdict", "definition_named",
    "load_claims", "claims_from_frame", "measure", "evaluate", "evaluate_all", "verdict_table", "SIMULATED_LABEL",
]

CLAIMS_PATH = paths.DATA / "claims.csv"

#: The register's columns, in order (see docs/claims_data_dictionary.md).
CLAIM_COLUMNS = [
    "claim_id", "wording", "wording_kind", "source_url", "article_date", "published_figure_id",
    "metric", "councils", "case_types", "definition", "snapshot", "view", "params", "comparison",
    "must_hold", "layer", "evidence", "notes",
]

#: What a verdict rests on (the register's `evidence` column), most independent first.
EVIDENCE: dict[str, str] = {
    "official_statistics": "official statistics: checked against DfE's own figures (independent evidence)",
    "published_and_corrections": ("published figures and the corrections register: the printed numbers with the "
                                  "correction applied to them (settles what the correction did to a printed "
                                  "figure; says nothing more of the figure itself)"),
    "published_figures": ("published figures alone: arithmetic between numbers the coverage printed "
                          "(consistent, not independently confirmed)"),
    "same_article": ("the project's transcription of the same article: the figure is checked against itself "
                     "(no independent evidence)"),
    "corrections_register": "the corrections register: true by construction (the register restates the correction)",
    "simulated_returns": ("the simulated returns: shows the simulated data agree with the claim, "
                          "not that a council's real return does"),
    "real_returns": "councils' real FOI returns (a newsroom's own, put in place of the simulated ones)",
    "none": "nothing: the figure cannot be checked (the notes say why)",
}
#: Evidence kinds that are independent of the coverage and of the project's own construction.
INDEPENDENT_EVIDENCE = ("official_statistics", "real_returns")
#: Evidence on which a verdict can be "holds": the independent kinds, and the printed figures
#: with the corrections register applied (which settle what the correction changed). On any
#: other evidence a wording that agrees is only `consistent_only`.
SETTLING_EVIDENCE = (*INDEPENDENT_EVIDENCE, "published_and_corrections")

#: How the `wording` column was obtained.
WORDING_KINDS: dict[str, str] = {
    "verbatim": "copied word for word from the stored article in ../shared/seeds/ (a test checks it is there)",
    "register_quote": "words the published-figures register quotes from the coverage in its measure or notes",
    "paraphrase": "the article text is not available: the figure and its qualifier in the project's words",
}

#: Which view of the returns a claim is about.
VIEWS: dict[str, str] = {
    "published": "the returns as received: what the coverage had when it printed the figure",
    "corrected": "the returns after the corrections register (the claim is the correction itself)",
}

#: The layer a claim rests on (the register's `layer` column).
CLAIM_LAYERS: dict[str, str] = {
    "returns": "councils' FOI returns (the 2010 round or the timelines); real or simulated, per row",
    "official": "DfE/ONS official statistics (data/reference/official_stats.csv)",
    "published": "the coverage alone: a figure with nothing to check it against (metric not_checkable)",
}

#: Verdict kinds (``holds_only_under`` is followed by ``:<definition>``).
VERDICTS: dict[str, str] = {
    "holds": "the wording holds (and, for a claim about the returns as received, still holds after corrections)",
    "consistent_only": ("the wording agrees with material that is not independent of it (the simulated returns, the "
                        "corrections register alone, the printed numbers' own arithmetic): consistent, not confirmed"),
    "holds_before_correction_only": "holds on the returns as received, fails after the corrections",
    "holds_before_correction_undetermined_after": ("holds on the returns as received; after the corrections the "
                                                   "value is a range straddling the wording's edge"),
    "holds_only_under": "fails under the definition the sentence implies, holds under the named one",
    "fails": "fails under the implied definition and every other definition in the dispute",
    "not_checkable": "the data cannot settle the claim; the explanation says why",
}

SIMULATED_LABEL = ("simulated returns: this verdict shows the simulated data agrees with the claim, "
                   "not that a council's real return does")
#: The label an explanation starts with, for evidence that is not the simulated returns.
EVIDENCE_LABELS = {
    "published_and_corrections": ("published figures and the corrections register: the printed numbers, with the "
                                  "correction applied"),
    "published_figures": ("published figures alone: arithmetic between numbers the coverage printed, "
                          "not independent evidence"),
    "same_article": "the project's transcription of the same article: the figure would be checked against itself",
    "corrections_register": "the corrections register: true by construction",
}
SIMULATED_LABEL_NOT_HOLDING = ("simulated returns: this verdict is about the simulated data, "
                               "not about any council's real return")

#: Definitions a claim may use besides the four in the dispute (`unallocated.model.categories.DEFINITIONS`).
#: They are never tried as alternatives for ``holds_only_under``: that verdict names a reading in the dispute.
EXTRA_DEFINITIONS: dict[str, Definition] = {
    "allocated_other_staff": Definition(
        name="allocated_other_staff",
        title="Held by staff who are not qualified social workers",
        description=("Cases allocated to someone who is not a qualified social worker (social work assistant, "
                     "trainee, family support or leaving-care worker, other staff), and only those: Portsmouth's "
                     "and Brighton and Hove's 132, Barnsley's 156 after the correction."),
        pairs=frozenset(("allocated_other", r) for r in OTHER_ROLES),
    ),
}


class ClaimsError(UnallocatedError, ValueError):
    """The claims register is malformed (names the claim and the column)."""


class NotCheckable(Exception):
    """The data cannot give this metric for this claim; the message says why."""


def definition_named(name: str) -> Definition:
    """A definition from the dispute's registry or from `EXTRA_DEFINITIONS`."""
    if name in DEFINITIONS:
        return DEFINITIONS[name]
    if name in EXTRA_DEFINITIONS:
        return EXTRA_DEFINITIONS[name]
    raise ClaimsError(f"unknown definition {name!r}; valid: {', '.join([*DEFINITIONS, *EXTRA_DEFINITIONS])}")


# --------------------------------------------------------------------------------------------
# The register
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Claim:
    """One row of the claims register, checked and parsed."""

    claim_id: str
    wording: str
    wording_kind: str
    source_url: str
    article_date: str
    published_figure_id: str
    metric: str
    councils: tuple[str, ...]  # () = every council in the data
    case_types: tuple[str, ...]
    definition: str
    snapshot: str
    view: str
    params: dict[str, str]
    comparison: Wording | None
    must_hold: bool
    layer: str
    notes: str = ""
    evidence: str = "simulated_returns"


def _split(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in str(text).split(";") if p.strip())


def _params(text: str, where: str) -> dict[str, str]:
    out = {}
    for item in _split(text):
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ClaimsError(f"{where}: params item {item!r} is not 'name=value'")
        out[key.strip()] = value.strip()
    return out


def claims_from_frame(table: pd.DataFrame, origin: str = "claims") -> list[Claim]:
    """Check and parse a register already read as text (every column a string)."""
    missing = [c for c in CLAIM_COLUMNS if c not in table.columns]
    if missing:
        raise ClaimsError(f"{origin}: missing columns {missing}; expected {CLAIM_COLUMNS}")
    table = table.fillna("")
    ids = table["claim_id"].str.strip()
    if (ids == "").any():
        raise ClaimsError(f"{origin}: a claim has an empty claim_id (row {int((ids == '').idxmax()) + 2})")
    if ids.duplicated().any():
        raise ClaimsError(f"{origin}: duplicate claim_id {sorted(set(ids[ids.duplicated()]))}")
    claims = []
    for i, row in table.iterrows():
        where = f"{origin} row {i + 2} ({row['claim_id']})"
        if not str(row["wording"]).strip():
            raise ClaimsError(f"{where}: wording is empty")
        if row["wording_kind"] not in WORDING_KINDS:
            raise ClaimsError(f"{where}: wording_kind {row['wording_kind']!r}; valid: {', '.join(WORDING_KINDS)}")
        if row["metric"] not in METRICS:
            raise ClaimsError(f"{where}: unknown metric {row['metric']!r}; valid: {', '.join(METRICS)}")
        if row["view"] not in VIEWS:
            raise ClaimsError(f"{where}: view {row['view']!r}; valid: {', '.join(VIEWS)}")
        if row["layer"] not in CLAIM_LAYERS:
            raise ClaimsError(f"{where}: layer {row['layer']!r}; valid: {', '.join(CLAIM_LAYERS)}")
        must = str(row["must_hold"]).strip().lower()
        if must not in ("true", "false"):
            raise ClaimsError(f"{where}: must_hold must be true or false, got {row['must_hold']!r}")
        case_types = _split(row["case_types"])
        bad = [c for c in case_types if c not in ("cp", "lac", "cin")]
        if bad:
            raise ClaimsError(f"{where}: case_types {bad} not in cp, lac, cin")
        if row["definition"]:
            definition_named(row["definition"])
        evidence = str(row.get("evidence", "")).strip()
        if not evidence:  # left empty: what the layer alone says
            evidence = {"official": "official_statistics", "published": "none"}.get(row["layer"], "simulated_returns")
        if evidence not in EVIDENCE:
            raise ClaimsError(f"{where}: evidence {evidence!r}; valid: {', '.join(EVIDENCE)}")
        if row["metric"] == "not_checkable":
            if not str(row["notes"]).strip():
                raise ClaimsError(f"{where}: a not_checkable row gives its reason in notes")
            comparison = parse(row["comparison"]) if str(row["comparison"]).strip() else None
        else:
            try:
                comparison = parse(row["comparison"])
            except WordingError as err:
                raise ClaimsError(f"{where}: {err}") from None
        spec = METRICS[row["metric"]]
        claim = Claim(
            claim_id=row["claim_id"].strip(), wording=row["wording"], wording_kind=row["wording_kind"],
            source_url=row["source_url"], article_date=row["article_date"],
            published_figure_id=row["published_figure_id"], metric=row["metric"],
            councils=tuple(c for c in _split(row["councils"]) if c.lower() not in ("all", "england (responding councils)")),
            case_types=case_types, definition=row["definition"], snapshot=row["snapshot"].strip(),
            view=row["view"], params=_params(row["params"], where), comparison=comparison,
            must_hold=must == "true", layer=row["layer"], notes=row["notes"], evidence=evidence,
        )
        problem = spec.validate(claim)
        if problem:
            raise ClaimsError(f"{where}: {problem}")
        claims.append(claim)
    return claims


def load_claims(path: str | Path = CLAIMS_PATH) -> list[Claim]:
    """Read and check the claims register. `DataFileError` if missing, `ClaimsError` if malformed."""
    path = Path(path)
    if not path.is_file():
        raise DataFileError(f"{path}: claims register not found")
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError) as err:
        raise ClaimsError(f"{path}: cannot read as CSV: {err}") from None
    return claims_from_frame(table, path.name)


# --------------------------------------------------------------------------------------------
# The data a claim is checked against
# --------------------------------------------------------------------------------------------

@dataclass
class Sources:
    """The tables claims are checked against. Any left as None is loaded on first use.

    returns: the 2010 round as received (tidy returns table); timelines: Essex and Birmingham
    snapshots; official: the long official statistics table; corrections: the corrections
    register (from `unallocated.model.corrections.load_corrections`). Tests pass small tables.
    """

    returns: pd.DataFrame | None = None
    timelines: pd.DataFrame | None = None
    official: pd.DataFrame | None = None
    corrections: pd.DataFrame | None = None
    _views: dict = field(default_factory=dict, repr=False)

    def table(self, data: str, view: str) -> pd.DataFrame:
        """The returns table `data` ('returns_2010' or 'timelines') as published or corrected."""
        key = (data, view)
        if key not in self._views:
            if data == "returns_2010":
                if self.returns is None:
                    self.returns = _load_returns("returns_2010")
                base = self.returns
            elif data == "timelines":
                if self.timelines is None:
                    self.timelines = _load_returns("timelines")
                base = self.timelines
            else:
                raise ClaimsError(f"unknown data {data!r}; valid: returns_2010, timelines")
            if view == "corrected":
                from unallocated.model.corrections import apply_corrections, load_corrections

                if self.corrections is None:
                    self.corrections = load_corrections()
                self._views[key] = apply_corrections(base, self.corrections)
            else:
                self._views[key] = base
        return self._views[key]

    def official_table(self) -> pd.DataFrame:
        if self.official is None:
            from unallocated.sources.reference import load_official_stats

            self.official = load_official_stats()
        return self.official


def _load_returns(which: str) -> pd.DataFrame:
    from unallocated.rounds import dataset

    folder = dataset.ROUND_2010 if which == "returns_2010" else dataset.TIMELINES
    if not folder.is_dir() or not any(p.is_file() and p.name != "manifest.csv" for p in folder.iterdir()):
        raise DataFileError(f"{folder}: no returns there; run `make simulate` or drop the councils' returns in")
    return dataset.returns_2010() if which == "returns_2010" else dataset.timelines()


# --------------------------------------------------------------------------------------------
# Metrics
# --------------------------------------------------------------------------------------------

def _shown(value: Interval, percent: bool = False) -> str:
    """A measured value as a reader sees it, written by `unallocated.display` (the one formatter):
    '448', '397 to 406', 'at least 1,000', '48.3% to 49.4%'. Open bounds keep their words
    ('more than', 'below') around display's numbers."""
    if percent:
        if value.is_point or not (value.low_open or value.high_open or math.isinf(value.high)):
            return display.share_range(value.low, value.high, digits=1)
        return value.describe(percent=True)
    if not (value.low_open or value.high_open) and not math.isinf(value.low):
        return display.show(value.low, "at_least", value.low, value.high)
    if math.isinf(value.low) and math.isinf(value.high):
        return "any value"
    low = ("more than " if value.low_open else "at least ") + display.number(value.low)
    if math.isinf(value.high):
        return low
    high = ("below " if value.high_open else "at most ") + display.number(value.high)
    return high if math.isinf(value.low) else f"{low} and {high}"


@dataclass(frozen=True)
class Measured:
    """A metric's value for one claim and view: the quantity, the layers it rests on, in words."""

    quantity: Quantity
    layers: frozenset[str]
    words: str

    @property
    def simulated(self) -> bool:
        return "simulated" in self.layers

    @property
    def layer(self) -> str:
        return "+".join(sorted(self.layers)) or "none"

    def labelled(self) -> str:
        if self.simulated:
            return self.words + " [simulated]"
        if self.layers == frozenset({"published"}):
            return self.words + " [printed]"
        return self.words


def _code_of(name: str) -> str:
    from unallocated.sources.councils import resolve

    return str(resolve(name).old_la_code)


def _codes(table: pd.DataFrame) -> pd.Series:
    return table["council_code"].astype("string").str.strip().str.replace(r"\.0$", "", regex=True)


def _scope(table: pd.DataFrame, claim: Claim, snapshot: str | None = None) -> pd.DataFrame:
    """The rows a claim is about: its councils, case types and snapshot (or NotCheckable)."""
    rows = table
    if claim.councils:
        wanted = {}
        for name in claim.councils:
            try:
                wanted[_code_of(name)] = name
            except UnallocatedError as err:
                raise NotCheckable(f"council {name!r} cannot be identified: {err}") from None
        codes = _codes(rows)
        absent = [n for c, n in wanted.items() if not (codes == c).any()]
        if absent:
            raise NotCheckable(f"{' and '.join(absent)} not in these returns")
        rows = rows[codes.isin(list(wanted)).fillna(False).to_numpy()]
    if claim.case_types:
        rows = rows[rows["case_type"].isin(claim.case_types).fillna(False).to_numpy()]
    snapshot = claim.snapshot if snapshot is None else snapshot
    if snapshot:
        dates = rows["snapshot_date"].astype("string").str.slice(0, 10)
        rows = rows[(dates == snapshot).fillna(False).to_numpy()]
        if rows.empty:
            raise NotCheckable(f"no return dated {snapshot} for {', '.join(claim.councils) or 'these councils'}")
    if rows.empty:
        raise NotCheckable("no rows in the returns for these councils and case types")
    return rows


def _merge_layers(rows: pd.DataFrame) -> pd.DataFrame:
    """One return may mix layers (published totals, simulated split): count it as one return.

    Refuses (NotCheckable) if two layers give the same cell: adding them would double count.
    """
    if rows["layer"].nunique(dropna=False) <= 1:
        return rows
    keys = ["council_code", "snapshot_date", "case_type", "category", "detail"]
    key_frame = rows[keys].astype("string").fillna("")
    layers_per_cell = rows.assign(_k=key_frame.agg("|".join, axis=1)).groupby("_k")["layer"].nunique()
    clash = layers_per_cell[layers_per_cell > 1]
    if not clash.empty:
        raise NotCheckable(f"two layers report the same cell ({clash.index[0]}); adding them would double count")
    out = rows.copy()
    out["layer"] = out.groupby(["council_code", "snapshot_date"], dropna=False)["layer"].transform(
        lambda s: "+".join(sorted(set(s.dropna()))))
    return out


def _layers_counted(rows: pd.DataFrame, definition: Definition | None, totals: bool) -> frozenset[str]:
    """Layers of the rows a figure is made of: those the definition counts, plus totals if used."""
    picked = []
    for category, detail, layer in zip(rows["category"], rows["detail"], rows["layer"]):
        detail = "" if detail is None or (not isinstance(detail, str) and pd.isna(detail)) else detail
        if category == "total":
            if totals:
                picked.append(layer)
        elif definition is None or definition.counts(category, detail):
            picked.append(layer)
    if not picked:  # nothing counted (e.g. only totals): the figure rests on whatever was there
        picked = list(rows["layer"])
    return frozenset(str(x) for x in picked if x is not None and not pd.isna(x))


def _bounded(frame: pd.DataFrame) -> Interval:
    row = frame.iloc[0]
    return Interval.bounds(row["low"], row["high"])


def _count(rows: pd.DataFrame, definition: Definition) -> Interval:
    try:
        return _bounded(count_under(_merge_layers(rows), definition, by=()))
    except AmbiguousReturns as err:
        raise NotCheckable(f"more than one return for a council: {err}") from None


def _caseload(rows: pd.DataFrame) -> Interval:
    try:
        return _bounded(open_caseload(_merge_layers(rows), by=()))
    except AmbiguousReturns as err:
        raise NotCheckable(f"more than one return for a council: {err}") from None


def _definition(claim: Claim, override: str | None) -> Definition:
    return definition_named(override or claim.definition)


def _data(claim: Claim) -> str:
    return claim.params.get("data", "returns_2010")


def metric_count(claim: Claim, sources: Sources, view: str, definition: str | None = None) -> Measured:
    """Cases under a definition, summed over the claim's councils and case types."""
    d = _definition(claim, definition)
    rows = _scope(sources.table(_data(claim), view), claim)
    value = _count(rows, d)
    # a range may be capped by the council's own total: then the total's layer is part of the figure
    return Measured(Quantity(value), _layers_counted(rows, d, totals=not value.is_point), _shown(value))


def metric_share_of_caseload(claim: Claim, sources: Sources, view: str, definition: str | None = None) -> Measured:
    """Cases under a definition as a share of the open caseload (the council's own total)."""
    d = _definition(claim, definition)
    rows = _scope(sources.table(_data(claim), view), claim)
    num, den = _count(rows, d), _caseload(rows)
    if den.low <= 0:
        raise NotCheckable("the open caseload is unknown or zero, so no share can be computed")
    q = Quantity.share(num, den)
    words = f"{_shown(num)} of {_shown(den)} = {_shown(q.value, percent=True)}"
    return Measured(q, _layers_counted(rows, d, totals=True), words)


def _per_council(claim: Claim, sources: Sources, view: str, definition: Definition) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = _scope(sources.table(_data(claim), view), claim)
    try:
        per = count_under(_merge_layers(rows), definition, by=("council_code",))
    except AmbiguousReturns as err:
        raise NotCheckable(f"more than one return for a council: {err}") from None
    return rows, per


def _responding(claim: Claim, rows: pd.DataFrame) -> int:
    if "responding" in claim.params:
        return int(claim.params["responding"])
    return int(_codes(rows).dropna().nunique())


def _council_share_words(low: int, high: int, n: int, q: Quantity) -> str:
    councils = str(low) if low == high else f"{low} to {high}"
    return f"{councils} of {n} councils = {_shown(q.value, percent=True)}"


def metric_council_share(claim: Claim, sources: Sources, view: str, definition: str | None = None) -> Measured:
    """Share of responding councils with at least one case under a definition (in the case types)."""
    d = _definition(claim, definition)
    rows, per = _per_council(claim, sources, view, d)
    certain = int((per["low"] >= 1).sum())
    possible = int((per["high"].isna() | (per["high"] >= 1)).sum())
    n = _responding(claim, rows)
    q = Quantity.share(Interval(certain, possible), Interval.point(n))
    return Measured(q, _layers_counted(rows, d, totals=False), _council_share_words(certain, possible, n, q))


def metric_further_council_share(claim: Claim, sources: Sources, view: str, definition: str | None = None) -> Measured:
    """Share of councils with cases under `definition` but none under params `excluding`.

    "A further 3%": councils whose child protection cases were held by non-qualified staff, not
    already counted among those with cases held by no one.
    """
    d = _definition(claim, definition)
    excluding = definition_named(claim.params["excluding"])
    rows, per = _per_council(claim, sources, view, d)
    _, excl = _per_council(claim, sources, view, excluding)
    both = per.merge(excl, on="council_code", suffixes=("", "_excl"), how="left")
    has_low = both["low"] >= 1
    has_high = both["high"].isna() | (both["high"] >= 1)
    none_certain = both["high_excl"].notna() & (both["high_excl"] == 0)
    none_possible = both["low_excl"].fillna(0) == 0
    certain = int((has_low & none_certain).sum())
    possible = int((has_high & none_possible).sum())
    n = _responding(claim, rows)
    q = Quantity.share(Interval(certain, possible), Interval.point(n))
    return Measured(q, _layers_counted(rows, d, totals=False), _council_share_words(certain, possible, n, q))


def metric_change(claim: Claim, sources: Sources, view: str, definition: str | None = None) -> Measured:
    """The fall between two snapshots: the count at params `from` minus the count at `snapshot`."""
    d = _definition(claim, definition)
    table = sources.table(_data(claim), view)
    earlier_rows = _scope(table, claim, snapshot=claim.params["from"])
    later_rows = _scope(table, claim)
    earlier, later = _count(earlier_rows, d), _count(later_rows, d)
    fall = earlier - later
    words = (f"{_shown(fall)} (from {_shown(earlier)} on {claim.params['from']} "
             f"to {_shown(later)} on {claim.snapshot})")
    layers = (_layers_counted(earlier_rows, d, totals=not earlier.is_point)
              | _layers_counted(later_rows, d, totals=not later.is_point))
    return Measured(Quantity(fall), layers, words)


def metric_official(claim: Claim, sources: Sources, view: str, definition: str | None = None) -> Measured:
    """An official figure (or the sum of several) for England or one council, from the reference table.

    params: measures=m1+m2 (names in `unallocated.sources.reference.MEASURES`), year=2010 (31 March),
    overlap=nested when the measures count overlapping groups (DfE's children in need include the
    looked-after children): the number of distinct children is then between the largest measure
    and their sum, and the value is that interval.
    """
    table = sources.official_table()
    year = int(claim.params.get("year", "2010"))
    measures = [m.strip() for m in claim.params.get("measures", "").split("+") if m.strip()]
    where = table[table["year"] == year]
    if not claim.councils or claim.councils == ("England",):
        where, who = where[where["geography_level"] == "national"], "England"
    else:
        codes = [_code_of(c) for c in claim.councils]
        where = where[where["old_la_code"].astype("string").isin(codes).fillna(False).to_numpy()]
        who = " + ".join(claim.councils)
    values = []
    for m in measures:
        hit = where[where["measure"] == m]
        if hit.empty or hit["value"].isna().any():
            status = "" if hit.empty else f" (status {hit['status'].iloc[0]})"
            raise NotCheckable(f"no official {m} for {who} at 31 March {year}{status}")
        values.append(float(hit["value"].sum()))
    if not values:
        raise NotCheckable("no official measure named in params")
    if len(values) > 1 and claim.params.get("overlap") == "nested":
        value = Interval(max(values), sum(values))
        words = (" + ".join(f"{display.number(v)} {m}" for v, m in zip(values, measures))
                 + f": {_shown(value)} distinct children (the groups overlap)")
    else:
        value = Interval.point(sum(values))
        words = _shown(value) if len(values) == 1 else \
            " + ".join(display.number(v) for v in values) + f" = {_shown(value)}"
    return Measured(Quantity(value), frozenset({"official"}), words)


def _whole(value: Interval) -> Interval:
    """An interval of counts in whole cases: 'almost 80' (72 up to, not including, 80) is 72 to 79."""
    low = math.floor(value.low) + 1 if value.low_open and not math.isinf(value.low) else math.ceil(value.low)
    if math.isinf(value.high):
        return Interval(float(low), math.inf, False, True)
    high = math.ceil(value.high) - 1 if value.high_open else math.floor(value.high)
    return Interval(float(low), float(high))


_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]

#: A printed qualifier as the fact-check's wording reads it (`unallocated.factcheck.wording`).
_PRINTED_WORDING = {"exact": "exact", "more_than": "more_than", "over": "more_than", "almost": "almost",
                    "nearly": "almost", "about": "about"}


def _published_values(text: str) -> dict[str, float]:
    """'lac=51;cin=114' -> {'lac': 51.0, 'cin': 114.0} (the register's published_values)."""
    out = {}
    for item in _split(text):
        key, _, value = item.partition("=")
        out[key.strip()] = float(value)
    return out


def _corrections_for(claim: Claim, sources: Sources) -> list[dict]:
    """The corrections that concern the printed figures a claim adds up: every correction for a
    national figure (it includes every responding council), a council's own for a council's."""
    if sources.corrections is None:
        from unallocated.model.corrections import load_corrections

        sources.corrections = load_corrections()
    wanted = {_code_of(c) for c in claim.councils} if claim.councils else None
    rows = []
    for row in sources.corrections.to_dict("records"):
        if wanted is not None and str(row["council_code"]) not in wanted:
            continue
        values = _published_values(row["published_values"])
        if any(t in values for t in claim.case_types):
            rows.append({**row, "values": values})
    return rows


def _settled_by_register(row: dict, d: Definition) -> None:
    """The printed numbers and the register settle a figure only under a reading that counted
    the corrected cases as printed and does not count them where the correction put them."""
    if not d.counts(str(row["category_published"]), "") or d.counts(str(row["corrected_to_category"]),
                                                                      str(row["corrected_to_detail"] or "")):
        raise NotCheckable(f"the correction moves cases between categories that '{d.name}' counts alike")


def measure_printed(claim: Claim, sources: Sources, view: str) -> Measured:
    """The claim's figure from the printed numbers alone (params: printed=figure_id+...), and, in
    the corrected view, with the corrections register applied to them: a printed count less the
    values the register withdraws plus what it restores (the whole restored total when the
    correction's case types are all in the figure, else 0 to it); a printed share of councils as
    the counts of councils that round to it, less any council the correction may take out."""
    from unallocated.model import published

    figures = [published.figure(i) for i in claim.params["printed"].split("+")]
    d = _definition(claim, None)
    corrections = _corrections_for(claim, sources) if view == "corrected" else []
    dates = sorted({f["article_date"] for f in figures})
    on = " and ".join(f"{int(d[8:10])} {_MONTHS[int(d[5:7]) - 1]} {d[:4]}" for d in dates)
    names = [published.words(f, with_denominator=False) for f in figures]
    said = f"the printed {', '.join(names[:-1]) + ' and ' + names[-1] if len(names) > 1 else names[0]} of {on}"
    if claim.metric == "count":
        value = Interval.point(0)
        for f in figures:
            kind = _PRINTED_WORDING.get(f["qualifier"])
            if kind is None:
                raise NotCheckable(f"printed figure {f['figure_id']} is worded {f['qualifier']!r}, not a count")
            value = value + _whole(parse(f"{kind} {float(f['value']):g}").accepted)
        steps = []
        for row in corrections:
            _settled_by_register(row, d)
            in_scope = [t for t in claim.case_types if t in row["values"]]
            removed = sum(row["values"][t] for t in in_scope)
            total = float(row["corrected_unallocated_total"])
            whole = set(row["values"]) <= set(claim.case_types)
            value = value - Interval.point(removed) + (Interval.point(total) if whole else Interval(0.0, total))
            steps.append(f"less {row['council']}'s {display.number(removed)} withdrawn, plus "
                         f"{display.number(total) if whole else '0 to ' + display.number(total)} of its "
                         f"{display.number(total)} restored")
        words = _shown(value) + f" ({said}" + (", " + "; ".join(steps) if steps else "") + ")"
        return Measured(Quantity(value), frozenset({"published"}), words)
    if claim.metric == "council_share":
        (f,) = figures
        n = int(claim.params["responding"])
        rule = parse(f"percent {float(f['value']):g} of {n}")
        fits = [k for k in range(n + 1) if check(rule, Quantity.share(Interval.point(k), Interval.point(n))).holds]
        if not fits:
            raise NotCheckable(f"no count of {n} councils rounds to the printed {published.words(f)}")
        low, high = min(fits), max(fits)
        steps = []
        for row in corrections:
            _settled_by_register(row, d)
            printed_here = sum(row["values"].get(t, 0) for t in claim.case_types)
            whole = set(row["values"]) <= set(claim.case_types)
            if printed_here > 0 and not whole:
                low -= 1  # its corrected figure here is 0 to the restored total: it may drop out
                steps.append(f"{row['council']} (printed with {display.number(printed_here)}) may drop out: "
                             f"its corrected figure is 0 to {display.number(float(row['corrected_unallocated_total']))}")
        q = Quantity.share(Interval(float(low), float(high)), Interval.point(n))
        words = (_council_share_words(low, high, n, q) + f" (the counts that round to {said}"
                 + ("; " + "; ".join(steps) if steps else "") + ")")
        return Measured(q, frozenset({"published"}), words)
    raise NotCheckable(f"metric {claim.metric!r} is not computed from printed figures")


def metric_not_checkable(claim: Claim, sources: Sources, view: str, definition: str | None = None) -> Measured:
    """A published figure with nothing to check it against: the register's notes say why."""
    raise NotCheckable(claim.notes.rstrip("."))


@dataclass(frozen=True)
class MetricSpec:
    function: Callable[..., Measured]
    needs_definition: bool
    required_params: tuple[str, ...]
    layer: str  # the claim layer it serves
    definition_sensitive: bool  # alternatives are tried for holds_only_under
    description: str

    def validate(self, claim: Claim) -> str:
        if claim.metric == "not_checkable":
            return "" if claim.layer == "published" and claim.evidence == "none" else \
                "a not_checkable row has layer 'published' and evidence 'none'"
        if claim.evidence == "none":
            return "evidence 'none' is for not_checkable rows only"
        if claim.evidence == "published_and_corrections" and "printed" not in claim.params:
            return "evidence 'published_and_corrections' names the printed figures it adds in params (printed=...)"
        if (claim.layer == "official") != (claim.evidence == "official_statistics"):
            return "evidence 'official_statistics' goes with layer 'official', and only with it"
        if self.layer != claim.layer:
            return f"metric {claim.metric!r} reads the {self.layer} layer, the claim says {claim.layer!r}"
        if self.needs_definition and not claim.definition:
            return f"metric {claim.metric!r} needs a definition"
        missing = [p for p in self.required_params if p not in claim.params]
        if missing:
            return f"metric {claim.metric!r} needs params {missing}"
        if claim.metric == "change" and not claim.snapshot:
            return "metric 'change' needs a snapshot (the later date)"
        if "excluding" in claim.params:
            definition_named(claim.params["excluding"])
        if claim.comparison.kind == "fell_by" and claim.metric != "change":
            return f"comparison {claim.comparison.text!r} needs metric 'change'"
        if claim.comparison.kind == "ratio":
            if claim.metric != "share_of_caseload":
                return "a 'ratio N/M' comparison needs metric 'share_of_caseload' (a count out of a caseload)"
            return ""
        share = claim.comparison.scale == "share"
        gives_share = claim.metric in ("share_of_caseload", "council_share", "further_council_share")
        if share != gives_share:
            return (f"comparison {claim.comparison.text!r} compares a {'share' if share else 'count'}, "
                    f"metric {claim.metric!r} gives a {'share' if gives_share else 'count'}")
        return ""


#: The named metrics a claim can use.
METRICS: dict[str, MetricSpec] = {
    "count": MetricSpec(metric_count, True, (), "returns", True,
                        "cases under a definition, summed over councils and case types"),
    "share_of_caseload": MetricSpec(metric_share_of_caseload, True, (), "returns", True,
                                    "cases under a definition out of the open caseload (council's own total)"),
    "council_share": MetricSpec(metric_council_share, True, (), "returns", True,
                                "share of responding councils with at least one case under a definition"),
    "further_council_share": MetricSpec(metric_further_council_share, True, ("excluding",), "returns", False,
                                        "share of councils with cases under a definition and none under `excluding`"),
    "change": MetricSpec(metric_change, True, ("from",), "returns", True,
                         "count at params `from` minus count at the snapshot (a fall is positive)"),
    "official": MetricSpec(metric_official, False, ("measures",), "official", False,
                           "an official DfE figure, or an interval for overlapping ones, at 31 March"),
    "not_checkable": MetricSpec(metric_not_checkable, False, (), "published", False,
                                "a published figure nothing can check; the reason is in notes"),
}


def measure(claim: Claim, sources: Sources, view: str, definition: str | None = None) -> Measured:
    """The claim's metric on one view ('published' or 'corrected'); raises NotCheckable."""
    spec = METRICS[claim.metric]
    return spec.function(claim, sources, view, definition)


# --------------------------------------------------------------------------------------------
# Verdicts
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Verdict:
    """A claim's verdict, with both values, the layer and the reasons, ready for the table."""

    claim: Claim
    verdict: str
    explanation: str
    value_published: str
    value_corrected: str
    layer: str
    simulated: bool

    @property
    def kind(self) -> str:
        return self.verdict.split(":", 1)[0]

    @property
    def failed_must_hold(self) -> bool:
        return self.claim.must_hold and self.kind == "fails"

    @property
    def evidence(self) -> str:
        """The register's evidence, except that a claim meant for the simulated returns, checked
        on returns none of which are simulated, rests on real returns."""
        if self.claim.evidence == "simulated_returns" and not self.simulated and self.layer not in ("none", ""):
            return "real_returns"
        return self.claim.evidence

    @property
    def independent(self) -> bool:
        return self.claim.evidence in INDEPENDENT_EVIDENCE

    def row(self) -> dict:
        return {
            "claim_id": self.claim.claim_id, "wording": self.claim.wording, "source": self.claim.source_url,
            "published_figure_id": self.claim.published_figure_id,
            "value_published": self.value_published, "value_corrected": self.value_corrected,
            "layer": self.layer, "evidence": self.evidence, "verdict": self.verdict,
            "explanation": self.explanation, "notes": self.claim.notes,
        }


def _try(claim, sources, view, definition=None) -> Measured | str:
    try:
        if claim.evidence == "published_and_corrections" and definition is None:
            return measure_printed(claim, sources, view)
        return measure(claim, sources, view, definition)
    except NotCheckable as err:
        return str(err)


def evaluate(claim: Claim, sources: Sources) -> Verdict:
    """Measure a claim on both views, compare with its wording, and give the verdict."""
    spec = METRICS[claim.metric]
    published = _try(claim, sources, "published")
    corrected = published if claim.layer == "official" else _try(claim, sources, "corrected")
    primary_view = claim.view
    primary = published if primary_view == "published" else corrected
    d_name = claim.definition or "n/a"
    measured = [m for m in (published, corrected) if isinstance(m, Measured)]
    layers = frozenset().union(*(m.layers for m in measured)) if measured else frozenset()
    simulated = "simulated" in layers
    layer = "+".join(sorted(layers)) or "none"

    def shown(m) -> str:
        return m.labelled() if isinstance(m, Measured) else "not available"

    value_pub, value_cor = shown(published), shown(corrected)
    if claim.layer == "official":
        value_cor = value_pub + " (no corrections apply)" if isinstance(published, Measured) else value_pub

    def text_of_values() -> str:
        return f"The transcription holds {value_pub}." if isinstance(published, Measured) else ""

    def finish(verdict: str, text: str) -> Verdict:
        label = ""
        if simulated and claim.evidence not in EVIDENCE_LABELS:
            label = (SIMULATED_LABEL if verdict.startswith("holds") else SIMULATED_LABEL_NOT_HOLDING) + ". "
        elif claim.evidence in EVIDENCE_LABELS:
            label = EVIDENCE_LABELS[claim.evidence] + ". "
        done = Verdict(claim, verdict, label + text, value_pub, value_cor, layer, simulated)
        if verdict.startswith("holds") and done.evidence not in SETTLING_EVIDENCE:
            # Agreeing with the simulated returns, the register alone or the article's own
            # numbers confirms nothing: said apart from "holds", with what it would have been.
            text = (f"Consistent only: {EVIDENCE[done.evidence].split(':', 1)[0]} agree, and they are not "
                    f"independent of the claim (on independent evidence this would read {verdict}). " + text)
            done = Verdict(claim, "consistent_only", label + text, value_pub, value_cor, layer, simulated)
        return done

    if claim.evidence == "same_article" and claim.metric != "not_checkable":
        return finish("not_checkable", "Not checkable: the figure is checked only against the project's "
                      "transcription of the same article, so it would be checked against itself. " + text_of_values())
    if claim.metric == "not_checkable":
        return finish("not_checkable", f"Not checkable: {primary}.")
    if not isinstance(primary, Measured):
        return finish("not_checkable", f"Not checkable: {primary}.")
    under = f" under '{d_name}'" if claim.definition else ""
    main = check(claim.comparison, primary.quantity)
    # "Published" is said only of what was printed: a sum of the returns is "before the correction".
    before = "as printed" if claim.evidence == "published_and_corrections" else (
        "as published" if claim.layer == "official" else "before the correction")
    view_words = before if primary_view == "published" else "as corrected"
    text = f"{view_words.capitalize()}{under}: {main.explanation}."
    other = corrected if primary_view == "published" else published
    other_check = check(claim.comparison, other.quantity) if isinstance(other, Measured) else None
    if claim.layer != "official":
        other_words = "as corrected" if primary_view == "published" else before
        if other_check is not None:
            text += f" {other_words.capitalize()}: {other_check.explanation}."
        else:
            text += f" {other_words.capitalize()}: not available ({other})."

    if main.status == "undetermined":
        return finish("not_checkable", "Undetermined " + view_words + ". " + text)
    if main.status == "holds":
        if primary_view == "published" and claim.layer != "official" and other_check is not None:
            if other_check.status == "fails":
                return finish("holds_before_correction_only", text)
            if other_check.status == "undetermined":
                return finish("holds_before_correction_undetermined_after",
                              f"Holds {before}; undetermined as corrected. " + text)
        return finish("holds", text)
    # fails under the implied definition: does it hold under another reading in the dispute?
    if spec.definition_sensitive and claim.definition and claim.evidence != "published_and_corrections":
        holding = []
        for name in DEFINITIONS:
            if name == claim.definition:
                continue
            alt = _try(claim, sources, primary_view, name)
            if isinstance(alt, Measured):
                alt_check = check(claim.comparison, alt.quantity)
                if alt_check.holds:
                    holding.append((name, alt, alt_check))
        if holding:
            name, alt, alt_check = holding[0]
            others = [h[0] for h in holding[1:]]
            more = f" (also under {', '.join(others)})" if others else ""
            text += (f" Under '{name}'{more} instead it holds: {alt_check.explanation}"
                     + (" [simulated]" if alt.simulated else "") + ".")
            return finish(f"holds_only_under:{name}", text)
        text += " It holds under none of the other definitions in the dispute."
    return finish("fails", text)


def evaluate_all(claims: list[Claim], sources: Sources | None = None) -> list[Verdict]:
    """Every claim's verdict, in register order."""
    sources = sources or Sources()
    return [evaluate(c, sources) for c in claims]


def verdict_table(verdicts: list[Verdict]) -> pd.DataFrame:
    """The verdicts as the factcheck.csv table."""
    columns = ["claim_id", "wording", "source", "published_figure_id", "value_published", "value_corrected", "layer",
               "evidence", "verdict", "explanation", "notes"]
    return pd.DataFrame([v.row() for v in verdicts], columns=columns)

