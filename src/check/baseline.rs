//! Check stage: baselines — the failures a project has accepted for now, so that a run fails
//! only on new ones (`check --write-baseline FILE`, then `check --baseline FILE`).
//!
//! A baseline records each failure by report path, rule and [`Finding::fingerprint`] (the rule
//! and the evidence text, not its position), so a recorded failure is still recognised when lines
//! above it move. A failure that occurs twice is recorded twice and matched twice.
//!
//! ```json
//! {"version": 1, "findings": [{"path": "reports/a.txt", "rule": "FZ003",
//!   "fingerprint": "1f0e…", "message": "报告列出了不足，但未分析其原因"}]}
//! ```

use super::finding::{Finding, ReportResult, Status};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// The version of the file's shape.
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
struct Entry {
    path: String,
    rule: String,
    fingerprint: String,
    /// For people reading the file; not matched.
    #[serde(default)]
    message: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u32,
    findings: Vec<Entry>,
}

/// A loaded baseline: how many times each failure is recorded.
#[derive(Debug, Default)]
pub struct Baseline {
    counts: HashMap<(String, String, String), usize>,
}

/// A report path as baselines record it: `/`-separated, without a leading `./`.
fn key_path(path: &str) -> String {
    let mut p = path.replace('\\', "/");
    while let Some(rest) = p.strip_prefix("./") {
        p = rest.to_string();
    }
    p
}

fn entry(path: &str, f: &Finding) -> Entry {
    Entry {
        path: key_path(path),
        rule: f.rule.clone(),
        fingerprint: f.fingerprint(),
        message: f.message.clone(),
    }
}

impl Baseline {
    /// Reads a baseline file; the error says what is wrong with it.
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let text = crate::limits::read_text(path, 64 * 1024 * 1024).map_err(|e| e.to_string())?;
        let file: File = serde_json::from_str(&text).map_err(|e| {
            format!("not a reportlint baseline ({e}); write one with `check --write-baseline FILE`")
        })?;
        if file.version != VERSION {
            return Err(format!(
                "baseline version {} is not {VERSION}; write it again with `check --write-baseline FILE`",
                file.version
            ));
        }
        let mut counts = HashMap::new();
        for e in file.findings {
            *counts.entry((e.path, e.rule, e.fingerprint)).or_insert(0) += 1;
        }
        Ok(Baseline { counts })
    }

    /// Removes from `result` the failures the baseline records (each recorded one matching at
    /// most one); returns how many it removed.
    pub fn filter(&self, result: &mut ReportResult) -> usize {
        let path = key_path(&result.path);
        let mut left: HashMap<(String, String), usize> = HashMap::new();
        for ((p, rule, fp), n) in &self.counts {
            if *p == path {
                left.insert((rule.clone(), fp.clone()), *n);
            }
        }
        if left.is_empty() {
            return 0;
        }
        let before = result.findings.len();
        result.findings.retain(|f| {
            if f.status != Status::Fail {
                return true;
            }
            match left.get_mut(&(f.rule.clone(), f.fingerprint())) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            }
        });
        before - result.findings.len()
    }
}

/// The entries a report's failures add to a baseline.
pub fn record(result: &ReportResult) -> Vec<String> {
    result
        .findings
        .iter()
        .filter(|f| f.status == Status::Fail)
        .map(|f| serde_json::to_string(&entry(&result.path, f)).expect("plain strings"))
        .collect()
}

/// Writes a baseline of the failures recorded with [`record`].
pub fn write(path: &Path, recorded: Vec<String>) -> std::io::Result<usize> {
    let mut findings: Vec<Entry> = recorded
        .iter()
        .filter_map(|s| serde_json::from_str(s).ok())
        .collect();
    findings.sort();
    let n = findings.len();
    let file = File {
        version: VERSION,
        findings,
    };
    let mut text = serde_json::to_string_pretty(&file).expect("plain strings");
    text.push('\n');
    std::fs::write(path, text)?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Span;
    use crate::rulebook::Severity;

    fn fail(rule: &str, evidence: &str, line: usize) -> Finding {
        Finding {
            rule: rule.into(),
            name: "n".into(),
            severity: Severity::Error,
            status: Status::Fail,
            message: "m".into(),
            reason: None,
            span: Some(Span {
                line,
                ..Span::default()
            }),
            evidence: Some(evidence.into()),
            span_is_evidence: true,
            title: "t".into(),
            help: None,
            basis: None,
            link: None,
            trace: None,
        }
    }

    /// A recorded failure is recognised when it moved; a new one, or a second copy beyond what
    /// was recorded, is not.
    #[test]
    fn recorded_failures_match_by_rule_path_and_evidence_not_line() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("baseline.json");
        let before = ReportResult {
            path: "./reports/a.txt".into(),
            file: None,
            findings: vec![fail("FZ003", "原因", 3), fail("FZ013", "发挥发挥", 7)],
        };
        assert_eq!(write(&file, record(&before)).unwrap(), 2);
        let baseline = Baseline::load(&file).unwrap();
        let mut after = ReportResult {
            path: "reports/a.txt".into(),
            file: None,
            findings: vec![
                fail("FZ003", "原因", 30),
                fail("FZ013", "发挥发挥", 70),
                fail("FZ013", "发挥发挥", 71),
                fail("FZ012", "XX", 9),
            ],
        };
        assert_eq!(baseline.filter(&mut after), 2);
        let left: Vec<(&str, usize)> = after
            .findings
            .iter()
            .map(|f| (f.rule.as_str(), f.span.unwrap().line))
            .collect();
        assert_eq!(left, [("FZ013", 71), ("FZ012", 9)]);
        std::fs::write(&file, "{\"findings\": []}").unwrap();
        assert!(
            Baseline::load(&file)
                .unwrap_err()
                .contains("not a reportlint baseline")
        );
    }
}
