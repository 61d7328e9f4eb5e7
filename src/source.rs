//! Shared by the stages that report errors: source text for miette diagnostics.

use std::sync::Arc;

/// Source text for diagnostics whose `file:line:col` header counts columns in characters, as
/// compilers do. miette's `str` source counts bytes, so a caret after Chinese text would be
/// announced at column 45 while it sits under character 33.
#[derive(Debug, Clone)]
pub struct CharColumns {
    name: String,
    text: Arc<str>,
}

impl CharColumns {
    pub fn new(name: impl Into<String>, text: Arc<str>) -> Self {
        CharColumns {
            name: name.into(),
            text,
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

impl miette::SourceCode for CharColumns {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let inner = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        let offset = inner.span().offset();
        let line_start = offset - inner.column();
        let column = self
            .text
            .get(line_start..offset)
            .map_or(inner.column(), |s| s.chars().count());
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line(),
            column,
            inner.line_count(),
        )))
    }
}
