//! The rulebooks a command works with, and the configuration they come from: those named on the
//! command line (`FILE` or `builtin:NAME`), else those of the configuration (`--config FILE`,
//! else `reportlint.yaml` found from the current directory, unless `--isolated`), else the
//! built-in rulebook — loaded and combined into one set of rules.

use super::load_rulebook;
use crate::config::{Config, RulebookRef};
use crate::output;
use crate::rulebook::Rulebook;
use std::io::Write;
use std::path::PathBuf;

/// Where a command's rulebooks come from.
pub(super) struct BookOptions<'a> {
    /// Named on the command line: files or `builtin:NAME`.
    pub named: &'a [String],
    /// `--config FILE`.
    pub config: Option<PathBuf>,
    /// `--isolated`: no configuration file at all.
    pub isolated: bool,
}

/// The configuration in force: none with `isolated`, the one named, else the one found from
/// the current directory, else the default. `None` when it is broken (its errors reported).
pub(super) fn config(
    named: Option<PathBuf>,
    isolated: bool,
    err: &mut dyn Write,
    diag: &output::Diagnostics,
) -> std::io::Result<Option<Config>> {
    if isolated {
        return Ok(Some(Config::default()));
    }
    let path = named.or_else(|| {
        std::env::current_dir()
            .ok()
            .and_then(|d| Config::discover(&d))
    });
    match path {
        None => Ok(Some(Config::default())),
        Some(path) => match Config::load(&path) {
            Ok(c) => Ok(Some(c)),
            Err(errors) => {
                for e in &errors {
                    diag.emit(err, e)?;
                }
                Ok(None)
            }
        },
    }
}

/// The rulebooks in force, as named: those on the command line, else the configuration's.
pub(super) fn refs(named: &[String], config: &Config) -> Vec<RulebookRef> {
    if named.is_empty() {
        config.rulebooks.clone()
    } else {
        named.iter().map(|n| RulebookRef::parse(n)).collect()
    }
}

/// The configuration and the rulebooks of a command, combined; `None` when something was broken
/// (its errors are reported on `err`).
pub(super) fn configured(
    opts: BookOptions,
    err: &mut dyn Write,
    diag: &output::Diagnostics,
) -> std::io::Result<Option<(Config, Rulebook)>> {
    let Some(config) = config(opts.config, opts.isolated, err, diag)? else {
        return Ok(None);
    };
    let refs = refs(opts.named, &config);
    let mut books = Vec::new();
    let mut broken = false;
    for r in &refs {
        match load_rulebook(r, err, diag)? {
            Some(mut book) => {
                // A built-in rule without its own link points at its section of the reference.
                if let RulebookRef::Builtin(name) = r {
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
    let book = match crate::rulebook::combine::combine(books) {
        Ok(book) => book,
        Err(errors) => {
            for e in &errors {
                diag.emit(err, e)?;
            }
            return Ok(None);
        }
    };
    // Rule ids the configuration names must exist — unless the rulebooks were named on the
    // command line instead of the configuration's: then its settings for other rules simply do
    // not apply, which is said once.
    let known: Vec<&str> = book.rules.iter().map(|r| r.id.as_str()).collect();
    let unknown: Vec<_> = config
        .named_rules()
        .into_iter()
        .filter(|(id, _)| !known.contains(&id.as_str()))
        .collect();
    if !unknown.is_empty() {
        if opts.named.is_empty() {
            for (id, span) in &unknown {
                diag.emit(
                    err,
                    &crate::config::unknown_rule_error(&config, id, span.clone(), &known),
                )?;
            }
            return Ok(None);
        }
        let mut ids: Vec<&str> = unknown.iter().map(|(id, _)| id.as_str()).collect();
        ids.dedup();
        writeln!(
            err,
            "note: {} sets {} which the rulebooks named with --rulebook do not define; those settings do not apply",
            config
                .path
                .as_ref()
                .map_or("the configuration".to_string(), |p| p.display().to_string()),
            ids.iter()
                .map(|i| format!("`{i}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )?;
    }
    Ok(Some((config, book)))
}
