"""missing_source: factual claims without a link or a named source -- and what is not a claim.

Every sentence here is written for this test; none comes from a labelled data set.
"""

from __future__ import annotations

import pytest

from merkwacht.analysis.detect.claims import find_claim, named_source
from merkwacht.analysis.detect.triggers import leading_literals

from .helpers import run

CLAIMS_NL = [
    "Zeven op de tien studenten werken naast hun studie.",
    "Uit onderzoek blijkt dat thuiswerkers minder vaak ziek zijn.",
    "Onze biologen ontdekten dat mieren elkaar kunnen tellen.",
    "Het aantal aanmeldingen steeg met 18% ten opzichte van vorig jaar.",
    "Een kwart van de docenten denkt erover het onderwijs te verlaten.",
    "Leerlingen die ontbijten halen gemiddeld hogere cijfers.",
    "Wij zijn de duurzaamste hogeschool van Nederland.",
    "Koffie verlaagt het risico op alzheimer.",
]
CLAIMS_EN = [
    "Nine out of ten graduates find a job within a year.",
    "Studies show that reading on paper improves recall.",
    "Our researchers have shown that sleep deprivation halves exam scores.",
    "Tuition debt has doubled since 2010.",
    "We are the oldest university in the country.",
    "Remote teams are 20% more productive than office teams.",
]
SOURCED = [
    "Zeven op de tien studenten werken naast hun studie, blijkt uit cijfers van het CBS.",
    "Uit onderzoek van het Nibud blijkt dat studenten vaker lenen: https://www.nibud.nl/rapport",
    "Het aantal aanmeldingen steeg met 18% (bron: jaarverslag 2025).",
    "Studies show that reading on paper improves recall, according to a review in Nature.",
    "Nine out of ten graduates find a job within a year (source: Graduate Survey 2025).",
    "Our researchers have shown that sleep deprivation halves exam scores: https://doi.org/10.1000/xyz",
]
NOT_CLAIMS = [
    "Vandaag is de open dag! Je bent welkom van 10.00 tot 15.00 uur.",
    "De kantine is op maandag gesloten wegens onderhoud.",
    "Vacature: beleidsmedewerker onderwijs (28 uur). Solliciteer voor 1 juni.",
    "Gefeliciteerd aan alle 350 geslaagden van dit jaar!",
    "Bel ons op 071 527 2727 of mail naar info@example.org.",
    "Onze collega Anna gaat na 25 jaar met pensioen. Bedankt voor alles!",
    "Join us on Thursday at 15:00 for the inaugural lecture in room 1.12.",
    "Happy holidays from all of us! We reopen on 3 January.",
    "Wat vinden jullie: moet de bibliotheek langer open?",
    "Is het waar dat de helft van de studenten geen stage vindt?",
    "Tuition fees will rise by 4% next year, the board decided.",
]


@pytest.mark.parametrize("text", CLAIMS_NL)
def test_dutch_claims_without_source_are_reported(text):
    assert run("missing_source", text, lang="nl"), text


@pytest.mark.parametrize("text", CLAIMS_EN)
def test_english_claims_without_source_are_reported(text):
    assert run("missing_source", text, lang="en"), text


@pytest.mark.parametrize("text", SOURCED)
def test_a_link_or_named_source_is_enough(text):
    assert not run("missing_source", text), text


@pytest.mark.parametrize("text", NOT_CLAIMS)
def test_announcements_greetings_questions_and_practical_facts_are_not_claims(text):
    assert not run("missing_source", text), text


def test_a_link_given_by_the_platform_counts_as_a_source():
    from .helpers import post

    with_link = post("Zeven op de tien studenten werken naast hun studie.").model_copy(
        update={"urls": ("https://example.org/onderzoek",)})
    assert not run("missing_source", with_link)


def test_evidence_is_the_sentence_with_the_claim():
    text = "Fijne week allemaal! Uit onderzoek blijkt dat 60% van de studenten stress ervaart."
    [hit] = run("missing_source", text)
    assert hit.evidence == "Uit onderzoek blijkt dat 60% van de studenten stress ervaart."
    assert "bron" in hit.explanation_nl and "source" in hit.explanation_en


def test_trusted_sources_from_the_pack_count_as_named_sources():
    text = "Driekwart van onze alumni werkt binnen een half jaar, volgens de alumnimonitor."
    assert run("missing_source", text)
    assert not run("missing_source", text, settings={"trusted_sources": ["alumnimonitor"]})


def test_named_source_needs_a_name_not_an_opinion():
    assert named_source("Volgens het CBS werkt 70% naast de studie.")
    assert named_source("Volgens mij werkt 70% naast de studie.") is None


def test_claim_detector_without_the_model_still_finds_statistics():
    claim = find_claim("Acht op de tien docenten ervaren werkdruk.", lang="nl", use_model=False)
    assert claim is not None and claim.category == "figure"
    assert find_claim("", lang="nl") is None


def test_pattern_triggers_are_read_from_the_regular_expressions():
    assert leading_literals(r"\b(?:sounds|seems)\s+like\s+a\b") == {"sounds like a", "seems like a"}
    assert leading_literals(r"\b(?:het\s+)?zeggen\s+dat\b") == {"het zeggen dat", "zeggen dat"}
    assert leading_literals(r"[a-z]\*{2,}") is None


# --- the claims model on its own, and what keeps it from flagging (issue 5) ---

PRACTICAL_FACTS = [  # an organisation's own practical facts: factual, but the guidelines ask no source
    ("nl", "De parkeergarage aan de Stationsweg gaat dicht voor renovatie."),
    ("nl", "Het nieuwe studiejaar start op 2 september."),
    ("nl", "De kerstvakantie begint vrijdag."),
    ("en", "Registration for the summer school is now open."),
    ("en", "The library will be closed during the holidays."),
    ("en", "Our new campus café opens next week."),
]


@pytest.mark.parametrize(("lang", "text"), PRACTICAL_FACTS)
def test_practical_facts_of_the_organisation_are_not_claims(lang, text):
    assert not run("missing_source", text, lang=lang), text


@pytest.mark.parametrize(("lang", "text"), [
    ("nl", "De minister van Volksgezondheid is afgetreden na het rapport over de wachtlijsten."),
    ("nl", "De ziekenhuizen in het noorden hebben bijna geen bedden meer op de intensive care."),
    ("en", "Hospitals in the north are running out of intensive care beds."),
])
def test_the_model_alone_finds_a_factual_statement_without_signal_words(lang, text):
    [hit] = run("missing_source", text, lang=lang)
    assert hit.details["category"] == "statement"
    # no signal words to quote: the explanation names the kind of claim without an empty quotation
    assert "\u201c\u201d" not in hit.explanation_nl + hit.explanation_en
    assert "een feitelijke bewering zonder link" in hit.explanation_nl


def test_a_reply_gets_no_claim_from_the_model_alone():
    text = "Hospitals in the north are running out of intensive care beds."
    assert not run("missing_source", text, lang="en", kind="reply", reply="Hoe gaat het in de regio?")


def test_a_day_is_a_date_in_a_news_post_and_an_announcement_when_we_speak():
    assert run("missing_source", "Vandaag zijn er 40 nieuwe besmettingen gemeld in de regio.", lang="nl")
    assert run("missing_source", "Today 40 new infections were reported in the region.", lang="en")
    assert not run("missing_source", "Morgen staan we met 12 collega's op de onderwijsbeurs.", lang="nl")
    assert not run("missing_source", "Tomorrow we are at the education fair with 12 colleagues.", lang="en")


@pytest.fixture
def sure_model(monkeypatch):
    """A claims model that reads every text as a factual statement: what is left to the gates."""
    from merkwacht.analysis.detect import claims

    class Sure:
        def probability(self, text: str) -> float:
            return 0.99

    monkeypatch.setattr(claims, "load", lambda name: Sure())
    claims._find_claim_cached.cache_clear()
    yield
    claims._find_claim_cached.cache_clear()


@pytest.mark.parametrize(("lang", "text"), [
    ("nl", "De hogeschool steunt de staking van het onderwijspersoneel."),
    ("nl", "Het college van bestuur vindt dat studeren betaalbaar moet blijven."),
    ("nl", "Wij zijn tegen het plan om de basisbeurs te verlagen."),
    ("en", "The university welcomes the new law on open science."),
    ("en", "Our board calls on the government to fund teacher salaries."),
    ("nl", "Vrijdag sluiten we de bibliotheek voor de inventaris."),
    ("en", "On Monday we move the help desk to the ground floor."),
    ("nl", "We zijn trots op onze nieuwe campus."),
    ("en", "Maybe the exams move to June."),
    ("en", "Is the library open during the holidays?"),
])
def test_stances_announcements_hedges_and_questions_stop_the_model_alone(sure_model, lang, text):
    assert find_claim(text, lang=lang) is None, text


def test_the_sure_model_alone_makes_a_claim_of_a_plain_statement(sure_model):
    claim = find_claim("The river flooded three villages last winter.", lang="en")
    assert claim is not None and claim.category in ("statement", "number")
    assert find_claim("The river flooded three villages last winter.", lang="en", model_alone=False) is None


def test_a_post_is_read_sentence_by_sentence():
    from merkwacht.analysis.detect.claims import statement_probability

    one = "De minister van Volksgezondheid is afgetreden na het rapport over de wachtlijsten."
    chat = "Wat een week was het weer, zeg."
    assert statement_probability(f"{chat} {one}") >= max(statement_probability(one), statement_probability(chat))
    # leading mentions of a reply and links are not read as words of the statement
    assert statement_probability(f"@iemand @nogiemand {one}") == pytest.approx(statement_probability(one))
    assert statement_probability(f"{one} https://example.org/x") == pytest.approx(statement_probability(one))


@pytest.mark.parametrize(
    "text",
    [
        "Uit CBS-cijfers blijkt dat een op de vijf huurders krap zit.",
        "Dat heeft het #RIVM bekendgemaakt: twaalf besmettingen in Tilburg.",
        "Er zijn 30 griepgevallen bij de GGD gemeld.",
        "Het RIVM meldt 40 nieuwe gevallen.",
        "RIVM: 40 nieuwe gevallen in Noord-Brabant.",
        "@WHO estimates that 5% of children lack vaccines.",
        "Figures from the ONS show 2% more deaths.",
        "A new study in Science shows remote workers are 13% more productive.",
    ],
)
def test_a_named_publisher_counts_where_it_is_cited(text):
    assert named_source(text), text


@pytest.mark.parametrize(
    "text",
    [
        "Weer past het #RIVM de grafiek aan, nu 30% lager. #RIVM onbetrouwbaar",
        "De farmaceut heeft het #RIVM in de zak, zeggen ze.",
        "Bel het CBS maar eens. De sterfte ligt 2% hoger.",
        "De tegemoetkoming kan vanaf 6 april worden aangevraagd bij UWV.",
        "The senator loves to talk Science while 3 labs close.",
    ],
)
def test_a_publisher_merely_mentioned_is_not_a_source(text):
    assert named_source(text) is None, text


def test_a_publisher_in_brackets_or_after_bron_is_a_source():
    assert named_source("In 2025 woonden er 18 miljoen mensen in Nederland (CBS).")
    assert named_source("Werkloosheid 3,6% (CBS, mei 2025)")
    assert named_source("Bron CBS: 12% meer studenten dan vorig jaar.")
    assert named_source("Wij (RIVM-medewerkers) werken 20% meer uren.") is None


def test_a_pack_sets_how_sure_the_model_must_be_per_language():
    # a statement without figures, research or quotes: the model alone decides, at the pack's threshold
    text = "Het college van bestuur heeft een nieuwe voorzitter benoemd."
    assert not run("missing_source", text, lang="nl")
    assert run("missing_source", text, lang="nl", settings={"statement_threshold": {"nl": 0.5}})
    assert not run("missing_source", text, lang="nl", settings={"statement_threshold": {"en": 0.1}})


@pytest.mark.parametrize("value", [{"nl": 1.5}, {"fr": 0.5}, {"nl": "hoog"}])
def test_a_wrong_statement_threshold_is_refused(value):
    from pydantic import ValidationError

    from merkwacht.analysis.rules.missing_source import MissingSourceSettings

    with pytest.raises(ValidationError, match="statement_threshold"):
        MissingSourceSettings(statement_threshold=value)


@pytest.mark.parametrize(("lang", "text"), [
    # a number that prices, times, measures or names something, or is a phone number to call, is no count:
    # neither a signal nor, for the claims model, a figure
    ("en", "A day ticket for dogs costs €3.40."),
    ("en", "Our warranty covers the frame for 10 years."),
    ("en", "The new lock sounds an alarm of 100 dB."),
    ("en", "In an emergency, call 112 straight away."),
    ("nl", "Onze 5 vwo'ers stelden heel goede vragen."),
    ("nl", "Voor spoedzaken belt u 14 038."),
    ("nl", "De melk kost voortaan € 1,09 per liter."),
    ("nl", "De bus vertrekt om 8.15, niet om 8.50."),
    ("nl", "Op de snelweg geldt overdag 100 km/u."),
    ("nl", "De garantie op het frame geldt voor 10 jaar."),
])
def test_prices_times_measures_and_phone_numbers_are_not_claims(lang, text):
    assert not run("missing_source", text, lang=lang), text


@pytest.mark.parametrize(("lang", "text"), [
    ("nl", "Er kwamen 40 patiënten bij op de intensive care."),
    ("nl", "De prijs van melk steeg in een jaar met 30 procent."),
    ("en", "Unemployment fell by 3 points in a year."),
])
def test_counts_and_statistics_beside_them_still_are(lang, text):
    assert run("missing_source", text, lang=lang), text


def test_the_claims_model_reads_labelled_numbers_without_their_digits():
    from merkwacht.analysis.detect.claims import _claim_matches, _without_labelled_numbers

    text = "De bus vertrekt om 8.15 uit zaal 3 en er reden 40 bussen."
    matches, _ = _claim_matches(text.lower(), ("nl",))
    assert _without_labelled_numbers(text, matches) == "De bus vertrekt om . uit zaal  en er reden 40 bussen."
    assert _without_labelled_numbers("Geen labels hier: 40 bussen.", []) == "Geen labels hier: 40 bussen."


@pytest.mark.parametrize(("lang", "text"), [
    # superlatives with a scope, a question that tells, "Eén" with one accent, experts who estimate
    ("nl", "Onze gemeente is officieel de veiligste van Nederland."),
    ("nl", "Wij zijn de klantvriendelijkste energieleverancier van heel Nederland!"),
    ("en", "Our city has the cleanest air in the Netherlands."),
    ("en", "We run the most punctual trams in Europe."),
    ("en", "Heart disease is the number one cause of death in the Netherlands."),
    ("nl", "Wist u dat kinderen die worden voorgelezen twee keer zo veel woorden kennen?"),
    ("en", "Did you know that 40% of our food ends up in the bin?"),
    ("nl", "Eén op de vijf ouders leest nooit voor."),
    ("nl", "Deskundigen schatten dat de zeespiegel deze eeuw een meter stijgt."),
    # "achter het stuur" is no "stuur ons een bericht": the figure is not an announcement
    ("nl", "Meer dan 60% van de ongelukken komt door appen achter het stuur. Leg je telefoon weg!"),
])
def test_rankings_and_telling_questions_are_claims(lang, text):
    assert run("missing_source", text, lang=lang), text


@pytest.mark.parametrize(("lang", "text"), [
    ("nl", "Ons eerste concert van het seizoen is in de grote zaal."),
    ("en", "Our latest newsletter is out: read it on the website."),
    ("en", "The number one responsibility of a school is the safety of its pupils."),
    ("nl", "Wist u dat u bij ons ook op zondag terecht kunt?"),
])
def test_words_that_only_look_like_rankings_are_not(lang, text):
    assert not run("missing_source", text, lang=lang), text


@pytest.mark.parametrize(("lang", "text"), [
    ("nl", "Door een aanrijding met een persoon bij Weesp rijden er geen treinen naar Almere. Onze gedachten zijn bij "
           "de betrokkenen en ons personeel."),
    ("nl", "Op de A12 bij Woerden is vannacht een vrachtwagen gekanteld. Heeft u iets gezien? Meld het bij de politie."),
    ("en", "Due to a collision with a person near Weesp there are no trains to Almere. Our thoughts are with everyone "
           "involved and our staff."),
    ("en", "A lorry overturned on the A12 near Woerden last night. Did you see anything? Please contact the police."),
    ("en", "With sadness we share that our former colleague Jan de Boer has passed away at the age of 81."),
])
def test_notices_about_an_incident_are_not_claims(lang, text):
    assert not run("missing_source", text, lang=lang), text


@pytest.mark.parametrize(("lang", "text"), [
    # a service notice or a tip that tells the reader what to do: the model alone makes no claim of its facts
    ("nl", "Blauwalg in de Zuidplas. Zwem niet op deze plek en laat honden niet in het water. Kijk voor andere "
           "zwemplekken op de zwemwater-app."),
    ("nl", "Gladheid verwacht vannacht. Neem de tijd voor je rit en houd afstand. Onze strooiwagens rijden vanaf "
           "vier uur."),
    ("en", "Blue-green algae in the Zuidplas lake. Don't swim here and keep dogs out of the water. Check the water "
           "app for other spots."),
    ("en", "The lift at the east entrance is out of order. Use the ramp at the west entrance instead."),
    # what the organisation puts on, what is new, whom to meet, a match result
    ("nl", "Vanavond in de kapel: lezing over de Beeldenstorm van 1566, door stadshistoricus Pieter Hak."),
    ("en", "Tonight in the chapel: a public lecture on the iconoclastic fury of 1566."),
    ("en", "Meet Aaltje Jans, who ran our orphanage for forty years and kept its books in three languages."),
    ("nl", "Onze dames hebben de kampioen verslagen met 4-2! Wat een inzet."),
    # numbers that name, price or set something
    ("nl", "Je borg staat binnen 14 dagen na de eindcontrole weer op je rekening."),
    ("en", "Your deposit is back in your account within 14 days of the final inspection."),
    ("nl", "Groene stroom kost deze maand €0,31 per 1 kWh; de details staan in de app."),
    ("en", "Our museum cat Minoes (14) has retired to the office."),
    ("nl", "Het schoolrooster voor 2026-27 staat online."),
    ("en", "Mixed 2 play at home on Saturday: come and cheer!"),
    ("nl", "Het staat op pagina 12 van je contract."),
    ("en", "The painting (c. 1640) hangs in the east wing."),
])
def test_service_notices_events_and_labelled_numbers_are_not_claims(lang, text):
    assert not run("missing_source", text, lang=lang), text


@pytest.mark.parametrize(("lang", "text"), [
    # the same shapes with a claim in them still need a source
    ("nl", "Zwemmen in blauwalg geeft bij 1 op de 3 kinderen huidklachten. Zwem hier dus niet."),
    ("en", "Lectures are 40% better attended than last year. Come and see for yourself."),
    ("nl", "Tijdens een hittegolf is een groene tuin tot 10 graden koeler dan een tuin vol tegels."),
])
def test_a_claim_beside_an_instruction_or_an_event_still_needs_a_source(lang, text):
    assert run("missing_source", text, lang=lang), text


@pytest.mark.parametrize(("lang", "text"), [
    # comparisons with a noun between or an -er comparative, read as factual by the model
    ("nl", "Een uur fietsen verbrandt meer calorieën dan een uur wandelen."),
    ("en", "A heat pump uses less energy per year than a gas boiler."),
    ("nl", "Kinderen die buiten spelen hebben minder kans op bijziendheid."),
    ("en", "Pupils who eat breakfast are more likely to pass their exams."),
    ("en", "Our region is the fastest-growing tech hub in the country."),
    ("nl", "Padel is de snelst groeiende sport onder studenten."),
    # a quote attributed to someone, with single quotation marks or "as X once said"
    ("nl", "Zoals Annie M.G. Schmidt al zei: 'Wie niet weg is, is gezien.'"),
    ("en", "As Maya Angelou once said: 'Nothing will work unless you do.' Good luck with your exams!"),
    ("en", "'Libraries are the last free places in our cities,' said the mayor. We agree."),
])
def test_comparisons_and_quotes_without_source_are_claims(lang, text):
    assert run("missing_source", text, lang=lang), text


@pytest.mark.parametrize(("lang", "text"), [
    # the same comparisons said as an opinion or a practical fact: the model does not read them as factual
    ("en", "Honestly, our volunteers have more patience than we do."),
    ("nl", "Liever een dag eerder dan te laat: lever je formulier op tijd in."),
    ("en", "Doors open earlier than usual on Saturday."),
])
def test_comparisons_that_are_opinions_or_practical_facts_are_not(lang, text):
    assert not run("missing_source", text, lang=lang), text
