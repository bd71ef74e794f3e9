//! The guide cannot rot: every key of every screen, view and popup — the
//! `Binding` tables the screens handle keys with and the help (`?`/F1) shows —
//! is a row of README.md, under the heading of that screen or view, as
//! `| `n` `F2` `Ins` | 新增 | New |` (more cells may follow), and no row under
//! those headings names a key the table no longer has. A new table in `src/ui`
//! fails here until it is given a heading below and a section in the README.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::screen::key;
use guanhuai::domain::Lang;
use guanhuai::ui::app::{App, Config};
use guanhuai::ui::keys::{Hint, hints};
use ratatui::crossterm::event::KeyCode;

/// One key table: its Rust path, the README heading it belongs under, and
/// its keys as the help shows them in each language.
struct Table {
    path: String,
    heading: &'static str,
    zh: Vec<Hint>,
    en: Vec<Hint>,
}

/// `table!(screens::fund::LIST_BINDINGS, "heading")`: a table under `guanhuai::ui`.
macro_rules! table {
    ($($seg:ident)::+, $heading:expr) => {
        Table {
            path: format!("guanhuai::ui::{}", stringify!($($seg)::+)).replace(char::is_whitespace, ""),
            heading: $heading,
            zh: hints(guanhuai::ui::$($seg)::+, Lang::Zh),
            en: hints(guanhuai::ui::$($seg)::+, Lang::En),
        }
    };
}

const EVERYWHERE: &str = "### Keys everywhere";
const IN_FORMS: &str = "#### Above a popup or while typing";

fn tables() -> Vec<Table> {
    let mut t = vec![
        table!(app::GLOBAL_BINDINGS, EVERYWHERE),
        table!(screens::overview::BINDINGS, "### 1 总览 Overview"),
        table!(
            screens::overview::SEARCH_BINDINGS,
            "#### 按党员查找 Finding a member on the Overview"
        ),
        table!(screens::members::LIST_BINDINGS, "#### 名册 The roster"),
        table!(
            screens::members::SEARCH_BINDINGS,
            "#### 搜索党员 Searching the roster"
        ),
        table!(
            screens::members::DETAIL_BINDINGS,
            "#### 党员详情 A member's detail"
        ),
        table!(
            screens::members::CARE_BINDINGS,
            "#### 应办事项与记录 Obligations and history"
        ),
        table!(
            screens::hardship::LIST_BINDINGS,
            "#### 台账列表 The case list"
        ),
        table!(
            screens::hardship::SEARCH_BINDINGS,
            "#### 搜索台账 Searching the cases"
        ),
        table!(screens::hardship::DETAIL_BINDINGS, "#### 台账详情 A case"),
        table!(
            screens::visits::RECORD_BINDINGS,
            "#### 记录列表 The records"
        ),
        table!(
            screens::visits::SEARCH_BINDINGS,
            "#### 按党员查记录 Records of a member"
        ),
        table!(
            screens::visits::CAMPAIGN_BINDINGS,
            "#### 走访活动 Campaigns"
        ),
        table!(
            screens::visits::STANDING_BINDINGS,
            "#### 未走访名单 Not yet visited"
        ),
        table!(screens::fund::LIST_BINDINGS, "#### 账目 The entries"),
        table!(
            screens::fund::SEARCH_BINDINGS,
            "#### 按党员查账 Entries of a member"
        ),
        table!(screens::fund::LOAN_BINDINGS, "#### 无息借款 Loans"),
        table!(screens::fund::AUDIT_BINDINGS, "#### 定时审计 Audits"),
        table!(screens::survey::ROUND_BINDINGS, "#### 调查轮次 Rounds"),
        table!(screens::survey::ENTRY_BINDINGS, "#### 逐份登记 Data entry"),
        table!(
            screens::survey::PLAIN_BINDINGS,
            "#### 新建、找人、结果 New round, find, results"
        ),
        table!(screens::honours::HONOUR_BINDINGS, "#### 表彰 Honours"),
        table!(
            screens::honours::SEARCH_BINDINGS,
            "#### 查找表彰 Finding honours and disciplines"
        ),
        table!(
            screens::honours::DISCIPLINE_BINDINGS,
            "#### 处分 Discipline"
        ),
        table!(
            screens::honours::ASSESS_BINDINGS,
            "#### 业绩考核 Assessment"
        ),
        table!(screens::honours::GRADING_BINDINGS, "#### 评定等次 Grading"),
        table!(screens::honours::BIRTHDAY_BINDINGS, "#### 生日 Birthdays"),
        table!(screens::stats::STATS_BINDINGS, "### 8 统计 Statistics"),
        table!(widgets::form::BINDINGS, "#### 表单 Forms"),
        table!(popups::record_forms::FORM_BINDINGS, "#### 表单 Forms"),
        table!(popups::menu::MENU_BINDINGS, "#### 选择 Menus"),
        table!(popups::confirm::CONFIRM_BINDINGS, "#### 确认 Confirmations"),
        table!(popups::fund_forms::PREVIEW_BINDINGS, "#### 预览 Previews"),
        table!(popups::HELP_BINDINGS, "#### 帮助 Help"),
        table!(popups::log::LOG_BINDINGS, "#### 操作日志 The audit log"),
    ];
    t.push(popup_global());
    t
}

/// The keys that hold above a popup (`app::stack`, private to the app) as
/// the help shows them: a form is opened and F1 pressed over it.
fn popup_global() -> Table {
    let sections = |lang: Lang| {
        let conn = guanhuai::db::open_in_memory().unwrap();
        let mut config = Config::new(common::screen::d("2026-11-28"));
        config.lang = lang;
        let mut app = App::new(conn, config).unwrap();
        app.handle(key(KeyCode::Char('2')));
        app.handle(key(KeyCode::F(2)));
        assert!(app.popups().first().is_some_and(|p| p.is_form()));
        app.handle(key(KeyCode::F(1)));
        let mut h = app.help_sections();
        assert_eq!(h.len(), 2, "the popup's keys, then the global ones");
        h.pop().unwrap().hints
    };
    Table {
        path: "guanhuai::ui::app::stack::POPUP_GLOBAL_BINDINGS".into(),
        heading: IN_FORMS,
        zh: sections(Lang::Zh),
        en: sections(Lang::En),
    }
}

/// A binding as its README row begins: `| `n` `F2` `Ins` | 新增 | New |`.
fn row(zh: &Hint, en: &Hint) -> String {
    let keys: Vec<String> = zh.keys.split(' ').map(|k| format!("`{k}`")).collect();
    format!("| {} | {} | {} |", keys.join(" "), zh.label, en.label)
}

/// The README's lines under each heading (up to the next heading of any level).
fn sections(readme: &str) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut current = String::new();
    let mut fence = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            fence = !fence;
        }
        if !fence && line.starts_with('#') {
            assert!(
                !out.contains_key(line.trim_end()),
                "the heading {line:?} appears twice in README.md"
            );
            current = line.trim_end().to_string();
            out.insert(current.clone(), Vec::new());
        } else if let Some(lines) = out.get_mut(&current) {
            lines.push(line.to_string());
        }
    }
    out
}

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

#[test]
fn every_key_of_every_screen_is_in_the_readme_under_its_heading() {
    let readme = readme();
    let sections = sections(&readme);
    let mut missing = Vec::new();
    let mut expected: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for t in tables() {
        assert_eq!(t.zh.len(), t.en.len(), "{}", t.path);
        assert!(!t.zh.is_empty(), "{} has no keys", t.path);
        let Some(lines) = sections.get(t.heading) else {
            let rows: Vec<String> = t.zh.iter().zip(&t.en).map(|(z, e)| row(z, e)).collect();
            missing.push(format!(
                "no heading {:?} (for {}); its rows:\n{}",
                t.heading,
                t.path,
                rows.join("\n")
            ));
            continue;
        };
        for (zh, en) in t.zh.iter().zip(&t.en) {
            let r = row(zh, en);
            if !lines.iter().any(|l| l.starts_with(&r)) {
                missing.push(format!("under {:?}: {r}   ({})", t.heading, t.path));
            }
            expected.entry(t.heading).or_default().push(r);
        }
    }
    assert!(
        missing.is_empty(),
        "README.md lacks these keys:\n{}",
        missing.join("\n")
    );
    // No row of a key table names a key the screen no longer has.
    let mut stale = Vec::new();
    for (heading, rows) in &expected {
        for l in &sections[*heading] {
            if l.starts_with("| `") && !rows.iter().any(|r| l.starts_with(r.as_str())) {
                stale.push(format!("under {heading:?}: {l}"));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "README.md lists keys that no table has:\n{}",
        stale.join("\n")
    );
}

/// The module path of a source file: `src/ui/screens/fund/keys.rs` →
/// `guanhuai::ui::screens::fund::keys`.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    std::iter::once("guanhuai".to_string())
        .chain(parts)
        .collect::<Vec<_>>()
        .join("::")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn every_key_table_in_the_source_is_checked_against_the_readme() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src.join("ui"), &mut files);
    let known: Vec<String> = tables().into_iter().map(|t| t.path).collect();
    let mut found = 0;
    let mut unchecked = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let module = module_of(&src, &f);
        for line in text.lines() {
            let Some((_, rest)) = line.split_once("const ") else {
                continue;
            };
            let Some((name, ty)) = rest.split_once(':') else {
                continue;
            };
            if !name.ends_with("BINDINGS") || !ty.trim_start().starts_with("&[Binding<") {
                continue;
            }
            found += 1;
            // Checked when a table of that name is reached through this
            // module or a module above it (a re-export).
            let reached = known.iter().any(|k| {
                k.rsplit_once("::").is_some_and(|(m, n)| {
                    n == name && (module == m || module.starts_with(&format!("{m}::")))
                })
            });
            if !reached {
                unchecked.push(format!("{module}::{name}"));
            }
        }
    }
    assert!(found >= 30, "the source scan finds the tables ({found})");
    assert!(
        unchecked.is_empty(),
        "key tables not in tests/readme_keys.rs (give each a README heading): {unchecked:?}"
    );
}
