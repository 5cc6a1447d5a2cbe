//! Rewrites valid wherever the input is defined, for derivatives.
//!
//! A derivative exists only where its function is defined. So a rewrite
//! of a derivative that changes it only at points where the input (or the
//! derivative itself, unchanged by the rewrite) is undefined is exact:
//! `x/x → 1` in the derivative of `x^x*log(x)`, `(1/u)^(-1) → u` where the
//! input divides by `u`, `u^(3/2)/u^(1/2) → u` where the input takes
//! `sqrt(u)` and divides by it.
//!
//! [`Guards`] are the conditions read off the expressions: a base raised
//! to a negative power is non-zero, a base raised to a fractional power is
//! non-negative, a logarithm's argument is positive. They are read along
//! *strict* paths only (sums, products, powers with a numeric exponent,
//! and the arguments of functions that keep a non-finite argument
//! non-finite, [`keeps_undefined`]), where an undefined part makes the
//! whole undefined; not inside other calls, where `exp(-1/x^2)` at 0 is
//! `exp(-inf) = 0`. The guarded pass
//! then merges like bases of a product (`u^a * u^b = u^(a+b)`) and
//! nested powers (`(u^a)^n = u^(a*n)`, `n` an integer) only for a base
//! the guards make non-zero (integer exponents) or non-negative (where an
//! exponent is fractional). Everywhere else the result is unchanged.

use rustc_hash::{FxHashMap, FxHashSet};
use smallvec::SmallVec;

use crate::expr::{ExprId, FirstSeen, Func, IdMap, Node, Number, Store};

/// Bases known to be non-zero, and non-negative, wherever the expressions
/// they were read from are defined.
#[derive(Debug, Default, Clone)]
pub struct Guards {
    nonzero: FxHashSet<ExprId>,
    nonneg: FxHashSet<ExprId>,
}

impl Guards {
    /// The conditions under which `roots` are defined, read along strict
    /// paths.
    pub fn of(store: &Store, roots: &[ExprId]) -> Guards {
        let mut g = Guards::default();
        g.add(store, roots);
        g
    }

    /// Adds the conditions of `roots`. A non-zero base is read along strict
    /// paths only (an infinity can vanish: `exp(-1/x^2)` at 0 is 0); a
    /// non-negative one along every path, since NaN, the value of `log(u)`
    /// or `u^(1/2)` at a negative `u`, stays NaN through every operation
    /// and function deriv has (`sigmoid(log(u))` is undefined for `u < 0`;
    /// `1^x` and `x^0` fold away before they could hide it).
    pub fn add(&mut self, store: &Store, roots: &[ExprId]) {
        // per node, whether it was visited along a strict path (mark level
        // 2) or only a loose one (1): a strict visit does all that a loose
        // one does (the same guards and more, its operands visited as
        // strictly or more), so a node is visited at most twice, and a
        // loose visit after a strict one is skipped
        if !roots.iter().any(|&r| store.has_guard(r)) {
            return;
        }
        crate::expr::with_walk(|seen| {
            seen.reset_levels(store.len());
            // a node is marked as it is pushed, so that an operand already
            // visited as strictly (a sum shared by 49 products) costs a
            // look at its mark, not a trip through the stack; one pushed
            // loose and then strict is visited twice, as before
            let mut stack: Vec<(ExprId, bool)> = Vec::with_capacity(roots.len());
            // a node without a guard-bearing node below it adds nothing
            let push =
                |seen: &mut crate::expr::Walk, stack: &mut Vec<(ExprId, bool)>, x, strict| {
                    let level = if strict { 2 } else { 1 };
                    if store.has_guard(x) && seen.raise(x, level) < level {
                        stack.push((x, strict));
                    }
                };
            for &r in roots {
                push(seen, &mut stack, r, true);
            }
            while let Some((id, strict)) = stack.pop() {
                match store.node(id) {
                    Node::Add(xs) | Node::Mul(xs) => {
                        for &x in xs.iter() {
                            push(seen, &mut stack, x, strict);
                        }
                    }
                    Node::Pow([b, e]) => {
                        let Some(n) = store.as_num(*e) else {
                            push(seen, &mut stack, *b, false);
                            push(seen, &mut stack, *e, false);
                            continue;
                        };
                        if n.is_negative() && strict {
                            self.nonzero_factors(store, *b);
                        }
                        if !n.is_integer() {
                            self.nonneg.insert(*b);
                        }
                        push(seen, &mut stack, *b, strict);
                    }
                    Node::Call(f, args) => {
                        if *f == Func::Ln {
                            if strict {
                                self.nonzero_factors(store, args[0]);
                            }
                            self.nonneg.insert(args[0]);
                        }
                        let strict = strict && keeps_undefined(*f);
                        for &a in args.iter() {
                            push(seen, &mut stack, a, strict);
                        }
                    }
                    _ => {}
                }
            }
        });
    }

    /// `b` is non-zero: so is each factor of a product, and the base of a
    /// positive power.
    fn nonzero_factors(&mut self, store: &Store, b: ExprId) {
        self.nonzero.insert(b);
        match store.node(b) {
            Node::Mul(xs) => {
                for &x in xs.iter() {
                    self.nonzero_factors(store, x);
                }
            }
            Node::Pow([c, e]) if store.as_num(*e).is_some_and(|n| !n.is_negative()) => {
                self.nonzero_factors(store, *c);
            }
            _ => {}
        }
    }

    /// True when `b` is known to be non-zero.
    pub fn is_nonzero(&self, b: ExprId) -> bool {
        self.nonzero.contains(&b)
    }

    /// True when `b` is known to be non-negative.
    pub fn is_nonneg(&self, b: ExprId) -> bool {
        self.nonneg.contains(&b)
    }

    /// The bases known to be non-zero, in no particular order.
    pub fn nonzero(&self) -> impl Iterator<Item = ExprId> + '_ {
        self.nonzero.iter().copied()
    }

    /// True when nothing is known (the pass would change nothing).
    pub fn is_empty(&self) -> bool {
        self.nonzero.is_empty() && self.nonneg.is_empty()
    }

    /// May `b^x * b^y` become `b^(x+y)` (or `(b^x)^n` become `b^(x*n)`)?
    /// With integer exponents where `b` is non-zero. With a fractional one
    /// where `b` is non-negative: for `b > 0` the merge is exact, for
    /// `b < 0` the expression is undefined, and at `b = 0` a quotient such
    /// as `u^(3/2)/u^(1/2)` is `0/0` while `u` is its limit.
    fn merges(&self, store: &Store, b: ExprId, fractional: bool) -> bool {
        if fractional {
            self.nonneg.contains(&b) || is_positive(store, b)
        } else {
            self.nonzero.contains(&b) || is_positive(store, b)
        }
    }
}

/// True when `e` is positive wherever it is defined, by its form
/// ([`Store::is_positive`]): `tan(y)^2 + 1` never vanishes, so
/// `(tan(y)^2 + 1)/(tan(y)^2 + 1)` is 1.
pub fn is_positive(store: &Store, e: ExprId) -> bool {
    store.is_positive(e)
}

/// True when `f` has no finite value wherever its argument has none
/// (`log(inf) = inf`, `sin(NaN) = NaN`, `sqrt`'s powers alike), so that a
/// condition read inside its argument holds wherever the call is defined.
/// Not so for `exp(-inf) = 0`, `atan(inf) = pi/2`, `tanh`, `sigmoid`,
/// `erf`, `sign`, `step`, `relu`, `softplus`, `min`, `max`, `sinc`.
pub fn keeps_undefined(f: Func) -> bool {
    matches!(
        f,
        Func::Ln
            | Func::Sin
            | Func::Cos
            | Func::Tan
            | Func::Asin
            | Func::Acos
            | Func::Sinh
            | Func::Cosh
            | Func::Asinh
            | Func::Acosh
            | Func::Atanh
            | Func::Cbrt
            | Func::Abs
            | Func::Floor
            | Func::Ceil
            | Func::Round
    )
}

/// Derivative results `ids` of `inputs` with the guarded rewrites, each
/// kept only where it is smaller (operations as
/// [`crate::poly::count_ops`] counts them). The guards are read from the
/// inputs and from the results, and a rewrite stands only when the guards
/// of the inputs and of what it produced justify it again: so a result
/// changes only at points where it, or the input, is undefined.
///
/// ```
/// use deriv::{expr::Store, parse::{parse_expr, ParseOptions}, print::infix};
/// use deriv::{diff::Differentiator, simplify::guarded::tidy};
/// let mut s = Store::new();
/// let f = parse_expr(&mut s, "x^x", &ParseOptions::default())?;
/// let x = s.sym("x");
/// let df = Differentiator::new(1 << 20).diff(&mut s, f, x).unwrap();
/// assert_eq!(infix(&s, df), "x^x*(x/x + log(x))");
/// let df = tidy(&mut s, &[f], &[df])[0];
/// assert_eq!(infix(&s, df), "x^x*(log(x) + 1)");
/// # Ok::<(), deriv::parse::ParseError>(())
/// ```
pub fn tidy(store: &mut Store, inputs: &[ExprId], ids: &[ExprId]) -> Vec<ExprId> {
    let order = store.reachable(ids);
    tidy_in(store, inputs, ids, &order)
}

/// [`tidy`], given the nodes reachable from `ids` in ascending order
/// (`Store::reachable`). Where no root has a guard below it, or none of
/// the nodes is one [`rewrite`] can change (most results), the entries
/// come back as they are without the guards read.
pub(crate) fn tidy_in(
    store: &mut Store,
    inputs: &[ExprId],
    ids: &[ExprId],
    order: &[ExprId],
) -> Vec<ExprId> {
    // no guard below any root (the flag of each node), or no node the
    // rewrite could change: nothing to do
    if !inputs.iter().chain(ids).any(|&r| store.has_guard(r))
        || !order.iter().any(|&id| may_rewrite(store, id))
    {
        return ids.to_vec();
    }
    let mut first = Guards::of(store, inputs);
    first.add(store, ids);
    if first.is_empty() {
        return ids.to_vec();
    }
    let new = rewrite_in(store, ids, &first, order);
    if new == ids {
        return new;
    }
    let inputs_only = Guards::of(store, inputs);
    let mut again = inputs_only.clone();
    again.add(store, &new);
    let check = rewrite_in(store, ids, &again, order);
    // where the results' own guards do not stand, the inputs' alone do
    // (`sigmoid(log(b))` is `b/(b + 1)`, though the `1/b` beside it goes)
    let fallback = if new == check {
        new.clone()
    } else {
        rewrite_in(store, ids, &inputs_only, order)
    };
    let mut memo = FxHashMap::default();
    let mut ops = |store: &Store, e| crate::poly::count_ops(store, e, &mut memo);
    (0..ids.len())
        .map(|i| {
            let old = ids[i];
            let pick = if new[i] == check[i] {
                new[i]
            } else {
                fallback[i]
            };
            if ops(store, pick) < ops(store, old) {
                pick
            } else {
                old
            }
        })
        .collect()
}

/// `ids` with like bases merged where `guards` allow it (module docs),
/// each rebuilt through the constructors; the graph is walked once for all
/// of them. An entry comes back unchanged when nothing applies.
pub fn rewrite(store: &mut Store, ids: &[ExprId], guards: &Guards) -> Vec<ExprId> {
    let order = store.reachable(ids);
    rewrite_in(store, ids, guards, &order)
}

/// [`rewrite`], given the nodes reachable from `ids` in ascending order.
fn rewrite_in(store: &mut Store, ids: &[ExprId], guards: &Guards, order: &[ExprId]) -> Vec<ExprId> {
    let mut done = IdMap::for_order(order);
    for &id in order {
        let node = store.node(id);
        // no operand changed: the node as it is, not built again (and its
        // operands' list not made)
        let same = node.children().iter().all(|c| done[c] == *c);
        let kids: SmallVec<[ExprId; 8]> = if same {
            SmallVec::from_slice(node.children())
        } else {
            node.children().iter().map(|c| done[c]).collect()
        };
        let new = match node {
            Node::Num(_) | Node::Const(_) | Node::Var(_) => id,
            Node::Mul(_) => merge(store, &kids, same.then_some(id), guards),
            Node::Pow(_) => {
                let p = if same {
                    id
                } else {
                    store.pow(kids[0], kids[1])
                };
                match store.node(p) {
                    Node::Mul(xs) => {
                        let xs: SmallVec<[ExprId; 8]> = SmallVec::from_slice(xs);
                        merge(store, &xs, Some(p), guards)
                    }
                    Node::Pow(_) => merge(store, &[p], Some(p), guards),
                    _ => p,
                }
            }
            Node::Call(f, args) if is_log_of(*f) => {
                let (f, arg) = (*f, args[0]);
                match of_log(store, f, arg, kids[0], guards) {
                    Some(v) => v,
                    None if same => id,
                    None => store.rebuild(id, &kids),
                }
            }
            _ if same => id,
            _ => store.rebuild(id, &kids),
        };
        done.insert(id, new);
    }
    ids.iter().map(|i| done[i]).collect()
}

/// Whether [`rewrite`] can change the node `id` when none of its operands
/// changed: a product with like bases or a power of a power
/// ([`may_merge`]; a power is merged as the product of itself alone), or
/// `exp`, `sigmoid` or `softplus` of a logarithm ([`of_log`]). Where no
/// node of a graph can, no operand ever changes, and `rewrite` gives back
/// every entry whatever the guards.
fn may_rewrite(store: &Store, id: ExprId) -> bool {
    match store.node(id) {
        Node::Mul(xs) => may_merge(store, xs),
        Node::Pow(_) => may_merge(store, &[id]),
        Node::Call(f, args) => {
            is_log_of(*f) && matches!(store.node(args[0]), Node::Call(Func::Ln, _))
        }
        _ => false,
    }
}

/// Functions [`of_log`] rewrites.
fn is_log_of(f: Func) -> bool {
    matches!(f, Func::Exp | Func::Sigmoid | Func::Softplus)
}

/// `exp`, `sigmoid` or `softplus` of `log(u)` in algebraic form, `u`,
/// `u/(u + 1)` and `log(u + 1)`, where the guards make `u` non-negative
/// (`arg` is the call's argument as it was, `kid` as rewritten): for
/// `u > 0` the forms are equal, at `u = 0` both are 0 (`log(0) = -inf`),
/// and for `u < 0` the input is undefined.
fn of_log(store: &mut Store, f: Func, arg: ExprId, kid: ExprId, guards: &Guards) -> Option<ExprId> {
    let (Node::Call(Func::Ln, was), Node::Call(Func::Ln, now)) = (store.node(arg), store.node(kid))
    else {
        return None;
    };
    if !(guards.is_nonneg(was[0]) || is_positive(store, was[0])) {
        return None;
    }
    let u = now[0];
    let one = store.int(1);
    let up = store.add(&[u, one]);
    Some(match f {
        Func::Exp => u,
        Func::Sigmoid => store.div(u, up),
        _ => store.call1(Func::Ln, up),
    })
}

/// A base in [`merge`]: the base, the sum of its exponents, its factors
/// as written, and whether an exponent is fractional.
type Base = (ExprId, Number, SmallVec<[ExprId; 2]>, bool);

/// A product of `factors` with the like bases the guards allow merged;
/// `built` is their product when it is already at hand.
fn merge(store: &mut Store, factors: &[ExprId], built: Option<ExprId>, guards: &Guards) -> ExprId {
    let product = built.unwrap_or_else(|| store.mul(factors));
    let xs: SmallVec<[ExprId; 8]> = match store.node(product) {
        Node::Mul(xs) => SmallVec::from_slice(xs),
        _ => smallvec::smallvec![product],
    };
    if !may_merge(store, &xs) {
        return product;
    }
    // per base, in order of first occurrence: the base, the exponents'
    // sum, the factors as written, any fractional
    let mut bases: SmallVec<[Base; 4]> = SmallVec::new();
    let mut seen = FirstSeen::default();
    let mut rest: SmallVec<[ExprId; 8]> = SmallVec::new();
    for f in xs {
        let Some((b, e, fractional)) = base_exponent(store, f, guards) else {
            rest.push(f);
            continue;
        };
        match seen.find(&bases, |x| x.0, b) {
            Some(i) => {
                let (_, s, fs, frac) = &mut bases[i];
                *s = s.add(&e);
                fs.push(f);
                *frac |= fractional;
            }
            None => {
                seen.pushed(b, bases.len());
                bases.push((b, e, smallvec::smallvec![f], fractional));
            }
        }
    }
    let mut changed = false;
    for (b, e, fs, fractional) in bases {
        let nested = fs.len() == 1
            && fs[0] != b
            && !matches!(store.node(fs[0]), Node::Pow([x, _]) if *x == b);
        if (fs.len() > 1 || nested) && guards.merges(store, b, fractional) {
            changed = true;
            let e = store.number(e);
            rest.push(store.pow(b, e));
        } else {
            rest.extend(fs.iter().copied());
        }
    }
    if changed { store.mul(&rest) } else { product }
}

/// Whether [`merge`] can change the product of `xs`: some base is that
/// of two factors, or a factor is a power of a power (`(u^a)^n`), both
/// with numeric exponents. Ids only, nothing built: most products have
/// neither, and are passed over at this cost.
fn may_merge(store: &Store, xs: &[ExprId]) -> bool {
    let numeric = |e: &ExprId| store.as_num(*e).is_some();
    let base = |f: ExprId| match store.node(f) {
        Node::Pow([b, e]) if numeric(e) => *b,
        _ => f,
    };
    xs.iter().enumerate().any(|(i, &f)| {
        let nested = matches!(store.node(f), Node::Pow([b, e])
            if numeric(e) && matches!(store.node(*b), Node::Pow([_, a]) if numeric(a)));
        nested
            || (!matches!(store.node(f), Node::Num(_))
                && xs[i + 1..].iter().any(|&g| base(g) == base(f)))
    })
}

/// `f` as a base, a numeric exponent, and whether a fractional exponent
/// is involved; `(u^a)^n` as `(u, a*n)` where the guards allow the nested
/// power to merge; `None` for a number.
fn base_exponent(store: &Store, f: ExprId, guards: &Guards) -> Option<(ExprId, Number, bool)> {
    match store.node(f) {
        Node::Num(_) => None,
        Node::Pow([b, e]) => match store.as_num(*e) {
            Some(n) => {
                if let Node::Pow([c, a]) = store.node(*b)
                    && let Some(a) = store.as_num(*a)
                    && n.is_integer()
                    && guards.merges(store, *c, !a.is_integer())
                {
                    return Some((*c, a.mul(n), !a.is_integer()));
                }
                Some((*b, n.clone(), !n.is_integer()))
            }
            None => Some((f, Number::int(1), false)),
        },
        _ => Some((f, Number::int(1), false)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_bases_merge_past_the_linear_search() {
        // 20 bases: past 16 a product's bases are found through a hash
        // map. The input divides by each x_j, so x_j is non-zero wherever
        // it is defined and `x_j^2 * x_j^(-1)` (kept apart by the canonical
        // form, for its domain) merges to `x_j`.
        let mut s = Store::new();
        let xs: Vec<ExprId> = (1..=20).map(|j| s.var(&format!("x{j}"))).collect();
        let recips: Vec<ExprId> = xs.iter().map(|&x| s.recip(x)).collect();
        let input = s.add(&recips);
        let mut factors = Vec::new();
        for &x in &xs {
            factors.push(s.powi(x, 2));
            factors.push(s.recip(x));
        }
        let entry = s.mul(&factors);
        assert_eq!(s.node(entry).children().len(), 40, "kept apart");
        let want = s.mul(&xs);
        assert_eq!(tidy(&mut s, &[input], &[entry]), vec![want]);
        // without the guard nothing merges
        let other = s.var("y");
        assert_eq!(tidy(&mut s, &[other], &[entry]), vec![entry]);
    }

    #[test]
    fn products_with_nothing_to_merge_are_passed_over() {
        use crate::parse::{ParseOptions, parse_expr};
        let mut s = Store::new();
        let mut may = |src: &str| {
            let e = parse_expr(&mut s, src, &ParseOptions::default()).unwrap();
            let xs = s.node(e).children().to_vec();
            may_merge(&s, &xs)
        };
        // distinct bases
        assert!(!may("2*x^2*sin(y)*(x + 1)^(-1/2)"));
        // one base twice, kept apart by the canonical form for its domain
        assert!(may("x^3*x^(-1)*y"));
        // a power of a power
        assert!(may("sqrt(x^2)^3*y"));
    }

    #[test]
    fn graphs_the_rewrite_cannot_change_are_passed_over() {
        use crate::parse::{ParseOptions, parse_expr};
        // (input, entry, whether some node of the entry may be rewritten,
        // the entry after `tidy` as deriv prints it, by hand)
        let cases = [
            // the W1 gradient: guards (sqrt, a negative power), no like
            // bases, no power of a power, no exp of a log
            (
                "sqrt(x^2 + exp(x^2)) + cos(x^2 + exp(x^2))",
                "(x + x*exp(x^2))/sqrt(x^2 + exp(x^2)) - 2*sin(x^2 + exp(x^2))*(x + x*exp(x^2))",
                false,
                "(x + x*exp(x^2))/sqrt(x^2 + exp(x^2)) - 2*sin(x^2 + exp(x^2))*(x + x*exp(x^2))",
            ),
            // like bases kept apart for their domain, merged under 1/x
            ("1/x + y", "x^3*x^(-1)*y", true, "x^2*y"),
            // a power of a power under sqrt(u)
            ("sqrt(u)", "sqrt(u)^3*u^(-1)", true, "sqrt(u)"),
            // exp of a log whose argument the input takes the log of
            ("log(b)", "exp(log(b))*b", true, "b^2"),
        ];
        for (input, entry, may, want) in cases {
            let mut s = Store::new();
            let o = ParseOptions::default();
            let f = parse_expr(&mut s, input, &o).unwrap();
            let e = parse_expr(&mut s, entry, &o).unwrap();
            let order = s.reachable(&[e]);
            assert_eq!(order.iter().any(|&id| may_rewrite(&s, id)), may, "{entry}");
            let before = s.len();
            let got = tidy(&mut s, &[f], &[e])[0];
            assert_eq!(crate::print::infix(&s, got), want, "{entry}");
            if !may {
                // nothing built, and the rewrite itself agrees
                assert_eq!(s.len(), before, "{entry}");
                let mut guards = Guards::of(&s, &[f]);
                guards.add(&s, &[e]);
                assert!(!guards.is_empty(), "{entry}");
                assert_eq!(rewrite(&mut s, &[e], &guards), vec![e], "{entry}");
            }
        }
    }
}
