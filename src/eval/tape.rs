//! A compiled evaluation tape: lower a set of roots once, evaluate many points.

use crate::expr::{ExprId, Func, IdMap, Node, Number, Store, Sym};

/// One instruction; operands are slots of earlier instructions.
#[derive(Clone, Debug)]
pub enum Op {
    /// A constant.
    Const(f64),
    /// A variable's value.
    Input(Sym),
    /// The sum of the slots.
    Add(Box<[u32]>),
    /// The product of the slots.
    Mul(Box<[u32]>),
    /// `slot ^ n` for an integer `n`.
    Powi(u32, i32),
    /// `sqrt(slot)`.
    Sqrt(u32),
    /// `slot ^ (-1/2)`, by a square root and a division corrected by one
    /// Newton step (`rsqrt`), not a `pow`.
    Rsqrt(u32),
    /// `base ^ exponent`, both slots.
    Powf(u32, u32),
    /// A function of the slots.
    Call(Func, Box<[u32]>),
}

impl Op {
    /// The operand slots, in order.
    pub fn operands(&self) -> Vec<u32> {
        match self {
            Op::Const(_) | Op::Input(_) => vec![],
            Op::Add(xs) | Op::Mul(xs) | Op::Call(_, xs) => xs.to_vec(),
            Op::Powi(b, _) | Op::Sqrt(b) | Op::Rsqrt(b) => vec![*b],
            Op::Powf(b, e) => vec![*b, *e],
        }
    }
}

/// Straight-line code for a set of roots: reachable nodes in ascending id
/// order, one slot each. Several outputs (a gradient, a Jacobian) come out
/// of one pass.
#[derive(Clone, Debug)]
pub struct Tape {
    ops: Vec<Op>,
    ids: Vec<ExprId>,
    roots: Vec<u32>,
    inputs: Vec<Sym>,
}

impl Tape {
    /// Lowers `roots` to a tape.
    pub fn new(store: &Store, roots: &[ExprId]) -> Tape {
        let ids = store.reachable(roots);
        // each node's slot, by id: a table by index where the ids are dense
        // in their range (a hash map of 110,000 ids, the W3 trace at
        // N=10000, missed the caches on nearly every operand read)
        let mut slots = IdMap::for_order(&ids);
        for (i, id) in ids.iter().enumerate() {
            slots.insert(*id, ExprId(i as u32));
        }
        let slot = |x: &ExprId| -> u32 { slots[x].0 };
        let sl = |xs: &[ExprId]| -> Box<[u32]> { xs.iter().map(slot).collect() };
        let mut inputs = Vec::new();
        let ops = ids
            .iter()
            .map(|&id| match store.node(id) {
                Node::Num(n) => Op::Const(n.to_f64()),
                Node::Const(c) => Op::Const(c.value()),
                Node::Var(s) => {
                    inputs.push(*s);
                    Op::Input(*s)
                }
                Node::Add(xs) => Op::Add(sl(xs)),
                Node::Mul(xs) => Op::Mul(sl(xs)),
                Node::Pow([b, e]) => match store.as_num(*e) {
                    Some(n) if *n == Number::frac(1, 2) => Op::Sqrt(slot(b)),
                    Some(n) if *n == Number::frac(-1, 2) => Op::Rsqrt(slot(b)),
                    Some(n) => match n.as_i64().and_then(|i| i32::try_from(i).ok()) {
                        Some(i) => Op::Powi(slot(b), i),
                        None => Op::Powf(slot(b), slot(e)),
                    },
                    None => Op::Powf(slot(b), slot(e)),
                },
                Node::Call(f, xs) => Op::Call(*f, sl(xs)),
            })
            .collect();
        let roots = roots.iter().map(slot).collect();
        Tape {
            ops,
            ids,
            roots,
            inputs,
        }
    }

    /// The variables the tape reads.
    pub fn inputs(&self) -> &[Sym] {
        &self.inputs
    }

    /// Evaluates every slot at a point; `value(sym)` gives the inputs.
    /// Values outside the domain are NaN or ±inf, never an error.
    pub fn eval_slots(&self, value: &dyn Fn(Sym) -> f64) -> Vec<f64> {
        let mut v: Vec<f64> = Vec::with_capacity(self.ops.len());
        let mut args: Vec<f64> = Vec::new();
        for op in &self.ops {
            let x = eval_op(op, &v, value, &mut args);
            v.push(x);
        }
        v
    }

    /// The root values out of a slot vector.
    pub fn roots_of(&self, slots: &[f64]) -> Vec<f64> {
        self.roots.iter().map(|&r| slots[r as usize]).collect()
    }

    /// Evaluates the roots at a point.
    pub fn eval(&self, value: &dyn Fn(Sym) -> f64) -> Vec<f64> {
        let slots = self.eval_slots(value);
        self.roots_of(&slots)
    }

    /// The first subexpression whose value is NaN or infinite although all
    /// its operands are finite: where a value left the domain.
    pub fn first_nonfinite(&self, slots: &[f64]) -> Option<ExprId> {
        self.nonfinite_sources(slots).first().copied()
    }

    /// Every subexpression whose value is NaN or infinite although all its
    /// operands are finite, in evaluation order.
    pub fn nonfinite_sources(&self, slots: &[f64]) -> Vec<ExprId> {
        (0..self.ops.len())
            .filter_map(|i| {
                if slots[i].is_finite() {
                    return None;
                }
                let operands_finite = match &self.ops[i] {
                    Op::Const(_) | Op::Input(_) => true,
                    Op::Add(xs) | Op::Mul(xs) | Op::Call(_, xs) => {
                        xs.iter().all(|&j| slots[j as usize].is_finite())
                    }
                    Op::Powi(b, _) | Op::Sqrt(b) | Op::Rsqrt(b) => slots[*b as usize].is_finite(),
                    Op::Powf(b, e) => {
                        slots[*b as usize].is_finite() && slots[*e as usize].is_finite()
                    }
                };
                operands_finite.then_some(self.ids[i])
            })
            .collect()
    }

    /// The instructions, one per slot, operands before their users.
    pub fn ops(&self) -> &[Op] {
        &self.ops
    }

    /// The slots of the roots, in the order given to [`Tape::new`].
    pub fn root_slots(&self) -> &[u32] {
        &self.roots
    }

    /// The node of each slot.
    pub fn ids(&self) -> &[ExprId] {
        &self.ids
    }

    /// The slot of each node, the inverse of [`Tape::ids`].
    pub fn slot_map(&self) -> rustc_hash::FxHashMap<ExprId, usize> {
        self.ids
            .iter()
            .enumerate()
            .map(|(i, id)| (*id, i))
            .collect()
    }
}

/// The value of one instruction, given the values `v` of the slots before
/// it. The scalar tape and the batch evaluator ([`super::Batch`]) share this
/// and the functions below, so the two give the same bits.
pub(crate) fn eval_op(op: &Op, v: &[f64], value: &dyn Fn(Sym) -> f64, args: &mut Vec<f64>) -> f64 {
    let at = |i: &u32| v[*i as usize];
    match op {
        Op::Const(c) => *c,
        Op::Input(s) => value(*s),
        Op::Add(xs) => fold(xs.iter().map(at), add, -0.0),
        Op::Mul(xs) => fold(xs.iter().map(at), mul, 1.0),
        Op::Powi(b, n) => powi(at(b), *n),
        Op::Sqrt(b) => sqrt(at(b)),
        Op::Rsqrt(b) => rsqrt(at(b)),
        Op::Powf(b, e) => powf(at(b), at(e)),
        Op::Call(f, xs) => {
            args.clear();
            args.extend(xs.iter().map(at));
            f.apply_f64(args)
        }
    }
}

/// A left fold from the first operand: `((x0 ∘ x1) ∘ x2) ∘ ...`; `empty`
/// when there is none. The order is part of the result (floats do not
/// associate), and the batch evaluator follows it.
fn fold(mut xs: impl Iterator<Item = f64>, op: fn(f64, f64) -> f64, empty: f64) -> f64 {
    match xs.next() {
        Some(first) => xs.fold(first, op),
        None => empty,
    }
}

/// `a + b`.
#[inline(always)]
pub(crate) fn add(a: f64, b: f64) -> f64 {
    a + b
}

/// `a * b`.
#[inline(always)]
pub(crate) fn mul(a: f64, b: f64) -> f64 {
    a * b
}

/// `sqrt(x)`, correctly rounded.
#[inline(always)]
pub(crate) fn sqrt(x: f64) -> f64 {
    x.sqrt()
}

/// Where [`rsqrt_newton`] holds: its products neither overflow nor lose
/// bits to underflow.
#[inline(always)]
pub(crate) fn rsqrt_in_range(x: f64) -> bool {
    x > 1e-300 && x < 1e300
}

/// `x ^ (-1/2)` as `pow` gives it (to within a hair of correct rounding),
/// at a fraction of its cost: [`rsqrt_newton`] where it holds, `pow` at
/// the edges (zero, subnormals, huge or negative arguments, inf, NaN).
#[inline(always)]
pub(crate) fn rsqrt(x: f64) -> f64 {
    if rsqrt_in_range(x) {
        rsqrt_newton(x)
    } else {
        powf(x, -0.5)
    }
}

/// `1/sqrt(x)` for `1e-300 < x < 1e300`, corrected by one Newton step
/// whose residual `1 - x*r^2` is computed exactly (Dekker's products;
/// `1 - q` is exact as `q` is within a factor 2 of 1): the quotient's error
/// of up to an ulp shrinks to the last rounding, half an ulp. No branches,
/// so the batch evaluator's loop over a block vectorizes.
#[inline(always)]
pub(crate) fn rsqrt_newton(x: f64) -> f64 {
    let r = 1.0 / x.sqrt();
    let (p, e) = two_prod(r, r);
    let (q, f) = two_prod(x, p);
    let d = ((1.0 - q) - f) - x * e;
    r + r * (0.5 * d)
}

/// `a*b = p + e` exactly (Dekker, with Veltkamp's splitting; no FMA).
#[inline(always)]
fn two_prod(a: f64, b: f64) -> (f64, f64) {
    let split = |v: f64| {
        let c = 134_217_729.0 * v;
        let hi = c - (c - v);
        (hi, v - hi)
    };
    let p = a * b;
    let (ah, al) = split(a);
    let (bh, bl) = split(b);
    (p, ((ah * bh - p) + ah * bl + al * bh) + al * bl)
}

/// `b ^ e` for a non-integer exponent.
#[inline(always)]
pub(crate) fn powf(b: f64, e: f64) -> f64 {
    b.powf(e)
}

/// `x ^ n` by binary powering: the factors `x, x², x⁴, ...` of the set bits
/// of `|n|`, multiplied from the lowest bit up, then `1 / r` for `n < 0`.
/// This is the sequence of `f64::powi` (compiler-rt's `__powidf2`), written
/// out so that the batch evaluator's specialised loops compute the same one.
#[inline(always)]
pub(crate) fn powi(x: f64, n: i32) -> f64 {
    let mut base = x;
    let mut bits = n.unsigned_abs();
    let mut r = 1.0;
    loop {
        if bits & 1 == 1 {
            r *= base;
        }
        bits >>= 1;
        if bits == 0 {
            break;
        }
        base *= base;
    }
    if n < 0 { 1.0 / r } else { r }
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigInt;
    use num_rational::BigRational;

    fn exact(v: f64) -> BigRational {
        BigRational::from_float(v).expect("finite")
    }

    /// True when `r` is the correctly rounded `x^(-1/2)`: the true value
    /// lies between the midpoints to `r`'s neighbours, that is
    /// `x*lo^2 <= 1 <= x*hi^2` in exact arithmetic.
    fn correctly_rounded(x: f64, r: f64) -> bool {
        let two = BigRational::from_integer(BigInt::from(2));
        let lo = (exact(r) + exact(r.next_down())) / &two;
        let hi = (exact(r) + exact(r.next_up())) / &two;
        let (x, one) = (exact(x), BigRational::from_integer(BigInt::from(1)));
        &x * &lo * &lo <= one && one <= &x * &hi * &hi
    }

    /// `rsqrt` is correctly rounded on arguments spread over its range
    /// (checked in exact rationals, not against `pow`), and takes `pow`'s
    /// values at the edges.
    #[test]
    fn rsqrt_is_correctly_rounded() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            state
        };
        let mut wrong = 0;
        for i in 0..20_000 {
            let bits = next();
            // mantissa from the bits, exponent over [-990, 990]
            let m = 1.0 + (bits >> 12) as f64 / (1u64 << 52) as f64;
            let e = i % 1981 - 990;
            let x = m * 2f64.powi(e);
            let r = rsqrt(x);
            if !correctly_rounded(x, r) {
                wrong += 1;
            }
        }
        assert_eq!(wrong, 0, "results not correctly rounded");
        for x in [
            0.0,
            -0.0,
            1e-310,
            5e-324,
            1e300,
            1e308,
            f64::INFINITY,
            -1.0,
            f64::NAN,
        ] {
            let (a, b) = (rsqrt(x), x.powf(-0.5));
            assert!(a == b || (a.is_nan() && b.is_nan()), "{x}: {a} {b}");
        }
        assert_eq!(rsqrt(4.0), 0.5);
        assert_eq!(rsqrt(1.5340254166877414) / 2.0, 0.40369533111982087);
    }
}
