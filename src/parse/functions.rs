//! The functions of the language: names, arities, and how each call is built
//! through the store's constructors.

use super::error::suggest_function;
use crate::expr::{ExprId, Func, Rewrite, Store};

/// A function name of the language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Callee {
    /// A function kept as a node (`log` takes a second argument, the base).
    Kept(Func),
    /// `ln(x)`, the natural logarithm.
    Ln,
    /// `sqrt(x)`, that is `x^(1/2)`.
    Sqrt,
    /// `pow(x, y)`, that is `x^y`.
    Pow,
    /// `sec(x)`, that is `1/cos(x)`.
    Sec,
    /// `csc(x)`, that is `1/sin(x)`.
    Csc,
    /// `cot(x)`, that is `cos(x)/sin(x)`.
    Cot,
    /// `log10`, `sech`, `acot`, ...: rewritten by [`Rewrite::apply`].
    Rewritten(Rewrite),
}

/// Names rewritten by the constructors, with their callee.
const REWRITTEN: [(&str, Callee); 6] = [
    ("ln", Callee::Ln),
    ("sqrt", Callee::Sqrt),
    ("pow", Callee::Pow),
    ("sec", Callee::Sec),
    ("csc", Callee::Csc),
    ("cot", Callee::Cot),
];

impl Callee {
    /// The function called `name`, if any.
    pub(super) fn from_name(name: &str) -> Option<Callee> {
        if let Some(f) = Func::from_name(name) {
            return Some(Callee::Kept(f));
        }
        if let Some(r) = Rewrite::from_name(name) {
            return Some(Callee::Rewritten(r));
        }
        REWRITTEN.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
    }

    /// `Some("function")` or `Some("constant")` for a name that cannot be assigned.
    pub(super) fn reserved(name: &str) -> Option<&'static str> {
        match name {
            "pi" | "e" => Some("constant"),
            _ if Callee::from_name(name).is_some() => Some("function"),
            _ => None,
        }
    }

    /// Every function name.
    pub(super) fn names() -> Vec<&'static str> {
        let kept = Func::ALL.iter().map(|f| f.name());
        let rewritten = Rewrite::ALL.iter().map(|r| r.name());
        kept.chain(REWRITTEN.iter().map(|(n, _)| *n))
            .chain(rewritten)
            .collect()
    }

    /// A function named like `name` (another case, a typo).
    pub(super) fn suggest(name: &str) -> Option<&'static str> {
        suggest_function(name, &Callee::names())
    }

    /// `Ok` when `n` arguments fit, else the expected count in words.
    pub(super) fn check_arity(self, n: usize) -> Result<(), &'static str> {
        let (fits, words) = match self {
            Callee::Kept(Func::Ln) => (n == 1 || n == 2, "1 or 2 arguments"),
            Callee::Pow | Callee::Kept(Func::Atan2) => (n == 2, "2 arguments"),
            Callee::Kept(Func::Min | Func::Max) => (n >= 2, "2 or more arguments"),
            _ => (n == 1, "1 argument"),
        };
        if fits { Ok(()) } else { Err(words) }
    }

    /// The call on `args`, whose count passed [`Callee::check_arity`].
    pub(super) fn apply(self, store: &mut Store, args: &[ExprId]) -> ExprId {
        let x = args[0];
        match self {
            Callee::Kept(Func::Ln) if args.len() == 2 => store.log_base(x, args[1]),
            Callee::Kept(f) => store.call(f, args),
            Callee::Ln => store.call1(Func::Ln, x),
            Callee::Sqrt => store.sqrt(x),
            Callee::Pow => store.pow(x, args[1]),
            Callee::Sec => {
                let c = store.call1(Func::Cos, x);
                store.recip(c)
            }
            Callee::Csc => {
                let s = store.call1(Func::Sin, x);
                store.recip(s)
            }
            Callee::Cot => {
                let c = store.call1(Func::Cos, x);
                let s = store.call1(Func::Sin, x);
                store.div(c, s)
            }
            Callee::Rewritten(r) => r.apply(store, x),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_function_of_the_spec_is_known() {
        let spec = "sin cos tan sec csc cot asin acos atan asec acsc acot sinh cosh tanh sech csch \
                    coth asinh acosh atanh asech acsch acoth exp log ln log10 log2 sqrt cbrt abs \
                    sign step floor ceil round sigmoid relu softplus erf erfc sinc atan2 pow min max";
        for name in spec.split_whitespace() {
            assert!(Callee::from_name(name).is_some(), "{name}");
        }
        assert_eq!(Callee::names().len(), spec.split_whitespace().count());
    }

    #[test]
    fn arities() {
        let log = Callee::from_name("log").unwrap();
        assert!(log.check_arity(1).is_ok() && log.check_arity(2).is_ok());
        assert_eq!(log.check_arity(3), Err("1 or 2 arguments"));
        assert_eq!(Callee::Pow.check_arity(1), Err("2 arguments"));
        assert_eq!(Callee::Kept(Func::Max).check_arity(5), Ok(()));
        assert_eq!(Callee::Sec.check_arity(0), Err("1 argument"));
    }
}
