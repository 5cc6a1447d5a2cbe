//! Derivatives as straight-line programs, and operation counts.
//!
//! [`gradient_program`] emits the reverse sweep of the expression graph as
//! statements `t = ...` (n-ary sums and products split into chains so every
//! local partial is O(1)): its operation count stays within a small multiple
//! of the function's, the cheap-gradient principle of reverse-mode AD.
//! [`common_subexpressions`] names every subexpression that several results
//! share. [`ops_dag`], [`ops_tree`] and [`Program::ops`] count operations.
//!
//! Cost: every pass here visits each node of the graph once;
//! `gradient_program` and the counts keep what they learn of a node in a
//! table by node id or by name index, not a hash map: at W3's N=10000
//! (420,000 nodes) hash maps outgrew the caches, and `deriv stats` took 20
//! times as long as at N=1000. A walk over a whole program or gradient
//! marks a bit per node of the store (never an array the size of the store
//! per statement), counts are memoized across roots, and the local partials
//! of a step come from a [`Differentiator`] shared over the sweep, which
//! forgets each step's derivatives before the next. `gradient_program`,
//! `common_subexpressions`, `ops_*` (and so `deriv stats` and `grad --cse`)
//! are linear in the graph size, plus a store's 64th for the bits.
//! [`Program::eval`] still compiles one tape per statement.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::diff::{DiffError, Differentiator};
use smallvec::SmallVec;

use crate::expr::{ById, ExprId, Func, IdMap, Node, Store, Sym};
use crate::print::infix;

/// A straight-line program: named statements, then the results.
#[derive(Clone, Debug, Default)]
pub struct Program {
    /// `name = expression`, in order; expressions use earlier names.
    pub statements: Vec<(Sym, ExprId)>,
    /// The results, in terms of the names.
    pub results: Vec<ExprId>,
}

impl Program {
    /// The program in deriv's syntax: `t1 = ...; ...; [r1, r2]` (one
    /// statement per line); it parses back to the results.
    pub fn text(&self, store: &Store, vector: bool) -> String {
        let mut out = String::new();
        for (s, e) in &self.statements {
            out.push_str(&format!("{} = {}\n", store.name(*s), infix(store, *e)));
        }
        let rs: Vec<String> = self.results.iter().map(|r| infix(store, *r)).collect();
        if vector || rs.len() != 1 {
            out.push_str(&format!("[{}]", rs.join(", ")));
        } else {
            out.push_str(&rs[0]);
        }
        out
    }

    /// Operations of the program: each statement and result counted as a
    /// tree over the names.
    pub fn ops(&self, store: &Store) -> u128 {
        let roots: Vec<ExprId> = self
            .statements
            .iter()
            .map(|(_, e)| *e)
            .chain(self.results.iter().copied())
            .collect();
        trees(store, &roots).into_iter().sum()
    }
}

impl Program {
    /// Evaluates the results at a point: statements in order, then results.
    pub fn eval(&self, store: &Store, env: &crate::eval::Env) -> Vec<f64> {
        let mut env = env.clone();
        let value = |env: &crate::eval::Env, e: ExprId| {
            let tape = crate::eval::Tape::new(store, &[e]);
            tape.eval(&|s| env.get(s).unwrap_or(f64::NAN))[0]
        };
        for (s, e) in &self.statements {
            let v = value(&env, *e);
            env.set(*s, v);
        }
        self.results.iter().map(|r| value(&env, *r)).collect()
    }
}

/// Operations of one node: `k-1` for a sum or product of `k` operands (a
/// coefficient counts), one for a power or a function call.
fn own_ops(store: &Store, id: ExprId) -> u128 {
    match store.node(id) {
        Node::Num(_) | Node::Const(_) | Node::Var(_) => 0,
        Node::Add(xs) | Node::Mul(xs) => xs.len() as u128 - 1,
        Node::Pow(_) | Node::Call(..) => 1,
    }
}

/// Operations of the expression graph, each shared node once.
pub fn ops_dag(store: &Store, roots: &[ExprId]) -> u128 {
    let mut sum = 0u128;
    Marks::new(store).walk(store, roots, |id| sum += own_ops(store, id));
    sum
}

/// Operations of the expressions written out as trees (as printed).
pub fn ops_tree(store: &Store, roots: &[ExprId]) -> u128 {
    trees(store, roots)
        .into_iter()
        .fold(0u128, u128::saturating_add)
}

/// Tree ops of each of `roots`: every node below them counted once,
/// children first (ascending ids, read off [`Marks`] in order), in one walk
/// over all of them. A node's count is kept at its rank among the nodes
/// found (the marks before it: a count of bits per word of marks, and the
/// bits of its own word), 8 bytes each; the rare count past `u64` apart.
/// A hash map by node, filled root by root, read a cold slot for each
/// child: `Program::ops` of W3's program took 28 times as long at N=10000
/// as at N=1000; a table of `u128` by node id over the range found was
/// 6.7 MB there (420,000 nodes in the store, 160,000 of them found).
fn trees(store: &Store, roots: &[ExprId]) -> Vec<u128> {
    let mut marks = Marks::new(store);
    marks.walk(store, roots, |_| {});
    let bits = &marks.bits;
    let mut before = Vec::with_capacity(bits.len());
    let mut found = 0usize;
    for w in bits {
        before.push(found);
        found += w.count_ones() as usize;
    }
    let rank = |id: ExprId| {
        let (w, b) = (id.index() / 64, id.index() % 64);
        before[w] + (bits[w] & ((1u64 << b) - 1)).count_ones() as usize
    };
    let mut counts = vec![0u64; found];
    let mut big: FxHashMap<ExprId, u128> = FxHashMap::default();
    let count = |counts: &[u64], big: &FxHashMap<ExprId, u128>, id: ExprId| match counts[rank(id)] {
        u64::MAX => big[&id],
        n => u128::from(n),
    };
    for (w, &word) in bits.iter().enumerate() {
        let mut rest = word;
        while rest != 0 {
            let id = ExprId((w * 64 + rest.trailing_zeros() as usize) as u32);
            rest &= rest - 1;
            let kids: u128 = store
                .node(id)
                .children()
                .iter()
                .map(|&c| count(&counts, &big, c))
                .fold(0u128, u128::saturating_add);
            let n = own_ops(store, id).saturating_add(kids);
            let at = rank(id);
            match u64::try_from(n) {
                Ok(n) if n != u64::MAX => counts[at] = n,
                _ => {
                    counts[at] = u64::MAX;
                    big.insert(id, n);
                }
            }
        }
    }
    roots.iter().map(|&r| count(&counts, &big, r)).collect()
}

/// A mark per node of the store, a bit each, for the walks over a whole
/// program or gradient: W3's store at N=10000 holds about 730,000 nodes,
/// 91 KB of bits, which the caches hold, where a walk's marks by node
/// ([`Store::reachable`]) take 4 bytes each, 2.9 MB, and missed the caches
/// on most nodes (`Program::ops` of W3's program: 700,000 misses of a
/// 1 MiB cache at N=10000, a quarter of `deriv stats`'). Made once per
/// count or program: zeroing it costs a 512th of the store's size in
/// words.
struct Marks {
    bits: Vec<u64>,
    stack: Vec<ExprId>,
}

impl Marks {
    fn new(store: &Store) -> Marks {
        Marks {
            bits: vec![0; store.len().div_ceil(64)],
            stack: Vec::new(),
        }
    }

    /// Marks `id`; true where it was not marked yet.
    fn first(&mut self, id: ExprId) -> bool {
        let (w, b) = (id.index() / 64, 1u64 << (id.index() % 64));
        let new = self.bits[w] & b == 0;
        self.bits[w] |= b;
        new
    }

    /// Marks the nodes below `roots` that are not marked yet (a marked
    /// node is not walked through), passing each to `visit`.
    fn walk(&mut self, store: &Store, roots: &[ExprId], mut visit: impl FnMut(ExprId)) {
        let mut stack = std::mem::take(&mut self.stack);
        for &r in roots {
            if self.first(r) {
                stack.push(r);
            }
        }
        while let Some(id) = stack.pop() {
            visit(id);
            for &c in store.node(id).children() {
                if self.first(c) {
                    stack.push(c);
                }
            }
        }
        self.stack = stack;
    }
}

/// Fresh names `t1, t2, ...` that clash with nothing in the store.
struct Names {
    next: usize,
    prefix: &'static str,
    /// The name tried last, its room kept for the next.
    name: String,
}

impl Names {
    fn new(prefix: &'static str) -> Names {
        Names {
            next: 0,
            prefix,
            name: String::new(),
        }
    }

    /// The next name that is no function's and not in the store yet.
    /// Interned at once: a name the store held already comes back with an
    /// index below the count of names before, and is passed over. One
    /// lookup of the name, not a lookup and then an interning, each
    /// hashing it into a table of every name (W3 at N=10000: 290,000).
    fn fresh(&mut self, store: &mut Store) -> Sym {
        use std::fmt::Write;
        loop {
            self.next += 1;
            self.name.clear();
            let _ = write!(self.name, "{}{}", self.prefix, self.next);
            if Func::from_name(&self.name).is_some() {
                continue;
            }
            let before = store.sym_count();
            let s = store.sym(&self.name);
            if s.index() == before {
                return s;
            }
        }
    }
}

/// The adjoint contributions of a reverse sweep, by name: a list per name
/// (its last term first, each term linked to the one before), all in one
/// pool in the order the sweep makes them, and the heads in a table by the
/// name's index. A step's terms were mostly made by the steps just before
/// (above) it, so they are read where they were written; a hash map of
/// vectors read a cold table slot and a cold vector header for each of
/// W3's 450,000 terms at N=10000.
struct Adjoints {
    head: Vec<u32>,
    pool: Vec<(ExprId, u32)>,
}

impl Adjoints {
    const NIL: u32 = u32::MAX;

    fn new(names: usize) -> Adjoints {
        Adjoints {
            head: vec![Self::NIL; names],
            pool: Vec::new(),
        }
    }

    fn push(&mut self, s: Sym, term: ExprId) {
        let i = s.index();
        if i >= self.head.len() {
            self.head.resize(i + 1, Self::NIL);
        }
        self.pool.push((term, self.head[i]));
        self.head[i] = (self.pool.len() - 1) as u32;
    }

    /// The terms of `s` in the order they were pushed, into `out`, no
    /// longer kept; false where there were none.
    fn take(&mut self, s: Sym, out: &mut Vec<ExprId>) -> bool {
        out.clear();
        let Some(head) = self.head.get_mut(s.index()) else {
            return false;
        };
        let mut at = std::mem::replace(head, Self::NIL);
        while at != Self::NIL {
            let (term, next) = self.pool[at as usize];
            out.push(term);
            at = next;
        }
        out.reverse();
        !out.is_empty()
    }
}

/// One binary (or unary) step of the forward sweep.
struct Step {
    sym: Sym,
    local: ExprId,
    operands: SmallVec<[Sym; 2]>,
}

/// The gradient of `f` by `vars` as a reverse-sweep program.
///
/// # Errors
/// [`DiffError::TooLarge`] when the store outgrows its bound.
pub fn gradient_program(store: &mut Store, f: ExprId, vars: &[Sym]) -> Result<Program, DiffError> {
    let mut names = Names::new("t");
    let steps = forward_steps(store, f, &mut names);
    let mut d = Differentiator::default();
    let mut program = Program::default();
    for s in &steps {
        program.statements.push((s.sym, s.local));
    }
    // adjoint contributions, accumulated from the output back
    let mut adj = Adjoints::new(store.sym_count());
    let mut terms = Vec::new();
    let one = store.int(1);
    let output = match steps.last() {
        Some(s) => s.sym,
        None => {
            // f is a leaf: its gradient is 1 for itself, else 0
            let g = vars
                .iter()
                .map(|v| store.int(i64::from(matches!(store.node(f), Node::Var(s) if s == v))))
                .collect();
            return Ok(Program {
                statements: vec![],
                results: g,
            });
        }
    };
    adj.push(output, one);
    let mut bar_names = Names::new("g");
    for s in steps.iter().rev() {
        if !adj.take(s.sym, &mut terms) {
            continue;
        }
        let a = store.add(&terms);
        let a = if matches!(store.node(a), Node::Num(_) | Node::Var(_)) {
            a
        } else {
            let n = bar_names.fresh(store);
            program.statements.push((n, a));
            store.var_sym(n)
        };
        let me = store.var_sym(s.sym);
        // each step's local is a node or two of its own: what was memoized
        // for the last step is of no use here, and kept, it grew the tables
        // to 360,000 entries (W3, N=10000), each lookup a cache miss
        d.forget();
        for &o in &s.operands {
            let p = d.diff(store, s.local, o)?;
            // reuse the step's own value: d exp(u)/du = exp(u) is the step itself
            let p = substitute(store, p, s.local, me);
            let term = store.mul(&[a, p]);
            adj.push(o, term);
        }
    }
    program.results = vars
        .iter()
        .map(|v| {
            adj.take(*v, &mut terms);
            store.add(&terms)
        })
        .collect();
    program.drop_unused(store);
    Ok(program)
}

/// `e` with every occurrence of the subexpression `from` replaced by `to`.
pub fn substitute(store: &mut Store, e: ExprId, from: ExprId, to: ExprId) -> ExprId {
    if from == to {
        return e;
    }
    if e == from {
        return to;
    }
    if store.depth(e) <= store.depth(from) {
        // a node above `from` is deeper: nothing below `e` changes (the
        // partials of a gradient program's steps mostly: `∂(t3*t4)/∂t3 =
        // t4`, `∂sin(t2)/∂t2 = cos(t2)`), without a walk or a table
        return e;
    }
    let order = store.reachable(&[e]);
    if order.binary_search(&from).is_err() {
        // every node rebuilds as itself
        return e;
    }
    let mut map = IdMap::for_order(&order);
    for id in order {
        let new = if id == from {
            to
        } else {
            let kids: SmallVec<[ExprId; 4]> =
                store.node(id).children().iter().map(|c| map[c]).collect();
            store.rebuild(id, &kids)
        };
        map.insert(id, new);
    }
    map[&e]
}

impl Program {
    /// Removes statements that no later statement or result uses.
    fn drop_unused(&mut self, store: &Store) {
        // the names used, by index, and the nodes already walked (each is
        // visited once over all the marks, [`Marks`]), where hash sets
        // read a cold slot per node and per name, and took 19 times as
        // long at N=10000 as at N=1000
        let mut used = vec![false; store.sym_count()];
        let mut seen = Marks::new(store);
        let mut mark = |used: &mut Vec<bool>, e: ExprId| {
            seen.walk(store, &[e], |id| {
                if let Node::Var(s) = store.node(id) {
                    used[s.index()] = true;
                }
            });
        };
        for r in &self.results {
            mark(&mut used, *r);
        }
        let mut keep = vec![false; self.statements.len()];
        for (i, (s, e)) in self.statements.iter().enumerate().rev() {
            if used[s.index()] {
                keep[i] = true;
                mark(&mut used, *e);
            }
        }
        let mut k = keep.into_iter();
        self.statements.retain(|_| k.next().unwrap_or(false));
    }
}

/// The forward sweep: every variable-dependent node once, sums and products
/// of more than two operands split into chains.
fn forward_steps(store: &mut Store, f: ExprId, names: &mut Names) -> Vec<Step> {
    let order = store.dependent_ops(&[f]);
    // the name of each node of `order` once it has one, in a table by node
    // id: the lookups of a node's operands read entries near its own
    const NO_NAME: Sym = Sym(u32::MAX);
    let mut name_of = ById::for_order(&order, NO_NAME);
    let mut steps = Vec::new();
    for id in order {
        let node = store.node(id);
        // what the steps below need of the node, read before they build
        let (list, product) = (
            matches!(node, Node::Add(_) | Node::Mul(_)),
            matches!(node, Node::Mul(_)),
        );
        let children: SmallVec<[ExprId; 4]> = SmallVec::from_slice(node.children());
        let mut operands: SmallVec<[Sym; 2]> = SmallVec::new();
        let kids: SmallVec<[ExprId; 4]> = children
            .iter()
            .map(|&c| {
                match (
                    Some(name_of.get(c)).filter(|&s| s != NO_NAME),
                    store.node(c),
                ) {
                    (Some(s), _) => {
                        operands.push(s);
                        store.var_sym(s)
                    }
                    (None, Node::Var(s)) => {
                        operands.push(*s);
                        c
                    }
                    _ => c,
                }
            })
            .collect();
        let sym = if list && operands.len() > 2 {
            chain(store, product, &kids, names, &mut steps)
        } else {
            let local = store.rebuild(id, &kids);
            let sym = names.fresh(store);
            operands.dedup();
            steps.push(Step {
                sym,
                local,
                operands,
            });
            sym
        };
        name_of.insert(id, sym);
    }
    steps
}

/// `k1 ∘ k2 ∘ ... ∘ kn` as `t = k1 ∘ k2; t' = t ∘ k3; ...` (constants ride
/// along with the first link).
fn chain(
    store: &mut Store,
    product: bool,
    kids: &[ExprId],
    names: &mut Names,
    steps: &mut Vec<Step>,
) -> Sym {
    let (vars, consts): (Vec<ExprId>, Vec<ExprId>) = kids
        .iter()
        .partition(|&&k| matches!(store.node(k), Node::Var(_)));
    let combine = |store: &mut Store, xs: &[ExprId]| {
        if product {
            store.mul(xs)
        } else {
            store.add(xs)
        }
    };
    let sym_of = |store: &Store, k: ExprId| match store.node(k) {
        Node::Var(s) => *s,
        _ => unreachable_sym(),
    };
    let mut acc: Option<Sym> = None;
    for (i, &k) in vars.iter().enumerate() {
        if i == 0 {
            continue;
        }
        let left = match acc {
            Some(s) => store.var_sym(s),
            None => vars[0],
        };
        let mut xs = vec![left, k];
        if i == 1 {
            xs.extend(&consts);
        }
        let local = combine(store, &xs);
        let sym = names.fresh(store);
        let mut operands: SmallVec<[Sym; 2]> =
            SmallVec::from_slice(&[sym_of(store, left), sym_of(store, k)]);
        operands.dedup();
        steps.push(Step {
            sym,
            local,
            operands,
        });
        acc = Some(sym);
    }
    acc.unwrap_or_else(unreachable_sym)
}

/// Operands of chains are always names (variables); this never runs.
fn unreachable_sym() -> Sym {
    Sym(u32::MAX)
}

/// Names each non-leaf subexpression that the results reach more than once.
pub fn common_subexpressions(store: &mut Store, roots: &[ExprId]) -> Program {
    let order = store.reachable(roots);
    let mut uses: FxHashMap<ExprId, usize> = FxHashMap::default();
    for &id in &order {
        for &c in store.node(id).children() {
            *uses.entry(c).or_default() += 1;
        }
    }
    for r in roots {
        *uses.entry(*r).or_default() += 1;
    }
    let shared: FxHashSet<ExprId> = order
        .iter()
        .copied()
        .filter(|id| uses.get(id).copied().unwrap_or(0) > 1)
        .filter(|id| {
            !matches!(
                store.node(*id),
                Node::Num(_) | Node::Const(_) | Node::Var(_)
            )
        })
        .collect();
    let mut names = Names::new("t");
    let is_root: FxHashSet<ExprId> = roots.iter().copied().collect();
    let mut rewritten: FxHashMap<ExprId, ExprId> = FxHashMap::default();
    let mut program = Program::default();
    for id in order {
        let kids: Vec<ExprId> = store.operands(id).iter().map(|c| rewritten[c]).collect();
        let e = store.rebuild(id, &kids);
        let e = if shared.contains(&id) && !is_root.contains(&id) {
            let s = names.fresh(store);
            program.statements.push((s, e));
            store.var_sym(s)
        } else {
            e
        };
        rewritten.insert(id, e);
    }
    program.results = roots.iter().map(|r| rewritten[r]).collect();
    program
}

#[cfg(test)]
mod tests;
