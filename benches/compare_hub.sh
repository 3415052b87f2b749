#!/usr/bin/env bash
# Whole-process comparison of `openseal inspect --json hf://ORG/NAME` with huggingface_hub's
# `get_safetensors_metadata`, both against the same Hub-shaped fixture server on 127.0.0.1
# (examples/hub_fixture_server.rs: a Llama-7B-like model in four safetensors shards).
# Each run starts with an empty cache. Counts the requests and bytes each made (from the
# server), and times the whole process and, for Python, the call alone (without interpreter
# start and import). Installs huggingface_hub into benches/.venv from PyPI.
# Usage: benches/compare_hub.sh [RUNS]    (run from anywhere; prints a Markdown table)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-10}
WORK=$(mktemp -d)
SERVER_PID=
trap '[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"' EXIT

cargo build --release --quiet --bin openseal --example hub_fixture_server
if [ ! -x benches/.venv/bin/python ]; then
  python3 -m venv benches/.venv
fi
benches/.venv/bin/python -c 'import huggingface_hub' 2>/dev/null ||
  benches/.venv/bin/pip install --quiet 'huggingface_hub>=0.26'
PY=$PWD/benches/.venv/bin/python

target/release/examples/hub_fixture_server > "$WORK/port" &
SERVER_PID=$!
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
PORT=$(cat "$WORK/port")

"$PY" - "$RUNS" "$PORT" "$PWD/target/release/openseal" "$WORK" <<'PYEOF'
import json, os, shutil, statistics, subprocess, sys, time, urllib.request
runs, port, openseal, work = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
endpoint = f"http://127.0.0.1:{port}"
repo = "org/llama-4shard"

def stats():
    with urllib.request.urlopen(f"{endpoint}/__stats") as r:
        return json.load(r)

def run(cmd, env_extra):
    home = os.path.join(work, "home")
    shutil.rmtree(home, ignore_errors=True)
    os.makedirs(home)
    env = dict(os.environ, HF_ENDPOINT=endpoint, HF_HOME=home,
               HF_HUB_CACHE=os.path.join(home, "hub"), HF_HUB_DISABLE_TELEMETRY="1",
               HF_HUB_DISABLE_PROGRESS_BARS="1", **env_extra)
    env.pop("HF_TOKEN", None)
    before = stats()
    start = time.perf_counter()
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
    wall = time.perf_counter() - start
    after = stats()
    return wall, after["requests"] - before["requests"], after["bytes"] - before["bytes"], out

py_call = (
    "import time; from huggingface_hub import get_safetensors_metadata as g; "
    f"t=time.perf_counter(); m=g({repo!r}); t=time.perf_counter()-t; "
    "print(sum(m.parameter_count.values()), t)"
)
rows = {}
for name, cmd in [("openseal", [openseal, "inspect", "--json", f"hf://{repo}"]),
                  ("huggingface_hub", [sys.executable, "-c", py_call])]:
    walls, calls, reqs, sent, params = [], [], set(), set(), set()
    for _ in range(runs):
        wall, r, b, out = run(cmd, {})
        walls.append(wall); reqs.add(r); sent.add(b)
        if name == "openseal":
            params.add(json.loads(out)["inputs"][0]["parameters"]["total"])
        else:
            p, t = out.split(); params.add(int(p)); calls.append(float(t))
    rows[name] = (statistics.median(walls), statistics.median(calls) if calls else None,
                  sorted(reqs), sorted(sent), sorted(params))

import huggingface_hub
print(f"huggingface_hub {huggingface_hub.__version__}, {runs} runs each, medians, empty cache per run\n")
print("| tool | whole process | the call alone | requests | bytes sent by the server | parameters |")
print("|---|---|---|---|---|---|")
for name, (wall, call, reqs, sent, params) in rows.items():
    call_s = f"{call*1000:.0f} ms" if call is not None else "—"
    print(f"| {name} | {wall*1000:.0f} ms | {call_s} | {'/'.join(map(str, reqs))} | "
          f"{'/'.join(map(str, sent))} | {'/'.join(map(str, params))} |")
o, h = rows["openseal"][0], rows["huggingface_hub"][0]
print(f"\nopenseal / huggingface_hub, whole process: {o/h:.2f}")
if rows["huggingface_hub"][1]:
    print(f"openseal whole process / huggingface_hub call alone: {o/rows['huggingface_hub'][1]:.2f}")
PYEOF
