//! Sparse multivariate polynomials over the rationals.
//!
//! A [`Poly`] is `(Σ c_m · m) / d`: integer coefficients `c_m` over
//! monomials `m` and one positive integer denominator `d` with
//! `gcd(d, c_m…) = 1`, so every rational polynomial has exactly one
//! representation. Keeping the coefficients integral makes products cheap
//! (no gcd per coefficient, one at the end). A monomial is a dense vector
//! of exponents indexed by atom number, with trailing zeros trimmed, so
//! that `Vec`'s lexicographic order is the lex monomial order (atom 0 most
//! significant) whatever the number of atoms. Terms are sorted in
//! descending order: the first term is the leading one.
//!
//! Every operation that can grow is charged to a [`Budget`] and fails with
//! [`OverBudget`] instead of running away.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};
use rustc_hash::FxHashMap;

use crate::expr::rational::reduced;

pub use super::mono::{Budget, Mono, OverBudget, mono_div, mono_mul, trimmed};

/// A sparse polynomial with rational coefficients.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Poly {
    pub(super) terms: Vec<(Mono, BigInt)>,
    pub(super) den: BigInt,
}

impl Poly {
    /// The zero polynomial.
    pub fn zero() -> Poly {
        Poly {
            terms: Vec::new(),
            den: BigInt::one(),
        }
    }

    /// A constant.
    pub fn constant(r: &BigRational) -> Poly {
        Poly::build(vec![(Mono::new(), r.numer().clone())], r.denom().clone())
    }

    /// An integer constant.
    pub fn int(i: i64) -> Poly {
        Poly::constant(&BigRational::from_integer(i.into()))
    }

    /// The atom number `i` as a polynomial.
    pub fn atom(i: usize) -> Poly {
        let mut m = vec![0; i + 1];
        m[i] = 1;
        Poly::build(vec![(m, BigInt::one())], BigInt::one())
    }

    /// Collects terms (summing equal monomials) over a denominator.
    pub fn build(mut terms: Vec<(Mono, BigInt)>, den: BigInt) -> Poly {
        for t in &mut terms {
            t.0 = trimmed(std::mem::take(&mut t.0));
        }
        terms.sort_unstable_by(|a, b| b.0.cmp(&a.0));
        let mut out: Vec<(Mono, BigInt)> = Vec::with_capacity(terms.len());
        for (m, c) in terms {
            match out.last_mut() {
                Some(last) if last.0 == m => last.1 += c,
                _ => {
                    if out.last().is_some_and(|l| l.1.is_zero()) {
                        out.pop();
                    }
                    out.push((m, c));
                }
            }
        }
        if out.last().is_some_and(|l| l.1.is_zero()) {
            out.pop();
        }
        Poly::reduced(out, den)
    }

    /// The same polynomial with the common factor of the coefficients and
    /// the denominator divided out: the unique representation. Sums and
    /// products skip this (it costs a gcd per term), so that a long
    /// accumulation reduces once; equality tests need it.
    pub fn normalized(self) -> Poly {
        Poly::reduced(self.terms, self.den)
    }

    /// Sorted, merged terms over a positive denominator, not reduced.
    fn lazy(mut terms: Vec<(Mono, BigInt)>, mut den: BigInt) -> Poly {
        if terms.is_empty() {
            return Poly::zero();
        }
        if den.is_negative() {
            den = -den;
            for t in &mut terms {
                t.1 = -std::mem::take(&mut t.1);
            }
        }
        Poly { terms, den }
    }

    /// Sorted, merged terms over a denominator: divides out the common
    /// factor and makes the denominator positive.
    pub(super) fn reduced(mut terms: Vec<(Mono, BigInt)>, mut den: BigInt) -> Poly {
        if terms.is_empty() {
            return Poly::zero();
        }
        if den.is_negative() {
            den = -den;
            for t in &mut terms {
                t.1 = -std::mem::take(&mut t.1);
            }
        }
        if !den.is_one() {
            let mut g = den.clone();
            for t in &terms {
                if g.is_one() {
                    break;
                }
                g = crate::expr::rational::gcd(&g, &t.1);
            }
            if !g.is_one() {
                den /= &g;
                for t in &mut terms {
                    t.1 /= &g;
                }
            }
        }
        Poly { terms, den }
    }

    /// The size of the coefficients in 64-bit words, from the common
    /// denominator and the widest coefficient (at least 1): budgets charge
    /// by it, so that thousands of bits cost more than a few. The widest,
    /// not the leading one: the middle coefficients of `(x + 228)^728`
    /// have 6,000 bits where the leading one is 1, and charging by the
    /// leading one let `(a + (a + 228)^728)^72` multiply for seconds.
    ///
    /// Monomials are dense (an exponent for every atom up to the last one
    /// they use), so a term also costs a word per 16 atoms of its monomial:
    /// over the 10,000 atoms of a 10,000-variable Rosenbrock sum, every
    /// monomial is 40 kB, and normalizing it cost gigabytes before this.
    pub fn words(&self) -> u64 {
        let widest = self.terms.iter().map(|t| t.1.bits()).max().unwrap_or(0);
        let width = self.terms.iter().map(|t| t.0.len()).max().unwrap_or(0) as u64;
        1 + (widest + self.den.bits()) / 64 + width / 16
    }

    /// The terms, leading first, with integer coefficients over [`Poly::den`].
    pub fn terms(&self) -> &[(Mono, BigInt)] {
        &self.terms
    }

    /// The common denominator of the coefficients.
    pub fn den(&self) -> &BigInt {
        &self.den
    }

    /// The rational coefficient of term `i`.
    pub fn coeff(&self, i: usize) -> BigRational {
        reduced(self.terms[i].1.clone(), self.den.clone())
    }

    /// True for the zero polynomial.
    pub fn is_zero(&self) -> bool {
        self.terms.is_empty()
    }

    /// True for a constant (zero included).
    pub fn is_constant(&self) -> bool {
        match self.terms.as_slice() {
            [] => true,
            [(m, _)] => m.is_empty(),
            _ => false,
        }
    }

    /// The value when the polynomial is a constant.
    pub fn as_constant(&self) -> Option<BigRational> {
        if !self.is_constant() {
            return None;
        }
        match self.terms.as_slice() {
            [] => Some(BigRational::zero()),
            [(m, c)] if m.is_empty() => Some(reduced(c.clone(), self.den.clone())),
            _ => None,
        }
    }

    /// True for the constant one.
    pub fn is_one(&self) -> bool {
        self.den.is_one() && matches!(self.terms.as_slice(), [(m, c)] if m.is_empty() && c.is_one())
    }

    /// Number of terms.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// True for zero (no terms).
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// `-self`.
    pub fn neg(&self) -> Poly {
        let terms = self.terms.iter().map(|(m, c)| (m.clone(), -c)).collect();
        Poly {
            terms,
            den: self.den.clone(),
        }
    }

    /// `self · r` for a rational `r`.
    pub fn scale(&self, r: &BigRational) -> Poly {
        self.scale_into(r, Poly::reduced)
    }

    /// `self · r`, not reduced (see [`Poly::normalized`]).
    fn scale_lazy(&self, r: &BigRational) -> Poly {
        self.scale_into(r, Poly::lazy)
    }

    /// `self · r`, its terms and denominator made into a polynomial by
    /// `make` (reduced or lazy).
    fn scale_into(&self, r: &BigRational, make: fn(Vec<(Mono, BigInt)>, BigInt) -> Poly) -> Poly {
        if r.is_zero() {
            return Poly::zero();
        }
        let terms = self
            .terms
            .iter()
            .map(|(m, c)| (m.clone(), c * r.numer()))
            .collect();
        make(terms, &self.den * r.denom())
    }

    /// `self + o`.
    ///
    /// # Errors
    /// [`OverBudget`] past the budget.
    pub fn add(&self, o: &Poly, b: &mut Budget) -> Result<Poly, OverBudget> {
        let words = self.words().max(o.words());
        b.charge(((self.len() + o.len()) as u64).saturating_mul(words))?;
        let l = crate::expr::rational::lcm(&self.den, &o.den);
        let (fa, fb) = (&l / &self.den, &l / &o.den);
        let mut out = Vec::with_capacity(self.len() + o.len());
        let (mut i, mut j) = (0, 0);
        while i < self.len() || j < o.len() {
            let ord = match (self.terms.get(i), o.terms.get(j)) {
                (Some(a), Some(c)) => c.0.cmp(&a.0),
                (Some(_), None) => std::cmp::Ordering::Less,
                _ => std::cmp::Ordering::Greater,
            };
            match ord {
                std::cmp::Ordering::Less => {
                    out.push((self.terms[i].0.clone(), &self.terms[i].1 * &fa));
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    out.push((o.terms[j].0.clone(), &o.terms[j].1 * &fb));
                    j += 1;
                }
                std::cmp::Ordering::Equal => {
                    let c = &self.terms[i].1 * &fa + &o.terms[j].1 * &fb;
                    if !c.is_zero() {
                        out.push((self.terms[i].0.clone(), c));
                    }
                    i += 1;
                    j += 1;
                }
            }
        }
        b.terms(out.len())?;
        Ok(Poly::lazy(out, l))
    }

    /// `Σ ps` over one common denominator, reduced once.
    ///
    /// # Errors
    /// [`OverBudget`] past the budget.
    pub fn sum(ps: &[&Poly], b: &mut Budget) -> Result<Poly, OverBudget> {
        let n: usize = ps.iter().map(|p| p.len()).sum();
        let words = ps.iter().map(|p| p.words()).max().unwrap_or(1);
        b.charge((n as u64).saturating_mul(words))?;
        let l = ps.iter().fold(BigInt::one(), |l, p| {
            if p.den.is_one() || p.den == l {
                l
            } else {
                crate::expr::rational::lcm(&l, &p.den)
            }
        });
        let mut acc: FxHashMap<&[u32], BigInt> = FxHashMap::default();
        for p in ps {
            let f = &l / &p.den;
            for (m, c) in &p.terms {
                let v = if f.is_one() { c.clone() } else { c * &f };
                match acc.get_mut(m.as_slice()) {
                    Some(x) => *x += v,
                    None => {
                        acc.insert(m, v);
                    }
                }
            }
        }
        let mut terms: Vec<(Mono, BigInt)> = acc
            .into_iter()
            .filter(|t| !t.1.is_zero())
            .map(|(m, c)| (m.to_vec(), c))
            .collect();
        b.terms(terms.len())?;
        terms.sort_unstable_by(|a, c| c.0.cmp(&a.0));
        Ok(Poly::lazy(terms, l))
    }

    /// `self − o`.
    ///
    /// # Errors
    /// [`OverBudget`] past the budget.
    pub fn sub(&self, o: &Poly, b: &mut Budget) -> Result<Poly, OverBudget> {
        self.add(&o.neg(), b)
    }

    /// `self · o`.
    ///
    /// # Errors
    /// [`OverBudget`] past the budget, or when an exponent overflows.
    pub fn mul(&self, o: &Poly, b: &mut Budget) -> Result<Poly, OverBudget> {
        if self.is_zero() || o.is_zero() {
            return Ok(Poly::zero());
        }
        if o.is_constant()
            && let Some(c) = o.as_constant()
        {
            b.charge((self.len() as u64).saturating_mul(self.words() + o.words()))?;
            return Ok(self.scale_lazy(&c));
        }
        if self.is_constant()
            && let Some(c) = self.as_constant()
        {
            b.charge((o.len() as u64).saturating_mul(self.words() + o.words()))?;
            return Ok(o.scale_lazy(&c));
        }
        b.charge(
            (self.len() as u64)
                .saturating_mul(o.len() as u64)
                .saturating_mul(self.words() + o.words()),
        )?;
        if let (Some(va), Some(vb)) = (self.univariate(), o.univariate())
            && (va == vb || va.is_none() || vb.is_none())
        {
            return self.mul_dense(o, va.or(vb).unwrap_or(0), b);
        }
        let mut acc: FxHashMap<Mono, BigInt> = FxHashMap::default();
        for (ma, ca) in &self.terms {
            for (mb, cb) in &o.terms {
                let m = mono_mul(ma, mb).ok_or(OverBudget)?;
                let p = ca * cb;
                match acc.get_mut(&m) {
                    Some(c) => *c += p,
                    None => {
                        acc.insert(m, p);
                    }
                }
            }
            b.terms(acc.len())?;
        }
        let mut terms: Vec<(Mono, BigInt)> = acc.into_iter().filter(|t| !t.1.is_zero()).collect();
        terms.sort_unstable_by(|a, c| c.0.cmp(&a.0));
        Ok(Poly::lazy(terms, &self.den * &o.den))
    }

    /// `Some(None)` for a constant, `Some(Some(i))` when atom `i` is the
    /// only one, `None` for several atoms.
    fn univariate(&self) -> Option<Option<usize>> {
        let mut v = None;
        for (m, _) in &self.terms {
            if m.is_empty() {
                continue;
            }
            let i = m.len() - 1;
            if m[..i].iter().any(|&e| e > 0) || v.is_some_and(|w| w != i) {
                return None;
            }
            v = Some(i);
        }
        Some(v)
    }

    /// The product of two polynomials in atom `v` only, by dense
    /// convolution of their coefficient vectors.
    fn mul_dense(&self, o: &Poly, v: usize, b: &mut Budget) -> Result<Poly, OverBudget> {
        let deg = |p: &Poly| {
            p.terms
                .first()
                .map_or(0, |t| t.0.get(v).copied().unwrap_or(0))
        };
        let n = deg(self) as usize + deg(o) as usize + 1;
        b.terms(n)?;
        let mut out = vec![BigInt::zero(); n];
        for (ma, ca) in &self.terms {
            let i = ma.get(v).copied().unwrap_or(0) as usize;
            for (mb, cb) in &o.terms {
                out[i + mb.get(v).copied().unwrap_or(0) as usize] += ca * cb;
            }
        }
        let mut terms = Vec::new();
        for (k, c) in out.into_iter().enumerate().rev() {
            if !c.is_zero() {
                let mut m = vec![0; v + 1];
                m[v] = u32::try_from(k).map_err(|_| OverBudget)?;
                terms.push((trimmed(m), c));
            }
        }
        Ok(Poly::lazy(terms, &self.den * &o.den))
    }

    /// `self^n` by repeated squaring.
    ///
    /// # Errors
    /// [`OverBudget`] past the budget.
    pub fn pow(&self, mut n: u32, b: &mut Budget) -> Result<Poly, OverBudget> {
        let mut acc = Poly::int(1);
        let mut sq = self.clone();
        while n > 0 {
            if n & 1 == 1 {
                acc = acc.mul(&sq, b)?;
            }
            n >>= 1;
            if n > 0 {
                sq = sq.mul(&sq, b)?;
            }
        }
        Ok(acc)
    }

    /// `self · c · m` for a rational `c` and a monomial `m`.
    pub fn mul_term(&self, m: &[u32], c: &BigRational) -> Option<Poly> {
        let mut terms = Vec::with_capacity(self.len());
        for (a, x) in &self.terms {
            terms.push((mono_mul(a, m)?, x * c.numer()));
        }
        Some(Poly::reduced(terms, &self.den * c.denom()))
    }

    /// The largest monomial dividing every term (the empty monomial for 0).
    pub fn mono_content(&self) -> Mono {
        let mut it = self.terms.iter();
        let Some((first, _)) = it.next() else {
            return Mono::new();
        };
        let mut g = first.clone();
        for (m, _) in it {
            g.truncate(m.len());
            for (e, &f) in g.iter_mut().zip(m) {
                *e = (*e).min(f);
            }
        }
        trimmed(g)
    }

    /// `self / m` for a monomial dividing every term.
    pub fn div_mono(&self, m: &[u32]) -> Option<Poly> {
        let mut terms = Vec::with_capacity(self.len());
        for (a, c) in &self.terms {
            terms.push((mono_div(a, m)?, c.clone()));
        }
        Some(Poly {
            terms,
            den: self.den.clone(),
        })
    }

    /// The rational `c` such that `self / c` has coprime integer
    /// coefficients and a positive leading coefficient (1 for zero).
    pub fn content(&self) -> BigRational {
        if self.terms.is_empty() {
            return BigRational::one();
        }
        reduced(self.integer_content(), self.den.clone())
    }

    /// The atoms that occur, ascending.
    pub fn atoms(&self) -> Vec<usize> {
        let n = self.terms.iter().map(|t| t.0.len()).max().unwrap_or(0);
        (0..n)
            .filter(|&i| {
                self.terms
                    .iter()
                    .any(|t| t.0.get(i).is_some_and(|&e| e > 0))
            })
            .collect()
    }

    /// Degree in atom `v`.
    pub fn degree_in(&self, v: usize) -> u32 {
        self.terms
            .iter()
            .map(|t| t.0.get(v).copied().unwrap_or(0))
            .max()
            .unwrap_or(0)
    }
}
