//! Hostile inputs through the binary (`tests/hostile/inputs.txt`): every
//! run ends within the time limit with exit code 0, 1 or 2, never panics,
//! prints nothing on stdout on error, and with `--format json` reports an
//! error as exactly one JSON line on stderr.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// Longest a single run may take: a hang guard, not a speed target (the
/// test binary is a debug build, and a loaded 2-core machine ran the
/// graph-size cases in 11-20 s; `bench/slow_inputs.py` measures speed).
const LIMIT: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Error,
    Usage,
    Ok,
    NonFinite,
    Clean,
}

struct Case {
    line: usize,
    class: Class,
    args: Vec<Vec<u8>>,
    stdin: Option<Vec<u8>>,
    text: String,
}

/// Expands `{{TEXT*N}}` (TEXT repeated N times).
fn expand(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("}}").expect("closed macro") + start;
        let body = &rest[start + 2..end];
        let star = body.rfind('*').expect("TEXT*N");
        let n: usize = body[star + 1..].parse().expect("count");
        out.push_str(&body[..star].repeat(n));
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}

/// Unescapes `\n \t \r \0 \\ \xNN \u{HEX}` into bytes.
fn unescape(s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            let mut buf = [0; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        match chars.next() {
            Some('n') => out.push(b'\n'),
            Some('t') => out.push(b'\t'),
            Some('r') => out.push(b'\r'),
            Some('0') => out.push(0),
            Some('\\') => out.push(b'\\'),
            Some('x') => {
                let hex: String = chars.by_ref().take(2).collect();
                out.push(u8::from_str_radix(&hex, 16).expect("\\xNN"));
            }
            Some('u') => {
                assert_eq!(chars.next(), Some('{'));
                let hex: String = chars.by_ref().take_while(|&c| c != '}').collect();
                let c = char::from_u32(u32::from_str_radix(&hex, 16).expect("hex")).expect("char");
                let mut buf = [0; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
            other => panic!("bad escape \\{other:?} in {s:?}"),
        }
    }
    out
}

fn cases() -> Vec<Case> {
    let data = include_str!("hostile/inputs.txt");
    let mut out = Vec::new();
    for (i, line) in data.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let padded = format!("{line} ");
        let parts: Vec<&str> = padded.splitn(4, " | ").collect();
        assert_eq!(
            parts.len(),
            4,
            "line {}: CLASS | COMMAND | EXPR | OPTIONS",
            i + 1
        );
        let class = match parts[0].trim() {
            "error" => Class::Error,
            "usage" => Class::Usage,
            "ok" => Class::Ok,
            "nonfinite" => Class::NonFinite,
            "clean" => Class::Clean,
            c => panic!("line {}: unknown class {c:?}", i + 1),
        };
        let command = parts[1].trim();
        let expr = expand(parts[2]);
        let mut args: Vec<Vec<u8>> = Vec::new();
        let mut stdin = None;
        if !command.is_empty() {
            args.push(command.as_bytes().to_vec());
            match expr.strip_prefix("stdin:") {
                Some(text) => {
                    args.push(b"-".to_vec());
                    stdin = Some(unescape(text));
                }
                None => args.push(unescape(&expr)),
            }
        }
        for w in parts[3].split_whitespace() {
            args.push(unescape(&expand(w)));
        }
        if class != Class::Usage {
            args.push(b"--format".to_vec());
            args.push(b"json".to_vec());
        }
        let text: String = line.chars().take(120).collect();
        out.push(Case {
            line: i + 1,
            class,
            args,
            stdin,
            text,
        });
    }
    out
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    took: Duration,
}

fn run(case: &Case) -> Result<Run, String> {
    use std::os::unix::ffi::OsStrExt;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_deriv"));
    for a in &case.args {
        cmd.arg(std::ffi::OsStr::from_bytes(a));
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start: {e}"))?;
    let start = Instant::now();
    let input = case.stdin.clone().unwrap_or_default();
    let mut stdin = child.stdin.take().expect("stdin");
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let reader_out = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let reader_err = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let status = loop {
        if let Some(s) = child.try_wait().map_err(|e| e.to_string())? {
            break s;
        }
        if start.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("no result within {LIMIT:?}"));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let took = start.elapsed();
    let _ = feeder.join();
    let stdout = String::from_utf8_lossy(&reader_out.join().expect("reader")).into_owned();
    let stderr = String::from_utf8_lossy(&reader_err.join().expect("reader")).into_owned();
    Ok(Run {
        code: status.code(),
        stdout,
        stderr,
        took,
    })
}

fn check_error(case: &Case, r: &Run) -> Result<(), String> {
    if !r.stdout.is_empty() {
        return Err(format!("stdout not empty on error: {:?}", short(&r.stdout)));
    }
    let lines: Vec<&str> = r.stderr.lines().collect();
    if lines.len() != 1 {
        return Err(format!("stderr is not one line: {:?}", short(&r.stderr)));
    }
    let v: Value = serde_json::from_str(lines[0]).map_err(|e| format!("stderr not JSON: {e}"))?;
    let err = v
        .get("error")
        .filter(|_| v.as_object().is_some_and(|o| o.len() == 1))
        .ok_or("no lone \"error\" object")?;
    if !err.get("message").is_some_and(Value::is_string) {
        return Err("no error.message string".into());
    }
    let input_len = match &case.stdin {
        Some(s) => s.len(),
        None => case.args.get(1).map_or(0, Vec::len),
    };
    match err.get("span") {
        Some(Value::Null) => Ok(()),
        Some(Value::Array(a)) if a.len() == 2 => {
            let (s, e) = (a[0].as_u64(), a[1].as_u64());
            match (s, e) {
                (Some(s), Some(e)) if s <= e && e as usize <= input_len.max(1) => Ok(()),
                _ => Err(format!("bad span {a:?} for an input of {input_len} bytes")),
            }
        }
        other => Err(format!("bad span {other:?}")),
    }
}

fn check_ok(r: &Run) -> Result<(), String> {
    let lines: Vec<&str> = r.stdout.lines().collect();
    if lines.len() != 1 {
        return Err(format!("stdout is not one line: {:?}", short(&r.stdout)));
    }
    let v: Value = serde_json::from_str(lines[0]).map_err(|e| format!("stdout not JSON: {e}"))?;
    if !v.is_object() {
        return Err("stdout is not a JSON object".into());
    }
    Ok(())
}

fn short(s: &str) -> String {
    s.chars().take(300).collect()
}

fn check(case: &Case) -> Result<(), String> {
    let r = run(case)?;
    if r.stderr.contains("panicked") {
        return Err(format!("panicked: {}", short(&r.stderr)));
    }
    let Some(code) = r.code else {
        return Err(format!("killed by a signal: {}", short(&r.stderr)));
    };
    let want = |ok: bool, what: &str| {
        if ok {
            Ok(())
        } else {
            Err(format!("{what}, got exit {code}: {}", short(&r.stderr)))
        }
    };
    match case.class {
        Class::Error => want(code == 1, "expected exit 1").and_then(|()| check_error(case, &r)),
        Class::Usage => {
            want(code == 2, "expected exit 2")?;
            want(r.stdout.is_empty(), "expected nothing on stdout")
        }
        Class::Ok => want(code == 0, "expected exit 0").and_then(|()| check_ok(&r)),
        Class::NonFinite => {
            want(code == 0, "expected exit 0")?;
            check_ok(&r)?;
            want(
                ["\"NaN\"", "\"inf\"", "\"-inf\""]
                    .iter()
                    .any(|t| r.stdout.contains(t)),
                "expected a non-finite value",
            )?;
            want(r.stderr.contains("warning"), "expected a warning")
        }
        Class::Clean => match code {
            0 => check_ok(&r),
            1 => check_error(case, &r),
            _ => want(false, "expected exit 0 or 1"),
        },
    }
    .map(|()| {
        if r.took > LIMIT / 2 {
            eprintln!("slow: line {} took {:?}", case.line, r.took);
        }
    })
}

#[test]
fn hostile_inputs() {
    let cases = cases();
    assert!(cases.len() >= 150, "{} cases", cases.len());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failures = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(case) = cases.get(i) else { break };
                    if let Err(e) = check(case) {
                        failures
                            .lock()
                            .expect("lock")
                            .push(format!("line {}: {}\n    {e}", case.line, case.text));
                    }
                }
            });
        }
    });
    let mut failures = failures.into_inner().expect("lock");
    failures.sort();
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
