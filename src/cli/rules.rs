//! `reportlint rules …` and `reportlint explain`: for rulebook authors.

use crate::output;
use crate::{EXIT_ERROR, EXIT_OK};
use clap::Subcommand;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub(super) enum RulesCommand {
    /// Creates NAME.yaml, a rulebook extending the built-in one with an example rule, its
    /// fixture folder NAME.tests/ and rulebook.schema.json for editors; never overwrites.
    Init {
        /// The rulebook's name (kebab-case), optionally with a directory: `rules/my-county`.
        #[arg(value_name = "NAME")]
        name: String,
    },
    /// Checks rulebooks and reports every error in every file.
    Validate {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Lists the rules in force, and the `let`s they use (default: the configured rulebooks,
    /// else the built-in one).
    List {
        #[command(flatten)]
        books: BooksArgs,
    },
    /// Lists everything callable in the expression language: functions, quantifiers,
    /// operators, names and members, each with an example.
    Functions,
    /// Prints the JSON Schema (draft 2020-12) of rulebook files or of `reportlint.yaml`, for
    /// editors: `# yaml-language-server: $schema=rulebook.schema.json`.
    Schema {
        /// Which file the schema describes.
        #[arg(value_enum, default_value_t = SchemaFor::Rulebook)]
        of: SchemaFor,
    },
    /// Prints the rule reference in Markdown (docs/rules/fzzf-annual.md is its output).
    Doc {
        #[command(flatten)]
        books: BooksArgs,
    },
    /// Runs every rule's `examples` and the rulebook's fixture folder (`NAME.tests/` next to
    /// `NAME.yaml`): each example must give the outcome it is listed under, each fixture report
    /// the findings of its `*.expected.yaml`. Exit status 1 if any does not.
    Test {
        /// Rulebook files, `builtin:NAME`, or fixture folders (checked against the configured
        /// rulebooks); default: the configured rulebooks, else the built-in one.
        #[arg(value_name = "PATH")]
        paths: Vec<String>,
        /// The configuration file (default: reportlint.yaml found from the current directory).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Ignore any configuration file.
        #[arg(long, conflicts_with = "config")]
        isolated: bool,
    },
}

/// Which rulebooks a command shows: those named, else the configured ones, else the built-in one.
#[derive(Debug, clap::Args)]
pub(super) struct BooksArgs {
    /// Rulebook files or `builtin:NAME` (default: the configured rulebooks, else the built-in one).
    #[arg(value_name = "FILE")]
    pub files: Vec<String>,
    /// The configuration file (default: reportlint.yaml found from the current directory).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore any configuration file.
    #[arg(long, conflicts_with = "config")]
    pub isolated: bool,
}

impl BooksArgs {
    pub(super) fn options(&self) -> super::books::BookOptions<'_> {
        super::books::BookOptions {
            named: &self.files,
            config: self.config.clone(),
            isolated: self.isolated,
        }
    }
}

/// What `rules schema` describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum SchemaFor {
    /// A rulebook file.
    Rulebook,
    /// The configuration file, `reportlint.yaml`.
    Config,
}

impl SchemaFor {
    pub(super) fn kind(self) -> crate::rulebook::schema::SchemaKind {
        match self {
            SchemaFor::Rulebook => crate::rulebook::schema::SchemaKind::Rulebook,
            SchemaFor::Config => crate::rulebook::schema::SchemaKind::Config,
        }
    }
}

/// `rules validate`: every error of every file; exit 2 if any.
pub(super) fn validate(
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

/// `explain ID`: the rule by id or name, or a suggestion.
pub(super) fn explain(
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

/// `rules test`: every example and fixture of the rulebooks named (default: the configured
/// ones, else the built-in one).
pub(super) fn test(
    paths: &[String],
    config: Option<PathBuf>,
    isolated: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
    diag: &output::Diagnostics,
) -> std::io::Result<u8> {
    use super::rules_test::{self, Tally};
    use crate::config::RulebookRef;
    let Some(cfg) = super::books::config(config.clone(), isolated, err, diag)? else {
        return Ok(EXIT_ERROR);
    };
    let configured: Vec<String> = cfg.rulebooks.iter().map(|r| r.to_string()).collect();
    let (books, folders): (Vec<&String>, Vec<&String>) = paths
        .iter()
        .partition(|p| !std::path::Path::new(p).is_dir());
    let targets: Vec<&String> = if paths.is_empty() {
        configured.iter().collect()
    } else {
        books
    };
    let mut tally = Tally::default();
    let mut broken = false;
    if !folders.is_empty() {
        // Fixture folders on their own: checked against the configured rulebooks.
        let opts = super::books::BookOptions {
            named: &[],
            config,
            isolated,
        };
        match super::books::configured(opts, err, diag)? {
            Some((_, book)) => {
                for dir in folders {
                    rules_test::folder(
                        std::path::Path::new(dir),
                        &book.rules,
                        err,
                        diag,
                        &mut tally,
                    )?;
                }
            }
            None => broken = true,
        }
    }
    for target in targets {
        let r = RulebookRef::parse(target);
        let Some(book) = super::load_rulebook(&r, err, diag)? else {
            broken = true;
            continue;
        };
        let rules = &book.rules;
        rules_test::examples(rules, err, diag, &mut tally)?;
        indicator_examples(&book, err, &mut tally)?;
        if let RulebookRef::File(file) = &r
            && let Some(dir) = rules_test::folder_of(file)
        {
            rules_test::folder(&dir, rules, err, diag, &mut tally)?;
        }
    }
    writeln!(out, "{} passed, {} failed", tally.passed, tally.failed)?;
    Ok(if broken {
        EXIT_ERROR
    } else if tally.failed > 0 {
        crate::EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

/// Each indicator example must read the value it gives (or none).
fn indicator_examples(
    book: &crate::rulebook::Rulebook,
    err: &mut dyn Write,
    tally: &mut super::rules_test::Tally,
) -> std::io::Result<()> {
    for ind in &book.indicators {
        for (i, (text, expect)) in ind.examples.iter().enumerate() {
            let report = crate::report::parse(text.clone(), &[]);
            let got = ind.find(&report).map(|k| report.figures[k].value);
            if got == *expect {
                tally.passed += 1;
                continue;
            }
            tally.failed += 1;
            let show = |v: Option<f64>| {
                v.map_or("blank".to_string(), crate::report::figures::format_value)
            };
            writeln!(
                err,
                "FAILED  indicator {} example {}: expected {}, read {}",
                ind.id,
                i + 1,
                show(*expect),
                show(got)
            )?;
        }
    }
    Ok(())
}
