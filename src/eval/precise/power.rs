//! Powers of intervals, with the float semantics of the tape: an integer
//! exponent works on any base (`0^(-1) = +inf`), any other exponent needs
//! a base `>= 0` (`(-8)^(1/3)` is undefined, as `powf` gives NaN).

use astro_float::BigFloat;
use num_bigint::BigInt;
use num_traits::{FromPrimitive, Signed, ToPrimitive, Zero};

use crate::expr::Number;

use super::interval::{Ctx, Iv, Val, word};

/// Integer powers up to this exponent multiply; larger ones go through
/// `exp(n log x)`, whose cost does not grow with `n`.
const SQUARINGS_UP_TO: u64 = 1024;

impl Ctx {
    /// `b ^ e`; `num` is the exponent when it is a number node.
    pub fn pow(&mut self, b: &Iv, e: &Iv, num: Option<&Number>) -> Val {
        if let Some(n) = num.and_then(integer_value) {
            return Val::Iv(self.powi(b, &n));
        }
        let half = Number::frac(1, 2);
        if num == Some(&half) {
            return self.sqrt(b);
        }
        if num == Some(&half.neg()) {
            return match self.sqrt(b) {
                Val::Iv(r) => Val::Iv(self.recip(&r)),
                Val::Nan => Val::Nan,
            };
        }
        self.powf(b, e, num.is_some())
    }

    /// `b ^ e` for an exponent that is not an integer number: `exp(e log b)`.
    fn powf(&mut self, b: &Iv, e: &Iv, non_integer: bool) -> Val {
        let flags = b.maybe_nan || e.maybe_nan;
        if b.negative() {
            // powf of a negative base is NaN unless the exponent is an integer
            let no_integer = non_integer || (e.lo.floor() == e.hi.floor() && !e.lo.is_int());
            return if no_integer {
                Val::Nan
            } else {
                Val::Iv(Iv::unknown())
            };
        }
        if b.is_zero() {
            let v = if e.positive() {
                Iv::point(word(0))
            } else if e.negative() {
                Iv::point(astro_float::INF_POS)
            } else {
                Iv::unknown()
            };
            return Val::Iv(v);
        }
        let base = match self.restrict(b, Some(&word(0)), None) {
            Val::Iv(r) => r,
            Val::Nan => return Val::Nan,
        };
        let Val::Iv(l) = self.ln(&base) else {
            return Val::Nan;
        };
        let x = self.mul(e, &l);
        let mut out = self.exp(&x);
        out.maybe_nan |= flags || base.maybe_nan;
        Val::Iv(out)
    }

    /// `b ^ n` for an integer `n`.
    pub fn powi(&mut self, b: &Iv, n: &BigInt) -> Iv {
        if n.is_zero() {
            return b.with(word(1), word(1));
        }
        if n.is_negative() {
            let p = self.powi(b, &-n);
            return self.recip(&p);
        }
        if n.bit(0) {
            // odd: increasing, so the bounds are the powers of the bounds
            let lo = self.odd_point(&b.lo, n).lo;
            let hi = self.odd_point(&b.hi, n).hi;
            return b.with(lo, hi);
        }
        let m = b.abs();
        let mut out = self.pos_pow(&m, n);
        out.maybe_nan = b.maybe_nan;
        out
    }

    /// `x^n` for an exact point `x` and odd `n > 0`.
    fn odd_point(&mut self, x: &BigFloat, n: &BigInt) -> Iv {
        let m = Iv::point(x.abs());
        let r = self.pos_pow(&m, n);
        if x.is_negative() { r.neg() } else { r }
    }

    /// `a^n` for `a >= 0` and `n > 0`.
    fn pos_pow(&mut self, a: &Iv, n: &BigInt) -> Iv {
        match n.to_u64().filter(|k| *k <= SQUARINGS_UP_TO) {
            Some(k) => {
                let mut result = Iv::point(word(1));
                let mut base = a.clone();
                let mut k = k;
                while k > 0 {
                    if k & 1 == 1 {
                        result = self.mul(&result, &base);
                    }
                    k >>= 1;
                    if k > 0 {
                        base = self.mul(&base, &base);
                    }
                }
                result
            }
            None => {
                if a.is_zero() {
                    return a.clone();
                }
                let Val::Iv(l) = self.ln(a) else {
                    return Iv::unknown();
                };
                let nn = self.integer(n);
                let x = self.mul(&nn, &l);
                let mut out = self.exp(&x);
                if a.lo.is_zero() {
                    out.lo = word(0);
                }
                out
            }
        }
    }
}

/// The integer an exponent number holds, if it is one (`2`, `-3`, `2.0`).
fn integer_value(n: &Number) -> Option<BigInt> {
    match n {
        Number::Rational(r) if r.is_integer() => Some(r.numer().clone()),
        Number::Float(f) if f.fract() == 0.0 && f.is_finite() => BigInt::from_f64(*f),
        _ => None,
    }
}
