"""The fact-check: each published claim's wording, re-derived from the returns and the official
statistics, with a verdict and what it rests on.

    wording   what "almost", "more than", "a quarter", "all but N" mean, as intervals
    claims    the claims register and the verdict on each claim
    report    the verdict table and its page (factcheck.csv, factcheck.html)

Nothing below `factcheck` imports it; `python -m unallocated factcheck` is `unallocated.run`'s.
"""

#: The old module's public names, now in `report` (and `project_path`, now in `unallocated.paths`).
_REPORT_NAMES = {"run", "summary", "by_evidence", "text_table", "to_html", "project_path", "DEFAULT_OUT",
                 "NOTEBOOK", "COLOURS", "CLAIMS_PATH", "EVIDENCE", "EVIDENCE_LABELS", "Verdict"}


def __getattr__(name: str):
    """`unallocated.factcheck` was the report's module until December 2026: its names
    (`factcheck.run`, `factcheck.summary`, ...) keep working for one release, with a warning."""
    import importlib
    import warnings

    if name not in _REPORT_NAMES:  # a submodule (`from unallocated.factcheck import wording`) or a typo
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    report = importlib.import_module(f"{__name__}.report")
    warnings.warn(f"{__name__}.{name} has moved to {__name__}.report.{name}; the old path goes "
                  f"in the next release", DeprecationWarning, stacklevel=2)
    return getattr(report, name)
