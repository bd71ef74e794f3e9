//! How the figures are shown: the sections, their lines and bar charts, and
//! the JSON of counts and amounts.

use super::*;

pub(super) fn label_of<V: Coded>(code: &str, lang: Lang) -> &'static str {
    V::from_code(code).map_or(lang.pick("未填", "Unknown"), |v| v.label(lang))
}

/// Which vocabulary a distribution's codes come from (for its labels).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vocab {
    Status,
    Gender,
    AgeBand,
    Employment,
    CaseState,
    Category,
    Priority,
    Need,
    Ideology,
    HonourLevel,
    Income,
    Expense,
    Rule,
}

impl Vocab {
    pub fn label(self, code: &str, lang: Lang) -> &'static str {
        match self {
            Vocab::Status => label_of::<MemberStatus>(code, lang),
            Vocab::Gender => label_of::<Gender>(code, lang),
            Vocab::Employment => label_of::<Employment>(code, lang),
            Vocab::CaseState => label_of::<CaseState>(code, lang),
            Vocab::Category => label_of::<HardshipCategory>(code, lang),
            Vocab::Priority => label_of::<Priority>(code, lang),
            Vocab::Need => label_of::<Need>(code, lang),
            Vocab::Ideology => label_of::<Ideology>(code, lang),
            Vocab::HonourLevel => label_of::<HonourLevel>(code, lang),
            Vocab::Income => label_of::<IncomeCategory>(code, lang),
            Vocab::Expense => label_of::<ExpenseCategory>(code, lang),
            Vocab::Rule => Rule::ALL
                .iter()
                .find(|r| r.code() == code)
                .map_or(lang.pick("未填", "Unknown"), |r| r.label(lang)),
            Vocab::AgeBand => match code {
                "under_35" => lang.pick("35岁以下", "Under 35"),
                "35_59" => lang.pick("35–59岁", "35–59"),
                "60_69" => lang.pick("60–69岁", "60–69"),
                "70_plus" => lang.pick("70岁及以上", "70 and over"),
                _ => lang.pick("未填", "Unknown"),
            },
        }
    }
}

/// One line of a section: a label and its value as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub label: String,
    pub value: String,
}

/// What a chart's values are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Count,
    /// 0..=100.
    Percent,
    /// Money in fen.
    Fen,
}

impl Unit {
    /// A value as its bar shows it: `3`, `75%`, `¥2,000.00`.
    pub fn show(self, v: u64) -> String {
        match self {
            Unit::Count => v.to_string(),
            Unit::Percent => format!("{v}%"),
            // no ¥ on a bar: ratatui places a bar's text by bytes
            Unit::Fen => format_money(v as i64).replacen('¥', "", 1),
        }
    }
}

/// A bar chart's data: (label, value) in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bars {
    pub title: String,
    pub bars: Vec<(String, u64)>,
    pub unit: Unit,
}

/// A section of the figures as every output shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub title: String,
    pub lines: Vec<Line>,
    /// The distributions of the section, drawn as bar charts on tab 8.
    pub charts: Vec<Bars>,
}

pub(super) fn line(label: impl Into<String>, value: impl Into<String>) -> Line {
    Line {
        label: label.into(),
        value: value.into(),
    }
}

pub(super) fn count_lines(prefix: &str, counts: &Counts, vocab: Vocab, lang: Lang) -> Vec<Line> {
    counts
        .iter()
        .map(|(c, n)| line(format!("{prefix}{}", vocab.label(c, lang)), n.to_string()))
        .collect()
}

pub(super) fn bars(title: &str, counts: &Counts, vocab: Vocab, lang: Lang) -> Bars {
    Bars {
        title: title.into(),
        bars: counts
            .iter()
            .map(|(c, n)| (vocab.label(c, lang).to_string(), *n))
            .collect(),
        unit: Unit::Count,
    }
}

/// A rule's name short enough for a bar's label (16 cells).
pub(super) fn chart_label(rule: Rule, lang: Lang) -> &'static str {
    match (rule, lang) {
        (Rule::HonoraryVisit, Lang::En) => "Honorary visit",
        (Rule::HonoraryHealthCheck, Lang::En) => "Honorary checkup",
        (Rule::MobileContact, Lang::En) => "Mobile contact",
        (Rule::HardshipReview, Lang::En) => "Case review",
        (r, l) => r.label(l),
    }
}

/// Money by category as bars (a net negative category draws as 0).
pub(super) fn money_bars(title: &str, amounts: &Amounts, vocab: Vocab, lang: Lang) -> Bars {
    Bars {
        title: title.into(),
        bars: amounts
            .iter()
            .map(|(c, fen)| (vocab.label(c, lang).to_string(), (*fen).max(0) as u64))
            .collect(),
        unit: Unit::Fen,
    }
}

pub(super) fn counts_json(counts: &Counts) -> Value {
    let mut m = Map::new();
    for (c, n) in counts {
        m.insert((*c).into(), json!(n));
    }
    Value::Object(m)
}

pub(super) fn amounts_json(amounts: &Amounts) -> Value {
    let mut m = Map::new();
    for (c, n) in amounts {
        m.insert((*c).into(), json!(n));
    }
    Value::Object(m)
}
