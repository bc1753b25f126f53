"""End-to-end tests of `scholia serve` through a real LSP client (pytest-lsp, on pygls).

The binary comes from $SCHOLIA_BIN (scripts/test sets it to .build/release/scholia); without it,
.build/debug/scholia in the repository. Every test starts its own server process.

Fixtures:
  client   -- a server initialised with plain push-model capabilities (UTF-16 positions,
              debounceMilliseconds 0 so a change's diagnostics come at once);
  start    -- a factory for servers with other capabilities, options or settings.
"""

from __future__ import annotations

import asyncio
import os
import re
import time
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

ROOT = Path(__file__).resolve().parents[2]
SCHOLIA_BIN = os.environ.get("SCHOLIA_BIN") or str(ROOT / ".build" / "debug" / "scholia")
SEED = ROOT / "seeds" / "000_8c0ffeb5a460f4f0.txt"
SERVER_COMMAND = [SCHOLIA_BIN, "serve"]

TIMEOUT = float(os.environ.get("SCHOLIA_E2E_TIMEOUT", "20"))


def pytest_report_header(config):
    return f"scholia binary: {SCHOLIA_BIN}"


def pytest_collection_modifyitems(config, items):
    if not Path(SCHOLIA_BIN).is_file():
        skip = pytest.mark.skip(reason=f"no scholia binary at {SCHOLIA_BIN} (build it, or set SCHOLIA_BIN)")
        for item in items:
            item.add_marker(skip)


# ---------------------------------------------------------------------------------------------
# The client: pytest-lsp's test client, with every publishDiagnostics kept (with its version) and
# the server's refresh requests counted.


def make_client() -> LanguageClient:
    client = LanguageClient(converter_factory=default_converter)
    features = {
        method: handler
        for method, handler in DEFAULT_CLIENT_FEATURES.items()
        if method != types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS
    }
    register_lsp_features(client, features)
    client.published = {}  # uri -> [PublishDiagnosticsParams], in arrival order
    client.refreshes = {}  # method -> count

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def publish_diagnostics(ls: LanguageClient, params: types.PublishDiagnosticsParams):
        ls.diagnostics[params.uri] = params.diagnostics
        ls.published.setdefault(params.uri, []).append(params)

    def counter(method):
        def count(ls: LanguageClient, params):
            ls.refreshes[method] = ls.refreshes.get(method, 0) + 1
            return None

        return count

    for method in (
        types.WORKSPACE_SEMANTIC_TOKENS_REFRESH,
        types.WORKSPACE_INLAY_HINT_REFRESH,
        types.WORKSPACE_CODE_LENS_REFRESH,
    ):
        client.feature(method)(counter(method))
    return client


CONFIG = ClientServerConfig(server_command=SERVER_COMMAND, client_factory=make_client)


def capabilities(
    *,
    encodings: list[str] | None = None,
    configuration: bool = False,
    pull: bool = False,
    refresh: bool = False,
    multiline_tokens: bool = False,
    hover_formats: list[str] | None = None,
) -> types.ClientCapabilities:
    """Client capabilities for a test: what Scholia's behaviour depends on, nothing more."""
    text_document = types.TextDocumentClientCapabilities(
        synchronization=types.TextDocumentSyncClientCapabilities(dynamic_registration=False),
        hover=types.HoverClientCapabilities(
            content_format=[types.MarkupKind(f) for f in (hover_formats or ["markdown", "plaintext"])]
        ),
        publish_diagnostics=types.PublishDiagnosticsClientCapabilities(
            related_information=True, version_support=True, data_support=True
        ),
        semantic_tokens=types.SemanticTokensClientCapabilities(
            requests=types.ClientSemanticTokensRequestOptions(range=True, full=types.ClientSemanticTokensRequestFullDelta(delta=True)),
            token_types=["hedge", "source", "cue", "quote"],
            token_modifiers=["named", "unnamed", "partial", "nested", "attributed", "unattributed", "unclosed"],
            formats=[types.TokenFormat.Relative],
            multiline_token_support=multiline_tokens,
        ),
        document_symbol=types.DocumentSymbolClientCapabilities(hierarchical_document_symbol_support=True),
        inlay_hint=types.InlayHintClientCapabilities(),
        code_lens=types.CodeLensClientCapabilities(),
        document_highlight=types.DocumentHighlightClientCapabilities(),
        code_action=types.CodeActionClientCapabilities(
            code_action_literal_support=types.ClientCodeActionLiteralOptions(
                code_action_kind=types.ClientCodeActionKindOptions(value_set=[types.CodeActionKind.QuickFix])
            )
        ),
        diagnostic=types.DiagnosticClientCapabilities(related_document_support=False) if pull else None,
    )
    workspace = types.WorkspaceClientCapabilities(
        configuration=configuration,
        did_change_configuration=types.DidChangeConfigurationClientCapabilities(dynamic_registration=False),
        diagnostics=types.DiagnosticWorkspaceClientCapabilities(refresh_support=True) if refresh else None,
        semantic_tokens=types.SemanticTokensWorkspaceClientCapabilities(refresh_support=True) if refresh else None,
        inlay_hint=types.InlayHintWorkspaceClientCapabilities(refresh_support=True) if refresh else None,
        code_lens=types.CodeLensWorkspaceClientCapabilities(refresh_support=True) if refresh else None,
    )
    general = types.GeneralClientCapabilities(
        position_encodings=[_encoding_kind(e) for e in encodings] if encodings else None
    )
    return types.ClientCapabilities(text_document=text_document, workspace=workspace, general=general)


def _encoding_kind(name: str):
    try:
        return types.PositionEncodingKind(name)
    except ValueError:  # an encoding LSP does not name, offered as it is
        return name


async def initialize(client: LanguageClient, caps: types.ClientCapabilities | None = None, options: Any = None):
    result = await asyncio.wait_for(
        client.initialize_session(
            types.InitializeParams(
                capabilities=caps or capabilities(),
                initialization_options=options,
                root_uri=ROOT.as_uri(),
                client_info=types.ClientInfo(name="pytest-lsp"),
            )
        ),
        TIMEOUT,
    )
    client.init_result = result
    return result


@pytest_lsp.fixture(config=CONFIG)
async def client(lsp_client: LanguageClient):
    """A server with push diagnostics, UTF-16 positions, no debounce."""
    await initialize(lsp_client, capabilities(), {"scholia": {"debounceMilliseconds": 0}})
    yield
    await asyncio.wait_for(lsp_client.shutdown_session(), TIMEOUT)


@pytest.fixture
async def start():
    """`await start(caps=..., options=..., configuration=...)` -> an initialised client."""
    clients: list[LanguageClient] = []

    async def _start(caps=None, options=None, configuration=None):
        lsp_client = await CONFIG.start()
        clients.append(lsp_client)
        if configuration is not None:
            lsp_client.set_configuration(configuration)
        await initialize(lsp_client, caps, options)
        return lsp_client

    yield _start
    for lsp_client in clients:
        try:
            await asyncio.wait_for(lsp_client.shutdown_session(), TIMEOUT)
        finally:
            await lsp_client.stop()


# ---------------------------------------------------------------------------------------------
# Documents and positions.

_counter = 0


def new_uri(suffix: str = "txt") -> str:
    global _counter
    _counter += 1
    return f"file:///scholia-e2e/doc-{os.getpid()}-{_counter}.{suffix}"


def open_document(client: LanguageClient, text: str, language_id: str = "plaintext", uri: str | None = None, version: int = 1) -> str:
    uri = uri or new_uri({"markdown": "md", "html": "html"}.get(language_id, "txt"))
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id=language_id, version=version, text=text)
        )
    )
    return uri


def change_document(client: LanguageClient, uri: str, version: int, changes: list[types.TextDocumentContentChangeEvent]):
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version), content_changes=changes
        )
    )


async def wait_for(predicate, timeout: float = TIMEOUT, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(0.005)


async def diagnostics_for(client: LanguageClient, uri: str, version: int | None = None, after: int = 0, timeout: float = TIMEOUT):
    """The first publishDiagnostics for `uri` (of `version`, when given) beyond the first `after` ones."""

    def found():
        for params in client.published.get(uri, [])[after:]:
            if version is None or params.version == version:
                return params
        return None

    params = await wait_for(found, timeout, f"diagnostics of {uri} version {version}")
    return list(params.diagnostics)


def published_count(client: LanguageClient, uri: str) -> int:
    return len(client.published.get(uri, []))


def line_starts(text: str) -> list[int]:
    """Indexes where each line starts; lines end with \\n, \\r\\n or \\r, as LSP counts them."""
    return [0] + [m.end() for m in _LINE_BREAK.finditer(text)]


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def units(s: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(s.encode("utf-8"))
    if encoding == "utf-16":
        return len(s.encode("utf-16-le")) // 2
    return len(s)


def index_of(text: str, position: types.Position, encoding: str = "utf-16", starts: list[int] | None = None) -> int:
    """The str index of an LSP position."""
    starts = starts or line_starts(text)
    start = starts[position.line]
    end = starts[position.line + 1] if position.line + 1 < len(starts) else len(text)
    count = 0
    i = start
    while i < end and count < position.character:
        count += units(text[i], encoding)
        i += 1
    assert count == position.character, f"position {position} falls inside a character"
    return i


def position_of(text: str, index: int, encoding: str = "utf-16", starts: list[int] | None = None) -> types.Position:
    starts = starts or line_starts(text)
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= index:
            lo = mid
        else:
            hi = mid - 1
    return types.Position(line=lo, character=units(text[starts[lo]:index], encoding))


def range_text(text: str, rng: types.Range, encoding: str = "utf-16") -> str:
    starts = line_starts(text)
    return text[index_of(text, rng.start, encoding, starts):index_of(text, rng.end, encoding, starts)]


def range_of(text: str, needle: str, encoding: str = "utf-16", occurrence: int = 0) -> types.Range:
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    return types.Range(start=position_of(text, index, encoding), end=position_of(text, index + len(needle), encoding))


def whole_range(text: str, encoding: str = "utf-16") -> types.Range:
    return types.Range(start=types.Position(line=0, character=0), end=position_of(text, len(text), encoding))


def apply_edit(text: str, rng: types.Range, new_text: str, encoding: str = "utf-16") -> str:
    starts = line_starts(text)
    return text[: index_of(text, rng.start, encoding, starts)] + new_text + text[index_of(text, rng.end, encoding, starts):]


def plain(value):
    """A diagnostic (or any lsprotocol value) as JSON-like data, for comparisons."""
    return _CONVERTER.unstructure(value)


_CONVERTER = default_converter()


async def request(client: LanguageClient, method: str, params: Any = None):
    """A request by name (Scholia's own methods have no lsprotocol type): the raw result."""
    # JSON-RPC lets params be omitted, not null: send an empty object rather than null.
    result = await asyncio.wait_for(client.protocol.send_request_async(method, {} if params is None else params), TIMEOUT)
    return to_json(result)


def to_json(value):
    """pygls hands untyped results over as named tuples (`pygls.protocol.Object`); back to JSON data."""
    if hasattr(value, "_asdict"):
        return {key: to_json(item) for key, item in value._asdict().items()}
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in value]
    return value


async def module_names(client: LanguageClient) -> list[str]:
    result = await request(client, "scholia/modules")
    return [m["name"] for m in result["modules"]]


async def require_module(client: LanguageClient, name: str):
    names = await module_names(client)
    if name not in names:
        pytest.skip(f"the {name} module is not loaded (scholia/modules lists {', '.join(names) or 'none'})")


def quotes(diagnostics) -> list:
    return [d for d in diagnostics if d.code == "quote"]


# ---------------------------------------------------------------------------------------------
# Texts.

ENGLISH = (
    "Talks resume\n"
    "\n"
    "The minister said: “We will not give in.” Officials said the talks may resume on Monday.\n"
    "\n"
    "“It is probably too early,” a diplomat told reporters, according to Reuters.\n"
)

ARABIC = (
    "قال الوزير: «ربما نعود غدًا» ثم غادر القاعة.\n"
    "\n"
    "وأضاف مسؤولون أن المفاوضات “قد تستأنف قريبًا” بحسب وكالة الأنباء.\n"
)


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")
