//! Roster queries the members screen needs beyond `members.rs`: the first page
//! of one status by keyset, counts, a member's place in pinyin order, and who
//! already holds a code or ID number (for errors shown while typing).

use rusqlite::{Connection, OptionalExtension, params};

use crate::db::Result;
use crate::db::members::{COLUMNS, from_row};
use crate::domain::member::Member;
use crate::domain::vocab::{Coded, MemberStatus};

/// The first `limit` members in pinyin order (then code) after member `after`,
/// only those with `status` when given. Walks the `members_sort` index, so the
/// first page of 100,000 members costs about as much as the first page of 100.
pub fn page_with_status(
    conn: &Connection,
    status: Option<MemberStatus>,
    after: Option<i64>,
    limit: usize,
) -> Result<Vec<Member>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM members
         WHERE (?1 IS NULL OR status = ?1)
           AND (?2 IS NULL OR (sort_key, code) > (SELECT sort_key, code FROM members WHERE id = ?2))
         ORDER BY sort_key, code LIMIT ?3"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(
        params![status.map(|s| s.code()), after, limit as i64],
        from_row,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How many members have `status` (all members when `None`).
pub fn count_with_status(conn: &Connection, status: Option<MemberStatus>) -> Result<usize> {
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM members WHERE ?1 IS NULL OR status = ?1")?
        .query_row([status.map(|s| s.code())], |r| r.get(0))?;
    Ok(n as usize)
}

/// Whether there are more than `n` members, without counting them all.
pub fn more_than(conn: &Connection, n: usize) -> Result<bool> {
    let c: i64 = conn
        .prepare_cached("SELECT count(*) FROM (SELECT 1 FROM members LIMIT ?1)")?
        .query_row([n as i64 + 1], |r| r.get(0))?;
    Ok(c as usize > n)
}

/// The 0-based place of member `id` among all members in pinyin order (then
/// code): where a saved member goes in a list built by `for_each_roster_entry`.
pub fn rank(conn: &Connection, id: i64) -> Result<usize> {
    let n: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM members
             WHERE (sort_key, code) < (SELECT sort_key, code FROM members WHERE id = ?1)",
        )?
        .query_row([id], |r| r.get(0))?;
    Ok(n as usize)
}

/// The name of another member (not `except_id`) who has this code.
pub fn code_owner(conn: &Connection, code: &str, except_id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT name FROM members WHERE code = ?1 AND id <> ?2")?
        .query_row(params![code, except_id], |r| r.get(0))
        .optional()?)
}

/// The name of another member (not `except_id`) who has this ID number.
pub fn id_number_owner(
    conn: &Connection,
    id_number: &str,
    except_id: i64,
) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT name FROM members WHERE id_number = ?1 AND id <> ?2")?
        .query_row(params![id_number, except_id], |r| r.get(0))
        .optional()?)
}

/// The id of the newest audit row, read with `f`'s reads in one snapshot
/// (a read transaction, or the one open): what a copy built by `f` from
/// the database is current up to ([`unchanged_since`]).
pub fn with_audit_mark<T>(
    conn: &Connection,
    f: impl FnOnce(&Connection) -> Result<T>,
) -> Result<(i64, T)> {
    let _read = if conn.is_autocommit() {
        Some(conn.unchecked_transaction()?)
    } else {
        None
    };
    let mark: i64 = conn.query_row("SELECT coalesce(max(id), 0) FROM audit_log", [], |r| {
        r.get(0)
    })?;
    let out = f(conn)?;
    Ok((mark, out))
}

/// When no row of `tables` was written after audit row `mark` (every write
/// logs its audit rows in its transaction), the newest audit row's id: a
/// copy current up to `mark` is current up to it. One look at the rows
/// after `mark`, a range of the log's rowids.
pub fn unchanged_since(conn: &Connection, mark: i64, tables: &[&str]) -> Result<Option<i64>> {
    let (newest, written): (i64, bool) = conn
        .prepare_cached(&written_since(tables))?
        .query_row([mark], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok((!written).then_some(newest))
}

/// The query of [`unchanged_since`]. NOT INDEXED: through the index on
/// (tbl, record_id) SQLite would read every audit row of the tables (0.9 s
/// for a roster of 1,000,000), not the rowids after ?1.
fn written_since(tables: &[&str]) -> String {
    let list: Vec<String> = tables
        .iter()
        .map(|t| format!("'{}'", t.replace('\'', "''")))
        .collect();
    format!(
        "SELECT (SELECT coalesce(max(id), 0) FROM audit_log),
             EXISTS (SELECT 1 FROM audit_log NOT INDEXED WHERE id > ?1 AND tbl IN ({}))",
        list.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::members::save;
    use chrono::NaiveDate;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_freshness_look_reads_only_the_audit_rows_after_the_mark() {
        let mut conn = crate::db::open_in_memory().unwrap();
        let plan: Vec<String> = conn
            .prepare(&format!(
                "EXPLAIN QUERY PLAN {}",
                written_since(&["members", "hardship_cases"])
            ))
            .unwrap()
            .query_map([1], |r| r.get(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(
            plan.iter()
                .any(|p| p.contains("INTEGER PRIMARY KEY (rowid>?)")),
            "{plan:?}"
        );
        assert!(
            !plan.iter().any(|p| p.contains("audit_log_record")),
            "{plan:?}"
        );
        let (mark, ()) = with_audit_mark(&conn, |_| Ok(())).unwrap();
        assert_eq!(
            unchanged_since(&conn, mark, &["members"]).unwrap(),
            Some(mark)
        );
        save(&mut conn, &Member::new("A1", "张三", d("2000-07-01"))).unwrap();
        assert_eq!(unchanged_since(&conn, mark, &["members"]).unwrap(), None);
        let (after, ()) = with_audit_mark(&conn, |_| Ok(())).unwrap();
        assert!(after > mark);
        assert_eq!(
            unchanged_since(&conn, after, &["members"]).unwrap(),
            Some(after)
        );
    }

    #[test]
    fn keyset_pages_by_status_rank_and_owners() {
        let mut conn = crate::db::open_in_memory().unwrap();
        let mut ids = Vec::new();
        for (code, name) in [
            ("3", "张三"),
            ("1", "李四"),
            ("2", "王五"),
            ("4", "阿依古丽·买买提"),
        ] {
            ids.push(
                save(&mut conn, &Member::new(code, name, d("2000-07-01")))
                    .unwrap()
                    .0,
            );
        }
        crate::db::members::set_status(&mut conn, ids[2], 1, MemberStatus::Deceased).unwrap();
        let names = |v: Vec<Member>| v.into_iter().map(|m| m.name).collect::<Vec<_>>();
        let all = page_with_status(&conn, None, None, 10).unwrap();
        assert_eq!(names(all), ["阿依古丽·买买提", "李四", "王五", "张三"]);
        let active = page_with_status(&conn, Some(MemberStatus::Active), None, 2).unwrap();
        let last = active[1].id;
        assert_eq!(names(active), ["阿依古丽·买买提", "李四"]);
        let next = page_with_status(&conn, Some(MemberStatus::Active), Some(last), 2).unwrap();
        assert_eq!(names(next), ["张三"]);
        assert_eq!(count_with_status(&conn, None).unwrap(), 4);
        assert_eq!(
            count_with_status(&conn, Some(MemberStatus::Active)).unwrap(),
            3
        );
        assert_eq!(rank(&conn, ids[0]).unwrap(), 3);
        assert!(more_than(&conn, 3).unwrap());
        assert!(!more_than(&conn, 4).unwrap());
        assert_eq!(code_owner(&conn, "1", 0).unwrap().as_deref(), Some("李四"));
        assert_eq!(code_owner(&conn, "1", ids[1]).unwrap(), None);
        assert_eq!(id_number_owner(&conn, "x", 0).unwrap(), None);
    }
}
