//! `<data dir>/incoming`: uploads in progress and downloaded copies, one folder per process.
//! Processes may share a data dir (a web process and workers started in one folder), so
//! none may delete another's files: each owns `incoming/<owner>/` and holds an exclusive
//! lock on `incoming/<owner>.lock` for its lifetime. The operating system drops the lock
//! when the process ends however it ends, so a folder whose lock can be taken belongs to a
//! process that is gone, and only such leftovers are removed.

use std::fs::{File, TryLockError};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// This process's own folder, and the lock that says it is alive.
#[derive(Debug, Clone)]
pub struct OwnFolder {
    pub path: PathBuf,
    _lock: Arc<File>,
}

/// Removes the leftovers of processes that are gone from `<data_dir>/incoming`, then makes
/// this process's own folder there.
pub fn claim(data_dir: &Path) -> io::Result<OwnFolder> {
    let root = data_dir.join("incoming");
    std::fs::create_dir_all(&root)?;
    let removed = sweep(&root)?;
    if removed > 0 {
        tracing::info!(
            removed,
            "removed temporary files of processes that are gone"
        );
    }
    let suffix = uuid::Uuid::now_v7().simple().to_string();
    let owner = format!("p{}-{}", std::process::id(), &suffix[suffix.len() - 8..]);
    // The lock is taken before the file appears in `incoming` (made beside it, then renamed
    // there), and the folder is made after: a sweeper never sees an unlocked lock of a
    // live process, nor a live process's folder without its lock.
    let temp = tempfile::Builder::new()
        .prefix(".incoming-")
        .suffix(".lock")
        .tempfile_in(data_dir)?;
    temp.as_file().try_lock().map_err(|error| match error {
        TryLockError::Error(error) => error,
        TryLockError::WouldBlock => io::Error::other("a new lock file is already locked"),
    })?;
    let lock = temp
        .persist(root.join(format!("{owner}.lock")))
        .map_err(|error| error.error)?;
    let path = root.join(owner);
    std::fs::create_dir(&path)?;
    Ok(OwnFolder {
        path,
        _lock: Arc::new(lock),
    })
}

/// Files under `root` that no live process owns: loose files (from before per-process
/// folders) and the files in folders whose owner is gone. Files of live processes are not
/// listed. For `facetally fsck`, which may run beside the servers.
pub fn leftovers(root: &Path) -> io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for entry in read_dir(root)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            if owner_is_gone(root, &path)? {
                for file in read_dir(&path)? {
                    found.push(file?.path());
                }
            }
        } else if !is_lock_file(&path) {
            found.push(path);
        }
    }
    found.sort();
    Ok(found)
}

/// Removes the folders (and lock files) of processes that are gone, and loose files;
/// returns how many folders and files went.
fn sweep(root: &Path) -> io::Result<usize> {
    let mut removed = 0;
    for entry in read_dir(root)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            if owner_is_gone(root, &path)? {
                std::fs::remove_dir_all(&path)?;
                remove_if_there(&lock_of(root, &path))?;
                removed += 1;
            }
        } else if is_lock_file(&path) {
            // A lock without its folder: its owner died between the two, or is about to
            // make the folder (then the lock is held).
            let folder = path.with_extension("");
            if !folder.exists() && can_lock(&path)? {
                remove_if_there(&path)?;
            }
        } else {
            remove_if_there(&path)?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// True when no live process holds the lock of the folder `dir` (a folder is made after
/// its lock, so one without a lock is a sweep that was cut short).
fn owner_is_gone(root: &Path, dir: &Path) -> io::Result<bool> {
    can_lock(&lock_of(root, dir))
}

fn can_lock(lock: &Path) -> io::Result<bool> {
    let file = match File::options().write(true).open(lock) {
        Ok(file) => file,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(true),
        Err(error) => return Err(error),
    };
    match file.try_lock() {
        // Taken (and dropped with `file`): nobody holds it.
        Ok(()) => Ok(true),
        Err(TryLockError::WouldBlock) => Ok(false),
        Err(TryLockError::Error(error)) => Err(error),
    }
}

fn lock_of(root: &Path, dir: &Path) -> PathBuf {
    let name = dir.file_name().unwrap_or_default().to_string_lossy();
    root.join(format!("{name}.lock"))
}

fn is_lock_file(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext == "lock")
}

fn read_dir(dir: &Path) -> io::Result<Vec<io::Result<std::fs::DirEntry>>> {
    match std::fs::read_dir(dir) {
        Ok(entries) => Ok(entries.collect()),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(error) => Err(error),
    }
}

fn remove_if_there(path: &Path) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => Err(error),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_live_owner_keeps_its_files_and_a_gone_one_loses_them() {
        let data = tempfile::tempdir().unwrap();
        let first = claim(data.path()).unwrap();
        std::fs::write(first.path.join("upload-1.part"), b"live").unwrap();
        // A process that is gone: its folder and its lock file, which nobody holds.
        let root = data.path().join("incoming");
        let gone = root.join("p1-dead");
        std::fs::create_dir(&gone).unwrap();
        std::fs::write(gone.join("fetch-1.mp4"), b"left").unwrap();
        std::fs::write(root.join("p1-dead.lock"), b"").unwrap();
        // One that died between its lock and its folder, and a loose file of old versions.
        std::fs::write(root.join("p2-dead.lock"), b"").unwrap();
        std::fs::write(root.join("upload-old.part"), b"loose").unwrap();

        assert_eq!(
            leftovers(&root).unwrap(),
            vec![gone.join("fetch-1.mp4"), root.join("upload-old.part")]
        );
        let second = claim(data.path()).unwrap();
        assert!(
            first.path.join("upload-1.part").exists(),
            "a live owner's file stays"
        );
        assert!(!gone.exists() && !root.join("p1-dead.lock").exists());
        assert!(!root.join("p2-dead.lock").exists());
        assert!(!root.join("upload-old.part").exists());
        assert!(leftovers(&root).unwrap().is_empty());
        assert_ne!(first.path, second.path);
        // Only the two live owners' locks and folders are left, and no lock temp file.
        let mut names: Vec<String> = std::fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names.len(), 4, "{names:?}");
        assert!(std::fs::read_dir(data.path()).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with(".incoming-")));
    }

    #[test]
    fn a_folder_whose_owner_dropped_its_hold_is_swept() {
        let data = tempfile::tempdir().unwrap();
        let first = claim(data.path()).unwrap();
        let path = first.path.clone();
        std::fs::write(path.join("fetch-2.avi"), b"x").unwrap();
        drop(first); // as the process ending drops it
        claim(data.path()).unwrap();
        assert!(!path.exists());
    }
}
