//! Input stage: file paths as text, faithfully. A Unix file name is bytes and need not be UTF-8;
//! `Path::display` would turn such bytes into U+FFFD and name a file that does not exist. Here a
//! name that is not UTF-8 is written as a shell ANSI-C string (`$'caf\xe9.txt'`), which bash and
//! zsh turn back into the same bytes when it is pasted; [`bytes`] gives the bytes for URIs.

use std::path::Path;

/// The path for people: as it is when it is UTF-8, else `$'…'` with `\xHH` for each byte that is
/// not part of a UTF-8 character (and `\\`, `\'` for the two characters the quoting needs).
pub fn shown(path: &Path) -> String {
    if let Some(s) = path.to_str() {
        return s.to_string();
    }
    let bytes = bytes(path);
    let mut out = String::from("$'");
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\'' => out.push_str("\\'"),
                c if c.is_control() => out.push_str(&format!("\\x{:02x}", u32::from(c))),
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out.push('\'');
    out
}

/// The path's bytes: on Unix exactly the file name's; elsewhere its UTF-8 (lossy) form.
pub fn bytes(path: &Path) -> std::borrow::Cow<'_, [u8]> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        std::borrow::Cow::Borrowed(path.as_os_str().as_bytes())
    }
    #[cfg(not(unix))]
    {
        match path.to_string_lossy() {
            std::borrow::Cow::Borrowed(s) => std::borrow::Cow::Borrowed(s.as_bytes()),
            std::borrow::Cow::Owned(s) => std::borrow::Cow::Owned(s.into_bytes()),
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;

    #[test]
    fn utf8_names_are_shown_as_they_are() {
        assert_eq!(
            shown(Path::new("报告/辛庄镇 2023.txt")),
            "报告/辛庄镇 2023.txt"
        );
    }

    #[test]
    fn other_bytes_are_escaped_so_a_shell_gives_them_back() {
        // GBK `报告` is B1 A8 B8 E6: not UTF-8.
        let p = Path::new(OsStr::from_bytes(b"dir/\xb1\xa8\xb8\xe6 it's\\.txt"));
        assert_eq!(shown(p), r"$'dir/\xb1\xa8\xb8\xe6 it\'s\\.txt'");
        assert_eq!(&*bytes(p), b"dir/\xb1\xa8\xb8\xe6 it's\\.txt");
    }

    /// The escape read back as bash reads `$'…'`: the same bytes.
    #[test]
    fn the_escape_round_trips() {
        let raw: &[u8] = b"a\xff\xfe\xe5\x8a\x9e\n'\\b.txt";
        let s = shown(Path::new(OsStr::from_bytes(raw)));
        let inner = s.strip_prefix("$'").unwrap().strip_suffix('\'').unwrap();
        let mut back = Vec::new();
        let mut it = inner.bytes();
        while let Some(b) = it.next() {
            if b != b'\\' {
                back.push(b);
                continue;
            }
            match it.next().unwrap() {
                b'x' => {
                    let h = [it.next().unwrap(), it.next().unwrap()];
                    back.push(u8::from_str_radix(std::str::from_utf8(&h).unwrap(), 16).unwrap());
                }
                other => back.push(other),
            }
        }
        assert_eq!(back, raw);
    }
}
