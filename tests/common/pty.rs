//! Drives a real program in a pseudo-terminal and keeps what it draws in a
//! `vt100` screen, so end-to-end tests read the screen the way a clerk sees it.
//!
//! Nothing here may hang a test: every wait has a deadline, the reader thread
//! polls with a timeout, and `Drop` kills the child.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub const ROWS: u16 = 24;
pub const COLS: u16 = 80;
/// The day the app takes as today in every test (`GUANHUAI_TODAY`).
pub const TODAY: &str = "2026-11-28";
/// How long `wait_for` waits unless told otherwise.
pub const TIMEOUT: Duration = Duration::from_secs(10);
/// How long the screen must hold still to count as drawn.
const SETTLE: Duration = Duration::from_millis(25);
const POLL: Duration = Duration::from_millis(20);

/// A key as the terminal sends it (xterm sequences, which crossterm parses).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    Insert,
    Delete,
    /// F1–F12.
    F(u8),
    CtrlS,
    CtrlC,
}

impl Key {
    pub fn bytes(self) -> &'static str {
        match self {
            Key::Enter => "\r",
            Key::Esc => "\x1b",
            Key::Tab => "\t",
            Key::BackTab => "\x1b[Z",
            Key::Backspace => "\x7f",
            Key::Up => "\x1b[A",
            Key::Down => "\x1b[B",
            Key::Right => "\x1b[C",
            Key::Left => "\x1b[D",
            Key::Home => "\x1b[H",
            Key::End => "\x1b[F",
            Key::PageUp => "\x1b[5~",
            Key::PageDown => "\x1b[6~",
            Key::Insert => "\x1b[2~",
            Key::Delete => "\x1b[3~",
            Key::F(1) => "\x1bOP",
            Key::F(2) => "\x1bOQ",
            Key::F(3) => "\x1bOR",
            Key::F(4) => "\x1bOS",
            Key::F(5) => "\x1b[15~",
            Key::F(6) => "\x1b[17~",
            Key::F(7) => "\x1b[18~",
            Key::F(8) => "\x1b[19~",
            Key::F(9) => "\x1b[20~",
            Key::F(10) => "\x1b[21~",
            Key::F(11) => "\x1b[23~",
            Key::F(12) => "\x1b[24~",
            Key::F(n) => panic!("no F{n} key"),
            Key::CtrlS => "\x13",
            Key::CtrlC => "\x03",
        }
    }
}

/// Answers the queries a terminal answers (cursor position, device
/// attributes), so a program that asks does not stall waiting for a reply.
#[derive(Default)]
pub struct Responder {
    replies: Vec<u8>,
}

impl vt100::Callbacks for Responder {
    fn unhandled_csi(
        &mut self,
        screen: &mut vt100::Screen,
        i1: Option<u8>,
        _i2: Option<u8>,
        params: &[&[u16]],
        c: char,
    ) {
        let first = params.first().and_then(|p| p.first()).copied();
        match (i1, c, first) {
            // DSR: cursor position report, 1-based.
            (None, 'n', Some(6)) => {
                let (row, col) = screen.cursor_position();
                self.replies
                    .extend_from_slice(format!("\x1b[{};{}R", row + 1, col + 1).as_bytes());
            }
            // DSR: status report, "ok".
            (None, 'n', Some(5)) => self.replies.extend_from_slice(b"\x1b[0n"),
            // DA1: a VT220 with nothing special.
            (None, 'c', None | Some(0)) => self.replies.extend_from_slice(b"\x1b[?62c"),
            _ => {}
        }
    }
}

type Screen = Arc<Mutex<vt100::Parser<Responder>>>;

/// A program running in an 80x24 pseudo-terminal.
pub struct Pty {
    master: File,
    child: Child,
    parser: Screen,
    stop: Arc<AtomicBool>,
    reader: Option<JoinHandle<()>>,
    status: Option<ExitStatus>,
}

impl Pty {
    /// Starts the built `guanhuai` with `args` and extra environment `envs`
    /// (TERM, LANG and GUANHUAI_TODAY are set; NO_COLOR is removed unless given).
    pub fn spawn(args: &[&str], envs: &[(&str, &str)]) -> Pty {
        Pty::spawn_program(env!("CARGO_BIN_EXE_guanhuai"), args, envs)
    }

    /// Starts any program the same way (used to test the harness itself).
    pub fn spawn_program(program: &str, args: &[&str], envs: &[(&str, &str)]) -> Pty {
        let (master, slave) = open_pty();
        let mut cmd = Command::new(program);
        cmd.args(args)
            .env_remove("NO_COLOR")
            .env_remove("COLUMNS")
            .env_remove("LINES")
            .env_remove("LC_ALL")
            .env("TERM", "xterm-256color")
            .env("LANG", "C.UTF-8")
            .env("GUANHUAI_TODAY", TODAY);
        for (k, v) in envs {
            cmd.env(k, v);
        }
        cmd.stdin(Stdio::from(slave.try_clone().expect("dup pty slave")))
            .stdout(Stdio::from(slave.try_clone().expect("dup pty slave")))
            .stderr(Stdio::from(slave));
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                if libc::setsid() < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                if libc::ioctl(0, libc::TIOCSCTTY as _, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {program}: {e}"));
        // The Command (and with it every copy of the slave in this process) is
        // dropped here, so the master reads EIO once the child is gone.
        drop(cmd);

        let parser: Screen = Arc::new(Mutex::new(vt100::Parser::new_with_callbacks(
            ROWS.try_into().unwrap(),
            COLS.try_into().unwrap(),
            0,
            Responder::default(),
        )));
        let stop = Arc::new(AtomicBool::new(false));
        let master = File::from(master);
        let reader = {
            let master = master.try_clone().expect("dup pty master");
            let parser = Arc::clone(&parser);
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || pump(master, parser, stop))
        };
        Pty {
            master,
            child,
            parser,
            stop,
            reader: Some(reader),
            status: None,
        }
    }

    /// Types text as the terminal would deliver it (UTF-8, no translation).
    pub fn send(&mut self, text: &str) {
        self.master
            .write_all(text.as_bytes())
            .and_then(|()| self.master.flush())
            .expect("write to pty");
    }

    /// Presses one key. After `Esc` it pauses briefly, so the next key is not
    /// read as part of an escape sequence (Alt-key).
    pub fn send_key(&mut self, key: Key) {
        self.send(key.bytes());
        if key == Key::Esc {
            std::thread::sleep(Duration::from_millis(60));
        }
    }

    /// The screen as text: one line per row, trailing blanks trimmed; a wide
    /// character appears once.
    pub fn screen_text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// The rows, each as `screen_text` shows it.
    pub fn rows(&self) -> Vec<String> {
        self.with_screen(|s| s.rows(0, s.size().1.get()).collect())
    }

    /// What one cell shows ("" for the second half of a wide character).
    pub fn cell(&self, row: u16, col: u16) -> String {
        self.with_screen(|s| {
            s.cell(row, col)
                .map(|c| c.contents().to_string())
                .unwrap_or_default()
        })
    }

    /// Resizes the terminal as a window manager would (the program gets SIGWINCH).
    pub fn resize(&mut self, rows: u16, cols: u16) {
        let size = libc::winsize {
            ws_row: rows,
            ws_col: cols,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        self.parser
            .lock()
            .unwrap()
            .set_size(rows.try_into().unwrap(), cols.try_into().unwrap());
        // SAFETY: a valid fd and winsize.
        let rc = unsafe { libc::ioctl(self.master.as_raw_fd(), libc::TIOCSWINSZ, &size) };
        assert_eq!(rc, 0, "TIOCSWINSZ: {}", std::io::Error::last_os_error());
    }

    /// Runs `f` on the parsed screen (colours, attributes, modes).
    pub fn with_screen<T>(&self, f: impl FnOnce(&vt100::Screen) -> T) -> T {
        f(self.parser.lock().unwrap().screen())
    }

    /// (row, col) of the terminal cursor, 0-based.
    pub fn cursor_position(&self) -> (u16, u16) {
        self.with_screen(|s| s.cursor_position())
    }

    /// Whether the program is still in the alternate screen.
    pub fn alternate_screen(&self) -> bool {
        self.with_screen(|s| s.alternate_screen())
    }

    /// Whether the terminal is back in cooked mode (canonical input and echo),
    /// as a shell expects it after the program ends.
    pub fn cooked_mode(&self) -> bool {
        // On Linux the master answers TCGETS with the slave's settings.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        // SAFETY: a valid fd and a termios-sized buffer.
        let rc = unsafe { libc::tcgetattr(self.master.as_raw_fd(), &mut t) };
        assert_eq!(rc, 0, "tcgetattr: {}", std::io::Error::last_os_error());
        t.c_lflag & libc::ICANON != 0 && t.c_lflag & libc::ECHO != 0
    }

    /// Waits until the screen contains `needle`; on time-out the error holds
    /// the screen as it is.
    pub fn wait_for(&self, needle: &str) -> Result<(), String> {
        self.wait_for_timeout(needle, TIMEOUT)
    }

    pub fn wait_for_timeout(&self, needle: &str, timeout: Duration) -> Result<(), String> {
        self.wait_until(&format!("{needle:?} on screen"), timeout, |s| {
            s.contains(needle)
        })
    }

    /// Waits until the screen no longer contains `needle`.
    pub fn wait_gone(&self, needle: &str) -> Result<(), String> {
        self.wait_until(&format!("{needle:?} gone"), TIMEOUT, |s| {
            !s.contains(needle)
        })
    }

    /// Waits until `ok(screen_text)` holds.
    pub fn wait_until(
        &self,
        what: &str,
        timeout: Duration,
        ok: impl Fn(&str) -> bool,
    ) -> Result<(), String> {
        let deadline = Instant::now() + timeout;
        loop {
            let text = self.screen_text();
            // A frame arrives in pieces: the needle may be drawn before the rest
            // of the frame. Done once the screen holds still for a moment.
            if ok(&text) && self.settled(&text, deadline) {
                return Ok(());
            }
            if Instant::now() >= deadline {
                return Err(format!(
                    "waited {timeout:?} for {what}; the screen is:\n{}",
                    framed(&text)
                ));
            }
            std::thread::sleep(POLL);
        }
    }

    /// True when the screen still shows `text` a moment later (or the deadline
    /// has come).
    fn settled(&self, text: &str, deadline: Instant) -> bool {
        std::thread::sleep(SETTLE);
        self.screen_text() == text || Instant::now() >= deadline
    }

    /// Waits for the program to end and for its last output to be read.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        if self.status.is_none() {
            let deadline = Instant::now() + timeout;
            loop {
                if let Ok(Some(st)) = self.child.try_wait() {
                    self.status = Some(st);
                    break;
                }
                if Instant::now() >= deadline {
                    return None;
                }
                std::thread::sleep(POLL);
            }
            // The reader ends by itself on EIO once the output is drained;
            // give it a moment, then stop it regardless.
            let deadline = Instant::now() + Duration::from_secs(2);
            while self.reader.as_ref().is_some_and(|r| !r.is_finished())
                && Instant::now() < deadline
            {
                std::thread::sleep(POLL);
            }
            self.stop_reader();
        }
        self.status
    }

    /// Kills the program with SIGKILL (no chance to clean up) and reaps it.
    pub fn kill(&mut self) {
        if self.status.is_none() {
            let _ = self.child.kill();
            self.status = self.child.wait().ok();
        }
        self.stop_reader();
    }

    /// Whether the program is still running.
    pub fn running(&mut self) -> bool {
        self.status.is_none() && matches!(self.child.try_wait(), Ok(None))
    }

    fn stop_reader(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if self.status.is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        self.stop_reader();
    }
}

/// The screen in a frame, for failure messages.
pub fn framed(text: &str) -> String {
    let rule = format!("+{}+", "-".repeat(COLS as usize));
    let mut out = format!("{rule}\n");
    for line in text.split('\n') {
        out.push('|');
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(&rule);
    out
}

fn open_pty() -> (OwnedFd, OwnedFd) {
    let mut master: libc::c_int = -1;
    let mut slave: libc::c_int = -1;
    let size = libc::winsize {
        ws_row: ROWS,
        ws_col: COLS,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: out-pointers to ints, no name buffer, a valid winsize.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: openpty just returned these two fds and nothing else owns them.
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    for fd in [&master, &slave] {
        // SAFETY: a valid fd; the child gets its own copies via dup2.
        unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_SETFD, libc::FD_CLOEXEC) };
    }
    (master, slave)
}

/// Copies the program's output into the screen until EOF/EIO or `stop`.
fn pump(mut master: File, parser: Screen, stop: Arc<AtomicBool>) {
    let mut buf = [0u8; 8192];
    while !stop.load(Ordering::Relaxed) {
        let mut pfd = libc::pollfd {
            fd: master.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd.
        let n = unsafe { libc::poll(&mut pfd, 1, 50) };
        if n < 0 {
            if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return;
        }
        if n == 0 {
            continue;
        }
        match master.read(&mut buf) {
            Ok(0) | Err(_) => return, // EIO: every copy of the slave is closed
            Ok(n) => {
                let replies = {
                    let mut p = parser.lock().unwrap();
                    p.process(&buf[..n]);
                    std::mem::take(&mut p.callbacks_mut().replies)
                };
                if !replies.is_empty() {
                    let _ = master.write_all(&replies);
                }
            }
        }
    }
}
