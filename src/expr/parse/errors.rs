//! Syntax errors as rule authors read them: pest's error turned into a byte span, a message
//! ("expected `)` or an operator, found `b`") and help for the mistakes people make.

use super::lexer::{char_len, closer, regex_end, string_end, unclosed_brackets, word_end};
use super::*;

/// A friendly name for what a rule matches, as used in "expected …".
pub(super) fn describe(rule: Rule) -> &'static str {
    use Rule::*;
    match rule {
        EOI => "the end of the expression",
        expression | for_clause | expr | primary => "an expression",
        prefix => "`not` or `-`",
        postfix => "`.`",
        infix => "an operator",
        escape => "an escape like `\\n`",
        keyword => "a keyword",
        ident_char => "a letter, digit or `_`",
        WHITESPACE => "a space",
        COMMENT => "a comment",
        date => "a date",
        percent => "a percentage",
        decimal | integer => "a number",
        string => "a string",
        regex | regex_body | regex_flags => "a regex",
        kw_true | kw_false | kw_null => "`true`, `false` or `null`",
        quantifier | quant_kind => "`any`, `all` or `count`",
        call => "a function call",
        list => "a list",
        paren => "a parenthesised expression",
        ident => "a name",
        member | dot => "`.`",
        kw_in | op_in => "`in`",
        op_not => "`not`",
        op_neg | op_sub => "`-`",
        op_or => "`or`",
        op_and => "`and`",
        op_eq => "`==`",
        op_ne => "`!=`",
        op_le => "`<=`",
        op_lt => "`<`",
        op_ge => "`>=`",
        op_gt => "`>`",
        op_match => "`~`",
        op_not_match => "`!~`",
        op_coalesce => "`??`",
        op_add => "`+`",
        op_mul => "`*`",
        op_div => "`/`",
        lparen => "`(`",
        rparen => "`)`",
        lbracket => "`[`",
        rbracket => "`]`",
        comma => "`,`",
        colon => "`:`",
    }
}

/// How an expected rule is grouped in a message: every way to start an operand becomes
/// "an expression", every infix or postfix operator "an operator".
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub(super) enum Expect {
    Operand,
    Name,
    Punct(Rule),
    Operator,
    End,
}

pub(super) fn expect_group(rule: Rule) -> Expect {
    use Rule::*;
    match rule {
        EOI => Expect::End,
        ident => Expect::Name,
        kw_in | comma | colon | rparen | rbracket => Expect::Punct(rule),
        // An operand may start with `(`, `[`, `not`, `-`.
        lparen | lbracket | op_not | op_neg => Expect::Operand,
        r if matches!(affix(r), Some(Affix::Infix(..) | Affix::Postfix(_))) || r == dot => {
            Expect::Operator
        }
        _ => Expect::Operand,
    }
}

/// "an expression", "`)` or an operator", "`,`, `]` or an operator".
pub(super) fn expected_phrase(positives: &[Rule], ctx: Ctx) -> String {
    let mut groups: Vec<Expect> = positives.iter().map(|&r| expect_group(r)).collect();
    groups.sort();
    groups.dedup();
    if groups.contains(&Expect::Operator) {
        // After an operand, the only "operand" pest can have tried is the `(` of a call
        // (`a b` tries `a(`): not worth mentioning next to the operators.
        groups.retain(|g| *g != Expect::Operand);
    }
    if groups.contains(&Expect::Operand) {
        groups.retain(|g| *g != Expect::Name);
    }
    let words: Vec<String> = groups
        .iter()
        .map(|g| match g {
            Expect::Operand => "an expression".to_string(),
            Expect::Name => describe(Rule::ident).to_string(),
            Expect::Punct(r) => describe(*r).to_string(),
            Expect::Operator => "an operator".to_string(),
            Expect::End => ctx.end().to_string(),
        })
        .collect();
    match words.as_slice() {
        [] => "something else".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// A 1-character range at `pos` (an empty one at the end).
pub(super) fn point(src: &str, pos: usize) -> Range<usize> {
    let mut pos = pos.min(src.len());
    while !src.is_char_boundary(pos) {
        pos -= 1;
    }
    if pos == src.len() {
        pos..pos
    } else {
        pos..pos + char_len(src, pos)
    }
}

/// The token found at `pos`, roughly: a word, a number, a run of operator symbols, or one
/// character.
pub(super) fn token_at(src: &str, pos: usize) -> Range<usize> {
    let b = src.as_bytes();
    let Some(&c) = b.get(pos) else {
        return pos..pos;
    };
    let end = if c.is_ascii_alphabetic() || c == b'_' {
        word_end(b, pos)
    } else if c.is_ascii_digit() {
        let mut i = pos;
        while b
            .get(i)
            .is_some_and(|c| c.is_ascii_digit() || matches!(c, b'.' | b'%' | b'-'))
        {
            i += 1;
        }
        i
    } else if b"=!<>&|?~+*/%".contains(&c) {
        let mut i = pos + 1;
        if b.get(i).is_some_and(|c| b"=!<>&|?~/".contains(c)) {
            i += 1;
        }
        i
    } else if !c.is_ascii() {
        // A run of non-ASCII letters (`出庭率`), or one other character.
        let run: usize = src[pos..]
            .chars()
            .take_while(|c| !c.is_ascii() && c.is_alphanumeric())
            .map(char::len_utf8)
            .sum();
        pos + run.max(char_len(src, pos))
    } else {
        pos + 1
    };
    pos..end
}

pub(super) fn unterminated_string(src: &str, quote: usize) -> ParseError {
    let q = src.as_bytes()[quote] as char;
    ParseError::new(quote..quote + 1, "unterminated string").help(format!(
        "end the string with `{q}` on the same line (write `\\{q}` for a quote inside it)"
    ))
}

/// Turns pest's error into a [`ParseError`] with byte spans, a readable message and help
/// for common mistakes.
pub(super) fn convert_error(src: &str, err: pest::error::Error<Rule>, ctx: Ctx) -> ParseError {
    use pest::error::{ErrorVariant, InputLocation};
    let pos = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((start, _)) => start,
    }
    .min(src.len());
    let positives = match err.variant {
        ErrorVariant::ParsingError { positives, .. } => positives,
        ErrorVariant::CustomError { message } => {
            return ParseError::new(
                point(src, pos),
                format!("expression too complex to parse ({message})"),
            )
            .help("split the condition into smaller rules");
        }
    };
    let expected = expected_phrase(&positives, ctx);
    let wants_operator = positives
        .iter()
        .any(|&r| expect_group(r) == Expect::Operator);
    let wants_operand = !wants_operator
        && positives
            .iter()
            .any(|&r| expect_group(r) == Expect::Operand);
    let rest = &src[pos..];
    let tok = token_at(src, pos);
    let found_text = &src[tok.clone()];
    let found = if rest.is_empty() {
        ctx.end().to_string()
    } else if found_text.chars().count() > 24 {
        let head: String = found_text.chars().take(24).collect();
        format!("`{head}…`")
    } else {
        format!("`{found_text}`")
    };
    let generic =
        |span: Range<usize>| ParseError::new(span, format!("expected {expected}, found {found}"));

    // Unterminated literals.
    if wants_operand
        && (rest.starts_with('"') || rest.starts_with('\''))
        && string_end(src.as_bytes(), pos).is_err()
    {
        return unterminated_string(src, pos);
    }
    if rest.starts_with('/') && src[..pos].ends_with('/') {
        // `a // comment`: the first `/` was taken as a division.
        return ParseError::new(pos - 1..pos + 1, "`//` does not start a comment")
            .help("comments start with `#`");
    }
    if wants_operand && rest.starts_with('/') {
        if rest.starts_with("//") {
            return ParseError::new(pos..pos + 2, "`//` does not start a comment")
                .help("comments start with `#`");
        }
        if regex_end(src.as_bytes(), pos).is_none() {
            return ParseError::new(pos..pos + 1, "unterminated regex (a regex ends with /)").help(
                "end the regex with `/` on the same line (write `\\/` for a slash inside it)",
            );
        }
    }

    // Common mistakes.
    let mistake = |help: String| Some(generic(tok.clone()).help(help));
    let help = if rest.starts_with("&&") {
        mistake("use `and` to require both conditions".into())
    } else if rest.starts_with("||") {
        mistake("use `or` to accept either condition".into())
    } else if rest.starts_with('>') && src[..pos].ends_with('<') {
        Some(
            ParseError::new(pos - 1..pos + 1, "`<>` is not an operator")
                .help("use `!=` for \"not equal\""),
        )
    } else if rest.starts_with("=<") || rest.starts_with("=>") {
        let op = if rest.starts_with("=<") { "<=" } else { ">=" };
        Some(generic(pos..pos + 2).help(format!("use `{op}`")))
    } else if wants_operator && rest.starts_with('=') && !rest.starts_with("==") {
        Some(generic(pos..pos + 1).help("use `==` to compare"))
    } else if rest.starts_with('!') && !rest.starts_with("!=") && !rest.starts_with("!~") {
        Some(generic(pos..pos + 1).help("use `not` to negate a condition, `!=` for \"not equal\""))
    } else if rest.starts_with('%') {
        Some(
            generic(pos..pos + 1)
                .help("a percentage is written right after its number, like `100%`"),
        )
    } else if wants_operand && rest.starts_with('.') {
        Some(generic(pos..pos + 1).help("write decimals with a leading digit, like `0.5`"))
    } else if let Some(ascii) = rest.chars().next().and_then(full_width) {
        let c = rest.chars().next().expect("not empty");
        Some(generic(point(src, pos)).help(format!(
            "`{c}` is a full-width character; use the ASCII `{ascii}`"
        )))
    } else if found_text.bytes().all(|c| c.is_ascii_alphabetic())
        && found_text != found_text.to_ascii_lowercase()
        && is_lower_case_word(&found_text.to_ascii_lowercase())
    {
        mistake(format!(
            "keywords are lower-case: write `{}`",
            found_text.to_ascii_lowercase()
        ))
    } else if wants_operand
        && rest
            .chars()
            .next()
            .is_some_and(|c| !c.is_ascii() && c.is_alphanumeric())
    {
        mistake(format!(
            "text must be quoted, like `\"{found_text}\"`; names use ASCII letters, digits and `_`"
        ))
    } else {
        None
    };
    if let Some(e) = help {
        return e;
    }

    // A closing bracket that closes nothing.
    if let Some(&c @ (b')' | b']')) = rest.as_bytes().first()
        && unclosed_brackets(&src[..pos]).is_empty()
    {
        let open = if c == b')' { '(' } else { '[' };
        return ParseError::new(pos..pos + 1, format!("unmatched `{}`", c as char))
            .help(format!("remove it, or add the `{open}` it closes"));
    }

    // Reached the end with a bracket still open: point at the bracket.
    if rest.is_empty()
        && let Some(&(open, at)) = unclosed_brackets(src).last()
    {
        let (close, open) = (closer(open) as char, open as char);
        return ParseError::new(at..at + 1, format!("unclosed `{open}`")).help(format!(
            "expected {expected} at the end; close the `{open}` with `{close}`"
        ));
    }
    generic(point(src, pos))
}

/// Keywords and quantifiers, which authors sometimes write in capitals.
pub(super) fn is_lower_case_word(word: &str) -> bool {
    matches!(
        word,
        "and" | "or" | "not" | "in" | "true" | "false" | "null" | "any" | "all" | "count"
    )
}

/// The ASCII character a full-width (Chinese input method) one stands for.
pub(super) fn full_width(c: char) -> Option<char> {
    Some(match c {
        '（' => '(',
        '）' => ')',
        '［' | '【' => '[',
        '］' | '】' => ']',
        '，' | '、' => ',',
        '：' => ':',
        '“' | '”' | '＂' => '"',
        '‘' | '’' | '＇' => '\'',
        '！' => '!',
        '＝' => '=',
        '＜' => '<',
        '＞' => '>',
        '％' => '%',
        '＋' => '+',
        '－' => '-',
        '＊' => '*',
        '／' => '/',
        '～' => '~',
        '？' => '?',
        '．' | '。' => '.',
        '｛' => '{',
        '｝' => '}',
        _ => return None,
    })
}
