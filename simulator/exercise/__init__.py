"""The one exercise service every front end adapts to: conversations and activities.

- :mod:`.service` — :class:`~.service.ExerciseService`: start, resume, answer (pick or type),
  confirm a suggestion, undo, retry, finish, score, and the events a front end draws from.
- :mod:`.views` — the immutable, typed read models a front end sees (no ``Any`` crosses here).
- :mod:`.recording` — the one recording policy and the one way to open the store.
- :mod:`.conversation`, :mod:`.activity` — the two kinds behind the :class:`~.kinds.Exercise`
  protocol (:mod:`.kinds`).

Nothing is imported here: :mod:`simulator.attempt` imports :mod:`.recording`, and importing the
service from this package's ``__init__`` would make that a cycle.
"""
