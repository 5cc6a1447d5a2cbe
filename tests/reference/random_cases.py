#!/usr/bin/env python3
"""Random cases in the acceptance kit's format, with answers from SymPy.

    python3 tests/reference/random_cases.py --n 200 --seed 1 > /tmp/cases.jsonl
    python3 ../shared/acceptance/check.py --deriv target/release/deriv --cases /tmp/cases.jsonl

With `--quality`, each symbolic case also carries `ref_ops`, the operation
count of SymPy's `simplify` of each reference entry (as the kit's cases do),
so that check.py prints its "simplification quality" block; an entry whose
simplification takes over `--simplify-timeout` seconds gets no count.

Expressions are random compositions of + - * / ^ and sin cos tan exp log sqrt
tanh atan sigmoid (as the kit's random cases are), in 1 to 3 variables; the
kit's own parser and 40-digit evaluator (check.py) turn them into SymPy and
compute the expected values, so this script only adds the generator.
"""
import argparse
import json
import math
import os
import random
import re
import signal
import sys
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', '..', 'shared', 'acceptance'))
import check  # noqa: E402  (the kit's parser and evaluator)
import sympy as sp  # noqa: E402

FUNCS = ['sin', 'cos', 'tan', 'exp', 'log', 'sqrt', 'tanh', 'atan', 'sigmoid']
NAMES = [['x'], ['x', 'y'], ['a1', 'a2', 'b'], ['t', 'u']]


def gen(rng, names, depth):
    if depth == 0 or rng.random() < 0.25:
        if rng.random() < 0.3:
            return str(rng.choice([1, 2, 3, 4, 5])) if rng.random() < 0.7 else rng.choice(['1/2', '3/2'])
        return rng.choice(names)
    r = rng.random()
    if r < 0.35:
        op = rng.choice(['+', '-', '*', '/'])
        return '(%s %s %s)' % (gen(rng, names, depth - 1), op, gen(rng, names, depth - 1))
    if r < 0.5:
        return '(%s)^%s' % (gen(rng, names, depth - 1), rng.choice(['2', '3', '(1/2)', '(-1)', '(2/3)']))
    return '%s(%s)' % (rng.choice(FUNCS), gen(rng, names, depth - 1))


def point(rng, names):
    return {n: '%d/8' % rng.randint(-20, 20) for n in names}


MATH = {'sin': math.sin, 'cos': math.cos, 'tan': math.tan, 'exp': math.exp, 'log': math.log,
        'sqrt': math.sqrt, 'tanh': math.tanh, 'atan': math.atan,
        'sigmoid': lambda x: 1 / (1 + math.exp(-x))}


def raw_real(src, pt):
    """As the kit's points: every subexpression of the expression as written
    is real and finite there (SymPy's automatic `t/t = 1`, `sqrt(t)^2 = t`
    must not let a point outside the real domain through)."""
    env = dict(MATH)
    env.update({n: float(Fraction(v)) for n, v in pt.items()})
    try:
        v = eval(src.replace('^', '**'), {'__builtins__': {}}, env)  # noqa: S307 - generated text
    except (ValueError, ZeroDivisionError, OverflowError, TypeError):
        return False
    return isinstance(v, float) and math.isfinite(v) or isinstance(v, int)


def value(expr, pt):
    try:
        v = check.mp_eval(expr, pt)
    except check.EvalError:
        return None
    v = float(v)
    return v if abs(v) < 1e6 else None


def values(exprs, pt):
    out = [value(e, pt) for e in exprs]
    return None if any(v is None for v in out) else out


def taylor_poly(expr, syms, pt, order):
    t = sp.Symbol('t_', real=True)
    shifted = expr.subs({s: sp.Rational(pt[str(s)]) + t * (s - sp.Rational(pt[str(s)])) for s in syms},
                        simultaneous=True)
    # g(t) = f(pt + t*(x - pt)) = sum_k g^(k)(0) t^k / k!, at t = 1: the
    # derivatives, not sp.series, which drops terms on some inputs (the
    # linear term of sqrt(log(b)/tanh(b)) at b = 9/8, SymPy 1.14)
    terms = []
    g = shifted
    for k in range(order + 1):
        terms.append(g.subs(t, 0) / sp.factorial(k))
        g = sp.diff(g, t)
    return sp.Add(*terms)


QUALITY = {'on': False, 'timeout': 5}


class _SimplifyTimeout(Exception):
    pass


def _alarm(signum, frame):
    raise _SimplifyTimeout()


def ref_ops(exprs):
    """SymPy's count_ops of simplify(e) for each entry, None where it timed out."""
    if not QUALITY['on']:
        return []
    out = []
    for e in exprs:
        signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(QUALITY['timeout'])
        try:
            out.append(int(sp.count_ops(sp.simplify(e))))
        except Exception:  # noqa: BLE001 - a timeout or a SymPy failure: no figure
            out.append(None)
        finally:
            signal.alarm(0)
    return out


def case(rng, i):
    names = rng.choice(NAMES)
    src = gen(rng, names, 3)
    f, free = check.parse_deriv(src)
    if isinstance(f, list) or not free:
        return None
    # the variables as written, as the kit has them: SymPy's free symbols
    # lose `t` in `t/t`, which deriv keeps (its canonical form cancels only
    # where the domain stays the same)
    vars_ = check.natural_sorted(set(re.findall(r'[A-Za-z_][A-Za-z0-9_]*', src)) - set(FUNCS))
    syms = [sp.Symbol(n, real=True) for n in vars_]
    kind = rng.choice(['grad', 'hessian', 'diff', 'taylor', 'linearize', 'eval'])
    pt = point(rng, vars_)
    if not raw_real(src, pt):
        return None
    base = {'id': 'rnd%04d' % i, 'kind': kind, 'input': src, 'stdin': None, 'vars': vars_,
            'point': pt, 'input_exact': True, 'exact': None, 'ref_ops': [], 'kink': False}
    at = ','.join('%s=%s' % kv for kv in pt.items())
    probes_at = [p for p in (point(rng, vars_) for _ in range(2)) if raw_real(src, p)]
    if kind == 'eval':
        v = value(f, pt)
        if v is None:
            return None
        return dict(base, args=['eval', src, '--at', at], expected={'value': v}, probes=[])
    if kind in ('grad', 'hessian'):
        g = [sp.diff(f, s) for s in syms]
        ents = g if kind == 'grad' else [sp.diff(d, s) for d in g for s in syms]
        shape = [len(syms)] if kind == 'grad' else [len(syms), len(syms)]
        v = values(ents, pt)
        if v is None:
            return None
        nest = (lambda xs: xs) if kind == 'grad' else (lambda xs: [xs[k:k + len(syms)] for k in range(0, len(xs), len(syms))])
        probes = [{'point': p, 'expect': nest(pv)} for p in probes_at for pv in [values(ents, p)] if pv is not None]
        return dict(base, args=[kind, src, '--at', at], expected={'value': nest(v)}, probes=probes, shape=shape,
                    ref_ops=ref_ops(ents))
    if kind == 'diff':
        wrt = [rng.choice(vars_) for _ in range(2)]
        d = f
        for w in wrt:
            d = sp.diff(d, sp.Symbol(w, real=True))
        v = value(d, pt)
        if v is None:
            return None
        probes = [{'point': p, 'expect': pv} for p in probes_at for pv in [value(d, p)] if pv is not None]
        return dict(base, args=['diff', src, '--wrt', ','.join(wrt), '--at', at], expected={'value': v},
                    probes=probes, wrt=wrt, wrt_expanded=wrt, ref_ops=ref_ops([d]))
    order = 1 if kind == 'linearize' else rng.choice([1, 2, 3])
    # analytic at the point, as the kit's points are: f and its gradient finite
    # (sqrt(a1) at a1=0 has no Taylor series)
    if value(f, pt) is None or values([sp.diff(f, s) for s in syms], pt) is None:
        return None
    try:
        poly = taylor_poly(f, syms, pt, order)
    except Exception:  # noqa: BLE001 - skip what SymPy cannot expand
        return None
    near = [{n: str(sp.Rational(pt[n]) + sp.Rational(rng.randint(-2, 2), 16)) for n in vars_} for _ in range(3)]
    probes = [{'point': p, 'expect': pv} for p in near for pv in [value(poly, p)] if pv is not None]
    args = [kind, src, '--at', at] + (['--order', str(order)] if kind == 'taylor' else [])
    at_f = {n: float(sp.Rational(v)) for n, v in pt.items()}
    return dict(base, args=args, expected={'at': at_f, 'order': order}, probes=probes, order=order,
                order_given=True, point_exact=True, ref_ops=ref_ops([poly]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--n', type=int, default=100)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--quality', action='store_true', help='add ref_ops (SymPy simplify) to each case')
    ap.add_argument('--simplify-timeout', type=int, default=5)
    args = ap.parse_args()
    QUALITY['on'] = args.quality
    QUALITY['timeout'] = args.simplify_timeout
    rng = random.Random(args.seed)
    made = i = 0
    while made < args.n and i < args.n * 20:
        i += 1
        try:
            c = case(rng, i)
        except (check.DerivSyntaxError, check.EvalError, ZeroDivisionError, ValueError, TypeError):
            c = None
        if c:
            print(json.dumps(c))
            made += 1


if __name__ == '__main__':
    main()
