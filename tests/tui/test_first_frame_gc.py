"""The launcher keeps Python's cyclic collector paused from the imports until the app's first
frame is drawn, then the app turns it back on: no collection runs on the way to the first
playable frame, and none is lost for the rest of the session."""

from __future__ import annotations

import argparse
import gc

from conftest import KETTLE, PACK, chat_lines, settle


async def test_the_collector_is_paused_until_the_first_frame_then_resumed(home):
    from simulator.tui.launch import _built_without_gc_pauses

    assert gc.isenabled()
    args = argparse.Namespace(learner="sam", pack=str(PACK), seed=3)
    try:
        app = _built_without_gc_pauses(args, KETTLE)
        assert not gc.isenabled()  # still paused (no collection can run): Textual starts next
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert gc.isenabled()  # resumed once the first frame was drawn
            await settle(pilot, lambda: any("kettle" in ln.lower() for ln in chat_lines(app)), 30)
    finally:
        gc.unfreeze()
        gc.enable()
    assert gc.isenabled()


async def test_an_app_built_directly_leaves_the_collector_alone(home):
    """Tests and other front ends build the app themselves: it never touches the collector."""
    from simulator.tui.launch import build_app

    app = build_app(argparse.Namespace(learner="sam", pack=str(PACK), seed=3), KETTLE)
    assert app.resume_gc_after_first_frame is False
    gc.disable()
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert not gc.isenabled()
    finally:
        gc.enable()
