//! Shared by the stages that report errors: source text for miette diagnostics.
//!
//! Two things miette does not do for us: count columns in characters (its `str` source counts
//! bytes, so a caret after Chinese text would be announced at column 45 while it sits under
//! character 33), and keep very long lines readable (report lines run to hundreds of CJK
//! characters, and a label past column 65 535 even makes its formatter panic). [`CharColumns`]
//! does both: it counts characters, and [`CharColumns::around`] shows only a window of a long
//! line around the label, with the real line and column numbers.

use std::ops::Range;
use std::sync::Arc;

/// Characters of context shown on each side of a label on a long line.
const WINDOW: usize = 30;
/// Longest stretch of a label shown on a long line.
const MAX_LABEL: usize = 60;
/// Lines up to this many terminal columns are shown whole.
const LONG_LINE: usize = 120;
/// Characters of a context line shown at least (beside a short labelled line).
const CONTEXT: usize = 60;

/// The line around byte `at`: its start and its end (before `\n` or `\r\n`).
fn line_at(text: &str, at: usize) -> (usize, usize) {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    // The `\r` of a CRLF or CR-only ending is not shown, unless `at` is past it (a label at the
    // very end of `a\r\r`): the line must still hold `at`.
    let end = if end > at && text[..end].ends_with('\r') {
        end - 1
    } else {
        end
    };
    (start, end)
}

/// Characters `[first, first + count)` of a line, with `…` for what is cut on either side.
fn cut(line: &str, first: usize, count: usize) -> String {
    let total = line.chars().count();
    let mut out = String::new();
    if first > 0 && total > 0 {
        out.push('…');
    }
    out.extend(line.chars().skip(first).take(count));
    if first + count < total {
        out.push('…');
    }
    out
}

/// Terminal columns of a text: East Asian wide characters take two.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6
            | 0x20000..=0x3FFFD => 2,
            _ => 1,
        })
        .sum()
}

/// Source text whose `file:line:col` counts characters; possibly a window of one long line.
#[derive(Debug, Clone)]
pub struct CharColumns {
    name: String,
    text: Arc<str>,
    /// Lines of the real text before `text` starts.
    line: usize,
    /// The line of `text` whose columns are shifted (the labelled line of a window).
    shift_line: usize,
    /// Characters of the real line before the window starts, minus the `…` that stands for them.
    column_shift: isize,
}

impl CharColumns {
    /// The whole text.
    pub fn new(name: impl Into<String>, text: Arc<str>) -> Self {
        CharColumns {
            name: name.into(),
            text,
            line: 0,
            shift_line: 0,
            column_shift: 0,
        }
    }

    /// The source to show a label at `span` (bytes of `text`) with, and the label's range in it:
    /// the label's line and the lines before and after it (miette's context), each cut to the
    /// same window of columns. A short labelled line is shown whole and its neighbours to at
    /// least [`CONTEXT`] characters; a long one to a window around the label. A label that runs
    /// over several lines is shown on its first.
    pub fn around(name: &str, text: &Arc<str>, span: Range<usize>) -> (Self, Range<usize>) {
        let start = span.start.min(text.len());
        let (line_start, line_end) = line_at(text, start);
        let label_end = span.end.clamp(start, line_end);
        let long = width(&text[line_start..line_end]) > LONG_LINE;
        let label_end = if long {
            text[start..label_end]
                .char_indices()
                .nth(MAX_LABEL)
                .map_or(label_end, |(i, _)| start + i)
        } else {
            label_end
        };
        // The window on the labelled line, as character columns [first, first + count).
        let (win_start, win_end) = if long {
            let before: Vec<(usize, char)> = text[line_start..start].char_indices().collect();
            let win_start = if before.len() > WINDOW {
                line_start + before[before.len() - WINDOW].0
            } else {
                line_start
            };
            let win_end = text[label_end..line_end]
                .char_indices()
                .nth(WINDOW)
                .map_or(line_end, |(i, _)| label_end + i);
            (win_start, win_end)
        } else {
            (line_start, line_end)
        };
        let first = text[line_start..win_start].chars().count();
        let count = text[win_start..win_end].chars().count();
        let labelled = cut(&text[line_start..line_end], first, count);
        let lead = if first > 0 { "…".len() } else { 0 };
        // Neighbours: the same columns, at least CONTEXT characters of them.
        let context = count.max(CONTEXT);
        let prev = (line_start > 0).then(|| {
            let (s, e) = line_at(text, line_start - 1);
            cut(&text[s..e], first, context)
        });
        let next = (line_end < text.len())
            .then(|| text[line_end..].find('\n').map(|i| line_end + i + 1))
            .flatten()
            .filter(|&s| s < text.len())
            .map(|s| {
                let (s, e) = line_at(text, s);
                cut(&text[s..e], first, context)
            });
        let mut shown = String::new();
        let mut shift_line = 0;
        if let Some(p) = &prev {
            shown.push_str(p);
            shown.push('\n');
            shift_line = 1;
        }
        let offset = shown.len() + lead;
        shown.push_str(&labelled);
        if let Some(n) = &next {
            shown.push('\n');
            shown.push_str(n);
            // Ended like a line, so that miette shows an empty neighbour too.
            shown.push('\n');
        }
        let label = offset + (start - win_start)..offset + (label_end - win_start);
        let source = CharColumns {
            name: name.to_string(),
            text: shown.into(),
            line: text[..line_start].matches('\n').count() - shift_line,
            shift_line,
            column_shift: first as isize - (lead > 0) as isize,
        };
        (source, label)
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The text shown (the whole text, or the window).
    pub fn text(&self) -> &str {
        &self.text
    }
}

impl miette::SourceCode for CharColumns {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let inner = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        let offset = inner.span().offset();
        let line_start = offset - inner.column();
        let mut column = self
            .text
            .get(line_start..offset)
            .map_or(inner.column(), |s| s.chars().count()) as isize;
        if inner.line() == self.shift_line {
            column += self.column_shift;
        }
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            self.line + inner.line(),
            column.max(0) as usize,
            inner.line_count(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use miette::SourceCode;

    #[test]
    fn long_lines_are_cut_to_a_window_that_keeps_line_and_column() {
        let long = "法".repeat(300);
        let text: Arc<str> = format!("标题\n{long}出庭率85%{long}\n").into();
        let start = text.find("85%").unwrap();
        let (src, label) = CharColumns::around("r.txt", &text, start..start + 3);
        assert_eq!(&src.text()[label.clone()], "85%");
        let line = src.text().lines().nth(1).unwrap();
        assert!(line.starts_with('…') && line.ends_with('…'));
        assert_eq!(line.chars().count(), 1 + WINDOW + 3 + WINDOW + 1);
        let contents = src.read_span(&label.into(), 0, 0).unwrap();
        assert_eq!(contents.line() + 1, 2);
        assert_eq!(contents.column() + 1, 300 + "出庭率".chars().count() + 1);
    }

    /// Neighbouring lines of 673 characters (杨舍) were printed whole beside a windowed label.
    #[test]
    fn context_lines_are_cut_to_the_labelled_window() {
        let long = "法".repeat(300);
        let text: Arc<str> =
            format!("{long}{long}上\n{long}出庭率85%{long}\n{long}{long}下\n").into();
        let start = text.find("85%").unwrap();
        let (src, label) = CharColumns::around("r.txt", &text, start..start + 3);
        let lines: Vec<&str> = src.text().lines().collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(&src.text()[label.clone()], "85%");
        let window = 1 + WINDOW + 3 + WINDOW + 1;
        assert_eq!(lines[1].chars().count(), window);
        for context in [lines[0], lines[2]] {
            assert!(
                context.starts_with('…') && context.ends_with('…'),
                "{context}"
            );
            assert_eq!(context.chars().count(), window, "{context}");
        }
        let contents = src.read_span(&label.into(), 0, 0).unwrap();
        assert_eq!(contents.line() + 1, 2);
        assert_eq!(contents.column() + 1, 300 + "出庭率".chars().count() + 1);
        // A short labelled line: shown whole, its long neighbours cut after CONTEXT characters.
        let text: Arc<str> = format!("{long}\n四、下一年度安排\n{long}").into();
        let start = text.find("四").unwrap();
        let (src, label) = CharColumns::around("r.txt", &text, start..start + 3);
        let lines: Vec<&str> = src.text().lines().collect();
        assert_eq!(lines[1], "四、下一年度安排");
        assert_eq!(lines[0], format!("{}…", "法".repeat(CONTEXT)));
        let contents = src.read_span(&label.into(), 0, 0).unwrap();
        assert_eq!((contents.line() + 1, contents.column() + 1), (2, 1));
    }

    /// Found by fuzzing the configuration loader: a YAML error at the very end of `%''2\r\r\r`
    /// put the line's end (before the last `\r`) before the label, and `clamp` panicked.
    #[test]
    fn a_label_after_a_carriage_return_at_the_end_is_shown() {
        for (text, at) in [("%''2\r\r\r", 7), ("ab\r\n", 3), ("\r", 1), ("a\r\nb", 2)] {
            let text: Arc<str> = text.into();
            let (source, range) = CharColumns::around("c.yaml", &text, at..at);
            assert!(range.start <= range.end, "{text:?} {at}: {range:?}");
            assert!(range.end <= source.text.len(), "{text:?} {at}: {range:?}");
        }
    }

    #[test]
    fn short_lines_are_shown_whole_with_character_columns() {
        let text: Arc<str> = "一、主要举措\n出庭率85%。\n".into();
        let start = text.find("85%").unwrap();
        let (src, label) = CharColumns::around("r.txt", &text, start..start + 3);
        assert_eq!(&src.text()[label.clone()], "85%");
        let contents = src.read_span(&label.into(), 0, 0).unwrap();
        assert_eq!((contents.line() + 1, contents.column() + 1), (2, 4));
    }
}
