"""Which of the course's examiner marking points one scored conversation gave evidence for.

Why a module of its own: the debrief ("what this attempt showed towards the course") and the
progress map ("met / missed / not yet") must read a score the same way, or the map says MISSED
for a point the debrief just called met. The rule is data (scoring/marking_points.yaml):

- A course point is shown through the conversation marking points listed as its `evidence`
  (grading.yaml). It has evidence when one of them was assessed; it is met when every assessed
  one was met, missed when any was missed.
- A point with `needs_one_of` has evidence only when one of those marking points was assessed:
  "uses the key internal policies in practice" is not shown by taking ownership alone.
- A point with `met_by` is met only by that evidence (a referral made well, a behaviour
  shown), never by a marking point met by default (review 25r D1: "escalates only when needed"
  is met by not escalating, which says nothing about knowing when and how to escalate); any of
  its `evidence` missed misses it, and otherwise it has no evidence ("not assessed here").
- A point about the law (`needs_law`) needs evidence about the law itself: only a conversation
  that assesses one of its acts speaks to it. It is met when a choice on the path stated one of
  those acts to the customer correctly (a `law: right` mark on a choice that explains the
  rights: the score's `law_stated`) and none was left misstated, missed when one was misstated
  and never withdrawn. Acting lawfully without saying the law ("I'll fetch the ring for you")
  identifies no law (review 25u F): such an attempt, like one silent on the law, gives no
  evidence either way ("not assessed here"), never met by default. Marking points that say
  nothing about the law (checking understanding, say) cannot make it met on their own.
- A point about the law marked `law_named` ("identifies the key laws") needs the law named, not
  only stated: a choice on the path whose text says the act's name (laws.yaml `names`) with the
  law marked right (the score's `law_named`), and none left misstated (issue 25, review 25u F:
  "you're welcome here like anyone else" states her entitlement and identifies no law). Where the
  conversation offers such a choice and the learner did not take it, the point is "not yet
  shown" (the debrief says what met needs); where it offers none, "not assessed here": nobody is
  marked down for what the conversation gave no way to show. A score saved before `law_named`
  was kept is read by the `law_stated` rule above.
"""

from __future__ import annotations

from typing import Any

from simulator.engine.i18n import N_

from . import spec

# What "met" needs, as the progress map prints it (one sentence per kind of point); in English
# here, in the learner's language where it is shown (`translated`).
MET_NEEDS = N_(
    "A point is met by the latest attempt that gave evidence for it: in a conversation, every "
    "marking point behind it met; for identifying the key laws, a law named to the customer "
    "correctly and none left misstated; for another point about the law, a law of that kind "
    "stated to the customer correctly and none left misstated; in a knowledge check, that part "
    "answered right."
)


def law_acts(score: dict[str, Any]) -> tuple[set[str], set[str], set[str] | None]:
    """(acts stated to the customer correctly, acts misstated and never withdrawn, acts the
    conversation offers a correct way to apply, or None when the score does not say — older
    saved scores). A score from before `law_stated` was kept says only which acts were applied
    right; that is what it is read as."""
    raw_law = score.get("law")
    law: dict[str, Any] = raw_law if isinstance(raw_law, dict) else {}
    stated = score.get("law_stated")
    if isinstance(stated, list):
        right = {str(a) for a in stated}
    else:
        right = {str(k).partition(".")[0] for k in law.get("right") or []}
    wrong = {str(k).partition(".")[0] for k in law.get("wrong") or []}
    raw = score.get("law_corrected")
    fixed: dict[str, Any] = raw if isinstance(raw, dict) else {}
    if fixed.get("corrected"):
        wrong = set()
    open_acts = score.get("law_open")
    if isinstance(open_acts, list):
        wrong = {str(a) for a in open_acts}
    offered = score.get("law_offered")
    return right, wrong, ({str(a) for a in offered} if isinstance(offered, list) else None)


def law_status(needs: list[str], score: dict[str, Any]) -> str | None:
    """met | missed | None (no evidence) for a point that needs one of the acts `needs`.
    An unattributed misstatement ("?": `misstates_law` with no `law:` mark) counts against
    every act."""

    def wanted(a: str) -> bool:
        return "any" in needs or a in needs or a == "?"

    right, wrong, _offered = law_acts(score)
    if any(wanted(a) for a in wrong):
        return "missed"
    if any(wanted(a) for a in right - {"?"}):
        return "met"
    # Silent on the law: nothing shown either way. Not "missed" — a distinction that never
    # needed to state the law has not shown ignorance of it.
    return None


def law_named_status(needs: list[str], score: dict[str, Any]) -> str:
    """met | missed | not_yet | not_assessed for a `law_named` point that needs one of the acts
    `needs`: met when a choice on the path named one to the customer correctly (`law_named`) and
    none was left misstated; not_yet when the conversation offered such a choice
    (`law_nameable`) and the path took none; not_assessed when it offered none. A score saved
    before `law_named` was kept is read by the `law_stated` rule (`law_status`), as it was."""

    def wanted(a: str) -> bool:
        return "any" in needs or a in needs or a == "?"

    named = score.get("law_named")
    if not isinstance(named, list):
        return law_status(needs, score) or "not_assessed"
    _right, wrong, _offered = law_acts(score)
    if any(wanted(a) for a in wrong):
        return "missed"
    if any(wanted(str(a)) for a in named if a != "?"):
        return "met"
    nameable = score.get("law_nameable")
    if isinstance(nameable, list) and any(wanted(str(a)) for a in nameable if a != "?"):
        return "not_yet"
    return "not_assessed"


def course_unshown(score: dict[str, Any]) -> dict[str, str]:
    """{course point id: not_yet | not_assessed} for the `law_named` points one scored
    conversation gave no met or missed evidence for, in a conversation about the law: "not yet
    shown" where it offered a way to name the law, "not assessed here" where it offered none
    (never missed: the conversation gave no way to show it)."""
    out: dict[str, str] = {}
    for cp in spec.course_points()["points"]:
        needs = cp.get("needs_law")
        if not (cp.get("law_named") and needs):
            continue
        st = law_named_status(list(needs), score)
        if st in ("not_yet", "not_assessed"):
            out[cp["id"]] = st
    return out


def referral_status(score: dict[str, Any]) -> dict[str, str]:
    """{"referral": met|missed, "referral_route": met} as far as this conversation shows them
    (marking_points.yaml): a referral is evidence only when one was made, or was needed and
    never made; keeping a case that needed no referral says nothing about referring."""
    out: dict[str, str] = {}
    raw = score.get("escalation")
    esc: dict[str, Any] = raw if isinstance(raw, dict) else {}
    if esc.get("escalated_to"):
        good = (
            esc.get("verdict") == "correct"
            and esc.get("handover")
            and not esc.get("premature")
            and not esc.get("spoiled")
            # a referral also sent to a role that cannot deal with it is not "when to escalate
            # and to whom" (review 25aa class 3)
            and not esc.get("wrong_role")
        )
        out["referral"] = "met" if good else "missed"
    elif esc.get("verdict") == "missed":
        out["referral"] = "missed"
    shown = score.get("shown")
    if isinstance(shown, dict) and "signpost" in shown:
        out["referral_route"] = "met"
    return out


def course_status(score: dict[str, Any]) -> dict[str, str]:
    """{course point id: met | missed} for every course point one scored conversation gave
    evidence for."""
    status: dict[str, str] = {}
    for mp in score.get("marking_points") or []:
        if isinstance(mp, dict) and mp.get("status") in ("met", "missed"):
            status[str(mp.get("id"))] = mp["status"]
    status.update(referral_status(score))
    shown = score.get("shown")
    behaviours = set(shown) if isinstance(shown, dict) else set()
    out: dict[str, str] = {}
    for cp in spec.course_points()["points"]:
        seen = [status[e] for e in cp["evidence"] if e in status]
        met_by = cp.get("met_by")
        if met_by is not None:
            # Only this evidence can make the point met (review 25r D1: "no escalation was
            # needed, and none was made" shows nothing about knowing when and how to
            # escalate); any of `evidence` missed still misses it. Neither: no evidence.
            if "missed" in seen:
                out[cp["id"]] = "missed"
            elif any(_met_by(m, status, behaviours) for m in met_by):
                out[cp["id"]] = "met"
            continue
        if not any(e in status for e in cp.get("needs_one_of") or cp["evidence"]):
            # e.g. "uses the key internal policies in practice" is not shown by taking ownership
            # alone: a policy must have been applied, or broken (review 25d D11)
            continue
        if "referral_route" in cp["evidence"] and status.get("referral_route") == "met":
            seen = ["met"]  # a route explained is a concrete way of referring, on its own
        needs = cp.get("needs_law")
        if needs and cp.get("law_named"):
            named = law_named_status(list(needs), score)
            if named not in ("met", "missed"):
                continue  # not yet shown, or not assessed here: no evidence either way
            seen = [named]
        elif needs:
            law = law_status(list(needs), score)
            if law is None:
                continue  # a conversation with none of this law in it says nothing about it
            # Knowing the law is shown by the law itself: a law stated correctly (and none
            # left misstated) is that evidence, whatever else the attempt missed (review 25b).
            seen = [law]
        if seen:
            out[cp["id"]] = "missed" if "missed" in seen else "met"
    return out


def _met_by(item: str, status: dict[str, str], behaviours: set[str]) -> bool:
    """One `met_by` entry met: an evidence id whose status is met, or `shown:BEHAVIOUR`
    credited on the path."""
    kind, _sep, behaviour = str(item).partition(":")
    if kind == "shown" and behaviour:
        return behaviour in behaviours
    return status.get(str(item)) == "met"


def can_show(
    cp: dict[str, Any], possible: set[str], acts: set[str], named: set[str] | None = None
) -> bool:
    """Whether a conversation that can assess the marking points `possible` and marks the law
    `acts` (of which some choice names `named` to the customer) can give evidence for course
    point `cp` (the pack list and "play next"): a `law_named` point only where a law can be
    named."""
    if not possible & set(cp["evidence"]):
        return False
    if not possible & set(cp.get("needs_one_of") or cp["evidence"]):
        return False
    needs = cp.get("needs_law")
    if not needs:
        return True
    if cp.get("law_named") and named is not None:
        acts = acts & named
    return "any" in needs and bool(acts) or bool(acts & set(needs))
