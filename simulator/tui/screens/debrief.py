"""(being written)"""
from textual.screen import Screen


class DebriefScreen(Screen):
    def __init__(self, play, *, from_picker=False):
        super().__init__()
        self.play = play
