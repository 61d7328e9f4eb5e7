//! `reportlint audit`: every format on the seeds and on a generated three-year corpus, read back
//! with a CSV reader, a spreadsheet reader, a JSON Schema validator and a headless browser.

use crate::{root, run};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::gen_corpus::years;

/// The generated corpus: 110 issuers × 2021–2023, written once per test run into Cargo's
/// temporary directory for integration tests, shared by the tests of this binary.
fn corpus() -> &'static (PathBuf, Vec<years::Planted>) {
    static CORPUS: OnceLock<(PathBuf, Vec<years::Planted>)> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("audit-years");
        let _ = std::fs::remove_dir_all(&path);
        let planted = years::write(&path, 110, &[2021, 2022, 2023]).unwrap();
        (path, planted)
    })
}

fn seeds() -> String {
    root().join("fixtures/reports").display().to_string()
}

/// Runs audit with `-o` into a temp dir and returns the file's bytes.
fn audit_to(dir: &Path, name: &str, extra: &[&str], paths: &[&str]) -> Vec<u8> {
    let out = dir.join(name);
    let mut args = vec!["audit", "-q", "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    args.extend_from_slice(paths);
    let r = run(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    std::fs::read(&out).unwrap()
}

fn audit_json(paths: &[&str]) -> serde_json::Value {
    let mut args = vec!["audit", "--format", "json"];
    args.extend_from_slice(paths);
    let r = run(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

fn read_csv(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "CSV starts with a BOM"
    );
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let headers = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (headers, rows)
}

#[test]
fn audit_csv_of_the_seeds_has_one_row_per_report_and_inspects_figures() {
    let dir = tempfile::tempdir().unwrap();
    let s = seeds();
    let matrix = audit_to(dir.path(), "a.csv", &[], &[&s]);
    let figures = std::fs::read(dir.path().join("a-figures.csv")).unwrap();
    let (headers, rows) = read_csv(&matrix);
    assert_eq!(rows.len(), 5);
    assert_eq!(&headers[..3], ["文件", "发文单位", "年度"]);
    assert!(headers.contains(&"FZ006".to_string()));
    let fz006 = headers.iter().position(|h| h == "FZ006").unwrap();
    // nanfeng-2020 does not report the court appearance rate: FZ006 fails there.
    assert!(rows[0][0].ends_with("nanfeng-2020.txt"));
    assert_eq!(rows[0][fz006], "不通过");

    // The figures equal what `inspect` reads at the same place.
    let (fheaders, frows) = read_csv(&figures);
    assert_eq!(frows.len(), 5);
    let json = audit_json(&[&s]);
    let inspect: serde_json::Value =
        serde_json::from_str(&run(&["inspect", "--format", "json", &s]).stdout).unwrap();
    let mut compared = 0;
    for (r, report) in json["reports"].as_array().unwrap().iter().enumerate() {
        let inspected = &inspect["reports"][r];
        assert_eq!(inspected["path"], report["path"]);
        for (i, fig) in report["figures"].as_array().unwrap().iter().enumerate() {
            let cell = &frows[r][3 + i];
            if fig["value"].is_null() {
                assert_eq!(cell, "", "{} {}", report["path"], fheaders[3 + i]);
                continue;
            }
            let same = inspected["figures"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["span"]["start"] == fig["span"]["start"])
                .expect("the figure inspect reads at that place");
            assert_eq!(same["value"], fig["value"]);
            assert_eq!(
                cell.parse::<f64>().unwrap(),
                same["value"].as_f64().unwrap()
            );
            compared += 1;
        }
    }
    assert!(compared >= 12, "only {compared} figures compared");
}

#[test]
fn unstated_figure_is_blank_not_zero() {
    let s = seeds();
    let json = audit_json(&[&s]);
    let nanfeng = &json["reports"][0];
    assert!(
        nanfeng["path"]
            .as_str()
            .unwrap()
            .ends_with("nanfeng-2020.txt")
    );
    assert_eq!(nanfeng["figures"][0]["indicator"], "court-appearance-rate");
    assert_eq!(nanfeng["figures"][0]["value"], serde_json::Value::Null);
    let r = run(&["audit", "--format", "csv", "--sheet", "figures", &s]);
    let (_, rows) = read_csv(r.stdout.as_bytes());
    assert_eq!(rows[0][3], "");
    // wangbao-2023 states it: 100, with its sentence.
    let wangbao = &json["reports"][1]["figures"][0];
    assert_eq!(wangbao["value"], 100.0);
    assert!(
        wangbao["sentence"]
            .as_str()
            .unwrap()
            .contains("行政机关负责人出庭应诉率100%"),
        "{wangbao}"
    );
    assert_eq!(rows[1][3], "100");
}

#[test]
fn audit_xlsx_reads_back_with_sheets_headers_numbers_and_formats() {
    use calamine::{Data, Reader, Xlsx};
    let dir = tempfile::tempdir().unwrap();
    let s = seeds();
    let bytes = audit_to(dir.path(), "audit.xlsx", &[], &[&s]);
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["概览", "规则", "矩阵", "指标", "跨年度"]
    );
    let figures = book.worksheet_range("指标").unwrap();
    assert_eq!(
        figures.get((0, 3)),
        Some(&Data::String("行政机关负责人出庭应诉率（%）".into()))
    );
    // Row 2 is wangbao-2023: 100% stored as the number 1 formatted as a percentage.
    assert!(
        matches!(figures.get((2, 0)), Some(Data::String(p)) if p.ends_with("wangbao-2023.txt"))
    );
    assert_eq!(figures.get((2, 3)), Some(&Data::Float(1.0)));
    assert_eq!(figures.get((2, 2)), Some(&Data::Float(2023.0)));
    // nanfeng-2020 states no rate: the cell is empty, not 0.
    assert!(matches!(figures.get((1, 3)), None | Some(Data::Empty)));
    let styles = book.worksheet_style("指标").unwrap();
    let format = styles
        .get((2, 3))
        .and_then(|s| s.number_format.as_ref())
        .map(|f| f.format_code.clone());
    assert_eq!(format.as_deref(), Some("0.0%"));
    // The matrix: a failed cell is coloured.
    let matrix = book.worksheet_range("矩阵").unwrap();
    let col = (0..matrix.width())
        .find(|&c| matches!(matrix.get((0, c)), Some(Data::String(h)) if h.starts_with("FZ006")))
        .unwrap();
    assert_eq!(matrix.get((1, col)), Some(&Data::String("不通过".into())));
    let mstyles = book.worksheet_style("矩阵").unwrap();
    let fill = mstyles.get((1, col as u32)).and_then(|s| s.fill.clone());
    assert!(fill.is_some(), "a failed cell has a fill");
    let overview = book.worksheet_range("概览").unwrap();
    assert_eq!(overview.get((0, 5)), Some(&Data::String("得分".into())));
    assert!(matches!(overview.get((1, 5)), Some(Data::Float(s)) if *s > 0.0 && *s <= 100.0));
}

#[test]
fn audit_json_matches_its_documented_schema() {
    let text = std::fs::read_to_string(root().join("docs/audit-json.schema.json")).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let id = schema["$id"].as_str().unwrap().to_string();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.add_resource(&id, schema.clone()).unwrap();
    let index = compiler.compile(&id, &mut schemas).unwrap();
    let (years, _) = corpus();
    let s = seeds();
    for doc in [audit_json(&[&s]), audit_json(&[years.to_str().unwrap()])] {
        if let Err(e) = schemas.validate(&doc, index) {
            panic!("invalid audit JSON: {e:#}");
        }
    }
    // Every field the schema names is documented in docs/audit-json.md.
    let doc = std::fs::read_to_string(root().join("docs/audit-json.md")).unwrap();
    fn keys(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(serde_json::Value::Object(p)) = m.get("properties") {
                    out.extend(p.keys().cloned());
                }
                m.values().for_each(|x| keys(x, out));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| keys(x, out)),
            _ => {}
        }
    }
    let mut names = Vec::new();
    keys(&schema, &mut names);
    for n in names {
        assert!(doc.contains(&format!("`{n}`")), "`{n}` is not documented");
    }
}

#[test]
fn audit_across_years_shows_the_planted_changes() {
    let (years, planted) = corpus();
    let json = audit_json(&[years.to_str().unwrap()]);
    assert_eq!(json["reports"].as_array().unwrap().len(), 330);
    let series = json["across_years"].as_array().unwrap();
    assert_eq!(series.len(), 110);
    let disputes = json["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .position(|i| i["id"] == "disputes-mediated")
        .unwrap();
    let mut checked = 0;
    for p in planted {
        let s = series
            .iter()
            .find(|s| s["issuer"] == p.issuer.as_str())
            .unwrap_or_else(|| panic!("no series for {}", p.issuer));
        let step = s["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|st| st["from"]["year"] == p.from_year && st["to"]["year"] == p.to_year)
            .unwrap();
        let ids = |k: &str| -> Vec<String> {
            step[k]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(ids("newly_failing"), p.newly_failing, "{p:?}");
        assert_eq!(ids("newly_passing"), p.newly_passing, "{p:?}");
        assert_eq!(step["changes"][disputes]["change"], p.disputes_change);
        let arr = step["arrangements"].as_array().unwrap();
        assert_eq!(arr.len(), p.arrangements, "{p:?}");
        let covered = arr.iter().filter(|a| a["reported_on"] == true).count();
        assert_eq!(covered, p.covered, "{p:?}: {arr:?}");
        checked += 1;
    }
    assert_eq!(checked, 220);
    // The table says the same: a newly failing FZ006 on its issuer's 2022→2023 line.
    let r = run(&["audit", years.to_str().unwrap()]);
    let line = r
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("东湖镇") && l.contains("2022→2023"))
        .unwrap();
    assert!(line.contains("FZ006"), "{line}");
    assert!(line.contains("1/2"), "{line}");
}

#[test]
fn audit_formats_on_the_generated_folder() {
    let (years, _) = corpus();
    let y = years.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (_, rows) = read_csv(&audit_to(dir.path(), "m.csv", &[], &[y]));
    assert_eq!(rows.len(), 330);
    let (_, frows) = read_csv(&std::fs::read(dir.path().join("m-figures.csv")).unwrap());
    assert_eq!(frows.len(), 330);
    let md = String::from_utf8(audit_to(dir.path(), "a.md", &[], &[y])).unwrap();
    let report_rows = md
        .lines()
        .filter(|l| l.starts_with(&format!("| {y}/")))
        .count();
    // 330 reports in the overview and 330 in the figures.
    assert_eq!(report_rows, 660);
    assert!(md.contains("## 跨年度比较"));
    let table = run(&["audit", "--format", "table", y]).stdout;
    assert!(table.contains("330 份报告"), "{}", &table[..200]);
}

#[test]
fn audit_lang_en_gives_english_headings() {
    let s = seeds();
    let r = run(&[
        "audit", "--lang", "en", "--format", "csv", "--sheet", "matrix", &s,
    ]);
    let (headers, _) = read_csv(r.stdout.as_bytes());
    assert_eq!(&headers[..3], ["file", "issuer", "year"]);
    assert!(headers.contains(&"score".to_string()));
}

#[test]
fn audit_reports_unreadable_inputs_and_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("fixtures/reports/wangbao-2023.txt"),
        dir.path().join("wangbao-2023.txt"),
    )
    .unwrap();
    std::fs::write(dir.path().join("empty.txt"), "").unwrap();
    let r = run(&["audit", "--format", "json", dir.path().to_str().unwrap()]);
    assert_eq!(r.code, 2);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(json["reports"].as_array().unwrap().len(), 1);
    assert!(
        json["unreadable"][0]["path"]
            .as_str()
            .unwrap()
            .ends_with("empty.txt")
    );
    assert!(r.stderr.contains("empty"), "{}", r.stderr);
}

#[test]
fn audit_xlsx_needs_an_output_file() {
    let r = run(&["audit", "--format", "xlsx", &seeds()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("-o FILE.xlsx"));
}

#[test]
fn rules_test_runs_indicator_examples() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("b.yaml");
    std::fs::write(
        &book,
        "rulebook: b\nrules:\n  - {id: B001, name: a, title: t, severity: info, assert: \"true\"}\nindicators:\n  - id: disputes\n    name: 调处纠纷数\n    label: /调处纠纷/\n    examples:\n      - {text: 全年调处纠纷12起。, value: 12}\n      - {text: 全年调处纠纷12起。, value: 13}\n      - {text: 加强普法。}\n",
    )
    .unwrap();
    let r = run(&["rules", "test", book.to_str().unwrap()]);
    assert_eq!((r.code, r.stdout.as_str()), (1, "2 passed, 1 failed\n"));
    assert_eq!(
        r.stderr,
        "FAILED  indicator disputes example 2: expected 13, read 12\n"
    );
}

/// A browser to render HTML with, if one is installed.
fn browser() -> Option<PathBuf> {
    let names = ["chromium", "chromium-browser", "google-chrome"];
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .flat_map(|d| names.iter().map(move |n| d.join(n)))
            .find(|p| p.is_file())
    })
}

/// Runs the headless browser on a file with the flags that work as root without a display.
fn headless(browser: &Path, page: &Path, extra: &[&str]) -> std::process::Output {
    let profile = tempfile::tempdir().unwrap();
    let mut cmd = std::process::Command::new(browser);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ])
    .arg(format!("--user-data-dir={}", profile.path().display()))
    .args(extra)
    .arg(format!("file://{}", page.display()));
    cmd.output().expect("the browser runs")
}

#[test]
fn audit_html_renders_in_a_headless_browser() {
    let Some(browser) = browser() else {
        eprintln!(
            "SKIPPED audit_html_renders_in_a_headless_browser: no chromium installed (apt-get install -y chromium fonts-noto-cjk)"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (years, _) = corpus();
    let s = seeds();
    for (paths, reports) in [(vec![s.as_str()], 5), (vec![years.to_str().unwrap()], 330)] {
        let html = audit_to(dir.path(), "audit.html", &[], &paths);
        let html = String::from_utf8(html).unwrap();
        assert!(!html.contains("http://") || !html.contains("src=\"http"));
        assert!(!html.contains("<link"), "no external resources");
        let page = dir.path().join("audit.html");
        let out = headless(&browser, &page, &["--dump-dom"]);
        let dom = String::from_utf8_lossy(&out.stdout);
        assert!(dom.contains("data-ready=\"1\""), "the page's script ran");
        assert!(
            dom.contains("<pre id=\"js-errors\" hidden=\"\"></pre>"),
            "script errors: {}",
            dom.split("js-errors")
                .nth(1)
                .unwrap_or("")
                .chars()
                .take(300)
                .collect::<String>()
        );
        // One bar per failing rule, one matrix row per report.
        let json = audit_json(&paths);
        let failing = json["per_rule"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["fail"].as_u64().unwrap() > 0)
            .count();
        assert!(failing > 0);
        assert_eq!(dom.matches("class=\"bar fail\"").count(), failing);
        let matrix = dom.split("id=\"matrix\"").nth(1).unwrap();
        let body = matrix
            .split("<tbody>")
            .nth(1)
            .unwrap()
            .split("</tbody>")
            .next()
            .unwrap();
        assert_eq!(body.matches("<tr>").count(), reports);
    }
    // A screenshot of the seeds' page is far from blank: compare with an empty page's.
    let html = audit_to(dir.path(), "audit.html", &[], &[&s]);
    assert!(!html.is_empty());
    let shot = dir.path().join("shot.png");
    let blank_page = dir.path().join("blank.html");
    std::fs::write(&blank_page, "<!doctype html><html><body></body></html>").unwrap();
    let blank_shot = dir.path().join("blank.png");
    let size = [1280, 2000].map(|n| n.to_string());
    let window = format!("--window-size={},{}", size[0], size[1]);
    headless(
        &browser,
        &dir.path().join("audit.html"),
        &[&format!("--screenshot={}", shot.display()), &window],
    );
    headless(
        &browser,
        &blank_page,
        &[&format!("--screenshot={}", blank_shot.display()), &window],
    );
    let (ours, blank) = (
        std::fs::metadata(&shot).unwrap().len(),
        std::fs::metadata(&blank_shot).unwrap().len(),
    );
    assert!(
        ours > blank * 10,
        "screenshot {ours} bytes, blank page {blank} bytes"
    );
}

#[test]
fn a_workbook_that_cannot_be_made_leaves_the_output_file_as_it_was() {
    // The workbook's sheets are spooled to temporary files: with no usable TMPDIR the audit
    // says so, and an existing output file is not truncated.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("audit.xlsx");
    std::fs::write(&out, "last year's workbook").unwrap();
    let r = std::process::Command::new(env!("CARGO_BIN_EXE_reportlint"))
        .args(["audit", "-o", out.to_str().unwrap(), &seeds()])
        .env("TMPDIR", dir.path().join("missing"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("no temporary file in") && stderr.contains("TMPDIR"),
        "{stderr}"
    );
    // Said as what it is, not as a failure to write the output.
    assert!(!stderr.contains("cannot write output"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "last year's workbook"
    );
}
