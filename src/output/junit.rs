//! Output stage: `reportlint check --format junit` — JUnit XML, for CI systems that show test
//! reports (GitLab, Jenkins, Azure Pipelines).
//!
//! One `<testsuite>` per report, one `<testcase>` per finding, named `{rule} {name}` (a rule
//! with several findings in a report, a `for` rule failing on several items, gets ` #2`, ` #3`
//! on the later ones, so names are unique within a suite). A failure is a `<failure>` whose
//! body gives the location, evidence, help, basis and link; unknown and not applicable findings
//! are `<skipped>`; a pass is an empty test case. An input that could not be read is a suite of
//! its own with one test case, `read`, that is an `<error>`: CI dashboards show the broken run.
//!
//! The XML is written by hand rather than with quick-xml's writer: the document is a fixed
//! three-level shape, and what matters is the escaping, which quick-xml's writer leaves
//! incomplete for us. It passes through characters XML 1.0 forbids (U+0000 to U+0008, …),
//! making the document unreadable, and leaves newlines in attribute values raw, where a parser
//! normalises them to spaces. [`escape`] drops the first and writes the second as references.

use super::Unreadable;
use super::common::{location, unknown_text};
use crate::check::finding::{Finding, ReportResult, Status, Summary};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, Write};

/// Whether XML 1.0 allows `c` in a document (`Char` production; Rust strings hold no surrogates).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
        || c >= '\u{10000}'
}

/// `s` as XML character data or attribute value: markup characters escaped, characters XML
/// forbids dropped, and in attributes tab, newline and carriage return as character references
/// so they survive attribute-value normalisation. A carriage return is a reference in text too,
/// where a parser would turn it into a newline.
fn escape(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// The body of a `<failure>`: where, what was found, how to fix it, and why.
fn failure_body(path: &str, f: &Finding) -> String {
    let mut body = location(path, f.span);
    for (key, value) in [
        ("evidence", &f.evidence),
        ("help", &f.help),
        ("basis", &f.basis),
        ("link", &f.link),
    ] {
        if let Some(v) = value {
            let _ = write!(body, "\n{key}: {v}");
        }
    }
    body
}

/// Tests, failures and skipped tests among findings.
fn counts<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> (usize, usize, usize) {
    findings
        .into_iter()
        .fold((0, 0, 0), |(tests, failures, skipped), f| match f.status {
            Status::Fail => (tests + 1, failures + 1, skipped),
            Status::Unknown | Status::NotApplicable | Status::Waived => {
                (tests + 1, failures, skipped + 1)
            }
            Status::Pass => (tests + 1, failures, skipped),
        })
}

/// The document's first lines: the XML declaration and `<testsuites>` with the run's totals.
fn header(
    x: &mut String,
    (tests, failures, skipped): (usize, usize, usize),
    summary: &Summary,
    errors: usize,
) {
    let tests = tests + errors;
    let seconds = summary.elapsed_ms as f64 / 1000.0;
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        x,
        "<testsuites name=\"reportlint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" \
         skipped=\"{skipped}\" time=\"{seconds:.3}\">"
    );
}

/// One report's `<testsuite>`.
fn suite(x: &mut String, r: &ReportResult) {
    let path = escape(&r.path, true);
    let (tests, failures, skipped) = counts(&r.findings);
    let _ = writeln!(
        x,
        "  <testsuite name=\"{path}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" \
         skipped=\"{skipped}\">"
    );
    let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
    for f in &r.findings {
        let n = seen.entry((&f.rule, &f.name)).or_insert(0);
        *n += 1;
        let mut name = format!("{} {}", f.rule, f.name);
        if *n > 1 {
            let _ = write!(name, " #{n}");
        }
        let _ = write!(
            x,
            "    <testcase classname=\"{path}\" name=\"{}\"",
            escape(&name, true)
        );
        match f.status {
            Status::Pass => x.push_str("/>\n"),
            Status::Fail => {
                let _ = write!(
                    x,
                    ">\n      <failure type=\"{}\" message=\"{}\">",
                    f.severity.name(),
                    escape(&f.message, true),
                );
                x.push_str(&escape(&failure_body(&r.path, f), false));
                x.push_str("</failure>\n    </testcase>\n");
            }
            Status::Unknown | Status::NotApplicable | Status::Waived => {
                let message = match f.status {
                    Status::Unknown => unknown_text(f),
                    Status::Waived => {
                        format!("waived: {}", f.reason.as_deref().unwrap_or(""))
                    }
                    _ => "not applicable".to_string(),
                };
                let _ = writeln!(
                    x,
                    ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                    escape(&message, true)
                );
            }
        }
    }
    x.push_str("  </testsuite>\n");
}

/// The suites of the inputs that could not be read, and the end of the document.
fn footer(x: &mut String, unreadable: &[Unreadable]) {
    for u in unreadable {
        let path = escape(&u.path, true);
        let mut body = u.message.clone();
        if let Some(help) = &u.help {
            let _ = write!(body, "\nhelp: {help}");
        }
        let _ = write!(
            x,
            "  <testsuite name=\"{path}\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n    \
             <testcase classname=\"{path}\" name=\"read\">\n      \
             <error type=\"{}\" message=\"{}\">{}</error>\n    </testcase>\n  </testsuite>\n",
            escape(&u.code, true),
            escape(&u.message, true),
            escape(&body, false),
        );
    }
    x.push_str("</testsuites>\n");
}

/// Writes the document with every report's suite spooled to an anonymous temporary file as it
/// comes: `<testsuites>` opens with the run's totals, which are known only at the end, and
/// memory should hold one report, not the run. `begin`, `report` for each result in input
/// order, then `end` writes the document. The temporary file is deleted when dropped (it has no
/// name once created); it lives in `TMPDIR` or `/tmp`.
pub struct Stream {
    spool: io::BufWriter<std::fs::File>,
    totals: (usize, usize, usize),
    suite: String,
}

impl Stream {
    pub fn begin() -> io::Result<Stream> {
        let file = tempfile::tempfile().map_err(|e| {
            io::Error::new(
                e.kind(),
                format!(
                    "cannot create a temporary file in {} for the JUnit document: {e} \
                     (set TMPDIR to a writable folder)",
                    std::env::temp_dir().display()
                ),
            )
        })?;
        Ok(Stream {
            spool: io::BufWriter::new(file),
            totals: (0, 0, 0),
            suite: String::new(),
        })
    }
}

impl super::DocumentStream for Stream {
    fn report(&mut self, _: &mut dyn Write, r: &ReportResult) -> io::Result<()> {
        let (tests, failures, skipped) = counts(&r.findings);
        self.totals.0 += tests;
        self.totals.1 += failures;
        self.totals.2 += skipped;
        self.suite.clear();
        suite(&mut self.suite, r);
        self.spool.write_all(self.suite.as_bytes())
    }

    fn end(
        self: Box<Self>,
        w: &mut dyn Write,
        summary: &Summary,
        unreadable: &[Unreadable],
    ) -> io::Result<()> {
        use std::io::Seek;
        let mut x = String::new();
        header(&mut x, self.totals, summary, unreadable.len());
        w.write_all(x.as_bytes())?;
        let mut file = self.spool.into_inner().map_err(|e| e.into_error())?;
        file.rewind()?;
        io::copy(&mut file, w)?;
        x.clear();
        footer(&mut x, unreadable);
        w.write_all(x.as_bytes())
    }
}

/// The whole document from results held in memory (what `check` streams through a spool).
#[cfg(test)]
pub fn render(
    w: &mut dyn Write,
    results: &[ReportResult],
    summary: &Summary,
    unreadable: &[Unreadable],
) -> io::Result<()> {
    let mut x = String::new();
    header(
        &mut x,
        counts(results.iter().flat_map(|r| &r.findings)),
        summary,
        unreadable.len(),
    );
    for r in results {
        suite(&mut x, r);
    }
    footer(&mut x, unreadable);
    w.write_all(x.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::common::fixture::{self, PATH_2, PATH_CN};
    use quick_xml::XmlVersion;
    use quick_xml::events::Event;
    use quick_xml::reader::Reader;
    use std::collections::HashSet;

    fn rendered() -> String {
        let (results, summary) = fixture::results();
        let mut out = Vec::new();
        render(&mut out, &results, &summary, &[]).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// Spooled to a temporary file, the document is byte for byte the one built in memory.
    #[test]
    fn streaming_gives_the_bytes_of_the_whole_document() {
        let (results, summary) = fixture::results();
        let u = fixture::unreadable("ci/坏<.txt");
        for (results, unreadable) in [
            (&results[..], &[][..]),
            (&[][..], &[][..]),
            (&results[..], std::slice::from_ref(&u)),
        ] {
            let mut whole = Vec::new();
            render(&mut whole, results, &summary, unreadable).unwrap();
            let mut streamed = Vec::new();
            let stream = Box::new(Stream::begin().unwrap());
            crate::output::render_whole(stream, &mut streamed, results, &summary, unreadable)
                .unwrap();
            assert_eq!(
                String::from_utf8(streamed).unwrap(),
                String::from_utf8(whole).unwrap()
            );
        }
    }

    /// An element as parsed back: name, attributes (unescaped) and, for `<failure>`, its text.
    #[derive(Debug)]
    struct El {
        name: String,
        attrs: HashMap<String, String>,
        text: String,
    }

    /// Parses the whole document with quick-xml, failing on any malformation.
    fn parse(xml: &str) -> Vec<El> {
        let mut reader = Reader::from_str(xml);
        reader.config_mut().check_end_names = true;
        let mut out: Vec<El> = Vec::new();
        // Indices in `out` of the open elements; text goes to the innermost.
        let mut open: Vec<usize> = Vec::new();
        loop {
            let ev = reader.read_event().expect("well-formed XML");
            match ev {
                Event::Start(ref e) | Event::Empty(ref e) => {
                    let attrs = e
                        .attributes()
                        .map(|a| {
                            let a = a.expect("attribute");
                            // Attribute-value normalisation, as any XML 1.0 parser does it.
                            let v = a.normalized_value(XmlVersion::Explicit1_0).unwrap();
                            (a.key.as_ref().to_string(), v.into_owned())
                        })
                        .collect();
                    out.push(El {
                        name: e.name().as_ref().to_string(),
                        attrs,
                        text: String::new(),
                    });
                    if matches!(ev, Event::Start(_)) {
                        open.push(out.len() - 1);
                    }
                }
                Event::Text(t) => {
                    if let Some(&i) = open.last() {
                        out[i]
                            .text
                            .push_str(&t.xml_content(XmlVersion::Explicit1_0));
                    }
                }
                Event::GeneralRef(r) => {
                    let c = match &*r {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        _ => r.resolve_char_ref().unwrap().expect("character reference"),
                    };
                    out[*open.last().expect("reference in an element")]
                        .text
                        .push(c);
                }
                Event::End(_) => {
                    open.pop().expect("an open element");
                }
                Event::Eof => break,
                _ => {}
            }
        }
        assert!(open.is_empty(), "every element closed");
        out
    }

    #[test]
    fn document_is_well_formed_and_counts_are_right() {
        let xml = rendered();
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
        let els = parse(&xml);
        let n = |name: &str| els.iter().filter(|e| e.name == name).count();
        assert_eq!(n("testsuites"), 1);
        assert_eq!(n("testsuite"), 2);
        assert_eq!(n("testcase"), 12);
        assert_eq!(n("failure"), 6);
        assert_eq!(n("skipped"), 4);
        let root = &els[0].attrs;
        assert_eq!(root["name"], "reportlint");
        assert_eq!(root["tests"], "12");
        assert_eq!(root["failures"], "6");
        assert_eq!(root["errors"], "0");
        assert_eq!(root["skipped"], "4");
        assert_eq!(root["time"], "1.234");
        let suites: Vec<&El> = els.iter().filter(|e| e.name == "testsuite").collect();
        assert_eq!(suites[0].attrs["name"], PATH_CN);
        assert_eq!(suites[0].attrs["tests"], "8");
        assert_eq!(suites[0].attrs["failures"], "5");
        assert_eq!(suites[0].attrs["skipped"], "2");
        assert_eq!(suites[1].attrs["name"], PATH_2);
        assert_eq!(suites[1].attrs["tests"], "4");
    }

    #[test]
    fn names_are_unique_within_a_suite() {
        let els = parse(&rendered());
        let mut names: Vec<Vec<String>> = Vec::new();
        let mut suites = Vec::new();
        for e in &els {
            match e.name.as_str() {
                "testsuite" => {
                    names.push(Vec::new());
                    suites.push(e.attrs["name"].clone());
                }
                "testcase" => {
                    assert_eq!(Some(&e.attrs["classname"]), suites.last());
                    names.last_mut().unwrap().push(e.attrs["name"].clone());
                }
                _ => {}
            }
        }
        assert_eq!(suites, [PATH_CN, PATH_2]);
        for suite in &names {
            assert_eq!(suite.iter().collect::<HashSet<_>>().len(), suite.len());
        }
        assert!(names[0].contains(&"FZ007 item-has-figure".to_string()));
        assert!(names[0].contains(&"FZ007 item-has-figure #2".to_string()));
        assert_eq!(names[0][0], "FZ001 report-year");
    }

    #[test]
    fn failure_and_skipped_contents() {
        let els = parse(&rendered());
        let failure = els.iter().find(|e| e.name == "failure").unwrap();
        assert_eq!(failure.attrs["type"], "error");
        // The newline survives in the attribute; the bell (U+0007) is gone.
        assert_eq!(
            failure.attrs["message"],
            "完成率50%: 低, 需说明\n第二行 <&>\"' 响铃"
        );
        assert_eq!(
            failure.text,
            "辛庄镇 2023.txt:3:12\nevidence: 镇长张三未述法\nhelp: 写明主要负责人述法情况\n\
             basis: 《法治政府建设与责任落实督察工作规定》第二十五条\n\
             link: https://www.gov.cn/zhengce/法治 督察.htm"
        );
        let types: Vec<&str> = els
            .iter()
            .filter(|e| e.name == "failure")
            .map(|e| e.attrs["type"].as_str())
            .collect();
        assert_eq!(
            types,
            ["error", "warning", "info", "error", "error", "error"]
        );
        let skipped: Vec<&str> = els
            .iter()
            .filter(|e| e.name == "skipped")
            .map(|e| e.attrs["message"].as_str())
            .collect();
        assert_eq!(
            skipped,
            [
                "unknown: `signature.date` cannot be read: 落款无日期",
                "not applicable",
                "unknown: no signature",
                "not applicable",
            ]
        );
    }

    #[test]
    fn illegal_characters_are_gone() {
        let xml = rendered();
        assert!(!xml.contains('\u{7}'));
        assert!(
            xml.chars()
                .all(|c| is_xml_char(c) && (c >= ' ' || c == '\n')),
            "only printable characters and newlines"
        );
        assert_eq!(escape("a\u{0}b\u{8}c\u{B}d\u{FFFE}e", false), "abcde");
        assert_eq!(
            escape("<&>\"'\t\r\n", true),
            "&lt;&amp;&gt;&quot;&apos;&#9;&#13;&#10;"
        );
        assert_eq!(escape("x\r\ny\tz", false), "x&#13;\ny\tz");
    }

    #[test]
    fn an_unreadable_input_is_an_error_case() {
        let (results, summary) = fixture::results();
        let unreadable = [Unreadable {
            path: "bad <1>.txt".into(),
            uri: String::new(),
            code: "input::binary".into(),
            message: "bad <1>.txt: binary data at byte 8; this is not a text report".into(),
            help: Some("convert it".into()),
        }];
        let mut out = Vec::new();
        render(&mut out, &results, &summary, &unreadable).unwrap();
        let els = parse(&String::from_utf8(out).unwrap());
        assert_eq!(els[0].attrs["errors"], "1");
        assert_eq!(els[0].attrs["tests"], "13");
        let suite = els.iter().rfind(|e| e.name == "testsuite").unwrap();
        assert_eq!(suite.attrs["name"], "bad <1>.txt");
        assert_eq!(suite.attrs["errors"], "1");
        let error = els.iter().find(|e| e.name == "error").unwrap();
        assert_eq!(error.attrs["type"], "input::binary");
        assert_eq!(error.attrs["message"], unreadable[0].message);
        assert_eq!(
            error.text,
            format!("{}\nhelp: convert it", unreadable[0].message)
        );
    }

    #[test]
    fn empty_run() {
        let mut out = Vec::new();
        render(&mut out, &[], &Summary::default(), &[]).unwrap();
        let xml = String::from_utf8(out).unwrap();
        let els = parse(&xml);
        assert_eq!(els.len(), 1);
        assert_eq!(els[0].attrs["tests"], "0");
    }
}
