"""How the missing_source rule does on FactRank and ClaimBuster rows its claims model has not seen.

    python bench/claims_cv.py [--data ../shared/data/public] [--nl 0.9 0.6] [--en 0.6]

``score.py public`` scores the rule on FactRank and ClaimBuster, but the shipped claims model was
trained on those same rows (the development part in ``shared``), so its figures overstate what the
rule does on the held-back part. This script estimates that instead: five folds per set; for each,
the claims model is trained by the project's training code (same features, same settings) on the
other folds (plus the other set, and without the FactRank rows that the 2017 dump repeats), and
the rule itself runs on the held-out fold, at each Dutch or English ``statement_threshold`` asked
for. It prints precision, recall and F1 per set and threshold, and then how many of the Dutch
practical facts in ``bench/practical_facts_nl.txt`` (which need no source) the rule flags at each
Dutch threshold with the shipped model. It reads ``../shared`` and trains ten models: about half a
minute on this machine.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from merkwacht.analysis.detect import claims
from merkwacht.analysis.detect.linear import LinearModel, features
from merkwacht.analysis.packs import load_pack
from merkwacht.analysis.registry import RuleContext, get_rule
from merkwacht.analysis.training.train import DEFAULT_DATA, _lab, _rows, fit
from merkwacht.core.post import Post

WHEN = datetime(2026, 1, 1, tzinfo=UTC)
PRACTICAL = Path(__file__).with_name("practical_facts_nl.txt")
FOLDS = 5


@contextmanager
def claims_model(model: LinearModel) -> Iterator[None]:
    """Let the claims detector use ``model`` instead of the shipped one."""
    shipped = claims.load
    claims.load = lambda name: model  # the detector asks for its model by name
    claims._find_claim_cached.cache_clear()
    try:
        yield
    finally:
        claims.load = shipped
        claims._find_claim_cached.cache_clear()


def flagged(text: str, *, lang: str, threshold: float) -> bool:
    """Whether the missing_source rule of the generic pack reports ``text`` as a post."""
    spec = get_rule("missing_source")
    settings = {**load_pack("generic").rule_settings("missing_source"), "statement_threshold": {lang: threshold}}
    post = Post(id="1", platform="x", account="@Org", created_at=WHEN, kind="post", text=text, lang=lang)
    return bool(spec.func(post, RuleContext(settings=settings, approvals=(), now=WHEN)))


def training_sets(data: Path) -> list[tuple[str, str, list[tuple[str, int]], list[tuple[str, int]]]]:
    """(name, language, rows, the other training rows) for FactRank v1 and ClaimBuster: each set's rows are
    scored out of fold; the other set (and the FactRank rows of the 2017 dump that v1 does not repeat) always
    trains."""
    factrank = _rows(data / "factrank_nl/factrank_v1_2019.csv", _lab)
    seen = {text.strip().lower() for text, _ in factrank}
    dump = [row for row in _rows(data / "factrank_nl/factrank_dump_2017.csv", _lab)
            if row[0].strip().lower() not in seen]
    claimbuster = _rows(data / "claimbuster_en/claimbuster_two_class.csv", _lab)
    return [("factrank_v1_2019", "nl", factrank, dump + claimbuster),
            ("claimbuster_two_class", "en", claimbuster, factrank + dump)]


def out_of_fold(rows: list[tuple[str, int]], others: list[tuple[str, int]], *, lang: str,
                thresholds: list[float]) -> dict[float, list[bool]]:
    """Whether the rule flags each of ``rows``, per threshold, with a claims model trained without that row's
    fold (five folds in a fixed shuffled order; ``others`` always train)."""
    order = list(range(len(rows)))
    random.Random(0).shuffle(order)
    got = {t: [False] * len(rows) for t in thresholds}
    for k in range(FOLDS):
        held = set(order[k::FOLDS])
        train = [rows[i] for i in order if i not in held] + others
        model = LinearModel(*fit([features(text) for text, _ in train], [y for _, y in train]))
        with claims_model(model):
            for i in sorted(held):
                for t in thresholds:
                    got[t][i] = flagged(rows[i][0], lang=lang, threshold=t)
    return got


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--nl", type=float, nargs="+", default=[claims.MODEL_ALONE["nl"]])
    ap.add_argument("--en", type=float, nargs="+", default=[claims.MODEL_ALONE["en"]])
    args = ap.parse_args()
    if not (args.data / "factrank_nl").is_dir():
        raise SystemExit(f"no public data at {args.data} (expected ../shared/data/public)")
    thresholds = {"nl": args.nl, "en": args.en}
    sets = [(name, lang, rows, others, thresholds[lang]) for name, lang, rows, others in training_sets(args.data)]
    print(f"{'set':24} {'lang':4} {'threshold':>9} {'P':>6} {'R':>6} {'F1':>6}")
    for name, lang, rows, others, thresholds in sets:
        got = out_of_fold(rows, others, lang=lang, thresholds=thresholds)
        for t, flags in got.items():
            tp = sum(g and y == 1 for g, (_, y) in zip(flags, rows))
            fp = sum(g and y == 0 for g, (_, y) in zip(flags, rows))
            fn = sum((not g) and y == 1 for g, (_, y) in zip(flags, rows))
            p = tp / (tp + fp) if tp + fp else 0.0
            r = tp / (tp + fn) if tp + fn else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            print(f"{name:24} {lang:4} {t:9.2f} {p:6.3f} {r:6.3f} {f:6.3f}", flush=True)
    facts = [line.strip() for line in PRACTICAL.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    for t in args.nl:
        wrong = sum(flagged(text, lang="nl", threshold=t) for text in facts)
        print(f"practical facts (nl {t:.2f}): {wrong} of {len(facts)} flagged")


if __name__ == "__main__":
    main()
