"""Plain-text play (§7 of the format): numbered choices (or lettered answers), one per line.

Used by scripts, tests, screen readers and anyone without a capable terminal. A front end of
the exercise service (:mod:`simulator.exercise.service`) and nothing else: it reads lines, sends
answers, and prints the views and events the service gives back.

- :mod:`.conversation` — a scenario, picked by number;
- :mod:`.typed` — a scenario with typed replies (``--type``);
- :mod:`.activity` — a knowledge check (sort, spot, match, order).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO


def play_plain(
    path: Path,
    args: argparse.Namespace,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> int:
    """Play one exercise file as text; the kind decides which driver prints it."""
    from simulator.activities.files import is_activity_file

    if is_activity_file(path):
        from .activity import play_plain as play_activity

        return play_activity(path, args, stdin, stdout)
    from .conversation import play_plain as play_conversation

    return play_conversation(path, args, stdin, stdout)
