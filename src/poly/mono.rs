//! Monomials and the work budget of polynomial operations.

/// Exponents by atom number, trailing zeros trimmed.
pub type Mono = Vec<u32>;

/// The work allowed for a normalization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Largest number of terms of any polynomial.
    pub max_terms: usize,
    /// Coefficient operations left (term pairs multiplied, terms merged),
    /// each counted once per 64-bit word of its coefficients.
    pub work: u64,
}

impl Budget {
    /// The default: polynomials of at most 2,000 terms, 4·10^6 coefficient
    /// operations per normalization (well under a second).
    pub const DEFAULT: Budget = Budget {
        max_terms: 2_000,
        work: 4_000_000,
    };

    /// Charges `n` operations.
    ///
    /// # Errors
    /// [`OverBudget`] when the work is used up.
    pub fn charge(&mut self, n: u64) -> Result<(), OverBudget> {
        self.work = self.work.checked_sub(n).ok_or(OverBudget)?;
        Ok(())
    }

    /// Fails when a polynomial has too many terms.
    ///
    /// # Errors
    /// [`OverBudget`] past [`Budget::max_terms`].
    pub fn terms(&self, n: usize) -> Result<(), OverBudget> {
        if n > self.max_terms {
            Err(OverBudget)
        } else {
            Ok(())
        }
    }
}

/// A normalization gave up: the polynomials grew past the [`Budget`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverBudget;

/// `a · b` on monomials.
pub fn mono_mul(a: &[u32], b: &[u32]) -> Option<Mono> {
    let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    let mut out = long.to_vec();
    for (o, &e) in out.iter_mut().zip(short) {
        *o = o.checked_add(e)?;
    }
    Some(out)
}

/// `a / b` on monomials, when `b` divides `a`.
pub fn mono_div(a: &[u32], b: &[u32]) -> Option<Mono> {
    if b.len() > a.len() && b[a.len()..].iter().any(|&e| e > 0) {
        return None;
    }
    let mut out = a.to_vec();
    for (o, &e) in out.iter_mut().zip(b) {
        *o = o.checked_sub(e)?;
    }
    Some(trimmed(out))
}

pub fn trimmed(mut m: Mono) -> Mono {
    while m.last() == Some(&0) {
        m.pop();
    }
    m
}
