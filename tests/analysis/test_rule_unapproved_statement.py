"""unapproved_statement: standpoints need a matching approval for the account, within its validity."""

from __future__ import annotations

import pytest

from merkwacht.analysis.rules.unapproved_statement import similarity
from merkwacht.core.post import Approval

from .helpers import run

STANDPOINTS = [
    # Dutch
    "De hogeschool veroordeelt het geweld tegen journalisten tijdens de demonstratie van gisteren.",
    "Wij roepen het kabinet op om de bezuinigingen op het mbo terug te draaien.",
    "Hogeschool West is tegen het voorstel om de basisbeurs opnieuw af te schaffen.",
    "Namens het College van Bestuur: wij maken ons grote zorgen over de nieuwe wet op internationalisering.",
    "Ons standpunt over de staking: wij staan achter onze docenten.",
    "De directie neemt nadrukkelijk afstand van de uitspraken van de oud-voorzitter.",
    "De universiteit vindt dat elke student recht heeft op betaalbare huisvesting.",
    "Wij steunen de actie van de leraren voor kleinere klassen.",
    # English
    "The university condemns the attack on the mosque in the strongest terms.",
    "We call on the government to reverse the cuts to research funding.",
    "Our position on the tuition fee increase: we oppose it.",
    "Hogeschool West will no longer cooperate with companies that violate human rights.",
    "On behalf of the Executive Board: we stand with our international students.",
    "Hogeschool West zegt de samenwerking met leverancier Xtra per direct op.",
    "Wij zijn tegen het plan om de bibliotheek te sluiten.",
    "Hogeschool West sluit zich aan bij de oproep van de PO-raad voor meer geld.",
    "Policy BV gaat niet langer zaken doen met leveranciers die kinderarbeid toestaan.",
    "De universiteit maakt bezwaar tegen de voorgestelde bezuinigingen.",
    "Wij spreken onze steun uit voor de actievoerende leraren.",
    "We stand in solidarity with the people of Ukraine.",
    "Leiden University calls for more investment in fundamental research.",
    "It is our view that tuition fees should be abolished.",
    "Statement: the university will review all ties with fossil fuel companies.",
    "Wij vinden het plan van de minister onaanvaardbaar.",
    "Het standpunt van de universiteit over de samenwerking met het bedrijf staat hier.",
    "Ons standpunt: het collegegeld moet omlaag.",
    "Wij zijn blij met het besluit van het kabinet om te investeren in onderwijs.",
    "We are deeply disappointed by the decision to cut research funding.",
    "As a university we cannot remain silent: we condemn the violence in the region.",
    "The Executive Board strongly opposes the proposed cuts to higher education.",
    "Wij veroordelen elke vorm van racisme, ook op onze scholen.",
    "Hogeschool West neemt afstand van de uitspraken van de wethouder over het speciaal onderwijs.",
    'We regret the decision of the cabinet to raise tuition fees.',
    'Leiden University applauds the new law on academic freedom.',
]

NOT_STANDPOINTS = [
    "We helpen je graag! Stuur ons een DM met je studentnummer.",
    "Morgen is de open dag van 10.00 tot 15.00 uur. Welkom!",
    "We vinden dat ook jammer. Het rooster wordt volgende week aangepast.",
    "Wij ondersteunen studenten bij het vinden van een stageplek.",
    "We support you throughout your studies: book a meeting with a study adviser.",
    "We welcome all new students to campus this week!",
    "Thanks for your feedback, we'll pass it on to the timetable team.",
    "Congratulations to our graduates, we are so proud of you!",
    "De kantine is tegen vijf uur dicht, daarna kun je terecht in de bibliotheek.",
    "Onze onderzoekers spreken op het congres over de gevolgen van de nieuwe wet.",
    "Hogeschool West is voor het eerst gastheer van het landelijke congres.",
    "De school is tegen het einde van de middag gesloten.",
    "Laptops zijn tegen een kleine vergoeding te leen bij de balie.",
    "Wij zeggen dank voor onze samenwerking met de gemeente.",
    "We will not accept late submissions after Friday.",
    "Onze positie in de ranking is gestegen naar plek 12.",
    "We stand by our students, today and every day.",
    "We reject applications that arrive after the deadline.",
    "De universiteit verwelkomt 7.000 nieuwe studenten!",
    "Wij vinden het belangrijk dat je je veilig voelt op school.",
    "We call for papers for our conference on digital humanities!",
    "Wij staan achter de balie van 9 tot 5 klaar voor je vragen.",
    "Steun onze studenten bij de Nationale Studentenenquête!",
    "Onze reactie op je vraag: het rooster komt vrijdag online.",
    "We zijn solidair met elkaar tijdens de tentamenweek: neem een pauze!",
    "Het bestuur van de studievereniging zoekt nieuwe leden.",
    "We are proud of our students and their achievements.",
    "Lees hier het standpunt van de minister over het leenstelsel.",
    "Read the official statement of the ministry here.",
    "Namens het College van Bestuur heten wij u van harte welkom!",
    "We zijn blij met jullie enthousiaste reacties op de open dag!",
    "We are happy to help you with your application.",
    "Thanks for reaching out! We've passed your complaint on to the facilities team.",
    "Ons team staat voor je klaar tijdens de introductieweek.",
    "De gemeente heeft besloten de weg af te sluiten; kom met de fiets.",
    'We regret the inconvenience, the lift will be fixed tomorrow.',
]


@pytest.mark.parametrize("text", STANDPOINTS)
def test_standpoint_without_approval(text):
    assert run("unapproved_statement", text), text


@pytest.mark.parametrize("text", NOT_STANDPOINTS)
def test_not_a_standpoint(text):
    assert run("unapproved_statement", text) == [], text


APPROVED = "Hogeschool West steunt de landelijke actiedag voor lerarensalarissen en sluit daarom op 12 maart."


def _approval(text=APPROVED, account="@Hogeschool", approved_at="2026-03-01", valid_until=None):
    return Approval(
        id="a1",
        account=account,
        text=text,
        approved_by="Woordvoerder",
        approved_at=approved_at,
        valid_until=valid_until,
    )


@pytest.mark.parametrize(
    "published",
    [
        APPROVED,
        APPROVED + " #actiedag #onderwijs",
        APPROVED + " Meer info: https://example.nl/actiedag",
        "Hogeschool West steunt de landelijke actiedag voor lerarensalarissen.",  # shortened
        "Hogeschool West steunt de landelijke actiedag voor hogere lerarensalarissen en sluit op 12 maart.",  # reworded
        "@OCenW " + APPROVED,
        APPROVED.replace("landelijke", "#landelijke") + " #onderwijs #lerarentekort",
        "Wij steunen de landelijke actiedag voor betere lerarensalarissen en sluiten op 12 maart.",  # reworded
    "Hogeschool West ondersteunt de landelijke actiedag voor lerarensalarissen.",
        "Steun voor de landelijke #actiedag voor lerarensalarissen: Hogeschool West sluit op 12 maart.",
    ],
)
def test_matching_approval_covers_the_published_text(published):
    assert run("unapproved_statement", published, approvals=(_approval(),)) == []


def test_approval_for_another_account_does_not_count():
    assert run("unapproved_statement", APPROVED, approvals=(_approval(account="@AndereSchool"),))


def test_approval_for_every_account_counts():
    assert run("unapproved_statement", APPROVED, approvals=(_approval(account=None),)) == []
    assert run("unapproved_statement", APPROVED, approvals=(_approval(account="*"),)) == []


def test_expired_approval_does_not_count():
    expired = _approval(valid_until="2026-04-01")
    assert run("unapproved_statement", APPROVED, approvals=(expired,))
    assert run("unapproved_statement", APPROVED, approvals=(_approval(valid_until="2026-12-31"),)) == []


def test_later_approval_counts_unless_prior_approval_is_required():
    later = _approval(approved_at="2026-06-01")
    assert run("unapproved_statement", APPROVED, approvals=(later,)) == []
    assert run(
        "unapproved_statement", APPROVED, approvals=(later,), settings={"require_prior_approval": True}
    )


@pytest.mark.parametrize(
    "published",
    [
        "Hogeschool West steunt de landelijke staking van schoonmakers en sluit daarom op 12 maart.",
        "Hogeschool West steunt de landelijke actiedag voor klimaatbeleid en sluit daarom op 12 maart.",
    ],
)
def test_a_post_with_content_of_its_own_is_not_covered(published):
    assert run("unapproved_statement", published, approvals=(_approval(),)), published


def test_a_different_standpoint_does_not_match_an_approval_on_another_topic():
    other = "Hogeschool West is tegen het plan om de lerarenopleiding in te korten."
    hits = run("unapproved_statement", other, approvals=(_approval(),))
    assert hits
    assert hits[0].details["closest_approval"] == "a1"


def test_similarity_tolerates_publishing_edits_but_not_other_texts():
    assert similarity(APPROVED + " #onderwijs https://t.co/x", APPROVED) >= 95
    assert similarity("Wij zijn tegen de bezuinigingen op het mbo.", APPROVED) < 60


def test_organisation_names_from_the_pack():
    text = "Stichting Kompas betreurt het besluit van de gemeente om de bibliotheek te sluiten."
    assert run("unapproved_statement", text, settings={"organisation_names": ["Stichting Kompas"]})


def test_english_evidence_span():
    [hit] = run(
        "unapproved_statement", "Sad news today. We condemn the violence against students in Utrecht."
    )
    assert hit.evidence.startswith("We condemn")


def test_hashtags_right_after_a_short_approved_standpoint():
    short = "Hogeschool West steunt de oproep om de basisbeurs te verhogen."
    published = short + " #studiefinanciering #mbo"
    assert run("unapproved_statement", published)
    assert run("unapproved_statement", published, approvals=(_approval(text=short),)) == []
