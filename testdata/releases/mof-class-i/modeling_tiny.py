"""A tiny decoder-only transformer: the architecture of tiny-lm."""
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
