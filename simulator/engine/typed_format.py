"""Format checks for typed replies: the top-level `typing:` key, a state's `on_unmatched:` and
how many `examples:` a choice has.

These are the cheap, file-only checks, run by the loader with the others so that a file with a
bad `typing:` value is never played. The checks that need the matcher (two options whose
examples are confusable) live in `simulator/matching/lint.py` and run only from `countertalk
lint`, because they load the language model.
"""

from __future__ import annotations

from typing import Any

TYPING_KEYS = ("threshold", "margin", "floor")
ON_UNMATCHED_KEYS = ("say", "rude")
MIN_EXAMPLES = 3
"""A scenario written for typing wants at least this many examples per choice: one phrasing
per choice leaves the matcher guessing between a learner's words and the option's own."""


def typing_enabled(data: dict[str, Any]) -> bool:
    """A file is written for typing when it says `typing:` or any of its choices has examples."""
    typing = data.get("typing")
    if typing is not None and typing is not False:
        return True
    states = data.get("states")
    if not isinstance(states, dict):
        return False
    return any(
        isinstance(ch, dict) and ch.get("examples")
        for st in states.values()
        if isinstance(st, dict) and isinstance(st.get("choices"), list)
        for ch in st["choices"]
    )


def check_typed_replies(checker: Any, data: dict[str, Any], Path: Any) -> None:
    """Add errors and warnings to the loader's checker (`Path` marks a YAML path)."""
    if "typing" in data:
        _check_typing(checker, data["typing"], Path)
    states = data.get("states")
    if not isinstance(states, dict):
        return
    wants_examples = typing_enabled(data)
    for st_id, st in states.items():
        if not isinstance(st, dict):
            continue
        choices: list[Any] = st["choices"] if isinstance(st.get("choices"), list) else []
        if "on_unmatched" in st:
            _check_on_unmatched(checker, st_id, st, choices, Path)
        if not wants_examples:
            continue
        for i, ch in enumerate(choices):
            if not isinstance(ch, dict):
                continue
            examples = ch.get("examples")
            count = len(examples) if isinstance(examples, list) else 0
            if count < MIN_EXAMPLES:
                checker.warn(
                    Path(("states", st_id, "choices", i)),
                    f"choice {ch.get('id') or f'{st_id}.{i + 1}'} has {count} example(s); "
                    f"this scenario is written for typed replies, so give it at least "
                    f"{MIN_EXAMPLES} other ways a learner might type it under examples:",
                )


def _check_typing(checker: Any, typing: Any, Path: Any) -> None:
    where = ("typing",)
    if typing is None or isinstance(typing, bool):
        return
    if not isinstance(typing, dict):
        checker.error(
            Path(where),
            "typing must be true, or a mapping such as {threshold: 0.5, margin: 0.08}",
            key=False,
        )
        return
    checker.keys_known(typing, where, TYPING_KEYS, "typing")
    for key in TYPING_KEYS:
        value = typing.get(key)
        if key not in typing or value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            checker.error(
                Path(where + (key,)),
                f"typing {key} must be a number from 0 to 1, not {value!r}",
                key=False,
            )
    floor, threshold = typing.get("floor"), typing.get("threshold")
    if (
        isinstance(floor, int | float)
        and isinstance(threshold, int | float)
        and not isinstance(floor, bool)
        and floor > threshold
    ):
        checker.error(
            Path(where + ("floor",)),
            f"typing floor ({floor}) is above the threshold ({threshold}); a line scoring "
            f"between them could be neither taken nor refused — make floor <= threshold",
            key=False,
        )


def _check_on_unmatched(
    checker: Any, st_id: str, st: dict[str, Any], choices: list[Any], Path: Any
) -> None:
    where = ("states", st_id, "on_unmatched")
    value = st["on_unmatched"]
    if "end" in st:
        checker.warn(Path(where), f"state '{st_id}' is an ending; on_unmatched is never used here")
    if not isinstance(value, dict):
        checker.error(
            Path(where),
            "on_unmatched must be a mapping such as {say: '...', rude: STATE.N}",
            key=False,
        )
        return
    checker.keys_known(value, where, ON_UNMATCHED_KEYS, "on_unmatched")
    say = value.get("say")
    if say is not None and checker.expect_str(say, where + ("say",), "on_unmatched say"):
        checker.check_template(say, where + ("say",))
    rude = value.get("rude")
    if rude is None:
        return
    ids: dict[str, Any] = {}
    for i, ch in enumerate(choices):
        if isinstance(ch, dict):
            ids[str(ch.get("id") or f"{st_id}.{i + 1}")] = ch
    if not isinstance(rude, str) or rude not in ids:
        from .loader import did_you_mean

        checker.error(
            Path(where + ("rude",)),
            f"on_unmatched rude names no choice of state '{st_id}': {rude!r}"
            f"{did_you_mean(str(rude), ids)}; name one of its choices by id "
            f"({', '.join(ids) or 'it has none'})",
            key=False,
        )
        return
    if not ids[rude].get("mistakes"):
        checker.warn(
            Path(where + ("rude",)),
            f"on_unmatched rude sends rude lines to {rude}, which records no mistake; "
            f"a rude line would go unmarked — add mistakes: [rude] (or blaming_customer, "
            f"defensive) to that choice",
            key=False,
        )
