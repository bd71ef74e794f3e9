//! The demo's hardship ledger (困难台账): cases in every state, each history
//! recorded through the checked workflow (`db::hardship::add_step`), so it is
//! a valid path — votes that pass, notices of at least five days, submission
//! after the notice — with families and their incomes, help measures with
//! dated actions (some with money, some with goods), helpers from the roster
//! and named units (一帮一 and 多帮一), and annual reviews (a few left
//! overdue so the Overview shows them). One case's notice runs on the demo's
//! today. Dated around that day, as the rest of the demo.

use chrono::{Datelike, NaiveDate};
use rusqlite::Connection;

use super::day;
use super::people::{CONDUCTORS, Rng};
use crate::db;
use crate::db::hardship::{FamilyMember, HelperKind, NewAction, NewCase, NewMeasure};
use crate::domain::hardship::{ReviewOutcome, StepData, StepRequest, Votes};
use crate::domain::member::Member;
use crate::domain::vocab::{CaseState, Gender, HardshipCategory, MeasureKind, Priority};

/// The clerk who signs the demo's steps.
const CLERK: &str = "支部组织委员";
/// The notice's minimum length the demo's notices respect (the default setting).
const MIN_NOTICE_DAYS: i64 = 5;

/// The states the first cases take, so every one is shown; later cases mix.
const EVERY_STATE: [CaseState; 9] = [
    CaseState::Active,
    CaseState::Publicized,
    CaseState::Approved,
    CaseState::Applied,
    CaseState::Reviewed,
    CaseState::Submitted,
    CaseState::Rejected,
    CaseState::Resolved,
    CaseState::Closed,
];
const MIX: [CaseState; 8] = [
    CaseState::Active,
    CaseState::Active,
    CaseState::Approved,
    CaseState::Active,
    CaseState::Applied,
    CaseState::Resolved,
    CaseState::Closed,
    CaseState::Active,
];

const UNITS: [&str; 3] = [
    "街道社区服务中心",
    "区人社局就业服务站",
    "共建单位市第一医院党支部",
];

/// A roster member who can be paired as a helper.
#[derive(Debug, Clone)]
pub struct HelperPool(Vec<(i64, String, String)>);

impl HelperPool {
    pub fn new() -> Self {
        HelperPool(Vec::new())
    }

    /// Offers an active member who is not in hardship as a helper.
    pub fn offer(&mut self, id: i64, m: &Member) {
        if m.is_active() && self.0.len() < 40 {
            self.0.push((id, m.code.clone(), m.name.clone()));
        }
    }
}

/// The ledger's generator: which state the next case takes, and its own
/// random numbers (so the rest of the demo does not shift with it).
pub struct Ledger {
    rng: Rng,
    shown: usize,
}

impl Ledger {
    pub fn new(seed: u64) -> Self {
        Ledger {
            rng: Rng::new(seed ^ 0x6861_7264_7368_6970),
            shown: 0,
        }
    }

    /// Writes a case for `m` (member `member_id`, on the roster since `reg`)
    /// and its history; returns its state, or `None` when the member joined
    /// too recently for one.
    pub fn case(
        &mut self,
        tx: &Connection,
        m: &Member,
        member_id: i64,
        reg: NaiveDate,
        today: NaiveDate,
        helpers: &HelperPool,
    ) -> db::Result<Option<CaseState>> {
        // the place in EVERY_STATE this case takes, if it takes one
        let shown = (m.is_active() && self.shown < EVERY_STATE.len()).then_some(self.shown);
        let state = match shown {
            _ if !m.is_active() => CaseState::Closed,
            Some(k) => EVERY_STATE[k],
            None => *self.rng.pick(&MIX),
        };
        let rng = &mut self.rng;
        // how long ago the application was, for the case to have reached its state
        let ago = match state {
            CaseState::Applied => rng.below(10) as i64,
            CaseState::Reviewed => 8 + rng.below(5) as i64,
            // the notice (from day 10 to 16 of the application) runs today
            CaseState::Publicized => 12,
            CaseState::Submitted => 20 + rng.below(10) as i64,
            CaseState::Approved => 35 + rng.below(60) as i64,
            CaseState::Rejected => 7 + rng.below(300) as i64,
            // the first case helped for more than a year, its review overdue
            CaseState::Active if shown == Some(0) => 430,
            _ => 60 + rng.below(700) as i64,
        };
        let applied = day(today, -ago);
        if applied < reg {
            return Ok(None);
        }
        if shown.is_some() {
            self.shown += 1;
        }
        let family = family(m, rng);
        let income: i64 = family.iter().map(|f| f.income_fen).sum();
        let case = NewCase {
            member_id,
            year: applied.year(),
            categories: categories(m),
            cause: rng
                .pick(&[
                    "因病致贫，长期服药",
                    "下岗后无稳定收入",
                    "独居高龄，生活不便",
                    "家中遭受水灾",
                    "子女上学负担重",
                ])
                .to_string(),
            family_situation: format!(
                "家庭{}口人，月收入合计{}元",
                family.len() + 1,
                crate::domain::money::format_yuan(income)
            ),
            family,
            priority: *rng.pick(&[
                Priority::Urgent,
                Priority::Key,
                Priority::Normal,
                Priority::Normal,
            ]),
            applied_on: applied,
            note: "本人提交书面申请".into(),
        };
        let id = db::hardship::insert_case(tx, &case, CLERK, false)?;
        let step = |date: NaiveDate, note: &str, data: StepData| -> db::Result<()> {
            let req = StepRequest {
                date,
                note: note.into(),
                data,
            };
            db::hardship::add_step(tx, id, &req, MIN_NOTICE_DAYS, today, CLERK).map(|_| ())
        };
        if state == CaseState::Rejected {
            let votes = Votes {
                for_: 6 + rng.below(4) as i64,
                against: 14 + rng.below(4) as i64,
                abstain: rng.below(3) as i64,
            };
            step(
                day(applied, 7),
                "支部党员大会民主评议",
                StepData::Reject {
                    reason: "民主评议未通过：家庭收入高于困难标准".into(),
                    votes: Some(votes),
                },
            )?;
            return Ok(Some(state));
        }
        if state == CaseState::Closed && !m.is_active() {
            step(
                day(applied, 3),
                "",
                StepData::Close {
                    reason: "本人组织关系已转出，终止申请".into(),
                },
            )?;
            return Ok(Some(state));
        }
        let order = [
            CaseState::Reviewed,
            CaseState::Publicized,
            CaseState::Submitted,
            CaseState::Approved,
            CaseState::Active,
        ];
        let last = match state {
            CaseState::Applied => return Ok(Some(state)),
            CaseState::Resolved | CaseState::Closed => CaseState::Active,
            s => s,
        };
        let approved = day(applied, 30);
        for s in order {
            match s {
                CaseState::Reviewed => step(
                    day(applied, 7),
                    "支部党员大会民主评议",
                    StepData::Review(Votes {
                        for_: 18 + rng.below(10) as i64,
                        against: rng.below(3) as i64,
                        abstain: rng.below(2) as i64,
                    }),
                )?,
                CaseState::Publicized => step(
                    day(applied, 10),
                    "在支部公示栏和党员群公示",
                    StepData::Publicize {
                        from: day(applied, 10),
                        to: day(applied, 16),
                    },
                )?,
                CaseState::Submitted => step(
                    day(applied, 17),
                    "",
                    StepData::Submit {
                        to: "街道党工委".into(),
                    },
                )?,
                CaseState::Approved => step(approved, "街道党工委审核通过", StepData::Approve)?,
                _ => step(
                    day(approved, 5),
                    "制定帮扶计划，落实结对帮扶",
                    StepData::Activate,
                )?,
            }
            if s == last {
                break;
            }
        }
        if !matches!(
            state,
            CaseState::Approved | CaseState::Active | CaseState::Resolved | CaseState::Closed
        ) {
            return Ok(Some(state));
        }
        pair(tx, id, approved, helpers, rng)?;
        // the day help ended, for a case that is over
        let end = match state {
            CaseState::Resolved | CaseState::Closed => {
                let span = (today - day(approved, 6)).num_days().max(1) as u64;
                day(approved, 6 + rng.below(span) as i64).min(today)
            }
            _ => today,
        };
        measures(tx, id, approved, end, state != CaseState::Approved, rng)?;
        // annual reviews, kept up for most cases (the first one's is overdue)
        let mut review = day(approved, 330 + rng.below(30) as i64);
        let keep_up = shown != Some(0);
        while keep_up && review <= end.min(today) && rng.chance(85) {
            if state == CaseState::Resolved && day(review, 330) > end {
                break;
            }
            db::hardship::add_review(
                tx,
                id,
                review,
                ReviewOutcome::Continue,
                "经入户复核，困难情况依旧，继续帮扶",
                today,
                CLERK,
            )?;
            review = day(review, 330 + rng.below(30) as i64);
        }
        match state {
            CaseState::Resolved => {
                db::hardship::add_review(
                    tx,
                    id,
                    end.max(day(approved, 6)),
                    ReviewOutcome::Resolved,
                    "家庭收入稳定，经评议已脱困",
                    today,
                    CLERK,
                )?;
            }
            CaseState::Closed => step(
                end.max(day(approved, 6)),
                "",
                StepData::Close {
                    reason: "本人迁居外地，转由居住地党组织帮扶".into(),
                },
            )?,
            _ => {}
        }
        Ok(Some(state))
    }
}

fn categories(m: &Member) -> Vec<HardshipCategory> {
    let mut cats = vec![if m.low_income {
        HardshipCategory::LowIncome
    } else {
        HardshipCategory::Living
    }];
    if m.chronic_ill {
        cats.push(HardshipCategory::Illness);
    }
    if m.disabled {
        cats.push(HardshipCategory::Disability);
    }
    if m.living_alone {
        cats.push(HardshipCategory::Solitary);
    }
    cats
}

/// The household: nobody for a member living alone, else a spouse and
/// perhaps a child and a parent, the first with a monthly income.
fn family(m: &Member, rng: &mut Rng) -> Vec<FamilyMember> {
    if m.living_alone {
        return Vec::new();
    }
    let surname: String = m.name.chars().take(1).collect();
    let spouse = if m.gender == Some(Gender::Female) {
        FamilyMember {
            relation: "夫".into(),
            name: format!("{}建国", rng.pick(&["王", "李", "赵"])),
            income_fen: 0,
        }
    } else {
        FamilyMember {
            relation: "妻".into(),
            name: format!("{}秀英", rng.pick(&["李", "刘", "陈"])),
            income_fen: 0,
        }
    };
    let child = FamilyMember {
        relation: rng.pick(&["子", "女"]).to_string(),
        name: format!("{surname}{}", rng.pick(&["强", "丽", "小军", "婷"])),
        income_fen: 0,
    };
    let parent = FamilyMember {
        relation: "母".into(),
        name: format!("{}桂兰", rng.pick(&["张", "周", "吴"])),
        income_fen: 0,
    };
    let mut family = vec![spouse];
    if rng.chance(60) {
        family.push(child);
    }
    if rng.chance(30) {
        family.push(parent);
    }
    family[0].income_fen = (rng.below(25) as i64) * 10_000;
    family
}

/// One helper (一帮一) or several (多帮一): members of the roster and a unit.
fn pair(
    tx: &Connection,
    case_id: i64,
    approved: NaiveDate,
    pool: &HelperPool,
    rng: &mut Rng,
) -> db::Result<()> {
    let since = Some(day(approved, 2));
    let several = rng.chance(40) || pool.0.is_empty();
    if let Some((id, code, name)) = (!pool.0.is_empty()).then(|| rng.pick(&pool.0).clone()) {
        db::hardship::insert_helper(tx, case_id, &HelperKind::Member { id, code, name }, since)?;
    }
    if several {
        let unit = rng.pick(&UNITS).to_string();
        db::hardship::insert_helper(tx, case_id, &HelperKind::Unit(unit), since)?;
    }
    Ok(())
}

/// One or two measures from the approval on, with actions until `end` (none
/// yet for a case only just approved).
fn measures(
    tx: &Connection,
    case_id: i64,
    approved: NaiveDate,
    end: NaiveDate,
    acted: bool,
    rng: &mut Rng,
) -> db::Result<()> {
    let first = *rng.pick(&[
        MeasureKind::Living,
        MeasureKind::Medical,
        MeasureKind::Living,
    ]);
    let second = *rng.pick(&[
        MeasureKind::Employment,
        MeasureKind::Guidance,
        MeasureKind::Psychological,
        MeasureKind::Knowledge,
        MeasureKind::Project,
    ]);
    let kinds: &[MeasureKind] = if rng.chance(60) {
        &[first, second]
    } else {
        &[first]
    };
    for &kind in kinds {
        let start = day(approved, 3);
        let id = db::hardship::insert_measure(
            tx,
            case_id,
            &NewMeasure {
                kind,
                plan: plan(kind).into(),
                responsible: rng.pick(CONDUCTORS).to_string(),
                start_date: Some(start),
            },
        )?;
        if !acted {
            continue;
        }
        let mut d = day(start, 5 + rng.below(20) as i64);
        let mut n = 0;
        while d <= end && n < 6 {
            let (action, amount, goods) = action(kind, rng);
            db::hardship::insert_action(
                tx,
                id,
                &NewAction {
                    date: d,
                    action: action.into(),
                    amount_fen: amount,
                    goods: goods.into(),
                },
                CLERK,
            )?;
            n += 1;
            d = day(d, 60 + rng.below(60) as i64);
        }
    }
    Ok(())
}

fn plan(kind: MeasureKind) -> &'static str {
    match kind {
        MeasureKind::Living => "每季度发放生活补助，节日送米送油",
        MeasureKind::Medical => "协助申请医疗救助，定期陪同复诊",
        MeasureKind::Employment => "推荐公益性岗位，参加技能培训",
        MeasureKind::Guidance => "帮助理清增收思路，制定家庭脱困计划",
        MeasureKind::Knowledge => "赠送实用技术书籍，组织参加讲座",
        MeasureKind::Project => "协调小额贴息贷款，扶持家庭养殖",
        MeasureKind::Psychological => "定期谈心，疏导情绪",
    }
}

/// What was done: the action, an amount in fen, goods.
fn action(kind: MeasureKind, rng: &mut Rng) -> (&'static str, Option<i64>, &'static str) {
    match kind {
        MeasureKind::Living => *rng.pick(&[
            ("发放生活补助", Some(50_000), ""),
            ("节日慰问，送去米、油", None, "大米 25kg、食用油 5L"),
            ("发放生活补助", Some(80_000), ""),
        ]),
        MeasureKind::Medical => *rng.pick(&[
            ("协助申请大病医疗救助", Some(200_000), ""),
            ("陪同到医院复诊", None, ""),
        ]),
        MeasureKind::Employment => *rng.pick(&[
            ("推荐到社区公益岗位面试", None, ""),
            ("报名参加家政技能培训", None, ""),
        ]),
        MeasureKind::Guidance => ("上门交流，帮助理清增收思路", None, ""),
        MeasureKind::Knowledge => ("赠送种植技术书籍", None, "书籍 3 册"),
        MeasureKind::Project => ("协调发放小额贴息贷款", Some(500_000), ""),
        MeasureKind::Psychological => ("谈心疏导，了解思想状况", None, ""),
    }
}
