"""Storage: generations on disk (SQLite rows, Chroma vectors, the BM25 index, the exact vector copy).
May import index/text, index.errors, index.config and index.summary; never index/answer or index/encode."""
