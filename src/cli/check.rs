//! `reportlint check`: every report against every rule, findings in input order.

use super::{forced_encoding, load_rulebook};
use crate::input::{self, InputError};
use crate::output;
use crate::{EXIT_ERROR, EXIT_OK};
use clap::ValueEnum;
use std::io::Write;
use std::path::PathBuf;

/// Reports checked in parallel before their output is written.
const CHUNK: usize = 256;

#[derive(Debug, clap::Args)]
pub(super) struct CheckArgs {
    /// Report files, or directories to search for .txt, .md, .html, .htm, .docx and .pdf files.
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

/// `check`: every report against every rule; findings in input order whatever the parallelism.
pub(super) fn check(
    args: CheckArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
    diag: &output::Diagnostics,
) -> std::io::Result<u8> {
    use crate::check::finding::{Status, Summary};
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
        match load_rulebook(r, err, diag)? {
            Some(book) => books.push(book),
            None => broken = true,
        }
    }
    if broken {
        return Ok(EXIT_ERROR);
    }
    let mut rules: Vec<crate::rulebook::Rule> = Vec::new();
    for rule in books.into_iter().flat_map(|b| b.rules) {
        crate::rulebook::add_rule(&mut rules, rule);
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
    let threshold = args.fail_on.threshold();
    let mut failing = false;
    let mut summary = Summary::default();
    // Only the document formats (JSON, SARIF, JUnit) need every result at the end.
    let mut results = Vec::new();
    // A report is parsed, checked and (for people) rendered in one step, in parallel; its text
    // does not outlive the step.
    let check_one = |(path, format): &(PathBuf, input::Format)| {
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
        Ok::<_, InputError>((result, shown))
    };
    // In chunks: parallel within a chunk, printed in input order after it, so that memory holds
    // one chunk's output, not the whole run's.
    for chunk in collected.files.chunks(CHUNK) {
        let checked: Vec<_> = chunk.par_iter().map(check_one).collect();
        for c in checked {
            match c {
                Ok((result, shown)) => {
                    // Line formats are written as they come; documents need every result.
                    match args.format {
                        CheckFormat::Human => out.write_all(&shown)?,
                        CheckFormat::Jsonl => output::jsonl::report(out, &result)?,
                        CheckFormat::Github => output::github::report(out, &result)?,
                        _ => {}
                    }
                    summary.add(&result);
                    failing |= threshold.is_some_and(|t| {
                        result
                            .findings
                            .iter()
                            .any(|f| f.status == Status::Fail && f.severity >= t)
                    });
                    if matches!(
                        args.format,
                        CheckFormat::Json | CheckFormat::Sarif | CheckFormat::Junit
                    ) {
                        results.push(result);
                    }
                }
                Err(e) => errors.push(e),
            }
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
        CheckFormat::Jsonl => output::jsonl::summary_line(out, &summary)?,
        CheckFormat::Sarif => output::sarif::render(out, &results, &summary)?,
        CheckFormat::Junit => output::junit::render(out, &results, &summary)?,
        CheckFormat::Github => output::github::summary(out, &summary)?,
    }
    if args.format != CheckFormat::Human {
        for e in &errors {
            diag.emit(err, e)?;
        }
    }
    if !errors.is_empty() {
        return Ok(EXIT_ERROR);
    }
    Ok(if failing {
        crate::EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}
