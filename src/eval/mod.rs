//! Numeric evaluation at a point, in IEEE double precision.
//!
//! A value outside the real domain (`log(-1)`, `sqrt(-1)`, `1/0`) is NaN or
//! ±inf, never an error, so batch evaluation goes on; [`Tape::first_nonfinite`]
//! names the subexpression where it happened.

mod batch;
mod precise;
mod tape;

pub use batch::{Batch, BatchError, Columns, NonFinite, Rows, Source, Stream, Workers};
pub use precise::{Precise, PreciseError, PreciseOptions, Rounding, eval_exact, eval_exact_at};
pub use tape::{Op, Tape};

use crate::expr::{ExprId, Func, Node, Store, Sym};

/// Evaluation errors.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum EvalError {
    /// A variable has no value.
    #[error("no value for the variable `{0}`")]
    UnboundVariable(String),
}

/// Values of variables, in a table by the index of each variable's name,
/// and a bit per index for whether it has one. A trace's intermediates
/// are named one after another (W3 at N=10000: 50,000 of them, beside
/// 10,000 inputs), and its tape reads them in that order: from a hash map
/// by name each read was a cold slot.
#[derive(Debug, Clone, Default)]
pub struct Env {
    values: Vec<f64>,
    set: Vec<u64>,
}

impl Env {
    /// An empty environment.
    pub fn new() -> Env {
        Env::default()
    }

    /// Sets a variable.
    pub fn set(&mut self, s: Sym, v: f64) {
        let i = s.index();
        if i >= self.values.len() {
            self.values.resize(i + 1, 0.0);
            self.set.resize((i + 1).div_ceil(64), 0);
        }
        self.values[i] = v;
        self.set[i / 64] |= 1 << (i % 64);
    }

    /// A variable's value.
    pub fn get(&self, s: Sym) -> Option<f64> {
        let i = s.index();
        let has = self
            .set
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0);
        has.then(|| self.values[i])
    }
}

/// Evaluates several roots at a point in one pass.
///
/// # Errors
/// [`EvalError::UnboundVariable`] when a variable has no value.
///
/// ```
/// use deriv::{eval::{eval_many, Env}, expr::Store};
/// let mut s = Store::new();
/// let x = s.var("x");
/// let f = s.powi(x, 2);
/// let mut env = Env::new();
/// env.set(s.find_sym("x").unwrap(), 3.0);
/// assert_eq!(eval_many(&s, &[f], &env)?, vec![9.0]);
/// # Ok::<(), deriv::eval::EvalError>(())
/// ```
pub fn eval_many(store: &Store, roots: &[ExprId], env: &Env) -> Result<Vec<f64>, EvalError> {
    let tape = Tape::new(store, roots);
    check_bound(store, &tape, env)?;
    Ok(tape.eval(&|s| env.get(s).unwrap_or(f64::NAN)))
}

/// Evaluates one expression at a point.
///
/// # Errors
/// [`EvalError::UnboundVariable`] when a variable has no value.
pub fn eval(store: &Store, root: ExprId, env: &Env) -> Result<f64, EvalError> {
    Ok(eval_many(store, &[root], env)?[0])
}

fn check_bound(store: &Store, tape: &Tape, env: &Env) -> Result<(), EvalError> {
    match tape.inputs().iter().find(|s| env.get(**s).is_none()) {
        Some(s) => Err(EvalError::UnboundVariable(store.name(*s).to_string())),
        None => Ok(()),
    }
}

/// The jump of `floor`, `ceil` (an integer) or `round` (an integer plus
/// one half) that `v` sits on, if any.
pub fn jump_at(f: Func, v: f64) -> Option<f64> {
    let k = match f {
        Func::Floor | Func::Ceil => v.round(),
        Func::Round => v.floor() + 0.5,
        _ => return None,
    };
    (v.is_finite() && v == k).then_some(k)
}

/// A point where a non-smooth function is evaluated exactly at its kink.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kink {
    /// The call: `abs(..)`, `relu(..)`, `sign(..)`, `step(..)`, `min(..)`,
    /// `max(..)`, or `floor(..)`, `ceil(..)`, `round(..)` at a jump.
    pub at: ExprId,
}

/// The non-smooth subexpressions of `roots` that sit exactly on a kink at
/// the point (argument zero, or a tie in `min`/`max`), in id order.
///
/// # Errors
/// [`EvalError::UnboundVariable`] when a variable has no value.
pub fn kinks(store: &Store, roots: &[ExprId], env: &Env) -> Result<Vec<Kink>, EvalError> {
    let tape = Tape::new(store, roots);
    check_bound(store, &tape, env)?;
    let slots = tape.eval_slots(&|s| env.get(s).unwrap_or(f64::NAN));
    let slot_of = tape.slot_map();
    let val = |id: &ExprId| slots[slot_of[id]];
    let mut out = Vec::new();
    for &id in tape.ids() {
        if let Node::Call(f, args) = store.node(id) {
            let kink = match f {
                Func::Abs | Func::Relu | Func::Sign | Func::Step => val(&args[0]) == 0.0,
                Func::Floor | Func::Ceil | Func::Round => jump_at(*f, val(&args[0])).is_some(),
                Func::Min | Func::Max => {
                    let vs: Vec<f64> = args.iter().map(val).collect();
                    let best = if *f == Func::Max {
                        vs.iter().copied().fold(f64::MIN, f64::max)
                    } else {
                        vs.iter().copied().fold(f64::MAX, f64::min)
                    };
                    vs.iter().filter(|v| **v == best).count() > 1
                }
                _ => false,
            };
            if kink {
                out.push(Kink { at: id });
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A variable reads back what it was set to last (NaN too), and one
    /// never set, below or past the highest set, reads as none.
    #[test]
    fn env_keeps_values_by_name() {
        let mut store = Store::new();
        let syms: Vec<Sym> = (0..200).map(|i| store.sym(&format!("v{i}"))).collect();
        let mut env = Env::new();
        for (k, s) in syms.iter().enumerate().filter(|(k, _)| k % 3 == 0) {
            env.set(*s, k as f64);
        }
        env.set(syms[66], f64::NAN);
        env.set(syms[99], -1.5);
        for (k, s) in syms.iter().enumerate() {
            let want = match k {
                66 => None,
                99 => Some(-1.5),
                _ if k % 3 == 0 => Some(k as f64),
                _ => None,
            };
            if k == 66 {
                assert!(env.get(*s).is_some_and(f64::is_nan));
            } else {
                assert_eq!(env.get(*s), want, "v{k}");
            }
        }
        assert_eq!(Env::new().get(syms[5]), None);
        assert_eq!(env.clone().get(syms[198]), Some(198.0));
        assert_eq!(env.get(syms[199]), None);
    }
}
