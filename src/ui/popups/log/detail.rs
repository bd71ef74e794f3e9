//! The selected log entry in words: field names and stored codes as the
//! clerk knows them, old → new, wrapped by display width.

use super::table_label;
use crate::db::audit::{LogEntry, Op};
use crate::domain::Lang;
use crate::domain::vocab::{
    CampaignTarget, Coded, Employment, EventKind, Gender, MemberStatus, Membership, TalkForm,
    VisitKind,
};
use crate::ui::text;

/// A field's name as the log shows it (the stored name when not listed).
fn field_label(f: &str, lang: Lang) -> String {
    let (zh, en) = match f {
        "date" => ("日期", "date"),
        "member_id" => ("党员", "member"),
        "conductor" => ("谈话人", "conducted by"),
        "form" => ("形式", "form"),
        "summary" => ("内容摘要", "summary"),
        "problems" => ("发现问题", "problems"),
        "follow_up" => ("需要跟进", "follow-up"),
        "follow_up_note" => ("跟进事项", "follow-up note"),
        "visitor" => ("走访人", "visited by"),
        "kind" => ("类型", "kind"),
        "goods" => ("慰问品", "goods"),
        "notes" => ("备注", "notes"),
        "note" => ("说明", "note"),
        "voided_on" => ("作废日期", "voided on"),
        "void_reason" => ("作废原因", "void reason"),
        "code" => ("编号", "code"),
        "name" => ("姓名", "name"),
        "phone" => ("手机", "phone"),
        "id_number" => ("身份证号", "ID number"),
        "status" => ("状态", "status"),
        "left_on" => ("离开日期", "left on"),
        "left_to" => ("去向", "went to"),
        "joined_on" => ("入党日期", "joined"),
        "registered_on" => ("入册日期", "registered"),
        "birth_date" => ("出生日期", "born"),
        "gender" => ("性别", "gender"),
        "membership" => ("党员类型", "membership"),
        "employment" => ("职业状况", "employment"),
        "mobile" => ("流动党员", "mobile"),
        "mobile_since" => ("流出日期", "mobile since"),
        "whereabouts" => ("外出地点", "whereabouts"),
        "contact" => ("联系人", "contact"),
        "honorary" => ("荣誉党员", "honorary"),
        "honorary_since" => ("荣誉批准日期", "honorary since"),
        "low_income" => ("享受低保", "low income"),
        "no_fixed_income" => ("无固定收入", "no fixed income"),
        "living_alone" => ("独居", "living alone"),
        "disabled" => ("残疾", "disabled"),
        "chronic_ill" => ("长期患病", "chronically ill"),
        "from" => ("开始日期", "from"),
        "to" => ("结束日期", "to"),
        "target" => ("走访对象", "target"),
        _ => return f.to_string(),
    };
    lang.pick(zh, en).to_string()
}

/// A stored code shown by its label (`f` → 女, `home` → 家访), by table and field.
fn value_label(table: &str, field: &str, v: &str, lang: Lang) -> Option<&'static str> {
    fn of<T: Coded>(v: &str, lang: Lang) -> Option<&'static str> {
        T::from_code(v).map(|x| x.label(lang))
    }
    match (table, field) {
        (_, "gender") => of::<Gender>(v, lang),
        (_, "membership") => of::<Membership>(v, lang),
        (_, "employment") => of::<Employment>(v, lang),
        ("members", "status") => of::<MemberStatus>(v, lang),
        ("talks", "form") => of::<TalkForm>(v, lang),
        ("visits", "kind") => of::<VisitKind>(v, lang),
        ("events", "kind") => of::<EventKind>(v, lang),
        ("campaign_targets", "target") => of::<CampaignTarget>(v, lang),
        _ => None,
    }
}

/// The selected entry in full, wrapped at `w` cells: who did what when,
/// then each changed field on its own lines.
/// `ascii`: `->` for consoles that draw `→` two cells wide.
pub fn detail_lines(e: &LogEntry, w: usize, lang: Lang, ascii: bool) -> Vec<String> {
    let arrow = if ascii { "->" } else { "→" };
    let mut out = text::wrap(
        &format!(
            "{} {} {} {} #{} {}",
            e.at,
            e.user,
            e.op.label(lang),
            table_label(&e.table, lang),
            e.record_id,
            e.action
        ),
        w,
    );
    let colon = lang.pick("：", ": ");
    for c in e.changes() {
        let show = |v: &serde_json::Value| match v {
            serde_json::Value::Null => String::new(),
            serde_json::Value::String(s) => value_label(&e.table, &c.field, s, lang)
                .map_or_else(|| crate::domain::safe_text::for_terminal(s), str::to_string),
            v => v.to_string(),
        };
        let name = field_label(&c.field, lang) + colon;
        let s = match e.op {
            Op::Insert => format!("{name}{}", show(&c.new)),
            Op::Delete => format!("{name}{}", show(&c.old)),
            Op::Update => {
                let or_empty = |v: &serde_json::Value| match show(v) {
                    s if s.is_empty() => lang.pick("（空）", "(empty)").to_string(),
                    s => s,
                };
                format!("{name}{} {arrow} {}", or_empty(&c.old), or_empty(&c.new))
            }
        };
        out.extend(text::wrap(&s, w));
    }
    out
}
