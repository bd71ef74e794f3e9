//! The audit log export (`guanhuai export log FILE [--from DATE] [--to DATE]`):
//! one row per entry, oldest first, with the changes in words and the old and
//! new values as JSON (ID numbers masked, as stored; phone numbers masked
//! unless `--full`, as on every export).

use super::columns::Column;
use super::export::ExportQuery;
use super::write::Cell;
use crate::db::audit::{self, LogEntry, LogFilter};
use crate::domain::{Lang, validate};

pub const COLUMNS: &[Column] = &[
    Column::new("at", "时间"),
    Column::new("user", "用户"),
    Column::new("action", "操作"),
    Column::new("table", "数据表"),
    Column::new("record_id", "记录号"),
    Column::new("op", "类型"),
    Column::new("changes", "更改内容"),
    Column::new("old", "原值"),
    Column::new("new", "新值"),
];

/// The entries `filter` selects, oldest first.
pub fn log_export(filter: LogFilter, full: bool, lang: Lang) -> ExportQuery {
    ExportQuery::from_fn(
        ("操作日志", "Audit log"),
        COLUMNS,
        move |conn, consume| {
            audit::stream_log(conn, &filter, &mut |rows| {
                consume(&mut rows.map(|mut e| {
                    if !full {
                        mask_phones(&mut e);
                    }
                    log_row(e, lang)
                }))
            })
        },
    )
}

/// Phone numbers in the logged values as lists and exports show them (`138****5678`).
fn mask_phones(e: &mut LogEntry) {
    for v in [&mut e.old, &mut e.new].into_iter().flatten() {
        if let Some(serde_json::Value::String(p)) = v.get_mut("phone") {
            *p = validate::mask_phone(p);
        }
    }
}

fn log_row(e: LogEntry, lang: Lang) -> Vec<Cell> {
    let json =
        |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string()).unwrap_or_default();
    vec![
        Cell::text(e.at.clone()),
        Cell::text(e.user.clone()),
        Cell::text(e.action.clone()),
        Cell::text(e.table.clone()),
        Cell::Int(e.record_id),
        Cell::text(e.op.label(lang)),
        Cell::text(e.changes_text()),
        Cell::text(json(&e.old)),
        Cell::text(json(&e.new)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_export_lists_the_entries_with_their_changes() {
        let mut conn = crate::db::open_in_memory().unwrap();
        let m = crate::domain::member::Member::new(
            "001",
            "张三",
            chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap(),
        );
        crate::db::members::save(&mut conn, &m).unwrap();
        let rows = log_export(LogFilter::default(), false, Lang::Zh)
            .collect(&conn)
            .unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0][2], Cell::text("form: member add"));
        assert_eq!(rows[0][5], Cell::text("新增"));
        let Cell::Text(changes) = &rows[0][6] else {
            panic!()
        };
        assert!(changes.contains("code: 001"), "{changes}");
    }

    #[test]
    fn phones_are_masked_unless_full() {
        let mut conn = crate::db::open_in_memory().unwrap();
        let mut m = crate::domain::member::Member::new(
            "001",
            "张三",
            chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap(),
        );
        m.phone = Some("13812345678".into());
        crate::db::members::save(&mut conn, &m).unwrap();
        let text = |full| {
            log_export(LogFilter::default(), full, Lang::Zh)
                .collect(&conn)
                .unwrap()
                .concat()
                .iter()
                .map(Cell::as_text)
                .collect::<String>()
        };
        let masked = text(false);
        assert!(
            masked.contains("138****5678") && !masked.contains("13812345678"),
            "{masked}"
        );
        assert!(text(true).contains("13812345678"));
    }
}
