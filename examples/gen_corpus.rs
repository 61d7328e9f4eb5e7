//! Writes a benchmark corpus: the seed reports copied until the corpus reaches a size, in the
//! encodings and formats reportlint reads (UTF-8 text, GB18030 text, Markdown, HTML).
//!
//! `cargo run --release --example gen_corpus -- DIR [MEGABYTES]` (default 60).

use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
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
