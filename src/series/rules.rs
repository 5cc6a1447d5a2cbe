//! The series of each node kind from the series of its operands.
//!
//! Smooth functions use the Euler-operator recurrences of [`Ctx`]; the
//! non-smooth ones follow SPEC's derivative conventions at kinks
//! (`abs' = sign`, `relu' = step`, `sign' = step' = 0`, `max`/`min` split
//! evenly between tied arguments).

use super::Shape;
use super::poly::{Ctx, Fail, Series};
use crate::expr::{Constant, ExprId, Func};

/// The series of a sum, product, power or call from its operands' series.
///
/// # Errors
/// [`Fail::Singular`] at a non-analytic point, [`Fail::TooLarge`] past the
/// node budget.
pub(super) fn apply(
    ctx: &mut Ctx,
    id: ExprId,
    node: Shape,
    args: &[&[ExprId]],
) -> Result<Series, Fail> {
    match node {
        Shape::Add => Ok(ctx.sum(args)),
        Shape::Mul => product(ctx, args),
        Shape::Pow { .. } => power(ctx, args),
        Shape::Call(f) => call(ctx, f, args),
        Shape::Leaf => Ok(vec![id]),
    }
}

/// A product: constant factors gathered into one scalar, the rest multiplied.
pub fn product(ctx: &mut Ctx, args: &[&[ExprId]]) -> Result<Series, Fail> {
    let mut consts = Vec::new();
    let mut acc: Option<Series> = None;
    for a in args {
        if ctx.is_const(a) {
            consts.push(ctx.get(a, 0));
            continue;
        }
        acc = Some(match acc {
            None => a.to_vec(),
            Some(s) => ctx.mul(&s, a)?,
        });
    }
    let c = if consts.is_empty() {
        ctx.one
    } else {
        ctx.store.mul(&consts)
    };
    Ok(match acc {
        None => vec![c],
        Some(s) if c == ctx.one => s,
        Some(s) => ctx.scale(c, &s),
    })
}

/// `b^e`: the power recurrence for a constant exponent, else `exp(e·ln b)`.
fn power(ctx: &mut Ctx, args: &[&[ExprId]]) -> Result<Series, Fail> {
    let (b, e) = (args[0], args.get(1).copied().unwrap_or(&[]));
    let (b0, e0) = (ctx.get(b, 0), ctx.get(e, 0));
    if ctx.is_const(e) {
        return ctx.power(b, e0);
    }
    if ctx.is_zero(b0) {
        return Err(Fail::Singular);
    }
    let l = if ctx.is_const(b) {
        vec![ctx.store.call1(Func::Ln, b0)]
    } else {
        ctx.ln(b)?
    };
    let g = ctx.mul(e, &l)?;
    let u0 = ctx.store.pow(b0, e0);
    ctx.riccati(&g, u0, 0, 1, 0)
}

/// A function application.
fn call(ctx: &mut Ctx, f: Func, args: &[&[ExprId]]) -> Result<Series, Fail> {
    use Func::*;
    match f {
        Atan2 => return atan2(ctx, args),
        Min | Max => return extremum(ctx, f, args),
        _ => {}
    }
    let a = args.first().copied().unwrap_or(&[]);
    let a0 = ctx.get(a, 0);
    let v0 = ctx.store.call1(f, a0);
    match f {
        Exp => ctx.riccati(a, v0, 0, 1, 0),
        Tan => ctx.riccati(a, v0, 1, 0, 1),
        Tanh => ctx.riccati(a, v0, 1, 0, -1),
        Sigmoid => ctx.riccati(a, v0, 0, 1, -1),
        Sin | Cos => trig(ctx, f, a, Sin, Cos, -1),
        Sinh | Cosh => trig(ctx, f, a, Sinh, Cosh, 1),
        Ln => ctx.ln(a),
        Atan | Asin | Acos | Asinh | Acosh | Atanh => inverse(ctx, f, a, v0),
        Erf => erf(ctx, a, v0),
        Erfc => {
            let e0 = ctx.store.call1(Erf, a0);
            let e = erf(ctx, a, e0)?;
            let m1 = ctx.store.int(-1);
            let mut u = ctx.scale(m1, &e);
            u[0] = v0;
            Ok(u)
        }
        Sinc => sinc(ctx, a, v0),
        Softplus => {
            let s0 = ctx.store.call1(Sigmoid, a0);
            let w = ctx.riccati(a, s0, 0, 1, -1)?;
            ctx.integrate(&[(a, &w)], v0)
        }
        Cbrt => {
            if ctx.is_zero(a0) && ctx.basis.order() > 0 {
                return Err(Fail::Singular);
            }
            let third = ctx.store.frac(1, 3);
            ctx.power_from(a, third, v0)
        }
        Abs => Ok(kink(ctx, a, v0, Sign)),
        Relu => Ok(kink(ctx, a, v0, Step)),
        Sign | Step | Floor | Ceil | Round | Atan2 | Min | Max => Ok(vec![v0]),
    }
}

/// `sin`/`cos` (`sigma = -1`) or `sinh`/`cosh` (`sigma = 1`), computed as a pair.
fn trig(
    ctx: &mut Ctx,
    f: Func,
    a: &[ExprId],
    s: Func,
    c: Func,
    sigma: i64,
) -> Result<Series, Fail> {
    let a0 = ctx.get(a, 0);
    let (s0, c0) = (ctx.store.call1(s, a0), ctx.store.call1(c, a0));
    let (ss, cs) = ctx.pair(a, s0, c0, sigma)?;
    Ok(if f == s { ss } else { cs })
}

/// Inverse trigonometric and hyperbolic functions: `f' = ±(c + s·a²)^e`.
#[rustfmt::skip]
fn inverse(ctx: &mut Ctx, f: Func, a: &[ExprId], v0: ExprId) -> Result<Series, Fail> {
    use Func::*;
    let (sign, c, s, e) = match f {
        Atan  => (1, 1, 1, (-1, 1)),
        Asin  => (1, 1, -1, (-1, 2)),
        Acos  => (-1, 1, -1, (-1, 2)),
        Asinh => (1, 1, 1, (-1, 2)),
        Acosh => (1, -1, 1, (-1, 2)),
        _     => (1, 1, -1, (-1, 1)), // atanh
    };
    let e = ctx.store.frac(e.0, e.1);
    let w = ctx.quadratic_power(a, c, s, e)?;
    let sign = ctx.store.int(sign);
    let w = ctx.scale(sign, &w);
    ctx.integrate(&[(a, &w)], v0)
}

/// `erf' = 2/sqrt(pi)·exp(−a²)`.
fn erf(ctx: &mut Ctx, a: &[ExprId], v0: ExprId) -> Result<Series, Fail> {
    let sq = ctx.mul(a, a)?;
    let m1 = ctx.store.int(-1);
    let nsq = ctx.scale(m1, &sq);
    let n0 = ctx.get(&nsq, 0);
    let e0 = ctx.store.call1(Func::Exp, n0);
    let ex = ctx.riccati(&nsq, e0, 0, 1, 0)?;
    let c = if ctx.store.as_num(n0).is_some_and(|n| !n.is_exact()) {
        ctx.store.float(std::f64::consts::FRAC_2_SQRT_PI)
    } else {
        let pi = ctx.store.constant(Constant::Pi);
        let h = ctx.store.frac(-1, 2);
        let root = ctx.store.pow(pi, h);
        let two = ctx.store.int(2);
        ctx.store.mul(&[two, root])
    };
    let w = ctx.scale(c, &ex);
    ctx.integrate(&[(a, &w)], v0)
}

/// `sinc(a) = sin(a)/a`: where `a_0 = 0`, the series of sin divided by
/// `a` term by term, `sum_k (-1)^k a^(2k)/(2k+1)!` (each power of `a` has
/// valuation at least its exponent, so `k <= order/2` suffice); elsewhere
/// the product of the series of `sin(a)` and `1/a`.
fn sinc(ctx: &mut Ctx, a: &[ExprId], v0: ExprId) -> Result<Series, Fail> {
    let a0 = ctx.get(a, 0);
    if !ctx.is_zero(a0) {
        let s0 = ctx.store.call1(Func::Sin, a0);
        let c0 = ctx.store.call1(Func::Cos, a0);
        let (sin, _) = ctx.pair(a, s0, c0, -1)?;
        let m1 = ctx.store.int(-1);
        let inv = ctx.power(a, m1)?;
        let mut u = ctx.mul(&sin, &inv)?;
        u[0] = v0;
        return Ok(u);
    }
    let a2 = ctx.mul(a, a)?;
    let mut term = vec![ctx.one];
    let mut acc: Series = vec![v0];
    let mut fact = num_bigint::BigInt::from(1);
    for k in 1..=ctx.basis.order() / 2 {
        term = ctx.mul(&term, &a2)?;
        fact *= (2 * k) * (2 * k + 1);
        let sign = if k % 2 == 0 { 1 } else { -1 };
        let c = ctx.store.rational(num_rational::BigRational::new_raw(
            sign.into(),
            fact.clone(),
        ));
        let t = ctx.scale(c, &term);
        acc = ctx.sum(&[&acc, &t]);
    }
    Ok(acc)
}

/// `abs` and `relu`: value `v0`, then `d(a0)·a` with `d = sign` or `step`.
fn kink(ctx: &mut Ctx, a: &[ExprId], v0: ExprId, d: Func) -> Series {
    let a0 = ctx.get(a, 0);
    let slope = ctx.store.call1(d, a0);
    let mut u = ctx.scale(slope, a);
    u[0] = v0;
    ctx.trim(u)
}

/// `atan2(y, x)` from `Du = (x·Dy − y·Dx)/(x² + y²)`.
fn atan2(ctx: &mut Ctx, args: &[&[ExprId]]) -> Result<Series, Fail> {
    let (y, x) = (args[0], args.get(1).copied().unwrap_or(&[]));
    let (y0, x0) = (ctx.get(y, 0), ctx.get(x, 0));
    let v0 = ctx.store.call(Func::Atan2, &[y0, x0]);
    let (xx, yy) = (ctx.mul(x, x)?, ctx.mul(y, y)?);
    let r = ctx.sum(&[&xx, &yy]);
    let m1 = ctx.store.int(-1);
    let q = ctx.power(&r, m1)?;
    let w1 = ctx.mul(x, &q)?;
    let yq = ctx.mul(y, &q)?;
    let w2 = ctx.scale(m1, &yq);
    ctx.integrate(&[(y, &w1), (x, &w2)], v0)
}

/// `max`/`min`: each argument weighted by `[it is extremal] / [number of
/// extremal arguments]` at the point.
fn extremum(ctx: &mut Ctx, f: Func, args: &[&[ExprId]]) -> Result<Series, Fail> {
    let heads: Vec<ExprId> = args.iter().map(|a| ctx.get(a, 0)).collect();
    let v0 = ctx.store.call(f, &heads);
    let weights = weights(ctx, f == Func::Max, &heads);
    let scaled: Vec<Series> = args
        .iter()
        .zip(weights)
        .map(|(a, w)| ctx.scale(w, a))
        .collect();
    let refs: Vec<&[ExprId]> = scaled.iter().map(|s| s.as_slice()).collect();
    let mut u = ctx.sum(&refs);
    u[0] = v0;
    ctx.check()?;
    Ok(ctx.trim(u))
}

/// The weights of [`extremum`], symbolic where the values are.
fn weights(ctx: &mut Ctx, max: bool, heads: &[ExprId]) -> Vec<ExprId> {
    let s = &mut *ctx.store;
    // `gap(i, j)` is positive when argument `i` beats argument `j`
    let gap = |s: &mut crate::expr::Store, i: usize, j: usize| {
        let (p, q) = if max {
            (heads[i], heads[j])
        } else {
            (heads[j], heads[i])
        };
        s.sub(p, q)
    };
    if heads.len() == 2 {
        let d = gap(s, 0, 1);
        let sg = s.call1(Func::Sign, d);
        let h = s.frac(1, 2);
        let (one, m1) = (s.int(1), s.int(-1));
        let nsg = s.mul(&[m1, sg]);
        let (p, m) = (s.add(&[one, sg]), s.add(&[one, nsg]));
        return vec![s.mul(&[h, p]), s.mul(&[h, m])];
    }
    let mut best = Vec::with_capacity(heads.len());
    for i in 0..heads.len() {
        let mut factors = Vec::new();
        for j in (0..heads.len()).filter(|&j| j != i) {
            let d = gap(s, j, i);
            let st = s.call1(Func::Step, d);
            let one = s.int(1);
            let ns = s.neg(st);
            factors.push(s.add(&[one, ns]));
        }
        best.push(s.mul(&factors));
    }
    let count = s.add(&best);
    best.iter().map(|&b| s.div(b, count)).collect()
}
