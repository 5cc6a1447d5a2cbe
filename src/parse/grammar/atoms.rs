//! The leaves of the grammar: numbers, names (constants, variables) and calls.

use nom::Parser;
use nom::branch::alt;
use nom::character::complete::{char, digit0, digit1};
use nom::combinator::{cut, opt};
use nom::error::{ErrorKind, ParseError as _};
use num_bigint::BigInt;
use num_rational::BigRational;

use super::{End, Grammar, Res, consumed, exponent, fail, identifier, operand};
use crate::expr::{Constant, ExprId};
use crate::parse::error::{Located, ParseErrorKind, Span};
use crate::parse::functions::Callee;

impl<'s> Grammar<'s> {
    /// number = ( digits , [ "." , [ digits ] ] | "." , digits ) , [ exponent ] ;
    pub(super) fn number(&self, i: &'s str) -> Res<'s, (ExprId, End)> {
        let mantissa = alt((
            consumed((digit1, opt((char('.'), digit0)))),
            consumed((char('.'), digit1)),
        ));
        let Ok((rest, text)) = consumed((mantissa, opt(exponent))).parse(i) else {
            // not a number: fail where it would start (a lone `.` is not consumed)
            return Err(nom::Err::Error(Located::from_error_kind(
                i,
                ErrorKind::Float,
            )));
        };
        let id = if text.bytes().all(|b| b.is_ascii_digit()) {
            // check the size before converting: a million digits take seconds
            let digits = text.trim_start_matches('0').len();
            let limit = self.store.borrow().max_exact_bits();
            // 10^(d-1) needs more than 3.32*(d-1) bits
            if (digits.saturating_sub(1) as u64).saturating_mul(332) / 100 >= limit {
                return fail(
                    i,
                    text.len(),
                    ParseErrorKind::IntegerTooLarge { digits, limit },
                );
            }
            let Ok(n) = text.parse::<BigInt>() else {
                return fail(i, text.len(), ParseErrorKind::NumberOutOfRange(text.into()));
            };
            self.store
                .borrow_mut()
                .rational(BigRational::from_integer(n))
        } else {
            match text.parse::<f64>() {
                Ok(x) if x.is_finite() => {
                    let digits = text.split(['e', 'E']).next().unwrap_or("");
                    let nonzero = digits.bytes().any(|b| matches!(b, b'1'..=b'9'));
                    if nonzero && !x.is_normal() {
                        let start = self.offset(i);
                        self.underflows
                            .borrow_mut()
                            .push(Span::new(start, start + text.len()));
                    }
                    self.store.borrow_mut().float(x)
                }
                _ => return fail(i, text.len(), ParseErrorKind::NumberOutOfRange(text.into())),
            }
        };
        Ok((rest, (id, End::Number)))
    }

    /// A name: a call, a constant or a variable (an assigned name stands for its value).
    pub(super) fn name(&self, i: &'s str) -> Res<'s, (ExprId, End)> {
        let (rest, name) = identifier(i)?;
        let after = self.ws(rest);
        if after.starts_with('(') {
            return self.call(i, name, after);
        }
        if Callee::from_name(name).is_some() {
            return fail(
                i,
                name.len(),
                ParseErrorKind::MissingCallParen { name: name.into() },
            );
        }
        let id = match name {
            "pi" => self.store.borrow_mut().constant(Constant::Pi),
            "e" => self.store.borrow_mut().constant(Constant::E),
            _ => self.variable(name),
        };
        Ok((rest, (id, End::Name)))
    }

    /// variable = identifier ;
    fn variable(&self, name: &'s str) -> ExprId {
        if let Some(&value) = self.assigned.borrow().get(name) {
            self.uses.borrow_mut().names.insert(name);
            return value;
        }
        self.inputs.borrow_mut().insert(name);
        let sym = self.store.borrow_mut().sym(name);
        self.uses.borrow_mut().vars.insert(sym);
        self.store.borrow_mut().var(name)
    }

    /// call = function , "(" , [ expr , { "," , expr } ] , ")" ;
    fn call(&self, start: &'s str, name: &'s str, open: &'s str) -> Res<'s, (ExprId, End)> {
        let Some(callee) = Callee::from_name(name) else {
            let kind = ParseErrorKind::UnknownFunction {
                name: name.into(),
                suggestion: Callee::suggest(name),
            };
            return fail(start, name.len(), kind);
        };
        self.nested(open, || {
            let (rest, args) = self.arguments(open)?;
            if let Err(expected) = callee.check_arity(args.len()) {
                let kind = ParseErrorKind::WrongArity {
                    name: name.into(),
                    expected,
                    found: args.len(),
                };
                return fail(start, start.len() - rest.len(), kind);
            }
            let id = callee.apply(&mut self.store.borrow_mut(), &args);
            let text = &self.src[self.offset(start)..self.offset(rest)];
            self.store.borrow_mut().note_written(id, &args, text);
            Ok((rest, (id, End::Close)))
        })
    }

    /// "(" , [ expr , { "," , expr } ] , ")"
    fn arguments(&self, open: &'s str) -> Res<'s, Vec<ExprId>> {
        let (i, _) = char('(').parse(open)?;
        if let Ok((rest, _)) = char::<_, Located>(')').parse(self.ws(i)) {
            return Ok((rest, Vec::new()));
        }
        let (mut i, mut args, mut after) = (i, Vec::new(), "(");
        loop {
            let (rest, arg) = cut(operand(Some(after.into()), |i| self.expr(i))).parse(i)?;
            args.push(arg);
            match char::<_, Located>(',').parse(self.ws(rest)) {
                Ok((rest, _)) => (i, after) = (rest, ","),
                Err(_) => return self.close_paren(open, rest).map(|(rest, _)| (rest, args)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::expr::{Constant, ExprId, Func, Store};
    use crate::parse::{ParseError, ParseErrorKind, ParseOptions, Span, parse_expr};

    fn parse(store: &mut Store, src: &str) -> ExprId {
        parse_expr(store, src, &ParseOptions::default())
            .unwrap_or_else(|e| panic!("{}", e.render(src)))
    }

    fn error(src: &str) -> ParseError {
        parse_expr(&mut Store::new(), src, &ParseOptions::default()).expect_err(src)
    }

    #[test]
    fn number_exact_and_float() {
        let mut s = Store::new();
        let big = "123456789012345678901234567890".parse().unwrap();
        assert_eq!(
            parse(&mut s, "123456789012345678901234567890"),
            s.rational(big)
        );
        assert_eq!(parse(&mut s, "2.5"), s.float(2.5)); // at the end of input
        assert_eq!(parse(&mut s, ".5"), s.float(0.5));
        assert_eq!(parse(&mut s, "2."), s.float(2.0));
        assert_eq!(parse(&mut s, "1e-3"), s.float(0.001));
        assert_eq!(parse(&mut s, "2E+3"), s.float(2000.0));
        assert_eq!(parse(&mut s, "1/3"), s.frac(1, 3));
    }

    #[test]
    fn number_exponent_needs_digits() {
        let mut s = Store::new();
        let (two, e) = (s.int(2), s.constant(Constant::E));
        assert_eq!(parse(&mut s, "2e"), s.mul(&[two, e]));
        assert_eq!(parse(&mut s, "2e3"), s.float(2000.0));
        let ex = s.var("ex");
        assert_eq!(parse(&mut s, "2ex"), s.mul(&[two, ex]));
    }

    #[test]
    fn number_out_of_range() {
        let err = error("1 + 1e999");
        assert_eq!(err.kind, ParseErrorKind::NumberOutOfRange("1e999".into()));
        assert_eq!(err.span, Span::new(4, 9));
    }

    #[test]
    fn call_maps_rewritten_functions() {
        let mut s = Store::new();
        let (x, y) = (s.var("x"), s.var("y"));
        let (cos, sin) = (s.call1(Func::Cos, x), s.call1(Func::Sin, x));
        assert_eq!(parse(&mut s, "sec(x)"), s.recip(cos));
        assert_eq!(parse(&mut s, "csc(x)"), s.recip(sin));
        assert_eq!(parse(&mut s, "cot(x)"), s.div(cos, sin));
        assert_eq!(parse(&mut s, "ln(x)"), s.call1(Func::Ln, x));
        assert_eq!(parse(&mut s, "log(x)"), s.call1(Func::Ln, x));
        assert_eq!(parse(&mut s, "log(x, y)"), s.log_base(x, y));
        assert_eq!(parse(&mut s, "sqrt(x)"), s.sqrt(x));
        assert_eq!(parse(&mut s, "pow(x, y)"), s.pow(x, y));
        assert_eq!(parse(&mut s, "atan2(y, x)"), s.call(Func::Atan2, &[y, x]));
        assert_eq!(parse(&mut s, "max(x, y, 1)"), {
            let one = s.int(1);
            s.call(Func::Max, &[x, y, one])
        });
    }

    #[test]
    fn call_errors() {
        let err = error("1 + atan2(t)");
        assert_eq!(err.span, Span::new(4, 12));
        assert_eq!(err.message(), "`atan2` takes 2 arguments, found 1");
        assert_eq!(
            error("cosh t").message(),
            "expected `(` after function `cosh`"
        );
        assert_eq!(
            error("Cos(t)").message(),
            "unknown function `Cos`: did you mean `cos`?"
        );
    }
}
