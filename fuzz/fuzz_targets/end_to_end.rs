//! End to end: any bytes, read as a text report, checked against the built-in rulebook. Every
//! rule gives a verdict, and every finding's place is inside the report.
#![no_main]

use libfuzzer_sys::fuzz_target;
use reportlint::input::{Format, from_bytes};
use std::path::Path;
use std::sync::LazyLock;

static RULES: LazyLock<reportlint::rulebook::Rulebook> = LazyLock::new(|| {
    reportlint::rulebook::load_builtin("fzzf-annual")
        .expect("the built-in rulebook exists")
        .expect("the built-in rulebook is valid")
});

fuzz_target!(|data: &[u8]| {
    let Ok(source) = from_bytes(Path::new("fuzz.txt"), Format::Text, data, None) else { return };
    let report = reportlint::report::parse(source.text, &source.heading_hints);
    let result = reportlint::check::check_report("fuzz.txt", &report, &RULES.rules, |r| {
        r.default_severity()
    });
    for rule in &RULES.rules {
        assert!(result.findings.iter().any(|f| f.rule == rule.id), "{} gave no verdict", rule.id);
    }
    for f in &result.findings {
        if let Some(span) = f.span {
            assert!(span.end <= report.original.len());
        }
    }
});
