//! The `gongkai` command line: parse arguments, run the command (`gongkai::cmd`), print what it
//! did or its diagnostics, and exit with 0 (done), 1 (content, configuration or I/O error) or 2
//! (bad usage).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, OnceLock};

use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};

use gongkai::cmd::{self, serve::Notice, serve::ServeArgs, summary};
use gongkai::diagnostics::{for_terminal, warning_line};
use gongkai::messages::{Messages, Msg};
use gongkai::serve::Outcome;
use gongkai::{BuildOptions, Error};

mod archive_cli;
mod args;
mod trust_cli;
mod usage;
use archive_cli::{archive, freeze};
use args::{BuildArgs, Cli, Command, ImportArgs, NewArgs};
use trust_cli::{keygen, signing_key_env, verify};

// Building allocates many small strings on every core; mimalloc is markedly faster at that than
// the system allocator (see the benchmark notes in bench/README.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // mimalloc maps its memory for transparent huge pages, and the kernel zeroes a whole 2 MiB
    // page at its first touch: with the many short-lived buffers of a build that was up to a
    // third of the build's CPU time and 200 MB of its peak memory (bench/README.md). Without
    // huge pages a build is faster and its time steadier. Failure only loses that gain.
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = match Cli::try_parse_from(&argv) {
        Ok(cli) => cli,
        Err(e) => return usage::failed(e, &argv),
    };
    let ui = Messages::new(gongkai::messages::choose(cli.lang, &|name| {
        std::env::var(name).ok()
    }));
    let color = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let done = match cli.command {
        Command::Build(args) => build(args, &ui),
        Command::Check {
            root,
            drafts,
            strict,
        } => {
            let opts = BuildOptions {
                drafts,
                ..BuildOptions::new(root.root)
            };
            return check(&opts, strict, color, &ui);
        }
        Command::Fix { root, check, paths } => return fix(&root.root, &paths, check, &ui),
        Command::Serve {
            root,
            bind,
            port,
            open,
            drafts,
        } => {
            let args = ServeArgs {
                root: root.root,
                bind,
                port,
                drafts,
            };
            return serve(&args, open, color, ui);
        }
        Command::Freeze { year, root } => freeze(year, root.root, &ui),
        Command::Archive {
            year,
            out,
            force,
            warc,
            root,
        } => archive(year, out, force, warc, root.root, &ui),
        Command::Keygen { out, root } => keygen(out, &root.root, &ui),
        Command::Verify { target, key } => return verify(&target, key.as_deref(), &ui),
        Command::New(args) => new(args, &ui),
        Command::Import(args) => import(args, &ui),
        Command::Status { root, year } => status(root.root, year, &ui),
    };
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => failed(e, color, &ui),
    }
}

/// `gongkai check`: errors first, then style warnings, then the summary line; `--strict` makes
/// a warning fail too.
fn check(opts: &BuildOptions, strict: bool, color: bool, ui: &Messages) -> ExitCode {
    let checked = cmd::check::run(opts, ui.lang.code());
    let (checked_ok, status) = match checked.result {
        Ok(s) => (Some(s), ExitCode::SUCCESS),
        Err(e) => (None, failed(e, color, ui)),
    };
    let warning = |path: &std::path::Path, line, col, rule: &str, message: &str| {
        eprintln!(
            "{}",
            ui.render(&warning_line(path, line, col, rule, message))
        );
    };
    for w in &checked.warnings {
        warning(&w.path, w.line, w.col, w.rule.name(), &w.message);
    }
    for w in &checked.kind_warnings {
        warning(&w.path, w.line, w.col, w.rule.name(), &w.message);
    }
    let warnings = checked.warnings.len() + checked.kind_warnings.len();
    if let Some(s) = checked_ok {
        let outcome = summary::Outcome {
            by_lang: &s.by_lang,
            drafts_left_out: &s.drafts_left_out,
            warnings,
        };
        let line = summary::checked(s.reports, s.files, s.links, &outcome, ui);
        eprintln!("{}", for_terminal(&line));
    }
    if strict && warnings > 0 {
        return ExitCode::from(1);
    }
    status
}

/// `gongkai status`: the tables on stdout; `GONGKAI_TODAY` sets today (README "Report kinds").
fn status(root: PathBuf, year: Option<u16>, ui: &Messages) -> Result<(), Error> {
    let today = cmd::status::today_from(std::env::var("GONGKAI_TODAY").ok().as_deref())?;
    let text = cmd::status::run(root, year, today)?.text(ui);
    // A closed pipe (`gongkai status | head`) ends the listing quietly.
    let _ = std::io::Write::write_all(&mut std::io::stdout(), for_terminal(&text).as_bytes());
    Ok(())
}

/// `gongkai fix`: per file, what changed (rule and count, then each place).
fn fix(root: &std::path::Path, paths: &[PathBuf], check_only: bool, ui: &Messages) -> ExitCode {
    let summary = match cmd::fix::run(root, paths, check_only) {
        Ok(s) => s,
        Err(e) => return failed(e, false, ui),
    };
    // A closed pipe (`gongkai fix | head`) ends the listing, never the process with a panic:
    // the files are written by then.
    let _ = print_fixes(&summary, check_only, ui);
    for note in summary.notes() {
        eprintln!("{}", for_terminal(&ui.render(&note)));
    }
    eprintln!("{}", for_terminal(&ui.render(&summary.total(check_only))));
    if check_only && !summary.changed.is_empty() {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

fn print_fixes(
    summary: &cmd::fix::FixSummary,
    check_only: bool,
    ui: &Messages,
) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    for line in summary.listing(check_only) {
        writeln!(out, "{}", for_terminal(&ui.render(&line)))?;
    }
    out.flush()
}

/// Prints why a command failed; the exit status says what kind of failure it was.
pub(crate) fn failed(e: Error, color: bool, ui: &Messages) -> ExitCode {
    match e {
        Error::Site(d) => {
            eprint!("{}", d.render_in(color, ui));
            ExitCode::from(1)
        }
        Error::Usage(message) => {
            usage::say(ui, &message, None);
            ExitCode::from(2)
        }
        Error::BadArgument { message, hint } => {
            usage::say(ui, &message, hint.as_ref());
            ExitCode::from(2)
        }
        Error::Output(e) => {
            let text = ui.render(&e.msg());
            eprintln!("{}{}", ui.text("diag.error"), for_terminal(&text));
            ExitCode::from(1)
        }
        Error::Trust(e) => {
            let text = ui.render(&e.msg());
            eprintln!("{}{}", ui.text("diag.error"), for_terminal(&text));
            ExitCode::from(1)
        }
    }
}

/// `gongkai build`, with a progress bar on a terminal.
fn build(args: BuildArgs, ui: &Messages) -> Result<(), Error> {
    let opts = BuildOptions {
        drafts: args.drafts,
        base_url: args.base_url,
        signing_key: signing_key_env(),
        today: cmd::status::today_from(std::env::var("GONGKAI_TODAY").ok().as_deref())?,
        no_cache: args.no_cache,
        ..BuildOptions::new(args.root.root)
    };
    let bar = Arc::new(OnceLock::<ProgressBar>::new());
    // Said once when another build holds the output (README "How a rebuild is published").
    let on_wait = {
        let (ui, bar) = (ui.clone(), Arc::clone(&bar));
        let say = move |msg: &Msg| {
            let text = ui.render(msg);
            let line = for_terminal(&text);
            match bar.get() {
                Some(b) => b.suspend(|| eprintln!("{line}")),
                None => eprintln!("{line}"),
            }
        };
        gongkai::output::OnWait(Arc::new(say))
    };
    let target = cmd::build::Target {
        out: args.out.as_deref(),
        force: args.force,
        changes: args.changes.as_deref(),
        on_wait: Some(on_wait),
    };
    let built = cmd::build::run(
        &opts,
        &target,
        &|n| {
            let _ = bar.set(progress(n, ui));
        },
        &|| {
            if let Some(b) = bar.get() {
                b.inc(1);
            }
        },
    )?;
    if let Some(b) = bar.get() {
        b.finish_and_clear();
    }
    let s = &built.summary;
    let mut notes = Vec::new();
    if s.robots_below_root {
        let robots = built.out.join("robots.txt");
        notes.push(Msg::new("note.robots_below_root").arg("path", robots.display()));
    }
    if let Some(fingerprint) = &s.signed {
        notes.push(Msg::new("note.signed").arg("fingerprint", fingerprint));
    } else if s.unsigned {
        notes.push(Msg::new("note.unsigned").arg("env", gongkai::trust::sign::KEY_ENV));
    }
    for note in &notes {
        eprintln!("{}", for_terminal(&ui.render(note)));
    }
    let outcome = summary::Outcome {
        by_lang: &s.by_lang,
        drafts_left_out: &s.drafts_left_out,
        warnings: s.warnings,
    };
    let secs = built.elapsed.as_secs_f64();
    let line = summary::built(s.reports, &built.out, s.files, secs, &outcome, ui);
    eprintln!("{}", for_terminal(&line));
    if args.timings {
        eprintln!("{}", ui.render(&timings(s)));
    }
    Ok(())
}

/// The line `build --timings` prints.
fn timings(s: &gongkai::pipeline::BuildSummary) -> Msg {
    let secs = |d: std::time::Duration| format!("{:.2}", d.as_secs_f64());
    Msg::new("output.timings")
        .arg("load", secs(s.load))
        .arg("search", secs(s.search))
        .arg("files", s.search_files)
        .arg("mb", format!("{:.1}", s.search_bytes as f64 / 1e6))
        .arg("render", secs(s.render))
        .arg("publish", secs(s.publish))
        .arg("rendered", s.rendered)
        .arg("pages", s.pages)
}

fn new(args: NewArgs, ui: &Messages) -> Result<(), Error> {
    let path = cmd::new::run(
        &args.root.root,
        &cmd::new::NewReport {
            year: args.year,
            stem: &args.stem,
            department: &args.department,
            lang: args.lang.as_deref(),
            title: args.title.as_deref(),
            date: &cmd::new::today(),
        },
    )?;
    let wrote = Msg::new("new.wrote").arg("path", path.display());
    eprintln!("{}", for_terminal(&ui.render(&wrote)));
    eprintln!("{}", ui.text("new.draft_note"));
    Ok(())
}

/// `gongkai import`: what was written, then one line per thing not carried over.
fn import(args: ImportArgs, ui: &Messages) -> Result<(), Error> {
    let done = cmd::import::run(
        &args.root.root,
        &cmd::import::ImportArgs {
            file: &args.file,
            year: args.year,
            department: &args.department,
            lang: args.lang.as_deref(),
            stem: args.stem.as_deref(),
            date: &cmd::import::today_in_china(),
        },
    )?;
    let wrote = |path: &std::path::Path| Msg::new("new.wrote").arg("path", path.display());
    eprintln!("{}", for_terminal(&ui.render(&wrote(&done.report))));
    for image in &done.images {
        eprintln!("{}", for_terminal(&ui.render(&wrote(image))));
    }
    for note in &done.notes {
        eprintln!(
            "{}{}",
            ui.text("import.not_carried"),
            for_terminal(&ui.render(note))
        );
    }
    eprintln!("{}", ui.text("import.check_note"));
    eprintln!("{}", ui.text("new.draft_note"));
    Ok(())
}

/// `gongkai serve`: runs until Ctrl-C. Content and template errors are shown in the browser and
/// here, and never stop the server; a port in use does (exit 1).
fn serve(args: &ServeArgs, open: bool, color: bool, ui: Messages) -> ExitCode {
    let warn = |msg: Msg| {
        eprintln!(
            "{}{}",
            ui.text("serve.warning"),
            for_terminal(&ui.render(&msg))
        )
    };
    if cmd::serve::exposed(args) {
        warn(Msg::new("serve.exposed").arg("bind", args.bind));
    }
    let lang = ui.lang;
    let on_notice = {
        let ui = ui.clone();
        Arc::new(move |n: &Notice<'_>| notice(n, color, &ui))
    };
    let preview = match cmd::serve::start(args, lang, on_notice) {
        Ok(p) => p,
        Err(e) => {
            let text = ui.render(&e.msg());
            eprintln!("{}{}", ui.text("diag.error"), for_terminal(&text));
            return ExitCode::from(1);
        }
    };
    let ctrl_c = preview.catch_ctrl_c();
    let url = preview.url();
    println!("{}", ui.render(&Msg::new("serve.serving").arg("url", &url)));
    if open && let Err(e) = opener::open_browser(&url) {
        warn(Msg::new("serve.no_browser").arg("error", e));
    }
    if let Err(e) = ctrl_c.and_then(|caught| preview.wait_for_ctrl_c(caught)) {
        warn(Msg::new("serve.no_ctrl_c").arg("error", e));
    }
    eprintln!("{}", ui.text("serve.stopping"));
    preview.shutdown();
    ExitCode::SUCCESS
}

/// What the preview tells the terminal after each rebuild and index update.
fn notice(n: &Notice<'_>, color: bool, ui: &Messages) {
    let ms = |elapsed: &std::time::Duration| format!("{:.0}", elapsed.as_secs_f64() * 1000.0);
    let line = match n {
        Notice::Built {
            applied,
            elapsed,
            initial,
        } => match &applied.outcome {
            Outcome::Broken(d) => {
                eprint!("{}", d.render_in(color, ui));
                return;
            }
            Outcome::Changed(files) if *initial => Msg::new("serve.built")
                .arg("n", files.len())
                .arg("ms", ms(elapsed)),
            Outcome::Changed(files) => Msg::new("serve.rebuilt")
                .arg("n", files.len())
                .arg("ms", ms(elapsed)),
            Outcome::Unchanged if applied.recovered => {
                Msg::new("serve.fixed").arg("ms", ms(elapsed))
            }
            Outcome::Unchanged => return,
        },
        Notice::Indexed { languages, elapsed } if *languages > 0 => Msg::new("serve.indexed")
            .arg("n", languages)
            .arg("ms", ms(elapsed)),
        Notice::Indexed { .. } => return,
    };
    eprintln!("{}", ui.render(&line));
}

/// A progress bar on a terminal; hidden otherwise (CI logs, pipes).
fn progress(total: usize, ui: &Messages) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total as u64);
    // The bar's own `{…}` fields are indicatif's; only the word is ours, and it holds none.
    let pages = ui.text("output.progress_pages").replace(['{', '}'], "");
    let template = format!("{{bar:40}} {{pos}}/{{len}} {pages} {{elapsed}}");
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style);
    }
    bar
}
