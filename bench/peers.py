#!/usr/bin/env python3
"""Runs one workload case (bench/workloads.py) in one peer, in this process,
and prints one JSON line: the median time of the timed step over repeated
runs, the number of runs, and what was timed.

    bench/.venv/bin/python bench/peers.py PEER CASE_KEY [--budget S]
    bench/.venv/bin/python bench/peers.py PEER CASE_KEY --fresh   (W8: one gradient, no timing)

PEER is sympy, symengine, casadi or jax; CASE_KEY is a `Case.key`
(`W3:gradient N=100`). bench/compare.py runs this once per (peer, case), in
a fresh process, and reads the process's peak memory from the OS.

Each peer uses its fastest method for the step (issue 9):
- SymPy: `diff`, `series`, `lambdify` (math module for one point, NumPy for
  many, cse=True); SymPy's cache is cleared before each run, untimed.
- SymEngine: `diff`, `series`, `Lambdify(backend='llvm', cse=True)`.
- CasADi: SX `gradient`, `hessian`, `mtaylor`; `Function` for evaluation
  (`map` with 2 threads, over chunks of the points).
- JAX (float64): `jit(grad)` for one point, `jit(vmap(grad))` for many; the
  first call (trace + compile) is reported apart as `compile_s`.
The expression is built (untimed) from the same deriv string by evaluating
it as Python with the peer's own functions and symbols.
"""
import argparse
import json
import re
import statistics
import sys
import time

import workloads as wl

IDENT = re.compile(r'[A-Za-z_][A-Za-z0-9_]*')


def names_of(case):
    """Every variable and parameter of the case's expression, sorted."""
    found = set()
    for t in case.terms:
        found.update(IDENT.findall(t))
    return sorted(found - set(wl.FUNCTIONS))


def timed(fn, setup=None, budget=1.0, min_reps=3, max_reps=1000):
    """Median wall time of `fn()` over repeated runs within about `budget`
    seconds (at least `min_reps` runs, unless one run alone is over budget)."""
    times, start = [], time.perf_counter()
    while True:
        if setup:
            setup()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
        spent = time.perf_counter() - start
        if len(times) >= max_reps or times[0] > budget:
            break
        if len(times) >= min_reps and spent > budget:
            break
    return statistics.median(times), len(times)


class Peer:
    """What every peer shares: building the expression from the deriv string."""
    name = ''
    method = {}

    def symbols(self, names):
        raise NotImplementedError

    def total(self, terms):
        raise NotImplementedError

    def namespace(self, case):
        ns = {f: getattr(self.mod, f) for f in wl.FUNCTIONS}
        self.sym = self.symbols(names_of(case))
        ns.update(self.sym)
        return ns

    def build(self, case):
        ns = self.namespace(case)
        parts = [eval(wl.python_source(t), {'__builtins__': {}}, ns) for t in case.terms]
        return parts[0] if len(parts) == 1 else self.total(parts)

    def taylor_input(self, case, f):
        """f(a + t*x) for the expansion point a: a univariate series in t of
        order N, with t = 1, is the total-degree-N Taylor polynomial in the
        displacements x."""
        t = self.symbols(['t'])['t']
        return t, self.subs(f, {self.sym[n]: v + t * self.sym[n] for n, v in case.at})

    def subs(self, f, mapping):
        """Simultaneous substitution."""
        return f.subs(mapping)


class SymPy(Peer):
    name = 'SymPy'

    def __init__(self):
        import sympy
        from sympy.core.cache import clear_cache
        self.mod, self.clear = sympy, clear_cache

    def symbols(self, names):
        return {n: self.mod.Symbol(n) for n in names}

    def total(self, terms):
        return self.mod.Add(*terms)

    def subs(self, f, mapping):
        return f.subs(mapping, simultaneous=True)

    def run(self, case, budget):
        f, V = self.build(case), [self.sym[v] for v in case.vars]
        sp = self.mod
        if case.kind in ('grad', 'hessian'):
            step = (lambda: [sp.diff(f, v) for v in V]) if case.kind == 'grad' else (lambda: hessian(f, V))
            return timed(step, self.clear, budget), 'diff', {}
        if case.kind == 'taylor':
            t, ft = self.taylor_input(case, f)
            return timed(lambda: ft.series(t, 0, case.order + 1).removeO(), self.clear, budget), 'series', {}
        grad = [sp.diff(f, v) for v in V]
        if case.kind == 'value':
            fn = sp.lambdify(V, grad, 'math', cse=True)
            pt = [float(v) for _, v in case.at]
            return timed(lambda: fn(*pt), None, budget), "lambdify('math', cse=True)", {'check': sum(fn(*pt))}
        fn = sp.lambdify(V, grad, 'numpy', cse=True)
        cols = list(wl.points(case).T)
        out = fn(*cols)
        return timed(lambda: fn(*cols), None, budget), "lambdify('numpy', cse=True)", {'check': checksum(out)}


def hessian(f, V):
    """Gradient, then each pair i <= j differentiated once (SymPy and SymEngine)."""
    g = [f.diff(v) for v in V]
    return [[g[i].diff(V[j]) for j in range(i, len(V))] for i in range(len(V))]


def checksum(out):
    """The sum of every output value, as a cross-check between tools."""
    import numpy as np
    return float(np.sum([np.sum(np.asarray(o, dtype=float)) for o in out]))


class SymEngine(Peer):
    name = 'SymEngine'

    def __init__(self):
        import symengine
        self.mod = symengine

    def symbols(self, names):
        return {n: self.mod.Symbol(n) for n in names}

    def total(self, terms):
        return self.mod.Add(*terms)

    def lambdify(self, V, grad):
        try:
            return self.mod.Lambdify(V, grad, backend='llvm', cse=True), "Lambdify(backend='llvm', cse=True)"
        except Exception as e:  # noqa: BLE001 — a wheel built without LLVM
            return (self.mod.Lambdify(V, grad, cse=True),
                    f"Lambdify(cse=True), default backend: llvm unavailable ({e})")

    def run(self, case, budget):
        f, V = self.build(case), [self.sym[v] for v in case.vars]
        se = self.mod
        if case.kind == 'grad':
            return timed(lambda: [f.diff(v) for v in V], None, budget), 'diff', {}
        if case.kind == 'hessian':
            return timed(lambda: hessian(f, V), None, budget), 'diff', {}
        if case.kind == 'taylor':
            t, ft = self.taylor_input(case, f)
            return timed(lambda: se.series(ft, t, 0, case.order + 1), None, budget), 'series', {}
        grad = [f.diff(v) for v in V]
        fn, method = self.lambdify(V, grad)
        if case.kind == 'value':
            import numpy as np
            pt = np.array([float(v) for _, v in case.at])
            return timed(lambda: fn(pt), None, budget), method, {'check': checksum([fn(pt)])}
        pts = wl.points(case)
        out = fn(pts)
        return timed(lambda: fn(pts), None, budget), method, {'check': checksum([out])}


class CasADi(Peer):
    name = 'CasADi'

    def __init__(self):
        import casadi
        self.mod = casadi

    def symbols(self, names):
        return {n: self.mod.SX.sym(n) for n in names}

    def total(self, terms):
        return self.mod.sum1(self.mod.vertcat(*terms))

    def run(self, case, budget):
        ca = self.mod
        f = self.build(case)
        X = ca.vertcat(*[self.sym[v] for v in case.vars])
        if case.kind == 'grad':
            return timed(lambda: ca.gradient(f, X), None, budget), 'SX gradient', {}
        if case.kind == 'hessian':
            return timed(lambda: ca.hessian(f, X), None, budget), 'SX hessian', {}
        if case.kind == 'taylor':
            a = ca.vertcat(*[float(v) for _, v in case.at])
            return timed(lambda: ca.mtaylor(f, X, a, case.order), None, budget), 'SX mtaylor', {}
        F = ca.Function('g', [X], [ca.gradient(f, X)])
        if case.kind == 'value':
            pt = ca.DM([float(v) for _, v in case.at])
            return timed(lambda: F(pt), None, budget), 'Function', {'check': float(ca.sum1(F(pt)))}
        return self.run_points(case, F, budget)

    def run_points(self, case, F, budget):
        """`map` over chunks of 10,000 points (a map over all 10^6 at once
        takes longer to build than to run); the conversion of the points to
        DM is untimed."""
        ca, chunk = self.mod, 10_000
        pts = wl.points(case)
        chunks = [ca.DM(pts[i:i + chunk].T) for i in range(0, len(pts), chunk)]
        Fm = F.map(chunk, 'thread', 2)
        res = timed(lambda: [Fm(c) for c in chunks], None, budget)
        check = sum(float(ca.sum2(ca.sum1(Fm(c)))) for c in chunks)
        return res, f"Function.map({chunk}, 'thread', 2) over {len(chunks)} chunks", {'check': check}


class Jax(Peer):
    name = 'JAX'

    def __init__(self):
        import jax
        jax.config.update('jax_enable_x64', True)
        import jax.numpy as jnp
        self.jax, self.mod = jax, jnp

    def function(self, case):
        """f as a function of the vector of `case.vars` (float64)."""
        srcs = [wl.python_source(t) for t in case.terms]
        index = {v: i for i, v in enumerate(case.vars)}
        fns = {n: getattr(self.mod, n) for n in wl.FUNCTIONS}

        def f(z):
            ns = dict(fns)
            ns.update({v: z[i] for v, i in index.items()})
            return sum(eval(s, {'__builtins__': {}}, ns) for s in srcs)
        return f

    def run(self, case, budget):
        jax, jnp = self.jax, self.mod
        if case.kind not in ('value', 'points'):
            raise SystemExit(f'JAX has no symbolic {case.kind}')
        g = jax.grad(self.function(case))
        if case.kind == 'value':
            fn, method = jax.jit(g), 'jit(grad)'
            arg = jnp.array([float(v) for _, v in case.at])
        else:
            fn, method = jax.jit(jax.vmap(g)), 'jit(vmap(grad))'
            arg = jnp.asarray(wl.points(case))
        t0 = time.perf_counter()
        out = fn(arg).block_until_ready()
        compile_s = time.perf_counter() - t0
        res = timed(lambda: fn(arg).block_until_ready(), None, budget)
        return res, method, {'compile_s': compile_s, 'check': float(jnp.sum(out))}


PEERS = {'sympy': SymPy, 'symengine': SymEngine, 'casadi': CasADi, 'jax': Jax}


def fresh(peer, case):
    """W8: the gradient of the case, once, as a one-shot script would."""
    if isinstance(peer, Jax):
        print(peer.jax.grad(peer.function(case))(peer.mod.array([1.0])))
        return
    f = peer.build(case)
    X = [peer.sym[v] for v in case.vars]
    if isinstance(peer, CasADi):
        print(peer.mod.gradient(f, peer.mod.vertcat(*X)))
    else:
        print([f.diff(v) for v in X])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('peer', choices=sorted(PEERS))
    ap.add_argument('case')
    ap.add_argument('--budget', type=float, default=1.0, help='seconds of repetitions (about)')
    ap.add_argument('--fresh', action='store_true', help='one gradient, untimed (W8)')
    args = ap.parse_args()
    case = wl.by_key(args.case)
    peer = PEERS[args.peer]()
    if args.fresh:
        fresh(peer, case)
        return
    sys.setrecursionlimit(100_000)
    (median, reps), method, extra = peer.run(case, args.budget)
    print(json.dumps({'peer': peer.name, 'case': case.key, 'median_s': median, 'reps': reps,
                      'method': method, **extra}))


if __name__ == '__main__':
    main()
