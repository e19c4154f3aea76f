//! Archive stage: `manifest.json`'s bytes, pretty-printed as serde_json prints them, with its two
//! long lists (a 10,000-pair site's manifest is 19 MB) printed in parallel: each element on its
//! own, indented to its depth. A JSON string holds no raw line break, so every line break in an
//! element is the printer's, and indenting after each gives serde_json's bytes exactly
//! (`tests` below compares them).

use rayon::prelude::*;
use serde::Serialize;

use super::manifest::Manifest;

/// Elements printed per task.
const CHUNK: usize = 1024;

/// How deep the lists' elements are: two levels of two spaces.
const ELEMENT_INDENT: &[u8] = b"    ";

/// `manifest.json`'s bytes.
pub fn to_json(mut manifest: Manifest<'_>) -> Vec<u8> {
    let reports = std::mem::take(&mut manifest.reports);
    let files = std::mem::take(&mut manifest.files);
    let mut out = pretty(&manifest);
    let empty_lists: &[u8] = b"\"reports\": [],\n  \"files\": []\n}";
    if !out.ends_with(empty_lists) {
        // Not the layout this module knows: serde_json prints it all.
        manifest.reports = reports;
        manifest.files = files;
        let mut out = pretty(&manifest);
        out.push(b'\n');
        return out;
    }
    out.truncate(out.len() - empty_lists.len());
    out.extend_from_slice(b"\"reports\": ");
    print_list(&mut out, &reports);
    out.extend_from_slice(b",\n  \"files\": ");
    print_list(&mut out, &files);
    out.extend_from_slice(b"\n}\n");
    out
}

fn pretty(value: &impl Serialize) -> Vec<u8> {
    serde_json::to_vec_pretty(value).expect("serialising to memory")
}

/// A list at the manifest's top level, as serde_json's pretty printer prints it there.
fn print_list<T: Serialize + Sync>(out: &mut Vec<u8>, items: &[T]) {
    if items.is_empty() {
        out.extend_from_slice(b"[]");
        return;
    }
    let parts: Vec<Vec<u8>> = (items.par_chunks(CHUNK))
        .map(|chunk| {
            let mut part = Vec::new();
            for item in chunk {
                part.extend_from_slice(b",\n");
                part.extend_from_slice(ELEMENT_INDENT);
                for byte in pretty(item) {
                    part.push(byte);
                    if byte == b'\n' {
                        part.extend_from_slice(ELEMENT_INDENT);
                    }
                }
            }
            part
        })
        .collect();
    out.push(b'[');
    // The first element's separator is the line break alone.
    out.extend_from_slice(&parts[0][1..]);
    for part in &parts[1..] {
        out.extend_from_slice(part);
    }
    out.extend_from_slice(b"\n  ]");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::manifest::{ManifestFile, ManifestReport};

    fn report(i: usize, title: &str) -> ManifestReport<'_> {
        ManifestReport {
            year: 2020 + (i % 5) as u16,
            department: "justice-bureau",
            lang: "zh",
            title,
            url: format!("zh/2022/r-{i}/"),
            page: format!("zh/2022/r-{i}/index.html"),
            page_sha256: format!("{i:064x}"),
            source: format!("content/2022/r-{i}.zh.md"),
            source_sha256: "ab",
            revisions: i % 3,
        }
    }

    #[test]
    fn the_bytes_are_serde_jsons() {
        let titles = [
            "标题 \"引号\"\n换行\t\u{1}",
            "plain",
            "\\ back\\slash </script>",
        ];
        let paths: Vec<String> = (0..2_500)
            .map(|i| format!("zh/{i}/页面 \"{i}\".html"))
            .collect();
        for (reports, files, key) in [(0, 0, None), (1, 1, Some("KEY")), (2_100, 2_500, None)] {
            let manifest = || Manifest {
                generator: "gongkai",
                base_url: "https://example.gov.cn/",
                public_key: key.map(str::to_string),
                reports: (0..reports).map(|i| report(i, titles[i % 3])).collect(),
                files: (paths.iter().take(files).enumerate())
                    .map(|(i, path)| ManifestFile {
                        path,
                        sha256: titles[i % 3],
                        size: i as u64,
                    })
                    .collect(),
            };
            let mut expected = serde_json::to_vec_pretty(&manifest()).unwrap();
            expected.push(b'\n');
            let got = to_json(manifest());
            assert!(got == expected, "{reports} reports, {files} files differ");
        }
    }
}
