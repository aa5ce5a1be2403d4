"""A PDF to reports: reader.py (the entry, pdfplumber) over layout (lines, superscripts, columns), text
(paragraphs), notes (page-bottom and endnote sections) and pages. May import the rest of ingest and index/."""
