#!/usr/bin/env bash
# Whole-process comparison of `openseal inspect --stats --json` with numpy computing the same
# statistics (min, max, mean, std over finite values; NaN/±inf/zero counts) on a 2 GiB bf16
# safetensors file of random values. numpy has no bf16, so the script widens the bits to f32
# (u16 << 16), reduces in chunks with f64 accumulators and merges chunks like openseal does.
# Installs safetensors + numpy into benches/.venv from PyPI; uses hyperfine when installed,
# else a loop. Usage: benches/compare_stats.sh [RUNS] [GIB]   (prints a Markdown table)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
GIB=${2:-2}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cargo build --release --quiet
OPENSEAL=$PWD/target/release/openseal
if [ ! -x benches/.venv/bin/python ]; then
  python3 -m venv benches/.venv
fi
benches/.venv/bin/python -c 'import safetensors, numpy' 2>/dev/null \
  || benches/.venv/bin/pip install --quiet 'safetensors==0.8.0' numpy
PY=$PWD/benches/.venv/bin/python

"$PY" - "$WORK" "$GIB" <<'PYEOF'
import json, struct, sys, os
import numpy as np
work, gib = sys.argv[1], float(sys.argv[2])
n = int(gib * 2**30) // 2
rows = n // 4096
n = rows * 4096
header = {"__metadata__": {"format": "pt"},
          "model.weight": {"dtype": "BF16", "shape": [rows, 4096], "data_offsets": [0, 2 * n]}}
h = json.dumps(header, separators=(",", ":")).encode(); h += b" " * (-len(h) % 8)
rng = np.random.default_rng(0)
with open(os.path.join(work, "model.safetensors"), "wb") as f:
    f.write(struct.pack("<Q", len(h)) + h)
    step = 1 << 26
    for start in range(0, n, step):
        m = min(step, n - start)
        x = rng.standard_normal(m, dtype=np.float32) * 0.02
        f.write((x.view(np.uint32) >> 16).astype(np.uint16).tobytes())
print(f"{n} bf16 values, {(8 + len(h) + 2 * n) / 2**30:.2f} GiB", file=sys.stderr)
PYEOF

cat > "$WORK/np_stats.py" <<'PYEOF'
import json, struct, sys
import numpy as np
from safetensors import safe_open
path = sys.argv[1]
with safe_open(path, "numpy") as f:
    keys = list(f.keys())
with open(path, "rb") as fh:
    hlen = struct.unpack("<Q", fh.read(8))[0]
    header = json.loads(fh.read(hlen))
out = {}
for k in keys:
    e = header[k]
    begin, end = e["data_offsets"]
    raw = np.memmap(path, dtype=np.uint16, mode="r", offset=8 + hlen + begin, shape=((end - begin) // 2,))
    cnt = fin = nan = pinf = ninf = zeros = 0
    mn, mx, mean, m2 = np.inf, -np.inf, 0.0, 0.0
    step = 1 << 22
    for s in range(0, raw.shape[0], step):
        x = (raw[s:s + step].astype(np.uint32) << 16).view(np.float32)
        c = x.shape[0]
        cnt += c
        zeros += int(np.count_nonzero(x == 0))
        total = x.sum(dtype=np.float64)
        if np.isfinite(total):
            v = x
        else:
            nan += int(np.count_nonzero(np.isnan(x)))
            pinf += int(np.count_nonzero(x == np.inf))
            ninf += int(np.count_nonzero(x == -np.inf))
            v = x[np.isfinite(x)]
            total = v.sum(dtype=np.float64)
        b = v.shape[0]
        if b == 0:
            continue
        cm = total / b
        cm2 = float(np.sum(np.square(v.astype(np.float64) - cm)))
        mn, mx = min(mn, float(v.min())), max(mx, float(v.max()))
        a = fin; nn = a + b; d = cm - mean
        mean += d * b / nn; m2 += cm2 + d * d * a * b / nn; fin = nn
    out[k] = dict(elements=cnt, finite=fin, nan=nan, pos_inf=pinf, neg_inf=ninf, zeros=zeros,
                  min=mn, max=mx, mean=mean, std=(m2 / fin) ** 0.5 if fin else None)
print(json.dumps(out))
PYEOF

# median wall time in ms of RUNS runs of a command
median_ms() {
  if command -v hyperfine >/dev/null; then
    hyperfine --runs "$RUNS" --warmup 1 --export-json "$WORK/h.json" -N "$*" >/dev/null 2>&1 \
      || hyperfine --runs "$RUNS" --warmup 1 --export-json "$WORK/h.json" "$*" >/dev/null
    "$PY" -c "import json;print('%.0f'%(json.load(open('$WORK/h.json'))['results'][0]['median']*1000))"
  else
    "$@" >/dev/null # warm the page cache
    local times=()
    for _ in $(seq "$RUNS"); do
      local s e; s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N)
      times+=($(( (e - s) / 1000 )))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.0f\n", a[int((NR+1)/2)]/1000}'
  fi
}

ST=$WORK/model.safetensors
BYTES=$(stat -c %s "$ST")
# Both must agree before timing means anything.
"$OPENSEAL" inspect --stats --json "$ST" > "$WORK/o.json"
"$PY" "$WORK/np_stats.py" "$ST" > "$WORK/n.json"
"$PY" - "$WORK/o.json" "$WORK/n.json" <<'PYEOF'
import json, sys
o = json.load(open(sys.argv[1]))["inputs"][0]["files"][0]["stats"]["tensors"][0]["stats"]
n = json.load(open(sys.argv[2]))["model.weight"]
for k in ("elements", "finite", "nan", "pos_inf", "neg_inf", "zeros", "min", "max"):
    assert o[k] == n[k], (k, o[k], n[k])
for k in ("mean", "std"):
    assert abs(o[k] - n[k]) <= 1e-9 * max(1e-12, abs(n[k])) + 1e-15, (k, o[k], n[k])
print("openseal and numpy agree:", {k: o[k] for k in ("min", "max", "mean", "std")}, file=sys.stderr)
PYEOF

o1=$(median_ms "$OPENSEAL" inspect --stats --json "$ST")
p1=$(median_ms "$PY" "$WORK/np_stats.py" "$ST")
o2=$(median_ms "$OPENSEAL" inspect --fingerprint --json "$ST")
gbs() { awk "BEGIN{printf \"%.2f\", $BYTES/($1/1000)/1e9}"; }
echo
echo "| operation | time (ms) | GB/s | vs numpy |"
echo "|---|---:|---:|---:|"
printf '| openseal inspect --stats (candle, cpu) | %s | %s | %s |\n' "$o1" "$(gbs "$o1")" "$(awk "BEGIN{printf \"%.2fx\", $p1/$o1}")"
printf '| numpy, same statistics (f64 accumulators) | %s | %s | 1.00x |\n' "$p1" "$(gbs "$p1")"
printf '| openseal inspect --fingerprint (SHA-256) | %s | %s | |\n' "$o2" "$(gbs "$o2")"
echo
echo "$(awk "BEGIN{printf \"%.2f\", $BYTES/2^30}") GiB bf16 file, page cache warm; median of $RUNS runs, whole process; $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB memory"
