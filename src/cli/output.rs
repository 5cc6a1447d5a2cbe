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
            location,
        } => {
            match format {
                Format::Json => {
                    eprintln!("{}", error_json(&message, span, location));
                }
                _ if context.is_empty() => eprintln!("deriv: error: {message}"),
                _ => eprintln!("deriv: error: {message}\n{context}"),
            }
            ExitCode::from(1)
        }
    }
}

/// The JSON error object: `{"error": {"message", "span", "line", "column"}}`
/// (`line` and `column` from 1, where the error is located in EXPR).
pub fn error_json(
    message: &str,
    span: Option<(usize, usize)>,
    location: Option<(usize, usize)>,
) -> Value {
    let span = span.map_or(Value::Null, |(s, e)| json!([s, e]));
    let mut error = json!({ "message": message, "span": span });
    if let Some((line, column)) = location {
        error["line"] = json!(line);
        error["column"] = json!(column);
    }
    json!({ "error": error })
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
