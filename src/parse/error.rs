//! Parse errors: what went wrong, where (byte span), and how to show it.

use thiserror::Error;

/// A byte range `start..end` in the source text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte (`start` for an empty span, e.g. at the end of input).
    pub end: usize,
}

impl Span {
    /// The span `start..end`.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
}

/// What a parse error is about. `Display` gives the message (see [`ParseError::message`]).
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ParseErrorKind {
    /// The input holds no expression (only blanks, separators or comments).
    #[error("empty input")]
    Empty,
    /// The input is longer than [`ParseOptions::max_len`](super::ParseOptions).
    #[error("input is longer than {limit} bytes")]
    TooLong {
        /// The limit in bytes.
        limit: usize,
    },
    /// Nesting deeper than [`ParseOptions::max_depth`](super::ParseOptions).
    #[error("expression is nested deeper than {limit} levels")]
    TooDeep {
        /// The limit.
        limit: usize,
    },
    /// A character outside ASCII; `suggestion` is the ASCII spelling of a look-alike.
    #[error("non-ASCII character `{found}`: {}", match suggestion {
        Some(s) => format!("write `{s}`"),
        None => "input must be ASCII".to_string(),
    })]
    NonAscii {
        /// The character.
        found: char,
        /// The ASCII spelling, for a look-alike such as `×` or `−`.
        suggestion: Option<&'static str>,
    },
    /// A control character (other than tab, newline, carriage return).
    #[error("control character {} is not allowed", found.escape_default())]
    ControlChar {
        /// The character.
        found: char,
    },
    /// An operand was expected (after an operator, `(`, `,`, `=` or at the start).
    #[error("expected an operand{}{}",
        after.as_ref().map(|a| format!(" after `{a}`")).unwrap_or_default(),
        found.as_ref().map(|f| format!(", found `{f}`")).unwrap_or_default())]
    ExpectedOperand {
        /// The token before the missing operand.
        after: Option<String>,
        /// The token found instead (`None` at the end of input).
        found: Option<String>,
    },
    /// Two operands in a row where implicit multiplication is not allowed (`u v`, `2 3`).
    #[error("expected an operator before `{found}`")]
    MissingOperator {
        /// The second operand's first token.
        found: String,
    },
    /// A `(` without its `)`; the error's span is the `(` itself.
    #[error("this `(` is not closed: expected `)` {}", match found {
        Some(f) => format!("before `{f}`"),
        None => "before the end of the input".to_string(),
    })]
    UnclosedParen {
        /// Where the `(` is.
        open: Span,
        /// The token where the `)` was expected (`None` at the end of input).
        found: Option<String>,
    },
    /// A `[` without its `]`.
    #[error("expected `,` or `]` to close the `[` at offset {}", open.start)]
    UnclosedBracket {
        /// Where the `[` is.
        open: Span,
    },
    /// Input left over after a complete expression or statement.
    #[error("unexpected `{found}`")]
    TrailingInput {
        /// The first leftover token.
        found: String,
    },
    /// A name followed by `(` that is not a function.
    #[error("unknown function `{name}`{}",
        suggestion.map(|s| format!(": did you mean `{s}`?")).unwrap_or_default())]
    UnknownFunction {
        /// The name.
        name: String,
        /// A function with a similar name.
        suggestion: Option<&'static str>,
    },
    /// A function name not followed by `(`.
    #[error("expected `(` after function `{name}`")]
    MissingCallParen {
        /// The function.
        name: String,
    },
    /// A call with the wrong number of arguments.
    #[error("`{name}` takes {expected}, found {found}")]
    WrongArity {
        /// The function.
        name: String,
        /// The expected count, in words (`1 argument`, `2 or more arguments`).
        expected: &'static str,
        /// The number of arguments given.
        found: usize,
    },
    /// A float literal too large for `f64`.
    #[error("number `{0}` is out of range")]
    NumberOutOfRange(String),
    /// An integer literal larger than the store's bound on exact numbers.
    #[error(
        "integer literal of {digits} digits is over the limit of {limit} bits \
         (about {} digits)", limit * 30103 / 100_000
    )]
    IntegerTooLarge {
        /// Significant digits of the literal.
        digits: usize,
        /// The bound in bits.
        limit: u64,
    },
    /// An assignment to a function or constant name.
    #[error("cannot assign to {what} `{name}`")]
    AssignToReserved {
        /// The name.
        name: String,
        /// `function` or `constant`.
        what: &'static str,
    },
    /// An assignment to a name that was used before as an input variable.
    #[error("`{0}` is assigned after being used as an input variable")]
    AssignToInput(String),
    /// A second assignment to the same name.
    #[error("`{0}` is assigned twice")]
    Reassigned(String),
    /// Statements without a final expression.
    #[error("expected a final expression after the assignments")]
    MissingOutput,
    /// A bare expression that is not the last statement.
    #[error("only the last statement can be a bare expression: write `name = ...`")]
    ExpressionNotLast,
    /// A vector anywhere but as the whole final output.
    #[error("a vector `[...]` is allowed only as the whole final output")]
    VectorNotAllowed,
}

/// A parse error: what, and where in the source.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("{kind}")]
pub struct ParseError {
    /// Byte span of the offending text (empty at the end of input).
    pub span: Span,
    /// What is wrong.
    pub kind: ParseErrorKind,
}

impl ParseError {
    /// The message: lower case, no trailing period, tokens in backquotes.
    ///
    /// ```
    /// # use deriv::{expr::Store, parse::{parse_expr, ParseOptions}};
    /// let err = parse_expr(&mut Store::new(), "x +", &ParseOptions::default()).unwrap_err();
    /// assert_eq!(err.message(), "expected an operand after `+`");
    /// ```
    pub fn message(&self) -> String {
        self.kind.to_string()
    }

    /// The message, the line of `src` holding the error and a caret under it:
    ///
    /// ```text
    /// error: expected an operand after `+`
    ///   x + * y
    ///       ^
    /// ```
    ///
    /// In a source of several lines, a line `--> line L, column C` comes
    /// before the excerpt.
    pub fn render(&self, src: &str) -> String {
        let (line, column, width) = caret_line(src, self.span);
        let location = if src.trim_end().contains('\n') {
            let (l, c) = self.line_column(src);
            format!("  --> line {l}, column {c}\n")
        } else {
            String::new()
        };
        format!(
            "error: {}\n{location}  {line}\n  {}{}\n",
            self.message(),
            " ".repeat(column),
            "^".repeat(width.max(1))
        )
    }

    /// The line and column (both from 1; the column in characters) where
    /// the error starts in `src`.
    ///
    /// ```
    /// # use deriv::{expr::Store, parse::{parse_program, ParseOptions}};
    /// let src = "a = x^2\nb = a +\n";
    /// let err = parse_program(&mut Store::new(), src, &ParseOptions::default()).unwrap_err();
    /// assert_eq!(err.line_column(src), (2, 8));
    /// ```
    pub fn line_column(&self, src: &str) -> (usize, usize) {
        let start = floor_char_boundary(src, self.span.start.min(src.len()));
        let before = &src[..start];
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |p| p + 1);
        (line, src[line_start..start].chars().count() + 1)
    }
}

/// Widest excerpt of a line shown by `render`, in characters.
const WINDOW: usize = 100;

/// The printable line holding `span.start`, the caret's character column in it
/// and the caret's width (characters of the span on that line). Only the
/// excerpt shown is copied: a 1.5 GB line costs a scan, not a copy.
fn caret_line(src: &str, span: Span) -> (String, usize, usize) {
    let start = floor_char_boundary(src, span.start.min(src.len()));
    let line_start = src[..start].rfind('\n').map_or(0, |p| p + 1);
    let line_end = src[start..].find('\n').map_or(src.len(), |p| start + p);
    let end = floor_char_boundary(src, span.end.clamp(start, line_end.max(start)));
    let column = src[line_start..start].chars().count();
    let width = src[start..end].chars().take(WINDOW).count();
    let first = column.saturating_sub(WINDOW / 2);
    let mut rest = src[line_start..line_end].chars().skip(first);
    let mut line: String = rest.by_ref().take(WINDOW).map(printable).collect();
    let mut column = column - first;
    if first > 0 {
        line.insert_str(0, "...");
        column += 3;
    }
    if rest.next().is_some() {
        line.push_str("...");
    }
    (line, column, width)
}

/// A character as shown in a rendered line: one column per character.
fn printable(c: char) -> char {
    match c {
        '\t' | '\r' => ' ',
        c if c.is_control() => char::REPLACEMENT_CHARACTER,
        c => c,
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The ASCII spelling of a non-ASCII look-alike.
pub(crate) fn ascii_lookalike(c: char) -> Option<&'static str> {
    Some(match c {
        '×' | '·' | '∙' | '⋅' | '∗' => "*",
        '−' | '–' | '—' | '‐' | '‑' => "-",
        '²' => "^2",
        '³' => "^3",
        '÷' | '∕' => "/",
        '√' => "sqrt(",
        'π' => "pi",
        '\u{a0}' | '\u{2009}' | '\u{202f}' => " ",
        '（' => "(",
        '）' => ")",
        _ => return None,
    })
}

/// A function name close to `name` (same letters ignoring case, or one edit away).
pub(crate) fn suggest_function(name: &str, functions: &[&'static str]) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    if let Some(f) = functions.iter().find(|f| **f == lower) {
        return Some(f);
    }
    let limit = match name.len() {
        0..=2 => return None,
        3..=5 => 1,
        _ => 2,
    };
    functions
        .iter()
        .map(|f| (edit_distance(&lower, f), *f))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, f)| f)
}

/// Levenshtein distance on bytes.
fn edit_distance(a: &str, b: &str) -> usize {
    let b = b.as_bytes();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.bytes().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let next = (diagonal + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// The nom error type: where (the remaining input) and, once known, what.
#[derive(Debug)]
pub(crate) struct Located<'s> {
    /// The input at the error.
    pub input: &'s str,
    /// Length of the offending text in bytes.
    pub len: usize,
    /// What is wrong; `None` for a bare nom error not yet labelled.
    pub kind: Option<ParseErrorKind>,
}

impl<'s> Located<'s> {
    /// An error of `kind` at `input`, covering `len` bytes.
    pub fn new(input: &'s str, len: usize, kind: ParseErrorKind) -> Located<'s> {
        Located {
            input,
            len,
            kind: Some(kind),
        }
    }

    /// The public error, with offsets into `src` (of which `input` is a suffix).
    pub fn into_error(self, src: &str) -> ParseError {
        let start = src.len().saturating_sub(self.input.len());
        let found = token(self.input);
        let kind = self.kind.unwrap_or_else(|| match found {
            Some(t) => ParseErrorKind::TrailingInput {
                found: t.to_string(),
            },
            None => ParseErrorKind::ExpectedOperand {
                after: None,
                found: None,
            },
        });
        let len = if self.len == 0 {
            found.map_or(0, str::len)
        } else {
            self.len
        };
        ParseError {
            span: Span::new(start, start + len),
            kind,
        }
    }
}

impl<'s> nom::error::ParseError<&'s str> for Located<'s> {
    fn from_error_kind(input: &'s str, _: nom::error::ErrorKind) -> Self {
        Located {
            input,
            len: 0,
            kind: None,
        }
    }

    fn append(_: &'s str, _: nom::error::ErrorKind, other: Self) -> Self {
        other
    }
}

/// The token at the start of `input` (a name, a number, or one character).
pub(crate) fn token(input: &str) -> Option<&str> {
    let c = input.chars().next()?;
    let len = if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
        let word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.';
        input.find(|c| !word(c)).unwrap_or(input.len())
    } else {
        c.len_utf8()
    };
    Some(&input[..len])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(start: usize, end: usize) -> ParseError {
        ParseError {
            span: Span::new(start, end),
            kind: ParseErrorKind::Empty,
        }
    }

    #[test]
    fn render_puts_the_caret_under_the_character_column() {
        assert_eq!(
            err(4, 5).render("x + * y"),
            "error: empty input\n  x + * y\n      ^\n"
        );
        assert_eq!(
            err(7, 9).render("t\u{d7}u + \u{d7}"),
            "error: empty input\n  t×u + ×\n        ^\n"
        );
    }

    #[test]
    fn render_shows_the_line_holding_the_error() {
        assert_eq!(
            err(9, 10).render("a = 1\nb = \n"),
            "error: empty input\n  --> line 2, column 4\n  b = \n     ^\n"
        );
        assert_eq!(
            err(3, 3).render("t +"),
            "error: empty input\n  t +\n     ^\n"
        );
    }

    #[test]
    fn render_clips_long_lines() {
        let src = "x".repeat(1000);
        let out = err(500, 501).render(&src);
        assert!(out.lines().nth(1).is_some_and(|l| l.len() < 120), "{out}");
    }

    #[test]
    fn suggestions() {
        let fs = ["cos", "cosh", "sin", "exp"];
        assert_eq!(suggest_function("Cos", &fs), Some("cos"));
        assert_eq!(suggest_function("coss", &fs), Some("cos"));
        assert_eq!(suggest_function("x", &fs), None);
        assert_eq!(suggest_function("bar", &fs), None);
    }
}
