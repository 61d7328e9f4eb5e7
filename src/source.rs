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
    /// Characters of the real line before `text` starts, minus the `…` that stands for them.
    column_shift: isize,
}

impl CharColumns {
    /// The whole text.
    pub fn new(name: impl Into<String>, text: Arc<str>) -> Self {
        CharColumns {
            name: name.into(),
            text,
            line: 0,
            column_shift: 0,
        }
    }

    /// The source to show a label at `span` (bytes of `text`) with, and the label's range in it:
    /// the whole text when the label's line is short, else a window of that line around it.
    pub fn around(name: &str, text: &Arc<str>, span: Range<usize>) -> (Self, Range<usize>) {
        let start = span.start.min(text.len());
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line_end = if text[..line_end].ends_with('\r') {
            line_end - 1
        } else {
            line_end
        };
        if width(&text[line_start..line_end]) <= LONG_LINE {
            return (CharColumns::new(name, text.clone()), span);
        }
        // A label that runs over several lines is shown on its first.
        let label_end = span.end.clamp(start, line_end);
        let label_end = text[start..label_end]
            .char_indices()
            .nth(MAX_LABEL)
            .map_or(label_end, |(i, _)| start + i);
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
        let lead = if win_start > line_start { "…" } else { "" };
        let tail = if win_end < line_end { "…" } else { "" };
        let shown = format!("{lead}{}{tail}", &text[win_start..win_end]);
        let skipped = text[line_start..win_start].chars().count() as isize;
        let label = lead.len() + (start - win_start)..lead.len() + (label_end - win_start);
        let source = CharColumns {
            name: name.to_string(),
            text: shown.into(),
            line: text[..line_start].matches('\n').count(),
            column_shift: skipped - lead.chars().count() as isize,
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
        if inner.line() == 0 {
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
        assert!(src.text().starts_with('…') && src.text().ends_with('…'));
        assert_eq!(src.text().chars().count(), 1 + WINDOW + 3 + WINDOW + 1);
        let contents = src.read_span(&label.into(), 0, 0).unwrap();
        assert_eq!(contents.line() + 1, 2);
        assert_eq!(contents.column() + 1, 300 + "出庭率".chars().count() + 1);
    }

    #[test]
    fn short_lines_are_shown_whole_with_character_columns() {
        let text: Arc<str> = "一、主要举措\n出庭率85%。\n".into();
        let start = text.find("85%").unwrap();
        let (src, label) = CharColumns::around("r.txt", &text, start..start + 3);
        assert_eq!(label, start..start + 3);
        let contents = src.read_span(&label.into(), 0, 0).unwrap();
        assert_eq!((contents.line() + 1, contents.column() + 1), (2, 4));
    }
}
