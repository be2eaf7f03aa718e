"""The CounterTalk language server: lint as you type, and names at your fingertips.

Diagnostics come from the same passes as `countertalk lint` (debounced while typing, at once on
open and save). Completion offers state ids after `goto:`/`start:`, catalogue behaviours and
mistakes, laws, topics, outcomes, scoring models and the keys allowed where the cursor is.
Go to definition and find references work on state ids; hover explains catalogue entries and
diagnostic codes; each did-you-mean has a quick fix.
"""

from __future__ import annotations

import asyncio
import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import unquote

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from simulator.engine.format import TOPICS
from simulator.engine.lint.diagnostics import CODES

from . import document as doc

DEBOUNCE_SECONDS = 0.05  # after the last keystroke; a 200-state file lints in ~20 ms


class ScenarioServer(LanguageServer):
    def __init__(self) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            v = version("countertalk")
        except PackageNotFoundError:  # pragma: no cover - a bare checkout
            v = "0"
        super().__init__("countertalk", v)
        self.pending: dict[str, asyncio.TimerHandle] = {}


server = ScenarioServer()


def _catalogue() -> dict[str, Any]:
    from scoring import catalogue

    return catalogue.catalogue()


def _is_scenario(uri: str) -> bool:
    return uri.endswith((".yaml", ".yml")) and not uri.endswith((".test.yaml", ".test.yml"))


# -- diagnostics ---------------------------------------------------------------------------------
def diagnostics_for(source: str, path: str) -> list[types.Diagnostic]:
    """The lint findings for a document's text, as LSP diagnostics with ranges over the token.

    The per-file checks of the one pipeline (tooling/checks.py), as `countertalk lint` runs
    them: a knowledge-check activity (a top-level `kind:`) gets its CT5xx findings, a scenario
    the engine's passes and the scoring checks."""
    raw = source.encode("utf-8", "surrogatepass")
    from simulator.tooling.checks import check_source

    # The one pipeline `countertalk lint` runs (tooling/checks.py), file by file.
    found = check_source(raw, path).diagnostics
    lines = source.split("\n")
    out = []
    for d in found:
        line = max(d.line - 1, 0)
        text = lines[line] if line < len(lines) else ""
        start = min(max(d.column - 1, 0), len(text))
        end = doc.token_end(text, start)
        if d.subject:  # inside a template: point at the name itself when it is on this line
            at = text.find(d.subject, start)
            if at >= 0:
                start, end = at, at + len(d.subject)
        out.append(
            types.Diagnostic(
                range=types.Range(
                    start=types.Position(line=line, character=start),
                    end=types.Position(line=line, character=max(end, start + 1)),
                ),
                message=d.message,
                severity=types.DiagnosticSeverity.Error
                if d.severity == "error"
                else types.DiagnosticSeverity.Warning,
                code=d.code,
                source="countertalk",
                data={"suggestion": d.suggestion} if d.suggestion else None,
            )
        )
    return out


_gc_lock = threading.Lock()
_gc_holders = 0  # lints running with the collector paused (two documents may lint at once)
_gc_was_enabled = True


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run a lint with Python's cyclic garbage collector paused, resuming it after the last.

    Checking a 200-state file builds ~40,000 YAML nodes, values and positions that live until
    the check ends; each allocation burst triggers collections that, when they reach the oldest
    generation, walk every object in the server (pygls, lsprotocol, the linter's tables). That
    cost 40 of 90 ms CPU per check on average (measured: process_time of diagnostics_for, GC on
    vs paused, benchmarks/gen.py's 200-state file) and comes between an edit and its
    diagnostics. What the check leaves behind is freed by reference counting as it returns; any
    cycles are collected once the collector is back."""
    global _gc_holders, _gc_was_enabled
    with _gc_lock:
        if _gc_holders == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_holders += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_holders -= 1
            if _gc_holders == 0 and _gc_was_enabled:
                gc.enable()


def _checked(source: str, path: str) -> list[types.Diagnostic]:
    """diagnostics_for in a worker thread, with the collector paused (see collector_paused)."""
    with collector_paused():
        return diagnostics_for(source, path)


def _text(ls: ScenarioServer, uri: str) -> str | None:
    """An open document's text, or a regular file inside the workspace (see files.py)."""
    from .files import document_text

    return document_text(ls.workspace, uri)


def _lines(ls: ScenarioServer, uri: str) -> list[str] | None:
    text = _text(ls, uri)
    return None if text is None else text.split("\n")


def _publish(ls: ScenarioServer, uri: str) -> None:
    """Lint in a worker thread, so the server keeps answering while a large file is checked."""
    ls.pending.pop(uri, None)
    asyncio.get_running_loop().create_task(_publish_async(ls, uri))


def _one(message: str, code: str) -> types.Diagnostic:
    return types.Diagnostic(
        range=types.Range(
            start=types.Position(line=0, character=0), end=types.Position(line=0, character=1)
        ),
        message=message,
        severity=types.DiagnosticSeverity.Error,
        code=code,
        source="countertalk",
    )


async def _publish_async(ls: ScenarioServer, uri: str) -> None:
    from .files import MAX_DOCUMENT, too_large

    opened = ls.workspace.text_documents.get(unquote(uri))
    if opened is None:  # never opened (or closed meanwhile): nothing to publish for
        return
    version = opened.version
    path = to_fs_path(uri) or uri
    source = _text(ls, uri)
    if source is None:
        found = (
            [
                _one(
                    f"file is over {MAX_DOCUMENT // 1048576} MB; scenarios are limited to that — "
                    "split it into several scenarios",
                    "CT003",
                )
            ]  # fmt: skip
            if too_large(ls.workspace, uri)
            else []
        )
    else:
        try:
            found = await asyncio.get_running_loop().run_in_executor(None, _checked, source, path)
        except Exception as exc:  # never leave the editor without an answer (or kill the server)
            found = [
                _one(
                    f"could not be checked ({type(exc).__name__}); run 'countertalk lint'", "CT900"
                )
            ]
    current = ls.workspace.text_documents.get(unquote(uri))
    if current is None or current.version != version:  # edited meanwhile: a newer run follows
        return
    ls.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=uri, diagnostics=found, version=version)
    )


def _schedule(ls: ScenarioServer, uri: str, delay: float) -> None:
    if not _is_scenario(uri):
        return
    old = ls.pending.pop(uri, None)
    if old is not None:
        old.cancel()
    if delay <= 0:
        _publish(ls, uri)
        return
    loop = asyncio.get_running_loop()
    ls.pending[uri] = loop.call_later(delay, _publish, ls, uri)


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
async def did_open(ls: ScenarioServer, params: types.DidOpenTextDocumentParams) -> None:
    _schedule(ls, params.text_document.uri, 0)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
async def did_change(ls: ScenarioServer, params: types.DidChangeTextDocumentParams) -> None:
    _schedule(ls, params.text_document.uri, DEBOUNCE_SECONDS)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
async def did_save(ls: ScenarioServer, params: types.DidSaveTextDocumentParams) -> None:
    _schedule(ls, params.text_document.uri, 0)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
async def did_close(ls: ScenarioServer, params: types.DidCloseTextDocumentParams) -> None:
    old = ls.pending.pop(params.text_document.uri, None)
    if old is not None:
        old.cancel()
    ls.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
    )


# -- completion ----------------------------------------------------------------------------------
def _values_for(key: str, lines: list[str]) -> list[tuple[str, str]]:
    from simulator.engine.lint.spec import spec

    cat = _catalogue()
    if key in ("goto", "start"):
        return [(s, "state") for s in doc.state_definitions(lines)]
    if key == "shows":
        return [(k, v.get("label", "")) for k, v in cat.get("behaviours", {}).items()]
    if key == "mistakes":
        return [(k, v.get("label", "")) for k, v in cat.get("mistakes", {}).items()]
    if key == "law":
        from simulator.engine import vocabulary

        return [(k, "law") for k in vocabulary.law_keys()]  # acts, and ACT.FACT
    if key == "topic":
        return [(k, "topic") for k in TOPICS]
    if key == "end":
        return [(k, "outcome") for k in spec().state.choices["end"]]
    if key == "models":
        from simulator.engine import vocabulary

        return [(k, "scoring model") for k in vocabulary.model_ids()]
    return []


def completions_at(source: str, line_no: int, char: int) -> list[types.CompletionItem]:
    from simulator.engine.lint.spec import spec

    lines = source.split("\n")
    line = lines[line_no] if line_no < len(lines) else ""
    before = line[:char]
    key = doc.value_context(before)
    if key is not None:
        kind = (
            types.CompletionItemKind.Reference
            if key in ("goto", "start")
            else types.CompletionItemKind.EnumMember
        )
        return [
            types.CompletionItem(label=label, kind=kind, detail=detail)
            for label, detail in _values_for(key, lines)
        ]
    # A key position: the keys allowed in this part of the file.
    section = doc.section_of(doc.key_path(lines, line_no, char))
    s = spec()
    keys = {
        "root": s.root.keys,
        "state": s.state.keys,
        "choice": s.choice.keys,
        "customer": s.customer.keys,
        "escalation": s.escalation.keys,
        "scoring": s.scoring.keys,
        "rule": s.rule.keys,
    }.get(section, ())
    return [
        types.CompletionItem(
            label=k, kind=types.CompletionItemKind.Property, insert_text=f"{k}: ", detail=section
        )
        for k in keys
    ]


@server.feature(
    types.TEXT_DOCUMENT_COMPLETION,
    types.CompletionOptions(trigger_characters=[":", " ", "[", ","]),
)
def completion(ls: ScenarioServer, params: types.CompletionParams) -> types.CompletionList:
    source = _text(ls, params.text_document.uri)
    if source is None:
        return types.CompletionList(is_incomplete=False, items=[])
    items = completions_at(source, params.position.line, params.position.character)
    return types.CompletionList(is_incomplete=False, items=items)


# -- definitions and references ------------------------------------------------------------------
def _state_under_cursor(lines: list[str], pos: types.Position) -> str | None:
    line = lines[pos.line] if pos.line < len(lines) else ""
    span = doc.word_at(line, pos.character)
    if span is None:
        return None
    word = line[span.start : span.end]
    defs = doc.state_definitions(lines)
    if word in defs:
        return word
    if word.startswith("visits.") and word[7:] in defs:
        return word[7:]
    return None


def _location(uri: str, span: doc.Span) -> types.Location:
    return types.Location(
        uri=uri,
        range=types.Range(
            start=types.Position(line=span.line, character=span.start),
            end=types.Position(line=span.line, character=span.end),
        ),
    )


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
def definition(ls: ScenarioServer, params: types.DefinitionParams) -> types.Location | None:
    lines = _lines(ls, params.text_document.uri)
    if lines is None:
        return None
    sid = _state_under_cursor(lines, params.position)
    if sid is None:
        return None
    return _location(params.text_document.uri, doc.state_definitions(lines)[sid])


@server.feature(types.TEXT_DOCUMENT_REFERENCES)
def references(ls: ScenarioServer, params: types.ReferenceParams) -> list[types.Location] | None:
    lines = _lines(ls, params.text_document.uri)
    if lines is None:
        return None
    sid = _state_under_cursor(lines, params.position)
    if sid is None:
        return None
    spans = doc.state_references(lines, sid)
    if params.context.include_declaration:
        spans.insert(0, doc.state_definitions(lines)[sid])
    return [_location(params.text_document.uri, s) for s in spans]


# -- hover ---------------------------------------------------------------------------------------
def hover_text(word: str) -> str | None:
    cat = _catalogue()
    for group, what in (("behaviours", "Behaviour"), ("mistakes", "Mistake")):
        entry = cat.get(group, {}).get(word)
        if entry:
            parts = [f"**{entry.get('label', word)}** ({what.lower()} `{word}`)"]
            for field in ("explanation", "advice"):
                if entry.get(field):
                    parts.append(f"{field.capitalize()}: {entry[field]}")
            if entry.get("marking_point"):
                parts.append(f"Marking point: `{entry['marking_point']}`")
            return "\n\n".join(parts)
    if word in CODES:
        name, severity, summary = CODES[word]
        return f"**{word} {name}** ({severity}): {summary}. See docs/diagnostics.md."
    return None


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: ScenarioServer, params: types.HoverParams) -> types.Hover | None:
    lines = _lines(ls, params.text_document.uri)
    if lines is None:
        return None
    line = lines[params.position.line] if params.position.line < len(lines) else ""
    span = doc.word_at(line, params.position.character)
    if span is None:
        return None
    text = hover_text(line[span.start : span.end])
    if text is None:
        return None
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text),
        range=types.Range(
            start=types.Position(line=params.position.line, character=span.start),
            end=types.Position(line=params.position.line, character=span.end),
        ),
    )


# -- quick fixes ---------------------------------------------------------------------------------
@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
)
def code_action(ls: ScenarioServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    lines = _lines(ls, params.text_document.uri)
    if lines is None:
        return []
    actions: list[types.CodeAction] = []
    for d in params.context.diagnostics:
        data = d.data if isinstance(d.data, dict) else {}
        new = data.get("suggestion")
        if d.source != "countertalk" or not new:
            continue
        rng = d.range
        line = lines[rng.start.line] if rng.start.line < len(lines) else ""
        old = line[rng.start.character : rng.end.character]
        quoted = old[:1] in "'\"" and old[-1:] == old[:1] and len(old) > 1
        text = f"{old[0]}{new}{old[0]}" if quoted else new
        actions.append(
            types.CodeAction(
                title=f"Change to '{new}'",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[d],
                is_preferred=True,
                edit=types.WorkspaceEdit(
                    changes={params.text_document.uri: [types.TextEdit(range=rng, new_text=text)]}
                ),
            )
        )
    return actions


def main() -> int:
    server.start_io()
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
