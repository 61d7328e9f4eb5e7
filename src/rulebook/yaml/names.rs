//! Names, ids, severities and `extends` entries: their shape and what to suggest.

use super::shape::*;
use super::*;

/// `^[a-z][a-z0-9]*(-[a-z0-9]+)*$`
pub(crate) fn is_kebab(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// `^[A-Z]{1,8}[0-9]{1,4}$`
pub(crate) fn is_rule_id(s: &str) -> bool {
    let letters = s.bytes().take_while(u8::is_ascii_uppercase).count();
    let digits = &s[letters..];
    (1..=8).contains(&letters)
        && (1..=4).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
}

/// `Next_Year Plan` / `nextYearPlan` → `next-year-plan`; `None` if that does not make a valid
/// kebab-case name (e.g. Chinese names).
pub(crate) fn to_kebab(s: &str) -> Option<String> {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut prev: Option<char> = None;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            let boundary = c.is_ascii_uppercase()
                && prev.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit());
            if boundary && !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            current.push(c.to_ascii_lowercase());
        } else if c.is_alphanumeric() {
            return None;
        } else if !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        prev = Some(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    let kebab = words.join("-");
    is_kebab(&kebab).then_some(kebab)
}

/// What to suggest for a misspelt severity.
pub(crate) fn severity_suggestion(s: &str) -> Option<&'static str> {
    let lower = s.trim().to_lowercase();
    match lower.as_str() {
        "error" | "err" | "e" | "fatal" | "critical" | "high" | "错误" | "严重" => {
            Some("error")
        }
        "warning" | "warn" | "warnings" | "w" | "medium" | "警告" => Some("warning"),
        "info" | "information" | "i" | "note" | "notice" | "hint" | "low" | "提示" | "信息" => {
            Some("info")
        }
        _ => suggest(&lower, SETTINGS.iter().copied()),
    }
}

/// Why an `extends` entry is not acceptable, as a label; `None` when it is fine.
pub(crate) fn extends_problem(entry: &str) -> Option<&'static str> {
    if let Some(name) = entry.strip_prefix("builtin:") {
        return (!is_kebab(name)).then_some("expected `builtin:` and a kebab-case name");
    }
    let bytes = entry.as_bytes();
    let absolute = entry.starts_with(['/', '\\', '~'])
        || (bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':');
    if entry.contains("://") {
        Some("URLs are not allowed")
    } else if absolute {
        Some("absolute paths are not allowed")
    } else if !(entry.ends_with(".yaml") || entry.ends_with(".yml")) {
        Some("expected `builtin:NAME` or a path ending in `.yaml` or `.yml`")
    } else {
        None
    }
}
