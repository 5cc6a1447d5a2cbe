//! `deriv eval`: the value at a point, exact where the input is exact.

use super::args::EvalArgs;
use super::clock::{Ctx, Phase};
use super::error::CliError;
use super::input::Input;
use super::points::{self, Shape, Target};
use super::report::{self, Block, Done, Report};

pub fn run(a: &EvalArgs, ctx: &mut Ctx) -> Result<Done, CliError> {
    let mut i = Input::load(&a.common, ctx)?;
    let roots = i.f.roots();
    let vars = i.s.variables(&i.f);
    let needed = i.s.needed(&roots);
    if super::render::code::language(i.format).is_some() {
        // code export: the function itself (`render::code`)
        let mut report = Report::new("eval", i.f.source(), vars);
        let vector = i.f.is_vector();
        report.push(Block::Simplified {
            exprs: roots,
            vector,
        });
        return Ok(Done { input: i, report });
    }
    if a.batch.points.is_some() {
        let names = if i.f.is_vector() {
            (1..=roots.len()).map(|k| format!("f{k}")).collect()
        } else {
            vec!["f".to_string()]
        };
        let shape = if i.f.is_vector() {
            Shape::Vector
        } else {
            Shape::Scalar
        };
        let t = Target {
            roots: &roots,
            names,
            shape,
            guards: Vec::new(),
        };
        points::run(&mut i, &t, &a.batch, ctx)?;
        return Ok(Done::streamed(i, "eval"));
    }
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
    let exact = a.exact.then(|| {
        let shape = if v.vector {
            report::Shape::Vector
        } else {
            report::Shape::Scalar
        };
        i.exact(&roots, &point, shape, 0)
    });
    report.push(Block::Value {
        values: v.values,
        vector: v.vector,
        point: (!point.is_empty()).then_some(point),
    });
    report.extend(exact);
    Ok(Done { input: i, report })
}
