//! Writing a file so that it is either wholly there or not there at all, and
//! never readable by more people than the database itself (DOMAIN.md
//! "Exports and notices").
//!
//! On Linux the file is first an unnamed file in the target's directory
//! (`O_TMPFILE`): a process killed while writing leaves nothing, not even a
//! hidden temp file full of ID numbers. Once written and synced it is given
//! its name with `linkat` (or linked under a hidden name and renamed over an
//! existing target). Where `O_TMPFILE` is not available a hidden named temp
//! file is used instead and removed on every error.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use crate::domain::Lang;

/// The mode of files we write beside a database of mode `db_mode`: the
/// owner's and the group's read and write bits of the database, never the
/// world's, never execute; the owner can always read and write.
pub fn mode_like(db_mode: u32) -> u32 {
    (db_mode & 0o660) | 0o600
}

/// The mode of an existing file (permission bits only).
#[cfg(unix)]
pub fn mode_of(path: &Path) -> io::Result<u32> {
    use std::os::unix::fs::PermissionsExt;
    Ok(std::fs::metadata(path)?.permissions().mode() & 0o7777)
}

#[cfg(not(unix))]
pub fn mode_of(_path: &Path) -> io::Result<u32> {
    Ok(0o600)
}

/// The mode of a new database file in `dir`: 0600, or 0660 when the directory
/// has the setgid bit (an administrator shares it among the clerks' group).
#[cfg(unix)]
pub fn new_file_mode(dir: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    match std::fs::metadata(dir) {
        // S_ISGID
        Ok(m) if m.permissions().mode() & 0o2000 != 0 => 0o660,
        _ => 0o600,
    }
}

#[cfg(not(unix))]
pub fn new_file_mode(_dir: &Path) -> u32 {
    0o600
}

/// The directory a file is written in (`.` for a bare file name).
pub fn dir_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// A file being written: unnamed (or under a hidden temp name) until
/// [`NewFile::commit`]; dropped without commit, it leaves nothing behind.
pub struct NewFile {
    file: File,
    target: PathBuf,
    /// The hidden temp name, when `O_TMPFILE` could not be used.
    temp: Option<PathBuf>,
}

impl NewFile {
    /// Starts a file that will be called `target`, with permission bits `mode`
    /// (set on the open file, so the umask does not change them).
    pub fn create(target: &Path, mode: u32) -> io::Result<NewFile> {
        let dir = dir_of(target);
        if let Some(file) = unnamed(dir, mode)? {
            return Ok(NewFile {
                file,
                target: target.to_path_buf(),
                temp: None,
            });
        }
        let (file, temp) = hidden(target, mode)?;
        Ok(NewFile {
            file,
            target: target.to_path_buf(),
            temp: Some(temp),
        })
    }

    /// The open file, for writing (and reading back).
    pub fn file(&mut self) -> &mut File {
        &mut self.file
    }

    /// Syncs the file and gives it its name. An existing file at the target is
    /// replaced when `replace`, else the commit fails with `AlreadyExists`
    /// and nothing is left.
    pub fn commit(mut self, replace: bool) -> io::Result<()> {
        self.file.sync_all()?;
        match self.temp.take() {
            None => self.link_unnamed(replace)?,
            Some(temp) => {
                let named = if replace {
                    std::fs::rename(&temp, &self.target)
                } else {
                    // A hard link refuses an existing target atomically; where
                    // there are no hard links (FAT, some network drives), look first.
                    match std::fs::hard_link(&temp, &self.target) {
                        Err(e) if e.kind() != io::ErrorKind::AlreadyExists => {
                            if self.target.symlink_metadata().is_ok() {
                                Err(io::Error::from(io::ErrorKind::AlreadyExists))
                            } else {
                                std::fs::rename(&temp, &self.target)
                            }
                        }
                        other => other,
                    }
                };
                let _ = std::fs::remove_file(&temp);
                named?;
            }
        }
        sync_dir(dir_of(&self.target));
        Ok(())
    }

    #[cfg(target_os = "linux")]
    fn link_unnamed(&self, replace: bool) -> io::Result<()> {
        use std::os::fd::AsRawFd;
        let proc_path = PathBuf::from(format!("/proc/self/fd/{}", self.file.as_raw_fd()));
        match link_fd(&proc_path, &self.target) {
            Err(e) if replace && e.kind() == io::ErrorKind::AlreadyExists => {}
            other => return other,
        }
        // The target exists: name the file beside it, then rename over it.
        loop {
            let temp = temp_name(&self.target);
            match link_fd(&proc_path, &temp) {
                Ok(()) => {
                    let renamed = std::fs::rename(&temp, &self.target);
                    if renamed.is_err() {
                        let _ = std::fs::remove_file(&temp);
                    }
                    return renamed;
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
    }

    #[cfg(not(target_os = "linux"))]
    fn link_unnamed(&self, _replace: bool) -> io::Result<()> {
        unreachable!("unnamed files exist only on Linux")
    }
}

impl Drop for NewFile {
    fn drop(&mut self) {
        if let Some(temp) = self.temp.take() {
            let _ = std::fs::remove_file(temp);
        }
    }
}

/// An unnamed file in `dir`, or `None` where the system or the file system
/// has no `O_TMPFILE` (or no `/proc` to name it with afterwards).
#[cfg(target_os = "linux")]
fn unnamed(dir: &Path, mode: u32) -> io::Result<Option<File>> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    if !Path::new("/proc/self/fd").is_dir() {
        return Ok(None);
    }
    let opened = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_TMPFILE)
        .mode(mode)
        .open(dir);
    match opened {
        Ok(file) => {
            file.set_permissions(std::fs::Permissions::from_mode(mode))?;
            Ok(Some(file))
        }
        Err(e)
            if matches!(
                e.raw_os_error(),
                Some(libc::EOPNOTSUPP | libc::EISDIR | libc::EINVAL)
            ) =>
        {
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

#[cfg(not(target_os = "linux"))]
fn unnamed(_dir: &Path, _mode: u32) -> io::Result<Option<File>> {
    Ok(None)
}

/// Gives the open file behind `/proc/self/fd/N` the name `to`.
#[cfg(target_os = "linux")]
fn link_fd(proc_path: &Path, to: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let from = CString::new(proc_path.as_os_str().as_bytes())?;
    let to = CString::new(to.as_os_str().as_bytes())?;
    // SAFETY: two valid NUL-terminated paths; linkat does not keep them.
    let rc = unsafe {
        libc::linkat(
            libc::AT_FDCWD,
            from.as_ptr(),
            libc::AT_FDCWD,
            to.as_ptr(),
            libc::AT_SYMLINK_FOLLOW,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// A new hidden file beside `target`: `.NAME.PID.N.tmp`.
fn hidden(target: &Path, mode: u32) -> io::Result<(File, PathBuf)> {
    loop {
        let temp = temp_name(target);
        let mut opts = std::fs::OpenOptions::new();
        opts.read(true).write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(mode & 0o600);
        }
        match opts.open(&temp) {
            Ok(file) => {
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    if let Err(e) = file.set_permissions(std::fs::Permissions::from_mode(mode)) {
                        let _ = std::fs::remove_file(&temp);
                        return Err(e);
                    }
                }
                let _ = mode;
                return Ok((file, temp));
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

fn temp_name(target: &Path) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    target.with_file_name(format!(".{name}.{}.{nanos:x}{n}.tmp", std::process::id()))
}

/// Makes a new name in `dir` durable (best effort: not every system can).
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// The disk (or the user's quota) is full.
pub fn is_disk_full(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::StorageFull
        || e.kind() == io::ErrorKind::QuotaExceeded
        || matches!(e.raw_os_error(), Some(libc::ENOSPC | libc::EDQUOT))
}

/// Writing is not allowed here: a read-only file system or no permission.
pub fn is_read_only(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::PermissionDenied
        || e.kind() == io::ErrorKind::ReadOnlyFilesystem
        || matches!(
            e.raw_os_error(),
            Some(libc::EROFS | libc::EACCES | libc::EPERM)
        )
}

/// Whether the file system holding `path` has (almost) no room left: a
/// failed write there is a full disk, whatever the writer called it.
pub fn disk_nearly_full(path: &Path) -> bool {
    free_bytes(path).is_some_and(|free| free < 256 * 1024)
}

/// The bytes an unprivileged writer may still put on the file system that
/// holds `path` (`None` when it cannot be told).
#[cfg(unix)]
pub fn free_bytes(path: &Path) -> Option<u64> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = CString::new(path.as_os_str().as_bytes()).ok()?;
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: a valid path and a properly sized out-parameter.
    if unsafe { libc::statvfs(c.as_ptr(), &mut st) } != 0 {
        return None;
    }
    Some(st.f_bavail as u64 * st.f_frsize as u64)
}

#[cfg(not(unix))]
pub fn free_bytes(_path: &Path) -> Option<u64> {
    None
}

thread_local! {
    static QUIET_PANICS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f`, catching a panic of a library it calls (a writer that panics
/// on a failed write, a reader on a file it did not foresee) as an `Err`
/// with the panic's message, which is then ours to report: the panic hooks
/// stay silent for it ([`panic_is_caught`]), so the terminal UI is not torn
/// down and nothing is printed over it.
pub fn catching<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    let was = QUIET_PANICS.with(|q| q.replace(true));
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET_PANICS.with(|q| q.set(was));
    r.map_err(|payload| {
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default()
    })
}

/// True on a thread inside [`catching`]: a panic hook returns at once.
pub fn panic_is_caught() -> bool {
    QUIET_PANICS.with(|q| q.get())
}

/// Makes the process's panic hook stay silent for a panic [`catching`]
/// handles; every other panic goes to the hook as before.
pub fn install_quiet_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !panic_is_caught() {
            previous(info);
        }
    }));
}

/// Why a file could not be written, in words a clerk can act on.
#[derive(Debug)]
pub struct WriteError {
    pub path: PathBuf,
    pub error: io::Error,
}

impl WriteError {
    pub fn new(path: &Path, error: io::Error) -> Self {
        WriteError {
            path: path.to_path_buf(),
            error,
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        let p = self.path.display();
        let e = &self.error;
        let dir = dir_of(&self.path).display();
        if is_disk_full(e) {
            lang.pick(
                &format!("磁盘已满：无法写入 {p}，请清理磁盘空间后重试"),
                &format!("the disk is full: cannot write {p}; free some space and try again"),
            )
            .to_string()
        } else if is_read_only(e) {
            lang.pick(
                &format!("无法写入 {p}：目录 {dir} 只读或没有写权限，请换一个位置或检查权限"),
                &format!(
                    "cannot write {p}: the directory {dir} is read-only or not writable by you; choose another place or check the permissions"
                ),
            )
            .to_string()
        } else if e.kind() == io::ErrorKind::AlreadyExists {
            lang.pick(
                &format!("{p} 已存在，不覆盖"),
                &format!("{p} already exists; not overwriting it"),
            )
            .to_string()
        } else if e.kind() == io::ErrorKind::NotFound {
            lang.pick(
                &format!("目录不存在：{dir}"),
                &format!("no such directory: {dir}"),
            )
            .to_string()
        } else if e.raw_os_error() == Some(libc::EIO) {
            lang.pick(
                &format!("写入 {p} 时磁盘读写出错：请检查磁盘（或换一个位置）后重试"),
                &format!(
                    "a disk read/write error while writing {p}: check the disk (or choose another place) and try again"
                ),
            )
            .to_string()
        } else {
            lang.pick(
                &format!("无法写入文件 {p}：{e}"),
                &format!("cannot write {p}: {e}"),
            )
            .to_string()
        }
    }
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for WriteError {}

/// Hands the heap's free pages back to the system (glibc keeps what a
/// program frees for its next allocations): after a large import, before the
/// rebuild that follows it allocates afresh, so that the two peaks do not add up.
pub fn return_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory of the allocator to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn nothing_is_there_until_commit_and_nothing_after_drop() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.csv");
        let mut f = NewFile::create(&target, 0o600).unwrap();
        f.file().write_all(b"x").unwrap();
        assert!(names(dir.path()).is_empty());
        drop(f);
        assert!(names(dir.path()).is_empty());
    }

    #[test]
    fn commit_names_the_file_with_its_mode_and_refuses_or_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.csv");
        let mut f = NewFile::create(&target, 0o640).unwrap();
        f.file().write_all(b"one").unwrap();
        f.commit(false).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"one");
        assert_eq!(mode_of(&target).unwrap(), 0o640);

        let mut f = NewFile::create(&target, 0o600).unwrap();
        f.file().write_all(b"two").unwrap();
        let e = f.commit(false).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&target).unwrap(), b"one");

        let mut f = NewFile::create(&target, 0o600).unwrap();
        f.file().write_all(b"three").unwrap();
        f.commit(true).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"three");
        assert_eq!(mode_of(&target).unwrap(), 0o600);
        assert_eq!(names(dir.path()), ["a.csv"]);
    }

    #[test]
    fn the_hidden_fallback_cleans_up_too() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("b.csv");
        let (mut file, temp) = hidden(&target, 0o600).unwrap();
        file.write_all(b"x").unwrap();
        let f = NewFile {
            file,
            target: target.clone(),
            temp: Some(temp),
        };
        drop(f);
        assert!(names(dir.path()).is_empty());
        let (file, temp) = hidden(&target, 0o660).unwrap();
        let f = NewFile {
            file,
            target: target.clone(),
            temp: Some(temp),
        };
        f.commit(false).unwrap();
        assert_eq!(names(dir.path()), ["b.csv"]);
        assert_eq!(mode_of(&target).unwrap(), 0o660);
    }

    #[test]
    fn modes_never_reach_the_world() {
        assert_eq!(mode_like(0o644), 0o640);
        assert_eq!(mode_like(0o600), 0o600);
        assert_eq!(mode_like(0o660), 0o660);
        assert_eq!(mode_like(0o400), 0o600);
    }
}
