"""confidential: leaks of internal or embargoed information, not promises of discretion."""

from __future__ import annotations

import pytest

from .helpers import run

POSITIVE = [
    # Dutch
    "Het is nog niet officieel, maar volgend jaar openen we een tweede locatie in Zwolle.",
    "Psst, we mogen het eigenlijk nog niet zeggen: de nieuwe rector is bekend!",
    "Uit de notulen van het MT-overleg: de afdeling marketing wordt opgeheven.",
    "Persbericht onder embargo tot donderdag 10.00 uur: ons onderzoek naar leesvaardigheid.",
    "We verklappen alvast iets uit de interne memo over de reorganisatie.",
    "Vers uit de bestuursvergadering: het collegegeld voor masters gaat omhoog.",
    "Vertrouwelijk: de directie overweegt de vestiging in Emmen te sluiten.",
    "De cijfers zijn nog niet openbaar, maar het aantal aanmeldingen is flink gedaald.",
    # English
    "Not official yet, but we're moving the campus to the harbour district in 2028!",
    "According to the minutes of last week's board meeting, three programmes will be cut.",
    "Embargoed until 9 March: our study on sleep and exam results.",
    "We're not supposed to tell you this, but the new library opens a month early.",
    "Leaked memo shows the merger talks are further along than announced.",
    "Het is nog even geheim, maar er komt een nieuwe opleiding bij!",
    "Volgens een intern rapport is de helft van de gebouwen verouderd.",
    "Embargo: 12 maart 10.00 uur. Onderzoek naar schooltijden.",
    "This is covered by an NDA, but we can say the new partner is a big tech firm.",
    "Officieus: de nieuwe decaan wordt prof. Jansen.",
    "Uit de besloten vergadering van de raad: de fusie gaat door.",
    "For internal use only: the staff survey results are in.",
    "Het onderzoek is nog niet gepubliceerd, maar de resultaten zijn veelbelovend.",
    "This has not yet been announced, but we are opening a new campus.",
    "Still under wraps: our new logo!",
    "Don't tell anyone yet, but we're getting a new rector next month!",
    "Spoiler from the internal budget memo: every faculty gets 2% less.",
    "The board decided behind closed doors to sell the old observatory.",
    "Sneak peek from the confidential board minutes: the merger is happening.",
    "Het MT heeft vandaag in besloten kring besloten het roosterteam op te heffen.",
    "Hou het nog even onder ons, maar de nieuwe sporthal komt er.",
    "We can already reveal what is not yet public: the new master's programme starts in 2027.",
    "Jaarplan 2027, vertrouwelijk: de afdeling Marketing krijgt er een ton bij.",
    "De uitslag van de selectiecommissie is vertrouwelijk, maar tussen ons: iedereen is aangenomen.",
    "Uit de interne evaluatie van de opleiding (niet voor verspreiding): het programma wordt ingekort.",
]

NEGATIVE = [
    "Heb je last van ongewenst gedrag? Praat met een van onze vertrouwenspersonen.",
    "Wij gaan zorgvuldig en vertrouwelijk om met je persoonsgegevens.",
    "Je gegevens worden altijd vertrouwelijk behandeld. Lees onze privacyverklaring.",
    "Your answers to the survey are kept confidential and used for research only.",
    "Need someone to talk to? Our confidential advisers are there for you.",
    "Het handelsembargo tegen Rusland raakt ook onze onderzoekssamenwerking, lees het interview.",
    "De notulen van de openbare raadsvergadering staan online: https://example.nl/notulen",
    "Officieel geopend: ons nieuwe onderwijsgebouw! Kom gerust een kijkje nemen.",
    "Het geheim van goed onderwijs? Docenten die tijd hebben voor hun leerlingen.",
    "The official opening of the new wing is on Friday; everyone is welcome.",
    "We will tell you more about the programme at the open day.",
    "Na overleg met de medezeggenschapsraad is het nieuwe rooster vastgesteld.",
    "Houd je wachtwoord altijd geheim en deel het met niemand.",
    "De besloten vergadering van de raad begint om 20.00 uur.",
    "Ons NDA-sjabloon voor start-ups vind je op de website.",
    "The results have been published in Nature today.",
    "Het persbericht staat op onze website.",
    "Our confidentiality policy explains how we handle your data.",
    "You can always talk to a confidential counsellor at Student Support.",
    "Nieuw: onze vertrouwenspersoon is elke dinsdag bereikbaar.",
    "Our board meeting is open to the public on Thursday at 19:00.",
    "Vertrouwelijke gesprekken kun je voeren met de schoolmaatschappelijk werker.",
    "Het persbericht over de nieuwe sporthal vind je op onze site.",
    "De nieuwe norm is nog niet gepubliceerd.",
    "De samenwerking tussen ons en de gemeente loopt goed.",
    "Wij behandelen je aanvraag altijd vertrouwelijk.",
]


@pytest.mark.parametrize("text", POSITIVE)
def test_finds_leaks(text):
    assert run("confidential", text), text


@pytest.mark.parametrize("text", NEGATIVE)
def test_not_a_leak(text):
    assert run("confidential", text) == [], text


def test_confidential_project_names_from_the_pack():
    text = "Mooie stap vandaag voor Project Zeegras, meer volgt snel!"
    assert run("confidential", text) == []
    [hit] = run("confidential", text, settings={"confidential_terms": ["Project Zeegras"]})
    assert hit.evidence == "Project Zeegras"
    assert hit.details["kind"] == "project"


def test_evidence_points_at_the_phrase():
    [hit] = run("confidential", "Het is nog niet officieel, maar we groeien.")
    assert hit.evidence.lower() == "nog niet officieel"
    assert hit.severity == "high"
