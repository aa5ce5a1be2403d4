"""Does a sentence answer the question? The checks behind an honest "the reports don't say".

A sentence (read with its passage and its report's date) answers a question only if

1. it holds something of the expected answer type (a count for "how many", a year for "in
   what year", a sum of money, a percentage, a distance or size, a date, a reason, ...);
2. it states the question's focus, the attribute or relation asked ("area", "founded",
   "commands"): the word, an inflection, or a close paraphrase (word vectors of the embedding
   model, see `Focus`);
3. it names the question's entities, in the sentence or its passage, not merely somewhere in
   the corpus;
4. it matches the question's time scope ("in March 2021", "in 2016", "on September 17"): the
   sentence's own dates, or its report's date.

Sentence tags (`tags_of`: the types and dates a sentence holds) are pure functions of its text,
cached per sentence. The thresholds are chosen on the tune split of the gold questions only
(eval/gold/questions.jsonl, "split": "tune"); the figures: docs/quality.md.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


from index.answer.question import Question, entity_lists
from index.text import words
from index.text.dates import ANY_MONTH, MONTH_ABBREVIATIONS, MONTHS, WEEKDAY
from index.text.names import other_names, region_countries
from index.text.spelling import other_spellings

FOCUS_SHARE = 0.5          # IDF-weighted share of the focus a sentence or its passage must state
PARAPHRASE = 0.55          # word-vector cosine that counts as a close paraphrase of a focus word
ENTITY_SLACK = 0           # entities of the question a sentence and its passage may leave unnamed
CHECKED_TYPES = ("count", "money", "percent", "measure", "duration", "year", "date", "person", "place", "name", "age")   # "reason": tune, -1 false abstention
TOPIC_SHARE = 0.0          # without an attribute in the wording: the share of the topic words needed

# a year before 1800 only after a word that leads into a year and before no noun: "between 1250 and
# 1300", "in 1642,", not "and 1500 troops"
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b|\b(?:in|between|and|since|from|until|by|around|about|circa|c\.) "
                   r"(1[0-7]\d\d)\b(?!\s+(?!(?:and|or|to|when|as|with|until|in|on|at|the|that|which|while|after|"
                   r"before)\b)[a-z])", re.I)
# a time told by its distance from another ("5 years after the regulations are made", "three years (36
# months) after publication", "from the very first day"): an answer to "when?" as much as a date
_RELATIVE_TIME = re.compile(r"\b(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                            r"eighteen|twenty|thirty|a few|several)\s+(?:days?|weeks?|months?|years?|decades?)\s+"
                            r"(?:\([^)]{0,30}\)\s+)?(?:after|before|from|later|earlier|ago|into)\b|"
                            r"\b(?:from|on|since)\s+(?:the\s+)?(?:very\s+)?first\s+day\b|\bfrom day one\b", re.I)
_MONTH_WORD = re.compile(rf"\b({ANY_MONTH})\b\.?")
_COUNT_WORDS = re.compile(r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|dozens|twenty|"
                          r"thirty|forty|fifty|hundred|hundreds|thousand|thousands|million|millions|several|"
                          r"multiple|numerous|few)\b", re.I)
# a cardinal, with a magnitude written as a letter ("$1M", "$2M", "£3bn", "5K"): "M4" and "S-400" are names
CARDINAL = re.compile(r"(?<![\w-])(\d[\d,.]*)(?:bn|[MKB])?(?![\w-])")
_MONEY = re.compile(r"[$€£¥]\s?\d|\b(?:USD|EUR|GBP|NZD|RUB|CHF|JPY|CNY)\s?\d|"
                    r"\b\d[\d,.]*\s?(?:million|billion|trillion|thousand|bn|m)?\s?(?:dollars|rubles|roubles|euros|pounds sterling|"
                    r"yuan|yen|USD|RUB|EUR|GBP|NZD)\b|\b(?:budget|funding|loan|credit|cost|price|worth|paid|pay|spend|spent)\b[^.]{0,40}\d",
                    re.I)
_PERCENT = re.compile(r"\d\s?(?:%|percent\b|per cent\b)|\b(?:half|a third|a quarter|majority|minority) of\b|"
                      r"\b(?:one|two|three|four|five)[- ](?:half|halves|thirds?|quarters?|fifths?|tenths?)\b|"
                      r"\b(?:one|two|three|four|five|nine) (?:in|out of) (?:two|three|four|five|ten|\d+)\b", re.I)
_AGE = re.compile(r"\b\d+[- ]years?[- ]old\b|\baged \d+|\bborn (?:in|on)\b|\bage of \d+", re.I)
_LONG_TIMES = "days|weeks|months|years|decades"
_MEASURE = re.compile(r"\d[\d,.]*\s?(?:-\s?)?(?:km|kilometers?|kilometres?|miles?|meters?|metres?|square|sq|hectares?|"
                      rf"km2|tons?|tonnes?|feet|foot|inches|minutes|hours|{_LONG_TIMES}|"
                      r"[kMGT]W|[kMGT]Wh|(?:kilo|mega|giga|tera)watts?(?:[- ]hours?)?)\b", re.I)   # "how far ahead": 45 minutes
# a length of time, in figures or in words: "after 30 minutes", "for a week", "a one-month deferment", "40 years"
_LENGTH_OF_TIME = re.compile(r"\b(?:\d[\d,.]*|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                             r"fifteen|twenty|thirty|forty|fifty|sixty|several|a few|many)[\s-]+(?:more\s+)?"
                             r"(?:seconds?|minutes?|hours?|days?|weeks?|fortnights?|months?|years?|decades?)\b", re.I)
# a number of days, weeks, months or years is a length of time, not a count of things ("from 80 years to 85")
_DURATION = re.compile(rf"\s?-?\s?(?:{_LONG_TIMES})\b", re.I)
_REASON = re.compile(r"\b(?:because|due to|in order to|so that|aims? to|aimed at|intend(?:s|ed)? to|seeks? to|sought to|"
                     r"in response to|as part of|to (?:deter|prevent|counter|prepare|support|signal|pressure|secure|"
                     r"protect|defend|strengthen|deepen|increase|expand|integrate|justify|build)|likely (?:to|in order)|"
                     r"reason|purpose|goal|objective|motivat\w*|driven by|result of|following|amid|after)\b", re.I)
_TITLE = re.compile(r"\b(?:President|Prime Minister|Minister|General|Gen\.|Lt\.|Colonel|Col\.|Commander|Chief|"
                    r"spokesman|spokeswoman|spokesperson|Secretary|Ambassador|leader|head|director|chairman|"
                    r"Defense Minister|Admiral|Adm\.|Major|Maj\.)\b")
# a person's name: two or three capitalised words after the sentence's first word, or a title and a name
_PERSON = re.compile(r"(?<=\S\s)(?:[A-Z][a-z]+\s){1,2}[A-Z][a-z]{2,}(?:’s|'s)?\b|\b(?:President|Minister|General|Gen\.|"
                     r"Colonel|Col\.|Commander|Ambassador|Admiral|spokesman|spokeswoman|Chairman|Secretary)\s+[A-Z][a-z]+")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z’'-]+(?:\s+(?:[A-Z][a-zA-Z’'-]+|of|the|al-|bin))*")

@dataclass(frozen=True)
class Tags:
    """What one sentence holds: answer types and the dates it names."""

    types: frozenset[str]
    years: frozenset[int]
    months: frozenset[int]
    days: frozenset[tuple[int, int]]


@lru_cache(maxsize=65536)
def tags_of(sentence: str) -> Tags:
    types = set()
    years = {int(a or b) for a, b in _YEAR.findall(sentence)}
    months = {_month_of(m.group(1)) for m in _MONTH_WORD.finditer(sentence)}
    from index.text.dates import month_days

    days = set(month_days(sentence))
    days |= {(_month_of(m), int(d)) for d, m in re.findall(r"\b(\d{1,2})\s+(" + ANY_MONTH + r")\b", sentence)
             if 1 <= int(d) <= 31}
    for y, m, d in _numeric_dates(sentence):
        years.add(y)
        months.add(m)
        if d:
            days.add((m, d))
    a_day = bool(days or re.search(rf"\b({WEEKDAY}|yesterday|today)\b", sentence))
    if a_day:
        types.add("day")
    if years or months or a_day or _RELATIVE_TIME.search(sentence):
        types.add("date")
    if years:
        types.add("year")
    if counts(sentence):
        types.add("count")
    if _MONEY.search(sentence):
        types.add("money")
    if _PERCENT.search(sentence):
        types.add("percent")
    if _AGE.search(sentence):
        types.add("age")
    if _MEASURE.search(sentence):
        types.add("measure")
    if _LENGTH_OF_TIME.search(sentence):
        types.add("duration")
    if _REASON.search(sentence):
        types.add("reason")
    if _TITLE.search(sentence) or _NAME.search(sentence):
        types.add("place")
    if _NAME.search(sentence):
        types.add("name")
    if _PERSON.search(sentence):
        types.add("person")
    return Tags(frozenset(types), frozenset(years), frozenset(months), frozenset(days))


_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.]((?:19|20)\d\d)\b|\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b"
                           r"|\b(\d{1,2})/((?:19|20)\d\d)\b")


def _numeric_dates(text: str) -> list[tuple[int, int, int]]:
    """(year, month, day) of dates written in figures: 04/03/2024 (day first, as in British
    and most non-US reports; month first when the first number cannot be a month), 2024-03-04,
    03/2024 (day 0)."""
    out = []
    for m in _NUMERIC_DATE.finditer(text):
        if m.group(3):
            a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
            d, mo = (a, b) if b <= 12 else (b, a)
        elif m.group(4):
            y, mo, d = int(m.group(4)), int(m.group(5)), int(m.group(6))
        else:
            mo, y, d = int(m.group(7)), int(m.group(8)), 0
        if 1 <= mo <= 12 and 0 <= d <= 31:
            out.append((y, mo, d))
    return out


def _month_of(name: str) -> int:
    return MONTHS.index(MONTH_ABBREVIATIONS[name.lower().rstrip(".")[:3]]) + 1


def counts(text: str) -> list[str]:
    """The counts a text holds: cardinals that are not years, days of a date ("September 19",
    "19 Sep"), section numbers ("2.1.6") or durations ("80 years": a measure), and number words."""
    out = []
    for m in CARDINAL.finditer(text):
        num = m.group(1).rstrip(".,")
        if not num or re.fullmatch(r"(1[89]|20)\d\d", num) or num.count(".") > 1:
            continue
        before, after = text[max(0, m.start() - 12):m.start()], text[m.end():m.end() + 12]
        if (re.search(rf"({ANY_MONTH})\.?\s*$", before) or re.match(rf"\s*({ANY_MONTH})\b", after)
                or _DURATION.match(after)):
            continue
        out.append(num)
    return out + [m.group(0) for m in _COUNT_WORDS.finditer(text) if not _in_name(text, m.start())]


def _in_name(text: str, start: int) -> bool:
    """A number word written with a capital inside a sentence is part of a name ("Alcatel One
    Touch", "the Five Eyes"), not a count."""
    return text[start].isupper() and bool(re.search(r"[\w,;]\s+$", text[:start]))


class WordVectors:
    """Static word vectors: the mean of a word's word-piece input embeddings in the embedding
    model (no forward pass, so free at query time). Close paraphrases score well above
    unrelated words ("founded"/"established" 0.55, "killed"/"died" 0.58, "area"/"tanks" -0.03)."""

    def __init__(self, tokenizer, matrix):
        self._tok = tokenizer
        self._matrix = matrix
        self._cache: dict[str, object] = {}
        self._matrices: dict[frozenset[str], object] = {}

    def vector(self, word: str):
        v = self._cache.get(word)
        if v is None:
            import numpy as np

            ids = self._tok.encode(word, add_special_tokens=False).ids
            v = self._matrix[ids].mean(0) if ids else np.zeros(self._matrix.shape[1], dtype=np.float32)
            n = float(np.linalg.norm(v))
            v = v / n if n else v
            self._cache[word] = v
        return v

    def closest(self, word: str, candidates: frozenset[str]) -> float:
        """The highest cosine between `word` and any of `candidates`."""
        matrix = self._matrices.get(candidates)
        if matrix is None:
            import numpy as np

            cands = [c for c in candidates if c]
            matrix = np.stack([self.vector(c) for c in cands]) if cands else None
            if len(self._matrices) > 4096:
                self._matrices.clear()
            self._matrices[candidates] = matrix
        return 0.0 if matrix is None else float((matrix @ self.vector(word)).max())


_WORD = re.compile(r"[A-Za-z][\w’'-]*|\d[\d,.]*\w*")


@lru_cache(maxsize=16384)
def _terms(text: str) -> frozenset[str]:
    return frozenset(words.terms(text))


def terms_of(text: str) -> frozenset[str]:
    """The BM25 terms of a text (cached: passages are read for every question that meets them)."""
    return _terms(text)


@lru_cache(maxsize=16384)
def _words(text: str) -> frozenset[str]:
    """The lower-cased words of a text, possessive 's dropped."""
    out = set()
    for w in _WORD.findall(text):
        w = w.strip("’'-").lower()
        if w[:1].isdigit():
            w = w.rstrip(",.")              # "2020/21," names 21 as "21" does
        out.add(w[:-2] if w.endswith(("’s", "'s")) else w)
    return frozenset(out)


# a nationality or language adjective and the stem it shares with its country ("Turkish" and
# "Turkey", "Swedish" and "Sweden"); stems shorter than four letters are too loose ("Polish")
_ADJECTIVE = re.compile(r"^([a-z]{4,}?)(?:ish|ian|ese|ean|ic|i)$")
_DECADE = re.compile(r"^(?:1[89]|20)(\d0s)$")
_YEARS_OF = re.compile(r"^(1[0-9]|20)(\d)0s$")          # "1980s": 1980-1989; "1800s": the century, 1800-1899


def _stem(word: str) -> str | None:
    m = _ADJECTIVE.match(word)
    return m.group(1) if m else None


def unnamed(question: Question, words_: set[str], said: tuple[str, ...] = (), report: str = "") -> int:
    """How many of the question's entities the text leaves unnamed: of a list of names ("in
    Maine and in Michigan"), none when one name is there, else those its nearest name lacks. A
    person named in full by the question is named by the surname alone in one of the texts `said`
    when the `report` names the person in full (`_by_surname`)."""
    lists = entity_lists(question)
    missing = _unnamed(lists, words_, said, report)
    if missing and (parted := _with_parts(words_)) is not words_:
        missing = _unnamed(lists, parted, said, report)   # the names a hyphen joins, read only when they may help
    return missing


def _unnamed(lists: tuple[tuple[tuple[str, ...], ...], ...], words_: set[str], said: tuple[str, ...] = (),
             report: str = "") -> int:
    """`unnamed` over the given words."""
    return sum(min(_lacks(words_, name, said, report) for name in names) for names in lists)


def _lacks(words_: set[str], name: tuple[str, ...], said: tuple[str, ...], report: str) -> int:
    """How many words of one name the text leaves unnamed."""
    if _in_region(words_, name):
        return 0
    missing = sum(1 for e in name if not (_mentions(words_, e) or _joined(words_, name)))
    return 0 if missing and _by_surname(name, said, report) else missing


def _by_surname(name: tuple[str, ...], said: tuple[str, ...], report: str) -> bool:
    """"Natalya Kochanova" is named by "Kochanova, who left the meeting after 30 minutes" when the
    report names her in full elsewhere: reports give a person's full name once, then the surname.
    Not a surname after another name ("Alexander Lukashenko" names no Viktor Lukashenko), nor a
    word the report also writes in lower case ("the Suez Canal" is not named by "the canal")."""
    bare = tuple(w.removesuffix("’s").removesuffix("'s") for w in name)
    if len(bare) < 2 or not report or not all(w[:1].isupper() and w.replace("-", "").isalpha() for w in bare):
        return False
    last = bare[-1]
    surname = re.compile(rf"(?:\b([A-Z][\w’'-]*)\s+)?\b{re.escape(last)}\b")
    if len(last) < 4 or not any(not (m.group(1) and m.group(1) != bare[-2])
                                for text in said for m in surname.finditer(text)):
        return False
    return _named_in_full(" ".join(bare), report)


@lru_cache(maxsize=64)
def _named_in_full(full: str, report: str) -> bool:
    """The report names `full` as a whole and never writes its last word in lower case (a report's
    text is hashed once: the cache is cheap; it keeps the texts it holds alive, hence its size)."""
    last = full.rsplit(" ", 1)[-1]
    return (full in report and bool(re.search(rf"\b{re.escape(full)}\b", report))
            and not re.search(rf"\b{re.escape(last.lower())}\b", report))


def _in_region(words_: set[str], name: tuple[str, ...]) -> bool:
    """A region named by one of its countries ("the Central American canal": "the Panama Canal")."""
    return any(_mentions(words_, country) for country in region_countries(name))


def _joined(words_: set[str], name: tuple[str, ...]) -> bool:
    """A name of two places a hyphen joins, each named ("Asia-Europe voyages": "between Asia and
    Europe"); not a longer name ("the Asia-Africa-Europe 1 cable" is no list of places)."""
    word = name[0].strip("’'-").lower() if len(name) == 1 else ""
    parts = word.removesuffix("’s").removesuffix("'s").split("-")
    return (len(parts) == 2 and all(len(p) >= 3 and p.isalpha() for p in parts)
            and all(_mentions(words_, p) for p in parts))


def _with_parts(words_: set[str]) -> set[str]:
    """The words with the names a hyphen joins ("Asia-Europe" names Asia and Europe)."""
    parts = {p for w in words_ if w.count("-") == 1 for p in w.strip("’'").split("-") if len(p) >= 3 and p.isalpha()}
    return words_ | parts if parts else words_


def _mentions(words_: set[str], entity: str) -> bool:
    """The text names the entity: the same word, or one sharing its first five letters
    ("Belarusian" for "Belarus"), a country for its adjective or the reverse ("Turkish" and
    "Turkey"), a decade written short ("the ’80s" for "the 1980s"), a decade or century by a year in
    it ("1801" for "the 1800s")."""
    e = entity.strip("’'-").lower()
    if e.endswith(("’s", "'s")):
        e = e[:-2]
    decade = _DECADE.match(e)
    if decade and decade.group(1) in words_:
        return True
    span = _YEARS_OF.match(e)
    if span:                            # "the early 1800s" is named by "between 1801 and 1840"
        first = int(span.group(1) + span.group(2) + "0")
        last = first + (99 if span.group(2) == "0" and first % 100 == 0 else 9)
        if any(w.isdecimal() and len(w) == 4 and first <= int(w) <= last for w in words_):
            return True
    for name in other_names(e):
        if name in words_:
            return True
        if len(name) >= 5 and not name[0].isdigit() and any(
                w.startswith(name[:5]) and _same_actor(w, name) for w in words_):
            return True
    if e[:1].isdigit():
        return False
    stem = _stem(e)
    if stem and any(w.startswith(stem) for w in words_):
        return True
    return len(e) >= 5 and any((s := _stem(w)) and e.startswith(s) for w in words_)


def _same_actor(word: str, name: str) -> bool:
    """A word sharing a name's first five letters stands for it unless it is another actor's name
    ("Austrian" is no name of Australia)."""
    group = other_names(word)
    return len(group) == 1 or name in group


def in_time(question: Question, sentence: str, report_date: str) -> bool:
    """The sentence's own dates, or its report's date, fall in the question's time scope."""
    t = question.time
    if not t:
        return True
    tags = tags_of(sentence)
    ry = int(report_date[:4]) if report_date[:4].isdecimal() else None
    rm = int(report_date[5:7]) if report_date[5:7].isdecimal() else None
    rd = int(report_date[8:10]) if report_date[8:10].isdecimal() else None
    for y, m in t.year_months:
        if not ((y in tags.years and m in tags.months) or (ry == y and rm == m)
                or (m in tags.months and not tags.years and ry == y)):
            return False
    for y in t.years:
        if y not in tags.years and ry != y:
            return False
    for y in t.after:                 # "after 2014": a later year, or a report written then
        if not any(x >= y for x in tags.years) and not (ry is not None and ry >= y and not tags.years):
            return False
    for y in t.before:
        if not any(x <= y for x in tags.years) and not (ry is not None and ry <= y and not tags.years):
            return False
    for m, d in t.days:
        if (m, d) not in tags.days and (rm, rd) != (m, d):
            return False
    for m in t.months:
        if m not in tags.months and rm != m:
            return False
    return True


def focus_share(question: Question, sentence: str, passage: str, lex=None,
                vectors: WordVectors | None = None) -> float:
    """IDF-weighted share of the focus terms stated in the sentence or its passage (a term
    counts when a word there has its stem, its stem spelt the other way, British or American,
    or, with `vectors`, is a close paraphrase of it)."""
    focus = question.attribute or tuple(zip(question.focus, question.focus_words))
    if not focus:
        return 1.0
    present = _terms(sentence) | _terms(passage)
    plain = (_words(sentence) | _words(passage)) if vectors is not None else frozenset()
    total = got = 0.0
    for term, word in focus:
        w = lex.idf(term) if lex is not None else 1.0
        total += w
        if term in present or _compound(term, present) or _spelt_otherwise(word, present) or (
                vectors is not None and vectors.closest(word, plain) >= PARAPHRASE):
            got += w
    return got / total if total else 1.0


def _spelt_otherwise(word: str, present: set[str]) -> bool:
    """"defence ministerial" is stated by "defense ministerial" (index.text.spelling)."""
    return any(t in present for w in other_spellings(word) for t in words.terms(w))


def _compound(term: str, present: set[str]) -> bool:
    """"paratroopers" is stated by "troops", "airbase" by "base": one stem ends the other."""
    return any(len(p) >= 4 and len(term) >= 4 and (term.endswith(p) or p.endswith(term)) for p in present)


def misfits(question: Question, sentence: str, passage: str, report_date: str, title: str = "", *,
            lex=None, vectors: WordVectors | None = None, around: str = "", report: str = "") -> list[str]:
    """Why the sentence does not answer the question ([] when it does): "type", "time",
    "entity", "focus". The question's names may be named by the sentence, its passage, the
    report's title or what stands `around` the passage (its headings, the passage before it)."""
    why = []
    accepted = accepted_types(question)
    if accepted and not accepted & tags_of(sentence).types:
        why.append("type")
    if not in_time(question, sentence, report_date):
        why.append("time")
    context = _words(sentence) | _words(passage) | _words(title) | _words(around)
    if unnamed(question, context, (sentence, passage, around), report) > ENTITY_SLACK:
        why.append("entity")
    if focus_share(question, sentence, passage, lex, vectors) < (FOCUS_SHARE if question.attribute else TOPIC_SHARE):
        why.append("focus")
    return why


_SPAN_TYPES = {"money": _MONEY, "percent": _PERCENT, "measure": _MEASURE, "duration": _LENGTH_OF_TIME, "age": _AGE}
QUANTITIES = frozenset({"count", "money", "measure", "percent"})
# "how much", "how big", "how large", "how high", "how deep" ask for a quantity without saying which: a sum
# ("How large was the grant?": "$150,000"), a count ("How big is the membership?": "over 26,000 members"), a
# size, or a rate ("How high was youth unemployment?": "15.6%"; "How deep a cut?": "a 90% reduction")
_ANY_QUANTITY = re.compile(r"\bhow (?:much|big|large|high|low|deep|small)\b(?! of\b)", re.I)


# a count of days, weeks or years is answered by a length of time ("How many years did he serve?": "12 years")
_TIME_COUNTED = re.compile(rf"\bhow many (?:{_LONG_TIMES}|hours|minutes)\b", re.I)


# "on what date", "which day": a year or a month alone does not answer it
_DAY_ASKED = re.compile(r"\b(?:what|which) (?:date|day)\b", re.I)


def accepted_types(question: Question) -> frozenset[str]:
    """The checked answer types a sentence may hold to answer the question: the one asked, or for
    a count or size asked with "how much", "how big" or "how large", any quantity; none when no
    checked type is asked."""
    kind = question.answer_type
    if not kind or kind not in CHECKED_TYPES:
        return frozenset()
    if kind in ("count", "measure") and _ANY_QUANTITY.search(question.text):
        return QUANTITIES
    if kind == "count" and _TIME_COUNTED.search(question.text):
        return frozenset({"count", "measure"})
    if kind == "date" and _DAY_ASKED.search(question.text):
        return frozenset({"day"})
    return frozenset({kind})


def new_value(question: Question, sentence: str) -> bool:
    """The sentence holds a value of the asked type that the question does not already say: a
    name other than the question's for "who", a number it does not give for "how many", a date
    or year other than its own for "when". A near-miss is often met by a sentence whose only
    person, number or date is the one the question names ("the RT journalist who interviewed
    Lukashenko" against "Lukashenko thanked RT journalists"). True when no type is asked."""
    kind = question.answer_type
    if not kind or kind == "reason":
        return True
    accepted = accepted_types(question)
    if len(accepted) > 1:
        return any(_new_value(k, question, sentence) for k in sorted(accepted))
    return _new_value(kind, question, sentence)


def _new_value(kind: str, question: Question, sentence: str) -> bool:
    asked = _words(question.text)
    if kind in ("person", "place", "name"):
        names = _PERSON.findall(sentence) if kind == "person" else [m.group(0) for m in _NAME.finditer(sentence)]
        if kind == "person":
            names += [m.group(0) for m in _NAME.finditer(sentence)] if _TITLE.search(sentence) else []
        return any(not (_words(n) - _TITLE_WORDS) <= asked for n in names if _words(n) - _TITLE_WORDS)
    if kind == "count":
        return any(c.lower() not in asked for c in counts(sentence))
    tags = tags_of(sentence)
    if kind == "year":
        return bool(tags.years - question.time.years - {y for y, _ in question.time.year_months})
    if kind == "date":
        return bool(tags.days - question.time.days or tags.years - question.time.years
                    or tags.months - question.time.months - {m for m, _ in question.time.days}
                    or any(_words(m.group(0)) - asked for m in _RELATIVE_TIME.finditer(sentence)))
    pattern = _SPAN_TYPES.get(kind)
    if pattern is None:
        return True
    return any(_words(m.group(0)) - asked for m in pattern.finditer(sentence))


_TITLE_WORDS = frozenset(w.lower().rstrip(".") for w in ("President", "Prime", "Minister", "General", "Gen", "Lt",
                                                         "Colonel", "Col", "Commander", "Chief", "Secretary",
                                                         "Ambassador", "Defense", "Admiral", "Adm", "Major", "Maj",
                                                         "the", "of", "Spokesman", "Chairman"))
