"""An activity as immutable data, built only from a file the linter passed.

Every text is passed through the plain-text rule (engine/text.py) when built, so nothing in a
file can drive a terminal; front ends still show it as text, never as markup. Frozen msgspec
Structs, as the scenario model is (engine/model.py): typed, immutable, and encodable as they are.
"""

from __future__ import annotations

from typing import Any

from msgspec import Struct, field

from simulator.engine.text import plain

from .format import DEFAULT_PASS


class Item(Struct, frozen=True):
    """One card, option, pair or step. `answer` is what is right for it: the card's group id, the
    option's True/False, the pair's right-hand side, or the step's position (0-based)."""

    text: str
    answer: str | bool | int
    why: str = ""


class Group(Struct, frozen=True):
    id: str
    label: str


class Activity(Struct, frozen=True, kw_only=True):
    id: str
    title: str
    kind: str  # sort | spot | match | order
    topic: str
    level: int
    intro: str
    marking_points: tuple[str, ...]
    items: tuple[Item, ...]
    groups: tuple[Group, ...] = ()  # sort only
    case: str = ""  # spot only
    summary: str = ""
    minutes: int = 5
    pass_percent: int = DEFAULT_PASS
    source: str = ""
    content_hash: str = ""
    # YAML path -> (line, column) of its key or value, for messages (not part of the content:
    # content_hash says whether two activities are the same)
    positions: dict[tuple[str | int, ...], tuple[int, int]] = field(default_factory=dict)


def _t(value: object) -> str:
    return plain(" ".join(str(value).split())) if value is not None else ""


def _block(value: object) -> str:
    """Keep paragraph breaks of intro/case text, fold the rest."""
    text = str(value or "").strip()
    # `>` folds a paragraph's lines and leaves one newline per blank line; `|` keeps every line
    # break, so there only blank lines separate paragraphs.
    paras = [" ".join(p.split()) for p in text.split("\n\n" if "\n\n" in text else "\n")]
    return plain("\n\n".join(p for p in paras if p))


def build(
    data: dict[str, Any],
    *,
    source: str = "",
    content_hash: str = "",
    positions: dict[tuple[str | int, ...], tuple[int, int]] | None = None,
) -> Activity:
    kind = data["kind"]
    groups: tuple[Group, ...] = ()
    if kind == "sort":
        groups = tuple(Group(str(g["id"]), _t(g["label"])) for g in data["groups"])
        items = tuple(Item(_t(c["text"]), str(c["group"]), _t(c.get("why"))) for c in data["cards"])
    elif kind == "spot":
        items = tuple(
            Item(_t(o["text"]), bool(o["correct"]), _t(o.get("why"))) for o in data["options"]
        )
    elif kind == "match":
        items = tuple(Item(_t(p["left"]), _t(p["right"]), _t(p.get("why"))) for p in data["pairs"])
    else:
        items = tuple(Item(_t(s["text"]), n, _t(s.get("why"))) for n, s in enumerate(data["steps"]))
    return Activity(
        id=data["id"],
        title=_t(data["title"]),
        kind=kind,
        topic=data["topic"],
        level=int(data["level"]),
        intro=_block(data["intro"]),
        marking_points=tuple(data["marking_points"]),
        items=items,
        groups=groups,
        case=_block(data.get("case")),
        summary=_t(data.get("summary")),
        minutes=int(data.get("minutes") or 5),
        pass_percent=int(data.get("pass") or DEFAULT_PASS),
        source=source,
        content_hash=content_hash,
        positions=dict(positions or {}),
    )


def localised(activity: Activity, lang: str) -> Activity:
    """The activity in a language, from the string table beside its file (engine/strings.py):
    every string the table translates replaced, the rest left in English. A match pair's right
    side is also its answer, so both change together and marking still compares like with like."""
    from msgspec.structs import replace

    from simulator.engine.strings import activity_table

    table = activity_table(activity.source, lang)
    values = table.translations() if table is not None else {}
    if not values:
        return activity

    def pick(sid: str, english: str, block: bool = False) -> str:
        e = values.get(sid)
        if e is None or not e.text:
            return english
        return _block(e.text) if block else _t(e.text)

    key = {"sort": "cards", "spot": "options", "match": "pairs", "order": "steps"}[activity.kind]
    items = []
    for n, it in enumerate(activity.items, start=1):
        first = "left" if activity.kind == "match" else "text"
        answer = it.answer
        if activity.kind == "match":
            answer = pick(f"{key}.{n}.right", str(it.answer))
        items.append(
            replace(
                it,
                text=pick(f"{key}.{n}.{first}", it.text),
                answer=answer,
                why=pick(f"{key}.{n}.why", it.why),
            )
        )
    return replace(
        activity,
        title=pick("title", activity.title),
        summary=pick("summary", activity.summary),
        intro=pick("intro", activity.intro, block=True),
        case=pick("case", activity.case, block=True),
        groups=tuple(
            replace(g, label=pick(f"groups.{g.id}.label", g.label)) for g in activity.groups
        ),
        items=tuple(items),
    )
