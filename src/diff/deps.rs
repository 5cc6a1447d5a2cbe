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
//! Layout: each node has a span of 8 bytes, by id. A set of one
//! variable (every variable's own, and most nodes' in a sum of local
//! terms) is held in the span itself; a larger set is a range of one pool
//! of variables, which a node that shares it points into as well. A
//! question about a node therefore reads its span, near the spans of the
//! nodes built with it, and the pool only for sets of two or more: no
//! allocation per set, and no pointer to follow to another part of memory.
//!
//! Cost: building the sets is linear in the number of nodes plus the total
//! size of the sets that are not shared; a lookup is a binary search.

use rustc_hash::FxHashMap;
use smallvec::SmallVec;

use crate::expr::{ExprId, Node, Store, Sym};

/// Operands above which a node gets an inverted index.
pub const WIDE: usize = 8;

/// The set of a node: `len` variables; for one, `at` is the variable; for
/// more, `at` is where they start in the pool. [`Span::UNSEEN`] for a node
/// not indexed yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    at: Sym,
    len: u32,
}

impl Span {
    const UNSEEN: Span = Span {
        at: Sym(0),
        len: u32::MAX,
    };
    const EMPTY: Span = Span { at: Sym(0), len: 0 };

    fn seen(self) -> bool {
        self.len != u32::MAX
    }
}

/// The variables below each node, and inverted indexes of wide nodes.
#[derive(Debug, Clone, Default)]
pub struct Deps {
    spans: Vec<Span>,
    /// The sets of two or more variables, each sorted, end to end.
    pool: Vec<Sym>,
    /// Per wide node, the positions of its operands on each variable.
    wide: FxHashMap<ExprId, Inverted>,
    /// The work list of [`Deps::index`], kept between calls.
    stack: Vec<(ExprId, bool)>,
}

impl Deps {
    /// Indexes every node below `root` that is not indexed yet.
    pub fn index(&mut self, s: &Store, root: ExprId) {
        self.index_counting(s, root);
    }

    /// [`Deps::index`], which returns how many nodes it indexed.
    pub(crate) fn index_counting(&mut self, s: &Store, root: ExprId) -> usize {
        if self.get(root).is_some() {
            return 0;
        }
        let mut count = 0;
        if self.spans.len() < s.len() {
            self.spans.resize(s.len(), Span::UNSEEN);
        }
        // depth first, a node's set made as soon as its operands' are
        // (when its own operand list was read last, not after a walk over
        // all the others): every descendant of an indexed node is indexed,
        // so the walk stops there; a node found twice before it is indexed
        // is passed over the second time
        let mut stack = std::mem::take(&mut self.stack);
        stack.clear();
        stack.push((root, false));
        while let Some((id, ready)) = stack.pop() {
            if self.spans[id.index()].seen() {
                continue;
            }
            if ready {
                let span = self.union(s, id);
                self.spans[id.index()] = span;
                count += 1;
                continue;
            }
            stack.push((id, true));
            let spans = &self.spans;
            stack.extend(
                s.node(id)
                    .children()
                    .iter()
                    .filter(|c| !spans[c.index()].seen())
                    .map(|&c| (c, false)),
            );
        }
        self.stack = stack;
        count
    }

    /// The variables of `id` (sorted), if `id` is indexed.
    pub fn get(&self, id: ExprId) -> Option<&[Sym]> {
        let span = self.spans.get(id.index()).filter(|sp| sp.seen())?;
        Some(self.set(span))
    }

    /// The variables of a span.
    fn set<'a>(&'a self, span: &'a Span) -> &'a [Sym] {
        match span.len {
            0 => &[],
            1 => std::slice::from_ref(&span.at),
            n => &self.pool[span.at.index()..span.at.index() + n as usize],
        }
    }

    /// Whether the indexed node `id` depends on `v` (false if not indexed).
    pub fn depends(&self, id: ExprId, v: Sym) -> bool {
        match self.spans.get(id.index()) {
            None => false,
            Some(sp) if sp.len == 1 => sp.at == v,
            Some(sp) => sp.seen() && self.set(sp).binary_search(&v).is_ok(),
        }
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

    /// The set of `id` from its children's: a child's span where that
    /// child holds all of it, else a new range of the pool.
    fn union(&mut self, s: &Store, id: ExprId) -> Span {
        let kids = match s.node(id) {
            Node::Var(&v) => return Span { at: v, len: 1 },
            n => n.children(),
        };
        let seen = |me: &Self, c: &ExprId| Some(me.spans[c.index()]).filter(|sp| sp.seen());
        let mut widest = Span::EMPTY;
        let mut total = 0usize;
        for sp in kids.iter().filter_map(|c| seen(self, c)) {
            total += sp.len as usize;
            if sp.len > widest.len {
                widest = sp;
            }
        }
        if widest.len == 0 {
            return Span::EMPTY;
        }
        let all = self.set(&widest);
        if total == widest.len as usize
            || kids
                .iter()
                .filter_map(|c| seen(self, c))
                .all(|sp| self.set(&sp).iter().all(|v| all.binary_search(v).is_ok()))
        {
            return widest;
        }
        let at = self.pool.len();
        for c in kids {
            let sp = self.spans[c.index()];
            match sp.len {
                0 | u32::MAX => {}
                1 => self.pool.push(sp.at),
                n => {
                    let from = sp.at.index();
                    self.pool.extend_from_within(from..from + n as usize);
                }
            }
        }
        let mut union = self.pool.split_off(at);
        union.sort_unstable();
        union.dedup();
        self.pool.append(&mut union);
        // two or more: the union is larger than its widest part
        let len = u32::try_from(self.pool.len() - at).expect("variable set overflow");
        Span {
            at: Sym(u32::try_from(at).expect("variable set overflow")),
            len,
        }
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
        let cos_xy = s.call1(crate::expr::Func::Cos, xy);
        let f = s.add(&[xy, sin_z, two, cos_xy]);
        let mut d = Deps::default();
        d.index(&s, f);
        let mut all = vec![sx, sy, sz];
        all.sort_unstable();
        assert_eq!(d.get(f), Some(all.as_slice()));
        assert_eq!(d.get(two), Some(&[][..]));
        assert_eq!(d.get(sin_z), Some(&[sz][..]));
        // cos(x*y) holds the set of x*y, not a copy; f's is new
        let (a, b) = (d.get(cos_xy).expect("set"), d.get(xy).expect("set"));
        assert_eq!((a.as_ptr(), a.len()), (b.as_ptr(), 2));
        assert_eq!(d.pool.len(), 2 + 3);
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
