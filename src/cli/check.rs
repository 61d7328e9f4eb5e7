//! `reportlint check`: every report against every rule, findings in input order.

use crate::input::{self, InputError};
use crate::output;
use crate::{EXIT_ERROR, EXIT_OK};
use clap::ValueEnum;
use std::io::Write;
use std::path::PathBuf;

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
    /// Rulebooks to use instead of the configured ones: files or `builtin:NAME` (repeatable).
    #[arg(long, value_name = "FILE")]
    rulebook: Vec<PathBuf>,
    /// The configuration file (default: reportlint.yaml or .reportlint.yaml in the current
    /// directory or the nearest parent).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Show how rule RULE (an id) decided on each report: every sub-expression of its condition
    /// with its value and the report text it came from (and a `trace` field in JSON).
    #[arg(long, value_name = "RULE")]
    trace: Option<String>,
    /// Fail only on failures this baseline (written with `--write-baseline`) does not record;
    /// say how many it does.
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    baseline: Option<PathBuf>,
    /// Record the run's failures in FILE (by rule, report and a fingerprint of the evidence
    /// that survives moved lines), for `--baseline`; the run then does not fail on them.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Ignore any configuration file: the built-in rulebook (or `--rulebook`), default settings.
    #[arg(long, conflicts_with = "config")]
    isolated: bool,
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
    let started = std::time::Instant::now();
    let opts = super::pipeline::Options {
        paths: &args.paths,
        rulebooks: &args.rulebook,
        config: args.config.clone(),
        isolated: args.isolated,
        trace: args.trace.as_deref(),
        baseline: args.baseline.as_deref(),
        record_baseline: args.write_baseline.is_some(),
        encoding: args.encoding.as_deref(),
    };
    let Some(mut setup) = super::pipeline::setup(opts, err, diag)? else {
        return Ok(EXIT_ERROR);
    };
    let mut errors: Vec<InputError> = std::mem::take(&mut setup.errors);
    let human = args.format == CheckFormat::Human;
    let threshold = args.fail_on.threshold();
    let mut failing = false;
    let mut summary = Summary::default();
    // Only the document formats (JSON, SARIF, JUnit) need every result at the end.
    let mut results = Vec::new();
    // A report is parsed, checked and (for people) rendered in one step, in parallel; its text
    // does not outlive the step.
    let check_one = |file: &(PathBuf, input::Format)| {
        let (report, result) = setup.evaluate(file)?;
        let mut shown = Vec::new();
        if human {
            // Writing to memory cannot fail.
            let _ = output::human::report(&mut shown, diag, &result, &report.original);
            let _ = output::trace::human(&mut shown, &result);
        }
        Ok::<_, InputError>((result, shown))
    };
    // In chunks: parallel within a chunk, printed in input order after it, so that memory holds
    // one chunk's output, not the whole run's.
    setup.each_chunk(&setup.files, check_one, |c| {
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
        Ok(())
    })?;
    summary.unreadable = errors.len();
    summary.baselined = setup.baselined();
    if let Some(path) = &args.write_baseline {
        match setup.write_baseline(path) {
            Ok(n) => writeln!(err, "wrote {n} failures to the baseline {}", path.display())?,
            Err(e) => {
                writeln!(
                    err,
                    "reportlint: cannot write baseline {}: {e}",
                    path.display()
                )?;
                return Ok(EXIT_ERROR);
            }
        }
        // The baseline accepts what it records.
        failing = false;
    }
    for w in setup.unused_waivers() {
        diag.emit(err, &w)?;
    }
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
