"""Names fixed by the scenario format, version 1 (no imports: lint and --help stay cheap)."""

OUTCOMES = ("resolved", "escalated", "unresolved", "lost")
TOPICS = (
    "complaint",
    "refund-dispute",
    "data-request",
    "escalation",
    "equality",
    "internal-customer",
    "service-recovery",
)
# The acts in scoring/laws.yaml (lint reads that file for them and their fact ids; a test keeps
# this list equal to it).
LAW_IDS = (
    "consumer_rights_act_2015",
    "consumer_contracts_regulations_2013",
    "data_protection_act_2018",
    "equality_act_2010",
    "complaint_handling",
    "regulated_complaints",
    "energy_telecoms_complaints",
    "direct_debit_guarantee",
    "ofcom_automatic_compensation",
)
DEFAULT_MODELS = ("heat", "service_cycle", "escalation", "law")
# How an attempt is played, as the results store records it: a conversation in practice,
# assessment or a classroom; an activity (a knowledge check) on its own or in a classroom.
# Defined once: the store checks it, the attempt service and the exercise service read it.
CONVERSATION_MODES = ("practice", "assess", "classroom")
MODES = (*CONVERSATION_MODES, "activity")
# The largest scenario file read: a 2,000-state scenario is ~1 MB; real ones are ~20 KB.
MAX_BYTES = 4 * 1024 * 1024
