//! The demo's people: names (common, minority, rare characters), places, the
//! clerks who talk and visit, and one member drawn at random.

use chrono::{Datelike, NaiveDate};

use super::{day, ymd};
use crate::domain::member::Member;
use crate::domain::vocab::{Employment, Gender, MemberStatus, Membership};
use crate::domain::{dates, validate};

/// A small deterministic random generator (xorshift64*), so every demo is the same.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    /// True with probability `pct` percent.
    pub fn chance(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "萧", "田", "董", "潘", "袁", "蔡", "蒋", "余", "于", "杜", "叶", "程", "魏", "苏", "吕", "丁",
    "任", "卢", "姚", "沈", "钟", "姜", "崔", "谭", "陆", "范", "汪", "廖", "石", "金", "韦", "贾",
    "单", "解", "仇", "查", "詹", "翟", "覃", "区", "朴", "盖", "欧阳", "司马", "诸葛",
];

const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀英", "霞", "平", "刚", "桂英", "建国", "建华", "国强", "志明", "淑珍", "秀兰", "玉兰",
    "德胜", "卫东", "红梅", "海燕", "春花", "文", "斌", "宇", "浩", "凯", "晨", "欣", "琳", "重庆",
    "长生", "乐", "行", "朝阳", "银行", "和平", "振华", "树德", "凤英", "金凤", "荣", "辉", "鹏",
];

const MINORITY: &[&str] = &[
    "阿依古丽·买买提",
    "买买提·艾力",
    "热依拉·艾合买提",
    "古丽娜尔·吐尔逊",
    "艾尔肯·阿不都拉",
    "巴特尔·额尔敦",
];

const RARE: &[&str] = &["𠮷野", "𠮷祥", "王𠮷", "李喆", "陈堃", "张犇"];

const PLACES: &[&str] = &[
    "深圳",
    "上海浦东",
    "广州天河",
    "杭州",
    "北京朝阳",
    "苏州工业园区",
    "乌鲁木齐",
];

pub(super) const CONDUCTORS: &[&str] = &[
    "李书记",
    "王委员",
    "张组织委员",
    "刘宣传委员",
    "支部书记 陈红",
];

fn name(rng: &mut Rng, i: usize) -> String {
    if i % 37 == 11 {
        return rng.pick(MINORITY).to_string();
    }
    if i % 53 == 7 {
        return rng.pick(RARE).to_string();
    }
    let mut s = rng.pick(SURNAMES).to_string();
    s.push_str(rng.pick::<&str>(GIVEN));
    if rng.chance(35) && s.chars().count() < 3 {
        s.push_str(rng.pick::<&str>(&["华", "明", "英", "生", "兰", "林", "山", "峰"]));
    }
    s
}

/// One generated member, with a plan of what happens to them.
pub(super) fn member(rng: &mut Rng, i: usize, today: NaiveDate) -> Member {
    let year = today.year();
    // ages 22..96, with many older members as in a real community branch
    let age = if rng.chance(45) {
        60 + rng.below(36) as i32
    } else {
        22 + rng.below(38) as i32
    };
    let birth = ymd(
        year - age,
        1 + rng.below(12) as u32,
        1 + rng.below(28) as u32,
    );
    let joined_age = 18 + rng.below((age - 18).clamp(1, 40) as u64) as i32;
    let joined = ymd(
        year - age + joined_age,
        1 + rng.below(12) as u32,
        1 + rng.below(28) as u32,
    )
    .min(day(today, -200));
    let joined = joined.max(dates::add_years(birth, 18));
    let mut m = Member::new(&format!("{:04}", i + 1), &name(rng, i), joined);
    m.gender = Some(if rng.chance(55) {
        Gender::Male
    } else {
        Gender::Female
    });
    m.birth_date = Some(birth);
    if rng.chance(85) {
        // (area, sequence) differs for every member, so ID numbers never repeat
        const AREAS: [&str; 6] = ["110105", "310104", "440305", "330106", "650102", "420106"];
        let block = i / (AREAS.len() * 999);
        let area = if block == 0 {
            AREAS[i % AREAS.len()].to_string()
        } else {
            format!("{}", 120000 + block * AREAS.len() + i % AREAS.len())
        };
        let seq = ((i / AREAS.len()) % 999) as u32 + 1;
        m.id_number = Some(validate::make_id_number(&area, birth, seq));
    }
    if rng.chance(90) {
        m.phone = Some(if rng.chance(85) {
            format!(
                "1{}{:09}",
                rng.pick(&["3", "5", "8", "9"]),
                rng.below(1_000_000_000)
            )
        } else {
            format!("010-{:08}", 60_000_000 + rng.below(30_000_000))
        });
    }
    m.membership = if joined > day(today, -365) {
        Membership::Probationary
    } else {
        Membership::Full
    };
    m.employment = Some(if age >= 60 {
        Employment::Retired
    } else {
        *rng.pick(&[
            Employment::Employed,
            Employment::Employed,
            Employment::Employed,
            Employment::Unemployed,
            Employment::Farmer,
            Employment::Other,
        ])
    });
    // most members entered this roster years ago; some recently (counts from 入册日期)
    m.registered_on = Some(if rng.chance(80) {
        joined.max(ymd(2015, 3, 1))
    } else {
        joined.max(day(today, -(rng.below(900) as i64) - 30))
    });
    if i % 30 == 17 {
        m.registered_on = None; // imported without 入册日期: counts from 入党日期
    }
    if age < 55 && rng.chance(12) {
        m.mobile = true;
        m.mobile_since = Some(day(today, -(rng.below(1500) as i64) - 20));
        m.whereabouts = rng.pick(PLACES).to_string();
        m.contact = format!("{}（亲属）", rng.pick(SURNAMES));
    }
    if age >= 75 && rng.chance(30) {
        m.honorary = true;
        m.honorary_since = Some(day(today, -(rng.below(2000) as i64) - 60));
    }
    m.low_income = rng.chance(if age >= 60 { 10 } else { 5 });
    m.no_fixed_income = rng.chance(6);
    m.living_alone = age >= 65 && rng.chance(18);
    m.disabled = rng.chance(4);
    m.chronic_ill = rng.chance(if age >= 60 { 18 } else { 5 });
    if i % 41 == 5 {
        m.status = MemberStatus::TransferredOut;
        m.notes = "组织关系转至区外".into();
    } else if i % 59 == 9 {
        m.status = MemberStatus::Deceased;
    }
    m
}
