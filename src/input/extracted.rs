//! Placeholder until the extraction modules land.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Extracted {
    pub text: String,
    pub heading_hints: Vec<HeadingHint>,
}
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeadingHint {
    pub line: usize,
    pub level: u8,
}
