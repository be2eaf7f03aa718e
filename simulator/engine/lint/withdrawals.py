"""Pass 6, withdrawals: a `corrects:` that takes back part of a line (issue 25, truth26b).

A choice whose `corrects:` takes back an earlier line withdraws that line's words, so it takes
back every mistake those words made, not some of them: "Fair enough, sorry, I'll fit it in this
week as a priority" takes back both the push-back (`defensive`) and the refusal
(`no_ownership`) of "can't you pull those figures yourself?". Listing only one leaves the other
standing, and the debrief then says the slip was taken back while still charging the rest of
the same words ("did not take ownership") to the learner as if never withdrawn.

The check (CT612, a warning): for each choice with `corrects:` and each line that leads into
its state (a choice whose `goto:` is that state), if the choice takes back at least one of the
line's mistakes (or withdraws a law the line misstated, which takes back its
`misstates_law`), every other mistake of the line must be taken back too, unless the choice
makes that mistake again itself (then its words repeat it, and it is not withdrawn). Whether
the words really withdraw the rest is the author's judgement: where they do not (a hedge that
withdraws no misstatement; a failing insult that no apology undoes), say why on the
`corrects:` line with `# countertalk: ignore CT612`.

It reads only the file (mistake ids and law keys as written), so it needs no scoring data.
"""

from __future__ import annotations

from typing import Any

from .context import At, Context, choices_of

_MISSTATES = "misstates_law"


def _names(v: Any) -> list[str]:
    return [str(x) for x in v] if isinstance(v, list) else []


def _withdraws_law(corrects: list[str], law: Any) -> bool:
    """True when `corrects:` names a law (an act, or ACT.FACT) the line marked `wrong`."""
    if not isinstance(law, dict):
        return False
    wrong = [str(k) for k, v in law.items() if v == "wrong"]
    return any(w == c or w.startswith(c + ".") for w in wrong for c in corrects)


def run(ctx: Context) -> None:
    into: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for sid, st in ctx.states.items():
        for path, ch in choices_of(sid, st):
            target = ch.get("goto")
            if isinstance(target, str):
                into.setdefault(target, []).append((_cid(path, ch), ch))
    for sid, st in ctx.states.items():
        for path, ch in choices_of(sid, st):
            corrects = _names(ch.get("corrects"))
            if not corrects:
                continue
            again = set(_names(ch.get("mistakes")))
            for before, line in into.get(str(sid), []):
                made = _names(line.get("mistakes"))
                law_back = _withdraws_law(corrects, line.get("law"))
                taken = [m for m in made if m in corrects or (m == _MISSTATES and law_back)]
                if not taken:
                    continue
                left = [m for m in made if m not in taken and m not in again]
                if not left:
                    continue
                ctx.report(
                    "CT612",
                    At((*path, "corrects")),
                    f"choice {_cid(path, ch)} takes back {', '.join(taken)} of {before} but not "
                    f"{', '.join(left)}: a line taken back is taken back whole, so list "
                    f"{', '.join(left)} under corrects: if these words withdraw it too (or say "
                    f"why not with '# countertalk: ignore CT612' on this line)",
                )


def _cid(path: tuple[Any, ...], ch: dict[str, Any]) -> str:
    own = ch.get("id")
    return str(own) if isinstance(own, str) else f"{path[1]}.{int(path[3]) + 1}"
