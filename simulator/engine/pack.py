"""A pack of scenarios on disk: which files it holds, their headers, and finding one by id.

The one place that reads a pack: `countertalk lint`, `play ID`, the picker and the tutor tools
all list files and read headers through here, so they agree on what a pack contains (and all
refuse a pack where two files claim the same id). Light at import: no YAML parser until a
header is read.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HEADER_KEYS = ("id", "title", "topic", "level", "summary", "learner_role", "customer", "kind")
_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")
# A top-level `id:` written plainly (bare or quoted, an optional comment after it).
_PLAIN_ID = re.compile(
    r"^id[ \t]*:[ \t]*(?:'([a-z0-9][a-z0-9-]*)'|\"([a-z0-9][a-z0-9-]*)\"|([a-z0-9][a-z0-9-]*))"
    r"[ \t]*(?:#.*)?$",
    re.M,
)


class AmbiguousIdError(FileNotFoundError):
    """Two files in a pack have the id asked for (a FileNotFoundError, so every command that
    reports an unknown id reports this too, with both file names)."""


@dataclass(frozen=True)
class Header:
    """A file's header keys (id, title, topic, ...) as raw values, or why they can't be read."""

    path: Path
    data: dict[str, Any] = field(default_factory=dict)
    problem: str | None = None

    @property
    def id(self) -> str | None:
        sid = self.data.get("id")
        return sid if isinstance(sid, str) and sid else None


def shipped_pack() -> Path:
    """The scenarios installed with CounterTalk (the `scenarios` package's folder; found
    without importing importlib.resources, which costs more than the rest of `play ID`)."""
    from importlib.util import find_spec

    spec = find_spec("scenarios")
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    from importlib import resources

    return Path(str(resources.files("scenarios")))


def scenario_files(target: str | os.PathLike[str]) -> list[Path]:
    """The scenario files of a folder (*.yaml then *.yml, sorted; test files excluded), or the
    file itself."""
    p = Path(target)
    if p.is_dir():
        found = sorted(x for x in p.glob("*.yaml") if x.is_file()) + sorted(
            x for x in p.glob("*.yml") if x.is_file()
        )
        return [x for x in found if not is_test_file(x)]
    return [p]


def is_test_file(path: Path) -> bool:
    """`NAME.test.yaml` holds a scenario's tests (`countertalk test`), not a scenario."""
    return path.name.endswith((".test.yaml", ".test.yml"))


def test_file_for(scenario: Path) -> Path:
    """Where a scenario's tests live: NAME.test.yaml beside NAME.yaml."""
    name = scenario.name
    for ext in (".yaml", ".yml"):
        if name.endswith(ext):
            return scenario.with_name(name[: -len(ext)] + ".test" + ext)
    return scenario.with_name(name + ".test.yaml")


def scenario_for(test_file: Path) -> Path:
    """The scenario a NAME.test.yaml tests."""
    name = test_file.name
    for ext in (".test.yaml", ".test.yml"):
        if name.endswith(ext):
            return test_file.with_name(name[: -len(ext)] + ext[5:])
    return test_file


def test_files(target: str | os.PathLike[str]) -> list[Path]:
    """The test files a target means: a folder's NAME.test.yaml files, a test file itself, or
    the tests beside a scenario file (none when there are none)."""
    p = Path(target)
    if p.is_dir():
        return sorted(p.glob("*.test.yaml")) + sorted(p.glob("*.test.yml"))
    if p.is_file() and is_test_file(p):
        return [p]
    if p.is_file():
        tf = test_file_for(p)
        return [tf] if tf.is_file() else []
    return []


def _header_source(text: str) -> str:
    keep: list[str] = []
    taking = False
    for line in text.splitlines():
        if line and not line[0].isspace() and not line.startswith("#"):
            m = _TOP_KEY.match(line)
            taking = bool(m and m.group(1) in HEADER_KEYS)
        if taking:
            keep.append(line)
    return "\n".join(keep)


def read_header(path: Path) -> Header:
    """Only the header blocks of a file are parsed: the picker lists a pack without building
    (or even parsing) every state. The full check happens when a scenario is opened."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
        data = yaml.load(_header_source(text), Loader=loader) or {}
        if not isinstance(data, dict):
            raise ValueError("not a mapping")
    except (OSError, ValueError, yaml.YAMLError) as exc:
        return Header(
            Path(path),
            problem=f"cannot read the header ({type(exc).__name__}); run 'countertalk lint {path}'",
        )
    return Header(Path(path), data)


def read_headers(folder: str | os.PathLike[str]) -> list[Header]:
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return [read_header(p) for p in scenario_files(folder)]


def peek_id(path: Path) -> str | None:
    """A file's scenario id. Read off its `id:` line when that is written plainly, as in every
    shipped file (so `play ID` finds a file without a YAML parser); otherwise from the header,
    parsed as YAML."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return None
    # One line that starts with "id" (counted fast), and it is a plain `id:` line.
    if text.count("\nid") + text.startswith("id") == 1:
        m = _PLAIN_ID.search(text)
        if m:
            return next(g for g in m.groups() if g)
    return read_header(path).id


def ids_in(headers: list[Header]) -> dict[str, list[Path]]:
    """id -> the files that declare it (more than one is a pack error)."""
    out: dict[str, list[Path]] = {}
    for h in headers:
        if h.id:
            out.setdefault(h.id, []).append(h.path)
    return out


def peek_title(path: Path) -> str | None:
    """The `title:` of a file from a line scan (no YAML parser), for the app's first frame."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            for n, line in enumerate(fh):
                if line.startswith("title:"):
                    value = line[6:].split(" #")[0].strip()
                    if value[:1] in "'\"" and value[-1:] == value[:1] and len(value) > 1:
                        value = value[1:-1]
                    return value or None
                if n > 200:
                    break
    except OSError:
        return None
    return None


def resolve(target: str, pack: str | os.PathLike[str] | None = None) -> Path:
    """A path, or the id of a scenario in the pack (default: the shipped pack).

    Raises FileNotFoundError with a message that lists close ids, or AmbiguousIdError naming
    both files when two files in the pack declare the id.
    """
    p = Path(target)
    if p.suffix in (".yaml", ".yml") or os.sep in target or p.exists():
        if p.is_file():
            return p
        if p.exists():  # a folder, a pipe, a device: say which, as lint does
            from .safe_read import kind

            raise FileNotFoundError(f"'{target}' {kind(p.stat().st_mode)}; give a scenario file")
        raise FileNotFoundError(f"no scenario file '{target}'")
    pack_dir = Path(pack) if pack else shipped_pack()
    if not pack_dir.is_dir():
        raise FileNotFoundError(f"no scenario folder '{pack_dir}'")
    ids: dict[str, list[Path]] = {}
    for f in scenario_files(pack_dir):
        sid = peek_id(f)
        if sid:
            ids.setdefault(sid, []).append(f)
    files = ids.get(target, [])
    if len(files) > 1:
        raise AmbiguousIdError(
            f"two files in {pack_dir} have the id '{target}': {files[0]} and {files[1]}; "
            f"give one a different id (see 'countertalk lint {pack_dir}')"
        )
    if files:
        return files[0]
    guess = pack_dir / f"{target}.yaml"
    if guess.is_file():
        return guess
    from .lint.diagnostics import did_you_mean

    raise FileNotFoundError(
        f"no scenario with id '{target}' in {pack_dir}{did_you_mean(target, ids)}; "
        f"run 'countertalk lint {pack_dir}' or give a file path"
    )
