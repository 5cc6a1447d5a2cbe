//! Derivatives of high order in one variable: differentiate step by step,
//! stop as soon as the derivative is 0, or repeats an earlier one up to a
//! constant factor (`sin → cos → -sin → -cos → sin`, `exp`, `sinh`,
//! `2^x`), and carry the factor to the order asked for. Only orders whose
//! derivatives really keep growing meet [`crate::Limits::max_order`].

use num_bigint::BigInt;
use num_rational::BigRational;
use rustc_hash::FxHashMap;

use crate::error::{Error, Limit};
use crate::expr::{ExprId, Node, Number, Sym};

use super::{Expr, Function, Session};

/// A derivative as `Σ c_i · rest_i` with exact `c_i`, sorted by `rest_i`.
type Terms = Vec<(BigRational, ExprId)>;

impl Session {
    /// The `n`-th derivative by `var`.
    ///
    /// ```
    /// let mut s = deriv::Session::new();
    /// let f = s.parse("sin(t)")?;
    /// let t = s.syms(&["t"])[0];
    /// // sin, cos, -sin, -cos, sin, ...: the 10^8-th derivative is sin(t)
    /// assert_eq!(s.diff_order(&f, t, 100_000_000)?.to_string(), "sin(t)");
    /// let g = s.parse("x^3")?;
    /// let x = s.syms(&["x"])[0];
    /// assert_eq!(s.diff_order(&g, x, 1_000_000)?.to_string(), "0");
    /// # Ok::<(), deriv::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Invalid`] for a vector; [`Error::Limit`] when the
    /// derivatives neither vanish nor repeat within
    /// [`crate::Limits::max_order`] steps, or outgrow a bound.
    pub fn diff_order(&mut self, f: &Function, var: Sym, n: u32) -> Result<Expr, Error> {
        let e = self.scalar(f, "diff")?;
        let max = self.limits.max_order;
        let mut d = self.differentiator();
        let mut steps: Vec<ExprId> = vec![e];
        let mut seen: FxHashMap<Vec<ExprId>, (u32, Terms)> = FxHashMap::default();
        let mut cur = e;
        for k in 0..n {
            if self.store.as_num(cur).is_some_and(Number::is_zero) {
                return Ok(self.expr(cur));
            }
            if let Some(terms) = self.terms(cur) {
                let key: Vec<ExprId> = terms.iter().map(|t| t.1).collect();
                if let Some((j, before)) = seen.get(&key)
                    && let Some(r) = ratio(before, &terms)
                {
                    let (j, p) = (*j, k - *j);
                    let (q, m) = ((n - j) / p, (n - j) % p);
                    let base = steps[(j + m) as usize];
                    let out = self.scaled(base, &r, q)?;
                    let out = self.tidy(&[e], &[out])[0];
                    return Ok(self.expr(out));
                }
                seen.insert(key, (k, terms));
            }
            if k >= max {
                return Err(Error::Limit {
                    limit: Limit::Order,
                    value: u64::from(max),
                    message: format!("order {n} is above the limit of {max} derivatives"),
                });
            }
            cur = d.diff(self.store_mut(), cur, var)?;
            self.check()?;
            steps.push(cur);
        }
        // the rewrites every derivative gets (`diff --wrt x,x` has them)
        let out = self.tidy(&[e], &[cur])[0];
        Ok(self.expr(out))
    }

    /// `id` as exact-coefficient terms, sorted by their non-numeric part;
    /// `None` for a float coefficient.
    fn terms(&mut self, id: ExprId) -> Option<Terms> {
        let parts: Vec<ExprId> = match self.store.node(id) {
            Node::Add(xs) => xs.to_vec(),
            _ => vec![id],
        };
        let st = self.store_mut();
        let mut out = Vec::with_capacity(parts.len());
        for p in parts {
            let (c, rest) = st.split_coeff(p);
            out.push((c.as_rational()?.clone(), rest));
        }
        out.sort_by_key(|t| t.1);
        Some(out)
    }

    /// `r^q · base`.
    fn scaled(&mut self, base: ExprId, r: &BigRational, q: u32) -> Result<ExprId, Error> {
        let bits = self.limits.max_exact_bits;
        let factor = Number::Rational(r.clone())
            .pow_int_within(&BigInt::from(q), bits)
            .ok_or_else(|| Error::Limit {
                limit: Limit::ExactBits,
                value: bits,
                message: format!("the derivative's factor ({r})^{q} needs more than {bits} bits"),
            })?;
        let st = self.store_mut();
        let c = st.number(factor);
        let out = st.mul(&[c, base]);
        self.check()?;
        Ok(out)
    }
}

/// `r` with `later = r · before` term by term, if there is one.
fn ratio(before: &Terms, later: &Terms) -> Option<BigRational> {
    let (c0, l0) = (&before.first()?.0, &later.first()?.0);
    if c0 == &BigRational::from_integer(0.into()) {
        return None;
    }
    let r = l0 / c0;
    before
        .iter()
        .zip(later)
        .all(|((b, _), (l, _))| &(b * &r) == l)
        .then_some(r)
}
