#![doc = concat!(
    "Parsing: text to expression ids, the first stage of the pipeline.\n\n",
    "A nom parser of the language below (`grammar/deriv.ebnf`). Every node is ",
    "built through the [`Store`] constructors, so the result is canonical; names ",
    "assigned in a program are substituted by their values (the result stays a ",
    "DAG). The parser never panics and never overflows the stack on nesting ",
    "within [`ParseOptions::max_depth`]; bad input gives a [`ParseError`] with a ",
    "byte span.\n\n```text\n",
    include_str!("../../grammar/deriv.ebnf"),
    "\n```"
)]

mod error;
mod functions;
mod grammar;
#[cfg(test)]
pub(crate) mod testing;

pub use error::{ParseError, ParseErrorKind, Span};

use nom::combinator::all_consuming;
use nom::{Finish, Parser};

use crate::expr::{ExprId, Store, Sym};
use error::ascii_lookalike;
use grammar::Grammar;

/// Limits that keep hostile input cheap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParseOptions {
    /// Deepest nesting of parentheses, brackets, calls, unary signs and `^`
    /// chains (default 1000).
    pub max_depth: usize,
    /// Longest input in bytes (default 1,000,000).
    pub max_len: usize,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            max_depth: 1000,
            max_len: 1_000_000,
        }
    }
}

/// The final statement of a program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Output {
    /// One expression.
    Scalar(ExprId),
    /// A vector `[f1, f2, ...]` (for a Jacobian).
    Vector(Vec<ExprId>),
}

/// An assignment `name = value` of a program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    /// The assigned name.
    pub name: String,
    /// Its value, with earlier assigned names already substituted.
    pub value: ExprId,
    /// Where the statement is in the source.
    pub span: Span,
}

/// A parsed program: its assignments and its output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Program {
    /// The assignments, in order.
    pub statements: Vec<Statement>,
    /// The final expression or vector, with assigned names substituted.
    pub output: Output,
    /// The input variables the output uses as written, through assigned
    /// names too, in natural order: `y` in `x + y - y` although the
    /// canonical form cancels it. (Commands list and accept these.)
    pub inputs: Vec<Sym>,
    /// Float literals that are not 0 as written but underflow: to 0
    /// (`1e-400`) or to a subnormal float with fewer significant bits.
    pub underflows: Vec<Span>,
}

/// Parses a program: statements `name = expr` separated by `;` or newlines,
/// then a final expression or vector.
///
/// ```
/// # use deriv::{expr::Store, parse::{parse_program, Output, ParseOptions}};
/// let mut store = Store::new();
/// let program = parse_program(&mut store, "a = x^2; [a, 2a]", &ParseOptions::default())?;
/// assert_eq!(program.statements[0].name, "a");
/// assert!(matches!(program.output, Output::Vector(ref v) if v.len() == 2));
/// # Ok::<(), deriv::parse::ParseError>(())
/// ```
///
/// # Errors
/// A [`ParseError`] locating the first problem: bad syntax, a non-ASCII or
/// control character, an unknown function, a wrong number of arguments, an
/// assignment to a reserved or already used name, or input beyond the limits
/// of `opts`.
pub fn parse_program(
    store: &mut Store,
    src: &str,
    opts: &ParseOptions,
) -> Result<Program, ParseError> {
    check_text(src, opts)?;
    store.record_dropped(true);
    let grammar = Grammar::new(store, src, opts);
    let result = all_consuming(|i| grammar.program(i))
        .parse(src)
        .finish()
        .map(|(_, program)| program)
        .map_err(|e| e.into_error(src));
    drop(grammar);
    store.record_dropped(false);
    result
}

/// Parses a single scalar expression (no statements, no vector); newlines
/// count as blanks.
///
/// ```
/// # use deriv::{expr::{Constant, Store}, parse::{parse_expr, ParseOptions}};
/// let mut store = Store::new();
/// let id = parse_expr(&mut store, "pi/4", &ParseOptions::default())?;
/// let pi = store.constant(Constant::Pi);
/// let quarter = store.frac(1, 4);
/// assert_eq!(id, store.mul(&[quarter, pi]));
/// # Ok::<(), deriv::parse::ParseError>(())
/// ```
///
/// # Errors
/// As [`parse_program`]; an assignment or vector is an error too.
pub fn parse_expr(store: &mut Store, src: &str, opts: &ParseOptions) -> Result<ExprId, ParseError> {
    parse_scalar(store, src, opts).map(|(id, _)| id)
}

/// [`parse_expr`], with the spans of the float literals that underflow
/// (see [`Program::underflows`]).
pub(crate) fn parse_scalar(
    store: &mut Store,
    src: &str,
    opts: &ParseOptions,
) -> Result<(ExprId, Vec<Span>), ParseError> {
    check_text(src, opts)?;
    let grammar = Grammar::new(store, src, opts);
    let result = all_consuming(|i| grammar.scalar(i)).parse(src).finish();
    let id = result.map(|(_, id)| id).map_err(|e| e.into_error(src))?;
    Ok((id, grammar.underflows.take()))
}

/// Checks the length and the characters: ASCII only, and no control
/// characters but tab, newline and carriage return.
fn check_text(src: &str, opts: &ParseOptions) -> Result<(), ParseError> {
    if src.len() > opts.max_len {
        let kind = ParseErrorKind::TooLong {
            limit: opts.max_len,
        };
        return Err(ParseError {
            span: Span::new(0, 0),
            kind,
        });
    }
    let bad = |c: char| !c.is_ascii() || (c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r'));
    let Some((at, found)) = src.char_indices().find(|&(_, c)| bad(c)) else {
        return Ok(());
    };
    let kind = if found.is_ascii() {
        ParseErrorKind::ControlChar { found }
    } else {
        ParseErrorKind::NonAscii {
            found,
            suggestion: ascii_lookalike(found),
        }
    };
    Err(ParseError {
        span: Span::new(at, at + found.len_utf8()),
        kind,
    })
}
