//! Numbers of the expression language: exact rationals and floats.
//!
//! A literal written without a decimal point or exponent is exact and stays
//! exact through every constructor; a float literal makes every result it
//! touches a float ("float contagion", as in SymPy).

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};

pub use super::rational::{add_rational, cmp_rational, gcd, mul_rational};

/// Largest exact integer power computed eagerly, in bits of the result.
/// Larger powers such as `2^(10^9)` stay unevaluated `Pow` nodes. It is also
/// the default bound on every exact number a [`Store`](super::Store) holds
/// (numerator and denominator): sums and products that would exceed it
/// make the store report [`Overflow::ExactBits`](super::Overflow::ExactBits).
pub const MAX_EXACT_BITS: u64 = 1 << 15;

/// A number: exact rational, or an `f64` that is finite or NaN (the
/// undefined constant, see [`Store::nan`](super::Store::nan)).
#[derive(Clone, Debug)]
pub enum Number {
    /// An exact rational number (integers included).
    Rational(BigRational),
    /// A float, from a literal with a decimal point or exponent; NaN for
    /// the undefined constant.
    Float(f64),
}

// Rationals are always in lowest terms with a positive denominator, so
// equality and hashing look at numerator and denominator directly. (The
// `Ratio` impls compare and hash through continued fractions, recursively:
// quadratic time and a recursion as deep as the expansion is long, which
// hangs on `(3/2)^30230` and can overflow the stack.)
impl PartialEq for Number {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Number::Rational(a), Number::Rational(b)) => {
                a.denom() == b.denom() && a.numer() == b.numer()
            }
            (Number::Float(a), Number::Float(b)) => a.to_bits() == b.to_bits(),
            _ => false,
        }
    }
}
impl Eq for Number {}

impl Hash for Number {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match self {
            Number::Rational(r) => {
                0u8.hash(state);
                r.numer().hash(state);
                r.denom().hash(state);
            }
            Number::Float(f) => {
                1u8.hash(state);
                f.to_bits().hash(state);
            }
        }
    }
}

impl Number {
    /// An exact integer.
    pub fn int(i: i64) -> Number {
        Number::Rational(BigRational::from_integer(BigInt::from(i)))
    }

    /// The exact fraction `n/d`.
    ///
    /// # Panics
    /// If `d` is zero.
    pub fn frac(n: i64, d: i64) -> Number {
        assert!(d != 0, "Number::frac: zero denominator");
        // lowest terms by a machine gcd (`Ratio::new` reduces through big
        // integers: most of a series' `j/k` factors); i128, so that
        // negating i64::MIN cannot overflow
        let (mut n, mut d) = (i128::from(n), i128::from(d));
        if d < 0 {
            (n, d) = (-n, -d);
        }
        let g = n.unsigned_abs().gcd(&d.unsigned_abs()) as i128;
        Number::Rational(BigRational::new_raw(
            BigInt::from(n / g),
            BigInt::from(d / g),
        ))
    }

    /// A float; `-0.0` is stored as `0.0`, and every NaN as `f64::NAN`.
    pub fn float(f: f64) -> Number {
        Number::Float(if f == 0.0 {
            0.0
        } else if f.is_nan() {
            f64::NAN
        } else {
            f
        })
    }

    /// True for an exact number.
    pub fn is_exact(&self) -> bool {
        matches!(self, Number::Rational(_))
    }

    /// The exact value, if exact.
    pub fn as_rational(&self) -> Option<&BigRational> {
        match self {
            Number::Rational(r) => Some(r),
            Number::Float(_) => None,
        }
    }

    /// The value as a machine integer, if it is an exact integer that fits.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Number::Rational(r) if r.is_integer() => r.numer().to_i64(),
            _ => None,
        }
    }

    /// True for exact zero or float zero.
    pub fn is_zero(&self) -> bool {
        match self {
            Number::Rational(r) => r.is_zero(),
            Number::Float(f) => *f == 0.0,
        }
    }

    /// True for exactly one (exact only: `1.0` is a float, not the unit).
    pub fn is_one(&self) -> bool {
        matches!(self, Number::Rational(r) if r.is_one())
    }

    /// True for an exact integer.
    pub fn is_integer(&self) -> bool {
        matches!(self, Number::Rational(r) if r.is_integer())
    }

    /// True when the value is below zero.
    pub fn is_negative(&self) -> bool {
        match self {
            Number::Rational(r) => r.is_negative(),
            Number::Float(f) => *f < 0.0,
        }
    }

    /// The nearest `f64`.
    pub fn to_f64(&self) -> f64 {
        match self {
            Number::Rational(r) => rational_to_f64(r),
            Number::Float(f) => *f,
        }
    }

    /// `self + other`, float if either is.
    pub fn add(&self, other: &Number) -> Number {
        match (self, other) {
            (Number::Rational(a), Number::Rational(b)) => Number::Rational(add_rational(a, b)),
            _ => Number::float(self.to_f64() + other.to_f64()),
        }
    }

    /// `self * other`, float if either is.
    pub fn mul(&self, other: &Number) -> Number {
        match (self, other) {
            (Number::Rational(a), Number::Rational(b)) => Number::Rational(mul_rational(a, b)),
            _ => Number::float(self.to_f64() * other.to_f64()),
        }
    }

    /// `-self`.
    pub fn neg(&self) -> Number {
        match self {
            Number::Rational(r) => Number::Rational(-r),
            Number::Float(f) => Number::float(-f),
        }
    }

    /// `|self|`.
    pub fn abs(&self) -> Number {
        if self.is_negative() {
            self.neg()
        } else {
            self.clone()
        }
    }

    /// [`Number::cmp_value`] against the exact `1`, without building it.
    pub fn cmp_one(&self) -> Ordering {
        match self {
            Number::Rational(r) => match super::rational::words(r) {
                // in lowest terms, d > 0: n/d against 1 is n against d
                Some((n, d)) => n.cmp(&d),
                None => r.numer().cmp(r.denom()),
            },
            Number::Float(f) => f
                .partial_cmp(&1.0)
                .unwrap_or(Ordering::Equal)
                .then(Ordering::Greater),
        }
    }

    /// Compares values; an exact number sorts before an equal float.
    pub fn cmp_value(&self, other: &Number) -> Ordering {
        match (self, other) {
            (Number::Rational(a), Number::Rational(b)) => cmp_rational(a, b),
            (Number::Float(a), Number::Float(b)) => a.total_cmp(b),
            (Number::Rational(_), Number::Float(_)) => self
                .to_f64()
                .partial_cmp(&other.to_f64())
                .unwrap_or(Ordering::Equal)
                .then(Ordering::Less),
            (Number::Float(_), Number::Rational(_)) => other.cmp_value(self).reverse(),
        }
    }

    /// Size in bits: the larger of numerator and denominator (0 for a float).
    pub fn bits(&self) -> u64 {
        match self {
            Number::Rational(r) => r.numer().bits().max(r.denom().bits()),
            Number::Float(_) => 0,
        }
    }

    /// `self ^ n` for an exact base and integer exponent, when the result is
    /// small enough to compute (at most [`MAX_EXACT_BITS`]) and defined
    /// (`0^-1` is not).
    pub fn pow_int(&self, n: &BigInt) -> Option<Number> {
        self.pow_int_within(n, MAX_EXACT_BITS)
    }

    /// As [`Number::pow_int`], with a bound of `max_bits` on the result.
    pub fn pow_int_within(&self, n: &BigInt, max_bits: u64) -> Option<Number> {
        let Number::Rational(r) = self else {
            let v = self.to_f64().powf(n.to_f64()?);
            return v.is_finite().then(|| Number::float(v));
        };
        if r.is_zero() {
            return if n.is_positive() {
                Some(Number::int(0))
            } else if n.is_zero() {
                Some(Number::int(1))
            } else {
                None
            };
        }
        let mag = r
            .numer()
            .magnitude()
            .bits()
            .max(r.denom().magnitude().bits());
        if r.numer().magnitude().is_one() && r.denom().is_one() {
            let even = n.is_even();
            let neg = r.is_negative() && !even;
            return Some(Number::int(if neg { -1 } else { 1 }));
        }
        let e = n.magnitude().to_u64()?;
        if mag.saturating_mul(e) > max_bits {
            return None;
        }
        let e = u32::try_from(e).ok()?;
        // powers of coprime integers are coprime, and the denominator stays positive
        let p = BigRational::new_raw(r.numer().pow(e), r.denom().pow(e));
        Some(Number::Rational(if n.is_negative() {
            p.recip()
        } else {
            p
        }))
    }
}

/// Converts an exact rational to the nearest `f64` (±inf when out of range).
pub fn rational_to_f64(r: &BigRational) -> f64 {
    if let (Some(n), Some(d)) = (r.numer().to_i64(), r.denom().to_i64())
        && n.unsigned_abs() < (1 << 53)
        && d < (1 << 53)
    {
        return n as f64 / d as f64;
    }
    r.to_f64().unwrap_or_else(|| {
        let n = r.numer().to_f64().unwrap_or(f64::NAN);
        let d = r.denom().to_f64().unwrap_or(f64::NAN);
        n / d
    })
}

/// The exact integer `k`-th root of `n >= 0`, if `n` is a perfect `k`-th power.
pub fn exact_root(n: &BigInt, k: u32) -> Option<BigInt> {
    if n.is_negative() {
        return None;
    }
    let r = n.nth_root(k);
    (r.pow(k) == *n).then_some(r)
}

/// Splits `n > 0` into `a^k * m`, pulling out `k`-th powers of small primes
/// (and the whole number when it is a perfect power).
pub fn split_power(n: &BigInt, k: u32) -> (BigInt, BigInt) {
    if let Some(r) = exact_root(n, k) {
        return (r, BigInt::one());
    }
    let mut a = BigInt::one();
    let mut m = n.clone();
    let mut p = 2u32;
    while p < 1000 {
        // p^k >= 2^(k * (bits(p) - 1)): stop before computing a power
        // larger than m (k can be huge: `8^(1/1000000000)`)
        if u64::from(k) * u64::from(31 - p.leading_zeros()) >= m.bits() {
            break;
        }
        let pk = BigInt::from(p).pow(k);
        if pk > m {
            break;
        }
        while (&m % &pk).is_zero() {
            m /= &pk;
            a *= p;
        }
        p += if p == 2 { 1 } else { 2 };
    }
    (a, m)
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // a machine-sized numerator and denominator print without
            // BigInt's conversion to decimal (a fifth of printing a product
            // gradient)
            Number::Rational(r) => match (i64::try_from(r.numer()), i64::try_from(r.denom())) {
                (Ok(n), Ok(1)) => write!(f, "{n}"),
                (Ok(n), Ok(d)) => write!(f, "{n}/{d}"),
                _ => write!(f, "{r}"),
            },
            Number::Float(x) => write!(f, "{}", format_float(*x)),
        }
    }
}

/// Formats a float so that it reads back as the same float literal: always
/// with a decimal point or an exponent (`2.0`, `1e300`, `0.1`). NaN, the
/// undefined constant, is `0/0`, which the constructors fold back to it.
pub fn format_float(x: f64) -> String {
    if x.is_nan() {
        return "0/0".to_string();
    }
    let s = format!("{x:?}");
    if s.contains(['.', 'e', 'E']) || !x.is_finite() {
        s
    } else {
        format!("{s}.0")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cmp_one` and `cmp_value` against the exact 1 agree: rationals
    /// small and big, either side of 1, floats (1.0 after the exact 1),
    /// NaN; and the machine-word comparison of rationals agrees with the
    /// big one (values worked out by hand).
    #[test]
    fn comparisons_with_one_and_between_fractions() {
        let big = |s: &str| Number::Rational(BigRational::from_integer(s.parse().unwrap()));
        let huge = big("123456789012345678901234567890");
        let tiny = Number::Rational(BigRational::new(
            BigInt::from(1),
            "123456789012345678901234567890".parse().unwrap(),
        ));
        let cases = [
            (Number::int(1), Ordering::Equal),
            (Number::int(2), Ordering::Greater),
            (Number::frac(-1, 2), Ordering::Less),
            (Number::frac(3, 2), Ordering::Greater),
            (Number::frac(2, 3), Ordering::Less),
            (huge, Ordering::Greater),
            (tiny, Ordering::Less),
            (Number::float(1.0), Ordering::Greater),
            (Number::float(0.5), Ordering::Less),
            (Number::float(f64::NAN), Ordering::Greater),
        ];
        for (n, want) in cases {
            assert_eq!(n.cmp_one(), want, "{n:?}");
            assert_eq!(Number::int(1).cmp_value(&n), want.reverse(), "{n:?}");
        }
        // -1/2 < 2, 2/3 > 3/5, -7/3 < -9/4, 5/6 = 5/6
        assert_eq!(
            Number::frac(-1, 2).cmp_value(&Number::int(2)),
            Ordering::Less
        );
        assert_eq!(
            Number::frac(2, 3).cmp_value(&Number::frac(3, 5)),
            Ordering::Greater
        );
        assert_eq!(
            Number::frac(-7, 3).cmp_value(&Number::frac(-9, 4)),
            Ordering::Less
        );
        assert_eq!(
            Number::frac(5, 6).cmp_value(&Number::frac(10, 12)),
            Ordering::Equal
        );
    }

    /// Fractions from machine integers are in lowest terms with a positive
    /// denominator, as `Ratio::new` makes them, at the ends of the range.
    #[test]
    fn fractions_are_reduced() {
        let cases = [
            (6, -4, "-3/2"),
            (-6, -4, "3/2"),
            (0, -5, "0"),
            (7, 7, "1"),
            (i64::MIN, 2, "-4611686018427387904"),
            (i64::MIN, -1, "9223372036854775808"),
            (i64::MIN, i64::MIN, "1"),
            (3, i64::MIN, "-3/9223372036854775808"),
        ];
        for (n, d, want) in cases {
            let got = Number::frac(n, d);
            assert_eq!(got.to_string(), want, "{n}/{d}");
            let Number::Rational(r) = &got else {
                panic!("{n}/{d}")
            };
            assert_eq!(*r, BigRational::new(BigInt::from(n), BigInt::from(d)));
        }
    }

    #[test]
    fn float_contagion() {
        assert_eq!(Number::int(1).add(&Number::float(0.5)), Number::float(1.5));
        assert_eq!(
            Number::frac(1, 2).add(&Number::frac(1, 3)),
            Number::frac(5, 6)
        );
    }

    #[test]
    fn exact_powers_are_bounded() {
        assert_eq!(
            Number::int(2).pow_int(&BigInt::from(10)),
            Some(Number::int(1024))
        );
        assert_eq!(
            Number::int(2).pow_int(&BigInt::from(-2)),
            Some(Number::frac(1, 4))
        );
        assert_eq!(Number::int(2).pow_int(&BigInt::from(1_000_000_000)), None);
        assert_eq!(Number::int(0).pow_int(&BigInt::from(-1)), None);
        assert_eq!(
            Number::int(-1).pow_int(&BigInt::from(1_000_000_001)),
            Some(Number::int(-1))
        );
    }

    #[test]
    fn big_rational_arithmetic_matches_ratio() {
        // operands well above SMALL_GCD_BITS, with common factors to cancel
        let big = |b: u32, e: u32, k: i64| BigInt::from(b).pow(e) * BigInt::from(k);
        let cases = [
            (
                big(3, 700, 10),
                big(2, 900, 7),
                big(6, 400, -35),
                big(5, 300, 9),
            ),
            (
                big(7, 400, 1),
                big(7, 399, 2),
                big(7, 400, 3),
                big(7, 399, 4),
            ),
            (
                big(2, 600, -1),
                big(3, 500, 1),
                big(3, 500, 1),
                big(2, 600, 1),
            ),
            (
                BigInt::from(0),
                BigInt::from(1),
                big(11, 300, 13),
                big(13, 280, 1),
            ),
        ];
        for (n1, d1, n2, d2) in cases {
            let a = BigRational::new(n1, d1);
            let b = BigRational::new(n2, d2);
            for (x, y) in [(&a, &b), (&b, &a), (&a, &a)] {
                let (s, p) = (add_rational(x, y), mul_rational(x, y));
                assert_eq!((s.numer(), s.denom()), ((x + y).numer(), (x + y).denom()));
                assert_eq!((p.numer(), p.denom()), ((x * y).numer(), (x * y).denom()));
            }
        }
        let g = gcd(&big(6, 500, 5), &big(4, 450, -15));
        // 6^500*5 = 2^500*3^500*5 and 4^450*15 = 2^900*3*5
        assert_eq!(g, BigInt::from(2).pow(500) * 15);
        assert_eq!(gcd(&BigInt::from(0), &big(5, 400, -1)), big(5, 400, 1));
    }

    #[test]
    fn machine_word_rational_arithmetic_matches_ratio() {
        // small operands take the i128 path; near 2^62 and past it, the
        // BigInt paths: each result must equal num-rational's
        let edge = (1i64 << 62) - 1;
        let mut vals = Vec::new();
        for n in [
            -7i64,
            -4,
            -1,
            0,
            1,
            3,
            6,
            12,
            edge,
            -edge,
            edge + 1,
            i64::MAX,
            i64::MIN + 1,
        ] {
            for d in [1i64, 2, 3, 4, 9, edge, edge - 2, i64::MAX] {
                vals.push(BigRational::new(n.into(), d.into()));
            }
        }
        for x in &vals {
            for y in &vals {
                let (s, p) = (add_rational(x, y), mul_rational(x, y));
                assert_eq!(
                    (s.numer(), s.denom()),
                    ((x + y).numer(), (x + y).denom()),
                    "{x} + {y}"
                );
                assert_eq!(
                    (p.numer(), p.denom()),
                    ((x * y).numer(), (x * y).denom()),
                    "{x} * {y}"
                );
            }
        }
    }

    #[test]
    fn split_powers() {
        assert_eq!(
            split_power(&BigInt::from(8), 2),
            (BigInt::from(2), BigInt::from(2))
        );
        assert_eq!(
            split_power(&BigInt::from(27), 3),
            (BigInt::from(3), BigInt::from(1))
        );
        assert_eq!(
            split_power(&BigInt::from(12), 2),
            (BigInt::from(2), BigInt::from(3))
        );
    }

    #[test]
    fn floats_print_as_floats() {
        assert_eq!(format_float(2.0), "2.0");
        assert_eq!(format_float(0.1), "0.1");
        assert_eq!(format_float(1e300), "1e300");
        assert_eq!(format_float(f64::NAN), "0/0");
        assert_eq!(Number::float(-f64::NAN), Number::float(f64::NAN));
    }
}
