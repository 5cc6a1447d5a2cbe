//! `--points FILE`: a result evaluated at every row of a CSV file (a
//! header naming the variables), through one compiled batch tape, streamed
//! out in order as CSV (header: the result's entries) or JSON Lines.
//!
//! Rows are read, evaluated and written a chunk at a time, so a long input
//! is never in memory at once and the first results appear before the
//! input ends. A malformed row is an error naming its line; the rows
//! before it have been written by then (it is a stream). Unless
//! `--threads 1`, a second thread reads and parses the next chunks while
//! the first evaluates and writes: `read_s` then overlaps the other phases
//! (W7 end to end: W1 116 -> 66 ms, W3 N=10 0.82 -> 0.49 s).

use std::io::{BufWriter, Read, Write};
use std::time::Instant;

use deriv::Warning;
use deriv::eval::{Batch, NonFinite, Tape, Workers};
use deriv::expr::{ExprId, Sym};

use super::args::Format;
use super::clock::{Ctx, Phase};
use super::error::CliError;
use super::input::Input;
use super::render::{number_json, number_text};

/// Most rows evaluated per chunk.
const CHUNK: usize = 1 << 14;

/// Rows per chunk for `inputs` values in and `outputs` out per row: a
/// power of two up to [`CHUNK`], at least 1,024, with the chunk's inputs
/// and outputs in about 1 MiB, so that they stay in the L2 cache between
/// the evaluation and the writing. W7's W3 (10 in, 10 out) evaluated in
/// 14 ms per million points by chunks of 4,096, 21 ms by 16,384.
fn chunk_rows(inputs: usize, outputs: usize) -> usize {
    const BUDGET: usize = 1 << 20;
    let per_row = 8 * (inputs + outputs).max(1);
    let rows = (BUDGET / per_row).clamp(1 << 10, CHUNK);
    // the largest power of two not above
    1 << rows.ilog2()
}

/// How a row's values are shaped in JSON: one number, a list, or rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// One number.
    Scalar,
    /// A list of numbers.
    Vector,
    /// `rows` lists of numbers.
    Matrix(usize),
}

/// What to evaluate: the expressions, their column names, their JSON shape.
pub struct Target<'a> {
    /// The result's entries, in output order.
    pub roots: &'a [ExprId],
    /// One CSV header name per entry.
    pub names: Vec<String>,
    /// The JSON shape of one row's values.
    pub shape: Shape,
    /// The functions whose derivatives the entries are, each as its
    /// partial parts ([`deriv::expr::Store::partial_parts`]) with the
    /// range of entries it guards: where a part has no finite value, the
    /// function is undefined and those entries are NaN.
    pub guards: Vec<(Vec<ExprId>, std::ops::Range<usize>)>,
}

/// With `--points -` and `--repeat` above 1, reads standard input once
/// so that every repetition reads the same rows.
pub fn cache_stdin(cli: &mut super::args::Cli) -> Result<(), CliError> {
    if cli.command.common().is_none_or(|c| c.repeat < 2) {
        return Ok(());
    }
    if let Some(b) = cli.command.batch_mut()
        && b.points.as_deref() == Some("-")
    {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| CliError::plain(format!("cannot read standard input: {e}")))?;
        b.stdin = Some(std::sync::Arc::new(bytes));
    }
    Ok(())
}

/// Evaluates `t` at every row of `file` and writes the results to stdout.
pub fn run(
    i: &mut Input,
    t: &Target<'_>,
    b: &super::args::Batch,
    ctx: &mut Ctx,
) -> Result<(), CliError> {
    let (file, threads) = (b.points.as_deref().unwrap_or("-"), b.threads);
    // the guards are evaluated after the entries, in the same tape
    let mut roots = t.roots.to_vec();
    for (parts, _) in &t.guards {
        roots.extend(parts.iter().copied());
    }
    let batch = ctx.clock.time(Phase::Compute, || {
        Batch::new(&Tape::new(i.s.store(), &roots))
    });
    let workers = Workers::new(threads).map_err(|e| CliError::plain(e.to_string()))?;
    let reader: Box<dyn Read + Send> = if let Some(bytes) = &b.stdin {
        Box::new(std::io::Cursor::new(bytes.as_slice().to_vec()))
    } else if file == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(
            std::fs::File::open(file)
                .map_err(|e| CliError::plain(format!("cannot read --points {file}: {e}")))?,
        )
    };
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(reader);
    let columns = header_columns(i, &mut csv, batch.inputs())?;
    let sink: Box<dyn Write> = if ctx.quiet {
        Box::new(std::io::sink())
    } else {
        Box::new(std::io::stdout().lock())
    };
    let mut out = BufWriter::with_capacity(1 << 16, sink);
    if i.format != Format::Json {
        write(&mut out, format!("{}\n", t.names.join(",")).as_bytes())?;
    }
    let rows_per_chunk = chunk_rows(batch.inputs().len(), batch.outputs());
    let mut stream = batch.stream(&workers, rows_per_chunk);
    let mut text = String::new();
    let mut guard = Guard::default();
    let mut scratch = Vec::new();
    let mut row = Vec::new();
    let width = columns.len();
    // the rows of one chunk through the stream: evaluated, formatted, written
    let mut emit = |chunk: &Chunk, ctx: &mut Ctx| -> Result<(), CliError> {
        for r in 0..chunk.rows {
            stream
                .push(&chunk.values[r * width..(r + 1) * width])
                .map_err(|e| CliError::plain(e.to_string()))?;
        }
        if stream.is_empty() {
            return Ok(());
        }
        let start = Instant::now();
        let outputs = stream.evaluate_columns();
        ctx.clock.add(Phase::Eval, start.elapsed());
        let start = Instant::now();
        text.clear();
        for r in 0..outputs.len() {
            outputs.row_into(r, &mut row);
            let values = guard.apply(&row, t, &mut scratch);
            row_text(&mut text, values, t, i.format);
        }
        write(&mut out, text.as_bytes())?;
        ctx.clock.add(Phase::Write, start.elapsed());
        Ok(())
    };
    if threads == 1 || std::thread::available_parallelism().map_or(1, |n| n.get()) < 2 {
        // one thread: read a chunk, then evaluate and write it
        loop {
            let chunk = read_chunk(&mut csv, &columns, rows_per_chunk)?;
            ctx.clock.add(Phase::Read, chunk.read);
            emit(&chunk, ctx)?;
            if chunk.last {
                break;
            }
        }
    } else {
        // a second thread reads and parses the next chunks while this one
        // evaluates and writes (two chunks ahead at most). It is not joined
        // on an error: it may be blocked reading a pipe that stays open,
        // and it ends with the process.
        let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Chunk, CliError>>(2);
        let cols = columns.clone();
        let mut csv = csv;
        let reader = std::thread::spawn(move || {
            loop {
                let chunk = read_chunk(&mut csv, &cols, rows_per_chunk);
                let stop = chunk.as_ref().map_or(true, |c| c.last);
                if tx.send(chunk).is_err() || stop {
                    break;
                }
            }
        });
        for chunk in rx {
            let chunk = chunk?;
            ctx.clock.add(Phase::Read, chunk.read);
            emit(&chunk, ctx)?;
            if chunk.last {
                break;
            }
        }
        reader
            .join()
            .map_err(|_| CliError::plain("internal error: the --points reader stopped"))?;
    }
    let start = Instant::now();
    out.flush().map_err(write_error)?;
    ctx.clock.add(Phase::Write, start.elapsed());
    ctx.warnings.extend(nonfinite_warnings(i, stream.report()));
    if let Some(first_row) = guard.first {
        ctx.warnings.push(Warning::NoDerivativeRows {
            rows: guard.rows,
            first_row,
        });
    }
    Ok(())
}

/// The rows where a guard (see [`Target::guards`]) had no finite value.
#[derive(Default)]
struct Guard {
    /// Rows seen so far.
    seen: usize,
    /// Rows where an entry became NaN.
    rows: usize,
    /// The first of them.
    first: Option<usize>,
}

impl Guard {
    /// The entries of one evaluated row (entries, then guards), with those
    /// of a function that has no finite value there made NaN.
    fn apply<'a>(
        &mut self,
        values: &'a [f64],
        t: &Target<'_>,
        scratch: &'a mut Vec<f64>,
    ) -> &'a [f64] {
        let n = t.roots.len();
        let row = self.seen;
        self.seen += 1;
        let (entries, guards) = values.split_at(n.min(values.len()));
        if guards.iter().all(|g| g.is_finite()) {
            return entries;
        }
        scratch.clear();
        scratch.extend_from_slice(entries);
        let mut changed = false;
        let mut at = 0;
        for (parts, range) in &t.guards {
            let finite = guards[at..at + parts.len()].iter().all(|g| g.is_finite());
            at += parts.len();
            if finite {
                continue;
            }
            for v in &mut scratch[range.clone()] {
                if v.is_finite() {
                    *v = f64::NAN;
                    changed = true;
                }
            }
        }
        if changed {
            self.rows += 1;
            self.first.get_or_insert(row);
        }
        scratch
    }
}

fn write(out: &mut impl Write, bytes: &[u8]) -> Result<(), CliError> {
    out.write_all(bytes).map_err(write_error)
}

fn write_error(e: std::io::Error) -> CliError {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        // the reader has gone: stop quietly, as for a single result
        std::process::exit(0);
    }
    CliError::plain(format!("cannot write the result: {e}"))
}

/// For each tape input, its column in the CSV header.
fn header_columns<R: Read>(
    i: &Input,
    csv: &mut csv::Reader<R>,
    inputs: &[Sym],
) -> Result<Vec<usize>, CliError> {
    let header = csv
        .byte_headers()
        .map_err(|e| CliError::plain(format!("--points: {e}")))?
        .clone();
    let names: Vec<String> = header
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_string())
        .collect();
    let mut cols = Vec::with_capacity(inputs.len());
    let mut missing = Vec::new();
    for v in inputs {
        let name = i.s.store().name(*v);
        match names.iter().position(|n| n == name) {
            Some(c) => cols.push(c),
            None => missing.push(format!("`{name}`")),
        }
    }
    if !missing.is_empty() {
        return Err(CliError::plain(format!(
            "--points: the header (line 1) has no column for {}",
            missing.join(", ")
        )));
    }
    Ok(cols)
}

/// Up to [`chunk_rows`] parsed rows, row-major, and the time their
/// reading took.
struct Chunk {
    values: Vec<f64>,
    rows: usize,
    read: std::time::Duration,
    /// The input ends with this chunk.
    last: bool,
}

/// Reads and parses the next chunk of rows, timed as a whole (a clock read
/// per row cost a third of the reading).
fn read_chunk<R: Read>(
    csv: &mut csv::Reader<R>,
    columns: &[usize],
    limit: usize,
) -> Result<Chunk, CliError> {
    let start = Instant::now();
    let mut record = csv::ByteRecord::new();
    let mut row = vec![0.0; columns.len()];
    let mut values = Vec::with_capacity(limit * columns.len());
    let mut rows = 0;
    while rows < limit {
        let more = csv
            .read_byte_record(&mut record)
            .map_err(|e| CliError::plain(format!("--points: {e}")))?;
        if !more {
            return Ok(Chunk {
                values,
                rows,
                read: start.elapsed(),
                last: true,
            });
        }
        let line = record.position().map_or(0, csv::Position::line);
        parse_row(&record, columns, &mut row, line)?;
        values.extend_from_slice(&row);
        rows += 1;
    }
    Ok(Chunk {
        values,
        rows,
        read: start.elapsed(),
        last: false,
    })
}

fn parse_row(
    record: &csv::ByteRecord,
    columns: &[usize],
    row: &mut [f64],
    line: u64,
) -> Result<(), CliError> {
    for (slot, &c) in row.iter_mut().zip(columns) {
        let field = record.get(c).unwrap_or(b"");
        let text = std::str::from_utf8(field).unwrap_or("");
        *slot = text.trim().parse::<f64>().map_err(|_| {
            CliError::plain(format!(
                "--points: line {line}, column {}: `{}` is not a number",
                c + 1,
                String::from_utf8_lossy(field)
            ))
        })?;
    }
    Ok(())
}

fn row_text(out: &mut String, values: &[f64], t: &Target<'_>, format: Format) {
    use std::fmt::Write as _;
    if format != Format::Json {
        let mut digits = ryu::Buffer::new();
        for (k, v) in values.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            // as number_text, written in place (no allocation per value):
            // Ryu's shortest digits are Display's, and in this range its
            // layout is Display's too but for the `.0` of a whole number
            if v.is_finite() && (*v == 0.0 || (1e-5..1e16).contains(&v.abs())) {
                out.push_str(plain(&mut digits, *v));
            } else {
                out.push_str(&number_text(*v));
            }
        }
        out.push('\n');
        return;
    }
    let value = match t.shape {
        Shape::Scalar => number_json(values.first().copied().unwrap_or(f64::NAN)),
        Shape::Vector => values.iter().map(|v| number_json(*v)).collect(),
        Shape::Matrix(rows) => {
            let cols = values.len() / rows.max(1);
            values
                .chunks(cols.max(1))
                .map(|r| {
                    r.iter()
                        .map(|v| number_json(*v))
                        .collect::<serde_json::Value>()
                })
                .collect()
        }
    };
    let _ = writeln!(out, "{}", serde_json::json!({ "value": value }));
}

/// `v` in `Display`'s layout, for a finite `v` that is zero or has a
/// magnitude in `[1e-5, 1e16)`: Ryu's shortest digits, without its `.0`
/// (three times faster than `Display`). The two differ only where two
/// shortest strings are equally near `v` (`...797.25` as `...797.2` or
/// `...797.3`); either reads back as `v`.
fn plain(digits: &mut ryu::Buffer, v: f64) -> &str {
    let s = digits.format_finite(v);
    s.strip_suffix(".0").unwrap_or(s)
}

/// One warning per subexpression that left the domain, with a count.
fn nonfinite_warnings(i: &Input, report: &NonFinite) -> Vec<Warning> {
    report
        .sources
        .iter()
        .map(|s| Warning::Rows {
            expr: i.s.expr(s.at),
            rows: s.rows,
            first_row: s.first_row,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::chunk_rows;

    /// A chunk's values in and out fit in 1 MiB, in a power of two of rows
    /// between 1,024 and 16,384: W3 N=10 has 20 values a row, 160 bytes,
    /// so 6,553 rows would fit and 4,096 are taken.
    #[test]
    fn chunks_fit_a_mebibyte() {
        assert_eq!(chunk_rows(10, 10), 4096);
        assert_eq!(chunk_rows(1, 1), 16384);
        assert_eq!(chunk_rows(0, 0), 16384);
        assert_eq!(chunk_rows(32, 32), 2048);
        assert_eq!(chunk_rows(100, 10_000), 1024);
    }

    /// Ryu's text reads back as the same float as `Display`'s, is as
    /// short, and is the same text but for ties between two equally near
    /// shortest strings, which are rare: random bit patterns, whole
    /// numbers, quarters, the ends of the range, signed zeros.
    #[test]
    fn plain_numbers_are_display() {
        let mut digits = ryu::Buffer::new();
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut values = vec![
            0.0,
            -0.0,
            1e-5,
            1e16f64.next_down(),
            1.0,
            -3.0,
            0.1,
            1e15,
            123456.0,
        ];
        while values.len() < 200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let v = f64::from_bits(state);
            let whole = (state >> 20) as f64;
            for v in [v, whole, -whole / 8.0] {
                if v.is_finite() && (v == 0.0 || (1e-5..1e16).contains(&v.abs())) {
                    values.push(v);
                }
            }
        }
        let mut ties = 0;
        for v in values {
            let (ours, std) = (super::plain(&mut digits, v).to_string(), format!("{v}"));
            if ours != std {
                ties += 1;
                assert_eq!(ours.len(), std.len(), "{v:e}");
                assert_eq!(ours.parse::<f64>(), Ok(v), "{v:e}");
            }
        }
        assert!(ties < 100, "{ties} differences");
    }
}
