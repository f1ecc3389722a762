"""pytest-lsp tests of `refnotes serve --stdio`, run with the client
capabilities of Neovim 0.7 and of VS Code (snapshots shipped in pytest-lsp).

Each test copies tests/fixtures/lsp/basic to a temporary folder, so edits and
corpus changes never touch the repository.
"""
import asyncio
import os
import pathlib
import shutil

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

SERVER = os.environ["REFNOTES_BIN"]
FIXTURE = pathlib.Path(os.environ["REFNOTES_FIXTURE"])

# The note's line 3 (0-based) has curly quotes before the name "Harbor Lane Foods".
QUOTE_LINE = (
    "Its chief executive called the purchase \u201ca natural fit for our brands\u201d, "
    "Harbor Lane Foods said [@001_harbor]."
)
SOURCE_QUOTE_LINE = (
    "The chief executive, Dana Whitfield, said the purchase was "
    "\u201ca natural fit for our brands\u201d and good news for Harbor Lane Foods."
)


def column(line: str, needle: str, encoding: str) -> int:
    before = line[: line.index(needle)]
    if encoding == types.PositionEncodingKind.Utf8:
        return len(before.encode("utf-8"))
    return len(before.encode("utf-16-le")) // 2


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> pathlib.Path:
    root = tmp_path_factory.mktemp("ws") / "basic"
    shutil.copytree(FIXTURE, root)
    return root


@pytest_lsp.fixture(
    params=["neovim@v0.7.0", "visual-studio-code"],
    config=ClientServerConfig(server_command=[SERVER, "serve", "--stdio"]),
)
async def client(request, lsp_client: LanguageClient, workspace: pathlib.Path):
    result = await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities(request.param),
            root_uri=workspace.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="ws")],
        )
    )
    lsp_client.encoding = result.capabilities.position_encoding or types.PositionEncodingKind.Utf16
    lsp_client.pulls = result.capabilities.diagnostic_provider is not None
    await asyncio.wait_for(wait_ready(lsp_client), timeout=20)
    yield
    try:
        await asyncio.wait_for(lsp_client.shutdown_session(), timeout=10)
    except asyncio.TimeoutError:
        pytest.fail("server did not exit within 10s of shutdown+exit")


async def wait_ready(client: LanguageClient):
    while True:
        status = await client.wait_for_notification("refnotes/status")
        if status.state == "ready":
            return


def open_note(client: LanguageClient, workspace: pathlib.Path) -> str:
    path = workspace / "notes" / "deal.md"
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=path.as_uri(), language_id="markdown", version=1, text=path.read_text()
            )
        )
    )
    return path.as_uri()


async def diagnostics(client: LanguageClient, uri: str):
    if client.pulls:
        report = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )
        return report.items
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return client.diagnostics[uri]


def position(client: LanguageClient, line: int, text: str, needle: str, extra: int = 0):
    return types.Position(line=line, character=column(text, needle, client.encoding) + extra)


async def test_capabilities(client: LanguageClient):
    assert client.encoding in (types.PositionEncodingKind.Utf8, types.PositionEncodingKind.Utf16)


async def test_diagnostics_carry_source_and_code(client: LanguageClient, workspace):
    uri = open_note(client, workspace)
    found = await diagnostics(client, uri)
    for diagnostic in found:
        assert diagnostic.source == "refnotes"
        assert isinstance(diagnostic.code, str)
    assert not any(d.code == "no-corpus" for d in found)


async def test_hover_on_a_name(client: LanguageClient, workspace):
    uri = open_note(client, workspace)
    await diagnostics(client, uri)
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=position(client, 3, QUOTE_LINE, "Harbor Lane Foods said", 2),
        )
    )
    assert isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.kind == types.MarkupKind.Markdown
    assert hover.contents.value.startswith("**Harbor Lane Foods**")


async def test_definition_on_a_name_after_curly_quotes(client: LanguageClient, workspace):
    uri = open_note(client, workspace)
    await diagnostics(client, uri)
    result = await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=position(client, 3, QUOTE_LINE, "Harbor Lane Foods said", 2),
        )
    )
    start = position(client, 3, SOURCE_QUOTE_LINE, "Harbor Lane Foods.")
    expected = types.Location(
        uri=(workspace / "corpus" / "001_harbor.txt").as_uri(),
        range=types.Range(start=start, end=types.Position(line=3, character=start.character + 17)),
    )
    assert expected in result


async def test_completion_after_citation_bracket(client: LanguageClient, workspace):
    uri = open_note(client, workspace)
    await diagnostics(client, uri)
    end = position(client, 3, QUOTE_LINE, ", Harbor")
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(start=end, end=end), text=" [@00"
                )
            ],
        )
    )
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=3, character=end.character + 5),
        )
    )
    items = result.items if isinstance(result, types.CompletionList) else result
    assert [item.label for item in items] == ["001_harbor", "002_close"]
    assert items[0].detail == "Harbor Lane Foods to buy Millbrook Dairy"


async def test_hover_and_definition_on_a_citation(client: LanguageClient, workspace):
    uri = open_note(client, workspace)
    await diagnostics(client, uri)
    at = position(client, 3, QUOTE_LINE, "001_harbor", 2)
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=at)
    )
    assert hover.contents.value.startswith("**Harbor Lane Foods to buy Millbrook Dairy**")
    result = await client.text_document_definition_async(
        types.DefinitionParams(text_document=types.TextDocumentIdentifier(uri=uri), position=at)
    )
    assert result[0].uri == (workspace / "corpus" / "001_harbor.txt").as_uri()
    assert result[0].range.start == types.Position(line=0, character=0)
