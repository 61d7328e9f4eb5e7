//! reportlint: a compliance checker for Chinese annual reports on rule-of-law government
//! construction (法治政府建设年度报告).
//!
//! The pipeline, one module per stage, dependencies pointing one way:
//! [`input`] (files → decoded text) → [`report`] (text → model); [`expr`] (the rule language:
//! parse, compile, evaluate over a report) → [`rulebook`] (YAML rulebooks, compiled) →
//! [`check`] (rules × reports → verdicts) → [`output`] (renderers), driven by [`cli`].
//! [`run`] is the whole program, callable in-process by tests.

pub mod audit;
pub mod check;
pub mod cli;
pub mod config;
pub mod expr;
pub mod input;
pub mod limits;
pub mod output;
pub mod report;
pub mod rulebook;
pub mod source;

/// Exit status: everything was read and nothing failed.
pub const EXIT_OK: u8 = 0;
/// Exit status: a finding reached the failing severity.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit status: a usage error, or an input that could not be read.
pub const EXIT_ERROR: u8 = 2;

/// What `--color auto` means for each output stream, decided by the caller from the stream and
/// the environment. The binary asks `anstream` (as clap and ruff do): a stream is coloured when it
/// is a terminal and `TERM` is not `dumb`, never when `NO_COLOR` is set to a non-empty value,
/// always when `CLICOLOR_FORCE` is. Findings go to stdout and errors to stderr, so each is decided
/// on its own: `reportlint check x > out.txt` at a terminal writes no escape codes to the file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AutoColor {
    pub stdout: bool,
    pub stderr: bool,
}

/// Runs reportlint with `args` (the first being the program name), writing results to `out` and
/// diagnostics to `err`. `color` is what `--color auto` means for each. Returns the exit status.
pub fn run<I, T>(
    args: I,
    out: &mut dyn std::io::Write,
    err: &mut dyn std::io::Write,
    color: AutoColor,
) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    cli::run(args, out, err, color)
}
