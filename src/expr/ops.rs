//! Each node's operation count, as the acceptance kit measures it
//! (see [`crate::poly::count_ops`] for the rules), computed the first
//! time it is asked for and kept in the store: the tidy passes compare the
//! counts of candidate forms again and again, mostly of the same nodes.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use num_traits::One;
use smallvec::SmallVec;

use super::{ExprId, Func, Node, Number, Store};

/// A count not computed yet. Counts saturate one below it.
const UNKNOWN: u64 = u64::MAX;

/// The counts by node id, [`UNKNOWN`] until asked for. Atomic (relaxed:
/// each entry is a pure function of the graph, so any thread that writes
/// one writes the same value) so that a count can be kept through a
/// shared `&Store`, and the store stays `Sync`.
#[derive(Debug, Default)]
pub(super) struct OpsCache(Vec<AtomicU64>);

impl Clone for OpsCache {
    fn clone(&self) -> Self {
        OpsCache(
            self.0
                .iter()
                .map(|a| AtomicU64::new(a.load(Relaxed)))
                .collect(),
        )
    }
}

impl OpsCache {
    pub(super) fn with_capacity(n: usize) -> OpsCache {
        OpsCache(Vec::with_capacity(n))
    }

    pub(super) fn reserve(&mut self, additional: usize) {
        self.0.reserve(additional);
    }

    /// Room for a new node's count.
    pub(super) fn push(&mut self) {
        self.0.push(AtomicU64::new(UNKNOWN));
    }

    fn get(&self, id: ExprId) -> u64 {
        self.0[id.index()].load(Relaxed)
    }

    fn set(&self, id: ExprId, n: u64) {
        self.0[id.index()].store(n.min(UNKNOWN - 1), Relaxed);
    }
}

/// The count of `root`: children first, without recursion, each node's
/// count kept.
pub(super) fn ops(store: &Store, root: ExprId) -> u64 {
    let cache = &store.ops;
    let known = cache.get(root);
    if known != UNKNOWN {
        return known;
    }
    if store.depth(root) <= RECURSE_DEPTH {
        return ops_nested(store, root);
    }
    let mut stack: SmallVec<[(ExprId, bool); 16]> = smallvec::smallvec![(root, false)];
    while let Some((id, ready)) = stack.pop() {
        if cache.get(id) != UNKNOWN {
            continue;
        }
        let node = store.node(id);
        let kids = node.children();
        if !ready && kids.iter().any(|&k| cache.get(k) == UNKNOWN) {
            stack.push((id, true));
            stack.extend(
                kids.iter()
                    .filter(|&&k| cache.get(k) == UNKNOWN)
                    .map(|&k| (k, false)),
            );
            continue;
        }
        cache.set(id, node_ops(store, node));
    }
    cache.get(root)
}

/// Graphs no deeper than this are counted by recursion (a frame a
/// level): no work stack to keep, each node read once.
const RECURSE_DEPTH: u32 = 256;

/// [`ops`] by recursion, for a node at most [`RECURSE_DEPTH`] deep.
fn ops_nested(store: &Store, id: ExprId) -> u64 {
    let known = store.ops.get(id);
    if known != UNKNOWN {
        return known;
    }
    let node = store.node(id);
    for &k in node.children() {
        ops_nested(store, k);
    }
    store.ops.set(id, node_ops(store, node));
    store.ops.get(id)
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

/// The operation count of `node` from its operands' (known).
fn node_ops(store: &Store, node: Node<'_>) -> u64 {
    let memo = |x: &ExprId| store.ops.get(*x);
    let sum = |xs: &[ExprId]| xs.iter().fold(0u64, |a, x| a.saturating_add(memo(x)));
    match node {
        Node::Num(n) => number_ops(n),
        Node::Const(_) | Node::Var(_) => 0,
        // as the kit writes them: 1/(1 + exp(-a)), the minus cancelling a
        // negative argument's; log(1 + exp(a))
        Node::Call(Func::Sigmoid, xs) if xs.len() == 1 => {
            let a = memo(&xs[0]);
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
                // (the ops of -n: DIV for a fraction; -n is positive)
                let k = u64::from(!n.as_rational().is_none_or(|r| r.denom().is_one())) * pos;
                (1 + pos + k).saturating_add(memo(b))
            }
            _ => 1u64.saturating_add(memo(b)).saturating_add(memo(e)),
        },
        Node::Mul(xs) => mul_ops(store, xs),
    }
}

fn mul_ops(store: &Store, xs: &[ExprId]) -> u64 {
    let memo = |x: &ExprId| store.ops.get(*x);
    let (mut num_items, mut den_items) = (0u64, 0u64);
    let mut ops = 0u64;
    for (i, &x) in xs.iter().enumerate() {
        if i == 0
            && let Some(n) = store.as_num(x)
        {
            ops += u64::from(n.is_negative() && !flips(store, xs));
            if let Some(r) = n.as_rational() {
                num_items += u64::from(!r.numer().magnitude().is_one());
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
                ops = ops.saturating_add(memo(&x).saturating_sub(1));
            }
            _ => {
                num_items += 1;
                ops = ops.saturating_add(memo(&x));
            }
        }
    }
    ops += num_items.saturating_sub(1);
    if den_items > 0 {
        ops += den_items;
    }
    ops
}

#[cfg(test)]
mod tests {
    /// The kept counts are atomics, not cells: a store, and a session,
    /// can still be shared between threads.
    #[test]
    fn the_store_stays_send_and_sync() {
        fn shareable<T: Send + Sync>() {}
        shareable::<super::Store>();
        shareable::<crate::Session>();
    }
}
