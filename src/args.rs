//! The command line's arguments (clap): the commands, their flags and what each means.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use gongkai::messages::{Messages, UiLang};

#[derive(Parser)]
#[command(
    name = "gongkai",
    version,
    about = "Static site generator for government transparency reports"
)]
pub(crate) struct Cli {
    /// Language of gongkai's messages, `zh` or `en`, written before the command
    /// (`gongkai --lang zh check`); default: GONGKAI_LANG, then the locale (LC_ALL,
    /// LC_MESSAGES, LANG), then English.
    #[arg(long = "lang", value_parser = ui_lang)]
    pub(crate) lang: Option<UiLang>,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// `--lang`'s value. Its error is read before `--lang` is known, so it is in the language the
/// environment chooses (`GONGKAI_LANG`, then the locale).
pub(crate) fn ui_lang(code: &str) -> Result<UiLang, String> {
    match code {
        "zh" => Ok(UiLang::Zh),
        "en" => Ok(UiLang::En),
        _ => {
            let lang = gongkai::messages::choose(None, &|name| std::env::var(name).ok());
            Err(Messages::new(lang).text("output.lang_expected"))
        }
    }
}

#[derive(clap::Args, Clone)]
pub(crate) struct RootArg {
    /// The site folder (holding site.yaml and content/).
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Build the site into public/ (all or nothing).
    Build(BuildArgs),
    /// Validate content, configuration and internal links; writes nothing.
    Check {
        #[command(flatten)]
        root: RootArg,
        /// Check drafts too, as if building with --drafts.
        #[arg(long)]
        drafts: bool,
        /// Fail (exit 1) on style warnings too, not only on errors (for CI).
        #[arg(long)]
        strict: bool,
    },
    /// Apply the safe style fixes to Chinese reports in place (see README "Style rules").
    Fix {
        #[command(flatten)]
        root: RootArg,
        /// Write nothing; exit 1 if any file would change (for CI).
        #[arg(long)]
        check: bool,
        /// Report files or folders under content/ (default: every report).
        paths: Vec<PathBuf>,
    },
    /// Preview: build in memory, serve, watch the files and reload open pages on every save.
    Serve {
        #[command(flatten)]
        root: RootArg,
        /// Address to listen on; anything but loopback lets other machines read the preview.
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
        #[arg(long, default_value_t = 4000)]
        port: u16,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Include reports marked `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Record the SHA-256 of a settled year's report files in archive.lock (see README).
    Freeze {
        year: u16,
        #[command(flatten)]
        root: RootArg,
    },
    /// Write a self-contained offline bundle (zip) of one year's reports.
    Archive {
        year: u16,
        /// The zip to write (default: gongkai-<year>.zip in the site folder). Never a file of
        /// the site; an existing file only when it is a zip gongkai wrote.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace an existing --out file that is not a zip gongkai wrote.
        #[arg(long)]
        force: bool,
        /// Write a WARC 1.1 web archive (default: gongkai-<year>.warc.gz) instead of a zip.
        #[arg(long)]
        warc: bool,
        #[command(flatten)]
        root: RootArg,
    },
    /// Make an Ed25519 key pair for signing manifest.json (see README, "Signed manifests").
    Keygen {
        /// The private key file (default: ~/.config/gongkai/signing-key.pem); the public key
        /// goes beside it as FILE.pub.
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        root: RootArg,
    },
    /// Check an output folder, a bundle zip or a WARC file against its signed manifest.
    Verify {
        /// The copy to check.
        target: PathBuf,
        /// The public key to trust (a .pem/.pub file or the base64 line of site.yaml).
        #[arg(long)]
        key: Option<String>,
    },
    /// Write a new report file with its front matter filled in.
    New(NewArgs),
    /// Turn a Word report (.docx) into a draft report file; says what it could not carry over.
    Import(ImportArgs),
    /// Who is late: each report kind's departments × years, as of today in the site's zone.
    Status {
        #[command(flatten)]
        root: RootArg,
        /// Only this reporting year.
        #[arg(long)]
        year: Option<u16>,
    },
}

#[derive(clap::Args)]
pub(crate) struct BuildArgs {
    #[command(flatten)]
    pub(crate) root: RootArg,
    /// Output folder (default: public/ under the root). Replaced as a whole, so only an empty
    /// folder or one gongkai wrote (it holds .gongkai-output).
    #[arg(long)]
    pub(crate) out: Option<PathBuf>,
    /// Replace --out even if gongkai did not write it (.git, .well-known/, .htaccess, .nojekyll
    /// and CNAME are kept; everything else in it is deleted).
    #[arg(long)]
    pub(crate) force: bool,
    /// Use this address instead of site.yaml's base_url.
    #[arg(long)]
    pub(crate) base_url: Option<String>,
    /// Include reports marked `draft: true`.
    #[arg(long)]
    pub(crate) drafts: bool,
    /// Print how long each stage took and the size of the search index.
    #[arg(long)]
    pub(crate) timings: bool,
    /// Write the output files added, changed and removed to FILE, one per line: `A path`,
    /// `M path`, `D path`, sorted by path.
    #[arg(long, value_name = "FILE")]
    pub(crate) changes: Option<PathBuf>,
    /// Load, render and index everything, without reading or writing the build cache in
    /// .gongkai/ (the output is the same either way).
    #[arg(long)]
    pub(crate) no_cache: bool,
}

#[derive(clap::Args)]
pub(crate) struct NewArgs {
    pub(crate) year: u16,
    pub(crate) stem: String,
    #[arg(long)]
    pub(crate) department: String,
    #[arg(long)]
    pub(crate) lang: Option<String>,
    #[arg(long)]
    pub(crate) title: Option<String>,
    #[command(flatten)]
    pub(crate) root: RootArg,
}

#[derive(clap::Args)]
pub(crate) struct ImportArgs {
    /// The Word file (.docx; .doc, .wps and .pdf are refused with how to save as .docx).
    pub(crate) file: PathBuf,
    #[arg(long)]
    pub(crate) year: u16,
    #[arg(long)]
    pub(crate) department: String,
    /// The report's language (default: the site's first language).
    #[arg(long)]
    pub(crate) lang: Option<String>,
    /// The file name: content/YEAR/STEM.LANG.md (default: the department key).
    #[arg(long)]
    pub(crate) stem: Option<String>,
    #[command(flatten)]
    pub(crate) root: RootArg,
}
