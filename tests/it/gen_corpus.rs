//! The corpus generators of `examples/gen_corpus`, shared by the tests that use them: the
//! three-year audit corpus and the bench corpus (which names its issuers as the first does).

#[path = "../../examples/gen_corpus/years.rs"]
#[allow(dead_code)]
pub mod years;

#[path = "../../examples/gen_corpus/bench.rs"]
pub mod bench;
