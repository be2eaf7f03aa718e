"""The debrief: what the learner did well and what an examiner would mark down.

`build(scenario, transcript, score=None) -> dict` is the view model every front end draws (plain
mode, `countertalk score`, the Textual debrief screen); `render(...)` turns it into text,
Markdown or HTML through the Jinja2 templates in `scoring/templates/`. All scenario and learner
text in the view model has had terminal control sequences removed (`templating.plain`); the HTML
template escapes it too, and the Markdown template backslash-escapes markup.

The view model (keys are stable; a front end may rely on them):

    scenario        {id, title, topic, level, learner_role, customer}
    learner, seed
    complete        bool: the conversation reached an ending
    ending          state id or None;  outcome, outcome_label
    ending_line     the customer's last line (transcript["ending_line"] when present)
    ending_debrief  the scenario's debrief text for that ending (transcript["ending_debrief"])
    percent, grade, grade_label
    thresholds      {pass, distinction}
    grade_reason    one sentence: why this grade
    method          {lines: [how the percentage is made, in words],
                     parts: [{id, name, weight, percent}], base, deductions, outcome_points,
                     caps: [{grade, reason, turn}]}
    models          [{id, name, summary, ordered, in_order, percent, weight,
                      steps: [{behaviour, label, description, turn}], missing: [label],
                      order_note}]     (applied step models only; in_order and order_note are
                                        None when fewer than two steps were shown)
    escalation      {applied, required, to, reason, verdict, verdict_label, premature, handover,
                     escalations: [{turn, role, said}], percent, good_practice: [str], note}
    law             {applied, assessed, right: [{id, act, rule, turns}], wrong: [...],
                     not_applied: [...], note}
    mistakes        [{id, label, turn, said, explanation, advice,
                      better: {choice, text, percent, grade} | None}]
                    advice: the choice's own feedback when it has one, else the mistake's advice
                    for this scenario's topic, else its general advice; better: a choice on
                    offer at that turn that makes no mistake
    behaviours      [{id, label, turn}]                    (every behaviour shown, first turn)
    mood            {start, start_word, end, end_word, change, points: [{turn, mood, word}]}
    marking_points  {met: [{id, label, level}], missed: [{id, label, level, why}],
                     not_assessed: [{id, label, level}]}   (level: pass | distinction)
    course_points   {met: [{id, text, element, element_title}], missed: [...]}
                    the course's examiner marking points (scoring/marking_points.yaml) this
                    attempt gave evidence for
    practise        {title, text, why}                     (one concrete thing to practise next;
                                                            fits the mode just played)
    keep, change    [{title, text}]  at most two each: what to keep doing and what to change
                    (the top of the plain debrief)
    turns           [{turn, state, customer, said, typed (the learner's own words, or None),
                      confirmed, options_shown, rude_lines: [str], choice, feedback,
                      shows: [label], mistakes: [label], mood, mood_word, mood_change}]
                    options_shown: the learner asked to see the options before this turn
                    (assessment by recall, brief fact 34); rude_lines: rude lines typed before
                    it that no option fitted (each cost mood and counts as a mistake)
    options_needed  [turn]: the turns where the learner asked to see the options
    score           the score object itself
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from simulator.engine.i18n import N_, language_name, translated
from simulator.engine.i18n import gettext as _
from simulator.engine.mood import mood_change_word, mood_word
from simulator.engine.templating import plain

from . import catalogue, spec
from .scorer import (
    GRADE_RANK,
    Compiled,
    cap_said,
    cap_words,
    compiled,
    first_shown,
    standing_turns,
    turns_words,
    typed_rude,
)
from .scorer import score as score_transcript

if TYPE_CHECKING:
    from simulator.engine.model import Scenario

# Per turn: (the choices on offer {choice id: text}, the chosen line's feedback).
Offers = list[tuple[dict[str, str], str | None]]

OUTCOME_LABELS = {  # English here; shown through the catalogue (`_outcome_label`)
    "resolved": "Resolved",
    "escalated": "Escalated",
    "unresolved": "Unresolved",
    "lost": "Customer lost",
    None: "Not finished",
}


def _is_narration(line: object) -> bool:
    text = str(line or "").strip()
    return text.startswith("(") and text.endswith(")") and text.count("(") == 1


def _outcome_label(outcome: object) -> str:
    labels = {
        "resolved": _("Resolved"),
        "escalated": _("Escalated"),
        "unresolved": _("Unresolved"),
        "lost": _("Customer lost"),
    }
    return labels.get(str(outcome), _("Not finished")) if outcome is not None else _("Not finished")


def _p(text: object) -> str | None:
    return None if text is None else plain(str(text))


def _offers(scenario: Scenario, transcript: dict[str, Any]) -> Offers | None:
    """Per turn: (offered {choice id: text}, feedback).

    Transcripts carry this in ``offers`` (what the learner saw, recorded as they played); it is
    used when the transcript was recorded against this very file (``scenario_version``) and each
    turn's choice is among its offers. Otherwise — a transcript written before ``offers``
    existed, another version of the file, a damaged record — the transcript is played again to
    recover them. Returns None when it no longer plays (the scenario changed)."""
    turns = transcript.get("turns") or []
    offers = transcript.get("offers")
    if (
        isinstance(offers, list)
        and len(offers) == len(turns)
        and transcript.get("scenario_version") == scenario.content_hash
    ):
        try:
            rows: Offers = []
            for t, row in zip(turns, offers, strict=True):
                shown = {str(o["id"]): str(o["text"]) for o in row["offered"]}
                feedback = row.get("feedback")
                if t["choice"] not in shown or not isinstance(feedback, (str, type(None))):
                    raise ValueError("the choice is not among its offers")
                rows.append((shown, feedback))
            return rows
        except (KeyError, TypeError, AttributeError, ValueError):
            pass  # a damaged record: recover it the old way
    return _replay(scenario, transcript)


def _replay(scenario: Scenario, transcript: dict[str, Any]) -> Offers | None:
    """The old way, for transcripts without ``offers``: play the transcript again."""
    from simulator.engine.session import ScenarioRuntimeError, SessionError

    from .paths import runtime

    try:
        session = runtime(scenario).new_session(
            seed=int(transcript.get("seed") or 0), learner="debrief"
        )
        rows: Offers = []
        for t in transcript.get("turns") or []:
            offered = {o.choice_id: o.text for o in session.offered()}
            step = session.choose_id(t["choice"])
            rows.append((offered, step.feedback))
        session.close()
        return rows
    except (SessionError, ScenarioRuntimeError, KeyError, TypeError, ValueError):
        return None


# The whole debrief's better-choice searches share this many seconds: a scenario whose variables
# make the path search slow must not keep a learner waiting at the end (30 mistaken turns once
# took 90 s). Past it, a better line is the best-marked option on offer that makes no mistake.
BETTER_SECONDS = 3.0


def _better(
    scenario: Scenario,
    choices: list[str],
    turn: int,
    offered: dict[str, str] | None,
    chosen_pct: int | None,
    deadline: float | None = None,
) -> dict[str, Any] | None:
    """The best choice on offer at `turn` (1-based) by what it can still lead to — one that
    makes no mistake itself (a "better" line must not be another slip)."""
    import time

    from .paths import best_continuations

    left = None if deadline is None else deadline - time.monotonic()
    if left is not None and left <= 0:
        if offered is None:
            return None
        options: dict[str, dict[str, Any]] = {
            cid: {"percent": None, "grade": None, "then": []} for cid in offered
        }
    else:
        try:
            options = best_continuations(
                scenario, choices[: turn - 1], seconds=min(1.5, left or 1.5)
            )
        except Exception:  # a scenario the analysis cannot follow: no suggestion, not a crash
            return None
    chosen = choices[turn - 1]
    c = compiled(scenario)
    if offered is not None:
        options = {cid: v for cid, v in options.items() if cid in offered}

    def value(item: tuple[str, dict[str, Any]]) -> tuple[int, int]:
        cid, v = item
        fx = c.fx[cid]
        return (v["percent"] if v["percent"] is not None else -1, len(fx.shows))

    ranked = sorted(
        ((cid, v) for cid, v in options.items() if not c.fx[cid].mistakes and cid != chosen),
        key=value,
        reverse=True,
    )
    if not ranked:
        return None
    cid, v = ranked[0]
    mine = options.get(chosen, {}).get("percent")
    if v["percent"] is not None and mine is not None and v["percent"] < mine:
        return None
    text = (offered or {}).get(cid)
    if text is None:
        _sid, _i, ch = scenario.find_choice(cid)
        text = ch.text
    return {"choice": cid, "text": _p(text), "percent": v["percent"], "grade": v["grade"]}


def _explanation(
    scenario: Scenario,
    c: Compiled,
    cid: str,
    mistake_id: str,
    info: dict[str, Any],
    withdrawn: int | None,
    stopped: bool = False,
) -> str | None:
    """What was wrong, true of the option it is printed for (review 25f D10: the catalogue's
    general sentence said "without saying who, why or when" of a line that named the team, and
    "when you could have resolved it yourself" of a hand-over to the right team): the option's
    own `explain:` for this mistake, else the catalogue's wording for a hand-over to a role
    the scenario lists when it requires escalation (the right team), else its wording for a
    choice that itself escalated ("instead of referring it" is false of a referral), else its
    general explanation. A withdrawn slip says its own `explain:` taken back, else the
    catalogue's withdrawn text (`_withdrawn_explanation`), or its stopped text when it was
    stopped before it took effect (moderation25.md cases 1-2)."""
    if withdrawn and stopped:
        return str(info["explanation_stopped"])
    _sid, _i, ch = scenario.find_choice(cid)
    own = ch.explain.get(mistake_id) if ch.explain else None
    if withdrawn:
        return _withdrawn_explanation(own, info)
    if own:
        return _p(" ".join(own.split()))
    if c.esc_required and c.fx[cid].listed and info.get("explanation_right_role"):
        return str(info["explanation_right_role"])
    if c.fx[cid].escalate is not None and info.get("explanation_escalated"):
        return str(info["explanation_escalated"])
    return str(info["explanation"])


def _withdrawn_explanation(own: str | None, info: dict[str, Any]) -> str:
    """A slip a later choice took back: the option's own `explain:` (what this line did), then
    that it was taken back; the catalogue's withdrawn text only where the option has none (review
    26a, play 04: "You suggested the problem was the customer's own fault, then took it back"
    of a line that blamed the repair shop, which the option's own explanation says)."""
    if own:
        return (
            str(_p(" ".join(own.split())))
            + " "
            + _(
                "You then took it back later in the conversation. The recovery counts, but a "
                "distinction needs it right first time."
            )
        )
    return str(info["explanation_withdrawn"])


def _rude_typed(c: Compiled, turn: dict[str, Any]) -> bool:
    """Whether this turn's `rude` mistake is the typed line's, not its option's own mark."""
    return typed_rude(turn) and "rude" not in c.fx[turn["choice"]].mistakes


def _advice(scenario: Scenario, mistake_id: str, feedback: str | None) -> str:
    """Advice that fits the mistake where it was made: the choice's own feedback (written for
    that line), else the catalogue's advice for this scenario's topic, else its general advice."""
    if feedback:
        return feedback
    entry = catalogue.catalogue()["mistakes"].get(mistake_id) or {}
    by_topic = entry.get("advice_by_topic") or {}
    text = by_topic.get(scenario.topic) or entry.get("advice") or ""
    return translated(" ".join(str(text).split()))


def build(
    scenario: Scenario, transcript: dict[str, Any], score: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The debrief view model (see the module docstring)."""
    if score is None:
        score = score_transcript(scenario, transcript)
    c = compiled(scenario)
    g = spec.grading()
    turns = transcript.get("turns") or []
    choices = [t["choice"] for t in turns]
    replay = _offers(scenario, transcript)

    # Each behaviour credited, with the turn it was first shown: the score's record (the one the
    # models, course points and marking points read), else worked out for an older score.
    first: dict[str, int] = dict(score.get("shown") or {})
    if "shown" not in score:
        for n, t in enumerate(turns, 1):
            for b in c.turn_fx(t).shows:
                first.setdefault(b, n)

    # Each step first shown, and by what: the score's one record (review 25aq class 1).
    by_first = _first_shown(score, c, first)

    # Models.
    models = []
    for m in c.step_models:
        s = score["models"][m.id]
        steps = [
            {
                "behaviour": st.behaviour,
                "label": translated(st.label),
                "description": translated(st.description),
                "turn": s["steps"].get(st.behaviour),
                # shown first by another behaviour that counts for it (an apology acknowledges)
                "by": _by_other(by_first, st.behaviour),
            }
            for st in m.steps
        ]
        missing = [st["label"] for st in steps if st["turn"] is None]
        if not m.ordered:
            note = _("Order does not matter in this model.")
        elif s["in_order"] is None:
            note = None  # fewer than two steps shown: no order to speak of
        elif s["in_order"] and s.get("again"):
            # the order rests on a later turn of a step (review 25as item 4): name it, beside
            # the step's first turn listed above
            note = _order_again_words(steps, s["again"])
        elif s["in_order"]:
            note = _("The steps you showed came in the right order.")
        else:
            note = _("Out of order: {problem} ({points} points off this model).").format(
                problem=_order_problem(steps), points=f"{m.order_penalty:g}"
            )
        models.append(
            {
                "id": m.id,
                "name": translated(m.name),
                "summary": translated(m.summary),
                "ordered": m.ordered,
                "in_order": s["in_order"],
                "percent": s["percent"],
                "weight": c.weights.get(m.id),
                "steps": steps,
                "missing": missing,
                "order_note": note,
            }
        )

    escalation = _escalation(scenario, score, turns, g, transcript.get("outcome"))
    law = _law(scenario, c, score, choices, replay)

    # Mistakes, each with a better thing to say.
    mistakes = []
    better_cache: dict[int, dict[str, Any] | None] = {}
    import time

    deadline = time.monotonic() + BETTER_SECONDS
    taken_back = {
        (w["id"], w["turn"]): w["at"] for w in score.get("withdrawn") or [] if isinstance(w, dict)
    }
    stopped = {
        (w["id"], w["turn"])
        for w in score.get("withdrawn") or []
        if isinstance(w, dict) and w.get("before_effect")
    }
    for m in score["mistakes"]:
        n = m["turn"]
        if n not in better_cache:
            offered = replay[n - 1][0] if replay else None
            better_cache[n] = _better(scenario, choices, n, offered, None, deadline)
        info = spec.mistake(m["id"])
        own = replay[n - 1][1] if replay else None
        # rude by what was typed, not by the option it became (`Compiled.as_typed`): quote the
        # typed words, and give the course's advice, not the option's feedback
        typed = m["id"] == "rude" and _rude_typed(c, turns[n - 1])
        # a typed turn is quoted in the learner's own words, never in the option's they became
        # ("You said" must be true; the turn-by-turn shows "taken as")
        record = turns[n - 1].get("typed")
        words = record.get("text") if isinstance(record, dict) else None
        withdrawn = taken_back.get((m["id"], n))
        mistakes.append(
            {
                "id": m["id"],
                "label": info["label"],
                "practise": info["practise"],
                "turn": n,
                # the turn a later choice withdrew it (its `corrects:`), or None
                "withdrawn": withdrawn,
                # stopped at the next turn before it took effect: no cap (moderation25.md)
                "stopped": (m["id"], n) in stopped,
                "said": _p(words if isinstance(words, str) else turns[n - 1].get("text")),
                "explanation": _explanation(
                    scenario, c, choices[n - 1], m["id"], info, withdrawn, (m["id"], n) in stopped
                ),
                "advice": _p(_advice(scenario, m["id"], None if typed else own)),
                # true of the mistake wherever it was made: said for turns whose own advice
                # differs (review 26a class 2, `_grouped_advice`)
                "general_advice": _p(_advice(scenario, m["id"], None)),
                "better": better_cache[n],
            }
        )

    # Mood.
    start = scenario.customer.mood
    points = [{"turn": 0, "mood": start, "word": mood_word(start)}]
    for n, t in enumerate(turns, 1):
        mood = t.get("mood", points[-1]["mood"])
        points.append({"turn": n, "mood": mood, "word": mood_word(mood)})
    end = transcript.get("final_mood", points[-1]["mood"])

    # The per-turn record.
    rows = []
    prev = start
    for n, t in enumerate(turns, 1):
        fx = c.turn_fx(t)  # with `rude` when a rude typed line became this option
        feedback = replay[n - 1][1] if replay else None
        if feedback is None and not replay:
            _sid, _i, ch = scenario.find_choice(t["choice"])
            feedback = ch.feedback if ch.feedback and "{" not in ch.feedback else None
        mood = t.get("mood", prev)
        typed = t.get("typed") if isinstance(t.get("typed"), dict) else {}
        misses = t.get("unmatched") if isinstance(t.get("unmatched"), list) else []
        rude_lines = [
            _p(m["text"])
            for m in misses
            if isinstance(m, dict) and m.get("mistake") == "rude" and isinstance(m.get("text"), str)
        ]
        rows.append(
            {
                "turn": n,
                "state": t.get("state"),
                "customer": _p(t.get("customer")),
                "said": _p(t.get("text")),
                # A typed reply: the learner's own words, shown beside the option they became.
                "typed": _p(typed.get("text")) if isinstance(typed.get("text"), str) else None,
                "confirmed": bool(typed.get("confirmed")),
                # Only assessment asks for recall; practice shows the options after a miss.
                "options_shown": t.get("options_shown") is True
                and transcript.get("mode") == "assess",
                "rude_lines": rude_lines,
                "choice": t["choice"],
                "feedback": _p(feedback),
                "shows": [spec.behaviour(b)["label"] for b in fx.shows],
                "show_ids": list(fx.shows),
                # tagged but cancelled by this turn's own mistake (catalogue `contradicts`)
                "dropped_ids": list(fx.dropped),
                "mistake_ids": list(fx.mistakes),
                "mistakes": [spec.mistake(x)["label"] for x in fx.mistakes],
                "mood": mood,
                "mood_word": mood_word(mood),
                "mood_change": mood_change_word(prev, mood),
            }
        )
        prev = mood
    # A step first shown by another behaviour is shown at that turn in the record too (the
    # models and the marking points give that turn), so "Acknowledge" is not first listed at a
    # later turn than the service cycle says (review 25aq class 1).
    for b, at in by_first.items():
        if at["by"] != b and 0 < at["turn"] <= len(rows):
            label = spec.behaviour(b)["label"]
            if label not in rows[at["turn"] - 1]["shows"]:
                rows[at["turn"] - 1]["shows"].append(label)

    marking = _marking_points(score, rows, _could_show(c))
    view = {
        "scenario": {
            "id": scenario.id,
            "title": _p(scenario.title),
            "topic": scenario.topic,
            "level": scenario.level,
            "learner_role": _p(scenario.learner_role),
            "customer": _p(scenario.customer.name),
        },
        "learner": _p(transcript.get("learner")),
        "seed": transcript.get("seed"),
        "complete": bool(score.get("complete", transcript.get("ending") is not None)),
        "ending": transcript.get("ending"),
        "outcome": transcript.get("outcome"),
        "outcome_label": _outcome_label(transcript.get("outcome")),
        # The language the attempt was played in (its transcript says; English when it doesn't).
        "lang": str(transcript.get("lang") or "en"),
        "language": language_name(str(transcript.get("lang") or "en")),
        "ending_line": _p(transcript.get("ending_line")),
        # An ending line wholly in brackets is narration ("(Rhys has left the chat.)"), not
        # something the customer said (review 25d D9): shown as it is, not as speech.
        "ending_narration": _is_narration(transcript.get("ending_line")),
        "ending_debrief": _p(transcript.get("ending_debrief")),
        "percent": score["percent"],
        "grade": score["grade"],
        "grade_label": translated(
            (g.get("grades") or {}).get(score["grade"], score["grade"].capitalize())
        ),
        "thresholds": dict(score.get("thresholds") or c.thresholds),
        "grade_reason": _grade_reason(score),
        # the grade line's sentence for this attempt when a cap decided the grade (review 25u C)
        "grade_line": _grade_line(score),
        "method": _method(c, score, g, law),
        "models": models,
        "escalation": escalation,
        "law": law,
        "mistakes": mistakes,
        # a fail with no mistake marked: "Mistakes: none." alone beside it reads as a fail
        # without a cause (review 25al class 1); the pass points not met are the cause
        "fail_without_mistake": "; ".join(
            translated(m.get("label") or m["id"])
            for m in score.get("marking_points") or []
            if isinstance(m, dict) and m.get("status") == "missed" and m.get("level") == "pass"
        )
        if score["grade"] == "fail" and not mistakes
        else "",
        "behaviours": [
            {"id": b, "label": spec.behaviour(b)["label"], "turn": n}
            for b, n in sorted(first.items(), key=lambda kv: (kv[1], kv[0]))
        ],
        "mood": {
            "start": start,
            "start_word": mood_word(start),
            "end": end,
            "end_word": mood_word(end),
            "change": mood_change_word(start, end),
            "points": points,
            # the ending's own mood, where it differs from the last turn's (a broken promise
            # found out later): the mood line ends there, never "calmer" at a formal complaint
            # (review 25aq class 3)
            "ending": end if transcript.get("ending") and end != points[-1]["mood"] else None,
        },
        "marking_points": marking,
        "course_points": _course_points(score),
        "mode": transcript.get("mode") or "practice",
        "turns": rows,
        "options_needed": [r["turn"] for r in rows if r["options_shown"]],
        "score": score,
    }
    view["practise"] = _practise(view, c)
    voided = _said_with_a_mistake(rows)
    for m in view["models"]:
        for st in m["steps"]:
            if st["turn"] is None and st["behaviour"] in voided:
                st["voided"] = voided[st["behaviour"]]
                st["voided_why"] = _voided_why(rows, st["behaviour"], st["voided"])
    view["voided_note"] = _voided_note(rows, sorted(set(voided.values())))
    view["keep"], view["change"] = _keep_change(view)
    # Whether any course step was shown at all: an empty keep list must not say "none was
    # shown" beside a HEAT section that lists one (review 25d D2: an apology at a turn that also
    # made a mistake is shown, but not one to keep).
    view["shown_any"] = any(row["shows"] for row in view["turns"]) or any(
        st["turn"] is not None for m in view["models"] for st in m["steps"]
    )
    return view


def _voided_note(rows: Sequence[dict[str, Any]], said_at: list[int]) -> str:
    """Why there is nothing to keep, when a step was said but not counted and nothing was
    (printed only then): true of the whole path, not of one turn (review 25bf notes, plays 04
    and 11: "what you said at turn 2 came with a mistake" where turn 1 had made one too). Every
    reply made a mistake: said so, with all their turns. Otherwise the turns whose step a
    mistake cancelled, and that no other turn showed one."""
    if not said_at:
        return ""
    mistaken = [r["turn"] for r in rows if r.get("mistakes")]
    if rows and len(mistaken) == len(rows):
        if len(rows) == 1:
            return _(
                "Nothing yet to keep: your only reply came with a mistake, so no step was counted."
            )
        return _(
            "Nothing yet to keep: every reply you gave (turns {turns}) came with a mistake, so no "
            "step was counted."
        ).format(turns=_and(mistaken))
    return (
        _(
            "Nothing yet to keep: what you said at turn {turns} came with a mistake in the same "
            "turn, so no step was counted there, and no other turn showed one."
        )
        if len(said_at) == 1
        else _(
            "Nothing yet to keep: what you said at turns {turns} came with a mistake in the same "
            "turns, so no step was counted there, and no other turn showed one."
        )
    ).format(turns=said_at[0] if len(said_at) == 1 else _and(said_at))


def _keep_change(view: dict[str, Any]) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Two things to keep and two to change, for the top of the debrief (issue 30: lead with
    what matters, then the detail). Keep: the law applied right, a right escalation, then the
    behaviours shown, first first. Change: the one thing to practise next, then mistakes, then
    missing steps, then missed marking points. Each ``{title, text}``, no title twice."""
    keep: list[dict[str, str]] = []
    # A rule is never both kept and changed: a law still misstated is not "applied correctly".
    still_wrong = (
        set()
        if view["law"]["corrected"]
        else {w["act"] for w in view["law"]["wrong"] if not w.get("withdrawn")}
    )
    # ... nor is a law whose rule the path's conduct broke and never put right (review25u A)
    still_wrong |= {b["act"] for b in view["law"]["breached"] if not b.get("withdrawn")}
    for law in view["law"]["right_acts"]:
        if law["act"] in still_wrong:
            continue
        keep.append(
            {
                "title": _("{act}, applied correctly").format(act=law["act"]),
                # every turn any of its facts was applied at, as words (issue 25)
                "text": _turns_at(law["turns"]) + ".",
            }
        )
    esc = view["escalation"]
    # Only escalation done well is kept: never one the note itself says does not count.
    if (
        esc["applied"]
        and esc["verdict"] == "correct"
        and not esc["premature"]
        and not esc["spoiled"]
        and (esc["handover"] or not esc["escalations"])
        # never beside "the case was left with the wrong role" (review 25aa class 3)
        and not esc.get("wrong_role")
    ):
        keep.append({"title": _("Escalating well"), "text": esc["note"]})
    # A behaviour is kept from a turn that made no mistake and did not upset the customer (its
    # feedback then says what went wrong): a question asked while blaming the customer, or an
    # apology that came with a refusal, is not one to keep.
    clean: dict[str, int] = {}
    for row, before in zip(
        view["turns"], [view["mood"]["start"], *[r["mood"] for r in view["turns"]]]
    ):
        if row["mistakes"] or row["mood"] < before:
            continue
        for label in row["shows"]:
            clean.setdefault(label, row["turn"])
    for b in view["behaviours"]:
        if b["label"] not in clean:
            continue
        keep.append(
            {
                "title": b["label"],
                "text": _("You showed it at turn {n}.").format(n=clean[b["label"]]),
            }
        )
    practise = view["practise"]
    first = practise["text"]
    if practise.get("mistake"):  # the mistake it names is said here, with its turns, once
        first = _("{at}: {advice}").format(
            at=_turns_at(practise.get("turns") or [practise["turn"]]), advice=first
        )
    change: list[dict[str, str]] = [{"title": practise["title"], "text": first}]
    if practise.get("suggestion"):
        # nothing needs fixing: the practise line is a suggestion, said in the detail, not a
        # change (review 25m D6: "Another topic" listed as a thing to change on a perfect run)
        change = []
    # the mistakes that stand first, then those taken back (review 25aa class 1)
    practised = {(practise.get("mistake"), t) for t in practise.get("turns") or []}
    practised.add((practise.get("mistake"), practise.get("turn")))
    for m in sorted(view["mistakes"], key=lambda m: bool(m.get("withdrawn"))):
        if (m["id"], m["turn"]) in practised:
            continue
        change.append(
            {
                # the practise label, like the first item (review 25m D18: "1. Taking
                # ownership. ... 2. No ownership."), never the raw mistake label
                "title": m.get("practise") or m["label"],
                # every turn the mistake was made at, alike taken back or not (issue 25)
                "text": _("{at}: {advice}").format(
                    at=_turns_at(_same_mistake_turns(view["mistakes"], m)),
                    advice=_grouped_advice(view["mistakes"], m),
                ),
            }
        )
    # A step not shown is no thing to change when a marking point that it evidences was met
    # another way (review 25d D6: "Met: Checks understanding and confirms what happens next",
    # through a follow-up, beside "change: Customer service cycle: Confirm").
    # The step's own marking point (catalogue `marking_point`) decides.
    met_ids = {p["id"] for p in view["marking_points"]["met"]}
    for model in view["models"]:
        for st in model["steps"]:
            own = spec.behaviour(st["behaviour"]).get("marking_point")
            if st["turn"] is None and own not in met_ids:
                advice = spec.behaviour(st["behaviour"]).get("advice") or ""
                advice = translated(advice)
                change.append({"title": f"{model['name']}: {st['label']}", "text": advice})
    # A point undone by a mistake already listed above is that mistake said twice (review 25f
    # D18: "Taking ownership" then "Takes ownership of the problem. Undone by the mistake: no
    # ownership"): only a point missed for another reason is a second thing to change.
    listed = {m["id"] for m in view["mistakes"]}
    for mp in view["marking_points"]["missed"]:
        if mp.get("spoiled_by") and set(mp["spoiled_by"]) <= listed:
            continue
        change.append({"title": mp["label"], "text": mp["why"][:1].upper() + mp["why"][1:] + "."})

    def two(items: list[dict[str, str]]) -> list[dict[str, str]]:
        # Neither a title nor a piece of advice twice: one choice's feedback can be the advice
        # for two of its mistakes, and the practise line can be a mistake's own advice.
        seen: set[str] = set()
        out = []
        for it in items:
            text = " ".join(str(it["text"]).split())
            said = re.sub(r"^Turns? [\d, ]+(?:and \d+)?: ", "", text).lower()
            key = it["title"].lower()
            if key in seen or not it["title"] or (said and said in seen):
                continue
            seen.update({key, said} - {""})
            out.append({"title": it["title"], "text": text})
            if len(out) == 2:
                break
        return out

    changed = two(change)
    # Never the same rule in both lists (a change titled "The rule: X" and a keep "X, applied
    # correctly"): the change wins.
    named = " ".join(c["title"].lower() for c in changed)
    keep = [k for k in keep if k["title"].split(",")[0].lower() not in named]
    return two(keep), changed


def _first_shown(score: dict[str, Any], c: Compiled, first: dict[str, int]) -> dict[str, Any]:
    """The score's record of each step first shown and by what (scorer.first_shown), or, for a
    score stored before it kept one, the same worked out from its first-shown turns."""
    if isinstance(score.get("first_shown"), dict):
        return dict(score["first_shown"])
    return first_shown(first, (st for m in c.step_models for st in m.steps))


def _by_other(by_first: dict[str, Any], behaviour: str) -> str | None:
    """The course's name of the behaviour that first showed `behaviour`'s step, when another
    one did (the apology that acknowledged the customer), quoted as in the marking points."""
    at = by_first.get(behaviour)
    if not at or at["by"] == behaviour:
        return None
    return _words([at["by"]])[0]


def _order_again_words(steps: list[dict[str, Any]], again: dict[str, int]) -> str:
    """ "The steps you showed came in the right order: Follow up came again at turn 8, after
    Confirm (turn 7)." for each step in order only by a later turn (the step before it, shown,
    named with the turn it was read at)."""
    parts = []
    prev: dict[str, Any] | None = None
    for st in steps:
        if st["turn"] is None:
            continue
        at = again.get(st["behaviour"])
        if at is not None and prev is not None:
            parts.append(
                _("{step} came again at turn {n}, after {before} (turn {m})").format(
                    step=st["label"],
                    n=at,
                    before=prev["label"],
                    m=again.get(prev["behaviour"], prev["turn"]),
                )
            )
        prev = st
    if not parts:
        return _("The steps you showed came in the right order.")
    return _("The steps you showed came in the right order: {again}.").format(
        again="; ".join(parts)
    )


def _order_problem(steps: list[dict[str, Any]]) -> str:
    shown = [s for s in steps if s["turn"] is not None]
    for i, a in enumerate(shown):
        for b in shown[i + 1 :]:
            if b["turn"] < a["turn"]:
                return _("{b} (turn {bn}) came before {a} (turn {an})").format(
                    b=b["label"], bn=b["turn"], a=a["label"], an=a["turn"]
                )
    return _("the steps came in the wrong order")


def role_words(role: object) -> str:
    """A role id as the learner reads it: 'team_leader' -> 'the team leader' (learner-facing text
    uses the course's words, never internal ids)."""
    words = " ".join(plain(str(role)).replace("_", " ").replace("-", " ").split())
    return words if not words or words.startswith("the ") else f"the {words}"


def _roles(roles: Sequence[object]) -> str:
    named = list(dict.fromkeys(_role(r) for r in roles if str(r).strip()))
    if len(named) <= 1:
        return named[0] if named else _("the right role")
    return ", ".join(named[:-1]) + _(" or ") + named[-1]


def _spoilers(score: dict[str, Any], escg: dict[str, Any]) -> list[dict[str, Any]]:
    """The standing mistakes of escalation.spoiled_by on this path (not forgiven by a briefed
    escalation, not recovered by later evidence, not taken back), in turn order."""
    e = score["escalation"]
    forgiven = set(escg.get("spoiled_unless_briefed") or []) if e.get("handover") else set()
    recovered = {(r["id"], r["turn"]) for r in score.get("recovered") or []}
    withdrawn = {(w["id"], w["turn"]) for w in score.get("withdrawn") or []}
    return [
        m
        for m in score.get("mistakes") or []
        if m["id"] in (escg.get("spoiled_by") or [])
        and m["id"] not in forgiven
        and (m["id"], m["turn"]) not in recovered
        and (m["id"], m["turn"]) not in withdrawn
    ]


def _spoil_causes(score: dict[str, Any], escg: dict[str, Any], outcome: object) -> list[str]:
    """What on this path kept the case from being dealt with (review 25d D5): the standing
    mistakes of escalation.spoiled_by, with their turns, and a lost or unresolved outcome, so
    the note names only what happened, never the whole list of possible causes."""
    out = []
    for m in _spoilers(score, escg):
        label = spec.mistake(m["id"])["label"].lower()
        out.append(_("{label} at turn {n}").format(label=label, n=m["turn"]))
    if outcome in (escg.get("spoiled_by_outcome") or []):
        out.append(
            _("the customer walked away")
            if outcome == "lost"
            else _("the customer left with the problem unresolved")
        )
    return list(dict.fromkeys(out))


def _escalation(
    scenario: Scenario,
    score: dict[str, Any],
    turns: list[dict[str, Any]],
    g: dict[str, Any],
    outcome: object = None,
) -> dict[str, Any]:
    e = score["escalation"]
    escg = g.get("escalation") or {}
    esc_turns: list[dict[str, Any]] = []
    c = compiled(scenario)
    fxs = [c.fx[t["choice"]] for t in turns]
    # The escalations standing, from the scorer's one record of them (a withdrawn one, audit 25t
    # D2, passed nothing on); a score stored before it kept that record is read from the turns.
    if "turns" in e:
        esc_at = [int(n) for n in e["turns"]]
        wrong_turns = [int(n) for n in e.get("wrong_role_turns") or []]
    else:
        taken_back = {w["turn"] for w in e.get("withdrawn") or []}
        esc_at = [
            n for n, fx in enumerate(fxs, 1) if fx.escalate is not None and n not in taken_back
        ]
        wrong_turns = [n for n in esc_at if e["required"] and not fxs[n - 1].listed]
    for n in esc_at:
        t = turns[n - 1]
        role = fxs[n - 1].escalate
        if esc_turns and esc_turns[-1]["last"] == n - 1 and esc_turns[-1]["role"] == _role(role):
            # the same role on consecutive turns is one referral, said once (audit 25t D10b)
            esc_turns[-1]["last"] = n
            continue
        esc_turns.append({"turn": n, "role": _role(role), "said": _p(t.get("text")), "last": n})
    for x in esc_turns:
        del x["last"]
    verdict = e["verdict"]
    to = _roles(list(e["to"]))
    # the listed roles the attempt actually went to, not every role the scenario would accept
    went = [fxs[n - 1].escalate for n in esc_at if fxs[n - 1].listed]
    reached = _roles(went) if went else to
    notes = {
        "correct": _("You escalated to {to}, which is right here.").format(to=reached),
        "missed": _("This needed escalating to {to}, and it never was.").format(to=to),
        "wrong_role": _(
            "You escalated, but to a role that cannot deal with this; it needed {to}."
        ).format(to=to),
        "unnecessary": _(
            "This was within your own authority; escalating passed the customer on "
            "when you could have helped."
        ),
        "not_needed": _("You kept the case and dealt with it yourself, which was right here."),
    }
    note = notes.get(verdict, "")
    back = _withdrawals(e)
    if back and verdict == "not_needed":
        note = _taken_back(back)
    label = (escg.get("verdicts") or {}).get(verdict, verdict.replace("_", " ").capitalize())
    label = translated(label)
    wrong = [(n, fxs[n - 1].escalate) for n in wrong_turns]
    if verdict == "correct" and wrong:
        # The right role was reached, but a choice also sent the case where it cannot be dealt
        # with: the section says so, turn by turn, instead of a clean "right role" (review 25r
        # D4), and says which one the case was left with when the wrong one came last.
        label = translated(escg.get("mixed_label") or label)
        note += " " + _(
            "At turn {turns}, though, you referred it to {roles}, a role that cannot deal with this."
        ).format(turns=_turn_list([n for n, _r in wrong]), roles=_roles([r for _n, r in wrong]))
        last = max(esc_at)
        if wrong[-1][0] == last:
            note += " " + _("That was the last referral: the case was left with the wrong role.")
    causes = "; ".join(_spoil_causes(score, escg, outcome))
    if e.get("spoiled") and verdict == "not_needed":
        # No ownership, a vague referral or a lost customer: not "dealt with it rightly". The
        # note names which of these happened (review 25d D5); the label says what the learner
        # did when a mistake spoiled it (review 25f D4: a learner who sent the customer to the
        # manufacturer did not "keep the case").
        standing = {m["id"] for m in _spoilers(score, escg)}
        by_mistake = dict(escg.get("spoiled_labels") or {})
        own = next((str(t) for mid, t in by_mistake.items() if mid in standing), None)
        label = translated(own or escg.get("spoiled_label")) or label
        taken = _withdrawals(e)
        note = (_taken_back(taken, kept_right=False) + " " if taken else "") + (
            _(
                "The case was not dealt with ({causes}): it was neither put right nor handed "
                "to someone who could."
            ).format(causes=causes)
            if causes
            else _(
                "The case was never properly owned: with no ownership, a vague referral, or "
                "the customer leaving unresolved or walking away, it was neither dealt with "
                "nor handed to someone who could."
            )
        )
    elif e.get("spoiled") and verdict != "missed":
        # A missed escalation never happened: it cannot be "escalation done well" or not
        # (review 25f D9); the note already says it never was.
        note += " " + (
            _("But it does not count as escalation done well: {causes}.").format(causes=causes)
            if causes
            else _(
                "But with no ownership, a vague referral, or the customer leaving unresolved or "
                "walking away, it does not count as escalation done well."
            )
        )
    elif verdict == "not_needed" and (beyond := _standing(score, "beyond_remit")):
        # Keeping the case was right, but a promise only another role could make stands
        # (review 25m D5): not "dealt with it yourself, rightly" without saying so.
        label = translated(escg.get("beyond_remit_label")) or label
        note = _(
            "You kept the case, which was right here, but at turn {turns} you agreed something "
            "beyond your own authority, which only another role could agree: that part needed "
            "referring."
        ).format(turns=_turn_list(beyond))
    elif verdict == "not_needed" and (
        back := [w for w in score.get("withdrawn") or [] if w["id"] == "beyond_remit"]
    ):
        # what was agreed beyond authority, taken back (`corrects:`): named as taken back, as
        # the authority marking point says, never as standing (review25as item 6)
        note = _(
            "You kept the case, which was right here. What you agreed beyond your own authority "
            "at turn {turn} you took back at turn {at}, so nothing beyond it stood."
        ).format(turn=back[-1]["turn"], at=back[-1]["at"])
    unjudged = "escalation" in c.applied and e.get("percent", 0) is None
    if unjudged:
        # The scorer left escalation unjudged, as it left its marking point (review 25aq class
        # 2): nothing needed passing on and nothing was; the case not dealt with is the
        # outcome's and the ownership point's to judge, never "40%" beside "not assessed".
        label = _("Not assessed here")
        note = (
            _(
                "Nothing in this conversation needed passing on, and nothing was. The case was not "
                "dealt with ({causes}); the outcome and the ownership marking point judge that, "
                "not escalation."
            ).format(causes=causes)
            if causes
            else _("Nothing in this conversation needed passing on, and nothing was.")
        )
        if taken := _withdrawals(e):
            # the hand-off begun and taken back is said, not dropped (review 26a class 1)
            note = (
                _taken_back(taken, kept_right=False)
                + " "
                + (
                    _(
                        "Nothing in this conversation needed passing on. The case was not dealt with "
                        "({causes}); the outcome and the ownership marking point judge that, not "
                        "escalation."
                    ).format(causes=causes)
                    if causes
                    else _("Nothing in this conversation needed passing on.")
                )
            )
    if (taken := _withdrawals(e)) and not esc_turns and "took it back" not in note:
        # every verdict on a kept case says the hand-off begun and taken back (review 26a
        # class 1), as the verdicts above that say nothing of it would drop it
        note = _taken_back(taken, kept_right=False) + " " + note
    if e["premature"]:
        note += " " + _("The escalation came before you had heard the customer out.")
    if esc_turns and not e["handover"]:
        # Says what the path shows (review 25m D13): "I'll pass this to my supervisor with my
        # notes" is a hand-over, but not a summary of the case; a cold transfer is neither.
        note += " " + _(
            "The case was passed on without a handover summary of it (what happened, what was "
            "tried, what the customer wants), so the customer may have to tell it all again."
        )
    return {
        "applied": "escalation" in c.applied,
        "required": e["required"],
        "to": list(e["to"]),
        "reason": _p(scenario.escalation.reason),
        "verdict": verdict,
        "verdict_label": label,
        "spoiled": bool(e.get("spoiled")) and not unjudged,
        # not assessed on this path (no percentage): its marking point is not either
        "assessed": not unjudged,
        "premature": e["premature"],
        "handover": e["handover"],
        # a referral (not taken back) to a role that cannot deal with it (review 25aa class 3)
        "wrong_role": bool(wrong),
        "escalations": esc_turns,
        "percent": e.get("percent"),
        "good_practice": [translated(x) for x in escg.get("good_practice") or []],
        "note": note.strip(),
    }


def _taken_back(back: list[dict[str, Any]], *, kept_right: bool = True) -> str:
    """The escalations begun and taken back (`_withdrawals`), each with its own turns: an
    escalation taken back did not happen (review 26a class 1), so every section says it was
    taken back and nothing was passed on. `kept_right`: keeping the case was right and that is
    the whole verdict (otherwise the caller says what the kept case still lacked)."""
    if len(back) == 1:
        if kept_right:
            return _(
                "At turn {turn} you said you would pass the case to {role}, then took it back at "
                "turn {at} and kept it yourself, which was right here: nothing was passed on."
            ).format(turn=back[0]["turn"], role=_role(back[0]["role"]), at=back[0]["at"])
        return _(
            "At turn {turn} you said you would pass the case to {role}, then took it back at "
            "turn {at} and kept it yourself: nothing was passed on."
        ).format(turn=back[0]["turn"], role=_role(back[0]["role"]), at=back[0]["at"])
    # each one begun and taken back, with its own turns (issue 25: the first begun beside the
    # last taken back read as one escalation held open between them)
    turns = _and([w["turn"] for w in back])
    ats = _and([w["at"] for w in back])
    if kept_right:
        return _(
            "At turns {turns} you said you would pass the case on, and took it back each time "
            "(at turns {ats}) and kept it yourself, which was right here: nothing was passed on."
        ).format(turns=turns, ats=ats)
    return _(
        "At turns {turns} you said you would pass the case on, and took it back each time (at "
        "turns {ats}) and kept it yourself: nothing was passed on."
    ).format(turns=turns, ats=ats)


def _withdrawals(e: dict[str, Any]) -> list[dict[str, Any]]:
    """Each escalation begun and then taken back (the scorer's `escalation.withdrawn`), one per
    taking back: {turn (the first escalation it took back), role, at}."""
    out: dict[Any, dict[str, Any]] = {}
    for w in e.get("withdrawn") or []:
        out.setdefault(w.get("at"), w)
    return list(out.values())


def _standing(score: dict[str, Any], mid: str) -> list[int]:
    """The turns at which mistake `mid` was made and never taken back (`corrects:`)."""
    return standing_turns(score, mid)


def _turn_list(turns: list[int]) -> str:
    return ", ".join(str(n) for n in dict.fromkeys(turns))


def _offered_on_path(c: Compiled, choices: Sequence[str], replay: Offers | None) -> set[str]:
    """The choices this path was offered: what the learner saw at each turn (the recorded or
    replayed offers), else every choice of the states it visited."""
    if replay:
        return {cid for offered, _fb in replay for cid in offered}
    states = {c.fx[cid].state for cid in choices}
    return {cid for cid, fx in c.fx.items() if fx.state in states}


def _turns_offered(
    c: Compiled, choices: Sequence[str], replay: Offers | None, key: str
) -> list[int]:
    """The turns at which this path was offered a choice applying law `key` right (the
    recorded offers, else every choice of the state of that turn)."""
    out = []
    for n, cid in enumerate(choices, 1):
        if replay and n <= len(replay):
            offered = list(replay[n - 1][0])
        else:
            state = c.fx[cid].state
            offered = [o for o, fx in c.fx.items() if fx.state == state]
        if any(key in c.fx[o].law_right for o in offered if o in c.fx) and key not in (
            c.fx[cid].law_right
        ):
            out.append(n)
    return out


def _law(
    scenario: Scenario,
    c: Compiled,
    score: dict[str, Any],
    choices: list[str],
    replay: Offers | None = None,
) -> dict[str, Any]:
    turns_of: dict[tuple[str, str], list[int]] = {}
    standing: set[str] = set()  # law keys misstated and not (yet) withdrawn by a `corrects:`
    # the first turn of each misstatement still standing (review 25aa class 1: "Turn 2
    # misstated it, and it was never put right" named the turn withdrawn, not turn 4's)
    since: dict[str, int] = {}
    for n, cid in enumerate(choices, 1):
        fx = c.fx[cid]
        if fx.fixes:
            standing = {k for k in standing if not c.key_bit.get(k, 0) & fx.fixes}
            since = {k: t for k, t in since.items() if k in standing}
        standing |= set(fx.law_wrong)
        for k in fx.law_wrong:
            since.setdefault(k, n)
        for k in fx.law_right:
            turns_of.setdefault((k, "right"), []).append(n)
        for k in fx.law_wrong:
            turns_of.setdefault((k, "wrong"), []).append(n)

    def entry(k: str, how: str) -> dict[str, Any]:
        t = spec.law_text(k)
        t["turns"] = list(dict.fromkeys(turns_of.get((k, how), [])))
        # "turn 3", "turns 4 and 5": never "turn 4, 5" (issue 25)
        t["at"] = _turn_words(t["turns"])
        return t

    # each fact once (issue 25: one line per fact, no duplicates)
    right = [entry(k, "right") for k in dict.fromkeys(score["law"]["right"])]
    wrong = [entry(k, "wrong") for k in dict.fromkeys(score["law"]["wrong"])]
    for w in wrong:
        w["withdrawn"] = w["id"] not in standing
        w["standing_turn"] = since.get(w["id"])
        # stated right at a later turn than it stood from, without a withdrawal: the customer
        # was told two things, yet this is not the rule best named as "never put right"
        w["restated"] = any(
            t > (since.get(w["id"]) or 0) for t in turns_of.get((w["id"], "right"), [])
        )
    # An act the path already applied, misstated or breached (by any of its facts, or by a
    # mistake whose conduct breaks it: grading.yaml `law.broken_by`) is not "not used".
    broken_by = (spec.grading().get("law") or {}).get("broken_by") or {}
    touched = {
        k.partition(".")[0]
        for k in (
            *score["law"]["right"],
            *score["law"]["wrong"],
            *(b["id"] for b in score.get("law_breached") or []),
            *(broken_by[m["id"]] for m in score.get("mistakes") or [] if m["id"] in broken_by),
        )
    }
    # "Not used" names only a law a choice offered on this path would have applied (review 25f
    # D13): never one from a branch the conversation did not reach (marketing objections in a
    # call that never mentioned marketing).
    offered = _offered_on_path(c, choices, replay)
    offered_right = sorted({k for cid in offered for k in c.fx[cid].law_right})
    not_applied = [entry(k, "right") for k in offered_right if k.partition(".")[0] not in touched]
    # ... with the turns where a choice applying it was offered and another was chosen (review
    # 25al class 1: "You did not apply the law that governs this case" when the conduct had
    # applied the case's main rule; what is true of the path is the turn the law was passed by)
    for t in not_applied:
        t["turns"] = _turns_offered(c, choices, replay, t["id"])
        t["at"] = _turn_words(t["turns"]) if t["turns"] else ""
    missed_at = sorted({n for t in not_applied for n in t["turns"]})
    breached = _breaches(score) + _conduct_unmarked(score, broken_by)
    right = _applied_not_broken(right, breached)
    fixed = score.get("law_corrected") or {}
    pairs = next(
        (
            c.get("pairs") or []
            for c in score.get("caps") or []
            if c["when"] == {"law": "corrected"}
        ),
        [],
    )
    if wrong and fixed.get("corrected") and len(pairs) > 1:
        # each misstatement with the turn that withdrew it, as the cap line says (issue 25)
        ats = list(dict.fromkeys(p[1] for p in pairs))
        note = _(
            "You misstated the law at turns {made}, and put each right before the customer "
            "acted on it ({later}) — the recovery counts, but a distinction needs it right "
            "first time."
        ).format(
            made=_and([p[0] for p in pairs]),
            later=_("at turn {n}").format(n=ats[0])
            if len(ats) == 1
            else _("at turns {turns}").format(turns=_and(ats)),
        )
    elif wrong and fixed.get("corrected"):
        note = _(
            "You misstated the law, then put it right at turn {n} "
            "before the customer acted on it — the recovery counts, but a distinction "
            "needs it right first time."
        ).format(n=fixed.get("turn"))
    elif wrong:
        note = _("You misstated the law and never put it right — an examiner would not pass this.")
    elif right and any(not b.get("withdrawn") for b in breached):
        # one verdict per act (review25u class A): a rule broken and never put right is not
        # beside "you applied the law correctly"
        note = ""
    elif right and breached:
        note = _("Apart from that, you applied the law correctly.")
    elif right:
        note = _("You applied the law correctly.")
    elif not_applied:
        # Not "the customer's rights": the law may protect someone else, such as the account
        # holder a relative rang about (audit 25t D9).
        note = (
            _("You did not apply the law where the conversation called for it, at {at}.").format(
                at=_turn_words(missed_at)
            )
            if missed_at
            else _(
                "You did not apply the law that governs this case, although the conversation "
                "allowed it."
            )
        )
    elif c.has_law:
        # the law this scenario assesses lies on branches this path never reached
        note = _(
            "You did not apply the law that governs this case: you did not state it at any "
            "turn of this conversation."
        )
    else:
        note = _("This scenario does not assess the law.")
    if breached:
        # conduct contrary to the law is said as what was done, before anything about what was
        # stated (review 25k D1): never "misstated", and the rule shown is the one broken
        if not wrong and not right:
            note = ""
        note = " ".join([*(b["sentence"] for b in breached), note]).strip()
    return {
        "applied": "law" in c.applied,
        "assessed": c.has_law,
        "right": right,
        # the facts applied right, by act: the act named once, then each of its facts with its
        # own turns (issue 25: "at turn 4, 5: Complaint rules ..." and again "at turn 5:
        # Complaint rules ..." for a second fact of the same act)
        "right_acts": _by_act(right),
        "wrong": wrong,
        "breached": breached,
        "not_applied": not_applied,
        "corrected": bool(fixed.get("corrected")),
        "note": note,
    }


def _turn_words(turns: Sequence[int]) -> str:
    """ "turn 3", "turns 4 and 5", "turns 2, 3 and 5"; "" for none."""
    if not turns:
        return ""
    if len(set(turns)) == 1:
        return _("turn {n}").format(n=turns[0])
    return _("turns {turns}").format(turns=_and(turns))


def _by_act(facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Facts grouped by the act they belong to, in first-seen order: {act, turns (all, in
    order), at, facts}."""
    acts: dict[str, dict[str, Any]] = {}
    for f in facts:
        g = acts.setdefault(f["act"], {"act": f["act"], "turns": [], "facts": []})
        g["facts"].append(f)
        g["turns"] = sorted(set(g["turns"]) | set(f["turns"]))
    for g in acts.values():
        g["at"] = _turn_words(g["turns"])
    return list(acts.values())


def _breaches(score: dict[str, Any]) -> list[dict[str, Any]]:
    """Each law the path's conduct breached (`law: {KEY: breached}`, scorer `law_breached`),
    with its sentence: what the learner did, contrary to which Act, and the rule broken, or
    that it was put right at a later turn (its conduct's mistakes all withdrawn)."""
    out: list[dict[str, Any]] = []
    said: dict[tuple[str, int | None], dict[str, Any]] = {}
    for b in score.get("law_breached") or []:
        t = spec.law_text(b["id"])
        if b.get("offered"):
            out.append(_offer(b, t, said))
            continue
        did = t["breach"] or _("acted against it")
        again = said.get((b["id"], b.get("withdrawn")))
        if again is not None and not b.get("withdrawn"):
            # the same rule broken again, still not put right: said once, with both turns
            # (review25u A: the paragraph repeated itself word for word)
            again["turns"].append(b["turn"])
            again["sentence"] = _(
                "At turns {turns} you {did}, contrary to the {act}, and never put it right. "
                "The rule: {rule}"
            ).format(turns=_and(again["turns"]), did=did, act=t["act"], rule=t["breach_rule"])
            continue
        if b.get("withdrawn"):
            sentence = _(
                "At turn {n} you {did}, contrary to the {act}, and put it right at turn {at}."
            ).format(n=b["turn"], did=did, act=t["act"], at=b["withdrawn"])
        else:
            sentence = _(
                "At turn {n} you {did}, contrary to the {act}, and never put it right. "
                "The rule: {rule}"
            ).format(n=b["turn"], did=did, act=t["act"], rule=t["breach_rule"])
        entry = {
            **t,
            "turn": b["turn"],
            "turns": [b["turn"]],
            "withdrawn": b.get("withdrawn"),
            "sentence": sentence,
        }
        said[(b["id"], b.get("withdrawn"))] = entry
        out.append(entry)
    out = [e for e in out if e]
    # an offer standing beside a breach of the same rule, or a second offer of it, does not
    # quote the rule again: the paragraph says each rule once (truth25bb)
    quoted = {e["breach_rule"] for e in out if not e.get("offered") and not e.get("withdrawn")}
    for e in out:
        if not e.get("offered") or e.get("withdrawn"):
            continue
        if e["breach_rule"] in quoted and e.get("short"):
            e["sentence"] = e["short"]
        quoted.add(e["breach_rule"])
    return out


def _offer(
    b: dict[str, Any], t: dict[str, Any], said: dict[tuple[str, int | None], dict[str, Any]]
) -> dict[str, Any]:
    """An offer of what the law does not allow (`law: {KEY: offered}`): offering to send the
    whole customer list, or to read data out before a check, is not yet conduct contrary to
    the Act (nothing left; brief facts 17-19c), so an examiner says "offered ..., which the Act
    does not allow", never "acted contrary to" it (issue 25, truth25bb). The same rule offered
    again and never taken back is said once with both turns; the returned entry is then the
    first one, emptied of its sentence's duplicate."""
    did = t.get("offer") or _("offered or proposed what it does not allow")
    key = ("offer:" + str(b["id"]), b.get("withdrawn"))
    again = said.get(key)
    if again is not None and not b.get("withdrawn"):
        again["turns"].append(b["turn"])
        again["sentence"] = _(
            "At turns {turns} you {did}, which is not allowed under the {act}, and never took it "
            "back. The rule: {rule}"
        ).format(turns=_and(again["turns"]), did=did, act=t["act"], rule=t["breach_rule"])
        again["short"] = _(
            "At turns {turns} you {did}, which is not allowed under the {act}, and never took it back."
        ).format(turns=_and(again["turns"]), did=did, act=t["act"])
        return {}
    if b.get("withdrawn"):
        sentence = _(
            "At turn {n} you {did}, which is not allowed under the {act}, and took it back at turn {at}."
        ).format(n=b["turn"], did=did, act=t["act"], at=b["withdrawn"])
    else:
        sentence = _(
            "At turn {n} you {did}, which is not allowed under the {act}, and never took it back. "
            "The rule: {rule}"
        ).format(n=b["turn"], did=did, act=t["act"], rule=t["breach_rule"])
    entry = {
        # the same without the rule, for a paragraph that quotes it already (`_breaches`)
        "short": _(
            "At turn {n} you {did}, which is not allowed under the {act}, and never took it back."
        ).format(n=b["turn"], did=did, act=t["act"])
        if not b.get("withdrawn")
        else None,
        **t,
        "turn": b["turn"],
        "turns": [b["turn"]],
        "withdrawn": b.get("withdrawn"),
        "offered": True,
        "sentence": sentence,
    }
    said[key] = entry
    return entry


def _applied_not_broken(
    right: list[dict[str, Any]], breached: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The facts applied right, less what the same act's conduct broke: an act never put right
    is not "applied correctly" at any turn, and a turn that broke an act did not apply it
    correctly either (review 26a class 3: the whole log, names and all, sent by a restricted
    folder, was "Applied correctly, at turn 5: ... only the personal data a purpose needs",
    below the overshare it completed). Each fact keeps the turns left; one with none is
    dropped."""
    standing = {b["act"] for b in breached if not b.get("withdrawn")}
    out = []
    for r in right:
        if r["act"] in standing:
            continue
        broke = {
            int(t) for b in breached if b["act"] == r["act"] for t in b.get("turns") or [b["turn"]]
        }
        turns = [t for t in r["turns"] if t not in broke]
        if turns:
            out.append({**r, "turns": turns, "at": _turn_words(turns)})
    return out


def _conduct_unmarked(score: dict[str, Any], broken_by: dict[str, str]) -> list[dict[str, Any]]:
    """Each act broken by a mistake's conduct (grading.yaml `law.broken_by`: discrimination is
    contrary to the Equality Act) at a turn whose choice carries no `law: breached` mark for
    it, and never taken back: said as conduct contrary to the act, so the law section never
    says "you applied the law correctly" beside it, nor is the act kept as applied correctly
    (review 25aq class 4: reasonable-adjustment seed 5407, [opening.2, dog_refused.1,
    locked_out.5]: turn 3 asked a deaf customer to come back on a quieter day, a failing
    discrimination, beside "Apart from that, you applied the law correctly")."""
    marked = {(b["turn"], str(b["id"]).partition(".")[0]) for b in score.get("law_breached") or []}
    undone = {(w["id"], w["turn"]) for w in score.get("withdrawn") or []}
    undone |= {(r["id"], r["turn"]) for r in score.get("recovered") or []}
    by_act: dict[str, dict[str, Any]] = {}
    for m in score.get("mistakes") or []:
        act = broken_by.get(m["id"])
        if not act or (m["turn"], act) in marked or (m["id"], m["turn"]) in undone:
            continue
        t = spec.law_text(act)
        e = by_act.setdefault(
            act, {**t, "turn": m["turn"], "turns": [], "withdrawn": None, "labels": []}
        )
        e["turns"].append(m["turn"])
        label = spec.mistake(m["id"])["label"].lower()
        if label not in e["labels"]:
            e["labels"].append(label)
    for e in by_act.values():
        e["sentence"] = _(
            "At {at} your conduct ({what}) was contrary to the {act}, and it was never put "
            "right. The rule: {rule}"
        ).format(
            at=_turn_words(sorted(set(e["turns"]))),
            what=", ".join(e.pop("labels")),
            act=e["act"],
            rule=e["rule"],
        )
    return list(by_act.values())


def _law_standing(law_view: dict[str, Any]) -> list[dict[str, Any]]:
    """The law section's breaches and offers never put right or taken back."""
    return [b for b in law_view.get("breached") or [] if not b.get("withdrawn")]


def _and(turns: Sequence[int]) -> str:
    """The turns as words: "3 and 4", "2, 3 and 5" (the cap lines' words: scorer.turns_words)."""
    return turns_words(turns)


def _method(
    c: Compiled, score: dict[str, Any], g: dict[str, Any], law_view: dict[str, Any] | None = None
) -> dict[str, Any]:
    parts = []
    # a law the path was offered and never applied (the law section says "you did not apply
    # the law ... although the conversation allowed it"): one verdict, not "not assessed here"
    # beside it (review 25aa class 5c)
    unapplied = bool(law_view and law_view.get("not_applied"))
    law = score.get("law") or {}
    for k, w in score.get("weights", {}).items():
        pct = score.get("parts", {}).get(k)
        if pct is None:
            shown = _("not assessed")
        elif k == "law" and law_view and _law_standing(law_view):
            # the law section says conduct contrary to it, or an offer it does not allow,
            # stands: the percentage says the same (issue 25, truth25bb: never 100% beside it)
            shown = (
                _("{pct}%: an offer the law does not allow was never taken back")
                if all(b.get("offered") for b in _law_standing(law_view))
                else _("{pct}%: conduct contrary to the law was never put right")
            ).format(pct=pct)
        elif k == "law" and not law.get("right") and not law.get("wrong"):
            # review 25k D11: a neutral default is not a score the path earned
            if score.get("law_breached"):
                shown = _(
                    "counted as {pct}%: you did not state the law here; the conduct contrary "
                    "to it counts among the mistakes"
                ).format(pct=pct)
            elif unapplied:
                shown = _(
                    "not applied, although the conversation allowed it (with no law stated, "
                    "the percentage counts it as {pct}%; the grade reads it from the marking "
                    "points)"
                ).format(pct=pct)
            elif c.has_law:
                # one verdict with the law section and the marking point (review 25ag class
                # 2): the law governing this case was not applied, never "not assessed here"
                shown = _(
                    "not applied: you did not state the law here (the percentage counts it as "
                    "{pct}%; the grade reads it from the marking points)"
                ).format(pct=pct)
            else:
                shown = _(
                    "not assessed here (this conversation did not turn on the law; it counts "
                    "as {pct}%)"
                ).format(pct=pct)
        else:
            shown = f"{pct}%"
        parts.append(
            {
                "id": k,
                "name": translated(c.names.get(k, k)),
                "weight": w,
                "percent": pct,
                "shown": shown,
            }
        )
    lines = [
        _(
            "The grade follows the marking points: a pass needs every pass point below met; a "
            "distinction also needs every distinction point and the customer's problem resolved "
            "(or rightly escalated)."
        ),
        _caps_line(g),
        _(
            "The percentage is a secondary figure: each model's percentage, weighted, less the "
            "points each mistake costs, plus or minus the outcome's points."
        ),
        _band_line(c),
    ]
    if c.esc_required and "escalation" in c.weights:
        lines.insert(
            3,
            _("This scenario requires escalation, so escalation weighs {w}.").format(
                w=f"{score['weights'].get('escalation', 0):g}"
            ),
        )
    return {
        "lines": lines,
        "parts": parts,
        "base": score.get("base"),
        "deductions": score.get("deductions"),
        "outcome_points": score.get("outcome_points"),
        "caps": [
            {
                "grade": _grade_word(x["grade"]),
                # a reason that already names its turns gives no `turn` (said once, not
                # "…, at turn 7, at turn 7")
                "reason": _cap_line(x, score)[0],
                "rule": translated(x.get("rule") or x["reason"]),
                "turn": _cap_line(x, score)[1],
                # whether this cap holds the grade awarded: a cap that only stops a
                # distinction, on a fail, is said as such, not as "at most pass" (review 25f D21)
                "binds": GRADE_RANK.get(x["grade"], 0) <= GRADE_RANK.get(score["grade"], 0),
            }
            for x in score.get("caps", [])
        ],
    }


def _cap_line(cap: dict[str, Any], score: dict[str, Any]) -> tuple[str, int | None]:
    """A cap as the cap line says it: its reason, and the one turn the template cites after it
    ("…, at turn 3."), or None when the reason already names its turns: its own (a slip and the
    turn that put it right; each recovered slip) or several ("(turns 3 and 4)"), worded as the
    grade line words them (scorer.cap_words), so the two cannot cite different turns."""
    reason, turns = cap_words(cap, score)
    if len(turns) == 1:
        return reason, turns[0]
    if turns:
        return reason + _(", at turns {turns}").format(turns=turns_words(turns)), None
    return reason, None


def _band_line(c: Compiled) -> str:
    """The percentage's bands, from the same `Compiled.band` the scorer holds it in (grading.yaml
    step 5), so the sentence cannot drift from the number shown."""
    (_f, fail_hi), (pass_lo, pass_hi), (dist_lo, _d) = (
        c.band("fail"),
        c.band("pass"),
        c.band("distinction"),
    )
    return _(
        "The percentage never decides the grade: it is held inside the grade's band (a fail up "
        "to {f}%, a pass {p}–{q}%, a distinction {d}% or more)."
    ).format(f=fail_hi, p=pass_lo, q=pass_hi, d=dist_lo)


def _caps_line(g: dict[str, Any]) -> str:
    """The caps of grading.yaml in one sentence, in the course's words (so the method printed
    in every debrief cannot drift from the rules the scorer applies)."""

    def words(grade: str) -> str:
        rules = [
            translated(" ".join(str(c.get("rule") or c.get("reason") or "").split()))
            for c in g.get("caps") or []
            if c.get("grade") == grade
        ]
        rules = list(dict.fromkeys(r for r in rules if r))
        if len(rules) <= 1:
            return "".join(rules)
        return ", ".join(rules[:-1]) + _(" or ") + rules[-1]

    fail, pas = words("fail"), words("pass")
    parts = []
    if fail:
        parts.append(
            _("{rules} fail the attempt whatever else was earned").format(
                rules=f"{fail[0].upper()}{fail[1:]}"
            )
        )
    if pas:
        parts.append(_("{rules} stop a distinction").format(rules=pas))
    return "; ".join(parts) + "." if parts else ""


def _why_words(why: dict[str, Any] | None) -> str:
    if not why:
        return ""
    if why["kind"] == "spoiled":
        labels = [spec.mistake(m)["label"].lower() for m in why["ids"]]
        return (
            _("undone by the mistake: {labels}")
            if len(labels) == 1
            else _("undone by the mistakes: {labels}")
        ).format(labels=", ".join(labels))
    if why["kind"] == "breached":
        # conduct contrary to the law, never put right (review25u class A)
        acts = sorted({spec.law_text(k)["act"] for k in why["ids"]})
        return _("undone by conduct contrary to the {act}, never put right").format(
            act=", ".join(acts)
        )
    if why["kind"] == "offered":
        # only offered or asked for, never done (`law: offered`; issue 25, truth25bb)
        acts = sorted({spec.law_text(k)["act"] for k in why["ids"]})
        return _("undone by an offer not allowed under the {act}, never taken back").format(
            act=", ".join(acts)
        )
    if why["kind"] == "lost":
        return _("the customer walked away before it was settled")
    if why["kind"] == "unresolved":
        return _("the customer left with the problem unresolved")
    words = _words(why["ids"])
    if len(words) == 1:
        return _("this attempt did not show {what}").format(what=words[0])
    listed = ", ".join(words[:-1]) + _(" or ") + words[-1]
    return _("this attempt showed none of these: {listed}").format(listed=listed)


def _listed(ids: Sequence[str]) -> str:
    words = _words(ids)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + _(" or ") + words[-1]


def _words(ids: Sequence[str]) -> list[str]:
    words = []
    for s in ids:
        if s == "law:right":
            words.append(_("applying the law correctly"))
        elif s == "escalation:good":
            words.append(_("escalating well (or rightly keeping the case)"))
        elif s == "escalation:handover":
            words.append(_("a briefed escalation to the right role"))
        else:
            # The course's name for the step, quoted so it reads as a name in a sentence.
            words.append(f'"{spec.behaviour(s)["label"].lower()}"')
    return words


# Words that say sorry (an apology said, whether or not the option was credited with one).
_SORRY = re.compile(r"\b(?:sorry|apologi[sz]e|apologies)\b", re.IGNORECASE)
# Words that ask the customer for their story (review 25aa class 6: "Tell me what's happened
# with the engineer", "Can you talk me through it", said in a turn that also made a mistake):
# a request to the customer only, never the words "what happened" inside another sentence
# (review 25aw class 4: "I can't defend what happened ... What day suits you?" read as asking
# for the story), nor "no need to talk me through it", nor "tell me her security password".
_ASKED = re.compile(
    r"(?<!no need to )\b(?:tell me(?! (?:her|his|your) (?:security|password|date))"
    r"|talk me through|walk me through)\b"
    r"|(?:^|[.!?]\s+)what(?:'s| has)? happened\b[^.!?]*\?|\bwhat do you need\b",
    re.IGNORECASE,
)


# Words that name how the situation feels for the customer (review 25aw play 09: "I'm sorry, an
# E21 with three kids is a real headache", said beside blaming the customer): the feeling or
# the impact said to them, never "I understand" alone nor a feeling of the speaker's own.
_FELT = re.compile(
    r"\b(?:I can (?:only )?imagine|I can see (?:how|why)|"
    r"(?:must|must've|must have) (?:be|been) (?:really |so |very |incredibly )?"
    r"(?:frustrating|stressful|worrying|hard|difficult|awful|upsetting|exhausting|a worry)|"
    r"(?:that|it) sounds (?:really |so |very )?"
    r"(?:frustrating|stressful|worrying|hard|difficult|awful|upsetting|exhausting)|"
    r"(?:is|was|that's|it's) (?:a |such a )(?:real )?(?:headache|worry|nightmare)|"
    r"a real (?:headache|worry|nightmare))\b",
    re.IGNORECASE,
)


def _said_with_a_mistake(rows: Sequence[dict[str, Any]]) -> dict[str, int]:
    """{behaviour: first turn} for a step said aloud in a turn that also made a mistake and was
    not credited there: an apology ("apologise": a step the option lists and its mistake
    cancels, or a "sorry" said) or a question about the customer's story ("hear": a step the
    option lists and its mistake cancels, or a request for the story said to the customer, never
    "what happened" inside another sentence). The debrief says it was said and why it did not
    count, never "not shown" or "none of these" alone (review 25aa class 6)."""
    out: dict[str, int] = {}
    for r in rows:
        if not r.get("mistakes") or not r.get("said"):
            continue
        said = str(r["said"])
        shows = set(r.get("show_ids") or ())
        # the option's own marks first: a step it lists (`shows:`) that its mistake cancels
        dropped = set(r.get("dropped_ids") or ())
        if ("apologise" in dropped or _SORRY.search(said)) and "apologise" not in shows:
            out.setdefault("apologise", r["turn"])
        # asking for the story: a step the option lists and its mistake cancels, or a request
        # for the story said to the customer (`_ASKED`)
        story = {"hear", "question"}
        if (dropped & story or _ASKED.search(said)) and not shows & story:
            out.setdefault("hear", r["turn"])
        # empathy: a step the option lists and its mistake cancels, or the feeling or impact
        # named to the customer (`_FELT`) in a turn whose mistake cancels it (review 25aw play
        # 09: empathy beside blaming the customer is said but not counted, not "not shown")
        felt = "empathise" in dropped or (_FELT.search(said) and "empathise" in _contradicted(r))
        if felt and "empathise" not in shows:
            out.setdefault("empathise", r["turn"])
    return out


def _contradicted(row: dict[str, Any]) -> set[str]:
    """The steps this turn's mistakes cancel in the same turn (the catalogue's `contradicts`)."""
    mistakes = catalogue.catalogue()["mistakes"]
    return {b for m in row.get("mistake_ids") or () for b in (mistakes[m].get("contradicts") or ())}


def _cancelled_by(row: dict[str, Any], behaviour: str) -> list[str]:
    """The labels of this turn's mistakes that cancel `behaviour` in the same turn (the
    catalogue's `contradicts`): the one rule the scorer applies, so an apology beside "no
    ownership" counts and one beside a scripted reply does not (review 25al class 7)."""
    return [
        spec.mistake(m)["label"]
        for m in row.get("mistake_ids") or ()
        if behaviour in (catalogue.catalogue()["mistakes"][m].get("contradicts") or ())
    ]


def _voided_why(rows: Sequence[dict[str, Any]], behaviour: str, turn: int) -> str:
    """Why a step said at `turn` was not counted, as the scorer decided it."""
    row = next((r for r in rows if r["turn"] == turn), {})
    refusing = {"misstates_law", "defensive"} & set(row.get("mistake_ids") or ())
    if behaviour == "apologise" and refusing:
        # one rule for a "sorry, but ..." (catalogue `contradicts`; review 25bf: counted in
        # one debrief and not in another), said in the same words wherever it voids the apology
        return _(
            'the "sorry" led into a refusal or a wrong answer, not an apology for what happened'
        )
    cancelled = _cancelled_by(row, behaviour)
    if cancelled:
        return _("a mistake in the same turn cancels it ({mistakes})").format(
            mistakes="; ".join(m.lower() for m in cancelled)
        )
    if behaviour == "apologise" and row.get("mistakes"):
        # Only a wrong answer of law is said to be one (review 25aq class 4: long-running-
        # complaint opening.4, "I'm sorry it's taken six weeks ... Can I pass you to my
        # manager?", is neither a refusal nor a wrong answer): what is true is that the option
        # was not credited with an apology, and the mistake it made
        return (
            _(
                "that reply is not counted as an apology because the same reply also made a "
                "mistake: {mistakes}"
            )
            if len(row["mistakes"]) == 1
            else _(
                "that reply is not counted as an apology because the same reply also made "
                "mistakes: {mistakes}"
            )
        ).format(mistakes="; ".join(m.lower() for m in row["mistakes"]))
    return _("that turn also made a mistake")


def _could_show(c: Compiled) -> frozenset[str]:
    """The evidence this scenario could show at all: each behaviour some choice in it lists,
    the law when it assesses the law, and how the escalation went (always judged). A missed
    point names only these (review 25ag class 3: "verify identity", "reasonable adjustment"
    named as missing in a washing-machine fault)."""
    tags = {b for fx in c.fx.values() for b in (*fx.shows, *fx.dropped)}
    tags |= {"escalation:good", "escalation:handover"}
    if c.has_law:
        tags.add("law:right")
    return frozenset(tags)


def _point_shown(point_id: str) -> list[str]:
    """What shows the marking point (grading.yaml `shown`)."""
    point: dict[str, Any] = next(
        (mp for mp in spec.grading()["marking_points"] if mp["id"] == point_id), {}
    )
    return [str(b) for b in point.get("shown") or []]


def _about_authority(point_id: str) -> bool:
    """The marking point about working within one's own authority (spoiled by agreeing
    something beyond it)."""
    point: dict[str, Any] = next(
        (mp for mp in spec.grading()["marking_points"] if mp["id"] == point_id), {}
    )
    return "beyond_remit" in (point.get("spoiled_by") or [])


def _marking_points(
    score: dict[str, Any],
    rows: Sequence[dict[str, Any]] = (),
    could_show: frozenset[str] | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """The scorer's verdict on each marking point, in words (one status per point). When an
    apology was said but not credited (a "sorry" that came with a refusal, a blame or a wrong
    answer), "none of these was shown" would read as false: it says none was credited, and
    why."""
    said_sorry = _said_with_a_mistake(rows).get("apologise")
    asked = _said_with_a_mistake(rows).get("hear")
    out: dict[str, list[dict[str, Any]]] = {"met": [], "missed": [], "not_assessed": []}
    for mp in score.get("marking_points") or []:
        item = {
            "id": mp["id"],
            "label": translated(mp["label"]),
            "level": mp["level"],
            "level_label": _("a pass point") if mp["level"] == "pass" else _("a distinction point"),
        }
        if mp["status"] == "missed":
            why = mp.get("why")
            if why and why["kind"] == "not_shown" and could_show is not None:
                # only what this scenario could have shown (none left: the list as it was)
                ids = [i for i in why["ids"] if i in could_show]
                why = {**why, "ids": ids or list(why["ids"])}
            item["why"] = _why_words(why)
            if why and why["kind"] in ("lost", "unresolved") and _about_authority(mp["id"]):
                # authority is not about the outcome (review 25ag class 6): the reason is the
                # escalation that misjudged where it stops
                verdict = (score.get("escalation") or {}).get("verdict")
                if verdict == "unnecessary":
                    item["why"] = _(
                        "the case was passed on though settling it was within your own authority"
                    )
                elif verdict == "wrong_role":
                    item["why"] = _("the case was passed to a role that cannot deal with it")
            verdict = (score.get("escalation") or {}).get("verdict")
            if (
                why
                and why["kind"] in ("lost", "unresolved", "not_shown")
                and "escalation:good" in why["ids"] + _point_shown(mp["id"])
                and not _about_authority(mp["id"])
                and verdict in ("missed", "wrong_role")
            ):
                # the escalation point's reason is the escalation section's (review 25bf note,
                # play 04: "the customer left with the problem unresolved" where the section
                # says the request never reached the data protection officer)
                to = _roles(list((score.get("escalation") or {}).get("to") or []))
                item["why"] = (
                    _("the case needed escalating to {to}, and it never was").format(to=to)
                    if verdict == "missed"
                    else _(
                        "the case was passed to a role that cannot deal with it; it needed {to}"
                    ).format(to=to)
                )
            if (
                said_sorry is not None
                and why
                and why["kind"] == "not_shown"
                and "apologise" in why["ids"]
            ):
                item["why"] = _(
                    "none of these counted: {listed}. You said sorry at turn {n}, but it "
                    "was not counted: {why}"
                ).format(
                    listed=_listed(why["ids"]),
                    n=said_sorry,
                    why=_voided_why(rows, "apologise", said_sorry),
                )
            elif asked is not None and why and why["kind"] == "not_shown" and "hear" in why["ids"]:
                item["why"] = _(
                    "none of these counted: {listed}. You asked for the customer's story at "
                    "turn {n}, but that turn also made a mistake, so the question did not count"
                ).format(listed=_listed(why["ids"]), n=asked)
        if (mp.get("why") or {}).get("kind") == "undone":
            item["why"] = _undone_words(mp["id"], mp["why"]["ids"], score)
        if mp["status"] == "missed" and (mp.get("why") or {}).get("kind") == "spoiled":
            item["spoiled_by"] = list(mp["why"]["ids"])
        if mp["status"] == "met":
            item["shown_by"] = _shown_by(mp["id"], score)
        out[mp["status"]].append(item)
    return out


def _undone_words(point_id: str, ids: Sequence[str], score: dict[str, Any]) -> str:
    """Why a point shown earlier is missed: what showed it and at which turn, and the later
    turn whose mistake, never taken back, undid it (grading.yaml `undone_later_by`; review 25bf
    class 3: "Met: keeps the customer informed. Shown by: explain rights at turn 3" beside a £65
    call-out quoted for a free repair at turn 5). The turns are the scorer's: the first turn
    that showed the point, and the first standing turn of each mistake after it."""
    point: dict[str, Any] = next(
        (mp for mp in spec.grading()["marking_points"] if mp["id"] == point_id), {}
    )
    shown = score.get("shown") or {}
    firsts = sorted((shown[b], b) for b in point.get("shown") or [] if b in shown)
    if not firsts:
        return _why_words({"kind": "spoiled", "ids": list(ids)})
    n, b = firsts[0]
    later = []
    for mid in ids:
        turns = [t for t in standing_turns(score, mid) if t > n]
        if turns:
            later.append((turns[0], spec.mistake(mid)["label"].lower()))
    if not later:
        return _why_words({"kind": "spoiled", "ids": list(ids)})
    each = [_("turn {at} ({label})").format(at=t, label=label) for t, label in sorted(set(later))]
    return _("shown by {what} at turn {n}, but undone at {each}, never taken back").format(
        what=_words([b])[0], n=n, each=_(" and at ").join(each)
    )


def _shown_by(point_id: str, score: dict[str, Any]) -> str:
    """What on this path met the marking point, in words with turns (review 25k D7: a point is
    met only by evidence the path has, and the debrief says which): the behaviours of its own
    the path showed, a law applied right, or how the escalation went."""
    point: dict[str, Any] = next(
        (mp for mp in spec.grading()["marking_points"] if mp["id"] == point_id), {}
    )
    wanted = list(point.get("shown") or [])
    shown = score.get("shown") or {}
    # Each step's first turn and what showed it, as the models give it (review 25aq class 1:
    # "acknowledge" at turn 4, its own tag, beside the service cycle's "Acknowledge: shown at
    # turn 2" by the apology). A step first shown by another behaviour this point also lists
    # is said with that behaviour ("apologise" at turn 2, which also shows "acknowledge");
    # otherwise at its own first turn, by what showed it.
    by_first = dict(score.get("first_shown") or {b: {"turn": n, "by": b} for b, n in shown.items()})
    also: dict[str, list[str]] = {}
    for b in wanted:
        at = by_first.get(b)
        if at and at["by"] != b and at["by"] in wanted and at["by"] in shown:
            also.setdefault(at["by"], []).append(b)
    esc = score.get("escalation") or {}
    parts: list[str] = []
    for b in sorted(wanted, key=lambda b: (by_first.get(b) or {}).get("turn", 10**6)):
        if b == "law:right":
            if score["law"]["right"] and not score.get("law_open"):
                parts.append(_("applying the law correctly"))
        elif b == "escalation:handover":
            if esc.get("handover") and esc.get("escalated_to"):
                parts.append(_("a briefed escalation to the right role"))
        elif b == "escalation:good":
            if esc.get("escalated_to") and esc.get("wrong_role"):
                # the right role was reached and briefed, but the case was also sent where it
                # cannot be dealt with (review 25aa class 3): never a clean "right role"
                part = _(
                    "an escalation to the right role, with a handover, though the case was "
                    "also referred to a role that cannot deal with it"
                )
            elif esc.get("escalated_to") and esc.get("handover"):
                part = _("an escalation to the right role, with a handover")
            elif esc.get("escalated_to"):
                # the authority point, met by a referral of a case that was then lost: the
                # decision to refer, not a briefing (review25as class 4)
                part = _("a referral to the right role")
            elif "beyond_remit" in (point.get("spoiled_by") or []):
                # a point about authority is shown by what was agreed, not by the absence of
                # an escalation (review 25r D1)
                back = [w["at"] for w in score.get("withdrawn") or [] if w["id"] == "beyond_remit"]
                part = (
                    _(
                        "the case kept, and what you agreed beyond your own authority taken "
                        "back at turn {n}"
                    ).format(n=back[-1])
                    if back
                    else _("the case kept, with nothing agreed beyond your own authority")
                )
            elif len(taken := _withdrawals(esc)) == 1:  # audit 25t D2: begun, then taken back
                part = _(
                    "no escalation was needed, and the one you began at turn {turn} you took "
                    "back at turn {at}"
                ).format(turn=taken[0]["turn"], at=taken[0]["at"])
            elif taken:  # each with its own turns, as the escalation section says (issue 25)
                part = _(
                    "no escalation was needed, and those you began at turns {turns} you took "
                    "back at turns {ats}"
                ).format(turns=_and([w["turn"] for w in taken]), ats=_and([w["at"] for w in taken]))
            else:
                part = _("no escalation was needed, and none was made")
            if part not in parts:
                parts.append(part)
        elif any(b in steps for steps in also.values()):
            continue  # said with the behaviour that showed it first
        elif b in also:
            parts.append(
                _("{what} at turn {n}, which also shows {steps}").format(
                    what=_words([b])[0], n=shown[b], steps=", ".join(_words(also[b]))
                )
            )
        elif b in by_first and by_first[b]["by"] != b:
            parts.append(
                _("{what} at turn {n} (shown by {by})").format(
                    what=_words([b])[0], n=by_first[b]["turn"], by=_words([by_first[b]["by"]])[0]
                )
            )
        elif b in shown:
            parts.append(_("{what} at turn {n}").format(what=_words([b])[0], n=shown[b]))
    # A slip that spoils this point, made and taken back (review25u class A, correct-and-erase
    # seed 816: "verify identity" at turn 3 after starting on the account at turn 2): the point
    # is met by what followed, and the debrief says the slip came first and stops a distinction
    # (the `withdrawn` cap), never a bare "Met" beside the mistake. beyond_remit says it above.
    spoilers = set(point.get("spoiled_by") or [])
    if (
        "escalation:good" in wanted
        and not (esc.get("required") or esc.get("escalated_to"))
        and "take_action" in shown
    ):
        # nothing needed referring, nothing was, and the case was acted on: a slip of
        # ownership has no bearing on the escalation point (review 25aa class 2), so it is
        # not named beside it
        escg = spec.grading().get("escalation") or {}
        spoilers -= set(escg.get("spoiled_only_when_referred") or [])
    # Every instance, in turn order: each slip taken back, and each recovered by what the
    # learner did later (issue 25: "Takes ownership" named the turn-3 slip taken back, never
    # the turn-7 one recovered at turn 9).
    for w in score.get("withdrawn") or []:
        if w.get("before_effect") and w["id"] in spoilers:
            # begun at one turn, stopped at the next before it took effect: credited without
            # stopping a distinction (moderation25.md cases 1-2)
            parts.append(
                _(
                    "after the slip at turn {turn} ({label}), stopped at turn {at} before it "
                    "took effect"
                ).format(turn=w["turn"], label=spec.mistake(w["id"])["label"].lower(), at=w["at"])
            )
    slips = sorted(
        [
            (w["turn"], w["at"], w["id"], False, w["at"])
            for w in score.get("withdrawn") or []
            if w["id"] in spoilers and w["id"] != "beyond_remit" and not w.get("before_effect")
        ]
        + [
            (r["turn"], r["later"], r["id"], True, r.get("acted", r["later"]))
            for r in score.get("recovered") or []
            if r["id"] in spoilers and r["id"] != "beyond_remit"
        ]
    )
    slips = list(dict.fromkeys(slips))
    if len(slips) == 1 and not slips[0][3]:
        turn, at, mid, _rec, _from = slips[0]
        parts.append(
            _(
                "after the slip at turn {turn} ({label}), taken back at turn {at}; "
                "a distinction needs it right first time"
            ).format(turn=turn, label=spec.mistake(mid)["label"].lower(), at=at)
        )
    elif slips:
        each = [
            (
                _(
                    "turn {turn} ({label}), made up for by what you did from turn {start} to turn {at}"
                )
                if rec and start < at
                else _("turn {turn} ({label}), made up for by what you did at turn {at}")
                if rec
                else _("turn {turn} ({label}), taken back at turn {at}")
            ).format(turn=turn, label=spec.mistake(mid)["label"].lower(), at=at, start=start)
            for turn, at, mid, rec, start in slips
        ]
        parts.append(
            (
                _("after the slip at {each}; a distinction needs it right first time")
                if len(each) == 1
                else _("after the slips at {each}; a distinction needs it right first time")
            ).format(each=_(", and at ").join(each))
        )
    return "; ".join(parts)


def _grouped_advice(mistakes: list[dict[str, Any]], m: dict[str, Any]) -> str:
    """The advice said once for every turn `_same_mistake_turns` cites for mistake `m`: its
    turn's own advice where every one of those turns has that advice, else the catalogue's
    advice for the mistake, which is true of each (review 26a class 2: "Turns 1, 2, 4 and 8:
    Running a colleague down doesn't reassure him", when only turn 1 ran a colleague down)."""
    turns = set(_same_mistake_turns(mistakes, m))
    said = {
        " ".join(str(x["advice"]).split())
        for x in mistakes
        if x["id"] == m["id"]
        and x["turn"] in turns
        and bool(x.get("withdrawn")) == bool(m.get("withdrawn"))
    }
    if len(said) <= 1:
        return str(m["advice"])
    return str(m.get("general_advice") or m["advice"])


def _same_mistake_turns(mistakes: list[dict[str, Any]], m: dict[str, Any]) -> list[int]:
    """The turns at which mistake `m` was made, among `mistakes` alike in whether they were
    taken back: a mistake that stands at several turns is cited at each (issue 25)."""
    return list(
        dict.fromkeys(
            x["turn"]
            for x in mistakes
            if x["id"] == m["id"] and bool(x.get("withdrawn")) == bool(m.get("withdrawn"))
        )
    )


def _turns_at(turns: list[int]) -> str:
    """ "Turn 3" or "Turns 3 and 7", to open a thing to change."""
    if len(turns) == 1:
        return _("Turn {n}").format(n=turns[0])
    return _("Turns {turns}").format(turns=_and(turns))


def _course_points(score: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The course's examiner marking points this attempt gave evidence for (scoring/course.py:
    the same reading as the progress map's)."""
    from .course import course_status, course_unshown

    found = course_status(score)
    # "identifies the key laws" where this conversation offered a way to name the law and the
    # path took none: not yet shown (never missed), with what met needs (issue 25, review 25u F)
    found.update({k: v for k, v in course_unshown(score).items() if v == "not_yet"})
    data = spec.course_points()
    labels = {
        mp["id"]: translated(mp.get("label") or mp["id"])
        for mp in spec.grading().get("marking_points") or []
    }
    # the marking points this scenario assessed: "met needs" names only those (a point the
    # scenario never assesses, such as an identity check in a counter conversation, is not
    # something this attempt was credited with)
    assessed = {
        str(mp.get("id"))
        for mp in score.get("marking_points") or []
        if isinstance(mp, dict) and mp.get("status") in ("met", "missed")
    }
    out: dict[str, list[dict[str, Any]]] = {"met": [], "missed": [], "not_yet": []}
    for cp in data["points"]:
        if cp["id"] not in found:
            continue
        element = data["elements"][cp["element"]]
        item = {
            "id": cp["id"],
            "text": translated(cp["text"]),
            "element": cp["element"],
            "element_title": translated(element["title"]),
            "needs": _course_needs(cp, labels, assessed),
        }
        if found[cp["id"]] == "missed":
            item.update(_course_parts(cp, score, labels))
        out[found[cp["id"]]].append(item)
    return out


def _course_parts(
    cp: dict[str, Any], score: dict[str, Any], labels: dict[str, str]
) -> dict[str, str]:
    """For a course point missed through some of the marking points behind it while others
    were met: {"shown": …, "not_shown": …}, the labels of each (review 25ba class 1, play 03:
    "Missed: Carries out the core duties of the role — greeting customers and handling their
    queries" after one missed point, finding out the need, with every greeting and query
    handled). Empty for a point about the law, or one where nothing behind it was met."""
    if cp.get("needs_law") or cp.get("needs"):
        return {}
    status = {
        str(mp.get("id")): mp.get("status")
        for mp in score.get("marking_points") or []
        if isinstance(mp, dict)
    }
    met = [str(labels[e]).lower() for e in cp["evidence"] if status.get(e) == "met" and e in labels]
    missed = [
        str(labels[e]).lower() for e in cp["evidence"] if status.get(e) == "missed" and e in labels
    ]
    if not (met and missed):
        return {}
    return {"shown": "; ".join(met), "not_shown": "; ".join(missed)}


def _course_needs(cp: dict[str, Any], labels: dict[str, str], assessed: set[str]) -> str:
    """What "met" needs for a course point, in words (issue 25: say on screen what met
    needs): its own `needs` text, the law for a point about the law, else the labels of the
    marking points behind it that this attempt was assessed on."""
    if cp.get("needs"):
        return translated(" ".join(str(cp["needs"]).split()))
    if cp.get("needs_law") and cp.get("law_named"):
        return _("a law named to the customer correctly, and none left misstated")
    if cp.get("needs_law"):
        return _("a law of that kind stated to the customer correctly, and none left misstated")
    names = [
        str(labels.get(e, e)).lower() for e in cp["evidence"] if e in assessed or e not in labels
    ] or [str(labels.get(e, e)).lower() for e in cp["evidence"]]
    if len(names) == 1:
        return names[0]
    return "; ".join(names[:-1]) + _("; and ") + names[-1]


def _practise(view: dict[str, Any], c: Compiled) -> dict[str, Any]:
    """One concrete thing to practise next, most serious first, fitting the mode just played."""
    fails = {"data_breach", "discrimination", "rude"}
    if not view["law"]["corrected"]:
        fails.add("misstates_law")
    # the first misstatement still standing (one withdrawn by a `corrects:` is not this line)
    law_wrong = [w for w in view["law"]["wrong"] if not w.get("withdrawn")]
    if law_wrong and not view["law"]["corrected"]:
        # the misstatement that stands from the earliest turn, preferring one never stated
        # right later (review 25aa class 1, plays 05 and 03)
        law = min(
            law_wrong,
            key=lambda w: (bool(w.get("restated")), w.get("standing_turn") or w["turns"][0]),
        )
        return {
            "title": _("The rule: {act}").format(act=law["act"]),
            "text": law["rule"],
            "why": _(
                "Turn {n} misstated it, and it was never put right; that "
                "fails an assessment on its own."
            ).format(n=law.get("standing_turn") or law["turns"][0]),
        }
    capped = [m for m in view["mistakes"] if m["id"] in fails and not m.get("withdrawn")]
    if capped:
        m = capped[0]
        at = _same_mistake_turns(capped, m)
        return {
            "title": m["practise"],
            "text": _grouped_advice(capped, m),
            "why": (
                _("Turn {n} would fail an assessment on its own.").format(n=at[0])
                if len(at) == 1
                else _("Turns {turns} would each fail an assessment on their own.").format(
                    turns=_and(at)
                )
            ),
            "mistake": m["id"],
            "turn": m["turn"],
            "turns": at,
        }
    if view["mistakes"]:
        # a slip that stands before one taken back (review 25aa class 1: practise named the
        # turn-3 slip withdrawn at turn 4, not the one at turn 7 that stood)
        standing = [m for m in view["mistakes"] if not m.get("withdrawn")] or view["mistakes"]
        worst = max(standing, key=lambda m: c.mistake_points.get(m["id"], 0))
        # every turn the same mistake stands at, not only its first (issue 25); each one cost
        # its points (grading.yaml: a mistake deducts each time it is made)
        at = _same_mistake_turns(standing, worst)
        points = f"{c.mistake_points.get(worst['id'], 0):g}"
        return {
            "title": worst["practise"],
            "text": _grouped_advice(standing, worst),
            "why": (
                _("It cost you {points} points at turn {n}.").format(points=points, n=at[0])
                if len(at) == 1
                else _("It cost you {points} points each time, at turns {turns}.").format(
                    points=points, turns=_and(at)
                )
            ),
            "mistake": worst["id"],
            "turn": worst["turn"],
            "turns": at,
        }
    esc = view["escalation"]
    if esc["applied"] and (
        esc["verdict"] not in ("correct", "not_needed")
        or esc["premature"]
        or (esc["escalations"] and not esc["handover"])
    ):
        return {
            "title": _("Escalating well"),
            "text": esc["good_practice"][0] if esc["good_practice"] else esc["note"],
            "why": esc["note"],
        }
    weakest = min(view["models"], key=lambda m: m["percent"], default=None)
    if weakest is not None and weakest["missing"]:
        step = next(s for s in weakest["steps"] if s["turn"] is None)
        advice = translated(spec.behaviour(step["behaviour"])["advice"])
        return {
            "title": f"{weakest['name']}: {step['label']}",
            "text": advice,
            "why": _("It was the step of {model} you did not show.").format(model=weakest["name"]),
        }
    if weakest is not None and weakest["in_order"] is False:  # None: unordered, or too few steps
        return {
            "title": _("{model} in order").format(model=weakest["name"]),
            "text": weakest["order_note"],
            "why": _("The right moves in the wrong order read as a script, not as listening."),
        }
    if view["marking_points"]["missed"]:
        mp = view["marking_points"]["missed"][0]
        return {
            "title": mp["label"],
            "text": mp["why"].capitalize() + ".",
            "why": _("An examiner looks for it."),
        }
    # a level 3 scenario is already the harder one: never suggest "try a level 3" after it
    # (review 25k D9)
    top_level = str((view.get("scenario") or {}).get("level")) == "3"
    if view.get("mode") == "assess":
        if top_level:
            return {
                "title": _("Another topic"),
                "text": _("Try a scenario on a topic you have not yet practised."),
                "why": _("Nothing in this assessed attempt needs fixing."),
                "suggestion": True,
            }
        return {
            "title": _("A harder scenario"),
            "text": _("Try a level 3 scenario, or one on a topic you have not yet practised."),
            "why": _("Nothing in this assessed attempt needs fixing."),
            "suggestion": True,
        }
    return {
        "title": _("The same conversation, assessed"),
        "text": _("Play this one in assessment mode, where feedback waits for the end.")
        if top_level
        else _(
            "Play this one in assessment mode, where feedback waits for the end, or try a "
            "level 3 scenario."
        ),
        "why": _("Nothing in this attempt needs fixing."),
        "suggestion": True,
    }


def _grade_reason(score: dict[str, Any]) -> str:
    """Why the grade, in the language the debrief is read in (the score keeps the sentence it
    was first given; it is said again from the same data)."""
    from simulator.engine.i18n import current

    if current() == "en":
        return str(score.get("grade_reason", ""))
    from .scorer import grade_reason

    try:
        return grade_reason(score)
    except (KeyError, TypeError, ValueError):
        return str(score.get("grade_reason", ""))


def _grade_line(score: dict[str, Any]) -> str | None:
    """Why this attempt got its grade, said in the grade line itself when a cap decided it, or
    None when the general rule ("a distinction, every marking point met and the problem
    resolved") is the reason (review 25u C: "every marking point met" and "Resolved" beside a
    Pass whose cap was only told further down read as a contradiction). The caps are the ones
    `scorer.grade_reason` names (those holding the grade where it is), so the "Why" line it
    would repeat is left out beside this one."""
    g = score.get("grade")
    binding = [c for c in score.get("caps") or [] if c.get("grade") == g and g != "distinction"]
    if not binding:
        return None
    # each cap with every turn it cites, worded once (scorer.cap_said) for every section
    reasons = _("; and ").join(cap_said(c, score) for c in binding)
    points = [m for m in score.get("marking_points") or [] if isinstance(m, dict)]
    missed = [m for m in points if m.get("status") == "missed"]
    pass_missed = [m for m in missed if m.get("level") == "pass"]
    if g == "fail":
        if pass_missed:
            return _("This fails the attempt whatever else was earned: {reasons}.").format(
                reasons=reasons
            )
        if missed:
            return _(
                "Every pass marking point was met, but this fails the attempt whatever else was "
                "earned: {reasons}."
            ).format(reasons=reasons)
        return _(
            "Every marking point was met, but this fails the attempt whatever else was earned: "
            "{reasons}."
        ).format(reasons=reasons)
    also = [translated(m.get("label") or m.get("id")) for m in missed]
    if not score.get("distinction_outcome"):
        also.append(_("The customer's problem resolved (or rightly escalated)"))
    if also:
        return _(
            "Every pass marking point was met. A distinction also needs: {points}. This stops one "
            "too: {reasons}."
        ).format(points="; ".join(also), reasons=reasons)
    return _("Every marking point was met, but this stops a distinction: {reasons}.").format(
        reasons=reasons
    )


def _grade_word(grade: str) -> str:
    words = {"fail": _("fail"), "pass": _("pass"), "distinction": _("distinction")}
    return words.get(grade, grade)


# The roles the pack escalates to, as `role_words` says them (N_: for the catalogue).
_ROLE_WORDS = (
    N_("the supervisor"),
    N_("the duty manager"),
    N_("the manager"),
    N_("the team leader"),
    N_("the data protection officer"),
    N_("the complaints team"),
    N_("the specialist"),
    N_("the store manager"),
    N_("the head office"),
    N_("the delivery team"),
    N_("the collections"),
)


def _role(role: object) -> str:
    """A role to escalate to in the learner's language: `role_words` gives the course's English
    words ("the duty manager"), the catalogue their translation (an unknown role stays as
    role_words says it)."""
    return _(role_words(role))


# -- rendering ------------------------------------------------------------------------------------
TEMPLATES = {"text": "debrief.txt.j2", "md": "debrief.md.j2", "html": "debrief.html.j2"}


def render(
    scenario: Scenario,
    transcript: dict[str, Any],
    score: dict[str, Any] | None = None,
    fmt: str = "text",
) -> str:
    """The debrief as text, Markdown ("md") or HTML, through the one renderer (scoring.render)."""
    if fmt not in TEMPLATES:
        raise ValueError(f"unknown debrief format {fmt!r}; use text, md or html")
    return render_view(build(scenario, transcript, score), fmt)


def render_view(view: dict[str, Any], fmt: str = "text") -> str:
    """A view model already built by `build`, as text, Markdown ("md") or HTML."""
    from .render import render as render_template

    if fmt not in TEMPLATES:
        raise ValueError(f"unknown debrief format {fmt!r}; use text, md or html")
    return render_template(TEMPLATES[fmt], fmt, d=view, grade_rank=GRADE_RANK)
