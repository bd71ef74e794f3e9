//! The statistics report (党员关怀帮扶工作统计) for the upward report: the
//! figures of [`Stats::sections`] on one day as a [`Notice`] laid out as
//! 项目 / 数值, one section heading row before each section's lines, then the
//! signature line — written by the notice writer as an XLSX ready to print
//! (A4, header repeated, fitted to the width) or as text.

use super::notice::{Notice, NoticeColumn};
use crate::domain::Lang;
use crate::domain::dates;
use crate::domain::stats::Stats;

/// The printable report of `stats`, made on `today`.
pub fn stats_report(stats: &Stats, today: chrono::NaiveDate, lang: Lang) -> Notice {
    let mut rows: Vec<Vec<String>> = Vec::new();
    for s in stats.sections(lang) {
        rows.push(vec![s.title, String::new()]);
        for l in s.lines {
            rows.push(vec![format!("  {}", l.label), l.value]);
        }
    }
    let day = dates::fmt(stats.as_of);
    Notice {
        sheet: lang.pick("统计", "Statistics").into(),
        title: lang
            .pick("党员关怀帮扶工作统计", "Party member care statistics")
            .into(),
        period: match lang {
            Lang::Zh => format!("统计日期：截至 {day}（人数为在册党员，另有说明的除外）"),
            Lang::En => {
                format!("As of {day} (member counts are of active members unless said otherwise)")
            }
        },
        columns: vec![
            NoticeColumn::new(lang.pick("项目", "Item"), 40),
            NoticeColumn::new(lang.pick("数值", "Figure"), 24),
        ],
        rows,
        empty: String::new(),
        closing: vec![match lang {
            Lang::Zh => format!("制表日期：{}", dates::fmt(today)),
            Lang::En => format!("Made on {}", dates::fmt(today)),
        }],
        signature: lang
            .pick(
                "填报人：__________　审核人：__________　党支部（盖章）　日期：__________",
                "Prepared by: __________  Checked by: __________  Branch seal  Date: __________",
            )
            .into(),
    }
}
