#!/usr/bin/env bash
# openseal push / pull against skopeo copy (OCI layout <-> registry) for the same blobs, through
# the CNCF distribution registry on loopback; whole process, median of RUNS runs; peak RSS of
# pull by /usr/bin/time -v. Usage: benches/compare_oci.sh [RUNS] [GIB] [SHARDS].
# Needs docker-registry and skopeo (apt-get install docker-registry skopeo).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
GIB=${2:-2}
SHARDS=${3:-4}
WORK=$(mktemp -d)
REG_PID=
cleanup() { if [ -n "$REG_PID" ]; then kill "$REG_PID" 2>/dev/null || true; fi; rm -rf "$WORK"; }
trap cleanup EXIT
cargo build --release --quiet
OS=$PWD/target/release/openseal

# A release of GIB GiB of incompressible weights in SHARDS files, with its card and licence.
mkdir -p "$WORK/release"
per=$((GIB * 1024 / SHARDS))
for i in $(seq 1 "$SHARDS"); do
  head -c "$((per << 20))" /dev/urandom > "$WORK/release/shard-$i.bin"
done
printf -- '---\nlicense: apache-2.0\n---\n# bench\n' > "$WORK/release/README.md"
"$OS" keygen -o "$WORK/k" >/dev/null
"$OS" pack "$WORK/release" -o "$WORK/b.tar.zst" --key "$WORK/k.key" --level 1 >/dev/null
"$OS" export "$WORK/b.tar.zst" --oci-layout "$WORK/layout" --tag v1 --trust "$WORK/k.pub" >/dev/null

# The registry on a free port, storing under WORK; `fresh` restarts it empty, so every timed push
# uploads every blob (skopeo would otherwise mount blobs it saw in another repository).
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$WORK/registry.yml" <<YML
version: 0.1
storage:
  filesystem:
    rootdirectory: $WORK/storage
http:
  addr: 127.0.0.1:$PORT
YML
fresh() {
  if [ -n "$REG_PID" ]; then kill "$REG_PID" 2>/dev/null || true; wait "$REG_PID" 2>/dev/null || true; fi
  rm -rf "$WORK/storage"
  docker-registry serve "$WORK/registry.yml" >"$WORK/registry.log" 2>&1 &
  REG_PID=$!
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/v2/" >/dev/null && return; sleep 0.1; done
  echo "the registry did not start" >&2; exit 1
}
SK="skopeo --insecure-policy"
# Pulled copies are removed between runs: a 2 GiB release pulled six times would fill the disk.
clean_pulled() { rm -rf "$WORK"/pulled* "$WORK"/skpulled*; }

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
n=0
# t CMD [SETUP]: median seconds of CMD, SETUP (a function) run untimed before each run; {N} in
# CMD becomes a fresh number each run (a new folder). Results go to the variable named by $3.
t() {
  local times=()
  for _ in $(seq "$RUNS"); do
    [ -n "${2:-}" ] && "$2"
    n=$((n + 1))
    local cmd=${1//\{N\}/$n}
    local s e; s=$(date +%s%N); bash -c "$cmd" >/dev/null 2>"$WORK/err" || { echo "failed: $cmd" >&2; cat "$WORK/err" >&2; exit 1; }
    e=$(date +%s%N)
    times+=("$(echo "scale=3; ($e - $s) / 1000000000" | bc)")
  done
  printf -v "$3" '%s' "$(printf '%s\n' "${times[@]}" | median)"
}
R="127.0.0.1:$PORT"
fresh
t "'$OS' push '$WORK/b.tar.zst' oci://$R/model:v1 --trust '$WORK/k.pub'" fresh os_push
t "$SK copy --dest-tls-verify=false oci:$WORK/layout:v1 docker://$R/model:v1" fresh sk_push
# A second push of the same release to the same repository uploads nothing.
fresh
"$OS" push "$WORK/b.tar.zst" "oci://$R/again:v1" --trust "$WORK/k.pub" >/dev/null
again=$("$OS" push "$WORK/b.tar.zst" "oci://$R/again:v1" --trust "$WORK/k.pub" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["uploaded"])')
t "'$OS' pull oci://$R/again:v1 -C '$WORK/pulled{N}' --trust '$WORK/k.pub'" clean_pulled os_pull
t "$SK copy --src-tls-verify=false docker://$R/again:v1 oci:$WORK/skpulled{N}:v1" clean_pulled sk_pull
clean_pulled
rss=$(/usr/bin/time -v "$OS" pull "oci://$R/again:v1" -C "$WORK/rss" --trust "$WORK/k.pub" 2>&1 >/dev/null | awk '/Maximum resident/ {print int($6/1024)}')
echo "cores: $(nproc); $GIB GiB in $SHARDS files; median of $RUNS runs (s)"
printf '| %s | %s | %s | %s |\n' operation openseal "skopeo copy" ratio
printf '| push (bundle -> registry; skopeo: layout -> registry) | %s | %s | %.2f |\n' "$os_push" "$sk_push" "$(echo "$os_push / $sk_push" | bc -l)"
printf '| pull (registry -> folder; skopeo: registry -> layout) | %s | %s | %.2f |\n' "$os_pull" "$sk_pull" "$(echo "$os_pull / $sk_pull" | bc -l)"
echo "second push of the same release: $again blobs uploaded; pull peak RSS: $rss MiB"
