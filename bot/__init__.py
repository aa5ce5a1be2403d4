"""The edges: the command line and the Slack bot. They parse input, call index/, format output."""
import os as _os

_os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")   # see index/__init__.py
