//! Screenshots of the screens, exactly aligned: each screen is drawn into a
//! ratatui `TestBackend` at 80x24 and written as SVG with every glyph on a cell
//! grid (see [`svg`]); `scripts/screenshots.sh` turns them into PNGs with
//! `rsvg-convert`.
//!
//! Usage: `cargo run --example screenshots -- OUTDIR DB [NOTICE.txt]` where DB
//! is a database filled by `guanhuai --db DB demo` with `GUANHUAI_TODAY` fixed;
//! NOTICE.txt, a public notice written by `guanhuai notice hardship`, is drawn
//! as the printed page (black on white) in `hardship-notice.svg`.

use std::path::{Path, PathBuf};

mod svg;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (out, db, notice) = match args.as_slice() {
        [out, db] => (out, db, None),
        [out, db, notice] => (out, db, Some(notice)),
        _ => {
            eprintln!("usage: screenshots OUTDIR DB [NOTICE.txt]");
            std::process::exit(2);
        }
    };
    let out = PathBuf::from(out);
    std::fs::create_dir_all(&out).expect("create the output directory");
    for (name, svg) in shots::all(Path::new(db)) {
        let path = out.join(format!("{name}.svg"));
        std::fs::write(&path, svg).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        println!("{}", path.display());
    }
    if let Some(notice) = notice {
        let text = std::fs::read_to_string(notice).unwrap_or_else(|e| panic!("{notice}: {e}"));
        let path = out.join("hardship-notice.svg");
        std::fs::write(&path, page(&text)).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        println!("{}", path.display());
    }
}

/// A text file as a printed page: black on white, two cells of margin.
fn page(text: &str) -> String {
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::style::{Color, Style};
    use unicode_width::UnicodeWidthStr;
    let lines: Vec<&str> = text.lines().collect();
    let w = lines.iter().map(|l| l.width()).max().unwrap_or(0) as u16 + 4;
    let h = lines.len() as u16 + 2;
    let ink = Style::default().fg(Color::Black).bg(Color::White);
    let mut buf = Buffer::empty(Rect::new(0, 0, w, h));
    buf.set_style(buf.area, ink);
    for (y, line) in lines.iter().enumerate() {
        buf.set_string(2, y as u16 + 1, line, ink);
    }
    svg::render(&buf, None)
}

/// The screens to capture, each as a key sequence on a fresh `App`.
mod shots {
    use std::collections::BTreeMap;
    use std::path::Path;

    use chrono::NaiveDate;
    use guanhuai::db::obligations::{self, Which};
    use guanhuai::domain::Lang;
    use guanhuai::ui::app::{App, Config, OpenFile, Tab};
    use ratatui::Terminal;
    use ratatui::backend::{Backend, TestBackend};
    use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    use ratatui::layout::Position;

    use super::svg;

    /// The day every screenshot is taken on (the demo data is built on it too).
    const TODAY: &str = "2026-11-28";

    /// (file name without extension, SVG text) for every screen.
    pub fn all(db: &Path) -> Vec<(&'static str, String)> {
        let mut shots = Vec::new();
        // The detail and the form of a member with a rare character (𠮷) in
        // the name if the demo has one, else a mobile member.
        let (code, name) = pick(
            db,
            "SELECT code, name FROM members WHERE status = 'active' \
             ORDER BY instr(name, '𠮷') > 0 DESC, mobile DESC, code",
        );

        let mut app = open(db);
        keys(
            &mut app,
            &[ch('2'), code_key(KeyCode::Down), code_key(KeyCode::Down)],
        );
        shots.push(("members-list", shot(&app, &["编号", "姓名"])));

        let mut app = open(db);
        keys(&mut app, &[ch('2'), ch('/')]);
        keys(&mut app, &code.chars().map(ch).collect::<Vec<_>>());
        // a search (by the code: the demo may have two of a name) that leaves
        // one member opens it on Enter
        keys(&mut app, &[code_key(KeyCode::Enter)]);
        shots.push(("member-detail", shot(&app, &[&code, &name, "党员详情"])));

        // The obligations and history pages of the member with the most
        // obligations overdue or due soon.
        let (busy_code, busy_name) = busiest(db);
        let mut detail = open(db);
        keys(&mut detail, &[ch('2'), ch('/')]);
        keys(&mut detail, &busy_name.chars().map(ch).collect::<Vec<_>>());
        keys(
            &mut detail,
            &[code_key(KeyCode::Enter), code_key(KeyCode::Tab)],
        );
        shots.push((
            "member-obligations",
            shot(&detail, &[&busy_code, "应办事项"]),
        ));
        keys(&mut detail, &[code_key(KeyCode::Tab)]);
        shots.push(("member-history", shot(&detail, &[&busy_code, "记录"])));

        // The edit form, with a phone number one digit too long: its error
        // shows beside the field.
        keys(&mut app, &[ch('e')]);
        for _ in 0..5 {
            keys(&mut app, &[code_key(KeyCode::Tab)]);
        }
        keys(&mut app, &[code_key(KeyCode::End), ch('9')]);
        shots.push(("member-form", shot(&app, &[&code, &name])));

        // Enter on the Overview's first overdue row (a campaign visit in the
        // demo): the visit form, filled in.
        let mut app = open(db);
        keys(&mut app, &[ch('1'), code_key(KeyCode::Enter)]);
        shots.push(("visit-form", shot(&app, &["登记走访慰问"])));

        // Voiding a record from Talks & visits: the reason is asked first.
        let mut app = open(db);
        keys(&mut app, &[ch('4'), code_key(KeyCode::Delete)]);
        shots.push(("visit-void", shot(&app, &["作废"])));

        // The audit log (F12 from any screen): every write, who and what changed.
        let mut app = open(db);
        keys(&mut app, &[code_key(KeyCode::F(12))]);
        shots.push(("audit-log", shot(&app, &["操作日志"])));

        // The hardship case with the longest history and the most help: its
        // detail (found by the member's code; a second Enter when the member
        // has cases of several years).
        let (case_code, _) = pick(
            db,
            "SELECT m.code, m.name FROM hardship_cases c JOIN members m ON m.id = c.member_id \
             ORDER BY (SELECT count(*) FROM hardship_steps s WHERE s.case_id = c.id) \
                    + (SELECT count(*) FROM hardship_measures x WHERE x.case_id = c.id) \
                    + (SELECT count(*) FROM hardship_helpers h WHERE h.case_id = c.id) DESC, c.id",
        );
        let mut app = open(db);
        keys(&mut app, &[ch('3'), ch('/')]);
        keys(&mut app, &case_code.chars().map(ch).collect::<Vec<_>>());
        // Enter in the ledger's search opens the case found.
        keys(&mut app, &[code_key(KeyCode::Enter)]);
        shots.push(("hardship-detail", shot(&app, &[&case_code, "办理经过"])));

        // The help fund: the first loan's schedule, the first audit's report,
        // and the preview of this month's subsidy batch.
        let mut app = open(db);
        keys(&mut app, &[ch('5'), ch('l'), code_key(KeyCode::Enter)]);
        shots.push(("fund-loan", shot(&app, &["还款计划"])));
        let mut app = open(db);
        keys(&mut app, &[ch('5'), ctrl('r'), code_key(KeyCode::Enter)]);
        shots.push(("fund-audit-report", shot(&app, &["审计报告", "账目链头"])));
        let mut app = open(db);
        keys(&mut app, &[ch('5'), ch('s')]);
        for (field, text) in [(2, "李会计"), (1, "王书记")] {
            for _ in 0..field {
                keys(&mut app, &[code_key(KeyCode::Tab)]);
            }
            keys(&mut app, &text.chars().map(ch).collect::<Vec<_>>());
        }
        keys(&mut app, &[code_key(KeyCode::F(9))]);
        shots.push(("fund-subsidy-preview", shot(&app, &["生活补贴预览"])));

        // The survey: the data-entry form on the next unanswered member, last
        // round's answers beside it; then the round's results.
        let mut app = open(db);
        keys(&mut app, &[ch('6'), code_key(KeyCode::Enter), ch('1')]);
        shots.push(("survey-entry", shot(&app, &["上次调查（F5 沿用）"])));
        let mut app = open(db);
        keys(&mut app, &[ch('6'), code_key(KeyCode::F(6))]);
        shots.push(("survey-results", shot(&app, &["比上次", "需跟进"])));

        // The statistics: the completion rate of every rule as bars (part 3).
        let mut app = open(db);
        keys(
            &mut app,
            &[ch('8'), code_key(KeyCode::Right), code_key(KeyCode::Right)],
        );
        shots.push((
            "statistics-completion",
            shot(&app, &["各项完成率", "逾期事项"]),
        ));

        // The incentives: this year's assessment with its totals per grade,
        // and the birthdays of this month and the next.
        let mut app = open(db);
        keys(
            &mut app,
            &[ch('7'), code_key(KeyCode::F(5)), code_key(KeyCode::F(5))],
        );
        shots.push((
            "honours-assessments",
            shot(&app, &["年度业绩考核", "奖励合计"]),
        ));
        let mut app = open(db);
        keys(&mut app, &[ch('7'), ch('v'), ch('v'), ch('v')]);
        shots.push(("honours-birthdays", shot(&app, &["本月", "政治生日"])));

        more(db, &mut shots);

        // Every other screen that exists yet, as it opens.
        for tab in Tab::ALL.into_iter().filter(|t| t.available()) {
            let file = match tab {
                Tab::Overview => "overview",
                Tab::Hardship => "hardship-list",
                Tab::Visits => "visits-list",
                Tab::Fund => "fund",
                Tab::Survey => "survey",
                Tab::Honours => "honours",
                Tab::Stats => "statistics",
                Tab::Members => continue,
            };
            let mut app = open(db);
            let digit = char::from_digit(tab.number() as u32, 10).unwrap();
            keys(&mut app, &[ch(digit)]);
            shots.push((file, shot(&app, &[tab.short_label(Lang::Zh)])));
        }
        shots
    }

    /// The popups and views the guide shows beside the screens above: the
    /// help, the settings, the forms and menus of each tab, and a few
    /// screens in English (`--lang en`).
    fn more(db: &Path, shots: &mut Vec<(&'static str, String)>) {
        // The help names the open file, as it does when the program runs.
        let mut app = open(db);
        app.show_database(OpenFile {
            path: "/home/clerk/.local/share/guanhuai/guanhuai-demo.sqlite".into(),
            demo: true,
        });
        keys(&mut app, &[ch('?')]);
        shots.push(("help", shot(&app, &["帮助", "全局", "数据库"])));
        let mut app = open(db);
        keys(&mut app, &[ch('s')]);
        shots.push(("settings", shot(&app, &["设置（规则常数）"])));

        let mut app = open(db);
        keys(&mut app, &[ch('3'), ch('n')]);
        shots.push(("hardship-form", shot(&app, &["新建困难台账", "困难类型"])));
        // The next step of the first case: a menu of the steps allowed now.
        let mut app = open(db);
        keys(&mut app, &[ch('3'), code_key(KeyCode::Enter), ch('s')]);
        shots.push(("hardship-step", shot(&app, &["办理：", "驳回"])));

        let mut app = open(db);
        keys(&mut app, &[ch('4'), ch('n')]);
        shots.push(("visits-new", shot(&app, &["谈心谈话", "集中走访活动"])));
        let mut app = open(db);
        keys(&mut app, &[ch('4'), ch('n'), ch('1')]);
        shots.push(("talk-form", shot(&app, &["谈话人"])));
        let mut app = open(db);
        keys(&mut app, &[ch('4'), code_key(KeyCode::Tab)]);
        shots.push(("visits-campaigns", shot(&app, &["集中走访慰问活动"])));
        // the campaign running now (the first one has not begun)
        keys(
            &mut app,
            &[code_key(KeyCode::Down), code_key(KeyCode::Enter)],
        );
        shots.push(("campaign-unvisited", shot(&app, &["未走访"])));

        let mut app = open(db);
        keys(&mut app, &[ch('5'), ch('o')]);
        shots.push(("fund-payment-form", shot(&app, &["登记支出", "金额（元）"])));

        let mut app = open(db);
        keys(&mut app, &[ch('7'), ch('v')]);
        shots.push(("honours-discipline", shot(&app, &["处分"])));

        let mut app = open_en(db);
        shots.push(("overview-en", shot(&app, &["Overdue"])));
        keys(&mut app, &[ch('?')]);
        shots.push(("help-en", shot(&app, &["Help", "Everywhere"])));
        let mut app = open_en(db);
        keys(&mut app, &[ch('2')]);
        shots.push(("members-list-en", shot(&app, &["Members"])));
        let mut app = open_en(db);
        keys(&mut app, &[ch('3'), code_key(KeyCode::Enter)]);
        shots.push(("hardship-detail-en", shot(&app, &["Back"])));
        let mut app = open_en(db);
        keys(&mut app, &[ch('5')]);
        shots.push(("fund-en", shot(&app, &["Income"])));
    }

    /// The first (code, name) the query gives.
    fn pick(db: &Path, sql: &str) -> (String, String) {
        let conn = guanhuai::db::open(db).expect("open the demo database");
        conn.query_row(sql, [], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("a member in the demo data")
    }

    /// The member with the most obligations overdue or due soon whose name
    /// no one else has (the search finds them alone); the lowest code wins a tie.
    fn busiest(db: &Path) -> (String, String) {
        let conn = guanhuai::db::open(db).expect("open the demo database");
        let settings = guanhuai::db::settings::load(&conn).expect("settings");
        let report = obligations::compute(&conn, today(), &settings, Which::Both)
            .expect("the obligations report");
        let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
        for r in report.rows() {
            let key = (
                report.member_code(r).to_string(),
                report.member_name(r).to_string(),
            );
            *counts.entry(key).or_default() += 1;
        }
        let unique = |name: &str| {
            conn.query_row(
                "SELECT count(*) FROM members WHERE name = ?1",
                [name],
                |r| r.get::<_, i64>(0),
            )
            .expect("count by name")
                == 1
        };
        counts
            .into_iter()
            .filter(|((_, name), _)| unique(name))
            .min_by_key(|(_, n)| std::cmp::Reverse(*n))
            .map(|(member, _)| member)
            .expect("someone has obligations in the demo data")
    }

    fn today() -> NaiveDate {
        NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap()
    }

    fn open(db: &Path) -> App {
        let conn = guanhuai::db::open(db).expect("open the demo database");
        App::new(conn, Config::new(today())).expect("start the app")
    }

    fn open_en(db: &Path) -> App {
        let conn = guanhuai::db::open(db).expect("open the demo database");
        let config = Config {
            lang: Lang::En,
            ..Config::new(today())
        };
        App::new(conn, config).expect("start the app")
    }

    fn ch(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    fn code_key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn keys(app: &mut App, keys: &[KeyEvent]) {
        for k in keys {
            app.handle(Event::Key(*k));
        }
    }

    /// Draws the app at 80x24 and writes it as SVG, after checking that the
    /// screen shows what it should (a wrong key sequence fails loudly).
    fn shot(app: &App, expect: &[&str]) -> String {
        let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
        // `draw` moves the cursor only when the frame shows one.
        let nowhere = Position::new(u16::MAX, u16::MAX);
        t.backend_mut().set_cursor_position(nowhere).unwrap();
        t.draw(|f| app.render(f)).unwrap();
        let cursor = t.backend_mut().get_cursor_position().unwrap();
        let buf = t.backend().buffer();
        let text = svg::text(buf);
        for want in expect {
            assert!(
                text.contains(want),
                "{want:?} not on the screen:\n{}",
                t.backend()
            );
        }
        svg::render(buf, (cursor != nowhere).then_some(cursor))
    }
}
