//! Contents: the numeric and monomial factors common to every term.

use num_bigint::BigInt;
use num_traits::{One, Signed, Zero};

use super::sparse::Poly;

impl Poly {
    /// The gcd of the integer coefficients, signed as the leading one (0
    /// for zero).
    pub(super) fn integer_content(&self) -> BigInt {
        let mut g = BigInt::zero();
        for (_, c) in &self.terms {
            g = crate::expr::rational::gcd(&g, c);
            if g.is_one() {
                break;
            }
        }
        if self.terms.first().is_some_and(|t| t.1.is_negative()) {
            g = -g;
        }
        g
    }

    /// `(g, p)` with the integer `g` the gcd of the integer coefficients,
    /// signed as the leading one, and `p` the coefficients divided by `g`
    /// over the denominator one: `self = (g / den) · p`. For zero, `(1, 0)`.
    pub fn primitive_integer(&self) -> (BigInt, Poly) {
        if self.terms.is_empty() {
            return (BigInt::one(), Poly::zero());
        }
        let g = self.integer_content();
        let terms = if g.is_one() {
            self.terms.clone()
        } else {
            self.terms
                .iter()
                .map(|(m, c)| (m.clone(), c / &g))
                .collect()
        };
        (
            g,
            Poly {
                terms,
                den: BigInt::one(),
            },
        )
    }

    /// `self / content`: integer coefficients, coprime, leading one positive.
    pub fn primitive(&self) -> Poly {
        let c = self.content();
        self.scale(&c.recip())
    }
}
