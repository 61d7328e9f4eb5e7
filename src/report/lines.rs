//! Report stage helper: line and column numbers for byte offsets of the original text.
//!
//! Offsets are what the model stores; lines (1-based) and columns (1-based, counted in characters,
//! so a CJK character is one column) are what people read.

use super::Span;

/// Start offsets of every line of a text, and character counts at regular byte intervals so
/// that a column is found without counting from the start of a (possibly 50 MB long) line.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// `(byte offset, characters before it)` about every [`BLOCK`] bytes, at char boundaries.
    blocks: Vec<(usize, usize)>,
    text_len: usize,
}

/// Bytes between two character-count checkpoints: a column costs at most this much counting.
const BLOCK: usize = 4096;

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr_newlines(text).map(|i| i + 1));
        let mut blocks = vec![(0, 0)];
        let mut chars = 0;
        let mut at = 0;
        while at + BLOCK < text.len() {
            let next = text.ceil_char_boundary(at + BLOCK);
            chars += text[at..next].chars().count();
            blocks.push((next, chars));
            at = next;
        }
        LineIndex {
            starts,
            blocks,
            text_len: text.len(),
        }
    }

    /// Characters in `text[..offset]`.
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let k = self.blocks.partition_point(|&(b, _)| b <= offset) - 1;
        let (b, n) = self.blocks[k];
        n + text.get(b..offset).map_or(0, |s| s.chars().count())
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }

    /// 1-based (line, column) of a byte offset of `text` (the text this index was built from);
    /// the column counts characters.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text_len);
        let line = self.line(offset);
        let start = self.starts[line - 1];
        let col = if offset - start <= BLOCK {
            text.get(start..offset).map_or(0, |s| s.chars().count())
        } else {
            self.chars_before(text, offset) - self.chars_before(text, start)
        };
        (line, col + 1)
    }

    /// The span of a byte range of `text`, with its line and column numbers.
    pub fn span(&self, text: &str, start: usize, end: usize) -> Span {
        let (line, column) = self.line_col(text, start);
        let (end_line, end_column) = self.line_col(text, end);
        Span {
            start,
            end,
            line,
            column,
            end_line,
            end_column,
        }
    }

    /// Number of lines.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.text_len == 0
    }

    /// Byte range of a 1-based line of `text`, without its line break.
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self.starts[line - 1];
        let end = self
            .starts
            .get(line)
            .map_or(self.text_len, |&next| next - 1);
        let end = if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end - 1
        } else {
            end
        };
        start..end.max(start)
    }
}

fn memchr_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.bytes()
        .enumerate()
        .filter(|&(_, b)| b == b'\n')
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "第一行\n出庭率 100%\r\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), (1, 1));
        let at = "第一行\n出庭率 ".len();
        assert_eq!(idx.line_col(text, at), (2, 5));
        assert_eq!(idx.len(), 3);
        assert_eq!(
            idx.line_range(text, 2),
            "第一行\n".len().."第一行\n出庭率 100%".len()
        );
    }

    #[test]
    fn columns_on_a_very_long_line_use_the_checkpoints() {
        let text = format!("标题\n{}", "法治a".repeat(10_000));
        let idx = LineIndex::new(&text);
        let offset = text.len() - "a".len();
        let naive = text["标题\n".len()..offset].chars().count() + 1;
        assert_eq!(idx.line_col(&text, offset), (2, naive));
        assert_eq!(idx.line_col(&text, "标题\n法".len()), (2, 2));
    }
}
