"""The ingest job: report files in, reports with footnotes and passages out (written through index/)."""
