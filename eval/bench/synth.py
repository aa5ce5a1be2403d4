"""A deterministic synthetic corpus in the sample reports' formats, for the benchmark.

Body paragraphs come from the sample files in ``data/reports/`` (split on blank lines, notes
and header lines dropped, markers stripped), recombined into new reports with new dates,
titles, bylines, markers and note blocks. Everything is drawn from ``random.Random(seed)``
instances passed around explicitly: the same seed gives byte-identical files.

Layouts written (one report a file unless said otherwise):

- ``blog``: several reports a file, newest first, each with a weekday date line, title,
  time line, byline, body and its own ``[N] url`` block (the ``000_…`` blog dump).
- ``bracketed``: ``[N]`` markers, ``[N] text`` note lines with gaps, empty bodies,
  ``; ;`` separators, bare ``DNGTS:`` labels and prose notes.
- ``superscript``: ``¹²³`` markers, ``¹ <url>; <url>`` notes continuing after a blank line.
- ``markdown``: ``## title``, ``**bold**`` leads, ``<sup>N</sup>`` markers and a
  ``- <sup>N</sup> <url>`` list.
- ``chapter``: no title, date or byline; ``[N]`` markers starting past 1 and unnumbered
  endnotes, fewer lines than markers (the ``004_…`` chapter).
- ``duplicate``: a second file holding an exact copy of one dated report.

:func:`edit_reports` changes one body sentence in a deterministic 1% of the reports and
rewrites their files.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from index.text import sentences as text_sentences
from index.text.dates import MONTH_NAMES
from index.text.dates import WEEKDAYS as WEEKDAY_NAMES

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "data" / "reports"

LAYOUTS = ("blog", "bracketed", "superscript", "markdown", "chapter")
# Share of reports per layout; blog reports are grouped 2-5 to a file.
LAYOUT_WEIGHTS = (0.25, 0.2, 0.2, 0.2, 0.15)
DUPLICATE_SHARE = 0.02

MONTHS = MONTH_NAMES
WEEKDAYS = tuple(d.capitalize() for d in WEEKDAY_NAMES)
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
CLOSING = "ISW will continue monitoring the situation and providing updates."

_MARKER = r"(?:\[\d+\]|<sup>\d+</sup>|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)"
_NOTE_START = re.compile(r"^(?:\[\d+\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]|- |<http|http|\[http)")
_MONTH_DAY = re.compile(r"\b(" + "|".join(MONTHS) + r") (\d{1,2})(?:st|nd|rd|th)?\b(?!,? \d{4})")

AUTHORS = ("George Barros", "Mason Clark", "Isabel Ivanescu", "Andrew Greco", "Will Christou",
           "Nataliya Bugayova", "Kateryna Stepanenko", "Frederick Kagan", "Karolina Hird",
           "Riley Bailey", "Grace Mappes", "Layne Philipson", "Angela Howard", "Daniel Mooney")
REGIONS = ("Belarus", "Russia", "Syria", "Ukraine", "Moldova", "Baltic")
KINDS = ("Warning Update", "Situation Report", "Warning Intelligence Update", "Special Report")
ACTORS = ("The Kremlin", "Lukashenko", "Moscow", "Minsk", "Russian Forces", "Pro-Assad Forces",
          "Turkey", "NATO", "Belarusian Security Services", "Russian Airborne Units",
          "The Russian Defense Ministry", "Putin")
VERBS = ("Expands", "Prepares", "Escalates", "Downplays", "Accelerates", "Consolidates",
         "Signals", "Tests", "Reframes", "Leverages", "Conceals", "Formalizes")
OBJECTS = ("Military Presence in Belarus", "Union State Integration",
           "Exercises Near the Polish Border", "Air Defense Integration",
           "Pressure on the Opposition", "Basing Rights", "Information Operations",
           "Control over Idlib", "Snap Exercises in the Western Military District",
           "Cooperation with the CSTO", "Deployments to Brest", "Border Closures",
           "Claims of a NATO Threat", "Influence over State Media")
HOSTS = ("tass(.)ru", "belta(.)by", "meduza(.)io", "interfax(.)ru", "sputnik(.)by",
         "kremlin(.)ru", "rbc(.)ru", "gazeta(.)ru", "iz(.)ru", "tvzvezda(.)ru", "www.reuters.com",
         "www.iswresearch.org", "twitter.com", "t(.)me", "news.tut(.)by", "nv.ua",
         "www.rferl.org", "www.bbc.com")
OUTLETS = ("Radio Free Europe", "Financial Times", "Defense News", "Chatham House",
           "Center for Strategic & International Studies", "The Polish Institute of International Affairs",
           "Russia Military Analysis", "NATO", "Carnegie Endowment for International Peace")
HEADINGS = ("Russia’s “West” anxieties", "The ‘NATO spectre’", "Integration by other means",
            "The military dimension", "Scenarios for the Union State")
TOPICS = ("military cooperation between Minsk and Moscow", "the Union State framework",
          "Russian basing in Belarus", "air defense integration", "the Zapad exercise cycle",
          "NATO's eastern flank")
EDIT_PHRASES = ("according to revised reporting", "as later confirmed by local sources",
                "per an updated assessment", "according to a corrected account")


@dataclass
class Sentence:
    text: str
    sep: str            # whitespace that follows the sentence in its paragraph
    marker: int | None = None


@dataclass
class SynthReport:
    key: str
    layout: str         # one of LAYOUTS
    date: dt.date | None
    time: str
    title: str
    authors: list[str]
    paragraphs: list[list[Sentence]]
    bold: list[bool]    # markdown: first sentence of the paragraph in **bold**
    notes: list[tuple[int, str]]   # (marker, rendered body); numbered layouts
    endnotes: list[str]            # chapter: unnumbered lines
    weekday_line: bool = False
    byline: str = ""
    heading: str = ""   # chapter: a section heading inside the body
    file: str = ""
    duplicate_file: str = ""
    edits: int = 0

    @property
    def markers(self) -> list[int]:
        return [s.marker for p in self.paragraphs for s in p if s.marker is not None]

    def body_text(self) -> str:
        """The body paragraphs without markers (what an edit changes)."""
        return "\n\n".join("".join(s.text + s.sep for s in p).strip() for p in self.paragraphs)


@dataclass
class SynthFile:
    name: str
    kind: str           # blog | bracketed | superscript | markdown | chapter | duplicate
    reports: list[str]  # report keys in file order


@dataclass
class SynthCorpus:
    seed: int
    root: Path
    reports: list[SynthReport]
    files: list[SynthFile]
    by_key: dict[str, SynthReport] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_key = {r.key: r for r in self.reports}

    def paths(self) -> list[Path]:
        return [self.root / f.name for f in self.files]

    def file_text(self, f: SynthFile) -> str:
        return render_file(f, self.by_key)

    def write(self, names: list[str] | None = None) -> None:
        for f in self.files:
            if names is None or f.name in names:
                (self.root / f.name).write_bytes(self.file_text(f).encode("utf-8"))

    def report_text(self, key: str) -> str:
        """One report rendered alone, as a file of its own would hold it."""
        r = self.by_key[key]
        return render_file(SynthFile("-", r.layout if r.layout != "blog" else "blog", [key]), self.by_key)

    def manifest(self) -> dict:
        return {
            "seed": self.seed,
            "reports": len(self.reports),
            "files": [{"name": f.name, "kind": f.kind, "reports": f.reports} for f in self.files],
            "report_index": {r.key: {"layout": r.layout, "file": r.file,
                                     "duplicate_file": r.duplicate_file,
                                     "date": r.date.isoformat() if r.date else "",
                                     "title": r.title, "markers": len(r.markers),
                                     "paragraphs": len(r.paragraphs), "edits": r.edits}
                             for r in self.reports},
        }


# ---------------------------------------------------------------- source material

@dataclass
class Pool:
    paragraphs: list[list[Sentence]]
    endnotes: list[str]

    @property
    def sentences(self) -> list[str]:
        return [s.text for p in self.paragraphs for s in p]


def strip_markers(text: str) -> str:
    """Remove footnote markers (all styles) and Markdown bold from a body paragraph."""
    text = text.replace("**", "")
    text = re.sub(r"\s*" + _MARKER + r"(?=[,;:.)])", "", text)
    text = re.sub(_MARKER + r"[ \t\u00a0]*(?=\S)", " ", text)
    text = re.sub(_MARKER, "", text)
    return text.strip()


def split_sentences(paragraph: str) -> list[Sentence]:
    spans = text_sentences.split_sentences(paragraph)
    return [Sentence(paragraph[a:b], paragraph[b:spans[i + 1][0]] if i + 1 < len(spans) else "")
            for i, (a, b) in enumerate(spans)]


def load_pool(sources: Path = SAMPLES_DIR) -> Pool:
    """Body paragraphs (split into sentences) and endnote lines of the sample files."""
    paragraphs: list[list[Sentence]] = []
    endnotes: list[str] = []
    for path in sorted(sources.glob("*.txt")):
        text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
        for block in re.split(r"\n[ \t\u00a0]*\n", text):
            block = block.strip()
            if "\n" in block:
                lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
                # Bibliography lines: "Author, “Title,” Outlet, date."
                endnotes += [ln for ln in lines if re.search(r"\d{4}\.?$", ln) and not _NOTE_START.match(ln)]
                continue
            if len(block) < 200 or _NOTE_START.match(block) or block.startswith(("Click", "*")):
                continue
            clean = strip_markers(block)
            if not re.search(r"[.?!”\")]$", clean):
                continue
            sentences = split_sentences(clean)
            if len(sentences) >= 2:
                paragraphs.append(sentences)
    if not paragraphs:
        raise ValueError(f"no body paragraphs found in {sources}")
    return Pool(paragraphs, endnotes)


# ---------------------------------------------------------------- generation

def _fmt_date(d: dt.date) -> str:
    return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"


def _time_line(rng: random.Random, d: dt.date, layout: str) -> str:
    hour, minute = rng.randint(1, 11), rng.choice((0, 15, 30, 45))
    half = rng.choice(("am", "pm", "pm"))
    zone = rng.choice(("EDT", "EST", "EDT"))
    if layout == "markdown":
        return f"{_fmt_date(d)}, {hour}:{minute:02d}{half} {zone}  "
    if rng.random() < 0.1:
        return f" {_fmt_date(d)} {hour}:{minute:02d} {half} {zone}"
    return f"{_fmt_date(d)}, {hour}:{minute:02d} {half} {zone}"


def _byline(rng: random.Random) -> list[str]:
    k = rng.choice((1, 1, 1, 2, 2))
    return rng.sample(AUTHORS, k)


def _render_byline(authors: list[str], layout: str, rng: random.Random) -> str:
    if layout == "markdown":
        return " and ".join(authors)
    if len(authors) == 1:
        return f"By {authors[0]}"
    return f"By {authors[0]} {rng.choice(('and', 'and', 'with'))} {authors[1]}"


def _url(rng: random.Random) -> str:
    host = rng.choice(HOSTS)
    scheme = rng.choice(("https://", "https://", "http://"))
    kind = rng.randrange(3)
    if kind == 0:
        path = f"/news/{rng.randint(2019, 2023)}/{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/{rng.randint(10000, 9999999)}"
    elif kind == 1:
        path = f"/politika/{rng.randint(1000000, 9999999)}"
    else:
        words = rng.sample(("lukashenko", "putin", "minsk", "ucheniya", "granitsa", "armiya",
                            "soyuznoe", "gosudarstvo", "voennye", "belarus", "rossiya"), 4)
        path = "/" + "-".join(words) + f"-{rng.randint(100, 999999)}.html"
    return scheme + host + path


def _shift_dates(text: str, d: dt.date, rng: random.Random) -> str:
    def repl(m: re.Match) -> str:
        day = d - dt.timedelta(days=rng.randint(0, 20))
        return f"{MONTHS[day.month - 1]} {day.day}"
    return _MONTH_DAY.sub(repl, text)


def _body(rng: random.Random, pool: Pool, d: dt.date | None) -> list[list[Sentence]]:
    chosen = rng.sample(range(len(pool.paragraphs)), rng.randint(4, 8))
    paragraphs = []
    all_sentences = pool.sentences
    for i in chosen:
        sents = [Sentence(s.text, s.sep) for s in pool.paragraphs[i]]
        # Recombine below paragraph level too, so that paragraphs seldom repeat verbatim.
        if len(sents) > 2 and rng.random() < 0.5:
            j = rng.randrange(1, len(sents))
            sents[j] = Sentence(rng.choice(all_sentences), sents[j].sep)
        if d is not None:
            for s in sents:
                s.text = _shift_dates(s.text, d, rng)
        sents[-1].sep = ""
        paragraphs.append(sents)
    return paragraphs


def _place_markers(rng: random.Random, paragraphs: list[list[Sentence]], first: int) -> None:
    n = first
    for p in paragraphs:
        for s in p:
            if rng.random() < 0.55:
                s.marker = n
                n += 1
    if n == first:  # at least one marker
        paragraphs[0][0].marker = n


def _url_list(rng: random.Random, k: int, style: str) -> list[str]:
    urls = [_url(rng) for _ in range(k)]
    if style == "angle":
        return [f"<{u}>" if rng.random() < 0.8 else u for u in urls]
    if style == "markdown":
        out = []
        for u in urls:
            if "(.)" in u and rng.random() < 0.5:
                label = u.replace("(.)", r"\(.\)")
                out.append(f"[{label}]({u})")
            else:
                out.append(f"<{u.replace('(.)', '.')}>")
        return out
    return urls


def _notes(rng: random.Random, markers: list[int], layout: str, pool: Pool) -> list[tuple[int, str]]:
    notes = []
    for m in markers:
        r = rng.random()
        if r < 0.08:
            continue                                    # marker with no note
        if layout == "markdown":
            urls = _url_list(rng, rng.randint(1, 3), "markdown")
            body = "; ".join(urls)
            if rng.random() < 0.1:
                body += f", DNGTS: <{_url(rng).replace('(.)', '.')}>"
            notes.append((m, body))
            continue
        style = "angle" if layout == "superscript" else "plain"
        if r < 0.11 and layout in ("blog", "bracketed"):
            body = rng.choice(("; ;", "DNGTS:", ";", "DNGTS: ; DNGTS:", ""))   # no content
        elif r < 0.2:
            body = rng.choice(pool.sentences) + " " + _url_list(rng, 1, style)[0]  # prose note
        else:
            urls = _url_list(rng, rng.randint(1, 4), style)
            if rng.random() < 0.1:
                urls.insert(rng.randrange(len(urls) + 1), "DNGTS: " + _url(rng))
            body = "; ".join(urls) + rng.choice(("", "", ";"))
        notes.append((m, body))
    return notes


def _endnotes(rng: random.Random, markers: list[int], pool: Pool) -> list[str]:
    count = max(2, len(markers) - rng.randint(1, 3))   # fewer notes than markers
    out = []
    for _ in range(count):
        if pool.endnotes and rng.random() < 0.4:
            out.append(rng.choice(pool.endnotes))
            continue
        a = rng.choice(AUTHORS)
        words = rng.sample(("Russia", "Belarus", "Military", "Integration", "Union State",
                            "Security", "NATO", "Scenarios", "Western Flank", "Exercises"), 3)
        d = dt.date(rng.randint(2014, 2021), rng.randint(1, 12), rng.randint(1, 28))
        out.append(f"{a}, “{' '.join(words)},” {rng.choice(OUTLETS)}, {d.day} {MONTHS[d.month - 1]} {d.year}.")
    return out


def _title(rng: random.Random, used: set[str]) -> str:
    for _ in range(50):
        t = f"{rng.choice(REGIONS)} {rng.choice(KINDS)}: {rng.choice(ACTORS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
        if t not in used:
            used.add(t)
            return t
    t = f"{t}, Part {len(used)}"
    used.add(t)
    return t


def _new_report(rng: random.Random, key: str, layout: str, pool: Pool, used: set[str]) -> SynthReport:
    if layout == "chapter":
        d = None
        paragraphs = _body(rng, pool, None)
        # An undated, untitled report is known by its opening words (ingest.report.report_id: the
        # first 400 characters): make them unique with the whole unique title (its part after
        # the colon alone repeated at 30,000 reports and merged three chapters with others).
        study = _title(rng, used)
        opener = f"Chapter {rng.randint(2, 9)} of the study “{study}” turns to {rng.choice(TOPICS)}."
        paragraphs[0].insert(0, Sentence(opener, " "))
        _place_markers(rng, paragraphs, first=rng.randint(5, 60))
        r = SynthReport(key, layout, None, "", "", [], paragraphs, [False] * len(paragraphs), [], [])
        r.endnotes = _endnotes(rng, r.markers, pool)
        r.heading = rng.choice(HEADINGS)
        return r
    d = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(5 * 365))
    title = _title(rng, used)
    time = _time_line(rng, d, layout)
    authors = _byline(rng)
    paragraphs = _body(rng, pool, d)
    _place_markers(rng, paragraphs, first=1)
    bold = [layout == "markdown" and rng.random() < 0.5 for _ in paragraphs]
    r = SynthReport(key, layout, d, time, title, authors, paragraphs, bold, [], [],
                    weekday_line=(layout == "blog"))
    r.notes = _notes(rng, r.markers, layout, pool)
    r.byline = _render_byline(authors, layout, rng)
    return r


def generate(n: int, out_dir: Path, *, seed: int = 0, sources: Path = SAMPLES_DIR) -> SynthCorpus:
    """Write ``n`` distinct synthetic reports (plus exact duplicates) as .txt files in out_dir."""
    if n < 1:
        raise ValueError("n must be at least 1")
    rng = random.Random(seed)
    pool = load_pool(sources)
    used: set[str] = set()
    layouts = rng.choices(LAYOUTS, weights=LAYOUT_WEIGHTS, k=n)
    if n >= len(LAYOUTS):   # every layout present, also in small corpora
        for i, layout in enumerate(LAYOUTS):
            layouts[i] = layout
        rng.shuffle(layouts)
    reports = [_new_report(rng, f"syn-{i:06d}", layout, pool, used) for i, layout in enumerate(layouts)]

    files: list[SynthFile] = []
    serial = 0

    def add_file(kind: str, keys: list[str]) -> SynthFile:
        nonlocal serial
        f = SynthFile(f"{serial:05d}_{rng.getrandbits(64):016x}.txt", kind, keys)
        serial += 1
        files.append(f)
        return f

    blog: list[SynthReport] = []
    for r in reports:
        if r.layout == "blog":
            blog.append(r)
            if len(blog) >= rng.randint(2, 5):
                _flush_blog(blog, add_file)
                blog = []
        else:
            r.file = add_file(r.layout, [r.key]).name
    if blog:
        _flush_blog(blog, add_file)

    dated = [r for r in reports if r.layout != "chapter"]
    for r in rng.sample(dated, min(len(dated), max(1, round(DUPLICATE_SHARE * n)))):
        r.duplicate_file = add_file("duplicate", [r.key]).name

    out_dir.mkdir(parents=True, exist_ok=True)
    corpus = SynthCorpus(seed, out_dir, reports, files)
    corpus.write()
    return corpus


def _flush_blog(blog: list[SynthReport], add_file) -> None:
    blog.sort(key=lambda r: (r.date, r.key), reverse=True)   # newest first
    f = add_file("blog", [r.key for r in blog])
    for r in blog:
        r.file = f.name


# ---------------------------------------------------------------- rendering

def _marker(layout: str, n: int) -> str:
    if layout == "superscript":
        return str(n).translate(SUPERSCRIPT)
    if layout == "markdown":
        return f"<sup>{n}</sup>"
    return f"[{n}]"


def _render_paragraph(r: SynthReport, p: list[Sentence], bold: bool) -> str:
    out = []
    for i, s in enumerate(p):
        text = f"**{s.text}**" if bold and i == 0 else s.text
        out.append(text + (_marker(r.layout, s.marker) if s.marker is not None else "") + s.sep)
    return "".join(out)


def _render_notes(r: SynthReport) -> str:
    if r.layout == "chapter":
        return "\n".join(r.endnotes)
    lines = []
    for m, body in r.notes:
        if r.layout == "markdown":
            lines.append(f"- <sup>{m}</sup> {body}")
        elif r.layout == "superscript":
            head = str(m).translate(SUPERSCRIPT)
            parts = body.split("; ")
            if len(parts) > 2 and m % 3 == 0:   # a note continuing after a blank line
                lines.append(f"{head} {'; '.join(parts[:2])};\n\n{'; '.join(parts[2:])}")
            else:
                lines.append(f"{head} {body}")
        else:
            lines.append(f"[{m}] {body}".rstrip() if body else f"[{m}]")
    if r.layout == "markdown":
        return "- \n" + "\n".join(lines)
    return "\n\n".join(lines)


def render_report(r: SynthReport) -> str:
    body = [_render_paragraph(r, p, b) for p, b in zip(r.paragraphs, r.bold)]
    if r.layout == "chapter":
        if len(body) > 3:   # a section heading inside the chapter, as in the sample
            body.insert(3, r.heading)
        return "\n\n".join(body) + "\n\n" + _render_notes(r) + "\n"
    if r.layout == "markdown":
        head = f"## {r.title}\n\n{r.time}\n{r.byline}\n\n"
        return head + "\n\n".join(body) + f"\n\n*{CLOSING}*\n\n" + _render_notes(r) + "\n"
    head = ""
    if r.weekday_line:
        head = f"{WEEKDAYS[r.date.weekday()]}, {_fmt_date(r.date)}\n\n"
    head += f"{r.title}\n\n{r.time}\n\n{r.byline}\n\n"
    return head + "\n\n".join(body) + f"\n\n{CLOSING}\n\n\n" + _render_notes(r) + "\n"


def render_file(f: SynthFile, by_key: dict[str, SynthReport]) -> str:
    sections = [render_report(by_key[k]) for k in f.reports]
    lead = "\n\n" if f.kind in ("bracketed", "superscript", "markdown") else ""
    return lead + "\n\n".join(sections)


# ---------------------------------------------------------------- edits

def edit_reports(corpus: SynthCorpus, fraction: float = 0.01, *, seed: int = 0) -> list[SynthReport]:
    """Change one body sentence in ``fraction`` of the reports and rewrite their files.

    Reports with a duplicate copy are never chosen (an edit would make the copies differ).
    Returns the edited reports, in corpus order.
    """
    rng = random.Random(f"edit:{corpus.seed}:{seed}")
    candidates = [r for r in corpus.reports if not r.duplicate_file]
    k = min(len(candidates), max(1, round(fraction * len(corpus.reports))))
    chosen = sorted(rng.sample(candidates, k), key=lambda r: r.key)
    for r in chosen:
        # Never the first paragraph: an undated report's identity rests on its opening words.
        p = rng.choice(r.paragraphs[1:])
        s = rng.choice(p)
        phrase = EDIT_PHRASES[(r.edits + rng.randrange(len(EDIT_PHRASES))) % len(EDIT_PHRASES)]
        text = s.text.rstrip()
        m = re.search(r"[.?!][”\"’]?$", text)
        if m:
            s.text = text[: m.start()] + f", {phrase}" + text[m.start():]
        else:
            s.text = text + f" ({phrase})"
        r.edits += 1
    corpus.write(sorted({r.file for r in chosen}))
    return chosen


def main(argv: list[str] | None = None) -> int:
    import argparse
    ap = argparse.ArgumentParser(description="Write a synthetic report corpus. Example: "
                                 "python -m eval.bench.synth 250 /tmp/synth --seed 7")
    ap.add_argument("n", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    c = generate(a.n, a.out, seed=a.seed)
    print(json.dumps({"reports": len(c.reports), "files": len(c.files), "root": str(c.root)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
