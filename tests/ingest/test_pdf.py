

# ------------------------------------------------------------- more layouts, same answers
VARIANTS = [  # (report, writer, options): layouts that once broke the reader
    (SEPT17, "fpdf2", dict(columns=2, indent=12.0, page=(420.0, 640.0))),             # same note twice, same height
    (SEPT19, "reportlab", dict(columns=2, indent=12.0, notes_mode="foot-norule", page=(420.0, 640.0))),
    (SEPT2, "fpdf2", dict(columns=2, indent=12.0, notes_mode="end-numbered", page=(420.0, 640.0))),
    (SEPT2, "fpdf2", dict(notes_mode="end-numbered", indent=12.0, hyphenate=True)),    # `15.` alone on a line
    (AUG15, "reportlab", dict(columns=2, indent=12.0, notes_mode="foot-norule", page=(420.0, 480.0), hyphenate=True)),
    (SEPT17, "reportlab", dict(notes_mode="foot-norule", hyphenate=True)),
]


@pytest.mark.parametrize("variant", VARIANTS, ids=[f"{v[0][3]}-{v[1]}-{i}" for i, v in enumerate(VARIANTS)])
def test_layout_variants_give_the_gold_map_and_the_text_passages(tmp_path, variant):
    sample, writer, options = variant
    data, _ = fx.build_pdf(_spec(sample, header="Running Header", footer="{n}", **options), writer)
    path = tmp_path / "variant.pdf"
    path.write_bytes(data)
    (r,), _ = parse_text(read_report_file(path), path.name)
    gold = json.loads((GOLD / "footnotes" / f"{sample[3]}.json").read_text())
    assert set(r.markers) == set(gold["markers"])
    for marker, want in gold["markers"].items():
        note = r.notes[marker]
        assert note.status == want["status"], marker
        if want["status"] == "resolved":
            assert (note.urls, note.dngts_urls) == (want.get("urls", []), want.get("dngts_urls", [])), marker
    assert _squash(chunk_report(r)) == _squash(chunk_report(_text_report(sample)))
