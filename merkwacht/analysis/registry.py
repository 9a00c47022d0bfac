"""The rule registry: every rule, built-in or added, registers through :func:`rule`.

A post-level rule is a pure function ``(post: Post, ctx: RuleContext) -> list[Hit]``. It
touches no database, network or clock: everything it needs arrives in the arguments.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from merkwacht.core.post import Approval, Post


@dataclass(frozen=True, slots=True)
class Hit:
    """What a rule found in one post: where (a span of ``post.text``), how sure, and why, in Dutch and English.

    ``start``/``end`` index into the post's text (``text[start:end] == evidence``); both are
    ``None`` when the finding is about the absence of something in the whole post.
    """

    evidence: str
    start: int | None
    end: int | None
    score: float
    explanation_nl: str
    explanation_en: str
    severity: str = "medium"
    clause: str | None = None  # a specific clause id; default: the rule's first clause in the pack
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RuleContext:
    """Everything a rule may use besides the post: the pack's settings for this rule, approvals, and 'now'."""

    settings: dict[str, Any]
    approvals: tuple[Approval, ...] = ()
    now: datetime | None = None
    lang: str | None = None  # the post's language, detected when the post has none


RuleFunc = Callable[[Post, RuleContext], list[Hit]]


@dataclass(frozen=True, slots=True)
class RuleSpec:
    id: str
    version: str
    clauses: tuple[str, ...]  # clause *kinds* this rule serves (e.g. "accuracy"); packs map them to clause ids
    func: RuleFunc
    level: str = "post"  # post | account | thread
    doc: str = ""
    #: A pydantic model that validates this rule's settings in a policy pack (None: no settings).
    settings_model: type[BaseModel] | None = None
    #: The post fields a post-level rule reads ("text", "in_reply_to.text", ...), or ``None`` when not
    #: declared. With them declared, the engine remembers the rule's answer within a run and reuses it for
    #: a post that agrees on all of them (reposts, template replies); see ``engine.PostAnalyser``.
    reads: tuple[str, ...] | None = None


_RULES: dict[str, RuleSpec] = {}


def rule(
    *,
    id: str,
    version: str,
    serves: Iterable[str],
    level: str = "post",
    settings: type[BaseModel] | None = None,
    reads: Iterable[str] | None = None,
) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule function under ``id``. Re-registering an id replaces it (for tests and plug-ins).

    ``serves`` names the clause kinds the rule enforces; ``settings`` is the pydantic model that
    validates the rule's settings block in a policy pack. ``reads`` lists every post field a
    post-level rule looks at (dotted for a nested field: ``in_reply_to.text``); a rule that declares
    it promises that its answer depends on those fields, its settings and the run's context only.
    """

    def decorate(func: RuleFunc) -> RuleFunc:
        _RULES[id] = RuleSpec(
            id=id,
            version=version,
            clauses=tuple(serves),
            func=func,
            level=level,
            doc=(func.__doc__ or "").strip(),
            settings_model=settings,
            reads=tuple(reads) if reads is not None else None,
        )
        return func

    return decorate


def get_rule(rule_id: str) -> RuleSpec:
    load_builtin_rules()
    try:
        return _RULES[rule_id]
    except KeyError:
        raise KeyError(f"unknown rule {rule_id!r}; known rules: {', '.join(sorted(_RULES))}") from None


def all_rules() -> dict[str, RuleSpec]:
    load_builtin_rules()
    return dict(_RULES)


_loaded = False


def load_builtin_rules() -> None:
    """Import the built-in rule modules, which register themselves through :func:`rule`."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    import importlib
    import pkgutil

    from . import rules as package

    for info in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{info.name}")
