"""Two texts that share an id (the same title and date; untitled and undated, the same opening
words) are merged as copies of one report, and only the longer body is indexed: the ingest says
so, naming both files, instead of dropping the shorter text in silence. Copies of one report in
two formats (the samples' blog dump and its re-export) are not named."""
from __future__ import annotations

from bot.render.terminal import format_ingest
from ingest.merge import different_copies, merge_reports
from ingest.report import parse_text

# an opening longer than the 400 characters that know an untitled, undated report (a shared disclaimer)
OPENING = ("This document is distributed to members of the research desk only. It reflects the assessments of "
           "its authors at the time of writing and not those of any government. Its judgments rest on open sources "
           "listed in its notes; where sources conflict, the notes say so. Readers should not forward it outside "
           "the desk without the written consent of the editors, who keep the list of its readers and answer "
           "questions about its sources at any time during working hours.\n\n")
FIRST = OPENING + ("Russian forces moved two battalions toward the border on Monday.[1] The move follows a week "
                   "of exercises near Brest. Officials in Minsk did not comment on the deployment.\n\n"
                   "[1] https://example.org/battalions\n")
SECOND = OPENING + ("Port traffic in the Gulf fell by half in March.[1] Shipping insurers raised their premiums "
                    "twice. Several carriers rerouted around the Cape of Good Hope, adding weeks to the voyage. "
                    "Fuel prices in Asia rose in response, and refiners drew down their stocks.\n\n"
                    "[1] https://example.org/ports\n")


def _reports(*texts: tuple[str, str]) -> list:
    out = []
    for name, text in texts:
        out += parse_text(text, name)[0]
    return out


def test_two_texts_with_one_id_are_named_not_merged_in_silence():
    reports = _reports(("a.txt", FIRST), ("b.txt", SECOND))
    assert len({r.id for r in reports}) == 1                # what report_id sees: the same opening
    different: list[dict] = []
    (merged,) = merge_reports(reports, different)
    assert merged.sources == ["a.txt", "b.txt"]
    kept, other = ("b.txt", "a.txt") if "Port traffic" in merged.text else ("a.txt", "b.txt")
    assert [(d["path"], d["kept"], d["report"]) for d in different] == [(other, kept, merged.id)]
    assert different[0]["shared"] < 0.5
    line = format_ingest({"seconds": 0.1, "added": 1, "updated": 0, "removed": 0, "unchanged": 0, "reports": 1,
                          "passages_embedded": 3, "failed": [], "different_copies": different})
    assert f"WARNING: {other} is read as a copy of an untitled, undated report" in line and kept in line


def test_copies_of_one_report_are_not_named():
    reports = _reports(("a.txt", FIRST), ("a-again.txt", FIRST.replace("did not comment", "declined to comment")))
    assert different_copies(reports) == []
    from tests.conftest import SAMPLES
    from ingest.read import read_report_file

    blog = _reports(*[(str(p), read_report_file(p)) for p in sorted(SAMPLES.iterdir())])
    different: list[dict] = []
    assert len(merge_reports(blog, different)) < len(blog) and different == []


def test_the_ingest_reports_them_first_and_on_an_update(tmp_path):
    from eval.bench.standin import StandInEncoder
    from index.config import Settings
    from ingest.pipeline import ingest

    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text(FIRST)
    (folder / "b.txt").write_text(SECOND)
    settings, enc = Settings(home=tmp_path / "home"), StandInEncoder()
    first = ingest([folder], settings, embedder=enc).to_dict()
    assert first["reports"] == 1 and [d["path"] for d in first["different_copies"]] == [str(folder / "a.txt")]
    (folder / "b.txt").write_text(SECOND.replace("fell by half", "fell by a third"))
    update = ingest([folder], settings, embedder=enc).to_dict()
    assert update["updated"] == 1 and [d["path"] for d in update["different_copies"]] == [str(folder / "a.txt")]
    assert ingest([folder], settings, embedder=enc).to_dict()["different_copies"] == []   # nothing read, nothing said
