"""The classroom's projector app: big, high-contrast, keyboard-driven by the tutor.

All the rules (votes, ties, teams, undo, recording) live in `simulator.classroom`; these modules
only lay them out for the back of a room and map the tutor's keys onto them.
"""
