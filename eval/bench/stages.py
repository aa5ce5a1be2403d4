"""One ingest, profiled stage by stage: where its time goes and what memory each stage holds.

cProfile hides memory and slows Python code more than Chroma's or numpy's; this samples the
ingest's thread every `every` seconds instead: the process's RSS and the innermost functions of
our own code on its stack. A stage is the innermost own function (and its caller); its span is
from its first to its last sample. A stage inside Chroma's Rust core or a long numpy call holds
the interpreter lock, so no sample falls in it: its time is the gap between the samples around it.

    python -m eval.bench.stages HOME PATH...    (the stand-in encoder; docs/scale.md, round 4)
"""
from __future__ import annotations

import json
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

OWN = ("/index/", "/ingest/", "/eval/")          # what counts as our code on a stack


@dataclass
class Stage:
    name: str
    samples: int = 0
    first: float = 0.0
    last: float = 0.0
    peak_mib: int = 0

    def to_dict(self) -> dict:
        return {"stage": self.name, "span_s": round(self.last - self.first, 2), "samples": self.samples,
                "first_s": round(self.first, 2), "peak_mib": self.peak_mib}


@dataclass
class Profile:
    seconds: float = 0.0
    peak_mib: int = 0
    stages: dict[str, Stage] = field(default_factory=dict)
    timeline: list[tuple[float, int, str]] = field(default_factory=list)     # (s, RSS MiB, stage)
    result: Any = None

    def top(self, n: int = 20) -> list[Stage]:
        return sorted(self.stages.values(), key=lambda s: -(s.last - s.first))[:n]


def rss_mib() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    return 0


def _stage(frame: Any, root: str) -> str:
    own = []
    while frame is not None and len(own) < 2:
        name = frame.f_code.co_filename
        if name.startswith(root) and "/.venv/" not in name and any(p in name for p in OWN) \
                and not name.endswith("/stages.py"):
            own.append(f"{Path(name).stem}.{frame.f_code.co_qualname}")
        frame = frame.f_back
    return " < ".join(own) or "(outside our code)"


def profile(run: Callable[[], Any], every: float = 0.05) -> Profile:
    """Call `run()` in this thread, sampled every `every` s from another one."""
    root = str(Path(__file__).resolve().parents[2])
    me = threading.get_ident()
    out = Profile()
    done = threading.Event()
    t0 = time.monotonic()

    def sample() -> None:
        while not done.is_set():
            frame = sys._current_frames().get(me)
            t, mib = time.monotonic() - t0, rss_mib()
            name = _stage(frame, root) if frame is not None else "(none)"
            st = out.stages.get(name)
            if st is None:
                st = out.stages[name] = Stage(name, first=t)
            st.samples, st.last, st.peak_mib = st.samples + 1, t, max(st.peak_mib, mib)
            out.peak_mib = max(out.peak_mib, mib)
            out.timeline.append((round(t, 2), mib, name))
            done.wait(every)

    thread = threading.Thread(target=sample, name="stage-sampler", daemon=True)
    thread.start()
    try:
        out.result = run()
    finally:
        done.set()
        thread.join()
    out.seconds = time.monotonic() - t0
    return out


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] in ("-h", "--help"):
        print(__doc__, file=sys.stderr)
        return 2
    from eval.bench import standin
    from index.config import Settings
    from ingest.pipeline import ingest

    home, paths = Path(argv[1]), [Path(p) for p in argv[2:]]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        print(f"error: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    standin.install()
    prof = profile(lambda: ingest(paths, Settings.from_env(home=home)))
    print(json.dumps({"seconds": round(prof.seconds, 2), "peak_mib": prof.peak_mib,
                      "summary": {k: v for k, v in prof.result.to_dict().items() if k not in ("skipped", "few_notes")},
                      "stages": [s.to_dict() for s in prof.top()]}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
