//! Messages: which language the editor reads, from the command line, then `GONGKAI_LANG`, then
//! the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`), else English (README "Messages in your
//! language"). The environment is passed in, so the choice is a pure function.

/// The language of the messages (not of the site: a site can be in languages gongkai's own
/// messages are not).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UiLang {
    #[default]
    En,
    Zh,
}

impl UiLang {
    /// `zh`, `zh_CN.UTF-8`, `zh-Hans` → Chinese; `en*`, `C`, `POSIX` → English; else unknown.
    pub fn from_code(code: &str) -> Option<Self> {
        let lower = code.trim().to_ascii_lowercase();
        if lower.starts_with("zh") {
            Some(UiLang::Zh)
        } else if lower.starts_with("en")
            || lower == "c"
            || lower.starts_with("c.")
            || lower == "posix"
        {
            Some(UiLang::En)
        } else {
            None
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            UiLang::En => "en",
            UiLang::Zh => "zh",
        }
    }
}

/// The language chosen by `flag` (`--lang`), else the first of `GONGKAI_LANG`, `LC_ALL`,
/// `LC_MESSAGES`, `LANG` that is set and not empty (as the C library reads the locale),
/// else English. `env` looks a variable up.
pub fn choose(flag: Option<UiLang>, env: &dyn Fn(&str) -> Option<String>) -> UiLang {
    if let Some(lang) = flag {
        return lang;
    }
    if let Some(lang) = env("GONGKAI_LANG").and_then(|v| UiLang::from_code(&v)) {
        return lang;
    }
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|name| env(name).filter(|v| !v.is_empty()))
        .and_then(|v| UiLang::from_code(&v))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn flag_then_gongkai_lang_then_locale_then_english() {
        let zh_locale = [("LANG", "zh_CN.UTF-8")];
        assert_eq!(choose(Some(UiLang::En), &with(&zh_locale)), UiLang::En);
        assert_eq!(choose(None, &with(&zh_locale)), UiLang::Zh);
        let both = [("GONGKAI_LANG", "en"), ("LANG", "zh_CN.UTF-8")];
        assert_eq!(choose(None, &with(&both)), UiLang::En);
        // LC_ALL wins over LANG, as in the C library; an empty one is skipped.
        let lc = [("LC_ALL", "en_US.UTF-8"), ("LANG", "zh_CN.UTF-8")];
        assert_eq!(choose(None, &with(&lc)), UiLang::En);
        let empty = [("LC_ALL", ""), ("LC_MESSAGES", "zh_TW.UTF-8")];
        assert_eq!(choose(None, &with(&empty)), UiLang::Zh);
        assert_eq!(choose(None, &with(&[("LANG", "fr_FR")])), UiLang::En);
        assert_eq!(choose(None, &with(&[])), UiLang::En);
    }
}
