//! Configuration loading (`reportlint.yaml`): any text gives a configuration or errors.
#![no_main]

use libfuzzer_sys::fuzz_target;
use reportlint::rulebook::SourceFile;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let file = SourceFile::new("reportlint.yaml", text);
    let _ = reportlint::config::Config::from_source(file, Path::new("/nonexistent/reportlint.yaml"));
});
