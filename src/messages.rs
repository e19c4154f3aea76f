//! Messages: every text the editor reads (diagnostics, hints, summary lines, the preview
//! overlay) in Chinese or English, looked up by key in the catalogues under `messages/`
//! (README "Messages in your language"). Guarantees: a key missing from the chosen language
//! falls back to English, then to the key itself, so a message is never lost.
//!
//! Text is produced where it is shown: a diagnostic keeps a [`Msg`] (key and arguments), and
//! the printer or the overlay renders it with the [`Messages`] of the reader's language.

use std::collections::BTreeMap;
use std::sync::LazyLock;

mod choose;
pub mod mistakes;

pub use choose::{UiLang, choose};

/// One catalogue area: `messages/<name>.<lang>.yaml`, embedded in the binary.
#[derive(Debug, Clone, Copy)]
pub struct Area {
    pub name: &'static str,
    pub en: &'static str,
    pub zh: &'static str,
}

/// Every area the binary knows. Adding a message is adding its key to both files of an area;
/// adding an area is one line here.
pub const AREAS: &[Area] = &[
    Area {
        name: "diagnostics",
        en: include_str!("../messages/diagnostics.en.yaml"),
        zh: include_str!("../messages/diagnostics.zh.yaml"),
    },
    Area {
        name: "cli",
        en: include_str!("../messages/cli.en.yaml"),
        zh: include_str!("../messages/cli.zh.yaml"),
    },
    Area {
        name: "content",
        en: include_str!("../messages/content.en.yaml"),
        zh: include_str!("../messages/content.zh.yaml"),
    },
    Area {
        name: "links",
        en: include_str!("../messages/links.en.yaml"),
        zh: include_str!("../messages/links.zh.yaml"),
    },
    Area {
        name: "theme",
        en: include_str!("../messages/theme.en.yaml"),
        zh: include_str!("../messages/theme.zh.yaml"),
    },
    Area {
        name: "config",
        en: include_str!("../messages/config.en.yaml"),
        zh: include_str!("../messages/config.zh.yaml"),
    },
    Area {
        name: "style",
        en: include_str!("../messages/style.en.yaml"),
        zh: include_str!("../messages/style.zh.yaml"),
    },
    Area {
        name: "kinds",
        en: include_str!("../messages/kinds.en.yaml"),
        zh: include_str!("../messages/kinds.zh.yaml"),
    },
    Area {
        name: "output",
        en: include_str!("../messages/output.en.yaml"),
        zh: include_str!("../messages/output.zh.yaml"),
    },
    Area {
        name: "archive",
        en: include_str!("../messages/archive.en.yaml"),
        zh: include_str!("../messages/archive.zh.yaml"),
    },
    Area {
        name: "trust",
        en: include_str!("../messages/trust.en.yaml"),
        zh: include_str!("../messages/trust.zh.yaml"),
    },
    Area {
        name: "serve",
        en: include_str!("../messages/serve.en.yaml"),
        zh: include_str!("../messages/serve.zh.yaml"),
    },
];

/// A message to be rendered later: its catalogue key and named arguments (`{name}` in the text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    pub key: &'static str,
    args: Vec<(&'static str, Arg)>,
}

/// One argument: a text, or a list joined when rendered with the language's separator
/// (`list.separator`: `, ` in English, `、` in Chinese).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Arg {
    Text(String),
    List(Vec<String>),
}

impl Msg {
    pub fn new(key: &'static str) -> Self {
        Msg {
            key,
            args: Vec::new(),
        }
    }

    /// The argument `name`, shown where the text has `{name}`.
    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, Arg::Text(value.to_string())));
        self
    }

    /// The text argument `name`, if given (what a test checks a message was made with).
    pub fn text_arg(&self, name: &str) -> Option<&str> {
        self.args.iter().find_map(|(n, arg)| match arg {
            Arg::Text(text) if *n == name => Some(text.as_str()),
            _ => None,
        })
    }

    /// The list argument `name`: its items joined as the reader's language joins a list.
    pub fn list<T: ToString>(
        mut self,
        name: &'static str,
        items: impl IntoIterator<Item = T>,
    ) -> Self {
        let items = items.into_iter().map(|i| i.to_string()).collect();
        self.args.push((name, Arg::List(items)));
        self
    }

    /// The text in English: what `Diagnostic::message` holds, so code and tests that read it
    /// keep working whatever language the reader chose.
    pub fn english(&self) -> String {
        ENGLISH.render(self)
    }
}

/// The catalogues of one language, with English behind them.
#[derive(Debug, Clone)]
pub struct Messages {
    pub lang: UiLang,
    texts: BTreeMap<String, String>,
    fallback: BTreeMap<String, String>,
}

/// English, parsed once: immutable data read from the binary, never changed after.
static ENGLISH: LazyLock<Messages> = LazyLock::new(|| Messages::load(UiLang::En, AREAS));

/// The English catalogues (what logs and `Display` show).
pub fn english() -> &'static Messages {
    &ENGLISH
}

impl Messages {
    /// The catalogues of `areas` in `lang`. A catalogue that does not parse (a test catches
    /// that before release) counts as empty, so English or the key shows instead.
    pub fn load(lang: UiLang, areas: &[Area]) -> Self {
        let mut texts = BTreeMap::new();
        let mut fallback = BTreeMap::new();
        for area in areas {
            fallback.extend(parse_catalogue(area.en).unwrap_or_default());
            let own = match lang {
                UiLang::En => area.en,
                UiLang::Zh => area.zh,
            };
            texts.extend(parse_catalogue(own).unwrap_or_default());
        }
        Messages {
            lang,
            texts,
            fallback,
        }
    }

    /// Every area of the binary in `lang`.
    pub fn new(lang: UiLang) -> Self {
        Self::load(lang, AREAS)
    }

    /// The text of `msg` with its arguments in place.
    pub fn render(&self, msg: &Msg) -> String {
        let template = self
            .texts
            .get(msg.key)
            .or_else(|| self.fallback.get(msg.key));
        match template {
            Some(t) => {
                // Looked up directly: `text` renders through here.
                let separator = self
                    .texts
                    .get("list.separator")
                    .or_else(|| self.fallback.get("list.separator"))
                    .map_or(", ", String::as_str);
                let args: Vec<(&str, String)> = msg
                    .args
                    .iter()
                    .map(|(name, arg)| match arg {
                        Arg::Text(text) => (*name, text.clone()),
                        Arg::List(items) => (*name, items.join(separator)),
                    })
                    .collect();
                fill(t, &args)
            }
            None => msg.key.to_string(),
        }
    }

    /// The text of a key with no arguments.
    pub fn text(&self, key: &'static str) -> String {
        self.render(&Msg::new(key))
    }
}

/// A catalogue file: a flat map of key to text.
pub fn parse_catalogue(text: &str) -> Result<BTreeMap<String, String>, String> {
    crate::yaml::parse::<BTreeMap<String, String>>(text).map_err(|e| e.message)
}

/// `{name}` in `template` replaced by the argument of that name (one pass, so an argument's own
/// braces are never expanded); an unknown `{x}` stays as written.
fn fill(template: &str, args: &[(&'static str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            let v = args.iter().find(|(n, _)| *n == name)?;
            Some((v.1.as_str(), close))
        });
        match value {
            Some((v, close)) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The `{name}` placeholders of a text, sorted, for checking that translations agree.
pub fn placeholders(text: &str) -> Vec<String> {
    let mut names: Vec<String> = text
        .split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(n, _)| n))
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .map(str::to_string)
        .collect();
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_is_joined_as_the_readers_language_joins_one() {
        let msg = Msg::new("suggest.one_of").list("keys", ["`a`", "`b`", "`c`"]);
        assert_eq!(msg.english(), "expected one of `a`, `b`, `c`");
        let zh = Messages::new(UiLang::Zh).render(&msg);
        assert!(zh.contains("`a`、`b`、`c`"), "{zh}");
    }

    #[test]
    fn arguments_fill_their_placeholders_once() {
        let args = [("a", "{b}".to_string()), ("b", "x".to_string())];
        assert_eq!(fill("<{a}|{b}|{c}>", &args), "<{b}|x|{c}>");
        assert_eq!(placeholders("{b} and {a} and {a} {}"), ["a", "b"]);
    }

    #[test]
    fn a_missing_key_falls_back_to_english_then_to_the_key() {
        let area = Area {
            name: "t",
            en: "only_en: hello {who}\n",
            zh: "{}\n",
        };
        let zh = Messages::load(UiLang::Zh, &[area]);
        assert_eq!(zh.render(&Msg::new("only_en").arg("who", "x")), "hello x");
        assert_eq!(zh.text("nowhere"), "nowhere");
    }
}
