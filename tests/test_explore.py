"""`make explore`: the real Datasette, started by `python -m unallocated explore` on a free port on
127.0.0.1, answers its JSON API for a table, a canned query and a column description, and stops
on Ctrl-C."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from unallocated import paths
from unallocated.publish import cli

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    out = tmp_path_factory.mktemp("explore")
    cli.publish(out, returns_root=paths.RAW_RETURNS, package=False)
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "unallocated", "explore", "--out", str(out), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)  # its own process group, as a terminal's job is
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            get_json(base + "/-/versions.json")
            break
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"Datasette did not start: {process.stdout.read()}")
            time.sleep(0.25)
    yield {"base": base, "process": process, "port": port}
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)


def test_a_table_through_the_json_api(server):
    rows = get_json(server["base"] + "/unallocated/councils.json?_shape=array&old_la_code=370")
    assert [(r["old_la_code"], r["name"], r["region"]) for r in rows] == [("370", "Barnsley", "Yorkshire and The Humber")]


def test_the_canned_query_for_barnsley_in_every_round(server):
    rows = get_json(server["base"] + "/unallocated/council_in_every_round.json?council=Barnsley&_shape=array")
    by = {(r["round"], r["view"], r["case_type"], r["definition"]): r for r in rows}
    assert by["2010", "as_published", "lac", "no_professional"]["shown"] == "51"
    assert by["2010", "as_corrected", "lac", "no_professional"]["shown"] == "0 to 9"
    assert by["2010", "as_corrected", "cin", "no_professional"]["shown"] == "0 to 9"
    assert {r["layer"] for r in rows} == {"simulated"}
    # two rounds with Barnsley (2010 and the simulated 2025), two views, three case types, four definitions
    assert {r["round"] for r in rows} == {"2010", "2025-simulated"}
    assert len(rows) == 2 * 2 * 3 * 4


def test_tracker_queries_answer_from_the_rounds_that_have_a_tracker(server):
    # Only the simulated 2025 round keeps a tracker (2010's requests were never tracked); a round
    # without one gives no rows (tests/test_publish.py plants one of each).
    for name, params in (("overdue_requests", "&today="), ("response_rate_by_region", "")):
        rows = get_json(server["base"] + f"/unallocated/{name}.json?_shape=array{params}")
        assert {r["round"] for r in rows} <= {"2025-simulated"}
    assert get_json(server["base"] + "/unallocated/response_rate_by_region.json?_shape=array")


def test_a_column_description(server):
    metadata = get_json(server["base"] + "/-/metadata.json")
    described = metadata["databases"]["unallocated"]["tables"]["returns"]["columns"]
    assert described["council_code"].startswith("The council's old three-digit DfE local-authority code")
    assert "Unit: cases" in described["count"]
    queries = metadata["databases"]["unallocated"]["queries"]
    assert "no rows" in queries["overdue_requests"]["description"]


def test_ctrl_c_stops_it(server):
    process = server["process"]
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C sends to the terminal's job
    assert process.wait(timeout=30) == 0
    said = process.stdout.read()
    assert f"Datasette: http://127.0.0.1:{server['port']}/unallocated (Ctrl-C stops it)" in said
    assert "Datasette stopped" in said
    with pytest.raises((urllib.error.URLError, ConnectionError)):
        get_json(server["base"] + "/-/versions.json")
