//! Values at a point through the front door: with exact folding, the
//! warnings that go with them, kinks, the AD modes and `--check`.

use crate::error::Error;
use crate::expr::{ExprId, Sym};
use crate::point::Point;
use crate::warning::Warning;

use super::results::{Checked, Evaluation, Mode};
use super::{Expr, Function, Session};

impl Session {
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
        let (values, mut warnings) = self.values(&roots, point);
        warnings.extend(self.cancelled(f, point));
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

    /// The exact values of `roots` at an exact point, in simplified form
    /// (`sin(x)` at `x=pi/3` is `sqrt(3)/2`): `None` for an entry whose
    /// value is not finite or not exact (a float literal in it, or in the
    /// point), or that needs a variable the point does not give.
    ///
    /// ```
    /// let mut s = deriv::Session::new();
    /// let f = s.parse("[sin(x), x^2/3, log(x - 2)]")?;
    /// let p = s.point("x=pi/3")?;
    /// let exact = s.exact_values(&f.roots(), &p);
    /// let shown: Vec<String> = exact
    ///     .iter()
    ///     .map(|e| e.as_ref().map_or("none".to_string(), |e| e.to_string()))
    ///     .collect();
    /// assert_eq!(shown, ["sqrt(3)/2", "pi^2/27", "none"]);
    /// # Ok::<(), deriv::Error>(())
    /// ```
    pub fn exact_values(&mut self, roots: &[ExprId], point: &Point) -> Vec<Option<Expr>> {
        if self.foreign(roots) || !point.is_exact() {
            return vec![None; roots.len()];
        }
        let map: rustc_hash::FxHashMap<Sym, ExprId> = point.exact_values().into_iter().collect();
        let st = self.store_mut();
        let ids: Vec<ExprId> = st
            .substitute_vars(roots, &map)
            .into_iter()
            .map(|e| crate::simplify::simplify(st, e))
            .collect();
        let values = crate::eval::Tape::new(st, &ids).eval(&|_| f64::NAN);
        let st = self.store();
        let exact: Vec<bool> = ids
            .iter()
            .zip(&values)
            .map(|(&e, v)| {
                v.is_finite() && !crate::numeric::has_float(st, e) && st.free_vars(&[e]).is_empty()
            })
            .collect();
        ids.iter()
            .zip(exact)
            .map(|(&e, ok)| ok.then(|| self.expr(e)))
            .collect()
    }

    /// Warnings for the parts of `f` as written that cancel out of its
    /// canonical form and have no finite value at the point (`0*log(x)` at
    /// `x=-1`, `0/x` at `x=0`): a value of `f` there, or of its
    /// derivatives, is that of the canonical form only.
    ///
    /// ```
    /// let mut s = deriv::Session::new();
    /// let f = s.parse("x + 0*log(x)")?;
    /// let p = s.point("x=-1")?;
    /// let v = s.eval(&f, &p)?;
    /// assert_eq!(v.values, [-1.0]);
    /// assert!(matches!(v.warnings[0], deriv::Warning::Cancelled { .. }));
    /// # Ok::<(), deriv::Error>(())
    /// ```
    pub fn cancelled(&mut self, f: &Function, point: &Point) -> Vec<Warning> {
        if f.dropped.is_empty() || self.own(f).is_err() {
            return Vec::new();
        }
        let given: Vec<ExprId> = f
            .dropped
            .iter()
            .copied()
            .filter(|&d| self.needed(&[d]).iter().all(|v| point.get(*v).is_some()))
            .collect();
        let mut out = Vec::new();
        for d in given {
            // one part at a time, so that a warning names its own part
            let (values, warnings) = self.values(&[d], point);
            // a part with a finite value can still be undefined inside:
            // `(1/(x - y))^(-1)` is 0 at x = y, through `1/0`
            let inner = warnings.into_iter().find_map(|w| match w {
                Warning::Domain { expr, value, .. } => Some((expr, value)),
                _ => None,
            });
            let (expr, value) = match inner {
                _ if !values[0].is_finite() => (self.expr(d), values[0]),
                Some(found) => found,
                None => continue,
            };
            out.push(Warning::Cancelled {
                expr,
                value,
                point: point.clone(),
            });
        }
        out
    }

    /// Derivative values of `f` at a point with the guarantee that a
    /// derivative has no value where its function has none: each finite
    /// entry of `values` whose function (`outputs[k]` for the entries of
    /// `entries[k]`) is undefined at the point (a part of it is not
    /// finite, [`crate::expr::Store::partial_parts`]) becomes NaN, with a
    /// [`Warning::NoDerivative`]. A rewritten derivative can have a value
    /// there (`cos(a)`, the derivative of `(1/sin(a))^(-1)`, at `a = 0`).
    ///
    /// ```
    /// let mut s = deriv::Session::new();
    /// let f = s.parse("(1/sin(a))^(-1)")?;
    /// let g = s.gradient(&f)?;
    /// assert_eq!(g.entries[0].to_string(), "cos(a)");
    /// let p = s.point("a=0")?;
    /// let mut v = s.eval_exprs(&g.entries, &p).values;
    /// assert_eq!(v, [1.0]);
    /// let w = s.where_undefined(&f.roots(), &[0..1], &mut v, &p);
    /// assert!(v[0].is_nan() && w.len() == 1);
    /// # Ok::<(), deriv::Error>(())
    /// ```
    pub fn where_undefined(
        &mut self,
        outputs: &[ExprId],
        entries: &[std::ops::Range<usize>],
        values: &mut [f64],
        point: &Point,
    ) -> Vec<Warning> {
        if self.foreign(outputs) || self.needed(outputs).iter().any(|v| point.get(*v).is_none()) {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (&o, range) in outputs.iter().zip(entries) {
            let parts = self.store.partial_parts(o);
            if parts.is_empty() {
                continue;
            }
            let (vs, _) = self.values(&parts, point);
            let Some(k) = vs.iter().position(|v| !v.is_finite()) else {
                continue;
            };
            let mut changed = false;
            for v in &mut values[range.clone()] {
                if v.is_finite() {
                    *v = f64::NAN;
                    changed = true;
                }
            }
            if changed {
                out.push(Warning::NoDerivative {
                    expr: self.expr(o),
                    part: self.expr(parts[k]),
                    value: vs[k],
                    point: point.clone(),
                });
            }
        }
        out
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
}
