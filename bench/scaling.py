#!/usr/bin/env python3
"""How the symbolic commands scale with the size of the graph (issue 9, item 1).

    cargo build --release && python3 bench/scaling.py [--deriv target/release/deriv] [--runs 3] [--quick]
    python3 bench/scaling.py --compute [--rounds 9]

Times whole `deriv` processes (best of --runs wall times, input on standard
input, output discarded) on:

- W3, the Rosenbrock sum written out, for N = 1000, 2000, 5000, 10000:
  `grad`, `stats` and `grad --cse`; and its Hessian for N = 10, 100, 1000;
- W4, a two-layer network loss (4 inputs, 8 hidden units): gradient;
- W5, the product (x1+1)*...*(x50+50): gradient;
- W1, sqrt(x^2+exp(x^2)) + cos(x^2+exp(x^2)): gradient;
- `deriv grad x`, the cost of a process start, to subtract from the rest.

Prints one row per job (best wall and best CPU time) and then the N=10000 / N=1000 ratio of each W3
command; linear cost means a ratio near 10 (the brief asks for at most 12).
`--quick` leaves out N = 5000 and 10000 (for a build whose cost is quadratic).

`--compute` measures the symbolic time alone, deriv's own `compute_s`
(`--timings`): W3 `grad` at N=1000 (`--repeat 31`) and N=10000
(`--repeat 5`), alternating, `--rounds` times; it prints the smallest and
the median of each and their ratios.
"""
import argparse
import os
import resource
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


def network_vars(inputs, hidden):
    ws = ['w1_%d_%d' % (j, i) for j in range(1, hidden + 1) for i in range(1, inputs + 1)]
    return ws + ['b1_%d' % j for j in range(1, hidden + 1)] + \
        ['w2_%d' % j for j in range(1, hidden + 1)] + ['b2']


W1 = 'sqrt(x^2+exp(x^2)) + cos(x^2+exp(x^2))'
LIMITS = ['--max-input', '100000000', '--max-output', '4000000000']


def child_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def best_time(deriv, argv, text, runs):
    """Best wall time and best CPU time (user + system) of `runs` runs, and
    the exit code of the last. On a loaded machine the CPU time is the
    steadier figure."""
    best, best_cpu, code = float('inf'), float('inf'), None
    for _ in range(runs):
        t, c = time.perf_counter(), child_cpu()
        p = subprocess.run([deriv] + argv + ['-'] + LIMITS, input=text.encode(),
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        best = min(best, time.perf_counter() - t)
        best_cpu = min(best_cpu, child_cpu() - c)
        code = p.returncode
        if code != 0:
            raise SystemExit('deriv %s failed (%d): %s' % (' '.join(argv), code, p.stderr.decode()[:300]))
    return best, best_cpu


def compute_s(deriv, n, repeat):
    """deriv's `compute_s` (median of `repeat` in one process) for W3 grad at N=n."""
    import json
    vs = ','.join('x%d' % i for i in range(1, n + 1))
    # /dev/null opened write-only, as a shell's `> /dev/null`: a deriv
    # before 5789157 took a read-write one (subprocess.DEVNULL) for a
    # closed standard output
    with open(os.devnull, 'w') as null:
        p = subprocess.run([deriv, 'grad', '-', '--vars', vs, '--timings', '--repeat', str(repeat)] + LIMITS,
                           input=rosenbrock(n).encode(), stdout=null, stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise SystemExit('deriv grad (W3 N=%d) failed (%d): %s' % (n, p.returncode, p.stderr.decode()[:300]))
    return json.loads(p.stderr.decode().strip().splitlines()[-1])['timings']['compute_s']


def compute_ratio(deriv, rounds):
    import statistics
    small, big = [], []
    for _ in range(rounds):
        small.append(compute_s(deriv, 1000, 31))
        big.append(compute_s(deriv, 10000, 5))
    for name, f in (('min', min), ('median', statistics.median)):
        a, b = f(small), f(big)
        print('W3 grad compute_s %-6s N=1000 %.4f s  N=10000 %.4f s  ratio %.1f' % (name, a, b, b / a))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--deriv', default='target/release/deriv')
    ap.add_argument('--runs', type=int, default=3)
    ap.add_argument('--quick', action='store_true')
    ap.add_argument('--compute', action='store_true', help="deriv's own compute_s of W3 grad only")
    ap.add_argument('--rounds', type=int, default=9)
    args = ap.parse_args()
    if args.compute:
        compute_ratio(args.deriv, args.rounds)
        return
    sizes = [1000, 2000] if args.quick else [1000, 2000, 5000, 10000]
    rows = []

    print('%-36s %10s %10s' % ('job', 'wall s', 'cpu s'))

    def run(name, argv, text, runs=args.runs):
        secs, cpu = best_time(args.deriv, argv, text, runs)
        rows.append((name, secs, cpu))
        print('%-36s %10.4f %10.4f' % (name, secs, cpu), flush=True)
        return secs, cpu

    run('start-up: grad x', ['grad'], 'x', max(args.runs, 5))
    run('W1 grad', ['grad'], W1, max(args.runs, 5))
    run('W4 grad (all weights)', ['grad', '--vars', ','.join(network_vars(4, 8))], network(4, 8))
    run('W5 product grad', ['grad'], product(50))
    for n in (10, 100, 1000):
        runs = 1 if n == 1000 else args.runs
        run('W3 hessian N=%d' % n, ['hessian'], rosenbrock(n), runs)
    table = {}
    for cmd, argv in (('grad', ['grad']), ('stats', ['stats']), ('grad --cse', ['grad', '--cse'])):
        for n in sizes:
            runs = args.runs if n <= 2000 else 1
            table[(cmd, n)] = run('W3 %s N=%d' % (cmd, n), argv, rosenbrock(n), runs)
    top = sizes[-1]
    print()
    for cmd in ('grad', 'stats', 'grad --cse'):
        (w1, c1), (wn, cn) = table[(cmd, 1000)], table[(cmd, top)]
        print('W3 %-12s N=%d / N=1000: wall %6.1f, cpu %6.1f' % (cmd, top, wn / w1, cn / c1))


if __name__ == '__main__':
    main()
