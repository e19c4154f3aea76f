//! Write stage: the journal of an update in place (README, "Deploying `public/`"; ARCHITECTURE
//! "Decisions"). It lists every rename and deletion the update makes in the output, and exists
//! on disk, durably, only once every staged file is complete: a build killed while renaming
//! leaves it, and the next build finishes the same update from it (`in_place.rs`).
//!
//! It lives beside the output as `.NAME.publishing`, never inside it, so it is never uploaded,
//! listed by `build --changes` or hashed into `manifest.json`. It is written as
//! `.NAME.journal-PID` first and renamed, so it is whole or absent.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{OutputError, io};

/// What an update in place does to the output, by `/`-separated output path.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// The staging folder's name, beside the output.
    pub staging: String,
    /// Files staged: each is renamed from the staging folder to the same path in the output.
    pub renames: Vec<String>,
    /// Files of the output the build did not write: removed.
    pub deletions: Vec<String>,
    /// Folders of the output that hold no file of the build: removed once empty, deepest first.
    pub folders: Vec<String>,
    /// Files and folders of the output whose names are not UTF-8 (`foreign.rs`), by their
    /// bytes, `/`-separated: removed whole, before the emptied folders.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub foreign: Vec<Vec<u8>>,
    /// Folders whose entries keep their names: their modification time before the update,
    /// given back after the renames (README, "Uploading only what changed").
    pub times: Vec<FolderTime>,
}

/// A folder of the output (`""` for the output itself) and its modification time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FolderTime {
    pub folder: String,
    pub secs: u64,
    pub nanos: u32,
}

/// Up to this many paths, each is synced on its own, many at once (the file system commits
/// concurrent syncs together: 300 files took 0.02 s on this project's disk against 0.9 s one
/// after the other); above, the whole file system at once (`syncfs`), cheaper than tens of
/// thousands of `fsync` calls when a theme change rewrites every page.
const SYNC_ONE_BY_ONE: usize = 4096;

/// How many `fsync` calls are in flight at once.
const SYNC_THREADS: usize = 16;

/// `.NAME.publishing` beside the output.
pub fn path(parent: &Path, name: &str) -> PathBuf {
    parent.join(format!(".{name}.publishing"))
}

/// Writes the journal durably: a temporary file synced, renamed into place, and the folder
/// that holds it synced, so after this returns the journal survives a power loss.
pub fn write(parent: &Path, name: &str, plan: &Plan) -> Result<(), OutputError> {
    let tmp = parent.join(format!(".{name}.journal-{}", std::process::id()));
    let text = serde_json::to_vec(plan).map_err(|e| io(&tmp)(std::io::Error::other(e)))?;
    let file = std::fs::File::create(&tmp).map_err(io(&tmp))?;
    let written = std::io::Write::write_all(&mut &file, &text).and_then(|()| file.sync_all());
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(&tmp)(e));
    }
    let journal = path(parent, name);
    std::fs::rename(&tmp, &journal).map_err(io(&journal))?;
    sync(&[parent.to_path_buf()], parent).map_err(io(parent))
}

/// The journal left beside `NAME` by a build that was killed, if any.
pub fn read(parent: &Path, name: &str) -> Result<Option<Plan>, OutputError> {
    let journal = path(parent, name);
    let bytes = match std::fs::read(&journal) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        other => other.map_err(io(&journal))?,
    };
    // Written whole by a rename, so a journal that does not parse, or names a path that
    // would leave the output or a staging folder that is not this output's, was changed by
    // hand: finishing it could move or delete files gongkai did not write.
    match serde_json::from_slice::<Plan>(&bytes) {
        Ok(plan) if plan.stays_inside(name) => Ok(Some(plan)),
        _ => Err(OutputError::BadJournal(journal)),
    }
}

impl Plan {
    /// Every path is a plain path inside the output (`check_path`), and the staging folder is
    /// this output's (`.NAME.staging-PID`).
    fn stays_inside(&self, name: &str) -> bool {
        let plain = |p: &String| super::check_path(p).is_ok();
        let staging_ok = self
            .staging
            .strip_prefix(&format!(".{name}.staging-"))
            .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()));
        staging_ok
            && self.renames.iter().all(plain)
            && self.deletions.iter().all(plain)
            && self.folders.iter().all(plain)
            && self
                .times
                .iter()
                .all(|t| t.folder.is_empty() || plain(&t.folder))
    }
}

/// Removes the journal, durably: the update it describes is complete.
pub fn remove(parent: &Path, name: &str) -> Result<(), OutputError> {
    let journal = path(parent, name);
    std::fs::remove_file(&journal).map_err(io(&journal))?;
    sync(&[parent.to_path_buf()], parent).map_err(io(parent))
}

/// Makes `paths` (files or folders) durable: each synced, or, when there are many, the whole
/// file system that holds `any` (Linux `syncfs`; elsewhere each path all the same).
pub fn sync(paths: &[PathBuf], any: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    if paths.len() > SYNC_ONE_BY_ONE {
        let dir = std::fs::File::open(any)?;
        return rustix::fs::syncfs(&dir).map_err(std::io::Error::from);
    }
    let _ = any;
    let threads = paths.len().min(SYNC_THREADS);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|first| {
                scope.spawn(move || {
                    (paths.iter().skip(first).step_by(threads))
                        .try_for_each(|path| std::fs::File::open(path)?.sync_all())
                })
            })
            .collect();
        workers.into_iter().try_for_each(|w| {
            w.join()
                .unwrap_or_else(|_| Err(std::io::Error::other("sync")))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_journal_reads_back_as_written_and_is_gone_once_removed() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read(dir.path(), "public").unwrap(), None);
        let plan = Plan {
            staging: ".public.staging-7".into(),
            renames: vec!["zh/index.html".into()],
            deletions: vec!["zh/old.html".into()],
            folders: vec!["zh/2020".into()],
            foreign: vec![b"zh/a\xff".to_vec()],
            times: vec![FolderTime {
                folder: String::new(),
                secs: 1,
                nanos: 2,
            }],
        };
        write(dir.path(), "public", &plan).unwrap();
        assert_eq!(read(dir.path(), "public").unwrap(), Some(plan));
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, [".public.publishing"], "the temporary file renamed");
        remove(dir.path(), "public").unwrap();
        assert_eq!(read(dir.path(), "public").unwrap(), None);
    }

    #[test]
    fn a_damaged_journal_is_an_error_not_an_empty_update() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(path(dir.path(), "public"), "{\"staging\":").unwrap();
        assert!(matches!(
            read(dir.path(), "public"),
            Err(OutputError::BadJournal(_))
        ));
    }

    #[test]
    fn a_journal_naming_a_path_outside_the_output_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let good = Plan {
            staging: ".public.staging-7".into(),
            renames: vec!["zh/index.html".into()],
            ..Plan::default()
        };
        let bad = [
            Plan {
                deletions: vec!["../site.yaml".into()],
                ..good.clone()
            },
            Plan {
                renames: vec!["/etc/passwd".into()],
                ..good.clone()
            },
            Plan {
                folders: vec!["zh/../..".into()],
                ..good.clone()
            },
            Plan {
                staging: "../content".into(),
                ..good.clone()
            },
            Plan {
                staging: ".other.staging-7".into(),
                ..good.clone()
            },
            Plan {
                times: vec![FolderTime {
                    folder: "..".into(),
                    secs: 1,
                    nanos: 0,
                }],
                ..good.clone()
            },
        ];
        for plan in bad {
            write(dir.path(), "public", &plan).unwrap();
            assert!(
                matches!(read(dir.path(), "public"), Err(OutputError::BadJournal(_))),
                "{plan:?}"
            );
        }
        write(dir.path(), "public", &good).unwrap();
        assert_eq!(read(dir.path(), "public").unwrap(), Some(good));
    }
}
