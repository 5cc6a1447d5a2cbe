//! Taylor polynomials and linearizations through the front door: the
//! expansion, its warnings, numeric coefficients on request, and the
//! monomials in the `c * (x - a)^k` form they print in.

use crate::error::Error;
use crate::expr::{ExprId, Sym};
use crate::point::Point;
use crate::series::{SeriesError, SeriesOptions, Taylor};
use crate::warning::Warning;

use super::results::Polynomial;
use super::{Function, Session};

/// Terms `(coefficient, [(x_i - a_i, k_i)])`.
type Terms = Vec<(ExprId, Vec<(ExprId, u32)>)>;

pub(super) fn taylor(
    s: &mut Session,
    f: &Function,
    point: &Point,
    order: u32,
    numeric: bool,
) -> Result<Polynomial, Error> {
    let e = s.scalar(f, if order == 1 { "linearize" } else { "taylor" })?;
    expand(s, e, point, order, numeric)
}

/// The Taylor polynomial of each output of `f`: one for a scalar, one per
/// component of a vector `[f1, f2, ...]`.
pub(super) fn taylor_each(
    s: &mut Session,
    f: &Function,
    point: &Point,
    order: u32,
    numeric: bool,
) -> Result<Vec<Polynomial>, Error> {
    s.own(f)?;
    f.roots()
        .into_iter()
        .map(|e| expand(s, e, point, order, numeric))
        .collect()
}

/// The Taylor polynomial of `e` at the point.
fn expand(
    s: &mut Session,
    e: ExprId,
    point: &Point,
    order: u32,
    numeric: bool,
) -> Result<Polynomial, Error> {
    let numeric = numeric || !point.is_exact();
    let at: Vec<(Sym, ExprId)> = point.coords().iter().map(|c| (c.sym, c.value)).collect();
    let at: Vec<(Sym, ExprId)> = if numeric {
        let st = s.store_mut();
        at.iter()
            .zip(point.coords())
            .map(|((v, _), c)| (*v, st.float(c.float)))
            .collect()
    } else {
        at
    };
    let mut warnings = s.kinks(&[e], point);
    let opts = SeriesOptions {
        max_terms: s.limits.max_terms,
        max_nodes: s.limits.max_nodes,
    };
    let t =
        crate::series::taylor(s.store_mut(), e, &at, order, &opts).map_err(|err| match err {
            SeriesError::NotAnalytic { at } => Error::invalid(format!(
                "cannot expand at {point}: `{}` has no Taylor series there",
                s.expr(at)
            )),
            SeriesError::Pole { at, order } => Error::invalid(format!(
                "cannot expand at {point}: `{}` has a pole of order {order} there",
                s.expr(at)
            )),
            other => other.into(),
        })?;
    for &u in &t.undefined {
        warnings.push(Warning::Undefined {
            expr: s.expr(u),
            point: point.clone(),
        });
    }
    let terms = monomials(s, &t, numeric, point, &mut warnings);
    let mut parts: Vec<ExprId> = Vec::new();
    for (c, mono) in &terms {
        parts.push(*c);
        parts.extend(mono.iter().map(|m| m.0));
    }
    s.check_output(&parts, 1)?;
    let text = crate::print::polynomial(s.store_mut(), &terms);
    Ok(Polynomial {
        order,
        point: point.clone(),
        terms: terms
            .iter()
            .map(|(c, mono)| {
                let mono = mono.iter().map(|(b, k)| (s.expr(*b), *k)).collect();
                (s.expr(*c), mono)
            })
            .collect(),
        text,
        warnings,
    })
}

/// The terms of a Taylor polynomial; in numeric mode the coefficients are
/// evaluated to floats.
fn monomials(
    s: &mut Session,
    t: &Taylor,
    numeric: bool,
    point: &Point,
    warnings: &mut Vec<Warning>,
) -> Terms {
    let deltas: Vec<ExprId> = {
        let st = s.store_mut();
        t.vars
            .iter()
            .zip(&t.center)
            .map(|(v, a)| {
                let x = st.var_sym(*v);
                st.sub(x, *a)
            })
            .collect()
    };
    let mut out = Vec::new();
    for (exps, c) in &t.terms {
        let constant = s.store.as_num(*c).is_none() && s.store.free_vars(&[*c]).is_empty();
        let c = if numeric && constant {
            let (v, w) = s.values(&[*c], point);
            warnings.extend(w);
            if v[0].is_finite() {
                s.store_mut().float(v[0])
            } else {
                *c
            }
        } else {
            *c
        };
        if s.store.as_num(c).is_some_and(|n| n.is_zero()) {
            continue;
        }
        let mono = exps
            .iter()
            .zip(&deltas)
            .filter(|(k, _)| **k > 0)
            .map(|(k, d)| (*d, *k))
            .collect();
        out.push((c, mono));
    }
    out
}

impl Session {
    /// A polynomial as one expression of the store (its monomials
    /// multiplied out into the canonical form), e.g. to evaluate it.
    pub fn polynomial_expr(&mut self, p: &Polynomial) -> ExprId {
        let st = self.store_mut();
        let sum: Vec<ExprId> = p
            .terms
            .iter()
            .map(|(c, mono)| {
                let mut factors = vec![c.id()];
                factors.extend(mono.iter().map(|(b, k)| st.powi(b.id(), i64::from(*k))));
                st.mul(&factors)
            })
            .collect();
        st.add(&sum)
    }

    /// A polynomial in LaTeX (`13 + 6 \left(x - 1\right) + ...`); check
    /// its size first with [`Session::check_output`] (factor 4) if it may
    /// be large.
    pub fn polynomial_latex(&mut self, p: &Polynomial) -> String {
        let terms: Terms = p
            .terms
            .iter()
            .map(|(c, mono)| (c.id(), mono.iter().map(|(b, k)| (b.id(), *k)).collect()))
            .collect();
        crate::print::latex_polynomial(self.store_mut(), &terms)
    }
}
