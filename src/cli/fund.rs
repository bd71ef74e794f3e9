//! `guanhuai fund verify` and `guanhuai fund report [--audit N | --last] FILE`.
//!
//! `verify` recomputes the hash chain, the balance at the end of every day
//! and every audit's figures ([`db::fund::verify`]) and checks that the guard
//! triggers are in place. On an intact fund it prints one line (entries,
//! balance, audits, the first 12 hex digits of the chain head) and exits 0;
//! otherwise it names the first bad entry (id, voucher and date when the
//! entry is still there, and what is wrong) and every other problem on
//! stderr and exits 1.
//!
//! `report` writes the audit report (审计报告) of one closed audit — the last
//! by period unless `--audit N` names one — as an XLSX ready to print or as
//! text. Both only read the database.

use std::path::Path;

use rusqlite::Connection;

use super::CliError;
use crate::db;
use crate::db::fund::Verification;
use crate::domain::Lang;
use crate::domain::fund::ChainBreak;
use crate::domain::money::format_money;
use crate::interchange::fund_report::audit_report;
use crate::interchange::notice::{NoticeFormat, write_notice};

/// What `fund verify` prints: the summary line on success, the problems otherwise.
pub fn verify(conn: &Connection, lang: Lang) -> Result<(), CliError> {
    let v = db::fund::verify(conn).map_err(|e| CliError::from_db(e, lang))?;
    match verdict(&v, lang) {
        Ok(line) => {
            println!("{line}");
            Ok(())
        }
        Err(problems) => Err(CliError(problems)),
    }
}

/// The summary line of an intact fund, or the problems, one a line, the
/// first bad entry first.
pub fn verdict(v: &Verification, lang: Lang) -> Result<String, String> {
    let mut problems = Vec::new();
    if let Err((b, at)) = &v.chain {
        problems.push(chain_problem(b, at.as_ref(), lang));
    }
    for (day, bal) in &v.negative_days {
        problems.push(match lang {
            Lang::Zh => format!("{day} 日终余额为 {}，低于零", format_money(*bal)),
            Lang::En => format!("the balance at the end of {day} is {}", format_money(*bal)),
        });
    }
    for (id, from, to, (zh, en)) in &v.audit_problems {
        problems.push(match lang {
            Lang::Zh => format!("第 {id} 次审计（{from} 至 {to}）的数字与账目不符：{zh}"),
            Lang::En => {
                format!("audit {id} ({from} to {to}) no longer matches the entries: {en}")
            }
        });
    }
    if !v.missing_guards.is_empty() {
        problems.push(match lang {
            Lang::Zh => format!(
                "保护触发器被删除：{}（有人用其他工具改过数据库文件）",
                v.missing_guards.join("、")
            ),
            Lang::En => format!(
                "guard triggers are missing: {} (the file was changed with another tool)",
                v.missing_guards.join(", ")
            ),
        });
    }
    if !problems.is_empty() {
        let head = lang.pick("帮扶基金核验未通过：", "the fund does not verify:");
        return Err(format!("{head}\n  {}", problems.join("\n  ")));
    }
    let head = v.chain.as_ref().map(|h| h.as_str()).unwrap_or_default();
    let short: String = head.chars().take(12).collect();
    Ok(match lang {
        Lang::Zh => format!(
            "帮扶基金完整：账目 {} 笔，余额 {}，审计 {} 次，链头 {short}",
            v.entries,
            format_money(v.balance_fen),
            v.audits
        ),
        Lang::En => format!(
            "fund intact: {} entries, balance {}, {} audits, chain head {short}",
            v.entries,
            format_money(v.balance_fen),
            v.audits
        ),
    })
}

fn chain_problem(b: &ChainBreak, at: Option<&(String, chrono::NaiveDate)>, lang: Lang) -> String {
    let id = b.id();
    let which = match (lang, at) {
        (Lang::Zh, Some((voucher, date))) => format!("第 {id} 条账目（凭证 {voucher}，{date}）"),
        (Lang::En, Some((voucher, date))) => format!("entry {id} (voucher {voucher}, {date})"),
        (Lang::Zh, None) => format!("第 {id} 条账目"),
        (Lang::En, None) => format!("entry {id}"),
    };
    let what = match (b, at.is_some()) {
        (ChainBreak::Altered { .. }, _) => lang.pick("内容被改动", "its contents were changed"),
        (ChainBreak::Broken { .. }, true) => lang.pick(
            "前一条被删除或顺序被改动",
            "the entry before it was deleted or the order was changed",
        ),
        (ChainBreak::Broken { .. }, false) => lang.pick(
            "已被删除（操作日志记有这一条）",
            "was deleted (the audit log records it)",
        ),
    };
    match lang {
        Lang::Zh => format!("{which}：{what}"),
        Lang::En => format!("{which}: {what}"),
    }
}

/// Which audit `fund report` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhichAudit {
    Last,
    Id(i64),
}

/// Writes the report of one closed audit to `file` (`.xlsx` or `.txt`).
pub fn report(
    conn: &Connection,
    which: WhichAudit,
    file: &Path,
    mode: u32,
    lang: Lang,
) -> Result<(), CliError> {
    NoticeFormat::for_path(file).map_err(|m| CliError(m.pick(lang).to_string()))?;
    let db_err = |e| CliError::from_db(e, lang);
    let audits = db::fund::audits(conn).map_err(db_err)?;
    if audits.is_empty() {
        return Err(CliError(
            lang.pick(
                "还没有审计结账，没有可写的审计报告",
                "no audit has been closed yet: there is no report to write",
            )
            .to_string(),
        ));
    }
    let audit = match which {
        WhichAudit::Last => audits.last(),
        WhichAudit::Id(n) => audits.iter().find(|a| a.id == n),
    };
    let Some(audit) = audit else {
        let known: Vec<String> = audits
            .iter()
            .map(|a| match lang {
                Lang::Zh => format!("{}（{} 至 {}）", a.id, a.from, a.to),
                Lang::En => format!("{} ({} to {})", a.id, a.from, a.to),
            })
            .collect();
        let n = match which {
            WhichAudit::Id(n) => n,
            WhichAudit::Last => 0,
        };
        return Err(CliError(match lang {
            Lang::Zh => format!("没有第 {n} 次审计；已有：{}", known.join("、")),
            Lang::En => format!("there is no audit {n}; there are: {}", known.join(", ")),
        }));
    };
    let totals = db::fund::audit_totals(conn, audit.id).map_err(db_err)?;
    let ok = db::fund::verify(conn).map_err(db_err)?.ok();
    let doc = audit_report(audit, &totals, ok, lang);
    write_notice(file, mode, &doc).map_err(|m| CliError(m.pick(lang).to_string()))?;
    println!(
        "{}",
        match lang {
            Lang::Zh => format!(
                "已写入审计报告 {}：第 {} 次审计，{} 至 {}",
                file.display(),
                audit.id,
                audit.from,
                audit.to
            ),
            Lang::En => format!(
                "wrote the report of audit {} ({} to {}) to {}",
                audit.id,
                audit.from,
                audit.to,
                file.display()
            ),
        }
    );
    Ok(())
}
