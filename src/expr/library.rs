//! Expression stage: the function library and the members of report values.
//!
//! One table, [`FUNCTIONS`], documents every function (signature, meaning, example) and drives
//! the type checker, the evaluator and `reportlint rules functions`, so they cannot drift.
//! Regexes match the **normalised** text (simplified characters, half-width punctuation), so one
//! pattern in simplified characters matches a traditional report too.

use super::types::Type;
use super::value::{Val, Value};
use crate::report::Report;
use std::sync::Arc;

/// What a parameter accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Param {
    Regex,
    Int,
    Date,
    /// Any list, or a string (`len`).
    ListOrStr,
}

impl Param {
    pub fn accepts(self, t: &Type) -> bool {
        if *t == Type::Error {
            return true;
        }
        match self {
            Param::Regex => matches!(t, Type::Regex),
            Param::Int => matches!(t, Type::Int | Type::Null),
            Param::Date => matches!(t, Type::Date | Type::Null),
            Param::ListOrStr => matches!(t, Type::List(_) | Type::Str | Type::Null),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Param::Regex => "regex",
            Param::Int => "int",
            Param::Date => "date",
            Param::ListOrStr => "list or string",
        }
    }
}

/// A library function.
pub struct Function {
    pub name: &'static str,
    pub params: &'static [(&'static str, Param)],
    pub ret: fn() -> Type,
    pub doc: &'static str,
    pub example: &'static str,
    pub(crate) call: fn(&Ctx, &[Val]) -> Val,
}

impl std::fmt::Debug for Function {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

impl Function {
    /// `figure(re: regex) -> figure`
    pub fn signature(&self) -> String {
        let params: Vec<String> = self
            .params
            .iter()
            .map(|(n, p)| format!("{n}: {}", p.name()))
            .collect();
        format!("{}({}) -> {}", self.name, params.join(", "), (self.ret)())
    }
}

/// What evaluation reads: the report, and its normalised text shared once.
pub struct Ctx<'r> {
    pub report: &'r Report,
    pub text: Arc<str>,
    /// Records every sub-expression's value when set (`check --trace`).
    pub trace: Option<super::trace::Tracer>,
}

impl<'r> Ctx<'r> {
    /// The context of a report. `text`, which `mentions`, `matches` and the other text searches
    /// read, is the normalised text with page chrome blanked out (same length, so offsets stay
    /// valid): a breadcrumb `首页>政务公开` is not the report mentioning 政务公开, and a button
    /// `【打印】` is not a template placeholder. `chrome()` lists the chrome itself.
    pub fn new(report: &'r Report) -> Self {
        let text = if report.chrome.is_empty() {
            report.normalized.text.clone()
        } else {
            let full = &report.normalized.text;
            let mut bytes = full.as_bytes().to_vec();
            for c in &report.chrome {
                for (k, ch) in full[c.norm.clone()].char_indices() {
                    if ch != '\n' {
                        let at = c.norm.start + k;
                        bytes[at..at + ch.len_utf8()].fill(b' ');
                    }
                }
            }
            // Every blanked character became as many ASCII spaces as it had bytes.
            String::from_utf8(bytes)
                .expect("whole characters replaced by spaces")
                .into()
        };
        Ctx {
            report,
            text,
            trace: None,
        }
    }

    /// The context of a report that records a trace of what it evaluates.
    pub fn tracing(report: &'r Report) -> Self {
        Ctx {
            trace: Some(super::trace::Tracer::default()),
            ..Ctx::new(report)
        }
    }
}

fn regex(v: &Val) -> &regex::Regex {
    match &v.value {
        Value::Regex(r) => r,
        _ => unreachable!("the type checker only lets regexes through"),
    }
}

fn int(v: &Val) -> Option<i64> {
    match v.value {
        Value::Int(i) => Some(i),
        _ => None,
    }
}

/// A section value with its heading as evidence.
pub fn section_val(ctx: &Ctx, i: usize) -> Val {
    Val::at(Value::Section(i), ctx.report.sections[i].heading_span)
}

pub fn figure_val(ctx: &Ctx, i: usize) -> Val {
    Val::at(Value::Figure(i), ctx.report.figures[i].span)
}

/// A paragraph value with its text as evidence.
pub fn paragraph_val(ctx: &Ctx, i: usize) -> Val {
    Val::at(Value::Paragraph(i), ctx.report.paragraphs[i].span)
}

/// The figures of paragraph `p`, by index: figures are recognised paragraph by paragraph, in
/// order, so they are found by binary search, not by a scan per paragraph.
pub fn paragraph_figures(report: &Report, p: usize) -> std::ops::Range<usize> {
    let start = report.figures.partition_point(|f| f.paragraph < p);
    let end = report.figures.partition_point(|f| f.paragraph <= p);
    start..end
}

/// The paragraph whose normalised text holds the offset `at`, if any.
pub fn paragraph_at(report: &Report, at: usize) -> Option<usize> {
    let k = report
        .paragraphs
        .partition_point(|p| p.norm().start <= at)
        .checked_sub(1)?;
    (report.paragraphs[k].norm().end > at).then_some(k)
}

fn matching_sections<'a>(ctx: &'a Ctx, re: &'a regex::Regex) -> impl Iterator<Item = usize> + 'a {
    ctx.report
        .sections
        .iter()
        .enumerate()
        .filter(move |(_, s)| re.is_match(&s.title))
        .map(|(i, _)| i)
}

fn matching_figures<'a>(ctx: &'a Ctx, re: &'a regex::Regex) -> impl Iterator<Item = usize> + 'a {
    ctx.report
        .figures
        .iter()
        .enumerate()
        .filter(move |(_, f)| re.is_match(&f.label))
        .map(|(i, _)| i)
}

/// The functions of the rule language.
pub static FUNCTIONS: &[Function] = &[
    Function {
        name: "has_section",
        params: &[("re", Param::Regex)],
        ret: || Type::Bool,
        doc: "true if a heading's title matches",
        example: "has_section(/下一年度|下步|明年/)",
        call: |ctx, a| {
            let re = regex(&a[0]);
            match matching_sections(ctx, re).next() {
                Some(i) => Val::at(Value::Bool(true), ctx.report.sections[i].heading_span),
                None => Val::new(Value::Bool(false)),
            }
        },
    },
    Function {
        name: "section",
        params: &[("re", Param::Regex)],
        ret: || Type::Section,
        doc: "the first section whose title matches, or null",
        example: "section(/存在.*(问题|不足)/).text ~ /原因/",
        call: |ctx, a| {
            let re = regex(&a[0]);
            match matching_sections(ctx, re).next() {
                Some(i) => section_val(ctx, i),
                None => Val::null(format!("no heading matches /{re}/")),
            }
        },
    },
    Function {
        name: "sections",
        params: &[("re", Param::Regex)],
        ret: || Type::list(Type::Section),
        doc: "every section whose title matches",
        example: "len(sections(/^(一|二|三)、/)) >= 3",
        call: |ctx, a| {
            let re = regex(&a[0]);
            let list: Vec<Val> = matching_sections(ctx, re)
                .map(|i| section_val(ctx, i))
                .collect();
            Val::new(Value::List(Arc::new(list)))
        },
    },
    Function {
        name: "mentions",
        params: &[("re", Param::Regex)],
        ret: || Type::Bool,
        doc: "true if the report's text matches anywhere",
        example: "mentions(/第一责任人/)",
        call: |ctx, a| {
            let re = regex(&a[0]);
            match re.find(&ctx.text) {
                Some(m) => Val::at(Value::Bool(true), ctx.report.span_of_norm(m.range())),
                None => Val::new(Value::Bool(false)),
            }
        },
    },
    Function {
        name: "mention",
        params: &[("re", Param::Regex)],
        ret: || Type::Match,
        doc: "the first match in the report's text, with its place, or null",
        example: "mention(/出庭(应诉)?率/).text",
        call: |ctx, a| {
            let re = regex(&a[0]);
            match re.find(&ctx.text) {
                Some(m) => Val::at(Value::Match(m.range()), ctx.report.span_of_norm(m.range())),
                None => Val::null(format!("the report never matches /{re}/")),
            }
        },
    },
    Function {
        name: "matches",
        params: &[("re", Param::Regex)],
        ret: || Type::list(Type::Match),
        doc: "every match in the report's text, each with its place; with a capture group, the group's text (`/[\\p{Han}]([a-z]{3,})[\\p{Han}]/` gives the Latin word only)",
        example: "for: m in matches(/XX|某某|此处填写/)",
        call: |ctx, a| {
            let re = regex(&a[0]);
            let list: Vec<Val> = re
                .captures_iter(&ctx.text)
                .filter_map(|c| c.get(1).or_else(|| c.get(0)))
                .filter(|m| !m.is_empty())
                .map(|m| Val::at(Value::Match(m.range()), ctx.report.span_of_norm(m.range())))
                .collect();
            Val::new(Value::List(Arc::new(list)))
        },
    },
    Function {
        name: "doublings",
        params: &[],
        ret: || Type::list(Type::Match),
        doc: "words of 2 to 4 Chinese characters written twice in a row (`发挥发挥`), a sign of extraction damage",
        example: "len(doublings()) == 0",
        call: |ctx, _| {
            let list: Vec<Val> = doublings(&ctx.text)
                .into_iter()
                .map(|r| Val::at(Value::Match(r.clone()), ctx.report.span_of_norm(r)))
                .collect();
            Val::new(Value::List(Arc::new(list)))
        },
    },
    Function {
        name: "chrome",
        params: &[],
        ret: || Type::list(Type::Match),
        doc: "the blocks of web-page chrome (breadcrumbs, metadata tables, buttons, banners, site footers), each once, with its place; text searches never see them",
        example: "for: m in chrome()",
        call: |ctx, _| {
            let list: Vec<Val> = ctx
                .report
                .chrome
                .iter()
                .map(|c| Val::at(Value::Match(c.norm.clone()), c.span))
                .collect();
            Val::new(Value::List(Arc::new(list)))
        },
    },
    Function {
        name: "sections_after",
        params: &[("re", Param::Regex)],
        ret: || Type::list(Type::Section),
        doc: "the headings after the first match in the text (a part that starts without a heading of its own)",
        example: "len(sections_after(/\\d{4}年,我镇将/)) >= 2",
        call: |ctx, a| {
            let re = regex(&a[0]);
            let Some(m) = re.find(&ctx.text) else {
                return Val::null(format!("the report never matches /{re}/"));
            };
            let list: Vec<Val> = (0..ctx.report.sections.len())
                .filter(|&i| ctx.report.sections[i].norm.start >= m.start())
                .map(|i| section_val(ctx, i))
                .collect();
            Val::at(
                Value::List(Arc::new(list)),
                ctx.report.span_of_norm(m.range()),
            )
        },
    },
    Function {
        name: "items_after",
        params: &[("re", Param::Regex)],
        ret: || Type::list(Type::Item),
        doc: "the inline items (`一是…`) after the first match in the text",
        example: "len(items_after(/\\d{4}年,我镇将/)) >= 2",
        call: |ctx, a| {
            let re = regex(&a[0]);
            let Some(m) = re.find(&ctx.text) else {
                return Val::null(format!("the report never matches /{re}/"));
            };
            let list: Vec<Val> = ctx
                .report
                .paragraphs
                .iter()
                .enumerate()
                .flat_map(|(k, p)| {
                    p.items
                        .iter()
                        .enumerate()
                        .filter(|(_, it)| it.norm.start >= m.start())
                        .map(move |(j, it)| Val::at(Value::Item(k, j), it.span))
                })
                .collect();
            Val::at(
                Value::List(Arc::new(list)),
                ctx.report.span_of_norm(m.range()),
            )
        },
    },
    Function {
        name: "figure",
        params: &[("re", Param::Regex)],
        ret: || Type::Figure,
        doc: "the first figure whose label matches, or null",
        example: "figure(/负责人出庭(应诉)?率/).value == 100%",
        call: |ctx, a| {
            let re = regex(&a[0]);
            match matching_figures(ctx, re).next() {
                Some(i) => figure_val(ctx, i),
                None => Val::null(format!("no figure is labelled /{re}/")),
            }
        },
    },
    Function {
        name: "figures",
        params: &[("re", Param::Regex)],
        ret: || Type::list(Type::Figure),
        doc: "every figure whose label matches",
        example: "all(m in figures(/率/): m.value <= 100%)",
        call: |ctx, a| {
            let re = regex(&a[0]);
            let list: Vec<Val> = matching_figures(ctx, re)
                .map(|i| figure_val(ctx, i))
                .collect();
            Val::new(Value::List(Arc::new(list)))
        },
    },
    Function {
        name: "figures_near",
        params: &[("re", Param::Regex)],
        ret: || Type::list(Type::Figure),
        doc: "every figure of the paragraphs whose text matches: the figures of the part about something",
        example: "any(m in figures_near(/重大行政决策/): m.unit == \"件\")",
        call: |ctx, a| {
            let re = regex(&a[0]);
            let r = ctx.report;
            let list: Vec<Val> = (0..r.paragraphs.len())
                .filter(|&p| re.is_match(&r.paragraphs[p].text))
                .flat_map(|p| paragraph_figures(r, p))
                .map(|k| figure_val(ctx, k))
                .collect();
            Val::new(Value::List(Arc::new(list)))
        },
    },
    Function {
        name: "len",
        params: &[("x", Param::ListOrStr)],
        ret: || Type::Int,
        doc: "the number of items in a list, or of characters in a string",
        example: "len(section(/下一年度/).items) >= 2",
        call: |_, a| {
            let n = match &a[0].value {
                Value::List(l) => l.len(),
                Value::Str(s) => s.chars().count(),
                _ => unreachable!("absent arguments are handled before the call"),
            };
            Val::with(Value::Int(n as i64), a[0].evidence.clone())
        },
    },
    Function {
        name: "year",
        params: &[("d", Param::Date)],
        ret: || Type::Int,
        doc: "the year of a date",
        example: "year(report.date) == report.year + 1",
        call: |_, a| match a[0].value {
            Value::Date(d) => Val::with(Value::Int(d.year as i64), a[0].evidence.clone()),
            _ => unreachable!("absent arguments are handled before the call"),
        },
    },
    Function {
        name: "date",
        params: &[
            ("year", Param::Int),
            ("month", Param::Int),
            ("day", Param::Int),
        ],
        ret: || Type::Date,
        doc: "the date of a year, month and day (unknown if there is no such day)",
        example: "report.date <= date(report.year + 1, 3, 1)",
        call: |_, a| {
            let (Some(y), Some(m), Some(d)) = (int(&a[0]), int(&a[1]), int(&a[2])) else {
                unreachable!("absent arguments are handled before the call")
            };
            let date = i32::try_from(y)
                .ok()
                .zip(u32::try_from(m).ok())
                .zip(u32::try_from(d).ok())
                .and_then(|((y, m), d)| crate::report::Date::new(y, m, d));
            match date {
                Some(date) => Val::new(Value::Date(date)),
                None => Val::unknown(format!("there is no date {y}-{m}-{d}")),
            }
        },
    },
];

/// Byte ranges of `AA` where `A` is 2 to 4 Han characters (`发挥发挥`); each range covers both
/// copies, and the search goes on after it. Linear, and about 1 ns a byte where nothing is
/// doubled.
pub fn doublings(text: &str) -> Vec<std::ops::Range<usize>> {
    // Positions tested at once, and how far past its position one test reads.
    const BLOCK: usize = 64;
    const REACH: usize = 24;
    // One pass over the bytes, no copy of the text: a CJK unified ideograph (U+4E00–U+9FFF) is
    // three bytes in UTF-8, so k doubled characters are 3k bytes followed by the same 3k bytes.
    let b = text.as_bytes();
    let n = b.len();
    let han_at = |i: usize| {
        i + 3 <= n && {
            let c = (u32::from(b[i] & 0x0F) << 12)
                | (u32::from(b[i + 1] & 0x3F) << 6)
                | u32::from(b[i + 2] & 0x3F);
            (0xE4..=0xE9).contains(&b[i]) && (0x4E00..=0x9FFF).contains(&c)
        }
    };
    let same = |x: usize, y: usize| b[x] == b[y] && b[x + 1] == b[y + 1] && b[x + 2] == b[y + 2];
    let doubled = |i: usize| {
        (2..=4).find(|&k| {
            let half = 3 * k;
            i + 2 * half <= n
                && (0..k).all(|j| han_at(i + 3 * j) && same(i + 3 * j, i + half + 3 * j))
        })
    };
    // Whether a doubling may start at `w[j]`: a lead byte of U+4E00–U+9FFF (E4–E9) whose next
    // two bytes come back 2, 3 or 4 characters on. No branch (`&`, `|`), and false at nearly
    // every byte of real text.
    let candidate = |w: &[u8], j: usize| {
        let (m, l) = (w[j + 1], w[j + 2]);
        let at = |d: usize| (m == w[j + 1 + d]) & (l == w[j + 2 + d]);
        (w[j].wrapping_sub(0xE4) < 6) & (at(6) | at(9) | at(12))
    };
    let mut out = Vec::new();
    let mut p = 0;
    while p + 12 <= n {
        // A block of positions is tested with one OR the compiler vectorises: most hold nothing.
        if p + BLOCK + REACH <= n
            && !(0..BLOCK).fold(false, |any, j| any | candidate(&b[p..p + BLOCK + REACH], j))
        {
            p += BLOCK;
            continue;
        }
        // Otherwise position by position, in full where the test holds or the text ends.
        let end = (p + BLOCK).min(n);
        while p < end {
            let worth = p + REACH > n || candidate(&b[p..p + REACH], 0);
            match if worth { doubled(p) } else { None } {
                Some(k) => {
                    out.push(p..p + 6 * k);
                    p += 6 * k;
                }
                None => p += 1,
            }
        }
    }
    out
}

pub fn function(name: &str) -> Option<&'static Function> {
    FUNCTIONS.iter().find(|f| f.name == name)
}

#[cfg(test)]
mod tests {
    use super::doublings;
    use proptest::prelude::*;

    /// The definition, written the obvious way (a char vector): the byte scan must agree with it.
    fn reference(text: &str) -> Vec<std::ops::Range<usize>> {
        let han = |c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c);
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let found = (2..=4).find(|&k| {
                i + 2 * k <= chars.len()
                    && chars[i..i + k].iter().all(|&(_, c)| han(c))
                    && (0..k).all(|j| chars[i + j].1 == chars[i + k + j].1)
            });
            match found {
                Some(k) => {
                    let end = chars.get(i + 2 * k).map_or(text.len(), |&(o, _)| o);
                    out.push(chars[i].0..end);
                    i += 2 * k;
                }
                None => i += 1,
            }
        }
        out
    }

    #[test]
    fn doubled_words_are_found() {
        let t = "切实发挥发挥网格员作用，，研究研究。一一二二，ab ab，㐀㐀㐀㐀";
        let found: Vec<&str> = doublings(t).into_iter().map(|r| &t[r]).collect();
        // Single characters doubled (一一) and characters outside U+4E00–U+9FFF (㐀) are not.
        assert_eq!(found, ["发挥发挥", "研究研究"]);
    }

    proptest! {
        #[test]
        fn the_byte_scan_agrees_with_the_definition(
            s in proptest::collection::vec(
                prop::sample::select(vec!['发', '挥', '研', '究', '一', 'a', ',', '㐀', '😀', '\n', 'é']),
                // past 88 bytes, blocks of 64 positions are tested at once
                0..160,
            )
        ) {
            let text: String = s.into_iter().collect();
            prop_assert_eq!(doublings(&text), reference(&text));
        }
    }
}
