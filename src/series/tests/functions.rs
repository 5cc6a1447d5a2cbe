//! Every function of `Func`: Taylor coefficients against finite
//! differences and the error order, at exact and float points.

use super::{assert_error_order, close, coeff, eval, eval_poly, opts};
use crate::expr::{ExprId, Func, Store};
use crate::series::taylor;

/// `g(x) = x + x^2/4`, the inner function of the per-function cases.
fn inner(s: &mut Store, x: ExprId) -> ExprId {
    let x2 = s.powi(x, 2);
    let q = s.frac(1, 4);
    let t = s.mul(&[q, x2]);
    s.add(&[x, t])
}

/// One expression per function (with an inner function, so the chain rule
/// is exercised) and a point inside its smooth domain.
fn every_function(s: &mut Store, x: ExprId) -> Vec<(Func, ExprId, f64)> {
    let g = inner(s, x);
    let mut out = Vec::new();
    for &f in Func::ALL {
        let (e, at) = match f {
            Func::Atan2 => {
                let one = s.int(1);
                let d = s.sub(one, x);
                (s.call(f, &[g, d]), 0.3)
            }
            Func::Min | Func::Max => {
                let sin = s.call1(Func::Sin, x);
                let h = s.frac(1, 2);
                (s.call(f, &[g, sin, h]), 0.7)
            }
            Func::Acosh => (s.call1(f, g), 1.5),
            Func::Asin | Func::Acos | Func::Atanh => (s.call1(f, g), 0.3),
            Func::Abs | Func::Sign | Func::Relu | Func::Step | Func::Cbrt => (s.call1(f, g), -0.7),
            _ => (s.call1(f, g), 0.7),
        };
        out.push((f, e, at));
    }
    let relu_pos = s.call1(Func::Relu, g);
    out.push((Func::Relu, relu_pos, 0.7));
    out
}

/// The exact rational nearest to `v` with denominator 1000.
fn exact(s: &mut Store, v: f64) -> ExprId {
    s.frac((v * 1000.0).round() as i64, 1000)
}

#[test]
fn every_function_agrees_with_finite_differences() {
    let mut s = Store::new();
    let x = s.var("x");
    let sx = s.sym("x");
    for (f, e, at) in every_function(&mut s, x) {
        let a = exact(&mut s, at);
        let t =
            taylor(&mut s, e, &[(sx, a)], 4, &opts()).unwrap_or_else(|err| panic!("{f:?}: {err}"));
        let v = |h: f64| eval(&s, e, &[(sx, at + h)]);
        let c: Vec<f64> = (0..=4u32).map(|k| coeff(&s, &t, &[k])).collect();
        let h = 1e-4;
        let d1 = (v(h) - v(-h)) / (2.0 * h);
        let d2 = (v(h) - 2.0 * v(0.0) + v(-h)) / (h * h) / 2.0;
        assert!(
            close(c[0], v(0.0), 1e-12),
            "{f:?}: value {} vs {}",
            c[0],
            v(0.0)
        );
        assert!(
            close(c[1], d1, 1e-6),
            "{f:?}: first coefficient {} vs {d1}",
            c[1]
        );
        assert!(
            close(c[2], d2, 1e-4),
            "{f:?}: second coefficient {} vs {d2}",
            c[2]
        );
        assert_error_order(&format!("{f:?}"), |h| v(h) - eval_poly(&s, &t, &[h]), 4);
    }
}

#[test]
fn float_points_give_float_coefficients() {
    let mut s = Store::new();
    let x = s.var("x");
    let sx = s.sym("x");
    for (f, e, at) in every_function(&mut s, x) {
        let a = s.float(at);
        let t =
            taylor(&mut s, e, &[(sx, a)], 3, &opts()).unwrap_or_else(|err| panic!("{f:?}: {err}"));
        for (k, c) in &t.terms {
            assert!(
                s.as_num(*c).is_some(),
                "{f:?}: coefficient {k:?} is not a number"
            );
        }
        let ex = exact(&mut s, at);
        let te = taylor(&mut s, e, &[(sx, ex)], 3, &opts()).expect("exact");
        for k in 0..=3u32 {
            let (cf, ce) = (coeff(&s, &t, &[k]), coeff(&s, &te, &[k]));
            assert!(close(cf, ce, 1e-9), "{f:?}: coefficient {k}: {cf} vs {ce}");
        }
    }
}
