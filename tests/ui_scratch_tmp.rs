use chrono::NaiveDate;
use guanhuai::db;
use guanhuai::domain::Lang;
use guanhuai::ui::app::{App, Config};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

fn show(app: &App) {
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    t.draw(|f| app.render(f)).unwrap();
    let buf = t.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..24 {
        let mut x = 0;
        while x < 80 {
            let s = buf[(x, y)].symbol();
            out.push_str(s);
            x += unicode_width::UnicodeWidthStr::width(s).max(1) as u16;
        }
        out.push('\n');
    }
    println!("{out}");
}
fn k(app: &mut App, c: KeyCode) {
    app.handle(Event::Key(KeyEvent::new(c, KeyModifiers::NONE)));
}

#[test]
fn scratch() {
    let lang = if std::env::var("EN").is_ok() {
        Lang::En
    } else {
        Lang::Zh
    };
    let conn = db::open(std::path::Path::new("/tmp/ovdemo.sqlite")).unwrap();
    let t = std::time::Instant::now();
    let mut app = App::new(
        conn,
        Config {
            lang,
            ..Config::new(NaiveDate::from_ymd_opt(2026, 11, 28).unwrap())
        },
    )
    .unwrap();
    println!("{:?}", t.elapsed());
    show(&app);
    k(&mut app, KeyCode::Tab);
    show(&app);
    k(&mut app, KeyCode::Tab);
    k(&mut app, KeyCode::Enter);
    show(&app);
    k(&mut app, KeyCode::Esc);
    k(&mut app, KeyCode::Char('4'));
    show(&app);
    k(&mut app, KeyCode::Tab);
    show(&app);
    k(&mut app, KeyCode::Enter);
    show(&app);
    k(&mut app, KeyCode::Enter);
    show(&app);
    k(&mut app, KeyCode::Esc);
    k(&mut app, KeyCode::Esc);
    k(&mut app, KeyCode::Esc);
    k(&mut app, KeyCode::Char('n'));
    show(&app);
    k(&mut app, KeyCode::Char('2'));
    for c in "zh".chars() {
        k(&mut app, KeyCode::Char(c));
    }
    show(&app);
    k(&mut app, KeyCode::Esc);
    k(&mut app, KeyCode::Enter);
    k(&mut app, KeyCode::Char('2'));
    k(&mut app, KeyCode::Enter);
    k(&mut app, KeyCode::Tab);
    show(&app);
    k(&mut app, KeyCode::Tab);
    show(&app);
    k(&mut app, KeyCode::Char('1'));
    k(&mut app, KeyCode::F(7));
    show(&app);
}
