"""The template fast path (`{{ vars.NAME }}` and the like filled in without Jinja2) gives exactly
what the sandboxed Jinja2 environment gives — the same text, or an error where Jinja2 errs —
for generated texts and values, tricky ones included (braces, newlines, a dict's own method
names, missing names, values that are not text or numbers)."""

from __future__ import annotations

from types import MappingProxyType

from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.engine import templating

NAMES = ["days", "name", "items", "keys", "get", "missing", "x_1", "Total"]
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(alphabet="ab {}%#\n\r\t£é", max_size=12),
    st.lists(st.integers(0, 9), max_size=3),
    st.dictionaries(st.sampled_from(["a", "b"]), st.integers(0, 9), max_size=2),
)
LITERAL = st.text(alphabet="Hi, £12 ok.\n\r\t{}%#-", max_size=8)
SPACE = st.sampled_from(["", " ", "  ", "\t"])


@st.composite
def placeholder(draw):
    inner = draw(
        st.one_of(
            st.builds(lambda n: f"vars.{n}", st.sampled_from(NAMES)),
            st.builds(lambda n: f"customer.{n}", st.sampled_from(["name", "persona", "age"])),
            st.builds(lambda n: f"visits.{n}", st.sampled_from(["opening", "items", "gone"])),
            st.sampled_from(["mood", "turn", "visits", "vars", "vars.days + 1", "vars['days']"]),
        )
    )
    return "{{" + draw(SPACE) + inner + draw(SPACE) + "}}"


TEXT = st.lists(st.one_of(LITERAL, placeholder()), min_size=1, max_size=6).map("".join)
CONTEXT = st.fixed_dictionaries(
    {
        "vars": st.dictionaries(st.sampled_from(NAMES), VALUES, max_size=6),
        "customer": st.fixed_dictionaries(
            {"name": st.text(alphabet="Priya {}", max_size=8), "persona": VALUES}
        ),
        "mood": st.integers(0, 100),
        "turn": st.integers(0, 50),
        # a dict when played; a read-only view of one when lint trial-renders
        "visits": st.sampled_from(
            [{"opening": 1, "items": 2}, MappingProxyType({"opening": 0, "items": 0})]
        ),
    }
)


def _outcome(source, context):
    try:
        return ("text", templating.render(source, context))
    except templating.RenderError:
        return ("error", None)  # the message may differ; that it fails may not


@settings(max_examples=600, deadline=None)
@given(TEXT, CONTEXT)
def test_the_fast_path_renders_as_jinja2_does(source, context):
    fast = _outcome(source, context)
    real_fast = templating._fast
    templating._fast = lambda s, c: None  # Jinja2 only
    try:
        jinja = _outcome(source, context)
    finally:
        templating._fast = real_fast
    assert fast == jinja, (source, context)


def test_the_fast_path_takes_the_common_lines():
    """It is used for what scenarios mostly write (else it would save nothing)."""
    ctx = {"vars": {"days": 12}, "customer": {"name": "Priya"}, "mood": 40, "turn": 1}
    assert templating._fast("Bought {{ vars.days }} days ago, {{customer.name}}.", ctx) == (
        "Bought 12 days ago, Priya."
    )
    assert templating._fast("{{ mood }} at turn {{ turn }}\n", ctx) == "40 at turn 1"
    assert templating._fast("{% if mood %}x{% endif %}", ctx) is None
    assert templating._fast("Visit {{ visits.opening }}", {"visits": {"opening": 2}}) == "Visit 2"
    assert templating._fast("{{ vars.missing }}", ctx) is None


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_lint_reads_the_same_names_without_parsing(source):
    """Lint takes a placeholder-only line's names from `placeholder_uses`, not Jinja2's parse:
    the two must agree on every name and line, or lint would miss or misplace a finding."""
    from jinja2 import TemplateSyntaxError

    from simulator.engine.sandbox import names_used, parse_template

    quick = templating.placeholder_uses(source)
    if quick is None:
        return
    try:
        tree = parse_template(source)
    except TemplateSyntaxError:
        raise AssertionError(f"placeholder-only text does not parse: {source!r}") from None
    assert sorted(quick) == sorted(names_used(tree)), source
