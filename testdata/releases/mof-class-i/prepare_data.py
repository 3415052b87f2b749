"""Turn corpus.txt into data/train.jsonl: byte-level ids modulo the 32-token vocabulary."""
import json

with open("corpus.txt") as src, open("data/train.jsonl", "w") as out:
    for line in src:
        line = line.strip()
        if line:
            out.write(json.dumps({"ids": [b % 32 for b in line.encode()][:16]}) + "\n")
