"""Generate large scenarios for benchmarks and tests (deterministic)."""

from __future__ import annotations

import random


def big_scenario(n_states: int = 2000, choices: int = 3, seed: int = 1) -> str:
    """A looping scenario of n_states states with `choices` choices each; half the lines are
    templates. One state in 50 is an ending; every state can reach an ending."""
    rng = random.Random(seed)
    lines = [
        "format: 1",
        "id: big-generated",
        "title: A generated scenario for benchmarks",
        "topic: complaint",
        "level: 2",
        "summary: Many states, many choices, loops.",
        "learner_role: Adviser",
        "customer: {name: Alex Doe, persona: Patient, mood: 50}",
        "vars: {asked: false, count: 0, name: Alex}",
        "start: s0",
        "rules:",
        "  - if: mood < 1 and vars.count > 1000",
        "    goto: s1",
        "states:",
    ]
    behaviours = [
        "acknowledge",
        "hear",
        "empathise",
        "apologise",
        "take_action",
        "confirm",
        "follow_up",
        "question",
    ]
    for i in range(n_states):
        lines.append(f"  s{i}:")
        if i % 50 == 49:
            lines.append("    end: resolved")
            lines.append(f'    say: "Thanks, that\'s state {i} done."')
            continue
        if i % 2:
            lines.append(
                f'    say: "Hello {{{{ vars.name }}}}, visit {{{{ visits.s{i} }}}} at turn {{{{ turn }}}}."'
            )
        else:
            lines.append(f'    say: ["Plain line {i} a.", "Plain line {i} b."]')
        lines.append("    choices:")
        for c in range(choices):
            target = (i + 1) if c == 0 else rng.randrange(n_states)
            target = min(target, n_states - 1)
            lines.append(
                f'      - text: "Option {c} in state {i}{" for {{ customer.name }}" if (i + c) % 2 else ""}"'
            )
            lines.append(f"        goto: s{target}")
            lines.append(f"        shows: [{behaviours[(i + c) % len(behaviours)]}]")
            lines.append(f"        mood: {rng.choice([-5, 0, 5])}")
            if c == 1:
                lines.append("        set: {asked: true}")
            if c == 2:
                lines.append("        if: not vars.asked or mood > 20")
            lines.append(
                f'        feedback: "Feedback {c}{" at mood {{ mood }}" if i % 2 else ""}"'
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(big_scenario(int(sys.argv[1]) if len(sys.argv) > 1 else 2000))
