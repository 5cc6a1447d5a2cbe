#!/usr/bin/env python3
"""W3 growth (N=10000 ÷ N=1000 of `compute_s`) of one or more deriv
binaries, for `grad` and, with `--cmds`, `stats`, `grad --cse` (`cse`) and
`trace` (at x_i = 1), in alternating rounds: each round takes, per
command, N=1000 (`--repeat 31`) and then N=10000 (`--repeat 5`) of every
binary in turn, so that a change of the machine's load touches every
figure of the round alike.

    python3 bench/growth_ab.py [--rounds 12] [--cmds grad,stats,cse,trace] OLD NEW [...]

Prints, per binary, the medians of `compute_s` over the rounds and their
ratio, the median and range of the rounds' own ratios, and the same from
the smallest figures (the least disturbed by other work). Copy the
binaries first: a `cargo build` replaces target/release/deriv.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scaling import LIMITS, rosenbrock  # noqa: E402

SIZES = ((1000, 31), (10000, 5))


def argv(cmd, names):
    """The command line of `cmd` over the variables `names` (comma-separated)."""
    return {
        'grad': ['grad', '-', '--vars', names],
        'stats': ['stats', '-', '--vars', names],
        'cse': ['grad', '-', '--cse', '--vars', names],
        'trace': ['trace', '-', '--at', ','.join(x + '=1' for x in names.split(','))],
    }[cmd]


def compute_s(deriv, cmd, text, names, repeat):
    p = subprocess.run([deriv] + argv(cmd, names) + ['--timings', '--repeat', str(repeat)] + LIMITS,
                       input=text.encode(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if p.returncode != 0:
        sys.exit('%s failed: %s' % (deriv, p.stderr.decode()[:300]))
    return json.loads(p.stderr.decode().strip().splitlines()[-1])['timings']['compute_s']


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--rounds', type=int, default=12)
    ap.add_argument('--cmds', default='grad', help='comma-separated: grad, stats, cse, trace')
    ap.add_argument('deriv', nargs='+')
    args = ap.parse_args()
    inputs = {n: (rosenbrock(n), ','.join('x%d' % i for i in range(1, n + 1))) for n, _ in SIZES}
    cmds = args.cmds.split(',')
    figs = {(c, b): {n: [] for n, _ in SIZES} for c in cmds for b in args.deriv}
    for _ in range(args.rounds):
        for c in cmds:
            for n, repeat in SIZES:
                for b in args.deriv:
                    figs[(c, b)][n].append(compute_s(b, c, *inputs[n], repeat))
    for c in cmds:
        for b in args.deriv:
            small, big = figs[(c, b)][1000], figs[(c, b)][10000]
            each = sorted(y / x for x, y in zip(small, big))
            a, m = statistics.median(small), statistics.median(big)
            print('%s %s\n  medians  N=1000 %.3f ms  N=10000 %.2f ms  ratio %.2f  (rounds: median %.2f, %.2f to %.2f)'
                  % (c, b, a * 1e3, m * 1e3, m / a, statistics.median(each), each[0], each[-1]))
            print('  smallest N=1000 %.3f ms  N=10000 %.2f ms  ratio %.2f' % (min(small) * 1e3, min(big) * 1e3,
                                                                             min(big) / min(small)), flush=True)


if __name__ == '__main__':
    main()
