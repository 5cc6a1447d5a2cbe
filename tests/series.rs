//! Taylor polynomials: exact coefficients, agreement with finite
//! differences for every function, error order, kinks and limits.

use deriv::expr::{ExprId, Func, Node, Store, Sym};
use deriv::series::{SeriesError, SeriesOptions, Taylor, linearize, taylor};

/// Evaluates an expression to `f64`, variables from `env`.
fn eval(s: &Store, id: ExprId, env: &[(Sym, f64)]) -> f64 {
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
    if e.fract() == 0.0 && e.abs() < 1e9 { b.powi(e as i32) } else { b.powf(e) }
}

fn opts() -> SeriesOptions {
    SeriesOptions::default()
}

/// The coefficient of the monomial with these exponents (zero if absent).
fn coeff(s: &mut Store, t: &Taylor, exps: &[u32]) -> ExprId {
    t.terms.iter().find(|(e, _)| e == exps).map_or_else(|| s.int(0), |(_, c)| *c)
}

/// `T(x)` evaluated at a point given as offsets from the center.
fn eval_poly(s: &Store, t: &Taylor, delta: &[f64]) -> f64 {
    t.terms
        .iter()
        .map(|(e, c)| eval(s, *c, &[]) * e.iter().zip(delta).map(|(&k, d)| d.powi(k as i32)).product::<f64>())
        .sum()
}

fn close(a: f64, b: f64, tol: f64) -> bool {
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
        assert!(close(eval(&s, p, &env), eval(&s, f, &env), 1e-12), "at ({a}, {b})");
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
    let pi = s.constant(deriv::expr::Constant::Pi);
    let third = s.frac(1, 3);
    let a = s.mul(&[third, pi]);
    let got = taylor(&mut s, c, &[(st, a)], 2, &opts()).expect("cos");
    let three = s.int(3);
    let r3 = s.sqrt(three);
    let mh = s.frac(-1, 2);
    let c1 = s.mul(&[mh, r3]);
    let want = vec![(vec![0], s.frac(1, 2)), (vec![1], c1), (vec![2], s.frac(-1, 4))];
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
    let want = vec![(vec![0], s.mul(&[p, s1])), (vec![1], s.mul(&[p, c1])), (vec![2], s.mul(&[mh, p, s1]))];
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
    let want = vec![(vec![0, 0], s.int(3)), (vec![1, 0], s.int(6)), (vec![0, 1], s.int(1))];
    assert_eq!(t.order, 1);
    assert_eq!(t.terms, want);
}
