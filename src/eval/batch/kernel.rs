//! Register code for a block of points, and the loops that run it: each
//! instruction is one loop over the block, column by column (a struct of
//! arrays), which the compiler vectorizes where the operation allows
//! (`+ * /`, `sqrt`, small integer powers); other functions are the scalar
//! tape's own, called once per point.

use std::ops::Range;

use crate::eval::tape::{add, mul, powf, powi, rsqrt, rsqrt_in_range, rsqrt_newton, sqrt};
use crate::expr::Func;
use crate::expr::elementary as el;

/// Points per block: 512 values of a register are 4 KiB, so several
/// live registers fit in the L1 cache.
pub(super) const WIDTH: usize = 512;

/// An operand at or above this is the input column `operand - INPUT`, read
/// in place rather than copied into a register.
pub(super) const INPUT: u32 = 1 << 31;

/// One instruction over operands `R` (values before register allocation,
/// registers or input columns after).
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Inst<R> {
    /// `a + b`.
    Add(R, R),
    /// `c + a` for a constant `c`.
    AddC(f64, R),
    /// `a * b`.
    Mul(R, R),
    /// `c * a` for a constant `c`.
    MulC(f64, R),
    /// `c * a + b`, rounded after each operation.
    MulAddC(f64, R, R),
    /// `k + c * a`, rounded after each operation.
    AffineC(f64, f64, R),
    /// `(c * a) * b`.
    MulCMul(f64, R, R),
    /// `a * b + e`, rounded after each operation.
    MulAdd(R, R, R),
    /// `(c * a) * b + e`, rounded after each operation.
    MulCMulAdd(f64, R, R, R),
    /// `sqrt(a)`.
    Sqrt(R),
    /// `a ^ (-1/2)`.
    Rsqrt(R),
    /// `a ^ n`.
    Powi(R, i32),
    /// `a ^ b`.
    Powf(R, R),
    /// A function of one argument.
    Unary(Func, R),
    /// A function of several arguments.
    Call(Func, Box<[R]>),
}

impl<R: Copy> Inst<R> {
    /// The operands, in order.
    pub(super) fn operands(&self) -> Vec<R> {
        match self {
            Inst::AddC(_, a)
            | Inst::MulC(_, a)
            | Inst::Sqrt(a)
            | Inst::Rsqrt(a)
            | Inst::Powi(a, _) => vec![*a],
            Inst::Unary(_, a) => vec![*a],
            Inst::AffineC(_, _, a) => vec![*a],
            Inst::Add(a, b) | Inst::Mul(a, b) | Inst::Powf(a, b) => vec![*a, *b],
            Inst::MulAddC(_, a, b) | Inst::MulCMul(_, a, b) => vec![*a, *b],
            Inst::MulAdd(a, b, e) | Inst::MulCMulAdd(_, a, b, e) => vec![*a, *b, *e],
            Inst::Call(_, xs) => xs.to_vec(),
        }
    }

    /// The same instruction over other operands.
    pub(super) fn map<S>(&self, mut f: impl FnMut(R) -> S) -> Inst<S> {
        match self {
            Inst::Add(a, b) => Inst::Add(f(*a), f(*b)),
            Inst::AddC(c, a) => Inst::AddC(*c, f(*a)),
            Inst::Mul(a, b) => Inst::Mul(f(*a), f(*b)),
            Inst::MulC(c, a) => Inst::MulC(*c, f(*a)),
            Inst::MulAddC(c, a, b) => Inst::MulAddC(*c, f(*a), f(*b)),
            Inst::AffineC(k, c, a) => Inst::AffineC(*k, *c, f(*a)),
            Inst::MulCMul(c, a, b) => Inst::MulCMul(*c, f(*a), f(*b)),
            Inst::MulAdd(a, b, e) => Inst::MulAdd(f(*a), f(*b), f(*e)),
            Inst::MulCMulAdd(c, a, b, e) => Inst::MulCMulAdd(*c, f(*a), f(*b), f(*e)),
            Inst::Sqrt(a) => Inst::Sqrt(f(*a)),
            Inst::Rsqrt(a) => Inst::Rsqrt(f(*a)),
            Inst::Powi(a, n) => Inst::Powi(f(*a), *n),
            Inst::Powf(a, b) => Inst::Powf(f(*a), f(*b)),
            Inst::Unary(g, a) => Inst::Unary(*g, f(*a)),
            Inst::Call(g, xs) => Inst::Call(*g, xs.iter().map(|x| f(*x)).collect()),
        }
    }
}

/// A step of the register code.
#[derive(Clone, Debug)]
pub(super) enum Line {
    /// Computes `inst` into register `dst` (never one of its operands).
    Exec { dst: u32, inst: Inst<u32> },
    /// Hands register `reg` out as output `root`.
    Store { root: u32, reg: u32 },
    /// Computes `inst`, whose value is output `root` and nothing else, into
    /// the output itself where the sink allows, else through `dst`.
    ExecStore {
        dst: u32,
        root: u32,
        inst: Inst<u32>,
    },
}

/// Where a block's outputs go.
pub(super) trait Sink {
    /// Output `root`'s values for the block, to be written in place, if the
    /// outputs are laid out so.
    fn slice(&mut self, root: usize) -> Option<&mut [f64]>;
    /// Copies out output `root`.
    fn store(&mut self, root: usize, values: &[f64]);
}

/// Register code for a tape.
#[derive(Clone, Debug)]
pub(super) struct Program {
    lines: Vec<Line>,
    /// The constants, in registers `0..pinned.len()`.
    pinned: Vec<f64>,
    registers: usize,
    outputs: usize,
}

impl Program {
    pub(super) fn new(
        lines: Vec<Line>,
        pinned: Vec<f64>,
        registers: usize,
        outputs: usize,
    ) -> Self {
        Program {
            lines,
            pinned,
            registers,
            outputs,
        }
    }

    /// Number of outputs per point.
    pub(super) fn outputs(&self) -> usize {
        self.outputs
    }

    /// Number of registers (constants included).
    pub(super) fn registers(&self) -> usize {
        self.registers
    }

    /// Number of instructions.
    pub(super) fn len(&self) -> usize {
        self.lines.len()
    }

    /// The instructions.
    #[cfg(test)]
    pub(super) fn lines(&self) -> &[Line] {
        &self.lines
    }

    /// A worker's registers, with the constants in place.
    pub(super) fn registers_for_worker(&self) -> Vec<f64> {
        let mut regs = vec![0.0; self.registers.max(1) * WIDTH];
        for (r, c) in regs.chunks_mut(WIDTH).zip(&self.pinned) {
            r.fill(*c);
        }
        regs
    }

    /// Runs the code on the points `rows` (at most [`WIDTH`]) of the input
    /// columns, handing the outputs to `sink`: with AVX2 where the processor
    /// has it (four lanes instead of SSE2's two). Neither uses FMA, so both
    /// give the same bits as the scalar tape.
    pub(super) fn run(
        &self,
        regs: &mut [f64],
        columns: &[&[f64]],
        rows: Range<usize>,
        sink: &mut dyn Sink,
    ) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the processor has AVX2, checked just above
            #[allow(unsafe_code)]
            unsafe {
                self.run_avx2(regs, columns, rows, sink)
            };
            return;
        }
        self.run_lines(regs, columns, rows, sink);
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn run_avx2(
        &self,
        regs: &mut [f64],
        columns: &[&[f64]],
        rows: Range<usize>,
        sink: &mut dyn Sink,
    ) {
        self.run_lines(regs, columns, rows, sink);
    }

    #[inline(always)]
    fn run_lines(
        &self,
        regs: &mut [f64],
        columns: &[&[f64]],
        rows: Range<usize>,
        sink: &mut dyn Sink,
    ) {
        debug_assert!(rows.len() <= WIDTH);
        for line in &self.lines {
            match line {
                Line::Store { root, reg } => {
                    let r = Regs {
                        below: regs,
                        above: &[],
                        dst: usize::MAX,
                        columns,
                        rows: rows.clone(),
                    };
                    sink.store(*root as usize, r.get(*reg));
                }
                Line::Exec { dst, inst } => {
                    let (d, r) = split(regs, *dst as usize, columns, rows.clone());
                    exec(inst, d, &r);
                }
                Line::ExecStore { dst, root, inst } => {
                    let (d, r) = split(regs, *dst as usize, columns, rows.clone());
                    let root = *root as usize;
                    match sink.slice(root) {
                        Some(out) => exec(inst, out, &r),
                        None => {
                            exec(inst, d, &r);
                            sink.store(root, d);
                        }
                    }
                }
            }
        }
    }
}

/// The operands readable while register `dst` is written: the other
/// registers, and the block's rows of the input columns.
struct Regs<'a> {
    below: &'a [f64],
    above: &'a [f64],
    dst: usize,
    columns: &'a [&'a [f64]],
    rows: Range<usize>,
}

impl<'a> Regs<'a> {
    fn get(&self, r: u32) -> &'a [f64] {
        if r >= INPUT {
            return &self.columns[(r - INPUT) as usize][self.rows.clone()];
        }
        let r = r as usize;
        let s = if r < self.dst {
            &self.below[r * WIDTH..]
        } else {
            &self.above[(r - self.dst - 1) * WIDTH..]
        };
        &s[..self.rows.len()]
    }
}

fn split<'a>(
    regs: &'a mut [f64],
    dst: usize,
    columns: &'a [&'a [f64]],
    rows: Range<usize>,
) -> (&'a mut [f64], Regs<'a>) {
    let (below, rest) = regs.split_at_mut(dst * WIDTH);
    let (d, above) = rest.split_at_mut(WIDTH);
    let len = rows.len();
    let r = Regs {
        below,
        above,
        dst,
        columns,
        rows,
    };
    (&mut d[..len], r)
}

#[inline(always)]
fn exec(inst: &Inst<u32>, d: &mut [f64], r: &Regs) {
    match inst {
        Inst::Add(a, b) => map2(d, r.get(*a), r.get(*b), add),
        Inst::AddC(c, a) => map1(d, r.get(*a), |x| add(*c, x)),
        Inst::Mul(a, b) => map2(d, r.get(*a), r.get(*b), mul),
        Inst::MulC(c, a) => map1(d, r.get(*a), |x| mul(*c, x)),
        Inst::MulAddC(c, a, b) => map2(d, r.get(*a), r.get(*b), |x, y| add(mul(*c, x), y)),
        Inst::AffineC(k, c, a) => map1(d, r.get(*a), |x| add(*k, mul(*c, x))),
        Inst::MulCMul(c, a, b) => map2(d, r.get(*a), r.get(*b), |x, y| mul(mul(*c, x), y)),
        Inst::MulAdd(a, b, e) => map3(d, r.get(*a), r.get(*b), r.get(*e), |x, y, z| {
            add(mul(x, y), z)
        }),
        Inst::MulCMulAdd(c, a, b, e) => map3(d, r.get(*a), r.get(*b), r.get(*e), |x, y, z| {
            add(mul(mul(*c, x), y), z)
        }),
        Inst::Sqrt(a) => map1(d, r.get(*a), sqrt),
        Inst::Rsqrt(a) => rsqrt_block(d, r.get(*a)),
        Inst::Powi(a, n) => powi_block(d, r.get(*a), *n),
        Inst::Powf(a, b) => map2(d, r.get(*a), r.get(*b), powf),
        Inst::Unary(f, a) => unary_block(*f, d, r.get(*a)),
        Inst::Call(f, xs) => {
            let args: Vec<&[f64]> = xs.iter().map(|x| r.get(*x)).collect();
            let mut point = vec![0.0; xs.len()];
            for (i, y) in d.iter_mut().enumerate() {
                for (p, a) in point.iter_mut().zip(&args) {
                    *p = a[i];
                }
                *y = f.apply_f64(&point);
            }
        }
    }
}

#[inline(always)]
fn map1(d: &mut [f64], a: &[f64], f: impl Fn(f64) -> f64) {
    let a = &a[..d.len()];
    for (y, x) in d.iter_mut().zip(a) {
        *y = f(*x);
    }
}

#[inline(always)]
fn map2(d: &mut [f64], a: &[f64], b: &[f64], f: impl Fn(f64, f64) -> f64) {
    let n = d.len();
    let (a, b) = (&a[..n], &b[..n]);
    for i in 0..n {
        d[i] = f(a[i], b[i]);
    }
}

#[inline(always)]
fn map3(d: &mut [f64], a: &[f64], b: &[f64], c: &[f64], f: impl Fn(f64, f64, f64) -> f64) {
    let n = d.len();
    let (a, b, c) = (&a[..n], &b[..n], &c[..n]);
    for i in 0..n {
        d[i] = f(a[i], b[i], c[i]);
    }
}

/// [`rsqrt`] over a block: the branch-free Newton form in a loop that
/// vectorizes, then `pow` for the few arguments out of its range.
#[inline(always)]
fn rsqrt_block(d: &mut [f64], a: &[f64]) {
    map1(d, a, rsqrt_newton);
    for (d, &x) in d.iter_mut().zip(a) {
        if !rsqrt_in_range(x) {
            *d = rsqrt(x);
        }
    }
}

/// `a ^ n` through [`powi`]; a loop per small exponent, so that the
/// multiplications unroll and vectorize.
#[inline(always)]
fn powi_block(d: &mut [f64], a: &[f64], n: i32) {
    macro_rules! by_exponent {
        ($($k:literal)*) => {
            match n {
                $($k => map1(d, a, |x| powi(x, $k)),)*
                _ => map1(d, a, |x| powi(x, n)),
            }
        };
    }
    by_exponent!(-4 -3 -2 -1 0 1 2 3 4 5 6 8);
}

/// `f(a)` through [`Func::apply_f64`]; a loop per function, so that the
/// match on `f` leaves the loop and the cheap ones (`abs`, `sign`, ...)
/// vectorize; `exp`, `sin` and `cos` through their branch-free cores, which
/// `apply_f64` uses too.
#[inline(always)]
fn unary_block(f: Func, d: &mut [f64], a: &[f64]) {
    match f {
        Func::Exp => return el::exp_block(d, a),
        Func::Sin => return el::sin_block(d, a),
        Func::Cos => return el::cos_block(d, a),
        _ => {}
    }
    macro_rules! by_function {
        ($($v:ident)*) => {
            match f {
                $(Func::$v => map1(d, a, |x| Func::$v.apply_f64(&[x])),)*
                _ => map1(d, a, |x| f.apply_f64(&[x])),
            }
        };
    }
    by_function!(
        Tan Asin Acos Atan Sinh Cosh Tanh Asinh Acosh Atanh
        Ln Cbrt Abs Sign Step Sigmoid Relu Softplus Erf
        Floor Ceil Round Erfc Sinc
    );
}
