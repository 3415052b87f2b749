#!/usr/bin/env bash
# Whole-process comparison of `openseal inspect --json` with the Python tools people use today:
#   - a 2 GiB safetensors file (sparse; Llama-like names, 147 BF16 tensors) against
#     safetensors.safe_open listing every key and shape;
#   - a GGUF with a 150,000-token vocabulary against `gguf-dump --no-tensors`.
# Installs its peers into benches/.venv from PyPI; uses hyperfine when installed, else a loop.
# Usage: benches/compare_inspect.sh [RUNS]    (run from anywhere; prints a Markdown table)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-10}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cargo build --release --quiet
OPENSEAL=$PWD/target/release/openseal
if [ ! -x benches/.venv/bin/python ]; then
  python3 -m venv benches/.venv
  benches/.venv/bin/pip install --quiet 'safetensors==0.8.0' 'gguf==0.19.0' numpy
fi
PY=$PWD/benches/.venv/bin/python

"$PY" - "$WORK" <<'PYEOF'
import json, struct, sys, os
import numpy as np
from gguf import GGUFWriter
work = sys.argv[1]
# 2 GiB Llama-like safetensors (16 layers of a 7B-style shape): header only, data as a hole.
names = [("model.embed_tokens.weight", [32000, 4096])]
for i in range(16):
    for p, shape in [("self_attn.q_proj", [4096, 4096]), ("self_attn.k_proj", [1024, 4096]),
                     ("self_attn.v_proj", [1024, 4096]), ("self_attn.o_proj", [4096, 4096]),
                     ("mlp.gate_proj", [1376, 4096]), ("mlp.up_proj", [1376, 4096]),
                     ("mlp.down_proj", [4096, 1376]), ("input_layernorm", [4096]),
                     ("post_attention_layernorm", [4096])]:
        names.append((f"model.layers.{i}.{p}.weight", shape))
names += [("model.norm.weight", [4096]), ("lm_head.weight", [32000, 4096])]
header, off = {"__metadata__": {"format": "pt"}}, 0
for n, shape in sorted(names):
    size = 2
    for d in shape: size *= d
    header[n] = {"dtype": "BF16", "shape": shape, "data_offsets": [off, off + size]}
    off += size
h = json.dumps(header, separators=(",", ":")).encode(); h += b" " * (-len(h) % 8)
path = os.path.join(work, "model.safetensors")
with open(path, "wb") as f:
    f.write(struct.pack("<Q", len(h)) + h)
    f.truncate(8 + len(h) + off)
print(f"safetensors: {len(names)} tensors, {(8 + len(h) + off) / 2**30:.2f} GiB", file=sys.stderr)
# GGUF with a 150k-token vocabulary and a few small tensors.
w = GGUFWriter(os.path.join(work, "vocab150k.gguf"), "llama")
w.add_name("bench"); w.add_block_count(2); w.add_context_length(4096); w.add_embedding_length(64)
w.add_tokenizer_model("gpt2")
w.add_token_list([f"tok{i}".encode() for i in range(150000)])
w.add_token_types([1] * 150000)
w.add_token_merges([f"t{i} o{i}".encode() for i in range(100000)])
for i in range(4):
    w.add_tensor(f"blk.{i}.attn_q.weight", np.zeros((64, 64), dtype=np.float32))
w.write_header_to_file(); w.write_kv_data_to_file(); w.write_tensors_to_file(); w.close()
PYEOF

cat > "$WORK/safe_open.py" <<'PYEOF'
import sys
from safetensors import safe_open
with safe_open(sys.argv[1], "numpy") as f:
    for k in f.keys():
        f.get_slice(k).get_shape()
PYEOF

# median wall time in ms of RUNS runs of a command
median_ms() {
  if command -v hyperfine >/dev/null; then
    hyperfine --runs "$RUNS" --warmup 2 --export-json "$WORK/h.json" -N "$*" >/dev/null 2>&1 \
      || hyperfine --runs "$RUNS" --warmup 2 --export-json "$WORK/h.json" "$*" >/dev/null
    "$PY" -c "import json;print('%.2f'%(json.load(open('$WORK/h.json'))['results'][0]['median']*1000))"
  else
    local times=()
    for _ in $(seq "$RUNS"); do
      local s e; s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N)
      times+=($(( (e - s) / 1000 )))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.2f\n", a[int((NR+1)/2)]/1000}'
  fi
}

ST=$WORK/model.safetensors; GG=$WORK/vocab150k.gguf
o1=$(median_ms "$OPENSEAL" inspect --json "$ST")
p1=$(median_ms "$PY" "$WORK/safe_open.py" "$ST")
o2=$(median_ms "$OPENSEAL" inspect --json "$GG")
p2=$(median_ms "$PWD/benches/.venv/bin/gguf-dump" --no-tensors "$GG")
echo
echo "| operation | openseal (ms) | peer | peer (ms) | openseal / peer |"
echo "|---|---:|---|---:|---:|"
printf '| inspect 2 GiB safetensors | %s | safetensors.safe_open, keys + shapes | %s | %s |\n' "$o1" "$p1" "$(awk "BEGIN{printf \"%.4f\", $o1/$p1}")"
printf '| inspect GGUF, 150k vocab | %s | gguf-dump --no-tensors | %s | %s |\n' "$o2" "$p2" "$(awk "BEGIN{printf \"%.4f\", $o2/$p2}")"
echo
echo "median of $RUNS runs, whole process; $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB memory"
