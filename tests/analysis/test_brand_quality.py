"""Quality on the shared labelled brand set (dev): F1 >= 0.85 for the rules built here (issue 4).

The labelled posts are for measuring only; no sentence of them is copied into the project.
"""

from __future__ import annotations

import json

import pytest

from merkwacht.analysis.evaluation import evaluate
from merkwacht.analysis.packs import load_pack
from merkwacht.core.interchange import read_approvals, read_posts

from ..conftest import shared_path

RULES = ["unapproved_statement", "personal_data", "confidential"]


@pytest.fixture(scope="module")
def scores():
    folder = shared_path("data", "brand")
    with open(folder / "posts.jsonl", "rb") as fh:
        posts = list(read_posts(fh))
    with open(folder / "approvals.jsonl", "rb") as fh:
        approvals = list(read_approvals(fh))
    with open(folder / "labels.jsonl", encoding="utf-8") as fh:
        labels = {row["id"]: row for row in map(json.loads, filter(str.strip, fh))}
    return evaluate(posts, labels, pack=load_pack("generic"), approvals=approvals, rules=RULES)


@pytest.mark.parametrize("rule", RULES)
def test_f1_on_the_brand_dev_set(scores, rule):
    result = scores[rule]
    assert result.positives > 0
    assert result.f1 >= 0.85, f"{rule}: misses {result.misses}, false alarms {result.false_alarms}"
