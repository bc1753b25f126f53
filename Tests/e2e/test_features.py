"""Editor features through the client: pull diagnostics, semantic tokens (full, range, delta),
hover, document symbols, inlay hints, code lens, document highlight, and Scholia's own requests."""

import pytest
from lsprotocol import types

from conftest import (
    ARABIC,
    ENGLISH,
    apply_edit,
    capabilities,
    change_document,
    diagnostics_for,
    index_of,
    module_names,
    open_document,
    plain,
    position_of,
    quotes,
    range_of,
    range_text,
    request,
    require_module,
    whole_range,
)


def doc(uri):
    return types.TextDocumentIdentifier(uri=uri)


# ---------------------------------------------------------------------------------------------
# Pull diagnostics


async def test_pull_diagnostics(start):
    lsp_client = await start(capabilities(pull=True))
    uri = open_document(lsp_client, ENGLISH)
    report = await lsp_client.text_document_diagnostic_async(types.DocumentDiagnosticParams(text_document=doc(uri)))
    assert report.kind == "full"
    assert report.result_id
    texts = [range_text(ENGLISH, d.range) for d in report.items if d.code == "quote"]
    assert "“We will not give in.”" in texts

    # Same version: unchanged.
    again = await lsp_client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=doc(uri), previous_result_id=report.result_id)
    )
    assert again.kind == "unchanged"
    assert again.result_id == report.result_id

    # After an edit: a new full report, with the new text's quotes.
    at = range_of(ENGLISH, "We will not give in.")
    change_document(lsp_client, uri, 2, [types.TextDocumentContentChangePartial(range=at, text="Never.")])
    text = apply_edit(ENGLISH, at, "Never.")
    changed = await lsp_client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=doc(uri), previous_result_id=report.result_id)
    )
    assert changed.kind == "full"
    assert changed.result_id != report.result_id
    assert "“Never.”" in [range_text(text, d.range) for d in changed.items if d.code == "quote"]

    # A client that pulls is never pushed to.
    assert lsp_client.published.get(uri, []) == []


async def test_pull_diagnostics_unknown_document(client):
    with pytest.raises(Exception, match="open"):
        await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=doc("file:///not/open.txt"))
        )


# ---------------------------------------------------------------------------------------------
# Semantic tokens


def decode_tokens(data, legend):
    """LSP's relative encoding -> [(line, startChar, length, type, {modifiers})]."""
    tokens = []
    line = start = 0
    for i in range(0, len(data), 5):
        delta_line, delta_start, length, type_index, bits = data[i : i + 5]
        line += delta_line
        start = start + delta_start if delta_line == 0 else delta_start
        modifiers = {m for b, m in enumerate(legend.token_modifiers) if bits & (1 << b)}
        tokens.append((line, start, length, legend.token_types[type_index], modifiers))
    return tokens


def apply_token_edits(data, edits):
    data = list(data)
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        data[edit.start : edit.start + edit.delete_count] = list(edit.data or [])
    return data


async def test_semantic_tokens_full_land_on_the_quotes(client):
    legend = client.init_result.capabilities.semantic_tokens_provider.legend
    text = ENGLISH + "\n" + ARABIC
    uri = open_document(client, text)
    await diagnostics_for(client, uri, version=1)
    result = await client.text_document_semantic_tokens_full_async(types.SemanticTokensParams(text_document=doc(uri)))
    assert len(result.data) % 5 == 0
    tokens = decode_tokens(result.data, legend)
    lines = text.split("\n")
    spans = {lines[line][start : start + length]: (kind, mods) for line, start, length, kind, mods in tokens}
    for quote in ("“We will not give in.”", "«ربما نعود غدًا»", "“قد تستأنف قريبًا”"):
        assert quote in spans, f"no token over {quote}: {sorted(spans)}"
        kind, mods = spans[quote]
        assert kind == "quote"
        assert mods & {"attributed", "unattributed"}
    # Tokens are in order and never overlap.
    flat = [(line, start, start + length) for line, start, length, _, _ in tokens]
    for (l1, _, e1), (l2, s2, _) in zip(flat, flat[1:]):
        assert (l1, e1) <= (l2, s2)


async def test_semantic_tokens_range_and_delta(client):
    legend = client.init_result.capabilities.semantic_tokens_provider.legend
    uri = open_document(client, ENGLISH)
    await diagnostics_for(client, uri, version=1)
    full = await client.text_document_semantic_tokens_full_async(types.SemanticTokensParams(text_document=doc(uri)))
    everything = decode_tokens(full.data, legend)

    # Range: only the tokens on the last paragraph (line 4).
    last_line = types.Range(start=types.Position(line=4, character=0), end=types.Position(line=5, character=0))
    ranged = await client.text_document_semantic_tokens_range_async(
        types.SemanticTokensRangeParams(text_document=doc(uri), range=last_line)
    )
    ranged_tokens = decode_tokens(ranged.data, legend)
    assert ranged_tokens and all(t[0] == 4 for t in ranged_tokens)
    assert ranged_tokens == [t for t in everything if t[0] == 4]

    # Delta after an edit: the edits applied to the old data give the new full data.
    at = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0))
    change_document(client, uri, 2, [types.TextDocumentContentChangePartial(range=at, text="“Breaking,” said one.\n")])
    await diagnostics_for(client, uri, version=2)
    delta = await client.text_document_semantic_tokens_full_delta_async(
        types.SemanticTokensDeltaParams(text_document=doc(uri), previous_result_id=full.result_id)
    )
    fresh = await client.text_document_semantic_tokens_full_async(types.SemanticTokensParams(text_document=doc(uri)))
    if isinstance(delta, types.SemanticTokensDelta):
        assert apply_token_edits(full.data, delta.edits) == list(fresh.data)
    else:  # the server may answer a delta request with full tokens
        assert list(delta.data) == list(fresh.data)
    assert decode_tokens(fresh.data, legend)[0][:4] == (0, 0, len("“Breaking,”"), "quote")


async def test_semantic_tokens_multiline(start):
    # Markdown: a paragraph wrapped over two lines is read as one, so the quote spans both.
    text = "Intro: “a quote\nover two lines” ends.\n"
    legend = None
    for multiline, expected in ((False, 2), (True, 1)):
        lsp_client = await start(capabilities(multiline_tokens=multiline))
        legend = lsp_client.init_result.capabilities.semantic_tokens_provider.legend
        uri = open_document(lsp_client, text, "markdown")
        result = await lsp_client.text_document_semantic_tokens_full_async(types.SemanticTokensParams(text_document=doc(uri)))
        quote_tokens = [t for t in decode_tokens(result.data, legend) if t[3] == "quote"]
        assert len(quote_tokens) == expected, quote_tokens


# ---------------------------------------------------------------------------------------------
# Hover, symbols, inlay hints, code lens, highlights


async def test_hover_markdown(client):
    uri = open_document(client, ENGLISH)
    await diagnostics_for(client, uri, version=1)
    inside = position_of(ENGLISH, ENGLISH.index("not give"))
    hover = await client.text_document_hover_async(types.HoverParams(text_document=doc(uri), position=inside))
    assert hover.contents.kind == types.MarkupKind.Markdown
    assert "**Quote**" in hover.contents.value
    assert "“We will not give in.”" in hover.contents.value
    assert "module quotations" in hover.contents.value
    assert range_text(ENGLISH, hover.range) == "“We will not give in.”"

    outside = position_of(ENGLISH, ENGLISH.index("Talks"))
    assert await client.text_document_hover_async(types.HoverParams(text_document=doc(uri), position=outside)) is None


async def test_hover_plaintext_when_client_lacks_markdown(start):
    lsp_client = await start(capabilities(hover_formats=["plaintext"]))
    uri = open_document(lsp_client, ENGLISH)
    inside = position_of(ENGLISH, ENGLISH.index("not give"))
    hover = await lsp_client.text_document_hover_async(types.HoverParams(text_document=doc(uri), position=inside))
    assert hover.contents.kind == types.MarkupKind.PlainText
    assert "**" not in hover.contents.value


async def test_document_symbols(client):
    text = ENGLISH + "\n" + ARABIC
    uri = open_document(client, text)
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc(uri)))
    groups = {s.name: s for s in symbols}
    assert "Quotes" in groups
    quotes_group = groups["Quotes"]
    children = [range_text(text, c.range) for c in quotes_group.children]
    for quote in ("“We will not give in.”", "«ربما نعود غدًا»", "“قد تستأنف قريبًا”"):
        assert quote in children
    assert quotes_group.detail.startswith(f"{len(quotes_group.children)}:")
    for child in quotes_group.children:
        assert child.detail == "no speaker" or child.detail.startswith("— ")
    if "sources" not in await module_names(client):
        assert set(groups) <= {"Quotes", "Hedges"}


async def test_inlay_hints(client):
    uri = open_document(client, ENGLISH)
    hints = await client.text_document_inlay_hint_async(
        types.InlayHintParams(text_document=doc(uri), range=whole_range(ENGLISH))
    )
    hints = hints or []
    for hint in hints:
        assert hint.padding_left is True
        assert hint.label in ("named", "unnamed") or hint.label.startswith("— ")
        assert hint.tooltip
    names = await module_names(client)
    if "sources" not in names:
        # The quotations module alone links no speakers, so there is nothing to hint.
        assert hints == []


async def test_inlay_hint_names_the_speaker(client):
    await require_module(client, "sources")
    uri = open_document(client, ENGLISH)
    hints = await client.text_document_inlay_hint_async(
        types.InlayHintParams(text_document=doc(uri), range=whole_range(ENGLISH))
    )
    labels = [h.label for h in hints]
    assert "— The minister" in labels or "— the minister" in [label.lower() for label in labels]
    after_quote = position_of(ENGLISH, ENGLISH.index("”") + 1)
    assert any(h.position == after_quote for h in hints)


async def test_code_lens_is_the_profile(client):
    text = ENGLISH + "\n" + ARABIC
    uri = open_document(client, text)
    lenses = await client.text_document_code_lens_async(types.CodeLensParams(text_document=doc(uri)))
    (lens,) = lenses
    assert lens.range.start == types.Position(line=0, character=0)
    assert lens.command.command == ""
    profile = await request(client, "scholia/profile", {"uri": uri})
    assert lens.command.title == profile["profile"]["summary"]
    assert profile["profile"]["quotes"]["total"] == 4
    assert "4 quotes" in lens.command.title


async def test_document_highlight(client):
    uri = open_document(client, ENGLISH)
    inside = position_of(ENGLISH, ENGLISH.index("not give"))
    highlights = await client.text_document_document_highlight_async(
        types.DocumentHighlightParams(text_document=doc(uri), position=inside)
    )
    assert highlights
    mine = [h for h in highlights if h.kind == types.DocumentHighlightKind.Text]
    assert [range_text(ENGLISH, h.range) for h in mine] == ["“We will not give in.”"]
    for h in highlights:
        if h.kind != types.DocumentHighlightKind.Text:
            assert h.kind == types.DocumentHighlightKind.Read
    outside = position_of(ENGLISH, ENGLISH.index("Talks"))
    assert not await client.text_document_document_highlight_async(
        types.DocumentHighlightParams(text_document=doc(uri), position=outside)
    )


async def test_document_highlight_links_speaker(client):
    await require_module(client, "sources")
    uri = open_document(client, ENGLISH)
    inside = position_of(ENGLISH, ENGLISH.index("not give"))
    highlights = await client.text_document_document_highlight_async(
        types.DocumentHighlightParams(text_document=doc(uri), position=inside)
    )
    linked = [range_text(ENGLISH, h.range) for h in highlights if h.kind == types.DocumentHighlightKind.Read]
    assert "said" in linked


async def test_hedges_are_reported(client):
    await require_module(client, "hedging")
    uri = open_document(client, ENGLISH)
    diagnostics = await diagnostics_for(client, uri, version=1)
    hedges = [range_text(ENGLISH, d.range) for d in diagnostics if d.code == "hedge"]
    assert "may" in hedges and "probably" in hedges
    assert all(d.severity == types.DiagnosticSeverity.Hint for d in diagnostics if d.code == "hedge")


# ---------------------------------------------------------------------------------------------
# Scholia's own requests, through the same client


async def test_annotate_text_and_open_document(client):
    result = await request(client, "scholia/annotate", {"text": ARABIC, "modules": ["quotations"]})
    assert result["language"] == "ar"
    texts = [a["text"] for a in result["annotations"] if a["kind"] == "quote"]
    assert texts == ["«ربما نعود غدًا»", "“قد تستأنف قريبًا”"]

    uri = open_document(client, ENGLISH)
    result = await request(client, "scholia/annotate", {"uri": uri})
    assert result["uri"] == uri and result["version"] == 1
    for a in result["annotations"]:
        start = index_of(ENGLISH, types.Position(**a["range"]["start"]))
        end = index_of(ENGLISH, types.Position(**a["range"]["end"]))
        assert ENGLISH[start:end] == a["text"]


async def test_unknown_method_is_method_not_found(client):
    with pytest.raises(Exception, match="-32601|not found|Method"):
        await request(client, "scholia/nothing", {})
