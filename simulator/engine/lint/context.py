"""What every lint pass shares: the parsed file, the facts read from it once, and reporting.

Passes read the raw parsed data defensively (any value may have any type), so a file with a
shape error still gets its references, templates and graph checked in the same run.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .diagnostics import CODES, Diagnostic, did_you_mean, fmt_list
from .spec import Spec, spec

MAX_EXAMPLE_TEXT = 300
MAX_VAR_TEXT = 1000


DataPath = tuple[Any, ...]


class At(tuple[Any, ...]):
    """A path into the data (as opposed to a (line, column) pair)."""


def kind(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return "true/false"
    if isinstance(v, (int, float)):
        return "a number"
    return "text"


def is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def is_scalar(v: Any) -> bool:
    return v is None or isinstance(v, (str, int, float, bool))


def choices_of(st_id: Any, st: Any) -> Iterator[tuple[DataPath, dict[str, Any]]]:
    """(path, choice) for each choice of a state that is a mapping."""
    if isinstance(st, dict) and isinstance(st.get("choices"), list):
        for i, ch in enumerate(st["choices"]):
            if isinstance(ch, dict):
                yield ("states", st_id, "choices", i), ch


class Context:
    def __init__(self, path: str, parsed: Any, vocabulary: Any) -> None:
        self.path = path
        self.p = parsed
        self.data: Any = parsed.data
        self.diags: list[Diagnostic] = []
        self.spec: Spec = spec()
        self.vocabulary = vocabulary
        self.behaviours = vocabulary.behaviour_ids()
        self.mistakes = vocabulary.mistake_ids()
        self.model_ids = vocabulary.model_ids()
        data = self.data if isinstance(self.data, dict) else {}
        states = data.get("states")
        self.states: dict[Any, Any] = states if isinstance(states, dict) else {}
        self.state_ids = dict.fromkeys(self.states)  # ordered, O(1) membership
        vars_ = data.get("vars")
        self.vars: dict[Any, Any] = vars_ if isinstance(vars_, dict) else {}
        self.declared_types = {k: kind(v) for k, v in self.vars.items()}
        self.set_vars: dict[str, DataPath] = {}  # name -> path of its first `set:`
        for st_id, st in self.states.items():
            for cpath, choice in choices_of(st_id, st):
                sets = choice.get("set")
                if isinstance(sets, dict):
                    for name in sets:
                        self.set_vars.setdefault(name, cpath + ("set", name))
        self.known_vars = set(self.vars) | set(self.set_vars)
        customer = data.get("customer")
        if not isinstance(customer, dict):
            customer = {}
        self.customer_keys = set(self.spec.customer.keys) | set(customer)

    # -- reporting ------------------------------------------------------------------------------
    def report(
        self,
        code: str,
        where: At | tuple[int, int],
        message: str,
        *,
        key: bool = False,
        suggestion: str | None = None,
        subject: str | None = None,
    ) -> None:
        """Record a finding. `where` is an At path (the key's position when `key`, else the
        value's) or a (line, column) pair."""
        if isinstance(where, At):
            line, col = self.p.where(where) if key else self.p.value_at(where)
        else:
            line, col = where[0], where[1]
        self.diags.append(
            Diagnostic(self.path, line, col, CODES[code][1], message, code, suggestion, subject)
        )

    def at_line(self, path: DataPath, lineno: int | None) -> tuple[int, int]:
        """Where line `lineno` (1-based) of the text at `path` is in the file."""
        line, col = self.p.value_at(path)
        if lineno and lineno > 1 or path in self.p.block_scalars:
            extra = 1 if path in self.p.block_scalars else 0
            return (line + (lineno or 1) - 1 + extra, col if not extra else col + 2)
        return (line, col)

    # -- shape helpers --------------------------------------------------------------------------
    def keys_known(
        self, mapping: dict[Any, Any], path: DataPath, known: tuple[str, ...], what: str
    ) -> None:
        for k in mapping:
            if k not in known:
                close = _closest(k, known)
                self.report(
                    "CT201",
                    At(path + (k,)),
                    f"unknown {what} key '{k}'{did_you_mean(k, known)}; "
                    f"allowed: {fmt_list(known, 16)}",
                    key=True,
                    suggestion=close,
                )

    def required(
        self, mapping: dict[Any, Any], path: DataPath, keys: tuple[str, ...], what: str
    ) -> None:
        for req in keys:
            if req not in mapping:
                self.report("CT202", At(path), f"{what} has no '{req}'; add it")

    def expect_mapping(self, value: Any, path: DataPath, what: str) -> dict[Any, Any] | None:
        if isinstance(value, dict):
            return value
        self.report("CT203", At(path), f"{what} must be a mapping of keys to values")
        return None

    def expect_str(self, value: Any, path: DataPath, what: str, *, required: bool = False) -> bool:
        if value is None and not required:
            return False
        if isinstance(value, str) and (value.strip() or not required):
            return True
        if isinstance(value, str):
            self.report("CT206", At(path), f"{what} is empty; write some text")
        else:
            self.report(
                "CT203",
                At(path),
                f"{what} must be text (quote it if it looks like a number or yes/no)",
            )
        return False

    def in_range(
        self,
        value: Any,
        path: DataPath,
        rng: tuple[float, float],
        what: str,
        *,
        whole: bool = True,
    ) -> bool:
        """A finite number within `rng` (inclusive); whole numbers only when `whole`."""
        lo, hi = rng
        ok = (is_int(value) if whole else is_number(value)) and lo <= value <= hi
        if not ok:
            kind_ = "a whole number" if whole else "a number"
            self.report(
                "CT204", At(path), f"{what} must be {kind_} from {lo:g} to {hi:g}, not {value!r}"
            )
        return ok


def _closest(word: Any, options: Any) -> str | None:
    from .diagnostics import closest

    return closest(word, options)
