//! `exp`, `sin` and `cos` on floats without branches on the common range,
//! so that the batch evaluator's loop over a block vectorizes, and the
//! scalar tape calls the same code, so the two give the same bits.
//!
//! Each function has a core, valid on a range (`|x| <= 705` for `exp`,
//! `|x| <= 2^17` for `sin` and `cos`), and falls back to the platform's
//! `libm` outside it (and on NaN and inf). The cores follow the classic
//! scheme of fdlibm: a Cody–Waite reduction, whose remainder is carried as
//! two floats, then polynomials on the reduced interval (`exp` with a table
//! of `2^(j/64)`, `sin` and `cos` with fdlibm's minimax kernels). Results
//! are faithful, within one ulp of the true value, and nearly always
//! correctly rounded (the tests check against exact interval evaluation).
//! There is no FMA (plain `*` and `+` only), so every target width gives
//! the same bits.

/// `1.5 * 2^52`: adding it rounds a float of magnitude below `2^51` to an
/// integer, which then sits in the low bits of the sum's mantissa.
const SHIFT: f64 = 6_755_399_441_055_744.0;

#[rustfmt::skip]
#[allow(clippy::approx_constant)]
#[path = "exp_table.rs"]
mod table;
use table::{EXP2_HI, EXP2_LO, INV_LN2_64, LN2_64_HI, LN2_64_LO};

/// Where [`exp_core`] holds: `2^k` stays normal and the result neither
/// overflows nor goes subnormal.
#[inline(always)]
pub(crate) fn exp_in_range(x: f64) -> bool {
    x.abs() <= 705.0
}

/// `e^x`: [`exp_core`] on its range, `libm` elsewhere.
#[inline(always)]
pub(crate) fn exp(x: f64) -> f64 {
    if exp_in_range(x) {
        exp_core(x)
    } else {
        x.exp()
    }
}

/// `e^x` for `|x| <= 705`: `x = (64 m + j) ln2/64 + r` with
/// `|r| <= ln2/128`, where `ln2/64` is split so that the first part times
/// `k = 64 m + j` and `x` minus that are exact, and `r` is carried as two
/// floats; `e^r - 1` from its Taylor polynomial of degree 6 (the rest is
/// below 2^-64); times `2^(j/64)` from a table of float pairs, times `2^m`
/// through the exponent bits. The error before the last rounding is about
/// 2^-60 of the result, so nearly every result is correctly rounded.
#[inline(always)]
pub(crate) fn exp_core(x: f64) -> f64 {
    let (bits, r, tail) = exp_reduce(x);
    let j = (bits & 63) as usize;
    exp_finish(bits, r, tail, EXP2_HI[j], EXP2_LO[j])
}

/// The first half of [`exp_core`]: the bits of `t` (which hold `k`), and
/// the remainder `r` with the tail of `e^r - 1` beyond `r`.
#[inline(always)]
fn exp_reduce(x: f64) -> (u64, f64, f64) {
    let t = x * INV_LN2_64 + SHIFT;
    let k = t - SHIFT;
    let (r, rr) = two_sum(x - k * LN2_64_HI, -(k * LN2_64_LO));
    let q = 1.0 / 2.0 + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0 + r * (1.0 / 720.0))));
    let tail = rr + r * (r * q);
    (t.to_bits(), r, tail)
}

/// The second half of [`exp_core`], given the table's `2^(j/64)` as the
/// pair `hi + lo`: the low bits of `t` hold k (two's complement),
/// j = k mod 64 and m = floor(k / 64), with m + 1023 in 5..2042.
#[inline(always)]
fn exp_finish(bits: u64, r: f64, tail: f64, hi: f64, lo: f64) -> f64 {
    let y = hi + (lo + (hi * r + hi * tail));
    let e = ((bits >> 6).wrapping_add(1023)) << 52;
    y * f64::from_bits(e)
}

/// [`exp`] over a block, in three loops so that the two around the table
/// lookup vectorize (a compiler does not vectorize a loop with a gather
/// from the table on most targets), then `libm` for the few arguments out
/// of range. The same operations as [`exp_core`]: the same bits.
#[inline(always)]
pub(crate) fn exp_block(d: &mut [f64], a: &[f64]) {
    const STEP: usize = 64;
    let a = &a[..d.len()];
    for (d, a) in d.chunks_mut(STEP).zip(a.chunks(STEP)) {
        let mut bits = [0u64; STEP];
        let mut r = [0.0; STEP];
        let mut tail = [0.0; STEP];
        for (((b, r), t), &x) in bits.iter_mut().zip(&mut r).zip(&mut tail).zip(a) {
            (*b, *r, *t) = exp_reduce(x);
        }
        let mut hi = [0.0; STEP];
        let mut lo = [0.0; STEP];
        for ((h, l), &b) in hi.iter_mut().zip(&mut lo).zip(&bits) {
            let j = (b & 63) as usize;
            (*h, *l) = (EXP2_HI[j], EXP2_LO[j]);
        }
        for (i, y) in d.iter_mut().enumerate() {
            *y = exp_finish(bits[i], r[i], tail[i], hi[i], lo[i]);
        }
    }
    if a.iter().fold(false, |out, &x| out | !exp_in_range(x)) {
        for (y, &x) in d.iter_mut().zip(a) {
            if !exp_in_range(x) {
                *y = x.exp();
            }
        }
    }
}

/// Where [`sin_core`] and [`cos_core`] hold: the quadrant count `k` stays
/// below `2^17`, so `k` times each 33-bit part of `pi/2` is exact.
#[inline(always)]
pub(crate) fn trig_in_range(x: f64) -> bool {
    x.abs() <= 131_072.0
}

/// `sin(x)`: [`sin_core`] on its range, `libm` elsewhere.
#[inline(always)]
pub(crate) fn sin(x: f64) -> f64 {
    if trig_in_range(x) {
        sin_core(x)
    } else {
        x.sin()
    }
}

/// `cos(x)`: [`cos_core`] on its range, `libm` elsewhere.
#[inline(always)]
pub(crate) fn cos(x: f64) -> f64 {
    if trig_in_range(x) {
        cos_core(x)
    } else {
        x.cos()
    }
}

/// `sin(x)` for `|x| <= 2^17`.
#[inline(always)]
pub(crate) fn sin_core(x: f64) -> f64 {
    // the reduction's sums turn -0 into +0
    let v = quadrant(x, 0);
    if x == 0.0 { x } else { v }
}

/// `cos(x)` for `|x| <= 2^17`: `sin` one quadrant on.
#[inline(always)]
pub(crate) fn cos_core(x: f64) -> f64 {
    quadrant(x, 1)
}

/// `sin(x + shift * pi/2)`: `x = k pi/2 + (r + rr)` with `|r| <= pi/4`
/// (`pi/2` in three 33-bit parts and a tail, about 150 bits, so even an
/// `x` that nearly cancels keeps a remainder exact to the last bit), then
/// `±sin` or `±cos` of the remainder by the quadrant `k + shift`.
#[inline(always)]
fn quadrant(x: f64, shift: u64) -> f64 {
    const INV_PIO2: f64 = std::f64::consts::FRAC_2_PI;
    const PIO2_1: f64 = 1.5707963267341256;
    const PIO2_2: f64 = 6.077100506303966e-11;
    const PIO2_3: f64 = 2.0222662487111665e-21;
    const PIO2_3T: f64 = 8.4784276603689e-32;
    let t = x * INV_PIO2 + SHIFT;
    let k = t - SHIFT;
    // exact: k has at most 18 bits, PIO2_1 33, and x - k*PIO2_1 cancels
    let r1 = x - k * PIO2_1;
    // second and third parts, each product exact, the roundings tracked
    let (r2, e2) = two_sum(r1, -(k * PIO2_2));
    let (r3, e3) = two_sum(r2, -(k * PIO2_3));
    let tail = (e2 + e3) - k * PIO2_3T;
    let r = r3 + tail;
    let rr = (r3 - r) + tail;
    let q = t.to_bits().wrapping_add(shift);
    let s = kernel_sin(r, rr);
    let c = kernel_cos(r, rr);
    let v = if q & 1 == 0 { s } else { c };
    f64::from_bits(v.to_bits() ^ ((q & 2) << 62))
}

/// `a + b = s + e` exactly, whatever the magnitudes (Knuth).
#[inline(always)]
fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bb = s - a;
    (s, (a - (s - bb)) + (b - bb))
}

/// `sin(x + y)` for `|x| <= pi/4`, `|y|` below half an ulp of `x`.
#[inline(always)]
fn kernel_sin(x: f64, y: f64) -> f64 {
    const S1: f64 = -0.16666666666666632;
    const S2: f64 = 0.00833333333332249;
    const S3: f64 = -0.0001984126982985795;
    const S4: f64 = 2.7557313707070068e-06;
    const S5: f64 = -2.5050760253406863e-08;
    const S6: f64 = 1.58969099521155e-10;
    let z = x * x;
    let v = z * x;
    let r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
    x - ((z * (0.5 * y - v * r) - y) - v * S1)
}

/// `cos(x + y)` for `|x| <= pi/4`, `|y|` below half an ulp of `x`.
#[inline(always)]
fn kernel_cos(x: f64, y: f64) -> f64 {
    const C1: f64 = 0.0416666666666666;
    const C2: f64 = -0.001388888888887411;
    const C3: f64 = 2.480158728947673e-05;
    const C4: f64 = -2.7557314351390663e-07;
    const C5: f64 = 2.087572321298175e-09;
    const C6: f64 = -1.1359647557788195e-11;
    let z = x * x;
    let w = z * z;
    let r = z * (C1 + z * (C2 + z * C3)) + w * w * (C4 + z * (C5 + z * C6));
    let hz = 0.5 * z;
    let w = 1.0 - hz;
    w + (((1.0 - w) - hz) + (z * r - x * y))
}

/// `y = f(x)` over a block: the branch-free core in a loop that vectorizes
/// (called directly, so that it inlines: through a closure or a function
/// pointer it may not), then `libm` for the few arguments out of range.
/// (`exp_block` is written out: its table lookup gets a loop of its own.)
macro_rules! blocks {
    ($($(#[$doc:meta])* $name:ident: $core:ident, $in_range:ident, $libm:ident;)*) => {$(
        $(#[$doc])*
        #[inline(always)]
        pub(crate) fn $name(d: &mut [f64], a: &[f64]) {
            let a = &a[..d.len()];
            for (y, x) in d.iter_mut().zip(a) {
                *y = $core(*x);
            }
            // a branch-free look for arguments out of range first (it
            // vectorizes), then the scalar fix-up where there are any
            if a.iter().fold(false, |out, &x| out | !$in_range(x)) {
                for (y, &x) in d.iter_mut().zip(a) {
                    if !$in_range(x) {
                        *y = x.$libm();
                    }
                }
            }
        }
    )*};
}

blocks! {
    /// [`sin`] over a block.
    sin_block: sin_core, trig_in_range, sin;
    /// [`cos`] over a block.
    cos_block: cos_core, trig_in_range, cos;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{PreciseOptions, Rounding, eval_exact};
    use crate::expr::Store;
    use num_rational::BigRational;

    /// `name(x)` correctly rounded, from the exact rational `x` in interval
    /// arithmetic ([`eval_exact`]), not from any float library.
    fn reference(name: &str, x: f64) -> f64 {
        let mut s = Store::new();
        let q = BigRational::from_float(x).expect("finite");
        let text = format!("{name}(({q}))");
        let f = crate::parse::parse_expr(&mut s, &text, &Default::default()).expect("parses");
        let v = eval_exact(&s, f, &PreciseOptions::default()).expect("closed");
        assert_eq!(v.rounding, Rounding::Correct, "{text}");
        v.value
    }

    fn rng(seed: u64) -> impl FnMut() -> u64 {
        let mut state = seed;
        move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            state ^ (state >> 29)
        }
    }

    /// A float uniform in `[-m, m]`, with a random exponent below `m`'s
    /// half the time, so that small arguments are well covered.
    fn arg(next: &mut impl FnMut() -> u64, m: f64) -> f64 {
        let u = (next() >> 11) as f64 / (1u64 << 53) as f64;
        let x = (2.0 * u - 1.0) * m;
        if next() & 1 == 0 {
            x
        } else {
            x * 2f64.powi(-((next() % 60) as i32))
        }
    }

    /// Faithful: the result is the correctly rounded value or one of its
    /// neighbours; returns whether it is the correctly rounded one.
    fn check(name: &str, x: f64, got: f64, want: f64) -> bool {
        assert!(
            got == want || got == want.next_up() || got == want.next_down(),
            "{name}({x:e}) = {got:e}, correctly rounded {want:e}"
        );
        got == want
    }

    #[test]
    fn exp_sin_cos_are_faithful_on_their_range() {
        let mut next = rng(0x2545_f491_4f6c_dd1d);
        let (mut rounded, mut total) = (0, 0);
        let mut args: Vec<f64> = (0..1500).map(|_| arg(&mut next, 705.0)).collect();
        args.extend([0.0, -0.0, 1e-300, -1e-300, 705.0, -705.0, 1.0, -1.0, 0.5]);
        for &x in &args {
            rounded += check("exp", x, exp(x), reference("exp", x)) as usize;
            total += 1;
        }
        // the table's exp: all but a rare hard case correctly rounded
        assert!(rounded * 1000 >= total * 995, "exp: {rounded} of {total}");
        let (mut rounded, mut total) = (0, 0);
        let mut args: Vec<f64> = (0..1500).map(|_| arg(&mut next, 131_072.0)).collect();
        // near multiples of pi/2, where the reduction cancels most bits
        for k in [1.0f64, 2.0, 3.0, 4.0, 100.0, 355.0, 6_433.0, 80_000.0] {
            let m = k * std::f64::consts::FRAC_PI_2;
            args.extend([m, m.next_up(), m.next_down(), -m]);
        }
        args.extend([0.0, -0.0, 1e-300, 5e-324, 131_072.0, -131_072.0]);
        for &x in &args {
            rounded += check("sin", x, sin(x), reference("sin", x)) as usize;
            rounded += check("cos", x, cos(x), reference("cos", x)) as usize;
            total += 2;
        }
        // fdlibm's kernels: mostly correctly rounded (98% measured)
        assert!(
            rounded * 100 >= total * 97,
            "sin, cos: {rounded} of {total}"
        );
    }

    #[test]
    fn out_of_range_is_libm() {
        for x in [
            706.0,
            -706.0,
            800.0,
            -800.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ] {
            let (a, b) = (exp(x), x.exp());
            assert!(a == b || (a.is_nan() && b.is_nan()), "exp {x}");
        }
        for x in [2e5, -2e5, 1e300, f64::INFINITY, f64::NAN] {
            let (a, b) = (sin(x), x.sin());
            assert!(a == b || (a.is_nan() && b.is_nan()), "sin {x}");
            let (a, b) = (cos(x), x.cos());
            assert!(a == b || (a.is_nan() && b.is_nan()), "cos {x}");
        }
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(sin(0.0), 0.0);
        assert!(sin(-0.0).is_sign_negative());
        assert_eq!(cos(0.0), 1.0);
    }

    #[test]
    fn a_block_gives_the_scalar_bits() {
        let mut next = rng(7);
        let a: Vec<f64> = (0..700)
            .map(|i| match i % 7 {
                0 => 1e6,
                1 => f64::NAN,
                _ => arg(&mut next, 800.0),
            })
            .collect();
        let mut d = vec![0.0; a.len()];
        exp_block(&mut d, &a);
        for (x, y) in a.iter().zip(&d) {
            assert_eq!(y.to_bits(), exp(*x).to_bits(), "exp {x}");
        }
        sin_block(&mut d, &a);
        for (x, y) in a.iter().zip(&d) {
            assert_eq!(y.to_bits(), sin(*x).to_bits(), "sin {x}");
        }
        cos_block(&mut d, &a);
        for (x, y) in a.iter().zip(&d) {
            assert_eq!(y.to_bits(), cos(*x).to_bits(), "cos {x}");
        }
    }

    #[test]
    fn blocks_of_any_length_in_range_or_not_give_the_scalar_bits() {
        let mut next = rng(11);
        for len in [0, 1, 63, 64, 65, 130, 512] {
            for out in [false, true] {
                let mut a: Vec<f64> = (0..len).map(|_| arg(&mut next, 40.0)).collect();
                if out && len > 0 {
                    a[len / 2] = -1e300;
                }
                let mut d = vec![0.0; len];
                type Block = fn(&mut [f64], &[f64]);
                type Scalar = fn(f64) -> f64;
                let fs: [(Block, Scalar); 3] =
                    [(exp_block, exp), (sin_block, sin), (cos_block, cos)];
                for (block, scalar) in fs {
                    block(&mut d, &a);
                    for (x, y) in a.iter().zip(&d) {
                        assert_eq!(y.to_bits(), scalar(*x).to_bits(), "{x} (length {len})");
                    }
                }
            }
        }
    }
}
