#!/usr/bin/env python3
"""An example Scholia process module: marks loaded, sensational words in English and Arabic.

Scholia starts it once (`command` in module.json) and speaks JSON-RPC 2.0 to it over stdin and
stdout with LSP framing (a `Content-Length` header, a blank line, the JSON body):

  initialize {processId, positionEncodings}  -> {name, version, kinds, languages, positionEncoding}
  annotate   {text, language, options?}      -> {annotations: [{kind, start, end, attributes?}]}
  shutdown                                   -> null, then the `exit` notification

It asks for `utf-32` offsets, so `start`/`end` index the Python string directly. Standard library only.
Anything written to stderr goes to Scholia's log.
"""
import json
import re
import sys

NAME = "python-loaded-words"
KINDS = [{"kind": "loaded", "severity": "warning", "tokenType": "loaded"}]

# Words that tell the reader what to feel rather than what happened.
WORDS = {
    "en": ["slammed", "blasted", "shocking", "outrageous", "stunning", "disaster", "catastrophic",
           "scandal", "bombshell", "chaos", "furious", "devastating"],
    "ar": ["فضيحة", "كارثة", "كارثي", "صادم", "صادمة", "مروع", "مروعة", "فوضى", "غاضب", "مدمر"],
}
# Arabic words may carry a proclitic (و، ف، ب، ل، ال): matched but not included in the span.
PATTERNS = {
    "en": re.compile(r"\b(" + "|".join(WORDS["en"]) + r")\b", re.IGNORECASE),
    "ar": re.compile(r"(?<![\w])(?:[وفبل]?(?:ال)?)(" + "|".join(WORDS["ar"]) + r")(?![\w])"),
}


def read_message(stream):
    """One framed message, or None at the end of input."""
    length = None
    while True:
        line = stream.readline()
        if not line:
            return None
        line = line.strip()
        if not line:
            if length is None:
                continue
            break
        name, _, value = line.decode("ascii", "replace").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    return json.loads(stream.read(length).decode("utf-8"))


def write_message(stream, message):
    body = json.dumps(message, ensure_ascii=False).encode("utf-8")
    stream.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    stream.flush()


def annotate(params):
    text = params.get("text", "")
    languages = [params["language"]] if params.get("language") in PATTERNS else list(PATTERNS)
    annotations = []
    for language in languages:
        for match in PATTERNS[language].finditer(text):
            start, end = match.span(1)
            annotations.append({"kind": "loaded", "start": start, "end": end,
                                "attributes": {"word": match.group(1).lower(), "language": language}})
    return {"annotations": annotations}


def main():
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        message = read_message(stdin)
        if message is None or message.get("method") == "exit":
            return
        if "id" not in message:
            continue  # notifications: $/cancelRequest (calls here are quick, so nothing to stop)
        method, params = message.get("method"), message.get("params") or {}
        if method == "initialize":
            result = {"name": NAME, "version": "1.0.0", "kinds": KINDS, "languages": ["en", "ar"],
                      "positionEncoding": "utf-32"}
        elif method == "annotate":
            result = annotate(params)
        elif method == "shutdown":
            result = None
        else:
            write_message(stdout, {"jsonrpc": "2.0", "id": message["id"],
                                   "error": {"code": -32601, "message": "method not found: %s" % method}})
            continue
        write_message(stdout, {"jsonrpc": "2.0", "id": message["id"], "result": result})


if __name__ == "__main__":
    main()
