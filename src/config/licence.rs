//! Load stage: `site.yaml`'s `data_license:`, the licence the figures' data files are published
//! under (README, "Figures as open data"), as the Data Package standard writes one. Leaf.

use serde::{Deserialize, Serialize};

/// `data_license: { name: CC-BY-4.0, path: https://…, title: … }`; `name` is required (an
/// Open Definition licence id, or the bureau's own name for its terms).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DataLicense {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}
