//! `guanhuai campaign add`: a campaign window (集中走访慰问) with its target groups.

use rusqlite::Connection;

use super::{CampaignAction, CliError};
use crate::domain::Lang;
use crate::domain::records::Campaign;
use crate::domain::vocab::{CampaignTarget, Coded};

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

pub fn run(conn: &mut Connection, action: CampaignAction, lang: Lang) -> Result<(), CliError> {
    match action {
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
