"""personal_data: BSN with elfproef, IBAN with checksum, student/staff numbers, personal mail and mobiles."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from .helpers import run

POSITIVE = [
    # Dutch
    "Het burgerservicenummer van de cursist is 111222333, graag even aanpassen in het systeem.",
    "Stuur je vraag aan mentor Femke Jansen, femke.jansen@hogeschool-west.nl, zij helpt je verder.",
    "Bel Ahmed gerust op 06 48 12 77 90 als de les uitvalt.",
    "Bel onze docent gerust op +31 6 2345 6789, hij weet er alles van.",
    "Leerlingnummer 2098771 van Daan is gekoppeld aan de verkeerde klas.",
    "Het personeelsnr. 55321 van meneer De Wit staat nog in de oude administratie.",
    "Maak het bedrag over naar NL91 ABNA 0417 1643 00 t.n.v. K. de Boer.",
    "Mail je scriptie naar lotte1998@hotmail.com, dan kijkt ze ernaar.",
    # English
    "Please contact our lecturer Sam Patel at sam.patel@outlook.com about the resit.",
    "Her student number is s2345678, please fix the grade for her.",
    "Call our colleague Tom on 06-98765432 for the keys.",
    "Refunds go to GB82 WEST 1234 5698 7654 32, the account of Mr R. Hughes.",
    "Gefeliciteerd Sanne de Vries (studentnummer 1234567) met je cum laude!",
    "Zijn medewerkersnummer is 778812, geef dat door aan de afdeling.",
    "Vraag het aan Jan via jan.bakker@hogeschool-west.nl",
    "App even naar 0612345678, dat is het nummer van Lisa.",
    "Bel Ans even op (06) 12345678.",
    "Bel Ans: +31 (0)6 1234 5678",
    "Je BSN: 1112.22.333 klopt niet in ons systeem.",
    "Congrats to Emma Visser (student no. 2345678) on her thesis prize!",
    "Questions? Text our colleague Mark on +31 6 12 34 56 78.",
    "Reach Dr. Li directly at li.wei@gmail.com.",
    "Onze collega Anouk de Boer woont op de Breestraat 12 in Leiden, stuur haar een kaartje!",
    "Student Tim Bakker (geboren op 12-03-2004) won de prijs.",
    "Our colleague Sarah Jones lives at Garden Lane 4, her date of birth: 01/02/1990.",
]

NEGATIVE = [
    # functional mailboxes and the organisation's own numbers
    "Vragen? Mail naar info@hogeschool-west.nl of bel 071 527 2727.",
    "Neem contact op met de servicedesk via servicedesk@example.nl of 0800-0224.",
    "Questions about admissions? Write to admissions@example.ac.uk or call +44 20 7946 0000.",
    "Stuur je klacht naar klachten@gemeente.nl, we reageren binnen vijf werkdagen.",
    "Meld je aan via studentenbalie@hogeschool-west.nl.",
    # numbers that only look like data
    "Het project kost 123456782 euro? Nee hoor, 1,2 miljoen.",
    "Ons KvK-nummer is 41215084, ons btw-nummer staat op de factuur.",
    "Doneren kan op NL91 ABNA 0417 1643 00 t.n.v. Stichting Studiefonds.",
    "Volg ons op @hogeschool en gebruik #opendag2026.",
    "De collegezaal heeft 450 stoelen en opent om 08.30 uur.",
    "Ons WhatsApp-nummer voor studenten: 06 12345678 (ma-vr 9-17).",
    "Factuurnummer 2026-004512 is betaald, dank je wel!",
    "Our switchboard is open 24/7 on 0031 71 527 2727.",
    "Het bericht is 1234 keer gedeeld en 5678 keer bekeken.",
    "Mail naar opleidingen@hogeschool.nl voor de brochure.",
    "Vragen over je rooster? roosters@hogeschool.nl",
    "Bel ons op 088 555 1234 of mail vragen@policybv.nl.",
    "Het studentnummer vind je op je collegekaart.",
    "Je ordernummer 123456782 is verzonden, bedankt voor je bestelling!",
    "Ticket 111222333 is opgelost.",
    "Questions? Email press@example.com or call +31 20 123 4567.",
    "Our office hours are 9:00-17:00, room 1.23, building 4.",
    "Zie het rooster op https://example.nl/rooster/2026/blok-3?week=12",
    "Meer info: info@example.nl / 020-1234567",
    "Ons kantoor: Rapenburg 70, 2311 EZ Leiden.",
    "De open dag is op 12-03-2026 in de Breestraat 12.",
    "Woont u in Leiden? Kom naar de Breestraat 12!",
    "Vragen over inschrijven? Mail studentenzaken@hogeschool-west.nl of bel 010-7654321.",
    "Storing? Mail ictdesk@hogeschool-west.nl.",
    "Betaal de ouderbijdrage op NL91 ABNA 0417 1643 00 van Hogeschool West.",
    "De ouderbijdrage kan op NL91 ABNA 0417 1643 00 van de stichting.",
]


@pytest.mark.parametrize("text", POSITIVE)
def test_finds_personal_data(text):
    hits = run("personal_data", text)
    assert hits, text


@pytest.mark.parametrize("text", NEGATIVE)
def test_leaves_organisation_data_alone(text):
    assert run("personal_data", text) == [], text


def test_bsn_needs_the_elfproef():
    assert run("personal_data", "Het BSN 111222333 is bekend.")
    assert run("personal_data", "Het BSN 111222334 is bekend.") == []


def test_iban_needs_a_valid_checksum():
    assert run("personal_data", "Maak over naar NL91ABNA0417164300 t.n.v. J. Jansen.")
    assert run("personal_data", "Maak over naar NL92ABNA0417164300 t.n.v. J. Jansen.") == []


def test_named_person_raises_severity():
    [alone] = run("personal_data", "Mail gerust naar pietjepuk@gmail.com.")
    [named] = run("personal_data", "Mail docent Pieter Puk gerust via pietjepuk@gmail.com.")
    assert named.score > alone.score
    assert named.severity == "high"
    assert named.details["person"] == "Pieter Puk"


def test_pack_functional_addresses_and_numbers_are_excluded():
    text = "Mail k.vermeulen@example.nl of bel ons team op 06 11 22 33 44."
    assert len(run("personal_data", text)) == 2
    settings = {"functional_addresses": ["k.vermeulen@example.nl"], "own_numbers": ["0611223344"]}
    assert run("personal_data", text, settings=settings) == []


def test_own_iban_from_pack_is_excluded():
    text = "Betaal de ouderbijdrage op NL91 ABNA 0417 1643 00 onder vermelding van de naam van je kind."
    assert run("personal_data", text)
    assert run("personal_data", text, settings={"own_ibans": ["NL91ABNA0417164300"]}) == []


def test_evidence_span_and_details():
    text = "Bel Ahmed gerust op 06 48 12 77 90 als de les uitvalt."
    [hit] = run("personal_data", text)
    assert hit.evidence == "06 48 12 77 90"
    assert hit.details["kind"] == "mobile"


# --- cheap first looks (speed): they must never skip what the full patterns find ---


def test_digit_count_matches_the_regex_count():
    import re

    from merkwacht.analysis.rules import personal_data as pd

    for text in ["geen cijfers", "tel 06-12345678 of 070 123", "\u0661\u0662\u0663 en 45", "x\u00b2 = 4"]:
        assert pd._count_digits(text) == len(re.sub(r"\D", "", text))


@pytest.mark.parametrize(
    "text",
    [
        "Haar studenten  nummer is 1234567, geef het door.",
        "Zijn werknemer nummer: 445566 staat verkeerd.",
        "Het UL-nummer 7654321 van Bram is gekoppeld.",
        "STAFF ID 554433 belongs to our colleague Ruth.",
    ],
)
def test_id_number_written_in_other_ways(text):
    hits = run("personal_data", text)
    assert any(h.details["kind"] == "id_number" for h in hits), text


def test_named_person_found_by_title_and_by_initials():
    from merkwacht.analysis.rules import personal_data as pd

    text = "Stuur het naar dhr. Van Dam, of naar J.P. Smit, via 0612345678."
    assert pd._named_person(text, 50, 60) == "Van Dam"
    assert pd._named_person("bel J. Smit op 0612345678", 14, 24) == "J. Smit"
    assert pd._named_person("bel hem op 0612345678", 11, 21) is None


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789 .,/-€$aZ_\n")), max_size=40))
@example("1234.56.782 123 456 782 123456782 a123456782 /123456782 123456782.5")
def test_the_fast_bsn_pattern_finds_what_the_definition_finds(text):
    from merkwacht.analysis.rules.personal_data import _BSN_FAST_RE, _BSN_RE

    assert [m.span(1) for m in _BSN_FAST_RE.finditer(text)] == [m.span(1) for m in _BSN_RE.finditer(text)]
    assert [m.span() for m in _BSN_FAST_RE.finditer(text)] == [m.span() for m in _BSN_RE.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("numrideoaclu _.-1\u0130")), max_size=30))
@example("anr")
@example("bid no")
@example("id")
def test_the_id_hint_test_agrees_with_its_pattern(text):
    from merkwacht.analysis.rules.personal_data import _ID_HINT, _id_hint

    low = text.lower()
    assert _id_hint(low) == (_ID_HINT.search(low) is not None)
