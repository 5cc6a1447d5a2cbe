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

/// Tree counts by a plain recursive count of each root (no memo shared
/// between roots), saturating.
fn naive_tree(s: &Store, id: crate::expr::ExprId) -> u128 {
    fn go(
        s: &Store,
        id: crate::expr::ExprId,
        memo: &mut std::collections::HashMap<crate::expr::ExprId, u128>,
    ) -> u128 {
        if let Some(&n) = memo.get(&id) {
            return n;
        }
        let own = match s.node(id) {
            crate::expr::Node::Add(xs) | crate::expr::Node::Mul(xs) => xs.len() as u128 - 1,
            crate::expr::Node::Pow(_) | crate::expr::Node::Call(..) => 1,
            _ => 0,
        };
        let n = s
            .node(id)
            .children()
            .iter()
            .fold(own, |acc, &c| acc.saturating_add(go(s, c, memo)));
        memo.insert(id, n);
        n
    }
    go(s, id, &mut std::collections::HashMap::new())
}

/// `ops_tree` and `ops_dag` agree with plain counts, for counts that fit
/// 64 bits, that pass them (kept apart) and that saturate, over roots
/// that share nodes and roots far apart in the store.
#[test]
fn tree_and_graph_counts_match_plain_counts() {
    use super::ops_tree;
    use crate::expr::Func;
    let mut s = Store::new();
    let x = s.var("x");
    let y = s.var("y");
    let mut f = s.add(&[x, y]);
    let mut made = vec![f];
    for i in 1..140 {
        let sf = s.call1(Func::Sin, f);
        let p = s.mul(&[f, sf]);
        let k = s.int(i);
        f = s.add(&[p, k]);
        made.push(f);
    }
    for roots in [
        vec![made[3]],
        vec![made[62], made[63], made[64]],
        vec![made[65], made[2], made[139]],
        vec![x, made[100]],
        vec![],
    ] {
        let want = roots
            .iter()
            .map(|&r| naive_tree(&s, r))
            .fold(0u128, u128::saturating_add);
        assert_eq!(ops_tree(&s, &roots), want, "{roots:?}");
        let dag: u128 = s
            .reachable(&roots)
            .into_iter()
            .map(|id| super::own_ops(&s, id))
            .sum();
        assert_eq!(ops_dag(&s, &roots), dag, "{roots:?}");
    }
}
