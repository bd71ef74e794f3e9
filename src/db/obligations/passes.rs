//! The passes of [`compute_with`]: on one thread, or split over two, each
//! with its own connection reading the same snapshot.

use super::*;
impl Sink {
    fn new(which: Which, campaigns: usize) -> Self {
        Sink {
            which,
            rows: Vec::new(),
            done: Vec::new(),
            counts: Rule::ALL
                .iter()
                .map(|&rule| RuleCount {
                    rule,
                    overdue: 0,
                    due_soon: 0,
                    not_due: 0,
                    satisfied: 0,
                })
                .collect(),
            progress: vec![(0, 0); campaigns],
        }
    }

    /// Adds another sink's findings (its rows already point into the merged records).
    fn merge(&mut self, other: Sink) {
        self.rows.extend(other.rows);
        self.done.extend(other.done);
        for (a, b) in self.counts.iter_mut().zip(other.counts) {
            a.overdue += b.overdue;
            a.due_soon += b.due_soon;
            a.not_due += b.not_due;
            a.satisfied += b.satisfied;
        }
        for (a, b) in self.progress.iter_mut().zip(other.progress) {
            a.0 += b.0;
            a.1 += b.1;
        }
    }
}

/// Whether [`compute_with`] splits its passes over two threads.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parallel {
    /// On a large roster in a file (tests force each way).
    Auto,
    Never,
    /// Whenever the database is a file, ids are dense and no transaction is open.
    Always,
}

/// From this many members, a second thread (and connection) pays for itself.
const PARALLEL_FROM: i64 = 8_000;

/// Everything the member and event passes read, shared by both threads.
struct Input<'a> {
    as_of: NaiveDate,
    d_text: &'a str,
    ctx: &'a Context<'a>,
    kinds: &'a Kinds,
    ids: &'a IdMap,
    n: usize,
    need_birth: bool,
    cases: &'a ByMember<LiveCase>,
    instalments: &'a ByMember<NaiveDate>,
    visited: &'a [Vec<u64>],
    source: &'a Source,
}

/// Every member id: the whole roster.
const ALL: (i64, i64) = (i64::MIN, i64::MAX);

#[doc(hidden)]
pub fn compute_with(
    conn: &Connection,
    as_of: NaiveDate,
    settings: &Settings,
    which: Which,
    fallback: Fallback,
    parallel: Parallel,
) -> Result<Report> {
    compute_in(conn, as_of, settings, which, fallback, parallel, ALL)
}

/// [`compute_with`] for the members with ids in [lo, hi) alone, on one
/// thread: its memory is that of the part, whatever the roster's size. The
/// rows' name ranks number the part's own pinyin keys ([`by_name`]).
#[doc(hidden)]
pub fn compute_part(
    conn: &Connection,
    as_of: NaiveDate,
    settings: &Settings,
    which: Which,
    fallback: Fallback,
    members: (i64, i64),
) -> Result<Report> {
    compute_in(
        conn,
        as_of,
        settings,
        which,
        fallback,
        Parallel::Never,
        members,
    )
}

/// The members' ids and pinyin keys (with `cols` before them) in pinyin
/// order, with ids in [?1, ?2) unless `members` is the whole roster (whose
/// query reads the pinyin index without a condition).
fn by_name(cols: &str, members: (i64, i64)) -> String {
    let part = if members == ALL {
        ""
    } else {
        "WHERE id >= ?1 AND id < ?2"
    };
    format!("SELECT {cols} FROM members {part} ORDER BY sort_key, code")
}

#[allow(clippy::too_many_arguments)]
fn compute_in(
    conn: &Connection,
    as_of: NaiveDate,
    settings: &Settings,
    which: Which,
    fallback: Fallback,
    parallel: Parallel,
    members: (i64, i64),
) -> Result<Report> {
    let d_text = date_text(as_of);
    let campaigns: Vec<Campaign> = crate::db::records::campaigns(conn)?
        .into_iter()
        .filter(|c| rules::campaign_started(c, as_of))
        .collect();
    let ctx = Context::new(as_of, settings, &campaigns);
    let kinds = Kinds::new(&campaigns);
    if kinds.list.len() >= 1 << KIND_BITS {
        return Err(DbError::invalid(
            "活动太多，无法计算",
            "too many campaigns to compute the list",
        ));
    }

    let (count, min_id, max_id): (i64, i64, i64) = conn.query_row(
        // Separate subqueries: each is answered from an index without a scan.
        "SELECT (SELECT count(*) FROM members WHERE id >= ?1 AND id < ?2),
                (SELECT coalesce(min(id), 0) FROM members WHERE id >= ?1 AND id < ?2),
                (SELECT coalesce(max(id), 0) FROM members WHERE id >= ?1 AND id < ?2)",
        members,
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    // The whole roster's slots count from id 0 (the two threads split them
    // by id), a part's from its first member.
    let whole = members == ALL;
    let first = if whole { 0 } else { min_id };
    let dense = min_id >= first && max_id - first <= 2 * count + 1024;
    let (mut ids, n) = if dense {
        (IdMap::Dense(first), (max_id - first) as usize + 1)
    } else {
        (
            IdMap::Sparse(HashMap::with_capacity(count as usize)),
            count as usize,
        )
    };
    // A kept report's keys come from the one-thread rank pass.
    let wanted = whole
        && which != Which::Kept
        && match parallel {
            Parallel::Never => false,
            Parallel::Always => true,
            Parallel::Auto => count >= PARALLEL_FROM,
        };
    // A second connection reading the same snapshot (see `second_reader`);
    // `_read` keeps this connection's read transaction open until the end.
    let (second, _read) = if wanted && dense && max_id > 0 {
        match second_reader(conn)? {
            Some((w, tx)) => (Some(w), Some(tx)),
            None => (None, None),
        }
    } else {
        (None, None)
    };
    let need_birth = campaigns
        .iter()
        .any(|c| c.targets.contains(&CampaignTarget::Old));

    let Some(mut second) = second else {
        // One thread: the pinyin ranks first (they number sparse ids).
        let mut keys = SortKeys::default();
        let ranks = name_ranks(
            conn,
            &mut ids,
            n,
            members,
            (which == Which::Kept).then_some(&mut keys),
        )?;
        let cases = live_cases(conn, as_of, None)?;
        let instalments = unpaid_instalments(conn, as_of, None)?;
        let visited = campaign_bitsets(conn, &campaigns, as_of, &ids, n)?;
        let source = latest_source(conn, &d_text, &ids, n, fallback)?;
        let input = Input {
            as_of,
            d_text: &d_text,
            ctx: &ctx,
            kinds: &kinds,
            ids: &ids,
            n,
            need_birth,
            cases: &cases,
            instalments: &instalments,
            visited: &visited,
            source: &source,
        };
        let mut sink = Sink::new(which, campaigns.len());
        let mut records = Records::default();
        let mut slots: Vec<Slot> = vec![Slot::default(); n];
        member_pass(
            conn,
            &input,
            &ranks,
            members,
            &mut slots,
            0,
            &mut sink,
            &mut records,
        )?;
        drop(ranks);
        event_pass(conn, &input, &slots, (i64::MIN, i64::MAX), &mut sink)?;
        drop(slots);
        return Ok(finish(as_of, sink, records, kinds, campaigns, keys));
    };

    // Two threads, each pass split in two: the ranks beside the small
    // queries, then the members by id range, then the events by rowid range.
    let w = &mut second;
    let ids = &ids;
    let ((ranks, (cases, instalments, visited, source)), events_max) = std::thread::scope(|s| {
        let ranks = s.spawn(move || name_ranks(w, &mut IdMap::Dense(0), n, ALL, None));
        let rest = (|| -> Result<_> {
            let cases = live_cases(conn, as_of, None)?;
            let instalments = unpaid_instalments(conn, as_of, None)?;
            let visited = campaign_bitsets(conn, &campaigns, as_of, ids, n)?;
            let source = latest_source(conn, &d_text, ids, n, fallback)?;
            let events_max: i64 =
                conn.query_row("SELECT coalesce(max(rowid), 0) FROM events", [], |r| {
                    r.get(0)
                })?;
            Ok(((cases, instalments, visited, source), events_max))
        })();
        let ranks = join(ranks)?;
        let (rest, events_max) = rest?;
        Ok::<_, DbError>(((ranks, rest), events_max))
    })?;
    let input = Input {
        as_of,
        d_text: &d_text,
        ctx: &ctx,
        kinds: &kinds,
        ids,
        n,
        need_birth,
        cases: &cases,
        instalments: &instalments,
        visited: &visited,
        source: &source,
    };
    let mut slots: Vec<Slot> = vec![Slot::default(); n];
    // Ids are dense (slot = id): the upper half of the ids goes to the second thread.
    let mid = min_id + (max_id - min_id) / 2 + 1;
    let (low, high) = slots.split_at_mut(mid as usize);
    let (mut sink, mut records, high_sink, high_records) = {
        let (input, ranks, w) = (&input, &ranks, &mut second);
        std::thread::scope(|s| {
            let other = s.spawn(move || {
                let mut sink = Sink::new(which, input.ctx.campaigns.len());
                let mut records = Records::default();
                member_pass(
                    w,
                    input,
                    ranks,
                    (mid, i64::MAX),
                    high,
                    mid as usize,
                    &mut sink,
                    &mut records,
                )
                .map(|()| (sink, records))
            });
            let mut sink = Sink::new(which, input.ctx.campaigns.len());
            let mut records = Records::default();
            let mine = member_pass(
                conn,
                input,
                ranks,
                (i64::MIN, mid),
                low,
                0,
                &mut sink,
                &mut records,
            );
            let (high_sink, high_records) = join(other)?;
            mine?;
            Ok::<_, DbError>((sink, records, high_sink, high_records))
        })?
    };
    drop(ranks);
    // The second half's records go after the first's.
    let shift = u32::try_from(records.0.len())
        .map_err(|_| DbError::invalid("名册太大", "the roster is too large"))?;
    for slot in &mut slots[mid as usize..] {
        if slot.at != INACTIVE {
            slot.at += shift;
        }
    }
    sink.merge(Sink {
        rows: high_sink
            .rows
            .into_iter()
            .map(|r| Row {
                at: r.at + shift,
                ..r
            })
            .collect(),
        ..high_sink
    });
    records.0.extend_from_slice(&high_records.0);
    drop(high_records);

    let event_mid = events_max / 2 + 1;
    let high_sink = {
        let (input, slots, w) = (&input, &slots, &mut second);
        std::thread::scope(|s| {
            let other = s.spawn(move || {
                let mut sink = Sink::new(which, input.ctx.campaigns.len());
                event_pass(w, input, slots, (event_mid, i64::MAX), &mut sink).map(|()| sink)
            });
            let mine = event_pass(conn, input, slots, (i64::MIN, event_mid), &mut sink);
            let high_sink = join(other)?;
            mine?;
            Ok::<_, DbError>(high_sink)
        })?
    };
    sink.merge(high_sink);
    drop(slots);
    Ok(finish(
        as_of,
        sink,
        records,
        kinds,
        campaigns,
        SortKeys::default(),
    ))
}

/// A thread's result (a panic is passed on).
fn join<T>(h: std::thread::ScopedJoinHandle<'_, Result<T>>) -> Result<T> {
    h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))
}

/// A second connection to `conn`'s file that reads the same snapshot as
/// `conn`, with `conn`'s read transaction (rolled back when dropped): while
/// a third connection holds the write lock, nothing can be committed, so
/// both read transactions start on the same state. None (work on one
/// thread) for an in-memory database, an open transaction, a read-only file
/// or a writer holding the lock.
fn second_reader(conn: &Connection) -> Result<Option<(Connection, rusqlite::Transaction<'_>)>> {
    let Some(path) = conn.path().filter(|p| !p.is_empty()) else {
        return Ok(None);
    };
    if !conn.is_autocommit() {
        return Ok(None);
    }
    // Neither connection waits long for the lock: a busy writer means one thread.
    let open = || -> crate::db::Result<Connection> {
        let c = crate::db::open_scan(std::path::Path::new(path))?;
        c.busy_timeout(std::time::Duration::from_millis(50))?;
        Ok(c)
    };
    let Ok(lock) = open() else {
        return Ok(None);
    };
    if lock.execute_batch("BEGIN IMMEDIATE").is_err() {
        return Ok(None);
    }
    let start = |c: &Connection| -> rusqlite::Result<()> {
        c.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))
    };
    let paired = (|| -> crate::db::Result<_> {
        let w = open()?;
        w.execute_batch("BEGIN")?;
        start(&w)?;
        let tx = conn.unchecked_transaction()?;
        start(&tx)?;
        Ok((w, tx))
    })();
    lock.execute_batch("ROLLBACK")?;
    Ok(paired.ok())
}

/// The pinyin rank of every name of the members with ids in `members`: a
/// covering scan of members_sort. Members with the same sort key share a
/// rank (their rows then go by member code). Numbers sparse ids as it goes,
/// and keeps each rank's key in `keys` when asked.
fn name_ranks(
    conn: &Connection,
    ids: &mut IdMap,
    n: usize,
    members: (i64, i64),
    mut keys: Option<&mut SortKeys>,
) -> Result<Vec<u32>> {
    let mut ranks: Vec<u32> = vec![0; n];
    let mut stmt = conn.prepare(&by_name("id, sort_key", members))?;
    let mut q = if members == ALL {
        stmt.query([])?
    } else {
        stmt.query([members.0, members.1])?
    };
    let mut prev: Vec<u8> = Vec::new();
    let (mut rank, mut first) = (0u32, true);
    while let Some(r) = q.next()? {
        let id: i64 = r.get(0)?;
        let key = match r.get_ref(1)? {
            ValueRef::Blob(b) | ValueRef::Text(b) => b,
            _ => &[],
        };
        if first || key != prev.as_slice() {
            if rank < (1 << RANK_BITS) - 1 {
                rank += 1;
                if let Some(k) = keys.as_deref_mut() {
                    k.push(key);
                }
            }
            prev.clear();
            prev.extend_from_slice(key);
            first = false;
        }
        let idx = match ids {
            IdMap::Dense(_) => ids.idx(id).unwrap_or(usize::MAX),
            IdMap::Sparse(m) => {
                let next = m.len() as u32;
                *m.entry(id).or_insert(next) as usize
            }
        };
        if let Some(slot) = ranks.get_mut(idx) {
            *slot = rank;
        }
    }
    Ok(ranks)
}

/// The member pass over ids in [from, to): every rule but the events. Fills
/// `slots` (slot `base` first) and the members' records.
#[allow(clippy::too_many_arguments)]
fn member_pass(
    conn: &Connection,
    input: &Input<'_>,
    ranks: &[u32],
    (from, to): (i64, i64),
    slots: &mut [Slot],
    base: usize,
    sink: &mut Sink,
    records: &mut Records,
) -> Result<()> {
    let Input {
        as_of,
        ids,
        n,
        source,
        ..
    } = *input;
    let mut stmt = conn.prepare(
        // SQLite extracts every selected column of every row: columns only
        // some members need are behind a CASE (and birth_date only when a
        // campaign looks at age).
        &format!(
            "SELECT id, registered_on, joined_on, last_talk, last_visit,
                    honorary + 2 * mobile + 4 * chronic_ill + 8 * low_income
                        + 16 * living_alone + 32 * disabled,
                    code, name, {},
                    CASE WHEN honorary THEN honorary_since END,
                    CASE WHEN mobile THEN mobile_since END,
                    CASE WHEN honorary THEN last_health_check END,
                    CASE WHEN mobile THEN last_contact END
             FROM members NOT INDEXED WHERE status = 'active' AND id >= ?1 AND id < ?2",
            if input.need_birth {
                "birth_date"
            } else {
                "NULL"
            }
        ),
    )?;
    let mut exact = ExactLatest::new(conn, input.d_text)?;
    let mut q = stmt.query([from, to])?;
    let mut window_visits: Vec<WindowVisit> = vec![WindowVisit::No; input.visited.len()];
    let (mut case_cursor, mut instalment_cursor) = (0, 0);
    while let Some(r) = q.next()? {
        let id: i64 = r.get(0)?;
        let Some(idx) = ids.idx(id).filter(|&i| i < n) else {
            continue;
        };
        let flags = match r.get_ref(5)? {
            ValueRef::Integer(n) => n,
            _ => 0,
        };
        let latest = match source {
            Source::Cached | Source::PerMember => {
                let cached = Latest {
                    talk: day(r.get_ref(3)?),
                    visit: day(r.get_ref(4)?),
                    health_check: day(r.get_ref(11)?),
                    contact: day(r.get_ref(12)?),
                };
                if matches!(source, Source::PerMember) {
                    exact.correct(id, cached, as_of)?
                } else {
                    cached
                }
            }
            Source::Bulk(v) => v[idx],
        };
        for (w, bits) in window_visits.iter_mut().zip(input.visited) {
            *w = if bit(bits, idx) {
                WindowVisit::Yes
            } else {
                WindowVisit::No
            };
        }
        let facts = MemberFacts {
            id,
            active: true,
            registered_on: day(r.get_ref(1)?),
            joined_on: day(r.get_ref(2)?).unwrap_or_default(),
            birth_date: day(r.get_ref(8)?),
            honorary: flags & 1 != 0,
            honorary_since: day(r.get_ref(9)?),
            mobile: flags & 2 != 0,
            mobile_since: day(r.get_ref(10)?),
            chronic_ill: flags & 4 != 0,
            low_income: flags & 8 != 0,
            living_alone: flags & 16 != 0,
            disabled: flags & 32 != 0,
            cases: input.cases.of_next(id, &mut case_cursor),
            latest,
            events: &[],
            campaign_visits: &window_visits,
            instalments: input.instalments.of_next(id, &mut instalment_cursor),
        };
        let at = records.push(
            id,
            r.get_ref(6)?.as_str().unwrap_or_default(),
            r.get_ref(7)?.as_str().unwrap_or_default(),
        );
        let slot = Slot {
            name_rank: ranks[idx],
            at,
            talk: latest.talk,
            visit: latest.visit,
        };
        if let Some(s) = idx.checked_sub(base).and_then(|i| slots.get_mut(i)) {
            *s = slot;
        }
        rules::for_each_obligation(&facts, input.ctx, |f| sink.take(&f, &slot, input.kinds));
    }
    Ok(())
}

/// The event pass over events with rowid in [from, to): 必谈 / 必访 judged
/// against the latest talk and visit. Events come in date order and their
/// members all over `slots`: they are judged in batches, touching the slot
/// of an event a few places ahead so that several are fetched from memory
/// at once.
fn event_pass(
    conn: &Connection,
    input: &Input<'_>,
    slots: &[Slot],
    (from, to): (i64, i64),
    sink: &mut Sink,
) -> Result<()> {
    let (ids, n) = (input.ids, input.n);
    let mut stmt = conn.prepare(
        "SELECT member_id, date, kind FROM events NOT INDEXED
         WHERE date <= ?1 AND rowid >= ?2 AND rowid < ?3 AND voided_on IS NULL",
    )?;
    let mut q = stmt.query(params![input.d_text, from, to])?;
    let mut batch: Vec<(usize, NaiveDate, EventKind)> = Vec::with_capacity(EVENT_BATCH);
    let mut more = true;
    while more {
        batch.clear();
        while batch.len() < EVENT_BATCH {
            let Some(r) = q.next()? else {
                more = false;
                break;
            };
            let idx = ids.idx(r.get(0)?).filter(|&i| i < n);
            if let (Some(idx), Some(date), Some(kind)) =
                (idx, day(r.get_ref(1)?), event_kind(r.get_ref(2)?))
            {
                batch.push((idx, date, kind));
            }
        }
        for (i, &(idx, date, kind)) in batch.iter().enumerate() {
            if let Some(&(ahead, _, _)) = batch.get(i + 16) {
                std::hint::black_box(slots[ahead].at);
            }
            let slot = &slots[idx];
            if slot.at == INACTIVE {
                continue;
            }
            let latest = Latest {
                talk: slot.talk,
                visit: slot.visit,
                ..Latest::default()
            };
            rules::event_obligations(date, kind, &latest, input.ctx, |f| {
                sink.take(&f, slot, input.kinds)
            });
        }
    }
    Ok(())
}

/// Sorts the rows and assembles the report.
fn finish(
    as_of: NaiveDate,
    sink: Sink,
    records: Records,
    kinds: Kinds,
    campaigns: Vec<Campaign>,
    keys: SortKeys,
) -> Report {
    // Sort on the packed key; rows with equal keys (same due date, name and
    // obligation) then go by member code.
    let mut rows = sink.rows;
    rows.sort_unstable();
    for run in rows.chunk_by_mut(|a, b| a.key == b.key) {
        if run.len() > 1 {
            run.sort_by(|a, b| records.get(a.at).1.cmp(records.get(b.at).1));
        }
    }
    let campaigns = campaigns
        .into_iter()
        .zip(sink.progress)
        .map(|(campaign, (targeted, visited))| CampaignProgress {
            campaign,
            targeted,
            visited,
        })
        .collect();
    Report {
        as_of,
        rows,
        done: sink.done,
        codes: kinds.list.iter().map(ObligationKind::code).collect(),
        kinds: kinds.list,
        records,
        counts: sink.counts,
        campaigns,
        keys,
    }
}
