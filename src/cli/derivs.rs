//! `deriv grad`, `hessian` and `jacobian`: derivative expressions, their
//! values at a point (symbolic, or by automatic differentiation with
//! `--mode`), `--check` across every mode, and `--cse` programs.

use deriv::expr::{ExprId, Sym};
use deriv::{Mode, Point, Warning};

use super::args::{GradArgs, ModeArg};
use super::clock::{Ctx, Phase};
use super::error::{CliError, usage_error};
use super::input::Input;
use super::points::{self, Shape, Target};
use super::report::{Block, Done, Kind, Report};

fn mode(m: ModeArg) -> Mode {
    match m {
        ModeArg::Symbolic => Mode::Symbolic,
        ModeArg::Forward => Mode::Forward,
        ModeArg::Reverse => Mode::Reverse,
    }
}

/// Runs `grad`, `hessian` or `jacobian`.
pub fn run(kind: Kind, a: &GradArgs, ctx: &mut Ctx) -> Result<Done, CliError> {
    let command = kind.command();
    check_options(command, a)?;
    let mut i = Input::load(&a.common, ctx)?;
    let f = i.f.clone();
    let vars = i.vars(a.vars.as_deref())?;
    notes(&mut i, &vars, ctx);
    let outputs = match kind {
        Kind::Jacobian => f.roots(),
        _ => vec![i.s.scalar(&f, command).map_err(|e| i.err(e))?],
    };
    let symbolic_mode = a.mode == ModeArg::Symbolic && !a.cse;
    let matrix = symbolic_mode
        .then(|| {
            ctx.clock
                .time(Phase::Compute, || symbolic(&mut i, kind, &vars))
        })
        .transpose()?;
    // the point must give what the values need: the variables of the
    // derivatives, or (AD, --check, --cse) all of the expression's
    let needed = match &matrix {
        Some(m) if !a.check => i.s.needed(&m.concat()),
        _ => i.s.needed(&outputs),
    };
    let point = match &a.at {
        Some(at) => Some(i.point(at, &needed, &vars)?),
        None => None,
    };
    if let Some(p) = &point {
        ctx.warnings.extend(i.s.cancelled(&f, p));
    }
    let kinks = point.as_ref().map(|p| i.s.kinks(&outputs, p));
    let at_kink = kinks.as_ref().is_some_and(|k| !k.is_empty());
    ctx.warnings.extend(kinks.into_iter().flatten());
    let mut report = Report::new(command, f.source(), vars.clone());
    let Some(matrix) = matrix else {
        if a.cse {
            cse(&mut i, &mut report, (kind, &vars), (point, a.exact), ctx)?;
        } else {
            let point = point.unwrap_or_default();
            automatic(
                &mut i,
                &mut report,
                (kind, a.mode),
                (&outputs, &vars),
                point,
                ctx,
            );
        }
        i.s.check().map_err(|e| i.err(e))?;
        return Ok(Done { input: i, report });
    };
    if a.batch.points.is_some() {
        batch(&mut i, kind, &matrix, &vars, a, ctx)?;
        return Ok(Done::streamed(i, command));
    }
    let hint = "for values only, use --mode reverse (or --cse for a compact program)";
    i.check_output(&matrix.concat())
        .map_err(|e| if a.at.is_some() { e.hint(hint) } else { e })?;
    report.push(Block::Matrix {
        kind,
        rows: matrix.clone(),
    });
    if let Some(point) = point {
        let check = a.check.then_some(at_kink);
        values(
            &mut i,
            &mut report,
            (kind, &matrix, &outputs),
            (point, check, a.exact),
            ctx,
        );
    }
    i.s.check().map_err(|e| i.err(e))?;
    Ok(Done { input: i, report })
}

/// The shape of the values of `kind`.
fn shape(kind: Kind) -> super::report::Shape {
    match kind {
        Kind::Grad => super::report::Shape::Vector,
        Kind::Hessian | Kind::Jacobian => super::report::Shape::Matrix,
    }
}

/// Options that do not go together: usage errors.
fn check_options(command: &str, a: &GradArgs) -> Result<(), CliError> {
    if a.batch.points.is_some() && (a.mode != ModeArg::Symbolic || a.check || a.cse) {
        return Err(usage_error(
            command,
            "--points evaluates the derivative expressions: it does not go with --mode, --check or --cse",
        ));
    }
    if a.exact && a.mode != ModeArg::Symbolic {
        return Err(usage_error(
            command,
            "--exact evaluates the derivative expressions: it does not go with --mode forward|reverse",
        ));
    }
    if (a.mode != ModeArg::Symbolic || a.check) && a.at.is_none() {
        return Err(usage_error(
            command,
            "--mode forward|reverse and --check need a point: add --at",
        ));
    }
    Ok(())
}

/// Values of the derivative expressions at the point; with `check`
/// (`Some(at_kink)`), every mode and finite differences compared.
fn values(
    i: &mut Input,
    report: &mut Report,
    (kind, matrix, outputs): (Kind, &[Vec<ExprId>], &[ExprId]),
    (point, check, exact): (Point, Option<bool>, bool),
    ctx: &mut Ctx,
) {
    let vars = report.vars.clone();
    let flat: Vec<ExprId> = matrix.concat();
    let (mut vals, w) = ctx.clock.time(Phase::Eval, || i.s.values(&flat, &point));
    ctx.warnings.extend(w);
    let guarded = guarded_entries(kind, outputs.len(), matrix.len(), vars.len());
    let w = ctx.clock.time(Phase::Eval, || {
        i.s.where_undefined(outputs, &guarded, &mut vals, &point)
    });
    ctx.warnings.extend(w);
    let rows = reshape(&vals, matrix.len(), vars.len());
    let checked = check.map(|at_kink| {
        ctx.clock.time(Phase::Eval, || {
            let hessian = kind == Kind::Hessian;
            i.s.check_modes((outputs, hessian), &point, &vars, &rows, at_kink)
        })
    });
    let exact = exact.then(|| i.exact(&flat, &point, shape(kind), vars.len()));
    report.push(Block::Values { kind, rows, point });
    report.extend(exact);
    if let Some(c) = checked {
        report.failed = !c.agree();
        report.push(Block::Check(c));
    }
}

/// For each output, the range of the flattened entries that are its
/// derivatives: all of them for a gradient or Hessian, a row each for a
/// Jacobian.
fn guarded_entries(
    kind: Kind,
    outputs: usize,
    rows: usize,
    cols: usize,
) -> Vec<std::ops::Range<usize>> {
    match kind {
        Kind::Jacobian => (0..outputs).map(|k| k * cols..(k + 1) * cols).collect(),
        _ => std::iter::once(0..rows * cols).collect(),
    }
}

/// `--mode forward|reverse`: values by automatic differentiation, no
/// expressions.
fn automatic(
    i: &mut Input,
    report: &mut Report,
    (kind, m): (Kind, ModeArg),
    (outputs, vars): (&[ExprId], &[Sym]),
    point: Point,
    ctx: &mut Ctx,
) {
    let hessian = kind == Kind::Hessian;
    let rows = ctx.clock.time(Phase::Eval, || {
        i.s.ad(outputs, &point, vars, mode(m), hessian)
    });
    ctx.warnings
        .extend(ad_warnings(i, (kind, outputs), &point, vars, &rows));
    report.push(Block::Mode(kind, mode(m)));
    report.push(Block::Values { kind, rows, point });
}

/// `--points`: the derivative expressions at every row.
fn batch(
    i: &mut Input,
    kind: Kind,
    matrix: &[Vec<ExprId>],
    vars: &[Sym],
    a: &GradArgs,
    ctx: &mut Ctx,
) -> Result<(), CliError> {
    let names = entry_names(kind, &i.names(vars), matrix.len());
    let flat = matrix.concat();
    let shape = match kind {
        Kind::Grad => Shape::Vector,
        _ => Shape::Matrix(matrix.len()),
    };
    let outputs = match kind {
        Kind::Jacobian => i.f.roots(),
        _ => vec![
            i.s.scalar(&i.f.clone(), kind.command())
                .map_err(|e| i.err(e))?,
        ],
    };
    let guarded = guarded_entries(kind, outputs.len(), matrix.len(), vars.len());
    let t = Target {
        roots: &flat,
        names,
        shape,
        guards: outputs
            .into_iter()
            .map(|o| i.s.store().partial_parts(o))
            .zip(guarded)
            .collect(),
    };
    points::run(i, &t, &a.batch, ctx)
}

/// Notes about the variables: none at all (an empty result), or some
/// named in --vars that the expression does not have (derivative 0).
fn notes(i: &mut Input, vars: &[Sym], ctx: &mut Ctx) {
    if vars.is_empty() {
        ctx.notes
            .push("f has no variables: the result is empty".to_string());
        return;
    }
    let own: rustc_hash::FxHashSet<Sym> = i.s.variables(&i.f).into_iter().collect();
    for v in vars.iter().filter(|v| !own.contains(v)) {
        ctx.notes.push(format!(
            "`{}` does not occur in the expression: its derivative is 0",
            i.s.store().name(*v)
        ));
    }
}

fn symbolic(i: &mut Input, kind: Kind, vars: &[Sym]) -> Result<Vec<Vec<ExprId>>, CliError> {
    let (s, f) = (&mut i.s, &i.f);
    let m = match kind {
        Kind::Grad => s.gradient_ids(f, vars).map(|g| vec![g]),
        Kind::Hessian => s.hessian_ids(f, vars),
        Kind::Jacobian => s.jacobian_ids(f, vars),
    };
    m.map_err(|e| i.err(e))
}

/// `df/dx`, `d2f/dxdy`, `df1/dx`: the names of a result's entries.
fn entry_names(kind: Kind, vars: &[String], rows: usize) -> Vec<String> {
    let mut out = Vec::new();
    for r in 0..rows {
        for (j, v) in vars.iter().enumerate() {
            out.push(match kind {
                Kind::Grad => format!("df/d{v}"),
                Kind::Hessian => format!("d2f/d{}d{v}", vars[r]),
                Kind::Jacobian => format!("df{}/d{}", r + 1, vars[j]),
            });
        }
    }
    out
}

fn reshape(vals: &[f64], rows: usize, cols: usize) -> Vec<Vec<f64>> {
    (0..rows)
        .map(|i| vals[i * cols..(i + 1) * cols].to_vec())
        .collect()
}

/// Warnings for `--mode forward|reverse`, which evaluate at the float
/// nearest the point: the function's own subexpressions outside the domain
/// (as the symbolic mode reports them, exact poles included), then each
/// derivative that came out NaN or infinite.
fn ad_warnings(
    i: &mut Input,
    (kind, outputs): (Kind, &[ExprId]),
    point: &Point,
    vars: &[Sym],
    rows: &[Vec<f64>],
) -> Vec<Warning> {
    let (_, mut out) = i.s.values(outputs, point);
    let names = i.names(vars);
    let mut bad = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        for (j, &v) in row.iter().enumerate() {
            if v.is_finite() {
                continue;
            }
            let name = match kind {
                Kind::Grad => format!("df/d{}", names[j]),
                Kind::Hessian => format!("d2f/d{}d{}", names[r], names[j]),
                Kind::Jacobian => format!("df{}/d{}", r + 1, names[j]),
            };
            bad.push(Warning::NonFinite {
                name,
                value: v,
                point: point.clone(),
            });
        }
    }
    let more = bad.len().saturating_sub(3);
    out.extend(bad.into_iter().take(3));
    if more > 0 {
        out.push(Warning::MoreNonFinite { count: more });
    }
    out
}

/// `--cse`: the derivative as a straight-line program; the gradient by the
/// reverse sweep, Hessians and Jacobians by naming shared subexpressions.
fn cse(
    i: &mut Input,
    report: &mut Report,
    (kind, vars): (Kind, &[Sym]),
    (point, exact): (Option<Point>, bool),
    ctx: &mut Ctx,
) -> Result<(), CliError> {
    let f = i.f.clone();
    let start = std::time::Instant::now();
    let rows = symbolic(i, kind, vars)?;
    let program = match kind {
        Kind::Grad => i.s.gradient_program(&f, vars),
        Kind::Hessian | Kind::Jacobian => i.s.program(&rows.concat()),
    }
    .map_err(|e| i.err(e))?;
    ctx.clock.add(Phase::Compute, start.elapsed());
    let values = point.map(|p| {
        let v = ctx
            .clock
            .time(Phase::Eval, || i.s.program_values(&program, &p));
        (v, p)
    });
    let flat = rows.concat();
    report.push(Block::Program {
        kind,
        program,
        rows,
    });
    if let Some((vals, point)) = values {
        let cols = vars.len();
        let exact = exact.then(|| i.exact(&flat, &point, shape(kind), cols));
        let rows = if cols == 0 {
            vec![vec![]]
        } else {
            vals.chunks(cols).map(<[f64]>::to_vec).collect()
        };
        report.push(Block::Values { kind, rows, point });
        report.extend(exact);
    }
    Ok(())
}
