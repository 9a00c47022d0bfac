"""off_tone: insults, slurs, obscenity, threats, condescension and brush-offs -- and what only looks bad.

Every sentence here is written for this test; none comes from a labelled data set.
"""

from __future__ import annotations

import pytest

from merkwacht.analysis.detect.textnorm import normalise
from merkwacht.analysis.detect.tone import detect

from .helpers import run

REPLY_TO = "Waarom duurt het zo lang voordat ik antwoord krijg?"

POSITIVE_NL = [
    "Misschien moet je eerst leren lezen voordat je gaat klagen.",
    "Wat een gezeur weer, ga lekker ergens anders studeren.",
    "Klagers zoals jij hebben we hier echt niet nodig.",
    "Je bent echt een sukkel als je dit niet snapt.",
    "Dat formulier is niet moeilijk, idioot.",
    "Wat een kutvraag.",
    "Rot toch op met je klachten.",
    "Die mensen zijn walgelijk en horen hier niet.",
    "Vluchtelingen zijn een plaag voor deze stad.",
    "Ik zou die demonstranten allemaal willen neerschieten.",
    "Ik haat mensen zoals jij.",
    "Krijg de tering.",
]
POSITIVE_EN = [
    "Sounds like a you problem, honestly.",
    "Maybe learn to read before you complain, genius.",
    "If you don't like it, leave.",
    "Nobody cares about your opinion, you absolute moron.",
    "What a load of bullshit from you again.",
    "Immigrants are vermin and should be sent back.",
    "I will find you and shoot you.",
    "Stop whining and read the FAQ like everyone else.",
]
OBFUSCATED = [
    "Je bent echt een k l o o t z a k.",
    "Wat ben jij een kl00tzak zeg.",
    "Ik h4at jullie allemaal.",
    "Je bent gewoon een sukkkkkel.",
    "Wat een eenvoudige vraag, sukel.",   # a letter dropped
    "You are such an idoit.",          # two letters swapped
    "Wat ben je toch een gewoneklootzak.",  # space left out
]
BRUSH_OFFS = ["Boeien.", "Onzin!", "Whatever.", "Jammer dan.", "Who cares?"]

NEGATIVE = [
    # words that only look bad
    "Ons kankeronderzoek krijgt een nieuwe subsidie van KWF Kankerbestrijding.",
    "Kanker is een ziekte waarbij cellen ongeremd delen; meer uitleg op onze site.",
    "Damn, thanks! Dat was snel opgelost.",
    "Damn, thanks for the quick reply!",
    "The Scunthorpe campus opens on Monday.",
    "Bondscoach Dick Advocaat geeft een gastcollege in de aula.",
    "We hebben de posters opgehangen in de hal.",
    "Het aantal doden door de griep is gedaald, meldt het ministerie.",
    "De horeca in de binnenstad gaat weer open.",
    "Our therapists are available every weekday.",
    # quoting a headline or someone else
    'De krant kopte "Studenten zijn luie profiteurs", maar ons onderzoek laat iets anders zien.',
    'Iemand noemde onze docenten "idioten"; dat tolereren we niet.',
    # counter-speech
    "Discriminatie van moslims tolereren we niet op onze campus.",
    "Mensen uitschelden voor sukkel is niet oké, ook niet online.",
    "Calling people idiots is not how we talk to each other here.",
    "We condemn hate speech against refugees in the strongest terms.",
    # negation
    "Wij haten niemand en we vinden je vraag terecht.",
    "Je bent niet dom, het formulier is gewoon onduidelijk.",
    # polite replies
    "Vervelend dat het zo lang duurt! Stuur ons je studentnummer via DM, dan kijken we mee.",
    "Thanks for your patience, we'll look into it today.",
    "Goede vraag, de bibliotheek is op zondag gesloten.",
]


@pytest.mark.parametrize("text", POSITIVE_NL)
def test_dutch_off_tone_is_found(text):
    hits = run("off_tone", text, kind="reply", reply=REPLY_TO, lang="nl")
    assert hits, text


@pytest.mark.parametrize("text", POSITIVE_EN)
def test_english_off_tone_is_found(text):
    hits = run("off_tone", text, kind="reply", reply="Why is the portal down again?", lang="en")
    assert hits, text


@pytest.mark.parametrize("text", OBFUSCATED)
def test_obfuscated_spelling_is_seen_through(text):
    assert run("off_tone", text, kind="reply", reply=REPLY_TO), text


@pytest.mark.parametrize("text", BRUSH_OFFS)
def test_a_reply_that_only_brushes_off_is_off_tone(text):
    hits = run("off_tone", text, kind="reply", reply=REPLY_TO)
    assert hits and hits[0].details["category"] == "dismissive"


def test_a_brush_off_word_inside_a_real_answer_is_fine():
    assert not run("off_tone", "Onzin dat je zo lang moest wachten! We lossen het vandaag op.", kind="reply",
                   reply=REPLY_TO)


@pytest.mark.parametrize("text", NEGATIVE)
def test_words_that_only_look_bad_are_not_flagged(text):
    assert not run("off_tone", text, kind="reply", reply="Wat vinden jullie hiervan?"), text


def test_the_post_answered_may_be_rude_without_the_reply_being_flagged():
    assert not run("off_tone", "We snappen je frustratie en hebben het doorgegeven aan het roosterteam.",
                   kind="reply", reply="Wie is de idioot die dit rooster heeft gemaakt?")


def test_an_obscenity_only_echoed_from_the_post_answered_weighs_less():
    text = "Dat je het kut vindt snappen we, we zoeken het uit."
    assert not run("off_tone", text, kind="reply", reply="Jullie zijn echt kut bezig.")
    assert run("off_tone", text, kind="reply", reply="Waarom is het rooster veranderd?")
    assert run("off_tone", text, kind="reply", reply="Jullie zijn echt kut bezig.", settings={"threshold": 0.4})


@pytest.mark.parametrize("text", [*POSITIVE_NL[:6], *NEGATIVE[:6], "Dat je het kut vindt snappen we.", "Shit, sorry!"])
@pytest.mark.parametrize("answered", ["Jullie zijn echt kut bezig.", "What a shit service.", REPLY_TO, ""])
def test_a_reply_judged_without_the_post_answered_is_judged_as_with_it(text, answered):
    """``detect`` reuses its answer without the text answered when that holds no profanity (the only hit
    the text answered can change): the answer must be the one computed with the text answered."""
    from merkwacht.analysis.detect import tone

    for lang in ("nl", "en", None):
        expected = tone._detect_uncached(text, lang=lang, is_reply=True, extra_terms=(), answered=answered)
        assert detect(text, lang=lang, is_reply=True, answered=answered) == expected
        assert detect(text, lang=lang, is_reply=True, answered=answered) == expected  # remembered


def test_evidence_points_at_the_offending_words_and_explains_in_both_languages():
    text = "Bedankt voor je bericht, maar je bent echt een sukkel."
    [hit] = run("off_tone", text, kind="reply", reply=REPLY_TO)
    assert "sukkel" in hit.evidence
    assert text[hit.start:hit.end] == hit.evidence
    assert "beledig" in hit.explanation_nl and "insult" in hit.explanation_en


def test_spaced_letters_give_the_whole_spaced_word_as_evidence():
    text = "Jij bent een k l o o t z a k, echt."
    [hit] = run("off_tone", text, kind="reply", reply=REPLY_TO)
    assert hit.evidence == "k l o o t z a k"


def test_pack_extra_terms_and_threshold():
    text = "Wat een prutsbeleid van jullie, stelletje amateurs."
    assert not run("off_tone", text)
    assert run("off_tone", text, settings={"extra_terms": ["amateurs"]})
    assert not run("off_tone", "Rot toch op.", settings={"threshold": 0.95})


def test_normalisation_keeps_every_character_in_place():
    for text in ["H4at", "h a a t jou", "kuuuuut", "İstanbul sucks", "a\u200bb", "ok!!!"]:
        assert len(normalise(text).text) == len(text)
    assert normalise("kl00tzak").text == "klootzak"
    assert normalise("fuuuuck you").text.startswith("fuck")


def test_detector_reports_categories():
    assert detect("Dood aan alle ambtenaren", lang="nl")[0].category == "threat"
    assert detect("Whatever.", lang="en", is_reply=True)[0].category == "dismissive"
    assert detect("", lang="nl") == []


# --- context: what only looks bad (hashtags, self-mockery, reporting, idioms, names) -----------------

LOOKS_BAD_BUT_IS_NOT = [
    # a hashtag names a topic; it is not said to anyone
    "Weer veel drukte in het park vandaag #idioten #blijfthuis",
    "Long queues at the station again #morons #stayhome",
    # self-mockery: the writer about themself
    "We zijn ook maar sukkels: de link in ons vorige bericht was verkeerd.",
    "Sorry, ik ben een idioot, de juiste link staat hieronder.",
    "I'm such an idiot, I sent you the wrong form.",
    # words that only look bad
    "De eekhoorns in het park verzamelen eikels en beukennoten.",
    "Ik vind het idioot dat de trein weer uitvalt.",
    "Van te weinig slaap word je dommer, blijkt uit onderzoek.",
    "Ga toch weg, is het echt al vrijdag?",
    "Ik ga dood van de hitte in die collegezaal.",
    "Our staff have been working their asses off all week.",
    "The team is kicking ass this season.",
    "Stop playing the clown and hand in the form, said the tutor to himself.",
    "Waiting times are worst in the north for older women, our report says.",
    "The new virus also reached Chinese and African students.",
    "That is an effing good result for the team.",
    # "verdomme", "verdomd" are the Dutch "damn": mild oaths, like "Damn, thanks!"
    "Verdomme, de printer in de bibliotheek doet het weer niet.",
    "Dat was een verdomd goede presentatie van de eerstejaars.",
    # things burnt or destroyed, a lament, a negated wish
    "Het oude archief moet worden verbrand, zegt de gemeente.",
    "Hoeveel patiënten moeten er nog sterven voordat de wachtlijst korter wordt?",
    "Niemand zou moeten sterven aan een ziekte die te voorkomen is.",
    # reporting and counter-speech
    "Het nieuwe rooster bestempelen als achterlijk helpt niemand verder.",
    "De columnist schreef: alle klagers zijn sukkels. Wij zien dat anders.",
    "Jackson noemt hem nog steeds een klootzak, schrijft de krant.",
    "Their blind hatred of migrants helps nobody.",
    "He is not a liar, the form was simply unclear.",
    "Watch out for crooks posing as our staff on the phone.",
    "There is no such thing as a silly question.",
    # "dik", "dikke" as the Dutch "big" or "great", not of a person's body
    "Dikke felicitaties aan jullie allemaal met het behaalde diploma!",
    "Een dikke knuffel voor jou en je team.",
    "Als woordvoerder moet je wel een dikke huid hebben.",
    # news of a killing is not a threat, nor are the dead ("de doden")
    "Drie mensen gedood bij een aanval op een school, meldt de krant.",
    "Morgen zullen we de doden van de oorlog herdenken.",
    # naming a hatred ("vrouwenhaat") is talking about it
    "Ons onderzoek laat zien hoe vrouwenhaat zich online verspreidt.",
    # a nationality is people, not a protected group for words like "virus"
    "De Duitsers hadden het virus niet meer onder controle, zegt de viroloog.",
    # slang praise ("gestoord goed" is "insanely good")
    "Wat een show, jullie waren gestoord goed vanavond!",
    # words as often said of things as of people, with a person in another clause or as a possessive
    "Gooi je afval in de juiste bak, dan helpen we allemaal mee.",
    "Irritant als je trein vertraagd is, we begrijpen je.",
    "Het ergste is voorbij, bedankt voor jullie geduld.",
    "Vies weer vandaag, neem je paraplu mee!",
    "De prik kan even pijn doen, maar je vaccinatie beschermt je.",
    "Heb je last van zeurende pijn in je rug? Onze fysio helpt je.",
    "Annoying when your train is late, we get it.",
    "The worst is over, thanks for your patience!",
    "That was a silly mistake on our side, sorry you had to deal with it.",
    "Ugly sweater day: join us, you will love it.",
    # mentioning words is not using them
    "Scheldwoorden als kut en tering horen niet thuis op onze campus.",
    "Our study counted how often words like fuck and shit appear in tweets.",
]


@pytest.mark.parametrize("text", LOOKS_BAD_BUT_IS_NOT)
def test_context_keeps_words_that_only_look_bad_unflagged(text):
    assert not run("off_tone", text, kind="reply", reply="Wat vinden jullie hiervan?"), text


def test_the_loanword_shit_is_a_mild_oath_in_dutch_but_not_in_english():
    assert not run("off_tone", "Shit, die deadline was ik helemaal vergeten.", kind="reply",
                   reply="Wat vinden jullie hiervan?", lang="nl")
    assert run("off_tone", "What a shit answer.", kind="reply", reply="Any news?", lang="en")


OFF_TONE_IN_CONTEXT = [
    # self-mockery does not cover obscene words, nor an insult aimed at someone named in between
    "Wat ben ik een klootzak, zeg.",
    "I'm so done with you idiots.",
    # obscenity stays obscene when reported
    "Hij zei dat het kut was.",
    "Everyone said fuck it and left.",
    # general vocabulary
    "You are such a fraud.",
    "She is absolutely delusional.",
    "What a crap answer.",
    "What the hell is wrong with you?",
    "Hoerenzoon, ga weg.",
    "Doe iedereen een plezier en pleeg zelfmoord.",
    "Krijg allemaal de klere.",
    "Ga dood.",
    "Jullie zijn maden.",
    "You are such a silly little man.",
    "Look at all those lefties crying again.",
    # a mild oath said of a protected group is hostile
    "Zijn die verdomde asielzoekers er nu alweer?",
    # wishing death, calling for violence in the passive, violence in the (split) past tense
    "Die oplichters zouden allemaal moeten creperen.",
    "Zulke types moeten gewoon vergast worden.",
    "Al die mensen moeten worden opgejaagd.",
    "Hij stak de conducteur zomaar neer.",
    # reported speech after a colon covers what follows it, not the writer's own words before it
    "Die eikels van de gemeente zeiden: we kijken ernaar.",
    # the body, a killing said of people, a wish of harm, a masked obscenity
    "Jij bent echt te dik om mee te doen.",
    "Al die dikke mensen zijn gewoon lui.",
    "Die vluchtelingen moeten allemaal worden gedood.",
    "Ik ga ze morgen allemaal doden.",
    "Moge je langzaam branden in de hel.",
    "Jij vuile moederneuker.",
    "Wat een moeder*** ben jij.",
    "Domme Amerikanen snappen er niks van.",
    "Mostly men throw out insults like that, you pathetic loser.",
    # ... but said of a person close by they count
    "Jullie zijn echt irritant.",
    "Ze gedragen zich als ongedierte.",
    "Niemand anders is zo smerig als deze mensen.",
    "Ik zal je pijn doen.",
    "You are so annoying.",
    "These people are nothing but cockroaches.",
]


@pytest.mark.parametrize("text", OFF_TONE_IN_CONTEXT)
def test_off_tone_in_context_is_found(text):
    assert run("off_tone", text, kind="reply", reply="Wat vinden jullie hiervan?"), text


def test_vulgar_insults_have_their_own_category_and_explanation():
    [hit] = run("off_tone", "Wat een klootzak ben jij.", kind="reply", reply=REPLY_TO)
    assert hit.details["category"] == "vulgar"
    assert "grove belediging" in hit.explanation_nl and "vulgar insult" in hit.explanation_en


RUDE_OR_CONTEMPTUOUS_EN = [
    # rude whoever it is said of, stretched past what squeezing undoes, name-calling with any adjective
    "That sucks, nobody cares about your order.",
    "Your whole department sucks.",
    "Fuuuckkkk youuuu",
    "He is a malignant narcissist.",
    "She is a total phony.",
    "You are a greedy little crook.",
    "Shame on the council for this.",
    # a negative attribute as the whole reply is said of what was answered
    "Disgusting.",
    "Pathetic!",
    "@jan Corrupt.",
]

NOT_RUDE_EN = [
    "The new vacuum sucks up twice the dust.",
    "Shame on us: the link was broken. Here is the right one.",
    "Are you a victim of fraud? Call our helpdesk.",
    "You are an expert in your field, so join our panel.",
    "Rats!",
    "Weird!",
    "Disgusted? So were we. We removed the post.",
]


@pytest.mark.parametrize("text", RUDE_OR_CONTEMPTUOUS_EN)
def test_english_rudeness_and_contempt_are_found(text):
    assert run("off_tone", text, kind="reply", reply="Why is the portal down again?", lang="en"), text


@pytest.mark.parametrize("text", NOT_RUDE_EN)
def test_english_words_that_only_look_rude_are_not_flagged(text):
    assert not run("off_tone", text, kind="reply", reply="Why is the portal down again?", lang="en"), text


def test_contempt_as_the_whole_reply_needs_the_whole_reply():
    assert not run("off_tone", "Disgusting that someone did this to your bike; we reported it.", kind="reply",
                   reply="Look at my bike!", lang="en")


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Walgelijk dat iemand dit op je fiets heeft gespoten, we hebben aangifte gedaan.", False),
        ("It is disgusting that someone wrote this on your wall; we removed it.", False),
        ("Jij bent walgelijk dat je dit durft te zeggen.", True),
        ("You are disgusting that you would say this.", True),
    ],
)
def test_a_judging_word_before_that_judges_the_deed_unless_a_person_is_named_first(text, flagged):
    assert bool(run("off_tone", text, kind="reply", reply="Kijk wat ze gedaan hebben!")) is flagged, text


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Holder is a liar.", True),
        ("He is clearly a pathological liar.", True),
        ("They are all liars.", True),
        ("Holder is not a liar.", False),
        ("The mascot is a snake.", False),
        ("This email is a fraud, so do not click the link.", False),
    ],
)
def test_a_named_person_called_a_liar(text, flagged):
    assert bool(run("off_tone", text, kind="reply", reply="Any news?", lang="en")) is flagged, text


@pytest.mark.parametrize(
    "text",
    [
        "De trol noemde haar een „vuile slet” in een mail aan de redactie.",
        "Hij riep „stomme klootzak” naar de scheidsrechter.",
        'The caller kept shouting "you dirty faggot" at the desk.',
    ],
)
def test_a_slur_or_vulgar_name_repeated_in_quotes_is_reviewed(text):
    hits = [h for h in detect(text, lang=None) if h.score >= 0.5]
    assert hits, text
    assert max(h.score for h in hits) == pytest.approx(0.6)  # below what the brand says itself


@pytest.mark.parametrize(
    "text",
    [
        "„Klootzak!” riep de man naar onze conducteur. Agressie tegen personeel accepteren we niet.",
        '"You stupid bitch," a passenger shouted at our driver. We will not accept abuse of our staff.',
        "Uit onze enquête: een op de vijf studenten hoorde het woord „kankerhomo” op de campus.",
        'Our survey: one in five students heard the slur "faggot" on campus.',
        "I have no respect for people who write things like \"go home, you cripples\".",
        'Lees het interview met de rapper: "Fuck de politie" was zijn eerste hit.',
        'De krant kopte "Studenten zijn luie profiteurs".',
    ],
)
def test_quotes_that_are_condemned_mentioned_or_not_slurs_stay_unflagged(text):
    assert not [h for h in detect(text, lang=None) if h.score >= 0.5], text


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Hoe kun je vertrouwelijke documenten vernietigen? Gebruik de afgesloten containers.", False),
        ("Kun je het oude meubilair dumpen bij de milieustraat?", False),
        ("Ik ga je vernietigen.", True),
        ("We gaan je afmaken.", True),
        ("Ik zal je pijn doen.", True),
    ],
)
def test_the_reader_doing_something_is_not_the_one_it_is_done_to(text, flagged):
    assert bool([h for h in detect(text, lang="nl", is_reply=True) if h.score >= 0.5]) is flagged, text


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Wil je dat ik je pijn doe?", True),
        ("Ik doe je pijn als je dat nog eens zegt.", True),
        ("Dan moet je die mensen maar ophangen.", True),
        ("Die lui moet je maar eens deporteren.", True),
        # sympathy, a negated wish, a conjunction "maar", things instead of people
        ("Sorry dat het je pijn doet, we helpen je graag verder.", False),
        ("Ik wil je geen pijn doen.", False),
        ("Ik snap die mensen wel maar ophangen gaat te ver.", False),
        ("Dan moet je die schilderijen maar ophangen in de gang.", False),
        ("Ik denk dat je de posters maar moet ophangen bij de ingang.", False),
    ],
)
def test_dutch_threats_said_by_the_writer_or_suggested_with_maar(text, flagged):
    assert bool([h for h in detect(text, lang="nl", is_reply=True) if h.score >= 0.5]) is flagged, text


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Jij bent echt niets waard.", True),
        ("Die mensen zijn niks waard.", True),
        # said of a thing, with people elsewhere in the sentence
        ("Als we de mensen niets uitleggen, is zo'n folder niets waard.", False),
        ("Zolang jullie de kaart niet bijwerken, is die app niks waard.", False),
    ],
)
def test_worth_nothing_counts_said_of_a_person_not_of_a_thing(text, flagged):
    assert bool([h for h in detect(text, lang="nl", is_reply=True) if h.score >= 0.5]) is flagged, text


@pytest.mark.parametrize(
    ("lang", "text", "flagged"),
    [
        # history told in the past passive is narration; a wish or a call for the same is not
        ("nl", "In de oorlog werden ook Sinti en Roma, toen 'zigeuners' genoemd, vervolgd en vermoord.", False),
        ("en", "The transit camp from which more than 100,000 Jews were deported is now a museum.", False),
        ("nl", "Ik wou dat alle vrouwen op straat werden vermoord.", True),
        ("nl", "Alle moslims moeten worden vermoord.", True),
        ("en", "I wish all women were murdered.", True),
        ("en", "All immigrants should be deported.", True),
        # the dead remembered, pests killed, names and idioms that contain a listed word
        ("nl", "Vandaag herdenken we alle doden van de oorlog.", False),
        ("nl", "Ik wil alle vrouwen doden.", True),
        ("en", "The frozen-storage method kills every larva without chemicals.", False),
        ("en", "I will kill every one of you.", True),
        ("nl", "De lampen in de tunnel flikkeren door een storing.", False),
        ("nl", "Sukkel je al weken met een hoest? Ga naar de huisarts.", False),
        ("nl", "Hou je kop erbij in het verkeer: geen telefoon op de fiets.", False),
        ("nl", "Hou toch eens je bek.", True),
        ("nl", "Vanaf de Dom zie je heel Utrecht liggen.", False),
        ("nl", "Een tentoonstelling over het Mongoolse Rijk.", False),
        ("nl", "In de 19e eeuw stierven veel mensen aan de tering en aan tyfus.", False),
        ("nl", "Krijg de tering.", True),
        # belittling the question, sarcasm, a threat to track someone down or to hit them
        ("nl", "Wat een domme vraag. Het staat op de website.", True),
        ("nl", "Misschien een domme vraag, maar waar is de ingang?", False),
        ("en", "What a stupid question. The timetable is online.", True),
        ("en", "No, not a stupid question at all!", False),
        ("en", "Imagine being this dumb.", True),
        ("en", "How thick can you be?", True),
        ("nl", "Gefeliciteerd, genie 🙄", True),
        ("nl", "Nog één keer en je krijgt een klap voor je kop.", True),
        ("en", "Touch our staff again and we'll find you.", True),
        ("en", "We'll find you a seat on the next train.", False),
        ("en", "Pay your bills, you freeloader.", True),
        ("en", "Roma families are a nuisance in every city.", True),
        ("nl", "Die moeders zijn hysterische wijven.", True),
        ("nl", "Alle vrouwen in het team krijgen een bos bloemen.", False),
        # a second blind probe
        ("nl", "Gisteravond is in de Dorpsstraat een vrouw neergestoken. Wie heeft iets gezien?", False),
        ("en", "Last night a man was stabbed near the station. Did you see anything?", False),
        ("en", "We absolutely murdered them in the second half!", False),
        ("en", "How can we kill box tree caterpillars without harming bees?", False),
        ("en", "Happy birthday to club legend Dick van der Berg!", False),
        ("nl", "Kinderen gebruiken 'homo' en 'mongool' als scheldwoord. Daar praten we over in de klas.", False),
        ("en", "Children use 'gay' and 'retard' as insults. We talk about it in class.", False),
        ("nl", "Als je niet kunt lezen, moet je gewoon je mond houden.", True),
        ("en", "If you can't read, don't complain.", True),
        ("nl", "Klimaatontkenners zijn gewoon te dom om een grafiek te lezen.", True),
        ("en", "Climate deniers are simply too thick to read a graph.", True),
        ("en", "Just stay home with your geraniums, boomer. 🙄", True),
        ("nl", "Wanneer komt er een fan die gewoon z'n bek houdt?", True),
        ("en", "Which spastic parked his car in front of our gate again?", True),
        ("en", "Spastic cerebral palsy is treated in our clinic.", False),
        # masked and @-for-u swearing; the veiled "we know where you live"
        ("en", "Some customers are so f@cking annoying.", True),
        ("en", "Fu*k off with your old receipts.", True),
        ("en", "Still haven't paid? We know exactly where you live.", True),
        ("en", "We know where you can find the forms.", False),
        ("nl", "Nog steeds niet betaald? We weten precies waar je woont.", True),
        ("nl", "Als we je vinden, zul je het merken.", True),
        ("nl", "We vinden jullie allemaal geweldig!", False),
        ("nl", "Weet u waar u de formulieren kunt vinden?", False),
        # "lui": lazy after a verb, "people" otherwise, and not of the writer
        ("nl", "Polen zijn lui.", True),
        ("nl", "Jij bent echt lui.", True),
        ("nl", "Die lui van de gemeente komen morgen de bankjes ophalen.", False),
        ("nl", "Ik ben vandaag lekker lui geweest.", False),
    ],
)
def test_blind_probe_cases(lang, text, flagged):
    """Cases of the kind a blind probe of brand-like posts found (written for this test, not copied)."""
    assert bool([h for h in detect(text, lang=lang, is_reply=True) if h.score >= 0.5]) is flagged, text


@pytest.mark.parametrize(
    ("lang", "text", "flagged"),
    [
        # an eye-roll or a yawn at the reader; not at the weather or at ourselves
        ("en", "Oh, you missed the bus again? Shocking 🙄", True),
        ("en", "Monday again 🙄 Coffee is on us in the lobby.", False),
        ("nl", "Alweer een vraag van jou over de parkeervergunning 🥱", True),
        ("nl", "Regen op Koningsdag 🙄 De markt gaat gewoon door.", False),
        # a group and a task; a safety message with the same shape is fine
        ("en", "Pensioners and online banking: always a dangerous mix 😂", True),
        ("en", "Alcohol and driving: a deadly combination. Plan your ride home.", False),
        ("nl", "Ouderen en de zelfscankassa, dat wordt nooit wat.", True),
        ("nl", "Alcohol en verkeer: een gevaarlijke combinatie. Laat je ophalen!", False),
        ("nl", "Lukt het niet? Vraag het anders even aan je man.", True),
        ("en", "Can't work the thermostat? Ask your husband, love.", True),
        # a nationality said to be always so, or a recurrence sighed at; news about the same people is fine
        ("nl", "Die Roemenen laten ook altijd hun rommel liggen.", True),
        ("nl", "Alweer een dronken Brit in onze fontein.", True),
        ("nl", "De Duitsers wonnen zaterdag met 2-1 van onze selectie.", False),
        ("en", "Those Germans never clean up after themselves.", True),
        ("en", "Another drunk Englishman in the fountain this morning.", True),
        ("en", "Germans can now book our river cruises in German.", False),
        ("nl", "Typisch ambtenaren: alles drie keer laten invullen.", True),
        ("en", "Typical landlords: raise the rent, skip the repairs.", True),
        ("en", "A typical Dutch breakfast: bread, cheese and hagelslag.", False),
        # mock sympathy and mock praise; the same verbs in service are fine
        ("nl", "Zullen we een zakdoekje sturen? 😢", True),
        ("nl", "Zullen we u een nieuwe pas sturen? Stuur ons even een DM.", False),
        ("en", "Shall we send you a medal for finding the login button?", True),
        ("en", "Shall we send you a new card? Just DM us your address.", False),
        ("en", "What an original complaint. Never heard that one.", True),
        ("en", "Did you come up with that all by yourself?", True),
        ("nl", "Heb je dat helemaal zelf bedacht?", True),
        ("nl", "Dat is niet onze schuld, het staat gewoon op je factuur, prinses.", True),
        ("en", "It's printed on your ticket, your majesty.", True),
        ("en", "Thanks for the tip. We'll be sure to ignore it.", True),
        ("en", "Maybe rock climbing isn't for you.", True),
        ("nl", "Dan is de sportschool misschien niet echt jouw plek.", True),
        # veiled threats; the same words in service are fine
        ("nl", "De man die onze bus bekraste weet waar hij woont. Wij ook.", True),
        ("en", "One more review like that and we'll make sure you regret it.", True),
        ("en", "We'll make sure you never miss an update: turn on notifications.", False),
        ("nl", "Nog één zo'n bericht en we zorgen ervoor dat je hier nooit meer binnenkomt.", True),
        ("nl", "We zorgen ervoor dat je nooit meer in de rij hoeft te staan: bestel online.", False),
        ("nl", "Niemand zal je missen, hoor.", True),
        ("en", "Nobody's forcing you to live here.", True),
        # a reassurance negates nothing after it
        ("en", "Don’t worry, we know exactly where you live.", True),
        ("nl", "Maak je geen zorgen, we weten waar je woont.", True),
        ("nl", "Geen zorgen: de storing is verholpen.", False),
        ("en", "We don't hate anyone.", False),
        # brushing off the complaint or the person; whoever blocked something is no counter-speech
        ("nl", "Trein gemist? Jammer dan.", True),
        ("nl", "Wat jammer dat je er niet bij kon zijn! Volgend jaar weer.", False),
        ("en", "Missed the last ferry? Tough luck.", True),
        ("en", "With reviews like yours, no wonder nobody replies.", True),
        ("nl", "Dat zegt meer over je beperkte verstand dan over onze service.", True),
        ("nl", "Het is 2026, ga eens met je tijd mee.", True),
        ("en", "Your brats ran riot in the reading room again.", True),
        ("en", "Which moron blocked the fire exit with a scooter?", True),
        ("en", "We've blocked the account that called our staff a moron.", False),
    ],
)
def test_blind_probe_cases_round_four(lang, text, flagged):
    """Sarcasm, stereotypes and veiled threats of the kind blind probe rounds 1-4 found (written for this test)."""
    assert bool([h for h in detect(text, lang=lang, is_reply=True) if h.score >= 0.5]) is flagged, text


def test_a_stereotype_has_its_own_category_and_explanation():
    [hit] = run("off_tone", "Die Polen maken er altijd een zooitje van.", lang="nl")
    assert hit.details["category"] == "stereotype"
    assert "stereotype" in hit.explanation_nl and hit.severity == "high"
