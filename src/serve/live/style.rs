//! Preview: the style warnings of the site's Chinese reports (README "Style rules"), kept per
//! file and brought up to date with the files each edit reloads. The preview shows them in a
//! panel beside the page, never over it: a style rule never stops the preview, so rules set to
//! `error` are shown here as warnings too.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diagnostics::warning_line;
use crate::messages::{Msg, UiLang};
use crate::style::file::Warning;
use crate::style::messages::Messages;
use crate::style::site::{check_one, check_site};
use crate::style::{Level, Rule};

/// At most this many warnings are listed in the page; `gongkai check` lists them all.
const SHOWN: usize = 200;

pub struct StyleWarnings {
    by_file: BTreeMap<PathBuf, Vec<Warning>>,
    messages: Messages,
    /// The same language's catalogue of the preview's own lines.
    ui: crate::messages::Messages,
}

impl StyleWarnings {
    /// Messages in English (the preview asks for its own language with [`Self::in_lang`]).
    pub fn new() -> StyleWarnings {
        Self::in_lang(UiLang::En)
    }

    /// Messages in `lang` (the preview's language: `--lang`, else the locale).
    pub fn in_lang(lang: UiLang) -> StyleWarnings {
        StyleWarnings {
            by_file: BTreeMap::new(),
            messages: Messages::new(lang.code()),
            ui: crate::messages::Messages::new(lang),
        }
    }

    /// Every file checked again (the site was loaded as a whole).
    pub fn all(&mut self, root: &Path, config: &Config) {
        let config = as_warnings(config);
        let (_, warnings) = check_site(root, &config, &self.messages);
        self.by_file.clear();
        for w in warnings {
            self.by_file.entry(w.path.clone()).or_default().push(w);
        }
    }

    /// The files an edit reloaded (relative to the root) checked again; a file gone loses its
    /// warnings.
    pub fn files<'a>(
        &mut self,
        root: &Path,
        config: &Config,
        rels: impl Iterator<Item = &'a PathBuf>,
    ) {
        let config = as_warnings(config);
        for rel in rels {
            self.by_file.remove(rel);
            if let Some((_, w)) = check_one(root, rel, &config, &self.messages)
                && !w.is_empty()
            {
                self.by_file.insert(rel.clone(), w);
            }
        }
    }

    /// How many warnings the site has.
    pub fn count(&self) -> usize {
        self.by_file.values().map(Vec::len).sum()
    }

    /// The warnings as lines of text, or `None` when there are none.
    pub fn text(&self) -> Option<String> {
        let total = self.count();
        if total == 0 {
            return None;
        }
        let mut lines: Vec<String> = self
            .by_file
            .values()
            .flatten()
            .take(SHOWN)
            .map(|w| self.line(w))
            .collect();
        if total > SHOWN {
            let more = Msg::new("serve.warnings_more").arg("n", total - SHOWN);
            lines.push(self.ui.render(&more));
        }
        Some(lines.join("\n"))
    }

    /// `path:line:col: warning[rule]: message`, as `check` prints it, the label in this
    /// language.
    fn line(&self, w: &Warning) -> String {
        let line = warning_line(&w.path, w.line, w.col, w.rule.name(), &w.message);
        self.ui.render(&line)
    }
}

impl Default for StyleWarnings {
    fn default() -> Self {
        Self::new()
    }
}

/// `config` with every rule set to `error` lowered to `warn`.
fn as_warnings(config: &Config) -> Config {
    let mut config = config.clone();
    for rule in Rule::ALL {
        if config.style.level(rule) == Level::Error {
            config.style.levels.insert(rule, Level::Warn);
        }
    }
    config
}
