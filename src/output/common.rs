//! Output stage: helpers shared by the machine-readable `check` renderers (JSON, JSON Lines,
//! SARIF, JUnit, GitHub): status names, which findings are worth reporting, the text of an
//! unknown, locations, and report paths as URIs.

use crate::check::finding::{Finding, Status};
use crate::report::Span;
use std::io::{self, Write};

/// The name of a status in every format: `pass`, `fail`, `unknown`, `not_applicable`.
pub(crate) fn status_name(s: Status) -> &'static str {
    match s {
        Status::Pass => "pass",
        Status::Fail => "fail",
        Status::Unknown => "unknown",
        Status::NotApplicable => "not_applicable",
        Status::Waived => "waived",
    }
}

/// Whether a finding is shown as a problem (annotation, SARIF result): failures and unknowns.
pub(crate) fn is_reported(f: &Finding) -> bool {
    matches!(f.status, Status::Fail | Status::Unknown)
}

/// What an unknown says: `unknown: ` and its reason (the message when there is none).
pub(crate) fn unknown_text(f: &Finding) -> String {
    format!("unknown: {}", f.reason.as_deref().unwrap_or(&f.message))
}

/// `path:line:column` of a span, or the bare path without one.
pub(crate) fn location(path: &str, span: Option<Span>) -> String {
    match span {
        Some(s) => format!("{path}:{}:{}", s.line, s.column),
        None => path.to_string(),
    }
}

// Streaming a pretty-printed document a piece at a time: each piece is printed alone by
// serde_json and indented to its depth (JSON strings hold no raw line breaks, so indenting
// lines is safe).

/// Writes `json` with every line indented by `n` spaces.
pub(crate) fn indented(w: &mut dyn Write, json: &[u8], n: usize) -> io::Result<()> {
    w.write_all(&b" ".repeat(n))?;
    indented_rest(w, json, n)
}

/// Writes `json` with every line but the first indented by `n` spaces.
pub(crate) fn indented_rest(w: &mut dyn Write, json: &[u8], n: usize) -> io::Result<()> {
    let pad = b" ".repeat(n);
    for (i, line) in json.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            w.write_all(b"\n")?;
            w.write_all(&pad)?;
        }
        w.write_all(line)?;
    }
    Ok(())
}

/// Evidence is cut at this many characters (and `…` appended) by the check stage.
const EVIDENCE_CAP: usize = 200;

/// The evidence when it is exactly the text of the span (not cut short).
pub(crate) fn whole_evidence(f: &Finding) -> Option<&str> {
    let (e, s) = (f.evidence.as_deref()?, f.span?);
    (e.len() == s.end - s.start && e.chars().count() <= EVIDENCE_CAP).then_some(e)
}

fn percent_encode_byte(out: &mut String, b: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push('%');
    out.push(HEX[usize::from(b >> 4)] as char);
    out.push(HEX[usize::from(b & 15)] as char);
}

/// A report path as an RFC 3986 URI reference: `\` becomes `/`, and every byte but the unreserved
/// characters (`A-Z a-z 0-9 - . _ ~`) and `/` is percent-encoded as UTF-8, so spaces, `#`, `%`,
/// `:` and Chinese file names are safe. Relative paths stay relative (code-scanning tools resolve
/// them against the repository root), less a leading `./`; absolute ones become `file:` URIs.
pub(crate) fn path_to_uri(path: &str) -> String {
    bytes_to_uri(path.as_bytes())
}

/// A report path's bytes as a URI reference, like [`path_to_uri`]: a file name that is not
/// UTF-8 keeps its own bytes, percent-encoded, so the URI names the file that exists.
pub(crate) fn bytes_to_uri(path: &[u8]) -> String {
    let mut path: Vec<u8> = path
        .iter()
        .map(|&b| if b == b'\\' { b'/' } else { b })
        .collect();
    while path.starts_with(b"./") {
        path.drain(..2);
    }
    let drive = path.len() >= 3 && path[0].is_ascii_alphabetic() && path[1..3] == *b":/";
    let mut out = String::with_capacity(path.len() + 8);
    let rest: &[u8] = if drive {
        // `C:/x` → `file:///C:/x`: the drive's colon belongs to the path, it is no scheme.
        out.push_str("file:///");
        out.push(path[0] as char);
        out.push(':');
        &path[2..]
    } else if path.starts_with(b"//") {
        // A UNC path `//server/share/x`: the server is the authority.
        out.push_str("file:");
        &path
    } else {
        if path.starts_with(b"/") {
            out.push_str("file://");
        }
        &path
    };
    for &b in rest {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            percent_encode_byte(&mut out, b);
        }
    }
    out
}

/// The URI of a report: from the file's own bytes when it came from a file.
pub(crate) fn report_uri(r: &crate::check::finding::ReportResult) -> String {
    match &r.file {
        Some(file) => bytes_to_uri(&crate::input::path_bytes(file)),
        None => path_to_uri(&r.path),
    }
}

/// An `http(s)` link as a URI: bytes a URI may not hold (non-ASCII, space, quotes, brackets and
/// the like, a `%` that starts no escape) are percent-encoded, everything else is kept as it is.
/// `None` for anything that is not an `http://` or `https://` link.
pub(crate) fn http_uri(link: &str) -> Option<String> {
    let link = link.trim();
    let lower = link.get(..8).unwrap_or(link).to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return None;
    }
    let bytes = link.as_bytes();
    let mut out = String::with_capacity(link.len());
    for (i, &b) in bytes.iter().enumerate() {
        let escape = b == b'%'
            && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
        let keep = escape || b.is_ascii_alphanumeric() || b"-._~:/?#@!$&'()*+,;=".contains(&b);
        if keep {
            out.push(b as char);
        } else {
            percent_encode_byte(&mut out, b);
        }
    }
    Some(out)
}

/// Hand-built results for the renderers' tests: two reports, every status and severity.
#[cfg(test)]
pub(crate) mod fixture {
    use crate::check::finding::{Finding, ReportResult, Status, Summary};
    use crate::report::Span;
    use crate::rulebook::Severity;

    /// The Chinese path, with a space.
    pub const PATH_CN: &str = "辛庄镇 2023.txt";
    pub const PATH_2: &str = "reports/wuqing.txt";

    /// The first report's original text.
    pub const TEXT_CN: &str = "辛庄镇2023年法治政府建设年度报告\n\n\
        一、主要负责人的职责：镇长张三未述法。\n\
        二、2024年工作安排\n\
        （一）落实行政执法三项制度，完成率50%。\n\
        落款：辛庄镇人民政府\n";
    /// The second report's original text.
    pub const TEXT_2: &str = "武清区2023年法治政府建设情况报告\n主要负责人：未述法\n";

    /// A message with everything the formats must escape: `%`, `:`, `,`, a newline, `<&>"'` and
    /// a control character (U+0007).
    pub const NASTY: &str = "完成率50%: 低, 需说明\n第二行 <&>\"' \u{7}响铃";

    /// The span of the first occurrence of `needle` in `text`, as the report model gives it.
    pub fn span_of(text: &str, needle: &str) -> Span {
        let start = text.find(needle).expect("needle in text");
        crate::report::LineIndex::new(text).span(text, start, start + needle.len())
    }

    fn finding(rule: &str, name: &str, severity: Severity, status: Status) -> Finding {
        Finding {
            rule: rule.into(),
            name: name.into(),
            severity,
            status,
            message: String::new(),
            reason: None,
            span: None,
            evidence: None,
            span_is_evidence: false,
            title: format!("{name} 标题"),
            help: None,
            basis: None,
            link: None,
            trace: None,
        }
    }

    fn with_span(mut f: Finding, text: &str, needle: &str) -> Finding {
        f.span = Some(span_of(text, needle));
        f.evidence = Some(needle.to_string());
        f.span_is_evidence = true;
        f
    }

    /// The two reports and their summary.
    pub fn results() -> (Vec<ReportResult>, Summary) {
        use Severity::*;
        use Status::*;
        let t = TEXT_CN;
        let mut pass = finding("FZ001", "report-year", Error, Pass);
        pass.message = pass.title.clone();
        // Line 3, column 12: eleven CJK characters and punctuation before it.
        let mut nasty = with_span(
            finding("FZ002", "leader-duty", Error, Fail),
            t,
            "镇长张三未述法",
        );
        nasty.message = NASTY.into();
        nasty.help = Some("写明主要负责人述法情况".into());
        nasty.basis = Some("《法治政府建设与责任落实督察工作规定》第二十五条".into());
        nasty.link = Some("https://www.gov.cn/zhengce/法治 督察.htm".into());
        let mut missing = finding("FZ003", "next-year-plan", Warning, Fail);
        missing.message = "缺少下一年度工作计划".into();
        missing.help = Some("增加“下一年度工作安排”部分".into());
        missing.link = Some("docs/rules.md#FZ003".into());
        let mut info = with_span(finding("FZ004", "rate-figure", Info, Fail), t, "完成率50%");
        info.message = "完成率未给出分母".into();
        let mut unknown = finding("FZ005", "signature-date", Warning, Unknown);
        unknown.message = "落款日期晚于报送期限".into();
        unknown.reason = Some("`signature.date` cannot be read: 落款无日期".into());
        let na = finding("FZ006", "review-meeting", Warning, NotApplicable);
        // A `for` rule failing on two items: JUnit must name them apart.
        let mut item1 = with_span(finding("FZ007", "item-has-figure", Error, Fail), t, "二、");
        item1.message = "第一项无数据".into();
        let mut item2 = with_span(
            finding("FZ007", "item-has-figure", Error, Fail),
            t,
            "（一）落实",
        );
        item2.message = "第二项无数据".into();
        let first = ReportResult {
            path: PATH_CN.into(),
            file: None,
            findings: vec![pass, nasty, missing, info, unknown, na, item1, item2],
        };

        let t2 = TEXT_2;
        let mut p1 = finding("FZ001", "report-year", Error, Pass);
        p1.message = p1.title.clone();
        let mut f2 = with_span(finding("FZ002", "leader-duty", Error, Fail), t2, "未述法");
        f2.message = "主要负责人未述法".into();
        let mut u5 = with_span(
            finding("FZ005", "signature-date", Warning, Unknown),
            t2,
            "\n主要",
        );
        // The place a missing part was expected: a span that is not evidence.
        u5.span_is_evidence = false;
        u5.message = "落款日期晚于报送期限".into();
        u5.reason = Some("no signature".into());
        let second = ReportResult {
            path: PATH_2.into(),
            file: None,
            findings: vec![
                p1,
                f2,
                u5,
                finding("FZ006", "review-meeting", Warning, NotApplicable),
            ],
        };

        let results = vec![first, second];
        let mut summary = Summary::default();
        for r in &results {
            summary.add(r);
        }
        summary.elapsed_ms = 1234;
        (results, summary)
    }

    /// An empty input that could not be read, with markup and quotes in its name, as `check`
    /// reports it.
    pub fn unreadable(path: &str) -> crate::output::Unreadable {
        crate::output::Unreadable {
            path: path.into(),
            uri: super::path_to_uri(path),
            code: "input::empty".into(),
            message: format!("{path}: the file is empty (0 bytes)"),
            help: Some("write the report".into()),
        }
    }

    /// Percent-decoding, to check that URIs round-trip.
    pub fn percent_decode(s: &str) -> String {
        let b = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'%' {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).expect("hex"));
                i += 3;
            } else {
                out.push(b[i]);
                i += 1;
            }
        }
        String::from_utf8(out).expect("utf-8")
    }
}

#[cfg(test)]
mod tests {
    use super::fixture::*;
    use super::*;

    #[test]
    fn fixture_span_is_line_3_column_12() {
        let (results, _) = results();
        let s = results[0].findings[1].span.unwrap();
        assert_eq!((s.line, s.column), (3, 12));
        assert_eq!(&TEXT_CN[s.start..s.end], "镇长张三未述法");
        assert_eq!((s.end_line, s.end_column), (3, 19));
    }

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            path_to_uri(PATH_CN),
            "%E8%BE%9B%E5%BA%84%E9%95%87%202023.txt"
        );
        assert_eq!(path_to_uri("a b/c#d%e.txt"), "a%20b/c%23d%25e.txt");
        assert_eq!(path_to_uri(r"reports\x.txt"), "reports/x.txt");
        assert_eq!(
            path_to_uri("/srv/报告.txt"),
            "file:///srv/%E6%8A%A5%E5%91%8A.txt"
        );
        assert_eq!(path_to_uri(r"C:\r\a.txt"), "file:///C:/r/a.txt");
        assert_eq!(
            path_to_uri(r"\\srv\share\a b.txt"),
            "file://srv/share/a%20b.txt"
        );
        assert_eq!(path_to_uri("././reports/a.txt"), "reports/a.txt");
        assert_eq!(path_to_uri("a:b.txt"), "a%3Ab.txt");
        assert_eq!(path_to_uri("C:x.txt"), "C%3Ax.txt");
        for p in [PATH_CN, "a b/c#d%e.txt", "x/辛庄镇（2023）.docx"] {
            assert_eq!(percent_decode(&path_to_uri(p)), p);
        }
        // A GBK file name (not UTF-8): its own bytes, percent-encoded.
        assert_eq!(
            bytes_to_uri(b"./r/\xb1\xa8\xb8\xe6.txt"),
            "r/%B1%A8%B8%E6.txt"
        );
    }

    #[test]
    fn links_become_uris() {
        assert_eq!(
            http_uri("https://a.cn/法治 x.htm?q=1%20#f").as_deref(),
            Some("https://a.cn/%E6%B3%95%E6%B2%BB%20x.htm?q=1%20#f")
        );
        assert_eq!(
            http_uri("https://a.cn/50%").as_deref(),
            Some("https://a.cn/50%25")
        );
        assert_eq!(http_uri("docs/rules.md"), None);
        assert_eq!(http_uri("《纲要》"), None);
    }

    #[test]
    fn cut_evidence_is_not_whole() {
        let (results, _) = results();
        let mut f = results[0].findings[1].clone();
        assert_eq!(whole_evidence(&f), Some("镇长张三未述法"));
        f.evidence = Some("镇长张三…".into());
        assert_eq!(whole_evidence(&f), None);
    }
}
