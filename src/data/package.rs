//! Data stage: `data/datapackage.json`, a Frictionless Data Package (v1) describing every data
//! file, so tools that read the standard load the figures with their types (README, "Figures
//! as open data").
//!
//! Guarantees: every file [`super::files`] writes is a resource with its `path` (relative to
//! the descriptor), format, media type, encoding and the schema of [`super::columns`]; the
//! licence is the site's `data_license` when it sets one, and left out otherwise (no licence
//! is claimed on the bureau's behalf). Same input, same bytes.

use serde_json::{Value, json};

use super::{Column, DATA_DIR, Format, Kind, department_file, site_file};
use crate::model::Site;

/// The descriptor as pretty JSON.
pub fn describe(site: &Site, columns: &[Column]) -> Vec<u8> {
    let config = &site.config;
    let schema = schema(columns);
    let mut resources = Vec::new();
    let mut add = |name: String, path: String, format: Format, title: String| {
        resources.push(resource(name, path, format, title, &schema));
    };
    let lang = config.default_lang();
    for format in [Format::Csv, Format::Json] {
        add(
            format!("figures.{}", format.ext()),
            site_file(format),
            format,
            "Figures of every department".into(),
        );
    }
    for (key, labels) in &config.departments {
        let name = crate::config::label(labels, lang);
        for format in [Format::Csv, Format::Json] {
            add(
                format!("department.{key}.{}", format.ext()),
                department_file(key, format),
                format,
                name.to_string(),
            );
        }
    }
    let mut package = json!({
        "profile": "tabular-data-package",
        "name": "figures",
        "title": crate::config::label(&config.title, lang),
        "homepage": config.base_url,
        "resources": resources,
    });
    if let Some(licence) = &config.data_license {
        package["licenses"] = json!([licence]);
    }
    let mut bytes = serde_json::to_vec_pretty(&package).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

fn resource(name: String, path: String, format: Format, title: String, schema: &Value) -> Value {
    // Paths are relative to the descriptor, which sits in `data/`.
    let path = path.strip_prefix(&format!("{DATA_DIR}/")).unwrap_or(&path);
    let mut r = json!({
        "profile": "tabular-data-resource",
        "name": name,
        "title": title,
        "path": path,
        "format": format.ext(),
        // The CSV starts with a byte order mark, which readers of UTF-8 skip.
        "encoding": "utf-8",
        "schema": schema,
    });
    match format {
        Format::Csv => {
            r["mediatype"] = json!("text/csv");
            r["dialect"] = json!({
                "delimiter": ",", "lineTerminator": "\r\n", "quoteChar": "\"",
                "doubleQuote": true, "header": true,
            });
        }
        Format::Json => r["mediatype"] = json!("application/json"),
    }
    r
}

fn schema(columns: &[Column]) -> Value {
    let fields: Vec<Value> = columns
        .iter()
        .map(|c| {
            let mut f = json!({ "name": c.name, "description": c.description });
            match c.kind {
                Kind::Key | Kind::Text => f["type"] = json!("string"),
                Kind::Year => f["type"] = json!("integer"),
                Kind::Number => f["type"] = json!("number"),
                Kind::Url => {
                    f["type"] = json!("string");
                    f["format"] = json!("uri");
                }
            }
            f
        })
        .collect();
    json!({ "fields": fields, "primaryKey": ["year", "report", "figure"] })
}
