//! Intervals of `astro-float` numbers with rigorous bounds.
//!
//! astro-float rounds every operation and function correctly to nearest at
//! the precision asked for: the error is at most half a unit in the last
//! place (ulp). It has no directed rounding, so each bound is made sound by
//! moving the nearest result outward by one whole ulp (twice the error the
//! library claims). Sums, products and quotients that astro-float reports
//! exact are kept exact, so exact inputs that are ties between two `f64`s
//! still round to the tie's even neighbour.

use std::cmp::Ordering;

use astro_float::{BigFloat, Consts, RoundingMode, Sign, Word};
use num_bigint::{BigInt, BigUint};
use num_rational::BigRational;
use num_traits::Signed;

// astro-float's words are 64 bits on the targets deriv builds for; the
// conversions here and in `round.rs` rely on it
const _: () = assert!(Word::BITS == 64, "astro-float words must be 64 bits");

/// Rounding of every astro-float call: to nearest, ties to even.
pub(super) const RM: RoundingMode = RoundingMode::ToEven;

/// A closed interval `[lo, hi]` that holds the true value, when it is real;
/// either bound may be infinite. `maybe_nan` says the true value may also
/// be undefined (an argument that straddles the edge of a domain).
#[derive(Clone, Debug)]
pub(super) struct Iv {
    pub lo: BigFloat,
    pub hi: BigFloat,
    pub maybe_nan: bool,
}

/// A value: an interval, or certainly undefined (NaN).
#[derive(Clone, Debug)]
pub(super) enum Val {
    Iv(Iv),
    Nan,
}

/// Working precision and the constants cache.
pub(super) struct Ctx {
    pub p: usize,
    pub cc: Consts,
}

/// `a < b`, false when either is NaN.
pub(super) fn lt(a: &BigFloat, b: &BigFloat) -> bool {
    a.partial_cmp(b) == Some(Ordering::Less)
}

fn min_f(a: BigFloat, b: BigFloat) -> BigFloat {
    if lt(&b, &a) { b } else { a }
}

fn max_f(a: BigFloat, b: BigFloat) -> BigFloat {
    if lt(&a, &b) { b } else { a }
}

/// `2^e` (clamped to astro-float's exponent range).
pub(super) fn pow2(e: i64) -> BigFloat {
    let mut one = BigFloat::from_word(1, 64);
    let e = e
        .saturating_add(1)
        .clamp(i64::from(i32::MIN), i64::from(i32::MAX));
    one.set_exponent(e as i32);
    one
}

/// A small integer as an exact point.
pub(super) fn word(w: u64) -> BigFloat {
    BigFloat::from_word(w, 64)
}

/// The exact value of a finite `f64` (astro-float's own `from_f64` is off
/// by a factor of two on subnormals).
pub(super) fn from_f64(f: f64) -> BigFloat {
    if f == 0.0 || !f.is_finite() {
        return BigFloat::from_f64(f, 64);
    }
    let bits = f.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1 << 52) - 1);
    // f = m * 2^k
    let (m, k) = if exp == 0 {
        (frac, -1074)
    } else {
        (frac | (1 << 52), exp - 1075)
    };
    let sign = if f < 0.0 { Sign::Neg } else { Sign::Pos };
    let mut x = BigFloat::from_words(&[m], sign, (64 + k) as i32);
    x.set_inexact(false);
    x
}

impl Iv {
    /// The exact point `x`.
    pub fn point(mut x: BigFloat) -> Iv {
        x.set_inexact(false);
        Iv {
            lo: x.clone(),
            hi: x,
            maybe_nan: false,
        }
    }

    /// Any real value, or undefined.
    pub fn unknown() -> Iv {
        Iv {
            lo: astro_float::INF_NEG,
            hi: astro_float::INF_POS,
            maybe_nan: true,
        }
    }

    /// True for a single exactly known value.
    pub fn is_point(&self) -> bool {
        self.lo.partial_cmp(&self.hi) == Some(Ordering::Equal)
    }

    /// True for the exact point zero.
    pub fn is_zero(&self) -> bool {
        self.lo.is_zero() && self.hi.is_zero()
    }

    /// True when every value is above zero.
    pub fn positive(&self) -> bool {
        self.lo.is_positive() && !self.lo.is_zero()
    }

    /// True when every value is below zero.
    pub fn negative(&self) -> bool {
        self.hi.is_negative() && !self.hi.is_zero()
    }

    /// `[lo, hi]` with the flags of `self`.
    pub fn with(&self, lo: BigFloat, hi: BigFloat) -> Iv {
        Iv {
            lo,
            hi,
            maybe_nan: self.maybe_nan,
        }
    }

    /// The smallest interval holding both.
    pub fn hull(self, other: Iv) -> Iv {
        Iv {
            lo: min_f(self.lo, other.lo),
            hi: max_f(self.hi, other.hi),
            maybe_nan: self.maybe_nan || other.maybe_nan,
        }
    }

    /// Marks the value as possibly undefined.
    pub fn or_nan(mut self) -> Iv {
        self.maybe_nan = true;
        self
    }

    /// `[min(|x|), max(|x|)]`.
    pub fn abs(&self) -> Iv {
        if !self.lo.is_negative() {
            self.clone()
        } else if self.hi.is_negative() || self.hi.is_zero() {
            self.neg()
        } else {
            let mag = max_f(self.lo.neg(), self.hi.clone());
            self.with(BigFloat::from_word(0, 64), mag)
        }
    }

    /// `-x`.
    pub fn neg(&self) -> Iv {
        self.with(self.hi.neg(), self.lo.neg())
    }
}

impl Ctx {
    /// A lower bound of the true value of `r`, a result rounded to nearest
    /// at the working precision (`exact`: the operation reported no rounding).
    pub fn down(&self, r: BigFloat, exact: bool) -> BigFloat {
        self.nudge(r, exact, Sign::Neg)
    }

    /// An upper bound, as [`Ctx::down`].
    pub fn up(&self, r: BigFloat, exact: bool) -> BigFloat {
        self.nudge(r, exact, Sign::Pos)
    }

    fn nudge(&self, mut r: BigFloat, exact: bool, dir: Sign) -> BigFloat {
        let down = dir == Sign::Neg;
        if r.is_nan() {
            return if down {
                astro_float::INF_NEG
            } else {
                astro_float::INF_POS
            };
        }
        if r.is_inf() {
            // an overflow: the true value is beyond the largest finite one
            let pos = r.is_inf_pos();
            return match (pos, down) {
                (true, true) => BigFloat::max_value(self.p),
                (false, false) => BigFloat::min_value(self.p),
                _ => r,
            };
        }
        if exact && !r.inexact() {
            return r;
        }
        let step = match r.exponent() {
            Some(e) if !r.is_zero() => pow2(i64::from(e) - self.p as i64),
            _ => BigFloat::min_positive(64),
        };
        let step = if down { step.neg() } else { step };
        let mut out = r.add(&step, self.p + 64, RM);
        out.set_inexact(false);
        r.set_inexact(false);
        out
    }

    /// `[down(lo), up(hi)]` from nearest results, keeping `src`'s flags.
    pub fn bounds(&self, src: &Iv, lo: BigFloat, hi: BigFloat, exact: bool) -> Iv {
        src.with(self.down(lo, exact), self.up(hi, exact))
    }

    /// `a + b`.
    pub fn add(&self, a: &Iv, b: &Iv) -> Iv {
        let lo = a.lo.add(&b.lo, self.p, RM);
        let hi = a.hi.add(&b.hi, self.p, RM);
        let mut out = self.bounds(a, lo, hi, true);
        out.maybe_nan |= b.maybe_nan;
        out
    }

    /// `a * b`: the extremes of the four products of bounds.
    pub fn mul(&self, a: &Iv, b: &Iv) -> Iv {
        let mut lo = astro_float::INF_POS;
        let mut hi = astro_float::INF_NEG;
        let xs = if a.is_point() {
            vec![&a.lo]
        } else {
            vec![&a.lo, &a.hi]
        };
        let ys = if b.is_point() {
            vec![&b.lo]
        } else {
            vec![&b.lo, &b.hi]
        };
        for x in &xs {
            for y in &ys {
                let r = x.mul(y, self.p, RM);
                lo = min_f(lo, self.down(r.clone(), true));
                hi = max_f(hi, self.up(r, true));
            }
        }
        Iv {
            lo,
            hi,
            maybe_nan: a.maybe_nan || b.maybe_nan,
        }
    }

    /// `1 / a`; at exactly zero `+inf`, as IEEE `1/+0`.
    pub fn recip(&self, a: &Iv) -> Iv {
        if a.is_zero() {
            return a.with(astro_float::INF_POS, astro_float::INF_POS);
        }
        if !a.positive() && !a.negative() {
            let mut u = Iv::unknown();
            u.maybe_nan = a.maybe_nan;
            return u;
        }
        let one = word(1);
        let lo = one.div(&a.hi, self.p, RM);
        let hi = one.div(&a.lo, self.p, RM);
        self.bounds(a, lo, hi, true)
    }

    /// `a / b`.
    pub fn div(&self, a: &Iv, b: &Iv) -> Iv {
        self.mul(a, &self.recip(b))
    }

    /// `pi`, enclosed.
    pub fn pi(&mut self) -> Iv {
        let v = self.cc.pi(self.p, RM);
        self.bounds(&Iv::point(word(0)), v.clone(), v, false)
    }

    /// `e`, enclosed.
    pub fn e(&mut self) -> Iv {
        let v = self.cc.e(self.p, RM);
        self.bounds(&Iv::point(word(0)), v.clone(), v, false)
    }

    /// An exact rational, enclosed; only its leading bits are read, so a
    /// number of any size costs time in proportion to the precision.
    pub fn rational(&self, q: &BigRational) -> Iv {
        let bits = self.p + 64;
        let (n_lo, n_hi) = integer_bounds(q.numer().magnitude(), bits);
        let (d_lo, d_hi) = integer_bounds(q.denom().magnitude(), bits);
        let lo = n_lo.div(&d_hi, self.p, RM);
        let hi = n_hi.div(&d_lo, self.p, RM);
        let iv = self.bounds(&Iv::point(word(0)), lo, hi, true);
        if q.is_negative() { iv.neg() } else { iv }
    }

    /// An exact integer, enclosed.
    pub fn integer(&self, n: &BigInt) -> Iv {
        self.rational(&BigRational::from_integer(n.clone()))
    }
}

/// `m` as two exact floats `lo <= m <= hi` of at most `bits` bits.
fn integer_bounds(m: &BigUint, bits: usize) -> (BigFloat, BigFloat) {
    let len = m.bits();
    if len <= bits as u64 {
        let x = biguint_float(m, 0);
        return (x.clone(), x);
    }
    let shift = len - bits as u64;
    let top: BigUint = m >> shift;
    let lo = biguint_float(&top, shift);
    let hi = biguint_float(&(top + 1u32), shift);
    (lo, hi)
}

/// The exact float `m * 2^shift`.
fn biguint_float(m: &BigUint, shift: u64) -> BigFloat {
    let words: Vec<Word> = m.iter_u64_digits().collect();
    if words.is_empty() {
        return word(0);
    }
    let e = (words.len() as u64 * u64::from(Word::BITS) + shift).min(i32::MAX as u64);
    let mut x = BigFloat::from_words(&words, Sign::Pos, e as i32);
    x.set_inexact(false);
    x
}
