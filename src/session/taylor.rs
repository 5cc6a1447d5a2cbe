//! Taylor polynomials and linearizations through the front door: the
//! expansion, its warnings, numeric coefficients on request, and the
//! monomials in the `c * (x - a)^k` form they print in.

use rustc_hash::FxHashMap;

use crate::error::Error;
use crate::expr::{ExprId, Store, Sym};
use crate::point::Point;
use crate::poly::count_ops;
use crate::series::{SeriesError, SeriesOptions, Taylor};
use crate::warning::Warning;

use super::results::Polynomial;
use super::{Expr, Function, Session};

/// A term `(coefficient, [(x_i - a_i, k_i)])`.
type Term = (ExprId, Vec<(ExprId, u32)>);
/// Terms `(coefficient, [(x_i - a_i, k_i)])`.
type Terms = Vec<Term>;

pub(super) fn taylor(
    s: &mut Session,
    f: &Function,
    point: &Point,
    order: u32,
    numeric: bool,
) -> Result<Polynomial, Error> {
    let e = s.scalar(f, if order == 1 { "linearize" } else { "taylor" })?;
    expand(s, e, point, order, numeric)
}

/// The Taylor polynomial of each output of `f`: one for a scalar, one per
/// component of a vector `[f1, f2, ...]`.
pub(super) fn taylor_each(
    s: &mut Session,
    f: &Function,
    point: &Point,
    order: u32,
    numeric: bool,
) -> Result<Vec<Polynomial>, Error> {
    s.own(f)?;
    f.roots()
        .into_iter()
        .map(|e| expand(s, e, point, order, numeric))
        .collect()
}

/// The Taylor polynomial of `e` at the point.
fn expand(
    s: &mut Session,
    e: ExprId,
    point: &Point,
    order: u32,
    numeric: bool,
) -> Result<Polynomial, Error> {
    let numeric = numeric || !point.is_exact();
    let at: Vec<(Sym, ExprId)> = point.coords().iter().map(|c| (c.sym, c.value)).collect();
    let at: Vec<(Sym, ExprId)> = if numeric {
        let st = s.store_mut();
        at.iter()
            .zip(point.coords())
            .map(|((v, _), c)| (*v, st.float(c.float)))
            .collect()
    } else {
        at
    };
    let mut warnings = s.kinks(&[e], point);
    let opts = SeriesOptions {
        max_terms: s.limits.max_terms,
        max_nodes: s.limits.max_nodes,
    };
    let t =
        crate::series::taylor(s.store_mut(), e, &at, order, &opts).map_err(|err| match err {
            SeriesError::NotAnalytic { at } => Error::invalid(format!(
                "cannot expand at {point}: `{}` has no Taylor series there",
                s.expr(at)
            )),
            SeriesError::Pole { at, order } => Error::invalid(format!(
                "cannot expand at {point}: `{}` has a pole of order {order} there",
                s.expr(at)
            )),
            other => other.into(),
        })?;
    for &u in &t.undefined {
        warnings.push(Warning::Undefined {
            expr: s.expr(u),
            point: point.clone(),
        });
    }
    let terms = monomials(s, &t, numeric, point, &mut warnings);
    let shown = if numeric {
        terms.clone()
    } else {
        let shown = smallest_form(s.store_mut(), (e, order), &t, terms.clone());
        by_degree(s.store_mut(), shown)
    };
    let mut parts: Vec<ExprId> = Vec::new();
    for (c, mono) in &shown {
        parts.push(*c);
        parts.extend(mono.iter().map(|m| m.0));
    }
    s.check_output(&parts, 1)?;
    let text = polynomial_text(s.store_mut(), &shown, false);
    let exprs = |s: &Session, terms: &Terms| -> Vec<(Expr, Vec<(Expr, u32)>)> {
        terms
            .iter()
            .map(|(c, mono)| {
                let mono = mono.iter().map(|(b, k)| (s.expr(*b), *k)).collect();
                (s.expr(*c), mono)
            })
            .collect()
    };
    Ok(Polynomial {
        order,
        point: point.clone(),
        terms: exprs(s, &terms),
        shown: exprs(s, &shown),
        text,
        warnings,
    })
}

/// The terms of a Taylor polynomial; in numeric mode the coefficients are
/// evaluated to floats.
fn monomials(
    s: &mut Session,
    t: &Taylor,
    numeric: bool,
    point: &Point,
    warnings: &mut Vec<Warning>,
) -> Terms {
    let deltas: Vec<ExprId> = {
        let st = s.store_mut();
        t.vars
            .iter()
            .zip(&t.center)
            .map(|(v, a)| {
                let x = st.var_sym(*v);
                st.sub(x, *a)
            })
            .collect()
    };
    let mut out = Vec::new();
    for (exps, c) in &t.terms {
        let constant = s.store.as_num(*c).is_none() && s.store.free_vars(&[*c]).is_empty();
        let c = if numeric && constant {
            let (v, w) = s.values(&[*c], point);
            warnings.extend(w);
            if v[0].is_finite() {
                s.store_mut().float(v[0])
            } else {
                *c
            }
        } else {
            *c
        };
        if s.store.as_num(c).is_some_and(|n| n.is_zero()) {
            continue;
        }
        let mono = exps
            .iter()
            .zip(&deltas)
            .filter(|(k, _)| **k > 0)
            .map(|(k, d)| (*d, *k))
            .collect();
        out.push((c, mono));
    }
    out
}

/// The printed form of an exact Taylor polynomial: in powers of the
/// displacements `x - a` (`13 + 6*(x - 1) + 14*(y - 2) + ...`, the
/// notes' example 5.15), except where those would only restate the
/// function. When the function is itself a polynomial in the expansion
/// variables (its coefficients free of them: numbers, constants such as
/// `log(sigmoid(2))`, parameters), and it is linear or of lower degree
/// than the order asked for, the polynomial is the function, multiplied
/// out (`taylor "x" --at x=1/2` is `x`, not `1/2 + (x - 1/2)`;
/// `y*(2*y + x)` to order 3 is `x*y + 2*y^2`), where that has fewer
/// operations as `crate::poly::count_ops` counts them.
fn smallest_form(
    store: &mut Store,
    (e, order): (ExprId, u32),
    t: &Taylor,
    shifted: Terms,
) -> Terms {
    let vars: Vec<ExprId> = t.vars.iter().map(|v| store.var_sym(*v)).collect();
    let Some(whole) = as_polynomial(store, e, &vars, order) else {
        return shifted;
    };
    shorter(store, whole, shifted)
}

/// `a` where it prints with fewer operations than `b` ([`terms_ops`]),
/// else `b`.
fn shorter(store: &mut Store, a: Terms, b: Terms) -> Terms {
    let mut memo = FxHashMap::default();
    if terms_ops(store, &a, &mut memo) < terms_ops(store, &b, &mut memo) {
        a
    } else {
        b
    }
}

/// `c * Π base^k`, one expression of the store.
fn monomial(store: &mut Store, c: ExprId, mono: &[(ExprId, u32)]) -> ExprId {
    let mut factors = vec![c];
    factors.extend(mono.iter().map(|&(b, k)| store.powi(b, i64::from(k))));
    store.mul(&factors)
}

/// The terms of one total degree written once over a coefficient they
/// share, where that is shorter. The Taylor polynomial of a function of one
/// linear form `L` (`sin(x + y)`, `tan(y - x)^3`, `exp(2*x - y)`) is a
/// polynomial in `L - L(a)`: its degree-`k` terms are `c_k*(L - L(a))^k`,
/// and it prints so (`sin(3) + cos(3)*(x + y - 3) - sin(3)*(x + y -
/// 3)^2/2 ...`). Otherwise the terms of a degree that share a coefficient are
/// one term, that coefficient times the sum of the rest: `-c*(x + 17/8) +
/// c*(y + 1/8)` is `c*(y - x - 2)`.
///
/// Each coefficient is split into a number and the rest (the content of a
/// sum comes out, so `-3*t - 6*t^3` and `6*t + 12*t^3` share `t + 2*t^3`);
/// the terms of a degree share a coefficient when their rests are one
/// constant (a parameter stays in each term, as with [`common_factor`]);
/// numbers share the coefficient 1, and are only ever a power of the
/// linear form (`log(x + y + 1)` at the origin is `(x + y) - (x + y)^2/2 +
/// ...`). The degree-1 terms give `L`; a degree `k` is
/// `(L - L(a))^k` times a number when its numbers are those of the
/// multinomial expansion, all of them. The whole is kept only where it has
/// fewer operations.
fn by_degree(store: &mut Store, terms: Terms) -> Terms {
    let degree = |mono: &Vec<(ExprId, u32)>| mono.iter().map(|(_, k)| *k).sum::<u32>();
    let mut runs: Vec<(u32, &[Term])> = Vec::new();
    let mut i = 0;
    while i < terms.len() {
        let d = degree(&terms[i].1);
        let mut j = i + 1;
        while j < terms.len() && degree(&terms[j].1) == d {
            j += 1;
        }
        runs.push((d, &terms[i..j]));
        i = j;
    }
    // the degree-1 terms (two or more) as numbers over one coefficient
    let mut first = runs
        .iter()
        .find(|(d, run)| *d == 1 && run.len() > 1)
        .and_then(|(_, run)| shared_coefficient(store, run));
    // a degree of one term can only be a power of the linear form
    if first.is_none() && runs.iter().all(|(_, run)| run.len() < 2) {
        return terms;
    }
    let shared: Vec<Option<Shared>> = runs
        .iter()
        .map(|(d, run)| {
            if *d > 1 && (run.len() > 1 || first.is_some()) {
                shared_coefficient(store, run)
            } else {
                None
            }
        })
        .collect();
    // the degrees above 1 that may be powers of the linear form, as floats
    // tell (no exact arithmetic where none is)
    let floats: Vec<(ExprId, f64)> = first.as_ref().map_or_else(Vec::new, |sh| {
        sh.parts
            .iter()
            .filter_map(|(r, mono)| match mono.as_slice() {
                [(base, 1)] => Some((*base, r.to_f64())),
                _ => None,
            })
            .collect()
    });
    let maybe: Vec<bool> = runs
        .iter()
        .zip(&shared)
        .map(|((d, _), sh)| *d > 1 && sh.as_ref().is_some_and(|sh| near_power(&floats, sh, *d)))
        .collect();
    let symbolic = first
        .as_ref()
        .is_some_and(|sh| store.as_num(sh.coefficient).is_none());
    let linear = if symbolic || maybe.contains(&true) {
        first.as_ref().and_then(linear_form)
    } else {
        None
    };
    let mut powers: Vec<Option<num_rational::BigRational>> = runs
        .iter()
        .zip(shared.iter().zip(&maybe))
        .map(|((d, _), (sh, maybe))| {
            power_of(linear.as_ref()?, sh.as_ref()?, *d).filter(|_| *maybe)
        })
        .collect();
    // degree 1 is the form itself; but numbers over the displacements say
    // what the partial derivatives are, and become one linear form only
    // for the sake of its powers
    let any_power = powers.iter().any(Option::is_some);
    let mut shared = shared;
    for ((d, _), (sh, power)) in runs.iter().zip(shared.iter_mut().zip(powers.iter_mut())) {
        if *d == 1 {
            *sh = first.take();
            if let (Some(lf), Some(sh)) = (&linear, &*sh)
                && (any_power || symbolic)
            {
                *power = power_of(lf, sh, 1);
            }
        }
    }
    let mut form = None;
    let mut out: Terms = Vec::with_capacity(terms.len());
    let mut changed = false;
    for (((d, run), sh), power) in runs.iter().zip(&shared).zip(powers) {
        let Some(sh) = sh else {
            out.extend_from_slice(run);
            continue;
        };
        let numeric = store.as_num(sh.coefficient).is_some();
        if let Some(lf) = &linear
            && let Some(scale) = power
        {
            let form = *form.get_or_insert_with(|| lf.form(store));
            let scale = store.rational(scale);
            let c = store.mul(&[scale, sh.coefficient]);
            out.push((c, vec![(form, *d)]));
            changed = true;
        } else if run.len() > 1 && !numeric {
            out.push((sh.coefficient, vec![(sh.sum(store), 1)]));
            changed = true;
        } else {
            out.extend_from_slice(run);
        }
    }
    if !changed {
        return terms;
    }
    shorter(store, out, terms)
}

/// Terms of one degree as a coefficient they share times numbers.
struct Shared {
    coefficient: ExprId,
    /// Each term's number and its monomial.
    parts: Vec<(crate::expr::Number, Vec<(ExprId, u32)>)>,
}

impl Shared {
    /// The sum of the numbers times the monomials.
    fn sum(&self, store: &mut Store) -> ExprId {
        number_sum(store, &self.parts)
    }
}

/// `Σ r * Π base^k`, one expression of the store.
fn number_sum(store: &mut Store, parts: &[(crate::expr::Number, Vec<(ExprId, u32)>)]) -> ExprId {
    let parts: Vec<ExprId> = parts
        .iter()
        .map(|(r, mono)| {
            let r = store.number(r.clone());
            monomial(store, r, mono)
        })
        .collect();
    store.add(&parts)
}

/// `run` (terms of one degree) as [`Shared`] when every coefficient is a
/// number times the same constant, or a number ([`by_degree`]).
fn shared_coefficient(store: &mut Store, run: &[Term]) -> Option<Shared> {
    let mut coefficient: Option<ExprId> = None;
    let mut parts = Vec::with_capacity(run.len());
    for (c, mono) in run {
        // a number is itself times 1
        let (r, rest) = if let Some(n) = store.as_num(*c) {
            (n.clone(), store.int(1))
        } else if let Some((r, primitive)) = store.content(*c) {
            (r, primitive)
        } else {
            store.split_coeff(*c)
        };
        match coefficient {
            Some(shared) if shared != rest => return None,
            Some(_) => {}
            // a parameter is not taken out
            None if store.as_num(rest).is_none() && !store.free_vars(&[rest]).is_empty() => {
                return None;
            }
            None => coefficient = Some(rest),
        }
        parts.push((r, mono.clone()));
    }
    Some(Shared {
        coefficient: coefficient?,
        parts,
    })
}

/// A linear form `L - L(a)` of the displacements: its coefficients over
/// them, and its expression with those divided by their content, the first
/// positive (`x + y - 3`, `2*x - y + 1/2`, `x - y + 2`).
struct Linear {
    coefficients: Vec<(ExprId, num_rational::BigRational)>,
}

/// The linear form of the degree-1 terms ([`by_degree`]), exact numbers
/// only.
fn linear_form(sh: &Shared) -> Option<Linear> {
    use num_integer::Integer;
    use num_traits::Signed;
    let mut given = Vec::with_capacity(sh.parts.len());
    for (r, mono) in &sh.parts {
        let [(base, 1)] = mono.as_slice() else {
            return None;
        };
        given.push((*base, r.as_rational()?.clone()));
    }
    // the content: gcd of the numerators over lcm of the denominators
    let (num, den) = given.iter().fold(
        (num_bigint::BigInt::from(0), num_bigint::BigInt::from(1)),
        |(n, d), (_, r)| (n.gcd(r.numer()), d.lcm(r.denom())),
    );
    let mut g = num_rational::BigRational::new(num, den);
    if given.first()?.1.is_negative() {
        g = -g;
    }
    let coefficients = given.into_iter().map(|(b, r)| (b, r / &g)).collect();
    Some(Linear { coefficients })
}

impl Linear {
    /// The form as an expression of the store.
    fn form(&self, store: &mut Store) -> ExprId {
        let parts: Vec<_> = self
            .coefficients
            .iter()
            .map(|(b, l)| (crate::expr::Number::Rational(l.clone()), vec![(*b, 1)]))
            .collect();
        number_sum(store, &parts)
    }
}

/// The number `s` with `Σ r_m * m = s * (L - L(a))^k` over the terms of
/// [`Shared`], if there is one: every monomial of the multinomial
/// expansion present, with its number times `s`.
fn power_of(lf: &Linear, sh: &Shared, k: u32) -> Option<num_rational::BigRational> {
    use num_traits::Zero;
    let n = lf.coefficients.len();
    // the expansion has C(n + k - 1, k) monomials
    let mut count: u64 = 1;
    for i in 0..u64::from(k) {
        count = count.checked_mul(n as u64 + i)? / (i + 1);
    }
    if sh.parts.len() as u64 != count {
        return None;
    }
    let mut scale: Option<num_rational::BigRational> = None;
    for (r, mono) in &sh.parts {
        let r = r.as_rational()?;
        // multinomial coefficient k!/(e_1!...e_n!) times the powers
        let mut coef = num_rational::BigRational::from_integer(factorial(k));
        for &(base, e) in mono {
            let (_, l) = lf.coefficients.iter().find(|(b, _)| *b == base)?;
            coef /= num_rational::BigRational::from_integer(factorial(e));
            coef *= num_traits::pow(l.clone(), e as usize);
        }
        if coef.is_zero() {
            return None;
        }
        let s = r / &coef;
        match &scale {
            Some(t) if *t != s => return None,
            Some(_) => {}
            None => scale = Some(s),
        }
    }
    scale
}

/// Whether the numbers of [`Shared`] are, in floats, those of a power
/// `k` of the linear form with coefficients `floats` (over the same
/// displacements, in any scale): every monomial of the expansion present,
/// the ratios of the numbers to the expansion's equal. A cheap test before
/// [`power_of`]'s exact one.
fn near_power(floats: &[(ExprId, f64)], sh: &Shared, k: u32) -> bool {
    let n = floats.len() as u64;
    // the expansion has C(n + k - 1, k) monomials
    let mut count: u64 = 1;
    for i in 0..u64::from(k) {
        match count.checked_mul(n + i) {
            Some(c) => count = c / (i + 1),
            None => return false,
        }
    }
    if n < 2 || sh.parts.len() as u64 != count {
        return false;
    }
    let mut first: Option<f64> = None;
    for (r, mono) in &sh.parts {
        let mut coef = (1..=k).map(f64::from).product::<f64>();
        for &(base, e) in mono {
            let Some((_, l)) = floats.iter().find(|(b, _)| *b == base) else {
                return false;
            };
            coef /= (1..=e).map(f64::from).product::<f64>();
            coef *= l.powi(i32::try_from(e).unwrap_or(i32::MAX));
        }
        let ratio = r.to_f64() / coef;
        match first {
            // out of float range: the exact test decides
            _ if !ratio.is_finite() || ratio == 0.0 => return true,
            Some(f) if (ratio - f).abs() > 1e-9 * f.abs() => return false,
            Some(_) => {}
            None => first = Some(ratio),
        }
    }
    true
}

fn factorial(k: u32) -> num_bigint::BigInt {
    (1..=k).fold(num_bigint::BigInt::from(1), |acc, i| acc * i)
}

/// `e` as a polynomial in `vars` whose coefficients are free of them,
/// multiplied out, when it is linear or of lower degree than `order`;
/// `None` otherwise (or over a small budget). Terms by total degree, then
/// as the variables are ordered (`x` before `y`).
fn as_polynomial(store: &mut Store, e: ExprId, vars: &[ExprId], order: u32) -> Option<Terms> {
    // a sum of products of natural powers has at most the degree read off
    // its form: too high, and there is nothing to convert
    if let Some(bound) = degree_bound(store, e, vars)
        && bound > 1
        && bound >= u64::from(order)
    {
        return None;
    }
    let mut normal = crate::poly::Normal::with_budget(crate::poly::Budget {
        max_terms: 200,
        work: 200_000,
    });
    let r = normal.to_rat(store, e)?;
    if !r.is_poly() {
        return None;
    }
    let atoms = normal.atoms().to_vec();
    let syms: Vec<Sym> = vars
        .iter()
        .filter_map(|&v| match store.node(v) {
            crate::expr::Node::Var(s) => Some(*s),
            _ => None,
        })
        .collect();
    // per atom: which variable it is, or None for a coefficient atom
    let mut which: Vec<Option<usize>> = Vec::with_capacity(atoms.len());
    for &a in &atoms {
        match vars.iter().position(|&v| v == a) {
            Some(i) => which.push(Some(i)),
            None if store.free_vars(&[a]).iter().any(|v| syms.contains(v)) => return None,
            None => which.push(None),
        }
    }
    let degree = r
        .num
        .terms()
        .iter()
        .map(|(m, _)| {
            m.iter()
                .enumerate()
                .filter(|(i, _)| which[*i].is_some())
                .map(|(_, x)| *x)
                .sum::<u32>()
        })
        .max()
        .unwrap_or(0);
    if degree > 1 && degree >= order {
        return None;
    }
    // group the terms by their powers of the variables
    let mut groups: Vec<(Vec<u32>, Vec<ExprId>)> = Vec::new();
    for (k, (m, _)) in r.num.terms().iter().enumerate() {
        let mut key = vec![0u32; vars.len()];
        let mut factors = vec![store.rational(r.num.coeff(k))];
        for (i, &x) in m.iter().enumerate() {
            if x == 0 {
                continue;
            }
            match which[i] {
                Some(v) => key[v] = x,
                None => factors.push(store.powi(atoms[i], i64::from(x))),
            }
        }
        let term = store.mul(&factors);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, ts)) => ts.push(term),
            None => groups.push((key, vec![term])),
        }
    }
    groups.sort_by(|(a, _), (b, _)| {
        let (da, db) = (a.iter().sum::<u32>(), b.iter().sum::<u32>());
        da.cmp(&db).then_with(|| b.cmp(a))
    });
    let mut out: Terms = Vec::new();
    for (key, ts) in groups {
        let c = store.add(&ts);
        if store.as_num(c).is_some_and(|n| n.is_zero()) {
            continue;
        }
        let mono = key
            .iter()
            .enumerate()
            .filter(|(_, x)| **x > 0)
            .map(|(i, x)| (vars[i], *x))
            .collect();
        out.push((c, mono));
    }
    Some(out)
}

/// An upper bound on the total degree of `e` in `vars` when it is built
/// from sums, products and natural powers of them (anything free of them
/// counts as degree 0); `None` for any other form (a quotient, a call of
/// a variable), whose degree only its normal form tells.
fn degree_bound(store: &Store, e: ExprId, vars: &[ExprId]) -> Option<u64> {
    use crate::expr::Node;
    let mut memo: FxHashMap<ExprId, Option<u64>> = FxHashMap::default();
    let vars: rustc_hash::FxHashSet<ExprId> = vars.iter().copied().collect();
    for id in store.reachable(&[e]) {
        let d = if vars.contains(&id) {
            Some(1)
        } else {
            match store.node(id) {
                Node::Num(_) | Node::Const(_) | Node::Var(_) => Some(0),
                Node::Add(xs) => xs.iter().try_fold(0u64, |m, x| memo[x].map(|d| m.max(d))),
                Node::Mul(xs) => xs
                    .iter()
                    .try_fold(0u64, |m, x| memo[x].map(|d| m.saturating_add(d))),
                Node::Pow([b, k]) => match (memo[b], store.as_num(*k).and_then(|n| n.as_i64())) {
                    (Some(0), _) if store.free_vars(&[id]).is_empty() => Some(0),
                    (Some(d), Some(k)) if k >= 0 => Some(d.saturating_mul(k.unsigned_abs())),
                    _ => None,
                },
                Node::Call(..) => {
                    let free = store.free_vars(&[id]);
                    let own = vars.iter().any(|&v| match store.node(v) {
                        Node::Var(s) => free.contains(s),
                        _ => false,
                    });
                    (!own).then_some(0)
                }
            }
        };
        memo.insert(id, d);
    }
    memo[&e]
}

/// The operations of the printed form of `terms` (as `count_ops` counts
/// them): the sums between terms, each coefficient's own and a product
/// with it unless it is 1 or -1, and per factor its base's and a power.
fn terms_ops(store: &mut Store, terms: &Terms, memo: &mut FxHashMap<ExprId, u64>) -> u64 {
    let mut ops = terms.len().saturating_sub(1) as u64;
    for (i, (c, mono)) in terms.iter().enumerate() {
        let negative = store.as_num(*c).is_some_and(|n| n.is_negative());
        let abs = if negative { store.neg(*c) } else { *c };
        // a leading negative term is a negation; later ones a subtraction
        ops += u64::from(negative && i == 0);
        let unit = store.as_num(abs).is_some_and(|n| n.is_one());
        ops += count_ops(store, abs, memo);
        let factors = mono.len() + usize::from(!unit);
        ops += factors.saturating_sub(1) as u64;
        for (b, k) in mono {
            ops += count_ops(store, *b, memo) + u64::from(*k > 1);
        }
    }
    ops
}

impl Session {
    /// A polynomial as one expression of the store (its monomials
    /// multiplied out into the canonical form), e.g. to evaluate it.
    pub fn polynomial_expr(&mut self, p: &Polynomial) -> ExprId {
        let st = self.store_mut();
        let sum: Vec<ExprId> = p
            .terms
            .iter()
            .map(|(c, mono)| {
                let mono: Vec<(ExprId, u32)> = mono.iter().map(|(b, k)| (b.id(), *k)).collect();
                monomial(st, c.id(), &mono)
            })
            .collect();
        st.add(&sum)
    }

    /// A polynomial in LaTeX (`13 + 6 \left(x - 1\right) + ...`); check
    /// its size first with [`Session::check_output`] (factor 4) if it may
    /// be large.
    pub fn polynomial_latex(&mut self, p: &Polynomial) -> String {
        let terms: Terms = p
            .shown
            .iter()
            .map(|(c, mono)| (c.id(), mono.iter().map(|(b, k)| (b.id(), *k)).collect()))
            .collect();
        polynomial_text(self.store_mut(), &terms, true)
    }
}

/// The polynomial in deriv's syntax (or LaTeX), with a factor common to
/// every coefficient written once in front where that is shorter
/// ([`common_factor`]).
fn polynomial_text(store: &mut Store, terms: &Terms, latex: bool) -> String {
    let print = |store: &mut Store, terms: &Terms| {
        if latex {
            crate::print::latex_polynomial(store, terms)
        } else {
            crate::print::polynomial(store, terms)
        }
    };
    let found = match (common_factor(store, terms), polynomial_factor(store, terms)) {
        (Some(a), Some(b)) => Some(if b.2 < a.2 { b } else { a }),
        (a, b) => a.or(b),
    };
    let Some((g, rest, _)) = found else {
        return print(store, terms);
    };
    let (open, close, times) = if latex {
        ("\\left(", "\\right)", " ")
    } else {
        ("(", ")", "*")
    };
    let g_text = if latex {
        crate::print::latex(store, g)
    } else {
        crate::print::infix(store, g)
    };
    let g_text = if matches!(store.node(g), crate::expr::Node::Add(_)) {
        format!("{open}{g_text}{close}")
    } else {
        g_text
    };
    format!("{g_text}{times}{open}{}{close}", print(store, &rest))
}

/// A constant factor other than a number that every coefficient of
/// `terms` has (`exp(147/16)`, `sqrt(22)`, `exp(-4)*tanh(3)/tanh(2)`;
/// not a parameter), with the terms
/// divided by it, when writing it once in front has fewer operations
/// (`crate::poly::count_ops`) than repeating it: `exp(2) + exp(2)*(x - 1)`
/// is `exp(2)*(1 + (x - 1))`. `None` for fewer than two terms.
fn common_factor(store: &mut Store, terms: &Terms) -> Option<(ExprId, Terms, u64)> {
    use crate::expr::Node;
    if terms.len() < 2 {
        return None;
    }
    // constants only: a parameter stays in each term, as SPEC has it
    // (`a*sin(x)` to order 3 is `a*x - a*x^3/6`)
    let factors = |store: &Store, c: ExprId| -> Vec<ExprId> {
        let constant = |x: &ExprId| store.as_num(*x).is_none() && store.free_vars(&[*x]).is_empty();
        match store.node(c) {
            Node::Mul(xs) => xs.iter().copied().filter(constant).collect(),
            Node::Num(_) => Vec::new(),
            _ => [c].into_iter().filter(constant).collect(),
        }
    };
    let mut common = factors(store, terms[0].0);
    for (c, _) in &terms[1..] {
        let fs = factors(store, *c);
        common.retain(|g| fs.contains(g));
        if common.is_empty() {
            return None;
        }
    }
    let g = store.mul(&common);
    let mut rest: Terms = Vec::with_capacity(terms.len());
    for (c, mono) in terms {
        let kept: Vec<ExprId> = match store.node(*c) {
            Node::Mul(xs) => xs.iter().copied().filter(|x| !common.contains(x)).collect(),
            _ => Vec::new(),
        };
        let c = store.mul(&kept);
        rest.push((c, mono.clone()));
    }
    factored_if_shorter(store, terms, g, rest)
}

/// `(g, rest, operations)` where `g` written once in front of `rest` has
/// fewer operations than `terms` as they are.
fn factored_if_shorter(
    store: &mut Store,
    terms: &Terms,
    g: ExprId,
    rest: Terms,
) -> Option<(ExprId, Terms, u64)> {
    let mut memo = FxHashMap::default();
    let before = terms_ops(store, terms, &mut memo);
    let after = terms_ops(store, &rest, &mut memo) + count_ops(store, g, &mut memo) + 1;
    (after < before).then_some((g, rest, after))
}

/// A factor common to the coefficients as polynomials over their atoms,
/// which [`common_factor`] cannot see in a sum: the coefficients of
/// `sigmoid(u)` at `u = 1/8` are `sigmoid(1/8)`, `sigmoid(1/8) -
/// sigmoid(1/8)^2`, ..., all of them `sigmoid(1/8)` times a polynomial in
/// it, so the linearization is `sigmoid(1/8)*(1 + (1 - sigmoid(1/8))*(x -
/// 1/8))`. The factor is the gcd of the coefficients (`crate::poly::gcd`),
/// without a number (numbers stay in the terms), and constant: a
/// coefficient with a parameter leaves the terms as they are.
fn polynomial_factor(store: &mut Store, terms: &Terms) -> Option<(ExprId, Terms, u64)> {
    use crate::poly::{Budget, Normal, Rat, gcd};
    const BUDGET: Budget = Budget {
        max_terms: 200,
        work: 200_000,
    };
    // a number among the coefficients leaves no factor but a number
    if terms.len() < 2
        || terms.iter().any(|(c, _)| store.as_num(*c).is_some())
        || terms
            .iter()
            .any(|(c, _)| !store.free_vars(&[*c]).is_empty())
    {
        return None;
    }
    let mut normal = Normal::with_budget(BUDGET);
    let mut polys = Vec::with_capacity(terms.len());
    for (c, _) in terms {
        let r = normal.to_rat(store, *c)?;
        if !r.is_poly() {
            return None;
        }
        polys.push(r.num);
    }
    let mut budget = BUDGET;
    let mut g = polys[0].primitive();
    for p in &polys[1..] {
        if g.is_constant() {
            return None;
        }
        g = gcd(&g, p, &mut budget).ok()?;
    }
    if g.is_constant() {
        return None;
    }
    let mut rest: Terms = Vec::with_capacity(terms.len());
    for ((_, mono), p) in terms.iter().zip(&polys) {
        let q = p.div_exact(&g, &mut budget).ok()??;
        rest.push((normal.emit_smallest(store, Rat::poly(q)), mono.clone()));
    }
    let g = normal.emit_smallest(store, Rat::poly(g));
    factored_if_shorter(store, terms, g, rest)
}
