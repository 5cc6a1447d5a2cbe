//! [`Expr`]: an expression handle that prints itself.

use std::fmt;
use std::sync::Arc;

use crate::expr::{ExprId, Node, Store};

/// An expression of a session's store, with a shared read-only view of
/// the store so that it can print itself: `Display` gives deriv's own
/// syntax (which parses back to the same expression), [`Expr::latex`]
/// LaTeX.
#[derive(Clone)]
pub struct Expr {
    store: Arc<Store>,
    id: ExprId,
}

impl Expr {
    pub(crate) fn new(store: &Arc<Store>, id: ExprId) -> Expr {
        Expr {
            store: Arc::clone(store),
            id,
        }
    }

    /// The id in the store.
    pub fn id(&self) -> ExprId {
        self.id
    }

    /// The store it lives in.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// LaTeX math.
    pub fn latex(&self) -> String {
        crate::print::latex(&self.store, self.id)
    }

    /// Deriv's own syntax (as `Display`).
    pub fn infix(&self) -> String {
        crate::print::infix(&self.store, self.id)
    }

    /// The expression for a message: in full when short, else abbreviated
    /// to its head (`sin(...)`, `... + ...`).
    pub fn short(&self) -> String {
        const MAX: u64 = 2000;
        if crate::print::printed_size(&self.store, &[self.id]) <= MAX {
            return self.infix();
        }
        match self.store.node(self.id) {
            Node::Call(f, _) => format!("{}(...)", f.name()),
            Node::Add(_) => "... + ...".to_string(),
            Node::Mul(_) => "... * ...".to_string(),
            Node::Pow(_) => "(...)^(...)".to_string(),
            _ => "...".to_string(),
        }
    }
}

impl Expr {
    /// The expression named for a message, in backquotes: [`Expr::short`],
    /// or for a constant singularity what the user wrote (`` `tan(pi/2)` ``
    /// rather than the `0^(-1)` it folds to; `` `0^(-1)` in `log(x,1)` ``
    /// where it is part of what was written; see [`Store::written`]).
    pub fn named(&self) -> String {
        match self.store.written(self.id) {
            Some((text, true)) => format!("`{text}`"),
            Some((text, false)) => format!("`{}` in `{text}`", self.short()),
            None => format!("`{}`", self.short()),
        }
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.infix())
    }
}

impl fmt::Debug for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Expr({:?}: {})", self.id, self.infix())
    }
}

/// Two handles are equal when they name the same node of the same store
/// (hash-consing makes equal expressions the same node).
impl PartialEq for Expr {
    fn eq(&self, other: &Expr) -> bool {
        self.id == other.id
            && (Arc::ptr_eq(&self.store, &other.store)
                || self.store.fingerprint(self.id) == other.store.fingerprint(other.id))
    }
}
