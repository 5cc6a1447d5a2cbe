//! `--format python|numpy|c|rust`: the report's result as a function of the
//! variables (`deriv::print::code`), named after the command (`grad_f`).

use deriv::Session;
use deriv::expr::ExprId;
use deriv::print::code::{Language, Shape, function, program_function};

use crate::cli::args::{Command, Format, ModeArg};
use crate::cli::error::{CliError, usage_error};
use crate::cli::report::{Block, Kind, Report};

/// The language of a code format.
pub fn language(f: Format) -> Option<Language> {
    match f {
        Format::Python => Some(Language::Python),
        Format::Numpy => Some(Language::Numpy),
        Format::C => Some(Language::C),
        Format::Rust => Some(Language::Rust),
        Format::Text | Format::Json | Format::Latex => None,
    }
}

/// A usage error for the options that do not go with code export: code is
/// a function of the variables, so there is no point to evaluate at, and
/// only commands whose result is expressions export.
pub fn refuse(c: &Command) -> Result<(), CliError> {
    let Some(lang) = c.common().and_then(|c| language(c.format)) else {
        return Ok(());
    };
    let format = format!("--format {}", format!("{lang:?}").to_lowercase());
    let (name, at, points) = match c {
        Command::Simplify(_) => ("simplify", None, None),
        Command::Stats(_) => ("stats", None, None),
        Command::Trace(_) => ("trace", None, None),
        Command::Eval(a) => ("eval", a.at.as_ref(), a.batch.points.as_ref()),
        Command::Diff(a) => ("diff", a.at.as_ref(), a.batch.points.as_ref()),
        Command::Grad(a) | Command::Hessian(a) | Command::Jacobian(a) => {
            let name = match c {
                Command::Grad(_) => "grad",
                Command::Hessian(_) => "hessian",
                _ => "jacobian",
            };
            if a.mode != ModeArg::Symbolic || a.check {
                let msg = format!(
                    "{format} exports the derivative expressions: it does not go with --mode forward|reverse or --check"
                );
                return Err(usage_error(name, &msg));
            }
            (name, a.at.as_ref(), a.batch.points.as_ref())
        }
        Command::Taylor(a) => ("taylor", None, a.batch.points.as_ref()),
        Command::Linearize(a) => ("linearize", None, a.batch.points.as_ref()),
        Command::Completions(_) | Command::Man | Command::Help(_) => return Ok(()),
    };
    let msg = if matches!(name, "simplify" | "stats" | "trace") {
        format!(
            "{format} exports eval, diff, grad, hessian, jacobian, taylor and linearize, not {name}"
        )
    } else if at.is_some() {
        format!(
            "{format} prints a function of the variables: it takes no --at (for values, use --format text or json)"
        )
    } else if points.is_some() {
        format!("{format} prints a function of the variables: it does not go with --points")
    } else {
        return Ok(());
    };
    Err(usage_error(name, &msg))
}

/// The report's result as code, ending in a newline.
pub fn render(r: &Report, s: &mut Session, format: Format) -> String {
    let Some(lang) = language(format) else {
        return String::new();
    };
    let name = format!("{}_f", r.command);
    let cols = r.vars.len();
    for b in &r.blocks {
        let (roots, shape): (Vec<ExprId>, Shape) = match b {
            Block::Simplified { exprs, vector } => {
                let shape = if *vector {
                    Shape::Vector(exprs.len())
                } else {
                    Shape::Scalar
                };
                (exprs.clone(), shape)
            }
            Block::Derivative {
                program: Some(p), ..
            } => return program_function(s.store(), lang, &name, &r.vars, p, Shape::Scalar),
            Block::Derivative { expr, .. } => (vec![*expr], Shape::Scalar),
            Block::Matrix { kind, rows } => {
                let shape = match kind {
                    Kind::Grad => Shape::Vector(rows.concat().len()),
                    _ => Shape::Matrix(rows.len(), rows.first().map_or(cols, Vec::len)),
                };
                (rows.concat(), shape)
            }
            Block::Program { program: p, .. } => {
                let n = p.results.len();
                let shape = match r.command {
                    "grad" => Shape::Vector(n),
                    _ if cols == 0 => Shape::Matrix(0, 0),
                    _ => Shape::Matrix(n / cols, cols),
                };
                return program_function(s.store(), lang, &name, &r.vars, p, shape);
            }
            Block::Taylor(p) => (vec![s.polynomial_expr(p)], Shape::Scalar),
            Block::Taylors(ps) => {
                let roots: Vec<_> = ps.iter().map(|p| s.polynomial_expr(p)).collect();
                let n = roots.len();
                (roots, Shape::Vector(n))
            }
            _ => continue,
        };
        return function(s.store_mut(), lang, &name, &r.vars, &roots, shape);
    }
    String::new()
}
