//! The help fund ledger export (帮扶基金): every entry in chain order, amounts
//! in yuan, with every field of the entry: the voucher it reverses and the
//! one that reverses it (a voucher is named with its year, since numbers are
//! unique per year), the subsidy month, the loan, hardship case and measure
//! it belongs to, its place in the chain and both hashes, so an auditor can
//! recompute the chain from the file.
//!
//! Export only: fund entries are made in the program, with their vouchers,
//! and never imported (`guanhuai import fund` is not a command).

use super::columns::Column;
use super::export::ExportQuery;
use super::write::Cell;
use crate::db;
use crate::db::fund::LedgerRow;
#[cfg(test)]
use crate::domain::vocab::Direction;
use crate::domain::vocab::{Coded, Lang};

/// The columns of the fund ledger export.
pub const FUND_COLUMNS: &[Column] = &[
    Column::new("date", "日期"),
    Column::new("direction", "收支"),
    Column::new("category", "类别"),
    Column::new("amount", "金额"),
    Column::new("code", "编号"),
    Column::new("name", "姓名"),
    Column::new("voucher_no", "凭证号"),
    Column::new("handled_by", "经手人"),
    Column::new("approved_by", "审批人"),
    Column::new("note", "备注"),
    Column::new("reverses", "冲销凭证号"),
    Column::new("reversed_by", "被冲销凭证号"),
    Column::new("subsidy_month", "生活补贴月份"),
    Column::new("loan", "借款编号"),
    Column::new("case", "困难台账编号"),
    Column::new("measure", "帮扶措施编号"),
    Column::new("id", "序号"),
    Column::new("prev_hash", "前一哈希"),
    Column::new("hash", "哈希"),
];

/// Every fund entry in chain (id) order, amounts in yuan (`1234.56`).
pub fn fund_export(lang: Lang) -> ExportQuery {
    ExportQuery::new(
        ("帮扶基金", "Fund"),
        FUND_COLUMNS,
        db::fund::stream_ledger,
        move |e| ledger_row(e, lang),
    )
}

fn ledger_row(e: LedgerRow, lang: Lang) -> Vec<Cell> {
    // A reversal keeps its original's category (of the other direction).
    let category = crate::domain::fund::category_label(&e.category, lang);
    // Voucher numbers are unique per year: name the year with the voucher.
    let reverses = e.reverses.map(|(y, v)| format!("{y} {v}"));
    let reversed_by = e.reversed_by.map(|(y, v)| format!("{y} {v}"));
    let id = |v: Option<i64>| v.map_or(Cell::text(""), Cell::Int);
    vec![
        Cell::Date(e.date),
        Cell::text(e.direction.label(lang)),
        Cell::Text(category),
        Cell::Money(e.amount_fen),
        Cell::text(e.member_code.unwrap_or_default()),
        Cell::text(e.member_name.unwrap_or_default()),
        Cell::Text(e.voucher_no),
        Cell::Text(e.handled_by),
        Cell::Text(e.approved_by),
        Cell::Text(e.note),
        Cell::text(reverses.unwrap_or_default()),
        Cell::text(reversed_by.unwrap_or_default()),
        Cell::text(e.subsidy_month.unwrap_or_default()),
        id(e.loan_id),
        id(e.case_id),
        id(e.measure_id),
        Cell::Int(e.id),
        Cell::Text(e.prev_hash),
        Cell::Text(e.hash),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fund_rows_read_the_ledger() {
        let conn = db::open_in_memory().unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        db::fund::insert(
            &conn,
            &db::fund::NewEntry {
                date: day,
                direction: Direction::In,
                category: "fiscal".into(),
                amount_fen: 123456,
                voucher_no: "S-001".into(),
                ..Default::default()
            },
            day,
        )
        .unwrap();
        db::fund::insert_reversal(&conn, 1, day, "", "错账", day).unwrap();
        let rows = fund_export(Lang::Zh).collect(&conn).unwrap();
        assert_eq!(rows[0][1], Cell::text("收入"));
        assert_eq!(rows[0][2], Cell::text("财政补贴"));
        assert_eq!(rows[0][3].as_text(), "1234.56");
        assert_eq!(rows[0].len(), FUND_COLUMNS.len());
        // the reversal: a payment of the original's category, both vouchers named
        assert_eq!(rows[1][1], Cell::text("支出"));
        assert_eq!(rows[1][2], Cell::text("财政补贴"));
        assert_eq!(rows[1][10], Cell::text("2026 S-001"));
        assert_eq!(rows[0][11], Cell::text("2026 2026-0001"));
        assert_eq!(rows[1][16], Cell::Int(2));
        assert_eq!(rows[1][17], rows[0][18]);
    }
}
