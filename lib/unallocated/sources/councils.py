"""Council identity: which councils had children's services in 2010, what they are called, and
how every spelling and code in the official files maps to one of them.

The table
---------
`build_councils_table()` derives one row per council with children's services
responsibilities from the raw official files: the 152 councils of 2010 (the local-authority rows
of `osr28-2010ud.csv`) plus the six councils created since (Dorset and Bournemouth, Christchurch
and Poole in 2019; North and West Northamptonshire in 2021; Cumberland and Westmorland and
Furness in 2023). `write_councils_table()` commits it as `data/reference/councils.csv` with a
provenance sidecar, and `load_councils()` reads the committed copy, so nothing here needs the raw
files at run time.

Columns: `old_la_code` (DfE three-digit code, text), `ons_code` (for 2010 councils the code in
the 2011 looked-after file, i.e. the code they had then; for successors their own code),
`name`, `region`, `region_code`, `dfe_region` (DfE's region, which splits London into Inner and
Outer London), `in_2010`, `from_year`, `to_year` (year of the 1 April reorganisation that created
or ended the council; empty when it existed by 2010 / still exists), `predecessors` (`;`-separated
old codes of the 2010 councils a successor covers), `other_ons_codes` and `other_names`
(every other code and spelling the official files use for it), `note`.

Naming convention: `name` is the name DfE uses in its explore-education-statistics files, which is
the ONS name ("Bristol, City of", "Kingston upon Hull, City of", "Herefordshire, County of",
"County Durham", "St. Helens", "Bedford"). One exception: the Dorset unitary council of 2019,
which those files also call "Dorset", is named "Dorset Council" (its legal name) so that every
`name` is unique.

Resolving
---------
`resolve(name)` accepts a name in any common form or a code (old three-digit or ONS). Names are
normalised (case, "&", punctuation, "St."/"Saint", council-type words such as "London Borough
of" or "City Council") but a city is never confused with its county: "Derby" and "Derbyshire"
normalise to different keys. When a name fits two councils (only "Dorset", the old county and
the 2019 unitary) the council in existence in `year` (default 2010, the year of the
investigation) wins. Welsh, Scottish and Northern Irish councils and English district councils
raise `CouncilNotFound` saying why, with the closest candidates.

The column of numbers in the 2010 looked-after workbook (`sfr27-2010amv5.xls`, sheet LAA1) is a
different, older numbering that collides with DfE codes (816 there is Brighton and Hove, in DfE's
scheme York), so only the names in that sheet are resolved, never its numbers.

Hand-written knowledge lives in `data/reference/council_aliases.csv` (nicknames, 2010 district
councils abolished since, councils split in 2009) and in `SUCCESSORS` below; everything else is
derived from the raw files.
"""
from __future__ import annotations

import argparse
import csv
import difflib
import functools
import hashlib
import json
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING


from unallocated import paths
from unallocated.errors import CouncilNotFound, DataFileError

if TYPE_CHECKING:  # pandas is imported where tables are built: resolving names does without it
    import pandas as pd

COUNCILS_CSV = paths.REFERENCE / "councils.csv"
OUT_OF_SCOPE_CSV = paths.REFERENCE / "council_out_of_scope.csv"
PROVENANCE_JSON = paths.REFERENCE / "councils.provenance.json"
ALIASES_CSV = paths.REFERENCE / "council_aliases.csv"

#: The year of the investigation: when a name fits councils of different eras, this one wins.
REFERENCE_YEAR = 2010

#: Councils created after 2010: old code -> (year created, old codes of the 2010 councils whose
#: area it covers, note). Hand-written from the reorganisation orders; names, ONS codes and
#: regions come from the raw files.
SUCCESSORS: dict[str, tuple[int, tuple[str, ...], str]] = {
    "838": (2019, ("835",), "most of the old Dorset county council area (all but Christchurch)"),
    "839": (2019, ("837", "836", "835"),
            "Bournemouth and Poole, plus Christchurch from the old Dorset county council area"),
    "940": (2021, ("928",), "the north of the old Northamptonshire county council area"),
    "941": (2021, ("928",), "the west of the old Northamptonshire county council area"),
    "942": (2023, ("909",), "the west and north of the old Cumbria county council area"),
    "943": (2023, ("909",), "the south and east of the old Cumbria county council area"),
}
#: 2010 councils that have since ceased: old code -> year of the reorganisation.
CEASED: dict[str, int] = {"835": 2019, "836": 2019, "837": 2019, "928": 2021, "909": 2023}
#: The canonical-name exception described in the module docstring.
NAME_OVERRIDES: dict[str, str] = {"838": "Dorset Council"}

EES_FILES = [
    "b1_children_in_need_2013_to_2025.csv",
    "d5_cpps_at31march_by_duration_2013_to_2025.csv",
    "cla_number_and_rate_per_10k_children.csv",
    "csww_indicators_2017_to_2025.csv",
    "ons_mid-year_population_estimates_2012_to_2024.csv",
    "release-2023/b1_children_in_need_2013_to_2023.csv",
    "release-2023/cla_number_and_rate_per_10k_children.csv",
]
#: Children-in-need files 2010-2012: (file, encoding).
CIN_FILES = [
    ("osr28-2010ud.csv", "utf-8"),
    ("osr26-2011ud.csv", "latin-1"),
    ("SFR27-2012ud.csv", "utf-8"),
]
CLA_FILES = ["SFR21_CLA_2011.csv", "SFR20_CLA2012.csv"]
LTLA_FILE = "LTLA-UTLA_Apr23_Lookup_England-Wales.csv"
POPEST_FILES = [f"ons/popest-{band}.csv" for band in ("0-4", "5-9", "10-14", "15", "16")]
INPUT_FILES = [f for f, _ in CIN_FILES] + CLA_FILES + EES_FILES + [LTLA_FILE] + POPEST_FILES

COLUMNS = [
    "old_la_code", "ons_code", "name", "region", "region_code", "dfe_region", "in_2010",
    "from_year", "to_year", "predecessors", "other_ons_codes", "other_names", "note",
]
OUT_OF_SCOPE_COLUMNS = ["name", "code", "kind", "upper_tier_code", "upper_tier_name"]

OLD_CODE_RE = re.compile(r"^\d{3}$")
ONS_CODE_RE = re.compile(r"^[EWSN]\d{8}$")
_LONDON_REGION = ("London", "E12000007")


@dataclass(frozen=True)
class Council:
    """One council with children's services responsibilities."""

    old_la_code: str
    ons_code: str
    name: str
    region: str
    in_2010: bool
    predecessors: tuple[str, ...] = ()
    from_year: int | None = None
    to_year: int | None = None

    def active_in(self, year: int) -> bool:
        """True if the council ran children's services in `year` (changes took effect 1 April)."""
        return (self.from_year is None or self.from_year <= year) and (
            self.to_year is None or year < self.to_year)

    def active_on(self, day) -> bool:
        """True if the council ran children's services on `day` (a date: every reorganisation
        since 2010 took effect on 1 April, so Dorset ran them on 31 March 2019, not 1 April)."""
        import datetime as dt

        start = dt.date(self.from_year, 4, 1) if self.from_year is not None else None
        end = dt.date(self.to_year, 4, 1) if self.to_year is not None else None
        return (start is None or start <= day) and (end is None or day < end)


# --------------------------------------------------------------------------- build from raw


def _read(raw_dir: Path, rel: str, **kw) -> pd.DataFrame:
    import pandas as pd

    path = raw_dir / rel
    if not path.exists():
        raise DataFileError(f"raw official file missing: {path} (run `make data`)")
    return pd.read_csv(path, dtype=str, keep_default_na=False, **kw)


def read_popest_names(raw_dir: Path = paths.RAW_OFFICIAL) -> pd.DataFrame:
    """Names and ONS codes of the ONS stat-xplore population files (`name`, `code`), all files.

    Those files carry a title block before the header and footnotes after the data.
    """
    import pandas as pd

    frames = []
    for rel in POPEST_FILES:
        path = raw_dir / rel
        if not path.exists():
            raise DataFileError(f"raw official file missing: {path} (run `make data`)")
        lines = path.read_text(encoding="utf-8").splitlines()
        start = next(i for i, line in enumerate(lines) if '"mnemonic"' in line)
        df = pd.read_csv(path, skiprows=start, dtype=str, keep_default_na=False)
        df = df.iloc[:, :2].set_axis(["name", "code"], axis=1)
        frames.append(df[df["code"].str.match(ONS_CODE_RE.pattern)])
    return pd.concat(frames).drop_duplicates().reset_index(drop=True)


def read_ees_councils(raw_dir: Path = paths.RAW_OFFICIAL) -> pd.DataFrame:
    """Every distinct local-authority (time_period, old code, ONS code, name, region) in the
    explore-education-statistics files, with the file it came from."""
    import pandas as pd

    cols = ["time_period", "geographic_level", "region_code", "region_name", "old_la_code",
            "new_la_code", "la_name"]
    frames = []
    for rel in EES_FILES:
        df = _read(raw_dir, rel, encoding="utf-8-sig", usecols=cols)
        df = df[df["geographic_level"] == "Local authority"].drop_duplicates()
        frames.append(df.assign(file=rel))
    out = pd.concat(frames, ignore_index=True)
    out["time_period"] = out["time_period"].str[:4].astype(int)
    return out


def _join(values) -> str:
    seen: list[str] = []
    for v in values:
        if v and v not in seen:
            seen.append(v)
    return ";".join(seen)


def build_councils_table(raw_dir: Path = paths.RAW_OFFICIAL) -> pd.DataFrame:
    """Derive the councils table (see the module docstring for its columns) from the raw files."""
    import pandas as pd

    raw_dir = Path(raw_dir)
    cin = {rel: _read(raw_dir, rel, encoding=enc, usecols=["geog_l", "geog_c", "geog_n"])
           for rel, enc in CIN_FILES}
    base = cin["osr28-2010ud.csv"]
    base = base[base["geog_l"] == "LA"][["geog_c", "geog_n"]]
    if len(base) != 152:
        raise DataFileError(f"osr28-2010ud.csv: expected 152 council rows, found {len(base)}")

    cla = pd.concat([_read(raw_dir, rel, usecols=["New_geog_code", "geog_l", "geog_c", "geog_n"])
                     for rel in CLA_FILES])
    cla = cla[cla["geog_l"] == "LA"]
    cla_2011 = dict(zip(cla["geog_c"], cla["New_geog_code"]))  # first file wins: 2011 codes

    ees = read_ees_councils(raw_dir)
    single = ees[ees["old_la_code"].str.match(OLD_CODE_RE.pattern)]  # drop joint "314 / 318"
    single = single.sort_values(["old_la_code", "time_period"], kind="stable")

    names: dict[str, list[str]] = {}
    codes: dict[str, list[str]] = {}
    for rel, df in cin.items():
        for code, name in zip(df.loc[df["geog_l"] == "LA", "geog_c"],
                              df.loc[df["geog_l"] == "LA", "geog_n"]):
            names.setdefault(code, []).append(name)
    for code, name, ons in zip(cla["geog_c"], cla["geog_n"], cla["New_geog_code"]):
        names.setdefault(code, []).append(name)
        codes.setdefault(code, []).append(ons)
    for code, name, ons in zip(single["old_la_code"], single["la_name"], single["new_la_code"]):
        names.setdefault(code, []).append(name)
        codes.setdefault(code, []).append(ons)

    latest = single.groupby("old_la_code").last()  # latest EES row: current name and region
    earliest_code = single.groupby("old_la_code")["new_la_code"].first()

    rows = []
    old_codes = list(base["geog_c"]) + list(SUCCESSORS)
    for code in old_codes:
        in_2010 = code not in SUCCESSORS
        if code not in latest.index:
            raise DataFileError(f"council {code} is missing from the explore-education files")
        ees_row = latest.loc[code]
        if in_2010:
            ons = cla_2011.get(code) or earliest_code[code]  # Isles of Scilly: not in SFR21
        else:
            ons = ees_row["new_la_code"]
        region, region_code = ees_row["region_name"], ees_row["region_code"]
        dfe_region = region
        if region in ("Inner London", "Outer London"):
            region, region_code = _LONDON_REGION
        name = NAME_OVERRIDES.get(code, ees_row["la_name"])
        created, preds, note = SUCCESSORS.get(code, (None, (), ""))
        rows.append({
            "old_la_code": code, "ons_code": ons, "name": name, "region": region,
            "region_code": region_code, "dfe_region": dfe_region, "in_2010": in_2010,
            "from_year": created, "to_year": CEASED.get(code),
            "predecessors": ";".join(preds), "note": note,
            "_names": names.get(code, []), "_codes": codes.get(code, []),
        })
    table = pd.DataFrame(rows)

    # Other codes and spellings from the ONS files, matched by ONS code.
    by_ons: dict[str, str] = {}
    for r in rows:
        for c in [r["ons_code"], *r["_codes"]]:
            by_ons.setdefault(c, r["old_la_code"])
    ltla = _read(raw_dir, LTLA_FILE, encoding="utf-8-sig")
    extra = pd.concat([
        ltla[["UTLA23NM", "UTLA23CD"]].set_axis(["name", "code"], axis=1),
        read_popest_names(raw_dir),
    ]).drop_duplicates()
    extra = extra[extra["code"].isin(by_ons)]
    for name, code in zip(extra["name"], extra["code"]):
        i = old_codes.index(by_ons[code])
        rows[i]["_names"].append(name)
        rows[i]["_codes"].append(code)

    table["other_names"] = [_join(n for n in r["_names"] if n != r["name"]) for r in rows]
    table["other_ons_codes"] = [_join(c for c in r["_codes"] if c != r["ons_code"]) for r in rows]
    table = table[COLUMNS]
    table["from_year"] = table["from_year"].astype("Int64")
    table["to_year"] = table["to_year"].astype("Int64")
    return table


def build_out_of_scope_table(raw_dir: Path = paths.RAW_OFFICIAL) -> pd.DataFrame:
    """Councils named in the official files that do not run English children's services:
    English district councils (with the upper-tier council that does), Welsh, Scottish and
    Northern Irish councils. From the ONS lower/upper-tier lookup and the ONS population files."""
    import pandas as pd

    raw_dir = Path(raw_dir)
    ltla = _read(raw_dir, LTLA_FILE, encoding="utf-8-sig")
    rows = []
    for _, r in ltla.iterrows():
        if r["LTLA23CD"].startswith("W"):
            for nm in {r["LTLA23NM"], r["LTLA23NMW"]} - {""}:
                rows.append((nm, r["LTLA23CD"], "Welsh council", "", ""))
        elif r["LTLA23CD"] != r["UTLA23CD"]:
            rows.append((r["LTLA23NM"], r["LTLA23CD"], "district council",
                         r["UTLA23CD"], r["UTLA23NM"]))
    kinds = {"W": "Welsh council", "S": "Scottish council", "N": "Northern Irish council"}
    pop = read_popest_names(raw_dir)
    for name, code in zip(pop["name"], pop["code"]):
        if code[0] in kinds:
            rows.append((name, code, kinds[code[0]], "", ""))
    out = pd.DataFrame(rows, columns=OUT_OF_SCOPE_COLUMNS).drop_duplicates()
    return out.sort_values(["kind", "code", "name"]).reset_index(drop=True)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_councils_table(raw_dir: Path = paths.RAW_OFFICIAL, out_dir: Path = paths.REFERENCE
                         ) -> list[Path]:
    """Write `councils.csv`, `council_out_of_scope.csv` and the provenance sidecar
    `councils.provenance.json` (inputs with sha256, outputs with sha256, the function)."""
    raw_dir, out_dir = Path(raw_dir), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    outputs = {out_dir / COUNCILS_CSV.name: build_councils_table(raw_dir),
               out_dir / OUT_OF_SCOPE_CSV.name: build_out_of_scope_table(raw_dir)}
    for path, df in outputs.items():
        df.to_csv(path, index=False, lineterminator="\n")
    provenance = {
        "made_by": f"{__name__}.write_councils_table",
        "description": "Councils with children's services responsibilities (152 of 2010 plus "
                       "successors), and out-of-scope councils named in the official files.",
        "inputs": [{"path": f"data/raw/official/{rel}", "sha256": _sha256(raw_dir / rel)}
                   for rel in INPUT_FILES],
        "hand_written": {"successors": f"{__name__}.SUCCESSORS and CEASED",
                         "aliases": "data/reference/council_aliases.csv"},
        "outputs": [{"path": f"data/reference/{p.name}", "sha256": _sha256(p)} for p in outputs],
    }
    sidecar = out_dir / PROVENANCE_JSON.name
    sidecar.write_text(json.dumps(provenance, indent=2) + "\n", encoding="utf-8")
    return [*outputs, sidecar]


# --------------------------------------------------------------------------- load


def _read_table(path: Path, **kw) -> pd.DataFrame:
    import pandas as pd

    if not path.exists():
        raise DataFileError(f"reference table missing: {path} (run write_councils_table())")
    return pd.read_csv(path, dtype=str, keep_default_na=False, **kw)


@functools.lru_cache(maxsize=1)
def _councils_cached() -> pd.DataFrame:
    import pandas as pd

    df = _read_table(COUNCILS_CSV)
    df["in_2010"] = df["in_2010"].map({"True": True, "False": False})
    for col in ("from_year", "to_year"):
        df[col] = pd.to_numeric(df[col].replace("", None)).astype("Int64")
    return df


def load_councils() -> pd.DataFrame:
    """The committed councils table (a copy; the file is read once per process)."""
    return _councils_cached().copy()


def load_aliases() -> pd.DataFrame:
    """The hand-written alias table: `alias, old_la_code, kind, note`.

    kind `alias` names a council; `former_district` is a 2010 district council abolished since
    (old_la_code = the upper-tier council that ran its children's services); `split` is a
    council split before 2010 (old_la_code = `;`-separated successors)."""
    import pandas as pd

    # Read as the resolver reads it, so the two cannot disagree about what is a comment.
    return pd.DataFrame(_records(ALIASES_CSV, comments=True), columns=["alias", "old_la_code", "kind", "note"])


def _records(path: Path, comments: bool = False) -> list[dict[str, str]]:
    """A committed reference table as dicts of strings; with `comments`, rows whose first
    field starts with '#' are left out (the alias table's note to its readers).

    The resolver reads its three tables this way rather than with pandas: a command that only
    resolves a council name (`make profile`) then starts in a fraction of the time."""
    if not path.exists():
        raise DataFileError(f"reference table missing: {path} (run write_councils_table())")
    with path.open(newline="", encoding="utf-8-sig") as f:  # -sig: a spreadsheet's BOM is no column name
        rows = list(csv.DictReader(f))
    return [r for r in rows if not (comments and next(iter(r.values()), "").startswith("#"))]


# --------------------------------------------------------------------------- normalising names

_PREFIXES = [
    "council of the", "the", "london borough of", "royal borough of", "metropolitan borough of",
    "borough of", "city and county of", "city of", "county of", "county",
]
_SUFFIXES = [
    "metropolitan borough council", "metropolitan district council", "borough council",
    "district council", "county borough council", "city council", "county council",
    "unitary authority", "council", "royal borough", "city of", "county of", "ua", "mbc", "lbc",
    "county",
    "borough", "city",
]
# Stripping must leave something that still names the council: "City of London" is not "London".
_KEEP_PREFIX = "city of london"


def clean_name(name: str) -> str:
    """Lower case, accents and punctuation gone, "&" -> "and", "St."/"Saint" -> "st",
    footnote digits after a name ("Cheshire East5") dropped, spaces collapsed."""
    s = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    s = s.lower().replace("&", " and ")
    s = re.sub(r"(?<=[a-z])\d+\s*$", "", s.strip())
    s = re.sub(r"[^a-z0-9]+", " ", s)
    s = re.sub(r"\bsaint\b", "st", s)
    return " ".join(s.split())


def name_key(name: str) -> str:
    """`clean_name` without council-type words ("London Borough of", "City Council", ", City
    of", "County" ...). Place words stay, so "Derby" and "Derbyshire" keep different keys."""
    s = clean_name(name)
    changed = True
    while changed:
        changed = False
        for p in _PREFIXES:
            if s.startswith(_KEEP_PREFIX):
                break
            if s.startswith(p + " ") and len(s) > len(p) + 1:
                s, changed = s[len(p) + 1:], True
        for suf in _SUFFIXES:
            if s.endswith(" " + suf) and len(s) > len(suf) + 1:
                s, changed = s[: -len(suf) - 1], True
    return s


# --------------------------------------------------------------------------- the index


@dataclass(frozen=True)
class _OutOfScope:
    name: str
    reason: str
    runner: str = ""  # for a district: the council that runs its children's services


class _Index:
    """Lookup structures built once from the committed tables."""

    def __init__(self) -> None:
        self.councils: dict[str, Council] = {}
        self.by_code: dict[str, str] = {}
        self.full: dict[str, set[str]] = {}
        self.key: dict[str, set[str]] = {}
        for r in _records(COUNCILS_CSV):
            c = Council(
                old_la_code=r["old_la_code"], ons_code=r["ons_code"], name=r["name"], region=r["region"],
                in_2010={"True": True, "False": False}[r["in_2010"]],
                predecessors=tuple(p for p in r["predecessors"].split(";") if p),
                from_year=int(r["from_year"]) if r["from_year"] else None,
                to_year=int(r["to_year"]) if r["to_year"] else None,
            )
            self.councils[c.old_la_code] = c
            for code in [c.old_la_code, c.ons_code, *filter(None, r["other_ons_codes"].split(";"))]:
                self.by_code[code.upper()] = c.old_la_code
            for nm in [c.name, *filter(None, r["other_names"].split(";"))]:
                self._add_name(nm, c.old_la_code)

        self.oos_full: dict[str, _OutOfScope] = {}
        self.oos_key: dict[str, _OutOfScope] = {}
        self.oos_code: dict[str, _OutOfScope] = {}
        self.split: dict[str, tuple[str, ...]] = {}
        for r in _records(OUT_OF_SCOPE_CSV):
            if r["kind"] == "district council":
                runner = self.by_code.get(r["upper_tier_code"])
                runner_name = self.councils[runner].name if runner else r["upper_tier_name"]
                reason = (f"out of scope (district council: children's services are run by "
                          f"{runner_name})")
                o = _OutOfScope(r["name"], reason, runner_name)
            else:
                o = _OutOfScope(r["name"], f"out of scope ({r['kind']})")
            self._add_oos(r["name"], o)
            self.oos_code.setdefault(r["code"].upper(), o)

        for r in _records(ALIASES_CSV, comments=True):
            codes = tuple(c for c in r["old_la_code"].split(";") if c)
            if r["kind"] == "alias":
                self._add_name(r["alias"], codes[0], full_only=False)
            elif r["kind"] == "former_district":
                runner = self.councils[codes[0]].name
                reason = (f"out of scope (district council, abolished {r['note']}: children's "
                          f"services were run by {runner})")
                self._add_oos(r["alias"], _OutOfScope(r["alias"], reason, runner))
            elif r["kind"] == "split":
                self.split[name_key(r["alias"])] = codes
                self.split[clean_name(r["alias"])] = codes

        self.candidate_keys: dict[str, str] = {}  # key -> display name, for difflib
        for code, c in self.councils.items():
            self.candidate_keys.setdefault(name_key(c.name), c.name)

    def _add_name(self, name: str, code: str, full_only: bool = False) -> None:
        self.full.setdefault(clean_name(name), set()).add(code)
        if not full_only:
            self.key.setdefault(name_key(name), set()).add(code)

    def _add_oos(self, name: str, o: _OutOfScope) -> None:
        self.oos_full.setdefault(clean_name(name), o)
        self.oos_key.setdefault(name_key(name), o)

    def out_of_scope(self, name: str, o: _OutOfScope, suggest: bool = True) -> CouncilNotFound:
        """The error for an out-of-scope name: a district's candidates start with its runner."""
        cands = [o.runner] if o.runner else []
        cands += [c for c in (self.closest(name) if suggest else []) if c not in cands]
        return CouncilNotFound(name, cands[:3], o.reason)

    def closest(self, text: str, n: int = 3) -> list[str]:
        key = name_key(text)
        keys = difflib.get_close_matches(key, list(self.candidate_keys), n=n, cutoff=0.6)
        # A misspelt first word ("Brighten") is far from the whole name ("brighton and hove"):
        # also compare it with the same number of leading characters of each name.
        # real_quick_ratio and quick_ratio are upper bounds of ratio: they skip most names cheaply.
        scored = []
        matcher = difflib.SequenceMatcher(None, key)
        for k in self.candidate_keys if len(key) >= 4 else ():
            matcher.set_seq2(k[:len(key)])
            if matcher.real_quick_ratio() >= 0.8 and matcher.quick_ratio() >= 0.8:
                scored.append((matcher.ratio(), k))
        scored.sort(reverse=True)
        keys += [k for score, k in scored[:n] if score >= 0.8 and k not in keys]
        names = list(dict.fromkeys(self.candidate_keys[k] for k in keys))
        return names[:n]


@functools.lru_cache(maxsize=1)
def _index() -> _Index:
    return _Index()


def _pick(name: str, codes: set[str], year: int) -> Council:
    idx = _index()
    councils = sorted((idx.councils[c] for c in codes), key=lambda c: c.old_la_code)
    if len(councils) == 1:
        return councils[0]
    active = [c for c in councils if c.active_in(year)]
    if len(active) == 1:
        return active[0]
    raise CouncilNotFound(name, [c.name for c in councils], "ambiguous")


def resolve(name: str, year: int = REFERENCE_YEAR, *, suggest: bool = True) -> Council:
    """The council a name or code refers to.

    `name` may be a council name in any common form ("London Borough of Barnet", "Brighton &
    Hove", "Hull City Council"), a DfE three-digit code ("302") or an ONS code ("E09000003",
    including codes DfE/ONS used for the same council in other years). `year` settles names
    that fit councils of different eras ("Dorset": the county council before 2019, the unitary
    Dorset Council from 2019).

    Raises `CouncilNotFound` with `reason` "unknown", "ambiguous" (fits several councils, or is
    a joint row such as "Kingston upon Thames / Richmond upon Thames"), or "out of scope (...)"
    for Welsh, Scottish, Northern Irish and English district councils; `candidates` holds the
    closest council names (left empty with `suggest=False`, which a caller trying many pieces of
    text uses: finding the closest names is the slow part).
    """
    idx = _index()
    text = " ".join(str(name).split())
    if "/" in text:  # DfE's joint rows, e.g. "314 / 318" (a shared workforce return)
        parts = [resolve(p, year, suggest=suggest) for p in text.split("/") if p.strip()]
        names = [c.name for c in parts]
        raise CouncilNotFound(name, names, "ambiguous (joint figures for "
                              + " and ".join(names) + ")")
    upper = text.upper()
    if OLD_CODE_RE.match(upper) or ONS_CODE_RE.match(upper):
        if upper in idx.by_code:
            return idx.councils[idx.by_code[upper]]
        if upper in idx.oos_code:
            raise idx.out_of_scope(name, idx.oos_code[upper], suggest)
        if upper.startswith(("W", "S", "N")):
            kind = {"W": "Welsh", "S": "Scottish", "N": "Northern Irish"}[upper[0]]
            raise CouncilNotFound(name, [], f"out of scope ({kind} code)")
        raise CouncilNotFound(name, [], "unknown")

    full, key = clean_name(text), name_key(text)
    if not key:
        raise CouncilNotFound(name, [], "unknown")
    for table, k in ((idx.full, full), (idx.key, key)):
        if k in table:
            return _pick(name, table[k], year)
    for k in (full, key):
        if k in idx.split:
            names = [idx.councils[c].name for c in idx.split[k]]
            raise CouncilNotFound(name, names, "ambiguous (split in 2009 into "
                                  + " and ".join(names) + ")")
    for table, k in ((idx.oos_full, full), (idx.oos_key, key)):
        if k in table:
            raise idx.out_of_scope(name, table[k], suggest)

    # Last resort: the start of exactly one council's name ("Southend", "Windsor"), word-wise.
    hits = {c for k, codes in idx.key.items() if k.startswith(key + " ") for c in codes}
    oos_hits = {o.name for k, o in idx.oos_key.items() if k.startswith(key + " ")}
    if len(hits) == 1 and not oos_hits:
        return _pick(name, hits, year)
    if hits or oos_hits:
        names = sorted({idx.councils[c].name for c in hits} | oos_hits)
        if len(hits) > 1 or oos_hits:
            raise CouncilNotFound(name, names[:5], "ambiguous")
    raise CouncilNotFound(name, idx.closest(text) if suggest else [], "unknown")


def names_of(council: Council) -> list[str]:
    """Every name (as `clean_name` writes it) and code the resolver takes for this council: its
    names in the tables and the aliases, its DfE code and every ONS code it has had, lower case.
    What a page's search matches, so that it finds whatever `make profile` takes."""
    idx = _index()
    code = council.old_la_code
    names = sorted(k for k, codes in idx.full.items() if code in codes)
    codes = sorted(k.lower() for k, c in idx.by_code.items() if c == code)
    return names + codes


def get(code: str) -> Council:
    """The council with this old three-digit or ONS code (strict: no name matching)."""
    idx = _index()
    key = str(code).strip().upper()
    if key not in idx.by_code:
        raise CouncilNotFound(str(code), [], "unknown")
    return idx.councils[idx.by_code[key]]


def councils(in_2010: bool | None = None) -> list[Council]:
    """All councils in the table, optionally only those of 2010 (True) or the successors."""
    return [c for c in _index().councils.values() if in_2010 is None or c.in_2010 == in_2010]


def councils_on(day) -> list[Council]:
    """The councils with children's services on `day` (a date), boundary changes applied: the
    152 of 2010 until 31 March 2019, 153 after the changes of 2019, 2021 and 2023."""
    return [c for c in _index().councils.values() if c.active_on(day)]


CHANGES_CSV = paths.REFERENCE / "council_changes.csv"
#: The columns of `data/reference/council_changes.csv` (README, "Comparing rounds").
CHANGE_COLUMNS = ["change_id", "kind", "effective_date", "codes_before", "codes_after", "ons_before",
                  "ons_after", "what_changed", "first_dfe_year_after", "source", "source_url"]


def load_changes() -> list[dict[str, str]]:
    """The committed table of changes to councils since 2010, one row each: reorganisations
    (`kind` `reorganisation`: the old councils in `codes_before`, the new in `codes_after`, DfE
    codes `;`-separated) and changes of ONS code alone (`code_change`: the same council, one
    DfE code). Every row names its source (the statutory instrument, or the official file
    where the new code first appears)."""
    rows = _records(CHANGES_CSV)
    if rows and list(rows[0]) != CHANGE_COLUMNS:
        raise DataFileError(f"{CHANGES_CSV}: expected columns {CHANGE_COLUMNS}, found {list(rows[0])}")
    return rows


def covers(code: str) -> list[Council]:
    """The 2010 councils whose area a council covers: a successor's predecessors, or a 2010
    council itself. `code` may be any code or name `resolve` accepts."""
    c = resolve(code) if not isinstance(code, Council) else code
    if c.in_2010:
        return [c]
    return [get(p) for p in c.predecessors]


def successors(code: str) -> list[Council]:
    """The councils created after 2010 that cover part or all of a 2010 council's area."""
    c = resolve(code) if not isinstance(code, Council) else code
    return [s for s in councils(in_2010=False) if c.old_la_code in s.predecessors]


# --------------------------------------------------------------------------- command line


def _cmd_resolve(args: argparse.Namespace) -> int:
    failed = False
    for name in args.names:
        try:
            c = resolve(name, year=args.year)
        except CouncilNotFound as err:
            print(f"error: {err}", file=sys.stderr)
            failed = True
            continue
        print("\t".join([name, c.old_la_code, c.ons_code, c.name]))
    return 2 if failed else 0


def _cmd_list(args: argparse.Namespace) -> int:
    load_councils().to_csv(sys.stdout, sep="\t", index=False, lineterminator="\n")
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    for path in write_councils_table():
        print(path)
    return 0


def register(subparsers) -> None:
    """Add `councils resolve NAME...`, `councils list` and `councils build`."""
    parser = subparsers.add_parser(
        "councils", help="resolve council names and codes; list the councils table",
        description="Council identity: the 152 councils of 2010 and their successors.")
    sub = parser.add_subparsers(dest="councils_command", metavar="SUBCOMMAND", required=True)
    p = sub.add_parser("resolve", help="print code and canonical name for each NAME",
                       description="For each NAME print: input, old code, ONS code, name "
                                   "(tab-separated). Exit status 2 if any NAME is unresolved.")
    p.add_argument("names", nargs="+", metavar="NAME")
    p.add_argument("--year", type=int, default=REFERENCE_YEAR,
                   help="year that settles names of councils of different eras (default 2010)")
    p.set_defaults(func=_cmd_resolve)
    p = sub.add_parser("list", help="print the councils table as TSV")
    p.set_defaults(func=_cmd_list)
    p = sub.add_parser("build", help="rebuild data/reference/councils.csv from the raw files")
    p.set_defaults(func=_cmd_build)
