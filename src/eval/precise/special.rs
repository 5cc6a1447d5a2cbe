//! Functions astro-float lacks, composed from interval operations (each
//! sound, so the composition is): `erf` by its Taylor series with the
//! alternating-series remainder, `sigmoid`, `softplus`, `atan2`, and the
//! piecewise functions.

use astro_float::BigFloat;

use super::interval::{Ctx, Iv, RM, Val, lt, pow2, word};

impl Ctx {
    /// An increasing function computed on exact points: the lower bound of
    /// its enclosure at `lo`, the upper bound at `hi`.
    fn monotone(&mut self, a: &Iv, f: fn(&mut Ctx, &Iv) -> Iv) -> Iv {
        let lo = f(self, &Iv::point(a.lo.clone())).lo;
        let hi = if a.is_point() {
            f(self, a).hi
        } else {
            f(self, &Iv::point(a.hi.clone())).hi
        };
        a.with(lo, hi)
    }

    /// `sigmoid(x) = 1 / (1 + exp(-x))`, increasing.
    pub fn sigmoid(&mut self, a: &Iv) -> Iv {
        let e = self.exp(&a.neg());
        let d = self.add(&Iv::point(word(1)), &e);
        self.recip(&d)
    }

    /// `softplus(x) = log(1 + exp(x))`, increasing: `x + log1p(exp(-x))`
    /// for `x >= 0`, `log1p(exp(x))` below.
    pub fn softplus(&mut self, a: &Iv) -> Iv {
        self.monotone(a, |c, x| {
            if x.lo.is_negative() {
                let e = c.exp(x);
                c.ln1p(&e)
            } else {
                let e = c.exp(&x.neg());
                let l = c.ln1p(&e);
                c.add(x, &l)
            }
        })
    }

    /// `log(1 + u)` for `0 <= u <= 1`: for a small `u` the alternating
    /// series `u - u^2/2 + u^3/3 - ...` cut after the square (remainder
    /// between 0 and `u^3/3`), else `1 + u` at twice the precision.
    fn ln1p(&mut self, u: &Iv) -> Iv {
        let small = pow2(-(self.p as i64) / 2 - 8);
        if lt(&u.hi, &small) {
            let u2 = self.mul(u, u);
            let half = Iv::point(pow2(-1));
            let t = self.add(u, &self.mul(&u2, &half).neg());
            let u3 = self.mul(&u2, u);
            let third = self.recip(&Iv::point(word(3)));
            let r = self.mul(&u3, &third);
            return t.with(t.lo.clone(), self.add(&t, &r).hi);
        }
        let p = self.p;
        self.p = 2 * p;
        let s = self.add(&Iv::point(word(1)), u);
        self.p = p;
        match self.ln(&s) {
            Val::Iv(v) => v,
            Val::Nan => Iv::unknown(),
        }
    }

    /// `erf`, increasing.
    pub fn erf(&mut self, a: &Iv) -> Iv {
        self.monotone(a, Ctx::erf_point)
    }

    /// `erf` at an exact point.
    pub(super) fn erf_point(&mut self, x: &Iv) -> Iv {
        let ax = x.lo.abs();
        if x.is_zero() {
            return x.clone();
        }
        let p = self.p as i64;
        // erfc(|x|) <= exp(-x^2) / (|x| sqrt(pi)) < 2^-(p + 8) once
        // x^2 > (p + 8) ln 2 (and |x| > 1): then erf(x) is within that of ±1
        let x2 = ax.mul(&ax, 64, RM);
        let limit = BigFloat::from_word((p as u64 + 8) * 7 / 10 + 2, 64);
        if lt(&limit, &x2) {
            let one = word(1);
            let lo = one.sub(&pow2(-(p + 8)), self.p + 64, RM);
            let iv = x.with(lo, one);
            return if x.lo.is_negative() { iv.neg() } else { iv };
        }
        // the terms grow to about e^(x^2) before they fall: that many more bits
        let extra = x2.int().exponent().map_or(0, |e| 1i64 << e.clamp(0, 40)) * 3 / 2;
        let saved = self.p;
        self.p = saved + extra as usize + 32;
        let sum = self.erf_series(x);
        let two = Iv::point(word(2));
        let pi = self.pi();
        let root = match self.sqrt(&pi) {
            Val::Iv(r) => r,
            Val::Nan => Iv::unknown(),
        };
        let scale = self.div(&two, &root);
        let out = self.mul(&sum, &scale);
        self.p = saved;
        out
    }

    /// `sum (-1)^n x^(2n+1) / (n! (2n+1))`, with the remainder bound.
    fn erf_series(&mut self, x: &Iv) -> Iv {
        let minus_x2 = self.mul(x, x).neg();
        let mut t = x.clone(); // (-1)^n x^(2n+1) / n!
        let mut sum = x.clone();
        let tiny = x.lo.abs().mul(&pow2(-(self.p as i64) - 4), self.p, RM);
        let x2 = x.lo.mul(&x.lo, 64, RM);
        for n in 1..(16 * self.p as u64) {
            t = self.mul(&t, &minus_x2);
            t = self.div(&t, &Iv::point(word(n)));
            let term = self.div(&t, &Iv::point(word(2 * n + 1)));
            let size = term.lo.abs();
            let decreasing = lt(&x2, &BigFloat::from_word(n, 64));
            if decreasing && lt(&size, &tiny) {
                // alternating, decreasing: the rest lies within this term
                let bound = self.up(term.hi.abs().add(&size, self.p, RM), false);
                let r = term.with(bound.neg(), bound);
                return self.add(&sum, &r);
            }
            sum = self.add(&sum, &term);
        }
        Iv::unknown()
    }

    /// `atan2(y, x)`; `pi` on the negative axis, `0` at the origin (as
    /// IEEE `atan2(+0, +0)`).
    pub fn atan2(&mut self, y: &Iv, x: &Iv) -> Iv {
        let atan = |c: &mut Ctx, v: &Iv| c.increasing(v, |z, p, cc| z.atan(p, RM, cc));
        if x.positive() {
            let q = self.div(y, x);
            return atan(self, &q);
        }
        let half_pi = {
            let pi = self.pi();
            self.mul(&pi, &Iv::point(pow2(-1)))
        };
        let flags = x.maybe_nan || y.maybe_nan;
        let mut out = if y.positive() || y.negative() {
            // pi/2 - atan(x/y), or -pi/2 - atan(x/y)
            let q = self.div(x, y);
            let t = atan(self, &q).neg();
            let h = if y.positive() { half_pi } else { half_pi.neg() };
            self.add(&h, &t)
        } else if x.negative() && y.is_zero() {
            self.pi()
        } else if x.is_zero() && y.is_zero() {
            Iv::point(word(0))
        } else {
            let pi = self.pi();
            pi.neg().hull(pi)
        };
        out.maybe_nan |= flags;
        out
    }

    /// `sign`: `-1`, `0` or `1`.
    pub fn sign(&self, a: &Iv) -> Iv {
        let v = |k: i8| match k {
            -1 => word(1).neg(),
            0 => word(0),
            _ => word(1),
        };
        let k = |x: &BigFloat| {
            if x.is_zero() {
                0
            } else if x.is_negative() {
                -1
            } else {
                1
            }
        };
        a.with(v(k(&a.lo)), v(k(&a.hi)))
    }

    /// `step`: 1 above zero, else 0.
    pub fn step(&self, a: &Iv) -> Iv {
        let v = |x: &BigFloat| word(u64::from(x.is_positive() && !x.is_zero()));
        a.with(v(&a.lo), v(&a.hi))
    }

    /// `relu(x) = max(x, 0)`.
    pub fn relu(&self, a: &Iv) -> Iv {
        self.min_max(&[a.clone(), Iv::point(word(0))], true)
    }

    /// `min` or `max` of several.
    pub fn min_max(&self, xs: &[Iv], max: bool) -> Iv {
        let pick = |a: BigFloat, b: BigFloat| {
            if lt(&a, &b) == max { b } else { a }
        };
        let mut out = xs[0].clone();
        for x in &xs[1..] {
            out.lo = pick(out.lo, x.lo.clone());
            out.hi = pick(out.hi, x.hi.clone());
            out.maybe_nan |= x.maybe_nan;
        }
        out
    }
}
