//! Symbolic differentiation: partial derivatives of any order, gradients,
//! Hessians and Jacobians.
//!
//! A [`Differentiator`] memoizes `(node, variable) → derivative`, so a
//! subexpression shared in the graph is differentiated once per variable.
//! A gradient keeps each variable's derivatives by node id instead, for
//! the one sweep that reads them: near in memory where the nodes are.
//! Nodes are processed in ascending id order (children first), never by
//! recursion, so deep expressions cannot overflow the stack.
//!
//! # Cost
//!
//! Each node knows the set of variables below it ([`deps::Deps`], built
//! once, bottom-up, sets shared between a node and a child that holds them
//! all), and a wide sum or product keeps an inverted index from a variable
//! to the operands that depend on it. Differentiating by `v` therefore
//! visits only the nodes on paths that lead to `v` (its *cone*), and a rule
//! reads only the operands that depend on `v`: `∂f/∂v` costs the size of
//! the cone of `v` plus the size of what it builds, never the size of the
//! graph. A gradient costs `Σ_v |cone(v)|` = the total size of the
//! dependency sets, which is linear in the graph when each node depends on
//! a bounded number of variables (a sum of local terms, such as the
//! Rosenbrock function: 2N terms, each of two variables), and at worst
//! nodes × variables when every node depends on every variable. A Hessian
//! differentiates only the pairs `(i, j)` where gradient component `i`
//! depends on variable `j`; the others are `0` without a visit.
//!
//! Why forward rules and not a reverse sweep: an adjoint accumulated over
//! the shared graph distributes products over sums (`cos(g*h)*h*g' +
//! cos(g*h)*g*h'` where the forward rule gives `cos(g*h)*(g'*h + g*h')`), so
//! its canonical form can be larger than the forward rule's. The printed
//! results keep the forward rule's compact form; the reverse sweep is
//! `--cse` ([`crate::cse::gradient_program`]).

pub mod deps;
pub mod rules;

use rustc_hash::FxHashMap;
use smallvec::SmallVec;

use deps::{Deps, Walk};

use crate::expr::{ExprId, Node, Store, Sym};

/// Differentiation errors.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum DiffError {
    /// The expression graph outgrew its bound.
    #[error("the expression grew past {limit} nodes")]
    TooLarge {
        /// The bound in nodes.
        limit: usize,
    },
    /// A bound of the store was hit (exact number size, depth, graph size).
    #[error(transparent)]
    Overflow(#[from] crate::expr::Overflow),
}

/// Default bound on the size of the expression store.
pub const DEFAULT_MAX_NODES: usize = 4_000_000;

/// Memoized symbolic differentiation.
#[derive(Debug, Clone)]
pub struct Differentiator {
    memo: FxHashMap<(ExprId, Sym), D>,
    deps: Deps,
    walk: Walk,
    /// The work lists of [`Differentiator::cone`], kept between calls.
    order: Vec<ExprId>,
    stack: Vec<ExprId>,
    /// A gradient's sweeps, one variable each, keep their derivatives here
    /// instead of in `memo`: by node id (an entry counts where its stamp is
    /// the sweep's), so that a rule finds its operands' near in memory, as
    /// the nodes are, rather than scattered over a hash table.
    dense: Vec<(u32, D)>,
    stamp: u32,
    /// Whether the sweep under way keeps its derivatives in `dense`.
    sweeping: bool,
    /// `∂f/∂(argument i)` of each call `f(args)`, and `b^(e - 1)` of each
    /// power with an exponent free of the variables, asked so far, by the
    /// node's id and `i` ([`Differentiator::partial`]): a gradient asks it
    /// once for each variable below the node (`tanh(w1*x1 + w1*x2 + b)`:
    /// three times).
    partials: FxHashMap<(ExprId, u32), ExprId>,
    max_nodes: usize,
}

impl Default for Differentiator {
    fn default() -> Self {
        Differentiator::new(DEFAULT_MAX_NODES)
    }
}

impl Differentiator {
    /// A differentiator that fails once the store holds `max_nodes` nodes.
    pub fn new(max_nodes: usize) -> Differentiator {
        Differentiator {
            memo: FxHashMap::default(),
            deps: Deps::default(),
            walk: Walk::default(),
            order: Vec::new(),
            stack: Vec::new(),
            dense: Vec::new(),
            stamp: 0,
            sweeping: false,
            partials: FxHashMap::default(),
            max_nodes,
        }
    }

    /// `∂f/∂var`.
    ///
    /// # Errors
    /// [`DiffError::TooLarge`] when the store outgrows the bound.
    ///
    /// ```
    /// use deriv::{diff::Differentiator, expr::Store, print::infix};
    /// let mut s = Store::new();
    /// let x = s.var("x");
    /// let f = s.powi(x, 3);
    /// let sym = s.find_sym("x").expect("interned");
    /// let d = Differentiator::default().diff(&mut s, f, sym)?;
    /// assert_eq!(infix(&s, d), "3*x^2");
    /// # Ok::<(), deriv::diff::DiffError>(())
    /// ```
    pub fn diff(&mut self, s: &mut Store, f: ExprId, var: Sym) -> Result<ExprId, DiffError> {
        self.derive(s, f, var)
    }

    /// Forgets the derivatives and partials memoized so far, keeping the
    /// tables' room: for a caller whose next questions share nothing with
    /// the last (the steps of [`crate::cse::gradient_program`], each a
    /// node or two of its own), so that the tables stay as small as one
    /// question's, not hundreds of thousands of entries that each lookup
    /// misses the caches on.
    pub(crate) fn forget(&mut self) {
        self.memo.clear();
        self.partials.clear();
    }

    /// `∂f/∂var` in a sweep of its own, its derivatives kept in `dense`
    /// (none from `memo` used, none added to it).
    fn sweep(&mut self, s: &mut Store, f: ExprId, var: Sym) -> Result<ExprId, DiffError> {
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.dense.iter_mut().for_each(|e| e.0 = 0);
            self.stamp = 1;
        }
        if self.dense.len() < s.len() {
            self.dense.resize(s.len(), (0, D::NONE));
        }
        self.sweeping = true;
        let d = self.derive(s, f, var);
        self.sweeping = false;
        d
    }

    /// The memoized `∂id/∂var`: from the sweep under way, or from `memo`.
    fn known(&self, id: ExprId, var: Sym) -> Option<D> {
        if self.sweeping {
            self.dense
                .get(id.index())
                .filter(|e| e.0 == self.stamp)
                .map(|e| e.1)
        } else {
            self.memo.get(&(id, var)).copied()
        }
    }

    fn remember(&mut self, id: ExprId, var: Sym, d: D) {
        if self.sweeping {
            let i = id.index();
            if i >= self.dense.len() {
                self.dense.resize(i + 1, (0, D::NONE));
            }
            self.dense[i] = (self.stamp, d);
        } else {
            self.memo.insert((id, var), d);
        }
    }

    fn derive(&mut self, s: &mut Store, f: ExprId, var: Sym) -> Result<ExprId, DiffError> {
        if let Some(d) = self.known(f, var) {
            return Ok(d.build(s));
        }
        if s.is_nan(f) {
            // the derivative of the undefined constant is undefined (it
            // absorbs every expression that holds it, so it is all of f)
            return Ok(f);
        }
        let zero = s.int(0);
        let depends = if alone(s, var) {
            !s.is_closed(f)
        } else {
            self.deps.index(s, f);
            self.deps.depends(f, var)
        };
        if !depends {
            return Ok(zero);
        }
        let order = self.cone(s, f, var);
        let done = self.apply_rules(s, &order, var);
        self.order = order;
        done?;
        Ok(self.known(f, var).map_or(zero, |d| d.build(s)))
    }

    /// The derivatives by `var` of the nodes of `order`, children first
    /// (smaller ids), so that each rule finds its operands' memoized.
    fn apply_rules(&mut self, s: &mut Store, order: &[ExprId], var: Sym) -> Result<(), DiffError> {
        for &id in order {
            let d = self.rule(s, id, var);
            self.remember(id, var, d);
            if let Some(o) = s.overflowed() {
                return Err(DiffError::Overflow(o));
            }
            if s.len() > self.max_nodes {
                return Err(DiffError::TooLarge {
                    limit: self.max_nodes,
                });
            }
        }
        Ok(())
    }

    /// The nodes below `f` that depend on `var` and are not memoized yet, in
    /// ascending id order. Only the operands that lead to `var` are walked
    /// (wide nodes through their inverted index), so this costs the size of
    /// the answer, not of the graph below `f`.
    fn cone(&mut self, s: &Store, f: ExprId, var: Sym) -> Vec<ExprId> {
        if !self.sweeping {
            self.walk.reset(s.len());
        }
        let mut order = std::mem::take(&mut self.order);
        order.clear();
        let mut stack = std::mem::take(&mut self.stack);
        stack.clear();
        stack.push(f);
        while let Some(id) = stack.pop() {
            if !self.first_visit(id, var) {
                continue;
            }
            order.push(id);
            let kids = s.node(id).children();
            stack.extend(self.operands_on(s, id, var).iter().map(|&p| kids[p]));
        }
        order.sort_unstable();
        self.stack = stack;
        order
    }

    /// Whether the walk of [`Differentiator::cone`] meets `id` for the
    /// first time and `id` has no derivative yet. A sweep marks it with
    /// its stamp in `dense` (an entry with no derivative, which the rules
    /// fill in before any node above it asks): a gradient's walk reads
    /// one table by node id, not two.
    fn first_visit(&mut self, id: ExprId, var: Sym) -> bool {
        if self.sweeping {
            let e = &mut self.dense[id.index()];
            if e.0 == self.stamp {
                return false;
            }
            *e = (self.stamp, D::NONE);
            return true;
        }
        self.known(id, var).is_none() && self.walk.visit(id)
    }

    /// The derivative of one node from its children's (already memoized;
    /// a child with no entry does not depend on `var`: its derivative is 0).
    fn rule(&mut self, s: &mut Store, id: ExprId, var: Sym) -> D {
        let zero = s.int(0);
        let d = |me: &Self, c: &ExprId| me.known(*c, var).unwrap_or(D::node(zero));
        match s.node(id) {
            Node::Num(_) | Node::Const(_) => D::node(zero),
            Node::Var(v) => {
                let one = *v == var;
                D::node(s.int(i64::from(one)))
            }
            Node::Add(_) => {
                let on = self.operands_on(s, id, var);
                let xs = s.node(id).children();
                let ds: SmallVec<[D; 8]> = on.iter().map(|&p| d(self, &xs[p])).collect();
                sum_of(s, &ds)
            }
            Node::Mul(_) => self.product_rule(s, id, var),
            Node::Pow(&[b, e]) => {
                let (db, de) = (d(self, &b), d(self, &e));
                if de.is_zero(s) {
                    // d(b^e) = e * b^(e - 1) * b' for an e free of the
                    // variable; b^(e - 1) kept, as a call's partial is
                    let p = self.partial(s, id, 0, |s| {
                        let small = s.as_num(e).and_then(|n| n.as_i64()?.checked_sub(1));
                        let e1 = match small {
                            // an integer: the difference, not a sum built
                            Some(k) => s.int(k),
                            None => {
                                let m1 = s.int(-1);
                                s.add(&[e, m1])
                            }
                        };
                        debug_same!(s, e1, {
                            let m1 = s.int(-1);
                            s.add(&[e, m1])
                        });
                        s.pow(b, e1)
                    });
                    return scaled_product(s, e, p, db);
                }
                let (db, de) = (db.build(s), de.build(s));
                D::node(power_rule(s, id, b, e, db, de))
            }
            Node::Call(f, args) => {
                let (f, args) = (*f, SmallVec::<[ExprId; 4]>::from_slice(args));
                let mut terms: SmallVec<[D; 4]> = SmallVec::new();
                for (i, a) in args.iter().enumerate() {
                    let da = d(self, a);
                    if da.is_zero(s) {
                        continue;
                    }
                    let p = self.partial(s, id, i, |s| rules::partial(s, f, &args, i, id));
                    terms.push(if da.k == ExprId::NONE {
                        D::node(s.mul(&[p, da.n]))
                    } else {
                        da.times_apart(s, p)
                    });
                }
                sum_of(s, &terms)
            }
        }
    }

    /// The positions of the operands of `id` that depend on `var`, in
    /// increasing order: from the index, or, where `var` is the store's
    /// only variable, from each operand's flag (whether it has a variable).
    fn operands_on(&mut self, s: &Store, id: ExprId, var: Sym) -> SmallVec<[usize; 8]> {
        if alone(s, var) {
            let kids = s.node(id).children();
            return (0..kids.len()).filter(|&p| !s.is_closed(kids[p])).collect();
        }
        self.deps.operands_on_small(s, id, var)
    }

    /// The partial derivative of node `id` by its operand `i` (a call's by
    /// an argument; a power's factor `b^(e - 1)`), made by `make`: kept
    /// where `id` depends on more than one variable, so that the next
    /// variable's sweep finds it.
    fn partial(
        &mut self,
        s: &mut Store,
        id: ExprId,
        i: usize,
        make: impl FnOnce(&mut Store) -> ExprId,
    ) -> ExprId {
        let key = (id, i as u32);
        if let Some(&p) = self.partials.get(&key) {
            return p;
        }
        let p = make(s);
        if self.deps.get(id).is_some_and(|vs| vs.len() > 1) && s.overflowed().is_none() {
            self.partials.insert(key, p);
        }
        p
    }

    /// `(x1*...*xk)' = sum_i x1*..*xi'*..*xk` over the factors that depend
    /// on `var`.
    fn product_rule(&mut self, s: &mut Store, id: ExprId, var: Sym) -> D {
        let mut terms: SmallVec<[D; 8]> = SmallVec::new();
        for i in self.operands_on(s, id, var) {
            let xs = s.node(id).children();
            let Some(dx) = self.known(xs[i], var) else {
                continue;
            };
            if dx.is_zero(s) {
                continue;
            }
            terms.push(if dx.k == ExprId::NONE {
                D::node(s.mul_all_but(id, i, dx.n))
            } else {
                // the other factors with dx's coefficient and node: a lone
                // numeric coefficient joins dx's, the rest in one product
                let xs = s.node(id).children();
                if let [c, _] = xs[..]
                    && i == 1
                    && s.as_num(c).is_some()
                {
                    scaled_product(s, c, ExprId::NONE, dx)
                } else {
                    let mut others: SmallVec<[ExprId; 8]> = SmallVec::from_slice(xs);
                    others.remove(i);
                    D::node(dx.times(s, &others))
                }
            });
        }
        sum_of(s, &terms)
    }

    /// The mixed partial `∂^k f / ∂v_k ... ∂v_1`, differentiating by `vars`
    /// in order.
    ///
    /// # Errors
    /// [`DiffError::TooLarge`] when the store outgrows the bound.
    pub fn diff_many(
        &mut self,
        s: &mut Store,
        f: ExprId,
        vars: &[Sym],
    ) -> Result<ExprId, DiffError> {
        vars.iter().try_fold(f, |g, &v| self.diff(s, g, v))
    }

    /// The gradient `[∂f/∂v for v in vars]`.
    ///
    /// # Errors
    /// [`DiffError::TooLarge`] when the store outgrows the bound.
    pub fn gradient(
        &mut self,
        s: &mut Store,
        f: ExprId,
        vars: &[Sym],
    ) -> Result<Vec<ExprId>, DiffError> {
        // one sweep per variable, its derivatives by node id: a gradient
        // looks each one up only while it differentiates by that variable
        self.make_room(s, f, vars.len());
        vars.iter().map(|&v| self.sweep(s, f, v)).collect()
    }

    /// The gradient with every derivative memoized, for the second
    /// derivatives that follow: a Hessian's entries and a Jacobian's rows
    /// share subexpressions with it.
    fn gradient_memo(
        &mut self,
        s: &mut Store,
        f: ExprId,
        vars: &[Sym],
    ) -> Result<Vec<ExprId>, DiffError> {
        self.make_room(s, f, vars.len());
        if self.memo.is_empty() && vars.len() > 1 {
            // about as many derivatives as the store has nodes (Rosenbrock:
            // 1.09 per node at the start): room for them up front, rather
            // than a table grown by doubling, each growth moving every entry
            self.memo.reserve(s.len() + s.len() / 4);
        }
        vars.iter().map(|&v| self.diff(s, f, v)).collect()
    }

    /// Indexes `f` and, for a gradient in more than one variable, makes
    /// room in the store and in the sweeps' table for about twice the
    /// nodes of `f` that were not indexed yet: a gradient builds about as
    /// many (Rosenbrock: 1.9 times), and the tables then grow once rather
    /// than by doubling, each growth copying them whole.
    fn make_room(&mut self, s: &mut Store, f: ExprId, vars: usize) {
        if vars < 2 {
            // one sweep: it indexes what it needs
            return;
        }
        let new = self.deps.index_counting(s, f);
        if new == 0 {
            return;
        }
        s.reserve(2 * new);
        let want = s.len() + 2 * new;
        self.dense.reserve(want.saturating_sub(self.dense.len()));
    }

    /// The Hessian; each pair `i <= j` whose entry can be non-zero (the
    /// gradient component `i` depends on variable `j`) is differentiated
    /// once and mirrored; the others are `0` without a visit.
    ///
    /// # Errors
    /// [`DiffError::TooLarge`] when the store outgrows the bound.
    pub fn hessian(
        &mut self,
        s: &mut Store,
        f: ExprId,
        vars: &[Sym],
    ) -> Result<Vec<Vec<ExprId>>, DiffError> {
        let g = self.gradient_memo(s, f, vars)?;
        let n = vars.len();
        let zero = s.int(0);
        let mut column: FxHashMap<Sym, Vec<usize>> = FxHashMap::default();
        for (j, v) in vars.iter().enumerate() {
            column.entry(*v).or_default().push(j);
        }
        let mut h = vec![vec![zero; n]; n];
        for i in 0..n {
            self.deps.index(s, g[i]);
            let on = self.deps.get(g[i]).unwrap_or(&[]);
            let mut js: Vec<usize> = on
                .iter()
                .filter_map(|v| column.get(v))
                .flatten()
                .copied()
                .filter(|&j| j >= i)
                .collect();
            // in column order, as a dense sweep would: the same nodes are
            // made in the same order, so the output is the same
            js.sort_unstable();
            for j in js {
                let d = self.diff(s, g[i], vars[j])?;
                h[i][j] = d;
                h[j][i] = d;
            }
        }
        Ok(h)
    }

    /// The Jacobian: one row per output, one column per variable.
    ///
    /// # Errors
    /// [`DiffError::TooLarge`] when the store outgrows the bound.
    pub fn jacobian(
        &mut self,
        s: &mut Store,
        fs: &[ExprId],
        vars: &[Sym],
    ) -> Result<Vec<Vec<ExprId>>, DiffError> {
        fs.iter().map(|&f| self.gradient_memo(s, f, vars)).collect()
    }
}

/// `d(b^e) = b^e * (e' * ln(b) + e * b'/b)` for an exponent that depends on the
/// variable (`e'` not 0; the rule for one that does not is in
/// [`Differentiator::rule`]), with the shortcut for `b' = 0`.
fn power_rule(s: &mut Store, id: ExprId, b: ExprId, e: ExprId, db: ExprId, de: ExprId) -> ExprId {
    let zero = |s: &Store, x: ExprId| s.as_num(x).is_some_and(|n| n.is_zero());
    let ln = s.call1(crate::expr::Func::Ln, b);
    let t1 = s.mul(&[de, ln]);
    if zero(s, db) {
        return s.mul(&[id, t1]);
    }
    let rb = s.recip(b);
    let t2 = s.mul(&[e, db, rb]);
    let sum = s.add(&[t1, t2]);
    s.mul(&[id, sum])
}

/// Whether `var` is the only variable of the store: then a node depends
/// on it exactly where it has a variable at all (a flag kept with each
/// node), and the sweep needs no index of the variables below each node
/// (the notes' example, `sin(cos(exp(...(x))))`).
fn alone(s: &Store, var: Sym) -> bool {
    s.sym_count() == 1 && var.index() == 0
}

/// A derivative as the rules pass it on: `k * n`, `k` the node of a
/// number ([`ExprId::NONE`] for 1), `n` canonical. The number stays apart
/// until the derivative is a factor of a product, where it joins the
/// product's coefficient, or a term of a sum, where it scales the terms
/// of `n` ([`Store::add_scaled`]): `2*(x - 1)`, the derivative of
/// `(x - 1)^2`, is never distributed to `2*x - 2` only to be taken apart
/// again by the sum above it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct D {
    k: ExprId,
    n: ExprId,
}

impl D {
    const NONE: D = D {
        k: ExprId::NONE,
        n: ExprId::NONE,
    };

    /// A derivative that is the node `n`.
    fn node(n: ExprId) -> D {
        D { k: ExprId::NONE, n }
    }

    /// Whether it is the number 0.
    fn is_zero(self, s: &Store) -> bool {
        self.k == ExprId::NONE && s.as_num(self.n).is_some_and(|n| n.is_zero())
    }

    /// The derivative as one node.
    fn build(self, s: &mut Store) -> ExprId {
        if self.k == ExprId::NONE {
            self.n
        } else {
            s.scale(self.k, self.n)
        }
    }

    /// `p` times the derivative, its number still apart where every number
    /// is exact (`exp(x^2)' = 2 * x*exp(x^2)`: a sum of such derivatives
    /// with one number keeps it out, [`sum_of`], and no product with it
    /// inside is built only for its content to be taken out again);
    /// otherwise [`D::times`].
    fn times_apart(self, s: &mut Store, p: ExprId) -> D {
        if self.k != ExprId::NONE && exact_numbers(s, self.n) && exact_numbers(s, p) {
            let n = s.mul(&[p, self.n]);
            if s.as_num(n).is_none() && !s.is_nan(n) {
                debug_same!(s, s.scale(self.k, n), self.times(s, &[p]));
                return D { k: self.k, n };
            }
        }
        D::node(self.times(s, &[p]))
    }

    /// The product of `others` and the derivative (built first: with a
    /// float among the numbers, the grouping of the products decides
    /// the rounding).
    fn times(self, s: &mut Store, others: &[ExprId]) -> ExprId {
        let mut fs: SmallVec<[ExprId; 8]> = SmallVec::from_slice(others);
        // with exact numbers only, the number joins the product's at once
        if self.k != ExprId::NONE
            && exact_numbers(s, self.n)
            && others.iter().all(|&x| exact_numbers(s, x))
        {
            fs.push(self.k);
            fs.push(self.n);
        } else {
            fs.push(self.build(s));
        }
        let out = s.mul(&fs);
        debug_same!(s, out, {
            let mut all = others.to_vec();
            all.push(self.build(s));
            s.mul(&all)
        });
        out
    }
}

/// Whether the numbers of `x` (itself, a product's factors, or a sum's
/// terms' coefficients and constant) are all exact: then a product's
/// numbers fold to the same value however its factors are grouped, and a
/// number distributed over a sum scales its terms to the same values
/// however often it is (`-1/3 * (-2/9 * (26.25*t - ss/9))` rounds
/// `26.25` twice, `2/27 * (26.25*t - ss/9)` once).
fn exact_numbers(s: &Store, x: ExprId) -> bool {
    // no float anywhere below (a flag of the node): nothing to look at
    if !s.has_float(x) {
        return true;
    }
    match s.node(x) {
        Node::Num(n) => n.is_exact(),
        Node::Mul(xs) => xs.iter().all(|&f| s.as_num(f).is_none_or(|n| n.is_exact())),
        // a sum's terms are never sums
        Node::Add(ts) => ts.iter().all(|&t| exact_numbers(s, t)),
        _ => true,
    }
}

/// `c * p * d` for a derivative `d` (`p` may be [`ExprId::NONE`] for 1).
/// Where `c` is a number and the rest one node (`d`'s, or `p` where `d`
/// is a number), the numbers are the coefficient, kept apart from it;
/// otherwise the product is built at once.
fn scaled_product(s: &mut Store, c: ExprId, p: ExprId, d: D) -> D {
    // exact numbers only: a float among them makes the result depend on
    // how the products are grouped (its rounding), so it is built as the
    // rules always built it
    let numeric = |s: &Store, x: ExprId| s.as_num(x).is_some_and(|n| n.is_exact());
    // apart only where the rest is a node already (`d`'s, or `p` with
    // `d` a number): a rest built for it alone would be one node more
    // wherever a product, not a sum, takes the derivative; and only where
    // that rest has exact numbers, since the coefficient kept apart is
    // distributed over a sum at once, not factor by factor
    let rest = if p == ExprId::NONE { d.n } else { p };
    let apart = numeric(s, c) && (p == ExprId::NONE || numeric(s, d.n)) && exact_numbers(s, rest);
    let out = if apart {
        let mut nums: SmallVec<[ExprId; 3]> = smallvec::smallvec![c];
        if d.k != ExprId::NONE {
            nums.push(d.k);
        }
        let n = if p == ExprId::NONE {
            d.n
        } else {
            nums.push(d.n);
            p
        };
        // the numbers folded as the constructor folds them
        let k = if nums.len() == 1 { c } else { s.mul(&nums) };
        if !numeric(s, k) || numeric(s, n) {
            // left apart (past a float's range), or nothing symbolic: the
            // product as the constructor makes it
            D::node(s.mul(&[k, n]))
        } else if s.as_num(k).is_some_and(|x| x.is_one()) {
            D::node(n)
        } else {
            D { k, n }
        }
    } else {
        let mut all: SmallVec<[ExprId; 4]> = smallvec::smallvec![c];
        if p != ExprId::NONE {
            all.push(p);
        }
        D::node(d.times(s, &all))
    };
    debug_same!(s, out.build(s), {
        let mut all = vec![c];
        if p != ExprId::NONE {
            all.push(p);
        }
        all.push(d.build(s));
        s.mul(&all)
    });
    out
}

/// The sum of the derivatives the rules made: a lone one is its own sum,
/// and skips the constructor.
fn sum_of(s: &mut Store, terms: &[D]) -> D {
    match terms {
        [one] => *one,
        // one number apart in every term, all numbers exact: it stays
        // apart, outside the sum of the rest
        [first, rest @ ..]
            if first.k != ExprId::NONE
                && rest.iter().all(|d| d.k == first.k)
                && terms.iter().all(|d| exact_numbers(s, d.n)) =>
        {
            let ns: SmallVec<[ExprId; 8]> = terms.iter().map(|d| d.n).collect();
            let n = s.add(&ns);
            let out = if s.as_num(n).is_some() || s.is_nan(n) {
                D::node(s.mul(&[first.k, n]))
            } else {
                D { k: first.k, n }
            };
            debug_same!(s, out.build(s), {
                let parts: SmallVec<[(ExprId, ExprId); 8]> =
                    terms.iter().map(|d| (d.k, d.n)).collect();
                s.add_scaled(&parts)
            });
            out
        }
        _ if terms.iter().all(|d| d.k == ExprId::NONE) => {
            let ns: SmallVec<[ExprId; 8]> = terms.iter().map(|d| d.n).collect();
            D::node(s.add(&ns))
        }
        _ => {
            let parts: SmallVec<[(ExprId, ExprId); 8]> = terms.iter().map(|d| (d.k, d.n)).collect();
            D::node(s.add_scaled(&parts))
        }
    }
}

#[cfg(test)]
mod tests;
