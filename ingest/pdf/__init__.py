"""A PDF to reports: reader.py (the entry) over chars (PDFium: characters, fonts, links, rules,
page labels, outline), layout (lines, superscripts, columns, running lines), areas (body, notes,
endnote sections), text (paragraphs), notes, front (title page), structure (the Document) and
pages (for the text route). May import the rest of ingest and index/."""
