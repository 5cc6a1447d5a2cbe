//! The s-expression form: fully parenthesized and unambiguous, for tests and
//! debug output. `(+ 1 (* 2 x) (^ y 1/2) (sin x))`; exact numbers print as
//! `n` or `n/d`, floats with [`format_float`].

use crate::expr::{ExprId, Node, Number, Store, format_float};

/// One step of the printer: print a node, or emit a closing parenthesis.
enum Step {
    Node(ExprId),
    Close,
}

/// The s-expression of `id`. Iterative, so deep expressions cannot overflow
/// the stack.
///
/// ```
/// # use deriv::{expr::Store, print::sexpr::sexpr};
/// let mut store = Store::new();
/// let x = store.var("x");
/// let two = store.int(2);
/// let sum = store.add(&[x, two]);
/// assert_eq!(sexpr(&store, sum), "(+ 2 x)");
/// ```
pub fn sexpr(store: &Store, id: ExprId) -> String {
    let mut out = String::new();
    let mut steps = vec![Step::Node(id)];
    while let Some(step) = steps.pop() {
        let id = match step {
            Step::Close => {
                out.push(')');
                continue;
            }
            Step::Node(id) => id,
        };
        if !out.is_empty() && !out.ends_with('(') {
            out.push(' ');
        }
        let (head, children) = match store.node(id) {
            Node::Num(n) => match n {
                Number::Rational(r) => (r.to_string(), None),
                Number::Float(x) => (format_float(*x), None),
            },
            Node::Const(c) => (c.name().to_string(), None),
            Node::Var(s) => (store.name(*s).to_string(), None),
            Node::Add(xs) => ("(+".to_string(), Some(xs)),
            Node::Mul(xs) => ("(*".to_string(), Some(xs)),
            Node::Pow(be) => ("(^".to_string(), Some(be.as_slice())),
            Node::Call(f, xs) => (format!("({}", f.name()), Some(xs)),
        };
        out.push_str(&head);
        if let Some(children) = children {
            steps.push(Step::Close);
            steps.extend(children.iter().rev().map(|&c| Step::Node(c)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::{Constant, Func};

    #[test]
    fn prints_every_kind_of_node() {
        let mut s = Store::new();
        let (x, y) = (s.var("x"), s.var("y"));
        let two_x = {
            let two = s.int(2);
            s.mul(&[two, x])
        };
        let root = s.sqrt(y);
        let sin = s.call1(Func::Sin, x);
        let one = s.int(1);
        let sum = s.add(&[one, two_x, root, sin]);
        assert_eq!(sexpr(&s, sum), "(+ 1 (* 2 x) (^ y 1/2) (sin x))");
        let half = s.float(0.5);
        let pi = s.constant(Constant::Pi);
        let atan2 = s.call(Func::Atan2, &[half, pi]);
        assert_eq!(sexpr(&s, atan2), "(atan2 0.5 pi)");
    }

    #[test]
    fn deep_expressions_do_not_overflow() {
        // the deepest graph the default store admits
        let mut s = Store::new();
        let mut id = s.var("x");
        for _ in 1..crate::expr::MAX_GRAPH_DEPTH {
            id = s.call1(Func::Exp, id);
        }
        assert!(s.overflowed().is_none());
        let n = crate::expr::MAX_GRAPH_DEPTH as usize - 1;
        assert_eq!(sexpr(&s, id).len(), n * 6 + 1);
    }
}
