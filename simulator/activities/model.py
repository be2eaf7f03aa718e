"""An activity as immutable data, built only from a file the linter passed.

Every text is passed through the plain-text rule (engine/text.py) when built, so nothing in a
file can drive a terminal; front ends still show it as text, never as markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.engine.text import plain

from .format import DEFAULT_PASS


@dataclass(frozen=True)
class Item:
    """One card, option, pair or step. `answer` is what is right for it: the card's group id, the
    option's True/False, the pair's right-hand side, or the step's position (0-based)."""

    text: str
    answer: object
    why: str = ""


@dataclass(frozen=True)
class Group:
    id: str
    label: str


@dataclass(frozen=True)
class Activity:
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
    positions: dict = field(default_factory=dict, compare=False, repr=False)


def _t(value) -> str:
    return plain(" ".join(str(value).split())) if value is not None else ""


def _block(value) -> str:
    """Keep paragraph breaks of intro/case text, fold the rest."""
    text = str(value or "").strip()
    # `>` folds a paragraph's lines and leaves one newline per blank line; `|` keeps every line
    # break, so there only blank lines separate paragraphs.
    paras = [" ".join(p.split()) for p in text.split("\n\n" if "\n\n" in text else "\n")]
    return plain("\n\n".join(p for p in paras if p))


def build(data: dict, *, source: str = "", content_hash: str = "", positions=None) -> Activity:
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
