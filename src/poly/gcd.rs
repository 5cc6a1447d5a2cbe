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
use num_traits::{One, Zero};

use crate::expr::rational::gcd as int_gcd;

use super::sparse::{Budget, Mono, OverBudget, Poly, mono_div, mono_mul};

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
        let Some((lm, lead)) = d.terms.first() else {
            return Err(OverBudget);
        };
        // self = P/D and d = Q/E with integer P, Q. A step on the first
        // divisible term a·x^pm of P, with x^lm | x^pm, m = pm/lm and
        // g = gcd(a, L) for Q's leading coefficient L:
        //   P/D − (a·E/(D·L))·x^m·d = ((L/g)·P − (a/g)·x^m·Q) / (D·L/g),
        // so the quotient gets a·E/(D·L), the two terms cancel, and P stays
        // integral with no gcd over its terms. Terms before it (not
        // divisible) are the remainder's, scaled with the rest. The
        // quotient is kept as integers over den·L·s, where s collects what
        // was divided out of P and D: their common content goes only when
        // D has doubled in size, and each result is reduced once, at the end.
        let mut p: Vec<(Mono, BigInt)> = self.terms.clone();
        let mut den = self.den.clone();
        let mut den_bits = den.bits();
        let (mut q, mut q_den, mut s) = (Vec::new(), &den * lead, BigInt::one());
        let d_words = d.words();
        let mut i = 0;
        while i < p.len() {
            let lead_bits = p[i].1.bits();
            b.charge((d.len() as u64).saturating_mul(1 + (lead_bits + den.bits()) / 64 + d_words))?;
            let Some(m) = mono_div(&p[i].0, lm) else {
                i += 1;
                continue;
            };
            let a = std::mem::take(&mut p[i].1);
            let g = int_gcd(&a, lead);
            let (lq, aq) = if g.is_one() {
                (lead.clone(), a.clone())
            } else {
                (lead / &g, &a / &g)
            };
            let mut tail = Vec::with_capacity(d.len() - 1);
            for (dm, dc) in &d.terms[1..] {
                tail.push((mono_mul(dm, &m).ok_or(OverBudget)?, dc * &aq));
            }
            let mut next = merge_sub(&p[i + 1..], &lq, tail);
            p.truncate(i);
            q.push((m, a * &d.den * &s));
            if !lq.is_one() {
                for t in p.iter_mut().chain(q.iter_mut()) {
                    t.1 *= &lq;
                }
                den *= &lq;
                q_den *= &lq;
            }
            p.append(&mut next);
            if den.bits() > 2 * den_bits + 64 {
                let mut g = den.clone();
                for t in &p {
                    if g.is_one() {
                        break;
                    }
                    g = int_gcd(&g, &t.1);
                }
                if !g.is_one() {
                    den /= &g;
                    for t in &mut p {
                        t.1 /= &g;
                    }
                    s *= g;
                }
                den_bits = den.bits();
            }
            b.terms(q.len().max(p.len()))?;
        }
        Ok((Poly::reduced(q, q_den), Poly::reduced(p, den)))
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

/// `f·p − t` for terms `p` and `t`, each sorted leading first, merged in
/// that order with zero sums dropped.
fn merge_sub(p: &[(Mono, BigInt)], f: &BigInt, t: Vec<(Mono, BigInt)>) -> Vec<(Mono, BigInt)> {
    let scale = |c: &BigInt| if f.is_one() { c.clone() } else { c * f };
    let mut out = Vec::with_capacity(p.len() + t.len());
    let mut it = p.iter().peekable();
    for (tm, tc) in t {
        while let Some((pm, pc)) = it.next_if(|(pm, _)| *pm > tm) {
            out.push((pm.clone(), scale(pc)));
        }
        match it.next_if(|(pm, _)| *pm == tm) {
            Some((_, pc)) => {
                let c = scale(pc) - tc;
                if !c.is_zero() {
                    out.push((tm, c));
                }
            }
            None => out.push((tm, -tc)),
        }
    }
    out.extend(it.map(|(pm, pc)| (pm.clone(), scale(pc))));
    out
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
