"""Evaluation against labelled data: precision, recall and F1 per rule, in the process.

A labelled set is posts (interchange format), labels (``{"id": ..., "labels": [rules that must
fire], "ambiguous": [rules not scored on this post]}``) and the approvals register they are
checked against - the layout of ``../shared/data/brand``. This is the same count the shared
``score.py`` makes through the command line, usable from tests and notebooks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from merkwacht.core.post import Approval, Post

from .engine import analyse_posts
from .packs import Pack


@dataclass(frozen=True)
class Scores:
    rule: str
    scored: int
    positives: int
    true_positives: int
    false_positives: int
    false_negatives: int
    false_alarms: tuple[str, ...]
    misses: tuple[str, ...]

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.positives if self.positives else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def evaluate(
    posts: Iterable[Post],
    labels: Mapping[str, Mapping[str, list[str]]],
    *,
    pack: Pack,
    approvals: Iterable[Approval] = (),
    rules: Iterable[str] | None = None,
) -> dict[str, Scores]:
    """Scores per rule of ``pack`` on the labelled ``posts`` (post id -> ``{"labels", "ambiguous"}``)."""
    posts = list(posts)
    found: dict[str, set[str]] = {}
    for finding in analyse_posts(posts, pack=pack, approvals=approvals):
        found.setdefault(finding.post_id, set()).add(finding.rule)
    result = {}
    for rule in rules or pack.enabled_rules:
        tp = fp = fn = scored = positives = 0
        alarms, misses = [], []
        for post in posts:
            label = labels.get(post.id)
            if label is None or rule in label.get("ambiguous", ()):
                continue
            scored += 1
            want, got = rule in label.get("labels", ()), rule in found.get(post.id, set())
            positives += want
            tp += want and got
            if got and not want:
                fp += 1
                alarms.append(post.id)
            if want and not got:
                fn += 1
                misses.append(post.id)
        result[rule] = Scores(rule, scored, positives, tp, fp, fn, tuple(alarms), tuple(misses))
    return result
