#!/usr/bin/env python3
"""A process module that misbehaves on purpose, for Scholia's fault-injection tests.

    fault_module.py NAME MODE

Marks every "alpha" as kind `fault` (UTF-32 offsets), except as MODE says:
  ok                 behaves
  crash-every-third  exits with status 3 on every third annotate call (counting from its start)
  hang               answers initialize, then never answers annotate
  garbage            answers initialize, then writes bytes that are not a frame for annotate
  out-of-range       returns a span past the end of the text, one with start > end, and a good one
"""
import json
import re
import sys

name, mode = sys.argv[1], sys.argv[2]
stdin, stdout = sys.stdin.buffer, sys.stdout.buffer


def read():
    length = None
    while True:
        line = stdin.readline()
        if not line:
            return None
        line = line.strip()
        if not line:
            if length is None:
                continue
            return json.loads(stdin.read(length))
        key, _, value = line.decode().partition(":")
        if key.lower() == "content-length":
            length = int(value)


def write(message):
    body = json.dumps(message).encode()
    stdout.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    stdout.flush()


calls = 0
while True:
    message = read()
    if message is None or message.get("method") == "exit":
        sys.exit(0)
    if "id" not in message:
        continue
    method = message["method"]
    if method == "initialize":
        write({"jsonrpc": "2.0", "id": message["id"], "result": {
            "name": name, "kinds": [{"kind": "fault", "severity": "hint"}], "languages": [],
            "positionEncoding": "utf-32"}})
    elif method == "shutdown":
        write({"jsonrpc": "2.0", "id": message["id"], "result": None})
    elif method == "annotate":
        calls += 1
        text = message["params"]["text"]
        spans = [{"kind": "fault", "start": m.start(), "end": m.end()} for m in re.finditer("alpha", text)]
        if mode == "crash-every-third" and calls % 3 == 0:
            sys.stderr.write("fault module %s: crashing on call %d\n" % (name, calls))
            sys.exit(3)
        if mode == "hang":
            stdin.read()  # never answers; ends only when its input closes
            sys.exit(0)
        if mode == "garbage":
            stdout.write(b"this is not a frame\r\n\r\n{{{ nor JSON\n")
            stdout.flush()
            continue
        if mode == "out-of-range":
            spans += [{"kind": "fault", "start": len(text) + 5, "end": len(text) + 9},
                      {"kind": "fault", "start": 4, "end": 2}, {"kind": "fault"}, "nonsense"]
        write({"jsonrpc": "2.0", "id": message["id"], "result": {"annotations": spans}})
