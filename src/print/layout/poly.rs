//! Taylor polynomials: a sum of terms `c * Π base^k` in a given order,
//! each monomial kept factored (`13 + 6*(x - 1) + (x - 1)^2/2`).

use super::{Child, Layout, Shape, Style, Sub, Term};
use crate::expr::split::split_coefficient;
use crate::expr::{ExprId, Node, Number, Store};

/// One term of a polynomial, ready to lay out: its sign, the magnitude of
/// its numeric coefficient, the rest of the coefficient and the powers.
#[derive(Clone, Debug, PartialEq)]
pub struct Monomial {
    negative: bool,
    coeff: Number,
    rest: Option<(ExprId, bool)>,
    powers: Vec<(ExprId, bool, u32)>,
}

impl Monomial {
    /// The terms `(coefficient, [(base, k)])` of a polynomial, split with
    /// the one coefficient split. The rest of a coefficient becomes one
    /// product in the store; in a style that flips signs, a coefficient
    /// that is a sum of negative terms is negated
    /// (`- (2*cos(1) + 1)*x^2`, not `+ (-2*cos(1) - 1)*x^2`).
    pub fn split_all(
        store: &mut Store,
        style: &Style,
        terms: &[(ExprId, Vec<(ExprId, u32)>)],
    ) -> Vec<Monomial> {
        terms
            .iter()
            .map(|(c, mono)| Monomial::split(store, style, *c, mono))
            .collect()
    }

    fn split(store: &mut Store, style: &Style, c: ExprId, mono: &[(ExprId, u32)]) -> Monomial {
        let (num, rest) = split_coefficient(store, &c);
        let mut num = num.cloned().unwrap_or(Number::int(1));
        let mut rest = rest.to_vec();
        if style.flip_signs
            && let [sum] = rest[..]
            && !mono.is_empty()
            && let Node::Add(terms) = store.node(sum)
            && terms.iter().all(|&t| {
                crate::expr::split::coefficient(store, t).is_some_and(Number::is_negative)
            })
        {
            rest = vec![store.neg(sum)];
            num = num.neg();
        }
        let negative = num.is_negative();
        let coeff = num.abs();
        let alone = coeff.is_one() && mono.is_empty() && !negative;
        let rest = (!rest.is_empty()).then(|| {
            let r = store.mul(&rest);
            (r, (style.poly_group)(store, r, alone))
        });
        let powers = mono
            .iter()
            .map(|&(b, k)| (b, (style.poly_group)(store, b, false), k))
            .collect();
        Monomial {
            negative,
            coeff,
            rest,
            powers,
        }
    }
}

impl Layout<'_> {
    /// The polynomial's sum (`0` without terms).
    pub(super) fn polynomial(&self) -> Shape {
        if self.monomials.is_empty() {
            return Shape::Num(Number::int(0));
        }
        let terms = self
            .monomials
            .iter()
            .enumerate()
            .map(|(k, m)| Term {
                negative: m.negative,
                child: Child::plain(Sub::Monomial(k)),
            })
            .collect();
        Shape::Sum(terms)
    }

    /// The magnitude of the polynomial's term `k`.
    pub(super) fn monomial(&self, k: usize) -> Shape {
        let m = &self.monomials[k];
        let child = |id, group| Child {
            sub: Sub::Expr(id),
            group,
        };
        Shape::Monomial {
            coeff: m.coeff.clone(),
            rest: m.rest.map(|(r, group)| child(r, group)),
            powers: m
                .powers
                .iter()
                .map(|&(b, group, k)| (child(b, group), k))
                .collect(),
        }
    }
}
