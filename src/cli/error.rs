//! Errors as the command line reports them: bad input (exit 1, located
//! with a caret where it can be) or a malformed command line (exit 2,
//! clap's message). The library's errors become these here, and a limit
//! error gets the option that raises it.

use deriv::{Error, Limit};

use super::args::Cli;

/// An error to report.
#[derive(Debug)]
pub enum CliError {
    /// Bad input: a message, the byte span in EXPR (if it is located
    /// there) and the text form with a caret line.
    Input {
        /// What went wrong.
        message: String,
        /// Byte span in the input expression.
        span: Option<(usize, usize)>,
        /// Lines showing where (input and caret), possibly empty.
        context: String,
        /// Line and column (from 1) in EXPR, where the span is there.
        location: Option<(usize, usize)>,
    },
    /// A usage error, reported by clap.
    Usage(clap::Error),
}

/// The option that raises a limit.
pub fn limit_flag(limit: Limit) -> &'static str {
    match limit {
        Limit::Input => "--max-input",
        Limit::Depth => "--max-depth",
        Limit::ExactBits => "--max-exact-bits",
        Limit::GraphDepth => "--max-graph-depth",
        Limit::GraphSize => "--max-graph-size",
        Limit::Nodes => "--max-nodes",
        Limit::Terms => "--max-terms",
        Limit::Order => "--max-order",
        Limit::Output => "--max-output",
        _ => "the matching --max-* option",
    }
}

impl CliError {
    /// An error located in the text of an option such as `--at`.
    pub fn at_option(
        option: &str,
        text: &str,
        message: String,
        start: usize,
        end: usize,
    ) -> CliError {
        let prefix = format!("{option} ");
        let col = text
            .get(..start.min(text.len()))
            .map_or(start, |s| s.chars().count());
        let width = text
            .get(start.min(text.len())..end.min(text.len()))
            .map_or(1, |s| s.chars().count().max(1));
        let context = format!(
            "  {prefix}{text}\n  {}{}",
            " ".repeat(prefix.len() + col),
            "^".repeat(width)
        );
        CliError::Input {
            message,
            span: None,
            context,
            location: None,
        }
    }

    /// An error not located in any text.
    pub fn plain(message: impl Into<String>) -> CliError {
        CliError::Input {
            message: message.into(),
            span: None,
            context: String::new(),
            location: None,
        }
    }

    /// A library error about EXPR (`src`), or about the text of `option`
    /// (`--at`, `--vars`, `--wrt`), worded for the command line.
    pub fn from_lib(e: Error, src: &str, option: Option<(&str, &str)>) -> CliError {
        match (e, option) {
            (Error::Parse(p), _) => {
                let limit = Error::Parse(p.clone()).limit();
                let rendered = p.render(src);
                // render() starts with "error: <message>"; keep the lines below it
                let context = rendered.lines().skip(1).collect::<Vec<_>>().join("\n");
                let message = match limit {
                    Some((limit, _)) => {
                        format!(
                            "{}; raise the limit with {}",
                            p.message(),
                            limit_flag(limit)
                        )
                    }
                    None => p.message(),
                };
                CliError::Input {
                    message,
                    span: Some((p.span.start, p.span.end)),
                    context,
                    location: Some(p.line_column(src)),
                }
            }
            (
                Error::Point {
                    message,
                    span: Some(span),
                },
                Some((opt, text)),
            )
            | (Error::Names { message, span }, Some((opt, text))) => {
                CliError::at_option(opt, text, message, span.start, span.end)
            }
            (e @ Error::MissingValues { .. }, _) => {
                CliError::plain(format!("{e} (add it to --at)"))
            }
            (e, _) => match e.limit() {
                Some((limit, _)) => {
                    CliError::plain(format!("{e}; raise the limit with {}", limit_flag(limit)))
                }
                None => CliError::plain(e.to_string()),
            },
        }
    }

    /// Adds a hint to the message.
    pub fn hint(self, hint: &str) -> CliError {
        match self {
            CliError::Input {
                message,
                span,
                context,
                location,
            } => CliError::Input {
                message: format!("{message}; {hint}"),
                span,
                context,
                location,
            },
            e => e,
        }
    }
}

/// A usage error (exit 2) in clap's format, with the subcommand's usage line.
pub fn usage_error(subcommand: &str, msg: &str) -> CliError {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    cmd.build();
    let kind = clap::error::ErrorKind::ArgumentConflict;
    let err = match cmd.find_subcommand_mut(subcommand) {
        Some(sub) => sub
            .clone()
            .bin_name(format!("deriv {subcommand}"))
            .error(kind, msg),
        None => cmd.error(kind, msg),
    };
    CliError::Usage(err)
}
