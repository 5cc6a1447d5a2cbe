//! Operation counts as the acceptance kit measures them.
//!
//! `check.py` counts SymPy's `count_ops` of the printed form. This is the
//! same count over the expression graph written out as a tree: a sum of `k`
//! terms is `k − 1` additions or subtractions (a negative term is a
//! subtraction, not a negation, and only an all-negative sum adds one
//! `NEG`); a product is a numerator of `k` factors (`k − 1`
//! multiplications) over a denominator of `m` factors (one division and
//! `m − 1` multiplications), with `NEG` for a negative coefficient; a
//! factor `b^(-e)` goes to the denominator as `b^e`; a rational number
//! counts `DIV` (and `NEG` when negative); a power is one `POW` plus its
//! base and exponent (`sqrt(x)` is `x^(1/2)`: two); a call is one plus
//! its arguments, but for the two the kit writes out: `sigmoid(a)` as
//! `1/(1 + exp(-a))` (four, three when `a` is negative) and `softplus(a)`
//! as `log(1 + exp(a))` (three). Counts saturate.

use rustc_hash::FxHashMap;

use crate::expr::{ExprId, Store};

/// Tree operation count of `root`. The store keeps each node's count
/// ([`Store::ops`], computed the first time it is asked for); `memo` is not
/// needed any more and is left as it is (kept so that callers need not
/// change).
pub fn count_ops(store: &Store, root: ExprId, memo: &mut FxHashMap<ExprId, u64>) -> u64 {
    let _ = memo;
    store.ops(root)
}
