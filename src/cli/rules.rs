//! `reportlint rules …` and `reportlint explain`: for rulebook authors.

use crate::output;
use crate::{EXIT_ERROR, EXIT_OK};
use clap::Subcommand;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub(super) enum RulesCommand {
    /// Checks rulebooks and reports every error in every file.
    Validate {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Lists the rules of a rulebook (default: the built-in one).
    List {
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// Lists the functions and members of the expression language.
    Functions,
    /// Prints the rule reference in Markdown (docs/rules/fzzf-annual.md is its output).
    Doc {
        /// The rulebook (default: the built-in one).
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// Runs every rule's `examples`: each `pass` example must pass and each `fail` one fail.
    Test {
        /// The rulebook (default: the built-in one).
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
    },
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

/// `rules test`: runs each rule's examples as small reports.
pub(super) fn rules_test(
    book: &crate::rulebook::Rulebook,
    out: &mut dyn Write,
) -> std::io::Result<u8> {
    use crate::check::finding::Status;
    let mut failed = 0;
    let mut ran = 0;
    for rule in &book.rules {
        for (expect, examples) in [
            (Status::Pass, &rule.examples_pass),
            (Status::Fail, &rule.examples_fail),
        ] {
            for (i, text) in examples.iter().enumerate() {
                ran += 1;
                let report = crate::report::parse(text.clone(), &[]);
                let ctx = crate::expr::library::Ctx::new(&report);
                let got = crate::check::overall(&crate::check::findings(
                    rule,
                    rule.severity,
                    &report,
                    &ctx,
                ));
                let kind = if expect == Status::Pass {
                    "pass"
                } else {
                    "fail"
                };
                if got == expect {
                    writeln!(out, "ok      {} example {kind} {}", rule.id, i + 1)?;
                } else {
                    failed += 1;
                    writeln!(
                        out,
                        "FAILED  {} example {kind} {}: the rule gave {got:?}",
                        rule.id,
                        i + 1
                    )?;
                }
            }
        }
    }
    for ind in &book.indicators {
        for (i, (text, expect)) in ind.examples.iter().enumerate() {
            ran += 1;
            let report = crate::report::parse(text.clone(), &[]);
            let got = ind.find(&report).map(|k| report.figures[k].value);
            if got == *expect {
                writeln!(out, "ok      indicator {} example {}", ind.id, i + 1)?;
            } else {
                failed += 1;
                let show = |v: Option<f64>| {
                    v.map_or("blank".to_string(), crate::report::figures::format_value)
                };
                writeln!(
                    out,
                    "FAILED  indicator {} example {}: expected {}, read {}",
                    ind.id,
                    i + 1,
                    show(*expect),
                    show(got)
                )?;
            }
        }
    }
    writeln!(out, "{} passed, {failed} failed", ran - failed)?;
    Ok(if failed == 0 {
        EXIT_OK
    } else {
        crate::EXIT_FINDINGS
    })
}
