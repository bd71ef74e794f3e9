//! The fund list a page at a time (tab 5): the entries the filter keeps by
//! date then id, a reversal right after the entry it reverses when both are
//! kept — the rows and order of [`super::list`] — read by key through
//! `fund_entries_date`, `fund_entries_direction` for a direction,
//! `fund_entries_category` for a category (a category alone: one stream per
//! direction, merged) or `fund_entries_member` for one member; the count
//! and the totals of what is listed from one aggregate per direction.
//!
//! A row's key is its entry's date and id; a reversal listed beside the
//! entry it reverses takes that entry's date and id, marked as the row after
//! it. The other rows ("bases") are read by key, each followed by its
//! reversal when that one is listed beside it.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params_from_iter};

use super::{ENTRY_COLS, ListFilter, ListRow, list_row};
use crate::db::pages::Pager;
use crate::db::{Result, date_text};
use crate::domain::vocab::{Coded, Direction};

/// A row's place: the date and id of its entry, or of the entry a reversal
/// is listed beside (then `true`).
pub type Key = (String, i64, bool);

/// The list under a filter.
#[derive(Debug, Clone, Default)]
pub struct FundPages {
    pub filter: ListFilter,
}

/// What the totals line sums up: the rows listed, their income and payments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ListTotals {
    pub count: usize,
    pub income_fen: i64,
    pub payments_fen: i64,
}

/// Where a read starts.
#[derive(Debug, Clone, Copy)]
enum Bound<'a> {
    Start,
    /// After (date, id); `true`: from it.
    After(&'a str, i64, bool),
    /// Before (date, id); `true`: up to it.
    Before(&'a str, i64, bool),
}

impl FundPages {
    /// The streams a page merges: the direction filtered, or none (the
    /// date index); a category alone, one per direction (its index is by
    /// direction, then category, then date).
    fn streams(&self) -> Vec<Option<Direction>> {
        match (self.filter.direction, &self.filter.category) {
            (None, Some(_)) => vec![Some(Direction::In), Some(Direction::Out)],
            (d, _) => vec![d],
        }
    }

    /// `AND f.direction = ?n` for a stream of one direction.
    fn dir_cond(d: Option<Direction>, p: &mut Vec<Value>) -> String {
        match d {
            Some(d) => {
                p.push(Value::Text(d.code().into()));
                format!(" AND f.direction = ?{}", p.len())
            }
            None => String::new(),
        }
    }

    /// The filter but its direction on the entries `a`, its values pushed to `p`.
    fn conds(&self, a: &str, p: &mut Vec<Value>) -> String {
        let f = &self.filter;
        let mut c = String::new();
        let mut push = |c: &mut String, sql: &str, v: Value| {
            p.push(v);
            c.push_str(&format!(" AND {a}.{sql} ?{}", p.len()));
        };
        if let Some(d) = f.from {
            push(&mut c, "date >=", Value::Text(date_text(d)));
        }
        if let Some(d) = f.to {
            push(&mut c, "date <=", Value::Text(date_text(d)));
        }
        if let Some(cat) = &f.category {
            push(&mut c, "category =", Value::Text(cat.clone()));
        }
        if let Some(m) = f.member_id {
            push(&mut c, "member_id =", Value::Integer(m));
        }
        c
    }

    /// The whole filter on the entries `a`.
    fn kept(&self, a: &str, p: &mut Vec<Value>) -> String {
        let mut c = String::new();
        if let Some(d) = self.filter.direction {
            p.push(Value::Text(d.code().into()));
            c.push_str(&format!(" AND {a}.direction = ?{}", p.len()));
        }
        c + &self.conds(a, p)
    }

    /// A reversal of `f` listed beside the entry it reverses.
    fn beside(&self, p: &mut Vec<Value>) -> String {
        format!(
            "(f.reverses_id IS NOT NULL AND EXISTS (SELECT 1 FROM fund_entries o
               WHERE o.id = f.reverses_id{}
                 AND (o.date < f.date OR (o.date = f.date AND o.id < f.id))))",
            self.kept("o", p)
        )
    }

    fn select() -> String {
        format!(
            "SELECT {}, m.code, m.name,
                (SELECT r.voucher_no FROM fund_entries r WHERE r.reverses_id = f.id),
                (SELECT o.voucher_no FROM fund_entries o WHERE o.id = f.reverses_id)
             FROM fund_entries f LEFT JOIN members m ON m.id = f.member_id",
            ENTRY_COLS
                .split(',')
                .map(|c| format!("f.{}", c.trim()))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }

    fn rows(conn: &Connection, sql: &str, p: &[Value]) -> Result<Vec<ListRow>> {
        let mut stmt = conn.prepare_cached(sql)?;
        let v = stmt.query_map(params_from_iter(p), list_row)?;
        Ok(v.collect::<rusqlite::Result<_>>()?)
    }

    /// Up to `n` bases of one direction from `bound` on (backwards for Before).
    fn bases(
        &self,
        conn: &Connection,
        dir: Option<Direction>,
        bound: Bound<'_>,
        n: usize,
    ) -> Result<Vec<ListRow>> {
        let mut p = Vec::new();
        let mut sql = format!("{} WHERE 1", Self::select());
        sql += &Self::dir_cond(dir, &mut p);
        sql += &self.conds("f", &mut p);
        sql += &format!(" AND NOT {}", self.beside(&mut p));
        let order = match bound {
            Bound::Start => "",
            Bound::After(d, id, incl) | Bound::Before(d, id, incl) => {
                let after = matches!(bound, Bound::After(..));
                p.push(Value::Text(d.to_string()));
                p.push(Value::Integer(id));
                let (dn, idn) = (p.len() - 1, p.len());
                let (cmp, strict) = if after { (">", ">") } else { ("<", "<") };
                let eq = if incl { "=" } else { "" };
                sql += &format!(
                    " AND f.date {cmp}= ?{dn} AND (f.date {strict} ?{dn} OR f.id {cmp}{eq} ?{idn})"
                );
                if after { "" } else { " DESC" }
            }
        };
        p.push(Value::Integer(n as i64));
        sql += &format!(" ORDER BY f.date{order}, f.id{order} LIMIT ?{}", p.len());
        Self::rows(conn, &sql, &p)
    }

    /// The reversal of entry (`date`, `id`) when it is listed beside it.
    fn reversal_of(&self, conn: &Connection, date: &str, id: i64) -> Result<Option<ListRow>> {
        let mut p = vec![Value::Integer(id), Value::Text(date.to_string())];
        let mut sql = format!(
            "{} WHERE f.id = (SELECT r.id FROM fund_entries r WHERE r.reverses_id = ?1)
               AND (f.date > ?2 OR (f.date = ?2 AND f.id > ?1))",
            Self::select()
        );
        sql += &self.kept("f", &mut p);
        // the entry reversed must be listed too
        p.push(Value::Integer(id));
        sql += &format!(
            " AND EXISTS (SELECT 1 FROM fund_entries o WHERE o.id = ?{}{})",
            p.len(),
            self.kept("o", &mut p)
        );
        let mut rows = Self::rows(conn, &sql, &p)?;
        let mut r = rows.pop();
        if let Some(r) = &mut r {
            r.beside = crate::db::parse_date(Some(date.to_string())).map(|d| (d, id));
        }
        Ok(r)
    }

    /// The bases of every direction from `bound` on, merged in list order
    /// (backwards for Before), `n` at most.
    fn merged(&self, conn: &Connection, bound: Bound<'_>, n: usize) -> Result<Vec<ListRow>> {
        let back = matches!(bound, Bound::Before(..));
        let mut all: Vec<ListRow> = Vec::new();
        for dir in self.streams() {
            all.extend(self.bases(conn, dir, bound, n)?);
        }
        all.sort_by(|a, b| {
            let o = (a.entry.date, a.entry.id).cmp(&(b.entry.date, b.entry.id));
            if back { o.reverse() } else { o }
        });
        all.truncate(n);
        Ok(all)
    }

    /// Bases with their reversals beside them, forwards, `n` rows at most.
    fn expand_forward(
        &self,
        conn: &Connection,
        mut out: Vec<ListRow>,
        bases: Vec<ListRow>,
        n: usize,
    ) -> Result<Vec<ListRow>> {
        for b in bases {
            if out.len() >= n {
                break;
            }
            let rev = match &b.reversed_by {
                Some(_) => self.reversal_of(conn, &date_text(b.entry.date), b.entry.id)?,
                None => None,
            };
            out.push(b);
            out.extend(rev);
        }
        out.truncate(n);
        Ok(out)
    }

    /// Counts and sums the rows kept (not only the bases) also under
    /// `extra` (a condition on `f` with the first values of `p`).
    fn count_where(
        &self,
        conn: &Connection,
        extra: &str,
        p: Vec<Value>,
        sum: bool,
    ) -> Result<(i64, i64)> {
        let mut total = (0, 0);
        // the count alone reads the index alone
        let what = if sum {
            "count(*), coalesce(sum(f.amount_fen), 0)"
        } else {
            "count(*), 0"
        };
        for dir in self.streams() {
            let mut q = p.clone();
            let mut sql = format!("SELECT {what} FROM fund_entries f WHERE 1");
            sql += &Self::dir_cond(dir, &mut q);
            sql += &self.conds("f", &mut q);
            sql += extra;
            let (n, s): (i64, i64) = conn
                .prepare_cached(&sql)?
                .query_row(params_from_iter(&q), |r| Ok((r.get(0)?, r.get(1)?)))?;
            total.0 += n;
            total.1 += s;
        }
        Ok(total)
    }

    /// Entry `id`'s row when the filter lists it.
    pub fn row_of(&self, conn: &Connection, id: i64) -> Result<Option<ListRow>> {
        let mut p = vec![Value::Integer(id)];
        let mut sql = format!("{} WHERE f.id = ?1", Self::select());
        sql += &self.kept("f", &mut p);
        let Some(mut row) = Self::rows(conn, &sql, &p)?.pop() else {
            return Ok(None);
        };
        if let Some(o) = row.entry.reverses_id {
            let mut p = vec![Value::Integer(o)];
            let mut sql = "SELECT o.date FROM fund_entries o WHERE o.id = ?1".to_string();
            sql += &self.kept("o", &mut p);
            let date: Option<String> = conn
                .prepare_cached(&sql)?
                .query_row(params_from_iter(&p), |r| r.get(0))
                .optional()?;
            if let Some(d) = date.and_then(|d| crate::db::parse_date(Some(d)))
                && (d, o) < (row.entry.date, row.entry.id)
            {
                row.beside = Some((d, o));
            }
        }
        Ok(Some(row))
    }

    /// The count and totals of every row listed (a pass over the index for
    /// a long list: the screen reads it on a worker).
    pub fn totals(&self, conn: &Connection) -> Result<ListTotals> {
        let mut t = ListTotals::default();
        for dir in [Direction::In, Direction::Out] {
            if self.filter.direction.is_some_and(|d| d != dir) {
                continue;
            }
            let one = FundPages {
                filter: ListFilter {
                    direction: Some(dir),
                    ..self.filter.clone()
                },
            };
            let (n, s) = one.count_where(conn, "", Vec::new(), true)?;
            t.count += n as usize;
            match dir {
                Direction::In => t.income_fen += s,
                Direction::Out => t.payments_fen += s,
            }
        }
        Ok(t)
    }
}

impl Pager for FundPages {
    type Key = Key;
    type Row = ListRow;

    fn key(&self, r: &ListRow) -> Key {
        match r.beside {
            Some((d, id)) => (date_text(d), id, true),
            None => (date_text(r.entry.date), r.entry.id, false),
        }
    }

    fn len(&self, conn: &Connection) -> Result<usize> {
        let mut n = 0;
        for dir in self.streams() {
            let mut p = Vec::new();
            let mut sql = "SELECT count(*) FROM fund_entries f WHERE 1".to_string();
            sql += &Self::dir_cond(dir, &mut p);
            sql += &self.conds("f", &mut p);
            let c: i64 = conn
                .prepare_cached(&sql)?
                .query_row(params_from_iter(&p), |r| r.get(0))?;
            n += c as usize;
        }
        Ok(n)
    }

    fn after(
        &self,
        conn: &Connection,
        after: Option<&Key>,
        inclusive: bool,
        n: usize,
    ) -> Result<Vec<ListRow>> {
        let Some((d, id, is_rev)) = after else {
            let bases = self.merged(conn, Bound::Start, n)?;
            return self.expand_forward(conn, Vec::new(), bases, n);
        };
        let mut out = Vec::new();
        let bound = match (is_rev, inclusive) {
            // from the base on (and its reversal after it)
            (false, true) => Bound::After(d, *id, true),
            // the base's reversal, then on
            (false, false) | (true, true) => {
                out.extend(self.reversal_of(conn, d, *id)?);
                Bound::After(d, *id, false)
            }
            (true, false) => Bound::After(d, *id, false),
        };
        let bases = self.merged(conn, bound, n)?;
        self.expand_forward(conn, out, bases, n)
    }

    fn before(&self, conn: &Connection, before: Option<&Key>, n: usize) -> Result<Vec<ListRow>> {
        let skip = match before {
            Some((_, id, true)) => Some(*id),
            _ => None,
        };
        let bound = match before {
            None => Bound::Start,
            // the base the reversal is listed beside comes before it
            Some((d, id, true)) => Bound::Before(d, *id, true),
            Some((d, id, false)) => Bound::Before(d, *id, false),
        };
        let bases = match bound {
            Bound::Start => {
                let mut all: Vec<ListRow> = Vec::new();
                for dir in self.streams() {
                    let mut p = Vec::new();
                    let mut sql = format!("{} WHERE 1", Self::select());
                    sql += &Self::dir_cond(dir, &mut p);
                    sql += &self.conds("f", &mut p);
                    sql += &format!(" AND NOT {}", self.beside(&mut p));
                    p.push(Value::Integer(n as i64));
                    sql += &format!(" ORDER BY f.date DESC, f.id DESC LIMIT ?{}", p.len());
                    all.extend(Self::rows(conn, &sql, &p)?);
                }
                all.sort_by_key(|r| std::cmp::Reverse((r.entry.date, r.entry.id)));
                all.truncate(n);
                all
            }
            b => self.merged(conn, b, n)?,
        };
        // backwards: a base's reversal comes before it
        let mut back: Vec<ListRow> = Vec::new();
        for b in bases {
            if back.len() >= n {
                break;
            }
            // (not the row the read is before)
            if b.reversed_by.is_some() && skip != Some(b.entry.id) {
                back.extend(self.reversal_of(conn, &date_text(b.entry.date), b.entry.id)?);
            }
            back.push(b);
        }
        back.truncate(n);
        back.reverse();
        Ok(back)
    }

    /// The rows before (date, id): every kept entry before it, and the
    /// reversals on or after it listed beside an entry before it; a
    /// reversal's row is one after its entry's.
    fn rank(&self, conn: &Connection, key: &Key) -> Result<usize> {
        let (d, id, is_rev) = key;
        let before = " AND f.date <= ?1 AND (f.date < ?1 OR f.id < ?2)";
        let p = vec![Value::Text(d.clone()), Value::Integer(*id)];
        let (kept_before, _) = self.count_where(conn, before, p, false)?;
        let mut p = vec![Value::Text(d.clone()), Value::Integer(*id)];
        let mut sql =
            // through the few reversals (`+` keeps the planner off the date index)
            "SELECT count(*) FROM fund_entries f JOIN fund_entries o ON o.id = f.reverses_id
             WHERE f.reverses_id > 0
               AND (+o.date < +f.date OR (+o.date = +f.date AND o.id < f.id))
               AND (+f.date > ?1 OR (+f.date = ?1 AND f.id >= ?2))
               AND (+o.date < ?1 OR (+o.date = ?1 AND o.id < ?2))"
            .to_string();
        sql += &self.kept("f", &mut p);
        sql += &self.kept("o", &mut p);
        let moved_up: i64 = conn
            .prepare_cached(&sql)?
            .query_row(params_from_iter(&p), |r| r.get(0))?;
        Ok((kept_before + moved_up) as usize + usize::from(*is_rev))
    }
}
