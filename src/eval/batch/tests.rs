//! The batch evaluator against the scalar tape, bit for bit, on random
//! expressions and points (non-finite ones included), at block-boundary
//! sizes and on one and two threads.

use super::kernel::WIDTH;
use super::*;
use crate::expr::{Constant, ExprId, Func, Store};

/// SplitMix64: a small deterministic generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Mostly ordinary values, sometimes zero, huge, tiny or non-finite.
    fn value(&mut self) -> f64 {
        match self.below(20) {
            0 => 0.0,
            1 => -0.0,
            2 => f64::NAN,
            3 => f64::INFINITY,
            4 => f64::NEG_INFINITY,
            5 => 1e300 * (self.unit() - 0.5),
            6 => 1e-300 * (self.unit() - 0.5),
            7 => (self.below(7) as f64) - 3.0,
            _ => 8.0 * (self.unit() - 0.5),
        }
    }
}

/// A random graph over `x, y, z` with shared subexpressions: each new node
/// combines earlier ones.
fn random_roots(s: &mut Store, rng: &mut Rng, size: usize) -> Vec<ExprId> {
    let mut pool = vec![s.var("x"), s.var("y"), s.var("z"), s.int(2), s.frac(-3, 7)];
    pool.push(s.constant(Constant::Pi));
    pool.push(s.float(0.1));
    for _ in 0..size {
        let a = pool[rng.below(pool.len())];
        let b = pool[rng.below(pool.len())];
        let c = pool[rng.below(pool.len())];
        let e = match rng.below(12) {
            0 | 1 => s.add(&[a, b, c]),
            2 | 3 => s.mul(&[a, b]),
            4 => s.sub(a, b),
            5 => s.div(a, b),
            6 => s.powi(a, rng.below(13) as i64 - 4),
            7 => s.sqrt(a),
            8 => {
                let e = if rng.below(2) == 0 {
                    s.frac(1, 3)
                } else {
                    s.frac(-1, 2)
                };
                let p = s.pow(a, e);
                s.add(&[p, b])
            }
            9 => s.pow(a, b),
            10 => {
                let f = [Func::Atan2, Func::Min, Func::Max][rng.below(3)];
                let args: &[ExprId] = if f == Func::Atan2 {
                    &[a, b]
                } else {
                    &[a, b, c]
                };
                s.call(f, args)
            }
            _ => {
                let unary: Vec<Func> = Func::ALL
                    .iter()
                    .copied()
                    .filter(|f| f.arity() == Some(1))
                    .collect();
                s.call1(unary[rng.below(unary.len())], a)
            }
        };
        pool.push(e);
    }
    let n = 1 + rng.below(4);
    (0..n)
        .map(|_| pool[pool.len() - 1 - rng.below(pool.len().min(8))])
        .collect()
}

/// The same float, or both NaN (a NaN's payload is not part of the contract).
fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

/// Random points, one column per input of the tape.
fn columns(rng: &mut Rng, inputs: usize, rows: usize) -> Vec<Vec<f64>> {
    (0..inputs)
        .map(|_| (0..rows).map(|_| rng.value()).collect())
        .collect()
}

/// The scalar tape's outputs at every point, and its report.
fn scalar(tape: &Tape, cols: &[Vec<f64>], rows: usize) -> (Vec<Vec<f64>>, NonFinite) {
    let mut report = NonFinite::default();
    let mut out = Vec::new();
    for row in 0..rows {
        let point: Vec<f64> = cols.iter().map(|c| c[row]).collect();
        let value = |s| point[tape.inputs().iter().position(|i| *i == s).unwrap()];
        let slots = tape.eval_slots(&value);
        let roots = tape.roots_of(&slots);
        if roots.iter().any(|v| !v.is_finite()) {
            let sources = tape.nonfinite_sources(&slots);
            let sources = sources.into_iter().map(|at| Source {
                at,
                rows: 1,
                first_row: row,
            });
            report.merge(NonFinite {
                rows: 1,
                sources: sources.collect(),
            });
        }
        out.push(roots);
    }
    (out, report)
}

fn check_case(seed: u64, rows: usize, workers: &Workers) {
    let mut rng = Rng(seed);
    let mut s = Store::new();
    let size = 6 + rng.below(20);
    let roots = random_roots(&mut s, &mut rng, size);
    let tape = Tape::new(&s, &roots);
    let batch = Batch::new(&tape);
    let cols = columns(&mut rng, tape.inputs().len(), rows);
    let inputs: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
    let (want, want_report) = scalar(&tape, &cols, rows);
    let mut by_col = vec![Vec::new(); roots.len()];
    let report = batch
        .eval_columns(rows, &inputs, &mut by_col, workers)
        .unwrap();
    let mut by_row = Vec::new();
    let report_rows = batch
        .eval_rows(rows, &inputs, &mut by_row, workers)
        .unwrap();
    for (i, w) in want.iter().enumerate() {
        for (r, v) in w.iter().enumerate() {
            let (c, b) = (by_col[r][i], by_row[i * roots.len() + r]);
            let msg = format!(
                "seed {seed}, row {i}, root {}",
                crate::print::sexpr::sexpr(&s, roots[r])
            );
            assert!(same(*v, c), "{msg}: scalar {v:e}, columns {c:e}");
            assert!(same(*v, b), "{msg}: scalar {v:e}, rows {b:e}");
        }
    }
    assert_eq!(report, want_report, "seed {seed}");
    assert_eq!(report_rows, want_report, "seed {seed}");
}

#[test]
fn equals_the_scalar_tape_at_block_boundaries() {
    let sizes = [0, 1, WIDTH - 1, WIDTH, WIDTH + 1, 5 * WIDTH + 3];
    for threads in [1, 2] {
        let workers = Workers::new(threads).unwrap();
        for seed in 0..40 {
            check_case(seed, sizes[seed as usize % sizes.len()], &workers);
        }
    }
}

#[test]
fn equals_the_scalar_tape_on_many_expressions() {
    let workers = Workers::new(1).unwrap();
    for seed in 1000..1400 {
        check_case(seed, 37, &workers);
    }
}

#[test]
fn random_graphs_reach_every_instruction() {
    use super::kernel::{Inst, Line};
    let mut seen = std::collections::BTreeSet::new();
    for seed in 1000..1400 {
        let mut rng = Rng(seed);
        let mut s = Store::new();
        let size = 6 + rng.below(20);
        let roots = random_roots(&mut s, &mut rng, size);
        let batch = Batch::new(&Tape::new(&s, &roots));
        for line in batch.program.lines() {
            if let Line::Exec { inst, .. } | Line::ExecStore { inst, .. } = line {
                seen.insert(match inst {
                    Inst::Add(..) => "add",
                    Inst::AddC(..) => "addc",
                    Inst::Mul(..) => "mul",
                    Inst::MulC(..) => "mulc",
                    Inst::MulAddC(..) => "muladdc",
                    Inst::AffineC(..) => "affinec",
                    Inst::MulCMul(..) => "mulcmul",
                    Inst::MulAdd(..) => "muladd",
                    Inst::MulCMulAdd(..) => "mulcmuladd",
                    Inst::Sqrt(_) => "sqrt",
                    Inst::Rsqrt(_) => "rsqrt",
                    Inst::Powi(..) => "powi",
                    Inst::Powf(..) => "powf",
                    Inst::Unary(..) => "unary",
                    Inst::Call(..) => "call",
                });
            }
        }
    }
    assert_eq!(seen.len(), 15, "{seen:?}");
}

#[test]
fn powi_is_the_sequence_of_f64_powi() {
    let mut rng = Rng(7);
    for n in -40..=40 {
        for _ in 0..200 {
            let x = rng.value();
            assert!(same(crate::eval::tape::powi(x, n), x.powi(n)), "{x:e}^{n}");
        }
    }
}

/// `sqrt(x - 1) + log(y)`: by hand, NaN where x < 1 (from the sqrt) and
/// where y < 0 (from the log), -inf where y = 0 (from the log).
#[test]
fn counts_the_points_outside_the_domain_per_subexpression() {
    let mut s = Store::new();
    let (x, y) = (s.var("x"), s.var("y"));
    let one = s.int(-1);
    let xm1 = s.add(&[x, one]);
    let root = s.sqrt(xm1);
    let log = s.call1(Func::Ln, y);
    let f = s.add(&[root, log]);
    let batch = Batch::new(&Tape::new(&s, &[f]));
    let xs = [2.0, 0.0, 0.5, 3.0, 5.0, 0.0];
    let ys = [1.0, 1.0, -1.0, 0.0, 2.0, 0.0];
    let mut out = vec![Vec::new()];
    let workers = Workers::new(2).unwrap();
    let report = batch
        .eval_columns(6, &[&xs, &ys], &mut out, &workers)
        .unwrap();
    // sqrt: rows 1, 2, 5; log: rows 2, 3, 5; some output: rows 1, 2, 3, 5.
    let want = vec![
        Source {
            at: root,
            rows: 3,
            first_row: 1,
        },
        Source {
            at: log,
            rows: 3,
            first_row: 2,
        },
    ];
    let want = if root < log {
        want
    } else {
        vec![want[1], want[0]]
    };
    assert_eq!(
        report,
        NonFinite {
            rows: 4,
            sources: want
        }
    );
    assert_eq!(out[0][0], 1.0);
    assert_eq!(out[0][3], f64::NEG_INFINITY);
    assert_eq!(out[0][4], 2.0 + 2f64.ln());
}

/// A stream of `rows` random points, `chunk` at a time, read back by row
/// or by column: the scalar tape's values in order, and its report with
/// the rows counted over the whole stream (at least `bad_rows` rows with
/// values outside the domain).
fn check_stream(seed: u64, rows: usize, chunk: usize, by_column: bool, bad_rows: usize) {
    let mut rng = Rng(seed);
    let mut s = Store::new();
    let roots = random_roots(&mut s, &mut rng, 30);
    let tape = Tape::new(&s, &roots);
    let batch = Batch::new(&tape);
    let cols = columns(&mut rng, tape.inputs().len(), rows);
    let (want, want_report) = scalar(&tape, &cols, rows);
    assert!(want_report.rows >= bad_rows, "{want_report:?}");
    let workers = Workers::new(2).unwrap();
    let mut stream = batch.stream(&workers, chunk);
    let mut got: Vec<Vec<f64>> = Vec::new();
    let mut row = Vec::new();
    let mut take = |stream: &mut super::Stream<'_>, got: &mut Vec<Vec<f64>>| {
        if !by_column {
            got.extend(stream.evaluate().iter().map(<[f64]>::to_vec));
            return;
        }
        let out = stream.evaluate_columns();
        assert_eq!(out.width(), roots.len());
        for i in 0..out.len() {
            out.row_into(i, &mut row);
            assert!((0..out.width()).all(|j| same(out.get(i, j), row[j])));
            got.push(row.clone());
        }
    };
    for r in 0..rows {
        let point: Vec<f64> = cols.iter().map(|c| c[r]).collect();
        stream.push(&point).unwrap();
        if stream.is_full() {
            take(&mut stream, &mut got);
        }
    }
    take(&mut stream, &mut got);
    assert_eq!(stream.evaluated(), rows);
    assert_eq!(got.len(), rows);
    for (g, w) in got.iter().zip(&want) {
        assert!(g.iter().zip(w).all(|(a, b)| same(*a, *b)), "{g:?} {w:?}");
    }
    assert_eq!(stream.report(), &want_report);
    assert!(stream.push(&[1.0; 9]).is_err());
}

#[test]
fn a_stream_gives_the_rows_in_order_and_counts_rows_over_the_stream() {
    check_stream(99, 3 * WIDTH + 17, WIDTH + 5, false, 0);
}

/// By column, a stream gives the same values as by row, chunk after
/// chunk, and counts the rows of its report over the whole stream.
#[test]
fn a_stream_by_column_gives_the_rows_values() {
    check_stream(7, 2 * WIDTH + 41, WIDTH + 3, true, 2);
}

/// A long chain reuses registers: the sum of `(x_i - x_{i+1})^2` over 200
/// variables needs a handful at a time, not one per term.
#[test]
fn dead_values_give_their_registers_back() {
    let mut s = Store::new();
    let xs: Vec<ExprId> = (0..200).map(|i| s.var(&format!("x{i}"))).collect();
    let terms: Vec<ExprId> = xs
        .windows(2)
        .map(|w| {
            let d = s.sub(w[0], w[1]);
            s.powi(d, 2)
        })
        .collect();
    let f = s.add(&terms);
    let batch = Batch::new(&Tape::new(&s, &[f]));
    let (lines, registers) = batch.code_size();
    assert!(lines > 500, "{lines}");
    assert!(registers <= 8, "{registers}");
}

#[test]
fn columns_of_the_wrong_shape_are_errors() {
    let mut s = Store::new();
    let (x, y) = (s.var("x"), s.var("y"));
    let f = s.mul(&[x, y]);
    let batch = Batch::new(&Tape::new(&s, &[f]));
    let w = Workers::new(1).unwrap();
    let a = [1.0, 2.0];
    let mut out = vec![Vec::new()];
    let err = batch.eval_columns(2, &[&a], &mut out, &w).unwrap_err();
    assert_eq!(
        err,
        BatchError::Columns {
            expected: 2,
            found: 1
        }
    );
    let err = batch.eval_columns(3, &[&a, &a], &mut out, &w).unwrap_err();
    assert_eq!(
        err,
        BatchError::ColumnLength {
            column: 0,
            expected: 3,
            found: 2
        }
    );
    let err = batch.eval_columns(2, &[&a, &a], &mut [], &w).unwrap_err();
    assert_eq!(
        err,
        BatchError::Outputs {
            expected: 1,
            found: 0
        }
    );
}

/// No input variable: the number of points still counts.
#[test]
fn a_closed_expression_gives_one_row_per_point() {
    let mut s = Store::new();
    let pi = s.constant(Constant::Pi);
    let two = s.int(2);
    let f = s.call1(Func::Sin, two);
    let batch = Batch::new(&Tape::new(&s, &[f, pi]));
    let mut out = Vec::new();
    let w = Workers::new(2).unwrap();
    batch.eval_rows(WIDTH + 2, &[], &mut out, &w).unwrap();
    assert_eq!(out.len(), 2 * (WIDTH + 2));
    assert!(
        out.chunks(2)
            .all(|r| r == [2f64.sin(), std::f64::consts::PI])
    );
}
