"""Reference Taylor polynomials at removable singularities, from SymPy.

Writes series_sympy.json beside this script: for each case, the expression
as deriv parses it, the point, the order, and each coefficient as an exact
rational string keyed by its exponents; or, for a true pole, its order.
tests/series_singular.rs reads the JSON and compares deriv's exact output.

Run: python3 tests/reference/series_sympy.py   (SymPy 1.14)
"""

import json
import pathlib

import sympy as sp

x, y = sp.symbols("x y")

# (deriv source, SymPy expression, point, order)
CASES = [
    ("sin(x)/x", sp.sin(x) / x, {"x": 0}, 4),
    ("sin(x)/x", sp.sin(x) / x, {"x": 0}, 9),
    ("(exp(x)-1)/x", (sp.exp(x) - 1) / x, {"x": 0}, 5),
    ("(1-cos(x))/x^2", (1 - sp.cos(x)) / x**2, {"x": 0}, 6),
    ("x/sin(x)", x / sp.sin(x), {"x": 0}, 6),
    ("x/(exp(x)-1)", x / (sp.exp(x) - 1), {"x": 0}, 8),
    ("sin(x)^2/x^2", sp.sin(x) ** 2 / x**2, {"x": 0}, 6),
    ("tan(x)/x", sp.tan(x) / x, {"x": 0}, 6),
    ("(x-sin(x))/x^3", (x - sp.sin(x)) / x**3, {"x": 0}, 4),
    ("log(1+x)/x", sp.log(1 + x) / x, {"x": 0}, 5),
    ("sin(x)/x", sp.sin(x) / x, {"x": 0}, 1),
    ("sin(x)*cos(y)/x", sp.sin(x) * sp.cos(y) / x, {"x": 0, "y": 0}, 4),
    ("sin(x)/x + exp(y)", sp.sin(x) / x + sp.exp(y), {"x": 0, "y": 0}, 4),
    ("y*(exp(x)-1)/x", y * (sp.exp(x) - 1) / x, {"x": 0, "y": 1}, 3),
    ("sin(x-1)/(x-1)", sp.sin(x - 1) / (x - 1), {"x": 1}, 4),
]

POLES = [
    ("1/x^2", x ** -2, {"x": 0}, 2),
    ("cos(x)/x", sp.cos(x) / x, {"x": 0}, 2),
    ("sin(x)/x^3", sp.sin(x) / x**3, {"x": 0}, 2),
    ("1/(x^3+x^4)", 1 / (x**3 + x**4), {"x": 0}, 2),
]


def taylor(expr, point, order):
    """Exact coefficients of the total-degree-`order` Taylor polynomial."""
    syms = [sp.Symbol(v) for v in point]
    t = sp.Symbol("t")
    # scale every displacement by t: total degree = power of t
    shifted = expr.subs({s: point[s.name] + t * s for s in syms}, simultaneous=True)
    poly = sp.series(shifted, t, 0, order + 1).removeO()
    poly = sp.expand(poly.subs(t, 1))
    coeffs = {}
    for monom, c in sp.Poly(poly, *syms).terms():
        if c != 0:
            coeffs[",".join(str(k) for k in monom)] = str(sp.Rational(c))
    return coeffs


def pole_order(expr, point):
    """The order of the pole of a univariate expression at the point."""
    (name, a), = point.items()
    s = sp.Symbol(name)
    lead = sp.series(expr, s, a, 1).removeO().as_leading_term(s)
    return -int(sp.degree(sp.Poly(sp.simplify(1 / lead), s)))


def main():
    out = {"cases": [], "poles": []}
    for src, expr, point, order in CASES:
        out["cases"].append(
            {"expr": src, "point": point, "order": order, "coeffs": taylor(expr, point, order)}
        )
    for src, expr, point, order in POLES:
        out["poles"].append(
            {"expr": src, "point": point, "order": order, "pole": -pole_order(expr, point)}
        )
    path = pathlib.Path(__file__).with_name("series_sympy.json")
    path.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
