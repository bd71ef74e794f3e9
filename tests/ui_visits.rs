//! The talks & visits screen (谈心走访, tab 4): the records list and its
//! filters, new talk / visit / event forms with the member picked by typing,
//! campaigns with their not-visited lists, and the new-campaign form.

mod common;
#[path = "ui_overview/fixture.rs"]
mod fixture;

use fixture::*;
use guanhuai::db::visits_list::RecordType;
use guanhuai::domain::Lang;
use guanhuai::domain::vocab::{Coded, VisitKind};
use guanhuai::ui::app::{App, StatusKind, Tab};
use guanhuai::ui::popups::record_forms::RecordKind;
use guanhuai::ui::screens::overview::OverviewScreen;
use guanhuai::ui::screens::visits::Mode;
use guanhuai::ui::screens::visits::VisitsScreen;
use ratatui::crossterm::event::KeyCode;

fn tab4(f: &Fixture, lang: Lang) -> App {
    let mut app = app_on(f, lang);
    app.handle(key(KeyCode::Char('4')));
    assert_eq!(app.tab(), Tab::Visits);
    app
}

/// (date, type, member name) of the rows on the page.
fn listed(app: &App) -> Vec<(String, RecordType, String)> {
    app.screen::<VisitsScreen>()
        .page()
        .iter()
        .map(|r| (r.date.to_string(), r.kind, r.member_name.clone()))
        .collect()
}

fn overdue_codes(app: &App) -> Vec<String> {
    let o = app.screen::<OverviewScreen>();
    o.both_lists(app.conn())
        .unwrap()
        .into_iter()
        .map(|v| format!("{} {}", v.name, v.code))
        .collect()
}

#[test]
fn records_newest_first_with_type_period_and_member_filters() {
    let f = fixture();
    let mut app = tab4(&f, Lang::Zh);
    let rows = listed(&app);
    assert_eq!(rows.len(), 8);
    assert_eq!(
        rows[..3],
        [
            (
                "2026-01-10".into(),
                RecordType::Event,
                "阿依古丽·买买提".into()
            ),
            ("2026-01-05".into(), RecordType::Visit, "单田芳".into()),
            ("2025-12-01".into(), RecordType::Talk, "单田芳".into()),
        ]
    );
    let text = text_of(&app);
    insta::assert_snapshot!("visits_list_zh", text);
    assert!(text.contains("阿依古丽·买买提（004） · 情况 · 生病住院：住院治疗"));

    // F5: talks only, then visits only.
    app.handle(key(KeyCode::F(5)));
    assert!(listed(&app).iter().all(|r| r.1 == RecordType::Talk));
    assert_eq!(listed(&app).len(), 4);
    app.handle(key(KeyCode::Char('t')));
    assert!(listed(&app).iter().all(|r| r.1 == RecordType::Visit));
    // F6: this month (2026-01-01 .. today).
    app.handle(key(KeyCode::F(6)));
    assert_eq!(
        listed(&app),
        [("2026-01-05".into(), RecordType::Visit, "单田芳".into())]
    );
    // Esc clears every filter.
    app.handle(key(KeyCode::Esc));
    assert_eq!(listed(&app).len(), 8);
    // `/`: by member, with pinyin initials (单 reads shàn as a surname).
    app.handle(key(KeyCode::Char('/')));
    assert!(app.screen::<VisitsScreen>().text_focus());
    type_str(&mut app, "stf"); // digits and letters are typed, not keys
    assert!(listed(&app).iter().all(|r| r.2 == "单田芳"));
    assert_eq!(listed(&app).len(), 3);
    let mut t = draw(&app);
    // "党员 " is 5 cells, then 3 typed.
    t.backend_mut().assert_cursor_position((8, 1));
    app.handle(key(KeyCode::Enter));
    assert!(!app.screen::<VisitsScreen>().text_focus());
    // `c`/F8: the campaign's window, visits only.
    app.handle(key(KeyCode::Esc));
    app.handle(key(KeyCode::F(8)));
    assert_eq!(
        listed(&app),
        [("2026-01-05".into(), RecordType::Visit, "单田芳".into())]
    );
    assert!(text_of(&app).contains("活动 2026年元旦走访"));
}

#[test]
fn pages_by_keyset() {
    let f = fixture();
    // Many more talks than a page holds.
    {
        let conn = guanhuai::db::open(&f.path).unwrap();
        let conn = &conn;
        for i in 0..40 {
            let day = d("2025-01-01") + chrono::Duration::days(i);
            guanhuai::db::records::insert_talk(
                conn,
                &guanhuai::domain::records::Talk {
                    id: 0,
                    member_id: 5,
                    date: day,
                    conductor: String::new(),
                    form: guanhuai::domain::vocab::TalkForm::Phone,
                    summary: format!("第{i}次"),
                    problems: String::new(),
                    follow_up: false,
                    follow_up_note: String::new(),
                },
            )
            .unwrap();
        }
    }
    let mut app = tab4(&f, Lang::Zh);
    let per = app.screen::<VisitsScreen>().page().len();
    let first = listed(&app);
    app.handle(key(KeyCode::PageDown));
    let second = listed(&app);
    assert_eq!(second.len(), per);
    assert!(second[0].0 <= first[per - 1].0, "{first:?}\n{second:?}");
    assert!(!second.contains(&first[per - 1]));
    assert!(text_of(&app).contains("第 2 页"));
    // Down past the last row reads the next page; PageUp goes back.
    app.handle(key(KeyCode::PageDown));
    app.handle(key(KeyCode::PageDown));
    app.handle(key(KeyCode::PageUp));
    app.handle(key(KeyCode::PageUp));
    app.handle(key(KeyCode::PageUp));
    assert_eq!(listed(&app), first);
}

#[test]
fn new_visit_from_tab_4_picks_the_member_by_typing() {
    let f = fixture();
    let mut app = tab4(&f, Lang::Zh);
    // n (or F2 / Insert) offers talk, visit, event, campaign; 2 picks a visit.
    app.handle(key(KeyCode::Insert));
    app.handle(key(KeyCode::Char('2')));
    let form = app.record_form().expect("a visit form");
    assert_eq!(form.kind, RecordKind::Visit);
    assert_eq!(form.form.focused_key(), "member");
    assert_eq!(form.form.text_of("date"), TODAY);
    // Saving with no member is refused; focus stays on the member.
    app.handle(ctrl('s'));
    let form = app.record_form().unwrap();
    assert_eq!(form.form.error_of("member"), Some("必填"));
    assert_eq!(form.form.focused_key(), "member");
    // Typing 张 lists the candidates under the field; the cursor stays in it.
    type_str(&mut app, "张");
    assert_eq!(app.record_form().unwrap().candidates().len(), 1);
    let mut t = draw(&app);
    let text = screen(t.backend().buffer());
    insta::assert_snapshot!("visit_form_candidates", text);
    assert!(text.contains("001 张三"));
    // Border, space, label column (`走访方式` + 2 = 10), space, 张 (2 cells).
    t.backend_mut()
        .assert_cursor_position((1 + 1 + 10 + 1 + 2, 2));
    // Enter takes the candidate and moves on.
    app.handle(key(KeyCode::Enter));
    let form = app.record_form().unwrap();
    assert_eq!(form.member().unwrap().name, "张三");
    assert_eq!(form.form.text_of("member"), "001 张三");
    assert_eq!(form.form.focused_key(), "date");
    // A date in the future is refused beside the field.
    press(&mut app, &[KeyCode::Backspace; 2]);
    type_str(&mut app, "20");
    assert_eq!(
        app.record_form().unwrap().form.error_of("date"),
        Some("不能晚于今天")
    );
    press(&mut app, &[KeyCode::Backspace; 2]);
    type_str(&mut app, "15");
    assert_eq!(app.record_form().unwrap().form.error_of("date"), None);
    // The kind: → 医院探望, ← back to 家访.
    app.handle(key(KeyCode::Tab));
    press(&mut app, &[KeyCode::Right, KeyCode::Left]);
    assert_eq!(
        VisitKind::ALL[app.record_form().unwrap().form.choice_of("kind")],
        VisitKind::Home
    );
    app.handle(key(KeyCode::Tab));
    type_str(&mut app, "王委员");
    app.handle(key(KeyCode::F(9)));
    assert!(app.record_form().is_none());
    assert_eq!(app.status().unwrap().kind, StatusKind::Ok);
    // At the top of the list, and the campaign visit of 张三 is no longer due.
    assert_eq!(
        listed(&app)[0],
        (TODAY.into(), RecordType::Visit, "张三".into())
    );
    assert!(
        !overdue_codes(&app)
            .iter()
            .any(|c| c.starts_with("张三 campaign:"))
    );
}

#[test]
fn member_found_by_exact_code_and_talk_and_event_forms() {
    let f = fixture();
    let mut app = tab4(&f, Lang::Zh);
    app.handle(key(KeyCode::Char('n')));
    app.handle(key(KeyCode::Char('3'))); // 情况
    type_str(&mut app, "005");
    let form = app.record_form().unwrap();
    assert_eq!(form.kind, RecordKind::Event);
    assert_eq!(form.member().unwrap().name, "𠮷祥");
    // Nobody matches: said beside the field.
    press(&mut app, &[KeyCode::Backspace; 3]);
    type_str(&mut app, "xyz");
    assert_eq!(
        app.record_form().unwrap().form.error_of("member"),
        Some("没有这位在册党员")
    );
    press(&mut app, &[KeyCode::Backspace; 3]);
    type_str(&mut app, "005");
    press(&mut app, &[KeyCode::Tab, KeyCode::Tab]);
    type_str(&mut app, "ii"); // ideology, then illness: 生病住院
    app.handle(ctrl('s'));
    assert_eq!(
        app.status().unwrap().kind,
        StatusKind::Ok,
        "{:?}",
        app.status()
    );
    // The event creates a must-visit, due soon.
    assert!(overdue_codes(&app).contains(&"𠮷祥 event_visit:illness".to_string()));
}

#[test]
fn campaign_not_visited_list_and_prefilled_visit() {
    let f = fixture();
    // The list shows the phone the clerk calls to arrange the visit.
    rusqlite::Connection::open(&f.path)
        .unwrap()
        .execute(
            "UPDATE members SET phone = '13912345678' WHERE code = '001'",
            [],
        )
        .unwrap();
    let mut app = tab4(&f, Lang::Zh);
    app.handle(key(KeyCode::Tab));
    assert_eq!(app.screen::<VisitsScreen>().mode(), Mode::Campaigns);
    let text = text_of(&app);
    insta::assert_snapshot!("campaigns_zh", text);
    assert!(text.contains("1/2（50%）"), "{text}");
    app.handle(key(KeyCode::Enter));
    assert_eq!(app.screen::<VisitsScreen>().mode(), Mode::Standing);
    let s = app.screen::<VisitsScreen>().standing().unwrap();
    assert_eq!((s.targeted, s.visited), (2, 1));
    let names: Vec<&str> = s.not_visited.iter().map(|m| m.name).collect();
    assert_eq!(names, ["张三"]);
    let text = text_of(&app);
    insta::assert_snapshot!("campaign_not_visited", text);
    assert!(
        text.contains("│ 001        张三                 13912345678"),
        "{text}"
    );
    // Enter: a holiday visit for 张三 today, with the campaign as the reason.
    app.handle(key(KeyCode::Enter));
    let form = app.record_form().unwrap();
    assert_eq!(form.form.text_of("member"), "001 张三");
    assert_eq!(
        VisitKind::ALL[form.form.choice_of("kind")],
        VisitKind::Holiday
    );
    assert_eq!(form.form.text_of("notes"), "活动：2026年元旦走访");
    app.handle(ctrl('s'));
    let s = app.screen::<VisitsScreen>().standing().unwrap();
    assert!(s.not_visited.is_empty());
    assert_eq!(s.visited, 2);
    assert!(text_of(&app).contains("对象都已走访"));
    app.handle(key(KeyCode::Esc));
    assert_eq!(app.screen::<VisitsScreen>().mode(), Mode::Campaigns);
    app.handle(key(KeyCode::Esc));
    assert_eq!(app.screen::<VisitsScreen>().mode(), Mode::Records);
}

#[test]
fn new_campaign_proposes_a_window_and_refuses_a_bad_one() {
    let f = fixture();
    let mut app = tab4(&f, Lang::Zh);
    app.handle(key(KeyCode::Tab));
    app.handle(key(KeyCode::F(2)));
    let form = &app.record_form().unwrap().form;
    // On 2026-01-15 the next window to end is 春节 (new year 2026-02-17).
    assert_eq!(form.text_of("name"), "2026年春节走访慰问");
    assert_eq!(form.text_of("from"), "2026-02-03");
    assert_eq!(form.text_of("to"), "2026-02-16");
    let text = text_of(&app);
    insta::assert_snapshot!("campaign_form", text);
    // The 七一 proposal.
    app.handle(key(KeyCode::BackTab));
    app.handle(key(KeyCode::Left));
    let form = &app.record_form().unwrap().form;
    assert_eq!(form.text_of("name"), "2026年七一走访慰问");
    assert_eq!(form.text_of("from"), "2026-06-15");
    assert_eq!(form.text_of("to"), "2026-07-01");
    // A window that ends before it starts, and no target group: refused.
    press(&mut app, &[KeyCode::Tab, KeyCode::Tab, KeyCode::Tab]);
    press(&mut app, &[KeyCode::Backspace; 2]);
    type_str(&mut app, "10");
    press(&mut app, &[KeyCode::Backspace; 5]);
    type_str(&mut app, "06-10");
    let form = &app.record_form().unwrap().form;
    assert_eq!(form.text_of("to"), "2026-06-10");
    assert_eq!(form.error_of("to"), Some("结束日期早于开始日期"));
    app.handle(key(KeyCode::Tab));
    app.handle(key(KeyCode::Char(' '))); // 全体党员 on
    app.handle(key(KeyCode::Char(' '))); // and off
    app.handle(key(KeyCode::Right));
    app.handle(key(KeyCode::Char(' '))); // 老党员 off
    app.handle(key(KeyCode::Right));
    app.handle(key(KeyCode::Char(' '))); // 困难党员 off
    let form = &app.record_form().unwrap().form;
    assert_eq!(form.error_of("targets"), Some("至少选一个走访对象"));
    app.handle(ctrl('s'));
    let form = &app.record_form().unwrap().form;
    assert_eq!(
        form.focused_key(),
        "to",
        "focus jumps to the first bad field"
    );
    assert_eq!(
        app.screen::<VisitsScreen>().campaigns().len(),
        1,
        "nothing saved"
    );
    // Fixed: saved, listed.
    press(&mut app, &[KeyCode::Backspace; 2]);
    type_str(&mut app, "30");
    app.handle(key(KeyCode::Tab));
    app.handle(key(KeyCode::Char(' ')));
    app.handle(key(KeyCode::F(9)));
    assert!(app.record_form().is_none(), "{:?}", app.status());
    assert_eq!(app.screen::<VisitsScreen>().campaigns().len(), 2);
    assert!(text_of(&app).contains("2026年七一走访慰问"));
}

#[test]
fn talks_and_visits_in_english() {
    let f = fixture();
    let mut app = tab4(&f, Lang::En);
    let text = text_of(&app);
    insta::assert_snapshot!("visits_list_en", text);
    assert!(text.contains("Illness"));
    app.handle(key(KeyCode::Char('n')));
    app.handle(key(KeyCode::Char('1')));
    assert!(text_of(&app).contains("Record a talk"));
}
