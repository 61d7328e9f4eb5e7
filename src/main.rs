//! The `reportlint` binary: hands the command line to [`reportlint::run`].

use anstream::{AutoStream, ColorChoice};

fn main() -> std::process::ExitCode {
    // Each stream decided on its own, from the stream and NO_COLOR, CLICOLOR_FORCE, CLICOLOR,
    // TERM and CI, the way clap decides for its own help (`--color` overrides it in `run`).
    let color = reportlint::AutoColor {
        stdout: AutoStream::choice(&std::io::stdout()) == ColorChoice::Always,
        stderr: AutoStream::choice(&std::io::stderr()) == ColorChoice::Always,
    };
    // Standard error is not locked for the run: `audit`'s progress bar is drawn from the worker
    // threads, and a lock held here while the main thread waits for them would stop them all.
    let code = reportlint::run(
        std::env::args_os(),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr(),
        color,
    );
    std::process::ExitCode::from(code)
}
