"""Tutor tooling behind `countertalk new|schema|graph|report|export`.

Headless on purpose: nothing here imports Textual or Rich, so these commands start fast and can
run in CI or on a server. Each module holds the logic of one command; the command modules in
`simulator/commands/` only parse arguments and print.
"""
