//! Rulebook loading: any text gives a rulebook or errors, never a panic, a hang or a huge
//! allocation (YAML aliases, depth and sizes are limited).
#![no_main]

use libfuzzer_sys::fuzz_target;
use reportlint::rulebook::SourceFile;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let file = SourceFile::new("fuzz.yaml", text);
    let _ = reportlint::rulebook::load(file, None);
});
