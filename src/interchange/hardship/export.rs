//! `export hardship`: the whole ledger, one row per case (see the module above
//! for the columns and how an import reads them back).

use super::COLUMNS;
use crate::db;
use crate::db::hardship::{FamilyMember, pairing_label};
use crate::db::hardship_ledger::LedgerCase;
use crate::domain::hardship::review_due;
use crate::domain::money::format_yuan;
use crate::domain::vocab::{Coded, Lang};
use crate::interchange::export::ExportQuery;
use crate::interchange::write::Cell;

/// Every case, newest year first, then by member in pinyin order.
pub fn hardship_export(lang: Lang) -> ExportQuery {
    ExportQuery::from_fn(
        ("困难党员台账", "Hardship"),
        COLUMNS,
        move |conn, consume| {
            let interval = db::settings::load(conn)?.hardship_review_days;
            db::hardship_ledger::stream_ledger(conn, &mut |rows| {
                consume(&mut rows.map(|c| case_row(c, interval, lang)))
            })
        },
    )
}

/// `妻 李秀英 1200.00元；子 王强 0.00元`.
pub fn family_text(family: &[FamilyMember], lang: Lang) -> String {
    let one = |f: &FamilyMember| {
        let parts: Vec<String> = [f.relation.trim(), f.name.trim()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .chain([match lang {
                Lang::Zh => format!("{}元", format_yuan(f.income_fen)),
                Lang::En => format!("{} yuan", format_yuan(f.income_fen)),
            }])
            .collect();
        parts.join(" ")
    };
    let v: Vec<String> = family.iter().map(one).collect();
    v.join(lang.pick("；", "; "))
}

/// `一帮一：刘建国`, `多帮一：刘建国、街道社区服务中心`, or empty.
pub fn helpers_text(helpers: &[String], lang: Lang) -> String {
    if helpers.is_empty() {
        return String::new();
    }
    format!(
        "{}{}{}",
        pairing_label(helpers.len(), lang),
        lang.pick("：", ": "),
        helpers.join(lang.pick("、", ", "))
    )
}

fn case_row(c: LedgerCase, review_days: i64, lang: Lang) -> Vec<Cell> {
    let LedgerCase {
        case,
        applied_on,
        family,
        helpers,
        measures,
    } = c;
    let code = case.code;
    let name = case.name;
    let record = case.record;
    let mut cats = record.categories.clone();
    cats.sort();
    let cats: Vec<&str> = cats.iter().map(|k| k.label(lang)).collect();
    let sep = lang.pick("、", ", ");
    let measures: Vec<&str> = measures.iter().map(|k| k.label(lang)).collect();
    let income = if family.is_empty() {
        Cell::text("")
    } else {
        Cell::Money(family.iter().map(|f| f.income_fen).sum())
    };
    let next = review_due(
        record.state,
        record.approved_on,
        record.last_review,
        review_days,
    );
    vec![
        Cell::Text(code),
        Cell::Int(record.year.into()),
        Cell::text(cats.join(sep)),
        Cell::Text(record.cause),
        Cell::text(record.priority.label(lang)),
        Cell::text(record.state.label(lang)),
        Cell::Date(record.approved_on),
        Cell::Text(name),
        Cell::Date(applied_on),
        Cell::text(family_text(&family, lang)),
        income,
        Cell::text(helpers_text(&helpers, lang)),
        Cell::text(measures.join(sep)),
        Cell::Date(record.last_review),
        Cell::Date(next),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn family_and_helpers_in_words() {
        let fam = vec![
            FamilyMember {
                relation: "妻".into(),
                name: "李秀英".into(),
                income_fen: 120000,
            },
            FamilyMember {
                relation: "子".into(),
                name: "王强".into(),
                income_fen: 0,
            },
        ];
        assert_eq!(
            family_text(&fam, Lang::Zh),
            "妻 李秀英 1200.00元；子 王强 0.00元"
        );
        assert_eq!(helpers_text(&["刘建国".into()], Lang::Zh), "一帮一：刘建国");
        assert_eq!(
            helpers_text(&["刘建国".into(), "街道社区服务中心".into()], Lang::Zh),
            "多帮一：刘建国、街道社区服务中心"
        );
        assert_eq!(helpers_text(&[], Lang::Zh), "");
    }
}
