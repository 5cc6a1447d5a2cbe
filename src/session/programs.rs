//! Straight-line programs and operation counts through the front door.

use std::sync::Arc;

use crate::error::Error;
use crate::expr::{ExprId, Store, Sym};
use crate::point::Point;

use super::{Function, Session};

impl Session {
    /// The gradient as a straight-line program following the reverse sweep
    /// (`t1 = ...`, each shared subexpression once).
    ///
    /// ```
    /// let mut s = deriv::Session::new();
    /// let f = s.parse("sin(x*y)")?;
    /// let vars = s.variables(&f);
    /// let p = s.gradient_program(&f, &vars)?;
    /// assert_eq!(p.results.len(), 2);
    /// # Ok::<(), deriv::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Invalid`] for a vector; [`Error::Limit`] when a bound is hit.
    pub fn gradient_program(
        &mut self,
        f: &Function,
        vars: &[Sym],
    ) -> Result<crate::cse::Program, Error> {
        let e = self.scalar(f, "grad")?;
        let p = crate::cse::gradient_program(self.store_mut(), e, vars)?;
        self.check()?;
        Ok(p)
    }

    /// Any expressions of the store as a straight-line program with each
    /// shared subexpression named once.
    ///
    /// # Errors
    /// [`Error::Limit`] when a bound is hit.
    pub fn program(&mut self, roots: &[ExprId]) -> Result<crate::cse::Program, Error> {
        if self.foreign(roots) {
            return Err(Error::ForeignHandle);
        }
        let p = crate::cse::common_subexpressions(self.store_mut(), roots);
        self.check()?;
        Ok(p)
    }

    /// Evaluates a straight-line program at a point.
    pub fn program_values(&self, program: &crate::cse::Program, point: &Point) -> Vec<f64> {
        program.eval(&self.store, &point.env())
    }

    /// Operation counts: of `f` (as a graph and as a tree), of its
    /// gradient (as trees, as a graph) and of the gradient program.
    ///
    /// ```
    /// let mut s = deriv::Session::new();
    /// let f = s.parse("x*y")?;
    /// let vars = s.variables(&f);
    /// assert_eq!(s.stats(&f, &vars)?.f, 1);
    /// # Ok::<(), deriv::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Session::gradient`].
    pub fn stats(&mut self, f: &Function, vars: &[Sym]) -> Result<Stats, Error> {
        let e = self.scalar(f, "stats")?;
        let store: &Store = &self.store;
        let (f_dag, f_tree) = (
            crate::cse::ops_dag(store, &[e]),
            crate::cse::ops_tree(store, &[e]),
        );
        let g = self.differentiator().gradient(self.store_mut(), e, vars)?;
        let gradient_tree = crate::cse::ops_tree(&self.store, &g);
        let gradient_dag = crate::cse::ops_dag(&self.store, &g);
        let program = crate::cse::gradient_program(self.store_mut(), e, vars)?;
        self.check()?;
        Ok(Stats {
            f: f_dag,
            f_tree,
            gradient_tree,
            gradient_dag,
            gradient_cse: program.ops(&self.store),
        })
    }

    /// A shared read-only view of the store (what [`crate::Expr`] handles hold).
    pub fn snapshot(&self) -> Arc<Store> {
        Arc::clone(&self.store)
    }
}

/// Operation counts (see [`Session::stats`]); tree counts saturate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stats {
    /// Operations of f, each shared subexpression once.
    pub f: u128,
    /// Operations of f written out as a tree.
    pub f_tree: u128,
    /// Operations of the gradient's entries written out as trees.
    pub gradient_tree: u128,
    /// Operations of the gradient's entries as one shared graph.
    pub gradient_dag: u128,
    /// Operations of the reverse-sweep gradient program.
    pub gradient_cse: u128,
}
