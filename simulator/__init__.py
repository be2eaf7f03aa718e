"""CounterTalk: role-play practice for customer-service learners.

The composition root: the engine lints scenarios against the scorer's marking data (behaviour,
mistake, model and law ids) but sits below the scorer, so it is handed that data here, where
every entry point (the CLI, the app, the language server, the background check, tests) passes
first. Nothing is read until a check needs it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulator.engine.vocabulary import Vocabulary


def _scoring_vocabulary() -> Vocabulary:
    from scoring.vocabulary import load

    return load()


def _scoring_folders() -> tuple[str, ...]:
    from scoring.vocabulary import folders

    return folders()


def _provide() -> None:
    from simulator.engine import vocabulary

    vocabulary.provide(_scoring_vocabulary, _scoring_folders)


_provide()
