//! Writing results: `-` is standard output; a file appears whole or not at all (written to a
//! temporary file beside it, then renamed into place). What is not a regular file is written
//! through, never replaced: a symbolic link keeps pointing where it did (the file it points to is
//! replaced atomically, or created when the link dangles), and a device, FIFO or socket (`/dev/null`, `/dev/stdout` on a pipe) is
//! opened and written like any stream.

use std::io::Write;
use std::path::Path;

/// Writes `text` to `target` (`-` for standard output) atomically.
pub fn write(target: &Path, text: &str) -> std::io::Result<()> {
    write_bytes(target, text.as_bytes())
}

/// Writes `bytes` to `target` (`-` for standard output) atomically.
pub fn write_bytes(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if target.as_os_str() == "-" {
        return write_stdout_bytes(bytes);
    }
    write_file(target, bytes)
}

static STDOUT_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Records that standard output was closed when the program started (see the binary's start-up
/// hook: the standard library points a closed descriptor 1 at /dev/null before `main`).
pub fn mark_stdout_closed() {
    STDOUT_CLOSED.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Notes, at the start of the program, whether standard output is closed (`>&-`). It must run
/// before any file is opened: the first file opened would otherwise take descriptor 1 and receive
/// what is meant for standard output. A closed descriptor 1 is pointed at /dev/null so that it stays
/// taken, and every later write to `-` fails.
pub fn guard_stdout() {
    #[cfg(unix)]
    {
        // SAFETY: F_GETFD only reads the descriptor's flags; open returns the lowest free
        // descriptor, which is 1 when 1 is closed.
        unsafe {
            if libc::fcntl(1, libc::F_GETFD) == -1 {
                STDOUT_CLOSED.store(true, std::sync::atomic::Ordering::Relaxed);
                libc::open(c"/dev/null".as_ptr(), libc::O_WRONLY);
            }
        }
    }
}

/// Writes `text` to standard output, reporting what the standard library hides: a closed
/// standard output (`parkplan solve >&-`), which it treats as a sink that swallows everything,
/// is an error here, so a result is never silently lost.
pub fn write_stdout(text: &str) -> std::io::Result<()> {
    write_stdout_bytes(text.as_bytes())
}

/// Writes `bytes` to standard output, as [`write_stdout`] does.
pub fn write_stdout_bytes(bytes: &[u8]) -> std::io::Result<()> {
    if STDOUT_CLOSED.load(std::sync::atomic::Ordering::Relaxed) {
        return Err(std::io::Error::other("it is closed"));
    }
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()
}

/// Writes bytes to `target`: atomically when it is (or will be) a regular file, through it when it
/// is a device, FIFO or socket; a symbolic link is followed, not replaced.
pub fn write_file(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let is_folder = std::fs::metadata(target).is_ok_and(|m| m.is_dir());
    if is_folder || target.as_os_str().as_encoded_bytes().ends_with(b"/") {
        return Err(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "it names a folder; give a file name (such as plan.json) inside it",
        ));
    }
    match std::fs::metadata(target) {
        // Not a regular file: a stream to write into (opening it follows any link).
        Ok(m) if !m.is_file() && !m.is_dir() => {
            let mut out = std::fs::OpenOptions::new().write(true).open(target)?;
            out.write_all(bytes)?;
            return out.flush();
        }
        // A link to a regular file: replace the file, keep the link.
        Ok(_) if std::fs::symlink_metadata(target).is_ok_and(|m| m.file_type().is_symlink()) => {
            return replace_file(&std::fs::canonicalize(target)?, bytes);
        }
        // A dangling link: renaming over it would turn it into a regular file and leave the
        // place it points to empty, so the file is created where the link points instead.
        Err(_) if std::fs::symlink_metadata(target).is_ok_and(|m| m.file_type().is_symlink()) => {
            return replace_file(&link_destination(target)?, bytes);
        }
        _ => {}
    }
    replace_file(target, bytes)
}

/// Where a chain of symbolic links ends: each link read in turn (a relative one from its own
/// folder) until a path that is not a link. A loop, or a chain longer than the system allows, is
/// refused in words.
fn link_destination(link: &Path) -> std::io::Result<std::path::PathBuf> {
    let mut at = link.to_path_buf();
    // Linux follows at most 40 links in one path lookup.
    for _ in 0..40 {
        if !std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
            return Ok(at);
        }
        let next = std::fs::read_link(&at)?;
        at = match at.parent() {
            Some(dir) if next.is_relative() => dir.join(next),
            _ => next,
        };
    }
    Err(std::io::Error::other(format!(
        "it is a symbolic link that leads to a loop of links (last {}); point it at a file",
        at.display()
    )))
}

/// Replaces (or creates) a regular file atomically: a temporary file in the same folder, synced,
/// then renamed.
fn replace_file(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("the folder {} does not exist", dir.display()),
        ));
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(".parkplan-")
        .tempfile_in(dir)
        // The temporary's random name means nothing to the user: keep only the cause.
        .map_err(|e| std::io::Error::from(e.kind()))?;
    tmp.write_all(bytes)?;
    // Temporary files are created owner-only; a plan or report is meant to be shared like any
    // file the user writes.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(target).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_files_and_leaves_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("plan.json");
        write(&target, "{}\n").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "{}\n");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&target).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o644);
        }
    }

    #[test]
    fn a_folder_is_refused_in_words_with_or_without_its_slash() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("c6/");
        let with_slash = format!("{}/", dir.path().display());
        for target in [dir.path(), Path::new(&with_slash), missing.as_path()] {
            let e = write(target, "{}").unwrap_err();
            assert_eq!(e.kind(), std::io::ErrorKind::IsADirectory, "{target:?}");
            assert!(e.to_string().contains("names a folder"), "{e}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_written_through_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        std::fs::write(&real, "old").unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write(&link, "new").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
    }

    #[cfg(unix)]
    #[test]
    fn a_dangling_symlink_is_kept_and_its_target_created() {
        // Regression: `-o` to a link whose target did not exist yet replaced the link with a
        // regular file.
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("results")).unwrap();
        let link = dir.path().join("latest.json");
        // Relative, as `ln -s results/plan.json latest.json` makes it; and through a second link.
        std::os::unix::fs::symlink("middle.json", &link).unwrap();
        std::os::unix::fs::symlink("results/plan.json", dir.path().join("middle.json")).unwrap();
        write(&link, "new").unwrap();
        for l in [&link, &dir.path().join("middle.json")] {
            let m = std::fs::symlink_metadata(l).unwrap();
            assert!(m.file_type().is_symlink(), "{l:?} is still a link");
        }
        let real = dir.path().join("results/plan.json");
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        // A link into a folder that does not exist: an error naming the folder, the link kept.
        let lost = dir.path().join("lost.json");
        std::os::unix::fs::symlink("nowhere/plan.json", &lost).unwrap();
        let e = write(&lost, "x").unwrap_err();
        assert!(e.to_string().contains("nowhere"), "{e}");
        assert!(
            std::fs::symlink_metadata(&lost)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        // A loop of links: refused in words.
        let a = dir.path().join("a.json");
        std::os::unix::fs::symlink("b.json", &a).unwrap();
        std::os::unix::fs::symlink("a.json", dir.path().join("b.json")).unwrap();
        let e = write(&a, "x").unwrap_err();
        assert!(e.to_string().contains("loop"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_written_into_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        write(Path::new("/dev/null"), "discarded").unwrap();
        let m = std::fs::metadata("/dev/null").unwrap();
        assert!(
            m.file_type().is_char_device(),
            "/dev/null is still a device"
        );
    }

    #[test]
    fn a_missing_folder_is_an_error_not_a_partial_file() {
        let dir = tempfile::tempdir().unwrap();
        assert!(write(&dir.path().join("no/such/plan.json"), "x").is_err());
    }
}
