"""The starter scenario `countertalk new` writes, and where its editor schema line points.

The starter is a small but complete story that uses every feature of the format once, each with
a comment, and passes `countertalk lint --strict` (a test proves it for every topic and level).
It is kept here as text, not built from data, because the comments are the point.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

SCHEMA_FILENAME = "scenario.schema.json"

STARTER = r"""# yaml-language-server: $schema=@@SCHEMA@@
#
# A starter scenario written by `countertalk new`. It uses every feature of the format once, with
# a comment saying what each does: keep what you need, delete the rest, and change the story.
#
# Work on it like this:
#   check it (every problem, as file:line:column):  countertalk lint --strict @@FILE@@
#   try it as plain text (or, without --plain, in the app):  countertalk play @@FILE@@ --plain
#   draw a map of it (Mermaid; or --format dot/svg):  countertalk graph @@FILE@@ -o @@ID@@.mmd
#   see its endings, best and worst paths:  countertalk paths @@FILE@@
# @@SCHEMA_HINT@@
# Text in say, note, text, feedback and debrief can use {{ vars.NAME }}, {{ mood }}, {{ turn }},
# {{ customer.name }} and {{ visits.STATE }}; conditions (if:) use the same names.
#
# A scenario this short can be passed by guessing: a learner choosing at random reaches a
# distinction about 4% of the time (countertalk paths @@FILE@@ --strategies gives the exact
# odds). lint --strict warns above 1% (CT605). Once you have added the decisive states of your
# own story, delete the next line and check again.
# countertalk: ignore CT605

format: 1                       # format version; 1 is the only one so far
# id: unique in its pack; lowercase letters, digits and '-'.
id: @@ID@@
title: @@TITLE@@
# topic: complaint, refund-dispute, data-request, escalation, equality, internal-customer or
# service-recovery.
topic: @@TOPIC@@
level: @@LEVEL@@                        # qualification level: 2 or 3
summary: >
  A customer brings back a hairdryer that stopped working three weeks after she bought it.
learner_role: Customer service adviser at an electrical shop
version: "0.1"                  # your own label; results are also stamped with a hash of the file
# shuffle: show each state's options in an order fixed by the attempt's seed, so the best answer
# is not always first. Choice ids (and so transcripts and scores) are unaffected.
shuffle: true

customer:
  name: Dana Okafor
  persona: Friendly, but this is her second trip to the shop today   # shown on the customer card
  mood: 45                      # 0 (furious) .. 100 (delighted); choices move it
  internal: false               # true when the "customer" is a colleague

# Variables and their starting values (text, numbers, true/false). Choices change them with set:.
vars:
  days_since_purchase: 20
  offered_repair: false

# What correct escalation means here (the escalation model scores it). A refund this size is
# within an adviser's authority, so escalating is scored as unnecessary.
escalation:
  required: false
  to: [supervisor]              # roles it would be right to escalate to, when required
  reason: A refund for a faulty item under £50 is within an adviser's authority.

models: [heat, service_cycle, escalation, law]   # scoring models to apply (default: all)

# Optional: this scenario's own grade thresholds and model weights.
# scoring:
#   pass: 50
#   distinction: 80
#   weights: {heat: 2, law: 1}

start: opening                  # the first state

# Rules are checked after every choice, in order; the first whose condition is true sends the
# conversation to its goto instead of the choice's.
rules:
  - if: mood < 10
    goto: walks_out

states:
  opening:
    # A list of lines: one is picked at random (the same --seed always picks the same one).
    say:
      - "Hi. This hairdryer's stopped working, and I only bought it {{ vars.days_since_purchase }} days ago."
      - "I've had this hairdryer {{ vars.days_since_purchase }} days and it's already dead."
    note: She puts the box on the counter and glances at her watch.   # narration, not speech
    # Options are shown in an order fixed by the attempt's seed (shuffle: true above). Write
    # wrong options as carefully as the right one: if the best is always the longest, a learner
    # can pass by picking the longest (lint --strict says so).
    choices:
      - text: "I'm sorry about that, {{ customer.name }}. What happens when you switch it on?"
        goto: fault_explained
        shows: [acknowledge, apologise, hear]     # behaviours (see scoring/catalogue.yaml)
        mood: +10               # change to the customer's mood; it stays within 0..100
        feedback: You apologised and asked her to explain before deciding anything.
      - text: "Have you dropped it at all? They don't usually go this quickly unless they've been knocked about, so I need to know that before I can do anything."
        goto: fault_explained
        mistakes: [blaming_customer]              # mistakes (see scoring/catalogue.yaml)
        mood: -15
        feedback: Suggesting she broke it puts her on the defensive before you know the facts.
      - text: "I'll fetch my supervisor."
        goto: supervisor_called
        escalate: supervisor    # the role this choice escalates to
        mistakes: [premature_escalation]
        feedback: This was within your authority, and you had not listened to her yet.

  fault_explained:
    say: "It cuts out after a few seconds, every time.{% if mood < 40 %} And no, I didn't drop it.{% endif %}"
    choices:
      # law: marks a choice as applying a law correctly (right) or misstating it (wrong).
      # The fact it rests on — Consumer Rights Act 2015, short-term right to reject: for 30 days
      # after getting faulty goods the customer may reject them for a full refund, and need not
      # accept a repair first.
      - text: "That's a fault, and you're well within 30 days, so you're entitled to a full refund."
        goto: refund_agreed
        shows: [empathise, explain_rights, take_action]
        law: {consumer_rights_act_2015: right}
        mood: +25
        feedback: You named her right to reject and acted on it straight away.
      - text: "We can send it away for repair. Our repair centre usually has them back within a fortnight, and that's our policy for anything under warranty."
        if: not vars.offered_repair   # offered only while this condition is true
        goto: repair_pushed
        set: {offered_repair: true}   # variables to change
        law: {consumer_rights_act_2015: wrong}
        mistakes: [misstates_law]
        mood: -20
        feedback: Within 30 days she does not have to accept a repair; a refund is her right.
      # A law mark can name one rule of an act (ACT.FACT; the facts are in scoring/laws.yaml):
      # the debrief then quotes that rule, not the whole Act.
      - text: "That does sound like a fault. The manufacturer handles anything under warranty, so I'll give you their number and they'll sort it out with you."
        goto: left_unresolved
        law: {consumer_rights_act_2015.retailer_liable: wrong}
        mistakes: [misstates_law, no_ownership]
        mood: -15
        feedback: Her contract is with the shop, so the claim is against you, not the manufacturer.

  repair_pushed:
    # visits.STATE counts how often a state has been entered (this one included).
    say: "{% if visits.repair_pushed > 1 %}You keep saying that. {% endif %}I don't want it repaired. I want my money back."
    choices:
      - text: "You're right to ask. Let me check what you're entitled to."
        goto: fault_explained
        shows: [hear]
        mood: +5
        feedback: Stepping back to check her rights recovers the conversation.
      - text: "It's a repair or nothing, I'm afraid."
        goto: repair_pushed
        law: {consumer_rights_act_2015: wrong}
        mistakes: [misstates_law, no_ownership]
        mood: -20
        feedback: Repeating a wrong policy makes her angrier; the rule above ends it below mood 10.
      - text: "I'll log it and someone will ring you."
        goto: left_unresolved
        mistakes: [vague_referral]
        mood: -10
        feedback: Nobody named, no timescale; she leaves without an answer.

  refund_agreed:
    say: "Good. So what happens now?"
    choices:
      - text: "I'll refund the card you paid with now; it usually shows within 5 working days. Thanks for bringing it back — is there anything else?"
        goto: refunded
        shows: [confirm, follow_up, thank]
        mood: +10
        feedback: You said what happens next and when, and checked she had everything she needed.
      - text: "I can give you a credit note."
        goto: left_unresolved
        law: {consumer_rights_act_2015: wrong}
        mistakes: [misstates_law]
        mood: -15
        feedback: A rejected item is refunded in money, by the way she paid, not with a credit note.
      - text: "I'll start the refund now. It can take up to 30 days to come through, and I'll email you when it's done — is that all right?"
        goto: refunded
        law: {consumer_rights_act_2015.refund_timing: wrong}
        mistakes: [misstates_law]
        mood: -5
        feedback: The refund is due within 14 days of agreeing it, not 30.

  # Endings: end: is the outcome (resolved, escalated, unresolved or lost). No choices.
  refunded:
    end: resolved
    say: "Great, thanks for sorting it so quickly."
    debrief: "She used her short-term right to reject: a full refund, no repair first. You settled it in {{ turn }} turns."
  supervisor_called:
    end: escalated
    say: "Fine. I'll wait, I suppose."
    debrief: A supervisor was not needed; this refund was within your own authority.
  left_unresolved:
    end: unresolved
    say: "So I came back for nothing."
    debrief: Her right to a refund was never met.
  walks_out:
    end: lost
    say: "Forget it. I'll take this up with head office."
    debrief: Her mood fell below 10, so the rule at the top of the file ended the conversation.
"""


def slugify(name: str) -> str:
    """A scenario id from a name: lowercase letters, digits and '-' ("My Toaster!" -> "my-toaster")."""
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def title_from(name: str, slug: str) -> str:
    """The name as given when it reads like a title, else the id made readable."""
    if name.strip() and name.strip() != slug:
        return " ".join(name.split())
    return slug.replace("-", " ").capitalize()


def find_schema(directory: Path) -> Path | None:
    """The nearest scenario schema for files in `directory`: DIR/scenario.schema.json or
    DIR/docs/scenario.schema.json in DIR or any folder above it (the repo's docs/ copy)."""
    here = directory.resolve()
    for folder in (here, *here.parents):
        for candidate in (folder / SCHEMA_FILENAME, folder / "docs" / SCHEMA_FILENAME):
            if candidate.is_file():
                return candidate
    return None


def schema_reference(directory: Path, schema: Path) -> str:
    """The modeline value: a relative path with forward slashes (what editors resolve)."""
    try:
        rel = os.path.relpath(schema.resolve(), directory.resolve())
    except ValueError:  # another drive on Windows
        return schema.resolve().as_uri()
    return rel.replace(os.sep, "/")


def render(
    *,
    scenario_id: str,
    title: str,
    topic: str,
    level: int,
    schema_ref: str,
    schema_found: bool,
    file_hint: str,
) -> str:
    if schema_found:
        hint = (
            "Your editor checks this file as you type through the $schema line above "
            "(VS Code: the YAML extension)."
        )
    else:
        hint = (
            f"For checking as you type (VS Code: the YAML extension), create the schema the "
            f"first line names:\n#   countertalk schema -o {schema_ref}"
        )
    values = {
        "@@SCHEMA@@": schema_ref,
        "@@SCHEMA_HINT@@": hint,
        "@@FILE@@": file_hint,
        "@@ID@@": scenario_id,
        "@@TITLE@@": json.dumps(title, ensure_ascii=False),
        "@@TOPIC@@": json.dumps(topic, ensure_ascii=False)
        if not re.fullmatch(r"[a-z-]+", topic)
        else topic,
        "@@LEVEL@@": str(level),
    }
    return re.sub("|".join(map(re.escape, values)), lambda m: values[m.group(0)], STARTER)
