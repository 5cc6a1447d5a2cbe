"""Operation counts for `src/poly/tests.rs` (`counts_follow_sympy`): SymPy's
`count_ops` of each printed form, parsed unevaluated, as the acceptance kit
counts them (`check.py`'s `count_ops_str`).

    python3 tests/reference/count_ops.py      # needs sympy

prints `("form", count),` lines to paste into the test.
"""
import sympy as sp
from sympy.parsing.sympy_parser import parse_expr, standard_transformations

FORMS = [
    'y/x^(3/2)',
    '2*x*(1 - y)',
    '2.5*x - y',
    'y*(1 - x)^3',
    '1/(x*y^2) - 3',
    'exp(-x)/(x + 1)^2',
    '-x^(1/3)/2',
    'x/sin(y) + 2/3',
]

for form in FORMS:
    e = parse_expr(form.replace('^', '**'), transformations=standard_transformations,
                   evaluate=False)
    print(f'("{form}", {int(sp.count_ops(e))}),')
