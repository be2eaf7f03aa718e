"""`countertalk classroom FILE_OR_ID`: play a scenario with a class on a projector.

The whole class votes at each decision (or 2-6 teams take turns with `--teams`); the tutor keys
in the votes, reveals, and the class sees what every option would have meant. Each run is
recorded in the results store as a classroom attempt (learner = team name, or "class").
"""

from __future__ import annotations

import argparse
import sys


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "scenario",
        metavar="FILE_OR_ID",
        help="a scenario file, or the id of a scenario in the pack",
    )
    p.add_argument("--pack", metavar="DIR", help="scenario folder (default: the shipped pack)")
    p.add_argument(
        "--teams",
        metavar='"RED,BLUE,…"',
        help="2 to 6 team names separated by commas; teams decide in turn",
    )
    p.add_argument(
        "--timer",
        type=int,
        metavar="SECONDS",
        help="a countdown for each decision (p pauses it, + adds 15 seconds)",
    )
    p.add_argument(
        "--seed",
        type=int,
        metavar="N",
        help="seed for the customer's varied lines (default: random)",
    )
    p.add_argument(
        "--theme", metavar="NAME", help="a Textual theme (default: 'projector', white on black)"
    )
    p.add_argument(
        "--notes-dir",
        metavar="DIR",
        help="where the class notes are saved (default: the current folder)",
    )
    p.add_argument(
        "--no-save",
        action="store_true",
        help="do not record the class session in the results store",
    )
    p.epilog = """\
keys:
  1-9 add a vote   - then a number takes one off   Backspace undoes the last vote
  Enter reveal (a tie asks you to pick)   n next   u undo the last decision
  p pause   + 15 seconds more   v (teams) show every option   Ctrl+Q quit

examples:
  countertalk classroom faulty-toaster-day12 --timer 60
  countertalk classroom my.yaml --teams "Red,Blue,Green\""""


def run(args) -> int:
    from simulator.errors import fail

    if args.timer is not None and not 5 <= args.timer <= 3600:
        return fail("--timer takes a number of seconds from 5 to 3600", 2)
    from simulator.classroom.room import ClassRoom, ClassroomError, parse_teams

    try:
        teams = parse_teams(args.teams)
    except ClassroomError as exc:
        return fail(str(exc), 2)
    from simulator.commands.common import load_target

    scenario, code = load_target(args.scenario, args.pack)
    if scenario is None:
        return code
    path = scenario.source
    theme = args.theme
    if theme is not None:
        from simulator.tui.themes import theme_names

        known = theme_names()
        if theme not in known:
            return fail(f"unknown theme '{theme}'; choose one of: {', '.join(known)}", 2)
    store = None
    if not args.no_save:
        from simulator.attempt import open_store

        store, problem = open_store()
        if problem:  # the lesson goes on; the tutor is told its results are not being saved
            print(
                f"countertalk: cannot open the results store: {problem}; "
                f"this class session will not be saved",
                file=sys.stderr,
            )
    import random

    from simulator.engine.session import Runtime

    seed = args.seed if args.seed is not None else random.randrange(1_000_000)
    try:
        room = ClassRoom(
            Runtime(scenario), teams=teams or None, seed=seed, store=store, scenario_path=path
        )
    except ClassroomError as exc:
        return fail(str(exc))
    from simulator.tui.classroom.app import ClassroomApp

    app = ClassroomApp(room, timer=args.timer, theme=theme, notes_dir=args.notes_dir)
    try:
        app.run()
    finally:
        if store is not None:
            store.close()
    if room.store_problem:
        return fail(room.store_problem)
    if store is not None:
        who = ", ".join(r.name for r in room.runs)
        print(f"Class session {room.class_session} recorded ({who}).")
    return 0
