"""`countertalk lsp`: the language server for editors, over standard input and output."""

from __future__ import annotations

import argparse


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--stdio",
        action="store_true",
        help="talk LSP over standard input/output (the default and only transport; editors "
        "that always pass --stdio are fine)",
    )


def run(args: argparse.Namespace) -> int:
    from simulator.lsp.server import main

    return main()
