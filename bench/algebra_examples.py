#!/usr/bin/env python3
"""Issue 12's examples: the size of deriv's output against SymPy's
`simplify` of the same result, both counted as the acceptance kit's
check.py counts them (`count_ops`, with `sigmoid(u)` as `1/(1 + exp(-u))`).

    python3 bench/algebra_examples.py target/release/deriv

Prints one line per entry: deriv's count, SymPy's, and their ratio as
check.py reports it ((deriv + 1)/(sympy + 1)); exits 1 if any entry is
larger than SymPy's. The outputs themselves are snapshots in
`snapshots/integration__cli__algebra_*`. Takes about a minute (SymPy's
simplify of the Taylor polynomial of log(sigmoid(s))^3 is most of it).
"""
import json
import os
import subprocess
import sys

import sympy as sp

KIT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared', 'acceptance')
sys.path.insert(0, KIT)
import check  # noqa: E402

x, y, s, t, u, v = sp.symbols('x y s t u v')
a, p, q, alpha, beta, x1 = sp.symbols('a p q alpha beta x_1')
R = sp.Rational


def sigmoid(z):
    return 1 / (1 + sp.exp(-z))


def taylor(f, var, at, order):
    h = sp.Symbol('h_')
    g = f.subs(var, at + h * (var - at))
    return sp.series(g, h, 0, order + 1).removeO().subs(h, 1)


# (deriv arguments, JSON field, SymPy's entries)
EXAMPLES = [
    (['grad', 'x^x'], 'gradient', [sp.diff(x**x, x)]),
    (['jacobian', '[(1/sin(alpha))^-1, beta^2]'], 'jacobian',
     [sp.diff((1 / sp.sin(alpha))**-1, alpha), 0, 0, 2 * beta]),
    (['grad', '((a - p - q)^(1/2)*q^(2/3))^4'], 'gradient',
     [sp.diff((sp.sqrt(a - p - q) * q**R(2, 3))**4, w) for w in (a, p, q)]),
    (['simplify', '(tanh(v) + tanh(u))^2 - tanh(v)^2 - 2*tanh(v)*tanh(u)'], 'result',
     [(sp.tanh(v) + sp.tanh(u))**2 - sp.tanh(v)**2 - 2 * sp.tanh(v) * sp.tanh(u)]),
    (['taylor', 'log(sigmoid(s))^3', '--at', 's=3/8', '--order', '4'], 'polynomial',
     [taylor(sp.log(sigmoid(s))**3, s, R(3, 8), 4)]),
    (['hessian', '(3 + x_1)^3*(x_1 - x_1*x_1)*x_1^2'], 'hessian',
     [sp.diff((3 + x1)**3 * (x1 - x1 * x1) * x1**2, x1, 2)]),
    (['diff', 'cot(x)', '--wrt', 'x'], 'derivative', [sp.diff(sp.cot(x), x)]),
    (['diff', '3*(-2 + x^2)*cos(x) + x*(-6 + x^2)*sin(x)', '--wrt', 'x'], 'derivative',
     [sp.diff(3 * (-2 + x**2) * sp.cos(x) + x * (-6 + x**2) * sp.sin(x), x)]),
    (['diff', 'atanh(x) - (log(1 + x) - log(1 - x))/2', '--wrt', 'x'], 'derivative',
     [sp.diff(sp.atanh(x) - (sp.log(1 + x) - sp.log(1 - x)) / 2, x)]),
    (['simplify', 'sin(12*pi + y + pi/2)'], 'result', [sp.sin(12 * sp.pi + y + sp.pi / 2)]),
    (['grad', 'log(sin(atan(t)))'], 'gradient', [sp.diff(sp.log(sp.sin(sp.atan(t))), t)]),
]


def flat(z):
    return [w for e in z for w in flat(e)] if isinstance(z, list) else [z]


def main():
    deriv = sys.argv[1]
    worse = 0
    for args, field, refs in EXAMPLES:
        out = subprocess.run([deriv, *args, '--format', 'json'], capture_output=True, text=True,
                             check=True)
        entries = flat(json.loads(out.stdout)[field])
        for e, ref in zip(entries, refs):
            mine = check.count_ops_str(e)
            theirs = int(sp.count_ops(sp.simplify(ref)))
            ratio = (mine + 1) / (theirs + 1)
            worse += mine > theirs
            print('%-60s deriv %4d  sympy %4d  ratio %.2f' % (' '.join(args)[:60], mine, theirs, ratio))
    sys.exit(1 if worse else 0)


if __name__ == '__main__':
    main()
