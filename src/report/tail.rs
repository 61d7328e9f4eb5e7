//! Report stage: the tail of a report — signature block and footer.
//!
//! Read from the last line upwards: first the footer (`抄送：`, `报送：`, the issuing office and
//! `2024年2月29日印发`, `（此件公开发布）`, and web chrome such as `苏公网安备 …号`), then the
//! signature (the issuing body and the date, `常熟市辛庄镇人民政府` / `2024年2月29日`). What is
//! left above is the body. Hands on: the signature, the footer lines, the footer's issue date, and
//! the index of the first tail line (where the body ends).

use super::numerals::find_date;
use super::{DateField, Doc, Field, Source, Span};
use regex::Regex;
use serde::Serialize;
use std::sync::LazyLock;

/// The signature block: who issued the report and when.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Signature {
    pub issuer: Option<Field>,
    pub date: Option<DateField>,
    pub span: Span,
}

/// One footer line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FooterLine {
    pub kind: FooterKind,
    pub text: String,
    pub span: Span,
    /// Index of the line in the normalised text.
    #[serde(skip)]
    pub line: usize,
}

/// What a footer line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FooterKind {
    /// `抄送：中共常熟市委全面依法治市委员会办公室`
    CarbonCopy,
    /// `报送：镇党委、人大…` / `主送：`
    SubmittedTo,
    /// `辛庄镇党政办公室` and `2024年2月29日印发`
    Issued,
    /// `（此件公开发布）`, `（此件不予公开）`
    Disclosure,
    /// `附件：…`
    Attachment,
    /// Web-page leftovers: `苏公网安备 32058202010198号`, `版权所有`, `网站标识码`, `无障碍`…
    WebChrome,
}

pub(crate) struct Tail {
    pub signature: Option<Signature>,
    pub footer: Vec<FooterLine>,
    pub issued_date: Option<DateField>,
    /// Index of the first line that belongs to the tail (= number of body lines when none).
    pub first_line: usize,
}

static WEB_CHROME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"公网安备|ICP备|ICP证|版权所有|主办单位|承办单位|主办:|承办:|技术支持|网站标识码|网站地图|无障碍|适老化|返回顶部|打印本页|关闭窗口|分享到|扫一扫|简体版?\s*[|/]?\s*繁體|简体\s*[|/]\s*繁体|联系我们|^首页$|^【?打印】?$|^【?关闭】?$|当前位置|您的位置|浏览次数|访问量|字体[::]?\s*[大中小]",
    )
    .unwrap()
});

static ISSUED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"印发$|印发\)$").unwrap());
static DISCLOSURE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\(?此件[^)]{0,10}(公开|发布)[^)]{0,6}\)?$").unwrap());
/// A short line that names an office (`辛庄镇党政办公室`), printed above the issue date.
static OFFICE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\p{Han}()]{2,30}(办公室|办|室|处|科|局|政府)$").unwrap());
/// A line that can sign a report: a short run of Han characters naming a body.
static SIGNER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\p{Han}()\[\]〔〕]{2,40}$").unwrap());

/// Longest line that can be a footer line, in characters: footers are short; a long line that
/// happens to end in `…印发` is running text.
const FOOTER_MAX_CHARS: usize = 150;

pub(crate) fn footer_kind(line: &str) -> Option<FooterKind> {
    if line.len() > FOOTER_MAX_CHARS * 4 || line.chars().count() > FOOTER_MAX_CHARS {
        return None;
    }
    let kind = if line.starts_with("抄送") {
        FooterKind::CarbonCopy
    } else if line.starts_with("报送") || line.starts_with("主送") {
        FooterKind::SubmittedTo
    } else if line.starts_with("附件:") || line.starts_with("附件") && line.chars().count() <= 30
    {
        FooterKind::Attachment
    } else if ISSUED.is_match(line) && find_date(line).is_some() {
        FooterKind::Issued
    } else if DISCLOSURE.is_match(line) {
        FooterKind::Disclosure
    } else if WEB_CHROME.is_match(line) && line.chars().count() <= 80 {
        FooterKind::WebChrome
    } else {
        return None;
    };
    Some(kind)
}

/// True when a whole line is a date, possibly preceded by a signer on the same line.
fn date_line(line: &str) -> Option<(std::ops::Range<usize>, super::Date)> {
    if line.chars().count() > 60 {
        return None;
    }
    let (r, d) = find_date(line)?;
    let rest = line[r.end..].trim_end_matches(['。', '.']);
    rest.is_empty().then_some((r, d))
}

pub(crate) fn recognise(doc: &Doc) -> Tail {
    let n = doc.lines.len();
    let nonempty = |i: usize| !doc.line_text(i).is_empty();
    let mut footer = Vec::new();
    let mut issued_date = None;
    let mut first = n;
    let mut i = n;
    // Footer lines, bottom up. An office line counts as footer only directly above an issue line.
    while i > 0 {
        i -= 1;
        if !nonempty(i) {
            continue;
        }
        let text = doc.line_text(i);
        let kind = footer_kind(text)
            .or_else(|| doc.is_chrome(i).then_some(FooterKind::WebChrome))
            .or_else(|| {
                let below_is_issue = footer
                    .last()
                    .is_some_and(|f: &FooterLine| f.kind == FooterKind::Issued);
                (below_is_issue && OFFICE.is_match(text)).then_some(FooterKind::Issued)
            });
        let Some(kind) = kind else { break };
        let range = doc.lines[i].clone();
        if kind == FooterKind::Issued
            && issued_date.is_none()
            && let Some((r, date)) = find_date(text)
        {
            let r = range.start + r.start..range.start + r.end;
            issued_date = Some(DateField {
                date,
                text: doc.norm[r.clone()].to_string(),
                span: doc.span(r),
                source: Source::Issued,
            });
        }
        footer.push(FooterLine {
            kind,
            text: text.to_string(),
            span: doc.span(range),
            line: i,
        });
        first = i;
    }
    footer.reverse();

    // The signature: a date line, and the signer just above it (or before it on the same line).
    let mut signature = None;
    let last = (0..first).rev().find(|&i| nonempty(i));
    if let Some(d) = last
        && let Some((r, date)) = date_line(doc.line_text(d))
    {
        let range = doc.lines[d].clone();
        let date_range = range.start + r.start..range.start + r.end;
        let date = DateField {
            date,
            text: doc.norm[date_range.clone()].to_string(),
            span: doc.span(date_range),
            source: Source::Signature,
        };
        let before_on_line = doc.norm[range.start..range.start + r.start].trim();
        let (issuer, start_line) = if SIGNER.is_match(before_on_line) {
            let r = range.start..range.start + before_on_line.len();
            (Some(doc.field(r)), d)
        } else {
            match (0..d).rev().find(|&i| nonempty(i)) {
                Some(s) if SIGNER.is_match(doc.line_text(s)) => {
                    (Some(doc.field(doc.lines[s].clone())), s)
                }
                _ => (None, d),
            }
        };
        let span = doc.span(doc.lines[start_line].start..range.end);
        signature = Some(Signature {
            issuer,
            date: Some(date),
            span,
        });
        first = start_line;
    }

    Tail {
        signature,
        footer,
        issued_date,
        first_line: first,
    }
}

/// Compiles this module's regexes now (see [`super::warm_up`]).
pub(super) fn warm_up() {
    for re in [&WEB_CHROME, &ISSUED, &DISCLOSURE, &OFFICE, &SIGNER] {
        LazyLock::force(re);
    }
}
