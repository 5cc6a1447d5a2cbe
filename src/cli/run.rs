//! `Cli` → validated values → library calls → one formatted result.
//!
//! Nothing is printed until the whole result is ready, so an error never
//! leaves partial output on stdout.

use std::io::{Read, Write};
use std::process::ExitCode;

use serde_json::{Value, json};

use crate::diff::Differentiator;
use crate::expr::{ExprId, Store, Sym};
use crate::parse::{Output, ParseError, ParseOptions, parse_program};
use crate::print::{infix, latex, latex_matrix};

use super::output::{Report, number_json, number_text};
use super::point::{Coord, parse_names, parse_point};
use super::{Cli, Command, Common, Format, GradArgs};

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

    fn parse(e: &ParseError, src: &str) -> CliError {
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
        Ok(out) => {
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
    }
}

/// The parsed input and everything derived from it.
pub(super) struct Session {
    pub store: Store,
    pub src: String,
    pub output: Output,
    pub opts: ParseOptions,
    pub format: Format,
    pub max_nodes: usize,
    pub max_output: u64,
}

impl Session {
    fn load(c: &Common) -> Result<Session, CliError> {
        let src = read_source(&c.expr)?;
        let opts = ParseOptions {
            max_depth: c.max_depth,
            max_len: c.max_input,
        };
        let mut store = Store::with_limits(c.max_exact_bits, c.max_graph_depth, c.max_graph_size);
        let program =
            parse_program(&mut store, &src, &opts).map_err(|e| CliError::parse(&e, &src))?;
        let s = Session {
            store,
            src,
            output: program.output,
            opts,
            format: c.format,
            max_nodes: c.max_nodes,
            max_output: c.max_output,
        };
        s.check_overflow()?;
        Ok(s)
    }

    /// An error if a constructor hit a bound of the store (the results
    /// built since are then meaningless).
    pub(super) fn check_overflow(&self) -> Result<(), CliError> {
        match self.store.overflowed() {
            Some(o) => Err(CliError::plain(o.to_string())),
            None => Ok(()),
        }
    }

    /// An error if printing `roots` would exceed `--max-output`; call it
    /// before printing anything that may be large.
    pub(super) fn check_output(&self, roots: &[ExprId]) -> Result<(), CliError> {
        self.check_overflow()?;
        let size = crate::print::printed_size(&self.store, roots);
        let size = if self.format == Format::Latex {
            size.saturating_mul(4)
        } else {
            size
        };
        if size > self.max_output {
            let about = if size == u64::MAX {
                "more than 10^19".to_string()
            } else {
                format!("about {size}")
            };
            return Err(CliError::plain(format!(
                "the result would print as {about} bytes, over the limit of {} bytes; \
                 raise it with --max-output",
                self.max_output
            )));
        }
        Ok(())
    }

    /// The finished output, unless a bound of the store was hit on the way.
    pub(super) fn done(&self, r: Report) -> Result<String, CliError> {
        self.check_overflow()?;
        Ok(r.finish())
    }

    pub(super) fn roots(&self) -> Vec<ExprId> {
        match &self.output {
            Output::Scalar(f) => vec![*f],
            Output::Vector(fs) => fs.clone(),
        }
    }

    pub(super) fn scalar(&self, command: &str) -> Result<ExprId, CliError> {
        match &self.output {
            Output::Scalar(f) => Ok(*f),
            Output::Vector(_) => Err(CliError::plain(format!(
                "`{command}` needs a scalar expression, not a vector; use `jacobian` for vectors"
            ))),
        }
    }

    pub(super) fn free_vars(&self) -> Vec<Sym> {
        self.store.free_vars(&self.roots())
    }

    pub(super) fn names(&self, syms: &[Sym]) -> Vec<String> {
        syms.iter()
            .map(|s| self.store.name(*s).to_string())
            .collect()
    }

    /// `--vars` as given, else all free variables in natural order.
    pub(super) fn vars(&mut self, given: Option<&str>) -> Result<Vec<Sym>, CliError> {
        match given {
            None => Ok(self.free_vars()),
            Some(text) => Ok(parse_names("--vars", text, false)?
                .iter()
                .map(|n| self.store.sym(n))
                .collect()),
        }
    }

    /// Parses `--at` and checks it against the expression: every name a
    /// free variable, and every variable in `needed` given.
    pub(super) fn point(&mut self, text: &str, needed: &[Sym]) -> Result<Vec<Coord>, CliError> {
        let free = self.free_vars();
        let coords = parse_point(&mut self.store, text, &self.opts)?;
        for c in &coords {
            if !free.contains(&c.sym) {
                let pos = text.find(&c.name).unwrap_or(0);
                return Err(CliError::at_option(
                    "--at",
                    text,
                    format!("`{}` is not a variable of the expression", c.name),
                    pos,
                    pos + c.name.len(),
                ));
            }
        }
        let missing: Vec<&str> = needed
            .iter()
            .filter(|s| !coords.iter().any(|c| c.sym == **s))
            .map(|s| self.store.name(*s))
            .collect();
        if !missing.is_empty() {
            let list = missing
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(CliError::plain(format!(
                "the point gives no value for {list} (add it to --at)"
            )));
        }
        Ok(coords)
    }

    pub(super) fn report(&self, command: &str, vars: &[Sym]) -> Report {
        Report::new(self.format, command, &self.src, self.names(vars))
    }
}

fn read_source(expr: &str) -> Result<String, CliError> {
    if expr != "-" {
        return Ok(expr.to_string());
    }
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::plain(format!("cannot read standard input: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        CliError::Input {
            message: format!("standard input is not valid UTF-8 at byte {at}; input is ASCII"),
            span: Some((at, at + 1)),
            context: String::new(),
        }
    })
}

fn execute(cli: Cli, warnings: &mut Vec<String>) -> Result<String, CliError> {
    match cli.command {
        Command::Eval(a) => {
            let mut s = Session::load(&a.common)?;
            eval_cmd(&mut s, a.at.as_deref(), warnings)
        }
        Command::Simplify(a) => simplify_cmd(&Session::load(&a.common)?),
        Command::Diff(a) => {
            let mut s = Session::load(&a.common)?;
            diff_cmd(
                &mut s,
                &a.wrt,
                (a.order, a.max_order),
                a.at.as_deref(),
                warnings,
            )
        }
        Command::Grad(a) => derivative_cmd(Kind::Grad, &a, warnings),
        Command::Hessian(a) => derivative_cmd(Kind::Hessian, &a, warnings),
        Command::Jacobian(a) => derivative_cmd(Kind::Jacobian, &a, warnings),
        Command::Taylor(a) => {
            let mut s = Session::load(&a.common)?;
            let max_terms = a
                .max_terms
                .unwrap_or(crate::series::SeriesOptions::default().max_terms);
            super::output::taylor_cmd(
                &mut s, "taylor", &a.at, a.order, a.numeric, max_terms, warnings,
            )
        }
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
    let coords = match at {
        Some(text) => s.point(text, &vars)?,
        None if vars.is_empty() => Vec::new(),
        None => {
            let list = s.names(&vars).join(",");
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
    s.done(r)
}

fn simplify_cmd(s: &Session) -> Result<String, CliError> {
    s.check_output(&s.roots())?;
    let vars = s.free_vars();
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
    warnings: &mut Vec<String>,
) -> Result<String, CliError> {
    let f = s.scalar("diff")?;
    let names = parse_names("--wrt", wrt, true)?;
    let names = match order {
        Some(_) if names.len() > 1 => {
            use clap::CommandFactory;
            return Err(CliError::Usage(Cli::command().error(
                clap::error::ErrorKind::ArgumentConflict,
                "--order repeats the one variable of --wrt; with several --wrt variables, list them instead",
            )));
        }
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
    r.field("derivative", Value::String(text.clone()));
    r.text(text);
    r.tex(format!(
        "{} = {}",
        partial_tex(&mut s.store, &syms),
        latex(&s.store, df)
    ));
    if let Some(at) = at {
        let coords = s.point(at, &vars)?;
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

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Grad,
    Hessian,
    Jacobian,
}

fn derivative_cmd(
    kind: Kind,
    a: &GradArgs,
    warnings: &mut Vec<String>,
) -> Result<String, CliError> {
    let mut s = Session::load(&a.common)?;
    let (command, key) = match kind {
        Kind::Grad => ("grad", "gradient"),
        Kind::Hessian => ("hessian", "hessian"),
        Kind::Jacobian => ("jacobian", "jacobian"),
    };
    let vars = s.vars(a.vars.as_deref())?;
    let mut d = Differentiator::new(s.max_nodes);
    let err = |e: crate::diff::DiffError| CliError::plain(e.to_string());
    let roots = s.roots();
    let f = if kind == Kind::Jacobian {
        roots[0]
    } else {
        s.scalar(command)?
    };
    let matrix: Vec<Vec<ExprId>> = match kind {
        Kind::Grad => vec![d.gradient(&mut s.store, f, &vars).map_err(err)?],
        Kind::Hessian => d.hessian(&mut s.store, f, &vars).map_err(err)?,
        Kind::Jacobian => d.jacobian(&mut s.store, &roots, &vars).map_err(err)?,
    };
    let flat: Vec<ExprId> = matrix.iter().flatten().copied().collect();
    s.check_output(&flat)?;
    let mut r = s.report(command, &vars);
    let strings: Vec<Vec<String>> = matrix
        .iter()
        .map(|row| row.iter().map(|e| infix(&s.store, *e)).collect())
        .collect();
    let names = s.names(&vars);
    let values = match &a.at {
        Some(at) => {
            let free = s.free_vars();
            let coords = s.point(at, &free)?;
            kink_warnings(&s, &roots, &coords, warnings);
            let flat: Vec<ExprId> = matrix.iter().flatten().copied().collect();
            let vals = evaluate(&s, &flat, &coords, warnings);
            let cols = vars.len();
            let rows: Vec<Vec<f64>> = if cols == 0 {
                vec![vec![]; matrix.len()]
            } else {
                vals.chunks(cols).map(<[f64]>::to_vec).collect()
            };
            Some((rows, point_text(&coords)))
        }
        None => None,
    };
    let tex_rows: Vec<Vec<String>> = matrix
        .iter()
        .map(|row| row.iter().map(|e| latex(&s.store, *e)).collect())
        .collect();
    let head = match kind {
        Kind::Grad => "\\nabla f",
        Kind::Hessian => "H",
        Kind::Jacobian => "J",
    };
    r.tex(format!("{head} = {}", latex_matrix(&tex_rows)));
    if let (Some((rows, _)), Some(at)) = (&values, &a.at) {
        let coords = s.point(at, &[])?;
        let nums: Vec<Vec<String>> = rows
            .iter()
            .map(|row| row.iter().map(|v| number_text(*v)).collect())
            .collect();
        r.tex(format!(
            "{head}\\left({}\\right) = {}",
            point_tex(&mut s.store, &coords),
            latex_matrix(&nums)
        ));
    }
    if kind == Kind::Grad {
        r.field(key, json!(strings[0]));
        if let Some((rows, _)) = &values {
            r.field(
                "value",
                Value::Array(rows[0].iter().map(|v| number_json(*v)).collect()),
            );
        }
        for (i, n) in names.iter().enumerate() {
            let v = values.as_ref().map_or(String::new(), |(rows, _)| {
                format!(" = {}", number_text(rows[0][i]))
            });
            r.text(format!("df/d{n} = {}{v}", strings[0][i]));
        }
    } else {
        r.field(key, json!(strings));
        for row in &strings {
            r.text(format!("[{}]", row.join(", ")));
        }
        if let Some((rows, pt)) = &values {
            r.field(
                "value",
                Value::Array(
                    rows.iter()
                        .map(|row| Value::Array(row.iter().map(|v| number_json(*v)).collect()))
                        .collect(),
                ),
            );
            r.text(format!("at {pt}:"));
            for row in rows {
                r.text(format!(
                    "[{}]",
                    row.iter()
                        .map(|v| number_text(*v))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
    }
    s.done(r)
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
    number_text(c.float)
}

/// Evaluates `roots` at the point, warning about values outside the domain.
pub(super) fn evaluate(
    s: &Session,
    roots: &[ExprId],
    coords: &[Coord],
    warnings: &mut Vec<String>,
) -> Vec<f64> {
    let tape = crate::eval::Tape::new(&s.store, roots);
    let value = |sym: Sym| {
        coords
            .iter()
            .find(|c| c.sym == sym)
            .map_or(f64::NAN, |c| c.float)
    };
    let slots = tape.eval_slots(&value);
    let out = tape.roots_of(&slots);
    if out.iter().any(|v| !v.is_finite())
        && let Some(bad) = tape.first_nonfinite(&slots)
    {
        let v = slots[tape.ids().iter().position(|i| *i == bad).unwrap_or(0)];
        let at = if coords.is_empty() {
            String::new()
        } else {
            format!(" at {}", point_text(coords))
        };
        let why = if v.is_nan() {
            "the value is outside the domain"
        } else {
            "the value is outside the domain or beyond the float range"
        };
        warnings.push(format!(
            "`{}` is {}{at}: {why}",
            short(&s.store, bad),
            number_text(v),
        ));
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
                "min" | "max" => "the derivative is split equally between the tied arguments",
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
fn point_tex(store: &mut Store, coords: &[Coord]) -> String {
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
