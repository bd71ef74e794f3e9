//! End to end: the built binary in an 80x24 pseudo-terminal on a demo
//! database, driven the way a clerk drives it; the screen is asserted at each step.

mod common;

use std::time::Duration;

use common::pty::{Key, Pty, TIMEOUT, framed};

fn must(r: Result<(), String>) {
    if let Err(e) = r {
        panic!("{e}");
    }
}

// ---- the harness itself -------------------------------------------------

#[test]
fn harness_reads_screen_sends_keys_and_sees_exit() {
    let mut p = Pty::spawn_program(
        "/bin/sh",
        &[
            "-c",
            "stty size; printf '\\033[?1049h'; printf '宽字符 ok\\n'; read x; \
             printf '\\033[?1049l'; echo \"got $x $GUANHUAI_TODAY\"; exit 3",
        ],
        &[],
    );
    must(p.wait_for("宽字符 ok"));
    assert!(p.alternate_screen());
    p.send("abc");
    p.send_key(Key::Enter);
    must(p.wait_for("got abc 2026-11-28"));
    let st = p.wait_exit(TIMEOUT).expect("the shell exits");
    assert_eq!(st.code(), Some(3));
    assert!(!p.alternate_screen());
    assert!(p.cooked_mode());
    assert!(p.screen_text().starts_with("24 80"), "{}", p.screen_text());
}

#[test]
fn harness_wait_for_reports_the_screen_on_time_out() {
    let p = Pty::spawn_program("/bin/sh", &["-c", "echo hello; sleep 5"], &[]);
    must(p.wait_for("hello"));
    let err = p
        .wait_for_timeout("absent", Duration::from_millis(100))
        .unwrap_err();
    assert!(err.contains("|hello"), "{err}");
}
