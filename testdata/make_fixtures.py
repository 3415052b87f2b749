#!/usr/bin/env python3
"""Writes the safetensors and sharded-checkpoint fixtures under testdata/, each named by the
outcome openseal must give for it (ok-*, or err-<error-kind>-*). Standard library only.
Run from the repository root: python3 testdata/make_fixtures.py"""
import json, os, struct, shutil

OUT = "testdata/safetensors"
SH = "testdata/sharded"


def st(tensors, metadata=None, pad=True, data=None, raw_header=None):
    """safetensors bytes: tensors is a list of (name, dtype, shape, nbytes); data is laid out
    contiguously unless raw_header is given."""
    if raw_header is None:
        header, off = {}, 0
        if metadata is not None:
            header["__metadata__"] = metadata
        for name, dtype, shape, nbytes in tensors:
            header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [off, off + nbytes]}
            off += nbytes
        raw_header = json.dumps(header, separators=(",", ":")).encode()
        if data is None:
            data = bytes((i * 7) % 251 for i in range(off))
    if pad:
        raw_header += b" " * (-len(raw_header) % 8)
    return struct.pack("<Q", len(raw_header)) + raw_header + (data or b"")


def write(name, content, folder=OUT):
    with open(os.path.join(folder, name), "wb") as f:
        f.write(content)


def main():
    os.makedirs(OUT, exist_ok=True)
    two = [("a", "F32", [2, 2], 16), ("b", "BF16", [4], 8)]
    write("ok-two-tensors.safetensors", st(two, {"format": "pt"}))
    write("ok-empty-header.safetensors", st([]))
    write("ok-zero-size-and-scalar.safetensors", st([("empty", "F32", [0, 4], 0), ("scalar", "F64", [], 8)]))
    write("ok-leading-whitespace.safetensors", st(two, raw_header=b'  {"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}', data=b"\x01\x02"))
    all_dtypes = [("BOOL", 8), ("F4", 4), ("F6_E2M3", 6), ("F6_E3M2", 6), ("U8", 8), ("I8", 8), ("F8_E5M2", 8),
                  ("F8_E4M3", 8), ("F8_E8M0", 8), ("F8_E4M3FNUZ", 8), ("F8_E5M2FNUZ", 8), ("I16", 16), ("U16", 16),
                  ("F16", 16), ("BF16", 16), ("I32", 32), ("U32", 32), ("F32", 32), ("C64", 64), ("F64", 64),
                  ("I64", 64), ("U64", 64)]
    write("ok-all-22-dtypes.safetensors", st([(d.lower(), d, [4], 4 * bits // 8) for d, bits in all_dtypes]))

    write("err-too-short-4-bytes.safetensors", b"\x08\x00\x00\x00")
    write("err-header-too-large.safetensors", struct.pack("<Q", 1 << 40) + b"{}")
    write("err-header-truncated.safetensors", struct.pack("<Q", 1000) + b'{"a":{"dtype":"F32"')
    write("err-header-not-utf8.safetensors", st([], raw_header=b'{"\xff\xfe":1}'))
    write("err-header-json.safetensors", st([], raw_header=b'{"a": {"dtype": "F32",,}}'))
    write("err-duplicate-name.safetensors", st([], raw_header=b'{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}', data=b"\x00"))
    write("err-bad-entry-negative-dim.safetensors", st([], raw_header=b'{"a":{"dtype":"U8","shape":[-1],"data_offsets":[0,1]}}', data=b"\x00"))
    write("err-unknown-dtype.safetensors", st([("a", "F128", [1], 16)]))
    write("err-bad-metadata-not-string.safetensors", st([("a", "U8", [1], 1)], {"format": 1}))
    write("err-size-mismatch.safetensors", st([], raw_header=b'{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}', data=b"\x00" * 4))
    write("err-not-whole-bytes-f4.safetensors", st([], raw_header=b'{"a":{"dtype":"F4","shape":[3],"data_offsets":[0,1]}}', data=b"\x00"))
    write("err-gap.safetensors", st([], raw_header=b'{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[2],"data_offsets":[4,6]}}', data=b"\x00" * 6))
    write("err-overlap.safetensors", st([], raw_header=b'{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},"b":{"dtype":"U8","shape":[4],"data_offsets":[2,6]}}', data=b"\x00" * 6))
    good = st(two)
    write("err-truncated-download.safetensors", good[:-10])
    write("err-trailing-bytes.safetensors", good + b"\x00" * 3)
    write("err-impostor-lfs-pointer.safetensors", b"version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 4976698672\n")
    write("err-impostor-html-page.safetensors", b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body>Not Found</body></html>\n")

    # Sharded checkpoints: one folder per outcome, index named as transformers names it.
    shutil.rmtree(SH, ignore_errors=True)
    def shard_set(name, weight_map, shards):
        d = os.path.join(SH, name)
        os.makedirs(d)
        for fname, tensors in shards.items():
            write(fname, st(tensors), d)
        total = sum(n for ts in shards.values() for *_, n in ts)
        with open(os.path.join(d, "model.safetensors.index.json"), "w") as f:
            if isinstance(weight_map, str):
                f.write(weight_map)
            else:
                json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=2)
    s1, s2 = "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"
    t1 = [("model.embed_tokens.weight", "BF16", [16, 8], 256), ("model.layers.0.self_attn.q_proj.weight", "BF16", [8, 8], 128)]
    t2 = [("model.layers.1.self_attn.q_proj.weight", "BF16", [8, 8], 128), ("lm_head.weight", "BF16", [16, 8], 256)]
    wm = {n: s1 for n, *_ in t1} | {n: s2 for n, *_ in t2}
    shard_set("ok-two-shards", wm, {s1: t1, s2: t2})
    shard_set("err-missing-shard", wm, {s1: t1})
    shard_set("err-tensor-not-in-shard", wm | {"extra.weight": s1}, {s1: t1, s2: t2})
    shard_set("err-tensor-in-two-shards", wm, {s1: t1, s2: t2 + [t1[0]]})
    shard_set("err-bad-shard-name-traversal", wm | {"lm_head.weight": "../" + s2}, {s1: t1, s2: t2})
    dup = '{"metadata": {}, "weight_map": {"a": "%s", "a": "%s"}}' % (s1, s1)
    shard_set("err-bad-index-duplicate-tensor", dup, {s1: [("a", "U8", [1], 1)]})


main()
