-- The overdue rules of DOMAIN.md as hand-written SQL, for the benchmark's baseline:
-- run in the sqlite3 shell on a copy of the data, it prints the same CSV as
-- `guanhuai overdue --format csv` (without the header). It reads only the record
-- tables (talks, visits, events, cases, campaigns), not the cached latest dates.
-- The benchmark replaces the date below.
.headers off
.mode csv
CREATE TEMP TABLE p AS SELECT '2026-11-28' AS d, 365 AS annual, 90 AS hardship, 182 AS honorary,
    365 AS health, 90 AS mobile, 15 AS ev_talk, 7 AS ev_visit, 365 AS review, 70 AS old_age, 50 AS old_standing;

WITH
a AS (
    SELECT id, code, name, sort_key, coalesce(registered_on, joined_on) AS reg, honorary,
           coalesce(honorary_since, registered_on, joined_on) AS hon_anchor, mobile,
           coalesce(mobile_since, registered_on, joined_on) AS mob_anchor, birth_date, joined_on,
           chronic_ill, low_income, living_alone, disabled
    FROM members WHERE status = 'active'
),
lt AS (SELECT member_id, max(date) AS d FROM talks WHERE date <= (SELECT d FROM p) GROUP BY member_id),
lv AS (SELECT member_id, max(date) AS d FROM visits
       WHERE kind IN ('home','hospital','holiday') AND date <= (SELECT d FROM p) GROUP BY member_id),
lh AS (SELECT member_id, max(date) AS d FROM visits
       WHERE kind = 'health_check' AND date <= (SELECT d FROM p) GROUP BY member_id),
lc AS (SELECT member_id, max(d) AS d FROM (
         SELECT member_id, d FROM lt
         UNION ALL
         SELECT member_id, max(date) FROM visits
         WHERE kind <> 'health_check' AND date <= (SELECT d FROM p) GROUP BY member_id)
       GROUP BY member_id),
live AS (SELECT c.id, c.member_id, c.approved_on,
                (SELECT max(date) FROM hardship_reviews r WHERE r.case_id = c.id AND r.date <= (SELECT d FROM p)) AS reviewed
         FROM hardship_cases c WHERE c.state IN ('approved','active')),
hv AS (SELECT member_id, max(approved_on) AS anchor FROM live
       WHERE approved_on <= (SELECT d FROM p) GROUP BY member_id),
camp AS (SELECT c.id, c.name, c.date_from, c.date_to FROM campaigns c WHERE c.date_from <= (SELECT d FROM p)),
-- who each started campaign targets (a member may be in several groups)
tgt AS (
    SELECT c.id AS cid, a.id AS mid
    FROM camp c JOIN campaign_targets t ON t.campaign_id = c.id JOIN a ON a.reg <= c.date_from
    WHERE t.target = 'all'
       OR (t.target = 'old' AND ((a.birth_date IS NOT NULL
               AND date(a.birth_date, '+' || (SELECT old_age FROM p) || ' years') <= c.date_from)
            OR date(a.joined_on, '+' || (SELECT old_standing FROM p) || ' years') <= c.date_from))
       OR (t.target = 'honorary' AND a.honorary = 1 AND a.hon_anchor <= c.date_from)
       OR (t.target = 'hardship' AND EXISTS (SELECT 1 FROM hardship_cases h WHERE h.member_id = a.id
               AND h.state IN ('approved','active') AND h.approved_on <= c.date_from))
       OR (t.target = 'chronic_ill' AND a.chronic_ill = 1)
       OR (t.target = 'low_income' AND a.low_income = 1)
       OR (t.target = 'living_alone' AND a.living_alone = 1)
       OR (t.target = 'disabled' AND a.disabled = 1)
),
-- who was visited in person within each window (and on or before the day)
vis AS (
    SELECT DISTINCT c.id AS cid, v.member_id AS mid
    FROM camp c JOIN visits v ON v.date BETWEEN c.date_from AND min(c.date_to, (SELECT d FROM p))
    WHERE v.kind IN ('home','hospital','holiday')
),
ob AS (
    SELECT a.id AS mid, 'annual_talk' AS code,
           date(max(a.reg, coalesce(lt.d, '')), '+' || (SELECT annual FROM p) || ' days') AS due
    FROM a LEFT JOIN lt ON lt.member_id = a.id
  UNION ALL
    SELECT a.id, 'hardship_visit', date(max(hv.anchor, coalesce(lv.d, '')), '+' || (SELECT hardship FROM p) || ' days')
    FROM a JOIN hv ON hv.member_id = a.id LEFT JOIN lv ON lv.member_id = a.id
  UNION ALL
    SELECT a.id, 'honorary_visit', date(max(a.hon_anchor, coalesce(lv.d, '')), '+' || (SELECT honorary FROM p) || ' days')
    FROM a LEFT JOIN lv ON lv.member_id = a.id WHERE a.honorary = 1
  UNION ALL
    SELECT a.id, 'honorary_health_check', date(max(a.hon_anchor, coalesce(lh.d, '')), '+' || (SELECT health FROM p) || ' days')
    FROM a LEFT JOIN lh ON lh.member_id = a.id WHERE a.honorary = 1
  UNION ALL
    SELECT a.id, 'mobile_contact', date(max(a.mob_anchor, coalesce(lc.d, '')), '+' || (SELECT mobile FROM p) || ' days')
    FROM a LEFT JOIN lc ON lc.member_id = a.id WHERE a.mobile = 1
  UNION ALL
    SELECT a.id, 'event_talk:' || e.kind, date(e.date, '+' || (SELECT ev_talk FROM p) || ' days')
    FROM events e JOIN a ON a.id = e.member_id LEFT JOIN lt ON lt.member_id = a.id
    WHERE e.date <= (SELECT d FROM p) AND coalesce(lt.d, '') < e.date
      AND e.kind IN ('job_change','commendation','punishment','setback','conflict','complaint',
                     'retirement','work_error','warning_sign','ideology')
  UNION ALL
    SELECT a.id, 'event_visit:' || e.kind, date(e.date, '+' || (SELECT ev_visit FROM p) || ' days')
    FROM events e JOIN a ON a.id = e.member_id LEFT JOIN lv ON lv.member_id = a.id
    WHERE e.date <= (SELECT d FROM p) AND coalesce(lv.d, '') < e.date
      AND e.kind IN ('ideology','illness','major_difficulty','return_home','absent','wedding_funeral','accident')
  UNION ALL
    SELECT m.mid, 'campaign:' || c.name, c.date_to
    FROM (SELECT cid, mid FROM tgt EXCEPT SELECT cid, mid FROM vis) m JOIN camp c ON c.id = m.cid
  UNION ALL
    SELECT l.member_id, 'hardship_review', date(coalesce(l.reviewed, l.approved_on), '+' || (SELECT review FROM p) || ' days')
    FROM live l JOIN a ON a.id = l.member_id WHERE coalesce(l.reviewed, l.approved_on) IS NOT NULL
  UNION ALL
    SELECT n.member_id, 'loan_instalment', i.due_date
    FROM loan_instalments i JOIN loans n ON n.id = i.loan_id JOIN a ON a.id = n.member_id
    WHERE i.paid_entry_id IS NULL
)
SELECT a.code, a.name, ob.code, ob.due,
       CAST(julianday((SELECT d FROM p)) - julianday(ob.due) AS INTEGER) AS days
FROM ob JOIN a ON a.id = ob.mid
WHERE ob.due < (SELECT d FROM p)
ORDER BY days DESC, a.sort_key, ob.code, a.code, ob.due;
