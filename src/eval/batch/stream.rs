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
    out_columns: Vec<Vec<f64>>,
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
            out_columns: vec![Vec::new(); self.outputs()],
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
        self.finish(rows, report);
        Rows {
            data: &self.out,
            width: self.batch.outputs(),
            len: rows,
        }
    }

    /// [`Stream::evaluate`], the outputs by column: one slice per output,
    /// a value per point. The evaluation writes them as it computes them;
    /// rows would cost a transpose, as much as a small tape's evaluation.
    ///
    /// ```
    /// use deriv::{eval::{Batch, Tape, Workers}, expr::Store};
    /// let mut s = Store::new();
    /// let x = s.var("x");
    /// let y = s.var("y");
    /// let sum = s.add(&[x, y]);
    /// let product = s.mul(&[x, y]);
    /// let batch = Batch::new(&Tape::new(&s, &[sum, product]));
    /// let workers = Workers::new(1)?;
    /// let mut stream = batch.stream(&workers, 8);
    /// stream.push(&[1.0, 2.0])?;
    /// stream.push(&[3.0, 4.0])?;
    /// let out = stream.evaluate_columns();
    /// assert_eq!((out.len(), out.width()), (2, 2));
    /// assert_eq!(out.column(0), [3.0, 7.0]);
    /// assert_eq!(out.column(1), [2.0, 12.0]);
    /// assert_eq!(out.get(1, 1), 12.0);
    /// # Ok::<(), deriv::eval::BatchError>(())
    /// ```
    pub fn evaluate_columns(&mut self) -> Columns<'_> {
        let rows = self.buffered;
        let inputs: Vec<&[f64]> = self.columns.iter().map(Vec::as_slice).collect();
        let report = self.batch.columns_from(
            rows,
            &inputs,
            &mut self.out_columns,
            self.workers,
            self.done,
        );
        self.finish(rows, report);
        Columns {
            data: &self.out_columns,
            len: rows,
        }
    }

    /// After a chunk of `rows` points: the report merged, the buffer
    /// emptied.
    fn finish(&mut self, rows: usize, report: NonFinite) {
        self.report.merge(report);
        self.done += rows;
        self.buffered = 0;
        for c in &mut self.columns {
            c.clear();
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

/// The outputs of a chunk of points, output by output
/// ([`Stream::evaluate_columns`]).
#[derive(Clone, Copy, Debug)]
pub struct Columns<'a> {
    data: &'a [Vec<f64>],
    len: usize,
}

impl<'a> Columns<'a> {
    /// Number of points.
    pub fn len(&self) -> usize {
        self.len
    }

    /// No point.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Number of outputs.
    pub fn width(&self) -> usize {
        self.data.len()
    }

    /// Output `j` at every point, in order.
    ///
    /// # Panics
    /// When `j` is not below [`Columns::width`].
    pub fn column(&self, j: usize) -> &'a [f64] {
        &self.data[j][..self.len]
    }

    /// Output `j` at point `i`.
    ///
    /// # Panics
    /// When `i` or `j` is out of range.
    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.column(j)[i]
    }

    /// The outputs at point `i`, in order, into `row` (cleared first).
    ///
    /// # Panics
    /// When `i` is not below [`Columns::len`].
    pub fn row_into(&self, i: usize, row: &mut Vec<f64>) {
        assert!(i < self.len, "row {i} of {}", self.len);
        row.clear();
        row.extend(self.data.iter().map(|c| c[i]));
    }
}
