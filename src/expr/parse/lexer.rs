//! A rough lexer over expression source, for the guards, template holes and error recovery:
//! close enough to the grammar to count brackets outside strings and regexes.

use super::*;

/// Tokens as far as the guards and error messages care.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Tok {
    /// `(`, `[`, `{`
    Open(u8),
    /// `)`, `]`, `}`
    Close(u8),
    /// `not`, or `-` where an operand is expected
    Prefix,
    /// Something that ends an operand: name, number, string, regex, `true`…
    Operand,
    /// A quote whose string does not end on its line.
    UnterminatedString,
    /// Anything else: infix operators, `,`, `:`, `.`, unknown characters, a `/` that neither
    /// divides nor starts a complete regex.
    Other,
}

/// Splits source text the way the grammar does, closely enough to count brackets outside
/// strings and regexes: a `/` starts a regex unless it follows an operand (then it divides),
/// exactly as in the grammar where regexes are operands and `/` is an infix operator.
pub(super) struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    after_operand: bool,
}

impl<'a> Lexer<'a> {
    pub(super) fn new(src: &'a str, pos: usize) -> Self {
        Lexer {
            src,
            pos,
            after_operand: false,
        }
    }

    pub(super) fn next_token(&mut self) -> Option<(Tok, Range<usize>)> {
        let b = self.src.as_bytes();
        loop {
            match b.get(self.pos) {
                Some(b' ' | b'\t' | b'\r' | b'\n') => self.pos += 1,
                Some(b'#') => {
                    while b.get(self.pos).is_some_and(|&c| c != b'\n') {
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
        let start = self.pos;
        let c = *b.get(start)?;
        let tok = match c {
            b'"' | b'\'' => match string_end(b, start) {
                Ok(end) => {
                    self.pos = end;
                    Tok::Operand
                }
                Err(stop) => {
                    self.pos = stop;
                    Tok::UnterminatedString
                }
            },
            b'/' if !self.after_operand => match regex_end(b, start) {
                Some(end) => {
                    self.pos = end;
                    Tok::Operand
                }
                None => {
                    self.pos = start + 1;
                    Tok::Other
                }
            },
            b'(' | b'[' | b'{' => {
                self.pos += 1;
                Tok::Open(c)
            }
            b')' | b']' | b'}' => {
                self.pos += 1;
                Tok::Close(c)
            }
            b'0'..=b'9' => {
                while b
                    .get(self.pos)
                    .is_some_and(|c| c.is_ascii_digit() || matches!(c, b'.' | b'%'))
                {
                    self.pos += 1;
                }
                Tok::Operand
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                self.pos = word_end(b, start);
                match &self.src[start..self.pos] {
                    "not" => Tok::Prefix,
                    "and" | "or" | "in" => Tok::Other,
                    _ => Tok::Operand,
                }
            }
            b'-' if !self.after_operand => {
                self.pos += 1;
                Tok::Prefix
            }
            _ => {
                self.pos += char_len(self.src, start);
                Tok::Other
            }
        };
        self.after_operand = matches!(tok, Tok::Operand | Tok::Close(_));
        Some((tok, start..self.pos))
    }
}

pub(super) fn char_len(src: &str, at: usize) -> usize {
    src[at..].chars().next().map_or(1, char::len_utf8)
}

pub(super) fn word_end(b: &[u8], start: usize) -> usize {
    let mut i = start;
    while b
        .get(i)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
    {
        i += 1;
    }
    i
}

/// End (after the closing quote) of the string starting at `start`, or where it stops
/// unterminated (the end of the line or of the text). Same rules as the grammar.
pub(super) fn string_end(b: &[u8], start: usize) -> Result<usize, usize> {
    let quote = b[start];
    let mut i = start + 1;
    loop {
        match b.get(i) {
            None | Some(b'\n') => return Err(i),
            Some(&c) if c == quote => return Ok(i + 1),
            Some(b'\\') if b.get(i + 1).is_some_and(|&n| n != b'\n') => i += 2,
            Some(_) => i += 1,
        }
    }
}

/// End (after the flags) of the regex starting at `start`, if it is complete: a non-empty
/// body on one line, then `/`. Same rules as the grammar.
pub(super) fn regex_end(b: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    loop {
        match b.get(i) {
            None | Some(b'\n') => return None,
            Some(b'/') if i == start + 1 => return None,
            Some(b'/') => break,
            Some(b'\\') if b.get(i + 1).is_some_and(|&n| n != b'\n') => i += 2,
            Some(_) => i += 1,
        }
    }
    i += 1;
    while b.get(i).is_some_and(u8::is_ascii_alphabetic) {
        i += 1;
    }
    Some(i)
}

/// Index of the `}` closing the template hole opened at `open`.
pub(super) fn hole_end(src: &str, open: usize) -> Result<usize, ParseError> {
    let mut lexer = Lexer::new(src, open + 1);
    let mut braces = 0usize;
    while let Some((tok, span)) = lexer.next_token() {
        match tok {
            Tok::Open(b'{') => braces += 1,
            Tok::Close(b'}') if braces == 0 => return Ok(span.start),
            Tok::Close(b'}') => braces -= 1,
            Tok::UnterminatedString => return Err(unterminated_string(src, span.start)),
            _ => {}
        }
    }
    Err(ParseError::new(open..open + 1, "unclosed `{` in template")
        .help("end the expression with `}`, or write `{{` for a literal `{`"))
}

/// Brackets opened and never closed, outermost first.
pub(super) fn unclosed_brackets(src: &str) -> Vec<(u8, usize)> {
    let mut lexer = Lexer::new(src, 0);
    let mut stack: Vec<(u8, usize)> = Vec::new();
    while let Some((tok, span)) = lexer.next_token() {
        match tok {
            Tok::Open(c) => stack.push((c, span.start)),
            Tok::Close(c) if stack.last().is_some_and(|&(o, _)| closer(o) == c) => {
                stack.pop();
            }
            _ => {}
        }
    }
    stack
}

pub(super) fn closer(open: u8) -> u8 {
    match open {
        b'(' => b')',
        b'[' => b']',
        _ => b'}',
    }
}
