//! `--points`: row by row, the same numbers as `--at` at the same point
//! (a property over random expressions and points), the CSV and JSON Lines
//! shapes, and errors naming the line.

use std::io::Write;
use std::process::{Command, Stdio};

use proptest::prelude::*;
use serde_json::Value;

fn deriv(args: &[&str], stdin: &str) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_deriv"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("writes");
    let out = child.wait_with_output().expect("waits");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Random expressions in x and y of bounded depth.
fn expr() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("x".to_string()),
        Just("y".to_string()),
        (1i32..5).prop_map(|k| k.to_string()),
    ];
    leaf.prop_recursive(3, 16, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} + {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} * {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} / {b})")),
            inner.clone().prop_map(|a| format!("({a})^2")),
            (
                prop::sample::select(vec!["sin", "cos", "exp", "log", "sqrt", "tanh", "atan"]),
                inner
            )
                .prop_map(|(f, a)| format!("{f}({a})")),
        ]
    })
}

fn json_values(line: &str) -> Value {
    serde_json::from_str::<Value>(line).expect("JSON")["value"].clone()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn points_agree_with_at(
        f in expr(),
        rows in prop::collection::vec((-3.0f64..3.0, -3.0f64..3.0), 1..4),
    ) {
        let mut csv = "y,x,unused\n".to_string();
        for (x, y) in &rows {
            csv.push_str(&format!("{y:?},{x:?},7\n"));
        }
        let (ok, out, err) = deriv(&["grad", &f, "--vars", "x,y", "--points", "-", "--format", "json"], &csv);
        prop_assert!(ok, "{f}: {err}");
        let lines: Vec<&str> = out.lines().collect();
        prop_assert_eq!(lines.len(), rows.len());
        for ((x, y), line) in rows.iter().zip(&lines) {
            // float literals: the point is inexact, as the CSV's values are
            let at = format!("x={x:?},y={y:?}");
            let (ok, single, err) = deriv(&["grad", &f, "--vars", "x,y", "--at", &at, "--format", "json"], "");
            prop_assert!(ok, "{f} at {at}: {err}");
            let single: Value = serde_json::from_str(single.trim()).expect("JSON");
            prop_assert_eq!(&json_values(line), &single["value"], "{} at {}", f, at);
        }
    }
}

#[test]
fn csv_has_a_header_and_one_row_per_point() {
    // d/dx x^2*y = 2xy, d/dy = x^2: at (1, 2) [4, 1], at (3, 0.5) [3, 9]
    let (ok, out, _) = deriv(&["grad", "x^2*y", "--points", "-"], "x,y\n1,2\n3,0.5\n");
    assert!(ok);
    assert_eq!(out, "df/dx,df/dy\n4,1\n3,9\n");
    let (ok, out, _) = deriv(&["hessian", "x^2*y", "--points", "-"], "x,y\n1,2\n");
    assert!(ok);
    assert_eq!(out, "d2f/dxdx,d2f/dxdy,d2f/dydx,d2f/dydy\n4,2,2,0\n");
    let (ok, out, _) = deriv(&["eval", "[x+1, x*x]", "--points", "-"], "x\n2\n");
    assert!(ok);
    assert_eq!(out, "f1,f2\n3,4\n");
}

#[test]
fn a_bad_row_names_its_line_and_domain_errors_are_counted() {
    let (ok, _, err) = deriv(
        &["diff", "x^3", "--wrt", "x", "--points", "-"],
        "x\n1\nabc\n",
    );
    assert!(!ok);
    assert!(err.contains("line 3"), "{err}");
    let (ok, _, err) = deriv(&["grad", "x^2*y", "--points", "-"], "y\n1\n");
    assert!(!ok);
    assert!(err.contains("no column for `x`"), "{err}");
    // log(x) at 0 and -1: one warning with the count of rows
    let (ok, out, err) = deriv(&["eval", "log(x)", "--points", "-"], "x\n0\n-1\n1\n");
    assert!(ok);
    assert_eq!(out, "f\n-inf\nNaN\n0\n");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("at 2 points"), "{err}");
}

#[test]
fn no_derivative_where_the_function_is_undefined() {
    // (1/sin(a))^(-1) has the derivative cos(a) wherever it is defined, but
    // is undefined at a = 0 (1/sin(0)), where cos(0) = 1 would be a
    // confident wrong number: NaN with a warning, at a point and per row
    let (ok, out, err) = deriv(&["grad", "(1/sin(a))^-1", "--at", "a=0"], "");
    assert!(ok, "{err}");
    assert!(out.contains("df/da = cos(a)"), "{out}");
    assert!(out.ends_with("df/da = NaN\n"), "{out}");
    assert!(err.contains("no derivative there"), "{err}");
    let (ok, out, err) = deriv(&["grad", "(1/sin(a))^-1", "--points", "-"], "a\n0\n0.5\n");
    assert!(ok, "{err}");
    // cos(0.5) = 0.8775825618903728 (the float cos, correctly rounded)
    assert_eq!(out, "df/da\nNaN\n0.8775825618903728\n");
    assert!(
        err.contains("undefined at 1 point (the first is data row 1)"),
        "{err}"
    );
    // the derivative of log(x) is 1/x, which is -1 at x = -1, where log
    // has no real value; and of atanh(x) - (log(1+x) - log(1-x))/2 it is
    // 0 where |x| < 1 only
    let (ok, out, _) = deriv(&["diff", "log(x)", "--wrt", "x", "--at", "x=-1"], "");
    assert!(ok);
    assert!(out.ends_with("= NaN at x=-1\n"), "{out}");
    let f = "atanh(x) - (log(1 + x) - log(1 - x))/2";
    let (ok, out, _) = deriv(
        &["diff", f, "--wrt", "x", "--points", "-"],
        "x\n0.5\n5\n-3\n",
    );
    assert!(ok);
    assert_eq!(out, "df/dx\n0\nNaN\nNaN\n");
    // a Jacobian row by row: log(x) is undefined at -1, x^2 is not
    let (ok, out, _) = deriv(&["jacobian", "[log(x), x^2]", "--at", "x=-1"], "");
    assert!(ok);
    assert!(out.ends_with("[NaN]\n[-2]\n"), "{out}");
}
