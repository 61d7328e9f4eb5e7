//! The `reportlint` binary: hands the command line to [`reportlint::run`].

use std::io::IsTerminal;

fn main() -> std::process::ExitCode {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let code = reportlint::run(
        std::env::args_os(),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
        color,
    );
    std::process::ExitCode::from(code)
}
