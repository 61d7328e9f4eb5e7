//! Each stage of `check` on one report, so that a change's effect on one stage shows:
//! decoding (UTF-8, GB18030, traditional characters), normalisation, parsing, loading and
//! compiling the built-in rulebook, every built-in rule on its own, and the whole check of one
//! report. Run with `cargo bench --bench stages` (add a filter: `cargo bench --bench stages -- rule`).
//! Throughput of whole corpora against ripgrep is `scripts/bench.sh`; linearity on one 50 MB
//! line is `cargo bench --bench parse`.

use divan::{Bencher, black_box};
use reportlint::input::{self, Format};
use reportlint::report::{Report, parse};
use reportlint::rulebook::{Rule, Rulebook, load_builtin};
use std::path::Path;
use std::sync::OnceLock;

fn main() {
    divan::main();
}

const SEED: &str = include_str!("../fixtures/reports/wangbao-2023.txt");
const TRADITIONAL: &str = include_str!("../fixtures/reports/yangshe-2023-traditional.txt");

fn builtin() -> &'static Rulebook {
    static BOOK: OnceLock<Rulebook> = OnceLock::new();
    BOOK.get_or_init(|| {
        load_builtin("fzzf-annual")
            .expect("the built-in rulebook")
            .expect("it compiles")
    })
}

fn report() -> &'static Report {
    static REPORT: OnceLock<Report> = OnceLock::new();
    REPORT.get_or_init(|| parse(SEED.to_string(), &[]))
}

fn decode(bytes: &[u8]) -> String {
    input::from_bytes(Path::new("report.txt"), Format::Text, bytes, None)
        .expect("decodes")
        .text
}

mod decode {
    use super::*;

    #[divan::bench]
    fn utf8(b: Bencher) {
        b.bench_local(|| decode(black_box(SEED.as_bytes())));
    }

    #[divan::bench]
    fn gb18030(b: Bencher) {
        let (bytes, _, _) = encoding_rs::GB18030.encode(SEED);
        b.bench_local(|| decode(black_box(&bytes)));
    }
}

mod normalize {
    use super::*;

    #[divan::bench]
    fn simplified(b: Bencher) {
        b.bench_local(|| reportlint::report::normalize::normalize(black_box(SEED)));
    }

    #[divan::bench]
    fn traditional(b: Bencher) {
        b.bench_local(|| reportlint::report::normalize::normalize(black_box(TRADITIONAL)));
    }
}

/// Normalisation, front matter, outline, figures: the whole model.
#[divan::bench]
fn parse_report(b: Bencher) {
    b.with_inputs(|| SEED.to_string())
        .bench_local_values(|text| parse(text, &[]));
}

/// The built-in rulebook from its YAML: parsing, validation, compiling every expression.
#[divan::bench]
fn load_rulebook() -> Rulebook {
    load_builtin("fzzf-annual").unwrap().unwrap()
}

fn rule_ids() -> Vec<String> {
    builtin().rules.iter().map(|r| r.id.clone()).collect()
}

/// One built-in rule on one parsed report (its context built once, as `check` does).
#[divan::bench(args = rule_ids())]
fn rule(b: Bencher, id: &str) {
    let rule: &Rule = builtin().rules.iter().find(|r| r.id == id).unwrap();
    let report = report();
    let ctx = reportlint::expr::library::Ctx::new(report);
    b.bench_local(|| reportlint::check::evaluate(rule, &ctx));
}

/// Every built-in rule on one parsed report, with findings.
#[divan::bench]
fn all_rules(b: Bencher) {
    let rules = &builtin().rules;
    let report = report();
    b.bench_local(|| {
        reportlint::check::check_report("report.txt", report, rules, |r| r.default_severity())
    });
}

/// One small report end to end, as `check` does it once the rulebook is loaded: decode, parse,
/// every rule.
#[divan::bench]
fn check_one_report(b: Bencher) {
    let rules = &builtin().rules;
    b.bench_local(|| {
        let text = decode(black_box(SEED.as_bytes()));
        let report = parse(text, &[]);
        reportlint::check::check_report("report.txt", &report, rules, |r| r.default_severity())
    });
}
