"""gold.json for Brookings, "The Fentanyl Crisis: From Naloxone to Tariffs" (Vanda Felbab-Brown, 2025), built
with pdfminer.six by character size and position, not with Dossier's readers:

    python eval/gold/extra/build_gold_brookings_fentanyl.py CORPUS_DIR   # writes CORPUS_DIR/gold.json; the PDF in CORPUS_DIR

The file (InDesign, Inter, 42 pages, two columns) as measured:
- body text 10 pt in two columns (x0 about 60 and 317), headings 23 pt (section titles) and 12 pt (capital side
  heads), running feet 9 pt ("FOREIGN POLICY AT BROOKINGS 1" / "2 THE FENTANYL CRISIS: ..."): neither heads
  nor feet are body text; a few bullet paragraphs (page 12) start with a "■" glyph, left out;
- a marker is a run of 5.8 pt digits raised above a 10 pt body line ("on Chinese goods.3"), pp. 2-25;
- the notes are the "Endnotes" section (from page 26 to the page before "About the author"): each note's number
  a 10 pt line of digits of its own at the column's left edge (x0 about 60 / 317), its text 10 pt lines
  indented 30 pt (x0 about 90 / 347), the number level with the note's first line. A note runs on over
  columns and pages until the next number.
Reading order: on every page the left column top to bottom, then the right column (split at x = 300).
Lines are sorted by column, then baseline, then x0, so a note's number (level with its first line, further left)
comes before that line.
Line ends: pdfminer gives the printed hyphen of an InDesign break as a plain "-" (no soft hyphen; U+FFFE and
U+00AD are removed if any turn up). A line ending "-" is joined to the next without a space; the hyphen is
dropped where it breaks one word (the closed word occurs elsewhere in the file, or neither part is a word of
the file) and kept where it joins two words ("trade-deal", "2002-2022", the compound printed elsewhere);
a hyphen with a part under 2 characters either side ("u-s-", "crisis-2-5") or inside a UUID is kept (InDesign
breaks no word there); five breaks are decided by hand in BREAKS; a hyphen followed by a printed space
("domestic- or") is a real one and the space stays. A line ending inside a URL (the last word begins https:// or
www.) is joined without a space unless it ends in "," ";" ")" or ends in "." before a capital.
The check (written to stderr): notes numbered 1..N, no gap or repeat, N the number of distinct markers; every
note's text and context_before present (letters and digits only) in pdfminer's plain extract_text."""
import json
import os
import re
import sys
from collections import Counter

from pdfminer.high_level import extract_pages, extract_text
from pdfminer.layout import LAParams, LTChar, LTTextLine

HERE = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))  # the corpus folder
PDF = os.path.join(HERE, 'fentanyl-crisis.pdf')
BODY = 10.0
SPLIT = 300                 # x dividing the two columns
JUNK = '\ufffe\u00ad'
BULLET = '\u25a0'


def _lines(o):
    for c in o:
        if isinstance(c, LTTextLine):
            yield o, c
        elif hasattr(c, '__iter__'):
            yield from _lines(c)


def page_lines(pdf):
    """Per page: its lines in reading order, each {'chars': [(text, size, x0, y0)], 'x0', 'y', 'size', 'text'}."""
    pages = []
    for page in extract_pages(pdf, laparams=LAParams()):
        out = []
        for box, line in _lines(page):
            chars = []
            for c in line:
                if isinstance(c, LTChar):
                    t = ''.join(ch for ch in c.get_text() if ch not in JUNK)
                    if t:
                        chars.append((t, round(c.size, 1), c.x0, c.y0))
                elif chars and c.get_text() == ' ':          # a space pdfminer infers from a gap (LTAnno)
                    chars.append((' ',) + chars[-1][1:])
            ink = [c for c in chars if c[0].strip() and c[0] != BULLET]
            if not ink:
                continue
            size = Counter(c[1] for c in ink).most_common(1)[0][0]
            base = Counter(round(c[3]) for c in ink if c[1] == size).most_common(1)[0][0]
            out.append({'chars': chars, 'x0': ink[0][2], 'y': base, 'size': size, 'box': id(box),
                        'text': ''.join(c[0] for c in chars if c[0] != BULLET)})
        out.sort(key=lambda l: (l['x0'] >= SPLIT, -l['y'], l['x0']))
        pages.append(out)
    return pages


# line-end hyphens the rules below get wrong, decided by reading the page (and, in URLs, the real address)
BREAKS = {('allow', 'able'): False, ('under', 'took'): False, ('inward', 'looking'): True,
          ('trump', 'whitehouse'): False,           # https://trumpwhitehouse.archives.gov/...
          ('news', 'room'): False}                  # https://www.cbp.gov/newsroom/stats/...


class Joiner:
    """Joins printed lines; decides line-end hyphens by the file's own words."""

    def __init__(self, all_lines):
        words, text = Counter(), []
        for i, ln in enumerate(all_lines):
            t = ln.rstrip()
            toks = re.findall(r'[A-Za-z0-9]+', t)
            if t.endswith('-') and toks:
                toks = toks[:-1]                                # a fragment
            if i and all_lines[i - 1].rstrip().endswith('-') and not all_lines[i - 1].endswith('- ') and toks:
                toks = toks[1:]
            words.update(w.lower() for w in toks)
            text.append(t)
        self.words = words
        self.text = '\n'.join(text).lower()

    def keep_hyphen(self, a, b):
        """a ends in '-' (at a line end), b the next line: is the hyphen part of the text?"""
        m, n = re.search(r'([A-Za-z0-9]+)-$', a), re.match(r'([A-Za-z0-9]+)', b)
        if not m or not n:
            return True
        left, right = m.group(1), n.group(1)
        lo, ro = left.lower(), right.lower()
        if (lo, ro) in BREAKS:
            return BREAKS[lo, ro]
        if left.isdigit() and right.isdigit() or len(left) < 2 or len(right) < 2:
            return True                     # InDesign breaks no word before its 2nd letter or after its last 2
        whole = re.search(r'[0-9A-Za-z-]*$', a[:-1]).group(0) + '-' + re.match(r'[0-9A-Za-z-]*', b).group(0)
        if re.search(r'(?<![0-9a-f])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-f])', whole):
            return True                     # a UUID in a URL
        if self.words[lo + ro]:
            return False
        if re.search(r'(?<![a-z0-9])' + re.escape(lo + '-' + ro) + r'(?![a-z0-9])', self.text):
            return True
        return len(lo) > 1 and len(ro) > 1 and self.words[lo] > 0 and self.words[ro] > 0

    def join(self, a, b):
        b = b.strip()
        if not a.strip():
            return b
        if a.endswith('- ') or a.endswith('-\u00a0'):          # a printed space after the hyphen: "domestic- or"
            return a.rstrip() + ' ' + b
        a = a.rstrip()
        if not b:
            return a
        url = re.search(r'(?:https?://|www\.)\S*$', a)
        if url and not a.endswith((',', ';', ')', '-')) and not (a.endswith('.') and not re.match(r'[a-z0-9]', b)):
            return a + b                                        # a URL broken over lines
        if a.endswith('-'):
            return a + b if self.keep_hyphen(a, b) else a[:-1] + b
        return a + ' ' + b


def read(pdf):
    pages = page_lines(pdf)
    start = next(i for i, p in enumerate(pages) if any(l['size'] > 20 and l['text'].strip() == 'Endnotes' for l in p))
    end = next(i for i, p in enumerate(pages) if any(l['text'].strip() == 'About the author' for l in p))
    J = Joiner([l['text'] for p in pages for l in p if abs(l['size'] - BODY) < 0.3])

    # the body: markers and their context
    marks = []                  # (label, page, context pieces)
    body = ''                   # body text so far; \x00 where something else came between
    for pno in range(1, start + 1):
        body += '\x00'
        for ln in pages[pno - 1]:
            if abs(ln['size'] - BODY) > 0.3:                    # heading, side head, running foot
                body += '\x00'
                continue
            plain, mark = [], ''
            for t, s, x, y in ln['chars'] + [('', BODY, 0, ln['y'])]:
                if t.isdigit() and s < 0.75 * ln['size'] and y > ln['y'] + 1:
                    mark += t
                    continue
                if mark:
                    context = J.join(body, ''.join(plain)) if not body.endswith('\x00') else body + ''.join(plain)
                    context = re.sub(r'[ \t\n]+', ' ', context)
                    context = re.sub(r' ?\x00+ ?', '\x00', context).strip('\x00 ')
                    marks.append((mark, pno, context[-200:].lstrip('\x00 ')))
                    plain.append('\x00')
                    mark = ''
                if t == BULLET:
                    continue
                plain.append(t)
            plain = ''.join(plain)
            body = (body + plain.lstrip() if body.endswith('\x00') else J.join(body, plain))[-1000:]

    # the endnotes
    notes = {}                  # label -> {'text', 'page'}
    order, cur = [], None
    for pno in range(start + 1, end + 1):
        for ln in pages[pno - 1]:
            if abs(ln['size'] - BODY) > 0.3:
                continue
            text = ln['text']
            edge = 60 if ln['x0'] < SPLIT else 317
            m = re.match(r'\s*(\d+)(\s|$)', text)
            if m and ln['x0'] < edge + 15:
                cur = m.group(1)
                if cur in notes:
                    raise SystemExit(f'note {cur} printed twice')
                notes[cur] = {'text': '', 'page': pno, 'pieces': []}
                order.append(cur)
                text = text[m.end():]
                if not text.strip():
                    continue
            if cur is None:
                raise SystemExit(f'text before the first note number on page {pno}: {text!r}')
            # for the check: the note's text in the pieces pdfminer's layout keeps together (its text boxes)
            if not notes[cur]['pieces'] or notes[cur]['pieces'][-1][0] != ln['box']:
                notes[cur]['pieces'].append([ln['box'], ''])
            notes[cur]['pieces'][-1][1] += text
            notes[cur]['text'] = J.join(notes[cur]['text'], text) if notes[cur]['text'] else text.strip()
    for n in notes.values():
        n['pieces'] = [t for _, t in n['pieces']]
        n['text'] = re.sub(r'\s+', ' ', n['text']).strip()
    return marks, notes, order, len(pages)


def squash(s):
    return re.sub(r'[^0-9a-z]', '', s.lower())


if __name__ == '__main__':
    marks, notes, order, npages = read(PDF)
    out, pieces = [], []
    for label, page, before in marks:
        n = notes.get(label)
        out.append({'n': int(label), 'note_visible': n['text'] if n else '', 'redacted_fully': False,
                    'context_before': re.sub(r' *\x00 *', ' ', before).strip(),
                    'pdf_pages_found': [n['page']] if n else []})
        pieces.append(before.split('\x00') + (n['pieces'] if n else []))

    # the check
    labels = [m[0] for m in marks]
    N = len(order)
    problems = []
    if [int(x) for x in order] != list(range(1, N + 1)):
        problems.append(f'notes not numbered 1..N: {order}')
    if len(set(labels)) != N or sorted(set(int(x) for x in labels)) != list(range(1, N + 1)):
        problems.append(f'markers: {len(labels)}, distinct {len(set(labels))}, notes {N}; '
                        f'missing {sorted(set(order) - set(labels), key=int)}, extra {sorted(set(labels) - set(order), key=int)}')
    if [int(x) for x in labels] != sorted(int(x) for x in labels):
        problems.append('markers not in rising order')
    plain = squash(extract_text(PDF))
    found = 0
    for g, ps in zip(out, pieces):
        # (a note over two columns or pages, a context over an earlier marker or a heading: in its pieces)
        ok = g['note_visible'] and all(squash(p) in plain for p in ps)
        n = notes[str(g['n'])]
        ok = ok and squash(g['note_visible']) == ''.join(squash(p) for p in n['pieces'])
        found += bool(ok)
        if not ok:
            problems.append(f"note {g['n']} not found in plain text")
    print(json.dumps({'pdf_pages': npages, 'markers': len(labels), 'distinct_markers': len(set(labels)),
                      'notes': N, 'found_in_plain_text': f'{found} of {len(out)}', 'problems': problems},
                     ensure_ascii=False), file=sys.stderr)

    gold = {"source": "github.com/jasonlemming/Hearing-Database @ 4dfaef2c "
                      "(data/pdfs/brookings/the-fentanyl-crisis-from-naloxone-to-tariffs.pdf): each note's text from "
                      "the Endnotes section (pp. 26-40: 10 pt lines after a note number printed at the column's left "
                      "edge), context_before from the 10 pt body text before its raised marker (5.8 pt digits); "
                      "running feet, headings and side heads left out; one numbering 1-N, each entry in reading order "
                      "with its number as printed; read with pdfminer.six by type size and position (build_gold.py "
                      "beside this file), not with Dossier's reader; every note's text and context checked present, "
                      "letters and digits only, in pdfminer's plain extract_text of the file",
            "title": "The Fentanyl Crisis: From Naloxone to Tariffs",
            "date": "",             # the file prints no date (cover, About the author, Disclaimer: none)
            "authors": ["Vanda Felbab-Brown"],
            "pdf_pages": npages, "footnotes_total": len(out), "notes": out}
    with open(os.path.join(HERE, 'gold.json'), 'w', encoding='utf-8') as f:
        json.dump(gold, f, indent=1, ensure_ascii=False)
        f.write('\n')
