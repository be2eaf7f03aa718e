"""Calibration (issue 25 §3): the scorer's grade equals the grade an examiner gave each path.

The cases (cases.yaml, heldout.yaml) were written from the domain brief and the course notes
before the scorer was run on them; each is played through the real Session with its seed and
scored. A case marked `pending` cannot pass against the pack as it stands (a wrong mark in a
scenario that a pack helper is fixing): while that scenario file is unchanged (`pending_on`,
the start of its sha256) it is expected to fail, strictly; once the file changes, it must pass.

An examiner's grade is never changed to make a case pass. A quality assurer's moderation may
decide that the examiner misread the standard (moderation25.md, moderation26.md): the case then keeps the
examiner's grade as `examiner_grade`, `grade` is the moderated grade, and `moderated` names the
section of the moderation that decided it ("moderation25.md case 4: ...").
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from scoring.scorer import score
from simulator.engine.loader import load_scenario, resolve
from simulator.engine.session import Runtime

HERE = Path(__file__).resolve().parent


def _cases(name: str) -> list[dict[str, Any]]:
    data = yaml.safe_load((HERE / name).read_text(encoding="utf-8"))
    return list(data["cases"])


def _unchanged(scenario_id: str, prefix: object) -> bool:
    """Whether the scenario file is still the one a pending note was written against."""
    return load_scenario(resolve(scenario_id)).content_hash.startswith(str(prefix))


def _params(name: str) -> list[Any]:
    out = []
    for c in _cases(name):
        marks = []
        if c.get("pending") and _unchanged(c["scenario"], c.get("pending_on")):
            marks.append(pytest.mark.xfail(reason=str(c["pending"]), strict=True))
        out.append(pytest.param(c, id=c["id"], marks=marks))
    return out


def play(case: dict[str, Any]) -> dict[str, Any]:
    sc = load_scenario(resolve(case["scenario"]))
    s = Runtime(sc).new_session(seed=int(case["seed"]))
    s.replay(case["path"])
    assert s.ended, f"{case['id']}: the path stops at {s.state}, before an ending"
    return score(sc, s.transcript())


def _assert_agrees(case: dict[str, Any]) -> None:
    s = play(case)
    who = "moderated" if case.get("moderated") else "examiner"
    assert s["grade"] == case["grade"], (
        f"{case['id']}: scorer {s['grade']} ({s['grade_reason']}), {who} {case['grade']}: "
        f"{case.get('moderated') or case['why']}"
    )


# The calibration sets, in the order they were written.
SETS = (
    "cases.yaml",
    "heldout.yaml",
    "review25b.yaml",
    "review25d.yaml",
    "review25f.yaml",
    "review25i.yaml",
    "review25k.yaml",
    "review25m.yaml",
    "review25u.yaml",
    "review25aa.yaml",
    "review25ag.yaml",
    "review25al.yaml",
)
# The moderations, each deciding numbered cases ("## Case 3: ..." / "## Cases 2, 3 and 4: ...").
MODERATIONS = ("moderation25.md", "moderation26.md")
# "moderation25.md case 4: ..." or "moderation26.md cases 1 and 2: ..."
MODERATED = re.compile(r"^(moderation2[56]\.md) (cases? \d+(?:(?:, | and )\d+)*): \S")


def _moderated_sections(name: str) -> set[str]:
    """The case numbers one moderation's sections decide ("## Cases 1 and 2: ...")."""
    out = set()
    for line in (HERE / name).read_text(encoding="utf-8").splitlines():
        m = re.match(r"^## Cases? (\d+(?:(?:, | and )\d+)*):", line)
        if m:
            out |= set(re.findall(r"\d+", m.group(1)))
    return out


def test_every_moderation_decides_numbered_cases():
    assert _moderated_sections("moderation25.md") >= {"1", "2", "3", "4"}
    assert _moderated_sections("moderation26.md") == {"1", "2", "3", "4", "5", "6", "7"}


def test_every_moderated_case_names_a_section_of_the_moderation():
    """A grade that is not the examiner's stands only on a moderation's decision: the case keeps
    the examiner's grade, differs from it, and names the moderation and the section that decided
    it."""
    sections = {name: _moderated_sections(name) for name in MODERATIONS}
    cited = set()
    for name in SETS:
        for case in _cases(name):
            if "moderated" not in case and "examiner_grade" not in case:
                continue
            where = f"{name}: {case['id']}"
            assert case.get("examiner_grade") in ("fail", "pass", "distinction"), where
            assert case["grade"] != case["examiner_grade"], where
            m = MODERATED.match(str(case.get("moderated") or ""))
            assert m, (
                f"{where}: moderated must begin 'moderation25.md case N: ' (or moderation26.md)"
            )
            assert (HERE / m.group(1)).is_file(), where
            numbers = set(re.findall(r"\d+", m.group(2)))
            assert numbers <= sections[m.group(1)], where
            cited |= {(m.group(1), n) for n in numbers}
    # moderation26.md overrules two examiners' passes (cases 3 and 4): both must be recorded.
    assert {("moderation26.md", "3"), ("moderation26.md", "4")} <= cited


def _open_params(name: str, open_cases: dict[str, Any]) -> list[Any]:
    """A review set's cases, each still-open one a strict xfail with its reason. An entry is the
    reason, or (reason, the start of the scenario file's hash): pinned to a file, the xfail
    holds only while that file is unchanged, so a merged scenario fix must make it pass."""
    out = []
    for case in _cases(name):
        entry = open_cases.get(case["id"])
        why, on = entry if isinstance(entry, tuple) else (entry, None)
        marks = []
        if why and (on is None or _unchanged(case["scenario"], on)):
            marks.append(pytest.mark.xfail(reason=why, strict=True))
        out.append(pytest.param(case, id=case["id"], marks=marks))
    return out


# The blind review sets in the order they were written: each set's cases must be new to every
# set before it (and to the hand-written cases and the held-out set).
BLIND_SETS = (
    "review25b.yaml",
    "review25d.yaml",
    "review25f.yaml",
    "review25i.yaml",
    "review25k.yaml",
    "review25m.yaml",
    "review25u.yaml",
    "review25aa.yaml",
    "review25ag.yaml",
    "review25al.yaml",
    "review25as.yaml",
    "review25aw.yaml",
    "review25ba.yaml",
    "review25bf.yaml",
    "review26a.yaml",
)


def _earlier(name: str) -> tuple[str, ...]:
    return ("cases.yaml", "heldout.yaml", *BLIND_SETS[: BLIND_SETS.index(name)])


def _assert_blind_set(name: str, earlier: tuple[str, ...], open_cases: dict[str, Any]) -> None:
    """17 blind plays on 17 seeds, none a case of an earlier set, every open case in the set."""
    cases = _cases(name)
    assert len(cases) == 17 and len({c["seed"] for c in cases}) == 17
    known = {c["id"] for earlier_name in earlier for c in _cases(earlier_name)}
    assert not known & {c["id"] for c in cases}
    assert set(open_cases) <= {c["id"] for c in cases}


def test_the_cases_cover_the_pack_and_every_kind():
    cases = _cases("cases.yaml")
    assert len(cases) >= 24
    assert len({c["id"] for c in cases + _cases("heldout.yaml")}) == len(cases) + 6
    kinds = {c["kind"] for c in cases}
    assert {"good", "mixed", "poor"} <= kinds
    for cap in ("law_corrected", "law_uncorrected", "beyond_remit", "skips_verification"):
        assert f"cap:{cap}" in kinds, cap
    assert {"cap:data_breach", "cap:rude", "cap:discrimination"} <= kinds
    assert {c["grade"] for c in cases} == {"fail", "pass", "distinction"}
    assert len({c["scenario"] for c in cases}) >= 10


@pytest.mark.parametrize("case", _params("cases.yaml"))
def test_scorer_agrees_with_the_examiner(case):
    _assert_agrees(case)


@pytest.mark.parametrize("case", _params("heldout.yaml"))
def test_scorer_agrees_with_the_examiner_held_out(case):
    _assert_agrees(case)


@pytest.mark.parametrize("case", _params("review25b.yaml"))
def test_scorer_agrees_with_the_examiner_review25b(case):
    """Review 25b's 17 fresh plays, graded blind (tests/calibration/REVIEW.md)."""
    _assert_agrees(case)


def test_review25b_has_its_17_blind_cases():
    cases = _cases("review25b.yaml")
    assert len(cases) == 17 and len({c["seed"] for c in cases}) == 17
    known = {c["id"] for c in _cases("cases.yaml") + _cases("heldout.yaml")}
    assert not known & {c["id"] for c in cases}


@pytest.mark.parametrize("case", _params("review25d.yaml"))
def test_scorer_agrees_with_the_examiner_review25d(case):
    """Review 25d's 17 fresh plays, graded blind (tests/calibration/REVIEW.md)."""
    _assert_agrees(case)


def test_review25d_has_its_17_blind_cases():
    cases = _cases("review25d.yaml")
    assert len(cases) == 17 and len({c["seed"] for c in cases}) == 17
    known = {
        c["id"] for c in _cases("cases.yaml") + _cases("heldout.yaml") + _cases("review25b.yaml")
    }
    assert not known & {c["id"] for c in cases}


# Review 25f cases the scorer cannot yet agree with because a scenario file still carries the
# defect, and which file: (why, the start of that file's sha256). While the file is unchanged
# the case is a strict xfail; once the file changes (the scenario fix merged) it must pass. The
# examiner's grade is never changed to make a case pass.
REVIEW25F_OPEN: dict[str, tuple[str, str]] = {
    # (empty: correct-and-erase seed 304, open until truth25g's D11 marked the turn-5 log as the
    # referral, now agrees with the examiner's pass through grading.yaml owned_follow_up)
}


@pytest.mark.parametrize("case", _open_params("review25f.yaml", REVIEW25F_OPEN))
def test_scorer_agrees_with_the_examiner_review25f(case):
    """Review 25f's 17 fresh plays, graded blind (branch review25f, review/REVIEW.md)."""
    _assert_agrees(case)


def test_review25f_has_its_17_blind_cases():
    _assert_blind_set(
        "review25f.yaml",
        _earlier("review25f.yaml"),
        REVIEW25F_OPEN,
    )


# Review 25i cases the scorer still disagrees with, and why (strict: a case that starts to agree
# must leave this table). The examiner's grade is never changed to make a case pass.
REVIEW25I_OPEN: dict[str, str] = {
    # review25i-05-correct-and-erase closed by moderation25.md cases 1-2: the address asked for
    # before the check and stopped at the next turn before anything was saved
    # (corrects_before_effect) does not cap; the examiner's distinction stands
    # review25i-10-internal-customer-finance closed by moderation25.md case 3: updated.3 (the
    # minimum data by ordinary email, a secure route on offer) is insecure_route, which stops a
    # distinction and no more; the examiner's pass stands
}


@pytest.mark.parametrize("case", _open_params("review25i.yaml", REVIEW25I_OPEN))
def test_scorer_agrees_with_the_examiner_review25i(case):
    """Review 25i's 17 fresh plays, graded blind (branch review25i, review/REVIEW.md)."""
    _assert_agrees(case)


def test_review25i_has_its_17_blind_cases():
    _assert_blind_set(
        "review25i.yaml",
        _earlier("review25i.yaml"),
        REVIEW25I_OPEN,
    )


# Review 25k cases the scorer still disagrees with, each waiting on a scenario fix another
# helper (truth25m) is making: (why, the start of that file's sha256). While the file is
# unchanged the case is a strict xfail; once it changes (the fix merged) the case must pass.
# The examiner's grade is never changed to make a case pass.
REVIEW25K_OPEN: dict[str, tuple[str, str]] = {
    # erase-address-before-id-self-caught closed by moderation25.md cases 1-2 (as review25i-05);
    # laptop-promises-full-refund-no-deductions closed by moderation26.md case 3 (overruled to fail)
}


@pytest.mark.parametrize("case", _open_params("review25k.yaml", REVIEW25K_OPEN))
def test_scorer_agrees_with_the_examiner_review25k(case):
    """Review 25k's 17 fresh plays, graded blind (branch review25k, review/REVIEW.md)."""
    _assert_agrees(case)


def test_review25k_has_its_17_blind_cases():
    _assert_blind_set(
        "review25k.yaml",
        _earlier("review25k.yaml"),
        REVIEW25K_OPEN,
    )


# Review 25m cases the scorer still disagrees with, and why (strict: a case that starts to agree
# must leave this table). The examiner's grade is never changed to make a case pass.
REVIEW25M_OPEN: dict[str, str] = {}


@pytest.mark.parametrize("case", _open_params("review25m.yaml", REVIEW25M_OPEN))
def test_scorer_agrees_with_the_examiner_review25m(case):
    """Review 25m's 17 fresh plays, graded blind (branch review25m, review/REVIEW.md)."""
    _assert_agrees(case)


def test_review25m_has_its_17_blind_cases():
    _assert_blind_set(
        "review25m.yaml",
        _earlier("review25m.yaml"),
        REVIEW25M_OPEN,
    )


# Review 25u cases the scorer still disagrees with, and why (strict: a case that starts to agree
# must leave this table). The examiner's grade is never changed to make a case pass.
# cake-no-recap-25u (play 13, class B) closed by truth25y: the half-twelve call is follow_up, not
# confirm, so with no recap "checks understanding" is missed and the scorer gives the examiner's
# pass.
REVIEW25U_OPEN: dict[str, str] = {}


@pytest.mark.parametrize("case", _open_params("review25u.yaml", REVIEW25U_OPEN))
def test_scorer_agrees_with_the_examiner_review25u(case):
    """Review 25u's 17 fresh plays, graded blind (tests/calibration/reviews/review25u.md)."""
    _assert_agrees(case)


def test_review25u_has_its_17_blind_cases():
    _assert_blind_set(
        "review25u.yaml",
        _earlier("review25u.yaml"),
        REVIEW25U_OPEN,
    )


# Review 25aa cases the scorer still disagrees with (strict: a case that starts to agree must leave
# this table; the examiner's grade is never changed to make a case pass).
REVIEW25AA_OPEN: dict[str, str] = {
    # (empty: play 17 agrees since truth25ad marked the rigid plan a scripted reply taken back;
    # play 07 since truth25ae's one-slip-in-an-owned-case rule counts the action before the slip)
}


@pytest.mark.parametrize("case", _open_params("review25aa.yaml", REVIEW25AA_OPEN))
def test_scorer_agrees_with_the_examiner_review25aa(case):
    """Review 25aa's 17 fresh plays, graded blind (tests/calibration/reviews/review25aa.md)."""
    _assert_agrees(case)


def test_review25aa_has_its_17_blind_cases():
    _assert_blind_set(
        "review25aa.yaml",
        _earlier("review25aa.yaml"),
        REVIEW25AA_OPEN,
    )


# Review 25ag: all 17 agreed when it was written (strict: a case that stops agreeing fails).
REVIEW25AG_OPEN: dict[str, str] = {}


@pytest.mark.parametrize("case", _open_params("review25ag.yaml", REVIEW25AG_OPEN))
def test_scorer_agrees_with_the_examiner_review25ag(case):
    """Review 25ag's 17 fresh plays, graded blind (tests/calibration/reviews/review25ag.md)."""
    _assert_agrees(case)


def test_review25ag_has_its_17_blind_cases():
    _assert_blind_set(
        "review25ag.yaml",
        _earlier("review25ag.yaml"),
        REVIEW25AG_OPEN,
    )


# Review 25al cases the scorer still disagrees with (strict: a case that starts to agree must leave
# this table; the examiner's grade is never changed to make a case pass).
REVIEW25AL_OPEN: dict[str, str] = {
    # courier-cot-phone-shared-25al closed by moderation25.md case 4: moderated to fail, for the
    # reason the debrief now names (data_share.3: oversharing, data_minimisation breached)
}


@pytest.mark.parametrize("case", _open_params("review25al.yaml", REVIEW25AL_OPEN))
def test_scorer_agrees_with_the_examiner_review25al(case):
    """Review 25al's 17 fresh plays, graded blind (tests/calibration/reviews/review25al.md)."""
    _assert_agrees(case)


def test_review25al_has_its_17_blind_cases():
    _assert_blind_set(
        "review25al.yaml",
        _earlier("review25al.yaml"),
        REVIEW25AL_OPEN,
    )


# Review 25as: all 17 agreed when it was written (strict: a case that stops agreeing fails).
REVIEW25AS_OPEN: dict[str, str] = {}


@pytest.mark.parametrize("case", _open_params("review25as.yaml", REVIEW25AS_OPEN))
def test_scorer_agrees_with_the_examiner_review25as(case):
    """Review 25as's 17 fresh plays, graded blind (tests/calibration/reviews/review25as.md)."""
    _assert_agrees(case)


def test_review25as_has_its_17_blind_cases():
    _assert_blind_set(
        "review25as.yaml",
        _earlier("review25as.yaml"),
        REVIEW25AS_OPEN,
    )


# Review 25aw cases the scorer still disagrees with (strict: a case that starts to agree must leave
# this table; the examiner's grade is never changed to make a case pass).
REVIEW25AW_OPEN: dict[str, str] = {}  # play 12 closed by truth25ay (talks_past, taken back)


@pytest.mark.parametrize("case", _open_params("review25aw.yaml", REVIEW25AW_OPEN))
def test_scorer_agrees_with_the_examiner_review25aw(case):
    """Review 25aw's 17 fresh plays, graded blind (tests/calibration/reviews/review25aw.md)."""
    _assert_agrees(case)


def test_review25aw_has_its_17_blind_cases():
    _assert_blind_set(
        "review25aw.yaml",
        _earlier("review25aw.yaml"),
        REVIEW25AW_OPEN,
    )


# Review 25ba cases the scorer still disagrees with (strict: a case that starts to agree must leave
# this table; the examiner's grade is never changed to make a case pass).
REVIEW25BA_OPEN: dict[str, str] = {
    # abusive-mirror-retracted-25ba closed by moderation26.md case 1 (opening.3 now defensive only)
}


@pytest.mark.parametrize("case", _open_params("review25ba.yaml", REVIEW25BA_OPEN))
def test_scorer_agrees_with_the_examiner_review25ba(case):
    """Review 25ba's 17 fresh plays, graded blind (tests/calibration/reviews/review25ba.md)."""
    _assert_agrees(case)


def test_review25ba_has_its_17_blind_cases():
    _assert_blind_set(
        "review25ba.yaml",
        _earlier("review25ba.yaml"),
        REVIEW25BA_OPEN,
    )


# Review 25bf cases the scorer still disagrees with (strict: a case that starts to agree must leave
# this table; the examiner's grade is never changed to make a case pass).
REVIEW25BF_OPEN: dict[str, str] = {
    # laptop-random-25bf closed by moderation26.md case 2 (remedy_explain.2 now misstates_law)
}


@pytest.mark.parametrize("case", _open_params("review25bf.yaml", REVIEW25BF_OPEN))
def test_scorer_agrees_with_the_examiner_review25bf(case):
    """Review 25bf's 17 fresh plays, graded blind (tests/calibration/reviews/review25bf.md)."""
    _assert_agrees(case)


def test_review25bf_has_its_17_blind_cases():
    _assert_blind_set(
        "review25bf.yaml",
        _earlier("review25bf.yaml"),
        REVIEW25BF_OPEN,
    )


# Review 26a cases the scorer still disagrees with (strict: a case that starts to agree must leave
# this table; the examiner's grade is never changed to make a case pass). All 17 agreed on main at
# 6d5d69b, where the examiner played them.
REVIEW26A_OPEN: dict[str, str] = {}


@pytest.mark.parametrize("case", _open_params("review26a.yaml", REVIEW26A_OPEN))
def test_scorer_agrees_with_the_examiner_review26a(case):
    """Review 26a's 17 fresh plays, graded blind (tests/calibration/reviews/review26a.md)."""
    _assert_agrees(case)


def test_review26a_has_its_17_blind_cases():
    _assert_blind_set(
        "review26a.yaml",
        _earlier("review26a.yaml"),
        REVIEW26A_OPEN,
    )
