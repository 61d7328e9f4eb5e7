//! Report stage: turns a decoded report text into the [`Report`] model that rules read.
//!
//! The input stage hands over the original text (plus heading hints from DOCX/HTML styles); this
//! stage normalises it ([`normalize`]), cuts it into lines, then recognises, in this order, the
//! tail (signature and footer, [`tail`]), the front matter (title, year, issuer, document number,
//! addressee, [`front`]), the outline in between (headings, sections, paragraphs and inline
//! `一是…二是…` items, [`outline`]) and the figures in every paragraph ([`figures`]).
//!
//! Every position in the model is a [`Span`]: a byte range of the *original* text with its line and
//! column, so a finding can point at the very characters a reviewer sees. Every `text` field holds
//! the *normalised* text (simplified characters, half-width digits and punctuation): that is what
//! rules match against.

pub mod chrome;
pub mod figures;
pub mod front;
pub mod lines;
pub mod normalize;
pub mod numerals;
pub mod outline;
pub mod shared;
pub mod tail;
mod traditional;

use serde::{Deserialize, Serialize};

pub use crate::input::HeadingHint;

pub use chrome::ChromeKind;
pub use figures::Figure;
pub use lines::LineIndex;
pub use normalize::{Normalized, normalize};
pub use outline::{HeadingKind, Item, Paragraph, Section};
pub use tail::{FooterKind, FooterLine, Signature};

/// A byte range of the original text, with the 1-based line and column (in characters) of both
/// ends. Line and column are computed once, when the model is built.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// A calendar date as reports write it (`2024年2月29日`, `二〇二四年二月二十九日`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// A date if the day exists in that month (leap years included).
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days)
            .contains(&day)
            .then_some(Date { year, month, day })
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A piece of text recognised somewhere in the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    pub text: String,
    pub span: Span,
}

/// Where a fact was found, when it can come from more than one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The report's title.
    Title,
    /// The letterhead line above the title (`辛庄镇人民政府文件`).
    Letterhead,
    /// The opening of the body (`2023年以来，…`, `现将2023年度…报告如下`).
    Body,
    /// A level-1 heading (`一、2025年法治政府建设主要情况`).
    Heading,
    /// The signature block at the end.
    Signature,
    /// The footer's issue line (`2021年1月29日印发`).
    Issued,
    /// The line under the title of a report delivered at a meeting
    /// (`——2021年4月29日在…常务委员会第三十七次会议上`).
    Subtitle,
    /// The metadata table of the page the report was saved from (`成文日期:2024-03-20`,
    /// `发文字号:静政报〔2024〕3号`): the document's own date and number, as the publisher filed
    /// them — never the page's publication date.
    Metadata,
}

/// The year the report covers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Year {
    pub value: i32,
    pub span: Span,
    pub source: Source,
}

/// The issuing body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Issuer {
    pub text: String,
    pub span: Span,
    pub source: Source,
}

/// A date found in the report, with where it was found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DateField {
    pub date: Date,
    pub text: String,
    pub span: Span,
    pub source: Source,
}

/// A line of the front matter that is neither title, document number nor addressee
/// (letterheads, and web chrome left over from a scraped page).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrontLine {
    pub kind: FrontKind,
    pub text: String,
    pub span: Span,
}

/// What a front-matter line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FrontKind {
    /// `辛庄镇人民政府文件`
    Letterhead,
    /// Anything else above the body: navigation, breadcrumbs, site names.
    Other,
}

/// A block of web-page chrome: consecutive chrome lines (blank lines between them allowed), with
/// the kind of its first line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chrome {
    pub kind: ChromeKind,
    /// The block's normalised lines, joined with `\n`.
    pub text: String,
    pub span: Span,
    /// The block's range in the normalised text.
    #[serde(skip)]
    pub norm: std::ops::Range<usize>,
}

/// The parsed model of one report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    #[serde(skip)]
    pub original: String,
    #[serde(skip)]
    pub normalized: Normalized,
    #[serde(skip)]
    pub lines: LineIndex,
    pub title: Option<Field>,
    pub year: Option<Year>,
    pub issuer: Option<Issuer>,
    pub doc_number: Option<Field>,
    pub addressee: Option<Field>,
    pub front_matter: Vec<FrontLine>,
    /// Web-page chrome wherever it stands: top, middle or bottom.
    pub chrome: Vec<Chrome>,
    pub sections: Vec<Section>,
    pub paragraphs: Vec<Paragraph>,
    pub signature: Option<Signature>,
    pub footer: Vec<FooterLine>,
    /// The report's date: the signature date, else the footer's issue date.
    pub date: Option<DateField>,
    pub figures: Vec<Figure>,
}

/// A view of the normalised text shared by the recognisers: lines and span conversion.
pub(crate) struct Doc<'a> {
    pub orig: &'a str,
    pub norm: &'a str,
    /// The same text, for pieces that share it ([`shared::SharedStr`]).
    pub shared: &'a std::sync::Arc<str>,
    pub map: &'a normalize::OffsetMap,
    pub index: &'a LineIndex,
    /// Normalised byte range of every line, without its `\n` and without Markdown decoration
    /// (`## `, `**…**`, `> `).
    pub lines: Vec<std::ops::Range<usize>>,
    /// The chrome kind of every line ([`chrome::kind`]), `None` for the report's own lines.
    pub chrome: Vec<Option<ChromeKind>>,
}

impl<'a> Doc<'a> {
    fn new(orig: &'a str, norm: &'a Normalized, index: &'a LineIndex) -> Self {
        let text: &str = &norm.text;
        let mut lines = Vec::new();
        let mut start = 0;
        let mut push = |r: std::ops::Range<usize>| {
            let (a, b) = outline::markup(&text[r.clone()]);
            lines.push(r.start + a..r.start + b);
        };
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                push(start..i);
                start = i + 1;
            }
        }
        if start < text.len() {
            push(start..text.len());
        }
        let mut chrome: Vec<Option<ChromeKind>> = lines
            .iter()
            .map(|r| chrome::kind(&text[r.clone()]))
            .collect();
        // A key whose value stands alone on the next non-empty line (`•发布机构:` / `澧浦镇`):
        // the value is chrome too.
        let mut awaiting: Option<ChromeKind> = None;
        for (i, r) in lines.iter().enumerate() {
            let line = text[r.clone()].trim();
            if line.is_empty() {
                continue;
            }
            if chrome[i].is_none()
                && let Some(kind) = awaiting
                && line.chars().count() <= 40
                && !line.contains('。')
            {
                chrome[i] = Some(kind);
            }
            awaiting = chrome[i].filter(|_| chrome::awaits_value(line));
        }
        Doc {
            orig,
            norm: text,
            shared: &norm.text,
            map: &norm.map,
            index,
            lines,
            chrome,
        }
    }

    /// True when line `i` is page chrome.
    pub fn is_chrome(&self, i: usize) -> bool {
        self.chrome[i].is_some()
    }

    /// The chrome blocks of the whole text: runs of chrome lines, blank lines inside a run
    /// allowed. Lines the tail took as web chrome count too (as [`ChromeKind::SiteFooter`]
    /// when the line classifier did not name them).
    fn chrome_blocks(&self, tail_chrome: &[usize]) -> Vec<Chrome> {
        let kind_of = |i: usize| {
            self.chrome[i].or_else(|| tail_chrome.contains(&i).then_some(ChromeKind::SiteFooter))
        };
        let mut blocks: Vec<(ChromeKind, usize, usize)> = Vec::new();
        let mut last_nonempty_was_chrome = false;
        for i in 0..self.lines.len() {
            if self.line_text(i).trim().is_empty() {
                continue;
            }
            match kind_of(i) {
                Some(kind) => {
                    match blocks.last_mut() {
                        Some(b) if last_nonempty_was_chrome => b.2 = i,
                        _ => blocks.push((kind, i, i)),
                    }
                    last_nonempty_was_chrome = true;
                }
                None => last_nonempty_was_chrome = false,
            }
        }
        blocks
            .into_iter()
            .map(|(kind, first, last)| {
                let norm = self.lines[first].start..self.lines[last].end;
                let text = (first..=last)
                    .map(|i| self.line_text(i).trim())
                    .filter(|t| !t.is_empty())
                    .collect::<Vec<_>>()
                    .join("\n");
                Chrome {
                    kind,
                    text,
                    span: self.span(norm.clone()),
                    norm,
                }
            })
            .collect()
    }

    /// The span in the original text of a normalised range.
    pub fn span(&self, norm: std::ops::Range<usize>) -> Span {
        let r = self.map.range(norm);
        self.index.span(self.orig, r.start, r.end)
    }

    pub fn line_text(&self, i: usize) -> &'a str {
        &self.norm[self.lines[i].clone()]
    }

    pub fn field(&self, norm: std::ops::Range<usize>) -> Field {
        Field {
            text: self.norm[norm.clone()].to_string(),
            span: self.span(norm),
        }
    }
}

/// Compiles the parser's regexes (~10 ms on first use) now: `check` and `audit` run it on the
/// thread pool while the rulebook loads, so that the first report is not kept waiting for them.
pub fn warm_up() {
    chrome::warm_up();
    figures::warm_up();
    front::warm_up();
    numerals::warm_up();
    outline::warm_up();
    tail::warm_up();
}

/// Parses a decoded report. Never fails: what cannot be recognised is simply absent.
pub fn parse(original: String, hints: &[HeadingHint]) -> Report {
    let normalized = normalize(&original);
    let index = LineIndex::new(&original);
    let doc = Doc::new(&original, &normalized, &index);

    let tail = tail::recognise(&doc);
    let front = front::recognise(&doc, tail.first_line);
    let outline = outline::recognise(&doc, front.body_start..tail.first_line, hints);
    let figures = figures::recognise(&doc, &outline.paragraphs);

    let filed = front::filed_facts(&doc);
    let date = tail
        .signature
        .as_ref()
        .and_then(|s| s.date.clone())
        .or_else(|| tail.issued_date.clone())
        .or_else(|| front.subtitle_date.clone())
        .or(filed.date);
    let doc_number = front.doc_number.clone().or(filed.doc_number);
    let year = front.year.or_else(|| {
        front::year_from_body(&doc, &outline.paragraphs, &outline.sections, date.as_ref())
    });
    let signer = tail
        .signature
        .as_ref()
        .and_then(|s| s.issuer.as_ref())
        .map(|sig| Issuer {
            text: sig.text.clone(),
            span: sig.span,
            source: Source::Signature,
        });
    // A title names a place (`静海区2023年度…`); the signature its government
    // (`天津市静海区人民政府`): the government issues the report.
    let issuer = match (front.issuer, signer) {
        (Some(t), Some(s)) if !front::names_a_body(&t.text) && s.text.contains(&t.text) => Some(s),
        // …or the opening sentence does (`闵行区2018年…` / `…,闵行区人民政府认真落实…`).
        (Some(t), _) if !front::names_a_body(&t.text) => Some(
            front::issuer_from_body(&doc, &outline.paragraphs, front.doc_number.as_ref())
                .filter(|b| front::names_a_body(&b.text) && b.text.contains(&t.text))
                .unwrap_or(t),
        ),
        (Some(t), _) => Some(t),
        (None, Some(s)) => Some(s),
        (None, None) => {
            front::issuer_from_body(&doc, &outline.paragraphs, front.doc_number.as_ref())
        }
    };
    let tail_chrome: Vec<usize> = tail
        .footer
        .iter()
        .filter(|f| f.kind == tail::FooterKind::WebChrome)
        .map(|f| f.line)
        .collect();
    let chrome = doc.chrome_blocks(&tail_chrome);

    drop(doc);
    Report {
        title: front.title,
        year,
        issuer,
        doc_number,
        addressee: front.addressee,
        front_matter: front.lines,
        chrome,
        sections: outline.sections,
        paragraphs: outline.paragraphs,
        signature: tail.signature,
        footer: tail.footer,
        date,
        figures,
        original,
        normalized,
        lines: index,
    }
}

impl Report {
    /// The span (in the original text) of a byte range of the normalised text.
    pub fn span_of_norm(&self, norm: std::ops::Range<usize>) -> Span {
        let r = self.normalized.map.range(norm);
        self.lines.span(&self.original, r.start, r.end)
    }

    /// The original text of a span.
    pub fn original_text(&self, span: Span) -> &str {
        &self.original[span.start..span.end]
    }
}
