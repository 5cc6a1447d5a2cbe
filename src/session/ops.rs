//! The front door's symbolic commands: simplify, diff, gradient, Hessian,
//! Jacobian, Taylor polynomials, linearizations and traces.

use crate::diff::Differentiator;
use crate::error::Error;
use crate::expr::{ExprId, Sym};
use crate::point::Point;
use crate::warning::Warning;

use super::results::{Gradient, Matrix, Polynomial, Simplified, TraceReport};
use super::{Expr, Function, Session};

impl Session {
    pub(super) fn differentiator(&self) -> Differentiator {
        Differentiator::new(self.limits.max_nodes)
    }

    /// Derivative results of `inputs` with the rewrites valid wherever
    /// the input is defined ([`crate::simplify::guarded::tidy`]), with
    /// sigmoids in exponential form where that is smaller
    /// ([`crate::simplify::sigmoid::smaller`]), then in
    /// their normal form where that is smaller and keeps the domain
    /// ([`crate::simplify::normal_form::smaller`]), then with common
    /// factors out of their sums where that is smaller
    /// ([`crate::simplify::collect::common_factors`]).
    ///
    /// Each distinct entry is tidied once: a Hessian of N variables has N²
    /// entries, most of them the same few (zeros), and every step below
    /// depends only on which entries there are.
    pub(crate) fn tidy(&mut self, inputs: &[ExprId], ids: &[ExprId]) -> Vec<ExprId> {
        // each entry's place among the distinct ones: a table by id where
        // the entries are many against the store (a Hessian's), a hash map
        // where they are few (a gradient's)
        let mut distinct = Vec::new();
        let mut place = |slot: &mut u32, id: ExprId| {
            if *slot == u32::MAX {
                distinct.push(id);
                *slot = (distinct.len() - 1) as u32;
            }
            *slot
        };
        let back: Vec<u32> = if ids.len() >= self.store().len() / 4 {
            let mut table = vec![u32::MAX; self.store().len()];
            ids.iter()
                .map(|&id| place(&mut table[id.index()], id))
                .collect()
        } else {
            let mut table: rustc_hash::FxHashMap<ExprId, u32> = rustc_hash::FxHashMap::default();
            ids.iter()
                .map(|&id| place(table.entry(id).or_insert(u32::MAX), id))
                .collect()
        };
        if distinct.len() == ids.len() {
            return self.tidy_distinct(inputs, ids);
        }
        let done = self.tidy_distinct(inputs, &distinct);
        back.iter().map(|&k| done[k as usize]).collect()
    }

    fn tidy_distinct(&mut self, inputs: &[ExprId], ids: &[ExprId]) -> Vec<ExprId> {
        use crate::simplify::{collect, guarded, normal_form, sigmoid};
        let st = self.store_mut();
        // the nodes below the entries, found once for the passes that walk
        // them all (a graph's reachable nodes never change), and again
        // only where an entry changed before the last two
        let first = st.reachable(ids);
        let tidied = guarded::tidy_in(st, inputs, ids, &first);
        let tidied = sigmoid::smaller(st, inputs, &tidied);
        let order = if tidied == ids {
            first
        } else {
            st.reachable(&tidied)
        };
        let ids = tidied;
        let normal = normal_form::smaller_in(st, inputs, &ids, &order);
        let mut out = if normal == ids {
            collect::common_factors_in(st, &normal, order)
        } else {
            collect::common_factors(st, &normal)
        };
        // the normal form was chosen against the entry before common
        // factors come out: where it changed one, the entry with its
        // factors out may still be the smaller (ties keep the normal form)
        let changed: Vec<usize> = (0..ids.len()).filter(|&i| normal[i] != ids[i]).collect();
        if !changed.is_empty() {
            let before: Vec<ExprId> = changed.iter().map(|&i| ids[i]).collect();
            let collected = collect::common_factors(st, &before);
            let mut memo = rustc_hash::FxHashMap::default();
            for (&i, &c) in changed.iter().zip(&collected) {
                let mut ops = |e| crate::poly::count_ops(st, e, &mut memo);
                if ops(c) < ops(out[i]) {
                    out[i] = c;
                }
            }
        }
        out
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
        let df = self.tidy(&[e], &[df])[0];
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
    ///     "(x + x*exp(x^2))*(1/sqrt(x^2 + exp(x^2)) - 2*sin(x^2 + exp(x^2)))"
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
        let g = self.gradient_ids(f, vars)?;
        Ok(Gradient {
            vars: self.names(vars),
            entries: self.exprs(&g),
        })
    }

    /// The entries of [`Session::gradient_wrt`] as ids in the store, for a
    /// client that works on the store itself ([`Session::store`]): no
    /// [`Expr`] handle is made for each entry.
    ///
    /// # Errors
    /// As [`Session::gradient_wrt`].
    pub fn gradient_ids(&mut self, f: &Function, vars: &[Sym]) -> Result<Vec<ExprId>, Error> {
        let e = self.scalar(f, "grad")?;
        let mut d = self.differentiator();
        let g = d.gradient(self.store_mut(), e, vars)?;
        self.check()?;
        Ok(self.tidy(&[e], &g))
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
        let h = self.hessian_ids(f, vars)?;
        Ok(self.matrix(vars, &h))
    }

    /// The rows of [`Session::hessian_wrt`] as ids in the store (see
    /// [`Session::gradient_ids`]): a Hessian in N variables has N² entries.
    ///
    /// # Errors
    /// As [`Session::hessian_wrt`].
    pub fn hessian_ids(&mut self, f: &Function, vars: &[Sym]) -> Result<Vec<Vec<ExprId>>, Error> {
        let e = self.scalar(f, "hessian")?;
        let mut d = self.differentiator();
        let h = d.hessian(self.store_mut(), e, vars)?;
        self.check()?;
        Ok(self.tidy_rows(&[e], &h))
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
        let j = self.jacobian_ids(f, vars)?;
        Ok(self.matrix(vars, &j))
    }

    /// The rows of [`Session::jacobian_wrt`] as ids in the store (see
    /// [`Session::gradient_ids`]).
    ///
    /// # Errors
    /// As [`Session::jacobian_wrt`].
    pub fn jacobian_ids(&mut self, f: &Function, vars: &[Sym]) -> Result<Vec<Vec<ExprId>>, Error> {
        self.own(f)?;
        let mut d = self.differentiator();
        let j = d.jacobian(self.store_mut(), &f.roots(), vars)?;
        self.check()?;
        Ok(self.tidy_rows(&f.roots(), &j))
    }

    /// [`Session::tidy`] of the rows of a matrix.
    fn tidy_rows(&mut self, inputs: &[ExprId], rows: &[Vec<ExprId>]) -> Vec<Vec<ExprId>> {
        let flat = self.tidy(inputs, &rows.concat());
        let cols = rows.first().map_or(0, Vec::len);
        if cols == 0 {
            return rows.to_vec();
        }
        flat.chunks(cols).map(<[ExprId]>::to_vec).collect()
    }

    fn matrix(&self, vars: &[Sym], rows: &[Vec<ExprId>]) -> Matrix {
        Matrix {
            vars: self.names(vars),
            rows: rows.iter().map(|r| self.exprs(r)).collect(),
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

    /// The Taylor polynomial of each output of `f`: one for a scalar, one
    /// per component of a vector `[f1, f2, ...]` (for a vector's
    /// linearization, `order` 1: the value plus the Jacobian times the
    /// displacement).
    ///
    /// ```
    /// let mut s = deriv::Session::new();
    /// let f = s.parse("[x*y, sin(x)]")?;
    /// let p = s.point("x=0,y=1")?;
    /// let each: Vec<String> = s
    ///     .taylor_each(&f, &p, 1, false)?
    ///     .iter()
    ///     .map(|p| p.to_string())
    ///     .collect();
    /// assert_eq!(each, ["x", "x"]);
    /// # Ok::<(), deriv::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Session::taylor`], for the first component that fails.
    pub fn taylor_each(
        &mut self,
        f: &Function,
        point: &Point,
        order: u32,
        numeric: bool,
    ) -> Result<Vec<Polynomial>, Error> {
        super::taylor::taylor_each(self, f, point, order, numeric)
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
}
