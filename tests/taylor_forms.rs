//! Issue 12, section 4: Taylor where users expect it. Parameters (`--vars`
//! expands in some variables only), vectors, each value derived by hand in
//! the comments.

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_deriv"))
        .args(args)
        .output()
        .expect("deriv runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// sin(x) = x - x^3/6 + O(x^5), so a*sin(x) = a*x - a*x^3/6 to order 3
/// in x (SPEC's example); exp(a*x) at x=1 is exp(a) + a*exp(a)*(x - 1) to
/// order 1, times y held as a parameter.
#[test]
fn parameters_stay_exact_and_symbolic() {
    let o = run(&[
        "taylor", "a*sin(x)", "--at", "x=0", "--vars", "x", "--order", "3",
    ]);
    assert_eq!(stdout(&o).trim(), "a*x - a*x^3/6");
    let o = run(&["linearize", "exp(a*x)*y", "--at", "x=1", "--vars", "x"]);
    assert_eq!(stdout(&o).trim(), "y*exp(a) + a*y*exp(a)*(x - 1)");
    let o = run(&[
        "taylor", "a*sin(x)", "--at", "x=0", "--vars", "x", "--format", "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).expect("json");
    assert_eq!(v["vars"], serde_json::json!(["x"]));
    // a value for a parameter is refused: it would be a second variable
    let o = run(&["taylor", "a*sin(x)", "--at", "x=0,a=1", "--vars", "x"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    // without --vars every variable needs a value, as before
    let o = run(&["taylor", "a*sin(x)", "--at", "x=0"]);
    assert_eq!(o.status.code(), Some(1));
}

/// A vector: each component expanded. At (0, 1), x*y = x + 0*(y - 1) +
/// x*(y - 1), so its linearization is x; sin(x) is x. At (0, 2) to order
/// 2: exp(x) = 1 + x + x^2/2, and cos(x)*y = (1 - x^2/2)*(2 + (y - 2)) =
/// 2 + (y - 2) - x^2 + (degree 3).
#[test]
fn vectors_expand_component_by_component() {
    let o = run(&["linearize", "[x*y, sin(x)]", "--at", "x=0,y=1"]);
    assert_eq!(stdout(&o).trim(), "[x, x]");
    let o = run(&[
        "taylor",
        "[exp(x), cos(x)*y]",
        "--at",
        "x=0,y=2",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).expect("json");
    assert_eq!(
        v["polynomial"],
        serde_json::json!(["1 + x + x^2/2", "2 + (y - 2) - x^2"])
    );
    assert_eq!(v["order"], 2);
    // a pole in one component is the error, naming it
    let o = run(&["taylor", "[sin(x)/x, 1/x]", "--at", "x=0"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("pole of order 1"));
}

/// A polynomial that is linear, or of lower degree than the order, is its
/// own Taylor polynomial: printed multiplied out, not restated in powers
/// of `x - a`. The notes' example 5.15 (degree 3, order 3) keeps them.
#[test]
fn polynomials_that_are_their_own_expansion_print_plainly() {
    let text = |args: &[&str]| stdout(&run(args)).trim().to_string();
    // 1/2 + (x - 1/2) = x
    assert_eq!(text(&["taylor", "x", "--at", "x=1/2"]), "x");
    // y*(y + (y + x)) = 2*y^2 + x*y, degree 2 < order 3
    assert_eq!(
        text(&[
            "taylor",
            "y*(y + (y + x))",
            "--at",
            "x=15/8,y=-9/8",
            "--order",
            "3"
        ]),
        "x*y + 2*y^2"
    );
    // x3*(x2 + x3)/x3 = x2 + x3 where it is defined
    assert_eq!(
        text(&[
            "taylor",
            "x3*(x2 + x3)/x3",
            "--at",
            "x2=1/4,x3=9/4",
            "--order",
            "3"
        ]),
        "x2 + x3"
    );
    // degree 2 = order 2: the displacements stay (f = 1 + 2*(x-1) + (x-1)^2)
    assert_eq!(
        text(&["taylor", "x^2", "--at", "x=1"]),
        "1 + 2*(x - 1) + (x - 1)^2"
    );
    // coefficients free of the variables count as numbers do:
    // u*log(sigmoid(2)) is linear in u, and a*x (a a parameter) in x
    assert_eq!(
        text(&["linearize", "u*log(sigmoid(2))", "--at", "u=7/4"]),
        "log(sigmoid(2))*u"
    );
    assert_eq!(
        text(&["taylor", "a*x", "--at", "x=1", "--vars", "x"]),
        "a*x"
    );
    // not a polynomial: the displacements stay
    assert_eq!(
        text(&["taylor", "exp(x)", "--at", "x=1"]),
        "exp(1)*(1 + (x - 1) + (x - 1)^2/2)"
    );
    // a constant factor of every coefficient is written once: by hand,
    // sqrt(x) at 11/8 is sqrt(22)/4 + (x - 11/8)/(2*sqrt(22)/4) + ... =
    // sqrt(22)*(1/4 + (x - 11/8)/11 - ...)
    assert_eq!(
        text(&["taylor", "sqrt(x)", "--at", "x=11/8", "--order", "1"]),
        "sqrt(22)*(1/4 + (x - 11/8)/11)"
    );
    // and in LaTeX
    assert_eq!(
        text(&["taylor", "exp(x)", "--at", "x=1", "--format", "latex"]),
        r"T_{2}\left(x\right) = e^{1} \left(1 + \left(x - 1\right) + \frac{1}{2} \left(x - 1\right)^{2}\right)"
    );
}
