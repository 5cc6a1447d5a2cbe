//! `--timings` and `--repeat`: in-process figures for each phase of a job,
//! medians over the repetitions, as one JSON line on standard error.

use std::time::{Duration, Instant};

use deriv::Warning;
use serde_json::{Map, Value, json};

/// A phase of a job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Reading EXPR into the store.
    Parse,
    /// Symbolic work: derivatives, Taylor polynomials, tape compilation.
    Compute,
    /// Numeric evaluation, points in memory.
    Eval,
    /// Reading `--points`.
    Read,
    /// Writing `--points` results.
    Write,
    /// Formatting the result.
    Output,
}

const PHASES: [(Phase, &str); 6] = [
    (Phase::Parse, "parse_s"),
    (Phase::Compute, "compute_s"),
    (Phase::Eval, "eval_s"),
    (Phase::Read, "read_s"),
    (Phase::Write, "write_s"),
    (Phase::Output, "output_s"),
];

/// Time spent per phase in one run; a phase that did not run is `None`.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    spent: [Option<Duration>; 6],
}

impl Clock {
    fn slot(p: Phase) -> usize {
        PHASES.iter().position(|(q, _)| *q == p).unwrap_or(0)
    }

    /// Runs `f`, adding its time to phase `p`.
    pub fn time<T>(&mut self, p: Phase, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = f();
        self.add(p, start.elapsed());
        out
    }

    /// Adds `d` to phase `p`.
    pub fn add(&mut self, p: Phase, d: Duration) {
        let s = &mut self.spent[Self::slot(p)];
        *s = Some(s.unwrap_or_default() + d);
    }
}

/// What a command carries along: its warnings and its clock.
#[derive(Default)]
pub struct Ctx {
    /// Warnings, in order (printed once each).
    pub warnings: Vec<Warning>,
    /// Phase times of this run.
    pub clock: Clock,
    /// Notes about the input (not about values): printed like warnings.
    pub notes: Vec<String>,
    /// A `--repeat` run before the last: streamed output goes nowhere.
    pub quiet: bool,
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    }
}

/// The `{"timings": {...}, "repeat": N}` line for runs of (clock, total).
pub fn timings_json(runs: &[(Clock, Duration)]) -> String {
    let mut t = Map::new();
    for (i, (_, key)) in PHASES.iter().enumerate() {
        let xs: Vec<f64> = runs
            .iter()
            .filter_map(|(c, _)| c.spent[i].map(|d| d.as_secs_f64()))
            .collect();
        if !xs.is_empty() {
            t.insert((*key).into(), json!(median(xs)));
        }
    }
    let total = median(runs.iter().map(|(_, d)| d.as_secs_f64()).collect());
    t.insert("total_s".into(), json!(total));
    json!({ "timings": Value::Object(t), "repeat": runs.len() }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_leave_out_phases_that_did_not_run() {
        let mut a = Clock::default();
        a.add(Phase::Parse, Duration::from_millis(1));
        let mut b = Clock::default();
        b.add(Phase::Parse, Duration::from_millis(3));
        let mut c = Clock::default();
        c.add(Phase::Parse, Duration::from_millis(2));
        let runs = [
            (a, Duration::from_millis(10)),
            (b, Duration::from_millis(30)),
            (c, Duration::from_millis(20)),
        ];
        let v: Value = serde_json::from_str(&timings_json(&runs)).unwrap();
        assert_eq!(v["timings"]["parse_s"], json!(0.002));
        assert_eq!(v["timings"]["total_s"], json!(0.02));
        assert!(v["timings"].get("eval_s").is_none());
        assert_eq!(v["repeat"], json!(3));
    }
}
