//! The command line, a client of the library's front door: each command
//! is one file that reads its arguments, calls [`deriv::Session`] and
//! returns a [`report::Report`]; `render` formats it; [`run`] prints it.
//!
//! Nothing is printed until the whole result is ready, so an error never
//! leaves partial output on stdout.

#[cfg(target_os = "linux")]
pub mod alloc;
pub mod args;
pub mod capture;
mod clock;
mod derivs;
mod diff;
mod dispatch;
mod error;
mod eval;
mod input;
mod lines;
mod output;
mod points;
mod render;
mod report;
pub mod shell;
mod simplify;
#[cfg(target_os = "linux")]
pub mod small;
pub mod start;
mod stats;
mod taylor;
mod trace;

use std::process::ExitCode;
use std::time::Instant;

use args::Cli;
use clock::{Ctx, Phase};
use dispatch::execute;
use output::{print_warnings, report_error, write_out};
use report::Done;

/// Runs a command (`--repeat` times) and prints its result; returns the
/// exit code.
pub fn run(mut cli: Cli) -> ExitCode {
    let Some(format) = cli.command.common().map(|c| c.format) else {
        return ExitCode::SUCCESS;
    };
    if cli.command.common().is_some_and(|c| c.each_line) {
        return lines::run(&cli, format);
    }
    if let Err(e) = input::read_stdin(&mut cli) {
        return report_error(e, format);
    }
    if let Err(e) = points::cache_stdin(&mut cli) {
        return report_error(e, format);
    }
    let (timings, repeat) = cli
        .command
        .common()
        .map_or((false, 1), |c| (c.timings, c.repeat));
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
        last = Some((out, ctx.warnings, ctx.notes));
        if stop {
            break;
        }
    }
    let Some((out, warnings, notes)) = last else {
        return ExitCode::SUCCESS;
    };
    let code = match out {
        Ok((text, failed)) => {
            print_warnings(&warnings, &notes, format);
            write_out(&text, failed)
        }
        Err(e) => report_error(e, format),
    };
    if timings {
        eprintln!("{}", clock::timings_json(&runs));
    }
    code
}
