//! Lowering a [`Tape`] to register code for blocks of points: closed
//! subexpressions folded to constants (with the scalar tape's own
//! arithmetic), n-ary sums and products as chains of binary instructions in
//! the tape's order, dead values dropped, and registers reused as soon as
//! their value is dead, so that a block's working set stays small.

use rustc_hash::FxHashMap;

use super::fuse;
use super::kernel::{INPUT, Inst, Line, Program};
use crate::eval::tape::{self, Op, Tape};
use crate::expr::Sym;

/// An operand before register allocation: a constant, or the value of an
/// earlier instruction.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Val {
    Const(f64),
    /// An input column, read in place.
    Input(u32),
    Ssa(u32),
}

/// The two binary operations that sums and products are chained from.
#[derive(Clone, Copy)]
enum Bin {
    Add,
    Mul,
}

impl Bin {
    fn apply(self, a: f64, b: f64) -> f64 {
        match self {
            Bin::Add => tape::add(a, b),
            Bin::Mul => tape::mul(a, b),
        }
    }
}

/// Straight-line code over values, before register allocation.
#[derive(Default)]
struct Lowering {
    code: Vec<Inst<Val>>,
}

impl Lowering {
    fn emit(&mut self, inst: Inst<Val>) -> Val {
        self.code.push(inst);
        Val::Ssa(self.code.len() as u32 - 1)
    }

    /// `a ∘ b`, folded when both are constants; a constant operand goes into
    /// the instruction (`c + x` and `x + c` are the same float).
    fn bin(&mut self, op: Bin, a: Val, b: Val) -> Val {
        match (op, a, b) {
            (_, Val::Const(x), Val::Const(y)) => Val::Const(op.apply(x, y)),
            (Bin::Add, Val::Const(c), x) | (Bin::Add, x, Val::Const(c)) => {
                self.emit(Inst::AddC(c, x))
            }
            (Bin::Mul, Val::Const(c), x) | (Bin::Mul, x, Val::Const(c)) => {
                self.emit(Inst::MulC(c, x))
            }
            (Bin::Add, x, y) => self.emit(Inst::Add(x, y)),
            (Bin::Mul, x, y) => self.emit(Inst::Mul(x, y)),
        }
    }

    /// The left fold of the scalar tape, from the first operand.
    fn chain(&mut self, op: Bin, xs: &[Val], empty: f64) -> Val {
        match xs.split_first() {
            Some((first, rest)) => rest.iter().fold(*first, |acc, x| self.bin(op, acc, *x)),
            None => Val::Const(empty),
        }
    }

    /// One tape instruction; `vals` holds the values of the earlier slots.
    fn op(&mut self, op: &Op, vals: &[Val], column: &dyn Fn(Sym) -> u32) -> Val {
        let v = |i: &u32| vals[*i as usize];
        let many = |xs: &[u32]| xs.iter().map(v).collect::<Box<[Val]>>();
        match op {
            Op::Const(c) => Val::Const(*c),
            Op::Input(s) => Val::Input(column(*s)),
            Op::Add(xs) => self.chain(Bin::Add, &many(xs), -0.0),
            Op::Mul(xs) => self.chain(Bin::Mul, &many(xs), 1.0),
            Op::Powi(b, n) => self.emit(Inst::Powi(v(b), *n)),
            Op::Sqrt(b) => self.emit(Inst::Sqrt(v(b))),
            Op::Rsqrt(b) => self.emit(Inst::Rsqrt(v(b))),
            Op::Powf(b, e) => self.emit(Inst::Powf(v(b), v(e))),
            Op::Call(f, xs) if xs.len() == 1 => self.emit(Inst::Unary(*f, v(&xs[0]))),
            Op::Call(f, xs) => self.emit(Inst::Call(*f, many(xs))),
        }
    }
}

/// The value of every slot: a constant where the slot does not depend on an
/// input (computed by the scalar tape's [`tape::eval_op`]), else code.
fn lower(t: &Tape) -> (Lowering, Vec<Val>) {
    let mut low = Lowering::default();
    let mut vals: Vec<Val> = Vec::with_capacity(t.ops().len());
    let mut consts: Vec<f64> = Vec::with_capacity(t.ops().len());
    let mut args = Vec::new();
    let column = |s: Sym| t.inputs().iter().position(|i| *i == s).unwrap_or(0) as u32;
    for op in t.ops() {
        let closed = !matches!(op, Op::Input(_))
            && op
                .operands()
                .iter()
                .all(|i| matches!(vals[*i as usize], Val::Const(_)));
        let val = if closed {
            Val::Const(tape::eval_op(op, &consts, &|_| f64::NAN, &mut args))
        } else {
            low.op(op, &vals, &column)
        };
        consts.push(match val {
            Val::Const(c) => c,
            _ => f64::NAN,
        });
        vals.push(val);
    }
    let roots = t.root_slots().iter().map(|r| vals[*r as usize]).collect();
    (low, roots)
}

/// Compiles a tape to register code.
pub(super) fn compile(t: &Tape) -> Program {
    let (low, roots) = lower(t);
    let mut code = low.code;
    fuse::fuse(&mut code, &roots);
    let order = schedule(&code, &roots);
    let mut alloc = Alloc::default();
    // Constants first, so that they sit below every reusable register.
    let used = order.iter().flat_map(|i| code[*i].operands());
    for v in roots.iter().copied().chain(used) {
        if let Val::Const(c) = v {
            alloc.pinned(c);
        }
    }
    alloc.next = alloc.pinned.len() as u32;
    let mut stores: Vec<Vec<u32>> = vec![Vec::new(); code.len()];
    let mut lines = Vec::new();
    for (r, v) in roots.iter().enumerate() {
        match v {
            Val::Const(c) => lines.push(Line::Store {
                root: r as u32,
                reg: alloc.pinned(*c),
            }),
            Val::Input(c) => lines.push(Line::Store {
                root: r as u32,
                reg: INPUT | c,
            }),
            Val::Ssa(i) => stores[*i as usize].push(r as u32),
        }
    }
    let last_use = last_uses(&code, &order);
    let mut reg_of = vec![u32::MAX; code.len()];
    for (p, &i) in order.iter().enumerate() {
        let inst = code[i].map(|v| match v {
            Val::Const(c) => alloc.pinned(c),
            Val::Input(c) => INPUT | c,
            Val::Ssa(j) => reg_of[j as usize],
        });
        let dst = alloc.take();
        reg_of[i] = dst;
        match stores[i].as_slice() {
            [root] if last_use[i] == usize::MAX => lines.push(Line::ExecStore {
                dst,
                root: *root,
                inst,
            }),
            roots => {
                lines.push(Line::Exec { dst, inst });
                for root in roots {
                    lines.push(Line::Store {
                        root: *root,
                        reg: dst,
                    });
                }
            }
        }
        let mut dying: Vec<u32> = code[i]
            .operands()
            .into_iter()
            .filter_map(|v| match v {
                Val::Ssa(j) if last_use[j as usize] == p => Some(reg_of[j as usize]),
                _ => None,
            })
            .collect();
        if last_use[i] == usize::MAX {
            dying.push(dst);
        }
        dying.sort_unstable();
        dying.dedup();
        alloc.free.extend(dying.into_iter().rev());
    }
    Program::new(lines, alloc.pinned, alloc.next as usize, roots.len())
}

/// The instructions the roots need, operands before users, in depth-first
/// order from the roots: a value is computed close to where it is used,
/// so few are live at once (the tape's id order would load every input
/// first and keep it until its last use).
fn schedule(code: &[Inst<Val>], roots: &[Val]) -> Vec<usize> {
    let mut done = vec![false; code.len()];
    let mut order = Vec::new();
    let mut stack: Vec<(usize, Vec<Val>)> = Vec::new();
    for root in roots {
        let Val::Ssa(r) = root else { continue };
        let r = *r as usize;
        if done[r] {
            continue;
        }
        done[r] = true;
        stack.push((r, code[r].operands().into_iter().rev().collect()));
        while let Some((i, pending)) = stack.last_mut() {
            match pending.pop() {
                Some(Val::Ssa(j)) if !done[j as usize] => {
                    let j = j as usize;
                    done[j] = true;
                    stack.push((j, code[j].operands().into_iter().rev().collect()));
                }
                Some(_) => {}
                None => {
                    order.push(*i);
                    stack.pop();
                }
            }
        }
    }
    order
}

/// The position in `order` of the last instruction that reads each value
/// (`usize::MAX`: none).
fn last_uses(code: &[Inst<Val>], order: &[usize]) -> Vec<usize> {
    let mut last = vec![usize::MAX; code.len()];
    for (p, i) in order.iter().enumerate() {
        for v in code[*i].operands() {
            if let Val::Ssa(j) = v {
                last[j as usize] = p;
            }
        }
    }
    last
}

/// Registers: constants pinned first (filled once per worker), then the
/// reusable ones, most recently freed first (still warm in the cache).
#[derive(Default)]
struct Alloc {
    pinned: Vec<f64>,
    index: FxHashMap<u64, u32>,
    free: Vec<u32>,
    next: u32,
}

impl Alloc {
    fn pinned(&mut self, c: f64) -> u32 {
        let n = self.pinned.len() as u32;
        *self.index.entry(c.to_bits()).or_insert_with(|| {
            self.pinned.push(c);
            n
        })
    }

    fn take(&mut self) -> u32 {
        self.free.pop().unwrap_or_else(|| {
            self.next += 1;
            self.next - 1
        })
    }
}
