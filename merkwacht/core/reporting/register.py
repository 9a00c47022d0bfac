"""The processing register (GDPR art. 30) and DPIA inputs (art. 35): PRIVACY.md R14.

Generated, never hand-written: purposes come from the policy pack (one per clause) and the
account register (one per account), retention from the pack, sources from the configured
platform endpoints, roles from the users table (counts only), recipients and safeguards from
what the code does. ``pack_document`` is the pack as a plain dict (``Pack.to_document()``, or
the latest ``PolicyVersion.document`` when the pack cannot be loaded); ``core`` does not import
the analysis package.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..cases import MAX_DAYS
from ..models import Account, RetentionRun, User, utcnow
from ..models.users import ROLES
from ..platforms import PLATFORMS
from ..retention import DEFAULT_PERIODS
from ..settings import Settings

_ROLE_TEXT = {
    "comms": "Communicatie: accounts, berichten en bevindingen met bewijs; beoordeelt bevindingen, houdt het "
             "register van goedgekeurde teksten bij.",
    "council": "Ondernemingsraad: alleen geanonimiseerde totalen (kleine aantallen verborgen), wat er wordt "
               "verzameld en waarom, het evaluatierapport.",
    "admin": "Privacy officer / beheer: opschoning, toegangslogboek, inzageverzoeken, gebruikers.",
}

_CATEGORIES = (
    ("own_posts", "Berichten van de eigen merkaccounts (tekst, tijd, links, bewerkingen, verwijdering)",
     "Medewerkers die het merkaccount bedienen (indirect, via de inhoud)", "platform-API van het merkaccount"),
    ("third_party_text",
     "Tekst van het bericht waarop een merkaccount antwoordt, en de auteur als sleutel-pseudoniem (HMAC)",
     "Derden (publiek)", "platform-API (context van een antwoord)"),
    ("findings", "Bevindingen: regel, clausule, bewijsfragment, score, uitleg", "Medewerkers (indirect)",
     "lokale analyse"),
    ("reviews", "Beoordelingen van bevindingen: uitkomst, reden, notitie, beoordelaar",
     "Beoordelaars; medewerkers (indirect)", "dashboard"),
    ("access_log", "Toegangslogboek: wie, wanneer, welke pagina, bevinding of export (hash-keten)",
     "Gebruikers van Merkwacht", "Merkwacht zelf"),
)


@dataclass
class ProcessingRegister:
    """The register as plain data."""

    generated_at: datetime
    organisation: str
    pack: dict[str, Any]
    purposes: list[dict[str, str]]
    accounts: list[dict[str, Any]]
    categories: list[dict[str, Any]]
    signatures: str
    sources: list[dict[str, str]]
    recipients: list[str]
    roles: list[dict[str, Any]]
    rules: list[dict[str, Any]]
    safeguards: list[str]
    last_purge: datetime | None
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in self.__dict__.items()}


def _sources(settings: Settings) -> list[dict[str, str]]:
    endpoints = {
        "x": settings.x_api_url,
        "reddit": f"{settings.reddit_url}, {settings.reddit_oauth_url}",
        "mastodon": "de instance-URL van elk account",
        "bluesky": settings.bluesky_api_url,
    }
    return [{"platform": name, "endpoint": endpoints.get(name, "—")} for name in PLATFORMS]


def build_register(*, session: Session, settings: Settings, pack_document: dict[str, Any],
                   now: datetime | None = None) -> ProcessingRegister:
    """The processing register from configuration, the account register and ``pack_document``."""
    doc = pack_document or {}
    notes: list[str] = []
    if not doc.get("rules"):
        notes.append("Het beleidspakket kon niet worden geladen: regels en bewaartermijnen hieronder zijn de standaard.")
    retention = {**DEFAULT_PERIODS, **(doc.get("retention_days") or {})}
    council = doc.get("council") or {}
    clauses = {c.get("id"): c for c in doc.get("clauses", []) if isinstance(c, dict)}
    purposes = [{"clause": cid, "title": c.get("title", ""), "purpose": c.get("purpose", "")}
                for cid, c in clauses.items()]
    rules = []
    for rule_id, block in (doc.get("rules") or {}).items():
        if not isinstance(block, dict):
            continue
        rules.append({
            "rule": rule_id,
            "enabled": bool(block.get("enabled", True)),
            "clauses": list(block.get("clauses", [])),
            "purposes": [clauses.get(c, {}).get("purpose", "") for c in block.get("clauses", [])],
        })
    accounts = [
        {"platform": a.platform, "handle": a.display_handle, "unit": a.unit, "purpose": a.purpose, "status": a.status}
        for a in session.scalars(select(Account).order_by(Account.platform, Account.handle_key))
    ]
    role_counts = dict(session.execute(
        select(User.role, func.count()).where(User.disabled.is_(False)).group_by(User.role)
    ).all())
    categories = [
        {"category": key, "description": desc, "subjects": subjects, "source": source,
         "retention_days": int(retention.get(key, DEFAULT_PERIODS[key]))}
        for key, desc, subjects, source in _CATEGORIES
    ]
    last_purge = session.scalar(
        select(func.max(RetentionRun.started_at)).where(RetentionRun.dry_run.is_(False), RetentionRun.status == "ok")
    )
    agreed = bool(doc.get("agreed"))
    return ProcessingRegister(
        generated_at=now or utcnow(),
        organisation=str(doc.get("organisation") or "—"),
        pack={
            "name": doc.get("pack", settings.policy), "version": doc.get("version", "—"),
            "title": doc.get("title", ""), "guideline": doc.get("guideline", ""),
            "hash": doc.get("hash", ""), "content_hash": doc.get("content_hash", ""),
            "agreed": agreed, "agreed_at": council.get("agreed_at"), "reference": council.get("reference"),
            "k": doc.get("k", 5),
        },
        purposes=purposes,
        accounts=accounts,
        categories=categories,
        signatures=("Ondertekeningen van medewerkers in antwoorden (^AB, 'Groet, Sanne') worden alleen als "
                    "sleutel-pseudoniem bewaard en zijn nooit een dimensie van een statistiek; bevindingen per "
                    "ondertekening alleen binnen een goedgekeurd, tijdelijk onderzoeksdossier."),
        sources=_sources(settings),
        recipients=[
            "Geen ontvangers buiten de organisatie: alle analyse draait lokaal, er is geen externe inferentie-API.",
            "Intern: rollen hieronder; de ondernemingsraad ziet alleen totalen.",
        ],
        roles=[{"role": r, "users": int(role_counts.get(r, 0)), "sees": _ROLE_TEXT[r]} for r in ROLES],
        rules=rules,
        safeguards=[
            "Alleen geregistreerde merkaccounts met actieve opt-in; nooit persoonlijke accounts of directe berichten.",
            "Derden alleen als HMAC-pseudoniem (sleutel MERKWACHT_PSEUDONYM_KEY, met rotatieprocedure).",
            f"Kleine aantallen (< k={doc.get('k', 5)}) verborgen, met aanvullende onderdrukking tegen terugrekenen.",
            (
                "Bewaartermijnen met dagelijkse opschoning en verwijderrapport. Uitzondering (legal hold): zolang een "
                f"goedgekeurd onderzoeksdossier loopt (ten hoogste {MAX_DAYS} dagen), blijven de berichten, "
                "bevindingen en beoordelingen die het dossier betreft bewaard; de eerste opschoning na sluiten of "
                "verlopen verwijdert ze. Teksten van derden en ingetrokken toestemming vallen er niet onder."
            ),
            "Toegangslogboek met hash-keten (`merkwacht accesslog verify`).",
            "Bevindingen zijn suggesties: een mens bevestigt of wijst af (AVG art. 22).",
            "Inzage voor iedere betrokkene (`merkwacht inzage`).",
        ],
        last_purge=last_purge,
        notes=notes,
    )


def _pack_line(r: ProcessingRegister) -> str:
    p = r.pack
    status = f"ingestemd op {p['agreed_at']}" if p["agreed"] else "NOG NIET INGESTEMD door de ondernemingsraad"
    return f"{p['name']} versie {p['version']} (hash {str(p['hash'])[:16]}), {status}; k = {p['k']}"


def render_register_markdown(r: ProcessingRegister) -> str:
    def row(*cells: Any) -> str:
        return "| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ") for c in cells) + " |"

    out = [
        "# Verwerkingsregister Merkwacht", "",
        f"_Gegenereerd op {r.generated_at:%Y-%m-%d %H:%M} UTC uit de configuratie en het beleidspakket._", "",
        f"**Organisatie:** {r.organisation}  ", f"**Beleidspakket in gebruik:** {_pack_line(r)}", "",
    ]
    out += [f"**Let op:** {n}" for n in r.notes] + ([""] if r.notes else [])
    out += ["## Doeleinden (per clausule van de richtlijn)", "", row("clausule", "titel", "doel"), "|---|---|---|"]
    out += [row(p["clause"], p["title"], p["purpose"]) for p in r.purposes]
    out += ["", "## Gevolgde merkaccounts", "", row("platform", "account", "eenheid", "doel", "status"),
            "|---|---|---|---|---|"]
    out += [row(a["platform"], a["handle"], a["unit"], a["purpose"], a["status"]) for a in r.accounts]
    out += ["", "## Categorieën van gegevens en bewaartermijnen", "",
            row("categorie", "gegevens", "betrokkenen", "bron", "bewaartermijn (dagen)"), "|---|---|---|---|---|"]
    out += [row(c["category"], c["description"], c["subjects"], c["source"], c["retention_days"]) for c in r.categories]
    out += ["", r.signatures, "", "## Bronnen", "", row("platform", "endpoint"), "|---|---|"]
    out += [row(s["platform"], s["endpoint"]) for s in r.sources]
    out += ["", "## Ontvangers", ""] + [f"- {x}" for x in r.recipients]
    out += ["", "## Rollen", "", row("rol", "gebruikers", "ziet en doet"), "|---|---|---|"]
    out += [row(x["role"], x["users"], x["sees"]) for x in r.roles]
    out += ["", "## Regels in gebruik", "", row("regel", "aan", "clausules"), "|---|---|---|"]
    out += [row(x["rule"], "ja" if x["enabled"] else "nee", ", ".join(x["clauses"])) for x in r.rules]
    out += ["", "## Waarborgen", ""] + [f"- {x}" for x in r.safeguards]
    last = f"{r.last_purge:%Y-%m-%d %H:%M} UTC" if r.last_purge else "nog nooit uitgevoerd"
    out += ["", f"Laatste opschoning: {last}."]
    return "\n".join(out).rstrip() + "\n"


def render_register_html(r: ProcessingRegister) -> str:
    import markdown

    body = markdown.markdown(html.escape(render_register_markdown(r), quote=False), extensions=["tables"])
    return ("<!doctype html><html lang='nl'><head><meta charset='utf-8'><title>Verwerkingsregister</title>"
            "<style>body{font-family:system-ui,sans-serif;max-width:72em;margin:2em auto}"
            "table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:3px 8px;vertical-align:top}"
            "th{background:#eef}</style></head><body>" + body + "</body></html>")
