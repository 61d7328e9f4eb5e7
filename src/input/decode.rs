//! Input stage: bytes to text.
//!
//! Accepts UTF-8 (with or without BOM), UTF-16 with a BOM, GB18030/GBK and Big5. Without a BOM the
//! bytes are tried as strict UTF-8 first; otherwise chardetng guesses among the legacy encodings and
//! only a Chinese guess is accepted. `--encoding` forces one. Empty, binary and undecodable input is
//! refused with the offset of the first offending byte. Hands on: the text and the encoding's name.

use encoding_rs::{BIG5, DecoderResult, Encoding, GB18030, GBK, UTF_8, UTF_16BE, UTF_16LE};

/// Why bytes could not become text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// No bytes, or nothing but white space.
    Empty,
    /// A NUL or too many control characters: not a text file.
    Binary { offset: usize },
    /// Bytes that are not valid in the encoding used.
    Invalid {
        encoding: &'static str,
        offset: usize,
    },
    /// Not UTF-8, and not recognisably GB18030 or Big5 either.
    Unrecognised { offset: usize, guess: &'static str },
}

/// Looks up an encoding by a label users type: `utf-8`, `gbk`, `gb18030`, `big5`, `utf-16le`…
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    let enc = Encoding::for_label(label.trim().as_bytes())?;
    // encoding_rs decodes GBK as GB18030 (a superset); name it for what it does.
    Some(if enc == GBK { GB18030 } else { enc })
}

/// Decodes a report's bytes.
pub fn decode(
    bytes: &[u8],
    forced: Option<&'static Encoding>,
) -> Result<(String, &'static Encoding), DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    let (text, enc) = if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        if forced.is_some_and(|f| f != enc) {
            strict(forced.unwrap(), bytes)?
        } else {
            strict(enc, &bytes[bom..])?
        }
    } else {
        if let Some(offset) = memchr_nul(bytes) {
            // NULs are the ASCII characters of UTF-16 written without a BOM.
            if forced.is_none()
                && let Some(decoded) = utf16_without_bom(bytes)
            {
                return Ok(decoded);
            }
            if forced.is_none_or(|f| f != UTF_16LE && f != UTF_16BE) {
                return Err(DecodeError::Binary { offset });
            }
        }
        match forced {
            Some(enc) => strict(enc, bytes)?,
            None => guess(bytes)?,
        }
    };
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    if let Some(offset) = control_heavy(&text) {
        return Err(DecodeError::Binary { offset });
    }
    Ok((text, enc))
}

/// UTF-16 without a BOM: an even number of bytes that decode strictly, in the byte order where
/// the NULs fall, to text that reads as Chinese or ASCII (binary data decodes to a scatter of
/// rare characters and controls).
fn utf16_without_bom(bytes: &[u8]) -> Option<(String, &'static Encoding)> {
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    let nul_at = |parity: usize| {
        bytes
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    // ASCII in UTF-16LE is `x 00`: NULs at odd offsets.
    let enc = if nul_at(1) > nul_at(0) {
        UTF_16LE
    } else {
        UTF_16BE
    };
    let (text, enc) = strict(enc, bytes).ok()?;
    let mut total = 0usize;
    let mut readable = 0usize;
    for c in text.chars() {
        total += 1;
        let ok = matches!(c, '\t' | '\n' | '\r' | ' '..='~')
            || ('\u{3000}'..='\u{9FFF}').contains(&c)
            || ('\u{FF00}'..='\u{FFEF}').contains(&c)
            || ('\u{2000}'..='\u{206F}').contains(&c);
        readable += usize::from(ok);
    }
    (readable * 100 >= total * 95).then_some((text, enc))
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(0, bytes)
}

/// Whether a text may hold a control character other than tab, line breaks and form feed: a C0
/// byte, DEL, or the lead byte `C2` of U+0080–U+009F (and of other Latin-1 characters). A byte
/// test the compiler vectorises, so that ordinary text skips the per-character count.
fn may_hold_controls(text: &str) -> bool {
    text.bytes().fold(false, |seen, b| {
        seen | (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)) | (b == 0x7F) | (b == 0xC2)
    })
}

/// More than 1 % control characters (other than tab, line breaks and form feed) means binary.
fn control_heavy(text: &str) -> Option<usize> {
    if !may_hold_controls(text) {
        return None;
    }
    let mut controls = 0usize;
    let mut first = None;
    let mut total = 0usize;
    for (i, c) in text.char_indices() {
        total += 1;
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{000C}') {
            controls += 1;
            first.get_or_insert(i);
        }
    }
    (controls * 100 > total).then(|| first.unwrap_or(0))
}

fn strict(
    enc: &'static Encoding,
    bytes: &[u8],
) -> Result<(String, &'static Encoding), DecodeError> {
    if enc == UTF_8 {
        return match std::str::from_utf8(bytes) {
            Ok(s) => Ok((s.to_string(), UTF_8)),
            Err(e) => Err(DecodeError::Invalid {
                encoding: UTF_8.name(),
                offset: e.valid_up_to(),
            }),
        };
    }
    let mut decoder = enc.new_decoder_without_bom_handling();
    let cap = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len() * 3);
    let mut out = String::with_capacity(cap);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
    match result {
        DecoderResult::InputEmpty => Ok((out, enc)),
        DecoderResult::Malformed(bad, extra) => Err(DecodeError::Invalid {
            encoding: enc.name(),
            offset: read.saturating_sub(bad as usize + extra as usize),
        }),
        DecoderResult::OutputFull => Err(DecodeError::Invalid {
            encoding: enc.name(),
            offset: read,
        }),
    }
}

/// How much of a file the encoding guess looks at: plenty to tell GB18030 from Big5, and it keeps
/// detection from dominating the run time on large files. The chosen decoder still checks every
/// byte.
const SAMPLE: usize = 16 * 1024;

/// A sample cut at an ASCII byte, so that a two-byte character is not split at its end.
fn cut_at_char_boundary(sample: &[u8]) -> &[u8] {
    match sample.iter().rposition(|b| b.is_ascii()) {
        Some(i) if i + 1 < sample.len() && sample.len() >= SAMPLE => &sample[..=i],
        _ => sample,
    }
}

fn guess(bytes: &[u8]) -> Result<(String, &'static Encoding), DecodeError> {
    let utf8_error = match std::str::from_utf8(bytes) {
        Ok(s) => return Ok((s.to_string(), UTF_8)),
        Err(e) => e.valid_up_to(),
    };
    // Mostly valid UTF-8 with a few broken bytes is damaged UTF-8, not another encoding: GBK or
    // Big5 text almost never contains valid multi-byte UTF-8 sequences. A prefix tells.
    let sample = &bytes[..bytes.len().min(SAMPLE)];
    if damaged_utf8(sample) {
        return Err(DecodeError::Invalid {
            encoding: UTF_8.name(),
            offset: utf8_error,
        });
    }
    // Simplified text in GBK nearly always has byte pairs Big5 cannot decode: then there is
    // nothing to guess. Only text that could be either goes to chardetng.
    if strict(BIG5, cut_at_char_boundary(sample)).is_err() {
        match strict(GB18030, bytes) {
            Ok(decoded) => return Ok(decoded),
            // Damaged GB18030 is named as such, at the damage, when what comes before it reads
            // as GB18030: guessing on the whole sample would be thrown off by the broken bytes.
            Err(DecodeError::Invalid { offset, .. }) if reads_as_gbk(&bytes[..offset]) => {
                return Err(DecodeError::Invalid {
                    encoding: GB18030.name(),
                    offset,
                });
            }
            Err(_) => {}
        }
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(sample, sample.len() == bytes.len());
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    let enc = if guess == GBK || guess == GB18030 {
        GB18030
    } else if guess == BIG5 {
        BIG5
    } else if guess == UTF_16LE || guess == UTF_16BE {
        guess
    } else {
        return Err(DecodeError::Unrecognised {
            offset: utf8_error,
            guess: guess.name(),
        });
    };
    strict(enc, bytes)
}

/// Whether a sample that is not UTF-8 is UTF-8 with a few broken bytes: at least 8 valid
/// multi-byte characters for each broken sequence (as `String::from_utf8_lossy` would replace
/// them). GBK or Big5 text breaks within its first bytes, so the count stops as soon as the rest
/// of the sample could not make up for what is broken.
fn damaged_utf8(sample: &[u8]) -> bool {
    let (mut broken, mut multibyte) = (0usize, 0usize);
    let mut left = sample.len();
    for chunk in sample.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\u{FFFD}' => broken += 1,
                '\u{80}'.. => multibyte += 1,
                _ => {}
            }
        }
        broken += usize::from(!chunk.invalid().is_empty());
        left -= chunk.valid().len() + chunk.invalid().len();
        // Every character still to come is at least two bytes long if it counts.
        if multibyte + left / 2 < 8 * broken.max(1) {
            return false;
        }
    }
    multibyte >= 8 * broken.max(1)
}

/// Whether chardetng, shown the valid start of a file, takes it for GBK.
fn reads_as_gbk(prefix: &[u8]) -> bool {
    let sample = cut_at_char_boundary(&prefix[..prefix.len().min(SAMPLE)]);
    if sample.is_ascii() {
        return false;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(sample, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    guess == GBK || guess == GB18030
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str =
        "张家港市杨舍镇人民政府：2023年法治政府建设情况报告。全年共计调处纠纷12910起。";

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode(TEXT.as_bytes(), None).unwrap().0, TEXT);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(TEXT.as_bytes());
        assert_eq!(decode(&bom, None).unwrap().0, TEXT);
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in TEXT.encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let (text, enc) = decode(&bytes, None).unwrap();
        assert_eq!(text, TEXT);
        assert_eq!(enc, UTF_16LE);
    }

    #[test]
    fn gb18030_and_big5_are_detected() {
        let (gbk, _, _) = GB18030.encode(TEXT);
        let (text, enc) = decode(&gbk, None).unwrap();
        assert_eq!((text.as_str(), enc.name()), (TEXT, "gb18030"));

        let trad = "張家港市楊舍鎮人民政府：經開區法治政府建設情況報告。全年共計調處糾紛12910起。";
        let (big5, _, unmappable) = BIG5.encode(trad);
        assert!(!unmappable);
        let (text, enc) = decode(&big5, None).unwrap();
        assert_eq!((text.as_str(), enc.name()), (trad, "Big5"));
    }

    #[test]
    fn bad_input_is_refused_with_an_offset() {
        assert_eq!(decode(b"", None), Err(DecodeError::Empty));
        assert_eq!(decode(b" \n\t\n", None), Err(DecodeError::Empty));
        assert_eq!(
            decode(b"PK\x03\x04\x00\x00", None),
            Err(DecodeError::Binary { offset: 4 })
        );
        let mut damaged = TEXT.as_bytes().to_vec();
        damaged.insert(12, 0xFF);
        assert_eq!(
            decode(&damaged, None),
            Err(DecodeError::Invalid {
                encoding: "UTF-8",
                offset: 12
            })
        );
        assert!(matches!(
            decode(&damaged, Some(UTF_8)),
            Err(DecodeError::Invalid { offset: 12, .. })
        ));
    }

    /// A stray byte at 200 in GB18030 text was reported as "cannot tell the encoding … closest
    /// guess windows-1252" at byte 2; it is damaged GB18030, at byte 200.
    #[test]
    fn damaged_gb18030_is_named_at_the_damage() {
        let text = format!("{TEXT}\n").repeat(8);
        let (mut gbk, _, _) = GB18030.encode(&text);
        let at = (200..)
            .find(|&i| {
                GB18030
                    .decode_without_bom_handling_and_without_replacement(&gbk[..i])
                    .is_some()
            })
            .unwrap();
        gbk.to_mut().insert(at, 0xFF);
        assert_eq!(
            decode(&gbk, None),
            Err(DecodeError::Invalid {
                encoding: "gb18030",
                offset: at
            })
        );
    }

    /// UTF-16 without a BOM has NULs (its ASCII characters) and was called binary.
    #[test]
    fn utf16_without_bom_is_read() {
        let text = format!("{TEXT}\n2023年12月31日\n");
        for (enc, bytes) in [
            (
                UTF_16LE,
                text.encode_utf16()
                    .flat_map(u16::to_le_bytes)
                    .collect::<Vec<u8>>(),
            ),
            (
                UTF_16BE,
                text.encode_utf16().flat_map(u16::to_be_bytes).collect(),
            ),
        ] {
            assert_eq!(decode(&bytes, None), Ok((text.clone(), enc)));
        }
        // Real binary data with NULs is still binary.
        let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec();
        png.extend_from_slice(&[0u8; 64]);
        assert_eq!(decode(&png, None), Err(DecodeError::Binary { offset: 8 }));
    }

    #[test]
    fn forced_encoding_wins() {
        let (gbk, _, _) = GB18030.encode(TEXT);
        assert!(decode(&gbk, Some(UTF_8)).is_err());
        assert_eq!(decode(&gbk, Some(GB18030)).unwrap().0, TEXT);
        assert_eq!(encoding_for_label("GBK"), Some(GB18030));
        assert_eq!(encoding_for_label("big5"), Some(BIG5));
        assert_eq!(encoding_for_label("klingon"), None);
    }

    proptest::proptest! {
        /// The early-stopping count of broken UTF-8 agrees with counting `from_utf8_lossy`'s
        /// replacement characters.
        #[test]
        fn damaged_utf8_agrees_with_the_lossy_count(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    // Mostly valid Chinese, so that both answers come up.
                    30 => proptest::strategy::Just(b"\xe6\xb3\x95".to_vec()),
                    30 => proptest::strategy::Just(b"\xc3\xa9".to_vec()),
                    1 => proptest::strategy::Just(b"\xb7\xa8".to_vec()),
                    1 => proptest::strategy::Just(b"\xef\xbf\xbd".to_vec()),
                    1 => proptest::strategy::Just(b"a".to_vec()),
                    1 => proptest::strategy::Just(b"\xe6\xb3".to_vec()),
                ],
                0..120,
            )
        ) {
            let sample = parts.concat();
            let lossy = String::from_utf8_lossy(&sample);
            let broken = lossy.chars().filter(|&c| c == '\u{FFFD}').count();
            let multibyte = lossy.chars().filter(|&c| c > '\u{7F}' && c != '\u{FFFD}').count();
            proptest::prop_assert_eq!(damaged_utf8(&sample), multibyte >= 8 * broken.max(1));
        }

        /// The byte pre-test never misses a control character the count would see.
        #[test]
        fn the_control_pretest_misses_nothing(text in "(\\PC|[\\x00-\\x1F\\x7F\\u{80}-\\u{9F}·一二]){0,40}") {
            let has_control = text
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{000C}'));
            proptest::prop_assert!(!has_control || may_hold_controls(&text));
        }
    }
}
