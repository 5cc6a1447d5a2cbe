//! Taylor polynomials and linearizations (the series stage of the pipeline).
//!
//! [`taylor`] propagates truncated multivariate power series in
//! `δ = x − a` through the expression DAG once, in ascending id order
//! (Taylor mode; no recursion, no repeated symbolic differentiation). Each
//! node's series is a list of coefficients over the monomials of total
//! degree at most the order; the coefficients are expressions built with
//! the store's constructors, so an exact point gives exact coefficients
//! (`sin(1)` stays `sin(1)`) and a float point gives floats.
//!
//! Guarantees: the cost is bounded up front by [`SeriesOptions::max_terms`]
//! (the number of monomials, checked before any work) and during the run by
//! [`SeriesOptions::max_nodes`] (growth of the store); allocations are
//! fallible ([`SeriesError::OutOfMemory`], never an abort). A quotient by
//! a series that vanishes at the point is expanded when the singularity is
//! removable (`sin(x)/x` at 0 is `1 - x^2/6 + ...`: valuations carried
//! through the division, see `laurent`), and is [`SeriesError::Pole`] with
//! the pole's order when it is not (`cos(x)/x`). At a point where the
//! expression is not analytic because a power or logarithm meets a zero
//! value, the result is [`SeriesError::NotAnalytic`] naming the
//! subexpression; non-smooth functions (`abs`, `relu`, `max`, ...) follow
//! the derivative conventions of SPEC at their kinks.

mod basis;
mod laurent;
mod ode;
mod poly;
mod power;
mod rules;

use crate::expr::domain::Undefined;
use crate::expr::{ExprId, Node, Store, Sym};
use basis::{Basis, monomial_count};
use poly::{Ctx, Fail, Series};

/// Limits on the size of an expansion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeriesOptions {
    /// Largest number of monomials `C(order + vars, vars)` allowed.
    pub max_terms: usize,
    /// Largest number of expression nodes an expansion may add to the store.
    pub max_nodes: usize,
}

impl SeriesOptions {
    /// The default limit on monomials: 2000 (three variables to order 20,
    /// four to order 12). The cost grows with the number of terms times
    /// the size of the coefficients; in a release build at 2000 terms
    /// `exp(x+y+z)` to order 20 takes 0.2 s and `atan(x+y+z+w)` at an exact
    /// point to order 12 takes 0.5 s (`bench/README.md`). Coefficients that
    /// grow fast at an exact point can cost more; the node budget bounds
    /// them.
    pub const DEFAULT_MAX_TERMS: usize = 2000;
    /// The default limit on new nodes.
    pub const DEFAULT_MAX_NODES: usize = 2_000_000;
}

impl Default for SeriesOptions {
    fn default() -> SeriesOptions {
        SeriesOptions {
            max_terms: Self::DEFAULT_MAX_TERMS,
            max_nodes: Self::DEFAULT_MAX_NODES,
        }
    }
}

/// Why an expansion failed.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum SeriesError {
    /// The polynomial would have more monomials than allowed.
    #[error(
        "a taylor polynomial of order {order} in {vars} variable{} has {terms} terms; \
         the limit is {limit} terms",
        if *vars == 1 { "" } else { "s" }
    )]
    TooManyTerms {
        /// Number of monomials, saturating at `u128::MAX`.
        terms: u128,
        /// The limit in force.
        limit: usize,
        /// The order asked for.
        order: u32,
        /// The number of expansion variables.
        vars: usize,
    },
    /// The coefficients grew past the node budget.
    #[error("the taylor coefficients grew past {limit} expression nodes (lower the order)")]
    TooLarge {
        /// The limit in force.
        limit: usize,
    },
    /// A power or logarithm of a subexpression whose value at the point is zero.
    #[error("the expression is not analytic at the point: subexpression #{} is singular there", at.0)]
    NotAnalytic {
        /// The subexpression (a power, `log`, `cbrt`, `atan2`, ...).
        at: ExprId,
    },
    /// The monomial tables or the coefficient vectors do not fit in memory.
    #[error("a taylor polynomial with {terms} terms does not fit in memory (lower the order)")]
    OutOfMemory {
        /// Number of monomials, saturating at `u128::MAX`.
        terms: u128,
    },
    /// A quotient with a pole at the point (`cos(x)/x`, `1/x^2`).
    #[error("the expression has a pole of order {order} at the point: subexpression #{} is singular there", at.0)]
    Pole {
        /// The subexpression with the pole.
        at: ExprId,
        /// The pole's order.
        order: u32,
    },
    /// A bound of the store was hit (exact number size, depth, graph size).
    #[error(transparent)]
    Overflow(#[from] crate::expr::Overflow),
    /// A variable appears twice in the point.
    #[error("variable `{name}` is given twice in the point")]
    DuplicateVariable {
        /// The variable's name.
        name: String,
    },
}

/// A Taylor polynomial `Σ c · Π (x_i − a_i)^k_i`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taylor {
    /// The expansion variables, in the order of the point.
    pub vars: Vec<Sym>,
    /// The expansion point, one value per variable.
    pub center: Vec<ExprId>,
    /// The order (total degree) of the truncation.
    pub order: u32,
    /// The non-zero coefficients by exponent vector over `vars`, sorted by
    /// total degree, then by exponents in descending lexicographic order
    /// (`x^2` before `x*y` before `y^2`).
    pub terms: Vec<(Vec<u32>, ExprId)>,
    /// Subexpressions without a real value at the point (a pole such as
    /// `tan(x)` at `pi/2`, or outside the domain such as `sqrt(x)` at `-1`),
    /// at most three, innermost first: the coefficients that depend on them
    /// are undefined (`sqrt(-1)`, `0^(-1)`). As for values outside the
    /// domain, this is not an error; the CLI warns.
    pub undefined: Vec<ExprId>,
}

impl Taylor {
    /// The polynomial as one expression in the variables.
    ///
    /// ```
    /// use deriv::expr::{Func, Store};
    /// use deriv::series::{taylor, SeriesOptions};
    /// # fn main() -> Result<(), deriv::series::SeriesError> {
    /// let mut s = Store::new();
    /// let x = s.var("x");
    /// let f = s.call1(Func::Exp, x);
    /// let point = [(s.sym("x"), s.int(0))];
    /// let t = taylor(&mut s, f, &point, 1, &SeriesOptions::default())?;
    /// let one = s.int(1);
    /// assert_eq!(t.to_expr(&mut s), s.add(&[one, x]));
    /// # Ok(()) }
    /// ```
    pub fn to_expr(&self, store: &mut Store) -> ExprId {
        let deltas: Vec<ExprId> = self
            .vars
            .iter()
            .zip(&self.center)
            .map(|(&v, &a)| {
                let x = store.var_sym(v);
                store.sub(x, a)
            })
            .collect();
        let mut sum = Vec::with_capacity(self.terms.len());
        for (exps, c) in &self.terms {
            let mut factors = vec![*c];
            for (&d, &k) in deltas.iter().zip(exps) {
                if k > 0 {
                    factors.push(store.powi(d, i64::from(k)));
                }
            }
            sum.push(store.mul(&factors));
        }
        store.add(&sum)
    }
}

/// The Taylor polynomial of `f` of total degree `order` at `point`.
///
/// Variables of `f` not in `point` are parameters: they stay symbolic in
/// the coefficients.
///
/// ```
/// use deriv::expr::{Func, Store};
/// use deriv::series::{taylor, SeriesOptions};
/// # fn main() -> Result<(), deriv::series::SeriesError> {
/// let mut s = Store::new();
/// let x = s.var("x");
/// let f = s.call1(Func::Exp, x);
/// let point = [(s.sym("x"), s.int(0))];
/// let t = taylor(&mut s, f, &point, 3, &SeriesOptions::default())?;
/// let coeffs: Vec<_> = t.terms.iter().map(|(_, c)| *c).collect();
/// assert_eq!(coeffs, [s.int(1), s.int(1), s.frac(1, 2), s.frac(1, 6)]);
/// # Ok(()) }
/// ```
///
/// # Errors
/// [`SeriesError::TooManyTerms`] when `C(order + n, n)` exceeds
/// `opts.max_terms` for `n` variables; [`SeriesError::TooLarge`] when the
/// coefficients need more than `opts.max_nodes` new nodes;
/// [`SeriesError::NotAnalytic`] when a power, logarithm, `cbrt` or `atan2`
/// meets a zero value at the point (for order ≥ 1) and the singularity is
/// not a removable one of a quotient; [`SeriesError::Pole`] for a quotient
/// with a pole there; [`SeriesError::OutOfMemory`] when the monomial tables
/// cannot be allocated;
/// [`SeriesError::DuplicateVariable`] when the point names a variable twice.
///
/// ```
/// use deriv::expr::Store;
/// use deriv::parse::{parse_expr, ParseOptions};
/// use deriv::series::{taylor, SeriesOptions};
/// let mut s = Store::new();
/// let f = parse_expr(&mut s, "sin(x)/x", &ParseOptions::default()).unwrap();
/// let point = [(s.sym("x"), s.int(0))];
/// let t = taylor(&mut s, f, &point, 4, &SeriesOptions::default()).unwrap();
/// let coeffs: Vec<_> = t.terms.iter().map(|(_, c)| *c).collect();
/// assert_eq!(coeffs, [s.int(1), s.frac(-1, 6), s.frac(1, 120)]);
/// ```
pub fn taylor(
    store: &mut Store,
    f: ExprId,
    point: &[(Sym, ExprId)],
    order: u32,
    opts: &SeriesOptions,
) -> Result<Taylor, SeriesError> {
    check_point(store, point)?;
    let terms = monomial_count(point.len(), order);
    if terms > opts.max_terms as u128 {
        return Err(SeriesError::TooManyTerms {
            terms,
            limit: opts.max_terms,
            order,
            vars: point.len(),
        });
    }
    let (mut result, mut extra) = run(store, f, point, order, opts);
    let mut high = order;
    // divisions by series that vanish at the point: run again with the
    // orders they cost (a few times, while a valuation is still past the
    // order computed), and drop the terms past the order asked for
    for _ in 0..4 {
        let need = u32::try_from(extra)
            .ok()
            .and_then(|k| order.checked_add(k))
            .unwrap_or(u32::MAX);
        if need <= high {
            break;
        }
        high = need;
        let high_terms = monomial_count(point.len(), high);
        if high_terms > (opts.max_terms as u128).saturating_mul(4) {
            return Err(SeriesError::TooManyTerms {
                terms: high_terms,
                limit: opts.max_terms,
                order: high,
                vars: point.len(),
            });
        }
        (result, extra) = run(store, f, point, high, opts);
    }
    let mut t = result?;
    if high == order {
        return Ok(t);
    }
    t.order = order;
    t.terms
        .retain(|(e, _)| e.iter().map(|&k| u64::from(k)).sum::<u64>() <= u64::from(order));
    Ok(t)
}

/// One expansion at `order`, and the orders lost to divisions by series
/// that vanish at the point.
fn run(
    store: &mut Store,
    f: ExprId,
    point: &[(Sym, ExprId)],
    order: u32,
    opts: &SeriesOptions,
) -> (Result<Taylor, SeriesError>, usize) {
    let terms = monomial_count(point.len(), order);
    let Some(basis) = Basis::try_new(point.len(), order) else {
        return (Err(SeriesError::OutOfMemory { terms }), 0);
    };
    let mut ctx = Ctx::new(store, basis, opts.max_nodes);
    let series = propagate(&mut ctx, f, point);
    let extra = ctx.extra_order;
    if let Some(o) = ctx.store.overflowed() {
        return (Err(SeriesError::Overflow(o)), 0);
    }
    let series = series.map_err(|(fail, at)| match fail {
        Fail::Singular => SeriesError::NotAnalytic { at },
        Fail::TooLarge => SeriesError::TooLarge {
            limit: opts.max_nodes,
        },
        Fail::Memory => SeriesError::OutOfMemory { terms },
        Fail::Pole(order) => SeriesError::Pole { at, order },
    });
    let t = series.map(|(series, undefined)| Taylor {
        vars: point.iter().map(|p| p.0).collect(),
        center: point.iter().map(|p| p.1).collect(),
        order,
        terms: (0..series.len())
            .filter(|&m| !ctx.is_zero(series[m]))
            .map(|m| (ctx.basis.exponents(m).to_vec(), series[m]))
            .collect(),
        undefined,
    });
    (t, extra)
}

/// The linearization `f(a) + ∇f(a)·(x − a)`: [`taylor`] of order 1.
///
/// ```
/// use deriv::expr::Store;
/// use deriv::series::{linearize, SeriesOptions};
/// # fn main() -> Result<(), deriv::series::SeriesError> {
/// let mut s = Store::new();
/// let (u, v) = (s.var("u"), s.var("v"));
/// let u2 = s.powi(u, 2);
/// let f = s.mul(&[u2, v]);
/// let point = [(s.sym("u"), s.int(1)), (s.sym("v"), s.int(3))];
/// let t = linearize(&mut s, f, &point, &SeriesOptions::default())?;
/// let coeffs: Vec<_> = t.terms.iter().map(|(_, c)| *c).collect();
/// assert_eq!(coeffs, [s.int(3), s.int(6), s.int(1)]);
/// # Ok(()) }
/// ```
///
/// # Errors
/// As [`taylor`].
pub fn linearize(
    store: &mut Store,
    f: ExprId,
    point: &[(Sym, ExprId)],
    opts: &SeriesOptions,
) -> Result<Taylor, SeriesError> {
    taylor(store, f, point, 1, opts)
}

fn check_point(store: &Store, point: &[(Sym, ExprId)]) -> Result<(), SeriesError> {
    for (i, (s, _)) in point.iter().enumerate() {
        if point[..i].iter().any(|(t, _)| t == s) {
            return Err(SeriesError::DuplicateVariable {
                name: store.name(*s).to_string(),
            });
        }
    }
    Ok(())
}

/// The series of `f`, node by node in ascending id order; a child's series
/// is dropped after its last use. The error carries the failing node.
/// The series of `f`, and the innermost subexpressions whose value at the
/// point has no real value.
fn propagate(
    ctx: &mut Ctx,
    f: ExprId,
    point: &[(Sym, ExprId)],
) -> Result<(Series, Vec<ExprId>), (Fail, ExprId)> {
    let ids = ctx.store.reachable(&[f]);
    let pos = |id: ExprId| ids.binary_search(&id).ok();
    let mut uses = vec![0usize; ids.len()];
    for &id in &ids {
        for &c in ctx.store.operands(id) {
            if let Some(p) = pos(c) {
                uses[p] += 1;
            }
        }
    }
    let mut depends = vec![false; ids.len()];
    let mut undefined = Undefined::default();
    let mut bad = vec![false; ids.len()];
    let mut sources = Vec::new();
    let mut series: Vec<Series> = vec![Vec::new(); ids.len()];
    let mut shifts: Vec<Option<Vec<u32>>> = vec![None; ids.len()];
    for (i, &id) in ids.iter().enumerate() {
        let node = ctx.store.node(id);
        let kids: Vec<usize> = node.children().iter().filter_map(|&c| pos(c)).collect();
        depends[i] = match node {
            Node::Var(&s) => point.iter().any(|p| p.0 == s),
            _ => kids.iter().any(|&k| depends[k]),
        };
        series[i] = if !depends[i] {
            vec![id]
        } else if let Node::Var(&s) = node {
            variable(ctx, point, s)
        } else {
            let args: Vec<&[ExprId]> = kids.iter().map(|&k| series[k].as_slice()).collect();
            let pending: Vec<Option<&Vec<u32>>> =
                kids.iter().map(|&k| shifts[k].as_ref()).collect();
            let (s, shift) = node_series(ctx, id, Shape::of(node), &args, &pending, point)
                .map_err(|e| (e, id))?;
            shifts[i] = shift;
            s.into_iter().map(|c| ctx.normal(c)).collect()
        };
        ctx.check().map_err(|e| (e, id))?;
        // no real value at the point (sqrt(x) at x=-1 gives sqrt(-1)
        // coefficients, tan(x) at pi/2 0^(-1) ones): note the innermost
        if let Some(&c0) = series[i].first() {
            bad[i] = ctx.store.is_undefined(c0, &mut undefined);
            if bad[i] && !kids.iter().any(|&k| bad[k]) && sources.len() < 3 {
                sources.push(id);
            }
        }
        for k in kids {
            uses[k] -= 1;
            if uses[k] == 0 {
                series[k] = Vec::new();
            }
        }
    }
    let mut f_series = series.pop().unwrap_or_default();
    if let Some(Some(m)) = shifts.pop() {
        // a bare reciprocal of a series that vanishes: `1/x^2` at 0
        f_series = laurent::divide(ctx, &f_series, &m).map_err(|e| (e, f))?;
    }
    if sources.is_empty()
        && f_series
            .iter()
            .any(|&c| ctx.store.is_undefined(c, &mut undefined))
    {
        sources.push(f);
    }
    Ok((f_series, sources))
}

/// The series of a node from its operands' series, and its pending
/// denominator monomial (see [`laurent`]).
fn node_series(
    ctx: &mut Ctx,
    id: ExprId,
    node: Shape,
    args: &[&[ExprId]],
    pending: &[Option<&Vec<u32>>],
    point: &[(Sym, ExprId)],
) -> Result<(Series, Option<Vec<u32>>), Fail> {
    if let Some(total) = laurent::total(pending) {
        return match node {
            Shape::Mul => {
                let p = rules::product(ctx, args)?;
                Ok((laurent::divide(ctx, &p, &total)?, None))
            }
            Shape::Add => {
                let order = pending.iter().flatten().map(|m| m.iter().sum::<u32>());
                Err(Fail::Pole(order.max().unwrap_or(1)))
            }
            _ => Err(Fail::Singular),
        };
    }
    if let Shape::Pow { base: b } = node
        && let [base, e] = args
        && ctx.is_const(e)
    {
        let e0 = ctx.get(e, 0);
        if let Some((s, m)) = laurent::reciprocal(ctx, b, base, e0, point)? {
            return Ok((s, Some(m)));
        }
    }
    let fast = match node {
        Shape::Call(f) if args.len() == 1 => ode::linear_call(ctx, f, args[0])?,
        _ => None,
    };
    match fast {
        Some(s) => Ok((s, None)),
        None => Ok((rules::apply(ctx, id, node, args)?, None)),
    }
}

/// What the series rules read of a node: its kind, a power's base and a
/// call's function, copied out of the store, which the rules extend.
#[derive(Clone, Copy)]
enum Shape {
    Add,
    Mul,
    Pow { base: ExprId },
    Call(crate::expr::Func),
    Leaf,
}

impl Shape {
    fn of(node: Node<'_>) -> Shape {
        match node {
            Node::Add(_) => Shape::Add,
            Node::Mul(_) => Shape::Mul,
            Node::Pow(&[base, _]) => Shape::Pow { base },
            Node::Call(&f, _) => Shape::Call(f),
            Node::Num(_) | Node::Const(_) | Node::Var(_) => Shape::Leaf,
        }
    }
}

/// The series of an expansion variable: `a_i + δ_i`.
fn variable(ctx: &mut Ctx, point: &[(Sym, ExprId)], s: Sym) -> Series {
    let Some(i) = point.iter().position(|p| p.0 == s) else {
        return Vec::new();
    };
    let mut out = vec![point[i].1];
    if let Some(m) = ctx.basis.var_monomial(i) {
        out.resize(m + 1, ctx.zero);
        out[m] = ctx.one;
    }
    out
}

#[cfg(test)]
mod tests;
