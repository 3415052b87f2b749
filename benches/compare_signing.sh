#!/usr/bin/env bash
# openseal against picklescan (pickle scanning) and OpenSSF model_signing (sign/verify with an
# ECDSA P-256 key made by openssl), side by side. Usage: benches/compare_signing.sh [RUNS] [GIB]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
GIB=${2:-1}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cargo build --release --quiet
OS=$PWD/target/release/openseal
VENV=$PWD/benches/.venv
[ -x "$VENV/bin/model_signing" ] || "$VENV/bin/pip" install --quiet picklescan model-signing pyopenssl numpy

# A PyTorch-style zip checkpoint (torch.save layout) written without torch: 400 tensors.
"$VENV/bin/python" - "$WORK/model.pt" <<'PYEOF'
import io, pickle, sys, types, zipfile, collections
import numpy as np
torch = types.ModuleType("torch"); utils = types.ModuleType("torch._utils")
class FloatStorage: pass
FloatStorage.__module__ = "torch"
def _rebuild_tensor_v2(*a): pass
_rebuild_tensor_v2.__module__ = "torch._utils"
torch.FloatStorage = FloatStorage; utils._rebuild_tensor_v2 = _rebuild_tensor_v2; torch._utils = utils
sys.modules["torch"] = torch; sys.modules["torch._utils"] = utils
class T:
    def __init__(self, key, shape): self.key, self.shape = key, shape
    def __reduce__(self):
        n = int(np.prod(self.shape))
        stride = tuple(int(np.prod(self.shape[i+1:])) for i in range(len(self.shape)))
        return (_rebuild_tensor_v2, (("storage", FloatStorage, self.key, "cpu", n), 0, self.shape, stride, False, collections.OrderedDict()))
class P(pickle.Pickler):
    def persistent_id(self, obj):
        return obj if isinstance(obj, tuple) and obj and obj[0] == "storage" else None
state = collections.OrderedDict()
shapes = {}
for i in range(400):
    shapes[f"model.layers.{i//8}.mlp.w{i%8}.weight"] = (64, 256)
buf = io.BytesIO()
for k, (name, shape) in enumerate(shapes.items()):
    state[name] = T(str(k), shape)
P(buf, protocol=2).dump(state)
rng = np.random.default_rng(0)
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_STORED) as z:
    z.writestr("archive/data.pkl", buf.getvalue())
    for k, shape in enumerate(shapes.values()):
        z.writestr(f"archive/data/{k}", rng.standard_normal(shape, dtype=np.float32).tobytes())
    z.writestr("archive/version", "3\n"); z.writestr("archive/byteorder", "little")
PYEOF
"$OS" inspect "$WORK/model.pt" | grep -q "400 tensors" || { echo "generated checkpoint not read as 400 tensors" >&2; exit 1; }

# A release of GIB GiB of BF16 weights for signing.
mkdir -p "$WORK/release"
"$VENV/bin/python" - "$WORK/release" "$GIB" <<'PYEOF'
import json, os, struct, sys
import numpy as np
root, gib = sys.argv[1], float(sys.argv[2])
rows, hidden = int(gib * 2**30 / 2 / 4096), 4096
h = json.dumps({"w": {"dtype": "BF16", "shape": [rows, hidden], "data_offsets": [0, rows * hidden * 2]}}).encode()
h += b" " * (-len(h) % 8)
rng = np.random.default_rng(1)
with open(os.path.join(root, "model.safetensors"), "wb") as f:
    f.write(struct.pack("<Q", len(h)) + h)
    for start in range(0, rows, 4096):
        n = min(4096, rows - start)
        x = (rng.standard_normal((n, hidden), dtype=np.float32) * 0.02).view(np.uint32)
        f.write((x >> 16).astype(np.uint16).tobytes())
open(os.path.join(root, "README.md"), "w").write("---\nlicense: apache-2.0\n---\n# bench\n")
PYEOF
openssl ecparam -name prime256v1 -genkey -noout -out "$WORK/ec.key" 2>/dev/null
openssl ec -in "$WORK/ec.key" -pubout -out "$WORK/ec.pub" 2>/dev/null
"$OS" keygen -o "$WORK/ed" >/dev/null

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# median seconds of RUNS runs of a shell command ($2: setup run before each, untimed)
t() {
  local times=()
  for _ in $(seq "$RUNS"); do
    [ -n "${2:-}" ] && bash -c "$2"
    local s e; s=$(date +%s%N); bash -c "$1" >/dev/null 2>&1; e=$(date +%s%N)
    times+=("$(awk "BEGIN{print ($e-$s)/1e9}")")
  done
  printf '%s\n' "${times[@]}" | median
}
r() { awk "BEGIN{printf \"%.3f\", $1/$2}"; }
W=$WORK; R=$W/release
scan_o=$(t "$OS inspect --json $W/model.pt")
scan_p=$(t "$VENV/bin/picklescan -p $W/model.pt")
sign_p=$(t "$VENV/bin/model_signing sign key $R --private_key $W/ec.key --signature $W/ms.sig")
pack_o=$(t "$OS pack $R -o $W/o.tar.zst --key $W/ed.key" "rm -f $W/o.tar.zst")
pack_p=$(t "$VENV/bin/model_signing sign key $R --private_key $W/ec.key --signature $W/ms.sig && tar -cf - -C $W release | zstd -T0 -3 -q -f -o $W/p.tar.zst")
"$VENV/bin/model_signing" sign key "$R" --private_key "$W/ec.key" --signature "$W/ms.sig" >/dev/null 2>&1
ver_o=$(t "$OS verify $W/o.tar.zst --trust $W/ed.pub")
ver_p=$(t "$VENV/bin/model_signing verify key $R --signature $W/ms.sig --public_key $W/ec.pub && zstd -dc $W/p.tar.zst | openssl dgst -sha256")
verms=$(t "$VENV/bin/model_signing verify key $R --signature $W/ms.sig --public_key $W/ec.pub")
echo "| operation | openseal (s) | peer | peer (s) | openseal / peer |"
echo "|---|---:|---|---:|---:|"
echo "| scan a PyTorch zip checkpoint (400 tensors) for unsafe pickles | $scan_o | \`picklescan -p\` | $scan_p | $(r "$scan_o" "$scan_p") |"
echo "| pack $GIB GiB (hash, sign, compress) vs sign only | $pack_o | \`model_signing sign key\` (ECDSA P-256) | $sign_p | $(r "$pack_o" "$sign_p") |"
echo "| pack $GIB GiB | $pack_o | \`model_signing sign key\` + \`tar \| zstd -T0 -3\` | $pack_p | $(r "$pack_o" "$pack_p") |"
echo "| verify $GIB GiB (signature, digests, levels) vs signature only | $ver_o | \`model_signing verify key\` | $verms | $(r "$ver_o" "$verms") |"
echo "| verify $GIB GiB | $ver_o | \`model_signing verify key\` + \`zstd -dc \| openssl dgst -sha256\` | $ver_p | $(r "$ver_o" "$ver_p") |"
