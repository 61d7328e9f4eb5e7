//! The pipeline `check` and `audit` share: configuration, rulebooks, the files to read, and the
//! parallel, chunked evaluation that parses and checks each report and drops its text after.

use super::{forced_encoding, load_rulebook};
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
    pub fn options(self, threads: usize) -> input::WalkOptions {
        input::WalkOptions {
            no_ignore: self.no_ignore,
            hidden: self.hidden,
            force_exclude: false,
            threads,
        }
    }
}

/// What the shared options say.
pub(super) struct Options<'a> {
    pub paths: &'a [PathBuf],
    pub walk: input::WalkOptions,
    pub rulebooks: &'a [PathBuf],
    pub config: Option<PathBuf>,
    pub encoding: Option<&'a str>,
    /// What standard input (`-`) is called: its path in messages and for the configuration.
    pub stdin_filename: Option<PathBuf>,
    /// Threads for walking and checking (`-j`); `None`: one per core.
    pub threads: Option<usize>,
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
    pub forced: Option<&'static encoding_rs::Encoding>,
    pub stdin_filename: Option<PathBuf>,
    /// The rulebooks in force, as named.
    pub rulebooks: Vec<crate::config::RulebookRef>,
    /// A pool of `-j` threads; `None`: rayon's global pool.
    pool: Option<rayon::ThreadPool>,
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
    let config = match opts.config.or_else(|| {
        std::env::current_dir()
            .ok()
            .and_then(|d| Config::discover(&d))
    }) {
        None => Config::default(),
        Some(path) => match Config::load(&path) {
            Ok(c) => c,
            Err(errors) => {
                for e in &errors {
                    diag.emit(err, e)?;
                }
                return Ok(None);
            }
        },
    };
    // Rulebooks: named on the command line, else those of the configuration.
    let mut books = Vec::new();
    let mut broken = false;
    let refs: Vec<crate::config::RulebookRef> = if opts.rulebooks.is_empty() {
        config.rulebooks.clone()
    } else {
        opts.rulebooks
            .iter()
            .cloned()
            .map(crate::config::RulebookRef::File)
            .collect()
    };
    for r in &refs {
        match load_rulebook(r, err, diag)? {
            Some(mut book) => {
                // A built-in rule without its own link points at its section of the reference.
                if let crate::config::RulebookRef::Builtin(name) = r {
                    for rule in &mut book.rules {
                        if rule.link.is_none() {
                            rule.link = Some(crate::rule_reference_uri(name, &rule.id));
                        }
                    }
                }
                books.push(book);
            }
            None => broken = true,
        }
    }
    if broken {
        return Ok(None);
    }
    let mut rules: Vec<Rule> = Vec::new();
    let mut indicators: Vec<Indicator> = Vec::new();
    let mut arrangements = None;
    for book in books {
        for rule in book.rules {
            crate::rulebook::add_rule(&mut rules, rule);
        }
        for i in book.indicators {
            crate::rulebook::add_indicator(&mut indicators, i);
        }
        arrangements = book.arrangements.or(arrangements);
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
        return Ok(None);
    }
    // Files named on the command line are always read; files found in directories go through
    // the configuration's include and exclude globs.
    let mut walk = opts.walk;
    walk.threads = opts.threads.unwrap_or(0);
    let mut collected = input::collect(opts.paths, &walk, &|p| config.includes(p));
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
        config,
        rules,
        indicators,
        arrangements,
        files: collected.files,
        errors: collected.errors,
        excluded: collected.excluded,
        forced,
        stdin_filename: opts.stdin_filename,
        rulebooks: refs,
        pool: opts
            .threads
            .and_then(|n| rayon::ThreadPoolBuilder::new().num_threads(n).build().ok()),
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
            (input::load_stdin(name, *format, self.forced)?, name)
        } else {
            (input::load(path, *format, self.forced)?, path)
        };
        let report = crate::report::parse(source.text, &source.heading_hints);
        let mut result =
            crate::check::check_report(&input::shown(name), &report, &self.rules, |r| {
                self.config.setting(name, &r.id, r.severity)
            });
        result.file = (!stdin || self.stdin_filename.is_some()).then(|| name.clone());
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
            let run = || chunk.par_iter().map(&work).collect::<Vec<_>>();
            let done = match &self.pool {
                Some(pool) => pool.install(run),
                None => run(),
            };
            for d in done {
                take(d)?;
            }
        }
        Ok(())
    }
}
