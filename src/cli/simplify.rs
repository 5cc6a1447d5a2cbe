//! `deriv simplify`: the canonical, simplified form.

use super::args::SimplifyArgs;
use super::clock::{Ctx, Phase};
use super::error::CliError;
use super::input::Input;
use super::report::{Block, Done, Report};

pub fn run(a: &SimplifyArgs, ctx: &mut Ctx) -> Result<Done, CliError> {
    let mut i = Input::load(&a.common, ctx)?;
    i.check_output(&i.f.roots())?;
    let vars = i.s.variables(&i.f);
    let f = i.f.clone();
    let simplified = ctx
        .clock
        .time(Phase::Compute, || i.s.simplify(&f))
        .map_err(|e| i.err(e))?;
    let mut report = Report::new("simplify", f.source(), vars);
    report.push(Block::Simplified {
        exprs: simplified.exprs.iter().map(deriv::Expr::id).collect(),
        vector: simplified.vector,
    });
    Ok(Done { input: i, report })
}
