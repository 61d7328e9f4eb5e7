//! Output stage: `check` findings for people — a compiler-style diagnostic per failure.
//!
//! Each failure shows its severity, rule id and name, message, `file:line:col`, a label on the
//! evidence (or on the place where a missing part was expected) and help with the legal basis.
//! Report lines can be hundreds of CJK characters long: only a window of the line around the
//! label is shown ([`CharColumns::around`]). Unknown outcomes are listed as notes, never hidden; a summary ends the output.

use crate::check::finding::{Finding, ReportResult, Status, Summary};
use crate::rulebook::Severity;
use crate::source::CharColumns;
use miette::{Diagnostic, LabeledSpan, SourceCode};
use std::io::Write;

#[derive(Debug)]
struct FindingDiagnostic {
    message: String,
    code: String,
    severity: miette::Severity,
    help: Option<String>,
    source: Option<CharColumns>,
    label: Option<(String, std::ops::Range<usize>)>,
}

impl std::fmt::Display for FindingDiagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FindingDiagnostic {}

impl Diagnostic for FindingDiagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (text, r) = self.label.as_ref()?;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(Some(text.clone()), r.clone()),
        )))
    }
}

fn help_text(f: &Finding) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(h) = &f.help {
        parts.push(h.clone());
    }
    if let Some(b) = &f.basis {
        parts.push(format!("依据 basis: {b}"));
    }
    (!parts.is_empty()).then(|| parts.join("\n"))
}

fn severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

/// Writes the findings of one report; `original` is the report's text (spans index into it).
pub fn report(
    w: &mut dyn Write,
    diag: &super::Diagnostics,
    result: &ReportResult,
    original: &str,
) -> std::io::Result<()> {
    // Shared by this report's diagnostics; only the windows of long lines are copies.
    let text: std::sync::Arc<str> = original.into();
    for f in result.findings.iter().filter(|f| f.status == Status::Fail) {
        let (source, label) = match f.span {
            Some(span) => {
                let (source, range) =
                    CharColumns::around(&result.path, &text, span.start..span.end);
                let text = if f.span_is_evidence {
                    "here".to_string()
                } else {
                    "expected near here".to_string()
                };
                (Some(source), Some((text, range)))
            }
            None => (None, None),
        };
        let d = FindingDiagnostic {
            message: f.message.clone(),
            code: format!("{} {}", f.rule, f.name),
            severity: severity(f.severity),
            help: help_text(f),
            source,
            label,
        };
        diag.emit(w, &d)?;
    }
    for f in result
        .findings
        .iter()
        .filter(|f| f.status == Status::Unknown)
    {
        let at = f
            .span
            .map_or(String::new(), |s| format!(":{}:{}", s.line, s.column));
        writeln!(
            w,
            "note: {}{at}: {} {} could not be decided: {}",
            result.path,
            f.rule,
            f.name,
            f.reason.as_deref().unwrap_or("unknown")
        )?;
    }
    for f in result
        .findings
        .iter()
        .filter(|f| f.status == Status::Waived)
    {
        let at = f
            .span
            .map_or(String::new(), |s| format!(":{}:{}", s.line, s.column));
        writeln!(
            w,
            "waived: {}{at}: {} {}: {} ({})",
            result.path,
            f.rule,
            f.name,
            f.message,
            f.reason.as_deref().unwrap_or("waived")
        )?;
    }
    Ok(())
}

/// The closing line.
pub fn summary(w: &mut dyn Write, s: &Summary) -> std::io::Result<()> {
    let unreadable = if s.unreadable > 0 {
        format!(", {} unreadable", s.unreadable)
    } else {
        String::new()
    };
    writeln!(
        w,
        "checked {}{unreadable} ({:.2} s)",
        s.counts(),
        s.elapsed_ms as f64 / 1000.0
    )
}
