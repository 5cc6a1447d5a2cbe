//! Batch evaluation: a [`Tape`] compiled once for many points.
//!
//! The points are held column-wise (one slice per input variable, in
//! [`Tape::inputs`] order) and evaluated in blocks of a few hundred: each
//! instruction of the register code is one loop over the block, which the
//! compiler vectorizes where the operation allows, and registers are reused
//! as soon as their value is dead, so a block's working set stays in the L1
//! cache. The blocks are split over the cores ([`Workers`]).
//!
//! The results are the scalar tape's ([`Tape::eval`]) bit for bit: every
//! operation is the scalar tape's own function, in the same order. A value
//! outside the domain is NaN or ±inf; [`NonFinite`] counts, per
//! subexpression where that happened, the points it happened at.

mod compile;
mod fuse;
mod kernel;
mod run;
mod stream;
#[cfg(test)]
mod tests;

pub use run::{BatchError, NonFinite, Source, Workers};
pub use stream::{Columns, Rows, Stream};

use rustc_hash::FxHashMap;

use super::Tape;
use crate::expr::Sym;
use kernel::Program;

/// A tape compiled for evaluation at many points.
///
/// ```
/// use deriv::{eval::{Batch, Tape, Workers}, expr::Store};
/// let mut s = Store::new();
/// let x = s.var("x");
/// let f = s.powi(x, 2);
/// let batch = Batch::new(&Tape::new(&s, &[f]));
/// let xs = [1.0, 2.0, 3.0];
/// let mut out = vec![Vec::new()];
/// let report = batch.eval_columns(3, &[&xs], &mut out, &Workers::new(1)?)?;
/// assert_eq!(out[0], [1.0, 4.0, 9.0]);
/// assert!(report.is_empty());
/// # Ok::<(), deriv::eval::BatchError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Batch {
    tape: Tape,
    program: Program,
    columns: FxHashMap<Sym, usize>,
}

impl Batch {
    /// Compiles `tape`.
    pub fn new(tape: &Tape) -> Batch {
        let columns = tape
            .inputs()
            .iter()
            .enumerate()
            .map(|(i, s)| (*s, i))
            .collect();
        Batch {
            tape: tape.clone(),
            program: compile::compile(tape),
            columns,
        }
    }

    /// The input variables: one column each, in this order.
    pub fn inputs(&self) -> &[Sym] {
        self.tape.inputs()
    }

    /// Number of outputs per point (the tape's roots).
    pub fn outputs(&self) -> usize {
        self.program.outputs()
    }

    /// The tape this was compiled from.
    pub fn tape(&self) -> &Tape {
        &self.tape
    }

    /// Number of instructions of the register code (stores of outputs
    /// included), and number of registers (constants included).
    pub fn code_size(&self) -> (usize, usize) {
        (self.program.len(), self.program.registers())
    }

    /// Points per block.
    pub fn block_len() -> usize {
        kernel::WIDTH
    }
}

impl Tape {
    /// Compiles the tape for evaluation at many points ([`Batch::new`]).
    pub fn batch(&self) -> Batch {
        Batch::new(self)
    }
}
