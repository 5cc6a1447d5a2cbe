//! Numeric policy at a point: values with exact folding, the warnings that
//! go with them (values outside the domain, kinks), finite differences and
//! the discrepancy `--check` reports. The front door ([`crate::Session`])
//! and the command line both come here, so they give the same numbers.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::eval::Tape;
use crate::expr::{ExprId, Func, Node, Store, Sym};
use crate::point::Point;
use crate::session::Expr;
use crate::warning::{KinkRule, Warning};

/// How many subexpressions outside the domain are named one by one.
const NAMED: usize = 3;

/// Evaluates `roots` at `point`, with the warnings for subexpressions
/// outside the domain.
///
/// At an exact point each subexpression is also evaluated with the point
/// substituted exactly, so `cos(pi/2)` is 0 and `tan(pi/2)` is a pole (inf)
/// rather than `tan(1.5707963267948966)`. A value that is NaN or inf in
/// floats stays so: exact folding can drop a singularity, and `t/t` at 0 is
/// undefined. The exact pass is skipped when the store is over half of
/// `max_nodes`.
pub fn evaluate(
    store: &mut Arc<Store>,
    roots: &[ExprId],
    point: &Point,
    max_nodes: usize,
) -> (Vec<f64>, Vec<Warning>) {
    let tape = Tape::new(store, roots);
    let mut slots = tape.eval_slots(&|sym: Sym| point.float(sym));
    if !point.is_empty() && point.is_exact() && store.len() < max_nodes / 2 {
        let map: FxHashMap<Sym, ExprId> = point.exact_values().into_iter().collect();
        let st = Arc::make_mut(store);
        let exact = st.substitute_vars(tape.ids(), &map);
        let exact_tape = Tape::new(st, &exact);
        for (v, e) in slots.iter_mut().zip(exact_tape.eval(&|_| f64::NAN)) {
            if v.is_finite() {
                *v = e;
            }
        }
    }
    let out = tape.roots_of(&slots);
    let mut warnings = Vec::new();
    if out.iter().any(|v| !v.is_finite()) {
        let sources = tape.nonfinite_sources(&slots);
        let slot_of: FxHashMap<ExprId, usize> = tape
            .ids()
            .iter()
            .enumerate()
            .map(|(i, id)| (*id, i))
            .collect();
        for bad in sources.iter().take(NAMED) {
            warnings.push(Warning::Domain {
                expr: Expr::new(store, *bad),
                value: slots[slot_of[bad]],
                point: point.clone(),
            });
        }
        if sources.len() > NAMED {
            warnings.push(Warning::MoreDomain {
                count: sources.len() - NAMED,
            });
        }
    }
    (out, warnings)
}

/// The non-smooth subexpressions of `roots` evaluated exactly at their
/// kinks at `point`, as warnings naming the convention used.
pub fn kinks(store: &Arc<Store>, roots: &[ExprId], point: &Point) -> Vec<Warning> {
    let Ok(found) = crate::eval::kinks(store, roots, &point.env()) else {
        return Vec::new();
    };
    found
        .into_iter()
        .map(|k| {
            let rule = match store.node(k.at) {
                Node::Call(Func::Abs, _) => KinkRule::Sign,
                Node::Call(Func::Relu, _) => KinkRule::Step,
                Node::Call(Func::Min | Func::Max, _) => KinkRule::EqualSplit,
                _ => KinkRule::Zero,
            };
            Warning::Kink {
                expr: Expr::new(store, k.at),
                rule,
                point: point.clone(),
            }
        })
        .collect()
}

/// Central finite differences of `outputs` at `point`, one row per output,
/// one column per variable of `vars`; with `of_gradient`, of the
/// reverse-mode gradient of `outputs[0]` instead (a Hessian).
pub fn finite_differences(
    store: &Store,
    outputs: &[ExprId],
    point: &Point,
    vars: &[Sym],
    of_gradient: bool,
) -> Vec<Vec<f64>> {
    let base = |v: Sym| point.float(v);
    let tape = Tape::new(store, outputs);
    let n = vars.len();
    let rows = if of_gradient { n } else { outputs.len() };
    let mut out = vec![vec![0.0; n]; rows];
    for (j, &var) in vars.iter().enumerate() {
        let x0 = base(var);
        let h = f64::EPSILON.cbrt() * x0.abs().max(1.0);
        let at = |sign: f64| move |v: Sym| if v == var { x0 + sign * h } else { base(v) };
        let (plus, minus) = if of_gradient {
            (
                crate::ad::jacobian_reverse(store, outputs, &at(1.0), vars).remove(0),
                crate::ad::jacobian_reverse(store, outputs, &at(-1.0), vars).remove(0),
            )
        } else {
            (tape.eval(&at(1.0)), tape.eval(&at(-1.0)))
        };
        for (i, row) in out.iter_mut().enumerate() {
            row[j] = (plus[i] - minus[i]) / (2.0 * h);
        }
    }
    out
}

/// The largest relative discrepancy between two matrices: NaN = NaN and
/// inf = inf agree; a non-finite value against anything else is an
/// infinite discrepancy (inf against 2.7e32 is not agreement).
pub fn discrepancy(a: &[Vec<f64>], b: &[Vec<f64>]) -> f64 {
    a.iter()
        .flatten()
        .zip(b.iter().flatten())
        .map(|(x, y)| {
            if x == y || x.is_nan() && y.is_nan() {
                0.0
            } else if !x.is_finite() || !y.is_finite() {
                f64::INFINITY
            } else {
                (x - y).abs() / x.abs().max(y.abs()).max(1.0)
            }
        })
        .fold(0.0, f64::max)
}

/// A float as deriv prints it: shortest round-trip digits, exponent form
/// for very large and very small magnitudes, `NaN`, `inf`, `-inf`.
///
/// ```
/// use deriv::numeric::float_text;
/// assert_eq!(float_text(0.5), "0.5");
/// assert_eq!(float_text(1e20), "1e20");
/// assert_eq!(float_text(f64::NEG_INFINITY), "-inf");
/// ```
pub fn float_text(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 { "inf".into() } else { "-inf".into() }
    } else if v != 0.0 && (v.abs() >= 1e16 || v.abs() < 1e-5) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{ParseOptions, parse_expr};

    fn at(src: &str, point: &str) -> (Vec<f64>, Vec<Warning>) {
        let mut store = Store::new();
        let f = parse_expr(&mut store, src, &ParseOptions::default()).unwrap();
        let p = Point::parse(&mut store, point, &ParseOptions::default()).unwrap();
        let mut store = Arc::new(store);
        evaluate(&mut store, &[f], &p, usize::MAX)
    }

    #[test]
    fn exact_points_fold_exactly() {
        // cos(pi/2) is 0, not 6.1e-17; tan(pi/2) is a pole
        assert_eq!(at("cos(x)", "x=pi/2").0, [0.0]);
        let (v, w) = at("tan(x)", "x=pi/2");
        assert!(v[0].is_infinite());
        assert_eq!(w.len(), 1);
        // a float point is evaluated in floats
        assert_ne!(at("cos(x)", "x=1.5707963267948966").0, [0.0]);
    }

    #[test]
    fn discrepancy_counts_nonfinite_values() {
        assert_eq!(discrepancy(&[vec![f64::NAN]], &[vec![f64::NAN]]), 0.0);
        assert!(discrepancy(&[vec![f64::INFINITY]], &[vec![2.7e32]]).is_infinite());
        assert_eq!(discrepancy(&[vec![2.0]], &[vec![3.0]]), 1.0 / 3.0);
    }

    #[test]
    fn finite_differences_of_a_square() {
        let mut store = Store::new();
        let f = parse_expr(&mut store, "x^2", &ParseOptions::default()).unwrap();
        let p = Point::parse(&mut store, "x=3", &ParseOptions::default()).unwrap();
        let x = store.find_sym("x").unwrap();
        let d = finite_differences(&store, &[f], &p, &[x], false);
        assert!((d[0][0] - 6.0).abs() < 1e-8);
    }
}
