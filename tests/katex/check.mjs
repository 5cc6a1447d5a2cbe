// Reads LaTeX expressions from stdin, one a line, and renders each with
// KaTeX (throwOnError, strict). Exits 1 at the first line KaTeX rejects,
// naming the line; exits 0 with a count when all render.
import { createInterface } from "node:readline";
import katex from "katex";

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
let n = 0;
for await (const line of lines) {
  n += 1;
  if (line.trim() === "") continue;
  try {
    katex.renderToString(line, { throwOnError: true, strict: "error", displayMode: true });
  } catch (err) {
    console.error(`katex-check: line ${n}: ${err.message}\n  ${line}`);
    process.exit(1);
  }
}
console.log(`katex-check: ${n} lines rendered`);
