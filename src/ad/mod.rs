//! Numeric automatic differentiation on the evaluation tape: forward mode
//! (one tangent sweep per variable), reverse mode (one adjoint sweep per
//! output) and forward-over-reverse Hessians, without building derivative
//! expressions. The conventions at kinks are SPEC's, as in [`crate::diff`].

mod scalar;

pub use scalar::{Dual, Scalar, local_partials, partial};

use crate::eval::{Op, Tape};
use crate::expr::{ExprId, Store, Sym};

/// How derivatives are computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Derivative expressions, then evaluated.
    Symbolic,
    /// Forward mode: one tangent sweep per variable.
    Forward,
    /// Reverse mode: one adjoint sweep per output.
    Reverse,
}

/// Values that subexpressions take exactly at the point, where floats
/// miss them: the argument of a kink found by exact folding (`sin(x)` in
/// `abs(sin(x))` at `x=pi` is 0, not 1.2e-16), so that the AD modes follow
/// SPEC's convention at the kink, as the symbolic mode does. Only the value
/// is pinned; the derivative flows through unchanged.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pins(pub Vec<(ExprId, f64)>);

impl Pins {
    /// The pinned value of the subexpression `id`, if any.
    fn get(&self, id: ExprId) -> Option<f64> {
        self.0.iter().find(|(e, _)| *e == id).map(|(_, v)| *v)
    }
}

/// The values of every slot, pinned values put in place.
fn values<S: Scalar>(tape: &Tape, input: &dyn Fn(Sym) -> S, pins: &Pins) -> Vec<S> {
    let mut v: Vec<S> = Vec::with_capacity(tape.ops().len());
    for (op, id) in tape.ops().iter().zip(tape.ids()) {
        let mut x = scalar::apply_op(op, &v, input);
        if let Some(p) = pins.get(*id).filter(|_| x.value().is_finite()) {
            // the value becomes p, the derivative part stays
            x = S::from_f64(p) + (x - S::from_f64(x.value()));
        }
        v.push(x);
    }
    v
}

/// The adjoint of every slot for the output in slot `root`.
fn adjoints<S: Scalar>(tape: &Tape, v: &[S], root: usize) -> Vec<S> {
    let zero = S::from_f64(0.0);
    let mut adj = vec![zero; v.len()];
    adj[root] = S::from_f64(1.0);
    for i in (0..=root).rev() {
        let op = &tape.ops()[i];
        if matches!(op, Op::Const(_) | Op::Input(_)) || adj[i].is_zero() {
            continue;
        }
        let locals = local_partials(op, v, v[i]);
        for (j, d) in op.operands().into_iter().zip(locals) {
            let j = j as usize;
            adj[j] = adj[j] + adj[i] * d;
        }
    }
    adj
}

/// Reads the adjoints or tangents of the input slots, per variable.
/// One pass over the tape (a map from variable to its first input slot),
/// not one per variable.
fn per_var<S: Scalar>(tape: &Tape, slots: &[S], vars: &[Sym]) -> Vec<S> {
    let mut slot: rustc_hash::FxHashMap<Sym, usize> = rustc_hash::FxHashMap::default();
    for (i, op) in tape.ops().iter().enumerate() {
        if let Op::Input(t) = op {
            slot.entry(*t).or_insert(i);
        }
    }
    vars.iter()
        .map(|s| slot.get(s).map_or(S::from_f64(0.0), |&i| slots[i]))
        .collect()
}

/// Dual-number values of every slot, seeded in the direction of `var`.
fn seeded_values(tape: &Tape, point: &dyn Fn(Sym) -> f64, var: Sym, pins: &Pins) -> Vec<Dual> {
    let seed = |s: Sym| Dual {
        v: point(s),
        d: if s == var { 1.0 } else { 0.0 },
    };
    values::<Dual>(tape, &seed, pins)
}

/// The Jacobian of `roots` by reverse mode: one adjoint sweep per output.
pub fn jacobian_reverse(
    store: &Store,
    roots: &[ExprId],
    point: &dyn Fn(Sym) -> f64,
    vars: &[Sym],
) -> Vec<Vec<f64>> {
    jacobian_reverse_pinned(store, roots, point, vars, &Pins::default())
}

/// [`jacobian_reverse`] with values pinned (see [`Pins`]).
pub fn jacobian_reverse_pinned(
    store: &Store,
    roots: &[ExprId],
    point: &dyn Fn(Sym) -> f64,
    vars: &[Sym],
    pins: &Pins,
) -> Vec<Vec<f64>> {
    let tape = Tape::new(store, roots);
    let v = values::<f64>(&tape, point, pins);
    tape.root_slots()
        .iter()
        .map(|&r| per_var(&tape, &adjoints(&tape, &v, r as usize), vars))
        .collect()
}

/// The Jacobian of `roots` by forward mode: one tangent sweep per variable.
pub fn jacobian_forward(
    store: &Store,
    roots: &[ExprId],
    point: &dyn Fn(Sym) -> f64,
    vars: &[Sym],
) -> Vec<Vec<f64>> {
    jacobian_forward_pinned(store, roots, point, vars, &Pins::default())
}

/// [`jacobian_forward`] with values pinned (see [`Pins`]).
pub fn jacobian_forward_pinned(
    store: &Store,
    roots: &[ExprId],
    point: &dyn Fn(Sym) -> f64,
    vars: &[Sym],
    pins: &Pins,
) -> Vec<Vec<f64>> {
    let tape = Tape::new(store, roots);
    let mut jac = vec![vec![0.0; vars.len()]; roots.len()];
    for (k, &var) in vars.iter().enumerate() {
        let v = seeded_values(&tape, point, var, pins);
        for (row, &r) in tape.root_slots().iter().enumerate() {
            jac[row][k] = v[r as usize].d;
        }
    }
    jac
}

/// The Hessian of `f` by forward-over-reverse: a reverse sweep in dual
/// numbers seeded in each variable's direction gives one column.
pub fn hessian_forward_over_reverse(
    store: &Store,
    f: ExprId,
    point: &dyn Fn(Sym) -> f64,
    vars: &[Sym],
) -> Vec<Vec<f64>> {
    hessian_pinned(store, f, point, vars, &Pins::default())
}

/// [`hessian_forward_over_reverse`] with values pinned (see [`Pins`]).
pub fn hessian_pinned(
    store: &Store,
    f: ExprId,
    point: &dyn Fn(Sym) -> f64,
    vars: &[Sym],
    pins: &Pins,
) -> Vec<Vec<f64>> {
    let tape = Tape::new(store, &[f]);
    let root = tape.root_slots()[0] as usize;
    let n = vars.len();
    let mut h = vec![vec![0.0; n]; n];
    for (k, &var) in vars.iter().enumerate() {
        let v = seeded_values(&tape, point, var, pins);
        let adj = adjoints(&tape, &v, root);
        for (i, a) in per_var(&tape, &adj, vars).into_iter().enumerate() {
            h[i][k] = a.d;
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reverse_and_forward_agree_on_a_product() {
        let mut s = Store::new();
        let (x, y) = (s.var("x"), s.var("y"));
        let sx = s.call1(crate::expr::Func::Sin, x);
        let f = s.mul(&[sx, y, y]);
        let (sx_, sy_) = (s.find_sym("x").expect("x"), s.find_sym("y").expect("y"));
        let pt = |v: Sym| if v == sx_ { 0.5 } else { 2.0 };
        let r = jacobian_reverse(&s, &[f], &pt, &[sx_, sy_]);
        let fw = jacobian_forward(&s, &[f], &pt, &[sx_, sy_]);
        // d/dx sin(x) y^2 = cos(x) y^2, d/dy = 2 y sin(x)
        let want = [0.5f64.cos() * 4.0, 4.0 * 0.5f64.sin()];
        for i in 0..2 {
            assert!((r[0][i] - want[i]).abs() < 1e-14);
            assert!((fw[0][i] - want[i]).abs() < 1e-14);
        }
        let h = hessian_forward_over_reverse(&s, f, &pt, &[sx_, sy_]);
        // H = [[-sin(x) y^2, 2 y cos(x)], [2 y cos(x), 2 sin(x)]]
        let hw = [
            [-0.5f64.sin() * 4.0, 4.0 * 0.5f64.cos()],
            [4.0 * 0.5f64.cos(), 2.0 * 0.5f64.sin()],
        ];
        for i in 0..2 {
            for j in 0..2 {
                assert!(
                    (h[i][j] - hw[i][j]).abs() < 1e-13,
                    "{i}{j}: {} vs {}",
                    h[i][j],
                    hw[i][j]
                );
            }
        }
    }
}
