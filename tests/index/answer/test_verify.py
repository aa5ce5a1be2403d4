"""The verifier: each rule removes what it should, faithful paraphrases stay, and it agrees with
the hand labels in eval/gold/verifier_labels.jsonl."""
from __future__ import annotations

import pytest

from eval.verifier import agreement, by_split, copy_parts, load_labels, reread, verdict
from index.answer.generate import split_sentences
from index.answer.verify import (MIN_ORDER, MIN_OVERLAP, actor_changed, copy_faults, cut_off, dropped_attribution,
                                 name_dropped, not_a_copy,
                                 names_apart, number_moved, order_share, pronoun_subject, source_reference,
                                 stops_short, unquoted_speaker, verify_sentence)

P1 = {"passage_id": "r-0019", "report": {"title": "Belarus Warning Update", "date": "2020-09-19"},
      "text": "Approximately 350 unspecified Belarusian personnel and approximately 30 Belarusian tanks arrived in "
              "Kapustin Yar, Astrakhan Oblast, in Russia’s SMD, on September 16 for preplanned Kavkaz 2020 exercises."}
P2 = {"passage_id": "r-0004", "report": {"title": "Russia Issues Warrant", "date": "2020-08-15"},
      "text": "Russia issued an arrest warrant for Stepan Putilo, founder of the NEXTA Telegram channel, on 15 AUG. "
              "Turkey sent only three convoys in the past 13 days."}
SHOWN = {1: P1, 2: P2}


@pytest.mark.parametrize("sentence, cites", [
    ("Turkey sent only three convoys in the past 13 days [2].", [2]),                           # a whole sentence
    ("Turkey sent only the three convoys in the past 13 days [2].", [2]),                       # "the" added
    ("Russia issued an arrest warrant for Stepan Putilo, founder of the NEXTA Telegram channel, on 15 AUG [2].", [2]),
])
def test_copies_of_one_cited_sentence_are_kept(sentence, cites):
    v = verify_sentence(sentence, cites, SHOWN)
    assert v.supported, v.reasons


@pytest.mark.parametrize("sentence, cites", [
    ("Approximately 30 Belarusian tanks arrived in Kapustin Yar on September 16 [1].", [1]),      # one stretch cut
    ("Russia issued an arrest warrant for Stepan Putilo [2].", [2]),                             # its end left out
    ("Russia's SMD on September 16 was for preplanned Kavkaz 2020 exercises [1].", [1]),      # its start left out
])
def test_a_part_of_a_cited_sentence_is_not_kept(sentence, cites):
    # every unsupported sentence the hand counts found kept was a part of its sentence (docs/llm.md, tenth count)
    v = verify_sentence(sentence, cites, SHOWN)
    assert not v.supported and any(r.startswith("is part of the cited sentence") for r in v.reasons), v.reasons


def kinds(sentence: str, passage: str) -> list[str]:
    """What rule 9 says a copy leaves out or changes, besides "part" (which every part of a sentence gets)."""
    return [k for k, _ in copy_faults(sentence, [passage]) if k != "part"]


@pytest.mark.parametrize("sentence, cites", [
    ("About 350 Belarusian personnel and 30 tanks arrived at Kapustin Yar on September 16 [1].", [1]),
    ("Roughly 350 personnel from Belarus arrived for Russia's Kavkaz 2020 exercises [1].", [1]),
    ("Russia issued a warrant for NEXTA founder Stepan Putilo on August 15 [2].", [2]),
    ("Turkey sent 3 convoys in 13 days [2].", [2]),
    ("The report of September 19, 2020 says 30 Belarusian tanks arrived [1].", [1]),
])
def test_faithful_paraphrases_are_the_price_of_rule_9(sentence, cites):
    # docs/llm.md: a sentence must be a copy of one cited sentence; a true paraphrase is removed too
    v = verify_sentence(sentence, cites, SHOWN)
    assert not v.supported and any("not a copy of one cited sentence" in r for r in v.reasons), v.reasons


@pytest.mark.parametrize("sentence, cites, reason", [
    ("About 500 Belarusian personnel arrived in Kapustin Yar on September 16 [1].", [1], "number 500"),
    ("About 350 Belarusian personnel arrived in Kapustin Yar on October 16 [1].", [1], "date word october"),
    ("About 350 Belarusian personnel arrived in Kaliningrad on September 16 [1].", [1], "name Kaliningrad"),
    ("Shoigu said 350 Belarusian personnel arrived in Kapustin Yar [1].", [1], "name Shoigu"),
    ("About 350 Belarusian personnel arrived in Kapustin Yar on September 16 [9].", [9], "cites [9]"),
    ("About 350 Belarusian personnel arrived in Kapustin Yar on September 16 [2].", [2], "350 not in the cited"),
    ("About 350 Belarusian personnel arrived in Kapustin Yar.", [], "cites no passage"),
    ("The soldiers were welcomed warmly by cheering local crowds [1].", [1], "of its words"),
    # forms that once slipped through (review of the LLM mode)
    ("About 350 Belarusian personnel arrived in Kapustin Yar (Lukashenko ordered it) [1].", [1], "name Lukashenko"),
    ("About 350 Belarusian personnel arrived in Kapustin Yar: Lukashenko ordered it [1].", [1], "name Lukashenko"),
    ("Russia issued an arrest warrant for Stepan Putin on 15 AUG [2].", [2], "name Putin"),  # not an inflection
    ("About a thousand Belarusian personnel arrived in Kapustin Yar on September 16 [1].", [1], "number 1000"),
    ("Belarusian tanks arrived in Kapustin Yar on the seventeenth of September [1].", [1], "number 17"),
    ("About 350 Belarusian personnel arrived in Kapustin Yar in mid-October [1].", [1], "date word october"),
    # one word the window does not hold (a real model's most common invention), a day moved to another month
    ("About 350 Belarusian personnel and 30 tanks reached Kapustin Yar on September 16 [1].", [1], "of its words"),
    ("Approximately 30 Belarusian tanks arrived in Kapustin Yar on September 30 [1].", [1], "date September 30"),
])
def test_each_rule_removes_what_it_should(sentence, cites, reason):
    v = verify_sentence(sentence, cites, SHOWN)
    assert not v.supported
    assert any(reason in r for r in v.reasons), v.reasons


def test_the_question_words_count_its_names_and_numbers_do_not():
    sentence = "About 350 Belarusian personnel reached Kapustin Yar on September 16 [1]."
    assert any("of its words" in r for r in verify_sentence(sentence, [1], SHOWN).reasons)
    asked = verify_sentence(sentence, [1], SHOWN, question="When did the Belarusians reach Kapustin Yar?")
    assert not any("of its words" in r for r in asked.reasons), asked.reasons      # rule 5 counts them ...
    assert not asked.supported                                                     # ... rule 9 does not
    v = verify_sentence("About 350 personnel reached Kapustin Yar from Minsk [1].", [1], SHOWN,
                        question="Did personnel from Minsk reach Kapustin Yar?")
    assert not v.supported and any("name Minsk" in r for r in v.reasons), v.reasons


def test_a_sentence_about_the_report_may_give_its_date_not_the_numbers_of_its_title():
    p = {"passage_id": "m-1", "report": {"title": "Report On Interference In The 2016 Election", "date": "2019-03-22"},
         "text": "Corallo worked with Circa News on a story published an hour later about the June 9 meeting."}
    about = verify_sentence("The report of March 22 says Corallo worked with Circa News [1].", [1], {1: p})
    assert not any("number" in r or "date" in r for r in about.reasons), about.reasons   # rule 3 allows it ...
    assert about.reasons == ("is not a copy of one cited sentence (adds 'report', 'of', 'march')",)  # ... rule 9 not
    v = verify_sentence("Corallo worked with Circa News on a story published about the June 9, 2016 meeting [1].",
                        [1], {1: p})
    assert not v.supported and any("number 2016" in r for r in v.reasons), v.reasons


def test_a_number_keeps_the_words_it_counts():
    # every word is in the window ("30", "Belarusian", "personnel"), but 30 counts the tanks there
    v = verify_sentence("About 30 Belarusian personnel arrived in Kapustin Yar on September 16 [1].", [1], SHOWN)
    assert not v.supported and any("number 30 counts" in r for r in v.reasons), v.reasons
    assert number_moved("30 Belarusian personnel arrived.", P1["text"]) == "30"
    assert number_moved("350 Belarusian personnel and 30 tanks arrived.", P1["text"]) is None
    assert number_moved("Turkey sent only three convoys in 13 days.", P2["text"]) is None
    assert number_moved("Turkey sent only 13 convoys in three days.", P2["text"]) == "13"


def test_a_sentence_cut_off_mid_clause_is_no_statement():
    assert cut_off("According to an email, the President said that he had heard Comey was") == "was"
    assert cut_off("The next day, the President sent a series of tweets that said:") == ":"
    # with no stop at all it may have been cut anywhere (k409, eleventh count; k86, supported, is lost with it)
    assert cut_off("Cohen signed a non-binding letter of intent in 2015") == "2015"
    assert cut_off("Belarusian tanks arrived in Kapustin Yar on September 16.") is None
    v = verify_sentence("About 350 Belarusian personnel arrived in Kapustin Yar and [1]", [1], SHOWN)
    assert not v.supported and v.reasons == ("is cut off (it ends in 'and')",), v.reasons


def test_a_title_stays_with_its_name():
    text = ("Belarusian Foreign Minister Vladimir Makei met with Russian Foreign Minister Sergey Lavrov in Moscow "
            "on September 2.")
    assert names_apart("Belarusian Foreign Minister Sergei Lavrov.", [text]) == "belarusian foreign minister sergei lavrov"
    assert names_apart("Makei met Russian Foreign Minister Sergei Lavrov.", [text]) is None     # "Sergei" / "Sergey"
    assert names_apart("Makei met the Russian foreign minister.", [text]) is None
    v = verify_sentence("Belarusian Foreign Minister Sergey Lavrov met Makei in Moscow [1].", [1], {1: {"text": text}})
    assert not v.supported and any("do not stand together" in r for r in v.reasons), v.reasons


def test_the_windows_words_shuffled_into_another_claim_are_removed():
    window = ("Russian forces in the WMD may be preparing to perform crowd control operations in Belarus. A battalion "
              "of the Taman Division held exercises in the Moscow region.")
    assert order_share("A battalion of the Taman Division held exercises in the Moscow region.", [window]) == 1.0
    shuffled = "The Moscow region held exercises of the Taman Division preparing crowd control in Belarus."
    assert order_share(shuffled, [window]) < MIN_ORDER
    v = verify_sentence(shuffled + " [1]", [1], {1: {"text": window}})
    assert not v.supported and any("order" in r for r in v.reasons), v.reasons


def test_replies_are_cut_into_cited_sentences():
    text = "Belarus sent 350 personnel [1]. Turkey sent three convoys. [2] An uncited claim. Both [1][2]."
    assert split_sentences(text) == [
        {"text": "Belarus sent 350 personnel.", "citations": [1]},
        {"text": "Turkey sent three convoys.", "citations": [2]},
        {"text": "An uncited claim.", "citations": []},
        {"text": "Both.", "citations": [1, 2]},
    ]
    # Mid-stream, a sentence is complete only once its citation group is: "[1] [" may become "[1] [9]".
    assert split_sentences("Belarus sent 350 personnel [1] [", final=False) == []
    assert split_sentences("Belarus sent 350 personnel [1] [9]. Then", final=False) == [
        {"text": "Belarus sent 350 personnel.", "citations": [1, 9]}]
    # Abbreviations and closing quotes do not end a sentence early.
    assert split_sentences("Lt. Gen. (Ret.) Ben Hodges of the U.S. Army warned of a “hot war.” [1] It grew [2].") == [
        {"text": "Lt. Gen. (Ret.) Ben Hodges of the U.S. Army warned of a “hot war.”", "citations": [1]},
        {"text": "It grew.", "citations": [2]},
    ]
    # Mid-stream, a citation group at the very end may still grow: not yet complete.
    assert split_sentences("Belarus sent 350 personnel [1]", final=False) == []
    assert split_sentences("Belarus sent 350 personnel [1]. Tur", final=False) == [
        {"text": "Belarus sent 350 personnel.", "citations": [1]}]


def test_agreement_with_the_hand_labels():
    rows = load_labels()
    assert len(rows) >= 60 and {r["label"] for r in rows} == {"supported", "unsupported"}
    a = agreement(rows, MIN_OVERLAP)
    # docs/llm.md: no unsupported hand-written sentence is kept; rule 9 (a copy of one cited sentence) removed 47
    # of the 50 supported ones, written as paraphrases (every word in the window alone removed 23): agreement 0.535;
    # since it asks for a whole sentence (session 14), all 50: agreement 0.505.
    assert a.kept_unsupported == 0 and a.removed_supported == 50, a


def test_the_labels_quote_the_index_passages_exactly(dossier):
    """The labels carry their passages' text; it must be what the sample index holds."""
    rows = load_labels()
    ids = sorted({p["passage_id"] for r in rows for p in r["passages"]})
    stored = dossier.snapshot.passages(ids)
    for r in rows:
        for p in r["passages"]:
            assert stored[p["passage_id"]]["text"] == p["text"], (r["id"], p["passage_id"])


def test_a_note_reference_copied_as_a_sentence_is_no_statement():
    assert source_reference("Christie 2/13/19 302, at 4.") and source_reference("Porter 4/13/18 302, at 16-17.")
    assert source_reference("Median loss was $145,000: https://www.acfe.com/report.pdf") == "https://www.acfe.com/report.pdf"
    assert source_reference("Mein Smith 2005, p. 23.") == "p. 23"
    assert source_reference("See footnote no. 28.") == "See"
    assert source_reference("Approximately 350 Belarusian personnel arrived on September 16.") is None
    assert source_reference("Sixteen percent of respondents used open source software.") is None
    passage = {"text": "Approximately 350 Belarusian personnel arrived. See https://example.org/news."}
    v = verify_sentence("Approximately 350 Belarusian personnel arrived, see https://example.org/news. [1]", [1], {1: passage})
    assert not v.supported and v.reasons[0].startswith("is a source reference"), v.reasons


def test_a_sentence_about_someone_unnamed_is_no_statement():
    assert pronoun_subject("It is a rehearsal for crowd control operations.") == "It"
    assert pronoun_subject("They are supposed to start in September.") == "They"
    assert pronoun_subject("This is less restrictive than it may appear.") == "This"
    assert pronoun_subject("This exercise can prepare Russian and Belarusian forces.") is None   # a determiner
    assert pronoun_subject("That evening, officials met.") is None
    assert pronoun_subject("I was disappointed.") == "I"
    assert pronoun_subject("\u201cI\u2019d like to remind everyone that we didn\u2019t replace anyone.\u201d") is None
    assert pronoun_subject("Italy sent three convoys.") is None and pronoun_subject("Theirs is no army.") is None
    passage = {"text": "Russian forces may be preparing a rehearsal for crowd control operations."}
    assert not verify_sentence("It is a rehearsal for crowd control operations. [1]", [1], {1: passage}).supported
    assert verify_sentence("Russian forces may be preparing a rehearsal for crowd control operations. [1]", [1],
                           {1: passage}).supported


def test_a_claim_keeps_who_made_it():
    window = "Rice recalled that Flynn said he wanted to end the story about the sanctions."
    assert dropped_attribution("Flynn said he wanted to end the story about the sanctions.", window) == "rice recalled"
    assert dropped_attribution("Rice recalled that Flynn wanted to end the story.", window) is None
    # a quotation in its speaker's own voice reads as a quotation
    assert dropped_attribution("I would have picked somebody else.",
                               "The President said that he should have told me and I would have picked somebody "
                               "else.") is None
    # ... but a quotation whose speaker the sentence names keeps the account it comes from (a real model's
    # sentence, session 10's blind count, k322): the words are the President's, the account Comey's
    account = ("According to Comey\u2019s account, at one point during the dinner the President stated, "
               "\u201dI need loyalty, I expect loyalty.\u201d")
    assert dropped_attribution("The President stated, \u201dI need loyalty.\u201d", account) == "comey According to"
    assert dropped_attribution("According to Comey\u2019s account, the President stated, \u201dI need loyalty.\u201d",
                               account) is None
    assert dropped_attribution("\u201dI need loyalty, I expect loyalty.\u201d", account) is None
    # an estimate is its estimator's; a word of the claim ("fraud") does not name the Certified Fraud Examiners
    estimate = ("The 2024 report on occupational fraud by the Association of Certified Fraud Examiners estimated that "
                "median loss to businesses from a fraud case at $145,000.")
    assert dropped_attribution("Median loss per fraud case was $145,000.", estimate) == "certified fraud examiners estimated"
    assert dropped_attribution("The Certified Fraud Examiners estimated the median loss per fraud case at $145,000.",
                               estimate) is None
    v = verify_sentence("Median loss to businesses from a fraud case was $145,000. [1]", [1], {1: {"text": estimate}})
    assert not v.supported and "drops who said it ('certified fraud examiners estimated' in the cited passages)" \
        in v.reasons, v.reasons


def test_a_limit_on_a_claim_is_kept():
    passage = {"text": "Europeans did not revisit New Zealand until 1769 when British explorer James Cook mapped "
                       "almost the entire coastline."}
    v = verify_sentence("James Cook mapped the coastline of New Zealand in 1769. [1]", [1], {1: passage})
    assert not v.supported and "drops the cited passage's 'almost'" in v.reasons, v.reasons
    assert verify_sentence("Europeans did not revisit New Zealand until 1769 when British explorer James Cook mapped "
                           "almost the entire coastline. [1]", [1], {1: passage}).supported
    # a limit on another part of the passage is no limit on this claim
    other = {"text": "Nearly two hundred sailors came later. James Cook mapped the coastline of New Zealand in 1769."}
    assert verify_sentence("James Cook mapped the coastline of New Zealand in 1769. [1]", [1], {1: other}).supported


def test_a_conclusion_keeps_whose_it_is():
    # "concluded" is an attribution too; "The report says" gives the Select Committee's words to the cited report
    window = ("The Select Committee report on post-legislative scrutiny of the Bribery Act 2010 concluded that the new "
              "offence of failure to prevent bribery is regarded as particularly effective.")
    said = "The report says that the new offence of failure to prevent bribery is regarded as particularly effective."
    assert dropped_attribution(said, window) == "bribery act concluded"
    assert dropped_attribution("The Select Committee on the Bribery Act concluded that the new offence of failure to "
                               "prevent bribery is regarded as particularly effective.", window) is None


def test_a_quotation_keeps_its_speaker():
    text = ("Lukashenko stated Russia is prepared to intervene: Lukashenko stated \"we have an agreement with the "
            "Russian Federation in the framework of the Union State. These moments are fitting to this pact.")
    assert unquoted_speaker("These moments are fitting to this pact.", text) == "lukashenko quoted"
    v = verify_sentence("These moments are fitting to this pact. [1]", [1], {1: {"text": text}})
    assert not v.supported and "drops who said it ('lukashenko quoted' in the cited passages)" in v.reasons, v.reasons
    # quoted, or with its speaker, it is kept; so is a sentence after the quotation closed
    assert unquoted_speaker("Lukashenko said these moments are fitting to this pact.", text) is None
    assert unquoted_speaker("\u201cThese moments are fitting to this pact.\u201d", text) is None
    closed = 'Lukashenko stated "we have an agreement." These moments are fitting to this pact.'
    assert unquoted_speaker("These moments are fitting to this pact.", closed) is None
    # a quotation's words inside a sentence of the model's own ("keep me occupied" is nobody's)
    python = ("Python was developed by computer scientist Guido van Rossum in 1991. Van Rossum claimed he \u201cwas "
              "looking for a \u2018hobby\u2019 programming project that would keep me occupied during the week around "
              "Christmas.\u201d")
    said = ("Python was started by a computer scientist, who was looking for a hobby programming project that would "
            "keep me occupied during the week around Christmas.")
    assert unquoted_speaker(said, python) == "van rossum quoted"
    # a mistyped mark after a title opens nothing
    stray = ("MoJ reviewed awareness among small firms (\u201cInsight into awareness (SMEs) \u201c), published 2015. "
             "The offence of failure to prevent fraud only applies to large organisations.")
    assert unquoted_speaker("The offence of failure to prevent fraud only applies to large organisations.", stray) is None


def test_a_sentence_that_stops_where_the_clause_goes_on_is_removed():
    servers = "By 2014, two-thirds of all Web servers were using OpenSSL, enabling websites to pass card details."
    assert stops_short("By 2014, two-thirds of all Web servers were used.", servers) == "used"
    assert stops_short("By 2014, two-thirds of all Web servers were using OpenSSL.", servers) is None
    busby = "The British Government appointed James Busby as British Resident to New Zealand in 1832."
    assert stops_short("James Busby appointed.", busby) == "appointed"
    assert stops_short("The British Government appointed James Busby in 1832.", busby) is None
    kremlin = "The Kremlin qualified Lukashenko\u2019s claim he requested Russian weapons from Putin."
    assert stops_short("Alexander Lukashenko and the Kremlin.", kremlin) == "Kremlin"
    serbs = "The Serbian 72nd Brigade has been in Belarus, as part of the Russian Army Games, since 27 JUL."
    assert stops_short("The Serbian 72nd Brigade was in Belarus for the Army Games, and since then.", serbs) == "then"
    # a clause opener at the end lost its clause, full stop or not
    assert cut_off("Companies House data shows that.") == "that"
    assert cut_off("Companies House statistics show 1.58 directorships per company.") is None
    # a modifier dropped from the end is no clause cut ("… in the Moscow region" of "… region on September 19")
    assert stops_short("A battalion held exercises in the Moscow region.",
                       "A battalion held exercises in the Moscow region on September 19.") is None
    v = verify_sentence("By 2014, two-thirds of all Web servers were used. [1]", [1], {1: {"text": servers}})
    assert not v.supported and "stops where the cited passage's clause goes on ('used')" in v.reasons, v.reasons


def test_a_relation_keeps_its_actors():
    window = ("The Kremlin qualified Belarusian President Alexander Lukashenko\u2019s claim he requested Russian weapons "
              "from Russian President Vladimir Putin on September 16. Russian Defense Minister Sergei Shoigu met with "
              "Lukashenko in Minsk on September 16.")
    said = "Belarusian President Alexander Lukashenko met with Russian President Vladimir Putin on September 16."
    assert actor_changed(said, window) == "russian president vladimir putin"
    assert actor_changed("Russian Defense Minister Sergei Shoigu met with Lukashenko in Minsk on September 16.",
                         window) is None
    # an apposition moved keeps the actor
    assert actor_changed("Russia issued a warrant for NEXTA founder Stepan Putilo.",
                         "Russia issued an arrest warrant for Stepan Putilo, founder of the NEXTA channel.") is None
    v = verify_sentence(said + " [1]", [1], {1: {"text": window}})
    assert not v.supported and any("another actor" in r for r in v.reasons), v.reasons


def test_the_name_between_two_words_is_not_left_out():
    window = ("In September 2022, a comprehensive primary stage Impact Assessment was published at the introduction of "
              "the Economic Crime and Corporate Transparency Act.")
    assert name_dropped("In September 2022, a comprehensive primary stage was published.", window) == "Impact Assessment"
    assert name_dropped("In September 2022, a primary stage Impact Assessment was published.", window) is None
    # one capitalised word left out (an adjective, a first name) is no name dropped
    assert name_dropped("Defense Minister Shoigu met with Lukashenko.",
                        "Russian Defense Minister Sergei Shoigu met with Lukashenko.") is None
    v = verify_sentence("In September 2022, a comprehensive primary stage was published. [1]", [1], {1: {"text": window}})
    assert not v.supported and "leaves out the name the cited passage has there ('Impact Assessment')" in v.reasons


def test_a_kept_sentence_is_a_copy_of_one_cited_sentence():
    two = ("Russian Defense Minister Sergei Shoigu met with Lukashenko in Minsk on September 16. Lukashenko made "
           "concessions to Putin during their September 14 meeting in Sochi.")
    assert kinds("Russian Defense Minister Sergei Shoigu met with Lukashenko in Minsk on September 16.", two) == []
    # roles reversed, and a clause taken from the next sentence: words added to the copy
    assert copy_faults("Lukashenko met with Russian Defense Minister Sergei Shoigu in Minsk.", [two])[0][0] == "added"
    assert copy_faults("Shoigu met with Lukashenko in Minsk during their meeting in Sochi.", [two])[0][0] == "added"
    # an article or an auxiliary may be added, once ("NEXTA is operated out of Poland")
    nexta = "NEXTA, which operates out of Poland, has been instrumental in organizing protests."
    assert kinds("NEXTA is operated out of Poland.", nexta) == []
    assert not_a_copy("NEXTA is the channel operated out of Poland.", [nexta]).startswith("is not a copy")
    # one stretch may be cut, not two, and never a hedge, a negation or a limit
    unit = "The 234th likely formed a joint Russian-Belarusian battalion-sized unit to execute these exercises."
    assert kinds("The 234th likely formed a joint unit to execute these exercises.", unit) == []
    assert kinds("The 234th likely formed a unit to execute exercises.", unit) == ["cuts"]
    assert not_a_copy("The 234th formed a joint Russian-Belarusian battalion-sized unit.", [unit]) == \
        "leaves out 'likely' from the middle of the cited sentence"
    # a speaker's frame cut from the middle (k355, ninth count, tune): the copy's "the" taken from before the frame
    roadmaps = ("Lukashenko has so far stalled Russia's absorption of Belarus via the Union State mechanism by "
                "stressing that Union State roadmaps' ratification is only possible as a package deal.")
    assert not_a_copy("The Union State roadmaps’ ratification is only possible as a package deal.", [roadmaps]) == \
        "leaves out 'stressing that' from the middle of the cited sentence"
    # a copy that starts after what governs it, or inside a name
    nz = ("Radiocarbon dating and mitochondrial DNA variability within Maori populations suggest New Zealand was "
          "first settled by Eastern Polynesians between 1250 and 1300.")
    assert not_a_copy("New Zealand was first settled by Eastern Polynesians between 1250 and 1300.", [nz]) == \
        "starts after 'suggest', which governs it in the cited sentence"
    group = "At some point a group of Maori migrated to Rekohu, now known as the Chatham Islands."
    assert not_a_copy("Maori migrated to Rekohu, now known as the Chatham Islands.", [group]) == \
        "starts after 'of', which governs it in the cited sentence"
    settle = "Christian missionaries began to settle New Zealand, eventually converting most of the Maori population."
    assert not_a_copy("Zealand, eventually converting most of the Maori population.", [settle]) == \
        "starts or ends inside a name of the cited sentence"
    assert kinds("Christian missionaries began to settle New Zealand.", settle) == []
    rt = "In an interview to Kremlin media outlet RT Lukashenko thanked RT journalists for coming to Belarus."
    assert kinds("Lukashenko thanked RT journalists for coming to Belarus.", rt) == []      # "RT" is no part
    # "that" alone governs nothing; the word before it may
    asay = "Matt Asay noted that Red Hat uses a unique set of patents to protect its enterprise market."
    assert kinds("Red Hat uses a unique set of patents to protect its enterprise market.", asay) == []
    assert copy_faults("Red Hat uses a unique set of patents.", [asay.replace("noted", "suggested")])[0][0] == "start"
    # a question of the passage, and a condition left behind, are no statements of it
    why = "Why didn't Sessions replace McCabe?"
    assert kinds("Sessions replace McCabe.", why) == ["start", "question"]
    kremlin = "If the Kremlin achieves freedom of movement in Belarus, the Kremlin may attempt to destabilize NATO."
    assert not_a_copy("The Kremlin may attempt to destabilize NATO.", [kremlin]) == \
        "leaves the cited sentence's condition ('if') out"
    v = verify_sentence("Lukashenko met with Russian Defense Minister Sergei Shoigu in Minsk. [1]", [1], {1: {"text": two}})
    assert not v.supported and any(r.startswith("is not a copy of one cited sentence") for r in v.reasons), v.reasons


def test_a_copy_keeps_its_frame():
    # a claim without who holds it, even several words before its "that"; a factive "noted" is the passage's own
    stressed = ("Lukashenko has so far stalled Russia's absorption of Belarus by stressing that Union State roadmaps' "
                "ratification is only possible as a package deal.")
    assert kinds("Union State roadmaps' ratification is only possible as a package deal.", stressed) == ["claim"]
    clear = "McGahn had made clear to the President that the Counsel's Office should not be involved in the issue."
    assert kinds("The Counsel's Office should not be involved in the issue.", clear) == ["claim"]
    assert kinds("The Counsel's Office should not be involved in the issue.", clear.replace("made clear", "gone")) == []
    asay = "Matt Asay noted that Red Hat uses a unique set of patents to protect its enterprise market."
    assert kinds("Red Hat uses a unique set of patents to protect its enterprise market.", asay) == []
    # an opening phrase or clause without its main clause; with it, or with a main clause after a comma, it stands
    doctrine = ("In Russia's current Military Doctrine, which dates from 2014, NATO is considered to be a military "
                "risk.")
    assert kinds("In Russia's current Military Doctrine, which dates from 2014.", doctrine) == ["clause"]
    on_june = ("On June 19, 2017, two days after the President directed the Counsel to act, the President met "
               "Lewandowski alone.")
    assert kinds("On June 19, 2017, two days after the President directed the Counsel to act.", on_june) == ["clause"]
    redhat = ("Although Red Hat has been wildly successful from a financial standpoint, many are quick to point out "
              "that it is an anomaly.")
    assert kinds("Although Red Hat has been wildly successful from a financial standpoint.", redhat) == ["clause"]
    settle = "From the early 19th century, Christian missionaries began to settle New Zealand, converting most."
    assert kinds("From the early 19th century, Christian missionaries began to settle New Zealand.", settle) == []
    assert kinds("From the early 19th century.", settle) == ["clause"]
    moriori = "In 1862 only 101 survived, and the last known full-blooded Moriori died in 1933."
    assert kinds("In 1862 only 101 survived.", moriori) == []
    hmrc = "By building automated controls into the claim process, HMRC prevented more than 100,000 claims."
    assert kinds("By building automated controls into the claim process.", hmrc) == ["clause"]
    # the words of a quotation that opened before its sentence, or a closing mark with no opening one
    cohen = "Based on my business determinations, the Trump Organization abandoned the proposal.\u201d Cohen said more."
    assert kinds("Based on my business determinations, the Trump Organization abandoned the proposal.", cohen) == [
        "quoted"]
    rossum = ("Van Rossum claimed he \u201cwas looking for a project that would keep me occupied during the week "
              "around Christmas.\u201d")
    assert "quoted" in kinds("Would keep me occupied during the week around Christmas.\u201d", rossum)
    rt = "The interviewer interjected, saying, \u201cI'd like to remind everyone that we didn't replace anyone.\u201d"
    assert kinds("\u201cI'd like to remind everyone that we didn't replace anyone.\u201d", rt) == []   # k33: its marks
    # a copy that starts inside the sentence without a subject: at an auxiliary, a relative pronoun, a "but"
    openssl = ("Developers discovered several vulnerabilities that have been fixed, including one in 2016 that could "
               "leak private security keys.")
    assert kinds("Could leak private security keys.", openssl) == ["fragment"]
    keith = "Russell Keith-Magee, who was its president, explained that the foundation cannot fund Django."
    assert kinds("Explained that the foundation cannot fund Django.", keith) == ["fragment"]
    # a word in -ed that opens a noun phrase, or a name, is no verb without its subject
    assert kinds("Armed groups attacked the base.", "Early on Monday armed groups attacked the base.") == []
    assert kinds("United Airlines cut 200 flights.", "After the storm, United Airlines cut 200 flights.") == []
    v = verify_sentence("Union State roadmaps' ratification is only possible as a package deal. [1]", [1],
                        {1: {"text": stressed}})
    assert not v.supported and any(r.startswith("leaves out who holds it") for r in v.reasons), v.reasons


def test_a_phrase_from_inside_a_sentence_needs_a_verb():
    # k315 and k309 (eighth count, test): a noun phrase shown as the answer to a question it does not answer
    close_out = ("After the election, the Trump Organization sought to formally close out certain deals in advance of "
                 "the inauguration.")
    assert kinds("The Trump Organization.", close_out) == ["phrase"]
    oil = ("Nearly all the corn oil exported from the ports of New Orleans and Savannah is destined for either Kuwait, "
           "Saudi Arabia, or Qatar.")
    assert kinds("The port of New Orleans and Savannah.", oil) == ["phrase"]
    # with a verb it is a statement, also an irregular past or a contracted auxiliary; a sentence's opening keeps
    # its own rules (a subject cut short at its end is rule 2's)
    hicks = "Later, the President handed the phone to Hicks, and the attorney told Hicks that he had been working."
    assert kinds("The President handed the phone to Hicks.", hicks) == []
    assert kinds("The attorney told Hicks.", hicks) == []
    kochanova = "Lukashenko and Kochanova, who left the meeting after 30 minutes, spoke to reporters."
    assert kinds("Kochanova left the meeting after 30 minutes.", kochanova.replace("who ", "")) == []
    assert kinds("Belarus's border with Poland.", "Russian troops arrived at Belarus's border with Poland on Monday.") \
        == ["phrase"]
    v = verify_sentence("The Trump Organization [1].", [1], {1: {"text": close_out}})
    assert not v.supported and any(r.startswith("is a phrase from inside") for r in v.reasons), v.reasons



def test_tenth_count_shapes():
    # k361 (tenth count, test): the passage's common words capitalised into the name of a body it does not name
    ustr = ("The trade advisory committee system, overseen by the Office of the USTR, currently includes 27 committees "
            "and approximately 500 citizens.")
    assert kinds("The Trade Advisory Committee, overseen by the Office of the USTR.", ustr) == [
        "case"]
    assert kinds("The trade advisory committee system, overseen by the Office of the USTR, currently includes "
                 "27 committees.", ustr) == []
    # an account's holder named in the sentence only as someone else: "telling Comey" is not "according to Comey"
    memo = ("According to a memorandum Comey drafted immediately after their private discussion, the President-Elect "
            "began the meeting by telling Comey he had conducted himself honorably over the prior year.")
    said = "The President-Elect began the meeting by telling Comey he had conducted himself honorably over the prior year."
    assert dropped_attribution(said, memo) is not None
    assert dropped_attribution("According to a memorandum Comey drafted, " + said[0].lower() + said[1:], memo) is None



def test_eleventh_count_shapes():
    # k409: a sentence with no stop at all is cut off, whatever its last word (its passage was cut inside the sentence)
    stops = "The President's statements reflect his understanding that those events would be part of an obstruction"
    assert cut_off(stops) == "obstruction"
    assert cut_off(stops + " inquiry.") is None
    # k411: a block quotation's "You …" names no one the reader can check
    flip = "You flip and you lie and you get—the prosecutors will tell you 99 percent of the time they can get people."
    v = verify_sentence(flip + " [1]", [1], {1: {"text": flip}})
    assert not v.supported and any(r.startswith("starts with 'You'") for r in v.reasons), v.reasons


def test_twelfth_count_shapes():
    # k510: a sentence from the middle of a block quotation (Mark Suster's blog post, which the HTML reader now puts in
    # its marks): its speaker is in the paragraph before; shown alone, someone's words read as the report's
    quote = ("Mark Suster reflected on his experience in a 2011 blog post: \u201cThe first major change in our industry "
             "was imperceptible to us. The change was driven by the LAMP stack. Linux (instead of UNIX), Apache, MySQL and PHP. "
             "Of course there were variants.\u201d")
    v = verify_sentence("Linux (instead of UNIX), Apache, MySQL and PHP. [1]", [1], {1: {"text": quote}})
    assert not v.supported and any("inside a quotation opened before it" in r for r in v.reasons), v.reasons
    # the same sentence, not quoted, is the report's own
    assert verify_sentence("The change was driven by the LAMP stack. [1]", [1], {1: {"text": quote.replace("\u201c", "").replace(
        "\u201d", "")}}).supported
    # a passage cut inside a block quotation still has its opening mark and no closing one
    cut = quote[quote.index("\u201c"):quote.index(" Of course")]
    assert not verify_sentence("The change was driven by the LAMP stack. [1]", [1], {1: {"text": cut}}).supported
    # a mark opened inside a sentence and never closed (k112's mistyped "\u201dI never said that.\u2019") says nothing
    # of the sentences after it
    typo = ("The President responded, \u201dI never said that.\u2019 The President said he merely wanted McGahn to raise "
            "the conflicts issue with Rosenstein.")
    assert verify_sentence("The President said he merely wanted McGahn to raise the conflicts issue with Rosenstein. "
                           "[1]", [1], {1: {"text": typo}}).supported


def test_thirteenth_count_shapes():
    # k628: a block quotation's paragraph, which the cited passage holds whole in its marks (the HTML reader's), copied
    # without them: Andrew Godwin's words read as the report's; with its marks it is a quotation as printed (as k33)
    godwin = ("\u201cThe idea here is twofold\u2014to guarantee the project a solid period of work, as well as to show "
              "that open source software really can pay for developers' time.\u201d")
    bare = godwin.strip("\u201c\u201d")
    v = verify_sentence(bare + " [1]", [1], {1: {"text": godwin}})
    assert not v.supported and any("without its quotation marks" in r for r in v.reasons), v.reasons
    assert verify_sentence(godwin + " [1]", [1], {1: {"text": godwin}}).supported
    # a quotation with its speaker after it in the same sentence is not all quotation
    said = "\u201cI need loyalty,\u201d Comey recalled the President saying."
    assert verify_sentence(said + " [1]", [1], {1: {"text": said}}).supported


def test_a_passage_cut_inside_a_block_quotation():
    # session 16: the Mueller PDF's block quotation of the President (k411's) is longer than a passage; the second
    # passage begins inside it and holds only its closing mark. A sentence of it, copied, is the President's words
    # shown as the report's
    rest = ("It\u2019s rare that they can\u2019t. But I had three people: Manafort, Corsi\u2014I don\u2019t know Corsi, "
            "but he refuses to say what they demanded. Manafort refused to flip on anybody.\u201d In response to a question "
            "about a potential pardon for Manafort, the President said, \u201dIt was never discussed.\u201d")
    for said in ("But I had three people: Manafort, Corsi\u2014I don\u2019t know Corsi, but he refuses to say what "
                 "they demanded.", "Manafort refused to flip on anybody."):
        v = verify_sentence(said + " [1]", [1], {1: {"text": rest}})
        assert not v.supported and any("quotation" in r for r in v.reasons), (said, v.reasons)
    # the report's own sentence after the quotation closes stays the report's; a passage whose first mark opens a
    # quotation (the Mueller PDF prints \u201d for both marks) does not begin inside one
    assert verify_sentence("In response to a question about a potential pardon for Manafort, the President said, "
                           "\u201dIt was never discussed.\u201d [1]", [1], {1: {"text": rest}}).supported
    # a quotation whose first word the report bracketed ("\u201c[T]he purpose …") opens with its mark: the report's
    # sentences before it are not taken for the end of a quotation begun in another passage
    court = ("The Committee met in May 1982 to review the bill. It explained that: \u201c[T]he purpose of the statute "
             "is broad. The Committee means every official proceeding.\u201d")
    assert verify_sentence("The Committee met in May 1982 to review the bill. [1]", [1], {1: {"text": court}}).supported
    v = verify_sentence("The Committee means every official proceeding. [1]", [1], {1: {"text": court}})
    assert not v.supported and any("quotation" in r for r in v.reasons), v.reasons
    own = "The President said it was \u201dvery brave\u201d that Manafort did not flip. Manafort was sentenced in March."
    assert verify_sentence("Manafort was sentenced in March. [1]", [1], {1: {"text": own}}).supported


def test_an_abbreviation_is_one_word():
    # k313 (eighth count, test): a citation's abbreviation is no sentence three words long
    const = "The Constitution vests the \u201cexecutive Power\u201d in the President. U.S. Const."
    v = verify_sentence("U.S. Const. [1]", [1], {1: {"text": const}})
    assert not v.supported and v.reasons[0].startswith("is too short to check"), v.reasons
    assert verify_sentence("U.S. forces left Syria [1].", [1], {1: {"text": "U.S. forces left Syria."}}).supported


def test_the_frame_labels_are_what_docs_say():
    from pathlib import Path
    rows = load_labels(Path(__file__).resolve().parents[3] / "eval" / "gold" / "frame_labels.jsonl")
    assert len(rows) == 83 and {r["split"] for r in rows} == {"tune"} and all(r["reason"] for r in rows)
    a = agreement(rows)
    # docs/llm.md: of these tune frame cuts that rules 1-8 keep (50 unsupported, 33 supported), the frame check
    # left 13 unsupported and removed 1 supported; since rule 9 keeps only whole sentences (session 14), none is kept
    assert (a.n, a.kept_unsupported, a.removed_supported) == (83, 0, 33), a
    parts = copy_parts(rows)
    assert (parts[("kept by the rest", "unsupported")], parts[("kept by the rest", "supported")]) == (50, 33)


def test_eval_verifier_counts_what_each_part_of_rule_9_removes():
    text = ("Russian Defense Minister Sergei Shoigu met with Lukashenko in Minsk on September 16. Lukashenko made "
            "concessions to Putin during their September 14 meeting in Sochi.")
    passages = [{"n": 1, "passage_id": "p", "report": {}, "text": text}]

    def row(sentence, label, collection):
        return {"id": sentence[:8], "split": "tune", "collection": collection, "label": label, "sentence": sentence,
                "cites": [1], "passages": passages}
    rows = [row("Russian Defense Minister Sergei Shoigu met with Lukashenko in Minsk on September 16 [1].", "supported", 1),
            row("Lukashenko made concessions to Putin in Minsk on September 16 [1].", "unsupported", 1),   # recombined
            row("Shoigu met with Lukashenko in Minsk on September 30 [1].", "unsupported", 2)]   # rule 3 removes it
    parts = copy_parts(rows)
    assert parts[("kept by the rest", "supported")] == 1 and parts[("kept by the rest", "unsupported")] == 1
    assert parts[("added", "unsupported")] == 1 and parts[("part", "unsupported")] == 1    # both: not "alone"
    assert parts[("added alone", "unsupported")] == 0 and parts[("added", "supported")] == 0
    figures = by_split(rows)
    assert (figures[("tune", 1)].kept, figures[("tune", 1)].kept_unsupported) == (1, 0)
    assert (figures[("tune", 2)].n, figures[("tune", 2)].kept) == (1, 0)


def test_eval_verifier_rereads_a_passage_that_todays_readers_read_differently(tmp_path):
    # a row judged on a passage read before the HTML reader put block quotations in their marks (the twelfth count's
    # k511): read again, the passage shows the quotation, and the sentence from inside it is no longer kept
    from ingest.chunk import chunk_report
    from ingest.read import read_report_file
    from ingest.report import parse_text

    page = tmp_path / "blog" / "page.html"
    page.parent.mkdir()
    page.write_text("<html><head><title>Open code</title><style>.c3{margin-left:36pt}</style></head><body>"
                    "<p>Open code is free to use.</p><p>Jeff Atwood described his choice of Ruby in 2013:</p>"
                    "<p class=\"c3\">Getting started with a Microsoft stack is hard in Nepal. Open source tool chains are "
                    "the great equalizer for programmers all over the world.</p></body></html>", encoding="utf-8")
    (report,), _ = parse_text(read_report_file(page), page.name)
    today = next(p for p in chunk_report(report) if "equalizer" in p.text)
    assert "\u201cGetting started" in today.text
    sentence = "Open source tool chains are the great equalizer for programmers all over the world. [1]"
    row = {"id": "k1", "split": "tune", "label": "unsupported", "sentence": sentence, "cites": [1],
           "passages": [{"n": 1, "passage_id": today.id, "report": {"title": "Open code"},
                         "text": today.text.replace("\u201c", "").replace("\u201d", "")}]}
    other = dict(row, id="k2", passages=[dict(row["passages"][0], passage_id="elsewhere-0001")])
    assert verdict(row).supported                      # as it was judged
    (again, kept), changed = reread([row, other], data=tmp_path)
    assert changed == 1 and again["passages"][0]["text"] == today.text and kept == other
    assert not verdict(again).supported and any("quotation" in r for r in verdict(again).reasons)
