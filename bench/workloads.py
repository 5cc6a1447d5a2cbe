"""The benchmark workloads W1-W8 of issue 9, defined once, as deriv inputs.

Every peer runner (bench/peers.py) and the deriv runner (bench/compare.py)
import this module, so all of them work on the same expression strings, the
same variables, points and orders. An expression is written in deriv's
syntax (`^` for powers); `python_source` turns it into Python source for the
peers, which evaluate it with their own `sin`, `exp`, ... and symbols.

A case is one measurement: a workload (`W1`), a label, and a kind:

- `grad`, `hessian`: the symbolic gradient / Hessian in `vars`;
- `taylor`: the Taylor polynomial of total degree `order` at `at`;
- `value`: the gradient's numeric value at the single point `at`;
- `points`: the gradient evaluated at `npoints` points (`points()`);
- `process`: a fresh `deriv grad` process, start to exit.

Sums with many terms (Rosenbrock) are given as `terms`; the expression is
their sum, and the peers add the terms up with their own n-ary sum (a
10000-term expression is too deep for Python's own parser).
"""
from dataclasses import dataclass, field

# W1: the lecture notes' example.
NOTES = 'sqrt(x^2+exp(x^2)) + cos(x^2+exp(x^2))'

# W5: the depth-50 composition, outermost first: sin, cos, exp, sin, cos,
# exp, ... (the functions cycle through sin, cos, exp), 50 calls in all; the
# innermost call is the 50th, cos(x):
#   sin(cos(exp(sin(cos(exp( ... sin(cos(x)) ... ))))))
COMPOSITION_FUNCS = tuple(('sin', 'cos', 'exp')[k % 3] for k in range(50))

# The functions the workloads call; each peer supplies its own.
FUNCTIONS = ('sin', 'cos', 'tan', 'exp', 'sqrt', 'tanh')

# W7: how many points, and where they come from.
NPOINTS = 1_000_000
POINT_SEED = 9
POINT_RANGE = (-2.0, 2.0)


@dataclass(frozen=True)
class Case:
    """One measurement of one workload."""
    workload: str
    label: str
    kind: str
    terms: tuple
    vars: tuple
    at: tuple = ()          # ((name, value), ...) for taylor and value
    order: int = 0          # taylor
    npoints: int = 0        # points
    series: str = ''        # cases of one growing series (W3 sizes) share it
    size: int = 0           # their size, for skipping the larger ones

    @property
    def key(self):
        """A short identifier, unique among CASES."""
        return f'{self.workload}:{self.label}'

    @property
    def expr(self):
        """The expression as deriv reads it."""
        return ' + '.join(self.terms)

    @property
    def point_arg(self):
        """`--at` argument: `x=0,y=0`."""
        return ','.join(f'{n}={v}' for n, v in self.at)


def python_source(expr):
    """deriv syntax -> Python source (the workloads use `^` for powers only)."""
    return expr.replace('^', '**')


def rosenbrock_terms(n):
    """W3: `100*(x{i+1}-x{i}^2)^2 + (1-x{i})^2` for i = 1 .. n-1, written out."""
    return tuple(f'100*(x{i + 1} - x{i}^2)^2 + (1 - x{i})^2' for i in range(1, n))


def xs(n):
    """x1 .. xn."""
    return tuple(f'x{i}' for i in range(1, n + 1))


def network():
    """W4: `(y - sum_j w2_j*tanh(sum_i w1_j_i*x_i + b1_j) - b2)^2`, 4 inputs,
    8 hidden units; returns (expression, weights). x1..x4 and y are data
    (parameters held constant); the weights are the variables."""
    hidden = []
    for j in range(1, 9):
        pre = ' + '.join(f'w1_{j}_{i}*x{i}' for i in range(1, 5))
        hidden.append(f'w2_{j}*tanh({pre} + b1_{j})')
    expr = f"(y - ({' + '.join(hidden)}) - b2)^2"
    weights = (tuple(f'w1_{j}_{i}' for j in range(1, 9) for i in range(1, 5))
               + tuple(f'b1_{j}' for j in range(1, 9))
               + tuple(f'w2_{j}' for j in range(1, 9)) + ('b2',))
    return expr, weights


def product():
    """W5: `(x1+1)*(x2+2)*...*(x50+50)`."""
    return '*'.join(f'(x{i}+{i})' for i in range(1, 51))


def composition():
    """W5: the depth-50 composition (COMPOSITION_FUNCS, outermost first)."""
    return ''.join(f'{f}(' for f in COMPOSITION_FUNCS) + 'x' + ')' * len(COMPOSITION_FUNCS)


def _cases():
    out = [
        Case('W1', 'gradient', 'grad', (NOTES,), ('x',)),
        Case('W1', 'gradient value at x=1', 'value', (NOTES,), ('x',), at=(('x', 1),)),
        Case('W2', 'taylor order 3 at (1,2)', 'taylor', ('x^2 + 2*x*y + y^3',), ('x', 'y'),
             at=(('x', 1), ('y', 2)), order=3),
    ]
    for n in (10, 100, 1000, 10000):
        out.append(Case('W3', f'gradient N={n}', 'grad', rosenbrock_terms(n), xs(n),
                        series='W3 gradient', size=n))
    for n in (10, 100, 1000):
        out.append(Case('W3', f'hessian N={n}', 'hessian', rosenbrock_terms(n), xs(n),
                        series='W3 hessian', size=n))
    net, weights = network()
    out += [
        Case('W4', 'gradient in the 49 weights', 'grad', (net,), weights),
        Case('W5', 'product gradient', 'grad', (product(),), xs(50)),
        Case('W5', 'composition derivative', 'grad', (composition(),), ('x',)),
    ]
    for order in (4, 8, 12):
        out.append(Case('W6', f'exp(sin(x))*cos(y) order {order}', 'taylor',
                        ('exp(sin(x))*cos(y)',), ('x', 'y'), at=(('x', 0), ('y', 0)),
                        order=order, series='W6 taylor', size=order))
    out += [
        Case('W6', 'tan(x) order 15', 'taylor', ('tan(x)',), ('x',), at=(('x', 0),), order=15),
        Case('W7', 'W1 gradient at 1e6 points', 'points', (NOTES,), ('x',), npoints=NPOINTS),
        Case('W7', 'W3 N=10 gradient at 1e6 points', 'points', rosenbrock_terms(10), xs(10),
             npoints=NPOINTS),
        Case('W8', 'fresh process: grad of W1', 'process', (NOTES,), ('x',)),
    ]
    return tuple(out)


CASES = _cases()
WORKLOADS = {
    'W1': 'the notes\' example `' + NOTES + '`: gradient, and its value at x=1',
    'W2': '`x^2 + 2*x*y + y^3`: Taylor polynomial of order 3 at (1,2)',
    'W3': 'Rosenbrock `sum_{i=1}^{N-1} 100*(x{i+1}-x{i}^2)^2 + (1-x{i})^2`, written out',
    'W4': 'two-layer network loss `(y - sum_j w2_j*tanh(sum_i w1_j_i*x_i + b1_j) - b2)^2`, '
          '4 inputs, 8 hidden units: gradient in all 49 weights',
    'W5': 'the product `(x1+1)*(x2+2)*...*(x50+50)` (gradient in x1..x50) and the depth-50 '
          'composition `sin(cos(exp(sin(cos(exp(...cos(x)...))))))` (sin, cos, exp repeated, '
          '50 calls, innermost cos(x))',
    'W6': 'Taylor of `exp(sin(x))*cos(y)` at (0,0), orders 4, 8, 12; `tan(x)` at 0, order 15',
    'W7': f'the W1 gradient and the W3 N=10 gradient at {NPOINTS:,} points, uniform in '
          f'[{POINT_RANGE[0]:g}, {POINT_RANGE[1]:g}] to 4 decimals (seed {POINT_SEED})',
    'W8': 'a fresh `deriv grad` process for W1, start to exit',
}


def by_key(key):
    """The case with this key."""
    for c in CASES:
        if c.key == key:
            return c
    raise KeyError(key)


def points(case):
    """W7's points for `case`: an (npoints, len(vars)) float64 array, the
    same for every tool (the CSV that deriv reads holds these numbers exactly
    as printed, to 4 decimals)."""
    import numpy as np
    rng = np.random.default_rng(POINT_SEED)
    lo, hi = POINT_RANGE
    return np.round(rng.uniform(lo, hi, size=(case.npoints, len(case.vars))), 4)


def write_points_csv(case, path):
    """Writes `points(case)` as CSV with a header naming the variables."""
    import numpy as np
    np.savetxt(path, points(case), fmt='%.4f', delimiter=',', header=','.join(case.vars),
               comments='')


def as_json():
    """The cases as JSON, for benches/steps.rs (`cargo bench`), which reads
    them from `python3 bench/workloads.py --json` so that they are defined
    here only."""
    import json
    return json.dumps([{'key': c.key, 'workload': c.workload, 'label': c.label, 'kind': c.kind,
                        'expr': c.expr, 'vars': list(c.vars),
                        'at': [[n, str(v)] for n, v in c.at], 'order': c.order,
                        'npoints': c.npoints} for c in CASES])


if __name__ == '__main__':
    import sys
    if sys.argv[1:] != ['--json']:
        sys.exit('usage: python3 bench/workloads.py --json')
    print(as_json())
