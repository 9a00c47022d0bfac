"""The analysis engine: run a policy pack's post-level rules over posts and turn hits into findings.

Two modes share this module's core (:func:`analyse_post`):

* file mode, :func:`analyse_posts`: interchange posts in, :class:`FindingRecord` out (the CLI
  writes them as JSON lines, DESIGN.md);
* database mode, :func:`analyse_database` (in :mod:`merkwacht.analysis.database`, re-exported
  here): what is new or changed in the database, in batches, recorded idempotently.

A post gets at most one finding per rule: the rule's strongest hit, with the other spans in
``details["more_evidence"]``. Each finding names the clause of the pack it serves (R13).
"""

from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from datetime import datetime
from functools import lru_cache
from typing import Any

from merkwacht.core.post import Approval, Post

from .language import detect
from .packs import Pack
from .registry import Hit, RuleContext, RuleSpec, all_rules
from .textfeatures import features

log = logging.getLogger(__name__)

SEVERITY_ORDER = {"low": 0, "medium": 1, "high": 2}

# Function words that only one of the two supported languages uses. A post with more words of one
# set than of the other (at least two in all) is taken to be in that language; only the rest goes
# to the language model, which is far slower (this agrees with it on 99.9% of the public sets).
_NL_WORDS = frozenset(
    [
        "de",
        "het",
        "een",
        "en",
        "van",
        "niet",
        "wij",
        "jij",
        "je",
        "jullie",
        "dat",
        "die",
        "op",
        "voor",
        "met",
        "zijn",
        "naar",
        "ook",
        "maar",
        "om",
        "er",
        "bij",
        "nog",
        "dan",
        "wat",
        "deze",
        "dit",
        "onze",
        "ons",
        "aan",
        "uit",
        "kunnen",
        "wordt",
        "worden",
        "hebben",
        "heeft",
        "geen",
        "over",
        "als",
        "hoe",
        "waarom",
        "u",
        "bent",
        "zijn",
        "zal",
        "wel",
        "heel",
        "graag",
        "bedankt",
        "dank",
    ]
)
_EN_WORDS = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "you",
        "your",
        "our",
        "are",
        "for",
        "with",
        "this",
        "that",
        "it",
        "not",
        "be",
        "have",
        "has",
        "was",
        "will",
        "on",
        "at",
        "from",
        "by",
        "can",
        "please",
        "thanks",
        "thank",
        "what",
        "why",
        "how",
        "do",
        "does",
        "would",
        "should",
        "there",
        "their",
        "they",
        "an",
    ]
)


def post_language(post: Post) -> str | None:
    """The post's language: as given, else clear from its function words, else detected by the model."""
    if post.lang:
        return post.lang
    if len(post.text) > PostAnalyser.MEMO_TEXT_LIMIT:  # long texts are rare: not kept in memory
        return text_language(post.text)
    return _remembered_language(post.text)


@lru_cache(maxsize=4096)
def _remembered_language(text: str) -> str | None:
    """:func:`text_language`, remembered for the most recent texts (reposts and template replies repeat)."""
    return text_language(text)


def text_language(text: str) -> str | None:
    """The language of ``text``: clear from its function words, else detected by the model."""
    words = features(text)[1]
    nl, en = len(words & _NL_WORDS), len(words & _EN_WORDS)
    if nl + en >= 2 and nl != en:
        return "nl" if nl > en else "en"
    return detect(text)


@dataclass(frozen=True, slots=True)
class FindingRecord:
    """One finding about one post (or account, or thread), ready to print or to store."""

    post_id: str
    rule: str
    rule_version: str
    clause: str
    severity: str
    score: float
    evidence: str | None
    evidence_start: int | None
    evidence_end: int | None
    explanation_nl: str
    explanation_en: str
    pack: str
    pack_version: str
    pack_hash: str
    account: str = ""
    platform: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def about(self, post_id: str, account: str, platform: str) -> FindingRecord:
        """This finding, about another post (one that repeats the text and fields the rule read).

        The same as ``dataclasses.replace(self, post_id=..., account=..., platform=...)``, at a third of
        the cost (every repeated post gets one).
        """
        return FindingRecord(
            post_id, self.rule, self.rule_version, self.clause, self.severity, self.score, self.evidence,
            self.evidence_start, self.evidence_end, self.explanation_nl, self.explanation_en, self.pack,
            self.pack_version, self.pack_hash, account, platform, self.details,
        )

    def to_json(self, *, lang: str = "nl") -> dict[str, Any]:
        """The interchange form of DESIGN.md, plus rule/pack versions and both explanations."""
        return {
            "post_id": self.post_id,
            "rule": self.rule,
            "severity": self.severity,
            "score": self.score,
            "clause": self.clause,
            "evidence": self.evidence,
            "explanation": self.explanation_en if lang == "en" else self.explanation_nl,
            "explanation_en": self.explanation_en,
            "explanation_nl": self.explanation_nl,
            "evidence_start": self.evidence_start,
            "evidence_end": self.evidence_end,
            "rule_version": self.rule_version,
            "policy": self.pack,
            "policy_version": self.pack_version,
            "account": self.account,
            "platform": self.platform,
        }


@dataclass(frozen=True, slots=True)
class PlannedRule:
    spec: RuleSpec
    settings: dict[str, Any]
    clauses: tuple[str, ...]
    severity: str | None
    kinds: dict[str, str]  # clause kind -> first clause of that kind among this rule's clauses


class AnalysisPlan:
    """The enabled rules of a pack at one level, with their settings and clauses, prepared once per run."""

    def __init__(self, pack: Pack, *, level: str = "post") -> None:
        self.pack = pack
        self.level = level
        known = all_rules()
        rules = []
        for rule_id in pack.enabled_rules:
            spec = known.get(rule_id)
            if spec is None or spec.level != level:
                continue
            block = pack.rule_blocks[rule_id]
            kinds: dict[str, str] = {}
            for cid in block.clauses:
                kinds.setdefault(pack.clauses[cid].kind, cid)
            rules.append(PlannedRule(spec, pack.rule_settings(rule_id), block.clauses, block.severity, kinds))
        self.rules: tuple[PlannedRule, ...] = tuple(rules)
        versions = ",".join(f"{r.spec.id}:{r.spec.version}" for r in sorted(rules, key=lambda r: r.spec.id))
        #: Changes when the pack file or any rule version changes: what "analysed" means.
        self.signature = hashlib.sha256(f"{pack.hash}|{versions}".encode()).hexdigest()

    def clause_for(self, planned: PlannedRule, hit: Hit) -> str:
        if hit.clause:
            if hit.clause in self.pack.clauses:
                return hit.clause
            if hit.clause in planned.kinds:
                return planned.kinds[hit.clause]
        return planned.clauses[0]

    def record(
        self, planned: PlannedRule, hits: list[Hit], *, subject: str, account: str = "", platform: str = ""
    ) -> FindingRecord:
        """One finding from a rule's hits on one subject: the strongest hit, the others as more evidence."""
        ordered = sorted(hits, key=lambda h: (-h.score, -SEVERITY_ORDER.get(h.severity, 1), h.start or 0))
        best = ordered[0]
        details = dict(best.details)
        if len(ordered) > 1:
            details["more_evidence"] = [
                {
                    "evidence": h.evidence,
                    "start": h.start,
                    "end": h.end,
                    "score": h.score,
                    "explanation_nl": h.explanation_nl,
                    "explanation_en": h.explanation_en,
                }
                for h in ordered[1:]
            ]
        severity = planned.severity or max((h.severity for h in hits), key=lambda s: SEVERITY_ORDER.get(s, 1))
        return FindingRecord(
            post_id=subject,
            rule=planned.spec.id,
            rule_version=planned.spec.version,
            clause=self.clause_for(planned, best),
            severity=severity,
            score=round(float(best.score), 3),
            evidence=best.evidence,
            evidence_start=best.start,
            evidence_end=best.end,
            explanation_nl=best.explanation_nl,
            explanation_en=best.explanation_en,
            pack=self.pack.name,
            pack_version=self.pack.version,
            pack_hash=self.pack.hash,
            account=account,
            platform=platform,
            details=details,
        )


_ABSENT = object()  # a dotted field whose parent is missing (a post that answers nothing has no in_reply_to.text)


def _dotted_reader(path: str):
    """A function that reads the dotted field ``path`` of a post (``_ABSENT`` when a parent is missing)."""
    head, _, rest = path.partition(".")

    def read(post: Post) -> Any:
        value: Any = getattr(post, head)
        for part in rest.split("."):
            if value is None:
                return _ABSENT
            value = getattr(value, part)
        return value

    return read


def _key_function(paths: tuple[str, ...]):
    """One function that reads all of ``paths`` of a post into something hashable (a memo key)."""
    plain = [p for p in paths if "." not in p]
    dotted = [_dotted_reader(p) for p in paths if "." in p]
    together = attrgetter(*plain) if plain else None  # one C call for the plain fields
    if not dotted:
        return together or (lambda post: ())
    if together is None:
        return lambda post: tuple(read(post) for read in dotted)
    if len(dotted) == 1:
        (only,) = dotted
        return lambda post: (together(post), only(post))
    return lambda post: (together(post), *(read(post) for read in dotted))


class PostAnalyser:
    """Runs a plan's post-level rules on posts; keeps one :class:`RuleContext` per rule and language.

    A rule that raises is logged (rule, post) and counted in :attr:`errors`; the other rules and
    posts go on. With ``strict=True`` the exception propagates instead.

    A rule that declares the post fields it reads (``reads`` in :func:`~.registry.rule`) is run once
    per distinct combination of those fields: reposts, cross-posts and template replies repeat a text,
    and the answers for up to :data:`MEMO_SIZE` combinations (texts up to :data:`MEMO_TEXT_LIMIT`
    characters) are reused. When the memory is full, the least recently used answer makes room, but
    only for a post whose text was seen before: a stream of one-off texts does not push out the
    templates that keep coming back, and a text met for the first time then skips the memory
    altogether (no look-ups that cannot succeed). The memory is this analyser's own, so it never
    outlives the run's settings.
    """

    #: Answers remembered per analyser.
    MEMO_SIZE = 16384
    #: Texts met (as hashes) that are noted, at most.
    SEEN_SIZE = 4 * MEMO_SIZE
    #: Posts with a longer text are not remembered (rare, and they would hold memory).
    MEMO_TEXT_LIMIT = 2000

    def __init__(
        self,
        plan: AnalysisPlan,
        *,
        approvals: Iterable[Approval] = (),
        now: datetime | None = None,
        strict: bool = False,
    ):
        self.plan = plan
        self.approvals = tuple(approvals)
        self.now = now
        self.strict = strict
        self.errors = 0
        self._contexts: dict[tuple[int, str | None], RuleContext] = {}
        self._keys = [
            _key_function(planned.spec.reads) if planned.spec.reads is not None else None for planned in plan.rules
        ]
        self._memo: OrderedDict[tuple, FindingRecord | None] = OrderedDict()
        self._seen: set[int] = set()  # hashes of the texts met recently
        # rules whose memory keys hold the text: a text never seen before cannot be in their memory
        self._by_text = [planned.spec.reads is not None and "text" in planned.spec.reads for planned in plan.rules]

    def _context(self, index: int, planned: PlannedRule, lang: str | None) -> RuleContext:
        key = (index, lang)
        ctx = self._contexts.get(key)
        if ctx is None:
            ctx = RuleContext(settings=planned.settings, approvals=self.approvals, now=self.now, lang=lang)
            self._contexts[key] = ctx
        return ctx

    def _first_sights(self, posts: Sequence[Post]) -> list[bool]:
        """Per post, whether its text is new: not among the texts met recently (and note it now).

        The texts met are kept as hashes, :data:`SEEN_SIZE` at most (then the notes start again: a
        remembered text may then count as new once more, which costs one judgement, not a wrong one).
        While the memory is full, a new text is judged without looking in the memory and is not
        remembered; only a text met before may take the place of the least recently used answer.
        """
        seen, limit, size = self._seen, self.MEMO_TEXT_LIMIT, self.SEEN_SIZE
        first = []
        for post in posts:
            text = post.text
            if len(text) > limit:
                first.append(False)  # never remembered anyway
                continue
            mark = hash(text)
            if mark in seen:
                first.append(False)
                continue
            if len(seen) >= size:
                seen.clear()
            seen.add(mark)
            first.append(True)
        return first

    def _finding(self, planned: PlannedRule, hits: list[Hit], post: Post) -> FindingRecord | None:
        if not hits:
            return None
        return self.plan.record(planned, hits, subject=post.id, account=post.account, platform=post.platform)

    def analyse(self, post: Post) -> list[FindingRecord]:
        """The findings of every enabled post-level rule for ``post``."""
        return self.analyse_many((post,))[0]

    def analyse_many(self, posts: Sequence[Post]) -> list[list[FindingRecord]]:
        """The findings of every post of ``posts`` (one list per post, as :meth:`analyse` gives them).

        The posts are analysed together: first the language of each, then one rule after the other over
        all of them. Each rule's code and data then stay in the processor's caches while it runs, which
        makes a batch of a thousand posts about a fifth cheaper than the same posts one by one. Rules are
        pure functions of the post, so the findings are the same. With ``strict=True`` the posts are
        analysed one by one, so that a failure surfaces at its own post.
        """
        if self.strict and len(posts) > 1:
            return [self.analyse(post) for post in posts]
        langs = [post_language(post) for post in posts]
        found: list[list[FindingRecord]] = [[] for _ in posts]
        first = self._first_sights(posts)
        for index, planned in enumerate(self.plan.rules):
            self._rule_over(index, planned, posts, langs, found, first if self._by_text[index] else None)
        return found

    def _rule_over(
        self,
        index: int,
        planned: PlannedRule,
        posts: Sequence[Post],
        langs: list[str | None],
        found: list[list[FindingRecord]],
        first: list[bool] | None,
    ) -> None:
        """Run one rule over ``posts``, adding its finding for each to that post's list in ``found``.

        A post that repeats a remembered combination of the fields the rule reads gets the remembered
        finding, about itself; a new combination is judged and remembered. ``first`` marks the posts
        whose text is new (:meth:`_first_sights`): while the memory is full they are judged without
        looking in it, and not remembered.
        """
        func = planned.spec.func
        read = self._keys[index]
        memo = self._memo
        limit, size = self.MEMO_TEXT_LIMIT, self.MEMO_SIZE
        contexts = {lang: self._context(index, planned, lang) for lang in set(langs)}
        for n, (post, lang, findings) in enumerate(zip(posts, langs, found)):
            try:
                ctx = contexts[lang]
                if read is None or len(post.text) > limit or (first is not None and first[n] and len(memo) >= size):
                    finding = self._finding(planned, func(post, ctx), post)
                else:
                    key = (index, lang, read(post))
                    known = memo.get(key, _ABSENT)
                    if known is _ABSENT:
                        finding = self._finding(planned, func(post, ctx), post)
                        if len(memo) >= size:  # a full memory makes room (only for texts seen before)
                            memo.popitem(last=False)  # the least recently used; O(1), unlike a plain dict's
                        memo[key] = finding
                    else:
                        memo.move_to_end(key)
                        # the same hits: the same finding, about this post
                        finding = None if known is None else known.about(post.id, post.account, post.platform)
            except Exception:
                if self.strict:
                    raise
                self._failed(planned, post)
                continue
            if finding is not None:
                findings.append(finding)

    def _failed(self, planned: PlannedRule, post: Post) -> None:
        self.errors += 1
        log.exception("rule %s %s failed on post %s", planned.spec.id, planned.spec.version, post.id)


#: File mode analyses posts in batches of this many (:meth:`PostAnalyser.analyse_many`) ...
BATCH_POSTS = 1024
#: ... or fewer, when their texts hold this many characters together.
BATCH_CHARS = 1_000_000


def _batches(posts: Iterable[Post]) -> Iterator[list[Post]]:
    batch: list[Post] = []
    size = 0
    for post in posts:
        batch.append(post)
        size += len(post.text)
        if len(batch) >= BATCH_POSTS or size >= BATCH_CHARS:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def analyse_post(
    post: Post, *, pack: Pack, approvals: Iterable[Approval] = (), now: datetime | None = None
) -> list[FindingRecord]:
    """The findings for one post (convenience; for many posts use :func:`analyse_posts`)."""
    return PostAnalyser(AnalysisPlan(pack), approvals=approvals, now=now).analyse(post)


def analyse_posts(
    posts: Iterable[Post],
    *,
    pack: Pack,
    approvals: Iterable[Approval] = (),
    now: datetime | None = None,
    analyser: PostAnalyser | None = None,
) -> Iterator[FindingRecord]:
    """Findings for a stream of posts, in input order; memory stays flat however many posts come in.

    Posts are analysed a batch at a time (:data:`BATCH_POSTS`), so a finding comes out once its batch has
    been read.

    Pass your own ``analyser`` (built for the same pack) to read its error count afterwards.
    """
    analyser = analyser or PostAnalyser(AnalysisPlan(pack), approvals=approvals, now=now)
    if analyser.strict:  # one by one: the findings before a failing post come out before it fails
        for post in posts:
            yield from analyser.analyse(post)
        return
    for batch in _batches(posts):
        for findings in analyser.analyse_many(batch):
            yield from findings


def __getattr__(name: str) -> Any:  # analyse_database lives beside the ORM code; import it lazily
    if name in ("analyse_database", "AnalysisSummary"):
        from . import database

        return getattr(database, name)
    raise AttributeError(name)
