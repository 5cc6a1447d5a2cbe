#!/usr/bin/env python3
"""In-process symbolic time (`compute_s`, median of `--repeat`) of the
gradient and Hessian workloads of `workloads.py`, for two or more deriv
binaries side by side: a quick A/B check that a change to the rewrites of
derivatives costs no more than it should (issue 12: at most 20%).

    python3 bench/compute_ab.py /tmp/deriv-before target/release/deriv [A B ...]

Give each binary twice (A B A B) to see the noise of a shared machine.
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import workloads as w  # noqa: E402

REPEAT = '21'


def main():
    bins = sys.argv[1:]
    if not bins:
        sys.exit(__doc__)
    for c in w.CASES:
        if c.kind not in ('grad', 'hessian'):
            continue
        if c.kind == 'grad' and c.size > 1000 and c.size != 10000:
            continue
        if c.kind == 'hessian' and c.size > 100:
            continue
        row = [c.key]
        for b in bins:
            r = subprocess.run([b, c.kind, '-', '--timings', '--repeat', REPEAT],
                               input=c.expr, capture_output=True, text=True, check=True)
            t = json.loads(r.stderr.strip().splitlines()[-1])['timings']
            row.append('%.3g' % t['compute_s'])
        print(*row, sep='\t')


if __name__ == '__main__':
    main()
