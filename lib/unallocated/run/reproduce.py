"""`make reproduce`: every notebook on the shipped data, the 158 council reports (the 152
councils of 2010 and the 6 created since), each later round's pages and its tracker page, the
front page, and a summary.

Outputs go to `outputs/`: executed notebooks and their HTML (`outputs/notebooks/`,
`outputs/profiles/`), figures with the CSV of what they draw (`outputs/figures/`), tables
(`outputs/tables/`), and a later round's under `outputs/rounds/NAME/`. A notebook that fails does not stop the rest; the summary names it, its
failing cell and its error, and the command exits 1.

Incremental: each output records a hash of what it was made from (the notebook, its
parameters, the library's source, and the data it reads: for a council profile only that
council's rows of the returns, the corrections register and the official tables). An output
whose inputs have not changed is skipped, unless one of the files it wrote (the notebook, its
HTML, its figures, tables and charts) changed or vanished since: the state records each file's
SHA-256, and the summary says which job was rebuilt and why. `--force` reruns everything.

What a job no longer writes goes: a figure or chart a job wrote before and did not write again
when it reran (a council's chart once its return is removed), and every file of a job that is
no longer planned. Ctrl-C stops a run with one line and exit status 130; the jobs that finished
are kept in the state, so the next run carries on from there, and every page left built from an
older state of the data than the rest (and the front page) is marked so on the page until it is
rebuilt.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from unallocated import paths
from unallocated.hashing import hash_bytes, hash_files, hash_json, hash_tree, library_hash
from unallocated.pages.names import NATIONAL, PROFILE, report_stem, slug  # noqa: F401 (slug: re-exported)
from unallocated.run.runner import Job, Result, describe_failure, run_jobs, validate_parameters

STATE = paths.OUTPUTS / ".state.json"


def _data_files() -> list[Path]:
    """Everything the national notebooks read: the returns (wherever they are), the registers
    in data/ and the reference tables."""
    files = [p for p in paths.RAW_RETURNS.rglob("*") if p.is_file()]
    files += [p for p in paths.DATA.glob("*.csv")] + [p for p in paths.REFERENCE.glob("*") if p.is_file()]
    return files


def _side_outputs(job: Job) -> list[Path]:
    """Files a job writes besides itself: for a national notebook, figures and tables named with
    its number ("01-") and the fact-check's report; for a council's report, its charts and the
    CSVs behind its tables (`profiles/charts/`). A missing one makes the job rerun."""
    if job.notebook.stem == PROFILE:
        from unallocated.sources.councils import resolve

        charts = paths.OUTPUTS / "profiles" / "charts"
        definition = job.parameters.get("definition", "no_professional")
        base = report_stem(resolve(job.parameters["council"]))
        return sorted({*charts.glob(f"{base}-official.*"), *charts.glob(f"{base}-return.csv"),
                       *charts.glob(f"{base}-definitions-*-{definition}.*"), *charts.glob(f"{base}-cases-{definition}.csv")})
    prefix = job.notebook.stem[:3]
    where = job.output.parent.parent  # outputs/, or outputs/rounds/NAME/ for a later round's pages
    found = [p for folder in ("figures", "tables") for p in sorted((where / folder).glob(f"{prefix}*"))]
    if job.notebook.stem.startswith("06-"):
        found += sorted((paths.OUTPUTS / "factcheck").glob("factcheck.*"))
    return found


def national_jobs() -> list[Job]:
    jobs = []
    for name in NATIONAL:
        notebook = paths.NOTEBOOKS / f"{name}.ipynb"
        if notebook.exists():
            jobs.append(Job(notebook, {}, paths.OUTPUTS / "notebooks" / f"{name}.ipynb", name))
    return jobs


def round_jobs() -> list[Job]:
    """The pages of every round but 2010, under `outputs/rounds/NAME/notebooks/`: the national
    notebooks that read a round's returns (01 to 03, each saying on its page which round it is
    and what its numbers are) and the comparison with 2010 (07)."""
    from unallocated.pages.tracker import ROUND_NOTEBOOKS, later_rounds

    jobs = []
    for r in later_rounds():
        for name in ROUND_NOTEBOOKS:
            notebook = paths.NOTEBOOKS / f"{name}.ipynb"
            if notebook.exists():
                jobs.append(Job(notebook, {"round": r.name}, r.outputs / "notebooks" / f"{name}.ipynb", f"{name} ({r.name})"))
    return jobs


def profile_job(council: str, definition: str | None = None, apply_corrections: bool | None = None,
                round: str | None = None) -> Job:  # noqa: A002 (the notebook's parameter)
    """One council's profile, its parameters checked (the council resolved) before anything runs.
    A round other than 2010 writes under that round's outputs (`outputs/rounds/NAME/profiles/`)."""
    from unallocated.rounds.round import DEFAULT, get
    from unallocated.sources.councils import resolve

    notebook = paths.NOTEBOOKS / f"{PROFILE}.ipynb"
    params: dict = {"council": council}
    if definition is not None:
        params["definition"] = definition
    if apply_corrections is not None:
        params["apply_corrections"] = apply_corrections
    if round not in (None, DEFAULT):
        params["round"] = get(round).name
    params = validate_parameters(notebook, params)
    who = resolve(council)
    suffix = "" if definition in (None, "no_professional") and apply_corrections in (None, True) else \
        f"-{definition or 'no_professional'}{'' if apply_corrections in (None, True) else '-as-published'}"
    out = get(round or DEFAULT).outputs / "profiles" / f"{report_stem(who)}{suffix}.ipynb"
    return Job(notebook, params, out, f"profile {who.name}" + (f" ({params['round']})" if "round" in params else ""))


def profile_jobs() -> list[Job]:
    """A report for each of the 152 councils of 2010 and each of the 6 created since (whose
    reports show their predecessors' returns, and which the predecessors' reports link to)."""
    from unallocated.sources.councils import councils

    return [profile_job(c.name) for c in councils(in_2010=True)] + \
        [profile_job(c.old_la_code) for c in councils(in_2010=False)]


def _job_hashes(jobs: list[Job]) -> dict[Path, str]:
    """What each output is made from, as one hash per job."""
    from unallocated.rounds import dataset

    council_rows = dataset.council_hashes(dataset.ROUND_2010)  # also warms the workers' parquet cache
    lib = library_hash()
    shared = hash_files([p for p in paths.REFERENCE.glob("*") if p.is_file()] + [paths.DATA / "corrections.csv"])
    everything = hash_files(_data_files())
    out = {}
    for job in jobs:
        base = hash_bytes(job.notebook.read_bytes(), hash_json(job.parameters).encode(), lib.encode())
        if job.notebook.stem == PROFILE:
            from unallocated.sources.councils import resolve

            code = resolve(job.parameters["council"]).old_la_code
            if job.parameters.get("round", "2010") != "2010":  # a later round: its whole folder
                rows = hash_files(sorted(p for p in (paths.RAW_RETURNS / job.parameters["round"]).rglob("*")
                                         if p.is_file())).encode()
            else:
                rows = council_rows.get(code, "no return").encode()
            out[job.output] = hash_bytes(base.encode(), shared.encode(), rows)
        else:
            out[job.output] = hash_bytes(base.encode(), everything.encode())
    return out


def _load_state() -> dict[str, str]:
    try:
        return json.loads(STATE.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def _save_state(state: dict[str, str]) -> None:
    STATE.parent.mkdir(parents=True, exist_ok=True)
    tmp = STATE.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=1, sort_keys=True))
    tmp.replace(STATE)


def _state_key(path: Path) -> str:
    """An output's key in the state: its path within the outputs folder, so a copied or moved
    outputs folder keeps its state (outside it: the full path)."""
    return str(path.relative_to(paths.OUTPUTS)) if path.is_relative_to(paths.OUTPUTS) else str(path)


def _key(path: Path) -> str:
    """The path as shown and stored: relative to the project when it is inside it."""
    return str(path.relative_to(paths.ROOT)) if path.is_relative_to(paths.ROOT) else str(path)


#: Why each job of the last `run` was rebuilt when its inputs had not changed ({label: reason}).
REBUILT: dict[str, str] = {}


def _file_record(path: Path, old: dict | None = None) -> dict:
    """Size, mtime and SHA-256 of a written file; the hash is reused while size and mtime hold."""
    import hashlib

    st = path.stat()
    if isinstance(old, dict) and old.get("size") == st.st_size and old.get("mtime_ns") == st.st_mtime_ns:
        return old
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}


def _written(job: Job) -> list[Path]:
    return [job.output, job.html] + _side_outputs(job)


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during a run: what finished is kept; the message is the one line a person sees."""


#: Files a run removed because the job that wrote them no longer does ({path: why}).
REMOVED: dict[str, str] = {}


def _owned(state_key: str) -> bool:
    return state_key.startswith(("notebooks/", "profiles/", "rounds/"))


def remove_unplanned(planned: list[Job], state: dict) -> None:
    """Remove every file of a job `make reproduce` recorded and no longer plans (a notebook taken
    out of the reading order, a council gone from the table), and its record."""
    wanted = {_state_key(j.output) for j in planned}
    for key in [k for k, v in state.items() if isinstance(v, dict) and v.get("by") == "reproduce"]:
        if key in wanted or not _owned(key):
            continue
        for name in (state[key].get("files") or {}):
            path = paths.OUTPUTS / name
            if path.exists():
                path.unlink()
                REMOVED[_key(path)] = "its job is no longer planned"
        state.pop(key)


def _record(result: Result, state: dict, hashes: dict[Path, str], owner: str) -> None:
    """Keep a finished job in the state: its inputs' hash and each file it wrote. A side output
    it wrote on an earlier run and did not write again (same size and time as recorded) is one it
    no longer makes: it is removed."""
    key = _state_key(result.job.output)
    if not result.ok:
        state.pop(key, None)
        return
    before = state.get(key, {}) if isinstance(state.get(key), dict) else {}
    old = before.get("files", {}) if isinstance(before.get("files"), dict) else {}
    names = {str(p.relative_to(paths.OUTPUTS) if p.is_relative_to(paths.OUTPUTS) else p) for p in _written(result.job)}
    files = {}
    for name in sorted(names | set(old)):
        path = paths.OUTPUTS / name
        if not path.exists():
            continue
        record = _file_record(path, old.get(name))
        mine = name in (str(p.relative_to(paths.OUTPUTS)) for p in (result.job.output, result.job.html)
                        if p.is_relative_to(paths.OUTPUTS))
        if not mine and name in old and record is old[name]:  # not rewritten by this run: no longer made
            path.unlink()
            REMOVED[_key(path)] = f"{result.job.label or key} no longer writes it"
            continue
        files[name] = record
    state[key] = {"inputs": hashes[result.job.output], "files": files,
                  "by": before.get("by", owner) if before.get("inputs") else owner}


STALE_MARK = "unallocated-stale-page"


def mark_stale(page: Path, why: str) -> bool:
    """Put a notice at the top of a page built from an older state of the data than the rest
    (it stays until the page is rebuilt). False when there is no such page."""
    import html as html_lib

    if not page.exists():
        return False
    text = page.read_text(encoding="utf-8")
    if STALE_MARK in text:
        return True
    notice = (f'<div id="{STALE_MARK}" role="alert" style="border:3px solid #b00;background:#fff0f0;color:#600;'
              f'padding:.6rem .9rem;margin:.6rem;font:600 1rem sans-serif">This page was built from an older state '
              f"of the data than the pages rebuilt since: {html_lib.escape(why)} Run <code>make reproduce</code> "
              "to rebuild it.</div>")
    at = text.find("<main>")
    at = text.find(">", text.find("<body")) + 1 if at < 0 else at + len("<main>")
    from unallocated.files import atomic_write_text

    atomic_write_text(page, text[:at] + notice + text[at:])
    return True


def run(jobs: list[Job], force: bool = False, workers: int = 2, progress: bool = True,
        owner: str = "profile") -> tuple[list[Result], int]:
    """Run the jobs whose inputs changed, or whose outputs changed or vanished since this wrote
    them (all of them with `force`). Returns results and skips; `REBUILT` says why a job whose
    inputs were unchanged ran again, `REMOVED` which files went because no job writes them now.
    Each finished job is kept in the state as it finishes; on Ctrl-C the rest are cancelled,
    every page still built from older data is marked, and `Interrupted` says so in one line."""
    from contextlib import nullcontext

    from unallocated import build
    from unallocated.run.runner import prestart_kernel, start_workers

    # The commit, the data's hash and the date every page's footer names: worked out once,
    # before the workers fork, so they and their kernels inherit it.
    build.export(build.current(fresh=True))
    state = _load_state()
    REBUILT.clear()
    REMOVED.clear()
    # When everything will run, the kernels boot while the returns are read and hashed: the
    # workers' for a batch, this process's own for one job (`make profile`).
    early = workers > 1 and len(jobs) > 1 and (force or not state)
    if jobs and not early and (force or not state):
        prestart_kernel()
    results: list[Result] = []
    todo: list[Job] = []
    hashes: dict[Path, str] = {}

    def keep(result: Result) -> None:
        results.append(result)
        _record(result, state, hashes, owner)
        _save_state(state)

    try:
        with start_workers(min(workers, len(jobs))) if early else nullcontext() as pool:
            hashes.update(_job_hashes(jobs))
            for job in jobs:
                stale = True if force else _stale(job, state, hashes)
                if stale:
                    todo.append(job)
                    if isinstance(stale, str):
                        REBUILT[job.label or _key(job.output)] = stale
            run_jobs(todo, workers=workers, progress=progress and len(todo) > 1, pool=pool, on_result=keep)
    except KeyboardInterrupt:
        done = {id(r.job) for r in results}
        marked = 0
        for job in todo:
            record = state.get(_state_key(job.output))
            if id(job) in done or not isinstance(record, dict) or record.get("inputs") == hashes.get(job.output):
                continue
            if mark_stale(job.html, "its inputs changed, and the run that would rebuild it was interrupted."):
                marked += 1
        front = paths.OUTPUTS / "index.html"
        if results and mark_stale(front, "it was written before the pages this interrupted run rebuilt."):
            marked += 1
        _save_state(state)
        raise Interrupted(f"interrupted: {len(results)} of {len(todo)} jobs finished and kept (the next run carries "
                          f"on from there); {marked} page{'s' if marked != 1 else ''} built from older data marked "
                          f"so until rebuilt") from None
    _save_state(state)
    return results, len(jobs) - len(todo)


def _stale(job: Job, state: dict, hashes: dict[Path, str]) -> bool | str:
    """False when the job's outputs are as this wrote them and made from the inputs it has now;
    True when its inputs changed (or it never ran); otherwise why its outputs are not current."""
    done = state.get(_state_key(job.output))
    if not (isinstance(done, dict) and done.get("inputs") == hashes[job.output]):
        return True
    files = done.get("files")
    if not isinstance(files, dict) or not files:
        return "outputs not recorded by hash (state from an older version)"
    if not (job.output.exists() and job.html.exists()):
        return f"output vanished since written: {_key(job.output if not job.output.exists() else job.html)}"
    for name, record in files.items():
        path = paths.OUTPUTS / name
        if not path.exists():
            return f"output vanished since written: {_key(path)}"
        st = path.stat()
        if st.st_size == record.get("size") and st.st_mtime_ns == record.get("mtime_ns"):
            continue
        if _file_record(path)["sha256"] != record.get("sha256"):
            return f"output changed since written: {_key(path)}"
        record.update(size=st.st_size, mtime_ns=st.st_mtime_ns)  # touched, same bytes
    return False


def _current(job: Job, state: dict, hashes: dict[Path, str]) -> bool:
    """The job's outputs exist as this wrote them and were made from the inputs it has now."""
    return _stale(job, state, hashes) is False


def summary(results: list[Result], skipped: int, seconds: float) -> str:
    """What a person reads at the end of a run: the headline before and after the correction with
    what it rests on and how many of its figures came from a person's reading; the returns no
    total counts; the values waiting for review; what ran, failed, was rebuilt or removed."""
    from unallocated import analysis
    from unallocated.analysis import layers
    from unallocated.pages.profile import needs_review
    from unallocated.rounds import dataset

    lines = []
    returns = dataset.returns_2010()
    counted = analysis.national_rows(returns)
    national = analysis.corrected_national(returns)
    label = "2010 returns of " + layers.rests_on(counted)
    lines.append(f"Headline ({label}; no professional allocated): before the correction -> as corrected")
    for _, row in national.iterrows():
        types = list(analysis.CASE_TYPE_LABELS) if row["case_type"] == "total" else [row["case_type"]]
        person = layers.reviewed_count(counted, "no_professional", types)
        lines.append(f"  {row['label']:<18} {row['published_shown']:>8} -> {row['corrected_range']:<16}"
                     f" ({person} from a person's reading)")
    left = analysis.left_out(returns)
    for r in left.itertuples():
        lines.append(f"Left out of every total: {r.council} ({r.files}): {r.why}")
    review = needs_review()
    if len(review):
        per_file = review.groupby("file").size()
        lines.append(f"Waiting for a person's review: {len(review)} value{'s' if len(review) != 1 else ''} in "
                     f"{len(per_file)} file{'s' if len(per_file) != 1 else ''} ("
                     + ", ".join(f"{f}: {n}" for f, n in per_file.items())
                     + "); the front page and each council's report list them")
    ran = len(results)
    failed = [r for r in results if not r.ok]
    lines.append(f"Notebooks: {ran} run, {skipped} unchanged and skipped, {len(failed)} failed, in {seconds:.1f} s")
    for label_, reason in REBUILT.items():
        lines.append(f"  rebuilt {label_}: {reason}")
    for path, reason in REMOVED.items():
        lines.append(f"  removed {path}: {reason}")
    for r in failed:
        lines.append(f"  FAILED {describe_failure(r)}")
        if r.outputs:
            lines.append(f"         executed notebook kept at {_key(r.outputs[0])}")
    out = _key(paths.OUTPUTS)
    lines.append(f"Outputs: {out}/notebooks/ (national reports, .ipynb and .html), {out}/profiles/ "
                 f"(152 councils of 2010, 6 created since), {out}/figures/ (png, svg, csv), {out}/tables/, "
                 f"{out}/rounds/NAME/ (each later round's pages, SIMULATED where the round is)")
    return "\n".join(lines)


def _cmd_reproduce(args) -> int:
    start = time.perf_counter()
    planned = national_jobs() + round_jobs() + profile_jobs()
    jobs = national_jobs() + round_jobs() + ([] if args.no_profiles else profile_jobs())
    state = _load_state()
    remove_unplanned(planned, state)
    _save_state(state)
    results, skipped = run(jobs, force=args.force, workers=args.workers, progress=not args.quiet, owner="reproduce")
    from unallocated.pages import frontpage, tracker

    # Each later round's tracker page: made from its tracker alone, rewritten on every run (cheap).
    trackers = [(r, tracker.write(r)) for r in tracker.later_rounds()]

    # After the jobs: it links the pages they wrote. Made from the same inputs, so rewritten
    # only when something ran (or it is missing, or still marked as older than the rest), which
    # keeps a warm rerun fast.
    front = paths.OUTPUTS / frontpage.PAGE
    if results or not front.exists() or STALE_MARK in front.read_text(encoding="utf-8"):
        front = frontpage.write()
    print(summary(results, skipped, time.perf_counter() - start))
    print(f"Front page: {_key(front)} (the headline, every page, the 152 councils and their successors)")
    for r, page in trackers:
        print(f"Round: {_key(page)} ({'SIMULATED: ' if r.simulated else ''}every request of the round, its deadline "
              "and answer; its pages beside it)")
    return 1 if any(not r.ok for r in results) else 0


def _cmd_profile(args) -> int:
    start = time.perf_counter()
    job = profile_job(args.council, args.definition, None if args.corrections is None else args.corrections == "yes",
                      args.round)
    results, skipped = run([job], force=args.force, workers=1, progress=False)
    status = "unchanged, skipped" if skipped else ("ok" if results[0].ok else describe_failure(results[0]))
    print(f"{job.label}: {status} ({time.perf_counter() - start:.1f} s)\n  {_key(job.output)}\n  {_key(job.html)}")
    return 1 if results and not results[0].ok else 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("reproduce", help="run every notebook and the 158 council reports into outputs/")
    parser.add_argument("--force", action="store_true", help="rerun everything, even outputs whose inputs are unchanged")
    parser.add_argument("--workers", type=int, default=2, help="notebooks run side by side (default 2)")
    parser.add_argument("--no-profiles", action="store_true", help="only the national notebooks")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(func=_cmd_reproduce)
    prof = subparsers.add_parser("profile", help="run the council profile notebook for one council")
    prof.add_argument("council", help="any name or code the council resolver takes")
    prof.add_argument("--definition", help="a definition of unallocated (default: the notebook's)")
    prof.add_argument("--corrections", choices=["yes", "no"], help="apply the corrections register (default yes)")
    prof.add_argument("--round", help="a round listed in data/raw/returns/rounds.csv (default 2010); a later "
                      "round's report goes under outputs/rounds/NAME/profiles/")
    prof.add_argument("--force", action="store_true")
    prof.set_defaults(func=_cmd_profile)
    register_notebooks(subparsers)


# --- the committed notebooks carry the canonical outputs (nbval checks them) ------------------

def canonical(executed, source):
    """The executed notebook as it is committed: the source's cells with the run's outputs.

    Papermill's injected cell (empty: defaults are used) and its metadata are left out and
    execution counts run 1, 2, 3..., so the committed file depends only on the code and data.
    """
    import copy

    clean = copy.deepcopy(source)
    ran = [c for c in executed.cells if "injected-parameters" not in c.metadata.get("tags", [])]
    count = 0
    for cell, done in zip(clean.cells, ran, strict=True):
        if cell.cell_type != "code":
            continue
        count += 1
        cell.execution_count = count
        cell.outputs = done.get("outputs", [])
        for output in cell.outputs:
            if "execution_count" in output:
                output["execution_count"] = count
        cell.metadata.pop("papermill", None)
    clean.metadata.pop("papermill", None)
    return clean


FIGURE_HASHES = paths.NOTEBOOKS / "figures.sha256"


def figure_hashes(folder: Path) -> dict[str, str]:
    """SHA-256 of every PNG and SVG the notebooks saved (nbval cannot compare images); the front
    page's own chart (`index-*`, not a notebook's) is not among them."""
    import hashlib

    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(Path(folder).glob("*")) if p.suffix in (".png", ".svg") and not p.name.startswith("index-")}


def read_figure_hashes(path: Path = FIGURE_HASHES) -> dict[str, str]:
    pairs = (line.split() for line in path.read_text().splitlines() if line.strip())
    return {name: digest for digest, name in pairs}


def refresh_notebooks(workers: int = 2) -> list[Result]:
    """Run every notebook in notebooks/ with its defaults and write the outputs back into it.

    Also records the hash of every figure they saved in notebooks/figures.sha256.
    """
    import nbformat

    jobs = [Job(nb, {}, paths.OUTPUTS / "canonical" / nb.name, nb.stem)
            for nb in sorted(paths.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))]
    results = run_jobs(jobs, workers=workers, progress=False, html=False)
    for result in results:
        if result.ok:
            source = nbformat.read(result.job.notebook, as_version=4)
            executed = nbformat.read(result.job.output, as_version=4)
            nbformat.write(canonical(executed, source), result.job.notebook)
    if all(r.ok for r in results):
        hashes = figure_hashes(paths.OUTPUTS / "figures")
        FIGURE_HASHES.write_text("".join(f"{digest}  {name}\n" for name, digest in hashes.items()))
    return results


def _cmd_notebooks(args) -> int:
    results = refresh_notebooks(workers=args.workers)
    for r in results:
        print(f"{_key(r.job.notebook)}: {'outputs refreshed' if r.ok else 'FAILED ' + describe_failure(r)}")
    return 1 if any(not r.ok for r in results) else 0


def register_notebooks(subparsers) -> None:
    parser = subparsers.add_parser("notebooks", help="rerun the committed notebooks and store their outputs in them")
    parser.add_argument("--workers", type=int, default=2)
    parser.set_defaults(func=_cmd_notebooks)
