//! Locations → byte ranges, and value maps: byte offsets inside a YAML string value mapped to
//! byte offsets of the file, so an error inside an expression is labelled at its characters.

use super::*;
/// Maps byte offsets in a YAML string value to byte offsets in the file (see [`value_map`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueMap {
    /// For each byte offset of the value: where in the file the character there starts.
    starts: Vec<usize>,
    /// For each byte offset of the value: where in the file the character before it ends.
    ends: Vec<usize>,
}

impl ValueMap {
    /// The file byte range written for `value_range` (byte offsets into the value string).
    ///
    /// Out-of-range offsets are clamped; offsets inside a character widen to the whole
    /// character; the result is always within the file and on character boundaries.
    pub fn file_range(&self, value_range: Range<usize>) -> Range<usize> {
        let len = self.starts.len() - 1;
        let start = value_range.start.min(len);
        let end = value_range.end.clamp(start, len);
        let file_start = self.starts[start];
        if start == end {
            return file_start..file_start;
        }
        file_start..self.ends[end].max(file_start)
    }

    /// The file byte offset of the value's byte offset `value_offset`.
    pub fn file_offset(&self, value_offset: usize) -> usize {
        self.starts[value_offset.min(self.starts.len() - 1)]
    }
}

/// Builds the map from byte offsets of `value` (a string deserialized from `file`) to byte
/// offsets of the file, walking the value and its YAML spelling together.
///
/// Exact for literal blocks (`|`, any chomping or indentation indicator), folded blocks
/// (`>`), single-line and multi-line plain and quoted scalars (`''` in single quotes,
/// backslash escapes and escaped line breaks in double quotes). A value that comes from an
/// alias (`*name`) maps to its anchored definition. Anything unexpected degrades gracefully:
/// offsets stay inside the scalar and on character boundaries.
pub fn value_map(file: &SourceFile, value: &Spanned<String>) -> ValueMap {
    let text: &str = &file.text;
    let loc = if value.defined.line() != 0 {
        &value.defined
    } else {
        &value.referenced
    };
    let range = loc_range(text, loc);
    let (start, end, mode) = scalar_layout(text, range);
    Walker { text, end, mode }.walk(start, &value.value)
}

/// The byte range of a serde-saphyr location in `text`: its byte span when available and
/// sound, else its character span, else its line and column, converted with the text.
pub(crate) fn loc_range(text: &str, loc: &Location) -> Range<usize> {
    if loc.line() == 0 {
        return 0..0;
    }
    let span = loc.span();
    if let (Some(offset), Some(len)) = (span.byte_offset(), span.byte_len())
        && let (Ok(start), Ok(len)) = (usize::try_from(offset), usize::try_from(len))
        && let Some(end) = start.checked_add(len)
        && end <= text.len()
        && text.is_char_boundary(start)
        && text.is_char_boundary(end)
    {
        return start..end;
    }
    if let Some(start) = nth_char(text, 0, span.offset()) {
        let end = nth_char(text, start, span.len()).unwrap_or(text.len());
        return start..end;
    }
    // Line and 1-based column, both counted in characters.
    let line_start = text
        .match_indices('\n')
        .nth(
            usize::try_from(loc.line())
                .unwrap_or(usize::MAX)
                .saturating_sub(2),
        )
        .map_or(0, |(i, _)| i + 1);
    let line_start = if loc.line() <= 1 { 0 } else { line_start };
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    let column = loc.column().saturating_sub(1);
    let start = nth_char(&text[..line_end], line_start, column).unwrap_or(line_end);
    start..start
}

/// Byte offset of the `n`th character after byte `from` (`n` = count → end of text).
pub(crate) fn nth_char(text: &str, from: usize, n: u64) -> Option<usize> {
    let n = usize::try_from(n).ok()?;
    let rest = text.get(from..)?;
    match rest.char_indices().nth(n) {
        Some((i, _)) => Some(from + i),
        None => (rest.chars().count() == n).then_some(text.len()),
    }
}

/// An empty range widened to the character at it (unless that is a line break), so the
/// caret has something to sit under.
pub(crate) fn widen_empty(text: &str, r: Range<usize>) -> Range<usize> {
    if !r.is_empty() {
        return r;
    }
    match text.get(r.start..).and_then(|rest| rest.chars().next()) {
        Some(c) if c != '\n' && c != '\r' => r.start..r.start + c.len_utf8(),
        _ => r,
    }
}

/// From `start` to the end of its line, trailing blanks excluded.
pub(crate) fn head_line(text: &str, start: usize) -> Range<usize> {
    let start = start.min(text.len());
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let end = start + text[start..end].trim_end().len();
    widen_empty(text, start..end)
}

// ---------------------------------------------------------------------------------------------
// Value maps
// ---------------------------------------------------------------------------------------------

/// How a scalar's characters are spelled in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Plain or quoted (`single`/`double`): line breaks fold, leading blanks are dropped.
    Flow { single: bool, double: bool },
    /// Block scalar: `ind` columns of indentation are dropped; `folded` for `>`.
    Block { ind: usize, folded: bool },
    /// An alias (`*name`): every offset maps to the alias token.
    Alias,
}

/// Where the walk over a scalar's spelling starts and ends, and how it is spelled.
pub(crate) fn scalar_layout(text: &str, range: Range<usize>) -> (usize, usize, Mode) {
    let Range { start, end } = range;
    let first = text[start..].chars().next();
    let flow = |single, double| Mode::Flow { single, double };
    match first {
        Some(q @ ('"' | '\'')) => {
            let inner_end = if end > start + 1 && text[..end].ends_with(q) {
                end - 1
            } else {
                end
            };
            (start + 1, inner_end, flow(q == '\'', q == '"'))
        }
        Some('*') => (start, end, Mode::Alias),
        _ => match block_header(text, start) {
            Some((body, folded)) => {
                let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
                (
                    body,
                    end,
                    Mode::Block {
                        ind: start - line_start,
                        folded,
                    },
                )
            }
            None => (start, end, flow(false, false)),
        },
    }
}

/// If the scalar at `start` is a block scalar (`|`/`>` header on an earlier line): where its
/// body starts (the line after the header) and whether it is folded.
pub(crate) fn block_header(text: &str, start: usize) -> Option<(usize, bool)> {
    let mut line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    if !text[line_start..start].bytes().all(|b| b == b' ') {
        return None;
    }
    loop {
        if line_start == 0 {
            return None;
        }
        let prev_start = text[..line_start - 1].rfind('\n').map_or(0, |i| i + 1);
        let line = &text[prev_start..line_start - 1];
        if line.trim().is_empty() {
            line_start = prev_start;
            continue;
        }
        let last = line
            .split_whitespace()
            .take_while(|t| !t.starts_with('#'))
            .last()?;
        let mut chars = last.chars();
        let indicator = chars.next()?;
        let rest = chars.as_str();
        let header = matches!(indicator, '|' | '>')
            && rest.len() <= 2
            && rest.bytes().all(|b| matches!(b, b'+' | b'-' | b'1'..=b'9'));
        return header.then_some((line_start, indicator == '>'));
    }
}

/// Walks a value and its spelling in the file together.
pub(crate) struct Walker<'t> {
    text: &'t str,
    /// Where the scalar's spelling ends (exclusive; before a closing quote).
    end: usize,
    mode: Mode,
}

impl Walker<'_> {
    fn at(&self, f: usize) -> Option<char> {
        if f < self.end {
            self.text[f..self.end].chars().next()
        } else {
            None
        }
    }

    /// After a line break at `f`, or `None`.
    fn line_break(&self, f: usize) -> Option<usize> {
        let rest = self.text.get(f..self.end)?;
        if rest.starts_with("\r\n") {
            Some(f + 2)
        } else if rest.starts_with(['\n', '\r']) {
            Some(f + 1)
        } else {
            None
        }
    }

    /// Skips the indentation dropped at the start of a line.
    fn indentation(&self, mut f: usize) -> usize {
        match self.mode {
            Mode::Block { ind, .. } => {
                let mut n = 0;
                while n < ind && self.at(f) == Some(' ') {
                    f += 1;
                    n += 1;
                }
            }
            Mode::Flow { .. } | Mode::Alias => {
                while matches!(self.at(f), Some(' ' | '\t')) {
                    f += 1;
                }
            }
        }
        f
    }

    /// The file position after the spelling of value character `c` at `f`, if it is there.
    fn spelling(&self, f: usize, c: char) -> Option<usize> {
        let here = self.at(f)?;
        if let Mode::Flow { double: true, .. } = self.mode
            && here == '\\'
        {
            // An escape: `\n`, `\"`, `\\`, `\x41`, `\u4e2d`, `\U0001F600`, …
            let mut g = f + 1;
            let kind = self.at(g)?;
            if self.line_break(g).is_some() {
                return None; // an escaped line break spells nothing
            }
            g += kind.len_utf8();
            let digits = match kind {
                'x' => 2,
                'u' => 4,
                'U' => 8,
                _ => 0,
            };
            for _ in 0..digits {
                match self.at(g) {
                    Some(d) if d.is_ascii_hexdigit() => g += 1,
                    _ => break,
                }
            }
            return Some(g);
        }
        if let Mode::Flow { single: true, .. } = self.mode
            && here == '\''
        {
            return (c == '\'' && self.at(f + 1) == Some('\'')).then_some(f + 2);
        }
        let folds = match self.mode {
            Mode::Block { folded, .. } => c == '\n' || (folded && c == ' '),
            Mode::Flow { .. } | Mode::Alias => c == '\n' || c == ' ',
        };
        if folds && let Some(g) = self.line_break(f) {
            return Some(self.indentation(g));
        }
        (here == c).then_some(f + c.len_utf8())
    }

    /// Skips blanks, line breaks (and escaped line breaks) from `f` up to where `c` is spelled.
    fn resync(&self, f: usize, c: char) -> Option<usize> {
        let mut g = f;
        loop {
            g = match self.at(g)? {
                ' ' | '\t' => g + 1,
                '\\' if matches!(self.mode, Mode::Flow { double: true, .. }) => {
                    self.line_break(g + 1)?
                }
                _ => self.line_break(g)?,
            };
            if self.spelling(g, c).is_some() {
                return Some(g);
            }
        }
    }

    fn walk(&self, start: usize, value: &str) -> ValueMap {
        let len = value.len();
        let mut starts = vec![start; len + 1];
        let mut ends = vec![start; len + 1];
        if self.mode == Mode::Alias {
            let whole_end = self.end.max(start);
            starts.fill(start);
            ends.fill(whole_end);
            ends[0] = start;
            return ValueMap { starts, ends };
        }
        let mut f = match self.mode {
            Mode::Block { .. } => self.indentation(start),
            _ => start,
        };
        for (i, c) in value.char_indices() {
            let (cs, ce) = if let Some(g) = self.spelling(f, c) {
                (f, g)
            } else if let Some(s) = self.resync(f, c)
                && let Some(g) = self.spelling(s, c)
            {
                (s, g)
            } else {
                // Lost: take one character of the file, to stay roughly in step.
                let g = self.at(f).map_or(f, |h| f + h.len_utf8());
                (f, g)
            };
            let n = c.len_utf8();
            starts[i..i + n].fill(cs);
            ends[i + 1..=i + n].fill(ce);
            f = ce;
        }
        starts[len] = f;
        ValueMap { starts, ends }
    }
}
