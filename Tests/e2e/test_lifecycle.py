"""Lifecycle and capabilities: initialize, the advertised features, scholia/modules, shutdown/exit."""

import asyncio

from lsprotocol import types

from conftest import CONFIG, TIMEOUT, capabilities, initialize, module_names, request


async def test_initialize_advertises_every_feature(client):
    caps = client.init_result.capabilities
    info = client.init_result.server_info
    assert info.name == "scholia"
    assert info.version
    assert caps.position_encoding == types.PositionEncodingKind.Utf16
    sync = caps.text_document_sync
    assert sync.open_close is True
    assert sync.change == types.TextDocumentSyncKind.Incremental
    assert caps.diagnostic_provider.identifier == "scholia"
    assert caps.diagnostic_provider.inter_file_dependencies is False
    legend = caps.semantic_tokens_provider.legend
    assert list(legend.token_types[:4]) == ["hedge", "source", "cue", "quote"]
    assert list(legend.token_modifiers) == ["named", "unnamed", "partial", "nested", "attributed", "unattributed", "unclosed"]
    assert caps.semantic_tokens_provider.range is True
    assert caps.semantic_tokens_provider.full.delta is True
    assert caps.hover_provider is True
    assert caps.document_symbol_provider is True
    assert caps.inlay_hint_provider is True
    assert caps.code_lens_provider.resolve_provider is False
    assert caps.document_highlight_provider is True
    assert types.CodeActionKind.QuickFix in caps.code_action_provider.code_action_kinds
    scholia = caps.experimental["scholia"]
    assert set(scholia["methods"]) == {"scholia/annotate", "scholia/profile", "scholia/modules"}
    assert "quotations" in scholia["modules"]


async def test_modules_lists_quotations(client):
    result = await request(client, "scholia/modules")
    by_name = {m["name"]: m for m in result["modules"]}
    quotations = by_name["quotations"]
    assert quotations["status"] == "loaded"
    assert set(quotations["languages"]) >= {"en", "ar"}
    assert {"kind": "quote", "severity": "information", "tokenType": "quote"} in quotations["kinds"]
    assert await module_names(client) == client.init_result.capabilities.experimental["scholia"]["modules"]


async def test_position_encoding_is_negotiated(start):
    for offered, chosen in ((["utf-8", "utf-16"], "utf-8"), (["utf-32"], "utf-32"), (["latin-1"], "utf-16")):
        lsp_client = await start(capabilities(encodings=offered))
        assert lsp_client.init_result.capabilities.position_encoding == chosen


async def test_bad_initialization_options_fail_initialize():
    lsp_client = await CONFIG.start()
    try:
        try:
            await initialize(lsp_client, capabilities(), {"severity": {"quote": "loud"}})
        except Exception as error:  # pygls raises the JSON-RPC error
            assert "unknown severity 'loud'" in str(error)
        else:
            raise AssertionError("initialize accepted a bad severity")
    finally:
        lsp_client.exit(None)
        await lsp_client.stop()


async def test_shutdown_then_exit_ends_with_status_0():
    lsp_client = await CONFIG.start()
    try:
        await initialize(lsp_client)
        await asyncio.wait_for(lsp_client.shutdown_async(None), TIMEOUT)
        lsp_client.exit(None)
        status = await asyncio.wait_for(lsp_client._server.wait(), TIMEOUT)
        assert status == 0
    finally:
        await lsp_client.stop()
