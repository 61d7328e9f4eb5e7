//! The bench corpus: reports made from the seeds, varied by a seeded generator so that the
//! corpus looks like a year of real submissions rather than five texts copied.
//!
//! File `i` depends only on the seed and `i` (each file has its own random stream), so a 1 GB
//! corpus begins with the same files as a 100 MB one. Each report takes a seed report and:
//! - another issuer (`东湖镇` …) and another year (2019–2025: the report's year and the next);
//! - about half of its figures rewritten with as many digits, a month now and then late;
//! - one time in four a top-level part dropped (measures, shortcomings, next year…), one time
//!   in 25 every part but the last, one time in ten its signature and date cut, so that the
//!   rules that ask for them fail; rates mostly 100 %, sometimes short of it;
//! - one time in six extraction residue (page chrome, a doubled word, a placeholder);
//!
//! and is written as UTF-8 text, GB18030 text, Markdown, HTML, DOCX or PDF.

use reportlint::output::audit::html::escape;
use reportlint::report::{Report, parse};
use std::path::Path;

/// splitmix64: small, fast, and the same on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64, stream: u64) -> Rng {
        let mut r = Rng(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        r.next();
        r
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// The formats, and how many in a hundred reports take each.
const FORMATS: [(&str, usize); 6] = [
    ("txt", 35),
    ("gb18030.txt", 15),
    ("md", 10),
    ("html", 20),
    ("docx", 10),
    ("pdf", 10),
];

const RESIDUE: [&str; 4] = [
    "当前位置：首页 > 政务公开 > 法治政府建设\n",
    "【打印本页】 【关闭窗口】\n",
    "版权所有：XX县人民政府办公室 ICP备12345678号\n",
    "此处填写报告单位名称\n",
];

/// What was written.
#[derive(Default)]
pub struct Written {
    pub files: usize,
    pub bytes: usize,
    pub by_format: Vec<(&'static str, usize)>,
}

/// Writes reports into `dir` until they reach `target` bytes.
pub fn write(dir: &Path, target: usize, seed: u64) -> std::io::Result<Written> {
    let seeds = seeds();
    std::fs::create_dir_all(dir)?;
    let mut out = Written {
        by_format: FORMATS.iter().map(|&(f, _)| (f, 0)).collect(),
        ..Written::default()
    };
    let mut i = 0;
    while out.bytes < target {
        let mut rng = Rng::new(seed, i as u64);
        let (stem, report) = &seeds[rng.below(seeds.len())];
        let text = vary(report, i, &mut rng);
        let k = pick(&mut rng);
        let ext = FORMATS[k].0;
        let bytes = encode(ext, stem, &text);
        std::fs::write(dir.join(format!("{i:06}-{stem}.{ext}")), &bytes)?;
        out.bytes += bytes.len();
        out.files += 1;
        out.by_format[k].1 += 1;
        i += 1;
    }
    Ok(out)
}

/// A format by its share: the first whose running total passes a draw below 100.
fn pick(rng: &mut Rng) -> usize {
    let draw = rng.below(100);
    let mut total = 0;
    FORMATS
        .iter()
        .position(|&(_, share)| {
            total += share;
            draw < total
        })
        .unwrap_or(0)
}

/// The seed reports, parsed once.
fn seeds() -> Vec<(String, Report)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/reports");
    let mut seeds: Vec<(String, Report)> = std::fs::read_dir(dir)
        .expect("fixtures/reports")
        .map(|e| e.expect("a seed").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| {
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&p).expect("a UTF-8 seed");
            (stem, parse(text, &[]))
        })
        .collect();
    seeds.sort_by(|a, b| a.0.cmp(&b.0));
    seeds
}

/// One report's text, varied.
fn vary(seed: &Report, i: usize, rng: &mut Rng) -> String {
    let text = &seed.original;
    // Byte ranges to drop, in text order; one that starts inside an earlier one is left out.
    let mut cuts: Vec<std::ops::Range<usize>> = Vec::new();
    let top: Vec<_> = seed
        .sections
        .iter()
        .filter(|s| s.parent.is_none())
        .collect();
    if top.len() > 2 && rng.chance(4) {
        // Only the title and the last part (next year): no measures at all.
        let from = seed
            .title
            .as_ref()
            .map_or(top[0].span.start, |t| t.span.end);
        cuts.push(from..top[top.len() - 1].span.start);
    } else if !top.is_empty() && rng.chance(25) {
        let s = top[rng.below(top.len())];
        cuts.push(s.span.start..s.span.end);
    }
    if let Some(sig) = &seed.signature
        && rng.chance(10)
    {
        cuts.push(sig.span.start..text.len());
    } else if let Some(date) = &seed.date
        && rng.chance(10)
    {
        cuts.push(date.span.start..date.span.end);
    }
    cuts.sort_by_key(|c| c.start);
    let mut kept = String::with_capacity(text.len());
    let mut at = 0;
    for c in cuts {
        if c.start >= at {
            kept.push_str(&text[at..c.start]);
            kept.push('\n');
            at = c.end;
        }
    }
    kept.push_str(&text[at.min(text.len())..]);

    // Another issuer and another year.
    let mut out = kept;
    if let Some(named) = &seed.issuer
        && named.text.chars().count() >= 2
    {
        let name = issuer(i);
        out = out.replace(&named.text, &name);
    }
    if let Some(year) = &seed.year {
        let y = 2019 + rng.below(7) as i32;
        for space in ["", " "] {
            let (this, next) = (year.value, year.value + 1);
            out = out
                .replace(&format!("{next}{space}年"), "\u{E001}")
                .replace(&format!("{this}{space}年"), &format!("{y}{space}年"))
                .replace('\u{E001}', &format!("{}{space}年", y + 1));
        }
    }
    let mut out = figures(&out, rng);
    if rng.chance(16) {
        let residue = RESIDUE[rng.below(RESIDUE.len())];
        if rng.chance(50) {
            out.insert_str(0, residue);
        } else {
            // A doubled word in the second half of the text (or, without one, the residue).
            let half = (out.len() / 2..)
                .find(|&p| out.is_char_boundary(p))
                .unwrap_or(0);
            match out[half..].find("推进") {
                Some(k) => out.insert_str(half + k, "推进"),
                None => out.insert_str(0, residue),
            }
        }
    }
    out
}

/// The issuer of report `i`: one of 12 × 12 × 4 towns, streets, bureaus and county governments
/// (`东湖镇`), named as the years corpus names its towns.
fn issuer(i: usize) -> String {
    use super::years::{FIRST, SECOND};
    const KIND: [&str; 4] = ["镇", "街道", "区司法局", "县人民政府"];
    format!(
        "{}{}{}",
        FIRST[i % 12],
        SECOND[(i / 12) % 12],
        KIND[(i / 144) % 4]
    )
}

/// About half of the figures rewritten, digit for digit; dates and document numbers stay, but
/// for a month now and then moved past the deadline.
fn figures(text: &str, rng: &mut Rng) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        out.push_str(&rest[..start]);
        let digits = rest[start..]
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len() - start);
        let number = &rest[start..start + digits];
        let after = &rest[start + digits..];
        // Dates and document numbers (`2021年1月29日`, `〔2021〕3号`) stay as they are.
        let before = out.chars().next_back();
        let next = after.chars().next();
        let year = digits == 4 && (number.starts_with("19") || number.starts_with("20"));
        let date_part =
            year || matches!(
                next,
                Some('年' | '月' | '日' | '号' | '〕' | ']' | '-' | '.')
            ) || matches!(before, Some('年' | '月' | '〔' | '[' | '-'));
        if before == Some('年') && next == Some('月') && rng.chance(10) {
            // A late month: a report dated after the deadline.
            out.push_str(&(3 + rng.below(4)).to_string());
        } else if !date_part && next == Some('%') && rng.chance(50) {
            // A rate: mostly full, sometimes short of it.
            let rate = if rng.chance(70) {
                100
            } else {
                60 + rng.below(40)
            };
            out.push_str(&rate.to_string());
        } else if !date_part && rng.chance(50) {
            for k in 0..digits {
                // No leading zero: `07` would read as another figure.
                let low = usize::from(k == 0 && digits > 1);
                out.push(char::from(b'0' + (low + rng.below(10 - low)) as u8));
            }
        } else {
            out.push_str(number);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

fn encode(ext: &str, stem: &str, text: &str) -> Vec<u8> {
    match ext {
        "gb18030.txt" => encoding_rs::GB18030.encode(text).0.into_owned(),
        "html" => html(stem, text).into_bytes(),
        "docx" => docx(text),
        "pdf" => pdf(text),
        _ => text.as_bytes().to_vec(),
    }
}

fn paragraphs(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty())
}

fn html(stem: &str, text: &str) -> String {
    let body: String = paragraphs(text)
        .map(|l| format!("<p>{}</p>\n", escape(l)))
        .collect();
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{stem}</title></head><body>\n<div class=\"nav\">首页 &gt; 政务公开</div>\n{body}</body></html>\n"
    )
}

/// A minimal Word document: one `w:p` per paragraph.
fn docx(text: &str) -> Vec<u8> {
    use std::io::Write;
    let body: String = paragraphs(text)
        .map(|l| {
            format!(
                "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
                escape(l)
            )
        })
        .collect();
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let parts = [
        (
            "[Content_Types].xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>".to_string(),
        ),
        (
            "_rels/.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>".to_string(),
        ),
        ("word/document.xml", document),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in parts {
        zip.start_file(name, options).expect("a zip entry");
        zip.write_all(content.as_bytes()).expect("zip in memory");
    }
    zip.finish().expect("zip in memory").into_inner()
}

/// A PDF as a word processor prints one: A4 pages of lines 34 characters wide, in the standard
/// Chinese font STSong-Light through the predefined CMap `UniGB-UCS2-H` (text as UTF-16), with a
/// page number at the foot of each page.
fn pdf(text: &str) -> Vec<u8> {
    const PER_LINE: usize = 34;
    const LINES: usize = 40;
    let mut lines: Vec<String> = Vec::new();
    for p in paragraphs(text) {
        let chars: Vec<char> = p.chars().collect();
        for chunk in chars.chunks(PER_LINE) {
            lines.push(chunk.iter().collect());
        }
    }
    let hex = |s: &str| -> String {
        s.encode_utf16()
            .filter(|&u| !(0xD800..0xE000).contains(&u))
            .map(|u| format!("{u:04X}"))
            .collect()
    };
    let pages: Vec<String> = lines
        .chunks(LINES)
        .enumerate()
        .map(|(n, page)| {
            let mut content = String::from("BT /F1 14 Tf 20 TL 72 780 Td\n");
            for line in page {
                content.push_str(&format!("<{}> Tj T*\n", hex(line)));
            }
            content.push_str("ET\n");
            content.push_str(&format!(
                "BT /F1 10 Tf 290 40 Td <{}> Tj ET\n",
                hex(&format!("- {} -", n + 1))
            ));
            content
        })
        .collect();
    // Objects: 1 catalog, 2 pages, 3 font, 4 descendant font, then a page and its content for
    // each page.
    let mut objects: Vec<String> = vec![
        "<</Type /Catalog /Pages 2 0 R>>".into(),
        format!(
            "<</Type /Pages /Kids [{}] /Count {}>>",
            (0..pages.len())
                .map(|k| format!("{} 0 R", 5 + 2 * k))
                .collect::<Vec<_>>()
                .join(" "),
            pages.len()
        ),
        "<</Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [4 0 R]>>".into(),
        "<</Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo <</Registry (Adobe) /Ordering (GB1) /Supplement 2>> /DW 1000>>".into(),
    ];
    for (k, content) in pages.iter().enumerate() {
        objects.push(format!(
            "<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {} 0 R /Resources <</Font <</F1 3 0 R>>>>>>",
            6 + 2 * k
        ));
        objects.push(format!(
            "<</Length {}>>\nstream\n{content}endstream",
            content.len()
        ));
    }
    pdf_file(&objects)
}

/// A PDF file from its numbered object bodies (object 1 the catalog), with a correct
/// cross-reference table.
pub fn pdf_file<S: AsRef<str>>(objects: &[S]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (k, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{}\nendobj\n", k + 1, body.as_ref()).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<</Size {} /Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}
