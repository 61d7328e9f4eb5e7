// A corpus of several years of the same issuers, with planted changes that `reportlint audit`
// must find: indicator values that move by a known step, a rule that newly fails, a rule that
// newly passes, and next-year arrangements that the following report does or does not report on.
// (Plain comments and no inner attributes: the integration tests include this file with `#[path]`.)

use std::path::Path;

/// Areas the arrangements name. None of their key terms (nor any three-character piece of one)
/// occurs in the rest of a generated report, so a match means the area was reported on.
pub const AREAS: [&str; 6] = [
    "推进智慧政务平台建设",
    "健全公共法律服务体系",
    "打造法治文化阵地",
    "完善村居法律顾问制度",
    "深化网格化社会治理",
    "推进乡镇综合执法改革",
];

/// What one issuer's step from one year to the next must show.
#[derive(Debug, Clone, PartialEq)]
pub struct Planted {
    /// The issuer as audit compares it (`X镇`).
    pub issuer: String,
    pub from_year: i32,
    pub to_year: i32,
    /// The change of the disputes-mediated figure.
    pub disputes_change: f64,
    pub newly_failing: Vec<&'static str>,
    pub newly_passing: Vec<&'static str>,
    /// Arrangements of the earlier year reported on in the later one, of how many.
    pub covered: usize,
    pub arrangements: usize,
}

/// The two characters of a generated place name (`东` `湖`), shared with the bench corpus.
pub const FIRST: [&str; 12] = [
    "东", "西", "南", "北", "青", "白", "金", "石", "桃", "柳", "梅", "松",
];
pub const SECOND: [&str; 12] = [
    "湖", "山", "河", "桥", "林", "塘", "港", "溪", "岭", "湾", "园", "泉",
];

/// The name of issuer `i` (`东湖镇`).
pub fn issuer(i: usize) -> String {
    format!(
        "{}{}{}镇",
        FIRST[i % 12],
        SECOND[(i / 12) % 12],
        ["", "新", "中"][(i / 144) % 3]
    )
}

/// The arrangements issuer `i` names in year index `k` (two areas, a different pair each year).
fn arrangements(i: usize, k: usize) -> [&'static str; 2] {
    let a = (2 * (i + k)) % 6;
    [AREAS[a], AREAS[a + 1]]
}

/// The text of issuer `i`'s report for year index `k` of `years`.
pub fn report(i: usize, years: &[i32], k: usize) -> String {
    let year = years[k];
    let name = issuer(i);
    // The first year's title names the issuer with 人民政府, the others without.
    let title_issuer = if k == 0 {
        format!("{name}人民政府")
    } else {
        name.clone()
    };
    let disputes = 100 + i * 3 + k * 10;
    let publicity = 20 + i % 7 + k;
    let enforcement = 10 + i % 13;
    let litigation = 1 + i % 4;
    // Court appearance: 90% in the first year for every seventh issuer (FZ007 fails, then
    // passes); left out of the last year for every fifth issuer (FZ006 newly fails).
    let rate = if k == 0 && i.is_multiple_of(7) {
        90
    } else {
        100
    };
    let court = if k + 1 == years.len() && i.is_multiple_of(5) {
        String::new()
    } else {
        format!("全年办理行政诉讼案件{litigation}件，行政机关负责人出庭应诉率{rate}%。")
    };
    let mut followed = String::new();
    if k > 0 {
        let [a, b] = arrangements(i, k - 1);
        followed.push_str(&format!("（六）{a}。已按计划完成，群众反映良好。\n"));
        // Every third issuer does not report on the second area.
        if !i.is_multiple_of(3) {
            followed.push_str(&format!("（七）{b}。相关工作已全面铺开。\n"));
        }
    }
    let [next_a, next_b] = arrangements(i, k);
    format!(
        "{title_issuer}{year}年度法治政府建设情况报告\n\n\
         {year}年，{name}坚持以习近平法治思想为指导，扎实推进法治政府建设。现将有关情况报告如下：\n\
         一、主要举措和成效\n\
         （一）依法全面履行政府职能。深化放管服改革，优化营商环境，全年办理政务服务事项{svc}件。\n\
         （二）严格规范公正文明执法。全镇共依法作出行政处罚决定{enforcement}起，落实重大行政决策程序。\n\
         （三）依法化解行政争议。{court}\n\
         （四）依法化解矛盾纠纷。全年共计调处纠纷{disputes}起，完善突发事件应急预案。\n\
         （五）加强普法宣传。举办各类普法活动{publicity}场，推进政务公开，自觉接受监督，建设数字政府。\n\
         {followed}\
         二、党政主要负责人履行推进法治建设第一责任人职责情况\n\
         镇党委主要负责人认真履行推进法治建设第一责任人职责，坚持党的领导，严格规范性文件合法性审查。\n\
         三、存在的不足和原因\n\
         一是普法宣传形式较为单一；二是执法人员专业素养有待提高。主要原因是专业力量不足。\n\
         四、{next}年工作安排\n\
         （一）{next_a}\n\
         （二）{next_b}\n\n\
         {name}人民政府\n\
         {next}年2月{day}日\n",
        svc = 1000 + i,
        next = year + 1,
        day = 10 + i % 15,
    )
}

/// Writes `issuers` issuers × `years` reports into `dir` (`{issuer}-{year}.txt`) and returns what
/// audit must find between consecutive years.
pub fn write(dir: &Path, issuers: usize, years: &[i32]) -> std::io::Result<Vec<Planted>> {
    std::fs::create_dir_all(dir)?;
    let mut planted = Vec::new();
    for i in 0..issuers {
        for k in 0..years.len() {
            std::fs::write(
                dir.join(format!("{:03}-{}-{}.txt", i, issuer(i), years[k])),
                report(i, years, k),
            )?;
            if k > 0 {
                let mut newly_failing = Vec::new();
                let mut newly_passing = Vec::new();
                if k + 1 == years.len() && i.is_multiple_of(5) {
                    newly_failing.push("FZ006");
                }
                if k == 1 && i.is_multiple_of(7) {
                    newly_passing.push("FZ007");
                }
                planted.push(Planted {
                    issuer: issuer(i),
                    from_year: years[k - 1],
                    to_year: years[k],
                    disputes_change: 10.0,
                    newly_failing,
                    newly_passing,
                    covered: if i % 3 == 0 { 1 } else { 2 },
                    arrangements: 2,
                });
            }
        }
    }
    Ok(planted)
}
