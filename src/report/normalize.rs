//! Report stage, step 1: the normalised view of a report's original text.
//!
//! Matching (headings, figures, later the rule language's regexes) runs on a *normalised* copy of
//! the text so that one pattern matches every way reports write the same thing:
//!
//! - traditional characters become simplified (`楊舍鎮` → `杨舍镇`), one character for one, by
//!   `fast2s`, so the conversion never moves an offset;
//! - full-width ASCII, digits, `％` and punctuation become half-width (`（一）` → `(一)`,
//!   `１００％` → `100%`, `，` → `,`, `：` → `:`, `．` → `.`), U+3000 and other exotic spaces become
//!   an ASCII space, `\r\n` and `\r` become `\n`, zero-width characters and BOMs are dropped;
//! - runs of horizontal white space are dropped where they touch a CJK character, a line end or the
//!   text's ends (`专题学法 4 次` → `专题学法4次`, `建设 情况报告` → `建设情况报告`), and are
//!   collapsed to one space elsewhere (`work  提示` keeps nothing, `i 常熟` keeps nothing,
//!   `a  b` → `a b`).
//!
//! What it hands on: [`Normalized`], the normalised text plus an [`OffsetMap`] from every
//! normalised byte offset back to a byte offset of the original. Every span the report model
//! exposes is a range of the *original* text obtained through this map.

/// The normalised text and the way back to the original.
#[derive(Debug, Clone)]
pub struct Normalized {
    /// Shared: evaluation and every rule read it without copying.
    pub text: std::sync::Arc<str>,
    pub map: OffsetMap,
}

/// Maps normalised byte offsets to original byte offsets.
///
/// Stored as checkpoints `(normalised, original)`; between two checkpoints both texts advance by
/// the same number of bytes. A character whose normalised form has another length, and a deleted
/// run of white space, each add checkpoints. A deletion adds two checkpoints at the same normalised
/// offset (before and after the deleted run), which is why there are two lookups: a span's start
/// skips deleted text forward, a span's end stops before it.
#[derive(Debug, Clone)]
pub struct OffsetMap {
    points: Vec<(u32, u32)>,
    norm_len: u32,
}

impl OffsetMap {
    /// Original offset for a normalised offset used as the *start* of a span.
    pub fn start(&self, norm: usize) -> usize {
        let norm = norm.min(self.norm_len as usize) as u32;
        let idx = self.points.partition_point(|&(n, _)| n <= norm);
        let (n, o) = self.points[idx.saturating_sub(1)];
        (o + (norm - n)) as usize
    }

    /// Original offset for a normalised offset used as the *end* of a span.
    pub fn end(&self, norm: usize) -> usize {
        let norm = norm.min(self.norm_len as usize) as u32;
        let idx = self.points.partition_point(|&(n, _)| n < norm);
        if let Some(&(n, o)) = self.points.get(idx)
            && n == norm
        {
            return o as usize;
        }
        let (n, o) = self.points[idx.saturating_sub(1)];
        (o + (norm - n)) as usize
    }

    /// The original byte range of a normalised byte range.
    pub fn range(&self, norm: std::ops::Range<usize>) -> std::ops::Range<usize> {
        let start = self.start(norm.start);
        let end = self.end(norm.end).max(start);
        start..end
    }
}

/// Largest original text the map can address (offsets are stored as `u32`).
pub const MAX_TEXT_LEN: usize = u32::MAX as usize - 1;

/// Builds the normalised view of `original`. Linear in its length.
///
/// # Panics
/// Never on text shorter than [`MAX_TEXT_LEN`]; the input stage refuses larger files first.
pub fn normalize(original: &str) -> Normalized {
    normalize_with(original, true)
}

/// `runs`: copy runs of characters that stay as they are (Han, ASCII other than white space and
/// `(`) in one step; without it every character goes through [`classify`] (the reference the
/// tests hold the fast path to).
fn normalize_with(original: &str, runs: bool) -> Normalized {
    assert!(
        original.len() <= MAX_TEXT_LEN,
        "text too large to normalise"
    );
    let mut b = Builder {
        out: String::with_capacity(original.len()),
        points: vec![(0, 0)],
        delta: 0,
        pending_ws: None,
        last: None,
    };
    let bytes = original.as_bytes();
    let mut pos = 0;
    while pos < original.len() {
        if runs && b.pending_ws.is_none() {
            let run = unchanged_run(&bytes[pos..]);
            if run > 0 {
                b.emit_unchanged(&original[pos..pos + run], pos as u32);
                pos += run;
                continue;
            }
        }
        let Some(c) = original[pos..].chars().next() else {
            break;
        };
        let o = pos as u32;
        let olen = c.len_utf8() as u32;
        pos += c.len_utf8();
        match classify(c) {
            Kind::Drop => b.delete(o, olen),
            Kind::Space => b.space(o, olen),
            Kind::CarriageReturn => {
                if bytes.get(pos) == Some(&b'\n') {
                    b.delete(o, olen);
                } else {
                    b.emit('\n', o, olen);
                }
            }
            // `機(jī)關(guān)`: mirror sites gloss characters with pinyin; the gloss is not text
            // (nor is white space between the character and its gloss).
            Kind::Char('(')
                if b.last.is_some_and(is_han) && pinyin_gloss(&original[o as usize..]) > 0 =>
            {
                pos = b.drop_gloss(original, o as usize);
            }
            Kind::Char(n) => b.emit(n, o, olen),
        }
    }
    b.finish(original.len() as u32)
}

/// How many bytes at the start of `bytes` are characters that normalise to themselves and need
/// no look around: printable ASCII other than `(` (which may open a pinyin gloss), and characters
/// U+4000–U+9FFF (lead bytes E4–E9). The first other byte is never a continuation byte, so the
/// run ends at a character boundary.
fn unchanged_run(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .position(|&b| !matches!(b, 0x21..=0x27 | 0x29..=0x7E | 0x80..=0xBF | 0xE4..=0xE9))
        .unwrap_or(bytes.len())
}

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// The length in bytes of a pinyin gloss at the start of `rest` (`(jī)`, `(guān)`), or 0: one to
/// seven Latin letters in parentheses, at least one of them with a tone mark, so that `(a)` or
/// `(PPP)` are never taken for one. Characters are read as normalised (`（`, `）` and full-width
/// letters count as their ASCII forms, zero-width characters are skipped), so that text
/// normalised once has the same glosses as before, and normalising again changes nothing.
fn pinyin_gloss(rest: &str) -> usize {
    const TONED: &str = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü";
    let mut chars = rest
        .char_indices()
        .filter(|&(_, c)| !matches!(classify(c), Kind::Drop));
    if !chars
        .next()
        .is_some_and(|(_, c)| matches!(classify(c), Kind::Char('(')))
    {
        return 0;
    }
    let (mut letters, mut toned) = (0, false);
    for (i, c) in chars {
        let Kind::Char(n) = classify(c) else {
            return 0;
        };
        match n {
            ')' if letters > 0 && toned => return i + c.len_utf8(),
            'a'..='z' if letters < 7 => letters += 1,
            n if letters < 7 && TONED.contains(n) => {
                letters += 1;
                toned = true;
            }
            _ => return 0,
        }
    }
    0
}

/// Traditional to simplified, after white space is settled: fast2s looks at a character's
/// neighbours for a few words (`看著` → `看着`), so converting after spaces are dropped keeps
/// normalising idempotent. fast2s yields one character per character; a replacement of another
/// UTF-8 length (none is known) is refused so that the offset map stays exact.
fn to_simplified(text: String) -> String {
    if !super::traditional::may_change(&text) {
        return text;
    }
    let converted = fast2s::convert(&text);
    if converted == text {
        return text;
    }
    // Character for character of the same length (always, so far): the converted text is the
    // answer, and no third copy of a large report is made.
    if converted.len() == text.len()
        && text
            .chars()
            .zip(converted.chars())
            .all(|(t, s)| t.len_utf8() == s.len_utf8())
    {
        return converted;
    }
    text.chars()
        .zip(converted.chars())
        .map(|(t, s)| if t.len_utf8() == s.len_utf8() { s } else { t })
        .collect()
}

enum Kind {
    Drop,
    Space,
    CarriageReturn,
    Char(char),
}

fn classify(c: char) -> Kind {
    match c {
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => Kind::Drop,
        ' '
        | '\t'
        | '\u{000B}'
        | '\u{000C}'
        | '\u{00A0}'
        | '\u{1680}'
        | '\u{2000}'..='\u{200A}'
        | '\u{202F}'
        | '\u{205F}'
        | '\u{3000}' => Kind::Space,
        '\r' => Kind::CarriageReturn,
        // Full-width forms of ASCII ！ … ～ (includes digits, letters, ％（），：；．).
        '\u{FF01}'..='\u{FF5E}' => Kind::Char(char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)),
        '\u{FE50}' => Kind::Char(','),
        '\u{FE51}' | '\u{FF64}' => Kind::Char('、'),
        '\u{FE52}' => Kind::Char('.'),
        '\u{FE54}' => Kind::Char(';'),
        '\u{FE55}' => Kind::Char(':'),
        '\u{FE59}' => Kind::Char('('),
        '\u{FE5A}' => Kind::Char(')'),
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2212}' => Kind::Char('-'),
        '\u{FF61}' => Kind::Char('。'),
        _ => Kind::Char(c),
    }
}

/// True for characters next to which white space carries no meaning: CJK ideographs, CJK and
/// full-width punctuation (as normalised), kana and Hangul.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF      // radicals
        | 0x3000..=0x303F    // CJK symbols and punctuation 。、〔〕《》「」
        | 0x3040..=0x30FF    // kana
        | 0x3100..=0x312F
        | 0x31A0..=0x31BF
        | 0x3200..=0x33FF
        | 0x3400..=0x4DBF    // extension A
        | 0x4E00..=0x9FFF    // unified ideographs
        | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFFEF
        | 0x20000..=0x3134F)
        || matches!(c, '“' | '”' | '‘' | '’' | '—' | '…' | '·')
}

struct Builder {
    out: String,
    points: Vec<(u32, u32)>,
    /// original offset minus normalised offset in the current run.
    delta: i64,
    /// A run of horizontal white space not yet decided: (original start, original end).
    pending_ws: Option<(u32, u32)>,
    last: Option<char>,
}

impl Builder {
    fn norm_len(&self) -> u32 {
        self.out.len() as u32
    }

    fn checkpoint(&mut self, norm: u32, orig: u32) {
        if self.points.last() != Some(&(norm, orig)) {
            self.points.push((norm, orig));
        }
        self.delta = orig as i64 - norm as i64;
    }

    fn delete(&mut self, o: u32, olen: u32) {
        // A zero-width character inside a white-space run belongs to the run.
        if let Some((start, end)) = self.pending_ws
            && end == o
        {
            self.pending_ws = Some((start, o + olen));
            return;
        }
        self.flush_ws(None);
        let n = self.norm_len();
        self.checkpoint(n, o);
        self.checkpoint(n, o + olen);
    }

    fn space(&mut self, o: u32, olen: u32) {
        self.pending_ws = Some(match self.pending_ws {
            Some((start, _)) => (start, o + olen),
            None => (o, o + olen),
        });
    }

    /// Decides a pending white-space run now that the next character (or the end) is known.
    fn flush_ws(&mut self, next: Option<char>) {
        let Some((start, end)) = self.pending_ws.take() else {
            return;
        };
        let meaningless = |c: Option<char>| c.is_none_or(|c| c == '\n' || is_cjk(c));
        let n = self.norm_len();
        if meaningless(self.last) || meaningless(next) {
            self.checkpoint(n, start);
            self.checkpoint(n, end);
        } else {
            // Collapse to one ASCII space that stands for the whole run.
            self.checkpoint(n, start);
            self.out.push(' ');
            self.checkpoint(n + 1, end);
            self.last = Some(' ');
        }
    }

    /// `text` (at original offset `o`) as it stands: what [`Builder::emit`] does for each of its
    /// characters when nothing is pending and each is its own normalised form.
    fn emit_unchanged(&mut self, text: &str, o: u32) {
        debug_assert!(self.pending_ws.is_none());
        let n = self.norm_len();
        if o as i64 - n as i64 != self.delta {
            self.checkpoint(n, o);
        }
        self.out.push_str(text);
        self.last = text.chars().next_back();
    }

    /// Deletes the pinyin gloss at `pos` and returns where the text goes on.
    fn drop_gloss(&mut self, original: &str, pos: usize) -> usize {
        let end = pos + pinyin_gloss(&original[pos..]);
        for (g, gc) in original[pos..end].char_indices() {
            self.delete((pos + g) as u32, gc.len_utf8() as u32);
        }
        end
    }

    fn emit(&mut self, c: char, o: u32, olen: u32) {
        if self.pending_ws.is_some() {
            self.flush_ws(Some(c));
        }
        let n = self.norm_len();
        let nlen = c.len_utf8() as u32;
        if o as i64 - n as i64 != self.delta {
            self.checkpoint(n, o);
        }
        self.out.push(c);
        if nlen != olen {
            self.checkpoint(n + nlen, o + olen);
        }
        self.last = Some(c);
    }

    fn finish(mut self, orig_len: u32) -> Normalized {
        self.flush_ws(None);
        let n = self.norm_len();
        if orig_len as i64 - n as i64 != self.delta {
            self.checkpoint(n, orig_len);
        }
        Normalized {
            map: OffsetMap {
                points: self.points,
                norm_len: n,
            },
            text: to_simplified(self.out).into(),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn pinyin_glosses_of_mirror_sites_are_dropped() {
        let n = normalize("各級行政機(jī)關(guān)全面貫徹");
        assert_eq!(&*n.text, "各级行政机关全面贯彻");
        let (a, b) = (
            n.map.start(n.text.find("关").unwrap()),
            "各級行政機(jī)".len(),
        );
        assert_eq!(a, b, "the offset map skips the gloss");
        // Not glosses: no tone mark, or not after a Chinese character.
        assert_eq!(&*normalize("方案(a)和(PPP)").text, "方案(a)和(PPP)");
        assert_eq!(&*normalize("x(jī)").text, "x(jī)");
        // Nor is the space before a gloss: dropping it first would leave a gloss for next time.
        assert_eq!(&*normalize("機 (jī)關").text, "机关");
        // Parentheses and letters are read as normalised, zero-width characters skipped: what
        // becomes a gloss once normalised is one already (found by the idempotence property).
        assert_eq!(&*normalize("機（jī）關").text, "机关");
        assert_eq!(&*normalize("說（é)").text, "说");
        assert_eq!(&*normalize("機(j\u{200B}ī)關").text, "机关");
        assert_eq!(&*normalize("機(ｊī)關").text, "机关");
        // Seven letters at most.
        assert_eq!(&*normalize("機(jīīīīīīī)").text, "机(jīīīīīīī)");
    }

    use super::*;
    use proptest::prelude::*;

    fn norm(s: &str) -> String {
        normalize(s).text.to_string()
    }

    #[test]
    fn traditional_becomes_simplified() {
        assert_eq!(norm("張家港市楊舍鎮人民政府"), "张家港市杨舍镇人民政府");
        assert_eq!(norm("糾紛12910起"), "纠纷12910起");
    }

    #[test]
    fn full_width_becomes_half_width() {
        assert_eq!(norm("（一）出庭率１００％，"), "(一)出庭率100%,");
        assert_eq!(norm("1．依法：是；"), "1.依法:是;");
    }

    #[test]
    fn spaces_next_to_cjk_are_dropped_others_collapse() {
        assert_eq!(norm("专题学法 4 次"), "专题学法4次");
        assert_eq!(
            norm("西青区辛口镇 2023 年度法治政府建设 情况报告"),
            "西青区辛口镇2023年度法治政府建设情况报告"
        );
        assert_eq!(norm("a  \t b"), "a b");
        assert_eq!(norm("  行首\u{3000}\u{3000}缩进  \n"), "行首缩进\n");
        assert_eq!(norm("1. 夯实"), "1.夯实");
    }

    #[test]
    fn line_ends_are_unified() {
        assert_eq!(norm("一\r\n二\r三"), "一\n二\n三");
    }

    #[test]
    fn spans_map_back_to_the_original() {
        let orig = "出庭率 １００％ 。";
        let n = normalize(orig);
        assert_eq!(&*n.text, "出庭率100%。");
        let at = n.text.find("100%").unwrap();
        let r = n.map.range(at..at + "100%".len());
        assert_eq!(&orig[r], "１００％");
        // the deleted spaces are outside the span on both sides
        let r = n.map.range(0..n.text.len());
        assert_eq!(&orig[r], orig);
    }

    #[test]
    fn deleted_whitespace_is_skipped_at_span_edges() {
        let orig = "学法 4 次";
        let n = normalize(orig);
        let at = n.text.find('4').unwrap();
        assert_eq!(&orig[n.map.range(at..at + 1)], "4");
        assert_eq!(&orig[n.map.range(0..at)], "学法");
    }

    fn alphabet() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "a", "Z", "1", "０", "９", "％", "（", "）", "，", "：", "。", " ", "  ", "\u{3000}",
            "\t", "\r\n", "\n", "\r", "\u{200B}", "\u{FEFF}", "說", "说", "楊", "鎮", "乾", "隆",
            "著", "看", "畫", "計", "𠀀", "é", "—", "“", "、", "年", "\u{00A0}", "ａ", "(jī)",
            "(guān)", "(", ")", "機", "㐀", "x(a)",
        ]);
        prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn mapped_offsets_are_char_boundaries_and_monotonic(s in alphabet()) {
            let n = normalize(&s);
            let mut prev_start = 0;
            let mut prev_end = 0;
            for (i, _) in n.text.char_indices().chain(std::iter::once((n.text.len(), ' '))) {
                let st = n.map.start(i);
                let en = n.map.end(i);
                prop_assert!(s.is_char_boundary(st), "start {st} of {i} in {s:?}");
                prop_assert!(s.is_char_boundary(en), "end {en} of {i} in {s:?}");
                prop_assert!(en <= st, "end {en} after start {st}");
                prop_assert!(st >= prev_start && en >= prev_end);
                prev_start = st;
                prev_end = en;
            }
            prop_assert_eq!(n.map.start(n.text.len()), s.len());
            prop_assert_eq!(n.map.end(0), 0);
        }

        #[test]
        fn runs_copied_whole_normalise_as_character_by_character(s in alphabet()) {
            let (fast, slow) = (normalize_with(&s, true), normalize_with(&s, false));
            prop_assert_eq!(&fast.text, &slow.text);
            prop_assert_eq!(&fast.map.points, &slow.map.points);
        }

        #[test]
        fn normalising_is_idempotent(s in alphabet()) {
            let once = norm(&s);
            prop_assert_eq!(norm(&once), once);
        }

        #[test]
        fn each_normalised_char_maps_to_one_original_char(s in alphabet()) {
            let n = normalize(&s);
            for (i, c) in n.text.char_indices() {
                let r = n.map.range(i..i + c.len_utf8());
                let orig = &s[r];
                // one original char (or, for a collapsed space, a run of white space)
                let blank = |c: char| c.is_whitespace() || matches!(classify(c), Kind::Drop);
                prop_assert!(orig.chars().count() == 1 || orig.chars().all(blank),
                    "{c:?} came from {orig:?}");
            }
        }
    }
}
