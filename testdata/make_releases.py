#!/usr/bin/env python3
"""Writes testdata/releases/mof-class-{iii,ii,i}: small but real-looking release folders, one per
Model Openness Framework class (each class adds components to the one before). Weights are tiny
BF16 safetensors drawn from a seeded normal distribution. Standard library only.
Run from the repository root: python3 testdata/make_releases.py"""
import json, os, random, shutil, struct

ROOT = "testdata/releases"

MIT = """MIT License

Copyright (c) 2026 Tiny Models Lab

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""

CC_BY = """Creative Commons Attribution 4.0 International

Copyright (c) 2026 Tiny Models Lab

The documentation in this release (model card, data card, technical report, evaluation
results and paper) is licensed under the Creative Commons Attribution 4.0 International
Public License (CC BY 4.0). You are free to share and adapt the material for any purpose,
even commercially, provided you give appropriate credit, provide a link to the license and
indicate if changes were made.

The full legal code is at https://creativecommons.org/licenses/by/4.0/legalcode
"""

CDLA = """Community Data License Agreement - Permissive - Version 2.0

Copyright (c) 2026 Tiny Models Lab

The data and model parameters in this release are made available under the Community Data
License Agreement - Permissive - Version 2.0 (CDLA-Permissive-2.0). You may use, modify and
share the data, provided that you make this agreement available with any data you share.
The data is provided "as is", without warranties of any kind.

The full agreement is at https://cdla.dev/permissive-2-0/
"""

MODELING = '''"""A tiny decoder-only transformer: the architecture of tiny-lm."""
import torch
from torch import nn


class Block(nn.Module):
    def __init__(self, hidden: int, inner: int):
        super().__init__()
        self.norm = nn.RMSNorm(hidden)
        self.attn = nn.MultiheadAttention(hidden, num_heads=2, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(hidden, inner), nn.SiLU(), nn.Linear(inner, hidden))

    def forward(self, x):
        h = self.norm(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]
        return x + self.mlp(self.norm(x))


class TinyLM(nn.Module):
    def __init__(self, vocab: int = 32, hidden: int = 16, inner: int = 32, layers: int = 1):
        super().__init__()
        self.embed = nn.Embedding(vocab, hidden)
        self.blocks = nn.ModuleList(Block(hidden, inner) for _ in range(layers))
        self.head = nn.Linear(hidden, vocab, bias=False)

    def forward(self, ids):
        x = self.embed(ids)
        for block in self.blocks:
            x = block(x)
        return self.head(x)
'''

TRAIN = '''"""Train tiny-lm on data/train.jsonl (next-token prediction, AdamW)."""
import json, torch
from safetensors.torch import save_file
from modeling_tiny import TinyLM

model = TinyLM()
opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
rows = [json.loads(line) for line in open("data/train.jsonl")]
for step, row in enumerate(rows * 50):
    ids = torch.tensor([row["ids"]])
    loss = torch.nn.functional.cross_entropy(model(ids[:, :-1]).flatten(0, 1), ids[:, 1:].flatten())
    loss.backward(); opt.step(); opt.zero_grad()
save_file({k: v.to(torch.bfloat16) for k, v in model.state_dict().items()}, "model.safetensors")
'''

INFER = '''"""Generate a continuation with tiny-lm."""
import sys, torch
from safetensors.torch import load_file
from modeling_tiny import TinyLM

model = TinyLM()
model.load_state_dict({k: v.float() for k, v in load_file("model.safetensors").items()})
ids = [int(t) for t in sys.argv[1:]] or [1]
for _ in range(8):
    ids.append(int(model(torch.tensor([ids]))[0, -1].argmax()))
print(ids)
'''

EVALUATE = '''"""Perplexity of tiny-lm on data/eval.jsonl; writes eval_results.json."""
import json, math, torch
from safetensors.torch import load_file
from modeling_tiny import TinyLM

model = TinyLM()
model.load_state_dict({k: v.float() for k, v in load_file("model.safetensors").items()})
losses = []
for line in open("data/eval.jsonl"):
    ids = torch.tensor([json.loads(line)["ids"]])
    logits = model(ids[:, :-1])
    losses.append(float(torch.nn.functional.cross_entropy(logits.flatten(0, 1), ids[:, 1:].flatten())))
json.dump({"perplexity": math.exp(sum(losses) / len(losses))}, open("eval_results.json", "w"))
'''

PREPARE = '''"""Turn corpus.txt into data/train.jsonl: byte-level ids modulo the 32-token vocabulary."""
import json

with open("corpus.txt") as src, open("data/train.jsonl", "w") as out:
    for line in src:
        line = line.strip()
        if line:
            out.write(json.dumps({"ids": [b % 32 for b in line.encode()][:16]}) + "\\n")
'''


def bf16(x):
    return struct.pack("<I", struct.unpack("<I", struct.pack("<f", x))[0])[2:]


def weights(path, seed):
    rng = random.Random(seed)
    shapes = {"embed.weight": [32, 16], "blocks.0.norm.weight": [16],
              "blocks.0.attn.in_proj_weight": [48, 16], "blocks.0.attn.out_proj.weight": [16, 16],
              "blocks.0.mlp.0.weight": [32, 16], "blocks.0.mlp.2.weight": [16, 32], "head.weight": [32, 16]}
    header, blobs, off = {"__metadata__": {"format": "pt"}}, [], 0
    for name in sorted(shapes):
        n = 1
        for d in shapes[name]:
            n *= d
        data = b"".join(bf16(rng.gauss(0.0, 0.05)) for _ in range(n))
        header[name] = {"dtype": "BF16", "shape": shapes[name], "data_offsets": [off, off + len(data)]}
        blobs.append(data)
        off += len(data)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def pdf(text):
    """A minimal one-page PDF with one line of text."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = b"%PDF-1.4\n", []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


def write(folder, rel, content):
    path = os.path.join(folder, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb" if isinstance(content, bytes) else "w") as f:
        f.write(content)


def card(cls):
    return f"""---
license: cdla-permissive-2.0
language:
- en
library_name: pytorch
pipeline_tag: text-generation
tags:
- tiny
- mof-{cls}
---

# tiny-lm ({cls} example release)

A one-layer decoder-only language model with a 32-token byte vocabulary, released by Tiny Models
Lab to show what each Model Openness Framework class asks of a release.

## Model details
- Architecture: `modeling_tiny.py` (`TinyLM`: embedding, one attention + MLP block, output head)
- Parameters: 2,320 in BF16 (`model.safetensors`)
- Training data: see DATA_CARD.md

## Evaluation
Perplexity on the held-out set is recorded in `eval_results.json`.

## Licences
Code: MIT (LICENSE-CODE). Weights and data: CDLA-Permissive-2.0 (LICENSE-DATA).
Documentation: CC-BY-4.0 (LICENSE-DOCS).
"""


DATA_CARD = """# Data card: tiny-lm training corpus

- Source: 200 English sentences written for this example by Tiny Models Lab.
- Processing: byte-level ids modulo 32, truncated to 16 tokens (`prepare_data.py` in the Class I
  release).
- Personal data: none. Licence: CDLA-Permissive-2.0.
"""

REPORT = """# tiny-lm technical report

tiny-lm is trained for 50 epochs of next-token prediction with AdamW (learning rate 3e-3) on a
200-sentence corpus. It reaches a held-out perplexity of 14.2. It exists to exercise release
tooling and has no practical use.
"""


def main():
    shutil.rmtree(ROOT, ignore_errors=True)
    rng = random.Random(7)
    for cls in ["class-iii", "class-ii", "class-i"]:
        d = os.path.join(ROOT, f"mof-{cls}")
        weights(os.path.join(d, "model.safetensors"), 1)
        write(d, "config.json", json.dumps({"architectures": ["TinyLM"], "model_type": "tiny",
              "vocab_size": 32, "hidden_size": 16, "intermediate_size": 32, "num_hidden_layers": 1,
              "num_attention_heads": 2, "torch_dtype": "bfloat16"}, indent=2) + "\n")
        write(d, "modeling_tiny.py", MODELING)
        write(d, "README.md", card(cls))
        write(d, "DATA_CARD.md", DATA_CARD)
        write(d, "technical_report.md", REPORT)
        write(d, "eval_results.json", json.dumps({"perplexity": 14.2, "eval_set": "data/eval.jsonl"}, indent=2) + "\n")
        write(d, "LICENSE-CODE", MIT)
        write(d, "LICENSE-DATA", CDLA)
        write(d, "LICENSE-DOCS", CC_BY)
        if cls in ("class-ii", "class-i"):
            write(d, "train.py", TRAIN)
            write(d, "inference.py", INFER)
            write(d, "evaluate.py", EVALUATE)
            write(d, "data/eval.jsonl", "".join(json.dumps({"ids": [rng.randrange(32) for _ in range(16)]}) + "\n" for _ in range(20)))
        if cls == "class-i":
            write(d, "prepare_data.py", PREPARE)
            write(d, "data/train.jsonl", "".join(json.dumps({"ids": [rng.randrange(32) for _ in range(16)]}) + "\n" for _ in range(200)))
            weights(os.path.join(d, "checkpoints/step-50/model.safetensors"), 2)
            write(d, "paper/tiny-lm-paper.pdf", pdf("tiny-lm: a release to exercise openness tooling. Tiny Models Lab, 2026."))


main()
