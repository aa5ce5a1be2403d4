"""gold.json for the EPRS briefing "Recent threats in the Red Sea" (PE 760.390, March 2024, Angelos Delivorias),
built with pdfminer.six by character size and position, not with Dossier's readers:

    python eval/gold/extra/build_gold_eprs_red_sea.py CORPUS_DIR   (writes CORPUS_DIR/gold.json; the PDF in CORPUS_DIR)

The file's typesetting (measured, Myriad Pro throughout):
- body text 11.2 pt; headings 18.4 / 16.8 / 14.4 pt; running heads, figure sources 10.4 pt; figure titles 12 pt;
  page numbers 14.4 pt at the page's foot. Only lines whose main size is 11.2 pt are body text; anything else
  between two body lines breaks the context (kept as \x00 and written as a space).
- a marker: a run of 6.4 pt digits raised above an 11.2 pt body line (pp. 3-7; "7" sits before "Worse still",
  "10" and "11" end their paragraphs);
- the notes: one "ENDNOTES" section (14.4 pt heading) on p. 8, ended by the "DISCLAIMER AND COPYRIGHT" heading
  (14.4 pt); each note is 8.8 pt text after a raised 5.6 pt number. Notes 1-8 have their numbers in a text box
  of their own (pdfminer puts the column of numbers before the column of text), notes 9-11 have theirs at the
  start of the note's first line: so a note starts at the 8.8 pt line whose height takes in a number's middle.
Reading order: pdfminer's own layout order of the text boxes on each page; the endnotes by position, top down."""
import json
import os
import re
import sys
from collections import Counter

from pdfminer.high_level import extract_pages, extract_text
from pdfminer.layout import LAParams, LTChar, LTTextBox, LTTextLine

HERE = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))  # the corpus folder
PDF = os.path.join(HERE, 'red-sea-threats.pdf')
BODY = (10.9, 11.5)         # the body size, 11.2 pt
NOTE_TEXT = (8.5, 9.1)      # a note's text, 8.8 pt
NOTE_NUM = 7.0              # a note's number (5.6 pt) is smaller than this


def _lines(page):
    """The text lines of a page in layout order, each (LTTextLine, [(text, size, x0, y0, y1)])."""
    def boxes(o):
        for c in o:
            if isinstance(c, LTTextBox):
                yield c
            elif hasattr(c, '__iter__') and not isinstance(c, LTTextLine):
                yield from boxes(c)
    for box in boxes(page):
        for line in box:
            if not isinstance(line, LTTextLine):
                continue
            chars = []
            for c in line:
                if isinstance(c, LTChar):
                    chars.append((c.get_text(), round(c.size, 1), c.x0, c.y0, c.y1))
                elif chars and c.get_text() == ' ':         # a space pdfminer infers from a gap (LTAnno)
                    chars.append((' ',) + chars[-1][1:])
            if any(t.strip() for t, *_ in chars):
                yield line, chars


def _main(chars):
    return Counter(s for t, s, *_ in chars if t.strip()).most_common(1)[0][0]


def _join(a, b):
    """Two printed lines as one text: a line ending in a word's hyphen goes on without a space ("Indo-" "Pacific")."""
    a = a.rstrip()
    if not a:
        return b.lstrip()
    return a + b.lstrip() if re.search(r'\w-$', a) else a + ' ' + b.lstrip()


def _tail(context):
    return context[-200:].lstrip('\x00 ')


def read(pdf):
    marks, notes, meta = [], {}, {'title': [], 'author': None, 'date': None}
    body_plain = ''
    npages = 0
    for pno, page in enumerate(extract_pages(pdf, laparams=LAParams()), 1):
        npages = pno
        body_plain += '\x00'
        lines = list(_lines(page))
        end_top = end_bottom = None                     # the ENDNOTES section's extent on this page
        for line, chars in lines:
            t = line.get_text().strip()
            if t == 'ENDNOTES':
                end_top = line.y0
            elif t.startswith('DISCLAIMER') and end_top is not None:
                end_bottom = line.y1
        if end_top is not None and end_bottom is None:
            end_bottom = 0
        numbers, note_lines = [], []
        for line, chars in lines:
            size = _main(chars)
            text = ''.join(t for t, *_ in chars)
            if pno == 1:                                # the cover: title, author, date
                if size >= 22:
                    meta['title'].append(re.sub(r'\s+', ' ', text).strip())
                m = re.match(r'\s*Author:\s*(.+?)\s*[\u2013-]\s*Graphics', text)
                if m:
                    meta['author'] = m.group(1)
                m = re.search(r'PE [\d.]+ \u2013 (\w+) (\d{4})', text)
                if m:
                    meta['date'] = (m.group(1), m.group(2))
            if end_top is not None and end_bottom < line.y0 < end_top:     # the endnotes
                lead, i = '', 0
                while i < len(chars) and (chars[i][0].isdigit() and chars[i][1] < NOTE_NUM or not chars[i][0].strip()):
                    if chars[i][0].strip():
                        lead += chars[i][0]
                        mid = (chars[i][3] + chars[i][4]) / 2
                    i += 1
                if lead:
                    numbers.append((lead, mid))
                rest = ''.join(t for t, *_ in chars[i:])
                if rest.strip():
                    if not NOTE_TEXT[0] <= _main(chars[i:]) <= NOTE_TEXT[1]:
                        raise SystemExit(f'p{pno}: a line in the endnotes not in 8.8 pt: {rest!r}')
                    note_lines.append((line.y0, line.y1, rest))
                continue
            if not BODY[0] <= size <= BODY[1]:
                body_plain += '\x00'                    # a heading, running head, caption, page number
                continue
            base = Counter(round(y) for t, s, x, y, _ in chars if s == size and t.strip()).most_common(1)[0][0]
            plain, mark = [], ''
            for t, s, x, y, _ in chars + [('', size, 0, base, 0)]:
                if t.isdigit() and s < 0.75 * size and y > base + 1:
                    mark += t
                    continue
                if mark:
                    context = re.sub(r'[ \t\n]+', ' ', _join(body_plain, ''.join(plain)))
                    context = re.sub(r' ?\x00+ ?', '\x00', context).strip('\x00 ')
                    marks.append((mark, pno, _tail(context)))
                    plain.append('\x00')                # the plain text prints the marker's digits here
                    mark = ''
                plain.append(t)
            plain = ''.join(plain)
            body_plain = (body_plain + plain if body_plain.endswith('\x00') else _join(body_plain, plain))[-600:]
        # the endnotes top down: a note starts at the line whose height takes in its number's middle
        note_lines.sort(key=lambda l: -l[0])
        starts = {}
        for lead, mid in numbers:
            hit = [k for k, (y0, y1, _) in enumerate(note_lines) if y0 - 1 <= mid <= y1 + 1]
            if len(hit) != 1:
                raise SystemExit(f'p{pno}: note number {lead} placed on {len(hit)} lines')
            starts[hit[0]] = lead
        cur = None
        for k, (y0, y1, text) in enumerate(note_lines):
            if k in starts:
                cur = starts[k]
                if cur in notes:
                    raise SystemExit(f'note {cur} printed twice')
                notes[cur] = {'text': text.strip(), 'page': pno}
            elif cur is None:
                raise SystemExit(f'p{pno}: endnote text before any number: {text!r}')
            else:
                notes[cur]['text'] = _join(notes[cur]['text'], text)
    for n in notes.values():
        n['text'] = re.sub(r'\s+', ' ', n['text']).strip()
    return {'marks': marks, 'notes': notes, 'pages': npages, 'meta': meta}


def squash(s):
    return re.sub(r'[^0-9a-z]', '', s.lower())


MONTHS = 'January February March April May June July August September October November December'.split()

if __name__ == "__main__":
    got = read(PDF)
    out, pieces = [], []
    for label, page, before in got['marks']:
        n = got['notes'].get(label)
        out.append({'n': int(label), 'note_visible': n['text'] if n else '', 'redacted_fully': False,
                    'context_before': re.sub(r' *\x00 *', ' ', before).strip(),
                    'pdf_pages_found': [n['page']] if n else []})
        pieces.append(before.split('\x00'))
    # the check: every note's text and context_before in pdfminer's plain text of the file (letters and digits)
    # (the context in its contiguous pieces: a heading, a running head or a page number between two is not body text)
    plain = squash(extract_text(PDF))
    ok = [squash(g['note_visible']) in plain and all(squash(p) in plain for p in ps) for g, ps in zip(out, pieces)]
    for g, ps, good in zip(out, pieces, ok):
        if not good:
            print('NOT FOUND', g['n'], [p for p in ps if squash(p) not in plain], file=sys.stderr)
    labels = [m[0] for m in got['marks']]
    problems = []
    if [g['n'] for g in out] != list(range(1, 12)):
        problems.append(f'markers in reading order: {labels}')
    if sorted(got['notes'], key=int) != [str(i) for i in range(1, 12)]:
        problems.append(f'notes: {sorted(got["notes"], key=int)}')
    if any(not g['note_visible'] or not g['context_before'] for g in out):
        problems.append('an empty note or context')
    meta = got['meta']
    title = ': '.join(meta['title'])
    month, year = meta['date']
    print(json.dumps({'pages': got['pages'], 'marks': len(got['marks']), 'notes': len(got['notes']),
                      'unmatched': sorted(set(labels) ^ set(got['notes'])),
                      'found_in_plain_text': f'{sum(ok)} of {len(out)}', 'problems': problems}), file=sys.stderr)
    gold = {"source": "github.com/YonatanRA/AI_PPTX_Creator @ 94ae68c2 (pdfs/2024_BRIEFING.pdf): each note's text from "
                      "the ENDNOTES section on p. 8 (8.8 pt text after a raised 5.6 pt number, up to the 'DISCLAIMER AND "
                      "COPYRIGHT' heading), context_before from the 11.2 pt body text before its raised marker (6.4 pt "
                      "digits), each entry in reading order with its number as printed; read with pdfminer.six by "
                      "character size and position (build_gold.py beside this file), not with Dossier's reader; every "
                      "note's text and context checked present, letters and digits only, in pdfminer's plain "
                      "extract_text of the file",
            # the cover prints the title in 28 pt and the subtitle under it in 22.4 pt
            "title": title,
            # the cover prints "PE 760.390 – March 2024"
            "date": f'{year}-{MONTHS.index(month) + 1:02d}',
            # the cover: "Author: Angelos Delivorias – Graphics: Samy Chahri"
            "authors": [meta['author']],
            "pdf_pages": got['pages'], "footnotes_total": len(out), "notes": out}
    with open(os.path.join(HERE, 'gold.json'), 'w', encoding='utf-8') as f:
        json.dump(gold, f, indent=1, ensure_ascii=False)
        f.write('\n')
    if problems or not all(ok):
        sys.exit(1)
