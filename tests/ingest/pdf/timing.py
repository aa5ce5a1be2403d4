"""PDF parse time per page, against the time to embed the same reports' passages.

    python -m tests.ingest.pdf.timing [--pages N]

Writes the test layouts (tests/ingest/pdf/test_reader.py LAYOUTS) to a temporary folder, parses each
once (imports and model load kept out of the timings), embeds all their passages with the
bundled model, and prints pages/s and the parse/embed ratio. `--pages N` also times one long
PDF of about N pages (the September 2 report's body repeated) with its peak memory.
"""
from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=0)
    args = ap.parse_args()
    import ingest.build  # noqa: F401 - imported before timing
    import ingest.pdf.reader  # noqa: F401
    from ingest.chunk import chunk_report
    from ingest.read import read_report_file
    from ingest.report import parse_text
    from tests.ingest.pdf import fixtures as fx
    from tests.ingest.pdf.test_reader import LAYOUTS, SEPT2, _spec

    tmp = Path(tempfile.mkdtemp())
    pages = seconds = 0.0
    texts: list[str] = []
    for name, (sample, writer, options) in LAYOUTS.items():
        data, ts = fx.build_pdf(_spec(sample, **options), writer)
        path = tmp / f"{name}.pdf"
        path.write_bytes(data)
        t0 = time.perf_counter()
        reports, _ = parse_text(read_report_file(path), path.name)
        dt = time.perf_counter() - t0
        pages += ts.pages
        seconds += dt
        texts += [p.text for r in reports for p in chunk_report(r)]
        print(f"{name:36s} {ts.pages:3d} pages {dt:6.3f} s {1000 * dt / ts.pages:6.1f} ms/page")
    print(f"all: {pages:.0f} pages in {seconds:.2f} s = {pages / seconds:.1f} pages/s; {len(texts)} passages")
    from index.config import Settings
    from index.encode.embed import load_sentence_transformer

    model = load_sentence_transformer(Settings())
    model.encode(texts[:8])
    t0 = time.perf_counter()
    model.encode(texts, normalize_embeddings=True, batch_size=64)
    embed = time.perf_counter() - t0
    print(f"embedding those passages: {embed:.2f} s; parse / embed = {seconds / embed:.2f}")
    if args.pages:
        spec = _spec(SEPT2, header="ISW", hyphenate=True)
        spec.paras = spec.paras[:3] + spec.paras[3:] * max(1, round(args.pages / 2.7))
        data, ts = fx.build_pdf(spec, "reportlab")
        path = tmp / "long.pdf"
        path.write_bytes(data)
        t0 = time.perf_counter()
        parse_text(read_report_file(path), path.name)
        dt = time.perf_counter() - t0
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"long PDF: {ts.pages} pages, {len(data) / 1e6:.1f} MB, parsed in {dt:.1f} s "
              f"({ts.pages / dt:.1f} pages/s); process peak RSS {rss:.0f} MB (model loaded)")


if __name__ == "__main__":
    main()
