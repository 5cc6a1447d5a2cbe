//! The `deriv` binary: parse the command line, run it on a worker thread
//! with a stack to match the limits, exit.

mod cli;

use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use cli::args::{Cli, Command, Format};

fn main() -> ExitCode {
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
    match start(cli) {
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

/// Runs the command on a thread whose stack grows with the limits (deep,
/// but bounded, expressions are walked recursively by the printers);
/// where the address space cannot hold that stack, on a smaller one.
fn start(cli: Cli) -> anyhow::Result<ExitCode> {
    let wanted = cli.stack_size();
    let mut last = None;
    for size in [wanted, wanted.min(256 << 20), 64 << 20] {
        let args = cli.clone();
        match std::thread::Builder::new()
            .stack_size(size)
            .spawn(move || cli::run(args))
        {
            Ok(handle) => {
                return handle.join().map_err(|_| {
                    anyhow::anyhow!("internal error (a bug: please report it with the input)")
                });
            }
            Err(e) => last = Some(e),
        }
    }
    Err(last.map_or_else(|| anyhow::anyhow!("no thread"), anyhow::Error::from))
        .context("cannot start a worker thread with a large enough stack")
}
