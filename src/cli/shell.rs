//! Shell niceties from the clap definition: `deriv completions SHELL`,
//! `deriv man`, and `deriv help [functions|COMMAND]`.

use std::io::Write;
use std::process::ExitCode;

use clap::CommandFactory;

use super::args::{Cli, HelpArgs, Shell};

/// Every function of the language: name, domain, derivative and the
/// convention at its kinks.
#[rustfmt::skip]
const FUNCTIONS: &[(&str, &str, &str)] = &[
    ("sin(x), cos(x), tan(x)", "all reals (tan: x != pi/2 + k*pi)", "cos(x), -sin(x), 1 + tan(x)^2"),
    ("sec(x), csc(x), cot(x)", "where cos, sin, sin are non-zero", "written as 1/cos(x), 1/sin(x), cos(x)/sin(x)"),
    ("asin(x), acos(x)", "-1 <= x <= 1", "1/sqrt(1 - x^2), -1/sqrt(1 - x^2) (infinite at +-1)"),
    ("atan(x)", "all reals", "1/(1 + x^2)"),
    ("asec(x), acsc(x)", "|x| >= 1", "written as acos(1/x), asin(1/x)"),
    ("acot(x)", "all reals; odd, in (-pi/2, pi/2] (as SymPy); acot(0) = pi/2 with a warning", "written as atan(1/x): -1/(1 + x^2), none (NaN) at 0, where it jumps"),
    ("atan2(y, x)", "(y, x) != (0, 0)", "x/(x^2 + y^2) in y, -y/(x^2 + y^2) in x"),
    ("sinh(x), cosh(x), tanh(x)", "all reals", "cosh(x), sinh(x), 1 - tanh(x)^2"),
    ("sech(x), csch(x), coth(x)", "all reals; x != 0 for csch and coth", "written as 1/cosh(x), 1/sinh(x), 1/tanh(x)"),
    ("asinh(x), acosh(x), atanh(x)", "all reals, x >= 1, -1 < x < 1", "1/sqrt(x^2 + 1), 1/sqrt(x^2 - 1), 1/(1 - x^2)"),
    ("asech(x), acsch(x), acoth(x)", "0 < x <= 1, x != 0, |x| > 1", "written as acosh(1/x), asinh(1/x), atanh(1/x)"),
    ("exp(x)", "all reals", "exp(x)"),
    ("log(x), ln(x)", "x > 0 (natural logarithm)", "1/x"),
    ("log(x, b)", "x > 0, b > 0, b != 1", "written as log(x)/log(b)"),
    ("log10(x), log2(x)", "x > 0", "written as log(x)/log(10), log(x)/log(2)"),
    ("sqrt(x)", "x >= 0", "1/(2*sqrt(x)) (infinite at 0)"),
    ("cbrt(x)", "all reals (real cube root)", "1/(3*cbrt(x)^2) (infinite at 0)"),
    ("pow(x, y), x^y", "x > 0, or y an integer, or x = 0 and y > 0", "y*x^(y - 1) in x, x^y*log(x) in y"),
    ("abs(x)", "all reals", "sign(x); kink at 0: abs'(0) = sign(0) = 0"),
    ("sign(x)", "all reals; sign(0) = 0", "0; jump at 0 (derivative 0, with a warning there)"),
    ("step(x)", "all reals; 1 for x > 0, else 0", "0; jump at 0 (derivative 0, with a warning there)"),
    ("floor(x), ceil(x)", "all reals; the integer below, above", "0; jumps at the integers (derivative 0, with a warning there)"),
    ("round(x)", "all reals; the nearest integer, halves away from zero", "0; jumps at the halves (derivative 0, with a warning there)"),
    ("relu(x)", "all reals; max(x, 0)", "step(x); kink at 0: relu'(0) = step(0) = 0 (as PyTorch and JAX)"),
    ("sigmoid(x)", "all reals; 1/(1 + exp(-x))", "sigmoid(x)*(1 - sigmoid(x))"),
    ("softplus(x)", "all reals; log(1 + exp(x))", "sigmoid(x)"),
    ("erf(x)", "all reals", "2*exp(-x^2)/sqrt(pi)"),
    ("erfc(x)", "all reals; 1 - erf(x), without its cancellation (erfc(10) = 2.09e-45)", "-2*exp(-x^2)/sqrt(pi)"),
    ("sinc(x)", "all reals; sin(x)/x, sinc(0) = 1", "(cos(x) - sinc(x))/x; 0 at 0 with --mode forward|reverse and in taylor, NaN at 0 symbolically"),
    ("min(a, b, ...), max(a, b, ...)", "all reals; two or more arguments", "the derivative of the least (greatest) argument; at a tie it splits equally"),
];

/// An option typed in the expression's place (`deriv grad --version`):
/// `--help` and `--version` do what they say, any other word that starts
/// with `--` is a usage error. After `--` it is an expression (`-- --x`).
pub fn option_as_expr(cli: &Cli, argv: &[std::ffi::OsString]) -> Option<ExitCode> {
    let c = cli.command.common()?;
    // option-shaped: `--` and a letter (`-----t` is an expression)
    let word = c.expr.strip_prefix("--")?;
    if !word.starts_with(|ch: char| ch.is_ascii_alphabetic()) {
        return None;
    }
    let at = argv
        .iter()
        .position(|a| a.to_str() == Some(c.expr.as_str()))?;
    if argv[..at].iter().any(|a| a == "--") {
        return None;
    }
    let name = argv.get(1).and_then(|a| a.to_str()).unwrap_or("");
    let mut cmd = Cli::command();
    cmd.build();
    let mut sub = cmd
        .find_subcommand(name)
        .cloned()
        .unwrap_or_else(Cli::command)
        .bin_name(format!("deriv {name}"));
    match c.expr.as_str() {
        "--help" => Some(emit(sub.render_long_help().to_string().as_bytes())),
        "--version" => Some(emit(Cli::command().render_version().as_bytes())),
        word => {
            let word = word.split('=').next().unwrap_or(word);
            let e = sub.error(
                clap::error::ErrorKind::UnknownArgument,
                format!(
                    "unexpected argument '{word}' found where the expression goes\n\n  \
                     tip: to pass '{word}' as an expression, use '-- {word}'"
                ),
            );
            let _ = e.print();
            Some(ExitCode::from(2))
        }
    }
}

/// Prints shell completions for `shell`.
pub fn completions(shell: Shell) -> ExitCode {
    use clap_complete::Shell as S;
    let shell = match shell {
        Shell::Bash => S::Bash,
        Shell::Zsh => S::Zsh,
        Shell::Fish => S::Fish,
        Shell::Elvish => S::Elvish,
        Shell::Powershell => S::PowerShell,
    };
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "deriv", &mut out);
    emit(&out)
}

/// Prints the man page (roff).
pub fn man() -> ExitCode {
    let mut out = Vec::new();
    match clap_mangen::Man::new(Cli::command()).render(&mut out) {
        Ok(()) => emit(&out),
        Err(e) => {
            eprintln!("deriv: error: cannot render the man page: {e}");
            ExitCode::from(1)
        }
    }
}

/// `deriv help`, `deriv help COMMAND`, `deriv help functions`.
pub fn help(a: &HelpArgs) -> ExitCode {
    let mut cmd = Cli::command();
    match a.topic.as_deref() {
        Some("functions") => emit(functions().as_bytes()),
        Some(name) => match cmd.find_subcommand_mut(name) {
            Some(sub) => {
                let text = sub
                    .clone()
                    .bin_name(format!("deriv {name}"))
                    .render_long_help();
                emit(text.to_string().as_bytes())
            }
            None => {
                eprintln!(
                    "deriv: error: no help for `{name}`: try `deriv help` for the commands, \
                     or `deriv help functions`"
                );
                ExitCode::from(2)
            }
        },
        None => emit(cmd.render_long_help().to_string().as_bytes()),
    }
}

fn functions() -> String {
    let mut out = String::from(
        "Functions (values are real; outside the domain a value is NaN or +-inf, with a warning)\n\n",
    );
    for (name, domain, derivative) in FUNCTIONS {
        out.push_str(&format!(
            "  {name}\n      domain:     {domain}\n      derivative: {derivative}\n"
        ));
    }
    out.push_str(
        "\nConstants: pi, e. Operators: + - * / ^ (also **), implicit multiplication 2x, 3(x+1).\n",
    );
    out
}

fn emit(bytes: &[u8]) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("deriv: error: cannot write: {e}");
            ExitCode::from(1)
        }
    }
}

/// clap's early exits: help and version go to standard output, where a
/// write error exits 1 (`deriv --help > /dev/full`); other errors are
/// usage errors on standard error (exit 2).
pub fn clap_exit(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            emit(e.render().to_string().as_bytes())
        }
        _ => {
            let _ = e.print();
            ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
        }
    }
}

/// True when standard output was closed when deriv started (`deriv grad
/// x >&-`). Rust's runtime then opens `/dev/null` on it, where every
/// write succeeds, so the check runs before the runtime does: on Linux, a
/// constructor in `.init_array` asks the kernel whether descriptor 1 is
/// open ([`STDOUT_CLOSED`]). A `/dev/null` given as standard output
/// (`> /dev/null`, Python's `subprocess.DEVNULL`) is open: not closed.
/// Elsewhere: false.
pub fn stdout_closed() -> bool {
    STDOUT_CLOSED.load(std::sync::atomic::Ordering::Relaxed)
}

/// Set by [`check_stdout`] before `main` when descriptor 1 was closed.
static STDOUT_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

#[cfg(target_os = "linux")]
extern "C" fn check_stdout() {
    // SAFETY: fcntl(F_GETFD) only reads the descriptor's flags; it fails
    // with EBADF when descriptor 1 is not open.
    #[allow(unsafe_code)]
    let flags = unsafe { libc::fcntl(1, libc::F_GETFD) };
    if flags < 0 {
        STDOUT_CLOSED.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Runs [`check_stdout`] at load time, before Rust's runtime reopens a
/// closed descriptor 1 on `/dev/null`.
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static CHECK_STDOUT: extern "C" fn() = check_stdout;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_function_of_the_language_is_listed() {
        let text = functions();
        for f in deriv::expr::Func::ALL {
            assert!(text.contains(&format!("{}(", f.name())), "{}", f.name());
        }
        for name in ["ln", "sqrt", "pow", "sec", "csc", "cot"] {
            assert!(text.contains(&format!("{name}(")), "{name}");
        }
    }
}
