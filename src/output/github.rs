//! Output stage: `reportlint check --format github` — GitHub Actions workflow commands, which
//! the runner turns into annotations on the report files.
//!
//! One command per failure or unknown: `::error`, `::warning` or `::notice` (info failures and
//! unknowns) with the file, the span's lines and columns when there is one, and `{rule} {name}`
//! as title; the message is the data. Values are escaped as GitHub's toolkit does (`%`, CR, LF
//! everywhere; `:` and `,` in properties too), so no message can end a command early or forge
//! another. An input that could not be read is an `::error` on that file. A last plain line (not
//! a command) sums the run up.

use super::common::{is_reported, unknown_text};
use crate::check::finding::{Finding, ReportResult, Status, Summary};
use crate::rulebook::Severity;
use std::io::{self, Write};

/// Escapes the data (message) part of a command.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`file=`, `title=`).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The command of a failure or an unknown.
fn command(path: &str, f: &Finding) -> String {
    let (kind, message) = match (f.status, f.severity) {
        (Status::Unknown, _) => ("notice", unknown_text(f)),
        (_, Severity::Error) => ("error", f.message.clone()),
        (_, Severity::Warning) => ("warning", f.message.clone()),
        (_, Severity::Info) => ("notice", f.message.clone()),
    };
    let mut props = format!("file={}", escape_property(path));
    if let Some(s) = f.span {
        props.push_str(&format!(
            ",line={},col={},endLine={},endColumn={}",
            s.line, s.column, s.end_line, s.end_column
        ));
    }
    let title = format!("{} {}", f.rule, f.name);
    format!(
        "::{kind} {props},title={}::{}",
        escape_property(&title),
        escape_data(&message)
    )
}

/// The last line: a plain sentence, which the runner prints as is.
fn summary_line(s: &Summary) -> String {
    let passes = if s.passes == 1 { "pass" } else { "passes" };
    let mut line = format!("reportlint: checked {}, {} {passes}", s.counts(), s.passes);
    if s.unreadable > 0 {
        line.push_str(&format!(", {} unreadable", s.unreadable));
    }
    line
}

/// Writes one workflow command per failure and unknown, then the summary line.
pub fn render(w: &mut dyn Write, results: &[ReportResult], summary: &Summary) -> io::Result<()> {
    for r in results {
        report(w, r)?;
    }
    writeln!(w, "{}", summary_line(summary))
}

/// The commands of one report's failures and unknowns (written as each report is checked).
pub fn report(w: &mut dyn Write, r: &ReportResult) -> io::Result<()> {
    for f in r.findings.iter().filter(|f| is_reported(f)) {
        writeln!(w, "{}", command(&r.path, f))?;
    }
    Ok(())
}

/// An `::error` on each input that could not be read.
pub fn unreadable(w: &mut dyn Write, unreadable: &[super::Unreadable]) -> io::Result<()> {
    for u in unreadable {
        writeln!(
            w,
            "::error file={},title={}::{}",
            escape_property(&u.path),
            escape_property(&format!("reportlint: unreadable input ({})", u.code)),
            escape_data(&u.message)
        )?;
    }
    Ok(())
}

/// The closing line.
pub fn summary(w: &mut dyn Write, s: &Summary) -> io::Result<()> {
    writeln!(w, "{}", summary_line(s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::common::fixture;

    fn render_to_string(results: &[ReportResult], summary: &Summary) -> String {
        let mut out = Vec::new();
        render(&mut out, results, summary).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn three_findings_exactly() {
        let (results, _) = fixture::results();
        let f = &results[0].findings;
        // An error with a span and a message to escape, a warning without span, an unknown; on a
        // path with a space, a comma and a colon.
        let mut nasty = f[1].clone();
        nasty.name = "leader-duty,a:b".into();
        let report = ReportResult {
            path: "报告/a,b:c 2023.txt".into(),
            file: None,
            findings: vec![
                nasty,
                f[2].clone(),
                f[4].clone(),
                f[0].clone(),
                f[5].clone(),
            ],
        };
        let mut summary = Summary::default();
        summary.add(&report);
        assert_eq!(
            render_to_string(&[report], &summary),
            "::error file=报告/a%2Cb%3Ac 2023.txt,line=3,col=12,endLine=3,endColumn=19,\
             title=FZ002 leader-duty%2Ca%3Ab::完成率50%25: 低, 需说明%0A第二行 <&>\"' \u{7}响铃\n\
             ::warning file=报告/a%2Cb%3Ac 2023.txt,title=FZ003 next-year-plan::缺少下一年度工作计划\n\
             ::notice file=报告/a%2Cb%3Ac 2023.txt,title=FZ005 signature-date::\
             unknown: `signature.date` cannot be read: 落款无日期\n\
             reportlint: checked 1 report: 1 error, 1 warning, 0 infos, 1 unknown, 1 pass\n"
        );
    }

    #[test]
    fn one_command_per_failure_and_unknown() {
        let (results, summary) = fixture::results();
        let out = render_to_string(&results, &summary);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 8 + 1);
        let kinds: Vec<&str> = lines[..8]
            .iter()
            .map(|l| l.split(' ').next().unwrap())
            .collect();
        assert_eq!(
            kinds,
            [
                "::error",
                "::warning",
                "::notice",
                "::notice",
                "::error",
                "::error",
                "::error",
                "::notice"
            ]
        );
        // The info failure is a notice with its span.
        assert!(lines[2].contains(",line=5,col="));
        // A multi-line span.
        assert!(lines[7].contains(",line=1,col=19,endLine=2,endColumn=3,"));
        assert_eq!(
            lines[8],
            "reportlint: checked 2 reports: 4 errors, 1 warning, 1 info, 2 unknowns, 2 passes"
        );
        assert!(!lines[8].starts_with("::"));
    }

    #[test]
    fn an_unreadable_input_is_an_error_on_its_file() {
        let u = super::super::Unreadable {
            path: "ci/a,b.txt".into(),
            uri: String::new(),
            code: "input::empty".into(),
            message: "ci/a,b.txt: the file is empty".into(),
            help: None,
        };
        let mut out = Vec::new();
        unreadable(&mut out, &[u]).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "::error file=ci/a%2Cb.txt,title=reportlint%3A unreadable input (input%3A%3Aempty)\
             ::ci/a,b.txt: the file is empty\n"
        );
    }

    #[test]
    fn escaping() {
        assert_eq!(escape_data("a%b\r\nc:d,e"), "a%25b%0D%0Ac:d,e");
        assert_eq!(escape_property("a%b\r\nc:d,e"), "a%25b%0D%0Ac%3Ad%2Ce");
    }

    #[test]
    fn unreadable_inputs_are_counted() {
        let summary = Summary {
            reports: 1,
            unreadable: 2,
            ..Summary::default()
        };
        assert_eq!(
            summary_line(&summary),
            "reportlint: checked 1 report: 0 errors, 0 warnings, 0 infos, 0 unknowns, 0 passes, \
             2 unreadable"
        );
    }
}
