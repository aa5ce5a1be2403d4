"""Honest answers: each check declines a near-miss of its kind and still answers its twin (the
same entity, something the reports do hold). Questions written for these tests, not gold ones."""
from __future__ import annotations

import pytest

from index.answer.evidence import has_count
from index.answer.judge import counts, in_time, misfits, new_value, tags_of
from index.answer.question import question_parts, read_question

NEAR_MISSES = [
    # (check, near-miss, its answerable twin, a word the twin's answer holds)
    ("type", "How many aircraft does the Belarusian air force have?",
     "How many Belarusian tanks arrived in Kapustin Yar?", "30"),
    ("focus", "What is the area of Kaliningrad Oblast?",
     "What did a Baltic Fleet sapper company practise in Kaliningrad?", "forced-entry"),
    ("focus", "In what year was the 76th Guards Air Assault Division founded?",
     "How many troops of the 76th Guards Air Assault Division arrived in Brest?", "300"),
    ("time", "What did the Kremlin announce in March 2021?",
     "What did the Kremlin announce about exercises with Belarus in September 2020?", "October"),
    # the sentence holding the asked type leads (index/answer/evidence.py lead_with_type): the
    # ranker alone put "NEXTA, which operates out of Poland, ..." (no person, no "found-") above
    # "Stepan Putilo, founder of the NEXTA Telegram channel", and the answerer declined
    ("focus", "Who commands NEXTA?", "Who founded NEXTA?", "Putilo"),
]


@pytest.mark.parametrize("check, near_miss, twin, holds", NEAR_MISSES)
def test_a_near_miss_is_declined_and_its_twin_answered(dossier, check, near_miss, twin, holds):
    declined = dossier.ask(near_miss)
    assert declined["abstained"], (near_miss, [s["text"] for s in declined["answer"]])
    assert declined["answer"] == [] and declined["citations"], "closest material is still shown, as such"
    answered = dossier.ask(twin)
    assert not answered["abstained"], twin
    assert any(holds in s["text"] for s in answered["answer"]), (twin, [s["text"] for s in answered["answer"]])


def test_each_check_names_what_is_missing():
    sentence = "Approximately 350 Belarusian personnel and 30 tanks arrived in Kapustin Yar on September 16."
    passage = sentence
    assert misfits(read_question("How many Belarusian tanks arrived in Kapustin Yar?"), sentence, passage,
                   "2020-09-19") == []
    assert "type" in misfits(read_question("How much did the Belarusian deployment to Kapustin Yar cost?"),
                             sentence, passage, "2020-09-19")
    assert "time" in misfits(read_question("How many Belarusian tanks arrived in Kapustin Yar in March 2021?"),
                             sentence, passage, "2020-09-19")
    assert "entity" in misfits(read_question("How many Belarusian tanks arrived in Brest?"), sentence, passage,
                               "2020-09-19")
    assert "focus" in misfits(read_question("How many Belarusian aircraft arrived in Kapustin Yar?"), sentence,
                              passage, "2020-09-19")


def test_what_the_question_asks_for():
    q = read_question("What is the area of Kaliningrad Oblast?")
    assert (q.answer_type, [w for _, w in q.attribute], q.entities) == ("measure", ["area"], ("Kaliningrad", "Oblast"))
    q = read_question("In what year was the 76th Guards Air Assault Division founded?")
    assert q.answer_type == "year" and [w for _, w in q.attribute] == ["founded"] and "76th" in q.entities
    q = read_question("Who is Russia's ambassador in Minsk?")
    assert q.answer_type == "person" and [w for _, w in q.attribute] == ["ambassador"]
    # "founded" asks for a year when nothing else is asked; "which company … found" asks for the company
    assert read_question("When was the 76th Division founded?").answer_type == "year"
    assert read_question("Which company did Brendan Eich found after leaving Mozilla?").answer_type is None
    assert read_question("What firm was established in Minsk in 2015?").answer_type is None
    # a name or a rank between "which" and the noun asked for: still a place, a person (not the
    # range of "the Kapustin Yar range", a measure)
    assert read_question("In which Russian province is the Kapustin Yar range?").answer_type == "place"
    assert read_question("Which senior official met Lukashenko?").answer_type == "person"
    assert read_question("What does the city council plan?").answer_type is None
    q = read_question("What did the Kremlin announce in March 2021?")
    assert q.time.year_months == {(2021, 3)} and q.entities == ("Kremlin",)
    # a year that ends a name is not a time: "Zapad 2021" is an exercise
    assert not read_question("Why does Zapad 2021 draw attention?").time
    assert read_question("What happened on September 17?").time.days == {(9, 17)}


def test_like_and_a_near_time_are_the_questions_form_not_its_topic():
    # "like" was a topic word: it matched "looks like", and the weather question was answered from
    # sentences about Minsk's Independence Square
    q = read_question("What will the weather be like in Minsk tomorrow?")
    assert q.focus == ("weather",) and "like" not in q.terms
    assert read_question("What will the weather be like in Damascus next week?").focus == ("weather",)
    assert read_question("What is the mood like in Minsk?").attribute == (("mood", "mood"),)
    # "likely" is another word; "next" with no time after it is the topic's ("next in line")
    assert "like" in read_question("What is likely to strengthen Moscow's hand?").terms
    assert "next" in read_question("Who would have been next in line for the post?").focus


def test_time_scope_reads_the_sentence_and_the_report_date():
    q = read_question("What happened in September 2020?")
    assert in_time(q, "Troops arrived.", "2020-09-16")                 # the report's date
    assert in_time(q, "Troops arrived on September 3, 2020.", "")      # the sentence's own date
    assert not in_time(q, "Troops arrived.", "2021-03-01")
    assert tags_of("It cost $2 million.").types >= {"money", "count"}
    assert "percent" in tags_of("Turnout was 84 percent.").types


def test_a_year_after_since_or_before_bounds_the_time_asked():
    after = read_question("Where did NATO station its four multinational battle groups after 2014?")
    assert in_time(after, "In 2016, the allies deployed four multinational battle groups in Poland.", "2021-01-01")
    assert not in_time(after, "In 2008 the Alliance decided that Ukraine will become a member.", "2021-01-01")
    assert in_time(after, "The allies deployed four battle groups.", "2021-01-01"), "a report written after it"
    assert not in_time(after, "The allies deployed four battle groups.", "2012-01-01")
    by = read_question("By 2014, what share of the web's servers relied on OpenSSL?")
    assert in_time(by, "In 2012, two thirds of servers relied on it.", "") and not in_time(by, "In 2019, half.", "")
    assert read_question("What happened from 2014 to 2016?").time.years == {2014, 2016}, "a span names its years"


def test_how_long_did_asks_for_a_length_of_time_which_words_can_give():
    q = read_question("How long did Natalya Kochanova stay at the meeting with state broadcaster staff?")
    assert q.answer_type == "duration"
    assert "type" not in misfits(q, "Kochanova left the meeting after 30 minutes.", "", "")
    assert "type" in misfits(q, "Kochanova met state broadcaster staff.", "", "")
    for said in ("Production stopped for a week.", "They obtained a one-month deferment.", "The full impact is expected "
                 "within a year.", "He had been sought for forty years."):
        assert "duration" in tags_of(said).types, said
    assert "duration" not in tags_of("The strait is 29 km wide.").types
    assert read_question("How long is the Suez Canal?").answer_type == "measure", "a length, not a time"
    assert read_question("How long ago did the drills begin?").answer_type == "date"


def test_a_when_question_is_answered_by_a_time_told_relative_to_another_or_an_early_year():
    when = read_question("When is the policy due to be reviewed?")
    assert "type" not in misfits(when, "The policy will be reviewed 5 years after the regulations are made.", "", "")
    assert "type" not in misfits(when, "It expires three years (36 months) after publication.", "", "")
    assert "type" in misfits(when, "The policy will be reviewed by the department.", "", "")
    settled = read_question("When did Polynesians first settle the islands?")
    assert "type" not in misfits(settled, "Polynesians settled the islands between 1250 and 1300.", "", "")
    assert tags_of("In 1642, Tasman sighted the islands.").years == {1642}
    assert not tags_of("Russia sent 2 tanks and 1500 troops.").years       # a count before a noun, no year
    assert "measure" in tags_of("The islands are 45 minutes ahead of the mainland.").types


def test_a_several_part_question_is_read_part_by_part():
    parts = question_parts(read_question("How many Belarusian tanks arrived in Kapustin Yar, and how much did "
                                         "their deployment cost?"))
    assert [p.answer_type for p in parts] == ["count", "money"]
    assert parts[1].entities, "names of the whole question stay in scope for a part that has none"


def test_a_part_that_names_nothing_is_asked_of_what_the_whole_question_is_about():
    coined, by_whom = question_parts(read_question('When was the term "open source" coined, and by whom?'))
    assert by_whom.answer_type == "person" and coined.answer_type == "date"
    assert {"term", "open", "sourc", "coin"} <= set(by_whom.terms), "the topic of the question, not nothing"
    *_, how_much = question_parts(read_question("Who bought the cloud platform Heroku, when, and for how much?"))
    assert how_much.answer_type == "money" and not how_much.attribute, "one part's relation is not asked of another"
    _, cost = question_parts(read_question("How many Belarusian tanks arrived in Kapustin Yar, and how much did "
                                           "their deployment cost?"))
    assert "tank" not in cost.terms, "a part with a topic of its own keeps it"


def test_a_partial_answer_names_the_part_the_reports_do_not_answer(dossier):
    result = dossier.ask("How many Belarusian tanks arrived in Kapustin Yar, and how much did their deployment cost?")
    assert not result["abstained"]
    assert any("30" in s["text"] for s in result["answer"])
    assert result["unanswered"] == ["How much did their deployment cost?"]
    from bot.render.terminal import format_answer

    assert "The reports don't say: How much did their deployment cost?" in format_answer(result)


QUESTION_NAMING = {"Turkish": "How many Turkish convoys entered Idlib?", "Turkey": "How many convoys did Turkey send?",
                   "Sweden": "Which troops did Sweden send?", "1980s": "Where did he work in the 1980s?",
                   "21": "How many applications did Companies House process in 2020/21?",
                   "Poland": "Who did the police of Poland detain?", "Polish": "Who did the Polish police detain?",
                   "Netherlands": "Which ships did the Netherlands send?", "France": "Which ships did France send?",
                   "1800s": "How many settlers arrived in the early 1800s?",
                   "Mogadishu": "What did Mogadishu say the outage cost?", "Australian": "Which Australian ships sailed?",
                   "Asia-Europe": "How long do Asia-Europe voyages take?",
                   "Central": "How much did traffic through the Central American canal fall?",
                   "Baltic": "Which Baltic state closed its border first?"}


@pytest.mark.parametrize("text, entity", [
    ("Turkey typically sends convoys into Idlib.", "Turkish"),        # a country for its adjective
    ("Turkish convoys entered Idlib.", "Turkey"),                     # ...and the reverse
    ("Swedish troops took part.", "Sweden"),
    ("He worked at MIT in the 1970s and early ’80s.", "1980s"),       # a decade written short
    ("In 2020/21, Companies House processed 1,388 applications.", "21"),   # a number before a comma
    ("Two Dutch frigates joined the patrol.", "Netherlands"),        # an adjective sharing no stem
    ("A French frigate joined the patrol.", "France"),
    ("Between 1814 and 1840 some 2,000 settlers arrived.", "1800s"),  # a century by a year in it
    ("Somalia's government put the cost at $10 million a day.", "Mogadishu"),   # a capital for its country
    ("Two frigates from Australia sailed.", "Australian"),
    ("Ships sailing between Asia and Europe take 10 days longer.", "Asia-Europe"),   # names a hyphen joins
    ("Traffic through the Panama Canal fell by 49 %.", "Central"),    # a region by one of its countries
    ("Lithuania closed its border on 12 August.", "Baltic"),
])
def test_an_entity_is_named_in_another_form(text, entity):
    asked = read_question(QUESTION_NAMING[entity])
    assert entity in asked.entities
    assert "entity" not in misfits(asked, text, text, "2024-01-01")


@pytest.mark.parametrize("text, entity", [
    ("Polish police detained him.", "Poland"),       # a stem shorter than four letters is too loose
    ("The police detained him.", "Polish"),
    ("He worked there in the 1970s.", "1980s"),
    ("In 2020, Companies House processed 1,388 applications.", "21"),
    ("In 1790 some 2,000 settlers arrived.", "1800s"),
    ("Two Danish frigates joined the patrol.", "Netherlands"),
    ("Two frigates from Austria sailed.", "Australian"),       # not the country sharing its first five letters
    ("Kenya's government put the cost at $10 million a day.", "Mogadishu"),
    ("Ships sailing to Europe take 10 days longer.", "Asia-Europe"),     # one of the names a hyphen joins
    ("Traffic through the Suez Canal fell by 49 %.", "Central"),      # a country of no such region
    ("Poland closed its border on 12 August.", "Baltic"),
])
def test_an_entity_is_not_named_by_a_near_form(text, entity):
    asked = read_question(QUESTION_NAMING[entity])
    assert entity in asked.entities
    assert "entity" in misfits(asked, text, text, "2024-01-01")


def test_how_much_big_or_large_is_answered_by_any_quantity():
    # "how much", "how big", "how large" do not say which quantity: a count, a sum, a size
    members = "Bountysource is a popular platform to find and post bounties; it has over 26,000 members."
    assert misfits(read_question("How big is the membership of Bountysource?"), members, members, "") == []
    grant = "Last year, the foundation received a one-time $150,000 grant from the Mozilla Foundation."
    assert misfits(read_question("How large was the foundation's grant from Mozilla?"), grant, grant, "") == []
    # a quantity asked in a way that says which keeps its type
    assert "type" in misfits(read_question("How far is Bountysource from its members?"), members, members, "")
    assert "type" in misfits(read_question("How much did the membership of Bountysource cost?"), members, members, "")
    # and a sentence with no quantity at all still lacks one
    assert "type" in misfits(read_question("How big is the membership of Bountysource?"),
                             "Bountysource is a popular platform.", "Bountysource is a popular platform.", "")


def test_how_high_or_deep_is_answered_by_a_rate_as_by_a_size():
    rate = "In the December 2014 quarter the unemployment rate for youth aged 15 to 21 was 15.6%."
    assert misfits(read_question("How high was unemployment among young people at the end of 2014?"), rate, rate,
                   "2019-01-01") == []
    cut = "To reach the goal, a 90% reduction in transport emissions is needed by 2050."
    assert misfits(read_question("How deep a cut in transport emissions is needed by 2050?"), cut, cut, "") == []
    assert "type" in misfits(read_question("How deep a cut in transport emissions is needed by 2050?"),
                             "Transport emissions must fall by 2050.", "", "")


def test_what_a_thing_is_called_asks_for_a_name_however_long_the_thing():
    q = read_question("What is the EU's initiative for a network of protected areas in Africa called?")
    assert q.answer_type == "name", "'areas' is part of the thing named, not an area asked"
    # words of any alphabet are read whole: "Māori" is a name, not the focus word "ori"
    q = read_question("What was the Māori death toll of the tribal wars?")
    assert "Māori" in q.entities and "ori" not in q.focus and "toll" in q.focus


def test_a_sum_written_with_a_magnitude_letter_is_a_number():
    walmart = "Walmart, for example, is investing over $2M in an open source project called hapi."
    q = read_question("How much has the retailer Walmart put into hapi?")
    assert misfits(q, walmart, walmart, "") == [] and new_value(q, walmart)
    assert has_count(walmart) and has_count("The budget was £3bn.")
    assert not has_count("The M4 and the S-400 were shown."), "a letter before the number: a name"


def test_money_is_the_type_asked_not_the_attribute():
    # "How much money did X commit?" asks for a sum: a sentence stating one need not say "money"
    q = read_question("How much money did Mozilla commit to open source in 2015?")
    pledge = "In October 2015, the Mozilla Foundation announced a program pledging $1M to support open source."
    assert q.answer_type == "money" and "money" not in q.focus
    assert misfits(q, pledge, pledge, "") == []


@pytest.mark.parametrize("question", [
    "How much will the new border fence cost?",
    "How much did the foundation raise in its first year?",
    "How much did the chief executive give to the campaign?",
    "How much extra investment a year does the plan need?",
    "What is the total budget of the programme in euros?",
    "How much did the government set aside for mental health?",
])
def test_a_sum_is_asked_by_what_is_paid_raised_or_given_and_only_a_sum_answers_it(question):
    q = read_question(question)
    assert q.answer_type == "money"
    for other in ("The plan, outlined in section 2.1.6, covers 35% of the land and 40 projects.",
                  "Spending on health is 9.2% of GDP."):
        assert "type" in misfits(q, other, other, ""), other
    for sum_ in ("The plan will cost EUR 100 billion.", "It raised €1.2 trillion.", "They gave 5,000 dollars.",
                 "It was given $50,000 in 2015."):
        assert "type" not in misfits(q, sum_, sum_, "") and new_value(q, sum_), sum_


def test_how_much_of_a_thing_that_is_not_money_is_still_any_quantity():
    # "How much did emissions fall?" may be answered in tonnes, in percent or by a count
    q = read_question("How much did greenhouse gas emissions fall between 1990 and 2018?")
    cut = "Greenhouse gas emissions fell by 23% between 1990 and 2018."
    assert q.answer_type != "money" and misfits(q, cut, cut, "") == []


def test_a_section_number_or_a_length_of_time_is_no_count():
    assert not counts("The Farm to Fork Strategy, outlined in section 2.1.6, will address pesticides.")
    assert counts("Firefox 3.5 was released.") == ["3.5"]
    life = "Life expectancy is forecast to rise from 80 years to 85 years in 2050."
    assert not counts(life) and "measure" in tags_of(life).types
    assert "type" in misfits(read_question("What population is the country expected to reach by 2050?"), life, life,
                             "")
    # ...but a count of years is answered by a length of time
    served = "He served 12 years as mayor."
    q = read_question("How many years did he serve as mayor?")
    assert misfits(q, served, served, "") == [] and new_value(q, served)


def test_on_what_date_asks_for_a_day_and_when_for_any_time():
    year_only = "The summit in Glasgow in 2020 will be an important milestone."
    day = "The summit in Glasgow opens on 9 November 2020."
    for asked in ("On what date does the Glasgow summit open?", "Which day does the Glasgow summit open?"):
        assert "type" in misfits(read_question(asked), year_only, year_only, ""), asked
        assert "type" not in misfits(read_question(asked), day, day, ""), asked
    assert "type" not in misfits(read_question("When does the Glasgow summit open?"), year_only, year_only, "")


def test_a_number_word_with_a_capital_inside_a_sentence_is_part_of_a_name():
    assert counts("Phones using it include the Alcatel One Touch Fire and the ZTE Open.") == []
    assert counts("One battalion arrived; two left.") == ["One", "two"]


def test_names_in_one_list_are_named_when_one_of_them_is():
    """"…compare in Maine and in Michigan?" is answered a state at a time: each sentence names one of the list
    (a Brookings report's "In Michigan, they went down 12% among white people …"); a name the sentence lacks
    outside a list still counts against it."""
    q = read_question("How did fatal overdoses among white and Black residents change in Maine and in Michigan?")
    michigan = "In Michigan, they went down 12% among white people but increased 6% among Black people."
    assert "entity" not in misfits(q, michigan, michigan, "2025-03")
    assert "entity" in misfits(q, "In Michigan, they went down 12% among white people.", "", "2025-03")   # Black
    urged = read_question("What did Lukashenko urge Warsaw, Vilnius and Kyiv to head off?")
    assert "entity" not in misfits(urged, "Lukashenko urged Kyiv to prevent a provocation.", "", "2020-09")
    assert "entity" in misfits(urged, "The Kremlin urged Kyiv to prevent a provocation.", "", "2020-09")


def test_a_word_opening_a_questions_second_sentence_is_no_name():
    q = read_question("The briefing gives two numbers for the extra days ships take round the Cape. What are they?")
    assert "What" not in q.named and q.entities == ("Cape",)
    # a hyphenated name is not named by its parts: the cable "Asia-Africa-Europe 1" is no list of places
    cable = read_question("How long is the Asia-Africa-Europe 1 cable?")
    assert "entity" in misfits(cable, "Cables between Asia, Africa and Europe are long.", "", "2024-03")


def test_a_name_said_above_the_passage_names_what_the_passage_tells():
    """A passage's subject is often named in the headings over it or the passage before it; the
    entity check reads those too, and still misses a name said nowhere near."""
    asked = read_question("Which engineer found the Heartbleed bug?")
    sentence = "In 2014 a Google engineer named Neel Mehta stumbled on it."
    assert "entity" in misfits(asked, sentence, sentence, "2016-01-01")
    above = "Security. That bug, nicknamed Heartbleed, sat in OpenSSL for two years."
    assert "entity" not in misfits(asked, sentence, sentence, "2016-01-01", around=above)
    assert "entity" in misfits(asked, sentence, sentence, "2016-01-01", around="Security. OpenSSL is widely used.")


def test_a_word_spelt_the_british_or_the_american_way_states_the_same_focus():
    # an analyst's "mechanised" asks about a US report's "mechanized" (tune q253), and the other way
    q = read_question("How many Russian mechanised battalions carried out snap drills on September 19?")
    assert "focus" not in misfits(q, "Two Russian mechanized battalions held likely snap exercises on September 19.",
                                  "", "2020-09-19")
    q = read_question("Which EU programme funds the cables' protection?")
    assert "focus" not in misfits(q, "The Connecting Europe program funds the protection of cables.", "", "2024-03-01")
    # a word spelt neither way is still missing
    q = read_question("How many Russian mechanised battalions carried out snap drills on September 19?")
    assert "focus" in misfits(q, "Two Russian airborne battalions held likely snap exercises on September 19.",
                              "", "2020-09-19")


def test_a_person_the_report_names_in_full_is_named_by_the_surname_alone():
    q = read_question("How long did Natalya Kochanova stay at the meeting with state broadcaster staff?")
    report = ("Head of the Presidential Administration Natalya Kochanova met state broadcaster staff. "
              "Employees jeered Kochanova, who left the meeting after 30 minutes.")
    said = "Employees jeered Kochanova, who left the meeting after 30 minutes."
    assert "entity" not in misfits(q, said, said, "", report=report)
    assert "entity" in misfits(q, said, said, ""), "without the report's full name the surname is not enough"
    assert "entity" in misfits(q, said, said, "", report=report.replace("Natalya Kochanova", "Kochanova"))
    other = "Employees jeered Olga Kochanova, who left the meeting after 30 minutes."
    assert "entity" in misfits(q, other, other, "", report=report + " " + other), "another person of that name"
    canal = read_question("How deep is the Suez Canal?")
    said = "Canal depth is 24 m."
    assert "entity" in misfits(canal, said, said, "", report="The Suez Canal is busy. The canal is old. " + said), \
        "a word the report writes in lower case is no surname"
