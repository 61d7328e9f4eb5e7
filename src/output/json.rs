//! Output stage: `reportlint check --format json` — every finding of every report, and the
//! summary, as one pretty-printed JSON document.
//!
//! The field names are a stable interface, documented in `docs/check-json.md`; they are spelled
//! out here rather than derived from the check stage's types so that renaming a field there
//! cannot change the output. JSON Lines ([`super::jsonl`]) prints the same objects.

use super::common::{indented, indented_rest, status_name};
use crate::check::finding::{Finding, ReportResult, Summary};
use crate::report::Span;
use serde::Serialize;
use std::io::{self, Write};

/// The version of the document's shape; raised on any incompatible change.
pub const VERSION: u32 = 1;

/// A span: byte offsets into the report's original text, 1-based lines and character columns.
#[derive(Serialize)]
pub(crate) struct SpanOut {
    start: usize,
    end: usize,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

impl From<Span> for SpanOut {
    fn from(s: Span) -> Self {
        SpanOut {
            start: s.start,
            end: s.end,
            line: s.line,
            column: s.column,
            end_line: s.end_line,
            end_column: s.end_column,
        }
    }
}

/// One finding, in the documented field order.
#[derive(Serialize)]
pub(crate) struct FindingOut<'a> {
    rule: &'a str,
    name: &'a str,
    severity: &'static str,
    outcome: &'static str,
    message: &'a str,
    reason: Option<&'a str>,
    span: Option<SpanOut>,
    evidence: Option<&'a str>,
    span_is_evidence: bool,
    title: &'a str,
    help: Option<&'a str>,
    basis: Option<&'a str>,
    link: Option<&'a str>,
    /// With `--trace RULE`, on that rule's findings: how it decided.
    #[serde(skip_serializing_if = "Option::is_none")]
    trace: Option<&'a [crate::check::finding::TraceLine]>,
}

impl<'a> From<&'a Finding> for FindingOut<'a> {
    fn from(f: &'a Finding) -> Self {
        FindingOut {
            rule: &f.rule,
            name: &f.name,
            severity: f.severity.name(),
            outcome: status_name(f.status),
            message: &f.message,
            reason: f.reason.as_deref(),
            span: f.span.map(SpanOut::from),
            evidence: f.evidence.as_deref(),
            span_is_evidence: f.span_is_evidence,
            title: &f.title,
            help: f.help.as_deref(),
            basis: f.basis.as_deref(),
            link: f.link.as_deref(),
            trace: f.trace.as_deref(),
        }
    }
}

/// The totals of a run.
#[derive(Serialize)]
pub(crate) struct SummaryOut {
    reports: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    unknowns: usize,
    passes: usize,
    unreadable: usize,
    /// Only when there are any (waivers, `--baseline`).
    #[serde(skip_serializing_if = "is_zero")]
    waived: usize,
    #[serde(skip_serializing_if = "is_zero")]
    baselined: usize,
    elapsed_ms: u128,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl From<&Summary> for SummaryOut {
    fn from(s: &Summary) -> Self {
        SummaryOut {
            reports: s.reports,
            errors: s.errors,
            warnings: s.warnings,
            infos: s.infos,
            unknowns: s.unknowns,
            passes: s.passes,
            unreadable: s.unreadable,
            waived: s.waived,
            baselined: s.baselined,
            elapsed_ms: s.elapsed_ms,
        }
    }
}

#[derive(Serialize)]
struct ReportOut<'a> {
    path: &'a str,
    findings: Vec<FindingOut<'a>>,
}

/// An input that could not be read.
#[derive(Serialize)]
pub(crate) struct ErrorOut<'a> {
    path: &'a str,
    code: &'a str,
    message: &'a str,
}

impl<'a> From<&'a super::Unreadable> for ErrorOut<'a> {
    fn from(u: &'a super::Unreadable) -> Self {
        ErrorOut {
            path: &u.path,
            code: &u.code,
            message: &u.message,
        }
    }
}

/// Writes the run as one JSON document, a report at a time: `begin`, then `report` for each
/// result in input order, then `end` with the unreadable inputs and the summary. Nothing but the
/// current report is held, so memory does not grow with the number of reports. The bytes are
/// those of `serde_json`'s pretty printer on the whole document (each report is printed alone
/// and indented to its depth; JSON strings hold no raw line breaks, so indenting lines is safe).
pub struct Stream {
    reports: usize,
}

impl Stream {
    pub fn begin(w: &mut dyn Write) -> io::Result<Stream> {
        write!(w, "{{\n  \"version\": {VERSION},\n  \"reports\": [")?;
        Ok(Stream { reports: 0 })
    }
}

/// One report's object, indented to its depth in the document: needs nothing of the stream, so
/// `check` renders it on the worker that checked the report.
pub fn fragment(r: &ReportResult) -> io::Result<Vec<u8>> {
    let out = ReportOut {
        path: &r.path,
        findings: r.findings.iter().map(FindingOut::from).collect(),
    };
    let mut bytes = Vec::new();
    indented(&mut bytes, &serde_json::to_vec_pretty(&out)?, 4)?;
    Ok(bytes)
}

impl super::DocumentStream for Stream {
    fn report(&mut self, w: &mut dyn Write, r: &ReportResult) -> io::Result<()> {
        self.rendered(w, r, &fragment(r)?)
    }

    fn rendered(&mut self, w: &mut dyn Write, r: &ReportResult, fragment: &[u8]) -> io::Result<()> {
        if fragment.is_empty() {
            // Nothing rendered ahead (the worker's render failed): render here, so that the
            // error is returned.
            return self.report(w, r);
        }
        w.write_all(if self.reports == 0 { b"\n" } else { b",\n" })?;
        self.reports += 1;
        w.write_all(fragment)
    }

    fn end(
        self: Box<Self>,
        w: &mut dyn Write,
        summary: &Summary,
        unreadable: &[super::Unreadable],
    ) -> io::Result<()> {
        if self.reports > 0 {
            w.write_all(b"\n  ")?;
        }
        w.write_all(b"],\n  \"errors\": ")?;
        let errors: Vec<ErrorOut> = unreadable.iter().map(ErrorOut::from).collect();
        indented_rest(w, &serde_json::to_vec_pretty(&errors)?, 2)?;
        w.write_all(b",\n  \"summary\": ")?;
        indented_rest(
            w,
            &serde_json::to_vec_pretty(&SummaryOut::from(summary))?,
            2,
        )?;
        w.write_all(b"\n}\n")
    }
}

/// The whole run as one JSON document, from results held in memory (what `check` streams).
#[cfg(test)]
pub fn render(
    w: &mut dyn Write,
    results: &[ReportResult],
    summary: &Summary,
    unreadable: &[super::Unreadable],
) -> io::Result<()> {
    super::render_whole(Box::new(Stream::begin(w)?), w, results, summary, unreadable)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::common::fixture::{self, NASTY, PATH_2, PATH_CN};
    use serde_json::{Value, json};

    /// The streamed bytes are exactly serde_json's pretty printing of the whole document.
    #[test]
    fn streaming_gives_the_bytes_of_the_whole_document() {
        let (results, summary) = fixture::results();
        for (results, unreadable) in [
            (&results[..], vec![]),
            (&[][..], vec![]),
            (
                &results[..1],
                vec![crate::output::Unreadable {
                    path: "坏.txt".into(),
                    uri: "%E5%9D%8F.txt".into(),
                    code: "input::empty".into(),
                    message: "坏.txt: the file is empty".into(),
                    help: None,
                }],
            ),
        ] {
            let mut streamed = Vec::new();
            render(&mut streamed, results, &summary, &unreadable).unwrap();
            #[derive(Serialize)]
            struct Document<'a> {
                version: u32,
                reports: Vec<ReportOut<'a>>,
                errors: Vec<ErrorOut<'a>>,
                summary: SummaryOut,
            }
            let whole = Document {
                version: VERSION,
                reports: results
                    .iter()
                    .map(|r| ReportOut {
                        path: &r.path,
                        findings: r.findings.iter().map(FindingOut::from).collect(),
                    })
                    .collect(),
                errors: unreadable.iter().map(ErrorOut::from).collect(),
                summary: SummaryOut::from(&summary),
            };
            let expected = serde_json::to_string_pretty(&whole).unwrap() + "\n";
            assert_eq!(String::from_utf8(streamed).unwrap(), expected);
        }
    }

    fn rendered() -> Value {
        let (results, summary) = fixture::results();
        let mut out = Vec::new();
        render(&mut out, &results, &summary, &[]).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.ends_with("}\n"), "one document and a newline");
        assert!(text.contains("\n  \"reports\""), "pretty-printed");
        serde_json::from_str(&text).unwrap()
    }

    const FIELDS: [&str; 13] = [
        "rule",
        "name",
        "severity",
        "outcome",
        "message",
        "reason",
        "span",
        "evidence",
        "span_is_evidence",
        "title",
        "help",
        "basis",
        "link",
    ];

    #[test]
    fn document_has_version_reports_and_summary() {
        let v = rendered();
        assert_eq!(v["version"], 1);
        let reports = v["reports"].as_array().unwrap();
        assert_eq!(reports.len(), 2);
        assert_eq!(reports[0]["path"], PATH_CN);
        assert_eq!(reports[1]["path"], PATH_2);
        assert_eq!(reports[0]["findings"].as_array().unwrap().len(), 8);
        assert_eq!(
            v["summary"],
            json!({"reports": 2, "errors": 4, "warnings": 1, "infos": 1, "unknowns": 2,
                   "passes": 2, "unreadable": 0, "elapsed_ms": 1234})
        );
    }

    #[test]
    fn every_finding_has_exactly_the_documented_fields() {
        let v = rendered();
        for r in v["reports"].as_array().unwrap() {
            for f in r["findings"].as_array().unwrap() {
                let keys: Vec<&str> = f.as_object().unwrap().keys().map(|k| k.as_str()).collect();
                let mut want = FIELDS.to_vec();
                want.sort();
                assert_eq!(keys, want);
            }
        }
    }

    #[test]
    fn finding_values_round_trip() {
        let v = rendered();
        let f = &v["reports"][0]["findings"][1];
        assert_eq!(f["rule"], "FZ002");
        assert_eq!(f["name"], "leader-duty");
        assert_eq!(f["severity"], "error");
        assert_eq!(f["outcome"], "fail");
        assert_eq!(f["message"], NASTY);
        assert_eq!(f["reason"], Value::Null);
        let span = fixture::span_of(fixture::TEXT_CN, "镇长张三未述法");
        assert_eq!(
            f["span"],
            json!({"start": span.start, "end": span.end, "line": 3, "column": 12,
                   "end_line": 3, "end_column": 19})
        );
        assert_eq!(f["evidence"], "镇长张三未述法");
        assert_eq!(f["span_is_evidence"], true);
        assert_eq!(
            f["basis"],
            "《法治政府建设与责任落实督察工作规定》第二十五条"
        );

        let statuses: Vec<&str> = v["reports"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["outcome"].as_str().unwrap())
            .collect();
        assert_eq!(
            statuses,
            [
                "pass",
                "fail",
                "fail",
                "fail",
                "unknown",
                "not_applicable",
                "fail",
                "fail"
            ]
        );
        let unknown = &v["reports"][0]["findings"][4];
        assert_eq!(unknown["severity"], "warning");
        assert_eq!(unknown["span"], Value::Null);
        assert_eq!(unknown["evidence"], Value::Null);
        assert_eq!(
            unknown["reason"],
            "`signature.date` cannot be read: 落款无日期"
        );
        assert_eq!(v["reports"][0]["findings"][3]["severity"], "info");
        assert_eq!(v["reports"][1]["findings"][2]["span_is_evidence"], false);
    }

    #[test]
    fn docs_list_every_field() {
        let docs = include_str!("../../docs/check-json.md");
        for field in FIELDS {
            assert!(
                docs.contains(&format!("| `{field}` |")),
                "{field} in docs/check-json.md"
            );
        }
        let v = rendered();
        for key in v["summary"].as_object().unwrap().keys() {
            assert!(
                docs.contains(&format!("`{key}`")),
                "summary.{key} in docs/check-json.md"
            );
        }
        for status in ["pass", "fail", "unknown", "not_applicable"] {
            assert!(
                docs.contains(&format!("| `{status}` |")),
                "outcome {status} documented"
            );
        }
    }

    #[test]
    fn empty_run_is_a_valid_document() {
        let mut out = Vec::new();
        render(&mut out, &[], &Summary::default(), &[]).unwrap();
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["reports"], json!([]));
        assert_eq!(v["errors"], json!([]));
        assert_eq!(v["summary"]["reports"], 0);
    }
}
