//! Scalars for automatic differentiation: `f64` and first-order dual numbers,
//! and the local partial derivatives of every tape operation, generic over
//! both (so forward-over-reverse gets second derivatives for free).

use std::ops::{Add, Div, Mul, Neg, Sub};

use crate::eval::Op;
use crate::expr::Func;

/// What the sweeps compute with.
pub trait Scalar:
    Copy
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
{
    /// A constant.
    fn from_f64(x: f64) -> Self;
    /// The value part.
    fn value(self) -> f64;
    /// `self^n`.
    fn powi(self, n: i32) -> Self;
    /// `sqrt(self)`.
    fn sqrt(self) -> Self;
    /// `self^e`.
    fn powf(self, e: Self) -> Self;
    /// The natural logarithm.
    fn ln(self) -> Self;
    /// A function of the deriv language.
    fn apply(f: Func, args: &[Self]) -> Self;
    /// Exactly zero in every component.
    fn is_zero(self) -> bool;
}

impl Scalar for f64 {
    fn from_f64(x: f64) -> Self {
        x
    }
    fn value(self) -> f64 {
        self
    }
    fn powi(self, n: i32) -> Self {
        f64::powi(self, n)
    }
    fn sqrt(self) -> Self {
        f64::sqrt(self)
    }
    fn powf(self, e: Self) -> Self {
        f64::powf(self, e)
    }
    fn ln(self) -> Self {
        f64::ln(self)
    }
    fn apply(f: Func, args: &[Self]) -> Self {
        f.apply_f64(args)
    }
    fn is_zero(self) -> bool {
        self == 0.0
    }
}

/// A dual number `v + d·ε` with `ε² = 0`: a value and one directional derivative.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dual {
    /// The value.
    pub v: f64,
    /// The derivative in the seeded direction.
    pub d: f64,
}

impl Add for Dual {
    type Output = Dual;
    fn add(self, o: Dual) -> Dual {
        Dual {
            v: self.v + o.v,
            d: self.d + o.d,
        }
    }
}

impl Sub for Dual {
    type Output = Dual;
    fn sub(self, o: Dual) -> Dual {
        Dual {
            v: self.v - o.v,
            d: self.d - o.d,
        }
    }
}

impl Mul for Dual {
    type Output = Dual;
    fn mul(self, o: Dual) -> Dual {
        Dual {
            v: self.v * o.v,
            d: self.d * o.v + self.v * o.d,
        }
    }
}

impl Div for Dual {
    type Output = Dual;
    fn div(self, o: Dual) -> Dual {
        let v = self.v / o.v;
        Dual {
            v,
            d: (self.d - v * o.d) / o.v,
        }
    }
}

impl Neg for Dual {
    type Output = Dual;
    fn neg(self) -> Dual {
        Dual {
            v: -self.v,
            d: -self.d,
        }
    }
}

impl Scalar for Dual {
    fn from_f64(x: f64) -> Self {
        Dual { v: x, d: 0.0 }
    }
    fn value(self) -> f64 {
        self.v
    }
    fn powi(self, n: i32) -> Self {
        let d = if self.d == 0.0 {
            0.0
        } else {
            f64::from(n) * self.v.powi(n - 1) * self.d
        };
        Dual {
            v: self.v.powi(n),
            d,
        }
    }
    fn sqrt(self) -> Self {
        let v = self.v.sqrt();
        Dual {
            v,
            d: if self.d == 0.0 {
                0.0
            } else {
                self.d / (2.0 * v)
            },
        }
    }
    fn powf(self, e: Self) -> Self {
        let v = self.v.powf(e.v);
        let mut d = 0.0;
        if self.d != 0.0 {
            d += e.v * self.v.powf(e.v - 1.0) * self.d;
        }
        if e.d != 0.0 {
            d += v * self.v.ln() * e.d;
        }
        Dual { v, d }
    }
    fn ln(self) -> Self {
        Dual {
            v: self.v.ln(),
            d: if self.d == 0.0 { 0.0 } else { self.d / self.v },
        }
    }
    fn apply(f: Func, args: &[Self]) -> Self {
        let vals: Vec<f64> = args.iter().map(|a| a.v).collect();
        let v = f.apply_f64(&vals);
        let mut d = 0.0;
        for (i, a) in args.iter().enumerate() {
            if a.d != 0.0 {
                d += partial::<f64>(f, &vals, i, v) * a.d;
            }
        }
        Dual { v, d }
    }
    fn is_zero(self) -> bool {
        self.v == 0.0 && self.d == 0.0
    }
}

/// The value of one tape operation from its operands' values.
pub fn apply_op<S: Scalar>(op: &Op, v: &[S], input: &dyn Fn(crate::expr::Sym) -> S) -> S {
    let at = |i: &u32| v[*i as usize];
    match op {
        Op::Const(c) => S::from_f64(*c),
        Op::Input(s) => input(*s),
        Op::Add(xs) => xs.iter().skip(1).fold(at(&xs[0]), |acc, i| acc + at(i)),
        Op::Mul(xs) => xs.iter().skip(1).fold(at(&xs[0]), |acc, i| acc * at(i)),
        Op::Powi(b, n) => at(b).powi(*n),
        Op::Sqrt(b) => at(b).sqrt(),
        Op::Rsqrt(b) => at(b).powf(S::from_f64(-0.5)),
        Op::Powf(b, e) => at(b).powf(at(e)),
        Op::Call(f, xs) => {
            let args: Vec<S> = xs.iter().map(at).collect();
            S::apply(*f, &args)
        }
    }
}

/// The local partial derivatives of an operation with respect to each of
/// its operands (in the order of [`Op::operands`]); `me` is its value.
pub fn local_partials<S: Scalar>(op: &Op, v: &[S], me: S) -> Vec<S> {
    let at = |i: &u32| v[*i as usize];
    let one = S::from_f64(1.0);
    match op {
        Op::Const(_) | Op::Input(_) => vec![],
        Op::Add(xs) => vec![one; xs.len()],
        Op::Mul(xs) => {
            // products of all the others, by prefix and suffix products
            let n = xs.len();
            let mut prefix = vec![one; n];
            for i in 1..n {
                prefix[i] = prefix[i - 1] * at(&xs[i - 1]);
            }
            let mut out = vec![one; n];
            let mut suffix = one;
            for i in (0..n).rev() {
                out[i] = prefix[i] * suffix;
                suffix = suffix * at(&xs[i]);
            }
            out
        }
        Op::Powi(b, n) => vec![S::from_f64(f64::from(*n)) * at(b).powi(n - 1)],
        Op::Sqrt(_) => vec![S::from_f64(0.5) / me],
        Op::Rsqrt(b) => vec![S::from_f64(-0.5) * me / at(b)],
        Op::Powf(b, e) => {
            let (b, e) = (at(b), at(e));
            vec![e * b.powf(e - one), me * b.ln()]
        }
        Op::Call(f, xs) => {
            let args: Vec<S> = xs.iter().map(at).collect();
            (0..args.len()).map(|i| partial(*f, &args, i, me)).collect()
        }
    }
}

/// `∂f(args)/∂args[i]`, SPEC's conventions at kinks; `v` is `f(args)`.
pub fn partial<S: Scalar>(f: Func, a: &[S], i: usize, v: S) -> S {
    let x = a[0];
    let one = S::from_f64(1.0);
    let c = S::from_f64;
    match f {
        Func::Sin => S::apply(Func::Cos, &[x]),
        Func::Cos => -S::apply(Func::Sin, &[x]),
        Func::Tan => one + v * v,
        Func::Asin => one / (one - x * x).sqrt(),
        Func::Acos => -(one / (one - x * x).sqrt()),
        Func::Atan => one / (one + x * x),
        Func::Sinh => S::apply(Func::Cosh, &[x]),
        Func::Cosh => S::apply(Func::Sinh, &[x]),
        Func::Tanh => one - v * v,
        Func::Asinh => one / (x * x + one).sqrt(),
        Func::Acosh => one / (x * x - one).sqrt(),
        Func::Atanh => one / (one - x * x),
        Func::Exp => v,
        Func::Ln => one / x,
        Func::Cbrt => one / (c(3.0) * v * v),
        Func::Abs => S::apply(Func::Sign, &[x]),
        Func::Sign | Func::Step | Func::Floor | Func::Ceil | Func::Round => c(0.0),
        Func::Relu => S::apply(Func::Step, &[x]),
        Func::Sigmoid => v * (one - v),
        Func::Softplus => S::apply(Func::Sigmoid, &[x]),
        Func::Erf => c(2.0 / std::f64::consts::PI.sqrt()) * S::apply(Func::Exp, &[-(x * x)]),
        Func::Erfc => -(c(2.0 / std::f64::consts::PI.sqrt()) * S::apply(Func::Exp, &[-(x * x)])),
        Func::Sinc => sinc_slope(x),
        Func::Atan2 => {
            let (y, x) = (a[0], a[1]);
            let r2 = x * x + y * y;
            if i == 0 { x / r2 } else { -y / r2 }
        }
        Func::Min | Func::Max => c(share(f, a, i)),
    }
}

/// `sinc'(x) = (x cos(x) - sin(x))/x^2`, and for `|x| < 1` (where that
/// cancels, and is `0/0` at 0) its series `sum_k (-1)^k 2k x^(2k-1)/(2k+1)!`
/// to `k = 9`, whose first omitted term is below `2^-59` of the sum there.
fn sinc_slope<S: Scalar>(x: S) -> S {
    if x.value().abs() < 1.0 {
        let x2 = x * x;
        let mut acc = S::from_f64(0.0);
        for k in (1..=9u32).rev() {
            let mut fact = 1.0;
            for j in 2..=(2 * k + 1) {
                fact *= f64::from(j);
            }
            let sign = if k % 2 == 0 { 1.0 } else { -1.0 };
            acc = acc * x2 + S::from_f64(sign * f64::from(2 * k) / fact);
        }
        return acc * x;
    }
    (x * S::apply(Func::Cos, &[x]) - S::apply(Func::Sin, &[x])) / (x * x)
}

/// The share of argument `i` of `min`/`max`: `1/k` when it is one of `k`
/// tied extremes, else 0 (SPEC: a tie of two splits 1/2 : 1/2).
fn share<S: Scalar>(f: Func, a: &[S], i: usize) -> f64 {
    let vals: Vec<f64> = a.iter().map(|s| s.value()).collect();
    if vals.iter().any(|v| v.is_nan()) {
        return f64::NAN;
    }
    let best = if f == Func::Max {
        vals.iter().copied().fold(f64::NEG_INFINITY, f64::max)
    } else {
        vals.iter().copied().fold(f64::INFINITY, f64::min)
    };
    if vals[i] != best {
        return 0.0;
    }
    1.0 / vals.iter().filter(|v| **v == best).count() as f64
}
