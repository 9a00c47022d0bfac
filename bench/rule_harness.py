"""Score off_tone / missing_source directly (no CLI) on the shared public and brand sets.

    python bench/rule_harness.py [public|brand] [--rule off_tone] [--show-fp N] [--show-fn N] [--only NAME]

Reads ../shared/data only to measure; prints P/R/F1 per set like tools/score.py.
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import time
from collections import Counter
from pathlib import Path

from merkwacht.analysis.registry import RuleContext
from merkwacht.core.post import Post

csv.field_size_limit(10**9)
DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
PUBLIC = [
    ("mhc_dutch/mhc_dutch.csv", "off_tone", "reply", "label"),
    ("rtplx_nl/rtplx_nl.csv", "off_tone", "reply", "label"),
    ("checkthat22_covid_infodemic/offtone_q6_nl.csv", "off_tone", "reply", "label"),
    ("hatecheck_en/hatecheck_en.csv", "off_tone", "reply", "label"),
    ("olid_tweeteval/olid_tweeteval.csv", "off_tone", "reply", "label"),
    ("checkthat22_covid_infodemic/offtone_q6_en.csv", "off_tone", "reply", "label"),
    ("checkthat22_covid_infodemic/ct22_nl.csv", "missing_source", "post", "missing_source_candidate"),
    ("checkthat22_covid_infodemic/ct22_en.csv", "missing_source", "post", "missing_source_candidate"),
    ("factrank_nl/factrank_v1_2019.csv", "missing_source", "post", "label"),
    ("claimbuster_en/claimbuster_two_class.csv", "missing_source", "post", "label"),
]


def run(rule_id, posts):
    import importlib
    func = getattr(importlib.import_module(f"merkwacht.analysis.rules.{rule_id}"), rule_id)
    out = []
    for p in posts:
        out.append(bool(func(p, RuleContext(settings={}, lang=p.lang))))
    return out


def mk(i, text, kind, lang, reply=None):
    d = {"id": f"p{i}", "platform": "x", "account": "@Org", "created_at": "2026-01-01T00:00:00Z", "kind": kind, "text": text, "lang": lang or None}
    if reply:
        d["in_reply_to"] = reply
    return Post.model_validate(d)


def labelled_rows(rel: str, col: str) -> list[dict]:
    """The rows of a public set that score.py scores: labelled in ``col``, RTP-LX's culture-specific rows left out."""
    with open(DATA / "public" / rel, encoding="utf-8") as fh:
        return [r for r in csv.DictReader(fh)
                if r.get("subset") != "culture_specific_instruction" and r.get(col, "") != ""]


def public(args):
    for rel, rule_id, kind, col in PUBLIC:
        if args.rule and rule_id != args.rule:
            continue
        if args.only and args.only not in rel:
            continue
        data = [(r, r[col] == "1") for r in labelled_rows(rel, col)]
        posts = [mk(i, r["text"], kind, r.get("lang")) for i, (r, _) in enumerate(data)]
        t0 = time.perf_counter()
        got = run(rule_id, posts)
        secs = time.perf_counter() - t0
        tp = sum(g and y for g, (_, y) in zip(got, data))
        fp = sum(g and not y for g, (_, y) in zip(got, data))
        fn = sum(y and not g for g, (_, y) in zip(got, data))
        neg = sum(not y for _, y in data)
        p = tp / (tp + fp) if tp + fp else 0
        r_ = tp / (tp + fn) if tp + fn else 0
        f = 2 * p * r_ / (p + r_) if p + r_ else 0
        print(f"{rel.split('/')[-1]:32} {rule_id:15} n={len(data):5d} P={p:.3f} R={r_:.3f} F1={f:.3f} FPR={fp/max(neg,1):.3f} {len(data)/secs:8.0f}/s")
        if "functionality" in data[0][0]:
            per = Counter(); tot = Counter()
            for g, (r, y) in zip(got, data):
                tot[r["functionality"]] += 1
                per[r["functionality"]] += g
            print("   ", " ".join(f"{k}={per[k]/tot[k]:.2f}" for k in sorted(tot)))
        rnd = random.Random(0)
        fps = [r["text"] for g, (r, y) in zip(got, data) if g and not y]
        fns = [r["text"] for g, (r, y) in zip(got, data) if y and not g]
        for t in rnd.sample(fps, min(args.show_fp, len(fps))):
            print("   FP:", t[:160].replace("\n", " "))
        for t in rnd.sample(fns, min(args.show_fn, len(fns))):
            print("   FN:", t[:160].replace("\n", " "))


def brand(args):
    d = DATA / "brand"
    with open(d / "labels.jsonl", encoding="utf-8") as fh:
        labels = {lab["id"]: lab for lab in map(json.loads, fh)}
    with open(d / "posts.jsonl", encoding="utf-8") as fh:
        posts = [Post.model_validate(json.loads(line)) for line in fh]
    for rule_id in ("off_tone", "missing_source"):
        if args.rule and rule_id != args.rule:
            continue
        got = run(rule_id, posts)
        tp = fp = fn = 0
        for g, p in zip(got, posts):
            lab = labels[p.id]
            if rule_id in lab.get("ambiguous", []):
                continue
            y = rule_id in lab["labels"]
            tp += g and y; fp += g and not y; fn += y and not g
            if g != y:
                print(f"  {rule_id}: {'missed' if y else 'false alarm'}: {p.id}: {p.text[:100]}")
        pr = tp / (tp + fp) if tp + fp else 0
        rc = tp / (tp + fn) if tp + fn else 0
        print(f"{rule_id:15} P={pr:.3f} R={rc:.3f} F1={2*pr*rc/(pr+rc) if pr+rc else 0:.3f}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["public", "brand"])
    ap.add_argument("--rule")
    ap.add_argument("--only")
    ap.add_argument("--show-fp", type=int, default=0)
    ap.add_argument("--show-fn", type=int, default=0)
    a = ap.parse_args()
    {"public": public, "brand": brand}[a.what](a)
