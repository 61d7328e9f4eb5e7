//! Report stage: web-page chrome — the parts of a saved or scraped page that are not the report.
//!
//! Reports are often saved from a government site's article page, so the text carries the page
//! around the document: breadcrumbs (`当前位置:首页>政务公开`), metadata tables (`索引号:`
//! `发布机构:` `成文日期:`), page information (`发布时间:` `来源:` `浏览次数:` `字体:[大 中 小]`),
//! buttons (`【打印】【关闭】`), banners (`无障碍` `简体|繁体` `登录注册`) and site footers
//! (`ICP备` `版权所有` `网站标识码`). This module classifies one normalised line at a time; the
//! front, the outline and the tail leave chrome lines out of the title, the body and the
//! signature, and the model lists every chrome block with its kind and span, wherever it stands.

use regex::Regex;
use serde::Serialize;
use std::sync::LazyLock;

/// What a piece of page chrome is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChromeKind {
    /// Breadcrumbs and link bars: `当前位置:首页>政务公开`, `首页|政务公开|互动交流`.
    Navigation,
    /// A page's metadata table: `索引号:11120223/2024-00012`, `发布机构:…`, `成文日期:…`.
    Metadata,
    /// Article information: `发布时间:2024-03-28 来源:区政府办`, `浏览次数:`, `字体:[大 中 小]`.
    PageInfo,
    /// Buttons: `【打印】【关闭】`, `【扫一扫】`, `打印本页`, `关闭窗口`.
    Buttons,
    /// Site banners and switches: `无障碍`, `简体|繁体`, `登录注册`, `网站支持IPv6`.
    Banner,
    /// Site footer: `ICP备…号`, `公网安备…号`, `版权所有`, `网站标识码`, `网站地图`.
    SiteFooter,
}

impl ChromeKind {
    /// The kind in the words of a Chinese reviewer, for messages.
    pub fn zh(self) -> &'static str {
        match self {
            ChromeKind::Navigation => "网页导航",
            ChromeKind::Metadata => "网页信息表",
            ChromeKind::PageInfo => "网页发布信息",
            ChromeKind::Buttons => "网页按钮",
            ChromeKind::Banner => "网站横幅",
            ChromeKind::SiteFooter => "网站页脚",
        }
    }
}

/// Longest line that can be chrome, in characters: chrome is short; a long line is prose that
/// happens to mention `来源` or `无障碍`.
const MAX_CHARS: usize = 120;
/// Longest line that can be chrome on a word found anywhere in it (not at its start).
const MAX_CHARS_ANYWHERE: usize = 40;

/// Keys of a metadata table or article information, at the start of a line (`• 索引号:`).
static KEYED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^[•·\-*\s【\[]*(?:
          (?P<meta>(?:信息)?索引号|审核程序|发文机构|发布单位|(?:备注/)?文号|公文生成日期|发布机构|发文机关|发文单位|成文日期|发文字号|文号|发文日期|公开方式|公开形式
            |公开范围|公开时限|公开日期|公开时间|主题分类|体裁分类|组配分类|信息分类|服务对象|有效性
            |统一编码|信息名称|标题|名称|公文时效|时效|主题词|关键词|内容概述|生成日期|所属机构|信息类别|文件编号|效力状态)
          |(?P<info>发布时间|发布日期|日期|更新时间|更新日期|来源|信息来源|文章来源|稿件来源|作者|编辑
            |责任编辑|审核|浏览次数|浏览量|阅读次数|阅读量|点击数|点击量|访问量|访问次数|字体|字号|分享到)
        )\s*[:：]",
    )
    .unwrap()
});

/// Navigation at the start of a line: breadcrumbs.
static NAVIGATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:您?(?:当前|现在)?的?(?:所在)?位置\s*[:：]|(?:网站)?首页\s*[>»›/|]|首页$|[>»›]{1,2}\s*\p{Han})|\p{Han}\s*(?:>>|»)\s*\p{Han}",
    )
    .unwrap()
});

/// Words that make a short line chrome wherever they stand in it.
static ANYWHERE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)(?P<footer>公网安备|ICP备|ICP证|版权所有|主办单位|承办单位|技术支持\s*[:：]|网站标识码
            |网站地图|联系我们|政府网站找错|Copyright|©)
          |(?P<banner>无障碍|适老化|长者模式|老年模式|简体版?\s*[|/]?\s*繁(?:体|體)|繁(?:体|體)版|用户登录
            |登录\s*[|/]?\s*注册|IPv6|手机版|English)
          |(?P<buttons>打印本页|关闭窗口|返回顶部|扫一扫|收藏本页|加入收藏|[【\[](?:打印|关闭|字体|大|中|小
            |默认|收藏|分享|返回|下载|扫一扫)[】\]])
          |(?P<info>[\[【(]?字[体号]\s*[:：]?\s*[\[【(]?\s*大\s*中\s*小|上一篇|下一篇|相关链接|相关阅读
            |\d{4}年\d{1,2}月\d{1,2}日\s*星期[一二三四五六日天])",
    )
    .unwrap()
});

/// A line that is one button or label of a page and nothing else.
static LONE_BUTTON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[\[【]?(?:打印|关闭|返回|返回上一级|返回列表|字号|字体|大|中|小|默认|收藏|分享|下载|主动公开|依申请公开|不予公开|正文|政策文件|政策解读|文件下载|相关文件|Menu|MENU|菜单|搜索|English)[】\]]?$",
    )
    .unwrap()
});

/// The kind of chrome a normalised line is, if it is chrome.
pub fn kind(line: &str) -> Option<ChromeKind> {
    let line = line.trim();
    if line.is_empty() || line.contains('。') || super::outline::heading_marker(line).is_some() {
        return None;
    }
    let chars = line.chars().count();
    if chars > MAX_CHARS {
        return None;
    }
    if let Some(c) = KEYED.captures(line) {
        return Some(if c.name("meta").is_some() {
            ChromeKind::Metadata
        } else {
            ChromeKind::PageInfo
        });
    }
    if LONE_BUTTON.is_match(line) {
        return Some(ChromeKind::Buttons);
    }
    if NAVIGATION.is_match(line) {
        return Some(ChromeKind::Navigation);
    }
    if link_bar(line) {
        return Some(ChromeKind::Navigation);
    }
    if chars <= MAX_CHARS_ANYWHERE
        && let Some(c) = ANYWHERE.captures(line)
    {
        return Some(if c.name("footer").is_some() {
            ChromeKind::SiteFooter
        } else if c.name("banner").is_some() {
            ChromeKind::Banner
        } else if c.name("buttons").is_some() {
            ChromeKind::Buttons
        } else {
            ChromeKind::PageInfo
        });
    }
    None
}

/// True for a metadata or page-information line whose value stands on the next line
/// (`•发布机构:` / `澧浦镇`).
pub fn awaits_value(line: &str) -> bool {
    let line = line.trim_end();
    (line.ends_with(':') || line.ends_with('：')) && KEYED.is_match(line)
}

/// A bar of short links: `首页|政务公开|政务服务|互动交流` (three or more short pieces).
fn link_bar(line: &str) -> bool {
    let pieces: Vec<&str> = line
        .split(['|', '｜', '丨'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    pieces.len() >= 3
        && pieces
            .iter()
            .all(|p| p.chars().count() <= 8 && !p.contains([',', '、', ';']))
}

/// Compiles this module's regexes now (see [`super::warm_up`]).
pub(super) fn warm_up() {
    for re in [&KEYED, &NAVIGATION, &ANYWHERE, &LONE_BUTTON] {
        LazyLock::force(re);
    }
}

#[cfg(test)]
mod tests {
    use super::{ChromeKind::*, kind};

    #[test]
    fn chrome_of_every_kind() {
        for (line, want) in [
            ("当前位置:首页>政务公开>法治政府建设", Navigation),
            ("您当前的位置:首页>信息公开", Navigation),
            ("首页>政务公开>法治政府建设年度报告", Navigation),
            ("首页|政务公开|政务服务|互动交流", Navigation),
            ("•索引号:11120223/2024-00012", Metadata),
            ("发布机构:静海区人民政府办公室", Metadata),
            ("成文日期:2024-03-20", Metadata),
            ("发文字号:静政报〔2024〕3号", Metadata),
            ("发布时间:2024-03-28 09:18", PageInfo),
            ("来源:静海区人民政府办公室 发布时间:2024-03-28", PageInfo),
            ("浏览次数:1024", PageInfo),
            ("字体:[大 中 小]", PageInfo),
            ("【打印】【关闭】", Buttons),
            ("【扫一扫】", Buttons),
            ("【字体:【打印内容】", PageInfo),
            ("无障碍 简体|繁体", Banner),
            ("登录注册", Banner),
            ("网站支持IPv6", Banner),
            ("津ICP备05004414号", SiteFooter),
            ("版权所有:天津市静海区人民政府", SiteFooter),
            ("天津市静海区人民政府 2019年12月3日星期二", PageInfo),
            (">>政务公开>>法治政府工作报告", Navigation),
            ("政府机构>>公义镇>>信息公开", Navigation),
            ("•信息索引号:", Metadata),
            ("返回上一级", Buttons),
            ("打印", Buttons),
        ] {
            assert_eq!(kind(line), Some(want), "{line}");
        }
    }

    #[test]
    fn prose_that_mentions_chrome_words_is_not_chrome() {
        for line in [
            "推进无障碍环境建设,完善城市道路无障碍设施。",
            "全面落实行政执法公示制度,执法信息来源可查、去向可追,群众满意度持续提升,全年办理政务服务事项2764件,办结率100%",
            "一、主要举措和成效",
            "(一)坚持党的领导,扎实推进法治政府建设",
            "某镇2023年度法治政府建设情况报告",
            "常熟市人民政府:",
            "2024年2月29日",
            "(三)规范企业注册登记",
            "(四)强化技术支持",
        ] {
            assert_eq!(kind(line), None, "{line}");
        }
    }
}
