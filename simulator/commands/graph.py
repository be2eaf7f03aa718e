"""`countertalk graph FILE_OR_ID`: draw a scenario (Mermaid, Graphviz DOT, or SVG via `dot`)."""

from __future__ import annotations

import argparse

INSTALL_HINT = (
    "Graphviz's 'dot' program is not installed, so there is no SVG. Install it "
    "(Debian/Ubuntu: sudo apt-get install graphviz; macOS: brew install graphviz; "
    "Windows: winget install graphviz), or use --format mermaid, which needs no "
    "program: paste the output into https://mermaid.live or a Markdown file."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "scenario",
        metavar="FILE_OR_ID",
        help="a scenario file, or the id of a scenario in the pack",
    )
    p.add_argument(
        "--format",
        choices=("mermaid", "dot", "svg"),
        default="mermaid",
        help="mermaid (default; no program needed), dot (Graphviz text) or svg "
        "(needs Graphviz's dot)",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of printing")
    p.add_argument(
        "--pack", metavar="DIR", help="scenario folder for ids (default: the shipped pack)"
    )
    p.add_argument("--no-best", action="store_true", help="do not highlight the best path")


def run(args) -> int:
    import sys

    from simulator.commands.common import load_target, write_output
    from simulator.errors import fail
    from simulator.tooling import graph

    scenario, code = load_target(args.scenario, args.pack, then="draw it again")
    if scenario is None:
        return code
    path = scenario.source
    best: list[str] = []
    best_ending = None
    if not args.no_best:
        try:
            best, best_ending = graph.best_path(scenario)
        except ModuleNotFoundError as exc:  # a build without the path analysis
            if exc.name != "scoring.paths":
                raise
            print(
                "note: the best path is not highlighted (no path analysis in this build)",
                file=sys.stderr,
            )
    g = graph.build(scenario, best, best_ending)
    if args.format == "mermaid":
        text = graph.to_mermaid(g)
        if args.output and str(args.output).lower().endswith((".md", ".markdown")):
            # Markdown viewers (GitHub, VS Code) draw Mermaid only inside a fenced block.
            text = f"```mermaid\n{text.rstrip()}\n```\n"
        data = text.encode("utf-8")
    else:
        data = graph.to_dot(g).encode("utf-8")
        if args.format == "svg":
            try:
                data = graph.to_svg(data.decode("utf-8"))
            except graph.GraphvizMissing:
                return fail(INSTALL_HINT)
            except (RuntimeError, OSError) as exc:
                return fail(f"Graphviz could not draw {path}: {exc}")
            except Exception as exc:  # subprocess.TimeoutExpired
                return fail(f"Graphviz did not finish drawing {path}: {exc}")
    if args.format != "svg":
        data = data.decode("utf-8")
    sys.stdout.flush()
    return write_output(args.output, data)
