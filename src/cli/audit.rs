//! `reportlint audit`: the check pipeline's results kept as one small row per report, summed per
//! rule and per issuer across years, and written as a table, Markdown, CSV, JSON, XLSX or HTML.

use crate::audit::{self, Audit};
use crate::input::{self, InputError};
use crate::output;
use crate::{EXIT_ERROR, EXIT_OK};
use clap::ValueEnum;
use std::io::{IsTerminal, Seek, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub(super) struct AuditArgs {
    /// Report files, or directories to search for .txt, .md, .html, .htm, .docx and .pdf
    /// files; `-` reads a report from standard input.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    walk: super::pipeline::WalkArgs,
    /// The name of the report read from standard input (`-`): its path in the output and for
    /// the configuration, its format from the extension (default: text).
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<PathBuf>,
    /// Output format (default: from the extension of `-o`, else `table`).
    #[arg(long, value_enum)]
    format: Option<AuditFormat>,
    /// Write to this file instead of standard output (required for xlsx; for csv without
    /// `--sheet`, FILE names the matrix and `FILE` with `-figures` before `.csv` the figures).
    #[arg(
        short = 'o',
        long = "output",
        visible_alias = "output-file",
        value_name = "FILE"
    )]
    output: Option<PathBuf>,
    /// CSV: write only this sheet, to `-o FILE` or standard output.
    #[arg(long, value_enum)]
    sheet: Option<Sheet>,
    /// Language of the headings.
    #[arg(long, value_enum, default_value_t = super::LangArg::Zh)]
    lang: super::LangArg,
    /// No progress bar.
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Rulebooks to use instead of the configured ones: files or `builtin:NAME` (repeatable).
    #[arg(long, value_name = "FILE")]
    rulebook: Vec<PathBuf>,
    /// The configuration file (default: reportlint.yaml or .reportlint.yaml in the current
    /// directory or the nearest parent).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Ignore any configuration file: the built-in rulebook (or `--rulebook`), default settings.
    #[arg(long, conflicts_with = "config")]
    isolated: bool,
    /// Decode every file with this encoding instead of detecting it.
    #[arg(long, value_name = "ENCODING")]
    encoding: Option<String>,
    /// Largest report to read, in bytes or with K, M or G (1024-based); a larger file is an
    /// error naming the limit.
    #[arg(long, value_name = "SIZE", default_value = "256M", value_parser = super::parse_size)]
    max_file_size: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum AuditFormat {
    /// The summary, rule table, figures and years, columns aligned by display width
    Table,
    /// The same as Markdown
    Md,
    /// `-o FILE.csv` writes the matrix and `FILE-figures.csv` the figures; `--sheet` writes one.
    /// UTF-8 with BOM for Excel
    Csv,
    /// Everything, field by field in docs/audit-json.md (schema: docs/audit-json.schema.json)
    Json,
    /// One file without network access: SVG bar charts, the colour-coded matrix, the figures
    /// with their sentences; printable
    Html,
    /// A workbook (needs `-o`): frozen headers, filters, failed cells coloured, numbers as
    /// numbers, rates as percentages
    Xlsx,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Sheet {
    Matrix,
    Figures,
}

impl AuditFormat {
    fn from_extension(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "md" | "markdown" => AuditFormat::Md,
            "csv" => AuditFormat::Csv,
            "json" => AuditFormat::Json,
            "html" | "htm" => AuditFormat::Html,
            "xlsx" => AuditFormat::Xlsx,
            "txt" => AuditFormat::Table,
            _ => return None,
        })
    }
}

/// A progress bar on stderr, shown only once a run has taken a second, only on a terminal.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    started: std::time::Instant,
    shown: std::sync::atomic::AtomicBool,
}

impl Progress {
    fn new(len: usize, enabled: bool) -> Self {
        let bar = enabled.then(|| {
            let bar = indicatif::ProgressBar::with_draw_target(
                Some(len as u64),
                indicatif::ProgressDrawTarget::hidden(),
            );
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {msg} ({eta} left)")
            {
                bar.set_style(style);
            }
            bar
        });
        Progress {
            bar,
            started: std::time::Instant::now(),
            shown: false.into(),
        }
    }

    fn tick(&self) {
        use std::sync::atomic::Ordering;
        let Some(bar) = &self.bar else { return };
        if self.started.elapsed().as_millis() > 1000 && !self.shown.swap(true, Ordering::Relaxed) {
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
        bar.inc(1);
    }

    fn message(&self, msg: &'static str) {
        if let Some(bar) = &self.bar {
            bar.set_message(msg);
        }
    }

    /// A new stage of `len` items, counted from 0.
    fn stage(&self, msg: &'static str, len: usize) {
        if let Some(bar) = &self.bar {
            bar.set_length(len as u64);
            bar.reset();
            bar.set_message(msg);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// `audit`: rows for every report, then the summaries, written in one format.
pub(super) fn audit(
    args: AuditArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
    diag: &output::Diagnostics,
) -> std::io::Result<u8> {
    let format = args
        .format
        .or_else(|| args.output.as_deref().and_then(AuditFormat::from_extension))
        .unwrap_or(AuditFormat::Table);
    if format == AuditFormat::Xlsx && args.output.is_none() {
        writeln!(
            err,
            "reportlint: an XLSX workbook is written to a file: add `-o FILE.xlsx`"
        )?;
        return Ok(EXIT_ERROR);
    }
    if format == AuditFormat::Csv && args.output.is_none() && args.sheet.is_none() {
        writeln!(
            err,
            "reportlint: CSV is two files (the matrix and the figures): add `-o FILE.csv`, or `--sheet matrix` or `--sheet figures` for one"
        )?;
        return Ok(EXIT_ERROR);
    }
    let opts = super::pipeline::Options {
        paths: &args.paths,
        walk: args.walk.options(),
        rulebooks: &args.rulebook,
        config: args.config.clone(),
        isolated: args.isolated,
        trace: None,
        baseline: None,
        record_baseline: false,
        encoding: args.encoding.as_deref(),
        max_file_size: args.max_file_size,
        stdin_filename: args.stdin_filename.clone(),
    };
    let Some(mut setup) = super::pipeline::setup(opts, err, diag)? else {
        return Ok(EXIT_ERROR);
    };
    let mut errors: Vec<InputError> = std::mem::take(&mut setup.errors);
    let progress = Progress::new(
        setup.files.len(),
        !args.quiet && std::io::stderr().is_terminal(),
    );
    progress.message("checking");
    // Pass 1: a row per report; the report (and its text) is dropped as soon as its row is made,
    // and the row goes to the store (a temporary file once it holds a few megabytes).
    let mut rows = audit::store::Rows::new();
    let mut files: Vec<&(PathBuf, input::Format)> = Vec::new();
    let arrangements = setup.arrangements.as_deref();
    let work = |file: &(PathBuf, input::Format)| {
        let (report, result) = setup.evaluate(file)?;
        let row = audit::row(
            &report,
            &result,
            &setup.rules,
            &setup.indicators,
            arrangements,
        );
        progress.tick();
        Ok::<_, InputError>(row)
    };
    let mut next = 0;
    setup.each_chunk(&setup.files, work, |r| {
        match r {
            Ok(row) => {
                rows.push(&row)?;
                files.push(&setup.files[next]);
            }
            Err(e) => errors.push(e),
        }
        next += 1;
        Ok(())
    })?;
    let per_rule = audit::aggregate::per_rule(setup.rules.len(), &rows)?;
    let mut series = audit::crossyear::series(&rows)?;
    // Pass 2: the reports that follow a year with arrangements are read again, one chunk at a
    // time, to see whether they report on those arrangements.
    // Each step whose earlier year names arrangements, with them (read from the store once).
    let mut wanted: Vec<((usize, usize), Vec<audit::Arrangement>)> = Vec::new();
    for (s, ser) in series.iter().enumerate() {
        for (k, step) in ser.steps.iter().enumerate() {
            let arrangements = rows.get(step.from)?.arrangements;
            if !arrangements.is_empty() {
                wanted.push(((s, k), arrangements));
            }
        }
    }
    if !wanted.is_empty() {
        progress.stage("following arrangements", wanted.len());
        let again: Vec<(PathBuf, input::Format)> = wanted
            .iter()
            .map(|&((s, k), _)| files[series[s].steps[k].to].clone())
            .collect();
        let mut followups = Vec::new();
        let read = setup.read;
        setup.each_chunk(
            &again,
            |(path, format)| {
                let source = input::load(path, *format, read)?;
                let report = crate::report::parse(source.text, &source.heading_hints);
                progress.tick();
                Ok(report)
            },
            |r| {
                let (_, arrangements) = &wanted[followups.len()];
                followups.push(match r {
                    Ok(report) => audit::crossyear::follow(arrangements, &report),
                    Err(_) => Vec::new(),
                });
                Ok(())
            },
        )?;
        for (&((s, k), _), f) in wanted.iter().zip(followups) {
            series[s].steps[k].followups = f;
        }
    }
    progress.finish();
    let result = Audit {
        rules: &setup.rules,
        indicators: &setup.indicators,
        rows,
        per_rule,
        series,
        unreadable: errors
            .iter()
            .map(|e| (error_path(e), e.to_string()))
            .collect(),
        lang: args.lang.into(),
    };
    write_output(&result, format, &args, out, err)?;
    for e in &errors {
        diag.emit(err, e)?;
    }
    Ok(if errors.is_empty() {
        EXIT_OK
    } else {
        EXIT_ERROR
    })
}

/// The path an input error is about.
fn error_path(e: &InputError) -> String {
    input::shown(e.path())
}

fn write_output(
    a: &Audit,
    format: AuditFormat,
    args: &AuditArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<()> {
    use output::audit as r;
    // The workbook is made (its sheets spooled to temporary files, then the whole to one more)
    // before the output file is created, so that a failure there leaves an existing file as it
    // was; then it is copied over.
    let no_tmp = |dir: &Path, why: &dyn std::fmt::Display| {
        crate::said(
            std::io::ErrorKind::Other,
            format!(
                "cannot make the workbook: no temporary file in {} ({why}); set TMPDIR to a writable directory",
                dir.display()
            ),
        )
    };
    let workbook = match format {
        AuditFormat::Xlsx => {
            let mut tmp = tempfile::tempfile().map_err(|e| no_tmp(&std::env::temp_dir(), &e))?;
            r::xlsx::render(a, &mut tmp).map_err(|e| match e {
                rust_xlsxwriter::XlsxError::TempFileError(dir, why) => no_tmp(&dir, &why),
                rust_xlsxwriter::XlsxError::IoError(e) => e,
                other => std::io::Error::other(other),
            })?;
            tmp.rewind()?;
            Some(tmp)
        }
        _ => None,
    };
    // Written straight to the file (buffered) or to standard output, never held whole.
    let mut file = match &args.output {
        Some(path) => Some(std::io::BufWriter::new(std::fs::File::create(path)?)),
        None => None,
    };
    let w: &mut dyn Write = match file.as_mut() {
        Some(f) => f,
        None => out,
    };
    match format {
        AuditFormat::Table => r::table::render(w, a)?,
        AuditFormat::Md => r::markdown::render(w, a)?,
        AuditFormat::Json => r::json::render(w, a)?,
        AuditFormat::Html => r::html::render(w, a)?,
        AuditFormat::Xlsx => {
            if let Some(mut book) = workbook {
                std::io::copy(&mut book, w)?;
            }
        }
        AuditFormat::Csv => match args.sheet {
            Some(Sheet::Matrix) => r::csv::matrix(w, a)?,
            Some(Sheet::Figures) => r::csv::figures(w, a)?,
            None => {
                // Two files: FILE (the matrix) and FILE-figures.csv.
                let path = args.output.as_ref().expect("checked above");
                let figures_path = sibling(path, "-figures");
                let mut fig = std::io::BufWriter::new(std::fs::File::create(&figures_path)?);
                r::csv::figures(&mut fig, a)?;
                fig.flush()?;
                writeln!(err, "wrote {}", figures_path.display())?;
                r::csv::matrix(w, a)?;
            }
        },
    }
    w.flush()?;
    if let Some(path) = &args.output {
        writeln!(err, "wrote {}", path.display())?;
    }
    Ok(())
}

/// `a/b.csv` with `-figures` → `a/b-figures.csv`.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let stem = path
        .file_stem()
        .map_or_else(|| "audit".to_string(), |s| s.to_string_lossy().into_owned());
    let ext = path
        .extension()
        .map_or_else(|| "csv".to_string(), |e| e.to_string_lossy().into_owned());
    path.with_file_name(format!("{stem}{suffix}.{ext}"))
}
