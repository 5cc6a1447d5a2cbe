//! Symbolic, forward-mode and reverse-mode derivatives agree to 1e-12
//! (relative) on every grad/hessian/jacobian case of the acceptance kit
//! (`data/ad_cases.jsonl`, extracted by `data/extract_ad_cases.py`).

use deriv::ad::{hessian_forward_over_reverse, jacobian_forward, jacobian_reverse};
use deriv::diff::Differentiator;
use deriv::eval::{Env, eval, eval_many};
use deriv::expr::{ExprId, Store, Sym};
use deriv::parse::{Output, ParseOptions, parse_expr, parse_program};
use serde_json::Value;

fn agree(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn modes_agree_on_the_acceptance_cases() {
    let mut checked = 0;
    for line in include_str!("data/ad_cases.jsonl").lines() {
        let c: Value = serde_json::from_str(line).expect("json");
        let mut s = Store::new();
        let program = parse_program(
            &mut s,
            c["src"].as_str().expect("src"),
            &ParseOptions::default(),
        )
        .expect("parses");
        let outputs: Vec<ExprId> = match program.output {
            Output::Scalar(f) => vec![f],
            Output::Vector(fs) => fs,
        };
        let vars: Vec<Sym> = c["vars"]
            .as_array()
            .expect("vars")
            .iter()
            .map(|v| s.sym(v.as_str().expect("var")))
            .collect();
        let mut env = Env::new();
        for (k, v) in c["point"].as_object().expect("point") {
            let e = parse_expr(&mut s, v.as_str().expect("value"), &ParseOptions::default())
                .expect("value");
            let x = eval(&s, e, &Env::new()).expect("closed");
            let sym = s.sym(k);
            env.set(sym, x);
        }
        let pt = |v: Sym| env.get(v).unwrap_or(f64::NAN);
        let mut d = Differentiator::default();
        let (symbolic, ad): (Vec<ExprId>, Vec<Vec<Vec<f64>>>) = if c["kind"] == "hessian" {
            let h = d.hessian(&mut s, outputs[0], &vars).expect("hessian");
            (
                h.concat(),
                vec![hessian_forward_over_reverse(&s, outputs[0], &pt, &vars)],
            )
        } else {
            let j = d.jacobian(&mut s, &outputs, &vars).expect("jacobian");
            (
                j.concat(),
                vec![
                    jacobian_forward(&s, &outputs, &pt, &vars),
                    jacobian_reverse(&s, &outputs, &pt, &vars),
                ],
            )
        };
        let want = eval_many(&s, &symbolic, &env).expect("eval");
        for m in ad {
            for (k, (w, g)) in want.iter().zip(m.concat()).enumerate() {
                assert!(
                    agree(*w, g),
                    "{} entry {k}: symbolic {w} vs AD {g}",
                    c["id"]
                );
            }
        }
        checked += 1;
    }
    assert!(checked >= 50, "only {checked} cases");
}
