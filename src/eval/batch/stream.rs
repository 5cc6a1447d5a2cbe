//! Streaming: points pushed row by row, evaluated a chunk at a time, the
//! outputs handed back in order, so that a long input never has to be in
//! memory at once.

use super::{Batch, BatchError, NonFinite, Workers};

/// Rows in, outputs out, a chunk at a time.
///
/// ```
/// use deriv::{eval::{Batch, Tape, Workers}, expr::Store};
/// let mut s = Store::new();
/// let x = s.var("x");
/// let y = s.var("y");
/// let f = s.mul(&[x, y]);
/// let batch = Batch::new(&Tape::new(&s, &[f]));
/// let workers = Workers::new(0)?;
/// let mut stream = batch.stream(&workers, 2);
/// let mut written = Vec::new();
/// for row in [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]] {
///     stream.push(&row)?;
///     if stream.is_full() {
///         written.extend(stream.evaluate().iter().map(|r| r[0]));
///     }
/// }
/// written.extend(stream.evaluate().iter().map(|r| r[0]));
/// assert_eq!(written, [2.0, 12.0, 30.0]);
/// assert!(stream.report().is_empty());
/// # Ok::<(), deriv::eval::BatchError>(())
/// ```
#[derive(Debug)]
pub struct Stream<'a> {
    batch: &'a Batch,
    workers: &'a Workers,
    columns: Vec<Vec<f64>>,
    buffered: usize,
    chunk: usize,
    out: Vec<f64>,
    done: usize,
    report: NonFinite,
}

impl Batch {
    /// A stream that evaluates `chunk` rows at a time (at least one; some
    /// tens of thousands keep every core busy and the memory small).
    pub fn stream<'a>(&'a self, workers: &'a Workers, chunk: usize) -> Stream<'a> {
        let chunk = chunk.max(1);
        Stream {
            batch: self,
            workers,
            columns: vec![Vec::with_capacity(chunk); self.inputs().len()],
            buffered: 0,
            chunk,
            out: Vec::new(),
            done: 0,
            report: NonFinite::default(),
        }
    }
}

impl Stream<'_> {
    /// Buffers a point: one value per input, in [`Batch::inputs`] order.
    ///
    /// # Errors
    /// [`BatchError::Row`] when the row has the wrong length.
    pub fn push(&mut self, row: &[f64]) -> Result<(), BatchError> {
        if row.len() != self.columns.len() {
            return Err(BatchError::Row {
                expected: self.columns.len(),
                found: row.len(),
            });
        }
        for (c, v) in self.columns.iter_mut().zip(row) {
            c.push(*v);
        }
        self.buffered += 1;
        Ok(())
    }

    /// Number of buffered points.
    pub fn len(&self) -> usize {
        self.buffered
    }

    /// No point is buffered.
    pub fn is_empty(&self) -> bool {
        self.buffered == 0
    }

    /// A chunk is buffered: time to [`Stream::evaluate`].
    pub fn is_full(&self) -> bool {
        self.buffered >= self.chunk
    }

    /// Evaluates the buffered points, empties the buffer, and returns their
    /// outputs in order. The report of non-finite values accumulates.
    pub fn evaluate(&mut self) -> Rows<'_> {
        let rows = self.buffered;
        let inputs: Vec<&[f64]> = self.columns.iter().map(Vec::as_slice).collect();
        let report = self
            .batch
            .rows_from(rows, &inputs, &mut self.out, self.workers, self.done);
        self.report.merge(report);
        self.done += rows;
        self.buffered = 0;
        for c in &mut self.columns {
            c.clear();
        }
        Rows {
            data: &self.out,
            width: self.batch.outputs(),
            len: rows,
        }
    }

    /// Number of points evaluated so far.
    pub fn evaluated(&self) -> usize {
        self.done
    }

    /// The non-finite outputs so far; rows are counted from 0 over the
    /// whole stream.
    pub fn report(&self) -> &NonFinite {
        &self.report
    }
}

/// The outputs of a chunk of points, point by point.
#[derive(Clone, Copy, Debug)]
pub struct Rows<'a> {
    data: &'a [f64],
    width: usize,
    len: usize,
}

impl<'a> Rows<'a> {
    /// Number of points.
    pub fn len(&self) -> usize {
        self.len
    }

    /// No point.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The outputs at point `i`.
    ///
    /// # Panics
    /// When `i` is not below [`Rows::len`].
    pub fn get(&self, i: usize) -> &'a [f64] {
        assert!(i < self.len, "row {i} of {}", self.len);
        &self.data[i * self.width..(i + 1) * self.width]
    }

    /// The points' outputs, in order.
    pub fn iter(&self) -> impl Iterator<Item = &'a [f64]> + '_ {
        (0..self.len).map(|i| self.get(i))
    }
}
