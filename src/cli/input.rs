//! The input of a command: EXPR read (from standard input for `-`) and
//! parsed into a session, and the options that name variables and points,
//! checked against it.

use std::io::Read;

use deriv::expr::{ExprId, Sym};
use deriv::{Function, Point, Session};

use super::args::{Cli, Common, Format};
use super::clock::{Ctx, Phase};
use super::error::CliError;
use super::report::{Block, Shape};

/// A parsed input and the session that holds it.
pub struct Input {
    /// The front door.
    pub s: Session,
    /// The parsed expression or program.
    pub f: Function,
    /// The output format.
    pub format: Format,
}

impl Input {
    /// Parses EXPR with the limits of the options.
    pub fn load(c: &Common, ctx: &mut Ctx) -> Result<Input, CliError> {
        Input::load_with(c, c.limits(), ctx)
    }

    /// [`Input::load`] with limits the command adjusted.
    pub fn load_with(c: &Common, limits: deriv::Limits, ctx: &mut Ctx) -> Result<Input, CliError> {
        let src = c.stdin.as_deref().unwrap_or(&c.expr);
        let mut s = Session::with_limits(limits);
        let f = ctx
            .clock
            .time(Phase::Parse, || s.parse(src))
            .map_err(|e| CliError::from_lib(e, src, None))?;
        ctx.warnings.extend(f.warnings().iter().cloned());
        Ok(Input {
            s,
            f,
            format: c.format,
        })
    }

    /// `--exact`: the exact values of `ids` at the point, in rows of
    /// `cols` entries (`cols` 0: one row).
    pub fn exact(&mut self, ids: &[ExprId], point: &Point, shape: Shape, cols: usize) -> Block {
        let floats = !point.is_exact()
            || ids
                .iter()
                .any(|&e| deriv::numeric::has_float(self.s.store(), e));
        let cells = (!floats).then(|| {
            let exact: Vec<Option<ExprId>> = self
                .s
                .exact_values(ids, point)
                .into_iter()
                .map(|e| e.map(|e| e.id()))
                .collect();
            if cols == 0 || shape != Shape::Matrix {
                vec![exact]
            } else {
                exact.chunks(cols).map(<[_]>::to_vec).collect()
            }
        });
        Block::Exact { shape, cells }
    }

    /// A library error, worded for the command line.
    pub fn err(&self, e: deriv::Error) -> CliError {
        CliError::from_lib(e, self.f.source(), None)
    }

    /// `--vars` as given, else all variables in natural order.
    pub fn vars(&mut self, given: Option<&str>) -> Result<Vec<Sym>, CliError> {
        match given {
            None => Ok(self.s.variables(&self.f)),
            Some(text) => self
                .s
                .vars(text)
                .map_err(|e| CliError::from_lib(e, "", Some(("--vars", text)))),
        }
    }

    /// `--at`, checked: every name a variable (or in `also`), every
    /// variable of `needed` given.
    pub fn point(&mut self, text: &str, needed: &[Sym], also: &[Sym]) -> Result<Point, CliError> {
        self.s
            .point_for(&self.f, text, needed, also)
            .map_err(|e| CliError::from_lib(e, "", Some(("--at", text))))
    }

    /// The names of `syms`.
    pub fn names(&self, syms: &[Sym]) -> Vec<String> {
        self.s.names(syms)
    }

    /// An error if printing `roots` in this format would exceed `--max-output`.
    pub fn check_output(&self, roots: &[deriv::expr::ExprId]) -> Result<(), CliError> {
        let factor = if self.format == Format::Latex { 4 } else { 1 };
        self.s.check_output(roots, factor).map_err(|e| self.err(e))
    }
}

/// Reads standard input for EXPR `-`, once, into the command's options
/// (so that `--repeat` runs parse the same text).
pub fn read_stdin(cli: &mut Cli) -> Result<(), CliError> {
    if let Some(c) = cli.command.common_mut()
        && c.expr == "-"
    {
        c.stdin = Some(read_all(std::io::stdin().lock(), c.max_input)?);
    }
    Ok(())
}

/// Reads at most `max_input + 1` bytes: past the limit the rest is left
/// unread, and the text, still over the limit, is refused by the parser
/// with the `--max-input` error (`deriv grad - < /dev/zero` stops at once).
pub(super) fn read_all(input: impl Read, max_input: usize) -> Result<String, CliError> {
    let mut bytes = Vec::new();
    let cap = u64::try_from(max_input)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    input
        .take(cap)
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::plain(format!("cannot read standard input: {e}")))?;
    if bytes.len() > max_input {
        // over the limit: what is said is the length, not the encoding
        return Ok(String::from_utf8_lossy(&bytes).into_owned());
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        CliError::Input {
            message: format!("standard input is not valid UTF-8 at byte {at}; input is ASCII"),
            span: Some((at, at + 1)),
            context: String::new(),
            location: None,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_stops_past_the_limit() {
        // an endless input: reading must stop at the limit, not at EOF
        let endless = std::io::repeat(b'x');
        let text = read_all(endless, 1000).unwrap_or_default();
        assert_eq!(text.len(), 1001);
        let cut = [b'x', 0xC3].repeat(10);
        assert!(read_all(&cut[..], 5).unwrap_or_default().len() > 5);
        assert_eq!(read_all(&b"x+1"[..], 5).unwrap_or_default(), "x+1");
    }
}
