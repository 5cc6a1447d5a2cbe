//! [`run`](super::run) without the terminal, for the fuzzer
//! (`fuzz/fuzz_targets/cli.rs`): standard input is given as bytes, and the
//! output comes back as text instead of being printed.
#![allow(dead_code)] // the binary does not call it

use super::args::{Cli, Format};
use super::clock::Ctx;
use super::dispatch::execute;
use super::error::CliError;
use super::report::Done;
use super::{input, lines, render};

/// What one run would print: the result (stdout) or the error, and the
/// warnings and notes (stderr).
pub struct Captured {
    /// The rendered result, or the error's message.
    pub out: Result<String, String>,
    /// Warnings and notes, as text.
    pub warnings: Vec<String>,
}

/// Runs `cli` with `stdin` as standard input (EXPR `-`, `--points -`,
/// `--each-line` of `-`); `--points` rows are computed and written nowhere.
pub fn run(mut cli: Cli, stdin: &[u8]) -> Captured {
    let Some(c) = cli.command.common_mut() else {
        return fail(CliError::plain("not a computation"));
    };
    let (format, lines) = (c.format, c.each_line);
    let mut rest = stdin;
    if c.expr == "-" && !lines {
        match input::read_all(rest, c.max_input) {
            Ok(text) => c.stdin = Some(text),
            Err(e) => return fail(e),
        }
        rest = &[];
    }
    // what EXPR (or `--each-line`) left of standard input; never the terminal
    if let Some(b) = cli.command.batch_mut()
        && b.points.as_deref() == Some("-")
    {
        let rest = if lines { &[] } else { rest };
        b.stdin = Some(std::sync::Arc::new(rest.to_vec()));
    }
    if lines {
        return each_line(&cli, stdin, format);
    }
    let mut ctx = Ctx {
        quiet: true,
        ..Ctx::default()
    };
    let out = execute(&cli, &mut ctx).map(|Done { mut input, report }| {
        if report.streamed {
            String::new()
        } else {
            render::render(&report, &mut input.s, format)
        }
    });
    let mut warnings: Vec<String> = ctx.warnings.iter().map(ToString::to_string).collect();
    warnings.extend(ctx.notes);
    Captured {
        out: out.map_err(message),
        warnings,
    }
}

fn each_line(cli: &Cli, stdin: &[u8], format: Format) -> Captured {
    let Ok(text) = std::str::from_utf8(stdin) else {
        return fail(CliError::plain("standard input is not valid UTF-8"));
    };
    let out = text
        .lines()
        .enumerate()
        .map(|(n, line)| lines::one(cli, line, n + 1, format).0 + "\n")
        .collect();
    Captured {
        out: Ok(out),
        warnings: Vec::new(),
    }
}

fn fail(e: CliError) -> Captured {
    Captured {
        out: Err(message(e)),
        warnings: Vec::new(),
    }
}

fn message(e: CliError) -> String {
    match e {
        CliError::Input { message, .. } => message,
        CliError::Usage(e) => e.to_string(),
    }
}
