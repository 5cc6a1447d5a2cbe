//! The `deriv` binary: parse the command line, run it, exit.

use std::process::ExitCode;

use clap::Parser;
use deriv::cli::{Cli, run};

/// Stack for the worker thread: deep (but bounded) expressions are walked
/// recursively by the printer and the canonical order.
const STACK: usize = 256 << 20;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let worker = std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || run(cli));
    match worker.map(|h| h.join()) {
        Ok(Ok(code)) => code,
        Ok(Err(_)) => {
            eprintln!("deriv: error: internal error (a bug: please report it with the input)");
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("deriv: error: cannot start: {e}");
            ExitCode::from(1)
        }
    }
}
