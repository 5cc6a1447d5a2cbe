//! A numeric coefficient while a product or a sum is built: a machine
//! fraction while it is small, so that gathering coefficients builds no
//! big integers.

use num_rational::BigRational;

use super::build::overflows;
use super::{ExprId, Number, Store};

/// A numeric coefficient while a product's factors or a sum's like terms
/// are gathered: a machine fraction in lowest terms while numerator and
/// denominator fit in 62 bits (most coefficients: no big integers are
/// built and dropped for each factor), else a boxed [`Number`] (so that a
/// coefficient is small to move). The same values as [`Number::mul`] and
/// [`Number::add`].
#[derive(Clone, Debug)]
pub(super) enum Coeff {
    /// `n/d`, `d > 0`, in lowest terms, both below `2^62` in magnitude.
    Small(i64, i64),
    /// Any other number.
    Big(Box<Number>),
}

impl Coeff {
    pub(super) const ONE: Coeff = Coeff::Small(1, 1);
    pub(super) const ZERO: Coeff = Coeff::Small(0, 1);

    /// `self * n`.
    pub(super) fn mul(&self, n: &Number) -> Coeff {
        if let (Coeff::Small(a, b), Number::Rational(r)) = (self, n)
            && let Some((c, d)) = super::rational::words(r)
        {
            let (num, den) = (
                i128::from(*a) * i128::from(c),
                i128::from(*b) * i128::from(d),
            );
            if let Some(small) = Coeff::reduced(num, den) {
                return small;
            }
        }
        Coeff::Big(Box::new(self.number().mul(n)))
    }

    /// `self * other`.
    pub(super) fn times(&self, other: &Coeff) -> Coeff {
        match other {
            Coeff::Small(n, d) => {
                if let Coeff::Small(a, b) = self {
                    let (num, den) = (
                        i128::from(*a) * i128::from(*n),
                        i128::from(*b) * i128::from(*d),
                    );
                    if let Some(small) = Coeff::reduced(num, den) {
                        return small;
                    }
                }
                Coeff::Big(Box::new(self.number().mul(&other.number())))
            }
            Coeff::Big(x) => self.mul(x),
        }
    }

    /// The coefficient `n`.
    pub(super) fn of(n: &Number) -> Coeff {
        match n {
            Number::Rational(r) => match super::rational::words(r) {
                Some((a, b)) => Coeff::Small(a, b),
                None => Coeff::Big(Box::new(n.clone())),
            },
            Number::Float(_) => Coeff::Big(Box::new(n.clone())),
        }
    }

    /// `self + other`.
    pub(super) fn add(&self, other: &Coeff) -> Coeff {
        if let (Coeff::Small(a, b), Coeff::Small(c, d)) = (self, other) {
            let (a, b, c, d) = (
                i128::from(*a),
                i128::from(*b),
                i128::from(*c),
                i128::from(*d),
            );
            let (num, den) = if b == d {
                (a + c, b)
            } else {
                (a * d + c * b, b * d)
            };
            if let Some(small) = Coeff::reduced(num, den) {
                return small;
            }
        }
        Coeff::Big(Box::new(self.number().add(&other.number())))
    }

    /// `num/den` (`den > 0`) in lowest terms, where both then fit.
    fn reduced(num: i128, den: i128) -> Option<Coeff> {
        const LIMIT: u128 = 1 << 62;
        // an integer (most coefficients) is in lowest terms already
        let g = if den == 1 {
            1
        } else {
            num_integer::Integer::gcd(&num.unsigned_abs(), &den.unsigned_abs()) as i128
        };
        let (num, den) = if g > 1 {
            (num / g, den / g)
        } else {
            (num, den)
        };
        (num.unsigned_abs() < LIMIT && den.unsigned_abs() < LIMIT)
            .then_some(Coeff::Small(num as i64, den as i64))
    }

    /// True below zero.
    pub(super) fn is_negative(&self) -> bool {
        match self {
            Coeff::Small(n, _) => *n < 0,
            Coeff::Big(x) => x.is_negative(),
        }
    }

    /// The gcd of the magnitudes of `cs` (the gcd of the numerators over
    /// the lcm of the denominators, `(0, 1)` for none) in machine words,
    /// or `None` where one is not small or the lcm outgrows a word.
    pub(super) fn magnitude_gcd(cs: &[Coeff]) -> Option<(u64, u64)> {
        let (mut n, mut d) = (0u64, 1u64);
        for c in cs {
            let Coeff::Small(a, b) = c else {
                return None;
            };
            let b = b.unsigned_abs();
            n = num_integer::Integer::gcd(&n, &a.unsigned_abs());
            d = (d / num_integer::Integer::gcd(&d, &b)).checked_mul(b)?;
        }
        Some((n, d))
    }

    /// The coefficient as a number.
    pub(super) fn number(&self) -> Number {
        match self {
            Coeff::Small(n, 1) => Number::int(*n),
            Coeff::Small(n, d) => Number::Rational(BigRational::new_raw((*n).into(), (*d).into())),
            Coeff::Big(x) => (**x).clone(),
        }
    }

    pub(super) fn is_zero(&self) -> bool {
        match self {
            Coeff::Small(n, _) => *n == 0,
            Coeff::Big(x) => x.is_zero(),
        }
    }

    pub(super) fn is_one(&self) -> bool {
        match self {
            Coeff::Small(n, d) => *n == 1 && *d == 1,
            Coeff::Big(x) => x.is_one(),
        }
    }

    pub(super) fn is_exact(&self) -> bool {
        match self {
            Coeff::Small(..) => true,
            Coeff::Big(x) => x.is_exact(),
        }
    }

    /// Bits of the larger of numerator and denominator ([`Number::bits`]).
    pub(super) fn bits(&self) -> u64 {
        match self {
            Coeff::Small(n, d) => {
                let bits = |v: u64| u64::from(u64::BITS - v.leading_zeros());
                bits(n.unsigned_abs()).max(bits(d.unsigned_abs()))
            }
            Coeff::Big(x) => x.bits(),
        }
    }

    /// True when the coefficient is a float that overflowed ([`overflows`]).
    pub(super) fn overflows(&self) -> bool {
        matches!(self, Coeff::Big(x) if overflows(x))
    }
}

impl Store {
    /// `c` within the bound on exact numbers ([`Store::bounded`]).
    pub(super) fn bounded_coeff(&mut self, c: Coeff) -> Coeff {
        // a small one has at most 62 bits
        if matches!(c, Coeff::Small(..)) && self.max_bits >= 62 || c.bits() <= self.max_bits {
            c
        } else {
            Coeff::Big(Box::new(self.bounded(c.number())))
        }
    }

    /// The node of a coefficient: a small integer from the table without a
    /// big integer built ([`Store::number`] does the same for a number).
    pub(super) fn coeff_node(&mut self, coeff: &Coeff) -> ExprId {
        match *coeff {
            Coeff::Small(n, 1) => self.int(n),
            _ => self.number(coeff.number()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigInt;

    /// Numbers on both sides of the machine-fraction limit (2^62), of
    /// both signs, fractions, zero, one and floats.
    fn numbers() -> Vec<Number> {
        let big = BigInt::from(1u64 << 61);
        let mut v = vec![
            Number::int(0),
            Number::int(1),
            Number::int(-1),
            Number::int(6),
            Number::frac(-3, 4),
            Number::frac(5, 6),
            Number::Rational(BigRational::new_raw(big.clone() - 1, BigInt::from(3))),
            Number::Rational(BigRational::from_integer(big.clone() * BigInt::from(2) - 1)),
            Number::Rational(BigRational::from_integer(big.clone() * BigInt::from(2))),
            Number::Rational(BigRational::from_integer(-(big.clone() * BigInt::from(4)))),
            Number::Rational(BigRational::new_raw(BigInt::from(1), big * BigInt::from(3))),
            Number::float(2.5),
            Number::float(-0.0),
        ];
        v.push(Number::float(1e300));
        v
    }

    #[test]
    fn a_coefficient_adds_and_multiplies_as_numbers_do() {
        for a in numbers() {
            for b in numbers() {
                for c in numbers() {
                    let want = a.mul(&b).mul(&c);
                    let got = Coeff::ONE.mul(&a).mul(&b).mul(&c);
                    let sum = a.add(&b).add(&c);
                    let got_sum = Coeff::ZERO
                        .add(&Coeff::of(&a))
                        .add(&Coeff::of(&b))
                        .add(&Coeff::of(&c));
                    assert_eq!(got_sum.number(), sum, "{a:?} + {b:?} + {c:?}");
                    assert_eq!(got_sum.bits(), sum.bits(), "{sum:?}");
                    let n = got.number();
                    assert_eq!(n, want, "{a:?} * {b:?} * {c:?}");
                    // a coefficient times a coefficient, small or not
                    let times = Coeff::of(&a).times(&Coeff::of(&b)).times(&Coeff::of(&c));
                    assert_eq!(times.number(), want, "{a:?} * {b:?} * {c:?}");
                    assert_eq!(times.bits(), n.bits());
                    assert_eq!(n.bits(), got.bits(), "{n:?}");
                    assert_eq!(
                        (got.is_zero(), got.is_one(), got.is_exact(), got.overflows()),
                        (
                            want.is_zero(),
                            want.is_one(),
                            want.is_exact(),
                            overflows(&want)
                        ),
                        "{want:?}"
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod content_tests {
    use crate::expr::{Number, Store};
    use crate::parse::{ParseOptions, parse_expr};
    use crate::print::infix;

    /// `Store::content` of a sum: the number and the primitive sum, by hand.
    fn content(src: &str) -> Option<(Number, String)> {
        let mut s = Store::new();
        let e = parse_expr(&mut s, src, &ParseOptions::default()).expect("parses");
        s.content(e).map(|(c, rest)| (c, infix(&s, rest)))
    }

    #[test]
    fn the_content_of_a_sum_small_big_or_float() {
        assert_eq!(
            content("6*x + 4*y"),
            Some((Number::int(2), "3*x + 2*y".into()))
        );
        assert_eq!(content("-x - y"), Some((Number::int(-1), "x + y".into())));
        assert_eq!(
            content("x/2 + y/3"),
            Some((Number::frac(1, 6), "3*x + 2*y".into()))
        );
        assert_eq!(
            content("-6*x + 4*y - 2"),
            Some((Number::int(-2), "3*x - 2*y + 1".into()))
        );
        assert_eq!(content("x + 2*y"), None);
        assert_eq!(content("x - y"), None);
        // beyond machine words: 2^70 in common, then 2 with a big term
        let big = content("1180591620717411303424*x + 2361183241434822606848*y");
        assert_eq!(big.as_ref().map(|b| b.1.as_str()), Some("x + 2*y"));
        assert_eq!(big.map(|b| b.0.as_i64()), Some(None));
        assert_eq!(
            content("1180591620717411303424*x + 6*y"),
            Some((Number::int(2), "590295810358705651712*x + 3*y".into()))
        );
        // a float coefficient: only the sign
        assert_eq!(content("2.0*x + 4*y"), None);
        assert_eq!(
            content("-2.0*x - 4*y"),
            Some((Number::int(-1), "2.0*x + 4*y".into()))
        );
    }

    /// A sum found to have no content is flagged so, and the flag is the
    /// sum's alone: a sum built above it afterwards (here through a call)
    /// has its own content, 2 by hand, and asking twice gives the same.
    #[test]
    fn no_content_is_not_passed_up() {
        let mut s = Store::new();
        let o = ParseOptions::default();
        let inner = parse_expr(&mut s, "x + y", &o).expect("parses");
        assert_eq!(s.content(inner), None);
        assert_eq!(s.content(inner), None);
        let outer = parse_expr(&mut s, "2*sin(x + y) + 2*z", &o).expect("parses");
        for _ in 0..2 {
            let (c, rest) = s.content(outer).expect("2 in common");
            assert_eq!(
                (c, infix(&s, rest)),
                (Number::int(2), "z + sin(x + y)".into())
            );
        }
    }

    /// Integers beyond the small table are kept by value too: the same
    /// node whichever way they are asked for, and within a store's bound
    /// on exact numbers (past it, the overflow is recorded and nothing
    /// kept).
    #[test]
    fn large_integers_are_interned_once() {
        let mut s = Store::new();
        for i in [257i64, -257, 400, -400, 1 << 40, i64::MAX, i64::MIN] {
            let a = s.int(i);
            let b = s.number(Number::int(i));
            let c = s.coeff_node(&super::Coeff::of(&Number::int(i)));
            assert_eq!((a, b), (c, c), "{i}");
            assert_eq!(s.as_num(a), Some(&Number::int(i)));
        }
        let mut tight = Store::with_limits(16, 100, 1000);
        let big = tight.int(1 << 40);
        assert!(tight.overflowed().is_some());
        assert_eq!(tight.as_num(big), Some(&Number::int(0)));
        let mut fresh = Store::with_limits(16, 100, 1000);
        let small = fresh.int(400);
        assert_eq!(fresh.as_num(small), Some(&Number::int(400)));
    }
}
