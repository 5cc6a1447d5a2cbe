//! The process around a command: what Rust's runtime would do before and
//! after `main`, done here on Linux where the binary has its own C `main`
//! (`#![no_main]`), and where the command runs: on the main thread when
//! its stack is large enough for the input, else on a worker thread with a
//! stack to match the limits.
//!
//! Why: a fresh `deriv grad` is measured against a bare process start
//! (issue 9's W8), and most of what deriv adds to it is fixed cost. Rust's
//! runtime start reads `/proc/self/maps` to find the main thread's stack
//! and installs a signal stack and handlers for stack overflows; a worker
//! thread costs a clone, a malloc arena of its own and its first stack
//! pages. Together about 0.3 ms of a 1.7 ms process
//! (`python3 bench/fresh_ab.py`). deriv keeps what the runtime does that
//! matters to it: standard descriptors that were closed are opened on
//! `/dev/null`, `SIGPIPE` is ignored (a closed pipe is an error that deriv
//! handles, not a signal), standard output is flushed at exit, and a panic
//! is caught and reported. What it gives up is the runtime's message on a
//! stack overflow: the stack is sized so that none happens, and one would
//! still end the process by a signal.

use std::ffi::OsString;
use std::process::ExitCode;

use super::args::Cli;

/// The parser's stack per level of nesting, with a margin: about 3 KiB in
/// a release build, more in a debug build. Parentheses, brackets, calls,
/// unary signs and `^` are the only recursion (`parse::grammar`); the
/// rewrites, derivatives and printers walk with explicit stacks.
const PARSE_LEVEL: u64 = 16 << 10;

/// The main thread's stack that is not the parser's: what `main` has used
/// before the command, and the command's own frames.
const BASE: u64 = 2 << 20;

/// Runs `body` as Rust's runtime would run `main`, and returns the exit
/// status for C's `main`: a panic is caught (it prints its message) and
/// exits 101, as from Rust's `main`.
#[cfg(target_os = "linux")]
#[cfg_attr(test, allow(dead_code))]
pub fn process(body: impl FnOnce() -> ExitCode) -> i32 {
    use std::io::Write;
    open_closed_descriptors();
    super::alloc::keep_freed_memory();
    // SAFETY: setting a signal's disposition to SIG_IGN has no handler to
    // race with; it is done before any other thread exists.
    #[allow(unsafe_code)]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
    let code = std::panic::catch_unwind(std::panic::AssertUnwindSafe(body));
    // Rust's runtime flushes standard output after `main`; C's exit does
    // not know Rust's buffer. An error here has no one left to tell.
    let _ = std::io::stdout().flush();
    match code {
        Ok(code) => status(code),
        Err(_) => 101,
    }
}

/// The numeric status of an exit code (`ExitCode` has no stable accessor;
/// it compares equal to the `ExitCode::from(u8)` it was made from).
#[cfg(target_os = "linux")]
#[cfg_attr(test, allow(dead_code))]
fn status(code: ExitCode) -> i32 {
    (0..=u8::MAX)
        .find(|&s| ExitCode::from(s) == code)
        .map_or(1, i32::from)
}

/// Opens `/dev/null` on whichever of descriptors 0, 1 and 2 is closed, as
/// Rust's runtime does, so that a file deriv opens never becomes its
/// standard input or output. (Whether standard output was closed is
/// recorded before, by `shell::stdout_closed`.)
#[cfg(target_os = "linux")]
#[cfg_attr(test, allow(dead_code))]
fn open_closed_descriptors() {
    let mut fds = [0, 1, 2].map(|fd| libc::pollfd {
        fd,
        events: 0,
        revents: 0,
    });
    // SAFETY: `fds` is a valid array of three pollfd for the call's
    // duration; a zero timeout returns at once.
    #[allow(unsafe_code)]
    let polled = unsafe { libc::poll(fds.as_mut_ptr(), 3, 0) };
    for p in &fds {
        // where poll itself failed, ask each descriptor
        // SAFETY: fcntl(F_GETFD) only reads a descriptor's flags.
        #[allow(unsafe_code)]
        let closed = if polled < 0 {
            let flags = unsafe { libc::fcntl(p.fd, libc::F_GETFD) };
            flags < 0
        } else {
            p.revents & libc::POLLNVAL != 0
        };
        if closed {
            // SAFETY: a NUL-terminated path; the lowest free descriptor,
            // which is `p.fd` since the lower ones are open, is returned.
            #[allow(unsafe_code)]
            unsafe {
                libc::open(c"/dev/null".as_ptr(), libc::O_RDWR);
            }
        }
    }
}

/// True when the command can run on the main thread: its input is all on
/// the command line (not a file or standard input), and the main thread's
/// stack limit holds [`BASE`] plus [`PARSE_LEVEL`] for each level of
/// nesting the input can have, which is no more than its length in bytes
/// and `--max-depth`. With the usual 8 MiB limit, a command line of up to
/// 384 bytes.
pub fn fits_main_thread(cli: &Cli, argv: &[OsString]) -> bool {
    let Some(c) = cli.command.common() else {
        return true;
    };
    if c.each_line || c.expr == "-" {
        return false;
    }
    let bytes: usize = argv.iter().map(|a| a.len()).sum();
    let levels = bytes.min(c.max_depth) as u64;
    let need = BASE.saturating_add(levels.saturating_mul(PARSE_LEVEL));
    need <= main_stack_limit()
}

/// The main thread's stack limit (the soft `RLIMIT_STACK`); 0 where it is
/// not known, so that the command runs on a worker thread.
fn main_stack_limit() -> u64 {
    #[cfg(target_os = "linux")]
    {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit writes one rlimit into `limit`.
        #[allow(unsafe_code)]
        let ok = unsafe { libc::getrlimit(libc::RLIMIT_STACK, &mut limit) } == 0;
        if ok { limit.rlim_cur } else { 0 }
    }
    #[cfg(not(target_os = "linux"))]
    {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[cfg(target_os = "linux")]
    #[test]
    fn an_exit_code_has_its_number() {
        for s in [0u8, 1, 2, 101, 255] {
            assert_eq!(status(ExitCode::from(s)), i32::from(s));
        }
        assert_eq!(status(ExitCode::SUCCESS), 0);
        assert_eq!(status(ExitCode::FAILURE), 1);
    }

    fn fits(args: &[&str]) -> bool {
        let argv: Vec<OsString> = args.iter().map(OsString::from).collect();
        let cli = Cli::try_parse_from(&argv).unwrap();
        fits_main_thread(&cli, &argv)
    }

    #[test]
    fn only_a_short_command_line_runs_on_the_main_thread() {
        let limit = main_stack_limit();
        // BASE and 16 KiB a byte of the command line: 12 bytes here
        let short = BASE + 12 * PARSE_LEVEL <= limit;
        assert_eq!(fits(&["deriv", "grad", "x^2"]), short);
        // every byte of the command line may be a level of nesting
        let long = "(".repeat(4000) + "x" + &")".repeat(4000);
        assert!(!fits(&["deriv", "grad", &long]));
        // ... unless --max-depth says fewer
        let few = BASE + 2 * PARSE_LEVEL <= limit;
        assert_eq!(fits(&["deriv", "grad", &long, "--max-depth", "2"]), few);
        // input that is not on the command line
        assert!(!fits(&["deriv", "grad", "-"]));
        assert!(!fits(&["deriv", "grad", "exprs.txt", "--each-line"]));
    }
}
