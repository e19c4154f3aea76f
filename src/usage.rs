//! The command line: a mistyped command, option or value is said in the reader's language
//! (README "Messages in your language"), with clap's usage line after it, and exits 2. Help and
//! version requests are clap's own.

use std::ffi::OsString;
use std::process::ExitCode;

use clap::CommandFactory;
use clap::error::{ContextKind, ContextValue, ErrorKind};

use gongkai::diagnostics::for_terminal;
use gongkai::messages::{Messages, Msg, UiLang, choose};

use crate::args::Cli;

/// Prints `err` for the reader and gives the exit status (2 for a usage error, 0 for help).
pub(crate) fn failed(err: clap::Error, args: &[OsString]) -> ExitCode {
    let Some((message, hint)) = explain(&err) else {
        // Help, version, or an I/O error while printing them: clap says it best.
        let _ = err.print();
        return ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2));
    };
    let env = |name: &str| std::env::var(name).ok();
    let ui = Messages::new(choose(lang_flag(args), &env));
    say(&ui, &message, hint.as_ref());
    let rendered = err.render().to_string();
    if let Some(usage) = rendered.lines().find(|l| l.starts_with("Usage:")) {
        eprintln!("\n{usage}");
    }
    eprintln!("{}", ui.text("usage.more"));
    ExitCode::from(2)
}

/// A command-line error and its hint, as every usage error is printed (exit status 2).
pub(crate) fn say(ui: &Messages, message: &Msg, hint: Option<&Msg>) {
    let text = ui.render(message);
    eprintln!("{}{}", ui.text("diag.error"), for_terminal(&text));
    if let Some(hint) = hint {
        let text = ui.render(hint);
        eprintln!("  {}{}", ui.text("diag.hint"), for_terminal(&text));
    }
}

/// `--lang xx` or `--lang=xx` before the command (after it, `--lang` is a report's language).
fn lang_flag(args: &[OsString]) -> Option<UiLang> {
    let mut rest = args.iter().skip(1).filter_map(|a| a.to_str());
    while let Some(arg) = rest.next() {
        if let Some(code) = arg.strip_prefix("--lang=") {
            return UiLang::from_code(code);
        }
        match arg {
            "--lang" => return rest.next().and_then(UiLang::from_code),
            a if a.starts_with('-') => continue,
            _ => return None,
        }
    }
    None
}

/// The message and hint for a usage error; `None` for what is not one (help, version).
fn explain(err: &clap::Error) -> Option<(Msg, Option<Msg>)> {
    let text = |kind| err.get(kind).map(listed).unwrap_or_default();
    let suggested = |kind| {
        err.get(kind)
            .map(|v| Msg::new("suggest.did_you_mean").arg("key", listed_plain(v)))
    };
    let arg = text(ContextKind::InvalidArg);
    let value = err
        .get(ContextKind::InvalidValue)
        .map(listed_plain)
        .unwrap_or_default();
    Some(match err.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
        | ErrorKind::Io
        | ErrorKind::Format => return None,
        ErrorKind::InvalidSubcommand => (
            Msg::new("usage.unknown_command").arg("command", text(ContextKind::InvalidSubcommand)),
            suggested(ContextKind::SuggestedSubcommand).or_else(|| Some(commands())),
        ),
        ErrorKind::UnknownArgument => (
            Msg::new("usage.unknown_option").arg("option", arg),
            suggested(ContextKind::SuggestedArg),
        ),
        // `--root` at the end of the line: clap reports an empty value.
        ErrorKind::InvalidValue if value.is_empty() => {
            (Msg::new("usage.needs_value").arg("option", arg), None)
        }
        ErrorKind::InvalidValue => (
            Msg::new("usage.invalid_value")
                .arg("option", arg)
                .arg("value", value),
            err.get(ContextKind::ValidValue)
                .map(listed)
                .filter(|v| !v.is_empty())
                .map(|v| Msg::new("suggest.one_of").arg("keys", v)),
        ),
        ErrorKind::ValueValidation => (
            Msg::new("usage.bad_value")
                .arg("option", arg)
                .arg("value", value)
                .arg("reason", reason(err)),
            None,
        ),
        ErrorKind::MissingRequiredArgument => (Msg::new("usage.missing").arg("args", arg), None),
        ErrorKind::MissingSubcommand => (Msg::new("usage.no_command"), Some(commands())),
        ErrorKind::ArgumentConflict => (
            Msg::new("usage.conflict")
                .arg("option", arg)
                .arg("other", text(ContextKind::PriorArg)),
            None,
        ),
        _ => (Msg::new("usage.other").arg("detail", first_line(err)), None),
    })
}

/// What to type instead of an unknown or missing command: every command, from the parser.
fn commands() -> Msg {
    let cli = Cli::command();
    let names: Vec<String> = cli
        .get_subcommands()
        .filter(|c| c.get_name() != "help")
        .map(|c| format!("`{}`", c.get_name()))
        .collect();
    Msg::new("usage.commands").list("commands", names)
}

/// A context value as the messages show names: each in backticks.
fn listed(v: &ContextValue) -> String {
    match v {
        ContextValue::Strings(items) => items
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", "),
        other => listed_plain(other),
    }
}

/// A context value as it is (the catalogue text puts it in backticks).
fn listed_plain(v: &ContextValue) -> String {
    match v {
        ContextValue::Strings(items) => items.join("`, `"),
        other => other.to_string(),
    }
}

/// Why a value was refused: the value parser's own words (ours are in the reader's language;
/// the standard library's number parser's are English).
fn reason(err: &clap::Error) -> String {
    std::error::Error::source(err).map_or_else(|| first_line(err), |e| e.to_string())
}

/// Clap's own first line without its `error: ` label.
fn first_line(err: &clap::Error) -> String {
    let rendered = err.render().to_string();
    let line = rendered.lines().next().unwrap_or_default();
    line.strip_prefix("error: ").unwrap_or(line).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_language_flag_counts_only_before_the_command() {
        assert_eq!(
            lang_flag(&args(&["gongkai", "--lang", "zh", "biuld"])),
            Some(UiLang::Zh)
        );
        assert_eq!(
            lang_flag(&args(&["gongkai", "--lang=en", "x"])),
            Some(UiLang::En)
        );
        assert_eq!(lang_flag(&args(&["gongkai", "new", "--lang", "zh"])), None);
        assert_eq!(lang_flag(&args(&["gongkai", "--lang"])), None);
    }
}
