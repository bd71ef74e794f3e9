//! Papercut 1: a visit recorded for a campaign whose window is over (or not
//! yet open) would not count for it. The form warns beside the date before
//! saving, offers the window's last day (F7) when the campaign is over, and
//! saves the clerk's own date only when asked twice.

mod common;
#[path = "ui_overview/fixture.rs"]
#[allow(unused_imports)]
mod fixture;

use fixture::*;
use guanhuai::db;
use guanhuai::domain::Lang;
use guanhuai::domain::records::Campaign;
use guanhuai::domain::rules::ObligationKind;
use guanhuai::domain::vocab::CampaignTarget;
use guanhuai::ui::app::{App, Config, StatusKind};
use guanhuai::ui::screens::overview::OverviewScreen;
use guanhuai::ui::screens::visits::{Mode, VisitsScreen};
use ratatui::crossterm::event::KeyCode;

/// The app on `today` (the fixture's campaign runs 2026-01-01 to 2026-01-20).
fn app_at(f: &Fixture, today: &str) -> App {
    let cfg = Config {
        lang: Lang::Zh,
        ..Config::new(d(today))
    };
    App::new(db::open(&f.path).unwrap(), cfg).unwrap()
}

/// Tab 4, the campaigns, the first campaign's not-visited list, Enter on 张三.
fn visit_form_from_the_not_visited_list(app: &mut App) {
    press(app, &[KeyCode::Char('4'), KeyCode::Tab, KeyCode::Enter]);
    assert_eq!(app.screen::<VisitsScreen>().mode(), Mode::Standing);
    let s = app.screen::<VisitsScreen>().standing().unwrap();
    assert_eq!(s.not_visited.get(0).unwrap().member.name, "张三");
    app.handle(key(KeyCode::Enter));
    assert!(app.record_form().is_some());
}

fn visits_of_zhangsan(app: &App) -> Vec<String> {
    let id = db::members::get_by_code(app.conn(), "001")
        .unwrap()
        .unwrap()
        .id;
    db::records::member_history(app.conn(), id)
        .unwrap()
        .iter()
        .filter_map(|r| match r {
            db::records::Record::Visit(v) => Some(v.date.to_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn an_ended_campaign_warns_beside_the_date_and_f7_takes_its_last_day() {
    let f = fixture();
    let mut app = app_at(&f, "2026-01-25");
    visit_form_from_the_not_visited_list(&mut app);
    let form = app.record_form().unwrap();
    assert_eq!(form.form.text_of("date"), "2026-01-25");
    let warning = form.form.error_of("date").unwrap_or_default().to_string();
    assert!(
        warning.starts_with("活动已于 2026-01-20 结束，此日期不计入活动；F7 改为 2026-01-20"),
        "{warning}"
    );
    let text = text_of(&app);
    insta::assert_snapshot!("ended_campaign_visit_form", text);
    assert!(text.contains("F7 日期改为活动最后一天"), "{text}");
    // F9: refused once, with the reason.
    app.handle(key(KeyCode::F(9)));
    assert!(app.record_form().is_some(), "not saved");
    let s = app.status().unwrap();
    assert_eq!(s.kind, StatusKind::Error);
    assert!(s.text.contains("再按 Ctrl-S/F9 仍按此日期保存"), "{s:?}");
    assert!(visits_of_zhangsan(&app).is_empty());
    // F7: the window's last day; the warning is gone and it saves.
    app.handle(key(KeyCode::F(7)));
    let form = app.record_form().unwrap();
    assert_eq!(form.form.text_of("date"), "2026-01-20");
    assert_eq!(form.form.error_of("date"), None);
    app.handle(key(KeyCode::F(9)));
    assert!(app.record_form().is_none());
    assert_eq!(app.status().unwrap().kind, StatusKind::Ok);
    assert_eq!(visits_of_zhangsan(&app), ["2026-01-20"]);
    // It counts: 张三 is visited for the campaign.
    let s = app.screen::<VisitsScreen>().standing().unwrap();
    assert!(s.not_visited.is_empty(), "{:?}", s.not_visited);
}

#[test]
fn a_second_save_keeps_the_clerks_date_after_the_warning() {
    let f = fixture();
    let mut app = app_at(&f, "2026-01-25");
    visit_form_from_the_not_visited_list(&mut app);
    app.handle(ctrl('s'));
    assert!(app.record_form().is_some());
    app.handle(ctrl('s'));
    assert!(app.record_form().is_none());
    assert_eq!(visits_of_zhangsan(&app), ["2026-01-25"]);
    // A changed form is warned again.
    visit_form_from_the_not_visited_list(&mut app);
}

#[test]
fn the_overview_row_of_an_ended_campaign_opens_the_warned_form() {
    let f = fixture();
    let mut app = app_at(&f, "2026-01-25");
    let at = {
        let o = app.screen::<OverviewScreen>();
        o.all_items(app.conn())
            .unwrap()
            .iter()
            .position(|r| matches!(r.kind, ObligationKind::Campaign(_)))
            .expect("the campaign row of 张三 is overdue")
    };
    press(&mut app, &vec![KeyCode::Down; at]);
    app.handle(key(KeyCode::Enter));
    let form = app.record_form().expect("the visit form");
    assert!(form.offers_window_end());
    assert!(
        form.form
            .error_of("date")
            .is_some_and(|e| e.contains("活动已于 2026-01-20 结束")),
        "{:?}",
        form.form.error_of("date")
    );
}

#[test]
fn a_campaign_not_yet_open_warns_and_offers_no_last_day() {
    let f = fixture();
    {
        let conn = db::open(&f.path).unwrap();
        db::records::insert_campaign(
            &conn,
            &Campaign {
                id: 0,
                name: "2026年春节走访".into(),
                from: d("2026-02-01"),
                to: d("2026-02-16"),
                targets: vec![CampaignTarget::Old],
            },
        )
        .unwrap();
    }
    let mut app = app_at(&f, TODAY);
    press(&mut app, &[KeyCode::Char('4'), KeyCode::Tab]);
    let at = app
        .screen::<VisitsScreen>()
        .campaigns()
        .iter()
        .position(|c| c.name == "2026年春节走访")
        .unwrap();
    press(&mut app, &vec![KeyCode::Down; at]);
    app.handle(key(KeyCode::Enter));
    let s = app.screen::<VisitsScreen>().standing().unwrap();
    assert!(!s.not_visited.is_empty(), "its targets are listed");
    app.handle(key(KeyCode::Enter));
    let form = app.record_form().unwrap();
    assert!(!form.offers_window_end());
    assert_eq!(
        form.form.error_of("date"),
        Some("活动 2026-02-01 才开始，此日期不计入活动")
    );
    app.handle(key(KeyCode::F(7)));
    assert_eq!(app.record_form().unwrap().form.text_of("date"), TODAY);
}
