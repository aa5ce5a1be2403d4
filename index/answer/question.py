"""What a question asks for, read once from its wording and shared by retrieval and the answer.

    q = read_question("How many Belarusian tanks arrived on September 17?")
    q.terms      # informative BM25 terms, question filler ("what", "say", "about") out
    q.named      # names and numbers a report must mention to answer ("Belarusian", "17")
    q.kind       # "number" for how-many questions, "date" for when-questions, else None
    q.dates      # (month, day) pairs it names: [(9, 17)]
    q.latest     # it points at the newest report ("latest", "most recent", ...)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from index.text import words
from index.text.dates import FULL_MONTH, MONTH_ABBREVIATIONS, MONTH_NAMES, MONTHS, WEEKDAYS, month_days, month_number

# Words of the question's form, not its topic. "about", "regarding", "concerning": bm25s's
# 33 stopwords keep them, and "about" is rare enough in the reports to outweigh the topic of
# "what did the reports say about X" (an off-topic question was answered from it).
_FILLER = set(words.terms("what which who whom when where why how did does do happen happened "
                          "report reports reported say said says tell mention mentioned describe "
                          "according document question know isw "
                          "about regarding concerning"))
_NUMBER_Q = re.compile(r"\bhow (many|much|large|big|long|far|often)\b|\bwhat (share|percentage|proportion|number|size)\b"
                       r"|\bhow many\b", re.I)
_DATE_Q = re.compile(r"\b(on )?what (date|day|year)\b|\bwhich (date|day|year)\b|^\s*when\b", re.I)
# "what will the weather be like", "what is the mood like in Minsk", "companies like Facebook": a
# word of the question's form; as a topic word it matched "looks like" and answered the weather
# question from sentences about Minsk ("likely" stays: a word, not a stem, is dropped)
_LIKE = re.compile(r"\blike\b", re.I)
# "next" in "next week", "last" in "last year": a time, not the topic (the unit is a cue word)
_NEAR_TIME = re.compile(r"\b(?:next|coming|following|last|past)\s+(?=(?:day|week|weekend|month|year|decade)s?\b)", re.I)
_LATEST = re.compile(r"\b(latest|most recent|newest|last report|recent(?:ly)?|current(?:ly)?)\b", re.I)


# words that may describe the thing a "which" question asks for: "which Russian province", "what
# senior official" ask for a place and a person as "which province" and "what official" do
_DESCRIBED = r"(?:(?:(?-i:[A-Z])[\w’'-]*|former|senior|top|main|chief|largest|biggest|capital|other|same|new) ){0,2}"

_TYPE_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("percent", re.compile(r"\b(what|which) (percentage|percent|share|proportion|fraction)\b|\bhow much of\b|"
                           r"\bwhat (percentage|percent)\b", re.I)),
    ("money", re.compile(r"\bhow much (?:[\w-]+ ){0,2}(money|funding|financing|investment|aid|cash|revenue|income)\b|"
                         r"\bhow much (does|did|do|will|would|has|have|had|is|was|are|were) [^?]* (cost|pay|paid|spend|"
                         r"spent|invest|invested|raise|raised|donate|donated|give|given|contribute|contributed|allocate|"
                         r"allocated|set aside|earn|earned|lose|lost|bring in|brought in|charge|charged)\b|"
                         r"\b(what|which) (was|is|were|are|will be) the (?:total |annual |yearly |overall |estimated )?"
                         r"(budget|cost|price|value|revenue|income|funding)\b|"
                         r"\bhow much is [^?]* worth\b|\bfor how much\b|\bin (euros|dollars|pounds)\b", re.I)),
    ("age", re.compile(r"\bhow old\b|\b(what|which) (is|was) (his|her|the) age\b|\bwhat age\b", re.I)),
    # "how long did the meeting last?", "for how long", "how long a grace period": a length of time ("how long is
    # the canal" is a measure, "how long ago" a date)
    ("duration", re.compile(r"\bhow long\s+(?:did|does|do|has|have|had|will|would|could|can|should|a|an)\b", re.I)),
    ("measure", re.compile(r"\bhow (far|long is|long was|large|big|high|wide|deep|heavy|tall)\b|"
                           r"\b(what|which) (is|was|are|were) the (area|size|length|range|distance|height|width|"
                           r"depth|weight|diameter|radius|elevation)\b", re.I)),
    ("count", re.compile(r"\bhow many\b|\bhow much\b|\b(what|which) (is|was) the (number|population|strength|"
                         r"total|tally|toll|count)\b|\bwhat number\b|\bthe number of\b", re.I)),
    ("year", re.compile(r"\b(in )?(what|which) year\b|\bwhen was [^?]* (founded|established|created|formed|built|"
                        r"born|set up)\b|\buntil when\b|\bby when\b", re.I)),
    ("date", re.compile(r"\b(on |by |until |from )?(what|which) (date|day|month|week)\b|^\s*(?:and\s+)?when\b|"
                        r"\bsince when\b|\bhow long ago\b", re.I)),
    ("person", re.compile(r"^\s*(?:and\s+)?who\b|\bwhom\b|\b(which|what) " + _DESCRIBED + r"(person|official|officer|commander|leader|"
                          r"general|minister|spokesman|spokesperson|author|president|politician|individual)\b|"
                          r"\bwhat (is|was) the name of the (?:[\w-]+\s){0,2}(person|official|officer|commander|leader|"
                          r"general|minister|spokesman|spokeswoman|journalist|reporter|author|president|head|chief|"
                          r"analyst|founder|man|woman)\b",
                          re.I)),
    ("place", re.compile(r"^\s*(?:and\s+)?where\b|\b(which|what) " + _DESCRIBED + r"(city|town|village|country|region|oblast|district|"
                         r"base|airfield|location|place|port|province|area|garrison)\b|\bin what (city|country|"
                         r"region|place)\b", re.I)),
    ("name", re.compile(r"\b(what|which) (is|was|are|were) the names? of\b|\bwhat (is|was) (it|he|she|they) called\b|"
                        r"\bwhat (is|was) [^?]{0,40} called\b|\bwhat (?:is|was|are|were) [^?]* called\s*\??\s*$", re.I)),
    ("reason", re.compile(r"^\s*(?:and\s+)?why\b|\bwhat (is|was|were|are) the (reason|motive|purpose|rationale)\b|"
                          r"\bfor what (purpose|reason)\b|\bwhat (drove|motivated|prompted|caused)\b", re.I)),
)
# attributes whose value is of a known type, when the wh-words don't say ("what is the area of X?")
_FOCUS_TYPE = {"area": "measure", "size": "measure", "range": "measure", "distance": "measure", "length": "measure",
               "population": "count", "budget": "money", "cost": "money", "price": "money", "salary": "money",
               "founded": "year", "established": "year", "percentage": "percent"}
# words that say what kind of answer is wanted, not what it is about
_CUE_WORDS = ("how many much what which who whom whose when where why year date day month week "
                             "number total percentage percent share proportion reason purpose place city money amount "
                             "country kind type sort long far large big is are was were been be does do did has have "
                             "had can could would will should get got make made there any some name named also "
                             "exactly precisely roughly approximately happen happened happens occur occurred "
               # nouns that ask for a description, which a sentence gives without naming them
               "position view views stance role goal goals aim aims reaction response plan plans strategy approach "
               "policy attitude assessment significance intention intentions concern concerns argument explanation "
               "justification outcome result results impact effect effects situation state status").split()


# who wrote it, not what it is about: "according to ISW", "does ISW think"
SOURCES = {"ISW", "CTP", "ISW-CTP"}
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_MONTH_YEAR = re.compile(rf"\b({FULL_MONTH}|{'|'.join(m[:3] for m in MONTH_NAMES)})\.?,?\s+(1[89]\d\d|20\d\d)\b")
_IN_MONTH = re.compile(rf"\b(?:in|during|since|by|until|of|through|throughout)\s+(?:early\s+|mid-?|late\s+)?({FULL_MONTH})\b(?!\s+\d)")


@dataclass(frozen=True)
class TimeScope:
    """The time a question asks about: years, (year, month) pairs, months, (month, day) pairs."""

    years: frozenset[int] = frozenset()
    year_months: frozenset[tuple[int, int]] = frozenset()
    months: frozenset[int] = frozenset()
    days: frozenset[tuple[int, int]] = frozenset()
    after: frozenset[int] = frozenset()      # "after 2014", "since 2020": this year or later
    before: frozenset[int] = frozenset()     # "before 2010", "by 2014", "until 2030": this year or earlier

    def __bool__(self) -> bool:
        return bool(self.years or self.year_months or self.months or self.days or self.after or self.before)


@dataclass(frozen=True)
class Question:
    text: str
    terms: tuple[str, ...]
    named: tuple[str, ...]
    kind: str | None
    dates: tuple[tuple[int, int], ...]
    latest: bool
    answer_type: str | None = None          # count, money, percent, measure, duration, year, date, person, place, name, reason
    focus: tuple[str, ...] = ()             # BM25 terms of the attribute or relation asked
    focus_words: tuple[str, ...] = ()       # ...and the words they came from
    attribute: tuple[tuple[str, str], ...] = ()   # (term, word) of the attribute or relation the
                                            # wording points at ("area" in "what is the area of X")
    entities: tuple[str, ...] = ()          # names and unit numbers a passage must mention
    time: TimeScope = TimeScope()
    head: tuple[str, ...] = ()              # BM25 term of the noun a "which <noun>" question asks for

    @property
    def names_nothing(self) -> bool:
        """No name and at most one informative word ("Since when?", "And where?", "Which brigade?"):
        a thread's follow-up, read with the earlier questions; asked alone, nothing to answer."""
        return not self.entities and len(self.terms) <= 1


def read_question(text: str) -> Question:
    named = named_things(text)
    time = time_scope(text)
    focus = focus_terms(text, named)
    entities = tuple(w for w in named if not _is_time_word(w, time) and w.rstrip("’'s").upper() not in SOURCES)
    return Question(text=text, terms=tuple(question_terms(text)), named=tuple(named), kind=expected_kind(text),
                    dates=tuple(month_days(text)), latest=bool(_LATEST.search(text)),
                    answer_type=answer_type(text), focus=tuple(t for t, _ in focus),
                    focus_words=tuple(w for _, w in focus), entities=entities, time=time,
                    attribute=tuple(attribute_terms(text, named)), head=tuple(head_terms(text)))


def answer_type(question: str) -> str | None:
    """The kind of answer the wording asks for, or None (a description, a yes or no)."""
    for kind, cue in _TYPE_CUES:
        if cue.search(question):
            return kind
    # "Which company did he found?", "What firm was established…": the thing founded is asked, not its year
    which = _WHICH.search(question)
    asks_thing = bool(which) and not which.group(1).lower().startswith("year")
    for t in words.terms(question):
        if t in _FOCUS_TYPE_TERMS and not (asks_thing and _FOCUS_TYPE_TERMS[t] == "year"):
            return _FOCUS_TYPE_TERMS[t]
    return None


_WHICH = re.compile(r"\b(?:which|what)\s+((?:[\w’'-]+\s+){1,4})", re.I)
_CLASSIFIER = re.compile(r"^(?:kind|kinds|type|types|sort|sorts|class|category|form)\s+of\s+", re.I)


def head_terms(question: str) -> list[str]:
    """The noun a "which <noun>" question asks for when no answer type says it ("Which Russian
    regiment trained near Brest?": regiment; "which existing government sites": sites), as BM25
    terms: the last lower-case word after "which" or "what" (names between them skipped) before
    a word of the question's form or a past tense. Without POS tags a present-tense verb can be
    taken ("which company builds": builds), which then names nothing. [] for a typed question
    ("which city", "which year"), a description ("what role") or "what did"."""
    if answer_type(question):
        return []
    m = _WHICH.search(question)
    if not m:
        return []
    last = ""
    for word in _CLASSIFIER.sub("", m.group(1)).split():
        low = word.lower()
        if word[:1].isupper() or word[:1].isdigit():
            continue                        # "Which Russian regiment", "which 2 roadmaps"
        if low in words.STOPWORDS or low in _CUE_WORDS or (len(low) > 4 and low.endswith("ed")):
            break                           # "what did", "which of", "what role", "regiment trained"
        last = word
    return [t for t in words.terms(last) if t not in _FILLER and t not in _CUE_TERMS]


# a word of any alphabet: "[A-Za-z]" read "Māori" as "M" and "ori", a focus word no report states
_QUESTION_WORD = re.compile(r"[^\W\d_][\w’'-]*")


def _topic_words(question: str) -> str:
    """The question less the words of its form and time that no list of terms can tell from a topic word
    ("like", "next" in "next week")."""
    return _NEAR_TIME.sub(" ", _LIKE.sub(" ", question))


def focus_terms(question: str, named: list[str] | None = None) -> list[tuple[str, str]]:
    """The attribute or relation asked, as (BM25 term, word) pairs: the question's informative
    words less its names, its time words and the words that only say what kind of answer is wanted."""
    named = named_things(question) if named is None else named
    names = {t for w in named for t in words.terms(w)}
    out: dict[str, str] = {}
    for word in _QUESTION_WORD.findall(_topic_words(question)):
        for t in words.terms(word):
            if (t in names or t in _CUE_TERMS or t in _TIME_TERMS or t in _FILLER or t[:1].isdigit()
                    or word.lower() in words.STOPWORDS):
                continue
            out.setdefault(t, word.lower())
    return list(out.items())


_ATTRIBUTE = (
    # "who is X's ambassador", "what is Russia's main goal"
    re.compile(r"\b(?:[Ww]ho|[Ww]hat|[Ww]hich)\s+(?:is|was|are|were)\s+[A-Z][\w’'-]*?(?:\s+[A-Z][\w’'-]*?)*[’']s\s+"
               r"((?:[a-z-]+\s+)?[a-z-]+)"),
    # "what is the area of X", "who is the leader of X", "what was the name of the unit that ..."
    re.compile(r"\b(?:what|who|which)\s+(?:is|was|are|were)\s+(?:the\s+|its\s+|their\s+)?(?:name\s+of\s+the\s+)?"
               r"((?:[a-z-]+\s+)?[a-z-]+?)\s+(?:of|for|between|behind|who|that|which|in|at)\b", re.I),
    re.compile(r"\bhow (?:many|much)\s+((?:[a-z-]+\s+)?[a-z-]+(?:\s[^?]*\s(?:[a-z]+ed|[a-z]+en))?)\s*\??\s*$",
               re.I),                                   # "how many aircraft", "how many X have they arrested"
    re.compile(r"\bhow (?:many|much)\s+((?:[a-z-]+\s+)?[a-z-]+)", re.I),
    re.compile(r"^\s*who\s+(?!is\b|was\b|are\b|were\b|does\b|did\b|do\b|has\b|have\b|had\b|"
               r"will\b|would\b|can\b|could\b)([a-z-]+)\b", re.I),                        # "who commands X"
    re.compile(r"^\s*(?:in\s+)?(?:when|where|what year|which year)\s+(?:is|was|are|were|did|does|do|had|has|have)\s+"
               r"[^?]*?\b([a-z-]+(?:ed|en)|born|built|held|made|set up|located|based)\s*\??\s*$", re.I),  # "when was X founded"
)


def attribute_terms(question: str, named: list[str] | None = None) -> list[tuple[str, str]]:  # noqa: C901
    """The attribute or relation the wording points at, as (term, word) pairs: "area" in "what is
    the area of X?", "aircraft" in "how many aircraft", "commands" in "who commands X?",
    "founded" in "when was X founded?". [] when the wording names none (a description)."""
    named = named_things(question) if named is None else named
    names = {t for w in named for t in words.terms(w)}
    question = re.sub(r"[\"“”‘’']([A-Za-z-]+)[\"“”‘’']", r"\1", question)      # 'extremists' -> extremists
    question = _topic_words(question)
    for pattern in _ATTRIBUTE:
        m = pattern.search(question)
        if not m:
            continue
        out = []
        for word in m.group(1).split():
            low = word.lower()
            if low in words.STOPWORDS or low in _CUE_WORDS:
                continue
            for t in words.terms(word):
                if t not in names and t not in _CUE_TERMS and t not in _TIME_TERMS and not t[:1].isdigit():
                    out.append((t, low))
        if out:
            return out
    return []


def time_scope(question: str) -> TimeScope:
    year_months = {(int(y), month_number(m)) for m, y in _MONTH_YEAR.findall(question)}
    years = {int(m.group(1)) for m in _YEAR.finditer(question) if not _names_part(question, m.start())}
    years -= {y for y, _ in year_months}
    after = {int(y) for y in _AFTER_YEAR.findall(question)} & years
    before = {int(y) for y in _BEFORE_YEAR.findall(question)} & years
    days = set(month_days(question))
    months = {month_number(m) for m in _IN_MONTH.findall(question)} - {m for _, m in year_months}
    return TimeScope(frozenset(years - after - before), frozenset(year_months), frozenset(months), frozenset(days),
                     frozenset(after), frozenset(before))


# a year that bounds the time asked rather than naming it: "after 2014" is answered by 2016
_AFTER_YEAR = re.compile(r"\b(?:after|since|from|post-)\s*(1[89]\d\d|20\d\d)\b(?!\s*(?:to|until|-|–))", re.I)
_BEFORE_YEAR = re.compile(r"\b(?:before|until|till|by|prior to|pre-)\s*(1[89]\d\d|20\d\d)\b", re.I)


def _names_part(text: str, start: int) -> bool:
    """A year that ends a name ("Zapad 2021", "Kavkaz-2020", "Slavic Brotherhood 2020") is not a time."""
    before = re.search(r"([A-Za-z][\w’'-]*)([\s-])$", text[:start])
    if not before:
        return False
    word = before.group(1)
    return before.group(2) == "-" or (word[0].isupper() and word.lower() not in MONTHS
                                      and word.lower()[:3] not in MONTH_ABBREVIATIONS and start > len(word) + 1)


def _is_time_word(word: str, time: TimeScope) -> bool:
    low = word.lower().rstrip(".")
    return (low in MONTHS or low[:3] in MONTH_ABBREVIATIONS and len(low) <= 4 or low in WEEKDAYS
            or (low.isdecimal() and (int(low) in time.years or any(int(low) == y for y, _ in time.year_months)
                                   or any(int(low) == d for _, d in time.days))))


def question_terms(text: str) -> list[str]:
    """The informative BM25 terms of a question (or of earlier questions used as context)."""
    seen: dict[str, None] = {}
    for t in words.terms(_LIKE.sub(" ", text)):
        if t not in _FILLER:
            seen.setdefault(t, None)
    return list(seen)


_TOKEN = re.compile(r"[\w’'-]+")          # a word of a question, as names are read from it


def named_things(question: str) -> list[str]:
    """Capitalised words (not one opening a sentence of the question: "… through Suez. What are
    they?") and numbers: things a report must mention to answer."""
    out = []
    for m in _TOKEN.finditer(question):
        w = m.group(0)
        opens = not question[:m.start()].strip() or question[:m.start()].rstrip()[-1] in ".?!:"
        if re.fullmatch(r"\d{2,}(?:st|nd|rd|th|s)?", w) or (not opens and w[:1].isupper() and len(w) > 2):
            out.append(w)
    return out


# between two names of a question, what joins them into one list ("in Maine and in Michigan",
# "Warsaw, Vilnius and Kyiv", "Egypt or Jordan")
_JOINED = re.compile(r"\s*(?:,\s*(?:(?:and|or|nor)\s+)?|\s(?:and|or|nor)\s+)(?:(?:in|of|at|on|for|from|to|with|by)\s+)?"
                     r"(?:the\s+)?", re.I)


def entity_lists(question: Question) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """The question's entities as the names they make (capitalised words in a row: "Central
    American"), names joined by "and", "or" or commas in one list: ((("Maine",), ("Michigan",)),
    (("Black",),)). A list is named when one of its names is. Read once per question: the
    entity check asks it of every candidate sentence."""
    return _entity_lists(question.text, question.entities)


@lru_cache(maxsize=4096)
def _entity_lists(text: str, entities: tuple[str, ...]) -> tuple[tuple[tuple[str, ...], ...], ...]:
    spans = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text) if m.group(0) in entities]
    lists: list[list[list[str]]] = []
    end = None
    for start, stop, word in spans:
        between = text[end:start] if end is not None else None
        if between is not None and re.fullmatch(r"\s+", between):
            lists[-1][-1].append(word)                  # the same name goes on
        elif between is not None and _JOINED.fullmatch(between):
            lists[-1].append([word])                    # the next name of a list
        else:
            lists.append([[word]])
        end = stop
    found = {w for _, _, w in spans}
    lists += [[[e]] for e in entities if e not in found]      # a part's, from the whole question
    return tuple(tuple(tuple(name) for name in names) for names in lists)


def expected_kind(question: str) -> str | None:
    """'number' for how-many questions, 'date' for when questions: an answer must hold one."""
    if _NUMBER_Q.search(question):
        return "number"
    if _DATE_Q.search(question):
        return "date"
    return None


_FOCUS_TYPE_TERMS = {t: kind for w, kind in _FOCUS_TYPE.items() for t in words.terms(w)}
_CUE_TERMS = set(words.terms(" ".join(_CUE_WORDS)))
_TIME_TERMS = set(words.terms(" ".join(MONTHS) + " " + " ".join(WEEKDAYS) + " " + " ".join(MONTH_ABBREVIATIONS)
                              + " today tomorrow tonight yesterday"))


_PART = re.compile(r"\s*(?:,\s*(?:and|or)\s+|\s+and\s+also\s+|;\s*|\?\s+(?:and\s+)?|,\s+and\s+)"
                   r"(?=(?:(?:from|in|on|at|for|by|with|to|of|through|under)\s+)?"
                   r"(?:what|which|who|whom|when|where|why|how|whether|since when|did|does|is|are|was|were)\b)",
                   re.I)


def question_parts(question: Question) -> list[Question]:
    """A several-part question ("How many tanks arrived, and which brigade sent them?") as its
    parts, each read on its own; a one-part question as itself."""
    pieces = [p.strip(" ,;?") for p in _PART.split(question.text) if p and p.strip(" ,;?")]
    if len(pieces) < 2:
        return [question]
    parts = []
    for piece in pieces:
        part = read_question(piece[0].upper() + piece[1:] + "?")
        if not part.entities and len(part.focus) <= 1:
            # a part that names nothing and at most one topic word asks its type of what the whole
            # question is about ("When was the term coined, and by whom?": who coined the term; "...,
            # and from how many companies?"), as a thread's follow-up does
            # ("bought" of "Who bought Heroku, when, and for how much?" is not asked of "for how much")
            part = Question(**{**part.__dict__, "terms": tuple(dict.fromkeys((*question.terms, *part.terms))),
                               "time": part.time or question.time})
        # names the whole question gave stay in scope for every part ("...in Brest, and when?")
        parts.append(part if part.entities else Question(**{**part.__dict__, "entities": question.entities}))
    return parts

