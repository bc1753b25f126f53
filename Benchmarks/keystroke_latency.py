#!/usr/bin/env python3
"""Keystroke latency of `scholia serve`: from a one-character `didChange` to the
`publishDiagnostics` of that version.

    python3 Benchmarks/keystroke_latency.py [--bin .build/release/scholia] [--size 1048576] [--keystrokes 300]

Starts the server over pipes with LSP framing (Content-Length, as editors speak it) and
`debounceMilliseconds: 0`, opens a news-like document (English and Arabic paragraphs with quotes,
Benchmarks/newslike.py) of --size bytes, then types --keystrokes characters one at a time: each is an
incremental `didChange`, and the next is sent only when the diagnostics of the previous version have
arrived (a frame counts as arrived when its last byte is read, before the client parses it). Prints
the median, p90 and p99 in milliseconds, with the size of the diagnostics each keystroke brings back.
Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from newslike import build_document  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

PUBLISH = b'"method":"textDocument/publishDiagnostics"'
URI = re.compile(rb'"uri":("(?:[^"\\]|\\.)*")')
VERSION = re.compile(rb'"version":(\d+)')


class Server:
    def __init__(self, command: list[str]):
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.responses: dict[int, queue.Queue] = {}
        self.diagnostics: queue.Queue = queue.Queue()  # (arrival time, size in bytes, params)
        self.next_id = 1
        self.lock = threading.Lock()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _send(self, message: dict) -> float:
        body = json.dumps(message, ensure_ascii=False).encode("utf-8")
        frame = b"Content-Length: %d\r\n\r\n" % len(body) + body
        with self.lock:
            self.proc.stdin.write(frame)
            self.proc.stdin.flush()
            return time.perf_counter()

    def notify(self, method: str, params) -> float:
        return self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params, timeout: float = 60):
        rid = self.next_id
        self.next_id += 1
        box: queue.Queue = queue.Queue()
        self.responses[rid] = box
        self._send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        reply = box.get(timeout=timeout)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result")

    def _read(self):
        stream = self.proc.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            body = stream.read(length)
            arrived = time.perf_counter()
            head = body[:1024]
            if PUBLISH in head and URI.search(head) and VERSION.search(head):
                # A publish: its uri and version are read from its head, the rest is parsed only when
                # asked (parsing megabytes in Python per keystroke would make a run take minutes; the
                # clock has stopped by now either way).
                params = {"uri": json.loads(URI.search(head).group(1)), "version": int(VERSION.search(head).group(1))}
                self.diagnostics.put((arrived, len(body), params, body))
                continue
            message = json.loads(body)
            if message.get("method") == "textDocument/publishDiagnostics":
                self.diagnostics.put((arrived, len(body), message["params"], None))
            elif "id" in message and "method" not in message:
                box = self.responses.pop(message["id"], None)
                if box:
                    box.put(message)
            elif "id" in message:  # a request from the server (workspace/configuration, refresh)
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": None})

    def wait_version(self, uri: str, version: int, timeout: float = 60, parse: bool = False):
        deadline = time.perf_counter() + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"no diagnostics for version {version} of {uri}")
            arrived, size, params, body = self.diagnostics.get(timeout=left)
            if params["uri"] == uri and params.get("version") == version:
                if body is not None and parse:
                    params = json.loads(body)["params"]
                return arrived, size, params

    def close(self):
        try:
            self.request("shutdown", None, timeout=10)
            self.notify("exit", None)
            self.proc.stdin.close()
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    if not sorted_values:
        return float("nan")
    rank = max(1, min(len(sorted_values), round(p / 100 * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]


def utf16_position(text: str, index: int) -> dict:
    line = text.count("\n", 0, index)
    start = text.rfind("\n", 0, index) + 1
    return {"line": line, "character": len(text[start:index].encode("utf-16-le")) // 2}


def corpus_document(path: Path, size: int) -> str:
    """Real articles joined by blank lines, in a fixed order, cut at an article boundary near `size`
    UTF-8 bytes (the corpus is repeated if it is smaller)."""
    if path.is_dir():
        articles = [p.read_text(encoding="utf-8") for p in sorted(path.rglob("*.txt"))]
    else:
        articles = [json.loads(line).get("content", "") for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    articles = [a.strip() for a in articles if a.strip()]
    if not articles:
        raise SystemExit(f"keystroke_latency: no articles in {path}")
    parts: list[str] = []
    total = 0
    while total < size:
        for article in articles:
            parts.append(article)
            total += len(article.encode("utf-8")) + 2
            if total >= size:
                break
    return "\n\n".join(parts) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default_bin = os.environ.get("SCHOLIA_BIN") or str(ROOT / ".build" / "release" / "scholia")
    parser.add_argument("--bin", default=default_bin, help="the scholia binary (default: $SCHOLIA_BIN or .build/release/scholia)")
    parser.add_argument("--size", type=int, default=1 << 20, help="document size in UTF-8 bytes (default 1 MiB)")
    parser.add_argument("--keystrokes", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=5, help="keystrokes before measuring (default 5)")
    parser.add_argument("--mode", choices=["typing", "random"], default="typing",
                        help="typing: characters typed at one cursor in the middle of the document; random: each at a random place")
    parser.add_argument("--settings", default="{}",
                        help='extra scholia settings as JSON, e.g. \'{"severity": {"quote": "off"}}\' to time annotation without the diagnostics payload')
    parser.add_argument("--corpus", default=None,
                        help="build the document from real articles instead: a folder of .txt files (PolNeAR's text/) "
                             "or a JSON-lines file with a 'content' member (SaudiNewsNet), read at run time, "
                             "articles joined by blank lines up to --size bytes")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args(argv)
    if not Path(args.bin).is_file():
        print(f"keystroke_latency: no binary at {args.bin} (swift build -c release)", file=sys.stderr)
        return 2

    text = corpus_document(Path(args.corpus), args.size) if args.corpus else build_document(args.size)
    uri = "file:///bench/keystrokes.txt"
    server = Server([args.bin, "serve"])
    try:
        server.request("initialize", {
            "processId": os.getpid(),
            "capabilities": {"general": {"positionEncodings": ["utf-16"]},
                             "textDocument": {"publishDiagnostics": {"versionSupport": True}}},
            "initializationOptions": {"scholia": {**json.loads(args.settings), "debounceMilliseconds": 0}},
        })
        server.notify("initialized", {})
        sent = server.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "plaintext", "version": 1, "text": text}})
        arrived, open_size, params = server.wait_version(uri, 1, parse=True)
        open_ms = (arrived - sent) * 1000
        open_count = len(params["diagnostics"])

        rng = random.Random(1)
        cursor = text.index("\n\n", len(text) // 2) - 1  # before the end of a middle paragraph
        typed = "and the minister said “we may well agree” before noon. "
        latencies: list[float] = []
        sizes: list[int] = []
        version = 1
        for i in range(args.warmup + args.keystrokes):
            if args.mode == "random":
                cursor = rng.randrange(len(text))
            char = typed[i % len(typed)]
            position = utf16_position(text, cursor)
            version += 1
            sent = server.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": position, "end": position}, "text": char}],
            })
            text = text[:cursor] + char + text[cursor:]
            cursor += 1
            arrived, size, _ = server.wait_version(uri, version)
            if i >= args.warmup:
                latencies.append((arrived - sent) * 1000)
                sizes.append(size)
    finally:
        server.close()

    ordered = sorted(latencies)
    figures = {
        "document_bytes": len(text.encode("utf-8")),
        "keystrokes": len(latencies),
        "mode": args.mode,
        "open_ms": round(open_ms, 2),
        "diagnostics": open_count,
        "diagnostics_payload_bytes": open_size,
        "median_ms": round(statistics.median(ordered), 3),
        "p90_ms": round(percentile(ordered, 90), 3),
        "p99_ms": round(percentile(ordered, 99), 3),
        "max_ms": round(ordered[-1], 3),
        "mean_payload_bytes": round(statistics.mean(sizes)),
    }
    if args.json:
        print(json.dumps(figures))
    else:
        print(f"document: {figures['document_bytes']} bytes, {open_count} diagnostics "
              f"({open_size / 1e6:.2f} MB of publishDiagnostics), first annotation {open_ms:.1f} ms")
        print(f"keystrokes: {len(latencies)} ({args.mode}), didChange -> publishDiagnostics of that version:")
        print(f"  median {figures['median_ms']:.2f} ms   p90 {figures['p90_ms']:.2f} ms   "
              f"p99 {figures['p99_ms']:.2f} ms   max {figures['max_ms']:.2f} ms")
        print("  bars: median <= 5 ms, p99 <= 20 ms -> "
              + ("met" if figures["median_ms"] <= 5 and figures["p99_ms"] <= 20 else "NOT met"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
