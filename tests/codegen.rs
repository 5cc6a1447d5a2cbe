//! Code export (`--format python|numpy|c|rust`): each case's code is run by
//! the real consumer (python3, python3 with NumPy, cc, rustc) at sample
//! points and compared with deriv's own values there (`--format json`),
//! batched into one program per language.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// A command line (without `--format`), the function's parameters in
/// order, and the points (one value per parameter).
struct Case {
    args: Vec<&'static str>,
    params: Vec<&'static str>,
    points: Vec<Vec<&'static str>>,
}

fn case(args: &[&'static str], params: &[&'static str], points: &[&[&'static str]]) -> Case {
    Case {
        args: args.to_vec(),
        params: params.to_vec(),
        points: points.iter().map(|p| p.to_vec()).collect(),
    }
}

fn cases() -> Vec<Case> {
    let xy: &[&[&str]] = &[&["0.5", "1.5"], &["-1.25", "0.75"], &["2", "-0.5"]];
    vec![
        case(&["grad", "sin(x*y) + x^3*y - exp(-x)/y"], &["x", "y"], xy),
        case(
            &["hessian", "x^2*y + exp(x*y) + log(x^2)*sqrt(y^2 + 1)"],
            &["x", "y"],
            xy,
        ),
        case(
            &[
                "jacobian",
                "[x*y, (x^2)^(1/3)*y, atan2(y, x), cbrt(x - y), x^y]",
            ],
            &["x", "y"],
            &[&["0.5", "1.5"], &["2", "-1"], &["1.5", "2"]],
        ),
        case(
            &[
                "eval",
                "[sigmoid(x), softplus(x), relu(x), step(x), sign(x), abs(x), erf(x), erf(x/3)]",
            ],
            &["x"],
            &[
                &["-2"],
                &["0"],
                &["0.5"],
                &["3"],
                &["-40"],
                &["40"],
                &["7"],
                &["-2.5"],
                &["1.75"],
            ],
        ),
        case(
            &[
                "eval",
                "min(x, y, 1/3) + max(x, y) + tan(x) + asin(x/4) + acos(x/4) + atan(y) + sinh(x) + cosh(y) + tanh(x) + asinh(y) + acosh(y + 2) + atanh(x/4) + log(y + 3, 2) + pi*e",
            ],
            &["x", "y"],
            &[&["0.5", "0.5"], &["0.25", "0.125"], &["-1", "2"]],
        ),
        case(
            &[
                "eval",
                "sec(x) + csc(x) + cot(x) + log(x, 10) + asinh(1/x) + x^(-3) + 1/(x^2 + 1)",
            ],
            &["x"],
            &[&["0.7"], &["2.5"]],
        ),
        case(
            &[
                "grad",
                "abs(x) + relu(y) + max(x, y) + min(x, 0) + sign(x)*y + step(y)*x",
            ],
            &["x", "y"],
            &[&["0", "0"], &["1", "1"], &["-1", "2"], &["0", "-3"]],
        ),
        case(
            &["diff", "x^5*sin(y)", "--wrt", "x", "--order", "2"],
            &["x", "y"],
            xy,
        ),
        case(
            &["diff", "exp(x^2)*x^2 + (x^2 + 1)^3", "--wrt", "x", "--cse"],
            &["x"],
            &[&["0.5"], &["-1.5"]],
        ),
        case(
            &["grad", "sin(x)*cos(y) + sin(x)^2*y", "--cse"],
            &["x", "y"],
            xy,
        ),
        case(
            &["hessian", "x*y*z + x^2*z^3"],
            &["x", "y", "z"],
            &[&["1", "2", "3"], &["-0.5", "0.25", "2"]],
        ),
        case(
            &["grad", "a*x^2 + b*y", "--vars", "x"],
            &["x", "a"],
            &[&["1.5", "2"]],
        ),
        case(&["eval", "2^(1/2) + 1/3 + pi"], &[], &[&[]]),
        // names that are keywords or names the code uses get renamed
        case(
            &["grad", "out*lambda + in^2 + double*fn + x"],
            &["double", "fn", "in", "lambda", "out", "x"],
            &[&["1", "2", "3", "4", "5", "6"]],
        ),
        case(
            &["taylor", "exp(x)*cos(y)", "--at", "x=0,y=0", "--order", "3"],
            &["x", "y"],
            xy,
        ),
        case(
            &["linearize", "sqrt(x)*y", "--at", "x=4,y=1"],
            &["x", "y"],
            xy,
        ),
        // issue 12's functions; ties of round go away from zero
        case(
            &[
                "eval",
                "[floor(x), ceil(x), round(x), round(y), erfc(x), erfc(y), sinc(x), sinc(y), \
                 log10(y + 4), log2(y + 4), asec(x + 3), acsc(x + 3), acot(x), sech(x), \
                 csch(x), coth(x), asech(1/(x^2 + 2)), acsch(x), acoth(x + 3)]",
            ],
            &["x", "y"],
            &[
                &["0.5", "0"],
                &["2.5", "-2.5"],
                &["-1.5", "3"],
                &["1.7", "12"],
                &["-0.49999999999999994", "-0.5"],
            ],
        ),
        case(
            &["grad", "sinc(x)*erfc(y) + floor(x)*y + round(x*y)"],
            &["x", "y"],
            &[&["0.5", "1.5"], &["-1.25", "0.75"], &["2", "-0.5"]],
        ),
    ]
}

fn deriv(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_deriv"))
        .args(args)
        .output()
        .expect("deriv runs");
    assert!(
        out.status.success(),
        "deriv {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&deriv(args)).expect("JSON")
}

fn flatten(v: &Value, out: &mut Vec<f64>) {
    match v {
        Value::Array(xs) => xs.iter().for_each(|x| flatten(x, out)),
        Value::Number(n) => out.push(n.as_f64().expect("f64")),
        Value::String(s) => out.push(s.parse().expect("NaN or inf")),
        other => panic!("not a value: {other}"),
    }
}

/// deriv's values of a case at each point, flattened row-major.
fn expected(c: &Case) -> Vec<Vec<f64>> {
    c.points
        .iter()
        .map(|p| {
            let at: Vec<String> = c
                .params
                .iter()
                .zip(p)
                .map(|(n, v)| format!("{n}={v}"))
                .collect();
            let at = at.join(",");
            let mut out = Vec::new();
            if matches!(c.args[0], "taylor" | "linearize") {
                let poly = json(&[&c.args[..], &["--format", "json"]].concat());
                let poly = poly["polynomial"].as_str().expect("polynomial");
                let v = json(&["eval", poly, "--at", &at, "--format", "json"]);
                flatten(&v["value"], &mut out);
            } else {
                let args: Vec<&str> = c.args.iter().copied().filter(|a| *a != "--cse").collect();
                let mut args = args;
                if !at.is_empty() {
                    args.extend(["--at", &at]);
                }
                let v = json(&[&args[..], &["--format", "json"]].concat());
                flatten(&v["value"], &mut out);
            }
            out
        })
        .collect()
}

/// The function's name: the command's, `_f`.
fn name(c: &Case) -> String {
    format!("{}_f", c.args[0])
}

fn code(c: &Case, lang: &str) -> String {
    deriv(&[&c.args[..], &["--format", lang]].concat())
}

fn run(dir: &Path, program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{program} runs: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// Compares the printed values (one line per point, numbers separated by
/// spaces or commas, brackets ignored) with deriv's.
fn compare(lang: &str, cases: &[Case], expected: &[Vec<Vec<f64>>], output: &str) {
    let mut lines = output.lines();
    for (c, want) in cases.iter().zip(expected) {
        for (p, want) in c.points.iter().zip(want) {
            let line = lines
                .next()
                .unwrap_or_else(|| panic!("{lang}: output ends early"));
            let got: Vec<f64> = line
                .split(|ch: char| ch == ',' || ch == '[' || ch == ']' || ch.is_whitespace())
                .filter(|s| !s.is_empty())
                .map(|s| {
                    s.parse()
                        .unwrap_or_else(|_| panic!("{lang}: not a number: {s}"))
                })
                .collect();
            assert_eq!(
                got.len(),
                want.len(),
                "{lang} {:?} at {p:?}: {line}",
                c.args
            );
            for (g, w) in got.iter().zip(want) {
                let close = (g.is_nan() && w.is_nan())
                    || g == w
                    || (g - w).abs() <= 1e-12 * w.abs().max(1.0);
                assert!(
                    close,
                    "{lang} {:?} at {p:?}: got {g:e}, deriv says {w:e}",
                    c.args
                );
            }
        }
    }
}

fn temp_dir(lang: &str) -> tempdir::Dir {
    tempdir::Dir::new(&format!("deriv-codegen-{lang}-{}", std::process::id()))
}

mod tempdir {
    /// A directory removed when dropped.
    pub struct Dir(pub std::path::PathBuf);

    impl Dir {
        pub fn new(name: &str) -> Dir {
            let p = std::env::temp_dir().join(name);
            let _ = std::fs::remove_dir_all(&p);
            std::fs::create_dir_all(&p).expect("temp dir");
            Dir(p)
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn python_program(cases: &[Case], numpy: bool) -> String {
    let mut s = String::from("import math\nimport numpy as np\n\n");
    for (k, c) in cases.iter().enumerate() {
        let src =
            serde_json::to_string(&code(c, if numpy { "numpy" } else { "python" })).expect("JSON");
        s.push_str(&format!(
            "ns{k} = {{}}\nexec({src}, ns{k})\nf = ns{k}[{:?}]\n",
            name(c)
        ));
        if numpy {
            let cols: Vec<String> = (0..c.params.len())
                .map(|i| {
                    format!(
                        "np.array([{}])",
                        c.points.iter().map(|p| p[i]).collect::<Vec<_>>().join(", ")
                    )
                })
                .collect();
            s.push_str(&format!("r = np.asarray(f({}))\n", cols.join(", ")));
            for k in 0..c.points.len() {
                let at = if c.params.is_empty() {
                    "r".to_string()
                } else {
                    format!("r[..., {k}]")
                };
                s.push_str(&format!(
                    "print(' '.join(repr(float(v)) for v in np.ravel({at})))\n"
                ));
            }
        } else {
            for p in &c.points {
                s.push_str(&format!("r = f({})\n", p.join(", ")));
                s.push_str(
                    "print(' '.join(repr(float(v)) for v in np.ravel(np.array(r, dtype=float))))\n",
                );
            }
        }
    }
    s
}

fn check_python(numpy: bool) {
    let lang = if numpy { "numpy" } else { "python" };
    let cases = cases();
    let want: Vec<_> = cases.iter().map(expected).collect();
    let dir = temp_dir(lang);
    std::fs::write(dir.0.join("main.py"), python_program(&cases, numpy)).expect("write");
    let out = run(&dir.0, "python3", &["main.py"]);
    compare(lang, &cases, &want, &out);
}

#[test]
fn python_matches_deriv() {
    check_python(false);
}

#[test]
fn numpy_matches_deriv() {
    check_python(true);
}

#[test]
fn c_matches_deriv() {
    let cases = cases();
    let want: Vec<_> = cases.iter().map(expected).collect();
    let mut s = String::from("#include <stdio.h>\n");
    let mut main = String::from("int main(void)\n{\n");
    for (k, c) in cases.iter().enumerate() {
        let text = code(c, "c");
        let n = name(c);
        s.push_str(&format!("#define {n} case{k}\n{text}#undef {n}\n"));
        let len = want[k][0].len();
        for p in &c.points {
            let args = p.join(", ");
            if text.contains("double *out") {
                let sep = if p.is_empty() { "" } else { ", " };
                main.push_str(&format!(
                    "    {{ double out[{len}]; case{k}({args}{sep}out); for (int i = 0; i < {len}; i++) printf(\"%.17g \", out[i]); printf(\"\\n\"); }}\n"
                ));
            } else {
                main.push_str(&format!("    printf(\"%.17g\\n\", case{k}({args}));\n"));
            }
        }
    }
    main.push_str("    return 0;\n}\n");
    let dir = temp_dir("c");
    std::fs::write(dir.0.join("main.c"), s + &main).expect("write");
    run(
        &dir.0,
        "cc",
        &[
            "-std=c99", "-Wall", "-Werror", "-o", "main", "main.c", "-lm",
        ],
    );
    let out = run(&dir.0, "./main", &[]);
    compare("c", &cases, &want, &out);
}

#[test]
fn rust_matches_deriv() {
    let cases = cases();
    let want: Vec<_> = cases.iter().map(expected).collect();
    let mut s = String::new();
    let mut main = String::from("fn main() {\n");
    for (k, c) in cases.iter().enumerate() {
        let n = name(c);
        let text = code(c, "rust").replace(&format!("fn {n}("), &format!("pub fn {n}("));
        s.push_str(&format!("mod case{k} {{\n{text}}}\n"));
        for p in &c.points {
            let args: Vec<String> = p.iter().map(|v| format!("{v}_f64")).collect();
            main.push_str(&format!(
                "    println!(\"{{:?}}\", case{k}::{n}({}));\n",
                args.join(", ")
            ));
        }
    }
    main.push_str("}\n");
    let dir = temp_dir("rust");
    std::fs::write(dir.0.join("main.rs"), s + &main).expect("write");
    run(
        &dir.0,
        "rustc",
        &[
            "--edition",
            "2021",
            "-D",
            "warnings",
            "-o",
            "main",
            "main.rs",
        ],
    );
    let out = run(&dir.0, "./main", &[]);
    compare("rust", &cases, &want, &out);
}

#[test]
fn code_export_refuses_what_it_cannot_export() {
    for args in [
        &["simplify", "x", "--format", "c"][..],
        &["stats", "x", "--format", "python"],
        &["trace", "x", "--at", "x=1", "--format", "rust"],
        &[
            "grad", "x*y", "--mode", "reverse", "--at", "x=1,y=2", "--format", "numpy",
        ],
        &["grad", "x*y", "--check", "--at", "x=1,y=2", "--format", "c"],
        &["grad", "x*y", "--at", "x=1,y=2", "--format", "python"],
        &["eval", "x", "--points", "-", "--format", "python"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_deriv"))
            .args(args)
            .output()
            .expect("deriv runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("--format"),
            "{args:?}"
        );
    }
}
