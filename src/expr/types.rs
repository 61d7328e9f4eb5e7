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
    /// Decimals: `46.9531`, a figure's value.
    Number,
    /// Percentages: `100%`.
    Percent,
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

    /// Int, Number and Percent compare and compute with each other: a figure's value (`100`)
    /// equals `100%`.
    pub fn is_numeric(&self) -> bool {
        matches!(
            self,
            Type::Int | Type::Number | Type::Percent | Type::Null | Type::Error
        )
    }

    /// Whether a value of type `self` may be compared with `==` to one of type `other`.
    pub fn comparable(&self, other: &Type) -> bool {
        match (self, other) {
            (Type::Null | Type::Error, _) | (_, Type::Null | Type::Error) => true,
            (a, b) if a.is_numeric() && b.is_numeric() => true,
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
            (a, b) if a.is_numeric() && b.is_numeric() => true,
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
            .find(|(n, _, _)| *n == name)
            .map(|(_, t, _)| t())
    }
}

/// A type's members: name, type, meaning.
pub type Members = &'static [(&'static str, fn() -> Type, &'static str)];

const REPORT_MEMBERS: Members = &[
    (
        "title",
        || Type::Str,
        "the title (`2023年度法治政府建设情况报告`)",
    ),
    ("year", || Type::Int, "the year reported on"),
    ("issuer", || Type::Str, "the issuing body"),
    (
        "date",
        || Type::Date,
        "the signature date, else the footer's issue date",
    ),
    (
        "doc_number",
        || Type::Str,
        "the document number (`辛政呈〔2024〕1号`)",
    ),
    (
        "addressee",
        || Type::Str,
        "the addressee (`常熟市人民政府`)",
    ),
    (
        "signer",
        || Type::Str,
        "the body named in the signature block",
    ),
    ("text", || Type::Str, "the whole normalised text"),
    (
        "sections",
        || Type::list(Type::Section),
        "every heading, in order",
    ),
    (
        "paragraphs",
        || Type::list(Type::Paragraph),
        "every paragraph, in order",
    ),
    (
        "figures",
        || Type::list(Type::Figure),
        "every figure, in order",
    ),
];
const SECTION_MEMBERS: Members = &[
    (
        "title",
        || Type::Str,
        "the heading's title, without its marker",
    ),
    (
        "level",
        || Type::Int,
        "1 for `一、`, 2 for `（一）`, 3 for `1.`, 4 for `（1）`",
    ),
    ("number", || Type::Int, "the heading's number (`三、` → 3)"),
    ("marker", || Type::Str, "the marker as written (`(一)`)"),
    (
        "text",
        || Type::Str,
        "the normalised text of the whole section",
    ),
    ("parent", || Type::Section, "the enclosing section"),
    (
        "sections",
        || Type::list(Type::Section),
        "the sections directly under it",
    ),
    (
        "paragraphs",
        || Type::list(Type::Paragraph),
        "its paragraphs, subsections included",
    ),
    (
        "items",
        || Type::list(Type::Item),
        "its inline items `一是…`, subsections included",
    ),
    (
        "figures",
        || Type::list(Type::Figure),
        "its figures, subsections included",
    ),
];
const PARAGRAPH_MEMBERS: Members = &[
    ("text", || Type::Str, "the normalised text"),
    (
        "items",
        || Type::list(Type::Item),
        "its inline items `一是…`",
    ),
    (
        "section",
        || Type::Section,
        "the innermost section it is in",
    ),
];
const ITEM_MEMBERS: Members = &[
    ("ordinal", || Type::Int, "1 for `一是`, 2 for `二是`…"),
    (
        "title",
        || Type::Str,
        "the words after `一是` up to the first stop",
    ),
    ("text", || Type::Str, "the whole item"),
];
const FIGURE_MEMBERS: Members = &[
    (
        "value",
        || Type::Number,
        "the number (`100`, `46.9531`, `20000` for `两万`)",
    ),
    ("unit", || Type::Str, "`%`, `件`, `起`, `人次`, `万元`…"),
    (
        "label",
        || Type::Str,
        "what it counts (`行政机关负责人出庭率`)",
    ),
    ("text", || Type::Str, "number and unit as written (`100%`)"),
    (
        "approximate",
        || Type::Bool,
        "true for `1000余人次`, `约200人`",
    ),
    ("section", || Type::Section, "the section it is in"),
];
const MATCH_MEMBERS: Members = &[
    ("text", || Type::Str, "the matched text"),
    ("section", || Type::Section, "the section it is in"),
];
const DATE_MEMBERS: Members = &[
    ("year", || Type::Int, "the year"),
    ("month", || Type::Int, "the month, 1–12"),
    ("day", || Type::Int, "the day of the month"),
];

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Bool => f.write_str("bool"),
            Type::Int => f.write_str("int"),
            Type::Number => f.write_str("number"),
            Type::Percent => f.write_str("percent"),
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
    fn numbers_and_percentages_compare_but_not_with_strings() {
        assert!(Type::Number.comparable(&Type::Percent));
        assert!(Type::Int.ordered_with(&Type::Percent));
        assert!(!Type::Percent.comparable(&Type::Str));
        assert!(!Type::Percent.ordered_with(&Type::Str));
        assert!(Type::Null.comparable(&Type::Section));
        assert!(Type::Date.ordered_with(&Type::Date));
        assert!(!Type::Bool.ordered_with(&Type::Bool));
    }

    #[test]
    fn members_are_typed() {
        assert_eq!(Type::Figure.member("value"), Some(Type::Number));
        assert_eq!(Type::Report.member("date"), Some(Type::Date));
        assert_eq!(Type::Section.member("titel"), None);
        assert_eq!(Type::list(Type::Figure).to_string(), "list<figure>");
    }
}
