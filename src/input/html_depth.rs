//! Input stage: html5ever driven with a guard on the depth of the tree it really builds.
//!
//! html5ever's tree builder scans its stack of open elements for most tags, so its time grows
//! with (tags) × (depth). The pre-scan in [`super::html`] drops tags nested too deeply, but it
//! can only approximate the parser's namespace and end-tag rules (`<svg><p>` leaves SVG, after
//! which `<div/>` no longer closes itself). This guard needs no such model: it watches the tree
//! html5ever builds — whatever the namespace — and stops feeding input once an element is
//! appended deeper than [`MAX_HTML_DEPTH`], so parsing stays linear.

use std::borrow::Cow;
use std::cell::Cell;

use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, QualName};
use scraper::{Html, HtmlTreeSink};

/// Deepest element accepted in an HTML page, as html5ever nests it. Browsers cap depth at 512;
/// the pre-scan keeps honest deep pages far below this.
pub const MAX_HTML_DEPTH: usize = 1024;

/// Input is fed to the parser in pieces of this size, and the guard checked between them: at
/// most one piece is parsed beyond the limit.
const CHUNK: usize = 16 * 1024;

/// Where the guard tripped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep {
    /// 1-based line of the input where the element beyond the limit was appended.
    pub line: u64,
}

/// Parses `html` as a document, or says where it nests deeper than [`MAX_HTML_DEPTH`].
pub fn parse_document(html: &str) -> Result<Html, TooDeep> {
    let sink = Guard {
        inner: HtmlTreeSink::new(Html::new_document()),
        line: Cell::new(1),
        tripped: Cell::new(None),
    };
    let mut parser = html5ever::driver::parse_document(sink, Default::default());
    let mut rest = html;
    while !rest.is_empty() {
        let mut cut = rest.len().min(CHUNK);
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        parser.process(StrTendril::from_slice(&rest[..cut]));
        rest = &rest[cut..];
        if let Some(line) = parser.tokenizer.sink.sink.tripped.get() {
            return Err(TooDeep { line });
        }
    }
    Ok(parser.finish())
}

/// scraper's tree sink, watching the depth of every node appended.
struct Guard {
    inner: HtmlTreeSink,
    line: Cell<u64>,
    tripped: Cell<Option<u64>>,
}

impl Guard {
    /// Records a trip when a node appended under `parent` would be too deep. Counting stops at
    /// the limit, so the check costs at most [`MAX_HTML_DEPTH`] steps.
    fn watch(&self, parent: &<HtmlTreeSink as TreeSink>::Handle) {
        if self.tripped.get().is_some() {
            return;
        }
        let html = self.inner.0.borrow();
        let depth = html
            .tree
            .get(*parent)
            .map_or(0, |n| n.ancestors().take(MAX_HTML_DEPTH).count() + 1);
        if depth >= MAX_HTML_DEPTH {
            self.tripped.set(Some(self.line.get()));
        }
    }
}

impl TreeSink for Guard {
    type Output = Html;
    type Handle = <HtmlTreeSink as TreeSink>::Handle;
    type ElemName<'a> = <HtmlTreeSink as TreeSink>::ElemName<'a>;

    fn finish(self) -> Html {
        self.inner.finish()
    }
    fn parse_error(&self, msg: Cow<'static, str>) {
        self.inner.parse_error(msg)
    }
    fn set_current_line(&self, line: u64) {
        self.line.set(line);
    }
    fn get_document(&self) -> Self::Handle {
        self.inner.get_document()
    }
    fn elem_name<'a>(&'a self, target: &'a Self::Handle) -> Self::ElemName<'a> {
        self.inner.elem_name(target)
    }
    fn create_element(
        &self,
        name: QualName,
        attrs: Vec<Attribute>,
        flags: ElementFlags,
    ) -> Self::Handle {
        self.inner.create_element(name, attrs, flags)
    }
    fn create_comment(&self, text: StrTendril) -> Self::Handle {
        self.inner.create_comment(text)
    }
    fn create_pi(&self, target: StrTendril, data: StrTendril) -> Self::Handle {
        self.inner.create_pi(target, data)
    }
    fn append(&self, parent: &Self::Handle, child: NodeOrText<Self::Handle>) {
        if matches!(child, NodeOrText::AppendNode(_)) {
            self.watch(parent);
        }
        self.inner.append(parent, child)
    }
    fn append_based_on_parent_node(
        &self,
        element: &Self::Handle,
        prev_element: &Self::Handle,
        child: NodeOrText<Self::Handle>,
    ) {
        if matches!(child, NodeOrText::AppendNode(_)) {
            self.watch(prev_element);
        }
        self.inner
            .append_based_on_parent_node(element, prev_element, child)
    }
    fn append_doctype_to_document(
        &self,
        name: StrTendril,
        public_id: StrTendril,
        system_id: StrTendril,
    ) {
        self.inner
            .append_doctype_to_document(name, public_id, system_id)
    }
    fn mark_script_already_started(&self, node: &Self::Handle) {
        self.inner.mark_script_already_started(node)
    }
    fn pop(&self, node: &Self::Handle) {
        self.inner.pop(node)
    }
    fn get_template_contents(&self, target: &Self::Handle) -> Self::Handle {
        self.inner.get_template_contents(target)
    }
    fn same_node(&self, x: &Self::Handle, y: &Self::Handle) -> bool {
        self.inner.same_node(x, y)
    }
    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.inner.set_quirks_mode(mode)
    }
    fn append_before_sibling(&self, sibling: &Self::Handle, new_node: NodeOrText<Self::Handle>) {
        if matches!(new_node, NodeOrText::AppendNode(_)) {
            self.watch(sibling);
        }
        self.inner.append_before_sibling(sibling, new_node)
    }
    fn add_attrs_if_missing(&self, target: &Self::Handle, attrs: Vec<Attribute>) {
        self.inner.add_attrs_if_missing(target, attrs)
    }
    fn remove_from_parent(&self, target: &Self::Handle) {
        self.inner.remove_from_parent(target)
    }
    fn reparent_children(&self, node: &Self::Handle, new_parent: &Self::Handle) {
        self.inner.reparent_children(node, new_parent)
    }
    fn is_mathml_annotation_xml_integration_point(&self, handle: &Self::Handle) -> bool {
        self.inner
            .is_mathml_annotation_xml_integration_point(handle)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_pages_parse_as_scraper_parses_them() {
        let page = "<html><body><svg><path/></svg><p>一、总体情况</p><div>正文</div></body></html>";
        let ours = parse_document(page).unwrap();
        assert_eq!(ours.html(), Html::parse_document(page).html());
    }

    #[test]
    fn a_page_deeper_than_the_limit_is_refused_with_its_line() {
        let page = format!("<p>x</p>\n{}", "<div>".repeat(MAX_HTML_DEPTH + 10));
        assert_eq!(parse_document(&page).unwrap_err(), TooDeep { line: 2 });
    }
}
