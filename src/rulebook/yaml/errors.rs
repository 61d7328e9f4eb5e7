//! serde-saphyr options (the budget) and its errors as rulebook diagnostics, with help for the
//! YAML mistakes people make.

use super::checker::*;
use super::value_map::*;
use super::*;

/// serde-saphyr options shared by both passes. Rulebooks are small hand-written files, so the
/// budget is far below serde-saphyr's (already safe) defaults: an alias bomb or a runaway
/// nesting is refused after a bounded amount of work.
pub(crate) fn options(duplicate_keys: DuplicateKeyPolicy) -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_events: 500_000,
            max_nodes: 100_000,
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_depth: 32,
            max_recorded_anchor_events: 100_000,
            max_total_scalar_bytes: 16 * 1024 * 1024,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 100_000,
            max_replay_stack_depth: 16,
            max_alias_expansions_per_anchor: 1_000,
        },
        duplicate_keys: duplicate_keys,
        non_finite_float_policy: NonFiniteFloatPolicy::AsString,
        emit_comments: false,
        with_snippet: false,
    }
}

/// Why a budget was exceeded, in words that fit the cause: a file with too many rules is not an
/// alias bomb.
pub(crate) fn budget_help(inner: &serde_saphyr::Error, msg: &str) -> String {
    use serde_saphyr::budget::BudgetBreach as B;
    match inner {
        serde_saphyr::Error::Budget {
            breach: B::Events { .. } | B::Nodes { .. } | B::ScalarBytes { .. },
            ..
        } => format!(
            "the file holds more YAML than a rulebook may ({msg}); split it into several \
             rulebooks joined with `extends`"
        ),
        serde_saphyr::Error::Budget {
            breach: B::Depth { .. },
            ..
        } => format!("YAML nested deeper than a rulebook needs ({msg})"),
        _ => format!("this looks like an alias bomb (`&a` / `*a` expanding exponentially) ({msg})"),
    }
}

/// A serde-saphyr error as a rulebook diagnostic.
pub(crate) fn saphyr_error(file: &SourceFile, err: &serde_saphyr::Error) -> RulebookError {
    use serde_saphyr::Error as E;

    let text: &str = &file.text;
    let inner = match err.without_snippet() {
        E::AliasError { error, .. } => error.without_snippet(),
        other => other,
    };
    let span = err
        .location()
        .map_or(0..0, |loc| widen_empty(text, loc_range(text, &loc)));
    let msg: String = UserMessageFormatter
        .format_message(inner)
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();

    match inner {
        E::Budget { .. }
        | E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. }
        | E::AliasReplayCounterOverflow { .. } => RulebookError::new(
            codes::TOO_COMPLEX,
            "the rulebook is too large or too complex to load safely",
            file,
            span,
            "limit reached here",
        )
        .with_help(budget_help(inner, &msg)),
        E::MultipleDocuments { .. } => RulebookError::new(
            codes::YAML_SYNTAX,
            "a rulebook file holds a single YAML document",
            file,
            span,
            "a second document starts here",
        )
        .with_help("remove the `---`, or put each rulebook in its own file"),
        E::SerdeUnknownField {
            field, expected, ..
        } => {
            let help = match suggest(field, expected.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("allowed keys here: {}", backticked(expected)),
            };
            RulebookError::new(
                codes::UNKNOWN_KEY,
                format!("unknown key `{field}`"),
                file,
                span,
                "unknown key",
            )
            .with_help(help)
        }
        E::SerdeMissingField { field, .. } => RulebookError::new(
            codes::MISSING_KEY,
            format!("missing required key `{field}`"),
            file,
            head_line(text, span.start),
            format!("this mapping has no `{field}`"),
        ),
        E::DuplicateMappingKey { key, .. } => RulebookError::new(
            codes::DUPLICATE_KEY,
            match key {
                Some(k) => format!("duplicate key `{k}`"),
                None => "duplicate key".to_owned(),
            },
            file,
            span,
            "repeated here",
        )
        .with_help("a key may appear only once in a mapping; remove one of them"),
        E::SerdeInvalidType { .. }
        | E::SerdeInvalidValue { .. }
        | E::SerdeInvalidLength { .. }
        | E::Unexpected { .. }
        | E::NullIntoString { .. }
        | E::InvalidScalar { .. } => RulebookError::new(
            codes::WRONG_TYPE,
            format!("wrong kind of value: {msg}"),
            file,
            span,
            "unexpected value",
        ),
        _ => {
            // The parser reports where the token it was reading started; for a tab or a bad
            // escape, point at the culprit itself.
            let tab = msg
                .contains("found a tab")
                .then(|| text.get(span.start..)?.find('\t'))
                .flatten()
                .map(|i| span.start + i);
            let escape = msg
                .contains("unknown escape")
                .then(|| bad_escape(text, span.start))
                .flatten();
            let (span, label) = match (tab, escape) {
                (Some(at), _) => (at..at + 1, "tab character".to_owned()),
                (None, Some(r)) => (r.clone(), format!("`{}` is not an escape", &text[r])),
                (None, None) => (span, "here".to_owned()),
            };
            let err = RulebookError::new(
                codes::YAML_SYNTAX,
                format!("invalid YAML: {msg}"),
                file,
                span,
                label,
            );
            match syntax_help(&msg) {
                Some(help) => err.with_help(help),
                None => err,
            }
        }
    }
}

/// The first invalid escape (`\d`, `\.`, …) in the double-quoted scalar starting at `start`.
pub(crate) fn bad_escape(text: &str, start: usize) -> Option<Range<usize>> {
    let body = text.get(start..)?.strip_prefix('"')?;
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return None,
            '\\' => {
                let (_, e) = chars.next()?;
                let valid = "0abt\tnvfre \"/\\N_LPxuU\n\r".contains(e);
                if !valid {
                    let at = start + 1 + i;
                    return Some(at..at + 1 + e.len_utf8());
                }
            }
            _ => {}
        }
    }
    None
}

/// A hint for the YAML syntax errors people actually make.
pub(crate) fn syntax_help(msg: &str) -> Option<&'static str> {
    let msg = msg.to_lowercase();
    let help = if msg.contains("mapping values are not allowed") {
        "a value containing `: ` must be quoted (`title: \"a: b\"`) or written as a block \
         scalar (`|` and the text on the following lines)"
    } else if msg.contains("found a tab") || msg.contains("tabs") {
        "YAML indents with spaces, not tabs"
    } else if msg.contains("escape") {
        "inside \"…\" a backslash starts an escape: for regexes such as /\\d+/ use '…' or a \
         block scalar (`|`), or write the backslash twice"
    } else if msg.contains("unclosed quote") || msg.contains("quoted scalar") {
        "close the quote; inside '…' write '' for a single quote"
    } else if msg.contains("unclosed bracket") || msg.contains("illegal placement of ':'") {
        "is a `[` or `{` left unclosed? Quote the value if the bracket is part of the text"
    } else if msg.contains("did not find expected") {
        "check the indentation of this line against the lines above it"
    } else if msg.contains("unknown value") || msg.contains("unknown anchor") {
        "`*name` refers to an anchor `&name` defined earlier in the file"
    } else {
        return None;
    };
    Some(help)
}
