"""A 1 MB document edited 200 times with incremental changes: the diagnostics after the last edit
are those a fresh open of the same final text gets (incremental re-annotation is invisible)."""

import json
import random
import sys

from lsprotocol import types

from conftest import ROOT, change_document, line_starts, diagnostics_for, open_document, plain, position_of, quotes, range_text

sys.path.insert(0, str(ROOT / "Benchmarks"))
from newslike import build_document  # noqa: E402

EDITS = 200


def random_edit(rng: random.Random, text: str):
    """A (start, end, new_text) edit in str indexes: typing, deleting, quote marks, new paragraphs."""
    at = rng.randrange(len(text))
    choice = rng.random()
    if choice < 0.35:  # type a word
        return at, at, rng.choice(["x", "said ", "وقال ", "may ", " ربما", "e"])
    if choice < 0.55:  # delete a few characters (never a whole line break pair, any is fine)
        return at, min(len(text), at + rng.randint(1, 6)), ""
    if choice < 0.75:  # a lone quote mark: opens or closes a quote somewhere
        return at, at, rng.choice(["“", "”", "«", "»", '"'])
    if choice < 0.9:  # a quoted phrase
        return at, at, rng.choice(["“new words,” ", "«كلمات جديدة» ", "\"plain quotes\" "])
    return at, at, rng.choice(["\n\n", "\n"])  # split a paragraph


def normalised(diagnostics, uri):
    return json.dumps([plain(d) for d in diagnostics], ensure_ascii=False, sort_keys=True).replace(uri, "URI")


async def test_one_megabyte_edited_200_times(client):
    text = build_document(1 << 20, seed=11)
    assert len(text.encode("utf-8")) >= 1 << 20
    uri = open_document(client, text)
    first = await diagnostics_for(client, uri, version=1, timeout=60)
    assert len(quotes(first)) > 1000

    rng = random.Random(2024)
    for version in range(2, EDITS + 2):
        start, end, new_text = random_edit(rng, text)
        starts = line_starts(text)
        rng_lsp = types.Range(start=position_of(text, start, starts=starts), end=position_of(text, end, starts=starts))
        change_document(client, uri, version, [types.TextDocumentContentChangePartial(range=rng_lsp, text=new_text)])
        text = text[:start] + new_text + text[end:]
        if version % 25 == 0:
            # Let some versions be annotated (incrementally, from the one before) along the way.
            await diagnostics_for(client, uri, version=version, timeout=60)
    final_version = EDITS + 1
    edited = await diagnostics_for(client, uri, version=final_version, timeout=60)

    fresh_uri = open_document(client, text)
    fresh = await diagnostics_for(client, fresh_uri, version=1, timeout=60)
    assert len(edited) == len(fresh)
    assert normalised(edited, uri) == normalised(fresh, fresh_uri)
    # And the server's text is the client's text: every span reads the same here.
    for d in quotes(edited)[:: max(1, len(quotes(edited)) // 200)]:
        assert range_text(text, d.range) == d.data["text"]
