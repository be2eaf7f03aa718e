"""Typed replies, matched offline: a learner types what they would say and it is matched to the
options on offer now.

Application layer: no Textual, no Rich. The pieces, bottom up:
  clean      typed input is untrusted — length cap, control characters out, plain text
  charsim    character n-gram TF-IDF (robust to misspellings)
  embedder   the word-embedding model (wordllama's packaged 256-d weights), loaded lazily
  rude       a rude / blaming / dismissive line detector, so such lines are never rewarded
  policy     accept / confirm / reject: the threshold, margin and floor, in one place
  matcher    per-scenario index of option phrases (text + examples) and the ranking
  replies    a session's typed turn: interpret a line, take it, record what was typed
  lint       confusable examples (leave-one-out) for `countertalk lint`
"""
