//! Powers, reciprocals and logarithms of series.

use super::poly::{Ctx, Fail, Series};
use crate::expr::{ExprId, Number};
use num_bigint::BigInt;
use num_rational::BigRational;

/// Non-negative integer exponents up to this use binary powering even when
/// the constant term is non-zero: the coefficients then stay free of
/// `1/a_0` factors (`sin(1)^3` rather than `sin(1)^4*sin(1)^-1`).
const SMALL_POWER: u64 = 32;

impl Ctx<'_> {
    /// `a^e` for an exponent `e` that does not depend on the variables.
    ///
    /// # Errors
    /// [`Fail::Singular`] when `a` has a zero constant term and `e` is not a
    /// non-negative integer; [`Fail::TooLarge`] past the node budget.
    pub fn power(&mut self, a: &[ExprId], e: ExprId) -> Result<Series, Fail> {
        let a0 = self.get(a, 0);
        let zero = self.is_zero(a0) && self.basis.order() > 0;
        if let Some((n, float)) = self.natural(e)
            && (n <= SMALL_POWER || zero)
        {
            let u = self.powi(a, n)?;
            if !float {
                return Ok(u);
            }
            let f = self.store.float(1.0);
            return Ok(self.scale(f, &u));
        }
        if zero {
            return Err(Fail::Singular);
        }
        let u0 = self.store.pow(a0, e);
        if self.is_const(a) {
            return Ok(vec![u0]);
        }
        self.power_from(a, e, u0)
    }

    /// `Some((n, is_float))` when `e` is a number equal to the natural number `n`.
    fn natural(&self, e: ExprId) -> Option<(u64, bool)> {
        match self.store.as_num(e)? {
            Number::Rational(_) => {
                let n = self.store.as_num(e)?.as_i64()?;
                Some((u64::try_from(n).ok()?, false))
            }
            Number::Float(f) => {
                let ok = *f >= 0.0 && f.fract() == 0.0 && *f < 1e18;
                ok.then_some((*f as u64, true))
            }
        }
    }

    /// `a^n` by binary powering.
    ///
    /// # Errors
    /// [`Fail::TooLarge`] past the node budget.
    pub fn powi(&mut self, a: &[ExprId], mut n: u64) -> Result<Series, Fail> {
        if self.is_zero(self.get(a, 0)) && n > self.basis.order() as u64 {
            return Ok(vec![self.zero]);
        }
        if self.is_const(a) {
            let e = self
                .store
                .number(Number::Rational(BigRational::from_integer(BigInt::from(n))));
            let a0 = self.get(a, 0);
            return Ok(vec![self.store.pow(a0, e)]);
        }
        let mut result: Option<Series> = None;
        let mut base = a.to_vec();
        loop {
            if n & 1 == 1 {
                result = Some(match result {
                    None => base.clone(),
                    Some(r) => self.mul(&r, &base)?,
                });
            }
            n >>= 1;
            if n == 0 {
                break;
            }
            base = self.mul(&base, &base)?;
        }
        Ok(result.unwrap_or_else(|| vec![self.one]))
    }

    /// `u = a^e` with `u_0` given, from `a·Du = e·u·Da`:
    /// `u_k = (1/a_0) Σ_{j=1..k} ((e+1)·j/k − 1)·a_j·u_{k−j}`.
    /// The caller ensures `a_0 ≠ 0`.
    ///
    /// # Errors
    /// [`Fail::TooLarge`] past the node budget.
    pub fn power_from(&mut self, a: &[ExprId], e: ExprId, u0: ExprId) -> Result<Series, Fail> {
        let a0 = self.get(a, 0);
        let inv = self.store.recip(a0);
        let e1 = self.store.add(&[e, self.one]);
        let minus_one = self.store.int(-1);
        let mut u = self.zeros()?;
        u[0] = u0;
        for k in 1..=self.basis.order() {
            let mut part = self.part(k);
            for j in 1..=k {
                let f = self.store.frac(j as i64, k as i64);
                let t = self.store.mul(&[e1, f]);
                let c = self.store.add(&[t, minus_one]);
                if self.is_zero(c) {
                    continue;
                }
                let c = self.store.mul(&[c, inv]);
                self.accumulate(&mut part, Some(c), a, j, &u, k - j)?;
            }
            self.finish(part, &mut u);
        }
        Ok(self.trim(u))
    }

    /// `ln(a)`.
    ///
    /// # Errors
    /// [`Fail::Singular`] when `a` has a zero constant term;
    /// [`Fail::TooLarge`] past the node budget.
    pub fn ln(&mut self, a: &[ExprId]) -> Result<Series, Fail> {
        let a0 = self.get(a, 0);
        let u0 = self.store.call1(crate::expr::Func::Ln, a0);
        let m1 = self.store.int(-1);
        let r = self.power(a, m1)?;
        self.integrate(&[(a, &r)], u0)
    }

    /// `(c + s·a²)^e` for integers `c`, `s` and an exponent `e`.
    ///
    /// # Errors
    /// As [`Ctx::power`].
    pub fn quadratic_power(
        &mut self,
        a: &[ExprId],
        c: i64,
        s: i64,
        e: ExprId,
    ) -> Result<Series, Fail> {
        let sq = self.mul(a, a)?;
        let s = self.store.int(s);
        let t = self.scale(s, &sq);
        let c = self.store.int(c);
        let t = self.shift(c, &t);
        self.power(&t, e)
    }
}
