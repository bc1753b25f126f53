"""Documents and push diagnostics: the seed article, English and Arabic texts, Markdown and HTML,
edits, close, and the code action that inserts scholia-disable-next-line."""

from lsprotocol import types

from conftest import (
    ARABIC,
    ENGLISH,
    SEED,
    apply_edit,
    capabilities,
    change_document,
    diagnostics_for,
    index_of,
    open_document,
    plain,
    published_count,
    quotes,
    range_of,
    range_text,
    seed_text,
)

SEED_QUOTE = "“بحاجة الرئيس بوتين إلى مساعدات الحرب وجهود الزعيم كيم لإبراز مكانة كوريا الشمالية”"


def quote_texts(text, diagnostics, encoding="utf-16"):
    return [range_text(text, d.range, encoding) for d in quotes(diagnostics)]


async def test_seed_article_quote(client):
    text = seed_text()
    uri = open_document(client, text, uri=SEED.as_uri())
    diagnostics = await diagnostics_for(client, uri, version=1)
    assert diagnostics, "no diagnostics for the seed article"
    for d in diagnostics:
        assert d.source == "scholia"
        assert d.code in {"hedge", "source", "cue", "quote"}
        # data is the annotation without kind and range: those are the diagnostic's code and range.
        assert "kind" not in d.data and "range" not in d.data
        assert {"id", "module", "start", "end", "text", "attributes", "links"} <= d.data.keys()
        assert range_text(text, d.range) == d.data["text"]
    found = quotes(diagnostics)
    assert SEED_QUOTE in [range_text(text, d.range) for d in found]
    quote = next(d for d in found if range_text(text, d.range) == SEED_QUOTE)
    # The gold offsets (code points) of the seed quote: 1808..1891, on line 16.
    assert index_of(text, quote.range.start) == 1808
    assert index_of(text, quote.range.end) == 1891
    assert quote.range.start.line == 16 and quote.range.end.line == 16
    assert text[index_of(text, quote.range.start)] in "«“"
    assert quote.severity == types.DiagnosticSeverity.Information
    assert quote.message.startswith(("Quote", "Partial quote"))
    assert quote.data["module"] == "quotations"
    assert quote.data["attributes"]["closed"] is True


async def test_seed_article_counts_and_the_cue_setting(client, start):
    # The seed has 14 hedges, 15 sources, 16 cues (15 linked to a source) and 1 quote. A cue linked
    # to its source is named in the source's diagnostic: by default only the one cue without a
    # source (أضاف) has its own diagnostic; `cueDiagnostics: all` gives each of the 16 one.
    text = seed_text()
    uri = open_document(client, text, uri=SEED.as_uri())
    diagnostics = await diagnostics_for(client, uri, version=1)
    codes = [d.code for d in diagnostics]
    assert {code: codes.count(code) for code in set(codes)} == {"hedge": 14, "source": 15, "cue": 1, "quote": 1}
    cue = next(d for d in diagnostics if d.code == "cue")
    assert range_text(text, cue.range) == "أضاف"
    assert not [link for link in cue.data["links"] if link["rel"] == "source"]
    named = [d for d in diagnostics if d.code == "source" and "(cue: " in d.message]
    assert len(named) == 15

    every = await start(capabilities(), {"debounceMilliseconds": 0, "cueDiagnostics": "all"})
    uri = open_document(every, text, uri=SEED.as_uri())
    codes = [d.code for d in await diagnostics_for(every, uri, version=1)]
    assert codes.count("cue") == 16 and len(codes) == 46


async def test_english_and_arabic_quotes(client):
    uri = open_document(client, ENGLISH)
    diagnostics = await diagnostics_for(client, uri, version=1)
    texts = quote_texts(ENGLISH, diagnostics)
    assert "“We will not give in.”" in texts
    assert "“It is probably too early,”" in texts

    uri = open_document(client, ARABIC)
    diagnostics = await diagnostics_for(client, uri, version=1)
    texts = quote_texts(ARABIC, diagnostics)
    assert "«ربما نعود غدًا»" in texts
    assert "“قد تستأنف قريبًا”" in texts
    guillemets = next(d for d in quotes(diagnostics) if range_text(ARABIC, d.range) == "«ربما نعود غدًا»")
    assert guillemets.range.start == types.Position(line=0, character=ARABIC.index("«"))
    assert guillemets.data["attributes"]["marks"] == "«»"


async def test_positions_in_utf8_and_utf32(start):
    text = "Emoji 🙂 first. “Quoted 🙂 words,” she said.\nقال: «نعم»\n"
    for encoding in ("utf-8", "utf-32"):
        lsp_client = await start(capabilities(encodings=[encoding]), {"debounceMilliseconds": 0})
        uri = open_document(lsp_client, text)
        diagnostics = await diagnostics_for(lsp_client, uri, version=1)
        assert quote_texts(text, diagnostics, encoding) == ["“Quoted 🙂 words,”", "«نعم»"]


async def test_incremental_edit_moves_and_closes_quotes(client):
    text = ENGLISH
    uri = open_document(client, text)
    await diagnostics_for(client, uri, version=1)
    # Insert a new paragraph with a quote before everything, then break the first quote's closing mark.
    insert = "A spokesman said: «Nothing is decided.»\n\n"
    at = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0))
    change_document(client, uri, 2, [types.TextDocumentContentChangePartial(range=at, text=insert)])
    text = apply_edit(text, at, insert)
    diagnostics = await diagnostics_for(client, uri, version=2)
    assert quote_texts(text, diagnostics)[:2] == ["«Nothing is decided.»", "“We will not give in.”"]
    # A whole-document change.
    change_document(client, uri, 3, [types.TextDocumentContentChangeWholeDocument(text="No quotes here.\n")])
    assert quotes(await diagnostics_for(client, uri, version=3)) == []


async def test_rejected_change_keeps_the_document(client):
    uri = open_document(client, ENGLISH)
    await diagnostics_for(client, uri, version=1)
    past_end = types.Range(start=types.Position(line=99, character=0), end=types.Position(line=99, character=0))
    change_document(client, uri, 2, [types.TextDocumentContentChangePartial(range=past_end, text="x")])
    # The server says why in window/logMessage (Error) and the document stays at version 1.
    from conftest import wait_for

    await wait_for(lambda: any(m.type == types.MessageType.Error for m in client.log_messages), what="an error log message")
    report = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert report.result_id.split(".")[1] == "1"


async def test_close_clears_diagnostics(client):
    uri = open_document(client, ENGLISH)
    assert quotes(await diagnostics_for(client, uri, version=1))
    seen = published_count(client, uri)
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    assert await diagnostics_for(client, uri, after=seen) == []


MARKDOWN = """---
title: "Front “matter” is not prose"
---

# Talks resume

The minister said: “We will not give in.” See [the “report”](https://example.com/“not-a-quote”).

Run `say “inline code”` to print it; <https://example.com/«autolink»> too.

```text
“A code block quote”
```

    “An indented code quote”

<!-- scholia-disable-next-line -->
She said: “an ignored line”.

A wrapped paragraph: “this quote
wraps onto a second line” and ends.

> Quoted block: «أهلاً وسهلاً» in a blockquote.
"""


async def test_markdown_prose_only(client):
    uri = open_document(client, MARKDOWN, "markdown")
    diagnostics = await diagnostics_for(client, uri, version=1)
    texts = quote_texts(MARKDOWN, diagnostics)
    assert "“We will not give in.”" in texts
    assert "“this quote\nwraps onto a second line”" in texts
    assert "«أهلاً وسهلاً»" in texts
    for not_prose in ("“matter”", "“not-a-quote”", "“inline code”", "«autolink»", "“A code block quote”",
                      "“An indented code quote”", "“an ignored line”"):
        assert not_prose not in texts, f"{not_prose} was annotated"
    for d in diagnostics:
        assert range_text(MARKDOWN, d.range) == d.data["text"]
    wrapped = next(d for d in quotes(diagnostics) if "wraps" in range_text(MARKDOWN, d.range))
    assert wrapped.range.end.line == wrapped.range.start.line + 1


HTML = """<!DOCTYPE html>
<html>
<head><style>p::before { content: "“style”"; }</style></head>
<body>
<p class="“attribute”" title='«attr»'>The minister said: &ldquo;we may go&rdquo; and left.</p>
<p>An aide wrote <code>“code”</code> and &#171;نعم&#187;, then &#x201C;hex &amp; more&#x201D;.</p>
<!-- “a comment” -->
<script>var s = "“script”";</script>
<p>Plain “curly” marks.</p>
</body>
</html>
"""


async def test_html_tags_and_entities(client):
    uri = open_document(client, HTML, "html")
    diagnostics = await diagnostics_for(client, uri, version=1)
    texts = quote_texts(HTML, diagnostics)
    assert "&ldquo;we may go&rdquo;" in texts
    assert "&#171;نعم&#187;" in texts
    assert "&#x201C;hex &amp; more&#x201D;" in texts
    assert "“curly”" in texts
    for not_prose in ("“style”", "“attribute”", "«attr»", "“code”", "“a comment”", "“script”"):
        assert not_prose not in texts, f"{not_prose} was annotated"
    for d in diagnostics:
        assert range_text(HTML, d.range) == d.data["text"]


async def test_code_action_inserts_disable_next_line(client):
    uri = open_document(client, MARKDOWN, "markdown")
    diagnostics = await diagnostics_for(client, uri, version=1)
    target = next(d for d in quotes(diagnostics) if range_text(MARKDOWN, d.range) == "“We will not give in.”")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=target.range,
            context=types.CodeActionContext(diagnostics=[target]),
        )
    )
    titles = [a.title for a in actions]
    assert "Ignore this line with scholia-disable-next-line" in titles
    assert "Ignore module quotations on this line" in titles
    action = next(a for a in actions if a.title == "Ignore this line with scholia-disable-next-line")
    assert action.kind == types.CodeActionKind.QuickFix
    (edit,) = action.edit.changes[uri]
    assert edit.new_text == "<!-- scholia-disable-next-line -->\n"
    assert edit.range.start == types.Position(line=target.range.start.line, character=0)

    # Apply it as an editor would; the quote's diagnostic goes, the others stay.
    change_document(client, uri, 2, [types.TextDocumentContentChangePartial(range=edit.range, text=edit.new_text)])
    text = apply_edit(MARKDOWN, edit.range, edit.new_text)
    after = quote_texts(text, await diagnostics_for(client, uri, version=2))
    assert "“We will not give in.”" not in after
    assert "“this quote\nwraps onto a second line”" in after

    # Plain text has no comments, so no actions.
    plain_uri = open_document(client, ENGLISH)
    plain_diagnostics = await diagnostics_for(client, plain_uri, version=1)
    assert not await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=plain_uri),
            range=quotes(plain_diagnostics)[0].range,
            context=types.CodeActionContext(diagnostics=quotes(plain_diagnostics)),
        )
    )


async def test_code_action_without_diagnostics_uses_the_range(client):
    uri = open_document(client, MARKDOWN, "markdown")
    await diagnostics_for(client, uri, version=1)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=range_of(MARKDOWN, "We will"),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    assert any("scholia-disable-next-line" in plain(a)["edit"]["changes"][uri][0]["newText"] for a in actions)
