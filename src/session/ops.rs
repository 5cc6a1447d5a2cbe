//! The front door's commands: simplify, diff, gradient, Hessian, Jacobian,
//! values at a point (exact folding, AD modes, checks), Taylor polynomials,
//! linearizations, traces and straight-line programs.

use std::sync::Arc;

use crate::diff::Differentiator;
use crate::error::Error;
use crate::expr::{ExprId, Store, Sym};
use crate::point::Point;
use crate::warning::Warning;

use super::results::{
    Checked, Evaluation, Gradient, Matrix, Mode, Polynomial, Simplified, TraceReport,
};
use super::{Expr, Function, Session};

impl Session {
    fn differentiator(&self) -> Differentiator {
        Differentiator::new(self.limits.max_nodes)
    }

    fn exprs(&self, ids: &[ExprId]) -> Vec<Expr> {
        ids.iter().map(|id| self.expr(*id)).collect()
    }

    /// The canonical, simplified form (with the opt-in rewrites of
    /// [`crate::simplify`]).
    ///
    /// ```
    /// let mut s = deriv::Session::new();
    /// let f = s.parse("x*x + x^2 - 3*x/x")?;
    /// assert_eq!(s.simplify(&f)?.to_string(), "2*x^2 - 3");
    /// # Ok::<(), deriv::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Limit`] when a bound of the store is hit.
    pub fn simplify(&mut self, f: &Function) -> Result<Simplified, Error> {
        self.own(f)?;
        let st = self.store_mut();
        let ids: Vec<ExprId> = f
            .roots()
            .into_iter()
            .map(|e| crate::simplify::simplify(st, e))
            .collect();
        self.check()?;
        Ok(Simplified {
            exprs: self.exprs(&ids),
            vector: f.is_vector(),
        })
    }

    /// The partial derivative by each variable of `wrt` in turn (a mixed
    /// partial for several).
    ///
    /// ```
    /// let mut s = deriv::Session::new();
    /// let f = s.parse("x^3*y^2")?;
    /// let wrt = s.vars("x,y")?;
    /// assert_eq!(s.diff(&f, &wrt)?.to_string(), "6*x^2*y");
    /// # Ok::<(), deriv::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Invalid`] for a vector; [`Error::Limit`] when `wrt` is
    /// longer than [`crate::Limits::max_order`] or the derivative outgrows
    /// a bound.
    pub fn diff(&mut self, f: &Function, wrt: &[Sym]) -> Result<Expr, Error> {
        let e = self.scalar(f, "diff")?;
        let max = self.limits.max_order;
        if wrt.len() > max as usize {
            return Err(Error::Limit {
                limit: crate::Limit::Order,
                value: u64::from(max),
                message: format!("{} derivatives are over the limit of {max}", wrt.len()),
            });
        }
        let mut d = self.differentiator();
        let df = d.diff_many(self.store_mut(), e, wrt)?;
        self.check()?;
        Ok(self.expr(df))
    }

    /// The gradient in all variables of `f`, in natural order.
    ///
    /// ```
    /// let mut s = deriv::Session::new();
    /// let f = s.parse("sqrt(x^2+exp(x^2)) + cos(x^2+exp(x^2))")?;
    /// let g = s.gradient(&f)?;
    /// assert_eq!(
    ///     g.entries[0].to_string(),
    ///     "(x + x*exp(x^2))/sqrt(x^2 + exp(x^2)) - 2*sin(x^2 + exp(x^2))*(x + x*exp(x^2))"
    /// );
    /// # Ok::<(), deriv::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Invalid`] for a vector; [`Error::Limit`] when a bound is hit.
    pub fn gradient(&mut self, f: &Function) -> Result<Gradient, Error> {
        self.own(f)?;
        let vars = self.variables(f);
        self.gradient_wrt(f, &vars)
    }

    /// The gradient in the given variables (the others are parameters).
    ///
    /// ```
    /// let mut s = deriv::Session::new();
    /// let f = s.parse("(target - (w*u + c))^2")?;
    /// let vars = s.vars("w,c")?;
    /// assert_eq!(s.gradient_wrt(&f, &vars)?.entries[1].to_string(), "2*c - 2*target + 2*u*w");
    /// # Ok::<(), deriv::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Session::gradient`].
    pub fn gradient_wrt(&mut self, f: &Function, vars: &[Sym]) -> Result<Gradient, Error> {
        let e = self.scalar(f, "grad")?;
        let mut d = self.differentiator();
        let g = d.gradient(self.store_mut(), e, vars)?;
        self.check()?;
        Ok(Gradient {
            vars: self.names(vars),
            entries: self.exprs(&g),
        })
    }

    /// The Hessian in all variables of `f`.
    ///
    /// ```
    /// let mut s = deriv::Session::new();
    /// let f = s.parse("x^2*y + sin(y)")?;
    /// assert_eq!(s.hessian(&f)?.to_string(), "[2*y, 2*x]\n[2*x, -sin(y)]");
    /// # Ok::<(), deriv::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Session::gradient`].
    pub fn hessian(&mut self, f: &Function) -> Result<Matrix, Error> {
        self.own(f)?;
        let vars = self.variables(f);
        self.hessian_wrt(f, &vars)
    }

    /// The Hessian in the given variables.
    ///
    /// # Errors
    /// As [`Session::gradient`].
    pub fn hessian_wrt(&mut self, f: &Function, vars: &[Sym]) -> Result<Matrix, Error> {
        let e = self.scalar(f, "hessian")?;
        let mut d = self.differentiator();
        let h = d.hessian(self.store_mut(), e, vars)?;
        self.check()?;
        Ok(self.matrix(vars, &h))
    }

    /// The Jacobian of a vector (or of a scalar: one row), in all variables.
    ///
    /// ```
    /// let mut s = deriv::Session::new();
    /// let f = s.parse("[r*cos(theta), r*sin(theta)]")?;
    /// assert_eq!(
    ///     s.jacobian(&f)?.to_string(),
    ///     "[cos(theta), -r*sin(theta)]\n[sin(theta), r*cos(theta)]"
    /// );
    /// # Ok::<(), deriv::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Limit`] when a bound is hit.
    pub fn jacobian(&mut self, f: &Function) -> Result<Matrix, Error> {
        self.own(f)?;
        let vars = self.variables(f);
        self.jacobian_wrt(f, &vars)
    }

    /// The Jacobian in the given variables.
    ///
    /// # Errors
    /// As [`Session::jacobian`].
    pub fn jacobian_wrt(&mut self, f: &Function, vars: &[Sym]) -> Result<Matrix, Error> {
        self.own(f)?;
        let mut d = self.differentiator();
        let j = d.jacobian(self.store_mut(), &f.roots(), vars)?;
        self.check()?;
        Ok(self.matrix(vars, &j))
    }

    fn matrix(&self, vars: &[Sym], rows: &[Vec<ExprId>]) -> Matrix {
        Matrix {
            vars: self.names(vars),
            rows: rows.iter().map(|r| self.exprs(r)).collect(),
        }
    }

    /// The value of `f` at a point, exactly folded where the point is
    /// exact (`cos(x)` at `x=pi/2` is exactly 0), with warnings for values
    /// outside the domain.
    ///
    /// ```
    /// let mut s = deriv::Session::new();
    /// let f = s.parse("cos(x)")?;
    /// let p = s.point("x=pi/2")?;
    /// assert_eq!(s.eval(&f, &p)?.values, [0.0]);
    /// let g = s.parse("log(x)")?;
    /// let p = s.point("x=0")?;
    /// let v = s.eval(&g, &p)?;
    /// assert_eq!(v.values, [f64::NEG_INFINITY]);
    /// assert_eq!(v.warnings.len(), 1);
    /// # Ok::<(), deriv::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::MissingValues`] when the point lacks a variable `f` needs.
    pub fn eval(&mut self, f: &Function, point: &Point) -> Result<Evaluation, Error> {
        self.own(f)?;
        let roots = f.roots();
        self.require(&roots, point)?;
        let (values, warnings) = self.values(&roots, point);
        self.check()?;
        Ok(Evaluation {
            values,
            vector: f.is_vector(),
            warnings,
        })
    }

    /// Values of result expressions (gradient entries, matrix entries) at a
    /// point, as [`Session::eval`] computes them.
    ///
    /// ```
    /// let mut s = deriv::Session::new();
    /// let f = s.parse("x^2*y")?;
    /// let g = s.gradient(&f)?;
    /// let p = s.point("x=3,y=2")?;
    /// assert_eq!(s.eval_exprs(&g.entries, &p).values, [12.0, 9.0]);
    /// # Ok::<(), deriv::Error>(())
    /// ```
    pub fn eval_exprs(&mut self, exprs: &[Expr], point: &Point) -> Evaluation {
        let ids: Vec<ExprId> = exprs.iter().map(Expr::id).collect();
        if self.foreign(&ids) {
            return Evaluation {
                values: vec![f64::NAN; ids.len()],
                vector: true,
                warnings: Vec::new(),
            };
        }
        let (values, warnings) = self.values(&ids, point);
        Evaluation {
            values,
            vector: true,
            warnings,
        }
    }

    fn require(&self, roots: &[ExprId], point: &Point) -> Result<(), Error> {
        let names: Vec<String> = self
            .needed(roots)
            .into_iter()
            .filter(|v| point.get(*v).is_none())
            .map(|v| self.store.name(v).to_string())
            .collect();
        if names.is_empty() {
            Ok(())
        } else {
            Err(Error::MissingValues { names })
        }
    }

    /// Values of any expressions of the store at a point, as
    /// [`Session::eval`] computes them (variables without a value are NaN).
    pub fn values(&mut self, roots: &[ExprId], point: &Point) -> (Vec<f64>, Vec<Warning>) {
        if self.foreign(roots) {
            return (vec![f64::NAN; roots.len()], Vec::new());
        }
        let max = self.limits.max_nodes;
        crate::numeric::evaluate(&mut self.store, roots, point, max)
    }

    /// The non-smooth subexpressions of `roots` that sit exactly on a kink
    /// at the point (`abs(x)` at 0), with the convention used there.
    ///
    /// ```
    /// let mut s = deriv::Session::new();
    /// let f = s.parse("abs(x)")?;
    /// let p = s.point("x=0")?;
    /// assert_eq!(s.kinks(&f.roots(), &p).len(), 1);
    /// # Ok::<(), deriv::Error>(())
    /// ```
    pub fn kinks(&self, roots: &[ExprId], point: &Point) -> Vec<Warning> {
        if self.foreign(roots) {
            return Vec::new();
        }
        crate::numeric::kinks(&self.store, roots, point)
    }

    /// Derivative values at a point by automatic differentiation, without
    /// building derivative expressions: the Jacobian of `outputs` (one row
    /// per output), or with `hessian` the Hessian of `outputs[0]`
    /// (forward-over-reverse, whatever the mode).
    /// [`Mode::Symbolic`] is computed as [`Mode::Reverse`] here.
    ///
    /// ```
    /// use deriv::Mode;
    /// let mut s = deriv::Session::new();
    /// let f = s.parse("x^2*y")?;
    /// let (p, vars) = (s.point("x=3,y=2")?, s.variables(&f));
    /// assert_eq!(s.ad(&f.roots(), &p, &vars, Mode::Forward, false), [vec![12.0, 9.0]]);
    /// # Ok::<(), deriv::Error>(())
    /// ```
    pub fn ad(
        &self,
        outputs: &[ExprId],
        point: &Point,
        vars: &[Sym],
        mode: Mode,
        hessian: bool,
    ) -> Vec<Vec<f64>> {
        if outputs.is_empty() || self.foreign(outputs) {
            return vec![
                vec![f64::NAN; vars.len()];
                if hessian { vars.len() } else { outputs.len() }
            ];
        }
        let pt = |v: Sym| point.float(v);
        let pins = crate::numeric::kink_pins(&self.store, outputs, point);
        let st = &self.store;
        match (hessian, mode) {
            (true, _) => crate::ad::hessian_pinned(st, outputs[0], &pt, vars, &pins),
            (false, Mode::Forward) => {
                crate::ad::jacobian_forward_pinned(st, outputs, &pt, vars, &pins)
            }
            (false, _) => crate::ad::jacobian_reverse_pinned(st, outputs, &pt, vars, &pins),
        }
    }

    /// Compares `symbolic` (derivative values as [`Session::ad`] shapes
    /// them) with forward and reverse mode and with central finite
    /// differences; `at_kink` leaves finite differences out of the verdict.
    pub fn check_modes(
        &self,
        (outputs, hessian): (&[ExprId], bool),
        point: &Point,
        vars: &[Sym],
        symbolic: &[Vec<f64>],
        at_kink: bool,
    ) -> Checked {
        use crate::numeric::{discrepancy, finite_differences};
        if outputs.is_empty() || self.foreign(outputs) {
            return Checked {
                modes: f64::INFINITY,
                finite_difference: f64::INFINITY,
                at_kink,
            };
        }
        let forward = self.ad(outputs, point, vars, Mode::Forward, hessian);
        let reverse = self.ad(outputs, point, vars, Mode::Reverse, hessian);
        let fd = finite_differences(&self.store, outputs, point, vars, hessian);
        Checked {
            modes: discrepancy(symbolic, &forward).max(discrepancy(symbolic, &reverse)),
            finite_difference: discrepancy(symbolic, &fd),
            at_kink,
        }
    }

    /// The Taylor polynomial of total degree `order` at the point, with
    /// exact coefficients where the point is exact (`numeric`: floats).
    ///
    /// ```
    /// let mut s = deriv::Session::new();
    /// let f = s.parse("x^2 + 2*x*y + y^3")?;
    /// let p = s.point("x=1,y=2")?;
    /// assert_eq!(
    ///     s.taylor(&f, &p, 3, false)?.to_string(),
    ///     "13 + 6*(x - 1) + 14*(y - 2) + (x - 1)^2 + 2*(x - 1)*(y - 2) + 6*(y - 2)^2 + (y - 2)^3"
    /// );
    /// # Ok::<(), deriv::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Invalid`] for a vector or where `f` has no Taylor series;
    /// [`Error::Limit`] for too many terms or too large coefficients.
    pub fn taylor(
        &mut self,
        f: &Function,
        point: &Point,
        order: u32,
        numeric: bool,
    ) -> Result<Polynomial, Error> {
        super::taylor::taylor(self, f, point, order, numeric)
    }

    /// The linearization `f(a) + ∇f(a)·(x − a)`: the Taylor polynomial of order 1.
    ///
    /// ```
    /// let mut s = deriv::Session::new();
    /// let f = s.parse("u^2*v")?;
    /// let p = s.point("u=1,v=3")?;
    /// assert_eq!(s.linearize(&f, &p, false)?.to_string(), "3 + 6*(u - 1) + (v - 3)");
    /// # Ok::<(), deriv::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Session::taylor`].
    pub fn linearize(
        &mut self,
        f: &Function,
        point: &Point,
        numeric: bool,
    ) -> Result<Polynomial, Error> {
        super::taylor::taylor(self, f, point, 1, numeric)
    }

    /// The computational graph at a point: intermediate variables (a
    /// program's names kept), local partials, reverse and forward sweeps.
    ///
    /// ```
    /// let mut s = deriv::Session::new();
    /// let f = s.parse("sqrt(x^2+exp(x^2)) + cos(x^2+exp(x^2))")?;
    /// let p = s.point("x=0.5")?;
    /// let t = s.trace(&f, &p)?;
    /// assert_eq!(t.trace.nodes.len(), 6);
    /// assert!((t.sweeps.gradient[0] + 1.3604310785982792).abs() < 1e-15);
    /// # Ok::<(), deriv::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Invalid`] for a vector; [`Error::Limit`] when a bound is hit.
    pub fn trace(&mut self, f: &Function, point: &Point) -> Result<TraceReport, Error> {
        let e = self.scalar(f, "trace")?;
        let names = f.statements().to_vec();
        let trace = crate::trace::trace(self.store_mut(), e, &names)?;
        let sweeps = trace
            .sweeps(&self.store, &point.env())
            .map_err(|err| Error::invalid(err.to_string()))?;
        let mut warnings = Vec::new();
        if sweeps.values.iter().any(|v| !v.is_finite()) {
            warnings.push(Warning::TraceDomain {
                point: point.clone(),
            });
        }
        Ok(TraceReport {
            trace,
            sweeps,
            point: point.clone(),
            warnings,
        })
    }

    /// The gradient as a straight-line program following the reverse sweep
    /// (`t1 = ...`, each shared subexpression once).
    ///
    /// ```
    /// let mut s = deriv::Session::new();
    /// let f = s.parse("sin(x*y)")?;
    /// let vars = s.variables(&f);
    /// let p = s.gradient_program(&f, &vars)?;
    /// assert_eq!(p.results.len(), 2);
    /// # Ok::<(), deriv::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Invalid`] for a vector; [`Error::Limit`] when a bound is hit.
    pub fn gradient_program(
        &mut self,
        f: &Function,
        vars: &[Sym],
    ) -> Result<crate::cse::Program, Error> {
        let e = self.scalar(f, "grad")?;
        let p = crate::cse::gradient_program(self.store_mut(), e, vars)?;
        self.check()?;
        Ok(p)
    }

    /// Any expressions of the store as a straight-line program with each
    /// shared subexpression named once.
    ///
    /// # Errors
    /// [`Error::Limit`] when a bound is hit.
    pub fn program(&mut self, roots: &[ExprId]) -> Result<crate::cse::Program, Error> {
        if self.foreign(roots) {
            return Err(Error::ForeignHandle);
        }
        let p = crate::cse::common_subexpressions(self.store_mut(), roots);
        self.check()?;
        Ok(p)
    }

    /// Evaluates a straight-line program at a point.
    pub fn program_values(&self, program: &crate::cse::Program, point: &Point) -> Vec<f64> {
        program.eval(&self.store, &point.env())
    }

    /// Operation counts: of `f` (as a graph and as a tree), of its
    /// gradient (as trees, as a graph) and of the gradient program.
    ///
    /// ```
    /// let mut s = deriv::Session::new();
    /// let f = s.parse("x*y")?;
    /// let vars = s.variables(&f);
    /// assert_eq!(s.stats(&f, &vars)?.f, 1);
    /// # Ok::<(), deriv::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Session::gradient`].
    pub fn stats(&mut self, f: &Function, vars: &[Sym]) -> Result<Stats, Error> {
        let e = self.scalar(f, "stats")?;
        let store: &Store = &self.store;
        let (f_dag, f_tree) = (
            crate::cse::ops_dag(store, &[e]),
            crate::cse::ops_tree(store, &[e]),
        );
        let g = self.differentiator().gradient(self.store_mut(), e, vars)?;
        let gradient_tree = crate::cse::ops_tree(&self.store, &g);
        let gradient_dag = crate::cse::ops_dag(&self.store, &g);
        let program = crate::cse::gradient_program(self.store_mut(), e, vars)?;
        self.check()?;
        Ok(Stats {
            f: f_dag,
            f_tree,
            gradient_tree,
            gradient_dag,
            gradient_cse: program.ops(&self.store),
        })
    }

    /// A shared read-only view of the store (what [`Expr`] handles hold).
    pub fn snapshot(&self) -> Arc<Store> {
        Arc::clone(&self.store)
    }
}

/// Operation counts (see [`Session::stats`]); tree counts saturate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stats {
    /// Operations of f, each shared subexpression once.
    pub f: u128,
    /// Operations of f written out as a tree.
    pub f_tree: u128,
    /// Operations of the gradient's entries written out as trees.
    pub gradient_tree: u128,
    /// Operations of the gradient's entries as one shared graph.
    pub gradient_dag: u128,
    /// Operations of the reverse-sweep gradient program.
    pub gradient_cse: u128,
}
