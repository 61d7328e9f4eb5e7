//! "Did you mean …?": the nearest known word to a misspelt one.

/// The candidate closest to `word`, if it is close enough to be what was meant.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word_lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&word_lower, &c.to_lowercase()), c))
        .filter(|&(score, c)| score >= 0.8 || (c.len() > 3 && strsim::levenshtein(word, c) <= 1))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
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
