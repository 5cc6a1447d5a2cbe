#!/bin/sh
# Seeds corpus/<target>/ for every fuzz target from the test inputs:
# one file per line of ../grammar/valid/*.txt and ../grammar/invalid/*,
# and (when present) the EXPR of each acceptance case; `cli` gets the
# acceptance command lines, `oracle` fixed pseudo-random bytes. Run from fuzz/.
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
# cli: 4 header bytes and the fields EXPR, --at, --vars/--wrt, stdin
# (see fuzz_targets/cli.rs), from the command lines of the acceptance cases
mkdir -p corpus/cli corpus/oracle
if [ -f "$ACC/cases.jsonl" ]; then
    python3 - "$ACC/cases.jsonl" corpus/cli <<'PY'
import json, sys, os
cmds = ["eval", "simplify", "diff", "grad", "hessian", "jacobian", "taylor",
        "linearize", "stats", "trace"]
for n, line in enumerate(open(sys.argv[1])):
    c = json.loads(line)
    args = c["args"]
    if not args or args[0] not in cmds:
        continue
    opts = {}
    rest = args[2:]
    for i, a in enumerate(rest):
        if a.startswith("--"):
            k, _, v = a.partition("=")
            opts[k] = v or (rest[i + 1] if i + 1 < len(rest) and not rest[i + 1].startswith("--") else "")
    h1 = 0
    if args[1] == "-":
        h1 |= 1
    for flag, bit in [("--cse", 2), ("--check", 4), ("--numeric", 16)]:
        if flag in opts:
            h1 |= bit
    h1 |= {"symbolic": 1, "forward": 2, "reverse": 3}.get(opts.get("--mode"), 0) << 6
    order = opts.get("--order", "")
    h2 = 0x10 | (int(order) & 15) if order.isdigit() else 0
    for fmt in (1, 7):  # json, none (text)
        head = bytes([cmds.index(args[0]) | fmt << 4, h1, h2, 0])
        fields = [args[1] if args[1] != "-" else "", opts.get("--at", ""),
                  opts.get("--wrt", opts.get("--vars", "")), c.get("stdin") or ""]
        data = head + b"\x1f".join(f.encode() for f in fields)
        open(os.path.join(sys.argv[2], "acc%d_%d" % (n, fmt)), "wb").write(data)
PY
fi
# oracle: any bytes drive its generator; a few fixed pseudo-random seeds
python3 - corpus/oracle <<'PY'
import random, sys, os
r = random.Random(11)
for n in range(64):
    data = bytes(r.randrange(256) for _ in range(r.randrange(8, 96)))
    open(os.path.join(sys.argv[1], "rand%d" % n), "wb").write(data)
PY
rm -rf "$tmp"
echo "seeded $(ls corpus/parse | wc -l) inputs per expression target, $(ls corpus/cli | wc -l) cli, $(ls corpus/oracle | wc -l) oracle"
