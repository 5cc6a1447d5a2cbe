//! Walks over the graph: a visited mark per node that is cleared in O(1),
//! so a walk costs the size of what it visits, not the size of the store.

use std::cell::RefCell;

use super::{ExprId, Store};

/// A reusable depth-first walk over the graph with a visited mark per node
/// that is reset in O(1) (an epoch counter), so a walk costs the size of
/// what it visits, not the size of the store.
#[derive(Debug, Clone, Default)]
pub struct Walk {
    mark: Vec<u32>,
    epoch: u32,
    /// The work list of [`Walk::collect`], kept between walks.
    stack: Vec<ExprId>,
}

impl Walk {
    /// Starts a new walk over a store of `len` nodes: nothing is visited.
    pub fn reset(&mut self, len: usize) {
        if self.mark.len() < len {
            self.mark.resize(len, 0);
        }
        self.next_epoch();
    }

    fn next_epoch(&mut self) {
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.mark.iter_mut().for_each(|m| *m = 0);
            self.epoch = 1;
        }
    }

    /// Starts a walk that marks nodes at two levels (see [`Walk::raise`])
    /// over a store of `len` nodes: none is marked.
    pub fn reset_levels(&mut self, len: usize) {
        self.reset(len);
        self.next_epoch();
        if self.epoch < 2 {
            // the marks were cleared to 0 at the second step: 0 would
            // read as the lower level
            self.next_epoch();
        }
    }

    /// In a walk started by [`Walk::reset_levels`], raises the mark of
    /// `id` to `level` (1 or 2) where it is lower, and returns the level
    /// it had (0: not marked).
    pub fn raise(&mut self, id: ExprId, level: u32) -> u32 {
        debug_assert!((1..=2).contains(&level));
        let i = id.index();
        if i >= self.mark.len() {
            self.mark.resize(i + 1, 0);
        }
        let low = self.epoch - 1;
        let m = &mut self.mark[i];
        let before = if *m == self.epoch {
            2
        } else if *m == low {
            1
        } else {
            0
        };
        if level > before {
            *m = low + (level - 1);
        }
        before
    }

    /// True when `id` was visited in this walk.
    pub fn is_visited(&self, id: ExprId) -> bool {
        self.mark.get(id.index()) == Some(&self.epoch)
    }

    /// Marks `id` visited; true if it was not visited before in this walk.
    pub fn visit(&mut self, id: ExprId) -> bool {
        let i = id.index();
        if i >= self.mark.len() {
            self.mark.resize(i + 1, 0);
        }
        std::mem::replace(&mut self.mark[i], self.epoch) != self.epoch
    }

    /// [`Walk::collect`] in ascending id order: where the ids found are
    /// dense in their range, read off the marks in order, which is cheaper
    /// than sorting them.
    pub fn collect_sorted(
        &mut self,
        s: &Store,
        roots: &[ExprId],
        enter: impl Fn(ExprId) -> bool,
    ) -> Vec<ExprId> {
        let mut out = self.collect(s, roots, enter);
        let (lo, hi) = out.iter().fold((usize::MAX, 0), |(lo, hi), id| {
            (lo.min(id.index()), hi.max(id.index()))
        });
        if !out.is_empty() && hi - lo < 8 * out.len() {
            out.clear();
            out.extend(
                (lo..=hi)
                    .map(|i| ExprId(i as u32))
                    .filter(|&id| self.is_visited(id)),
            );
        } else {
            out.sort_unstable();
        }
        out
    }

    /// The nodes reachable from `roots` through nodes that pass `enter`
    /// (a node that fails it is neither returned nor walked through), in no
    /// particular order.
    pub fn collect(
        &mut self,
        s: &Store,
        roots: &[ExprId],
        enter: impl Fn(ExprId) -> bool,
    ) -> Vec<ExprId> {
        self.reset(s.len());
        let mut out = Vec::with_capacity(16);
        let mut stack = std::mem::take(&mut self.stack);
        stack.clear();
        // a node is marked when it is first found, so that an operand
        // found again (a sum shared by 49 products) costs a look at its
        // mark, not a trip through the stack
        for &r in roots {
            if enter(r) && self.visit(r) {
                out.push(r);
                stack.push(r);
            }
        }
        while let Some(id) = stack.pop() {
            for &c in s.node(id).children() {
                if enter(c) && self.visit(c) {
                    out.push(c);
                    stack.push(c);
                }
            }
        }
        self.stack = stack;
        out
    }
}

/// A map from the ids of one walk (ascending, as [`Store::reachable`]
/// gives them) to ids: a table over their range where they fill an eighth
/// of it or more, as the nodes of one expression mostly do, so that a pass
/// over the graph reads each child's entry by an index rather than by a
/// hash; a hash map where they are sparse.
#[derive(Debug, Clone)]
pub(crate) struct IdMap {
    lo: usize,
    table: Vec<ExprId>,
    sparse: rustc_hash::FxHashMap<ExprId, ExprId>,
}

/// Where the ids of `order` (ascending) fill an eighth or more of their
/// range: its first id and its length, for a table by index over it.
pub(crate) fn dense_span(order: &[ExprId]) -> Option<(usize, usize)> {
    let (lo, hi) = (order.first()?.index(), order.last()?.index());
    (hi - lo < 8 * order.len()).then_some((lo, hi - lo + 1))
}

impl IdMap {
    /// An empty map for the ids of `order` (ascending).
    pub(crate) fn for_order(order: &[ExprId]) -> IdMap {
        let span = dense_span(order);
        let dense = span.is_some();
        IdMap {
            lo: span.map_or(0, |s| s.0),
            table: match span {
                Some((_, len)) => vec![ExprId::NONE; len],
                None => Vec::new(),
            },
            sparse: if dense {
                rustc_hash::FxHashMap::default()
            } else {
                rustc_hash::FxHashMap::with_capacity_and_hasher(order.len(), Default::default())
            },
        }
    }

    fn slot(&self, id: ExprId) -> Option<usize> {
        id.index()
            .checked_sub(self.lo)
            .filter(|&i| i < self.table.len())
    }

    /// Sets the entry of `id`.
    pub(crate) fn insert(&mut self, id: ExprId, v: ExprId) {
        match self.slot(id) {
            Some(i) => self.table[i] = v,
            None => {
                self.sparse.insert(id, v);
            }
        }
    }
}

impl std::ops::Index<&ExprId> for IdMap {
    type Output = ExprId;

    /// The entry of `id`, which must be set (a pass sets a node's entry
    /// before it reads it as a child's).
    fn index(&self, id: &ExprId) -> &ExprId {
        match self.slot(*id) {
            Some(i) if self.table[i] != ExprId::NONE => &self.table[i],
            _ => &self.sparse[id],
        }
    }
}

/// Values by node id for the ids of one walk (ascending), as [`IdMap`]
/// for values other than ids: a table over their range where they fill an
/// eighth of it or more, so that a pass reads each child's entry by an
/// index, near the entries of the nodes built with it; a hash map where
/// they are sparse. An id with no entry reads as `none`.
pub(crate) struct ById<T> {
    lo: usize,
    table: Vec<T>,
    sparse: rustc_hash::FxHashMap<ExprId, T>,
    none: T,
}

impl<T: Copy> ById<T> {
    pub(crate) fn for_order(order: &[ExprId], none: T) -> ById<T> {
        let span = dense_span(order);
        ById {
            lo: span.map_or(0, |s| s.0),
            table: vec![none; span.map_or(0, |s| s.1)],
            sparse: rustc_hash::FxHashMap::default(),
            none,
        }
    }

    fn slot(&self, id: ExprId) -> Option<usize> {
        id.index()
            .checked_sub(self.lo)
            .filter(|&i| i < self.table.len())
    }

    pub(crate) fn get(&self, id: ExprId) -> T {
        match self.slot(id) {
            Some(i) => self.table[i],
            None => self.sparse.get(&id).copied().unwrap_or(self.none),
        }
    }

    pub(crate) fn insert(&mut self, id: ExprId, v: T) {
        match self.slot(id) {
            Some(i) => self.table[i] = v,
            None => {
                self.sparse.insert(id, v);
            }
        }
    }
}

thread_local! {
    /// The walk behind [`Store::reachable`], kept between calls.
    static WALK: RefCell<Walk> = RefCell::new(Walk::default());
}

/// Runs `f` with this thread's kept walk, or with a fresh one where that is
/// in use (an `enter` test that itself walks the graph).
pub(crate) fn with_walk<T>(f: impl FnOnce(&mut Walk) -> T) -> T {
    WALK.with(|w| match w.try_borrow_mut() {
        Ok(mut w) => f(&mut w),
        Err(_) => f(&mut Walk::default()),
    })
}

impl Store {
    /// The ids reachable from `roots`, in ascending (topological) order.
    ///
    /// The cost is that of the nodes found, not of the store (a kept
    /// [`Walk`]): the gradient of a 20,000-term sum asks this of each of
    /// its components.
    pub fn reachable(&self, roots: &[ExprId]) -> Vec<ExprId> {
        with_walk(|w| w.collect_sorted(self, roots, |_| true))
    }

    /// The ids reachable from `roots` through ids that pass `enter` (one
    /// that fails is neither returned nor walked through), in ascending
    /// order.
    pub fn reachable_where(&self, roots: &[ExprId], enter: impl Fn(ExprId) -> bool) -> Vec<ExprId> {
        let mut out = with_walk(|w| w.collect(self, roots, enter));
        out.sort_unstable();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::Func;
    use std::collections::BTreeSet;

    /// Reachable ids by a plain recursive walk into a sorted set.
    fn naive(s: &Store, roots: &[ExprId]) -> Vec<ExprId> {
        fn go(s: &Store, id: ExprId, out: &mut BTreeSet<ExprId>) {
            if out.insert(id) {
                for &c in s.node(id).children() {
                    go(s, c, out);
                }
            }
        }
        let mut out = BTreeSet::new();
        for &r in roots {
            go(s, r, &mut out);
        }
        out.into_iter().collect()
    }

    #[test]
    fn id_maps_read_back_what_was_set_dense_or_sparse() {
        // ids close together (a table) and far apart (a hash map), and ids
        // outside the range of the walk's
        for order in [
            vec![ExprId(3), ExprId(4), ExprId(6), ExprId(9)],
            vec![ExprId(0), ExprId(1000), ExprId(5000)],
        ] {
            let mut m = IdMap::for_order(&order);
            for (k, &id) in order.iter().enumerate() {
                m.insert(id, ExprId(100 + k as u32));
            }
            m.insert(ExprId(20_000), ExprId(7));
            for (k, &id) in order.iter().enumerate() {
                assert_eq!(m[&id], ExprId(100 + k as u32));
            }
            assert_eq!(m[&ExprId(20_000)], ExprId(7));
        }
    }

    #[test]
    fn walks_forget_between_runs() {
        let mut s = Store::new();
        let x = s.var("x");
        let sq = s.powi(x, 2);
        let f = s.call1(Func::Exp, sq);
        let mut w = Walk::default();
        let mut first = w.collect(&s, &[f], |_| true);
        first.sort_unstable();
        let mut again = w.collect(&s, &[f], |_| true);
        again.sort_unstable();
        assert_eq!(first, again);
        assert_eq!(first, s.reachable(&[f]));
        assert_eq!(s.reachable_where(&[f], |_| true), first);
        assert_eq!(s.reachable_where(&[f], |id| id != sq), vec![f]);
        // an enter test that walks the graph itself gets marks of its own
        assert_eq!(
            s.reachable_where(&[f], |id| !s.reachable(&[id]).is_empty()),
            first
        );
    }

    #[test]
    fn reachable_is_every_node_below_once_in_ascending_order() {
        // nodes far apart in the store (x, then hundreds of others) and
        // close together, so that both ways of listing the marks are used
        let mut s = Store::new();
        let x = s.var("x");
        let mut made = vec![x];
        for k in 1..400 {
            let v = s.var(&format!("v{k}"));
            let p = s.mul(&[made[k / 2], v]);
            let e = s.call1(Func::Sin, p);
            made.push(s.add(&[e, made[k - 1]]));
        }
        for roots in [
            vec![made[399]],
            vec![x, made[399]],
            vec![made[3], made[250], x],
            vec![],
        ] {
            assert_eq!(s.reachable(&roots), naive(&s, &roots), "{roots:?}");
        }
        for k in (0..400).step_by(37) {
            assert_eq!(s.reachable(&[made[k]]), naive(&s, &[made[k]]), "{k}");
        }
    }

    /// Two-level marks: a mark only rises, each walk starts unmarked, and
    /// the epoch's wrap-around (marks cleared to 0) never leaves a stale
    /// mark that reads as a level.
    #[test]
    fn levels_rise_and_reset() {
        let (a, b) = (ExprId(3), ExprId(70));
        for start in [0, u32::MAX - 3, u32::MAX - 2, u32::MAX - 1, u32::MAX] {
            let mut w = Walk {
                epoch: start,
                ..Walk::default()
            };
            for _ in 0..3 {
                w.reset_levels(8);
                assert_eq!(w.raise(a, 1), 0, "from {start}");
                assert_eq!(w.raise(a, 1), 1);
                assert_eq!(w.raise(a, 2), 1);
                assert_eq!(w.raise(a, 1), 2, "a strict mark stays strict");
                assert_eq!(w.raise(a, 2), 2);
                // beyond the length given: the marks grow
                assert_eq!(w.raise(b, 2), 0);
                assert_eq!(w.raise(b, 1), 2);
                assert_eq!(w.raise(ExprId(5), 2), 0);
            }
        }
    }
}
