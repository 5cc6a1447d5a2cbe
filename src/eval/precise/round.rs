//! Rounding an astro-float number to the nearest `f64`, ties to even,
//! subnormals and overflow included (astro-float has no such conversion).

use astro_float::{BigFloat, Sign, Word};

use super::interval::Iv;

/// `x` rounded to the nearest `f64`, ties to even.
pub(super) fn nearest(x: &BigFloat) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x.is_inf() {
        return if x.is_inf_pos() {
            f64::INFINITY
        } else {
            f64::NEG_INFINITY
        };
    }
    let Some((m, _, sign, e, _)) = x.as_raw_parts() else {
        return f64::NAN;
    };
    let neg = sign == Sign::Neg;
    let v = magnitude(m, i64::from(e));
    if neg { -v } else { v }
}

/// The magnitude `0.m * 2^e` rounded to nearest (`m` need not be
/// normalized: astro-float keeps subnormals as they are; words are 64
/// bits, checked in `interval.rs`).
fn magnitude(m: &[Word], e: i64) -> f64 {
    let bits: &[u64] = m;
    let width = 64;
    let Some(i) = bits.iter().rposition(|w| *w != 0) else {
        return 0.0;
    };
    // the leading 64 bits, and whether any bit below them is set
    let lz = bits[i].leading_zeros();
    let below = if i > 0 { bits[i - 1] } else { 0 };
    let top = if lz == 0 {
        bits[i]
    } else {
        (bits[i] << lz) | (below >> (64 - lz))
    };
    let sticky = (lz > 0 && below << lz != 0)
        || (lz == 0 && below != 0)
        || bits[..i.saturating_sub(1)].iter().any(|w| *w != 0);
    let total = (m.len() as i64) * width;
    let e = e - (total - 64 * (i as i64 + 1)) - i64::from(lz);
    round_top(top, sticky, e)
}

/// `0.top * 2^e` (top normalized), plus a sticky bit below, to nearest.
fn round_top(top: u64, sticky: bool, e: i64) -> f64 {
    // the value lies in [2^(e-1), 2^e)
    if e - 1 > 1023 {
        return f64::INFINITY;
    }
    let keep = if e > -1022 { 53 } else { e + 1074 };
    if keep < 0 {
        return 0.0;
    }
    if keep == 0 {
        // in [2^-1075, 2^-1074): a tie only at exactly 2^-1075
        let tie = top == 1 << 63 && !sticky;
        return if tie { 0.0 } else { f64::from_bits(1) };
    }
    let keep = keep as u32;
    let mut q = top >> (64 - keep);
    let dropped = top << keep;
    let half = 1u64 << 63;
    if dropped > half || (dropped == half && (sticky || q & 1 == 1)) {
        q += 1;
    }
    ldexp(q as f64, e - i64::from(keep))
}

/// `q * 2^s` for an exactly representable result (or an overflow to inf).
fn ldexp(q: f64, s: i64) -> f64 {
    let pow = |k: i64| f64::from_bits(((k + 1023) as u64) << 52);
    if s >= -1022 {
        if s > 1023 {
            return q * pow(1023) * pow(s - 1023);
        }
        return q * pow(s);
    }
    q * pow(s + 600) * pow(-600)
}

/// A zero result takes the sign the interval shows; other values as they are.
pub(super) fn signed_zero(v: f64, iv: &Iv) -> f64 {
    if v != 0.0 {
        return v;
    }
    let below = iv.hi.is_negative() && !iv.hi.is_zero();
    if below { -0.0 } else { 0.0 }
}

/// The next `f64` below (for bounds).
pub(super) fn next_down(v: f64) -> f64 {
    if v.is_nan() || v == f64::NEG_INFINITY {
        return v;
    }
    if v == 0.0 {
        return -f64::from_bits(1);
    }
    let b = v.to_bits();
    f64::from_bits(if v > 0.0 { b - 1 } else { b + 1 })
}

/// The next `f64` above (for bounds).
pub(super) fn next_up(v: f64) -> f64 {
    -next_down(-v)
}

#[cfg(test)]
mod tests {
    use super::super::interval::from_f64;
    use super::*;

    #[test]
    fn rounds_like_ieee() {
        for v in [
            1.0,
            0.1,
            -2.5,
            1e300,
            -1e-300,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            1.5e-320,
        ] {
            let x = from_f64(v);
            assert_eq!(nearest(&x), v, "{v} {:?}", x.as_raw_parts());
        }
        // 1 + 2^-53 is a tie: to even, 1; a little more goes up
        let one = BigFloat::from_f64(1.0, 128);
        let half_ulp = BigFloat::from_f64(2f64.powi(-53), 128);
        let tie = one.add(&half_ulp, 128, astro_float::RoundingMode::ToEven);
        assert_eq!(nearest(&tie), 1.0);
        let more = tie.add(
            &BigFloat::from_f64(2f64.powi(-100), 128),
            128,
            super::super::interval::RM,
        );
        assert_eq!(nearest(&more), 1.0 + f64::EPSILON);
        // 2^-1075 ties to 0; above it, the smallest subnormal
        let t = from_f64(5e-324).div(
            &BigFloat::from_f64(2.0, 64),
            128,
            super::super::interval::RM,
        );
        assert_eq!(nearest(&t), 0.0);
        let big = BigFloat::from_f64(f64::MAX, 128).mul(
            &BigFloat::from_f64(2.0, 64),
            128,
            super::super::interval::RM,
        );
        assert_eq!(nearest(&big), f64::INFINITY);
    }
}
