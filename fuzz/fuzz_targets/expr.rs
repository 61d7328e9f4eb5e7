//! The rule language: any text parses to a tree or a positioned error; a tree compiles or gives
//! errors whose spans lie inside the source.
#![no_main]

use libfuzzer_sys::fuzz_target;
use reportlint::expr::compile::{Scope, compile};
use reportlint::expr::parse::parse_expr;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else { return };
    if let Ok(expr) = parse_expr(src) {
        if let Err(errors) = compile(src, &expr, &mut Scope::new()) {
            for e in errors {
                assert!(e.span.end <= src.len(), "{e:?}");
            }
        }
    }
});
