//! `deriv eval`: the value at a point, exact where the input is exact.

use super::args::EvalArgs;
use super::clock::{Ctx, Phase};
use super::error::CliError;
use super::input::Input;
use super::report::{Block, Done, Report};

pub fn run(a: &EvalArgs, ctx: &mut Ctx) -> Result<Done, CliError> {
    let mut i = Input::load(&a.common, ctx)?;
    let roots = i.f.roots();
    let vars = i.s.variables(&i.f);
    let needed = i.s.needed(&roots);
    let point = match &a.at {
        Some(text) => i.point(text, &needed, &[])?,
        None if needed.is_empty() => deriv::Point::default(),
        None => {
            let list = i.names(&needed).join(",");
            return Err(CliError::plain(format!(
                "`eval` needs a value for every variable: add --at with {list}"
            )));
        }
    };
    let f = i.f.clone();
    let v = ctx
        .clock
        .time(Phase::Eval, || i.s.eval(&f, &point))
        .map_err(|e| i.err(e))?;
    ctx.warnings.extend(v.warnings);
    let mut report = Report::new("eval", f.source(), vars);
    report.push(Block::Value {
        values: v.values,
        vector: v.vector,
    });
    Ok(Done { input: i, report })
}
