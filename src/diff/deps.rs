//! Which variables each node depends on, computed once per node.
//!
//! [`Deps`] keeps, for every node it has seen, the sorted set of variables
//! below it. Sets are built bottom-up in id order (a node's children have
//! smaller ids) and shared: a node whose variables are those of one child
//! holds the child's set, not a copy. For a wide sum or product (more than
//! [`WIDE`] operands) it also keeps an inverted index, variable → the
//! positions of the operands that depend on it, so that "which operands of
//! this node depend on `v`" costs the size of the answer, not the width of
//! the node.
//!
//! Cost: building the sets is linear in the number of nodes plus the total
//! size of the sets that are not shared; a lookup is a binary search.

use std::sync::Arc;

use rustc_hash::FxHashMap;
use smallvec::SmallVec;

use crate::expr::{ExprId, Node, Store, Sym};

/// Operands above which a node gets an inverted index.
pub const WIDE: usize = 8;

/// The variables below each node, and inverted indexes of wide nodes.
#[derive(Debug, Clone, Default)]
pub struct Deps {
    sets: Vec<Option<Arc<[Sym]>>>,
    /// The one empty set, shared by every constant node.
    empty: Option<Arc<[Sym]>>,
    /// Per wide node, its (variable, operand position) pairs, sorted:
    /// the operands on a variable are one run of it.
    wide: FxHashMap<ExprId, Vec<(Sym, u32)>>,
    walk: Walk,
}

impl Deps {
    /// Indexes every node below `root` that is not indexed yet.
    pub fn index(&mut self, s: &Store, root: ExprId) {
        if self.get(root).is_some() {
            return;
        }
        if self.sets.len() < s.len() {
            self.sets.resize(s.len(), None);
        }
        // every descendant of an indexed node is indexed: stop there
        let sets = &self.sets;
        let order = self
            .walk
            .collect_sorted(s, &[root], |id| sets[id.index()].is_none());
        let empty = Arc::clone(self.empty.get_or_insert_with(|| Arc::from([].as_slice())));
        for id in order {
            let set = self.union(s, id).unwrap_or_else(|| Arc::clone(&empty));
            self.sets[id.index()] = Some(set);
        }
    }

    /// The variables of `id` (sorted), if `id` is indexed.
    pub fn get(&self, id: ExprId) -> Option<&[Sym]> {
        self.sets.get(id.index()).and_then(|o| o.as_deref())
    }

    /// Whether the indexed node `id` depends on `v` (false if not indexed).
    pub fn depends(&self, id: ExprId, v: Sym) -> bool {
        self.get(id)
            .is_some_and(|set| set.binary_search(&v).is_ok())
    }

    /// The positions of the operands of the indexed node `id` that depend on
    /// `v`, in increasing order.
    pub fn operands_on(&mut self, s: &Store, id: ExprId, v: Sym) -> Vec<usize> {
        self.operands_on_small(s, id, v).into_vec()
    }

    /// [`Deps::operands_on`], the few positions of most nodes kept off the
    /// heap.
    pub(crate) fn operands_on_small(
        &mut self,
        s: &Store,
        id: ExprId,
        v: Sym,
    ) -> SmallVec<[usize; 8]> {
        let kids = s.node(id).children();
        if kids.len() <= WIDE {
            return (0..kids.len())
                .filter(|&p| self.depends(kids[p], v))
                .collect();
        }
        if !self.wide.contains_key(&id) {
            let total = kids
                .iter()
                .map(|c| self.get(*c).map_or(0, <[Sym]>::len))
                .sum();
            let mut inv: Vec<(Sym, u32)> = Vec::with_capacity(total);
            for (p, c) in kids.iter().enumerate() {
                inv.extend(self.get(*c).unwrap_or(&[]).iter().map(|&w| (w, p as u32)));
            }
            inv.sort_unstable();
            self.wide.insert(id, inv);
        }
        let inv = &self.wide[&id];
        let from = inv.partition_point(|&(w, _)| w < v);
        inv[from..]
            .iter()
            .take_while(|&&(w, _)| w == v)
            .map(|&(_, p)| p as usize)
            .collect()
    }

    /// The set of `id` from its children's: shared when one child holds
    /// all of it; `None` when it is empty.
    fn union(&self, s: &Store, id: ExprId) -> Option<Arc<[Sym]>> {
        let kids = match s.node(id) {
            Node::Var(v) => return Some(Arc::from([*v].as_slice())),
            n => n.children(),
        };
        let mut widest: Option<&Arc<[Sym]>> = None;
        let mut total = 0;
        for c in kids {
            let Some(set) = self.sets[c.index()].as_ref() else {
                continue;
            };
            total += set.len();
            if widest.is_none_or(|w| set.len() > w.len()) {
                widest = Some(set);
            }
        }
        let widest = widest.filter(|w| !w.is_empty())?;
        if total == widest.len()
            || kids.iter().all(|c| {
                self.sets[c.index()]
                    .as_ref()
                    .is_none_or(|set| set.iter().all(|v| widest.binary_search(v).is_ok()))
            })
        {
            return Some(Arc::clone(widest));
        }
        let mut all: Vec<Sym> = Vec::with_capacity(total);
        for c in kids {
            all.extend_from_slice(self.sets[c.index()].as_deref().unwrap_or(&[]));
        }
        all.sort_unstable();
        all.dedup();
        Some(all.into())
    }
}

pub use crate::expr::Walk;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_are_sorted_shared_and_indexed() {
        let mut s = Store::new();
        let (x, y, z) = (s.var("x"), s.var("y"), s.var("z"));
        let [sx, sy, sz] = ["x", "y", "z"].map(|n| s.find_sym(n).expect("interned"));
        let sin_z = s.call1(crate::expr::Func::Sin, z);
        let xy = s.mul(&[x, y]);
        let two = s.int(2);
        let f = s.add(&[xy, sin_z, two]);
        let mut d = Deps::default();
        d.index(&s, f);
        let mut all = vec![sx, sy, sz];
        all.sort_unstable();
        assert_eq!(d.get(f), Some(all.as_slice()));
        assert_eq!(d.get(two), Some(&[][..]));
        // sin(z) holds z's set, not a copy
        let (a, b) = (d.get(sin_z).expect("set"), d.get(z).expect("set"));
        assert_eq!(a.as_ptr(), b.as_ptr());
        assert!(d.depends(xy, sx) && !d.depends(xy, sz));
        let pos = d.operands_on(&s, f, sz);
        assert_eq!(pos.len(), 1);
        assert_eq!(s.node(f).children()[pos[0]], sin_z);
    }

    #[test]
    fn wide_nodes_answer_from_the_inverted_index() {
        let mut s = Store::new();
        let y = s.var("y");
        let terms: Vec<ExprId> = (1..=20)
            .map(|i| {
                let x = s.var(&format!("x{i}"));
                s.mul(&[x, y])
            })
            .collect();
        let f = s.add(&terms);
        let mut d = Deps::default();
        d.index(&s, f);
        let sy = s.find_sym("y").expect("y");
        assert_eq!(d.operands_on(&s, f, sy), (0..20).collect::<Vec<_>>());
        let s7 = s.find_sym("x7").expect("x7");
        let on = d.operands_on(&s, f, s7);
        assert_eq!(on.len(), 1);
        let x7 = s.var("x7");
        let want = s.mul(&[x7, y]);
        assert_eq!(s.node(f).children()[on[0]], want);
        let nobody = s.sym("nobody");
        assert!(d.operands_on(&s, f, nobody).is_empty());
    }
}
