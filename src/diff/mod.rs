//! Symbolic differentiation: partial derivatives of any order, gradients,
//! Hessians and Jacobians.
//!
//! A [`Differentiator`] memoizes `(node, variable) → derivative`, so a
//! subexpression shared in the graph is differentiated once per variable, and
//! a subterm that does not depend on the variable is `0` without being
//! visited twice. Nodes are processed in ascending id order (children first),
//! never by recursion, so deep expressions cannot overflow the stack.

pub mod rules;

use rustc_hash::FxHashMap;

use crate::expr::{ExprId, Node, Store, Sym};

/// Differentiation errors.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum DiffError {
    /// The expression graph outgrew its bound.
    #[error("the expression grew past {limit} nodes; raise the limit with --max-nodes")]
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
    memo: FxHashMap<(ExprId, Sym), ExprId>,
    deps: FxHashMap<ExprId, Box<[Sym]>>,
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
            deps: FxHashMap::default(),
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
        if let Some(&d) = self.memo.get(&(f, var)) {
            return Ok(d);
        }
        if s.is_nan(f) {
            // the derivative of the undefined constant is undefined (it
            // absorbs every expression that holds it, so it is all of f)
            return Ok(f);
        }
        let zero = s.int(0);
        self.index_deps(s, f);
        // the nodes below f that depend on var and are not memoized yet;
        // subgraphs that do not depend on var are never visited
        let mut order = Vec::new();
        let mut stack = vec![f];
        let mut seen = rustc_hash::FxHashSet::default();
        while let Some(id) = stack.pop() {
            if self.memo.contains_key(&(id, var)) || !seen.insert(id) {
                continue;
            }
            if !self.depends(id, var) {
                // no memo entry: a missing derivative reads as zero
                continue;
            }
            order.push(id);
            stack.extend_from_slice(s.node(id).children());
        }
        order.sort_unstable();
        for id in order {
            // children come first (smaller ids), so their derivatives are memoized
            let d = self.rule(s, id, var);
            self.memo.insert((id, var), d);
            if let Some(o) = s.overflowed() {
                return Err(DiffError::Overflow(o));
            }
            if s.len() > self.max_nodes {
                return Err(DiffError::TooLarge {
                    limit: self.max_nodes,
                });
            }
        }
        Ok(self.memo.get(&(f, var)).copied().unwrap_or(zero))
    }

    /// Records, for every node below `f`, the variables it depends on.
    fn index_deps(&mut self, s: &Store, f: ExprId) {
        if self.deps.contains_key(&f) {
            return;
        }
        for id in s.reachable(&[f]) {
            if self.deps.contains_key(&id) {
                continue;
            }
            let mut vars: Vec<Sym> = match s.node(id) {
                Node::Var(v) => vec![*v],
                n => n
                    .children()
                    .iter()
                    .flat_map(|c| self.deps[c].iter().copied())
                    .collect(),
            };
            vars.sort_unstable();
            vars.dedup();
            self.deps.insert(id, vars.into());
        }
    }

    fn depends(&self, id: ExprId, var: Sym) -> bool {
        self.deps
            .get(&id)
            .is_some_and(|v| v.binary_search(&var).is_ok())
    }

    /// The derivative of one node from its children's (already memoized).
    fn rule(&mut self, s: &mut Store, id: ExprId, var: Sym) -> ExprId {
        let zero = s.int(0);
        let d = |me: &Self, c: &ExprId| me.memo.get(&(*c, var)).copied().unwrap_or(zero);
        match s.node(id).clone() {
            Node::Num(_) | Node::Const(_) => s.int(0),
            Node::Var(v) => s.int(i64::from(v == var)),
            Node::Add(xs) => {
                let ds: Vec<ExprId> = xs
                    .iter()
                    .filter(|c| self.depends(**c, var))
                    .map(|c| d(self, c))
                    .collect();
                s.add(&ds)
            }
            Node::Mul(xs) => self.product_rule(s, &xs, var),
            Node::Pow([b, e]) => {
                let (db, de) = (d(self, &b), d(self, &e));
                power_rule(s, id, b, e, db, de)
            }
            Node::Call(f, args) => {
                let mut terms = Vec::new();
                for (i, a) in args.iter().enumerate() {
                    let da = d(self, a);
                    if s.as_num(da).is_some_and(|n| n.is_zero()) {
                        continue;
                    }
                    let p = rules::partial(s, f, &args, i, id);
                    terms.push(s.mul(&[p, da]));
                }
                s.add(&terms)
            }
        }
    }

    fn product_rule(&self, s: &mut Store, xs: &[ExprId], var: Sym) -> ExprId {
        let mut terms = Vec::new();
        for (i, x) in xs.iter().enumerate() {
            let Some(&dx) = self.memo.get(&(*x, var)) else {
                continue;
            };
            if s.as_num(dx).is_some_and(|n| n.is_zero()) {
                continue;
            }
            let mut factors: Vec<ExprId> = xs
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, y)| *y)
                .collect();
            factors.push(dx);
            terms.push(s.mul(&factors));
        }
        s.add(&terms)
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
        vars.iter().map(|&v| self.diff(s, f, v)).collect()
    }

    /// The Hessian; each pair `i <= j` is differentiated once and mirrored.
    ///
    /// # Errors
    /// [`DiffError::TooLarge`] when the store outgrows the bound.
    pub fn hessian(
        &mut self,
        s: &mut Store,
        f: ExprId,
        vars: &[Sym],
    ) -> Result<Vec<Vec<ExprId>>, DiffError> {
        let g = self.gradient(s, f, vars)?;
        let n = vars.len();
        let mut h = vec![vec![ExprId(0); n]; n];
        for i in 0..n {
            for j in i..n {
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
        fs.iter().map(|&f| self.gradient(s, f, vars)).collect()
    }
}

/// `d(b^e) = b^e * (e' * ln(b) + e * b'/b)`, with the usual shortcuts.
fn power_rule(s: &mut Store, id: ExprId, b: ExprId, e: ExprId, db: ExprId, de: ExprId) -> ExprId {
    let zero = |s: &Store, x: ExprId| s.as_num(x).is_some_and(|n| n.is_zero());
    if zero(s, de) {
        let m1 = s.int(-1);
        let e1 = s.add(&[e, m1]);
        let p = s.pow(b, e1);
        return s.mul(&[e, p, db]);
    }
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
