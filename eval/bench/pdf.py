"""PDF reading speed and memory: pages per second, peak memory, and parse time against the time
the bundled model takes to embed the same file's passages.

    python -m eval.bench.pdf FILE.pdf [--repeat N] [--no-embed] [--json]
    dossier bench --pdf FILE.pdf

The file is parsed in a child process (imports done before the clock starts) so its peak
memory is the parse's own (VmHWM of the child, eval/bench/proc.py), not this process's with
a model loaded. `--repeat N` first writes the file N times over into one PDF (pypdfium2 page
import) and measures that: the 1,000-page case is a 192-page report five times.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from eval.bench.proc import python_cmd, run_measured


def repeated(src: Path, times: int, dst: Path) -> int:
    """Write `src` `times` times over into `dst`; returns the page count."""
    import pypdfium2 as pdfium

    out = pdfium.PdfDocument.new()
    one = pdfium.PdfDocument(str(src))
    try:
        for _ in range(times):
            out.import_pages(one)
        out.save(str(dst))
        return len(out)
    finally:
        one.close()
        out.close()


def _child(path: Path) -> None:
    """Parse one PDF as ingest does; print pages, seconds and the passages' texts as JSON."""
    import pypdfium2 as pdfium

    from index.errors import ReportReadError
    from ingest.chunk import chunk_report
    from ingest.read import read_report_file
    from ingest.report import parse_text

    t0 = time.perf_counter()
    try:
        reports, _ = parse_text(read_report_file(path), path.name)
    except ReportReadError as e:
        print(e.reason, file=sys.stderr)
        sys.exit(1)
    seconds = time.perf_counter() - t0
    pdf = pdfium.PdfDocument(str(path))
    pages = len(pdf)
    pdf.close()
    texts = [p.text for r in reports for p in chunk_report(r)]
    print(json.dumps({"pages": pages, "parse_seconds": seconds, "reports": len(reports), "texts": texts}))


def pdf_figures(path: Path, *, repeat: int = 1, embed: bool = True) -> dict:
    """Speed and memory of reading one PDF: pages, parse seconds, pages/s, the child's peak
    memory in MiB, passages, and (with `embed`) the seconds the bundled model takes to embed
    them and parse ÷ embed."""
    from index.errors import UserInputError

    if not path.is_file():
        raise UserInputError(f"{path}: no such PDF file")
    with tempfile.TemporaryDirectory() as tmp:
        target = path
        if repeat > 1:
            target = Path(tmp) / f"{path.stem}-x{repeat}.pdf"
            repeated(path, repeat, target)
        m = run_measured(python_cmd("eval.bench.pdf", "--child", str(target)))
    if m.returncode != 0:
        raise UserInputError(f"{path}: {m.stderr.strip().splitlines()[-1] if m.stderr.strip() else 'cannot be read'}")
    child = json.loads(m.stdout.strip().splitlines()[-1])
    out = {"file": str(path), "repeat": repeat, "pages": child["pages"], "reports": child["reports"],
           "parse_seconds": round(child["parse_seconds"], 2),
           "pages_per_second": round(child["pages"] / child["parse_seconds"], 1),
           "peak_rss_mib": round(m.peak_rss / 2**20), "passages": len(child["texts"])}
    if embed and child["texts"]:
        from index.config import Settings
        from index.encode.embed import load_sentence_transformer

        model = load_sentence_transformer(Settings())
        model.encode(child["texts"][:8])
        t0 = time.perf_counter()
        model.encode(child["texts"], normalize_embeddings=True, batch_size=64)
        out["embed_seconds"] = round(time.perf_counter() - t0, 2)
        out["parse_over_embed"] = round(child["parse_seconds"] / out["embed_seconds"], 3)
    return out


def render(fig: dict) -> str:
    lines = [f"PDF {fig['file']}" + (f" ×{fig['repeat']}" if fig["repeat"] > 1 else ""),
             f"  pages {fig['pages']}, reports {fig['reports']}, passages {fig['passages']}",
             f"  parse {fig['parse_seconds']} s = {fig['pages_per_second']} pages/s; peak memory {fig['peak_rss_mib']} MiB"]
    if "embed_seconds" in fig:
        lines.append(f"  embedding its passages {fig['embed_seconds']} s; parse ÷ embed = {fig['parse_over_embed']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pdf", type=Path)
    ap.add_argument("--repeat", type=int, default=1, help="measure the file written N times over into one PDF")
    ap.add_argument("--no-embed", action="store_true", help="skip the embedding comparison")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        _child(args.pdf)
        return 0
    fig = pdf_figures(args.pdf, repeat=args.repeat, embed=not args.no_embed)
    print(json.dumps(fig, indent=1) if args.json else render(fig))
    return 0


if __name__ == "__main__":
    sys.exit(main())
