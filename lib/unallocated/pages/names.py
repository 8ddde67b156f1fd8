"""What the pages are called: the national notebooks in reading order, the council report's
notebook, and the one file name every link to a council's report uses."""
from __future__ import annotations

import re

#: The investigation's notebooks run with their default parameters, in reading order.
NATIONAL = ["01-national-picture", "02-definitions", "03-corrections", "05-timelines", "06-fact-check"]
PROFILE = "04-council-profile"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def report_stem(council) -> str:
    """A council's report file name without its suffix ("370-barnsley"): the one name the
    report, its charts, the front page and the links between reports all use."""
    return f"{council.old_la_code}-{slug(council.name)}"
