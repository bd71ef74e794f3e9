//! 设置: every rule constant is a setting a branch can change, stored in the database.

use super::vocab::Lang;

/// The rule constants, with the defaults of DOMAIN.md.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub old_age: i32,
    pub old_standing: i32,
    pub due_soon_days: i64,
    pub annual_talk_days: i64,
    pub hardship_visit_days: i64,
    pub honorary_visit_days: i64,
    pub honorary_health_check_days: i64,
    pub mobile_contact_days: i64,
    pub event_talk_days: i64,
    pub event_visit_days: i64,
    pub hardship_review_days: i64,
    pub publicity_min_days: i64,
    pub subsidy_monthly_fen: i64,
    pub subsidy_no_income_standing: i32,
    pub subsidy_low_income_age: i32,
    pub subsidy_low_income_standing: i32,
    pub bonus_base_fen: i64,
    pub bonus_excellent_pct: i64,
    pub bonus_good_pct: i64,
    pub bonus_pass_pct: i64,
    pub bonus_fail_pct: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            old_age: 70,
            old_standing: 50,
            due_soon_days: 14,
            annual_talk_days: 365,
            hardship_visit_days: 90,
            honorary_visit_days: 182,
            honorary_health_check_days: 365,
            mobile_contact_days: 90,
            event_talk_days: 15,
            event_visit_days: 7,
            hardship_review_days: 365,
            publicity_min_days: 5,
            subsidy_monthly_fen: 8000,
            subsidy_no_income_standing: 55,
            subsidy_low_income_age: 50,
            subsidy_low_income_standing: 20,
            bonus_base_fen: 0,
            bonus_excellent_pct: 100,
            bonus_good_pct: 80,
            bonus_pass_pct: 50,
            bonus_fail_pct: 0,
        }
    }
}

/// One editable setting: its stored key, labels, and where it lives in `Settings`.
pub struct SettingDef {
    pub key: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub get: fn(&Settings) -> i64,
    pub set: fn(&mut Settings, i64),
    /// Smallest and largest accepted value.
    pub range: (i64, i64),
}

impl SettingDef {
    pub fn label(&self, lang: Lang) -> &'static str {
        lang.pick(self.zh, self.en)
    }
}

macro_rules! defs {
    ($($key:ident: $zh:literal, $en:literal, $lo:literal..=$hi:literal;)*) => {
        /// Every setting, in the order the settings screen shows them.
        pub const SETTINGS: &[SettingDef] = &[$(SettingDef {
            key: stringify!($key),
            zh: $zh,
            en: $en,
            get: |s| s.$key as i64,
            set: |s, v| s.$key = v as _,
            range: ($lo, $hi),
        }),*];
    };
}

defs! {
    old_age: "老党员年龄(岁)", "Old member: age (years)", 50..=120;
    old_standing: "老党员党龄(年)", "Old member: party standing (years)", 10..=100;
    due_soon_days: "即将到期提前(天)", "Due soon window (days)", 0..=365;
    annual_talk_days: "年度谈心间隔(天)", "Annual talk interval (days)", 1..=3650;
    hardship_visit_days: "困难党员走访间隔(天)", "Hardship visit interval (days)", 1..=3650;
    honorary_visit_days: "荣誉党员走访间隔(天)", "Honorary visit interval (days)", 1..=3650;
    honorary_health_check_days: "荣誉党员体检间隔(天)", "Honorary health check interval (days)", 1..=3650;
    mobile_contact_days: "流动党员联系间隔(天)", "Mobile member contact interval (days)", 1..=3650;
    event_talk_days: "必谈期限(天)", "Must-talk deadline (days)", 0..=365;
    event_visit_days: "必访期限(天)", "Must-visit deadline (days)", 0..=365;
    hardship_review_days: "困难台账年审间隔(天)", "Hardship review interval (days)", 1..=3650;
    publicity_min_days: "公示最少天数", "Minimum publicity (days)", 1..=60;
    subsidy_monthly_fen: "生活补贴每月(分)", "Living subsidy per month (fen)", 0..=100000000;
    subsidy_no_income_standing: "补贴:无固定收入党龄(年)", "Subsidy: standing without income (years)", 0..=100;
    subsidy_low_income_age: "补贴:低保年龄(岁)", "Subsidy: low-income age (years)", 0..=120;
    subsidy_low_income_standing: "补贴:低保党龄(年)", "Subsidy: low-income standing (years)", 0..=100;
    bonus_base_fen: "考核奖励基数(分)", "Assessment bonus base (fen)", 0..=100000000;
    bonus_excellent_pct: "优秀奖励比例(%)", "Excellent bonus share (%)", 0..=1000;
    bonus_good_pct: "良好奖励比例(%)", "Good bonus share (%)", 0..=1000;
    bonus_pass_pct: "合格奖励比例(%)", "Pass bonus share (%)", 0..=1000;
    bonus_fail_pct: "不合格奖励比例(%)", "Fail bonus share (%)", 0..=1000;
}

impl Settings {
    /// Applies one stored `key = value`; unknown keys and values out of range are ignored.
    pub fn apply(&mut self, key: &str, value: &str) {
        if let Some(def) = SETTINGS.iter().find(|d| d.key == key)
            && let Ok(v) = value.trim().parse::<i64>()
            && (def.range.0..=def.range.1).contains(&v)
        {
            (def.set)(self, v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apply_sets_known_keys_in_range_only() {
        let mut s = Settings::default();
        s.apply("annual_talk_days", "180");
        s.apply("old_age", "7");
        s.apply("nonsense", "1");
        assert_eq!(s.annual_talk_days, 180);
        assert_eq!(s.old_age, 70);
        let d = SETTINGS
            .iter()
            .find(|d| d.key == "annual_talk_days")
            .unwrap();
        assert_eq!((d.get)(&s), 180);
    }
}
