//! Input stage: turns an HTML page into plain text lines with heading hints.
//!
//! The page is parsed with `scraper` (html5ever, the HTML5 parsing algorithm
//! browsers use, which also decodes entities) and the `<body>` is walked with
//! an explicit stack, so arbitrarily deep nesting cannot overflow the call
//! stack. The walk roughly mimics what a browser renders:
//!
//! * `script`, `style`, `noscript`, `template`, `head`, `svg` and `iframe`
//!   subtrees, comments and doctypes produce nothing;
//! * block elements (`p`, `div`, `li`, `h1`…, `table`, `tr`, …) start and end
//!   lines, but never produce empty lines by themselves; `<br>` is a hard line
//!   break (so `a<br><br>b` gives one empty line between `a` and `b`);
//! * runs of ASCII whitespace in text collapse to one space and lines are
//!   trimmed of ASCII whitespace, while U+00A0 and U+3000 are kept as they
//!   are; inside `<pre>` text is kept verbatim (only trailing ASCII whitespace
//!   of a line is trimmed);
//! * each table row is one line, with its cells joined by two spaces (block
//!   elements *inside* a cell still break lines, so layout tables whose cells
//!   hold whole articles keep their paragraphs);
//! * `<h1>`…`<h6>` give a [`HeadingHint`](super::extracted::HeadingHint) of
//!   level 1…6 for the first line of their text;
//! * web-page chrome (navigation, footers) is kept as text: later rules flag
//!   it.
//!
//! The result never contains two empty lines in a row, has no leading or
//! trailing empty lines and ends with `'\n'` when non-empty.
//!
//! html5ever's tree builder slows down quadratically with nesting depth, so
//! before parsing, a linear pre-scan drops the tags (not the text) of
//! elements nested more than `MAX_NESTING` (256) levels deep; browsers cap depth
//! similarly, and real pages never get near it.

use std::borrow::Cow;

use scraper::Node;

use super::extracted::{Extracted, TextBuilder};

/// Elements whose whole subtree is not rendered text.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "head", "svg", "iframe",
];

/// Elements whose contents are preformatted (whitespace kept verbatim).
const PREFORMATTED: &[&str] = &["pre", "listing", "xmp", "plaintext"];

/// Elements that start and end a line.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frameset",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "option",
    "p",
    "section",
    "summary",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "title",
    "ul",
];

/// Turns an HTML page into plain text lines with heading hints, or says where the page nests
/// deeper than [`MAX_HTML_DEPTH`](super::html_depth::MAX_HTML_DEPTH) even after the pre-scan.
///
/// Never panics; runs in time linear in the size of the parsed tree.
pub(crate) fn extract_html(html: &str) -> Result<Extracted, super::html_depth::TooDeep> {
    let document = super::html_depth::parse_document(&limit_nesting(html))?;
    let root = document.tree.root();
    let body = root
        .children()
        .find(|n| matches!(n.value(), Node::Element(e) if e.name() == "html"))
        .and_then(|html| {
            html.children()
                .find(|n| matches!(n.value(), Node::Element(e) if e.name() == "body"))
        });
    let start = body.unwrap_or(root);

    let mut writer = Writer::default();
    // (node, leaving): `leaving` entries close an element after its children.
    let mut stack = vec![(start, false)];
    while let Some((node, leaving)) = stack.pop() {
        let value = node.value();
        if leaving {
            if let Node::Element(element) = value {
                writer.close(element.name());
            }
            continue;
        }
        match value {
            Node::Text(text) => writer.text(text),
            Node::Element(element) => {
                let name = element.name();
                if SKIPPED.contains(&name) {
                    continue;
                }
                writer.open(name);
                stack.push((node, true));
            }
            Node::Document | Node::Fragment => {}
            // Comments, doctypes and processing instructions render nothing.
            _ => continue,
        }
        let mut child = node.last_child();
        while let Some(c) = child {
            stack.push((c, false));
            child = c.prev_sibling();
        }
    }
    Ok(writer.finish())
}

/// Element nesting depth beyond which tags are dropped before parsing.
///
/// html5ever's tree builder scans the stack of open elements for most start
/// tags, so its running time grows with (number of tags) × (nesting depth).
/// Capping the depth (browsers cap it at 512) keeps parsing linear; real
/// pages nest far less deeply than this.
const MAX_NESTING: usize = 256;

/// Void elements: never have contents or end tags.
const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img",
    "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
];

/// Elements whose end tag may be omitted: the parser closes them
/// implicitly, so they are not counted as nesting (missing end tags would
/// otherwise make the count drift upwards).
const OPTIONAL_END: &[&str] = &[
    "body", "caption", "colgroup", "dd", "dt", "head", "html", "li", "optgroup", "option", "p",
    "rb", "rp", "rt", "rtc", "tbody", "td", "tfoot", "th", "thead", "tr",
];

/// Elements whose contents the tokenizer reads as raw text up to the
/// matching end tag.
const RAW_TEXT: &[&str] = &[
    "iframe", "noembed", "noframes", "noscript", "script", "style", "textarea", "title", "xmp",
];

/// Returns `html` with the start and end tags of elements nested deeper than
/// [`MAX_NESTING`] removed (their text is kept), or `html` itself when it
/// does not nest that deeply. Linear time: a lightweight scan that only
/// follows tags, comments and raw-text elements.
fn limit_nesting(html: &str) -> Cow<'_, str> {
    if scan_nesting(html, None) <= MAX_NESTING {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    scan_nesting(html, Some(&mut out));
    Cow::Owned(out)
}

/// Whether an element's tags count towards the nesting depth. Raw-text
/// elements have no child elements (and dropping their tags would expose
/// their contents as text).
fn counts_as_nesting(name: &str) -> bool {
    !(VOID.contains(&name)
        || OPTIONAL_END.contains(&name)
        || RAW_TEXT.contains(&name)
        || name == "plaintext")
}

/// One markup construct found by [`next_markup`].
enum Markup {
    Start {
        name: String,
        self_closing: bool,
    },
    End {
        name: String,
    },
    /// Comment, doctype, processing instruction, `</>` …
    Other,
}

/// Scans `html` and returns its maximum element nesting depth (as counted
/// here). With `out`, also copies `html` there without the tags that open
/// or close elements deeper than [`MAX_NESTING`].
fn scan_nesting(html: &str, mut out: Option<&mut String>) -> usize {
    let bytes = html.as_bytes();
    let mut depth = 0usize;
    let mut max_depth = 0usize;
    // Depth of the outermost open `svg`/`math` element: in such foreign
    // content `/>` really closes elements.
    let mut foreign_at: Option<usize> = None;
    let mut copied = 0;
    let mut i = 0;
    while let Some(offset) = bytes[i..].iter().position(|&b| b == b'<') {
        let start = i + offset;
        let Some((markup, end)) = next_markup(bytes, start) else {
            i = start + 1;
            continue;
        };
        i = end;
        let drop = match markup {
            Markup::Start { name, self_closing } => {
                let name = name.as_str();
                if RAW_TEXT.contains(&name) && foreign_at.is_none() && !self_closing {
                    i = find_end_tag(bytes, end, name);
                } else if name == "plaintext" {
                    i = bytes.len();
                }
                let closes_itself = self_closing && foreign_at.is_some();
                if !counts_as_nesting(name) || closes_itself {
                    false
                } else {
                    let drop = depth >= MAX_NESTING;
                    depth += 1;
                    max_depth = max_depth.max(depth);
                    if foreign_at.is_none() && (name == "svg" || name == "math") {
                        foreign_at = Some(depth);
                    }
                    drop
                }
            }
            Markup::End { name } => {
                if !counts_as_nesting(&name) {
                    false
                } else {
                    let drop = depth > MAX_NESTING;
                    depth = depth.saturating_sub(1);
                    if foreign_at.is_some_and(|at| depth < at) {
                        foreign_at = None;
                    }
                    drop
                }
            }
            Markup::Other => false,
        };
        if drop && let Some(out) = out.as_deref_mut() {
            out.push_str(&html[copied..start]);
            copied = end;
        }
    }
    if let Some(out) = out {
        out.push_str(&html[copied..]);
    }
    max_depth
}

/// Recognises the markup starting at `bytes[start] == b'<'`; returns it and
/// the index just after it, or `None` if this `<` is plain text.
fn next_markup(bytes: &[u8], start: usize) -> Option<(Markup, usize)> {
    let rest = &bytes[start + 1..];
    let find = |from: usize, needle: &[u8]| {
        bytes[from.min(bytes.len())..]
            .windows(needle.len())
            .position(|w| w == needle)
            .map_or(bytes.len(), |p| from + p + needle.len())
    };
    match rest {
        [b'!', b'-', b'-', b'>', ..] => Some((Markup::Other, start + 5)),
        [b'!', b'-', b'-', b'-', b'>', ..] => Some((Markup::Other, start + 6)),
        [b'!', b'-', b'-', ..] => Some((Markup::Other, find(start + 4, b"-->"))),
        [b'!' | b'?', ..] => Some((Markup::Other, find(start + 2, b">"))),
        [b'/', b'>', ..] => Some((Markup::Other, start + 3)),
        [b'/', c, ..] if c.is_ascii_alphabetic() => {
            let (name, end, _) = tag_name_and_end(bytes, start + 2);
            Some((Markup::End { name }, end))
        }
        [b'/', ..] => Some((Markup::Other, find(start + 2, b">"))),
        [c, ..] if c.is_ascii_alphabetic() => {
            let (name, end, self_closing) = tag_name_and_end(bytes, start + 1);
            Some((Markup::Start { name, self_closing }, end))
        }
        _ => None,
    }
}

/// Reads a tag name starting at `from` and skips the attributes (honouring
/// quoted values). Returns the lower-cased name, the index after `>` (or the
/// end of input) and whether the tag ends with `/>`.
fn tag_name_and_end(bytes: &[u8], from: usize) -> (String, usize, bool) {
    let mut j = from;
    while j < bytes.len() && !matches!(bytes[j], b'>' | b'/') && !bytes[j].is_ascii_whitespace() {
        j += 1;
    }
    let name = String::from_utf8_lossy(&bytes[from..j]).to_ascii_lowercase();
    while j < bytes.len() {
        match bytes[j] {
            b'>' => return (name, j + 1, bytes[j - 1] == b'/'),
            b'=' => {
                j += 1;
                while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                if let Some(&quote @ (b'"' | b'\'')) = bytes.get(j) {
                    j += 1;
                    while j < bytes.len() && bytes[j] != quote {
                        j += 1;
                    }
                    j += 1;
                }
            }
            _ => j += 1,
        }
    }
    (name, bytes.len(), false)
}

/// Index of the `<` of the first `</name` (any case) at or after `from` that
/// is followed by whitespace, `/` or `>`; the end of input if none.
fn find_end_tag(bytes: &[u8], from: usize, name: &str) -> usize {
    let name = name.as_bytes();
    let mut i = from;
    while let Some(offset) = bytes
        .get(i..)
        .and_then(|rest| rest.windows(2).position(|w| w == b"</"))
    {
        let at = i + offset;
        let after = at + 2 + name.len();
        if bytes.len() >= after
            && bytes[at + 2..after].eq_ignore_ascii_case(name)
            && bytes
                .get(after)
                .is_none_or(|&b| b == b'>' || b == b'/' || b.is_ascii_whitespace())
        {
            return at;
        }
        i = at + 2;
    }
    bytes.len()
}

/// HTML's ASCII whitespace.
fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{0C}')
}

fn heading_level(name: &str) -> Option<u8> {
    match name {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

/// Accumulates rendered text line by line.
#[derive(Default)]
struct Writer {
    out: TextBuilder,
    /// The line being built.
    line: String,
    /// Heading level of the line being built.
    line_heading: Option<u8>,
    /// The line holds preformatted text: do not trim its start.
    line_verbatim: bool,
    /// A block boundary was crossed: the next content starts a new line
    /// (lazily, so that nested blocks never produce empty lines).
    pending_break: bool,
    /// Collapsed whitespace owed before the next content on the same line.
    pending_space: bool,
    /// A cell separator is owed before the next content on the same line.
    pending_separator: bool,
    /// The next content is the first text of a heading of this level.
    pending_heading: Option<u8>,
    /// At the start of a table cell, before any content: block boundaries do
    /// not break the row's line.
    cell_start: bool,
    /// Number of open preformatted elements.
    pre_depth: usize,
    /// One entry per open `<tr>`: whether it has had a cell yet.
    rows: Vec<bool>,
}

impl Writer {
    fn open(&mut self, name: &str) {
        if let Some(level) = heading_level(name) {
            self.block_break();
            self.pending_heading = Some(level);
            return;
        }
        match name {
            "br" => self.hard_break(),
            "tr" => {
                // Everything before the row is finished now, so that
                // boundaries inside cells can be dropped freely.
                if !self.line.is_empty() {
                    self.flush_line();
                }
                self.pending_break = false;
                self.pending_space = false;
                self.rows.push(false);
            }
            "td" | "th" => {
                if let Some(had_cell) = self.rows.last_mut() {
                    if *had_cell {
                        self.pending_break = false;
                        self.pending_separator = true;
                    }
                    *had_cell = true;
                }
                self.pending_space = false;
                self.cell_start = true;
            }
            _ if PREFORMATTED.contains(&name) => {
                self.block_break();
                self.pre_depth += 1;
            }
            _ if BLOCKS.contains(&name) => self.block_break(),
            _ => {}
        }
    }

    fn close(&mut self, name: &str) {
        if heading_level(name).is_some() {
            self.pending_heading = None;
            self.block_break();
            return;
        }
        match name {
            "tr" => {
                self.rows.pop();
                self.pending_separator = false;
                self.block_break();
            }
            "td" | "th" => {
                // Boundaries at the end of a cell do not end the row's line.
                self.pending_break = false;
                self.cell_start = false;
            }
            _ if PREFORMATTED.contains(&name) => {
                self.pre_depth = self.pre_depth.saturating_sub(1);
                self.block_break();
            }
            _ if BLOCKS.contains(&name) => self.block_break(),
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        if self.pre_depth > 0 {
            for (i, segment) in text.split('\n').enumerate() {
                if i > 0 {
                    self.hard_break();
                }
                let segment = segment.trim_end_matches('\r');
                if !segment.is_empty() {
                    self.begin_content();
                    self.line.push_str(segment);
                    self.line_verbatim = true;
                }
            }
            return;
        }
        for c in text.chars() {
            if is_html_space(c) {
                self.pending_space = true;
            } else {
                self.begin_content();
                self.line.push(c);
            }
        }
    }

    /// Called before any content is added to the line.
    fn begin_content(&mut self) {
        if self.pending_break {
            self.pending_break = false;
            if !self.line.is_empty() {
                self.flush_line();
            }
        }
        if self.pending_separator {
            self.pending_separator = false;
            if !self.line.is_empty() {
                self.trim_line_end();
                self.line.push_str("  ");
            }
            self.pending_space = false;
        }
        if self.pending_space {
            self.pending_space = false;
            if !self.line.is_empty() && !self.line.ends_with(' ') {
                self.line.push(' ');
            }
        }
        self.cell_start = false;
        if let Some(level) = self.pending_heading.take() {
            self.line_heading.get_or_insert(level);
        }
    }

    /// A block boundary: the next content goes on a new line.
    fn block_break(&mut self) {
        self.pending_space = false;
        if !self.cell_start {
            self.pending_break = true;
        }
    }

    /// `<br>` or a newline in preformatted text: ends the line even if empty.
    fn hard_break(&mut self) {
        if self.pending_break {
            self.pending_break = false;
            if !self.line.is_empty() {
                self.flush_line();
            }
        }
        self.flush_line();
    }

    fn trim_line_end(&mut self) {
        let len = self.line.trim_end_matches(is_html_space).len();
        self.line.truncate(len);
    }

    fn flush_line(&mut self) {
        self.trim_line_end();
        let start = if self.line_verbatim {
            0
        } else {
            self.line.len() - self.line.trim_start_matches(is_html_space).len()
        };
        self.out
            .push_line(&self.line[start..], self.line_heading.take());
        self.line.clear();
        self.line_verbatim = false;
        self.pending_space = false;
    }

    fn finish(mut self) -> Extracted {
        if !self.line.is_empty() {
            self.flush_line();
        }
        self.out.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::super::extracted::HeadingHint;
    use super::*;

    fn extract(html: &str) -> Extracted {
        extract_html(html).expect("within the depth limit")
    }

    fn text(html: &str) -> String {
        extract(html).text
    }

    #[test]
    fn page_with_chrome_heading_paragraphs_and_scripts() {
        let html = "<!DOCTYPE html><html><head><title>页面标题</title>\
            <script>var inHead = 1;</script></head><body>\
            <div class=\"nav\"><a href=\"/\">首页</a> | <a>简体</a> | <a>繁体</a> | <a>无障碍</a></div>\
            <h1>标题</h1><p>一、总体情况</p><p>第二段<br>换行</p>\
            <script>var x=1</script><style>p{}</style>\
            <div class=\"footer\">苏公网安备 32058202010198号</div></body></html>";
        let extracted = extract(html);
        assert_eq!(
            extracted.text,
            "首页 | 简体 | 繁体 | 无障碍\n标题\n一、总体情况\n第二段\n换行\n苏公网安备 32058202010198号\n"
        );
        assert_eq!(
            extracted.heading_hints,
            vec![HeadingHint { line: 1, level: 1 }]
        );
    }

    #[test]
    fn heading_levels_and_line_numbers_after_collapsing() {
        let extracted =
            extract("<p>甲</p><br><br><br><h2>乙</h2><h3>丙<br>丁</h3><h6> 戊 </h6><p>己</p>");
        assert_eq!(extracted.text, "甲\n\n乙\n丙\n丁\n戊\n己\n");
        assert_eq!(
            extracted.heading_hints,
            vec![
                HeadingHint { line: 2, level: 2 },
                HeadingHint { line: 3, level: 3 },
                HeadingHint { line: 5, level: 6 },
            ]
        );
    }

    #[test]
    fn empty_heading_gives_no_hint_to_the_next_line() {
        let extracted = extract("<h2>  </h2><p>正文</p><h1><img src=x></h1>");
        assert_eq!(extracted.text, "正文\n");
        assert!(extracted.heading_hints.is_empty());
    }

    #[test]
    fn whitespace_collapses_like_a_browser() {
        assert_eq!(
            text("<p>  a \n\t b  <span> c</span> <b>d</b>\r\n</p>\n\n<div>\n  e  </div>"),
            "a b c d\ne\n"
        );
        assert_eq!(text("<p><b>依法</b><i>行政</i></p>"), "依法行政\n");
    }

    #[test]
    fn nbsp_and_ideographic_space_are_kept() {
        assert_eq!(
            text("<p> \u{3000}\u{3000}正文&nbsp;&nbsp;内容\u{3000} </p>"),
            "\u{3000}\u{3000}正文\u{a0}\u{a0}内容\u{3000}\n"
        );
    }

    #[test]
    fn nested_blocks_do_not_make_empty_lines_but_br_does_once() {
        assert_eq!(
            text("<div><div><p>a</p></div><section><p>b</p></section></div>"),
            "a\nb\n"
        );
        assert_eq!(text("<p>a<br><br><br><br>b</p>"), "a\n\nb\n");
        assert_eq!(text("<p>a<br></p><p>b</p>"), "a\nb\n");
        assert_eq!(text("<br><br><p>a</p><br><br>"), "a\n");
        assert_eq!(
            text("<ul><li>一</li><li>二</li></ul>x<hr>y"),
            "一\n二\nx\ny\n"
        );
    }

    #[test]
    fn tables_flatten_row_by_row() {
        let html = "<p>前</p><table><thead><tr><th>项目</th><th>数量</th></tr></thead>\
            <tbody><tr> <td><p>行政复议</p></td> <td> 12 </td> </tr>\
            <tr><td></td><td>x</td></tr>\
            <tr><td>a<br>b</td><td>c</td></tr></tbody></table><p>后</p>";
        assert_eq!(text(html), "前\n项目  数量\n行政复议  12\nx\na\nb  c\n后\n");
    }

    #[test]
    fn layout_table_cell_keeps_its_paragraphs() {
        let html = "<table><tr><td><p>第一段</p><p>第二段</p></td><td>侧栏</td></tr></table>";
        assert_eq!(text(html), "第一段\n第二段  侧栏\n");
    }

    #[test]
    fn pre_keeps_whitespace() {
        assert_eq!(
            text("<p>x</p><pre>  a   b  \n\n\n    c\tX</pre><p>y  z</p>"),
            "x\n  a   b\n\n    c\tX\ny z\n"
        );
    }

    #[test]
    fn skipped_subtrees_and_comments_render_nothing() {
        let html = "<p>a<!-- 注释 --><noscript>请开启JS</noscript>\
            <svg><text>svg文字</text></svg><iframe>框架</iframe>\
            <template>模板</template>b</p>";
        assert_eq!(text(html), "ab\n");
    }

    #[test]
    fn entities_are_decoded() {
        assert_eq!(
            text("<p>&lt;法&gt; &amp; &#x4E2D;&#25991;</p>"),
            "<法> & 中文\n"
        );
    }

    #[test]
    fn empty_and_text_only_inputs() {
        assert_eq!(extract(""), Extracted::default());
        assert_eq!(extract("   \n "), Extracted::default());
        assert_eq!(text("纯文本"), "纯文本\n");
        assert_eq!(text("<frameset><frame src=a></frameset>"), "");
    }

    #[test]
    fn deeply_nested_divs_do_not_overflow_the_stack() {
        let depth = 100_000;
        let mut html = String::with_capacity(depth * 11 + 16);
        for _ in 0..depth {
            html.push_str("<div>");
        }
        html.push_str("深层");
        for _ in 0..depth {
            html.push_str("</div>");
        }
        html.push_str("<p>后</p>");
        assert_eq!(text(&html), "深层\n后\n");
    }

    #[test]
    fn deep_nesting_keeps_text_and_hides_scripts() {
        let depth = 1_000;
        let html = format!(
            "{}<p>深</p><script>var hidden = '<div>';</script>层<style>p{{}}</style>{}<p>后</p>",
            "<span><div>".repeat(depth),
            "</div></span>".repeat(depth)
        );
        assert_eq!(text(&html), "深\n层\n后\n");
    }

    #[test]
    fn nesting_limit_leaves_ordinary_pages_alone() {
        // Optional end tags, void elements, comments and raw text do not
        // count as nesting.
        let html = format!(
            "{}{}{}<script>{}</script><!--{}--><div title='<div>'>x</div>",
            "<p>段落".repeat(2_000),
            "<li>条目<br><img src=a>".repeat(2_000),
            "<table><tr><td>格</td></tr></table>".repeat(2_000),
            "document.write('<div>');".repeat(2_000),
            "<div>".repeat(2_000),
        );
        assert!(matches!(limit_nesting(&html), Cow::Borrowed(_)));
        let deep = format!("{}x", "<div class=\"a>b\">".repeat(MAX_NESTING + 10));
        let limited = limit_nesting(&deep);
        assert_eq!(limited.matches("<div").count(), MAX_NESTING);
        assert!(limited.ends_with("\">x"));
        assert_eq!(scan_nesting(&limited, None), MAX_NESTING);
    }

    #[test]
    fn many_paragraphs_at_the_nesting_limit_parse_quickly() {
        let html = format!(
            "{}{}{}",
            "<div>".repeat(MAX_NESTING),
            "<p>段</p>".repeat(20_000),
            "</div>".repeat(MAX_NESTING)
        );
        let extracted = extract(&html);
        assert_eq!(extracted.text.lines().count(), 20_000);
    }

    #[test]
    fn random_tag_soup_keeps_the_output_invariants() {
        const PIECES: &[&str] = &[
            "<p>",
            "</p>",
            "<div>",
            "</div>",
            "<h2>",
            "</h2>",
            "<br>",
            "<table>",
            "<tr>",
            "<td>",
            "</td>",
            "</tr>",
            "</table>",
            "<pre>",
            "</pre>",
            "<script>",
            "</script>",
            "<!--",
            "-->",
            "<b>",
            "</b>",
            " ",
            "\n",
            "\t",
            "\u{3000}",
            "&nbsp;",
            "&amp;",
            "文",
            "a",
            "<",
            ">",
            "'",
            "\"",
            "<li>",
            "<svg>",
            "<h1 class='x>y'>",
            "</h1>",
            "\r\n",
        ];
        let mut seed: u64 = 0x2024_0607;
        for _ in 0..300 {
            let mut html = String::new();
            for _ in 0..60 {
                seed = seed
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                html.push_str(PIECES[(seed >> 33) as usize % PIECES.len()]);
            }
            let extracted = extract(&html);
            let lines: Vec<&str> = extracted.text.lines().collect();
            assert!(
                extracted.text.is_empty() || extracted.text.ends_with('\n'),
                "{html:?}"
            );
            assert!(!extracted.text.contains("\n\n\n"), "{html:?}");
            assert!(!extracted.text.starts_with('\n'), "{html:?}");
            assert!(!extracted.text.ends_with("\n\n"), "{html:?}");
            let mut previous = None;
            for hint in &extracted.heading_hints {
                assert!((1..=6).contains(&hint.level), "{html:?}");
                assert!(!lines[hint.line].is_empty(), "{html:?}");
                assert!(previous < Some(hint.line), "{html:?}");
                previous = Some(hint.line);
            }
        }
    }

    /// `<svg><p>` leaves SVG in html5ever while the pre-scan still counted `<div/>` as closing
    /// itself: 100 000 of them nested that deep and took minutes. The guard on the real tree
    /// refuses the page instead, whatever the namespace.
    #[test]
    fn svg_cannot_hide_deep_nesting_from_the_guard() {
        let html = format!("<svg><p>正文</p>{}", "<div/>".repeat(100_000));
        let err = extract_html(&html).unwrap_err();
        assert_eq!(err.line, 1);
        // Without the trick, the pre-scan alone keeps the page parseable.
        let plain = format!("<p>正文</p>{}", "<div/>".repeat(100_000));
        assert_eq!(text(&plain), "正文\n");
    }

    #[test]
    fn malformed_html_does_not_panic() {
        for html in [
            "<table><td>x<tr>y",
            "</p></div><<<>>>&&&#0;&#xFFFFFF;<",
            "<h1><h2>a</h1>b</h2>",
            "<pre>",
            "<td>孤立单元格</td>",
            "<tr><td>a</td></tr></table></table>",
            "\u{0}\u{FEFF}<p>\r\r\n</p>",
            "<div a='unclosed",
            "<!--",
            "<!--->x<!-->y<?pi>z</>w</ 3>",
            "<script>never closed <div>",
            "<svg><g/><div>x</div></svg><math><mi/></math>",
            "<plaintext><div>",
            "<div/>".repeat(1_000).leak(),
        ] {
            let extracted = extract(html);
            assert!(extracted.text.is_empty() || extracted.text.ends_with('\n'));
            assert!(!extracted.text.contains("\n\n\n"));
        }
    }
}
