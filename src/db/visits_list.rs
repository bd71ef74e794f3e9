//! What the 谈心走访 screen and the record forms read: one page of talks,
//! visits and events newest first (keyset, never the whole tables), member
//! candidates for a typed code or name, and the members a campaign targets
//! but has not yet visited (judged by the rule engine's own targeting).

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{Connection, params, params_from_iter};

use super::{Result, date_text, parse_date};
use crate::domain::pinyin;
use crate::domain::records::Campaign;
use crate::domain::rules::{self, LiveCase, MemberFacts};
use crate::domain::settings::Settings;

/// Which table a row of the list comes from; the order of equal dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordType {
    Event,
    Visit,
    Talk,
}

impl RecordType {
    pub const ALL: [RecordType; 3] = [RecordType::Talk, RecordType::Visit, RecordType::Event];

    pub fn label(self, lang: crate::domain::Lang) -> &'static str {
        match self {
            RecordType::Talk => lang.pick("谈话", "Talk"),
            RecordType::Visit => lang.pick("走访", "Visit"),
            RecordType::Event => lang.pick("情况", "Event"),
        }
    }

    /// The table the records of this type are stored in.
    pub fn table_name(self) -> &'static str {
        self.table().0
    }

    fn table(self) -> (&'static str, &'static str) {
        // (table, "kind, who, text" columns)
        match self {
            RecordType::Talk => (
                "talks",
                "r.form, r.conductor, r.summary, r.voided_on, r.void_reason",
            ),
            RecordType::Visit => (
                "visits",
                "r.kind, r.visitor, r.notes, r.voided_on, r.void_reason",
            ),
            RecordType::Event => ("events", "r.kind, '', r.note, r.voided_on, r.void_reason"),
        }
    }
}

/// One talk, visit or event with its member, as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRow {
    pub kind: RecordType,
    pub id: i64,
    pub date: NaiveDate,
    pub member_id: i64,
    pub member_code: String,
    pub member_name: String,
    /// The stored code of the talk form, visit kind or event kind.
    pub what: String,
    /// 谈话人 / 走访人.
    pub who: String,
    /// Summary, notes or note.
    pub text: String,
    /// 作废: the day the record was voided (it then counts for no rule).
    pub voided_on: Option<NaiveDate>,
    pub void_reason: String,
}

impl ListRow {
    /// Where the next page starts (exclusive).
    pub fn cursor(&self) -> Cursor {
        Cursor {
            date: self.date,
            kind: self.kind,
            id: self.id,
        }
    }
}

/// A place in the list: newest date first, then talk, visit, event, then id descending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub date: NaiveDate,
    pub kind: RecordType,
    pub id: i64,
}

/// What the list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFilter {
    /// Only this type (all when `None`).
    pub only: Option<RecordType>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Only these members (when `Some`; an empty list shows nothing).
    pub members: Option<Vec<i64>>,
}

/// One page of records after `after`, newest first. Each table is read by its
/// date index with the same keyset, and the three short runs are merged.
pub fn page(
    conn: &Connection,
    filter: &ListFilter,
    after: Option<Cursor>,
    limit: usize,
) -> Result<Vec<ListRow>> {
    if filter.members.as_ref().is_some_and(Vec::is_empty) {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for t in RecordType::ALL {
        if filter.only.is_some_and(|o| o != t) {
            continue;
        }
        out.extend(page_of(conn, t, filter, after, limit)?);
    }
    out.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then(b.kind.cmp(&a.kind))
            .then(b.id.cmp(&a.id))
    });
    out.truncate(limit);
    Ok(out)
}

fn page_of(
    conn: &Connection,
    t: RecordType,
    filter: &ListFilter,
    after: Option<Cursor>,
    limit: usize,
) -> Result<Vec<ListRow>> {
    let (table, cols) = t.table();
    let mut conds: Vec<String> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    let arg = |v: Value, args: &mut Vec<Value>| {
        args.push(v);
        format!("?{}", args.len())
    };
    if let Some(f) = filter.from {
        let p = arg(Value::Text(date_text(f)), &mut args);
        conds.push(format!("r.date >= {p}"));
    }
    if let Some(to) = filter.to {
        let p = arg(Value::Text(date_text(to)), &mut args);
        conds.push(format!("r.date <= {p}"));
    }
    if let Some(ids) = &filter.members {
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        conds.push(format!("r.member_id IN ({})", list.join(",")));
    }
    if let Some(c) = after {
        let d = arg(Value::Text(date_text(c.date)), &mut args);
        conds.push(match t.cmp(&c.kind) {
            std::cmp::Ordering::Less => format!("r.date <= {d}"),
            std::cmp::Ordering::Greater => format!("r.date < {d}"),
            std::cmp::Ordering::Equal => {
                let i = arg(Value::Integer(c.id), &mut args);
                format!("(r.date < {d} OR (r.date = {d} AND r.id < {i}))")
            }
        });
    }
    let lim = arg(Value::Integer(limit as i64), &mut args);
    let wh = if conds.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conds.join(" AND "))
    };
    let sql = format!(
        "SELECT r.id, r.date, r.member_id, m.code, m.name, {cols}
         FROM {table} r JOIN members m ON m.id = r.member_id
         {wh} ORDER BY r.date DESC, r.id DESC LIMIT {lim}"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(args), |r| {
        Ok(ListRow {
            kind: t,
            id: r.get(0)?,
            date: parse_date(r.get(1)?).unwrap_or_default(),
            member_id: r.get(2)?,
            member_code: r.get(3)?,
            member_name: r.get(4)?,
            what: r.get(5)?,
            who: r.get(6)?,
            text: r.get(7)?,
            voided_on: parse_date(r.get(8)?),
            void_reason: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A member as a candidate for a form or a filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberHit {
    pub id: i64,
    pub code: String,
    pub name: String,
}

impl MemberHit {
    /// `001 张三`, as a form field shows a picked member.
    pub fn label(&self) -> String {
        format!("{} {}", self.code, self.name)
    }
}

/// Active members matching a typed code, name, full pinyin or initials, in
/// pinyin order, an exact code first. SQLite narrows with a loose LIKE on the
/// sort index (stopping early), the pinyin matcher decides.
pub fn member_candidates(conn: &Connection, query: &str, limit: usize) -> Result<Vec<MemberHit>> {
    let q = query.trim();
    if q.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let mut out: Vec<MemberHit> = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT id, code, name FROM members WHERE code = ?1 AND status = 'active'",
    )?;
    for r in stmt.query_map([q], |r| {
        Ok(MemberHit {
            id: r.get(0)?,
            code: r.get(1)?,
            name: r.get(2)?,
        })
    })? {
        out.push(r?);
    }
    // Every character in order, anything between: a superset of what matches.
    let mut loose = String::from("%");
    for c in q.to_lowercase().chars().filter(|c| !c.is_whitespace()) {
        if matches!(c, '%' | '_' | '\\') {
            loose.push('\\');
        }
        loose.push(c);
        loose.push('%');
    }
    let mut stmt = conn.prepare_cached(
        "SELECT id, code, name, readings FROM members
         WHERE status = 'active'
           AND (code LIKE ?1 ESCAPE '\\' OR name LIKE ?1 ESCAPE '\\' OR readings LIKE ?1 ESCAPE '\\')
         ORDER BY sort_key, code LIMIT ?2",
    )?;
    let mut rows = stmt.query(params![loose, (limit * 40).max(200) as i64])?;
    let ql = q.to_lowercase();
    while let Some(r) = rows.next()? {
        if out.len() >= limit {
            break;
        }
        let hit = MemberHit {
            id: r.get(0)?,
            code: r.get(1)?,
            name: r.get(2)?,
        };
        let readings: String = r.get(3)?;
        let ok = hit.code.to_lowercase().starts_with(&ql)
            || hit.name.contains(q)
            || pinyin::matches(q, &hit.name, &readings);
        if ok && !out.iter().any(|h| h.id == hit.id) {
            out.push(hit);
        }
    }
    Ok(out)
}

/// One member by id, as a candidate.
pub fn member_hit(conn: &Connection, id: i64) -> Result<Option<MemberHit>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .prepare_cached("SELECT id, code, name FROM members WHERE id = ?1")?
        .query_row([id], |r| {
            Ok(MemberHit {
                id: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
            })
        })
        .optional()?)
}

/// A campaign's standing on D: how many members it targets, how many of them
/// were visited in person inside the window (up to D), and who was not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignStanding {
    pub targeted: u64,
    pub visited: u64,
    /// Not yet visited, in pinyin order.
    pub not_visited: UnvisitedList,
}

/// A member a campaign targets who was not visited yet, with the phone the
/// clerk calls to arrange the visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unvisited {
    pub member: MemberHit,
    pub phone: String,
}

/// One row of an [`UnvisitedList`], borrowed from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnvisitedRef<'a> {
    pub id: i64,
    pub code: &'a str,
    pub name: &'a str,
    pub phone: &'a str,
}

/// The members a campaign has not visited yet, kept compact: a city's
/// campaign for all its members lists a million of them, and three strings
/// and an id a member (176 bytes) had kept 185 MB while the list was open.
/// Here a member takes its id, one offset and its texts (about 46 bytes);
/// the texts lie end to end, each field ended by a NUL, which no stored text
/// holds (control characters are refused on every way in).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnvisitedList {
    ids: Vec<i64>,
    /// Where each member's texts end in `text`.
    ends: Vec<usize>,
    text: String,
}

impl UnvisitedList {
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    fn push(&mut self, id: i64, code: &str, name: &str, phone: &str) {
        for t in [code, name, phone] {
            // (a NUL would end the field early: drop it rather than mislead)
            self.text.extend(t.chars().filter(|&c| c != '\0'));
            self.text.push('\0');
        }
        self.ids.push(id);
        self.ends.push(self.text.len());
    }

    /// The `i`-th member, borrowed.
    pub fn at(&self, i: usize) -> Option<UnvisitedRef<'_>> {
        let id = *self.ids.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        let mut f = self.text[start..self.ends[i]].split('\0');
        let (code, name, phone) = (f.next()?, f.next()?, f.next()?);
        Some(UnvisitedRef {
            id,
            code,
            name,
            phone,
        })
    }

    /// The `i`-th member, owned (for the visit form it opens).
    pub fn get(&self, i: usize) -> Option<Unvisited> {
        self.at(i).map(|u| Unvisited {
            member: MemberHit {
                id: u.id,
                code: u.code.to_string(),
                name: u.name.to_string(),
            },
            phone: u.phone.to_string(),
        })
    }

    pub fn iter(&self) -> impl Iterator<Item = UnvisitedRef<'_>> {
        (0..self.len()).filter_map(|i| self.at(i))
    }
}

/// Who campaign `c` targets (by [`MemberFacts::targeted_by`], the rule the
/// engine applies) and which of them were not visited in person in the window.
pub fn campaign_standing(
    conn: &Connection,
    c: &Campaign,
    as_of: NaiveDate,
    settings: &Settings,
) -> Result<CampaignStanding> {
    let mut approved: HashMap<i64, Vec<LiveCase>> = HashMap::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT member_id, approved_on FROM hardship_cases WHERE state IN ('approved','active')",
        )?;
        let mut q = stmt.query([])?;
        while let Some(r) = q.next()? {
            approved.entry(r.get(0)?).or_default().push(LiveCase {
                approved_on: parse_date(r.get(1)?),
                last_review: None,
            });
        }
    }
    let mut visited_ids: HashSet<i64> = HashSet::new();
    if rules::campaign_started(c, as_of) {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT member_id FROM visits WHERE date >= ?1 AND date <= ?2 AND kind IN {}
             AND voided_on IS NULL",
            super::in_person_sql()
        ))?;
        let end = rules::campaign_window_end(c, as_of);
        let mut q = stmt.query([date_text(c.from), date_text(end)])?;
        while let Some(r) = q.next()? {
            visited_ids.insert(r.get(0)?);
        }
    }
    let mut out = CampaignStanding {
        targeted: 0,
        visited: 0,
        not_visited: UnvisitedList::default(),
    };
    let mut stmt = conn.prepare_cached(
        "SELECT id, code, name, joined_on, registered_on, birth_date, honorary, honorary_since,
                chronic_ill, low_income, living_alone, disabled, phone
         FROM members WHERE status = 'active' ORDER BY sort_key, code",
    )?;
    let mut q = stmt.query([])?;
    while let Some(r) = q.next()? {
        let id: i64 = r.get(0)?;
        let cases = approved.get(&id).map_or(&[][..], Vec::as_slice);
        let facts = MemberFacts {
            id,
            active: true,
            joined_on: parse_date(r.get(3)?).unwrap_or_default(),
            registered_on: parse_date(r.get(4)?),
            birth_date: parse_date(r.get(5)?),
            honorary: r.get::<_, i64>(6)? != 0,
            honorary_since: parse_date(r.get(7)?),
            chronic_ill: r.get::<_, i64>(8)? != 0,
            low_income: r.get::<_, i64>(9)? != 0,
            living_alone: r.get::<_, i64>(10)? != 0,
            disabled: r.get::<_, i64>(11)? != 0,
            cases,
            ..MemberFacts::default()
        };
        if !facts.targeted_by(c, settings) {
            continue;
        }
        out.targeted += 1;
        if visited_ids.contains(&id) {
            out.visited += 1;
        } else {
            let code = r.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
            let name = r.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?;
            let phone = r
                .get_ref(12)?
                .as_str_or_null()
                .map_err(rusqlite::Error::from)?;
            out.not_visited
                .push(id, code, name, phone.unwrap_or_default());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compact_unvisited_list_gives_back_what_went_in() {
        let mut l = UnvisitedList::default();
        assert!(l.is_empty() && l.at(0).is_none());
        l.push(7, "001", "欧阳·娜仁花", "13912345678");
        l.push(9, "A-2", "张三", "");
        l.push(11, "x\0y", "", "010-1234567");
        assert_eq!(l.len(), 3);
        let rows: Vec<(i64, &str, &str, &str)> =
            l.iter().map(|u| (u.id, u.code, u.name, u.phone)).collect();
        assert_eq!(
            rows,
            [
                (7, "001", "欧阳·娜仁花", "13912345678"),
                (9, "A-2", "张三", ""),
                (11, "xy", "", "010-1234567"),
            ]
        );
        let u = l.get(1).unwrap();
        assert_eq!((u.member.id, u.member.code.as_str()), (9, "A-2"));
        assert_eq!((u.member.name.as_str(), u.phone.as_str()), ("张三", ""));
        assert!(l.get(3).is_none());
    }
}
