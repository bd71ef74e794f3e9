//! The demo's help fund (帮扶基金): a year of entries dated back from the
//! demo's today, all through the checked `db::fund` functions (so
//! `guanhuai fund verify` passes on the demo): income of every source, every
//! kind of payment (relief for a live hardship case, condolence money paid
//! with a visit, goods, a health check, training), a payment entered twice by
//! mistake and reversed, an interest-free loan whose repayments stopped (its
//! overdue instalments show on the Overview as `loan_instalment`), living
//! subsidies for the two months before today's, and the first half of the
//! year closed by an audit.

use chrono::{Datelike, Months, NaiveDate};
use rusqlite::Connection;

use super::day;
use crate::db;
use crate::db::fund::{NewEntry, NewLoan};
use crate::domain::vocab::{CaseState, Coded, Direction, VisitKind};

const CLERK: &str = "王委员";
const APPROVER: &str = "李书记";

/// The first day of the month `k` months before `today`'s.
fn month_start(today: NaiveDate, k: u32) -> NaiveDate {
    let first = today.with_day(1).unwrap_or(today);
    first.checked_sub_months(Months::new(k)).unwrap_or(first)
}

/// What the demo's fund holds.
#[derive(Debug, Default, Clone, Copy)]
pub struct FundCounts {
    pub entries: usize,
    pub subsidies: usize,
}

/// Writes the fund into the caller's transaction. `members` scales the
/// income so a large generated branch can still pay its subsidies.
pub fn fund(conn: &Connection, today: NaiveDate, members: usize) -> db::Result<FundCounts> {
    let mut n = FundCounts::default();
    let m = |k: u32, d: i64| day(month_start(today, k), d);
    let settings = db::settings::load(conn)?;
    let entry = |date: NaiveDate,
                 direction: Direction,
                 category: &str,
                 fen: i64,
                 note: &str,
                 member_id: Option<i64>,
                 case_id: Option<i64>|
     -> db::Result<crate::domain::fund::Entry> {
        db::fund::insert(
            conn,
            &NewEntry {
                date,
                direction,
                category: category.into(),
                amount_fen: fen,
                member_id,
                case_id,
                handled_by: CLERK.into(),
                approved_by: APPROVER.into(),
                note: note.into(),
                ..NewEntry::default()
            },
            today,
        )
    };
    use Direction::{In, Out};
    let scale = (members as i64 / 100).max(1);
    entry(
        m(11, 2),
        In,
        "fiscal",
        5_000_000 * scale,
        "年度财政帮扶资金",
        None,
        None,
    )?;
    entry(
        m(11, 9),
        In,
        "dues",
        800_000,
        "上级党组织党费划拨",
        None,
        None,
    )?;
    entry(
        m(11, 14),
        In,
        "member_donation",
        360_000,
        "支部党员自愿捐助",
        None,
        None,
    )?;
    entry(
        m(10, 3),
        In,
        "social_donation",
        1_000_000,
        "爱心企业捐赠",
        None,
        None,
    )?;

    // relief for a live hardship case, linked to the case
    let cases = db::hardship::list(conn, &Default::default())?;
    let live: Vec<&db::hardship::CaseRow> = cases
        .iter()
        .filter(|c| matches!(c.state, CaseState::Approved | CaseState::Active))
        .collect();
    if let Some(c) = live.first() {
        entry(
            m(10, 20),
            Out,
            "relief",
            200_000,
            "困难党员临时救助",
            Some(c.member_id),
            Some(c.id),
        )?;
    }
    entry(
        m(9, 10),
        Out,
        "goods",
        126_000,
        "春节慰问品（米、油）",
        None,
        None,
    )?;
    let twice = entry(
        m(9, 11),
        Out,
        "goods",
        126_000,
        "春节慰问品（米、油）",
        None,
        None,
    )?;
    db::fund::insert_reversal(
        conn,
        twice.id,
        m(9, 15),
        "",
        &format!("凭证 {} 重复记账，冲销", twice.voucher_no),
        today,
    )?;
    entry(m(8, 1), In, "interest", 4_567, "银行存款利息", None, None)?;
    entry(
        m(8, 5),
        Out,
        "health_check",
        320_000,
        "老党员健康体检",
        None,
        None,
    )?;
    entry(
        m(7, 12),
        Out,
        "training",
        80_000,
        "党员培训资料",
        None,
        None,
    )?;

    // an interest-free loan, repaid for three months and then not at all
    let borrower = live
        .get(1)
        .or(live.first())
        .map(|c| (c.member_id, Some(c.id)));
    // the first half of the year is audited a few days after it ends: what
    // happened after that day is written after the audit, as a clerk would
    let audit_to = m(5, -1);
    let audit_on = day(audit_to, 6);
    let mut later_repayments = Vec::new();
    if let Some((member_id, case_id)) = borrower {
        let (loan, _) = db::fund::insert_loan(
            conn,
            &NewLoan {
                member_id,
                case_id,
                principal_fen: 600_000,
                date: m(7, 20),
                first_due: m(6, 20),
                instalments: 6,
                every_months: 1,
                voucher_no: String::new(),
                handled_by: CLERK.into(),
                approved_by: APPROVER.into(),
                note: "无息借款：子女学费，分六期归还".into(),
            },
            today,
        )?;
        for (date, fen) in [(m(6, 18), 100_000), (m(5, 22), 100_000), (m(4, 25), 50_000)] {
            if date > audit_on {
                later_repayments.push((loan, date, fen));
            } else {
                repay(conn, loan, date, fen, today)?;
            }
        }
    }
    db::fund::insert_audit(
        conn,
        m(11, 0),
        audit_to,
        "赵会计（街道财政所）",
        "半年度审计",
        audit_on,
    )?;
    for (loan, date, fen) in later_repayments {
        repay(conn, loan, date, fen, today)?;
    }

    entry(m(5, 1), In, "interest", 3_820, "银行存款利息", None, None)?;
    entry(
        m(4, 3),
        In,
        "other",
        20_000,
        "退回多付的慰问品款",
        None,
        None,
    )?;
    entry(m(3, 2), Out, "other", 15_000, "公示材料打印", None, None)?;

    // condolence money paid with a hospital or home visit, linked to it
    let visits = db::visits_list::page(
        conn,
        &db::visits_list::ListFilter {
            only: Some(db::visits_list::RecordType::Visit),
            from: Some(m(3, 3)),
            to: Some(m(2, 3)),
            members: None,
        },
        None,
        200,
    )?;
    let mut paid_visits = 0;
    for v in visits.iter().rev() {
        if paid_visits == 2 {
            break;
        }
        let kind_ok = v.what == VisitKind::Hospital.code() || v.what == VisitKind::Home.code();
        if !kind_ok || v.voided_on.is_some() {
            continue;
        }
        db::fund::pay_condolence(
            conn,
            v.id,
            &NewEntry {
                date: v.date,
                amount_fen: 50_000,
                member_id: Some(v.member_id),
                handled_by: CLERK.into(),
                approved_by: APPROVER.into(),
                note: "走访慰问金".into(),
                ..NewEntry::default()
            },
            today,
        )?;
        paid_visits += 1;
    }

    // living subsidies of the two months before this one
    for k in [2, 1] {
        let start = month_start(today, k);
        let month = crate::domain::fund::month_of(start);
        let paid = db::fund::insert_subsidies(
            conn,
            &month,
            day(start, 4),
            CLERK,
            APPROVER,
            &settings,
            today,
        )?;
        n.subsidies += paid;
    }
    // relief paid today: on this month's notice
    if let Some(c) = live.last() {
        entry(
            today,
            Out,
            "relief",
            100_000,
            "冬季临时救助",
            Some(c.member_id),
            Some(c.id),
        )?;
    }
    n.entries = db::fund::entries(conn)?.len();
    Ok(n)
}

fn repay(
    conn: &Connection,
    loan: i64,
    date: NaiveDate,
    fen: i64,
    today: NaiveDate,
) -> db::Result<()> {
    db::fund::insert_repayment(
        conn,
        loan,
        &NewEntry {
            date,
            amount_fen: fen,
            handled_by: CLERK.into(),
            approved_by: APPROVER.into(),
            note: "归还无息借款".into(),
            ..NewEntry::default()
        },
        today,
    )?;
    Ok(())
}
