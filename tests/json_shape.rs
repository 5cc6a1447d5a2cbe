//! Issue 10: SPEC's JSON table holds for every combination of flags. Each
//! command runs with each of its flags alone and with every pair of them
//! that goes together; every result carries the fields SPEC lists for the
//! command (`null` where `--mode forward|reverse` computes no
//! expressions), `"at"` when a point is given, and `"input"`.

use std::process::Command;

use serde_json::Value;

/// A command: its base arguments, the fields SPEC lists for it, the field
/// added by `--at`, and its optional flags (each a list of arguments).
struct Shape {
    args: &'static [&'static str],
    fields: &'static [&'static str],
    with_at: &'static [&'static str],
    flags: &'static [&'static [&'static str]],
}

const AT_XY: &[&str] = &["--at", "x=1/2,y=2"];

const DERIV_FLAGS: &[&[&str]] = &[
    AT_XY,
    &["--vars", "y,x"],
    &["--cse"],
    &["--mode", "forward", "--at", "x=1/2,y=2"],
    &["--mode", "reverse", "--at", "x=1/2,y=2"],
    &["--check", "--at", "x=1/2,y=2"],
    &["--exact", "--at", "x=1/2,y=2"],
    &["--timings"],
    &["--repeat", "2"],
];

const SHAPES: &[Shape] = &[
    Shape {
        args: &["eval", "x^2*y + sin(y)", "--at", "x=1/2,y=2"],
        fields: &["value", "at"],
        with_at: &[],
        flags: &[&["--exact"], &["--timings"], &["--repeat", "2"]],
    },
    Shape {
        args: &["simplify", "x*x + x^2 - 3*x/x"],
        fields: &["result"],
        with_at: &[],
        flags: &[&["--timings"], &["--repeat", "2"]],
    },
    Shape {
        args: &["diff", "x^3*y^2", "--wrt", "x,y"],
        fields: &["wrt", "derivative"],
        with_at: &["value", "at"],
        flags: &[
            AT_XY,
            &["--cse"],
            &["--exact", "--at", "x=1/2,y=2"],
            &["--timings"],
            &["--repeat", "2"],
        ],
    },
    Shape {
        args: &["grad", "x^2*y + sin(y)"],
        fields: &["gradient"],
        with_at: &["value", "at"],
        flags: DERIV_FLAGS,
    },
    Shape {
        args: &["hessian", "x^2*y + sin(y)"],
        fields: &["hessian"],
        with_at: &["value", "at"],
        flags: DERIV_FLAGS,
    },
    Shape {
        args: &["jacobian", "[x*y, x + sin(y)]"],
        fields: &["jacobian"],
        with_at: &["value", "at"],
        flags: DERIV_FLAGS,
    },
    Shape {
        args: &["taylor", "exp(x)*cos(y)", "--at", "x=0,y=1/2"],
        fields: &["at", "order", "polynomial"],
        with_at: &[],
        flags: &[
            &["--order", "3"],
            &["--numeric"],
            &["--max-terms", "50"],
            &["--timings"],
            &["--repeat", "2"],
        ],
    },
    Shape {
        args: &["linearize", "exp(x)*cos(y)", "--at", "x=0,y=1/2"],
        fields: &["at", "order", "polynomial"],
        with_at: &[],
        flags: &[&["--numeric"], &["--timings"], &["--repeat", "2"]],
    },
];

/// Flags that do not go together (usage errors by design): two modes, or
/// an AD mode with `--cse`, `--exact` or `--check`.
fn clash(a: &[&str], b: &[&str]) -> bool {
    let mode = |f: &[&str]| f.contains(&"--mode");
    let symbolic_only = |f: &[&str]| {
        ["--cse", "--exact", "--check"]
            .iter()
            .any(|x| f.contains(x))
    };
    (mode(a) && mode(b)) || (mode(a) && symbolic_only(b)) || (mode(b) && symbolic_only(a))
}

/// The arguments of `flags` joined, each `--at` once.
fn join(base: &[&str], flags: &[&[&str]]) -> Vec<String> {
    let mut out: Vec<String> = base.iter().map(|s| s.to_string()).collect();
    for f in flags {
        let mut i = 0;
        while i < f.len() {
            if f[i] == "--at" && out.iter().any(|a| a == "--at") {
                i += 2;
                continue;
            }
            out.push(f[i].to_string());
            i += 1;
        }
    }
    out
}

fn check(shape: &Shape, flags: &[&[&str]]) {
    let mut args = join(shape.args, flags);
    args.extend(["--format".to_string(), "json".to_string()]);
    let o = Command::new(env!("CARGO_BIN_EXE_deriv"))
        .args(&args)
        .output()
        .expect("deriv runs");
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.code() == Some(0) || args.iter().any(|a| a == "--check"),
        "{args:?}: exit {:?}\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
    let v: Value = serde_json::from_str(text.trim())
        .unwrap_or_else(|e| panic!("{args:?}: not one JSON object ({e}): {text}"));
    let mut want: Vec<&str> = vec!["command", "input", "vars"];
    want.extend(shape.fields);
    if args.iter().any(|a| a == "--at") {
        want.extend(shape.with_at);
    }
    for field in want {
        assert!(v.get(field).is_some(), "{args:?}: no `{field}` in {v}");
    }
    assert_eq!(v["command"], shape.args[0], "{args:?}");
    let ad = args.iter().any(|a| a == "forward" || a == "reverse");
    for field in shape.fields {
        let null = v[*field].is_null();
        assert_eq!(
            null,
            ad && shape.fields == [*field],
            "{args:?}: `{field}` in {v}"
        );
    }
    if args.iter().any(|a| a == "--cse") {
        assert!(v["program"].is_string(), "{args:?}: {v}");
    }
    if args.iter().any(|a| a == "--exact") {
        assert!(v.get("exact").is_some(), "{args:?}: {v}");
    }
}

#[test]
fn every_command_with_every_flag_and_pair_of_flags_keeps_the_spec_fields() {
    let mut runs = 0;
    for shape in SHAPES {
        check(shape, &[]);
        runs += 1;
        for (i, a) in shape.flags.iter().enumerate() {
            check(shape, &[a]);
            runs += 1;
            for b in &shape.flags[i + 1..] {
                if !clash(a, b) {
                    check(shape, &[a, b]);
                    runs += 1;
                }
            }
        }
    }
    assert!(runs > 100, "{runs} runs");
}

/// `--each-line`: every line's result has the same fields, plus `"input"`.
#[test]
fn each_line_results_keep_the_spec_fields() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_deriv"))
        .args([
            "hessian",
            "-",
            "--each-line",
            "--format",
            "json",
            "--at",
            "x=1,y=2",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("deriv runs");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(b"x^2*y\nsin(x)\n").expect("writes");
    drop(stdin);
    let o = child.wait_with_output().expect("deriv ends");
    let lines: Vec<Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), 2);
    for (v, input) in lines.iter().zip(["x^2*y", "sin(x)"]) {
        for field in ["command", "input", "vars", "hessian", "value", "at"] {
            assert!(v.get(field).is_some(), "no `{field}` in {v}");
        }
        assert_eq!(v["input"], input);
    }
}
