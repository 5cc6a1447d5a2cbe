//! `deriv diff`: a partial derivative of any order, mixed in the order of `--wrt`.

use deriv::point::parse_names;

use super::args::DiffArgs;
use super::clock::{Ctx, Phase};
use super::error::{CliError, usage_error};
use super::input::Input;
use super::points::{self, Shape, Target};
use super::report::{Block, Done, Report};

pub fn run(a: &DiffArgs, ctx: &mut Ctx) -> Result<Done, CliError> {
    if a.order.is_some() && a.wrt.contains(',') {
        return Err(usage_error(
            "diff",
            "--order repeats the one variable of --wrt; with several --wrt variables, list them instead",
        ));
    }
    let limits = deriv::Limits {
        max_order: a.max_order,
        ..a.common.limits()
    };
    let mut i = Input::load_with(&a.common, limits, ctx)?;
    let f = i.f.clone();
    let e = i.s.scalar(&f, "diff").map_err(|e| i.err(e))?;
    let names = parse_names(&a.wrt, true)
        .map_err(|e| CliError::from_lib(e, "", Some(("--wrt", &a.wrt))))?;
    let names = match a.order {
        Some(n) if n > a.max_order => {
            return Err(CliError::plain(format!(
                "--order {n} is above the limit of {} derivatives; raise it with --max-order",
                a.max_order
            )));
        }
        Some(n) => vec![names[0].clone(); n as usize],
        None => names,
    };
    let wrt = i.s.syms(&names);
    let df = ctx
        .clock
        .time(Phase::Compute, || i.s.diff(&f, &wrt))
        .map_err(|e| i.err(e))?
        .id();
    if a.batch.points.is_some() {
        let names = i.names(&wrt);
        let name = match names.len() {
            1 => format!("df/d{}", names[0]),
            n => format!("d{n}f/d{}", names.join("d")),
        };
        let t = Target {
            roots: &[df],
            names: vec![name],
            shape: Shape::Scalar,
        };
        points::run(&mut i, &t, &a.batch, ctx)?;
        return Ok(Done::streamed(i, "diff"));
    }
    i.check_output(&[df])?;
    let vars = i.s.variables(&f);
    let program = if a.cse {
        Some(
            ctx.clock
                .time(Phase::Compute, || i.s.program(&[df]))
                .map_err(|e| i.err(e))?,
        )
    } else {
        None
    };
    let mut report = Report::new("diff", f.source(), vars);
    report.push(Block::Derivative {
        wrt,
        expr: df,
        program,
    });
    if let Some(at) = &a.at {
        let needed = i.s.needed(&f.roots());
        let point = i.point(at, &needed, &[])?;
        ctx.warnings.extend(i.s.kinks(&[e], &point));
        let (v, w) = ctx.clock.time(Phase::Eval, || i.s.values(&[df], &point));
        ctx.warnings.extend(w);
        report.push(Block::DerivativeAt { value: v[0], point });
    }
    i.s.check().map_err(|e| i.err(e))?;
    Ok(Done { input: i, report })
}
