//! The command line: parses arguments (clap), validates them, and drives the stages; one module
//! per subcommand.
//!
//! Every subcommand reads its inputs, reports unreadable ones as diagnostics on stderr, goes on with
//! the others, and returns exit status 2 at the end if anything could not be read.

mod audit;
mod books;
mod check;
mod doc;
mod inspect;
mod pipeline;
mod rules;
mod rules_init;
mod rules_test;
mod select;

use crate::input;
use crate::output;
use crate::{EXIT_ERROR, EXIT_OK};
use audit::AuditArgs;
use check::CheckArgs;
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
pub use doc::options_markdown;
use inspect::InspectArgs;
use rules::RulesCommand;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "reportlint",
    version,
    about = "Checks annual reports on rule-of-law government construction (法治政府建设年度报告) against rulebooks",
    propagate_version = true
)]
struct Cli {
    /// When to colour output: `auto` colours each of stdout and stderr only when it is a terminal
    /// (and `NO_COLOR` is unset or empty, `TERM` is not `dumb`; `CLICOLOR_FORCE` forces colour).
    #[arg(long, value_enum, default_value_t = Color::Auto, global = true)]
    color: Color,
    #[command(subcommand)]
    command: Command,
}

/// `--lang`: the language of fixed words (headings, labels, the summary).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LangArg {
    /// Chinese, the language of the reports and the findings
    Zh,
    /// English
    En,
}

impl From<LangArg> for crate::audit::Lang {
    fn from(l: LangArg) -> Self {
        match l {
            LangArg::Zh => crate::audit::Lang::Zh,
            LangArg::En => crate::audit::Lang::En,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Checks reports against the built-in rulebook (or the configured ones).
    Check(CheckArgs),
    /// Summarises many reports for a reviewer: rule outcomes as a matrix, key figures, and
    /// changes across years (table, Markdown, CSV, JSON, XLSX, HTML).
    Audit(AuditArgs),
    /// Shows what the parser sees in reports: title, year, issuer, headings, signature, figures.
    Inspect(InspectArgs),
    /// Works with rulebooks: validate, list rules, list the expression functions.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Explains a rule: title, severity, legal basis, help, condition (with the `let`s it uses)
    /// and examples.
    Explain {
        /// The rule's id (`FZ005`) or name (`next-year-arrangements`).
        id: String,
        /// The rulebooks to look in: files or `builtin:NAME` (default: the configured ones,
        /// else the built-in one).
        #[arg(long, value_name = "FILE")]
        rulebook: Vec<String>,
        /// The configuration file (default: reportlint.yaml found from the current directory).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Ignore any configuration file.
        #[arg(long, conflicts_with = "config")]
        isolated: bool,
    },
    /// Prints a shell completion script: `reportlint completions bash > /etc/bash_completion.d/reportlint`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Prints the man page (roff): `reportlint manpage | man -l -`; with `--dir`, writes one page per
    /// command there.
    Manpage {
        /// Write reportlint.1, reportlint-check.1, … into this directory.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// The command line's definition: the one source of help, completions, the man page and the
/// README's option tables.
pub fn command() -> clap::Command {
    Cli::command()
}

/// The whole program: parse arguments, run a subcommand, return the exit status.
pub(crate) fn run<I, T>(
    args: I,
    out: &mut dyn Write,
    err: &mut dyn Write,
    auto: crate::AutoColor,
) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let to_out = matches!(
                e.kind(),
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion
            );
            let text = e.render().to_string();
            let _ = if to_out {
                out.write_all(text.as_bytes())
            } else {
                err.write_all(text.as_bytes())
            };
            return if to_out { EXIT_OK } else { EXIT_ERROR };
        }
    };
    let color = |auto: bool| match cli.color {
        Color::Auto => auto,
        Color::Always => true,
        Color::Never => false,
    };
    // Findings are written to stdout, errors to stderr: each coloured as its own stream allows.
    let diag = output::Diagnostics::new(color(auto.stderr));
    let out_diag = output::Diagnostics::new(color(auto.stdout));
    let result = match cli.command {
        Command::Check(args) => {
            // `-o FILE` is no terminal: coloured only when asked for.
            let out_diag = if args.writes_to_file() {
                output::Diagnostics::new(color(false))
            } else {
                out_diag
            };
            check::check(args, out, err, &out_diag, &diag)
        }
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "reportlint", out);
            Ok(EXIT_OK)
        }
        Command::Manpage { dir: None } => clap_mangen::Man::new(Cli::command())
            .render(out)
            .map(|_| EXIT_OK),
        Command::Manpage { dir: Some(dir) } => {
            clap_mangen::generate_to(Cli::command(), &dir).map(|_| EXIT_OK)
        }
        Command::Audit(args) => audit::audit(args, out, err, &diag),
        Command::Inspect(args) => inspect::inspect(args, out, err, &diag),
        Command::Rules(RulesCommand::Doc { books }) => {
            match books::configured(books.options(), err, &diag) {
                Ok(Some((_, book))) => output::rules::markdown(out, &book).map(|_| EXIT_OK),
                other => other.map(|_| EXIT_ERROR),
            }
        }
        Command::Rules(RulesCommand::Test {
            paths,
            config,
            isolated,
        }) => rules::test(&paths, config, isolated, out, err, &diag),
        Command::Rules(RulesCommand::Init { name }) => rules_init::init(&name, out, err),
        Command::Rules(RulesCommand::Validate { files }) => {
            rules::validate(&files, out, err, &diag)
        }
        Command::Rules(RulesCommand::List { books }) => {
            match books::configured(books.options(), err, &diag) {
                Ok(Some((config, book))) => {
                    output::rules::list(out, &book, |r| config_severity(&config, r))
                        .map(|_| EXIT_OK)
                }
                other => other.map(|_| EXIT_ERROR),
            }
        }
        Command::Rules(RulesCommand::Schema { of }) => out
            .write_all(crate::rulebook::schema::schema_text(of.kind()).as_bytes())
            .map(|_| EXIT_OK),
        Command::Rules(RulesCommand::Functions) => out
            .write_all(crate::expr::catalog::listing().as_bytes())
            .map(|_| EXIT_OK),
        Command::Explain {
            id,
            rulebook,
            config,
            isolated,
        } => {
            let opts = books::BookOptions {
                named: &rulebook,
                config,
                isolated,
            };
            match books::configured(opts, err, &diag) {
                Ok(Some((_, book))) => rules::explain(&book, &id, out, err),
                other => other.map(|_| EXIT_ERROR),
            }
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            match e.get_ref().and_then(|x| x.downcast_ref::<crate::Said>()) {
                Some(said) => {
                    let _ = writeln!(err, "reportlint: {said}");
                }
                // Writing to stdout failed (a closed pipe): nothing more can be said there.
                None if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                None => {
                    let _ = writeln!(err, "reportlint: cannot write output: {e}");
                }
            }
            EXIT_ERROR
        }
    }
}

/// Loads a rulebook, built-in or from a file; on failure its errors are reported and `None`
/// returned.
fn load_rulebook(
    r: &crate::config::RulebookRef,
    err: &mut dyn Write,
    diag: &output::Diagnostics,
) -> std::io::Result<Option<crate::rulebook::Rulebook>> {
    use crate::config::RulebookRef;
    let loaded = match r {
        RulebookRef::File(path) => crate::rulebook::load_file(path),
        RulebookRef::Builtin(name) => match crate::rulebook::load_builtin(name) {
            Some(loaded) => loaded,
            None => {
                writeln!(err, "reportlint: there is no built-in rulebook `{name}`")?;
                return Ok(None);
            }
        },
    };
    match loaded {
        Ok(book) => Ok(Some(book)),
        Err(errors) => {
            for e in &errors {
                diag.emit(err, e)?;
            }
            Ok(None)
        }
    }
}

/// The severity a rule runs at under the configuration's `rules:` (overrides aside): `None`
/// when it is off.
fn config_severity(
    config: &crate::config::Config,
    rule: &crate::rulebook::Rule,
) -> Option<crate::rulebook::Severity> {
    config.setting(std::path::Path::new(""), &rule.id, rule.default_severity())
}

/// The encoding `--encoding` names; an unknown label is reported (`Err`).
fn forced_encoding(
    label: Option<&str>,
    err: &mut dyn Write,
) -> std::io::Result<Result<Option<&'static encoding_rs::Encoding>, ()>> {
    Ok(match label {
        None => Ok(None),
        Some(label) => match input::decode::encoding_for_label(label) {
            Some(enc) => Ok(Some(enc)),
            None => {
                writeln!(
                    err,
                    "reportlint: unknown encoding `{label}`; try utf-8, gb18030, gbk, big5, utf-16le or utf-16be"
                )?;
                Err(())
            }
        },
    })
}

/// A size for `--max-file-size`: bytes, or a number with `K`, `M` or `G` (1024-based; `KiB`,
/// `MB`… are read the same way), from 1 byte to [`input::LARGEST_FILE_SIZE`].
fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(digits);
    let shift = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        _ => {
            return Err(format!(
                "`{s}` is not a size: write bytes or a number with K, M or G (256M, 1G)"
            ));
        }
    };
    let n: u64 = number
        .parse()
        .map_err(|_| format!("`{s}` is not a size: it must start with a number (256M, 1G)"))?;
    let bytes = n.checked_shl(shift).filter(|b| b >> shift == n);
    match bytes {
        Some(0) => Err("the size must be at least 1 byte".to_string()),
        Some(b) if b <= input::LARGEST_FILE_SIZE => Ok(b),
        _ => Err(format!(
            "`{s}` is over the largest size, {} bytes (4G − 1): offsets inside a report are 32-bit",
            input::LARGEST_FILE_SIZE
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes_in_bytes_and_binary_units() {
        assert_eq!(parse_size("1000"), Ok(1000));
        assert_eq!(parse_size("256M"), Ok(256 << 20));
        assert_eq!(parse_size("64k"), Ok(64 << 10));
        assert_eq!(parse_size("1GiB"), Ok(1 << 30));
        assert_eq!(parse_size("3 G"), Ok(3 << 30));
        assert_eq!(parse_size("4294967295"), Ok(u64::from(u32::MAX)));
    }

    #[test]
    fn sizes_that_are_not_allowed_say_why() {
        assert!(parse_size("4G").unwrap_err().contains("32-bit"));
        assert!(parse_size("99999999999999999999").is_err());
        assert!(
            parse_size("18446744073709551615G")
                .unwrap_err()
                .contains("largest")
        );
        assert!(parse_size("0").unwrap_err().contains("at least 1 byte"));
        assert!(parse_size("1T").unwrap_err().contains("K, M or G"));
        assert!(parse_size("M").unwrap_err().contains("start with a number"));
        assert!(parse_size("-1").is_err());
    }
}
