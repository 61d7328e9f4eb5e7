//! DOCX document XML: the bytes become `word/document.xml` of an otherwise valid package, so the
//! fuzzer works on the XML reader (styles, numbering, tables, nesting) rather than on ZIP headers.
#![no_main]

use libfuzzer_sys::fuzz_target;
use reportlint::input::{Format, from_bytes};
use std::io::Write;
use std::path::Path;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

fuzz_target!(|data: &[u8]| {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        zip.start_file("[Content_Types].xml", opts).unwrap();
        zip.write_all(CONTENT_TYPES.as_bytes()).unwrap();
        zip.start_file("word/document.xml", opts).unwrap();
        zip.write_all(data).unwrap();
        zip.finish().unwrap();
    }
    if let Ok(source) = from_bytes(Path::new("fuzz.docx"), Format::Docx, buf.get_ref(), None) {
        let report = reportlint::report::parse(source.text, &source.heading_hints);
        assert!(report.sections.iter().all(|s| s.heading_span.end <= report.original.len()));
    }
});
