"""The review desk used as a person would, in headless Chromium: decisions by keyboard and by the
forms, kept across a reload, saved as review.csv, applied by ingest.

The folder holds every kind of item (spreadsheet figures, a Word letter's sentences, a PDF
page's lines, a text letter, a scanned PDF and a legacy .doc, neither read at all), and words
from the replies that would run as markup if a page let them. The page is built from the
reader's issues in the new contract (`review_fixtures.with_proposals`), so the proposals it
offers do not depend on the reader's wording. Screenshots of a spreadsheet item and a prose item
go to build/screenshots/ for a person to look at.
"""
from __future__ import annotations

import html
import json
import tempfile
import time
from pathlib import Path

import pandas as pd
import pytest

from review_fixtures import IMAGE, SCRIPT, write_every_kind, write_kirklees, with_proposals
from test_browser import SCREENSHOTS, WIDTH, Browser, _chromium, INSTALL
from unallocated.run.cli import main

pytestmark = [pytest.mark.browser]

PHONE = (390, 844)
INITIALS = "TB"


@pytest.fixture(scope="module")
def chromium():
    binary = _chromium()
    if binary is None:
        pytest.skip(f"the review desk's browser test needs headless Chromium, not found: {INSTALL}")
    started = Browser(binary)
    yield started
    started.close()


def _build_page(folder: Path, out: Path) -> dict:
    """review.html from the folder as read now, its issues in the new contract."""
    from unallocated.returns import read_returns
    from unallocated.returns.desk import _review_table, desk_data, render_page

    result = read_returns(folder, reference=None)
    data = desk_data(folder, with_proposals(result.issues), result.files, result.returns,
                     _review_table(folder))
    out.write_text(render_page(data), encoding="utf-8")
    return data


def _key(b: Browser, key: str) -> None:
    """One key press, as the keyboard sends it."""
    code = {"ArrowRight": "ArrowRight", "ArrowLeft": "ArrowLeft"}.get(key, f"Key{key.upper()}")
    for kind in ("keyDown", "keyUp"):
        b.send("Input.dispatchKeyEvent", type=kind, key=key, code=code,
               text=key if kind == "keyDown" and len(key) == 1 else "",
               windowsVirtualKeyCode=ord(key.upper()) if len(key) == 1 else {"ArrowRight": 39, "ArrowLeft": 37}[key])


def _type(b: Browser, selector: str, text: str) -> None:
    b.js(f"document.querySelector({json.dumps(selector)}).value = ''")
    b.click(selector)
    b.send("Input.insertText", text=text)


def _choose(b: Browser, selector: str, value: str) -> None:
    """Pick an option: the select focused, its value set and its change event fired, as a choice
    made with the mouse does."""
    b.js(f"""(() => {{ const s = document.querySelector({json.dumps(selector)}); s.focus(); s.value = {json.dumps(value)};
             s.dispatchEvent(new Event("change", {{bubbles: true}})); }})()""")


def _current(b: Browser) -> dict:
    return b.js("""(() => { const a = document.querySelector("#item article");
        return a ? {id: a.dataset.id, type: a.dataset.type, text: a.textContent} : null; })()""")


def _go_to(b: Browser, data: dict, file: str, cell: str = "", figure: str = "") -> None:
    """Move with J and K (as a person does) to the item of that file, cell and figure."""
    order = [it for g in data["groups"] for it in g["items"]]
    want = next(i for i, it in enumerate(order) if it["file"] == file and it["cell"] == cell
                and (not figure or it["figure"] == figure))
    for _ in range(len(order)):
        now = _current(b)["id"]
        at = next(i for i, it in enumerate(order) if it["id"] == now)
        if at == want:
            return
        _key(b, "j" if at < want else "k")
    raise AssertionError(f"could not reach {file} {cell} {figure}")


def _statuses(b: Browser) -> list[str]:
    return b.js("""Array.from(document.querySelectorAll("nav li button")).map(x => x.dataset.status)""")


def _usable(b: Browser, width: int) -> dict:
    return b.js(f"""(() => {{
        const buttons = Array.from(document.querySelectorAll("#item .actions button"));
        const reachable = buttons.every(x => {{ x.scrollIntoView({{block: "center"}}); const r = x.getBoundingClientRect();
            return r.width > 0 && r.right <= {width} + 1 && document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) === x; }});
        return {{documentWidth: document.documentElement.scrollWidth, reachable: reachable, buttons: buttons.length}};
    }})()""")


def test_the_review_desk_in_a_real_browser(chromium, tmp_path):
    started = time.perf_counter()
    b = chromium
    folder = write_every_kind(tmp_path / "replies")
    page = tmp_path / "review.html"
    data = _build_page(folder, page)
    url = page.as_uri()
    downloads = Path(tempfile.mkdtemp(dir=tmp_path))
    b.send("Browser.setDownloadBehavior", behavior="allow", downloadPath=str(downloads), eventsEnabled=True)
    b.open(url)

    # Words from the replies are on the page as text and nothing of them runs.
    text = b.js("document.body.textContent")
    assert b.js("window.__pwned === undefined") and b.js("document.querySelectorAll('img, script:not([type])').length") == 1
    _go_to(b, data, "leeds_foi_reply.xlsx", "E5")
    assert SCRIPT in b.js("document.querySelector('table.grid').textContent")
    _go_to(b, data, "york_foi_letter.docx", "A5", "20")
    assert IMAGE in _current(b)["text"] and b.js("window.__pwned === undefined")
    assert "0 of " in text and "decided" in text

    # The initials, typed once, are on every decision.
    _type(b, "#reviewer", INITIALS)
    b.js("document.activeElement.blur()")

    # A spreadsheet figure: the grid shows its headings, the hidden row and the comment.
    _go_to(b, data, "leeds_foi_reply.xlsx", "E4")
    grid = b.js("""(() => ({target: document.querySelector("td.target").textContent,
        headings: Array.from(document.querySelectorAll("td.heading")).map(x => x.textContent),
        legend: document.querySelector(".legend") ? document.querySelector(".legend").textContent : ""}))()""")
    assert grid["target"] == "1-5" and set(grid["headings"]) == {"Child protection", "Unallocated"}
    assert "row 7" in grid["legend"] and "includes 3 awaiting closure" in grid["legend"]
    assert "Merged cells A1:C1" in grid["legend"]
    b.js("window.scrollTo(0, 0)")
    b.screenshot(SCREENSHOTS / "review-desk-spreadsheet.png")

    # Change one figure: Excel turned "1-5" into a date; the person reads it as at most 5.
    _key(b, "c")
    _choose(b, "form.change select[name=case_type]", "cp")
    _choose(b, "form.change select[name=category]", "unallocated")
    _choose(b, "form.change select[name=qualifier]", "at_most")
    _type(b, "form.change input[name=count]", "5")
    _type(b, "form.change input[name=note]", "=HYPERLINK(\"http://x\") Excel turned 1-5 into a date")
    b.click("form.change button[type=submit]")

    # Not a count: "12*", whose comment says part of it is something else (here: the person's call).
    _go_to(b, data, "leeds_foi_reply.xlsx", "E6")
    _key(b, "n")

    # A prose letter: two figures in one sentence, each accepted by keyboard as proposed.
    _go_to(b, data, "york_foi_letter.docx", "A4", "14")
    assert b.js("document.querySelector('.prose mark.figure').textContent") == "14"
    b.js("window.scrollTo(0, 0)")
    b.screenshot(SCREENSHOTS / "review-desk-prose.png")
    _key(b, "a")
    assert _current(b)["id"] == next(it["id"] for g in data["groups"] for it in g["items"]
                                     if it["cell"] == "A4" and it["figure"] == "3")  # moved on to the next open item
    _key(b, "a")

    # A PDF page: "about 15" accepted; the 7 of the same sentence is not a count here.
    _go_to(b, data, "kirklees_reply.pdf", "A2", "15")
    assert "about 15" in b.js("document.querySelector('.page-lines .part:last-child').textContent")
    _key(b, "a")
    _go_to(b, data, "kirklees_reply.pdf", "A2", "7")
    _key(b, "n")

    # One figure of a three-figure sentence decided: held back until the others are.
    _go_to(b, data, "york_foi_letter.docx", "A5", "210")
    _key(b, "n")

    # A point about a whole file, noted; a scan keyed from its page 2.
    hull = next(it for g in data["groups"] for it in g["items"] if it["file"] == "hull_reply.txt" and it["type"] == "file")
    _go_to(b, data, "hull_reply.txt", "")
    assert _current(b)["id"] == hull["id"]
    _key(b, "o")
    _go_to(b, data, "wigan_scan.pdf", "")
    _key(b, "c")
    _choose(b, "form.change select[name=case_type]", "cin")
    _choose(b, "form.change select[name=category]", "unallocated")
    _type(b, "form.change input[name=count]", "31")
    _type(b, "form.change input[name=page]", "2")
    b.click("form.change button[type=submit]")
    progress = b.js("document.getElementById('progress').textContent")
    assert progress.startswith("9 of ") and "decided" in progress, progress
    statuses = _statuses(b)

    # Reload: every decision is kept.
    b.open(url)
    assert b.js("document.getElementById('progress').textContent") == progress
    assert _statuses(b) == statuses
    assert b.js("document.getElementById('reviewer').value") == INITIALS

    # Save review.csv (a download), and put it into the folder with the documented command.
    b.events.clear()
    b.click("#save")
    deadline = time.monotonic() + 20
    while not any(downloads.glob("*.csv")) and time.monotonic() < deadline:
        time.sleep(0.05)
    saved = next(downloads.glob("*.csv"))
    assert saved.name == "review.csv"
    assert "york_foi_letter.docx text A5" in b.js("document.getElementById('save-how').textContent")  # held back
    problems = b.problems(url)
    assert not problems["console"] and not problems["requests"], problems
    raw_csv = saved.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in raw_csv  # a spreadsheet opening review.csv runs nothing
    assert main(["review", str(folder), "--add", str(saved), "--out", str(tmp_path / "again.html"),
                 "--reference", "none"]) == 0
    assert main(["ingest", str(folder), "--out", str(tmp_path / "out"), "--reference", "none"]) in (1, 2)

    # The table has exactly those figures, each naming its decision and with the layer review.
    returns = pd.read_csv(tmp_path / "out" / "returns.csv", dtype=str, keep_default_na=False)
    reviewed = returns[returns["layer"] == "review"]
    got = {(r.council, r.case_type, r.category, r.detail, r.count, r.qualifier, r.raw) for r in reviewed.itertuples()}
    assert got == {
        ("Leeds", "cp", "unallocated", "not_given", "5", "at_most", "up to 5"),
        ("York", "cp", "unallocated", "not_given", "14", "exact", "14"),
        ("York", "lac", "unallocated", "not_given", "3", "exact", "3"),
        ("Kirklees", "lac", "unallocated", "not_given", "15", "approx", "about 15"),
        ("Wigan", "cin", "unallocated", "not_given", "31", "exact", "31"),
    }
    for source in reviewed["source"]:
        assert source.startswith("review.csv row ") and f"by {INITIALS} on 20" in source, source
    leeds = reviewed[reviewed["council"] == "Leeds"]["source"].iloc[0]
    assert leeds.startswith("review.csv row ") and "leeds_foi_reply.xlsx!Return!E4 — by TB on " in leeds
    assert 'Excel turned 1-5 into a date' in leeds and '=HYPERLINK("http://x")' in leeds
    assert "wigan_scan.pdf — page 2, by TB" in reviewed[reviewed["council"] == "Wigan"]["source"].iloc[0]
    assert not returns["source"].str.endswith("!Return!E6").any()  # not a count: its cell dropped
    assert set(returns.loc[returns["source"].str.contains("!E4"), "layer"]) == {"review"}
    issues = pd.read_csv(tmp_path / "out" / "issues.csv", dtype=str, keep_default_na=False)
    decided = {("leeds_foi_reply.xlsx", "E4"), ("leeds_foi_reply.xlsx", "E6"), ("york_foi_letter.docx", "A4"),
               ("kirklees_reply.pdf", "A2")}
    assert not any((f, c) in decided for f, c in zip(issues["file"], issues["cell"]))
    assert not ((issues["file"] == "hull_reply.txt") & (issues["cell"] == "") & (issues["sheet"] == "")).any()
    assert (issues["file"] == "york_foi_letter.docx").any() and not issues["problem"].str.startswith("review.csv").any()
    files = pd.read_csv(tmp_path / "out" / "files.csv", dtype=str, keep_default_na=False)
    assert dict(zip(files["file"], files["outcome"]))["wigan_scan.pdf"] == "read_from_review"

    # The next review lists only what is still open.
    again = json.loads(_data_of(tmp_path / "again.html"))
    open_now = {(it["file"], it["cell"]) for g in again["groups"] for it in g["items"]}
    assert not open_now & decided and ("wigan_scan.pdf", "") not in open_now
    assert ("york_foi_letter.docx", "A5") in open_now and ("bolton_reply.doc", "") in open_now

    # The PDF changes after the decision: the decision is stale, shown so, never applied.
    write_kirklees(folder, "Looked after children unallocated: about 16")
    _build_page(folder, tmp_path / "stale.html")
    b.open((tmp_path / "stale.html").as_uri())
    assert "are stale" in b.js("document.getElementById('nav').textContent")
    _go_to(b, stale_data := json.loads(_data_of(tmp_path / "stale.html")), "kirklees_reply.pdf", "A2",
           next(it["figure"] for g in stale_data["groups"] for it in g["items"] if it["file"] == "kirklees_reply.pdf"))
    card = b.js("document.querySelector('#item').textContent")
    assert "STALE" in card  # the row in review.csv
    assert "Stale: decided on an earlier version of this file" in card  # the decision kept in the browser
    assert "stale" in b.js("document.getElementById('progress').textContent")
    b.js("window.scrollTo(0, 0)")
    b.screenshot(SCREENSHOTS / "review-desk-stale.png")
    after = main(["ingest", str(folder), "--out", str(tmp_path / "out2"), "--reference", "none"])
    assert after in (1, 2)
    returns2 = pd.read_csv(tmp_path / "out2" / "returns.csv", dtype=str, keep_default_na=False)
    assert not (returns2["council"] == "Kirklees").any()
    issues2 = pd.read_csv(tmp_path / "out2" / "issues.csv", dtype=str, keep_default_na=False)
    assert issues2["problem"].str.contains("the file has changed since this decision").any()

    # Usable at 1280 px and on a phone.
    b.open(url)
    for width, height, mobile in ((WIDTH, 900, False), (*PHONE, True)):
        b.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=mobile)
        b.open(url)
        _go_to(b, data, "leeds_foi_reply.xlsx", "E5")
        seen = _usable(b, width)
        assert seen["documentWidth"] <= width and seen["reachable"] and seen["buttons"] >= 4, (width, seen)
        if mobile:
            b.js("window.scrollTo(0, 0)")
            b.screenshot(SCREENSHOTS / "review-desk-phone.png")
    b.send("Emulation.setDeviceMetricsOverride", width=WIDTH, height=900, deviceScaleFactor=1, mobile=False)
    problems = b.problems(url)
    assert not problems["console"] and not problems["requests"], problems
    kept = b.js("document.getElementById('progress').textContent")

    # Inside JupyterLab: a trusted HTML document is shown in a frame sandboxed with these flags.
    lab = tmp_path / "lab.html"
    lab.write_text('<!DOCTYPE html><html><body><iframe id="lab" sandbox="allow-same-origin allow-scripts '
                   f'allow-popups" style="width:1200px;height:800px" srcdoc="{html.escape(page.read_text(encoding="utf-8"))}">'
                   '</iframe></body></html>', encoding="utf-8")
    b.open(lab.as_uri())
    frame = "document.getElementById('lab').contentDocument"
    deadline = time.monotonic() + 10
    while not b.js(f"!!{frame} && !!{frame}.getElementById('progress') && {frame}.getElementById('progress').textContent") \
            and time.monotonic() < deadline:
        time.sleep(0.05)
    assert b.js(f"{frame}.getElementById('progress').textContent") == kept  # the same decisions
    b.js(f"{frame}.getElementById('save').click()")
    assert b.js(f"{frame}.getElementById('csv').value").startswith(",".join(data["columns"]))
    problems = b.problems(lab.as_uri())
    assert not problems["console"] and not problems["requests"], problems
    print(f"\nreview desk: browser test in {time.perf_counter() - started:.1f} s; screenshots "
          f"{SCREENSHOTS / 'review-desk-spreadsheet.png'}, {SCREENSHOTS / 'review-desk-prose.png'}")


def _data_of(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    start = text.index('<script type="application/json" id="desk-data">') + len('<script type="application/json" id="desk-data">')
    return text[start:text.index("</script>", start)]
