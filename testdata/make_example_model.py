#!/usr/bin/env python3
"""Writes testdata/example-model/model.safetensors: a tiny Llama-style model (2 layers, hidden 64,
4 heads, 2 KV heads, vocabulary 256) with BF16 weights drawn from a seeded normal distribution,
laid out as the safetensors writer lays files out. Standard library only.
Run from the repository root: python3 testdata/make_example_model.py"""
import json, random, struct

VOCAB, HIDDEN, INTER, LAYERS, KV_DIM = 256, 64, 128, 2, 32


def tensors():
    yield "model.embed_tokens.weight", [VOCAB, HIDDEN]
    for i in range(LAYERS):
        p = f"model.layers.{i}."
        yield p + "input_layernorm.weight", [HIDDEN]
        yield p + "self_attn.q_proj.weight", [HIDDEN, HIDDEN]
        yield p + "self_attn.k_proj.weight", [KV_DIM, HIDDEN]
        yield p + "self_attn.v_proj.weight", [KV_DIM, HIDDEN]
        yield p + "self_attn.o_proj.weight", [HIDDEN, HIDDEN]
        yield p + "post_attention_layernorm.weight", [HIDDEN]
        yield p + "mlp.gate_proj.weight", [INTER, HIDDEN]
        yield p + "mlp.up_proj.weight", [INTER, HIDDEN]
        yield p + "mlp.down_proj.weight", [HIDDEN, INTER]
    yield "model.norm.weight", [HIDDEN]
    yield "lm_head.weight", [VOCAB, HIDDEN]


def bf16(x):
    return struct.pack("<I", struct.unpack("<I", struct.pack("<f", x))[0])[2:]


def main():
    rng = random.Random(20261127)
    header, blobs, off = {"__metadata__": {"format": "pt"}}, [], 0
    # The reference writer orders by dtype then name; all are BF16 here, so by name.
    for name, shape in sorted(tensors()):
        n = 1
        for d in shape:
            n *= d
        norm = name.endswith("norm.weight")
        data = b"".join(bf16(1.0 if norm else rng.gauss(0.0, 0.02)) for _ in range(n))
        header[name] = {"dtype": "BF16", "shape": shape, "data_offsets": [off, off + len(data)]}
        blobs.append(data)
        off += len(data)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open("testdata/example-model/model.safetensors", "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


main()
