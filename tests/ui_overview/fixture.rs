//! A small branch on a temporary file with known overdue and due-soon work on
//! 2026-01-15, shared by `ui_overview.rs` and `ui_visits.rs`.
//!
//! On TODAY (due soon = 14 days):
//! - 001 张三 (old, born 1950): last talk 2024-06-01 → 年度谈心 overdue 228 days;
//!   targeted by the running campaign (not visited) → due soon 2026-01-20.
//! - 002 李四 (mobile since 2025-06-01, registered 2025-01-20, no records):
//!   流动党员联系 overdue since 2025-08-30 (138 days); 年度谈心 due soon 2026-01-20.
//! - 003 单田芳 (honorary since 2010-07-01, old): health check 2024-12-01 →
//!   荣誉党员体检 overdue 45 days; visited at home 2026-01-05 (in the campaign window).
//! - 004 阿依古丽·买买提: 生病住院 on 2026-01-10 → 必访 due soon 2026-01-17.
//! - 005 𠮷祥: 岗位变动 on 2025-12-01 → 必谈 overdue 30 days.
//! - 006 王五: transferred out, no obligations.
#![allow(dead_code)]

pub use crate::common::screen::{ctrl, d, draw, key, screen, text_of};
use guanhuai::db;
use guanhuai::domain::Lang;
use guanhuai::domain::member::Member;
use guanhuai::domain::records::{Campaign, Event, Talk, Visit};
use guanhuai::domain::vocab::{
    CampaignTarget, EventKind, Gender, MemberStatus, TalkForm, VisitKind,
};
use guanhuai::ui::app::{App, Config};
use ratatui::crossterm::event::KeyCode;

pub const TODAY: &str = "2026-01-15";

pub struct Fixture {
    _dir: tempfile::TempDir,
    pub path: std::path::PathBuf,
}

pub fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("care.sqlite");
    let mut conn = db::open(&path).unwrap();
    let mut ids = Vec::new();
    let mut add = |code: &str, name: &str, f: &dyn Fn(&mut Member)| {
        let mut m = Member::new(code, name, d("2000-07-01"));
        m.registered_on = Some(d("2020-01-01"));
        m.gender = Some(Gender::Male);
        m.birth_date = Some(d("1980-01-01"));
        f(&mut m);
        ids.push(db::members::save(&mut conn, &m).unwrap().0);
    };
    add("001", "张三", &|m| {
        m.birth_date = Some(d("1950-03-12"));
        m.joined_on = d("1975-07-01");
    });
    add("002", "李四", &|m| {
        m.gender = Some(Gender::Female);
        m.registered_on = Some(d("2025-01-20"));
        m.mobile = true;
        m.mobile_since = Some(d("2025-06-01"));
        m.whereabouts = "广东深圳".into();
    });
    add("003", "单田芳", &|m| {
        m.birth_date = Some(d("1934-12-17"));
        m.joined_on = d("1956-07-01");
        m.honorary = true;
        m.honorary_since = Some(d("2010-07-01"));
    });
    add("004", "阿依古丽·买买提", &|m| {
        m.gender = Some(Gender::Female);
        m.chronic_ill = true;
    });
    add("005", "𠮷祥", &|_| {});
    add("006", "王五", &|m| {
        m.status = MemberStatus::TransferredOut
    });
    let talk = |member_id, date: &str, summary: &str| Talk {
        id: 0,
        member_id,
        date: d(date),
        conductor: "李书记".into(),
        form: TalkForm::FaceToFace,
        summary: summary.into(),
        problems: String::new(),
        follow_up: false,
        follow_up_note: String::new(),
    };
    let visit = |member_id, date: &str, kind, notes: &str| Visit {
        id: 0,
        member_id,
        date: d(date),
        visitor: "王委员".into(),
        kind,
        goods: String::new(),
        fund_entry_id: None,
        notes: notes.into(),
    };
    let event = |member_id, date: &str, kind, note: &str| Event {
        id: 0,
        member_id,
        date: d(date),
        kind,
        note: note.into(),
    };
    let [zs, _ls, stf, aygl, jx, _ww] = ids[..] else {
        unreachable!()
    };
    // the records, in one write named as a clerk's form would name it
    let tx = db::audit::write_tx(&mut conn, &db::audit::Actor::new("form: record add")).unwrap();
    db::records::insert_talk(&tx, &talk(zs, "2024-06-01", "了解退休生活")).unwrap();
    db::records::insert_visit(
        &tx,
        &visit(stf, "2024-12-01", VisitKind::HealthCheck, "年度体检"),
    )
    .unwrap();
    db::records::insert_talk(&tx, &talk(stf, "2025-12-01", "听取意见")).unwrap();
    db::records::insert_visit(
        &tx,
        &visit(stf, "2026-01-05", VisitKind::Home, "送去慰问品"),
    )
    .unwrap();
    db::records::insert_talk(&tx, &talk(aygl, "2025-10-01", "关心病情")).unwrap();
    db::records::insert_event(
        &tx,
        &event(aygl, "2026-01-10", EventKind::Illness, "住院治疗"),
    )
    .unwrap();
    db::records::insert_talk(&tx, &talk(jx, "2025-09-01", "谈工作安排")).unwrap();
    db::records::insert_event(
        &tx,
        &event(jx, "2025-12-01", EventKind::JobChange, "调任新岗位"),
    )
    .unwrap();
    db::records::insert_campaign(
        &tx,
        &Campaign {
            id: 0,
            name: "2026年元旦走访".into(),
            from: d("2026-01-01"),
            to: d("2026-01-20"),
            targets: vec![CampaignTarget::Old],
        },
    )
    .unwrap();
    tx.commit().unwrap();
    Fixture { _dir: dir, path }
}

pub fn config(lang: Lang) -> Config {
    Config {
        lang,
        ..Config::new(d(TODAY))
    }
}

pub fn app_on(f: &Fixture, lang: Lang) -> App {
    App::new(db::open(&f.path).unwrap(), config(lang)).unwrap()
}

pub fn press(app: &mut App, codes: &[KeyCode]) {
    for &c in codes {
        app.handle(key(c));
    }
}

/// Types text one key event per character, as a terminal delivers it.
pub fn type_str(app: &mut App, s: &str) {
    for c in s.chars() {
        app.handle(key(KeyCode::Char(c)));
    }
}
