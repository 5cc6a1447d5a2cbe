"""Reference values for tests/functions.rs, from SymPy (run from the
repository root: `python3 tests/reference/functions_sympy.py`).

For each function added with issue 12 it writes, at a few exact points,
the value and the first two derivatives, and the Taylor coefficients of
order 0..4 at one point, all as floats from 40-digit evaluation (written
as strings, so that they are read back exactly). The
derivatives come from the series of f(a + h) in h (so `sinc` at 0 gets its
true derivatives, where SymPy's piecewise `diff` would give 0 for the
second). `floor`, `ceil` and `round` follow deriv's convention instead of
a series: derivative 0; `round` rounds halves away from zero (SymPy has
no such function: it is `sign(x)*floor(|x| + 1/2)` here).
"""

import json
import pathlib

import sympy as sp

x, h = sp.symbols("x h")


def round_half_away(v):
    return sp.sign(v) * sp.floor(abs(v) + sp.Rational(1, 2))


# name, deriv's input, SymPy's function of x, points, Taylor point
CASES = [
    ("floor", "floor(x)", sp.floor, ["-5/2", "-7/10", "3/10", "1", "5/2"], "13/10"),
    ("ceil", "ceil(x)", sp.ceiling, ["-5/2", "-7/10", "3/10", "1", "5/2"], "13/10"),
    ("round", "round(x)", round_half_away, ["-5/2", "-1/2", "1/2", "7/10", "5/2", "-13/10"], "13/10"),
    ("log10", "log10(x)", lambda v: sp.log(v, 10), ["1/100", "1/2", "3", "1000"], "2"),
    ("log2", "log2(x)", lambda v: sp.log(v, 2), ["1/8", "3/4", "5", "1024"], "3"),
    ("asec", "asec(x)", sp.asec, ["-3", "-3/2", "5/4", "2"], "2"),
    ("acsc", "acsc(x)", sp.acsc, ["-3", "-3/2", "5/4", "2"], "-2"),
    ("acot", "acot(x)", sp.acot, ["-2", "-1/2", "1/3", "3"], "1/2"),
    ("sech", "sech(x)", sp.sech, ["-3/2", "-1/2", "0", "3/4", "2"], "1/2"),
    ("csch", "csch(x)", sp.csch, ["-3/2", "-1/2", "3/4", "2"], "1"),
    ("coth", "coth(x)", sp.coth, ["-3/2", "-1/2", "3/4", "2"], "1"),
    ("asech", "asech(x)", sp.asech, ["1/5", "1/2", "9/10"], "1/2"),
    ("acsch", "acsch(x)", sp.acsch, ["-2", "-1/3", "1/2", "3"], "1"),
    ("acoth", "acoth(x)", sp.acoth, ["-3", "-5/4", "3/2", "4"], "2"),
    ("erfc", "erfc(x)", sp.erfc, ["-2", "0", "1/2", "3", "10", "26"], "1/2"),
    # SymPy's sinc(a + h) gives no series in h away from 0: sin(v)/v does
    ("sinc", "sinc(x)", lambda v: sp.sin(v) / v, ["-3", "0", "1/1000", "1/2", "5"], "0"),
]

PIECEWISE_CONSTANT = {"floor", "ceil", "round"}


def num(e):
    """The float as a string (`repr`, shortest round trip): serde_json's
    default float parser is not correctly rounded, Rust's `str::parse` is."""
    return repr(float(sp.N(e, 40)))


def coefficients(f, a, order):
    """The Taylor coefficients of f at a, from the series of f(a + h)."""
    s = sp.series(f(a + h), h, 0, order + 1).removeO()
    s = sp.expand(s)
    return [s.coeff(h, k) if k > 0 else s.subs(h, 0) for k in range(order + 1)]


def row(name, f, at):
    a = sp.Rational(at)
    if name in PIECEWISE_CONSTANT:
        c = [f(a), 0, 0]
    else:
        c = coefficients(f, a, 2)
    return {"at": at, "value": num(c[0]), "d1": num(c[1]), "d2": num(2 * c[2])}


def main():
    out = []
    for name, src, f, points, center in CASES:
        a = sp.Rational(center)
        if name in PIECEWISE_CONSTANT:
            coeffs = [f(a), 0, 0, 0, 0]
        else:
            coeffs = coefficients(f, a, 4)
        out.append(
            {
                "name": name,
                "expr": src,
                "points": [row(name, f, p) for p in points],
                "taylor": {"at": center, "order": 4, "coeffs": [num(c) for c in coeffs]},
            }
        )
    path = pathlib.Path(__file__).with_name("functions.json")
    text = ",\n".join(json.dumps(case) for case in out)
    path.write_text("[\n" + text + "\n]\n")


if __name__ == "__main__":
    main()
