#!/usr/bin/env bash
# `openseal sign` / `verify --oms` against OpenSSF `model_signing sign key` / `verify key` on the
# same folder of shards (ECDSA P-256), whole process, median of RUNS runs, warm page cache.
# Usage: benches/compare_oms.sh [RUNS] [GIB] [SHARDS]. Needs the peers (.ci/peers.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
GIB=${2:-2}
SHARDS=${3:-4}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
bash .ci/peers.sh
cargo build --release --quiet
OS=$PWD/target/release/openseal
MS=$PWD/target/peers-venv/bin/model_signing

mkdir -p "$WORK/model"
per=$((GIB * 1024 / SHARDS))
for i in $(seq 1 "$SHARDS"); do
  # Incompressible bytes; content does not matter to a hash.
  head -c "$((per << 20))" /dev/urandom > "$WORK/model/model-0000$i-of-0000$SHARDS.safetensors"
done
echo '{"architectures": ["LlamaForCausalLM"]}' > "$WORK/model/config.json"
"$OS" keygen -o "$WORK/k" --algorithm p256 >/dev/null

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
t() {
  local times=()
  for _ in $(seq "$RUNS"); do
    rm -f "$WORK/model/model.sig"
    [ -n "${2:-}" ] && bash -c "$2" >/dev/null 2>&1
    local s e; s=$(date +%s%N); bash -c "$1" >/dev/null 2>&1 || { echo "failed: $1" >&2; exit 1; }
    e=$(date +%s%N)
    times+=("$(echo "scale=3; ($e - $s) / 1000000000" | bc)")
  done
  printf '%s\n' "${times[@]}" | median
}
cat "$WORK"/model/* > /dev/null   # warm the page cache
os_sign=$(t "'$OS' sign '$WORK/model' --key '$WORK/k.key'")
ms_sign=$(t "'$MS' sign key '$WORK/model' --private_key '$WORK/k.key' --signature '$WORK/model/model.sig'")
os_verify=$(t "'$OS' verify '$WORK/model' --oms --trust '$WORK/k.pub'" "'$OS' sign '$WORK/model' --key '$WORK/k.key'")
ms_verify=$(t "'$MS' verify key '$WORK/model' --signature '$WORK/model/model.sig' --public_key '$WORK/k.pub'" "'$OS' sign '$WORK/model' --key '$WORK/k.key'")
echo "cores: $(nproc); $GIB GiB in $SHARDS shards; median of $RUNS runs (s)"
printf '| %s | %s | %s | %s |\n' operation openseal model_signing ratio
printf '| sign | %s | %s | %.2f |\n' "$os_sign" "$ms_sign" "$(echo "$os_sign / $ms_sign" | bc -l)"
printf '| verify | %s | %s | %.2f |\n' "$os_verify" "$ms_verify" "$(echo "$os_verify / $ms_verify" | bc -l)"
