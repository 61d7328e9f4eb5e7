//! `reportlint rules test`: runs a rulebook's examples and its fixture folder, and says where an
//! expectation was not met — labelled at the example in the rulebook, or at the expectation in
//! the fixture's `*.expected.yaml` — with what the rule gave instead and why.
//!
//! A fixture folder (`NAME.tests/` next to `NAME.yaml`, or a folder named on the command line)
//! holds reports next to their expectations: `report.txt` and `report.expected.yaml`:
//!
//! ```yaml
//! findings:
//!   - {rule: XY001, outcome: fail, line: 3}
//!   - {rule: XY002, outcome: pass}
//! ```
//!
//! For every rule an expectations file names, its failures and unknowns must be exactly those
//! listed (each matched by rule, outcome and, when given, line and message text); `pass` and
//! `not_applicable` name the rule's overall outcome. Rules it does not name are not looked at.

use crate::check::finding::{Finding, Status};
use crate::check::{check_report, findings, overall};
use crate::expr::library::Ctx;
use crate::output;
use crate::output::common::status_name;
use crate::rulebook::{Expect, Rule, RulebookError, SourceFile};
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Totals of a test run.
#[derive(Debug, Default)]
pub(super) struct Tally {
    pub passed: usize,
    pub failed: usize,
}

fn status_of(e: Expect) -> Status {
    match e {
        Expect::Pass => Status::Pass,
        Expect::Fail => Status::Fail,
        Expect::Unknown => Status::Unknown,
        Expect::NotApplicable => Status::NotApplicable,
    }
}

/// What a finding says, for a mismatch's help: its message (its reason, for an unknown) and line.
fn describe(f: &Finding) -> String {
    let said = match f.status {
        Status::Unknown => format!(
            "unknown because {}",
            f.reason.as_deref().unwrap_or(&f.message)
        ),
        _ => f.message.clone(),
    };
    match f.span {
        Some(s) => format!("{said} (line {})", s.line),
        None => said,
    }
}

/// Whether a finding says what an expectation asks: its message (or reason) contains `message`
/// and it points at `line`.
fn says(f: &Finding, message: Option<&str>, line: Option<usize>) -> bool {
    let text_ok = message.is_none_or(|m| {
        f.message.contains(m) || f.reason.as_deref().is_some_and(|r| r.contains(m))
    });
    let line_ok = line.is_none_or(|l| f.span.is_some_and(|s| s.line == l));
    text_ok && line_ok
}

/// Runs every example of every rule (rules switched off are skipped); a mismatch is reported on
/// `err`, labelled at the example.
pub(super) fn examples(
    rules: &[Rule],
    err: &mut dyn Write,
    diag: &output::Diagnostics,
    tally: &mut Tally,
) -> std::io::Result<()> {
    for rule in rules {
        let Some(severity) = rule.default_severity() else {
            continue;
        };
        for ex in &rule.examples {
            let report = crate::report::parse(ex.text.clone(), &[]);
            let ctx = Ctx::new(&report);
            let got = findings(rule, severity, &report, &ctx);
            let status = overall(&got);
            let expected = status_of(ex.expect);
            let relevant: Vec<&Finding> = got.iter().filter(|f| f.status == status).collect();
            let detail_ok = status != expected
                || (ex.message.is_none() && ex.line.is_none())
                || relevant
                    .iter()
                    .any(|f| says(f, ex.message.as_deref(), ex.line));
            if status == expected && detail_ok {
                tally.passed += 1;
                continue;
            }
            tally.failed += 1;
            let what = format!("{} example {}", ex.expect.name(), ex.number);
            let (message, label) = if status != expected {
                (
                    format!(
                        "{} {}: the {what} gave {}",
                        rule.id,
                        rule.name,
                        status_name(status)
                    ),
                    format!("expected {}, got {}", ex.expect.name(), status_name(status)),
                )
            } else {
                let wanted = match (&ex.message, ex.line) {
                    (Some(m), Some(l)) => format!("`{m}` at line {l}"),
                    (Some(m), None) => format!("`{m}`"),
                    (None, Some(l)) => format!("line {l}"),
                    (None, None) => String::new(),
                };
                (
                    format!(
                        "{} {}: the {what} gave {} but not with {wanted}",
                        rule.id,
                        rule.name,
                        status_name(status)
                    ),
                    format!("expected {wanted}"),
                )
            };
            let help = match (status, relevant.as_slice()) {
                (Status::Pass, _) => format!(
                    "the rule passed: its condition held on this snippet (`reportlint check --trace {}` on it shows why)",
                    rule.id
                ),
                (Status::NotApplicable, _) | (_, []) => {
                    "the rule did not apply to this snippet: its `when` was false".to_string()
                }
                (_, found) => format!(
                    "the rule said: {}",
                    found
                        .iter()
                        .map(|f| describe(f))
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            };
            let e = RulebookError::new(
                "test::example",
                message,
                &rule.source,
                ex.span.clone(),
                label,
            )
            .with_help(help);
            diag.emit(err, &e)?;
        }
    }
    Ok(())
}

/// The expectations of one fixture report.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExpected {
    #[serde(default)]
    findings: Vec<Spanned<RawExpectation>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExpectation {
    rule: Spanned<String>,
    outcome: Spanned<String>,
    line: Option<Spanned<usize>>,
    message: Option<Spanned<String>>,
}

/// The fixture folder of a rulebook file: `NAME.tests/` next to `NAME.yaml`.
pub(super) fn folder_of(rulebook: &Path) -> Option<PathBuf> {
    let stem = rulebook.file_stem()?.to_str()?;
    let dir = rulebook.with_file_name(format!("{stem}.tests"));
    dir.is_dir().then_some(dir)
}

/// The reports of a fixture folder, sorted, each with its expectations file.
fn fixtures(dir: &Path) -> std::io::Result<Vec<(PathBuf, PathBuf)>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if !path.is_file() || crate::input::Format::from_path(&path).is_none() {
            continue;
        }
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        out.push((
            path.clone(),
            path.with_file_name(format!("{stem}.expected.yaml")),
        ));
    }
    out.sort();
    Ok(out)
}

/// Checks every report of a fixture folder against its expectations.
pub(super) fn folder(
    dir: &Path,
    rules: &[Rule],
    err: &mut dyn Write,
    diag: &output::Diagnostics,
    tally: &mut Tally,
) -> std::io::Result<()> {
    let list = match fixtures(dir) {
        Ok(list) => list,
        Err(e) => {
            tally.failed += 1;
            writeln!(
                err,
                "reportlint: cannot read fixture folder {}: {e}",
                dir.display()
            )?;
            return Ok(());
        }
    };
    if list.is_empty() {
        tally.failed += 1;
        writeln!(
            err,
            "reportlint: fixture folder {} holds no report (.txt, .md, .html, .docx, .pdf)",
            dir.display()
        )?;
        return Ok(());
    }
    for (report_path, expected_path) in list {
        let failures = fixture(&report_path, &expected_path, rules, err, diag)?;
        if failures == 0 {
            tally.passed += 1;
        } else {
            tally.failed += 1;
        }
    }
    Ok(())
}

/// One fixture report: the number of unmet expectations (each reported).
fn fixture(
    report_path: &Path,
    expected_path: &Path,
    rules: &[Rule],
    err: &mut dyn Write,
    diag: &output::Diagnostics,
) -> std::io::Result<usize> {
    let name = expected_path.display().to_string();
    let text = match crate::limits::read_text(expected_path, crate::limits::MAX_CONFIG_BYTES) {
        Ok(t) => t,
        Err(e) => {
            writeln!(
                err,
                "reportlint: {}: no expectations: cannot read {name}: {e}",
                report_path.display()
            )?;
            return Ok(1);
        }
    };
    let file = SourceFile::new(name, text);
    let expected: RawExpected = match serde_saphyr::from_str_with_options(
        &file.text,
        crate::rulebook::yaml::options(serde_saphyr::DuplicateKeyPolicy::Error),
    ) {
        Ok(e) => e,
        Err(e) => {
            diag.emit(err, &crate::rulebook::yaml::saphyr_error(&file, &e))?;
            return Ok(1);
        }
    };
    let source = match crate::input::Format::from_path(report_path)
        .ok_or(())
        .and_then(|f| crate::input::load(report_path, f, Default::default()).map_err(|_| ()))
    {
        Ok(s) => s,
        Err(()) => {
            writeln!(
                err,
                "reportlint: cannot read fixture {}",
                report_path.display()
            )?;
            return Ok(1);
        }
    };
    let report = crate::report::parse(source.text, &source.heading_hints);
    let result = check_report(
        &report_path.display().to_string(),
        &report,
        rules,
        Rule::default_severity,
    );
    let at = |s: &Spanned<String>| crate::rulebook::yaml::value_range(&file, s);
    let mut failures = 0;
    let mut matched = vec![false; result.findings.len()];
    let mut named: Vec<(&str, std::ops::Range<usize>)> = Vec::new();
    // Rules with an unmet expectation: its help already lists what they gave.
    let mut unmet: Vec<&str> = Vec::new();
    for exp in &expected.findings {
        let exp = &exp.value;
        let id = exp.rule.value.as_str();
        let span = at(&exp.rule);
        if !rules.iter().any(|r| r.id == id) {
            failures += 1;
            let known = rules.iter().map(|r| r.id.as_str());
            let help = crate::expr::suggest::suggest(id, known)
                .map_or("`reportlint rules list` shows the rules".to_string(), |s| {
                    format!("did you mean `{s}`?")
                });
            let e = RulebookError::new(
                "test::unknown_rule",
                format!("no rule `{id}` in the rulebooks under test"),
                &file,
                span,
                "unknown rule",
            )
            .with_help(help);
            diag.emit(err, &e)?;
            continue;
        }
        if !named.iter().any(|(n, _)| *n == id) {
            named.push((id, span.clone()));
        }
        let Some(outcome) = Expect::parse(&exp.outcome.value) else {
            failures += 1;
            let e = RulebookError::new(
                "test::bad_outcome",
                format!("unknown outcome `{}`", exp.outcome.value),
                &file,
                at(&exp.outcome),
                "expected `pass`, `fail`, `unknown` or `not_applicable`",
            );
            diag.emit(err, &e)?;
            continue;
        };
        let of_rule: Vec<usize> = (0..result.findings.len())
            .filter(|&k| result.findings[k].rule == id)
            .collect();
        let message = exp.message.as_ref().map(|m| m.value.as_str());
        let line = exp.line.as_ref().map(|l| l.value);
        let ok = match outcome {
            Expect::Pass | Expect::NotApplicable => {
                let fs: Vec<Finding> = of_rule
                    .iter()
                    .map(|&k| result.findings[k].clone())
                    .collect();
                overall(&fs) == status_of(outcome)
            }
            Expect::Fail | Expect::Unknown => {
                let hit = of_rule.iter().copied().find(|&k| {
                    let f = &result.findings[k];
                    !matched[k] && f.status == status_of(outcome) && says(f, message, line)
                });
                if let Some(k) = hit {
                    matched[k] = true;
                }
                hit.is_some()
            }
        };
        if ok {
            continue;
        }
        failures += 1;
        unmet.push(id);
        let gave: Vec<String> = of_rule
            .iter()
            .map(|&k| {
                let f = &result.findings[k];
                format!("{}: {}", status_name(f.status), describe(f))
            })
            .collect();
        let wanted = match (line, message) {
            (Some(l), Some(m)) => format!(" at line {l} with `{m}`"),
            (Some(l), None) => format!(" at line {l}"),
            (None, Some(m)) => format!(" with `{m}`"),
            (None, None) => String::new(),
        };
        let e = RulebookError::new(
            "test::expectation",
            format!(
                "{}: expected {id} to {}{wanted}",
                report_path.display(),
                match outcome {
                    Expect::Pass => "pass",
                    Expect::Fail => "fail",
                    Expect::Unknown => "be unknown",
                    Expect::NotApplicable => "not apply",
                }
            ),
            &file,
            span,
            "not met",
        )
        .with_help(format!("{id} gave {}", gave.join("; ")));
        diag.emit(err, &e)?;
    }
    // Failures and unknowns of a named rule that no expectation accounts for.
    for (id, span) in named.iter().filter(|(id, _)| !unmet.contains(id)) {
        for (k, f) in result.findings.iter().enumerate() {
            if f.rule == *id && !matched[k] && matches!(f.status, Status::Fail | Status::Unknown) {
                failures += 1;
                let e = RulebookError::new(
                    "test::unexpected_finding",
                    format!(
                        "{}: {id} also gave {} not listed here",
                        report_path.display(),
                        status_name(f.status)
                    ),
                    &file,
                    span.clone(),
                    "its expectations are listed here",
                )
                .with_help(format!(
                    "{}; list it (`- {{rule: {id}, outcome: {}{}}}`) or fix the rule",
                    describe(f),
                    status_name(f.status),
                    f.span
                        .map_or(String::new(), |s| format!(", line: {}", s.line))
                ));
                diag.emit(err, &e)?;
            }
        }
    }
    Ok(failures)
}
