//! Crash-safe writing: files are written to a temporary sibling and renamed into place, and whole output folders
//! are built in a staging folder that replaces the old one only when every write succeeded.

use std::io::Write;
use std::path::{Path, PathBuf};

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
    /// Creates an empty staging folder next to `target`.
    pub fn new(target: &Path) -> std::io::Result<StagedDir> {
        let parent = parent_of(target);
        std::fs::create_dir_all(&parent)?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        let staging = tempfile::Builder::new()
            .prefix(&format!(".{name}.staging-"))
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

    /// Replaces the target with the staged folder.
    pub fn commit(mut self) -> std::io::Result<()> {
        let parent = parent_of(&self.target);
        let old = if self.target.exists() {
            let name = self
                .target
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "out".into());
            let old = tempfile::Builder::new()
                .prefix(&format!(".{name}.old-"))
                .tempdir_in(&parent)?
                .keep();
            std::fs::remove_dir(&old)?;
            std::fs::rename(&self.target, &old)?;
            Some(old)
        } else {
            None
        };
        if let Err(e) = std::fs::rename(&self.staging, &self.target) {
            if let Some(old) = &old {
                let _ = std::fs::rename(old, &self.target);
            }
            return Err(e);
        }
        self.committed = true;
        if let Some(old) = old {
            if let Err(e) = std::fs::remove_dir_all(&old) {
                tracing::warn!(
                    "could not remove the previous folder {}: {e}",
                    old.display()
                );
            }
        }
        Ok(())
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
    fn write_atomic_replaces_whole_file() {
        let root = tempfile::tempdir().unwrap();
        let p = root.path().join("t.bin");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
    }
}
