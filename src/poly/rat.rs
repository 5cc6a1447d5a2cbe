//! Ratios of polynomials with common factors cancelled.

use num_rational::BigRational;
use num_traits::{One, Zero};

use super::gcd::gcd;
use super::sparse::{Budget, OverBudget, Poly};

/// `num / den` in lowest terms as far as [`gcd`] sees: `den` is primitive
/// (integer coefficients, positive leading one) and is `1` for a
/// polynomial.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rat {
    /// The numerator.
    pub num: Poly,
    /// The denominator, never zero.
    pub den: Poly,
}

impl Rat {
    /// A polynomial as a ratio.
    pub fn poly(p: Poly) -> Rat {
        Rat {
            num: p,
            den: Poly::int(1),
        }
    }

    /// `num / den` with common factors cancelled; `None` when `den` is zero.
    ///
    /// # Errors
    /// [`OverBudget`] past the budget.
    pub fn new(num: Poly, den: Poly, b: &mut Budget) -> Result<Option<Rat>, OverBudget> {
        let (num, den) = (num.normalized(), den.normalized());
        if den.is_zero() {
            return Ok(None);
        }
        if let Some(c) = den.as_constant() {
            return Ok(Some(Rat::poly(num.scale(&c.recip()))));
        }
        if num.is_zero() {
            return Ok(Some(Rat::poly(num)));
        }
        let g = gcd(&num, &den, b)?;
        let (num, den) = if g.is_one() {
            (num, den)
        } else {
            let n = num.div_exact(&g, b)?.ok_or(OverBudget)?;
            let d = den.div_exact(&g, b)?.ok_or(OverBudget)?;
            (n, d)
        };
        Ok(Some(Rat::lowest(num, den)))
    }

    /// The unique representation (see [`Poly::normalized`]).
    pub fn normalized(self) -> Rat {
        Rat {
            num: self.num.normalized(),
            den: self.den.normalized(),
        }
    }

    /// True when the denominator is one.
    pub fn is_poly(&self) -> bool {
        self.den.is_one()
    }

    /// `self + o`.
    ///
    /// # Errors
    /// [`OverBudget`] past the budget.
    pub fn add(&self, o: &Rat, b: &mut Budget) -> Result<Rat, OverBudget> {
        if self.is_poly() && o.is_poly() {
            return Ok(Rat::poly(self.num.add(&o.num, b)?));
        }
        if self.den == o.den {
            let n = self.num.add(&o.num, b)?;
            return Rat::new(n, self.den.clone(), b)?.ok_or(OverBudget);
        }
        // Henrici's sum: both in lowest terms, so with g = gcd(d1, d2)
        // only a factor of g can be common to the new numerator and
        // denominator; a polynomial plus a ratio needs no gcd at all
        let g = if self.is_poly() || o.is_poly() {
            Poly::int(1)
        } else {
            gcd(&self.den, &o.den, b)?
        };
        let (d1, d2) = if g.is_one() {
            (self.den.clone(), o.den.clone())
        } else {
            let d1 = self.den.div_exact(&g, b)?.ok_or(OverBudget)?;
            let d2 = o.den.div_exact(&g, b)?.ok_or(OverBudget)?;
            (d1, d2)
        };
        let n = self.num.mul(&d2, b)?.add(&o.num.mul(&d1, b)?, b)?;
        let d = d1.mul(&o.den, b)?;
        if g.is_one() {
            return Ok(Rat::lowest(n.normalized(), d.normalized()));
        }
        let g2 = gcd(&n, &g, b)?;
        if g2.is_one() {
            return Ok(Rat::lowest(n.normalized(), d.normalized()));
        }
        let n = n.div_exact(&g2, b)?.ok_or(OverBudget)?;
        let d = d.div_exact(&g2, b)?.ok_or(OverBudget)?;
        Ok(Rat::lowest(n.normalized(), d.normalized()))
    }

    /// `num / den`, already without common factors, with the denominator
    /// made primitive (positive leading coefficient) and a constant one
    /// folded into the numerator. `den` is not zero.
    fn lowest(num: Poly, den: Poly) -> Rat {
        if let Some(c) = den.as_constant() {
            return Rat::poly(num.scale(&c.recip()));
        }
        if num.is_zero() {
            return Rat::poly(num);
        }
        let r = den.content().recip();
        let (num, den) = (num.scale(&r), den.scale(&r));
        if den.is_one() {
            return Rat::poly(num);
        }
        Rat { num, den }
    }

    /// `self · o`.
    ///
    /// # Errors
    /// [`OverBudget`] past the budget.
    pub fn mul(&self, o: &Rat, b: &mut Budget) -> Result<Rat, OverBudget> {
        let n = self.num.mul(&o.num, b)?;
        if self.is_poly() && o.is_poly() {
            return Ok(Rat::poly(n));
        }
        let d = self.den.mul(&o.den, b)?;
        Rat::new(n, d, b)?.ok_or(OverBudget)
    }

    /// `self^n`; `None` for a negative power of zero.
    ///
    /// # Errors
    /// [`OverBudget`] past the budget.
    pub fn pow(&self, n: i64, b: &mut Budget) -> Result<Option<Rat>, OverBudget> {
        let k = u32::try_from(n.unsigned_abs()).map_err(|_| OverBudget)?;
        let (num, den) = (self.num.pow(k, b)?, self.den.pow(k, b)?);
        if n >= 0 {
            Ok(Some(Rat { num, den }))
        } else {
            Rat::new(den, num, b)
        }
    }

    /// The constant value, when there are no atoms.
    pub fn as_constant(&self) -> Option<BigRational> {
        if self.is_poly() {
            self.num.as_constant()
        } else {
            None
        }
    }

    /// True for zero.
    pub fn is_zero(&self) -> bool {
        self.num.is_zero()
    }

    /// The constant one.
    pub fn one() -> Rat {
        Rat::poly(Poly::constant(&BigRational::one()))
    }

    /// The constant zero.
    pub fn zero() -> Rat {
        Rat::poly(Poly::constant(&BigRational::zero()))
    }
}
