//! Input stage: turns a DOCX file into plain text lines with heading hints,
//! without any external tool.
//!
//! A DOCX file is a ZIP archive; the text lives in `word/document.xml`
//! (WordprocessingML), which is streamed with `quick_xml` (no DOM is built,
//! nothing recurses, so nesting depth does not matter). `word/styles.xml`, if
//! present, maps paragraph style ids to style names and outline levels.
//!
//! * Each paragraph (`<w:p>`) is one line: the text of its `<w:t>` runs, with
//!   `<w:tab/>` as `'\t'` and `<w:br/>`/`<w:cr/>` as line breaks. Leading and
//!   trailing ASCII spaces of each line are trimmed (U+3000 and tabs are
//!   kept).
//! * Each table row (`<w:tr>`) is one line: the cells' texts (the non-empty
//!   paragraphs of a cell joined by a space) joined by two spaces.
//! * Deleted text (`<w:del>`, `<w:moveFrom>`, `<w:delText>`), field codes
//!   (`<w:instrText>`, and everything between a field's `begin` and
//!   `separate` marks), recorded property changes and the `mc:Fallback`
//!   copies of text boxes are skipped. Field results (e.g. a table of
//!   contents) are kept.
//! * Paragraphs inside text boxes become separate lines at the place of
//!   their anchor.
//! * Heading hints come from the paragraph's own `<w:outlineLvl w:val="k"/>`
//!   (level k+1; 9 means body text), else from its style: the style's
//!   outline level, a style name `heading N` (or `标题 N`), or the same for
//!   the style it is based on. Style ids that styles.xml does not define are
//!   recognised as `HeadingN`/`headingN`/bare `N`.
//! * Empty paragraphs give empty lines, but never two in a row; leading and
//!   trailing empty lines are dropped.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{Cursor, Read, Seek};

use quick_xml::NsReader;
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use zip::ZipArchive;
use zip::result::ZipError;

use super::extracted::{Extracted, TextBuilder};

/// Largest uncompressed `word/document.xml` accepted.
const PART_SIZE_LIMIT: u64 = 256 * 1024 * 1024;

/// Largest uncompressed `word/styles.xml` read (real ones are tens of kilobytes).
const STYLES_SIZE_LIMIT: u64 = 16 * 1024 * 1024;

/// A part may inflate to this many times its compressed size (Word's XML compresses 5–30×; a
/// ZIP bomb about 1000×) …
const MAX_RATIO: u64 = 200;

/// … or to this size, whatever its compressed size.
const MIN_PART_LIMIT: u64 = 8 * 1024 * 1024;

/// Most entries in a DOCX archive (Word writes about a dozen).
pub const MAX_DOCX_ENTRIES: usize = 10_000;

/// How far `w:basedOn` chains of styles are followed.
const MAX_STYLE_CHAIN: usize = 32;

const WORDML_NAMESPACES: &[&str] = &[
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
];
const MARKUP_COMPATIBILITY_NAMESPACE: &str =
    "http://schemas.openxmlformats.org/markup-compatibility/2006";

/// Why a DOCX file could not be read.
#[derive(Debug, thiserror::Error)]
pub(crate) enum DocxError {
    #[error("not a DOCX (ZIP) archive: {0}")]
    NotZip(String),
    #[error("the archive has no word/document.xml")]
    NoDocument,
    #[error("word/document.xml is not well-formed XML: {0}")]
    Xml(String),
    #[error("{part} is larger than {limit} bytes when uncompressed")]
    TooLarge { part: String, limit: u64 },
    #[error(
        "{part} inflates past {limit} bytes, over {MAX_RATIO} times its compressed size ({compressed} bytes): a ZIP bomb"
    )]
    Bomb {
        part: String,
        limit: u64,
        compressed: u64,
    },
    #[error(
        "the archive has {entries} entries; a DOCX has a few dozen at most (limit {MAX_DOCX_ENTRIES})"
    )]
    TooManyEntries { entries: usize },
}

/// Turns the bytes of a DOCX file into plain text lines with heading hints.
///
/// Never panics, whatever the input.
pub(crate) fn extract_docx(bytes: &[u8]) -> Result<Extracted, DocxError> {
    extract_docx_with_limit(bytes, PART_SIZE_LIMIT)
}

fn extract_docx_with_limit(bytes: &[u8], limit: u64) -> Result<Extracted, DocxError> {
    let mut archive =
        ZipArchive::new(Cursor::new(bytes)).map_err(|e| DocxError::NotZip(e.to_string()))?;
    if archive.len() > MAX_DOCX_ENTRIES {
        return Err(DocxError::TooManyEntries {
            entries: archive.len(),
        });
    }
    let document =
        read_part(&mut archive, "word/document.xml", limit)?.ok_or(DocxError::NoDocument)?;
    // styles.xml only improves heading hints: any problem with it is ignored.
    let styles = match read_part(
        &mut archive,
        "word/styles.xml",
        limit.min(STYLES_SIZE_LIMIT),
    ) {
        Ok(Some(xml)) => parse_styles(&decode_xml(&xml)),
        _ => Styles::default(),
    };
    parse_document(&decode_xml(&document), &styles)
}

/// Reads one archive member, decompressing at most `limit` bytes.
/// `Ok(None)` if there is no such member.
fn read_part<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
    name: &str,
    limit: u64,
) -> Result<Option<Vec<u8>>, DocxError> {
    let index = match archive.index_for_name(name) {
        Some(index) => index,
        // Some writers use backslashes or another letter case.
        None => match archive.file_names().enumerate().find_map(|(i, entry)| {
            let entry = entry.ok()?;
            (entry.replace('\\', "/").eq_ignore_ascii_case(name)).then_some(i)
        }) {
            Some(index) => index,
            None => return Ok(None),
        },
    };
    let file = match archive.by_index(index) {
        Ok(file) => file,
        Err(ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(DocxError::NotZip(format!("cannot open {name}: {e}"))),
    };
    // A part that says it is too large is refused before anything is inflated.
    if file.size() > limit {
        return Err(DocxError::TooLarge {
            part: name.to_string(),
            limit,
        });
    }
    // The compressed size is bounded by the archive's own size, so this bound is too: a ZIP bomb
    // lying about its inflated size is stopped after at most MAX_RATIO times its bytes.
    let compressed = file.compressed_size();
    let bomb_limit = compressed.saturating_mul(MAX_RATIO).max(MIN_PART_LIMIT);
    let stop = limit.min(bomb_limit);
    if file.size() > stop {
        return Err(DocxError::Bomb {
            part: name.to_string(),
            limit: stop,
            compressed,
        });
    }
    // Pre-allocate from the declared size, but not blindly: it may lie.
    let capacity = file.size().min(stop).min(16 * 1024 * 1024);
    let mut buffer = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
    file.take(stop.saturating_add(1))
        .read_to_end(&mut buffer)
        .map_err(|e| DocxError::NotZip(format!("cannot read {name}: {e}")))?;
    if buffer.len() as u64 > stop {
        return Err(if stop < limit {
            DocxError::Bomb {
                part: name.to_string(),
                limit: stop,
                compressed,
            }
        } else {
            DocxError::TooLarge {
                part: name.to_string(),
                limit,
            }
        });
    }
    Ok(Some(buffer))
}

/// Decodes an XML part: UTF-8 (with or without BOM) or UTF-16 with BOM.
/// Invalid sequences become U+FFFD.
fn decode_xml(bytes: &[u8]) -> Cow<'_, str> {
    fn utf16(bytes: &[u8], from: fn([u8; 2]) -> u16) -> Cow<'static, str> {
        let units = bytes.chunks_exact(2).map(|c| from([c[0], c[1]]));
        Cow::Owned(
            char::decode_utf16(units)
                .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect(),
        )
    }
    match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => String::from_utf8_lossy(rest),
        [0xFF, 0xFE, rest @ ..] => utf16(rest, u16::from_le_bytes),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, u16::from_be_bytes),
        _ => String::from_utf8_lossy(bytes),
    }
}

/// What an element is, as far as extraction cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Paragraph,
    ParagraphProperties,
    Run,
    Text,
    Row,
    Cell,
    /// An element whose whole subtree is ignored.
    Skip,
    Other,
}

/// Classifies a start tag by namespace and local name.
fn classify(namespace: Ns, local: &str) -> Tag {
    match namespace {
        Ns::Word => match local {
            "p" => Tag::Paragraph,
            "pPr" => Tag::ParagraphProperties,
            "r" => Tag::Run,
            "t" => Tag::Text,
            "tr" => Tag::Row,
            "tc" => Tag::Cell,
            "del" | "moveFrom" | "delText" | "delInstrText" | "instrText" => Tag::Skip,
            // Recorded formatting changes hold old properties (e.g. an old
            // paragraph style), never text.
            _ if local.ends_with("Change") => Tag::Skip,
            _ => Tag::Other,
        },
        Ns::MarkupCompatibility if local == "Fallback" => Tag::Skip,
        _ => Tag::Other,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    Word,
    MarkupCompatibility,
    Other,
}

fn namespace_of(resolved: &ResolveResult<'_>) -> Ns {
    match resolved {
        ResolveResult::Bound(ns) if WORDML_NAMESPACES.contains(&ns.0) => Ns::Word,
        ResolveResult::Bound(ns) if ns.0 == MARKUP_COMPATIBILITY_NAMESPACE => {
            Ns::MarkupCompatibility
        }
        // Best effort for parts that forgot their namespace declarations.
        ResolveResult::Unknown(prefix) if prefix == "w" => Ns::Word,
        ResolveResult::Unknown(prefix) if prefix == "mc" => Ns::MarkupCompatibility,
        _ => Ns::Other,
    }
}

/// The value of the attribute with the given local name (any prefix),
/// unescaped if possible, raw otherwise.
fn attribute(start: &BytesStart<'_>, local: &str) -> Option<String> {
    start
        .attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .map(|a| match a.normalized_value(XmlVersion::Implicit1_0) {
            Ok(value) => value.into_owned(),
            Err(_) => a.value.into_owned(),
        })
}

/// A heading level from a style name or id such as `heading 2`, `Heading2`
/// or `标题 2`.
fn level_from_label(label: &str) -> Option<u8> {
    let label = label.trim();
    let number = if label.len() > "heading".len() && label.is_char_boundary("heading".len()) {
        let (head, rest) = label.split_at("heading".len());
        if head.eq_ignore_ascii_case("heading") {
            Some(rest)
        } else {
            None
        }
    } else {
        None
    }
    .or_else(|| label.strip_prefix("标题"))?;
    match number.trim().parse::<u8>() {
        Ok(level @ 1..=9) => Some(level),
        _ => None,
    }
}

/// Heading level for a style id that styles.xml does not define.
fn level_from_style_id(id: &str) -> Option<u8> {
    match id.trim().parse::<u8>() {
        Ok(level @ 1..=9) => Some(level),
        _ => level_from_label(id),
    }
}

/// `w:outlineLvl` value k → heading level k+1; 9 (body text) → `None`.
fn level_from_outline(outline: u8) -> Option<u8> {
    (outline < 9).then_some(outline + 1)
}

/// Paragraph style ids defined in styles.xml, with their heading level.
#[derive(Debug, Default)]
struct Styles {
    levels: HashMap<String, Option<u8>>,
}

impl Styles {
    fn level(&self, style_id: &str) -> Option<u8> {
        match self.levels.get(style_id) {
            Some(level) => *level,
            None => level_from_style_id(style_id),
        }
    }
}

#[derive(Debug, Default)]
struct StyleDefinition {
    name: Option<String>,
    based_on: Option<String>,
    outline: Option<u8>,
}

/// Best-effort reading of styles.xml: stops at the first XML error.
fn parse_styles(xml: &str) -> Styles {
    let mut reader = NsReader::from_str(xml);
    reader.config_mut().allow_dangling_amp = true;
    let mut definitions: HashMap<String, StyleDefinition> = HashMap::new();
    let mut current: Option<(String, StyleDefinition)> = None;
    while let Ok((resolved, event)) = reader.read_resolved_event() {
        let namespace = namespace_of(&resolved);
        match event {
            Event::Start(start) | Event::Empty(start) if namespace == Ns::Word => {
                match start.local_name().as_ref() {
                    "style" => {
                        let is_paragraph_style =
                            attribute(&start, "type").is_none_or(|kind| kind == "paragraph");
                        current = attribute(&start, "styleId")
                            .filter(|_| is_paragraph_style)
                            .map(|id| (id, StyleDefinition::default()));
                    }
                    "name" => {
                        if let Some((_, definition)) = current.as_mut() {
                            definition.name = attribute(&start, "val");
                        }
                    }
                    "basedOn" => {
                        if let Some((_, definition)) = current.as_mut() {
                            definition.based_on = attribute(&start, "val");
                        }
                    }
                    "outlineLvl" => {
                        if let Some((_, definition)) = current.as_mut() {
                            definition.outline =
                                attribute(&start, "val").and_then(|v| v.trim().parse().ok());
                        }
                    }
                    _ => {}
                }
            }
            Event::End(end) if namespace == Ns::Word && end.local_name().as_ref() == "style" => {
                if let Some((id, definition)) = current.take() {
                    definitions.entry(id).or_insert(definition);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some((id, definition)) = current.take() {
        definitions.entry(id).or_insert(definition);
    }

    let levels = definitions
        .keys()
        .map(|id| {
            let mut level = None;
            let mut style = definitions.get(id);
            for _ in 0..MAX_STYLE_CHAIN {
                let Some(definition) = style else { break };
                if let Some(outline) = definition.outline {
                    level = level_from_outline(outline);
                    break;
                }
                if let Some(found) = definition.name.as_deref().and_then(level_from_label) {
                    level = Some(found);
                    break;
                }
                style = definition
                    .based_on
                    .as_deref()
                    .and_then(|base| definitions.get(base));
            }
            (id.clone(), level)
        })
        .collect();
    Styles { levels }
}

/// An open paragraph, table row or table cell.
#[derive(Debug)]
enum Container {
    Paragraph {
        text: String,
        style: Option<String>,
        outline: Option<u8>,
    },
    Row(Vec<String>),
    Cell(Vec<String>),
}

struct DocumentParser<'s> {
    styles: &'s Styles,
    out: TextBuilder,
    /// Open elements, innermost last.
    tags: Vec<Tag>,
    /// Number of open `Tag::Skip` elements.
    skipping: usize,
    /// Open paragraphs, rows and cells, innermost last.
    containers: Vec<Container>,
    /// Open complex fields: `true` while in the field code part.
    fields: Vec<bool>,
    /// Number of `true` entries in `fields`.
    fields_in_code: usize,
}

fn parse_document(xml: &str, styles: &Styles) -> Result<Extracted, DocxError> {
    let mut reader = NsReader::from_str(xml);
    reader.config_mut().allow_dangling_amp = true;
    let mut parser = DocumentParser {
        styles,
        out: TextBuilder::new(),
        tags: Vec::new(),
        skipping: 0,
        containers: Vec::new(),
        fields: Vec::new(),
        fields_in_code: 0,
    };
    loop {
        let (namespace, event) = match reader.read_resolved_event() {
            Ok((resolved, event)) => (namespace_of(&resolved), event),
            Err(e) => {
                // Some errors (too deep a nesting) leave the error position unset: the position
                // reached is then the best place to name.
                let at = match reader.error_position() {
                    0 => reader.buffer_position(),
                    at => at,
                };
                return Err(DocxError::Xml(format!("{e} (at byte {at})")));
            }
        };
        match event {
            Event::Start(start) => parser.start(namespace, &start, false),
            Event::Empty(start) => parser.start(namespace, &start, true),
            Event::End(_) => parser.end(),
            // Literal line breaks inside <w:t> are not line breaks in Word.
            Event::Text(text) if parser.in_text() => {
                parser.push_text(&text.xml10_content().replace(['\r', '\n'], " "));
            }
            Event::CData(data) if parser.in_text() => parser.push_text(&data.into_inner()),
            Event::GeneralRef(reference) if parser.in_text() => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    Ok(None) => {
                        quick_xml::escape::resolve_xml_entity(&reference).map(str::to_owned)
                    }
                    Err(_) => None,
                };
                match resolved {
                    Some(text) => parser.push_text(&text),
                    // Unknown entity or invalid character reference: keep it raw.
                    None => parser.push_text(&format!("&{};", &*reference)),
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !parser.tags.is_empty() {
        return Err(DocxError::Xml(format!(
            "unexpected end of document with {} element(s) still open",
            parser.tags.len()
        )));
    }
    Ok(parser.out.finish())
}

impl DocumentParser<'_> {
    fn start(&mut self, namespace: Ns, start: &BytesStart<'_>, empty: bool) {
        let local = start.local_name();
        let local = local.as_ref();
        let tag = if self.skipping > 0 {
            Tag::Other
        } else {
            classify(namespace, local)
        };
        if !empty {
            self.tags.push(tag);
        }
        if self.skipping > 0 {
            return;
        }
        let parent = if empty {
            self.tags.last()
        } else {
            self.tags.iter().rev().nth(1)
        }
        .copied();
        match tag {
            Tag::Skip => {
                if !empty {
                    self.skipping += 1;
                }
                return;
            }
            Tag::Paragraph => self.containers.push(Container::Paragraph {
                text: String::new(),
                style: None,
                outline: None,
            }),
            Tag::Row => self.containers.push(Container::Row(Vec::new())),
            Tag::Cell => self.containers.push(Container::Cell(Vec::new())),
            _ => {}
        }
        if empty && matches!(tag, Tag::Paragraph | Tag::Row | Tag::Cell) {
            self.close_container();
            return;
        }
        if namespace != Ns::Word || tag != Tag::Other {
            return;
        }
        match (local, parent) {
            ("tab" | "ptab", Some(Tag::Run)) => self.push_text("\t"),
            ("br" | "cr", Some(Tag::Run)) => self.push_text("\n"),
            ("noBreakHyphen", Some(Tag::Run)) => self.push_text("-"),
            ("fldChar", _) => match attribute(start, "fldCharType").as_deref() {
                Some("begin") => {
                    self.fields.push(true);
                    self.fields_in_code += 1;
                }
                Some("separate") => {
                    if let Some(in_code @ true) = self.fields.last_mut() {
                        *in_code = false;
                        self.fields_in_code -= 1;
                    }
                }
                Some("end") => {
                    self.fields_in_code -= usize::from(self.fields.pop() == Some(true));
                }
                _ => {}
            },
            ("pStyle", Some(Tag::ParagraphProperties)) => {
                if let Some(Container::Paragraph { style, .. }) = self.containers.last_mut() {
                    *style = attribute(start, "val");
                }
            }
            ("outlineLvl", Some(Tag::ParagraphProperties)) => {
                if let Some(Container::Paragraph { outline, .. }) = self.containers.last_mut() {
                    *outline = attribute(start, "val").and_then(|v| v.trim().parse().ok());
                }
            }
            _ => {}
        }
    }

    fn end(&mut self) {
        let Some(tag) = self.tags.pop() else { return };
        if tag == Tag::Skip {
            self.skipping -= 1;
            return;
        }
        if self.skipping == 0 && matches!(tag, Tag::Paragraph | Tag::Row | Tag::Cell) {
            self.close_container();
        }
    }

    fn in_text(&self) -> bool {
        self.skipping == 0 && self.fields_in_code == 0 && self.tags.last() == Some(&Tag::Text)
    }

    /// Appends text to the innermost open paragraph, if any.
    fn push_text(&mut self, text: &str) {
        if self.fields_in_code > 0 {
            return;
        }
        if let Some(Container::Paragraph {
            text: paragraph, ..
        }) = self.containers.last_mut()
        {
            paragraph.push_str(text);
        }
    }

    /// Closes the innermost container and hands its text to the enclosing
    /// one, or to the output.
    fn close_container(&mut self) {
        let (text, level) = match self.containers.pop() {
            Some(Container::Paragraph {
                text,
                style,
                outline,
            }) => {
                let level = match outline {
                    Some(outline) => level_from_outline(outline),
                    None => style.as_deref().and_then(|id| self.styles.level(id)),
                };
                (text, level)
            }
            Some(Container::Cell(paragraphs)) => {
                if let Some(Container::Row(cells)) = self.containers.last_mut() {
                    cells.push(paragraphs.join(" "));
                    return;
                }
                (paragraphs.join(" "), None)
            }
            Some(Container::Row(cells)) => (cells.join("  ").trim_matches(' ').to_owned(), None),
            None => return,
        };
        match self.containers.last_mut() {
            Some(Container::Cell(paragraphs)) | Some(Container::Row(paragraphs)) => {
                let text = text.replace('\n', " ");
                let text = text.trim_matches(' ');
                if !text.is_empty() {
                    paragraphs.push(text.to_owned());
                }
            }
            // A text box inside a paragraph: its paragraphs become lines at
            // the anchor's place.
            Some(Container::Paragraph { text: outer, .. }) => {
                outer.push('\n');
                outer.push_str(&text);
                outer.push('\n');
            }
            None => {
                let lines: Vec<&str> = text.split('\n').map(|l| l.trim_matches(' ')).collect();
                self.out.push_line(&lines.join("\n"), level);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use zip::write::SimpleFileOptions;
    use zip::{CompressionMethod, ZipWriter};

    use super::super::extracted::HeadingHint;
    use super::*;

    const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

    /// A ZIP archive holding the given parts.
    fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        for (name, content) in parts {
            writer.start_file(*name, options).unwrap();
            writer.write_all(content).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    /// A document.xml whose body is `body`.
    fn document(body: &str) -> String {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
             <w:document xmlns:w=\"{W_NS}\" \
             xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\">\
             <w:body>{body}<w:sectPr/></w:body></w:document>"
        )
    }

    fn styles(defs: &str) -> String {
        format!("<?xml version=\"1.0\"?><w:styles xmlns:w=\"{W_NS}\">{defs}</w:styles>")
    }

    fn docx(body: &str, styles_xml: Option<&str>) -> Vec<u8> {
        let document = document(body);
        let mut parts: Vec<(&str, &[u8])> = vec![("word/document.xml", document.as_bytes())];
        if let Some(styles_xml) = styles_xml {
            parts.push(("word/styles.xml", styles_xml.as_bytes()));
        }
        zip_of(&parts)
    }

    fn p(text: &str) -> String {
        format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
    }

    fn styled(style_id: &str, text: &str) -> String {
        format!(
            "<w:p><w:pPr><w:pStyle w:val=\"{style_id}\"/><w:tabs><w:tab w:val=\"left\" w:pos=\"420\"/></w:tabs></w:pPr>\
             <w:r><w:t>{text}</w:t></w:r></w:p>"
        )
    }

    fn heading_styles() -> String {
        styles(
            "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"a\"><w:name w:val=\"Normal\"/></w:style>\
             <w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/><w:basedOn w:val=\"a\"/></w:style>",
        )
    }

    #[test]
    fn paragraphs_with_headings_and_escapes_round_trip() {
        let body = [
            styled("Heading1", "一、主要举措"),
            p("正文&amp;&lt;&gt;"),
            "<w:p/>".to_owned(),
            "<w:p><w:pPr><w:pStyle w:val=\"a\"/></w:pPr></w:p>".to_owned(),
            styled("Heading1", "二、不足"),
        ]
        .concat();
        let extracted = extract_docx(&docx(&body, Some(&heading_styles()))).unwrap();
        assert_eq!(extracted.text, "一、主要举措\n正文&<>\n\n二、不足\n");
        assert_eq!(
            extracted.heading_hints,
            vec![
                HeadingHint { line: 0, level: 1 },
                HeadingHint { line: 3, level: 1 },
            ]
        );
    }

    #[test]
    fn chinese_word_style_id_maps_to_heading_via_styles_xml() {
        let styles_xml = styles(
            "<w:style w:type=\"paragraph\" w:styleId=\"1\"><w:name w:val=\"heading 1\"/></w:style>\
             <w:style w:type=\"paragraph\" w:styleId=\"2\"><w:name w:val=\"heading 2\"/>\
             <w:basedOn w:val=\"1\"/><w:pPr><w:outlineLvl w:val=\"1\"/></w:pPr></w:style>\
             <w:style w:type=\"paragraph\" w:styleId=\"3\"><w:name w:val=\"Title\"/></w:style>\
             <w:style w:type=\"paragraph\" w:styleId=\"a5\"><w:name w:val=\"我的标题\"/><w:basedOn w:val=\"2\"/></w:style>",
        );
        let body = [
            styled("2", "（一）健全制度"),
            styled("3", "文档标题"),
            styled("a5", "派生样式"),
        ]
        .concat();
        let extracted = extract_docx(&docx(&body, Some(&styles_xml))).unwrap();
        assert_eq!(extracted.text, "（一）健全制度\n文档标题\n派生样式\n");
        assert_eq!(
            extracted.heading_hints,
            vec![
                HeadingHint { line: 0, level: 2 },
                HeadingHint { line: 2, level: 2 },
            ]
        );
    }

    #[test]
    fn style_ids_without_styles_xml_and_outline_levels() {
        let body = [
            styled("Heading3", "甲"),
            styled("heading2", "乙"),
            styled("1", "丙"),
            styled("Title", "丁"),
            styled("10", "戊"),
            "<w:p><w:pPr><w:outlineLvl w:val=\"0\"/></w:pPr><w:r><w:t>己</w:t></w:r></w:p>".to_owned(),
            "<w:p><w:pPr><w:pStyle w:val=\"Heading1\"/><w:outlineLvl w:val=\"9\"/></w:pPr><w:r><w:t>庚</w:t></w:r></w:p>"
                .to_owned(),
        ]
        .concat();
        let extracted = extract_docx(&docx(&body, None)).unwrap();
        assert_eq!(extracted.text, "甲\n乙\n丙\n丁\n戊\n己\n庚\n");
        assert_eq!(
            extracted.heading_hints,
            vec![
                HeadingHint { line: 0, level: 3 },
                HeadingHint { line: 1, level: 2 },
                HeadingHint { line: 2, level: 1 },
                HeadingHint { line: 5, level: 1 },
            ]
        );
    }

    #[test]
    fn tabs_breaks_and_split_runs() {
        let body = "<w:p><w:r><w:tab/><w:t>第一</w:t></w:r><w:r><w:t xml:space=\"preserve\">行 </w:t>\
                    <w:br/><w:t>第二行</w:t><w:cr/><w:t>&#x7B2C;&#19977;行 &amp;amp; &unknown; a &amp b</w:t></w:r></w:p>";
        let extracted = extract_docx(&docx(body, None)).unwrap();
        assert_eq!(
            extracted.text,
            "\t第一行\n第二行\n第三行 &amp; &unknown; a &amp b\n"
        );
    }

    #[test]
    fn tables_flatten_row_by_row() {
        let cell = |paragraphs: &[&str]| {
            format!(
                "<w:tc><w:tcPr><w:tcW w:w=\"100\"/></w:tcPr>{}</w:tc>",
                paragraphs.iter().map(|t| p(t)).collect::<String>()
            )
        };
        let body = format!(
            "{}<w:tbl><w:tblPr/><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>{}",
            p("表前"),
            cell(&["项目"]),
            cell(&["件数"]),
            cell(&["行政", "", "复议"]),
            cell(&["12"]),
            cell(&[""]),
            "<w:tc/>",
            p("表后"),
        );
        let extracted = extract_docx(&docx(&body, None)).unwrap();
        assert_eq!(extracted.text, "表前\n项目  件数\n行政 复议  12\n\n表后\n");
    }

    #[test]
    fn deleted_text_field_codes_and_fallbacks_are_skipped() {
        let body = "<w:p><w:r><w:t>保留</w:t></w:r>\
            <w:del w:id=\"1\" w:author=\"x\"><w:r><w:delText>删除</w:delText></w:r></w:del>\
            <w:ins w:id=\"2\" w:author=\"x\"><w:r><w:t>插入</w:t></w:r></w:ins>\
            <w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>\
            <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>3</w:t></w:r>\
            <w:r><w:fldChar w:fldCharType=\"end\"/></w:r>\
            <w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><w:txbxContent>\
            <w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>\
            <mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p>\
            </w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>\
            <w:r><w:t>结尾</w:t></w:r></w:p>";
        let extracted = extract_docx(&docx(body, None)).unwrap();
        assert_eq!(extracted.text, "保留插入3\n文本框\n结尾\n");
    }

    #[test]
    fn property_changes_do_not_override_the_style() {
        let body = "<w:p><w:pPr><w:pStyle w:val=\"Heading2\"/><w:pPrChange w:id=\"1\">\
            <w:pPr><w:pStyle w:val=\"Normal\"/></w:pPr></w:pPrChange></w:pPr>\
            <w:r><w:t>标题</w:t></w:r></w:p>";
        let extracted = extract_docx(&docx(body, None)).unwrap();
        assert_eq!(
            extracted.heading_hints,
            vec![HeadingHint { line: 0, level: 2 }]
        );
    }

    #[test]
    fn empty_document_gives_empty_text() {
        let extracted = extract_docx(&docx("<w:p/><w:p></w:p>", None)).unwrap();
        assert_eq!(extracted, Extracted::default());
    }

    #[test]
    fn other_prefix_and_utf16_are_understood() {
        let xml = format!(
            "<x:document xmlns:x=\"{W_NS}\"><x:body><x:p><x:r><x:t>前缀</x:t></x:r></x:p></x:body></x:document>"
        );
        let extracted = extract_docx(&zip_of(&[("word/document.xml", xml.as_bytes())])).unwrap();
        assert_eq!(extracted.text, "前缀\n");

        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(
            document(&p("十六位"))
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        );
        let extracted = extract_docx(&zip_of(&[("word/document.xml", &utf16)])).unwrap();
        assert_eq!(extracted.text, "十六位\n");
    }

    #[test]
    fn garbage_is_not_a_zip() {
        for bytes in [
            &b""[..],
            b"PK\x03\x04 not really",
            b"\x00\x01\x02 random bytes \xff\xfe",
        ] {
            assert!(matches!(extract_docx(bytes), Err(DocxError::NotZip(_))));
        }
    }

    #[test]
    fn zip_without_document_xml() {
        let bytes = zip_of(&[("word/styles.xml", styles("").as_bytes())]);
        let error = extract_docx(&bytes).unwrap_err();
        assert!(matches!(error, DocxError::NoDocument));
        assert_eq!(error.to_string(), "the archive has no word/document.xml");
    }

    #[test]
    fn malformed_document_xml_is_an_error_not_a_panic() {
        for xml in [
            "<w:p><w:t>unclosed",
            "<w:p><w:t>a</w:p></w:t>",
            "<w:document><w:body>",
            "not xml at all <<<",
            "",
        ] {
            let result = extract_docx(&zip_of(&[("word/document.xml", xml.as_bytes())]));
            match result {
                Err(DocxError::Xml(_)) => {}
                Ok(extracted) => {
                    assert!(extracted.text.is_empty() || extracted.text.ends_with('\n'))
                }
                Err(other) => panic!("unexpected error {other:?} for {xml:?}"),
            }
        }
        assert!(matches!(
            extract_docx(&zip_of(&[("word/document.xml", b"<w:p><w:t>unclosed")])),
            Err(DocxError::Xml(_))
        ));
    }

    #[test]
    fn random_wordml_soup_does_not_panic() {
        const PIECES: &[&str] = &[
            "<w:p>",
            "</w:p>",
            "<w:p/>",
            "<w:r>",
            "</w:r>",
            "<w:t>",
            "</w:t>",
            "<w:tbl>",
            "</w:tbl>",
            "<w:tr>",
            "</w:tr>",
            "<w:tc>",
            "</w:tc>",
            "<w:tc/>",
            "<w:del>",
            "</w:del>",
            "<w:tab/>",
            "<w:br/>",
            "<w:pPr>",
            "</w:pPr>",
            "<w:pStyle w:val=\"1\"/>",
            "<w:outlineLvl w:val=\"0\"/>",
            "<w:fldChar w:fldCharType=\"begin\"/>",
            "<w:fldChar w:fldCharType=\"separate\"/>",
            "<w:fldChar w:fldCharType=\"end\"/>",
            "文",
            "&amp;",
            "&#0;",
            "&",
            " ",
            "\n",
        ];
        let mut seed: u64 = 0x2024_0607;
        for _ in 0..300 {
            let mut body = String::new();
            for _ in 0..40 {
                seed = seed
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                body.push_str(PIECES[(seed >> 33) as usize % PIECES.len()]);
            }
            match extract_docx(&docx(&body, None)) {
                Ok(extracted) => {
                    let text = &extracted.text;
                    assert!(text.is_empty() || text.ends_with('\n'), "{body:?}");
                    assert!(
                        !text.contains("\n\n\n") && !text.starts_with('\n'),
                        "{body:?}"
                    );
                    let lines = text.lines().count();
                    assert!(extracted.heading_hints.iter().all(|h| h.line < lines));
                }
                Err(DocxError::Xml(_)) => {}
                Err(other) => panic!("unexpected {other:?} for {body:?}"),
            }
        }
    }

    #[test]
    fn oversized_document_is_rejected() {
        let bytes = docx(&p(&"长".repeat(1000)), None);
        assert!(matches!(
            extract_docx_with_limit(&bytes, 1024),
            Err(DocxError::TooLarge { limit: 1024, .. })
        ));
        assert!(extract_docx_with_limit(&bytes, 1 << 20).is_ok());
    }

    /// Each rejected bomb used to inflate 256 MiB before the size check, once per thread (8
    /// bombs peaked at 2 GB). Its size is now bounded by its compressed size: 24 MiB of
    /// repeated text in 24 KB is refused from the headers, before anything is inflated.
    #[test]
    fn docx_bomb_is_refused_before_inflating() {
        let xml = document(&p(&"长".repeat(8 * 1024 * 1024)));
        let bytes = zip_of(&[("word/document.xml", xml.as_bytes())]);
        assert!(bytes.len() < 200 * 1024, "{}", bytes.len());
        let err = extract_docx(&bytes).unwrap_err();
        assert!(matches!(err, DocxError::Bomb { .. }), "{err:?}");
        assert!(err.to_string().contains("a ZIP bomb"), "{err}");
        // The same text, compressed less absurdly (8 MiB floor), still reads.
        let small = document(&p(&"长".repeat(1024 * 1024)));
        let ok = extract_docx(&zip_of(&[("word/document.xml", small.as_bytes())])).unwrap();
        assert_eq!(ok.text.chars().count(), 1024 * 1024 + 1);
    }

    #[test]
    fn truncated_and_corrupted_archives_are_refused() {
        let bytes = docx(
            &[styled("Heading1", "标题"), p("正文内容正文内容")].concat(),
            Some(&heading_styles()),
        );
        // Every proper prefix lacks the central directory: refused, never half-read.
        for len in 0..bytes.len() {
            assert!(
                extract_docx(&bytes[..len]).is_err(),
                "prefix of {len} bytes"
            );
        }
        // A flipped byte is refused or still reads as text; either way it returns.
        let mut refused = 0;
        for i in 0..bytes.len() {
            let mut corrupted = bytes.clone();
            corrupted[i] ^= 0x5A;
            refused += usize::from(extract_docx(&corrupted).is_err());
        }
        assert!(
            refused > bytes.len() / 2,
            "most corruptions are caught: {refused}"
        );
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        // 60 000 open elements: below quick-xml's limit of 65 535.
        let depth = 30_000;
        let body = format!(
            "<w:p><w:r><w:t>深</w:t></w:r></w:p>{}{}",
            "<w:sdt><w:sdtContent>".repeat(depth),
            "</w:sdtContent></w:sdt>".repeat(depth)
        );
        let extracted = extract_docx(&docx(&body, None)).unwrap();
        assert_eq!(extracted.text, "深\n");
    }

    #[test]
    fn nesting_beyond_the_xml_reader_limit_is_an_error() {
        let depth = 40_000;
        let body = format!(
            "{}{}",
            "<w:sdt><w:sdtContent>".repeat(depth),
            "</w:sdtContent></w:sdt>".repeat(depth)
        );
        let Err(DocxError::Xml(message)) = extract_docx(&docx(&body, None)) else {
            panic!("nesting beyond the reader's limit must be an XML error");
        };
        // It used to say "(at byte 0)": the place is where the reader gave up.
        let at: usize = message
            .rsplit_once("(at byte ")
            .and_then(|(_, n)| n.trim_end_matches(')').parse().ok())
            .unwrap_or_else(|| panic!("{message}"));
        assert!(at > 65_535 * "<w:sdt>".len(), "{message}");
    }
}
