//! Html input: decoding and the report model must accept any bytes, with a clear error or a
//! well-formed model (every span inside the original, on character boundaries).
#![no_main]

use libfuzzer_sys::fuzz_target;
use reportlint::input::{Format, from_bytes};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    if let Ok(source) = from_bytes(Path::new("fuzz.html"), Format::Html, data, None) {
        let report = reportlint::report::parse(source.text, &source.heading_hints);
        for f in &report.figures {
            assert!(f.span.start <= f.span.end && f.span.end <= report.original.len());
            assert!(report.original.is_char_boundary(f.span.start));
            assert!(report.original.is_char_boundary(f.span.end));
        }
    }
});
