//! The queries that feed the passes and a member's detail: latest dates
//! on or before D, live hardship cases, unpaid instalments, campaign
//! visits; and reading stored values without allocating.

use super::*;

/// Items of many members, sorted by member id (small lists: cases, loans).
#[derive(Debug)]
pub(super) struct ByMember<T> {
    ids: Vec<i64>,
    items: Vec<T>,
}

impl<T> ByMember<T> {
    pub(super) fn new() -> Self {
        ByMember {
            ids: Vec::new(),
            items: Vec::new(),
        }
    }

    pub(super) fn push(&mut self, id: i64, item: T) {
        self.ids.push(id);
        self.items.push(item);
    }

    /// One member's items.
    pub(super) fn of(&self, id: i64) -> &[T] {
        let start = self.ids.partition_point(|&m| m < id);
        let len = self.ids[start..].partition_point(|&m| m == id);
        &self.items[start..start + len]
    }

    /// One member's items, for members asked in increasing id order (a table
    /// scan): `cursor` walks forward instead of searching each time.
    pub(super) fn of_next(&self, id: i64, cursor: &mut usize) -> &[T] {
        if *cursor > 0 && self.ids.get(*cursor - 1).is_some_and(|&m| m >= id) {
            *cursor = self.ids.partition_point(|&m| m < id);
        }
        while self.ids.get(*cursor).is_some_and(|&m| m < id) {
            *cursor += 1;
        }
        let start = *cursor;
        while self.ids.get(*cursor) == Some(&id) {
            *cursor += 1;
        }
        &self.items[start..*cursor]
    }
}

/// Where the latest dates ≤ D come from.
pub(super) enum Source {
    /// No talk or visit is dated after D: the cached columns are exact.
    Cached,
    /// A few are: correct the members whose cached date is after D.
    PerMember,
    /// Many are: one grouped pass per table, by slot.
    Bulk(Vec<Latest>),
}

pub(super) fn latest_source(
    conn: &Connection,
    d_text: &str,
    ids: &IdMap,
    n: usize,
    fallback: Fallback,
) -> Result<Source> {
    let newest = |table: &str| -> Result<Option<String>> {
        Ok(conn.query_row(&format!("SELECT max(date) FROM {table}"), [], |r| r.get(0))?)
    };
    let after = |s: Option<String>| s.is_some_and(|s| s.as_str() > d_text);
    let stale = after(newest("talks")?) || after(newest("visits")?);
    let mode = match fallback {
        Fallback::Auto if !stale => return Ok(Source::Cached),
        Fallback::Auto => {
            let later: i64 = conn.query_row(
                "SELECT (SELECT count(*) FROM talks WHERE date > ?1 AND voided_on IS NULL)
                      + (SELECT count(*) FROM visits WHERE date > ?1 AND voided_on IS NULL)",
                [d_text],
                |r| r.get(0),
            )?;
            if later <= PER_MEMBER_LIMIT {
                Fallback::PerMember
            } else {
                Fallback::Bulk
            }
        }
        f => f,
    };
    if mode == Fallback::PerMember {
        return Ok(Source::PerMember);
    }
    let mut v = vec![Latest::default(); n];
    let slot_of = |id: i64| ids.idx(id).filter(|&i| i < n);
    let mut stmt = conn.prepare(
        "SELECT member_id, max(date) FROM talks WHERE date <= ?1 AND voided_on IS NULL
         GROUP BY member_id",
    )?;
    let mut q = stmt.query([d_text])?;
    while let Some(r) = q.next()? {
        if let Some(i) = slot_of(r.get(0)?) {
            v[i].talk = day(r.get_ref(1)?);
            v[i].contact = v[i].talk;
        }
    }
    let in_person = crate::db::in_person_sql();
    let mut stmt = conn.prepare(&format!(
        "SELECT member_id,
                max(CASE WHEN kind IN {in_person} THEN date END),
                max(CASE WHEN kind = 'health_check' THEN date END),
                max(CASE WHEN kind <> 'health_check' THEN date END)
         FROM visits WHERE date <= ?1 AND voided_on IS NULL GROUP BY member_id"
    ))?;
    let mut q = stmt.query([d_text])?;
    while let Some(r) = q.next()? {
        if let Some(i) = slot_of(r.get(0)?) {
            v[i].visit = day(r.get_ref(1)?);
            v[i].health_check = day(r.get_ref(2)?);
            v[i].contact = v[i].contact.max(day(r.get_ref(3)?));
        }
    }
    Ok(Source::Bulk(v))
}

/// The exact latest dates ≤ D of one member, by indexed queries.
pub(super) struct ExactLatest<'c> {
    d_text: String,
    talk: rusqlite::CachedStatement<'c>,
    visit: rusqlite::CachedStatement<'c>,
    health: rusqlite::CachedStatement<'c>,
    contact: rusqlite::CachedStatement<'c>,
}

impl<'c> ExactLatest<'c> {
    pub(super) fn new(conn: &'c Connection, d_text: &str) -> Result<Self> {
        let visit = |cond: &str| {
            format!(
                "SELECT date FROM visits WHERE member_id = ?1 AND date <= ?2 AND {cond}
                 AND voided_on IS NULL ORDER BY date DESC LIMIT 1"
            )
        };
        Ok(ExactLatest {
            d_text: d_text.to_string(),
            talk: conn.prepare_cached(
                "SELECT max(date) FROM talks WHERE member_id = ?1 AND date <= ?2 AND voided_on IS NULL",
            )?,
            visit: conn.prepare_cached(&visit(&format!(
                "kind IN {}",
                crate::db::in_person_sql()
            )))?,
            health: conn.prepare_cached(&visit("kind = 'health_check'"))?,
            contact: conn.prepare_cached(&visit("kind <> 'health_check'"))?,
        })
    }

    pub(super) fn query(
        stmt: &mut rusqlite::CachedStatement<'_>,
        id: i64,
        d: &str,
    ) -> Result<Option<NaiveDate>> {
        let s: Option<Option<String>> = stmt.query_row(params![id, d], |r| r.get(0)).optional()?;
        Ok(parse_date(s.flatten()))
    }

    /// Replaces each cached date after D by the latest on or before D.
    pub(super) fn correct(&mut self, id: i64, cached: Latest, as_of: NaiveDate) -> Result<Latest> {
        let after = |x: Option<NaiveDate>| x.is_some_and(|x| x > as_of);
        let mut l = cached;
        let d = self.d_text.as_str();
        if after(l.talk) {
            l.talk = Self::query(&mut self.talk, id, d)?;
        }
        if after(l.visit) {
            l.visit = Self::query(&mut self.visit, id, d)?;
        }
        if after(l.health_check) {
            l.health_check = Self::query(&mut self.health, id, d)?;
        }
        if after(l.contact) {
            l.contact = l.talk.max(Self::query(&mut self.contact, id, d)?);
        }
        Ok(l)
    }

    pub(super) fn all(&mut self, id: i64) -> Result<Latest> {
        let d = self.d_text.clone();
        let talk = Self::query(&mut self.talk, id, &d)?;
        Ok(Latest {
            talk,
            visit: Self::query(&mut self.visit, id, &d)?,
            health_check: Self::query(&mut self.health, id, &d)?,
            contact: talk.max(Self::query(&mut self.contact, id, &d)?),
        })
    }
}

/// Cases now approved or active, by member, with their latest review ≤ D.
pub(super) fn live_cases(
    conn: &Connection,
    as_of: NaiveDate,
    member: Option<i64>,
) -> Result<ByMember<LiveCase>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.member_id, c.approved_on,
                (SELECT max(r.date) FROM hardship_reviews r WHERE r.case_id = c.id AND r.date <= ?1)
         FROM hardship_cases c
         WHERE c.state IN ('approved','active') AND (?2 IS NULL OR c.member_id = ?2)
         ORDER BY c.member_id, c.year, c.id",
    )?;
    let mut out = ByMember::new();
    let mut q = stmt.query(params![date_text(as_of), member])?;
    while let Some(r) = q.next()? {
        let case = LiveCase {
            approved_on: day(r.get_ref(1)?),
            last_review: day(r.get_ref(2)?),
        };
        out.push(r.get(0)?, case);
    }
    Ok(out)
}

/// Instalments of loans made on or before D that were not repaid on or before D
/// (the repayment that completed an instalment is dated after D).
pub(super) fn unpaid_instalments(
    conn: &Connection,
    as_of: NaiveDate,
    member: Option<i64>,
) -> Result<ByMember<NaiveDate>> {
    let mut stmt = conn.prepare_cached(
        "SELECT l.member_id, i.due_date
         FROM loan_instalments i JOIN loans l ON l.id = i.loan_id
         WHERE l.date <= ?1 AND (?2 IS NULL OR l.member_id = ?2)
           -- a loan whose payment was reversed by D never stood
           AND NOT EXISTS (SELECT 1 FROM fund_entries p JOIN fund_entries r ON r.reverses_id = p.id
                           WHERE p.loan_id = l.id AND p.category = 'loan' AND p.direction = 'out'
                             AND r.date <= ?1)
           AND (i.paid_entry_id IS NULL
                OR (SELECT f.date FROM fund_entries f WHERE f.id = i.paid_entry_id) > ?1)
         ORDER BY l.member_id, i.due_date",
    )?;
    let mut out = ByMember::new();
    let mut q = stmt.query(params![date_text(as_of), member])?;
    while let Some(r) = q.next()? {
        if let Some(d) = day(r.get_ref(1)?) {
            out.push(r.get(0)?, d);
        }
    }
    Ok(out)
}

/// For each campaign, the members visited in person in [from, min(to, D)].
pub(super) fn campaign_bitsets(
    conn: &Connection,
    campaigns: &[Campaign],
    as_of: NaiveDate,
    ids: &IdMap,
    n: usize,
) -> Result<Vec<Vec<u64>>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT member_id FROM visits WHERE date >= ?1 AND date <= ?2 AND kind IN {}
         AND voided_on IS NULL",
        crate::db::in_person_sql()
    ))?;
    let mut out = Vec::with_capacity(campaigns.len());
    for c in campaigns {
        let mut bits = vec![0u64; n.div_ceil(64)];
        let end = rules::campaign_window_end(c, as_of);
        let mut q = stmt.query([date_text(c.from), date_text(end)])?;
        while let Some(r) = q.next()? {
            if let Some(i) = ids.idx(r.get(0)?).filter(|&i| i < n) {
                bits[i / 64] |= 1 << (i % 64);
            }
        }
        out.push(bits);
    }
    Ok(out)
}

/// A stored event kind, matched without a scan of the vocabulary.
pub(super) fn event_kind(v: ValueRef<'_>) -> Option<EventKind> {
    use EventKind::*;
    let ValueRef::Text(b) = v else {
        return None;
    };
    Some(match b {
        b"job_change" => JobChange,
        b"commendation" => Commendation,
        b"punishment" => Punishment,
        b"setback" => Setback,
        b"conflict" => Conflict,
        b"complaint" => Complaint,
        b"retirement" => Retirement,
        b"work_error" => WorkError,
        b"warning_sign" => WarningSign,
        b"ideology" => Ideology,
        b"illness" => Illness,
        b"major_difficulty" => MajorDifficulty,
        b"return_home" => ReturnHome,
        b"absent" => Absent,
        b"wedding_funeral" => WeddingFuneral,
        b"accident" => Accident,
        _ => return None,
    })
}

pub(super) fn utf8(b: &[u8]) -> &str {
    std::str::from_utf8(b).unwrap_or_default()
}

/// At most 65535 bytes, cut at a character boundary.
pub(super) fn clip(s: &str) -> &str {
    let mut end = s.len().min(usize::from(u16::MAX));
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

pub(super) fn bit(bits: &[u64], i: usize) -> bool {
    bits.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
}

/// A stored `YYYY-MM-DD` date, read without allocating.
pub(super) fn day(v: ValueRef<'_>) -> Option<NaiveDate> {
    let ValueRef::Text(b) = v else {
        return None;
    };
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        let num = |s: &[u8]| {
            s.iter().try_fold(0u32, |n, &c| {
                c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
            })
        };
        if let (Some(y), Some(m), Some(d)) = (num(&b[..4]), num(&b[5..7]), num(&b[8..])) {
            return NaiveDate::from_ymd_opt(y as i32, m, d);
        }
    }
    parse_date(std::str::from_utf8(b).ok().map(str::to_string))
}
