//! One parser function per production of `grammar/deriv.ebnf`, named after it
//! and documented with it. Tokens are read with nom combinators; the
//! left-associative loops and the right-associative power chain are loops, so
//! only parentheses, brackets and calls recurse, and every level of nesting
//! (those three, unary signs and `^`) is counted against
//! [`ParseOptions::max_depth`].

use std::cell::{Cell, RefCell};

use nom::branch::alt;
use nom::bytes::complete::{tag, take_while};
use nom::character::complete::{char, digit1, one_of, satisfy};
use nom::combinator::{cut, opt};
use nom::{IResult, Parser};
use rustc_hash::{FxHashMap, FxHashSet};
use smallvec::SmallVec;

use super::ParseOptions;
use super::error::{Located, ParseErrorKind, Span, token};
use crate::expr::{ExprId, Store, Sym};

mod atoms;
mod program;

/// The result of a production: the rest of the input and the value, or a located error.
pub(super) type Res<'s, T> = IResult<&'s str, T, Located<'s>>;

/// The last token of an operand: implicit multiplication may follow a number
/// or a `)`, never a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum End {
    Number,
    Close,
    Name,
}

/// Parser state: the store nodes are built in, the nesting depth, the
/// assigned names of a program and the names already used as inputs.
pub(super) struct Grammar<'s> {
    src: &'s str,
    store: RefCell<&'s mut Store>,
    opts: &'s ParseOptions,
    depth: Cell<usize>,
    brackets: Cell<usize>,
    assigned: RefCell<FxHashMap<&'s str, ExprId>>,
    inputs: RefCell<FxHashSet<&'s str>>,
    /// What the statement or output being parsed uses as written, before
    /// any cancellation: input variables, and assigned names (whose own
    /// uses count too, resolved once at the end).
    uses: RefCell<Uses<'s>>,
    /// The same for each assigned name.
    assigned_uses: RefCell<FxHashMap<&'s str, Uses<'s>>>,
    /// Float literals that are not 0 as written but round to 0 or to a
    /// subnormal float.
    pub(super) underflows: RefCell<Vec<Span>>,
}

/// Input variables and assigned names used by one statement, each once.
#[derive(Default)]
pub(super) struct Uses<'s> {
    pub vars: FxHashSet<Sym>,
    pub names: FxHashSet<&'s str>,
}

/// Fails at `at` (committed: no alternative is tried), covering `len` bytes.
fn fail<'s, T>(at: &'s str, len: usize, kind: ParseErrorKind) -> Res<'s, T> {
    Err(nom::Err::Failure(Located::new(at, len, kind)))
}

/// The token before an operand, as [`ParseErrorKind::ExpectedOperand`]
/// names it: text only when an operand is missing, so that reading a
/// well-formed operator allocates nothing.
#[derive(Debug, Clone, Copy)]
enum After<'s> {
    Char(char),
    Text(&'s str),
}

impl From<char> for After<'_> {
    fn from(c: char) -> Self {
        After::Char(c)
    }
}

impl<'s> From<&'s str> for After<'s> {
    fn from(t: &'s str) -> Self {
        After::Text(t)
    }
}

impl After<'_> {
    fn text(self) -> String {
        match self {
            After::Char(c) => c.to_string(),
            After::Text(t) => t.to_string(),
        }
    }
}

/// Labels a missing operand (an `Err::Error` of `parser`) as
/// [`ParseErrorKind::ExpectedOperand`]; failures pass through unchanged.
fn operand<'s, O>(
    after: Option<After<'s>>,
    mut parser: impl Parser<&'s str, Output = O, Error = Located<'s>>,
) -> impl Parser<&'s str, Output = O, Error = Located<'s>> {
    move |i: &'s str| {
        parser.parse(i).map_err(|e| match e {
            nom::Err::Error(e) => {
                let found = token(e.input).filter(|t| !t.starts_with(['\n', ';']));
                let len = found.map_or(0, str::len);
                let found = found.map(str::to_string);
                let kind = ParseErrorKind::ExpectedOperand {
                    after: after.map(After::text),
                    found,
                };
                nom::Err::Error(Located::new(e.input, len, kind))
            }
            e => e,
        })
    }
}

/// The text `parser` consumes. (Like nom's `recognize`, but measured by the
/// length of the rest: `recognize` of nom 8.0.0 cuts `2.5` to `2.` at the end
/// of the input.)
fn consumed<'s, O>(
    mut parser: impl Parser<&'s str, Output = O, Error = Located<'s>>,
) -> impl Parser<&'s str, Output = &'s str, Error = Located<'s>> {
    move |i: &'s str| {
        let (rest, _) = parser.parse(i)?;
        Ok((rest, &i[..i.len() - rest.len()]))
    }
}

/// identifier = ( letter | "_" ) , { letter | digit | "_" } ;
fn identifier(i: &str) -> Res<'_, &str> {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    consumed((
        satisfy(|c| c.is_ascii_alphabetic() || c == '_'),
        take_while(word),
    ))
    .parse(i)
}

/// exponent = ( "e" | "E" ) , [ "+" | "-" ] , digits ;
fn exponent(i: &str) -> Res<'_, &str> {
    consumed((one_of("eE"), opt(one_of("+-")), digit1)).parse(i)
}

impl<'s> Grammar<'s> {
    /// A parser of `src` that builds nodes in `store`.
    pub(super) fn new(store: &'s mut Store, src: &'s str, opts: &'s ParseOptions) -> Self {
        Grammar {
            src,
            store: RefCell::new(store),
            opts,
            depth: Cell::new(0),
            brackets: Cell::new(0),
            assigned: RefCell::default(),
            inputs: RefCell::default(),
            uses: RefCell::default(),
            assigned_uses: RefCell::default(),
            underflows: RefCell::default(),
        }
    }

    fn offset(&self, i: &str) -> usize {
        self.src.len() - i.len()
    }

    fn span(&self, from: &str, to: &str) -> Span {
        Span::new(self.offset(from), self.offset(to))
    }

    /// whitespace = " " | "\t" | "\r" | comment ;  (inside brackets also "\n")
    fn ws(&self, mut i: &'s str) -> &'s str {
        let newlines = self.brackets.get() > 0;
        loop {
            i = i.trim_start_matches(|c| matches!(c, ' ' | '\t' | '\r') || (newlines && c == '\n'));
            match i.strip_prefix('#') {
                Some(comment) => i = &comment[comment.find('\n').unwrap_or(comment.len())..],
                None => return i,
            }
        }
    }

    /// [`Self::ws`] as a parser.
    fn blank(&self, i: &'s str) -> Res<'s, ()> {
        Ok((self.ws(i), ()))
    }

    /// One more level of nesting at `at`, or [`ParseErrorKind::TooDeep`].
    fn deeper(&self, at: &'s str) -> Res<'s, ()> {
        let depth = self.depth.get() + 1;
        if depth > self.opts.max_depth {
            return fail(
                at,
                1,
                ParseErrorKind::TooDeep {
                    limit: self.opts.max_depth,
                },
            );
        }
        self.depth.set(depth);
        Ok((at, ()))
    }

    /// Runs `f` one level deeper, inside brackets (where newlines are blanks),
    /// and restores both counters afterwards.
    fn nested<T>(&self, at: &'s str, f: impl FnOnce() -> Res<'s, T>) -> Res<'s, T> {
        let (depth, brackets) = (self.depth.get(), self.brackets.get());
        self.deeper(at)?;
        self.brackets.set(brackets + 1);
        let result = f();
        self.depth.set(depth);
        self.brackets.set(brackets);
        result.map_err(|e| self.left_open(at, e))
    }

    /// An error inside the group opened at `open` whose offending token
    /// starts a later line (`b = exp(a` then `c = a + b`): the `(` left
    /// open is the fault, so the error is [`ParseErrorKind::UnclosedParen`]
    /// at it. Other errors pass unchanged.
    fn left_open(&self, open: &'s str, e: nom::Err<Located<'s>>) -> nom::Err<Located<'s>> {
        let nom::Err::Failure(l) = e else { return e };
        let at = self.offset(l.input);
        let start = self.offset(open);
        let line_start = self.src[..at].rfind('\n').map_or(0, |p| p + 1);
        let stray = matches!(
            l.kind,
            Some(ParseErrorKind::MissingOperator { .. } | ParseErrorKind::TrailingInput { .. })
        );
        let starts_line = line_start > start && self.src[line_start..at].trim().is_empty();
        if open.starts_with('(') && stray && starts_line {
            let span = Span::new(start, start + 1);
            let found = token(l.input).map(str::to_string);
            let kind = ParseErrorKind::UnclosedParen { open: span, found };
            nom::Err::Failure(Located::new(open, 1, kind))
        } else {
            nom::Err::Failure(l)
        }
    }

    /// expr = term , { ( "+" | "-" ) , term } ;
    fn expr(&self, i: &'s str) -> Res<'s, ExprId> {
        let (mut i, (first, _)) = self.term(i)?;
        let mut terms: SmallVec<[ExprId; 8]> = smallvec::smallvec![first];
        while let Ok((rest, op)) = one_of::<_, _, Located>("+-").parse(self.ws(i)) {
            let (rest, (t, _)) = cut(operand(Some(op.into()), |i| self.term(i))).parse(rest)?;
            terms.push(if op == '-' {
                self.store.borrow_mut().neg(t)
            } else {
                t
            });
            i = rest;
        }
        let sum = if terms.len() == 1 {
            first
        } else {
            self.store.borrow_mut().add(&terms)
        };
        Ok((i, sum))
    }

    /// term = unary , { ( "*" | "/" ) , unary | implicit } ;
    fn term(&self, i: &'s str) -> Res<'s, (ExprId, End)> {
        let start = self.offset(self.ws(i));
        let (mut i, (first, mut end)) = self.unary(i)?;
        let mut factors: SmallVec<[ExprId; 8]> = smallvec::smallvec![first];
        loop {
            let j = self.ws(i);
            let (rest, (factor, last)) =
                if let Ok((rest, op)) = one_of::<_, _, Located>("*/").parse(j) {
                    let (rest, (f, last)) =
                        cut(operand(Some(op.into()), |i| self.unary(i))).parse(rest)?;
                    let f = if op == '/' {
                        let mut st = self.store.borrow_mut();
                        let r = st.recip(f);
                        st.note_written(r, &[f], &self.src[start..self.offset(rest)]);
                        r
                    } else {
                        f
                    };
                    (rest, (f, last))
                } else if self.implicit_follows(end, j)? {
                    self.implicit(j)?
                } else {
                    break;
                };
            factors.push(factor);
            (i, end) = (rest, last);
        }
        let product = if factors.len() == 1 {
            first
        } else {
            self.store.borrow_mut().mul(&factors)
        };
        Ok((i, (product, end)))
    }

    /// Whether an implicit factor starts at `i` after an operand ending in
    /// `end`; another operand where none may follow is
    /// [`ParseErrorKind::MissingOperator`].
    fn implicit_follows(&self, end: End, i: &'s str) -> Result<bool, nom::Err<Located<'s>>> {
        let Some(c) = i.chars().next() else {
            return Ok(false);
        };
        let name = c.is_ascii_alphabetic() || c == '_' || c == '(';
        let number = c.is_ascii_digit() || c == '.';
        match end {
            End::Number if name => Ok(true),
            End::Close if name || number => Ok(true),
            _ if name || number => {
                let found = token(i).unwrap_or("").to_string();
                Err(nom::Err::Failure(Located::new(
                    i,
                    found.len(),
                    ParseErrorKind::MissingOperator { found },
                )))
            }
            _ => Ok(false),
        }
    }

    /// implicit = power ;  (only after a number or ")", and a number only after ")")
    fn implicit(&self, i: &'s str) -> Res<'s, (ExprId, End)> {
        cut(operand(None, |i| self.power(i))).parse(i)
    }

    /// unary = { "+" | "-" } , power ;
    fn unary(&self, i: &'s str) -> Res<'s, (ExprId, End)> {
        let depth = self.depth.get();
        let result = self.signs(i).and_then(|(rest, (negative, sign))| {
            let (rest, (id, end)) = match sign {
                Some(sign) => cut(operand(Some(sign.into()), |i| self.power(i))).parse(rest)?,
                None => self.power(rest)?,
            };
            let id = if negative {
                self.store.borrow_mut().neg(id)
            } else {
                id
            };
            Ok((rest, (id, end)))
        });
        self.depth.set(depth);
        result
    }

    /// `{ "+" | "-" }`: whether the signs negate, and the last sign. Each sign
    /// is a level of nesting (the caller restores the depth).
    fn signs(&self, mut i: &'s str) -> Res<'s, (bool, Option<char>)> {
        let (mut negative, mut last) = (false, None);
        loop {
            let j = self.ws(i);
            let Ok((rest, sign)) = one_of::<_, _, Located>("+-").parse(j) else {
                return Ok((i, (negative, last)));
            };
            self.deeper(j)?;
            negative ^= sign == '-';
            (i, last) = (rest, Some(sign));
        }
    }

    /// power = primary , [ ( "^" | "**" ) , unary ] ;
    fn power(&self, i: &'s str) -> Res<'s, (ExprId, End)> {
        let depth = self.depth.get();
        let result = self.power_chain(i);
        self.depth.set(depth);
        result
    }

    /// The chain `b0 ^ s1 b1 ^ s2 b2 ...` (each `s` a run of signs), read in a
    /// loop and folded from the right: `b0 ^ (s1 (b1 ^ (s2 b2)))`.
    fn power_chain(&self, i: &'s str) -> Res<'s, (ExprId, End)> {
        let (mut i, (first, mut end)) = self.primary(i)?;
        let mut bases: SmallVec<[ExprId; 4]> = smallvec::smallvec![first];
        let mut negations: SmallVec<[bool; 4]> = SmallVec::new();
        while let Ok((rest, op)) = alt((tag::<_, _, Located>("^"), tag("**"))).parse(self.ws(i)) {
            self.deeper(self.ws(i))?;
            let (rest, (negative, sign)) = self.signs(rest)?;
            let after = sign.map_or(After::Text(op), After::Char);
            let (rest, (base, last)) =
                cut(operand(Some(after), |i| self.primary(i))).parse(rest)?;
            bases.push(base);
            negations.push(negative);
            (i, end) = (rest, last);
        }
        let mut store = self.store.borrow_mut();
        let mut value = bases.pop().unwrap_or(first);
        while let (Some(base), Some(negative)) = (bases.pop(), negations.pop()) {
            if negative {
                value = store.neg(value);
            }
            value = store.pow(base, value);
        }
        Ok((i, (value, end)))
    }

    /// primary = number | call | constant | variable | "(" , expr , ")" ;
    fn primary(&self, i: &'s str) -> Res<'s, (ExprId, End)> {
        let i = self.ws(i);
        match i.as_bytes().first() {
            Some(b'[') => fail(i, 1, ParseErrorKind::VectorNotAllowed),
            Some(b'(') => self.parenthesized(i),
            Some(b'0'..=b'9' | b'.') => self.number(i),
            _ => self.name(i),
        }
    }

    /// "(" , expr , ")"
    fn parenthesized(&self, open: &'s str) -> Res<'s, (ExprId, End)> {
        let (inner, _) = char('(').parse(open)?;
        self.nested(open, || {
            let (rest, id) = cut(operand(Some("(".into()), |i| self.expr(i))).parse(inner)?;
            let (rest, _) = self.close_paren(open, rest)?;
            Ok((rest, (id, End::Close)))
        })
    }

    /// The `)` matching the `(` at `open`, or [`ParseErrorKind::UnclosedParen`].
    fn close_paren(&self, open: &'s str, i: &'s str) -> Res<'s, char> {
        let i = self.ws(i);
        char::<_, Located>(')').parse(i).or_else(|_| {
            let span = Span::new(self.offset(open), self.offset(open) + 1);
            let found = token(i).map(str::to_string);
            fail(open, 1, ParseErrorKind::UnclosedParen { open: span, found })
        })
    }
}

#[cfg(test)]
mod tests;
