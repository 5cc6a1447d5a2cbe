#!/usr/bin/env python3
"""Operation counts of f, its plain gradient and its --cse (reverse-sweep)
gradient program, on the workloads of the cheap-gradient benchmark.

    cargo build --release && python3 bench/cse_ops.py [--deriv target/release/deriv]

Prints one row per workload: ops of f (shared graph), of the gradient written
out as trees (what the plain form prints), of the --cse program, and the ratio
--cse / f, which reverse-mode AD bounds by a small constant (4 here).
"""
import argparse
import json
import subprocess
import time


def rosenbrock(n):
    return ' + '.join('100*(x%d - x%d^2)^2 + (1 - x%d)^2' % (i + 1, i, i) for i in range(1, n))


def product(n):
    return '*'.join('(x%d + %d)' % (i, i) for i in range(1, n + 1))


def network(inputs, hidden):
    units = []
    for j in range(1, hidden + 1):
        pre = ' + '.join('w1_%d_%d*x%d' % (j, i, i) for i in range(1, inputs + 1))
        units.append('w2_%d*tanh(%s + b1_%d)' % (j, pre, j))
    return '(y - (%s) - b2)^2' % ' + '.join(units)


def composition(depth):
    e = 'x*y'
    for k in range(depth):
        e = ('sin(%s)' if k % 2 == 0 else 'exp(%s/2)') % e
    return e


WORKLOADS = [
    ('rosenbrock, 1000 variables', rosenbrock(1000)),
    ('product of 50 distinct factors', product(50)),
    ('two-layer network loss, 4 inputs, 8 hidden', network(4, 8)),
    ('depth-50 composition', composition(50)),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--deriv', default='target/release/deriv')
    args = ap.parse_args()
    print('%-44s %10s %14s %10s %7s %8s' % ('workload', 'f ops', 'gradient ops', 'cse ops', 'cse/f', 'seconds'))
    worst = 0.0
    for name, expr in WORKLOADS:
        t0 = time.time()
        out = subprocess.run([args.deriv, 'stats', '-', '--format', 'json'], input=expr.encode(),
                             capture_output=True, check=True)
        secs = time.time() - t0
        ops = json.loads(out.stdout)['ops']
        ratio = ops['gradient_cse'] / max(ops['f'], 1)
        worst = max(worst, ratio)
        print('%-44s %10d %14d %10d %7.2f %8.2f' % (name, ops['f'], ops['gradient_tree'], ops['gradient_cse'],
                                                  ratio, secs))
    print('largest --cse / f ratio: %.2f (bound: 4)' % worst)


if __name__ == '__main__':
    main()
