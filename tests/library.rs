//! The library through its front door only (`deriv::Session`), and its
//! agreement with the command line: the same input gives the same
//! expressions and the same numbers, exact folding included.

use std::process::Command;

use deriv::{Error, Limit, Limits, Session, Warning};
use serde_json::Value;

/// The CLI's JSON result for `args`.
fn cli(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_deriv"))
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_str().expect("string").to_string())
        .collect()
}

const NOTES: &str = "sqrt(x^2+exp(x^2)) + cos(x^2+exp(x^2))";

#[test]
fn gradient_matches_the_cli() {
    let mut s = Session::new();
    let f = s.parse(NOTES).unwrap();
    let g = s.gradient(&f).unwrap();
    let lib: Vec<String> = g.entries.iter().map(ToString::to_string).collect();
    assert_eq!(lib, strings(&cli(&["grad", NOTES])["gradient"]));
    // the notes' value at x = 1/2, by hand from eqs. 43-50: -1.3604310785982792
    let p = s.point("x=1/2").unwrap();
    let v = s.eval_exprs(&g.entries, &p);
    assert_eq!(v.values[0], -1.3604310785982792);
    let c = cli(&["grad", NOTES, "--at", "x=1/2"]);
    assert_eq!(c["value"][0].as_f64(), Some(v.values[0]));
}

#[test]
fn exact_folding_is_the_same_as_the_cli() {
    let mut s = Session::new();
    let f = s.parse("cos(x)").unwrap();
    let p = s.point("x=pi/2").unwrap();
    let v = s.eval(&f, &p).unwrap();
    assert_eq!(v.values, [0.0]);
    assert!(v.warnings.is_empty());
    assert_eq!(
        cli(&["eval", "cos(x)", "--at", "x=pi/2"])["value"].as_f64(),
        Some(0.0)
    );
    // and at the float nearest pi/2, the float value
    let p = s.point("x=1.5707963267948966").unwrap();
    assert_eq!(
        s.eval(&f, &p).unwrap().values,
        [std::f64::consts::FRAC_PI_2.cos()]
    );
}

#[test]
fn hessian_jacobian_diff_simplify_match_the_cli() {
    let mut s = Session::new();
    let f = s.parse("x^2*y + sin(y)").unwrap();
    let h = s.hessian(&f).unwrap();
    assert_eq!(h.to_string(), "[2*y, 2*x]\n[2*x, -sin(y)]");
    let c = cli(&["hessian", "x^2*y + sin(y)"]);
    for (i, row) in h.rows.iter().enumerate() {
        let cells: Vec<String> = row.iter().map(ToString::to_string).collect();
        assert_eq!(cells, strings(&c["hessian"][i]));
    }
    let j = s.parse("[r*cos(theta), r*sin(theta)]").unwrap();
    let jac = s.jacobian(&j).unwrap();
    assert_eq!(jac.rows[1][1].to_string(), "r*cos(theta)");
    let d = s.parse("x^3*y^2").unwrap();
    let wrt = s.vars("x,y").unwrap();
    let dd = s.diff(&d, &wrt).unwrap();
    assert_eq!(
        dd.to_string(),
        cli(&["diff", "x^3*y^2", "--wrt", "x,y"])["derivative"]
    );
    let e = s.parse("x*x + x^2 - 3*x/x").unwrap();
    assert_eq!(s.simplify(&e).unwrap().to_string(), "2*x^2 - 3");
}

#[test]
fn ids_name_the_same_entries_as_the_handles() {
    // a Hessian with repeated entries (zeros and a shared 2*x): each
    // distinct entry is tidied once, and every place it occurs gets it
    let mut s = Session::new();
    let f = s.parse("x^2*y + sin(y) + z^3/(1 + x^2)").unwrap();
    let vars = s.vars("x,y,z,w").unwrap();
    let ids = s.hessian_ids(&f, &vars).unwrap();
    let h = s.hessian_wrt(&f, &vars).unwrap();
    let printed: Vec<Vec<String>> = ids
        .iter()
        .map(|r| r.iter().map(|&id| s.expr(id).to_string()).collect())
        .collect();
    let handles: Vec<Vec<String>> = h
        .rows
        .iter()
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect();
    assert_eq!(printed, handles);
    assert_eq!(printed[0][1], "2*x");
    assert_eq!(printed[1][0], "2*x");
    assert_eq!(printed[3], ["0", "0", "0", "0"]);
    let g = s.gradient_ids(&f, &vars).unwrap();
    let grad = s.gradient_wrt(&f, &vars).unwrap();
    assert_eq!(
        g,
        grad.entries.iter().map(deriv::Expr::id).collect::<Vec<_>>()
    );
    let v = s.parse("[x*y, x*y, y]").unwrap();
    let j = s.jacobian_ids(&v, &vars[..2]).unwrap();
    assert_eq!(j[0], j[1]);
    let jac = s.jacobian_wrt(&v, &vars[..2]).unwrap();
    assert_eq!(jac.rows[2][1].to_string(), "1");
    assert_eq!(s.expr(j[2][1]).to_string(), "1");
}

#[test]
fn taylor_and_linearize_match_the_cli() {
    // MML Example 5.15: order 3 at (1, 2) is f itself, expanded there
    let src = "x^2 + 2*x*y + y^3";
    let mut s = Session::new();
    let f = s.parse(src).unwrap();
    let p = s.point("x=1,y=2").unwrap();
    let t = s.taylor(&f, &p, 3, false).unwrap();
    assert_eq!(
        t.to_string(),
        "13 + 6*(x - 1) + 14*(y - 2) + (x - 1)^2 + 2*(x - 1)*(y - 2) + 6*(y - 2)^2 + (y - 2)^3"
    );
    let c = cli(&["taylor", src, "--at", "x=1,y=2", "--order", "3"]);
    assert_eq!(c["polynomial"], t.to_string());
    let g = s.parse("u^2*v").unwrap();
    let q = s.point("u=1,v=3").unwrap();
    let l = s.linearize(&g, &q, false).unwrap();
    assert_eq!(
        l.to_string(),
        cli(&["linearize", "u^2*v", "--at", "u=1,v=3"])["polynomial"]
    );
}

#[test]
fn trace_matches_the_cli() {
    let mut s = Session::new();
    let f = s.parse(NOTES).unwrap();
    let p = s.point("x=0.5").unwrap();
    let t = s.trace(&f, &p).unwrap();
    let names: Vec<&str> = t.trace.nodes.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names, ["a", "b", "c", "d", "g", "f"]);
    let c = cli(&["trace", NOTES, "--at", "x=0.5"]);
    assert_eq!(c["gradient"][0].as_f64(), Some(t.sweeps.gradient[0]));
}

#[test]
fn warnings_are_data() {
    let mut s = Session::new();
    let f = s.parse("log(x)").unwrap();
    let p = s.point("x=0").unwrap();
    let v = s.eval(&f, &p).unwrap();
    match &v.warnings[..] {
        [Warning::Domain { expr, value, point }] => {
            assert_eq!(expr.to_string(), "log(x)");
            assert_eq!(*value, f64::NEG_INFINITY);
            assert_eq!(point.to_string(), "x=0");
        }
        other => panic!("{other:?}"),
    }
    let g = s.parse("abs(x) + relu(y)").unwrap();
    let p = s.point("x=0,y=0").unwrap();
    assert_eq!(s.kinks(&g.roots(), &p).len(), 2);
}

#[test]
fn limit_errors_say_which_limit() {
    let mut s = Session::with_limits(Limits {
        max_depth: 5,
        ..Limits::default()
    });
    let e = s.parse("((((((x))))))").unwrap_err();
    assert_eq!(e.limit(), Some((Limit::Depth, 5)));
    assert!(!e.to_string().contains("--"), "no flag names: {e}");
    let mut s = Session::with_limits(Limits {
        max_order: 3,
        ..Limits::default()
    });
    let f = s.parse("x^9").unwrap();
    let wrt = s.syms(&["x"; 4]);
    assert_eq!(
        s.diff(&f, &wrt).unwrap_err().limit(),
        Some((Limit::Order, 3))
    );
}

#[test]
fn handles_belong_to_their_session() {
    let mut a = Session::new();
    let mut b = Session::new();
    let f = a.parse("x").unwrap();
    assert_eq!(b.gradient(&f).unwrap_err(), Error::ForeignHandle);
}

#[test]
fn ad_modes_through_the_front_door() {
    let mut s = Session::new();
    let f = s.parse("x^2*y").unwrap();
    let p = s.point("x=3,y=2").unwrap();
    let vars = s.variables(&f);
    for mode in [deriv::Mode::Forward, deriv::Mode::Reverse] {
        // d/dx x^2 y = 2xy = 12, d/dy = x^2 = 9
        assert_eq!(s.ad(&f.roots(), &p, &vars, mode, false), [vec![12.0, 9.0]]);
    }
    // Hessian [[2y, 2x], [2x, 0]] = [[4, 6], [6, 0]]
    let h = s.ad(&f.roots(), &p, &vars, deriv::Mode::Reverse, true);
    assert_eq!(h, [vec![4.0, 6.0], vec![6.0, 0.0]]);
}

/// A library user on an ordinary thread (8 MiB, as `main`'s): parsing the
/// deepest nesting and printing, differentiating and dropping the deepest
/// graph that the default limits allow do not overflow the stack.
#[test]
fn default_limits_fit_an_ordinary_stack() {
    let run = || {
        let limits = Limits::default();
        let mut s = Session::new();
        let depth = limits.max_depth - 1;
        let src = format!("{}x{}", "sin(".repeat(depth), ")".repeat(depth));
        let f = s.parse(&src).expect("parses at the default depth");
        assert_eq!(s.gradient(&f).unwrap().entries.len(), 1);
        // the deepest graph: a chain of calls built directly, one below the bound
        let st = s.store_mut();
        let mut e = st.var("x");
        for _ in 0..limits.max_graph_depth - 2 {
            e = st.call1(deriv::expr::Func::Tanh, e);
        }
        assert!(s.check().is_ok());
        let text = s.expr(e).to_string();
        assert!(text.starts_with("tanh(tanh(") && text.ends_with("))"));
        let tex = s.expr(e).latex();
        assert!(tex.len() > text.len());
        drop(s);
    };
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(run)
        .expect("thread")
        .join()
        .expect("no stack overflow");
}

/// A Taylor polynomial's `terms` are always in powers of the displacements
/// (what the eval_series fuzz target checks the gradient against); `shown`
/// is the form printed: `x` for `taylor "x" --at x=1/2`, whose terms are
/// 1/2 and 1*(x - 1/2).
#[test]
fn taylor_terms_stay_in_displacements_where_the_print_is_plain() {
    let mut s = Session::new();
    let f = s.parse("x").unwrap();
    let p = s.point("x=1/2").unwrap();
    let t = s.taylor(&f, &p, 2, false).unwrap();
    assert_eq!(t.to_string(), "x");
    let terms: Vec<(String, Vec<(String, u32)>)> = t
        .terms
        .iter()
        .map(|(c, m)| {
            (
                c.to_string(),
                m.iter().map(|(b, k)| (b.to_string(), *k)).collect(),
            )
        })
        .collect();
    assert_eq!(
        terms,
        [
            ("1/2".to_string(), vec![]),
            ("1".to_string(), vec![("x - 1/2".to_string(), 1)])
        ]
    );
    assert_eq!(t.shown.len(), 1);
}

/// eval_series fuzzer, session 7: the Taylor expansion of an expression
/// with an undefined part (`log(-1)`) and sin and cos of one argument
/// overflowed the stack while the sin^2 + cos^2 variants were written back
/// (2 = order, header 02 04 fc 08). It expands now, with its warning.
#[test]
fn taylor_with_an_undefined_part_and_sin_cos_does_not_overflow() {
    let mut s = Session::new();
    let f = s
        .parse("(cos(phAi + tanh(phI))^log(-1) +- tanh(phI))^log(-1)")
        .unwrap();
    let p = s.point("phAi=1,phI=-1").unwrap();
    let t = s.taylor(&f, &p, 2, false).unwrap();
    assert!(!t.warnings.is_empty());
}
