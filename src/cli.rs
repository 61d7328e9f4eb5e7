//! The command line: parses arguments (clap), validates them, and drives the stages.
//!
//! Every subcommand reads its inputs, reports unreadable ones as diagnostics on stderr, goes on with
//! the others, and returns exit status 2 at the end if anything could not be read.

use crate::input::{self, InputError};
use crate::output;
use crate::{EXIT_ERROR, EXIT_OK};
use clap::{Parser, Subcommand, ValueEnum};
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
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = Color::Auto, global = true)]
    color: Color,
    #[command(subcommand)]
    command: Command,
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
    /// Shows what the parser sees in reports: title, year, issuer, headings, signature, figures.
    Inspect(InspectArgs),
    /// Works with rulebooks: validate, list rules, list the expression functions.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Explains a rule: title, severity, legal basis, help, condition and examples.
    Explain {
        /// The rule's id (`FZ005`) or name (`next-year-arrangements`).
        id: String,
        /// The rulebook to look in (default: the built-in one).
        #[arg(long, value_name = "FILE")]
        rulebook: Option<PathBuf>,
    },
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// Report files, or directories to search for .txt, .md, .html, .htm and .docx files.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    format: CheckFormat,
    /// The lowest severity of a failed rule that makes the run fail (exit status 1).
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// Rulebook files to use instead of the configured ones (repeatable).
    #[arg(long, value_name = "FILE")]
    rulebook: Vec<PathBuf>,
    /// The configuration file (default: reportlint.yaml or .reportlint.yaml in the current
    /// directory or the nearest parent).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Decode every file with this encoding instead of detecting it.
    #[arg(long, value_name = "ENCODING")]
    encoding: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CheckFormat {
    Human,
    Json,
    Jsonl,
    Sarif,
    Junit,
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    fn threshold(self) -> Option<crate::rulebook::Severity> {
        use crate::rulebook::Severity;
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

#[derive(Debug, Subcommand)]
enum RulesCommand {
    /// Checks rulebooks and reports every error in every file.
    Validate {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Lists the rules of a rulebook (default: the built-in one).
    List {
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// Lists the functions and members of the expression language.
    Functions,
    /// Prints the rule reference in Markdown (docs/rules/fzzf-annual.md is its output).
    Doc {
        /// The rulebook (default: the built-in one).
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// Runs every rule's `examples`: each `pass` example must pass and each `fail` one fail.
    Test {
        /// The rulebook (default: the built-in one).
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
    },
}

#[derive(Debug, clap::Args)]
struct InspectArgs {
    /// Report files, or directories to search for .txt, .md, .html, .htm and .docx files.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = InspectFormat::Human)]
    format: InspectFormat,
    /// Decode every file with this encoding instead of detecting it (utf-8, gb18030, big5, utf-16le…).
    #[arg(long, value_name = "ENCODING")]
    encoding: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum InspectFormat {
    Human,
    Json,
}

pub(crate) fn run<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write, tty_color: bool) -> u8
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
    let color = match cli.color {
        Color::Auto => tty_color,
        Color::Always => true,
        Color::Never => false,
    };
    let diag = output::Diagnostics::new(color);
    let result = match cli.command {
        Command::Check(args) => check(args, out, err, &diag),
        Command::Inspect(args) => inspect(args, out, err, &diag),
        Command::Rules(RulesCommand::Doc { file }) => {
            match load_rulebook(file.as_deref(), err, &diag) {
                Ok(Some(book)) => output::rules::markdown(out, &book).map(|_| EXIT_OK),
                other => other.map(|_| EXIT_ERROR),
            }
        }
        Command::Rules(RulesCommand::Test { file }) => {
            match load_rulebook(file.as_deref(), err, &diag) {
                Ok(Some(book)) => rules_test(&book, out),
                other => other.map(|_| EXIT_ERROR),
            }
        }
        Command::Rules(RulesCommand::Validate { files }) => validate(&files, out, err, &diag),
        Command::Rules(RulesCommand::List { file }) => {
            match load_rulebook(file.as_deref(), err, &diag) {
                Ok(Some(book)) => output::rules::list(out, &book).map(|_| EXIT_OK),
                other => other.map(|_| EXIT_ERROR),
            }
        }
        Command::Rules(RulesCommand::Functions) => out
            .write_all(crate::expr::library::functions_table().as_bytes())
            .map(|_| EXIT_OK),
        Command::Explain { id, rulebook } => match load_rulebook(rulebook.as_deref(), err, &diag) {
            Ok(Some(book)) => explain(&book, &id, out, err),
            other => other.map(|_| EXIT_ERROR),
        },
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            // Writing to stdout failed (a closed pipe): nothing more can be said there.
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                let _ = writeln!(err, "reportlint: cannot write output: {e}");
            }
            EXIT_ERROR
        }
    }
}

/// `rules validate`: every error of every file.
fn validate(
    files: &[PathBuf],
    out: &mut dyn Write,
    err: &mut dyn Write,
    diag: &output::Diagnostics,
) -> std::io::Result<u8> {
    let mut bad = 0;
    for f in files {
        match crate::rulebook::load_file(f) {
            Ok(book) => writeln!(out, "{}: ok, {} rules", f.display(), book.rules.len())?,
            Err(errors) => {
                bad += 1;
                for e in &errors {
                    diag.emit(err, e)?;
                }
                writeln!(
                    err,
                    "{}: {} error{}",
                    f.display(),
                    errors.len(),
                    if errors.len() == 1 { "" } else { "s" }
                )?;
            }
        }
    }
    Ok(if bad == 0 { EXIT_OK } else { EXIT_ERROR })
}

/// Loads the named rulebook, or the built-in one; on failure its errors are reported and
/// `None` returned.
fn load_rulebook(
    file: Option<&std::path::Path>,
    err: &mut dyn Write,
    diag: &output::Diagnostics,
) -> std::io::Result<Option<crate::rulebook::Rulebook>> {
    let loaded = match file {
        Some(path) => crate::rulebook::load_file(path),
        None => match crate::rulebook::BUILTIN.first() {
            Some((name, _)) => crate::rulebook::load_builtin(name).expect("listed"),
            None => {
                writeln!(
                    err,
                    "reportlint: there is no built-in rulebook yet; name a rulebook file"
                )?;
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

/// `explain ID`: the rule by id or name, or a suggestion.
fn explain(
    book: &crate::rulebook::Rulebook,
    id: &str,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    if let Some(rule) = book.rules.iter().find(|r| r.id == id || r.name == id) {
        output::rules::explain(out, rule, book)?;
        return Ok(EXIT_OK);
    }
    let names = book
        .rules
        .iter()
        .flat_map(|r| [r.id.as_str(), r.name.as_str()]);
    let hint = crate::expr::suggest::suggest(id, names)
        .map_or_else(String::new, |s| format!("; did you mean `{s}`?"));
    writeln!(
        err,
        "reportlint: no rule `{id}` in rulebook `{}`{hint}",
        book.id
    )?;
    Ok(EXIT_ERROR)
}

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

/// `check`: every report against every rule; findings in input order whatever the parallelism.
fn check(
    args: CheckArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
    diag: &output::Diagnostics,
) -> std::io::Result<u8> {
    use crate::check::finding::{ReportResult, Status, Summary};
    use rayon::prelude::*;
    let started = std::time::Instant::now();
    let Ok(forced) = forced_encoding(args.encoding.as_deref(), err)? else {
        return Ok(EXIT_ERROR);
    };
    let config = match args.config.clone().or_else(|| {
        std::env::current_dir()
            .ok()
            .and_then(|d| crate::config::Config::discover(&d))
    }) {
        None => crate::config::Config::default(),
        Some(path) => match crate::config::Config::load(&path) {
            Ok(c) => c,
            Err(errors) => {
                for e in &errors {
                    diag.emit(err, e)?;
                }
                return Ok(EXIT_ERROR);
            }
        },
    };
    // Rulebooks: named on the command line, else those of the configuration.
    let mut books = Vec::new();
    let mut broken = false;
    let refs: Vec<crate::config::RulebookRef> = if args.rulebook.is_empty() {
        config.rulebooks.clone()
    } else {
        args.rulebook
            .iter()
            .cloned()
            .map(crate::config::RulebookRef::File)
            .collect()
    };
    for r in &refs {
        let loaded = match r {
            crate::config::RulebookRef::File(p) => crate::rulebook::load_file(p),
            crate::config::RulebookRef::Builtin(name) => {
                match crate::rulebook::load_builtin(name) {
                    Some(l) => l,
                    None => {
                        writeln!(err, "reportlint: there is no built-in rulebook `{name}`")?;
                        broken = true;
                        continue;
                    }
                }
            }
        };
        match loaded {
            Ok(book) => books.push(book),
            Err(errors) => {
                for e in &errors {
                    diag.emit(err, e)?;
                }
                broken = true;
            }
        }
    }
    if broken {
        return Ok(EXIT_ERROR);
    }
    let mut rules: Vec<crate::rulebook::Rule> = Vec::new();
    for book in books {
        for rule in book.rules {
            match rules.iter().position(|r| r.id == rule.id) {
                Some(i) => rules[i] = rule,
                None => rules.push(rule),
            }
        }
    }
    // Rule ids the configuration names must exist.
    let known: Vec<&str> = rules.iter().map(|r| r.id.as_str()).collect();
    let unknown: Vec<_> = config
        .named_rules()
        .into_iter()
        .filter(|(id, _)| !known.contains(&id.as_str()))
        .collect();
    for (id, span) in &unknown {
        diag.emit(
            err,
            &crate::config::unknown_rule_error(&config, id, span.clone(), &known),
        )?;
    }
    if !unknown.is_empty() {
        return Ok(EXIT_ERROR);
    }

    let mut collected = input::collect(&args.paths);
    // Files named on the command line are always checked; files found in directories go
    // through the configuration's include and exclude globs.
    collected
        .files
        .retain(|(path, _)| args.paths.contains(path) || config.includes(path));
    let mut errors: Vec<InputError> = collected.errors;
    let human = args.format == CheckFormat::Human;
    // Reports are parsed, checked and (for people) rendered in parallel; results come back in
    // input order, and no report's text outlives its own step.
    let checked: Vec<Result<(ReportResult, Vec<u8>), InputError>> = collected
        .files
        .par_iter()
        .map(|(path, format)| {
            let source = input::load(path, *format, forced)?;
            let report = crate::report::parse(source.text, &source.heading_hints);
            let result =
                crate::check::check_report(&path.display().to_string(), &report, &rules, |r| {
                    config.setting(path, &r.id, r.severity)
                });
            let mut shown = Vec::new();
            if human {
                // Writing to memory cannot fail.
                let _ = output::human::report(&mut shown, diag, &result, &report.original);
            }
            Ok((result, shown))
        })
        .collect();
    let mut summary = Summary::default();
    let mut results = Vec::new();
    for c in checked {
        match c {
            Ok((result, shown)) => {
                out.write_all(&shown)?;
                summary.add(&result);
                results.push(result);
            }
            Err(e) => errors.push(e),
        }
    }
    summary.unreadable = errors.len();
    summary.elapsed_ms = started.elapsed().as_millis();
    match args.format {
        CheckFormat::Human => {
            for e in &errors {
                diag.emit(err, e)?;
            }
            output::human::summary(out, &summary)?;
        }
        CheckFormat::Json => output::json::render(out, &results, &summary)?,
        CheckFormat::Jsonl => output::jsonl::render(out, &results, &summary)?,
        CheckFormat::Sarif => output::sarif::render(out, &results, &summary)?,
        CheckFormat::Junit => output::junit::render(out, &results, &summary)?,
        CheckFormat::Github => output::github::render(out, &results, &summary)?,
    }
    if args.format != CheckFormat::Human {
        for e in &errors {
            diag.emit(err, e)?;
        }
    }
    if !errors.is_empty() {
        return Ok(EXIT_ERROR);
    }
    let failing = args.fail_on.threshold().is_some_and(|t| {
        results
            .iter()
            .flat_map(|r| &r.findings)
            .any(|f| f.status == Status::Fail && f.severity >= t)
    });
    Ok(if failing {
        crate::EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

/// `rules test`: runs each rule's examples as small reports.
fn rules_test(book: &crate::rulebook::Rulebook, out: &mut dyn Write) -> std::io::Result<u8> {
    use crate::check::finding::Status;
    let mut failed = 0;
    let mut ran = 0;
    for rule in &book.rules {
        for (expect, examples) in [
            (Status::Pass, &rule.examples_pass),
            (Status::Fail, &rule.examples_fail),
        ] {
            for (i, text) in examples.iter().enumerate() {
                ran += 1;
                let report = crate::report::parse(text.clone(), &[]);
                let ctx = crate::expr::library::Ctx::new(&report);
                let got = crate::check::overall(&crate::check::findings(
                    rule,
                    rule.severity,
                    &report,
                    &ctx,
                ));
                let kind = if expect == Status::Pass {
                    "pass"
                } else {
                    "fail"
                };
                if got == expect {
                    writeln!(out, "ok      {} example {kind} {}", rule.id, i + 1)?;
                } else {
                    failed += 1;
                    writeln!(
                        out,
                        "FAILED  {} example {kind} {}: the rule gave {got:?}",
                        rule.id,
                        i + 1
                    )?;
                }
            }
        }
    }
    writeln!(out, "{} passed, {failed} failed", ran - failed)?;
    Ok(if failed == 0 {
        EXIT_OK
    } else {
        crate::EXIT_FINDINGS
    })
}

fn inspect(
    args: InspectArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
    diag: &output::Diagnostics,
) -> std::io::Result<u8> {
    let Ok(forced) = forced_encoding(args.encoding.as_deref(), err)? else {
        return Ok(EXIT_ERROR);
    };
    let collected = input::collect(&args.paths);
    let mut errors: Vec<InputError> = collected.errors;
    // Each report is printed as soon as it is parsed, so memory stays that of one report.
    let mut json = (args.format == InspectFormat::Json).then(output::inspect::JsonStream::default);
    let mut read = 0;
    for (path, format) in &collected.files {
        match input::load(path, *format, forced) {
            Ok(source) => {
                let report = crate::report::parse(source.text.clone(), &source.heading_hints);
                match json.as_mut() {
                    Some(j) => j.report(out, &source, &report)?,
                    None => {
                        if read > 0 {
                            writeln!(out)?;
                        }
                        output::inspect::human(out, &source, &report)?;
                    }
                }
                read += 1;
            }
            Err(e) => errors.push(e),
        }
    }
    if let Some(j) = json {
        j.finish(out, &errors)?;
    }
    for e in &errors {
        diag.emit(err, e)?;
    }
    if collected.skipped > 0 || !errors.is_empty() {
        writeln!(
            err,
            "{} report{} read, {} unreadable, {} other file{} skipped",
            read,
            if read == 1 { "" } else { "s" },
            errors.len(),
            collected.skipped,
            if collected.skipped == 1 { "" } else { "s" },
        )?;
    }
    Ok(if errors.is_empty() {
        EXIT_OK
    } else {
        EXIT_ERROR
    })
}
