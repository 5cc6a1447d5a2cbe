//! Unit tests of `cse`: derivatives as programs (`--cse`): they parse back to the same values,
//! and the reverse-sweep gradient stays within the cheap-gradient bound.

use super::{common_subexpressions, gradient_program, ops_dag};
use crate::diff::Differentiator;
use crate::eval::{Env, eval_many};
use crate::expr::{Store, Sym};
use crate::parse::Output;

use crate::parse::testing::{output as parse, scalar};

/// An environment giving the i-th variable the value 0.3 + 0.1*i.
fn env_for(vars: &[Sym]) -> Env {
    let mut env = Env::new();
    for (i, v) in vars.iter().enumerate() {
        env.set(*v, 0.3 + 0.1 * i as f64);
    }
    env
}

const CASES: &[&str] = &[
    "sqrt(x^2+exp(x^2)) + cos(x^2+exp(x^2))",
    "x*y*z + sin(x*y)*exp(z) - tanh(x - z)^2",
    "(1 - x)^2 + 100*(y - x^2)^2",
    "sigmoid(w1*x + w2*y + b)*log(1 + x^2)",
    "atan2(y, x) + max(x, y, z) + abs(x - z)",
    "x^y + y^(1/3) + 2^x",
];

#[test]
fn gradient_programs_parse_back_to_the_gradient() {
    for src in CASES {
        let mut s = Store::new();
        let f = scalar(&mut s, src);
        let vars = s.free_vars(&[f]);
        let program = gradient_program(&mut s, f, &vars).expect("program");
        let text = program.text(&s, true);
        let Output::Vector(back) = parse(&mut s, &text) else {
            panic!("vector expected: {text}")
        };
        let plain = Differentiator::default()
            .gradient(&mut s, f, &vars)
            .expect("gradient");
        let env = env_for(&vars);
        let (a, b) = (
            eval_many(&s, &back, &env).expect("eval"),
            eval_many(&s, &plain, &env).expect("eval"),
        );
        for (x, y) in a.iter().zip(&b) {
            assert!(
                (x - y).abs() <= 1e-12 * x.abs().max(1.0),
                "{src}: {x} vs {y}\n{text}"
            );
        }
        // evaluating the program statement by statement gives the same
        let direct = program.eval(&s, &env);
        for (x, y) in direct.iter().zip(&b) {
            assert!(
                (x - y).abs() <= 1e-12 * x.abs().max(1.0),
                "{src}: {x} vs {y}"
            );
        }
    }
}

#[test]
fn shared_subexpression_programs_parse_back() {
    for src in CASES {
        let mut s = Store::new();
        let f = scalar(&mut s, src);
        let vars = s.free_vars(&[f]);
        let h = Differentiator::default()
            .hessian(&mut s, f, &vars)
            .expect("hessian")
            .concat();
        let program = common_subexpressions(&mut s, &h);
        let text = program.text(&s, true);
        let Output::Vector(back) = parse(&mut s, &text) else {
            panic!("vector expected")
        };
        assert_eq!(
            back, h,
            "{src}: the program does not rebuild the Hessian\n{text}"
        );
    }
}

fn rosenbrock(n: usize) -> String {
    (1..n)
        .map(|i| format!("100*(x{} - x{i}^2)^2 + (1 - x{i})^2", i + 1))
        .collect::<Vec<_>>()
        .join(" + ")
}

#[test]
fn reverse_sweep_programs_are_cheap() {
    let product = (1..=50)
        .map(|i| format!("(x{i} + {i})"))
        .collect::<Vec<_>>()
        .join("*");
    let mut layer = String::from("(y");
    for j in 1..=8 {
        let pre = (1..=4)
            .map(|i| format!("w1_{j}_{i}*x{i}"))
            .collect::<Vec<_>>()
            .join(" + ");
        layer.push_str(&format!(" - w2_{j}*tanh({pre} + b1_{j})"));
    }
    layer.push_str(" - b2)^2");
    let mut comp = String::from("x*y");
    for k in 0..50 {
        comp = if k % 2 == 0 {
            format!("sin({comp})")
        } else {
            format!("exp({comp}/2)")
        };
    }
    for src in [rosenbrock(100), product, layer, comp] {
        let mut s = Store::new();
        let f = scalar(&mut s, &src);
        let vars = s.free_vars(&[f]);
        let program = gradient_program(&mut s, f, &vars).expect("program");
        let (p, fo) = (program.ops(&s), ops_dag(&s, &[f]));
        assert!(
            p <= 4 * fo + 10,
            "{p} ops for the gradient of {fo} ops: {}",
            &src[..40.min(src.len())]
        );
    }
}
