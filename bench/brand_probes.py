"""off_tone and missing_source on brand-like posts written blind (bench/brand_probes/).

    python bench/brand_probes.py [--round 1 2 3 4 5] [--show]

The public research sets are tweets, debates and test suites; none is what a brand account writes.
``bench/brand_probes/round<k>_<lang>.jsonl`` are posts and replies of the kind Dutch organisations'
accounts write, each written for Merkwacht by someone who had not seen the word lists or the rules
(see the README there). Every post's id names its group:

- ``ok_tone``: must not be flagged by off_tone (many only look offensive);
- ``bad_tone``: the account itself is rude, insulting, threatening, sarcastic or demeaning;
- ``needs_source``: a statistic, finding, ranking or quote without link or named source;
- ``no_source_needed``: practical facts, announcements, opinions, and claims that name their source.

It prints, per round and language, how many posts of each group each rule gets right, and the
wrong or extra findings in total (a missing_source finding on an ok_tone or bad_tone post counts as
extra); ``--show`` lists them. The numbers are counts on a few hundred posts written by one writer
per round: they show direction, not a rate to quote with decimals.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from merkwacht.analysis.registry import RuleContext, get_rule
from merkwacht.core.post import Post

HERE = Path(__file__).with_name("brand_probes")
TONE = ("ok_tone", "bad_tone")
SOURCE = ("needs_source", "no_source_needed")


def score(path: Path, lang: str, *, show: bool) -> tuple[Counter, int]:
    """Counts of right and wrong answers per group for one probe file, and the number of mistakes."""
    off_tone, missing_source = get_rule("off_tone").func, get_rule("missing_source").func
    counts: Counter = Counter()
    wrong = 0
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            raw = json.loads(line)
            group = raw["id"].rsplit("-", 1)[0]
            post = Post.model_validate(raw)
            ctx = RuleContext(settings={}, lang=lang)
            tone, source = off_tone(post, ctx), missing_source(post, ctx)
            mistakes = []
            if group in TONE:
                right = bool(tone) == (group == "bad_tone")
                counts[f"{group}: off_tone {'right' if right else 'wrong'}"] += 1
                if not right:
                    mistakes.append(("off_tone", tone))
                if source:
                    counts[f"{group}: missing_source extra"] += 1
                    mistakes.append(("missing_source (extra)", source))
            elif group in SOURCE:
                right = bool(source) == (group == "needs_source")
                counts[f"{group}: missing_source {'right' if right else 'wrong'}"] += 1
                if not right:
                    mistakes.append(("missing_source", source))
            wrong += len(mistakes)
            for rule, hits in mistakes if show else ():
                found = "; ".join(f"{h.details.get('category')} '{h.evidence[:40]}'" for h in hits) or "nothing"
                print(f"    {raw['id']:22} {rule:24} {found:50} | {raw['text'][:100]}")
    return counts, wrong


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    rounds = sorted({int(p.name[5:].split("_")[0]) for p in HERE.glob("round*_*.jsonl")})
    ap.add_argument("--round", type=int, nargs="+", default=rounds, help="rounds to score (default: every round there is)")
    ap.add_argument("--show", action="store_true", help="list every wrong or extra finding")
    args = ap.parse_args()
    total = 0
    for k in args.round:
        for lang in ("nl", "en"):
            path = HERE / f"round{k}_{lang}.jsonl"
            if not path.is_file():
                raise SystemExit(f"no probe file {path}")
            counts, wrong = score(path, lang, show=args.show)
            total += wrong
            print(f"round {k} {lang}: {wrong} wrong or extra | " + ", ".join(f"{key} {n}" for key, n in sorted(counts.items())))
    print(f"total wrong or extra: {total}")


if __name__ == "__main__":
    main()
