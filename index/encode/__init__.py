"""Encoders: the embedding model (sentence-transformers, its ONNX export run on onnxruntime, a numpy
forward pass for the cold query path). May import index/text, index.errors and index.config."""
