//! Exact expressions evaluated to a correctly rounded `f64`.
//!
//! [`eval_exact`] evaluates a closed expression (no free variables: exact
//! rationals, float literals, `pi`, `e`, every [`Func`]) in interval
//! arithmetic on `astro-float` numbers, whose every operation is correctly
//! rounded: each bound is the rounded result moved outward by one ulp, so
//! the interval holds the true value whatever the cancellation (see
//! `interval.rs`). Functions astro-float lacks (`erf`, `sigmoid`,
//! `softplus`, `atan2`, the piecewise ones) are composed from sound
//! interval operations, `erf` with the remainder of its alternating series.
//!
//! Ziv's strategy, as SymPy's `evalf`: evaluate at
//! [`PreciseOptions::start_bits`], then at double the precision, until both
//! ends of the interval round to the same `f64`: then every value inside
//! does, the true one included, and the result is [`Rounding::Correct`].
//! Past [`PreciseOptions::max_bits`] the result is the middle of the last
//! interval, flagged [`Rounding::Uncertain`], with the interval's ends
//! (`cos(pi/2)` folds to `0` in the store; a zero that does not fold, such
//! as `sinh(1) - (e - 1/e)/2`, rounds correctly to `0` once the interval is
//! narrower than the smallest subnormal, at about 1100 bits).
//!
//! The float semantics are those of [`super::Tape`]: a value outside the
//! domain is NaN (`sqrt(-1)`, `log(-1)`, `(-8)^(1/3)`), a pole at an exact
//! zero is infinite (`1/0 = +inf`, `log(0) = -inf`), the undefined constant
//! is NaN. A NaN certainly undefined is [`Rounding::Correct`].
//!
//! The cost is bounded: each round costs in proportion to the graph's size
//! and a power of the precision; numbers are read to the working precision
//! only, a huge power goes through `exp(n log x)`, and `sin` of an argument
//! with more integer bits than the precision is `[-1, 1]` without argument
//! reduction (uncertain at the bound).
//!
//! ```
//! use deriv::{eval::{eval_exact, PreciseOptions, Rounding}, expr::Store, parse};
//! let mut s = Store::new();
//! let f = parse::parse_expr(&mut s, "sin(10^30)", &Default::default())?;
//! let v = eval_exact(&s, f, &PreciseOptions::default())?;
//! assert_eq!(v.rounding, Rounding::Correct);
//! assert_eq!(v.value, -0.09011690191213806);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod funcs;
mod interval;
mod power;
mod round;
mod special;
mod whole;

use astro_float::Consts;

use rustc_hash::FxHashMap;

use crate::expr::{Constant, ExprId, Func, Node, Number, Store, Sym};

use interval::{Ctx, Iv, Val};
use whole::Whole;

/// Precision bounds of [`eval_exact`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PreciseOptions {
    /// Bits of the first round (default 128).
    pub start_bits: usize,
    /// The largest precision tried, in bits (default 8192); past it the
    /// result is [`Rounding::Uncertain`].
    pub max_bits: usize,
}

impl Default for PreciseOptions {
    fn default() -> PreciseOptions {
        PreciseOptions {
            start_bits: 128,
            max_bits: 8192,
        }
    }
}

/// Whether [`Precise::value`] is the correctly rounded value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rounding {
    /// The value is the true value rounded to nearest, ties to even (or NaN
    /// for a value certainly undefined).
    Correct,
    /// The precision bound was reached first: the true value lies in
    /// `[lo, hi]` (or is undefined, when the interval touched the edge of
    /// a domain), and `value` is a guess inside it; it may not be
    /// correctly rounded.
    Uncertain,
}

/// The result of [`eval_exact`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Precise {
    /// The value: correctly rounded when `rounding` says so.
    pub value: f64,
    /// Whether `value` is correctly rounded.
    pub rounding: Rounding,
    /// The precision of the last round, in bits.
    pub bits: usize,
    /// A lower bound of the true value (rounded down); NaN when undefined.
    pub lo: f64,
    /// An upper bound of the true value (rounded up); NaN when undefined.
    pub hi: f64,
}

/// Errors of [`eval_exact`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PreciseError {
    /// The expression has a free variable.
    #[error("`{0}` is a variable: exact evaluation needs a closed expression")]
    FreeVariable(String),
}

/// Evaluates `roots` at an exact point: the point's values (exact
/// expressions such as `1/2` or `pi/4`, with no variables) are substituted
/// through the constructors ([`Store::substitute_vars`], so exact values
/// fold: `cos(x)` at `x = pi/2` is `0`, `(x-1)/(x-1)` at `x = 1` is
/// undefined), then each root is evaluated by [`eval_exact`].
///
/// This is the one call for evaluating at an exact point (`eval --at`):
/// a result flagged [`Rounding::Uncertain`] deserves a warning that it may
/// not be correctly rounded.
///
/// # Errors
/// [`PreciseError::FreeVariable`] when the point leaves a variable of
/// `roots` without a value, or a value has a variable.
///
/// ```
/// use deriv::{eval::{eval_exact_at, PreciseOptions}, expr::Store, parse};
/// use rustc_hash::FxHashMap;
/// let mut s = Store::new();
/// let f = parse::parse_expr(&mut s, "1/(x - pi)", &Default::default())?;
/// let at = parse::parse_expr(&mut s, "pi + 1/10^30", &Default::default())?;
/// let point: FxHashMap<_, _> = [(s.sym("x"), at)].into_iter().collect();
/// let v = eval_exact_at(&mut s, &[f], &point, &PreciseOptions::default())?;
/// assert_eq!(v[0].value, 1e30); // floats give -inf
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn eval_exact_at(
    store: &mut Store,
    roots: &[ExprId],
    point: &FxHashMap<Sym, ExprId>,
    opts: &PreciseOptions,
) -> Result<Vec<Precise>, PreciseError> {
    let closed = store.substitute_vars(roots, point);
    closed.iter().map(|&r| eval_exact(store, r, opts)).collect()
}

/// Evaluates a closed expression with raising precision until its value
/// rounded to `f64` is certain (see the module docs). To evaluate at an
/// exact point, use [`eval_exact_at`].
///
/// # Errors
/// [`PreciseError::FreeVariable`] when `id` has a variable.
pub fn eval_exact(
    store: &Store,
    id: ExprId,
    opts: &PreciseOptions,
) -> Result<Precise, PreciseError> {
    if let Some(s) = store.free_vars(&[id]).first() {
        return Err(PreciseError::FreeVariable(store.name(*s).to_string()));
    }
    let ids = store.reachable(&[id]);
    let max = opts.max_bits.max(64);
    let cc = CONSTS
        .with(|c| c.borrow_mut().take())
        .unwrap_or_else(|| Consts::new().expect("astro-float constants cache"));
    let mut ctx = Ctx {
        p: opts.start_bits.clamp(64, max),
        cc,
    };
    let out = ziv(&mut ctx, store, &ids, max);
    CONSTS.with(|c| *c.borrow_mut() = Some(ctx.cc));
    Ok(out)
}

thread_local! {
    /// astro-float's cache of `pi`, `e` and `ln 2`, kept between calls:
    /// computing `e` again at each call was a fifth of the time of a small
    /// exact evaluation.
    static CONSTS: std::cell::RefCell<Option<Consts>> = const { std::cell::RefCell::new(None) };
}

/// Ziv's loop: rounds of doubling precision from `ctx.p` up to `max`.
fn ziv(ctx: &mut Ctx, store: &Store, ids: &[ExprId], max: usize) -> Precise {
    loop {
        let v = eval_round(ctx, store, ids);
        let Val::Iv(iv) = v else {
            return nan(ctx.p);
        };
        let (lo, hi) = (round::nearest(&iv.lo), round::nearest(&iv.hi));
        if lo == hi && !iv.maybe_nan {
            let value = round::signed_zero(lo, &iv);
            return Precise {
                value,
                rounding: Rounding::Correct,
                bits: ctx.p,
                lo: value,
                hi: value,
            };
        }
        if ctx.p >= max {
            return uncertain(ctx, &iv);
        }
        ctx.p = (ctx.p * 2).min(max);
    }
}

fn nan(bits: usize) -> Precise {
    Precise {
        value: f64::NAN,
        rounding: Rounding::Correct,
        bits,
        lo: f64::NAN,
        hi: f64::NAN,
    }
}

fn uncertain(ctx: &mut Ctx, iv: &Iv) -> Precise {
    let mid = iv.lo.add(&iv.hi, ctx.p, interval::RM);
    let mid = mid.div(&interval::word(2), ctx.p, interval::RM);
    let (lo, hi) = (round::nearest(&iv.lo), round::nearest(&iv.hi));
    let value = if mid.is_nan() {
        f64::NAN
    } else {
        round::nearest(&mid)
    };
    Precise {
        value: if value.is_nan() && lo == hi {
            lo
        } else {
            value
        },
        rounding: Rounding::Uncertain,
        bits: ctx.p,
        lo: round::next_down(lo),
        hi: round::next_up(hi),
    }
}

/// One round: every node in ascending (topological) order.
fn eval_round(ctx: &mut Ctx, store: &Store, ids: &[ExprId]) -> Val {
    let mut vals: Vec<Val> = Vec::with_capacity(ids.len());
    for &id in ids {
        let node = store.node(id);
        let kids: Vec<&Val> = node
            .children()
            .iter()
            .map(|c| &vals[ids.binary_search(c).expect("children are reachable")])
            .collect();
        let v = if kids.iter().any(|k| matches!(k, Val::Nan)) {
            Val::Nan
        } else {
            let kids: Vec<&Iv> = kids
                .into_iter()
                .map(|k| match k {
                    Val::Iv(iv) => iv,
                    Val::Nan => unreachable!("NaN operands are handled above"),
                })
                .collect();
            eval_node(ctx, store, node, &kids)
        };
        vals.push(v);
    }
    vals.pop().unwrap_or(Val::Nan)
}

fn eval_node(ctx: &mut Ctx, store: &Store, node: Node<'_>, kids: &[&Iv]) -> Val {
    let iv = match node {
        Node::Num(n) => match n {
            Number::Rational(q) => ctx.rational(q),
            Number::Float(f) if f.is_nan() => return Val::Nan,
            Number::Float(f) => Iv::point(interval::from_f64(*f)),
        },
        Node::Const(Constant::Pi) => ctx.pi(),
        Node::Const(Constant::E) => ctx.e(),
        Node::Var(_) => Iv::unknown(),
        Node::Add(_) => fold(kids, |a, b| ctx.add(a, b)),
        Node::Mul(_) => fold(kids, |a, b| ctx.mul(a, b)),
        Node::Pow([_, e]) => return ctx.pow(kids[0], kids[1], store.as_num(*e)),
        Node::Call(f, _) => return call(ctx, *f, kids),
    };
    Val::Iv(iv)
}

fn fold(kids: &[&Iv], mut f: impl FnMut(&Iv, &Iv) -> Iv) -> Iv {
    let mut acc = kids[0].clone();
    for k in &kids[1..] {
        acc = f(&acc, k);
    }
    acc
}

#[rustfmt::skip]
fn call(ctx: &mut Ctx, f: Func, args: &[&Iv]) -> Val {
    use interval::RM;
    let a = args[0];
    let iv = match f {
        Func::Sin => ctx.sin_cos(a, false),
        Func::Cos => ctx.sin_cos(a, true),
        Func::Tan => ctx.tan(a),
        Func::Asin => return ctx.arc(a, false),
        Func::Acos => return ctx.arc(a, true),
        Func::Atan => ctx.increasing(a, |x, p, cc| x.atan(p, RM, cc)),
        Func::Sinh => ctx.hyperbolic(a, 0),
        Func::Cosh => ctx.hyperbolic(a, 1),
        Func::Tanh => ctx.hyperbolic(a, 2),
        Func::Asinh => ctx.increasing(a, |x, p, cc| x.asinh(p, RM, cc)),
        Func::Acosh => return ctx.acosh(a),
        Func::Atanh => return ctx.atanh(a),
        Func::Exp => ctx.exp(a),
        Func::Ln => return ctx.ln(a),
        Func::Cbrt => ctx.increasing(a, |x, p, _| x.cbrt(p, RM)),
        Func::Abs => a.abs(),
        Func::Sign => ctx.sign(a),
        Func::Step => ctx.step(a),
        Func::Sigmoid => ctx.sigmoid(a),
        Func::Relu => ctx.relu(a),
        Func::Softplus => ctx.softplus(a),
        Func::Erf => ctx.erf(a),
        Func::Erfc => ctx.erfc(a),
        Func::Sinc => ctx.sinc(a),
        Func::Floor => ctx.integer_part(a, Whole::Floor),
        Func::Ceil => ctx.integer_part(a, Whole::Ceil),
        Func::Round => ctx.integer_part(a, Whole::Round),
        Func::Atan2 => ctx.atan2(a, args[1]),
        Func::Min | Func::Max => {
            let xs: Vec<Iv> = args.iter().map(|x| (*x).clone()).collect();
            ctx.min_max(&xs, f == Func::Max)
        }
    };
    Val::Iv(iv)
}

#[cfg(test)]
mod tests;
