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

/// Stamps of the files under one folder, each looked up from that folder rather than from the
/// root of the file system: a build with its cache stamps every output and report file (66,000
/// at 10,000 pairs), and walking each full path again was half of that cost.
pub struct Under {
    path: std::path::PathBuf,
    #[cfg(target_os = "linux")]
    fd: Option<rustix::fd::OwnedFd>,
}

impl Under {
    pub fn open(path: &Path) -> Under {
        #[cfg(target_os = "linux")]
        let fd = {
            use rustix::fs::{Mode, OFlags};
            let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
            rustix::fs::open(path, flags, Mode::empty()).ok()
        };
        Under {
            path: path.to_path_buf(),
            #[cfg(target_os = "linux")]
            fd,
        }
    }

    /// [`stamp`] of the file at `rel` (`/`-separated, below the folder).
    pub fn stamp(&self, rel: &str) -> Option<Stamp> {
        #[cfg(target_os = "linux")]
        if let Some(fd) = &self.fd {
            let found = rustix::fs::statat(fd, rel, rustix::fs::AtFlags::empty());
            return found.ok().map(|st| of_stat(&st));
        }
        stamp(&self.path.join(rel))
    }

    /// [`folder_stamp`] of the folder at `rel` (`/`-separated, below the folder).
    pub fn folder_stamp(&self, rel: &str) -> Option<Stamp> {
        #[cfg(target_os = "linux")]
        if let Some(fd) = &self.fd {
            use rustix::fs::{AtFlags, FileType};
            let st = rustix::fs::statat(fd, rel, AtFlags::SYMLINK_NOFOLLOW).ok()?;
            let is_dir = FileType::from_raw_mode(st.st_mode) == FileType::Directory;
            return is_dir.then(|| of_stat(&st));
        }
        folder_stamp(&self.path.join(rel))
    }
}

/// The stamp [`of`] gives for the same file (`tests` compare them). The field types differ
/// between architectures, hence the casts.
#[cfg(target_os = "linux")]
#[allow(clippy::unnecessary_cast)]
fn of_stat(st: &rustix::fs::Stat) -> Stamp {
    let (secs, nanos) = (st.st_mtime as i64, st.st_mtime_nsec as u32);
    Stamp {
        len: st.st_size as u64,
        modified: u64::try_from(secs).ok().map(|s| Duration::new(s, nanos)),
        changed: (st.st_ctime as i64, st.st_ctime_nsec as i64),
        inode: (st.st_dev as u64, st.st_ino as u64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_looked_up_from_a_folder_are_those_of_the_full_path() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("zh/2022")).unwrap();
        std::fs::write(dir.path().join("zh/2022/index.html"), "页面").unwrap();
        std::fs::write(dir.path().join("a.html"), "a").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("a.html", dir.path().join("link")).unwrap();
        let under = Under::open(dir.path());
        for rel in [
            "zh/2022/index.html",
            "a.html",
            "zh",
            "zh/2022",
            "link",
            "absent",
        ] {
            let full = dir.path().join(rel);
            assert_eq!(under.stamp(rel), stamp(&full), "{rel}");
            assert_eq!(under.folder_stamp(rel), folder_stamp(&full), "{rel}");
        }
        assert!(under.stamp("a.html").is_some() && under.folder_stamp("zh").is_some());
        assert!(under.folder_stamp("a.html").is_none() && under.folder_stamp("link").is_none());
    }

    #[test]
    fn a_stamp_settles_once_the_margin_has_passed() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        std::fs::write(&file, "x").unwrap();
        let s = stamp(&file).unwrap();
        let now = SystemTime::now();
        assert!(!s.settled(now, Duration::from_secs(2)));
        assert!(s.settled(now + Duration::from_secs(3), Duration::from_secs(2)));
    }
}
