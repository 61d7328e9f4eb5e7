//! The pipeline `check` and `audit` share: configuration, rulebooks, the files to read, and the
//! parallel, chunked evaluation that parses and checks each report and drops its text after.

use super::forced_encoding;
use crate::check::finding::ReportResult;
use crate::config::Config;
use crate::input::{self, InputError};
use crate::output;
use crate::report::Report;
use crate::rulebook::{Indicator, Rule};
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

/// Reports evaluated in parallel before their results are handed on, in input order.
pub(super) const CHUNK: usize = 256;

/// What the shared options say.
pub(super) struct Options<'a> {
    pub paths: &'a [PathBuf],
    pub rulebooks: &'a [PathBuf],
    pub config: Option<PathBuf>,
    /// Ignore any configuration file (`--isolated`).
    pub isolated: bool,
    /// The rule whose findings carry a trace (`--trace RULE`).
    pub trace: Option<&'a str>,
    pub encoding: Option<&'a str>,
}

/// Everything needed to evaluate reports, loaded and validated.
pub(super) struct Setup {
    pub config: Config,
    pub rules: Vec<Rule>,
    pub indicators: Vec<Indicator>,
    pub arrangements: Option<Arc<regex::Regex>>,
    pub files: Vec<(PathBuf, input::Format)>,
    /// Inputs that could not be found or listed.
    pub errors: Vec<InputError>,
    pub forced: Option<&'static encoding_rs::Encoding>,
    /// The rule to trace.
    pub trace: Option<String>,
}

/// Loads the configuration and the rulebooks and lists the files; `None` when something was
/// broken (its errors are already reported on `err`).
pub(super) fn setup(
    opts: Options,
    err: &mut dyn Write,
    diag: &output::Diagnostics,
) -> std::io::Result<Option<Setup>> {
    let Ok(forced) = forced_encoding(opts.encoding, err)? else {
        return Ok(None);
    };
    let named: Vec<String> = opts
        .rulebooks
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let books = super::books::BookOptions {
        named: &named,
        config: opts.config,
        isolated: opts.isolated,
    };
    let Some((config, book)) = super::books::configured(books, err, diag)? else {
        return Ok(None);
    };
    if let Some(id) = opts.trace
        && !book.rules.iter().any(|r| r.id == id)
    {
        let hint = crate::expr::suggest::suggest(id, book.rules.iter().map(|r| r.id.as_str()))
            .map_or_else(String::new, |s| format!("; did you mean `{s}`?"));
        writeln!(
            err,
            "reportlint: --trace: no rule `{id}` in the rulebooks in use{hint}"
        )?;
        return Ok(None);
    }
    let mut collected = input::collect(opts.paths);
    // Files named on the command line are always read; files found in directories go through
    // the configuration's include and exclude globs.
    collected
        .files
        .retain(|(path, _)| opts.paths.contains(path) || config.includes(path));
    Ok(Some(Setup {
        config,
        rules: book.rules,
        indicators: book.indicators,
        arrangements: book.arrangements,
        files: collected.files,
        errors: collected.errors,
        forced,
        trace: opts.trace.map(str::to_string),
    }))
}

impl Setup {
    /// Reads, parses and checks one report with the rules in force for its path.
    pub fn evaluate(
        &self,
        (path, format): &(PathBuf, input::Format),
    ) -> Result<(Report, ReportResult), InputError> {
        let source = input::load(path, *format, self.forced)?;
        let report = crate::report::parse(source.text, &source.heading_hints);
        let result = crate::check::check_report_traced(
            &path.display().to_string(),
            &report,
            &self.rules,
            |r| self.config.setting(path, &r.id, r.default_severity()),
            self.trace.as_deref(),
        );
        Ok((report, result))
    }

    /// Runs `work` on every file, in parallel within chunks of [`CHUNK`], and hands the results
    /// to `take` in input order after each chunk: memory holds one chunk's results.
    pub fn each_chunk<T: Send>(
        &self,
        files: &[(PathBuf, input::Format)],
        work: impl Fn(&(PathBuf, input::Format)) -> Result<T, InputError> + Sync,
        mut take: impl FnMut(Result<T, InputError>) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        use rayon::prelude::*;
        for chunk in files.chunks(CHUNK) {
            let done: Vec<_> = chunk.par_iter().map(&work).collect();
            for d in done {
                take(d)?;
            }
        }
        Ok(())
    }
}
