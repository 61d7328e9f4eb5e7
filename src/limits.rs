//! Shared by every stage that reads files: the limits that keep time and memory bounded whatever
//! the input, and the one way files are read under them.
//!
//! A file is only opened when it is a regular file (a FIFO would block the run forever, a device
//! such as `/dev/zero` never ends), and never more than its limit is read, whatever its metadata
//! claims. The README's "Limits" table lists every limit; keep the two in step.

use std::fs::Metadata;
use std::io::Read;
use std::path::Path;

/// Largest rulebook file read, in bytes (the built-in one is 16 KB).
pub const MAX_RULEBOOK_BYTES: u64 = 4 * 1024 * 1024;
/// Largest configuration file read, in bytes.
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;
/// Most rules in one rulebook file.
pub const MAX_RULES: usize = 2_000;
/// Deepest chain of `extends` (a rulebook extending one that extends another …).
pub const MAX_EXTENDS_DEPTH: usize = 16;

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// Not a regular file: what it is (`a FIFO`, `a character device` …).
    NotRegular(&'static str),
    /// Larger than the limit (`size`: at least this many bytes).
    TooLarge {
        size: u64,
        limit: u64,
    },
    Io(std::io::Error),
    /// Not UTF-8 (rulebooks and configurations must be): where, and what it looks like.
    NotUtf8 {
        /// Byte offset of the first byte that is not UTF-8.
        at: usize,
        /// Its 1-based line.
        line: usize,
        byte: u8,
        /// The encoding the file seems to be in (`GBK/GB18030`, `UTF-16`, `Big5`).
        looks_like: Option<&'static str>,
    },
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::NotRegular(kind) => write!(f, "{kind}, not a regular file"),
            ReadError::TooLarge { size, limit } => {
                write!(f, "the file is {size} bytes; the limit is {limit} bytes")
            }
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::NotUtf8 {
                at,
                line,
                byte,
                looks_like,
            } => {
                write!(
                    f,
                    "not UTF-8: byte {at} (line {line}) is 0x{byte:02X}, which UTF-8 does not allow there"
                )?;
                match looks_like {
                    Some(enc) => write!(
                        f,
                        "; the file looks like {enc}: save it as UTF-8 (in the editor, or with `iconv -f {} -t UTF-8`)",
                        match *enc {
                            "GBK/GB18030" => "GB18030",
                            "UTF-16" => "UTF-16",
                            other => other,
                        }
                    ),
                    None => write!(f, "; save the file as UTF-8"),
                }
            }
        }
    }
}

/// What a file that is not a regular file is, for messages; `None` for a regular file (and a
/// directory, which callers handle themselves).
pub fn irregular_kind(meta: &Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() || t.is_dir() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if t.is_char_device() {
            return Some("a character device");
        }
        if t.is_block_device() {
            return Some("a block device");
        }
        if t.is_socket() {
            return Some("a socket");
        }
    }
    if t.is_symlink() {
        return Some("a symbolic link");
    }
    Some("not a file")
}

/// Reads a regular file of at most `limit` bytes. Anything else is refused before it is opened
/// (symbolic links are followed: what counts is what they point at).
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    if meta.is_dir() {
        return Err(ReadError::NotRegular("a directory"));
    }
    if let Some(kind) = irregular_kind(&meta) {
        return Err(ReadError::NotRegular(kind));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    // The file may have grown (or be a special file passing as regular): read one byte past the
    // limit to know, never more.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// [`read_regular`] for text files that must be UTF-8 (rulebooks, configurations), with or
/// without a byte order mark. Anything else is refused with the first offending byte, its line
/// and the encoding the file seems to be in.
pub fn read_text(path: &Path, limit: u64) -> Result<String, ReadError> {
    let bytes = read_regular(path, limit)?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        let looks_like = if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
            Some("UTF-16")
        } else if encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(&bytes)
            .is_some()
        {
            Some("GBK/GB18030")
        } else if encoding_rs::BIG5
            .decode_without_bom_handling_and_without_replacement(&bytes)
            .is_some()
        {
            Some("Big5")
        } else {
            None
        };
        ReadError::NotUtf8 {
            at,
            line,
            byte: bytes[at],
            looks_like,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn devices_are_refused_before_reading() {
        let e = read_regular(Path::new("/dev/zero"), 10).unwrap_err();
        assert_eq!(e.to_string(), "a character device, not a regular file");
    }

    /// A rulebook saved in GBK: the byte, its line and the fix, not "stream did not contain
    /// valid UTF-8".
    #[test]
    fn gbk_is_named_with_the_byte_and_the_fix() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("gbk.yaml");
        let (gbk, _, _) = encoding_rs::GBK.encode("rulebook: x\ntitle: 法治政府\n");
        std::fs::write(&p, &gbk).unwrap();
        let e = read_text(&p, 1000).unwrap_err().to_string();
        assert!(
            e.starts_with("not UTF-8: byte 19 (line 2) is 0xB7")
                && e.contains("looks like GBK/GB18030")
                && e.contains("iconv -f GB18030 -t UTF-8"),
            "{e}"
        );
        let p = dir.path().join("bom.yaml");
        std::fs::write(&p, "\u{FEFF}rulebook: x\n").unwrap();
        assert!(read_text(&p, 1000).is_ok());
    }

    #[test]
    fn a_file_over_the_limit_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.yaml");
        std::fs::write(&p, "x".repeat(11)).unwrap();
        let e = read_regular(&p, 10).unwrap_err();
        assert_eq!(e.to_string(), "the file is 11 bytes; the limit is 10 bytes");
        assert_eq!(read_regular(&p, 11).unwrap().len(), 11);
    }
}
