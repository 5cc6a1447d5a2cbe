//! Fusing an instruction into its only user, so that a block makes one
//! pass instead of two and the intermediate never goes through memory:
//! `a + c·b`, `k + c·b`, `(c·a)·b`, `a·b + e` and `(c·a)·b + e`. Each fused instruction
//! rounds after every operation, in the order of the two it replaces, so
//! the results stay the scalar tape's bit for bit (no fused multiply-add).

use super::compile::Val;
use super::kernel::Inst;

/// Rewrites `code` in place; an instruction fused into its user is left
/// unused, and scheduling drops it.
pub(super) fn fuse(code: &mut [Inst<Val>], roots: &[Val]) {
    let mut uses = vec![0u32; code.len()];
    let operands = code.iter().flat_map(Inst::operands);
    for v in operands.chain(roots.iter().copied()) {
        if let Val::Ssa(j) = v {
            uses[j as usize] += 1;
        }
    }
    for i in 0..code.len() {
        let only = |v: Val| match v {
            Val::Ssa(j) if uses[j as usize] == 1 => Some(&code[j as usize]),
            _ => None,
        };
        let fused = match &code[i] {
            Inst::Add(a, b) => {
                sum_of_product(only(*b), *a).or_else(|| sum_of_product(only(*a), *b))
            }
            Inst::AddC(k, a) => match only(*a) {
                Some(Inst::MulC(c, x)) => Some(Inst::AffineC(*k, *c, *x)),
                _ => None,
            },
            Inst::Mul(a, b) => {
                scaled_product(only(*a), *b).or_else(|| scaled_product(only(*b), *a))
            }
            _ => None,
        };
        if let Some(f) = fused {
            code[i] = f;
        }
    }
}

/// `term + a` where `term` is a product.
fn sum_of_product(term: Option<&Inst<Val>>, a: Val) -> Option<Inst<Val>> {
    match term? {
        Inst::MulC(c, x) => Some(Inst::MulAddC(*c, *x, a)),
        Inst::Mul(x, y) => Some(Inst::MulAdd(*x, *y, a)),
        Inst::MulCMul(c, x, y) => Some(Inst::MulCMulAdd(*c, *x, *y, a)),
        _ => None,
    }
}

/// `factor · b` where `factor` is a constant times a value.
fn scaled_product(factor: Option<&Inst<Val>>, b: Val) -> Option<Inst<Val>> {
    match factor? {
        Inst::MulC(c, x) => Some(Inst::MulCMul(*c, *x, b)),
        _ => None,
    }
}
