//! Parse throughput: the five seed reports repeated to at least 50 MB, parsed (a) as many
//! ordinary-sized reports and (b) as one 50 MB report on a single line, which must take about as
//! long per byte as (a) if parsing is linear. Run with `cargo bench --bench parse`.

use std::time::{Duration, Instant};

const TARGET: usize = 50 * 1024 * 1024;

fn seeds() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/reports");
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    names.sort();
    names
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

/// Best of three runs of `f`, with what it returned.
fn best_of_three<T>(mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = None;
    let mut last = None;
    for _ in 0..3 {
        let t = Instant::now();
        let out = f();
        let d = t.elapsed();
        best = Some(best.map_or(d, |b: Duration| b.min(d)));
        last = Some(out);
    }
    (best.unwrap(), last.unwrap())
}

fn report(name: &str, bytes: usize, d: Duration, detail: &str) {
    let mb = bytes as f64 / (1024.0 * 1024.0);
    println!(
        "{name:<34} {mb:>7.1} MB in {:>7.3} s = {:>7.1} MB/s  ({detail})",
        d.as_secs_f64(),
        mb / d.as_secs_f64()
    );
}

fn main() {
    let seeds = seeds();
    let mut corpus = Vec::new();
    let mut total = 0;
    while total < TARGET {
        for s in &seeds {
            total += s.len();
            corpus.push(s.clone());
        }
    }
    let (d, figures) = best_of_three(|| {
        corpus
            .iter()
            .map(|t| reportlint::report::parse(t.clone(), &[]).figures.len())
            .sum::<usize>()
    });
    report(
        "parse: seeds as separate reports",
        total,
        d,
        &format!("{} reports, {figures} figures", corpus.len()),
    );

    let (d, n) = best_of_three(|| {
        corpus
            .iter()
            .map(|t| reportlint::report::normalize(t).text.len())
            .sum::<usize>()
    });
    report("normalise only", total, d, &format!("{n} bytes out"));

    let one_line: String = corpus.concat().replace('\n', "");
    let (d, figures) = best_of_three(|| {
        reportlint::report::parse(one_line.clone(), &[])
            .figures
            .len()
    });
    report(
        "parse: one report on one line",
        one_line.len(),
        d,
        &format!("{figures} figures"),
    );
}
