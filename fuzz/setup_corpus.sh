#!/bin/sh
# Fills fuzz/corpus/<target>/ (gitignored) from the committed seeds and the testdata fixtures.
set -eu
cd "$(dirname "$0")"
T=../testdata
copy() { # target, files...
    target=$1; shift
    mkdir -p "corpus/$target"
    for f in "$@"; do [ -f "$f" ] && cp "$f" "corpus/$target/$(echo "${f#../}" | tr / _)"; done
    return 0
}
for t in seeds/*/; do t=$(basename "$t"); mkdir -p "corpus/$t"; cp seeds/"$t"/* "corpus/$t/"; done
copy safetensors $T/safetensors/* $T/example-model/model.safetensors $T/sharded/*/*.safetensors
copy sharded $T/sharded/*/*.json
copy gguf $T/gguf/*
copy pickle $T/pickle/*.pkl $T/pytorch/*legacy* $T/numpy/*.npy
copy pytorch $T/pytorch/*.pt
copy numpy $T/numpy/*
copy config_card $T/example-model/*.json $T/example-model/*.md $(find $T/real -name '*.json' -size -64k) $(find $T/real -name 'README.md')
copy toml_files $T/frameworks/*.toml ../src/framework/*.toml $(find $T/releases $T/example-model -name openseal.toml) ../keys/example-trust.toml $(find ../formats -name '*.toml' 2>/dev/null)
copy manifest $(find $T/releases -name '*.json' -path '*openseal*')
copy bundle $T/bundles/*.tar.zst
