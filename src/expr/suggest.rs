//! "Did you mean …?": the nearest known word to a misspelt one.

/// The closest candidate to `word` ("did you mean"), if any is close enough: equal ignoring
/// case, within a Damerau–Levenshtein distance of about a third of the length, or `word` a
/// prefix (3+ characters) of it. Ties go to the earliest candidate.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.trim().to_lowercase();
    if word.is_empty() {
        return None;
    }
    let word_len = word.chars().count();
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let lower = candidate.to_lowercase();
        if lower == word {
            return Some(candidate);
        }
        let distance = strsim::damerau_levenshtein(&word, &lower);
        let limit = (word_len.max(lower.chars().count()) / 3).max(1);
        let prefix = word_len >= 3 && lower.starts_with(&word);
        if (distance <= limit || prefix) && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::suggest;

    #[test]
    fn near_misses_are_suggested_and_far_ones_are_not() {
        let names = ["has_section", "section", "mentions", "figure", "figures"];
        assert_eq!(suggest("has_sectoin", names), Some("has_section"));
        assert_eq!(suggest("mention", names), Some("mentions"));
        assert_eq!(suggest("figuers", names), Some("figures"));
        assert_eq!(suggest("zzz", names), None);
    }
}
