//! Output stage: `reportlint check --format sarif` — one SARIF 2.1.0 log for code-scanning
//! tools (GitHub code scanning, IDE viewers).
//!
//! One run; `tool.driver.rules` holds one reporting descriptor per distinct rule id, in the order
//! rules first appear. Results are the failures (`kind: fail`, level error/warning/note) and the
//! unknowns (`kind: review`, level `none`, the message giving the reason); passes and
//! not-applicable findings are left out. Columns count characters, so the run declares
//! `columnKind: unicodeCodePoints`; `byteOffset`/`byteLength` index the report's original bytes.
//! Report paths become URI references (percent-encoded UTF-8, relative paths kept relative).
//! Each result carries `partialFingerprints` (the finding's evidence fingerprint, which survives
//! edits elsewhere in the report), so dashboards follow a finding as lines move. An input that
//! could not be read makes the invocation unsuccessful and is a `toolExecutionNotifications`
//! entry naming the file: a broken run never looks clean.
//!
//! The log is written as reports are checked ([`Stream`]), so memory holds one report's results,
//! not the run's: the run's `results` come first and `tool` (whose rules are those met on the
//! way) and `invocations` (which know every unreadable input) after them. JSON gives the order of
//! an object's members no meaning, and SARIF readers parse the whole log.

use super::Unreadable;
use super::common::{http_uri, indented, is_reported, report_uri, unknown_text, whole_evidence};
use crate::check::finding::{Finding, ReportResult, Status, Summary};
use crate::rulebook::Severity;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, Write};

/// The `$schema` of the log.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// SARIF's `level` for a failed rule of a severity.
pub(crate) fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

// The objects of the log, in SARIF's names and in a readable order. Only what reportlint fills
// in is modelled; absent optional properties are left out rather than written as null.

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: &'a [Descriptor],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation<'a> {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification<'a>>,
}

/// An input that could not be read.
#[derive(Serialize)]
struct Notification<'a> {
    level: &'static str,
    message: Text<'a>,
    locations: [Location<'a>; 1],
    descriptor: DescriptorReference<'a>,
}

#[derive(Serialize)]
struct DescriptorReference<'a> {
    id: &'a str,
}

/// The key of the fingerprint in `partialFingerprints`; the version is raised if
/// [`Finding::fingerprint`] ever changes.
pub const FINGERPRINT_KEY: &str = "reportlint/evidence/v1";

/// A message or multiformat message string: plain text only.
#[derive(Serialize)]
struct Text<'a> {
    text: Cow<'a, str>,
}

fn text<'a>(s: impl Into<Cow<'a, str>>) -> Text<'a> {
    Text { text: s.into() }
}

/// A rule's descriptor, owned: it outlives the report whose finding introduced the rule.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: String,
    name: String,
    short_description: Text<'static>,
    #[serde(skip_serializing_if = "Option::is_none")]
    full_description: Option<Text<'static>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<Text<'static>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    kind: &'static str,
    level: &'static str,
    message: Text<'a>,
    locations: [Location<'a>; 1],
    partial_fingerprints: std::collections::BTreeMap<&'static str, String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region<'a>>,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region<'a> {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
    byte_offset: usize,
    byte_length: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet: Option<Text<'a>>,
}

/// The reporting descriptor of the rule of `f` (rule-level fields are the same on every finding).
fn descriptor(f: &Finding) -> Descriptor {
    let owned = |s: &str| text(s.to_string());
    Descriptor {
        id: f.rule.clone(),
        name: f.name.clone(),
        short_description: owned(&f.title),
        full_description: f.basis.as_deref().map(owned),
        help: f.help.as_deref().map(owned),
        help_uri: f.link.as_deref().and_then(http_uri),
        default_configuration: Configuration {
            level: level(f.severity),
        },
    }
}

fn result<'a>(uri: &str, f: &'a Finding, rule_index: usize) -> SarifResult<'a> {
    let (kind, level, message) = match f.status {
        Status::Unknown => ("review", "none", text(unknown_text(f))),
        _ => ("fail", level(f.severity), text(&f.message)),
    };
    let region = f.span.map(|s| Region {
        start_line: s.line,
        start_column: s.column,
        end_line: s.end_line,
        end_column: s.end_column,
        byte_offset: s.start,
        byte_length: s.end - s.start,
        snippet: whole_evidence(f).map(text),
    });
    SarifResult {
        rule_id: &f.rule,
        rule_index,
        kind,
        level,
        message,
        locations: [Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: uri.to_string(),
                },
                region,
            },
        }],
        partial_fingerprints: [(FINGERPRINT_KEY, f.fingerprint())].into(),
    }
}

fn notification(u: &Unreadable) -> Notification<'_> {
    Notification {
        level: "error",
        message: text(&u.message),
        locations: [Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation { uri: u.uri.clone() },
                region: None,
            },
        }],
        descriptor: DescriptorReference { id: &u.code },
    }
}

/// The members of the run written after its results.
#[derive(Serialize)]
struct Tail<'a> {
    tool: Tool<'a>,
    invocations: [Invocation<'a>; 1],
}

/// Writes the log a report at a time: `begin`, `report` for each result in input order, `end`.
/// What is held is one descriptor per rule met so far. The bytes are serde_json's pretty printing
/// of the whole log (see the test `streaming_gives_the_bytes_of_the_whole_log`).
pub struct Stream {
    rules: Vec<Descriptor>,
    index: HashMap<String, usize>,
    results: usize,
}

impl Stream {
    pub fn begin(w: &mut dyn Write) -> io::Result<Stream> {
        write!(
            w,
            "{{\n  \"$schema\": \"{SCHEMA_URI}\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {{\n      \
             \"columnKind\": \"unicodeCodePoints\",\n      \"results\": ["
        )?;
        Ok(Stream {
            rules: Vec::new(),
            index: HashMap::new(),
            results: 0,
        })
    }

    /// The index of a finding's rule in `tool.driver.rules`, which lists the rules in the
    /// order they are first met.
    fn index_of(&mut self, f: &Finding) -> usize {
        match self.index.get(f.rule.as_str()) {
            Some(&i) => i,
            None => {
                self.rules.push(descriptor(f));
                self.index.insert(f.rule.clone(), self.rules.len() - 1);
                self.rules.len() - 1
            }
        }
    }

    fn tail<'a>(&'a self, unreadable: &'a [Unreadable]) -> Tail<'a> {
        Tail {
            tool: Tool {
                driver: Driver {
                    name: "reportlint",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: crate::REPOSITORY,
                    rules: &self.rules,
                },
            },
            invocations: [Invocation {
                execution_successful: unreadable.is_empty(),
                tool_execution_notifications: unreadable.iter().map(notification).collect(),
            }],
        }
    }
}

/// A result's `ruleIndex` in a fragment rendered before the index is known; the stream writes
/// the index in its place. (Inside a JSON string a quote is escaped, so this cannot occur in a
/// message.)
const PENDING_INDEX: usize = u32::MAX as usize;
const PENDING: &[u8] = b"\"ruleIndex\": 4294967295";

/// One report's results, each after `,\n` and indented to its depth, with [`PENDING`] for the
/// rule index: rendered on the worker that checked the report.
pub fn fragment(r: &ReportResult) -> io::Result<Vec<u8>> {
    let uri = report_uri(r);
    let mut bytes = Vec::new();
    for f in r.findings.iter().filter(|f| is_reported(f)) {
        bytes.extend_from_slice(b",\n");
        let json = serde_json::to_vec_pretty(&result(&uri, f, PENDING_INDEX))?;
        indented(&mut bytes, &json, 8)?;
    }
    Ok(bytes)
}

impl super::DocumentStream for Stream {
    fn report(&mut self, w: &mut dyn Write, r: &ReportResult) -> io::Result<()> {
        self.rendered(w, r, &fragment(r)?)
    }

    fn rendered(&mut self, w: &mut dyn Write, r: &ReportResult, fragment: &[u8]) -> io::Result<()> {
        let mut indices = Vec::new();
        for f in &r.findings {
            let i = self.index_of(f);
            if is_reported(f) {
                indices.push(i);
            }
        }
        let here;
        let mut rest = if fragment.is_empty() && !indices.is_empty() {
            // Nothing rendered ahead (the worker's render failed): render here, so that the
            // error is returned.
            here = self::fragment(r)?;
            &here[..]
        } else {
            fragment
        };
        if self.results == 0 {
            // The first result opens the array: no comma before it.
            rest = rest.strip_prefix(b",").unwrap_or(rest);
        }
        for &i in &indices {
            let at = memchr::memmem::find(rest, PENDING).ok_or_else(|| {
                io::Error::other("a SARIF result rendered without its rule index")
            })?;
            w.write_all(&rest[..at])?;
            write!(w, "\"ruleIndex\": {i}")?;
            rest = &rest[at + PENDING.len()..];
        }
        w.write_all(rest)?;
        self.results += indices.len();
        Ok(())
    }

    /// Closes the results and writes the tool and the invocation; `unreadable` are the inputs
    /// that could not be read.
    fn end(
        self: Box<Self>,
        w: &mut dyn Write,
        _summary: &Summary,
        unreadable: &[Unreadable],
    ) -> io::Result<()> {
        if self.results > 0 {
            w.write_all(b"\n      ")?;
        }
        w.write_all(b"],\n")?;
        let tail = serde_json::to_vec_pretty(&self.tail(unreadable))?;
        // The tail's members, without its braces, at the run's depth.
        indented(w, &tail[2..tail.len() - 2], 4)?;
        w.write_all(b"\n    }\n  ]\n}\n")
    }
}

/// The whole log from results held in memory (what `check` streams).
#[cfg(test)]
pub fn render(
    w: &mut dyn Write,
    results: &[ReportResult],
    summary: &Summary,
    unreadable: &[Unreadable],
) -> io::Result<()> {
    super::render_whole(Box::new(Stream::begin(w)?), w, results, summary, unreadable)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::DocumentStream;
    use crate::output::common::fixture::{self, NASTY, PATH_CN, percent_decode};
    use crate::output::common::path_to_uri;
    use serde_json::{Value, json};

    /// The official OASIS schema (errata 01), vendored: validation never touches the network.
    const SCHEMA: &str = include_str!("../../tests/data/sarif-schema-2.1.0.json");

    fn rendered() -> Value {
        let (results, summary) = fixture::results();
        let mut out = Vec::new();
        render(&mut out, &results, &summary, &[]).unwrap();
        serde_json::from_slice(&out).unwrap()
    }

    /// Validates against the vendored schema, with `format` (`uri`, `uri-reference`) asserted.
    fn validate(log: &Value) -> Result<(), String> {
        let schema: Value = serde_json::from_str(SCHEMA).unwrap();
        let id = schema["id"].as_str().unwrap().to_string();
        let mut schemas = boon::Schemas::new();
        let mut compiler = boon::Compiler::new();
        compiler.enable_format_assertions();
        // Registered under its own id, so nothing is ever loaded; boon has no http loader anyway.
        compiler.add_resource(&id, schema).unwrap();
        let index = compiler.compile(&id, &mut schemas).unwrap();
        schemas.validate(log, index).map_err(|e| format!("{e:#}"))
    }

    /// The log as one value, members in the order the stream writes them.
    #[derive(Serialize)]
    struct WholeLog<'a> {
        #[serde(rename = "$schema")]
        schema: &'static str,
        version: &'static str,
        runs: [WholeRun<'a>; 1],
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct WholeRun<'a> {
        column_kind: &'static str,
        results: Vec<SarifResult<'a>>,
        #[serde(flatten)]
        tail: Tail<'a>,
    }

    /// The streamed bytes are exactly serde_json's pretty printing of the whole log.
    #[test]
    fn streaming_gives_the_bytes_of_the_whole_log() {
        let (results, summary) = fixture::results();
        let unreadable = [fixture::unreadable("b\"ad<.txt")];
        // A report with nothing to report first: the first result of the log comes later.
        let clean = ReportResult {
            path: "clean.txt".into(),
            file: None,
            findings: Vec::new(),
        };
        let clean_first: Vec<ReportResult> = std::iter::once(clean)
            .chain(results.iter().cloned())
            .collect();
        for (results, unreadable) in [
            (&results[..], &[][..]),
            (&clean_first[..], &[][..]),
            (&[][..], &[][..]),
            (&results[..], &unreadable[..]),
            (&[][..], &unreadable[..]),
        ] {
            let mut streamed = Vec::new();
            render(&mut streamed, results, &summary, unreadable).unwrap();
            // The same results and descriptors, collected first.
            let mut stream = Stream::begin(&mut Vec::new()).unwrap();
            let mut whole_results = Vec::new();
            for r in results {
                stream.report(&mut Vec::new(), r).unwrap();
                let uri = report_uri(r);
                for f in r.findings.iter().filter(|f| is_reported(f)) {
                    whole_results.push(result(&uri, f, stream.index[f.rule.as_str()]));
                }
            }
            let whole = WholeLog {
                schema: SCHEMA_URI,
                version: "2.1.0",
                runs: [WholeRun {
                    column_kind: "unicodeCodePoints",
                    results: whole_results,
                    tail: stream.tail(unreadable),
                }],
            };
            let mut expected = serde_json::to_vec_pretty(&whole).unwrap();
            expected.push(b'\n');
            assert_eq!(
                String::from_utf8(streamed).unwrap(),
                String::from_utf8(expected).unwrap()
            );
        }
    }

    #[test]
    fn log_validates_against_the_official_schema() {
        let log = rendered();
        if let Err(e) = validate(&log) {
            panic!("SARIF log is invalid:\n{e}\n{log:#}");
        }
        let empty = {
            let mut out = Vec::new();
            render(&mut out, &[], &Summary::default(), &[]).unwrap();
            serde_json::from_slice(&out).unwrap()
        };
        validate(&empty).unwrap();
    }

    #[test]
    fn validator_rejects_what_the_schema_forbids() {
        let mut log = rendered();
        log["runs"][0]["results"][0]["kind"] = json!("unknown");
        assert!(validate(&log).is_err(), "kind outside the enum");
        let mut log = rendered();
        let location = &mut log["runs"][0]["results"][0]["locations"][0];
        location["physicalLocation"]["artifactLocation"]["uri"] = json!(PATH_CN);
        assert!(
            validate(&log).is_err(),
            "a raw path with a space is no URI reference"
        );
        let mut log = rendered();
        log["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"] = json!("docs/rules.md");
        assert!(validate(&log).is_err(), "helpUri must be absolute");
    }

    #[test]
    fn header_and_run() {
        let log = rendered();
        assert_eq!(log["$schema"], SCHEMA_URI);
        assert_eq!(log["version"], "2.1.0");
        let runs = log["runs"].as_array().unwrap();
        assert_eq!(runs.len(), 1);
        let run = &runs[0];
        assert_eq!(run["columnKind"], "unicodeCodePoints");
        assert_eq!(run["invocations"], json!([{ "executionSuccessful": true }]));
        let driver = &run["tool"]["driver"];
        assert_eq!(driver["name"], "reportlint");
        assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(driver["informationUri"], crate::REPOSITORY);
    }

    #[test]
    fn one_descriptor_per_rule_and_matching_indices() {
        let log = rendered();
        let rules = log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(
            ids,
            [
                "FZ001", "FZ002", "FZ003", "FZ004", "FZ005", "FZ006", "FZ007"
            ]
        );
        for r in log["runs"][0]["results"].as_array().unwrap() {
            let i = r["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[i]["id"], r["ruleId"]);
        }
        let fz002 = &rules[1];
        assert_eq!(fz002["name"], "leader-duty");
        assert_eq!(fz002["shortDescription"]["text"], "leader-duty 标题");
        assert_eq!(
            fz002["fullDescription"]["text"],
            "《法治政府建设与责任落实督察工作规定》第二十五条"
        );
        assert_eq!(fz002["help"]["text"], "写明主要负责人述法情况");
        assert_eq!(fz002["defaultConfiguration"]["level"], "error");
        assert_eq!(
            fz002["helpUri"],
            "https://www.gov.cn/zhengce/%E6%B3%95%E6%B2%BB%20%E7%9D%A3%E5%AF%9F.htm"
        );
        // A link that is not http(s) gives no helpUri; no basis, no fullDescription.
        assert!(rules[2].get("helpUri").is_none());
        assert!(rules[2].get("fullDescription").is_none());
        assert_eq!(rules[2]["defaultConfiguration"]["level"], "warning");
        assert_eq!(rules[3]["defaultConfiguration"]["level"], "note");
    }

    #[test]
    fn results_are_failures_and_unknowns_only() {
        let log = rendered();
        let results = log["runs"][0]["results"].as_array().unwrap();
        let got: Vec<(&str, &str, &str)> = results
            .iter()
            .map(|r| {
                (
                    r["ruleId"].as_str().unwrap(),
                    r["kind"].as_str().unwrap(),
                    r["level"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("FZ002", "fail", "error"),
                ("FZ003", "fail", "warning"),
                ("FZ004", "fail", "note"),
                ("FZ005", "review", "none"),
                ("FZ007", "fail", "error"),
                ("FZ007", "fail", "error"),
                ("FZ002", "fail", "error"),
                ("FZ005", "review", "none"),
            ]
        );
        assert_eq!(results[0]["message"]["text"], NASTY);
        assert_eq!(
            results[3]["message"]["text"],
            "unknown: `signature.date` cannot be read: 落款无日期"
        );
    }

    #[test]
    fn region_is_the_span() {
        let log = rendered();
        let results = log["runs"][0]["results"].as_array().unwrap();
        let span = fixture::span_of(fixture::TEXT_CN, "镇长张三未述法");
        let region = &results[0]["locations"][0]["physicalLocation"]["region"];
        assert_eq!(
            *region,
            json!({
                "startLine": 3, "startColumn": 12, "endLine": 3, "endColumn": 19,
                "byteOffset": span.start, "byteLength": span.end - span.start,
                "snippet": { "text": "镇长张三未述法" },
            })
        );
        // A span over a line break.
        let region = &results[7]["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startLine"], 1);
        assert_eq!(region["endLine"], 2);
        assert_eq!(region["endColumn"], 3);
        assert_eq!(region["snippet"]["text"], "\n主要");
        // No span: the artifact only.
        let physical = &results[1]["locations"][0]["physicalLocation"];
        assert!(physical.get("region").is_none());
        assert_eq!(physical["artifactLocation"]["uri"], path_to_uri(PATH_CN));
    }

    #[test]
    fn results_carry_the_evidence_fingerprint() {
        let (results, _) = fixture::results();
        let log = rendered();
        let sarif = log["runs"][0]["results"].as_array().unwrap();
        // The first result is the second finding of the first report (the first is a pass).
        assert_eq!(
            sarif[0]["partialFingerprints"],
            json!({ FINGERPRINT_KEY: results[0].findings[1].fingerprint() })
        );
        // Two failures of one rule on different evidence are told apart.
        assert_ne!(
            sarif[4]["partialFingerprints"],
            sarif[5]["partialFingerprints"]
        );
    }

    #[test]
    fn unreadable_inputs_make_the_run_unsuccessful() {
        let (results, summary) = fixture::results();
        let unreadable = [Unreadable {
            path: "坏/a b.txt".into(),
            uri: crate::output::common::path_to_uri("坏/a b.txt"),
            code: "input::empty".into(),
            message: "坏/a b.txt: the file is empty".into(),
            help: None,
        }];
        let mut out = Vec::new();
        render(&mut out, &results, &summary, &unreadable).unwrap();
        let log: Value = serde_json::from_slice(&out).unwrap();
        validate(&log).unwrap();
        let invocation = &log["runs"][0]["invocations"][0];
        assert_eq!(invocation["executionSuccessful"], false);
        assert_eq!(
            invocation["toolExecutionNotifications"],
            json!([{
                "level": "error",
                "message": { "text": "坏/a b.txt: the file is empty" },
                "locations": [{ "physicalLocation": {
                    "artifactLocation": { "uri": "%E5%9D%8F/a%20b.txt" } } }],
                "descriptor": { "id": "input::empty" },
            }])
        );
        assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), 8);
    }

    #[test]
    fn chinese_path_is_percent_encoded_and_round_trips() {
        let log = rendered();
        let results = log["runs"][0]["results"].as_array().unwrap();
        let uri = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert_eq!(uri, "%E8%BE%9B%E5%BA%84%E9%95%87%202023.txt");
        assert!(uri.is_ascii() && !uri.contains(' '));
        assert_eq!(percent_decode(uri), PATH_CN);
        let uri2 = results[6]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert_eq!(uri2, "reports/wuqing.txt");
    }
}
