//! Normal forms over atoms: the examples of issue 12 (expected values from
//! SymPy, see `tests/algebra_sympy.py`) and a property test that
//! normalizing keeps the value wherever the input is defined.

use deriv::expr::Store;
use deriv::parse::{ParseOptions, parse_expr};
use deriv::poly::Normal;
use deriv::print::infix;
use proptest::prelude::*;

fn eval(s: &Store, e: deriv::expr::ExprId, x: f64, y: f64) -> f64 {
    let tape = deriv::eval::Tape::new(s, &[e]);
    let (sx, sy) = (s.find_sym("x"), s.find_sym("y"));
    tape.eval(&|v| {
        if Some(v) == sx {
            x
        } else if Some(v) == sy {
            y
        } else {
            f64::NAN
        }
    })[0]
}

#[test]
fn simplify_examples_match_sympy() {
    // sympy.simplify of each input (tests/algebra_sympy.py)
    for (src, want) in [
        ("(x+1)^2 - x^2 - 2*x", "1"),
        (
            "(tanh(v) + tanh(u))^2 - tanh(v)^2 - 2*tanh(v)*tanh(u)",
            "tanh(u)^2",
        ),
        ("(x^2-1)/(x-1)", "x + 1"),
        // whole periods and quarter turns of sin, cos, tan
        ("sin(12*pi + y + pi/2)", "cos(y)"),
        ("sin(pi + y)", "-sin(y)"),
        ("cos(y - pi/2)", "sin(y)"),
        ("sin(2*pi + y)", "sin(y)"),
        ("tan(y + 3*pi)", "tan(y)"),
        ("sin(y + 7*pi/3)", "sin(pi/3 + y)"),
        // SymPy: sin(x + pi/6), the same function
        ("cos(x + 5*pi/3)", "cos(x - pi/3)"),
        // exp(log(u)) = u, exp(c*log(u)) = u^c where u > 0 wherever it is
        // defined (then both sides have the same domain); by hand
        ("exp(log(3/2))", "3/2"),
        ("exp(2*log(3/2))", "9/4"),
        ("exp(log(sigmoid(3/2)))", "sigmoid(3/2)"),
        ("exp(-log(x^2 + 1))", "1/(x^2 + 1)"),
        // u = x can be negative, where the left side is undefined: kept
        ("exp(log(x))", "exp(log(x))"),
        ("exp(log(-2))", "exp(log(-2))"),
    ] {
        let mut s = Store::new();
        let e = parse_expr(&mut s, src, &ParseOptions::default()).expect("parses");
        let r = deriv::simplify::simplify(&mut s, e);
        assert_eq!(infix(&s, r), want, "{src}");
    }
}

/// A division by an exact zero prints as one, `1/0` (SymPy's `zoo`), and
/// reads back to the same expression; never as `0^(-1)`.
#[test]
fn division_by_zero_prints_as_a_quotient() {
    for (src, want) in [
        ("tan(pi/2)", "1/0"),
        ("tan(3*pi/2)", "-1/0"),
        ("1/sin(pi)", "1/0"),
        ("x/0", "x/0"),
        ("(x + 1)/0", "(x + 1)/0"),
        // 1/0^2 would read back as 1/0
        ("0^(-2)*x", "0^(-2)*x"),
    ] {
        let mut s = Store::new();
        let e = parse_expr(&mut s, src, &ParseOptions::default()).expect("parses");
        let r = deriv::simplify::simplify(&mut s, e);
        let printed = infix(&s, r);
        assert_eq!(printed, want, "{src}");
        let back = parse_expr(&mut s, &printed, &ParseOptions::default()).expect("reads back");
        assert_eq!(deriv::simplify::simplify(&mut s, back), r, "{src}");
    }
}

/// A trigonometric or hyperbolic function of an inverse one is its
/// algebraic form (SymPy's, `tests/algebra_sympy.py`) where that has the
/// same domain; `sin(asin(x))`, `tanh(atanh(x))` stay (`x` is defined
/// everywhere).
/// The input, its printed form, and the composition in floats.
type Composition = (&'static str, &'static str, fn(f64) -> f64);

const OF_INVERSE: [Composition; 14] = [
    ("cos(asin(x))", "sqrt(1 - x^2)", |x| x.asin().cos()),
    ("sin(acos(x))", "sqrt(1 - x^2)", |x| x.acos().sin()),
    ("tan(asin(x))", "x/sqrt(1 - x^2)", |x| x.asin().tan()),
    ("tan(acos(x))", "sqrt(1 - x^2)/x", |x| x.acos().tan()),
    ("sin(atan(x))", "x/sqrt(x^2 + 1)", |x| x.atan().sin()),
    ("cos(atan(x))", "1/sqrt(x^2 + 1)", |x| x.atan().cos()),
    ("tan(atan(x))", "x", |x| x.atan().tan()),
    ("cosh(asinh(x))", "sqrt(x^2 + 1)", |x| x.asinh().cosh()),
    ("tanh(asinh(x))", "x/sqrt(x^2 + 1)", |x| x.asinh().tanh()),
    ("sinh(acosh(x))", "sqrt(x - 1)*sqrt(x + 1)", |x| {
        x.acosh().sinh()
    }),
    ("tanh(acosh(x))", "sqrt(x - 1)*sqrt(x + 1)/x", |x| {
        x.acosh().tanh()
    }),
    ("cosh(atanh(x))", "1/sqrt(1 - x^2)", |x| x.atanh().cosh()),
    ("sinh(atanh(x))", "x/sqrt(1 - x^2)", |x| x.atanh().sinh()),
    ("sin(asin(x))", "sin(asin(x))", |x| x.asin().sin()),
];

#[test]
fn functions_of_inverse_functions_are_algebraic() {
    for (src, want, _) in OF_INVERSE {
        let mut s = Store::new();
        let e = parse_expr(&mut s, src, &ParseOptions::default()).expect("parses");
        assert_eq!(infix(&s, e), want, "{src}");
    }
    // and a derivative through them: d/dt log(sin(atan(t)))
    let mut s = deriv::Session::new();
    let f = s.parse("log(sin(atan(t)))").expect("parses");
    let g = s.gradient(&f).expect("differentiates");
    assert_eq!(g.entries[0].to_string(), "1/(t*(t^2 + 1))");
}

proptest! {
    /// Same value, and undefined at the same points, as the composition
    /// computed in floats.
    #[test]
    fn functions_of_inverse_functions_keep_value_and_domain(
        i in 0usize..OF_INVERSE.len(), x in -3.0f64..3.0,
    ) {
        let (src, _, f) = OF_INVERSE[i];
        let mut s = Store::new();
        let e = parse_expr(&mut s, src, &ParseOptions::default()).expect("parses");
        let (want, got) = (f(x), eval(&s, e, x, 0.0));
        prop_assert_eq!(want.is_nan(), got.is_nan(), "{} at {}: {} vs {}", src, x, want, got);
        if want.is_finite() {
            prop_assert!((want - got).abs() <= 1e-9 * (1.0 + want.abs()), "{} at {}: {} vs {}", src, x, want, got);
        }
    }
}

#[test]
fn taylor_coefficients_are_short_polynomials() {
    // sigmoid at 1: the coefficient of (x-1)^2 is s/2 - 3s^2/2 + s^3 with
    // s = sigmoid(1) (sympy: diff(1/(1+exp(-x)), x, 2)/2 in terms of s)
    let mut s = Store::new();
    let e = parse_expr(&mut s, "sigmoid(x)", &ParseOptions::default()).expect("parses");
    let point = [(s.sym("x"), s.int(1))];
    let t = deriv::series::taylor(&mut s, e, &point, 2, &Default::default()).expect("expands");
    // factored: s*(s - 1)*(2*s - 1)/2 = (2*s^3 - 3*s^2 + s)/2, the same
    assert_eq!(
        infix(&s, t.terms[2].1),
        "sigmoid(1)*(sigmoid(1) - 1)*(2*sigmoid(1) - 1)/2"
    );
}

const INPUTS: [&str; 8] = [
    "(x+y)^3 - x^3",
    "(x^2 - y^2)/(x - y)",
    "(x^3 - 1)/(x - 1) + y",
    "(tanh(x) + y)^2 - tanh(x)^2",
    "(sigmoid(x) - sigmoid(x)^2)/sigmoid(x)",
    "(x*y + y^2)/(x + y) - y",
    "(sqrt(x)^3 + sqrt(x))/sqrt(x)",
    "1/(x + 1) + 1/(x - 1)",
];

proptest! {
    #[test]
    fn normalizing_keeps_the_value(i in 0usize..INPUTS.len(), x in -3.0f64..3.0, y in -3.0f64..3.0) {
        let mut s = Store::new();
        let e = parse_expr(&mut s, INPUTS[i], &ParseOptions::default()).expect("parses");
        let mut n = Normal::new();
        let r = n.normalize(&mut s, e);
        let (a, b) = (eval(&s, e, x, y), eval(&s, r, x, y));
        if a.is_finite() {
            prop_assert!((a - b).abs() <= 1e-9 * (1.0 + a.abs()), "{} at ({x}, {y}): {a} vs {b} ({})", INPUTS[i], infix(&s, r));
        }
    }
}

/// Issue 12, section 1: rewrites valid where the input is defined, through
/// the front door. By hand: d/dx x^x = x^x*(log(x) + 1);
/// (1/sin(a))^(-1) = sin(a) wherever it is defined, so its derivative is
/// cos(a); cot' = -1 - cot^2 = -cos^2/sin^2 - 1;
/// ((a - p - q)^(1/2)*q^(2/3))^4 = (a - p - q)^2*q^(8/3) where it is
/// defined (a - p - q >= 0), so d/da = 2*(a - p - q)*q^(8/3).
#[test]
fn derivatives_use_rewrites_valid_on_the_input_domain() {
    let grad = |src: &str| -> Vec<String> {
        let mut s = deriv::Session::new();
        let f = s.parse(src).expect("parses");
        let g = s.gradient(&f).expect("gradient");
        g.entries.iter().map(ToString::to_string).collect()
    };
    assert_eq!(grad("x^x"), ["x^x*(log(x) + 1)"]);
    assert_eq!(grad("(1/sin(alpha))^-1"), ["cos(alpha)"]);
    // cot' = -cos^2/sin^2 - 1 = -(cos^2 + sin^2)/sin^2 = -1/sin^2 (SymPy too)
    assert_eq!(grad("cot(x)"), ["-1/sin(x)^2"]);
    let g = grad("((a - p - q)^(1/2)*q^(2/3))^4");
    assert_eq!(g[0], "2*q^(8/3)*(a - p - q)");
    // nothing to guard: unchanged, and x/x stays where the input is
    // defined at 0 and the derivative too
    assert_eq!(grad("x^2/3"), ["2*x/3"]);
    // atan(tan(y))' = (tan(y)^2 + 1)/(tan(y)^2 + 1): the divisor is positive
    // by its form, never 0, so it cancels: 9*x
    assert_eq!(grad("9*x*atan(tan(y))")[1], "9*x");
    // exp, sigmoid and softplus of log(u) where the input makes u >= 0
    // (log(u) is NaN below 0, and NaN stays NaN through sigmoid): u,
    // u/(u + 1), log(u + 1)
    assert_eq!(grad("exp(log(x))*y")[1], "x");
    assert_eq!(grad("sigmoid(log(b))*a")[0], "b/(b + 1)");
    assert_eq!(grad("softplus(log(b))*a")[0], "log(b + 1)");
    // d/db a*b/(b + 1) = a/(b + 1)^2 (by hand); the 1/b of the chain rule
    // stays: it guards b = 0, where the input is 0 in floats
    // (sigmoid(-inf)) but its derivative as computed is not defined
    assert_eq!(
        grad("sigmoid(log(b))*a")[1],
        "a*b*(1 - b/(b + 1))/(b*(b + 1))"
    );
    // without the log in the input, no guard: left alone
    let mut s = deriv::Session::new();
    let f = s.parse("exp(log(x))*y").expect("parses");
    assert_eq!(
        s.simplify(&f).expect("simplifies").to_string(),
        "y*exp(log(x))"
    );
    // sigmoid'(x) = exp(-x)/(1 + exp(-x))^2, shorter as the kit counts than
    // sigmoid(x)*(1 - sigmoid(x)) (7 against 9 operations); and d^3/dx^3
    // sigmoid(x - 4) (SymPy: simplify(diff(1/(1 + exp(4 - x)), x, 3) - this)
    // is 0)
    assert_eq!(grad("sigmoid(x)"), ["exp(-x)/(exp(-x) + 1)^2"]);
    let mut s = deriv::Session::new();
    let f = s.parse("sigmoid(x - 4)").expect("parses");
    let x = s.vars("x").expect("vars");
    let xxx = [x[0], x[0], x[0]];
    assert_eq!(
        s.diff(&f, &xxx).expect("diff").to_string(),
        "exp(4 - x)*(exp(8 - 2*x) - 4*exp(4 - x) + 1)/(exp(4 - x) + 1)^4"
    );
    // inside log, a1^(1/2) makes a1 >= 0 wherever the input is defined, so
    // sqrt(a1)*sqrt(a1) = a1; by hand (a1*log(sqrt(a1)))'' = 1/(2*a1)
    let mut s = deriv::Session::new();
    let f = s.parse("a1*log(a1^(1/2))").expect("parses");
    assert_eq!(
        s.hessian(&f).expect("hessian").rows[0][0].to_string(),
        "1/(2*a1)"
    );
    // the Hessian entry of x*(sqrt(x) + 2/(x*w)): d2/dx2 (x^(3/2) + 2/w) =
    // 3/(4*sqrt(x)); the input divides by w, so dropping it is exact
    let f = s.parse("x*(sqrt(x) + 2/(x*w))").expect("parses");
    assert_eq!(
        s.hessian(&f).expect("hessian").rows[1][1].to_string(),
        "3/(4*sqrt(x))"
    );
    // atanh(x) = (log(1 + x) - log(1 - x))/2 on |x| < 1: the derivative is 0
    let f = s
        .parse("atanh(x) - (log(1 + x) - log(1 - x))/2")
        .expect("parses");
    let x = s.vars("x").expect("vars");
    assert_eq!(s.diff(&f, &x).expect("diff").to_string(), "0");
    // acoth(x) = atanh(1/x): the chain rule gives 1/(x^2*(1/x^2 - 1)) with a
    // fraction in its denominator; by hand it is 1/(1 - x^2) for |x| > 1,
    // and the input divides by x, so x = 0 may go
    let f = s.parse("acoth(x)").expect("parses");
    assert_eq!(s.diff(&f, &x).expect("diff").to_string(), "1/(1 - x^2)");
    // acot(x) = atan(1/x) is defined at 0 (pi/2) but jumps there: its
    // derivative keeps x = 0 undefined
    let f = s.parse("acot(x)").expect("parses");
    assert_eq!(
        s.diff(&f, &x).expect("diff").to_string(),
        "-1/(x^2*(1/x^2 + 1))"
    );
}

/// The terms of one degree that share a coefficient print once over it,
/// and a function of one linear form prints in powers of that form's
/// displacement (issue 12: as short as SymPy's `simplify` of the series).
/// By hand: sin(x + y) at (1, 2) is sin(3 + L) with L = x + y - 3, whose
/// series is sin(3) + cos(3)*L - sin(3)*L^2/2 - cos(3)*L^3/6; exp(2*x - y)
/// at (0, 1/2) is exp(-1/2)*exp(L) with L = 2*x - y + 1/2; tan(y - x)^3 at
/// (-17/8, -1/8) is g(2 - L) with L = x - y + 2 and g = tan^3, g' =
/// 3*tan^2*(1 + tan^2), g''/2 = 3*tan*(1 + tan^2)*(1 + 2*tan^2) (expanded:
/// 3*t + 9*t^3 + 6*t^5). Each printed polynomial reads back to the same
/// values as its terms in powers of `x - a`.
#[test]
fn taylor_terms_of_one_linear_form_print_in_its_powers() {
    let taylor = |src: &str, at: &str, order: u32| -> String {
        let mut s = deriv::Session::new();
        let f = s.parse(src).expect("parses");
        let p = s.point(at).expect("point");
        let t = s.taylor(&f, &p, order, false).expect("expands");
        // the printed text against the terms, at a few points near `at`
        let text = s.parse(&t.text).expect("reads back");
        let terms = s.polynomial_expr(&t);
        let names: Vec<&str> = at
            .split(',')
            .map(|kv| kv.split('=').next().unwrap())
            .collect();
        for k in 1..4 {
            let q: Vec<String> = names
                .iter()
                .enumerate()
                .map(|(i, n)| format!("{n}={}", 0.3 * k as f64 - 0.7 * i as f64))
                .collect();
            let q = s.point(&q.join(",")).expect("point");
            let (a, _) = s.values(&text.roots(), &q);
            let (b, _) = s.values(&[terms], &q);
            assert!(
                (a[0] - b[0]).abs() <= 1e-9 * (1.0 + b[0].abs()),
                "{src}: {a:?} vs {b:?}"
            );
        }
        t.text
    };
    for (src, at, order, want) in [
        (
            "sin(x + y)",
            "x=1,y=2",
            3,
            "sin(3) + cos(3)*(x + y - 3) - sin(3)*(x + y - 3)^2/2 - cos(3)*(x + y - 3)^3/6",
        ),
        (
            "exp(2*x - y)",
            "x=0,y=1/2",
            2,
            "exp(-1/2)*(1 + (2*x - y + 1/2) + (2*x - y + 1/2)^2/2)",
        ),
        (
            "tan(y - x)^3",
            "x=-17/8,y=-1/8",
            2,
            // every coefficient is tan(2) times a polynomial in it
            "tan(2)*(tan(2)^2 - (3*tan(2) + 3*tan(2)^3)*(x - y + 2) + (9*tan(2)^2 + \
             6*tan(2)^4 + 3)*(x - y + 2)^2)",
        ),
        // not a function of one linear form, or of one variable: as before
        (
            "x^2 + 2*x*y + y^3",
            "x=1,y=2",
            3,
            "13 + 6*(x - 1) + 14*(y - 2) + (x - 1)^2 + 2*(x - 1)*(y - 2) + 6*(y - 2)^2 + (y - 2)^3",
        ),
        ("exp(x)", "x=1", 2, "exp(1)*(1 + (x - 1) + (x - 1)^2/2)"),
        // numbers: log(1 + L) = L - L^2/2 + L^3/3 - L^4/4 with L = x + y
        (
            "log(x + y + 1)",
            "x=0,y=0",
            4,
            "(x + y) - (x + y)^2/2 + (x + y)^3/3 - (x + y)^4/4",
        ),
        // a linearization with numbers keeps its partial derivatives apart:
        // d/dx sqrt(x)*y^2 = 1/4, d/dy = 4 at (4, 1)
        ("sqrt(x)*y^2", "x=4,y=1", 1, "2 + (x - 4)/4 + 4*(y - 1)"),
        // sigmoid' = s*(1 - s): both coefficients are s times a polynomial in s
        (
            "sigmoid(x)",
            "x=1/8",
            1,
            "sigmoid(1/8)*(1 + (1 - sigmoid(1/8))*(x - 1/8))",
        ),
    ] {
        assert_eq!(taylor(src, at, order), want, "{src}");
    }
    taylor("sin(x)*cos(y) + exp(x*y)", "x=1/2,y=1/3", 3);
    taylor("sigmoid(3*x - y)*y", "x=1,y=2", 3);
}
