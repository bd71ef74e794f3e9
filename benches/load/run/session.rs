//! One clerk at the terminal: the built program in an 80x24 pseudo-terminal,
//! driven by keys the way `tests/e2e.rs` drives it. Every screen read while
//! waiting is scanned for an SQLite busy error ("database is locked" …): a
//! clerk must never see one.

use std::time::{Duration, Instant};

use crate::pty::{Key, Pty, framed};

/// Text that means an SQLite busy or lock error reached the screen (or the
/// generic database-error prefix that would carry one), or a false alarm
/// about the fund (its chain is intact: one clerk's read must not catch
/// another's write half seen).
pub const FORBIDDEN: &[&str] = &[
    "账目链被改动",
    "核验未通过",
    "database is locked",
    "database table is locked",
    "locked",
    "busy",
    "SQLITE_BUSY",
    "数据库错误",
    "database error",
];

/// The first forbidden text in `s`.
pub fn forbidden_in(s: &str) -> Option<&'static str> {
    let lower = s.to_lowercase();
    FORBIDDEN
        .iter()
        .copied()
        .find(|f| lower.contains(&f.to_lowercase()))
}

/// Ctrl-E then Ctrl-U: the focused field emptied.
const CLEAR: &str = "\x05\x15";

/// How long one step may wait (a save may wait for another clerk's write).
const STEP: Duration = Duration::from_secs(40);
const POLL: Duration = Duration::from_millis(20);
const SETTLE: Duration = Duration::from_millis(25);

/// How a save through a form ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    Ok,
    /// The version-conflict message (另一位工作人员已修改).
    Conflict,
}

pub struct Session {
    pub id: usize,
    p: Pty,
    /// Screens read (each scanned).
    pub screens: u64,
    /// Screens that showed a forbidden text: (what, the screen).
    pub busy: Vec<(String, String)>,
}

impl Session {
    pub fn start(id: usize, db: &str) -> Result<Session, String> {
        let p = Pty::spawn(&["--db", db], &[]);
        let mut s = Session {
            id,
            p,
            screens: 0,
            busy: Vec::new(),
        };
        s.wait("the tab bar", |t| t.contains("总览") && t.contains("基金"))?;
        Ok(s)
    }

    /// The screen now, scanned.
    fn read(&mut self) -> String {
        let text = self.p.screen_text();
        self.screens += 1;
        if let Some(f) = forbidden_in(&text)
            && self.busy.last().is_none_or(|(_, last)| *last != text)
        {
            self.busy.push((f.to_string(), text.clone()));
        }
        text
    }

    /// Waits until `ok(screen)` holds and the screen holds still; the screen.
    pub fn wait(&mut self, what: &str, ok: impl Fn(&str) -> bool) -> Result<String, String> {
        let deadline = Instant::now() + STEP;
        loop {
            let text = self.read();
            if ok(&text) {
                std::thread::sleep(SETTLE);
                let again = self.read();
                if again == text {
                    return Ok(text);
                }
                continue;
            }
            if Instant::now() >= deadline {
                return Err(format!(
                    "session {}: waited {STEP:?} for {what}; the screen is:\n{}",
                    self.id,
                    framed(&text)
                ));
            }
            std::thread::sleep(POLL);
        }
    }

    fn wait_for(&mut self, needle: &str) -> Result<String, String> {
        let n = needle.to_string();
        self.wait(&format!("{needle:?}"), move |t| t.contains(&n))
    }

    fn send(&mut self, s: &str) {
        self.p.send(s);
    }

    fn key(&mut self, k: Key) {
        self.p.send_key(k);
    }

    /// Tabs to item `n` of the form (its border says 第 n/m 项).
    fn focus(&mut self, n: usize) -> Result<(), String> {
        for _ in 0..16 {
            let text = self.wait("a form's item counter", |t| item_of(t).is_some())?;
            if item_of(&text) == Some(n) {
                return Ok(());
            }
            self.key(Key::Tab);
            let before = item_of(&text);
            self.wait("the focus to move", |t| {
                item_of(t).is_some() && item_of(t) != before
            })?;
        }
        Err(format!("session {}: cannot reach item {n}", self.id))
    }

    /// Tab 4 with no filter.
    fn visits_tab(&mut self) -> Result<(), String> {
        const NO_FILTER: &str = "党员 姓名/拼音/编号    类型 全部  期间 全部";
        self.send("4");
        let text = self.wait_for("谈心走访记录")?;
        if !text.contains(NO_FILTER) {
            // Esc clears the filter; the next key only once it has (an Esc
            // read together with the next key is Alt and that key).
            self.key(Key::Esc);
            self.wait("no filter", |t| t.contains(NO_FILTER))?;
        }
        Ok(())
    }

    /// After F9: the form `title` closed and `done` in the status line.
    fn saved(&mut self, title: &str, done: &str) -> Result<(), String> {
        // The form's border, not the title's words (已登记收入 holds 登记收入).
        let (title, done) = (format!("┌ {title}"), done.to_string());
        self.wait(&format!("{done:?} after saving"), move |t| {
            !t.contains(&title) && t.contains(&done)
        })
        .map(|_| ())
    }

    /// A talk (谈心谈话) from tab 4, n → 1, with `summary`.
    pub fn talk(&mut self, code: &str, name: &str, summary: &str) -> Result<(), String> {
        self.visits_tab()?;
        self.send("n");
        self.wait_for("1. 谈心谈话")?;
        self.send("1");
        self.wait_for("登记谈心谈话")?;
        self.send(code);
        self.wait_for(&format!("党员*      {code}"))?;
        self.focus(5)?;
        self.send(summary);
        self.wait_for(summary)?;
        self.key(Key::F(9));
        self.saved("登记谈心谈话", &format!("已登记谈话：{name}（{code}）"))
    }

    /// A visit (走访慰问) from tab 4, n → 2, with `notes`.
    pub fn visit(&mut self, code: &str, name: &str, notes: &str) -> Result<(), String> {
        self.visits_tab()?;
        self.send("n");
        self.wait_for("2. 走访慰问")?;
        self.send("2");
        self.wait_for("登记走访慰问")?;
        self.send(code);
        self.wait_for(&format!("党员*      {code}"))?;
        self.focus(8)?;
        self.send(notes);
        self.wait_for(notes)?;
        self.key(Key::F(9));
        self.saved("登记走访慰问", &format!("已登记走访：{name}（{code}）"))
    }

    /// An income of ¥1.00 (财政补贴) from tab 5, F2 and Enter (收入), with `note`; the voucher
    /// as the form proposes it.
    pub fn income(&mut self, note: &str) -> Result<(), String> {
        self.send("5");
        self.wait_for("帮扶基金收支")?;
        self.key(Key::F(2));
        self.wait_for("新增账目")?;
        self.key(Key::Enter);
        self.wait_for("登记收入")?;
        self.focus(4)?;
        self.send("1.00");
        self.focus(6)?;
        self.send("负载会计");
        self.focus(8)?;
        self.send(note);
        self.wait_for(note)?;
        self.key(Key::F(9));
        self.saved("登记收入", "已登记收入")
    }

    /// Opens the edit form of the one talk of member `code` (tab 4, `/` by
    /// member, F4) and types `summary` over its summary; not saved yet.
    pub fn edit_talk(&mut self, code: &str, summary: &str) -> Result<(), String> {
        self.visits_tab()?;
        self.send("/");
        self.wait_for("清除")?;
        self.send(code);
        self.key(Key::Enter);
        let c = code.to_string();
        self.wait("the filtered list", move |t| {
            t.contains(&format!("党员 {c}")) && t.contains("LOAD-conflict")
        })?;
        self.key(Key::F(4));
        self.wait_for("修改谈话")?;
        self.focus(5)?;
        self.send(CLEAR);
        self.send(summary);
        self.wait_for(summary)?;
        Ok(())
    }

    /// F9 on the edit form: saved, or refused with the version conflict
    /// (then the form is given up with Esc, Enter).
    pub fn save_edit(&mut self) -> Result<Saved, String> {
        self.key(Key::F(9));
        let text = self.wait("the edit saved or refused", |t| {
            (!t.contains("┌ 修改谈话") && t.contains("已修改谈话"))
                || t.contains("另一位工作人员已修改")
        })?;
        if text.contains("另一位工作人员已修改") {
            self.key(Key::Esc);
            self.wait_for("放弃输入")?;
            self.key(Key::Enter);
            self.wait("the form closed", |t| !t.contains("┌ 修改谈话"))?;
            return Ok(Saved::Conflict);
        }
        Ok(Saved::Ok)
    }

    /// Quits with q (out of any form first, its input given up); the exit status.
    pub fn quit(mut self) -> Result<(Session, i32), String> {
        for _ in 0..6 {
            let text = self.read();
            if text.contains("放弃输入") {
                self.key(Key::Enter);
            } else if item_of(&text).is_some() || text.contains("Esc 取消") {
                self.key(Key::Esc);
            } else {
                break;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        self.send("1");
        self.wait_for("总览")?;
        self.send("q");
        let st = self.p.wait_exit(STEP);
        let code = st.and_then(|s| s.code()).unwrap_or(-1);
        Ok((self, code))
    }
}

/// n of 第 n/m 项 on the screen.
fn item_of(screen: &str) -> Option<usize> {
    screen.match_indices("第 ").find_map(|(at, _)| {
        let rest = &screen[at + "第 ".len()..];
        let (n, rest) = rest.split_once('/')?;
        let digits = rest.find(|c: char| !c.is_ascii_digit())?;
        let ok = !n.is_empty()
            && n.chars().all(|c| c.is_ascii_digit())
            && digits > 0
            && rest[digits..].starts_with(" 项");
        ok.then(|| n.parse().ok()).flatten()
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn item_counter() {
        assert_eq!(super::item_of("x 第 3/8 项 ─"), Some(3));
        assert_eq!(super::item_of("第 1/12 页 x 第 2/4 项"), Some(2));
        assert_eq!(super::item_of("第 1 页"), None);
    }
}
