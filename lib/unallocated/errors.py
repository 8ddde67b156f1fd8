"""Errors the project raises on purpose. Each message names what was wrong and where."""


class UnallocatedError(Exception):
    """Base class: printed by the command line without a traceback, exit status 2."""


class DataFileError(UnallocatedError):
    """A raw data file is missing, corrupt, or cannot be read."""


class CouncilNotFound(UnallocatedError, LookupError):
    """A council name could not be resolved to exactly one council."""

    def __init__(self, name: str, candidates: list[str], reason: str = "unknown"):
        self.name = name
        self.candidates = candidates
        self.reason = reason
        hint = f"; closest: {' | '.join(candidates)}" if candidates else ""
        super().__init__(f"{reason} council name {name!r}{hint}")


class ReturnReadError(UnallocatedError):
    """An FOI return cannot be read at all (empty, not a spreadsheet, encrypted, bad encoding)."""
