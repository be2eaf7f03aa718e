"""One renderer for every debrief a person reads: the learner's (app, plain mode, `countertalk
score`) and the class notes (classroom). Jinja2 templates in `scoring/templates/`, one
environment per output format, and one escaper per format:

- every value first goes through the engine's one plain-text rule (`simulator.engine.text.plain`:
  terminal controls out);
- HTML autoescapes everything (MarkupSafe), so scenario text is never markup;
- Markdown backslash-escapes every character Markdown would act on (the ``md`` filter);
- text is shown as it is.

The templates are ours (not a scenario's), so this is a plain Jinja2 environment; scenario text
only ever reaches them as values.
"""

from __future__ import annotations

from typing import Any

from simulator.engine.text import plain

FORMATS = ("text", "md", "html")
_MD_SPECIAL = frozenset("\\`*_[]<>#|!~")
_ENVS: dict[str, Any] = {}


def md_escape(value: object) -> str:
    """Text as literal Markdown on one line: every character Markdown would act on escaped."""
    if value is None:
        return ""
    text = plain(str(value)).replace("\n", " ")
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in text)


def _finalize(value: object) -> object:
    """The one plain-text rule on every printed value before escaping (a Markup value stays
    Markup, so what our templates built is not escaped twice)."""
    if not isinstance(value, str):
        return value
    cleaned = plain(value)
    if cleaned == value:
        return value
    from markupsafe import Markup

    return Markup(cleaned) if isinstance(value, Markup) else cleaned


def environment(fmt: str) -> Any:
    """The Jinja2 environment for one output format (built once per process)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use text, md or html")
    env = _ENVS.get(fmt)
    if env is None:
        from jinja2 import Environment, PackageLoader, StrictUndefined

        env = Environment(
            loader=PackageLoader("scoring", "templates"),
            autoescape=(fmt == "html"),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            finalize=_finalize,  # every {{ value }} through the plain-text rule, whatever the field
            extensions=["jinja2.ext.i18n"],
        )
        # The templates' own words through the gettext catalogue, in the language of whoever
        # reads this debrief (looked up at render time: a web server renders many languages).
        from simulator.engine.i18n import gettext, ngettext

        install = env.install_gettext_callables  # type: ignore[attr-defined]  # added by the extension
        install(gettext, ngettext, newstyle=True)
        from simulator.engine.i18n import current

        env.globals["ui_lang"] = current  # the page's lang attribute
        env.filters["md"] = md_escape
        env.filters["plain"] = lambda v: "" if v is None else plain(str(v))
        env.filters["turn"] = lambda t: "—" if t is None else f"turn {t}"
        _ENVS[fmt] = env
    return env


def render(template: str, fmt: str, **context: Any) -> str:
    """Render ``template`` (a file in scoring/templates/) for ``fmt`` with ``context``."""
    return plain(str(environment(fmt).get_template(template).render(**context)))
