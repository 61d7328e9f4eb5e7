//! The bench corpus generator (`examples/gen_corpus/bench.rs`): deterministic by seed, every
//! format reportlint reads, every file readable, and every built-in rule failing somewhere.

use crate::run;
use std::path::Path;

use crate::gen_corpus::bench;

fn listing(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn the_bench_corpus_is_deterministic_readable_and_fails_every_rule() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    let size = 4 << 20;
    let written = bench::write(&a, size, 1).unwrap();
    bench::write(&b, size, 1).unwrap();
    bench::write(&c, 1 << 20, 2).unwrap();
    let (la, lb) = (listing(&a), listing(&b));
    assert_eq!(la.len(), written.files);
    assert!(la == lb, "the same seed gives the same files");
    assert!(listing(&c)[..20] != la[..20], "another seed, other files");
    // Reports of 5–15 KB of text (DOCX is compressed).
    let average = written.bytes / written.files;
    assert!(
        (5_000..15_000).contains(&average),
        "{average} bytes a report"
    );
    for (format, n) in &written.by_format {
        assert!(*n > 0, "no {format} file");
    }

    let r = run(&[
        "check",
        "--fail-on",
        "never",
        "--statistics",
        a.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.is_empty(), "every file is readable: {}", r.stderr);
    let book = reportlint::rulebook::load_builtin("fzzf-annual")
        .expect("the built-in rulebook")
        .expect("it compiles");
    for rule in &book.rules {
        assert!(
            r.stdout
                .lines()
                .any(|l| l.split_whitespace().nth(1) == Some(rule.id.as_str())),
            "{} fails nowhere:\n{}",
            rule.id,
            r.stdout
        );
    }
}
