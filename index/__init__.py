"""Storage, retrieval and answers: the library that the command line and Slack call."""
import os as _os

# One small matrix product per layer per question: OpenBLAS's thread pool costs 20-50x more
# than the work on these 2-core machines (measured: 5.5 ms vs 0.1 ms for 20x384 @ 384x384).
_os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
