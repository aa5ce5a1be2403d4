"""Storage, retrieval and answers: the library that the command line and Slack call.

    text/      plain-text facts (sentences, dates, words, URLs, names); imports nothing of the project
    errors.py, config.py, summary.py   the error hierarchy, Settings, a report's key judgments
    store/     generations on disk: SQLite, Chroma, BM25, the exact vector copy
    encode/    the embedding model and its ONNX export
    answer/    a question read, passages retrieved, an answer chosen (or generated and verified)
    engine.py  Dossier: open, ask, search, reports, summaries (the facade the edges call)
"""
import os as _os

# One small matrix product per layer per question: OpenBLAS's thread pool costs 20-50x more
# than the work on these 2-core machines (measured: 5.5 ms vs 0.1 ms for 20x384 @ 384x384).
_os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
