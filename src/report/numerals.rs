//! Report stage helper: Chinese numerals and dates.
//!
//! Reports write numbers in Chinese (`两万余人次`, `十二次`), ordinals in headings (`十一、`),
//! and dates either in digits (`2024年2月29日`) or in characters (`二〇二四年二月二十九日`).

use super::Date;
use regex::Regex;
use std::sync::LazyLock;

/// Value of one Chinese digit (`〇零一二两三四五六七八九`).
pub fn digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' | 'O' => 0,
        '一' | '壹' => 1,
        '二' | '两' | '贰' => 2,
        '三' | '叁' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

fn unit(c: char) -> Option<u64> {
    Some(match c {
        '十' | '拾' => 10,
        '百' | '佰' => 100,
        '千' | '仟' => 1000,
        _ => return None,
    })
}

/// Parses a Chinese numeral such as `十二`, `二十`, `一百零五`, `两万`, `三千五百万`.
/// Returns `None` for anything that is not a well-formed numeral.
pub fn parse_number(s: &str) -> Option<u64> {
    // Only 十 may stand without its one (`十二`); `百家桥村` is a name, not a hundred.
    let first = s.chars().next()?;
    if digit(first).is_none() && !matches!(first, '十' | '拾') {
        return None;
    }
    let mut total: u64 = 0; // completed 亿 groups and 万 groups
    let mut section: u64 = 0; // below 万
    let mut pending: Option<u64> = None; // a digit waiting for its unit
    for c in s.chars() {
        if let Some(d) = digit(c) {
            if pending.is_some() && d != 0 {
                return None; // two digits in a row (`二三`) is not a numeral
            }
            pending = if d == 0 { None } else { Some(d as u64) };
        } else if let Some(u) = unit(c) {
            section = section.checked_add(pending.take().unwrap_or(1).checked_mul(u)?)?;
        } else if c == '万' || c == '亿' {
            let big: u64 = if c == '万' { 10_000 } else { 100_000_000 };
            let group = section + pending.take().unwrap_or(0);
            if group == 0 && total == 0 {
                return None;
            }
            total = if c == '亿' {
                (total + group).checked_mul(big)?
            } else {
                total.checked_add(group.checked_mul(big)?)?
            };
            section = 0;
        } else {
            return None;
        }
    }
    total.checked_add(section + pending.unwrap_or(0))
}

/// The value of a heading ordinal: `十一` → 11, `3` → 3.
pub fn ordinal(s: &str) -> Option<u32> {
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    parse_number(s).and_then(|v| u32::try_from(v).ok())
}

/// A year written digit by digit: `二〇二四` → 2024.
fn year_digits(s: &str) -> Option<i32> {
    if s.chars().count() != 4 {
        return None;
    }
    s.chars()
        .try_fold(0i32, |acc, c| Some(acc * 10 + digit(c)? as i32))
}

static DIGIT_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d{4})年(\d{1,2})月(\d{1,2})日").unwrap());
static CHINESE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([〇零O一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")
        .unwrap()
});

/// Finds the first date in a (normalised) string: its byte range and value.
pub fn find_date(s: &str) -> Option<(std::ops::Range<usize>, Date)> {
    let digits = DIGIT_DATE.captures(s).and_then(|c| {
        let d = Date::new(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)?;
        Some((c.get(0)?.range(), d))
    });
    let chinese = CHINESE_DATE.captures(s).and_then(|c| {
        let d = Date::new(year_digits(&c[1])?, ordinal(&c[2])?, ordinal(&c[3])?)?;
        Some((c.get(0)?.range(), d))
    });
    match (digits, chinese) {
        (Some(a), Some(b)) => Some(if a.0.start <= b.0.start { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// Compiles this module's regexes now (see [`super::warm_up`]).
pub(super) fn warm_up() {
    for re in [&DIGIT_DATE, &CHINESE_DATE] {
        LazyLock::force(re);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numbers() {
        for (s, v) in [
            ("十", 10),
            ("十二", 12),
            ("二十", 20),
            ("二十一", 21),
            ("一百零五", 105),
            ("两万", 20_000),
            ("三千五百万", 35_000_000),
            ("一亿两千万", 120_000_000),
            ("两千零二十四", 2024),
        ] {
            assert_eq!(parse_number(s), Some(v), "{s}");
        }
        for s in ["", "二三", "万", "百", "千万", "abc", "十x"] {
            assert_eq!(parse_number(s), None, "{s}");
        }
    }

    #[test]
    fn dates_in_digits_and_characters() {
        let (r, d) = find_date("常熟市辛庄镇人民政府2024年2月29日印发").unwrap();
        assert_eq!(d.to_string(), "2024-02-29");
        assert_eq!(&"常熟市辛庄镇人民政府2024年2月29日印发"[r], "2024年2月29日");
        assert_eq!(
            find_date("二〇二四年二月二十九日").unwrap().1.to_string(),
            "2024-02-29"
        );
        assert_eq!(
            find_date("二〇二三年十二月三十一日").unwrap().1.to_string(),
            "2023-12-31"
        );
        // impossible days are not dates
        assert!(find_date("2023年2月29日").is_none());
        assert!(find_date("2024年13月1日").is_none());
    }
}
