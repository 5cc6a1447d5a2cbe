#!/usr/bin/env python3
"""Reference derivatives for tests/diff.rs, computed independently with SymPy.

    python3 tests/reference/make_reference.py > tests/reference/derivatives.jsonl

Each line: {"expr", "vars", "point", "value", "grad", "hessian"} with values at
the point to 17 significant digits (SymPy evaluates at 30 digits). The
expressions use only syntax that deriv and SymPy read alike.
"""
import json

import sympy as sp

x, y, z, t = sp.symbols('x y z t', real=True)
F = {
    'sin': sp.sin, 'cos': sp.cos, 'tan': sp.tan, 'asin': sp.asin, 'acos': sp.acos,
    'atan': sp.atan, 'sinh': sp.sinh, 'cosh': sp.cosh, 'tanh': sp.tanh,
    'asinh': sp.asinh, 'acosh': sp.acosh, 'atanh': sp.atanh, 'exp': sp.exp,
    'log': sp.log, 'sqrt': sp.sqrt, 'cbrt': lambda a: sp.root(a, 3) if a.is_positive else sp.real_root(a, 3),
    'abs': sp.Abs, 'sigmoid': lambda a: 1 / (1 + sp.exp(-a)),
    'softplus': lambda a: sp.log(1 + sp.exp(a)), 'erf': sp.erf, 'atan2': sp.atan2,
    'sec': sp.sec, 'csc': sp.csc, 'cot': sp.cot,
    'x': x, 'y': y, 'z': z, 't': t, 'pi': sp.pi, 'e': sp.E,
}

CASES = [
    # (expression, variables, point)
    ('sqrt(x^2+exp(x^2)) + cos(x^2+exp(x^2))', 'x', {'x': '1/2'}),
    ('x^2*y + sin(y)', 'x,y', {'x': '1', 'y': '2'}),
    ('x^2 + 2*x*y + y^3', 'x,y', {'x': '1', 'y': '2'}),
    ('exp(x*y)*cos(x - y)', 'x,y', {'x': '3/10', 'y': '-7/10'}),
    ('log(x^2 + y^2)', 'x,y', {'x': '1', 'y': '2'}),
    ('atan2(y, x)', 'x,y', {'x': '-3/2', 'y': '1/2'}),
    ('tan(x)*sec(y)', 'x,y', {'x': '2/5', 'y': '1/3'}),
    ('csc(x) + cot(x*y)', 'x,y', {'x': '7/10', 'y': '6/5'}),
    ('asin(x*y) + acos(x - y)', 'x,y', {'x': '1/5', 'y': '1/4'}),
    ('sinh(x)*cosh(y) + tanh(x*y)', 'x,y', {'x': '1/2', 'y': '-3/2'}),
    ('asinh(x^2) + acosh(1 + y^2) + atanh(x*y)', 'x,y', {'x': '1/3', 'y': '1/2'}),
    ('sigmoid(x*y + z)', 'x,y,z', {'x': '1/2', 'y': '-1', 'z': '3/4'}),
    ('softplus(x - 2*y)', 'x,y', {'x': '1', 'y': '1/4'}),
    ('erf(x*y)', 'x,y', {'x': '1/2', 'y': '3/2'}),
    ('x^y', 'x,y', {'x': '3/2', 'y': '5/2'}),
    ('2^(x*y) + y^3/x', 'x,y', {'x': '1/2', 'y': '2'}),
    ('cbrt(x^2 + y)', 'x,y', {'x': '1', 'y': '7'}),
    ('abs(x - y)*x', 'x,y', {'x': '1', 'y': '3'}),
    ('log(x, 2) + log(y)', 'x,y', {'x': '3', 'y': '5'}),
    ('(x + y)^(-3/2)', 'x,y', {'x': '2', 'y': '1'}),
    ('x*y*z/(x + y + z)', 'x,y,z', {'x': '1', 'y': '2', 'z': '3'}),
    ('sin(x)^2 + cos(x)^2', 'x', {'x': '3/7'}),
    ('exp(-x^2/2)/sqrt(2*pi)', 'x', {'x': '1/3'}),
    ('(1 - x)^2 + 100*(y - x^2)^2', 'x,y', {'x': '-6/5', 'y': '1'}),
    ('sqrt(1 + x^2 + y^2 + z^2)', 'x,y,z', {'x': '1', 'y': '-1', 'z': '2'}),
    ('tanh(2*x - y)^2', 'x,y', {'x': '1/5', 'y': '1/10'}),
    ('x^3*exp(-y) - z*log(1 + x^2)', 'x,y,z', {'x': '2', 'y': '1/2', 'z': '3'}),
    ('atan(x/y)', 'x,y', {'x': '1', 'y': '2'}),
    ('1/(1 + exp(-(2*x - 3*y)))', 'x,y', {'x': '1/2', 'y': '1/3'}),
    ('t*sin(t)*exp(t)', 't', {'t': '4/5'}),
    ('(x^2 - 1)/(x^2 + 1)', 'x', {'x': '3'}),
    ('x^(1/3) + x^(3/2)', 'x', {'x': '2'}),
    ('e^(x*y)', 'x,y', {'x': '1/2', 'y': '1/3'}),
    ('pi*x^2*y/3', 'x,y', {'x': '2', 'y': '5'}),
]


def num(v):
    return float(sp.N(v, 30))


def main():
    for src, vs, pt in CASES:
        expr = sp.parse_expr(src.replace('^', '**'), local_dict=F)
        syms = [sp.Symbol(v, real=True) for v in vs.split(',')]
        subs = {sp.Symbol(k, real=True): sp.Rational(v) for k, v in pt.items()}
        grad = [sp.diff(expr, s) for s in syms]
        hess = [[sp.diff(g, s) for s in syms] for g in grad]
        print(json.dumps({
            'expr': src,
            'vars': vs.split(','),
            'point': pt,
            'value': num(expr.subs(subs)),
            'grad': [num(g.subs(subs)) for g in grad],
            'hessian': [[num(h.subs(subs)) for h in row] for row in hess],
        }))


if __name__ == '__main__':
    main()
