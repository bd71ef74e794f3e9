use std::time::Instant;
fn main() {
    let p = std::env::args().nth(1).unwrap();
    {
        use ratatui::{Terminal, backend::TestBackend};
        let t = Instant::now();
        let conn = guanhuai::db::open(std::path::Path::new(&p)).unwrap();
        let mut app = guanhuai::ui::app::App::new(conn, guanhuai::ui::app::Config::new(chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap())).unwrap();
        let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
        term.draw(|f| app.render(f)).unwrap();
        println!("app first frame {:?}", t.elapsed());
        app.wait_ready();
        term.draw(|f| app.render(f)).unwrap();
        println!("app lists drawn {:?}", t.elapsed());
        let t = Instant::now();
        app.handle(ratatui::crossterm::event::Event::Key(ratatui::crossterm::event::KeyEvent::from(ratatui::crossterm::event::KeyCode::PageDown)));
        term.draw(|f| app.render(f)).unwrap();
        println!("pagedown {:?}", t.elapsed());
    }
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    let t = Instant::now();
    let conn = guanhuai::db::open(std::path::Path::new(&p)).unwrap();
    let s = guanhuai::db::settings::load(&conn).unwrap();
    println!("open {:?}", t.elapsed());
    for w in [
        guanhuai::db::obligations::Which::Both,
        guanhuai::db::obligations::Which::Overdue,
    ] {
        let t = Instant::now();
        let r = guanhuai::db::obligations::compute(&conn, today, &s, w).unwrap();
        println!("compute {:?} {:?} rows {}", w, t.elapsed(), r.len());
        let t = Instant::now();
        let row = r.rows()[0];
        let _ = r.explain(&conn, &row, &s).unwrap();
        println!("explain {:?}", t.elapsed());
    }
    let t = Instant::now();
    let f = guanhuai::db::visits_list::ListFilter::default();
    let pg = guanhuai::db::visits_list::page(&conn, &f, None, 16).unwrap();
    println!("visits page {:?} {}", t.elapsed(), pg.len());
    let t = Instant::now();
    let c = guanhuai::db::visits_list::member_candidates(&conn, "zs", 6).unwrap();
    println!("candidates zs {:?} {}", t.elapsed(), c.len());
    let t = Instant::now();
    let c = guanhuai::db::visits_list::member_candidates(&conn, "xqzq", 6).unwrap();
    println!("candidates none {:?} {}", t.elapsed(), c.len());
    let camps = guanhuai::db::records::campaigns(&conn).unwrap();
    let t = Instant::now();
    let st = guanhuai::db::visits_list::campaign_standing(&conn, &camps[1], today, &s).unwrap();
    println!("standing {:?} {} {}", t.elapsed(), st.targeted, st.visited);
    let t = Instant::now();
    let mut f = guanhuai::db::visits_list::ListFilter::default();
    f.members = Some(vec![5, 77, 1234]);
    let pg = guanhuai::db::visits_list::page(&conn, &f, None, 16).unwrap();
    println!("visits page by member {:?} {}", t.elapsed(), pg.len());
}
#[allow(dead_code)]
fn unused() {}
