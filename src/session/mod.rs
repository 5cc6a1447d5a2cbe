//! The front door: one [`Session`] holds the expression store and the
//! limits, parses input into [`Function`] handles and answers every
//! question deriv can answer about them (see the crate docs for a tour).
//!
//! Results hold [`Expr`] handles that print through `Display` (deriv's own
//! syntax, which parses back) and [`Expr::latex`]. A handle keeps a shared,
//! read-only view of the store it was made in: the session copies its store
//! on the next change while a handle of the old one is alive (copy on
//! write), so handles stay valid and cheap to keep, and a session that
//! holds no handles never copies.

mod at_point;
mod expr;
mod ops;
mod order;
mod programs;
mod results;
mod taylor;

pub use expr::Expr;
pub use programs::Stats;
pub use results::{
    Checked, Evaluation, Gradient, Matrix, Mode, Polynomial, Simplified, TraceReport,
};

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::Error;
use crate::expr::{ExprId, Store, Sym};
use crate::parse::{Output, ParseOptions, parse_program};
use crate::point::{Point, parse_names};
use crate::warning::Warning;

/// The bounds that keep hostile input cheap. Each has a default that stays
/// well inside an 8 MiB thread stack and a few GiB of memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Longest input, in bytes.
    pub max_input: usize,
    /// Deepest syntactic nesting (parentheses, calls, signs, `^` chains).
    pub max_depth: usize,
    /// Most nodes a derivative or series may build.
    pub max_nodes: usize,
    /// Largest exact number (numerator or denominator), in bits.
    pub max_exact_bits: u64,
    /// Deepest expression graph (after substituting a program's names).
    pub max_graph_depth: u32,
    /// Largest expression graph, in nodes plus operands.
    pub max_graph_size: usize,
    /// Most monomials of a Taylor polynomial.
    pub max_terms: usize,
    /// Highest order of a derivative.
    pub max_order: u32,
    /// Largest printed result, in bytes (estimated before printing).
    pub max_output: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_input: 1_000_000,
            max_depth: 1000,
            max_nodes: crate::diff::DEFAULT_MAX_NODES,
            max_exact_bits: crate::expr::MAX_EXACT_BITS,
            max_graph_depth: crate::expr::MAX_GRAPH_DEPTH,
            max_graph_size: crate::expr::MAX_GRAPH_SIZE,
            max_terms: crate::series::SeriesOptions::DEFAULT_MAX_TERMS,
            max_order: 1000,
            max_output: 64 << 20,
        }
    }
}

/// A parsed expression or program: a handle into the [`Session`] that made it.
#[derive(Clone, Debug, PartialEq)]
pub struct Function {
    session: u64,
    source: String,
    output: Output,
    inputs: Vec<Sym>,
    statements: Vec<(String, ExprId)>,
    warnings: Vec<Warning>,
    dropped: Vec<ExprId>,
}

impl Function {
    /// The text it was parsed from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// What parsing noticed without failing: float literals below the
    /// float range ([`Warning::Underflow`]).
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// True for a vector `[f1, f2, ...]`.
    pub fn is_vector(&self) -> bool {
        matches!(self.output, Output::Vector(_))
    }

    /// The output expressions: one for a scalar, one per component of a vector.
    pub fn roots(&self) -> Vec<ExprId> {
        match &self.output {
            Output::Scalar(f) => vec![*f],
            Output::Vector(fs) => fs.clone(),
        }
    }

    /// A program's named intermediate values, in order.
    pub fn statements(&self) -> &[(String, ExprId)] {
        &self.statements
    }
}

static SESSIONS: AtomicU64 = AtomicU64::new(1);

/// Parses, differentiates, expands and evaluates; owns the store every
/// handle points into.
///
/// ```
/// let mut s = deriv::Session::new();
/// let f = s.parse("x^2*y")?;
/// let g = s.gradient(&f)?;
/// assert_eq!(g.to_string(), "df/dx = 2*x*y\ndf/dy = x^2");
/// # Ok::<(), deriv::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Session {
    id: u64,
    store: Arc<Store>,
    limits: Limits,
}

impl Default for Session {
    fn default() -> Session {
        Session::new()
    }
}

impl Session {
    /// A session with the default [`Limits`].
    pub fn new() -> Session {
        Session::with_limits(Limits::default())
    }

    /// A session with the given limits.
    pub fn with_limits(limits: Limits) -> Session {
        let store = Store::with_limits(
            limits.max_exact_bits,
            limits.max_graph_depth,
            limits.max_graph_size,
        );
        Session {
            id: SESSIONS.fetch_add(1, Ordering::Relaxed),
            store: Arc::new(store),
            limits,
        }
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The expression store (read only), for the lower-level modules.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The expression store, for building expressions directly.
    pub fn store_mut(&mut self) -> &mut Store {
        Arc::make_mut(&mut self.store)
    }

    /// A printable handle of `id`.
    pub fn expr(&self, id: ExprId) -> Expr {
        Expr::new(&self.store, id)
    }

    fn parse_options(&self) -> ParseOptions {
        ParseOptions {
            max_depth: self.limits.max_depth,
            max_len: self.limits.max_input,
        }
    }

    /// Parses an expression, a vector `[f1, f2]`, or a program
    /// (`a = x^2; b = exp(a); a + b`).
    ///
    /// # Errors
    /// [`Error::Parse`] locating the problem in `src`; [`Error::Limit`]
    /// when the graph outgrows a bound.
    ///
    /// ```
    /// let mut s = deriv::Session::new();
    /// let f = s.parse("a = x^2; [a, 2a]")?;
    /// assert!(f.is_vector());
    /// assert!(s.parse("x +").is_err());
    /// # Ok::<(), deriv::Error>(())
    /// ```
    pub fn parse(&mut self, src: &str) -> Result<Function, Error> {
        let opts = self.parse_options();
        let before = self.store.dropped().len();
        let program = parse_program(self.store_mut(), src, &opts)?;
        let dropped = self.store.dropped()[before..].to_vec();
        self.check()?;
        Ok(Function {
            session: self.id,
            source: src.to_string(),
            statements: program
                .statements
                .iter()
                .map(|st| (st.name.clone(), st.value))
                .collect(),
            warnings: program
                .underflows
                .iter()
                .map(|span| {
                    let literal = &src[span.start..span.end];
                    Warning::Underflow {
                        literal: literal.to_string(),
                        value: literal.parse().unwrap_or(0.0),
                    }
                })
                .collect(),
            output: program.output,
            inputs: program.inputs,
            dropped,
        })
    }

    /// An error if a constructor hit a bound of the store (the results
    /// built since are then meaningless).
    ///
    /// # Errors
    /// [`Error::Limit`] naming the bound.
    pub fn check(&self) -> Result<(), Error> {
        match self.store.overflowed() {
            Some(o) => Err(o.into()),
            None => Ok(()),
        }
    }

    /// Ids that are not of this store (a handle of another session).
    pub(crate) fn foreign(&self, ids: &[ExprId]) -> bool {
        ids.iter().any(|i| i.index() >= self.store.len())
    }

    fn own(&self, f: &Function) -> Result<(), Error> {
        if f.session == self.id {
            Ok(())
        } else {
            Err(Error::ForeignHandle)
        }
    }

    /// The one output of a scalar function.
    ///
    /// # Errors
    /// [`Error::Invalid`] for a vector (`command` names what needed a scalar).
    pub fn scalar(&self, f: &Function, command: &str) -> Result<ExprId, Error> {
        self.own(f)?;
        match &f.output {
            Output::Scalar(e) => Ok(*e),
            Output::Vector(_) => Err(Error::invalid(format!(
                "`{command}` needs a scalar expression, not a vector; use `jacobian` for vectors"
            ))),
        }
    }

    /// The variables of `f`: those written (`y` in `x + y - y`, whose
    /// canonical form cancels it) and any the canonical form has, in natural
    /// order (`x` < `x1` < `x2` < `x10` < `x_1` < `y`).
    /// (Empty for a handle of another session.)
    pub fn variables(&self, f: &Function) -> Vec<Sym> {
        if f.session != self.id {
            return Vec::new();
        }
        let mut vars = self.store.free_vars(&f.roots());
        vars.extend_from_slice(&f.inputs);
        vars.sort_by(|a, b| self.store.cmp_names(*a, *b));
        vars.dedup();
        vars
    }

    /// The variables the canonical form of `roots` depends on: what a point
    /// must give to evaluate them.
    pub fn needed(&self, roots: &[ExprId]) -> Vec<Sym> {
        if self.foreign(roots) {
            return Vec::new();
        }
        self.store.free_vars(roots)
    }

    /// The names of `syms`.
    pub fn names(&self, syms: &[Sym]) -> Vec<String> {
        syms.iter()
            .map(|s| self.store.name(*s).to_string())
            .collect()
    }

    /// The variables named in a list such as `w,c` (as `--vars` takes it).
    ///
    /// # Errors
    /// [`Error::Names`] locating a bad or repeated name.
    pub fn vars(&mut self, list: &str) -> Result<Vec<Sym>, Error> {
        let names = parse_names(list, false)?;
        Ok(self.syms(&names))
    }

    /// The variables of the given names.
    pub fn syms<S: AsRef<str>>(&mut self, names: &[S]) -> Vec<Sym> {
        let st = self.store_mut();
        names.iter().map(|n| st.sym(n.as_ref())).collect()
    }

    /// Parses a point such as `x=1/2,y=pi/4`.
    ///
    /// # Errors
    /// [`Error::Point`] locating the problem in `text`.
    pub fn point(&mut self, text: &str) -> Result<Point, Error> {
        let opts = self.parse_options();
        Point::parse(self.store_mut(), text, &opts)
    }

    /// Parses a point for `f`: every name must be a variable of `f` (or be
    /// in `also`), and every variable in `needed` must be given.
    ///
    /// # Errors
    /// [`Error::Point`]: a malformed point, a name that is not a variable,
    /// or a needed variable missing.
    pub fn point_for(
        &mut self,
        f: &Function,
        text: &str,
        needed: &[Sym],
        also: &[Sym],
    ) -> Result<Point, Error> {
        self.own(f)?;
        let mut free: rustc_hash::FxHashSet<Sym> = self.variables(f).into_iter().collect();
        free.extend(also.iter().copied());
        let point = self.point(text)?;
        for c in point.coords() {
            if !free.contains(&c.sym) {
                let pos = text.find(&c.name).unwrap_or(0);
                return Err(Error::Point {
                    message: format!("`{}` is not a variable of the expression", c.name),
                    span: Some(pos..pos + c.name.len()),
                });
            }
        }
        let missing: Vec<String> = needed
            .iter()
            .filter(|s| point.get(**s).is_none())
            .map(|s| self.store.name(*s).to_string())
            .collect();
        if !missing.is_empty() {
            return Err(Error::MissingValues { names: missing });
        }
        Ok(point)
    }

    /// An error if printing `roots` would take more than
    /// [`Limits::max_output`] bytes (`factor` scales the estimate, e.g. 4
    /// for LaTeX); call it before printing anything that may be large.
    ///
    /// # Errors
    /// [`Error::Limit`] with [`crate::Limit::Output`].
    pub fn check_output(&self, roots: &[ExprId], factor: u64) -> Result<(), Error> {
        self.check()?;
        if self.foreign(roots) {
            return Err(Error::ForeignHandle);
        }
        let size = crate::print::printed_size(&self.store, roots).saturating_mul(factor);
        let limit = self.limits.max_output;
        if size > limit {
            let about = if size == u64::MAX {
                "more than 10^19".to_string()
            } else {
                format!("about {size}")
            };
            return Err(Error::Limit {
                limit: crate::Limit::Output,
                value: limit,
                message: format!(
                    "the result would print as {about} bytes, over the limit of {limit} bytes"
                ),
            });
        }
        Ok(())
    }
}
