//! Names in pinyin order (拼音排序) and name search by characters, full pinyin
//! or initials (张三: `zhangsan`, `zs`).
//!
//! The `pinyin` crate reads one character at a time with no word dictionary,
//! so a name's first character takes its surname reading from [`SURNAMES`]
//! (单 shàn, not dān), and search accepts every reading of every character
//! (重庆 by `cq` and by `zq`).

use std::cmp::Ordering;

use pinyin::{ToPinyin, ToPinyinMulti};

/// Surname readings that differ from (or are rarer than) a character's most
/// common reading, as `letters` + tone digit (ü written `ü`).
#[rustfmt::skip]
const SURNAMES: &[(char, &str)] = &[
    ('单', "shan4"), ('曾', "zeng1"), ('仇', "qiu2"), ('解', "xie4"), ('区', "ou1"),
    ('朴', "piao2"), ('查', "zha1"), ('盖', "ge3"), ('尉', "yu4"), ('乐', "yue4"),
    ('缪', "miao4"), ('翟', "zhai2"), ('覃', "qin2"), ('华', "hua4"), ('冼', "xian3"),
    ('员', "yun4"), ('繁', "po2"), ('秘', "bi4"), ('种', "chong2"), ('折', "she2"),
    ('能', "nai4"), ('句', "gou1"), ('召', "shao4"), ('过', "guo1"), ('长', "zhang3"),
    ('沈', "shen3"), ('石', "shi2"), ('薄', "bo2"), ('柏', "bai3"), ('宁', "ning4"),
    ('贾', "jia3"), ('叶', "ye4"), ('阚', "kan4"), ('隗', "wei3"), ('卜', "bu3"),
    ('重', "chong2"), ('万', "wan4"), ('任', "ren2"), ('纪', "ji3"), ('燕', "yan1"),
    ('朝', "chao2"), ('藏', "zang4"), ('都', "du1"), ('蕃', "pi2"), ('黑', "he4"),
    ('谌', "chen2"), ('应', "ying1"), ('葛', "ge3"), ('哈', "ha3"), ('那', "na1"),
    ('相', "xiang4"), ('宿', "su4"), ('番', "pan1"), ('洗', "xian3"), ('莘', "shen1"),
    ('佴', "nai4"), ('令', "ling2"), ('便', "pian2"), ('祭', "zhai4"), ('乜', "nie4"),
    ('訾', "zi1"), ('褚', "chu3"), ('郇', "xun2"), ('鲜', "xian1"), ('澹', "tan2"),
    ('角', "jue2"), ('阿', "a1"), ('眭', "sui1"), ('蔚', "yu4"), ('粘', "nian2"),
    ('厍', "she4"), ('佘', "she2"), ('隽', "juan4"), ('曲', "qu1"), ('强', "qiang2"),
    // Traditional forms seen in older rosters.
    ('單', "shan4"), ('樂', "yue4"), ('繆', "miao4"), ('華', "hua4"), ('員', "yun4"),
    ('種', "chong2"), ('長', "zhang3"), ('寧', "ning4"), ('賈', "jia3"), ('葉', "ye4"),
    ('闞', "kan4"), ('萬', "wan4"), ('紀', "ji3"), ('區', "ou1"), ('蓋', "ge3"),
    ('過', "guo1"), ('鮮', "xian1"),
];

/// Readings in given names where the `pinyin` crate's first reading is the
/// neutral-tone suffix of a word (子 as in 桌子, 了 as in 来了): in a name
/// 子 is zǐ (子涵), 了 liǎo. Any other character whose first reading is
/// neutral takes its first toned reading (see [`given_reading`]).
#[rustfmt::skip]
const GIVEN_NAMES: &[(char, &str)] = &[
    ('子', "zi3"), ('了', "liao3"), ('么', "yao1"), ('着', "zhuo2"), ('的', "di4"),
    ('裳', "chang2"), ('匙', "chi2"), ('们', "men2"), ('呢', "ni2"),
];

/// Name characters the `pinyin` crate (0.11) has no reading for.
const SUPPLEMENT: &[(char, &str)] = &[('𠮷', "ji2")];

/// Characters skipped in names: the middle dots of minority and foreign names
/// (阿依古丽·买买提) in their many look-alikes, and blanks.
fn is_separator(c: char) -> bool {
    matches!(
        c,
        '\u{00B7}'
            | '\u{0387}'
            | '\u{2022}'
            | '\u{2027}'
            | '\u{2219}'
            | '\u{22C5}'
            | '\u{30FB}'
            | '\u{FF65}'
            | '\u{FF0E}'
            | '\u{3002}'
            | '.'
    ) || c.is_whitespace()
}

/// Skipped in the stored readings and in search ('/' would break the format).
pub(super) fn is_skipped(c: char) -> bool {
    is_separator(c) || c == '/' || c.is_control()
}

fn surname_reading(c: char) -> Option<&'static str> {
    SURNAMES.iter().find(|(s, _)| *s == c).map(|(_, r)| *r)
}

fn supplement_reading(c: char) -> Option<&'static str> {
    SUPPLEMENT.iter().find(|(s, _)| *s == c).map(|(_, r)| *r)
}

/// The reading of a character in a given name: from [`GIVEN_NAMES`], else the
/// crate's first reading unless that is the neutral tone (a word suffix, never
/// a name's reading), then its first toned reading.
fn given_reading(c: char) -> Option<&'static str> {
    if let Some(r) = GIVEN_NAMES.iter().find(|(g, _)| *g == c).map(|(_, r)| *r) {
        return Some(r);
    }
    let first = c.to_pinyin()?.with_tone_num_end();
    if first.ends_with(|d: char| d.is_ascii_digit()) {
        return Some(first);
    }
    c.to_pinyin_multi()
        .and_then(|m| {
            m.into_iter()
                .map(|p| p.with_tone_num_end())
                .find(|r| r.ends_with(|d: char| d.is_ascii_digit()))
        })
        .or(Some(first))
}

/// The reading used for sorting: the surname reading for the first character,
/// else its reading in given names (DOMAIN.md "pinyin order").
fn sort_reading(c: char, first: bool) -> Option<&'static str> {
    if first && let Some(r) = surname_reading(c) {
        return Some(r);
    }
    supplement_reading(c).or_else(|| given_reading(c))
}

/// Every reading of a character (tone numbers at the end), surname first.
fn all_readings(c: char, first: bool) -> Vec<&'static str> {
    let mut out = Vec::new();
    if first && let Some(r) = surname_reading(c) {
        out.push(r);
    }
    if let Some(r) = supplement_reading(c) {
        out.push(r);
    } else if let Some(m) = c.to_pinyin_multi() {
        out.extend(m.into_iter().map(|p| p.with_tone_num_end()));
    }
    out
}

/// Splits `lü3` into ASCII letters (`lu`), an umlaut flag (ü or ê) and a tone
/// (1–4, 5 for the neutral tone).
fn split_reading(r: &str) -> (Vec<u8>, u8, u8) {
    let mut letters = Vec::with_capacity(r.len());
    let mut flag = 0;
    let mut tone = 5;
    for ch in r.chars() {
        match ch {
            'ü' => {
                letters.push(b'u');
                flag = 1;
            }
            'ê' => {
                letters.push(b'e');
                flag = 1;
            }
            '1'..='4' => tone = ch as u8 - b'0',
            c if c.is_ascii_alphabetic() => letters.push(c.to_ascii_lowercase() as u8),
            _ => {}
        }
    }
    (letters, flag, tone)
}

/// A byte string whose byte order is the name order of the spec: character by
/// character (詹 before 张), each by its letters (ü as u), then ü after u
/// (卢 < 吕 < 罗), then tone 1–4 and neutral, then code point; separators are
/// skipped; a character with no reading sorts after every one with a reading.
pub fn sort_key(name: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(name.len() * 4);
    let mut first = true;
    for c in name.chars().filter(|&c| !is_separator(c)) {
        let cp = c as u32;
        match sort_reading(c, first) {
            Some(r) => {
                let (letters, flag, tone) = split_reading(r);
                key.extend_from_slice(&letters);
                key.extend_from_slice(&[0, flag, tone]);
            }
            None => key.push(0xFF),
        }
        key.extend_from_slice(&[(cp >> 16) as u8, (cp >> 8) as u8, cp as u8]);
        first = false;
    }
    key
}

/// Compares two names in pinyin order (see [`sort_key`]).
pub fn compare_names(a: &str, b: &str) -> Ordering {
    sort_key(a).cmp(&sort_key(b))
}

/// Every reading of every character, for search: `zhang san` for 张三,
/// `chong/zhong/tong qing` for 重庆 (the surname reading first). Tone-less,
/// ü written `v`; a character with no reading appears as itself, lowercased;
/// separators (`·`, blanks) are left out.
pub fn readings(name: &str) -> String {
    let mut out = String::with_capacity(name.len() * 3);
    let mut first = true;
    for c in name.chars().filter(|&c| !is_skipped(c)) {
        if !first {
            out.push(' ');
        }
        out.push_str(&reading_group(c, first));
        first = false;
    }
    out
}

/// One character's group in [`readings`] (`chong/zhong/tong` for 重 as a
/// name's first character): every reading, tone-less, ü written `v`, or the
/// character itself, lowercased, when it has none.
pub(super) fn reading_group(c: char, first: bool) -> String {
    let mut group: Vec<String> = Vec::new();
    for r in all_readings(c, first) {
        let plain: String = r
            .chars()
            .filter_map(|ch| match ch {
                'ü' => Some('v'),
                'ê' => Some('e'),
                c if c.is_ascii_alphabetic() => Some(c.to_ascii_lowercase()),
                _ => None,
            })
            .collect();
        if !plain.is_empty() && !group.contains(&plain) {
            group.push(plain);
        }
    }
    if group.is_empty() {
        fold(c).collect()
    } else {
        group.join("/")
    }
}

/// Lower case, full-width ASCII made half-width.
pub(super) fn fold(c: char) -> impl Iterator<Item = char> {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    c.to_lowercase()
}

mod compact;
mod search;

pub use compact::{CompactIndex, Matcher, Scratch};
pub use search::{PreparedQuery, Rank, SearchIndex, matches};

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        v.sort_by(|a, b| compare_names(a, b));
        v
    }

    #[test]
    fn crate_readings_as_discovered() {
        // The crate lacks 𠮷 but has these rare name characters.
        assert!('𠮷'.to_pinyin().is_none());
        for (c, r) in [
            ('堃', "kun1"),
            ('喆', "zhe2"),
            ('犇', "ben1"),
            ('淼', "miao3"),
            ('昇', "sheng1"),
            ('琇', "xiu4"),
            ('燊', "shen1"),
            ('赟', "yun1"),
            ('玥', "yue4"),
        ] {
            assert_eq!(c.to_pinyin().map(|p| p.with_tone_num_end()), Some(r), "{c}");
        }
        assert_eq!(sort_reading('重', false), Some("zhong4"));
        assert_eq!(sort_reading('单', false), Some("dan1"));
        assert_eq!(sort_reading('单', true), Some("shan4"));
        assert_eq!(sort_reading('𠮷', false), Some("ji2"));
    }

    #[test]
    fn given_names_take_their_name_reading_not_a_suffix() {
        // 子 is zǐ in a name (子涵), so 王子豪 (zi3) comes after 王紫萱 (zi3, 紫 U+7D2B
        // > 子 U+5B50 by code point only when the readings tie: then 子 first).
        assert_eq!(sort_reading('子', false), Some("zi3"));
        assert_eq!(sort_reading('了', false), Some("liao3"));
        assert_eq!(sort_reading('么', false), Some("yao1"));
        assert_eq!(
            sorted(&["王紫萱", "王子豪", "王自强", "王资"]),
            ["王资", "王子豪", "王紫萱", "王自强"]
        );
        // every character the crate reads with a neutral first reading gets a toned one
        for cp in 0x4E00u32..0x9FA6 {
            let c = char::from_u32(cp).unwrap();
            if let Some(r) = sort_reading(c, false) {
                let multi = c.to_pinyin_multi().map_or(0, |m| m.into_iter().count());
                if multi > 1 {
                    assert!(r.ends_with(|d: char| d.is_ascii_digit()), "{c}: {r}");
                }
            }
        }
    }

    #[test]
    fn dictionary_order_not_concatenated_pinyin() {
        assert_eq!(sorted(&["张一", "詹三"]), ["詹三", "张一"]);
        assert_eq!(sorted(&["罗一", "吕一", "卢一"]), ["卢一", "吕一", "罗一"]);
        // luan < lüe: letters first, ü only breaks ties.
        assert_eq!(compare_names("栾", "略"), Ordering::Less);
        assert_eq!(sorted(&["张三", "张"]), ["张", "张三"]);
        // Tones: 妈 ma1 < 麻 ma2 < 马 ma3 < 骂 ma4.
        assert_eq!(sorted(&["马", "骂", "妈", "麻"]), ["妈", "麻", "马", "骂"]);
    }

    #[test]
    fn surnames_take_their_surname_reading() {
        // 单 shàn sorts among the s: after 沙 sha, before 沈 shen.
        assert_eq!(
            sorted(&["沈一", "单田芳", "沙二"]),
            ["沙二", "单田芳", "沈一"]
        );
        // Not as the first character: 简单 is jian dan.
        assert_eq!(compare_names("简单", "简山"), Ordering::Less);
        // 曾 zēng sorts with the z, after 臧 zang.
        assert_eq!(sorted(&["曾一", "蔡一", "臧一"]), ["蔡一", "臧一", "曾一"]);
        // 区 ōu sorts before 潘 pan; 查 zhā after 詹 zhan? no: zha < zhan.
        assert_eq!(sorted(&["潘一", "区一"]), ["区一", "潘一"]);
        assert_eq!(sorted(&["詹一", "查一"]), ["查一", "詹一"]);
    }

    #[test]
    fn separators_skipped_and_unknown_last() {
        assert_eq!(sort_key("阿依古丽·买买提"), sort_key("阿依古丽买买提"));
        assert_eq!(sort_key("阿依古丽・买买提"), sort_key("阿依古丽 买买提"));
        // No reading: after every known character, then by code point.
        assert_eq!(sorted(&["Tom", "左一", "阿一"]), ["阿一", "左一", "Tom"]);
        assert_eq!(compare_names("张Z", "张左"), Ordering::Greater);
        // 𠮷 has a supplementary reading jí: between 纪 jǐ... 吉 jí has a lower code point.
        assert_eq!(sorted(&["𠮷一", "吉一", "家一"]), ["吉一", "𠮷一", "家一"]);
    }

    #[test]
    fn readings_list_every_reading() {
        assert_eq!(readings("张三"), "zhang san");
        assert_eq!(readings("重庆"), "chong/zhong/tong qing");
        assert_eq!(readings("吕"), "lv");
        assert_eq!(readings("单田芳"), "shan/dan/chan tian fang");
        assert_eq!(
            readings("阿依古丽·买买提"),
            "a/e yi gu/ku li mai mai ti/di/chi/shi"
        );
        assert_eq!(readings("𠮷A"), "ji a");
        assert_eq!(readings("张/三"), "zhang san");
    }

    fn m(q: &str, name: &str) -> bool {
        matches(q, name, &readings(name))
    }

    #[test]
    fn search_by_initials_full_and_mixed() {
        for q in [
            "zs",
            "zhangsan",
            "zhangs",
            "zhs",
            "zsan",
            "san",
            "sa",
            "zha",
            "z",
            "张",
            "张三",
            "三",
            "ZS",
            "zhang san",
            "张s",
            "ｚｓ",
        ] {
            assert!(m(q, "张三"), "{q}");
        }
        for q in [
            "zx",
            "sz",
            "zhangsi",
            "zsn",
            "zhangsani",
            "ss",
            "hang",
            "an",
        ] {
            assert!(!m(q, "张三"), "{q}");
        }
        for q in ["cq", "zq", "chongqing", "zhongqing", "chq", "tq", "qing"] {
            assert!(m(q, "重庆"), "{q}");
        }
        assert!(m("lv", "吕布"));
        assert!(m("lu", "吕布"));
        assert!(m("lvb", "吕布"));
        assert!(m("lb", "吕布"));
        assert!(m("", "吕布"));
    }

    #[test]
    fn search_rare_and_minority_names() {
        assert!(m("𠮷", "𠮷祥"));
        assert!(m("jx", "𠮷祥"));
        assert!(m("jixiang", "𠮷祥"));
        assert!(m("mmt", "阿依古丽·买买提"));
        assert!(m("glmm", "阿依古丽·买买提"));
        assert!(m("古丽买", "阿依古丽·买买提"));
        assert!(m("ayi", "阿依古丽·买买提"));
        assert!(m("shan", "单田芳"));
        assert!(m("dtf", "单田芳"));
        assert!(m("stf", "单田芳"));
    }

    #[test]
    fn index_matches_extras_by_substring() {
        let mut idx = SearchIndex::new();
        let a = idx.push("张三", &readings("张三"), "A001", &["138 1234 5678"]);
        let b = idx.push("李四", "", "A002", &[]);
        let c = idx.push("王五", "stale", "", &[]);
        assert_eq!(idx.len(), 3);
        assert_eq!(idx.filter(&PreparedQuery::new("a00")), vec![a, b]);
        assert_eq!(idx.filter(&PreparedQuery::new("a001")), vec![a]);
        assert_eq!(idx.filter(&PreparedQuery::new("5678")), vec![a]);
        assert_eq!(idx.filter(&PreparedQuery::new("ls")), vec![b]);
        assert_eq!(idx.filter(&PreparedQuery::new("ww")), vec![c]);
        assert_eq!(idx.filter(&PreparedQuery::new("")), vec![a, b, c]);
        // No match across two extras.
        assert!(!idx.matches(a, &PreparedQuery::new("11385")));
        assert!(!idx.matches(99, &PreparedQuery::new("")));
    }
}
