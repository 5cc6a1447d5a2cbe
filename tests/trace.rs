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
