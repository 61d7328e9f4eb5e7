//! Expression stage: the operators and quantifiers of the rule language, in one table each.
//!
//! [`OPERATORS`] gives every operator its precedence level and associativity: the parser builds
//! its Pratt table from it, the pretty-printer decides parentheses with it, and
//! `reportlint rules functions` prints it with its meaning and an example — so the three cannot
//! disagree. [`QUANTIFIERS`] does the same for `any`, `all` and `count`.

use super::ast::{BinaryOp, Quantifier, UnaryOp};
use super::types::Type;

/// Where an operator stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fixity {
    /// `a op b`
    Infix(BinaryOp),
    /// `op a`
    Prefix(UnaryOp),
    /// `a.name`
    Member,
}

/// One operator: how it binds and what it means.
#[derive(Debug)]
pub struct Operator {
    pub fixity: Fixity,
    pub symbol: &'static str,
    /// Precedence, 1 binding loosest.
    pub level: u8,
    /// `a ?? b ?? c` is `a ?? (b ?? c)`; all other infix operators associate to the left.
    pub right_assoc: bool,
    pub doc: &'static str,
    pub example: &'static str,
}

const fn infix(
    op: BinaryOp,
    symbol: &'static str,
    level: u8,
    doc: &'static str,
    example: &'static str,
) -> Operator {
    Operator {
        fixity: Fixity::Infix(op),
        symbol,
        level,
        right_assoc: false,
        doc,
        example,
    }
}

/// Every operator, loosest first.
pub static OPERATORS: &[Operator] = &[
    infix(
        BinaryOp::Or,
        "or",
        1,
        "either holds (`true or unknown` is true)",
        "has_section(/不足/) or mentions(/存在.{0,10}问题/)",
    ),
    infix(
        BinaryOp::And,
        "and",
        2,
        "both hold (`false and unknown` is false)",
        "report.date != null and report.signer != null",
    ),
    Operator {
        fixity: Fixity::Prefix(UnaryOp::Not),
        symbol: "not",
        level: 3,
        right_assoc: false,
        doc: "the opposite (`not unknown` is unknown)",
        example: "not mentions(/XX|某某/)",
    },
    infix(
        BinaryOp::Eq,
        "==",
        4,
        "equal (numbers of different kinds are unknown, not unequal)",
        "figure(/出庭率/).value == 100%",
    ),
    infix(
        BinaryOp::Ne,
        "!=",
        4,
        "not equal; `x != null` asks whether the report states x",
        "figure(/出庭率/) != null",
    ),
    infix(
        BinaryOp::Lt,
        "<",
        4,
        "less than (numbers, dates, text)",
        "report.date < date(report.year + 1, 3, 1)",
    ),
    infix(
        BinaryOp::Le,
        "<=",
        4,
        "at most",
        "figure(/败诉/).value / figure(/行政诉讼/).value <= 10%",
    ),
    infix(BinaryOp::Gt, ">", 4, "more than", "len(sections) > 3"),
    infix(
        BinaryOp::Ge,
        ">=",
        4,
        "at least",
        "len(section(/下一年度/).items) >= 2",
    ),
    infix(
        BinaryOp::Match,
        "~",
        4,
        "the text matches the regex",
        "report.title ~ /20\\d{2}年度/",
    ),
    infix(
        BinaryOp::NotMatch,
        "!~",
        4,
        "the text does not match the regex",
        "report.title !~ /草稿/",
    ),
    infix(
        BinaryOp::In,
        "in",
        4,
        "an item of the list, or a part of the text",
        "\"法治\" in report.title",
    ),
    Operator {
        fixity: Fixity::Infix(BinaryOp::Coalesce),
        symbol: "??",
        level: 5,
        right_assoc: true,
        doc: "the left side unless the report does not state it, then the right side",
        example: "(figure(/出庭率/).value ?? 0%) == 100%",
    },
    infix(
        BinaryOp::Add,
        "+",
        6,
        "sum; also joins texts and lists",
        "len(section(/下一年度/).sections) + len(section(/下一年度/).items) >= 2",
    ),
    infix(
        BinaryOp::Sub,
        "-",
        6,
        "difference",
        "report.date.year - report.year == 1",
    ),
    infix(
        BinaryOp::Mul,
        "*",
        7,
        "product (`10% * 8` is 0.8)",
        "figure(/行政诉讼/).value * 10% >= 1",
    ),
    infix(
        BinaryOp::Div,
        "/",
        7,
        "quotient; two counts give a percentage (`4 / 8` is 50%)",
        "count(s in sections: s.level == 1) / len(sections) >= 20%",
    ),
    Operator {
        fixity: Fixity::Prefix(UnaryOp::Neg),
        symbol: "-",
        level: 8,
        right_assoc: false,
        doc: "negation",
        example: "-1 < 0",
    },
    Operator {
        fixity: Fixity::Member,
        symbol: ".",
        level: 9,
        right_assoc: false,
        doc: "a member (see the members of each type below)",
        example: "report.date.year == report.year + 1",
    },
];

/// The row of an operator.
fn row(fixity: Fixity) -> &'static Operator {
    OPERATORS
        .iter()
        .find(|o| o.fixity == fixity)
        .expect("every operator has a row in OPERATORS (a test checks it)")
}

/// The precedence level of a binary operator.
pub fn binary_level(op: BinaryOp) -> u8 {
    row(Fixity::Infix(op)).level
}

/// The precedence level of a prefix operator.
pub fn prefix_level(op: UnaryOp) -> u8 {
    row(Fixity::Prefix(op)).level
}

/// The precedence level of `.member`.
pub fn member_level() -> u8 {
    row(Fixity::Member).level
}

/// Whether a binary operator associates to the right.
pub fn right_assoc(op: BinaryOp) -> bool {
    row(Fixity::Infix(op)).right_assoc
}

/// One quantifier.
#[derive(Debug)]
pub struct QuantifierDoc {
    pub kind: Quantifier,
    pub keyword: &'static str,
    /// The type of the whole quantifier.
    pub ret: fn() -> Type,
    pub doc: &'static str,
    pub example: &'static str,
}

/// `any`, `all`, `count`.
pub static QUANTIFIERS: &[QuantifierDoc] = &[
    QuantifierDoc {
        kind: Quantifier::Any,
        keyword: "any",
        ret: || Type::Bool,
        doc: "true if the condition holds for one item (unknown items count only if none holds)",
        example: "any(s in sections: s.title ~ /安排/)",
    },
    QuantifierDoc {
        kind: Quantifier::All,
        keyword: "all",
        ret: || Type::Bool,
        doc: "true if the condition holds for every item (true for none)",
        example: "all(m in figures(/率/): m.value <= 100%)",
    },
    QuantifierDoc {
        kind: Quantifier::Count,
        keyword: "count",
        ret: || Type::Int,
        doc: "how many items satisfy the condition",
        example: "count(s in sections: s.parent == null) >= 3",
    },
];

/// The row of a quantifier.
pub fn quantifier(kind: Quantifier) -> &'static QuantifierDoc {
    QUANTIFIERS
        .iter()
        .find(|q| q.kind == kind)
        .expect("every quantifier has a row in QUANTIFIERS (a test checks it)")
}

/// The documented example of the quantifier `keyword` (empty for another word).
pub fn quantifier_example(keyword: &str) -> &'static str {
    QUANTIFIERS
        .iter()
        .find(|q| q.keyword == keyword)
        .map_or("", |q| q.example)
}

/// Whether `name` is a quantifier keyword (`any`, `all`, `count`).
pub fn is_quantifier(name: &str) -> bool {
    QUANTIFIERS.iter().any(|q| q.keyword == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use BinaryOp::*;

    #[test]
    fn every_operator_and_quantifier_has_one_row() {
        let binary = [
            Or, And, Eq, Ne, Lt, Le, Gt, Ge, Match, NotMatch, In, Coalesce, Add, Sub, Mul, Div,
        ];
        for op in binary {
            let rows = OPERATORS
                .iter()
                .filter(|o| o.fixity == Fixity::Infix(op))
                .count();
            assert_eq!(rows, 1, "{op:?}");
            assert_eq!(row(Fixity::Infix(op)).symbol, op.symbol());
        }
        for op in [UnaryOp::Not, UnaryOp::Neg] {
            assert!(prefix_level(op) > 0);
        }
        for q in [Quantifier::Any, Quantifier::All, Quantifier::Count] {
            assert_eq!(quantifier(q).keyword, q.keyword());
        }
        assert_eq!(OPERATORS.len(), binary.len() + 3);
        // Loosest first, as the documentation lists them.
        assert!(OPERATORS.windows(2).all(|w| w[0].level <= w[1].level));
    }
}
