//! Derivatives of `sigmoid` in exponential form, where that is smaller.
//!
//! The chain rule writes `sigmoid'(u)` as `sigmoid(u)*(1 - sigmoid(u))`,
//! and each further derivative multiplies the sigmoids. Written as
//! `1/(1 + exp(-u))` and brought to its normal form over the atom
//! `exp(-u)`, the same result is often shorter: the third derivative of
//! `sigmoid(x)` is `exp(-x)*(exp(-2x) - 4exp(-x) + 1)/(exp(-x) + 1)^4`
//! (as SymPy prints it). Both forms are defined everywhere the input is:
//! `1 + exp(-u)` never vanishes.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::expr::{ExprId, Func, Node, Store};
use crate::poly::count_ops;

/// `ids` with each entry that has a `sigmoid` replaced by the normal form
/// of its exponential form, where there is one and it counts fewer
/// operations ([`count_ops`], which counts `sigmoid(u)` as the kit writes
/// it, `1/(1 + exp(-u))`); the others unchanged.
pub fn smaller(store: &mut Store, inputs: &[ExprId], ids: &[ExprId]) -> Vec<ExprId> {
    let with = with_sigmoid(store, ids);
    if with.is_empty() {
        return ids.to_vec();
    }
    let mut memo = FxHashMap::default();
    let mut done: FxHashMap<ExprId, ExprId> = FxHashMap::default();
    ids.iter()
        .map(|&id| {
            if !with.contains(&id) {
                return id;
            }
            let e = exp_form(store, id, &mut done);
            let n = super::normal_form::smaller_always(store, inputs, &[e])[0];
            // only a normal form: the exponential form as it comes, with
            // `1/(exp(-u) + 1)` in place of each sigmoid, reads worse
            if n != e && count_ops(store, n, &mut memo) < count_ops(store, id, &mut memo) {
                n
            } else {
                id
            }
        })
        .collect()
}

/// The nodes reachable from `ids` that have a `sigmoid` in them: one pass
/// over the part of the shared graph that has (a flag of each node,
/// [`Store::has_sigmoid`], so that no pass is made where none has).
fn with_sigmoid(store: &Store, ids: &[ExprId]) -> FxHashSet<ExprId> {
    store
        .reachable_where(ids, |e| store.has_sigmoid(e))
        .into_iter()
        .collect()
}

/// `id` with every `sigmoid(u)` written `(1 + exp(-u))^(-1)`.
fn exp_form(store: &mut Store, id: ExprId, done: &mut FxHashMap<ExprId, ExprId>) -> ExprId {
    for e in store.reachable(&[id]) {
        if done.contains_key(&e) {
            continue;
        }
        let node = store.node(e);
        let kids: Vec<ExprId> = node.children().iter().map(|c| done[c]).collect();
        let new = match node {
            // `sigmoid(log(u))` is left to the guarded rewrites (`u/(u + 1)`)
            Node::Call(Func::Sigmoid, args)
                if !matches!(store.node(args[0]), Node::Call(Func::Ln, _)) =>
            {
                let minus = store.neg(kids[0]);
                let ex = store.call1(Func::Exp, minus);
                let one = store.int(1);
                let den = store.add(&[one, ex]);
                store.recip(den)
            }
            _ if kids == node.children() => e,
            _ => store.rebuild(e, &kids),
        };
        done.insert(e, new);
    }
    done[&id]
}
