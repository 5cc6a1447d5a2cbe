//! Running the register code over many points: blocks split over the
//! cores, outputs by column or by row, and the report of values outside
//! the domain.

use std::ops::Range;

use rayon::prelude::*;

use super::Batch;
use super::kernel::{Sink, WIDTH};
use crate::expr::ExprId;

/// Errors of batch evaluation: the shape of the data, or the threads.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum BatchError {
    /// Not one input column per tape input.
    #[error("expected {expected} input columns, got {found}")]
    Columns {
        /// The tape's inputs.
        expected: usize,
        /// The columns given.
        found: usize,
    },
    /// An input column shorter or longer than the number of points.
    #[error("input column {column} has {found} values for {expected} points")]
    ColumnLength {
        /// The column, counted from 0.
        column: usize,
        /// The number of points.
        expected: usize,
        /// The column's length.
        found: usize,
    },
    /// Not one output column per tape root.
    #[error("expected {expected} output columns, got {found}")]
    Outputs {
        /// The tape's roots.
        expected: usize,
        /// The columns given.
        found: usize,
    },
    /// A streamed row with the wrong number of values.
    #[error("expected {expected} values in a row, got {found}")]
    Row {
        /// The tape's inputs.
        expected: usize,
        /// The values given.
        found: usize,
    },
    /// The thread pool could not start.
    #[error("cannot start {threads} worker threads: {reason}")]
    Threads {
        /// The threads asked for.
        threads: usize,
        /// Why not.
        reason: String,
    },
}

/// Points times instructions below which a batch runs on the calling
/// thread: about a millisecond of work. Waking a sleeping pool costs tens
/// of microseconds, and more on a busy machine; a stream of small chunks
/// (`deriv --points`, 16,384 rows at a time) of a small tape ran slower on
/// two threads than on one (W7: 16.8 against 13.8 ms per million points),
/// while a million points at once run 1.6 times as fast on two.
const PARALLEL_WORK: usize = 1 << 21;

/// Where the blocks run: on the calling thread, on rayon's global pool
/// (all cores), or on a pool of its own. Make one and reuse it: starting a
/// pool costs more than evaluating a small batch.
#[derive(Debug)]
pub struct Workers {
    mode: Mode,
}

#[derive(Debug)]
enum Mode {
    Inline,
    Global,
    Pool(rayon::ThreadPool),
}

impl Workers {
    /// `threads` workers: 0 for all cores (rayon's global pool), 1 for the
    /// calling thread alone, more for a pool of that many threads.
    ///
    /// # Errors
    /// [`BatchError::Threads`] when the pool cannot start.
    pub fn new(threads: usize) -> Result<Workers, BatchError> {
        let mode = match threads {
            0 => Mode::Global,
            1 => Mode::Inline,
            n => rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map(Mode::Pool)
                .map_err(|e| BatchError::Threads {
                    threads: n,
                    reason: e.to_string(),
                })?,
        };
        Ok(Workers { mode })
    }

    /// Number of threads the blocks are split over.
    pub fn threads(&self) -> usize {
        match &self.mode {
            Mode::Inline => 1,
            Mode::Global => rayon::current_num_threads(),
            Mode::Pool(p) => p.current_num_threads(),
        }
    }

    /// Runs `task(first, items)` over runs of consecutive items, on the
    /// workers, and merges the reports. `work` estimates the cost (points
    /// times instructions): below [`PARALLEL_WORK`] the items run on the
    /// calling thread, as waking the pool would cost more than it saves.
    fn run<T: Send>(
        &self,
        items: &mut [T],
        work: usize,
        task: impl Fn(usize, &mut [T]) -> NonFinite + Sync,
    ) -> NonFinite {
        let threads = self.threads();
        if threads == 1 || items.len() <= 1 || work < PARALLEL_WORK {
            return task(0, items);
        }
        // Several runs per thread, so that a thread slowed by other work
        // does not hold the others up; one register file per run.
        let per = items.len().div_ceil(threads * 8).max(1);
        let mut go = || {
            items
                .par_chunks_mut(per)
                .enumerate()
                .map(|(i, run)| task(i * per, run))
                .reduce(NonFinite::default, NonFinite::merged)
        };
        match &self.mode {
            Mode::Pool(p) => p.install(go),
            _ => go(),
        }
    }
}

/// Where the values outside the domain came from: per subexpression whose
/// value is NaN or infinite although its operands are finite
/// ([`crate::eval::Tape::nonfinite_sources`]), the points where that
/// happened. Only points with a non-finite output are examined.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NonFinite {
    /// Number of points with at least one non-finite output.
    pub rows: usize,
    /// One entry per subexpression, in evaluation (id) order.
    pub sources: Vec<Source>,
}

/// A subexpression where values left the domain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Source {
    /// The subexpression.
    pub at: ExprId,
    /// At how many points.
    pub rows: usize,
    /// The first of them, counted from 0.
    pub first_row: usize,
}

impl NonFinite {
    /// No output was non-finite.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Adds the counts of `other`.
    pub fn merge(&mut self, other: NonFinite) {
        if other.is_empty() {
            return;
        }
        self.rows += other.rows;
        self.sources.extend(other.sources);
        self.sources.sort_by_key(|s| (s.at, s.first_row));
        self.sources.dedup_by(|later, kept| {
            let same = later.at == kept.at;
            if same {
                kept.rows += later.rows;
            }
            same
        });
    }

    fn merged(mut self, other: NonFinite) -> NonFinite {
        self.merge(other);
        self
    }
}

/// `n` columns of `len` values, [`WIDTH`] apart in `cols`, written row
/// after row into `rows`; eight rows at a time, so that the columns' cache
/// lines are read whole.
fn transpose(cols: &[f64], n: usize, len: usize, rows: &mut [f64]) {
    const TILE: usize = 8;
    for start in (0..len).step_by(TILE) {
        let end = (start + TILE).min(len);
        for r in 0..n {
            let col = &cols[r * WIDTH + start..r * WIDTH + end];
            for (i, v) in col.iter().enumerate() {
                rows[(start + i) * n + r] = *v;
            }
        }
    }
}

/// The outputs of one block.
enum BlockOut<'a> {
    /// One slice per output.
    Columns(Vec<&'a mut [f64]>),
    /// Row-major, this many values per point.
    Rows(&'a mut [f64], usize),
}

impl Sink for BlockOut<'_> {
    fn slice(&mut self, root: usize) -> Option<&mut [f64]> {
        match self {
            BlockOut::Columns(cols) => Some(&mut *cols[root]),
            BlockOut::Rows(..) => None,
        }
    }

    fn store(&mut self, root: usize, values: &[f64]) {
        match self {
            BlockOut::Columns(cols) => cols[root].copy_from_slice(values),
            BlockOut::Rows(out, width) => {
                for (y, v) in out[root..].iter_mut().step_by(*width).zip(values) {
                    *y = *v;
                }
            }
        }
    }
}

impl BlockOut<'_> {
    /// Some output is NaN or infinite.
    fn any_nonfinite(&self) -> bool {
        let bad = |xs: &[f64]| xs.iter().fold(false, |acc, v| acc | !v.is_finite());
        match self {
            BlockOut::Columns(cols) => cols.iter().any(|c| bad(c)),
            BlockOut::Rows(out, _) => bad(out),
        }
    }

    /// Some output at point `i` of the block is NaN or infinite.
    fn nonfinite_at(&self, i: usize) -> bool {
        match self {
            BlockOut::Columns(cols) => cols.iter().any(|c| !c[i].is_finite()),
            BlockOut::Rows(out, width) => out[i * width..(i + 1) * width]
                .iter()
                .any(|v| !v.is_finite()),
        }
    }
}

impl Batch {
    /// Evaluates the outputs at `rows` points: `inputs` holds one column
    /// per input ([`Batch::inputs`] order), `out` gets one column per
    /// output, `rows` long.
    ///
    /// # Errors
    /// [`BatchError`] when the number or length of the columns is wrong.
    pub fn eval_columns(
        &self,
        rows: usize,
        inputs: &[&[f64]],
        out: &mut [Vec<f64>],
        workers: &Workers,
    ) -> Result<NonFinite, BatchError> {
        self.check(rows, inputs)?;
        if out.len() != self.outputs() {
            return Err(BatchError::Outputs {
                expected: self.outputs(),
                found: out.len(),
            });
        }
        Ok(self.columns_from(rows, inputs, out, workers, 0))
    }

    /// [`Batch::eval_columns`] without the checks (`out` has one column
    /// per output), the points counted from `first_row` in the report.
    pub(super) fn columns_from(
        &self,
        rows: usize,
        inputs: &[&[f64]],
        out: &mut [Vec<f64>],
        workers: &Workers,
        first_row: usize,
    ) -> NonFinite {
        let mut blocks: Vec<BlockOut> = (0..rows.div_ceil(WIDTH))
            .map(|_| BlockOut::Columns(Vec::with_capacity(out.len())))
            .collect();
        for col in out.iter_mut() {
            // Every value is overwritten: resizing a reused buffer to the
            // same length writes nothing.
            col.resize(rows, 0.0);
            for (b, chunk) in blocks.iter_mut().zip(col.chunks_mut(WIDTH)) {
                if let BlockOut::Columns(v) = b {
                    v.push(chunk);
                }
            }
        }
        self.drive(rows, inputs, blocks, workers, first_row)
    }

    /// Evaluates the outputs at `rows` points into `out`, row-major:
    /// [`Batch::outputs`] values per point, point after point.
    ///
    /// # Errors
    /// [`BatchError`] when the number or length of the columns is wrong.
    pub fn eval_rows(
        &self,
        rows: usize,
        inputs: &[&[f64]],
        out: &mut Vec<f64>,
        workers: &Workers,
    ) -> Result<NonFinite, BatchError> {
        self.check(rows, inputs)?;
        Ok(self.rows_from(rows, inputs, out, workers, 0))
    }

    /// [`Batch::eval_rows`] without the checks, the points counted from
    /// `first_row` in the report.
    pub(super) fn rows_from(
        &self,
        rows: usize,
        inputs: &[&[f64]],
        out: &mut Vec<f64>,
        workers: &Workers,
        first_row: usize,
    ) -> NonFinite {
        let n = self.outputs();
        out.resize(rows * n, 0.0);
        let blocks: Vec<BlockOut> = if n == 0 {
            (0..rows.div_ceil(WIDTH))
                .map(|_| BlockOut::Rows(&mut [], 0))
                .collect()
        } else {
            out.chunks_mut(WIDTH * n)
                .map(|chunk| BlockOut::Rows(chunk, n))
                .collect()
        };
        self.drive(rows, inputs, blocks, workers, first_row)
    }

    fn check(&self, rows: usize, inputs: &[&[f64]]) -> Result<(), BatchError> {
        if inputs.len() != self.inputs().len() {
            return Err(BatchError::Columns {
                expected: self.inputs().len(),
                found: inputs.len(),
            });
        }
        match inputs.iter().position(|c| c.len() != rows) {
            Some(column) => Err(BatchError::ColumnLength {
                column,
                expected: rows,
                found: inputs[column].len(),
            }),
            None => Ok(()),
        }
    }

    fn drive(
        &self,
        rows: usize,
        inputs: &[&[f64]],
        mut blocks: Vec<BlockOut>,
        workers: &Workers,
        first_row: usize,
    ) -> NonFinite {
        let task = |first: usize, run: &mut [BlockOut]| {
            let mut regs = self.program.registers_for_worker();
            // row-major outputs are computed as columns, then transposed
            // a block at a time: a store with a stride of one row per value
            // cost about as much as W3's whole computation
            let mut scratch = match run.first() {
                Some(BlockOut::Rows(_, n)) if *n > 1 => vec![0.0; n * WIDTH],
                _ => Vec::new(),
            };
            let mut report = NonFinite::default();
            for (b, out) in (first..).zip(run.iter_mut()) {
                let range = b * WIDTH..((b + 1) * WIDTH).min(rows);
                report.merge(self.block(&mut regs, &mut scratch, inputs, range, out, first_row));
            }
            report
        };
        workers.run(&mut blocks, rows.saturating_mul(self.program.len()), task)
    }

    fn block(
        &self,
        regs: &mut [f64],
        scratch: &mut [f64],
        inputs: &[&[f64]],
        rows: Range<usize>,
        out: &mut BlockOut,
        first_row: usize,
    ) -> NonFinite {
        match out {
            BlockOut::Rows(dst, n) if *n > 1 && scratch.len() >= *n * WIDTH => {
                let (n, len) = (*n, rows.len());
                let mut cols = BlockOut::Columns(
                    scratch
                        .chunks_mut(WIDTH)
                        .take(n)
                        .map(|c| &mut c[..len])
                        .collect(),
                );
                self.program.run(regs, inputs, rows.clone(), &mut cols);
                transpose(scratch, n, len, dst);
            }
            _ => self.program.run(regs, inputs, rows.clone(), out),
        }
        if !out.any_nonfinite() {
            return NonFinite::default();
        }
        let mut report = NonFinite::default();
        for (i, row) in rows.enumerate() {
            if !out.nonfinite_at(i) {
                continue;
            }
            let value = |s| inputs[self.columns[&s]][row];
            let slots = self.tape.eval_slots(&value);
            let sources = self.tape.nonfinite_sources(&slots);
            report.merge(NonFinite {
                rows: 1,
                sources: sources
                    .into_iter()
                    .map(|at| Source {
                        at,
                        rows: 1,
                        first_row: first_row + row,
                    })
                    .collect(),
            });
        }
        report
    }
}
