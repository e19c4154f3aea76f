//! `gongkai import FILE.docx` on real `.docx` files (tests/fixtures/docx, made by LibreOffice
//! and python-docx with make.sh): the seed report round trip, every point the importer
//! carries over or reports, and the files it refuses.

mod common;

use std::path::{Path, PathBuf};

use common::{TempSite, run, text};
use gongkai::cmd::import::{ImportArgs, Outcome, run as import};

fn docx(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/docx")
        .join(name)
}

fn import_into(site: &TempSite, file: &str, year: u16, stem: &str) -> Outcome {
    let path = docx(file);
    let args = ImportArgs {
        file: &path,
        year,
        department: "justice-bureau",
        lang: Some("zh"),
        stem: Some(stem),
        date: "2023-03-28",
    };
    match import(site.root(), &args) {
        Ok(o) => o,
        Err(e) => panic!("import failed: {e}"),
    }
}

fn keys(outcome: &Outcome) -> Vec<&str> {
    outcome.notes.iter().map(|m| m.key).collect()
}

/// The body's headings (`## x`), bold runs (`**x**`) and numbers, in order.
fn markdown_lists(md: &str) -> (Vec<String>, Vec<String>, Vec<String>) {
    let body = md.splitn(3, "---\n").nth(2).expect("front matter");
    let headings = body
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .map(str::to_string)
        .collect();
    let bold = body
        .split("**")
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    (headings, bold, numbers(body))
}

fn numbers(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() {
            current.push(c);
        } else if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
    }
    out
}

/// The same lists read from the seed's plain text: a heading is a line numbered `一、`…; a
/// bold lead is a paragraph's first sentence of at most 25 characters (how the bureau's file,
/// tests/fixtures/docx/make_fodt.py, formats it).
fn seed_lists() -> (String, Vec<String>, Vec<String>, Vec<String>) {
    let seed = std::fs::read_to_string(docx("seed.txt")).expect("seed");
    let lines: Vec<&str> = seed
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let mut headings = Vec::new();
    let mut bold = Vec::new();
    for line in &lines[1..] {
        let numbered = ["一、", "二、", "三、", "四、", "五、"]
            .iter()
            .any(|p| line.starts_with(p));
        if numbered {
            headings.push(line.to_string());
        } else if let Some(end) = line.find('。') {
            let first = &line[..end + '。'.len_utf8()];
            if first.chars().count() <= 25 && line.len() > first.len() {
                bold.push(first.to_string());
            }
        }
    }
    let body = lines[1..].join("\n");
    (lines[0].to_string(), headings, bold, numbers(&body))
}

#[test]
fn the_seed_report_imports_and_builds_with_its_headings_bold_leads_and_numbers() {
    let site = TempSite::sample();
    let outcome = import_into(&site, "seed.docx", 2022, "seed-import");
    assert_eq!(outcome.report, Path::new("content/2022/seed-import.zh.md"));
    assert!(outcome.notes.is_empty(), "{:?}", outcome.notes);
    let md = site.read("content/2022/seed-import.zh.md");
    let (title, headings, bold, nums) = seed_lists();
    assert!(md.contains(&format!("title: \"{title}\"")), "{md}");
    assert!(md.contains("draft: true"));
    let (h, b, n) = markdown_lists(&md);
    assert_eq!(h, headings);
    assert_eq!(b, bold);
    assert_eq!(n, nums);
    assert!(
        headings.len() == 5 && bold.len() > 15,
        "{headings:?} {bold:?}"
    );

    site.replace(
        "content/2022/seed-import.zh.md",
        "draft: true",
        "draft: false",
    );
    let files = site.build();
    let page = text(&files, "zh/2022/seed-import/index.html");
    for heading in &headings {
        assert!(page.contains(heading.as_str()), "{heading} not on the page");
    }
    assert!(page.contains("<strong>切实履行推进法治建设第一责任人职责。</strong>"));
    for figure in [
        "会议10次",
        "法律意见66件",
        "法律意见165件",
        "委托协议82份",
        "286个公共法律服务站点",
    ] {
        assert!(page.contains(figure), "{figure} not in the page's text");
    }
}

#[test]
fn libreoffice_features_are_carried_over_or_reported() {
    let site = TempSite::sample();
    let outcome = import_into(&site, "features.docx", 2024, "features");
    let md = site.read("content/2024/features.zh.md");
    assert!(md.contains("title: \"功能测试报告\""), "{md}");
    for expected in [
        "\n## 样式标题一\n",
        "\n### 样式标题二\n",
        "\n## 一、编号标题\n",
        "\n### （一）二级编号标题\n",
        "\n#### 1.三级编号标题\n",
        "\n**一是加强组织领导。**全年召开会议12次，印发文件3份。\n",
        "\n第一行文字第二行文字\n",
        "\n修订后保留新增的文字和原文。\n",
        "\n- 要点甲\n- 要点乙\n",
        "\n1. 第一步\n1. 第二步\n",
        "| 合并表头 |  | 数量 |\n| --- | --- | --- |\n| 甲类 | 一月 | 5 |\n|  | 二月 | 7 |",
        "![柱状图：2023年各月案件数](../../../static/import/2024/features.zh/image1.png)",
        "![](../../../static/import/2024/features.zh/image2.png)",
    ] {
        assert!(md.contains(expected), "missing {expected:?} in\n{md}");
    }
    assert!(!md.contains("删掉的旧文字"), "a tracked deletion was kept");
    assert!(!md.contains("页眉"), "the page header was kept");
    let reference = md.find("正文带脚注[^").expect("footnote reference");
    let id: String = md[reference + "正文带脚注[^".len()..]
        .chars()
        .take_while(|c| *c != ']')
        .collect();
    assert!(
        md.contains(&format!("\n[^{id}]: 脚注内容：数据截至2023年底。\n")),
        "{md}"
    );
    assert_eq!(
        keys(&outcome),
        [
            "import.merged_cells",
            "import.no_alt",
            "import.headers_footers",
            "import.tracked_changes"
        ]
    );
    let merged = &outcome.notes[0];
    assert!(merged.text_arg("count") == Some("2"), "{merged:?}");
    assert!(outcome.notes[1].text_arg("image") == Some("image2.png"));
    for image in &outcome.images {
        let bytes = std::fs::read(site.root().join(image)).expect("image written");
        assert!(bytes.starts_with(b"\x89PNG"), "{}", image.display());
    }
    assert_eq!(outcome.images.len(), 2);

    site.replace("content/2024/features.zh.md", "draft: true", "draft: false");
    let files = site.build();
    let page = text(&files, "zh/2024/features/index.html");
    assert!(page.contains("<table>") && page.contains("<strong>一是加强组织领导。</strong>"));
}

#[test]
fn python_docx_numbered_paragraphs_become_headings_only_when_short() {
    let site = TempSite::sample();
    import_into(&site, "numbered.docx", 2024, "numbered");
    let md = site.read("content/2024/numbered.zh.md");
    assert!(
        md.contains("title: \"某区市场监管局2023年度工作报告\""),
        "{md}"
    );
    for expected in [
        "\n## 一、总体情况\n",
        "\n### （一）主要做法\n",
        "\n#### 1.强化监管\n",
        "\n#### 2、优化服务\n",
        "\n1.全年新登记市场主体12345户",
        "\n**二是加强执法。**办理行政处罚案件512件。\n",
        "\n### 二、下一步计划\n",
        "| 项目 | 数量 |\n| --- | --- |\n| 抽查 | 36 |",
    ] {
        assert!(md.contains(expected), "missing {expected:?} in\n{md}");
    }
}

#[test]
fn doc_wps_and_pdf_are_refused_with_how_to_save_as_docx() {
    let site = TempSite::sample();
    let root = site.root().to_string_lossy().into_owned();
    for (file, kind) in [
        ("old-word.doc", "doc"),
        ("renamed-doc.docx", "doc"),
        ("report.pdf", "pdf"),
    ] {
        let path = docx(file).to_string_lossy().into_owned();
        let args = [
            "import",
            &path,
            "--year",
            "2024",
            "--department",
            "justice-bureau",
            "--stem",
            "refused",
            "--root",
            &root,
        ];
        let (code, _, stderr) = run(&args);
        assert_eq!(code, 1, "{stderr}");
        assert!(
            stderr.contains(&format!("this is a .{kind} file")),
            "{stderr}"
        );
        assert!(
            stderr.contains("Word 文档 (*.docx)") && stderr.contains("WPS"),
            "{stderr}"
        );
        assert!(!site.path("content/2024/refused.zh.md").exists());
    }
}

#[test]
fn bad_values_exit_2_and_an_existing_file_is_never_overwritten() {
    let site = TempSite::sample();
    let root = site.root().to_string_lossy().into_owned();
    let seed = docx("seed.docx").to_string_lossy().into_owned();
    let base = [
        "import",
        seed.as_str(),
        "--root",
        root.as_str(),
        "--year",
        "2022",
    ];
    let (code, _, stderr) = run(&[&base[..], &["--department", "justice-bureua"]].concat());
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("justice-bureau"), "{stderr}");
    let before = site.read("content/2022/justice-bureau.zh.md");
    let (code, _, stderr) = run(&[&base[..], &["--department", "justice-bureau"]].concat());
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("content/2022/justice-bureau.zh.md"),
        "{stderr}"
    );
    assert_eq!(site.read("content/2022/justice-bureau.zh.md"), before);
}

#[test]
fn what_was_not_carried_over_is_printed_in_chinese() {
    let site = TempSite::sample();
    let root = site.root().to_string_lossy().into_owned();
    let path = docx("features.docx").to_string_lossy().into_owned();
    let args = [
        "--lang",
        "zh",
        "import",
        &path,
        "--year",
        "2024",
        "--department",
        "justice-bureau",
        "--stem",
        "features",
        "--root",
        &root,
    ];
    let (code, _, stderr) = run(&args);
    assert_eq!(code, 0, "{stderr}");
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("未能保留："))
        .collect();
    assert_eq!(lines.len(), 4, "{stderr}");
    assert!(
        lines[0].contains("合并单元格") && lines[1].contains("替代文字"),
        "{stderr}"
    );
}

/// A zip holding the given parts.
fn zip_of(parts: &[(&str, &str)]) -> Vec<u8> {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    for (name, text) in parts {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .expect("start file");
        zip.write_all(text.as_bytes()).expect("write part");
    }
    zip.finish().expect("finish zip");
    out.into_inner()
}

#[test]
fn a_broken_docx_is_an_error_naming_the_file_and_writes_nothing() {
    let site = TempSite::sample();
    let root = site.root().to_string_lossy().into_owned();
    let entity = r#"<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaa">]><d>&a;</d>"#;
    for (name, bytes) in [
        ("no-document.docx", zip_of(&[("word/styles.xml", "<x/>")])),
        ("entity.docx", zip_of(&[("word/document.xml", entity)])),
        (
            "not-xml.docx",
            zip_of(&[("word/document.xml", "<w:document>")]),
        ),
        ("not-zip.docx", b"PK\x03\x04 truncated".to_vec()),
    ] {
        let file = site.parent().join(name);
        std::fs::write(&file, bytes).expect("write docx");
        let file = file.to_string_lossy().into_owned();
        let args = [
            "import",
            &file,
            "--year",
            "2024",
            "--department",
            "justice-bureau",
            "--stem",
            "broken",
            "--root",
            &root,
        ];
        let (code, _, stderr) = run(&args);
        assert_eq!(code, 1, "{name}: {stderr}");
        assert!(
            stderr.contains(name) && stderr.contains("cannot read this file as a Word .docx"),
            "{stderr}"
        );
        assert!(!site.path("content/2024/broken.zh.md").exists(), "{name}");
    }
}

#[test]
fn endnotes_text_boxes_and_charts_are_reported_not_silently_dropped() {
    let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    let document = format!(
        r#"<w:document xmlns:w="{w}"><w:body>
        <w:p><w:r><w:t>标题</w:t></w:r></w:p>
        <w:p><w:r><w:t>正文</w:t></w:r><w:r><w:endnoteReference w:id="1"/></w:r></w:p>
        <w:p><w:r><w:drawing><wps><w:txbxContent><w:p><w:r><w:t>框内</w:t></w:r></w:p></w:txbxContent></wps></w:drawing></w:r></w:p>
        <w:p><w:r><w:drawing><chart/></w:drawing></w:r><w:r><w:t>图表后</w:t></w:r></w:p>
        </w:body></w:document>"#
    );
    let site = TempSite::sample();
    let file = site.parent().join("other.docx");
    std::fs::write(&file, zip_of(&[("word/document.xml", &document)])).expect("write");
    let args = ImportArgs {
        file: &file,
        year: 2024,
        department: "justice-bureau",
        lang: Some("zh"),
        stem: Some("other"),
        date: "2024-01-01",
    };
    let outcome = import(site.root(), &args).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        keys(&outcome),
        ["import.endnotes", "import.text_boxes", "import.drawings"]
    );
    let md = site.read("content/2024/other.zh.md");
    assert!(md.contains("\n正文\n") && md.contains("\n图表后\n"), "{md}");
}
