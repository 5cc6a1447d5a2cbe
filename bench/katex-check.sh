#!/usr/bin/env bash
# Renders a corpus of deriv's LaTeX output with KaTeX; fails on the first
# expression KaTeX rejects. Needs node and npm (not part of `cargo test`).
#   bench/katex-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."

corpus=target/latex-corpus.txt
rm -f "$corpus"
DERIV_LATEX_CORPUS=1 cargo test --quiet --lib print::latex::corpus::write_corpus >/dev/null
test -s "$corpus" || { echo "katex-check: $corpus was not written" >&2; exit 1; }

if [ ! -d tests/katex/node_modules/katex ]; then
  (cd tests/katex && if [ -f package-lock.json ]; then npm ci --silent; else npm install --silent; fi)
fi
node tests/katex/check.mjs < "$corpus"
