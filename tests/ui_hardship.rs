//! The hardship ledger (困难台账, tab 3) drawn into a `TestBackend` at 80x24:
//! the list with its counts and filters, a case's detail with its workflow
//! history, the step forms and their errors, in Chinese and in English. The
//! forms of a case, its review and help are in `ui_hardship_forms.rs`.

mod common;
#[path = "ui_hardship/fixture.rs"]
mod fixture;

use fixture::*;
use guanhuai::db;
use guanhuai::domain::Lang;
use guanhuai::domain::vocab::CaseState;
use guanhuai::ui::app::StatusKind;
use guanhuai::ui::screens::hardship::HardshipScreen;
use ratatui::crossterm::event::KeyCode;

#[test]
fn list_by_priority_then_pinyin_with_counts_filters_and_search() {
    let f = fixture();
    let mut app = tab3(&f, Lang::Zh);
    // 特困, 重点, then 一般 in pinyin order.
    assert_eq!(
        names(&app),
        ["李四", "单田芳", "阿依古丽·买买提", "𠮷祥", "张三"]
    );
    let text = text_of(&app);
    insta::assert_snapshot!("hardship_list_zh", text);
    assert!(text.contains("申请1 评议0 公示1 申报0 通过1 驳回1 帮扶1 脱困0 终止0  共 5 份"));
    // The overdue review is marked, the running notice shows its end.
    assert!(text.contains("!年审 2026-06-16"), "{text}");
    assert!(text.contains("公示至2026-12-01"));
    assert!(text.contains("多帮一2"));

    // F6: by state, 个人申请 first; the counts stay those of every state.
    app.handle(key(KeyCode::F(6)));
    assert_eq!(names(&app), ["张三"]);
    assert!(text_of(&app).contains("状态 个人申请"));
    app.handle(key(KeyCode::Char('f')));
    assert!(names(&app).is_empty());
    // F5: by year (newest first); c/F8 by category; p/F9 by priority.
    app.handle(key(KeyCode::Esc));
    app.handle(key(KeyCode::F(5)));
    assert_eq!(names(&app), ["李四", "阿依古丽·买买提", "张三"]);
    app.handle(key(KeyCode::F(5)));
    assert_eq!(names(&app), ["单田芳", "𠮷祥"]);
    app.handle(key(KeyCode::Esc));
    press(&mut app, &[KeyCode::F(8); 4]); // 生活困难, 鳏寡孤独, 年老体弱, 因病
    assert_eq!(names(&app), ["李四", "阿依古丽·买买提"]);
    assert!(text_of(&app).contains("类型 因病"));
    app.handle(key(KeyCode::Esc));
    app.handle(key(KeyCode::F(9)));
    assert_eq!(names(&app), ["李四"]);
    app.handle(key(KeyCode::Esc));
    // `/`: incremental, by initials.
    app.handle(key(KeyCode::Char('/')));
    type_str(&mut app, "ay");
    assert_eq!(names(&app), ["阿依古丽·买买提"]);
    // Enter on a search that leaves one case opens it.
    app.handle(key(KeyCode::Enter));
    assert!(app.screen::<HardshipScreen>().detail().is_some());
}

#[test]
fn list_in_english() {
    let f = fixture();
    let app = tab3(&f, Lang::En);
    let text = text_of(&app);
    insta::assert_snapshot!("hardship_list_en", text);
    assert!(text.contains("!rev. 2026-06-16"));
}

#[test]
fn detail_shows_the_history_and_only_the_allowed_steps() {
    let f = fixture();
    let mut app = tab3(&f, Lang::Zh);
    open_case(&mut app, "李四");
    let text = text_of(&app);
    insta::assert_snapshot!("hardship_detail_zh", text);
    assert!(text.contains("妻 王芳 1200.00元、子 李小明 0.00元；月收入合计 1200.00 元"));
    assert!(text.contains("赞成 12 反对 1 弃权 0；支部党员大会"));
    assert!(text.contains("可办理：已脱困 · 终止"));
    assert!(text.contains("多帮一：张三、社区居委会"));
    // Scrolling: the measures, reviews and visits further down.
    app.handle(key(KeyCode::PageDown));
    let text = text_of(&app);
    assert!(
        text.contains("2026-05-01 送慰问金和米面油 500.00元 米面油"),
        "{text}"
    );
    assert!(text.contains("下次年审 2027-03-20"));
    assert!(text.contains("社区居委会（单位）  自 2026-04-01"));
    // The step menu offers what may follow 帮扶中, nothing else.
    app.handle(key(KeyCode::F(5)));
    assert_eq!(menu_options(&app), ["已脱困", "终止"]);
    // Enter on the open case goes on with it: the same menu
    app.handle(key(KeyCode::Esc));
    app.handle(key(KeyCode::Enter));
    assert_eq!(menu_options(&app), ["已脱困", "终止"]);
    // `n`, the new record everywhere, is a visit of the member here
    app.handle(key(KeyCode::Esc));
    app.handle(key(KeyCode::Char('n')));
    let text = text_of(&app);
    assert!(
        text.contains("登记走访慰问") && text.contains("002 李四"),
        "{text}"
    );
}

#[test]
fn detail_in_english() {
    let f = fixture();
    let mut app = tab3(&f, Lang::En);
    open_case(&mut app, "李四");
    let text = text_of(&app);
    insta::assert_snapshot!("hardship_detail_en", text);
    assert!(text.contains("Allowed next: Resolved · Closed"));
}

#[test]
fn a_failed_vote_is_refused_beside_the_votes_and_no_step_is_skipped() {
    let f = fixture();
    let mut app = tab3(&f, Lang::Zh);
    open_case(&mut app, "张三");
    assert!(text_of(&app).contains("可办理：民主评议 · 驳回 · 终止"));
    app.handle(key(KeyCode::F(5)));
    // 公示 and the rest cannot be offered after an application.
    assert_eq!(menu_options(&app), ["民主评议", "驳回", "终止"]);
    app.handle(key(KeyCode::Char('1')));
    assert_eq!(form(&app).focused_key(), "votes_for");
    type_str(&mut app, "5");
    press(&mut app, &[KeyCode::Tab]);
    type_str(&mut app, "6");
    press(&mut app, &[KeyCode::Tab]);
    type_str(&mut app, "1");
    assert_eq!(
        form(&app).error_of("votes_for"),
        Some("赞成 5 票未超过投票 12 人的半数：评议未通过，应登记驳回")
    );
    let text = text_of(&app);
    insta::assert_snapshot!("hardship_step_failed_vote_zh", text);
    // Saving is refused; the case stays 个人申请.
    app.handle(key(KeyCode::F(9)));
    assert!(hardship_form(&app).is_some());
    assert_eq!(app.status().unwrap().kind, StatusKind::Error);
    let c = db::hardship::list(app.conn(), &Default::default()).unwrap();
    assert_eq!(
        c.iter().find(|c| c.name == "张三").unwrap().state,
        CaseState::Applied
    );
    // Focus went back to the votes for; eight of fifteen pass.
    assert_eq!(form(&app).focused_key(), "votes_for");
    press(&mut app, &[KeyCode::Backspace]);
    type_str(&mut app, "8");
    assert_eq!(form(&app).error_of("votes_for"), None);
    app.handle(key(KeyCode::F(9)));
    assert!(hardship_form(&app).is_none());
    assert_eq!(app.status().unwrap().kind, StatusKind::Ok);
    let text = text_of(&app);
    assert!(text.contains("民主评议"), "{text}");
    assert!(text.contains("赞成 8 反对 6 弃权 1"));
    assert!(text.contains("可办理：公示 · 驳回 · 终止"));

    // The notice: shorter than 5 days is refused beside its end.
    app.handle(key(KeyCode::F(5)));
    assert_eq!(menu_options(&app), ["公示", "驳回", "终止"]);
    app.handle(key(KeyCode::Char('1')));
    assert_eq!(form(&app).text_of("public_to"), "2026-12-02");
    app.handle(key(KeyCode::Tab));
    press(&mut app, &[KeyCode::Backspace; 5]);
    type_str(&mut app, "11-30");
    assert_eq!(
        form(&app).error_of("public_to"),
        Some("公示 3 天，不少于 5 天：最早至 2026-12-02")
    );
    press(&mut app, &[KeyCode::Backspace; 5]);
    type_str(&mut app, "12-02");
    assert_eq!(form(&app).error_of("public_to"), None);
    app.handle(key(KeyCode::F(9)));
    assert!(hardship_form(&app).is_none());
    // Submitting before the notice ends is refused beside the date.
    app.handle(key(KeyCode::F(5)));
    app.handle(key(KeyCode::Char('1')));
    assert_eq!(
        form(&app).error_of("date"),
        Some("公示期至 2026-12-02 结束，逐级申报须在其后（2026-12-03 起）")
    );
}

#[test]
fn a_short_notice_in_english() {
    let f = fixture();
    let mut app = tab3(&f, Lang::En);
    open_case(&mut app, "张三");
    // 驳回 after an application may carry the failed vote.
    app.handle(key(KeyCode::F(5)));
    app.handle(key(KeyCode::Char('2')));
    let keys: Vec<&str> = form(&app).fields().iter().map(|f| f.key).collect();
    assert_eq!(
        keys,
        [
            "date",
            "reason",
            "votes_for",
            "votes_against",
            "votes_abstain",
            "note"
        ]
    );
    app.handle(key(KeyCode::Esc));
    // A vote, then a notice of two days.
    app.handle(key(KeyCode::F(5)));
    app.handle(key(KeyCode::Char('1')));
    type_str(&mut app, "9");
    app.handle(key(KeyCode::F(9)));
    app.handle(key(KeyCode::F(5)));
    app.handle(key(KeyCode::Char('1')));
    app.handle(key(KeyCode::Tab));
    press(&mut app, &[KeyCode::Backspace; 5]);
    type_str(&mut app, "11-29");
    assert_eq!(
        form(&app).error_of("public_to"),
        Some("a notice of 2 days; at least 5: until 2026-12-02 or later")
    );
    let text = text_of(&app);
    insta::assert_snapshot!("hardship_step_short_notice_en", text);
}
