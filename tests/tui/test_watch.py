"""`countertalk play FILE --watch`: a live preview that reloads on save and shows lint errors."""

from __future__ import annotations

import os

from conftest import chat_lines, make_app, settle

from simulator.tui.screens.play import PlayScreen
from simulator.tui.widgets.diagnostics_panel import DiagnosticsPanel


def save(path, text, bump=[0]):
    path.write_text(text)
    bump[0] += 1
    st = os.stat(path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + bump[0] * 1_000_000_000))


async def test_watch_reloads_keeps_what_fits_and_shows_errors(kettle_copy):
    app = make_app(kettle_copy, watch=True)
    app.watch_interval = 0.05
    original = kettle_copy.read_text()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot, lambda: getattr(app.screen, "ready", False))
        screen = app.screen
        await pilot.press("2")
        assert chat_lines(app)[-1] == "Priya Shah: It's here. Why does that matter?"

        # 1. A valid edit: the conversation is replayed and shows the new line.
        save(
            kettle_copy,
            original.replace("It's here. Why does that matter?", "Here it is. Why do you need it?"),
        )
        await settle(
            pilot, lambda: chat_lines(app)[-1] == "Priya Shah: Here it is. Why do you need it?"
        )
        assert "You: Have you got the receipt?" in chat_lines(app)
        assert screen.play.choices == ["opening.2"]

        # 2. A broken edit: the errors are listed with file:line:col; the session stays.
        save(kettle_copy, original.replace("goto: receipt_first\n", "goto: receipt_frist\n"))
        panel = screen.query_one(DiagnosticsPanel)
        await settle(pilot, lambda: panel.has_class("-visible"))
        assert any(
            line.startswith(f"{kettle_copy}:") and "receipt_frist" in line for line in panel.lines
        )
        assert chat_lines(app)[-1] == "Priya Shah: Here it is. Why do you need it?"
        assert app.is_running

        # 3. Fixed, but the choice taken is gone: the conversation restarts where it no
        #    longer fits, and says so.
        save(
            kettle_copy,
            original.replace(
                '      - text: "Have you got the receipt?"\n        goto: receipt_first\n',
                '      - text: "Can I see the receipt, please?"\n'
                "        id: ask_receipt\n"
                "        goto: receipt_first\n",
            ),
        )
        await settle(pilot, lambda: not panel.has_class("-visible"))
        await settle(pilot, lambda: len(chat_lines(app)) == 1)
        assert screen.play.choices == []
        assert any("kept 0 of 1" in n.message for n in app._notifications)
        options = [str(o.prompt) for o in screen.query_one("#choices").options]
        assert options[1] == "2  Can I see the receipt, please?"


async def test_watch_starts_on_a_broken_file_and_recovers(tmp_path):
    from conftest import KETTLE

    path = tmp_path / "draft.yaml"
    good = KETTLE.read_text()
    path.write_text(good.replace("start: opening", "start: openin"))
    app = make_app(path, watch=True)
    app.watch_interval = 0.05
    async with app.run_test(size=(100, 40)) as pilot:
        # The play screen follows the app's light first frame.
        await settle(pilot, lambda: isinstance(app.screen, PlayScreen))
        panel = app.screen.query_one(DiagnosticsPanel)
        await settle(pilot, lambda: panel.has_class("-visible"))
        assert any("openin" in line for line in panel.lines)
        save(path, good)
        await settle(pilot, lambda: getattr(app.screen, "ready", False))
        await settle(pilot, lambda: len(chat_lines(app)) == 1)
        assert not app.screen.query_one(DiagnosticsPanel).has_class("-visible")
        await pilot.press("1")
        assert chat_lines(app)[1].startswith("You: I'm sorry")


async def test_deleting_an_option_above_the_one_taken_keeps_the_learners_words(kettle_copy):
    """Issue 15 item 5: ids are STATE.N, so deleting option 1 renumbers option 2 as 'opening.1';
    replaying by id alone turned the learner's line into another option's words. Replay matches
    the words: the line stays what the learner said, and a line that no longer exists is named."""
    app = make_app(kettle_copy, watch=True)
    app.watch_interval = 0.05
    original = kettle_copy.read_text()
    first = original[original.index("      - text: \"I'm sorry it's let you down.") :]
    first = first[: first.index("      - text:", 10)]
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot, lambda: getattr(app.screen, "ready", False))
        screen = app.screen
        await pilot.press("2")  # "Have you got the receipt?" (opening.2)
        save(kettle_copy, original.replace(first, ""))  # option 1 deleted: it is now opening.1
        await settle(pilot, lambda: screen.play.choices == ["opening.1"])
        assert "You: Have you got the receipt?" in chat_lines(app)
        assert screen.query_one("CustomerCard").change == ""

        # The words themselves deleted: said plainly, and the conversation restarts there.
        gone = original.replace('"Have you got the receipt?"', '"Receipt, please."')
        save(kettle_copy, gone)
        await settle(pilot, lambda: screen.play.choices == [])
        notes = [n.message for n in app._notifications]
        assert any("no longer an option" in m and "Have you got the receipt?" in m for m in notes)
