"""What every option on offer would mean: played for real on a scratch session.

At a reveal the class sees each option's consequence, not only the one it chose. Rather than
guess (a feedback template may read variables the choice itself sets, a rule may divert the
conversation), each option is taken on a throwaway session of the same scenario machine, started from a copy of
the run's state (or replayed to this point with the same seed), so what is shown is exactly what
would have happened.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.engine.session import Runtime, Session, SessionState

from .grading import label


@dataclass(frozen=True)
class OptionPreview:
    number: int  # the label the class voted with (1..n)
    choice_id: str
    text: str  # what the adviser would say (rendered, plain)
    feedback: str | None
    shows: tuple[tuple[str, str], ...]  # (behaviour id, label)
    mistakes: tuple[tuple[str, str], ...]  # (mistake id, label)
    escalate: str | None
    law: dict = field(default_factory=dict)  # law id -> "right" | "wrong"
    mood_before: int = 50
    mood_after: int = 50
    reaction: str = ""  # what the customer says next (or the ending's line)
    note: str | None = None
    ending: str | None = None  # the ending state reached, if this option ends the conversation
    outcome: str | None = None
    diverted: bool = False  # a scenario rule sent the conversation elsewhere

    @property
    def mood_change(self) -> int:
        return self.mood_after - self.mood_before


def preview_options(
    runtime: Runtime,
    *,
    seed: int,
    history: list[str],
    learner: str = "preview",
    state: SessionState | None = None,
) -> list[OptionPreview]:
    """One preview per option on offer after `history` (choice ids), in label order.

    With ``state`` (the run's :class:`SessionState`), each scratch session starts from a copy of
    it instead of replaying the history: the same result, without replaying every turn again.
    """

    def scratch_session() -> Session:
        if state is not None:
            return runtime.restore(state)
        s = runtime.new_session(seed=seed, learner=learner)
        try:
            s.replay(history)
        except BaseException:
            s.close()
            raise
        return s

    base = scratch_session()
    try:
        offered = base.offered()
    finally:
        base.close()
    out = []
    for o in offered:
        scratch = scratch_session()
        try:
            step = scratch.choose(o.number)
            ch = o.choice
            out.append(
                OptionPreview(
                    number=o.number,
                    choice_id=o.choice_id,
                    text=o.text,
                    feedback=step.feedback,
                    shows=tuple((b, label("behaviours", b)) for b in ch.shows),
                    mistakes=tuple((m, label("mistakes", m)) for m in ch.mistakes),
                    escalate=ch.escalate,
                    law=dict(ch.law or {}),
                    mood_before=step.mood_before,
                    mood_after=step.mood_after,
                    reaction=scratch.line,
                    note=scratch.note,
                    ending=scratch.ending,
                    outcome=scratch.outcome,
                    diverted=step.diverted_by_rule,
                )
            )
        finally:
            scratch.close()
    return out
