//! Reading an input file as text, bounded: every file parkplan reads (problems, plans, fronts,
//! summaries) comes through [`read_text`], so `/dev/zero`, a FIFO or a file of gigabytes is refused
//! at once with a message rather than read until memory runs out.

use std::fmt;
use std::io::Read;
use std::path::Path;

/// The largest input file parkplan reads: 64 MiB, far above any real problem or plan (the
/// Liupanshui problem is 20 KiB) and small enough to parse in moments.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// Why a file cannot be read as text.
#[derive(Debug)]
pub enum ReadError {
    /// The path is a folder.
    Folder,
    /// The path is a device, a FIFO or a socket, not a regular file.
    NotAFile(&'static str),
    /// The file is larger than [`MAX_INPUT_BYTES`].
    TooLarge,
    /// The file is not UTF-8 text: the first bad byte is at this line and column (1-based).
    NotUtf8 {
        /// 1-based line of the first byte that is not UTF-8.
        line: usize,
        /// 1-based column (in characters) of that byte.
        column: usize,
    },
    /// The system could not read it.
    Io(std::io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Folder => write!(f, "it is a folder, not a file"),
            ReadError::NotAFile(kind) => write!(f, "it is {kind}, not a regular file"),
            ReadError::TooLarge => write!(
                f,
                "it is larger than {} MiB, the most parkplan reads",
                MAX_INPUT_BYTES / (1024 * 1024)
            ),
            ReadError::NotUtf8 { line, column } => write!(
                f,
                "it is not UTF-8 text: the byte at line {line}, column {column} is not UTF-8"
            ),
            ReadError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ReadError {}

/// For callers that carry an I/O error: the message is kept.
impl From<ReadError> for std::io::Error {
    fn from(e: ReadError) -> Self {
        match e {
            ReadError::Io(e) => e,
            other => std::io::Error::other(other.to_string()),
        }
    }
}

/// Reads `path` as UTF-8 text, refusing folders, devices, FIFOs and sockets (before opening
/// them, so a FIFO without a writer does not block) and files over [`MAX_INPUT_BYTES`] (reading
/// at most one byte more than the limit, so a file that grows or never ends is refused too).
pub fn read_text(path: &Path) -> Result<String, ReadError> {
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    let kind = meta.file_type();
    if kind.is_dir() {
        return Err(ReadError::Folder);
    }
    if !kind.is_file() {
        return Err(ReadError::NotAFile(special_kind(&kind)));
    }
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    let mut bytes = Vec::new();
    file.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(ReadError::TooLarge);
    }
    String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        // The prefix is valid UTF-8 by construction.
        let good = std::str::from_utf8(good).unwrap_or_default();
        let line = good.matches('\n').count() + 1;
        let column = good.rsplit('\n').next().unwrap_or_default().chars().count() + 1;
        ReadError::NotUtf8 { line, column }
    })
}

#[cfg(unix)]
fn special_kind(kind: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "a FIFO (named pipe)"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &std::fs::FileType) -> &'static str {
    "a special file"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_folders_and_bad_bytes_are_refused_with_their_place() {
        #[cfg(unix)]
        assert!(matches!(
            read_text(Path::new("/dev/zero")),
            Err(ReadError::NotAFile("a device"))
        ));
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(read_text(dir.path()), Err(ReadError::Folder)));
        let f = dir.path().join("p.yaml");
        std::fs::write(&f, b"a: 1\nname: x\xffy\n").unwrap();
        assert!(matches!(
            read_text(&f),
            Err(ReadError::NotUtf8 { line: 2, column: 8 })
        ));
        std::fs::write(&f, "a: 1\n").unwrap();
        assert_eq!(read_text(&f).unwrap(), "a: 1\n");
    }

    #[test]
    fn a_file_over_the_limit_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("big.yaml");
        let file = std::fs::File::create(&f).unwrap();
        file.set_len(MAX_INPUT_BYTES + 1).unwrap();
        assert!(matches!(read_text(&f), Err(ReadError::TooLarge)));
    }
}
