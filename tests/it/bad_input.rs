//! Bad input gets a clear error naming the file, and the run goes on with the other files.

use crate::{root, run, seed_text};
use std::fs;

/// Where `mixed_dir` puts a stray 0xFF into a seed: the first character boundary from byte 300,
/// and its line.
fn invalid_byte_place() -> (usize, usize) {
    let text = seed_text("xinzhuang-2023");
    let at = (300..).find(|&i| text.is_char_boundary(i)).unwrap();
    (at, 1 + text[..at].matches('\n').count())
}

/// One directory with a good report among empty, binary, undecodable, broken DOCX and PDF, and
/// non-report files.
fn mixed_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    fs::write(p.join("a-empty.txt"), b"").unwrap();
    fs::write(p.join("b-blank.txt"), b"  \n\n\t\n").unwrap();
    let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec();
    png.extend_from_slice(&[0u8; 64]);
    fs::write(p.join("c-binary.txt"), &png).unwrap();
    let (at, _) = invalid_byte_place();
    let mut broken = seed_text("xinzhuang-2023").into_bytes();
    broken.insert(at, 0xFF);
    fs::write(p.join("d-invalid.txt"), &broken).unwrap();
    fs::write(p.join("e-good.txt"), seed_text("wangbao-2023")).unwrap();
    fs::write(p.join("f-notes.pdf"), b"%PDF-1.4").unwrap();
    fs::write(p.join("g-broken.docx"), b"PK\x03\x04 not really a zip").unwrap();
    fs::write(p.join("h-photo.jpg"), b"\xff\xd8\xff\xe0").unwrap();
    dir
}

#[test]
fn each_bad_file_is_named_and_the_good_one_is_still_read() {
    let dir = mixed_dir();
    let r = run(&["inspect", dir.path().to_str().unwrap()]);
    assert_eq!(
        r.code, 2,
        "unreadable inputs make the run fail: {}",
        r.stderr
    );
    // The good report was fully processed.
    assert!(r.stdout.contains("e-good.txt"), "{}", r.stdout);
    assert!(r.stdout.contains("出庭应诉率 = 100 %"), "{}", r.stdout);
    // Every bad file is named, with what is wrong and where.
    let (at, line) = invalid_byte_place();
    let invalid = format!("invalid UTF-8 at byte {at} (line {line})");
    for (file, what) in [
        ("a-empty.txt", "the file is empty"),
        ("b-blank.txt", "the file holds only blank space"),
        ("c-binary.txt", "binary data at byte 8"),
        ("d-invalid.txt", invalid.as_str()),
        ("f-notes.pdf", "cannot read the PDF"),
        ("g-broken.docx", "not a readable DOCX"),
    ] {
        let line = r
            .stderr
            .lines()
            .find(|l| l.contains(file))
            .unwrap_or_else(|| panic!("{file} not reported:\n{}", r.stderr));
        assert!(line.contains(what), "{file}: {line}");
    }
    assert!(
        r.stderr
            .contains("1 report read, 6 unreadable, 1 other file skipped"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("panicked"));
}

#[test]
fn json_lists_reports_and_errors_together() {
    let dir = mixed_dir();
    let r = run(&["inspect", "--format", "json", dir.path().to_str().unwrap()]);
    assert_eq!(r.code, 2);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["reports"].as_array().unwrap().len(), 1);
    let codes: Vec<&str> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "input::empty",
            "input::empty",
            "input::binary",
            "input::encoding",
            "input::pdf",
            "input::docx"
        ]
    );
}

#[test]
fn forcing_the_right_encoding_reads_a_file_detection_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.txt");
    // Too short to detect with confidence; forced, it decodes.
    let (gbk, _, _) = encoding_rs::GB18030.encode("一、总体情况\n出庭率100%。\n");
    fs::write(&path, &gbk).unwrap();
    let forced = run(&["inspect", "--encoding", "gbk", path.to_str().unwrap()]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert!(
        forced.stdout.contains("(text, gb18030,"),
        "{}",
        forced.stdout
    );
    assert!(
        forced.stdout.contains("出庭率 = 100 %"),
        "{}",
        forced.stdout
    );
    let wrong = run(&["inspect", "--encoding", "utf-8", path.to_str().unwrap()]);
    assert_eq!(wrong.code, 2);
    // `一` is D2 BB in GBK, which happens to be a valid UTF-8 pair: the first bad byte is 2.
    assert!(
        wrong.stderr.contains("invalid UTF-8 at byte 2"),
        "{}",
        wrong.stderr
    );
    let unknown = run(&["inspect", "--encoding", "klingon", path.to_str().unwrap()]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("unknown encoding `klingon`"));
}

#[test]
fn missing_paths_and_usage_errors() {
    let r = run(&["inspect", "/no/such/report.txt"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("/no/such/report.txt: no such file or directory")
    );
    let r = run(&["inspect"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("PATH"), "{}", r.stderr);
    let r = run(&["--version"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with("reportlint "));
}

/// A 50 MB report on one line: parsed correctly, in linear time (figures scale with the copies).
#[test]
fn fifty_megabytes_on_one_line() {
    let unit = seed_text("xinzhuang-2023").replace('\n', "");
    let copies = 50 * 1024 * 1024 / unit.len() + 1;
    let text = unit.repeat(copies);
    assert!(text.len() >= 50 * 1024 * 1024);
    assert!(!text.contains('\n'));
    let one = crate::parse_bytes("one.txt", unit.as_bytes());
    let big = crate::parse_bytes("big.txt", text.as_bytes());
    assert_eq!(big.lines.len(), 1);
    assert!(one.figures.len() > 10);
    assert_eq!(big.figures.len(), one.figures.len() * copies);
    let last = big.figures.last().unwrap();
    assert!(big.original.is_char_boundary(last.span.start));
    assert_eq!(
        big.original_text(last.span),
        one.original_text(one.figures.last().unwrap().span)
    );
}

/// `fixtures/bad/` beside a good report: one clear line per bad file naming it and the reason,
/// the good report's findings still reported, exit 2, and no input modified. The folder holds
/// only bad inputs (a README there would be read as a report): what each one is, is said here.
/// binary.txt: random bytes; blank.txt: spaces, tabs, line breaks and an ideographic space;
/// empty.txt: zero bytes; encrypted.pdf: needs a password; gb18030-damaged.txt: a broken
/// two-byte sequence at byte 300; html-without-text.html: markup and script only;
/// invalid-utf8.txt: three bytes that are not UTF-8 at byte 399; no-document.docx: a ZIP without
/// word/document.xml; not-a-pdf.pdf: a PDF header and random bytes; not-a-zip.docx: a text file
/// named .docx; nul-bytes.md: NULs after a heading; truncated.docx and truncated.pdf: the first
/// half and third of real files.
#[test]
fn every_bad_fixture_gets_one_clear_line() {
    let bad = root().join("fixtures/bad");
    let good = root().join("fixtures/reports/xinzhuang-2023.txt");
    let hash = |p: &std::path::Path| {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        fs::read(p).unwrap().hash(&mut h);
        h.finish()
    };
    let mut files: Vec<_> = fs::read_dir(&bad)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let before: Vec<u64> = files.iter().chain([&good]).map(|p| hash(p)).collect();

    let r = run(&["check", bad.to_str().unwrap(), good.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stdout.contains("xinzhuang-2023.txt"), "{}", r.stdout);
    assert!(
        r.stdout.contains("FZ003"),
        "the good report's findings: {}",
        r.stdout
    );

    let expected = [
        ("binary.txt", "binary data at byte"),
        ("blank.txt", "the file holds only blank space"),
        ("empty.txt", "the file is empty (0 bytes)"),
        ("encrypted.pdf", "encrypted and needs a password"),
        (
            "gb18030-damaged.txt",
            "invalid gb18030 at byte 300 (line 11)",
        ),
        ("html-without-text.html", "the page has no text"),
        ("invalid-utf8.txt", "invalid UTF-8 at byte 399"),
        ("no-document.docx", "the archive has no"),
        ("not-a-pdf.pdf", "cannot read the PDF"),
        ("not-a-zip.docx", "not a DOCX (ZIP) archive"),
        ("nul-bytes.md", "binary data at byte 7"),
        ("truncated.docx", "not a DOCX (ZIP) archive"),
        ("truncated.pdf", "the file is truncated"),
    ];
    let names: Vec<String> = files
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        expected
            .iter()
            .map(|(f, _)| f.to_string())
            .collect::<Vec<_>>(),
        "every file in fixtures/bad has an expectation here"
    );
    for (file, why) in expected {
        let lines: Vec<&str> = r
            .stderr
            .lines()
            .filter(|l| l.contains(&format!("bad/{file}:")))
            .collect();
        assert_eq!(lines.len(), 1, "{file} named once:\n{}", r.stderr);
        assert!(lines[0].contains(why), "{file}: {}", lines[0]);
    }
    assert!(
        r.stdout.contains("已检查 1 份报告") && r.stdout.contains("13 个文件无法读取"),
        "{}",
        r.stdout
    );
    let after: Vec<u64> = files.iter().chain([&good]).map(|p| hash(p)).collect();
    assert_eq!(before, after, "no input was modified");
}
