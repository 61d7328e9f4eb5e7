//! Output stage: `check` findings for people — a compiler-style diagnostic per failure.
//!
//! Each failure shows its severity, rule id and name, message, `file:line:col`, a label on the
//! evidence (or on the place where a missing part was expected) and help with the legal basis.
//! Report lines can be hundreds of CJK characters long: only a window of the line around the
//! label, and of its neighbours, is shown ([`CharColumns::around`]). Unknown outcomes are listed,
//! never hidden; a summary ends the output. Every fixed word is in the language of the findings,
//! Chinese, unless `--lang en` asks for English.

use super::common::location;
use crate::audit::Lang;
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

/// Terminal columns of the help lines, as miette wraps its own.
const WIDTH: usize = 100;

/// Help and basis under a diagnostic, each after its heading, wrapped by display width with the
/// continuation under the text (miette's own `help:` heading cannot be translated).
fn help_lines(w: &mut dyn Write, f: &Finding, lang: Lang) -> std::io::Result<()> {
    use unicode_width::UnicodeWidthChar;
    let headed = [
        (lang.pick("建议：", "help: "), &f.help),
        (lang.pick("依据：", "basis: "), &f.basis),
    ];
    for (heading, text) in headed {
        let Some(text) = text else { continue };
        let indent = 2 + unicode_width::UnicodeWidthStr::width(heading);
        let mut line = format!("  {heading}");
        let mut used = indent;
        for c in text.chars() {
            let cw = c.width().unwrap_or(0);
            if c == '\n' || used + cw > WIDTH {
                writeln!(w, "{}", line.trim_end())?;
                line = " ".repeat(indent);
                used = indent;
                if c == '\n' {
                    continue;
                }
            }
            line.push(c);
            used += cw;
        }
        writeln!(w, "{line}")?;
    }
    Ok(())
}

fn severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

/// Writes the findings of one report; `original` is the report's text (spans index into it).
/// At most `max` findings are shown (`--max-findings`; 0: all): failures first, then unknowns,
/// then waived ones; a last line counts the rest.
pub fn report(
    w: &mut dyn Write,
    diag: &super::Diagnostics,
    result: &ReportResult,
    original: &str,
    lang: Lang,
    max: usize,
) -> std::io::Result<()> {
    // Shared by this report's diagnostics; only the windows of long lines are copies.
    let text: std::sync::Arc<str> = original.into();
    let mut budget = if max == 0 { usize::MAX } else { max };
    let mut shown = |_: &&Finding| {
        let show = budget > 0;
        budget = budget.saturating_sub(1);
        show
    };
    let of = |s: Status| result.findings.iter().filter(move |f| f.status == s);
    for f in of(Status::Fail).filter(&mut shown) {
        let (source, label) = match f.span {
            Some(span) => {
                let (source, range) =
                    CharColumns::around(&result.path, &text, span.start..span.end);
                let text = if f.span_is_evidence {
                    lang.pick("此处", "here")
                } else {
                    lang.pick("应在此处附近", "expected near here")
                }
                .to_string();
                (Some(source), Some((text, range)))
            }
            None => (None, None),
        };
        let d = FindingDiagnostic {
            message: f.message.clone(),
            code: format!("{} {}", f.rule, f.name),
            severity: severity(f.severity),
            source,
            label,
        };
        diag.emit(w, &d)?;
        help_lines(w, f, lang)?;
    }
    for f in of(Status::Unknown).filter(&mut shown) {
        let at = location(&result.path, f.span);
        match lang {
            // The message says in Chinese what the report does not say and what is undecided.
            Lang::Zh => writeln!(w, "待定：{at}：{} {}：{}", f.rule, f.name, f.message)?,
            Lang::En => writeln!(
                w,
                "note: {at}: {} {} could not be decided: {}",
                f.rule,
                f.name,
                f.reason.as_deref().unwrap_or("unknown")
            )?,
        }
    }
    for f in of(Status::Waived).filter(&mut shown) {
        let at = location(&result.path, f.span);
        writeln!(
            w,
            "{} {at}: {} {}: {} ({})",
            lang.pick("已豁免：", "waived:"),
            f.rule,
            f.name,
            f.message,
            f.reason.as_deref().unwrap_or("waived")
        )?;
    }
    let listed = [Status::Fail, Status::Unknown, Status::Waived];
    let total = result
        .findings
        .iter()
        .filter(|f| listed.contains(&f.status))
        .count();
    if max > 0 && total > max {
        let rest = total - max;
        let path = &result.path;
        match lang {
            Lang::Zh => writeln!(
                w,
                "……{path}：另有 {rest} 项未显示（每份报告最多显示 {max} 项，见 --max-findings）"
            )?,
            Lang::En => writeln!(
                w,
                "… {path}: {rest} more not shown (at most {max} per report; see --max-findings)"
            )?,
        }
    }
    Ok(())
}

/// The closing line.
pub fn summary(w: &mut dyn Write, s: &Summary, lang: Lang) -> std::io::Result<()> {
    let seconds = s.elapsed_ms as f64 / 1000.0;
    match lang {
        Lang::Zh => {
            let mut unreadable = String::new();
            if s.waived > 0 {
                unreadable.push_str(&format!("，已豁免 {} 项", s.waived));
            }
            if s.baselined > 0 {
                unreadable.push_str(&format!("，基线已有 {} 项", s.baselined));
            }
            if s.unreadable > 0 {
                unreadable.push_str(&format!("；{} 个文件无法读取", s.unreadable));
            }
            writeln!(
                w,
                "已检查 {} 份报告：错误 {} 项，警告 {} 项，提示 {} 项，待定 {} 项{unreadable}（{seconds:.2} 秒）",
                s.reports, s.errors, s.warnings, s.infos, s.unknowns
            )
        }
        Lang::En => {
            let unreadable = if s.unreadable > 0 {
                format!(", {} unreadable", s.unreadable)
            } else {
                String::new()
            };
            writeln!(w, "checked {}{unreadable} ({seconds:.2} s)", s.counts())
        }
    }
}
