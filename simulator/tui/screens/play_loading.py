"""The play screen's loading: the scenario checked in a thread (the first frame is the playable
one when that is quick), the attempt begun as the options ask (:func:`..play_flow.begin`), and
the results store opened after the first playable frame. Workers report with messages
(:mod:`..messages`), never with flags."""

from __future__ import annotations

from concurrent.futures import Future
from typing import TYPE_CHECKING

from textual import work

from simulator.engine.i18n import gettext as tr

from .. import play_flow
from ..controller import Play, PlayProblem
from ..messages import ScenarioLoaded, StoreReady
from ..text import plain
from ..widgets.chat import ChatView
from ..widgets.customer_card import CustomerCard
from .play_base import Loaded, PlayBase

if TYPE_CHECKING:
    from simulator.exercise.views import AttemptSummary
    from simulator.store import AttemptRecord


class PlayLoading(PlayBase):
    def start(self) -> None:
        """Load in a thread (YAML, lint, Jinja2 and the state machine are the slow part), so the
        first frame is drawn at once; then begin on the UI thread. The app may call this before
        the screen is mounted, so that the loading overlaps building the screen."""
        self._loading = Future()
        self._load_worker(self._loading)

    @work(thread=True, exclusive=True, group="load")
    def _load_worker(self, loading: Future[Loaded]) -> None:
        from .. import preload

        app = self.app
        opts = app.options
        service = app.exercises
        store_first = self._store_first()
        if store_first:
            app.prepare_store()
        play: Play | None = None
        problem = None
        try:
            # the scenario the app began checking at start-up, when ready and unchanged
            checked = preload.take(self.path)
            ex = service.load(
                self.path,
                learner=app.learner,
                mode="assess" if opts.assess else "practice",
                seed=opts.seed,
                checked=checked,
                record_later=not store_first,
            )
            play = Play(service, ex)
        except PlayProblem as exc:
            problem = exc
        remembered = None
        if opts.reply_mode is None:  # the remembered setting (read here, off the first frame)
            from ..settings import reply_mode

            remembered = reply_mode(opts.store_path)
        if play is not None:
            self.flow.typing = play_flow.plays_typed(
                play, given=opts.reply_mode, remembered=remembered
            )
            self._resume_offer = None
            if play_flow.offers_resume(
                typing=self.flow.typing,
                saving=not opts.no_save,
                resume=opts.resume,
                from_picker=self.from_picker,
                chosen=self.resume_attempt is not None or self.abandon_attempt is not None,
            ):
                app.prepare_store()  # the unfinished attempt is looked up in the store
                found = service.unfinished(play.ex)
                # the same mode only: an assessment is not carried on as practice
                if found is not None and found.turns and found.mode == play.mode:
                    self._resume_offer = found
        loading.set_result((play, problem))
        self.post_message(ScenarioLoaded(play, problem))

    def on_scenario_loaded(self, message: ScenarioLoaded) -> None:
        if self._built:  # else on_mount takes it
            self._loaded(message.play, message.problem)

    def _loaded(self, play: Play | None, problem: PlayProblem | None) -> None:
        if self._loading is None or not self._loading.done():
            return  # shown already (on_mount took it, or a newer load replaced it)
        self._loading = None
        app = self.app
        if self._store_first():
            app.get_store()  # a store that cannot be used is said now
        self._store_attached = self._store_first()
        self.play = play
        self.query_one("#chat", ChatView).clear()
        if problem is not None or play is None:
            self.load_failed(problem or PlayProblem("the scenario could not be loaded"))
            return
        self.watcher.remember()
        self._show_scenario()
        offer, self._resume_offer = self._resume_offer, None
        if offer is not None:
            self._offer_resume(play, offer)
            return
        self._begin(play, self.resume_attempt, self.abandon_attempt)

    def _offer_resume(self, play: Play, offer: AttemptSummary) -> None:
        """Typed play with an unfinished attempt: Resume, or a New attempt (the old one is
        kept, no longer offered); Esc starts a new one and leaves the old one as it was."""
        from .dialogs import ResumeDialog

        def chosen(answer: str | None) -> None:
            if answer == "resume":
                self._begin(play, offer.attempt_id, None)
            elif answer == "new":
                self._begin(play, None, offer.attempt_id)
            else:
                self._begin(play, None, None)

        self.app.push_screen(ResumeDialog(play.info.title, offer.turns), chosen)

    def _begin(
        self,
        play: Play,
        resume_attempt: AttemptRecord | int | None,
        abandon_attempt: AttemptRecord | int | None,
    ) -> None:
        app = self.app
        try:
            begun = play_flow.begin(
                play,
                resume_attempt=resume_attempt,
                abandon_attempt=abandon_attempt,
                resume=app.options.resume,
            )
        except PlayProblem as exc:
            self.runtime_failed(exc)
            return
        self.ready = True
        # a resume keeps its own mode
        self.sub_title = tr("assessment") if play.assess else tr("practice")
        if begun.how == "misfit" and begun.report is not None:
            self.show_session()
            self.ask_misfit(begun.report)
            return
        turns = play.turns
        if begun.how == "nothing_to_resume":
            self.notice = (
                "Nothing to resume: you have no unfinished attempt at this scenario, so this "
                "is a new one.",
                turns,
            )
        elif begun.how == "resumed" and begun.report is not None:
            self.notice = (f"Welcome back: resumed at turn {begun.report.kept + 1}.", turns)
        self._report_store()
        self.show_session()
        self.start_watching()
        if not self._store_attached:
            self.call_after_refresh(self._store_worker)
        if self.typing:
            self._warm_up()

    def _show_scenario(self) -> None:
        info = self._active().info
        self._set_title(plain(info.title))
        self.query_one("#chat", ChatView).customer_name = info.customer
        self.query_one(CustomerCard).show_customer(info.customer, info.persona, info.colleague)

    def _store_first(self) -> bool:
        return play_flow.store_first(
            resume_attempt=self.resume_attempt,
            abandon_attempt=self.abandon_attempt,
            resume=self.app.options.resume,
        )

    @work(thread=True, exclusive=True, group="store")
    def _store_worker(self) -> None:
        self.app.prepare_store()
        self.post_message(StoreReady())

    def on_store_ready(self, _message: StoreReady) -> None:
        self._attach_store()

    def _attach_store(self) -> None:
        """Give the attempt its store (once); a store that cannot be used is said now."""
        if self._store_attached or self.play is None:
            return
        self._store_attached = True
        self.app.prepare_store()  # at once if a choice comes before the thread has opened it
        self.app.get_store()  # a store that cannot be used is said now
        self.play.attach_store()
        self._report_store()
