//! Reading ahead of the loader. When the report files are not in the page cache (the first
//! build after the server restarted, or of a site not opened for months), each read waits on
//! the disk while its core idles: at 10,000 pairs on this machine's disk the load took 9.3 s
//! instead of 3.4 s (bench/README, "A cold page cache"). A few threads ask the kernel to read
//! the files in ahead of the parsers, so the disk's waits overlap the parsing instead of
//! adding to it. When the files are cached already, asking costs an open and a close each.
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
    if paths.len() < AT_LEAST {
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
        assert_eq!(while_reading(&[], || 7), 7);
    }
}
