//! 更正 and 操作日志 through the keys: a talk, visit or event edited (its form
//! prefilled, saved over its version; a stale version refused) and voided with
//! a reason from the Talks & visits list and from the member's history; a
//! voided record stays, marked, and the Overview drops what it obliged; the
//! audit log for one record and as a whole, with filters.

mod common;
#[path = "ui_overview/fixture.rs"]
#[allow(unused_imports)]
mod fixture;

use fixture::*;
use guanhuai::db;
use guanhuai::db::visits_list::RecordType;
use guanhuai::domain::Lang;
use guanhuai::ui::app::{App, Popup, StatusKind};
use guanhuai::ui::screens::members::{MembersScreen, Section};
use guanhuai::ui::screens::overview::OverviewScreen;
use guanhuai::ui::screens::visits::VisitsScreen;
use ratatui::crossterm::event::KeyCode;

fn tab4(f: &Fixture) -> App {
    let mut app = app_on(f, Lang::Zh);
    app.handle(key(KeyCode::Char('4')));
    app
}

/// Moves the list's cursor to the record of `kind` of member `name`.
fn select(app: &mut App, kind: RecordType, name: &str) {
    let at = app
        .screen::<VisitsScreen>()
        .page()
        .iter()
        .position(|r| r.kind == kind && r.member_name == name)
        .expect("the record is listed");
    for _ in 0..at {
        app.handle(key(KeyCode::Down));
    }
    let r = app.screen::<VisitsScreen>().selected().unwrap();
    assert_eq!((r.kind, r.member_name.as_str()), (kind, name));
}

fn overdue(app: &App) -> Vec<String> {
    let o = app.screen::<OverviewScreen>();
    o.both_lists(app.conn())
        .unwrap()
        .into_iter()
        .map(|v| format!("{} {}", v.member_code, v.code))
        .collect()
}

/// The screen with the log's clock times and the OS user made fixed (the
/// log keeps the real clock and user, the snapshot must not depend on them).
fn redacted(app: &App) -> String {
    let user = db::audit::os_user();
    let pad = |s: &str| format!("{s:<10}");
    let name = format!(" {user} ");
    let text: String = text_of(app)
        .replace(&pad(&user), &pad("clerk"))
        .lines()
        .map(|line| {
            let Some(at) = line.find(&name) else {
                return format!("{line}\n");
            };
            // The name in running text: the padding after it keeps the border in place.
            let rest = &line[at + name.len()..];
            let gap = rest.find("  ").unwrap_or(rest.len());
            let (words, spaces) = rest.split_at(gap);
            let n = spaces.len() - spaces.trim_start().len();
            let n = (n + user.len()).saturating_sub(5).max(1);
            format!(
                "{} clerk {words}{}{}\n",
                &line[..at],
                " ".repeat(n),
                spaces.trim_start()
            )
        })
        .collect();
    let b = text.as_bytes();
    let shape = b"0000-00-00 00:00";
    let mut out = String::new();
    let mut i = 0;
    while i < text.len() {
        let time_at = |i: usize| {
            b.len() >= i + shape.len()
                && shape.iter().enumerate().all(|(k, &c)| {
                    let x = b[i + k];
                    if c == b'0' {
                        x.is_ascii_digit()
                    } else {
                        x == c
                    }
                })
        };
        if time_at(i) {
            // A date alone (2026-01-10) is data; a date with a time is the clock.
            out.push_str("YYYY-MM-DD hh:mm");
            i += shape.len();
            if b.get(i) == Some(&b':') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
                out.push_str(":ss");
                i += 3;
            }
            continue;
        }
        let ch = text[i..].chars().next().unwrap();
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

fn clear_field(app: &mut App) {
    app.handle(ctrl('e'));
    app.handle(ctrl('u'));
}

#[test]
fn an_event_is_edited_from_the_list_in_its_form() {
    let f = fixture();
    let mut app = tab4(&f);
    select(&mut app, RecordType::Event, "阿依古丽·买买提");
    app.handle(key(KeyCode::F(4)));
    let form = app.record_form().expect("the event form");
    assert_eq!(form.form.title, "修改情况：004 阿依古丽·买买提");
    assert_eq!(form.form.text_of("note"), "住院治疗");
    assert_eq!(form.form.text_of("date"), "2026-01-10");
    assert!(!app.popups()[0].is_changed(), "prefilled is not changed");
    insta::assert_snapshot!("event_edit_form", text_of(&app));
    press(&mut app, &[KeyCode::Tab, KeyCode::Tab]);
    assert_eq!(app.record_form().unwrap().form.focused_key(), "note");
    clear_field(&mut app);
    type_str(&mut app, "住院手术");
    app.handle(key(KeyCode::F(9)));
    assert!(app.popups().is_empty());
    let s = app.status().unwrap();
    assert_eq!(s.kind, StatusKind::Ok, "{s:?}");
    assert!(s.text.starts_with("已修改情况"), "{s:?}");
    let id = app.screen::<VisitsScreen>().selected().unwrap().id;
    let stored = db::corrections::get_event(app.conn(), id).unwrap().unwrap();
    assert_eq!(stored.record.note, "住院手术");
    assert_eq!(stored.version, 2);
    assert!(text_of(&app).contains("住院手术"));
}

#[test]
fn a_stale_edit_is_refused_with_the_conflict_message_and_keeps_the_input() {
    let f = fixture();
    let mut app = tab4(&f);
    select(&mut app, RecordType::Talk, "单田芳");
    app.handle(key(KeyCode::Char('e')));
    assert!(app.record_form().unwrap().editing().is_some());
    // Another clerk saves the same talk meanwhile.
    let id = app.screen::<VisitsScreen>().selected().unwrap().id;
    let mut other = db::open(&f.path).unwrap();
    let mut t = db::corrections::get_talk(&other, id).unwrap().unwrap();
    t.record.summary = "另一位的修改".into();
    db::corrections::update_talk(&mut other, &t.record, t.version, d(TODAY)).unwrap();
    type_str(&mut app, "王书记");
    app.handle(ctrl('s'));
    let form = app.record_form().expect("the form stays");
    assert!(form.form.text_of("conductor").ends_with("王书记"));
    let msg = app.status().unwrap().text.clone();
    assert!(msg.contains("另一位工作人员已修改"), "{msg}");
    insta::assert_snapshot!("talk_edit_conflict", text_of(&app));
}

#[test]
fn voiding_asks_a_reason_confirms_keeps_the_row_marked_and_the_overview_drops_its_work() {
    let f = fixture();
    let mut app = tab4(&f);
    assert!(overdue(&app).contains(&"005 event_talk:job_change".to_string()));
    select(&mut app, RecordType::Event, "𠮷祥");
    app.handle(key(KeyCode::Delete));
    assert!(text_of(&app).contains("作废原因"));
    // The reason is required.
    app.handle(key(KeyCode::Enter));
    assert_eq!(app.status().unwrap().kind, StatusKind::Error);
    assert!(text_of(&app).contains("必填"));
    type_str(&mut app, "不是本人");
    app.handle(key(KeyCode::Enter));
    let text = text_of(&app);
    insta::assert_snapshot!("void_confirm", text);
    assert!(text.contains("确认作废"), "{text}");
    assert!(matches!(app.popups().last(), Some(Popup::Confirm { .. })));
    app.handle(key(KeyCode::Enter));
    assert!(app.popups().is_empty());
    assert_eq!(app.status().unwrap().kind, StatusKind::Ok);
    // Kept in the list, marked, with the reason in the detail.
    let r = app.screen::<VisitsScreen>().selected().unwrap().clone();
    assert_eq!(r.member_name, "𠮷祥");
    assert_eq!(r.voided_on, Some(d(TODAY)));
    let text = text_of(&app);
    insta::assert_snapshot!("voided_in_the_list", text);
    assert!(text.contains("〔已作废〕调任新岗位"), "{text}");
    assert!(text.contains("〔已作废 2026-01-15：不是本人〕"), "{text}");
    // It obliges nothing any more.
    assert!(!overdue(&app).contains(&"005 event_talk:job_change".to_string()));
    // A voided record is neither edited nor voided again.
    app.handle(key(KeyCode::F(4)));
    assert!(app.popups().is_empty());
    assert!(app.status().unwrap().text.contains("已作废"));
    app.handle(key(KeyCode::Delete));
    assert!(app.popups().is_empty());
    assert!(app.status().unwrap().text.contains("已作废"));
}

/// Members tab, 单田芳's history page.
fn history_of_stf(f: &Fixture) -> App {
    let mut app = app_on(f, Lang::Zh);
    app.handle(key(KeyCode::Char('2')));
    app.handle(key(KeyCode::F(3)));
    type_str(&mut app, "003");
    app.handle(key(KeyCode::Enter));
    if matches!(
        app.screen::<MembersScreen>().view(),
        guanhuai::ui::screens::members::View::List
    ) {
        app.handle(key(KeyCode::Enter));
    }
    press(&mut app, &[KeyCode::Tab, KeyCode::Tab]);
    assert_eq!(
        app.screen::<MembersScreen>().care().section,
        Section::History
    );
    app
}

#[test]
fn the_members_history_edits_and_voids_its_records() {
    let f = fixture();
    let mut app = history_of_stf(&f);
    // Newest first: the home visit of 2026-01-05.
    app.handle(key(KeyCode::F(4)));
    let form = app.record_form().expect("the visit form");
    assert_eq!(form.form.text_of("notes"), "送去慰问品");
    app.handle(key(KeyCode::Esc));
    assert!(app.popups().is_empty());
    app.handle(key(KeyCode::Delete));
    type_str(&mut app, "重复录入");
    press(&mut app, &[KeyCode::Enter, KeyCode::Enter]);
    assert_eq!(app.status().unwrap().kind, StatusKind::Ok);
    let care = app.screen::<MembersScreen>().care();
    assert_eq!(care.history.len(), 3, "the voided visit stays");
    assert_eq!(care.voids[0].as_ref().unwrap().reason, "重复录入");
    let text = text_of(&app);
    insta::assert_snapshot!("history_voided", text);
    assert!(text.contains("〔已作废〕送去慰问品"), "{text}");
    assert!(text.contains("〔已作废 2026-01-15：重复录入〕"), "{text}");
    // The help lists the keys, also the non-letter ones.
    app.handle(key(KeyCode::F(1)));
    let help = text_of(&app);
    for k in ["e F4", "Del", "F7"] {
        assert!(help.contains(k), "{k}:\n{help}");
    }
}

#[test]
fn the_log_of_one_record_shows_what_changed() {
    let f = fixture();
    let mut app = tab4(&f);
    select(&mut app, RecordType::Event, "阿依古丽·买买提");
    app.handle(key(KeyCode::F(4)));
    press(&mut app, &[KeyCode::Tab, KeyCode::Tab]);
    clear_field(&mut app);
    type_str(
        &mut app,
        "住院手术，需要长期陪护照顾，家属请求支部帮助联系医院",
    );
    app.handle(key(KeyCode::F(9)));
    app.handle(key(KeyCode::F(7)));
    let Some(Popup::Log(log)) = app.popups().last() else {
        panic!("the log popup");
    };
    assert_eq!(log.entries().len(), 2, "the insert and the edit");
    assert_eq!(log.entries()[0].action, "form: event edit");
    let text = text_of(&app);
    insta::assert_snapshot!("record_log", redacted(&app));
    assert!(text.contains("表 情况 #"), "{text}");
    assert!(text.contains("说明：住院治疗 → 住院手术"), "{text}");
    app.handle(key(KeyCode::Esc));
    assert!(app.popups().is_empty());
}

#[test]
fn the_whole_log_from_any_screen_filters_by_table_user_and_period() {
    let f = fixture();
    let mut app = app_on(&f, Lang::Zh);
    app.handle(key(KeyCode::F(12)));
    let total = |app: &App| match app.popups().last() {
        Some(Popup::Log(l)) => l.total(),
        _ => panic!("the log popup"),
    };
    let all = total(&app);
    assert!(all > 10, "{all}");
    insta::assert_snapshot!("whole_log", redacted(&app));
    // F5: members only (6 inserted).
    app.handle(key(KeyCode::F(5)));
    assert_eq!(total(&app), 6);
    assert!(text_of(&app).contains("表 党员"));
    // F6: the one user there is.
    app.handle(key(KeyCode::F(6)));
    assert_eq!(total(&app), 6);
    // F7: today only — the fixture was written on the real day, not TODAY.
    app.handle(key(KeyCode::F(7)));
    assert!(text_of(&app).contains("期间 今天"));
    // Paging: ↓ past the page reads the next one.
    app.handle(key(KeyCode::F(7)));
    press(&mut app, &[KeyCode::F(7), KeyCode::F(7), KeyCode::F(7)]);
    // round the 26 tables back to all of them
    press(&mut app, &[KeyCode::F(5); 26]);
    assert_eq!(total(&app), all);
    press(&mut app, &[KeyCode::Down; 8]);
    assert!(text_of(&app).contains("第 2/"), "{}", text_of(&app));
    app.handle(key(KeyCode::F(12)));
    assert!(app.popups().is_empty());
}

#[test]
fn the_member_detail_opens_its_log() {
    let f = fixture();
    let mut app = history_of_stf(&f);
    app.handle(key(KeyCode::Tab)); // back to 基本信息
    app.handle(key(KeyCode::F(7)));
    let Some(Popup::Log(log)) = app.popups().last() else {
        panic!("the log popup");
    };
    assert_eq!(log.entries().len(), 1);
    assert_eq!(log.entries()[0].table, "members");
    assert!(text_of(&app).contains("表 党员 #3"));
}

#[test]
fn the_log_draws_ascii_arrows_with_ascii() {
    let f = fixture();
    {
        let mut conn = db::open(&f.path).unwrap();
        let mut t = db::corrections::get_talk(&conn, 1).unwrap().unwrap();
        t.record.summary = "谈退休后的生活".into();
        db::corrections::update_talk(&mut conn, &t.record, t.version, d(TODAY)).unwrap();
    }
    let cfg = guanhuai::ui::app::Config {
        ascii: true,
        ..config(Lang::Zh)
    };
    let mut app = App::new(db::open(&f.path).unwrap(), cfg).unwrap();
    app.handle(key(KeyCode::F(12)));
    let text = text_of(&app);
    assert!(
        text.contains("内容摘要：了解退休生活 -> 谈退休后的生活"),
        "{text}"
    );
    assert!(!text.contains('→'), "{text}");
}

#[test]
fn the_members_history_pages_like_every_list() {
    let f = fixture();
    {
        let conn = db::open(&f.path).unwrap();
        let stf = db::members::id_by_code(&conn, "003").unwrap().unwrap();
        for day in 1..=20 {
            let t = guanhuai::domain::records::Talk {
                id: 0,
                member_id: stf,
                date: d(&format!("2025-11-{day:02}")),
                conductor: "李书记".into(),
                form: guanhuai::domain::vocab::TalkForm::FaceToFace,
                summary: format!("谈话{day:02}"),
                problems: String::new(),
                follow_up: false,
                follow_up_note: String::new(),
            };
            db::records::insert_talk(&conn, &t).unwrap();
        }
    }
    let mut app = history_of_stf(&f);
    let cursor = |app: &App| app.screen::<MembersScreen>().care().cursor;
    assert_eq!(app.screen::<MembersScreen>().care().history.len(), 23);
    // 16 rows a page at 80x24; the page on the bottom border, beside the page names.
    let text = text_of(&app);
    assert!(text.contains("第 1/2 页 ─  基本信息"), "{text}");
    assert!(!text.contains("2024-12-01"), "{text}");
    // ↓ past the page shows the next one, its selected record in full under it.
    press(&mut app, &[KeyCode::Down; 16]);
    assert_eq!(cursor(&app), 16);
    let text = text_of(&app);
    assert!(text.contains("第 2/2 页"), "{text}");
    assert!(text.contains("2024-12-01"), "{text}");
    assert!(!text.contains("2026-01-05"), "{text}");
    assert!(text.contains("谈话 · 面对面 · 李书记：谈话06"), "{text}");
    // e/F4 edits the record selected on that page.
    app.handle(key(KeyCode::F(4)));
    let form = app.record_form().expect("the talk form");
    assert_eq!(form.form.text_of("summary"), "谈话06");
    app.handle(key(KeyCode::Esc));
    // The cursor stops at the last record and ↑ goes back a page; Home and
    // End are not keys of the page, PgUp/PgDn step to another member.
    press(&mut app, &[KeyCode::Down; 10]);
    assert_eq!(cursor(&app), 22);
    press(&mut app, &[KeyCode::Home, KeyCode::End]);
    assert_eq!(cursor(&app), 22);
    press(&mut app, &[KeyCode::Up; 7]);
    assert_eq!(cursor(&app), 15);
    assert!(text_of(&app).contains("第 1/2 页"));
}
