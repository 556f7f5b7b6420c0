//! Files and folders readable by their owner only: the register, its backups, keys, logs
//! and exports hold (or guard) special-category personal data.

use std::fs::{DirBuilder, OpenOptions};
use std::io::Write;
use std::path::Path;

/// Create `path` and its missing parents, 0700.
pub fn create_dir(path: &Path) -> std::io::Result<()> {
    let mut builder = DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path)
}

/// Options for writing a file that is created 0600; the caller says how (`create_new`,
/// `truncate`, `append`).
pub fn options() -> OpenOptions {
    let mut options = OpenOptions::new();
    options.write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
}

/// Write `bytes` as the whole of `path` (created 0600, or replaced).
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    options()
        .create(true)
        .truncate(true)
        .open(path)?
        .write_all(bytes)
}
