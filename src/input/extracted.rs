//! Shared output type of the input stage.
//!
//! Every input format (HTML, DOCX, …) is turned into the same shape: plain
//! text made of `'\n'`-separated lines, plus hints about which lines the
//! source marked up as headings. `TextBuilder` assembles it line by line
//! with the rules all formats share.

/// Plain text extracted from an input document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Extracted {
    /// The text, one logical line (paragraph, table row, heading, …) per
    /// `'\n'`-terminated line. Ends with a single `'\n'` when non-empty and
    /// never contains two empty lines in a row.
    pub text: String,
    /// Lines that the source marked up as headings, in ascending line order.
    pub heading_hints: Vec<HeadingHint>,
}

/// A line the source document marked as a heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeadingHint {
    /// 0-based index of the line in `text` (split on '\n')
    pub line: usize,
    /// 1 = most important
    pub level: u8,
}

/// Assembles an [`Extracted`] line by line.
///
/// Drops leading and trailing empty lines and keeps at most one empty line in
/// a row, while numbering heading hints by the lines that are actually kept.
#[derive(Debug, Default)]
pub(crate) struct TextBuilder {
    text: String,
    heading_hints: Vec<HeadingHint>,
    /// Number of lines written to `text` so far.
    lines: usize,
    /// An empty line is owed before the next non-empty one.
    pending_empty: bool,
}

impl TextBuilder {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Appends one line; embedded `'\n'`s split it into several lines. The
    /// heading level, if any, goes to the first non-empty line.
    pub(crate) fn push_line(&mut self, line: &str, mut heading: Option<u8>) {
        for part in line.split('\n') {
            if part.is_empty() {
                if self.lines > 0 {
                    self.pending_empty = true;
                }
                continue;
            }
            if self.pending_empty {
                self.text.push('\n');
                self.lines += 1;
                self.pending_empty = false;
            }
            if let Some(level) = heading.take() {
                self.heading_hints.push(HeadingHint {
                    line: self.lines,
                    level,
                });
            }
            self.text.push_str(part);
            self.text.push('\n');
            self.lines += 1;
        }
    }

    pub(crate) fn finish(self) -> Extracted {
        Extracted {
            text: self.text,
            heading_hints: self.heading_hints,
        }
    }
}
