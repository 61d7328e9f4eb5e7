//! A piece of the normalised text that borrows the report's one shared copy: a paragraph's text
//! is usually exactly a range of it, and holding a second copy of every paragraph doubled the
//! memory of a large report.

use std::ops::{Deref, Range};
use std::sync::Arc;

/// Text that is a range of a shared string, or (for the rare text that is not a range, such as
/// a paragraph joined across a page break) a string of its own. Reads as a `&str`.
#[derive(Clone, Default)]
pub struct SharedStr {
    text: Arc<str>,
    start: u32,
    end: u32,
}

impl SharedStr {
    /// `text[range]`, without copying.
    pub fn slice(text: &Arc<str>, range: Range<usize>) -> SharedStr {
        let _ = &text[range.clone()]; // In bounds and on character boundaries, or panic now.
        SharedStr {
            text: Arc::clone(text),
            start: range.start as u32,
            end: range.end as u32,
        }
    }

    /// A text of its own.
    pub fn owned(s: &str) -> SharedStr {
        SharedStr {
            text: s.into(),
            start: 0,
            end: s.len() as u32,
        }
    }
}

impl Deref for SharedStr {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text[self.start as usize..self.end as usize]
    }
}

impl AsRef<str> for SharedStr {
    fn as_ref(&self) -> &str {
        self
    }
}

impl std::fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

impl std::fmt::Display for SharedStr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self)
    }
}

impl PartialEq for SharedStr {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl PartialEq<str> for SharedStr {
    fn eq(&self, other: &str) -> bool {
        &**self == other
    }
}

impl PartialEq<&str> for SharedStr {
    fn eq(&self, other: &&str) -> bool {
        &**self == *other
    }
}

impl serde::Serialize for SharedStr {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slice_reads_as_its_range_and_shares_the_text() {
        let text: Arc<str> = "一、主要举措\n二、存在不足".into();
        let s = SharedStr::slice(&text, 0..18);
        assert_eq!(&*s, "一、主要举措");
        assert_eq!(s, "一、主要举措");
        assert!(Arc::ptr_eq(&s.text, &text), "no copy");
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"一、主要举措\"");
        assert_eq!(SharedStr::owned("一、主要举措"), s);
        assert_eq!(format!("{s:?}"), "\"一、主要举措\"");
    }

    #[test]
    #[should_panic]
    fn a_range_inside_a_character_is_refused() {
        let text: Arc<str> = "一".into();
        let _ = SharedStr::slice(&text, 0..1);
    }
}
