"""A PDF's front matter: the title page, or the title, date and byline above the text.

Page 1 is a title page when none of its lines is a line of prose (body-size type across most
of the text width): then all of it is front matter. Otherwise the front matter is the run of
lines at the top of page 1 that are the title, a date, a time line or a byline, up to the
first other line.

The title is the largest type of the front matter when it is larger than the body (its lines
joined), or the line that equals the document information's Title; a "Volume II of II" line
right after it belongs to it (two volumes of one report are two reports), and so does a subtitle
right under it in smaller display type, after a colon. Authors: a byline
("By …"), a name after a role ("Special Counsel Robert S. Mueller, III"), else the document
information's Author when page 1 prints it. Date: a date line ("Saturday, September 19,
2020", "March 22, 2019", "22 March 2019", or "March 2019", which gives "2019-03"). A form-like
first page (a government impact assessment) labels its fields: "Title: …", "Date: …",
"Lead department or agency: …"; those win. A Federal Register document's preamble (its agency in capitals, the
CFR part, the docket, then its subject in bold over "AGENCY: …" and "ACTION: …") gives the title: the bold
heading over "AGENCY:", not the section's name ("Proposed Rules") in the largest type. Without a date in the
front matter, a date printed above page 1's first line of prose, alone on its line or as one part of a running
head ("Federal Register / Vol. 85, No. 152 / Thursday, August 6, 2020 / Proposed Rules"), is the report's date.
A table of contents on page 1 ends the front matter: "Contents" is no title. A later Federal Register preamble,
after the line that filed the document before it, starts another document of the same issue (`later_documents`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from index.text.dates import FULL_MONTH, MONTHS
from ingest.document import FRONT, HEADING, PARAGRAPH, TITLE, Block
from ingest.metadata import BYLINE, iso_date, parse_byline, parse_date_line, parse_time_line
from ingest.pdf.layout import Line
from ingest.pdf.text import Edges

# document information that names the tool or the file, not the report
JUNK_INFO = re.compile(r"^(?:untitled|anonymous|unknown|user|admin|owner|unspecified|microsoft word\b.*"
                       r"|.*\.(?:docx?|pdf|txt|indd|qxd|tex|dvi))$", re.I)
_VOLUME = re.compile(r"^(?:volume|vol\.|part|book|tome|band)\s+(?:[IVXLC]+|\d+)\b.{0,30}$", re.I)
_ROLE = re.compile(r"^(?:special counsel|independent counsel|director|chair(?:man|woman|person)?|rapporteur"
                   r"|editors?|prepared by|submitted by|written by|compiled by|authors?|by)\s*:?\s+", re.I)
_PERSON = r"(?:[A-Z][a-zà-ÿ'’-]+|[A-Z]\.)(?:\s+(?:[A-Z][a-zà-ÿ'’-]+|[A-Z]\.|de|van|von|der|la|le|da|di)){1,4}" \
          r"(?:,?\s+(?:Jr\.|Sr\.|II|III|IV|Ph\.?D\.?))?"
_PEOPLE = re.compile(rf"^{_PERSON}(?:\s*(?:,|;|\band\b|&)\s*{_PERSON})*$")
_MONTH_DAY_YEAR = re.compile(rf"^\s*(?:\w+day,\s+)?({FULL_MONTH})\s+(\d{{1,2}}),?\s+(\d{{4}})\s*$")
_DAY_MONTH_YEAR = re.compile(rf"^\s*(\d{{1,2}})\s+({FULL_MONTH})\s+(\d{{4}})\s*$")
_MONTH_YEAR = re.compile(rf"^\s*({FULL_MONTH})\s+(\d{{4}})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")
_DMY = re.compile(r"^\s*(\d{1,2})([/.])(\d{1,2})[/.](\d{4})\s*$")
# where a cover was signed, before its date: "Brussels, 11.12.2019", "Washington, D.C., March 22, 2019"
_PLACE = re.compile(r"^\s*[A-Z][\w'’.-]*(?:[ -][A-Z][\w'’.-]*){0,3}(?:,\s*[A-Z]\.\s?[A-Z]\.)?,\s+(?=\S)")
# a form's labelled fields, as title pages of government reports print them ("Title: …")
_FIELD = re.compile(r"^\s*(title|report title|subject|date|date of (?:issue|publication)|published|authors?|"
                    r"prepared by|written by|publisher|published by|lead department or agency|department)\s*:\s*(.*)$", re.I)
_NEXT_CREDIT = re.compile(r"\s+[–—|-]\s+(?=[A-Z][\w ]{1,30}:)|;\s+(?=[A-Z][\w ]{1,30}:)")
_ANY_LABEL = re.compile(r"^\s*[A-Z][\w /()&'’-]{1,40}:(?:\s|$)")
_CONTENTS = re.compile(r"^\s*(?:(?:table\s+of\s+)?contents|inhalt(?:sverzeichnis)?|table\s+des\s+mati[eè]res|sommaire"
                       r"|[íi]ndice|sumario|inhoud(?:sopgave)?|spis\s+tre[śs]ci|содержание|оглавление)\s*$", re.I)
# the parts of a running head: "Federal Register / Vol. 85, No. 152 / Thursday, August 6, 2020 / Proposed Rules"
_HEAD_PARTS = re.compile(r"\t|\s+/\s+|\s+\|\s+")


@dataclass
class Front:
    kinds: dict[int, str] = field(default_factory=dict)    # id(line) -> FRONT or TITLE
    title: str = ""
    date: str = ""
    time: str = ""
    authors: list[str] = field(default_factory=list)
    publisher: str = ""
    masthead: set[int] = field(default_factory=set)        # id(line): page furniture over a column, not text


def _prose(ln: Line, size: float, edges: Edges) -> bool:
    """A line of running text: body-size type across most of the measure, not set in capitals (a cover's
    addressee block, "COMMUNICATION FROM THE COMMISSION TO THE EUROPEAN PARLIAMENT, …", is not prose)."""
    left, right = edges.left.get(ln.col, ln.x0), edges.right.get(ln.col, ln.x1)
    return (abs(ln.size - size) <= 0.1 * size and ln.x1 - ln.x0 >= 0.6 * (right - left) and len(ln.plain) > 20
            and not _capitals(ln.plain))


def _capitals(text: str) -> bool:
    return any(c.isalpha() for c in text) and text == text.upper()


_WORDMARK = re.compile(r"^\s*[A-Z]{2,5}\s*$")      # a publisher's letters set as its logo: "GAO", "CBO", "RAND"


def _title_text(lines: list[str]) -> str:
    """A title's lines as one line. A topic in capitals over a subtitle in upper and lower case
    ("BREASTFEEDING" / "Some Strategies Used to Market Infant Formula …", as GAO's covers print
    it) is the topic, a colon and the subtitle, as the title is cited."""
    lines = [re.sub(r"\s+", " ", t).strip() for t in lines if t.strip()]
    topic = 0
    while topic < len(lines) and _capitals(lines[topic]):
        topic += 1
    if (0 < topic < len(lines) and lines[topic][:1].isupper()
            and not re.search(r"[:.;,\u2013\u2014-]$", lines[topic - 1])):
        return f"{' '.join(lines[:topic])}: {' '.join(lines[topic:])}"
    return " ".join(lines)


def _wordy(ln: Line) -> bool:
    """A line that can be a title: it has a word of three letters or more (not a cover's "EN  EN")."""
    return bool(re.search(r"[^\W\d_]{3}", ln.plain))


def parse_date(text: str) -> str:
    """An ISO date ("2019-03-22", or "2019-03" for a month) of a line that is only a date, or a place and a
    date ("Brussels, 11.12.2019")."""
    place = _PLACE.match(text)
    return _date_only(text) or (_date_only(text[place.end():]) if place else "")


def _date_only(text: str) -> str:
    d = parse_date_line(text) or parse_time_line(text)[0]
    if d:
        return d
    m = _MONTH_DAY_YEAR.match(text)
    if m:
        return iso_date(m.group(1), m.group(2), m.group(3))
    m = _DAY_MONTH_YEAR.match(text)
    if m:
        return iso_date(m.group(2), m.group(1), m.group(3))
    m = _MONTH_YEAR.match(text)
    if m:
        return f"{m.group(2)}-{MONTHS.index(m.group(1).lower()) + 1:02d}"
    m = _ISO.match(text)
    if m and 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 31:
        return m.group(0).strip()
    m = _DMY.match(text)
    if m:
        a, b, year = int(m.group(1)), int(m.group(3)), m.group(4)
        # day first (as in "17/03/2025") when the order cannot be the other one, or when the numbers are
        # dotted: "11.12.2019" is day first wherever dots are written (Europe; no month-first convention dots)
        if (a > 12 or m.group(2) == ".") and 1 <= a <= 31 and 1 <= b <= 12:
            return f"{year}-{b:02d}-{a:02d}"
        if b > 12 and 1 <= a <= 12:
            return f"{year}-{a:02d}-{b:02d}"
    return ""


def labelled_fields(lines: list[Line], used: list[Line] | None = None) -> dict[str, str]:
    """{"title"|"date"|"authors"|"publisher": value} from a form-like first page: a cell
    "Title: …" (its value going on in the cells below it that carry no label of their own).
    `used` receives the lines the fields were read from."""
    out: dict[str, str] = {}
    for i, ln in enumerate(lines):
        for c, cell in enumerate(ln.plain.split("\t")):
            m = _FIELD.match(cell)
            if not m:
                continue
            label, value = m.group(1).lower(), m.group(2).strip()
            key = ("title" if label in ("title", "report title", "subject") else
                   "date" if label.startswith(("date", "published")) and label != "published by" else
                   "authors" if label in ("author", "authors", "prepared by", "written by") else "publisher")
            if key in out or not value:
                continue
            if used is not None:
                used.append(ln)
            if key == "title" and c == 0:
                last = ln
                for nxt in lines[i + 1:i + 4]:
                    first = nxt.plain.split("\t")[0].strip()
                    if (abs(nxt.x0 - last.x0) <= 3 and nxt.top - last.bottom < 2.5 * last.size and first
                            and not _ANY_LABEL.match(first)):
                        value = f"{value} {first}"
                        last = nxt
                        if used is not None:
                            used.append(nxt)
                    elif abs(nxt.x0 - last.x0) <= 3:
                        break
            out[key] = re.sub(r"\s+", " ", value).strip()
    return out


def people(text: str) -> list[str]:
    """The names on a byline or a role line, or []."""
    text = re.sub(r"\s+", " ", text).strip()
    if BYLINE.match(text):
        return parse_byline(text)
    m = _ROLE.match(text)
    rest = text[m.end():] if m else text
    if not _PEOPLE.match(rest) or len(rest) > 120:
        return []
    if not m and not re.search(r"\b[A-Z]\.\s", rest):
        return []               # a bare line of capitalised words is a name only with an initial in it
    parts = re.split(r"\s*(?:;|\band\b|&)\s*|,(?!\s*(?:Jr\.|Sr\.|II|III|IV|Ph\.?D)\b)\s*", rest)
    return [p.strip() for p in parts if p.strip()]


_BY_ALONE = re.compile(r"^\s*by\s*:?\s*$", re.I)
_ROLE_WORD = re.compile(r"\b(?:Director|Analyst|Fellow|Professor|Associate|Researcher|Specialist|Editor|Chair|Staff|"
                        r"Member|Officer|Advis[eo]r|Economist|Consultant|Assistant|Manager|Head|Senior|Policy|Research|"
                        r"Affairs|University|Institute|Center|Centre|Department|School)\b")


def _names_under_by(page1: list[Line]) -> tuple[list[str], list[Line]]:
    """(names, their lines): a cover's authors under a "by" on a line of its own, a line each, each name
    maybe followed by its role ("by", "Caitlin Campbell,", "Research Director and Policy Analyst, …", …,
    "and", "Craig Murray,"), or on one line ("by", "Caitlin Campbell and Craig Murray")."""
    start = next((i for i, ln in enumerate(page1[:30]) if _BY_ALONE.match(ln.plain)), None)
    if start is None:
        return [], []
    names: list[str] = []
    listed = [page1[start]]
    for ln in page1[start + 1:start + 25]:
        t = ln.plain.strip().rstrip(",").strip()
        if t.lower() in ("and", "&"):
            listed.append(ln)
            continue
        if not t or len(t.split()) > 12 or t.endswith("."):
            break
        if not _ROLE_WORD.search(t):
            found = parse_byline("By " + t)         # a name a line, or the names on one ("… and …")
            if not found or not all(_PEOPLE.match(n) for n in found):
                break
            names += found
        listed.append(ln)
    return (names, listed) if names else ([], [])


def _norm(s: str) -> str:
    return re.sub(r"\W+", " ", s.lower()).strip()


def _bold_title(zone: list[Line], size: float) -> list[Line]:
    """A cover set in the body's type size throughout: its first run of bold lines in mixed case, not a date
    or a byline (the Commission's "The European Green Deal" under its addressee block in bold capitals)."""
    run: list[Line] = []
    for ln in zone:
        fits = (ln.bold and ln.size >= 0.95 * size and _wordy(ln) and not _capitals(ln.plain)
                and not parse_date(ln.plain) and not BYLINE.match(ln.plain))
        if fits:
            run.append(ln)
        elif run:
            break
    return run


def _stated_title(zone: list[Line], title: str) -> list[Line]:
    """The lines of the cover, one to four in a row, that print the document information's title ("Military
    Housing Privatization Initiative:" / "Background and Issues" under "CRS Report for Congress"), or []."""
    want = _norm(title)
    if len(want) < 12:
        return []
    for i in range(len(zone)):
        for j in range(i + 1, min(i + 4, len(zone)) + 1):
            if _norm(" ".join(ln.plain for ln in zone[i:j])) == want:
                return zone[i:j]
    return []


def _subtitle(page1: list[Line], title: list[Line], size: float) -> Line | None:
    """The cover's subtitle: the line right under the title, in display type smaller than the title's (half as
    large again as the body's at least), in upper and lower case from a capital, no sentence, date, version,
    byline or names, and not followed by the text at once (a heading is). "Recent threats in the Red Sea" in
    28 points over "Economic impact on the region and on the EU" in 22.4, as the European Parliament's
    briefings print it and cite it with a colon."""
    at = page1.index(title[-1]) + 1 if title and title[-1] in page1 else len(page1)
    if at >= len(page1):
        return None
    last, ln = title[-1], page1[at]
    below = page1[at + 1] if at + 1 < len(page1) else None
    t = ln.plain.strip()
    fits = (1.5 * size <= ln.size < min(x.size for x in title) and ln.top - last.bottom <= last.size
            and t[:1].isupper() and not _capitals(t) and _wordy(ln) and not t.endswith(".")
            and not parse_date(t) and not _DATED.search(t) and not BYLINE.match(t) and not _PEOPLE.match(t)
            and not _VOLUME.match(t) and not re.search(r"[.;,\u2013\u2014-]$", last.plain.strip())
            and not (below is not None and below.size <= 1.1 * size))    # a heading: the text follows it
    return ln if fits else None


# a line that dates or versions the document ("Version 2.2020 — July 15, 2020"): no subtitle
_DATED = re.compile(rf"\b(?:{FULL_MONTH})\s+\d{{1,2}},?\s+\d{{4}}|\b\d{{1,2}}\s+(?:{FULL_MONTH})\s+\d{{4}}|\bversion\b",
                    re.I)


def _opens_preamble(texts: list[str], i: int) -> bool:
    """Whether texts[i] opens a Federal Register preamble: "AGENCY: …" with "ACTION: …" in the few lines after
    it (1 CFR 18.12 prescribes those captions)."""
    return texts[i].startswith("AGENCY:") and any(t.startswith("ACTION:") for t in texts[i + 1:i + 6])


def _preamble_title(page1: list[Line]) -> list[Line]:
    """A Federal Register document's subject: the run of bold lines, in one type size, right above its
    preamble's "AGENCY: …"."""
    texts = [ln.plain for ln in page1]
    for i, ln in enumerate(page1):
        if not _opens_preamble(texts, i):
            continue
        run: list[Line] = []
        for up in reversed(page1[:i]):
            if not (up.bold and _wordy(up) and not _capitals(up.plain) and up.col == ln.col
                    and (not run or abs(up.size - run[0].size) < 0.1 and run[0].top - up.bottom < 1.5 * up.size)):
                break
            run.insert(0, up)
        return run
    return []


_ENDS_DOCUMENT = re.compile(r"^(?:\[FR Doc\.[^\]]*\]|BILLING CODE [\d–-]+[A-Z–-]*)$")


def later_documents(blocks: list[Block]) -> list[int]:
    """Where a gazette's pages go on into the next documents: the Federal Register prints documents one
    after the other, and a document's PDF holds the start of the next on its last page. Each later preamble
    ("AGENCY: …" with "ACTION: …" after it), under the headings that open it (the agency in capitals, the CFR
    part, the docket, the subject), starts another document: those headings become its front matter and
    title, the line that filed the one before ("[FR Doc. 2020–17221 Filed 8–5–20; 8:45 am]", "BILLING CODE
    4910–13–P") the other's. Returns the block indexes where the later documents start."""
    starts: list[int] = []
    texts = [b.text for b in blocks]
    for i, b in enumerate(blocks):
        if not (b.kind == PARAGRAPH and i > 0 and _opens_preamble(texts, i)):
            continue
        j = i
        while j > 0 and blocks[j - 1].kind == HEADING and not _ENDS_DOCUMENT.match(blocks[j - 1].text.strip()):
            j -= 1
        if j == i or not any(_ENDS_DOCUMENT.match(x.text.strip()) for x in blocks[max(0, j - 3):j]):
            continue                    # the first document's own preamble, or headings that follow no filing
        for k in range(max(0, j - 3), j):
            if _ENDS_DOCUMENT.match(blocks[k].text.strip()):
                blocks[k] = replace(blocks[k], kind=FRONT)
        for k in range(j, i - 1):
            blocks[k] = replace(blocks[k], kind=FRONT)
        blocks[i - 1] = replace(blocks[i - 1], kind=TITLE)
        starts.append(j)
    return starts


def _page_date(page1: list[Line], size: float, edges: Edges, height: float) -> tuple[str, list[Line]]:
    """The date page 1 prints above its first line of prose (running lines included): a line that is only a
    date, or a part of a running head; and, when that line stands in the page's head (its top eighth), the
    block it closes there: the date line and the lines over it in its column (a gazette's masthead, "Federal
    Register / Vol. 85, No. 152 / Thursday, August 6, 2020", set above its third column), which is page
    furniture like a running head: left out of the text, so that the paragraph it stood in goes on."""
    prose = [ln.top for ln in page1 if _prose(ln, size, edges)]
    for ln in sorted(page1, key=lambda ln: ln.top):
        if prose and ln.top >= min(prose):
            break
        date = next((d for d in (parse_date(p.strip()) for p in _HEAD_PARTS.split(ln.plain)) if d), "")
        if date:
            head = [x for x in page1 if x.col == ln.col and x.top <= ln.top] if ln.bottom < height / 8 else []
            return date, head
    return "", []


_REFERENCE_DATE = re.compile(rf"^\s*[A-Z]{{1,6}}[ -]?\d[\d./-]*\s+[–—-]\s+((?:\d{{1,2}}\s+)?(?:{FULL_MONTH})\s+\d{{4}})\s*$")


def _reference_date(page1: list[Line]) -> str:
    """The date a cover prints beside the document's reference ("PE 760.390 – March 2024", a European
    Parliament briefing's foot), or ""."""
    for ln in page1:
        m = _REFERENCE_DATE.match(ln.plain)
        if m:
            return parse_date(m.group(1))
    return ""


def front_matter(lines: list[Line], size: float, edges: Edges, info: dict, printed1: list[Line] = (),
                 height1: float = 0.0) -> Front:
    """The front matter of a document whose body lines (reading order, running lines out) are `lines`;
    `printed1`: every line page 1 prints, its running lines too; `height1`: page 1's height."""
    out = Front()
    page1 = [ln for ln in lines if ln.page == lines[0].page] if lines else []
    if not page1:
        return out
    # a cover: no running text, but for a line in bold over type twice the body's ("United States Government
    # Accountability Office" over "REEXAMINING REGULATIONS …")
    cover = any(ln.size >= 2 * size for ln in page1)
    title_page = not any(_prose(ln, size, edges) and not (cover and ln.bold) for ln in page1)
    if title_page:
        zone = page1
    else:
        zone = []
        biggest = max((ln.size for ln in page1[:6] if not _WORDMARK.match(ln.plain)), default=0.0)
        first = next((i for i, ln in enumerate(page1[:6]) if ln.size == biggest), 0) if biggest >= 1.15 * size else 0
        # the publisher's and the series' names in bold or in capitals over the title ("U.S.-China Economic and
        # Security Review Commission", "Staff Research Backgrounder", a briefing's "BRIEFING"): short lines, no sentences
        named = page1[:first] if all((ln.bold or _capitals(ln.plain) and any(c.isupper() for c in ln.plain))
                                     and len(ln.plain.split()) <= 8 and not ln.plain.endswith(".")
                                     for ln in page1[:first]) else []
        for ln in page1:
            t = ln.plain
            if (ln.size >= 1.15 * size and ln.size == biggest and (not zone or zone[-1].size == ln.size
                                                                    or all(z in named or parse_date(z.plain) for z in zone))
                    or ln in named or parse_date(t) or BYLINE.match(t) and len(t) < 100 and not t.endswith((".", ","))):
                zone.append(ln)
                continue
            break
    contents = next((i for i, ln in enumerate(zone) if _CONTENTS.match(ln.plain)), None)
    if contents is not None:
        zone = zone[:contents]      # a table of contents and its entries are no title ("Contents", "1 Foo … 2")
    field_lines: list[Line] = []
    fields = labelled_fields(page1[:40], field_lines)
    title_info = str(info.get("Title") or "").strip()
    if JUNK_INFO.match(title_info):
        title_info = ""
    # the title: the largest type, larger than the body
    title_lines: list[Line] = []
    wordy = [ln for ln in zone if _wordy(ln)]
    # a wordmark ("GAO" beside "REEXAMINING REGULATIONS …", in the title's type or larger) is no title
    wordy = [ln for ln in wordy if not _WORDMARK.match(ln.plain)] or wordy
    if wordy:
        top = max(ln.size for ln in wordy)
        if top >= 1.15 * size:
            first = zone.index(next(ln for ln in wordy if ln.size == top))
            title_lines = [zone[first]]
            for ln in zone[first + 1:]:
                if ln.size != top:
                    if ln.x1 < min(t.x0 for t in title_lines):
                        continue            # a line in the column beside the title (a cover's date)
                    break
                title_lines.append(ln)
    stated = _stated_title(zone, title_info)
    if stated and not set(_norm(" ".join(ln.plain for ln in title_lines)).split()) & set(_norm(title_info).split()):
        title_lines = stated                 # the title the file states, printed on the cover below a series' name
    preamble = _preamble_title(page1)
    if preamble:
        title_lines = preamble
        zone = page1[:page1.index(preamble[-1]) + 1]      # the section's name, the agency, the docket
    if not title_lines and not title_info and title_page:
        title_lines = _bold_title(zone, size)
    if not title_lines and title_info:
        for ln in (zone or page1[:4]):
            if _norm(ln.plain) == _norm(title_info):
                title_lines = [ln]
                if ln not in zone:
                    zone = page1[:page1.index(ln) + 1]
                break
    subtitle = _subtitle(page1, title_lines, size)
    if subtitle:
        out.title = f"{_title_text([ln.plain for ln in title_lines]).rstrip(':')}: {subtitle.plain.strip()}"
        title_lines = title_lines + [subtitle]
        zone = zone if subtitle in zone else page1[:page1.index(subtitle) + 1]
    elif title_lines:
        out.title = _title_text([ln.plain for ln in title_lines])
    if title_lines:
        after = zone.index(title_lines[-1]) + 1 if title_lines[-1] in zone else len(zone)
        if after < len(zone) and _VOLUME.match(zone[after].plain):
            out.title += ", " + zone[after].plain.strip()
            title_lines.append(zone[after])
    for ln in zone:
        out.kinds[id(ln)] = TITLE if ln in title_lines else FRONT
        t = ln.plain
        if ln in title_lines:
            continue
        if not out.date:
            d, tm = parse_time_line(t)
            out.date, out.time = (d, tm) if d else (parse_date(t), "")
            if out.date:
                continue
        if not out.authors:
            out.authors = people(t)
    if not out.authors:
        out.authors, listed = _names_under_by(page1)
        for ln in listed:
            out.kinds.setdefault(id(ln), FRONT)
    if fields.get("title"):
        out.title = fields["title"]          # a form's own "Title:" beats the largest type
        for ln in field_lines:
            out.kinds[id(ln)] = TITLE if _FIELD.match(ln.plain.split("\t")[0]) is None or \
                _FIELD.match(ln.plain.split("\t")[0]).group(1).lower() in ("title", "report title", "subject") \
                else FRONT
    if fields.get("date") and parse_date(fields["date"]):
        out.date, out.time = parse_date(fields["date"]), ""
    if fields.get("authors") and not out.authors:
        # the field ends where another labelled credit begins ("Author: Angelos Delivorias – Graphics: Samy Chahri")
        value = _NEXT_CREDIT.split(fields["authors"])[0]
        out.authors = people(value) or [value]
    if not out.date:
        out.date, head = _page_date(list(printed1), size, edges, height1)
        out.masthead = {id(ln) for ln in head if id(ln) not in out.kinds}
    if not out.date:
        out.date = _reference_date(page1)
    out.publisher = fields.get("publisher", "")
    if not out.authors:
        out.authors = _printed_authors(str(info.get("Author") or "").strip(), page1, lines)
    if not out.authors:
        out.authors = _signers(lines)
    if len(out.date) == 7:
        out.date = _dateline(lines, out.date) or out.date
    for ln in _author_table(lines, out.authors, out.kinds):
        out.kinds[id(ln)] = FRONT
    return out


# the office of who signs a letter report: "Director, Strategic Issues", "Managing Director, …", "Comptroller General
# of the United States" (a GAO report is a letter to its requesters, signed at its end)
_SIGNER_TITLE = re.compile(r"^(?:(?:Managing|Acting|Associate|Deputy|Executive)\s+)?(?:Director,\s+\S|Comptroller General\b)")


def _signers(lines: list[Line]) -> list[str]:
    """The names that sign a letter report: a line that is one person's name and nothing else, over a line
    that opens with the signer's office ("David D. Bellis" over "Director, Education, Workforce, and Income
    Security Issues"), the first such in the document (the agencies' letters of comment, signed by their
    officials, come after the report's own letter), under the letter's last sentence (not the inside address
    under its date line), with the names signed beside it on the same line."""
    for i, ln in enumerate(lines[1:-1], 1):
        if not _SIGNER_TITLE.match(lines[i + 1].plain.strip()) or ln.page != lines[i + 1].page:
            continue
        if not lines[i - 1].plain.rstrip().endswith((".", ",", ".”", '."')):
            continue                # the inside address under a date line ("The Honorable …", "Director, …")
        names = [t.strip() for t in ln.plain.split("\t") if t.strip()]
        if names and all(_PEOPLE.match(t) and 2 <= len(t.split()) <= 5 for t in names):
            return names
    return []


def _dateline(lines: list[Line], month: str) -> str:
    """The day of a letter's date line in the month the cover names ("February 8, 2006" under a cover's
    "February 2006"): a line that is that full date and nothing else, on the document's first ten pages (a cover,
    its summary page and the contents come before the letter)."""
    first = lines[0].page if lines else 0
    for ln in lines:
        if ln.page > first + 9:
            break
        d = _date_only(ln.plain.strip())
        if len(d) == 10 and d.startswith(month):
            return d
    return ""


def _author_table(lines: list[Line], authors: list[str], kinds: dict[int, str]) -> list[Line]:
    """A block that lists the report's authors away from its front (a CRS report's "Author Information" on its
    last page): a line whose cells are each one of the authors' names, and the line under it that gives each a
    role in as many cells ("Specialist in International Trade and Finance"). Both are front matter, not
    passages: a name and a title state nothing an answer could quote."""
    names = {_norm(a) for a in authors}
    out: list[Line] = []
    for i, ln in enumerate(lines):
        cells = [c for c in ln.plain.split("\t") if c.strip()]
        if id(ln) in kinds or not cells or any(_norm(c) not in names for c in cells):
            continue
        out.append(ln)
        under = lines[i + 1] if i + 1 < len(lines) else None
        if under is not None and id(under) not in kinds and abs(under.size - ln.size) < 0.5 and not under.bold:
            roles = [c.strip() for c in under.plain.split("\t") if c.strip()]
            if len(roles) == len(cells) and all(len(r.split()) <= 10 and not r.endswith((".", ":", ";"))
                                                and r[:1].isupper() for r in roles):
                out.append(under)
    return out


def _printed_authors(author: str, page1: list[Line], lines: list[Line]) -> list[str]:
    """The document information's Author when the document prints it: all of it on page 1, or each name
    (two or more words) somewhere in the text (a CRS report's "Author Information" on its last page). A
    name the text never prints is the tool's user, not the report's author."""
    if not author or JUNK_INFO.match(author):
        return []
    names = [a.strip() for a in re.split(r"\s*(?:;|,|\band\b|&)\s*", author) if a.strip()]
    if _norm(author) in _norm(" ".join(ln.plain for ln in page1)):
        return names
    text = f" {_norm(' '.join(ln.plain for ln in lines))} "
    if names and all(len(n.split()) >= 2 and f" {_norm(n)} " in text for n in names):
        return names
    return []
