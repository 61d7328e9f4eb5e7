//! Output stage: `check` findings for people — a compiler-style diagnostic per failure.
//!
//! Each failure shows its severity, rule id and name, message, `file:line:col`, a label on the
//! evidence (or on the place where a missing part was expected) and help with the legal basis.
//! Report lines can be hundreds of CJK characters long: only a window of the line around the
//! label is shown. Unknown outcomes are listed as notes, never hidden; a summary ends the output.

use crate::check::finding::{Finding, ReportResult, Status, Summary};
use crate::report::Span;
use crate::rulebook::Severity;
use miette::{
    Diagnostic, LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};
use std::io::Write;

/// Characters of context shown on each side of a label.
const WINDOW: usize = 30;
/// Longest stretch of a label shown; longer labels are cut.
const MAX_LABEL: usize = 60;

/// One line of a report, cut to a window around the label, that still reports the line's real
/// number and column.
#[derive(Debug)]
struct WindowSource {
    name: String,
    text: String,
    /// 0-based line of the window in the report.
    line: usize,
    /// Characters of the real line before `text` starts, minus the `…` that stands for them.
    column_shift: isize,
}

impl SourceCode for WindowSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.read_span(span, before, after)?;
        let offset = inner.span().offset();
        let col_chars = self.text[..offset].chars().count() as isize + self.column_shift;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            self.line + inner.line(),
            col_chars.max(0) as usize,
            inner.line_count(),
        )))
    }
}

#[derive(Debug)]
struct FindingDiagnostic {
    message: String,
    code: String,
    severity: miette::Severity,
    help: Option<String>,
    source: Option<WindowSource>,
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

/// Cuts the line of `span` to a window around it.
fn window(path: &str, original: &str, span: Span) -> (WindowSource, std::ops::Range<usize>) {
    let line_start = original[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = original[span.start..]
        .find('\n')
        .map_or(original.len(), |i| span.start + i);
    let line_end = if original[..line_end].ends_with('\r') {
        line_end - 1
    } else {
        line_end
    };
    // A label that runs over several lines is shown on its first.
    let label_end = span.end.min(line_end).max(span.start);
    let label_end = original[span.start..label_end]
        .char_indices()
        .nth(MAX_LABEL)
        .map_or(label_end, |(i, _)| span.start + i);
    let before: Vec<(usize, char)> = original[line_start..span.start].char_indices().collect();
    let win_start = if before.len() > WINDOW {
        line_start + before[before.len() - WINDOW].0
    } else {
        line_start
    };
    let win_end = original[label_end..line_end]
        .char_indices()
        .nth(WINDOW)
        .map_or(line_end, |(i, _)| label_end + i);
    let lead = if win_start > line_start { "…" } else { "" };
    let tail = if win_end < line_end { "…" } else { "" };
    let text = format!("{lead}{}{tail}", &original[win_start..win_end]);
    let skipped = original[line_start..win_start].chars().count() as isize;
    let label = lead.len() + (span.start - win_start)..lead.len() + (label_end - win_start);
    let source = WindowSource {
        name: path.to_string(),
        text,
        line: span.line - 1,
        column_shift: skipped - lead.chars().count() as isize,
    };
    (source, label)
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
    for f in result.findings.iter().filter(|f| f.status == Status::Fail) {
        let (source, label) = match f.span {
            Some(span) => {
                let (source, range) = window(&result.path, original, span);
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
    Ok(())
}

/// The closing line.
pub fn summary(w: &mut dyn Write, s: &Summary) -> std::io::Result<()> {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    writeln!(
        w,
        "checked {}: {}, {}, {}, {}{} ({:.2} s)",
        plural(s.reports, "report", "reports"),
        plural(s.errors, "error", "errors"),
        plural(s.warnings, "warning", "warnings"),
        plural(s.infos, "info", "infos"),
        plural(s.unknowns, "unknown", "unknowns"),
        if s.unreadable > 0 {
            format!(", {} unreadable", s.unreadable)
        } else {
            String::new()
        },
        s.elapsed_ms as f64 / 1000.0
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::LineIndex;

    #[test]
    fn long_lines_are_cut_to_a_window_that_keeps_line_and_column() {
        let long = "法".repeat(300);
        let original = format!("标题\n{long}出庭率85%{long}\n");
        let start = original.find("85%").unwrap();
        let idx = LineIndex::new(&original);
        let span = idx.span(&original, start, start + 3);
        let (src, label) = window("r.txt", &original, span);
        assert_eq!(&src.text[label.clone()], "85%");
        assert!(src.text.starts_with('…') && src.text.ends_with('…'));
        assert_eq!(src.text.chars().count(), 1 + WINDOW + 3 + WINDOW + 1);
        let contents = src.read_span(&label.clone().into(), 0, 0).unwrap();
        assert_eq!(contents.line() + 1, span.line);
        assert_eq!(contents.column() + 1, span.column);
    }

    #[test]
    fn short_lines_are_shown_whole() {
        let original = "一、主要举措\n出庭率85%。\n";
        let start = original.find("85%").unwrap();
        let span = LineIndex::new(original).span(original, start, start + 3);
        let (src, label) = window("r.txt", original, span);
        assert_eq!(src.text, "出庭率85%。");
        assert_eq!(&src.text[label], "85%");
    }
}
