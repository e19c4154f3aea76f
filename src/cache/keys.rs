//! What each part of the build cache depends on besides the report files, as SHA-256 keys: a
//! part is used only when its key is the one this build computes.

use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::layout::{CONFIG_FILE, LOCK_FILE};
use crate::model::Report;
use crate::options::BuildOptions;
use crate::render::Theme;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Keys {
    /// What a file's load depends on besides its own bytes: `site.yaml`, `--base-url` and
    /// the link style.
    pub loads: [u8; 32],
    /// What the pages depend on besides the reports: the loads' key, the theme (templates,
    /// static files, UI strings), `archive.lock`, `--drafts`, the day taken as today, the
    /// signing key and the output folder.
    pub pages: [u8; 32],
}

/// Fields hashed one after another, each with its length, so no two lists of fields give the
/// same bytes.
struct Fields(Sha256);

impl Fields {
    fn new(kind: &str) -> Fields {
        let mut f = Fields(Sha256::new());
        f.add(kind.as_bytes());
        f.add(env!("CARGO_PKG_VERSION").as_bytes());
        f
    }

    fn add(&mut self, bytes: &[u8]) -> &mut Fields {
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    fn text(&mut self, text: impl std::fmt::Debug) -> &mut Fields {
        self.add(format!("{text:?}").as_bytes())
    }

    fn finish(&mut self) -> [u8; 32] {
        std::mem::take(&mut self.0).finalize().into()
    }
}

/// A file's bytes, or a mark that it is missing or unreadable.
fn file_bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| format!("\0{:?}", e.kind()).into_bytes())
}

impl Keys {
    /// The loads' key of the site `opts` builds.
    pub fn loads(opts: &BuildOptions) -> [u8; 32] {
        Fields::new("loads")
            .add(&file_bytes(&opts.root.join(CONFIG_FILE)))
            .text(&opts.base_url)
            .text(opts.link_style)
            .finish()
    }

    /// Both keys of a build of `opts` with `theme` into `out`; `today` is the day the status
    /// page is computed for.
    pub fn new(
        opts: &BuildOptions,
        theme: &Theme,
        out: &Path,
        today: Option<chrono::NaiveDate>,
    ) -> Keys {
        let loads = Keys::loads(opts);
        let mut pages = Fields::new("pages");
        pages.add(&loads);
        for (name, source) in &theme.templates {
            pages.add(name.as_bytes()).add(source.as_bytes());
        }
        for (name, bytes) in &theme.statics {
            pages.add(name.as_bytes()).add(bytes);
        }
        pages.text(&theme.strings);
        pages
            .add(&file_bytes(&opts.root.join(LOCK_FILE)))
            .text(opts.drafts)
            .text(today)
            .text(&opts.signing_key)
            .text(crate::output::resolve(out));
        Keys {
            loads,
            pages: pages.finish(),
        }
    }
}

/// What `lang`'s search index is built from: the loads' key and the published reports in
/// that language, each by its file and the SHA-256 of its bytes (a report is a function of
/// those two and the configuration).
pub fn search_key(loads: &[u8; 32], reports: &[std::sync::Arc<Report>], lang: &str) -> [u8; 32] {
    let mut of_lang: Vec<&Report> = (reports.iter())
        .filter(|r| r.lang == lang)
        .map(|r| &**r)
        .collect();
    // By the paths' bytes: any fixed order does, and comparing components is slower.
    of_lang.sort_by(|a, b| a.source_path.as_os_str().cmp(b.source_path.as_os_str()));
    let mut key = Fields::new("search");
    key.add(loads).add(lang.as_bytes());
    for r in of_lang {
        key.add(r.source_path.as_os_str().as_encoded_bytes())
            .add(r.source_sha256.as_bytes());
    }
    key.finish()
}
