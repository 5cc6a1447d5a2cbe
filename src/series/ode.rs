//! Functions of a linear argument through their derivative polynomials.
//!
//! For `f' = Q(f)` with `Q(v) = c + l·v + q·v²` (`exp`, `tan`, `tanh`,
//! `sigmoid`) every derivative is a polynomial in the value:
//! `f^(k) = P_k(f)` with `P_0 = v` and `P_{k+1} = P_k'·Q`. When the
//! argument is `a = a_0 + L` with `L` linear in the expansion variables
//! (the common case: `sigmoid(x)`, `tanh(2*x - y)`), the series is
//! `Σ_k P_k(f(a_0))/k! · L^k`; with `f(a_0)` an atom (`sigmoid(1)`) or a
//! rational number, each coefficient is built directly as a polynomial in
//! that atom, in `O(k)` integer operations, instead of Cauchy products of
//! earlier coefficients that are then normalized (`O(k²)` polynomial
//! products). `softplus` is the integral of `sigmoid`:
//! `softplus^(k) = P_{k-1}(sigmoid)`.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Zero};

use super::poly::{Ctx, Fail, Series};
use crate::expr::{ExprId, Func};
use crate::poly::{Poly, Rat};

/// The most bits of coefficients (numerators and denominators) one
/// expansion may build here, about the size of the largest output allowed:
/// past it, [`Fail::TooLarge`] rather than hours of big-number work.
const MAX_BITS: u64 = 1 << 27;

/// `(c, l, q)` of `f' = c + l·f + q·f²`, for the functions this covers.
fn riccati(f: Func) -> Option<(i64, i64, i64)> {
    match f {
        Func::Exp => Some((0, 1, 0)),
        Func::Tan => Some((1, 0, 1)),
        Func::Tanh => Some((1, 0, -1)),
        Func::Sigmoid | Func::Softplus => Some((0, 1, -1)),
        _ => None,
    }
}

/// The value of `v` at the point as a polynomial over the atoms: a
/// rational number, or one atom.
enum Value {
    Number(BigRational),
    Atom(usize),
}

/// The series of `f(a)` when `a` is linear and `f` is covered; `None`
/// to leave it to the general recurrences.
///
/// # Errors
/// [`Fail::TooLarge`] past the node budget.
pub fn linear_call(ctx: &mut Ctx, f: Func, a: &[ExprId]) -> Result<Option<Series>, Fail> {
    let Some((c, l, q)) = riccati(f) else {
        return Ok(None);
    };
    // order 0: the value alone, left to the general recurrences (there is
    // no degree-one part to read the argument's slope from)
    if ctx.basis.order() == 0 {
        return Ok(None);
    }
    let linear_end = ctx.basis.part(1).end.min(a.len());
    if ctx.is_const(a) || a[linear_end..].iter().any(|&x| !ctx.is_zero(x)) {
        return Ok(None);
    }
    let a0 = ctx.get(a, 0);
    let value = if f == Func::Softplus {
        ctx.store.call1(Func::Sigmoid, a0)
    } else {
        ctx.store.call1(f, a0)
    };
    let Some(value) = as_value(ctx, value) else {
        return Ok(None);
    };
    let n = ctx.basis.order();
    let shift = usize::from(f == Func::Softplus);
    let mut u = ctx.zeros()?;
    u[0] = ctx.store.call1(f, a0);
    // powers of L: only the degree-k part of L^k is non-zero
    let mut power = ctx.zeros()?;
    power[..linear_end].copy_from_slice(&a[..linear_end]);
    power[0] = ctx.zero;
    let lin = a.to_vec();
    let mut p = vec![BigInt::zero(), BigInt::one()];
    let mut factorial = BigInt::one();
    let mut bits = 0u64;
    for k in 1..=n {
        factorial *= k;
        if k > shift {
            p = derivative_times(&p, c, l, q);
        }
        let size: u64 = p.iter().map(|c| c.bits() + factorial.bits()).sum();
        bits = bits.saturating_add(size);
        if bits > MAX_BITS {
            return Err(Fail::TooLarge);
        }
        let coeff = coefficient(ctx, &p, &value, &factorial);
        for m in ctx.basis.part(k) {
            let x = ctx.get(&power, m);
            if !ctx.is_zero(x) {
                let t = ctx.store.mul(&[coeff, x]);
                u[m] = ctx.normal(t);
            }
        }
        ctx.check()?;
        if k < n {
            let mut part = ctx.part(k + 1);
            ctx.accumulate(&mut part, None, &power, k, &lin, 1)?;
            ctx.finish(part, &mut power);
        }
    }
    Ok(Some(ctx.trim(u)))
}

/// `v` as a rational number or a single atom, when it is one.
fn as_value(ctx: &mut Ctx, v: ExprId) -> Option<Value> {
    if let Some(r) = ctx.store.as_num(v).and_then(|n| n.as_rational()) {
        return Some(Value::Number(r.clone()));
    }
    let r = ctx.rat(v)?;
    if !r.is_poly() {
        return None;
    }
    let atoms = r.num.atoms();
    match atoms.as_slice() {
        [i] if r.num == Poly::atom(*i) => Some(Value::Atom(*i)),
        _ => None,
    }
}

/// `P'·Q` on dense integer coefficient vectors (index = power of `v`).
fn derivative_times(p: &[BigInt], c: i64, l: i64, q: i64) -> Vec<BigInt> {
    let mut out = vec![BigInt::zero(); p.len() + 1];
    for (i, pi) in p.iter().enumerate().skip(1) {
        if pi.is_zero() {
            continue;
        }
        let d = pi * i;
        // d·v^(i-1) · (c + l·v + q·v²)
        for (j, k) in [(i - 1, c), (i, l), (i + 1, q)] {
            if k != 0 {
                out[j] += &d * k;
            }
        }
    }
    while out.len() > 1 && out.last().is_some_and(Zero::is_zero) {
        out.pop();
    }
    out
}

/// `P(value)/k!` as an expression in normal form.
fn coefficient(ctx: &mut Ctx, p: &[BigInt], value: &Value, factorial: &BigInt) -> ExprId {
    match value {
        Value::Number(x) => {
            // reduced by the fast gcd (`Ratio`'s division reduces through
            // big-integer gcds, most of a `tan` series' time)
            let e = evaluate(p, x);
            let v = crate::expr::rational::reduced(e.numer().clone(), e.denom() * factorial);
            ctx.store.rational(v)
        }
        Value::Atom(i) => {
            let terms = p
                .iter()
                .enumerate()
                .filter(|(_, c)| !c.is_zero())
                .map(|(e, c)| {
                    let mut m = vec![0u32; i + 1];
                    m[*i] = e as u32;
                    (m, c.clone())
                })
                .collect();
            let poly = Poly::build(terms, factorial.clone());
            ctx.emit(Rat::poly(poly))
        }
    }
}

/// `P(x)` for integer coefficients, in integers (`Σ c_i·n^i·d^(deg−i)`
/// for `x = n/d`) and reduced once.
fn evaluate(p: &[BigInt], x: &BigRational) -> BigRational {
    if x.is_zero() {
        return BigRational::from_integer(p.first().cloned().unwrap_or_default());
    }
    let (n, d) = (x.numer(), x.denom());
    let mut it = p.iter().rev();
    let mut acc = it.next().cloned().unwrap_or_default();
    let mut dpow = BigInt::one();
    for c in it {
        dpow *= d;
        acc = acc * n + c * &dpow;
    }
    crate::expr::rational::reduced(acc, dpow)
}
