"""Parse untrusted YAML into plain data plus the line/column of every key and value.

PyYAML's C parser composes the node tree; we construct Python values ourselves so that we can
(1) remember where each value came from, for errors that name file:line:column, (2) refuse
duplicate keys instead of silently keeping the last, (3) refuse tags that would build objects,
and (4) bound the work an alias bomb or a huge file can cause.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .format import MAX_BYTES  # noqa: F401  (the limit belongs to the format)

Path = tuple[str | int, ...]  # keys and list indexes from the document root

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_safe = yaml.constructor.SafeConstructor()


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """The safe loader with PyYAML's tag resolution made cheap, same answers.

    libyaml composes in C but asks this Python class for every node's tag (``resolve``) and
    around every child (``descend_resolver``/``ascend_resolver``): ~10,000 calls for a 200-state
    file, a third of composing it (measured: cProfile, `countertalk lsp` on benchmarks/gen.py's
    file). The safe loader has no path resolvers, so a tag depends only on the node's kind and,
    for a plain scalar, its text: a scalar whose first character starts none of the implicit
    patterns (bool, int, float, null, timestamp, merge, value) is a string, and the few others
    (keys such as ``text``/``note``, numbers) are resolved once and remembered (bounded)."""

    _plain: dict[str, str] = {}  # plain scalar text -> tag, for texts that need a pattern
    _PLAIN_MAX = 4096  # entries: untrusted files must not grow it without bound
    _PLAIN_LONGEST = 64  # characters: longer texts are resolved each time, not remembered

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if self.yaml_path_resolvers:  # pragma: no cover - nobody adds them; keep PyYAML's way
            return str(super().resolve(kind, value, implicit))
        if kind is ScalarNode:
            if not implicit[0] or (value and not _ANY_FIRST and value[0] not in _FIRST_CHARS):
                return _STR
            tag = self._plain.get(value)
            if tag is None:
                tag = str(super().resolve(kind, value, implicit))
                if len(value) <= self._PLAIN_LONGEST and len(self._plain) < self._PLAIN_MAX:
                    self._plain[value] = tag
            return tag
        return _SEQ if kind is SequenceNode else _MAP

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        if self.yaml_path_resolvers:  # pragma: no cover - see resolve
            super().descend_resolver(current_node, current_index)

    def ascend_resolver(self) -> None:
        if self.yaml_path_resolvers:  # pragma: no cover - see resolve
            super().ascend_resolver()


MAX_NODES = 1_000_000  # values built, counting alias expansions (a 2,000-state file has ~80,000)
MAX_DEPTH = 64  # the format needs depth ~7
# libyaml's composer recurses in C: ~100,000 nested flow brackets crash the interpreter, so flow
# nesting is bounded on the raw bytes before composing. (Block nesting needs indentation that
# grows with depth, so MAX_BYTES already bounds it.) Brackets inside quoted text count too, which
# is why this limit is far above anything the format needs.
MAX_FLOW_DEPTH = 500
# Block nesting is ours to bound too, before libyaml sees the file: its own limit (and its wording,
# which changed in PyYAML 6.0.4) is not something a tutor should meet. Each block level indents
# at least one column more than its parent, so only a file with a line indented this far can be
# this deep, and only then is the (linear) indentation walk done.
MAX_BLOCK_DEPTH = 200
_DEEP_INDENT = re.compile(rb"^[ \t-]{%d}" % MAX_BLOCK_DEPTH, re.M)
_LEAD = re.compile(rb"[ ]*((?:-[ ]+)*)")
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_COMPACT_NESTING = re.compile(rb"(?:[-?:][ \t]+){%d}" % MAX_FLOW_DEPTH)
_DEPTH_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}

# The first characters of the texts an implicit pattern could match (PyYAML files its patterns
# under them). A pattern filed under None would apply to any text: then every text is looked up.
_FIRST_CHARS: frozenset[str] = frozenset(
    k for k in _BaseLoader.yaml_implicit_resolvers if k is not None
)
_ANY_FIRST = None in _BaseLoader.yaml_implicit_resolvers
_TAG = "tag:yaml.org,2002:"
_STR, _SEQ, _MAP = _TAG + "str", _TAG + "seq", _TAG + "map"
_BLOCK_STYLES = ("|", ">")
_SCALAR_TAGS: dict[str, Callable[[ScalarNode], object] | None] = {
    _TAG + "str": None,
    _TAG + "int": _safe.construct_yaml_int,
    _TAG + "float": _safe.construct_yaml_float,
    _TAG + "bool": _safe.construct_yaml_bool,
    _TAG + "null": lambda node: None,
    _TAG + "timestamp": None,  # keep dates as the text the tutor wrote
}


class YamlProblem(Exception):
    """A fatal problem with the file as YAML; line/column are 1-based."""

    def __init__(self, message: str, line: int = 1, column: int = 1, code: str = "CT001") -> None:
        super().__init__(message)
        self.message, self.line, self.column, self.code = message, line, column, code


class Parsed:
    """The data, plus positions keyed by path tuples.

    `values[path]` is where the value at `path` starts; `keys[path]` is where its key is written
    (absent for list items). `duplicates` lists (path, line, col, first_line) of repeated keys.
    `block_scalars` holds the paths of `|`/`>` strings, whose text starts on the next line.
    """

    __slots__ = ("data", "values", "keys", "duplicates", "block_scalars")

    def __init__(self) -> None:
        self.data: Any = None  # untrusted YAML values; the loader validates them
        self.values: dict[Path, tuple[int, int]] = {}
        self.keys: dict[Path, tuple[int, int]] = {}
        self.duplicates: list[tuple[Path, int, int, int]] = []
        self.block_scalars: set[Path] = set()

    def where(self, path: Path) -> tuple[int, int]:
        """Position of the key at `path` if any, else of its value, else of the nearest parent."""
        p = tuple(path)
        while p:
            if p in self.keys:
                return self.keys[p]
            if p in self.values:
                return self.values[p]
            p = p[:-1]
        return self.values.get((), (1, 1))

    def value_at(self, path: Path) -> tuple[int, int]:
        p = tuple(path)
        while p:
            if p in self.values:
                return self.values[p]
            p = p[:-1]
        return self.values.get((), (1, 1))


def _pos(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Budget:
    """Values left to build, and per composite node already built: (its value, its size)."""

    __slots__ = ("left", "built")

    def __init__(self, left: int) -> None:
        self.left = left
        self.built: dict[int, tuple[Any, int]] = {}


def _check_block_depth(raw: bytes) -> None:
    """Refuse block nesting deeper than MAX_BLOCK_DEPTH with our own message and position."""
    if not _DEEP_INDENT.search(raw):
        return
    indents: list[int] = []  # the columns of the open block levels
    for lineno, line in enumerate(raw.split(b"\n"), 1):
        m = _LEAD.match(line)
        assert m is not None  # the pattern matches the empty string
        rest = line[m.end() :].strip()
        if not rest or rest.startswith(b"#"):
            continue
        col = len(line) - len(line.lstrip(b" "))
        levels = [col]
        dashes = m.group(1)
        if dashes:  # "- - x": each dash opens one more level, two columns further in
            pos = col
            for _ in range(dashes.count(b"-")):
                pos += 2
                levels.append(pos)
        while indents and indents[-1] >= col:
            indents.pop()
        indents.extend(levels)
        if len(indents) > MAX_BLOCK_DEPTH:
            raise YamlProblem(
                f"values are nested more than {MAX_BLOCK_DEPTH} levels deep; flatten the structure",
                lineno,
                col + 1,
                "CT005",
            )


def parse_bytes(raw: bytes) -> Parsed:
    if len(raw) > MAX_BYTES:
        raise YamlProblem(
            f"file is {len(raw) / 1048576:.1f} MB; scenarios are limited to "
            f"{MAX_BYTES // 1048576} MB — split it into several scenarios",
            code="CT003",
        )
    _check_flow_depth(raw)
    _check_block_depth(raw)
    compact = _COMPACT_NESTING.search(raw)  # "- - - - …" nests without brackets or indentation
    if compact:
        line = raw.count(b"\n", 0, compact.start()) + 1
        col = compact.start() - (raw.rfind(b"\n", 0, compact.start()) + 1) + 1
        raise YamlProblem(
            f"values are nested more than {MAX_FLOW_DEPTH} deep; flatten the structure",
            line,
            col,
            "CT005",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlProblem(
            "the file is not UTF-8 text; save it as UTF-8", line, col, "CT004"
        ) from None
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        tab = _tab_at(text, mark, exc.problem or "")
        if tab:
            raise YamlProblem(
                "tabs aren't allowed for indentation in YAML; use spaces", *tab, "CT002"
            ) from None
        if "maximum nesting depth" in (exc.problem or ""):
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            raise YamlProblem(
                "values are nested too deep; flatten the structure", line, col, "CT005"
            ) from None
        msg = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            msg = f"{exc.problem} ({exc.context}"
            cm = exc.context_mark
            if cm is not None and mark is not None and cm.line != mark.line:
                msg += f" that starts at line {cm.line + 1}, column {cm.column + 1}"
            msg += ")"
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlProblem(f"YAML syntax: {msg}; check indentation and quoting", line, col) from None
    except yaml.reader.ReaderError as exc:  # a NUL or other control character: say where
        ch = exc.character if isinstance(exc.character, int) else 0
        pos = text.find(chr(ch))
        line = text.count("\n", 0, pos) + 1 if pos >= 0 else 1
        col = pos - (text.rfind("\n", 0, pos) + 1) + 1 if pos >= 0 else 1
        raise YamlProblem(
            f"the file contains a control character (code {ch:#04x}) that YAML "
            f"does not allow; delete it",
            line,
            col,
            "CT004",
        ) from None
    except yaml.YAMLError as exc:  # e.g. "expected a single document"
        raise YamlProblem(f"YAML: {exc}".split("\n")[0]) from None
    except RecursionError:
        raise YamlProblem(
            "values are nested too deep; flatten the structure", code="CT005"
        ) from None
    out = Parsed()
    if root is None:
        raise YamlProblem("the file is empty; a scenario needs id, title, start and states")
    out.data = _build(root, (), out, _Budget(MAX_NODES), 0)
    return out


def _tab_at(text: str, mark: yaml.Mark | None, problem: str) -> tuple[int, int] | None:
    """(line, column) of the tab that broke the parse, when a tab did (libyaml's own words,
    "found character that cannot start any token", don't say so)."""
    if mark is None:
        return None
    lines = text.split("\n")
    if mark.line >= len(lines):
        return None
    line = lines[mark.line]
    at_mark = line[mark.column : mark.column + 1]
    if at_mark != "\t" and "tab" not in problem:
        return None
    indent = len(line) - len(line.lstrip(" \t"))
    col = line.find("\t", 0, max(indent, mark.column + 1))
    if col < 0:
        return None
    return mark.line + 1, col + 1


def _check_flow_depth(raw: bytes) -> None:
    brackets = raw.translate(None, _NOT_BRACKETS)
    if len(brackets) <= MAX_FLOW_DEPTH:
        return
    depth = 0
    step = _DEPTH_STEP
    for b in brackets:
        depth += step[b]
        if depth > MAX_FLOW_DEPTH:
            break
        if depth < 0:
            depth = 0
    else:
        return
    # Rare path: find where it happened, to name the line and column.
    depth = 0
    for m in re.finditer(rb"[\[\]{}]", raw):
        depth = max(0, depth + step[raw[m.start()]])
        if depth > MAX_FLOW_DEPTH:
            at = m.start()
            line = raw.count(b"\n", 0, at) + 1
            col = at - (raw.rfind(b"\n", 0, at) + 1) + 1
            raise YamlProblem(
                f"brackets are nested more than {MAX_FLOW_DEPTH} deep; flatten the structure",
                line,
                col,
                "CT005",
            )


def _build(node: Node, path: Path, out: Parsed, budget: _Budget, depth: int) -> Any:
    """Build the value of `node`. An alias reuses the value built for its anchor and is charged
    its size, so a billion-laughs file is refused after a few thousand steps instead of being
    expanded."""
    if node.__class__ is ScalarNode:  # the common case, inlined: scalars are never shared
        budget.left -= 1
        if budget.left < 0 or depth > MAX_DEPTH:
            return _build_new(node, path, out, budget, depth)  # raises, with the message
        values = out.values
        if path not in values:
            mark = node.start_mark
            values[path] = (mark.line + 1, mark.column + 1)
        tag = node.tag
        if tag == _STR and node.style not in _BLOCK_STYLES:
            return node.value
        return _scalar(node, path, out)
    seen = budget.built.get(id(node))
    if seen is not None:
        budget.left -= seen[1]
        if budget.left < 0:
            raise YamlProblem(
                "the file expands to too many values (an alias/anchor bomb?); "
                "remove repeated aliases",
                *_pos(node),
                "CT005",
            )
        out.values.setdefault(path, _pos(node))
        return seen[0]
    before = budget.left
    value = _build_new(node, path, out, budget, depth)
    if not isinstance(node, ScalarNode):
        budget.built[id(node)] = (value, before - budget.left)
    return value


def _build_new(node: Node, path: Path, out: Parsed, budget: _Budget, depth: int) -> Any:
    budget.left -= 1
    if budget.left < 0:
        raise YamlProblem(
            "the file expands to too many values (an alias/anchor bomb?); remove repeated aliases",
            *_pos(node),
            "CT005",
        )
    if depth > MAX_DEPTH:
        raise YamlProblem("values are nested too deep; flatten the structure", *_pos(node), "CT005")
    out.values.setdefault(path, _pos(node))
    if isinstance(node, ScalarNode):
        return _scalar(node, path, out)
    if isinstance(node, SequenceNode):
        if node.tag != _TAG + "seq":
            raise YamlProblem(f"the tag {node.tag} is not allowed in scenario files", *_pos(node))
        return [
            _build(item, path + (i,), out, budget, depth + 1) for i, item in enumerate(node.value)
        ]
    if isinstance(node, MappingNode):
        if node.tag != _TAG + "map":
            raise YamlProblem(f"the tag {node.tag} is not allowed in scenario files", *_pos(node))
        result: dict[str, Any] = {}
        for knode, vnode in node.value:
            if knode.tag == _TAG + "merge":
                raise YamlProblem(
                    "merge keys (<<) are not supported; write the keys out", *_pos(knode)
                )
            if not isinstance(knode, ScalarNode):
                raise YamlProblem("a key must be a plain word, not a list or mapping", *_pos(knode))
            key = knode.value
            kpath = path + (key,)
            if key in result:
                out.duplicates.append((kpath, *_pos(knode), out.keys[kpath][0]))
                continue
            mark = knode.start_mark
            out.keys[kpath] = (mark.line + 1, mark.column + 1)
            result[key] = _build(vnode, kpath, out, budget, depth + 1)
        return result
    raise YamlProblem("unsupported YAML node", *_pos(node))  # pragma: no cover


def _scalar(node: ScalarNode, path: Path, out: Parsed) -> object:
    tag = node.tag
    if tag not in _SCALAR_TAGS:
        raise YamlProblem(f"the tag {tag} is not allowed in scenario files; remove it", *_pos(node))
    if node.style in ("|", ">"):
        out.block_scalars.add(path)
    make = _SCALAR_TAGS[tag]
    if make is None:
        return node.value
    try:
        return make(node)
    except (ValueError, yaml.YAMLError):
        return node.value
