"""Server mode's layers: a generation's vectors as a few collections shared with other generations.

On a `chroma run` server each ingest writes only the vectors it embedded, into a new
collection (a *layer*) of the home's database; a generation is the list of layers it reads
(`layers.json` in its directory) and, per layer, the vectors it must skip (*dead*: passages
the generation replaced or removed whose old vectors are still on the server because an older
generation may be reading them). Layers are never written once listed, so a reader of the
previous generation keeps exactly its view until it switches, and a layer that no kept
generation lists (a crash's) is dropped by the next ingest.

Why not one collection with versioned ids and a per-generation `where` filter: on Chroma's
single node a `where` is evaluated over the whole collection's metadata before the search, so
every query would cost a scan (170,000 vectors: 2.7 ms unfiltered, about 500 ms with
`{"gen": {"$lte": g}}`, 400 ms with a `$nin` of the 1 % edited reports; `python -m
eval.bench.layouts`, docs/scale.md). Layers need no filter: a reader asks each layer for k plus
that layer's dead count and drops the dead.

On a server, dead vectors are deleted from their layer as soon as no older generation is read
(at the end of the ingest, or by the next one): in the common case a reader never over-fetches
at all. Embedded mode (one Chroma directory per layer under home/layers/, index/store/store.py's
`_EmbeddedLayers`) never writes a listed layer, since another process may have it open: its dead
stay until the layer is rewritten (DEAD_MAX), and a reader over-fetches only as far as the dead
among the best hits require (`_live_hits`).
Layers are merged as they accumulate (size tiers: a layer not TIER times bigger than what
is being merged into the new layer joins it; never more than MAX_LAYERS), and a layer whose
dead share passes DEAD_MAX is rewritten, so uploads stay in proportion to the edits
(amortised) and a question asks at most MAX_LAYERS collections.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

DIR = "layers"                           # embedded mode: home/layers/<name>/ is one layer's Chroma store
FILE = "layers.json"                     # the layers a generation reads, with their dead vectors
REPORTS_FILE = "report_layers.json"      # report id -> the layer holding its vectors (the writer's)
MAX_LAYERS = 8
TIER = 2.0
DEAD_MAX = 0.25


@dataclass
class Layer:
    name: str                      # the collection in the home's database
    vectors: int                   # what the collection holds (dead ones included)
    dead: list[str] = field(default_factory=list)     # passage ids in it this generation skips

    @property
    def live(self) -> int:
        return self.vectors - len(self.dead)

    def to_dict(self) -> dict:
        return {"name": self.name, "vectors": self.vectors, "dead": self.dead}


def read(gen: Path) -> list[Layer] | None:
    """The generation's layers, oldest first; None when it was not written in layers
    (a generation from before layers: its own chroma/ directory, or on a server a database
    of its own)."""
    try:
        doc = json.loads((gen / FILE).read_text())
    except (OSError, ValueError):
        return None
    return [Layer(d["name"], int(d["vectors"]), list(d.get("dead", []))) for d in doc.get("layers", [])]


def _replace(path: Path, text: str) -> None:
    """Written beside and renamed into place: the file may be a hard link shared with another
    generation (index/store/generations.py), and a reader never sees half of it."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(text)
    os.replace(tmp, path)


def write(gen: Path, layers: Sequence[Layer]) -> None:
    _replace(gen / FILE, json.dumps({"layers": [layer.to_dict() for layer in layers]}))


def read_report_layers(gen: Path) -> dict[str, str]:
    try:
        return json.loads((gen / REPORTS_FILE).read_text())
    except (OSError, ValueError):
        return {}


def write_report_layers(gen: Path, layer_of: dict[str, str]) -> None:
    _replace(gen / REPORTS_FILE, json.dumps(layer_of))


def merge_from(layers: Sequence[Layer], fresh: int) -> int:
    """How many of the existing `layers` (oldest first) the new generation keeps as they are;
    the rest are merged into the new layer with its `fresh` vectors.

    Size tiers: the newest kept layer joins the merge while it is not TIER times bigger than
    everything merged so far, or while the generation would read more than MAX_LAYERS; then
    any kept layer whose dead vectors pass DEAD_MAX of it is rewritten too (with every layer
    after it). A 1 % edit of a big base keeps the base and adds a 1 % layer; a run of small
    edits merges small layers with each other, never the base until they rival it."""
    keep, merged = len(layers), fresh
    while keep > 0 and (layers[keep - 1].live <= TIER * merged or keep + 1 > MAX_LAYERS):
        keep -= 1
        merged += layers[keep].live
    for i, layer in enumerate(layers[:keep]):
        if layer.vectors and len(layer.dead) > DEAD_MAX * layer.vectors:
            return i
    return keep


class LayeredCollection:
    """What the Retriever needs of a Chroma collection (count() and query() with a `where`),
    over a generation's layers: each layer is asked for n plus its dead count, the dead are
    dropped, and the best n of all layers are returned, as one collection would rank them."""

    def __init__(self, layers: Sequence[tuple[Any, Layer]]):
        self.layers = [(collection, layer, set(layer.dead)) for collection, layer in layers]
        self.live = sum(layer.live for _c, layer, _d in self.layers)

    def count(self) -> int:
        return self.live

    def query(self, query_embeddings: Any, n_results: int, include: list[str] | None = None,
              where: dict | None = None) -> dict:
        if include and set(include) - {"distances"}:
            raise ValueError(f"a layered collection returns ids and distances only, not {include!r}")
        hits: list[tuple[float, str]] = []
        extra = {"where": where} if where else {}
        for collection, layer, dead in self.layers:
            if n_results <= 0 or layer.live <= 0:
                continue
            hits += _live_hits(collection, layer, dead, query_embeddings, n_results, extra)
        hits.sort()
        hits = hits[:n_results]
        return {"ids": [[pid for _d, pid in hits]], "distances": [[d for d, _p in hits]]}

    def get(self, include: list[str] | None = None) -> dict:
        """Every live vector's id and the fields `include` names, layer by layer, as one
        collection's get() gives them (reads every layer whole: for checks, not questions)."""
        out: dict[str, list] = {"ids": [], **{key: [] for key in include or []}}
        for collection, _layer, dead in self.layers:
            res = collection.get(include=include or [])
            keep = [i for i, pid in enumerate(res["ids"]) if pid not in dead]
            out["ids"] += [res["ids"][i] for i in keep]
            for key in include or []:
                out[key] += [res[key][i] for i in keep]
        return out


def _live_hits(collection: Any, layer: Layer, dead: set[str], query_embeddings: Any, k: int,
               extra: dict) -> list[tuple[float, str]]:
    """The layer's best k vectors that are not dead. Asked for k plus a few, then more while
    the dead crowd out the live: an embedded layer keeps its dead until it is rewritten
    (another process may be reading it), so its dead list can be thousands long, and asking
    for k plus all of them would make every question an exhaustive search. The best k live
    are among the best n whenever n holds k live ones."""
    most = min(k + len(dead), layer.vectors)
    n = min(k + min(len(dead), max(k, 16)), most)
    while True:
        res = collection.query(query_embeddings=query_embeddings, n_results=n, include=["distances"], **extra)
        got = list(zip(res["ids"][0], res["distances"][0]))
        live = [(float(d), pid) for pid, d in got if pid not in dead]
        if len(live) >= k or n >= most or len(got) < n:
            return live
        n = min(n * 4, most)
