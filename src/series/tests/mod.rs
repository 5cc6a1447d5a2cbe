//! Unit tests of Taylor polynomials: exact coefficients, agreement with finite
//! differences for every function, error order, kinks and limits.

use crate::expr::{ExprId, Func, Node, Store, Sym};
use crate::series::{SeriesError, SeriesOptions, Taylor, linearize, taylor};

mod functions;
mod timings;

/// Evaluates an expression to `f64`, variables from `env`.
pub(crate) fn eval(s: &Store, id: ExprId, env: &[(Sym, f64)]) -> f64 {
    let ids = s.reachable(&[id]);
    let mut vals: Vec<f64> = Vec::with_capacity(ids.len());
    let at = |vals: &[f64], c: &ExprId| vals[ids.binary_search(c).expect("child")];
    for &i in &ids {
        let v = match s.node(i) {
            Node::Num(n) => n.to_f64(),
            Node::Const(c) => c.value(),
            Node::Var(v) => env.iter().find(|e| e.0 == *v).map_or(f64::NAN, |e| e.1),
            Node::Add(xs) => xs.iter().map(|c| at(&vals, c)).sum(),
            Node::Mul(xs) => xs.iter().map(|c| at(&vals, c)).product(),
            Node::Pow([b, e]) => pow(at(&vals, b), at(&vals, e)),
            Node::Call(f, xs) => f.apply_f64(&xs.iter().map(|c| at(&vals, c)).collect::<Vec<_>>()),
        };
        vals.push(v);
    }
    vals.last().copied().unwrap_or(f64::NAN)
}

fn pow(b: f64, e: f64) -> f64 {
    if e.fract() == 0.0 && e.abs() < 1e9 {
        b.powi(e as i32)
    } else {
        b.powf(e)
    }
}

pub(crate) fn opts() -> SeriesOptions {
    SeriesOptions::default()
}

/// The value of the coefficient of the monomial with these exponents.
pub(crate) fn coeff(s: &Store, t: &Taylor, exps: &[u32]) -> f64 {
    t.terms
        .iter()
        .find(|(e, _)| e == exps)
        .map_or(0.0, |(_, c)| eval(s, *c, &[]))
}

/// `T(x)` evaluated at a point given as offsets from the center.
pub(crate) fn eval_poly(s: &Store, t: &Taylor, delta: &[f64]) -> f64 {
    t.terms
        .iter()
        .map(|(e, c)| {
            eval(s, *c, &[])
                * e.iter()
                    .zip(delta)
                    .map(|(&k, d)| d.powi(k as i32))
                    .product::<f64>()
        })
        .sum()
}

pub(crate) fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * (1.0 + a.abs().max(b.abs()))
}

#[test]
fn mml_example_5_15() {
    let mut s = Store::new();
    let (x, y) = (s.var("x"), s.var("y"));
    let x2 = s.powi(x, 2);
    let two = s.int(2);
    let xy2 = s.mul(&[two, x, y]);
    let y3 = s.powi(y, 3);
    let f = s.add(&[x2, xy2, y3]);
    let point = [(s.sym("x"), s.int(1)), (s.sym("y"), s.int(2))];
    let t = taylor(&mut s, f, &point, 3, &opts()).expect("taylor");
    let expected: Vec<(Vec<u32>, ExprId)> = [
        (vec![0, 0], 13),
        (vec![1, 0], 6),
        (vec![0, 1], 14),
        (vec![2, 0], 1),
        (vec![1, 1], 2),
        (vec![0, 2], 6),
        (vec![0, 3], 1),
    ]
    .into_iter()
    .map(|(e, c)| (e, s.int(c)))
    .collect();
    assert_eq!(t.terms, expected);
    let p = t.to_expr(&mut s);
    let (sx, sy) = (point[0].0, point[1].0);
    for (a, b) in [(0.0, 0.0), (1.5, -2.0), (-3.25, 0.5), (10.0, 7.0)] {
        let env = [(sx, a), (sy, b)];
        assert!(
            close(eval(&s, p, &env), eval(&s, f, &env), 1e-12),
            "at ({a}, {b})"
        );
    }
}

#[test]
fn exact_univariate_coefficients() {
    let mut s = Store::new();
    let t_ = s.var("t");
    let st = s.sym("t");
    let e = s.call1(Func::Exp, t_);
    let zero = s.int(0);
    let got = taylor(&mut s, e, &[(st, zero)], 3, &opts()).expect("exp");
    let want = [s.int(1), s.int(1), s.frac(1, 2), s.frac(1, 6)];
    assert_eq!(got.terms.iter().map(|t| t.1).collect::<Vec<_>>(), want);

    let two = s.int(2);
    let arg = s.mul(&[two, t_]);
    let e2 = s.call1(Func::Exp, arg);
    let got = taylor(&mut s, e2, &[(st, zero)], 3, &opts()).expect("exp(2t)");
    let want = [s.int(1), s.int(2), s.int(2), s.frac(4, 3)];
    assert_eq!(got.terms.iter().map(|t| t.1).collect::<Vec<_>>(), want);
}

#[test]
fn cosine_at_pi_over_three_is_exact() {
    let mut s = Store::new();
    let t_ = s.var("t");
    let st = s.sym("t");
    let c = s.call1(Func::Cos, t_);
    let pi = s.constant(crate::expr::Constant::Pi);
    let third = s.frac(1, 3);
    let a = s.mul(&[third, pi]);
    let got = taylor(&mut s, c, &[(st, a)], 2, &opts()).expect("cos");
    let three = s.int(3);
    let r3 = s.sqrt(three);
    let mh = s.frac(-1, 2);
    let c1 = s.mul(&[mh, r3]);
    let want = vec![
        (vec![0], s.frac(1, 2)),
        (vec![1], c1),
        (vec![2], s.frac(-1, 4)),
    ];
    assert_eq!(got.terms, want);
}

#[test]
fn symbolic_point_and_parameters_stay_symbolic() {
    let mut s = Store::new();
    let (x, p) = (s.var("x"), s.var("p"));
    let sx = s.sym("x");
    let sin = s.call1(Func::Sin, x);
    let f = s.mul(&[p, sin]);
    let one = s.int(1);
    let t = taylor(&mut s, f, &[(sx, one)], 2, &opts()).expect("p*sin(x)");
    let (s1, c1) = (s.call1(Func::Sin, one), s.call1(Func::Cos, one));
    let mh = s.frac(-1, 2);
    let want = vec![
        (vec![0], s.mul(&[p, s1])),
        (vec![1], s.mul(&[p, c1])),
        (vec![2], s.mul(&[mh, p, s1])),
    ];
    assert_eq!(t.terms, want);
}

#[test]
fn linearize_is_order_one() {
    let mut s = Store::new();
    let (u, v) = (s.var("u"), s.var("v"));
    let u2 = s.powi(u, 2);
    let f = s.mul(&[u2, v]);
    let point = [(s.sym("u"), s.int(1)), (s.sym("v"), s.int(3))];
    let t = linearize(&mut s, f, &point, &opts()).expect("linearize");
    let want = vec![
        (vec![0, 0], s.int(3)),
        (vec![1, 0], s.int(6)),
        (vec![0, 1], s.int(1)),
    ];
    assert_eq!(t.order, 1);
    assert_eq!(t.terms, want);
}

/// `|err(h)| / h^(order+1)` stays bounded as `h` halves.
pub(crate) fn assert_error_order(name: &str, err: impl Fn(f64) -> f64, order: i32) {
    let ratios: Vec<f64> = (0..5)
        .map(|i| 0.05 / f64::from(1 << i))
        .map(|h| err(h).abs() / h.powi(order + 1))
        .collect();
    let bound = 4.0 * ratios[0] + 1e-6;
    for (i, r) in ratios.iter().enumerate() {
        let h = 0.05 / f64::from(1 << i);
        let noise = 1e-13 / h.powi(order + 1);
        assert!(
            *r <= bound + noise,
            "{name}: error/h^{} grows: {ratios:?}",
            order + 1
        );
    }
}

/// Smooth functions of two variables, including powers with a varying
/// exponent and every function family.
fn two_variable_functions(s: &mut Store, x: ExprId, y: ExprId) -> Vec<ExprId> {
    let one = s.int(1);
    let two = s.int(2);
    let (x2, y2) = (s.powi(x, 2), s.powi(y, 2));
    let xy = s.mul(&[x, y]);
    let ex = s.call1(Func::Exp, x);
    let sy = s.call1(Func::Sin, y);
    let r = s.add(&[one, x2, y2]);
    let lr = s.call1(Func::Ln, r);
    let a = s.mul(&[ex, sy]);
    let f1 = s.add(&[a, lr]);
    let x_2 = s.add(&[x, two]);
    let at = s.call(Func::Atan2, &[y, x_2]);
    let ch = s.call1(Func::Cosh, xy);
    let f2 = s.mul(&[at, ch]);
    let q = s.add(&[one, x2, y]);
    let sq = s.sqrt(q);
    let d = s.sub(x, y);
    let th = s.call1(Func::Tanh, d);
    let xpy = s.pow(x, y);
    let cb = s.call1(Func::Cbrt, d);
    let er = s.call1(Func::Erf, xy);
    let sp = s.call1(Func::Softplus, d);
    let m = s.mul(&[sq, th]);
    let f3 = s.add(&[m, xpy, cb, er, sp]);
    let h = s.frac(3, 2);
    let p = s.pow(xy, h);
    let asn = s.call1(Func::Asin, xy);
    let tn = s.call1(Func::Tan, x);
    let sg = s.call1(Func::Sigmoid, y);
    let f4 = s.add(&[p, asn, tn, sg]);
    vec![f1, f2, f3, f4]
}

#[test]
fn taylor_error_shrinks_like_h_to_the_order_plus_one() {
    let mut s = Store::new();
    let (x, y) = (s.var("x"), s.var("y"));
    let (sx, sy) = (s.sym("x"), s.sym("y"));
    let (a, b) = (0.5, 0.7);
    let (dx, dy) = (0.6, -0.8);
    for f in two_variable_functions(&mut s, x, y) {
        for order in [1u32, 2, 3] {
            let point = [(sx, s.frac(1, 2)), (sy, s.frac(7, 10))];
            let t = taylor(&mut s, f, &point, order, &opts()).expect("taylor");
            let err = |h: f64| {
                let v = eval(&s, f, &[(sx, a + h * dx), (sy, b + h * dy)]);
                v - eval_poly(&s, &t, &[h * dx, h * dy])
            };
            assert_error_order(&format!("order {order}"), err, order as i32);
        }
    }
}

fn terms_f64(s: &Store, t: &Taylor) -> Vec<(Vec<u32>, f64)> {
    t.terms
        .iter()
        .map(|(e, c)| (e.clone(), eval(s, *c, &[])))
        .collect()
}

#[test]
fn kinks_follow_the_spec_conventions() {
    let mut s = Store::new();
    let (t_, u) = (s.var("t"), s.var("u"));
    let (st, su) = (s.sym("t"), s.sym("u"));
    let zero = s.int(0);
    // abs' = sign, sign(0) = 0; relu' = step, step(0) = 0: nothing survives at 0
    for f in [Func::Abs, Func::Relu, Func::Sign, Func::Step] {
        let e = s.call1(f, t_);
        let got = taylor(&mut s, e, &[(st, zero)], 3, &opts()).expect("kink");
        assert!(got.terms.is_empty(), "{f:?} at 0: {:?}", got.terms);
    }
    let m2 = s.int(-2);
    let abs = s.call1(Func::Abs, t_);
    let got = taylor(&mut s, abs, &[(st, m2)], 2, &opts()).expect("abs at -2");
    assert_eq!(got.terms, vec![(vec![0], s.int(2)), (vec![1], s.int(-1))]);
    // max and min split the derivative evenly at a tie
    let one = s.int(1);
    let h = s.frac(1, 2);
    for f in [Func::Max, Func::Min] {
        let e = s.call(f, &[t_, u]);
        let got = taylor(&mut s, e, &[(st, one), (su, one)], 2, &opts()).expect("tie");
        assert_eq!(
            got.terms,
            vec![(vec![0, 0], one), (vec![1, 0], h), (vec![0, 1], h)],
            "{f:?}"
        );
    }
    let v = s.var("v");
    let sv = s.sym("v");
    let e = s.call(Func::Max, &[t_, u, v]);
    let point = [(st, zero), (su, zero), (sv, zero)];
    let got = taylor(&mut s, e, &point, 1, &opts()).expect("three-way tie");
    let third = s.frac(1, 3);
    assert_eq!(
        got.terms,
        vec![
            (vec![1, 0, 0], third),
            (vec![0, 1, 0], third),
            (vec![0, 0, 1], third)
        ]
    );
    // a two-way tie among three arguments, and a strict winner
    let two = s.int(2);
    let got =
        taylor(&mut s, e, &[(st, one), (su, one), (sv, zero)], 1, &opts()).expect("two-way tie");
    assert_eq!(
        got.terms,
        vec![(vec![0, 0, 0], one), (vec![1, 0, 0], h), (vec![0, 1, 0], h)]
    );
    let got = taylor(&mut s, e, &[(st, one), (su, two), (sv, zero)], 1, &opts()).expect("winner");
    assert_eq!(got.terms, vec![(vec![0, 0, 0], two), (vec![0, 1, 0], one)]);
}

#[test]
fn symbolic_ties_use_sign_and_step() {
    let mut s = Store::new();
    let (t_, p) = (s.var("t"), s.var("p"));
    let st = s.sym("t");
    let zero = s.int(0);
    let e = s.call(Func::Max, &[t_, p]);
    let got = taylor(&mut s, e, &[(st, zero)], 1, &opts()).expect("max(t, p)");
    let sp = s.sym("p");
    for (pv, slope) in [(-1.0, 1.0), (1.0, 0.0), (0.0, 0.5)] {
        let c = got
            .terms
            .iter()
            .find(|t| t.0 == [1])
            .map_or(0.0, |t| eval(&s, t.1, &[(sp, pv)]));
        assert_eq!(c, slope, "p = {pv}");
    }
}

#[test]
fn limits_and_singular_points() {
    let mut s = Store::new();
    let t_ = s.var("t");
    let st = s.sym("t");
    let zero = s.int(0);
    let e = s.call1(Func::Exp, t_);
    let opts = SeriesOptions {
        max_terms: 1000,
        ..opts()
    };
    let opts = || opts;
    let err = taylor(&mut s, e, &[(st, zero)], 100_000, &opts()).expect_err("too many terms");
    assert!(
        matches!(err, SeriesError::TooManyTerms { terms: 100_001, .. }),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains("the limit is 1000 terms") && !msg.contains("--"),
        "{msg}"
    );
    let vars: Vec<(Sym, ExprId)> = (0..300).map(|i| (s.sym(&format!("x{i}")), zero)).collect();
    let huge = taylor(&mut s, e, &vars, u32::MAX, &opts()).expect_err("saturating count");
    assert!(matches!(
        huge,
        SeriesError::TooManyTerms {
            terms: u128::MAX,
            ..
        }
    ));

    let sq = s.sqrt(t_);
    let err = taylor(&mut s, sq, &[(st, zero)], 2, &opts()).expect_err("sqrt at 0");
    assert_eq!(err, SeriesError::NotAnalytic { at: sq });
    let two = s.int(2);
    let shifted = s.add(&[t_, two]);
    let inner = s.sqrt(shifted);
    let f = s.add(&[inner, sq]);
    let err = taylor(&mut s, f, &[(st, zero)], 1, &opts()).expect_err("sqrt inside a sum");
    assert_eq!(err, SeriesError::NotAnalytic { at: sq });
    let one = s.int(1);
    for (func, at) in [
        (Func::Ln, zero),
        (Func::Cbrt, zero),
        (Func::Asin, one),
        (Func::Atanh, one),
        (Func::Acosh, one),
    ] {
        let e = s.call1(func, t_);
        let err = taylor(&mut s, e, &[(st, at)], 1, &opts()).expect_err("singular");
        assert_eq!(err, SeriesError::NotAnalytic { at: e }, "{func:?}");
    }
    // the value alone (order 0) always exists; an integer power of zero is fine
    assert!(taylor(&mut s, sq, &[(st, zero)], 0, &opts()).is_ok());
    let t3 = s.powi(t_, 3);
    let got = taylor(&mut s, t3, &[(st, zero)], 4, &opts()).expect("t^3");
    assert_eq!(got.terms, vec![(vec![3], one)]);
    let at2 = s.call(Func::Atan2, &[t_, t_]);
    assert!(matches!(
        taylor(&mut s, at2, &[(st, zero)], 1, &opts()),
        Err(SeriesError::NotAnalytic { .. })
    ));
}

#[test]
fn node_budget_and_duplicate_variables() {
    let mut s = Store::new();
    let t_ = s.var("t");
    let st = s.sym("t");
    let one = s.int(1);
    let sin = s.call1(Func::Sin, t_);
    let e = s.call1(Func::Exp, sin);
    let small = SeriesOptions {
        max_nodes: 50,
        ..opts()
    };
    let err = taylor(&mut s, e, &[(st, one)], 30, &small).expect_err("budget");
    assert_eq!(err, SeriesError::TooLarge { limit: 50 });
    let err = taylor(&mut s, e, &[(st, one), (st, one)], 1, &opts()).expect_err("duplicate");
    assert_eq!(err.to_string(), "variable `t` is given twice in the point");
}

#[test]
fn varying_exponents_and_deep_graphs() {
    let mut s = Store::new();
    let (x, y) = (s.var("x"), s.var("y"));
    let (sx, sy) = (s.sym("x"), s.sym("y"));
    // x^y at (2, 3): 8 + 12(x-2) + 8 ln 2 (y-3) + ...
    let f = s.pow(x, y);
    let point = [(sx, s.int(2)), (sy, s.int(3))];
    let t = taylor(&mut s, f, &point, 2, &opts()).expect("x^y");
    let got = terms_f64(&s, &t);
    let l2 = std::f64::consts::LN_2;
    let want = [
        (vec![0, 0], 8.0),
        (vec![1, 0], 12.0),
        (vec![0, 1], 8.0 * l2),
        (vec![2, 0], 6.0),
        (vec![1, 1], 4.0 + 12.0 * l2),
        (vec![0, 2], 4.0 * l2 * l2),
    ];
    for ((ge, gv), (we, wv)) in got.iter().zip(&want) {
        assert_eq!(ge, we);
        assert!(close(*gv, *wv, 1e-12), "{ge:?}: {gv} vs {wv}");
    }
    // a chain thousands of nodes deep: no recursion anywhere
    let mut e = x;
    for i in 0..5000 {
        let c = s.frac(1, 2 + i % 3);
        let m = s.mul(&[c, e]);
        e = s.call1(if i % 2 == 0 { Func::Sin } else { Func::Tanh }, m);
    }
    let zero = s.float(0.0);
    let t = taylor(&mut s, e, &[(sx, zero)], 3, &opts()).expect("deep");
    assert!(t.terms.iter().all(|(k, _)| k[0] % 2 == 1));
}

#[test]
fn a_float_zero_keeps_coefficients_float() {
    let mut s = Store::new();
    let x = s.var("x");
    let sx = s.sym("x");
    let h = s.frac(1, 2);
    let m = s.mul(&[h, x]);
    let e = s.call1(Func::Sin, m);
    let zero = s.float(0.0);
    let t = taylor(&mut s, e, &[(sx, zero)], 3, &opts()).expect("sin(x/2)");
    for (k, c) in &t.terms {
        assert!(s.as_num(*c).is_some_and(|n| !n.is_exact()), "{k:?}");
    }
}
