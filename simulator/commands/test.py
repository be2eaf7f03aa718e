"""`countertalk test [FILE_OR_DIR...]`: run the scenario tests in `NAME.test.yaml` files."""

from __future__ import annotations

import argparse


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "targets",
        nargs="*",
        default=["."],
        metavar="FILE_OR_DIR",
        help="test files, scenario files (their NAME.test.yaml is run) or folders "
        "(default: the current folder)",
    )
    p.add_argument("--junit", metavar="FILE.xml", help="also write the results as JUnit XML")
    p.add_argument("--quiet", "-q", action="store_true", help="print failures and the summary only")
    p.add_argument(
        "--init",
        action="store_true",
        help="write a starter NAME.test.yaml (best and worst paths) for each scenario given that "
        "has none, then run the tests",
    )
    p.add_argument(
        "--no-grades",
        action="store_true",
        help="with --init: expect only what follows from the file (endings, outcomes, mistakes), "
        "not grades, which depend on the grading rules",
    )


def run(args: argparse.Namespace) -> int:
    import sys

    from simulator.engine.text import plain
    from simulator.errors import fail
    from simulator.tooling import scenario_tests

    if args.init:
        code = _init(args.targets, grades=not args.no_grades)
        if code:
            return code
    files, empty = scenario_tests.find(args.targets)
    for t in empty:
        print(
            f"countertalk test: no tests in {t} (write NAME.test.yaml beside NAME.yaml)",
            file=sys.stderr,
        )
    if not files:
        return 2
    outcomes = []
    for f in files:
        for o in scenario_tests.run_file(f):
            outcomes.append(o)
            if o.passed:
                if not args.quiet:
                    print(f"ok    {o.file}:{o.line}: {plain(o.name)}")
            else:
                print(f"FAIL  {o.file}:{o.line}: {plain(o.name)}")
                for msg in o.failures:
                    print(f"      {plain(msg)}")
    failed = sum(not o.passed for o in outcomes)
    print(
        f"{len(outcomes)} test{'s' * (len(outcomes) != 1)} in {len(files)} "
        f"file{'s' * (len(files) != 1)}: " + (f"{failed} failed" if failed else "all passed")
    )
    if args.junit:
        from simulator.commands.common import write_output

        if write_output(args.junit, scenario_tests.junit_xml(outcomes)):
            return fail(f"cannot write {args.junit}")
    return 1 if failed or empty else 0


def _init(targets: list[str], *, grades: bool = True) -> int:
    """Write starter tests for scenarios without any (never overwrites)."""
    import sys

    from simulator.engine.loader import scenario_files
    from simulator.tooling import scenario_tests
    from simulator.tooling.checks import load

    for target in targets:
        for f in scenario_files(target):
            if not f.is_file() or f.name.endswith((".test.yaml", ".test.yml")):
                continue
            tf = scenario_tests.test_file_for(f)
            if tf.exists():
                continue
            loaded = load(f)  # the one check pipeline: what lint reports for the file
            if loaded.scenario is None:
                if loaded.is_activity and not loaded.errors:
                    continue  # an activity: tests are written for conversations
                print(
                    f"{f}: has errors, no tests written (see 'countertalk lint {f}')",
                    file=sys.stderr,
                )
                for d in loaded.errors[:3]:
                    print(f"  {d}", file=sys.stderr)
                continue
            text = scenario_tests.starter(loaded.scenario, grades=grades)
            try:
                tf.write_text(text, encoding="utf-8")
            except OSError as exc:
                print(f"cannot write {tf}: {exc.strerror or exc}", file=sys.stderr)
                return 1
            print(f"wrote {tf}")
    return 0
