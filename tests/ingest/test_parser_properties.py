"""Property-based tests of the report and footnote parser (`ingest.report.parse_text`).

Generated reports: body sentences in paragraphs, footnote markers of the four styles after
random sentences, a note block in one of the three numbered shapes (notes missing, empty,
duplicated, out of order, for numbers no marker uses), and noise (double and non-breaking
spaces, **bold**, a `[N]` inside a URL, a "Notes" heading). Whatever is generated:

- the parser never raises;
- every marker maps to its own note (a note generated under that number) or to "missing",
  never to another number's note;
- every marker is attached to the sentence it follows, and a `[N]` inside a URL is no marker;
- the clean text contains every body sentence, in the body part.
"""
from __future__ import annotations

from dataclasses import asdict

import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ingest.model import MISSING, RESOLVED, UNPLACED
from ingest.report import parse_text

SETTINGS = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow])

# words that are no abbreviation, month, weekday or byline word: sentence ends stay ends
WORDS = ["forces", "border", "moved", "drills", "kremlin", "army", "troops", "minsk", "units", "north",
         "river", "city", "large", "convoy", "observed", "reported", "brigade", "exercise", "officials",
         "statement", "denied", "claimed", "regiment", "airfield", "railway", "columns", "analysts"]
SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹"
URL_MARKER_BASE = 900            # numbers only ever used inside URLs


def sup(n: int) -> str:
    return "".join(SUPERSCRIPT[int(d)] for d in str(n))


def norm(s: str) -> str:
    """White space folded, Markdown bold and non-breaking spaces gone: how a reader compares."""
    s = s.replace("\u00a0", " ").replace("**", "")
    return " ".join(s.split())


@st.composite
def sentence(draw) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=3, max_size=9))
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


@st.composite
def noisy(draw, text: str) -> str:
    """The same sentence as a feed might write it: odd spaces, a bold word."""
    words = text.split(" ")
    out = words[0]
    for w in words[1:]:
        sep = draw(st.sampled_from([" ", " ", " ", "  ", "\u00a0"]))
        if draw(st.integers(0, 9)) == 0 and w[-1].isalpha():
            w = f"**{w}**"
        out += sep + w
    return out


@st.composite
def note_content(draw, number: int, index: int) -> tuple[str, bool]:
    """(content, has_content). Each content carries a token naming its own number."""
    token = f"ref{number}x{index}"
    kind = draw(st.sampled_from(["url", "url", "prose", "two", "dngts", "empty", "sep", "label"]))
    if kind == "url":
        return f"https://{token}.example.org/page", True
    if kind == "prose":
        return f"Source {token} said the convoy moved north", True
    if kind == "two":
        return f"<https://{token}.example.org/a>; <https://{token}.example.net/b>", True
    if kind == "dngts":
        return f"DNGTS: https://{token}.example.ru/news", True
    if kind == "empty":
        return "", False
    if kind == "sep":
        return "; ;", False
    return "DNGTS:", False


def note_line(shape: str, number: int, content: str) -> str:
    if shape == "bracket":
        return f"[{number}] {content}".rstrip()
    if shape == "sup":
        return f"{sup(number)} {content}".rstrip()
    return f"- <sup>{number}</sup> {content}".rstrip()


def marker_text(style: str, number: int) -> str:
    return {"bracket": f"[{number}]", "sup": sup(number), "html": f"<sup>{number}</sup>"}[style]


@st.composite
def reports(draw, separators: tuple[str, ...] = ("\n\n",)):
    """(text, sentences, markers per sentence, notes generated {number: [(content, has)]},
    numbers used only inside URLs)."""
    n = draw(st.integers(3, 10))
    sentences = [draw(sentence()) for _ in range(n)]
    url_numbers: list[int] = []
    if draw(st.booleans()):                     # a sentence with a `[N]` inside a URL
        k = URL_MARKER_BASE + draw(st.integers(0, 50))
        at = draw(st.integers(0, n))
        sentences.insert(at, f"See https://site.example/a[{k}]/b for the map.")
        url_numbers.append(k)
    pool = st.integers(1, 25)
    markers: list[list[int]] = []
    body: list[str] = []
    paragraph: list[str] = []
    for s in sentences:
        ms = draw(st.lists(pool, max_size=2, unique=True))
        styles = [draw(st.sampled_from(["bracket", "sup", "html"])) for _ in ms]
        for i in range(1, len(styles)):         # `¹²` is marker 12: never two superscripts in a row
            if styles[i] == "sup" and styles[i - 1] == "sup":
                styles[i] = "bracket"
        markers.append(ms)
        text = draw(noisy(s)) if "://" not in s else s
        paragraph.append(text + "".join(marker_text(st_, m) for st_, m in zip(styles, ms)))
        if draw(st.integers(0, 3)) == 0:
            body.append(" ".join(paragraph))
            paragraph = []
    if paragraph:
        body.append(" ".join(paragraph))
    used = sorted({m for ms in markers for m in ms})
    numbers = draw(st.lists(st.sampled_from(used + [26, 27, 28]) if used else st.integers(26, 28),
                            max_size=12))                     # notes for some markers, some not
    notes: dict[int, list[tuple[str, bool]]] = {}
    lines: list[str] = []
    shape = draw(st.sampled_from(["bracket", "sup", "list"]))
    for number in numbers:                                    # any order, duplicates allowed
        content, has = draw(note_content(number, len(notes.get(number, []))))
        notes.setdefault(number, []).append((content, has))
        lines.append(note_line(shape, number, content))
    text = body[0]
    for para in body[1:]:                       # a blank line between paragraphs (or not)
        text += draw(st.sampled_from(separators)) + para
    if lines:
        heading = draw(st.sampled_from(["", "Notes\n\n", "**Endnotes**\n\n"]))
        text += "\n\n" + heading + "\n".join(lines)
    text += draw(st.sampled_from(["", "\n", "\n\n\n", "  \n"]))
    return text, sentences, markers, notes, url_numbers


@SETTINGS
@given(reports())
def test_generated_reports_parse_to_their_own_notes(case):
    check_report(case)


@SETTINGS
@example(("The army moved north.[1]\n\nOfficials denied the statement.\n"
          "Analysts reported large columns.\nTroops observed the railway.",
          ["The army moved north.", "Officials denied the statement.", "Analysts reported large columns.",
           "Troops observed the railway."], [[1], [], [], []], {}, []))
@given(reports(separators=("\n\n", "\n")))
def test_paragraphs_without_blank_lines_stay_in_the_body(case):
    check_report(case)


def check_report(case) -> None:
    text, sentences, markers, notes, url_numbers = case
    reports_, _ = parse_text(text, "generated.txt")
    assert len(reports_) == 1, text
    r = reports_[0]
    body = norm(r.text[:r.body_end])
    parsed = [(norm(r.text[s.start:s.end]), s) for s in r.sentences]

    at = 0
    for s, ms in zip(sentences, markers):
        # the clean text holds every body sentence, in the body
        assert norm(s) in body, (s, r.text)
        # and in order, as a sentence of its own carrying the markers that follow it
        while at < len(parsed) and parsed[at][0] != norm(s):
            at += 1
        assert at < len(parsed), (s, [p for p, _ in parsed])
        got = parsed[at][1]
        assert set(ms) <= {int(m) for m in got.markers}, (s, ms, got.markers)
        at += 1

    for k in url_numbers:                           # `[901]` inside a URL is no marker
        assert str(k) not in r.markers
    expected = {m for ms in markers for m in ms}
    assert {int(m) for m in r.markers} == expected

    for m in r.markers:
        note = r.notes[m]
        assert note.marker == m
        generated = notes.get(int(m), [])
        if any(has for _, has in generated):
            assert note.status == RESOLVED, (m, generated, note)
            # its own note: the token of another number never appears
            tokens = set(re.findall(r"ref(\d+)x\d+", note.text + " ".join(note.urls)))
            assert tokens == {m}, (m, note, generated)
        else:
            assert note.status == MISSING, (m, generated, note)
            assert not note.urls and not note.text


# ---------------------------------------------------------------------------- pure noise
NOISE = st.lists(
    st.sampled_from(list("abcXYZ .,;:!?\n\n\t[]()<>/*-_#•“”’\u00a0") + list(SUPERSCRIPT[:4])
                             + ["[1]", "[2]", "[12]", "<sup>3</sup>", "https://x.example/p[4]/", "DNGTS:",
                                "Monday, September 21, 2020\n", "September 21, 2020, 7:00 pm EDT\n",
                                "By Jane Doe\n", "\n[1] ", "\n- <sup>2</sup> ", "\n¹ ", "Click here to download",
                                "The army moved north. ", "Officials denied it. ", "www.", "(.)"]),
    max_size=200).map("".join)


@SETTINGS
@given(NOISE)
def test_noise_never_crashes_and_every_marker_has_an_entry(text):
    reports_, skipped = parse_text(text, "noise.txt")
    assert isinstance(skipped, list)
    for r in reports_:
        assert 0 <= r.body_end <= len(r.text)
        for s in r.sentences:
            assert 0 <= s.start < s.end <= r.body_end
        for m in r.markers:
            note = r.notes[m]
            assert note.marker == m
            assert note.status in (RESOLVED, MISSING, UNPLACED)
            if note.status == MISSING:
                assert not note.urls
        counts = r.footnote_counts()
        assert counts["markers"] == counts["resolved"] + counts["missing"] + counts["unplaced"]
        assert r.to_dict() == asdict(r)         # the record survives serialisation, every field
