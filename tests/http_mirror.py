"""A local HTTP server for the download tests: serves a folder on 127.0.0.1 (a free port), answers
HTTP Range requests as a file host does, and can stop mid-file to test resuming.

    with serving(folder, stop_after={"/a.csv": 100}) as server:
        server.url("/a.csv")         # http://127.0.0.1:PORT/a.csv
        server.requests              # [(path, range header or None, status), ...]

`stop_after` maps a path to a byte count: the first request for it announces the whole length,
sends that many bytes and closes the connection; later requests are served whole (or from their
range). Run as a script it serves a folder until Ctrl-C, printing its address:

    python tests/http_mirror.py FOLDER [--stop-after PATH=BYTES ...] [--port N]
"""
from __future__ import annotations

import argparse
import contextlib
import http.server
import re
import shutil
import signal
import sys
import threading
import urllib.parse
from pathlib import Path


class _Handler(http.server.BaseHTTPRequestHandler):
    root: Path
    stop_after: dict[str, int]
    requests: list[tuple[str, str | None, int]]
    lock: threading.Lock
    echo = False  # print each request as it is answered (when run as a script)

    def log_message(self, format, *args):  # quiet: the tests read `requests` instead
        pass

    def do_GET(self):
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        target = (self.root / path.lstrip("/")).resolve()
        ranged = self.headers.get("Range")
        if not target.is_file() or not target.is_relative_to(self.root):
            return self._answer(path, ranged, 404, b"not found")
        data = target.read_bytes()
        start = 0
        if ranged:
            m = re.fullmatch(r"bytes=(\d+)-", ranged.strip())
            start = int(m.group(1)) if m else 0
            if start >= len(data):
                return self._answer(path, ranged, 416, b"", {"Content-Range": f"bytes */{len(data)}"})
        body = data[start:]
        headers = {"Content-Length": str(len(body))}
        status = 200
        if ranged and start:
            status = 206
            headers["Content-Range"] = f"bytes {start}-{len(data) - 1}/{len(data)}"
        with self.lock:
            cut = self.stop_after.pop(path, None)
        if cut is not None:  # announce it all, send part, hang up
            self._record(path, ranged, status, f"(stopping after {cut} of {len(body)} bytes)")
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body[:cut])
            self.wfile.flush()
            self.close_connection = True
            return
        self._answer(path, ranged, status, body, headers)

    def _record(self, path, ranged, status, note=""):
        with self.lock:
            self.requests.append((path, ranged, status))
        if self.echo:
            print(status, path, f"Range: {ranged}" if ranged else "", note, flush=True)

    def _answer(self, path, ranged, status, body, headers=None):
        self._record(path, ranged, status)
        self.send_response(status)
        for key, value in (headers or {"Content-Length": str(len(body))}).items():
            self.send_header(key, value)
        if "Content-Length" not in (headers or {}):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Server:
    def __init__(self, httpd: http.server.ThreadingHTTPServer, handler: type[_Handler]):
        self.httpd = httpd
        self.handler = handler

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + "/" + path.lstrip("/")

    @property
    def requests(self) -> list[tuple[str, str | None, int]]:
        return list(self.handler.requests)


@contextlib.contextmanager
def serving(root: Path, stop_after: dict[str, int] | None = None, port: int = 0, echo: bool = False):
    handler = type("Handler", (_Handler,), {"root": Path(root).resolve(), "stop_after": dict(stop_after or {}),
                                            "requests": [], "lock": threading.Lock(), "echo": echo})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(httpd, handler)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def lay_out_as_addresses(manifest_entries, mirror: Path, root: Path) -> None:
    """Copy each mirrored file to the path of its download address under `root`, so a server on
    `root` answers the manifest's addresses (with UNALLOCATED_DOWNLOAD_BASE pointing at it)."""
    for entry in manifest_entries:
        path = urllib.parse.urlsplit(entry.download_url).path
        target = root / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(mirror / entry.file, target)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--stop-after", action="append", default=[], metavar="PATH=BYTES")
    args = parser.parse_args()
    stops = {p: int(n) for p, _, n in (s.rpartition("=") for s in args.stop_after)}
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with serving(Path(args.folder), stops, args.port, echo=True) as server:
        print(f"serving {args.folder} at {server.base} (Ctrl-C stops it)", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
