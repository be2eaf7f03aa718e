"""`countertalk classroom FILE_OR_ID`: play a scenario with a class on a projector.

The whole class votes at each decision (or 2-6 teams take turns with `--teams`); the tutor keys
in the votes, reveals, and the class sees what every option would have meant. Each run is
recorded in the results store as a classroom attempt (learner = team name, or "class").
With `--phones`, learners also vote from their phones (see docs/classroom.md).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulator.classroom.web.server import PhoneLink
    from simulator.engine.model import Scenario


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
    phones = p.add_argument_group("voting from phones")
    phones.add_argument(
        "--phones",
        action="store_true",
        help="learners vote from their phones too (the projector shows the address and a QR code)",
    )
    phones.add_argument(
        "--host",
        metavar="ADDR",
        help="where phones connect (default 127.0.0.1, this computer only; "
        "0.0.0.0 or this computer's LAN address opens it to the room's network)",
    )
    phones.add_argument(
        "--port", type=int, metavar="N", help="the phone server's port (default 8765; 0 picks one)"
    )
    phones.add_argument(
        "--code",
        metavar="CODE",
        help="the join code (default: 8 random letters and digits that cannot be misread)",
    )
    p.epilog = """\
keys:
  1-9 add a vote   - then a number takes one off   Backspace undoes the last vote
  Enter reveal (a tie asks you to pick)   n next   u undo the last decision
  p pause   + 15 seconds more   v (teams) show every option   j (--phones) QR code
  Ctrl+Q quit

examples:
  countertalk classroom faulty-toaster-day12 --timer 60
  countertalk classroom my.yaml --teams "Red,Blue,Green"
  countertalk classroom faulty-toaster-day12 --phones --host 0.0.0.0"""


def run(args: argparse.Namespace) -> int:
    from simulator.errors import fail

    if args.timer is not None and not 5 <= args.timer <= 3600:
        return fail("--timer takes a number of seconds from 5 to 3600", 2)
    from simulator.activities.files import resolve as resolve_activity

    activity_path = resolve_activity(args.scenario, args.pack)
    if activity_path is not None:  # a knowledge check: the class sorts together, one vote a hand
        from simulator.activities.lint import ActivityError, load_activity
        from simulator.tui.launch import run_activity_app

        try:
            activity = load_activity(activity_path)
        except ActivityError as exc:
            print(exc, file=__import__("sys").stderr)
            return fail(f"{activity_path} has errors; see 'countertalk lint {activity_path}'")
        ignored = [
            flag
            for flag, value in (
                ("--teams", args.teams),
                ("--timer", args.timer),
                ("--phones", getattr(args, "phones", False)),
                ("--notes-dir", getattr(args, "notes_dir", None)),
            )
            if value
        ]
        if ignored:
            print(
                f"(an activity takes the class's votes from the keyboard and mouse; "
                f"{', '.join(ignored)} apply to conversations only)",
                file=__import__("sys").stderr,
            )
        args.learner = "class"
        return run_activity_app(args, activity, classroom=True)
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
    link = None
    if not args.phones and (args.host or args.port is not None or args.code):
        return fail("--host, --port and --code go with --phones", 2)
    if args.phones:
        link, code = _open_phones(args, scenario, teams)
        if link is None:
            return code
        # Before phones connect: the end of the lesson must not need a file (issue 31).
        from simulator.classroom.preload import prepare_lesson
        from simulator.tui.classroom import debrief_screen  # noqa: F401

        prepare_lesson(scenario)
    from simulator.exercise.recording import open_store
    from simulator.exercise.service import ExerciseService

    store = problem = None
    if not args.no_save:
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
            Runtime(scenario),
            teams=teams or None,
            seed=seed,
            scenario_path=path,
            service=ExerciseService(store, save=store is not None),
        )
    except ClassroomError as exc:
        return fail(str(exc))
    if problem:  # the projector says it too, for as long as the lesson lasts
        room.store_problem = f"results are not being saved: {problem}"
    from simulator.tui.classroom.app import ClassroomApp

    app = ClassroomApp(room, timer=args.timer, theme=theme, notes_dir=args.notes_dir, phones=link)
    try:
        app.run()
    finally:
        if store is not None:
            store.close()
        if link is not None:
            link.server.sock.close()
    if app.return_code:  # the app failed: it has said why and where the details are
        return app.return_code
    if room.store_problem:
        return fail(room.store_problem)
    if store is not None:
        who = ", ".join(r.name for r in room.runs)
        print(f"Class session {room.class_session} recorded ({who}).")
    return 0


def _open_phones(
    args: argparse.Namespace, scenario: Scenario, teams: list[str] | None
) -> tuple[PhoneLink | None, int]:
    """Bind the phone server before the screen starts, so problems are plain messages."""
    from simulator.classroom.phones import PhoneCodeError, PhoneHub, normalise_code
    from simulator.classroom.web.server import DEFAULT_PORT, PhoneServerError, open_phones
    from simulator.engine.templating import plain
    from simulator.errors import fail

    try:
        code = normalise_code(args.code) if args.code else None
    except PhoneCodeError as exc:
        return None, fail(str(exc), 2)
    hub = PhoneHub(code=code, title=plain(scenario.title), teams=teams)
    host = args.host or "127.0.0.1"
    try:
        link = open_phones(hub, host, DEFAULT_PORT if args.port is None else args.port)
    except PhoneServerError as exc:
        return None, fail(str(exc), 2)
    address = link.server.address
    if not address.loopback:
        import sys

        print(
            f"warning: phones can reach {address.url} from the network ({host}): anyone on it "
            "who has the join code can vote. Use it only on the room's own network, and quit "
            "the class when you are done.",
            file=sys.stderr,
        )
    return link, 0
