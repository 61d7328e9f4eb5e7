//! Output stage: `reportlint check --format jsonl` — JSON Lines, one finding per line (the JSON
//! format's finding object with the report's `path` first), then a last line
//! `{"summary": {...}}`, after one `{"error": {...}}` line per input that could not be read.
//! Suited to `grep`, `jq -c` and streaming consumers.

use super::json::{FindingOut, SummaryOut};
use crate::check::finding::{ReportResult, Summary};
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct Line<'a> {
    path: &'a str,
    #[serde(flatten)]
    finding: FindingOut<'a>,
}

#[derive(Serialize)]
struct ErrorLine<'a> {
    error: super::json::ErrorOut<'a>,
}

/// One line per input that could not be read.
pub fn errors(w: &mut dyn Write, unreadable: &[super::Unreadable]) -> io::Result<()> {
    for u in unreadable {
        serde_json::to_writer(&mut *w, &ErrorLine { error: u.into() })?;
        w.write_all(b"\n")?;
    }
    Ok(())
}

#[derive(Serialize)]
struct Last {
    summary: SummaryOut,
}

/// Writes one line per finding, then the summary line.
pub fn render(w: &mut dyn Write, results: &[ReportResult], summary: &Summary) -> io::Result<()> {
    for r in results {
        report(w, r)?;
    }
    summary_line(w, summary)
}

/// The lines of one report's findings (written as each report is checked).
pub fn report(w: &mut dyn Write, r: &ReportResult) -> io::Result<()> {
    for f in &r.findings {
        let line = Line {
            path: &r.path,
            finding: FindingOut::from(f),
        };
        serde_json::to_writer(&mut *w, &line)?;
        w.write_all(b"\n")?;
    }
    Ok(())
}

/// The last line.
pub fn summary_line(w: &mut dyn Write, summary: &Summary) -> io::Result<()> {
    let last = Last {
        summary: SummaryOut::from(summary),
    };
    serde_json::to_writer(&mut *w, &last)?;
    w.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::common::fixture::{self, NASTY, PATH_2, PATH_CN};
    use serde_json::Value;

    fn lines() -> Vec<Value> {
        let (results, summary) = fixture::results();
        let mut out = Vec::new();
        render(&mut out, &results, &summary).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.ends_with('\n'));
        let mut raw = text.lines();
        assert!(
            raw.next()
                .unwrap()
                .starts_with("{\"path\":\"辛庄镇 2023.txt\",\"rule\":")
        );
        assert!(raw.last().unwrap().starts_with("{\"summary\":{"));
        text.lines()
            .map(|l| serde_json::from_str(l).expect("each line is one JSON value"))
            .collect()
    }

    #[test]
    fn one_line_per_finding_then_summary() {
        let (results, summary) = fixture::results();
        let n: usize = results.iter().map(|r| r.findings.len()).sum();
        let lines = lines();
        assert_eq!(lines.len(), n + 1);
        let last = lines.last().unwrap();
        assert_eq!(last.as_object().unwrap().len(), 1);
        assert_eq!(last["summary"]["reports"], 2);
        assert_eq!(last["summary"]["errors"], summary.errors);
        assert_eq!(last["summary"]["elapsed_ms"], 1234);
    }

    #[test]
    fn lines_carry_path_and_finding_fields() {
        let lines = lines();
        assert_eq!(lines[0]["path"], PATH_CN);
        assert_eq!(lines[8]["path"], PATH_2);
        let nasty = &lines[1];
        assert_eq!(nasty["rule"], "FZ002");
        assert_eq!(nasty["outcome"], "fail");
        assert_eq!(nasty["message"], NASTY);
        assert_eq!(nasty["span"]["line"], 3);
        assert_eq!(nasty["span"]["column"], 12);
        for l in &lines[..lines.len() - 1] {
            let keys = l.as_object().unwrap();
            assert_eq!(keys.len(), 14, "path and the 13 finding fields: {l}");
        }
        assert_eq!(lines[5]["outcome"], "not_applicable");
    }
}
