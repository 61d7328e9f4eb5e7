//! Input stage: from paths on the command line to decoded report texts.
//!
//! Paths are files or directories; directories are walked (no symlinks followed) and sorted, so a
//! run is deterministic. Reports are picked by extension (`.txt`, `.md`, `.html`/`.htm`,
//! `.docx`, `.pdf`); other files are skipped and counted. Each file is read, size-checked, decoded
//! ([`decode`]) and, for HTML, DOCX and PDF, turned into plain text ([`html`], [`docx`], [`pdf`]). Problems are
//! [`InputError`]s naming the file and the place; the caller reports them and goes on.
//! Hands on: [`Source`] — the text and the heading hints its format gave.

pub mod decode;
pub mod docx;
pub mod extracted;
pub mod html;
pub mod html_depth;
mod path_text;
pub mod pdf;
mod pdf_layout;
mod radicals;
mod walk;

pub use extracted::{Extracted, HeadingHint};
pub use path_text::{bytes as path_bytes, shown};
pub use walk::{Collected, InputWarning, WalkOptions, collect};

use miette::Diagnostic;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Largest report read unless `--max-file-size` says otherwise, in bytes: no real report comes
/// near it, and a check holds about four times the report in memory.
pub const MAX_FILE_SIZE: u64 = 256 * 1024 * 1024;

/// The most `--max-file-size` may allow: offsets inside the model are 32-bit.
pub const LARGEST_FILE_SIZE: u64 = u32::MAX as u64;

/// Most lines a report may have. The model costs a few hundred bytes per heading or paragraph
/// whatever its length, so a file of a million `一、x` lines (8 MB) took 460 MB; at this limit
/// that worst case is under 100 MB. Real reports have a few hundred lines.
pub const MAX_LINES: usize = 200_000;

/// How reports are read: the encoding `--encoding` forces, and the size `--max-file-size` allows.
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions {
    pub encoding: Option<&'static encoding_rs::Encoding>,
    pub max_size: u64,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            encoding: None,
            max_size: MAX_FILE_SIZE,
        }
    }
}

/// The formats reports come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Text,
    Markdown,
    Html,
    Docx,
    Pdf,
}

impl Format {
    /// The format a file name announces, if it is a report at all.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "text" => Format::Text,
            "md" | "markdown" => Format::Markdown,
            "html" | "htm" | "xhtml" => Format::Html,
            "docx" => Format::Docx,
            "pdf" => Format::Pdf,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Pdf => "pdf",
        }
    }
}

/// One report, read and decoded.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    pub format: Format,
    /// The encoding the bytes were decoded from (`UTF-8`, `gb18030`, `Big5`…); DOCX is `UTF-8`,
    /// PDF is `PDF` (its fonts map characters to Unicode).
    pub encoding: &'static str,
    /// The text the model's spans point into: the file's text, or for HTML, DOCX and PDF the text
    /// extracted from them.
    pub text: String,
    pub heading_hints: Vec<HeadingHint>,
}

/// A file that could not be read as a report.
#[derive(Debug, Error, Diagnostic)]
pub enum InputError {
    #[error("{}: no such file or directory", shown(path))]
    #[diagnostic(
        code(input::not_found),
        help(
            "check the path; directories are searched for .txt, .md, .html, .htm, .docx and .pdf files"
        )
    )]
    NotFound { path: PathBuf },

    #[error("{}: symbolic link loop", shown(path))]
    #[diagnostic(
        code(input::symlink_loop),
        help("the link points, through other links, back at itself; fix or remove it")
    )]
    SymlinkLoop { path: PathBuf },

    #[error("{}: {kind}, not a regular file", shown(path))]
    #[diagnostic(
        code(input::not_regular),
        help(
            "reportlint reads report files; to check what a pipe or a program writes, pipe it into `reportlint check -`"
        )
    )]
    NotRegular { path: PathBuf, kind: &'static str },

    #[error("{}: no reports in this directory", shown(path))]
    #[diagnostic(
        code(input::no_reports),
        help(
            "reports are .txt, .md, .html, .htm, .docx and .pdf files; --hidden and --no-ignore read hidden and ignored ones (.gitignore, .ignore, node_modules, README.md) too"
        )
    )]
    NoReports { path: PathBuf },

    #[error("{}: cannot read: {message}", shown(path))]
    #[diagnostic(code(input::io))]
    Io { path: PathBuf, message: String },

    #[error("{}: {what}", shown(path))]
    #[diagnostic(
        code(input::empty),
        help("an annual report needs text; was the export or download interrupted?")
    )]
    Empty { path: PathBuf, what: &'static str },

    #[error(
        "{}: binary data at byte {offset}; this is not a text report",
        shown(path)
    )]
    #[diagnostic(
        code(input::binary),
        help(
            "reports are read from .txt, .md, .html, .docx and .pdf files; convert other formats to text first"
        )
    )]
    Binary { path: PathBuf, offset: usize },

    #[error("{}: invalid {encoding} at byte {offset} (line {line})", shown(path))]
    #[diagnostic(
        code(input::encoding),
        help(
            "if the file is in another encoding, name it with --encoding (gb18030, big5, utf-16le, …)"
        )
    )]
    Invalid {
        path: PathBuf,
        encoding: &'static str,
        offset: usize,
        line: usize,
    },

    #[error(
        "{}: cannot tell the encoding: not UTF-8 (invalid byte at {offset}) and not GB18030 or Big5 either (closest guess: {guess})",
        shown(path)
    )]
    #[diagnostic(
        code(input::encoding),
        help("name the encoding with --encoding, or convert the file to UTF-8")
    )]
    Unrecognised {
        path: PathBuf,
        offset: usize,
        guess: &'static str,
    },

    #[error(
        "{}: the file is {size} bytes; the limit is {limit} bytes",
        shown(path)
    )]
    #[diagnostic(
        code(input::too_large),
        help(
            "check that it really is one report, or raise the limit with --max-file-size \
             (for example --max-file-size 1G; below 4G)"
        )
    )]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },

    /// An input beyond one of the limits that keep time and memory bounded.
    #[error("{}: {message}", shown(path))]
    #[diagnostic(code(input::limit), help("{hint}"))]
    Limit {
        path: PathBuf,
        message: String,
        hint: String,
    },

    #[error("{}: not a readable DOCX: {message}", shown(path))]
    #[diagnostic(
        code(input::docx),
        help("save the document again as .docx (Word 2007 or later), or export it as text")
    )]
    Docx { path: PathBuf, message: String },

    #[error("{}: {message}", shown(path))]
    #[diagnostic(
        code(input::pdf_no_text),
        help("a scanned report must go through OCR (e.g. ocrmypdf) before it can be checked")
    )]
    PdfNoText { path: PathBuf, message: String },

    #[error("{}: {message}", shown(path))]
    #[diagnostic(
        code(input::pdf_encrypted),
        help("ask for an unprotected copy, or save one without a password, and check that")
    )]
    PdfEncrypted { path: PathBuf, message: String },

    #[error("{}: {message}", shown(path))]
    #[diagnostic(
        code(input::pdf),
        help("download or export the PDF again; if it keeps failing, export the report as text")
    )]
    Pdf { path: PathBuf, message: String },
}

impl InputError {
    /// The input the error is about.
    pub fn path(&self) -> &Path {
        use InputError::*;
        match self {
            NotFound { path }
            | SymlinkLoop { path }
            | NotRegular { path, .. }
            | NoReports { path }
            | Io { path, .. }
            | Empty { path, .. }
            | Binary { path, .. }
            | Invalid { path, .. }
            | Unrecognised { path, .. }
            | TooLarge { path, .. }
            | Limit { path, .. }
            | Docx { path, .. }
            | PdfNoText { path, .. }
            | PdfEncrypted { path, .. }
            | Pdf { path, .. } => path,
        }
    }
}

/// The path that stands for standard input on the command line.
pub const STDIN: &str = "-";

/// Reads a report from standard input (`-` on the command line), bounded like a file; `name` is
/// what it is called in messages.
pub fn load_stdin(name: &Path, format: Format, opts: ReadOptions) -> Result<Source, InputError> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(opts.max_size + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| InputError::Io {
            path: name.to_path_buf(),
            message: format!("standard input: {e}"),
        })?;
    if bytes.len() as u64 > opts.max_size {
        return Err(InputError::TooLarge {
            path: name.to_path_buf(),
            size: bytes.len() as u64,
            limit: opts.max_size,
        });
    }
    from_bytes(name, format, &bytes, opts.encoding)
}

/// Reads and decodes one report.
pub fn load(path: &Path, format: Format, opts: ReadOptions) -> Result<Source, InputError> {
    use crate::limits::{ReadError, read_regular};
    // Never opened unless regular (a FIFO would block, a device never end), and never read past
    // the limit, whatever the metadata said.
    let bytes = read_regular(path, opts.max_size).map_err(|e| match e {
        ReadError::NotRegular(kind) => InputError::NotRegular {
            path: path.to_path_buf(),
            kind,
        },
        ReadError::TooLarge { size, limit } => InputError::TooLarge {
            path: path.to_path_buf(),
            size,
            limit,
        },
        other => InputError::Io {
            path: path.to_path_buf(),
            message: other.to_string(),
        },
    })?;
    from_bytes(path, format, &bytes, opts.encoding)
}

/// The error for input without text: zero bytes, or only blank space.
fn empty(path: PathBuf, bytes: &[u8]) -> InputError {
    let what = if bytes.is_empty() {
        "the file is empty (0 bytes)"
    } else {
        "the file holds only blank space"
    };
    InputError::Empty { path, what }
}

/// Decodes a report from bytes already in memory (used by `load` and by tests).
pub fn from_bytes(
    path: &Path,
    format: Format,
    bytes: &[u8],
    forced: Option<&'static encoding_rs::Encoding>,
) -> Result<Source, InputError> {
    let path_buf = path.to_path_buf();
    if bytes.len() as u64 > LARGEST_FILE_SIZE {
        return Err(InputError::TooLarge {
            path: path_buf,
            size: bytes.len() as u64,
            limit: LARGEST_FILE_SIZE,
        });
    }
    let (extracted, encoding) = if format == Format::Docx {
        if bytes.is_empty() {
            return Err(empty(path_buf, bytes));
        }
        let e = docx::extract_docx(bytes).map_err(|e| InputError::Docx {
            path: path_buf.clone(),
            message: e.to_string(),
        })?;
        (e, "UTF-8")
    } else if format == Format::Pdf {
        if bytes.is_empty() {
            return Err(empty(path_buf, bytes));
        }
        let e = pdf::extract_pdf(bytes).map_err(|e| {
            let message = e.to_string();
            let path = path_buf.clone();
            match e {
                pdf::PdfError::NoTextLayer { .. } | pdf::PdfError::NoUnicode { .. } => {
                    InputError::PdfNoText { path, message }
                }
                pdf::PdfError::Encrypted => InputError::PdfEncrypted { path, message },
                _ => InputError::Pdf { path, message },
            }
        })?;
        (e, "PDF")
    } else {
        let (text, enc) = decode::decode(bytes, forced).map_err(|e| match e {
            decode::DecodeError::Empty => empty(path_buf.clone(), bytes),
            decode::DecodeError::Binary { offset } => InputError::Binary {
                path: path_buf.clone(),
                offset,
            },
            decode::DecodeError::Invalid { encoding, offset } => InputError::Invalid {
                path: path_buf.clone(),
                encoding,
                offset,
                line: 1 + bytes[..offset.min(bytes.len())]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count(),
            },
            decode::DecodeError::Unrecognised { offset, guess } => InputError::Unrecognised {
                path: path_buf.clone(),
                offset,
                guess,
            },
        })?;
        let extracted = match format {
            Format::Html => html::extract_html(&text).map_err(|e| InputError::Limit {
                path: path_buf.clone(),
                message: format!(
                    "HTML elements nested deeper than {} (line {})",
                    html_depth::MAX_HTML_DEPTH,
                    e.line
                ),
                hint: "the limit is fixed: no report nests this deeply; save the page again or as text"
                    .into(),
            })?,
            Format::Markdown => Extracted {
                heading_hints: markdown_hints(&text),
                text,
            },
            _ => Extracted {
                text,
                heading_hints: Vec::new(),
            },
        };
        (extracted, enc.name())
    };
    let lines = line_count(&extracted.text);
    if lines > MAX_LINES {
        return Err(InputError::Limit {
            path: path_buf,
            message: format!("the report has {lines} lines; the limit is {MAX_LINES}"),
            hint: "no report is this long: check that the file holds one report, and split it \
                   if it holds several"
                .into(),
        });
    }
    if extracted.text.trim().is_empty() {
        return Err(InputError::Empty {
            path: path_buf,
            what: match format {
                Format::Text | Format::Markdown => "the file holds only blank space",
                Format::Html => "the page has no text (only markup, scripts or blank space)",
                Format::Docx | Format::Pdf => "the document has no text",
            },
        });
    }
    Ok(Source {
        path: path_buf,
        format,
        encoding,
        text: extracted.text,
        heading_hints: extracted.heading_hints,
    })
}

/// Lines of a text: its line breaks, and one more for a last line without one.
fn line_count(text: &str) -> usize {
    let breaks = text.bytes().filter(|&b| b == b'\n').count();
    breaks + usize::from(!text.is_empty() && !text.ends_with('\n'))
}

/// `# …` to `###### …` lines of a Markdown file, as heading hints.
fn markdown_hints(text: &str) -> Vec<HeadingHint> {
    text.lines()
        .enumerate()
        .filter_map(|(line, l)| {
            let hashes = l.bytes().take_while(|&b| b == b'#').count();
            ((1..=6).contains(&hashes) && l[hashes..].starts_with([' ', '\u{3000}'])).then_some(
                HeadingHint {
                    line,
                    level: hashes as u8,
                },
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension() {
        assert_eq!(Format::from_path(Path::new("a/b.TXT")), Some(Format::Text));
        assert_eq!(Format::from_path(Path::new("b.htm")), Some(Format::Html));
        assert_eq!(Format::from_path(Path::new("b.docx")), Some(Format::Docx));
        assert_eq!(Format::from_path(Path::new("b.md")), Some(Format::Markdown));
        assert_eq!(Format::from_path(Path::new("b.PDF")), Some(Format::Pdf));
        assert_eq!(Format::from_path(Path::new("README")), None);
    }

    #[test]
    fn a_report_over_the_line_limit_is_refused_by_name() {
        let at_limit = "一、x\n".repeat(MAX_LINES);
        assert!(from_bytes(Path::new("a.txt"), Format::Text, at_limit.as_bytes(), None).is_ok());
        let over = format!("{at_limit}x");
        let e = from_bytes(Path::new("a.txt"), Format::Text, over.as_bytes(), None).unwrap_err();
        assert!(matches!(e, InputError::Limit { .. }), "{e:?}");
        assert_eq!(
            e.to_string(),
            format!(
                "a.txt: the report has {} lines; the limit is {MAX_LINES}",
                MAX_LINES + 1
            )
        );
        assert_eq!(line_count(""), 0);
        assert_eq!(line_count("a"), 1);
        assert_eq!(line_count("a\nb\n"), 2);
    }

    #[test]
    fn markdown_headings_become_hints() {
        let hints = markdown_hints("# 标题\n正文\n## 一、总体\n#不是标题\n");
        assert_eq!(
            hints,
            vec![
                HeadingHint { line: 0, level: 1 },
                HeadingHint { line: 2, level: 2 }
            ]
        );
    }
}
