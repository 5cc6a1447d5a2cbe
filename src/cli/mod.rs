//! The command line, a client of the library's front door: each command
//! is one file that reads its arguments, calls [`deriv::Session`] and
//! returns a [`report::Report`]; `render` formats it; [`run`] prints it.
//!
//! Nothing is printed until the whole result is ready, so an error never
//! leaves partial output on stdout.

pub mod args;
mod clock;
mod derivs;
mod diff;
mod error;
mod eval;
mod input;
mod points;
mod render;
mod report;
mod simplify;
mod stats;
mod taylor;
mod trace;

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use deriv::Warning;
use serde_json::{Value, json};

use args::{Cli, Command, Format};
use clock::{Ctx, Phase};
use error::CliError;
use report::Done;

/// Runs a command (`--repeat` times) and prints its result; returns the
/// exit code.
pub fn run(mut cli: Cli) -> ExitCode {
    let format = cli.command.common().format;
    if let Err(e) = input::read_stdin(&mut cli) {
        return report_error(e, format);
    }
    if let Err(e) = points::cache_stdin(&mut cli) {
        return report_error(e, format);
    }
    let c = cli.command.common();
    let (timings, repeat) = (c.timings, c.repeat);
    let mut runs = Vec::new();
    let mut last = None;
    for _ in 0..repeat {
        let start = Instant::now();
        // a repetition before the last writes its streamed rows nowhere
        let mut ctx = Ctx {
            quiet: runs.len() + 1 < repeat as usize,
            ..Ctx::default()
        };
        let out = execute(&cli, &mut ctx).map(|Done { mut input, report }| {
            let text = if report.streamed {
                String::new()
            } else {
                ctx.clock.time(Phase::Output, || {
                    render::render(&report, &mut input.s, format)
                })
            };
            (text, report.failed)
        });
        runs.push((ctx.clock, start.elapsed()));
        let stop = out.is_err();
        last = Some((out, ctx.warnings));
        if stop {
            break;
        }
    }
    let Some((out, warnings)) = last else {
        return ExitCode::SUCCESS;
    };
    let code = match out {
        Ok((text, failed)) => {
            print_warnings(&warnings, format);
            write_out(&text, failed)
        }
        Err(e) => report_error(e, format),
    };
    if timings {
        eprintln!("{}", clock::timings_json(&runs));
    }
    code
}

fn write_out(text: &str, failed: bool) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
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

fn report_error(e: CliError, format: Format) -> ExitCode {
    match e {
        CliError::Usage(e) => {
            let _ = e.print();
            ExitCode::from(2)
        }
        CliError::Input {
            message,
            span,
            context,
        } => {
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
            _ => eprintln!("deriv: warning: {w}"),
        }
    }
}

fn execute(cli: &Cli, ctx: &mut Ctx) -> Result<Done, CliError> {
    render::code::refuse(&cli.command)?;
    match &cli.command {
        Command::Eval(a) => eval::run(a, ctx),
        Command::Simplify(a) => simplify::run(a, ctx),
        Command::Diff(a) => diff::run(a, ctx),
        Command::Grad(a) => derivs::run(report::Kind::Grad, a, ctx),
        Command::Hessian(a) => derivs::run(report::Kind::Hessian, a, ctx),
        Command::Jacobian(a) => derivs::run(report::Kind::Jacobian, a, ctx),
        Command::Taylor(a) => taylor::run(
            &a.common,
            ("taylor", &a.at, a.order, a.numeric),
            (a.max_terms, &a.batch),
            ctx,
        ),
        Command::Linearize(a) => {
            let batch = (None, &a.batch);
            taylor::run(&a.common, ("linearize", &a.at, 1, a.numeric), batch, ctx)
        }
        Command::Stats(a) => stats::run(a, ctx),
        Command::Trace(a) => trace::run(a, ctx),
    }
}
