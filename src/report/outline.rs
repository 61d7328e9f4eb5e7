//! Report stage: the outline of the body — headings, sections, paragraphs and inline items.
//!
//! Headings are recognised by their markers, which give their level:
//! `一、` (1) → `（一）`/`(一)` (2) → `1.`/`1、`/`1．` (3) → `（1）` (4); DOCX heading styles and
//! HTML `<h1>`…`<h6>` give a level to marker-less lines. A heading line such as
//! `1.依法全面履行职能。紧紧围绕…` has the title `依法全面履行职能`; the rest is a paragraph of
//! its section. Each heading owns the text up to the next heading of the same or a higher level.
//!
//! Paragraphs are re-joined across page-break artifacts: a line that does not end a sentence,
//! blank lines, then a line that is not a heading, continue one paragraph. Inline items
//! `一是…二是…三是…` are found inside paragraphs and numbered in sequence within their section.
//! Hands on: sections (flat, in document order, with parent links) and paragraphs.

use super::numerals::ordinal;
use super::{Doc, HeadingHint, Span};
use regex::Regex;
use serde::Serialize;
use std::ops::Range;
use std::sync::LazyLock;

/// The way a heading is numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HeadingKind {
    /// `一、总体情况`
    Chinese,
    /// `（一）坚持党的领导` or `(一)…`
    ParenChinese,
    /// `1.依法全面履行职能` (also `1、` and `1．`)
    Arabic,
    /// `（1）…`
    ParenArabic,
    /// A line without a marker that the source styled as a heading (DOCX style, HTML `<hN>`).
    Styled,
}

impl HeadingKind {
    /// The level a marker gives: 1 for `一、` down to 4 for `（1）`.
    pub fn level(self) -> u8 {
        match self {
            HeadingKind::Chinese => 1,
            HeadingKind::ParenChinese => 2,
            HeadingKind::Arabic => 3,
            HeadingKind::ParenArabic => 4,
            HeadingKind::Styled => 1,
        }
    }
}

/// A heading and the part of the report it owns.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// 1 for `一、`, 2 for `（一）`, 3 for `1.`, 4 for `（1）`; a styled heading's own level.
    pub level: u8,
    /// Depth in the heading tree (0 for a top heading); differs from `level - 1` when a report
    /// skips a level (`一、` directly followed by `1.`).
    pub depth: usize,
    pub kind: HeadingKind,
    /// The marker as written, normalised: `一、`, `(一)`, `1.`, `(1)`; empty for styled headings.
    pub marker: String,
    pub number: Option<u32>,
    pub title: String,
    pub title_span: Span,
    /// The heading line.
    pub heading_span: Span,
    /// The heading and everything it owns.
    pub span: Span,
    /// Index of the enclosing section in `Report::sections`.
    pub parent: Option<usize>,
    #[serde(skip)]
    pub norm: Range<usize>,
    #[serde(skip)]
    pub title_norm: Range<usize>,
}

/// A paragraph of running text (possibly re-joined across a page break).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Paragraph {
    /// The normalised text, with page-break line breaks removed: a range of the report's
    /// normalised text when it is one piece (no copy).
    pub text: super::shared::SharedStr,
    pub span: Span,
    /// The innermost section it belongs to.
    pub section: Option<usize>,
    /// True for the text that follows the title on a heading's own line.
    pub in_heading: bool,
    pub items: Vec<Item>,
    /// The normalised ranges of its lines (never empty).
    #[serde(skip)]
    pub pieces: Vec<Range<usize>>,
}

impl Paragraph {
    /// Normalised range from the first to the last character (blank lines between included).
    pub fn norm(&self) -> Range<usize> {
        let first = self.pieces.first().map_or(0, |r| r.start);
        first..self.pieces.last().map_or(first, |r| r.end)
    }
}

/// An inline item `一是…`, `二是…` inside a paragraph.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    pub ordinal: u32,
    /// `一是`
    pub marker: String,
    pub title: String,
    pub title_span: Span,
    /// From the marker to the next item or the end of the paragraph.
    pub span: Span,
    #[serde(skip)]
    pub norm: Range<usize>,
}

pub(crate) struct Outline {
    pub sections: Vec<Section>,
    pub paragraphs: Vec<Paragraph>,
}

const CHINESE_DIGITS: &str = "一二三四五六七八九十";

/// Recognises a heading marker at the start of a (normalised) line: its kind, its length in bytes
/// and its number.
pub fn heading_marker(line: &str) -> Option<(HeadingKind, usize, u32)> {
    let chinese_run = |s: &str| -> usize {
        s.char_indices()
            .take_while(|&(i, c)| CHINESE_DIGITS.contains(c) && i < 9)
            .map(|(i, c)| i + c.len_utf8())
            .last()
            .unwrap_or(0)
    };
    let digit_run = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let (kind, len, num) = if let Some(rest) = line.strip_prefix('(') {
        let c = chinese_run(rest);
        let d = digit_run(rest);
        if c > 0 && rest[c..].starts_with(')') {
            (HeadingKind::ParenChinese, c + 2, &rest[..c])
        } else if (1..=2).contains(&d) && rest[d..].starts_with(')') {
            (HeadingKind::ParenArabic, d + 2, &rest[..d])
        } else {
            return None;
        }
    } else {
        let c = chinese_run(line);
        let d = digit_run(line);
        if c > 0 && line[c..].starts_with('、') {
            (HeadingKind::Chinese, c + '、'.len_utf8(), &line[..c])
        } else if (1..=2).contains(&d) {
            let after = &line[d..];
            let sep = ['.', '、'].into_iter().find(|&s| after.starts_with(s))?;
            let next = after[sep.len_utf8()..].chars().next()?;
            // `2.5倍`, `10.13国际减灾日` and a bare `1.` are not headings.
            if next.is_ascii_digit() || next == '%' {
                return None;
            }
            (HeadingKind::Arabic, d + sep.len_utf8(), &line[..d])
        } else {
            return None;
        }
    };
    // Something must follow the marker.
    if line.len() <= len {
        return None;
    }
    Some((kind, len, ordinal(num)?))
}

/// Markdown decoration around a line (`## `, `**…**`, `> `): bytes to skip at both ends.
pub(crate) fn markup(line: &str) -> (usize, usize) {
    let mut start = 0;
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    if (1..=6).contains(&hashes) {
        start = hashes;
        if line[start..].starts_with(' ') {
            start += 1;
        }
    } else if line.starts_with("> ") {
        start = 2;
    }
    let mut end = line.len();
    if line[start..].starts_with("**") && line.len() >= start + 4 && line.ends_with("**") {
        start += 2;
        end -= 2;
    }
    (start, end)
}

/// True when a line ends a sentence, so that the next line starts a new paragraph.
pub fn ends_sentence(text: &str) -> bool {
    let t = text.trim_end_matches(['”', '’', '"', '\'', ')', '」', '』', '》', '】']);
    t.ends_with(['。', '!', '?', ':', '…'])
}

fn split_title(rest: &str) -> (usize, Option<usize>) {
    // The title ends at the first full stop (or colon, semicolon, !, ?).
    if let Some((i, c)) = rest
        .char_indices()
        .find(|&(_, c)| matches!(c, '。' | ':' | ';' | '!' | '?'))
    {
        return (i, Some(i + c.len_utf8()));
    }
    if rest.chars().count() > 60
        && let Some(i) = rest.find(',')
    {
        return (i, Some(i + 1));
    }
    (rest.len(), None)
}

pub(crate) fn recognise(doc: &Doc, body: Range<usize>, hints: &[HeadingHint]) -> Outline {
    let mut sections: Vec<Section> = Vec::new();
    let mut paragraphs: Vec<Paragraph> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut open: Option<usize> = None;
    // Looked up for every line: a map, not a scan of all hints per line (the first hint of a
    // line wins, as before).
    let hint_levels: std::collections::HashMap<usize, u8> =
        hints.iter().rev().map(|h| (h.line, h.level)).collect();
    let hint_level = |i: usize| hint_levels.get(&i).copied();

    for i in body.clone() {
        let line = doc.lines[i].clone();
        let content = &doc.norm[line.clone()];
        if content.is_empty() {
            continue;
        }
        if doc.is_chrome(i) {
            // Page chrome inside the body (a button bar between two pages of a saved site) is
            // not the report's text, and ends the paragraph it interrupts.
            open = None;
            continue;
        }
        let marker = heading_marker(content).or_else(|| {
            let level = hint_level(i)?;
            // A styled line is a heading only when it is short and is not a sentence.
            (content.chars().count() <= 40 && !content.contains('。')).then_some((
                HeadingKind::Styled,
                0,
                u32::from(level),
            ))
        });
        if let Some((kind, mlen, number)) = marker {
            let level = match kind {
                HeadingKind::Styled => hint_level(i).unwrap_or(1),
                k => k.level(),
            };
            let number = (kind != HeadingKind::Styled).then_some(number);
            let rest_start = line.start + mlen;
            let rest = &doc.norm[rest_start..line.end];
            let (title_end, body_start) = split_title(rest);
            let title_norm = rest_start..rest_start + title_end;
            while let Some(&top) = stack.last() {
                if sections[top].level >= level {
                    stack.pop();
                } else {
                    break;
                }
            }
            let parent = stack.last().copied();
            let idx = sections.len();
            sections.push(Section {
                level,
                depth: stack.len(),
                kind,
                marker: doc.norm[line.start..rest_start].to_string(),
                number,
                title: doc.norm[title_norm.clone()].to_string(),
                title_span: doc.span(title_norm.clone()),
                heading_span: doc.span(line.clone()),
                span: doc.span(line.clone()),
                parent,
                norm: line.start..line.end,
                title_norm,
            });
            stack.push(idx);
            open = None;
            if let Some(bs) = body_start {
                let body = rest_start + bs..line.end;
                if !body.is_empty() {
                    open = Some(paragraphs.len());
                    paragraphs.push(new_paragraph(body, Some(idx), true));
                }
            }
            continue;
        }
        match open {
            Some(p) if !ends_sentence(&doc.norm[paragraphs[p].norm()]) => {
                paragraphs[p].pieces.push(line);
            }
            _ => {
                open = Some(paragraphs.len());
                paragraphs.push(new_paragraph(line, stack.last().copied(), false));
            }
        }
    }

    // Section extents: up to the next heading of the same or a higher level.
    let body_end = body
        .clone()
        .rev()
        .find(|&i| !doc.line_text(i).is_empty())
        .map_or(0, |i| doc.lines[i].end);
    let mut open_sections: Vec<usize> = Vec::new();
    for idx in 0..sections.len() {
        let start = sections[idx].norm.start;
        while let Some(&top) = open_sections.last() {
            if sections[top].level >= sections[idx].level {
                sections[top].norm.end = previous_end(doc, start);
                open_sections.pop();
            } else {
                break;
            }
        }
        open_sections.push(idx);
    }
    for idx in open_sections {
        sections[idx].norm.end = body_end.max(sections[idx].norm.end);
    }
    for s in &mut sections {
        s.span = doc.span(s.norm.clone());
    }

    for p in &mut paragraphs {
        p.text = match p.pieces.as_slice() {
            [one] => super::shared::SharedStr::slice(doc.shared, one.clone()),
            pieces => super::shared::SharedStr::owned(
                &pieces
                    .iter()
                    .map(|r| &doc.norm[r.clone()])
                    .collect::<String>(),
            ),
        };
        p.span = doc.span(p.norm());
    }
    find_items(doc, &mut paragraphs);
    Outline {
        sections,
        paragraphs,
    }
}

/// The end of the last non-blank text before a normalised offset.
fn previous_end(doc: &Doc, offset: usize) -> usize {
    doc.norm[..offset].trim_end().len()
}

fn new_paragraph(norm: Range<usize>, section: Option<usize>, in_heading: bool) -> Paragraph {
    // Text and span are filled in once all its lines are known.
    Paragraph {
        text: Default::default(),
        span: Span::default(),
        section,
        in_heading,
        items: Vec::new(),
        pieces: vec![norm],
    }
}

static ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([一二三四五六七八九十]{1,3})是").unwrap());

/// Finds `一是…二是…` items; numbering runs on across the paragraphs of one section.
fn find_items(doc: &Doc, paragraphs: &mut [Paragraph]) {
    let mut section = None;
    let mut last = 0u32;
    for p in paragraphs.iter_mut() {
        if p.section != section {
            section = p.section;
            last = 0;
        }
        let text = &doc.norm[p.norm()];
        let mut starts = Vec::new();
        for c in ITEM.captures_iter(text) {
            let m = c.get(0).unwrap();
            let before = text[..m.start()].chars().next_back();
            let at_boundary = before.is_none_or(|c| {
                matches!(
                    c,
                    ',' | ';' | ':' | '。' | '!' | '?' | '、' | '\n' | ')' | '”'
                )
            });
            let Some(n) = ordinal(&c[1]) else { continue };
            if at_boundary && (n == 1 || n == last + 1) {
                starts.push((m.start(), m.end(), n));
                last = n;
            }
        }
        for (k, &(start, marker_end, n)) in starts.iter().enumerate() {
            let end = starts.get(k + 1).map_or(text.len(), |s| s.0);
            let body = &text[marker_end..end];
            let first_stop = body.find(['。', ';', '\n']).unwrap_or(body.len());
            let title_len = if body[..first_stop].chars().count() <= 30 {
                first_stop
            } else {
                body.find(',').unwrap_or(first_stop).min(first_stop)
            };
            let base = p.norm().start;
            let norm = base + start..base + previous_end_in(text, end);
            let title_norm = base + marker_end..base + marker_end + title_len;
            p.items.push(Item {
                ordinal: n,
                marker: text[start..marker_end].to_string(),
                title: doc.norm[title_norm.clone()].to_string(),
                title_span: doc.span(title_norm),
                span: doc.span(norm.clone()),
                norm,
            });
        }
    }
}

fn previous_end_in(text: &str, offset: usize) -> usize {
    text[..offset].trim_end().len()
}

/// Compiles this module's regexes now (see [`super::warm_up`]).
pub(super) fn warm_up() {
    LazyLock::force(&ITEM);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_and_levels() {
        fn m(s: &str) -> Option<(u8, &str, u32)> {
            heading_marker(s).map(|(k, len, n)| (k.level(), &s[..len], n))
        }
        assert_eq!(m("一、总体情况"), Some((1, "一、", 1)));
        assert_eq!(m("十一、其他"), Some((1, "十一、", 11)));
        assert_eq!(m("(三)强化监督"), Some((2, "(三)", 3)));
        assert_eq!(m("1.依法全面履行职能"), Some((3, "1.", 1)));
        assert_eq!(m("12、优化服务"), Some((3, "12、", 12)));
        assert_eq!(m("(2)具体举措"), Some((4, "(2)", 2)));
        for not in [
            "2.5倍",
            "10.13国际减灾日",
            "2023年",
            "一是加强",
            "1.",
            "(一",
            "一、",
        ] {
            assert_eq!(m(not), None, "{not}");
        }
    }

    #[test]
    fn sentence_ends() {
        assert!(ends_sentence("现将工作情况汇报如下:"));
        assert!(ends_sentence("“法治小区”。”"));
        assert!(!ends_sentence("…坚持"));
        assert!(!ends_sentence("人均学法学时54小时,"));
        assert!(!ends_sentence("意识不强;"));
    }

    #[test]
    fn markdown_decoration_is_skipped() {
        let s = "## 一、总体情况";
        let (a, b) = markup(s);
        assert_eq!(&s[a..b], "一、总体情况");
        let s = "**(一)标题**";
        let (a, b) = markup(s);
        assert_eq!(&s[a..b], "(一)标题");
    }
}
