"""Perplexity of tiny-lm on data/eval.jsonl; writes eval_results.json."""
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
