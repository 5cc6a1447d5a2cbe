//! `deriv trace` on the lecture notes' worked example, in every format
//! (snapshots), and its numbers against `grad`.

use std::process::Command;

use insta_cmd::assert_cmd_snapshot;

use crate::settings;

const NOTES: &str = "sqrt(x^2+exp(x^2)) + cos(x^2+exp(x^2))";

fn deriv() -> Command {
    Command::new(env!("CARGO_BIN_EXE_deriv"))
}

#[test]
fn trace_of_the_notes_example_in_every_format() {
    let _g = settings().bind_to_scope();
    for (name, format) in [
        ("trace_notes_text", "text"),
        ("trace_notes_json", "json"),
        ("trace_notes_latex", "latex"),
    ] {
        assert_cmd_snapshot!(
            name,
            deriv().args(["trace", NOTES, "--at", "x=0.5", "--format", format])
        );
    }
}

#[test]
fn trace_keeps_the_names_of_a_program() {
    let _g = settings().bind_to_scope();
    assert_cmd_snapshot!(
        "trace_notes_program",
        deriv().args([
            "trace",
            "a = x^2; b = exp(a); c = a + b; d = sqrt(c); g = cos(c); d + g",
            "--at",
            "x=0.5"
        ])
    );
}

#[test]
fn trace_gradient_agrees_with_grad() {
    let json = |args: &[&str]| -> serde_json::Value {
        let out = deriv()
            .args(args)
            .args(["--format", "json"])
            .output()
            .expect("runs");
        assert!(out.status.success());
        serde_json::from_slice(&out.stdout).expect("json")
    };
    for (src, at) in [
        (NOTES, "x=0.5"),
        ("x*y^2 + exp(x*y)", "x=0.3,y=-1.2"),
        ("atan2(y, x)*z", "x=1,y=2,z=3"),
    ] {
        let t = json(&["trace", src, "--at", at]);
        let g = json(&["grad", src, "--at", at]);
        let (a, b) = (
            t["gradient"].as_array().expect("array"),
            g["value"].as_array().expect("array"),
        );
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(b) {
            let (x, y) = (x.as_f64().expect("num"), y.as_f64().expect("num"));
            assert!(
                (x - y).abs() <= 1e-12 * x.abs().max(1.0),
                "{src}: trace {x} vs grad {y}"
            );
        }
    }
}

/// `x*y + y*z` at (1, 2, 3), by hand: a = x*y, b = y*z, f = a + b. Each
/// input's forward sweep lists only the intermediates that depend on it,
/// each with the chain rule's terms that are not 0: da/dx = y = 2 and
/// df/dx = 2; da/dy = x = 1, db/dy = z = 3, df/dy = 4; db/dz = y = 2 and
/// df/dz = 2. The JSON keeps a node's tangents by the inputs below it.
#[test]
fn forward_sweeps_list_the_intermediates_that_depend_on_each_input() {
    let out = deriv()
        .args(["trace", "x*y + y*z", "--at", "x=1,y=2,z=3"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let from = text.find("forward sweep").expect("a forward sweep");
    let forward: Vec<&str> = text[from..].lines().collect();
    assert_eq!(
        forward,
        [
            "forward sweep (tangents dv/dx of the v that depend on x)",
            "  da/dx = da/dx        = 2",
            "  df/dx = df/da*da/dx  = 2",
            "forward sweep (tangents dv/dy)",
            "  da/dy = da/dy                      = 1",
            "  db/dy = db/dy                      = 3",
            "  df/dy = df/da*da/dy + df/db*db/dy  = 4",
            "forward sweep (tangents dv/dz of the v that depend on z)",
            "  db/dz = db/dz        = 2",
            "  df/dz = df/db*db/dz  = 2",
            "df/dx = 2",
            "df/dy = 4",
            "df/dz = 2",
        ]
    );
    let out = deriv()
        .args([
            "trace",
            "x*y + y*z",
            "--at",
            "x=1,y=2,z=3",
            "--format",
            "json",
        ])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let tangents: Vec<String> = v["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| format!("{}: {}", n["name"], n["tangents"]))
        .collect();
    assert_eq!(
        tangents,
        [
            r#""a": {"x":2.0,"y":1.0}"#,
            r#""b": {"y":3.0,"z":2.0}"#,
            r#""f": {"x":2.0,"y":4.0,"z":2.0}"#,
        ]
    );
}

/// `x1*y + ... + x4000*y`: the adjoint row of `y` names its 4,000 users,
/// about 86,000 characters (wider than a `format!` width may be: this
/// panicked), and the table is as long as its rows: by hand, 1 + 4,001
/// intermediates, 1 + 12,000 local partials (da/dx1, da/dy, df/da, ...),
/// 1 + 4,001 adjoints + 4,001 gradient rows of the reverse sweep, 3 lines
/// for each x_i's forward sweep (a header, its product, f), 1 + 4,001 for
/// y's, and 4,001 gradient lines: 44,009 (not 4,001 forward sweeps of
/// 4,001 rows each), the wide rows left unpadded.
#[test]
fn a_trace_of_many_inputs_is_as_long_as_its_rows() {
    let n = 4000;
    let src: Vec<String> = (1..=n).map(|i| format!("x{i}*y")).collect();
    let at: Vec<String> = (1..=n)
        .map(|i| format!("x{i}=1"))
        .chain(["y=2".to_string()])
        .collect();
    let out = deriv()
        .args(["trace", &src.join(" + "), "--at", &at.join(",")])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert_eq!(text.lines().count(), 44_009);
    let wide = text
        .lines()
        .find(|l| l.starts_with("  df/dy = df/da*da/dy + "))
        .expect("the adjoint of y");
    assert!(wide.len() > 80_000 && wide.ends_with("  = 4000"));
    // the other rows are padded to the widest of them, not to those: the
    // long lines are the point, f = a + b + ..., and y's two sums
    assert_eq!(text.lines().filter(|l| l.len() > 100).count(), 4);
    assert!(text.ends_with("df/dx4000 = 2\ndf/dy = 4000\n"));
}
