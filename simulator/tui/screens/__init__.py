"""The app's screens: picker, play, debrief, and small dialogs."""
