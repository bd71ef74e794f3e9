//! The Overview (总览), the member's obligations and the settings, drawn into
//! a `TestBackend` at 80x24 on a hand-made branch with known overdue work;
//! keys fed through `App::handle` as the terminal delivers them.

mod common;
#[path = "ui_overview/fixture.rs"]
mod fixture;

use fixture::*;
use guanhuai::domain::Lang;
use guanhuai::domain::vocab::{Coded, VisitKind};
use guanhuai::ui::app::{App, Popup, StatusKind, Tab};
use guanhuai::ui::popups::record_forms::RecordKind;
use guanhuai::ui::screens::members::MembersScreen;
use guanhuai::ui::screens::members::Section;
use guanhuai::ui::screens::overview::List;
use guanhuai::ui::screens::overview::OverviewScreen;
use ratatui::crossterm::event::KeyCode;

/// (member name, obligation code, days overdue) of the list shown.
fn rows(app: &App) -> Vec<(String, String, i64)> {
    let o = app.screen::<OverviewScreen>();
    o.all_items(app.conn())
        .unwrap()
        .into_iter()
        .map(|v| (v.name, v.code, v.days_overdue))
        .collect()
}

#[test]
fn opens_on_the_overview_with_both_lists_counts_and_campaigns() {
    let f = fixture();
    let mut app = app_on(&f, Lang::Zh);
    assert_eq!(app.tab(), Tab::Overview);
    assert_eq!(
        rows(&app),
        [
            ("张三".into(), "annual_talk".into(), 228),
            ("李四".into(), "mobile_contact".into(), 138),
            ("单田芳".into(), "honorary_health_check".into(), 45),
            ("𠮷祥".into(), "event_talk:job_change".into(), 30),
        ]
    );
    let text = text_of(&app);
    insta::assert_snapshot!("overview_zh", text);
    assert!(text.contains("逾期 4"), "{text}");
    assert!(text.contains("2026年元旦走访 01-01~01-20 已访 1/2（50%）"));
    // The explanation of the selected row.
    assert!(
        app.screen::<OverviewScreen>()
            .explanation()
            .starts_with("年度谈心：入册 2020-01-01，上次谈话 2024-06-01"),
        "{}",
        app.screen::<OverviewScreen>().explanation()
    );

    // Tab shows the due-soon list, with days left.
    app.handle(key(KeyCode::Tab));
    assert_eq!(app.screen::<OverviewScreen>().list(), List::Soon);
    assert_eq!(
        rows(&app),
        [
            ("阿依古丽·买买提".into(), "event_visit:illness".into(), -2),
            ("李四".into(), "annual_talk".into(), -5),
            ("张三".into(), "campaign:2026年元旦走访".into(), -5),
        ]
    );
    let text = text_of(&app);
    assert!(text.contains("剩余天数"), "{text}");
    assert!(text.contains("必访：生病住院"));
    app.handle(key(KeyCode::Left));
    assert_eq!(app.screen::<OverviewScreen>().list(), List::Overdue);
}

#[test]
fn overview_in_english() {
    let f = fixture();
    let app = app_on(&f, Lang::En);
    let text = text_of(&app);
    insta::assert_snapshot!("overview_en", text);
    assert!(text.contains("Annual talk"));
    assert!(text.contains("Overdue 4"));
}

#[test]
fn enter_opens_a_filled_talk_form_and_saving_removes_the_row() {
    let f = fixture();
    let mut app = app_on(&f, Lang::Zh);
    let before = app
        .screen::<OverviewScreen>()
        .listing()
        .unwrap()
        .len(guanhuai::db::obligations::listing::Part::Overdue);
    // The first row: 张三's annual talk.
    app.handle(key(KeyCode::Enter));
    let form = app.record_form().expect("a talk form");
    assert_eq!(form.kind, RecordKind::Talk);
    assert_eq!(form.member().unwrap().code, "001");
    assert_eq!(form.form.text_of("member"), "001 张三");
    assert_eq!(form.form.text_of("date"), TODAY);
    assert_eq!(form.form.text_of("summary"), "年度谈心");
    assert!(!form.form.is_changed());
    // The cursor sits in the focused field (谈话人), typed Chinese moves it.
    type_str(&mut app, "李书记");
    let mut t = draw(&app);
    let text = screen(t.backend().buffer());
    assert!(text.contains("登记谈心谈话"), "{text}");
    // Border, space, label column (`跟进事项` + 2 = 10), space, then 6 cells typed.
    t.backend_mut()
        .assert_cursor_position((1 + 1 + 10 + 1 + 6, 5));

    app.handle(ctrl('s'));
    assert!(app.record_form().is_none(), "the form closed");
    let st = app.status().unwrap();
    assert_eq!(st.kind, StatusKind::Ok, "{}", st.text);
    assert!(st.text.contains("张三"), "{}", st.text);
    assert_eq!(
        app.screen::<OverviewScreen>()
            .listing()
            .unwrap()
            .len(guanhuai::db::obligations::listing::Part::Overdue),
        before - 1
    );
    assert!(
        !rows(&app)
            .iter()
            .any(|(n, c, _)| n == "张三" && c == "annual_talk")
    );
    let text = text_of(&app);
    assert!(text.contains("逾期 3"), "{text}");
}

#[test]
fn each_obligation_opens_the_matching_visit_kind() {
    let f = fixture();
    let mut app = app_on(&f, Lang::Zh);
    let kind_of = |app: &App| {
        let f = app.record_form().unwrap();
        assert_eq!(f.kind, RecordKind::Visit);
        VisitKind::ALL[f.form.choice_of("kind")]
    };
    // 李四: mobile contact → a phone call.
    press(&mut app, &[KeyCode::Down, KeyCode::Enter]);
    assert_eq!(kind_of(&app), VisitKind::Phone);
    assert_eq!(
        app.record_form().unwrap().form.text_of("notes"),
        "流动党员联系"
    );
    app.handle(key(KeyCode::Esc)); // unchanged: closes at once
    assert!(app.popups().is_empty());
    // 单田芳: the honorary health check → 体检.
    press(&mut app, &[KeyCode::Down, KeyCode::Enter]);
    assert_eq!(kind_of(&app), VisitKind::HealthCheck);
    let text = text_of(&app);
    insta::assert_snapshot!("visit_form_health_check", text);
    // Saving it discharges the health check.
    app.handle(key(KeyCode::F(9)));
    assert!(
        !rows(&app)
            .iter()
            .any(|(_, c, _)| c == "honorary_health_check")
    );
    // Due soon: the campaign → 节日慰问, the illness → 医院探望.
    app.handle(key(KeyCode::Tab));
    press(&mut app, &[KeyCode::Enter]);
    assert_eq!(kind_of(&app), VisitKind::Hospital);
    app.handle(key(KeyCode::Esc));
    press(&mut app, &[KeyCode::End, KeyCode::Enter]);
    assert_eq!(kind_of(&app), VisitKind::Holiday);
    app.handle(key(KeyCode::F(9)));
    assert!(
        !rows(&app)
            .iter()
            .any(|(_, c, _)| c.starts_with("campaign:"))
    );
    assert!(text_of(&app).contains("已访 2/2（100%）"));
}

#[test]
fn esc_on_a_changed_form_asks_first() {
    let f = fixture();
    let mut app = app_on(&f, Lang::Zh);
    app.handle(key(KeyCode::Enter));
    type_str(&mut app, "王");
    app.handle(key(KeyCode::Esc));
    assert!(matches!(app.popups().last(), Some(Popup::Confirm { .. })));
    app.handle(key(KeyCode::Esc)); // no: back to the form
    assert!(app.record_form().is_some());
    app.handle(key(KeyCode::Esc));
    app.handle(key(KeyCode::Enter)); // yes: discard
    assert!(app.popups().is_empty());
    assert_eq!(rows(&app).len(), 4, "nothing saved");
}

#[test]
fn settings_edit_changes_a_due_date_and_refuses_out_of_range() {
    let f = fixture();
    let mut app = app_on(&f, Lang::Zh);
    app.handle(key(KeyCode::F(7)));
    assert!(app.settings_form().is_some());
    let text = text_of(&app);
    assert!(text.contains("年度谈心间隔"), "{text}");
    // The fourth field: 年度谈心间隔 365 → 99999 is out of range.
    press(&mut app, &[KeyCode::Down, KeyCode::Down, KeyCode::Down]);
    assert_eq!(
        app.settings_form().unwrap().form.focused_key(),
        "annual_talk_days"
    );
    press(&mut app, &[KeyCode::Backspace; 3]);
    type_str(&mut app, "99999");
    let form = &app.settings_form().unwrap().form;
    assert_eq!(form.error_of("annual_talk_days"), Some("应在 1–3650 之间"));
    // A failed save keeps the form, focus on the bad field.
    press(&mut app, &[KeyCode::Down, KeyCode::Down]);
    app.handle(ctrl('s'));
    let form = &app.settings_form().unwrap().form;
    assert_eq!(form.focused_key(), "annual_talk_days");
    assert_eq!(app.status().unwrap().kind, StatusKind::Error);

    // 200 days: 李四's annual talk (registered 2025-01-20) is now overdue.
    press(&mut app, &[KeyCode::Backspace; 5]);
    type_str(&mut app, "200");
    app.handle(key(KeyCode::F(9)));
    assert!(app.settings_form().is_none());
    assert_eq!(app.env().settings.annual_talk_days, 200);
    assert_eq!(
        guanhuai::db::settings::load(app.conn())
            .unwrap()
            .annual_talk_days,
        200
    );
    let r = rows(&app);
    assert!(
        r.contains(&("李四".into(), "annual_talk".into(), 160)),
        "{r:?}"
    );
    // 张三: talk 2024-06-01 + 200 days = 2024-12-18.
    assert!(
        r.contains(&("张三".into(), "annual_talk".into(), 393)),
        "{r:?}"
    );
}

#[test]
fn member_detail_shows_obligations_and_history() {
    let f = fixture();
    let mut app = app_on(&f, Lang::Zh);
    app.handle(key(KeyCode::Char('2')));
    app.handle(key(KeyCode::Char('/')));
    type_str(&mut app, "stf");
    // One member left: Enter opens it.
    press(&mut app, &[KeyCode::Enter]);
    let text = text_of(&app);
    assert!(text.contains("基本信息"), "{text}");
    app.handle(key(KeyCode::Tab));
    assert_eq!(
        app.screen::<MembersScreen>().care().section,
        Section::Obligations
    );
    let text = text_of(&app);
    insta::assert_snapshot!("member_obligations", text);
    assert!(text.contains("荣誉党员体检"));
    assert!(text.contains("逾期 45"));
    assert!(text.contains("活动：2026年元旦走访"));
    // The explanation of the selected (first) obligation under the list.
    assert!(text.contains("荣誉党员批准 2010-07-01"), "{text}");
    // Enter records it: a health-check visit, then the state changes.
    app.handle(key(KeyCode::Enter));
    assert_eq!(
        VisitKind::ALL[app.record_form().unwrap().form.choice_of("kind")],
        VisitKind::HealthCheck
    );
    app.handle(ctrl('s'));
    let care = app.screen::<MembersScreen>().care();
    assert!(
        care.obligations
            .iter()
            .all(|o| o.state != guanhuai::domain::rules::State::Overdue)
    );
    // The history, newest first: the visit just saved.
    app.handle(key(KeyCode::Tab));
    assert_eq!(
        app.screen::<MembersScreen>().care().section,
        Section::History
    );
    let text = text_of(&app);
    insta::assert_snapshot!("member_history", text);
    assert_eq!(
        app.screen::<MembersScreen>().care().history[0].date(),
        d(TODAY)
    );
    // Esc goes back to the list and the detail opens on its first page again.
    app.handle(key(KeyCode::Esc));
    app.handle(key(KeyCode::Enter));
    assert_eq!(app.screen::<MembersScreen>().care().section, Section::Info);
}

#[test]
fn paging_through_a_long_overdue_list() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.sqlite");
    let mut conn = guanhuai::db::open(&path).unwrap();
    for i in 0..40 {
        let mut m = guanhuai::domain::member::Member::new(
            &format!("{i:03}"),
            &format!("张{i:02}"),
            d("2000-07-01"),
        );
        m.registered_on = Some(d("2020-01-01"));
        guanhuai::db::members::save(&mut conn, &m).unwrap();
    }
    drop(conn);
    let mut app = App::new(guanhuai::db::open(&path).unwrap(), config(Lang::Zh)).unwrap();
    assert_eq!(app.screen::<OverviewScreen>().len(), 40);
    let per = guanhuai::ui::screens::overview::page_size_for(21);
    app.handle(key(KeyCode::PageDown));
    assert_eq!(app.screen::<OverviewScreen>().cursor(), per);
    assert!(text_of(&app).contains("第 2/"));
    app.handle(key(KeyCode::End));
    assert_eq!(app.screen::<OverviewScreen>().cursor(), 39);
    app.handle(key(KeyCode::Home));
    assert_eq!(app.screen::<OverviewScreen>().cursor(), 0);
    app.handle(key(KeyCode::PageUp));
    assert_eq!(app.screen::<OverviewScreen>().cursor(), 0);
}

#[test]
fn a_large_roster_is_computed_on_a_worker_and_filled_in() {
    use guanhuai::ui::screens::overview::SYNC_LIMIT;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.sqlite");
    let mut conn = guanhuai::db::open(&path).unwrap();
    let tx = guanhuai::db::write_tx(&mut conn).unwrap();
    for i in 0..SYNC_LIMIT + 10 {
        let mut m = guanhuai::domain::member::Member::new(
            &format!("{i:05}"),
            ["张三", "李四", "王五"][i % 3],
            d("2000-07-01"),
        );
        m.registered_on = Some(d("2020-01-01"));
        guanhuai::db::members::insert(&tx, &m).unwrap();
    }
    tx.commit().unwrap();
    drop(conn);
    let mut app = App::new(guanhuai::db::open(&path).unwrap(), config(Lang::Zh)).unwrap();
    // The first frame does not wait for the lists.
    if app.busy() {
        assert!(text_of(&app).contains("正在计算"));
    }
    app.wait_ready();
    assert!(!app.busy());
    assert_eq!(app.screen::<OverviewScreen>().len(), SYNC_LIMIT + 10);
    let text = text_of(&app);
    assert!(
        text.contains(&format!("逾期 {}", SYNC_LIMIT + 10)),
        "{text}"
    );
    assert!(
        app.screen::<OverviewScreen>()
            .explanation()
            .starts_with("年度谈心")
    );
}

#[test]
fn coming_back_to_the_overview_shows_what_another_clerk_recorded() {
    let f = fixture();
    let mut app = app_on(&f, Lang::Zh);
    assert!(
        rows(&app)
            .iter()
            .any(|(n, c, _)| n == "张三" && c == "annual_talk")
    );
    // another copy of the program records 张三's talk
    let mut other = guanhuai::db::open(&f.path).unwrap();
    let id = guanhuai::db::members::id_by_code(&other, "001")
        .unwrap()
        .unwrap();
    let tx = guanhuai::db::write_tx(&mut other).unwrap();
    guanhuai::db::records::insert_talk(
        &tx,
        &guanhuai::domain::records::Talk {
            id: 0,
            member_id: id,
            date: d(TODAY),
            conductor: "王委员".into(),
            form: guanhuai::domain::vocab::TalkForm::Phone,
            summary: String::new(),
            problems: String::new(),
            follow_up: false,
            follow_up_note: String::new(),
        },
    )
    .unwrap();
    tx.commit().unwrap();

    press(&mut app, &[KeyCode::Char('2'), KeyCode::Char('1')]);
    app.wait_ready();
    assert_eq!(app.tab(), Tab::Overview);
    assert!(
        !rows(&app)
            .iter()
            .any(|(n, c, _)| n == "张三" && c == "annual_talk"),
        "{:?}",
        rows(&app)
    );
}
