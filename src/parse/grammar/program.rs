//! The program-level productions: statements, the output, vectors, and a
//! whole input holding one expression.

use nom::Parser;
use nom::branch::alt;
use nom::character::complete::{char, one_of};
use nom::combinator::{cut, peek};
use nom::sequence::preceded;

use super::{Grammar, Res, fail, identifier, operand};
use rustc_hash::FxHashSet;

use crate::expr::{ExprId, Sym};
use crate::parse::error::{Located, ParseErrorKind, Span, token};
use crate::parse::functions::Callee;
use crate::parse::{Output, Program, Statement};

impl<'s> Grammar<'s> {
    /// program = { separator } , { statement , separator , { separator } } ,
    ///           output , { separator } ;
    pub(in crate::parse) fn program(&self, i: &'s str) -> Res<'s, Program> {
        let mut statements = Vec::new();
        let mut i = self.separators(i);
        if i.is_empty() {
            return fail(self.src, 0, ParseErrorKind::Empty);
        }
        loop {
            let blank = |i| self.blank(i);
            if peek((blank, identifier, blank, char('=')))
                .parse(i)
                .is_err()
            {
                return self.final_output(i, statements);
            }
            let (rest, statement) = self.statement(i)?;
            statements.push(statement);
            let j = self.ws(rest);
            let k = self.separators(j);
            if k.is_empty() {
                return fail(j, 0, ParseErrorKind::MissingOutput);
            }
            if k.len() == j.len() {
                return fail(
                    j,
                    0,
                    ParseErrorKind::TrailingInput {
                        found: token(j).unwrap_or("").into(),
                    },
                );
            }
            i = k;
        }
    }

    /// The output, then only separators up to the end of the input.
    fn final_output(&self, i: &'s str, statements: Vec<Statement>) -> Res<'s, Program> {
        self.uses.take();
        let (rest, output) = self.output(i)?;
        let j = self.ws(rest);
        let k = self.separators(j);
        if k.is_empty() {
            let inputs = self.output_inputs();
            let program = Program {
                statements,
                output,
                inputs,
                underflows: self.underflows.take(),
            };
            return Ok((k, program));
        }
        if k.len() == j.len() {
            return fail(
                j,
                0,
                ParseErrorKind::TrailingInput {
                    found: token(j).unwrap_or("").into(),
                },
            );
        }
        let start = self.ws(i);
        fail(
            start,
            start.len() - rest.len(),
            ParseErrorKind::ExpressionNotLast,
        )
    }

    /// The input variables the output uses as written: its own, and those
    /// of the assigned names it uses, transitively (each statement once),
    /// in natural order.
    fn output_inputs(&self) -> Vec<Sym> {
        let out = self.uses.take();
        let assigned = self.assigned_uses.borrow();
        let mut vars: FxHashSet<Sym> = out.vars;
        let mut seen: FxHashSet<&str> = FxHashSet::default();
        let mut stack: Vec<&str> = out.names.into_iter().collect();
        while let Some(name) = stack.pop() {
            if !seen.insert(name) {
                continue;
            }
            if let Some(u) = assigned.get(name) {
                vars.extend(u.vars.iter().copied());
                stack.extend(u.names.iter().copied().filter(|n| !seen.contains(n)));
            }
        }
        let store = self.store.borrow();
        let mut vars: Vec<Sym> = vars.into_iter().collect();
        vars.sort_by(|a, b| store.cmp_names(*a, *b));
        vars
    }

    /// separator = ";" | newline ;  (any number of them, with blanks and comments)
    fn separators(&self, mut i: &'s str) -> &'s str {
        loop {
            let j = self.ws(i);
            match j.strip_prefix([';', '\n']) {
                Some(rest) => i = rest,
                None => return j,
            }
        }
    }

    /// statement = identifier , "=" , expr ;
    fn statement(&self, i: &'s str) -> Res<'s, Statement> {
        let start = self.ws(i);
        let (rest, name) = identifier(start)?;
        if let Some(what) = Callee::reserved(name) {
            return fail(
                start,
                name.len(),
                ParseErrorKind::AssignToReserved {
                    name: name.into(),
                    what,
                },
            );
        }
        if self.assigned.borrow().contains_key(name) {
            return fail(start, name.len(), ParseErrorKind::Reassigned(name.into()));
        }
        let (rest, _) = preceded(|i| self.blank(i), char('=')).parse(rest)?;
        self.uses.take();
        let (rest, value) = cut(operand(Some("=".into()), |i| self.expr(i))).parse(rest)?;
        if self.inputs.borrow().contains(name) {
            return fail(
                start,
                name.len(),
                ParseErrorKind::AssignToInput(name.into()),
            );
        }
        self.assigned.borrow_mut().insert(name, value);
        let uses = self.uses.take();
        self.assigned_uses.borrow_mut().insert(name, uses);
        let span = self.span(start, rest);
        Ok((
            rest,
            Statement {
                name: name.to_string(),
                value,
                span,
            },
        ))
    }

    /// output = vector | expr ;
    fn output(&self, i: &'s str) -> Res<'s, Output> {
        let vector = |i| {
            self.vector(i)
                .map(|(rest, items)| (rest, Output::Vector(items)))
        };
        let scalar = |i| self.expr(i).map(|(rest, id)| (rest, Output::Scalar(id)));
        cut(operand(None, alt((vector, scalar)))).parse(i)
    }

    /// vector = "[" , expr , { "," , expr } , [ "," ] , "]" ;
    fn vector(&self, i: &'s str) -> Res<'s, Vec<ExprId>> {
        let open = self.ws(i);
        let (mut i, _) = char('[').parse(open)?;
        self.nested(open, || {
            let mut items = Vec::new();
            let mut after = "[";
            loop {
                let (rest, item) = cut(operand(Some(after.into()), |i| self.expr(i))).parse(i)?;
                items.push(item);
                let rest = self.ws(rest);
                match one_of::<_, _, Located>(",]").parse(rest) {
                    Ok((rest, ',')) => match char::<_, Located>(']').parse(self.ws(rest)) {
                        Ok((rest, _)) => return Ok((rest, items)),
                        Err(_) => (i, after) = (rest, ","),
                    },
                    Ok((rest, _)) => return Ok((rest, items)),
                    Err(_) => {
                        let len = token(rest).map_or(0, str::len);
                        let open = Span::new(self.offset(open), self.offset(open) + 1);
                        return fail(rest, len, ParseErrorKind::UnclosedBracket { open });
                    }
                }
            }
        })
    }

    /// A whole input that is one expression (no statements, no vector).
    pub(in crate::parse) fn scalar(&self, i: &'s str) -> Res<'s, ExprId> {
        self.brackets.set(1);
        if self.ws(i).is_empty() {
            return fail(self.src, 0, ParseErrorKind::Empty);
        }
        let (rest, id) = cut(operand(None, |i| self.expr(i))).parse(i)?;
        let rest = self.ws(rest);
        match token(rest) {
            Some(found) => fail(
                rest,
                found.len(),
                ParseErrorKind::TrailingInput {
                    found: found.into(),
                },
            ),
            None => Ok((rest, id)),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::expr::{Func, Store};
    use crate::parse::{
        Output, ParseError, ParseErrorKind, ParseOptions, Program, Span, parse_expr, parse_program,
    };

    fn parse(store: &mut Store, src: &str) -> Program {
        parse_program(store, src, &ParseOptions::default())
            .unwrap_or_else(|e| panic!("{}", e.render(src)))
    }

    fn error(src: &str) -> ParseError {
        parse_program(&mut Store::new(), src, &ParseOptions::default()).expect_err(src)
    }

    #[test]
    fn statement_names_are_substituted() {
        let mut s = Store::new();
        let p = parse(&mut s, "a = x^2; b = exp(a); c = a + b; sqrt(c) + cos(c)");
        let direct = parse_expr(
            &mut s,
            "sqrt(x^2 + exp(x^2)) + cos(x^2 + exp(x^2))",
            &ParseOptions::default(),
        );
        assert_eq!(p.output, Output::Scalar(direct.unwrap()));
        let names: Vec<&str> = p.statements.iter().map(|st| st.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "c"]);
        assert_eq!(p.statements[1].span, Span::new(9, 19));
        let x = s.var("x");
        let x2 = s.powi(x, 2);
        assert_eq!(p.statements[1].value, s.call1(Func::Exp, x2));
    }

    #[test]
    fn program_stays_a_dag() {
        let mut src = String::from("a0 = x");
        for i in 1..=50 {
            src += &format!("; a{i} = a{}*a{}", i - 1, i - 1);
        }
        src += "; a50";
        let mut s = Store::new();
        let Output::Scalar(id) = parse(&mut s, &src).output else {
            panic!("scalar")
        };
        let x = s.var("x");
        let two = s.int(2);
        let fifty = s.int(50);
        let e = s.pow(two, fifty);
        assert_eq!(id, s.pow(x, e));
        let mut src = String::from("a0 = x + y");
        for i in 1..=50 {
            src += &format!("\na{i} = sin(a{}) * a{}", i - 1, i - 1);
        }
        src += "\na50\n";
        let mut s = Store::new();
        let Output::Scalar(id) = parse(&mut s, &src).output else {
            panic!("scalar")
        };
        assert!(s.dag_size(&[id]) < 200, "{}", s.dag_size(&[id]));
    }

    #[test]
    fn separator_forms() {
        let mut s = Store::new();
        let x = s.var("x");
        let one = s.int(1);
        let x1 = s.add(&[x, one]);
        for src in [
            "a = x\nb = a + 1\nb",
            "a = x\r\nb = a + 1\r\nb\r\n",
            ";a = x;; b = a + 1; b;",
            "# c\n\na = x # c\nb = a + 1\n\nb\n# end",
        ] {
            assert_eq!(parse(&mut s, src).output, Output::Scalar(x1), "{src:?}");
        }
    }

    #[test]
    fn vector_output() {
        let mut s = Store::new();
        let p = parse(&mut s, "p = t*u; q = t - u; [p, q]");
        let (t, u) = (s.var("t"), s.var("u"));
        let (tu, nu) = (s.mul(&[t, u]), s.neg(u));
        let diff = s.add(&[t, nu]);
        assert_eq!(p.output, Output::Vector(vec![tu, diff]));
        assert_eq!(
            parse(&mut s, "[\n  t,\n  u,\n]").output,
            Output::Vector(vec![t, u])
        );
    }

    #[test]
    fn vector_errors() {
        let err = error("[t, u");
        assert_eq!(
            (err.span, err.kind),
            (
                Span::new(5, 5),
                ParseErrorKind::UnclosedBracket {
                    open: Span::new(0, 1)
                }
            )
        );
        assert_eq!(error("[t; u]").span, Span::new(2, 3));
        assert_eq!(error("[[t]]").kind, ParseErrorKind::VectorNotAllowed);
        assert_eq!(error("a = [t]; a").kind, ParseErrorKind::VectorNotAllowed);
        let err =
            parse_expr(&mut Store::new(), "[t]", &ParseOptions::default()).expect_err("vector");
        assert_eq!(err.kind, ParseErrorKind::VectorNotAllowed);
    }

    #[test]
    fn statement_errors() {
        let err = error("u = = v; u");
        assert_eq!(
            (err.span, err.message()),
            (
                Span::new(4, 5),
                "expected an operand after `=`, found `=`".into()
            )
        );
        let err = error("a = t^2\nb =\n");
        assert_eq!(
            (err.span, err.message()),
            (Span::new(11, 12), "expected an operand after `=`".into())
        );
        let err = error("exp = t; exp");
        assert_eq!(
            (err.span, err.message()),
            (Span::new(0, 3), "cannot assign to function `exp`".into())
        );
        assert_eq!(error("e = 2; e").message(), "cannot assign to constant `e`");
        assert_eq!(
            error("y = x; x = 1; y").kind,
            ParseErrorKind::AssignToInput("x".into())
        );
        assert_eq!(
            error("a = 1; a = 2; a").kind,
            ParseErrorKind::Reassigned("a".into())
        );
        assert_eq!(error("a = 1").kind, ParseErrorKind::MissingOutput);
        assert_eq!(error("a = 1;\n\n").span, Span::new(5, 6));
        assert_eq!(error("a; b").span, Span::new(0, 1));
        let err = parse_expr(&mut Store::new(), "a = 1", &ParseOptions::default())
            .expect_err("statement");
        assert_eq!(err.span, Span::new(2, 3));
    }

    #[test]
    fn program_empty() {
        for src in ["", ";", "\n# just a comment\n", " ; \r\n ;"] {
            assert_eq!(error(src).kind, ParseErrorKind::Empty, "{src:?}");
        }
    }

    #[test]
    fn vector_nesting_is_capped() {
        let src = format!("{}t{}", "[(".repeat(20_000), ")]".repeat(20_000));
        assert_eq!(error(&src).kind, ParseErrorKind::VectorNotAllowed);
        let src = format!("[{}t{}]", "(".repeat(20_000), ")".repeat(20_000));
        let deep = std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn(move || error(&src).kind);
        assert_eq!(
            deep.unwrap().join().unwrap(),
            ParseErrorKind::TooDeep { limit: 1000 }
        );
    }
}
