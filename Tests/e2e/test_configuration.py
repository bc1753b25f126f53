"""Configuration: initializationOptions, workspace/didChangeConfiguration (push and pull model),
workspace/configuration, severity and module switches, debouncing, refresh requests."""

import asyncio
import time

from lsprotocol import types

from conftest import (
    ENGLISH,
    capabilities,
    change_document,
    diagnostics_for,
    open_document,
    published_count,
    quotes,
    range_of,
    wait_for,
)


def push_settings(client, settings):
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=settings))


async def republished(client, uri, after):
    return await diagnostics_for(client, uri, after=after)


async def test_severity_and_modules_switches(client):
    uri = open_document(client, ENGLISH)
    diagnostics = await diagnostics_for(client, uri, version=1)
    assert all(d.severity == types.DiagnosticSeverity.Information for d in quotes(diagnostics))
    assert quotes(diagnostics)

    seen = published_count(client, uri)
    push_settings(client, {"scholia": {"severity": {"quote": "warning"}, "debounceMilliseconds": 0}})
    diagnostics = await republished(client, uri, seen)
    assert quotes(diagnostics) and all(d.severity == types.DiagnosticSeverity.Warning for d in quotes(diagnostics))

    seen = published_count(client, uri)
    push_settings(client, {"scholia": {"severity": {"quote": "off"}, "debounceMilliseconds": 0}})
    assert quotes(await republished(client, uri, seen)) == []

    seen = published_count(client, uri)
    push_settings(client, {"scholia": {"severity": {"quote": "error"}}})
    diagnostics = await republished(client, uri, seen)
    assert quotes(diagnostics) and all(d.severity == types.DiagnosticSeverity.Error for d in quotes(diagnostics))

    seen = published_count(client, uri)
    push_settings(client, {"scholia": {"modules": {"quotations": False}}})
    assert quotes(await republished(client, uri, seen)) == []

    seen = published_count(client, uri)
    push_settings(client, {"scholia": {"modules": ["quotations"]}})
    assert quotes(await republished(client, uri, seen))


async def test_bad_setting_is_logged_and_the_rest_applies(client):
    uri = open_document(client, ENGLISH)
    await diagnostics_for(client, uri, version=1)
    seen = published_count(client, uri)
    push_settings(client, {"scholia": {"severity": {"quote": "loud", "hedge": "off"}, "modules": {"quotations": False}}})
    await wait_for(
        lambda: any(m.type == types.MessageType.Error and "unknown severity 'loud'" in m.message for m in client.log_messages),
        what="a logMessage about the bad severity",
    )
    assert quotes(await republished(client, uri, seen)) == []


async def test_initialization_options_apply(start):
    lsp_client = await start(options={"scholia": {"severity": {"quote": "off"}}})
    uri = open_document(lsp_client, ENGLISH)
    assert quotes(await diagnostics_for(lsp_client, uri, version=1)) == []

    lsp_client = await start(options={"modules": []})
    uri = open_document(lsp_client, ENGLISH)
    assert await diagnostics_for(lsp_client, uri, version=1) == []


async def test_workspace_configuration_pull_model(start):
    # The client answers workspace/configuration from its own settings (pytest-lsp does this).
    lsp_client = await start(
        capabilities(configuration=True, refresh=True),
        configuration={"scholia": {"severity": {"quote": "warning"}, "debounceMilliseconds": 0}},
    )
    uri = open_document(lsp_client, ENGLISH)
    # The server asks at `initialized`; its answer may land before or after the first analysis.
    await wait_for(
        lambda: any(
            quotes(p.diagnostics) and all(d.severity == types.DiagnosticSeverity.Warning for d in quotes(p.diagnostics))
            for p in lsp_client.published.get(uri, [])
        ),
        what="diagnostics under the pulled settings",
    )

    # The pull model: settings null, the server asks again.
    lsp_client.set_configuration({"scholia": {"severity": {"quote": "off"}}})
    seen = published_count(lsp_client, uri)
    push_settings(lsp_client, None)
    assert quotes(await republished(lsp_client, uri, seen)) == []
    # Every refresh the client supports was requested.
    await wait_for(lambda: len(lsp_client.refreshes) == 3, what="refresh requests")
    assert lsp_client.diagnostic_refresh_count == 0  # a push client is pushed to, not asked to refresh


async def test_refresh_for_pull_clients(start):
    lsp_client = await start(capabilities(pull=True, refresh=True))
    uri = open_document(lsp_client, ENGLISH)
    push_settings(lsp_client, {"scholia": {"severity": {"quote": "off"}}})
    await wait_for(lambda: lsp_client.diagnostic_refresh_count >= 1, what="workspace/diagnostic/refresh")
    report = await lsp_client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert quotes(report.items) == []


async def test_debounce_coalesces_typing(start):
    lsp_client = await start(options={"debounceMilliseconds": 300})
    uri = open_document(lsp_client, ENGLISH)
    await diagnostics_for(lsp_client, uri, version=1)
    at = range_of(ENGLISH, "Talks")
    began = time.monotonic()
    for version in range(2, 12):
        change_document(lsp_client, uri, version, [types.TextDocumentContentChangePartial(range=types.Range(start=at.start, end=at.start), text="")])
        await asyncio.sleep(0.01)
    await diagnostics_for(lsp_client, uri, version=11)
    assert time.monotonic() - began >= 0.3
    # Only the last version of the burst was published.
    versions = [p.version for p in lsp_client.published[uri]]
    assert versions == [1, 11]
