//! Helpers shared by the fuzz targets.
#![allow(dead_code)]

use deriv::eval::Tape;
use deriv::expr::{ExprId, Store, Sym};

/// Values of `roots` with every variable set by `value`.
pub fn values(store: &Store, roots: &[ExprId], value: &dyn Fn(Sym) -> f64) -> Vec<f64> {
    Tape::new(store, roots).eval(value)
}

/// True when two computed values disagree beyond rounding: a number on
/// one side and NaN or an infinity on the other (the callers skip what a
/// warning explains), infinities of opposite signs, or two finite values,
/// moderate (huge values come from cancelling huge terms, where rounding
/// noise is huge too) and far apart.
pub fn disagree(a: f64, b: f64) -> bool {
    if a.is_nan() || b.is_nan() {
        return a.is_nan() != b.is_nan();
    }
    if a.is_infinite() || b.is_infinite() {
        return a != b;
    }
    if a.abs().max(b.abs()) < 1e8 {
        let scale = 1.0 + a.abs().max(b.abs());
        (a - b).abs() > 1e-6 * scale
    } else {
        false
    }
}

/// A few probe points for the variables: fixed, away from common kinks.
pub fn probe(k: usize) -> impl Fn(Sym) -> f64 {
    move |s: Sym| {
        let base = [0.7310, 1.3723, 0.4137, 2.1931, 0.2711];
        base[(s.index() + k) % base.len()] * if (s.index() + k) % 3 == 2 { -1.0 } else { 1.0 }
    }
}

/// True when every intermediate value of `roots` is moderate: comparing two
/// formulas in floats is meaningful only without huge terms that cancel.
pub fn moderate(store: &Store, roots: &[ExprId], value: &dyn Fn(Sym) -> f64) -> bool {
    let tape = Tape::new(store, roots);
    tape.eval_slots(value)
        .iter()
        .all(|v| !v.is_finite() || v.abs() < 1e6)
}
