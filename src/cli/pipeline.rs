//! The pipeline `check` and `audit` share: configuration, rulebooks, the files to read, and the
//! parallel, chunked evaluation that parses and checks each report and drops its text after.

use super::forced_encoding;
use crate::check::baseline::Baseline;
use crate::check::finding::ReportResult;
use crate::check::finding::Status;
use crate::config::Config;
use crate::input::{self, InputError};
use crate::output;
use crate::report::Report;
use crate::rulebook::{Indicator, Rule};
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Reports evaluated in parallel before their results are handed on, in input order.
pub(super) const CHUNK: usize = 256;

/// How directories are walked: the options `check`, `audit` and `inspect` share.
#[derive(Debug, Clone, Copy, clap::Args)]
pub(super) struct WalkArgs {
    /// Also read files that .gitignore, .ignore and the built-in exclusions (node_modules,
    /// README.md and other repository documents) leave out of a directory walk.
    #[arg(long)]
    pub no_ignore: bool,
    /// Also read hidden files and folders (names starting with `.`) in a directory walk.
    #[arg(long)]
    pub hidden: bool,
}

impl WalkArgs {
    /// The walk these flags ask for (no `--force-exclude`; threads: one per core).
    pub fn options(self) -> input::WalkOptions {
        input::WalkOptions {
            no_ignore: self.no_ignore,
            hidden: self.hidden,
            force_exclude: false,
            threads: 0,
        }
    }
}

/// What the shared options say.
pub(super) struct Options<'a> {
    pub paths: &'a [PathBuf],
    /// How directories are walked; its `threads` (`-j`, 0: one per core) also check the reports.
    pub walk: input::WalkOptions,
    pub rulebooks: &'a [PathBuf],
    pub config: Option<PathBuf>,
    /// Ignore any configuration file (`--isolated`).
    pub isolated: bool,
    /// The rule whose findings carry a trace (`--trace RULE`).
    pub trace: Option<&'a str>,
    /// Failures to leave out (`--baseline FILE`).
    pub baseline: Option<&'a std::path::Path>,
    /// Record the failures for `--write-baseline FILE`.
    pub record_baseline: bool,
    pub encoding: Option<&'a str>,
    /// `--max-file-size`.
    pub max_file_size: u64,
    /// What standard input (`-`) is called: its path in messages and for the configuration.
    pub stdin_filename: Option<PathBuf>,
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
    /// Files named on the command line that `--force-exclude` passed over.
    pub excluded: usize,
    /// How reports are read (`--encoding`, `--max-file-size`).
    pub read: input::ReadOptions,
    pub stdin_filename: Option<PathBuf>,
    /// The rulebooks in force, as named.
    pub rulebooks: Vec<crate::config::RulebookRef>,
    /// A pool of `-j` threads; `None`: rayon's global pool.
    pool: Option<rayon::ThreadPool>,
    /// The rule to trace.
    pub trace: Option<String>,
    /// The failures to leave out, and how many were.
    pub baseline: Option<Baseline>,
    baselined: AtomicUsize,
    /// The failures recorded for a new baseline, when one is to be written.
    recorded: Option<Mutex<Vec<String>>>,
    /// Which waivers of the configuration matched a failure.
    waiver_used: Vec<AtomicBool>,
}

/// Loads the configuration and the rulebooks and lists the files; `None` when something was
/// broken (its errors are already reported on `err`).
pub(super) fn setup(
    opts: Options,
    err: &mut dyn Write,
    diag: &output::Diagnostics,
) -> std::io::Result<Option<Setup>> {
    // The parser's regexes compile on another core while the rulebook loads (not with `-j1`).
    if opts.walk.threads != 1 {
        rayon::spawn(crate::report::warm_up);
    }
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
    // A waiver past its date fails the run before anything is checked.
    let expired = config.expired_waivers(crate::config::today());
    if !expired.is_empty() {
        for e in &expired {
            diag.emit(err, e)?;
        }
        return Ok(None);
    }
    let baseline = match opts.baseline {
        None => None,
        Some(path) => match Baseline::load(path) {
            Ok(b) => Some(b),
            Err(e) => {
                writeln!(
                    err,
                    "reportlint: cannot use baseline {}: {e}",
                    path.display()
                )?;
                return Ok(None);
            }
        },
    };
    // The rulebooks in force, as named (for `--show-settings`).
    let rulebooks = super::books::refs(&named, &config);
    // Files named on the command line are always read; files found in directories go through
    // the configuration's include and exclude globs.
    let mut collected = input::collect(opts.paths, &opts.walk, &|p| config.includes(p));
    for w in &collected.warnings {
        diag.emit(err, w)?;
    }
    // Standard input is named by `--stdin-filename`, whose extension gives its format.
    let stdin_format = opts
        .stdin_filename
        .as_deref()
        .and_then(input::Format::from_path)
        .unwrap_or(input::Format::Text);
    for (path, format) in &mut collected.files {
        if path.as_os_str() == input::STDIN {
            *format = stdin_format;
        }
    }
    Ok(Some(Setup {
        rules: book.rules,
        indicators: book.indicators,
        arrangements: book.arrangements,
        files: collected.files,
        errors: collected.errors,
        excluded: collected.excluded,
        read: input::ReadOptions {
            encoding: forced,
            max_size: opts.max_file_size,
        },
        stdin_filename: opts.stdin_filename,
        rulebooks,
        pool: match opts.walk.threads {
            0 => None,
            n => rayon::ThreadPoolBuilder::new().num_threads(n).build().ok(),
        },
        trace: opts.trace.map(str::to_string),
        baseline,
        baselined: AtomicUsize::new(0),
        recorded: opts.record_baseline.then(|| Mutex::new(Vec::new())),
        waiver_used: (0..config.waivers.len())
            .map(|_| AtomicBool::new(false))
            .collect(),
        config,
    }))
}

impl Setup {
    /// Reads, parses and checks one report with the rules in force for its path.
    pub fn evaluate(
        &self,
        (path, format): &(PathBuf, input::Format),
    ) -> Result<(Report, ReportResult), InputError> {
        let stdin = path.as_os_str() == input::STDIN;
        let (source, name) = if stdin {
            let name = self.stdin_filename.as_ref().unwrap_or(path);
            (input::load_stdin(name, *format, self.read)?, name)
        } else {
            (input::load(path, *format, self.read)?, path)
        };
        let report = crate::report::parse(source.text, &source.heading_hints);
        let mut result = crate::check::check_report_traced(
            &input::shown(name),
            &report,
            &self.rules,
            |r| self.config.setting(name, &r.id, r.default_severity()),
            self.trace.as_deref(),
        );
        result.file = (!stdin || self.stdin_filename.is_some()).then(|| name.clone());
        let path = name;
        // Waived failures are kept, as waived; baselined ones are left out and counted.
        for f in &mut result.findings {
            if f.status == Status::Fail
                && let Some(i) = self.config.waiver_for(path, &f.rule)
            {
                f.status = Status::Waived;
                f.reason = Some(self.config.waivers[i].note());
                self.waiver_used[i].store(true, Ordering::Relaxed);
            }
        }
        if let Some(b) = &self.baseline {
            self.baselined
                .fetch_add(b.filter(&mut result), Ordering::Relaxed);
        }
        if let Some(r) = &self.recorded {
            let entries = crate::check::baseline::record(&result);
            r.lock().expect("no panic while holding it").extend(entries);
        }
        Ok((report, result))
    }

    /// How many failures the baseline left out so far.
    pub fn baselined(&self) -> usize {
        self.baselined.load(Ordering::Relaxed)
    }

    /// Writes the failures recorded in this run as a baseline; returns how many.
    pub fn write_baseline(&self, path: &std::path::Path) -> std::io::Result<usize> {
        let recorded = self
            .recorded
            .as_ref()
            .map(|r| std::mem::take(&mut *r.lock().expect("no panic while holding it")))
            .unwrap_or_default();
        crate::check::baseline::write(path, recorded)
    }

    /// A warning for each waiver of the configuration that matched no failure in this run.
    pub fn unused_waivers(&self) -> Vec<crate::rulebook::RulebookError> {
        (0..self.waiver_used.len())
            .filter(|&i| !self.waiver_used[i].load(Ordering::Relaxed))
            .filter_map(|i| self.config.unused_waiver(i))
            .collect()
    }

    /// Runs `work` on every file, in parallel within chunks of [`CHUNK`], and hands the results
    /// to `take` in input order, a chunk at a time: memory holds two chunks' results. While
    /// `take` writes one chunk (on this thread), the workers already check the next one, so
    /// they do not wait for the output.
    pub fn each_chunk<T: Send>(
        &self,
        files: &[(PathBuf, input::Format)],
        work: impl Fn(&(PathBuf, input::Format)) -> Result<T, InputError> + Sync,
        mut take: impl FnMut(Result<T, InputError>) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        use rayon::prelude::*;
        let run = |chunk: &[(PathBuf, input::Format)]| {
            let all = || chunk.par_iter().map(&work).collect::<Vec<_>>();
            match &self.pool {
                Some(pool) => pool.install(all),
                None => all(),
            }
        };
        let finish = |handle: std::thread::ScopedJoinHandle<'_, Vec<_>>| match handle.join() {
            Ok(done) => done,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        std::thread::scope(|scope| {
            let mut pending = None;
            for chunk in files.chunks(CHUNK) {
                let next = scope.spawn(move || run(chunk));
                if let Some(previous) = pending.replace(next) {
                    for d in finish(previous) {
                        take(d)?;
                    }
                }
            }
            if let Some(last) = pending {
                for d in finish(last) {
                    take(d)?;
                }
            }
            Ok(())
        })
    }
}
