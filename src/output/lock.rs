//! Write stage: the lock that makes two builds into the same output folder take turns
//! (README, "How a rebuild is published"): `flock` on the folder itself, so no lock file. A
//! build that has to wait says so once, through the caller's [`OnWait`], then waits.

use std::path::Path;
use std::sync::Arc;

use super::{OutputError, io};
use crate::messages::Msg;

/// A notice for the caller to show, in the reader's language, before the build waits.
#[derive(Clone)]
pub struct OnWait(pub Arc<dyn Fn(&Msg) + Send + Sync>);

impl std::fmt::Debug for OnWait {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OnWait")
    }
}

/// An exclusive lock on the output folder (`flock` on the folder itself, so no lock file),
/// held from the comparison with the old files to the end of the update: a second build into
/// the same folder waits, then compares with what the first one published. Released when
/// dropped, or by the kernel when the process dies.
pub struct Lock {
    _dir: Option<std::fs::File>,
}

/// Takes the lock on `out`; when another build holds it, `on_wait` is told once (so the
/// operator knows why nothing happens, README "How a rebuild is published"), then this waits.
pub fn lock(out: &Path, on_wait: Option<&OnWait>) -> Result<Lock, OutputError> {
    #[cfg(unix)]
    {
        let dir = std::fs::File::open(out).map_err(io(out))?;
        match dir.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                if let Some(OnWait(tell)) = on_wait {
                    tell(&Msg::new("output.waiting_for_lock").arg("path", out.display()));
                }
                dir.lock().map_err(io(out))?;
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io(out)(e)),
        }
        Ok(Lock { _dir: Some(dir) })
    }
    #[cfg(not(unix))]
    {
        let _ = (out, on_wait);
        Ok(Lock { _dir: None })
    }
}

/// The lock on `out` if no other build holds it.
pub fn try_lock(out: &Path) -> Result<Option<Lock>, OutputError> {
    #[cfg(unix)]
    {
        let dir = std::fs::File::open(out).map_err(io(out))?;
        match dir.try_lock() {
            Ok(()) => Ok(Some(Lock { _dir: Some(dir) })),
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(e)) => Err(io(out)(e)),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = out;
        Ok(Some(Lock { _dir: None }))
    }
}
