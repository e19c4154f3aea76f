//! Preview: watching the site's files (notify: inotify on Linux) and cutting the event stream
//! into bursts, one rebuild each.
//!
//! Only the folders a build reads are watched: the root itself (not recursively: `site.yaml`
//! and folders coming or going), `content/`, `templates/`, `static/`, `i18n/` and the site's
//! own theme, never `public/` or `target/`, and never what a symbolic link inside them leads
//! to.
//!
//! A burst ends as soon as every path in it looks finished (closed after writing, renamed into
//! place, removed) and nothing more arrived for [`GRACE`]; a path still being written gets up to
//! [`QUIET`] of silence. So a save costs a few milliseconds of waiting, yet a half-written file
//! is not read, and editors that save through a temporary file and a rename, or a burst of
//! saves, make one rebuild.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind, RenameMode};
use notify::{Event, EventKind, RecursiveMode, Watcher as _};

use crate::layout::CONTENT_DIR;

/// Wait this long after the last event of a burst whose files all look finished.
pub const GRACE: Duration = Duration::from_millis(3);
/// Wait this long after the last event while a file may still be being written.
pub const QUIET: Duration = Duration::from_millis(50);
/// A burst never waits longer than this (a file written to without pause).
pub const LONGEST: Duration = Duration::from_millis(500);

/// What the rebuild thread receives.
#[derive(Debug)]
pub enum Msg {
    Fs(notify::Result<Event>),
    Stop,
}

/// The watches of one site.
pub struct Watcher {
    root: PathBuf,
    inner: notify::RecommendedWatcher,
    watched: BTreeSet<PathBuf>,
}

impl Watcher {
    /// Watches `root` (an absolute path) and sends every event to `tx`.
    pub fn new(root: &Path, tx: Sender<Msg>) -> notify::Result<Watcher> {
        // Symbolic links are not followed, as the build does not follow them (walkdir's
        // default in `content/discover.rs` and `render/theme.rs`): a link to `/usr` under the
        // site would otherwise cost thousands of inotify watches for files no build reads.
        let config = notify::Config::default().with_follow_symlinks(false);
        let inner = notify::RecommendedWatcher::new(
            move |ev| {
                let _ = tx.send(Msg::Fs(ev));
            },
            config,
        )?;
        let mut w = Watcher {
            root: root.to_path_buf(),
            inner,
            watched: BTreeSet::new(),
        };
        w.inner.watch(root, RecursiveMode::NonRecursive)?;
        Ok(w)
    }

    /// Watches the folders the site reads, as they exist now: a folder created since the last
    /// call is watched, one that was removed and made again is watched anew. `touched` are
    /// the paths of the last burst.
    pub fn ensure(&mut self, theme: Option<&str>, touched: &BTreeSet<PathBuf>) {
        let mut dirs = vec![
            PathBuf::from(CONTENT_DIR),
            "templates".into(),
            "static".into(),
            "i18n".into(),
        ];
        if let Some(t) = theme.filter(|t| *t != "default") {
            dirs.push(Path::new("themes").join(t));
        }
        for dir in dirs {
            let full = self.root.join(&dir);
            let renewed = touched.iter().any(|t| dir.starts_with(t));
            if full.is_dir() {
                if renewed || !self.watched.contains(&full) {
                    let _ = self.inner.unwatch(&full);
                    if self.inner.watch(&full, RecursiveMode::Recursive).is_ok() {
                        self.watched.insert(full);
                    }
                }
            } else if self.watched.remove(&full) {
                let _ = self.inner.unwatch(&full);
            }
        }
        // `themes/` itself, so the theme's folder is seen when it is created.
        let themes = self.root.join("themes");
        if theme.is_some_and(|t| t != "default")
            && themes.is_dir()
            && !self.watched.contains(&themes)
            && self
                .inner
                .watch(&themes, RecursiveMode::NonRecursive)
                .is_ok()
        {
            self.watched.insert(themes);
        }
    }
}

/// One burst of changes: paths relative to the root.
#[derive(Debug, Default)]
pub struct Burst {
    /// Path → whether its last event looked final.
    paths: BTreeMap<PathBuf, bool>,
    /// Events were lost (the kernel queue overflowed): everything must be reloaded.
    pub rescan: bool,
}

impl Burst {
    pub fn paths(&self) -> impl Iterator<Item = &PathBuf> {
        self.paths.keys()
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty() && !self.rescan
    }

    fn settled(&self) -> bool {
        self.paths.values().all(|&done| done)
    }

    /// Records `event`; `relevant` says whether a (relative) path matters to the site.
    pub fn add(&mut self, root: &Path, event: &Event, relevant: &dyn Fn(&Path) -> bool) {
        if event.need_rescan() {
            self.rescan = true;
        }
        let finished = match event.kind {
            // Opening and reading (our own reads too) change nothing.
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
            EventKind::Access(_) => return,
            EventKind::Create(CreateKind::Folder) => true,
            EventKind::Create(_) => false,
            EventKind::Remove(_) => true,
            EventKind::Modify(ModifyKind::Name(RenameMode::From)) => false,
            EventKind::Modify(ModifyKind::Name(_)) => true,
            EventKind::Modify(ModifyKind::Metadata(_)) => true,
            EventKind::Modify(_) => false,
            EventKind::Any | EventKind::Other => return,
        };
        for path in &event.paths {
            let Ok(rel) = path.strip_prefix(root) else {
                continue;
            };
            if relevant(rel) {
                self.paths.insert(rel.to_path_buf(), finished);
            }
        }
    }
}

/// Waits for the next burst; `None` when asked to stop or when the watcher is gone.
pub fn next_burst(
    rx: &Receiver<Msg>,
    root: &Path,
    relevant: &dyn Fn(&Path) -> bool,
) -> Option<Burst> {
    let mut burst = Burst::default();
    let mut started = None;
    loop {
        let msg = match started {
            None => rx.recv().ok()?,
            Some(start) => {
                let wait = if burst.settled() { GRACE } else { QUIET };
                let left = LONGEST.saturating_sub(Instant::elapsed(&start));
                match rx.recv_timeout(wait.min(left)) {
                    Ok(msg) => msg,
                    Err(RecvTimeoutError::Timeout) => return Some(burst),
                    Err(RecvTimeoutError::Disconnected) => return None,
                }
            }
        };
        match msg {
            Msg::Stop => return None,
            Msg::Fs(Ok(event)) => burst.add(root, &event, relevant),
            // A lost watch or an overflow: the only safe answer is to reload everything.
            Msg::Fs(Err(_)) => burst.rescan = true,
        }
        if started.is_none() && !burst.is_empty() {
            started = Some(Instant::now());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{DataChange, RemoveKind};
    use std::sync::mpsc::channel;

    fn ev(kind: EventKind, path: &str) -> Msg {
        Msg::Fs(Ok(
            Event::new(kind).add_path(PathBuf::from("/site").join(path))
        ))
    }

    fn relevant(p: &Path) -> bool {
        !p.to_string_lossy().ends_with(".swp")
    }

    #[test]
    fn a_write_in_place_is_one_settled_burst() {
        let (tx, rx) = channel();
        tx.send(ev(
            EventKind::Access(AccessKind::Open(AccessMode::Any)),
            "content/2022/a.md",
        ))
        .unwrap();
        tx.send(ev(
            EventKind::Modify(ModifyKind::Data(DataChange::Any)),
            "content/2022/a.md",
        ))
        .unwrap();
        tx.send(ev(
            EventKind::Access(AccessKind::Close(AccessMode::Write)),
            "content/2022/a.md",
        ))
        .unwrap();
        let burst = next_burst(&rx, Path::new("/site"), &relevant).unwrap();
        assert!(burst.settled(), "a finished write needs no long wait");
        assert_eq!(
            burst.paths().collect::<Vec<_>>(),
            [Path::new("content/2022/a.md")]
        );
    }

    #[test]
    fn a_file_still_being_written_waits_for_quiet() {
        let (tx, rx) = channel();
        tx.send(ev(
            EventKind::Modify(ModifyKind::Data(DataChange::Any)),
            "content/2022/a.md",
        ))
        .unwrap();
        let start = Instant::now();
        let burst = next_burst(&rx, Path::new("/site"), &relevant).unwrap();
        assert!(start.elapsed() >= QUIET);
        assert!(!burst.is_empty());
    }

    #[test]
    fn reads_and_swap_files_start_no_burst() {
        let (tx, rx) = channel();
        tx.send(ev(
            EventKind::Access(AccessKind::Close(AccessMode::Read)),
            "content/2022/a.md",
        ))
        .unwrap();
        tx.send(ev(
            EventKind::Create(CreateKind::File),
            "content/2022/.a.md.swp",
        ))
        .unwrap();
        tx.send(ev(EventKind::Remove(RemoveKind::File), "content/2022/b.md"))
            .unwrap();
        tx.send(Msg::Stop).unwrap();
        let burst = next_burst(&rx, Path::new("/site"), &relevant);
        // The removal started a burst; Stop ends the wait.
        assert!(burst.is_none());
    }

    #[test]
    fn write_then_rename_ends_settled_on_the_new_name() {
        let mut b = Burst::default();
        let root = Path::new("/site");
        let add = |b: &mut Burst, kind, p: &str| {
            let Msg::Fs(Ok(e)) = ev(kind, p) else {
                unreachable!()
            };
            b.add(root, &e, &relevant);
        };
        add(
            &mut b,
            EventKind::Modify(ModifyKind::Name(RenameMode::From)),
            "content/2022/a.md",
        );
        assert!(
            !b.settled(),
            "a rename away is usually followed by a new file"
        );
        add(
            &mut b,
            EventKind::Create(CreateKind::File),
            "content/2022/a.md",
        );
        add(
            &mut b,
            EventKind::Access(AccessKind::Close(AccessMode::Write)),
            "content/2022/a.md",
        );
        assert!(b.settled());
        let mut rescan = Burst::default();
        let Msg::Fs(Ok(e)) = ev(EventKind::Other, "x") else {
            unreachable!()
        };
        rescan.add(root, &e.set_flag(notify::event::Flag::Rescan), &relevant);
        assert!(rescan.rescan && !rescan.is_empty());
    }
}
