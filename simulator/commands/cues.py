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
    bad = [s.id for s in result.scenarios if s.flagged] or [
        s.id for s in result.scenarios if any(p.grade == "distinction" for p in s.played)
    ]
    if args.format == "json":
        data = result.as_json()
        data["trained_on"] = against
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print(text(result, against))
    return 1 if bad else 0


def text(a: Audit, against: str) -> str:
    from scoring import cues

    def pct(x: float | None) -> str:
        return "  -" if x is None else f"{100 * x:3.0f}"

    out = [
        f"Wording-cue audit: each scenario played by a naive Bayes model trained on the other "
        f"scenarios of {against} ({a.options} options, {a.good} of them good), seeing only the "
        f"options' words and the customer's line.",
        "acc. = share of decision states where its top pick is a good option (no mistakes, "
        "best-marked); chance = mean share of good options; played = grade by seed "
        f"({', '.join(map(str, a.seeds))}), through the real session with shuffle.",
        "",
        f"{'scenario':<34} {'states':>6} {'acc.':>5} {'chance':>6} {'over':>5}   played",
    ]
    short = {"fail": "F", "pass": "P", "distinction": "D"}
    for s in a.scenarios:
        over = "    -" if s.margin is None else f"{s.margin:+5.0f}"
        mark = " !" if s.flagged else "  "
        played = " ".join(short.get(p.grade, "?") for p in s.played)
        out.append(
            f"{s.id:<34} {s.decisions:>6} {pct(s.accuracy):>5} {pct(s.chance):>6} {over}{mark} "
            f"{played}"
        )
    acc, ch, n = a.pooled
    runs = a.runs
    out.append(
        f"{'all':<34} {n:>6} {pct(acc):>5} {pct(ch):>6} "
        f"{'    -' if acc is None or ch is None else f'{100 * (acc - ch):+5.0f}'}"
    )
    out.append("")
    if runs["runs"]:
        out.append(
            f"Played by the model: {runs['pass'] + runs['distinction']} of {runs['runs']} runs "
            f"pass ({runs['distinction']} with a distinction); {runs['scenarios_passed']} of "
            f"{runs['scenarios']} scenarios passed at least once (target: at most 1 in 10, no "
            f"distinction)."
        )
    flagged = [s.id for s in a.scenarios if s.flagged]
    if flagged:
        out.append(
            f"! More than {cues.MARGIN:.0f} points over chance: {', '.join(flagged)}. Its wording "
            f"gives the answers away; see the cues below."
        )
    else:
        out.append(f"No scenario more than {cues.MARGIN:.0f} points over chance.")
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
