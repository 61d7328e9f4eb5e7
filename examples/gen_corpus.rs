//! Writes a benchmark corpus: the seed reports copied until the corpus reaches a size, in the
//! encodings and formats reportlint reads (UTF-8 text, GB18030 text, Markdown, HTML).
//!
//! `cargo run --release --example gen_corpus -- DIR [MEGABYTES]` (default 60).
//!
//! `cargo run --example gen_corpus -- --years DIR [ISSUERS]` (default 110) writes instead a
//! corpus for `reportlint audit`: every issuer's reports for 2021, 2022 and 2023, with planted
//! changes across the years (see `gen_corpus/years.rs`).

use std::path::PathBuf;

#[path = "gen_corpus/years.rs"]
mod years;

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    if args
        .peek()
        .is_some_and(|a| a.starts_with('-') && a != "--years")
    {
        eprintln!(
            "usage: gen_corpus DIR [MEGABYTES]     reports from the seeds, varied, ~10 KB each\n       gen_corpus --years DIR [ISSUERS] the same issuers over 2021–2023, with planted changes"
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
        eprintln!("usage: gen_corpus DIR [MEGABYTES]");
        std::process::exit(2);
    };
    let megabytes: usize = args
        .next()
        .map_or(60, |m| m.parse().expect("a number of megabytes"));
    let seeds_dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/reports");
    let mut seeds: Vec<(String, String)> = std::fs::read_dir(seeds_dir)
        .expect("fixtures/reports")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| {
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            (stem, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    seeds.sort();
    std::fs::create_dir_all(&dir).expect("create the corpus directory");
    let target = megabytes * 1024 * 1024;
    let (mut written, mut files) = (0, 0);
    'outer: for round in 0.. {
        for (k, (stem, text)) in seeds.iter().enumerate() {
            let (name, bytes) = match (round + k) % 4 {
                0 => (format!("{round:05}-{stem}.txt"), text.clone().into_bytes()),
                1 => (
                    format!("{round:05}-{stem}-gb18030.txt"),
                    encoding_rs::GB18030.encode(text).0.into_owned(),
                ),
                2 => (format!("{round:05}-{stem}.md"), text.clone().into_bytes()),
                _ => {
                    let body: String = text
                        .lines()
                        .filter(|l| !l.trim().is_empty())
                        .map(|l| format!("<p>{l}</p>\n"))
                        .collect();
                    let html = format!(
                        "<html><head><title>{stem}</title></head><body>\n{body}</body></html>\n"
                    );
                    (format!("{round:05}-{stem}.html"), html.into_bytes())
                }
            };
            std::fs::write(dir.join(name), &bytes).expect("write a corpus file");
            written += bytes.len();
            files += 1;
            if written >= target {
                break 'outer;
            }
        }
    }
    println!("{files} files, {written} bytes in {}", dir.display());
}
