//! The command line, a client of the library's front door: each command
//! is one file that reads its arguments, calls [`deriv::Session`] and
//! returns a [`report::Report`]; `render` formats it; [`run`] prints it.
//!
//! Nothing is printed until the whole result is ready, so an error never
//! leaves partial output on stdout.

pub mod args;
mod derivs;
mod diff;
mod error;
mod eval;
mod input;
mod render;
mod report;
mod simplify;
mod stats;
mod taylor;
mod trace;

use std::io::Write;
use std::process::ExitCode;

use deriv::Warning;
use serde_json::{Value, json};

use args::{Cli, Command, Format};
use error::CliError;
use report::Done;

/// Runs a command and prints its result; returns the exit code.
pub fn run(cli: Cli) -> ExitCode {
    let format = cli.command.common().format;
    let mut warnings = Vec::new();
    match execute(cli, &mut warnings) {
        Ok(Done { mut input, report }) => {
            let out = render::render(&report, &mut input.s, format);
            print_warnings(&warnings, format);
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(out.as_bytes())
                .and_then(|()| stdout.flush())
            {
                Ok(()) if report.failed => ExitCode::from(1),
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

/// Each distinct warning once, in order.
fn print_warnings(warnings: &[Warning], format: Format) {
    let mut seen = std::collections::HashSet::new();
    for w in warnings {
        let w = w.to_string();
        if !seen.insert(w.clone()) {
            continue;
        }
        match format {
            Format::Json => eprintln!("{}", json!({ "warning": { "message": w } })),
            Format::Text | Format::Latex => eprintln!("deriv: warning: {w}"),
        }
    }
}

fn execute(cli: Cli, warnings: &mut Vec<Warning>) -> Result<Done, CliError> {
    match cli.command {
        Command::Eval(a) => eval::run(&a, warnings),
        Command::Simplify(a) => simplify::run(&a),
        Command::Diff(a) => diff::run(&a, warnings),
        Command::Grad(a) => derivs::run(report::Kind::Grad, &a, warnings),
        Command::Hessian(a) => derivs::run(report::Kind::Hessian, &a, warnings),
        Command::Jacobian(a) => derivs::run(report::Kind::Jacobian, &a, warnings),
        Command::Taylor(a) => taylor::run(
            &a.common,
            ("taylor", &a.at, a.order, a.numeric),
            a.max_terms,
            warnings,
        ),
        Command::Linearize(a) => taylor::run(
            &a.common,
            ("linearize", &a.at, 1, a.numeric),
            None,
            warnings,
        ),
        Command::Stats(a) => stats::run(&a),
        Command::Trace(a) => trace::run(&a, warnings),
    }
}
