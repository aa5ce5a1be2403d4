"""`dossier bench --pdf`: the PDF figures are produced and well-formed (not how fast they are)."""
from __future__ import annotations

import pypdfium2 as pdfium
import pytest

from eval.bench.pdf import pdf_figures, render, repeated
from index.errors import UserInputError
from tests.ingest.pdf import fixtures as fx
from tests.ingest.pdf.test_reader import SEPT2, _spec


def test_pdf_figures_of_a_file_written_twice_over(tmp_path):
    data, ts = fx.build_pdf(_spec(SEPT2, header="ISW"), "reportlab")
    path = tmp_path / "sept2.pdf"
    path.write_bytes(data)
    assert repeated(path, 2, tmp_path / "twice.pdf") == 2 * ts.pages
    assert len(pdfium.PdfDocument(str(tmp_path / "twice.pdf"))) == 2 * ts.pages
    fig = pdf_figures(path, repeat=2, embed=False)
    assert fig["pages"] == 2 * ts.pages and fig["reports"] == 1 and fig["passages"] > 10
    assert fig["parse_seconds"] > 0 and fig["pages_per_second"] == pytest.approx(fig["pages"] / fig["parse_seconds"], rel=0.05)
    assert 10 < fig["peak_rss_mib"] < 2048 and "embed_seconds" not in fig
    assert "pages/s" in render(fig) and "peak memory" in render(fig)


def test_a_bad_file_is_one_line(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 not really")
    for path in (bad, tmp_path / "missing.pdf"):
        with pytest.raises(UserInputError) as e:
            pdf_figures(path, embed=False)
        assert str(path) in str(e.value) and "\n" not in str(e.value)
