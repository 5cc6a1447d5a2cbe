#!/usr/bin/env python3
"""Runs every workload of bench/workloads.py in each peer (bench/peers.py,
one fresh process per peer and case) and in deriv (`--timings --repeat N`),
and writes bench/RESULTS.md. Run it through bench/compare.sh, which makes
the virtual environment and builds deriv.

    bench/.venv/bin/python bench/compare.py --deriv target/release/deriv [--only W1,W3] [--peers sympy,casadi]
"""
import argparse
import importlib.metadata
import json
import math
import os
import statistics
import sys
import time

import report
import runner
import workloads as wl

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS = ('sympy', 'symengine', 'casadi', 'jax')
NAMES = {'sympy': 'SymPy', 'symengine': 'SymEngine', 'casadi': 'CasADi', 'jax': 'JAX'}
SYMBOLIC = ('grad', 'hessian', 'taylor')
# seconds: a tool whose first round of a case took longer runs no more rounds
SLOW_ROUND = 3.0


def applies(peer, case):
    """JAX computes no symbolic derivative or series: it is a peer for the
    numeric cases only."""
    return not (peer == 'jax' and case.kind in SYMBOLIC)


def too_slow(case, history, timeout):
    """Why to skip `case`, from the same tool's figures at the smaller sizes
    of its series ([(size, seconds or None on failure)]), or None: a
    failure, or a time that, growing as it grew between the last two sizes
    (linearly, from one size), would pass the timeout."""
    prev = [(c, t) for c, t in history if c.series == case.series and c.size < case.size]
    if not case.series or not prev:
        return None
    (c2, t2) = prev[-1]
    if t2 is None:
        return f'skipped: {c2.label} failed or was skipped'
    k = 1.0
    if len(prev) > 1 and prev[-2][1]:
        c1, t1 = prev[-2]
        k = max(1.0, math.log(t2 / t1) / math.log(c2.size / c1.size))
    guess = t2 * (case.size / c2.size) ** k
    if guess > timeout:
        return f'skipped: {c2.label} took {report.fmt_s(t2)}, so about {report.fmt_s(guess)} here'
    return None


def run_peer(peer, case, args, history):
    """One peer on one case, in its own process; {'error': ..} when it fails
    or is skipped (too_slow)."""
    why = too_slow(case, history, args.peer_timeout)
    if why:
        return {'error': why}
    argv = [sys.executable, os.path.join(HERE, 'peers.py'), peer, case.key,
            '--budget', str(args.budget)]
    out = os.path.join(runner.OUT, f'peer-{peer}.json')
    # W7: converting 10^6 points into a peer's own arrays takes time too
    timeout = args.peer_timeout * (3 if case.kind == 'points' else 1)
    p = runner.spawn(argv, stdout=out, timeout=timeout, rss=True)
    if not p.ok:
        return runner.failure(p, timeout)
    with open(out) as f:
        res = json.loads(f.read().strip().splitlines()[-1])
    res['rss_kib'] = p.rss_kib
    return res


def again(runs):
    """Whether a tool runs another round of a case: not after a failure,
    nor where one round takes long (SymPy's larger cases: their figure is
    far from the best, and more rounds would take minutes)."""
    first = runs[0]
    if 'main' in first:
        fig = runner.figure(first['main'])[0]
        return fig is not None and first['main'].get('wall', 0) < SLOW_ROUND
    return 'median_s' in first and first['median_s'] * first.get('reps', 1) < SLOW_ROUND


def rounds_median(runs):
    """A peer's figure over its rounds: the first round's result, with the
    median of the rounds' medians as its figure and the rounds' figures
    kept."""
    first = dict(runs[0])
    ok = [r['median_s'] for r in runs if 'median_s' in r]
    if 'median_s' in first and len(ok) > 1:
        first['median_s'] = statistics.median(ok)
        first['rounds'] = ok
    return first


def deriv_rounds_median(runs):
    """deriv's figures over its rounds: each phase of the main result and
    of each extra row the median of the rounds'."""
    out = runs[0]
    good = [r for r in runs if 'error' not in r['main']]
    if len(good) < 2 or 'error' in out['main']:
        return out

    def merged(results):
        m = dict(results[0])
        m['phases'] = {k: statistics.median(r['phases'][k] for r in results)
                       for k in results[0]['phases']
                       if all(k in r['phases'] for r in results)}
        m['rounds'] = len(results)
        return m
    out = dict(out)
    out['main'] = merged([r['main'] for r in good])
    out['rows'] = [(label, merged([r['rows'][i][1] for r in good]))
                   if all('error' not in r['rows'][i][1] for r in good) else (label, row)
                   for i, (label, row) in enumerate(out['rows'])]
    return out


def fresh_processes(deriv, args, peers):
    """W8: median wall time of fresh processes: /bin/true, a bare deriv
    start, `deriv grad W1` (the expression as an argument), and each peer's
    one-shot gradient script."""
    case = next(c for c in wl.CASES if c.kind == 'process')
    rows = []

    def row(label, argv, runs):
        bad = next((r for r in runs if not r.ok), None)
        if bad:
            rows.append((label, runner.failure(bad, args.peer_timeout)))
            return
        mem = runner.spawn(argv, timeout=args.peer_timeout, rss=True)
        rows.append((label, {'median_s': statistics.median(r.wall for r in runs), 'reps': len(runs),
                             'rss_kib': mem.rss_kib}))

    # the short processes in turn, 101 rounds: a change of the machine's
    # load touches all of them alike (one after the other, a ratio moved
    # by 20% between runs)
    quick = [('/bin/true', ['/bin/true']),
             ('deriv --version (bare start)', [deriv.path, '--version']),
             (f'deriv grad "{case.expr}"', [deriv.path, 'grad', case.expr])]
    if args.deriv_static:
        # the same source linked statically (compare.sh builds it): no
        # shared libraries to map, which is most of a start
        quick.append((f'deriv grad "{case.expr}" (static build)',
                      [args.deriv_static, 'grad', case.expr]))
    runs = {label: [] for label, _ in quick}
    for _ in range(101):
        for label, argv in quick:
            runs[label].append(runner.spawn(argv, timeout=args.peer_timeout))
    for label, argv in quick:
        row(label, argv, runs[label])
    for peer in peers:
        argv = [sys.executable, os.path.join(HERE, 'peers.py'), peer, case.key, '--fresh']
        row(f'{NAMES[peer]}: python bench/peers.py {peer} --fresh', argv,
            [runner.spawn(argv, timeout=args.peer_timeout) for _ in range(3)])
    return rows


def growth_rounds(deriv, args, peers, rounds=9):
    """W3's gradient at N=1000 and at N=10000 in alternating rounds, for
    deriv (`compute_s`, `--repeat` 31 and 5) and CasADi (`SX gradient`):
    the ratio of two figures taken minutes apart moves with the machine's
    load (on the shared benchmark machine, deriv's from 10.5 to 14.1
    between two runs of the same build), so each round takes both sizes
    one after the other, as W8 takes its processes."""
    small, big = (next(c for c in wl.CASES if c.workload == 'W3' and c.kind == 'grad'
                       and c.size == n) for n in (1000, 10000))
    tools = {'deriv': []}
    if 'casadi' in peers:
        tools['CasADi'] = []
    # the other commands the issue asks to be linear: `stats`, `grad --cse`
    # and `trace` (at x_i = 1), deriv alone, in the same rounds
    others = {f'deriv {what}': [] for what in OTHER_COMMANDS}
    for r in range(rounds):
        print(f'W3 growth, round {r + 1} of {rounds} ...', file=sys.stderr, flush=True)
        for what, figs in others.items():
            pair = []
            for case, reps in ((small, 31), (big, 5)):
                argv = ([deriv.path] + OTHER_COMMANDS[what.split(' ', 1)[1]](case)
                        + ['--timings', '--repeat', str(reps)])
                p = runner.spawn(argv, deriv.expr_file(case), timeout=args.deriv_timeout)
                t = runner.timings_of(p.stderr) if p.ok else None
                pair.append(t['timings']['compute_s'] if t else None)
            if None not in pair:
                figs.append(tuple(pair))
        for name, figs in tools.items():
            pair = []
            for case, reps in ((small, 31), (big, 5)):
                if name == 'deriv':
                    argv = [deriv.path] + deriv.argv(case) + ['--timings', '--repeat', str(reps)]
                    p = runner.spawn(argv, deriv.expr_file(case), timeout=args.deriv_timeout)
                    t = runner.timings_of(p.stderr) if p.ok else None
                    pair.append(t['timings']['compute_s'] if t else None)
                else:
                    argv = [sys.executable, os.path.join(HERE, 'peers.py'), 'casadi', case.key,
                            '--budget', '0.3']
                    out = os.path.join(runner.OUT, 'peer-growth.json')
                    p = runner.spawn(argv, stdout=out, timeout=args.peer_timeout)
                    if p.ok:
                        with open(out) as f:
                            pair.append(json.loads(f.read().strip().splitlines()[-1]).get('median_s'))
                    else:
                        pair.append(None)
            if None not in pair:
                figs.append(tuple(pair))
    tools.update(others)
    return {name: figs for name, figs in tools.items() if figs}


# What growth_rounds runs besides the gradient: deriv's arguments for a W3
# case whose expression comes on standard input.
OTHER_COMMANDS = {
    'stats': lambda case: ['stats', '-', '--vars', ','.join(case.vars)],
    'grad --cse': lambda case: ['grad', '-', '--cse', '--vars', ','.join(case.vars)],
    'trace': lambda case: ['trace', '-', '--at', ','.join(f'{v}=1' for v in case.vars)],
}


def baselines(args, peers):
    """Peak memory of each peer's interpreter with the library imported and
    nothing computed (the floor under its figures)."""
    out = {}
    for peer in peers:
        p = runner.spawn([sys.executable, '-c', f'import {peer}'], timeout=args.peer_timeout,
                         rss=True)
        out[NAMES[peer]] = p.rss_kib if p.ok else None
    return out


def machine():
    with open('/proc/cpuinfo') as f:
        model = next((ln.split(':', 1)[1].strip() for ln in f if ln.startswith('model name')), '?')
    with open('/proc/loadavg') as f:
        load = f.read().split()[:3]
    return {'nproc': os.cpu_count(), 'cpu': model, 'load': ' '.join(load)}


def versions(peers):
    pkgs = {'sympy': ['sympy'], 'symengine': ['symengine'], 'casadi': ['casadi'],
            'jax': ['jax', 'jaxlib'], 'numpy': ['numpy']}
    out = {}
    for peer in list(peers) + ['numpy']:
        for p in pkgs[peer]:
            try:
                out[p] = importlib.metadata.version(p)
            except importlib.metadata.PackageNotFoundError:
                out[p] = 'not installed'
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--deriv', default='target/release/deriv')
    ap.add_argument('--deriv-static', default=None,
                    help='a statically linked deriv, timed as a fresh process too (W8)')
    ap.add_argument('--only', default='', help='workloads to run, e.g. W1,W3 (default all)')
    ap.add_argument('--peers', default=','.join(PEERS))
    ap.add_argument('--budget', type=float, default=1.0, help='seconds of repetitions per figure')
    ap.add_argument('--rounds', type=int, default=5,
                    help='rounds of each case, every tool once a round (figures: median of rounds)')
    ap.add_argument('--peer-timeout', type=float, default=30.0,
                    help='seconds; a tool whose growth predicts more skips the larger sizes')
    ap.add_argument('--deriv-timeout', type=float, default=90.0)
    ap.add_argument('--out', default=os.path.join(HERE, 'RESULTS.md'))
    args = ap.parse_args()
    only = set(filter(None, args.only.split(',')))
    peers = [p for p in args.peers.split(',') if p]
    started, info = time.time(), machine()
    deriv = runner.Deriv(args.deriv, args.deriv_timeout, args.budget)
    results, history = {}, {p: [] for p in peers + ['deriv']}
    for case in wl.CASES:
        if only and case.workload not in only or case.kind == 'process':
            continue
        # every tool once a round, in turn, for args.rounds rounds: a spell
        # of load on the shared machine then slows one round of each tool,
        # not all of one tool's figure (see rounds_median)
        got = {p: [] for p in peers if applies(p, case)}
        got['deriv'] = []
        for r in range(args.rounds):
            for peer in got:
                if r > 0 and not again(got[peer]):
                    continue
                tag = f' (round {r + 1} of {args.rounds})' if r else ''
                print(f'{case.key} / {peer}{tag} ...', file=sys.stderr, flush=True)
                if peer != 'deriv':
                    got[peer].append(run_peer(peer, case, args, history[peer]))
                    continue
                why = too_slow(case, history['deriv'], args.deriv_timeout)
                got[peer].append({'main': {'error': why}, 'rows': [], 'check': None}
                                 if why else deriv.run(case))
            if r == 0:
                for peer in peers:
                    if peer in got:
                        history[peer].append((case, got[peer][0].get('median_s')))
                history['deriv'].append((case, runner.figure(got['deriv'][0]['main'])[0]))
        res = {p: rounds_median(got[p]) for p in peers if p in got}
        results[case.key] = {'peers': res, 'deriv': deriv_rounds_median(got['deriv'])}
    fresh = fresh_processes(deriv, args, peers) if not only or 'W8' in only else None
    growth = growth_rounds(deriv, args, peers) if not only or 'W3' in only else None
    info['load_end'] = machine()['load']
    info['minutes'] = (time.time() - started) / 60
    report.write(args.out, info=info, deriv=deriv, peers=[NAMES[p] for p in peers],
                 versions=versions(peers), baselines=baselines(args, peers),
                 results=results, fresh=fresh, rounds=growth, only=only)
    print(f'wrote {args.out}', file=sys.stderr)


if __name__ == '__main__':
    main()
