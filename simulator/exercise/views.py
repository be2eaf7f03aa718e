"""What a front end sees of an exercise: immutable, typed read models (msgspec, frozen).

A front end draws these and nothing else — no session, no scenario object, no ``dict[str, Any]``
— so the TUI, plain mode and a web page cannot read different things, and a web page can send
them to a browser as they are (``msgspec.json.encode(view)``).

The answers a front end sends (:class:`Pick`, :class:`PickMany`, :class:`Say`,
:class:`Confirm`) and the events the service emits (:class:`Opened`, :class:`Stepped`,
:class:`NeedsConfirm`, :class:`Ended`) live here too, for the same reason.
"""

from __future__ import annotations

from collections.abc import Mapping

from msgspec import Struct, convert, field

CONVERSATION, ACTIVITY = "conversation", "activity"


class OptionView(Struct, frozen=True):
    """One option on offer. ``number`` is what a front end sends back (1-based); ``key`` is what
    the learner presses or types for it ("1" in a conversation, "a" in an activity)."""

    number: int
    text: str
    key: str


class SuggestionView(Struct, frozen=True):
    """ "Did you mean …?" about a typed line: the options it might mean, best first."""

    said: str  # what the learner typed (cleaned)
    options: tuple[OptionView, ...]
    scores: tuple[float | None, ...] = ()  # per option, the matcher's similarity


class ExerciseInfo(Struct, frozen=True, kw_only=True):
    """What does not change while an exercise is played: for a header, a card, a title bar."""

    kind: str  # "conversation" | "activity"
    exercise_id: str
    title: str
    learner: str
    mode: str
    seed: int
    summary: str = ""
    role: str = ""  # who the learner plays (a conversation's learner_role)
    customer: str = ""
    persona: str | None = None
    colleague: bool = False  # the "customer" is a colleague (an internal customer)
    activity_kind: str | None = None  # sort | spot | match | order
    intro: str = ""  # an activity's introduction
    case: str = ""  # a spot activity's case
    level: int | None = None
    minutes: int | None = None
    marking_points: tuple[str, ...] = ()  # an activity's, as the course words them
    # every choice has typed `examples:` (a conversation written for recall: assessment mode
    # then plays it typed, brief fact 34; simulator/matching/recall.py)
    written_for_recall: bool = False
    # The language the exercise is shown in ("en", "cy"): its text came from that language's
    # string table (English where the table has no translation).
    lang: str = "en"


class AnswerView(Struct, frozen=True, kw_only=True):
    """The answer just taken: the option it came to and, when typed, how it was understood."""

    number: int  # the option's number when it was offered
    text: str
    typed: str | None = None  # the learner's own words
    via: str | None = None  # "match" | "rude" for a typed line; None when picked
    confirmed: bool = False  # taken after "Did you mean …?"
    came_across: str | None = None  # a rude line: how it came across ("dismissive")


class TurnView(Struct, frozen=True, kw_only=True):
    """Where an exercise stands now: what is being asked and what can be answered.

    For a conversation ``line`` is what the customer says and ``customer`` who says it; for an
    activity ``line`` is the question and ``customer`` is empty. ``feedback`` (and ``correct``,
    for an activity) is about the answer just given; assessment mode keeps it for the debrief.
    ``reaction`` is the customer's reply to a typed line that was not understood.
    """

    kind: str  # "conversation" | "activity"
    exercise_id: str
    title: str
    mode: str  # "practice" | "assess" | "classroom" | "activity"
    attempt_id: int | None  # None until the first answer is saved (or when not saving)
    number: int  # the turn (conversation) or question (activity) being asked, from 1
    total: int | None = None  # an activity's number of questions
    customer: str = ""
    line: str = ""
    note: str | None = None
    intro: str = ""  # an activity's introduction and case, or the scenario's summary
    options: tuple[OptionView, ...] = ()
    multi: bool = False  # pick every option that applies (an activity's "spot")
    feedback: str | None = None
    correct: bool | None = None
    mood: int | None = None  # the customer's mood, 0..100
    mood_before: int | None = None  # before the last answer
    mood_change: str | None = None  # "calmer", "more upset" … after the last answer
    diverted: bool = (
        False  # the last answer was diverted by a rule ("the conversation took a turn")
    )
    reaction: str | None = None
    last: AnswerView | None = None  # the answer just taken
    suggestion: SuggestionView | None = None
    ended: bool = False
    outcome: str | None = None  # the ending's outcome; an activity's "completed"
    saving: bool = False  # the attempt is being recorded
    store_problem: str | None = None  # a store failure to say once: "Not saved: …"


class ChatLine(Struct, frozen=True, kw_only=True):
    """One line of a conversation as a chat shows it, in order: who said what, and what came of
    it. The service keeps them as the conversation is played (replays included: a resumed,
    undone or reloaded conversation shows its whole history again), so a front end draws them
    and builds nothing itself.

    ``kind``: ``customer``, ``note`` (a stage direction), ``learner``, ``feedback`` (practice
    only), ``mood`` (practice only: "more upset — now annoyed"), ``system`` or ``ending``.
    """

    kind: str
    text: str
    turn: int | None = None  # the turn a learner's line, or its feedback, belongs to
    mood: int | None = None  # a customer's line: the mood it was said in
    before: int | None = None  # a mood line: the mood before the answer
    after: int | None = None  # … and after it
    typed: str | None = None  # a learner's typed words (the line is the option they came to)
    confirmed: bool = False  # … taken after "Did you mean …?"
    missed: bool = False  # a typed line that was not taken (not understood, or declined)
    reaction: bool = False  # the customer's reply to a line not understood
    debrief: str | None = None  # an ending's own debrief line


class Replayed(Struct, frozen=True, kw_only=True):
    """How replaying saved answers went (a resume, a reload of a changed file): ``kept`` of
    ``wanted`` fitted; ``misfit`` says why the first that did not fit did not."""

    kept: int
    wanted: int
    misfit: str | None = None

    @property
    def complete(self) -> bool:
        return self.kept == self.wanted


class TranscriptTurn(Struct, frozen=True, kw_only=True):
    number: int
    prompt: str  # what the customer said, or the question
    said: str  # the option the learner's answer came to
    choice: str  # its id (a conversation) or the letters given (an activity)
    typed: str | None = None  # the learner's own words, when typed
    confirmed: bool | None = None  # a typed line confirmed with "Did you mean …?"
    feedback: str | None = None
    mood: int | None = None
    correct: bool | None = None


class Transcript(Struct, frozen=True, kw_only=True):
    kind: str
    exercise_id: str
    title: str
    learner: str
    mode: str
    seed: int
    turns: tuple[TranscriptTurn, ...]
    ended: bool
    outcome: str | None = None
    ending_line: str | None = None
    final_mood: int | None = None


class MarkingPoint(Struct, frozen=True):
    id: str
    text: str
    status: str  # "met" | "missed" | "not_assessed"


class Score(Struct, frozen=True, kw_only=True):
    """How the attempt did. ``problem`` says why there is no grade (the scorer failed)."""

    grade: str | None
    percent: int | None
    passed: bool
    pass_percent: int | None = None  # an activity's pass mark
    points: int | None = None  # an activity's right answers
    out_of: int | None = None
    reason: str | None = None  # why this grade, in the standards' words
    mistakes: tuple[str, ...] = ()
    marking_points: tuple[MarkingPoint, ...] = ()
    problem: str | None = None


DEBRIEF_FORMATS = ("text", "md", "html")


class Debrief(Struct, frozen=True, kw_only=True):
    """The debrief, ready to show: a score and the debrief in one format (``text``, ``md`` or
    ``html``; HTML is escaped, so learners' and tutors' words never become markup)."""

    score: Score
    format: str
    body: str
    review: tuple[str, ...] = ()  # an activity's items answered wrongly, with what was right


class AttemptSummary(Struct, frozen=True, kw_only=True):
    """A saved attempt, as offered for resuming."""

    attempt_id: int
    exercise_id: str
    learner: str
    mode: str
    turns: int  # answers saved so far
    changed: bool  # the file has changed since the attempt began
    finished: bool


# -- what a front end sends -----------------------------------------------------------------------
class Pick(Struct, frozen=True, tag=True):
    """Pick the option with this number."""

    number: int


class PickMany(Struct, frozen=True, tag=True):
    """Pick every option that applies (an activity's "spot"); may be empty."""

    numbers: tuple[int, ...]


class Say(Struct, frozen=True, tag=True):
    """A typed line (a bare number in it still picks that option)."""

    text: str


class Confirm(Struct, frozen=True, tag=True):
    """The answer to "Did you mean …?": ``number`` is the option's number (as in
    :class:`OptionView`), or None for "no". ``said`` and ``score`` repeat the suggestion, so a
    process that did not ask (a web worker resuming from the store) can still take it."""

    number: int | None
    said: str = ""
    score: float | None = None


Answer = Pick | PickMany | Say | Confirm


# -- what the service emits -----------------------------------------------------------------------
class Opened(Struct, frozen=True, tag=True):
    view: TurnView


class Stepped(Struct, frozen=True, tag=True):
    view: TurnView


class NeedsConfirm(Struct, frozen=True, tag=True):
    view: TurnView  # its ``suggestion`` says what to ask about


class NotUnderstood(Struct, frozen=True, tag=True):
    view: TurnView  # its ``reaction`` is what the customer says; nothing was taken
    said: str  # the typed line, cleaned ("" for an empty line: no reaction then)
    # a rude line no option fits: how it came across ("rude", "dismissive"); it still cost the
    # customer's goodwill and is on the record as a mistake (matching/replies.count_rude_line)
    came_across: str | None = None


class Ended(Struct, frozen=True, tag=True):
    view: TurnView
    score: Score | None


Event = Opened | Stepped | NeedsConfirm | NotUnderstood | Ended


# -- the debrief, as a screen draws it in sections ------------------------------------------------
# The scorer's debrief view model (scoring.debrief.build) read into typed, frozen structs by
# :func:`debrief_view`: a front end reads attributes it can trust, never a ``dict[str, Any]``.
# Only what a screen draws is here; the rest of the scorer's model stays behind the boundary.
# Numbers keep the type the scorer gave them (an int stays an int), so "83%" never turns into
# "83.0%".
Number = int | float


class DebriefScenario(Struct, frozen=True, kw_only=True):
    id: str = ""
    title: str | None = None
    customer: str | None = "Customer"  # who the learner spoke to, for "Priya Shah: …"


class Thresholds(Struct, frozen=True, kw_only=True):
    pass_: Number | None = field(default=None, name="pass")
    distinction: Number | None = None


class Practise(Struct, frozen=True, kw_only=True):
    """The one thing to practise next."""

    title: str | None = ""
    text: str | None = ""
    why: str | None = ""


class BetterChoice(Struct, frozen=True, kw_only=True):
    """An option on offer at a mistaken turn that makes no mistake and can reach more."""

    text: str | None = ""
    percent: Number | None = None
    grade: str | None = None


class DebriefMistake(Struct, frozen=True, kw_only=True):
    turn: int | None = None
    label: str | None = ""
    said: str | None = None
    explanation: str | None = None
    advice: str | None = None
    better: BetterChoice | None = None


class ModelStep(Struct, frozen=True, kw_only=True):
    """A step of a model (HEAT, LAST …): shown at ``turn``, or not shown (None)."""

    behaviour: str = ""
    label: str | None = ""
    description: str | None = None
    turn: int | None = None
    # the course's name of another behaviour that showed this step first (an apology
    # acknowledges), quoted; None when the step's own behaviour did (review 25aq class 1)
    by: str | None = None


class DebriefModel(Struct, frozen=True, kw_only=True):
    """How one communication model was shown, as a timeline."""

    id: str = ""
    name: str | None = None
    summary: str | None = None
    percent: Number | None = 0
    steps: tuple[ModelStep, ...] = ()
    in_order: bool | None = True
    order_note: str | None = None


class EscalationTurn(Struct, frozen=True, kw_only=True):
    turn: int | None = None
    role: str | None = ""
    said: str | None = ""


class DebriefEscalation(Struct, frozen=True, kw_only=True):
    applied: bool = False
    verdict_label: str | None = ""
    note: str | None = ""
    reason: str | None = None
    escalations: tuple[EscalationTurn, ...] = ()
    premature: bool = False
    handover: bool = False


class LawLine(Struct, frozen=True, kw_only=True):
    act: str | None = ""
    rule: str | None = None
    turns: tuple[int, ...] = ()


class DebriefLaw(Struct, frozen=True, kw_only=True):
    applied: bool = False
    note: str | None = ""
    right: tuple[LawLine, ...] = ()
    wrong: tuple[LawLine, ...] = ()
    not_applied: tuple[LawLine, ...] = ()


class MoodPoint(Struct, frozen=True, kw_only=True):
    turn: int = 0
    mood: Number = 0
    word: str | None = ""


class DebriefMood(Struct, frozen=True, kw_only=True):
    start: Number | None = None
    start_word: str | None = ""
    end: Number | None = None
    end_word: str | None = ""
    change: str | None = None
    points: tuple[MoodPoint, ...] = ()


class MarkingLine(Struct, frozen=True, kw_only=True):
    label: str | None = ""
    level: str | None = None  # "pass" | "distinction"
    why: str | None = None  # a missed point: why


class DebriefMarking(Struct, frozen=True, kw_only=True):
    met: tuple[MarkingLine, ...] = ()
    missed: tuple[MarkingLine, ...] = ()
    not_assessed: tuple[MarkingLine, ...] = ()


class CourseLine(Struct, frozen=True, kw_only=True):
    text: str | None = ""
    element_title: str | None = ""
    # What "met" needs, in words (scoring/debrief.py `_course_needs`): every front end shows it
    # beside the point (issue 25: say on screen what "met" needs; the TUI lacked it, truth25g g).
    needs: str | None = ""


class CoursePoints(Struct, frozen=True, kw_only=True):
    met: tuple[CourseLine, ...] = ()
    missed: tuple[CourseLine, ...] = ()
    # "identifies the key laws" where the conversation offered a way to name the law and the
    # path took none: not yet shown, never missed (issue 25, review 25u F)
    not_yet: tuple[CourseLine, ...] = ()


class DebriefTurn(Struct, frozen=True, kw_only=True):
    """One turn of the conversation as the debrief shows it."""

    turn: int | None = None
    customer: str | None = ""
    said: str | None = ""
    typed: str | None = None  # the learner's own words, when typed
    confirmed: bool = False
    options_shown: bool = False
    rude_lines: tuple[str, ...] = ()
    feedback: str | None = None
    shows: tuple[str, ...] = ()
    mistakes: tuple[str, ...] = ()
    mood: Number | None = None
    mood_word: str | None = ""
    mood_change: str | None = ""


class MethodPart(Struct, frozen=True, kw_only=True):
    name: str | None = None
    percent: Number | None = None
    weight: Number | None = None
    # the percentage as the debrief words it ("not assessed here ..." for a neutral default)
    shown: str | None = None


class MethodCap(Struct, frozen=True, kw_only=True):
    grade: str | None = None
    reason: str | None = None
    turn: int | None = None
    rule: str | None = None
    # whether this cap holds the grade awarded; one that only stops a distinction, on a fail,
    # is said as such, never as "at most pass" (review 25f D21)
    binds: bool = True


class ScoreMethod(Struct, frozen=True, kw_only=True):
    """How the score is made: the parts, the sum and the caps."""

    parts: tuple[MethodPart, ...] = ()
    base: Number | None = None
    deductions: Number | None = None
    outcome_points: Number | None = None
    caps: tuple[MethodCap, ...] = ()
    lines: tuple[str, ...] = ()


class DebriefView(Struct, frozen=True, kw_only=True):
    """A conversation's debrief for a screen that draws it in sections (the app's debrief):
    the grade and why first, then what to practise, mistakes, models, escalation, law, mood,
    marking points and the conversation turn by turn."""

    scenario: DebriefScenario = field(default_factory=DebriefScenario)
    grade: str | None = None
    grade_label: str | None = None
    percent: Number | None = None
    thresholds: Thresholds = field(default_factory=Thresholds)
    grade_reason: str | None = None
    outcome_label: str | None = None
    lang: str = "en"  # the language the attempt was played in
    language: str | None = None  # … by name
    ending_line: str | None = None
    ending_debrief: str | None = None
    practise: Practise | None = None
    mistakes: tuple[DebriefMistake, ...] = ()
    models: tuple[DebriefModel, ...] = ()
    escalation: DebriefEscalation = field(default_factory=DebriefEscalation)
    law: DebriefLaw = field(default_factory=DebriefLaw)
    mood: DebriefMood | None = None
    marking_points: DebriefMarking = field(default_factory=DebriefMarking)
    course_points: CoursePoints = field(default_factory=CoursePoints)
    turns: tuple[DebriefTurn, ...] = ()
    options_needed: tuple[int, ...] = ()  # the turns where the options were shown (assessed)
    method: ScoreMethod | None = None


def debrief_view(data: Mapping[str, object]) -> DebriefView:
    """The scorer's debrief view model read into :class:`DebriefView` (keys it does not draw
    are left behind; an empty section is None, as the screen leaves it out)."""
    clean = {k: v for k, v in data.items() if not (k in _SECTIONS and not v)}
    return convert(clean, DebriefView)


_SECTIONS = ("practise", "mood", "method")
