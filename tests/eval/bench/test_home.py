"""eval.bench.home's edges: a user mistake is one line naming what is wrong, before any step runs."""
from __future__ import annotations

import pytest

from eval.bench import home as bench_home


def test_a_missing_home_is_named(tmp_path):
    with pytest.raises(SystemExit) as e:
        bench_home.main(["home", str(tmp_path / "nope"), str(tmp_path), str(tmp_path / "w"), "embedded"])
    assert str(e.value) == f"eval.bench.home: {tmp_path / 'nope'}: no such folder"


def test_an_unknown_step_is_named(tmp_path):
    with pytest.raises(SystemExit) as e:
        bench_home.main(["home", str(tmp_path), str(tmp_path), str(tmp_path / "w"), "embeded"])
    assert "unknown step embeded" in str(e.value)
    assert not (tmp_path / "w").exists()

