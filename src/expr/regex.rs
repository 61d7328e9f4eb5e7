//! Expression stage: regex literals compiled to match the normalised report text, with size
//! limits, and positions inside a pattern mapped back to the expression source.

use super::ast::ExprSpan;

/// Largest compiled regex, in bytes (guards against patterns that explode when compiled).
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// Builds a regex that matches normalised text: the pattern's traditional characters become
/// simplified and its full-width characters half-width (escaped when they become metacharacters:
/// `（一）` matches the normalised `(一)`).
pub fn build_regex(pattern: &str, ignore_case: bool) -> Result<regex::Regex, String> {
    let simplified = fast2s::convert(pattern);
    let mut p = String::with_capacity(simplified.len());
    let mut escaped = false;
    for c in simplified.chars() {
        if escaped || c.is_ascii() || c.is_whitespace() {
            escaped = !escaped && c == '\\';
            p.push(c);
            continue;
        }
        let n = crate::report::normalize(c.encode_utf8(&mut [0; 4])).text;
        if n.is_empty() || n.chars().count() != 1 || n.starts_with(c) {
            p.push(c);
        } else {
            p.push_str(&regex_syntax::escape(&n));
        }
    }
    regex::RegexBuilder::new(&p)
        .case_insensitive(ignore_case)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT * 4)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(limit) => {
                format!("the compiled regex exceeds the size limit of {limit} bytes")
            }
            other => other.to_string(),
        })
}

/// Maps a byte offset in a regex's pattern to the source offset, given the span of the regex
/// literal `/…/flags`: in the source, `\/` stands for one `/` of the pattern.
pub(super) fn pattern_to_source(src: &str, lit: &ExprSpan, offset: usize) -> usize {
    let body = &src[lit.start + 1..lit.end];
    let mut pat = 0;
    let mut i = 0;
    let bytes = body.as_bytes();
    while pat < offset && i < bytes.len() {
        if bytes[i] == b'\\' && bytes.get(i + 1) == Some(&b'/') {
            i += 2;
        } else {
            i += 1;
        }
        pat += 1;
    }
    let mut at = lit.start + 1 + i;
    while !src.is_char_boundary(at) {
        at += 1;
    }
    at.min(lit.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regexes_match_normalised_text() {
        let re = build_regex("（一）", false).unwrap();
        assert!(re.is_match("(一)依法决策"));
        let re = build_regex("調處糾紛", false).unwrap();
        assert!(re.is_match("全年调处纠纷12910起"));
        let re = build_regex(r"\d{4}年", false).unwrap();
        assert!(re.is_match("2023年"));
        assert!(build_regex("(a|b", false).is_err());
    }

    #[test]
    fn oversized_regexes_are_refused() {
        let huge = format!(
            "({})",
            (0..20_000)
                .map(|i| format!("词{i}"))
                .collect::<Vec<_>>()
                .join("|")
        );
        let big = format!("{huge}{{100}}");
        let err = build_regex(&big, false).unwrap_err();
        assert!(err.contains("size limit"), "{err}");
    }

    #[test]
    fn pattern_offsets_skip_escaped_slashes() {
        let src = r#"x ~ /a\/b(/"#;
        let lit = 4..src.len();
        // the pattern is `a/b(`: offset 3 (`(`) sits at source offset 4 + 1 + 4
        assert_eq!(&src[pattern_to_source(src, &lit, 3)..][..1], "(");
    }
}
