"""Everything the end of a lesson needs, loaded before the lesson starts.

Why (issue 31, item 2): the scorer, the class notes' templates and the debrief were imported at
the last reveal. A room full of connections had used up the open files by then, the import
failed ("unexpected OSError", EMFILE) and the class's attempt was left with no debrief and no
notes. Importing and compiling them first costs a fraction of a second at start-up, when files
are plentiful; afterwards the end of the lesson opens no module or template file.
"""

from __future__ import annotations

from simulator.engine.model import Scenario


def prepare_lesson(scenario: Scenario) -> None:
    """Import the scorer, path analysis and debriefs and compile the templates they render."""
    import scoring.course  # noqa: F401 - the debrief's course points (imported lazily there)
    import scoring.debrief  # noqa: F401 - imported now, used at the end
    import scoring.paths  # noqa: F401
    import simulator.classroom.debrief  # noqa: F401
    from scoring import spec
    from scoring.catalogue import catalogue
    from scoring.render import environment
    from simulator.classroom import grading
    from simulator.engine import vocabulary

    catalogue()
    vocabulary.catalogue_data(), vocabulary.model_ids(), vocabulary.laws(), vocabulary.law_facts()
    spec.step_models(), spec.grading(), spec.laws(), spec.course_points()
    grading.score(scenario, {"format": 1, "scenario": scenario.id, "turns": []})
    grading.best_path(scenario)
    for fmt, names in {
        "text": ["debrief.txt.j2"],
        "md": ["debrief.md.j2", "class_notes.md.j2"],
        "html": ["debrief.html.j2", "class_notes.html.j2"],
    }.items():
        env = environment(fmt)
        for name in names:
            env.get_template(name)
