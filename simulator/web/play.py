"""The web front end's work: sign a browser in, list the pack, start, carry on and answer an
exercise, and say where it stands — as plain data the JSON API sends and the pages draw.

Everything here blocks (the store, the scenario file, the typed-reply model), so the aiohttp
handlers run it in a thread pool. Nothing a learner did is kept here between requests: each
call rebuilds the exercise from the results store (``ExerciseService.resume``), which is what
lets any process carry on any attempt.

An attempt is recorded from its first answer (the service's policy), so a just-started
exercise has no row yet. Its reference is then ``new.MODE.SEED.EXERCISE``: the same seed gives
the same exercise in any process, and the first answer turns it into the saved attempt's number.

Rebuilding costs tens of milliseconds of one core (the file's checked form decoded, the session
built, the answers replayed), so a process keeps the exercises it rebuilt in a small cache
(:class:`Rebuilt`) — but trusts one only while the store still says exactly what it said when
the exercise was put there (the same choices saved at the same times, not finished or abandoned
since). The store stays the truth: an attempt another process carried on is rebuilt from it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from simulator.attempt import AttemptProblem
from simulator.engine.i18n import N_
from simulator.exercise.kinds import ExerciseProblem
from simulator.exercise.recording import STORE_FAILURES
from simulator.exercise.service import ExerciseService
from simulator.exercise.views import (
    Confirm,
    Ended,
    Event,
    NeedsConfirm,
    NotUnderstood,
    Pick,
    PickMany,
    Say,
    Score,
    TurnView,
)
from simulator.serving.server import token_hash
from simulator.webguard import clean_name, reclaim_digest

if TYPE_CHECKING:
    from simulator.activities.progress import Entry
    from simulator.exercise.kinds import Exercise
    from simulator.store import AttemptRecord, Store

API_MODES = ("practice", "assess")
TEXT_MAX = 500  # characters in a typed reply
TOKEN_MAX = 200
# Why a one-time code did not move a name to this browser (store/signin.py's answers).
RECLAIM_REFUSED = {  # (N_: for the catalogue; WebProblem says them in the learner's language)
    "wrong": N_("That code is not the one your tutor gave for '{name}'. Check it and try again."),
    "void": N_(
        "That code no longer works: it was typed wrongly too many times. Ask your tutor "
        "for a new one."
    ),
    "used": N_("That code has already been used. Ask your tutor for a new one."),
    "expired": N_("That code has expired. Ask your tutor for a new one."),
    "none": N_(
        "There is no code waiting for '{name}'. Check the name is typed as before, or ask "
        "your tutor for a code."
    ),
}
_NEW = re.compile(r"new\.(practice|assess)\.(\d{1,12})\.([A-Za-z0-9][A-Za-z0-9_.-]{0,99})")


class WebProblem(Exception):
    """What to tell the browser: an HTTP status and one clear sentence (never a traceback).

    The sentence is English with `{name}` slots filled from ``values``; `said()` gives it in the
    request's language (the catalogue's translation of the English, then the slots filled), so
    a problem raised on a worker thread, where the request's language is not known, is still
    answered in it by the guard (scripts/i18n_catalogue.py extracts WebProblem's sentence)."""

    def __init__(self, status: int, message: str, **values: object) -> None:
        english = message.format(**values) if values else message
        super().__init__(english)
        self.status = status
        self.message = english
        self.template = message
        self.values = values

    def said(self) -> str:
        """The sentence in the current language."""
        from simulator.engine.i18n import gettext

        text = gettext(self.template)
        return text.format(**self.values) if self.values else text


@dataclass(frozen=True)
class Ref:
    """Which attempt a request is about: a saved one (``saved``) or one not yet answered."""

    saved: int | None = None
    exercise: str = ""
    mode: str = "practice"
    seed: int = 0

    @property
    def text(self) -> str:
        if self.saved is not None:
            return str(self.saved)
        return f"new.{self.mode}.{self.seed}.{self.exercise}"

    @classmethod
    def parse(cls, text: str) -> Ref:
        if text.isdigit() and len(text) <= 12:
            return cls(saved=int(text))
        m = _NEW.fullmatch(text)
        if m is None:
            raise WebProblem(404, "there is no such attempt")
        return cls(exercise=m.group(3), mode=m.group(1), seed=int(m.group(2)))


@dataclass(frozen=True)
class Outcome:
    """What a request came to: the attempt's reference, its view, and (at the end) the score."""

    ref: Ref
    view: TurnView
    status: str = "taken"  # "taken" | "confirm" | "not_understood"
    score: Score | None = None


Signature = tuple[object, ...]


def signature(record: AttemptRecord) -> Signature:
    """What the store says of an attempt, as far as rebuilding it goes."""
    return (
        record.scenario_hash,
        tuple(record.choices),
        tuple(record.choice_times),
        record.finished_at,
        record.abandoned_at,
    )


class Rebuilt:
    """Exercises this process rebuilt, by attempt number, each with the store's signature when
    it was kept. ``take`` gives one only when the signature still matches (and removes it, so
    two threads never share an exercise); least recently used ones are dropped beyond ``size``."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._kept: OrderedDict[int, tuple[Signature, Exercise]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def take(self, attempt: int, sig: Signature) -> Exercise | None:
        with self._lock:
            found = self._kept.pop(attempt, None)
            if found is not None and found[0] == sig:
                self.hits += 1
                return found[1]
            self.misses += 1
            return None

    def keep(self, attempt: int, sig: Signature, ex: Exercise) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._kept[attempt] = (sig, ex)
            self._kept.move_to_end(attempt)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)

    def __len__(self) -> int:
        return len(self._kept)


def csrf_token(token: str) -> str:
    """The form token of a browser: derived from its (HttpOnly) cookie token, so any process
    can check it and another site, which cannot read the cookie, cannot make it."""
    return hashlib.sha256(b"countertalk-csrf:" + token.encode("utf-8")).hexdigest()[:32]


def csrf_ok(token: str, sent: str) -> bool:
    return bool(token) and hmac.compare_digest(csrf_token(token), sent)


class Play:
    """The blocking operations of the web front end, shared by every request of a process.

    ``service`` is the one exercise service (its store opened once; threads share it).
    ``class_code``: learners must type it to sign in (None: no code)."""

    def __init__(
        self,
        service: ExerciseService,
        *,
        pack: str | Path | None = None,
        class_code: str | None = None,
        cache: int = 500,
    ) -> None:
        self.service = service
        self.rebuilt = Rebuilt(cache)
        # Just started, not yet answered (nothing in the store to check them against): used
        # once, by the learner's first answer; rebuilt from the seed when not here.
        self._fresh: OrderedDict[tuple[str, str], Exercise] = OrderedDict()
        self._fresh_lock = threading.Lock()
        # id(exercise) -> what the store said of it when this request opened it (see done())
        self._signatures: dict[int, tuple[Signature, int]] = {}
        self.pack = pack
        self.class_code = class_code
        self._entries: dict[str, Entry] | None = None
        self._rescore: Any = None
        # Called (in the worker thread) with (learner, outcome) when an answer ends an attempt.
        self.on_ended: list[Callable[[str, Outcome], None]] = []

    # -- the store ------------------------------------------------------------------------------
    @property
    def store(self) -> Store:
        store = self.service.store
        if store is None:
            raise WebProblem(503, self.service.store_problem or "the results store cannot be used")
        return store

    def warm(self) -> None:
        """What every process needs once: the store, the pack's list, the typed-reply model."""
        from simulator.matching.embedder import warm_up

        _ = self.store
        self.entries()
        try:
            warm_up()
        except Exception:  # noqa: BLE001 - typed replies then load on first use (or say why)
            pass

    # -- signing in (serve's rules: a name per browser, a cookie token stored hashed) ---------
    def signin(
        self, typed: str, code: str, token: str | None, reclaim: str = ""
    ) -> tuple[str, str]:
        """(learner, token): ``typed`` claimed for the browser holding ``token`` (a new token
        when it has none). Refused when the name is taken by another browser or the class code
        is wrong. With ``reclaim`` (the one-time code a tutor printed with `countertalk
        learners reclaim NAME`), a name held by another browser moves to this one."""
        if self.class_code and not hmac.compare_digest(
            code.strip().encode("utf-8"), self.class_code.encode("utf-8")
        ):
            raise WebProblem(403, "That class code is not right; ask your tutor.")
        name = clean_name(typed[:200])
        if name is None:
            raise WebProblem(
                400,
                "Type your name: 1 to 40 letters, digits, spaces, dots, dashes or apostrophes.",
            )
        if not token or len(token) > TOKEN_MAX:
            token = secrets.token_urlsafe(32)
        if reclaim.strip():
            self._reclaim(name, reclaim, token)
        elif not self.store.claim_learner(name, token_hash(token), self.class_code):
            raise WebProblem(
                409,
                "The name '{name}' is already in use on another browser. If it is yours, ask "
                "your tutor for a one-time code and type it with your name; otherwise add your "
                "surname or a number.",
                name=name,
            )
        return name, token

    def _reclaim(self, name: str, typed_code: str, token: str) -> None:
        """Move ``name`` to this browser with the tutor's one-time code, or say why not."""
        digest = reclaim_digest(typed_code)
        if digest is None:
            raise WebProblem(
                400,
                "That is not a code from your tutor: it has 8 letters and digits, like KD7M-3QXA.",
            )
        status = self.store.reclaim_learner(name, digest, token_hash(token))
        if status != "ok":
            raise WebProblem(403, RECLAIM_REFUSED[status], name=name)

    def learner_for(self, token: str) -> str | None:
        if not token or len(token) > TOKEN_MAX:
            return None
        return self.store.learner_for_token(token_hash(token))

    # -- the pack -------------------------------------------------------------------------------
    def entries(self) -> dict[str, Entry]:
        """The pack's conversations and activities by id (read once per process)."""
        if self._entries is None:
            from simulator.activities.progress import pack_entries

            found, _problems = pack_entries(self.pack)
            self._entries = {e.id: e for e in found}
        return self._entries

    def exercises(self) -> list[dict[str, Any]]:
        return [
            {"id": e.id, "title": e.title, "kind": e.kind, "topic": e.topic, "level": e.level}
            for e in self.entries().values()
        ]

    def entry(self, exercise: str) -> Entry:
        """Only the pack's own ids: a path typed into a request never opens a file."""
        found = self.entries().get(exercise)
        if found is None:
            raise WebProblem(404, "there is no exercise called '{exercise}'", exercise=exercise)
        return found

    # -- attempts -------------------------------------------------------------------------------
    def start(self, learner: str, exercise: str, mode: str, seed: int | None) -> Outcome:
        """A new attempt (nothing is recorded until its first answer)."""
        from simulator.attempt import new_seed

        if mode not in API_MODES:
            raise WebProblem(400, "mode is 'practice' or 'assess'")
        entry = self.entry(exercise)
        if seed is None:
            seed = new_seed()
        if not 0 <= seed < 10**12:
            raise WebProblem(400, "seed is a whole number from 0 to 999999999999")
        ref = Ref(exercise=entry.id, mode=mode, seed=seed)
        ex = self._open_new(learner, ref)
        outcome = Outcome(ref, self.service.view(ex))
        self.done(ex, learner, ref)
        return outcome

    def _open_new(self, learner: str, ref: Ref) -> Exercise:
        with self._fresh_lock:
            kept = self._fresh.pop((learner, ref.text), None)
            if kept is not None:
                self._signatures.pop(id(kept), None)  # nothing read: done() reads
        if kept is not None:
            return kept
        entry = self.entry(ref.exercise)
        try:
            ex = self.service.load(entry.path, learner=learner, mode=ref.mode, seed=ref.seed)
        except ExerciseProblem as exc:
            raise WebProblem(503, f"{exc}") from None
        self.service.begin(ex)
        with self._fresh_lock:
            self._signatures.pop(id(ex), None)  # a dead exercise's, if its id is reused
        return ex

    def open(self, learner: str, ref: Ref) -> Exercise:
        """The learner's exercise, rebuilt: from the store (a saved attempt) or from its seed.
        Give it back with :meth:`done` when the request is over."""
        if ref.saved is None:
            return self._open_new(learner, ref)
        try:  # one read (one round trip on PostgreSQL) whether or not it is rebuilt
            record, records = self.store.attempt_and_records(ref.saved)
        except KeyError:
            raise WebProblem(404, "there is no such attempt") from None
        if record.learner != learner:  # someone else's: said as if it did not exist
            raise WebProblem(404, "there is no such attempt")
        sig = signature(record)
        ex = self.rebuilt.take(ref.saved, sig)
        if ex is None:
            try:
                ex = self.service.resume(ref.saved, stored=(record, records))
            except ExerciseProblem as exc:
                raise WebProblem(409, f"{exc}") from None
        self._known(ex, sig)
        return ex

    def _known(self, ex: Exercise, sig: Signature) -> None:
        """What the store said of ``ex``'s attempt when this request read it, and how many
        writes the exercise had made by then (see :meth:`done`)."""
        with self._fresh_lock:
            if len(self._signatures) > 10_000:  # requests that failed between open and done
                self._signatures.clear()
            self._signatures[id(ex)] = (sig, len(ex.recording.writes))

    def _signature_now(self, ex: Exercise) -> Signature | None:
        """The store's signature of ``ex``'s attempt after this request, worked out from the
        one read at the start and the writes since, without reading again: None when it cannot
        be (not read at the start, or anything but answers saved, such as an ending)."""
        with self._fresh_lock:
            known = self._signatures.pop(id(ex), None)
        if known is None:
            return None
        (h, saved, saved_at, finished, abandoned), before = known
        choices, times = (
            list(cast("tuple[str, ...]", saved)),
            list(cast("tuple[float, ...]", saved_at)),
        )
        for write in ex.recording.writes[before:]:
            if write[0] != "choice" or write[1] != len(choices) + 1:
                return None
            choices.append(write[2])
            times.append(write[3])
        return (h, tuple(choices), tuple(times), finished, abandoned)

    def done(self, ex: Exercise, learner: str, ref: Ref) -> None:
        """Keep a rebuilt exercise for the next request, with what the store says of it now."""
        rec = ex.recording
        store, attempt = rec.store, rec.attempt_id
        if self.rebuilt.size <= 0:
            with self._fresh_lock:
                self._signatures.pop(id(ex), None)
            return
        if attempt is None and ref.saved is None and not ex.ended:
            with self._fresh_lock:
                self._fresh[(learner, ref.text)] = ex
                while len(self._fresh) > self.rebuilt.size:
                    self._fresh.popitem(last=False)
            return
        if store is None or attempt is None:
            return
        sig = self._signature_now(ex)
        if sig is None:  # read what the store says now
            try:
                sig = signature(store.attempt(attempt))
            except KeyError:
                return
            except STORE_FAILURES:
                return
        self.rebuilt.keep(attempt, sig, ex)

    def state(self, learner: str, ref: Ref) -> Outcome:
        ex = self.open(learner, ref)
        view = self.service.view(ex)
        outcome = Outcome(ref, view, score=self.service.score(ex) if view.ended else None)
        self.done(ex, learner, ref)
        return outcome

    def debrief(self, learner: str, ref: Ref, fmt: str) -> str:
        ex = self.open(learner, ref)
        if not ex.ended:
            raise WebProblem(409, "this attempt has not finished yet")
        try:
            body = self.service.debrief(ex, fmt).body
        except (ExerciseProblem, AttemptProblem) as exc:
            raise WebProblem(409, f"{exc}") from None
        self.done(ex, learner, ref)
        return body

    def reply(
        self,
        learner: str,
        ref: Ref,
        *,
        option: int | None = None,
        options: tuple[int, ...] | None = None,
        text: str | None = None,
        confirm: bool | None = None,
        turn: int | None = None,
    ) -> Outcome:
        """One answer: an option, several (an activity's "spot"), or typed words; with
        ``confirm`` the answer to "Did you mean …?" about ``text`` (``option`` None: no)."""
        ex = self.open(learner, ref)
        view = self.service.view(ex)
        if view.ended:
            raise WebProblem(409, "this attempt has finished; start a new one")
        if turn is not None and turn != view.number:
            raise WebProblem(
                409,
                "that answer was for turn {turn}, but the attempt is at turn {number}",
                turn=turn,
                number=view.number,
            )
        if text is not None and len(text) > TEXT_MAX:
            raise WebProblem(400, "a typed reply is at most {n} characters", n=TEXT_MAX)
        try:
            if confirm is not None:
                if text is None:
                    raise WebProblem(400, "'confirm' goes with the 'text' it is about")
                event = self._confirm(ex, text, option if confirm else None)
            elif options is not None:
                event = self.service.answer(ex, PickMany(options))
            elif option is not None:
                event = self.service.answer(ex, Pick(option))
            elif text is not None:
                event = self.service.answer(ex, Say(text))
            else:
                raise WebProblem(400, "send 'option' (a number) or 'text' (your words)")
        except (ExerciseProblem, AttemptProblem, ValueError) as exc:
            raise WebProblem(400, f"{exc}") from None
        self.done(ex, learner, ref)
        outcome = self._outcome(ex, ref, event)
        if outcome.score is not None:
            for hook in self.on_ended:  # e.g. the score queued for the VLE (simulator/web/lti.py)
                hook(learner, outcome)
        return outcome

    def _confirm(self, ex: Exercise, text: str, option: int | None) -> Event:
        """Ask again in this process (the same words give the same suggestion), then take the
        learner's answer to it: the suggestion's own score is recorded, and an option that was
        not suggested is refused."""
        asked = self.service.answer(ex, Say(text))
        if not isinstance(asked, NeedsConfirm):
            if option is None:
                raise WebProblem(409, "there is nothing to confirm for those words any more")
            return asked  # the words are understood now: taken as they are
        if option is not None and asked.view.suggestion is not None:
            if option not in {o.number for o in asked.view.suggestion.options}:
                raise WebProblem(
                    400, "option {option} was not one of the suggestions", option=option
                )
        return self.service.answer(ex, Confirm(option))

    def _outcome(self, ex: Exercise, ref: Ref, event: Event) -> Outcome:
        view = event.view
        if ref.saved is None and view.attempt_id is not None:
            ref = Ref(saved=view.attempt_id)
        if isinstance(event, NeedsConfirm):
            return Outcome(ref, view, "confirm")
        if isinstance(event, NotUnderstood):
            return Outcome(ref, view, "not_understood")
        score = event.score if isinstance(event, Ended) else None
        return Outcome(ref, view, "taken", score)

    def retry(self, learner: str, ref: Ref, turn: int) -> Outcome:
        """Practice: answer again from ``turn`` (the answers before it are kept)."""
        ex = self.open(learner, ref)
        if ex.mode != "practice":
            raise WebProblem(409, "only practice attempts can be retried from a turn")
        try:
            view = self.service.retry_from(ex, turn)
        except (ExerciseProblem, AttemptProblem, ValueError) as exc:
            raise WebProblem(400, f"{exc}") from None
        self.done(ex, learner, ref)
        return Outcome(ref, view)

    def abandon(self, learner: str, ref: Ref) -> None:
        if ref.saved is not None:
            self.service.abandon(self.open(learner, ref))

    # -- what the learner has done --------------------------------------------------------------
    def unfinished(self, learner: str) -> list[dict[str, Any]]:
        """The learner's attempts to carry on, newest first."""
        entries = self.entries()
        out = []
        for a in self.store.unfinished(learner=learner):
            if a.mode not in API_MODES or a.scenario_id not in entries:
                continue
            out.append(
                {
                    "attempt": str(a.id),
                    "exercise": a.scenario_id,
                    "title": entries[a.scenario_id].title,
                    "mode": a.mode,
                    "turns": len(a.choices),
                }
            )
        return out

    def progress(self, learner: str) -> dict[str, Any]:
        """The learner's progress map (the one `countertalk progress` draws)."""
        from simulator.activities.progress import progress_map, rescorer

        if self._rescore is None:
            self._rescore = rescorer(self.pack)
        attempts = [a for a in self.store.attempts(learner=learner) if a.mode != "classroom"]
        return progress_map(attempts, list(self.entries().values()), self._rescore)


# -- the JSON shapes (docs/web.md) -------------------------------------------------------------
def turn_json(view: TurnView) -> dict[str, Any]:
    """A turn as the API sends it: what is asked, the options, and (practice) feedback and
    mood. Scenario text is sent as text; the page inserts it as text."""
    out: dict[str, Any] = {
        "number": view.number,
        "customer": view.customer,
        "line": view.line,
        # key: what the learner presses or sees for it ("1"; an activity's "a")
        "options": [{"number": o.number, "text": o.text, "key": o.key} for o in view.options],
        "kind": view.kind,
        "title": view.title,
        "mode": view.mode,
    }
    practice = view.mode != "assess"
    if view.total is not None:
        out["total"] = view.total
    if view.multi:
        out["multi"] = True
    if view.note:
        out["note"] = view.note
    if view.feedback and practice:
        out["feedback"] = view.feedback
    if view.correct is not None and practice:
        out["correct"] = view.correct
    if view.mood is not None and practice and view.kind == "conversation":
        out["mood"] = view.mood
        if view.mood_change:
            out["mood_change"] = view.mood_change
    if view.last is not None and practice:  # the answer just taken, as the page repeats it
        last: dict[str, Any] = {"number": view.last.number, "text": view.last.text}
        if view.last.typed:
            last["typed"] = view.last.typed
        if view.last.came_across:
            last["came_across"] = view.last.came_across
        out["last"] = last
        if view.diverted:
            out["diverted"] = True
    if view.reaction:
        out["reaction"] = view.reaction
    if view.suggestion is not None:
        s = view.suggestion
        out["suggestion"] = {
            "said": s.said,
            "options": [{"number": o.number, "text": o.text} for o in s.options],
        }
    if view.store_problem:
        out["store_problem"] = view.store_problem
    return out


def score_json(score: Score | None) -> dict[str, Any] | None:
    if score is None:
        return None
    out: dict[str, Any] = {"grade": score.grade, "percent": score.percent, "passed": score.passed}
    if score.reason:
        out["reason"] = score.reason
    if score.points is not None:
        out["points"], out["out_of"] = score.points, score.out_of
    if score.problem:
        out["problem"] = score.problem
    return out


def outcome_json(o: Outcome, *, with_status: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"attempt": o.ref.text}
    if with_status:
        out["status"] = o.status
    out["turn"] = turn_json(o.view)
    out["ended"] = o.view.ended
    if o.view.ended:
        out["debrief"] = {"score": score_json(o.score), "outcome": o.view.outcome}
    return out


def localised_entry(entry: Entry) -> Entry:
    """A pack entry with its title in the current language (the string table's `title`; the
    pack's list is read once per process, in English)."""
    from dataclasses import replace

    from simulator.engine.i18n import current
    from simulator.engine.strings import translated_title

    title = translated_title(entry.path, current())
    return replace(entry, title=title) if title else entry
