//! Expression stage: the rule language.
//!
//! `parse` (pest grammar in `grammar/expr.pest`) → [`compile`] (names resolved, types checked,
//! regexes compiled) → [`eval`] (three-valued, with evidence). Nothing is compiled while checking.

pub mod ast;
pub mod catalog;
pub mod compile;
pub mod eval;
pub mod library;
pub mod number;
pub mod operators;
pub mod parse;
pub mod pretty;
pub mod regex;
pub mod suggest;
pub mod trace;
pub mod types;
pub mod value;
