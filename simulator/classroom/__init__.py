"""Classroom mode without a screen: votes, ties, the countdown, teams, undo and the class debrief.

The projector app (`simulator.tui.classroom`) only shows what these objects hold and forwards the
tutor's keys to them, so every rule of a class session can be tested without a terminal. Nothing
here imports Textual or Rich.
"""

from .room import ClassRoom, Decision, TeamRun
from .timer import Countdown
from .votes import VoteBoard

__all__ = ["ClassRoom", "Countdown", "Decision", "TeamRun", "VoteBoard"]
