//! Writes a benchmark corpus: reports made from the seeds, varied (issuer, year, figures, parts
//! dropped, residue) and written in every format reportlint reads (UTF-8 and GB18030 text,
//! Markdown, HTML, DOCX, PDF), deterministic by seed (see `gen_corpus/bench.rs`).
//!
//! `cargo run --release --example gen_corpus -- DIR [MEGABYTES] [--seed N]` (default 60 MB,
//! seed 1; 1000 gives the ~1 GB corpus).
//!
//! `cargo run --example gen_corpus -- --years DIR [ISSUERS]` (default 110) writes instead a
//! corpus for `reportlint audit`: every issuer's reports for 2021, 2022 and 2023, with planted
//! changes across the years (see `gen_corpus/years.rs`).

use std::path::PathBuf;

#[path = "gen_corpus/bench.rs"]
mod bench;
#[path = "gen_corpus/years.rs"]
mod years;

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    if args
        .peek()
        .is_some_and(|a| a.starts_with('-') && a != "--years")
    {
        eprintln!(
            "usage: gen_corpus DIR [MEGABYTES] [--seed N]  reports from the seeds, varied, ~10 KB each\n       gen_corpus --years DIR [ISSUERS] the same issuers over 2021–2023, with planted changes"
        );
        std::process::exit(2);
    }
    if args.peek().is_some_and(|a| a == "--years") {
        args.next();
        let Some(dir) = args.next().map(PathBuf::from) else {
            eprintln!("usage: gen_corpus --years DIR [ISSUERS]");
            std::process::exit(2);
        };
        let issuers: usize = args
            .next()
            .map_or(110, |n| n.parse().expect("a number of issuers"));
        let planted = years::write(&dir, issuers, &[2021, 2022, 2023]).expect("write the corpus");
        println!(
            "{} reports of {issuers} issuers in {}; {} year-to-year steps planted",
            issuers * 3,
            dir.display(),
            planted.len()
        );
        return;
    }
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: gen_corpus DIR [MEGABYTES] [--seed N]");
        std::process::exit(2);
    };
    let megabytes: usize = args
        .next()
        .map_or(60, |m| m.parse().expect("a number of megabytes"));
    let seed: u64 = match args.next().as_deref() {
        Some("--seed") => args
            .next()
            .and_then(|s| s.parse().ok())
            .expect("--seed takes a number"),
        Some(other) => panic!("unexpected argument `{other}`"),
        None => 1,
    };
    let written = bench::write(&dir, megabytes * 1024 * 1024, seed).expect("write the corpus");
    let formats: Vec<String> = written
        .by_format
        .iter()
        .map(|(f, n)| format!("{n} {f}"))
        .collect();
    println!(
        "{} files, {} bytes in {} (seed {seed}): {}",
        written.files,
        written.bytes,
        dir.display(),
        formats.join(", ")
    );
}
