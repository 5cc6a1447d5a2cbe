//! Unit tests of the layout: shapes by hand, and deep graphs printed on
//! small stacks.

use super::{Child, Layout, Monomial, Shape, Sub, Term};
use crate::expr::{ExprId, Func, MAX_GRAPH_DEPTH, Number, Store};
use crate::print::{infix, latex, latex_polynomial, polynomial};

fn plain(id: ExprId) -> Child {
    Child::plain(Sub::Expr(id))
}

fn grouped(sub: Sub) -> Child {
    Child { sub, group: true }
}

fn num(n: i64) -> Child {
    Child::plain(Sub::Num(Number::int(n)))
}

fn term(negative: bool, of: ExprId, negate: bool) -> Term {
    Term {
        negative,
        child: Child::plain(Sub::Term(of, negate)),
    }
}

#[test]
fn sums_put_the_number_last_and_a_positive_term_first() {
    let mut s = Store::new();
    let (x, four) = (s.var("x"), s.int(4));
    let x2 = s.powi(x, 2);
    let f = s.sub(x2, four);
    let layout = Layout::new(&s, &crate::print::infix::STYLE);
    let minus_four = s.operands(f)[0];
    let want = Shape::Sum(vec![term(false, x2, false), term(true, minus_four, true)]);
    assert_eq!(layout.shape(Sub::Expr(f)), want);
    let mut s = Store::new();
    let (x, one) = (s.var("x"), s.int(1));
    let f = s.sub(one, x);
    let minus_x = s.operands(f)[1];
    let layout = Layout::new(&s, &crate::print::latex::STYLE);
    let want = Shape::Sum(vec![term(false, one, false), term(true, minus_x, true)]);
    assert_eq!(layout.shape(Sub::Expr(f)), want);
}

#[test]
fn products_split_into_numerator_and_denominator() {
    let mut s = Store::new();
    let (x, y) = (s.var("x"), s.var("y"));
    let three_halves = s.frac(3, 2);
    let top = s.mul(&[three_halves, x]);
    let f = s.div(top, y);
    for style in [&crate::print::infix::STYLE, &crate::print::latex::STYLE] {
        let layout = Layout::new(&s, style);
        // `3*x/(2*y)`, `\frac{3 x}{2 y}`
        let top = vec![num(3), plain(x)];
        let bottom = vec![num(2), plain(y)];
        let linear = !style.stacked_fractions;
        assert_eq!(layout.shape(Sub::Expr(f)), product(top, bottom, linear));
    }
}

fn product(num: Vec<Child>, den: Vec<Child>, den_group: bool) -> Shape {
    Shape::Product {
        num,
        den,
        den_group,
        divisor: None,
    }
}

#[test]
fn parentheses_follow_the_notation() {
    let mut s = Store::new();
    let (x, one) = (s.var("x"), s.int(1));
    let sum = s.add(&[x, one]);
    let f = s.div(x, sum);
    let infix_layout = Layout::new(&s, &crate::print::infix::STYLE);
    // `x/(x + 1)`: a sum in a linear denominator is grouped
    let want = product(vec![plain(x)], vec![grouped(Sub::Expr(sum))], false);
    assert_eq!(infix_layout.shape(Sub::Expr(f)), want);
    // `\frac{x}{x + 1}`: a stacked denominator of one factor is not
    let latex_layout = Layout::new(&s, &crate::print::latex::STYLE);
    let want = product(vec![plain(x)], vec![plain(sum)], false);
    assert_eq!(latex_layout.shape(Sub::Expr(f)), want);
    // `(x + 1)^2` in both
    let sq = s.powi(sum, 2);
    for style in [&crate::print::infix::STYLE, &crate::print::latex::STYLE] {
        let layout = Layout::new(&s, style);
        let want = Shape::Power {
            base: grouped(Sub::Expr(sum)),
            exp: num(2),
        };
        assert_eq!(layout.shape(Sub::Expr(sq)), want);
    }
}

#[test]
fn a_minus_moves_into_a_sum_only_where_the_style_says() {
    // -x*(x - 1): infix `x*(1 - x)`, LaTeX `-x \left(x - 1\right)`
    let mut s = Store::new();
    let (x, one) = (s.var("x"), s.int(1));
    let xm1 = s.sub(x, one);
    let p = s.mul(&[x, xm1]);
    let f = s.neg(p);
    let layout = Layout::new(&s, &crate::print::infix::STYLE);
    let want = product(vec![plain(x), grouped(Sub::Negated(xm1))], vec![], false);
    assert_eq!(layout.shape(Sub::Expr(f)), want);
    assert_eq!(infix(&s, f), "x*(1 - x)");
    let layout = Layout::new(&s, &crate::print::latex::STYLE);
    let want = Shape::Neg(Child::plain(Sub::Term(f, true)));
    assert_eq!(layout.shape(Sub::Expr(f)), want);
    assert_eq!(latex(&s, f), "-x \\left(x - 1\\right)");
}

#[test]
fn a_float_sum_keeps_its_divisor_apart_in_infix() {
    let mut s = Store::new();
    // x/2 * 1/(y - 0.5)
    let (x, y, half, one_half) = (s.var("x"), s.var("y"), s.float(0.5), s.frac(1, 2));
    let d = s.sub(y, half);
    let r = s.recip(d);
    let f = s.mul(&[one_half, x, r]);
    let layout = Layout::new(&s, &crate::print::infix::STYLE);
    let Shape::Product { den, divisor, .. } = layout.shape(Sub::Expr(f)) else {
        panic!("not a product");
    };
    assert_eq!(den, vec![grouped(Sub::Expr(d))]);
    assert_eq!(divisor, Some(num(2)));
    assert_eq!(infix(&s, f), "x/(y - 0.5)/2");
    assert_eq!(latex(&s, f), "\\frac{x}{2 \\left(y - 0.5\\right)}");
}

#[test]
fn polynomials_are_sums_of_monomials() {
    let mut s = Store::new();
    let (x, one, half) = (s.var("x"), s.int(1), s.frac(-1, 2));
    let b = s.sub(x, one);
    let terms = vec![(one, vec![]), (half, vec![(b, 2)])];
    let monomials = Monomial::split_all(&mut s, &crate::print::infix::STYLE, &terms);
    let layout = Layout::with_monomials(&s, &crate::print::infix::STYLE, monomials);
    let want = Shape::Sum(vec![
        Term {
            negative: false,
            child: Child::plain(Sub::Monomial(0)),
        },
        Term {
            negative: true,
            child: Child::plain(Sub::Monomial(1)),
        },
    ]);
    assert_eq!(layout.shape(Sub::Polynomial), want);
    let want = Shape::Monomial {
        coeff: Number::frac(1, 2),
        rest: None,
        powers: vec![(grouped(Sub::Expr(b)), 2)],
    };
    assert_eq!(layout.shape(Sub::Monomial(1)), want);
    assert_eq!(polynomial(&mut s, &terms), "1 - (x - 1)^2/2");
    let tex = latex_polynomial(&mut s, &terms);
    assert_eq!(tex, "1 - \\frac{1}{2} \\left(x - 1\\right)^{2}");
    assert_eq!(polynomial(&mut s, &[]), "0");
}

/// Runs `f` on a thread with a stack of `bytes`.
fn on_stack(bytes: usize, f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(bytes)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("the printer overflowed or panicked");
}

#[test]
fn the_deepest_default_graph_prints_on_small_stacks() {
    for stack in [8 << 20, 2 << 20] {
        on_stack(stack, || {
            // sin(sin(...sin(x)...)), as deep as `Store::new()` allows
            let mut s = Store::new();
            let mut id = s.var("x");
            for _ in 1..MAX_GRAPH_DEPTH {
                id = s.call1(Func::Sin, id);
            }
            assert!(s.overflowed().is_none());
            let n = MAX_GRAPH_DEPTH as usize - 1;
            let want = format!("{}x{}", "sin(".repeat(n), ")".repeat(n));
            assert_eq!(infix(&s, id), want);
            let want = format!("{}x{}", "\\sin\\left(".repeat(n), "\\right)".repeat(n));
            assert_eq!(latex(&s, id), want);
        });
    }
}

#[test]
fn deep_sums_and_powers_print_on_small_stacks() {
    on_stack(8 << 20, || {
        // ((x + 1)^2 + 1)^2 ...: a sum and a power per level
        let mut s = Store::new();
        let (mut id, one) = (s.var("x"), s.int(1));
        let mut k = 0;
        while s.depth(id) + 2 <= MAX_GRAPH_DEPTH {
            let sum = s.add(&[id, one]);
            id = s.powi(sum, 2);
            k += 1;
        }
        assert!(s.overflowed().is_none());
        assert_eq!(s.depth(id) + 1, MAX_GRAPH_DEPTH);
        let want = format!("{}x + 1)^2{}", "(".repeat(k), " + 1)^2".repeat(k - 1));
        assert_eq!(infix(&s, id), want);
        let open = "\\left(".repeat(k);
        let rest = " + 1\\right)^{2}".repeat(k - 1);
        assert_eq!(latex(&s, id), format!("{open}x + 1\\right)^{{2}}{rest}"));
    });
}
