//! `grad`, `hessian` and `jacobian`: symbolic, or numeric by automatic
//! differentiation (`--mode`), and `--check` across every mode.

use serde_json::{Value, json};

use crate::ad::{hessian_forward_over_reverse, jacobian_forward, jacobian_reverse};
use crate::diff::Differentiator;
use crate::expr::{ExprId, Sym};
use crate::print::{infix, latex, latex_matrix};

use super::output::{number_json, number_text};
use super::point::{Coord, coord_value};
use super::run::{CliError, Outcome, evaluate, kink_warnings, point_tex, point_text};
use super::session::Session;
use super::{GradArgs, ModeArg};

/// Which derivative object.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// The gradient of a scalar.
    Grad,
    /// The Hessian of a scalar.
    Hessian,
    /// The Jacobian of a vector (or of a scalar: one row).
    Jacobian,
}

impl Kind {
    fn names(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Kind::Grad => ("grad", "gradient", "\\nabla f"),
            Kind::Hessian => ("hessian", "hessian", "H"),
            Kind::Jacobian => ("jacobian", "jacobian", "J"),
        }
    }
}

/// Runs `grad`, `hessian` or `jacobian`.
pub fn derivative_cmd(
    kind: Kind,
    a: &GradArgs,
    warnings: &mut Vec<String>,
) -> Result<Outcome, CliError> {
    let (command, key, head) = kind.names();
    if (a.mode != ModeArg::Symbolic || a.check) && a.at.is_none() {
        return Err(super::run::usage_error(
            command,
            "--mode forward|reverse and --check need a point: add --at",
        ));
    }
    let mut s = Session::load(&a.common)?;
    let vars = s.vars(a.vars.as_deref())?;
    let outputs = match kind {
        Kind::Jacobian => s.roots(),
        _ => vec![s.scalar(command)?],
    };
    let err = |e: crate::diff::DiffError| CliError::plain(e.to_string());
    let matrix: Option<Vec<Vec<ExprId>>> = if a.mode == ModeArg::Symbolic && !a.cse {
        let mut d = Differentiator::new(s.max_nodes);
        Some(match kind {
            Kind::Grad => vec![d.gradient(&mut s.store, outputs[0], &vars).map_err(err)?],
            Kind::Hessian => d.hessian(&mut s.store, outputs[0], &vars).map_err(err)?,
            Kind::Jacobian => d.jacobian(&mut s.store, &outputs, &vars).map_err(err)?,
        })
    } else {
        None
    };
    // the point must give what the values need: the variables of the
    // derivatives, or (AD, --check, --cse) all of the expression's
    let needed = match &matrix {
        Some(m) if !a.check => s.store.free_vars(&m.concat()),
        _ => s.needed_vars(),
    };
    let mut at_kink = false;
    let coords = match &a.at {
        Some(at) => {
            let c = s.point_also(at, &needed, &vars)?;
            let before = warnings.len();
            kink_warnings(&s, &outputs, &c, warnings);
            at_kink = warnings.len() > before;
            Some(c)
        }
        None => None,
    };
    let mut r = s.report(command, &vars);
    let Some(matrix) = matrix else {
        if a.cse {
            return cse_cmd(&mut s, r, kind, &outputs, &vars, coords.as_deref());
        }
        let coords = coords.unwrap_or_default();
        let rows = numeric(&s, kind, a.mode, &outputs, &coords, &vars);
        ad_warnings(&mut s, (kind, &outputs), &coords, &vars, &rows, warnings);
        r.field("mode", json!(mode_name(a.mode)));
        put_values(&mut r, kind, &rows, &s, head, &coords, &vars);
        return s.done(r).map(Outcome::from);
    };
    s.check_output(&matrix.concat()).map_err(|e| match (e, &a.at) {
        (CliError::Input { message, span, context }, Some(_)) => CliError::Input {
            message: format!("{message}; for values only, use --mode reverse (or --cse for a compact program)"),
            span,
            context,
        },
        (e, _) => e,
    })?;
    put_symbolic(&mut r, kind, key, head, &s, &matrix, &vars);
    let Some(coords) = coords else {
        return s.done(r).map(Outcome::from);
    };
    let flat: Vec<ExprId> = matrix.iter().flatten().copied().collect();
    let vals = evaluate(&mut s, &flat, &coords, warnings);
    let rows = reshape(&vals, matrix.len(), vars.len());
    put_values(&mut r, kind, &rows, &s, head, &coords, &vars);
    if !a.check {
        return s.done(r).map(Outcome::from);
    }
    let failed = check(&mut r, &s, (kind, at_kink), &outputs, &coords, &vars, &rows);
    Ok(Outcome {
        out: r.finish(),
        failed,
    })
}

fn mode_name(m: ModeArg) -> &'static str {
    match m {
        ModeArg::Symbolic => "symbolic",
        ModeArg::Forward => "forward",
        ModeArg::Reverse => "reverse",
    }
}

fn reshape(vals: &[f64], rows: usize, cols: usize) -> Vec<Vec<f64>> {
    (0..rows)
        .map(|i| vals[i * cols..(i + 1) * cols].to_vec())
        .collect()
}

/// Values by automatic differentiation.
fn numeric(
    s: &Session,
    kind: Kind,
    mode: ModeArg,
    outputs: &[ExprId],
    coords: &[Coord],
    vars: &[Sym],
) -> Vec<Vec<f64>> {
    let pt = |v: Sym| coord_value(coords, v);
    match (kind, mode) {
        (Kind::Hessian, _) => hessian_forward_over_reverse(&s.store, outputs[0], &pt, vars),
        (_, ModeArg::Forward) => jacobian_forward(&s.store, outputs, &pt, vars),
        _ => jacobian_reverse(&s.store, outputs, &pt, vars),
    }
}

/// Warnings for `--mode forward|reverse`, which evaluate at the float
/// nearest the point: the function's own subexpressions outside the domain
/// (as the symbolic mode reports them, exact poles included), then each
/// derivative that came out NaN or infinite.
fn ad_warnings(
    s: &mut Session,
    (kind, outputs): (Kind, &[ExprId]),
    coords: &[Coord],
    vars: &[Sym],
    rows: &[Vec<f64>],
    warnings: &mut Vec<String>,
) {
    // the values are not printed: this is for the warnings
    let _ = evaluate(s, outputs, coords, warnings);
    let names = s.names(vars);
    let pt = point_text(coords);
    let mut bad: Vec<(String, f64)> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        for (j, &v) in row.iter().enumerate() {
            if v.is_finite() {
                continue;
            }
            let name = match kind {
                Kind::Grad => format!("df/d{}", names[j]),
                Kind::Hessian => format!("d2f/d{}d{}", names[i], names[j]),
                Kind::Jacobian => format!("df{}/d{}", i + 1, names[j]),
            };
            bad.push((name, v));
        }
    }
    for (name, v) in bad.iter().take(3) {
        warnings.push(format!(
            "`{name}` is {} at {pt}: the derivative is outside the domain or beyond the float range",
            number_text(*v)
        ));
    }
    match bad.len().saturating_sub(3) {
        0 => {}
        1 => warnings.push("1 more derivative is not finite".to_string()),
        more => warnings.push(format!("{more} more derivatives are not finite")),
    }
}

/// Central finite differences: of the outputs (first derivatives), or of the
/// reverse-mode gradient (Hessian).
fn finite_differences(
    s: &Session,
    kind: Kind,
    outputs: &[ExprId],
    coords: &[Coord],
    vars: &[Sym],
) -> Vec<Vec<f64>> {
    let base = |v: Sym| coord_value(coords, v);
    let tape = crate::eval::Tape::new(&s.store, outputs);
    let n = vars.len();
    let rows = if kind == Kind::Hessian {
        n
    } else {
        outputs.len()
    };
    let mut out = vec![vec![0.0; n]; rows];
    for (j, &var) in vars.iter().enumerate() {
        let x0 = base(var);
        let h = f64::EPSILON.cbrt() * x0.abs().max(1.0);
        let at = |sign: f64| move |v: Sym| if v == var { x0 + sign * h } else { base(v) };
        let (plus, minus) = match kind {
            Kind::Hessian => (
                jacobian_reverse(&s.store, outputs, &at(1.0), vars).remove(0),
                jacobian_reverse(&s.store, outputs, &at(-1.0), vars).remove(0),
            ),
            _ => (tape.eval(&at(1.0)), tape.eval(&at(-1.0))),
        };
        for i in 0..rows {
            out[i][j] = (plus[i] - minus[i]) / (2.0 * h);
        }
    }
    out
}

/// The largest relative discrepancy between two matrices: NaN = NaN and
/// inf = inf agree; a non-finite value against anything else is an
/// infinite discrepancy (inf against 2.7e32 is not agreement).
fn discrepancy(a: &[Vec<f64>], b: &[Vec<f64>]) -> f64 {
    a.iter()
        .flatten()
        .zip(b.iter().flatten())
        .map(|(x, y)| {
            if x == y || x.is_nan() && y.is_nan() {
                0.0
            } else if !x.is_finite() || !y.is_finite() {
                f64::INFINITY
            } else {
                (x - y).abs() / x.abs().max(y.abs()).max(1.0)
            }
        })
        .fold(0.0, f64::max)
}

/// `--check`: every mode and finite differences; true when they disagree.
fn check(
    r: &mut super::output::Report,
    s: &Session,
    (kind, at_kink): (Kind, bool),
    outputs: &[ExprId],
    coords: &[Coord],
    vars: &[Sym],
    symbolic: &[Vec<f64>],
) -> bool {
    let forward = numeric(s, kind, ModeArg::Forward, outputs, coords, vars);
    let reverse = numeric(s, kind, ModeArg::Reverse, outputs, coords, vars);
    let fd = finite_differences(s, kind, outputs, coords, vars);
    let modes = discrepancy(symbolic, &forward).max(discrepancy(symbolic, &reverse));
    let fd_gap = discrepancy(symbolic, &fd);
    const MODES_TOL: f64 = 1e-9;
    const FD_TOL: f64 = 1e-4;
    // at a kink a central difference straddles two slopes: it is reported,
    // but only the exact modes must agree
    let agree = modes <= MODES_TOL && (at_kink || fd_gap <= FD_TOL);
    r.field(
        "check",
        json!({
            "modes": ["symbolic", "forward", "reverse"],
            "max_discrepancy_modes": number_json(modes),
            "max_discrepancy_finite_difference": number_json(fd_gap),
            "agree": agree,
            "at_kink": at_kink,
        }),
    );
    let verdict = if agree { "agree" } else { "DISAGREE" };
    r.text(format!(
        "check: symbolic, forward and reverse {verdict}: largest relative discrepancy {} between modes (tolerance {MODES_TOL:e}), {} against central finite differences (tolerance {FD_TOL:e})",
        number_text(modes),
        number_text(fd_gap)
    ));
    if at_kink {
        r.text("check: the point is a kink, where finite differences are not comparable; only the modes are compared".into());
    }
    r.tex(format!(
        "\\text{{check: modes differ by at most }} {} \\text{{, finite differences by }} {}",
        number_text(modes),
        number_text(fd_gap)
    ));
    if at_kink {
        r.tex("\\text{check: the point is a kink; only the modes are compared}".into());
    }
    !agree
}

fn put_symbolic(
    r: &mut super::output::Report,
    kind: Kind,
    key: &str,
    head: &str,
    s: &Session,
    m: &[Vec<ExprId>],
    vars: &[Sym],
) {
    let strings: Vec<Vec<String>> = m
        .iter()
        .map(|row| row.iter().map(|e| infix(&s.store, *e)).collect())
        .collect();
    let tex: Vec<Vec<String>> = m
        .iter()
        .map(|row| row.iter().map(|e| latex(&s.store, *e)).collect())
        .collect();
    r.tex(format!("{head} = {}", latex_matrix(&tex)));
    if kind == Kind::Grad {
        r.field(key, json!(strings[0]));
        for (n, e) in s.names(vars).iter().zip(&strings[0]) {
            r.text(format!("df/d{n} = {e}"));
        }
    } else {
        r.field(key, json!(strings));
        for row in &strings {
            r.text(format!("[{}]", row.join(", ")));
        }
    }
}

fn put_values(
    r: &mut super::output::Report,
    kind: Kind,
    rows: &[Vec<f64>],
    s: &Session,
    head: &str,
    coords: &[Coord],
    vars: &[Sym],
) {
    let json_row = |row: &Vec<f64>| Value::Array(row.iter().map(|v| number_json(*v)).collect());
    let text_row = |row: &Vec<f64>| row.iter().map(|v| number_text(*v)).collect::<Vec<_>>();
    let tex_row = |row: &Vec<f64>| {
        row.iter()
            .map(|v| super::run::tex_number(*v))
            .collect::<Vec<_>>()
    };
    let pt = point_text(coords);
    if kind == Kind::Grad {
        r.field("value", json_row(&rows[0]));
        r.text(format!("at {pt}:"));
        for (n, v) in s.names(vars).iter().zip(text_row(&rows[0])) {
            r.text(format!("df/d{n} = {v}"));
        }
    } else {
        r.field("value", Value::Array(rows.iter().map(json_row).collect()));
        r.text(format!("at {pt}:"));
        for row in rows {
            r.text(format!("[{}]", text_row(row).join(", ")));
        }
    }
    let nums: Vec<Vec<String>> = rows.iter().map(tex_row).collect();
    let mut store = s.store.clone();
    r.tex(format!(
        "{head}\\left({}\\right) = {}",
        point_tex(&mut store, coords),
        latex_matrix(&nums)
    ));
}

/// `--cse`: the derivative as a straight-line program; the gradient by the
/// reverse sweep, Hessians and Jacobians by naming shared subexpressions.
fn cse_cmd(
    s: &mut Session,
    mut r: super::output::Report,
    kind: Kind,
    outputs: &[ExprId],
    vars: &[Sym],
    coords: Option<&[Coord]>,
) -> Result<Outcome, CliError> {
    let err = |e: crate::diff::DiffError| CliError::plain(e.to_string());
    let (program, cols) = match kind {
        Kind::Grad => (
            crate::cse::gradient_program(&mut s.store, outputs[0], vars).map_err(err)?,
            vars.len(),
        ),
        Kind::Hessian | Kind::Jacobian => {
            let mut d = Differentiator::new(s.max_nodes);
            let m = if kind == Kind::Hessian {
                d.hessian(&mut s.store, outputs[0], vars).map_err(err)?
            } else {
                d.jacobian(&mut s.store, outputs, vars).map_err(err)?
            };
            (
                crate::cse::common_subexpressions(&mut s.store, &m.concat()),
                vars.len(),
            )
        }
    };
    let text = program.text(&s.store, true);
    r.field("program", Value::String(text.clone()));
    r.field("ops", json!(program.ops(&s.store)));
    r.text(text.clone());
    r.tex(format!(
        "\\begin{{aligned}}{}\\end{{aligned}}",
        program_tex(s, &program)
    ));
    if let Some(coords) = coords {
        let mut env = crate::eval::Env::new();
        for c in coords {
            env.set(c.sym, c.float);
        }
        let vals = program.eval(&s.store, &env);
        let rows = if cols == 0 {
            vec![vec![]]
        } else {
            vals.chunks(cols).map(<[f64]>::to_vec).collect()
        };
        let head = kind.names().2;
        put_values(&mut r, kind, &rows, s, head, coords, vars);
    }
    s.done(r).map(Outcome::from)
}

fn program_tex(s: &mut Session, p: &crate::cse::Program) -> String {
    let mut lines: Vec<String> = p
        .statements
        .iter()
        .map(|(n, e)| {
            let v = s.store.var_sym(*n);
            format!("{} &= {}", latex(&s.store, v), latex(&s.store, *e))
        })
        .collect();
    let rs: Vec<Vec<String>> = p
        .results
        .iter()
        .map(|e| vec![latex(&s.store, *e)])
        .collect();
    lines.push(format!("\\text{{result}} &= {}", latex_matrix(&rs)));
    lines.join(" \\\\ ")
}

/// `stats`: operation counts of f, its gradient written out, and its
/// reverse-sweep gradient program.
pub fn stats_cmd(c: &super::Common, vars: Option<&str>) -> Result<String, CliError> {
    let mut s = Session::load(c)?;
    let f = s.scalar("stats")?;
    let vars = s.vars(vars)?;
    let err = |e: crate::diff::DiffError| CliError::plain(e.to_string());
    let f_dag = crate::cse::ops_dag(&s.store, &[f]);
    let f_tree = crate::cse::ops_tree(&s.store, &[f]);
    let g = Differentiator::new(s.max_nodes)
        .gradient(&mut s.store, f, &vars)
        .map_err(err)?;
    let g_tree = crate::cse::ops_tree(&s.store, &g);
    let g_dag = crate::cse::ops_dag(&s.store, &g);
    let program = crate::cse::gradient_program(&mut s.store, f, &vars).map_err(err)?;
    let g_cse = program.ops(&s.store);
    let ratio = g_cse as f64 / (f_dag.max(1)) as f64;
    let mut r = s.report("stats", &vars);
    r.field("ops", json!({"f": f_dag, "f_tree": f_tree, "gradient_tree": g_tree, "gradient_dag": g_dag, "gradient_cse": g_cse, "cse_ratio": ratio}));
    for (k, v) in [
        ("f (shared graph)", f_dag),
        ("f (as a tree)", f_tree),
        ("gradient (as trees)", g_tree),
        ("gradient (shared graph)", g_dag),
        ("gradient --cse program", g_cse),
    ] {
        r.text(format!("{k:<24} {v} ops"));
        r.tex(format!("\\text{{{k}}} & {v}"));
    }
    r.text(format!("{:<24} {ratio:.2}", "gradient --cse / f"));
    Ok(r.finish())
}
