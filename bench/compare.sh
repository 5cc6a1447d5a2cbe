#!/usr/bin/env bash
# Side-by-side benchmark of deriv against SymPy, SymEngine, CasADi and JAX on
# the workloads of bench/workloads.py; writes bench/RESULTS.md.
#
#   bench/compare.sh                      # everything (3-5 minutes on 2 cores once bench/.venv exists)
#   bench/compare.sh --only W1,W6         # some workloads (compare.py --help for more)
#
# Makes bench/.venv from bench/requirements.txt (once; again when the file
# changes), builds deriv in release, and runs bench/compare.py.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
venv="$here/.venv"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ] || ! cmp -s "$here/requirements.txt" "$venv/requirements.txt"; then
    echo "compare.sh: making $venv from bench/requirements.txt" >&2
    "$python" -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
    cp "$here/requirements.txt" "$venv/requirements.txt"
fi

echo "compare.sh: cargo build --release" >&2
(cd "$root" && cargo build --release --quiet)

# W8 also times a statically linked build, where the platform has one (glibc's
# libc.a on x86-64 Linux): `--target` keeps crt-static off the proc macros;
# `relocation-model=static` makes it a static executable at a fixed address
# rather than a static PIE that relocates itself at start (build.rs says why:
# 0.77 against 0.82 ms a fresh W1 process, /bin/true 0.64 ms).
# DERIV_NO_STATIC=1 skips it.
static=()
if [ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] && [ -z "${DERIV_NO_STATIC:-}" ]; then
    echo "compare.sh: a statically linked build (target/static)" >&2
    if (cd "$root" && RUSTFLAGS="-C target-feature=+crt-static -C relocation-model=static" cargo build --release --quiet \
            --target x86_64-unknown-linux-gnu --target-dir target/static); then
        static=(--deriv-static "$root/target/static/x86_64-unknown-linux-gnu/release/deriv")
    else
        echo "compare.sh: no static build on this machine; W8 times the default build only" >&2
    fi
fi

cd "$root"
exec "$venv/bin/python" "$here/compare.py" --deriv "$root/target/release/deriv" ${static[@]+"${static[@]}"} "$@"
