//! Expression stage: everything callable in the rule language, listed for `reportlint rules
//! functions` — functions, quantifiers, operators, names and the members of each type, each with
//! its meaning and an example.
//!
//! Nothing here is written twice: the listing reads the very tables the parser and the compiler
//! use ([`FUNCTIONS`], [`QUANTIFIERS`], [`OPERATORS`], [`GLOBALS`], the member tables of
//! [`Type`]), and a test compiles every example it shows.

use super::compile::GLOBALS;
use super::library::FUNCTIONS;
use super::operators::{Fixity, OPERATORS, QUANTIFIERS};
use super::types::{Type, WITH_MEMBERS};
use std::fmt::Write as _;

/// One documented thing and its example, for the listing and for the test that compiles them.
#[derive(Debug)]
pub struct Entry {
    /// The section it is listed under: `functions`, `quantifiers`, `operators`, `names`, or a
    /// type's name for its members.
    pub group: String,
    /// How it is written: `figure(re: regex) -> figure`, `any(x in list: condition) -> bool`,
    /// `<=`, `.title  string`.
    pub head: String,
    pub doc: &'static str,
    /// An expression, or a `for:` clause written `for: m in …`.
    pub example: &'static str,
}

/// Every entry of the listing, in order.
pub fn entries() -> Vec<Entry> {
    let mut out = Vec::new();
    for f in FUNCTIONS {
        out.push(Entry {
            group: "functions".into(),
            head: f.signature(),
            doc: f.doc,
            example: f.example,
        });
    }
    for q in QUANTIFIERS {
        out.push(Entry {
            group: "quantifiers".into(),
            head: format!("{}(x in list: condition) -> {}", q.keyword, (q.ret)()),
            doc: q.doc,
            example: q.example,
        });
    }
    for o in OPERATORS {
        let head = match o.fixity {
            Fixity::Infix(_) => format!("a {} b", o.symbol),
            Fixity::Prefix(_) if o.symbol == "-" => "-a".to_string(),
            Fixity::Prefix(_) => format!("{} a", o.symbol),
            Fixity::Member => "a.name".to_string(),
        };
        out.push(Entry {
            group: "operators".into(),
            head: format!("{head:<10} level {}", o.level),
            doc: o.doc,
            example: o.example,
        });
    }
    for g in GLOBALS {
        out.push(Entry {
            group: "names".into(),
            head: format!("{:<11} {}", g.name, g.global.ty()),
            doc: g.doc,
            example: g.example,
        });
    }
    for t in WITH_MEMBERS {
        let t = t();
        for m in t.members() {
            out.push(Entry {
                group: t.to_string(),
                head: format!(".{:<12} {}", m.name, (m.ty)()),
                doc: m.doc,
                example: m.example,
            });
        }
    }
    out
}

/// The text `reportlint rules functions` prints.
pub fn listing() -> String {
    let mut out = String::new();
    let mut group = String::new();
    for e in entries() {
        if e.group != group {
            if !group.is_empty() {
                out.push('\n');
            }
            let title = match e.group.as_str() {
                "functions" => "Functions".to_string(),
                "quantifiers" => "Quantifiers".to_string(),
                "operators" => {
                    "Operators, loosest first (a higher level binds tighter)".to_string()
                }
                "names" => "Names".to_string(),
                t => format!("Members of {}", Type::a_name(t)),
            };
            let _ = writeln!(out, "{title}");
            group = e.group.clone();
        }
        let _ = writeln!(out, "  {}", e.head);
        let _ = writeln!(out, "      {}", e.doc);
        let _ = writeln!(out, "      e.g. {}", e.example);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::compile::{Scope, compile};
    use crate::expr::parse::{parse_expr, parse_for};

    /// Every example the listing shows compiles: the documentation cannot show a call that the
    /// compiler refuses.
    #[test]
    fn every_example_compiles() {
        for e in entries() {
            let result = match e.example.strip_prefix("for: ") {
                Some(clause) => {
                    let f = parse_for(clause).unwrap_or_else(|err| panic!("{}: {err}", e.head));
                    compile(clause, &f.list, &mut Scope::new()).map(|_| ())
                }
                None => {
                    let ast =
                        parse_expr(e.example).unwrap_or_else(|err| panic!("{}: {err}", e.head));
                    compile(e.example, &ast, &mut Scope::new()).map(|_| ())
                }
            };
            assert!(result.is_ok(), "{} | {}: {result:?}", e.group, e.example);
        }
    }

    #[test]
    fn everything_callable_is_listed() {
        let text = listing();
        for f in FUNCTIONS {
            assert!(text.contains(&f.signature()), "{}", f.name);
        }
        for q in QUANTIFIERS {
            assert!(text.contains(&format!("{}(x in list: condition)", q.keyword)));
        }
        for o in OPERATORS {
            assert!(text.contains(o.symbol), "{}", o.symbol);
        }
        for t in WITH_MEMBERS {
            for m in t().members() {
                assert!(text.contains(&format!(".{}", m.name)), "{}", m.name);
            }
        }
        assert!(text.contains("Members of a figure"));
        assert!(text.contains("      e.g. any(s in sections: s.title ~ /安排/)"));
    }
}
