//! Greatest common divisors of polynomials, bounded.
//!
//! [`gcd`] is exact for univariate polynomials (Euclid over the rationals,
//! each remainder made primitive so the coefficients stay small) and for
//! the monomial and numeric content of multivariate ones. For two
//! multivariate polynomials it also finds the gcd when one divides the
//! other, and otherwise uses Euclid in the main atom over the others
//! only when the leading coefficients are numbers; else it returns the
//! common monomial content only. A missed common factor is a result left
//! unreduced, never a wrong one: the caller divides by whatever this
//! returns, exactly.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::One;

use super::sparse::{Budget, Mono, OverBudget, Poly, mono_div};

/// A common divisor of `a` and `b`, primitive (integer coefficients,
/// positive leading one); the greatest one in the cases of the module docs.
///
/// # Errors
/// [`OverBudget`] past the budget.
pub fn gcd(a: &Poly, b: &Poly, budget: &mut Budget) -> Result<Poly, OverBudget> {
    if a.is_zero() {
        return Ok(b.primitive());
    }
    if b.is_zero() {
        return Ok(a.primitive());
    }
    let m = mono_min(&a.mono_content(), &b.mono_content());
    let a1 = a.div_mono(&m).ok_or(OverBudget)?.primitive();
    let b1 = b.div_mono(&m).ok_or(OverBudget)?.primitive();
    let g = rest_gcd(&a1, &b1, budget)?;
    let one = num_rational::BigRational::from_integer(1.into());
    g.mul_term(&m, &one).ok_or(OverBudget)
}

/// The gcd of two primitive polynomials without common monomial content.
fn rest_gcd(a: &Poly, b: &Poly, budget: &mut Budget) -> Result<Poly, OverBudget> {
    if a.as_constant().is_some() || b.as_constant().is_some() {
        return Ok(Poly::int(1));
    }
    if a == b {
        return Ok(a.clone());
    }
    let (va, vb) = (a.atoms(), b.atoms());
    if va.len() == 1 && va == vb {
        return euclid(a, b, budget);
    }
    // one divides the other
    let (small, big) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if big.div_exact(small, budget)?.is_some() {
        return Ok(small.clone());
    }
    if va == vb && monic_in_main(a) && monic_in_main(b) {
        return euclid(a, b, budget);
    }
    Ok(Poly::int(1))
}

/// True when the leading monomial's main atom carries the whole term:
/// the polynomial's leading coefficient in its main atom is a number.
fn monic_in_main(p: &Poly) -> bool {
    let Some((lm, _)) = p.terms().first() else {
        return false;
    };
    lm.iter().filter(|&&e| e > 0).count() == 1
}

/// Euclid's algorithm with primitive remainders. Exact over the rationals
/// for univariate polynomials; in several atoms it is used only when both
/// leading coefficients are numbers, where each division step is exact and
/// the last non-zero remainder divides both inputs (checked).
fn euclid(a: &Poly, b: &Poly, budget: &mut Budget) -> Result<Poly, OverBudget> {
    let (mut x, mut y) = (a.primitive(), b.primitive());
    while !y.is_zero() {
        let (_, r) = x.div_rem(&y, budget)?;
        // the gcd has no monomial factor (the caller took it out), so the
        // remainder's monomial content can go
        let r = r.div_mono(&r.mono_content()).ok_or(OverBudget)?.primitive();
        if r.is_constant() && !r.is_zero() {
            return Ok(Poly::int(1));
        }
        // several atoms: stop unless the remainder is smaller in lex order
        if !r.is_zero() && r.terms()[0].0 >= y.terms()[0].0 {
            return Ok(Poly::int(1));
        }
        x = y;
        y = r;
    }
    let g = x.primitive();
    if a.div_exact(&g, budget)?.is_some() && b.div_exact(&g, budget)?.is_some() {
        Ok(g)
    } else {
        Ok(Poly::int(1))
    }
}

fn mono_min(a: &[u32], b: &[u32]) -> Mono {
    let mut m: Mono = a.iter().zip(b).map(|(&x, &y)| x.min(y)).collect();
    while m.last() == Some(&0) {
        m.pop();
    }
    m
}

impl Poly {
    /// Division with remainder by the leading term of `d` (the multivariate
    /// division algorithm in lex order): `self = q·d + r` where no term of
    /// `r` is divisible by the leading monomial of `d`. For univariate
    /// polynomials it is Euclidean division.
    ///
    /// # Errors
    /// [`OverBudget`] past the budget. `d` must not be zero.
    pub fn div_rem(&self, d: &Poly, b: &mut Budget) -> Result<(Poly, Poly), OverBudget> {
        let Some((lm, _)) = d.terms.first() else {
            return Err(OverBudget);
        };
        let lc = d.coeff(0);
        let (mut q, mut r, mut p) = (Vec::new(), Vec::new(), self.clone());
        while let Some((pm, _)) = p.terms.first() {
            b.charge((d.len() as u64).saturating_mul(p.words() + d.words()))?;
            let pc = p.coeff(0);
            match mono_div(pm, lm) {
                Some(m) => {
                    let c = pc / &lc;
                    let t = d.mul_term(&m, &c).ok_or(OverBudget)?;
                    q.push((m, c));
                    p = p.sub(&t, b)?;
                }
                None => {
                    r.push((pm.clone(), pc));
                    p.terms.remove(0);
                    p = Poly::reduced(std::mem::take(&mut p.terms), p.den.clone());
                }
            }
            b.terms(q.len().max(r.len()))?;
        }
        Ok((from_rational_terms(q), from_rational_terms(r)))
    }

    /// `self / d` when `d` divides `self` exactly.
    ///
    /// # Errors
    /// [`OverBudget`] past the budget.
    pub fn div_exact(&self, d: &Poly, b: &mut Budget) -> Result<Option<Poly>, OverBudget> {
        if d.is_zero() {
            return Ok(None);
        }
        let (q, r) = self.div_rem(d, b)?;
        Ok(r.is_zero().then_some(q))
    }
}

/// A polynomial from terms with rational coefficients.
pub fn from_rational_terms(terms: Vec<(Mono, BigRational)>) -> Poly {
    let den = terms.iter().fold(BigInt::one(), |l, (_, c)| {
        crate::expr::rational::lcm(&l, c.denom())
    });
    let ints = terms
        .into_iter()
        .map(|(m, c)| {
            let k = &den / c.denom();
            (m, c.numer() * k)
        })
        .collect();
    Poly::build(ints, den)
}
