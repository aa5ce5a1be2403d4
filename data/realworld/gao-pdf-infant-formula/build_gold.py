"""gold.json for GAO-06-282 (Breastfeeding, February 2006), built with pdfminer.six by character size and
position, not with Dossier's readers (pypdfium2):

    python data/realworld/gao-pdf-infant-formula/build_gold.py \
        data/realworld/gao-pdf-infant-formula/gao-06-282.pdf > gold.json

The file has two typesettings (measured):
- the letter and appendixes II-IV: Century Book, body 11 pt, a marker a run of 5.5 pt digits raised in a body
  line, a note the 9 pt lines after a 5.5 pt number at the page's foot;
- the briefing slides of appendix I: Helvetica/Arial, body 9-13.5 pt (slide text), slide titles 14.9 pt bold,
  a marker a run of 6.8 pt digits raised in a body line, a note the 7.5 pt lines after a 5.2 pt number at the
  slide's foot. The "Note:" paragraphs under figures have no number and are no notes: those in 7.5 pt are
  left out, the one in 9 pt (PDF page 12) and page 19's 9 pt "Source:" line are read as slide text; the
  figures themselves are images without text.
Three numberings: the letter's note 1, the slides' notes 1-18, appendix III's notes 1-2. A note is keyed as
eval.formats.marker_keys keys a restarted label: the k-th note printed "1" is "1#k" ("1", "1#2", "1#3").
Headings: lines set at 14.5 pt or more (appendix titles 27 pt, side heads 17 pt, slide titles 14.9 pt; a title
over several lines is one heading); the letter pages print none, so the letter is put under "Letter", its name
in the contents. Running heads and page feet (8 pt) and other text under 9 pt are not body text.
Reading order: pdfminer's own layout order of the text boxes on each page (a slide's two columns stay apart)."""
import json
import re
import sys
from collections import Counter

from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTChar, LTTextBox, LTTextLine

HEADING = 14.5          # this size and up: a heading
BODY = 9.0              # this size and up (below HEADING): body text
LETTER_STARTS = 3       # the PDF page the letter begins on (its pages print no heading)
BULLETS = ('(cid:127)', '\u2022')     # the bullet glyph as pdfminer names it, and a real bullet


def _lines(page):
    """The text lines of a page in layout order, each a list of (text, size, font, x0, y0)."""
    def boxes(o):
        for c in o:
            if isinstance(c, LTTextBox):
                yield c
            elif hasattr(c, '__iter__') and not isinstance(c, LTTextLine):
                yield from boxes(c)
    for box in boxes(page):
        first = True
        for line in box:
            if not isinstance(line, LTTextLine):
                continue
            chars = []
            for c in line:
                if isinstance(c, LTChar):
                    chars.append((c.get_text(), round(c.size, 1), c.fontname, c.x0, c.y0))
                elif chars and c.get_text() == ' ':         # a space pdfminer infers from a gap (LTAnno)
                    chars.append((' ',) + chars[-1][1:])
            if any(t.strip() and t not in BULLETS for t, *_ in chars):
                yield first, chars
                first = False


def _chars(o):
    for c in o:
        if isinstance(c, LTChar):
            yield c
        elif hasattr(c, '__iter__'):
            yield from _chars(c)


def _main(chars):
    return Counter(s for t, s, *_ in chars if t.strip() and t not in BULLETS).most_common(1)[0][0]


def _after(chars, lead):
    """The index of the first character after a note line's number."""
    i, got = 0, ''
    while got != lead:
        if chars[i][0].isdigit():
            got += chars[i][0]
        i += 1
    return i


def _tail(context):
    """The last 200 characters of body text (the \x00 between pieces kept, counted as a space)."""
    out, n = [], 0
    for c in reversed(context):
        if n == 200:
            break
        out.append(c)
        n += 1
    return ''.join(reversed(out)).lstrip('\x00 ')


def _join(a, b):
    """Two printed lines as one text: a line ending in a hyphen goes on without a space ("non-" "WIC")."""
    a = a.rstrip()
    if not a:
        return b.lstrip()
    return a + b.lstrip() if a.endswith('-') else a + ' ' + b.lstrip()


def read(pdf):
    """{'marks': [(key, label, page, context)], 'notes': {key: {'label', 'text', 'page'}}, 'stream': the body
    text with markers as ⟦key⟧, headings as ⟦H …⟧ and paragraphs on lines, 'pages': each page's body and note
    text (markers left out)}. tests/eval/test_realworld_questions.py checks the questions against it."""
    marks, notes, pages = [], {}, []
    stream = []                 # pieces of the body stream
    body_plain = ''             # the body text so far, no headings, no markers (for context_before); \x00 where
                                # something else (a heading, a note, a figure's text, a page foot) came between
    seen_mark, seen_note = Counter(), Counter()
    para = False                        # a body paragraph is open (it may go on over a page)
    for pno, page in enumerate(extract_pages(pdf, laparams=LAParams()), 1):
        page_text = []
        body_plain += '\x00'
        if pno == LETTER_STARTS:
            stream.append('\n\u27e6H Letter\u27e7\n')
            para = False
        bullets = [(c.x0, c.y0) for c in _chars(page) if c.get_text() in BULLETS]
        prev_y = None                   # the baseline of the page's last body line
        cur, cur_size = None, None      # the note being read on this page
        last_head = None                # (size, index in stream) of a heading being continued
        for first, chars in _lines(page):
            size = _main(chars)
            text = ''.join(t for t, *_ in chars if t not in BULLETS)
            lead = ''
            for t, s, *_ in chars:
                if t.isdigit() and s < size - 1:
                    lead += t
                elif t.strip() and t not in BULLETS or lead:
                    break
            if lead and size <= 9.5:                    # a note's number: a new note
                seen_note[lead] += 1
                cur = lead if seen_note[lead] == 1 else f'{lead}#{seen_note[lead]}'
                cur_size = size
                rest = ''.join(chars[i][0] for i in range(len(chars)) if i >= _after(chars, lead))
                notes[cur] = {'label': lead, 'text': rest.strip(), 'page': pno}
                page_text.append(rest)
                last_head = None
                body_plain += '\x00'
                continue
            if cur is not None and abs(size - cur_size) < 0.3:
                notes[cur]['text'] = _join(notes[cur]['text'], text)    # a note's next line
                page_text.append(text)
                continue
            if size < BODY:
                body_plain += '\x00'
                continue                                # a page foot, chart or table text, a figure's note
            cur = None
            if size >= HEADING:
                t = re.sub(r'\s+', ' ', text).strip()
                if last_head and last_head[0] == size and not first:
                    stream[last_head[1]] = stream[last_head[1]][:-2] + ' ' + t + '\u27e7\n'
                else:
                    stream.append(f'\n\u27e6H {t}\u27e7\n')
                    last_head = (size, len(stream) - 1)
                page_text.append(t + ' ')
                para = False
                body_plain += '\x00'
                continue
            last_head = None
            # a body line: markers are digits set smaller than the line and raised above its baseline
            base = Counter(round(y) for t, s, f, x, y in chars if s == size and t.strip()).most_common(1)[0][0]
            out, plain, mark = [], [], ''
            for t, s, f, x, y in chars + [('', size, '', 0, base)]:
                if t.isdigit() and s < 0.75 * size and y > base + 1:
                    mark += t
                    continue
                if mark:
                    seen_mark[mark] += 1
                    key = mark if seen_mark[mark] == 1 else f'{mark}#{seen_mark[mark]}'
                    context = re.sub(r'[ \t\n]+', ' ', _join(body_plain, ''.join(plain)))
                    context = re.sub(r' ?\x00+ ?', '\x00', context).strip('\x00 ')
                    marks.append((key, mark, pno, _tail(context)))
                    out.append(f'\u27e6{key}\u27e7')
                    plain.append('\x00')              # the plain text prints the marker's digits here
                    mark = ''
                if t in BULLETS:
                    continue
                out.append(t)
                plain.append(t)
            line, plain = ''.join(out), ''.join(plain)
            # a new paragraph: after a heading, at a bullet (the glyph may be a line of its own), after a gap
            # wider than a line and a half, where the text goes up the page (the next column of a slide); on a
            # new page, where the last paragraph ended a sentence
            x0 = min(x for t, s, f, x, y in chars if t.strip() and t not in BULLETS)
            bullet = any(abs(by - base) < 3 and bx < x0 + 1 for bx, by in bullets)
            if prev_y is None:
                new = not para or stream[-1].rstrip()[-1:] in '.:?!;'
            else:
                new = not para or prev_y - base > 1.7 * size or base > prev_y + 2
            if new or bullet:
                stream.append('\n' + line.strip())
            else:
                stream[-1] = _join(stream[-1], line)
            para, prev_y = True, base
            body_plain = (body_plain + plain if body_plain.endswith('\x00') else _join(body_plain, plain))[-600:]
            page_text.append(plain.replace('\x00', '') + ' ')
        pages.append(re.sub(r'\s+', ' ', ' '.join(page_text)).strip())
    for n in notes.values():
        n['text'] = re.sub(r'\s+', ' ', n['text']).strip()
    return {'marks': marks, 'notes': notes, 'stream': ''.join(stream), 'pages': pages}


def squash(s):
    return re.sub(r'[^0-9a-z]', '', s.lower())


if __name__ == "__main__":
    from pdfminer.high_level import extract_text

    got = read(sys.argv[1])
    out, pieces = [], []
    for key, label, page, before in got['marks']:
        n = got['notes'].get(key)
        out.append({'n': int(label), 'note_visible': n['text'] if n else '', 'redacted_fully': False,
                    'context_before': re.sub(r' *\x00 *', ' ', before).strip(), 'pdf_pages_found': [n['page']] if n else []})
        pieces.append(before.split('\x00'))
    # the check: every note's text and context_before in pdfminer's plain text of the file (letters and digits)
    # (the context in its contiguous pieces: a heading, a note or a page foot between two is not body text)
    plain = squash(extract_text(sys.argv[1]).replace('(cid:127)', ''))
    found = sum(1 for g, ps in zip(out, pieces) if squash(g['note_visible']) in plain
                and all(squash(p) in plain for p in ps))
    for g, ps in zip(out, pieces):
        if not (squash(g['note_visible']) in plain and all(squash(p) in plain for p in ps)):
            print('NOT FOUND', g['n'], [p for p in ps if squash(p) not in plain], file=sys.stderr)
    print(json.dumps({'marks': len(got['marks']), 'notes': len(got['notes']),
                      'unmatched': sorted(set(k for k, *_ in got['marks']) ^ set(got['notes'])),
                      'found_in_plain_text': f'{found} of {len(out)}'}), file=sys.stderr)
    gold = {"source": "github.com/jeremyschlatter-intern/gao-reports-reader @ 8a043f2c46b797ee17031bfb05a277f17565d9a6 "
                      "(data/pdfs/gao-06-282.pdf, blob 39f9c5c3, last changed there in 24fe7b56): each note's text from "
                      "the page-foot notes (the letter's and appendix III's 9 pt text after a 5.5 pt number, the briefing "
                      "slides' 7.5 pt text after a 5.2 pt number), context_before from the body text before its raised "
                      "marker (5.5 pt digits in the 11 pt letter, 6.8 pt in the slides); three numberings (the letter's "
                      "note 1, the slides' 1-18, appendix III's 1-2), each entry in reading order with its number as "
                      "printed; read with pdfminer.six by character size and position (build_gold.py beside this file), "
                      "not with Dossier's readers (pypdfium2); every note's text and context checked present, letters "
                      "and digits only, in pdfminer's plain extract_text of the file",
            # the title as the cover prints it (its subject line in capitals, as GAO sets it). The cover prints
            # "February 2006" only; the letter inside is dated February 8, 2006: that day is the date
            "title": "BREASTFEEDING: Some Strategies Used to Market Infant Formula May Discourage Breastfeeding; "
                     "State Contracts Should Better Protect against Misuse of WIC Name",
            "date": "2006-02-08",
            # no author on the cover; the letter is signed by the director who is its contact
            "authors": ["David D. Bellis"],
            "pdf_pages": len(got['pages']), "footnotes_total": len(out), "notes": out}
    json.dump(gold, sys.stdout, indent=1, ensure_ascii=False)
