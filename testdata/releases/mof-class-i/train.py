"""Train tiny-lm on data/train.jsonl (next-token prediction, AdamW)."""
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
