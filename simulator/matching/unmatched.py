"""`countertalk report --unmatched`: typed replies that were not understood, for tutors.

Each not-understood line is saved on the turn the learner took next in that state (see
`replies.py`), so the report can also say what they went on to choose — often what they meant,
and a ready-made new `examples:` line for that choice.
"""

from __future__ import annotations

from typing import Any

COLUMNS = ("scenario", "state", "typed", "reason", "then_chose", "learner", "attempt")


def unmatched_rows(records: Any) -> list[dict[str, Any]]:
    """Rows from Store.choice_records()."""
    from simulator.engine.text import plain

    rows = []
    for attempt_id, learner, scenario_id, _turn, record in records:
        misses = record.get("unmatched")
        if not isinstance(misses, list):
            continue
        for miss in misses:
            if not isinstance(miss, dict) or not isinstance(miss.get("text"), str):
                continue
            rows.append(
                {
                    "scenario": plain(str(scenario_id)),
                    "state": plain(str(record.get("state", ""))),
                    "typed": plain(miss["text"])[:300],
                    "reason": plain(str(miss.get("reason", ""))),
                    "then_chose": plain(str(record.get("choice", ""))),
                    "learner": plain(str(learner)),
                    "attempt": attempt_id,
                }
            )
    return rows


def to_table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "No typed replies went un-understood.\n"
    out = []
    current = None
    for r in rows:
        key = (r["scenario"], r["state"])
        if key != current:
            current = key
            out.append(f"{r['scenario']} · state {r['state']}")
        out.append(
            f'  "{r["typed"]}"  ({r["reason"]}; then chose {r["then_chose"]}; '
            f"{r['learner']}, attempt {r['attempt']})"
        )
    out.append("")
    out.append(
        "Add the lines that meant an option as examples: under that choice, then check them "
        "with 'countertalk match FILE --state STATE \"...\"'."
    )
    return "\n".join(out) + "\n"
