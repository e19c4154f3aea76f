//! Leaf: a file's stamp, what tells that it changed without reading it. The content store
//! compares report files' stamps, the build cache its output's files and folders.

use std::path::Path;
use std::time::{Duration, SystemTime};

/// A file's length, modification and change times, device and inode when it was last read:
/// the preview makes up for lost watcher events by comparing these (`ContentStore::reconcile`,
/// which reads no file), and the build cache trusts what it kept of a file while they are the
/// same. The change time moves with any write, even one that puts the modification time back
/// (`cp -p`, `rsync -a`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stamp {
    len: u64,
    modified: Option<Duration>,
    changed: (i64, i64),
    inode: (u64, u64),
}

impl Stamp {
    /// Whether the file had not changed for `margin` before `now`. Only such a stamp proves,
    /// when found again, that nothing changed: file systems take their times from a clock that
    /// ticks every few milliseconds, so a second change in the tick of the first, after the
    /// stamp was taken, leaves the times as they were.
    pub fn settled(&self, now: SystemTime, margin: Duration) -> bool {
        let (secs, nanos) = self.changed;
        let changed = u64::try_from(secs)
            .ok()
            .map(|s| Duration::new(s, u32::try_from(nanos).unwrap_or(0)));
        let last = changed.max(self.modified);
        let since = now
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default();
        last.is_some_and(|last| last + margin <= since)
    }
}

pub fn stamp(path: &Path) -> Option<Stamp> {
    std::fs::metadata(path).ok().map(|m| of(&m))
}

/// The stamp of the folder at `path` itself, not of one a link there leads to; `None` when it is
/// not a folder.
pub fn folder_stamp(path: &Path) -> Option<Stamp> {
    let m = std::fs::symlink_metadata(path).ok()?;
    m.is_dir().then(|| of(&m))
}

fn of(m: &std::fs::Metadata) -> Stamp {
    let modified = m
        .modified()
        .ok()
        .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok());
    #[cfg(unix)]
    let (changed, inode) = {
        use std::os::unix::fs::MetadataExt;
        ((m.ctime(), m.ctime_nsec()), (m.dev(), m.ino()))
    };
    #[cfg(not(unix))]
    let (changed, inode) = ((0, 0), (0, 0));
    Stamp {
        len: m.len(),
        modified,
        changed,
        inode,
    }
}
