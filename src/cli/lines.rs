//! `--each-line`: EXPR names a file (or `-`, standard input) of
//! expressions, one per line; each gives exactly one output line, in order,
//! written as soon as it is computed. A bad line gives its error in the
//! same stream (JSON: `{"error": {...}, "line": N, "input": "..."}`); the
//! others go on, and the exit status is 1 at the end if any line failed.
//! A shared `--at` may name variables that a line does not have.

use std::io::{BufRead, BufReader, Write};
use std::process::ExitCode;

use serde_json::json;

use super::args::{Cli, Command, Format};
use super::clock::Ctx;
use super::dispatch::execute;
use super::error::CliError;
use super::output::print_warnings;
use super::render;
use super::report::Done;

/// Runs `cli` once per line of its EXPR file.
pub fn run(cli: &Cli, format: Format) -> ExitCode {
    let Some(c) = cli.command.common() else {
        return ExitCode::SUCCESS;
    };
    let reader: Box<dyn BufRead> = if c.expr == "-" {
        Box::new(BufReader::new(std::io::stdin().lock()))
    } else {
        match std::fs::File::open(&c.expr) {
            Ok(f) => Box::new(BufReader::new(f)),
            Err(e) => {
                eprintln!("deriv: error: cannot read {}: {e}", c.expr);
                return ExitCode::from(1);
            }
        }
    };
    let mut failed = false;
    let mut stdout = std::io::stdout().lock();
    for (n, line) in reader.lines().enumerate() {
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                eprintln!("deriv: error: cannot read line {}: {e}", n + 1);
                return ExitCode::from(1);
            }
        };
        let (text, ok) = one(cli, &line, n + 1, format);
        failed |= !ok;
        let written = stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.write_all(b"\n"))
            .and_then(|()| stdout.flush());
        if let Err(e) = written {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return ExitCode::SUCCESS;
            }
            eprintln!("deriv: error: cannot write the result: {e}");
            return ExitCode::from(1);
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// One line's output line, and whether it succeeded.
pub(super) fn one(cli: &Cli, line: &str, n: usize, format: Format) -> (String, bool) {
    let mut cli = cli.clone();
    if let Some(c) = cli.command.common_mut() {
        c.expr = line.to_string();
        c.stdin = None;
    }
    restrict_point(&mut cli, line);
    let mut ctx = Ctx::default();
    match execute(&cli, &mut ctx) {
        Ok(Done { mut input, report }) => {
            print_warnings(&ctx.warnings, &ctx.notes, format);
            let out = render::render(&report, &mut input.s, format);
            (out.trim_end().replace('\n', "; "), !report.failed)
        }
        Err(e) => (error_line(e, line, n, format), false),
    }
}

fn error_line(e: CliError, line: &str, n: usize, format: Format) -> String {
    let (message, span) = match e {
        CliError::Input { message, span, .. } => (message, span),
        CliError::Usage(e) => (e.to_string().lines().next().unwrap_or("").to_string(), None),
    };
    match format {
        Format::Json => {
            let mut out = super::output::error_json(&message, span, None);
            out["line"] = json!(n);
            out["input"] = json!(line);
            out.to_string()
        }
        _ => format!("error: line {n}: {message}"),
    }
}

/// Drops from `--at` the names that are not variables of `line`, so that
/// one point can serve lines with different variables.
fn restrict_point(cli: &mut Cli, line: &str) {
    let Some(text) = at_text(&cli.command) else {
        return;
    };
    let mut s = deriv::Session::new();
    let (Ok(f), Ok(point)) = (s.parse(line), s.point(&text)) else {
        return;
    };
    let vars: rustc_hash::FxHashSet<_> = s.variables(&f).into_iter().collect();
    let kept: Vec<String> = point
        .coords()
        .iter()
        .filter(|c| vars.contains(&c.sym))
        .map(|c| format!("{}={}", c.name, c.text))
        .collect();
    let kept = (!kept.is_empty()).then(|| kept.join(","));
    match &mut cli.command {
        Command::Eval(a) => a.at = kept,
        Command::Diff(a) => a.at = kept,
        Command::Grad(a) | Command::Hessian(a) | Command::Jacobian(a) => a.at = kept,
        Command::Taylor(a) => a.at = kept.unwrap_or_default(),
        Command::Linearize(a) => a.at = kept.unwrap_or_default(),
        Command::Trace(a) => a.at = kept.unwrap_or_default(),
        _ => {}
    }
}

fn at_text(c: &Command) -> Option<String> {
    match c {
        Command::Eval(a) => a.at.clone(),
        Command::Diff(a) => a.at.clone(),
        Command::Grad(a) | Command::Hessian(a) | Command::Jacobian(a) => a.at.clone(),
        Command::Taylor(a) => Some(a.at.clone()),
        Command::Linearize(a) => Some(a.at.clone()),
        Command::Trace(a) => Some(a.at.clone()),
        _ => None,
    }
}
