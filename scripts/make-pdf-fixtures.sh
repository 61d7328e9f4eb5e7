#!/usr/bin/env bash
# Regenerates the PDF fixtures under fixtures/pdf/ from the seed reports, with a real renderer.
#
# Needs (Debian): chromium fonts-noto-cjk qpdf python3. `cargo test` does not: the PDFs are
# committed. Each line of a report becomes one HTML block, laid out like an official document
# (A4, 16 pt body text, two-character first-line indent, centred title, signature on the right,
# page numbers in the bottom margin), and headless Chromium prints it:
#   wangbao-2023.pdf              — seed, Droid Sans Fallback (TrueType: a CIDFontType2 subset,
#                                   as Word and WPS write them), page numbers `- N -`
#   yangshe-2023-traditional.pdf  — seed in traditional characters, same font, `第 N 页`
#   xinzhuang-excerpt.pdf         — the start and end of a seed (xinzhuang-excerpt.txt), in Noto
#                                   Serif CJK, which Chromium embeds as Type3 fonts whose
#                                   ToUnicode names Kangxi radicals (`⼈` for `人`); an excerpt
#                                   because Type3 glyphs are large
#   scan-like.pdf                 — a page holding only an SVG drawing: pages but no text layer
#   encrypted.pdf                 — wangbao-2023.pdf encrypted by qpdf with a user password
#   restricted.pdf                — a one-page report encrypted with an owner password only (it
#                                   opens without a password, as many published PDFs do)
# Chromium needs: apt-get install chromium fonts-noto-cjk fonts-droid-fallback qpdf
set -euo pipefail
cd "$(dirname "$0")/.."
out=fixtures/pdf
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

html_of() { # text file, page-number style (dash | chinese), serif font, sans font -> HTML
    python3 - "$1" "$2" "$3" "$4" <<'PY'
import html, re, sys
path, pages, serif, sans = sys.argv[1:5]
lines = [l.strip() for l in open(path, encoding="utf-8").read().splitlines()]
lines = [l for l in lines if l]
footer = '"- " counter(page) " -"' if pages == "dash" else '"第 " counter(page) " 页"'
head = f"""<!doctype html><html><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 3.7cm 2.6cm 3.5cm 2.8cm;
  @bottom-center {{ content: {footer}; font: 14pt "{serif}"; }} }}
body {{ font: 16pt/1.75 "{serif}", serif; margin: 0; }}
p {{ margin: 0; text-indent: 2em; text-align: justify; }}
.title {{ text-indent: 0; text-align: center; font: 22pt/1.6 "{sans}", sans-serif; }}
.plain {{ text-indent: 0; }}
.h1 {{ font-family: "{sans}", sans-serif; }}
.right {{ text-indent: 0; text-align: right; padding-right: 2em; }}
</style></head><body>"""
heading = re.compile(r"^[一二三四五六七八九十]+、")
sentence = re.compile(r"[。；;，,]")
# Title lines: the short lines before the first sentence, when the report has a title at all.
first_body = next(i for i, l in enumerate(lines) if sentence.search(l))
# Closing lines: the short lines after the last sentence (signature, date, footer).
last_body = max(i for i, l in enumerate(lines) if sentence.search(l))
out = [head]
for i, l in enumerate(lines):
    if i < first_body and not l.endswith(("：", ":")):
        cls = "title"
    elif i < first_body:
        cls = "plain"
    elif i > last_body:
        cls = "right"
    elif heading.match(l):
        cls = "h1"
    else:
        cls = ""
    out.append(f'<p class="{cls}">{html.escape(l)}</p>')
out.append("</body></html>")
print("\n".join(out))
PY
}

print_pdf() { # html file, pdf file
    chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run \
        --user-data-dir="$work/profile" --no-pdf-header-footer \
        --print-to-pdf="$2" "file://$1" 2>/dev/null
}

seeds=fixtures/reports
html_of $seeds/wangbao-2023.txt dash "Droid Sans Fallback" "Droid Sans Fallback" >"$work/wangbao.html"
print_pdf "$work/wangbao.html" "$out/wangbao-2023.pdf"
html_of $seeds/yangshe-2023-traditional.txt chinese "Droid Sans Fallback" "Droid Sans Fallback" >"$work/yangshe.html"
print_pdf "$work/yangshe.html" "$out/yangshe-2023-traditional.pdf"
# Letterhead, document number, title, addressee, opening, first heading and its first
# paragraph; then the closing arrangements, signature, date and footer.
awk 'NF' $seeds/xinzhuang-2023.txt >"$work/xinzhuang.txt"
{ head -7 "$work/xinzhuang.txt"; tail -7 "$work/xinzhuang.txt"; } >"$out/xinzhuang-excerpt.txt"
html_of "$out/xinzhuang-excerpt.txt" chinese "Noto Serif CJK SC" "Noto Serif CJK SC" >"$work/xinzhuang.html"
print_pdf "$work/xinzhuang.html" "$work/xinzhuang.pdf"
# Type3 glyph programs compress better than Chromium leaves them.
qpdf --object-streams=generate --recompress-flate --compression-level=9 \
    "$work/xinzhuang.pdf" "$out/xinzhuang-excerpt.pdf"

cat >"$work/scan.html" <<'HTML'
<!doctype html><html><body style="margin:0">
<svg xmlns="http://www.w3.org/2000/svg" width="600" height="800">
<rect x="40" y="40" width="520" height="30" fill="#333"/>
<rect x="40" y="100" width="480" height="12" fill="#777"/>
<rect x="40" y="124" width="500" height="12" fill="#777"/>
<circle cx="450" cy="600" r="60" fill="none" stroke="#c00" stroke-width="6"/>
</svg></body></html>
HTML
print_pdf "$work/scan.html" "$out/scan-like.pdf"

qpdf --encrypt secret owner 256 -- \
    "$out/wangbao-2023.pdf" "$out/encrypted.pdf"

cat >"$work/short.txt" <<'TXT'
某镇2023年度法治政府建设情况报告
一、主要举措和成效
全年行政机关负责人出庭应诉率100%，办理行政复议案件12件。
某镇人民政府
2024年2月1日
TXT
html_of "$work/short.txt" dash "Droid Sans Fallback" "Droid Sans Fallback" >"$work/short.html"
print_pdf "$work/short.html" "$work/short.pdf"
qpdf --encrypt "" owner 256 --print=none --modify=none -- "$work/short.pdf" "$out/restricted.pdf"

ls -l "$out"
