//! The `deriv` binary: parse the command line, run it on the main thread
//! or on a worker thread with a stack to match the limits, exit. On Linux
//! the process start is deriv's own (`cli::start`).

#![cfg_attr(all(target_os = "linux", not(test)), no_main)]

mod cli;

use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use cli::args::{Cli, Command, Format};

/// Small blocks from free lists by size class, large blocks on mappings
/// of their own, kept for reuse when freed (`cli::alloc`); the rest the
/// system's.
#[cfg(all(target_os = "linux", not(test)))]
#[global_allocator]
static ALLOCATOR: cli::alloc::Allocator = cli::alloc::Allocator;

/// C's `main`: Rust's runtime start is left out (`cli::start`).
#[cfg(all(target_os = "linux", not(test)))]
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
extern "C" fn main(_argc: libc::c_int, _argv: *const *const libc::c_char) -> libc::c_int {
    cli::start::process(deriv)
}

#[cfg(any(not(target_os = "linux"), test))]
fn main() -> ExitCode {
    deriv()
}

fn deriv() -> ExitCode {
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let parsed = Cli::try_parse_one(&argv).map_or_else(|| Cli::try_parse_from(&argv), Ok);
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => return cli::shell::clap_exit(e),
    };
    if cli::shell::stdout_closed() {
        eprintln!("deriv: error: cannot write the result: standard output is closed");
        return ExitCode::from(1);
    }
    match &cli.command {
        Command::Completions(a) => return cli::shell::completions(a.shell),
        Command::Man => return cli::shell::man(),
        Command::Help(a) => return cli::shell::help(a),
        _ => {}
    }
    if let Some(code) = cli::shell::option_as_expr(&cli, &argv) {
        return code;
    }
    let json = cli
        .command
        .common()
        .is_some_and(|c| c.format == Format::Json);
    match start(cli, &argv) {
        Ok(code) => code,
        Err(e) if json => {
            let message = format!("{e:#}");
            eprintln!(
                "{}",
                serde_json::json!({ "error": { "message": message, "span": null } })
            );
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("deriv: error: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// Runs the command on the main thread where its stack holds the input
/// (`cli::start::fits_main_thread`), else on a thread whose stack grows
/// with the limits (the parser recurses on nesting); where the address
/// space cannot hold that stack, on a smaller one. A panic is reported as
/// an internal error.
fn start(cli: Cli, argv: &[std::ffi::OsString]) -> anyhow::Result<ExitCode> {
    let bug = || anyhow::anyhow!("internal error (a bug: please report it with the input)");
    if cli::start::fits_main_thread(&cli, argv) {
        return std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| cli::run(cli)))
            .map_err(|_| bug());
    }
    let wanted = cli.stack_size();
    let mut last = None;
    for size in [wanted, wanted.min(256 << 20), 64 << 20] {
        let args = cli.clone();
        match std::thread::Builder::new()
            .stack_size(size)
            .spawn(move || cli::run(args))
        {
            Ok(handle) => {
                return handle.join().map_err(|_| bug());
            }
            Err(e) => last = Some(e),
        }
    }
    Err(last.map_or_else(|| anyhow::anyhow!("no thread"), anyhow::Error::from))
        .context("cannot start a worker thread with a large enough stack")
}
