//! Files that hold personal data (the database and its journal, receipts, forms, exports,
//! backups) are readable by their owner only, whatever the umask: 0600 files in 0700
//! folders on unix. A file or folder the app owns that is found wider is tightened when it
//! is next used. On Windows the user's profile folder already keeps others out, so these are
//! the plain file operations there.
//!
//! Folders a person chose (an export's folder, `/tmp`) are never tightened: only folders
//! made here are, and the app's own folders through `own_dir`.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

#[cfg(unix)]
const FILE_MODE: u32 = 0o600;
#[cfg(unix)]
const DIR_MODE: u32 = 0o700;

/// Makes the missing folders of `dir` (0700); folders that exist are left as they are.
pub fn create_dir(dir: &Path) -> io::Result<()> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, DIR_MODE);
    builder.create(dir)
}

/// A folder of the app's own (the data folder, backups, archived papers): made if missing,
/// tightened to 0700 if wider.
pub fn own_dir(dir: &Path) -> io::Result<()> {
    create_dir(dir)?;
    tighten(dir)
}

/// Writes `bytes` to `path` (replacing it) as a private file.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = create(path)?;
    file.write_all(bytes)
}

/// Creates or truncates `path` as a private file.
pub fn create(path: &Path) -> io::Result<File> {
    let file = options()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)?;
    // The mode given at creation does not change a file that already existed.
    tighten(path)?;
    Ok(file)
}

/// A new, empty private file at `path`, replacing any: SQLite's `VACUUM INTO` and a new
/// database accept an empty file and keep its mode.
pub fn create_empty(path: &Path) -> io::Result<()> {
    create(path).map(drop)
}

/// Makes sure a database file exists before SQLite opens it, so that SQLite, which gives its
/// journal, WAL and shared-memory files the database file's mode, makes them private too;
/// an existing file and its companions are tightened, never truncated. Best effort: where
/// this cannot be done (a read-only disk, a file of another user) SQLite's own open says
/// what is wrong, in the terms the desk already reports.
pub fn prepare_database(path: &Path) {
    if !path.exists() {
        let _ = options().write(true).create_new(true).open(path);
    }
    let _ = tighten(path);
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut companion = path.as_os_str().to_owned();
        companion.push(suffix);
        let _ = tighten(Path::new(&companion));
    }
}

/// Copies `from` to `to` as a private file (`fs::copy` would carry the source's mode).
pub fn copy(from: &Path, to: &Path) -> io::Result<u64> {
    let mut source = File::open(from)?;
    let mut target = create(to)?;
    let n = io::copy(&mut source, &mut target)?;
    target.sync_all()?;
    Ok(n)
}

/// Removes group and other access from `path` if it is an existing file (then 0600) or
/// folder (0700).
pub fn tighten(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = match fs::metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        };
        let mode = meta.permissions().mode() & 0o7777;
        // Devices and pipes (an export written to /dev/stdout) are not ours to change.
        if (meta.is_file() || meta.is_dir()) && mode & 0o077 != 0 {
            let wanted = if meta.is_dir() { DIR_MODE } else { FILE_MODE };
            fs::set_permissions(path, fs::Permissions::from_mode(wanted))?;
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

fn options() -> OpenOptions {
    #[allow(unused_mut)]
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, FILE_MODE);
    options
}

#[cfg(test)]
#[cfg(unix)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn new_files_and_folders_are_private_and_wide_ones_are_tightened() {
        let dir = tempfile::tempdir().unwrap();
        let own = dir.path().join("a/b");
        own_dir(&own).unwrap();
        assert_eq!(mode(&own), 0o700);
        assert_eq!(mode(&dir.path().join("a")), 0o700);

        let file = own.join("f.pdf");
        fs::write(&file, b"x").unwrap();
        fs::set_permissions(&file, fs::Permissions::from_mode(0o644)).unwrap();
        write(&file, b"y").unwrap();
        assert_eq!(mode(&file), 0o600);
        assert_eq!(fs::read(&file).unwrap(), b"y");

        let wide = dir.path().join("wide");
        fs::create_dir(&wide).unwrap();
        fs::set_permissions(&wide, fs::Permissions::from_mode(0o755)).unwrap();
        // A folder that exists is not ours to change unless it is the app's own.
        create_dir(&wide).unwrap();
        assert_eq!(mode(&wide), 0o755);
        own_dir(&wide).unwrap();
        assert_eq!(mode(&wide), 0o700);

        let db = dir.path().join("x.db");
        fs::write(&db, b"keep").unwrap();
        fs::set_permissions(&db, fs::Permissions::from_mode(0o644)).unwrap();
        let wal = dir.path().join("x.db-wal");
        fs::write(&wal, b"").unwrap();
        fs::set_permissions(&wal, fs::Permissions::from_mode(0o644)).unwrap();
        prepare_database(&db);
        assert_eq!(fs::read(&db).unwrap(), b"keep");
        assert_eq!((mode(&db), mode(&wal)), (0o600, 0o600));

        let copied = dir.path().join("copy");
        copy(&db, &copied).unwrap();
        assert_eq!(mode(&copied), 0o600);
    }
}
