//! `reportlint inspect`: what the parser sees in reports.

use super::forced_encoding;
use crate::input::{self, InputError};
use crate::output;
use crate::{EXIT_ERROR, EXIT_OK};
use clap::ValueEnum;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub(super) struct InspectArgs {
    /// Report files, or directories to search for .txt, .md, .html, .htm, .docx and .pdf
    /// files; `-` reads a report from standard input.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    walk: super::pipeline::WalkArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = InspectFormat::Human)]
    format: InspectFormat,
    /// Decode every file with this encoding instead of detecting it (utf-8, gb18030, big5, utf-16le…).
    #[arg(long, value_name = "ENCODING")]
    encoding: Option<String>,
    /// Largest report to read, in bytes or with K, M or G (1024-based); a larger file is an
    /// error naming the limit.
    #[arg(long, value_name = "SIZE", default_value = "256M", value_parser = super::parse_size)]
    max_file_size: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum InspectFormat {
    Human,
    Json,
}

/// `inspect`: each report printed as soon as it is parsed, then the unreadable ones.
pub(super) fn inspect(
    args: InspectArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
    diag: &output::Diagnostics,
) -> std::io::Result<u8> {
    let Ok(forced) = forced_encoding(args.encoding.as_deref(), err)? else {
        return Ok(EXIT_ERROR);
    };
    let reading = input::ReadOptions {
        encoding: forced,
        max_size: args.max_file_size,
    };
    let collected = input::collect(&args.paths, &args.walk.options(), &|_| true);
    for w in &collected.warnings {
        diag.emit(err, w)?;
    }
    let mut errors: Vec<InputError> = collected.errors;
    // Each report is printed as soon as it is parsed, so memory stays that of one report.
    let mut json = (args.format == InspectFormat::Json).then(output::inspect::JsonStream::default);
    let mut read = 0;
    for (path, format) in &collected.files {
        let loaded = if path.as_os_str() == input::STDIN {
            input::load_stdin(path, *format, reading)
        } else {
            input::load(path, *format, reading)
        };
        match loaded {
            Ok(mut source) => {
                // The report takes the text; the renderers need only the source's name and kind.
                let text = std::mem::take(&mut source.text);
                let report = crate::report::parse(text, &source.heading_hints);
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
