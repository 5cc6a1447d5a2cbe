//! Printing a finished job: the result on stdout, warnings and errors on
//! stderr, in the format asked for, and the exit code.

use std::io::Write;
use std::process::ExitCode;

use deriv::Warning;
use serde_json::{Value, json};

use super::args::Format;
use super::error::CliError;

pub fn write_out(text: &str, failed: bool) -> ExitCode {
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

pub fn report_error(e: CliError, format: Format) -> ExitCode {
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
pub fn print_warnings(warnings: &[Warning], notes: &[String], format: Format) {
    let mut seen = std::collections::HashSet::new();
    let texts = warnings
        .iter()
        .map(ToString::to_string)
        .chain(notes.iter().cloned());
    for w in texts {
        if !seen.insert(w.clone()) {
            continue;
        }
        match format {
            Format::Json => eprintln!("{}", json!({ "warning": { "message": w } })),
            _ => eprintln!("deriv: warning: {w}"),
        }
    }
}
