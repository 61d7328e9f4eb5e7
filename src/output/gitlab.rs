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
use super::common::{indented, is_reported, unknown_text};
use crate::check::finding::{Finding, ReportResult, Status, Summary};
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

/// The issues of one report: its failures and unknowns.
fn issues(r: &ReportResult) -> Vec<Issue<'_>> {
    let path = path_hash(&r.path);
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for f in r.findings.iter().filter(|f| is_reported(f)) {
        let print = f.fingerprint();
        let n = seen.entry(print.clone()).or_insert(0);
        *n += 1;
        out.push(Issue {
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
    out
}

/// The issue of an input that could not be read.
fn blocker(u: &Unreadable) -> Issue<'_> {
    Issue {
        description: u.message.clone(),
        check_name: format!("reportlint {}", u.code),
        fingerprint: format!("unreadable-{}", path_hash(&u.path)),
        severity: "blocker",
        location: Location {
            path: &u.path,
            lines: Lines { begin: 1 },
        },
    }
}

/// Writes the report a report at a time, as JSON array elements: `begin`, `report` for each result
/// in input order, `end` with the unreadable inputs. Nothing but the current report is held; the
/// bytes are serde_json's pretty printing of the whole array.
pub struct Stream {
    issues: usize,
}

impl Stream {
    pub fn begin(w: &mut dyn Write) -> io::Result<Stream> {
        w.write_all(b"[")?;
        Ok(Stream { issues: 0 })
    }

    fn issue(&mut self, w: &mut dyn Write, issue: &Issue) -> io::Result<()> {
        w.write_all(if self.issues == 0 { b"\n" } else { b",\n" })?;
        self.issues += 1;
        indented(w, &serde_json::to_vec_pretty(issue)?, 2)
    }
}

impl super::DocumentStream for Stream {
    fn report(&mut self, w: &mut dyn Write, r: &ReportResult) -> io::Result<()> {
        for issue in issues(r) {
            self.issue(w, &issue)?;
        }
        Ok(())
    }

    fn end(
        mut self: Box<Self>,
        w: &mut dyn Write,
        _summary: &Summary,
        unreadable: &[Unreadable],
    ) -> io::Result<()> {
        for u in unreadable {
            self.issue(w, &blocker(u))?;
        }
        w.write_all(if self.issues == 0 { b"]\n" } else { b"\n]\n" })
    }
}

/// The whole report from results held in memory (what `check` streams).
#[cfg(test)]
pub fn render(
    w: &mut dyn Write,
    results: &[ReportResult],
    unreadable: &[Unreadable],
) -> io::Result<()> {
    let summary = Summary::default();
    super::render_whole(
        Box::new(Stream::begin(w)?),
        w,
        results,
        &summary,
        unreadable,
    )
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

    /// The streamed bytes are exactly serde_json's pretty printing of the whole array.
    #[test]
    fn streaming_gives_the_bytes_of_the_whole_array() {
        let (results, _) = fixture::results();
        let u = fixture::unreadable("ci/坏\".txt");
        for (results, unreadable) in [
            (&results[..], &[][..]),
            (&[][..], &[][..]),
            (&results[..], std::slice::from_ref(&u)),
            (&[][..], std::slice::from_ref(&u)),
        ] {
            let mut streamed = Vec::new();
            render(&mut streamed, results, unreadable).unwrap();
            let whole: Vec<Issue> = results
                .iter()
                .flat_map(issues)
                .chain(unreadable.iter().map(blocker))
                .collect();
            let mut expected = serde_json::to_vec_pretty(&whole).unwrap();
            expected.push(b'\n');
            assert_eq!(
                String::from_utf8(streamed).unwrap(),
                String::from_utf8(expected).unwrap()
            );
        }
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
