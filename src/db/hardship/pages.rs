//! The ledger's list a page at a time (tab 3): the cases the filter keeps
//! by priority (特困, 重点, 一般), member in pinyin order, year (newest first)
//! and id — the rows and order of [`super::list`] — read by key one
//! priority at a time, and the counts per state from one aggregate over the
//! cases.
//!
//! A page of one priority is read one of two ways, whichever steps over
//! fewer rows: through `members_sort` from the key on, each member's cases
//! looked up by `(member_id, year)` (a priority with many cases: a page is
//! a few hundred members away), or over that priority's cases kept by the
//! filter, sorted (a priority or a filter with few). A search narrows by
//! member: the members with a case that match it are found in one pass and
//! kept in a temporary table of this connection.

use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

use super::{CaseFilter, CaseRow, ROW_COLS, case_row};
use crate::db::Result;
use crate::db::pages::Pager;
use crate::domain::pinyin;
use crate::domain::vocab::{CaseState, Coded, Priority};

/// The list's priorities, in its order.
const PRIORITIES: [Priority; 3] = [Priority::Urgent, Priority::Key, Priority::Normal];

/// A row's place: its priority's rank, the member's sort key and code, the
/// year and the case id.
pub type Key = (usize, Vec<u8>, String, i32, i64);

fn rank_of(p: Priority) -> usize {
    PRIORITIES.iter().position(|&x| x == p).unwrap_or(2)
}

/// The list under a filter, with its counts as read by [`HardshipPages::new`].
#[derive(Debug, Clone, Default)]
pub struct HardshipPages {
    pub filter: CaseFilter,
    /// Whether a search narrows the list (to the members in `temp.hardship_hits`).
    searching: bool,
    /// Rows per priority, in [`PRIORITIES`] order.
    per_priority: [usize; 3],
    /// Cases per state under the filter but its state, in workflow order.
    states: Vec<(CaseState, usize)>,
    members: usize,
    /// Reads every page one way (tests: both ways give the same rows).
    force: Option<bool>,
}

/// Where a read starts within one priority.
#[derive(Debug, Clone, Copy)]
enum Bound<'a> {
    Start,
    /// After the key's row (`true`: from it).
    After(&'a Key, bool),
    /// Before the key's row.
    Before(&'a Key),
    /// Backwards from the last row.
    End,
}

impl HardshipPages {
    /// Counts the list under `filter` (its query matched by code, name,
    /// pinyin or initials, as [`super::list`] does).
    pub fn new(conn: &Connection, filter: &CaseFilter) -> Result<HardshipPages> {
        Self::searching_in(conn, filter, &mut CaseMembers::default())
    }

    /// [`Self::new`], its search matched against `members` (read when they
    /// are not current, kept for the next keystroke).
    pub fn searching_in(
        conn: &Connection,
        filter: &CaseFilter,
        members: &mut CaseMembers,
    ) -> Result<HardshipPages> {
        let q = filter.query.trim().to_string();
        let searching = !q.is_empty();
        if searching {
            search(conn, &q, members)?;
        }
        let mut pages = HardshipPages {
            filter: filter.clone(),
            searching,
            per_priority: [0; 3],
            states: Vec::new(),
            members: 0,
            force: None,
        };
        pages.count(conn)?;
        Ok(pages)
    }

    /// Cases per state under the filter but its state (every state, in
    /// workflow order), as [`super::state_counts`] has them.
    pub fn state_counts(&self) -> &[(CaseState, usize)] {
        &self.states
    }

    /// Reads every page through `members_sort` (true) or by sorting the
    /// priority's cases (false), whatever the counts (tests).
    pub fn read_through_members(&mut self, through: bool) {
        self.force = Some(through);
    }

    /// Whether the list has case `r` (as read by [`super::case`]).
    pub fn lists(&self, conn: &Connection, r: &CaseRow) -> Result<bool> {
        let f = &self.filter;
        let kept = f.year.is_none_or(|y| y == r.year)
            && f.state.is_none_or(|s| s == r.state)
            && f.priority.is_none_or(|p| p == r.priority)
            && f.category.is_none_or(|c| r.categories.contains(&c));
        if !kept || !self.searching {
            return Ok(kept);
        }
        Ok(conn
            .prepare_cached("SELECT 1 FROM temp.hardship_hits WHERE member_id = ?1")?
            .exists([r.member_id])?)
    }

    /// The filter on priority `pr`'s cases `c`: its parameters and the
    /// conditions naming them.
    fn priority_conds(&self, pr: usize) -> (Vec<Value>, String) {
        let mut p: Vec<Value> = vec![Value::Text(PRIORITIES[pr].code().into())];
        let mut wh = " AND c.priority = ?1".to_string();
        if let Some(s) = self.filter.state {
            p.push(Value::Text(s.code().into()));
            wh += &format!(" AND c.state = ?{}", p.len());
        }
        wh += &self.conds(&mut p);
        (p, wh)
    }

    /// The filter but its state and priority, on the cases `c`.
    fn conds(&self, p: &mut Vec<Value>) -> String {
        let f = &self.filter;
        let mut c = String::new();
        if let Some(y) = f.year {
            p.push(Value::Integer(y.into()));
            c += &format!(" AND c.year = ?{}", p.len());
        }
        if let Some(cat) = f.category {
            p.push(Value::Text(cat.code().into()));
            c += &format!(
                " AND EXISTS (SELECT 1 FROM hardship_case_categories k
                              WHERE k.case_id = c.id AND k.category = ?{})",
                p.len()
            );
        }
        if self.searching {
            c += " AND c.member_id IN (SELECT member_id FROM temp.hardship_hits)";
        }
        c
    }

    fn count(&mut self, conn: &Connection) -> Result<()> {
        let mut p = Vec::new();
        let sql = format!(
            "SELECT c.priority, c.state, count(*) FROM hardship_cases c WHERE 1{}
             GROUP BY 1, 2",
            self.conds(&mut p)
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut q = stmt.query(params_from_iter(&p))?;
        let mut states = vec![0usize; CaseState::ALL.len()];
        let mut per = [0usize; 3];
        while let Some(r) = q.next()? {
            let priority = Priority::from_code(&r.get::<_, String>(0)?).unwrap_or(Priority::Normal);
            let state = CaseState::from_code(&r.get::<_, String>(1)?).unwrap_or(CaseState::Applied);
            let n = r.get::<_, i64>(2)? as usize;
            if self.filter.priority.is_some_and(|x| x != priority) {
                continue;
            }
            if let Some(i) = CaseState::ALL.iter().position(|&s| s == state) {
                states[i] += n;
            }
            if self.filter.state.is_none_or(|s| s == state) {
                per[rank_of(priority)] += n;
            }
        }
        self.states = CaseState::ALL.iter().copied().zip(states).collect();
        self.per_priority = per;
        self.members = conn
            .prepare_cached("SELECT max(rowid) FROM members")?
            .query_row([], |r| r.get::<_, Option<i64>>(0))?
            .unwrap_or(0) as usize;
        Ok(())
    }

    /// Whether a page of priority `pr` is read through `members_sort`.
    fn through_members(&self, pr: usize, n: usize) -> bool {
        if let Some(f) = self.force {
            return f;
        }
        let cases = self.per_priority[pr];
        // stepping over members/cases members per row, n rows, against a
        // sort of every case of the priority
        cases > 0 && n.saturating_mul(self.members) / cases < cases
    }

    /// Up to `n` rows of priority `pr` from `bound`, in list order.
    fn read(
        &self,
        conn: &Connection,
        pr: usize,
        bound: Bound<'_>,
        n: usize,
    ) -> Result<Vec<CaseRow>> {
        if n == 0 || self.per_priority[pr] == 0 {
            return Ok(Vec::new());
        }
        let (mut p, mut wh) = self.priority_conds(pr);
        let back = matches!(bound, Bound::Before(_) | Bound::End);
        match bound {
            Bound::Start | Bound::End => {}
            Bound::After(k, _) | Bound::Before(k) => {
                p.push(Value::Blob(k.1.clone()));
                p.push(Value::Text(k.2.clone()));
                p.push(Value::Integer(k.3.into()));
                p.push(Value::Integer(k.4));
                let (s, c, y, i) = (p.len() - 3, p.len() - 2, p.len() - 1, p.len());
                let (cmp, near) = match bound {
                    // after: a later member, or the same one with an older
                    // year or the same year and a larger id
                    Bound::After(_, incl) => {
                        let eq = if incl { "=" } else { "" };
                        (
                            ">",
                            format!("c.year < ?{y} OR (c.year = ?{y} AND c.id >{eq} ?{i})"),
                        )
                    }
                    _ => (
                        "<",
                        format!("c.year > ?{y} OR (c.year = ?{y} AND c.id < ?{i})"),
                    ),
                };
                wh += &format!(
                    " AND (m.sort_key, m.code) {cmp}= (?{s}, ?{c})
                      AND ((m.sort_key, m.code) {cmp} (?{s}, ?{c}) OR {near})"
                );
            }
        }
        let order = if back {
            "m.sort_key DESC, m.code DESC, c.year, c.id DESC"
        } else {
            "m.sort_key, m.code, c.year DESC, c.id"
        };
        // CROSS JOIN fixes the order of the loops
        let from = if self.through_members(pr, n) {
            "members m CROSS JOIN hardship_cases c ON c.member_id = m.id"
        } else {
            "hardship_cases c CROSS JOIN members m ON m.id = c.member_id"
        };
        p.push(Value::Integer(n as i64));
        let sql = format!(
            "SELECT {ROW_COLS} FROM {from} WHERE 1{wh} ORDER BY {order} LIMIT ?{}",
            p.len()
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let v = stmt.query_map(params_from_iter(&p), case_row)?;
        let mut rows: Vec<CaseRow> = v.collect::<rusqlite::Result<_>>()?;
        if back {
            rows.reverse();
        }
        Ok(rows)
    }
}

impl Pager for HardshipPages {
    type Key = Key;
    type Row = CaseRow;

    fn key(&self, r: &CaseRow) -> Key {
        (
            rank_of(r.priority),
            r.sort_key.clone(),
            r.code.clone(),
            r.year,
            r.id,
        )
    }

    fn len(&self, _conn: &Connection) -> Result<usize> {
        Ok(self.per_priority.iter().sum())
    }

    fn after(
        &self,
        conn: &Connection,
        after: Option<&Key>,
        inclusive: bool,
        n: usize,
    ) -> Result<Vec<CaseRow>> {
        let mut out = Vec::new();
        let first = after.map_or(0, |k| k.0.min(2));
        for pr in first..3 {
            let bound = match after {
                Some(k) if pr == k.0 => Bound::After(k, inclusive),
                _ => Bound::Start,
            };
            out.extend(self.read(conn, pr, bound, n - out.len())?);
            if out.len() >= n {
                break;
            }
        }
        Ok(out)
    }

    fn before(&self, conn: &Connection, before: Option<&Key>, n: usize) -> Result<Vec<CaseRow>> {
        let mut out: Vec<CaseRow> = Vec::new();
        let last = before.map_or(2, |k| k.0.min(2));
        for pr in (0..=last).rev() {
            let bound = match before {
                Some(k) if pr == k.0 => Bound::Before(k),
                // the last rows of an earlier priority
                _ => Bound::End,
            };
            let mut rows = self.read(conn, pr, bound, n - out.len())?;
            rows.append(&mut out);
            out = rows;
            if out.len() >= n {
                break;
            }
        }
        Ok(out)
    }

    fn rank(&self, conn: &Connection, key: &Key) -> Result<usize> {
        let pr = key.0.min(2);
        let before: usize = self.per_priority[..pr].iter().sum();
        if self.per_priority[pr] == 0 {
            return Ok(before);
        }
        let (mut p, wh) = self.priority_conds(pr);
        p.push(Value::Blob(key.1.clone()));
        p.push(Value::Text(key.2.clone()));
        p.push(Value::Integer(key.3.into()));
        p.push(Value::Integer(key.4));
        let (s, c, y, i) = (p.len() - 3, p.len() - 2, p.len() - 1, p.len());
        let before_key = format!(
            "(m.sort_key, m.code) <= (?{s}, ?{c})
               AND ((m.sort_key, m.code) < (?{s}, ?{c})
                    OR c.year > ?{y} OR (c.year = ?{y} AND c.id < ?{i}))"
        );
        // A row near the top is counted through members_sort up to it, as
        // far as the priority's cases would cost; else over those cases.
        let cases = self.per_priority[pr];
        let cap = match self.force {
            Some(true) => i64::MAX as usize,
            Some(false) => 0,
            None => (cases.saturating_mul(cases) / self.members.max(1)).max(64),
        };
        let mut q = p.clone();
        q.push(Value::Integer(cap as i64));
        let near: i64 = if cap == 0 {
            0
        } else {
            conn.prepare_cached(&format!(
                "SELECT count(*) FROM (SELECT 1 FROM members m
                   CROSS JOIN hardship_cases c ON c.member_id = m.id
                 WHERE 1{wh} AND {before_key} LIMIT ?{})",
                q.len()
            ))?
            .query_row(params_from_iter(&q), |r| r.get(0))?
        };
        if (near as usize) < cap {
            return Ok(before + near as usize);
        }
        let sql = format!(
            "SELECT count(*) FROM hardship_cases c CROSS JOIN members m ON m.id = c.member_id
             WHERE 1{wh} AND {before_key}"
        );
        let n: i64 = conn
            .prepare_cached(&sql)?
            .query_row(params_from_iter(&p), |r| r.get(0))?;
        Ok(before + n as usize)
    }
}

/// The members with a case as a search matches them (code, name and
/// readings), read once and kept while no member or case is written: a
/// keystroke then reads no member row, where reading them all took most of a
/// keystroke on a large roster (the rows lie all over the members table).
#[derive(Default)]
pub struct CaseMembers {
    /// The newest audit row they are current up to (`db::roster::unchanged_since`).
    mark: Option<i64>,
    ids: Vec<i64>,
    /// Per member the end of its lowercased code and of its name in `text`.
    ends: Vec<(u32, u32)>,
    text: String,
    index: pinyin::SearchIndex,
}

impl std::fmt::Debug for CaseMembers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // a city's are over 100,000: their number, not their names
        f.debug_struct("CaseMembers")
            .field("mark", &self.mark)
            .field("members", &self.ids.len())
            .finish()
    }
}

/// The tables whose writes change [`CaseMembers`].
const CASE_MEMBER_TABLES: &[&str] = &["members", "hardship_cases"];

impl CaseMembers {
    /// Reads them again when a member or a case was written since they were read.
    pub fn refresh(&mut self, conn: &Connection) -> Result<()> {
        if let Some(mark) = self.mark
            && let Some(newest) =
                crate::db::roster::unchanged_since(conn, mark, CASE_MEMBER_TABLES)?
        {
            self.mark = Some(newest);
            return Ok(());
        }
        let (mark, fresh) = crate::db::roster::with_audit_mark(conn, Self::read)?;
        *self = fresh;
        self.mark = Some(mark);
        Ok(())
    }

    fn read(conn: &Connection) -> Result<CaseMembers> {
        let mut out = CaseMembers::default();
        let mut stmt = conn.prepare_cached(
            "SELECT m.id, m.code, m.name, m.readings FROM members m
             WHERE m.id IN (SELECT member_id FROM hardship_cases)",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let code = r.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
            let name = r.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?;
            let readings = r.get_ref(3)?.as_str().map_err(rusqlite::Error::from)?;
            out.ids.push(r.get(0)?);
            out.text.push_str(&code.to_lowercase());
            let code_end = out.text.len() as u32;
            out.text.push_str(name);
            out.ends.push((code_end, out.text.len() as u32));
            out.index.push(name, readings, "", &[]);
        }
        Ok(out)
    }

    /// The ids of the members that `q` matches (code prefix, name, full
    /// pinyin or initials), as [`pinyin::matches`] and a code's prefix do.
    fn matching<'a>(&'a self, q: &'a str) -> impl Iterator<Item = i64> + 'a {
        let ql = q.to_lowercase();
        let pq = pinyin::PreparedQuery::new(q);
        let mut start = 0usize;
        self.ends
            .iter()
            .enumerate()
            .filter_map(move |(i, &(code_end, name_end))| {
                let code = &self.text[start..code_end as usize];
                let name = &self.text[code_end as usize..name_end as usize];
                start = name_end as usize;
                let hit =
                    code.starts_with(&ql) || name.contains(q) || self.index.matches(i as u32, &pq);
                hit.then_some(self.ids[i])
            })
    }
}

/// Keeps in `temp.hardship_hits` the members with a case that `q` matches
/// (code prefix, name, full pinyin or initials), from `members`.
fn search(conn: &Connection, q: &str, members: &mut CaseMembers) -> Result<()> {
    members.refresh(conn)?;
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS hardship_hits (member_id INTEGER PRIMARY KEY);
         DELETE FROM temp.hardship_hits;",
    )?;
    let mut ins = conn.prepare_cached("INSERT INTO temp.hardship_hits (member_id) VALUES (?1)")?;
    for id in members.matching(q) {
        ins.execute([id])?;
    }
    Ok(())
}
