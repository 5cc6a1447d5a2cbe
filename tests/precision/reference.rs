//! An independent reference for exact evaluation: small expression trees
//! built by the tests (not by deriv's parser), printed in deriv's syntax,
//! and evaluated with astro-float at two high precisions by a tree walker
//! of its own (nothing of `src/eval/precise*`). A value is trusted only
//! where both precisions agree to far more than 53 bits, and a domain
//! question (a zero divisor, a negative `log` or `sqrt` argument) is
//! decided only where both precisions decide it the same way.
//!
//! Shared by `tests/precision.rs` and the `oracle` fuzz target.
#![allow(dead_code)]

use std::fmt;

use astro_float::{BigFloat, Consts, Radix, RoundingMode};

/// Working precisions in bits (at least 700, as 200 digits need 665).
pub const LOW: usize = 768;
/// The second precision: a value is trusted where both agree.
pub const HIGH: usize = 1536;

const RM: RoundingMode = RoundingMode::ToEven;

/// A function of one argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fun {
    /// `sin`
    Sin,
    /// `cos`
    Cos,
    /// `tan`
    Tan,
    /// `exp`
    Exp,
    /// `log` (natural)
    Log,
    /// `sqrt`
    Sqrt,
    /// `atan`
    Atan,
}

/// All functions, for generators.
pub const FUNS: [Fun; 7] = [
    Fun::Sin,
    Fun::Cos,
    Fun::Tan,
    Fun::Exp,
    Fun::Log,
    Fun::Sqrt,
    Fun::Atan,
];

/// A binary operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

/// All operators, for generators.
pub const OPS: [Op; 4] = [Op::Add, Op::Sub, Op::Mul, Op::Div];

/// An exact expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Ex {
    /// The rational `p/q` (`q > 0`).
    Rat(i64, i64),
    /// `pi`
    Pi,
    /// `e`
    E,
    /// The variable `x`, `y` or `z` (0, 1, 2).
    Var(usize),
    /// `a op b`
    Bin(Op, Box<Ex>, Box<Ex>),
    /// `a^n`, an integer power.
    Pow(Box<Ex>, i32),
    /// `f(a)`
    Call(Fun, Box<Ex>),
}

/// Variable names by index.
pub const VARS: [&str; 3] = ["x", "y", "z"];

impl fmt::Display for Ex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ex::Rat(p, 1) => write!(f, "({p})"),
            Ex::Rat(p, q) => write!(f, "({p}/{q})"),
            Ex::Pi => write!(f, "pi"),
            Ex::E => write!(f, "e"),
            Ex::Var(i) => write!(f, "{}", VARS[*i]),
            Ex::Bin(op, a, b) => {
                let o = match op {
                    Op::Add => "+",
                    Op::Sub => "-",
                    Op::Mul => "*",
                    Op::Div => "/",
                };
                write!(f, "({a} {o} {b})")
            }
            Ex::Pow(a, n) => write!(f, "({a})^({n})"),
            Ex::Call(fun, a) => {
                let name = format!("{fun:?}").to_lowercase();
                write!(f, "{name}({a})")
            }
        }
    }
}

/// An exact point: `(p, q)` for each of `x`, `y`, `z`, in deriv's syntax.
pub fn point_text(point: &[(i64, i64)]) -> String {
    point
        .iter()
        .zip(VARS)
        .map(|((p, q), v)| format!("{v}={p}/{q}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// What the reference says about an expression at a point.
#[derive(Clone, Debug)]
pub enum Reference {
    /// The value, correctly rounded to f64 (±inf past the range).
    Value(f64),
    /// Some subexpression has no real value (a zero divisor, `log` of a
    /// number ≤ 0, `sqrt` of a negative one): the result is not a number.
    Undefined,
    /// The two precisions do not settle it (a value that may be exactly
    /// zero, a huge argument): no verdict.
    Unknown,
}

/// The value at both precisions, or why there is none.
type Pair = Result<(BigFloat, BigFloat), Reference>;

/// Evaluates `ex` at `point` (`(p, q)` per variable).
pub fn reference(ex: &Ex, point: &[(i64, i64)]) -> Reference {
    let mut cc = match Consts::new() {
        Ok(cc) => cc,
        Err(_) => return Reference::Unknown,
    };
    match eval(ex, point, &mut cc) {
        Ok((lo, hi)) if settled(&lo, &hi) => to_f64(&hi, &mut cc),
        Ok(_) => Reference::Unknown,
        Err(r) => r,
    }
}

/// True when `lo` and `hi` agree to 2^-(LOW/2) relative (or are both 0).
fn settled(lo: &BigFloat, hi: &BigFloat) -> bool {
    if hi.is_zero() {
        return lo.is_zero();
    }
    let diff = lo.sub(hi, HIGH, RM).abs();
    let bound = hi.abs().mul(&pow2(-(LOW as i64) / 2), HIGH, RM);
    diff.cmp(&bound).is_some_and(|c| c <= 0)
}

fn pow2(n: i64) -> BigFloat {
    let two = BigFloat::from_i64(2, 64);
    let p = two.powi(n.unsigned_abs() as usize, HIGH, RM);
    if n < 0 {
        BigFloat::from_i64(1, 64).div(&p, HIGH, RM)
    } else {
        p
    }
}

/// A settled nonzero sign: -1, 0 (both exactly zero) or 1; `None` when
/// the precisions disagree.
fn sign(lo: &BigFloat, hi: &BigFloat) -> Option<i8> {
    if !settled(lo, hi) {
        return None;
    }
    Some(if hi.is_zero() {
        0
    } else if hi.is_negative() {
        -1
    } else {
        1
    })
}

/// Too large to trust (or to need): past 2^(2^20).
fn huge(v: &BigFloat) -> bool {
    !v.is_zero() && v.exponent().is_none_or(|e| e.unsigned_abs() > 1 << 20)
}

fn eval(ex: &Ex, point: &[(i64, i64)], cc: &mut Consts) -> Pair {
    let both = |f: &dyn Fn(usize) -> BigFloat| Ok((f(LOW), f(HIGH)));
    let v = match ex {
        Ex::Rat(p, q) => {
            both(&|w| BigFloat::from_i64(*p, 64).div(&BigFloat::from_i64(*q, 64), w, RM))?
        }
        Ex::Var(i) => {
            let (p, q) = point.get(*i).copied().ok_or(Reference::Unknown)?;
            return eval(&Ex::Rat(p, q), point, cc);
        }
        Ex::Pi => (cc.pi(LOW, RM), cc.pi(HIGH, RM)),
        Ex::E => (cc.e(LOW, RM), cc.e(HIGH, RM)),
        Ex::Bin(op, a, b) => binary(*op, eval(a, point, cc)?, eval(b, point, cc)?)?,
        Ex::Pow(a, n) => power(eval(a, point, cc)?, *n)?,
        Ex::Call(f, a) => call(*f, eval(a, point, cc)?, cc)?,
    };
    if huge(&v.0) || huge(&v.1) || v.0.is_nan() || v.1.is_nan() {
        return Err(Reference::Unknown);
    }
    Ok(v)
}

fn binary(op: Op, (a0, a1): (BigFloat, BigFloat), (b0, b1): (BigFloat, BigFloat)) -> Pair {
    let f = |a: &BigFloat, b: &BigFloat, w| match op {
        Op::Add => a.add(b, w, RM),
        Op::Sub => a.sub(b, w, RM),
        Op::Mul => a.mul(b, w, RM),
        Op::Div => a.div(b, w, RM),
    };
    if op == Op::Div {
        match sign(&b0, &b1) {
            None => return Err(Reference::Unknown),
            Some(0) => return Err(Reference::Undefined),
            Some(_) => {}
        }
    }
    let (lo, hi) = (f(&a0, &b0, LOW), f(&a1, &b1, HIGH));
    if matches!(op, Op::Add | Op::Sub) && lost(&a1, &b1, &hi) {
        return Err(Reference::Unknown);
    }
    Ok((lo, hi))
}

/// True when a sum of `a` and `b` (giving `sum`) may have lost what both
/// precisions lose alike: one term absorbed by the other (their
/// magnitudes more than LOW bits apart; a later cancellation of the big
/// one would leave both precisions agreeing on a wrong value), or half of
/// LOW's bits cancelled.
fn lost(a: &BigFloat, b: &BigFloat, sum: &BigFloat) -> bool {
    let (Some(ea), Some(eb)) = (a.exponent(), b.exponent()) else {
        return false;
    };
    if a.is_zero() || b.is_zero() {
        return false;
    }
    let (ea, eb) = (i64::from(ea), i64::from(eb));
    let top = ea.max(eb);
    let absorbed = (ea - eb).unsigned_abs() > LOW as u64 - 64;
    let cancelled = !sum.is_zero()
        && sum
            .exponent()
            .is_some_and(|e| i64::from(e) < top - LOW as i64 / 2);
    absorbed || cancelled
}

fn power((a0, a1): (BigFloat, BigFloat), n: i32) -> Pair {
    if n < 0 {
        match sign(&a0, &a1) {
            None => return Err(Reference::Unknown),
            Some(0) => return Err(Reference::Undefined),
            Some(_) => {}
        }
    }
    let k = n.unsigned_abs() as usize;
    let one = BigFloat::from_i64(1, 64);
    let f = |a: &BigFloat, w| {
        let p = a.powi(k, w + 64, RM);
        if n < 0 { one.div(&p, w, RM) } else { p }
    };
    Ok((f(&a0, LOW), f(&a1, HIGH)))
}

fn call(fun: Fun, (a0, a1): (BigFloat, BigFloat), cc: &mut Consts) -> Pair {
    let s = sign(&a0, &a1);
    match fun {
        Fun::Log if s != Some(1) => {
            return Err(s.map_or(Reference::Unknown, |_| Reference::Undefined));
        }
        Fun::Sqrt if s.is_none() => return Err(Reference::Unknown),
        Fun::Sqrt if s == Some(-1) => return Err(Reference::Undefined),
        // trigonometry of huge arguments: beyond what we check
        Fun::Sin | Fun::Cos | Fun::Tan if a1.exponent().is_some_and(|e| e > 128) => {
            return Err(Reference::Unknown);
        }
        // exp past 2^(±2^20): out of range anyway, and astro-float's
        // underflow to 0 would pass for an exact zero
        Fun::Exp if a1.exponent().is_some_and(|e| e > 20) => return Err(Reference::Unknown),
        _ => {}
    }
    let mut f = |a: &BigFloat, w| match fun {
        Fun::Sin => a.sin(w, RM, cc),
        Fun::Cos => a.cos(w, RM, cc),
        Fun::Tan => a.tan(w, RM, cc),
        Fun::Exp => a.exp(w, RM, cc),
        Fun::Log => a.ln(w, RM, cc),
        Fun::Sqrt => a.sqrt(w, RM),
        Fun::Atan => a.atan(w, RM, cc),
    };
    let lo = f(&a0, LOW);
    let hi = f(&a1, HIGH);
    if fun == Fun::Tan && sign(&lo, &hi).is_none() {
        // tan near a pole: the precisions disagree wildly; no verdict
        return Err(Reference::Unknown);
    }
    Ok((lo, hi))
}

/// True when `ex` has a product with an exactly zero factor, or a
/// quotient with an exactly zero dividend, at the point: deriv's canonical
/// form folds those to 0 whatever the other side (issue 11, item 1, still
/// open), so an undefined other side goes unseen.
pub fn zero_product(ex: &Ex, point: &[(i64, i64)]) -> bool {
    let Ok(mut cc) = Consts::new() else {
        return false;
    };
    walk_zero(ex, point, &mut cc)
}

fn walk_zero(ex: &Ex, point: &[(i64, i64)], cc: &mut Consts) -> bool {
    let mut zero = |e: &Ex| matches!(eval(e, point, cc), Ok((lo, hi)) if sign(&lo, &hi) == Some(0));
    match ex {
        Ex::Bin(op @ (Op::Mul | Op::Div), a, b) => {
            zero(a)
                || (*op == Op::Mul && zero(b))
                || walk_zero(a, point, cc)
                || walk_zero(b, point, cc)
        }
        Ex::Bin(_, a, b) => walk_zero(a, point, cc) || walk_zero(b, point, cc),
        Ex::Pow(a, _) | Ex::Call(_, a) => walk_zero(a, point, cc),
        _ => false,
    }
}

/// `v` correctly rounded to f64, through a decimal string long enough
/// that the second rounding (Rust's, correct) cannot move it by an ulp.
fn to_f64(v: &BigFloat, cc: &mut Consts) -> Reference {
    if v.is_zero() {
        return Reference::Value(0.0);
    }
    let mut w = v.clone();
    if w.set_precision(256, RM).is_err() {
        return Reference::Unknown;
    }
    match w.format(Radix::Dec, RM, cc) {
        Ok(text) => text
            .parse::<f64>()
            .map_or(Reference::Unknown, Reference::Value),
        Err(_) => Reference::Unknown,
    }
}

/// Distance in units in the last place (0 for `0.0` and `-0.0`).
pub fn ulps(a: f64, b: f64) -> u64 {
    // the bit patterns, made monotonic over the reals
    let key = |x: f64| {
        let bits = x.to_bits() as i64;
        if bits < 0 { i64::MIN - bits } else { bits }
    };
    key(a).abs_diff(key(b))
}

/// `Ok` when deriv's value `got` (with `warned`: deriv gave a warning)
/// is consistent with the reference: within 1 ulp, or not a number where
/// the reference is undefined, or explained by a warning.
///
/// `folded`: deriv's canonical form dropped a variable that was written
/// (`0*sqrt(x)` is `0`), or [`zero_product`] holds. Then a number where the expression is undefined
/// is the known defect of issue 11 (`0*u` folds to 0 when `u` is
/// undefined at the point: `deriv eval "0*sqrt(x)" --at x=-1` prints 0),
/// not reported again until it is fixed.
pub fn verdict(reference: &Reference, got: f64, warned: bool, folded: bool) -> Result<(), String> {
    if warned {
        return Ok(());
    }
    match *reference {
        Reference::Unknown => Ok(()),
        Reference::Undefined if !got.is_finite() || folded => Ok(()),
        Reference::Undefined => Err(format!(
            "{got:e} with no warning, but the expression is undefined there"
        )),
        Reference::Value(want) if got == want || ulps(got, want) <= 1 => Ok(()),
        Reference::Value(want) => Err(format!(
            "{got:e} with no warning, but the value is {want:e} ({} ulps away)",
            ulps(got, want)
        )),
    }
}
