//! Arithmetic on big rationals that stays fast for big operands: a gcd
//! that switches to dashu-int's Lehmer gcd, and sums and products that
//! cancel before they multiply.

use std::cmp::Ordering;

use dashu_int::UBig;
use dashu_int::ops::Gcd;
use num_bigint::{BigInt, BigUint};
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};

/// Operands up to this many bits use num-bigint's own gcd; above it, the
/// binary gcd there (a shift and a subtraction of the whole number per bit)
/// is quadratic in bits rather than words, and [`gcd`] switches to
/// dashu-int's Lehmer gcd: 40x faster at 20,000 bits.
const SMALL_GCD_BITS: u64 = 128;

/// The non-negative gcd of two integers (`gcd(0, 0) = 0`), fast for big ones.
pub fn gcd(a: &BigInt, b: &BigInt) -> BigInt {
    let bits = a.bits().max(b.bits());
    if bits <= 128 {
        // machine words: no allocation, no big shifts
        let (x, y) = (a.magnitude(), b.magnitude());
        let word = |v: &BigUint| v.to_u128().unwrap_or(0);
        return BigInt::from(Integer::gcd(&word(x), &word(y)));
    }
    if bits <= SMALL_GCD_BITS {
        return a.gcd(b);
    }
    if a.is_zero() || b.is_zero() {
        return (a + b).abs();
    }
    let to_dashu = |x: &BigInt| UBig::from_le_bytes(&x.magnitude().to_bytes_le());
    let g = to_dashu(a).gcd(to_dashu(b));
    BigInt::from(BigUint::from_bytes_le(&g.to_le_bytes()))
}

/// The non-negative least common multiple, with [`gcd`] (`lcm(0, x) = 0`).
pub fn lcm(a: &BigInt, b: &BigInt) -> BigInt {
    if a.is_zero() || b.is_zero() {
        return BigInt::zero();
    }
    (a / gcd(a, b) * b).abs()
}

/// `n/d` in lowest terms with a positive denominator, using [`gcd`].
///
/// # Panics
/// If `d` is zero.
pub fn reduced(n: BigInt, d: BigInt) -> BigRational {
    assert!(!d.is_zero(), "reduced: zero denominator");
    let g = gcd(&n, &d);
    let (n, d) = if g.is_one() { (n, d) } else { (n / &g, d / &g) };
    if d.is_negative() {
        BigRational::new_raw(-n, -d)
    } else {
        BigRational::new_raw(n, d)
    }
}

fn small(a: &BigRational, b: &BigRational) -> bool {
    let bits = |r: &BigRational| r.numer().bits().max(r.denom().bits());
    bits(a).max(bits(b)) <= SMALL_GCD_BITS
}

/// Numerator and denominator as machine integers, when both fit in 62
/// bits: sums and products of two such then fit in an `i128`.
#[inline(always)]
pub(crate) fn words(r: &BigRational) -> Option<(i64, i64)> {
    const LIMIT: i64 = 1 << 62;
    let n = r.numer().to_i64()?;
    let d = r.denom().to_i64()?;
    // `unsigned_abs`: `abs` of -2^63 overflows
    (n.unsigned_abs() < LIMIT.unsigned_abs() && d < LIMIT).then_some((n, d))
}

/// `n/d` from machine integers (`d > 0`), in lowest terms.
fn from_words(n: i128, d: i128) -> BigRational {
    if d == 1 {
        return BigRational::from_integer(BigInt::from(n));
    }
    let g = Integer::gcd(&n.unsigned_abs(), &d.unsigned_abs()) as i128;
    BigRational::new_raw(BigInt::from(n / g), BigInt::from(d / g))
}

/// `a + b`, as `Ratio`'s but with the fast [`gcd`] for big operands and
/// machine arithmetic for small ones.
pub fn add_rational(a: &BigRational, b: &BigRational) -> BigRational {
    if let (Some((n1, d1)), Some((n2, d2))) = (words(a), words(b)) {
        let (n1, d1, n2, d2) = (
            i128::from(n1),
            i128::from(d1),
            i128::from(n2),
            i128::from(d2),
        );
        if d1 == d2 {
            return from_words(n1 + n2, d1);
        }
        return from_words(n1 * d2 + n2 * d1, d1 * d2);
    }
    if small(a, b) {
        return a + b;
    }
    if a.denom() == b.denom() {
        return reduced(a.numer() + b.numer(), a.denom().clone());
    }
    // with g = gcd(d1, d2): n1/d1 + n2/d2 = (n1*(d2/g) + n2*(d1/g)) / (d1/g*d2),
    // and only the factors of g can divide the new numerator and denominator
    let g = gcd(a.denom(), b.denom());
    if g.is_one() {
        let n = a.numer() * b.denom() + b.numer() * a.denom();
        return BigRational::new_raw(n, a.denom() * b.denom());
    }
    let (d1, d2) = (a.denom() / &g, b.denom() / &g);
    let n = a.numer() * &d2 + b.numer() * &d1;
    let g2 = gcd(&n, &g);
    if g2.is_one() {
        BigRational::new_raw(n, d1 * b.denom())
    } else {
        BigRational::new_raw(n / &g2, d1 * (b.denom() / &g2))
    }
}

/// `a * b`, cancelling across before multiplying (already in lowest terms).
pub fn mul_rational(a: &BigRational, b: &BigRational) -> BigRational {
    if let (Some((n1, d1)), Some((n2, d2))) = (words(a), words(b)) {
        let n = i128::from(n1) * i128::from(n2);
        return from_words(n, i128::from(d1) * i128::from(d2));
    }
    if small(a, b) {
        return a * b;
    }
    let g1 = gcd(a.numer(), b.denom());
    let g2 = gcd(b.numer(), a.denom());
    if a.numer().is_zero() || b.numer().is_zero() {
        return BigRational::zero();
    }
    let n = (a.numer() / &g1) * (b.numer() / &g2);
    let d = (a.denom() / &g2) * (b.denom() / &g1);
    BigRational::new_raw(n, d)
}

/// Orders two rationals by cross-multiplying (denominators are positive);
/// iterative, unlike `Ratio::cmp`.
pub fn cmp_rational(a: &BigRational, b: &BigRational) -> Ordering {
    if a.denom() == b.denom() {
        return a.numer().cmp(b.numer());
    }
    // machine words: the cross products fit an i128 (no big integer
    // built, as comparing the exponents -1/2 and 2 of a product's factors
    // did)
    if let (Some((n1, d1)), Some((n2, d2))) = (words(a), words(b)) {
        return (i128::from(n1) * i128::from(d2)).cmp(&(i128::from(n2) * i128::from(d1)));
    }
    (a.numer() * b.denom()).cmp(&(b.numer() * a.denom()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_negative_machine_integer_is_no_overflow() {
        // -2^63: its `abs` overflows an i64 (a debug build panicked on
        // `-9223372036854775808*x*3`)
        let min = BigRational::from_integer(BigInt::from(i64::MIN));
        let three = BigRational::from_integer(BigInt::from(3));
        let third = BigRational::new_raw(BigInt::from(1), BigInt::from(3));
        assert_eq!(words(&min), None);
        assert_eq!(
            mul_rational(&min, &three),
            BigRational::from_integer(BigInt::from(i64::MIN) * 3)
        );
        assert_eq!(
            add_rational(&min, &third),
            BigRational::new_raw(BigInt::from(i64::MIN) * 3 + 1, BigInt::from(3))
        );
    }
}
