//! Placeholder.
use super::extracted::Extracted;
pub(crate) fn extract_html(html: &str) -> Extracted {
    Extracted {
        text: html.to_string(),
        heading_hints: vec![],
    }
}
