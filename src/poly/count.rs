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

use num_traits::{One, Signed};
use rustc_hash::FxHashMap;
use smallvec::SmallVec;

use crate::expr::{ExprId, Func, Node, Number, Store};

/// Tree operation count of `root`, with a memo of counts by id that can be
/// kept across calls on the same store.
pub fn count_ops(store: &Store, root: ExprId, memo: &mut FxHashMap<ExprId, u64>) -> u64 {
    let mut stack: SmallVec<[(ExprId, bool); 16]> = smallvec::smallvec![(root, false)];
    while let Some((id, ready)) = stack.pop() {
        if memo.contains_key(&id) {
            continue;
        }
        let kids = store.node(id).children();
        if !ready && kids.iter().any(|k| !memo.contains_key(k)) {
            stack.push((id, true));
            stack.extend(
                kids.iter()
                    .filter(|k| !memo.contains_key(k))
                    .map(|&k| (k, false)),
            );
            continue;
        }
        let n = own(store, id, memo);
        memo.insert(id, n);
    }
    memo[&root]
}

fn number_ops(n: &Number) -> u64 {
    let neg = u64::from(n.is_negative());
    match n.as_rational() {
        Some(r) => neg + u64::from(!r.denom().is_one()),
        None => neg,
    }
}

/// True when the printed form starts with a minus sign.
fn negative(store: &Store, id: ExprId) -> bool {
    match store.node(id) {
        Node::Num(n) => n.is_negative(),
        Node::Mul(xs) => store.as_num(xs[0]).is_some_and(Number::is_negative) && !flips(store, xs),
        _ => false,
    }
}

/// True when a product's minus sign moves into one of its factors as the
/// printer writes it: a sum, or an odd power of one, with a negative term
/// (`-2*x*(y - 1)` prints as `2*x*(1 - y)`).
fn flips(store: &Store, xs: &[ExprId]) -> bool {
    xs.iter().any(|&f| {
        let sum = match store.node(f) {
            Node::Add(_) => f,
            Node::Pow([b, e])
                if matches!(store.node(*b), Node::Add(_))
                    && store
                        .as_num(*e)
                        .and_then(Number::as_i64)
                        .is_some_and(|k| k % 2 != 0) =>
            {
                *b
            }
            _ => return false,
        };
        store.operands(sum).iter().any(|&t| match store.node(t) {
            Node::Num(n) => n.is_negative(),
            Node::Mul(ys) => store.as_num(ys[0]).is_some_and(Number::is_negative),
            _ => false,
        })
    })
}

fn own(store: &Store, id: ExprId, memo: &FxHashMap<ExprId, u64>) -> u64 {
    let sum = |xs: &[ExprId]| xs.iter().fold(0u64, |a, x| a.saturating_add(memo[x]));
    match store.node(id) {
        Node::Num(n) => number_ops(n),
        Node::Const(_) | Node::Var(_) => 0,
        // as the kit writes them: 1/(1 + exp(-a)), the minus cancelling a
        // negative argument's; log(1 + exp(a))
        Node::Call(Func::Sigmoid, xs) if xs.len() == 1 => {
            let a = memo[&xs[0]];
            if negative(store, xs[0]) {
                2u64.saturating_add(a)
            } else {
                4u64.saturating_add(a)
            }
        }
        Node::Call(Func::Softplus, xs) => 3u64.saturating_add(sum(xs)),
        Node::Call(_, xs) => 1u64.saturating_add(sum(xs)),
        Node::Add(xs) => {
            let negs = xs.iter().filter(|&&t| negative(store, t)).count();
            let all = u64::from(negs == xs.len());
            (xs.len() as u64 - 1 + all)
                .saturating_add(sum(xs))
                .saturating_sub(negs as u64)
        }
        Node::Pow([b, e]) => match store.as_num(*e) {
            Some(n) if n.is_negative() => {
                let pos = u64::from(n.as_i64() != Some(-1));
                // 1/b^k: DIV, and POW with the exponent's own ops unless k = 1
                let k = number_ops(&n.neg()) * pos;
                (1 + pos + k).saturating_add(memo[b])
            }
            _ => 1u64.saturating_add(memo[b]).saturating_add(memo[e]),
        },
        Node::Mul(xs) => mul_ops(store, xs, memo),
    }
}

fn mul_ops(store: &Store, xs: &[ExprId], memo: &FxHashMap<ExprId, u64>) -> u64 {
    let (mut num_items, mut den_items) = (0u64, 0u64);
    let mut ops = 0u64;
    for (i, &x) in xs.iter().enumerate() {
        if i == 0
            && let Some(n) = store.as_num(x)
        {
            ops += u64::from(n.is_negative() && !flips(store, xs));
            if let Some(r) = n.as_rational() {
                num_items += u64::from(!r.numer().abs().is_one());
                den_items += u64::from(!r.denom().is_one());
            } else {
                num_items += u64::from(n.abs().to_f64() != 1.0);
            }
            continue;
        }
        match store.node(x) {
            Node::Pow([_, e]) if store.as_num(*e).is_some_and(Number::is_negative) => {
                den_items += 1;
                // b^(-e) counts as b^e in the denominator: drop the DIV
                ops = ops.saturating_add(memo[&x].saturating_sub(1));
            }
            _ => {
                num_items += 1;
                ops = ops.saturating_add(memo[&x]);
            }
        }
    }
    ops += num_items.saturating_sub(1);
    if den_items > 0 {
        ops += den_items;
    }
    ops
}
