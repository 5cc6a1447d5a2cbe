//! `Cli` → validated values → library calls → one formatted result.
//!
//! Nothing is printed until the whole result is ready, so an error never
//! leaves partial output on stdout.

use std::io::Write;
use std::process::ExitCode;

use serde_json::{Value, json};

use crate::diff::Differentiator;
use crate::expr::{ExprId, Store, Sym};
use crate::parse::{Output, ParseError};
use crate::print::{infix, latex, latex_matrix};

use super::derivs::Kind;
use super::output::{number_json, number_text};
use super::point::{Coord, coord_value, parse_names};
use super::session::Session;
use super::{Cli, Command, Common, Format};

/// An error to report: bad input (exit 1) or a malformed command line (exit 2).
#[derive(Debug)]
pub enum CliError {
    /// Bad input: a message, the byte span in EXPR (if it is located
    /// there) and the text form with a caret line.
    Input {
        /// What went wrong.
        message: String,
        /// Byte span in the input expression.
        span: Option<(usize, usize)>,
        /// Lines showing where (input and caret), possibly empty.
        context: String,
    },
    /// A usage error, reported by clap.
    Usage(clap::Error),
}

impl CliError {
    /// An error located in the text of an option such as `--at`.
    pub fn at_option(
        option: &str,
        text: &str,
        message: String,
        start: usize,
        end: usize,
    ) -> CliError {
        let prefix = format!("{option} ");
        let col = text
            .get(..start.min(text.len()))
            .map_or(start, |s| s.chars().count());
        let width = text
            .get(start.min(text.len())..end.min(text.len()))
            .map_or(1, |s| s.chars().count().max(1));
        let context = format!(
            "  {prefix}{text}\n  {}{}",
            " ".repeat(prefix.len() + col),
            "^".repeat(width)
        );
        CliError::Input {
            message,
            span: None,
            context,
        }
    }

    /// An error not located in any text.
    pub fn plain(message: impl Into<String>) -> CliError {
        CliError::Input {
            message: message.into(),
            span: None,
            context: String::new(),
        }
    }

    pub(super) fn parse(e: &ParseError, src: &str) -> CliError {
        let rendered = e.render(src);
        // render() starts with "error: <message>"; keep the lines below it
        let context = rendered.lines().skip(1).collect::<Vec<_>>().join("\n");
        CliError::Input {
            message: e.message(),
            span: Some((e.span.start, e.span.end)),
            context,
        }
    }
}

/// Runs a command and prints its result; returns the exit code.
pub fn run(cli: Cli) -> ExitCode {
    let format = common(&cli.command).format;
    let mut warnings = Vec::new();
    match execute(cli, &mut warnings) {
        Ok(Outcome { out, failed }) => {
            let mut seen = std::collections::HashSet::new();
            warnings.retain(|w| seen.insert(w.clone()));
            for w in &warnings {
                match format {
                    Format::Json => eprintln!("{}", json!({ "warning": { "message": w } })),
                    Format::Text | Format::Latex => eprintln!("deriv: warning: {w}"),
                }
            }
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(out.as_bytes())
                .and_then(|()| stdout.flush())
            {
                Ok(()) if failed => ExitCode::from(1),
                Ok(()) => ExitCode::SUCCESS,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("deriv: error: cannot write the result: {e}");
                    ExitCode::from(1)
                }
            }
        }
        Err(CliError::Usage(e)) => {
            let _ = e.print();
            ExitCode::from(2)
        }
        Err(CliError::Input {
            message,
            span,
            context,
        }) => {
            match format {
                Format::Json => {
                    let span = span.map_or(Value::Null, |(s, e)| json!([s, e]));
                    eprintln!(
                        "{}",
                        json!({ "error": { "message": message, "span": span } })
                    );
                }
                _ if context.is_empty() => eprintln!("deriv: error: {message}"),
                _ => eprintln!("deriv: error: {message}\n{context}"),
            }
            ExitCode::from(1)
        }
    }
}

pub(super) fn common(c: &Command) -> &Common {
    match c {
        Command::Eval(a) => &a.common,
        Command::Simplify(a) => &a.common,
        Command::Diff(a) => &a.common,
        Command::Grad(a) | Command::Hessian(a) | Command::Jacobian(a) => &a.common,
        Command::Taylor(a) => &a.common,
        Command::Linearize(a) => &a.common,
        Command::Trace(a) => &a.common,
        Command::Stats(a) => &a.common,
    }
}

/// A result, and whether it reports a failed check (exit 1 with output).
pub(super) struct Outcome {
    pub out: String,
    pub failed: bool,
}

impl From<String> for Outcome {
    fn from(out: String) -> Outcome {
        Outcome { out, failed: false }
    }
}

fn execute(cli: Cli, warnings: &mut Vec<String>) -> Result<Outcome, CliError> {
    match cli.command {
        Command::Eval(a) => {
            let mut s = Session::load(&a.common)?;
            eval_cmd(&mut s, a.at.as_deref(), warnings).map(Outcome::from)
        }
        Command::Simplify(a) => simplify_cmd(&mut Session::load(&a.common)?).map(Outcome::from),
        Command::Diff(a) => {
            if a.order.is_some() && a.wrt.contains(',') {
                return Err(usage_error(
                    "diff",
                    "--order repeats the one variable of --wrt; with several --wrt variables, list them instead",
                ));
            }
            let mut s = Session::load(&a.common)?;
            diff_cmd(
                &mut s,
                &a.wrt,
                (a.order, a.max_order),
                a.at.as_deref(),
                a.cse,
                warnings,
            )
            .map(Outcome::from)
        }
        Command::Grad(a) => super::derivs::derivative_cmd(Kind::Grad, &a, warnings),
        Command::Hessian(a) => super::derivs::derivative_cmd(Kind::Hessian, &a, warnings),
        Command::Jacobian(a) => super::derivs::derivative_cmd(Kind::Jacobian, &a, warnings),
        Command::Taylor(a) => {
            let mut s = Session::load(&a.common)?;
            let max_terms = a
                .max_terms
                .unwrap_or(crate::series::SeriesOptions::default().max_terms);
            super::output::taylor_cmd(
                &mut s, "taylor", &a.at, a.order, a.numeric, max_terms, warnings,
            )
            .map(Outcome::from)
        }
        Command::Stats(a) => {
            super::derivs::stats_cmd(&a.common, a.vars.as_deref()).map(Outcome::from)
        }
        Command::Trace(a) => super::trace::trace_cmd(&a.common, &a.at, warnings).map(Outcome::from),
        Command::Linearize(a) => {
            let mut s = Session::load(&a.common)?;
            let max_terms = crate::series::SeriesOptions::default().max_terms;
            super::output::taylor_cmd(
                &mut s,
                "linearize",
                &a.at,
                1,
                a.numeric,
                max_terms,
                warnings,
            )
            .map(Outcome::from)
        }
    }
}

fn eval_cmd(
    s: &mut Session,
    at: Option<&str>,
    warnings: &mut Vec<String>,
) -> Result<String, CliError> {
    let roots = s.roots();
    let vars = s.free_vars();
    let needed = s.needed_vars();
    let coords = match at {
        Some(text) => s.point(text, &needed)?,
        None if needed.is_empty() => Vec::new(),
        None => {
            let list = s.names(&needed).join(",");
            return Err(CliError::plain(format!(
                "`eval` needs a value for every variable: add --at with {list}"
            )));
        }
    };
    let values = evaluate(s, &roots, &coords, warnings);
    s.check_overflow()?;
    let mut r = s.report("eval", &vars);
    let value = match s.output {
        Output::Scalar(_) => number_json(values[0]),
        Output::Vector(_) => Value::Array(values.iter().map(|v| number_json(*v)).collect()),
    };
    r.field("value", value);
    r.text(match s.output {
        Output::Scalar(_) => number_text(values[0]),
        Output::Vector(_) => format!(
            "[{}]",
            values
                .iter()
                .map(|v| number_text(*v))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    });
    r.tex(match s.output {
        Output::Scalar(_) => tex_number(values[0]),
        Output::Vector(_) => latex_matrix(
            &values
                .iter()
                .map(|v| vec![tex_number(*v)])
                .collect::<Vec<_>>(),
        ),
    });
    s.done(r)
}

/// A number in LaTeX: `\infty`, `\text{NaN}`, `1.5 \cdot 10^{-7}`.
pub(super) fn tex_number(v: f64) -> String {
    if v.is_nan() {
        "\\text{NaN}".into()
    } else if v.is_infinite() {
        if v > 0.0 {
            "\\infty".into()
        } else {
            "-\\infty".into()
        }
    } else {
        let t = number_text(v);
        match t.split_once('e') {
            Some((m, e)) => format!("{m} \\cdot 10^{{{e}}}"),
            None => t,
        }
    }
}

fn simplify_cmd(s: &mut Session) -> Result<String, CliError> {
    s.check_output(&s.roots())?;
    let vars = s.free_vars();
    s.output = match &s.output {
        Output::Scalar(f) => Output::Scalar(crate::simplify::simplify(&mut s.store, *f)),
        Output::Vector(fs) => {
            let fs = fs.clone();
            Output::Vector(
                fs.into_iter()
                    .map(|f| crate::simplify::simplify(&mut s.store, f))
                    .collect(),
            )
        }
    };
    let text = match &s.output {
        Output::Scalar(f) => infix(&s.store, *f),
        Output::Vector(fs) => format!(
            "[{}]",
            fs.iter()
                .map(|f| infix(&s.store, *f))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let mut r = s.report("simplify", &vars);
    r.field("result", Value::String(text.clone()));
    r.tex(match &s.output {
        Output::Scalar(f) => latex(&s.store, *f),
        Output::Vector(fs) => latex_matrix(
            &fs.iter()
                .map(|f| vec![latex(&s.store, *f)])
                .collect::<Vec<_>>(),
        ),
    });
    r.text(text);
    s.done(r)
}

fn diff_cmd(
    s: &mut Session,
    wrt: &str,
    (order, max_order): (Option<u32>, u32),
    at: Option<&str>,
    cse: bool,
    warnings: &mut Vec<String>,
) -> Result<String, CliError> {
    let f = s.scalar("diff")?;
    let names = parse_names("--wrt", wrt, true)?;
    let names = match order {
        Some(n) if n > max_order => {
            return Err(CliError::plain(format!(
                "--order {n} is above the limit of {max_order} derivatives; \
                 raise it with --max-order"
            )));
        }
        Some(n) => vec![names[0].clone(); n as usize],
        None => names,
    };
    let syms: Vec<Sym> = names.iter().map(|n| s.store.sym(n)).collect();
    let mut d = Differentiator::new(s.max_nodes);
    let df = d
        .diff_many(&mut s.store, f, &syms)
        .map_err(|e| CliError::plain(e.to_string()))?;
    s.check_output(&[df])?;
    let vars = s.free_vars();
    let mut r = s.report("diff", &vars);
    r.field("wrt", json!(names));
    let text = infix(&s.store, df);
    if cse {
        let p = crate::cse::common_subexpressions(&mut s.store, &[df]);
        let program = p.text(&s.store, false);
        r.field("program", Value::String(program.clone()));
        r.text(program);
    } else {
        r.text(text.clone());
    }
    r.field("derivative", Value::String(text));
    r.tex(format!(
        "{} = {}",
        partial_tex(&mut s.store, &syms),
        latex(&s.store, df)
    ));
    if let Some(at) = at {
        let needed = s.needed_vars();
        let coords = s.point(at, &needed)?;
        kink_warnings(s, &[f], &coords, warnings);
        let v = evaluate(s, &[df], &coords, warnings)[0];
        r.field("value", number_json(v));
        r.text(format!("= {} at {}", number_text(v), point_text(&coords)));
        r.tex(format!(
            "\\text{{at }} {}: \\quad {}",
            point_tex(&mut s.store, &coords),
            number_text(v)
        ));
    }
    s.done(r)
}

/// A usage error (exit 2) in clap's format, with the subcommand's usage line.
pub(super) fn usage_error(subcommand: &str, msg: &str) -> CliError {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    cmd.build();
    let kind = clap::error::ErrorKind::ArgumentConflict;
    let err = match cmd.find_subcommand_mut(subcommand) {
        Some(sub) => sub
            .clone()
            .bin_name(format!("deriv {subcommand}"))
            .error(kind, msg),
        None => cmd.error(kind, msg),
    };
    CliError::Usage(err)
}

/// `x=1, y=2` for messages.
pub(super) fn point_text(coords: &[Coord]) -> String {
    coords
        .iter()
        .map(|c| format!("{}={}", c.name, infix_value(c)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn infix_value(c: &Coord) -> String {
    c.text.clone()
}

/// Evaluates `roots` at the point, warning about values outside the domain.
pub(super) fn evaluate(
    s: &mut Session,
    roots: &[ExprId],
    coords: &[Coord],
    warnings: &mut Vec<String>,
) -> Vec<f64> {
    let tape = crate::eval::Tape::new(&s.store, roots);
    let value = |sym: Sym| coord_value(coords, sym);
    let mut slots = tape.eval_slots(&value);
    // An exact point gives exact values where they fold: each subexpression
    // is also evaluated with the point substituted exactly, so cos(pi/2) = 0
    // and tan(pi/2) is a pole (1/0, inf) rather than tan(1.5707963267948966).
    // A value that is NaN or inf in floats stays so: exact folding can drop a
    // singularity (0 * 0^(-1) folds to 0), and t/t at t=0 is undefined.
    if !coords.is_empty() && coords.iter().all(|c| !c.inexact) && s.store.len() < s.max_nodes / 2 {
        let map = coords.iter().map(|c| (c.sym, c.value)).collect();
        let exact = s.store.substitute_vars(tape.ids(), &map);
        let exact_tape = crate::eval::Tape::new(&s.store, &exact);
        for (v, e) in slots.iter_mut().zip(exact_tape.eval(&|_| f64::NAN)) {
            if v.is_finite() {
                *v = e;
            }
        }
    }
    let out = tape.roots_of(&slots);
    if out.iter().any(|v| !v.is_finite()) {
        let sources = tape.nonfinite_sources(&slots);
        let slot_of = |id: ExprId| tape.ids().iter().position(|i| *i == id).unwrap_or(0);
        let at = if coords.is_empty() {
            String::new()
        } else {
            format!(" at {}", point_text(coords))
        };
        for bad in sources.iter().take(3) {
            let v = slots[slot_of(*bad)];
            let why = if v.is_nan() {
                "the value is outside the domain"
            } else {
                "the value is outside the domain or beyond the float range"
            };
            warnings.push(format!(
                "`{}` is {}{at}: {why}",
                short(&s.store, *bad),
                number_text(v)
            ));
        }
        if sources.len() > 3 {
            warnings.push(if sources.len() == 4 {
                "1 more subexpression is outside the domain".to_string()
            } else {
                format!(
                    "{} more subexpressions are outside the domain",
                    sources.len() - 3
                )
            });
        }
    }
    out
}

/// A subexpression for a message: in full when short, else abbreviated.
pub(super) fn short(store: &Store, id: ExprId) -> String {
    const MAX: u64 = 2000;
    if crate::print::printed_size(store, &[id]) <= MAX {
        return infix(store, id);
    }
    match store.node(id) {
        crate::expr::Node::Call(f, _) => format!("{}(...)", f.name()),
        crate::expr::Node::Add(_) => "... + ...".to_string(),
        crate::expr::Node::Mul(_) => "... * ...".to_string(),
        crate::expr::Node::Pow(_) => "(...)^(...)".to_string(),
        _ => "...".to_string(),
    }
}

/// Warns about non-smooth functions evaluated exactly at their kinks.
pub(super) fn kink_warnings(
    s: &Session,
    roots: &[ExprId],
    coords: &[Coord],
    warnings: &mut Vec<String>,
) {
    let mut env = crate::eval::Env::new();
    for c in coords {
        env.set(c.sym, c.float);
    }
    let Ok(kinks) = crate::eval::kinks(&s.store, roots, &env) else {
        return;
    };
    for k in kinks {
        let text = short(&s.store, k.at);
        let rule = match s.store.node(k.at) {
            crate::expr::Node::Call(f, _) => match f.name() {
                "abs" => "abs'(0) = sign(0) = 0",
                "relu" => "relu'(0) = step(0) = 0",
                "min" | "max" => "an equal split of the derivative between the tied arguments",
                _ => "the derivative is 0",
            },
            _ => "",
        };
        warnings.push(format!(
            "`{text}` has a kink at {}; using {rule}",
            point_text(coords)
        ));
    }
}

/// `x = 1, y = 2` in LaTeX.
pub(super) fn point_tex(store: &mut Store, coords: &[Coord]) -> String {
    coords
        .iter()
        .map(|c| {
            format!(
                "{} = {}",
                super::output::latex_var(store, c.sym),
                latex(store, c.value)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `\frac{\partial^{2} f}{\partial y \partial x}` for differentiating by x, then y.
fn partial_tex(store: &mut Store, syms: &[Sym]) -> String {
    let mut groups: Vec<(Sym, usize)> = Vec::new();
    for &v in syms.iter().rev() {
        match groups.last_mut() {
            Some((g, k)) if *g == v => *k += 1,
            _ => groups.push((v, 1)),
        }
    }
    let den = groups
        .iter()
        .map(|(v, k)| {
            let name = super::output::latex_var(store, *v);
            if *k == 1 {
                format!("\\partial {name}")
            } else {
                format!("\\partial {name}^{{{k}}}")
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    match syms.len() {
        0 => "f".to_string(),
        1 => format!("\\frac{{\\partial f}}{{{den}}}"),
        n => format!("\\frac{{\\partial^{{{n}}} f}}{{{den}}}"),
    }
}
