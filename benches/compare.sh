#!/usr/bin/env bash
# Every speed claim of openseal against the tools users would pick instead, in one run:
#   inspect   vs  safetensors.safe_open, gguf-dump --no-tensors          (benches/compare_inspect.sh)
#   stats     vs  numpy                                                     (benches/compare_stats.sh)
#   pack      vs  tar | zstd -T0 -3;  verify vs zstd -dc | openssl dgst     (benches/compare_bundle.sh)
#   scan      vs  picklescan, on a PyTorch zip checkpoint
#   pack      vs  model_signing sign key (ECDSA P-256) + tar | zstd
#   verify    vs  model_signing verify key + zstd -dc | openssl dgst -sha256
# Installs its peers into benches/.venv from PyPI. Usage: benches/compare.sh [RUNS] [GIB]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
GIB=${2:-2}
for tool in zstd openssl /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install zstd openssl time)" >&2; exit 2; }
done
cargo build --release --quiet
if [ ! -x benches/.venv/bin/python ]; then python3 -m venv benches/.venv; fi
benches/.venv/bin/pip install --quiet 'safetensors==0.8.0' 'gguf==0.19.0' numpy picklescan model-signing pyopenssl
echo "# openseal against its peers"
echo
echo "$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB memory; median of $RUNS runs unless noted"
echo
echo "## Inspect"
benches/compare_inspect.sh "$RUNS" | grep -v '^$' | grep -v '^safetensors:' | grep -v INFO
echo
echo "## Models on the Hub (fixture server)"
benches/compare_hub.sh "$RUNS" | grep -E '^\||^openseal'
echo
echo "## Statistics"
benches/compare_stats.sh "$RUNS" 2>/dev/null | grep '^|' || echo "(compare_stats.sh failed)"
echo
echo "## Bundles"
benches/compare_bundle.sh 3 "$GIB" | grep -E '^\||^release|^compressed'
echo
echo "## Pickle scan and OpenSSF model signing"
benches/compare_signing.sh "$RUNS" "$GIB"
