//! `reportlint check`: every report against every rule, findings in input order.

use crate::check::finding::{ReportResult, Status, Summary};
use crate::input::{self, InputError};
use crate::output;
use crate::rulebook::Severity;
use crate::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use clap::ValueEnum;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub(super) struct CheckArgs {
    /// Report files, or directories to search for .txt, .md, .html, .htm, .docx and .pdf
    /// files; `-` reads a report from standard input.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    walk: super::pipeline::WalkArgs,
    /// Apply the configuration's include and exclude globs to files named on the command line
    /// too (for hooks that name every changed file, like pre-commit).
    #[arg(long)]
    force_exclude: bool,
    /// The name of the report read from standard input (`-`): its path in the output and for
    /// the configuration, its format from the extension (default: text).
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    format: CheckFormat,
    /// Write the output to FILE instead of standard output (uncoloured unless `--color always`).
    #[arg(short = 'o', long, visible_alias = "output", value_name = "FILE")]
    output_file: Option<PathBuf>,
    /// Findings only: no summary line (human, concise and github formats).
    #[arg(short, long)]
    quiet: bool,
    /// Instead of each finding, one line per rule: how often it failed (or was undecided), its
    /// id and name (human and concise formats).
    #[arg(long)]
    statistics: bool,
    /// Run only these rules: ids, names, id prefixes (`FZ01`) or ALL; comma-separated or
    /// repeated. On top of the configuration.
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    select: Vec<String>,
    /// Do not run these rules (ids, names, id prefixes); comma-separated or repeated.
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    ignore: Vec<String>,
    /// Show (and count) only findings of this severity or higher.
    #[arg(long, value_enum, default_value_t = MinSeverity::Info)]
    min_severity: MinSeverity,
    /// The lowest severity of a failed rule that makes the run fail (exit status 1).
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// Also fail (exit status 1) when a rule could not be decided on a report.
    #[arg(long)]
    fail_on_unknown: bool,
    /// Threads for walking and checking (default: one per core).
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
    /// List the files that would be checked, one per line, and stop.
    #[arg(long, conflicts_with = "show_settings")]
    show_files: bool,
    /// Show the configuration, rulebooks and rules in force, and stop.
    #[arg(long)]
    show_settings: bool,
    /// Language of the human output's fixed words: labels, headings, the summary.
    #[arg(long, value_enum, default_value_t = super::LangArg::Zh)]
    lang: super::LangArg,
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
    /// Findings shown per report in human output; a line counts the rest (0: no limit).
    #[arg(long, value_name = "N", default_value_t = 100)]
    max_findings: usize,
    /// Largest report to read, in bytes or with K, M or G (1024-based); a larger file is an
    /// error naming the limit.
    #[arg(long, value_name = "SIZE", default_value = "256M", value_parser = super::parse_size)]
    max_file_size: u64,
}

impl CheckArgs {
    /// Whether the output goes to a file (`-o`), which `--color auto` never colours.
    pub(super) fn writes_to_file(&self) -> bool {
        self.output_file.is_some()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CheckFormat {
    /// Diagnostics for people, with the report's text
    Human,
    /// One line per finding: `path:line:col: FZ003 [warning] message`
    Concise,
    /// One document: reports, findings (`rule`, `severity`, `outcome`, `message`, span,
    /// evidence), unreadable inputs, summary; see docs/check-json.md
    Json,
    /// JSON Lines: one finding per line, then the summary
    Jsonl,
    /// SARIF 2.1.0 for code scanning: fingerprints, rule links, unreadable inputs as
    /// notifications
    Sarif,
    /// JUnit XML: a test case per report × rule, an error case per unreadable input
    Junit,
    /// GitHub Actions workflow commands: `::error file=…,line=…,col=…::…`
    Github,
    /// GitLab code-quality report (`artifacts:reports:codequality`)
    Gitlab,
}

/// The document being written, for the formats that are one document (every one of them is
/// written a report at a time; JUnit spools its suites until the totals are known).
fn begin_document(
    format: CheckFormat,
    out: &mut dyn Write,
) -> std::io::Result<Option<Box<dyn output::DocumentStream>>> {
    Ok(Some(match format {
        CheckFormat::Json => Box::new(output::json::Stream::begin(out)?),
        CheckFormat::Sarif => Box::new(output::sarif::Stream::begin(out)?),
        CheckFormat::Junit => Box::new(output::junit::Stream::begin()?),
        CheckFormat::Gitlab => Box::new(output::gitlab::Stream::begin(out)?),
        _ => return Ok(None),
    }))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum MinSeverity {
    Error,
    Warning,
    Info,
}

impl MinSeverity {
    fn severity(self) -> Severity {
        match self {
            MinSeverity::Error => Severity::Error,
            MinSeverity::Warning => Severity::Warning,
            MinSeverity::Info => Severity::Info,
        }
    }
}

/// `check`: every report against every rule; findings in input order whatever the parallelism.
pub(super) fn check(
    args: CheckArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
    out_diag: &output::Diagnostics,
    diag: &output::Diagnostics,
) -> std::io::Result<u8> {
    let started = std::time::Instant::now();
    if args.statistics && !matches!(args.format, CheckFormat::Human | CheckFormat::Concise) {
        writeln!(
            err,
            "reportlint: --statistics prints a table for people: use it with --format human or concise"
        )?;
        return Ok(EXIT_ERROR);
    }
    let opts = super::pipeline::Options {
        paths: &args.paths,
        walk: input::WalkOptions {
            force_exclude: args.force_exclude,
            threads: args.threads.map_or(0, usize::from),
            ..args.walk.options()
        },
        rulebooks: &args.rulebook,
        config: args.config.clone(),
        isolated: args.isolated,
        trace: args.trace.as_deref(),
        baseline: args.baseline.as_deref(),
        record_baseline: args.write_baseline.is_some(),
        encoding: args.encoding.as_deref(),
        max_file_size: args.max_file_size,
        stdin_filename: args.stdin_filename.clone(),
    };
    let Some(mut setup) = super::pipeline::setup(opts, err, diag)? else {
        return Ok(EXIT_ERROR);
    };
    if let Err(message) = super::select::apply(&mut setup.rules, &args.select, &args.ignore) {
        writeln!(err, "reportlint: {message}")?;
        return Ok(EXIT_ERROR);
    }
    if args.show_settings {
        show_settings(&args, &setup, out)?;
        return Ok(EXIT_OK);
    }
    let mut errors: Vec<InputError> = std::mem::take(&mut setup.errors);
    if args.show_files {
        for (path, _) in &setup.files {
            writeln!(out, "{}", input::shown(path))?;
        }
        for e in &errors {
            diag.emit(err, e)?;
        }
        return Ok(if errors.is_empty() {
            EXIT_OK
        } else {
            EXIT_ERROR
        });
    }
    // `-o FILE`: written through a buffer, created once everything else is known to be right.
    let mut file = match &args.output_file {
        None => None,
        Some(path) => match std::fs::File::create(path) {
            Ok(f) => Some(std::io::BufWriter::new(f)),
            Err(e) => {
                writeln!(err, "reportlint: cannot write {}: {e}", input::shown(path))?;
                return Ok(EXIT_ERROR);
            }
        },
    };
    let out: &mut dyn Write = match file.as_mut() {
        Some(f) => f,
        None => out,
    };
    let human = args.format == CheckFormat::Human && !args.statistics;
    let min = args.min_severity.severity();
    let threshold = args.fail_on.threshold();
    let mut failing = false;
    let mut summary = Summary::default();
    let mut statistics = output::statistics::Statistics::default();
    // Every format is written a report at a time, documents included.
    let mut document = match begin_document(args.format, out) {
        Ok(d) => d,
        Err(e) => {
            writeln!(err, "reportlint: {e}")?;
            return Ok(EXIT_ERROR);
        }
    };
    // A report is parsed, checked and, in the formats that print each report on its own,
    // rendered in one step, in parallel; its text does not outlive the step.
    let check_one = |file: &(PathBuf, input::Format)| {
        let (report, mut result) = setup.evaluate(file)?;
        // What is below --min-severity is neither shown nor counted.
        result.findings.retain(|f| f.severity >= min);
        let mut shown = Vec::new();
        if human {
            // Writing to memory cannot fail.
            let _ = output::human::report(
                &mut shown,
                out_diag,
                &result,
                &report.original,
                args.lang.into(),
                args.max_findings,
            );
            let _ = output::trace::human(&mut shown, &result);
        } else if !args.statistics {
            let _ = match args.format {
                CheckFormat::Concise => output::concise::report(&mut shown, &result),
                CheckFormat::Jsonl => output::jsonl::report(&mut shown, &result),
                CheckFormat::Github => output::github::report(&mut shown, &result),
                CheckFormat::Json => output::json::fragment(&result).map(|bytes| shown = bytes),
                CheckFormat::Sarif => output::sarif::fragment(&result).map(|bytes| shown = bytes),
                _ => Ok(()),
            };
        }
        Ok::<_, InputError>((result, shown))
    };
    // In chunks: parallel within a chunk, printed in input order while the next chunk is
    // checked, so that memory holds two chunks' output, not the whole run's.
    setup.each_chunk(&setup.files, check_one, |c| {
        match c {
            Ok((result, shown)) => {
                if args.statistics {
                    statistics.add(&result);
                } else {
                    match &mut document {
                        Some(d) => d.rendered(out, &result, &shown)?,
                        // Rendered by the worker.
                        None => out.write_all(&shown)?,
                    }
                }
                summary.add(&result);
                failing |= fails(&result, threshold, args.fail_on_unknown);
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
    if args.statistics {
        let lang: crate::audit::Lang = args.lang.into();
        statistics.write(out, lang.pick("待定", "unknown"))?;
    }
    // Every format shows the inputs that could not be read, not only the exit status.
    let unreadable: Vec<output::Unreadable> = errors.iter().map(Into::into).collect();
    match args.format {
        CheckFormat::Human | CheckFormat::Concise => {
            for e in &errors {
                diag.emit(err, e)?;
            }
            if !args.quiet {
                output::human::summary(out, &summary, args.lang.into())?;
            }
        }
        CheckFormat::Json | CheckFormat::Sarif | CheckFormat::Junit | CheckFormat::Gitlab => {
            if let Some(d) = document {
                d.end(out, &summary, &unreadable)?;
            }
        }
        CheckFormat::Jsonl => {
            output::jsonl::errors(out, &unreadable)?;
            output::jsonl::summary_line(out, &summary)?;
        }
        CheckFormat::Github => {
            output::github::unreadable(out, &unreadable)?;
            if !args.quiet {
                output::github::summary(out, &summary)?;
            }
        }
    }
    out.flush()?;
    if !matches!(args.format, CheckFormat::Human | CheckFormat::Concise) {
        for e in &errors {
            diag.emit(err, e)?;
        }
    }
    if summary.reports == 0 && errors.is_empty() && setup.excluded > 0 {
        // A hook named only files the configuration excludes: nothing to do, and that is fine.
        if !args.quiet {
            writeln!(
                err,
                "reportlint: nothing to check: the configuration excludes every file named (--force-exclude)"
            )?;
        }
        return Ok(EXIT_OK);
    }
    if summary.reports == 0 {
        // Never a silent success: a run that looked at nothing says why and fails.
        writeln!(
            err,
            "reportlint: nothing was checked: {}",
            match errors.len() {
                0 => "no report was found".to_string(),
                1 => "the input could not be read (above)".to_string(),
                n => format!("none of the {n} inputs could be read (above)"),
            }
        )?;
        return Ok(EXIT_ERROR);
    }
    Ok(if !errors.is_empty() {
        EXIT_ERROR
    } else if failing {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

/// Whether a report's findings fail the run.
fn fails(result: &ReportResult, threshold: Option<Severity>, on_unknown: bool) -> bool {
    result.findings.iter().any(|f| match f.status {
        Status::Fail => threshold.is_some_and(|t| f.severity >= t),
        Status::Unknown => on_unknown,
        _ => false,
    })
}

/// `--show-settings`: what the configuration, the rulebooks and the options select.
fn show_settings(
    args: &CheckArgs,
    setup: &super::pipeline::Setup,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let c = &setup.config;
    let list = |v: &[String]| {
        if v.is_empty() {
            "(none)".to_string()
        } else {
            v.join(", ")
        }
    };
    match &c.path {
        Some(p) => writeln!(out, "configuration: {}", input::shown(p))?,
        None => writeln!(out, "configuration: (none: the defaults)")?,
    }
    let books: Vec<String> = setup.rulebooks.iter().map(ToString::to_string).collect();
    writeln!(out, "rulebooks: {}", list(&books))?;
    writeln!(out, "include: {}", list(&c.include))?;
    writeln!(out, "exclude: {}", list(&c.exclude))?;
    writeln!(
        out,
        "walk: {}; {}",
        if args.walk.no_ignore {
            "ignored files read (--no-ignore)"
        } else {
            ".gitignore, .ignore, node_modules and repository documents left out"
        },
        if args.walk.hidden {
            "hidden files read (--hidden)"
        } else {
            "hidden files left out"
        }
    )?;
    writeln!(
        out,
        "fail-on: {}{}; min-severity: {}",
        args.fail_on
            .to_possible_value()
            .map_or_else(String::new, |v| v.get_name().to_string()),
        if args.fail_on_unknown {
            " and unknowns"
        } else {
            ""
        },
        args.min_severity
            .to_possible_value()
            .map_or_else(String::new, |v| v.get_name().to_string()),
    )?;
    writeln!(
        out,
        "rules ({} run; severity from the rulebook and `rules:`, before per-path overrides):",
        setup.rules.len()
    )?;
    let width = setup
        .rules
        .iter()
        .map(|r| r.name.chars().count())
        .max()
        .unwrap_or(0);
    for r in &setup.rules {
        // The severity for a path no override names.
        let severity = super::config_severity(c, r).map_or("off", Severity::name);
        writeln!(out, "  {}  {:width$}  {severity}", r.id, r.name)?;
    }
    Ok(())
}
