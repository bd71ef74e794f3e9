//! Why an obligation is due when it is, in words for the clerk.

use super::*;

/// Why an obligation is due when it is: the rule, its anchor, the last
/// satisfying record, and the interval, event deadline or campaign window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    pub kind: ObligationKind,
    pub anchor: Anchor,
    pub last: Option<NaiveDate>,
    pub days: Option<i64>,
    pub window: Option<(NaiveDate, NaiveDate)>,
    pub due: NaiveDate,
    pub state: State,
    pub as_of: NaiveDate,
}

impl Explanation {
    /// One line, e.g. `年度谈心：入册 2020-03-01，上次谈话 2024-05-02，间隔 365 天，
    /// 应于 2025-05-02，逾期 424 天`.
    pub fn text(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let sep = lang.pick("，", ", ");
        let noun = record_noun(&self.kind, lang);
        let mut parts: Vec<String> = Vec::new();
        let anchor = format!(
            "{} {}",
            self.anchor.label(lang),
            dates::fmt(self.anchor.date())
        );
        let last = || match self.last {
            Some(l) if zh => format!("上次{noun} {}", dates::fmt(l)),
            Some(l) => format!("last {noun} {}", dates::fmt(l)),
            None if zh => format!("无{noun}记录"),
            None => format!("no {noun} yet"),
        };
        match self.kind.rule() {
            Rule::EventTalk | Rule::EventVisit => {
                parts.push(anchor);
                if let Some(n) = self.days {
                    parts.push(if zh {
                        format!("{n} 天内{noun}")
                    } else {
                        format!("{noun} within {n} days")
                    });
                }
                parts.push(match self.last {
                    Some(l) if l >= self.anchor.date() && zh => {
                        format!("已于 {} {noun}", dates::fmt(l))
                    }
                    Some(l) if l >= self.anchor.date() => format!("{noun} on {}", dates::fmt(l)),
                    Some(l) if zh => format!("事件后无{noun}(上次 {})", dates::fmt(l)),
                    Some(l) => format!("no {noun} since (last {})", dates::fmt(l)),
                    None => last(),
                });
            }
            Rule::Campaign => {
                if let Some((from, to)) = self.window {
                    parts.push(if zh {
                        format!("活动期 {} 至 {}", dates::fmt(from), dates::fmt(to))
                    } else {
                        format!("window {} to {}", dates::fmt(from), dates::fmt(to))
                    });
                }
                parts.push(match (self.state, self.last) {
                    (State::Satisfied, Some(l)) if zh => format!("已于 {} 上门走访", dates::fmt(l)),
                    (State::Satisfied, Some(l)) => format!("visited on {}", dates::fmt(l)),
                    (State::Satisfied, None) => lang.pick("期内已上门走访", "visited").into(),
                    _ => lang
                        .pick("期内尚未上门走访", "not yet visited in person")
                        .into(),
                });
            }
            Rule::LoanInstalment => parts.push(anchor),
            _ => {
                parts.push(anchor);
                let mut l = last();
                if self.last.is_some_and(|d| d < self.anchor.date()) {
                    l.push_str(
                        lang.pick("(早于起算日，不计)", " (before the anchor: not counted)"),
                    );
                }
                parts.push(l);
                if let Some(n) = self.days {
                    parts.push(if zh {
                        format!("间隔 {n} 天")
                    } else {
                        format!("every {n} days")
                    });
                }
            }
        }
        parts.push(if zh {
            format!("应于 {}", dates::fmt(self.due))
        } else {
            format!("due {}", dates::fmt(self.due))
        });
        let n = days_overdue(self.due, self.as_of);
        match self.state {
            State::Satisfied => {}
            State::Overdue => parts.push(if zh {
                format!("逾期 {n} 天")
            } else {
                format!("{n} days overdue")
            }),
            State::DueSoon | State::NotDue if n == 0 => {
                parts.push(lang.pick("今天到期", "due today").into())
            }
            State::DueSoon | State::NotDue => parts.push(if zh {
                format!("还有 {} 天", -n)
            } else {
                format!("{} days left", -n)
            }),
        }
        format!(
            "{}{}{}",
            self.kind.label(lang),
            colon(lang),
            parts.join(sep)
        )
    }
}

/// What kind of record discharges the obligation, as a noun.
fn record_noun(kind: &ObligationKind, lang: Lang) -> &'static str {
    let (zh, en) = match kind.rule() {
        Rule::AnnualTalk | Rule::EventTalk => ("谈话", "talk"),
        Rule::HardshipVisit | Rule::HonoraryVisit | Rule::EventVisit | Rule::Campaign => {
            ("上门走访", "in-person visit")
        }
        Rule::HonoraryHealthCheck => ("体检", "health check"),
        Rule::MobileContact => ("联系", "contact"),
        Rule::HardshipReview => ("年审", "review"),
        Rule::LoanInstalment => ("还款", "repayment"),
    };
    lang.pick(zh, en)
}
