//! The integer parts (`floor`, `ceil`, `round`), `erfc` without the
//! cancellation of `1 - erf(x)`, and `sinc` across its removable
//! singularity, on intervals.

use astro_float::BigFloat;

use super::interval::{Ctx, Iv, RM, lt, pow2, word};
use super::round;

/// Which integer part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Whole {
    /// The greatest integer not above.
    Floor,
    /// The least integer not below.
    Ceil,
    /// The nearest integer, halves away from zero.
    Round,
}

/// Past this `x^2`, `erfc(x) <= exp(-x^2)` is below `2^-1154`, under half
/// the smallest subnormal: it rounds to 0.
const ERFC_NEGLIGIBLE: f64 = 800.0;

impl Ctx {
    /// `floor`, `ceil` or `round`: non-decreasing, so the parts of the
    /// ends, which are exact integers.
    pub fn integer_part(&self, a: &Iv, w: Whole) -> Iv {
        a.with(self.whole(&a.lo, w), self.whole(&a.hi, w))
    }

    fn whole(&self, x: &BigFloat, w: Whole) -> BigFloat {
        if x.is_inf() || x.is_nan() {
            return x.clone();
        }
        let mut out = match w {
            Whole::Floor => x.floor(),
            Whole::Ceil => x.ceil(),
            Whole::Round => {
                let t = x.int();
                let f = x.fract().abs();
                if lt(&f, &pow2(-1)) {
                    t
                } else {
                    let bits = x.mantissa_max_bit_len().unwrap_or(64).max(self.p) + 64;
                    let one = if x.is_negative() {
                        word(1).neg()
                    } else {
                        word(1)
                    };
                    t.add(&one, bits, RM)
                }
            }
        };
        out.set_inexact(false);
        out
    }

    /// `erfc`, decreasing.
    pub fn erfc(&mut self, a: &Iv) -> Iv {
        let lo = self.erfc_point(&Iv::point(a.hi.clone())).lo;
        let hi = if a.is_point() {
            self.erfc_point(a).hi
        } else {
            self.erfc_point(&Iv::point(a.lo.clone())).hi
        };
        a.with(lo, hi)
    }

    /// `erfc` at an exact point: `1 - erf(x)` with the precision raised by
    /// the bits the subtraction cancels (`erfc(x) ~ exp(-x^2)`), and 0 to
    /// within `2^-1100` where it is negligible.
    fn erfc_point(&mut self, x: &Iv) -> Iv {
        let v = round::nearest(&x.lo);
        if v.is_nan() {
            return Iv::unknown();
        }
        if v > 0.0 && v * v > ERFC_NEGLIGIBLE {
            return x.with(word(0), pow2(-1100));
        }
        let extra = if v > 0.0 {
            (v * v * std::f64::consts::LOG2_E).ceil() as usize + 16
        } else {
            0
        };
        let saved = self.p;
        self.p = saved + extra;
        let e = self.erf_point(x);
        let out = self.add(&Iv::point(word(1)), &e.neg());
        self.p = saved;
        out
    }

    /// `sinc(x) = sin(x)/x`, 1 at 0; on an interval around 0, between
    /// `1 - m^2/6` (`sin(x) >= x - x^3/6`) and 1, `m` its largest magnitude.
    pub fn sinc(&mut self, a: &Iv) -> Iv {
        if a.positive() || a.negative() {
            let s = self.sin_cos(a, false);
            return self.div(&s, a);
        }
        if a.is_zero() {
            return a.with(word(1), word(1));
        }
        let m = Iv::point(a.lo.abs()).hull(Iv::point(a.hi.abs()));
        let m = Iv::point(m.hi);
        let q = self.mul(&m, &m);
        let q = self.div(&q, &Iv::point(word(6)));
        let lo = self.add(&Iv::point(word(1)), &q.neg()).lo;
        let lo = if lt(&lo, &word(1).neg()) {
            word(1).neg()
        } else {
            lo
        };
        a.with(lo, word(1))
    }
}
