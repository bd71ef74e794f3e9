//! The help fund ledger export (帮扶基金): every entry, amounts in yuan.
//! (Export only: fund entries are made in the program, with their vouchers.)

use super::columns::Column;
use super::export::ExportQuery;
use super::write::Cell;
use crate::db;
use crate::domain::vocab::{Coded, Direction, ExpenseCategory, IncomeCategory, Lang};

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
];

/// Every fund entry in date order, amounts in yuan (`1234.56`).
pub fn fund_export(lang: Lang) -> ExportQuery {
    ExportQuery {
        sheet_zh: "帮扶基金",
        sheet_en: "Fund",
        columns: FUND_COLUMNS,
        sql: "SELECT f.date, f.direction, f.category, f.amount_fen, m.code, m.name, f.voucher_no,
                     f.handled_by, f.approved_by, f.note, r.voucher_no, r.year
              FROM fund_entries f
              LEFT JOIN members m ON m.id = f.member_id
              LEFT JOIN fund_entries r ON r.id = f.reverses_id
              ORDER BY f.date, f.id"
            .into(),
        row: Box::new(move |r| {
            let direction: String = r.get(1)?;
            let category: String = r.get(2)?;
            let category_label = if direction == "in" {
                IncomeCategory::from_code(&category).map(|c| c.label(lang))
            } else {
                ExpenseCategory::from_code(&category).map(|c| c.label(lang))
            };
            // Voucher numbers are unique per year: name the year with the voucher.
            let reverses = match (
                r.get::<_, Option<String>>(10)?,
                r.get::<_, Option<i64>>(11)?,
            ) {
                (Some(v), Some(y)) => format!("{y} {v}"),
                _ => String::new(),
            };
            Ok(vec![
                Cell::Date(db::parse_date(r.get(0)?)),
                Cell::text(
                    Direction::from_code(&direction).map_or(direction.as_str(), |d| d.label(lang)),
                ),
                Cell::text(category_label.unwrap_or(category.as_str())),
                Cell::Money(r.get(3)?),
                Cell::text(r.get::<_, Option<String>>(4)?.unwrap_or_default()),
                Cell::text(r.get::<_, Option<String>>(5)?.unwrap_or_default()),
                Cell::Text(r.get(6)?),
                Cell::Text(r.get(7)?),
                Cell::Text(r.get(8)?),
                Cell::Text(r.get(9)?),
                Cell::text(reverses),
            ])
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fund_rows_read_the_ledger() {
        let conn = db::open_in_memory().unwrap();
        conn.execute(
            "INSERT INTO fund_entries (date, direction, category, amount_fen, voucher_no)
             VALUES ('2026-01-05', 'in', 'fiscal', 123456, 'S-001')",
            [],
        )
        .unwrap();
        let rows = fund_export(Lang::Zh).collect(&conn).unwrap();
        assert_eq!(rows[0][1], Cell::text("收入"));
        assert_eq!(rows[0][2], Cell::text("财政补贴"));
        assert_eq!(rows[0][3].as_text(), "1234.56");
        assert_eq!(rows[0].len(), FUND_COLUMNS.len());
    }
}
