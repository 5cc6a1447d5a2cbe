#!/bin/sh
# Seeds corpus/<target>/ for every fuzz target from the test inputs:
# one file per line of ../grammar/valid/*.txt and ../grammar/invalid/*,
# and (when present) the EXPR of each acceptance case. Run from fuzz/.
set -eu
ACC=${ACCEPTANCE:-../../shared/acceptance}
tmp=$(mktemp -d)
i=0
emit() { i=$((i + 1)); printf '%s' "$1" > "$tmp/seed$i"; }
for f in ../grammar/valid/*.txt ../grammar/invalid/*; do
    [ -f "$f" ] || continue
    while IFS= read -r line || [ -n "$line" ]; do
        [ -n "$line" ] && emit "$line"
    done < "$f"
done
if [ -f "$ACC/cases.jsonl" ]; then
    python3 - "$ACC/cases.jsonl" "$tmp" <<'PY'
import json, sys, os
out = sys.argv[2]
for n, line in enumerate(open(sys.argv[1])):
    c = json.loads(line)
    s = c.get("stdin") or c.get("input") or ""
    if s:
        open(os.path.join(out, "acc%d" % n), "w").write(s)
PY
fi
if [ -f "$ACC/bad_inputs.txt" ]; then
    grep -v '^#' "$ACC/bad_inputs.txt" | grep -o "'[^']*'" | tr -d "'" | grep -v '{{' |
    while IFS= read -r line; do i=$((i + 1)); printf '%s' "$line" > "$tmp/bad$i"; done
fi
for t in parse pipeline eval_series; do
    mkdir -p "corpus/$t"
    cp "$tmp"/* "corpus/$t/"
done
# eval_series reads 4 header bytes (order and point) before the expression
for f in corpus/eval_series/*; do
    { printf '\002\004\374\010'; cat "$f"; } > "$f.h" && mv "$f.h" "$f"
done
rm -rf "$tmp"
echo "seeded $(ls corpus/parse | wc -l) inputs per target"
