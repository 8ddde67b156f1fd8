"""Notebook parameters that cannot go wrong quietly.

Each notebook's cell tagged `parameters` declares its parameters with a type and a comment,

    council: str = "Sunderland"  # any name the council resolver takes, or a DfE code
    apply_corrections: bool = True  # true or false

(so `papermill --help-notebook` lists them), and the cell after it runs

    from unallocated.run import parameters
    parameters.check_notebook(globals())

That cell sees the parameters whichever way the notebook was run (papermill's injected cell,
`make profile`, `make reproduce`, JupyterLab after editing the cell) and refuses, before anything
is read or written, a parameter the cell does not declare (`-p councll Barnsley`) or a bad value
(an unknown council or definition, `-p apply_corrections no`: a boolean is only true or false),
with one line that names it and lists the valid ones. `check` does the same for the runner
before a notebook is started.

Pandas is never imported here: `make profile` checks its parameters while its kernel boots.
"""
from __future__ import annotations

import ast
import io
import json
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from unallocated.errors import UnallocatedError

#: The annotations a parameters cell may use.
TYPES = ("str", "int", "float", "bool", "list[str]")


class ParameterError(UnallocatedError, ValueError):
    """A notebook parameter that does not exist or has a bad value.

    In a notebook it is shown as its one line, without a traceback (IPython, and so JupyterLab,
    nbclient and papermill, display `_render_traceback_()` in place of the traceback)."""

    def _render_traceback_(self) -> list[str]:
        return [f"{type(self).__name__}: {self}"]


@dataclass(frozen=True)
class Parameter:
    """One declared parameter: its name, type (one of `TYPES`), default and help comment."""

    name: str
    type: str
    default: Any
    help: str = ""


def _type_of_default(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, list):
        return "list[str]"
    return type(value).__name__


def declared(source: str, where: str = "parameters cell") -> dict[str, Parameter]:
    """The parameters a parameters cell declares, in order. An unannotated assignment takes the
    type of its default (for notebooks outside the project)."""
    comments = {}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            comments[tok.start[0]] = tok.string.lstrip("#").strip()
    found: dict[str, Parameter] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            name, kind = node.target.id, ast.unparse(node.annotation).replace(" ", "")
            if kind not in TYPES:
                raise ParameterError(f"{where}: parameter {name!r} has type {kind!r}; use one of {', '.join(TYPES)}")
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name, kind = node.targets[0].id, None
        else:
            continue
        default = ast.literal_eval(node.value) if node.value is not None else None
        found[name] = Parameter(name, kind or _type_of_default(default), default, comments.get(node.lineno, ""))
    return found


def of_notebook(notebook: Path) -> dict[str, Parameter]:
    """The parameters declared by the notebook's cell tagged `parameters`."""
    notebook = Path(notebook)
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if cell["cell_type"] == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            return declared(source, notebook.stem)
    raise ParameterError(f"{notebook.name}: no cell tagged 'parameters'")


# --- values ------------------------------------------------------------------------------------

def _typed(name: str, kind: str, value: Any) -> Any:
    """`value` as `kind`, or a ParameterError. Booleans are only true and false (papermill's
    `-p x no` passes the string 'no', which Python would take as true)."""
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        raise ParameterError(f"parameter {name!r} must be true or false, got {value!r}")
    if kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise ParameterError(f"parameter {name!r} must be int (a whole number), got {value!r}")
    if kind == "float":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        raise ParameterError(f"parameter {name!r} must be float (a number), got {value!r}")
    if kind == "list[str]":
        if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
            return list(value)
        raise ParameterError(f"parameter {name!r} must be a list of names (e.g. -y '{name}: [Essex, Leeds]'), "
                             f"got {value!r}")
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # papermill's `-p council 302` passes the number 302
    raise ParameterError(f"parameter {name!r} must be str, got {value!r}")


def _council(name: str, value: str) -> str:
    from unallocated.sources.councils import resolve
    from unallocated.errors import CouncilNotFound

    try:
        return resolve(value).name
    except CouncilNotFound as err:
        closest = f"; closest: {' | '.join(err.candidates)}" if err.candidates else ""
        raise ParameterError(f"parameter {name!r}: {err.reason} council {value!r}{closest} "
                             "(any name the resolver takes, or a DfE code)") from None


def _definition(name: str, value: str) -> str:
    from unallocated.model.categories import DEFINITIONS

    if value not in DEFINITIONS:
        raise ParameterError(f"parameter {name!r}: unknown definition {value!r}; valid: {', '.join(DEFINITIONS)}")
    return value


def _view(name: str, value: str) -> str:
    views = ("as_corrected", "as_published")
    if value not in views:
        raise ParameterError(f"parameter {name!r}: unknown view {value!r}; valid: {', '.join(views)}")
    return value


def _round(name: str, value: str) -> str:
    from unallocated.rounds.round import RoundError, get

    try:
        return get(value).name
    except RoundError as err:
        raise ParameterError(f"parameter {name!r}: {err}") from None


def _councils(name: str, value: list[str]) -> list[str]:
    return [_council(name, v) for v in value]


def _positive(name: str, value: int) -> int:
    if value <= 0:
        raise ParameterError(f"parameter {name!r} must be at least 1, got {value}")
    return value


def _existing_file(name: str, value: str) -> str:
    from unallocated.paths import project_path

    if not project_path(value).is_file():
        raise ParameterError(f"parameter {name!r}: no file {value!r} (a path from the project root)")
    return value


#: What a parameter's value must be, by name, beyond its type. Each returns the value to use.
CHECKS = {
    "council": _council,
    "definition": _definition,
    "view": _view,
    "councils_shown": _councils,
    "top": _positive,
    "claims_file": _existing_file,
    "round": _round,
    "against": _round,
}


def check(values: dict[str, Any], parameters: dict[str, Parameter], where: str = "") -> dict[str, Any]:
    """`values` checked against the declared `parameters`: names, types and values. Returns the
    values to use (booleans from 'true'/'false', a council by its canonical name)."""
    prefix = f"{where}: " if where else ""
    unknown = [n for n in values if n not in parameters]
    if unknown:
        plural = "s" if len(unknown) > 1 else ""
        raise ParameterError(f"{prefix}unknown parameter{plural} {', '.join(map(repr, unknown))}; "
                             f"valid: {', '.join(parameters) or '(none)'}")
    checked = {}
    for name, value in values.items():
        try:
            value = _typed(name, parameters[name].type, value)
            checked[name] = CHECKS[name](name, value) if name in CHECKS else value
        except ParameterError as err:
            raise ParameterError(f"{prefix}{err}") from None
    return checked


def check_notebook(namespace: dict[str, Any]) -> None:
    """The notebook's check, run by the cell after the parameters: refuse unknown names and bad
    values (`ParameterError`, one line); put the checked values back; say where outputs go.

    The declared parameters are the names the parameters cell annotated (Python records them in
    the namespace's `__annotations__`). An unknown name is one assigned, without a declaration,
    by the cell run just before this one: papermill's injected cell, or the parameters cell
    itself when edited in JupyterLab."""
    annotations = namespace.get("__annotations__", {})
    parameters = {name: Parameter(name, _annotation_text(kind), None) for name, kind in annotations.items()}
    if not parameters:
        raise ParameterError("no declared parameters: run the cell tagged 'parameters' first")
    values = {name: namespace[name] for name in parameters if name in namespace}
    values.update({name: namespace.get(name) for name in _assigned_before(namespace) if name not in parameters})
    checked = check(values, parameters)
    namespace.update(checked)
    from unallocated import paths

    paths.work_on_round(checked.get("round", "2010"))
    if checked.get("round", "2010") != "2010":
        # 07 compares rounds and the council report writes its text from the round: only the
        # national notebooks 01-03 carry 2010's prose between their tables
        _round_banner(checked["round"], written_for_2010="against" not in checked and "council" not in checked)

    if paths.OUTPUTS == paths.SCRATCH:
        shown = paths.SCRATCH.relative_to(paths.ROOT)
        print(f"Run by hand: anything this notebook writes goes to {shown}/, not outputs/ "
              "(`make reproduce` writes outputs/; or set UNALLOCATED_OUTPUTS).")


def _round_banner(name: str, written_for_2010: bool = True) -> None:
    """Say, at the top of a notebook run on a round other than 2010, which round it is and what
    its numbers are (and, for a notebook written for 2010, that its text is 2010's)."""
    from unallocated.rounds.round import get

    r = get(name)
    where = paths_text(r.outputs)
    text = f"**This page is {r.label}.** "
    if written_for_2010:
        text += ("Its tables and charts are that round's; the text between them was written for the 2010 "
                 "round and the 2010 coverage (the figures it names, such as Barnsley's correction, are not "
                 "this round's). ")
    text += f"Figures and tables are saved under `{where}/`."
    if r.simulated:
        text += (" Every count from this round's returns is SIMULATED by the project's seeded "
                 "generator: an illustration of the method, not a finding.")
    try:
        from IPython.display import Markdown, display

        display(Markdown(text))
    except ImportError:  # pragma: no cover - IPython ships with the environment
        print(text)


def paths_text(path: Path) -> str:
    from unallocated import paths

    return str(path.relative_to(paths.ROOT)) if path.is_relative_to(paths.ROOT) else str(path)


def _annotation_text(kind: Any) -> str:
    text = kind if isinstance(kind, str) else getattr(kind, "__name__", str(kind))
    text = str(kind) if "[" in str(kind) and not isinstance(kind, str) else text
    return text.replace(" ", "").replace("typing.", "").replace("List", "list")


def _assigned_before(namespace: dict[str, Any]) -> list[str]:
    """Names assigned without an annotation by the previous cell, if it was papermill's injected
    cell or a parameters cell (IPython keeps each cell's source in `In`, the current one last)."""
    history = namespace.get("In") or []
    if len(history) < 2:
        return []
    source = history[-2]
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return []
    injected = source.lstrip().startswith("# Parameters")
    if not injected and not any(isinstance(n, ast.AnnAssign) for n in body):
        return []  # some other cell: not one that sets parameters
    return [t.id for n in body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)]
