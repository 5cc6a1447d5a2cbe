#!/usr/bin/env python3
"""Reference values for tests/precise.rs: random exact expressions at exact
points, evaluated by mpmath at 200 significant digits (and again at 260, to
drop the cases whose value 200 digits do not settle, such as an exact zero
that deriv folds and mpmath sees as 1e-201).

Each line of precise.jsonl is {"expr", "at", "value", "digits"}: the
expression in deriv's syntax with one variable `x`, the exact point
(`x=p/q`), the value rounded to the nearest f64 (as Python's repr, which
reads back exactly), and its first 30 digits. Only finite real values are
kept. Semantics are deriv's (real, as its float tape): a negative base
with a non-integer exponent, log of a non-positive number and so on are
undefined, and such a case is dropped.

Run from the repository root:  python3 tests/reference/precise_reference.py
"""

import json
import random
import signal

import mpmath as mp

SEED = 20261130
COUNT = 400
OUT = "tests/reference/precise.jsonl"

UNARY = ["sin", "cos", "tan", "exp", "log", "sqrt", "atan", "sinh", "cosh",
         "tanh", "asinh", "erf", "sigmoid", "softplus", "abs", "cbrt",
         "asin", "acos", "acosh", "atanh", "sign", "step", "relu"]


class Undefined(Exception):
    pass


class Slow(Exception):
    pass


def on_alarm(_sig, _frame):
    raise Slow()


def real(v):
    if isinstance(v, mp.mpc) or not mp.isfinite(v):
        raise Undefined()
    return v


def ambiguous(a):
    """Too close to a kink for 200 digits to tell (an exact zero that deriv
    folds, such as sin(pi), is 1e-201 to mpmath)."""
    return abs(a) < mp.mpf(10) ** -100


def unary(name, a):
    if name in ("sign", "step", "relu", "abs") and ambiguous(a):
        raise Undefined()
    if name in ("sin", "cos", "tan") and abs(a) > mp.mpf(10) ** 80:
        raise Undefined()
    # beyond the f64 range anyway, and slow in mpmath
    if name in ("exp", "sinh", "cosh", "sigmoid", "softplus", "erf", "tanh") and abs(a) > 10**5:
        raise Undefined()
    if name == "log":
        if a <= 0:
            raise Undefined()
        return mp.log(a)
    if name == "sqrt":
        if a < 0:
            raise Undefined()
        return mp.sqrt(a)
    if name in ("asin", "acos") and abs(a) > 1:
        raise Undefined()
    if name == "acosh" and a < 1:
        raise Undefined()
    if name == "atanh" and abs(a) >= 1:
        raise Undefined()
    table = {
        "sigmoid": lambda x: 1 / (1 + mp.exp(-x)),
        "softplus": lambda x: mp.log1p(mp.exp(x)) if x < 0 else x + mp.log1p(mp.exp(-x)),
        "cbrt": lambda x: mp.sign(x) * mp.cbrt(abs(x)),
        "sign": lambda x: mp.mpf(mp.sign(x)),
        "step": lambda x: mp.mpf(1 if x > 0 else 0),
        "relu": lambda x: x if x > 0 else mp.mpf(0),
        "abs": abs,
    }
    f = table.get(name) or getattr(mp, name)
    return real(f(a))


def power(a, num, den):
    if abs(a) > mp.mpf(10) ** 10**5 or (a != 0 and abs(a) < mp.mpf(10) ** -10**5):
        raise Undefined()
    if den == 1:
        if a == 0 and num < 0:
            raise Undefined()
        return real(mp.power(a, num))
    if a < 0 or (a == 0 and num < 0):
        raise Undefined()
    return real(mp.power(a, mp.mpf(num) / den))


def gen(rng, depth):
    """A random expression: (text, evaluator)."""
    if depth == 0 or rng.random() < 0.25:
        return leaf(rng)
    r = rng.random()
    if r < 0.45:
        name = rng.choice(UNARY)
        t, f = gen(rng, depth - 1)
        return f"{name}({t})", lambda x: unary(name, f(x))
    if r < 0.85:
        op = rng.choice("+-*/")
        (ta, fa), (tb, fb) = gen(rng, depth - 1), gen(rng, depth - 1)

        def g(x):
            a, b = fa(x), fb(x)
            if op == "/" and b == 0:
                raise Undefined()
            return real({"+": a + b, "-": a - b, "*": a * b, "/": a / b if b else 0}[op])
        return f"({ta}) {op} ({tb})", g
    if r < 0.93:
        num, den = rng.choice([(2, 1), (3, 1), (-1, 1), (-2, 1), (1, 2), (1, 3), (5, 2), (-1, 2)])
        t, f = gen(rng, depth - 1)
        e = str(num) if den == 1 else f"{num}/{den}"
        return f"({t})^({e})", lambda x: power(f(x), num, den)
    name = rng.choice(["atan2", "min", "max"])
    (ta, fa), (tb, fb) = gen(rng, depth - 1), gen(rng, depth - 1)
    fn = {"atan2": mp.atan2, "min": min, "max": max}[name]

    def g(x):
        a, b = fa(x), fb(x)
        tie = ambiguous(a) if name == "atan2" else ambiguous(a - b)
        if tie:
            raise Undefined()
        return real(fn(a, b))
    return f"{name}({ta}, {tb})", g


def leaf(rng):
    r = rng.random()
    if r < 0.35:
        return "x", lambda x: x
    if r < 0.55:
        n = rng.randint(-9, 9)
        return f"({n})", lambda x: mp.mpf(n)
    if r < 0.7:
        p, q = rng.randint(-30, 30), rng.randint(1, 30)
        return f"({p}/{q})", lambda x: mp.mpf(p) / q
    if r < 0.8:
        return "pi", lambda x: +mp.pi
    if r < 0.88:
        return "e", lambda x: mp.e
    k = rng.randint(10, 40)
    return f"(10^{k})", lambda x: mp.mpf(10) ** k


def templates(rng):
    """Cancellation and huge arguments, where a float evaluation fails."""
    k = rng.randint(15, 60)
    return rng.choice([
        (f"sin(10^{k} * x)", lambda x: mp.sin(mp.mpf(10) ** k * x)),
        (f"cos(x * 10^{k})", lambda x: mp.cos(mp.mpf(10) ** k * x)),
        (f"(1 + x/10^{k})^(10^{k})", lambda x: mp.power(1 + x / mp.mpf(10) ** k, mp.mpf(10) ** k)),
        (f"exp(x/10^{k}) - 1", lambda x: mp.expm1(x / mp.mpf(10) ** k)),
        (f"1/(pi + x/10^{k} - pi) ", lambda x: mp.mpf(10) ** k / x),
        (f"tan(pi/2 + x/10^{k})", lambda x: mp.tan(mp.pi / 2 + x / mp.mpf(10) ** k)),
        (f"log(1 + x/10^{k})", lambda x: mp.log1p(x / mp.mpf(10) ** k)),
        (f"sqrt(10^{k} + x) - sqrt(10^{k})", lambda x: mp.sqrt(mp.mpf(10) ** k + x) - mp.sqrt(mp.mpf(10) ** k)),
    ])


def main():
    rng = random.Random(SEED)
    signal.signal(signal.SIGALRM, on_alarm)
    lines = []
    while len(lines) < COUNT:
        if rng.random() < 0.2:
            text, f = templates(rng)
            p, q = rng.randint(1, 40), rng.randint(1, 40)
        else:
            text, f = gen(rng, rng.randint(1, 4))
            p, q = rng.randint(-40, 40), rng.randint(1, 40)
        try:
            signal.alarm(5)
            mp.mp.dps = 200
            v200 = f(mp.mpf(p) / q)
            mp.mp.dps = 260
            v260 = f(mp.mpf(p) / q)
        except (Undefined, Slow, ZeroDivisionError, ValueError, OverflowError):
            continue
        finally:
            signal.alarm(0)
            mp.mp.dps = 200
        if not mp.isfinite(v200) or abs(float(v200)) == float("inf"):
            continue
        settled = v260 == 0 and v200 == 0 or (
            v260 != 0 and abs(v200 - v260) <= abs(v260) * mp.mpf(10) ** -150)
        if not settled or (v260 != 0 and abs(v260) < mp.mpf(10) ** -300):
            continue
        lines.append({
            "expr": text.strip(),
            "at": f"x={p}/{q}",
            "value": repr(float(v260)),
            "digits": mp.nstr(v260, 30),
        })
    with open(OUT, "w") as out:
        for line in lines:
            out.write(json.dumps(line) + "\n")


if __name__ == "__main__":
    main()
