//! The one coefficient split: a term of a sum as its numeric coefficient
//! times its other factors, read from the canonical form without building
//! anything (`3*x*y` → `3` and `[x, y]`; `x` → `1` and `[x]`; `5` → `5`
//! and `[]`).

use super::{ExprId, Node, Number, Store};

/// The numeric coefficient of a term, `None` when it is `1` (no number
/// factor). A number is its own coefficient.
///
/// ```
/// # use deriv::expr::{Number, Store, split::coefficient};
/// let mut s = Store::new();
/// let x = s.var("x");
/// let t = s.neg(x);
/// assert_eq!(coefficient(&s, t), Some(&Number::int(-1)));
/// assert_eq!(coefficient(&s, x), None);
/// ```
pub fn coefficient(store: &Store, id: ExprId) -> Option<&Number> {
    match store.node(id) {
        Node::Num(n) => Some(n),
        Node::Mul(xs) => store.as_num(xs[0]),
        _ => None,
    }
}

/// Splits a term into its numeric coefficient ([`coefficient`]; `None`
/// for `1`) and its other factors, in canonical order: the operands of a
/// product after its number, nothing for a number, the term itself
/// otherwise. Read-only: the factors are a slice of the store, or `id`
/// itself.
///
/// ```
/// # use deriv::expr::{Number, Store, split::split_coefficient};
/// let mut s = Store::new();
/// let (x, y, three) = (s.var("x"), s.var("y"), s.int(3));
/// let t = s.mul(&[three, x, y]);
/// assert_eq!(split_coefficient(&s, &t), (Some(&Number::int(3)), &[x, y][..]));
/// assert_eq!(split_coefficient(&s, &x), (None, &[x][..]));
/// assert_eq!(split_coefficient(&s, &three), (Some(&Number::int(3)), &[][..]));
/// ```
pub fn split_coefficient<'a>(
    store: &'a Store,
    id: &'a ExprId,
) -> (Option<&'a Number>, &'a [ExprId]) {
    match store.node(*id) {
        Node::Num(n) => (Some(n), &[]),
        Node::Mul(xs) => match store.as_num(xs[0]) {
            Some(c) => (Some(c), &xs[1..]),
            None => (None, xs),
        },
        _ => (None, std::slice::from_ref(id)),
    }
}
