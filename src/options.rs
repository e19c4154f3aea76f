//! What a run of the pipeline is asked to do: which site, drafts or not, which address, which
//! link style. Shared by the load stage, the render stage and every command.

use std::path::PathBuf;

use crate::urls::LinkStyle;

/// What to build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub drafts: bool,
    pub base_url: Option<String>,
    pub link_style: LinkStyle,
    /// The private key that signs the manifest, given outside `site.yaml`
    /// (`GONGKAI_SIGNING_KEY`); it wins over `signing_key:` (README, "Signed manifests").
    pub signing_key: Option<PathBuf>,
    /// The day taken as today by the status page and `gongkai status` (README "Report kinds":
    /// `GONGKAI_TODAY`); `None` is today in the site's time zone.
    pub today: Option<chrono::NaiveDate>,
    /// `build --no-cache`: neither read nor write the build cache (`src/cache/`).
    pub no_cache: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            ..Default::default()
        }
    }
}
