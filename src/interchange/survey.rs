//! The survey file (党员需求调查): one row per response of a round, in
//! roster order — 编号, 姓名, 调查日期, 调查人, 思想状况, 健康状况, 需求 (the
//! needs joined with `、`), one column per need (是/否, so a spreadsheet
//! counts them), 工作期望, 意见建议, 需跟进, 跟进说明.

use super::columns::{Column, flag_text};
use super::export::ExportQuery;
use super::write::Cell;
use crate::db;
use crate::db::survey::ExportRow;
use crate::domain::Lang;
use crate::domain::vocab::{Coded, Need};

pub const COLUMNS: &[Column] = &[
    Column::new("code", "编号"),
    Column::new("name", "姓名"),
    Column::new("date", "调查日期"),
    Column::new("surveyor", "调查人"),
    Column::new("ideology", "思想状况"),
    Column::new("health", "健康状况"),
    Column::new("needs", "需求"),
    Column::new("medical", "医疗"),
    Column::new("employment", "就业"),
    Column::new("education", "子女教育"),
    Column::new("housing", "住房"),
    Column::new("training", "学习培训"),
    Column::new("psychological", "心理辅导"),
    Column::new("legal", "法律援助"),
    Column::new("care", "生活照料"),
    Column::new("financial", "经济困难"),
    Column::new("other", "其他"),
    Column::new("work_expectations", "工作期望"),
    Column::new("opinions", "意见建议"),
    Column::new("follow_up", "需跟进"),
    Column::new("follow_up_note", "跟进说明"),
];

/// The responses of round `round` (its id).
pub fn survey_export(round: i64, lang: Lang) -> ExportQuery {
    ExportQuery::from_fn(("需求调查", "Survey"), COLUMNS, move |conn, consume| {
        db::survey::stream_responses(conn, round, &mut |rows| {
            consume(&mut rows.map(|r| row(r, lang)))
        })
    })
}

fn row(r: ExportRow, lang: Lang) -> Vec<Cell> {
    let a = r.answers;
    let mut cells = vec![
        Cell::Text(r.member.code),
        Cell::Text(r.member.name),
        Cell::Date(Some(a.date)),
        Cell::Text(a.surveyor),
        Cell::text(a.ideology.label(lang)),
        Cell::text(a.health.label(lang)),
        Cell::Text(
            a.needs
                .iter()
                .map(|n| n.label(lang))
                .collect::<Vec<_>>()
                .join(lang.pick("、", "; ")),
        ),
    ];
    for n in Need::ALL {
        cells.push(Cell::text(flag_text(a.needs.contains(n), lang)));
    }
    cells.push(Cell::Text(a.work_expectations));
    cells.push(Cell::Text(a.opinions));
    cells.push(Cell::text(flag_text(a.follow_up, lang)));
    cells.push(Cell::Text(a.follow_up_note));
    cells
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::member::Member;
    use crate::domain::survey::Answers;
    use crate::domain::vocab::{Health, Ideology};

    #[test]
    fn rows_in_roster_order_with_a_column_per_need() {
        let mut conn = db::open_in_memory().unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 5).unwrap();
        let z = db::members::save(&mut conn, &Member::new("001", "张三", day))
            .unwrap()
            .0;
        let l = db::members::save(&mut conn, &Member::new("002", "李四", day))
            .unwrap()
            .0;
        let round = db::survey::create_round(&mut conn, "2026年度", 2026, day, day).unwrap();
        for (m, needs) in [(z, vec![Need::Financial]), (l, vec![])] {
            let a = Answers {
                date: day,
                surveyor: "王委员".into(),
                ideology: Ideology::Stable,
                health: Health::Good,
                needs,
                work_expectations: String::new(),
                opinions: "=多组织活动".into(),
                follow_up: m == z,
                follow_up_note: String::new(),
            };
            db::survey::save_response(&mut conn, round, m, &a, None, day).unwrap();
        }
        let rows = survey_export(round, Lang::Zh).collect(&conn).unwrap();
        let text: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.iter().map(|c| c.as_text()).collect())
            .collect();
        assert_eq!(text[0][1], "李四");
        assert_eq!(text[1][1], "张三");
        assert_eq!(text[1][6], "经济困难");
        assert_eq!(text[1][15], "是");
        assert_eq!(text[0][15], "否");
        assert_eq!(text[1][19], "是");
        assert_eq!(text[0].len(), COLUMNS.len());
    }
}
