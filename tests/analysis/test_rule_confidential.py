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
