//! The hardship ledger's forms: a new case (and the duplicate refused), an
//! edit, the annual review (also from the Overview's review row), a visit,
//! help measures and pairing from the case, and the member detail's cases.

mod common;
#[path = "ui_hardship/fixture.rs"]
mod fixture;

use common::screen::{ctrl, draw, screen};
use fixture::*;
use guanhuai::db;
use guanhuai::domain::Lang;
use guanhuai::domain::rules::ObligationKind;
use guanhuai::domain::vocab::{CaseState, HardshipCategory, Priority};
use guanhuai::ui::app::App;
use guanhuai::ui::popups::hardship_forms::HardshipForm;
use guanhuai::ui::screens::hardship::HardshipScreen;
use guanhuai::ui::screens::members::MembersScreen;
use guanhuai::ui::screens::overview::OverviewScreen;
use ratatui::crossterm::event::KeyCode;

#[test]
fn a_new_case_and_the_duplicate_refused_with_its_reason() {
    let f = fixture();
    let mut app = tab3(&f, Lang::Zh);
    app.handle(key(KeyCode::F(2)));
    assert_eq!(form(&app).focused_key(), "member");
    assert_eq!(form(&app).text_of("year"), "2026");
    assert_eq!(form(&app).text_of("applied_on"), TODAY);
    // 张三 already has a 2026 case.
    type_str(&mut app, "zs");
    app.handle(key(KeyCode::Enter)); // takes the candidate
    assert_eq!(form(&app).text_of("member"), "001 张三");
    press(&mut app, &[KeyCode::Tab, KeyCode::Tab]); // to the categories
    assert_eq!(form(&app).focused_key(), "categories");
    app.handle(key(KeyCode::Char(' ')));
    app.handle(key(KeyCode::F(9)));
    assert!(hardship_form(&app).is_some(), "refused: the form stays");
    let msg = "张三 已有 2026 年度的困难台账（个人申请）：每人每年一份，请在原台账上办理";
    assert_eq!(form(&app).message.as_deref(), Some(msg));
    assert_eq!(app.status().unwrap().text, msg);
    assert!(text_of(&app).contains("张三 已有 2026 年度的困难台账"));
    app.handle(key(KeyCode::Esc));
    app.handle(key(KeyCode::Enter)); // discard the input

    // 赵六: a new case with two in the family, incomes typed in yuan.
    app.handle(key(KeyCode::Char('n')));
    type_str(&mut app, "zl");
    app.handle(key(KeyCode::Enter));
    press(&mut app, &[KeyCode::Tab, KeyCode::Tab]);
    // No category ticked: refused beside the check list.
    app.handle(key(KeyCode::F(9)));
    assert_eq!(
        form(&app).error_of("categories"),
        Some("至少选一种困难类型")
    );
    assert_eq!(form(&app).focused_key(), "categories");
    press(&mut app, &[KeyCode::Right, KeyCode::Right, KeyCode::Right]);
    app.handle(key(KeyCode::Char(' '))); // 因病
    app.handle(key(KeyCode::Tab));
    type_str(&mut app, "肺癌化疗");
    press(&mut app, &[KeyCode::Tab, KeyCode::Tab]);
    type_str(&mut app, "妻 刘梅");
    app.handle(key(KeyCode::Tab));
    type_str(&mut app, "１,2３4.5x");
    assert_eq!(
        form(&app).error_of("inc1"),
        Some("不是有效金额：请写作 200 或 1234.56（单位：元）")
    );
    app.handle(key(KeyCode::Backspace));
    assert_eq!(form(&app).error_of("inc1"), None);
    app.handle(key(KeyCode::Tab));
    type_str(&mut app, "子 赵小");
    app.handle(key(KeyCode::Tab));
    type_str(&mut app, "-5");
    assert_eq!(form(&app).error_of("inc2"), Some("月收入不能为负"));
    press(&mut app, &[KeyCode::Backspace, KeyCode::Backspace]);
    app.handle(key(KeyCode::F(9)));
    assert!(hardship_form(&app).is_none(), "{:?}", app.status());
    assert_eq!(
        app.status().unwrap().text,
        "已建立困难台账：赵六（007）2026 年度"
    );
    // The new case is selected in the list.
    assert_eq!(
        app.screen::<HardshipScreen>().selected().unwrap().name,
        "赵六"
    );
    let row = app
        .screen::<HardshipScreen>()
        .rows()
        .iter()
        .find(|r| r.name == "赵六")
        .cloned()
        .unwrap();
    assert_eq!(row.state, CaseState::Applied);
    assert_eq!(row.categories, [HardshipCategory::Illness]);
    let detail = db::hardship::detail(app.conn(), row.id).unwrap().unwrap();
    assert_eq!(detail.cause, "肺癌化疗");
    assert_eq!(
        detail
            .family
            .iter()
            .map(|m| (m.relation.as_str(), m.name.as_str(), m.income_fen))
            .collect::<Vec<_>>(),
        [("妻", "刘梅", 123_450), ("子", "赵小", 0)]
    );
}

#[test]
fn saving_a_review_moves_the_due_date_on() {
    let f = fixture();
    let mut app = tab3(&f, Lang::Zh);
    open_case(&mut app, "单田芳");
    assert!(text_of(&app).contains("下次年审 2026-06-16（已逾期 165 天）"));
    app.handle(key(KeyCode::Char('r')));
    let text = text_of(&app);
    assert!(
        text.contains("应于 2026-06-16 年审（已逾期 165 天）"),
        "{text}"
    );
    assert_eq!(form(&app).text_of("date"), TODAY);
    press(&mut app, &[KeyCode::Tab, KeyCode::Tab]);
    type_str(&mut app, "生活仍困难");
    app.handle(key(KeyCode::F(9)));
    assert!(hardship_form(&app).is_none());
    assert_eq!(
        app.status().unwrap().text,
        "已登记年审：单田芳（003）2025 年度；下次年审 2027-11-28"
    );
    let text = text_of(&app);
    assert!(text.contains("下次年审 2027-11-28"), "{text}");
    app.handle(key(KeyCode::Esc));
    assert!(text_of(&app).contains("年审 2027-11-28"));
    // 已脱困 at a review needs 帮扶中 first: refused beside the outcome.
    open_case(&mut app, "单田芳");
    app.handle(key(KeyCode::F(6)));
    press(&mut app, &[KeyCode::Tab, KeyCode::Right]);
    assert_eq!(
        form(&app).error_of("outcome"),
        Some("台账尚未「帮扶中」：请先登记帮扶中，不跳过步骤")
    );
}

#[test]
fn overview_enter_on_a_review_row_opens_the_review_form() {
    let f = fixture();
    let mut app = app_on(&f, Lang::Zh);
    app.wait_ready();
    let i = {
        let ov = app.screen::<OverviewScreen>();
        ov.all_items(app.conn())
            .unwrap()
            .iter()
            .position(|r| r.kind == ObligationKind::HardshipReview)
            .expect("a hardship_review row")
    };
    for _ in 0..i {
        app.handle(key(KeyCode::Down));
    }
    app.handle(key(KeyCode::Enter));
    let t = screen(draw(&app).backend().buffer());
    assert!(t.contains("年审：单田芳（003）2025 年度"), "{t}");
    assert!(matches!(hardship_form(&app), Some(HardshipForm::Review(_))));
    app.handle(key(KeyCode::F(9)));
    assert!(hardship_form(&app).is_none());
    // The Overview recomputed: the review is no longer owed.
    let ov = app.screen::<OverviewScreen>();
    assert!(
        !ov.all_items(app.conn())
            .unwrap()
            .iter()
            .any(|r| r.kind == ObligationKind::HardshipReview)
    );
}

#[test]
fn a_visit_from_the_case_shows_in_its_visits() {
    let f = fixture();
    let mut app = tab3(&f, Lang::Zh);
    open_case(&mut app, "李四");
    app.handle(key(KeyCode::Char('v')));
    let rf = app.record_form().expect("a visit form");
    assert_eq!(rf.member().unwrap().name, "李四");
    assert_eq!(rf.form.text_of("notes"), "困难党员走访");
    type_str(&mut app, "王委员");
    app.handle(key(KeyCode::F(9)));
    assert!(app.record_form().is_none());
    press(&mut app, &[KeyCode::PageDown, KeyCode::PageDown]);
    let text = text_of(&app);
    assert!(
        text.contains("2026-11-28 家访     王委员       困难党员走访"),
        "{text}"
    );
}

#[test]
fn help_pairing_and_measures_from_the_detail() {
    let f = fixture();
    let mut app = tab3(&f, Lang::Zh);
    open_case(&mut app, "单田芳");
    // No measure yet: the log cannot be written.
    app.handle(key(KeyCode::F(9)));
    assert!(hardship_form(&app).is_none());
    assert!(app.status().unwrap().text.contains("先按 m 或 F8 登记措施"));
    app.handle(key(KeyCode::F(8)));
    app.handle(key(KeyCode::Right)); // 生活帮扶
    app.handle(key(KeyCode::Tab));
    type_str(&mut app, "每月送药");
    app.handle(key(KeyCode::F(9)));
    assert!(hardship_form(&app).is_none(), "{:?}", app.status());
    app.handle(key(KeyCode::Char('a')));
    type_str(&mut app, "送降压药");
    app.handle(key(KeyCode::Tab));
    type_str(&mut app, "0");
    assert_eq!(form(&app).error_of("amount"), Some("金额须大于 0"));
    app.handle(key(KeyCode::Backspace));
    type_str(&mut app, "86.5");
    app.handle(key(KeyCode::F(9)));
    assert!(hardship_form(&app).is_none(), "{:?}", app.status());
    app.handle(key(KeyCode::F(11)));
    type_str(&mut app, "ls");
    app.handle(key(KeyCode::Enter));
    app.handle(key(KeyCode::F(9)));
    assert!(hardship_form(&app).is_none(), "{:?}", app.status());
    let text = text_of(&app);
    assert!(text.contains("一帮一：李四"), "{text}");
    app.handle(key(KeyCode::PageDown));
    let text = text_of(&app);
    assert!(text.contains("1. 生活帮扶：每月送药"), "{text}");
    assert!(text.contains("2026-11-28 送降压药 86.50元"));
}

#[test]
fn the_member_detail_lists_the_cases() {
    let f = fixture();
    let mut app = app_on(&f, Lang::Zh);
    app.handle(key(KeyCode::Char('2')));
    app.handle(key(KeyCode::F(3)));
    type_str(&mut app, "ls");
    app.handle(key(KeyCode::Enter));
    assert!(matches!(
        app.screen::<MembersScreen>().view(),
        guanhuai::ui::screens::members::View::Detail(_)
    ));
    let text = text_of(&app);
    assert!(text.contains("困难台账      2026 帮扶中"), "{text}");
}

#[test]
fn editing_a_case_keeps_its_member_year_and_steps() {
    let f = fixture();
    let mut app = tab3(&f, Lang::Zh);
    open_case(&mut app, "李四");
    app.handle(key(KeyCode::F(4)));
    let fm = form(&app);
    assert_eq!(fm.title, "修改困难台账：李四（002）2026 年度");
    let keys: Vec<&str> = fm.fields().iter().map(|f| f.key).collect();
    assert!(!keys.contains(&"member") && !keys.contains(&"year"));
    assert_eq!(fm.text_of("fam1"), "妻 王芳");
    assert_eq!(fm.text_of("inc1"), "1200.00");
    assert_eq!(fm.text_of("fam2"), "子 李小明");
    assert!(fm.checks_of("categories")[3]);
    // The wife's income corrected, the priority lowered to 重点.
    let fm_focus = |app: &App| form(app).focused_key();
    while fm_focus(&app) != "inc1" {
        app.handle(key(KeyCode::Tab));
    }
    press(&mut app, &[KeyCode::Backspace; 7]);
    type_str(&mut app, "1500");
    while fm_focus(&app) != "priority" {
        app.handle(key(KeyCode::Tab));
    }
    app.handle(key(KeyCode::Right));
    app.handle(key(KeyCode::F(9)));
    assert!(hardship_form(&app).is_none(), "{:?}", app.status());
    let d = app.screen::<HardshipScreen>().detail().unwrap();
    assert_eq!(d.row.priority, Priority::Key);
    assert_eq!(d.family_income_fen(), 150_000);
    assert_eq!(d.steps.len(), 6, "the steps are never edited");
    assert!(text_of(&app).contains("月收入合计 1500.00 元"));
}

#[test]
fn the_public_notice_is_written_from_the_tab() {
    let f = fixture();
    let mut app = tab3(&f, Lang::Zh);
    app.handle(key(KeyCode::Char('g')));
    assert_eq!(form(&app).text_of("file"), "困难党员公示-2026-11-28.xlsx");
    // a file that is neither .xlsx nor .txt is refused beside the field
    let bad = f.path.parent().unwrap().join("notice.pdf");
    app.handle(ctrl('u'));
    type_str(&mut app, &bad.display().to_string());
    assert!(form(&app).error_of("file").is_some());
    app.handle(key(KeyCode::F(9)));
    assert!(hardship_form(&app).is_some(), "refused: the form stays");
    assert!(!bad.exists());
    // a period that ends before it starts is refused beside its end
    let txt = f.path.parent().unwrap().join("公示.txt");
    app.handle(ctrl('u'));
    type_str(&mut app, &txt.display().to_string());
    assert_eq!(form(&app).error_of("file"), None);
    app.handle(key(KeyCode::Tab));
    type_str(&mut app, "2026-11-30");
    app.handle(key(KeyCode::Tab));
    type_str(&mut app, "2026-11-01");
    assert!(form(&app).error_of("to").is_some());
    app.handle(ctrl('u'));
    // no period: the cases in publicity now
    app.handle(key(KeyCode::BackTab));
    app.handle(ctrl('u'));
    app.handle(key(KeyCode::F(9)));
    assert!(hardship_form(&app).is_none(), "{:?}", app.status());
    let said = app.status().unwrap().text.clone();
    assert!(said.contains("：1 个困难台账"), "{said}");
    let text = std::fs::read_to_string(&txt).unwrap();
    assert!(text.contains("困难党员帮扶公示"), "{text}");
    assert!(text.contains("阿依古丽·买买提"), "{text}");
    assert!(text.contains("2026-11-25 至 2026-12-01"), "{text}");
    assert!(!text.contains("张三"), "{text}");
    assert!(text.trim_end().ends_with("日期："), "{text}");
}
