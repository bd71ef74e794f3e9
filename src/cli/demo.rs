//! `guanhuai demo`: fills an empty database with a realistic branch — about 120
//! members showing every category, three years of talks, visits and events, a
//! 七一 and a 春节 campaign, a hardship ledger with cases in every state
//! (`demo/hardship.rs`), a year of the help fund with a loan, subsidies, a
//! reversal and a closed audit (`demo/fund.rs`) — dated around the day it is run, so
//! the Overview shows a mix of overdue and due-soon work. The same generator,
//! scaled up, makes the benchmark datasets.

use chrono::{Datelike, Days, NaiveDate};
use rusqlite::Connection;

use super::CliError;
use crate::db;
use crate::domain::records::{Campaign, Event, Talk, Visit};
use crate::domain::vocab::{CampaignTarget, Coded, EventKind, TalkForm, VisitKind};
use crate::domain::{Lang, lunar};

mod fund;
mod hardship;
mod incentives;
mod people;
mod survey;
pub use people::Rng;
use people::{CONDUCTORS, member};

/// How much to generate.
#[derive(Debug, Clone, Copy)]
pub struct GenOptions {
    pub members: usize,
    /// Years of history before `today`.
    pub years: i32,
    pub today: NaiveDate,
    pub seed: u64,
    /// Print progress on stderr every this many members (0: never).
    pub progress_every: usize,
}

/// What was generated.
#[derive(Debug, Default, Clone, Copy)]
pub struct GenCounts {
    pub members: usize,
    pub talks: usize,
    pub visits: usize,
    pub events: usize,
    pub cases: usize,
    pub campaigns: usize,
    pub fund_entries: usize,
    pub subsidies: usize,
}

fn day(d: NaiveDate, offset: i64) -> NaiveDate {
    if offset >= 0 {
        d.checked_add_days(Days::new(offset as u64)).unwrap_or(d)
    } else {
        d.checked_sub_days(Days::new((-offset) as u64)).unwrap_or(d)
    }
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// Generates a branch into `conn` in one transaction per 10,000 members.
pub fn generate(conn: &mut Connection, o: GenOptions) -> Result<GenCounts, db::DbError> {
    let mut rng = Rng::new(o.seed);
    let mut counts = GenCounts::default();
    let today = o.today;
    let start = day(today, -(365 * o.years as i64));
    let actor = db::audit::Actor::new("demo");
    let mut tx = db::audit::write_tx(conn, &actor)?;
    let mut ledger = hardship::Ledger::new(o.seed);
    let mut helpers = hardship::HelperPool::new();
    for i in 0..o.members {
        if i > 0 && i % 10_000 == 0 {
            tx.commit()?;
            tx = db::audit::write_tx(conn, &actor)?;
            if o.progress_every > 0 && i % o.progress_every == 0 {
                eprintln!("… {i} members");
            }
        }
        let m = member(&mut rng, i, today);
        let id = crate::db::members::insert(&tx, &m)?;
        counts.members += 1;
        let old = m.is_old_on(today, &Default::default());
        let reg = m.registered_or_joined();

        // a hardship case for some of the poorer and older members
        let needy = m.low_income || m.no_fixed_income || m.disabled || (old && m.chronic_ill);
        let mut live_case = false;
        if needy && rng.chance(60) {
            if let Some(state) = ledger.case(&tx, &m, id, reg, today, &helpers)? {
                counts.cases += 1;
                live_case = state.is_live() && m.is_active();
            }
        } else if !needy {
            helpers.offer(id, &m);
        }

        // talks: about one a year, sometimes missed
        let mut d = day(start.max(reg), rng.below(200) as i64);
        while d <= today {
            if rng.chance(88) {
                let t = Talk {
                    id: 0,
                    member_id: id,
                    date: d,
                    conductor: rng.pick(CONDUCTORS).to_string(),
                    form: *rng.pick(&[
                        TalkForm::FaceToFace,
                        TalkForm::OneOnOne,
                        TalkForm::Group,
                        TalkForm::Phone,
                    ]),
                    summary: rng
                        .pick(&[
                            "了解思想和工作情况",
                            "听取对支部工作的意见",
                            "谈学习体会",
                            "关心家庭生活",
                        ])
                        .to_string(),
                    problems: String::new(),
                    follow_up: rng.chance(10),
                    follow_up_note: String::new(),
                };
                crate::db::records::insert_talk(&tx, &t)?;
                counts.talks += 1;
            }
            d = day(d, 330 + rng.below(80) as i64);
        }

        // visits: regular for old, honorary, hardship and mobile members
        let cared = old || m.honorary || live_case || m.living_alone || m.chronic_ill;
        let every = if live_case {
            80
        } else if cared {
            150
        } else {
            420
        };
        let mut d = day(start.max(reg), rng.below(every) as i64);
        while d <= today {
            if rng.chance(if cared { 85 } else { 45 }) {
                let kind = if m.mobile {
                    *rng.pick(&[
                        VisitKind::Phone,
                        VisitKind::Online,
                        VisitKind::Letter,
                        VisitKind::Home,
                    ])
                } else {
                    *rng.pick(&[
                        VisitKind::Home,
                        VisitKind::Home,
                        VisitKind::Hospital,
                        VisitKind::Holiday,
                        VisitKind::Phone,
                    ])
                };
                visit(&tx, id, d, kind, &mut rng)?;
                counts.visits += 1;
            }
            d = day(d, every as i64 - 10 + rng.below(40) as i64);
        }
        if m.honorary {
            let mut d = day(
                m.honorary_since.unwrap_or(reg).max(start),
                30 + rng.below(200) as i64,
            );
            while d <= today {
                if rng.chance(80) {
                    visit(&tx, id, d, VisitKind::HealthCheck, &mut rng)?;
                    counts.visits += 1;
                }
                d = day(d, 340 + rng.below(60) as i64);
            }
        }

        // events: one every few years, some of them recent and not yet followed up
        let n_events = rng.below(3) as i64;
        for _ in 0..n_events {
            let d = day(today, -(rng.below(365 * o.years as u64) as i64));
            if d < reg {
                continue;
            }
            let kind = *rng.pick(EventKind::ALL);
            crate::db::records::insert_event(
                &tx,
                &Event {
                    id: 0,
                    member_id: id,
                    date: d,
                    kind,
                    note: event_note(kind).into(),
                },
            )?;
            counts.events += 1;
            // most events were followed up within the deadline
            if d < day(today, -20) && rng.chance(85) {
                let follow = day(d, 1 + rng.below(6) as i64);
                if kind.obliges_talk() {
                    talk_now(&tx, id, follow, &mut rng)?;
                    counts.talks += 1;
                }
                if kind.obliges_visit() {
                    visit(&tx, id, follow, VisitKind::Home, &mut rng)?;
                    counts.visits += 1;
                }
            }
        }
        if i % 23 == 4 && m.is_active() {
            // a recent event still waiting for its talk or visit
            let kind = *rng.pick(&[
                EventKind::Illness,
                EventKind::JobChange,
                EventKind::Setback,
                EventKind::Ideology,
            ]);
            let d = day(today, -(rng.below(12) as i64));
            crate::db::records::insert_event(
                &tx,
                &Event {
                    id: 0,
                    member_id: id,
                    date: d.max(reg),
                    kind,
                    note: event_note(kind).into(),
                },
            )?;
            counts.events += 1;
        }
    }
    counts.campaigns = campaigns(&tx, today, &mut rng, &mut counts)?;
    let f = fund::fund(&tx, today, o.members)?;
    counts.fund_entries = f.entries;
    counts.subsidies = f.subsidies;
    survey::survey(&tx, today, o.seed)?;
    incentives::incentives(&tx, today)?;
    // every entry the fund holds now: the bonuses and the interest the
    // incentives paid are entries too
    counts.fund_entries = tx.query_row("SELECT count(*) FROM fund_entries", [], |r| {
        r.get::<_, i64>(0)
    })? as usize;
    tx.commit()?;
    // The Overview's table of open obligations, built once for every start.
    let settings = db::settings::load(conn)?;
    db::obligations::kept::ensure(conn, &settings)?;
    Ok(counts)
}

fn event_note(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Illness => "住院治疗",
        EventKind::JobChange => "调整工作岗位",
        EventKind::Retirement => "办理退休手续",
        EventKind::Commendation => "获评优秀共产党员",
        EventKind::Setback => "家庭变故",
        EventKind::WeddingFuneral => "家中办丧事",
        EventKind::Accident => "房屋受损",
        _ => "",
    }
}

fn visit(
    conn: &Connection,
    member_id: i64,
    date: NaiveDate,
    kind: VisitKind,
    rng: &mut Rng,
) -> db::Result<i64> {
    crate::db::records::insert_visit(
        conn,
        &Visit {
            id: 0,
            member_id,
            date,
            visitor: rng.pick(CONDUCTORS).to_string(),
            kind,
            goods: if kind == VisitKind::Holiday {
                "米、油".into()
            } else {
                String::new()
            },
            fund_entry_id: None,
            notes: rng
                .pick(&["身体尚好", "了解生活困难", "送去慰问", "老人精神不错", ""])
                .to_string(),
        },
    )
}

fn talk_now(conn: &Connection, member_id: i64, date: NaiveDate, rng: &mut Rng) -> db::Result<i64> {
    crate::db::records::insert_talk(
        conn,
        &Talk {
            id: 0,
            member_id,
            date,
            conductor: rng.pick(CONDUCTORS).to_string(),
            form: TalkForm::FaceToFace,
            summary: "针对近期情况谈心".into(),
            problems: String::new(),
            follow_up: false,
            follow_up_note: String::new(),
        },
    )
}

/// 七一 and 春节 campaigns of this year and last, plus one running now.
fn campaigns(
    conn: &Connection,
    today: NaiveDate,
    rng: &mut Rng,
    counts: &mut GenCounts,
) -> db::Result<usize> {
    let y = today.year();
    let mut list: Vec<Campaign> = Vec::new();
    for year in [y - 1, y] {
        let (from, to) = lunar::july_first_window(year);
        if from <= today {
            list.push(Campaign {
                id: 0,
                name: format!("{year}年七一走访慰问"),
                from,
                to,
                targets: vec![
                    CampaignTarget::Old,
                    CampaignTarget::Hardship,
                    CampaignTarget::Honorary,
                ],
            });
        }
        if let Some((from, to)) = lunar::spring_festival_window(year)
            && from <= today
        {
            list.push(Campaign {
                id: 0,
                name: format!("{year}年春节走访慰问"),
                from,
                to,
                targets: vec![
                    CampaignTarget::Hardship,
                    CampaignTarget::Honorary,
                    CampaignTarget::LivingAlone,
                    CampaignTarget::LowIncome,
                ],
            });
        }
    }
    // a campaign running today, half done
    list.push(Campaign {
        id: 0,
        name: format!("{y}年冬季走访慰问"),
        from: day(today, -10),
        to: day(today, 10),
        targets: vec![
            CampaignTarget::LivingAlone,
            CampaignTarget::ChronicIll,
            CampaignTarget::Disabled,
        ],
    });
    // next spring festival, not started yet
    if let Some((from, to)) = lunar::spring_festival_window(y + 1)
        && from > today
    {
        list.push(Campaign {
            id: 0,
            name: format!("{}年春节走访慰问", y + 1),
            from,
            to,
            targets: vec![
                CampaignTarget::Hardship,
                CampaignTarget::Honorary,
                CampaignTarget::Old,
            ],
        });
    }
    let settings = crate::db::settings::load(conn)?;
    for c in &list {
        crate::db::records::insert_campaign(conn, c)?;
        // visits during the window: nearly every target of a finished campaign was
        // visited, about half of those of the one running today
        let end = c.to.min(today);
        if c.from > end {
            continue;
        }
        let span = (end - c.from).num_days().max(0) as u64 + 1;
        let pct = if c.to >= today { 45 } else { 96 };
        let code = format!("campaign:{}", c.name);
        let report = crate::db::obligations::compute(
            conn,
            end,
            &settings,
            crate::db::obligations::Which::Both,
        )?;
        let targets: Vec<i64> = report
            .iter()
            .filter(|r| r.code == code)
            .map(|r| r.member_id)
            .collect();
        for id in targets {
            if rng.chance(pct) {
                let date = day(c.from, rng.below(span) as i64);
                visit(conn, id, date, VisitKind::Holiday, rng)?;
                counts.visits += 1;
            }
        }
    }
    Ok(list.len())
}

/// Fills an empty database with the demo branch (refuses a database that has members).
pub fn run(conn: &mut Connection, lang: Lang) -> Result<(), CliError> {
    let n = crate::db::members::count(conn).map_err(|e| CliError::from_db(e, lang))?;
    if n > 0 {
        return Err(CliError(match lang {
            Lang::Zh => format!("数据库中已有 {n} 名党员；演示数据只写入空数据库"),
            Lang::En => format!(
                "the database already has {n} members; demo data goes only into an empty one"
            ),
        }));
    }
    let c = generate(
        conn,
        GenOptions {
            members: 120,
            years: 3,
            today: crate::clock::today(),
            seed: 20260701,
            progress_every: 0,
        },
    )
    .map_err(|e| CliError::from_db(e, lang))?;
    eprintln!(
        "{}",
        match lang {
            Lang::Zh => format!(
                "已生成演示数据：党员 {} 名，谈话 {} 次，走访 {} 次，情况 {} 条，困难台账 {} 件，走访活动 {} 个，帮扶基金账目 {} 笔（生活补贴 {} 笔）",
                c.members,
                c.talks,
                c.visits,
                c.events,
                c.cases,
                c.campaigns,
                c.fund_entries,
                c.subsidies
            ),
            Lang::En => format!(
                "demo data written: {} members, {} talks, {} visits, {} events, {} hardship cases, {} campaigns, {} fund entries ({} subsidies)",
                c.members,
                c.talks,
                c.visits,
                c.events,
                c.cases,
                c.campaigns,
                c.fund_entries,
                c.subsidies
            ),
        }
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::member::Member;
    use crate::domain::vocab::MemberStatus;

    #[test]
    fn demo_shows_every_category() {
        let mut conn = crate::db::open_in_memory().unwrap();
        let today = ymd(2026, 11, 28);
        let c = generate(
            &mut conn,
            GenOptions {
                members: 120,
                years: 3,
                today,
                seed: 20260701,
                progress_every: 0,
            },
        )
        .unwrap();
        assert_eq!(c.members, 120);
        let members = crate::db::members::all(&conn).unwrap();
        let s = crate::domain::settings::Settings::default();
        let has = |f: &dyn Fn(&Member) -> bool| members.iter().any(f);
        assert!(has(&|m| m.is_old_on(today, &s)));
        assert!(has(&|m| m.mobile && m.mobile_since.is_some()));
        assert!(has(&|m| m.honorary && m.honorary_since.is_some()));
        assert!(has(&|m| m.low_income));
        assert!(has(&|m| m.living_alone));
        assert!(has(&|m| m.disabled));
        assert!(has(&|m| m.chronic_ill));
        assert!(has(&|m| m.status == MemberStatus::TransferredOut));
        assert!(has(&|m| m.status == MemberStatus::Deceased));
        assert!(has(&|m| m.name.contains('𠮷')));
        assert!(has(&|m| m.name.contains('·')));
        assert!(c.talks > 200 && c.visits > 200 && c.events > 50 && c.cases > 3);
        let names: Vec<String> = crate::db::records::campaigns(&conn)
            .unwrap()
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert!(
            names.iter().any(|n| n.contains("七一")) && names.iter().any(|n| n.contains("春节"))
        );
    }

    #[test]
    fn the_demo_ledger_has_every_state_on_valid_paths_with_help_and_reviews() {
        use crate::domain::vocab::{CaseState, Coded};
        let mut conn = crate::db::open_in_memory().unwrap();
        let today = ymd(2026, 11, 28);
        generate(
            &mut conn,
            GenOptions {
                members: 120,
                years: 3,
                today,
                seed: 20260701,
                progress_every: 0,
            },
        )
        .unwrap();
        let cases = crate::db::hardship::list(&conn, &Default::default()).unwrap();
        for s in CaseState::ALL {
            assert!(cases.iter().any(|c| c.state == *s), "no case is {s:?}");
        }
        for c in &cases {
            let steps = crate::db::hardship::steps(&conn, c.id).unwrap();
            assert!(
                crate::domain::hardship::is_valid_path(&steps),
                "{c:?}: {steps:?}"
            );
            assert!(steps.iter().all(|s| s.date <= today && !s.imported));
        }
        // a notice running on the demo's today
        let on_notice = crate::db::hardship::notice_rows(&conn, None, None).unwrap();
        assert!(
            on_notice
                .iter()
                .any(|r| r.from.is_some_and(|f| f <= today) && r.to.is_some_and(|t| today <= t))
        );
        let details: Vec<_> = cases
            .iter()
            .map(|c| crate::db::hardship::detail(&conn, c.id).unwrap().unwrap())
            .collect();
        let any = |f: &dyn Fn(&crate::db::hardship::CaseDetail) -> bool| details.iter().any(f);
        assert!(any(&|d| d.family.len() > 1 && d.family_income_fen() > 0));
        assert!(any(&|d| d.helpers.len() == 1));
        assert!(any(&|d| d.helpers.len() > 1));
        assert!(any(&|d| d.helpers.iter().any(|h| matches!(
            h.kind,
            crate::db::hardship::HelperKind::Unit(_)
        ))));
        let actions = || {
            details
                .iter()
                .flat_map(|d| &d.measures)
                .flat_map(|m| &m.actions)
        };
        assert!(actions().any(|a| a.amount_fen.is_some()));
        assert!(actions().any(|a| !a.goods.is_empty()));
        assert!(any(&|d| !d.reviews.is_empty()));
        // a live case whose annual review is overdue shows on the Overview
        let settings = crate::db::settings::load(&conn).unwrap();
        let report = crate::db::obligations::compute(
            &conn,
            today,
            &settings,
            crate::db::obligations::Which::Overdue,
        )
        .unwrap();
        assert!(report.iter().any(|r| r.code == "hardship_review"));
    }

    #[test]
    fn the_demo_fund_has_every_kind_of_entry_and_verifies() {
        use crate::domain::vocab::{Coded, Direction, ExpenseCategory, IncomeCategory};
        let mut conn = crate::db::open_in_memory().unwrap();
        // an awkward day: the month's first, after a short month
        for today in [ymd(2026, 11, 28), ymd(2027, 3, 1)] {
            let mut conn2 = crate::db::open_in_memory().unwrap();
            let c = generate(
                &mut conn2,
                GenOptions {
                    members: 120,
                    years: 3,
                    today,
                    seed: 20260701,
                    progress_every: 0,
                },
            )
            .unwrap();
            assert!(c.fund_entries > 30 && c.subsidies > 0, "{today}: {c:?}");
            let v = crate::db::fund::verify(&conn2).unwrap();
            assert!(v.ok(), "{today}");
            // the summary names every entry `fund verify` counts
            assert_eq!(c.fund_entries, v.entries, "{today}");
            if today == ymd(2026, 11, 28) {
                conn = conn2;
            }
        }
        let today = ymd(2026, 11, 28);
        let all = crate::db::fund::entries(&conn).unwrap();
        let has = |dir: Direction, cat: &str| {
            all.iter()
                .any(|e| e.direction == dir && e.category == cat && e.reverses_id.is_none())
        };
        for c in IncomeCategory::ALL {
            assert!(has(Direction::In, c.code()), "no income {c:?}");
        }
        for c in ExpenseCategory::ALL {
            assert!(has(Direction::Out, c.code()), "no payment {c:?}");
        }
        assert_eq!(all.iter().filter(|e| e.reverses_id.is_some()).count(), 1);
        // condolence money paid with a visit, linked to it
        let paid_with_visit = |e: &&crate::domain::fund::Entry| {
            let history = crate::db::records::member_history(&conn, e.member_id.unwrap()).unwrap();
            history.iter().any(|r| {
                matches!(r, crate::db::records::Record::Visit(v)
                    if v.fund_entry_id == Some(e.id) && v.date == e.date)
            })
        };
        let condolences: Vec<&crate::domain::fund::Entry> =
            all.iter().filter(|e| e.category == "condolence").collect();
        assert!(!condolences.is_empty());
        assert!(condolences.iter().all(paid_with_visit));
        // subsidies of two months
        let mut months: Vec<&str> = all
            .iter()
            .filter_map(|e| e.subsidy_month.as_deref())
            .collect();
        months.dedup();
        assert_eq!(months, ["2026-09", "2026-10"]);
        // a loan with repayments and overdue instalments
        let loans = crate::db::fund::loans(&conn).unwrap();
        assert_eq!(loans.len(), 1);
        assert!(loans[0].repaid_fen > 0 && loans[0].outstanding_fen() > 0);
        assert!(!loans[0].overdue(today).is_empty());
        // one closed audit of an earlier period
        let audits = crate::db::fund::audits(&conn).unwrap();
        assert_eq!(audits.len(), 1);
        assert!(audits[0].to < today && audits[0].entries > 5);
        // its chain ends on an entry written by the day it closed: nothing
        // in the chain it sealed is dated after it
        let last = audits[0].chain_last_id.unwrap();
        let head = all.iter().find(|e| e.id == last).unwrap();
        assert!(head.date <= audits[0].closed_on, "{head:?}");
        assert!(
            all.iter()
                .filter(|e| e.id <= last)
                .all(|e| e.date <= audits[0].closed_on)
        );
        let settings = crate::db::settings::load(&conn).unwrap();
        let report = crate::db::obligations::compute(
            &conn,
            today,
            &settings,
            crate::db::obligations::Which::Overdue,
        )
        .unwrap();
        assert!(report.iter().any(|r| r.code == "loan_instalment"));
    }
}
