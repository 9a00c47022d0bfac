"""A small, committed database for the dashboard tests: accounts on all four platforms, posts with
replies, findings of every post-level rule (with distinctive ids), reviews, a policy version
with clause wording, collection runs, approvals, and one user per role.

All sentences are written for these tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from merkwacht.core import auth
from merkwacht.core.models import (
    Account,
    Approval,
    CollectionRun,
    Finding,
    OptIn,
    PolicyVersion,
    Post,
    RetentionRun,
    Review,
)
from merkwacht.core.pseudonyms import pseudonym, signature_pseudonym

PASSWORDS = {"carla": "comms-wachtwoord-1", "oscar": "council-wachtwoord-1", "ada": "admin-wachtwoord-1"}
ROLES = {"carla": "comms", "oscar": "council", "ada": "admin"}
#: Finding ids start here so a test can look for them in rendered text.
FIRST_FINDING_ID = 770001
KEY = b"dashboard-test-key-0123456789"

DOCUMENT = {
    "name": "generic",
    "title": "Algemene socialemediarichtlijn",
    "version": "2026.1",
    "k": 5,
    "retention": {"findings": 183, "reviews": 183, "third_party_text": 183, "own_posts": 730},
    "clauses": [
        {
            "id": "generic/bronnen",
            "title": "Noem je bronnen",
            "text": "Onderbouw feiten en cijfers met een bron die anderen kunnen controleren.",
            "purpose": "Betrouwbaarheid van wat de organisatie publiceert.",
        },
        {
            "id": "generic/standpunten",
            "title": "Standpunten alleen na goedkeuring",
            "text": "Een standpunt van de organisatie wordt pas gedeeld als het bestuur de tekst heeft goedgekeurd.",
            "purpose": "Eén stem naar buiten.",
        },
        {
            "id": "generic/toon",
            "title": "Blijf respectvol",
            "text": "Reageer zakelijk en vriendelijk, ook op kritiek.",
            "purpose": "De organisatie behandelt iedereen met respect.",
        },
        {
            "id": "generic/privacy",
            "title": "Deel geen persoonsgegevens",
            "text": "Publiceer geen gegevens waarmee iemand te identificeren is.",
            "purpose": "Bescherming van studenten, medewerkers en derden.",
        },
        {
            "id": "generic/vertrouwelijk",
            "title": "Vertrouwelijke informatie blijft binnen",
            "text": "Interne stukken en informatie onder embargo worden niet gedeeld.",
            "purpose": "Zorgvuldige besluitvorming.",
        },
    ],
    "rules": {
        "missing_source": {"clauses": ["generic/bronnen"]},
        "unapproved_statement": {"clauses": ["generic/standpunten"]},
        "off_tone": {"clauses": ["generic/toon"]},
        "personal_data": {"clauses": ["generic/privacy"]},
        "confidential": {"clauses": ["generic/vertrouwelijk"]},
    },
}

CLAIMS = [
    "Ruim 70% van onze alumni vindt binnen drie maanden een baan.",
    "Onze opleiding scoort het hoogst van het land in de nieuwe ranglijst.",
    "Uit onderzoek blijkt dat studenten met een mentor vaker slagen.",
    "Twee op de drie bezoekers komen met de fiets naar de campus.",
    "Studies show that our summer school doubles exam scores.",
    "Het aantal aanmeldingen steeg dit jaar met 18 procent.",
    "De nieuwe bibliotheek bespaart 40% energie ten opzichte van de oude.",
]
REPLY_PARENT = "Waarom staat de inschrijving voor de open dag nog steeds dicht? Belachelijk."
REPLY_OFF_TONE = "Misschien eerst zelf even lezen voordat je gaat klagen, het staat gewoon op de site."
PERSONAL = "Vragen over je cijfer? Bel gerust onze collega Joris op 06-12345678."
STANDPOINT = "Namens het College van Bestuur: wij keuren de bezuinigingen op het onderwijs af."
CONFIDENTIAL = "Uit het interne memo, nog niet officieel: de faculteit verhuist volgend jaar."
NEUTRAL = [
    "Welkom bij de open dag! De deuren gaan om tien uur open.",
    "De bibliotheek is maandag gesloten vanwege onderhoud.",
    "Happy holidays from all of us at the campus!",
]


@dataclass
class Seeded:
    url: str
    finding_ids: list[int] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    reply_parent: str = REPLY_PARENT
    author_pseudonym: str = ""
    signature_pseudonym: str = ""
    handles: list[str] = field(default_factory=list)
    open_missing_source: int = 0


def seed(session: Session, url: str, *, now: datetime | None = None) -> Seeded:
    now = now or datetime.now(UTC).replace(microsecond=0)
    out = Seeded(url=url)
    out.author_pseudonym = pseudonym("boze_bezoeker", key=KEY, platform="x")
    out.signature_pseudonym = signature_pseudonym("^JV", key=KEY)
    pack_hash = "a" * 64
    session.add(
        PolicyVersion(
            pack="generic",
            version="2026.1",
            pack_hash=pack_hash,
            document=DOCUMENT,
            agreed_at=now - timedelta(days=40),
            agreed_hash=pack_hash,
            first_used_at=now - timedelta(days=30),
            last_used_at=now,
        )
    )
    specs = [
        ("x", "UniDemo", "", "Communicatie"),
        ("mastodon", "nieuws", "https://social.example.nl", "Faculteit"),
        ("reddit", "CampusDemo", "", "Studentenzaken"),
        ("bluesky", "demo.example.nl", "", "Communicatie"),
    ]
    accounts = []
    for platform, handle, instance, unit in specs:
        account = Account(
            platform=platform,
            handle=handle,
            handle_key=handle.lower(),
            instance=instance,
            unit=unit,
            purpose="Voorlichting aan studenten en publiek",
            status="active",
            platform_account_id=f"{platform}-{handle}",
            credentials_env=None,
        )
        account.opt_ins.append(
            OptIn(
                granted_by="Hoofd Communicatie",
                granted_role="accounteigenaar",
                granted_at=now - timedelta(days=60),
                purpose="Toetsing aan de richtlijn",
            )
        )
        session.add(account)
        accounts.append(account)
        out.handles.append(handle)
    # a dormant, rate-limited account with overdue credentials
    accounts[2].credentials_env = "CAMPUS_REDDIT"
    accounts[2].next_allowed_at = now + timedelta(minutes=30)
    session.flush()
    for account in accounts:
        session.add(
            CollectionRun(
                account_id=account.id,
                platform=account.platform,
                started_at=now - timedelta(hours=2),
                finished_at=now - timedelta(hours=2) + timedelta(seconds=5),
                status="ok",
                requests=2,
                posts_new=5,
            )
        )
    session.add(
        CollectionRun(
            account_id=accounts[2].id,
            platform="reddit",
            started_at=now - timedelta(hours=1),
            finished_at=now - timedelta(hours=1),
            status="rate_limited",
            error_code="rate_limited",
            error_message="429 Too Many Requests",
        )
    )

    next_id = FIRST_FINDING_ID
    posts: list[tuple[Post, str | None, str, str, str]] = []

    def add_post(
        account: Account,
        text: str,
        *,
        days_ago: float,
        kind: str = "post",
        rule: str | None = None,
        evidence: str = "",
        severity: str = "medium",
        clause: str = "",
        reply_to: str | None = None,
    ) -> Post:
        post = Post(
            account_id=account.id,
            platform_post_id=f"{account.platform}-{len(posts) + 1}",
            created_at=now - timedelta(days=days_ago),
            kind=kind,
            lang="nl",
            text=text,
            urls=[],
            content_hash=f"h{len(posts)}",
            in_reply_to_id="parent-1" if reply_to else None,
            in_reply_to_text=reply_to,
            in_reply_to_author=out.author_pseudonym if reply_to else None,
            signature=out.signature_pseudonym if kind == "reply" else None,
        )
        session.add(post)
        posts.append((post, rule, evidence, severity, clause))
        out.texts.append(text)
        return post

    for i, claim in enumerate(CLAIMS):
        add_post(
            accounts[i % 2],
            claim,
            days_ago=1 + i,
            rule="missing_source",
            evidence=claim.split(" ")[1] if i != 2 else "Uit onderzoek blijkt",
            clause="generic/bronnen",
        )
    add_post(
        accounts[0],
        REPLY_OFF_TONE,
        days_ago=2,
        kind="reply",
        rule="off_tone",
        evidence="Misschien eerst zelf even lezen",
        severity="high",
        clause="generic/toon",
        reply_to=REPLY_PARENT,
    )
    add_post(
        accounts[1],
        PERSONAL,
        days_ago=3,
        rule="personal_data",
        evidence="06-12345678",
        severity="high",
        clause="generic/privacy",
    )
    add_post(
        accounts[3],
        STANDPOINT,
        days_ago=4,
        rule="unapproved_statement",
        evidence="Namens het College van Bestuur",
        clause="generic/standpunten",
    )
    add_post(
        accounts[3],
        CONFIDENTIAL,
        days_ago=5,
        rule="confidential",
        evidence="nog niet officieel",
        severity="high",
        clause="generic/vertrouwelijk",
    )
    for i, text in enumerate(NEUTRAL):
        add_post(accounts[i % 4], text, days_ago=0.5 + i)
    session.flush()
    for post, rule, evidence, severity, clause in posts:
        if rule is None:
            continue
        start = post.text.find(evidence)
        finding = Finding(
            id=next_id,
            post_id=post.id,
            account_id=post.account_id,
            rule=rule,
            rule_version="1",
            pack="generic",
            pack_version="2026.1",
            pack_hash=pack_hash,
            clause=clause,
            severity=severity,
            score=0.9,
            evidence=evidence,
            evidence_start=start if start >= 0 else None,
            evidence_end=start + len(evidence) if start >= 0 else None,
            explanation_nl=f"De regel {rule} vond '{evidence}'.",
            explanation_en=f"Rule {rule} found '{evidence}'.",
            created_at=post.created_at + timedelta(minutes=5),
        )
        session.add(finding)
        out.finding_ids.append(next_id)
        next_id += 1
    session.flush()
    out.open_missing_source = len(CLAIMS)
    # one finding already reviewed earlier (confirmed), so history shows
    confirmed = session.get(Finding, FIRST_FINDING_ID + len(CLAIMS) + 1)  # the personal_data finding
    assert confirmed is not None and confirmed.rule == "personal_data"
    confirmed.status = "confirmed"
    session.add(
        Review(
            finding_id=confirmed.id,
            disposition="confirmed",
            note="Telefoonnummer verwijderd",
            reviewer="carla",
            created_at=now - timedelta(days=1),
        )
    )
    session.add(
        Approval(
            external_id="a-demo-1",
            account_handle="@unidemo",
            text="Wij steunen de landelijke actie voor veilige campussen.",
            approved_by="Bestuurssecretaris",
            approved_at=now - timedelta(days=20),
        )
    )
    session.add(
        RetentionRun(
            started_at=now - timedelta(days=1),
            finished_at=now - timedelta(days=1),
            dry_run=False,
            status="ok",
            triggered_by="scheduler",
            counts={"findings": 7, "reply_context": 3},
            periods={"findings": 183},
            report="7 bevindingen en 3 reactieteksten verwijderd.",
        )
    )
    for username, role in ROLES.items():
        auth.add_user(session=session, username=username, role=role, password=PASSWORDS[username])
    session.flush()
    return out
