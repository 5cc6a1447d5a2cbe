//! The parsed input of a command: the program in its store, the options
//! that bound the work, and the checks every command shares (points,
//! variables, output size).

use std::io::Read;

use crate::expr::{ExprId, Store, Sym};
use crate::parse::{Output, ParseOptions, parse_program};

use super::output::Report;
use super::point::{Coord, parse_names, parse_point};
use super::run::CliError;
use super::{Common, Format};

/// The parsed input and everything derived from it.
pub(super) struct Session {
    pub store: Store,
    pub src: String,
    pub output: Output,
    /// The program's named statements.
    pub statements: Vec<(String, ExprId)>,
    /// The input variables of the output as written.
    pub inputs: Vec<Sym>,
    pub opts: ParseOptions,
    pub format: Format,
    pub max_nodes: usize,
    pub max_output: u64,
}

impl Session {
    pub(super) fn load(c: &Common) -> Result<Session, CliError> {
        let src = read_source(&c.expr)?;
        let opts = ParseOptions {
            max_depth: c.max_depth,
            max_len: c.max_input,
        };
        let mut store = Store::with_limits(c.max_exact_bits, c.max_graph_depth, c.max_graph_size);
        let program =
            parse_program(&mut store, &src, &opts).map_err(|e| CliError::parse(&e, &src))?;
        let statements = program
            .statements
            .iter()
            .map(|st| (st.name.clone(), st.value))
            .collect();
        let s = Session {
            store,
            src,
            output: program.output,
            inputs: program.inputs,
            statements,
            opts,
            format: c.format,
            max_nodes: c.max_nodes,
            max_output: c.max_output,
        };
        s.check_overflow()?;
        Ok(s)
    }

    /// An error if a constructor hit a bound of the store (the results
    /// built since are then meaningless).
    pub(super) fn check_overflow(&self) -> Result<(), CliError> {
        match self.store.overflowed() {
            Some(o) => Err(CliError::plain(o.to_string())),
            None => Ok(()),
        }
    }

    /// An error if printing `roots` would exceed `--max-output`; call it
    /// before printing anything that may be large.
    pub(super) fn check_output(&self, roots: &[ExprId]) -> Result<(), CliError> {
        self.check_overflow()?;
        let size = crate::print::printed_size(&self.store, roots);
        let size = if self.format == Format::Latex {
            size.saturating_mul(4)
        } else {
            size
        };
        if size > self.max_output {
            let about = if size == u64::MAX {
                "more than 10^19".to_string()
            } else {
                format!("about {size}")
            };
            return Err(CliError::plain(format!(
                "the result would print as {about} bytes, over the limit of {} bytes; \
                 raise it with --max-output",
                self.max_output
            )));
        }
        Ok(())
    }

    /// The finished output, unless a bound of the store was hit on the way.
    pub(super) fn done(&self, r: Report) -> Result<String, CliError> {
        self.check_overflow()?;
        Ok(r.finish())
    }

    pub(super) fn roots(&self) -> Vec<ExprId> {
        match &self.output {
            Output::Scalar(f) => vec![*f],
            Output::Vector(fs) => fs.clone(),
        }
    }

    pub(super) fn scalar(&self, command: &str) -> Result<ExprId, CliError> {
        match &self.output {
            Output::Scalar(f) => Ok(*f),
            Output::Vector(_) => Err(CliError::plain(format!(
                "`{command}` needs a scalar expression, not a vector; use `jacobian` for vectors"
            ))),
        }
    }

    /// The free variables: those of the expression as written (`y` in
    /// `x + y - y`, whose canonical form cancels it), and any the canonical
    /// form has, in natural order.
    pub(super) fn free_vars(&self) -> Vec<Sym> {
        let mut vars = self.store.free_vars(&self.roots());
        vars.extend_from_slice(&self.inputs);
        vars.sort_by(|a, b| {
            crate::expr::order::natural_cmp(self.store.name(*a), self.store.name(*b))
        });
        vars.dedup();
        vars
    }

    /// The variables the canonical form depends on: what a point must give
    /// (`x + y - y` needs only `x`, though `y` may be given).
    pub(super) fn needed_vars(&self) -> Vec<Sym> {
        self.store.free_vars(&self.roots())
    }

    pub(super) fn names(&self, syms: &[Sym]) -> Vec<String> {
        syms.iter()
            .map(|s| self.store.name(*s).to_string())
            .collect()
    }

    /// `--vars` as given, else all free variables in natural order.
    pub(super) fn vars(&mut self, given: Option<&str>) -> Result<Vec<Sym>, CliError> {
        match given {
            None => Ok(self.free_vars()),
            Some(text) => Ok(parse_names("--vars", text, false)?
                .iter()
                .map(|n| self.store.sym(n))
                .collect()),
        }
    }

    /// Parses `--at` and checks it against the expression: every name a
    /// free variable, and every variable in `needed` given.
    pub(super) fn point(&mut self, text: &str, needed: &[Sym]) -> Result<Vec<Coord>, CliError> {
        self.point_also(text, needed, &[])
    }

    /// [`Session::point`], also accepting the names in `also` (`--vars`
    /// that the expression does not use).
    pub(super) fn point_also(
        &mut self,
        text: &str,
        needed: &[Sym],
        also: &[Sym],
    ) -> Result<Vec<Coord>, CliError> {
        let mut free = self.free_vars();
        free.extend_from_slice(also);
        let coords = parse_point(&mut self.store, text, &self.opts)?;
        for c in &coords {
            if !free.contains(&c.sym) {
                let pos = text.find(&c.name).unwrap_or(0);
                return Err(CliError::at_option(
                    "--at",
                    text,
                    format!("`{}` is not a variable of the expression", c.name),
                    pos,
                    pos + c.name.len(),
                ));
            }
        }
        let missing: Vec<&str> = needed
            .iter()
            .filter(|s| !coords.iter().any(|c| c.sym == **s))
            .map(|s| self.store.name(*s))
            .collect();
        if !missing.is_empty() {
            let list = missing
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(CliError::plain(format!(
                "the point gives no value for {list} (add it to --at)"
            )));
        }
        Ok(coords)
    }

    pub(super) fn report(&self, command: &str, vars: &[Sym]) -> Report {
        Report::new(self.format, command, &self.src, self.names(vars))
    }
}

fn read_source(expr: &str) -> Result<String, CliError> {
    if expr != "-" {
        return Ok(expr.to_string());
    }
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::plain(format!("cannot read standard input: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        CliError::Input {
            message: format!("standard input is not valid UTF-8 at byte {at}; input is ASCII"),
            span: Some((at, at + 1)),
            context: String::new(),
        }
    })
}
