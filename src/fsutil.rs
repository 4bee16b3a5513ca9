//! Crash-safe writing: files are written to a temporary sibling and renamed into place, and whole output folders
//! are built in a staging folder whose entries replace the old ones only when every write succeeded.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Environment variable naming a point where the process stops and waits to be killed (crash tests).
pub const PAUSE_AT_VAR: &str = "UPTAKE_PAUSE_AT";

/// A named point of the run where a crash test may kill the process. When `UPTAKE_PAUSE_AT` names this point,
/// the process says so on stderr and waits forever; otherwise this costs one comparison. Points are listed in
/// docs/reliability.md.
pub fn checkpoint(point: &str) {
    if pause_at() == Some(point) {
        eprintln!("uptake: paused at {point}");
        loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        }
    }
}

/// The point named in the pause variable, if any.
fn pause_at() -> Option<&'static str> {
    static PAUSE_AT: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    PAUSE_AT
        .get_or_init(|| std::env::var(PAUSE_AT_VAR).ok().filter(|v| !v.is_empty()))
        .as_deref()
}

/// Whether a run may pause at a [`checkpoint`] (the variable is set): callers that name many points skip making
/// the names otherwise.
pub fn pausing() -> bool {
    pause_at().is_some()
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = parent_of(path);
    std::fs::create_dir_all(&dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".uptake-tmp-")
        .tempfile_in(&dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Swaps two paths in one atomic step (Linux `renameat2` with `RENAME_EXCHANGE`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let ca = std::ffi::CString::new(a.as_os_str().as_bytes())?;
    let cb = std::ffi::CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both pointers are valid NUL-terminated strings for the duration of the call.
    let r = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::Error::other("no atomic exchange on this system"))
}

fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A folder built beside its final place and swapped in by [`StagedDir::commit`]. Dropped without a commit, it
/// removes itself and leaves the previous folder as it was.
#[derive(Debug)]
pub struct StagedDir {
    staging: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl StagedDir {
    /// Creates an empty staging folder next to `target`, after recovering from a run that was killed: entries a
    /// killed commit had moved aside are put back, and the staging and backup folders of dead processes removed.
    pub fn new(target: &Path) -> std::io::Result<StagedDir> {
        let parent = parent_of(target);
        std::fs::create_dir_all(&parent)?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        Self::recover(&parent, &name, target);
        let staging = tempfile::Builder::new()
            .prefix(&format!(".{name}.staging-{}-", std::process::id()))
            .tempdir_in(&parent)?
            .keep();
        Ok(StagedDir {
            staging,
            target: target.to_path_buf(),
            committed: false,
        })
    }

    /// Where to write.
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// Moves every entry of the staged folder into the target, replacing entries of the same name. Entries of
    /// the target that this run did not write (a README, a user's own files) are left alone. Replaced entries are
    /// kept aside until every move succeeded, and put back if one fails.
    pub fn commit(mut self) -> std::io::Result<()> {
        if !self.target.exists() {
            std::fs::rename(&self.staging, &self.target)?;
            self.committed = true;
            return Ok(());
        }
        let name = self
            .target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        let backup = tempfile::Builder::new()
            .prefix(&format!(".{name}.old-{}-", std::process::id()))
            .tempdir_in(parent_of(&self.target))?;
        let mut names: Vec<std::ffi::OsString> = std::fs::read_dir(&self.staging)?
            .map(|e| e.map(|e| e.file_name()))
            .collect::<Result<_, _>>()?;
        names.sort();
        let mut moved: Vec<(std::ffi::OsString, bool)> = Vec::new();
        for n in names {
            let dst = self.target.join(&n);
            let had_old = dst.symlink_metadata().is_ok();
            let is_dir = dst.is_dir();
            checkpoint(&format!("commit:{}", n.to_string_lossy()));
            let result = (|| {
                if had_old && !is_dir {
                    // a file is replaced in one rename; a hard link keeps the old one for a roll-back
                    std::fs::hard_link(&dst, backup.path().join(&n))
                        .or_else(|_| std::fs::copy(&dst, backup.path().join(&n)).map(|_| ()))?;
                } else if had_old {
                    // a folder cannot be renamed over a full one: on Linux the two are exchanged in one step;
                    // elsewhere the old one is moved aside first (put back by `recover` if the process dies in
                    // between)
                    if exchange(&self.staging.join(&n), &dst).is_ok() {
                        return std::fs::rename(self.staging.join(&n), backup.path().join(&n));
                    }
                    std::fs::rename(&dst, backup.path().join(&n))?;
                }
                std::fs::rename(self.staging.join(&n), &dst)
            })();
            if let Err(e) = result {
                if had_old && !dst.exists() {
                    let _ = std::fs::rename(backup.path().join(&n), &dst);
                }
                self.roll_back(&moved, backup.path());
                return Err(e);
            }
            moved.push((n, had_old));
        }
        self.committed = true;
        let _ = std::fs::remove_dir_all(&self.staging);
        Ok(())
    }

    /// Whether the process `pid` is alive (Linux; elsewhere every process counts as alive, and nothing is removed).
    fn alive(pid: u32) -> bool {
        if !cfg!(target_os = "linux") {
            return true;
        }
        // a killed process not yet reaped by its parent (a zombie) is dead too
        match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            Ok(stat) => !matches!(
                stat.rsplit_once(") ")
                    .and_then(|(_, rest)| rest.chars().next()),
                Some('Z' | 'X')
            ),
            Err(_) => false,
        }
    }

    /// After a killed run: entries of `target` that a commit had moved aside (into `.NAME.old-PID-*`) and not yet
    /// replaced are put back, and staging and backup folders of dead processes are removed. A folder whose suffix
    /// holds no process id (`.out.staging-QgaDki`, as early versions named them) belongs to no run that can still
    /// be going, and is recovered as a dead process's.
    fn recover(parent: &Path, name: &str, target: &Path) {
        let Ok(entries) = std::fs::read_dir(parent) else {
            return;
        };
        for e in entries.flatten() {
            let file = e.file_name().to_string_lossy().into_owned();
            let (is_old, rest) = if let Some(r) = file.strip_prefix(&format!(".{name}.old-")) {
                (true, r)
            } else if let Some(r) = file.strip_prefix(&format!(".{name}.staging-")) {
                (false, r)
            } else {
                continue;
            };
            match rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) {
                Some(pid) if pid == std::process::id() || Self::alive(pid) => continue,
                Some(_) => {}
                None => tracing::warn!(
                    "{}: left by a run that is no longer going (its name holds no process id); {}",
                    e.path().display(),
                    if is_old {
                        "what it kept is put back where missing, then it is removed"
                    } else {
                        "removed"
                    }
                ),
            }
            if is_old {
                if let Ok(inner) = std::fs::read_dir(e.path()) {
                    for i in inner.flatten() {
                        let dst = target.join(i.file_name());
                        if dst.symlink_metadata().is_err() {
                            tracing::warn!(
                                "{}: put back from a run that was killed while replacing it",
                                dst.display()
                            );
                            let _ = std::fs::rename(i.path(), &dst);
                        }
                    }
                }
            }
            let _ = std::fs::remove_dir_all(e.path());
        }
    }

    /// Puts back what a failed commit had already replaced.
    fn roll_back(&self, moved: &[(std::ffi::OsString, bool)], backup: &Path) {
        for (n, had_old) in moved.iter().rev() {
            let dst = self.target.join(n);
            let _ = std::fs::rename(&dst, self.staging.join(n));
            if *had_old {
                let _ = std::fs::rename(backup.join(n), &dst);
            }
        }
    }
}

impl Drop for StagedDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staged_dir_replaces_only_on_commit() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("out");
        std::fs::create_dir_all(&target).unwrap();
        std::fs::write(target.join("a.txt"), "old").unwrap();
        {
            let staged = StagedDir::new(&target).unwrap();
            std::fs::write(staged.path().join("a.txt"), "new").unwrap();
            // dropped without commit
        }
        assert_eq!(
            std::fs::read_to_string(target.join("a.txt")).unwrap(),
            "old"
        );
        let staged = StagedDir::new(&target).unwrap();
        std::fs::write(staged.path().join("a.txt"), "new").unwrap();
        staged.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(target.join("a.txt")).unwrap(),
            "new"
        );
        let leftovers: Vec<_> = std::fs::read_dir(root.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "only the target folder remains");
    }

    #[test]
    fn commit_keeps_files_the_run_did_not_write() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("reports");
        std::fs::create_dir_all(target.join("charts")).unwrap();
        std::fs::write(target.join("README.md"), "mine").unwrap();
        std::fs::write(target.join("charts/stale.svg"), "old chart").unwrap();
        let staged = StagedDir::new(&target).unwrap();
        std::fs::create_dir_all(staged.path().join("charts")).unwrap();
        std::fs::write(staged.path().join("charts/new.svg"), "new chart").unwrap();
        std::fs::write(staged.path().join("index.html"), "page").unwrap();
        staged.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(target.join("README.md")).unwrap(),
            "mine"
        );
        assert!(target.join("charts/new.svg").is_file());
        assert!(
            !target.join("charts/stale.svg").exists(),
            "a folder the run writes is replaced whole"
        );
        assert_eq!(
            std::fs::read_dir(root.path()).unwrap().count(),
            1,
            "staging and backup removed"
        );
    }

    #[test]
    #[cfg(unix)]
    fn recovery_handles_folders_without_a_process_id() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("out");
        std::fs::create_dir_all(&target).unwrap();
        std::fs::write(target.join("kept.txt"), "the user's").unwrap();
        // an early run's staging folder, and the backup of one killed between moving `tables` aside and moving
        // the new one in; neither name holds a process id
        let staging = root.path().join(".out.staging-QgaDki");
        std::fs::create_dir_all(staging.join("tables")).unwrap();
        std::fs::write(staging.join("tables/documents.parquet"), "half").unwrap();
        let backup = root.path().join(".out.old-x7Yq2b");
        std::fs::create_dir_all(backup.join("tables")).unwrap();
        std::fs::write(backup.join("tables/documents.parquet"), "old").unwrap();
        std::fs::write(backup.join("kept.txt"), "older").unwrap();
        // a live process's staging folder (this one's parent is alive) and another target's are left alone
        let live = root.path().join(format!(
            ".out.staging-{}-AbCdEf",
            std::os::unix::process::parent_id()
        ));
        std::fs::create_dir_all(&live).unwrap();
        let other = root.path().join(".reports.staging-QgaDki");
        std::fs::create_dir_all(&other).unwrap();

        let staged = StagedDir::new(&target).unwrap();
        assert!(!staging.exists(), "the foreign staging folder is removed");
        assert!(
            !backup.exists(),
            "the foreign backup is removed once emptied"
        );
        assert_eq!(
            std::fs::read_to_string(target.join("tables/documents.parquet")).unwrap(),
            "old",
            "what the killed commit had moved aside is put back"
        );
        assert_eq!(
            std::fs::read_to_string(target.join("kept.txt")).unwrap(),
            "the user's",
            "an entry still in place is not overwritten"
        );
        assert!(live.exists() && other.exists());
        drop(staged);
    }

    #[test]
    fn write_atomic_replaces_whole_file() {
        let root = tempfile::tempdir().unwrap();
        let p = root.path().join("t.bin");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
    }
}
