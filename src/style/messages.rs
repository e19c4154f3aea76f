//! Check stage: the texts of the style rules' findings, from the shared catalogues (area
//! `style`, `messages/style.<lang>.yaml`, README "Messages in your language"). A rule names its
//! message by a short key (`straight-quotes`); [`msg`] turns it into the catalogue's key, so
//! the rules need not know the catalogue and every key is named once in code.

use super::Finding;
use crate::messages::{self, Msg, UiLang};

/// The catalogues of one language, as the style rules read them.
#[derive(Debug, Clone)]
pub struct Messages {
    ui: messages::Messages,
}

impl Messages {
    /// The catalogues of `lang` (`zh…` is Chinese, anything else English).
    pub fn new(lang: &str) -> Messages {
        let lang = UiLang::from_code(lang).unwrap_or_default();
        Messages {
            ui: messages::Messages::new(lang),
        }
    }

    /// The language `GONGKAI_LANG` or the locale asks for (`zh` or `en`), chosen as every
    /// other message's (`messages::choose`); `get` reads the environment, so tests need not
    /// touch the process's own.
    pub fn language_from(get: impl Fn(&str) -> Option<String>) -> String {
        messages::choose(None, &get).code().to_string()
    }

    /// A finding's message as a warning (no rule tag: the warning line names the rule).
    pub fn finding(&self, f: &Finding) -> String {
        self.ui.render(&msg(f).arg("tag", ""))
    }
}

/// The message of a finding, its `{tag}` left for the caller: `[rule] ` for an error, empty for
/// a warning. A key no rule should produce shows as itself rather than vanish.
pub fn msg(f: &Finding) -> Msg {
    let msg = match f.key {
        "half-width-punctuation" => Msg::new("style.half-width-punctuation"),
        "straight-quotes" => Msg::new("style.straight-quotes"),
        "straight-quote-unpaired" => Msg::new("style.straight-quote-unpaired"),
        "unbalanced-open" => Msg::new("style.unbalanced-open"),
        "unbalanced-close" => Msg::new("style.unbalanced-close"),
        "repeated-punctuation" => Msg::new("style.repeated-punctuation"),
        "space-between-han" => Msg::new("style.space-between-han"),
        "full-width-alphanumeric" => Msg::new("style.full-width-alphanumeric"),
        "numbering-gap" => Msg::new("style.numbering-gap"),
        "numbering-repeat" => Msg::new("style.numbering-repeat"),
        "numbering-order" => Msg::new("style.numbering-order"),
        "preferred-wording" => Msg::new("style.preferred-wording"),
        other => Msg::new(other),
    };
    f.args
        .iter()
        .fold(msg, |m, (name, value)| m.arg(name, value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::style::Rule;

    fn finding(key: &'static str) -> Finding {
        Finding {
            rule: Rule::HalfWidthPunctuation,
            range: 0..1,
            key,
            args: vec![("found", ",".into()), ("fix", "，".into())],
            fix: None,
        }
    }

    #[test]
    fn findings_read_from_the_shared_catalogues() {
        let f = finding("half-width-punctuation");
        assert_eq!(
            Messages::new("zh").finding(&f),
            "中文中使用了半角“,”：应为“，”"
        );
        assert_eq!(
            Messages::new("en").finding(&f),
            "half-width `,` in Chinese text: write `，`"
        );
        let tagged = msg(&f).arg("tag", "[half-width-punctuation] ");
        assert!(
            tagged
                .english()
                .starts_with("[half-width-punctuation] half-width")
        );
        assert_eq!(
            Messages::language_from(|k| (k == "LANG").then(|| "zh_CN.UTF-8".into())),
            "zh"
        );
        assert_eq!(
            Messages::language_from(|k| (k == "LC_MESSAGES").then(|| "zh_CN.UTF-8".into())),
            "zh"
        );
        assert_eq!(Messages::language_from(|_| None), "en");
    }

    #[test]
    fn every_style_message_of_the_catalogue_has_its_rule_key() {
        // Each `style.<key>` text with a `{tag}` is a finding's: its short key must map to it,
        // or the finding would print its bare key.
        let en = messages::parse_catalogue(include_str!("../../messages/style.en.yaml")).unwrap();
        let findings: Vec<&String> = en.keys().filter(|k| en[*k].contains("{tag}")).collect();
        assert!(findings.len() >= 12, "{findings:?}");
        for key in findings {
            let short: &'static str = Box::leak(key["style.".len()..].to_string().into_boxed_str());
            assert_eq!(msg(&finding(short)).key, key.as_str());
        }
    }
}
