//! Input stage helper: radicals that PDF fonts map where they mean ideographs.
//!
//! A CJK font draws `人` and the Kangxi radical `⼈` (U+2F08) with one glyph, and a PDF writer that
//! builds the `ToUnicode` map from the font's own cmap may name the radical: the text then looks
//! right but matches nothing (`⼈⺠政府` is not `人民政府`). Chromium does this with Noto CJK, and
//! so do many office suites. The 214 Kangxi radicals (U+2F00–U+2FD5) are mapped to the ideographs
//! of their compatibility decompositions (Unicode NFKC, as Python's `unicodedata` gives them);
//! from the CJK Radicals Supplement (U+2E80–U+2EF3), the two with a decomposition and the forms
//! that are drawn exactly like a whole ideograph (`⺠` 民, `⻓` 长, `⻔` 门, …). Component-only forms
//! (`⺡` 氵, `⻈` 讠) are left alone: no ideograph is written with them alone.

/// The ideographs of U+2F00..=U+2FD5, in order.
const KANGXI: &str = "一丨丶丿乙亅二亠人儿入八冂冖冫几凵刀力勹匕匚匸十卜卩厂厶又口囗土士夂夊夕大女子宀寸小尢尸屮山巛工己巾干幺广廴廾弋弓彐彡彳心戈戶手支攴文斗斤方无日曰月木欠止歹殳毋比毛氏气水火爪父爻爿片牙牛犬玄玉瓜瓦甘生用田疋疒癶白皮皿目矛矢石示禸禾穴立竹米糸缶网羊羽老而耒耳聿肉臣自至臼舌舛舟艮色艸虍虫血行衣襾見角言谷豆豕豸貝赤走足身車辛辰辵邑酉釆里金長門阜隶隹雨靑非面革韋韭音頁風飛食首香馬骨高髟鬥鬯鬲鬼魚鳥鹵鹿麥麻黃黍黑黹黽鼎鼓鼠鼻齊齒龍龜龠";

/// Radicals Supplement forms drawn like a whole ideograph, and that ideograph.
const SUPPLEMENT: &[(char, char)] = &[
    ('⺁', '厂'),
    ('⺇', '几'),
    ('⺊', '卜'),
    ('⺌', '小'),
    ('⺒', '巳'),
    ('⺓', '幺'),
    ('⺛', '旡'),
    ('⺟', '母'),
    ('⺠', '民'),
    ('⺩', '王'),
    ('⺪', '疋'),
    ('⻁', '虎'),
    ('⻄', '西'),
    ('⻅', '见'),
    ('⻆', '角'),
    ('⻉', '贝'),
    ('⻋', '车'),
    ('⻑', '長'),
    ('⻓', '长'),
    ('⻔', '门'),
    ('⻘', '青'),
    ('⻙', '韦'),
    ('⻚', '页'),
    ('⻛', '风'),
    ('⻜', '飞'),
    ('⻝', '食'),
    ('⻢', '马'),
    ('⻣', '骨'),
    ('⻤', '鬼'),
    ('⻥', '鱼'),
    ('⻦', '鸟'),
    ('⻧', '卤'),
    ('⻨', '麦'),
    ('⻩', '黄'),
    ('⻪', '黾'),
    ('⻬', '齐'),
    ('⻮', '齿'),
    ('⻰', '龙'),
    ('⻳', '龟'),
];

/// The ideograph a radical stands for in running text, or the character itself.
pub(crate) fn unify(c: char) -> char {
    match u32::from(c) {
        k @ 0x2F00..=0x2FD5 => KANGXI.chars().nth((k - 0x2F00) as usize).unwrap_or(c),
        0x2E80..=0x2EF3 => SUPPLEMENT
            .binary_search_by_key(&c, |&(r, _)| r)
            .map_or(c, |i| SUPPLEMENT[i].1),
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chromium_noto_radicals_become_ideographs() {
        let s: String = "张家港市⼈⺠政府⼀体推进，⾏政执法⻓效"
            .chars()
            .map(unify)
            .collect();
        assert_eq!(s, "张家港市人民政府一体推进，行政执法长效");
    }

    #[test]
    fn tables_are_complete_and_sorted() {
        assert_eq!(KANGXI.chars().count(), 0x2FD5 - 0x2F00 + 1);
        assert_eq!(unify('\u{2FD5}'), '龠');
        assert!(SUPPLEMENT.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(unify('⺡'), '⺡');
    }
}
