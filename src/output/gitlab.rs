//! Output stage: `reportlint check --format gitlab` — GitLab's code-quality report (a JSON array
//! of issues, the `artifacts:reports:codequality` format), so merge requests show findings.
//!
//! One issue per failure and unknown: `description` (the message), `check_name` (`FZ003
//! shortcoming-causes`), `severity` (error → `major`, warning → `minor`, info and unknown →
//! `info`), `location.path` and `location.lines.begin`, and a `fingerprint` unique in the report:
//! the finding's evidence fingerprint ([`Finding::fingerprint`]), the path's, and the occurrence
//! number among equal ones — GitLab compares issues across pipelines by it. An input that could
//! not be read is a `blocker` on its file.

use super::Unreadable;
use super::common::{is_reported, unknown_text};
use crate::check::finding::{Finding, ReportResult, Status};
use crate::rulebook::Severity;
use serde::Serialize;
use std::collections::HashMap;
use std::io::{self, Write};

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: String,
    fingerprint: String,
    severity: &'static str,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
}

fn severity(f: &Finding) -> &'static str {
    match (f.status, f.severity) {
        (Status::Unknown, _) | (_, Severity::Info) => "info",
        (_, Severity::Warning) => "minor",
        (_, Severity::Error) => "major",
    }
}

/// 64-bit FNV-1a of a path, as 16 hex digits: stable across runs and toolchains.
fn path_hash(path: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in path.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// Writes the run as one code-quality report.
pub fn render(
    w: &mut dyn Write,
    results: &[ReportResult],
    unreadable: &[Unreadable],
) -> io::Result<()> {
    let mut issues = Vec::new();
    for r in results {
        let path = path_hash(&r.path);
        let mut seen: HashMap<String, usize> = HashMap::new();
        for f in r.findings.iter().filter(|f| is_reported(f)) {
            let print = f.fingerprint();
            let n = seen.entry(print.clone()).or_insert(0);
            *n += 1;
            issues.push(Issue {
                description: match f.status {
                    Status::Unknown => unknown_text(f),
                    _ => f.message.clone(),
                },
                check_name: format!("{} {}", f.rule, f.name),
                fingerprint: format!("{print}-{path}-{n}"),
                severity: severity(f),
                location: Location {
                    path: &r.path,
                    lines: Lines {
                        begin: f.span.map_or(1, |s| s.line),
                    },
                },
            });
        }
    }
    for u in unreadable {
        issues.push(Issue {
            description: u.message.clone(),
            check_name: format!("reportlint {}", u.code),
            fingerprint: format!("unreadable-{}", path_hash(&u.path)),
            severity: "blocker",
            location: Location {
                path: &u.path,
                lines: Lines { begin: 1 },
            },
        });
    }
    serde_json::to_writer_pretty(&mut *w, &issues)?;
    w.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::common::fixture;
    use serde_json::{Value, json};
    use std::collections::HashSet;

    fn rendered(unreadable: &[Unreadable]) -> Vec<Value> {
        let (results, _) = fixture::results();
        let mut out = Vec::new();
        render(&mut out, &results, unreadable).unwrap();
        serde_json::from_slice::<Value>(&out)
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    }

    #[test]
    fn issues_have_gitlabs_fields() {
        let issues = rendered(&[]);
        assert_eq!(issues.len(), 8, "failures and unknowns");
        let first = &issues[0];
        assert_eq!(first["check_name"], "FZ002 leader-duty");
        assert_eq!(first["severity"], "major");
        assert_eq!(
            first["location"],
            json!({"path": "辛庄镇 2023.txt", "lines": {"begin": 3}})
        );
        let severities: Vec<&str> = issues
            .iter()
            .map(|i| i["severity"].as_str().unwrap())
            .collect();
        assert_eq!(
            severities,
            [
                "major", "minor", "info", "info", "major", "major", "major", "info"
            ]
        );
        for i in &issues {
            let keys: Vec<&String> = i.as_object().unwrap().keys().collect();
            assert_eq!(
                keys,
                [
                    "check_name",
                    "description",
                    "fingerprint",
                    "location",
                    "severity"
                ]
            );
        }
    }

    #[test]
    fn fingerprints_are_unique_and_unreadable_inputs_are_blockers() {
        let u = Unreadable {
            path: "ci/坏.txt".into(),
            uri: String::new(),
            code: "input::empty".into(),
            message: "ci/坏.txt: the file is empty".into(),
            help: None,
        };
        let issues = rendered(&[u]);
        let prints: HashSet<&str> = issues
            .iter()
            .map(|i| i["fingerprint"].as_str().unwrap())
            .collect();
        assert_eq!(prints.len(), issues.len());
        let last = issues.last().unwrap();
        assert_eq!(last["severity"], "blocker");
        assert_eq!(last["location"]["path"], "ci/坏.txt");
    }
}
