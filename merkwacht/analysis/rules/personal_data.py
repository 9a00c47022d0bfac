"""personal_data: identifying data about individuals in a brand post (Leiden "Behoud privacy", Unicoz 2).

Looks for a BSN (nine digits that pass the elfproef), an IBAN (with a valid checksum, unless it
is the organisation's own or held by an organisation), student, pupil and staff numbers, personal
e-mail addresses (consumer mail services, or an address that is not a functional mailbox) and
mobile phone numbers of individuals; a home address or a date of birth only next to a named
person. A named person next to such data makes the finding more certain and more severe. The organisation's functional mailboxes and own phone numbers, listed
in the pack, are not personal data; neither are landlines, 0800/0900 numbers and service lines.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import phonenumbers
from pydantic import BaseModel, ConfigDict, Field
from stdnum import iban as stdnum_iban
from stdnum.nl import bsn as stdnum_bsn

from merkwacht.core.post import Post

from ..registry import Hit, RuleContext, rule
from ..terms import alternation, load_terms, needles, versioned
from ..textfeatures import fold_case, folded


class PersonalDataSettings(BaseModel):
    """Settings of the personal_data rule in a policy pack."""

    model_config = ConfigDict(extra="forbid")

    threshold: float = Field(default=0.5, ge=0.0, le=1.0, description="Report a hit from this score on.")
    functional_addresses: list[str] = Field(
        default_factory=list,
        description="The organisation's functional mailboxes: full addresses or local parts (info, servicedesk).",
    )
    own_domains: list[str] = Field(
        default_factory=list, description="The organisation's mail domains (for the explanation only)."
    )
    own_numbers: list[str] = Field(
        default_factory=list,
        description="The organisation's own phone numbers (any notation), never personal.",
    )
    own_ibans: list[str] = Field(default_factory=list, description="The organisation's own bank accounts.")
    extra_id_terms: list[str] = Field(
        default_factory=list, description="More words that introduce a student or staff number."
    )


_T = load_terms("personal_data")

# Nine digits, possibly written 1234.56.789 or 123 456 789; not part of a longer number, URL or amount.
_BSN_RE = re.compile(
    r"(?<![\w/.,€$-])(\d{4}[. ]?\d{2}[. ]?\d{3}|\d{3}[. ]\d{3}[. ]\d{3}|\d{9})(?![\w/]|[.,]\d)"
)
# The same pattern written to start with its first digit: the character before that digit is tested
# after it (a look-behind over the digit), so the regex engine skips from digit to digit instead of
# trying the look-behind at every position (two to three times faster; a test checks that both agree).
_BSN_FAST_RE = re.compile(
    r"(\d(?<![\w/.,€$-].)(?:\d{3}[. ]?\d{2}[. ]?\d{3}|\d{2}[. ]\d{3}[. ]\d{3}|\d{8}))(?![\w/]|[.,]\d)"
)
_BSN_CONTEXT_RE = re.compile(
    r"(?:" + alternation(_T["bsn_context"]) + r")\W{0,3}(?:\w+\W{1,3}){0,2}$", re.IGNORECASE
)
_NOT_BSN_RE = re.compile(
    r"(?:" + alternation(_T["not_bsn_context"]) + r")\w*\W{0,3}(?:\w+\W{1,3}){0,1}$", re.IGNORECASE
)
_IBAN_RE = re.compile(r"\b([A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?)\b", re.IGNORECASE)
_EMAIL_RE = re.compile(r"(?<![\w.+-])([\w.+-]+)@([\w-]+(?:\.[\w-]+)*\.[a-z]{2,})\b", re.IGNORECASE)
# Dutch mobiles (06, +31 6, 0031 6) and international numbers written with a + prefix.
_PHONE_RE = re.compile(
    r"(?<![\w+(])(?:(?:\+|00)31[\s.-]?(?:\(0\))?[\s.-]?6|\(?0\s?6\)?)(?:[\s.-]?\d){8}(?!\d)"
    r"|(?<![\w+])\+(?!31)\d{1,3}(?:[\s.-]?\(?\d\)?){6,12}(?!\d)"
)
_LEIDEN_STUDENT_RE = re.compile(r"(?<![\w@.-])([sp]\d{7})\b", re.IGNORECASE)
_SERVICE_CONTEXT_RE = re.compile(r"(?:" + alternation(_T["service_number_context"]) + r")", re.IGNORECASE)
_IBAN_OWNER_RE = re.compile(
    r"(?:" + alternation(_T["iban_owner_words"]) + r")\s*:?\s*(.{0,60})", re.IGNORECASE
)
_ORGANISATION_RE = re.compile(r"\b(?:" + alternation(_T["organisation_words"]) + r")\b", re.IGNORECASE)
_NAME = r"(?:[A-Z]\.\s?)*[A-Z][a-zà-ÿ]+(?:\s(?:van|de|der|den|ten|ter|el|al)){0,2}(?:\s[A-Z][a-zà-ÿ]+)?"
_TITLED_NAME_RE = re.compile(
    r"\b(?:" + alternation(_T["person_titles"]) + r")\s+(" + _NAME + r")", re.IGNORECASE
)
_INITIAL_NAME_RE = re.compile(r"\b((?:[A-Z]\.\s?){1,3}(?:(?:van|de|der|den)\s)*[A-Z][a-zà-ÿ]{2,})")
_PERSONAL_DOMAINS = frozenset(d.lower() for d in _T["personal_mail_domains"])
_FUNCTIONAL_WORDS = frozenset(w.lower() for w in _T["functional_mailbox_words"])
_FUNCTIONAL_LONG = tuple(w for w in _FUNCTIONAL_WORDS if len(w) >= 5)
# Role mailboxes often end in a short word: "ictdesk", "meldpunt", "webteam", "studentloket".
_FUNCTIONAL_ENDINGS = ("desk", "punt", "team", "loket", "balie", "info", "hulp", "lijn")
_MOBILE_TYPES = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
# An amount is not an identification number: "123456782 euro", "€ 123.456.782".
_AMOUNT_AFTER = re.compile(
    r"\s*(?:euro|eur|dollar|usd|pond|gbp|miljoen|million|keer|times|stuks|x\b)", re.IGNORECASE
)
_NON_DIGIT = re.compile(r"\D+")
_POSTCODE_RE = re.compile(r"\b[1-9]\d{3}\s?[A-Z]{2}\b")
_STREET_NUMBER_RE = re.compile(
    r"[A-Z][a-zà-ÿ]+(?:straat|laan|weg|plein|gracht|kade|singel|dijk|pad|hof|steeg|park|dreef|burg)\s\d+\w?",
    re.I,
)
_PRIVATE_ADDRESS_RE = re.compile(r"(?:" + alternation(_T["private_address_context"]) + r")", re.I)
_BIRTH_RE = re.compile(
    r"(?:"
    + alternation(_T["birth_context"])
    + r")\s*:?\s*(\d{1,2}[-/. ](?:\d{1,2}|[a-z]{3,9})[-/. ]\d{2,4}|\d{1,2}\s[a-z]{3,9}\s\d{4})",
    re.I,
)
# A quick, exact first look for the two slowest patterns (case-insensitive alternations, which Python's
# re tries at every position): a match needs the leading letters of one of its terms, and folding
# the text as the case-insensitive matcher does (lower case; dotted/dotless i, long s and the kelvin
# sign read as i, s and k) lets plain substring tests find them.
_LEADING_LETTERS = re.compile(r"[^\W\d_]+")


def _needles(terms: list[str]) -> tuple[str, ...] | None:
    """The leading literal letters of each regex-fragment term (None: some term has none)."""
    found = []
    for term in terms:
        term = term.strip().lower()
        m = _LEADING_LETTERS.match(term)
        if m is None:
            return None
        run = m.group(0)
        if term[m.end() : m.end() + 1] in ("?", "*", "{"):
            run = run[:-1]  # the last letter is optional
        if not run:
            return None
        found.append(run)
    return tuple(found)


def _may_match(low: str, needles: tuple[str, ...] | None) -> bool:
    return needles is None or any(map(low.__contains__, needles))  # (map: no Python step per needle)


_ADDRESS_NEEDLES = _needles(_T["private_address_context"])
_BIRTH_NEEDLES = _needles(_T["birth_context"])
_TITLE_NEEDLES = _needles(_T["person_titles"])
_CAPITAL_DOT = re.compile(r"[A-Z]\.")  # what every initial ("J.") of _INITIAL_NAME_RE starts with
_NON_DIGIT_BYTES = bytes(b for b in range(256) if not 0x30 <= b <= 0x39)
# What the text must hold for each id_number term to match (see terms.needles); () for none.
_ID_TERM_NEEDLES = tuple(needles(alternation([term]), re.IGNORECASE) for term in _T["id_number_terms"])


def _count_digits(text: str) -> int:
    """How many characters of ``text`` regex ``\\d`` matches."""
    if text.isascii():
        return len(text.encode("ascii").translate(None, _NON_DIGIT_BYTES))
    return len(_NON_DIGIT.sub("", text))


def _may_hold_id_term(text: str) -> bool:
    """Whether ``text`` holds the literal parts of at least one built-in id_number term."""
    if not all(_ID_TERM_NEEDLES):
        return True
    low = folded(text)
    for required in _ID_TERM_NEEDLES:
        if all(any(n in low for n in spellings) for spellings in required):
            return True
    return False


@lru_cache(maxsize=4096)
def _valid_bsn(digits: str) -> bool:
    return stdnum_bsn.is_valid(digits)


@lru_cache(maxsize=4096)
def _valid_iban(compact: str) -> bool:
    return stdnum_iban.is_valid(compact)


@lru_cache(maxsize=4096)
def _phone(raw: str) -> tuple[bool, str] | None:
    """(a mobile number, E.164 form) of ``raw``, None when phonenumbers cannot read it."""
    digits = re.sub(r"\D", "", raw)
    dutch_mobile = digits.startswith(("06", "316", "00316"))
    try:
        parsed = phonenumbers.parse(raw, "NL")
    except phonenumbers.NumberParseException:
        return None
    # Every 06 number is a Dutch mobile by the numbering plan, allocated or not; elsewhere ask phonenumbers.
    mobile = dutch_mobile or phonenumbers.number_type(parsed) in _MOBILE_TYPES
    return mobile, phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


_DIGIT_PAIR = re.compile(r"\d\d")
_FIVE_DIGITS = re.compile(r"\d(?:\D{0,3}\d){4}")
# Every id_number_terms entry holds one of these (or an extra term from the pack is given).
_ID_HINT = re.compile(r"num|nr|\bid\b|\bno\b|\banr\b|ulcn")
# ... tested as substrings first ("anr" holds "nr"): the alternation has no leading literal to skip
# ahead to, so the regex engine tries it at every position, several times slower than these tests.
_ID_HINT_PARTS = ("num", "nr", "ulcn")
_ID_HINT_WORDS = re.compile(r"\bid\b|\bno\b")


def _id_hint(low: str) -> bool:
    """Whether :data:`_ID_HINT` occurs in ``low``."""
    if any(map(low.__contains__, _ID_HINT_PARTS)):
        return True
    return ("id" in low or "no" in low) and _ID_HINT_WORDS.search(low) is not None


_ORG_AFTER_RE = re.compile(
    r"\W{0,3}(?:van|of|from|bij)\s+(?:de\s+|het\s+|the\s+)?(?:\w+\s+){0,2}?(?:"
    + alternation(_T["organisation_words"])
    + r")\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=256)
def _own_name_re(account: str) -> re.Pattern[str]:
    """'@PolicyBV' -> a pattern for "van Policy BV" right after a number: the account's own name."""
    name = account.lstrip("@").split("@")[0]
    parts = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", name) or [name]
    return re.compile(
        r"\W{0,3}(?:van|of|from|bij|t\.?n\.?v\.?)\s+" + r"\s?".join(re.escape(p) for p in parts),
        re.IGNORECASE,
    )


@lru_cache(maxsize=64)
def _id_number_re(extra: tuple[str, ...]) -> re.Pattern[str]:
    terms = list(_T["id_number_terms"]) + list(extra)
    return re.compile(
        r"\b(?:" + alternation(terms) + r")\b\W{0,4}(?:is\s+|was\s+|nr\.?\s*)?([a-z]{0,2}\d{5,10})\b",
        re.IGNORECASE,
    )


@lru_cache(maxsize=64)
def _prepared(
    functional: tuple[str, ...], numbers: tuple[str, ...], ibans: tuple[str, ...]
) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    return (
        frozenset(a.lower().strip() for a in functional),
        frozenset(n for n in (_e164(x) for x in numbers) if n),
        frozenset(re.sub(r"\s", "", i).upper() for i in ibans),
    )


def _e164(number: str) -> str | None:
    try:
        parsed = phonenumbers.parse(number, "NL")
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _is_functional(local: str, domain: str, functional: frozenset[str]) -> bool:
    local = local.lower()
    if f"{local}@{domain.lower()}" in functional or local in functional:
        return True
    tokens = [t for t in re.split(r"[.\-_+\d]+", local) if t]
    if any(t in _FUNCTIONAL_WORDS for t in tokens) or local.startswith("info"):
        return True
    return local.endswith(_FUNCTIONAL_ENDINGS) or any(word in local for word in _FUNCTIONAL_LONG)


def _named_person(text: str, start: int, end: int) -> str | None:
    """A person's name within the sentence around ``start:end``, if one is written there."""
    lo, hi = max(0, start - 90), min(len(text), end + 90)
    window = text[lo:hi]
    for pattern, may in (
        (_TITLED_NAME_RE, _may_match(fold_case(window), _TITLE_NEEDLES)),
        (_INITIAL_NAME_RE, _CAPITAL_DOT.search(window) is not None),
    ):
        match = pattern.search(window) if may else None
        if match:
            name = match.group(1)
            if name[:1].isupper():
                return name
    return None


def _hit(
    text: str, start: int, end: int, score: float, what_nl: str, what_en: str, kind: str
) -> tuple[int, int, float, str, str, str]:
    return (start, end, score, what_nl, what_en, kind)


def _find(text: str, s: dict[str, Any], account: str = "") -> list[tuple[int, int, float, str, str, str]]:
    functional, own_numbers, own_ibans = _prepared(
        tuple(s.get("functional_addresses", ())),
        tuple(s.get("own_numbers", ())),
        tuple(s.get("own_ibans", ())),
    )
    found = []
    # As re.IGNORECASE reads it. The needles are runs of letters, so a needle occurs here exactly when it
    # occurs in textfeatures.folded (which also collapses white space, at a cost this test does not need).
    low = fold_case(text)
    addresses = _PRIVATE_ADDRESS_RE.finditer(text) if _may_match(low, _ADDRESS_NEEDLES) else ()
    for m in addresses:  # a home address: street and number or postcode nearby
        window_start = m.end()
        place = _STREET_NUMBER_RE.search(text, window_start, window_start + 60) or _POSTCODE_RE.search(
            text, window_start, window_start + 80
        )
        if place:
            found.append((place.start(), place.end(), 0.45, "een woonadres", "a home address", "address"))
            break
    for m in _BIRTH_RE.finditer(text) if _may_match(low, _BIRTH_NEEDLES) else ():
        found.append((m.start(1), m.end(1), 0.45, "een geboortedatum", "a date of birth", "birth_date"))
    has_at = "@" in text
    if has_at:
        for m in _EMAIL_RE.finditer(text):
            local, domain = m.group(1), m.group(2)
            if domain.lower() in _PERSONAL_DOMAINS:
                found.append(
                    _hit(
                        text,
                        m.start(),
                        m.end(),
                        0.9,
                        "een persoonlijk e-mailadres",
                        "a personal e-mail address",
                        "email",
                    )
                )
            elif not _is_functional(local, domain, functional):
                found.append(
                    _hit(
                        text,
                        m.start(),
                        m.end(),
                        0.7,
                        "het e-mailadres van een persoon",
                        "an individual's e-mail address",
                        "email",
                    )
                )
    n_digits = _count_digits(text)  # each pattern below needs at least so many digits
    if n_digits < 5 or not _FIVE_DIGITS.search(text):
        return found
    for m in _BSN_FAST_RE.finditer(text) if n_digits >= 9 else ():
        digits = re.sub(r"\D", "", m.group(1))
        if _valid_bsn(digits) and not _AMOUNT_AFTER.match(text, m.end(1)):
            before = text[max(0, m.start() - 40) : m.start()]
            context = bool(_BSN_CONTEXT_RE.search(before))
            if not context and _NOT_BSN_RE.search(before):
                continue
            found.append(
                _hit(
                    text,
                    m.start(1),
                    m.end(1),
                    0.95 if context else 0.6,
                    "een burgerservicenummer (BSN, elfproef klopt)",
                    "a Dutch citizen service number (BSN, checksum valid)",
                    "bsn",
                )
            )
    own_name = _own_name_re(account) if account else None
    for m in _IBAN_RE.finditer(text) if n_digits >= 10 else ():
        compact = m.group(1).replace(" ", "").upper()
        if compact in own_ibans or not _valid_iban(compact):
            continue
        owner = _IBAN_OWNER_RE.search(text[m.end() : m.end() + 80]) or _IBAN_OWNER_RE.search(
            text[max(0, m.start() - 80) : m.start()]
        )
        if owner and _ORGANISATION_RE.search(owner.group(1)[:40]):
            continue
        # "... op NL91 ABNA 0417 1643 00 van Unicoz": the organisation itself named right after it.
        if _ORG_AFTER_RE.match(text, m.end()) or (own_name and own_name.match(text, m.end())):
            continue
        found.append(
            _hit(
                text,
                m.start(1),
                m.end(1),
                0.8,
                "een bankrekeningnummer (IBAN)",
                "a bank account number (IBAN)",
                "iban",
            )
        )
    extra = tuple(s.get("extra_id_terms", ()))
    low = text.lower()
    may_hold_id = extra or (_id_hint(low) and _may_hold_id_term(text))
    id_matches = _id_number_re(extra).finditer(text) if may_hold_id else ()
    for m in id_matches:
        found.append(
            _hit(
                text,
                m.start(1),
                m.end(1),
                0.85,
                "een student-, leerling- of personeelsnummer",
                "a student, pupil or staff number",
                "id_number",
            )
        )
    for m in _LEIDEN_STUDENT_RE.finditer(text) if n_digits >= 7 else ():
        if not any(f[0] <= m.start(1) < f[1] for f in found):
            found.append(
                _hit(text, m.start(1), m.end(1), 0.6, "een studentnummer", "a student number", "id_number")
            )
    maybe_phone = n_digits >= 9 and ("+" in text or "06" in text or "0 6" in text or "0031" in text)
    for m in _PHONE_RE.finditer(text) if maybe_phone else ():
        phone = _phone(m.group(0))
        if phone is None or not phone[0] or phone[1] in own_numbers:
            continue
        if _SERVICE_CONTEXT_RE.search(text[max(0, m.start() - 40) : m.start()]):
            continue
        found.append(
            _hit(
                text, m.start(), m.end(), 0.8, "een mobiel telefoonnummer", "a mobile phone number", "mobile"
            )
        )
    return found


@rule(
    id="personal_data",
    version=versioned("1.0", "personal_data"),
    serves=("privacy",),
    settings=PersonalDataSettings,
    reads=("text", "account"),
)
def personal_data(post: Post, ctx: RuleContext) -> list[Hit]:
    """BSN (elfproef), IBAN (checksum), student/staff numbers, personal e-mail addresses and mobile
    numbers of individuals, a home address or date of birth next to a named person; a named person
    next to any of them raises score and severity. Functional mailboxes and the organisation's own
    numbers from the pack are not personal data."""
    text = post.text
    if "@" not in text and not _DIGIT_PAIR.search(text):
        return []
    threshold = ctx.settings.get("threshold", 0.5)
    hits = []
    for start, end, score, what_nl, what_en, kind in _find(text, ctx.settings, post.account):
        name = _named_person(text, start, end)
        if name:
            score = min(1.0, score + 0.15)
        if score < threshold:
            continue
        evidence = text[start:end]
        with_nl = f" samen met de naam {name}" if name else ""
        with_en = f" together with the name {name}" if name else ""
        hits.append(
            Hit(
                evidence=evidence,
                start=start,
                end=end,
                score=round(score, 3),
                severity="high" if name or kind in ("bsn", "iban") else "medium",
                explanation_nl=(
                    f"Het bericht bevat {what_nl}{with_nl} ('{evidence}'). Persoonsgegevens van "
                    "individuen horen niet in een openbaar bericht zonder hun toestemming."
                ),
                explanation_en=(
                    f"The post contains {what_en}{with_en} ('{evidence}'). Personal data of "
                    "individuals does not belong in a public post without their consent."
                ),
                details={"kind": kind, **({"person": name} if name else {})},
            )
        )
    return hits
