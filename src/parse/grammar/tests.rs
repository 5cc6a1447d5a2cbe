//! Unit tests of the grammar: precedence, implicit multiplication,
//! nesting limits, characters.

use crate::expr::{Func, Store};
use crate::parse::{ParseError, ParseErrorKind, ParseOptions, Span, parse_expr};

use crate::parse::testing::expr as parse;

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
            open: Span::new(0, 1),
            found: None,
        }
    );
    assert_eq!(err.span, Span::new(0, 1));
    let err = error("sin(x]");
    assert_eq!(err.span, Span::new(3, 4));
    assert_eq!(
        err.message(),
        "this `(` is not closed: expected `)` before `]`"
    );
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

#[test]
fn a_paren_left_open_before_the_next_line_is_reported_at_the_paren() {
    let src = "a = x^2\nb = exp(a\nc = a + b\nsqrt(c)\n";
    let err =
        crate::parse::parse_program(&mut Store::new(), src, &ParseOptions::default()).unwrap_err();
    assert_eq!(err.span, Span::new(15, 16), "{}", err.render(src));
    assert_eq!(err.line_column(src), (2, 8));
    assert_eq!(
        err.message(),
        "this `(` is not closed: expected `)` before `c`"
    );
    // an operator error inside a group that spans lines stays where it is
    let src = "a = (x +\n * y)\na";
    let err =
        crate::parse::parse_program(&mut Store::new(), src, &ParseOptions::default()).unwrap_err();
    assert_eq!(err.line_column(src), (2, 2));
    // on the same line, two operands in a row are still that error
    assert!(matches!(
        error("(x y)").kind,
        ParseErrorKind::MissingOperator { .. }
    ));
}
