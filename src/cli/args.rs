//! What the user typed: the clap definition of every command and option.
//! Doc comments are the help text.

use clap::{Args, Parser, Subcommand, ValueEnum};
use deriv::Limits;

/// Symbolic differentiation: gradients, Hessians, Jacobians, Taylor
/// polynomials and linearizations of expressions given as strings.
#[derive(Parser, Debug, Clone)]
#[command(name = "deriv", version, about, long_about = None, disable_help_subcommand = true,
          after_help = EXAMPLES)]
pub struct Cli {
    /// What to compute.
    #[command(subcommand)]
    pub command: Command,
}

const EXAMPLES: &str = "Examples:
  deriv grad \"sqrt(x^2+exp(x^2)) + cos(x^2+exp(x^2))\"
  deriv hessian \"x^2*y + sin(y)\" --at x=1,y=2
  deriv taylor \"x^2 + 2*x*y + y^3\" --at x=1,y=2 --order 3
  deriv help functions";

impl Cli {
    /// The command line parsed against the subcommand its first word names,
    /// alone, for the commands that compute: clap builds every
    /// subcommand's arguments to parse any one, which was half the
    /// instructions of a fresh `deriv grad` (W8). `None` where the first
    /// word names no such command, or the parse fails or asks for help: the
    /// caller then parses against the whole command, whose results and
    /// messages are the ones users see. Where this answers, it agrees with
    /// that parse (a test checks).
    pub fn try_parse_one(argv: &[std::ffi::OsString]) -> Option<Cli> {
        use clap::FromArgMatches;
        type Augment = fn(clap::Command) -> clap::Command;
        let (name, augment): (&'static str, Augment) = match argv.get(1)?.to_str()? {
            "eval" => ("eval", EvalArgs::augment_args),
            "simplify" => ("simplify", SimplifyArgs::augment_args),
            "diff" => ("diff", DiffArgs::augment_args),
            "grad" => ("grad", GradArgs::augment_args),
            "hessian" => ("hessian", GradArgs::augment_args),
            "jacobian" => ("jacobian", GradArgs::augment_args),
            "taylor" => ("taylor", TaylorArgs::augment_args),
            "linearize" => ("linearize", LinearizeArgs::augment_args),
            "stats" => ("stats", StatsArgs::augment_args),
            "trace" => ("trace", TraceArgs::augment_args),
            _ => return None,
        };
        let one = clap::Command::new("deriv")
            .subcommand_required(true)
            .subcommand(augment(clap::Command::new(name)));
        let matches = one.try_get_matches_from(argv).ok()?;
        Cli::from_arg_matches(&matches).ok()
    }

    /// The stack the worker thread needs, where the command does not run
    /// on the main thread (`start::fits_main_thread`): 256 MiB covers the
    /// default limits with a wide margin; higher limits get more: 2 KiB a
    /// level of `--max-graph-depth` (a margin: the rewrites and printers
    /// walk with explicit stacks) and 16 KiB a level of `--max-depth` (the
    /// parser uses about 3 KiB a level in a release build, more in a debug
    /// build).
    pub fn stack_size(&self) -> usize {
        let Some(c) = self.command.common() else {
            return 8 << 20;
        };
        let graph = (c.max_graph_depth as usize).saturating_mul(2 << 10);
        let syntax = c.max_depth.saturating_mul(16 << 10);
        (256usize << 20).max(graph.saturating_add(syntax).saturating_add(64 << 20))
    }
}

/// The subcommands.
#[derive(Subcommand, Debug, Clone)]
pub enum Command {
    /// Evaluate an expression at a point.
    #[command(
        after_help = "Examples:\n  deriv eval \"cos(t) + sin(s)\" --at t=pi/3,s=pi/6\n  deriv eval \"[x+y, x*y]\" --at x=2,y=3 --format json\n  deriv eval \"exp(x)\" --points points.csv"
    )]
    Eval(EvalArgs),
    /// Print an expression in canonical, simplified form.
    #[command(
        after_help = "Examples:\n  deriv simplify \"x*x + x^2 - 3*x/x\"\n  deriv simplify \"sin(x)^2 + cos(x)^2\" --format latex"
    )]
    Simplify(SimplifyArgs),
    /// A partial derivative of any order: mixed in the order of --wrt.
    #[command(
        after_help = "Examples:\n  deriv diff \"x^3*y^2\" --wrt x,y\n  deriv diff \"sin(t)\" --wrt t --order 3 --at t=0\n  deriv diff \"exp(2*x)\" --wrt x --order 1000000"
    )]
    Diff(DiffArgs),
    /// The gradient.
    #[command(
        after_help = "Examples:\n  deriv grad \"sqrt(x^2+exp(x^2)) + cos(x^2+exp(x^2))\" --at x=1/2\n  deriv grad \"(target - (w*u + c))^2\" --vars w,c --format json\n  deriv grad \"x^2*y\" --points points.csv > gradients.csv"
    )]
    Grad(GradArgs),
    /// The Hessian matrix of second partial derivatives.
    #[command(
        after_help = "Examples:\n  deriv hessian \"x^2*y + sin(y)\" --at x=1,y=2\n  deriv hessian \"x^2*y + sin(x*y)\" --at x=1,y=2 --check"
    )]
    Hessian(GradArgs),
    /// The Jacobian of a vector "[f1, f2, ...]": rows are outputs.
    #[command(
        after_help = "Examples:\n  deriv jacobian \"[r*cos(theta), r*sin(theta)]\"\n  deriv jacobian \"[x*y, x+y]\" --at x=1,y=2 --mode forward"
    )]
    Jacobian(GradArgs),
    /// The Taylor polynomial at a point (total degree --order).
    #[command(
        after_help = "Examples:\n  deriv taylor \"x^2 + 2*x*y + y^3\" --at x=1,y=2 --order 3\n  deriv taylor \"cos(t)\" --at t=pi/3\n  deriv taylor \"exp(x)*sin(y)\" --at x=0,y=0 --order 4 --numeric"
    )]
    Taylor(TaylorArgs),
    /// The linearization f(a) + grad f(a)·(x - a) at a point.
    #[command(
        after_help = "Examples:\n  deriv linearize \"u^2*v\" --at u=1,v=3\n  deriv linearize \"sqrt(x)\" --at x=4 --format latex"
    )]
    Linearize(LinearizeArgs),
    /// Operation counts of an expression, its gradient and its
    /// reverse-sweep gradient program.
    #[command(
        after_help = "Examples:\n  deriv stats \"sqrt(x^2+exp(x^2)) + cos(x^2+exp(x^2))\"\n  deriv stats \"x1*x2*x3*x4\" --format json"
    )]
    Stats(StatsArgs),
    /// The computational graph: intermediate variables, local partials,
    /// reverse (adjoint) and forward (tangent) sweeps at a point.
    #[command(
        after_help = "Examples:\n  deriv trace \"sqrt(x^2+exp(x^2)) + cos(x^2+exp(x^2))\" --at x=0.5\n  printf 'a = x^2\\nb = exp(a)\\nsqrt(a + b)\\n' | deriv trace - --at x=1"
    )]
    Trace(TraceArgs),
    /// Shell completions: `deriv completions bash > /etc/bash_completion.d/deriv`.
    Completions(CompletionsArgs),
    /// The man page (roff): `deriv man | man -l -`.
    Man,
    /// Help on a command, or `deriv help functions` for every function
    /// with its domain and derivative convention.
    Help(HelpArgs),
}

/// `completions`.
#[derive(Args, Debug, Clone)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// The shells `completions` knows.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shell {
    /// Bash.
    Bash,
    /// Zsh.
    Zsh,
    /// Fish.
    Fish,
    /// Elvish.
    Elvish,
    /// PowerShell.
    Powershell,
}

/// `help`.
#[derive(Args, Debug, Clone)]
pub struct HelpArgs {
    /// A command, or `functions`.
    pub topic: Option<String>,
}

impl Command {
    /// The `--points` options, for the commands that take them.
    pub fn batch_mut(&mut self) -> Option<&mut Batch> {
        match self {
            Command::Eval(a) => Some(&mut a.batch),
            Command::Diff(a) => Some(&mut a.batch),
            Command::Grad(a) | Command::Hessian(a) | Command::Jacobian(a) => Some(&mut a.batch),
            Command::Taylor(a) => Some(&mut a.batch),
            Command::Linearize(a) => Some(&mut a.batch),
            _ => None,
        }
    }

    /// The options every command takes, to change.
    pub fn common_mut(&mut self) -> Option<&mut Common> {
        Some(match self {
            Command::Eval(a) => &mut a.common,
            Command::Simplify(a) => &mut a.common,
            Command::Diff(a) => &mut a.common,
            Command::Grad(a) | Command::Hessian(a) | Command::Jacobian(a) => &mut a.common,
            Command::Taylor(a) => &mut a.common,
            Command::Linearize(a) => &mut a.common,
            Command::Trace(a) => &mut a.common,
            Command::Stats(a) => &mut a.common,
            Command::Completions(_) | Command::Man | Command::Help(_) => return None,
        })
    }

    /// The options every command takes.
    pub fn common(&self) -> Option<&Common> {
        Some(match self {
            Command::Eval(a) => &a.common,
            Command::Simplify(a) => &a.common,
            Command::Diff(a) => &a.common,
            Command::Grad(a) | Command::Hessian(a) | Command::Jacobian(a) => &a.common,
            Command::Taylor(a) => &a.common,
            Command::Linearize(a) => &a.common,
            Command::Trace(a) => &a.common,
            Command::Stats(a) => &a.common,
            Command::Completions(_) | Command::Man | Command::Help(_) => return None,
        })
    }
}

/// Options every command takes.
#[derive(Args, Debug, Clone)]
pub struct Common {
    /// Standard input's text, read once when EXPR is `-`.
    #[arg(skip)]
    pub stdin: Option<String>,
    /// The expression or program; `-` reads standard input.
    #[arg(value_name = "EXPR", allow_hyphen_values = true)]
    pub expr: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// After the result, print one JSON line of in-process timings on
    /// standard error (parse, compute, eval, read, write, output, total;
    /// medians over --repeat runs).
    #[arg(long)]
    pub timings: bool,
    /// EXPR is a file (or `-`) of expressions, one per line: one output
    /// line per input line, in order, streamed; a bad line gives its error
    /// in place.
    #[arg(long)]
    pub each_line: bool,
    /// Run the whole job N times in one process (for --timings).
    #[arg(long, value_name = "N", default_value_t = 1,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub repeat: u32,
    /// Deepest nesting the parser accepts.
    #[arg(long, help_heading = "Limits", value_name = "N", default_value_t = 1000,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=u64::from(deriv_limits::MAX_DEPTH_CAP)))]
    pub max_depth: usize,
    /// Largest input accepted, in bytes.
    #[arg(
        long,
        help_heading = "Limits",
        value_name = "BYTES",
        default_value_t = 1_000_000,
        value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=deriv_limits::MAX_COUNT_CAP)
    )]
    pub max_input: usize,
    /// Largest expression graph built, in nodes.
    #[arg(long, help_heading = "Limits", value_name = "N", default_value_t = deriv_limits::MAX_NODES,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=deriv_limits::MAX_COUNT_CAP))]
    pub max_nodes: usize,
    /// Largest exact number (numerator or denominator), in bits.
    #[arg(long, help_heading = "Limits", value_name = "BITS", default_value_t = deriv::expr::MAX_EXACT_BITS)]
    pub max_exact_bits: u64,
    /// Deepest nesting of the expression graph (after substituting a
    /// program's names, and in derivatives).
    #[arg(long, help_heading = "Limits", value_name = "N", default_value_t = deriv::expr::MAX_GRAPH_DEPTH,
          value_parser = clap::value_parser!(u32).range(1..=deriv_limits::MAX_GRAPH_DEPTH_CAP as i64))]
    pub max_graph_depth: u32,
    /// Largest expression graph held, in nodes plus operands.
    #[arg(long, help_heading = "Limits", value_name = "N", default_value_t = deriv::expr::MAX_GRAPH_SIZE,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=deriv_limits::MAX_COUNT_CAP))]
    pub max_graph_size: usize,
    /// Largest output, in bytes (estimated before printing).
    #[arg(long, help_heading = "Limits", value_name = "BYTES", default_value_t = deriv_limits::MAX_OUTPUT)]
    pub max_output: u64,
}

impl Common {
    /// The library's limits as these options set them.
    pub fn limits(&self) -> Limits {
        Limits {
            max_input: self.max_input,
            max_depth: self.max_depth,
            max_nodes: self.max_nodes,
            max_exact_bits: self.max_exact_bits,
            max_graph_depth: self.max_graph_depth,
            max_graph_size: self.max_graph_size,
            max_output: self.max_output,
            ..Limits::default()
        }
    }
}

/// Limits shared by the options' defaults.
pub mod deriv_limits {
    /// Default bound on expression-graph nodes.
    pub const MAX_NODES: usize = deriv::diff::DEFAULT_MAX_NODES;
    /// Default bound on the order of `diff --order`.
    pub const MAX_ORDER: u32 = 1000;
    /// Default bound on the output, in bytes.
    pub const MAX_OUTPUT: u64 = 64 << 20;
    /// Highest `--max-graph-depth` accepted: deeper graphs would not fit the
    /// worker thread's stack.
    pub const MAX_GRAPH_DEPTH_CAP: u32 = 1_000_000;
    /// Highest `--max-depth` accepted (the worker's stack grows with it).
    pub const MAX_DEPTH_CAP: u32 = 200_000;
    /// Cap of the count limits (`--max-input`, `--max-nodes`,
    /// `--max-graph-size`, `--max-terms`): 2^32 items of at least 16
    /// bytes each is already more memory than the machine addresses.
    pub const MAX_COUNT_CAP: u64 = 1 << 32;
    /// Cap of `--max-order`: each order is a derivative or a coefficient
    /// held at once.
    pub const MAX_ORDER_CAP: u32 = 1_000_000;
}

/// Output formats.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Readable, line-oriented text.
    Text,
    /// One JSON object per result, on one line.
    Json,
    /// LaTeX math, one equation per line (KaTeX-compatible).
    Latex,
    /// A Python function (`math`) computing the result.
    Python,
    /// A NumPy function computing the result elementwise on arrays.
    Numpy,
    /// A C function (`<math.h>`, link with -lm) computing the result.
    C,
    /// A Rust function computing the result.
    Rust,
}

/// `--points` and `--threads`: evaluation at many points.
#[derive(Args, Debug, Clone)]
pub struct Batch {
    /// Evaluate the result at every row of a CSV file (`-`: standard
    /// input) whose header names the variables; print CSV (or JSON Lines
    /// with --format json), one row per input row.
    #[arg(long, value_name = "FILE", allow_hyphen_values = true)]
    pub points: Option<String>,
    /// Threads for --points (0: one per core).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// Standard input's points, read once when `--points -` is repeated.
    #[arg(skip)]
    pub stdin: Option<std::sync::Arc<Vec<u8>>>,
}

/// `eval`.
#[derive(Args, Debug, Clone)]
pub struct EvalArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub common: Common,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub batch: Batch,
    /// The point: `x=1,y=pi/4`.
    #[arg(long, value_name = "POINT", allow_hyphen_values = true)]
    pub at: Option<String>,
    /// Also print the exact value (`sqrt(3)/2`) where the point and the
    /// expression are exact.
    #[arg(long)]
    pub exact: bool,
}

/// `simplify`.
#[derive(Args, Debug, Clone)]
pub struct SimplifyArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub common: Common,
}

/// `diff`.
#[derive(Args, Debug, Clone)]
pub struct DiffArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub common: Common,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub batch: Batch,
    /// Variables to differentiate by, in order: `x` or `x,y,x`.
    #[arg(long, value_name = "VARS", required = true)]
    pub wrt: String,
    /// Differentiate N times by the one variable of --wrt.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub order: Option<u32>,
    /// Highest --order accepted.
    #[arg(long, help_heading = "Limits", value_name = "N", default_value_t = deriv_limits::MAX_ORDER,
          value_parser = clap::value_parser!(u32).range(0..=i64::from(deriv_limits::MAX_ORDER_CAP)))]
    pub max_order: u32,
    /// Also evaluate at this point.
    #[arg(long, value_name = "POINT", allow_hyphen_values = true)]
    pub at: Option<String>,
    /// With --at: also print the exact value (`sqrt(3)/2`) where the point
    /// and the expression are exact.
    #[arg(long, requires = "at")]
    pub exact: bool,
    /// Print the derivative as a straight-line program of shared subexpressions.
    #[arg(long)]
    pub cse: bool,
}

/// `grad`, `hessian`, `jacobian`.
#[derive(Args, Debug, Clone)]
pub struct GradArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub common: Common,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub batch: Batch,
    /// Variables to differentiate by, in this order (default: all, in natural order).
    #[arg(long, value_name = "VARS")]
    pub vars: Option<String>,
    /// Also evaluate at this point.
    #[arg(long, value_name = "POINT", allow_hyphen_values = true)]
    pub at: Option<String>,
    /// How to compute values at --at: derivative expressions (symbolic), or
    /// numeric automatic differentiation (forward, reverse; Hessians are
    /// forward-over-reverse).
    #[arg(long, value_enum, default_value_t = ModeArg::Symbolic)]
    pub mode: ModeArg,
    /// With --at: also print the exact values (`sqrt(3)/2`) where the
    /// point and the expression are exact.
    #[arg(long, requires = "at")]
    pub exact: bool,
    /// Compute at --at in every mode and by finite differences, print the
    /// largest discrepancy, and exit 1 if they disagree.
    #[arg(long)]
    pub check: bool,
    /// Print the result as a straight-line program (`t1 = ...`); the
    /// gradient follows the reverse sweep.
    #[arg(long)]
    pub cse: bool,
}

/// `--mode`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModeArg {
    /// Derivative expressions, evaluated.
    Symbolic,
    /// Forward-mode automatic differentiation.
    Forward,
    /// Reverse-mode automatic differentiation.
    Reverse,
}

/// `taylor`.
#[derive(Args, Debug, Clone)]
pub struct TaylorArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub common: Common,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub batch: Batch,
    /// The expansion point: `x=1,y=2`.
    #[arg(
        long,
        value_name = "POINT",
        required = true,
        allow_hyphen_values = true
    )]
    pub at: String,
    /// Expand in these variables only (the point gives them); the others
    /// stay exact symbolic parameters.
    #[arg(long, value_name = "VARS")]
    pub vars: Option<String>,
    /// Total degree of the polynomial.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 2,
        allow_negative_numbers = true
    )]
    pub order: u32,
    /// Float coefficients instead of exact ones.
    #[arg(long)]
    pub numeric: bool,
    /// Most monomials a Taylor polynomial may have.
    #[arg(long, value_name = "N", help_heading = "Limits",
          default_value_t = deriv::series::SeriesOptions::DEFAULT_MAX_TERMS,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=deriv_limits::MAX_COUNT_CAP))]
    pub max_terms: usize,
}

/// `stats`.
#[derive(Args, Debug, Clone)]
pub struct StatsArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub common: Common,
    /// Variables of the gradient (default: all, in natural order).
    #[arg(long, value_name = "VARS")]
    pub vars: Option<String>,
}

/// `trace`.
#[derive(Args, Debug, Clone)]
pub struct TraceArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub common: Common,
    /// The point: `x=1,y=2`.
    #[arg(
        long,
        value_name = "POINT",
        required = true,
        allow_hyphen_values = true
    )]
    pub at: String,
}

/// `linearize`.
#[derive(Args, Debug, Clone)]
pub struct LinearizeArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub common: Common,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub batch: Batch,
    /// The point: `x=1,y=2`.
    #[arg(
        long,
        value_name = "POINT",
        required = true,
        allow_hyphen_values = true
    )]
    pub at: String,
    /// Linearize in these variables only (the point gives them); the
    /// others stay exact symbolic parameters.
    #[arg(long, value_name = "VARS")]
    pub vars: Option<String>,
    /// Float coefficients instead of exact ones.
    #[arg(long)]
    pub numeric: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    /// `Cli::try_parse_one` answers for every command that computes, with
    /// what the whole command's parse gives, and leaves errors and help to
    /// it.
    #[test]
    fn one_subcommand_parses_as_the_whole_command() {
        let argv = |s: &str| -> Vec<std::ffi::OsString> {
            std::iter::once("deriv")
                .chain(s.split('|'))
                .map(Into::into)
                .collect()
        };
        let agree = [
            "eval|cos(t)|--at|t=1",
            "eval|exp(x)|--points|-|--threads|2|--format|json",
            "simplify|x*x|--format|latex|--timings|--repeat|3",
            "diff|x^3*y|--wrt|x,y|--order|2|--at|x=1,y=2|--exact",
            "diff|sin(t)|--wrt|t|--cse|--max-order|10",
            "grad|sqrt(x^2+exp(x^2))",
            "grad|x*y|--vars|x,y|--at|x=1,y=2|--mode|reverse|--check|--format|python",
            "grad|x*y|--points|p.csv|--each-line|--max-nodes|1000|--max-depth|50",
            "hessian|x^2*y + sin(y)|--at|x=1,y=2",
            "jacobian|[x*y, x+y]|--mode|forward|--cse|--format|c",
            "taylor|x^2 + 2*x*y + y^3|--at|x=1,y=2|--order|3|--numeric",
            "taylor|a*sin(x)|--at|x=0|--vars|x|--format|rust",
            "linearize|u^2*v|--at|u=1,v=3|--vars|u",
            "stats|x1*x2*x3|--format|json",
            "trace|sqrt(x^2+exp(x^2))|--at|x=0.5|--format|json",
        ];
        for a in agree {
            let v = argv(a);
            let whole = Cli::try_parse_from(&v).unwrap_or_else(|e| panic!("{a}: {e}"));
            let one = Cli::try_parse_one(&v).unwrap_or_else(|| panic!("{a}: no answer"));
            assert_eq!(format!("{one:?}"), format!("{whole:?}"), "{a}");
        }
        let left = [
            "grad",
            "grad|x|--bogus",
            "grad|x|--help",
            "grad|-h",
            "grad|x|--mode|sideways",
            "grad|x|--repeat|0x",
            "hessian|x|y",
            "--version",
            "help|grad",
            "man",
            "completions|bash",
            "gradient|x",
        ];
        for a in left {
            assert!(Cli::try_parse_one(&argv(a)).is_none(), "{a}");
        }
    }
}
