//! The `deriv` binary end to end: snapshots of every subcommand in text,
//! JSON and LaTeX (args, exit code, stdout and stderr), and plain assertions
//! whose expected values are derived by hand in the comments.

use std::io::{Read, Write};
use std::process::{Command, Output, Stdio};

use insta_cmd::assert_cmd_snapshot;
use serde_json::{Value, json};

use crate::settings;

/// The notes' worked example f(x) = sqrt(x^2 + e^{x^2}) + cos(x^2 + e^{x^2}).
const NOTES: &str = "sqrt(x^2+exp(x^2)) + cos(x^2+exp(x^2))";
/// The same function as the notes' program of intermediate variables; the
/// notes' `e = cos(c)` is renamed `e2`, since `e` is the constant.
const NOTES_PROGRAM: &str = "a = x^2; b = exp(a); c = a + b; d = sqrt(c); e2 = cos(c); d + e2";
/// The notes' program verbatim: assigning to the constant `e` is an error.
const NOTES_PROGRAM_E: &str = "a = x^2; b = exp(a); c = a + b; d = sqrt(c); e = cos(c); d + e";
/// MML Example 5.15.
const MML_5_15: &str = "x^2 + 2*x*y + y^3";

type Case = (&'static str, &'static [&'static str]);

/// Successful runs of every subcommand, snapshotted in each format.
const SUBCOMMANDS: &[Case] = &[
    ("eval_notes", &["eval", NOTES, "--at", "x=1"]),
    (
        "eval_notes_program",
        &["eval", NOTES_PROGRAM, "--at", "x=1"],
    ),
    ("eval_constant", &["eval", "2e + 1/3"]),
    ("eval_exact_point", &["eval", "sin(x)", "--at", "x=pi/6"]),
    ("eval_vector", &["eval", "[x*y, x + y]", "--at", "x=2,y=3"]),
    ("simplify_notes", &["simplify", NOTES]),
    ("simplify_notes_program", &["simplify", NOTES_PROGRAM]),
    ("simplify_like_terms", &["simplify", "x + x + 2*x*y - y*x"]),
    ("simplify_fractions", &["simplify", "1/3 + 1/6 + 2x/4"]),
    ("simplify_vector", &["simplify", "[x + x, 2*y*y]"]),
    ("simplify_x_over_x", &["simplify", "x/x"]),
    ("diff_notes", &["diff", NOTES, "--wrt", "x"]),
    (
        "diff_notes_program",
        &["diff", NOTES_PROGRAM, "--wrt", "x", "--at", "x=1"],
    ),
    (
        "diff_order_3",
        &["diff", "x^3*y^2", "--wrt", "x", "--order", "3"],
    ),
    (
        "diff_order_0",
        &["diff", "x^3*y^2", "--wrt", "x", "--order", "0"],
    ),
    (
        "diff_mixed",
        &["diff", "x^3*y^2", "--wrt", "x,y,x", "--at", "x=2,y=3"],
    ),
    ("diff_repeated_wrt", &["diff", "x^2*y^3", "--wrt", "y,y"]),
    ("grad_notes", &["grad", NOTES]),
    (
        "grad_notes_program",
        &["grad", NOTES_PROGRAM, "--at", "x=1"],
    ),
    ("grad_x2y", &["grad", "x^2*y", "--at", "x=3,y=2"]),
    (
        "grad_linear",
        &["grad", "1/2*x1 + 1/2*x2", "--at", "x1=1,x2=3"],
    ),
    (
        "grad_vars_parameters",
        &["grad", "a*x^2 + b*y", "--vars", "x,y"],
    ),
    (
        "grad_vars_order",
        &[
            "grad",
            "a*x^2 + b*y",
            "--vars",
            "y,x",
            "--at",
            "x=1,y=2,a=3,b=4",
        ],
    ),
    (
        "grad_vars_not_in_expr",
        &["grad", "a*x^2 + b*y", "--vars", "x,z"],
    ),
    (
        "grad_natural_order",
        &["grad", "x10 + x2 + x_1 + x + y + x1"],
    ),
    ("grad_leading_minus", &["grad", "-x^2"]),
    ("hessian_xy", &["hessian", "x^2*y + sin(x*y)"]),
    ("hessian_at", &["hessian", "x^3 + x*y^2", "--at", "x=1,y=2"]),
    (
        "hessian_parameters",
        &["hessian", "a*x^2*y + b*y^2", "--vars", "x,y"],
    ),
    (
        "hessian_notes_program",
        &["hessian", NOTES_PROGRAM, "--at", "x=1"],
    ),
    (
        "jacobian_vector",
        &["jacobian", "[x*y, x+y, sin(x)]", "--at", "x=0,y=1"],
    ),
    (
        "jacobian_program",
        &[
            "jacobian",
            "a = x*y; b = exp(a); [a, b, a + b]",
            "--at",
            "x=1,y=0",
        ],
    ),
    (
        "jacobian_polar",
        &["jacobian", "[r*cos(t), r*sin(t)]", "--at", "r=2,t=pi/2"],
    ),
    (
        "jacobian_parameters",
        &["jacobian", "[a*x, b*y^2]", "--vars", "y"],
    ),
    ("jacobian_scalar", &["jacobian", "x*y"]),
    (
        "taylor_mml_5_15",
        &["taylor", MML_5_15, "--at", "x=1,y=2", "--order", "3"],
    ),
    (
        "taylor_default_order",
        &["taylor", "exp(x)*cos(y)", "--at", "x=0,y=0"],
    ),
    (
        "taylor_exact_point",
        &["taylor", "sin(t)", "--at", "t=pi/3"],
    ),
    (
        "taylor_numeric",
        &["taylor", "sin(t)", "--at", "t=pi/3", "--numeric"],
    ),
    (
        "taylor_float_point",
        &["taylor", "exp(x)*cos(y)", "--at", "x=0.5,y=0"],
    ),
    (
        "taylor_exp",
        &["taylor", "exp(x)", "--at", "x=0", "--order", "3"],
    ),
    ("taylor_exp_at_1", &["taylor", "exp(x)", "--at", "x=1"]),
    (
        "taylor_geometric",
        &["taylor", "1/(1-x)", "--at", "x=1/2", "--order", "4"],
    ),
    (
        "taylor_notes",
        &["taylor", NOTES, "--at", "x=0", "--order", "4"],
    ),
    (
        "taylor_notes_program",
        &[
            "taylor",
            NOTES_PROGRAM,
            "--at",
            "x=0",
            "--order",
            "4",
            "--numeric",
        ],
    ),
    (
        "linearize_sqrt",
        &["linearize", "sqrt(x)*y", "--at", "x=4,y=1"],
    ),
    ("linearize_exact", &["linearize", "sin(x)", "--at", "x=1"]),
    (
        "linearize_numeric",
        &["linearize", "sin(x)", "--at", "x=1", "--numeric"],
    ),
    (
        "linearize_linear",
        &["linearize", "1/2*x1 + 1/2*x2", "--at", "x1=1,x2=3"],
    ),
    (
        "linearize_negative_point",
        &["linearize", "x^2 + y^2", "--at", "x=1,y=-1/2"],
    ),
];

/// Derivatives at kinks: each warns on stderr and names the kink.
const KINKS: &[Case] = &[
    ("kink_abs", &["diff", "abs(x)", "--wrt", "x", "--at", "x=0"]),
    ("kink_relu", &["grad", "relu(x) + y", "--at", "x=0,y=1"]),
    ("kink_max_tie", &["grad", "max(x, y)", "--at", "x=1,y=1"]),
    (
        "kink_min_tie_of_three",
        &["grad", "min(x, y, 2)", "--at", "x=2,y=3"],
    ),
    ("kink_taylor_abs", &["taylor", "abs(x)", "--at", "x=0"]),
    (
        "kink_no_warning_off_kink",
        &["grad", "abs(x)", "--at", "x=-2"],
    ),
];

/// Values outside the domain: NaN or ±inf with a warning, exit 0.
const DOMAIN: &[Case] = &[
    ("domain_log_0", &["eval", "log(x)", "--at", "x=0"]),
    ("domain_one_over_0", &["eval", "1/x", "--at", "x=0"]),
    ("domain_sqrt_minus_1", &["eval", "sqrt(x)", "--at", "x=-1"]),
    (
        "domain_grad",
        &["grad", "log(x) + sqrt(y)", "--at", "x=0,y=-1"],
    ),
    (
        "domain_vector",
        &["eval", "[1/x, -1/x, log(x-1)]", "--at", "x=0"],
    ),
    // at an exact pole the value is inf (1/0), not tan(1.5707963267948966)
    ("domain_tan_pole", &["eval", "tan(x)", "--at", "x=pi/2"]),
    (
        "domain_sec_pole_grad",
        &["grad", "sec(x) + y", "--at", "x=-pi/2,y=1"],
    ),
    // 0 * 0^(-1): undefined, however the exact form folds
    ("domain_zero_over_zero", &["eval", "t/t", "--at", "t=0"]),
    // a Taylor polynomial at a pole or outside the domain: undefined
    // coefficients, exit 0 and a warning naming the subexpression (SPEC:
    // never an error, so batch runs go on)
    (
        "domain_taylor_pole",
        &["taylor", "tan(x)", "--at", "x=pi/2"],
    ),
    (
        "domain_linearize_outside",
        &["linearize", "sqrt(x) + y", "--at", "x=-1,y=0"],
    ),
    // AD modes warn too: about f's subexpressions and each non-finite derivative
    (
        "domain_reverse_mode",
        &[
            "hessian", "log(x)*y", "--at", "x=0,y=1", "--mode", "reverse",
        ],
    ),
    (
        "domain_forward_mode_pole",
        &["grad", "tan(x)", "--at", "x=pi/2", "--mode", "forward"],
    ),
];

/// `--check` that finds a disagreement: exit 1 with the full report.
/// Issue 12's examples, each as compact as SymPy's `simplify` or more
/// (the SymPy forms and counts: `tests/algebra_sympy.py`).
const ALGEBRA: &[Case] = &[
    ("algebra_grad_x_to_the_x", &["grad", "x^x"]),
    (
        "algebra_jacobian_reciprocal",
        &["jacobian", "[(1/sin(alpha))^-1, beta^2]"],
    ),
    (
        "algebra_grad_roots",
        &["grad", "((a - p - q)^(1/2)*q^(2/3))^4"],
    ),
    (
        "algebra_simplify_tanh_square",
        &[
            "simplify",
            "(tanh(v) + tanh(u))^2 - tanh(v)^2 - 2*tanh(v)*tanh(u)",
        ],
    ),
    (
        "algebra_taylor_log_sigmoid_cubed",
        &[
            "taylor",
            "log(sigmoid(s))^3",
            "--at",
            "s=3/8",
            "--order",
            "4",
        ],
    ),
    // a quotient rule's cube, expanded by the normal form, is a power
    // again: 2*(t*cos(t) + 1)/(u*cos(t) - 1)^3 (SymPy simplify: 9 operations)
    (
        "algebra_hessian_cubed_denominator",
        &["hessian", "(t + u)/(cos(t) - u^(-1))"],
    ),
    // over one denominator, a power: 2*(3*x^2 - 1)/(x^2 + 1)^3 (SymPy's
    // simplify gives the same, 7 operations)
    (
        "algebra_diff_second_of_reciprocal",
        &["diff", "1/(x^2 + 1)", "--wrt", "x,x"],
    ),
    (
        "algebra_hessian_reciprocal_of_a_sum",
        &["hessian", "1/(x^2 + y^2 + 1)"],
    ),
    (
        "algebra_simplify_binomial_cube",
        &["simplify", "x^3 - 3*x^2*y + 3*x*y^2 - y^3"],
    ),
    (
        "algebra_hessian_polynomial",
        &["hessian", "(3 + x_1)^3*(x_1 - x_1*x_1)*x_1^2"],
    ),
    ("algebra_diff_cot", &["diff", "cot(x)", "--wrt", "x"]),
    (
        "algebra_diff_sin_terms_cancel",
        &[
            "diff",
            "3*(-2 + x^2)*cos(x) + x*(-6 + x^2)*sin(x)",
            "--wrt",
            "x",
        ],
    ),
    (
        "algebra_diff_atanh_is_zero",
        &[
            "diff",
            "atanh(x) - (log(1 + x) - log(1 - x))/2",
            "--wrt",
            "x",
        ],
    ),
    (
        "algebra_simplify_periods",
        &["simplify", "sin(12*pi + y + pi/2)"],
    ),
    ("algebra_simplify_tan_pole", &["simplify", "tan(pi/2)"]),
    ("algebra_grad_log_sin_atan", &["grad", "log(sin(atan(t)))"]),
];

const CHECK_FAILS: &[Case] = &[
    // inf (the exact pole) against 2.7e32 (AD at the nearest float)
    (
        "domain_check_pole",
        &["grad", "tan(x)", "--at", "x=pi/2", "--check"],
    ),
];

/// Bad input: exit 1, a message on stderr, nothing on stdout.
const INPUT_ERRORS: &[Case] = &[
    ("error_syntax_operand", &["grad", "x + * y"]),
    ("error_syntax_paren", &["grad", "(1 + 2"]),
    ("error_unicode_minus", &["grad", "x − y"]),
    ("error_unicode_times", &["grad", "x × y"]),
    ("error_unicode_dot", &["grad", "x · y"]),
    ("error_unicode_squared", &["grad", "x²"]),
    ("error_unknown_function", &["grad", "foo(x)"]),
    ("error_arity", &["grad", "sin(x, y)"]),
    (
        "error_assign_constant_e",
        &["diff", NOTES_PROGRAM_E, "--wrt", "x"],
    ),
    ("error_empty", &["grad", ""]),
    ("error_blank", &["grad", "   "]),
    ("error_too_deep", &["grad", "((((x))))", "--max-depth", "2"]),
    ("error_vector_to_grad", &["grad", "[x, y]"]),
    ("error_eval_without_point", &["eval", "x + y"]),
    ("error_point_missing", &["taylor", "x*y", "--at", "x=1"]),
    (
        "error_point_missing_parameter",
        &["grad", "a*x^2 + b*y", "--vars", "x", "--at", "x=1"],
    ),
    (
        "error_point_extra",
        &["taylor", "x*y", "--at", "x=1,y=2,z=3"],
    ),
    (
        "error_point_extra_constant_expr",
        &["eval", "2+3", "--at", "x=1"],
    ),
    (
        "error_point_duplicate",
        &["taylor", "x*y", "--at", "x=1,y=2,x=3"],
    ),
    ("error_point_infinite", &["eval", "x", "--at", "x=1/0"]),
    ("error_point_log_0", &["eval", "x", "--at", "x=log(0)"]),
    ("error_point_overflow", &["eval", "x", "--at", "x=1e400"]),
    ("error_point_variable_value", &["eval", "x", "--at", "x=y"]),
    ("error_point_no_equals", &["eval", "x", "--at", "x"]),
    ("error_point_empty_pair", &["eval", "x", "--at", "x=1,,"]),
    ("error_point_bad_value", &["eval", "x", "--at", "x=1+"]),
    ("error_point_constant_name", &["eval", "x", "--at", "pi=3"]),
    ("error_vars_twice", &["grad", "x^2", "--vars", "x,x"]),
    ("error_vars_constant", &["grad", "x^2", "--vars", "x,pi"]),
    ("error_vars_empty", &["grad", "x^2", "--vars", ""]),
    (
        "error_order_above_limit",
        &[
            "diff",
            "x^x",
            "--wrt",
            "x",
            "--order",
            "4",
            "--max-order",
            "3",
        ],
    ),
    (
        "error_taylor_not_analytic",
        &["taylor", "log(x)", "--at", "x=0"],
    ),
    (
        "error_taylor_sqrt_at_0",
        &["taylor", "sqrt(x)", "--at", "x=0"],
    ),
    (
        "error_max_terms",
        &[
            "taylor",
            "sin(x)*cos(y)",
            "--at",
            "x=0,y=0",
            "--order",
            "5",
            "--max-terms",
            "3",
        ],
    ),
];

/// Malformed command lines: exit 2, clap's message.
const USAGE_ERRORS: &[Case] = &[
    ("usage_unknown_option", &["grad", "x", "--bogus"]),
    (
        "usage_order_negative",
        &["diff", "x", "--wrt", "x", "--order", "-1"],
    ),
    (
        "usage_order_negative_equals",
        &["diff", "x", "--wrt", "x", "--order=-1"],
    ),
    (
        "usage_order_not_a_number",
        &["diff", "x", "--wrt", "x", "--order", "abc"],
    ),
    (
        "usage_order_with_several_wrt",
        &["diff", "x*y", "--wrt", "x,y", "--order", "2"],
    ),
    ("usage_taylor_without_at", &["taylor", "x"]),
    ("usage_diff_without_wrt", &["diff", "x"]),
];

/// An unknown `--format`: a usage error.
const BAD_FORMAT: &[&str] = &["grad", "x", "--format", "yaml"];

fn deriv(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_deriv"));
    cmd.args(args);
    cmd
}

fn with_format(args: &[&str], format: &str) -> Command {
    let mut cmd = deriv(args);
    cmd.args(["--format", format]);
    cmd
}

/// Snapshots each case in each format, named `NAME_FORMAT`.
fn snapshot_all(cases: &[Case], formats: &[&str]) {
    let _g = settings().bind_to_scope();
    for (name, args) in cases {
        for format in formats {
            let mut cmd = with_format(args, format);
            assert_cmd_snapshot!(format!("{name}_{format}"), cmd);
        }
    }
}

#[test]
fn subcommands() {
    snapshot_all(SUBCOMMANDS, &["text", "json", "latex"]);
}

#[test]
fn kinks() {
    snapshot_all(KINKS, &["text", "json", "latex"]);
}

#[test]
fn domain() {
    snapshot_all(DOMAIN, &["text", "json", "latex"]);
}

#[test]
fn algebra() {
    snapshot_all(ALGEBRA, &["text", "json"]);
}

#[test]
fn check_failures() {
    snapshot_all(CHECK_FAILS, &["text", "json", "latex"]);
}

#[test]
fn input_errors() {
    snapshot_all(INPUT_ERRORS, &["text", "json"]);
}

#[test]
fn usage_errors() {
    snapshot_all(USAGE_ERRORS, &["text", "json"]);
}

/// `--format yaml`: snapshotted on its own, since the other usage cases get
/// a `--format` appended.
#[test]
fn usage_bad_format() {
    let _g = settings().bind_to_scope();
    let mut cmd = deriv(BAD_FORMAT);
    assert_cmd_snapshot!("usage_bad_format", cmd);
}

#[test]
fn end_of_options() {
    let _g = settings().bind_to_scope();
    assert_cmd_snapshot!(
        "end_of_options",
        deriv(&["grad", "--format", "json", "--", "-x^2"])
    );
}

/// Standard input (`-`): programs with comments and blank lines, invalid
/// UTF-8, empty input.
#[test]
fn stdin() {
    let _g = settings().bind_to_scope();
    let program = "# the notes' worked example\na = x^2\nb = exp(a)\n\nc = a + b\nd = sqrt(c)\ne2 = cos(c)\nd + e2\n";
    let cases: &[(&str, &[&str], &[u8])] = &[
        (
            "stdin_program",
            &["grad", "-", "--at", "x=1"],
            program.as_bytes(),
        ),
        (
            "stdin_vector_program",
            &["jacobian", "-", "--at", "x=1,y=2"],
            b"a = x^2; [a, a*y]\n",
        ),
        ("stdin_invalid_utf8", &["grad", "-"], b"x\xff + 1"),
        ("stdin_empty", &["grad", "-"], b""),
        (
            "stdin_comments_only",
            &["grad", "-"],
            b"\n# nothing here\n\n",
        ),
        (
            "stdin_syntax_error_line_2",
            &["grad", "-"],
            b"a = x^2\nb = a +\nb\n",
        ),
    ];
    for (name, args, input) in cases {
        for format in ["text", "json"] {
            assert_cmd_snapshot!(
                format!("{name}_{format}"),
                with_format(args, format).pass_stdin(*input)
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Plain assertions.

fn run(args: &[&str]) -> Output {
    deriv(args).output().expect("deriv runs")
}

fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = deriv(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("deriv runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write stdin");
    child.wait_with_output().expect("deriv finishes")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

/// Runs with `--format json`, checks exit 0 and one line, returns the object.
fn json_of(args: &[&str]) -> Value {
    let o = with_format(args, "json").output().expect("deriv runs");
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.ends_with('\n') && out.matches('\n').count() == 1,
        "{args:?}: not one line: {out:?}"
    );
    serde_json::from_str(&out).expect("stdout is JSON")
}

fn text_of(args: &[&str]) -> String {
    let o = run(args);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    stdout(&o)
}

fn close(got: f64, want: f64) -> bool {
    (got - want).abs() <= 1e-12 * want.abs().max(1.0)
}

#[test]
fn gradient_of_x2y_at_3_2() {
    // d/dx x^2*y = 2xy = 2*3*2 = 12; d/dy x^2*y = x^2 = 9.
    let v = json_of(&["grad", "x^2*y", "--at", "x=3,y=2"]);
    assert_eq!(v["command"], "grad");
    assert_eq!(v["vars"], json!(["x", "y"]));
    assert_eq!(v["gradient"], json!(["2*x*y", "x^2"]));
    assert_eq!(v["value"], json!([12.0, 9.0]));
}

/// The variables are those written, even where the canonical form cancels
/// one (`y - y = 0`): they are listed, accepted in the point, and their
/// derivatives are 0; a point need not give them.
#[test]
fn cancelled_variables_are_still_variables() {
    let v = json_of(&["grad", "x + y - y", "--at", "x=1,y=2"]);
    assert_eq!(v["vars"], json!(["x", "y"]));
    assert_eq!(v["gradient"], json!(["1", "0"]));
    assert_eq!(v["value"], json!([1.0, 0.0]));
    // through assigned names too, but not from statements the output skips
    let v = json_of(&["hessian", "u = w; a = y - y; x^2 + a"]);
    assert_eq!(v["vars"], json!(["x", "y"]));
    assert_eq!(v["hessian"], json!([["2", "0"], ["0", "0"]]));
    let v = json_of(&["linearize", "tanh(y - y) + x^2", "--at", "x=3,y=-1"]);
    assert_eq!(v["vars"], json!(["x", "y"]));
    assert_eq!(v["polynomial"], "9 + 6*(x - 3)");
    let v = json_of(&["eval", "x + y - y", "--at", "x=1"]);
    assert_eq!(v["value"], json!(1.0));
    // trace: d(x)/dx = 1 for a bare variable, and 0 for the cancelled one
    let v = json_of(&["trace", "x + y - y", "--at", "x=5,y=1"]);
    assert_eq!(v["gradient"], json!([1.0, 0.0]));
}

#[test]
fn implicit_multiplication_binds_like_times() {
    // `1/2t` is (1/2)*t, so at t=6 it is 3 (not 1/12).
    assert_eq!(text_of(&["eval", "1/2t", "--at", "t=6"]), "3\n");
    assert_eq!(
        json_of(&["eval", "1/2t", "--at", "t=6"])["value"],
        json!(3.0)
    );
    // `2x^2` is 2*(x^2) = 18 at x=3; `-x^2` is -(x^2) = -9.
    assert_eq!(text_of(&["eval", "2x^2", "--at", "x=3"]), "18\n");
    assert_eq!(text_of(&["eval", "-x^2", "--at", "x=3"]), "-9\n");
}

#[test]
fn taylor_polynomial_parses_back() {
    // exp(x) at 0 to order 3 is 1 + x + x^2/2 + x^3/6; at x = 0.1 that is
    // 1 + 0.1 + 0.01/2 + 0.001/6.
    let v = json_of(&["taylor", "exp(x)", "--at", "x=0", "--order", "3"]);
    let poly = v["polynomial"].as_str().expect("polynomial").to_string();
    let value = json_of(&["eval", &poly, "--at", "x=0.1"])["value"]
        .as_f64()
        .expect("number");
    let want = 1.0 + 0.1 + 0.01 / 2.0 + 0.001 / 6.0;
    assert!(close(value, want), "{poly} at 0.1 = {value}, want {want}");
}

#[test]
fn mml_example_5_15() {
    // f = x^2 + 2xy + y^3 at (1, 2): f = 1 + 4 + 8 = 13; f_x = 2x + 2y = 6,
    // f_y = 2x + 3y^2 = 14; f_xx/2 = 1, f_xy = 2, f_yy/2 = 6y/2 = 6;
    // f_yyy/6 = 1, other third derivatives 0.
    let want =
        "13 + 6*(x - 1) + 14*(y - 2) + (x - 1)^2 + 2*(x - 1)*(y - 2) + 6*(y - 2)^2 + (y - 2)^3";
    let args = ["taylor", MML_5_15, "--at", "x=1,y=2", "--order", "3"];
    assert_eq!(text_of(&args), format!("{want}\n"));
    let v = json_of(&args);
    assert_eq!(v["polynomial"], want);
    assert_eq!(v["order"], 3);
    assert_eq!(v["at"], json!({"x": 1.0, "y": 2.0}));
    // The polynomial of a cubic to order 3 is the cubic: equal at (3, -1),
    // where f = 9 - 6 - 1 = 2.
    let back = json_of(&["eval", want, "--at", "x=3,y=-1"]);
    assert_eq!(back["value"], json!(2.0));
}

#[test]
fn linear_function_of_the_notes() {
    // f = x1/2 + x2/2: the gradient is [1/2, 1/2] everywhere, f(1, 3) = 2.
    let v = json_of(&["grad", "1/2*x1 + 1/2*x2", "--at", "x1=1,x2=3"]);
    assert_eq!(v["gradient"], json!(["1/2", "1/2"]));
    assert_eq!(v["value"], json!([0.5, 0.5]));
    let e = json_of(&["eval", "1/2*x1 + 1/2*x2", "--at", "x1=1,x2=3"]);
    assert_eq!(e["value"], json!(2.0));
    // Its Hessian is zero.
    let h = json_of(&["hessian", "1/2*x1 + 1/2*x2"]);
    assert_eq!(h["hessian"], json!([["0", "0"], ["0", "0"]]));
}

#[test]
fn worked_example_expression_and_program_agree() {
    // f'(x) = 2x(1 + e^{x^2}) (1/(2 sqrt(c)) - sin(c)), c = x^2 + e^{x^2}.
    let x = 1.0_f64;
    let c = x * x + (x * x).exp();
    let want = 2.0 * x * (1.0 + (x * x).exp()) * (0.5 / c.sqrt() - c.sin());
    for f in [NOTES, NOTES_PROGRAM] {
        let v = json_of(&["diff", f, "--wrt", "x", "--at", "x=1"]);
        let got = v["value"].as_f64().expect("number");
        assert!(close(got, want), "{f}: {got} != {want}");
        let g = json_of(&["grad", f, "--at", "x=1"]);
        assert!(close(g["value"][0].as_f64().expect("number"), want));
        // f(1) = sqrt(1 + e) + cos(1 + e)
        let e = json_of(&["eval", f, "--at", "x=1"]);
        let f1 = (1.0 + std::f64::consts::E).sqrt() + (1.0 + std::f64::consts::E).cos();
        assert!(close(e["value"].as_f64().expect("number"), f1));
    }
}

#[test]
fn diff_wrt_lists_every_differentiation() {
    // d^3/dx^3 x^3 y^2 = 6 y^2.
    let v = json_of(&["diff", "x^3*y^2", "--wrt", "x", "--order", "3"]);
    assert_eq!(v["wrt"], json!(["x", "x", "x"]));
    assert_eq!(v["derivative"], "6*y^2");
    // d/dx d/dy d/dx x^3 y^2 = 12 x y = 72 at (2, 3).
    let v = json_of(&["diff", "x^3*y^2", "--wrt", "x,y,x", "--at", "x=2,y=3"]);
    assert_eq!(v["wrt"], json!(["x", "y", "x"]));
    assert_eq!(v["value"], json!(72.0));
}

#[test]
fn hessian_and_jacobian_values() {
    // f = x^3 + x y^2: f_xx = 6x = 6, f_xy = 2y = 4, f_yy = 2x = 2 at (1, 2).
    let v = json_of(&["hessian", "x^3 + x*y^2", "--at", "x=1,y=2"]);
    assert_eq!(v["value"], json!([[6.0, 4.0], [4.0, 2.0]]));
    // [xy, x+y, sin x] at (0, 1): rows [y, x] = [1, 0], [1, 1], [cos 0, 0] = [1, 0].
    let v = json_of(&["jacobian", "[x*y, x+y, sin(x)]", "--at", "x=0,y=1"]);
    assert_eq!(v["value"], json!([[1.0, 0.0], [1.0, 1.0], [1.0, 0.0]]));
}

#[test]
fn non_finite_values_are_json_strings() {
    // log(0) = -inf, 1/0 = inf, sqrt(-1) = NaN; each with one warning line.
    for (expr, at, want) in [
        ("log(x)", "x=0", "-inf"),
        ("1/x", "x=0", "inf"),
        ("sqrt(x)", "x=-1", "NaN"),
    ] {
        let o = with_format(&["eval", expr, "--at", at], "json")
            .output()
            .expect("deriv runs");
        assert_eq!(o.status.code(), Some(0));
        let v: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
        assert_eq!(v["value"], want, "{expr}");
        let err = stderr(&o);
        let w: Value = serde_json::from_str(err.trim_end()).expect("warning is JSON");
        assert!(
            w["warning"]["message"]
                .as_str()
                .expect("message")
                .contains(expr),
            "{expr}: {err}"
        );
    }
}

/// Every successful JSON output (of the snapshot cases) is one line.
#[test]
fn json_output_is_one_line() {
    for (_, args) in SUBCOMMANDS.iter().chain(KINKS).chain(DOMAIN) {
        let v = json_of(args);
        assert_eq!(v["command"], args[0], "{args:?}");
        assert!(v["vars"].is_array(), "{args:?}");
        assert!(v["input"].is_string(), "{args:?}");
    }
}

/// Bad input: exit 1, nothing on stdout; in JSON, stderr is one line holding
/// `{"error": {"message", "span"}}`.
#[test]
fn input_errors_exit_1_with_empty_stdout() {
    for (_, args) in INPUT_ERRORS {
        let o = run(args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(o.stdout.is_empty(), "{args:?}: {}", stdout(&o));
        assert!(stderr(&o).starts_with("deriv: error: "), "{args:?}");

        let o = with_format(args, "json").output().expect("deriv runs");
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(o.stdout.is_empty(), "{args:?}: {}", stdout(&o));
        let err = stderr(&o);
        assert_eq!(err.matches('\n').count(), 1, "{args:?}: {err}");
        let v: Value = serde_json::from_str(&err).expect("error is JSON");
        assert!(v["error"]["message"].is_string(), "{args:?}");
        let span = &v["error"]["span"];
        assert!(
            span.is_null() || span.as_array().is_some_and(|s| s.len() == 2),
            "{args:?}: {span}"
        );
    }
}

#[test]
fn usage_errors_exit_2_with_empty_stdout() {
    for (_, args) in USAGE_ERRORS {
        for format in ["text", "json"] {
            let o = with_format(args, format).output().expect("deriv runs");
            assert_eq!(o.status.code(), Some(2), "{args:?}");
            assert!(o.stdout.is_empty(), "{args:?}");
            assert!(stderr(&o).starts_with("error: "), "{args:?}");
        }
    }
    let o = run(BAD_FORMAT);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
}

#[test]
fn error_spans_point_into_the_input() {
    // `x + * y`: the `*` is byte 4.
    let o = with_format(&["grad", "x + * y"], "json")
        .output()
        .expect("runs");
    let v: Value = serde_json::from_str(&stderr(&o)).expect("JSON");
    assert_eq!(v["error"]["span"], json!([4, 5]));
    // `x − y`: U+2212 is three bytes at 2..5.
    let o = with_format(&["grad", "x − y"], "json")
        .output()
        .expect("runs");
    let v: Value = serde_json::from_str(&stderr(&o)).expect("JSON");
    assert_eq!(v["error"]["span"], json!([2, 5]));
    // The notes' `e = cos(c)`: `e` is byte 45.
    let o = with_format(&["diff", NOTES_PROGRAM_E, "--wrt", "x"], "json")
        .output()
        .expect("runs");
    let v: Value = serde_json::from_str(&stderr(&o)).expect("JSON");
    assert_eq!(v["error"]["span"], json!([45, 46]));
    assert_eq!(&NOTES_PROGRAM_E[45..46], "e");
}

#[test]
fn stdin_errors_and_programs() {
    // Invalid UTF-8 at byte 1: exit 1, nothing on stdout.
    let o = run_stdin(&["grad", "-"], b"x\xff");
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    let o = run_stdin(&["grad", "-"], b"");
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    // a = x^2; a*y: gradient [2xy, x^2].
    let o = run_stdin(&["grad", "-", "--format", "json"], b"a = x^2\na*y\n");
    assert_eq!(o.status.code(), Some(0));
    let v: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(v["gradient"], json!(["2*x*y", "x^2"]));
}

#[test]
fn leading_minus_and_end_of_options_agree() {
    // d/dx -x^2 = -2x either way.
    let a = text_of(&["grad", "-x^2"]);
    let b = text_of(&["grad", "--", "-x^2"]);
    assert_eq!(a, "df/dx = -2*x\n");
    assert_eq!(a, b);
}

/// A reader that closes stdout before the result is written: exit 0 and
/// no error message.
#[test]
fn broken_pipe_exits_0() {
    // A 10000-term sum printed back (about 99 kB): more than a pipe buffer.
    // (Not `grad`: its time grows about cubically with the number of
    // variables, 47 s for 6000.)
    let expr = (1..=10000)
        .map(|i| format!("x{i}^2"))
        .collect::<Vec<_>>()
        .join(" + ");
    let mut child = deriv(&["simplify", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("deriv runs");
    let mut out = child.stdout.take().expect("stdout");
    let mut first = [0u8; 1];
    let mut input = child.stdin.take().expect("stdin");
    input.write_all(expr.as_bytes()).expect("write stdin");
    drop(input);
    // Read one byte (the result has started), then hang up.
    out.read_exact(&mut first).expect("some output");
    drop(out);
    let o = child.wait_with_output().expect("deriv finishes");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
}

/// Issue 10: orders far above --max-order are answered where the
/// derivatives vanish or repeat (by hand: the derivatives of x are 1, 0;
/// of sin are cos, -sin, -cos, sin with period 4; of exp(2x) 2^n exp(2x)).
#[test]
fn high_orders_stop_where_derivatives_vanish_or_repeat() {
    for (args, want) in [
        (
            &["diff", "x", "--wrt", "x", "--order", "100000000"][..],
            "0",
        ),
        (&["diff", "x^3", "--wrt", "x", "--order", "1001"][..], "0"),
        (
            &["diff", "sin(t)", "--wrt", "t", "--order", "100000003"][..],
            "-cos(t)",
        ),
        (
            &["diff", "exp(2*x)", "--wrt", "x", "--order", "10"][..],
            "1024*exp(2*x)",
        ),
        (
            &["diff", "sinh(x)", "--wrt", "x", "--order", "100001"][..],
            "cosh(x)",
        ),
    ] {
        let o = run(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert_eq!(stdout(&o).trim(), want, "{args:?}");
    }
    let o = run(&[
        "diff",
        "x",
        "--wrt",
        "x",
        "--order",
        "100000000",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).expect("json");
    assert_eq!(v["order"], 100000000);
    assert_eq!(v["wrt"], serde_json::json!(["x"]));
}

/// Issue 10: an option typed in the expression's place, empty results,
/// --vars naming a variable the expression lacks, --check's verdicts.
#[test]
fn rough_edges_of_a_new_user() {
    let o = run(&["grad", "--version"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("deriv "), "{}", stdout(&o));
    let o = run(&["grad", "--bogus"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert!(stderr(&o).contains("'--bogus'"), "{}", stderr(&o));
    let o = run(&["grad", "--help"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("Examples:"), "{}", stdout(&o));
    // -x^2 and -v*x stay expressions, and after -- so does --x
    assert_eq!(
        stdout(&run(&["grad", "-v*x", "--vars", "x"])).trim(),
        "df/dx = -v"
    );
    assert_eq!(stdout(&run(&["grad", "--", "--x"])).trim(), "df/dx = 1");
    for src in ["5", "x = 2; x^2"] {
        let o = run(&["grad", src]);
        assert_eq!(o.status.code(), Some(0));
        assert_eq!(stdout(&o).trim(), "[]", "{src}");
        assert!(stderr(&o).contains("no variables"), "{}", stderr(&o));
    }
    let o = run(&["hessian", "5", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).expect("json");
    assert_eq!(v["hessian"], serde_json::json!([]));
    let o = run(&["grad", "x*y", "--vars", "x,X"]);
    assert_eq!(stdout(&o), "df/dx = y\ndf/dX = 0\n");
    assert!(stderr(&o).contains("`X` does not occur"), "{}", stderr(&o));
    // the modes agree at x = 0; only finite differences fail there
    let o = run(&["grad", "sqrt(x)", "--at", "x=0", "--check"]);
    let text = stdout(&o);
    assert!(text.contains("forward and reverse agree"), "{text}");
    assert!(text.contains("finite differences DISAGREE"), "{text}");
}

/// Issue 10: completions and a man page from the clap definition, and
/// the list of functions.
#[test]
fn shell_niceties() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let o = run(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        assert!(stdout(&o).contains("taylor"), "{shell}");
    }
    let o = run(&["man"]);
    assert!(stdout(&o).contains(".TH deriv 1"));
    let o = run(&["help", "functions"]);
    assert!(
        stdout(&o).contains("relu'(0) = step(0) = 0"),
        "{}",
        stdout(&o)
    );
    let help = stdout(&run(&["taylor", "--help"]));
    let limits = help.find("Limits:").expect("a Limits heading");
    assert!(help.find("--at").expect("--at") < limits, "{help}");
}

/// Issue 10: a file with a bad line in the middle through `--each-line
/// --format json`: one output line per input line, the error in place,
/// exit 1 at the end; a shared point narrowed to each line's variables.
#[test]
fn each_line_streams_one_result_per_line() {
    let dir = std::env::temp_dir().join(format!("deriv-each-line-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("exprs.txt");
    std::fs::write(&file, "x^2*y\nsin(x +\nexp(x)\n").expect("writes");
    let path = file.to_str().expect("utf-8 path");
    let o = run(&[
        "grad",
        path,
        "--each-line",
        "--format",
        "json",
        "--at",
        "x=1,y=2",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(lines.len(), 3);
    // d/dx x^2*y = 2xy = 4, d/dy = x^2 = 1 at (1, 2); d/dx exp(x) = e at 1
    assert_eq!(lines[0]["value"], serde_json::json!([4.0, 1.0]));
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[1]["input"], "sin(x +");
    assert!(lines[1]["error"]["message"].is_string());
    assert_eq!(lines[2]["value"][0].as_f64(), Some(std::f64::consts::E));
    let o = run_stdin(&["grad", "-", "--each-line"], b"x*y\nx^3\n");
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), "df/dx = y; df/dy = x\ndf/dx = 3*x^2\n");
    let _ = std::fs::remove_dir_all(&dir);
}
