#!/usr/bin/env bash
# Whole-process comparison of `openseal pack` and `openseal verify` with the plain tools:
#   pack   vs  tar -cf - DIR | zstd -T0 -3
#   verify vs  zstd -dc BUNDLE | openssl dgst -sha256
# on a generated ~2 GiB release (BF16 weights in 4 shards with Llama-like names and normally
# distributed values, plus small files). Peak memory from /usr/bin/time -v.
# Usage: benches/compare_bundle.sh [RUNS] [GIB]      (prints a Markdown table)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
GIB=${2:-2}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
for tool in zstd openssl /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install zstd openssl time)" >&2; exit 2; }
done
cargo build --release --quiet
OS=$PWD/target/release/openseal
if [ ! -x benches/.venv/bin/python ]; then
  python3 -m venv benches/.venv
  benches/.venv/bin/pip install --quiet numpy
fi
benches/.venv/bin/python - "$WORK/release" "$GIB" <<'PYEOF'
import json, os, struct, sys
import numpy as np
root, gib = sys.argv[1], float(sys.argv[2])
os.makedirs(root)
rng = np.random.default_rng(0)
shards, hidden = 4, 4096
per_shard = int(gib * 2**30 / shards / 2)      # BF16 elements per shard
rows = per_shard // hidden // 8                 # 8 tensors per shard
weight_map = {}
for s in range(shards):
    name = f"model-{s+1:05d}-of-{shards:05d}.safetensors"
    header, off = {"__metadata__": {"format": "pt"}}, 0
    tensors = [f"model.layers.{s*8+i}.mlp.down_proj.weight" for i in range(8)]
    for t in tensors:
        header[t] = {"dtype": "BF16", "shape": [rows, hidden], "data_offsets": [off, off + rows * hidden * 2]}
        off += rows * hidden * 2
        weight_map[t] = name
    h = json.dumps(header).encode(); h += b" " * (-len(h) % 8)
    with open(os.path.join(root, name), "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h)
        for t in tensors:
            for start in range(0, rows, 1024):
                n = min(1024, rows - start)
                x = (rng.standard_normal((n, hidden), dtype=np.float32) * 0.02).view(np.uint32)
                f.write((x >> 16).astype(np.uint16).tobytes())
json.dump({"metadata": {"total_size": sum(1 for _ in [])}, "weight_map": weight_map},
          open(os.path.join(root, "model.safetensors.index.json"), "w"))
json.dump({"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": hidden},
          open(os.path.join(root, "config.json"), "w"))
open(os.path.join(root, "README.md"), "w").write("---\nlicense: apache-2.0\n---\n# bench model\n")
PYEOF
"$OS" keygen -o "$WORK/k" >/dev/null
SIZE=$(du -sb "$WORK/release" | cut -f1)

# median wall seconds and max peak RSS (MiB) of RUNS runs of a shell command
measure() {
  local times=() peak=0
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -v -o "$WORK/time.txt" bash -c "$1" >/dev/null 2>"$WORK/err.txt" || { cat "$WORK/err.txt" >&2; exit 1; }
    times+=("$(awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$WORK/time.txt")")
    local rss; rss=$(awk -F': ' '/Maximum resident set size/{print int($2/1024)}' "$WORK/time.txt")
    [ "$rss" -gt "$peak" ] && peak=$rss
  done
  printf '%s %s\n' "$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')" "$peak"
}

read -r pack_t pack_m < <(measure "rm -f $WORK/out.tar.zst; $OS pack $WORK/release -o $WORK/out.tar.zst --key $WORK/k.key")
read -r tar_t tar_m < <(measure "tar -cf - -C $WORK release | zstd -T0 -3 -q -f -o $WORK/plain.tar.zst")
read -r ver_t ver_m < <(measure "$OS verify $WORK/out.tar.zst --trust $WORK/k.pub")
read -r dgst_t dgst_m < <(measure "zstd -dc $WORK/out.tar.zst | openssl dgst -sha256")
read -r unp_t unp_m < <(measure "rm -rf $WORK/u; $OS unpack $WORK/out.tar.zst -C $WORK/u --trust $WORK/k.pub")
ours=$(stat -c %s "$WORK/out.tar.zst"); plain=$(stat -c %s "$WORK/plain.tar.zst")
ratio() { awk "BEGIN{printf \"%.2f\", $1/$2}"; }
echo
echo "release: $(awk "BEGIN{printf \"%.2f\", $SIZE/2^30}") GiB; median of $RUNS runs; $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB memory"
echo
echo "| operation | openseal (s) | peak MiB | peer | peer (s) | openseal / peer |"
echo "|---|---:|---:|---|---:|---:|"
echo "| pack (hash, inspect, classify, sign, compress) | $pack_t | $pack_m | \`tar -cf - \| zstd -T0 -3\` | $tar_t | $(ratio "$pack_t" "$tar_t") |"
echo "| verify (signature, every digest, levels) | $ver_t | $ver_m | \`zstd -dc \| openssl dgst -sha256\` | $dgst_t | $(ratio "$ver_t" "$dgst_t") |"
echo "| unpack (verify while extracting) | $unp_t | $unp_m | | | |"
echo
echo "compressed size: openseal $ours bytes, tar | zstd -3 $plain bytes (ratio $(ratio "$ours" "$plain"))"
