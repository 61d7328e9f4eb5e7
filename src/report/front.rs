//! Report stage: the front matter — everything above the body.
//!
//! Recognises the letterhead (`辛庄镇人民政府文件`), the document number (`辛政呈〔2024〕1号`,
//! also with `[ ]` or `( )`), the title (which may wrap over two lines:
//! `王鲍镇` / `2023 年度法治政府建设情况报告`), the report year and issuing body taken from them,
//! and the addressee (`常熟市人民政府：`). Web chrome above the title is kept as
//! [`FrontKind::Other`] lines and never becomes the title. Hands on: these fields and the index
//! of the first body line.

use super::outline::heading_marker;
use super::{Doc, Field, FrontKind, FrontLine, Issuer, Paragraph, Source, Year};
use regex::Regex;
use std::sync::LazyLock;

pub(crate) struct Front {
    pub title: Option<Field>,
    pub year: Option<Year>,
    pub issuer: Option<Issuer>,
    pub doc_number: Option<Field>,
    pub addressee: Option<Field>,
    pub lines: Vec<FrontLine>,
    pub body_start: usize,
}

/// How far down the front matter may reach, in non-empty lines.
const FRONT_LINES: usize = 15;

static DOC_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[\p{Han}]{1,12}[〔\[(【]\s*(\d{4})\s*[〕\])】]\s*第?\s*\d{1,5}\s*号$").unwrap()
});
static TITLE_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(报告|总结|情况|述职)$|(报告|总结)[)」』》]?$").unwrap());
static TITLE_TOPIC: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"法治|依法行政|法制").unwrap());
static CHROME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[>|»›/]|当前位置|您的位置|首页|发布时间|来源:|浏览").unwrap());
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"((?:19|20)\d{2})年度?").unwrap());
static BODY_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"((?:19|20)\d{2})年(度|以来|,|上半年|全年|里|中)").unwrap());
static PLAIN_HAN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[\p{Han}()]{2,24}$").unwrap());

fn is_title(line: &str) -> bool {
    let n = line.chars().count();
    (4..=80).contains(&n)
        && TITLE_WORD.is_match(line)
        && TITLE_TOPIC.is_match(line)
        && !CHROME.is_match(line)
        && !line.contains('。')
}

fn is_addressee(line: &str) -> bool {
    let n = line.chars().count();
    (3..=40).contains(&n)
        && line.ends_with(':')
        && !line.contains(',')
        && !line.contains('。')
        && heading_marker(line).is_none()
}

/// True for a line that reads as running text: the body has begun.
fn is_prose(line: &str) -> bool {
    line.contains('。') || line.chars().count() > 60 || heading_marker(line).is_some()
}

pub(crate) fn recognise(doc: &Doc, limit: usize) -> Front {
    let mut front = Front {
        title: None,
        year: None,
        issuer: None,
        doc_number: None,
        addressee: None,
        lines: Vec::new(),
        body_start: 0,
    };
    let candidates: Vec<usize> = (0..limit)
        .filter(|&i| !doc.line_text(i).is_empty())
        .take(FRONT_LINES)
        .collect();
    // The front matter ends at the addressee, or before the first line of prose.
    let mut end = candidates.len();
    for (k, &i) in candidates.iter().enumerate() {
        let text = doc.line_text(i);
        if is_addressee(text) {
            end = k + 1;
            break;
        }
        if is_prose(text) {
            end = k;
            break;
        }
    }
    let front_lines = &candidates[..end];
    front.body_start = candidates
        .get(end)
        .copied()
        .unwrap_or_else(|| front_lines.last().map_or(0, |&i| i + 1));

    // A title on one line, or wrapped over two (`…法治政府建设` / `情况报告`).
    let title_at = (0..front_lines.len()).find(|&k| {
        let line = doc.line_text(front_lines[k]);
        is_title(line)
            || TITLE_TOPIC.is_match(line)
                && !DOC_NUMBER.is_match(line)
                && front_lines.get(k + 1).is_some_and(|&next| {
                    let next = doc.line_text(next);
                    next.chars().count() <= 20
                        && !is_title(next)
                        && is_title(&format!("{line}{next}"))
                })
    });
    let mut title_lines = Vec::new();
    if let Some(t) = title_at {
        let line = doc.line_text(front_lines[t]);
        let mut first = t;
        let mut last = t;
        // `王鲍镇` / `2023年度…报告`: the body's name stands alone on the line above.
        let starts_bare = line.starts_with(|c: char| c.is_ascii_digit())
            || line.starts_with("关于")
            || line.starts_with("年度");
        if starts_bare
            && t > 0
            && PLAIN_HAN.is_match(doc.line_text(front_lines[t - 1]))
            && !doc.line_text(front_lines[t - 1]).ends_with("文件")
        {
            first = t - 1;
        }
        // `…法治政府建设` / `情况报告`: the title goes on below.
        if let Some(&next) = front_lines.get(t + 1) {
            let next_text = doc.line_text(next);
            if !line.ends_with("报告")
                && next_text.chars().count() <= 20
                && TITLE_WORD.is_match(next_text)
                && !is_addressee(next_text)
            {
                last = t + 1;
            }
        }
        title_lines = front_lines[first..=last].to_vec();
        let text: String = title_lines.iter().map(|&i| doc.line_text(i)).collect();
        let span =
            doc.span(doc.lines[title_lines[0]].start..doc.lines[*title_lines.last().unwrap()].end);
        front.title = Some(Field { text, span });
    }

    let mut letterhead: Option<Field> = None;
    for &i in front_lines {
        let range = doc.lines[i].clone();
        let text = doc.line_text(i);
        if title_lines.contains(&i) {
            continue;
        }
        if DOC_NUMBER.is_match(text) {
            front.doc_number = Some(doc.field(range));
        } else if is_addressee(text) {
            let r = range.start..range.end - 1; // without the colon
            front.addressee = Some(doc.field(r));
        } else {
            let kind = if text.ends_with("文件") && PLAIN_HAN.is_match(text) {
                if letterhead.is_none() {
                    letterhead = Some(doc.field(range.start..range.end - "文件".len()));
                }
                FrontKind::Letterhead
            } else {
                FrontKind::Other
            };
            front.lines.push(FrontLine {
                kind,
                text: text.to_string(),
                span: doc.span(range),
            });
        }
    }

    // The year and the issuer, from the title (`常熟市辛庄镇人民政府2023年法治政府建设情况报告`).
    if let (Some(title), Some(&first)) = (&front.title, title_lines.first()) {
        // Offsets in the concatenated title text map to lines: walk them.
        let mut offset = 0;
        let mut pieces = Vec::new();
        for &i in &title_lines {
            let r = doc.lines[i].clone();
            pieces.push((offset, r.start));
            offset += r.len();
        }
        let to_norm = |o: usize| {
            let &(base, start) = pieces.iter().rev().find(|&&(b, _)| b <= o).unwrap();
            start + (o - base)
        };
        if let Some(c) = YEAR.captures(&title.text)
            && let Ok(value) = c[1].parse()
        {
            let m = c.get(0).unwrap();
            front.year = Some(Year {
                value,
                span: doc.span(to_norm(m.start())..to_norm(m.start()) + m.len()),
                source: Source::Title,
            });
            let prefix = &title.text[..m.start()];
            if prefix.chars().count() >= 2 {
                let end = to_norm(m.start());
                let start = doc.lines[first].start;
                if end > start {
                    front.issuer = Some(Issuer {
                        text: prefix.to_string(),
                        span: doc.span(start..end),
                        source: Source::Title,
                    });
                }
            }
        }
    }
    // A letterhead names the body more formally than a title prefix does, unless the prefix is
    // the fuller name (`常熟市辛庄镇人民政府` over `辛庄镇人民政府`).
    if let Some(head) = letterhead {
        let fuller_title = front
            .issuer
            .as_ref()
            .is_some_and(|i| i.text.contains(&head.text));
        if !fuller_title {
            front.issuer = Some(Issuer {
                text: head.text,
                span: head.span,
                source: Source::Letterhead,
            });
        }
    }
    front
}

/// The year from the opening of the body (`2023年以来，…`), for reports without a title.
pub(crate) fn year_from_body(doc: &Doc, paragraphs: &[Paragraph]) -> Option<Year> {
    let first = paragraphs.first()?;
    let text = &doc.norm[first.norm()];
    let head = &text[..text.floor_char_boundary(text.len().min(120))];
    let c = BODY_YEAR.captures(head)?;
    let m = c.get(1)?;
    let start = first.norm().start + m.start();
    Some(Year {
        value: m.as_str().parse().ok()?,
        span: doc.span(start..start + m.len() + "年".len()),
        source: Source::Body,
    })
}

#[cfg(test)]
mod tests {
    use crate::report::{Source, parse};

    fn report(text: &str) -> crate::report::Report {
        parse(text.to_string(), &[])
    }

    #[test]
    fn document_numbers_with_any_brackets() {
        for (line, want) in [
            ("辛政呈〔2024〕1号", "辛政呈〔2024〕1号"),
            ("南政发[2021]3号", "南政发[2021]3号"),
            ("某政发（2023）12号", "某政发(2023)12号"),
            ("某政发【2023】第5号", "某政发【2023】第5号"),
        ] {
            let r = report(&format!(
                "某镇人民政府文件\n{line}\n某镇2023年法治政府建设情况报告\n县人民政府：\n一、主要举措\n正文。\n"
            ));
            assert_eq!(
                r.doc_number.map(|d| d.text).as_deref(),
                Some(want),
                "{line}"
            );
        }
    }

    #[test]
    fn title_wrapped_below_and_signature_in_chinese_numerals() {
        let r = report(
            "某镇2023年度法治政府建设\n情况报告\n\n2023年，某镇坚持依法行政。\n一、主要举措\n正文。\n\n某镇人民政府\n二〇二四年二月二十九日\n",
        );
        assert_eq!(r.title.unwrap().text, "某镇2023年度法治政府建设情况报告");
        let date = r.date.unwrap();
        assert_eq!(
            (date.date.to_string(), date.source),
            ("2024-02-29".into(), Source::Signature)
        );
        assert_eq!(r.signature.unwrap().issuer.unwrap().text, "某镇人民政府");
        assert_eq!(r.issuer.unwrap().text, "某镇");
    }

    #[test]
    fn web_chrome_above_the_title_is_not_the_title() {
        let r = report(
            "首页 > 政务公开 > 法治政府建设年度报告\n简体 | 繁體 | 无障碍\n某区2023年法治政府建设年度报告\n一、主要举措\n正文。\n",
        );
        assert_eq!(r.title.unwrap().text, "某区2023年法治政府建设年度报告");
        assert_eq!(r.front_matter.len(), 2);
    }
}
