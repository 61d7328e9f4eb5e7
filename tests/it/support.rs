// Helpers shared by the integration tests: tiny writers for test inputs.
// (Plain comments and no inner attributes, so that this file also works
// through `include!` or `#[path]`.)

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

const CONTENT_TYPES_XML: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>"#;

const ROOT_RELS_XML: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

const DOCUMENT_RELS_XML: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// Escapes text for XML content and attribute values.
fn xml_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

/// Builds a minimal valid .docx from paragraphs; `Some(n)` marks a paragraph with style "Heading n" (style id `Heading{n}`, defined in styles.xml with name "heading n").
pub fn docx_from_paragraphs(paragraphs: &[(&str, Option<u8>)]) -> Vec<u8> {
    let mut body = String::new();
    let mut levels: Vec<u8> = Vec::new();
    for (text, level) in paragraphs {
        body.push_str("<w:p>");
        if let Some(level) = level {
            body.push_str(&format!(
                "<w:pPr><w:pStyle w:val=\"Heading{level}\"/></w:pPr>"
            ));
            if !levels.contains(level) {
                levels.push(*level);
            }
        }
        if !text.is_empty() {
            body.push_str(&format!(
                "<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r>",
                xml_escape(text)
            ));
        }
        body.push_str("</w:p>");
    }
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:document xmlns:w=\"{W_NS}\"><w:body>{body}\
         <w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/></w:sectPr></w:body></w:document>"
    );

    levels.sort_unstable();
    let mut style_definitions = String::from(
        "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">\
         <w:name w:val=\"Normal\"/><w:qFormat/></w:style>",
    );
    for level in levels {
        style_definitions.push_str(&format!(
            "<w:style w:type=\"paragraph\" w:styleId=\"Heading{level}\">\
             <w:name w:val=\"heading {level}\"/><w:basedOn w:val=\"Normal\"/>\
             <w:next w:val=\"Normal\"/><w:qFormat/>\
             <w:pPr><w:keepNext/><w:outlineLvl w:val=\"{outline}\"/></w:pPr>\
             <w:rPr><w:b/></w:rPr></w:style>",
            outline = level.saturating_sub(1),
        ));
    }
    let styles = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:styles xmlns:w=\"{W_NS}\">{style_definitions}</w:styles>"
    );

    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, content) in [
        ("[Content_Types].xml", CONTENT_TYPES_XML),
        ("_rels/.rels", ROOT_RELS_XML),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS_XML),
        ("word/document.xml", document.as_str()),
        ("word/styles.xml", styles.as_str()),
    ] {
        zip.start_file(name, options)
            .expect("writing to memory cannot fail");
        zip.write_all(content.as_bytes())
            .expect("writing to memory cannot fail");
    }
    zip.finish()
        .expect("writing to memory cannot fail")
        .into_inner()
}

/// Wraps text lines as an HTML page: <p> per non-empty line, plus a header with web chrome (nav: 首页 | 简体 | 繁体 | 无障碍) and a footer 苏公网安备 32058202010198号, a <script> and a <style> that must not appear in the text.
pub fn html_from_text(text: &str) -> String {
    let mut page = String::from(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>法治政府建设年度报告</title>\n</head>\n<body>\n\
         <style>.content p { text-indent: 2em; } /* STYLE-MUST-NOT-APPEAR */</style>\n\
         <header><nav><a href=\"/\">首页</a> | <a href=\"/jt\">简体</a> | \
         <a href=\"/ft\">繁体</a> | <a href=\"/wza\">无障碍</a></nav></header>\n\
         <div class=\"content\">\n",
    );
    for line in text.lines().filter(|line| !line.is_empty()) {
        page.push_str("<p>");
        // `"` and `'` need no escaping in element content, but it does no harm.
        page.push_str(&xml_escape(line));
        page.push_str("</p>\n");
    }
    page.push_str(
        "</div>\n<footer><p>苏公网安备 32058202010198号</p></footer>\n\
         <script>var SCRIPT_MUST_NOT_APPEAR = \"<p>脚本</p>\";</script>\n\
         </body>\n</html>\n",
    );
    page
}
