//! Output stage: `reportlint check --format concise` — one line per failure or unknown, the
//! shape compilers, ruff and editors' problem matchers read:
//! `path:line:col: FZ003 [warning] message` (`path: …` when the finding has no place), unknowns as
//! `[unknown]` with what the report does not say.

use super::common::{is_reported, location, unknown_text};
use crate::check::finding::{Finding, ReportResult, Status};
use std::io::{self, Write};

/// The line of one failure or unknown. Line breaks in a message become spaces: one finding, one
/// line.
fn line(path: &str, f: &Finding) -> String {
    let at = location(path, f.span);
    let (tag, message) = match f.status {
        Status::Unknown => ("unknown", unknown_text(f)),
        _ => (f.severity.name(), f.message.clone()),
    };
    let message: String = message
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    format!("{at}: {} [{tag}] {message}", f.rule)
}

/// The lines of one report (written as each report is checked).
pub fn report(w: &mut dyn Write, r: &ReportResult) -> io::Result<()> {
    for f in r.findings.iter().filter(|f| is_reported(f)) {
        writeln!(w, "{}", line(&r.path, f))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::common::fixture;

    #[test]
    fn one_line_per_failure_and_unknown() {
        let (results, _) = fixture::results();
        let mut out = Vec::new();
        for r in &results {
            report(&mut out, r).unwrap();
        }
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 8);
        assert_eq!(
            lines[0],
            "辛庄镇 2023.txt:3:12: FZ002 [error] 完成率50%: 低, 需说明 第二行 <&>\"' \u{7}响铃"
        );
        assert_eq!(
            lines[1],
            "辛庄镇 2023.txt: FZ003 [warning] 缺少下一年度工作计划"
        );
        assert_eq!(
            lines[3],
            "辛庄镇 2023.txt: FZ005 [unknown] unknown: `signature.date` cannot be read: 落款无日期"
        );
        assert_eq!(
            lines[7],
            "reports/wuqing.txt:1:19: FZ005 [unknown] unknown: no signature"
        );
    }
}
