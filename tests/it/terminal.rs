//! The binary at a terminal: colour decided per stream (findings on stdout, errors on stderr)
//! from `--color`, `NO_COLOR`, `CLICOLOR_FORCE` and `TERM`, with real pseudo-terminals.

use crate::root;
use std::io::Read;
use std::os::fd::{FromRawFd, OwnedFd};
use std::process::{Command, Stdio};

const ESC: char = '\u{1b}';

/// A pseudo-terminal: the master end to read from, the slave end to hand to the child.
fn openpty() -> (std::fs::File, OwnedFd) {
    let (mut master, mut slave) = (0, 0);
    // SAFETY: openpty writes two descriptors it opened; null name, termios and winsize are allowed.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
    for fd in [master, slave] {
        // SAFETY: `fd` is open. Not inherited by the children of tests running beside this one,
        // whose lifetimes would otherwise delay the end of this terminal's output.
        unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) };
    }
    // SAFETY: both descriptors are open and owned by nobody else.
    unsafe {
        (
            std::fs::File::from_raw_fd(master),
            OwnedFd::from_raw_fd(slave),
        )
    }
}

/// Where a stream of the child goes.
#[derive(Clone, Copy, PartialEq)]
enum To {
    Pipe,
    Terminal,
}

/// What the child wrote on each stream.
struct Seen {
    stdout: String,
    stderr: String,
}

/// Reads a pty's master until the child has closed the slave (EIO on Linux).
fn drain(mut master: std::fs::File) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut all = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            match master.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => all.extend_from_slice(&buf[..n]),
            }
        }
        all
    })
}

/// Runs the built binary with only the given environment (`CI` and the like are not inherited).
fn run_bin(args: &[&str], env: &[(&str, &str)], stdout: To, stderr: To) -> Seen {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_reportlint"));
    cmd.args(args)
        .current_dir(root())
        .env_clear()
        .stdin(Stdio::null());
    cmd.envs(env.iter().copied());
    let mut readers = Vec::new();
    for (i, to) in [stdout, stderr].into_iter().enumerate() {
        let stdio = match to {
            To::Pipe => Stdio::piped(),
            To::Terminal => {
                let (master, slave) = openpty();
                readers.push((i, drain(master)));
                Stdio::from(slave)
            }
        };
        if i == 0 {
            cmd.stdout(stdio);
        } else {
            cmd.stderr(stdio);
        }
    }
    let mut child = cmd.spawn().expect("the binary runs");
    // The parent's copies of the slaves are gone with `cmd`: the readers see the child's close.
    drop(cmd);
    let mut seen = [Vec::new(), Vec::new()];
    if let Some(mut s) = child.stdout.take() {
        s.read_to_end(&mut seen[0]).unwrap();
    }
    if let Some(mut s) = child.stderr.take() {
        s.read_to_end(&mut seen[1]).unwrap();
    }
    child.wait().unwrap();
    for (i, reader) in readers {
        seen[i] = reader.join().unwrap();
    }
    let [stdout, stderr] = seen.map(|b| String::from_utf8_lossy(&b).into_owned());
    Seen { stdout, stderr }
}

/// One seed with findings and a missing file: something on each stream.
const ARGS: [&str; 3] = [
    "check",
    "fixtures/reports/xinkou-2023.txt",
    "no-such-report.txt",
];
const XTERM: (&str, &str) = ("TERM", "xterm-256color");

fn both_streams_said_something(s: &Seen) {
    assert!(
        s.stdout.contains("FZ013"),
        "findings on stdout: {}",
        s.stdout
    );
    assert!(
        s.stderr.contains("no-such-report.txt"),
        "the error on stderr: {}",
        s.stderr
    );
}

/// The case: `reportlint check . > out.txt` typed at a terminal writes no escape codes
/// into the file, while the terminal (stderr) is still coloured.
#[test]
fn redirected_stdout_has_no_escape_codes_while_the_terminal_is_coloured() {
    let dir = tempfile::tempdir().unwrap();
    let reports = dir.path().join("reports");
    std::fs::create_dir(&reports).unwrap();
    std::fs::write(reports.join("xinkou.txt"), crate::seed_text("xinkou-2023")).unwrap();
    let out_txt = dir.path().join("out.txt");
    let (master, slave) = openpty();
    let reader = drain(master);
    let status = Command::new(env!("CARGO_BIN_EXE_reportlint"))
        .args(["check", ".", "no-such-report.txt"])
        .current_dir(&reports)
        .env_clear()
        .env(XTERM.0, XTERM.1)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_txt).unwrap())
        .stderr(Stdio::from(slave))
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(2));
    let terminal = String::from_utf8_lossy(&reader.join().unwrap()).into_owned();
    let file = std::fs::read_to_string(&out_txt).unwrap();
    both_streams_said_something(&Seen {
        stdout: file.clone(),
        stderr: terminal.clone(),
    });
    assert!(!file.contains(ESC), "escape codes in out.txt:\n{file}");
    assert!(terminal.contains(ESC), "stderr at a terminal is coloured");
}

#[test]
fn stdout_at_a_terminal_is_coloured_and_a_pipe_is_not() {
    let s = run_bin(&ARGS, &[XTERM], To::Terminal, To::Pipe);
    both_streams_said_something(&s);
    assert!(s.stdout.contains(ESC));
    assert!(!s.stderr.contains(ESC), "stderr is a pipe: {}", s.stderr);
}

/// no-color.org: a non-empty NO_COLOR turns colour off; an empty one does not count.
#[test]
fn no_color_only_when_not_empty() {
    let s = run_bin(
        &ARGS,
        &[XTERM, ("NO_COLOR", "1")],
        To::Terminal,
        To::Terminal,
    );
    both_streams_said_something(&s);
    assert!(!s.stdout.contains(ESC) && !s.stderr.contains(ESC));
    let s = run_bin(
        &ARGS,
        &[XTERM, ("NO_COLOR", "")],
        To::Terminal,
        To::Terminal,
    );
    assert!(s.stdout.contains(ESC) && s.stderr.contains(ESC));
}

#[test]
fn a_dumb_terminal_gets_no_colour() {
    let s = run_bin(&ARGS, &[("TERM", "dumb")], To::Terminal, To::Terminal);
    both_streams_said_something(&s);
    assert!(!s.stdout.contains(ESC) && !s.stderr.contains(ESC));
}

#[test]
fn clicolor_force_colours_a_pipe() {
    let s = run_bin(&ARGS, &[("CLICOLOR_FORCE", "1")], To::Pipe, To::Pipe);
    both_streams_said_something(&s);
    assert!(s.stdout.contains(ESC) && s.stderr.contains(ESC));
    // NO_COLOR wins over it.
    let s = run_bin(
        &ARGS,
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
        To::Pipe,
        To::Pipe,
    );
    assert!(!s.stdout.contains(ESC));
}

/// `--color` wins over the environment, both ways.
#[test]
fn the_color_option_wins() {
    let mut args = ARGS.to_vec();
    args.extend(["--color", "always"]);
    let s = run_bin(&args, &[("NO_COLOR", "1")], To::Pipe, To::Pipe);
    both_streams_said_something(&s);
    assert!(s.stdout.contains(ESC) && s.stderr.contains(ESC));
    let mut args = ARGS.to_vec();
    args.extend(["--color", "never"]);
    let s = run_bin(
        &args,
        &[XTERM, ("CLICOLOR_FORCE", "1")],
        To::Terminal,
        To::Terminal,
    );
    both_streams_said_something(&s);
    assert!(!s.stdout.contains(ESC) && !s.stderr.contains(ESC));
}

#[test]
fn audit_draws_its_progress_bar_on_a_terminal_and_finishes() {
    // After a second, `audit` draws a progress bar on standard error when it is a terminal. The
    // bar is drawn from the worker threads: with standard error locked by the main thread for the
    // whole run, the first draw stopped every thread for good.
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let written = crate::gen_corpus::bench::write(&corpus, 10_000_000, 7).unwrap();
    let out = dir.path().join("audit.json");
    let (master, slave) = openpty();
    let reader = drain(master);
    let mut child = Command::new(env!("CARGO_BIN_EXE_reportlint"))
        .args(["audit", "--format", "json", "-o"])
        .arg(&out)
        .arg(&corpus)
        .env_clear()
        .env(XTERM.0, XTERM.1)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::from(slave))
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > std::time::Duration::from_secs(300) {
            child.kill().unwrap();
            panic!(
                "audit of {} reports with a terminal stderr still running after 5 minutes",
                written.files
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&reader.join().unwrap()).into_owned();
    assert!(status.success(), "{stderr}");
    let audit: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(audit["reports"].as_array().unwrap().len(), written.files);
    // The bar was drawn (and cleared) when the run took long enough for it to appear.
    if elapsed > std::time::Duration::from_secs(2) {
        assert!(
            stderr.contains(&format!("/{}", written.files)),
            "{stderr:?}"
        );
    }
}
