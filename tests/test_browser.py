"""The pages `make reproduce` writes, opened in a real browser (headless Chromium) as an editor would.

Opens the front page, a national page, two council reports (one that returned, one that did not),
the fact-check and a later round's tracker and comparison pages, from a reproduce run in a temporary folder (see `reproduced` in conftest),
and checks on each: no console errors or uncaught exceptions; no network request outside the
page (its own file:// address and data: URIs only); every image decoded; no table wider than a
1280-pixel window. On the front page: typing in the search box narrows the council table, a
click on a column heading sorts it, and a click on a council's name opens its report.
Screenshots go to build/screenshots/ for a person to look at.

Chromium is driven over the Chrome DevTools protocol (websocket-client, already pinned), so no
chromedriver is needed; `.ci/run` installs Debian's `chromium` (and `chromium-driver`).
"""
from __future__ import annotations

import base64
import itertools
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from unallocated import paths

pytestmark = [pytest.mark.slow, pytest.mark.browser]

WIDTH, HEIGHT = 1280, 900
SCREENSHOTS = paths.ROOT / "build" / "screenshots"
INSTALL = ("install Debian's Chromium to run it: `sudo apt-get install chromium chromium-driver` "
           "(or set CHROMIUM=/path/to/chrome)")


def _chromium() -> str | None:
    given = os.environ.get("CHROMIUM")
    if given:
        return given if Path(given).exists() else None
    return next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)


class Browser:
    """One headless Chromium and one tab, driven over the DevTools protocol."""

    def __init__(self, binary: str):
        import websocket

        self.profile = tempfile.mkdtemp(prefix="unallocated-chromium-")
        args = [binary, "--headless=new", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-extensions", "--hide-scrollbars", "--remote-debugging-port=0",
                f"--user-data-dir={self.profile}", f"--window-size={WIDTH},{HEIGHT}", "about:blank"]
        if os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        port_file = Path(self.profile) / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not port_file.exists() or len(port_file.read_text().split()) < 2:
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise RuntimeError(f"Chromium did not start: {self.process.stderr.read().decode()[-2000:]}")
            time.sleep(0.05)
        port = port_file.read_text().split()[0]
        import urllib.request

        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as reply:
            tab = next(t for t in json.load(reply) if t["type"] == "page")
        self.socket = websocket.create_connection(tab["webSocketDebuggerUrl"], timeout=30, suppress_origin=True)
        self.ids = itertools.count(1)
        self.events: list[dict] = []
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable")
        self.send("Emulation.setDeviceMetricsOverride", width=WIDTH, height=HEIGHT, deviceScaleFactor=1,
                  mobile=False)

    def send(self, method: str, **params):
        ident = next(self.ids)
        self.socket.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, method: str, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        seen = 0  # events since the last clear: one may have arrived while a command waited
        while time.monotonic() < deadline:
            for event in self.events[seen:]:
                if event.get("method") == method:
                    return event
            seen = len(self.events)
            self.socket.settimeout(max(0.1, deadline - time.monotonic()))
            self.events.append(json.loads(self.socket.recv()))
        raise TimeoutError(method)

    def open(self, url: str) -> None:
        self.events.clear()
        self.send("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")

    def js(self, expression: str):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def click(self, selector: str) -> None:
        """A real mouse click in the middle of the element (scrolled into view first)."""
        box = self.js(f"""(() => {{ const e = document.querySelector({json.dumps(selector)});
            e.scrollIntoView({{block: "center"}}); const r = e.getClientRects()[0];  // a wrapped link: its first line
            return [r.left + r.width / 2, r.top + r.height / 2]; }})()""")
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1)

    def screenshot(self, path: Path, full_page_max: int = 0) -> None:
        params = {"format": "png"}
        if full_page_max:
            height = min(int(self.js("document.documentElement.scrollHeight")), full_page_max)
            params.update(captureBeyondViewport=True, clip={"x": 0, "y": 0, "width": WIDTH, "height": height,
                                                              "scale": 1})
            self.js("window.scrollTo(0, 0)")
        data = self.send("Page.captureScreenshot", **params)["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))

    def problems(self, page_url: str) -> dict[str, list[str]]:
        """Console errors, uncaught exceptions and requests outside the page, since it opened."""
        found = {"console": [], "requests": []}
        own = urlsplit(page_url)._replace(fragment="").geturl()
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found["console"].append(" ".join(str(a.get("value", a.get("description"))) for a in params["args"]))
            elif method == "Runtime.exceptionThrown":
                found["console"].append(params["exceptionDetails"].get("text", "exception"))
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                found["console"].append(f"{params['entry'].get('source')}: {params['entry']['text']} "
                                        f"{params['entry'].get('url', '')}")
            elif method == "Network.requestWillBeSent":
                url = params["request"]["url"]
                if not url.startswith("data:") and urlsplit(url)._replace(fragment="").geturl() != own:
                    found["requests"].append(url)
        return found

    def close(self) -> None:
        try:
            self.socket.close()
        except AttributeError:
            pass
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture(scope="module")
def browser():
    binary = _chromium()
    if binary is None:
        pytest.skip(f"the browser test needs headless Chromium, not found: {INSTALL}")
    started = Browser(binary)
    yield started
    started.close()


def _page_checks(browser: Browser, url: str) -> dict:
    """What the page looks like to the browser: images, widest table, document width, title."""
    return browser.js("""(() => ({
        title: document.title,
        images: Array.from(document.images).map(i => ({src: i.src.slice(0, 40), alt: i.alt,
                                                        complete: i.complete, width: i.naturalWidth})),
        tables: Array.from(document.querySelectorAll("table")).map(t => Math.ceil(t.getBoundingClientRect().width)),
        documentWidth: document.documentElement.scrollWidth,
        h1: (document.querySelector("h1") || {}).textContent || ""
    }))()""")


def _front_page_rows(browser: Browser) -> list[dict]:
    return browser.js("""Array.from(document.querySelectorAll("#councils tbody tr")).map(r => ({
        council: r.cells[0].querySelector("a").textContent.trim(), href: r.cells[0].querySelector("a").getAttribute("href"),
        returned: r.cells[2].textContent.trim() !== "no return", hidden: r.hidden,
        sort: r.cells[5].getAttribute("data-sort")}))""")


def test_pages_in_a_real_browser(browser, reproduced):
    started = time.perf_counter()
    front = (reproduced / "index.html").as_uri()
    browser.open(front)
    rows = _front_page_rows(browser)
    assert len(rows) == 152
    returned = next(r for r in rows if r["council"] == "Barnsley")
    not_returned = next(r for r in rows if not r["returned"])
    pages = {
        "front-page": front,
        "national-01": (reproduced / "notebooks" / "01-national-picture.html").as_uri(),
        "council-returned-barnsley": (reproduced / unquote(returned["href"])).as_uri(),
        f"council-no-return-{Path(not_returned['href']).stem}": (reproduced / unquote(not_returned["href"])).as_uri(),
        "fact-check": (reproduced / "factcheck" / "factcheck.html").as_uri(),
        "fact-check-notebook": (reproduced / "notebooks" / "06-fact-check.html").as_uri(),
        # a council created since 2010, whose report shows its predecessors' returns
        "council-successor-bcp": (reproduced / "profiles" / "839-bournemouth-christchurch-and-poole.html").as_uri(),
    }
    for round_dir in sorted((reproduced / "rounds").glob("*")):  # a later round: its tracker and its comparison
        pages[f"round-{round_dir.name}-tracker"] = (round_dir / "tracker.html").as_uri()
        pages[f"round-{round_dir.name}-07"] = (round_dir / "notebooks" / "07-rounds.html").as_uri()
    failures = []
    for name, url in pages.items():
        browser.open(url)
        seen = _page_checks(browser, url)
        failures_here = failures
        browser.screenshot(SCREENSHOTS / f"{name}.png", full_page_max=2400)
        problems = browser.problems(url)
        if problems["console"]:
            failures_here.append(f"{name}: console errors {problems['console']}")
        if problems["requests"]:
            failures_here.append(f"{name}: requests outside the page {problems['requests']}")
        for image in seen["images"]:
            if not image["complete"] or image["width"] == 0:
                failures_here.append(f"{name}: image not decoded {image['src']}")
            if not image["alt"]:
                failures_here.append(f"{name}: image without alt text {image['src']}")
        wide = [w for w in seen["tables"] if w > WIDTH]
        if wide:
            failures_here.append(f"{name}: tables wider than the {WIDTH}-pixel window: {wide}")
        if seen["documentWidth"] > WIDTH:
            failures_here.append(f"{name}: page scrolls sideways ({seen['documentWidth']} px)")
        if not seen["title"] or seen["title"] == "Notebook":
            failures_here.append(f"{name}: no meaningful title ({seen['title']!r})")
    print(f"\nbrowser: {len(pages)} pages checked in {time.perf_counter() - started:.1f} s; "
          f"screenshots in {SCREENSHOTS.relative_to(paths.ROOT)}/")
    assert not failures, "\n".join(failures)


def test_front_page_search_sort_and_links(browser, reproduced):
    front = (reproduced / "index.html").as_uri()
    browser.open(front)
    # Typing narrows the table (as a person types: focus, then key in the text).
    browser.click("#search")
    browser.send("Input.insertText", text="barns")
    shown = [r["council"] for r in _front_page_rows(browser) if not r["hidden"]]
    assert shown == ["Barnsley"]
    assert browser.js("document.getElementById('count').textContent") == "1 of 152 councils shown"
    browser.js("document.getElementById('search').scrollIntoView({block: 'start'})")
    browser.screenshot(SCREENSHOTS / "front-page-search.png")
    browser.js("(() => { const s = document.getElementById('search'); s.value = 'north west';"
               " s.dispatchEvent(new Event('input')); })()")
    north_west = [r for r in _front_page_rows(browser) if not r["hidden"]]
    from unallocated.sources.councils import councils

    assert len(north_west) == sum(c.region == "North West" for c in councils(in_2010=True)) > 10
    # Any name or code the resolver (and `make profile`) takes finds its council: "&" for "and",
    # a short name, an ONS code, a council created since that covers it.
    for typed, council in (("Brighton & Hove", "Brighton and Hove"), ("Hull", "Kingston upon Hull, City of"),
                           ("E06000043", "Brighton and Hove"), ("Cumberland", "Cumbria"), ("BCP", "Poole"),
                           ("302", "Barnet")):
        browser.js("(() => { const s = document.getElementById('search'); s.value = " + json.dumps(typed) + ";"
                   " s.dispatchEvent(new Event('input')); })()")
        shown = [r["council"] for r in _front_page_rows(browser) if not r["hidden"]]
        assert council in shown, (typed, shown)
    browser.js("(() => { const s = document.getElementById('search'); s.value = '';"
               " s.dispatchEvent(new Event('input')); })()")
    assert not any(r["hidden"] for r in _front_page_rows(browser))

    # A click on "No professional allocated" sorts by it (lowest first), again reverses; no return last.
    column = "#councils thead th:nth-child(6) button"
    for order in ("ascending", "descending"):
        browser.click(column)
        rows = _front_page_rows(browser)
        values = [float(r["sort"]) for r in rows if r["sort"]]
        assert values == sorted(values, reverse=order == "descending") and len(values) == 89
        assert all(not r["returned"] for r in rows[89:])
    browser.js("document.getElementById('search').scrollIntoView({block: 'start'})")
    browser.screenshot(SCREENSHOTS / "front-page-sorted.png")

    # A click on a council's name opens its report.
    browser.open(front)
    for council in ("Barnsley", next(r["council"] for r in _front_page_rows(browser) if not r["returned"])):
        browser.open(front)
        href = next(r["href"] for r in _front_page_rows(browser) if r["council"] == council)
        browser.events.clear()
        browser.click(f'#councils a[href="{href}"]')
        browser.wait_for("Page.loadEventFired")
        landed = browser.js("location.href")
        assert unquote(landed) == unquote((reproduced / unquote(href)).as_uri()), council
        title = browser.js("document.title")
        assert title.startswith(council), (council, title)


# --------------------------------------------------------------------------- printed on A4

#: A4's width less the print stylesheet's side margins (11 mm each), in CSS pixels (96 a inch).
PRINTED_WIDTH = int((210 - 22) / 25.4 * 96)


def _print(browser: Browser, url: str, name: str) -> tuple[bytes, dict]:
    """The page printed to PDF by Chromium, and how its layout looks under the print stylesheet
    at the printed page's width: the widest element and any table wider than the page."""
    browser.open(url)
    data = base64.b64decode(browser.send("Page.printToPDF", printBackground=True, preferCSSPageSize=True)["data"])
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / f"{name}.pdf").write_bytes(data)
    browser.send("Emulation.setEmulatedMedia", media="print")
    browser.send("Emulation.setDeviceMetricsOverride", width=PRINTED_WIDTH, height=HEIGHT, deviceScaleFactor=1,
                 mobile=False)
    try:
        layout = browser.js("""(() => ({
            documentWidth: document.documentElement.scrollWidth,
            tables: Array.from(document.querySelectorAll("table")).map(t => Math.ceil(t.getBoundingClientRect().right)),
            images: Array.from(document.images).map(i => Math.ceil(i.getBoundingClientRect().right))
        }))()""")
    finally:
        browser.send("Emulation.setEmulatedMedia", media="")
        browser.send("Emulation.setDeviceMetricsOverride", width=WIDTH, height=HEIGHT, deviceScaleFactor=1, mobile=False)
    return data, layout


def _pdf_pages(data: bytes) -> list[tuple[float, float, str]]:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [(page.width, page.height, page.extract_text() or "") for page in pdf.pages]


def test_the_front_page_and_a_report_print_on_a4_with_nothing_cut(browser, reproduced):
    from unallocated.sources.councils import councils

    front, layout = _print(browser, (reproduced / "index.html").as_uri(), "front-page-printed")
    pages = _pdf_pages(front)
    assert len(pages) > 1
    for width, height, text in pages:
        assert (round(width), round(height)) == (595, 842), "A4"  # points
        assert text.startswith("SIMULATED DATA: returns of 89 councils, all simulated"), text[:80]
    assert layout["documentWidth"] <= PRINTED_WIDTH, layout
    assert max(layout["tables"]) <= PRINTED_WIDTH and max(layout["images"]) <= PRINTED_WIDTH, layout
    printed = " ".join(" ".join(text.split()) for _, _, text in pages)
    words = set(printed.replace(",", " ").split())
    # every council and every column of the council table made it onto paper (a name that wraps
    # in its cell comes out of the PDF in pieces, so its words are looked for)
    for c in councils(in_2010=True):
        assert set(c.name.replace(",", " ").split()) <= words, c.name
    table_sheets = [text for _, _, text in pages if text.count("no return") >= 8]
    assert len(table_sheets) >= 5
    for text in table_sheets:  # the table's headings are repeated on every sheet it runs over
        assert all(w in text for w in ("Council Region Return", "councils read it", "No qualified")), text[:300]
    assert "Built from commit" in printed

    report, layout = _print(browser, (reproduced / "profiles" / "370-barnsley.html").as_uri(), "report-barnsley-printed")
    pages = _pdf_pages(report)
    for width, height, text in pages:
        assert (round(width), round(height)) == (595, 842)
        assert text.startswith("SIMULATED DATA: returns of 89 councils, all simulated"), text[:80]
    assert layout["documentWidth"] <= PRINTED_WIDTH and max(layout["tables"]) <= PRINTED_WIDTH, layout
    printed = " ".join(" ".join(text.split()) for _, _, text in pages)
    # the last column of each table is on paper: what the figures rest on, where a cell was read
    for last in ("SIMULATED return", "barnsley_foi_response.xlsx", "Social worker's caseload", "Built from commit"):
        assert last in printed, last


def test_a_later_rounds_tracker_page_prints_on_a4_with_nothing_cut(browser, reproduced):
    from unallocated.rounds import simulated
    from unallocated.rounds.round import get

    page = reproduced / "rounds" / simulated.NAME / "tracker.html"
    if not page.exists():
        pytest.skip("no later round in this run")
    data, layout = _print(browser, page.as_uri(), "round-tracker-printed")
    pages = _pdf_pages(data)
    assert len(pages) > 1
    for width, height, text in pages:
        assert (round(width), round(height)) == (595, 842), "A4"
        assert text.startswith(f"SIMULATED DATA: round {simulated.NAME}"), text[:80]
    assert layout["documentWidth"] <= PRINTED_WIDTH and max(layout["tables"]) <= PRINTED_WIDTH, layout
    printed = " ".join(" ".join(text.split()) for _, _, text in pages)
    words = set(printed.replace(",", " ").split())
    for council in get(simulated.NAME).councils():  # every council asked made it onto paper
        assert set(council.name.replace(",", " ").split()) <= words, council.name
    # the last column is on paper (Camden's answer to its right of reply), and the footer
    assert "disputes" in printed and "Built from commit" in printed


# --------------------------------------------------------------------------- text from replies


def test_text_planted_in_replies_stays_text_in_a_browser(browser, real_return_run):
    returns, out, done = real_return_run
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    for name, page in (("front-page-real-return", out / "index.html"),
                       ("council-real-return-lewisham", out / "profiles" / "209-lewisham.html")):
        url = page.as_uri()
        browser.open(url)
        browser.screenshot(SCREENSHOTS / f"{name}.png", full_page_max=6000)
        found = browser.js("""(() => ({
            handlers: document.querySelectorAll("img[onerror]").length,
            scripts: Array.from(document.scripts).filter(s => s.textContent.includes("planted")).length,
            shown: document.body.innerText.includes("alert('planted')")
        }))()""")
        assert found == {"handlers": 0, "scripts": 0, "shown": True}, (name, found)
        dialogs = [e for e in browser.events if e.get("method") == "Page.javascriptDialogOpening"]
        assert not dialogs, (name, dialogs)
        problems = browser.problems(url)
        assert not problems["console"] and not problems["requests"], (name, problems)
