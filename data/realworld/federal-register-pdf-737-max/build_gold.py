"""gold.json for the Federal Register 737 MAX NPRM, built with pdfminer.six by character size and position, not
with Dossier's readers (pypdfium2):

    python data/realworld/federal-register-pdf-737-max/build_gold.py \
        data/realworld/federal-register-pdf-737-max/federal-register-2020-17221.pdf > gold.json

- body text: 9 pt; a marker: a run of digits in 5.8-6.0 pt inside the body text;
- a note: a run of 4.4-4.7 pt digits at a column's left edge, its text the 7 pt characters that follow it in the
  same column down to the next note number (or the column's foot; a note going on at the foot of the next
  column before that column's first number is joined to it);
- columns: the page's three columns cut at x = 218 and 395 (the gutters of the page, measured).
Reading order: page, column, top to bottom, left to right."""
import json
import re
import sys

from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTChar

CUTS = (218.0, 395.0)


def col(x):
    return 0 if x < CUTS[0] else (1 if x < CUTS[1] else 2)


def kind(size, text='0'):
    if 8.9 <= size <= 9.1: return 'body'
    if 5.7 <= size <= 6.1: return 'marker' if text.isdigit() else None
    if 4.3 <= size <= 4.8: return 'noteno' if text.isdigit() else None
    if 6.9 <= size <= 7.1: return 'note'
    return None


def read(pdf, body_sizes=('body',)):
    """(marks, notes, text): every marker with the 200 characters of body text before it, every note
    {number: {'text', 'page', 'at'}}, and the body text page by page with markers as ⟦N⟧
    ([(page, text)]; tests/eval/test_realworld_questions.py checks questions against it)."""
    chars = []   # (page, col, -y (top down), x, size, text)
    for pno, page in enumerate(extract_pages(pdf, laparams=LAParams(char_margin=1.0, line_margin=0.2)), 1):
        def walk(o):
            if isinstance(o, LTChar):
                chars.append((pno, col((o.x0 + o.x1) / 2), -round(o.y0, 1), o.x0, round(o.size, 1), o.get_text(), o.x1))
            elif hasattr(o, '__iter__'):
                for c in o:
                    walk(c)
        for el in page:
            walk(el)

    def kind_of(size, text='0'):
        k = kind(size, text)
        return 'body' if k is None and 'rule' in body_sizes and 7.9 <= size <= 8.3 else k

    # lines: group by (page, col, baseline) with a tolerance; markers sit above the baseline, so give
    # each char its line by the nearest body/note baseline below it within 6 pt
    chars.sort(key=lambda c: (c[0], c[1], c[2], c[3]))
    stream = []   # (page, col, kind, text) in reading order, with spaces between words and lines
    by_pc = {}
    for c in chars:
        by_pc.setdefault((c[0], c[1]), []).append(c)
    for key in sorted(by_pc):
        cs = by_pc[key]
        base = sorted({c[2] for c in cs if kind_of(c[4]) in ('body', 'note')})
        def line_of(c):
            if kind_of(c[4]) in ('body', 'note', 'noteno'):
                near = [b for b in base if abs(b - c[2]) <= 1.5]
                if near: return near[0]
            below = [b for b in base if 0 <= b - c[2] <= 6]    # -y: a raised char has a smaller -y
            return below[0] if below else c[2]
        lines = {}
        for c in cs:
            lines.setdefault(line_of(c), []).append(c)
        for b in sorted(lines):
            row = sorted(lines[b], key=lambda c: c[3])
            prev = None
            for c in row:
                k = kind_of(c[4], c[5])
                if k is None: continue
                if prev is not None and c[3] - prev[6] > 1.2 and not (k == 'marker' and kind_of(prev[4], prev[5]) == 'marker'):
                    stream.append((key[0], key[1], 'space', ' '))
                stream.append((key[0], key[1], k, c[5]))
                prev = c
            stream.append((key[0], key[1], 'space', '\n'))

    # walk the stream
    notes, marks = {}, []
    body = ''
    text = {}           # page -> its body text, markers as ⟦N⟧
    cur = None          # the note being read
    last = None         # the last note begun
    i = 0
    while i < len(stream):
        p, cl, k, t = stream[i]
        if k == 'noteno':
            num = t
            while i + 1 < len(stream) and stream[i + 1][2] == 'noteno':
                i += 1; num += stream[i][3]
            cur = last = num
            notes[cur] = {'text': '', 'page': p, 'at': (p, cl)}
        elif k == 'note':
            lp, lc = notes[last]['at'] if last is not None else (0, 0)
            if cur is None and last is not None and (p, cl) in ((lp, lc + 1), (lp + 1, 0)):
                cur = last                                # a note going on at the next column's foot
                notes[cur]['text'] += ' '
            if cur is not None:
                notes[cur]['at'] = (p, cl)
            if cur is not None:
                notes[cur]['text'] += t
        elif k == 'marker':
            num = t
            while i + 1 < len(stream) and stream[i + 1][2] == 'marker':
                i += 1; num += stream[i][3]
            if len(num) <= 3:                            # "4910" of the billing code line is no marker
                marks.append((num, body[-200:]))
                text[p] = text.get(p, '') + f'\u27e6{num}\u27e7'
        elif k == 'body':
            body += t
            text[p] = text.get(p, '') + t
            cur = None if t.strip() else cur
        elif k == 'space':
            if cur is not None:
                notes[cur]['text'] += t
            body += ' '
            text[p] = text.get(p, '') + t
        i += 1
    return marks, notes, text


def clean(s):
    s = re.sub(r'-\s*\n\s*(?=[a-z])', '', s)     # a word hyphenated at a line end
    return re.sub(r'\s+', ' ', s).strip()


if __name__ == "__main__":
    marks, notes, _ = read(sys.argv[1])
    out = []
    for num, before in marks:
        n = notes.get(num)
        out.append({'n': int(num), 'note_visible': clean(n['text']) if n else '', 'redacted_fully': False,
                    'context_before': clean(before)[-200:], 'pdf_pages_found': [n['page']] if n else []})
    print(json.dumps({'marks': len(marks), 'notes': len(notes)}), file=sys.stderr)
    gold = {"source": "github.com/jsvine/pdfplumber @ 147f2c4c07dc1191fc1d05bb589b4f6af3aaf74a (tests/pdfs/"
                      "federal-register-2020-17221.pdf, added there in 84f91811): each note's text from the page-foot notes "
                      "(7 pt text after a 4.5 pt number, going on at the foot of the next column), context_before from the "
                      "9 pt body text before its 5.9 pt marker; read with pdfminer.six by character size and position "
                      "(build_gold.py beside this file), not with Dossier's readers (pypdfium2); every note's text and "
                      "context checked present, letters and digits only, in PDFium's own text of the file",
            # as the first page prints them: the rule's heading, the date; no author is named
            "title": "Airworthiness Directives; The Boeing Company Airplanes", "date": "2020-08-06", "authors": [],
            # the last page ends this document ("[FR Doc. 2020-17221 Filed …]") and opens the next, a Pilatus
            # directive, cut off where the file ends: two documents (read by eye, not by this script)
            "reports_in_file": 2,
            "pdf_pages": 15, "footnotes_total": len(out), "notes": out}
    json.dump(gold, sys.stdout, indent=1, ensure_ascii=False)
