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
                      order_note}]                         (applied step models only)
    escalation      {applied, required, to, reason, verdict, verdict_label, premature, handover,
                     escalations: [{turn, role, said}], percent, good_practice: [str], note}
    law             {applied, assessed, right: [{id, act, rule, turns}], wrong: [...],
                     not_applied: [...], note}
    mistakes        [{id, label, turn, said, explanation, advice,
                      better: {choice, text, percent, grade} | None}]
    behaviours      [{id, label, turn}]                    (every behaviour shown, first turn)
    mood            {start, start_word, end, end_word, change, points: [{turn, mood, word}]}
    marking_points  {met: [{id, label}], missed: [{id, label, why}], not_assessed: [{id, label}]}
    practise        {title, text, why}                     (one concrete thing to practise next)
    turns           [{turn, state, customer, said, choice, feedback, shows: [label],
                      mistakes: [label], mood, mood_word, mood_change}]
    score           the score object itself
"""

from __future__ import annotations

from simulator.engine.mood import mood_change_word, mood_word
from simulator.engine.templating import plain

from . import spec
from .scorer import GRADE_RANK, compiled
from .scorer import score as score_transcript

OUTCOME_LABELS = {
    "resolved": "Resolved",
    "escalated": "Escalated",
    "unresolved": "Unresolved",
    "lost": "Customer lost",
    None: "Not finished",
}


def _p(text) -> str | None:
    return None if text is None else plain(str(text))


def _offers(scenario, transcript):
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
            rows = []
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


def _replay(scenario, transcript):
    """The old way, for transcripts without ``offers``: play the transcript again."""
    from simulator.engine.session import ScenarioRuntimeError, SessionError

    from .paths import runtime

    try:
        session = runtime(scenario).new_session(
            seed=int(transcript.get("seed") or 0), learner="debrief"
        )
        rows = []
        for t in transcript.get("turns") or []:
            offered = {o.choice_id: o.text for o in session.offered()}
            step = session.choose_id(t["choice"])
            rows.append((offered, step.feedback))
        session.close()
        return rows
    except (SessionError, ScenarioRuntimeError, KeyError, TypeError, ValueError):
        return None


def _better(scenario, choices: list[str], turn: int, offered: dict | None, chosen_pct):
    """The best choice on offer at `turn` (1-based) by what it can still lead to."""
    from .paths import best_continuations

    try:
        options = best_continuations(scenario, choices[: turn - 1])
    except Exception:  # a scenario the analysis cannot follow: no suggestion rather than a crash
        return None
    chosen = choices[turn - 1]
    c = compiled(scenario)

    def value(item):
        cid, v = item
        fx = c.fx[cid]
        return (v["percent"] if v["percent"] is not None else -1, -len(fx.mistakes), len(fx.shows))

    ranked = sorted(options.items(), key=value, reverse=True)
    if not ranked:
        return None
    cid, v = ranked[0]
    if cid == chosen:
        return None
    mine = options.get(chosen, {}).get("percent")
    if v["percent"] is not None and mine is not None and v["percent"] < mine:
        return None
    text = (offered or {}).get(cid)
    if text is None:
        _sid, _i, ch = scenario.find_choice(cid)
        text = ch.text
    return {"choice": cid, "text": _p(text), "percent": v["percent"], "grade": v["grade"]}


def build(scenario, transcript: dict, score: dict | None = None) -> dict:
    """The debrief view model (see the module docstring)."""
    if score is None:
        score = score_transcript(scenario, transcript)
    c = compiled(scenario)
    g = spec.grading()
    turns = transcript.get("turns") or []
    choices = [t["choice"] for t in turns]
    replay = _offers(scenario, transcript)

    # Behaviours and mistakes by turn.
    first: dict[str, int] = {}
    for n, cid in enumerate(choices, 1):
        for b in c.fx[cid].shows:
            first.setdefault(b, n)
    made = {m["id"] for m in score["mistakes"]}

    # Models.
    models = []
    for m in c.step_models:
        s = score["models"][m.id]
        steps = [
            {
                "behaviour": st.behaviour,
                "label": st.label,
                "description": st.description,
                "turn": s["steps"].get(st.behaviour),
            }
            for st in m.steps
        ]
        missing = [st["label"] for st in steps if st["turn"] is None]
        if not m.ordered:
            note = "Order does not matter in this model."
        elif s["in_order"]:
            note = "The steps you showed came in the right order."
        else:
            note = (
                f"Out of order: {_order_problem(steps)} "
                f"({m.order_penalty:g} points off this model)."
            )
        models.append(
            {
                "id": m.id,
                "name": m.name,
                "summary": m.summary,
                "ordered": m.ordered,
                "in_order": s["in_order"],
                "percent": s["percent"],
                "weight": c.weights.get(m.id),
                "steps": steps,
                "missing": missing,
                "order_note": note,
            }
        )

    escalation = _escalation(scenario, score, turns, g)
    law = _law(scenario, c, score, choices)

    # Mistakes, each with a better thing to say.
    mistakes = []
    better_cache: dict[int, dict | None] = {}
    for m in score["mistakes"]:
        n = m["turn"]
        if n not in better_cache:
            offered = replay[n - 1][0] if replay else None
            better_cache[n] = _better(scenario, choices, n, offered, None)
        info = spec.mistake(m["id"])
        mistakes.append(
            {
                "id": m["id"],
                "label": info["label"],
                "turn": n,
                "said": _p(turns[n - 1].get("text")),
                "explanation": info["explanation"],
                "advice": info["advice"],
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
        fx = c.fx[t["choice"]]
        feedback = replay[n - 1][1] if replay else None
        if feedback is None and not replay:
            _sid, _i, ch = scenario.find_choice(t["choice"])
            feedback = ch.feedback if ch.feedback and "{" not in ch.feedback else None
        mood = t.get("mood", prev)
        rows.append(
            {
                "turn": n,
                "state": t.get("state"),
                "customer": _p(t.get("customer")),
                "said": _p(t.get("text")),
                "choice": t["choice"],
                "feedback": _p(feedback),
                "shows": [spec.behaviour(b)["label"] for b in fx.shows],
                "mistakes": [spec.mistake(x)["label"] for x in fx.mistakes],
                "mood": mood,
                "mood_word": mood_word(mood),
                "mood_change": mood_change_word(prev, mood),
            }
        )
        prev = mood

    marking = _marking_points(scenario, c, g, first, made, score)
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
        "outcome_label": OUTCOME_LABELS.get(transcript.get("outcome"), "Not finished"),
        "ending_line": _p(transcript.get("ending_line")),
        "ending_debrief": _p(transcript.get("ending_debrief")),
        "percent": score["percent"],
        "grade": score["grade"],
        "grade_label": (g.get("grades") or {}).get(score["grade"], score["grade"].capitalize()),
        "thresholds": dict(score.get("thresholds") or c.thresholds),
        "grade_reason": score.get("grade_reason", ""),
        "method": _method(c, score, g),
        "models": models,
        "escalation": escalation,
        "law": law,
        "mistakes": mistakes,
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
        },
        "marking_points": marking,
        "turns": rows,
        "score": score,
    }
    view["practise"] = _practise(view, c)
    return view


def _order_problem(steps) -> str:
    shown = [s for s in steps if s["turn"] is not None]
    for i, a in enumerate(shown):
        for b in shown[i + 1 :]:
            if b["turn"] < a["turn"]:
                return (
                    f"{b['label']} (turn {b['turn']}) came before {a['label']} (turn {a['turn']})"
                )
    return "the steps came in the wrong order"


def _escalation(scenario, score, turns, g) -> dict:
    e = score["escalation"]
    escg = g.get("escalation") or {}
    esc_turns = []
    c = compiled(scenario)
    for n, t in enumerate(turns, 1):
        role = c.fx[t["choice"]].escalate
        if role is not None:
            esc_turns.append({"turn": n, "role": _p(role), "said": _p(t.get("text"))})
    verdict = e["verdict"]
    to = ", ".join(e["to"]) or "the right role"
    notes = {
        "correct": f"You escalated to {to}, which is right here.",
        "missed": f"This needed escalating to {to}, and it never was.",
        "wrong_role": f"You escalated, but to a role that cannot deal with this; it needed {to}.",
        "unnecessary": "This was within your own authority; escalating passed the customer on "
        "when you could have helped.",
        "not_needed": "You kept the case and dealt with it yourself, which was right here.",
    }
    note = notes.get(verdict, "")
    if e["premature"]:
        note += " The escalation came before you had heard the customer out."
    if esc_turns and not e["handover"]:
        note += " There was no handover summary, so the customer may have to tell it all again."
    return {
        "applied": "escalation" in c.applied,
        "required": e["required"],
        "to": list(e["to"]),
        "reason": _p(scenario.escalation.reason),
        "verdict": verdict,
        "verdict_label": (escg.get("verdicts") or {}).get(verdict, verdict),
        "premature": e["premature"],
        "handover": e["handover"],
        "escalations": esc_turns,
        "percent": e.get("percent"),
        "good_practice": list(escg.get("good_practice") or []),
        "note": note.strip(),
    }


def _law(scenario, c, score, choices) -> dict:
    turns_of: dict[tuple[str, str], list[int]] = {}
    for n, cid in enumerate(choices, 1):
        fx = c.fx[cid]
        for k in fx.law_right:
            turns_of.setdefault((k, "right"), []).append(n)
        for k in fx.law_wrong:
            turns_of.setdefault((k, "wrong"), []).append(n)

    def entry(k, how):
        t = spec.law_text(k)
        t["turns"] = turns_of.get((k, how), [])
        return t

    right = [entry(k, "right") for k in score["law"]["right"]]
    wrong = [entry(k, "wrong") for k in score["law"]["wrong"]]
    touched = set(score["law"]["right"]) | set(score["law"]["wrong"])
    offered_right = sorted({k for fx in c.fx.values() for k in fx.law_right})
    not_applied = [entry(k, "right") for k in offered_right if k not in touched]
    if wrong:
        note = "You misstated the law — an examiner would not pass this."
    elif right:
        note = "You applied the law correctly."
    elif c.has_law:
        note = "You did not use the customer's legal rights although the conversation allowed it."
    else:
        note = "This scenario does not assess the law."
    return {
        "applied": "law" in c.applied,
        "assessed": c.has_law,
        "right": right,
        "wrong": wrong,
        "not_applied": not_applied,
        "note": note,
    }


def _method(c, score, g) -> dict:
    th = score["thresholds"]
    parts = []
    for k, w in score.get("weights", {}).items():
        parts.append(
            {
                "id": k,
                "name": c.names.get(k, k),
                "weight": w,
                "percent": score.get("parts", {}).get(k),
            }
        )
    lines = [
        "Each model the scenario applies gives a percentage; the base is their weighted mean "
        "(a law the path never touched counts at a set level; one not assessed is left out).",
        "Every mistake deducts its points each time it is made, and the ending's outcome adds "
        "or deducts points.",
        "A data breach, discrimination or a misstated law caps the grade at fail; other caps "
        "(a missed escalation, a lost customer) stop a distinction.",
        f"Grades: distinction from {th['distinction']}%, pass from {th['pass']}%, "
        f"fail below {th['pass']}%.",
    ]
    if c.esc_required and "escalation" in c.weights:
        lines.insert(
            1,
            f"This scenario requires escalation, so escalation weighs "
            f"{score['weights'].get('escalation', 0):g}.",
        )
    return {
        "lines": lines,
        "parts": parts,
        "base": score.get("base"),
        "deductions": score.get("deductions"),
        "outcome_points": score.get("outcome_points"),
        "caps": [
            {"grade": x["grade"], "reason": x["reason"], "turn": x.get("turn")}
            for x in score.get("caps", [])
        ],
    }


def _marking_points(scenario, c, g, first, made, score) -> dict:
    offered_shows = {b for fx in c.fx.values() for b in fx.shows}
    has_right = any(fx.law_right for fx in c.fx.values())
    has_escalate = c.esc_required or any(fx.escalate for fx in c.fx.values())
    e = score["escalation"]
    esc_good = (
        e["verdict"] in ("correct", "not_needed")
        and not e["premature"]
        and (e["handover"] or not e.get("escalated_to"))
    )
    met, missed, not_assessed = [], [], []
    for mp in g.get("marking_points") or []:
        shown = mp.get("shown") or []
        item = {"id": mp["id"], "label": mp["label"]}
        possible = False
        achieved = False
        for s in shown:
            if s == "law:right":
                possible |= has_right
                achieved |= bool(score["law"]["right"])
            elif s == "escalation:good":
                possible |= has_escalate
                achieved |= has_escalate and esc_good
            else:
                possible |= s in offered_shows
                achieved |= s in first
        spoilers = [m for m in mp.get("spoiled_by") or [] if m in made]
        if spoilers:
            names = ", ".join(spec.mistake(m)["label"].lower() for m in spoilers)
            missed.append({**item, "why": f"undone by: {names}"})
        elif not possible:
            not_assessed.append(item)
        elif achieved:
            met.append(item)
        else:
            labels = [
                (
                    "applying the law correctly"
                    if s == "law:right"
                    else "escalating well"
                    if s == "escalation:good"
                    else spec.behaviour(s)["label"].lower()
                )
                for s in shown
            ]
            missed.append({**item, "why": "not shown: " + " or ".join(labels)})
    return {"met": met, "missed": missed, "not_assessed": not_assessed}


def _practise(view: dict, c) -> dict:
    """One concrete thing to practise next, most serious first."""
    capped = [
        m for m in view["mistakes"] if m["id"] in ("data_breach", "discrimination", "misstates_law")
    ]
    if capped or view["law"]["wrong"]:
        if capped:
            m = capped[0]
            return {
                "title": m["label"],
                "text": m["advice"],
                "why": f"Turn {m['turn']} would fail an assessment on its own.",
            }
        law = view["law"]["wrong"][0]
        return {
            "title": f"The {law['act']}",
            "text": law["rule"],
            "why": "A misstated law fails an assessment on its own.",
        }
    if view["mistakes"]:
        worst = max(view["mistakes"], key=lambda m: c.mistake_points.get(m["id"], 0))
        return {
            "title": f"Avoid: {worst['label'].lower()}",
            "text": worst["advice"],
            "why": f"It cost you {c.mistake_points.get(worst['id'], 0):g} points at turn "
            f"{worst['turn']}.",
        }
    esc = view["escalation"]
    if esc["applied"] and (
        esc["verdict"] not in ("correct", "not_needed")
        or esc["premature"]
        or (esc["escalations"] and not esc["handover"])
    ):
        return {
            "title": "Escalating well",
            "text": esc["good_practice"][0] if esc["good_practice"] else esc["note"],
            "why": esc["note"],
        }
    weakest = min(view["models"], key=lambda m: m["percent"], default=None)
    if weakest is not None and weakest["missing"]:
        step = next(s for s in weakest["steps"] if s["turn"] is None)
        advice = spec.behaviour(step["behaviour"])["advice"]
        return {
            "title": f"{weakest['name']}: {step['label']}",
            "text": advice,
            "why": f"It was the step of {weakest['name']} you did not show.",
        }
    if weakest is not None and not weakest["in_order"]:
        return {
            "title": f"{weakest['name']} in order",
            "text": weakest["order_note"],
            "why": "The right moves in the wrong order read as a script, not as listening.",
        }
    if view["marking_points"]["missed"]:
        mp = view["marking_points"]["missed"][0]
        return {
            "title": mp["label"],
            "text": mp["why"].capitalize() + ".",
            "why": "An examiner looks for it.",
        }
    return {
        "title": "A harder scenario",
        "text": "Try this one in assessment mode, or a "
        "level 3 scenario, where feedback waits for the end.",
        "why": "Nothing in this attempt needs fixing.",
    }


# -- rendering ------------------------------------------------------------------------------------
TEMPLATES = {"text": "debrief.txt.j2", "md": "debrief.md.j2", "html": "debrief.html.j2"}


def render(scenario, transcript: dict, score: dict | None = None, fmt: str = "text") -> str:
    """The debrief as text, Markdown ("md") or HTML, through the one renderer (scoring.render)."""
    from .render import render as render_template

    if fmt not in TEMPLATES:
        raise ValueError(f"unknown debrief format {fmt!r}; use text, md or html")
    view = build(scenario, transcript, score)
    return render_template(TEMPLATES[fmt], fmt, d=view, grade_rank=GRADE_RANK)
