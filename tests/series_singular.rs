//! Removable singularities in Taylor expansions (issue 12 section 4):
//! `sin(x)/x` at 0 is `1 - x^2/6 + x^4/120`, and a true pole is an error
//! naming its order. The expected values come from SymPy's `series`
//! (`tests/reference/series_sympy.py`, which writes `series_sympy.json`).

use deriv::expr::{Number, Store};
use deriv::parse::{ParseOptions, parse_expr};
use deriv::series::{SeriesError, SeriesOptions, linearize, taylor};
use serde_json::Value;

fn reference() -> Value {
    let text = include_str!("reference/series_sympy.json");
    serde_json::from_str(text).expect("reference JSON")
}

/// Parses a case: the store, the expression and the exact point.
fn setup(
    case: &Value,
) -> (
    Store,
    deriv::expr::ExprId,
    Vec<(deriv::expr::Sym, deriv::expr::ExprId)>,
) {
    let mut s = Store::new();
    let src = case["expr"].as_str().expect("expr");
    let f = parse_expr(&mut s, src, &ParseOptions::default()).expect("parses");
    let mut point = Vec::new();
    for (name, v) in case["point"].as_object().expect("point") {
        let sym = s.sym(name);
        let a = s.int(v.as_i64().expect("integer point"));
        point.push((sym, a));
    }
    (s, f, point)
}

#[test]
fn removable_singularities_match_sympy() {
    let r = reference();
    let cases = r["cases"].as_array().expect("cases");
    assert!(cases.len() >= 10);
    for case in cases {
        let (mut s, f, point) = setup(case);
        let order = case["order"].as_u64().expect("order") as u32;
        let t = taylor(&mut s, f, &point, order, &SeriesOptions::default())
            .unwrap_or_else(|e| panic!("{case}: {e}"));
        let mut got: Vec<(String, String)> = t
            .terms
            .iter()
            .map(|(e, c)| {
                let key: Vec<String> = e.iter().map(u32::to_string).collect();
                let value = match s.as_num(*c) {
                    Some(Number::Rational(q)) => q.to_string(),
                    _ => panic!("{case}: coefficient is not an exact number"),
                };
                (key.join(","), value)
            })
            .collect();
        let mut want: Vec<(String, String)> = case["coeffs"]
            .as_object()
            .expect("coeffs")
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().expect("string").to_string()))
            .collect();
        got.sort();
        want.sort();
        assert_eq!(got, want, "{}", case["expr"]);
    }
}

#[test]
fn true_poles_are_errors_naming_their_order() {
    let r = reference();
    for case in r["poles"].as_array().expect("poles") {
        let (mut s, f, point) = setup(case);
        let order = case["order"].as_u64().expect("order") as u32;
        let want = case["pole"].as_u64().expect("pole") as u32;
        match taylor(&mut s, f, &point, order, &SeriesOptions::default()) {
            Err(SeriesError::Pole { order, .. }) => assert_eq!(order, want, "{case}"),
            other => panic!("{case}: {other:?}"),
        }
    }
}

#[test]
fn linearize_of_sin_x_over_x_at_0_is_1() {
    let mut s = Store::new();
    let f = parse_expr(&mut s, "sin(x)/x", &ParseOptions::default()).expect("parses");
    let point = [(s.sym("x"), s.int(0))];
    let t = linearize(&mut s, f, &point, &SeriesOptions::default()).expect("linearize");
    assert_eq!(t.order, 1);
    assert_eq!(t.terms, vec![(vec![0], s.int(1))]);
}

#[test]
fn the_cli_says_pole_of_order_k() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_deriv"))
        .args(["taylor", "cos(x)/x", "--at", "x=0", "--order", "3"])
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("has a pole of order 1 there"), "{err}");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_deriv"))
        .args(["taylor", "sin(x)/x", "--at", "x=0", "--order", "4"])
        .output()
        .expect("runs");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "1 - x^2/6 + x^4/120"
    );
}
