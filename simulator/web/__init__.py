"""`countertalk web`: the learner's conversations and activities as real, accessible HTML.

One asynchronous aiohttp process serves many learners. It is a front end over the exercise
service (:mod:`simulator.exercise`) and keeps nothing that matters in memory: every request
rebuilds the learner's exercise from the results store (``ExerciseService.resume``), so two
processes sharing one PostgreSQL database can serve the same learner alternately.

- :mod:`.play` — the blocking work (sign-in, the pack's list, start, resume, answer, debrief,
  progress), run in a thread pool; what the JSON API and the pages both call.
- :mod:`.app` — the aiohttp application: the guard (Host, Origin, CSRF, limits, the learner
  cap), the JSON API (``/api/...``) and the HTML pages.
- :mod:`.pages` — the server-rendered pages (Jinja2, autoescaped) and their static files.
"""
