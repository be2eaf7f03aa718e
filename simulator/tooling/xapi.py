"""Recorded attempts as xAPI 1.0.3 statements, for a Learning Record Store.

One statement per finished attempt — the learner (an account on this CounterTalk), a verb from
the ADL vocabulary (passed, failed, or completed when the attempt has no grade), the scenario as
an Activity, a result (scaled/raw score, success, completion, duration) and a context carrying
the scenario's version (its content hash) and the seed — and one child statement per choice
(verb "responded", the choice as an Activity whose parent is the scenario, `result.response`
the choice id, timestamped when the choice was made).

Ids are deterministic (UUID v5 of the attempt's identity), so exporting the same attempts twice
gives the same statements and an LRS treats the second upload as a repeat, not new data. The
registration UUID groups an attempt's statements.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    from simulator.store import AttemptRecord
    from simulator.tooling.report import ScenarioIndex

XAPI_VERSION = "1.0.3"  # send as the X-Experience-API-Version header; the LRS stamps `version`
ADL_VERB = "http://adlnet.gov/expapi/verbs/"
VERBS = {
    "passed": ADL_VERB + "passed",
    "failed": ADL_VERB + "failed",
    "completed": ADL_VERB + "completed",
    "responded": ADL_VERB + "responded",
}
ACTIVITY_SIMULATION = "http://adlnet.gov/expapi/activities/simulation"
ACTIVITY_INTERACTION = "http://adlnet.gov/expapi/activities/interaction"
ACTIVITY_BASE = "urn:countertalk:scenario:"
EXT = "urn:countertalk:xapi:extension:"
EXTENSIONS = {
    "version": EXT + "scenario-version",
    "seed": EXT + "seed",
    "mode": EXT + "mode",
    "ending": EXT + "ending",
    "outcome": EXT + "outcome",
    "final_mood": EXT + "final-mood",
    "grade": EXT + "grade",
    "mistakes": EXT + "mistakes",
    "turn": EXT + "turn",
    "state": EXT + "state",
    "attempt": EXT + "attempt",
    "kind": EXT + "activity-kind",
    "course_points": EXT + "course-marking-points",
}
ACTIVITY_ASSESSMENT = "http://adlnet.gov/expapi/activities/assessment"
ACTIVITY_CHECK_BASE = "urn:countertalk:activity:"
DEFAULT_HOMEPAGE = "urn:countertalk"
LANGUAGE = "en-GB"
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:countertalk:xapi")


def _is_check(transcript: object) -> bool:
    from simulator.activities.record import is_activity_transcript

    return is_activity_transcript(transcript)


def scenario_iri(scenario_id: str) -> str:
    return ACTIVITY_BASE + quote(scenario_id, safe="-._~")


def choice_iri(scenario_id: str, choice_id: str) -> str:
    return f"{scenario_iri(scenario_id)}:choice:{quote(choice_id, safe='-._~')}"


def attempt_key(a: AttemptRecord) -> str:
    """What makes an attempt itself, across databases (ids alone repeat between machines)."""
    return f"{a.id}|{a.started_at!r}|{a.learner}|{a.scenario_id}|{a.scenario_hash}"


def registration(a: AttemptRecord) -> str:
    return str(uuid.uuid5(_NAMESPACE, "registration|" + attempt_key(a)))


def statement_id(a: AttemptRecord, turn: int | None = None) -> str:
    suffix = "attempt" if turn is None else f"turn|{turn}"
    return str(uuid.uuid5(_NAMESPACE, f"statement|{suffix}|" + attempt_key(a)))


def duration(seconds: float) -> str:
    """ISO 8601 duration, e.g. PT1M5.25S."""
    seconds = max(0.0, seconds)
    minutes, secs = divmod(round(seconds, 2), 60)
    hours, minutes = divmod(int(minutes), 60)
    out = "PT"
    if hours:
        out += f"{hours}H"
    if minutes:
        out += f"{minutes}M"
    return out + f"{secs:g}S"


def _lang(text: str) -> dict[str, str]:
    return {LANGUAGE: text}


def actor(learner: str, homepage: str) -> dict[str, Any]:
    return {
        "objectType": "Agent",
        "name": learner,
        "account": {"homePage": homepage, "name": learner},
    }


def statements(
    attempts: Iterable[AttemptRecord], index: ScenarioIndex, *, homepage: str = DEFAULT_HOMEPAGE
) -> list[dict[str, Any]]:
    """The statements for finished attempts, in attempt order, each followed by its choices."""
    from simulator.tooling.graph import clean
    from simulator.tooling.report import iso_utc

    out: list[dict[str, Any]] = []
    for a in attempts:
        if a.finished_at is None:
            continue
        check = a.transcript if _is_check(a.transcript) else None
        sc = None if check else index.for_attempt(a)
        who = actor(a.learner, homepage)
        activity = {
            "objectType": "Activity",
            "id": scenario_iri(a.scenario_id),
            "definition": {
                "type": ACTIVITY_SIMULATION,
                "name": _lang(clean(sc.title) if sc else a.scenario_id),
                "description": _lang(
                    clean(sc.summary) if sc else f"CounterTalk scenario {a.scenario_id}"
                ),
            },
        }
        if a.grade in ("pass", "distinction"):
            verb = "passed"
        elif a.grade == "fail":
            verb = "failed"
        else:
            verb = "completed"
        result: dict[str, Any] = {
            "completion": True,
            "duration": duration(a.finished_at - a.started_at),
        }
        if a.percent is not None:
            pct = max(0, min(100, int(a.percent)))
            result["score"] = {"scaled": round(pct / 100, 4), "raw": pct, "min": 0, "max": 100}
        if a.grade is not None:
            result["success"] = a.grade != "fail"
        extensions = {
            EXTENSIONS["version"]: a.scenario_hash,
            EXTENSIONS["mode"]: a.mode,
            EXTENSIONS["attempt"]: a.id,
        }
        if a.seed is not None:  # None only for a damaged row
            extensions[EXTENSIONS["seed"]] = a.seed
        for key in ("ending", "outcome", "final_mood", "grade"):
            if getattr(a, key) is not None:
                extensions[EXTENSIONS[key]] = getattr(a, key)
        extensions[EXTENSIONS["mistakes"]] = list(a.mistakes)
        if check is not None:  # a knowledge check: its own IRI, kind and the points it evidenced
            title = clean(str(check.get("title") or a.scenario_id))
            activity["id"] = ACTIVITY_CHECK_BASE + quote(a.scenario_id, safe="-._~")
            activity["definition"] = {
                "type": ACTIVITY_ASSESSMENT,
                "name": _lang(title),
                "description": _lang(f"CounterTalk {check.get('kind')} activity {a.scenario_id}"),
            }
            extensions[EXTENSIONS["kind"]] = str(check.get("kind"))
            res = check.get("result")
            res = res if isinstance(res, dict) else {}
            cps = res.get("course_points")
            cps = cps if isinstance(cps, dict) else {}
            extensions[EXTENSIONS["course_points"]] = {str(k): str(v) for k, v in cps.items()}
        reg = registration(a)
        parent_id = statement_id(a)
        timestamp = iso_utc(a.finished_at)
        out.append(
            {
                "id": parent_id,
                "actor": who,
                "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
                "object": activity,
                "result": result,
                "context": {
                    "registration": reg,
                    "platform": "CounterTalk",
                    "language": LANGUAGE,
                    "extensions": extensions,
                },
                "timestamp": timestamp,
            }
        )
        turns = a.transcript.get("turns") if isinstance(a.transcript, dict) else None
        times = list(getattr(a, "choice_times", ()) or ())
        for n, cid in enumerate(a.choices, start=1):
            rec = (
                turns[n - 1]
                if isinstance(turns, list) and len(turns) >= n and isinstance(turns[n - 1], dict)
                else {}
            )
            text = clean(rec.get("text")) if rec.get("text") else ""
            state = rec.get("state")
            if sc is not None and (not text or not state):
                try:
                    sid, _i, ch = sc.find_choice(cid)
                    text, state = text or clean(ch.text), state or sid
                except KeyError:
                    pass
            definition = {"type": ACTIVITY_INTERACTION, "name": _lang(text or cid)}
            if rec.get("customer"):
                definition["description"] = _lang("In reply to: " + clean(rec["customer"]))
            ext = {EXTENSIONS["version"]: a.scenario_hash, EXTENSIONS["turn"]: n}
            if a.seed is not None:  # None only for a damaged row
                ext[EXTENSIONS["seed"]] = a.seed
            if state:
                ext[EXTENSIONS["state"]] = str(state)
            out.append(
                {
                    "id": statement_id(a, n),
                    "actor": who,
                    "verb": {"id": VERBS["responded"], "display": {"en-US": "responded"}},
                    "object": {
                        "objectType": "Activity",
                        "id": f"{activity['id']}:choice:{quote(cid, safe='-._~')}",
                        "definition": definition,
                    },
                    "result": {"response": cid},
                    "context": {
                        "registration": reg,
                        "platform": "CounterTalk",
                        "language": LANGUAGE,
                        "contextActivities": {
                            "parent": [{"objectType": "Activity", "id": activity["id"]}]
                        },
                        "statement": {"objectType": "StatementRef", "id": parent_id},
                        "extensions": ext,
                    },
                    # when the choice was made (saved), not when the attempt ended
                    "timestamp": iso_utc(times[n - 1]) if len(times) >= n else timestamp,
                }
            )
    from simulator.engine.text import deep_plain

    return list(deep_plain(out))  # learner names, titles, replies: no terminal controls
