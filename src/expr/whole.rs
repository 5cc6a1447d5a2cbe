//! Integer parts of closed constants: `floor(pi) = 3`, `round(e^2) = 7`.
//!
//! A closed argument built from rationals, `pi`, `e`, sums, products and
//! integer powers is enclosed between two exact rationals (`pi` and `e`
//! to 40 decimals, outward); when `floor`, `ceil` or `round` (all
//! non-decreasing) give the same integer at both ends, that integer is the
//! value. Otherwise (an argument within about `10^-35` of a jump, or a
//! function inside) the call is kept, and exact evaluation decides its value.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};

use super::{Constant, ExprId, Func, Node, Number, Store};

/// Nesting walked at most: deeper arguments are kept as calls.
const MAX_DEPTH: u32 = 12;
/// Bits of a bound's numerator or denominator beyond which the enclosure
/// gives up (each operation stays cheap).
const MAX_BITS: u64 = 4096;
/// Largest integer exponent expanded.
const MAX_EXPONENT: i64 = 64;

type Bounds = (BigRational, BigRational);

/// `digits / 10^40` and the next such rational up.
fn decimal_bounds(digits: &str) -> Bounds {
    let n: BigInt = digits.parse().expect("decimal digits");
    let d = BigInt::from(10).pow(40);
    let lo = BigRational::new(n.clone(), d.clone());
    let hi = BigRational::new(n + 1, d);
    (lo, hi)
}

fn constant_bounds(c: Constant) -> Bounds {
    match c {
        Constant::Pi => decimal_bounds("31415926535897932384626433832795028841971"),
        Constant::E => decimal_bounds("27182818284590452353602874713526624977572"),
    }
}

fn too_big(b: &Bounds) -> bool {
    [&b.0, &b.1]
        .iter()
        .any(|q| q.numer().bits() > MAX_BITS || q.denom().bits() > MAX_BITS)
}

fn product(a: &Bounds, b: &Bounds) -> Bounds {
    let ps = [&a.0 * &b.0, &a.0 * &b.1, &a.1 * &b.0, &a.1 * &b.1];
    let lo = ps.iter().min().cloned().unwrap_or_default();
    let hi = ps.iter().max().cloned().unwrap_or_default();
    (lo, hi)
}

fn power(b: &Bounds, n: i64) -> Option<Bounds> {
    let base = if n < 0 {
        if !b.0.is_positive() && !b.1.is_negative() {
            return None; // holds zero
        }
        (b.1.recip(), b.0.recip())
    } else {
        b.clone()
    };
    let mut acc = (BigRational::one(), BigRational::one());
    for _ in 0..n.unsigned_abs() {
        acc = product(&acc, &base);
        if too_big(&acc) {
            return None;
        }
    }
    Some(acc)
}

/// The integer part `f` of `q`.
pub(super) fn whole(f: Func, q: &BigRational) -> BigRational {
    match f {
        Func::Floor => q.floor(),
        Func::Ceil => q.ceil(),
        _ => {
            let half = BigRational::new(BigInt::from(1), BigInt::from(2));
            if q.is_negative() {
                -(-q + &half).floor()
            } else {
                (q + half).floor()
            }
        }
    }
}

impl Store {
    /// `floor`, `ceil` or `round` of the closed `a`, when the enclosure
    /// of `a` decides it.
    pub(super) fn fold_whole(&mut self, f: Func, a: ExprId) -> Option<ExprId> {
        if !self.is_closed(a) || self.is_singular(a) {
            return None;
        }
        let (lo, hi) = self.enclose(a, MAX_DEPTH)?;
        let (k, k_hi) = (whole(f, &lo), whole(f, &hi));
        (k == k_hi).then(|| self.rational(k))
    }

    /// Exact rational bounds of a closed expression, if it is made of
    /// rationals, constants, sums, products and integer powers.
    fn enclose(&self, id: ExprId, depth: u32) -> Option<Bounds> {
        let depth = depth.checked_sub(1)?;
        let b = match self.node(id) {
            Node::Num(n) => match n {
                Number::Rational(q) => (q.clone(), q.clone()),
                Number::Float(_) => return None,
            },
            Node::Const(c) => constant_bounds(*c),
            Node::Add(xs) => {
                let mut acc = (BigRational::zero(), BigRational::zero());
                for &x in xs.iter() {
                    let (lo, hi) = self.enclose(x, depth)?;
                    acc = (acc.0 + lo, acc.1 + hi);
                }
                acc
            }
            Node::Mul(xs) => {
                let mut acc = (BigRational::one(), BigRational::one());
                for &x in xs.iter() {
                    acc = product(&acc, &self.enclose(x, depth)?);
                }
                acc
            }
            Node::Pow([b, e]) => {
                let n = self.as_num(*e)?.as_i64()?;
                if n.abs() > MAX_EXPONENT {
                    return None;
                }
                power(&self.enclose(*b, depth)?, n)?
            }
            _ => return None,
        };
        (!too_big(&b)).then_some(b)
    }
}
