"""The one answer path: every edge (command line, Slack, eval) answers through an Answerer.

    answerer = answerer_for(settings, lambda: Dossier.open(settings))   # chosen once, at the edge
    answerer.answer("question", context=[...], on_start=..., on_sentence=...)

Without an LLM server it gives the extractive answer (`Dossier.ask`); with one, the
generated answer held to the verifier, with the extractive answer as its fallback
(`index.answer.generate.Generation`). Both return the `dossier ask --json` contract; a generated
one adds "mode" and "llm". `on_start` is called when a language model is about to be asked,
`on_sentence(verified so far)` each time a further verified sentence completes; neither is
called for an extractive answer, which arrives whole.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

from index.config import Settings
from index.answer.scope import Scope, merge, summary_request

SentenceCallback = Callable[[list[dict[str, Any]]], None]


class Answerer:
    def __init__(self, dossier: Any, llm: Any = None):
        self.dossier = dossier
        self.llm = llm
        self._generation = None
        if llm is not None:
            from index.answer.generate import Generation

            self._generation = Generation(dossier, llm)

    @property
    def mode(self) -> str:
        """"generated" when a language model writes the answers, else "extractive"."""
        return "extractive" if self.llm is None else "generated"

    @property
    def model(self) -> str | None:
        """The language model's name, when there is one."""
        return None if self.llm is None else self.llm.model

    def answer(self, question: str, *, context: Sequence[str] = (), on_start: Callable[[], None] | None = None,
               on_sentence: SentenceCallback | None = None, scope: Scope | None = None) -> dict[str, Any]:
        """`scope` (index/answer/scope.py): only the reports in it are searched, and the answer says so.
        A request for a summary ("summarize the latest report", "what's new since September 15")
        is answered with the stored extractive summaries, in either mode."""
        wanted = summary_request(question)
        if wanted is not None:
            return self.dossier.summary(merge(wanted, scope), question=" ".join(question.split()))
        if self._generation is None:
            return self.dossier.ask(question, context=context, scope=scope)
        result = self._generation.answer(question, context=context, on_start=on_start, on_sentence=on_sentence,
                                         scope=scope)
        if scope and "scope" not in result:
            resolved = self.dossier.resolve_scope(scope)
            if resolved is not None:
                result["scope"] = resolved.to_dict()
        return result


def answerer_for(settings: Settings, open_dossier: Callable[[], Any]) -> Answerer:
    """The answerer the settings ask for: generated with `settings.llm_url` (its client is imported
    only then), extractive otherwise. The LLM settings are checked before the index is opened,
    so a wrong --llm-url is reported first (UserInputError)."""
    llm = None
    if settings.llm_url:
        from index.answer.llm import LLM

        llm = LLM.from_settings(settings)
    return Answerer(open_dossier(), llm)
