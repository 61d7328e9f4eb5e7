//! Expression stage: the static types of the rule language, checked when a rulebook loads.
//!
//! Every value may also be *missing* at run time (a report without a date): that is not a type
//! error but an **unknown** outcome, so types carry no nullability.

use std::fmt;

/// A type of the rule language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Type {
    Bool,
    /// Whole numbers: `42`, `report.year`.
    Int,
    /// Decimals: `46.9531`.
    Number,
    /// Percentages and ratios: `100%`, `a / b` of two numbers. A ratio is a fraction (`10%` is
    /// 0.1) and never compares with a bare number.
    Percent,
    /// A figure's value: its number with the unit the report gives (`85 %`, `18 件`), known only
    /// at run time; a `%` figure behaves as a percentage, any other as a count or amount.
    Quantity,
    Str,
    Regex,
    Date,
    /// The type of the literal `null`: compatible with everything.
    Null,
    List(Box<Type>),
    /// The report being checked (`report`).
    Report,
    /// A heading and what it owns.
    Section,
    Paragraph,
    /// An inline item `一是…`.
    Item,
    /// A number with its unit and label.
    Figure,
    /// A regex match in the report text, from `mention(re)`.
    Match,
    /// The type of an expression that already has an error: accepted everywhere, so that one
    /// mistake is reported once, not again by every expression around it.
    Error,
}

impl Type {
    pub fn list(of: Type) -> Type {
        Type::List(Box::new(of))
    }

    /// Numbers of every kind (and `null` and poisoned types, which fit anywhere).
    pub fn is_numeric(&self) -> bool {
        matches!(
            self,
            Type::Int | Type::Number | Type::Percent | Type::Quantity | Type::Null | Type::Error
        )
    }

    /// Numbers without a unit: `18`, `46.9531`.
    pub fn is_bare_number(&self) -> bool {
        matches!(self, Type::Int | Type::Number)
    }

    /// Whether two numeric types may meet in a comparison or a sum: everything but a percentage
    /// and a bare number (`10%` is 0.1, not 10). A quantity meets every number here; its unit
    /// decides at run time.
    pub fn numbers_meet(&self, other: &Type) -> bool {
        !((*self == Type::Percent && other.is_bare_number())
            || (*other == Type::Percent && self.is_bare_number()))
    }

    /// Whether a value of type `self` may be compared with `==` to one of type `other`.
    pub fn comparable(&self, other: &Type) -> bool {
        match (self, other) {
            (Type::Null | Type::Error, _) | (_, Type::Null | Type::Error) => true,
            (a, b) if a.is_numeric() && b.is_numeric() => a.numbers_meet(b),
            (Type::List(a), Type::List(b)) => a.comparable(b),
            (a, b) => a == b,
        }
    }

    /// Whether `<`, `<=`, `>`, `>=` apply.
    pub fn ordered_with(&self, other: &Type) -> bool {
        match (self, other) {
            (Type::Error, _) | (_, Type::Error) => true,
            (Type::Null, t) | (t, Type::Null) => {
                t.is_numeric() || matches!(t, Type::Date | Type::Str)
            }
            (a, b) if a.is_numeric() && b.is_numeric() => a.numbers_meet(b),
            (Type::Date, Type::Date) | (Type::Str, Type::Str) => true,
            _ => false,
        }
    }

    /// Whether an argument of type `self` can be passed where `param` is expected.
    pub fn fits(&self, param: &Type) -> bool {
        match (self, param) {
            (Type::Null | Type::Error, _) => true,
            (Type::Int, Type::Number) => true,
            (Type::List(a), Type::List(b)) => a.fits(b),
            (a, b) => a == b,
        }
    }

    /// The type's name with its article, for messages: `a percentage`, `an int`.
    pub fn a(&self) -> String {
        Type::a_name(&self.to_string())
    }

    /// A type name with its article: `an int`.
    pub fn a_name(name: &str) -> String {
        let article = match name.chars().next() {
            Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
            _ => "a",
        };
        format!("{article} {name}")
    }

    /// Members of a value of this type, with their types and one-line meaning.
    pub fn members(&self) -> Members {
        match self {
            Type::Report => REPORT_MEMBERS,
            Type::Section => SECTION_MEMBERS,
            Type::Paragraph => PARAGRAPH_MEMBERS,
            Type::Item => ITEM_MEMBERS,
            Type::Figure => FIGURE_MEMBERS,
            Type::Match => MATCH_MEMBERS,
            Type::Date => DATE_MEMBERS,
            _ => &[],
        }
    }

    pub fn member(&self, name: &str) -> Option<Type> {
        self.members()
            .iter()
            .find(|m| m.name == name)
            .map(|m| (m.ty)())
    }
}

/// One member of a type: `.title` of a section.
#[derive(Debug)]
pub struct Member {
    pub name: &'static str,
    pub ty: fn() -> Type,
    pub doc: &'static str,
    /// An expression using it, checked to compile by a test.
    pub example: &'static str,
}

/// A type's members.
pub type Members = &'static [Member];

const fn m(
    name: &'static str,
    ty: fn() -> Type,
    doc: &'static str,
    example: &'static str,
) -> Member {
    Member {
        name,
        ty,
        doc,
        example,
    }
}

const REPORT_MEMBERS: Members = &[
    m(
        "title",
        || Type::Str,
        "the title (`2023年度法治政府建设情况报告`)",
        "report.title ~ /20\\d{2}年度/",
    ),
    m(
        "year",
        || Type::Int,
        "the year reported on",
        "report.year >= 2021",
    ),
    m(
        "issuer",
        || Type::Str,
        "the issuing body",
        "report.issuer ~ /镇|街道/",
    ),
    m(
        "date",
        || Type::Date,
        "the signature date, else the footer's issue date",
        "report.date <= date(report.year + 1, 3, 1)",
    ),
    m(
        "doc_number",
        || Type::Str,
        "the document number (`辛政呈〔2024〕1号`)",
        "report.doc_number != null",
    ),
    m(
        "addressee",
        || Type::Str,
        "the addressee (`常熟市人民政府`)",
        "report.addressee ~ /人民政府/",
    ),
    m(
        "signer",
        || Type::Str,
        "the body named in the signature block",
        "report.signer != null",
    ),
    m(
        "text",
        || Type::Str,
        "the whole normalised text",
        "len(report.text) > 1000",
    ),
    m(
        "sections",
        || Type::list(Type::Section),
        "every heading, in order",
        "len(report.sections) >= 4",
    ),
    m(
        "paragraphs",
        || Type::list(Type::Paragraph),
        "every paragraph, in order",
        "len(report.paragraphs) > 0",
    ),
    m(
        "figures",
        || Type::list(Type::Figure),
        "every figure, in order",
        "len(report.figures) > 0",
    ),
];
const SECTION_MEMBERS: Members = &[
    m(
        "title",
        || Type::Str,
        "the heading's title, without its marker",
        "any(s in sections: s.title ~ /安排/)",
    ),
    m(
        "level",
        || Type::Int,
        "1 for `一、`, 2 for `（一）`, 3 for `1.`, 4 for `（1）`",
        "count(s in sections: s.level == 1) >= 3",
    ),
    m(
        "number",
        || Type::Int,
        "the heading's number (`三、` → 3)",
        "section(/安排/).number >= 3",
    ),
    m(
        "marker",
        || Type::Str,
        "the marker as written (`(一)`)",
        "section(/安排/).marker == \"四、\"",
    ),
    m(
        "text",
        || Type::Str,
        "the normalised text of the whole section",
        "section(/不足/).text ~ /原因/",
    ),
    m(
        "parent",
        || Type::Section,
        "the enclosing section",
        "section(/出庭/).parent.title ~ /举措/",
    ),
    m(
        "sections",
        || Type::list(Type::Section),
        "the sections directly under it",
        "len(section(/安排/).sections) >= 2",
    ),
    m(
        "paragraphs",
        || Type::list(Type::Paragraph),
        "its paragraphs, subsections included",
        "len(section(/不足/).paragraphs) > 0",
    ),
    m(
        "items",
        || Type::list(Type::Item),
        "its inline items `一是…`, subsections included",
        "len(section(/安排/).items) >= 2",
    ),
    m(
        "figures",
        || Type::list(Type::Figure),
        "its figures, subsections included",
        "any(m in section(/举措/).figures: m.unit == \"%\")",
    ),
];
const PARAGRAPH_MEMBERS: Members = &[
    m(
        "text",
        || Type::Str,
        "the normalised text",
        "any(p in paragraphs: p.text ~ /第一责任人/)",
    ),
    m(
        "items",
        || Type::list(Type::Item),
        "its inline items `一是…`",
        "any(p in paragraphs: len(p.items) >= 2)",
    ),
    m(
        "section",
        || Type::Section,
        "the innermost section it is in",
        "all(p in paragraphs: p.section != null)",
    ),
    m(
        "figures",
        || Type::list(Type::Figure),
        "the figures in it",
        "any(p in paragraphs: p.text ~ /复议/ and len(p.figures) > 0)",
    ),
];
const ITEM_MEMBERS: Members = &[
    m(
        "ordinal",
        || Type::Int,
        "1 for `一是`, 2 for `二是`…",
        "any(i in items_after(/将/): i.ordinal == 2)",
    ),
    m(
        "title",
        || Type::Str,
        "the words after `一是` up to the first stop",
        "any(i in section(/安排/).items: i.title ~ /普法/)",
    ),
    m(
        "text",
        || Type::Str,
        "the whole item",
        "any(i in section(/安排/).items: i.text ~ /执法/)",
    ),
    m(
        "figures",
        || Type::list(Type::Figure),
        "the figures in it",
        "any(i in section(/举措/).items: len(i.figures) > 0)",
    ),
];
const FIGURE_MEMBERS: Members = &[
    m(
        "value",
        || Type::Quantity,
        "the number with its unit: `100 %` (a percentage, 1.0), `18 件`, `20000 人次` for `两万人次`",
        "figure(/出庭率/).value == 100%",
    ),
    m(
        "unit",
        || Type::Str,
        "`%`, `件`, `起`, `人次`, `万元`…",
        "figure(/出庭率/).unit == \"%\"",
    ),
    m(
        "label",
        || Type::Str,
        "what it counts (`行政机关负责人出庭率`)",
        "any(m in figures: m.label ~ /复议/)",
    ),
    m(
        "text",
        || Type::Str,
        "number and unit as written (`100%`)",
        "figure(/出庭率/).text == \"100%\"",
    ),
    m(
        "approximate",
        || Type::Bool,
        "true for `1000余人次`, `约200人`",
        "not figure(/普法/).approximate",
    ),
    m(
        "section",
        || Type::Section,
        "the section it is in",
        "figure(/出庭率/).section.title ~ /举措/",
    ),
    m(
        "paragraph",
        || Type::Paragraph,
        "the paragraph it is in",
        "figure(/出庭率/).paragraph.text ~ /行政诉讼/",
    ),
];
const MATCH_MEMBERS: Members = &[
    m(
        "text",
        || Type::Str,
        "the matched text",
        "mention(/\\d{4}年度/).text == \"2023年度\"",
    ),
    m(
        "section",
        || Type::Section,
        "the section it is in",
        "mention(/原因/).section.title ~ /不足/",
    ),
    m(
        "paragraph",
        || Type::Paragraph,
        "the paragraph it is in",
        "len(mention(/行政诉讼/).paragraph.figures) > 0",
    ),
];
const DATE_MEMBERS: Members = &[
    m(
        "year",
        || Type::Int,
        "the year",
        "report.date.year == report.year + 1",
    ),
    m(
        "month",
        || Type::Int,
        "the month, 1–12",
        "report.date.month <= 3",
    ),
    m(
        "day",
        || Type::Int,
        "the day of the month",
        "report.date.day >= 1",
    ),
];

/// Every type with members, in the order `rules functions` lists them.
pub const WITH_MEMBERS: &[fn() -> Type] = &[
    || Type::Report,
    || Type::Section,
    || Type::Paragraph,
    || Type::Item,
    || Type::Figure,
    || Type::Match,
    || Type::Date,
];

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Bool => f.write_str("bool"),
            Type::Int => f.write_str("int"),
            Type::Number => f.write_str("number"),
            Type::Percent => f.write_str("percentage"),
            Type::Quantity => f.write_str("quantity"),
            Type::Str => f.write_str("string"),
            Type::Regex => f.write_str("regex"),
            Type::Date => f.write_str("date"),
            Type::Null => f.write_str("null"),
            Type::List(t) => write!(f, "list<{t}>"),
            Type::Report => f.write_str("report"),
            Type::Section => f.write_str("section"),
            Type::Paragraph => f.write_str("paragraph"),
            Type::Item => f.write_str("item"),
            Type::Figure => f.write_str("figure"),
            Type::Match => f.write_str("match"),
            Type::Error => f.write_str("(error)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_compare_with_percentages_and_quantities_only() {
        assert!(!Type::Number.comparable(&Type::Percent));
        assert!(!Type::Int.ordered_with(&Type::Percent));
        assert!(Type::Quantity.ordered_with(&Type::Percent));
        assert!(Type::Quantity.ordered_with(&Type::Int));
        assert!(Type::Int.ordered_with(&Type::Number));
        assert!(!Type::Percent.comparable(&Type::Str));
        assert!(!Type::Percent.ordered_with(&Type::Str));
        assert!(Type::Null.comparable(&Type::Section));
        assert!(Type::Date.ordered_with(&Type::Date));
        assert!(!Type::Bool.ordered_with(&Type::Bool));
    }

    #[test]
    fn members_are_typed() {
        assert_eq!(Type::Figure.member("value"), Some(Type::Quantity));
        assert_eq!(Type::Report.member("date"), Some(Type::Date));
        assert_eq!(Type::Section.member("titel"), None);
        assert_eq!(Type::list(Type::Figure).to_string(), "list<figure>");
    }
}
