"""`countertalk paths FILE_OR_ID`: what a scenario allows, analysed without playing it."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulator.engine.model import Scenario


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "scenario",
        metavar="FILE_OR_ID",
        help="a scenario file, or the id of a scenario in the pack (with --cues: a folder too)",
    )
    p.add_argument("--pack", metavar="DIR", help="scenario folder (default: the shipped pack)")
    p.add_argument(
        "--format", choices=("text", "json"), default="text", help="text (default) or json"
    )
    p.add_argument(
        "--max-visits",
        type=int,
        default=2,
        metavar="N",
        help="how many times a path may enter the same state (default: 2)",
    )
    p.add_argument(
        "--strategies",
        action="store_true",
        help="play blind strategies (always first, longest, last; random) through the real "
        "session and print the grades they reach",
    )
    p.add_argument(
        "--seeds",
        type=int,
        default=3,
        metavar="N",
        help="with --strategies: play each strategy with seeds 1..N (default: 3)",
    )

    p.add_argument(
        "--cues",
        action="store_true",
        help="wording-cue audit: can a model trained on the other scenarios' wording pick the "
        "good options, and what does it reach playing? (a folder audits every scenario in it; "
        "a file is audited against the pack)",
    )


def run(args: argparse.Namespace) -> int:
    import json

    from simulator.commands.common import load_target
    from simulator.errors import fail

    if args.max_visits < 1:
        return fail("--max-visits must be at least 1", 2)
    if args.cues:
        from simulator.commands.cues import run_cues

        return run_cues(args)
    scenario, code = load_target(args.scenario, args.pack, then="analyse it again")
    if scenario is None:
        return code

    if args.strategies:
        if args.seeds < 1:
            return fail("--seeds must be at least 1", 2)
        return _strategies(scenario, args)

    from scoring.paths import analyse

    result = analyse(scenario, max_visits=args.max_visits)
    if args.format == "json":
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print(text(result, scenario))
    return 0 if result["best"] is not None else 1


def text(r: dict[str, Any], scenario: Scenario) -> str:
    from simulator.engine.templating import plain

    out = [
        f"{plain(scenario.title)} ({r['scenario']}): {r['states']} states, {r['choices']} choices"
    ]
    how = "exact" if r["exact"] else "approximate (too many paths for an exact search)"
    if r.get("budget_cut"):
        how = (
            "approximate: the search reached its time and size budget and ignored the "
            "variables from then on, so the best and worst paths may be rougher than the real ones"
        )
    out.append(
        f"Analysis: {how}; a path may enter a state at most {r['max_visits']} times; "
        f"{r['explored']} search nodes."
    )
    th = r["thresholds"]
    out.append(
        "Grades follow the marking points and caps; the percentage is held in the grade's band: "
        f"a pass {th['pass']}-{max(th['pass'], th['distinction'] - 1)}%, "
        f"a distinction from {th['distinction']}%."
    )
    out.append("")
    reach = [e for e in r["endings"].values() if e["reachable"]]
    out.append(
        f"Endings: {len(reach)} of {len(r['endings'])} reachable; outcomes: "
        f"{', '.join(r['outcomes']) or 'none'}"
    )
    for sid, e in r["endings"].items():
        if e["reachable"]:
            rng = f"best {e.get('best', '?')}%, worst {e.get('worst', '?')}%"
            out.append(f"  {sid} ({e['outcome']}): {rng}")
        else:
            state = "not reached" if e["reachable"] is None else "unreachable"
            out.append(f"  {sid} ({e['outcome']}): {state}")
    out.append("")
    for name in ("best", "worst"):
        p = r[name]
        if p is None:
            out.append(f"{name.capitalize()} path: no ending can be reached")
            continue
        check = "" if p.get("verified") else "  (differs from the analysis; replayed score shown)"
        out.append(
            f"{name.capitalize()} path: {p['percent']}% {p['grade']}, ending "
            f"{p['ending']} ({p['outcome']}), {p['turns']} turns{check}"
        )
        shown = (
            p["choices"]
            if len(p["choices"]) <= 12
            else (p["choices"][:6] + [f"... {len(p['choices']) - 10} more ..."] + p["choices"][-4:])
        )
        out.append("  " + " → ".join(shown))
    out.append("")
    out.append(
        "Distinction reachable: "
        + ("yes" if r["distinction_reachable"] else "no")
        + "; pass reachable: "
        + ("yes" if r["pass_reachable"] else "no")
    )
    if r["dead_ends"]:
        out.append("Dead ends:")
        for d in r["dead_ends"]:
            out.append(f"  {d['state']}: {d['reason']}")
    else:
        out.append("Dead ends: none")
    if r["loops"]:
        out.append(f"Loops: {len(r['loops'])}")
        for loop in r["loops"][:10]:
            shown = loop if len(loop) <= 8 else loop[:8] + [f"... {len(loop) - 8} more"]
            out.append("  " + ", ".join(shown))
    else:
        out.append("Loops: none")
    for p in r.get("problems") or []:
        out.append(f"Problem: {p}")
    return "\n".join(out)


def _strategies(scenario: Scenario, args: argparse.Namespace) -> int:
    """Print what blind play reaches, and the exact odds that a learner choosing at random
    passes; exit 1 when a blind strategy passes more than 10% of the time or reaches a
    distinction, or the exact odds are over 5% pass or 1% distinction (the scenario can be
    beaten without reading it)."""
    import json

    from scoring import odds
    from scoring.strategies import STRATEGIES, play_blind, summary
    from simulator.engine.templating import plain

    runs = play_blind(scenario, seeds=tuple(range(1, args.seeds + 1)))
    table = summary(runs)
    bad = [
        k
        for k, row in table.items()
        if row["distinction"] or (row["pass"] + row["distinction"]) > 0.1 * row["runs"]
    ]
    exact: odds.Odds | None
    try:
        exact = odds.random_odds(scenario)
    except odds.OddsTooLarge:
        exact = None
    chancy = exact is not None and exact.too_high
    if args.format == "json":
        print(
            json.dumps(
                {
                    "scenario": scenario.id,
                    "shuffle": scenario.shuffle,
                    "summary": table,
                    "runs": [r.__dict__ for r in runs],
                    "gameable": bad,
                    "random_odds": None
                    if exact is None
                    else {**exact.as_json(), "too_high": chancy},
                },
                indent=2,
            )
        )
        return 1 if bad or chancy else 0
    out = [
        f"{plain(scenario.title)} ({scenario.id}): blind strategies over seeds 1..{args.seeds}"
        f"{'' if scenario.shuffle else ' (options in file order: no shuffle)'}",
        f"{'strategy':<10} {'fail':>5} {'pass':>5} {'dist.':>5}   grades by seed",
    ]
    for k in STRATEGIES:
        row = table.get(k)
        if not row:
            continue
        grades = ", ".join(f"{r.seed}: {r.grade} {r.percent}%" for r in runs if r.strategy == k)
        out.append(f"{k:<10} {row['fail']:>5} {row['pass']:>5} {row['distinction']:>5}   {grades}")
    if bad:
        out.append(
            "Gameable: " + ", ".join(bad) + " passes without reading (target: no distinction, "
            "a pass in at most 10% of runs). Shuffle the options and write wrong answers as "
            "carefully as right ones."
        )
    else:
        out.append("No blind strategy reaches a distinction or passes in more than 10% of runs.")
    out.append("")
    if exact is None:
        out.append(
            "Exact odds for a learner choosing at random: too many distinct paths to count "
            f"exactly (over {odds.MAX_NODES} in one turn); not estimated."
        )
    else:
        out.append(
            f"Exact odds for a learner choosing at random (every path, every option order; "
            f"the order makes no difference to a random choice): pass or better "
            f"{odds.percent(exact.pass_)}, distinction {odds.percent(exact.distinction)}"
            + (
                f"; {odds.percent(exact.unfinished)} of runs stop unfinished at "
                f"{exact.max_turns} turns or with nothing on offer"
                if exact.unfinished
                else ""
            )
            + "."
        )
        out.append(
            (
                f"Too high: the target is at most {odds.percent(odds.PASS_ODDS)} pass and "
                f"{odds.percent(odds.DISTINCTION_ODDS)} distinction. Make more states decisive."
            )
            if chancy
            else (
                f"Within the target (at most {odds.percent(odds.PASS_ODDS)} pass, "
                f"{odds.percent(odds.DISTINCTION_ODDS)} distinction)."
            )
        )
    print("\n".join(out))
    return 1 if bad or chancy else 0
