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

/// Labels a missing operand (an `Err::Error` of `parser`) as
/// [`ParseErrorKind::ExpectedOperand`]; failures pass through unchanged.
fn operand<'s, O>(
    after: Option<String>,
    mut parser: impl Parser<&'s str, Output = O, Error = Located<'s>>,
) -> impl Parser<&'s str, Output = O, Error = Located<'s>> {
    move |i: &'s str| {
        parser.parse(i).map_err(|e| match e {
            nom::Err::Error(e) => {
                let found = token(e.input).filter(|t| !t.starts_with(['\n', ';']));
                let len = found.map_or(0, str::len);
                let found = found.map(str::to_string);
                let kind = ParseErrorKind::ExpectedOperand {
                    after: after.clone(),
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
        result
    }

    /// expr = term , { ( "+" | "-" ) , term } ;
    fn expr(&self, i: &'s str) -> Res<'s, ExprId> {
        let (mut i, (first, _)) = self.term(i)?;
        let mut terms = vec![first];
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
        let (mut i, (first, mut end)) = self.unary(i)?;
        let mut factors = vec![first];
        loop {
            let j = self.ws(i);
            let (rest, (factor, last)) =
                if let Ok((rest, op)) = one_of::<_, _, Located>("*/").parse(j) {
                    let (rest, (f, last)) =
                        cut(operand(Some(op.into()), |i| self.unary(i))).parse(rest)?;
                    (
                        rest,
                        (
                            if op == '/' {
                                self.store.borrow_mut().recip(f)
                            } else {
                                f
                            },
                            last,
                        ),
                    )
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
        let (mut bases, mut negations) = (vec![first], Vec::new());
        while let Ok((rest, op)) = alt((tag::<_, _, Located>("^"), tag("**"))).parse(self.ws(i)) {
            self.deeper(self.ws(i))?;
            let (rest, (negative, sign)) = self.signs(rest)?;
            let after = sign.map_or(op.to_string(), String::from);
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
            let open = Span::new(self.offset(open), self.offset(open) + 1);
            fail(
                i,
                token(i).map_or(0, str::len),
                ParseErrorKind::UnclosedParen { open },
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::expr::{ExprId, Func, Store};
    use crate::parse::{ParseError, ParseErrorKind, ParseOptions, Span, parse_expr};

    fn parse(store: &mut Store, src: &str) -> ExprId {
        parse_expr(store, src, &ParseOptions::default())
            .unwrap_or_else(|e| panic!("{}", e.render(src)))
    }

    fn error(src: &str) -> ParseError {
        let mut store = Store::new();
        parse_expr(&mut store, src, &ParseOptions::default()).expect_err(src)
    }

    /// Runs `f` on a thread with the CLI's 256 MiB stack.
    fn on_big_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
        std::thread::scope(|scope| {
            let thread = std::thread::Builder::new().stack_size(256 << 20);
            thread
                .spawn_scoped(scope, f)
                .expect("spawn")
                .join()
                .expect("join")
        })
    }

    #[test]
    fn implicit_has_the_precedence_of_times() {
        let mut s = Store::new();
        let x = s.var("x");
        let (two, x2) = (s.int(2), s.powi(x, 2));
        assert_eq!(parse(&mut s, "2x^2"), s.mul(&[two, x2]));
        // 1/2x at x = 6 is 3: (1/2)*x, not 1/(2x)
        let half = s.frac(1, 2);
        assert_eq!(parse(&mut s, "1/2x"), s.mul(&[half, x]));
        let (one, m1) = (s.int(1), s.int(-1));
        let (p, m) = (s.add(&[x, one]), s.add(&[x, m1]));
        assert_eq!(parse(&mut s, "(x+1)(x-1)"), s.mul(&[p, m]));
        let sin = s.call1(Func::Sin, x);
        assert_eq!(parse(&mut s, "2 sin(x)"), s.mul(&[two, sin]));
        assert_eq!(parse(&mut s, "(x)2"), s.mul(&[two, x]));
    }

    #[test]
    fn implicit_not_after_a_name_or_between_numbers() {
        for (src, at) in [
            ("u v", 2),
            ("x 2", 2),
            ("2 3", 2),
            ("3..5*t", 2),
            ("2x y", 3),
        ] {
            let err = error(src);
            assert!(
                matches!(err.kind, ParseErrorKind::MissingOperator { .. }),
                "{src}: {err:?}"
            );
            assert_eq!(err.span.start, at, "{src}");
        }
        let err = error("x(2)");
        assert_eq!(
            err.kind,
            ParseErrorKind::UnknownFunction {
                name: "x".into(),
                suggestion: None
            }
        );
    }

    #[test]
    fn unary_binds_looser_than_power() {
        let mut s = Store::new();
        let x = s.var("x");
        let x2 = s.powi(x, 2);
        assert_eq!(parse(&mut s, "-x^2"), s.neg(x2));
        let (two, minus_x2) = (s.int(2), s.neg(x2));
        assert_eq!(parse(&mut s, "2^-x^2"), s.pow(two, minus_x2));
        let (a, b) = (s.var("a"), s.var("b"));
        assert_eq!(parse(&mut s, "a - -b"), s.add(&[a, b]));
        let nb = s.neg(b);
        assert_eq!(parse(&mut s, "a*-b"), s.mul(&[a, nb]));
        assert_eq!(parse(&mut s, "--x"), x);
    }

    #[test]
    fn power_is_right_associative() {
        let mut s = Store::new();
        let (x, y, z) = (s.var("x"), s.var("y"), s.var("z"));
        let yz = s.pow(y, z);
        assert_eq!(parse(&mut s, "x^y^z"), s.pow(x, yz));
        assert_eq!(parse(&mut s, "x**y**z"), s.pow(x, yz));
        assert_eq!(parse(&mut s, "2^3^2"), s.int(512));
    }

    #[test]
    fn term_and_expr_are_left_associative() {
        let mut s = Store::new();
        let (a, b, c) = (s.var("a"), s.var("b"), s.var("c"));
        let (rb, rc) = (s.recip(b), s.recip(c));
        assert_eq!(parse(&mut s, "a/b/c"), s.mul(&[a, rb, rc]));
        let (nb, nc) = (s.neg(b), s.neg(c));
        assert_eq!(parse(&mut s, "a-b-c"), s.add(&[a, nb, nc]));
    }

    #[test]
    fn primary_parentheses_report_the_open_paren() {
        let err = error("(t - 1");
        assert_eq!(
            err.kind,
            ParseErrorKind::UnclosedParen {
                open: Span::new(0, 1)
            }
        );
        assert_eq!(err.span, Span::new(6, 6));
        let err = error("t + 2)");
        assert_eq!(
            (err.span, err.message()),
            (Span::new(5, 6), "unexpected `)`".into())
        );
        assert_eq!(error("t +").message(), "expected an operand after `+`");
        assert_eq!(error("t +").span, Span::new(3, 3));
    }

    #[test]
    fn whitespace_and_comments_are_free() {
        let mut s = Store::new();
        let (x, one) = (s.var("x"), s.int(1));
        assert_eq!(parse(&mut s, " \tx # comment\n + 1 "), s.add(&[x, one]));
    }

    #[test]
    fn nesting_is_capped_not_overflowing() {
        on_big_stack(|| {
            let cases = [
                format!("{}t{}", "(".repeat(20_000), ")".repeat(20_000)),
                format!("{}t", "-".repeat(30_000)),
                format!("{}t", "2^".repeat(30_000)),
                format!("{}t{}", "cos(".repeat(20_000), ")".repeat(20_000)),
            ];
            for src in &cases {
                let err = error(src);
                assert_eq!(
                    err.kind,
                    ParseErrorKind::TooDeep { limit: 1000 },
                    "{}",
                    &src[..10]
                );
            }
            assert_eq!(error(&cases[0]).span, Span::new(1000, 1001));
        });
    }

    #[test]
    fn nesting_within_the_cap_parses() {
        on_big_stack(|| {
            let mut s = Store::new();
            let opts = ParseOptions {
                max_depth: 5000,
                ..ParseOptions::default()
            };
            let src = format!("{}t{}", "cos(".repeat(5000), ")".repeat(5000));
            let id = parse_expr(&mut s, &src, &opts).expect("5000 calls");
            assert_eq!(s.dag_size(&[id]), 5001);
            let src = format!("{}t", "t*+".repeat(30_000));
            let id = parse(&mut s, &src);
            let t = s.var("t");
            assert_eq!(id, s.powi(t, 30_001));
        });
    }

    #[test]
    fn too_long() {
        let opts = ParseOptions {
            max_len: 3,
            ..ParseOptions::default()
        };
        let err = parse_expr(&mut Store::new(), "x + 1", &opts).expect_err("long");
        assert_eq!(err.kind, ParseErrorKind::TooLong { limit: 3 });
    }

    #[test]
    fn characters_non_ascii_and_control() {
        let err = error("t\u{d7}u");
        assert_eq!(
            (err.span, err.message()),
            (Span::new(1, 3), "non-ASCII character `×`: write `*`".into())
        );
        let err = error("t \u{2212} u");
        assert_eq!(err.span, Span::new(2, 5));
        assert!(err.message().contains("`-`"));
        assert!(error("t\u{b2} + 1").message().contains("`^2`"));
        assert_eq!(error("\u{3b1} + 1").span, Span::new(0, 2));
        let err = error("t\0");
        assert_eq!(
            (err.span, err.kind),
            (Span::new(1, 2), ParseErrorKind::ControlChar { found: '\0' })
        );
    }

    #[test]
    fn empty_input() {
        for src in ["", "  ", "# nothing", "\n\n"] {
            assert_eq!(error(src).kind, ParseErrorKind::Empty, "{src:?}");
        }
    }
}
