//! The `deriv` binary: parse the command line, run it, exit.

mod cli;

use std::process::ExitCode;

use clap::Parser;
use cli::args::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // deep (but bounded, --max-graph-depth) expressions are walked
    // recursively by the printers: the stack grows with the bound
    let worker = std::thread::Builder::new()
        .stack_size(cli.stack_size())
        .spawn(move || cli::run(cli));
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
