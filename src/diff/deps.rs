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
    /// Per wide node, the positions of its operands on each variable.
    wide: FxHashMap<ExprId, Inverted>,
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
            let inv = Inverted::new(kids.iter().map(|c| self.get(*c).unwrap_or(&[])));
            self.wide.insert(id, inv);
        }
        self.wide[&id].on(v)
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

/// An inverted index, variable → the positions of the operands that
/// depend on it (ascending). Where the node's variables are dense in
/// their numbering (a sum over all the variables), two flat arrays built
/// by counting, in time linear in the pairs: the positions grouped by
/// variable, and where each variable's group starts. Otherwise (few
/// variables spread over a wide range of numbers) the pairs sorted, read
/// by binary search, so that the index never outgrows its pairs.
#[derive(Debug, Clone)]
enum Inverted {
    Dense {
        lo: u32,
        starts: Vec<u32>,
        positions: Vec<u32>,
    },
    Sparse(Vec<(Sym, u32)>),
}

impl Inverted {
    /// The index of operands with these variable sets, in order.
    fn new<'a>(sets: impl Iterator<Item = &'a [Sym]> + Clone) -> Inverted {
        let (mut lo, mut hi, mut pairs) = (u32::MAX, 0u32, 0usize);
        for set in sets.clone() {
            if let (Some(a), Some(b)) = (set.first(), set.last()) {
                lo = lo.min(a.0);
                hi = hi.max(b.0);
                pairs += set.len();
            }
        }
        if pairs == 0 {
            return Inverted::Sparse(Vec::new());
        }
        let width = (hi - lo) as usize + 1;
        if width > 4 * pairs + 64 {
            let mut inv: Vec<(Sym, u32)> = Vec::with_capacity(pairs);
            for (p, set) in sets.enumerate() {
                inv.extend(set.iter().map(|&w| (w, p as u32)));
            }
            inv.sort_unstable();
            return Inverted::Sparse(inv);
        }
        let mut starts = vec![0u32; width + 1];
        for set in sets.clone() {
            for v in set {
                starts[(v.0 - lo) as usize + 1] += 1;
            }
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut next = starts.clone();
        let mut positions = vec![0u32; pairs];
        for (p, set) in sets.enumerate() {
            for v in set {
                let at = &mut next[(v.0 - lo) as usize];
                positions[*at as usize] = p as u32;
                *at += 1;
            }
        }
        Inverted::Dense {
            lo,
            starts,
            positions,
        }
    }

    /// The positions of the operands on `v`, ascending.
    fn on(&self, v: Sym) -> SmallVec<[usize; 8]> {
        match self {
            Inverted::Dense {
                lo,
                starts,
                positions,
            } => {
                let i = v.0.wrapping_sub(*lo) as usize;
                match (starts.get(i), starts.get(i + 1)) {
                    (Some(&a), Some(&b)) => positions[a as usize..b as usize]
                        .iter()
                        .map(|&p| p as usize)
                        .collect(),
                    _ => SmallVec::new(),
                }
            }
            Inverted::Sparse(inv) => {
                let from = inv.partition_point(|&(w, _)| w < v);
                inv[from..]
                    .iter()
                    .take_while(|&&(w, _)| w == v)
                    .map(|&(_, p)| p as usize)
                    .collect()
            }
        }
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
    fn inverted_indexes_dense_and_sparse_agree() {
        let sets = |far: u32| -> Vec<Vec<Sym>> {
            vec![
                vec![Sym(far)],
                vec![Sym(5)],
                vec![Sym(5), Sym(far)],
                vec![],
                vec![Sym(7)],
            ]
        };
        // 5..=9 is dense; 5..=1000 over 5 pairs is not
        for (far, dense) in [(9, true), (1000, false)] {
            let sets = sets(far);
            let inv = Inverted::new(sets.iter().map(Vec::as_slice));
            assert_eq!(matches!(inv, Inverted::Dense { .. }), dense);
            assert_eq!(inv.on(Sym(5)).as_slice(), &[1, 2]);
            assert_eq!(inv.on(Sym(far)).as_slice(), &[0, 2]);
            assert_eq!(inv.on(Sym(7)).as_slice(), &[4]);
            for nobody in [0, 4, 6, 8, far + 1, u32::MAX] {
                assert!(inv.on(Sym(nobody)).is_empty(), "{nobody}");
            }
        }
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
