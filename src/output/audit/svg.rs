//! Output stage: inline SVG bar charts for the HTML audit, drawn here (no script, no library):
//! horizontal bars with a label and a value each. Texts are escaped; sizes follow the data.

use super::html::escape;
use std::fmt::Write;

/// One bar: its label, value, the text shown after it, and a `data-key` attribute.
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub shown: String,
    pub key: String,
}

/// Height of a bar and the gap to the next, in pixels.
const BAR: usize = 18;
const GAP: usize = 6;
/// Room for the labels on the left and the values on the right.
const LABEL_W: usize = 300;
const VALUE_W: usize = 90;
const WIDTH: usize = 900;

/// A horizontal bar chart; `class` goes on every bar (`<rect class="bar …">`), `title` is the
/// chart's accessible name. Values are scaled to the largest; negative values draw nothing.
pub fn bars(bars: &[Bar], class: &str, title: &str) -> String {
    let max = bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    let height = bars.len() * (BAR + GAP) + GAP;
    let plot = (WIDTH - LABEL_W - VALUE_W) as f64;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" role="img" aria-label="{t}" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" xmlns="http://www.w3.org/2000/svg"><title>{t}</title>"#,
        t = escape(title)
    );
    for (i, b) in bars.iter().enumerate() {
        let y = GAP + i * (BAR + GAP);
        let w = if max > 0.0 {
            (b.value.max(0.0) / max * plot).round()
        } else {
            0.0
        };
        let label = super::table::clip(&b.label, 44);
        let _ = write!(
            s,
            r#"<text x="{lx}" y="{ty}" text-anchor="end" class="label">{l}</text><rect class="bar {class}" data-key="{k}" x="{LABEL_W}" y="{y}" width="{w}" height="{BAR}"><title>{full}: {v}</title></rect><text x="{vx}" y="{ty}" class="value">{v}</text>"#,
            lx = LABEL_W - 8,
            ty = y + BAR - 4,
            l = escape(&label),
            k = escape(&b.key),
            full = escape(&b.label),
            v = escape(&b.shown),
            vx = LABEL_W as f64 + w + 6.0,
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_rect_per_bar_scaled_to_the_largest() {
        let mk = |l: &str, v: f64| Bar {
            label: l.into(),
            value: v,
            shown: v.to_string(),
            key: l.into(),
        };
        let svg = bars(&[mk("FZ003 <原因>", 4.0), mk("FZ006", 2.0)], "fail", "t");
        assert_eq!(svg.matches("<rect class=\"bar fail\"").count(), 2);
        assert!(svg.contains("width=\"510\""), "{svg}");
        assert!(svg.contains("width=\"255\""), "{svg}");
        assert!(svg.contains("FZ003 &lt;原因&gt;"));
    }
}
