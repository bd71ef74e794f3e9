//! 集中走访活动: the new-campaign form, proposing the next 七一 or 春节 window.

use chrono::{Datelike, NaiveDate};

use super::{RecordForm, RecordKind, Template, options};
use crate::domain::Lang;
use crate::domain::lunar;
use crate::domain::vocab::{CampaignTarget, Coded};
use crate::ui::env::Env;
use crate::ui::widgets::form::{ChoiceOption, Form};

impl RecordForm {
    /// 集中走访活动, proposing the next 七一 or 春节 window.
    pub fn campaign(env: &Env) -> Self {
        let l = env.lang;
        let templates = templates(env.today, l);
        // The window that ends first from today on.
        let first = if templates[0].to <= templates[1].to {
            0
        } else {
            1
        };
        let t = &templates[first];
        let names = [l.pick("七一", "July 1st"), l.pick("春节", "Spring Fest.")];
        let mut opts: Vec<ChoiceOption> = templates
            .iter()
            .zip(names)
            .map(|(t, n)| {
                ChoiceOption::new(
                    format!("{n} {}~{}", t.from.format("%m-%d"), t.to.format("%m-%d")),
                    "",
                )
            })
            .collect();
        opts[0].keys = vec!['q', '7'];
        opts[1].keys = vec!['c', 's'];
        opts.push(ChoiceOption::new(l.pick("自定义", "Custom"), "z"));
        let on: Vec<bool> = CampaignTarget::ALL
            .iter()
            .map(|t| matches!(t, CampaignTarget::Old | CampaignTarget::Hardship))
            .collect();
        let form = Form::new(l.pick("新建集中走访活动", "New campaign"), l)
            .choice("template", l.pick("建议窗口", "Proposed"), opts, first)
            .with_hint(l.pick(
                "七一 06-15 至 07-01；春节 为除夕前 14 天至除夕；←→ 选择",
                "七一 15 June to 1 July; 春节 the 14 days up to New Year's Eve",
            ))
            .text("name", l.pick("活动名称", "Name"), &t.name, true)
            .date("from", l.pick("开始日期", "From"), Some(t.from), true)
            .date("to", l.pick("结束日期", "To"), Some(t.to), true)
            .checks(
                "targets",
                l.pick("走访对象", "Targets"),
                options::<CampaignTarget>(l),
                on,
            )
            .with_hint(l.pick(
                "←→ 移动，空格 勾选；至少选一个",
                "←→ move, Space ticks; at least one",
            ));
        let mut f = Self::with(RecordKind::Campaign, form, None);
        f.templates = templates;
        f.applied_template = first;
        f.form.set_focus("name");
        f
    }
}

/// The proposed 七一 and 春节 windows that end on or after `today`.
fn templates(today: NaiveDate, lang: Lang) -> Vec<Template> {
    let y = today.year();
    let (from, to) = match lunar::july_first_window(y) {
        (_, t) if t < today => lunar::july_first_window(y + 1),
        w => w,
    };
    let july = Template {
        name: match lang {
            Lang::Zh => format!("{}年七一走访慰问", from.year()),
            Lang::En => format!("{} July 1st visits", from.year()),
        },
        from,
        to,
    };
    let spring = [y, y + 1]
        .into_iter()
        .filter_map(lunar::spring_festival_window)
        .find(|(_, t)| *t >= today)
        .map(|(from, to)| Template {
            name: match lang {
                Lang::Zh => format!("{}年春节走访慰问", (to + chrono::Duration::days(1)).year()),
                Lang::En => format!(
                    "{} Spring Festival visits",
                    (to + chrono::Duration::days(1)).year()
                ),
            },
            from,
            to,
        })
        .unwrap_or_else(|| july.clone());
    vec![july, spring]
}
