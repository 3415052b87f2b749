"""Generate a continuation with tiny-lm."""
import sys, torch
from safetensors.torch import load_file
from modeling_tiny import TinyLM

model = TinyLM()
model.load_state_dict({k: v.float() for k, v in load_file("model.safetensors").items()})
ids = [int(t) for t in sys.argv[1:]] or [1]
for _ in range(8):
    ids.append(int(model(torch.tensor([ids]))[0, -1].argmax()))
print(ids)
