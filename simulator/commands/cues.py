"""`countertalk paths DIR_OR_FILE --cues`: the wording-cue audit (scoring/cues.py), as a table.

A folder is audited scenario by scenario, each against the rest of the folder; a single file
(or a pack id) against the pack (`--pack`, default the shipped one) less the scenario with its
id. Exit 1 when some scenario's held-out accuracy is more than `cues.MARGIN` points over chance
or the model passes any scenario with a distinction, so a pipeline can hold a pack to it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scoring.cues import Audit
    from scoring.odds import Odds
    from simulator.engine.model import Scenario


def load_folder(folder: Path) -> tuple[list[Scenario] | None, int]:
    """Every scenario of a folder (its activities and test files aside), or (None, exit code)
    after printing each file's errors as file:line:column."""
    from simulator.activities.files import is_activity_file
    from simulator.engine.loader import ScenarioError, load_scenario, scenario_files
    from simulator.errors import fail

    out = []
    broken = []
    for f in scenario_files(folder):
        if is_activity_file(f):
            continue
        try:
            out.append(load_scenario(f))
        except ScenarioError as exc:
            for d in exc.diagnostics:
                if d.severity == "error":
                    print(d, file=sys.stderr)
            broken.append(str(f))
    if broken:
        return None, fail(
            f"{len(broken)} scenario file(s) in {folder} have errors; fix them (see "
            f"'countertalk lint {folder}') and audit again"
        )
    if not out:
        return None, fail(f"no scenarios in {folder}", 2)
    return out, 0


def run_cues(args: argparse.Namespace) -> int:
    import json

    from scoring import cues
    from simulator.commands.common import load_target
    from simulator.engine.pack import shipped_pack

    target = Path(args.scenario)
    if target.is_dir():
        held, code = load_folder(target)
        if held is None:
            return code
        training: list[Scenario] = []
        against = str(target)
    else:
        one, code = load_target(args.scenario, args.pack, then="audit it again")
        if one is None:
            return code
        folder = Path(args.pack) if args.pack else shipped_pack()
        pack, code = load_folder(folder)
        if pack is None:
            return code
        held, training, against = [one], pack, str(folder)
    result = cues.audit(held, training)
    chances = {sc.id: _odds(sc) for sc in held}
    bad = (
        [s.id for s in result.scenarios if s.flagged]
        + [s.id for s in result.scenarios if any(p.grade == "distinction" for p in s.played)]
        + [i for i, o in chances.items() if o is not None and o.too_high]
    )
    if args.format == "json":
        data = result.as_json()
        data["pack"] = against
        for row in data["scenarios"]:
            o = chances.get(row["scenario"])
            row["random_odds"] = None if o is None else {**o.as_json(), "too_high": o.too_high}
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print(text(result, against, chances))
    return 1 if bad else 0


def _odds(scenario: Scenario) -> Odds | None:
    from scoring import odds

    try:
        return odds.random_odds(scenario)
    except odds.OddsTooLarge:
        return None


def _small(p: float) -> str:
    return f"{p:5.2f}" if p >= 0.01 else "<0.01" if p >= 1e-4 else "<1e-4"


def text(a: Audit, against: str, chances: dict[str, Odds | None] | None = None) -> str:
    from scoring import cues, odds

    chances = chances or {}

    def pct(x: float | None) -> str:
        return "  -" if x is None else f"{100 * x:3.0f}"

    out = [
        f"Wording-cue audit: each scenario read by models trained on the other scenarios of "
        f"{against} ({a.options} options, {a.good} of them good), seeing only the options' "
        f"words and the customer's line.",
        "acc. = share of decision states where the naive Bayes model's top pick is a good option "
        "(no mistakes, best-marked); 2nd = the same for a second reader (conditional logit); "
        "chance = mean share of good options; over = the stronger reader's points over chance; "
        "luck = the probability that readers with no information in the wording do as well "
        "(exact; a small number means the wording carries the answer); "
        "played = the naive Bayes model's grade by seed "
        f"({', '.join(map(str, a.seeds))}), through the real session with shuffle; "
        "random pass/dist. = exact odds that a learner choosing at random passes / reaches a "
        "distinction.",
        "",
        f"{'scenario':<34} {'states':>6} {'acc.':>5} {'2nd':>4} {'chance':>6} {'over':>5}   "
        f"{'luck':>5} "
        f"{'played':<10} {'random pass':>11} {'dist.':>7}",
    ]
    short = {"fail": "F", "pass": "P", "distinction": "D"}
    for s in a.scenarios:
        over = "    -" if s.margin is None else f"{s.margin:+5.0f}"
        mark = " !" if s.flagged else "  "
        played = " ".join(short.get(p.grade, "?") for p in s.played)
        o = chances.get(s.id)
        rnd = (
            ""
            if s.id not in chances
            else f"{'too many paths':>19}"
            if o is None
            else f"{odds.percent(o.pass_):>11} {odds.percent(o.distinction):>7}"
            + (" !" if o.too_high else "")
        )
        out.append(
            f"{s.id:<34} {s.decisions:>6} {pct(s.accuracy):>5} {pct(s.second):>4} "
            f"{pct(s.chance):>6} {over}{mark} "
            f"{'    -' if s.luck is None else _small(s.luck)} "
            f"{played:<10} {rnd}".rstrip()
        )
    acc, ch, n = a.pooled
    acc2 = a.pooled_second
    runs = a.runs
    best = None if acc is None else max(acc, acc2 or 0.0)
    out.append(
        f"{'all':<34} {n:>6} {pct(acc):>5} {pct(acc2):>4} {pct(ch):>6} "
        f"{'    -' if best is None or ch is None else f'{100 * (best - ch):+5.0f}'}   "
        f"{'' if a.pooled_luck is None else _small(a.pooled_luck)}".rstrip()
    )
    out.append("")
    if runs["runs"]:
        out.append(
            f"Played by the model: {runs['pass'] + runs['distinction']} of {runs['runs']} runs "
            f"pass ({runs['distinction']} with a distinction); {runs['scenarios_passed']} of "
            f"{runs['scenarios']} scenarios passed at least once (target: at most 1 in 10, no "
            f"distinction)."
        )
    if a.trained_on < 2:
        out.append(
            f"Note: each scenario was read by models trained on {a.trained_on} other "
            f"scenario{'s' if a.trained_on != 1 else ''}: too few to learn a style from, so "
            "these figures say little. Audit a folder of several scenarios, or a file against a "
            "pack (--pack)."
        )
    flagged = [s.id for s in a.scenarios if s.flagged]
    if flagged:
        out.append(
            f"! More than {cues.MARGIN:.0f} points over chance: {', '.join(flagged)}. Its wording "
            f"gives the answers away; see the cues below."
        )
    else:
        out.append(f"No scenario more than {cues.MARGIN:.0f} points over chance.")
    under = [s.id for s in a.scenarios if s.reversed]
    if under:
        out.append(
            f"! More than {cues.MARGIN:.0f} points under chance: {', '.join(under)}. Its wording "
            "points away from the answers (the pack's good-sounding words sit on its wrong "
            "options); see the cues below."
        )
    else:
        out.append(f"No scenario more than {cues.MARGIN:.0f} points under chance.")
    risky = [i for i, o in chances.items() if o is not None and o.too_high]
    if chances:
        out.append(
            f"! A random learner passes over {odds.percent(odds.PASS_ODDS)} or reaches a "
            f"distinction over {odds.percent(odds.DISTINCTION_ODDS)}: {', '.join(risky)}."
            if risky
            else f"Exact random-learner odds within {odds.percent(odds.PASS_ODDS)} pass and "
            f"{odds.percent(odds.DISTINCTION_ODDS)} distinction in every scenario."
        )
    for s in a.scenarios:
        if s.right and s.flagged:
            out.append(f"  {s.id}: right in {', '.join(s.right)}")
    out.append("")
    for title, rows in (
        ("Wording that marks a GOOD option across the pack", a.good_cues),
        ("Wording that marks a WRONG option across the pack", a.wrong_cues),
    ):
        out.append(f"{title}:")
        if not rows:
            out.append("  none")
        for c in rows:
            never = (
                " (never good)" if c.good == 0 else " (always good)" if c.good == c.options else ""
            )
            out.append(f"  {c.label:<44} in {c.options:>3} options, good in {c.good:>3}{never}")
        out.append("")
    return "\n".join(out).rstrip()
