//! Reading ahead of the loader. When the report files are not in the page cache (the first
//! build after the server restarted, or of a site not opened for months), each read waits on
//! the disk while its core idles: at 10,000 pairs on this machine's disk the load took 9.3 s
//! instead of 3.4 s (bench/README, "A cold page cache"). A few threads ask the kernel to read
//! the files in ahead of the parsers, so the disk's waits overlap the parsing instead of
//! adding to it. When the files are cached already, asking would cost an open, a `fadvise`
//! and a close each (0.2 s of CPU at 10,000 pairs): a few files spread over the list are
//! tried first, and when none would wait on the disk no thread starts.
//! The threads run ahead without a bound: the loader reads every file whole anyway, and a
//! build holds more than the files' size in memory (800 MB at its peak for 301 MB of reports
//! at 10,000 pairs), so the page cache holding them is not what limits a build.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Threads asking ahead: each waits on the disk only while it opens a file (its inode), so a
/// few keep the disk's queue full without taking a core from the parsers.
const THREADS: usize = 4;

/// Fewer files are read as they come: the preview reloads one or two at a time, just saved,
/// where starting threads would cost more than it could save.
const AT_LEAST: usize = 64;

/// Runs `work` (which reads `paths`) while other threads ask for `paths`, in order; they stop
/// when `work` returns.
pub fn while_reading<R>(paths: &[PathBuf], work: impl FnOnce() -> R) -> R {
    if paths.len() < AT_LEAST || all_cached(paths) {
        return work();
    }
    let (next, stop) = (AtomicUsize::new(0), AtomicBool::new(false));
    std::thread::scope(|scope| {
        for _ in 0..THREADS.min(paths.len()) {
            scope.spawn(|| {
                while !stop.load(Ordering::Relaxed) {
                    let Some(path) = paths.get(next.fetch_add(1, Ordering::Relaxed)) else {
                        break;
                    };
                    ask(path);
                }
            });
        }
        let result = work();
        stop.store(true, Ordering::Relaxed);
        result
    })
}

/// Files tried before reading ahead, spread over the list: the files of a site are read and
/// written together (an editor opening the site, a checkout, the last build), so these few
/// tell whether the rest are cached.
const PROBES: usize = 16;

/// Whether each of [`PROBES`] files spread over `paths` has its first page in the page cache.
fn all_cached(paths: &[PathBuf]) -> bool {
    let step = (paths.len() / PROBES).max(1);
    paths.iter().step_by(step).all(|p| !would_wait(p))
}

/// Whether reading the start of the file at `path` would wait on the disk: a read that may
/// not block (`RWF_NOWAIT`) says so. A file that cannot be read is no reason to read ahead.
#[cfg(target_os = "linux")]
fn would_wait(path: &std::path::Path) -> bool {
    use rustix::fs::{Mode, OFlags, open};
    use rustix::io::{Errno, ReadWriteFlags, preadv2};
    let Ok(fd) = open(path, OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty()) else {
        return false;
    };
    let mut byte = [0u8; 1];
    let mut buf = [std::io::IoSliceMut::new(&mut byte)];
    preadv2(&fd, &mut buf, 0, ReadWriteFlags::NOWAIT) == Err(Errno::AGAIN)
}

/// Elsewhere nothing is read ahead.
#[cfg(not(target_os = "linux"))]
fn would_wait(_: &std::path::Path) -> bool {
    false
}

/// Asks the kernel to read `path` into the page cache, without waiting for the data; a file
/// that cannot be opened is the loader's to report.
#[cfg(target_os = "linux")]
fn ask(path: &std::path::Path) {
    use rustix::fs::{Advice, Mode, OFlags, fadvise, open};
    if let Ok(fd) = open(path, OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty()) {
        let _ = fadvise(&fd, 0, None, Advice::WillNeed);
    }
}

/// Elsewhere the loader reads as it goes.
#[cfg(not(target_os = "linux"))]
fn ask(_: &std::path::Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_work_runs_once_and_its_result_is_returned_whatever_the_paths() {
        let dir = tempfile::tempdir().unwrap();
        let present = dir.path().join("a.zh.md");
        std::fs::write(&present, "正文").unwrap();
        // Enough paths for the threads to start: present, missing, and folders.
        let mut paths = vec![present.clone(), dir.path().join("missing.md")];
        paths.extend((0..AT_LEAST).map(|_| dir.path().to_path_buf()));
        let mut runs = 0;
        let read = while_reading(&paths, || {
            runs += 1;
            std::fs::read_to_string(&present).unwrap()
        });
        assert_eq!((runs, read.as_str()), (1, "正文"));
        assert_eq!(while_reading(&paths[..1], || 7), 7);
        // Just written, the file is in the page cache; a missing file or a folder is no
        // reason to read ahead.
        assert!(!would_wait(&present) && !would_wait(&paths[1]) && !would_wait(dir.path()));
        assert!(all_cached(&paths));
        assert_eq!(while_reading(&[], || 7), 7);
    }

    /// A file dropped from the page cache would wait on the disk. The folder is the crate's,
    /// on the disk: `/tmp` may be a tmpfs, whose files are never out of memory.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_file_out_of_the_page_cache_would_wait_and_starts_the_threads() {
        use rustix::fs::{Advice, fadvise};
        let dir = tempfile::tempdir_in(env!("CARGO_MANIFEST_DIR")).unwrap();
        let paths: Vec<PathBuf> = (0..AT_LEAST)
            .map(|i| dir.path().join(format!("{i}.md")))
            .collect();
        for path in &paths {
            let file = std::fs::File::create(path).unwrap();
            std::io::Write::write_all(&mut &file, "正文".repeat(2000).as_bytes()).unwrap();
            // Written back, its pages are clean, and the kernel drops them when asked.
            file.sync_all().unwrap();
            fadvise(&file, 0, None, Advice::DontNeed).unwrap();
        }
        assert!(would_wait(&paths[0]));
        assert!(!all_cached(&paths));
        let read = while_reading(&paths, || std::fs::read_to_string(&paths[0]).unwrap());
        assert_eq!(read.chars().count(), 4000);
        assert!(!would_wait(&paths[0]));
    }
}
