//! Removable singularities: reciprocals of series that vanish at the point.
//!
//! `b^(-n)` where `b` depends on one expansion variable `x` and vanishes
//! at the point to order `v` (its valuation: `b = x^v · b̃` with
//! `b̃(0) ≠ 0`) is kept as the pair `(b̃^(-n), x^(v·n))`: a regular series
//! and a denominator monomial. A product divides its regular part by the
//! sum of its factors' monomials; every term below that monomial must be
//! zero, else the quotient has a pole of the order of the shortfall
//! (`cos(x)/x`: order 1). The other nodes cannot take a pending
//! denominator: a sum of one is a pole, anything else is not analytic.
//!
//! Each such reciprocal costs `v·(n + 1)` orders of validity (`v` for
//! `b̃`, `v·n` for the division), so [`super::taylor`] runs again with the
//! order raised by their total (Taylor-mode arithmetic with valuations);
//! the terms past the order asked for are dropped.

use super::poly::{Ctx, Fail, Series};
use crate::expr::{ExprId, Number, Sym};

/// The reciprocal `b^(-n)` as a regular series and a denominator
/// monomial, when `b` vanishes at the point and depends on one expansion
/// variable; `None` when it does not vanish (the usual rules apply).
///
/// # Errors
/// [`Fail::Singular`] when it vanishes to every order computed (asking
/// for a higher order in [`Ctx::extra_order`]) or depends on several
/// variables; [`Fail::TooLarge`] past the budget.
pub fn reciprocal(
    ctx: &mut Ctx,
    b_id: ExprId,
    b: &[ExprId],
    e: ExprId,
    point: &[(Sym, ExprId)],
) -> Result<Option<(Series, Vec<u32>)>, Fail> {
    let Some(n) = negative_integer(ctx, e) else {
        return Ok(None);
    };
    if ctx.basis.order() == 0 || !ctx.is_zero(ctx.get(b, 0)) {
        return Ok(None);
    }
    let free = ctx.store.free_vars(&[b_id]);
    let used: Vec<usize> = (0..point.len())
        .filter(|&i| free.contains(&point[i].0))
        .collect();
    let [var] = used[..] else {
        return Err(Fail::Singular);
    };
    let vars = point.len();
    let power = |k: usize| {
        let mut m = vec![0u32; vars];
        m[var] = k as u32;
        m
    };
    let order = ctx.basis.order();
    let index = |ctx: &Ctx, k: usize| ctx.basis.index(&power(k));
    let found = (1..=order).find(|&k| index(ctx, k).is_some_and(|m| !ctx.is_zero(ctx.get(b, m))));
    let Some(v) = found else {
        // zero to the order computed: the valuation is higher, ask for
        // a run at an order that would see it
        ctx.extra_order = ctx
            .extra_order
            .saturating_add((order + 1).saturating_mul(n as usize + 1));
        return Err(Fail::Singular);
    };
    ctx.extra_order = ctx
        .extra_order
        .saturating_add(v.saturating_mul(n as usize + 1));
    let mut reduced = ctx.zeros()?;
    for j in 0..=order - v {
        if let (Some(to), Some(from)) = (index(ctx, j), index(ctx, j + v)) {
            reduced[to] = ctx.get(b, from);
        }
    }
    let reduced = ctx.trim(reduced);
    let minus_n = ctx.store.int(-i64::from(n));
    let regular = ctx.power(&reduced, minus_n)?;
    Ok(Some((regular, power(v * n as usize))))
}

/// `n` when `e` is the exact integer `-n < 0`.
fn negative_integer(ctx: &Ctx, e: ExprId) -> Option<u32> {
    let k = ctx.store.as_num(e).filter(|n| n.is_exact())?;
    let k = Number::as_i64(k)?;
    u32::try_from(k.checked_neg()?).ok().filter(|&n| n > 0)
}

/// `s / m` for a monomial `m` (exponents per variable).
///
/// # Errors
/// [`Fail::Pole`] with the pole's order when a non-zero term of `s` is
/// not divisible by `m`; [`Fail::Memory`] when out of memory.
pub fn divide(ctx: &mut Ctx, s: &[ExprId], m: &[u32]) -> Result<Series, Fail> {
    let mut out = ctx.zeros()?;
    let mut pole = 0u32;
    for (i, &c) in s.iter().enumerate() {
        if ctx.is_zero(c) {
            continue;
        }
        let e = ctx.basis.exponents(i);
        let short = e.iter().zip(m).map(|(&a, &b)| b.saturating_sub(a)).max();
        let short = short.unwrap_or(0);
        if short > 0 {
            pole = pole.max(short);
            continue;
        }
        let q: Vec<u32> = e.iter().zip(m).map(|(&a, &b)| a - b).collect();
        if let Some(j) = ctx.basis.index(&q) {
            out[j] = c;
        }
    }
    if pole > 0 {
        return Err(Fail::Pole(pole));
    }
    Ok(ctx.trim(out))
}

/// The sum of denominator monomials, `None` when there are none.
pub fn total(shifts: &[Option<&Vec<u32>>]) -> Option<Vec<u32>> {
    let mut acc: Option<Vec<u32>> = None;
    for s in shifts.iter().flatten() {
        acc = Some(match acc {
            None => (*s).clone(),
            Some(a) => a.iter().zip(s.iter()).map(|(x, y)| x + y).collect(),
        });
    }
    acc
}
