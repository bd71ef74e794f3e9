//! End to end: the built binary in an 80x24 pseudo-terminal on a demo
//! database, driven the way a clerk drives it; the screen is asserted at each step.

mod common;

use std::time::Duration;

use common::pty::{Key, Pty, TIMEOUT, framed};
use common::{DemoDb, demo_db};
use guanhuai::ui::text;

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

// ---- the clerk's flows -------------------------------------------------

/// A demo member that the pinyin initials of their name find alone.
struct Target {
    code: String,
    name: String,
    initials: String,
}

fn member_found_by_initials(db: &std::path::Path) -> Target {
    let conn = rusqlite::Connection::open(db).expect("open demo db");
    let mut stmt = conn
        .prepare("SELECT code, name, readings, status FROM members ORDER BY code")
        .unwrap();
    let rows: Vec<(String, String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (code, name, readings, status) in &rows {
        if status != "active" || name.chars().count() != 3 {
            continue;
        }
        let initials: String = readings
            .split(' ')
            .filter_map(|syllable| syllable.split('/').next()?.chars().next())
            .collect();
        if initials.len() != 3 || !initials.chars().all(|c| c.is_ascii_lowercase()) {
            continue;
        }
        let hits = rows
            .iter()
            .filter(|(_, n, r, _)| guanhuai::domain::pinyin::matches(&initials, n, r))
            .count();
        if hits == 1 {
            return Target {
                code: code.clone(),
                name: name.clone(),
                initials,
            };
        }
    }
    panic!("no demo member is found alone by the initials of their name");
}

/// The first active member in pinyin order: the top row of the list.
fn first_in_list(db: &std::path::Path) -> (String, String) {
    let conn = rusqlite::Connection::open(db).expect("open demo db");
    conn.query_row(
        "SELECT code, name FROM members WHERE status = 'active' ORDER BY sort_key, code LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

fn active_count(db: &std::path::Path) -> i64 {
    let conn = rusqlite::Connection::open(db).expect("open demo db");
    conn.query_row(
        "SELECT count(*) FROM members WHERE status = 'active'",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

/// Starts the program on `db`, waits for the tab bar, switches to the
/// Members tab (`2`) and waits for the list: the search box's placeholder
/// (only the members list has it) and the column headers.
fn open_members(db: &DemoDb, args: &[&str], envs: &[(&str, &str)]) -> Pty {
    let mut all = vec!["--db", db.path_str()];
    all.extend_from_slice(args);
    let english = args.windows(2).any(|w| w == ["--lang", "en"]);
    let (tab, placeholder, header) = if english {
        ("Members", "name/pinyin/code/phone", "Code")
    } else {
        ("党员", "拼音/首字母/编号/手机", "编号")
    };
    let mut p = Pty::spawn(&all, envs);
    must(p.wait_for(tab));
    p.send("2");
    must(p.wait_for(placeholder));
    must(p.wait_for(header));
    p
}

/// Quits with `q` and checks the exit status and that the terminal is back.
fn quit_cleanly(mut p: Pty, key: &str) {
    p.send(key);
    let status = p.wait_exit(TIMEOUT).unwrap_or_else(|| {
        panic!(
            "still running after {key:?}; the screen is:\n{}",
            framed(&p.screen_text())
        )
    });
    assert_eq!(status.code(), Some(0), "exit status {status}");
    assert_terminal_restored(&p);
}

fn assert_terminal_restored(p: &Pty) {
    assert!(!p.alternate_screen(), "still in the alternate screen");
    assert!(p.cooked_mode(), "the terminal was left in raw mode");
    assert!(
        !p.with_screen(|s| s.hide_cursor()),
        "the cursor was left hidden"
    );
}

#[test]
fn clerk_finds_a_member_by_pinyin_initials_opens_the_detail_and_quits() {
    let db = demo_db();
    let target = member_found_by_initials(&db.path);
    let (first_code, first_name) = first_in_list(&db.path);
    let total = active_count(&db.path);

    // The members list: headers, the first member in pinyin order, the count.
    let mut p = open_members(&db, &[], &[]);
    must(p.wait_for(&first_name));
    let screen = p.screen_text();
    assert!(screen.contains("姓名"), "{}", framed(&screen));
    assert!(
        screen
            .lines()
            .any(|l| l.contains(&first_code) && l.contains(&first_name)),
        "{}",
        framed(&screen)
    );
    assert!(
        screen.contains(&format!("共 {total} 人")),
        "{}",
        framed(&screen)
    );

    // `/` and the initials narrow the list to the one member.
    p.send("/");
    must(p.wait_for("清除搜索"));
    p.send(&target.initials);
    must(p.wait_for("共 1 人"));
    let screen = p.screen_text();
    assert!(
        screen
            .lines()
            .any(|l| l.contains(&target.code) && l.contains(&target.name)),
        "{} by {:?}:\n{}",
        target.name,
        target.initials,
        framed(&screen)
    );
    if first_name != target.name {
        assert!(!screen.contains(&first_name), "{}", framed(&screen));
    }
    // The cursor sits in the search box after the typed letters.
    let typed_at = (1, (text::width("搜索 ") + target.initials.len()) as u16);
    assert_eq!(p.cursor_position(), typed_at, "{}", framed(&screen));

    // The search leaves one member: Enter opens the detail.
    p.send_key(Key::Enter);
    must(p.wait_for("党员详情"));
    assert!(p.screen_text().contains(&target.name));
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let (birth, joined): (Option<String>, String) = conn
        .query_row(
            "SELECT birth_date, joined_on FROM members WHERE code = ?1",
            [&target.code],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    // The frame may still be arriving: wait for each part rather than read once.
    for want in [
        target.code.as_str(),
        target.name.as_str(),
        joined.as_str(),
        "身份证号",
        "入党日期",
    ] {
        must(p.wait_for(want));
    }
    if let Some(b) = birth {
        must(p.wait_for(&b));
    }

    // Esc goes back to the narrowed list.
    p.send_key(Key::Esc);
    must(p.wait_gone("党员详情"));
    must(p.wait_for("共 1 人"));
    assert!(p.screen_text().contains(&target.name));

    quit_cleanly(p, "q");
}

#[test]
fn english_labels_with_lang_en() {
    let db = demo_db();
    let p = open_members(&db, &["--lang", "en"], &[]);
    let screen = p.screen_text();
    for want in ["Members", "Name", "Phone", "Search", "Quit"] {
        assert!(screen.contains(want), "{want}:\n{}", framed(&screen));
    }
    for unwanted in ["编号", "姓名", "党员", "搜索", "退出"] {
        assert!(
            !screen.contains(unwanted),
            "{unwanted}:\n{}",
            framed(&screen)
        );
    }
    quit_cleanly(p, "q");
}

#[test]
fn no_color_draws_no_colour_and_selects_by_reverse_video() {
    let db = demo_db();
    let p = open_members(&db, &[], &[("NO_COLOR", "1")]);
    let (coloured, reversed) = p.with_screen(|s| {
        let mut coloured = Vec::new();
        let mut reversed = 0;
        for row in 0..24 {
            for col in 0..80 {
                let c = s.cell(row, col).unwrap();
                if c.fgcolor() != vt100::Color::Default || c.bgcolor() != vt100::Color::Default {
                    coloured.push((row, col, c.contents().to_string()));
                }
                if c.inverse() {
                    reversed += 1;
                }
            }
        }
        (coloured, reversed)
    });
    assert!(
        coloured.is_empty(),
        "coloured cells with NO_COLOR: {:?}",
        &coloured[..coloured.len().min(10)]
    );
    assert!(reversed > 0, "no reverse-video selection");
    quit_cleanly(p, "q");
}

#[test]
fn colours_are_used_without_no_color() {
    let db = demo_db();
    let p = open_members(&db, &[], &[]);
    let coloured = p.with_screen(|s| {
        (0..24)
            .flat_map(|r| (0..80).map(move |c| (r, c)))
            .filter(|&(r, c)| {
                let cell = s.cell(r, c).unwrap();
                cell.fgcolor() != vt100::Color::Default || cell.bgcolor() != vt100::Color::Default
            })
            .count()
    });
    assert!(
        coloured > 0,
        "no colour at all:\n{}",
        framed(&p.screen_text())
    );
    quit_cleanly(p, "q");
}

#[test]
fn ascii_draws_borders_with_plus_minus_bar() {
    let db = demo_db();
    let p = open_members(&db, &["--ascii"], &[]);
    let screen = p.screen_text();
    let boxy: Vec<char> = screen
        .chars()
        .filter(|c| ('\u{2500}'..='\u{259f}').contains(c))
        .collect();
    assert!(
        boxy.is_empty(),
        "box drawing {boxy:?}:\n{}",
        framed(&screen)
    );
    let rows = p.rows();
    assert!(
        rows.iter()
            .any(|r| r.starts_with("+") && r.contains("---") && r.trim_end().ends_with('+')),
        "no +---+ border:\n{}",
        framed(&screen)
    );
    assert!(
        rows.iter()
            .any(|r| r.starts_with('|') && r.trim_end().ends_with('|')),
        "no | border:\n{}",
        framed(&screen)
    );
    quit_cleanly(p, "q");
}

#[test]
fn ctrl_c_quits_cleanly_even_while_typing_chinese_in_the_search_box() {
    let db = demo_db();
    let (_, first_name) = first_in_list(&db.path);
    let surname: String = first_name.chars().take(1).collect();
    let mut p = open_members(&db, &[], &[]);
    p.send("/");
    must(p.wait_for("清除搜索"));
    p.send(&surname);
    must(p.wait_for(&format!("搜索 {surname}")));
    must(p.wait_for(&first_name));
    // The cursor sits after the wide character, where an input method's window goes.
    let after = (1, (text::width("搜索 ") + text::width(&surname)) as u16);
    assert_eq!(p.cursor_position(), after, "{}", framed(&p.screen_text()));
    quit_cleanly(p, Key::CtrlC.bytes());
}

#[test]
fn demo_flag_fills_a_new_database_and_opens_the_ui() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.sqlite");
    let mut p = Pty::spawn(&["--demo", "--db", path.to_str().unwrap()], &[]);
    must(p.wait_for("党员"));
    p.send("2");
    must(p.wait_for("编号"));
    let total = active_count(&path);
    assert!(total >= 100, "{total} active demo members");
    must(p.wait_for(&format!("共 {total} 人")));
    quit_cleanly(p, "q");
}

#[test]
fn f10_quits_and_asks_first_when_a_form_holds_input() {
    let db = demo_db();
    let mut p = open_members(&db, &[], &[]);
    p.send_key(Key::F(2));
    must(p.wait_for("新增党员"));
    p.send("T001");
    must(p.wait_for("T001"));
    p.send_key(Key::F(10));
    must(p.wait_for("未保存"));
    // No: back in the form with the input kept.
    p.send_key(Key::Esc);
    must(p.wait_gone("未保存"));
    assert!(p.screen_text().contains("T001"));
    assert!(p.wait_exit(Duration::from_millis(200)).is_none());
    // Asked again, yes this time.
    p.send_key(Key::F(10));
    must(p.wait_for("未保存"));
    quit_cleanly(p, Key::Enter.bytes());
}

#[test]
fn help_overlay_lists_the_screen_keys() {
    let db = demo_db();
    let mut p = open_members(&db, &[], &[]);
    p.send_key(Key::F(1));
    must(p.wait_for("全局"));
    let screen = p.screen_text();
    for want in ["搜索", "新增", "编辑", "退出"] {
        assert!(screen.contains(want), "{want}:\n{}", framed(&screen));
    }
    p.send_key(Key::Esc);
    must(p.wait_gone("全局"));
    quit_cleanly(p, "q");
}

#[test]
fn columns_stay_aligned_with_wide_and_minority_names() {
    let db = demo_db();
    let p = open_members(&db, &[], &[]);
    let rows = p.rows();
    let screen = p.screen_text();
    let header = rows
        .iter()
        .position(|r| r.contains("编号") && r.contains("性别"))
        .unwrap_or_else(|| panic!("no header row:\n{}", framed(&screen)));
    let gender_col = (0..80)
        .find(|&c| p.cell(header as u16, c) == "性")
        .expect("性别 column");
    let mut data_rows = 0;
    for row in header + 1..rows.len() {
        if p.cell(row as u16, 0) != "│" {
            break;
        }
        assert_eq!(
            p.cell(row as u16, 79),
            "│",
            "row {row} does not end at the border:\n{}",
            framed(&screen)
        );
        let g = p.cell(row as u16, gender_col);
        assert!(
            ["男", "女", ""].contains(&g.as_str()),
            "row {row}: {g:?} under 性别:\n{}",
            framed(&screen)
        );
        data_rows += 1;
    }
    assert!(data_rows >= 15, "{data_rows} rows:\n{}", framed(&screen));
}

#[test]
fn resizing_the_terminal_redraws_the_list_at_the_new_size() {
    let db = demo_db();
    let mut p = open_members(&db, &[], &[]);
    let width_of = |title_row: &str| text::width(title_row);
    assert!(
        p.rows()
            .iter()
            .any(|r| r.contains("党员名册") && width_of(r) == 80),
        "{}",
        framed(&p.screen_text())
    );
    p.resize(40, 120);
    must(p.wait_until("the list redrawn 120 wide", TIMEOUT, |s| {
        s.lines()
            .any(|r| r.contains("党员名册") && text::width(r) == 120)
    }));
    let rows = p.rows();
    assert_eq!(rows.len(), 40);
    let shown = rows.iter().filter(|r| r.contains("****")).count();
    assert!(
        shown > 20,
        "{shown} rows with phones at 40 lines:\n{}",
        rows.join("\n")
    );
    quit_cleanly(p, "q");
}

/// The number after `label` on the screen ("逾期 81" → 81).
fn count_after(screen: &str, label: &str) -> Option<usize> {
    let rest = &screen[screen.find(label)? + label.len()..];
    rest.trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .ok()
}

#[test]
fn overview_opens_first_and_a_talk_recorded_from_it_clears_the_row() {
    let db = demo_db();
    let mut p = Pty::spawn(&["--db", db.path_str()], &[]);
    must(p.wait_for("说明"));
    let screen = p.screen_text();
    assert!(screen.contains("总览"), "{}", framed(&screen));
    let overdue = count_after(&screen, "逾期")
        .unwrap_or_else(|| panic!("no overdue count:\n{}", framed(&screen)));

    // The first overdue annual talk on the page: move the selection to it.
    let rows = p.rows();
    let first = rows
        .iter()
        .position(|r| r.starts_with('│') && r.chars().nth(2).is_some_and(|c| c.is_ascii_digit()))
        .unwrap_or_else(|| panic!("no list rows:\n{}", framed(&screen)));
    let talk = rows
        .iter()
        .position(|r| r.contains("年度谈心") && r.starts_with('│'))
        .unwrap_or_else(|| {
            panic!(
                "no overdue annual talk on the first page:\n{}",
                framed(&screen)
            )
        });
    let who: Vec<&str> = rows[talk]
        .trim_matches(|c: char| c == '│' || c.is_whitespace())
        .split_whitespace()
        .take(2)
        .collect();
    for _ in first..talk {
        p.send_key(Key::Down);
    }
    // The line under the list explains the selected row.
    must(p.wait_until("the annual talk explained", TIMEOUT, |s| {
        s.lines()
            .any(|l| l.contains("说明") && l.contains("年度谈心"))
    }));

    // Enter opens the talk form filled with the member and today.
    p.send_key(Key::Enter);
    must(p.wait_for("登记谈心谈话"));
    let form = p.screen_text();
    for want in [who[0], who[1], common::pty::TODAY] {
        assert!(form.contains(want), "{want}:\n{}", framed(&form));
    }

    // Saved: the status line says so, the row is gone, the count is one less.
    p.send_key(Key::CtrlS);
    must(p.wait_for("已登记"));
    let after = p.screen_text();
    assert_eq!(
        count_after(&after, "逾期"),
        Some(overdue - 1),
        "{}",
        framed(&after)
    );
    assert!(
        !after
            .lines()
            .any(|l| l.contains(who[0]) && l.contains(who[1]) && l.contains("年度谈心")),
        "the recorded row is still listed:\n{}",
        framed(&after)
    );
    quit_cleanly(p, "q");
}

/// Item 5 of issue 7: after a popup closes, no border is left with gaps
/// (`── ─ ─ ─ ───`) where wide characters of the popup stood.
#[test]
fn borders_are_whole_after_popups_close() {
    let db = demo_db();
    let mut p = open_members(&db, &[], &[]);
    let gaps = |p: &Pty| {
        p.rows().into_iter().find(|r| {
            (r.contains('└') || r.contains('┌')) && (r.contains("─ ─") || r.contains("─  ─"))
        })
    };
    let steps: &[&[&str]] = &[
        &["?", "\x1b"],
        &["x", "\x1b"],
        &["n", "\x1b"],
        &["\r", "\x1b"],
        // Page names on the detail's border, a form over them, back to the list.
        &["\r", "\t", "\r", "\x1b"],
        &["\x1b"],
        &["1", "?", "\x1b"],
        &["\r", "\x1b"],
        &["s", "\x1b"],
        &["4", "n", "\x1b"],
        &["n", "1", "\x1b"],
        &["?", "\x1b"],
    ];
    for keys in steps {
        for k in *keys {
            p.send(k);
            std::thread::sleep(Duration::from_millis(300));
        }
        let screen = p.screen_text();
        assert!(gaps(&p).is_none(), "after {keys:?}:\n{}", framed(&screen));
    }
    quit_cleanly(p, "q");
}
