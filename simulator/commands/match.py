"""`countertalk match FILE --state STATE "typed text"`: how a typed line would be understood.

For tutors writing `examples:`: prints the options on offer in that state ranked by score, and
the decision (accept, confirm or reject) the app and plain mode would make.
"""

from __future__ import annotations

import argparse
from typing import Any


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenario", metavar="FILE_OR_ID", help="a scenario file, or an id in the pack")
    p.add_argument("text", metavar="TEXT", help="the line a learner might type (quote it)")
    p.add_argument("--state", required=True, metavar="STATE", help="the state it is typed in")
    p.add_argument("--pack", metavar="DIR", help="scenario folder for ids (default: shipped pack)")
    p.add_argument(
        "--no-examples",
        action="store_true",
        help="match against the option texts alone (as for a file without examples:)",
    )
    p.add_argument("--format", choices=("text", "json"), default="text")


def run(args: argparse.Namespace) -> int:
    import json
    import sys
    from pathlib import Path

    from simulator.engine.loader import check_file, did_you_mean, resolve
    from simulator.engine.session import Runtime, ScenarioRuntimeError
    from simulator.engine.text import plain
    from simulator.errors import fail
    from simulator.matching.matcher import ScenarioMatcher

    path = Path(args.scenario)
    if not path.is_file():
        try:
            path = resolve(args.scenario, args.pack)
        except FileNotFoundError as exc:
            return fail(str(exc), 2)
    result = check_file(path)
    if result.scenario is None:
        for d in result.errors:
            print(d, file=sys.stderr)
        return fail(f"{path} has errors; fix them and run 'countertalk lint {path}'")
    scenario: Any = result.scenario
    state = scenario.states.get(args.state)
    if state is None:
        return fail(
            f"no state '{args.state}' in {path}{did_you_mean(args.state, scenario.states)}", 2
        )
    if not state.choices:
        return fail(f"state '{args.state}' is an ending: it offers nothing to match", 2)
    session = Runtime(scenario).new_session(seed=0)
    try:
        # Offered as on arrival with the starting variables: the choices whose `if` holds.
        session.state = args.state
        offered = session.offered()
    except ScenarioRuntimeError as exc:
        return fail(str(exc))
    finally:
        session.close()
    matcher = ScenarioMatcher(scenario, use_examples=not args.no_examples)
    match = matcher.match(args.text, offered)
    out = match.as_json()
    for row, r in zip(out["ranking"], match.ranking):
        row["text"] = r.offered.text
    route = state.on_unmatched.rude if state.on_unmatched else None
    routed = (
        route
        if match.decision == "reject" and match.rude and any(o.choice_id == route for o in offered)
        else None
    )
    out["routed_to"] = routed  # a rude line the state's on_unmatched sends to this choice
    if args.format == "json":
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    p = matcher.policy
    print(f"Typed: {plain(match.text)!r} in state '{args.state}'")
    verdict = {
        "accept": f"accept {out['choice']}",
        "confirm": f"confirm (ask 'Did you mean …?' about {', '.join(r.choice_id for r in match.suggestions)})",
        "reject": "reject (not understood; nothing is taken)",
    }[match.decision]
    print(f"Decision: {verdict} — {match.reason}")
    if routed:
        print(f"Routed: on_unmatched rude takes {routed}")
    print(f"Settings: threshold {p.threshold:.2f}, margin {p.margin:.2f}, floor {p.floor:.2f}")
    for r in match.ranking:
        print(f"  {r.score:5.3f}  {r.number}. [{r.choice_id}] {r.offered.text}")
    return 0
