"""An ONNX graph of a BERT sentence encoder, built from the model package's own weights.

No download and no torch: the graph is written op by op from `model.safetensors` (the same
forward pass as `NumpyBert`: embeddings, encoder layers, mean pooling, L2 normalisation), so
its output is the sentence embedding itself. Two layouts:

- "plain": standard ONNX ops only (MatMul, Softmax, LayerNormalization, Erf ...);
- "fused": onnxruntime's CPU contrib ops (Attention, SkipLayerNormalization, BiasGelu),
  the graph onnxruntime's own BERT optimizer would produce, written directly.

`quantize` turns a graph into int8 weights with dynamic activation quantisation
(onnxruntime.quantization.quantize_dynamic). Building needs the `onnx` package; running
the result needs only onnxruntime.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

OPSET = 17            # LayerNormalization is standard from 17
IR_VERSION = 8        # readable by every onnxruntime of the last years


def _weights(model_dir: Path) -> tuple[dict, dict[str, np.ndarray]]:
    from safetensors.numpy import load_file

    cfg = json.loads((model_dir / "config.json").read_text())
    w = load_file(str(model_dir / "model.safetensors"))
    return cfg, {k.removeprefix("bert."): v.astype(np.float32) for k, v in w.items()}


def build_graph(model_dir: Path, layout: str = "fused") -> bytes:
    """The serialized fp32 ONNX model: inputs input_ids, attention_mask (int64 [batch, seq]);
    outputs `embedding` (float32 [batch, hidden], L2-normalised, mean-pooled over the mask) and
    `tokens` (float32 [batch, seq, hidden], the last layer's states, which the answer path pools
    per sentence: index/answer/semantic.py). A run asks for the outputs it needs."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    if layout not in ("plain", "fused"):
        raise ValueError(f"unknown ONNX layout {layout!r}")
    cfg, w = _weights(model_dir)
    heads = int(cfg["num_attention_heads"])
    hidden = int(cfg["hidden_size"])
    eps = float(cfg.get("layer_norm_eps", 1e-12))
    d = hidden // heads
    nodes: list = []
    inits: list = []

    def const(name: str, arr: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(np.ascontiguousarray(arr), name))
        return name

    def node(op: str, ins: list[str], out: str, domain: str = "", **attrs: object) -> str:
        nodes.append(helper.make_node(op, ins, [out], name=out, domain=domain, **attrs))
        return out

    def linear(x: str, prefix: str, out: str, bias: bool = True) -> str:
        wt = const(prefix + ".weight.T", w[prefix + ".weight"].T)
        y = node("MatMul", [x, wt], out + ("_mm" if bias else ""))
        return node("Add", [y, const(prefix + ".bias", w[prefix + ".bias"])], out) if bias else y

    def skip_layernorm(y: str, x: str, prefix: str, out: str) -> str:
        """LayerNorm(x + y + the dense layer's bias), one fused op: `prefix` names the block
        whose dense output is y (its bias was left out of the MatMul)."""
        return node("SkipLayerNormalization",
                    [y, x, const(prefix + ".LayerNorm.weight", w[prefix + ".LayerNorm.weight"]),
                     const(prefix + ".LayerNorm.bias", w[prefix + ".LayerNorm.bias"]),
                     const(prefix + ".dense.bias", w[prefix + ".dense.bias"])],
                    out, domain="com.microsoft", epsilon=eps)

    def layernorm(x: str, prefix: str, out: str) -> str:
        return node("LayerNormalization", [x, const(prefix + ".weight", w[prefix + ".weight"]),
                                           const(prefix + ".bias", w[prefix + ".bias"])], out,
                    axis=-1, epsilon=eps)

    # embeddings: word + position (0..seq-1) + token type 0 (a single sentence), then LayerNorm
    seq1 = node("Slice", [node("Shape", ["input_ids"], "ids_shape"), const("one_1", np.array([1], np.int64)),
                          const("two_1", np.array([2], np.int64))], "seq_len_1")
    pos = node("Slice", [const("pos_emb", w["embeddings.position_embeddings.weight"]),
                         const("zero_1", np.array([0], np.int64)), seq1, const("axes0b", np.array([0], np.int64))],
               "pos_rows")
    word = node("Gather", [const("word_emb", w["embeddings.word_embeddings.weight"]), "input_ids"], "word_rows")
    emb = node("Add", [word, pos], "emb_wp")
    emb = node("Add", [emb, const("type0", w["embeddings.token_type_embeddings.weight"][0])], "emb_sum")
    x = layernorm(emb, "embeddings.LayerNorm", "emb_ln")

    mask_f = node("Cast", ["attention_mask"], "mask_f", to=TensorProto.FLOAT)
    if layout == "plain":
        # additive bias [batch, 1, 1, seq]: 0 where attended, -10000 on padding (as BERT does)
        inv = node("Sub", [const("one_f", np.array(1.0, np.float32)), mask_f], "mask_inv")
        neg = node("Mul", [inv, const("neg_big", np.array(-10000.0, np.float32))], "mask_neg")
        mask_bias = node("Unsqueeze", [neg, const("axes12", np.array([1, 2], np.int64))], "mask_bias")
    else:
        mask_i = node("Cast", ["attention_mask"], "mask_i32", to=TensorProto.INT32)

    heads_shape = const("heads_shape", np.array([0, 0, heads, d], np.int64))
    merge_shape = const("merge_shape", np.array([0, 0, hidden], np.int64))
    scale = const("scale", np.array(1.0 / math.sqrt(d), np.float32))
    for i in range(int(cfg["num_hidden_layers"])):
        p = f"encoder.layer.{i}."
        if layout == "plain":
            def split(t: str, name: str, perm: list[int]) -> str:
                r = node("Reshape", [t, heads_shape], name + "_r")
                return node("Transpose", [r], name + "_t", perm=perm)

            q = split(linear(x, p + "attention.self.query", f"l{i}_q"), f"l{i}_q", [0, 2, 1, 3])
            k = split(linear(x, p + "attention.self.key", f"l{i}_k"), f"l{i}_k", [0, 2, 3, 1])
            v = split(linear(x, p + "attention.self.value", f"l{i}_v"), f"l{i}_v", [0, 2, 1, 3])
            s = node("Mul", [node("MatMul", [q, k], f"l{i}_qk"), scale], f"l{i}_qk_s")
            s = node("Add", [s, mask_bias], f"l{i}_scores")
            pr = node("Softmax", [s], f"l{i}_probs", axis=-1)
            ctx = node("Transpose", [node("MatMul", [pr, v], f"l{i}_ctx")], f"l{i}_ctx_t", perm=[0, 2, 1, 3])
            ctx = node("Reshape", [ctx, merge_shape], f"l{i}_ctx_m")
            a = linear(ctx, p + "attention.output.dense", f"l{i}_ao")
            x = layernorm(node("Add", [a, x], f"l{i}_ares"), p + "attention.output.LayerNorm", f"l{i}_aln")
            h = linear(x, p + "intermediate.dense", f"l{i}_h")
            g = node("Erf", [node("Mul", [h, const(f"l{i}_rs2", np.array(1 / math.sqrt(2), np.float32))],
                                  f"l{i}_h_s")], f"l{i}_erf")
            g = node("Add", [g, const(f"l{i}_one", np.array(1.0, np.float32))], f"l{i}_erf1")
            g = node("Mul", [node("Mul", [h, g], f"l{i}_hg"), const(f"l{i}_half", np.array(0.5, np.float32))],
                     f"l{i}_gelu")
            o = linear(g, p + "output.dense", f"l{i}_o")
            x = layernorm(node("Add", [o, x], f"l{i}_ores"), p + "output.LayerNorm", f"l{i}_out")
        else:
            qkv_w = np.concatenate([w[p + f"attention.self.{n}.weight"].T for n in ("query", "key", "value")], 1)
            qkv_b = np.concatenate([w[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value")])
            ctx = node("Attention", [x, const(f"l{i}_qkv_w", qkv_w), const(f"l{i}_qkv_b", qkv_b), mask_i],
                       f"l{i}_ctx", domain="com.microsoft", num_heads=heads)
            a = linear(ctx, p + "attention.output.dense", f"l{i}_ao", bias=False)
            x = skip_layernorm(a, x, p + "attention.output", f"l{i}_aln")
            h = linear(x, p + "intermediate.dense", f"l{i}_h", bias=False)
            g = node("BiasGelu", [h, const(p + "h.b", w[p + "intermediate.dense.bias"])], f"l{i}_gelu",
                     domain="com.microsoft")
            o = linear(g, p + "output.dense", f"l{i}_o", bias=False)
            x = skip_layernorm(o, x, p + "output", f"l{i}_out")

    # mean pooling over the attended tokens, then L2 normalisation (sentence-transformers' modules 1, 2)
    m3 = node("Unsqueeze", [mask_f, const("axes2", np.array([2], np.int64))], "mask_3d")
    summed = node("ReduceSum", [node("Mul", [x, m3], "masked"), const("axes1", np.array([1], np.int64))],
                  "summed", keepdims=0)
    count = node("ReduceSum", [mask_f, const("axes1b", np.array([1], np.int64))], "count", keepdims=1)
    count = node("Max", [count, const("min_count", np.array(1e-9, np.float32))], "count_c")
    pooled = node("Div", [summed, count], "pooled")
    norm = node("ReduceL2", [pooled], "norm", axes=[1], keepdims=1)      # axes an attribute until opset 18
    norm = node("Max", [norm, const("min_norm", np.array(1e-12, np.float32))], "norm_c")
    node("Div", [pooled, norm], "embedding")
    node("Identity", [x], "tokens")

    ins = [helper.make_tensor_value_info(n, TensorProto.INT64, ["batch", "seq"]) for n in ("input_ids", "attention_mask")]
    outs = [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", hidden]),
            helper.make_tensor_value_info("tokens", TensorProto.FLOAT, ["batch", "seq", hidden])]
    graph = helper.make_graph(nodes, "sentence_embedding", ins, outs, initializer=inits)
    opsets = [helper.make_opsetid("", OPSET)]
    if layout == "fused":
        opsets.append(helper.make_opsetid("com.microsoft", 1))
    model = helper.make_model(graph, opset_imports=opsets, producer_name="dossier")
    model.ir_version = IR_VERSION
    if layout == "plain":
        onnx.checker.check_model(model)
    return model.SerializeToString()


def quantize(fp32: Path, out: Path) -> None:
    """int8 weights (per output channel), activations quantised per tensor at run time
    (dynamic quantisation). Only the weight MatMuls (and fused Attention): quantising the
    word-embedding table too, onnxruntime's default, cost another 0.07 of cosine here."""
    from onnx import TensorProto
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(fp32), str(out), weight_type=QuantType.QInt8, per_channel=True,
                     op_types_to_quantize=["MatMul", "Attention"],
                     extra_options={"DefaultTensorType": TensorProto.FLOAT})   # contrib ops' outputs
