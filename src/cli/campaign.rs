//! `guanhuai campaign add`: a campaign window (集中走访慰问) with its target groups.
//! `guanhuai campaign list`: every campaign with its window, its phase today and
//! how many members it targets and has visited so far.
//! `guanhuai campaign unvisited NAME [FILE.csv|FILE.xlsx]`: who the campaign
//! targets and was not yet visited in person in its window, in pinyin order,
//! with their phones: on the terminal, or as a file to print or hand on.

use std::io::Write;
use std::path::Path;

use rusqlite::Connection;

use chrono::NaiveDate;

use super::overdue::ignore_broken_pipe;
use super::{CampaignAction, CliError};
use crate::db::obligations::listing::Listing;
use crate::db::visits_list::{self, CampaignStanding};
use crate::domain::Lang;
use crate::domain::dates;
use crate::domain::records::{Campaign, CampaignPhase};
use crate::domain::safe_text::escape_controls;
use crate::domain::vocab::{CampaignTarget, Coded};
use crate::interchange::Format;
use crate::interchange::write::{Cell, Print, prepare_printable};
use crate::textwidth as text;

/// Parses `old,hardship,…` (codes or labels; `,` `，` `、` `;` separate).
pub fn parse_targets(s: &str, lang: Lang) -> Result<Vec<CampaignTarget>, CliError> {
    let mut out = Vec::new();
    for part in s
        .split([',', '，', '、', ';', '；'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let t = CampaignTarget::parse(part).ok_or_else(|| {
            CliError(match lang {
                Lang::Zh => format!(
                    "未知的走访对象“{}”；可用：{}",
                    crate::domain::safe_text::quote(part),
                    CampaignTarget::codes()
                ),
                Lang::En => format!(
                    "unknown target \"{}\"; expected one of: {}",
                    crate::domain::safe_text::quote(part),
                    CampaignTarget::codes()
                ),
            })
        })?;
        if !out.contains(&t) {
            out.push(t);
        }
    }
    if out.is_empty() {
        return Err(CliError(
            lang.pick(
                "至少要有一个走访对象",
                "at least one target group is needed",
            )
            .into(),
        ));
    }
    Ok(out)
}

pub fn run(
    conn: &mut Connection,
    action: CampaignAction,
    mode: u32,
    lang: Lang,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    match action {
        CampaignAction::List => list(conn, lang, out),
        CampaignAction::Unvisited { name, file } => match file {
            Some(file) => unvisited_file(conn, &name, &file, mode, lang),
            None => unvisited(conn, &name, lang, out),
        },
        CampaignAction::Add {
            name,
            from,
            to,
            targets,
        } => {
            let name = name.trim().to_string();
            if name.is_empty() {
                return Err(CliError(
                    lang.pick("活动名称不能为空", "the name is empty").into(),
                ));
            }
            if let Err(p) = crate::domain::safe_text::check_text(&name, false, 100) {
                return Err(CliError(format!(
                    "{}{}",
                    lang.pick("活动名称", "the name "),
                    lang.pick(&p.zh(), &p.en())
                )));
            }
            let targets = parse_targets(&targets, lang)?;
            let c = Campaign {
                id: 0,
                name,
                from,
                to,
                targets,
            };
            let actor = crate::db::audit::Actor::new("campaign add");
            let tx =
                crate::db::audit::write_tx(conn, &actor).map_err(|e| CliError::from_db(e, lang))?;
            crate::db::records::insert_campaign(&tx, &c).map_err(|e| CliError::from_db(e, lang))?;
            tx.commit().map_err(|e| CliError(e.to_string()))?;
            // Every targeted member owes it now: the kept obligations are
            // rebuilt here rather than at the next start (the campaign stands
            // either way; readers run the rules until the table is current).
            let _ = crate::db::settings::load(conn)
                .and_then(|s| crate::db::obligations::kept::ensure(conn, &s));
            eprintln!(
                "{}{}（{} — {}）",
                lang.pick("已添加活动：", "campaign added: "),
                c.name,
                crate::db::date_text(c.from),
                crate::db::date_text(c.to)
            );
            Ok(())
        }
    }
}

/// `campaign list`: newest window first, as the Talks & visits tab lists them.
fn list(conn: &Connection, lang: Lang, out: &mut dyn Write) -> Result<(), CliError> {
    let db_err = |e| CliError::from_db(e, lang);
    let today = crate::clock::today();
    let settings = crate::db::settings::load(conn).map_err(db_err)?;
    let campaigns = crate::db::records::campaigns(conn).map_err(db_err)?;
    // The counts come from the kept obligations when they answer for today.
    let listing = Listing::load(conn, today, &settings).map_err(db_err)?;
    let day = dates::fmt(today);
    let mut rows: Vec<Vec<String>> = vec![
        [
            lang.pick("名称", "Name"),
            lang.pick("开始日期", "From"),
            lang.pick("结束日期", "To"),
            lang.pick("状态", "Phase"),
            lang.pick("对象", "Targeted"),
            lang.pick("已访", "Visited"),
            lang.pick("未访", "Not visited"),
            lang.pick("走访对象", "Target groups"),
        ]
        .map(String::from)
        .to_vec(),
    ];
    for c in &campaigns {
        let phase = match c.phase(today) {
            CampaignPhase::NotStarted => lang.pick("未开始", "not started"),
            CampaignPhase::Running => lang.pick("进行中", "running"),
            CampaignPhase::Ended => lang.pick("已结束", "ended"),
        };
        // A campaign that has not started targets no one yet.
        let counts = listing
            .campaigns
            .iter()
            .find(|p| p.campaign.id == c.id)
            .map(|p| (p.targeted, p.visited));
        let figure =
            |f: fn((u64, u64)) -> u64| counts.map_or("—".to_string(), |n| f(n).to_string());
        rows.push(vec![
            escape_controls(&c.name, false).into_owned(),
            dates::fmt(c.from),
            dates::fmt(c.to),
            phase.to_string(),
            figure(|(t, _)| t),
            figure(|(_, v)| v),
            figure(|(t, v)| t - v),
            c.targets_label(lang),
        ]);
    }
    let written = (|| {
        match lang {
            Lang::Zh => writeln!(out, "集中走访慰问活动（截至 {day}）")?,
            Lang::En => writeln!(out, "Visiting campaigns as of {day}")?,
        }
        if campaigns.is_empty() {
            writeln!(
                out,
                "{}",
                lang.pick(
                    "还没有活动（用 campaign add 添加）",
                    "no campaigns yet (add one with campaign add)"
                )
            )?;
        } else {
            let right = [false, false, false, false, true, true, true, false];
            for line in text::align_columns(&rows, &right) {
                writeln!(out, "{line}")?;
            }
        }
        out.flush()
    })();
    written
        .or_else(ignore_broken_pipe)
        .map_err(|e| write_err(e, lang))
}

/// The campaign named `name` (as typed, or trimmed); otherwise the error
/// lists the campaigns there are.
fn find(conn: &Connection, name: &str, lang: Lang) -> Result<Campaign, CliError> {
    let campaigns = crate::db::records::campaigns(conn).map_err(|e| CliError::from_db(e, lang))?;
    if let Some(c) = campaigns
        .iter()
        .find(|c| c.name == name)
        .or_else(|| campaigns.iter().find(|c| c.name == name.trim()))
    {
        return Ok(c.clone());
    }
    let names: Vec<String> = campaigns
        .iter()
        .map(|c| escape_controls(&c.name, false).into_owned())
        .collect();
    let list = if names.is_empty() {
        lang.pick("（还没有活动）", "(none yet)").to_string()
    } else {
        names.join(lang.pick("、", ", "))
    };
    let name = escape_controls(name, false);
    Err(CliError(match lang {
        Lang::Zh => format!("没有名为“{name}”的活动；现有活动：{list}"),
        Lang::En => format!("no campaign named “{name}”; the campaigns: {list}"),
    }))
}

/// Who `name` targets and was not visited yet, as of today.
fn standing(
    conn: &Connection,
    name: &str,
    lang: Lang,
) -> Result<(Campaign, CampaignStanding, NaiveDate), CliError> {
    let db_err = |e| CliError::from_db(e, lang);
    let c = find(conn, name, lang)?;
    let today = crate::clock::today();
    let settings = crate::db::settings::load(conn).map_err(db_err)?;
    let s = visits_list::campaign_standing(conn, &c, today, &settings).map_err(db_err)?;
    if !c.started(today) {
        // Listed all the same: whom it will target, for planning.
        eprintln!(
            "{}",
            match lang {
                Lang::Zh => format!(
                    "活动“{}”于 {} 开始：名单按开始那天的对象列出",
                    escape_controls(&c.name, false),
                    dates::fmt(c.from)
                ),
                Lang::En => format!(
                    "“{}” starts on {}: listed as it will target members that day",
                    escape_controls(&c.name, false),
                    dates::fmt(c.from)
                ),
            }
        );
    }
    Ok((c, s, today))
}

/// The columns of the unvisited list, on the terminal and in a file.
fn unvisited_headers(lang: Lang) -> [&'static str; 3] {
    [
        lang.pick("编号", "code"),
        lang.pick("姓名", "name"),
        lang.pick("手机", "phone"),
    ]
}

fn unvisited(
    conn: &Connection,
    name: &str,
    lang: Lang,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let (c, s, today) = standing(conn, name, lang)?;
    let mut rows: Vec<Vec<String>> = vec![unvisited_headers(lang).map(String::from).to_vec()];
    for u in s.not_visited.iter() {
        rows.push(vec![
            escape_controls(u.code, false).into_owned(),
            escape_controls(u.name, false).into_owned(),
            escape_controls(u.phone, false).into_owned(),
        ]);
    }
    let name = escape_controls(&c.name, false);
    let day = dates::fmt(today);
    let n = s.not_visited.len();
    let written = (|| {
        match lang {
            Lang::Zh => writeln!(out, "{name} 未走访名单（截至 {day}）")?,
            Lang::En => writeln!(out, "{name}: not yet visited as of {day}")?,
        }
        if n > 0 {
            for line in text::align_columns(&rows, &[]) {
                writeln!(out, "{line}")?;
            }
        }
        match lang {
            Lang::Zh => writeln!(
                out,
                "共 {n} 人未走访（对象 {} 人，已访 {} 人）",
                s.targeted, s.visited
            )?,
            Lang::En => writeln!(
                out,
                "{n} not yet visited ({} targeted, {} visited)",
                s.targeted, s.visited
            )?,
        }
        out.flush()
    })();
    written
        .or_else(ignore_broken_pipe)
        .map_err(|e| write_err(e, lang))
}

/// The list as CSV or XLSX (written whole under a temporary name, then named;
/// the XLSX prints with its title and the header row on every page).
fn unvisited_file(
    conn: &Connection,
    name: &str,
    file: &Path,
    mode: u32,
    lang: Lang,
) -> Result<(), CliError> {
    // A wrong extension is refused before any work.
    Format::for_export(file).map_err(|m| CliError(m.pick(lang).to_string()))?;
    let (c, s, today) = standing(conn, name, lang)?;
    let print = Print {
        title: match lang {
            Lang::Zh => format!("{} 未走访名单（截至 {}）", c.name, dates::fmt(today)),
            Lang::En => format!("{}: not yet visited as of {}", c.name, dates::fmt(today)),
        },
        footer: String::new(),
    };
    let rows = s
        .not_visited
        .iter()
        .map(|u| vec![Cell::text(u.code), Cell::text(u.name), Cell::text(u.phone)]);
    let n = prepare_printable(
        file,
        mode,
        lang.pick("未走访名单", "Not visited"),
        &unvisited_headers(lang),
        rows,
        Some(&print),
    )
    .and_then(|w| w.commit())
    .map_err(|m| CliError(m.pick(lang).to_string()))?;
    println!(
        "{}",
        match lang {
            Lang::Zh => format!("已导出 {n} 名未走访党员到 {}", file.display()),
            Lang::En => format!("exported {n} members not yet visited to {}", file.display()),
        }
    );
    Ok(())
}

fn write_err(e: std::io::Error, lang: Lang) -> CliError {
    CliError(format!("{}{e}", lang.pick("无法输出：", "cannot write: ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_by_code_or_label_and_unknown_refused() {
        let t = parse_targets("old, 困难党员,honorary", Lang::Zh).unwrap();
        assert_eq!(
            t,
            vec![
                CampaignTarget::Old,
                CampaignTarget::Hardship,
                CampaignTarget::Honorary
            ]
        );
        let e = parse_targets("old,rich", Lang::En).unwrap_err();
        assert!(e.0.contains("unknown target \"rich\""));
    }
}
