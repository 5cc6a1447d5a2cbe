//! Inputs the fuzzers (`fuzz/`) found, each with what went wrong. They run
//! through the library on a 256 MiB stack, like the binary, and must finish.

use deriv::expr::Store;
use deriv::parse::{ParseOptions, parse_program};

/// Runs `f` on a thread with the binary's stack. (These inputs once hung
/// or took seconds; how long they take now is measured by the fuzzers'
/// `-timeout` and by `bench/`, not asserted here.)
fn on_big_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("no panic")
}

fn parses(src: &'static str) -> bool {
    on_big_stack(move || {
        let mut s = Store::new();
        parse_program(&mut s, src, &ParseOptions::default()).is_ok()
    })
}

/// fuzz/parse timeout: hashing a big exact rational (`(3/2)^30230`) went
/// through `Ratio`'s recursive continued-fraction hash, quadratic in the
/// size. Numbers now hash and compare numerator and denominator directly.
#[test]
fn big_rational_hashes_fast() {
    // the input as found (a syntax error at the end, after the slow part)
    let _ = parses("(3/2)^(302)0(1/-t)(1(3/2)^(30230)0(1/-t)(1^(3/2)-t)2)*");
    assert!(parses("(3/2)^30230 + (3/2)^30231 + x"));
}

/// Comparing two rationals with a long common continued fraction (ratios
/// of consecutive Fibonacci numbers) recursed once per term.
#[test]
fn close_rationals_compare_fast() {
    on_big_stack(|| {
        let (mut a, mut b) = (num_bigint::BigInt::from(1), num_bigint::BigInt::from(1));
        for _ in 0..20_000 {
            let c = &a + &b;
            a = b;
            b = c;
        }
        let c = &a + &b;
        let src = format!("max({b}/{a}, {c}/{b}, x)");
        let mut s = Store::new();
        assert!(parse_program(&mut s, &src, &ParseOptions::default()).is_ok());
    });
}

/// `Store::mul` folded `1e300*1e300` to a non-finite float (a debug
/// assertion in `Store::number`, and `inf` printed as if it were a
/// literal). Non-finite float results are now left unfolded.
#[test]
fn float_overflow_is_not_folded() {
    use deriv::eval::{Env, eval};
    use deriv::print::infix;
    for (src, printed) in [
        ("1e300*1e300*x", "1e300*1e300*x"),
        ("1e308*x + 1e308*x", "1e308*x + 1e308*x"),
        ("x^1e300*x^1e300", "x^2e300"),
    ] {
        let mut s = Store::new();
        let f = deriv::parse::parse_expr(&mut s, src, &ParseOptions::default()).expect("parses");
        assert_eq!(infix(&s, f), printed);
        let again =
            deriv::parse::parse_expr(&mut s, printed, &ParseOptions::default()).expect("reparses");
        assert_eq!(again, f, "round trip of {printed}");
        let mut env = Env::new();
        env.set(s.find_sym("x").expect("x"), 2.0);
        assert!(!eval(&s, f, &env).expect("bound").is_finite());
    }
}

/// fuzz/pipeline: the second derivative of `(3/t-t)^(123)/(3/lg2)` by
/// `lg2` (named `log2` then, before `log2` became a function) prints as a
/// difference of two equal huge terms; reparsed, it evaluated differently
/// only by rounding (the harness now ignores cancellation noise). The
/// printed form must parse back to the same expression.
#[test]
fn second_derivative_round_trips() {
    use deriv::diff::Differentiator;
    use deriv::eval::{Env, eval};
    use deriv::print::infix;
    let mut s = Store::new();
    let f = deriv::parse::parse_expr(&mut s, "(3/t-t)^(123)/(3/lg2)", &ParseOptions::default())
        .expect("parses");
    let l = s.find_sym("lg2").expect("lg2");
    let d2 = Differentiator::default()
        .diff_many(&mut s, f, &[l, l])
        .expect("small");
    let text = infix(&s, d2);
    let g = deriv::parse::parse_expr(&mut s, &text, &ParseOptions::default()).expect("reparses");
    // it printed `(1/lg2)^3` in a denominator, which reads back as
    // `1/lg2^-3`: equal, but not the same expression; now `(1/lg2)^-3`
    assert_eq!(g, d2, "{text} does not read back as itself");
    let mut env = Env::new();
    env.set(s.find_sym("t").expect("t"), 1.5);
    env.set(l, 0.7);
    let (a, b) = (
        eval(&s, d2, &env).expect("bound"),
        eval(&s, g, &env).expect("bound"),
    );
    assert!(
        (a - b).abs() <= 1e-12 * (1.0 + a.abs()),
        "{text}: {a} vs {b}"
    );
}

/// fuzz/eval_series: at `s=8, v=-1` the exact Taylor coefficient of `v` in
/// `tanh(((s/v)^8)^3) - sigmoid(v)^3` is `C - 3*sigmoid(-1)^2*(...) -
/// C*tanh(X)^2` with `C ~ 1e23`: right, but in floats the huge terms cancel
/// and swallow the small one (the harness now skips such comparisons). With
/// a float point (`--numeric`) the coefficient is computed in floats and is
/// the derivative's value.
#[test]
fn taylor_with_huge_cancelling_terms() {
    use deriv::series::{SeriesOptions, taylor};
    let mut s = Store::new();
    let f = deriv::parse::parse_expr(
        &mut s,
        "tanh(((s/v)^8)^3)-sigmoid(v)^3",
        &ParseOptions::default(),
    )
    .expect("parses");
    let (sv, vv) = (s.find_sym("s").expect("s"), s.find_sym("v").expect("v"));
    let point = [(sv, s.float(8.0)), (vv, s.float(-1.0))];
    let t = taylor(&mut s, f, &point, 1, &SeriesOptions::default()).expect("expands");
    let (_, c) = t
        .terms
        .iter()
        .find(|(e, _)| e.as_slice() == [0, 1])
        .expect("a term in v");
    let c = s.as_num(*c).expect("a float coefficient").to_f64();
    assert!((c + 0.042_662_521_473_941_41).abs() < 1e-12, "{c}");
}

/// fuzz/eval_series timeout: a Taylor expansion of `nt^nt^4*...` at
/// `nt=21/2` made exact numbers of ~50,000 bits, and every rational
/// operation on them spent its time in the gcd. Exact numbers are now
/// bounded at 32,768 bits by default (`--max-exact-bits`).
#[test]
fn taylor_with_huge_exact_powers_is_quick() {
    use deriv::series::{SeriesOptions, taylor};
    on_big_stack(|| {
        let mut s = Store::new();
        let f = deriv::parse::parse_expr(
            &mut s,
            "nt^nt^4*3/2**(-11t)^-24*3/2**(-11t)^-2",
            &ParseOptions::default(),
        )
        .expect("parses");
        let (nt, t) = (s.find_sym("nt").expect("nt"), s.find_sym("t").expect("t"));
        let point = [(nt, s.frac(21, 2)), (t, s.frac(105, 4))];
        let _ = taylor(&mut s, f, &point, 5, &SeriesOptions::default());
    });
}

/// fuzz/eval_series timeout (a slow unit under the sanitizer, with the
/// harness's extra derivatives): an order-5 expansion of
/// `ggg^(g2^(22*r))` at `103/4` works with 4,000-bit rationals. Bounded by
/// the exact-number limit; well under a second in a release build.
#[test]
fn taylor_of_a_tower_of_powers_is_quick() {
    use deriv::series::{SeriesOptions, taylor};
    on_big_stack(|| {
        let mut s = Store::new();
        let f = deriv::parse::parse_expr(&mut s, "x^(y^(22*r))", &ParseOptions::default())
            .expect("parses");
        let point: Vec<_> = ["x", "y", "r"]
            .iter()
            .map(|n| {
                let v = s.find_sym(n).expect("var");
                (v, s.frac(103, 4))
            })
            .collect();
        let _ = taylor(&mut s, f, &point, 5, &SeriesOptions::default());
    });
}

/// Found by tests/hostile: with the canonical order cut off at a fixed
/// recursion depth, a product compared against a single factor saw that
/// factor's subtree at two different depths; sorting the factors of a
/// derivative of a deep `sin` nest then panicked ("comparison does not
/// implement a total order"). The cut now applies to each side at its own
/// level.
#[test]
fn derivatives_of_deep_nests_sort() {
    use deriv::diff::Differentiator;
    on_big_stack(|| {
        let src = format!("{}t{}", "sin(".repeat(1000), ")".repeat(1000));
        let opts = ParseOptions {
            max_depth: 2000,
            ..ParseOptions::default()
        };
        let mut s = Store::new();
        let f = deriv::parse::parse_expr(&mut s, &src, &opts).expect("parses");
        let t = s.find_sym("t").expect("t");
        let _ = Differentiator::new(200_000).diff_many(&mut s, f, &[t, t, t]);
    });
}

/// fuzz/eval_series (slow): an order-5 expansion of `sigmoid(x1/x_1^x2^3)`
/// at `x_1 = 99/4, x2 = -9` has coefficients built from `(99/4)^729`, a
/// 4,800-bit rational, and its powers; num-bigint's binary gcd, a shift of
/// the whole number per bit, took 6 s to reduce them. Rational arithmetic on
/// big operands now reduces with dashu-int's Lehmer gcd (0.3 s in release).
#[test]
fn taylor_with_big_rational_coefficients() {
    use deriv::series::{SeriesOptions, taylor};
    on_big_stack(|| {
        let mut s = Store::new();
        let opts = ParseOptions::default();
        let f = deriv::parse::parse_expr(&mut s, "sigmoid(x1/x_1**x2^3)", &opts).expect("parses");
        let var = |s: &mut Store, n: &str| s.find_sym(n).expect("var");
        let point = [
            (var(&mut s, "x1"), s.int(1)),
            (var(&mut s, "x2"), s.int(-9)),
            (var(&mut s, "x_1"), s.frac(99, 4)),
        ];
        let t = taylor(&mut s, f, &point, 5, &SeriesOptions::default()).expect("expands");
        // the constant term is f(a) = sigmoid(1/(99/4)^(-729)), folded exactly
        let (_, c0) = t
            .terms
            .iter()
            .find(|(e, _)| e.iter().all(|&k| k == 0))
            .expect("a constant term");
        let want = deriv::parse::parse_expr(&mut s, "sigmoid((99/4)^729)", &opts).expect("parses");
        assert_eq!(*c0, want);
        assert_eq!(
            t.terms.len(),
            56,
            "all monomials of degree <= 5 in 3 variables"
        );
    });
}

/// Found by the property `simplify_is_idempotent_and_keeps_the_value`:
/// `simplify` cancelled `x/(x/(x/x))` to `x/x` in one bottom-up pass (the
/// rebuilt power of a product was not cancelled again), and to 1 only in a
/// second. It now repeats passes to a fixed point and settles rebuilt
/// powers and calls.
#[test]
fn simplify_reaches_its_fixed_point() {
    use deriv::simplify::simplify;
    let mut s = Store::new();
    let f =
        deriv::parse::parse_expr(&mut s, "x/(x/(x/x))", &ParseOptions::default()).expect("parses");
    let once = simplify(&mut s, f);
    assert_eq!(deriv::print::infix(&s, once), "1");
    assert_eq!(simplify(&mut s, once), once);
}

// ---- issue 11: never a confident wrong number --------------------------

/// Values of `src` at `at` through the front door, with the warnings.
fn eval_at(src: &str, at: &str) -> (f64, Vec<deriv::Warning>) {
    let mut s = deriv::Session::new();
    let f = s.parse(src).expect("parses");
    let p = if at.is_empty() {
        deriv::Point::default()
    } else {
        s.point(at).expect("point")
    };
    let e = s.eval(&f, &p).expect("evaluates");
    (e.values[0], e.warnings)
}

/// `deriv` with `args`, standard input from `stdin`: (exit code, stdout, stderr).
fn deriv(args: &[&str], stdin: &[u8]) -> (Option<i32>, String, String) {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_deriv"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn deriv");
    let mut input = child.stdin.take().expect("stdin");
    let _ = input.write_all(stdin);
    drop(input);
    let out = child.wait_with_output().expect("deriv runs");
    let text = |b: Vec<u8>| String::from_utf8_lossy(&b).into_owned();
    (out.status.code(), text(out.stdout), text(out.stderr))
}

/// `deriv eval "sin(10^30)"` and friends: exact input at an exact point is
/// correctly rounded (values from mpmath at 200 digits, tests/precise.rs).
#[test]
fn exact_input_is_correctly_rounded() {
    assert_eq!(eval_at("sin(10^30)", "").0, -0.09011690191213806);
    // deriv eval "tan(x)" --at x=pi/2+1/10^30
    assert_eq!(eval_at("tan(x)", "x=pi/2+1/10^30").0, -1e30);
    // deriv eval "(1+1/10^20)^(10^20)"
    assert_eq!(eval_at("(1+1/10^20)^(10^20)", "").0, std::f64::consts::E);
    // deriv eval "1/(x-pi)" --at x=pi+1/10^30
    let (v, w) = eval_at("1/(x-pi)", "x=pi+1/10^30");
    assert_eq!(v, 1e30);
    assert!(w.is_empty(), "{w:?}");
}

/// `deriv eval x --at x=0/0` (and `0*inf`, `0y`, `0x10`): a point value is
/// a finite constant with no variables, even one multiplied by 0.
#[test]
fn point_values_are_finite_constants() {
    for at in ["x=0/0", "x=0*inf", "x=0y", "x=0x10"] {
        let mut s = deriv::Session::new();
        assert!(s.point(at).is_err(), "{at} accepted");
    }
}

/// `deriv grad "abs(sin(x))" --at x=pi` (and `abs(x^2-2)` at `sqrt(2)`,
/// `relu(sin(x))`, `max(sin(x),0)` at pi): the kink is found from the
/// exact argument, warned about, and every mode gives SPEC's value 0
/// (`max` splits equally: (cos(pi) + 0)/2 = -1/2).
#[test]
fn exact_kinks_are_reported_in_every_mode() {
    let cases = [
        ("abs(sin(x))", "x=pi", 0.0),
        ("abs(x^2-2)", "x=sqrt(2)", 0.0),
        ("relu(sin(x))", "x=pi", 0.0),
        ("max(sin(x),0)", "x=pi", -0.5),
    ];
    for (src, at, want) in cases {
        let mut s = deriv::Session::new();
        let f = s.parse(src).unwrap();
        let p = s.point(at).unwrap();
        let vars = s.variables(&f);
        assert_eq!(s.kinks(&f.roots(), &p).len(), 1, "{src}");
        for mode in [deriv::Mode::Forward, deriv::Mode::Reverse] {
            let got = s.ad(&f.roots(), &p, &vars, mode, false)[0][0];
            assert_eq!(got, want, "{src} {mode:?}");
        }
        let g = s.gradient(&f).unwrap();
        let sym = s.eval_exprs(&g.entries, &p).values[0];
        assert_eq!(sym, want, "{src} symbolic");
    }
}

/// `deriv eval "log(x,0)" --at x=2`: -0.0 only through `ln(0) = -inf`,
/// which is named.
#[test]
fn log_base_zero_warns() {
    let (_, w) = eval_at("log(x,0)", "x=2");
    assert!(!w.is_empty());
}

/// `deriv stats` on 54 doublings `a1=sin(x)*x; a2=sin(a1)*a1; ...`: the
/// tree count passes 2^64; JSON prints it as a string, never panics.
#[test]
fn stats_of_54_doublings() {
    let mut src = String::from("a1=sin(x)*x");
    for k in 2..=54 {
        src.push_str(&format!("; a{k}=sin(a{})*a{}", k - 1, k - 1));
    }
    src.push_str("; a54");
    for fmt in ["text", "json"] {
        let (code, out, err) = deriv(&["stats", &src, "--format", fmt], b"");
        assert_eq!(code, Some(0), "{fmt}: {err}");
        assert!(!out.is_empty());
    }
}

/// `deriv grad - < /dev/zero`: reading stops at `--max-input`.
#[test]
fn stdin_stops_at_max_input() {
    let big = vec![b'x'; 3_000_000];
    let (code, _, err) = deriv(&["grad", "-", "--max-input", "1000"], &big);
    assert_ne!(code, Some(0));
    assert!(err.contains("max-input") || err.contains("long"), "{err}");
}

/// A parse error on a very long line renders an excerpt, not the line.
#[test]
fn long_line_error_renders_an_excerpt() {
    let mut line = "x+".repeat(2_000_000);
    line.push('*');
    let mut s = Store::new();
    let opts = ParseOptions {
        max_len: usize::MAX,
        ..ParseOptions::default()
    };
    let e = on_big_stack(move || {
        parse_program(&mut s, &line, &opts)
            .map(|_| ())
            .map_err(|e| e.render(&line))
    });
    if let Err(text) = e {
        assert!(text.len() < 1000, "{}", text.len());
    }
}

/// `deriv diff x --wrt x,x,...` with 1001 entries: refused by `--max-order`
/// (default 1000) as `--order 1001` is.
#[test]
fn max_order_counts_repeated_wrt() {
    let mut s = deriv::Session::new();
    let f = s.parse("x").unwrap();
    let x = s.vars("x").unwrap()[0];
    assert!(s.diff(&f, &vec![x; 1001]).is_err());
    assert!(s.diff(&f, &[x; 3]).is_ok());
}

/// `deriv grad x > /dev/full`: an output error exits non-zero with a
/// message. (`deriv --help > /dev/full` is clap's printing in `main.rs`,
/// not covered here.)
#[test]
fn output_errors_exit_non_zero() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        return;
    };
    for args in [&["grad", "x"][..], &["eval", "1"][..]] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_deriv"))
            .args(args)
            .stdout(full.try_clone().unwrap())
            .output()
            .unwrap();
        assert_ne!(out.status.code(), Some(0), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
}
