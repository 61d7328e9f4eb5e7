//! Integration tests, one binary: the CLI run in-process, the seed reports, formats and bad input.

mod audit;
mod bad_input;
mod bench_corpus;
mod check;
mod chinese_page;
mod ci_formats;
mod formats;
mod gen_corpus;
mod inheritance;
mod inputs;
mod integrations;
mod language;
mod new_user;
mod options;
mod pdf;
mod properties;
mod readme;
mod real;
mod robust;
mod rulebooks;
mod schema;
mod seeds;
mod snapshots;
mod support;
#[cfg(unix)]
mod terminal;
mod waivers;
mod walk;

use std::path::{Path, PathBuf};

/// What a run printed and returned.
pub struct Run {
    pub code: u8,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the CLI in-process, without colour.
pub fn run(args: &[&str]) -> Run {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let mut argv = vec!["reportlint"];
    argv.extend_from_slice(args);
    let code = reportlint::run(argv, &mut out, &mut err, reportlint::AutoColor::default());
    Run {
        code,
        stdout: String::from_utf8(out).expect("stdout is UTF-8"),
        stderr: String::from_utf8(err).expect("stderr is UTF-8"),
    }
}

/// The crate's root, so tests do not depend on the working directory.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Path of a seed report by its fixture name (`xinzhuang-2023`).
pub fn seed_path(name: &str) -> PathBuf {
    root().join("fixtures/reports").join(format!("{name}.txt"))
}

pub fn seed_text(name: &str) -> String {
    std::fs::read_to_string(seed_path(name)).expect("seed exists")
}

/// The five seeds.
pub const SEEDS: [&str; 5] = [
    "nanfeng-2020",
    "wangbao-2023",
    "xinkou-2023",
    "xinzhuang-2023",
    "yangshe-2023-traditional",
];

/// Parses a file through the same path the CLI takes.
pub fn parse_file(path: &Path) -> reportlint::report::Report {
    let format = reportlint::input::Format::from_path(path).unwrap();
    let source = reportlint::input::load(path, format, Default::default()).expect("readable");
    reportlint::report::parse(source.text, &source.heading_hints)
}

/// Parses bytes as a file of the given name would be.
pub fn parse_bytes(name: &str, bytes: &[u8]) -> reportlint::report::Report {
    let path = Path::new(name);
    let format = reportlint::input::Format::from_path(path).unwrap();
    let source = reportlint::input::from_bytes(path, format, bytes, None).expect("readable");
    reportlint::report::parse(source.text, &source.heading_hints)
}

/// The facts that must not depend on a report's format or encoding: headings, dates, figures.
#[derive(Debug, PartialEq)]
pub struct Digest {
    pub headings: Vec<(u8, String, String)>,
    pub items: Vec<(u32, String)>,
    pub title: Option<String>,
    pub year: Option<i32>,
    pub date: Option<String>,
    pub figures: Vec<(String, String, String)>,
}

pub fn digest(r: &reportlint::report::Report) -> Digest {
    Digest {
        headings: r
            .sections
            .iter()
            .map(|s| (s.level, s.marker.clone(), s.title.clone()))
            .collect(),
        items: r
            .paragraphs
            .iter()
            .flat_map(|p| p.items.iter().map(|i| (i.ordinal, i.title.clone())))
            .collect(),
        title: r.title.as_ref().map(|t| t.text.clone()),
        year: r.year.as_ref().map(|y| y.value),
        date: r.date.as_ref().map(|d| d.date.to_string()),
        figures: r
            .figures
            .iter()
            .map(|f| (f.label.clone(), f.value.to_string(), f.unit.clone()))
            .collect(),
    }
}
