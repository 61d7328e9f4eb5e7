//! Input stage: from positioned text runs of PDF pages to paragraphs, one per line.
//!
//! [`super::pdf`] reads the runs; this module only does geometry, so it is tested on runs made by
//! hand. In reading order (pages in order; on a page, top to bottom, then left to right):
//!
//! 1. **Lines.** Runs whose baselines lie within a third of the font size of each other form one
//!    line, left to right. A run drawn twice at (almost) the same place (fake bold) is kept once.
//!    Between runs, a gap of 1.5 em or more becomes two spaces (table cells, as in DOCX); a smaller
//!    gap becomes one space only between Latin letters or digits, never between CJK characters.
//! 2. **Page headers and footers.** The first and the last line of a page, when they lie in the
//!    top or bottom 10 % of the page, are dropped if they are a page number (`- 3 -`, `— 3 —`,
//!    `第 3 页`, `第3页 共9页`, `3/9`, `Page 3`, a bare number) or if, with digits masked, the same
//!    line heads or ends at least two other pages (running headers such as the issuer's name).
//! 3. **Paragraphs.** A line continues the paragraph of the line before it (on the same page, or
//!    the last line of the previous page) when they have the same font size, the line before
//!    reaches the right margin (within 1.5 em, in a text block at least 15 em wide), this line starts at the left margin (no first-line
//!    indent), and the vertical gap is no larger than the usual line pitch. When the document
//!    never indents first lines, a line before that ends a sentence (`。！？：`) also ends the
//!    paragraph. A title in a font larger than the body's, wrapped by the layout (a full line
//!    and a centred one after it), is joined too. Re-joined lines are concatenated (with a space only between Latin words), so the
//!    text has one paragraph per line, like HTML and DOCX extraction; the report parser's own
//!    re-joining of lines that do not end a sentence then has nothing left to do.
//! 4. **Heading hints.** Lines in a font at least 15 % larger than the body text get a heading
//!    hint, level 1 for the largest such size, 2 for the next, …; the report parser uses them
//!    only for marker-less short lines in the body.
//!
//! Margins (left edge of body lines, right edge of full lines) and the body font size are
//! measured over the whole document: the leftmost edge that at least two body lines (and 5 % of
//! them) start at, in documents of ten lines or more, the 90th percentile of right edges, and the font size carrying most
//! characters.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::extracted::{Extracted, TextBuilder};

/// A piece of text drawn by one text-showing operator, in page space (points, y upwards).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Run {
    /// Baseline start and end.
    pub x0: f64,
    pub x1: f64,
    pub y: f64,
    /// Effective font size (points).
    pub size: f64,
    pub text: String,
}

/// The runs of one page, and its media box.
#[derive(Debug, Clone, Default)]
pub(crate) struct Page {
    /// 0-based page index.
    pub number: usize,
    pub left: f64,
    pub right: f64,
    pub bottom: f64,
    pub top: f64,
    pub runs: Vec<Run>,
}

/// One line of a page.
#[derive(Debug, Clone)]
struct Line {
    page: usize,
    x0: f64,
    x1: f64,
    y: f64,
    size: f64,
    text: String,
}

/// Lays out the pages' runs as paragraphs, one per line of the returned text.
pub(crate) fn layout(pages: &[Page]) -> Extracted {
    let mut per_page: Vec<Vec<Line>> = pages.iter().map(lines_of).collect();
    drop_headers_and_footers(pages, &mut per_page);
    let lines: Vec<Line> = per_page.into_iter().flatten().collect();
    let metrics = Metrics::measure(&lines);
    let heading_sizes = heading_sizes(&lines, metrics.body_size);

    let mut out = TextBuilder::new();
    let mut paragraph = String::new();
    let mut level: Option<u8> = None;
    for (i, line) in lines.iter().enumerate() {
        if i > 0
            && metrics.continues(
                &lines[i - 1],
                line,
                i + 1 == lines.len() || lines[i + 1].page != line.page,
            )
        {
            if ends_with_word(&paragraph) && starts_with_word(&line.text) {
                paragraph.push(' ');
            }
            paragraph.push_str(&line.text);
            continue;
        }
        if !paragraph.is_empty() {
            out.push_line(&paragraph, level);
        }
        paragraph = line.text.clone();
        level = heading_sizes
            .iter()
            .position(|&s| (s - line.size).abs() < 0.5)
            .map(|k| (k + 1).min(6) as u8);
    }
    if !paragraph.is_empty() {
        out.push_line(&paragraph, level);
    }
    out.finish()
}

/// Groups a page's runs into lines, top to bottom.
fn lines_of(page: &Page) -> Vec<Line> {
    let mut runs: Vec<&Run> = page.runs.iter().collect();
    runs.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x0.total_cmp(&b.x0)));
    let mut groups: Vec<Vec<&Run>> = Vec::new();
    for run in runs {
        match groups.last_mut() {
            Some(g) if (g[0].y - run.y).abs() <= g[0].size.max(run.size) / 3.0 => g.push(run),
            _ => groups.push(vec![run]),
        }
    }
    groups
        .into_iter()
        .map(|mut g| {
            g.sort_by(|a, b| a.x0.total_cmp(&b.x0));
            let size = g.iter().map(|r| r.size).fold(0.0, f64::max);
            let mut text = String::new();
            let mut x1 = g[0].x0;
            let mut kept: Vec<&Run> = Vec::new();
            for run in &g {
                // The same text drawn again at almost the same place: fake bold or a shadow.
                if kept.iter().any(|k| {
                    k.text == run.text
                        && (k.x0 - run.x0).abs() < 0.2 * size
                        && (k.y - run.y).abs() < 0.2 * size
                }) {
                    continue;
                }
                if !kept.is_empty() {
                    let gap = run.x0 - x1;
                    if gap >= 1.5 * size {
                        text.push_str("  ");
                    } else if gap >= 0.2 * size
                        && ends_with_word(&text)
                        && starts_with_word(&run.text)
                    {
                        text.push(' ');
                    }
                }
                text.push_str(&run.text);
                x1 = x1.max(run.x1);
                kept.push(run);
            }
            Line {
                page: page.number,
                x0: g[0].x0,
                x1,
                y: g[0].y,
                size,
                text,
            }
        })
        .collect()
}

fn ends_with_word(s: &str) -> bool {
    s.chars().last().is_some_and(|c| c.is_ascii_alphanumeric())
}

fn starts_with_word(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
}

static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^[\s\-—–－_·•]*
        (?: (?:第\s*)? [0-9０-９]+ (?:\s*页)? (?:[\s,，/／]*共\s*[0-9０-９]+\s*页)?
          | [0-9]+\s*[/／]\s*[0-9]+
          | page\s*[0-9]+(?:\s*of\s*[0-9]+)?
          | 第\s*[一二三四五六七八九十百零〇]+\s*页 )
        [\s\-—–－_·•]*$",
    )
    .expect("valid regex")
});

/// Drops page numbers and running headers/footers (see the module documentation).
fn drop_headers_and_footers(pages: &[Page], lines: &mut [Vec<Line>]) {
    let band = |page: &Page, line: &Line| {
        let h = (page.top - page.bottom).max(1.0);
        line.y >= page.top - 0.1 * h || line.y <= page.bottom + 0.1 * h
    };
    let mask = |s: &str| -> String {
        s.chars()
            .map(|c| if c.is_ascii_digit() { '#' } else { c })
            .filter(|c| !c.is_whitespace())
            .collect()
    };
    // Masked texts of the lines that head or end each page, counted once per page.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (page, ls) in pages.iter().zip(lines.iter()) {
        let mut here: Vec<String> = Vec::new();
        for line in [ls.first(), ls.last()].into_iter().flatten() {
            if band(page, line) {
                here.push(mask(&line.text));
            }
        }
        here.dedup();
        for m in here {
            *seen.entry(m).or_default() += 1;
        }
    }
    for (page, ls) in pages.iter().zip(lines.iter_mut()) {
        for _ in 0..2 {
            let drop_at = |ls: &Vec<Line>, i: usize| {
                let line = &ls[i];
                band(page, line)
                    && (PAGE_NUMBER.is_match(&line.text)
                        || seen.get(&mask(&line.text)).is_some_and(|&n| n >= 3))
            };
            if !ls.is_empty() && drop_at(ls, ls.len() - 1) {
                ls.pop();
            }
            if !ls.is_empty() && drop_at(ls, 0) {
                ls.remove(0);
            }
        }
    }
}

/// Document-wide measures used to decide whether a line continues a paragraph.
#[derive(Debug)]
struct Metrics {
    body_size: f64,
    left: f64,
    right: f64,
    /// Usual distance between consecutive body lines on a page.
    pitch: f64,
    /// Whether any body line starts with a first-line indent.
    indents: bool,
}

impl Metrics {
    fn measure(lines: &[Line]) -> Metrics {
        let mut by_size: HashMap<i64, usize> = HashMap::new();
        for l in lines {
            *by_size.entry((l.size * 2.0).round() as i64).or_default() += l.text.chars().count();
        }
        let body_size = by_size
            .into_iter()
            .max_by_key(|&(s, n)| (n, -s))
            .map_or(12.0, |(s, _)| s as f64 / 2.0);
        let body: Vec<&Line> = lines
            .iter()
            .filter(|l| (l.size - body_size).abs() < 0.5)
            .collect();
        let left = leftmost_frequent(body.iter().map(|l| l.x0)).unwrap_or(0.0);
        let mut rights: Vec<f64> = body.iter().map(|l| l.x1).collect();
        rights.sort_by(f64::total_cmp);
        let right = rights
            .get((rights.len() * 9 / 10).min(rights.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0.0);
        let pitch = mode(
            body.windows(2)
                .filter(|w| w[0].page == w[1].page)
                .map(|w| w[0].y - w[1].y)
                .filter(|&d| d > 0.0),
        )
        .unwrap_or(2.0 * body_size);
        let indents = body.iter().any(|l| {
            let d = l.x0 - left;
            d > 1.5 * body_size && d < 2.6 * body_size
        });
        Metrics {
            body_size,
            left,
            right,
            pitch,
            indents,
        }
    }

    /// Whether `b` continues the paragraph whose last line is `a`.
    fn continues(&self, a: &Line, b: &Line, _b_last_on_page: bool) -> bool {
        let em = b.size.max(1.0);
        let same_size = (a.size - b.size).abs() <= 0.1 * em;
        // Only a text block at least 15 em wide wraps lines; in a narrower one (or a document of
        // a line or two) "reaching the right margin" means nothing.
        let a_full = self.right - self.left >= 15.0 * em && a.x1 >= self.right - 1.5 * em;
        let b_flush = (b.x0 - self.left).abs() <= 0.5 * em;
        let close = if a.page == b.page {
            let gap = a.y - b.y;
            gap > 0.0 && gap <= self.pitch * 1.25 + 0.5
        } else {
            b.page == a.page + 1
        };
        let sentence_end = !self.indents && ends_sentence(&a.text);
        // A title in a larger font wrapped by the layout: a full first line, then a centred one.
        let middle = (self.left + self.right) / 2.0;
        let wrapped_title = a.size >= 1.15 * self.body_size
            && a.x0 <= self.left + 1.5 * em
            && (b.x0 + b.x1 - 2.0 * middle).abs() <= 2.0 * em;
        same_size && a_full && close && ((b_flush && !sentence_end) || wrapped_title)
    }
}

/// The most common value, rounded to whole points.
fn mode(values: impl Iterator<Item = f64>) -> Option<f64> {
    let mut counts: HashMap<i64, usize> = HashMap::new();
    for v in values {
        *counts.entry(v.round() as i64).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by_key(|&(v, n)| (n, -v))
        .map(|(v, _)| v as f64)
}

/// The smallest value (rounded to whole points) that at least two values and 5 % of all have
/// (any value, in a document of fewer than ten lines):
/// the left margin, which continuation lines start at even when indented first lines outnumber
/// them.
fn leftmost_frequent(values: impl Iterator<Item = f64>) -> Option<f64> {
    let mut counts: HashMap<i64, usize> = HashMap::new();
    let mut total = 0;
    for v in values {
        *counts.entry(v.round() as i64).or_default() += 1;
        total += 1;
    }
    let min_count = if total >= 10 { (total / 20).max(2) } else { 1 };
    counts
        .into_iter()
        .filter(|&(_, n)| n >= min_count)
        .map(|(v, _)| v)
        .min()
        .map(|v| v as f64)
}

/// Font sizes larger than the body's by 15 % or more, largest first.
fn heading_sizes(lines: &[Line], body: f64) -> Vec<f64> {
    let mut sizes: Vec<f64> = Vec::new();
    for l in lines {
        if l.size >= body * 1.15 && !sizes.iter().any(|s| (s - l.size).abs() < 0.5) {
            sizes.push(l.size);
        }
    }
    sizes.sort_by(|a, b| b.total_cmp(a));
    sizes
}

fn ends_sentence(text: &str) -> bool {
    let t = text.trim_end_matches(['”', '’', '"', '\'', ')', '）', '」', '』', '》', '】']);
    t.ends_with(['。', '！', '？', '：', '!', '?', ':', '…'])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A4 page, text from x = 80 to x = 520, 16 pt lines every 28 pt from y = 740.
    fn page(number: usize, lines: &[(f64, f64, &str)]) -> Page {
        Page {
            number,
            left: 0.0,
            right: 595.0,
            bottom: 0.0,
            top: 842.0,
            runs: lines
                .iter()
                .enumerate()
                .map(|(i, &(x0, x1, text))| Run {
                    x0,
                    x1,
                    y: 740.0 - 28.0 * i as f64,
                    size: 16.0,
                    text: text.to_string(),
                })
                .collect(),
        }
    }

    fn run(x0: f64, x1: f64, y: f64, size: f64, text: &str) -> Run {
        Run {
            x0,
            x1,
            y,
            size,
            text: text.to_string(),
        }
    }

    #[test]
    fn wrapped_lines_rejoin_and_indented_lines_start_paragraphs() {
        let p = page(
            0,
            &[
                (112.0, 520.0, "一、主要举措和成效"),
                (112.0, 520.0, "全年共办理行政复议案件"),
                (80.0, 520.0, "12件，行政机关负责人出庭"),
                (80.0, 300.0, "应诉率100%。"),
                (112.0, 400.0, "二、存在的不足"),
            ],
        );
        let e = layout(&[p]);
        assert_eq!(
            e.text,
            "一、主要举措和成效\n全年共办理行政复议案件12件，行政机关负责人出庭应诉率100%。\n二、存在的不足\n"
        );
    }

    #[test]
    fn short_line_ends_a_paragraph_even_without_indent() {
        let p = page(
            0,
            &[
                (80.0, 520.0, "第一段第一行"),
                (80.0, 200.0, "第一段完"),
                (80.0, 520.0, "第二段"),
            ],
        );
        assert_eq!(layout(&[p]).text, "第一段第一行第一段完\n第二段\n");
    }

    #[test]
    fn page_numbers_are_dropped_and_paragraphs_continue_across_pages() {
        let mut p1 = page(0, &[(112.0, 520.0, "开展专题讲座，贯彻落实")]);
        p1.runs.push(run(280.0, 310.0, 50.0, 14.0, "- 1 -"));
        let mut p2 = page(1, &[(80.0, 300.0, "南通市委的批示。")]);
        p2.runs.push(run(270.0, 330.0, 50.0, 14.0, "第 2 页"));
        let e = layout(&[p1, p2]);
        assert_eq!(e.text, "开展专题讲座，贯彻落实南通市委的批示。\n");
    }

    #[test]
    fn a_number_in_the_body_is_not_a_page_number() {
        let p = page(
            0,
            &[
                (112.0, 520.0, "正文第一行"),
                (80.0, 300.0, "结束。"),
                (112.0, 130.0, "3"),
                (112.0, 300.0, "正文。"),
            ],
        );
        assert_eq!(layout(&[p]).text, "正文第一行结束。\n3\n正文。\n");
    }

    #[test]
    fn running_headers_repeated_on_pages_are_dropped() {
        let pages: Vec<Page> = (0..3)
            .map(|n| {
                let mut p = page(n, &[(112.0, 300.0, &format!("第{n}页正文。"))]);
                p.runs
                    .push(run(200.0, 400.0, 800.0, 10.5, "某镇人民政府文件"));
                p
            })
            .collect();
        assert_eq!(
            layout(&pages).text,
            "第0页正文。\n第1页正文。\n第2页正文。\n"
        );
    }

    #[test]
    fn runs_on_one_baseline_make_one_line_with_spaces_only_between_latin_words() {
        let p = Page {
            runs: vec![
                run(200.0, 260.0, 700.0, 16.0, "APP"),
                run(80.0, 190.0, 700.4, 16.0, "通过“爱启东”"),
                run(266.0, 330.0, 700.0, 16.0, "Version"),
                run(340.0, 400.0, 700.0, 16.0, "开展学习"),
                run(80.0, 190.0, 700.4, 16.0, "通过“爱启东”"),
                run(460.0, 520.0, 700.0, 16.0, "100%"),
            ],
            top: 842.0,
            right: 595.0,
            ..Page::default()
        };
        assert_eq!(layout(&[p]).text, "通过“爱启东”APP Version开展学习  100%\n");
    }

    #[test]
    fn larger_lines_get_heading_hints_by_size() {
        let p = Page {
            runs: vec![
                run(200.0, 400.0, 780.0, 22.0, "某镇2023年度报告"),
                run(112.0, 300.0, 740.0, 20.0, "主要举措"),
                run(112.0, 520.0, 712.0, 16.0, "正文正文正文正文正文。"),
                run(112.0, 520.0, 684.0, 16.0, "正文正文。"),
            ],
            top: 842.0,
            right: 595.0,
            ..Page::default()
        };
        let e = layout(&[p]);
        assert_eq!(
            e.heading_hints
                .iter()
                .map(|h| (h.line, h.level))
                .collect::<Vec<_>>(),
            [(0, 1), (1, 2)]
        );
    }

    #[test]
    fn a_large_title_wrapped_by_the_layout_is_one_line() {
        let mut runs = vec![
            run(
                80.0,
                520.0,
                760.0,
                22.0,
                "常熟市辛庄镇人民政府2023年法治政府建设",
            ),
            run(240.0, 360.0, 728.0, 22.0, "情况报告"),
            run(240.0, 360.0, 696.0, 22.0, "（征求意见稿）"),
        ];
        for i in 0..12 {
            runs.push(run(
                80.0,
                520.0,
                650.0 - 28.0 * i as f64,
                16.0,
                "正文正文正文正文",
            ));
        }
        let p = Page {
            runs,
            top: 842.0,
            right: 595.0,
            ..Page::default()
        };
        let e = layout(&[p]);
        let first: Vec<&str> = e.text.lines().take(2).collect();
        assert_eq!(
            first,
            [
                "常熟市辛庄镇人民政府2023年法治政府建设情况报告",
                "（征求意见稿）"
            ]
        );
    }
}
