//! The shared renderer: a [`Report`] as one JSON object on one line,
//! readable text, or LaTeX; numbers and points formatted one way everywhere.

pub mod code;
mod format;
mod json;
mod latex;
mod text;
mod trace;

pub use format::{number_json, number_text};

use deriv::Session;

use super::args::Format;
use super::report::Report;

/// The report in `format`, ending in a newline.
pub fn render(r: &Report, s: &mut Session, format: Format) -> String {
    match format {
        Format::Json => format!("{}\n", json::render(r, s)),
        Format::Text => lines(text::render(r, s)),
        Format::Latex => lines(latex::render(r, s)),
        Format::Python | Format::Numpy | Format::C | Format::Rust => code::render(r, s, format),
    }
}

fn lines(ls: Vec<String>) -> String {
    let mut out = ls.join("\n");
    out.push('\n');
    out
}
