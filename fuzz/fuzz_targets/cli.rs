//! The command line's own code on random arguments and standard input:
//! argv is built from the input (a command, flags of the real set, an
//! expression or `-`), parsed by clap as `deriv` parses it, and run by the
//! CLI's command functions with the output captured
//! (`src/cli/capture.rs`). Findings: panics, hangs, and `--format json`
//! output that is not JSON.
//!
//! Input: 4 header bytes, then up to four fields separated by `0x1f`:
//! EXPR, the `--at` text, the `--vars`/`--wrt` text, standard input.
//! - byte 0: command (low 4 bits, mod 10), format (high 4 bits, mod 8:
//!   7 formats or none);
//! - byte 1: bit 0 EXPR is `-` (read from standard input), 1 `--cse`,
//!   2 `--check`, 3 `--each-line`, 4 `--numeric`, 5 `--points -`,
//!   6..7 `--mode` (none, symbolic, forward, reverse);
//! - byte 2: `--order` (low 4 bits) when bit 4 is set;
//! - byte 3: one bit per lowered limit (`--max-nodes`, `--max-terms`,
//!   `--max-output`, `--max-exact-bits`, `--max-depth`, `--max-order`,
//!   `--max-graph-size`, `--max-input`).
#![no_main]

#[allow(dead_code, unused_imports)]
#[path = "../../src/cli/mod.rs"]
mod cli;

use clap::Parser;
use libfuzzer_sys::fuzz_target;

const COMMANDS: [&str; 10] = [
    "eval",
    "simplify",
    "diff",
    "grad",
    "hessian",
    "jacobian",
    "taylor",
    "linearize",
    "stats",
    "trace",
];

const FORMATS: [&str; 7] = ["text", "json", "latex", "python", "numpy", "c", "rust"];

const MODES: [&str; 3] = ["symbolic", "forward", "reverse"];

/// Lowered limits, one per bit of header byte 3: small enough to be hit
/// by small inputs.
const LIMITS: [(&str, &str); 8] = [
    ("--max-nodes", "2000"),
    ("--max-terms", "20"),
    ("--max-output", "4096"),
    ("--max-exact-bits", "128"),
    ("--max-depth", "30"),
    ("--max-order", "3"),
    ("--max-graph-size", "500"),
    ("--max-input", "64"),
];

/// Which options a command takes.
struct Takes {
    at: bool,
    at_required: bool,
    vars: Option<&'static str>,
    order: bool,
    ad: bool,
    numeric: bool,
    points: bool,
}

fn takes(command: &str) -> Takes {
    let none = Takes {
        at: false,
        at_required: false,
        vars: None,
        order: false,
        ad: false,
        numeric: false,
        points: false,
    };
    match command {
        "eval" => Takes {
            at: true,
            points: true,
            ..none
        },
        "diff" => Takes {
            at: true,
            vars: Some("--wrt"),
            order: true,
            points: true,
            ..none
        },
        "grad" | "hessian" | "jacobian" => Takes {
            at: true,
            vars: Some("--vars"),
            ad: true,
            points: true,
            ..none
        },
        "taylor" => Takes {
            at: true,
            at_required: true,
            order: true,
            numeric: true,
            points: true,
            ..none
        },
        "linearize" => Takes {
            at: true,
            at_required: true,
            numeric: true,
            points: true,
            ..none
        },
        "stats" => Takes {
            vars: Some("--vars"),
            ..none
        },
        "trace" => Takes {
            at: true,
            at_required: true,
            ..none
        },
        _ => none,
    }
}

/// The command-specific options of argv.
fn options(argv: &mut Vec<String>, command: &str, head: &[u8], at: &str, vars: &str) {
    let t = takes(command);
    if t.at && (t.at_required || !at.is_empty()) {
        argv.push(format!("--at={at}"));
    }
    if let Some(flag) = t.vars
        && (flag == "--wrt" || !vars.is_empty())
    {
        argv.push(format!("{flag}={vars}"));
    }
    if t.order && head[2] & 0x10 != 0 {
        argv.push(format!("--order={}", head[2] & 0x0f));
    }
    let flags = head[1];
    if (t.ad || command == "diff") && flags & 0x02 != 0 {
        argv.push("--cse".into());
    }
    if t.ad && flags & 0x04 != 0 {
        argv.push("--check".into());
    }
    if t.ad && flags >> 6 != 0 {
        argv.push(format!("--mode={}", MODES[usize::from(flags >> 6) - 1]));
    }
    if t.numeric && flags & 0x10 != 0 {
        argv.push("--numeric".into());
    }
    // not with `--each-line`, which reads standard input itself
    if t.points && flags & 0x20 != 0 && flags & 0x08 == 0 {
        argv.push("--points=-".into());
    }
    for (bit, (flag, value)) in LIMITS.iter().enumerate() {
        let applies = match *flag {
            "--max-terms" => command == "taylor",
            "--max-order" => command == "diff",
            _ => true,
        };
        if applies && head[3] >> bit & 1 != 0 {
            argv.push(format!("{flag}={value}"));
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let (head, rest) = data.split_at(4);
    let mut fields = rest.splitn(4, |b| *b == 0x1f);
    let mut text = || std::str::from_utf8(fields.next().unwrap_or_default()).ok();
    let (Some(expr), Some(at), Some(vars)) = (text(), text(), text()) else {
        return;
    };
    let stdin = fields.next().unwrap_or_default();
    let command = COMMANDS[usize::from(head[0] & 0x0f) % COMMANDS.len()];
    let mut argv = vec!["deriv".to_string(), command.to_string()];
    let format = usize::from(head[0] >> 4) % (FORMATS.len() + 1);
    let json = format == 1;
    if let Some(f) = FORMATS.get(format) {
        argv.push(format!("--format={f}"));
    }
    let each_line = head[1] & 0x08 != 0;
    if each_line {
        argv.push("--each-line".into());
    }
    options(&mut argv, command, head, at, vars);
    argv.push("--".into());
    // `--each-line` reads lines from standard input here, never a file
    let from_stdin = each_line || head[1] & 0x01 != 0;
    argv.push(if from_stdin { "-" } else { expr }.to_string());
    let Ok(parsed) = cli::args::Cli::try_parse_from(&argv) else {
        return;
    };
    // as `deriv` does: a worker thread with a stack to match the limits
    let stack = parsed.stack_size();
    let stdin = stdin.to_vec();
    let captured = std::thread::Builder::new()
        .stack_size(stack)
        .spawn(move || cli::capture::run(parsed, &stdin))
        .expect("a worker thread")
        .join()
        .unwrap_or_else(|_| panic!("the command panicked: {argv:?}"));
    if let (true, Ok(out)) = (json, &captured.out) {
        for line in out.lines().filter(|l| !l.is_empty()) {
            assert!(
                serde_json::from_str::<serde_json::Value>(line).is_ok(),
                "--format json printed a line that is not JSON: {line:?} for {argv:?}"
            );
        }
    }
});
