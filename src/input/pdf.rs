//! Input stage: reads the text layer of a PDF file, without any external tool.
//!
//! The file is parsed by `lopdf` (nesting-depth and decompression limits, cross-reference repair,
//! decryption of files that open without a password). This module interprets the page content
//! streams itself, because the layout needs positions, which `lopdf`'s own text extraction drops:
//! every text-showing operator (`Tj`, `TJ`, `'`, `"`) becomes a [`Run`] — its text, where its
//! baseline starts and ends on the page, and its font size — following the text and graphics
//! state (`Tm`, `Td`, `TD`, `T*`, `TL`, `Tf`, `Tc`, `Tw`, `Tz`, `Ts`, `cm`, `q`/`Q`) and form
//! XObjects (`Do`, at most [`MAX_FORM_DEPTH`] deep, never into a form already open).
//! [`super::pdf_layout`] then turns the runs into lines and paragraphs.
//!
//! * Characters are decoded through the font's `ToUnicode` map when it has one (PDF 32000-1
//!   §9.10.2 puts it first), else through its encoding; composite (`Type0`) fonts read two-byte
//!   codes, simple and `Type3` fonts one-byte codes. Glyph widths come from `/W` and `/DW` or
//!   `/Widths` (scaled by a `Type3` font's `/FontMatrix`).
//! * Kangxi and supplement radicals that fonts map instead of ideographs (`⼈⺠` for `人民`) are
//!   read as the ideographs ([`super::radicals`]).
//! * Rotated text (stamps, watermarks, vertical writing) and text outside the page are left out;
//!   invisible text (render mode 3, the text layer of a scan that went through OCR) is kept.
//! * Errors: a document that needs a password is [`PdfError::Encrypted`]; one without `%%EOF` in
//!   its last 4 KiB is truncated, hence [`PdfError::Unreadable`] even if `lopdf` can repair it; pages without any
//!   character are [`PdfError::NoTextLayer`] (a scan: it needs OCR); characters that no font maps
//!   to Unicode are [`PdfError::NoUnicode`]; anything `lopdf` cannot parse is
//!   [`PdfError::Unreadable`] with its reason. Limits bound the decompressed content per page, the
//!   number of operations and the extracted text, and `lopdf` is called under
//!   `std::panic::catch_unwind`: should it panic on a hostile file, that file is reported as
//!   unreadable and the run goes on.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Encoding, Object, ObjectId};

use super::extracted::Extracted;
use super::pdf_layout::{self, Page, Run};
use super::radicals;

/// Largest decompressed content of one page (or one form XObject), in bytes.
const MAX_CONTENT: usize = 64 * 1024 * 1024;
/// Largest number of characters extracted from one file.
const MAX_CHARS: usize = 32 * 1024 * 1024;
/// How deep form XObjects are followed into each other.
const MAX_FORM_DEPTH: usize = 8;
/// How deep `q` may nest; deeper saves are counted but not stored.
const MAX_STATE_STACK: usize = 256;

/// Why a PDF file gave no text.
#[derive(Debug, thiserror::Error)]
pub(crate) enum PdfError {
    #[error("the PDF is encrypted and needs a password to be read")]
    Encrypted,
    #[error("the PDF has {pages} page(s) but no text layer (a scan?); it needs OCR first")]
    NoTextLayer { pages: usize },
    #[error(
        "the PDF has text on {pages} page(s) but its fonts do not map it to Unicode; it needs OCR first"
    )]
    NoUnicode { pages: usize },
    #[error("the PDF has no pages")]
    NoPages,
    #[error("the PDF holds more than {limit} characters")]
    TooMuchText { limit: usize },
    #[error("cannot read the PDF: {0}")]
    Unreadable(String),
}

/// Turns the bytes of a PDF file into plain text lines (one paragraph per line).
///
/// Never panics: a panic inside the PDF library is caught and reported as [`PdfError::Unreadable`].
pub(crate) fn extract_pdf(bytes: &[u8]) -> Result<Extracted, PdfError> {
    match catch_unwind(AssertUnwindSafe(|| read_pages(bytes))) {
        Ok(pages) => Ok(pdf_layout::layout(&pages?)),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".to_string());
            Err(PdfError::Unreadable(format!(
                "the PDF parser failed on it ({what})"
            )))
        }
    }
}

/// The runs of every page, in page order.
fn read_pages(bytes: &[u8]) -> Result<Vec<Page>, PdfError> {
    if !bytes.starts_with(b"%PDF-")
        && !bytes[..bytes.len().min(1024)]
            .windows(5)
            .any(|w| w == b"%PDF-")
    {
        return Err(PdfError::Unreadable("no %PDF- header".to_string()));
    }
    // A cut download still parses (lopdf rebuilds the cross-reference table) but would give part
    // of a report, or pages whose text is gone: say what happened instead.
    let tail = &bytes[bytes.len().saturating_sub(4096)..];
    let truncated = !tail.windows(5).any(|w| w == b"%%EOF");
    let doc = Document::load_mem(bytes).map_err(|e| match e {
        lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword => PdfError::Encrypted,
        e if truncated => {
            PdfError::Unreadable(format!("{e}; the file is truncated (no %%EOF at its end)"))
        }
        e => PdfError::Unreadable(e.to_string()),
    })?;
    if truncated {
        return Err(PdfError::Unreadable(
            "the file is truncated (no %%EOF at its end)".to_string(),
        ));
    }
    if doc.is_encrypted() {
        return Err(PdfError::Encrypted);
    }
    let page_ids: Vec<ObjectId> = doc.page_iter().collect();
    if page_ids.is_empty() {
        return Err(PdfError::NoPages);
    }
    let mut reader = Reader {
        doc: &doc,
        chars: 0,
        undecodable: 0,
        undecodable_pages: 0,
    };
    let mut pages = Vec::with_capacity(page_ids.len());
    for (number, &id) in page_ids.iter().enumerate() {
        let before = reader.undecodable;
        let page = reader.page(id, number)?;
        if reader.undecodable > before && page.runs.is_empty() {
            reader.undecodable_pages += 1;
        }
        pages.push(page);
    }
    if pages.iter().all(|p| p.runs.is_empty()) {
        return Err(if reader.undecodable_pages > 0 {
            PdfError::NoUnicode {
                pages: reader.undecodable_pages,
            }
        } else {
            PdfError::NoTextLayer { pages: pages.len() }
        });
    }
    Ok(pages)
}

/// A 2-D affine matrix `[a b c d e f]`, PDF's row-vector convention.
type Matrix = [f64; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `m × n`: first `m`, then `n`.
fn mul(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

fn translate(x: f64, y: f64) -> Matrix {
    [1.0, 0.0, 0.0, 1.0, x, y]
}

/// How a font turns codes into text and advances.
struct Font<'a> {
    encoding: Option<Encoding<'a>>,
    two_byte: bool,
    /// `(first code, last code, width)`, sorted, in glyph units.
    widths: Vec<(u32, u32, f64)>,
    default_width: f64,
    /// Glyph units to text space: 1/1000, or a Type3 font's `FontMatrix[0]`.
    scale: f64,
}

impl Font<'_> {
    fn width(&self, code: u32) -> f64 {
        let i = self.widths.partition_point(|&(_, last, _)| last < code);
        match self.widths.get(i) {
            Some(&(first, _, w)) if first <= code => w,
            _ => self.default_width,
        }
    }
}

/// Text and graphics state that `q`/`Q` save and restore.
#[derive(Clone)]
struct State {
    ctm: Matrix,
    font: Option<Vec<u8>>,
    size: f64,
    char_spacing: f64,
    word_spacing: f64,
    scaling: f64,
    leading: f64,
    rise: f64,
}

struct Reader<'d> {
    doc: &'d Document,
    chars: usize,
    undecodable: usize,
    undecodable_pages: usize,
}

/// One content stream being interpreted: its fonts, and where text goes.
struct Canvas<'f> {
    fonts: HashMap<Vec<u8>, Font<'f>>,
}

impl<'d> Reader<'d> {
    fn page(&mut self, id: ObjectId, number: usize) -> Result<Page, PdfError> {
        let doc = self.doc;
        let media = media_box(doc, id).unwrap_or([0.0, 0.0, 595.0, 842.0]);
        let content = doc
            .get_page_content_with_limit(id, MAX_CONTENT)
            .map_err(|e| PdfError::Unreadable(format!("page {}: {e}", number + 1)))?;
        let resources = page_resources(doc, id);
        let mut page = Page {
            number,
            bottom: media[1].min(media[3]),
            top: media[1].max(media[3]),
            left: media[0].min(media[2]),
            right: media[0].max(media[2]),
            runs: Vec::new(),
        };
        let state = State {
            ctm: IDENTITY,
            font: None,
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            scaling: 1.0,
            leading: 0.0,
            rise: 0.0,
        };
        let mut open = Vec::new();
        self.stream(&content, &resources, state, &mut page, &mut open, 0)?;
        let (b, t, l, r) = (page.bottom, page.top, page.left, page.right);
        let slack = 1.0;
        page.runs.retain(|run| {
            run.y >= b - slack && run.y <= t + slack && run.x1 >= l - slack && run.x0 <= r + slack
        });
        Ok(page)
    }

    /// Interprets one content stream (a page's, or a form XObject's).
    fn stream(
        &mut self,
        data: &[u8],
        resources: &[&'d Dictionary],
        mut state: State,
        page: &mut Page,
        open: &mut Vec<ObjectId>,
        depth: usize,
    ) -> Result<(), PdfError> {
        let content = Content::decode(data).map_err(|e| {
            PdfError::Unreadable(format!("page {}: content stream: {e}", page.number + 1))
        })?;
        let canvas = Canvas {
            fonts: self.fonts(resources),
        };
        let mut stack: Vec<State> = Vec::new();
        let mut overflow = 0usize;
        let mut tm = IDENTITY;
        let mut tlm = IDENTITY;
        for op in &content.operations {
            let nums: Vec<f64> = op.operands.iter().filter_map(number).collect();
            match op.operator.as_str() {
                "q" => {
                    if stack.len() < MAX_STATE_STACK {
                        stack.push(state.clone());
                    } else {
                        overflow += 1;
                    }
                }
                "Q" => {
                    if overflow > 0 {
                        overflow -= 1;
                    } else if let Some(saved) = stack.pop() {
                        state = saved;
                    }
                }
                "cm" if nums.len() == 6 => {
                    let m = [nums[0], nums[1], nums[2], nums[3], nums[4], nums[5]];
                    state.ctm = mul(&m, &state.ctm);
                }
                "BT" => {
                    tm = IDENTITY;
                    tlm = IDENTITY;
                }
                "Tf" => {
                    state.font = op
                        .operands
                        .first()
                        .and_then(|o| o.as_name().ok())
                        .map(<[u8]>::to_vec);
                    state.size = nums.first().copied().unwrap_or(0.0);
                }
                "Tc" if !nums.is_empty() => state.char_spacing = nums[0],
                "Tw" if !nums.is_empty() => state.word_spacing = nums[0],
                "Tz" if !nums.is_empty() => state.scaling = nums[0] / 100.0,
                "TL" if !nums.is_empty() => state.leading = nums[0],
                "Ts" if !nums.is_empty() => state.rise = nums[0],
                "Td" | "TD" if nums.len() == 2 => {
                    if op.operator == "TD" {
                        state.leading = -nums[1];
                    }
                    tlm = mul(&translate(nums[0], nums[1]), &tlm);
                    tm = tlm;
                }
                "Tm" if nums.len() == 6 => {
                    tlm = [nums[0], nums[1], nums[2], nums[3], nums[4], nums[5]];
                    tm = tlm;
                }
                "T*" => {
                    tlm = mul(&translate(0.0, -state.leading), &tlm);
                    tm = tlm;
                }
                "Tj" | "'" | "\"" | "TJ" => {
                    if op.operator == "'" || op.operator == "\"" {
                        tlm = mul(&translate(0.0, -state.leading), &tlm);
                        tm = tlm;
                    }
                    if op.operator == "\"" && nums.len() >= 2 {
                        state.word_spacing = nums[0];
                        state.char_spacing = nums[1];
                    }
                    let parts: &[Object] = match (op.operator.as_str(), op.operands.last()) {
                        ("TJ", Some(Object::Array(items))) => items,
                        (_, Some(last)) => std::slice::from_ref(last),
                        _ => &[],
                    };
                    self.show(&canvas, &state, &mut tm, parts, page)?;
                }
                "Do" if depth < MAX_FORM_DEPTH => {
                    if let Some(name) = op.operands.first().and_then(|o| o.as_name().ok()) {
                        self.form(name, resources, &state, page, open, depth)?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Follows a form XObject (`Do`); images and unknown names are passed over.
    fn form(
        &mut self,
        name: &[u8],
        resources: &[&'d Dictionary],
        state: &State,
        page: &mut Page,
        open: &mut Vec<ObjectId>,
        depth: usize,
    ) -> Result<(), PdfError> {
        let doc = self.doc;
        let Some(id) = resources.iter().find_map(|r| {
            let xobjects = deref(doc, r.get(b"XObject").ok()?)?.as_dict().ok()?;
            xobjects.get(name).ok()?.as_reference().ok()
        }) else {
            return Ok(());
        };
        if open.contains(&id) {
            return Ok(());
        }
        let Ok(stream) = doc.get_object(id).and_then(Object::as_stream) else {
            return Ok(());
        };
        if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Form") {
            return Ok(());
        }
        let Ok(data) = stream.get_plain_content_with_limit(MAX_CONTENT) else {
            return Ok(());
        };
        let matrix = stream
            .dict
            .get(b"Matrix")
            .ok()
            .and_then(|m| m.as_array().ok())
            .map(|a| a.iter().filter_map(number).collect::<Vec<_>>())
            .filter(|a| a.len() == 6)
            .map_or(IDENTITY, |a| [a[0], a[1], a[2], a[3], a[4], a[5]]);
        let mut inner = state.clone();
        inner.ctm = mul(&matrix, &state.ctm);
        let own = stream
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|r| deref(doc, r))
            .and_then(|r| r.as_dict().ok());
        let mut res: Vec<&'d Dictionary> = own.into_iter().collect();
        res.extend_from_slice(resources);
        open.push(id);
        let result = self.stream(&data, &res, inner, page, open, depth + 1);
        open.pop();
        result
    }

    /// Shows strings (and `TJ` adjustments), advancing the text matrix, as one run.
    fn show(
        &mut self,
        canvas: &Canvas,
        state: &State,
        tm: &mut Matrix,
        parts: &[Object],
        page: &mut Page,
    ) -> Result<(), PdfError> {
        let Some(font) = state.font.as_ref().and_then(|f| canvas.fonts.get(f)) else {
            return Ok(());
        };
        let size = state.size;
        let start = mul(&mul(&translate(0.0, state.rise), tm), &state.ctm);
        // Horizontal text only: rotated or skewed runs are stamps and watermarks.
        let upright = start[0] > 0.0
            && start[1].abs() <= 0.05 * start[0].abs()
            && start[2].abs() <= 0.05 * start[3].abs();
        let font_size = (size * (start[2].hypot(start[3]))).abs();
        let mut text = String::new();
        // A gap of at least this much (text space) between two characters is a word space.
        let space_gap = 0.25 * size.abs();
        let mut pending_gap = 0.0f64;
        let mut last: Option<char> = None;
        for part in parts {
            match part {
                Object::String(bytes, _) => {
                    let step = if font.two_byte { 2 } else { 1 };
                    for code_bytes in bytes.chunks(step) {
                        let code = code_bytes.iter().fold(0u32, |c, &b| c << 8 | u32::from(b));
                        let decoded = font
                            .encoding
                            .as_ref()
                            .and_then(|e| e.bytes_to_string(code_bytes).ok())
                            .unwrap_or_default();
                        let decoded: String = decoded
                            .chars()
                            .filter(|&c| c != '\u{FFFD}' && !c.is_control())
                            .map(radicals::unify)
                            .collect();
                        if decoded.is_empty() && code != 32 {
                            self.undecodable += 1;
                        }
                        if let Some(first) = decoded.chars().next() {
                            if pending_gap >= space_gap
                                && last.is_some_and(is_word_char)
                                && is_word_char(first)
                            {
                                text.push(' ');
                            }
                            pending_gap = 0.0;
                            text.push_str(&decoded);
                            last = decoded.chars().last();
                        }
                        let mut advance = font.width(code) * font.scale * size + state.char_spacing;
                        if !font.two_byte && code == 32 {
                            advance += state.word_spacing;
                        }
                        *tm = mul(&translate(advance * state.scaling, 0.0), tm);
                    }
                }
                other => {
                    if let Some(n) = number(other) {
                        let shift = -n / 1000.0 * size;
                        pending_gap += shift;
                        *tm = mul(&translate(shift * state.scaling, 0.0), tm);
                    }
                }
            }
        }
        let end = mul(&mul(&translate(0.0, state.rise), tm), &state.ctm);
        let trimmed = text.trim();
        if trimmed.is_empty() || !upright {
            return Ok(());
        }
        self.chars += trimmed.chars().count();
        if self.chars > MAX_CHARS {
            return Err(PdfError::TooMuchText { limit: MAX_CHARS });
        }
        page.runs.push(Run {
            x0: start[4],
            x1: end[4].max(start[4]),
            y: start[5],
            size: font_size,
            text: trimmed.to_string(),
        });
        Ok(())
    }

    /// The fonts named in the resource dictionaries (the first dictionary wins).
    fn fonts(&self, resources: &[&'d Dictionary]) -> HashMap<Vec<u8>, Font<'d>> {
        let doc = self.doc;
        let mut fonts = HashMap::new();
        for res in resources {
            let Some(dict) = res
                .get(b"Font")
                .ok()
                .and_then(|f| deref(doc, f))
                .and_then(|f| f.as_dict().ok())
            else {
                continue;
            };
            for (name, value) in dict.iter() {
                if fonts.contains_key(name) {
                    continue;
                }
                if let Some(font) = deref(doc, value).and_then(|f| f.as_dict().ok()) {
                    fonts.insert(name.clone(), font_info(doc, font));
                }
            }
        }
        fonts
    }
}

/// A character of a word written with spaces between words (Latin letters and digits).
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '%' | '.' | ',' | ')' | '(' | '-')
}

fn number(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
    .filter(|n| n.is_finite())
}

/// Follows one reference, if `o` is one.
fn deref<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Object> {
    match o {
        Object::Reference(id) => doc.get_object(*id).ok(),
        o => Some(o),
    }
}

/// The page's resource dictionaries, nearest first (inherited ones after).
fn page_resources(doc: &Document, id: ObjectId) -> Vec<&Dictionary> {
    let Ok((own, inherited)) = doc.get_page_resources(id) else {
        return Vec::new();
    };
    own.into_iter()
        .chain(
            inherited
                .into_iter()
                .filter_map(|r| doc.get_dictionary(r).ok()),
        )
        .collect()
}

/// `/MediaBox`, inherited from the page tree if the page has none.
fn media_box(doc: &Document, mut id: ObjectId) -> Option<[f64; 4]> {
    for _ in 0..32 {
        let dict = doc.get_dictionary(id).ok()?;
        if let Some(b) = dict
            .get(b"MediaBox")
            .ok()
            .and_then(|b| deref(doc, b))
            .and_then(|b| b.as_array().ok())
        {
            let n: Vec<f64> = b.iter().filter_map(number).collect();
            return (n.len() == 4).then(|| [n[0], n[1], n[2], n[3]]);
        }
        id = dict.get(b"Parent").ok()?.as_reference().ok()?;
    }
    None
}

fn font_info<'d>(doc: &'d Document, font: &'d Dictionary) -> Font<'d> {
    let subtype = font
        .get(b"Subtype")
        .and_then(Object::as_name)
        .unwrap_or(b"");
    let two_byte = subtype == b"Type0";
    // ToUnicode first: lopdf prefers /Encoding, whose glyph names (Type3 fonts' `/g12`) often
    // say nothing about the characters.
    let has_to_unicode = font.get(b"ToUnicode").is_ok();
    let encoding = if has_to_unicode {
        let mut only_to_unicode = Dictionary::new();
        only_to_unicode.set("Type", Object::Name(b"Font".to_vec()));
        if let Ok(t) = font.get(b"ToUnicode") {
            only_to_unicode.set("ToUnicode", t.clone());
        }
        // The map is owned: it outlives the temporary dictionary it was read through.
        match only_to_unicode.get_font_encoding_with_limit(doc, MAX_CONTENT) {
            Ok(Encoding::UnicodeMapEncoding(map)) => Some(Encoding::UnicodeMapEncoding(map)),
            _ => None,
        }
    } else if two_byte {
        // Without ToUnicode, only the predefined Unicode CMaps say what a code is.
        match font.get(b"Encoding").and_then(Object::as_name) {
            Ok(b"UniGB-UCS2-H" | b"UniGB-UTF16-H") => font.get_font_encoding(doc).ok(),
            _ => None,
        }
    } else {
        font.get_font_encoding_with_limit(doc, MAX_CONTENT).ok()
    };
    let mut widths = Vec::new();
    let mut default_width = 1000.0;
    let mut scale = 0.001;
    if two_byte {
        let descendant = font
            .get(b"DescendantFonts")
            .ok()
            .and_then(|d| deref(doc, d))
            .and_then(|d| d.as_array().ok())
            .and_then(|a| a.first())
            .and_then(|d| deref(doc, d))
            .and_then(|d| d.as_dict().ok());
        if let Some(cid) = descendant {
            if let Some(dw) = cid.get(b"DW").ok().and_then(number) {
                default_width = dw;
            }
            if let Some(w) = cid
                .get(b"W")
                .ok()
                .and_then(|w| deref(doc, w))
                .and_then(|w| w.as_array().ok())
            {
                widths = cid_widths(doc, w);
            }
        }
    } else {
        default_width = font
            .get(b"FontDescriptor")
            .ok()
            .and_then(|d| deref(doc, d))
            .and_then(|d| d.as_dict().ok())
            .and_then(|d| d.get(b"MissingWidth").ok())
            .and_then(number)
            .unwrap_or(500.0);
        let first = font.get(b"FirstChar").ok().and_then(number).unwrap_or(0.0) as u32;
        if let Some(w) = font
            .get(b"Widths")
            .ok()
            .and_then(|w| deref(doc, w))
            .and_then(|w| w.as_array().ok())
        {
            for (i, w) in w.iter().enumerate() {
                if let Some(w) = deref(doc, w).and_then(number) {
                    let code = first.saturating_add(i as u32);
                    widths.push((code, code, w));
                }
            }
        }
        if subtype == b"Type3"
            && let Some(m) = font.get(b"FontMatrix").ok().and_then(|m| m.as_array().ok())
            && let Some(a) = m.first().and_then(number)
        {
            scale = a.abs();
        }
    }
    widths.sort_by_key(|&(first, _, _)| first);
    Font {
        encoding,
        two_byte,
        widths,
        default_width,
        scale,
    }
}

/// A CIDFont's `/W` array: `c [w1 w2 …]` and `c_first c_last w` entries.
fn cid_widths(doc: &Document, w: &[Object]) -> Vec<(u32, u32, f64)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < w.len() {
        let Some(first) = number(&w[i]) else { break };
        let first = first.max(0.0) as u32;
        match w.get(i + 1).and_then(|o| deref(doc, o)) {
            Some(Object::Array(list)) => {
                for (k, v) in list.iter().enumerate() {
                    if let Some(v) = number(v) {
                        let code = first.saturating_add(k as u32);
                        out.push((code, code, v));
                    }
                }
                i += 2;
            }
            Some(o) => {
                let (Some(last), Some(v)) = (number(o), w.get(i + 2).and_then(number)) else {
                    break;
                };
                out.push((first, (last.max(0.0) as u32).max(first), v));
                i += 3;
            }
            None => break,
        }
    }
    out
}
