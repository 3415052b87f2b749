#!/usr/bin/env bash
# Installs the Python peers of .ci/peers-requirements.txt into target/peers-venv, where the tests
# find them (tests/common/peers.rs). Run once; a later run with the same requirements does nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/peers-venv
stamp="$venv/.requirements"
if [ -f "$stamp" ] && cmp -s "$stamp" .ci/peers-requirements.txt; then
    exit 0
fi
rm -rf "$venv"
mkdir -p target
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r .ci/peers-requirements.txt
cp .ci/peers-requirements.txt "$stamp"
