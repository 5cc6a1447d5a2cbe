//! Elementary functions on intervals: monotone ones bound by their values
//! at the ends, `sin` and `cos` by their value at the middle plus the
//! radius (both are 1-Lipschitz), the others composed from these.

use astro_float::{BigFloat, Consts};

use super::interval::{Ctx, Iv, RM, Val, lt, pow2, word};

/// Past this magnitude `exp`, `sinh` and `cosh` overflow astro-float's
/// exponent range (2^31 bits): their value is beyond every finite bound.
const HUGE_EXP: i64 = 31;

type Fun = fn(&BigFloat, usize, &mut Consts) -> BigFloat;

/// `lo <= sqrt(x) <= hi` two ulps apart at precision `p`, for a finite
/// `x >= 0`; `None` where the check below fails (then astro-float's
/// square root, a hundred times slower than a product, is used).
///
/// Newton's iteration for `1/sqrt(y)`, `r <- r + r*(1 - y*r^2)/2`, from the
/// `f64` seed of `y = x*2^-2k` (in `[1/4, 1)`), doubles the bits each
/// step; `sqrt(x) = y*r*2^k`. The result is not trusted: the candidates
/// `s -+ ulp` are squared exactly (at four times their precision) and compared
/// with `x`, so `lo^2 <= x <= hi^2` holds by construction and the bounds
/// are sound whatever the rounding inside the iteration.
pub(super) fn sqrt_bounds(x: &BigFloat, p: usize) -> Option<(BigFloat, BigFloat)> {
    if x.is_zero() {
        return Some((word(0), word(0)));
    }
    if x.is_inf_pos() {
        return Some((BigFloat::max_value(p), astro_float::INF_POS));
    }
    if !x.is_positive() || x.is_nan() {
        return None;
    }
    let e = i64::from(x.exponent()?);
    let k = e.div_euclid(2);
    let mut y = x.clone();
    y.set_exponent(i32::try_from(e - 2 * k).ok()?);
    let seed = super::round::nearest(&y);
    if !(seed.is_finite() && seed > 0.0) {
        return None;
    }
    let w = p + 32;
    let mut r = super::interval::from_f64(1.0 / seed.sqrt());
    let mut bits = 48;
    while bits < w {
        let t = y.mul(&r.mul(&r, w, RM), w, RM);
        let d = word(1).sub(&t, w, RM);
        if d.is_zero() {
            break;
        }
        let half = r.mul(&d, w, RM).div(&word(2), w, RM);
        r = r.add(&half, w, RM);
        bits *= 2;
    }
    let mut s = y.mul(&r, w, RM);
    s.set_exponent(i32::try_from(i64::from(s.exponent()?) + k).ok()?);
    let ulp = pow2(i64::from(s.exponent()?) - p as i64);
    let exact = w + 64;
    let lo = s.sub(&ulp, exact, RM);
    let hi = s.add(&ulp, exact, RM);
    if !lo.is_positive() {
        return None;
    }
    // s has at most w significant bits and the ulp is inside them, so the
    // bounds are exact at w + 64 bits, and their squares at four times that
    let (lo2, hi2) = (lo.mul(&lo, 4 * exact, RM), hi.mul(&hi, 4 * exact, RM));
    let holds = !lt(x, &lo2) && !lt(&hi2, x);
    let clean = |mut b: BigFloat| {
        b.set_inexact(false);
        b
    };
    holds.then(|| (clean(lo), clean(hi)))
}

impl Ctx {
    /// `f` increasing on the interval: `[f(lo), f(hi)]`, made sound.
    pub fn increasing(&mut self, a: &Iv, f: Fun) -> Iv {
        let lo = f(&a.lo, self.p, &mut self.cc);
        let hi = f(&a.hi, self.p, &mut self.cc);
        self.bounds(a, lo, hi, false)
    }

    /// `f` decreasing on the interval.
    pub fn decreasing(&mut self, a: &Iv, f: Fun) -> Iv {
        let lo = f(&a.hi, self.p, &mut self.cc);
        let hi = f(&a.lo, self.p, &mut self.cc);
        self.bounds(a, lo, hi, false)
    }

    /// `a` cut to `[min, max]` (open ends where the function has a pole
    /// are handled by the caller); `Nan` when they do not meet, and the
    /// value may be undefined when part of `a` is cut away.
    pub fn restrict(&self, a: &Iv, min: Option<&BigFloat>, max: Option<&BigFloat>) -> Val {
        let below = |x: &BigFloat| min.is_some_and(|m| lt(x, m));
        let above = |x: &BigFloat| max.is_some_and(|m| lt(m, x));
        if below(&a.hi) || above(&a.lo) {
            return Val::Nan;
        }
        let mut out = a.clone();
        if below(&a.lo) {
            out.lo = min.cloned().unwrap_or(out.lo);
            out.maybe_nan = true;
        }
        if above(&a.hi) {
            out.hi = max.cloned().unwrap_or(out.hi);
            out.maybe_nan = true;
        }
        Val::Iv(out)
    }

    /// `exp`, with overflow and underflow decided without astro-float.
    pub fn exp(&mut self, a: &Iv) -> Iv {
        let huge = pow2(HUGE_EXP);
        let mut out = self.increasing(a, |x, p, cc| x.exp(p, RM, cc));
        if lt(&huge, &a.lo) {
            out.lo = BigFloat::max_value(self.p);
        }
        if lt(&a.hi, &huge.neg()) {
            out.hi = BigFloat::min_positive(self.p);
        }
        if lt(&huge, &a.hi) {
            out.hi = astro_float::INF_POS;
        }
        if lt(&a.lo, &huge.neg()) {
            out.lo = word(0);
        }
        out
    }

    /// `log`: `-inf` at exactly zero, undefined below.
    pub fn ln(&mut self, a: &Iv) -> Val {
        if a.is_zero() {
            return Val::Iv(a.with(astro_float::INF_NEG, astro_float::INF_NEG));
        }
        let zero = word(0);
        let Val::Iv(r) = self.restrict(a, Some(&zero), None) else {
            return Val::Nan;
        };
        if r.lo.is_zero() && r.hi.is_zero() {
            return Val::Iv(r.with(astro_float::INF_NEG, astro_float::INF_NEG).or_nan());
        }
        let mut out = self.increasing(&r, |x, p, cc| x.ln(p, RM, cc));
        if r.lo.is_zero() {
            out.lo = astro_float::INF_NEG;
        }
        Val::Iv(out)
    }

    /// `sqrt`, undefined below zero: [`sqrt_bounds`] at each end, or
    /// astro-float's square root where those cannot vouch for theirs.
    pub fn sqrt(&mut self, a: &Iv) -> Val {
        let zero = word(0);
        match self.restrict(a, Some(&zero), None) {
            Val::Iv(r) => {
                let at_lo = sqrt_bounds(&r.lo, self.p);
                let (lo, hi) = if r.is_point() {
                    (at_lo.clone().map(|b| b.0), at_lo.map(|b| b.1))
                } else {
                    (at_lo.map(|b| b.0), sqrt_bounds(&r.hi, self.p).map(|b| b.1))
                };
                Val::Iv(match (lo, hi) {
                    (Some(lo), Some(hi)) => r.with(lo, hi),
                    _ => self.increasing(&r, |x, p, _| x.sqrt(p, RM)),
                })
            }
            Val::Nan => Val::Nan,
        }
    }

    /// `sin` or `cos`: the value at the middle, widened by the radius.
    pub fn sin_cos(&mut self, a: &Iv, cos: bool) -> Iv {
        let whole = a.with(word(1).neg(), word(1));
        let (Some(_), Some(_)) = (a.lo.exponent(), a.hi.exponent()) else {
            return whole;
        };
        let mid = if a.is_point() {
            a.lo.clone()
        } else {
            a.lo.add(&a.hi, self.p, RM).div(&word(2), self.p, RM)
        };
        let radius = self.up(
            max_abs(&mid.sub(&a.lo, self.p, RM), &a.hi.sub(&mid, self.p, RM)),
            true,
        );
        // argument reduction costs as many bits as the argument has above
        // the point: beyond the working precision, the value is unknown
        let too_big = mid.exponent().is_some_and(|e| e as i64 > self.p as i64);
        if lt(&word(4), &radius) || too_big {
            return whole;
        }
        let v = if cos {
            mid.cos(self.p, RM, &mut self.cc)
        } else {
            mid.sin(self.p, RM, &mut self.cc)
        };
        let lo = self.down(self.down(v.clone(), false).sub(&radius, self.p, RM), true);
        let hi = self.up(self.up(v, false).add(&radius, self.p, RM), true);
        let one = word(1);
        let lo = if lt(&lo, &one.neg()) { one.neg() } else { lo };
        let hi = if lt(&one, &hi) { one } else { hi };
        a.with(lo, hi)
    }

    /// `tan = sin / cos`.
    pub fn tan(&mut self, a: &Iv) -> Iv {
        let s = self.sin_cos(a, false);
        let c = self.sin_cos(a, true);
        self.div(&s, &c)
    }

    /// `sinh`, `cosh` or `tanh`, with huge arguments decided here.
    pub fn hyperbolic(&mut self, a: &Iv, which: u8) -> Iv {
        let huge = pow2(HUGE_EXP);
        let big = |x: &BigFloat| lt(&huge, &x.abs());
        if big(&a.lo) || big(&a.hi) {
            // through exp, which handles the range: (e^x - e^-x)/2 etc.
            let ex = self.exp(a);
            let emx = self.exp(&a.neg());
            let half = Iv::point(pow2(-1));
            return match which {
                0 => self.mul(&self.add(&ex, &emx.neg()), &half),
                1 => self.mul(&self.add(&ex, &emx), &half),
                _ => {
                    let one = word(1);
                    a.with(one.neg(), one)
                }
            };
        }
        match which {
            0 => self.increasing(a, |x, p, cc| x.sinh(p, RM, cc)),
            1 => {
                let m = a.abs();
                self.increasing(&m, |x, p, cc| x.cosh(p, RM, cc))
            }
            _ => self.increasing(a, |x, p, cc| x.tanh(p, RM, cc)),
        }
    }

    /// `asin`, `acos` on `[-1, 1]`.
    pub fn arc(&mut self, a: &Iv, cos: bool) -> Val {
        let one = word(1);
        let Val::Iv(r) = self.restrict(a, Some(&one.neg()), Some(&one)) else {
            return Val::Nan;
        };
        Val::Iv(if cos {
            self.decreasing(&r, |x, p, cc| x.acos(p, RM, cc))
        } else {
            self.increasing(&r, |x, p, cc| x.asin(p, RM, cc))
        })
    }

    /// `acosh` on `[1, inf)`.
    pub fn acosh(&mut self, a: &Iv) -> Val {
        let one = word(1);
        match self.restrict(a, Some(&one), None) {
            Val::Iv(r) => Val::Iv(self.increasing(&r, |x, p, cc| x.acosh(p, RM, cc))),
            Val::Nan => Val::Nan,
        }
    }

    /// `atanh` on `(-1, 1)`, `±inf` at exactly `±1`.
    pub fn atanh(&mut self, a: &Iv) -> Val {
        let one = word(1);
        if a.is_point() && a.lo.abs() == one {
            let inf = if a.lo.is_negative() {
                astro_float::INF_NEG
            } else {
                astro_float::INF_POS
            };
            return Val::Iv(a.with(inf.clone(), inf));
        }
        let Val::Iv(r) = self.restrict(a, Some(&one.neg()), Some(&one)) else {
            return Val::Nan;
        };
        let f = |x: &BigFloat, p: usize, cc: &mut Consts| {
            if x.abs() == word(1) {
                if x.is_negative() {
                    astro_float::INF_NEG
                } else {
                    astro_float::INF_POS
                }
            } else {
                x.atanh(p, RM, cc)
            }
        };
        let mut out = self.increasing(&r, f);
        out.lo = if r.lo == one.neg() {
            astro_float::INF_NEG
        } else {
            out.lo
        };
        out.hi = if r.hi == one {
            astro_float::INF_POS
        } else {
            out.hi
        };
        Val::Iv(out)
    }
}

fn max_abs(a: &BigFloat, b: &BigFloat) -> BigFloat {
    let (a, b) = (a.abs(), b.abs());
    if lt(&a, &b) { b } else { a }
}
