//! Report stage: the front matter — everything above the body.
//!
//! Recognises the letterhead (`辛庄镇人民政府文件`), the document number (`辛政呈〔2024〕1号`,
//! also with `[ ]` or `( )`), the title (which may wrap over two lines:
//! `王鲍镇` / `2023 年度法治政府建设情况报告`), the report year and issuing body taken from them,
//! and the addressee (`常熟市人民政府：`). Web chrome above the title is kept as
//! [`FrontKind::Other`] lines and never becomes the title. Hands on: these fields and the index
//! of the first body line.

use super::outline::heading_marker;
use super::{Doc, Field, FrontKind, FrontLine, Issuer, Paragraph, Source, Year};
use regex::Regex;
use std::sync::LazyLock;

pub(crate) struct Front {
    pub title: Option<Field>,
    /// `——2021年4月29日在…会议上` under the title.
    pub subtitle_date: Option<super::DateField>,
    pub year: Option<Year>,
    pub issuer: Option<Issuer>,
    pub doc_number: Option<Field>,
    pub addressee: Option<Field>,
    pub lines: Vec<FrontLine>,
    pub body_start: usize,
}

/// How far down the front matter may reach, in non-empty lines.
const FRONT_LINES: usize = 15;

static DOC_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[\p{Han}]{1,12}[〔\[(【]\s*(\d{4})\s*[〕\])】]\s*第?\s*\d{1,5}\s*号$").unwrap()
});
static TITLE_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(报告|总结|情况|述职)$|(报告|总结)[)」』》]?$").unwrap());
static TITLE_TOPIC: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"法治|依法行政|法制").unwrap());
static CHROME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[>|»›/]|当前位置|您的位置|首页|发布时间|来源:|浏览").unwrap());
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"((?:19|20)\d{2})年度?").unwrap());
static PLAIN_HAN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[\p{Han}()]{2,24}$").unwrap());

/// The line under a report delivered at a meeting: a dash, the date, the meeting.
static SUBTITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[—\-]{1,2}\s*([^在]{6,16})在[^。]{2,60}(?:会议|大会)上").unwrap()
});

/// The document's own date and number as a page's metadata table files them.
static FILED_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:成文日期|公文生成日期|生成日期)\s*:\s*((?:19|20)\d{2}[-年./]\d{1,2}[-月./]\d{1,2}日?)",
    )
    .unwrap()
});
static FILED_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:发文字号|文号)\s*:\s*(\S{4,30}号)").unwrap());

/// What a saved page's metadata says of the document: its date and its number.
pub(crate) struct Filed {
    pub date: Option<super::DateField>,
    pub doc_number: Option<Field>,
}

/// The document's date (`成文日期`) and number (`发文字号`) from the chrome lines of a saved
/// page, for a report whose own text gives neither.
pub(crate) fn filed_facts(doc: &Doc) -> Filed {
    let mut filed = Filed {
        date: None,
        doc_number: None,
    };
    for i in (0..doc.lines.len()).filter(|&i| doc.is_chrome(i)) {
        let text = doc.line_text(i);
        let start = doc.lines[i].start;
        if filed.date.is_none()
            && let Some(m) = FILED_DATE.captures(text).and_then(|c| c.get(1))
        {
            let parts: Vec<u32> = m
                .as_str()
                .split(|c: char| !c.is_ascii_digit())
                .filter(|p| !p.is_empty())
                .filter_map(|p| p.parse().ok())
                .collect();
            if let [y, mo, d] = parts[..]
                && let Some(date) = super::Date::new(y as i32, mo, d)
            {
                let range = start + m.start()..start + m.end();
                filed.date = Some(super::DateField {
                    date,
                    text: m.as_str().to_string(),
                    span: doc.span(range),
                    source: Source::Metadata,
                });
            }
        }
        if filed.doc_number.is_none()
            && let Some(m) = FILED_NUMBER.captures(text).and_then(|c| c.get(1))
            && DOC_NUMBER.is_match(m.as_str())
        {
            filed.doc_number = Some(doc.field(start + m.start()..start + m.end()));
        }
    }
    filed
}

/// How far into a run-on line a title is looked for, in bytes.
const RUN_ON_BYTES: usize = 400;

/// A title at the start of a line that goes straight on with the body: the title ends in
/// `报告`/`总结` and the body opens with a year or an opening word.
static RUN_ON_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[^\p{Han}])(?P<t>[\p{Han}()]{0,24}?(?:(?:19|20)\d{2}年度?)?[\p{Han}()]{0,30}?(?:法治政府|依法行政|法治|法制)[\p{Han}()]{0,16}?(?:报告|总结))(?:(?:19|20)\d{2}年|今年|一年来|近年来|为|根据|按照|在)",
    )
    .unwrap()
});

/// A name that can issue a report: it ends like a government, an office or a place.
static BODY_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^[\p{{Han}}()]{{1,30}}{ORG}$")).unwrap());

/// How the name of an issuing body ends.
const ORG: &str = r"(?:人民政府|政府|街道办事处|办事处|街道|镇|乡|区|县|市|州|盟|旗|省|自治区|局|委员会|委|办公室|办|厅|署|中心|院|部|所|站|队)";

/// True when a name is an office or a government (`…人民政府`, `…司法局`, `…街道办事处`), not
/// only a place (`静海区`, `王鲍镇`).
pub(crate) fn names_a_body(name: &str) -> bool {
    static BODY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:政府|办事处|局|委员会|委|办公室|办|厅|署|中心|院|部|所|站|队)$").unwrap()
    });
    BODY.is_match(name)
}

/// `2025年重固镇法治政府建设报告`: the body named after the year.
static AFTER_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?:19|20)\d{{2}}年度?(\p{{Han}}{{2,20}}?{ORG})(?:推进|关于)?(?:法治|依法行政|法制)"
    ))
    .unwrap()
});

/// The issuing body named in a title: before the year (`常熟市辛庄镇人民政府2023年…`), before
/// `关于` (`秦安县人民政府关于2023年…`, never with the `关于`), or right after the year
/// (`2025年重固镇法治政府建设报告`). A byte range of the title.
fn issuer_in_title(title: &str) -> Option<std::ops::Range<usize>> {
    let before = |end: usize| {
        let prefix = title[..end].trim_end();
        let prefix = prefix.strip_suffix("关于").unwrap_or(prefix).trim_end();
        let start = title[..prefix.len()]
            .char_indices()
            .find(|&(_, c)| c != ' ')
            .map_or(prefix.len(), |(i, _)| i);
        (prefix[start..].chars().count() >= 2 && !prefix.ends_with('年'))
            .then_some(start..prefix.len())
    };
    if let Some(m) = YEAR.find(title) {
        if let Some(r) = before(m.start()) {
            return Some(r);
        }
        // Nothing but `关于` before the year: the body may follow it.
        let g = AFTER_YEAR.captures(&title[m.start()..])?.get(1)?;
        return Some(m.start() + g.start()..m.start() + g.end());
    }
    title.find("关于").and_then(before)
}

fn is_title(line: &str) -> bool {
    let n = line.chars().count();
    (4..=80).contains(&n)
        && TITLE_WORD.is_match(line)
        && TITLE_TOPIC.is_match(line)
        && !CHROME.is_match(line)
        && !line.contains('。')
}

fn is_addressee(line: &str) -> bool {
    let n = line.chars().count();
    (3..=40).contains(&n)
        && line.ends_with(':')
        && !line.starts_with(['•', '·', '*', '-'])
        && !line.contains(',')
        && !line.contains('。')
        && heading_marker(line).is_none()
}

/// True for a line that reads as running text: the body has begun.
fn is_prose(line: &str) -> bool {
    line.contains('。') || line.chars().count() > 60 || heading_marker(line).is_some()
}

pub(crate) fn recognise(doc: &Doc, limit: usize) -> Front {
    let mut front = Front {
        title: None,
        subtitle_date: None,
        year: None,
        issuer: None,
        doc_number: None,
        addressee: None,
        lines: Vec::new(),
        body_start: 0,
    };
    let candidates: Vec<usize> = (0..limit)
        .filter(|&i| !doc.line_text(i).is_empty() && !doc.is_chrome(i))
        .take(FRONT_LINES)
        .collect();
    // The front matter ends at the addressee, or before the first line of prose.
    let mut end = candidates.len();
    for (k, &i) in candidates.iter().enumerate() {
        let text = doc.line_text(i);
        if is_addressee(text) {
            end = k + 1;
            break;
        }
        if is_prose(text) {
            end = k;
            break;
        }
    }
    let front_lines = &candidates[..end];
    front.body_start = candidates
        .get(end)
        .copied()
        .unwrap_or_else(|| front_lines.last().map_or(0, |&i| i + 1));

    // A title on one line, or wrapped over two (`…法治政府建设` / `情况报告`).
    let title_start = |k: usize| {
        let line = doc.line_text(front_lines[k]);
        is_title(line)
            || TITLE_TOPIC.is_match(line)
                && !DOC_NUMBER.is_match(line)
                && front_lines.get(k + 1).is_some_and(|&next| {
                    let next = doc.line_text(next);
                    next.chars().count() <= 20
                        && !is_title(next)
                        && is_title(&format!("{line}{next}"))
                })
    };
    // A saved page often shows the title twice: as the page's heading, then as the document's
    // own (after `来源:… 发布时间:…`). The document's own is the later one.
    let title_at = (0..front_lines.len()).find(|&k| title_start(k)).map(|k| {
        let line = doc.line_text(front_lines[k]);
        (k + 1..front_lines.len())
            .rev()
            .find(|&j| {
                let later = doc.line_text(front_lines[j]);
                later == line
                    || later.ends_with(line)
                        && PLAIN_HAN.is_match(&later[..later.len() - line.len()])
            })
            .filter(|_| TITLE_WORD.is_match(line))
            .unwrap_or(k)
    });
    let mut title_lines = Vec::new();
    // Where the title starts in its first line (not 0 only for a title run into the body).
    let mut title_offset = 0;
    if let Some(t) = title_at {
        let line = doc.line_text(front_lines[t]);
        let mut first = t;
        let mut last = t;
        // `王鲍镇` / `2023年度…报告`: the body's name stands alone on the line above.
        let starts_bare = line.starts_with(|c: char| c.is_ascii_digit())
            || line.starts_with("关于")
            || line.starts_with("年度");
        if starts_bare
            && t > 0
            && front_lines[t - 1] + 3 >= front_lines[t]
            && PLAIN_HAN.is_match(doc.line_text(front_lines[t - 1]))
            && BODY_NAME.is_match(doc.line_text(front_lines[t - 1]))
            && !doc.line_text(front_lines[t - 1]).ends_with("文件")
        {
            first = t - 1;
        }
        // `…法治政府建设` / `情况报告`: the title goes on below.
        if let Some(&next) = front_lines.get(t + 1) {
            let next_text = doc.line_text(next);
            if !line.ends_with("报告")
                && next_text.chars().count() <= 20
                && TITLE_WORD.is_match(next_text)
                && !is_addressee(next_text)
            {
                last = t + 1;
            }
        }
        title_lines = front_lines[first..=last].to_vec();
        let text: String = title_lines.iter().map(|&i| doc.line_text(i)).collect();
        let span =
            doc.span(doc.lines[title_lines[0]].start..doc.lines[*title_lines.last().unwrap()].end);
        front.title = Some(Field { text, span });
    }
    // A page flattened into one line (`湖北省人民政府关于2023年度…的报告2023年,省政府坚持…`): the
    // title runs straight into the body.
    if front.title.is_none() {
        for &i in candidates.iter().skip(end).take(2) {
            let line = doc.lines[i].clone();
            let text = &doc.norm[line.clone()];
            let head = &text[..text.floor_char_boundary(text.len().min(RUN_ON_BYTES))];
            if let Some(t) = RUN_ON_TITLE.captures(head).and_then(|c| c.name("t")) {
                let r = line.start + t.start()..line.start + t.end();
                title_lines = vec![i];
                title_offset = t.start();
                front.title = Some(doc.field(r));
                break;
            }
        }
    }

    // `——2021年4月29日在朝阳区第十六届人民代表大会常务委员会第三十七次会议上`
    if let Some(&last) = title_lines.last() {
        let next = (last + 1..doc.lines.len()).find(|&i| !doc.line_text(i).trim().is_empty());
        if let Some(i) = next
            && let Some(c) = SUBTITLE.captures(doc.line_text(i))
            && let Some((r, date)) = super::numerals::find_date(&c[1])
        {
            let at = doc.lines[i].start + c.get(1).map_or(0, |m| m.start()) + r.start;
            let range = at..at + r.len();
            front.subtitle_date = Some(super::DateField {
                date,
                text: doc.norm[range.clone()].to_string(),
                span: doc.span(range),
                source: Source::Subtitle,
            });
        }
    }

    let mut letterhead: Option<Field> = None;
    for &i in front_lines {
        let range = doc.lines[i].clone();
        let text = doc.line_text(i);
        if title_lines.contains(&i) {
            continue;
        }
        if DOC_NUMBER.is_match(text) {
            front.doc_number = Some(doc.field(range));
        } else if is_addressee(text) {
            let r = range.start..range.end - 1; // without the colon
            front.addressee = Some(doc.field(r));
        } else {
            let kind = if text.ends_with("文件")
                && PLAIN_HAN.is_match(text)
                && BODY_NAME.is_match(&text[..text.len() - "文件".len()])
            {
                if letterhead.is_none() {
                    letterhead = Some(doc.field(range.start..range.end - "文件".len()));
                }
                FrontKind::Letterhead
            } else {
                FrontKind::Other
            };
            front.lines.push(FrontLine {
                kind,
                text: text.to_string(),
                span: doc.span(range),
            });
        }
    }

    // The year and the issuer, from the title (`常熟市辛庄镇人民政府2023年法治政府建设情况报告`).
    if let Some(title) = &front.title {
        // Offsets in the concatenated title text map to lines: walk them.
        let mut offset = 0;
        let mut pieces = Vec::new();
        for &i in &title_lines {
            let r = doc.lines[i].clone();
            pieces.push((offset, r.start + title_offset));
            offset += r.len();
        }
        let to_norm = |o: usize| {
            let &(base, start) = pieces.iter().rev().find(|&&(b, _)| b <= o).unwrap();
            start + (o - base)
        };
        if let Some(c) = YEAR.captures(&title.text)
            && let Ok(value) = c[1].parse()
        {
            let m = c.get(0).unwrap();
            front.year = Some(Year {
                value,
                span: doc.span(to_norm(m.start())..to_norm(m.start()) + m.len()),
                source: Source::Title,
            });
        }
        if let Some(r) = issuer_in_title(&title.text) {
            let (start, end) = (to_norm(r.start), to_norm(r.end));
            front.issuer = Some(Issuer {
                text: title.text[r].to_string(),
                span: doc.span(start..end),
                source: Source::Title,
            });
        }
    }
    // A letterhead names the body more formally than a title prefix does, unless the prefix is
    // the fuller name (`常熟市辛庄镇人民政府` over `辛庄镇人民政府`).
    if let Some(head) = letterhead {
        let fuller_title = front
            .issuer
            .as_ref()
            .is_some_and(|i| i.text.contains(&head.text));
        if !fuller_title {
            front.issuer = Some(Issuer {
                text: head.text,
                span: head.span,
                source: Source::Letterhead,
            });
        }
    }
    front
}

/// How far into the opening paragraph the year and the issuer are looked for, in bytes.
const OPENING_BYTES: usize = 900;

/// The opening paragraph's text (its first [`OPENING_BYTES`]) and where it starts.
fn opening<'a>(doc: &Doc<'a>, paragraphs: &[Paragraph]) -> Option<(&'a str, usize)> {
    let first = paragraphs.first()?;
    let text = &doc.norm[first.norm()];
    Some((
        &text[..text.floor_char_boundary(text.len().min(OPENING_BYTES))],
        first.norm().start,
    ))
}

/// `现将2025年度法治政府建设情况报告如下`, `现将周溪乡2024年法治政府建设工作报告如下`.
static REPORTING_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"现将[^。]{0,30}?((?:19|20)\d{2})年度?[^。]{0,30}?(?:报告|总结|汇报)如下").unwrap()
});
/// A year that opens a clause: `2023年,清波街道…`, `2024年是…之年`, `2021年来,…`.
static CLAUSE_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^\d\-—~至到])((?:19|20)\d{2})年(?:度|以来|来)?(?:,|是|上半年|全年|里|中)")
        .unwrap()
});
/// `今年以来`, `一年来`, `本年度`: the year is the one the report was written in (or before).
static THIS_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[^。]{0,40}?(今年以来|一年来|本年度|今年)").unwrap());
/// The subject of the opening sentence: `2023年,东莞市司法局在市委…领导下`, `…,东溪镇认真贯彻`.
static OPENING_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?:[^。]{{0,120}}?,|[^\p{{Han}}\d]{{1,8}})??(?:(?:19|20)\d{{2}}年(?:度|以来|来)?|(?:19|20)\d{{2}}年是[^。,]{{0,30}}?之年|今年以来|一年来),+(?:在[^。,]{{2,40}}?下,)?((?:\p{{Han}}|[xX×]){{1,16}}?{ORG}(?:、\p{{Han}}{{1,10}}?{ORG})?)(?:各级(?:政府|人民政府|行政机关))?(?:党组|党委|党工委)?(?:在|坚持|深入|认真|全面|紧紧|始终|以|持续|围绕|立足|严格|聚焦|紧扣|着力|积极|按照|牢牢|扎实|不断|高度|锚定|对标|大力|切实|进一步|坚决|自觉|主动|统筹|狠抓|强化|全力|结合)"
    ))
    .unwrap()
});
/// The opening speaks of itself without its name: `我市`, `全县`, `县委、县政府`, `本镇`.
static SELF_REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:我|本|全)(市|县|区|镇|乡|街道|州)|(市|县|区|州)委、(?:市|县|区|州)(?:人民)?政府",
    )
    .unwrap()
});

/// The place a report names most often at the level it speaks of itself (`我市` → the most
/// frequent `X市`): a report written in the first person names its own place in its plans and
/// results (`保定市个人诚信积分`). A name of two Han characters before the level, lengthened to
/// three or four when every occurrence of it is preceded by the same character.
/// A name that occurs once counts when it starts like the document number (`保政呈〔2025〕5号`
/// abbreviates `保定市`).
fn self_named_place(
    text: &str,
    level: &str,
    abbrev: Option<char>,
) -> Option<(std::ops::Range<usize>, String)> {
    use std::collections::HashMap;
    let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
    for (at, _) in text.match_indices(level) {
        let head = &text[..at];
        let mut starts = head.char_indices().rev().take(4).map(|(i, _)| i);
        for len in 1..=4 {
            let Some(start) = starts.next() else { break };
            let name = &text[start..at + level.len()];
            if len >= 2
                && name[..name.len() - level.len()].chars().all(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
                && !name.starts_with(['我', '本', '全', '各', '该', '市', '县', '区', '省', '州', '镇', '乡'])
                // `依法治区`, `城市`: words, not places.
                && !name[..name.len() - level.len()].ends_with(['治', '城'])
            {
                counts.entry(name).or_insert((0, start)).0 += 1;
            }
        }
    }
    let two = counts
        .iter()
        .filter(|(n, _)| n.chars().count() == 2 + level.chars().count())
        .max_by_key(|(n, (c, start))| {
            let abbreviated = abbrev.is_some_and(|a| n.starts_with(a));
            (*c + usize::from(abbreviated), std::cmp::Reverse(*start))
        })?;
    let (mut best, (count, mut start)) = (*two.0, *two.1);
    if count < 2 && abbrev.is_none_or(|a| !best.starts_with(a)) {
        return None;
    }
    // Lengthen while the longer name occurs as often.
    loop {
        let longer = counts.iter().find(|(n, (c, _))| {
            n.len() > best.len()
                && n.ends_with(best)
                && n.chars().count() == best.chars().count() + 1
                && *c == count
        });
        match longer {
            Some((n, (_, s))) => {
                best = n;
                start = *s;
            }
            None => break,
        }
    }
    Some((start..start + best.len(), best.to_string()))
}

/// `现将周溪乡2024年法治政府建设工作报告如下`: the body named before the year.
static REPORTING_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"现将(\p{{Han}}{{1,16}}?{ORG})(?:19|20)\d{{2}}年")).unwrap()
});
/// `一、2025年法治政府建设主要情况`
static HEADING_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^((?:19|20)\d{2})年度?").unwrap());

fn year_at(doc: &Doc, start: usize, m: regex::Match, source: Source) -> Option<Year> {
    let start = start + m.start();
    Some(Year {
        value: m.as_str().parse().ok()?,
        span: doc.span(start..start + m.len() + "年".len()),
        source,
    })
}

/// The year from the body, for reports whose title does not say it. In order of evidence: the
/// opening paragraph (`现将2023年度…报告如下`, a clause that opens with `2023年,`), a level-1
/// heading (`一、2025年…情况`), then `今年以来` with the report's date (the date's year, or the
/// year before when the report is dated January to April, the reporting season).
pub(crate) fn year_from_body(
    doc: &Doc,
    paragraphs: &[Paragraph],
    sections: &[super::Section],
    date: Option<&super::DateField>,
) -> Option<Year> {
    if let Some((text, start)) = opening(doc, paragraphs) {
        for re in [&*REPORTING_YEAR, &*CLAUSE_YEAR] {
            if let Some(c) = re.captures(text) {
                return year_at(doc, start, c.get(1)?, Source::Body);
            }
        }
    }
    for s in sections.iter().filter(|s| s.depth == 0) {
        if let Some(c) = HEADING_YEAR.captures(&s.title) {
            return year_at(doc, s.title_norm.start, c.get(1)?, Source::Heading);
        }
    }
    let (text, start) = opening(doc, paragraphs)?;
    let m = THIS_YEAR.captures(text)?.get(1)?;
    let date = date?;
    let value = if date.date.month <= 4 {
        date.date.year - 1
    } else {
        date.date.year
    };
    Some(Year {
        value,
        span: doc.span(start + m.start()..start + m.end()),
        source: Source::Body,
    })
}

/// The issuing body named by the opening sentence (`2023年,东莞市司法局在…下,始终坚持…`,
/// `现将周溪乡2024年…报告如下`), for reports whose title, letterhead and signature name none.
pub(crate) fn issuer_from_body(
    doc: &Doc,
    paragraphs: &[Paragraph],
    doc_number: Option<&Field>,
) -> Option<Issuer> {
    let (text, start) = opening(doc, paragraphs)?;
    // `我镇`, `本局`, `全区` name nobody; nor do bare levels (`县委、县政府`, `市政府`).
    static GENERIC: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:[我本全该各].{0,2}|(?:[省市县区镇乡州]|街道)(?:委|政府|人民政府)(?:、(?:[省市县区镇乡州]|街道)?(?:委|政府|人民政府))*)$").unwrap()
    });
    let Some(g) = OPENING_SUBJECT
        .captures(text)
        .or_else(|| REPORTING_SUBJECT.captures(text))
        .and_then(|c| c.get(1))
        .filter(|g| !GENERIC.is_match(g.as_str()))
    else {
        let c = SELF_REFERENCE.captures(text)?;
        let level = c.get(1).or_else(|| c.get(2))?.as_str();
        let body = &doc.norm[start..];
        let abbrev = doc_number.and_then(|d| d.text.chars().next());
        let (r, name) = self_named_place(body, level, abbrev)?;
        return Some(Issuer {
            text: name,
            span: doc.span(start + r.start..start + r.end),
            source: Source::Body,
        });
    };
    Some(Issuer {
        text: g.as_str().to_string(),
        span: doc.span(start + g.start()..start + g.end()),
        source: Source::Body,
    })
}

/// Compiles this module's regexes now (see [`super::warm_up`]).
pub(super) fn warm_up() {
    for re in [
        &DOC_NUMBER,
        &TITLE_WORD,
        &TITLE_TOPIC,
        &CHROME,
        &YEAR,
        &PLAIN_HAN,
        &SUBTITLE,
        &FILED_DATE,
        &FILED_NUMBER,
        &RUN_ON_TITLE,
        &BODY_NAME,
        &AFTER_YEAR,
        &REPORTING_YEAR,
        &CLAUSE_YEAR,
        &THIS_YEAR,
        &OPENING_SUBJECT,
        &SELF_REFERENCE,
        &REPORTING_SUBJECT,
        &HEADING_YEAR,
    ] {
        LazyLock::force(re);
    }
}

#[cfg(test)]
mod tests {
    use crate::report::{Source, parse};

    fn report(text: &str) -> crate::report::Report {
        parse(text.to_string(), &[])
    }

    #[test]
    fn document_numbers_with_any_brackets() {
        for (line, want) in [
            ("辛政呈〔2024〕1号", "辛政呈〔2024〕1号"),
            ("南政发[2021]3号", "南政发[2021]3号"),
            ("某政发（2023）12号", "某政发(2023)12号"),
            ("某政发【2023】第5号", "某政发【2023】第5号"),
        ] {
            let r = report(&format!(
                "某镇人民政府文件\n{line}\n某镇2023年法治政府建设情况报告\n县人民政府：\n一、主要举措\n正文。\n"
            ));
            assert_eq!(
                r.doc_number.map(|d| d.text).as_deref(),
                Some(want),
                "{line}"
            );
        }
    }

    #[test]
    fn title_wrapped_below_and_signature_in_chinese_numerals() {
        let r = report(
            "某镇2023年度法治政府建设\n情况报告\n\n2023年，某镇坚持依法行政。\n一、主要举措\n正文。\n\n某镇人民政府\n二〇二四年二月二十九日\n",
        );
        assert_eq!(r.title.unwrap().text, "某镇2023年度法治政府建设情况报告");
        let date = r.date.unwrap();
        assert_eq!(
            (date.date.to_string(), date.source),
            ("2024-02-29".into(), Source::Signature)
        );
        assert_eq!(r.signature.unwrap().issuer.unwrap().text, "某镇人民政府");
        // The title names the place, the signature its government: the government issues it.
        let issuer = r.issuer.unwrap();
        assert_eq!(
            (issuer.text.as_str(), issuer.source),
            ("某镇人民政府", Source::Signature)
        );
    }

    #[test]
    fn web_chrome_above_the_title_is_not_the_title() {
        let r = report(
            "首页 > 政务公开 > 法治政府建设年度报告\n简体 | 繁體 | 无障碍\n某区2023年法治政府建设年度报告\n一、主要举措\n正文。\n",
        );
        assert_eq!(r.title.unwrap().text, "某区2023年法治政府建设年度报告");
        assert!(r.front_matter.is_empty());
        // Two chrome lines in a row are one block, kinded by its first line.
        assert_eq!(r.chrome.len(), 1);
        assert_eq!(r.chrome[0].kind, crate::report::ChromeKind::Navigation);
        assert_eq!(r.chrome[0].span.line, 1);
        assert_eq!(r.chrome[0].span.end_line, 2);
    }

    #[test]
    fn issuer_never_keeps_guanyu() {
        for (title, want) in [
            (
                "秦安县人民政府关于2023年度法治政府建设情况的报告",
                Some("秦安县人民政府"),
            ),
            (
                "诸暨市气象局关于2023年法治政府建设工作情况的报告",
                Some("诸暨市气象局"),
            ),
            ("2025年重固镇法治政府建设报告", Some("重固镇")),
            ("关于2024年法治政府建设情况的报告", None),
            (
                "大河乡人民政府关于法治政府建设的情况报告",
                Some("大河乡人民政府"),
            ),
        ] {
            let r = report(&format!("{title}\n一、主要举措\n正文。\n"));
            assert_eq!(r.issuer.map(|i| i.text).as_deref(), want, "{title}");
        }
    }

    #[test]
    fn title_after_a_metadata_table_and_a_repeated_page_title() {
        let r = report(
            "当前位置:首页>政务公开\n某区2023年法治政府建设情况报告\n•索引号:\n11120223/2024-00012\n•发布机构:\n某区人民政府\n来源:某区政府办 发布时间:2024-03-28\n某区2023年法治政府建设情况报告\n2023年,某区坚持依法行政。\n一、主要举措\n正文。\n",
        );
        let title = r.title.unwrap();
        assert_eq!(
            title.span.line, 8,
            "the document's own title, not the page's"
        );
        assert_eq!(r.year.unwrap().value, 2023);
        // The metadata values on their own lines are chrome too, not the issuer or a title.
        assert!(r.chrome.iter().any(|c| c.text.contains("某区人民政府")));
    }

    #[test]
    fn year_from_the_opening_a_heading_or_this_year_with_the_date() {
        let year = |text: &str| {
            let y = report(text).year.unwrap();
            (y.value, y.source)
        };
        assert_eq!(
            year("2024年是全面贯彻党的二十大精神的开局之年。\n一、主要举措\n正文。\n"),
            (2024, Source::Body)
        );
        assert_eq!(
            year("按照要求,现将2025年度法治政府建设情况报告如下。\n一、主要举措\n正文。\n"),
            (2025, Source::Body)
        );
        assert_eq!(
            year("今年以来,我镇坚持依法行政。\n一、2025年法治政府建设主要情况\n正文。\n"),
            (2025, Source::Heading)
        );
        assert_eq!(
            year(
                "今年以来,我镇坚持依法行政。\n一、主要举措\n正文。\n\n某镇人民政府\n2024年2月20日\n"
            ),
            (2023, Source::Body),
            "a report dated in the reporting season covers the year before"
        );
    }

    #[test]
    fn date_and_number_from_the_pages_metadata_or_a_meeting_subtitle() {
        let r = report(
            "•索引号:sm09901-1800-2025-00003\n•备注/文号:将镛委〔2025〕5号\n•公文生成日期:2025-02-07\n•发布日期:2025-03-01\n某镇2024年法治政府建设情况报告\n一、主要举措\n正文。\n",
        );
        let date = r.date.unwrap();
        assert_eq!(
            (date.date.to_string(), date.source),
            ("2025-02-07".into(), Source::Metadata)
        );
        assert_eq!(r.doc_number.unwrap().text, "将镛委〔2025〕5号");
        assert_eq!(
            r.year.unwrap().value,
            2024,
            "the publication date is never the year"
        );

        let r = report(
            "朝阳区人民政府关于2020年法治政府建设工作情况的报告\n——2021年4月29日在朝阳区第十六届人民代表大会常务委员会第三十七次会议上\n一、主要举措\n正文。\n",
        );
        let date = r.date.unwrap();
        assert_eq!(
            (date.date.to_string(), date.source),
            ("2021-04-29".into(), Source::Subtitle)
        );
    }

    #[test]
    fn issuer_from_the_opening_sentence() {
        let issuer = |text: &str| report(text).issuer.map(|i| i.text);
        assert_eq!(
            issuer("2023年,东莞市司法局在市委市政府的正确领导下,始终坚持依法行政。\n一、主要举措\n正文。\n").as_deref(),
            Some("东莞市司法局")
        );
        assert_eq!(
            issuer("2023年,我镇坚持依法行政。\n一、主要举措\n正文。\n"),
            None,
            "我镇 names nobody, and no place is named twice"
        );
        assert_eq!(
            issuer("2023年,我市坚持依法行政,保定市营商环境持续优化。\n一、主要举措\n保定市信用体系建设取得成效。\n").as_deref(),
            Some("保定市"),
            "the place the report names most at the level it speaks of itself"
        );
    }
}
