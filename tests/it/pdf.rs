//! PDF input: reports printed by headless Chromium (fixtures/pdf/, made by
//! scripts/make-pdf-fixtures.sh) read like their text, and PDFs that cannot be read say why.

use crate::{digest, parse_file, root, run};
use reportlint::input::{Format, InputError, from_bytes, load};
use std::path::{Path, PathBuf};

fn pdf(name: &str) -> PathBuf {
    root().join("fixtures/pdf").join(name)
}

/// Each printed PDF and the text it was printed from.
const PRINTED: [(&str, &str); 3] = [
    ("wangbao-2023.pdf", "fixtures/reports/wangbao-2023.txt"),
    (
        "yangshe-2023-traditional.pdf",
        "fixtures/reports/yangshe-2023-traditional.txt",
    ),
    (
        "xinzhuang-excerpt.pdf",
        "fixtures/pdf/xinzhuang-excerpt.txt",
    ),
];

#[test]
fn printed_pdfs_give_the_same_title_headings_figures_and_date_as_their_text() {
    for (file, text) in PRINTED {
        let from_pdf = parse_file(&pdf(file));
        let from_text = parse_file(&root().join(text));
        let (p, t) = (digest(&from_pdf), digest(&from_text));
        assert_eq!(p, t, "{file}");
        assert!(!t.headings.is_empty(), "{file}");
        assert!(!t.figures.is_empty() || file.contains("excerpt"), "{file}");
        assert!(t.date.is_some() || file == "wangbao-2023.pdf", "{file}");
        // Level-1 headings, spelled out: the digest could agree on an empty outline.
        let level1 = |r: &reportlint::report::Report| -> Vec<String> {
            r.sections
                .iter()
                .filter(|s| s.level == 1)
                .map(|s| s.title.clone())
                .collect()
        };
        assert_eq!(level1(&from_pdf), level1(&from_text), "{file}");
        assert!(!level1(&from_pdf).is_empty(), "{file}");
    }
}

#[test]
fn lines_wrapped_by_the_page_layout_are_rejoined_into_the_text_paragraphs() {
    for (file, text) in PRINTED {
        let from_pdf = parse_file(&pdf(file));
        let from_text = parse_file(&root().join(text));
        let texts = |r: &reportlint::report::Report| -> Vec<String> {
            r.paragraphs.iter().map(|p| p.text.to_string()).collect()
        };
        assert_eq!(texts(&from_pdf), texts(&from_text), "{file}");
        // The HTML that was printed had one block per non-empty line of the text: the PDF text
        // has one line per block again, however many lines the page layout wrapped it into.
        let source = std::fs::read_to_string(root().join(text)).unwrap();
        let extracted = load(&pdf(file), Format::Pdf, Default::default())
            .unwrap()
            .text;
        assert_eq!(
            extracted.lines().count(),
            source.lines().filter(|l| !l.trim().is_empty()).count(),
            "{file}"
        );
    }
}

#[test]
fn page_numbers_are_dropped_from_the_text() {
    let dash = load(&pdf("wangbao-2023.pdf"), Format::Pdf, Default::default()).unwrap();
    assert!(!dash.text.contains("- 1 -") && !dash.text.contains("-1-"));
    // A paragraph that runs from page 3 onto page 4 (after `-3-`) is one line.
    assert!(
        dash.text
            .lines()
            .any(|l| l.contains("均按期答复。组织开展行政执法案卷评查，2023年共参加")),
        "{}",
        dash.text
    );
    let chinese = load(
        &pdf("yangshe-2023-traditional.pdf"),
        Format::Pdf,
        Default::default(),
    )
    .unwrap();
    assert!(!chinese.text.contains("第 1 页") && !chinese.text.contains("第1页"));
    // Page 2 ends inside `行政執法`.
    assert!(
        chinese.text.contains("規范行使行政執法"),
        "{}",
        chinese.text
    );
    assert_eq!(chinese.encoding, "PDF");
}

#[test]
fn type3_fonts_that_name_kangxi_radicals_read_as_ideographs() {
    // Chromium embeds Noto CJK as Type3 fonts whose ToUnicode says `⼈` (U+2F08) for `人`.
    let s = load(
        &pdf("xinzhuang-excerpt.pdf"),
        Format::Pdf,
        Default::default(),
    )
    .unwrap();
    assert!(s.text.contains("常熟市人民政府"), "{}", s.text);
    assert!(
        !s.text
            .chars()
            .any(|c| ('\u{2E80}'..='\u{2FDF}').contains(&c))
    );
}

#[test]
fn a_pdf_with_an_owner_password_only_is_read() {
    let r = parse_file(&pdf("restricted.pdf"));
    assert_eq!(
        r.title.as_ref().map(|t| t.text.as_str()),
        Some("某镇2023年度法治政府建设情况报告")
    );
    assert_eq!(r.figures[0].label, "行政机关负责人出庭应诉率");
    assert_eq!(r.date.as_ref().unwrap().date.to_string(), "2024-02-01");
}

fn error_of(path: &Path) -> InputError {
    load(path, Format::Pdf, Default::default()).expect_err("unreadable")
}

#[test]
fn a_scan_without_text_layer_needs_ocr() {
    let e = error_of(&pdf("scan-like.pdf"));
    assert!(matches!(e, InputError::PdfNoText { .. }), "{e:?}");
    let msg = e.to_string();
    assert!(
        msg.contains("scan-like.pdf") && msg.contains("no text layer"),
        "{msg}"
    );
    assert!(msg.contains("OCR"), "{msg}");
}

#[test]
fn an_encrypted_pdf_says_it_is_encrypted() {
    let e = error_of(&pdf("encrypted.pdf"));
    assert!(matches!(e, InputError::PdfEncrypted { .. }), "{e:?}");
    assert!(
        e.to_string()
            .contains("encrypted.pdf: the PDF is encrypted"),
        "{e}"
    );
}

#[test]
fn a_truncated_pdf_cannot_be_read_and_says_so() {
    let bytes = std::fs::read(pdf("wangbao-2023.pdf")).unwrap();
    for cut in [bytes.len() / 2, 30_000, 2_000, 9] {
        let e = from_bytes(Path::new("cut.pdf"), Format::Pdf, &bytes[..cut], None)
            .expect_err("truncated");
        let msg = e.to_string();
        assert!(matches!(e, InputError::Pdf { .. }), "{cut}: {e:?}");
        assert!(
            msg.starts_with("cut.pdf: cannot read the PDF"),
            "{cut}: {msg}"
        );
        assert!(msg.contains("truncated"), "{cut}: {msg}");
    }
}

#[test]
fn garbage_after_the_header_cannot_be_read() {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    // Deterministic noise, with PDF delimiters among it.
    let mut x: u32 = 12345;
    for _ in 0..50_000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        bytes.push(b"<<[(/ obj R>>])0123456789 \n\x00\xff"[(x >> 16) as usize % 25]);
    }
    bytes.extend_from_slice(b"\n%%EOF\n");
    let e = from_bytes(Path::new("noise.pdf"), Format::Pdf, &bytes, None).expect_err("noise");
    assert!(
        matches!(e, InputError::Pdf { .. } | InputError::PdfNoText { .. }),
        "{e:?}"
    );
    assert!(e.to_string().starts_with("noise.pdf: "), "{e}");
}

#[test]
fn deeply_nested_arrays_do_not_overflow_the_stack() {
    let mut bytes = b"%PDF-1.4\n1 0 obj\n".to_vec();
    bytes.extend(std::iter::repeat_n(b'[', 300_000));
    bytes.extend(std::iter::repeat_n(b']', 300_000));
    bytes.extend_from_slice(b"\nendobj\ntrailer\n<</Root 1 0 R>>\n%%EOF\n");
    let e = from_bytes(Path::new("deep.pdf"), Format::Pdf, &bytes, None).expect_err("no pages");
    assert!(matches!(e, InputError::Pdf { .. }), "{e:?}");
}

// A PDF from numbered object bodies, with a correct cross-reference table (the bench corpus
// writes its PDFs with the same function).
use crate::gen_corpus::bench::pdf_file as pdf_from_objects;

fn stream(content: &str, dict: &str) -> String {
    format!(
        "<<{dict} /Length {}>>\nstream\n{content}\nendstream",
        content.len()
    )
}

#[test]
fn a_form_xobject_that_draws_itself_is_followed_once() {
    let page = stream(
        "BT /F1 12 Tf 72 700 Td (Annual report 2023) Tj ET /X1 Do",
        "",
    );
    let form = stream(
        "BT /F1 12 Tf 72 650 Td (Inside the form) Tj ET /X1 Do",
        "/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources 6 0 R",
    );
    let bytes = pdf_from_objects(&[
        "<</Type /Catalog /Pages 2 0 R>>",
        "<</Type /Pages /Kids [3 0 R] /Count 1>>",
        "<</Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources 6 0 R>>",
        &page,
        &form,
        "<</Font <</F1 7 0 R>> /XObject <</X1 5 0 R>>>>",
        "<</Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding>>",
    ]);
    let s = from_bytes(Path::new("self.pdf"), Format::Pdf, &bytes, None).expect("readable");
    assert_eq!(s.text, "Annual report 2023\nInside the form\n");
}

#[test]
fn text_without_a_unicode_mapping_needs_ocr() {
    // A composite font with Identity-H codes and no ToUnicode: glyphs, but no characters.
    let page = stream("BT /F1 12 Tf 72 700 Td <00410042> Tj ET", "");
    let bytes = pdf_from_objects(&[
        "<</Type /Catalog /Pages 2 0 R>>",
        "<</Type /Pages /Kids [3 0 R] /Count 1>>",
        "<</Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources <</Font <</F1 5 0 R>>>>>>",
        &page,
        "<</Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [6 0 R]>>",
        "<</Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo <</Registry (Adobe) /Ordering (Identity) /Supplement 0>> /DW 1000>>",
    ]);
    let e = from_bytes(Path::new("nomap.pdf"), Format::Pdf, &bytes, None).expect_err("no map");
    assert!(matches!(e, InputError::PdfNoText { .. }), "{e:?}");
    assert!(e.to_string().contains("do not map it to Unicode"), "{e}");
}

#[test]
fn unreadable_pdfs_are_reported_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["scan-like.pdf", "encrypted.pdf", "wangbao-2023.pdf"] {
        std::fs::copy(pdf(name), dir.path().join(name)).unwrap();
    }
    let bytes = std::fs::read(pdf("wangbao-2023.pdf")).unwrap();
    std::fs::write(dir.path().join("cut.pdf"), &bytes[..bytes.len() / 3]).unwrap();
    let r = run(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    for (file, what) in [
        ("scan-like.pdf", "no text layer"),
        ("encrypted.pdf", "encrypted"),
        ("cut.pdf", "cannot read the PDF"),
    ] {
        assert!(
            r.stderr
                .lines()
                .any(|l| l.contains(file) && l.contains(what)),
            "{file}: {}",
            r.stderr
        );
    }
    // The readable PDF was checked: its findings are there.
    assert!(r.stdout.contains("wangbao-2023.pdf"), "{}", r.stdout);
    assert!(!r.stderr.contains("panicked"));
}
