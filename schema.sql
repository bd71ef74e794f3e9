-- guanhuai (关怀) — the whole data model.
--
-- The program applies this file as numbered migrations: each section starts with a
-- line `-- migration: N` and is applied once, in order, inside one transaction,
-- after which `PRAGMA user_version` is N. Never edit an applied section; add one.
-- Dates are TEXT 'YYYY-MM-DD'. Money is INTEGER fen. Flags are INTEGER 0/1.

-- migration: 1

-- 设置: rule constants a branch may change (key = value); absent keys take defaults.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- 党员
CREATE TABLE members (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE CHECK (length(trim(code)) > 0),
    name            TEXT NOT NULL CHECK (length(trim(name)) > 0),
    gender          TEXT CHECK (gender IN ('m','f')),
    birth_date      TEXT CHECK (birth_date IS NULL OR date(birth_date) = birth_date),
    id_number       TEXT UNIQUE CHECK (id_number IS NULL OR length(id_number) = 18),
    phone           TEXT,
    joined_on       TEXT NOT NULL CHECK (date(joined_on) = joined_on),
    membership      TEXT NOT NULL DEFAULT 'full' CHECK (membership IN ('full','probationary')),
    status          TEXT NOT NULL DEFAULT 'active'
                    CHECK (status IN ('active','transferred_out','deceased')),
    employment      TEXT CHECK (employment IN ('employed','retired','unemployed','farmer','student','other')),
    registered_on   TEXT CHECK (registered_on IS NULL OR date(registered_on) = registered_on),
    mobile          INTEGER NOT NULL DEFAULT 0 CHECK (mobile IN (0,1)),
    mobile_since    TEXT CHECK (mobile_since IS NULL OR date(mobile_since) = mobile_since),
    whereabouts     TEXT NOT NULL DEFAULT '',
    contact         TEXT NOT NULL DEFAULT '',
    honorary        INTEGER NOT NULL DEFAULT 0 CHECK (honorary IN (0,1)),
    honorary_since  TEXT CHECK (honorary_since IS NULL OR date(honorary_since) = honorary_since),
    low_income      INTEGER NOT NULL DEFAULT 0 CHECK (low_income IN (0,1)),
    no_fixed_income INTEGER NOT NULL DEFAULT 0 CHECK (no_fixed_income IN (0,1)),
    living_alone    INTEGER NOT NULL DEFAULT 0 CHECK (living_alone IN (0,1)),
    disabled        INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0,1)),
    chronic_ill     INTEGER NOT NULL DEFAULT 0 CHECK (chronic_ill IN (0,1)),
    notes           TEXT NOT NULL DEFAULT '',
    -- pinyin order key (memcmp order = dictionary order of the name) and every reading, for search
    sort_key        BLOB NOT NULL,
    readings        TEXT NOT NULL DEFAULT '',
    -- optimistic locking: an edit saves only over the version it read
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL DEFAULT (datetime('now')),
    updated_at      TEXT NOT NULL DEFAULT (datetime('now')),
    -- latest satisfying dates, kept current by the triggers below for the rule engine
    last_talk         TEXT,   -- any talk
    last_visit        TEXT,   -- in-person visit (home, hospital, holiday)
    last_health_check TEXT,   -- visit of kind health_check
    last_contact      TEXT    -- any talk or any visit except health_check
);
CREATE INDEX members_sort ON members (sort_key, code);
CREATE INDEX members_status ON members (status);

-- 情况 (events that oblige talks and visits)
CREATE TABLE events (
    id         INTEGER PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES members (id),
    date       TEXT NOT NULL CHECK (date(date) = date),
    kind       TEXT NOT NULL CHECK (kind IN ('job_change','commendation','punishment','setback',
               'conflict','complaint','retirement','work_error','warning_sign','ideology','illness',
               'major_difficulty','return_home','absent','wedding_funeral','accident')),
    note       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE INDEX events_member ON events (member_id, date);
CREATE INDEX events_date ON events (date);

-- 谈心谈话
CREATE TABLE talks (
    id             INTEGER PRIMARY KEY,
    member_id      INTEGER NOT NULL REFERENCES members (id),
    date           TEXT NOT NULL CHECK (date(date) = date),
    conductor      TEXT NOT NULL DEFAULT '',
    form           TEXT NOT NULL DEFAULT 'face_to_face'
                   CHECK (form IN ('face_to_face','one_on_one','group','phone')),
    summary        TEXT NOT NULL DEFAULT '',
    problems       TEXT NOT NULL DEFAULT '',
    follow_up      INTEGER NOT NULL DEFAULT 0 CHECK (follow_up IN (0,1)),
    follow_up_note TEXT NOT NULL DEFAULT '',
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE INDEX talks_member ON talks (member_id, date);
CREATE INDEX talks_date ON talks (date);

-- 集中走访慰问 (campaigns) and their target groups
CREATE TABLE campaigns (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    date_from  TEXT NOT NULL CHECK (date(date_from) = date_from),
    date_to    TEXT NOT NULL CHECK (date(date_to) = date_to AND date_to >= date_from),
    created_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE TABLE campaign_targets (
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    target      TEXT NOT NULL CHECK (target IN ('all','old','hardship','honorary','chronic_ill',
                'low_income','living_alone','disabled')),
    PRIMARY KEY (campaign_id, target)
) WITHOUT ROWID;

-- 困难党员台账: one case per member and year
CREATE TABLE hardship_cases (
    id                 INTEGER PRIMARY KEY,
    member_id          INTEGER NOT NULL REFERENCES members (id),
    year               INTEGER NOT NULL CHECK (year BETWEEN 1949 AND 2200),
    cause              TEXT NOT NULL DEFAULT '',
    family_situation   TEXT NOT NULL DEFAULT '',
    family_members     INTEGER CHECK (family_members IS NULL OR family_members >= 0),
    family_income_fen  INTEGER CHECK (family_income_fen IS NULL OR family_income_fen >= 0),
    priority           TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('urgent','key','normal')),
    state              TEXT NOT NULL DEFAULT 'applied' CHECK (state IN ('applied','reviewed',
                       'publicized','submitted','approved','rejected','active','resolved','closed')),
    approved_on        TEXT CHECK (approved_on IS NULL OR date(approved_on) = approved_on),
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TEXT NOT NULL DEFAULT (datetime('now')),
    UNIQUE (member_id, year)
);
CREATE INDEX hardship_cases_state ON hardship_cases (state, member_id);

CREATE TABLE hardship_case_categories (
    case_id  INTEGER NOT NULL REFERENCES hardship_cases (id) ON DELETE CASCADE,
    category TEXT NOT NULL CHECK (category IN ('living','solitary','elderly_frail','illness',
             'disability','disaster','unemployment','low_income','education','accident')),
    PRIMARY KEY (case_id, category)
) WITHOUT ROWID;

-- each workflow step, dated and signed by the clerk
CREATE TABLE hardship_steps (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES hardship_cases (id),
    step          TEXT NOT NULL CHECK (step IN ('applied','reviewed','publicized','submitted',
                  'approved','rejected','active','resolved','closed')),
    date          TEXT NOT NULL CHECK (date(date) = date),
    clerk         TEXT NOT NULL DEFAULT '',
    votes_for     INTEGER CHECK (votes_for IS NULL OR votes_for >= 0),
    votes_against INTEGER CHECK (votes_against IS NULL OR votes_against >= 0),
    votes_abstain INTEGER CHECK (votes_abstain IS NULL OR votes_abstain >= 0),
    public_from   TEXT CHECK (public_from IS NULL OR date(public_from) = public_from),
    public_to     TEXT CHECK (public_to IS NULL OR date(public_to) = public_to),
    reason        TEXT NOT NULL DEFAULT '',
    UNIQUE (case_id, step)
);

-- 年审: the annual re-survey of a live case
CREATE TABLE hardship_reviews (
    id      INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES hardship_cases (id),
    date    TEXT NOT NULL CHECK (date(date) = date),
    clerk   TEXT NOT NULL DEFAULT '',
    note    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hardship_reviews_case ON hardship_reviews (case_id, date);

-- 帮扶措施 and their action logs
CREATE TABLE hardship_measures (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES hardship_cases (id),
    kind       TEXT NOT NULL CHECK (kind IN ('guidance','living','knowledge','employment',
               'medical','project','psychological')),
    plan       TEXT NOT NULL DEFAULT '',
    start_date TEXT CHECK (start_date IS NULL OR date(start_date) = start_date)
);
CREATE TABLE hardship_measure_actions (
    id         INTEGER PRIMARY KEY,
    measure_id INTEGER NOT NULL REFERENCES hardship_measures (id),
    date       TEXT NOT NULL CHECK (date(date) = date),
    action     TEXT NOT NULL
);

-- 结对帮扶: a helper is a member of the roster or a named unit
CREATE TABLE hardship_helpers (
    id               INTEGER PRIMARY KEY,
    case_id          INTEGER NOT NULL REFERENCES hardship_cases (id),
    helper_member_id INTEGER REFERENCES members (id),
    unit_name        TEXT,
    CHECK ((helper_member_id IS NULL) <> (unit_name IS NULL))
);

-- 定时审计: a closed period is locked
CREATE TABLE audits (
    id                  INTEGER PRIMARY KEY,
    date_from           TEXT NOT NULL CHECK (date(date_from) = date_from),
    date_to             TEXT NOT NULL CHECK (date(date_to) = date_to AND date_to >= date_from),
    auditor             TEXT NOT NULL CHECK (length(trim(auditor)) > 0),
    closed_on           TEXT NOT NULL CHECK (date(closed_on) = closed_on),
    closing_balance_fen INTEGER NOT NULL CHECK (closing_balance_fen >= 0)
);
CREATE TABLE audit_totals (
    audit_id   INTEGER NOT NULL REFERENCES audits (id),
    direction  TEXT NOT NULL CHECK (direction IN ('in','out')),
    category   TEXT NOT NULL,
    amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
    PRIMARY KEY (audit_id, direction, category)
) WITHOUT ROWID;

-- 无息借贷
CREATE TABLE loans (
    id            INTEGER PRIMARY KEY,
    member_id     INTEGER NOT NULL REFERENCES members (id),
    case_id       INTEGER REFERENCES hardship_cases (id),
    principal_fen INTEGER NOT NULL CHECK (principal_fen > 0),
    date          TEXT NOT NULL CHECK (date(date) = date),
    note          TEXT NOT NULL DEFAULT ''
);

-- 帮扶基金: never edited or deleted; a mistake is corrected by a reversal
CREATE TABLE fund_entries (
    id            INTEGER PRIMARY KEY,
    date          TEXT NOT NULL CHECK (date(date) = date),
    direction     TEXT NOT NULL CHECK (direction IN ('in','out')),
    category      TEXT NOT NULL CHECK (
                    (direction = 'in' AND category IN ('fiscal','dues','member_donation',
                     'social_donation','loan_repayment','interest','other'))
                 OR (direction = 'out' AND category IN ('relief','condolence','goods','subsidy',
                     'loan','health_check','training','other'))),
    amount_fen    INTEGER NOT NULL CHECK (amount_fen > 0),
    member_id     INTEGER REFERENCES members (id),
    case_id       INTEGER REFERENCES hardship_cases (id),
    voucher_no    TEXT NOT NULL CHECK (length(trim(voucher_no)) > 0),
    year          INTEGER NOT NULL GENERATED ALWAYS AS (CAST(substr(date, 1, 4) AS INTEGER)) STORED,
    handled_by    TEXT NOT NULL DEFAULT '',
    approved_by   TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    reverses_id   INTEGER UNIQUE REFERENCES fund_entries (id),
    loan_id       INTEGER REFERENCES loans (id),
    subsidy_month TEXT CHECK (subsidy_month IS NULL OR subsidy_month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    created_at    TEXT NOT NULL DEFAULT (datetime('now')),
    -- a payment to a person names the person
    CHECK (direction = 'in' OR category NOT IN ('relief','condolence','subsidy','loan') OR member_id IS NOT NULL),
    UNIQUE (year, voucher_no)
);
CREATE INDEX fund_entries_date ON fund_entries (date);
CREATE INDEX fund_entries_member ON fund_entries (member_id, date);
CREATE UNIQUE INDEX fund_entries_subsidy ON fund_entries (member_id, subsidy_month)
    WHERE subsidy_month IS NOT NULL AND reverses_id IS NULL;

CREATE TRIGGER fund_entries_no_update BEFORE UPDATE ON fund_entries
BEGIN
    SELECT RAISE(ABORT, 'fund entries are never edited: record a reversal');
END;
CREATE TRIGGER fund_entries_no_delete BEFORE DELETE ON fund_entries
BEGIN
    SELECT RAISE(ABORT, 'fund entries are never deleted: record a reversal');
END;
CREATE TRIGGER fund_entries_locked BEFORE INSERT ON fund_entries
WHEN EXISTS (SELECT 1 FROM audits WHERE NEW.date BETWEEN date_from AND date_to)
BEGIN
    SELECT RAISE(ABORT, 'the date is inside an audited (locked) period');
END;
CREATE TRIGGER fund_entries_balance AFTER INSERT ON fund_entries
WHEN (SELECT coalesce(sum(CASE direction WHEN 'in' THEN amount_fen ELSE -amount_fen END), 0)
      FROM fund_entries) < 0
BEGIN
    SELECT RAISE(ABORT, 'the payment is larger than the fund balance');
END;

CREATE TABLE loan_instalments (
    id            INTEGER PRIMARY KEY,
    loan_id       INTEGER NOT NULL REFERENCES loans (id),
    due_date      TEXT NOT NULL CHECK (date(due_date) = due_date),
    amount_fen    INTEGER NOT NULL CHECK (amount_fen > 0),
    paid_entry_id INTEGER UNIQUE REFERENCES fund_entries (id)
);
CREATE INDEX loan_instalments_due ON loan_instalments (due_date) WHERE paid_entry_id IS NULL;

-- 走访慰问 (after fund_entries: a visit's money links to its entry)
CREATE TABLE visits (
    id            INTEGER PRIMARY KEY,
    member_id     INTEGER NOT NULL REFERENCES members (id),
    date          TEXT NOT NULL CHECK (date(date) = date),
    visitor       TEXT NOT NULL DEFAULT '',
    kind          TEXT NOT NULL CHECK (kind IN ('home','hospital','holiday','health_check',
                  'phone','letter','online')),
    goods         TEXT NOT NULL DEFAULT '',
    fund_entry_id INTEGER REFERENCES fund_entries (id),
    notes         TEXT NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE INDEX visits_member ON visits (member_id, date);
CREATE INDEX visits_date ON visits (date);

-- 党员需求调查
CREATE TABLE survey_rounds (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    year       INTEGER NOT NULL,
    started_on TEXT NOT NULL CHECK (date(started_on) = started_on)
);
CREATE TABLE survey_responses (
    id                INTEGER PRIMARY KEY,
    round_id          INTEGER NOT NULL REFERENCES survey_rounds (id),
    member_id         INTEGER NOT NULL REFERENCES members (id),
    date              TEXT NOT NULL CHECK (date(date) = date),
    surveyor          TEXT NOT NULL DEFAULT '',
    ideology          TEXT NOT NULL CHECK (ideology IN ('stable','fluctuating','attention')),
    health            TEXT NOT NULL CHECK (health IN ('good','fair','poor')),
    work_expectations TEXT NOT NULL DEFAULT '',
    opinions          TEXT NOT NULL DEFAULT '',
    follow_up         INTEGER NOT NULL DEFAULT 0 CHECK (follow_up IN (0,1)),
    follow_up_note    TEXT NOT NULL DEFAULT '',
    version           INTEGER NOT NULL DEFAULT 1,
    UNIQUE (round_id, member_id)
);
CREATE TABLE survey_response_needs (
    response_id INTEGER NOT NULL REFERENCES survey_responses (id) ON DELETE CASCADE,
    need        TEXT NOT NULL CHECK (need IN ('medical','employment','education','housing',
                'training','psychological','legal','care','financial','other')),
    PRIMARY KEY (response_id, need)
) WITHOUT ROWID;

-- 表彰 (a member's, or the branch's when member_id is NULL); saving one records a commendation event
CREATE TABLE honours (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER REFERENCES members (id),
    title       TEXT NOT NULL CHECK (title IN ('excellent_member','excellent_worker','advanced_org','other')),
    title_other TEXT NOT NULL DEFAULT '',
    level       TEXT NOT NULL CHECK (level IN ('branch','street','district','city')),
    year        INTEGER NOT NULL,
    date        TEXT NOT NULL CHECK (date(date) = date),
    event_id    INTEGER REFERENCES events (id)
);

-- 处分: records a punishment event
CREATE TABLE disciplines (
    id        INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members (id),
    date      TEXT NOT NULL CHECK (date(date) = date),
    kind      TEXT NOT NULL DEFAULT '',
    note      TEXT NOT NULL DEFAULT '',
    event_id  INTEGER REFERENCES events (id)
);

-- 业绩考核
CREATE TABLE assessments (
    id        INTEGER PRIMARY KEY,
    year      INTEGER NOT NULL,
    member_id INTEGER NOT NULL REFERENCES members (id),
    grade     TEXT NOT NULL CHECK (grade IN ('excellent','good','pass','fail')),
    UNIQUE (year, member_id)
);

-- Keep each member's latest satisfying dates current as talks and visits are written.
CREATE TRIGGER talks_ai AFTER INSERT ON talks
BEGIN
    UPDATE members SET
        last_talk = max(coalesce(last_talk, ''), NEW.date),
        last_contact = max(coalesce(last_contact, ''), NEW.date)
    WHERE id = NEW.member_id;
END;
CREATE TRIGGER visits_ai AFTER INSERT ON visits
BEGIN
    UPDATE members SET
        last_visit = CASE WHEN NEW.kind IN ('home','hospital','holiday')
                     THEN max(coalesce(last_visit, ''), NEW.date) ELSE last_visit END,
        last_health_check = CASE WHEN NEW.kind = 'health_check'
                     THEN max(coalesce(last_health_check, ''), NEW.date) ELSE last_health_check END,
        last_contact = CASE WHEN NEW.kind <> 'health_check'
                     THEN max(coalesce(last_contact, ''), NEW.date) ELSE last_contact END
    WHERE id = NEW.member_id;
END;
-- an edit or a removal may lower the latest date: recompute for the members involved
CREATE TRIGGER talks_au AFTER UPDATE OF member_id, date ON talks
BEGIN
    UPDATE members SET
        last_talk = (SELECT max(date) FROM talks t WHERE t.member_id = members.id),
        last_contact = max(coalesce((SELECT max(date) FROM talks t WHERE t.member_id = members.id), ''),
                           coalesce((SELECT max(date) FROM visits v WHERE v.member_id = members.id
                                     AND v.kind <> 'health_check'), ''))
    WHERE id IN (OLD.member_id, NEW.member_id);
    UPDATE members SET last_contact = NULL WHERE id IN (OLD.member_id, NEW.member_id) AND last_contact = '';
END;
CREATE TRIGGER talks_ad AFTER DELETE ON talks
BEGIN
    UPDATE members SET
        last_talk = (SELECT max(date) FROM talks t WHERE t.member_id = members.id),
        last_contact = max(coalesce((SELECT max(date) FROM talks t WHERE t.member_id = members.id), ''),
                           coalesce((SELECT max(date) FROM visits v WHERE v.member_id = members.id
                                     AND v.kind <> 'health_check'), ''))
    WHERE id = OLD.member_id;
    UPDATE members SET last_contact = NULL WHERE id = OLD.member_id AND last_contact = '';
END;
CREATE TRIGGER visits_au AFTER UPDATE OF member_id, date, kind ON visits
BEGIN
    UPDATE members SET
        last_visit = (SELECT max(date) FROM visits v WHERE v.member_id = members.id
                      AND v.kind IN ('home','hospital','holiday')),
        last_health_check = (SELECT max(date) FROM visits v WHERE v.member_id = members.id
                             AND v.kind = 'health_check'),
        last_contact = max(coalesce((SELECT max(date) FROM talks t WHERE t.member_id = members.id), ''),
                           coalesce((SELECT max(date) FROM visits v WHERE v.member_id = members.id
                                     AND v.kind <> 'health_check'), ''))
    WHERE id IN (OLD.member_id, NEW.member_id);
    UPDATE members SET last_contact = NULL WHERE id IN (OLD.member_id, NEW.member_id) AND last_contact = '';
END;
CREATE TRIGGER visits_ad AFTER DELETE ON visits
BEGIN
    UPDATE members SET
        last_visit = (SELECT max(date) FROM visits v WHERE v.member_id = members.id
                      AND v.kind IN ('home','hospital','holiday')),
        last_health_check = (SELECT max(date) FROM visits v WHERE v.member_id = members.id
                             AND v.kind = 'health_check'),
        last_contact = max(coalesce((SELECT max(date) FROM talks t WHERE t.member_id = members.id), ''),
                           coalesce((SELECT max(date) FROM visits v WHERE v.member_id = members.id
                                     AND v.kind <> 'health_check'), ''))
    WHERE id = OLD.member_id;
    UPDATE members SET last_contact = NULL WHERE id = OLD.member_id AND last_contact = '';
END;

-- migration: 2

-- Campaign progress asks "who was visited in person within the window": this
-- partial index answers it from the index alone, without reading the visits.
CREATE INDEX visits_in_person ON visits (date, member_id) WHERE kind IN ('home','hospital','holiday');

-- migration: 3

-- 更正: talks, visits and events are edited (optimistic, by version) or voided
-- with a reason; a voided record stays, marked, and counts for no rule.
ALTER TABLE talks ADD COLUMN voided_on TEXT CHECK (voided_on IS NULL OR date(voided_on) = voided_on);
ALTER TABLE talks ADD COLUMN void_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE visits ADD COLUMN voided_on TEXT CHECK (voided_on IS NULL OR date(voided_on) = voided_on);
ALTER TABLE visits ADD COLUMN void_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN voided_on TEXT CHECK (voided_on IS NULL OR date(voided_on) = voided_on);
ALTER TABLE events ADD COLUMN void_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- 转出 / 去世: the day the member left the roster, and where a transfer went.
ALTER TABLE members ADD COLUMN left_on TEXT CHECK (left_on IS NULL OR date(left_on) = left_on);
ALTER TABLE members ADD COLUMN left_to TEXT NOT NULL DEFAULT '';

-- The visit kinds made in person (domain: VisitKind::in_person; a test keeps them equal).
CREATE VIEW in_person_kinds (kind) AS VALUES ('home'), ('hospital'), ('holiday');

-- Campaign progress over the visits that count: in person and not voided.
DROP INDEX visits_in_person;
CREATE INDEX visits_in_person ON visits (date, member_id)
    WHERE kind IN ('home','hospital','holiday') AND voided_on IS NULL;

-- The latest satisfying dates ignore voided records, and are recomputed when a
-- record is voided, moved to another date or member, or changes kind.
DROP TRIGGER talks_ai;
DROP TRIGGER visits_ai;
DROP TRIGGER talks_au;
DROP TRIGGER talks_ad;
DROP TRIGGER visits_au;
DROP TRIGGER visits_ad;

-- what a member's cached dates are, from the records themselves
CREATE VIEW member_latest (member_id, last_talk, last_visit, last_health_check, last_contact) AS
SELECT m.id,
       (SELECT max(date) FROM talks t WHERE t.member_id = m.id AND t.voided_on IS NULL),
       (SELECT max(date) FROM visits v WHERE v.member_id = m.id AND v.voided_on IS NULL
        AND v.kind IN (SELECT kind FROM in_person_kinds)),
       (SELECT max(date) FROM visits v WHERE v.member_id = m.id AND v.voided_on IS NULL
        AND v.kind = 'health_check'),
       nullif(max(coalesce((SELECT max(date) FROM talks t WHERE t.member_id = m.id
                            AND t.voided_on IS NULL), ''),
                  coalesce((SELECT max(date) FROM visits v WHERE v.member_id = m.id
                            AND v.voided_on IS NULL AND v.kind <> 'health_check'), '')), '')
FROM members m;

CREATE TRIGGER talks_ai AFTER INSERT ON talks WHEN NEW.voided_on IS NULL
BEGIN
    UPDATE members SET
        last_talk = max(coalesce(last_talk, ''), NEW.date),
        last_contact = max(coalesce(last_contact, ''), NEW.date)
    WHERE id = NEW.member_id;
END;
CREATE TRIGGER visits_ai AFTER INSERT ON visits WHEN NEW.voided_on IS NULL
BEGIN
    UPDATE members SET
        last_visit = CASE WHEN NEW.kind IN (SELECT kind FROM in_person_kinds)
                     THEN max(coalesce(last_visit, ''), NEW.date) ELSE last_visit END,
        last_health_check = CASE WHEN NEW.kind = 'health_check'
                     THEN max(coalesce(last_health_check, ''), NEW.date) ELSE last_health_check END,
        last_contact = CASE WHEN NEW.kind <> 'health_check'
                     THEN max(coalesce(last_contact, ''), NEW.date) ELSE last_contact END
    WHERE id = NEW.member_id;
END;
CREATE TRIGGER talks_au AFTER UPDATE OF member_id, date, voided_on ON talks
BEGIN
    UPDATE members SET
        (last_talk, last_visit, last_health_check, last_contact) =
        (SELECT last_talk, last_visit, last_health_check, last_contact
         FROM member_latest l WHERE l.member_id = members.id)
    WHERE id IN (OLD.member_id, NEW.member_id);
END;
CREATE TRIGGER talks_ad AFTER DELETE ON talks
BEGIN
    UPDATE members SET
        (last_talk, last_visit, last_health_check, last_contact) =
        (SELECT last_talk, last_visit, last_health_check, last_contact
         FROM member_latest l WHERE l.member_id = members.id)
    WHERE id = OLD.member_id;
END;
CREATE TRIGGER visits_au AFTER UPDATE OF member_id, date, kind, voided_on ON visits
BEGIN
    UPDATE members SET
        (last_talk, last_visit, last_health_check, last_contact) =
        (SELECT last_talk, last_visit, last_health_check, last_contact
         FROM member_latest l WHERE l.member_id = members.id)
    WHERE id IN (OLD.member_id, NEW.member_id);
END;
CREATE TRIGGER visits_ad AFTER DELETE ON visits
BEGIN
    UPDATE members SET
        (last_talk, last_visit, last_health_check, last_contact) =
        (SELECT last_talk, last_visit, last_health_check, last_contact
         FROM member_latest l WHERE l.member_id = members.id)
    WHERE id = OLD.member_id;
END;

-- 操作日志: one row per changed record, written by the triggers below in the
-- writing transaction; old and new values are JSON with ID numbers masked.
-- Who, when (to the second) and through which action are stored once, as a
-- session that the rows of that second share.
CREATE TABLE audit_sessions (
    id     INTEGER PRIMARY KEY,
    at     TEXT NOT NULL,                 -- local time 'YYYY-MM-DD HH:MM:SS'
    user   TEXT NOT NULL,                 -- OS user
    action TEXT NOT NULL,                 -- e.g. 'import members', 'form: member edit'
    UNIQUE (at, user, action)
);
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL,          -- audit_sessions (id)
    tbl        TEXT NOT NULL,
    record_id  INTEGER NOT NULL,
    op         TEXT NOT NULL CHECK (op IN ('insert','update','delete')),
    old        TEXT,
    new        TEXT
);
CREATE INDEX audit_log_record ON audit_log (tbl, record_id, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is never edited');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is never deleted');
END;
CREATE TRIGGER audit_sessions_no_update BEFORE UPDATE ON audit_sessions
BEGIN
    SELECT RAISE(ABORT, 'the audit log is never edited');
END;
CREATE TRIGGER audit_sessions_no_delete BEFORE DELETE ON audit_sessions
BEGIN
    SELECT RAISE(ABORT, 'the audit log is never deleted');
END;

-- Who writes now: set by db::audit at the start of every write transaction
-- (written only when it changes, so a write that changes nothing leaves the
-- file as it was). A write from outside guanhuai is logged with no user or action.
CREATE TABLE audit_actor (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    user   TEXT NOT NULL,
    action TEXT NOT NULL
);
CREATE VIEW audit_now (at, user, action) AS
SELECT datetime('now', 'localtime'), coalesce(a.user, ''), coalesce(a.action, '')
FROM (SELECT 1) LEFT JOIN audit_actor a ON a.id = 1;

-- The audit triggers: one alike set of three per table a clerk's work writes
-- (db::audit's tests check that every such table has them).
-- An insert logs the values that are set (no NULL, empty text or false flag), a
-- delete the values that were; an update the fields that changed, old and new
-- (json_patch drops NULL members, so a field set from or to NULL is on one
-- side only). ID numbers are masked. Members' cached last_* dates, sort keys
-- and timestamps are not logged.
CREATE TRIGGER members_audit_insert AFTER INSERT ON members
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'members', NEW.id, 'insert',
        NULL,
        json_patch('{}', json_object('code', nullif(NEW.code, ''), 'name', nullif(NEW.name, ''), 'gender', nullif(NEW.gender, ''), 'birth_date', nullif(NEW.birth_date, ''), 'id_number', nullif(CASE WHEN NEW.id_number IS NULL THEN NULL ELSE substr(NEW.id_number, 1, 4) || '**********' || substr(NEW.id_number, -4) END, ''), 'phone', nullif(NEW.phone, ''), 'joined_on', nullif(NEW.joined_on, ''), 'membership', nullif(NEW.membership, ''), 'status', nullif(NEW.status, ''), 'employment', nullif(NEW.employment, ''), 'registered_on', nullif(NEW.registered_on, ''), 'mobile', nullif(NEW.mobile, 0), 'mobile_since', nullif(NEW.mobile_since, ''), 'whereabouts', nullif(NEW.whereabouts, ''), 'contact', nullif(NEW.contact, ''), 'honorary', nullif(NEW.honorary, 0), 'honorary_since', nullif(NEW.honorary_since, ''), 'low_income', nullif(NEW.low_income, 0), 'no_fixed_income', nullif(NEW.no_fixed_income, 0), 'living_alone', nullif(NEW.living_alone, 0), 'disabled', nullif(NEW.disabled, 0), 'chronic_ill', nullif(NEW.chronic_ill, 0), 'notes', nullif(NEW.notes, ''), 'left_on', nullif(NEW.left_on, ''), 'left_to', nullif(NEW.left_to, '')))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER members_audit_update AFTER UPDATE OF code, name, gender, birth_date, id_number, phone, joined_on, membership, status, employment, registered_on, mobile, mobile_since, whereabouts, contact, honorary, honorary_since, low_income, no_fixed_income, living_alone, disabled, chronic_ill, notes, left_on, left_to ON members
WHEN OLD.code IS NOT NEW.code OR OLD.name IS NOT NEW.name OR OLD.gender IS NOT NEW.gender OR OLD.birth_date IS NOT NEW.birth_date OR OLD.id_number IS NOT NEW.id_number OR OLD.phone IS NOT NEW.phone OR OLD.joined_on IS NOT NEW.joined_on OR OLD.membership IS NOT NEW.membership OR OLD.status IS NOT NEW.status OR OLD.employment IS NOT NEW.employment OR OLD.registered_on IS NOT NEW.registered_on OR OLD.mobile IS NOT NEW.mobile OR OLD.mobile_since IS NOT NEW.mobile_since OR OLD.whereabouts IS NOT NEW.whereabouts OR OLD.contact IS NOT NEW.contact OR OLD.honorary IS NOT NEW.honorary OR OLD.honorary_since IS NOT NEW.honorary_since OR OLD.low_income IS NOT NEW.low_income OR OLD.no_fixed_income IS NOT NEW.no_fixed_income OR OLD.living_alone IS NOT NEW.living_alone OR OLD.disabled IS NOT NEW.disabled OR OLD.chronic_ill IS NOT NEW.chronic_ill OR OLD.notes IS NOT NEW.notes OR OLD.left_on IS NOT NEW.left_on OR OLD.left_to IS NOT NEW.left_to
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'members', NEW.id, 'update',
        json_patch('{}', json_object('code', CASE WHEN OLD.code IS NOT NEW.code THEN OLD.code END, 'name', CASE WHEN OLD.name IS NOT NEW.name THEN OLD.name END, 'gender', CASE WHEN OLD.gender IS NOT NEW.gender THEN OLD.gender END, 'birth_date', CASE WHEN OLD.birth_date IS NOT NEW.birth_date THEN OLD.birth_date END, 'id_number', CASE WHEN OLD.id_number IS NOT NEW.id_number THEN CASE WHEN OLD.id_number IS NULL THEN NULL ELSE substr(OLD.id_number, 1, 4) || '**********' || substr(OLD.id_number, -4) END END, 'phone', CASE WHEN OLD.phone IS NOT NEW.phone THEN OLD.phone END, 'joined_on', CASE WHEN OLD.joined_on IS NOT NEW.joined_on THEN OLD.joined_on END, 'membership', CASE WHEN OLD.membership IS NOT NEW.membership THEN OLD.membership END, 'status', CASE WHEN OLD.status IS NOT NEW.status THEN OLD.status END, 'employment', CASE WHEN OLD.employment IS NOT NEW.employment THEN OLD.employment END, 'registered_on', CASE WHEN OLD.registered_on IS NOT NEW.registered_on THEN OLD.registered_on END, 'mobile', CASE WHEN OLD.mobile IS NOT NEW.mobile THEN OLD.mobile END, 'mobile_since', CASE WHEN OLD.mobile_since IS NOT NEW.mobile_since THEN OLD.mobile_since END, 'whereabouts', CASE WHEN OLD.whereabouts IS NOT NEW.whereabouts THEN OLD.whereabouts END, 'contact', CASE WHEN OLD.contact IS NOT NEW.contact THEN OLD.contact END, 'honorary', CASE WHEN OLD.honorary IS NOT NEW.honorary THEN OLD.honorary END, 'honorary_since', CASE WHEN OLD.honorary_since IS NOT NEW.honorary_since THEN OLD.honorary_since END, 'low_income', CASE WHEN OLD.low_income IS NOT NEW.low_income THEN OLD.low_income END, 'no_fixed_income', CASE WHEN OLD.no_fixed_income IS NOT NEW.no_fixed_income THEN OLD.no_fixed_income END, 'living_alone', CASE WHEN OLD.living_alone IS NOT NEW.living_alone THEN OLD.living_alone END, 'disabled', CASE WHEN OLD.disabled IS NOT NEW.disabled THEN OLD.disabled END, 'chronic_ill', CASE WHEN OLD.chronic_ill IS NOT NEW.chronic_ill THEN OLD.chronic_ill END, 'notes', CASE WHEN OLD.notes IS NOT NEW.notes THEN OLD.notes END, 'left_on', CASE WHEN OLD.left_on IS NOT NEW.left_on THEN OLD.left_on END, 'left_to', CASE WHEN OLD.left_to IS NOT NEW.left_to THEN OLD.left_to END)),
        json_patch('{}', json_object('code', CASE WHEN OLD.code IS NOT NEW.code THEN NEW.code END, 'name', CASE WHEN OLD.name IS NOT NEW.name THEN NEW.name END, 'gender', CASE WHEN OLD.gender IS NOT NEW.gender THEN NEW.gender END, 'birth_date', CASE WHEN OLD.birth_date IS NOT NEW.birth_date THEN NEW.birth_date END, 'id_number', CASE WHEN OLD.id_number IS NOT NEW.id_number THEN CASE WHEN NEW.id_number IS NULL THEN NULL ELSE substr(NEW.id_number, 1, 4) || '**********' || substr(NEW.id_number, -4) END END, 'phone', CASE WHEN OLD.phone IS NOT NEW.phone THEN NEW.phone END, 'joined_on', CASE WHEN OLD.joined_on IS NOT NEW.joined_on THEN NEW.joined_on END, 'membership', CASE WHEN OLD.membership IS NOT NEW.membership THEN NEW.membership END, 'status', CASE WHEN OLD.status IS NOT NEW.status THEN NEW.status END, 'employment', CASE WHEN OLD.employment IS NOT NEW.employment THEN NEW.employment END, 'registered_on', CASE WHEN OLD.registered_on IS NOT NEW.registered_on THEN NEW.registered_on END, 'mobile', CASE WHEN OLD.mobile IS NOT NEW.mobile THEN NEW.mobile END, 'mobile_since', CASE WHEN OLD.mobile_since IS NOT NEW.mobile_since THEN NEW.mobile_since END, 'whereabouts', CASE WHEN OLD.whereabouts IS NOT NEW.whereabouts THEN NEW.whereabouts END, 'contact', CASE WHEN OLD.contact IS NOT NEW.contact THEN NEW.contact END, 'honorary', CASE WHEN OLD.honorary IS NOT NEW.honorary THEN NEW.honorary END, 'honorary_since', CASE WHEN OLD.honorary_since IS NOT NEW.honorary_since THEN NEW.honorary_since END, 'low_income', CASE WHEN OLD.low_income IS NOT NEW.low_income THEN NEW.low_income END, 'no_fixed_income', CASE WHEN OLD.no_fixed_income IS NOT NEW.no_fixed_income THEN NEW.no_fixed_income END, 'living_alone', CASE WHEN OLD.living_alone IS NOT NEW.living_alone THEN NEW.living_alone END, 'disabled', CASE WHEN OLD.disabled IS NOT NEW.disabled THEN NEW.disabled END, 'chronic_ill', CASE WHEN OLD.chronic_ill IS NOT NEW.chronic_ill THEN NEW.chronic_ill END, 'notes', CASE WHEN OLD.notes IS NOT NEW.notes THEN NEW.notes END, 'left_on', CASE WHEN OLD.left_on IS NOT NEW.left_on THEN NEW.left_on END, 'left_to', CASE WHEN OLD.left_to IS NOT NEW.left_to THEN NEW.left_to END))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER members_audit_delete AFTER DELETE ON members
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'members', OLD.id, 'delete',
        json_patch('{}', json_object('code', nullif(OLD.code, ''), 'name', nullif(OLD.name, ''), 'gender', nullif(OLD.gender, ''), 'birth_date', nullif(OLD.birth_date, ''), 'id_number', nullif(CASE WHEN OLD.id_number IS NULL THEN NULL ELSE substr(OLD.id_number, 1, 4) || '**********' || substr(OLD.id_number, -4) END, ''), 'phone', nullif(OLD.phone, ''), 'joined_on', nullif(OLD.joined_on, ''), 'membership', nullif(OLD.membership, ''), 'status', nullif(OLD.status, ''), 'employment', nullif(OLD.employment, ''), 'registered_on', nullif(OLD.registered_on, ''), 'mobile', nullif(OLD.mobile, 0), 'mobile_since', nullif(OLD.mobile_since, ''), 'whereabouts', nullif(OLD.whereabouts, ''), 'contact', nullif(OLD.contact, ''), 'honorary', nullif(OLD.honorary, 0), 'honorary_since', nullif(OLD.honorary_since, ''), 'low_income', nullif(OLD.low_income, 0), 'no_fixed_income', nullif(OLD.no_fixed_income, 0), 'living_alone', nullif(OLD.living_alone, 0), 'disabled', nullif(OLD.disabled, 0), 'chronic_ill', nullif(OLD.chronic_ill, 0), 'notes', nullif(OLD.notes, ''), 'left_on', nullif(OLD.left_on, ''), 'left_to', nullif(OLD.left_to, ''))),
        NULL
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER talks_audit_insert AFTER INSERT ON talks
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'talks', NEW.id, 'insert',
        NULL,
        json_patch('{}', json_object('member_id', nullif(NEW.member_id, ''), 'date', nullif(NEW.date, ''), 'conductor', nullif(NEW.conductor, ''), 'form', nullif(NEW.form, ''), 'summary', nullif(NEW.summary, ''), 'problems', nullif(NEW.problems, ''), 'follow_up', nullif(NEW.follow_up, 0), 'follow_up_note', nullif(NEW.follow_up_note, ''), 'voided_on', nullif(NEW.voided_on, ''), 'void_reason', nullif(NEW.void_reason, '')))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER talks_audit_update AFTER UPDATE OF member_id, date, conductor, form, summary, problems, follow_up, follow_up_note, voided_on, void_reason ON talks
WHEN OLD.member_id IS NOT NEW.member_id OR OLD.date IS NOT NEW.date OR OLD.conductor IS NOT NEW.conductor OR OLD.form IS NOT NEW.form OR OLD.summary IS NOT NEW.summary OR OLD.problems IS NOT NEW.problems OR OLD.follow_up IS NOT NEW.follow_up OR OLD.follow_up_note IS NOT NEW.follow_up_note OR OLD.voided_on IS NOT NEW.voided_on OR OLD.void_reason IS NOT NEW.void_reason
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'talks', NEW.id, 'update',
        json_patch('{}', json_object('member_id', CASE WHEN OLD.member_id IS NOT NEW.member_id THEN OLD.member_id END, 'date', CASE WHEN OLD.date IS NOT NEW.date THEN OLD.date END, 'conductor', CASE WHEN OLD.conductor IS NOT NEW.conductor THEN OLD.conductor END, 'form', CASE WHEN OLD.form IS NOT NEW.form THEN OLD.form END, 'summary', CASE WHEN OLD.summary IS NOT NEW.summary THEN OLD.summary END, 'problems', CASE WHEN OLD.problems IS NOT NEW.problems THEN OLD.problems END, 'follow_up', CASE WHEN OLD.follow_up IS NOT NEW.follow_up THEN OLD.follow_up END, 'follow_up_note', CASE WHEN OLD.follow_up_note IS NOT NEW.follow_up_note THEN OLD.follow_up_note END, 'voided_on', CASE WHEN OLD.voided_on IS NOT NEW.voided_on THEN OLD.voided_on END, 'void_reason', CASE WHEN OLD.void_reason IS NOT NEW.void_reason THEN OLD.void_reason END)),
        json_patch('{}', json_object('member_id', CASE WHEN OLD.member_id IS NOT NEW.member_id THEN NEW.member_id END, 'date', CASE WHEN OLD.date IS NOT NEW.date THEN NEW.date END, 'conductor', CASE WHEN OLD.conductor IS NOT NEW.conductor THEN NEW.conductor END, 'form', CASE WHEN OLD.form IS NOT NEW.form THEN NEW.form END, 'summary', CASE WHEN OLD.summary IS NOT NEW.summary THEN NEW.summary END, 'problems', CASE WHEN OLD.problems IS NOT NEW.problems THEN NEW.problems END, 'follow_up', CASE WHEN OLD.follow_up IS NOT NEW.follow_up THEN NEW.follow_up END, 'follow_up_note', CASE WHEN OLD.follow_up_note IS NOT NEW.follow_up_note THEN NEW.follow_up_note END, 'voided_on', CASE WHEN OLD.voided_on IS NOT NEW.voided_on THEN NEW.voided_on END, 'void_reason', CASE WHEN OLD.void_reason IS NOT NEW.void_reason THEN NEW.void_reason END))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER talks_audit_delete AFTER DELETE ON talks
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'talks', OLD.id, 'delete',
        json_patch('{}', json_object('member_id', nullif(OLD.member_id, ''), 'date', nullif(OLD.date, ''), 'conductor', nullif(OLD.conductor, ''), 'form', nullif(OLD.form, ''), 'summary', nullif(OLD.summary, ''), 'problems', nullif(OLD.problems, ''), 'follow_up', nullif(OLD.follow_up, 0), 'follow_up_note', nullif(OLD.follow_up_note, ''), 'voided_on', nullif(OLD.voided_on, ''), 'void_reason', nullif(OLD.void_reason, ''))),
        NULL
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER visits_audit_insert AFTER INSERT ON visits
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'visits', NEW.id, 'insert',
        NULL,
        json_patch('{}', json_object('member_id', nullif(NEW.member_id, ''), 'date', nullif(NEW.date, ''), 'visitor', nullif(NEW.visitor, ''), 'kind', nullif(NEW.kind, ''), 'goods', nullif(NEW.goods, ''), 'fund_entry_id', nullif(NEW.fund_entry_id, ''), 'notes', nullif(NEW.notes, ''), 'voided_on', nullif(NEW.voided_on, ''), 'void_reason', nullif(NEW.void_reason, '')))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER visits_audit_update AFTER UPDATE OF member_id, date, visitor, kind, goods, fund_entry_id, notes, voided_on, void_reason ON visits
WHEN OLD.member_id IS NOT NEW.member_id OR OLD.date IS NOT NEW.date OR OLD.visitor IS NOT NEW.visitor OR OLD.kind IS NOT NEW.kind OR OLD.goods IS NOT NEW.goods OR OLD.fund_entry_id IS NOT NEW.fund_entry_id OR OLD.notes IS NOT NEW.notes OR OLD.voided_on IS NOT NEW.voided_on OR OLD.void_reason IS NOT NEW.void_reason
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'visits', NEW.id, 'update',
        json_patch('{}', json_object('member_id', CASE WHEN OLD.member_id IS NOT NEW.member_id THEN OLD.member_id END, 'date', CASE WHEN OLD.date IS NOT NEW.date THEN OLD.date END, 'visitor', CASE WHEN OLD.visitor IS NOT NEW.visitor THEN OLD.visitor END, 'kind', CASE WHEN OLD.kind IS NOT NEW.kind THEN OLD.kind END, 'goods', CASE WHEN OLD.goods IS NOT NEW.goods THEN OLD.goods END, 'fund_entry_id', CASE WHEN OLD.fund_entry_id IS NOT NEW.fund_entry_id THEN OLD.fund_entry_id END, 'notes', CASE WHEN OLD.notes IS NOT NEW.notes THEN OLD.notes END, 'voided_on', CASE WHEN OLD.voided_on IS NOT NEW.voided_on THEN OLD.voided_on END, 'void_reason', CASE WHEN OLD.void_reason IS NOT NEW.void_reason THEN OLD.void_reason END)),
        json_patch('{}', json_object('member_id', CASE WHEN OLD.member_id IS NOT NEW.member_id THEN NEW.member_id END, 'date', CASE WHEN OLD.date IS NOT NEW.date THEN NEW.date END, 'visitor', CASE WHEN OLD.visitor IS NOT NEW.visitor THEN NEW.visitor END, 'kind', CASE WHEN OLD.kind IS NOT NEW.kind THEN NEW.kind END, 'goods', CASE WHEN OLD.goods IS NOT NEW.goods THEN NEW.goods END, 'fund_entry_id', CASE WHEN OLD.fund_entry_id IS NOT NEW.fund_entry_id THEN NEW.fund_entry_id END, 'notes', CASE WHEN OLD.notes IS NOT NEW.notes THEN NEW.notes END, 'voided_on', CASE WHEN OLD.voided_on IS NOT NEW.voided_on THEN NEW.voided_on END, 'void_reason', CASE WHEN OLD.void_reason IS NOT NEW.void_reason THEN NEW.void_reason END))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER visits_audit_delete AFTER DELETE ON visits
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'visits', OLD.id, 'delete',
        json_patch('{}', json_object('member_id', nullif(OLD.member_id, ''), 'date', nullif(OLD.date, ''), 'visitor', nullif(OLD.visitor, ''), 'kind', nullif(OLD.kind, ''), 'goods', nullif(OLD.goods, ''), 'fund_entry_id', nullif(OLD.fund_entry_id, ''), 'notes', nullif(OLD.notes, ''), 'voided_on', nullif(OLD.voided_on, ''), 'void_reason', nullif(OLD.void_reason, ''))),
        NULL
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER events_audit_insert AFTER INSERT ON events
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'events', NEW.id, 'insert',
        NULL,
        json_patch('{}', json_object('member_id', nullif(NEW.member_id, ''), 'date', nullif(NEW.date, ''), 'kind', nullif(NEW.kind, ''), 'note', nullif(NEW.note, ''), 'voided_on', nullif(NEW.voided_on, ''), 'void_reason', nullif(NEW.void_reason, '')))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER events_audit_update AFTER UPDATE OF member_id, date, kind, note, voided_on, void_reason ON events
WHEN OLD.member_id IS NOT NEW.member_id OR OLD.date IS NOT NEW.date OR OLD.kind IS NOT NEW.kind OR OLD.note IS NOT NEW.note OR OLD.voided_on IS NOT NEW.voided_on OR OLD.void_reason IS NOT NEW.void_reason
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'events', NEW.id, 'update',
        json_patch('{}', json_object('member_id', CASE WHEN OLD.member_id IS NOT NEW.member_id THEN OLD.member_id END, 'date', CASE WHEN OLD.date IS NOT NEW.date THEN OLD.date END, 'kind', CASE WHEN OLD.kind IS NOT NEW.kind THEN OLD.kind END, 'note', CASE WHEN OLD.note IS NOT NEW.note THEN OLD.note END, 'voided_on', CASE WHEN OLD.voided_on IS NOT NEW.voided_on THEN OLD.voided_on END, 'void_reason', CASE WHEN OLD.void_reason IS NOT NEW.void_reason THEN OLD.void_reason END)),
        json_patch('{}', json_object('member_id', CASE WHEN OLD.member_id IS NOT NEW.member_id THEN NEW.member_id END, 'date', CASE WHEN OLD.date IS NOT NEW.date THEN NEW.date END, 'kind', CASE WHEN OLD.kind IS NOT NEW.kind THEN NEW.kind END, 'note', CASE WHEN OLD.note IS NOT NEW.note THEN NEW.note END, 'voided_on', CASE WHEN OLD.voided_on IS NOT NEW.voided_on THEN NEW.voided_on END, 'void_reason', CASE WHEN OLD.void_reason IS NOT NEW.void_reason THEN NEW.void_reason END))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER events_audit_delete AFTER DELETE ON events
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'events', OLD.id, 'delete',
        json_patch('{}', json_object('member_id', nullif(OLD.member_id, ''), 'date', nullif(OLD.date, ''), 'kind', nullif(OLD.kind, ''), 'note', nullif(OLD.note, ''), 'voided_on', nullif(OLD.voided_on, ''), 'void_reason', nullif(OLD.void_reason, ''))),
        NULL
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER hardship_cases_audit_insert AFTER INSERT ON hardship_cases
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'hardship_cases', NEW.id, 'insert',
        NULL,
        json_patch('{}', json_object('member_id', nullif(NEW.member_id, ''), 'year', nullif(NEW.year, ''), 'cause', nullif(NEW.cause, ''), 'family_situation', nullif(NEW.family_situation, ''), 'family_members', nullif(NEW.family_members, ''), 'family_income_fen', nullif(NEW.family_income_fen, ''), 'priority', nullif(NEW.priority, ''), 'state', nullif(NEW.state, ''), 'approved_on', nullif(NEW.approved_on, '')))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER hardship_cases_audit_update AFTER UPDATE OF member_id, year, cause, family_situation, family_members, family_income_fen, priority, state, approved_on ON hardship_cases
WHEN OLD.member_id IS NOT NEW.member_id OR OLD.year IS NOT NEW.year OR OLD.cause IS NOT NEW.cause OR OLD.family_situation IS NOT NEW.family_situation OR OLD.family_members IS NOT NEW.family_members OR OLD.family_income_fen IS NOT NEW.family_income_fen OR OLD.priority IS NOT NEW.priority OR OLD.state IS NOT NEW.state OR OLD.approved_on IS NOT NEW.approved_on
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'hardship_cases', NEW.id, 'update',
        json_patch('{}', json_object('member_id', CASE WHEN OLD.member_id IS NOT NEW.member_id THEN OLD.member_id END, 'year', CASE WHEN OLD.year IS NOT NEW.year THEN OLD.year END, 'cause', CASE WHEN OLD.cause IS NOT NEW.cause THEN OLD.cause END, 'family_situation', CASE WHEN OLD.family_situation IS NOT NEW.family_situation THEN OLD.family_situation END, 'family_members', CASE WHEN OLD.family_members IS NOT NEW.family_members THEN OLD.family_members END, 'family_income_fen', CASE WHEN OLD.family_income_fen IS NOT NEW.family_income_fen THEN OLD.family_income_fen END, 'priority', CASE WHEN OLD.priority IS NOT NEW.priority THEN OLD.priority END, 'state', CASE WHEN OLD.state IS NOT NEW.state THEN OLD.state END, 'approved_on', CASE WHEN OLD.approved_on IS NOT NEW.approved_on THEN OLD.approved_on END)),
        json_patch('{}', json_object('member_id', CASE WHEN OLD.member_id IS NOT NEW.member_id THEN NEW.member_id END, 'year', CASE WHEN OLD.year IS NOT NEW.year THEN NEW.year END, 'cause', CASE WHEN OLD.cause IS NOT NEW.cause THEN NEW.cause END, 'family_situation', CASE WHEN OLD.family_situation IS NOT NEW.family_situation THEN NEW.family_situation END, 'family_members', CASE WHEN OLD.family_members IS NOT NEW.family_members THEN NEW.family_members END, 'family_income_fen', CASE WHEN OLD.family_income_fen IS NOT NEW.family_income_fen THEN NEW.family_income_fen END, 'priority', CASE WHEN OLD.priority IS NOT NEW.priority THEN NEW.priority END, 'state', CASE WHEN OLD.state IS NOT NEW.state THEN NEW.state END, 'approved_on', CASE WHEN OLD.approved_on IS NOT NEW.approved_on THEN NEW.approved_on END))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER hardship_cases_audit_delete AFTER DELETE ON hardship_cases
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'hardship_cases', OLD.id, 'delete',
        json_patch('{}', json_object('member_id', nullif(OLD.member_id, ''), 'year', nullif(OLD.year, ''), 'cause', nullif(OLD.cause, ''), 'family_situation', nullif(OLD.family_situation, ''), 'family_members', nullif(OLD.family_members, ''), 'family_income_fen', nullif(OLD.family_income_fen, ''), 'priority', nullif(OLD.priority, ''), 'state', nullif(OLD.state, ''), 'approved_on', nullif(OLD.approved_on, ''))),
        NULL
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER hardship_case_categories_audit_insert AFTER INSERT ON hardship_case_categories
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'hardship_case_categories', NEW.case_id, 'insert',
        NULL,
        json_patch('{}', json_object('category', nullif(NEW.category, '')))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER hardship_case_categories_audit_update AFTER UPDATE OF category ON hardship_case_categories
WHEN OLD.category IS NOT NEW.category
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'hardship_case_categories', NEW.case_id, 'update',
        json_patch('{}', json_object('category', CASE WHEN OLD.category IS NOT NEW.category THEN OLD.category END)),
        json_patch('{}', json_object('category', CASE WHEN OLD.category IS NOT NEW.category THEN NEW.category END))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER hardship_case_categories_audit_delete AFTER DELETE ON hardship_case_categories
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'hardship_case_categories', OLD.case_id, 'delete',
        json_patch('{}', json_object('category', nullif(OLD.category, ''))),
        NULL
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER hardship_steps_audit_insert AFTER INSERT ON hardship_steps
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'hardship_steps', NEW.id, 'insert',
        NULL,
        json_patch('{}', json_object('case_id', nullif(NEW.case_id, ''), 'step', nullif(NEW.step, ''), 'date', nullif(NEW.date, ''), 'clerk', nullif(NEW.clerk, ''), 'votes_for', nullif(NEW.votes_for, ''), 'votes_against', nullif(NEW.votes_against, ''), 'votes_abstain', nullif(NEW.votes_abstain, ''), 'public_from', nullif(NEW.public_from, ''), 'public_to', nullif(NEW.public_to, ''), 'reason', nullif(NEW.reason, '')))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER hardship_steps_audit_update AFTER UPDATE OF case_id, step, date, clerk, votes_for, votes_against, votes_abstain, public_from, public_to, reason ON hardship_steps
WHEN OLD.case_id IS NOT NEW.case_id OR OLD.step IS NOT NEW.step OR OLD.date IS NOT NEW.date OR OLD.clerk IS NOT NEW.clerk OR OLD.votes_for IS NOT NEW.votes_for OR OLD.votes_against IS NOT NEW.votes_against OR OLD.votes_abstain IS NOT NEW.votes_abstain OR OLD.public_from IS NOT NEW.public_from OR OLD.public_to IS NOT NEW.public_to OR OLD.reason IS NOT NEW.reason
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'hardship_steps', NEW.id, 'update',
        json_patch('{}', json_object('case_id', CASE WHEN OLD.case_id IS NOT NEW.case_id THEN OLD.case_id END, 'step', CASE WHEN OLD.step IS NOT NEW.step THEN OLD.step END, 'date', CASE WHEN OLD.date IS NOT NEW.date THEN OLD.date END, 'clerk', CASE WHEN OLD.clerk IS NOT NEW.clerk THEN OLD.clerk END, 'votes_for', CASE WHEN OLD.votes_for IS NOT NEW.votes_for THEN OLD.votes_for END, 'votes_against', CASE WHEN OLD.votes_against IS NOT NEW.votes_against THEN OLD.votes_against END, 'votes_abstain', CASE WHEN OLD.votes_abstain IS NOT NEW.votes_abstain THEN OLD.votes_abstain END, 'public_from', CASE WHEN OLD.public_from IS NOT NEW.public_from THEN OLD.public_from END, 'public_to', CASE WHEN OLD.public_to IS NOT NEW.public_to THEN OLD.public_to END, 'reason', CASE WHEN OLD.reason IS NOT NEW.reason THEN OLD.reason END)),
        json_patch('{}', json_object('case_id', CASE WHEN OLD.case_id IS NOT NEW.case_id THEN NEW.case_id END, 'step', CASE WHEN OLD.step IS NOT NEW.step THEN NEW.step END, 'date', CASE WHEN OLD.date IS NOT NEW.date THEN NEW.date END, 'clerk', CASE WHEN OLD.clerk IS NOT NEW.clerk THEN NEW.clerk END, 'votes_for', CASE WHEN OLD.votes_for IS NOT NEW.votes_for THEN NEW.votes_for END, 'votes_against', CASE WHEN OLD.votes_against IS NOT NEW.votes_against THEN NEW.votes_against END, 'votes_abstain', CASE WHEN OLD.votes_abstain IS NOT NEW.votes_abstain THEN NEW.votes_abstain END, 'public_from', CASE WHEN OLD.public_from IS NOT NEW.public_from THEN NEW.public_from END, 'public_to', CASE WHEN OLD.public_to IS NOT NEW.public_to THEN NEW.public_to END, 'reason', CASE WHEN OLD.reason IS NOT NEW.reason THEN NEW.reason END))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER hardship_steps_audit_delete AFTER DELETE ON hardship_steps
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'hardship_steps', OLD.id, 'delete',
        json_patch('{}', json_object('case_id', nullif(OLD.case_id, ''), 'step', nullif(OLD.step, ''), 'date', nullif(OLD.date, ''), 'clerk', nullif(OLD.clerk, ''), 'votes_for', nullif(OLD.votes_for, ''), 'votes_against', nullif(OLD.votes_against, ''), 'votes_abstain', nullif(OLD.votes_abstain, ''), 'public_from', nullif(OLD.public_from, ''), 'public_to', nullif(OLD.public_to, ''), 'reason', nullif(OLD.reason, ''))),
        NULL
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER hardship_reviews_audit_insert AFTER INSERT ON hardship_reviews
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'hardship_reviews', NEW.id, 'insert',
        NULL,
        json_patch('{}', json_object('case_id', nullif(NEW.case_id, ''), 'date', nullif(NEW.date, ''), 'clerk', nullif(NEW.clerk, ''), 'note', nullif(NEW.note, '')))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER hardship_reviews_audit_update AFTER UPDATE OF case_id, date, clerk, note ON hardship_reviews
WHEN OLD.case_id IS NOT NEW.case_id OR OLD.date IS NOT NEW.date OR OLD.clerk IS NOT NEW.clerk OR OLD.note IS NOT NEW.note
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'hardship_reviews', NEW.id, 'update',
        json_patch('{}', json_object('case_id', CASE WHEN OLD.case_id IS NOT NEW.case_id THEN OLD.case_id END, 'date', CASE WHEN OLD.date IS NOT NEW.date THEN OLD.date END, 'clerk', CASE WHEN OLD.clerk IS NOT NEW.clerk THEN OLD.clerk END, 'note', CASE WHEN OLD.note IS NOT NEW.note THEN OLD.note END)),
        json_patch('{}', json_object('case_id', CASE WHEN OLD.case_id IS NOT NEW.case_id THEN NEW.case_id END, 'date', CASE WHEN OLD.date IS NOT NEW.date THEN NEW.date END, 'clerk', CASE WHEN OLD.clerk IS NOT NEW.clerk THEN NEW.clerk END, 'note', CASE WHEN OLD.note IS NOT NEW.note THEN NEW.note END))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER hardship_reviews_audit_delete AFTER DELETE ON hardship_reviews
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'hardship_reviews', OLD.id, 'delete',
        json_patch('{}', json_object('case_id', nullif(OLD.case_id, ''), 'date', nullif(OLD.date, ''), 'clerk', nullif(OLD.clerk, ''), 'note', nullif(OLD.note, ''))),
        NULL
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER campaigns_audit_insert AFTER INSERT ON campaigns
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'campaigns', NEW.id, 'insert',
        NULL,
        json_patch('{}', json_object('name', nullif(NEW.name, ''), 'date_from', nullif(NEW.date_from, ''), 'date_to', nullif(NEW.date_to, '')))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER campaigns_audit_update AFTER UPDATE OF name, date_from, date_to ON campaigns
WHEN OLD.name IS NOT NEW.name OR OLD.date_from IS NOT NEW.date_from OR OLD.date_to IS NOT NEW.date_to
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'campaigns', NEW.id, 'update',
        json_patch('{}', json_object('name', CASE WHEN OLD.name IS NOT NEW.name THEN OLD.name END, 'date_from', CASE WHEN OLD.date_from IS NOT NEW.date_from THEN OLD.date_from END, 'date_to', CASE WHEN OLD.date_to IS NOT NEW.date_to THEN OLD.date_to END)),
        json_patch('{}', json_object('name', CASE WHEN OLD.name IS NOT NEW.name THEN NEW.name END, 'date_from', CASE WHEN OLD.date_from IS NOT NEW.date_from THEN NEW.date_from END, 'date_to', CASE WHEN OLD.date_to IS NOT NEW.date_to THEN NEW.date_to END))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER campaigns_audit_delete AFTER DELETE ON campaigns
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'campaigns', OLD.id, 'delete',
        json_patch('{}', json_object('name', nullif(OLD.name, ''), 'date_from', nullif(OLD.date_from, ''), 'date_to', nullif(OLD.date_to, ''))),
        NULL
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER campaign_targets_audit_insert AFTER INSERT ON campaign_targets
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'campaign_targets', NEW.campaign_id, 'insert',
        NULL,
        json_patch('{}', json_object('target', nullif(NEW.target, '')))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER campaign_targets_audit_update AFTER UPDATE OF target ON campaign_targets
WHEN OLD.target IS NOT NEW.target
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'campaign_targets', NEW.campaign_id, 'update',
        json_patch('{}', json_object('target', CASE WHEN OLD.target IS NOT NEW.target THEN OLD.target END)),
        json_patch('{}', json_object('target', CASE WHEN OLD.target IS NOT NEW.target THEN NEW.target END))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER campaign_targets_audit_delete AFTER DELETE ON campaign_targets
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'campaign_targets', OLD.campaign_id, 'delete',
        json_patch('{}', json_object('target', nullif(OLD.target, ''))),
        NULL
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER fund_entries_audit_insert AFTER INSERT ON fund_entries
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'fund_entries', NEW.id, 'insert',
        NULL,
        json_patch('{}', json_object('date', nullif(NEW.date, ''), 'direction', nullif(NEW.direction, ''), 'category', nullif(NEW.category, ''), 'amount_fen', nullif(NEW.amount_fen, ''), 'member_id', nullif(NEW.member_id, ''), 'case_id', nullif(NEW.case_id, ''), 'voucher_no', nullif(NEW.voucher_no, ''), 'handled_by', nullif(NEW.handled_by, ''), 'approved_by', nullif(NEW.approved_by, ''), 'note', nullif(NEW.note, ''), 'reverses_id', nullif(NEW.reverses_id, ''), 'loan_id', nullif(NEW.loan_id, ''), 'subsidy_month', nullif(NEW.subsidy_month, '')))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER fund_entries_audit_update AFTER UPDATE OF date, direction, category, amount_fen, member_id, case_id, voucher_no, handled_by, approved_by, note, reverses_id, loan_id, subsidy_month ON fund_entries
WHEN OLD.date IS NOT NEW.date OR OLD.direction IS NOT NEW.direction OR OLD.category IS NOT NEW.category OR OLD.amount_fen IS NOT NEW.amount_fen OR OLD.member_id IS NOT NEW.member_id OR OLD.case_id IS NOT NEW.case_id OR OLD.voucher_no IS NOT NEW.voucher_no OR OLD.handled_by IS NOT NEW.handled_by OR OLD.approved_by IS NOT NEW.approved_by OR OLD.note IS NOT NEW.note OR OLD.reverses_id IS NOT NEW.reverses_id OR OLD.loan_id IS NOT NEW.loan_id OR OLD.subsidy_month IS NOT NEW.subsidy_month
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'fund_entries', NEW.id, 'update',
        json_patch('{}', json_object('date', CASE WHEN OLD.date IS NOT NEW.date THEN OLD.date END, 'direction', CASE WHEN OLD.direction IS NOT NEW.direction THEN OLD.direction END, 'category', CASE WHEN OLD.category IS NOT NEW.category THEN OLD.category END, 'amount_fen', CASE WHEN OLD.amount_fen IS NOT NEW.amount_fen THEN OLD.amount_fen END, 'member_id', CASE WHEN OLD.member_id IS NOT NEW.member_id THEN OLD.member_id END, 'case_id', CASE WHEN OLD.case_id IS NOT NEW.case_id THEN OLD.case_id END, 'voucher_no', CASE WHEN OLD.voucher_no IS NOT NEW.voucher_no THEN OLD.voucher_no END, 'handled_by', CASE WHEN OLD.handled_by IS NOT NEW.handled_by THEN OLD.handled_by END, 'approved_by', CASE WHEN OLD.approved_by IS NOT NEW.approved_by THEN OLD.approved_by END, 'note', CASE WHEN OLD.note IS NOT NEW.note THEN OLD.note END, 'reverses_id', CASE WHEN OLD.reverses_id IS NOT NEW.reverses_id THEN OLD.reverses_id END, 'loan_id', CASE WHEN OLD.loan_id IS NOT NEW.loan_id THEN OLD.loan_id END, 'subsidy_month', CASE WHEN OLD.subsidy_month IS NOT NEW.subsidy_month THEN OLD.subsidy_month END)),
        json_patch('{}', json_object('date', CASE WHEN OLD.date IS NOT NEW.date THEN NEW.date END, 'direction', CASE WHEN OLD.direction IS NOT NEW.direction THEN NEW.direction END, 'category', CASE WHEN OLD.category IS NOT NEW.category THEN NEW.category END, 'amount_fen', CASE WHEN OLD.amount_fen IS NOT NEW.amount_fen THEN NEW.amount_fen END, 'member_id', CASE WHEN OLD.member_id IS NOT NEW.member_id THEN NEW.member_id END, 'case_id', CASE WHEN OLD.case_id IS NOT NEW.case_id THEN NEW.case_id END, 'voucher_no', CASE WHEN OLD.voucher_no IS NOT NEW.voucher_no THEN NEW.voucher_no END, 'handled_by', CASE WHEN OLD.handled_by IS NOT NEW.handled_by THEN NEW.handled_by END, 'approved_by', CASE WHEN OLD.approved_by IS NOT NEW.approved_by THEN NEW.approved_by END, 'note', CASE WHEN OLD.note IS NOT NEW.note THEN NEW.note END, 'reverses_id', CASE WHEN OLD.reverses_id IS NOT NEW.reverses_id THEN NEW.reverses_id END, 'loan_id', CASE WHEN OLD.loan_id IS NOT NEW.loan_id THEN NEW.loan_id END, 'subsidy_month', CASE WHEN OLD.subsidy_month IS NOT NEW.subsidy_month THEN NEW.subsidy_month END))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER fund_entries_audit_delete AFTER DELETE ON fund_entries
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'fund_entries', OLD.id, 'delete',
        json_patch('{}', json_object('date', nullif(OLD.date, ''), 'direction', nullif(OLD.direction, ''), 'category', nullif(OLD.category, ''), 'amount_fen', nullif(OLD.amount_fen, ''), 'member_id', nullif(OLD.member_id, ''), 'case_id', nullif(OLD.case_id, ''), 'voucher_no', nullif(OLD.voucher_no, ''), 'handled_by', nullif(OLD.handled_by, ''), 'approved_by', nullif(OLD.approved_by, ''), 'note', nullif(OLD.note, ''), 'reverses_id', nullif(OLD.reverses_id, ''), 'loan_id', nullif(OLD.loan_id, ''), 'subsidy_month', nullif(OLD.subsidy_month, ''))),
        NULL
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER settings_audit_insert AFTER INSERT ON settings
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'settings', 0, 'insert',
        NULL,
        json_patch('{}', json_object('key', nullif(NEW.key, ''), 'value', nullif(NEW.value, '')))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER settings_audit_update AFTER UPDATE OF key, value ON settings
WHEN OLD.key IS NOT NEW.key OR OLD.value IS NOT NEW.value
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'settings', 0, 'update',
        json_patch('{}', json_object('key', CASE WHEN OLD.key IS NOT NEW.key THEN OLD.key END, 'value', CASE WHEN OLD.value IS NOT NEW.value THEN OLD.value END)),
        json_patch('{}', json_object('key', CASE WHEN OLD.key IS NOT NEW.key THEN NEW.key END, 'value', CASE WHEN OLD.value IS NOT NEW.value THEN NEW.value END))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER settings_audit_delete AFTER DELETE ON settings
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'settings', 0, 'delete',
        json_patch('{}', json_object('key', nullif(OLD.key, ''), 'value', nullif(OLD.value, ''))),
        NULL
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;

-- migration: 4

-- 困难台账 (issue 8): each step carries its note, to whom it was submitted, and
-- whether an import made it (the state a row named, the dates not known).
-- Steps, reviews and measure actions are never edited or deleted: a wrong step
-- is answered by the next one (驳回 or 终止) with its note.
ALTER TABLE hardship_steps ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE hardship_steps ADD COLUMN submitted_to TEXT NOT NULL DEFAULT '';
ALTER TABLE hardship_steps ADD COLUMN imported INTEGER NOT NULL DEFAULT 0 CHECK (imported IN (0, 1));
ALTER TABLE hardship_reviews ADD COLUMN outcome TEXT NOT NULL DEFAULT 'continue'
    CHECK (outcome IN ('continue', 'resolved'));
ALTER TABLE hardship_measures ADD COLUMN responsible TEXT NOT NULL DEFAULT '';
ALTER TABLE hardship_measure_actions ADD COLUMN amount_fen INTEGER
    CHECK (amount_fen IS NULL OR amount_fen > 0);
ALTER TABLE hardship_measure_actions ADD COLUMN goods TEXT NOT NULL DEFAULT '';
ALTER TABLE hardship_measure_actions ADD COLUMN clerk TEXT NOT NULL DEFAULT '';
ALTER TABLE hardship_helpers ADD COLUMN since TEXT CHECK (since IS NULL OR date(since) = since);
CREATE INDEX hardship_steps_case ON hardship_steps (case_id, id);
CREATE INDEX hardship_measures_case ON hardship_measures (case_id, id);
CREATE INDEX hardship_measure_actions_measure ON hardship_measure_actions (measure_id, date);
CREATE INDEX hardship_helpers_case ON hardship_helpers (case_id);
CREATE INDEX hardship_helpers_member ON hardship_helpers (helper_member_id) WHERE helper_member_id IS NOT NULL;

-- 家庭成员情况: each family member with their monthly income in fen.
CREATE TABLE hardship_family (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES hardship_cases (id),
    relation   TEXT NOT NULL DEFAULT '',
    name       TEXT NOT NULL DEFAULT '',
    income_fen INTEGER NOT NULL DEFAULT 0 CHECK (income_fen >= 0)
);
CREATE INDEX hardship_family_case ON hardship_family (case_id, id);

CREATE TRIGGER hardship_steps_no_update BEFORE UPDATE ON hardship_steps
BEGIN
    SELECT RAISE(ABORT, 'hardship steps are never edited: record the next step');
END;
CREATE TRIGGER hardship_steps_no_delete BEFORE DELETE ON hardship_steps
BEGIN
    SELECT RAISE(ABORT, 'hardship steps are never deleted: record the next step');
END;
CREATE TRIGGER hardship_reviews_no_update BEFORE UPDATE ON hardship_reviews
BEGIN
    SELECT RAISE(ABORT, 'annual reviews are never edited');
END;
CREATE TRIGGER hardship_reviews_no_delete BEFORE DELETE ON hardship_reviews
BEGIN
    SELECT RAISE(ABORT, 'annual reviews are never deleted');
END;
CREATE TRIGGER hardship_measure_actions_no_update BEFORE UPDATE ON hardship_measure_actions
BEGIN
    SELECT RAISE(ABORT, 'measure actions are never edited');
END;
CREATE TRIGGER hardship_measure_actions_no_delete BEFORE DELETE ON hardship_measure_actions
BEGIN
    SELECT RAISE(ABORT, 'measure actions are never deleted');
END;

-- The audit triggers of the tables changed above, and of the new ones.
DROP TRIGGER hardship_steps_audit_insert;
DROP TRIGGER hardship_steps_audit_update;
DROP TRIGGER hardship_steps_audit_delete;
DROP TRIGGER hardship_reviews_audit_insert;
DROP TRIGGER hardship_reviews_audit_update;
DROP TRIGGER hardship_reviews_audit_delete;
CREATE TRIGGER hardship_steps_audit_insert AFTER INSERT ON hardship_steps
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'hardship_steps', NEW.id, 'insert',
        NULL,
        json_patch('{}', json_object('case_id', nullif(NEW.case_id, ''), 'step', nullif(NEW.step, ''), 'date', nullif(NEW.date, ''), 'clerk', nullif(NEW.clerk, ''), 'votes_for', nullif(NEW.votes_for, ''), 'votes_against', nullif(NEW.votes_against, ''), 'votes_abstain', nullif(NEW.votes_abstain, ''), 'public_from', nullif(NEW.public_from, ''), 'public_to', nullif(NEW.public_to, ''), 'reason', nullif(NEW.reason, ''), 'note', nullif(NEW.note, ''), 'submitted_to', nullif(NEW.submitted_to, ''), 'imported', nullif(NEW.imported, 0)))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER hardship_steps_audit_update AFTER UPDATE OF case_id, step, date, clerk, votes_for, votes_against, votes_abstain, public_from, public_to, reason, note, submitted_to, imported ON hardship_steps
WHEN OLD.case_id IS NOT NEW.case_id OR OLD.step IS NOT NEW.step OR OLD.date IS NOT NEW.date OR OLD.clerk IS NOT NEW.clerk OR OLD.votes_for IS NOT NEW.votes_for OR OLD.votes_against IS NOT NEW.votes_against OR OLD.votes_abstain IS NOT NEW.votes_abstain OR OLD.public_from IS NOT NEW.public_from OR OLD.public_to IS NOT NEW.public_to OR OLD.reason IS NOT NEW.reason OR OLD.note IS NOT NEW.note OR OLD.submitted_to IS NOT NEW.submitted_to OR OLD.imported IS NOT NEW.imported
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'hardship_steps', NEW.id, 'update',
        json_patch('{}', json_object('case_id', CASE WHEN OLD.case_id IS NOT NEW.case_id THEN OLD.case_id END, 'step', CASE WHEN OLD.step IS NOT NEW.step THEN OLD.step END, 'date', CASE WHEN OLD.date IS NOT NEW.date THEN OLD.date END, 'clerk', CASE WHEN OLD.clerk IS NOT NEW.clerk THEN OLD.clerk END, 'votes_for', CASE WHEN OLD.votes_for IS NOT NEW.votes_for THEN OLD.votes_for END, 'votes_against', CASE WHEN OLD.votes_against IS NOT NEW.votes_against THEN OLD.votes_against END, 'votes_abstain', CASE WHEN OLD.votes_abstain IS NOT NEW.votes_abstain THEN OLD.votes_abstain END, 'public_from', CASE WHEN OLD.public_from IS NOT NEW.public_from THEN OLD.public_from END, 'public_to', CASE WHEN OLD.public_to IS NOT NEW.public_to THEN OLD.public_to END, 'reason', CASE WHEN OLD.reason IS NOT NEW.reason THEN OLD.reason END, 'note', CASE WHEN OLD.note IS NOT NEW.note THEN OLD.note END, 'submitted_to', CASE WHEN OLD.submitted_to IS NOT NEW.submitted_to THEN OLD.submitted_to END, 'imported', CASE WHEN OLD.imported IS NOT NEW.imported THEN OLD.imported END)),
        json_patch('{}', json_object('case_id', CASE WHEN OLD.case_id IS NOT NEW.case_id THEN NEW.case_id END, 'step', CASE WHEN OLD.step IS NOT NEW.step THEN NEW.step END, 'date', CASE WHEN OLD.date IS NOT NEW.date THEN NEW.date END, 'clerk', CASE WHEN OLD.clerk IS NOT NEW.clerk THEN NEW.clerk END, 'votes_for', CASE WHEN OLD.votes_for IS NOT NEW.votes_for THEN NEW.votes_for END, 'votes_against', CASE WHEN OLD.votes_against IS NOT NEW.votes_against THEN NEW.votes_against END, 'votes_abstain', CASE WHEN OLD.votes_abstain IS NOT NEW.votes_abstain THEN NEW.votes_abstain END, 'public_from', CASE WHEN OLD.public_from IS NOT NEW.public_from THEN NEW.public_from END, 'public_to', CASE WHEN OLD.public_to IS NOT NEW.public_to THEN NEW.public_to END, 'reason', CASE WHEN OLD.reason IS NOT NEW.reason THEN NEW.reason END, 'note', CASE WHEN OLD.note IS NOT NEW.note THEN NEW.note END, 'submitted_to', CASE WHEN OLD.submitted_to IS NOT NEW.submitted_to THEN NEW.submitted_to END, 'imported', CASE WHEN OLD.imported IS NOT NEW.imported THEN NEW.imported END))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER hardship_steps_audit_delete AFTER DELETE ON hardship_steps
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'hardship_steps', OLD.id, 'delete',
        json_patch('{}', json_object('case_id', nullif(OLD.case_id, ''), 'step', nullif(OLD.step, ''), 'date', nullif(OLD.date, ''), 'clerk', nullif(OLD.clerk, ''), 'votes_for', nullif(OLD.votes_for, ''), 'votes_against', nullif(OLD.votes_against, ''), 'votes_abstain', nullif(OLD.votes_abstain, ''), 'public_from', nullif(OLD.public_from, ''), 'public_to', nullif(OLD.public_to, ''), 'reason', nullif(OLD.reason, ''), 'note', nullif(OLD.note, ''), 'submitted_to', nullif(OLD.submitted_to, ''), 'imported', nullif(OLD.imported, 0))),
        NULL
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER hardship_reviews_audit_insert AFTER INSERT ON hardship_reviews
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'hardship_reviews', NEW.id, 'insert',
        NULL,
        json_patch('{}', json_object('case_id', nullif(NEW.case_id, ''), 'date', nullif(NEW.date, ''), 'clerk', nullif(NEW.clerk, ''), 'note', nullif(NEW.note, ''), 'outcome', nullif(NEW.outcome, '')))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER hardship_reviews_audit_update AFTER UPDATE OF case_id, date, clerk, note, outcome ON hardship_reviews
WHEN OLD.case_id IS NOT NEW.case_id OR OLD.date IS NOT NEW.date OR OLD.clerk IS NOT NEW.clerk OR OLD.note IS NOT NEW.note OR OLD.outcome IS NOT NEW.outcome
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'hardship_reviews', NEW.id, 'update',
        json_patch('{}', json_object('case_id', CASE WHEN OLD.case_id IS NOT NEW.case_id THEN OLD.case_id END, 'date', CASE WHEN OLD.date IS NOT NEW.date THEN OLD.date END, 'clerk', CASE WHEN OLD.clerk IS NOT NEW.clerk THEN OLD.clerk END, 'note', CASE WHEN OLD.note IS NOT NEW.note THEN OLD.note END, 'outcome', CASE WHEN OLD.outcome IS NOT NEW.outcome THEN OLD.outcome END)),
        json_patch('{}', json_object('case_id', CASE WHEN OLD.case_id IS NOT NEW.case_id THEN NEW.case_id END, 'date', CASE WHEN OLD.date IS NOT NEW.date THEN NEW.date END, 'clerk', CASE WHEN OLD.clerk IS NOT NEW.clerk THEN NEW.clerk END, 'note', CASE WHEN OLD.note IS NOT NEW.note THEN NEW.note END, 'outcome', CASE WHEN OLD.outcome IS NOT NEW.outcome THEN NEW.outcome END))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER hardship_reviews_audit_delete AFTER DELETE ON hardship_reviews
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'hardship_reviews', OLD.id, 'delete',
        json_patch('{}', json_object('case_id', nullif(OLD.case_id, ''), 'date', nullif(OLD.date, ''), 'clerk', nullif(OLD.clerk, ''), 'note', nullif(OLD.note, ''), 'outcome', nullif(OLD.outcome, ''))),
        NULL
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER hardship_measures_audit_insert AFTER INSERT ON hardship_measures
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'hardship_measures', NEW.id, 'insert',
        NULL,
        json_patch('{}', json_object('case_id', nullif(NEW.case_id, ''), 'kind', nullif(NEW.kind, ''), 'plan', nullif(NEW.plan, ''), 'start_date', nullif(NEW.start_date, ''), 'responsible', nullif(NEW.responsible, '')))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER hardship_measures_audit_update AFTER UPDATE OF case_id, kind, plan, start_date, responsible ON hardship_measures
WHEN OLD.case_id IS NOT NEW.case_id OR OLD.kind IS NOT NEW.kind OR OLD.plan IS NOT NEW.plan OR OLD.start_date IS NOT NEW.start_date OR OLD.responsible IS NOT NEW.responsible
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'hardship_measures', NEW.id, 'update',
        json_patch('{}', json_object('case_id', CASE WHEN OLD.case_id IS NOT NEW.case_id THEN OLD.case_id END, 'kind', CASE WHEN OLD.kind IS NOT NEW.kind THEN OLD.kind END, 'plan', CASE WHEN OLD.plan IS NOT NEW.plan THEN OLD.plan END, 'start_date', CASE WHEN OLD.start_date IS NOT NEW.start_date THEN OLD.start_date END, 'responsible', CASE WHEN OLD.responsible IS NOT NEW.responsible THEN OLD.responsible END)),
        json_patch('{}', json_object('case_id', CASE WHEN OLD.case_id IS NOT NEW.case_id THEN NEW.case_id END, 'kind', CASE WHEN OLD.kind IS NOT NEW.kind THEN NEW.kind END, 'plan', CASE WHEN OLD.plan IS NOT NEW.plan THEN NEW.plan END, 'start_date', CASE WHEN OLD.start_date IS NOT NEW.start_date THEN NEW.start_date END, 'responsible', CASE WHEN OLD.responsible IS NOT NEW.responsible THEN NEW.responsible END))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER hardship_measures_audit_delete AFTER DELETE ON hardship_measures
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'hardship_measures', OLD.id, 'delete',
        json_patch('{}', json_object('case_id', nullif(OLD.case_id, ''), 'kind', nullif(OLD.kind, ''), 'plan', nullif(OLD.plan, ''), 'start_date', nullif(OLD.start_date, ''), 'responsible', nullif(OLD.responsible, ''))),
        NULL
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER hardship_measure_actions_audit_insert AFTER INSERT ON hardship_measure_actions
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'hardship_measure_actions', NEW.id, 'insert',
        NULL,
        json_patch('{}', json_object('measure_id', nullif(NEW.measure_id, ''), 'date', nullif(NEW.date, ''), 'action', nullif(NEW.action, ''), 'amount_fen', nullif(NEW.amount_fen, ''), 'goods', nullif(NEW.goods, ''), 'clerk', nullif(NEW.clerk, '')))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER hardship_measure_actions_audit_update AFTER UPDATE OF measure_id, date, action, amount_fen, goods, clerk ON hardship_measure_actions
WHEN OLD.measure_id IS NOT NEW.measure_id OR OLD.date IS NOT NEW.date OR OLD.action IS NOT NEW.action OR OLD.amount_fen IS NOT NEW.amount_fen OR OLD.goods IS NOT NEW.goods OR OLD.clerk IS NOT NEW.clerk
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'hardship_measure_actions', NEW.id, 'update',
        json_patch('{}', json_object('measure_id', CASE WHEN OLD.measure_id IS NOT NEW.measure_id THEN OLD.measure_id END, 'date', CASE WHEN OLD.date IS NOT NEW.date THEN OLD.date END, 'action', CASE WHEN OLD.action IS NOT NEW.action THEN OLD.action END, 'amount_fen', CASE WHEN OLD.amount_fen IS NOT NEW.amount_fen THEN OLD.amount_fen END, 'goods', CASE WHEN OLD.goods IS NOT NEW.goods THEN OLD.goods END, 'clerk', CASE WHEN OLD.clerk IS NOT NEW.clerk THEN OLD.clerk END)),
        json_patch('{}', json_object('measure_id', CASE WHEN OLD.measure_id IS NOT NEW.measure_id THEN NEW.measure_id END, 'date', CASE WHEN OLD.date IS NOT NEW.date THEN NEW.date END, 'action', CASE WHEN OLD.action IS NOT NEW.action THEN NEW.action END, 'amount_fen', CASE WHEN OLD.amount_fen IS NOT NEW.amount_fen THEN NEW.amount_fen END, 'goods', CASE WHEN OLD.goods IS NOT NEW.goods THEN NEW.goods END, 'clerk', CASE WHEN OLD.clerk IS NOT NEW.clerk THEN NEW.clerk END))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER hardship_measure_actions_audit_delete AFTER DELETE ON hardship_measure_actions
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'hardship_measure_actions', OLD.id, 'delete',
        json_patch('{}', json_object('measure_id', nullif(OLD.measure_id, ''), 'date', nullif(OLD.date, ''), 'action', nullif(OLD.action, ''), 'amount_fen', nullif(OLD.amount_fen, ''), 'goods', nullif(OLD.goods, ''), 'clerk', nullif(OLD.clerk, ''))),
        NULL
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER hardship_helpers_audit_insert AFTER INSERT ON hardship_helpers
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'hardship_helpers', NEW.id, 'insert',
        NULL,
        json_patch('{}', json_object('case_id', nullif(NEW.case_id, ''), 'helper_member_id', nullif(NEW.helper_member_id, ''), 'unit_name', nullif(NEW.unit_name, ''), 'since', nullif(NEW.since, '')))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER hardship_helpers_audit_update AFTER UPDATE OF case_id, helper_member_id, unit_name, since ON hardship_helpers
WHEN OLD.case_id IS NOT NEW.case_id OR OLD.helper_member_id IS NOT NEW.helper_member_id OR OLD.unit_name IS NOT NEW.unit_name OR OLD.since IS NOT NEW.since
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'hardship_helpers', NEW.id, 'update',
        json_patch('{}', json_object('case_id', CASE WHEN OLD.case_id IS NOT NEW.case_id THEN OLD.case_id END, 'helper_member_id', CASE WHEN OLD.helper_member_id IS NOT NEW.helper_member_id THEN OLD.helper_member_id END, 'unit_name', CASE WHEN OLD.unit_name IS NOT NEW.unit_name THEN OLD.unit_name END, 'since', CASE WHEN OLD.since IS NOT NEW.since THEN OLD.since END)),
        json_patch('{}', json_object('case_id', CASE WHEN OLD.case_id IS NOT NEW.case_id THEN NEW.case_id END, 'helper_member_id', CASE WHEN OLD.helper_member_id IS NOT NEW.helper_member_id THEN NEW.helper_member_id END, 'unit_name', CASE WHEN OLD.unit_name IS NOT NEW.unit_name THEN NEW.unit_name END, 'since', CASE WHEN OLD.since IS NOT NEW.since THEN NEW.since END))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER hardship_helpers_audit_delete AFTER DELETE ON hardship_helpers
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'hardship_helpers', OLD.id, 'delete',
        json_patch('{}', json_object('case_id', nullif(OLD.case_id, ''), 'helper_member_id', nullif(OLD.helper_member_id, ''), 'unit_name', nullif(OLD.unit_name, ''), 'since', nullif(OLD.since, ''))),
        NULL
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER hardship_family_audit_insert AFTER INSERT ON hardship_family
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'hardship_family', NEW.id, 'insert',
        NULL,
        json_patch('{}', json_object('case_id', nullif(NEW.case_id, ''), 'relation', nullif(NEW.relation, ''), 'name', nullif(NEW.name, ''), 'income_fen', nullif(NEW.income_fen, '')))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER hardship_family_audit_update AFTER UPDATE OF case_id, relation, name, income_fen ON hardship_family
WHEN OLD.case_id IS NOT NEW.case_id OR OLD.relation IS NOT NEW.relation OR OLD.name IS NOT NEW.name OR OLD.income_fen IS NOT NEW.income_fen
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'hardship_family', NEW.id, 'update',
        json_patch('{}', json_object('case_id', CASE WHEN OLD.case_id IS NOT NEW.case_id THEN OLD.case_id END, 'relation', CASE WHEN OLD.relation IS NOT NEW.relation THEN OLD.relation END, 'name', CASE WHEN OLD.name IS NOT NEW.name THEN OLD.name END, 'income_fen', CASE WHEN OLD.income_fen IS NOT NEW.income_fen THEN OLD.income_fen END)),
        json_patch('{}', json_object('case_id', CASE WHEN OLD.case_id IS NOT NEW.case_id THEN NEW.case_id END, 'relation', CASE WHEN OLD.relation IS NOT NEW.relation THEN NEW.relation END, 'name', CASE WHEN OLD.name IS NOT NEW.name THEN NEW.name END, 'income_fen', CASE WHEN OLD.income_fen IS NOT NEW.income_fen THEN NEW.income_fen END))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER hardship_family_audit_delete AFTER DELETE ON hardship_family
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'hardship_family', OLD.id, 'delete',
        json_patch('{}', json_object('case_id', nullif(OLD.case_id, ''), 'relation', nullif(OLD.relation, ''), 'name', nullif(OLD.name, ''), 'income_fen', nullif(OLD.income_fen, ''))),
        NULL
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;

-- migration: 5

-- 帮扶基金 (issue 9). The fund's tables are built again (no clerk could write
-- them before this version; what a file holds is copied, unchained):
-- - every entry stores the SHA-256 of the previous entry's hash and its own
--   fields (prev_hash, hash: a hash chain, computed by db::fund in id order);
-- - a reversal (冲销) is the opposite direction with the original's category,
--   amount and member, once per entry;
-- - the balance may not go below zero on any date, not only the last;
-- - a subsidy month is paid once per member unless that payment was reversed;
-- - a payment may name the hardship case and the measure it serves;
-- - one repayment may complete several instalments; audits keep the opening
--   balance and the chain head they closed on.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE fund_entries_new (
    id            INTEGER PRIMARY KEY,
    date          TEXT NOT NULL CHECK (date(date) = date),
    direction     TEXT NOT NULL CHECK (direction IN ('in','out')),
    category      TEXT NOT NULL CHECK (
                    (reverses_id IS NULL AND (
                        (direction = 'in' AND category IN ('fiscal','dues','member_donation','social_donation','loan_repayment','interest','other'))
                     OR (direction = 'out' AND category IN ('relief','condolence','goods','subsidy','loan','health_check','training','other'))))
                 OR (reverses_id IS NOT NULL AND (
                        (direction = 'out' AND category IN ('fiscal','dues','member_donation','social_donation','loan_repayment','interest','other'))
                     OR (direction = 'in' AND category IN ('relief','condolence','goods','subsidy','loan','health_check','training','other'))))),
    amount_fen    INTEGER NOT NULL CHECK (amount_fen > 0 AND amount_fen <= 100000000000),
    member_id     INTEGER REFERENCES members (id),
    case_id       INTEGER REFERENCES hardship_cases (id),
    measure_id    INTEGER REFERENCES hardship_measures (id),
    voucher_no    TEXT NOT NULL CHECK (length(trim(voucher_no)) > 0),
    year          INTEGER NOT NULL GENERATED ALWAYS AS (CAST(substr(date, 1, 4) AS INTEGER)) STORED,
    handled_by    TEXT NOT NULL DEFAULT '',
    approved_by   TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    reverses_id   INTEGER UNIQUE REFERENCES fund_entries (id),
    loan_id       INTEGER REFERENCES loans (id),
    subsidy_month TEXT CHECK (subsidy_month IS NULL OR subsidy_month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL,
    created_at    TEXT NOT NULL DEFAULT (datetime('now')),
    -- a payment to a person names the person
    CHECK (direction = 'in' OR category NOT IN ('relief','condolence','subsidy','loan') OR member_id IS NOT NULL),
    CHECK (subsidy_month IS NULL OR category = 'subsidy'),
    UNIQUE (year, voucher_no)
);
INSERT INTO fund_entries_new (id, date, direction, category, amount_fen, member_id, case_id,
    voucher_no, handled_by, approved_by, note, reverses_id, loan_id, subsidy_month, prev_hash,
    hash, created_at)
SELECT id, date, direction, category, amount_fen, member_id, case_id, voucher_no, handled_by,
    approved_by, note, reverses_id, loan_id, subsidy_month, '', '', created_at FROM fund_entries;
DROP TABLE fund_entries;
ALTER TABLE fund_entries_new RENAME TO fund_entries;
CREATE INDEX fund_entries_date ON fund_entries (date);
CREATE INDEX fund_entries_member ON fund_entries (member_id, date);
CREATE INDEX fund_entries_loan ON fund_entries (loan_id) WHERE loan_id IS NOT NULL;
CREATE INDEX fund_entries_subsidy ON fund_entries (subsidy_month, member_id) WHERE subsidy_month IS NOT NULL;

CREATE TRIGGER fund_entries_no_update BEFORE UPDATE ON fund_entries
BEGIN
    SELECT RAISE(ABORT, 'fund entries are never edited: record a reversal');
END;
CREATE TRIGGER fund_entries_no_delete BEFORE DELETE ON fund_entries
BEGIN
    SELECT RAISE(ABORT, 'fund entries are never deleted: record a reversal');
END;
-- an audited period is locked, and so is every day before it (an entry
-- dated then would change the audit's opening balance)
CREATE TRIGGER fund_entries_locked BEFORE INSERT ON fund_entries
WHEN EXISTS (SELECT 1 FROM audits WHERE NEW.date <= date_to)
BEGIN
    SELECT RAISE(ABORT, 'the date is inside or before an audited (locked) period');
END;
CREATE TRIGGER fund_entries_reversal BEFORE INSERT ON fund_entries
WHEN NEW.reverses_id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM fund_entries o WHERE o.id = NEW.reverses_id AND o.reverses_id IS NULL
      AND o.direction <> NEW.direction AND o.category = NEW.category
      AND o.amount_fen = NEW.amount_fen AND o.member_id IS NEW.member_id
      AND o.date <= NEW.date)
BEGIN
    SELECT RAISE(ABORT, 'a reversal mirrors one entry that is not itself a reversal');
END;
CREATE TRIGGER fund_entries_subsidy_once BEFORE INSERT ON fund_entries
WHEN NEW.subsidy_month IS NOT NULL AND NEW.reverses_id IS NULL AND EXISTS (
    SELECT 1 FROM fund_entries o WHERE o.subsidy_month = NEW.subsidy_month
      AND o.member_id = NEW.member_id AND o.reverses_id IS NULL
      AND NOT EXISTS (SELECT 1 FROM fund_entries r WHERE r.reverses_id = o.id))
BEGIN
    SELECT RAISE(ABORT, 'the member''s subsidy for this month is already paid');
END;
-- the balance at the end of every day from the entry's date on stays >= 0
CREATE TRIGGER fund_entries_balance AFTER INSERT ON fund_entries
WHEN NEW.direction = 'out' AND (
    SELECT min(balance) FROM (
        SELECT date, sum(CASE direction WHEN 'in' THEN amount_fen ELSE -amount_fen END)
               OVER (ORDER BY date RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS balance
        FROM fund_entries)
    WHERE date >= NEW.date) < 0
BEGIN
    SELECT RAISE(ABORT, 'the payment is larger than the fund balance');
END;

-- 无息借款: one repayment may complete several instalments (paid_entry_id is
-- the repayment that completed it); an instalment row records the schedule.
DROP TABLE loan_instalments;
CREATE TABLE loan_instalments (
    id            INTEGER PRIMARY KEY,
    loan_id       INTEGER NOT NULL REFERENCES loans (id),
    seq           INTEGER NOT NULL CHECK (seq >= 1),
    due_date      TEXT NOT NULL CHECK (date(due_date) = due_date),
    amount_fen    INTEGER NOT NULL CHECK (amount_fen > 0),
    paid_entry_id INTEGER REFERENCES fund_entries (id),
    UNIQUE (loan_id, seq)
);
CREATE INDEX loan_instalments_due ON loan_instalments (due_date) WHERE paid_entry_id IS NULL;
CREATE INDEX loans_member ON loans (member_id);

-- 定时审计: what the audit closed on.
DROP TABLE audit_totals;
DROP TABLE audits;
CREATE TABLE audits (
    id                  INTEGER PRIMARY KEY,
    date_from           TEXT NOT NULL CHECK (date(date_from) = date_from),
    date_to             TEXT NOT NULL CHECK (date(date_to) = date_to AND date_to >= date_from),
    auditor             TEXT NOT NULL CHECK (length(trim(auditor)) > 0),
    closed_on           TEXT NOT NULL CHECK (date(closed_on) = closed_on),
    closed_by           TEXT NOT NULL DEFAULT '',
    opening_balance_fen INTEGER NOT NULL CHECK (opening_balance_fen >= 0),
    income_fen          INTEGER NOT NULL CHECK (income_fen >= 0),
    payments_fen        INTEGER NOT NULL CHECK (payments_fen >= 0),
    closing_balance_fen INTEGER NOT NULL CHECK (closing_balance_fen >= 0),
    entries             INTEGER NOT NULL CHECK (entries >= 0),
    -- the chain as it was when the audit closed: its last entry and hash
    chain_last_id       INTEGER,
    chain_head          TEXT NOT NULL DEFAULT '',
    note                TEXT NOT NULL DEFAULT '',
    CHECK (opening_balance_fen + income_fen - payments_fen = closing_balance_fen)
);
CREATE TABLE audit_totals (
    audit_id   INTEGER NOT NULL REFERENCES audits (id),
    direction  TEXT NOT NULL CHECK (direction IN ('in','out')),
    category   TEXT NOT NULL,
    amount_fen INTEGER NOT NULL,
    PRIMARY KEY (audit_id, direction, category)
) WITHOUT ROWID;
CREATE TRIGGER audits_no_overlap BEFORE INSERT ON audits
WHEN EXISTS (SELECT 1 FROM audits a WHERE a.date_from <= NEW.date_to AND NEW.date_from <= a.date_to)
BEGIN
    SELECT RAISE(ABORT, 'the period overlaps an audited period');
END;
CREATE TRIGGER audits_no_update BEFORE UPDATE ON audits
BEGIN
    SELECT RAISE(ABORT, 'a closed audit is never edited');
END;
CREATE TRIGGER audits_no_delete BEFORE DELETE ON audits
BEGIN
    SELECT RAISE(ABORT, 'a closed audit is never deleted');
END;
CREATE TRIGGER audit_totals_no_update BEFORE UPDATE ON audit_totals
BEGIN
    SELECT RAISE(ABORT, 'a closed audit is never edited');
END;
CREATE TRIGGER audit_totals_no_delete BEFORE DELETE ON audit_totals
BEGIN
    SELECT RAISE(ABORT, 'a closed audit is never deleted');
END;

-- The audit triggers of the fund's tables.
CREATE TRIGGER fund_entries_audit_insert AFTER INSERT ON fund_entries
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'fund_entries', NEW.id, 'insert',
        NULL,
        json_patch('{}', json_object('date', nullif(NEW.date, ''), 'direction', nullif(NEW.direction, ''), 'category', nullif(NEW.category, ''), 'amount_fen', nullif(NEW.amount_fen, ''), 'member_id', nullif(NEW.member_id, ''), 'case_id', nullif(NEW.case_id, ''), 'measure_id', nullif(NEW.measure_id, ''), 'voucher_no', nullif(NEW.voucher_no, ''), 'handled_by', nullif(NEW.handled_by, ''), 'approved_by', nullif(NEW.approved_by, ''), 'note', nullif(NEW.note, ''), 'reverses_id', nullif(NEW.reverses_id, ''), 'loan_id', nullif(NEW.loan_id, ''), 'subsidy_month', nullif(NEW.subsidy_month, ''), 'prev_hash', nullif(NEW.prev_hash, ''), 'hash', nullif(NEW.hash, '')))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER fund_entries_audit_update AFTER UPDATE OF date, direction, category, amount_fen, member_id, case_id, measure_id, voucher_no, handled_by, approved_by, note, reverses_id, loan_id, subsidy_month, prev_hash, hash ON fund_entries
WHEN OLD.date IS NOT NEW.date OR OLD.direction IS NOT NEW.direction OR OLD.category IS NOT NEW.category OR OLD.amount_fen IS NOT NEW.amount_fen OR OLD.member_id IS NOT NEW.member_id OR OLD.case_id IS NOT NEW.case_id OR OLD.measure_id IS NOT NEW.measure_id OR OLD.voucher_no IS NOT NEW.voucher_no OR OLD.handled_by IS NOT NEW.handled_by OR OLD.approved_by IS NOT NEW.approved_by OR OLD.note IS NOT NEW.note OR OLD.reverses_id IS NOT NEW.reverses_id OR OLD.loan_id IS NOT NEW.loan_id OR OLD.subsidy_month IS NOT NEW.subsidy_month OR OLD.prev_hash IS NOT NEW.prev_hash OR OLD.hash IS NOT NEW.hash
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'fund_entries', NEW.id, 'update',
        json_patch('{}', json_object('date', CASE WHEN OLD.date IS NOT NEW.date THEN OLD.date END, 'direction', CASE WHEN OLD.direction IS NOT NEW.direction THEN OLD.direction END, 'category', CASE WHEN OLD.category IS NOT NEW.category THEN OLD.category END, 'amount_fen', CASE WHEN OLD.amount_fen IS NOT NEW.amount_fen THEN OLD.amount_fen END, 'member_id', CASE WHEN OLD.member_id IS NOT NEW.member_id THEN OLD.member_id END, 'case_id', CASE WHEN OLD.case_id IS NOT NEW.case_id THEN OLD.case_id END, 'measure_id', CASE WHEN OLD.measure_id IS NOT NEW.measure_id THEN OLD.measure_id END, 'voucher_no', CASE WHEN OLD.voucher_no IS NOT NEW.voucher_no THEN OLD.voucher_no END, 'handled_by', CASE WHEN OLD.handled_by IS NOT NEW.handled_by THEN OLD.handled_by END, 'approved_by', CASE WHEN OLD.approved_by IS NOT NEW.approved_by THEN OLD.approved_by END, 'note', CASE WHEN OLD.note IS NOT NEW.note THEN OLD.note END, 'reverses_id', CASE WHEN OLD.reverses_id IS NOT NEW.reverses_id THEN OLD.reverses_id END, 'loan_id', CASE WHEN OLD.loan_id IS NOT NEW.loan_id THEN OLD.loan_id END, 'subsidy_month', CASE WHEN OLD.subsidy_month IS NOT NEW.subsidy_month THEN OLD.subsidy_month END, 'prev_hash', CASE WHEN OLD.prev_hash IS NOT NEW.prev_hash THEN OLD.prev_hash END, 'hash', CASE WHEN OLD.hash IS NOT NEW.hash THEN OLD.hash END)),
        json_patch('{}', json_object('date', CASE WHEN OLD.date IS NOT NEW.date THEN NEW.date END, 'direction', CASE WHEN OLD.direction IS NOT NEW.direction THEN NEW.direction END, 'category', CASE WHEN OLD.category IS NOT NEW.category THEN NEW.category END, 'amount_fen', CASE WHEN OLD.amount_fen IS NOT NEW.amount_fen THEN NEW.amount_fen END, 'member_id', CASE WHEN OLD.member_id IS NOT NEW.member_id THEN NEW.member_id END, 'case_id', CASE WHEN OLD.case_id IS NOT NEW.case_id THEN NEW.case_id END, 'measure_id', CASE WHEN OLD.measure_id IS NOT NEW.measure_id THEN NEW.measure_id END, 'voucher_no', CASE WHEN OLD.voucher_no IS NOT NEW.voucher_no THEN NEW.voucher_no END, 'handled_by', CASE WHEN OLD.handled_by IS NOT NEW.handled_by THEN NEW.handled_by END, 'approved_by', CASE WHEN OLD.approved_by IS NOT NEW.approved_by THEN NEW.approved_by END, 'note', CASE WHEN OLD.note IS NOT NEW.note THEN NEW.note END, 'reverses_id', CASE WHEN OLD.reverses_id IS NOT NEW.reverses_id THEN NEW.reverses_id END, 'loan_id', CASE WHEN OLD.loan_id IS NOT NEW.loan_id THEN NEW.loan_id END, 'subsidy_month', CASE WHEN OLD.subsidy_month IS NOT NEW.subsidy_month THEN NEW.subsidy_month END, 'prev_hash', CASE WHEN OLD.prev_hash IS NOT NEW.prev_hash THEN NEW.prev_hash END, 'hash', CASE WHEN OLD.hash IS NOT NEW.hash THEN NEW.hash END))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER fund_entries_audit_delete AFTER DELETE ON fund_entries
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'fund_entries', OLD.id, 'delete',
        json_patch('{}', json_object('date', nullif(OLD.date, ''), 'direction', nullif(OLD.direction, ''), 'category', nullif(OLD.category, ''), 'amount_fen', nullif(OLD.amount_fen, ''), 'member_id', nullif(OLD.member_id, ''), 'case_id', nullif(OLD.case_id, ''), 'measure_id', nullif(OLD.measure_id, ''), 'voucher_no', nullif(OLD.voucher_no, ''), 'handled_by', nullif(OLD.handled_by, ''), 'approved_by', nullif(OLD.approved_by, ''), 'note', nullif(OLD.note, ''), 'reverses_id', nullif(OLD.reverses_id, ''), 'loan_id', nullif(OLD.loan_id, ''), 'subsidy_month', nullif(OLD.subsidy_month, ''), 'prev_hash', nullif(OLD.prev_hash, ''), 'hash', nullif(OLD.hash, ''))),
        NULL
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER loans_audit_insert AFTER INSERT ON loans
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'loans', NEW.id, 'insert',
        NULL,
        json_patch('{}', json_object('member_id', nullif(NEW.member_id, ''), 'case_id', nullif(NEW.case_id, ''), 'principal_fen', nullif(NEW.principal_fen, ''), 'date', nullif(NEW.date, ''), 'note', nullif(NEW.note, '')))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER loans_audit_update AFTER UPDATE OF member_id, case_id, principal_fen, date, note ON loans
WHEN OLD.member_id IS NOT NEW.member_id OR OLD.case_id IS NOT NEW.case_id OR OLD.principal_fen IS NOT NEW.principal_fen OR OLD.date IS NOT NEW.date OR OLD.note IS NOT NEW.note
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'loans', NEW.id, 'update',
        json_patch('{}', json_object('member_id', CASE WHEN OLD.member_id IS NOT NEW.member_id THEN OLD.member_id END, 'case_id', CASE WHEN OLD.case_id IS NOT NEW.case_id THEN OLD.case_id END, 'principal_fen', CASE WHEN OLD.principal_fen IS NOT NEW.principal_fen THEN OLD.principal_fen END, 'date', CASE WHEN OLD.date IS NOT NEW.date THEN OLD.date END, 'note', CASE WHEN OLD.note IS NOT NEW.note THEN OLD.note END)),
        json_patch('{}', json_object('member_id', CASE WHEN OLD.member_id IS NOT NEW.member_id THEN NEW.member_id END, 'case_id', CASE WHEN OLD.case_id IS NOT NEW.case_id THEN NEW.case_id END, 'principal_fen', CASE WHEN OLD.principal_fen IS NOT NEW.principal_fen THEN NEW.principal_fen END, 'date', CASE WHEN OLD.date IS NOT NEW.date THEN NEW.date END, 'note', CASE WHEN OLD.note IS NOT NEW.note THEN NEW.note END))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER loans_audit_delete AFTER DELETE ON loans
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'loans', OLD.id, 'delete',
        json_patch('{}', json_object('member_id', nullif(OLD.member_id, ''), 'case_id', nullif(OLD.case_id, ''), 'principal_fen', nullif(OLD.principal_fen, ''), 'date', nullif(OLD.date, ''), 'note', nullif(OLD.note, ''))),
        NULL
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER loan_instalments_audit_insert AFTER INSERT ON loan_instalments
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'loan_instalments', NEW.id, 'insert',
        NULL,
        json_patch('{}', json_object('loan_id', nullif(NEW.loan_id, ''), 'seq', nullif(NEW.seq, ''), 'due_date', nullif(NEW.due_date, ''), 'amount_fen', nullif(NEW.amount_fen, ''), 'paid_entry_id', nullif(NEW.paid_entry_id, '')))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER loan_instalments_audit_update AFTER UPDATE OF loan_id, seq, due_date, amount_fen, paid_entry_id ON loan_instalments
WHEN OLD.loan_id IS NOT NEW.loan_id OR OLD.seq IS NOT NEW.seq OR OLD.due_date IS NOT NEW.due_date OR OLD.amount_fen IS NOT NEW.amount_fen OR OLD.paid_entry_id IS NOT NEW.paid_entry_id
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'loan_instalments', NEW.id, 'update',
        json_patch('{}', json_object('loan_id', CASE WHEN OLD.loan_id IS NOT NEW.loan_id THEN OLD.loan_id END, 'seq', CASE WHEN OLD.seq IS NOT NEW.seq THEN OLD.seq END, 'due_date', CASE WHEN OLD.due_date IS NOT NEW.due_date THEN OLD.due_date END, 'amount_fen', CASE WHEN OLD.amount_fen IS NOT NEW.amount_fen THEN OLD.amount_fen END, 'paid_entry_id', CASE WHEN OLD.paid_entry_id IS NOT NEW.paid_entry_id THEN OLD.paid_entry_id END)),
        json_patch('{}', json_object('loan_id', CASE WHEN OLD.loan_id IS NOT NEW.loan_id THEN NEW.loan_id END, 'seq', CASE WHEN OLD.seq IS NOT NEW.seq THEN NEW.seq END, 'due_date', CASE WHEN OLD.due_date IS NOT NEW.due_date THEN NEW.due_date END, 'amount_fen', CASE WHEN OLD.amount_fen IS NOT NEW.amount_fen THEN NEW.amount_fen END, 'paid_entry_id', CASE WHEN OLD.paid_entry_id IS NOT NEW.paid_entry_id THEN NEW.paid_entry_id END))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER loan_instalments_audit_delete AFTER DELETE ON loan_instalments
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'loan_instalments', OLD.id, 'delete',
        json_patch('{}', json_object('loan_id', nullif(OLD.loan_id, ''), 'seq', nullif(OLD.seq, ''), 'due_date', nullif(OLD.due_date, ''), 'amount_fen', nullif(OLD.amount_fen, ''), 'paid_entry_id', nullif(OLD.paid_entry_id, ''))),
        NULL
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER audits_audit_insert AFTER INSERT ON audits
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'audits', NEW.id, 'insert',
        NULL,
        json_patch('{}', json_object('date_from', nullif(NEW.date_from, ''), 'date_to', nullif(NEW.date_to, ''), 'auditor', nullif(NEW.auditor, ''), 'closed_on', nullif(NEW.closed_on, ''), 'closed_by', nullif(NEW.closed_by, ''), 'opening_balance_fen', nullif(NEW.opening_balance_fen, ''), 'income_fen', nullif(NEW.income_fen, ''), 'payments_fen', nullif(NEW.payments_fen, ''), 'closing_balance_fen', nullif(NEW.closing_balance_fen, ''), 'entries', nullif(NEW.entries, ''), 'chain_last_id', nullif(NEW.chain_last_id, ''), 'chain_head', nullif(NEW.chain_head, ''), 'note', nullif(NEW.note, '')))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER audits_audit_update AFTER UPDATE OF date_from, date_to, auditor, closed_on, closed_by, opening_balance_fen, income_fen, payments_fen, closing_balance_fen, entries, chain_last_id, chain_head, note ON audits
WHEN OLD.date_from IS NOT NEW.date_from OR OLD.date_to IS NOT NEW.date_to OR OLD.auditor IS NOT NEW.auditor OR OLD.closed_on IS NOT NEW.closed_on OR OLD.closed_by IS NOT NEW.closed_by OR OLD.opening_balance_fen IS NOT NEW.opening_balance_fen OR OLD.income_fen IS NOT NEW.income_fen OR OLD.payments_fen IS NOT NEW.payments_fen OR OLD.closing_balance_fen IS NOT NEW.closing_balance_fen OR OLD.entries IS NOT NEW.entries OR OLD.chain_last_id IS NOT NEW.chain_last_id OR OLD.chain_head IS NOT NEW.chain_head OR OLD.note IS NOT NEW.note
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'audits', NEW.id, 'update',
        json_patch('{}', json_object('date_from', CASE WHEN OLD.date_from IS NOT NEW.date_from THEN OLD.date_from END, 'date_to', CASE WHEN OLD.date_to IS NOT NEW.date_to THEN OLD.date_to END, 'auditor', CASE WHEN OLD.auditor IS NOT NEW.auditor THEN OLD.auditor END, 'closed_on', CASE WHEN OLD.closed_on IS NOT NEW.closed_on THEN OLD.closed_on END, 'closed_by', CASE WHEN OLD.closed_by IS NOT NEW.closed_by THEN OLD.closed_by END, 'opening_balance_fen', CASE WHEN OLD.opening_balance_fen IS NOT NEW.opening_balance_fen THEN OLD.opening_balance_fen END, 'income_fen', CASE WHEN OLD.income_fen IS NOT NEW.income_fen THEN OLD.income_fen END, 'payments_fen', CASE WHEN OLD.payments_fen IS NOT NEW.payments_fen THEN OLD.payments_fen END, 'closing_balance_fen', CASE WHEN OLD.closing_balance_fen IS NOT NEW.closing_balance_fen THEN OLD.closing_balance_fen END, 'entries', CASE WHEN OLD.entries IS NOT NEW.entries THEN OLD.entries END, 'chain_last_id', CASE WHEN OLD.chain_last_id IS NOT NEW.chain_last_id THEN OLD.chain_last_id END, 'chain_head', CASE WHEN OLD.chain_head IS NOT NEW.chain_head THEN OLD.chain_head END, 'note', CASE WHEN OLD.note IS NOT NEW.note THEN OLD.note END)),
        json_patch('{}', json_object('date_from', CASE WHEN OLD.date_from IS NOT NEW.date_from THEN NEW.date_from END, 'date_to', CASE WHEN OLD.date_to IS NOT NEW.date_to THEN NEW.date_to END, 'auditor', CASE WHEN OLD.auditor IS NOT NEW.auditor THEN NEW.auditor END, 'closed_on', CASE WHEN OLD.closed_on IS NOT NEW.closed_on THEN NEW.closed_on END, 'closed_by', CASE WHEN OLD.closed_by IS NOT NEW.closed_by THEN NEW.closed_by END, 'opening_balance_fen', CASE WHEN OLD.opening_balance_fen IS NOT NEW.opening_balance_fen THEN NEW.opening_balance_fen END, 'income_fen', CASE WHEN OLD.income_fen IS NOT NEW.income_fen THEN NEW.income_fen END, 'payments_fen', CASE WHEN OLD.payments_fen IS NOT NEW.payments_fen THEN NEW.payments_fen END, 'closing_balance_fen', CASE WHEN OLD.closing_balance_fen IS NOT NEW.closing_balance_fen THEN NEW.closing_balance_fen END, 'entries', CASE WHEN OLD.entries IS NOT NEW.entries THEN NEW.entries END, 'chain_last_id', CASE WHEN OLD.chain_last_id IS NOT NEW.chain_last_id THEN NEW.chain_last_id END, 'chain_head', CASE WHEN OLD.chain_head IS NOT NEW.chain_head THEN NEW.chain_head END, 'note', CASE WHEN OLD.note IS NOT NEW.note THEN NEW.note END))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER audits_audit_delete AFTER DELETE ON audits
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'audits', OLD.id, 'delete',
        json_patch('{}', json_object('date_from', nullif(OLD.date_from, ''), 'date_to', nullif(OLD.date_to, ''), 'auditor', nullif(OLD.auditor, ''), 'closed_on', nullif(OLD.closed_on, ''), 'closed_by', nullif(OLD.closed_by, ''), 'opening_balance_fen', nullif(OLD.opening_balance_fen, ''), 'income_fen', nullif(OLD.income_fen, ''), 'payments_fen', nullif(OLD.payments_fen, ''), 'closing_balance_fen', nullif(OLD.closing_balance_fen, ''), 'entries', nullif(OLD.entries, ''), 'chain_last_id', nullif(OLD.chain_last_id, ''), 'chain_head', nullif(OLD.chain_head, ''), 'note', nullif(OLD.note, ''))),
        NULL
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER audit_totals_audit_insert AFTER INSERT ON audit_totals
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'audit_totals', NEW.audit_id, 'insert',
        NULL,
        json_patch('{}', json_object('audit_id', nullif(NEW.audit_id, ''), 'direction', nullif(NEW.direction, ''), 'category', nullif(NEW.category, ''), 'amount_fen', nullif(NEW.amount_fen, '')))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER audit_totals_audit_update AFTER UPDATE OF audit_id, direction, category, amount_fen ON audit_totals
WHEN OLD.audit_id IS NOT NEW.audit_id OR OLD.direction IS NOT NEW.direction OR OLD.category IS NOT NEW.category OR OLD.amount_fen IS NOT NEW.amount_fen
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'audit_totals', NEW.audit_id, 'update',
        json_patch('{}', json_object('audit_id', CASE WHEN OLD.audit_id IS NOT NEW.audit_id THEN OLD.audit_id END, 'direction', CASE WHEN OLD.direction IS NOT NEW.direction THEN OLD.direction END, 'category', CASE WHEN OLD.category IS NOT NEW.category THEN OLD.category END, 'amount_fen', CASE WHEN OLD.amount_fen IS NOT NEW.amount_fen THEN OLD.amount_fen END)),
        json_patch('{}', json_object('audit_id', CASE WHEN OLD.audit_id IS NOT NEW.audit_id THEN NEW.audit_id END, 'direction', CASE WHEN OLD.direction IS NOT NEW.direction THEN NEW.direction END, 'category', CASE WHEN OLD.category IS NOT NEW.category THEN NEW.category END, 'amount_fen', CASE WHEN OLD.amount_fen IS NOT NEW.amount_fen THEN NEW.amount_fen END))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER audit_totals_audit_delete AFTER DELETE ON audit_totals
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'audit_totals', OLD.audit_id, 'delete',
        json_patch('{}', json_object('audit_id', nullif(OLD.audit_id, ''), 'direction', nullif(OLD.direction, ''), 'category', nullif(OLD.category, ''), 'amount_fen', nullif(OLD.amount_fen, ''))),
        NULL
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;

-- migration: 6

-- 需求调查, 激励 (issue 10): a survey round is opened and closed; an honour,
-- a discipline and an assessment are a clerk's writes like any other (audited);
-- a paid assessment bonus names its fund entry.
ALTER TABLE survey_rounds ADD COLUMN closed_on TEXT CHECK (closed_on IS NULL OR date(closed_on) = closed_on);
ALTER TABLE survey_rounds ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE honours ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE assessments ADD COLUMN paid_entry_id INTEGER REFERENCES fund_entries (id);
CREATE INDEX survey_responses_member ON survey_responses (member_id, round_id);
CREATE INDEX honours_member ON honours (member_id, year);
CREATE INDEX disciplines_member ON disciplines (member_id, date);

CREATE TRIGGER survey_rounds_audit_insert AFTER INSERT ON survey_rounds
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'survey_rounds', NEW.id, 'insert',
        NULL,
        json_patch('{}', json_object('name', nullif(NEW.name, ''), 'year', nullif(NEW.year, ''), 'started_on', nullif(NEW.started_on, ''), 'closed_on', nullif(NEW.closed_on, ''), 'note', nullif(NEW.note, '')))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER survey_rounds_audit_update AFTER UPDATE OF name, year, started_on, closed_on, note ON survey_rounds
WHEN OLD.name IS NOT NEW.name OR OLD.year IS NOT NEW.year OR OLD.started_on IS NOT NEW.started_on OR OLD.closed_on IS NOT NEW.closed_on OR OLD.note IS NOT NEW.note
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'survey_rounds', NEW.id, 'update',
        json_patch('{}', json_object('name', CASE WHEN OLD.name IS NOT NEW.name THEN OLD.name END, 'year', CASE WHEN OLD.year IS NOT NEW.year THEN OLD.year END, 'started_on', CASE WHEN OLD.started_on IS NOT NEW.started_on THEN OLD.started_on END, 'closed_on', CASE WHEN OLD.closed_on IS NOT NEW.closed_on THEN OLD.closed_on END, 'note', CASE WHEN OLD.note IS NOT NEW.note THEN OLD.note END)),
        json_patch('{}', json_object('name', CASE WHEN OLD.name IS NOT NEW.name THEN NEW.name END, 'year', CASE WHEN OLD.year IS NOT NEW.year THEN NEW.year END, 'started_on', CASE WHEN OLD.started_on IS NOT NEW.started_on THEN NEW.started_on END, 'closed_on', CASE WHEN OLD.closed_on IS NOT NEW.closed_on THEN NEW.closed_on END, 'note', CASE WHEN OLD.note IS NOT NEW.note THEN NEW.note END))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER survey_rounds_audit_delete AFTER DELETE ON survey_rounds
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'survey_rounds', OLD.id, 'delete',
        json_patch('{}', json_object('name', nullif(OLD.name, ''), 'year', nullif(OLD.year, ''), 'started_on', nullif(OLD.started_on, ''), 'closed_on', nullif(OLD.closed_on, ''), 'note', nullif(OLD.note, ''))),
        NULL
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER survey_responses_audit_insert AFTER INSERT ON survey_responses
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'survey_responses', NEW.id, 'insert',
        NULL,
        json_patch('{}', json_object('round_id', nullif(NEW.round_id, ''), 'member_id', nullif(NEW.member_id, ''), 'date', nullif(NEW.date, ''), 'surveyor', nullif(NEW.surveyor, ''), 'ideology', nullif(NEW.ideology, ''), 'health', nullif(NEW.health, ''), 'work_expectations', nullif(NEW.work_expectations, ''), 'opinions', nullif(NEW.opinions, ''), 'follow_up', nullif(NEW.follow_up, 0), 'follow_up_note', nullif(NEW.follow_up_note, '')))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER survey_responses_audit_update AFTER UPDATE OF round_id, member_id, date, surveyor, ideology, health, work_expectations, opinions, follow_up, follow_up_note ON survey_responses
WHEN OLD.round_id IS NOT NEW.round_id OR OLD.member_id IS NOT NEW.member_id OR OLD.date IS NOT NEW.date OR OLD.surveyor IS NOT NEW.surveyor OR OLD.ideology IS NOT NEW.ideology OR OLD.health IS NOT NEW.health OR OLD.work_expectations IS NOT NEW.work_expectations OR OLD.opinions IS NOT NEW.opinions OR OLD.follow_up IS NOT NEW.follow_up OR OLD.follow_up_note IS NOT NEW.follow_up_note
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'survey_responses', NEW.id, 'update',
        json_patch('{}', json_object('round_id', CASE WHEN OLD.round_id IS NOT NEW.round_id THEN OLD.round_id END, 'member_id', CASE WHEN OLD.member_id IS NOT NEW.member_id THEN OLD.member_id END, 'date', CASE WHEN OLD.date IS NOT NEW.date THEN OLD.date END, 'surveyor', CASE WHEN OLD.surveyor IS NOT NEW.surveyor THEN OLD.surveyor END, 'ideology', CASE WHEN OLD.ideology IS NOT NEW.ideology THEN OLD.ideology END, 'health', CASE WHEN OLD.health IS NOT NEW.health THEN OLD.health END, 'work_expectations', CASE WHEN OLD.work_expectations IS NOT NEW.work_expectations THEN OLD.work_expectations END, 'opinions', CASE WHEN OLD.opinions IS NOT NEW.opinions THEN OLD.opinions END, 'follow_up', CASE WHEN OLD.follow_up IS NOT NEW.follow_up THEN OLD.follow_up END, 'follow_up_note', CASE WHEN OLD.follow_up_note IS NOT NEW.follow_up_note THEN OLD.follow_up_note END)),
        json_patch('{}', json_object('round_id', CASE WHEN OLD.round_id IS NOT NEW.round_id THEN NEW.round_id END, 'member_id', CASE WHEN OLD.member_id IS NOT NEW.member_id THEN NEW.member_id END, 'date', CASE WHEN OLD.date IS NOT NEW.date THEN NEW.date END, 'surveyor', CASE WHEN OLD.surveyor IS NOT NEW.surveyor THEN NEW.surveyor END, 'ideology', CASE WHEN OLD.ideology IS NOT NEW.ideology THEN NEW.ideology END, 'health', CASE WHEN OLD.health IS NOT NEW.health THEN NEW.health END, 'work_expectations', CASE WHEN OLD.work_expectations IS NOT NEW.work_expectations THEN NEW.work_expectations END, 'opinions', CASE WHEN OLD.opinions IS NOT NEW.opinions THEN NEW.opinions END, 'follow_up', CASE WHEN OLD.follow_up IS NOT NEW.follow_up THEN NEW.follow_up END, 'follow_up_note', CASE WHEN OLD.follow_up_note IS NOT NEW.follow_up_note THEN NEW.follow_up_note END))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER survey_responses_audit_delete AFTER DELETE ON survey_responses
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'survey_responses', OLD.id, 'delete',
        json_patch('{}', json_object('round_id', nullif(OLD.round_id, ''), 'member_id', nullif(OLD.member_id, ''), 'date', nullif(OLD.date, ''), 'surveyor', nullif(OLD.surveyor, ''), 'ideology', nullif(OLD.ideology, ''), 'health', nullif(OLD.health, ''), 'work_expectations', nullif(OLD.work_expectations, ''), 'opinions', nullif(OLD.opinions, ''), 'follow_up', nullif(OLD.follow_up, 0), 'follow_up_note', nullif(OLD.follow_up_note, ''))),
        NULL
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER survey_response_needs_audit_insert AFTER INSERT ON survey_response_needs
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'survey_response_needs', NEW.response_id, 'insert',
        NULL,
        json_patch('{}', json_object('response_id', nullif(NEW.response_id, ''), 'need', nullif(NEW.need, '')))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER survey_response_needs_audit_update AFTER UPDATE OF response_id, need ON survey_response_needs
WHEN OLD.response_id IS NOT NEW.response_id OR OLD.need IS NOT NEW.need
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'survey_response_needs', NEW.response_id, 'update',
        json_patch('{}', json_object('response_id', CASE WHEN OLD.response_id IS NOT NEW.response_id THEN OLD.response_id END, 'need', CASE WHEN OLD.need IS NOT NEW.need THEN OLD.need END)),
        json_patch('{}', json_object('response_id', CASE WHEN OLD.response_id IS NOT NEW.response_id THEN NEW.response_id END, 'need', CASE WHEN OLD.need IS NOT NEW.need THEN NEW.need END))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER survey_response_needs_audit_delete AFTER DELETE ON survey_response_needs
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'survey_response_needs', OLD.response_id, 'delete',
        json_patch('{}', json_object('response_id', nullif(OLD.response_id, ''), 'need', nullif(OLD.need, ''))),
        NULL
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER honours_audit_insert AFTER INSERT ON honours
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'honours', NEW.id, 'insert',
        NULL,
        json_patch('{}', json_object('member_id', nullif(NEW.member_id, ''), 'title', nullif(NEW.title, ''), 'title_other', nullif(NEW.title_other, ''), 'level', nullif(NEW.level, ''), 'year', nullif(NEW.year, ''), 'date', nullif(NEW.date, ''), 'event_id', nullif(NEW.event_id, ''), 'note', nullif(NEW.note, '')))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER honours_audit_update AFTER UPDATE OF member_id, title, title_other, level, year, date, event_id, note ON honours
WHEN OLD.member_id IS NOT NEW.member_id OR OLD.title IS NOT NEW.title OR OLD.title_other IS NOT NEW.title_other OR OLD.level IS NOT NEW.level OR OLD.year IS NOT NEW.year OR OLD.date IS NOT NEW.date OR OLD.event_id IS NOT NEW.event_id OR OLD.note IS NOT NEW.note
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'honours', NEW.id, 'update',
        json_patch('{}', json_object('member_id', CASE WHEN OLD.member_id IS NOT NEW.member_id THEN OLD.member_id END, 'title', CASE WHEN OLD.title IS NOT NEW.title THEN OLD.title END, 'title_other', CASE WHEN OLD.title_other IS NOT NEW.title_other THEN OLD.title_other END, 'level', CASE WHEN OLD.level IS NOT NEW.level THEN OLD.level END, 'year', CASE WHEN OLD.year IS NOT NEW.year THEN OLD.year END, 'date', CASE WHEN OLD.date IS NOT NEW.date THEN OLD.date END, 'event_id', CASE WHEN OLD.event_id IS NOT NEW.event_id THEN OLD.event_id END, 'note', CASE WHEN OLD.note IS NOT NEW.note THEN OLD.note END)),
        json_patch('{}', json_object('member_id', CASE WHEN OLD.member_id IS NOT NEW.member_id THEN NEW.member_id END, 'title', CASE WHEN OLD.title IS NOT NEW.title THEN NEW.title END, 'title_other', CASE WHEN OLD.title_other IS NOT NEW.title_other THEN NEW.title_other END, 'level', CASE WHEN OLD.level IS NOT NEW.level THEN NEW.level END, 'year', CASE WHEN OLD.year IS NOT NEW.year THEN NEW.year END, 'date', CASE WHEN OLD.date IS NOT NEW.date THEN NEW.date END, 'event_id', CASE WHEN OLD.event_id IS NOT NEW.event_id THEN NEW.event_id END, 'note', CASE WHEN OLD.note IS NOT NEW.note THEN NEW.note END))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER honours_audit_delete AFTER DELETE ON honours
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'honours', OLD.id, 'delete',
        json_patch('{}', json_object('member_id', nullif(OLD.member_id, ''), 'title', nullif(OLD.title, ''), 'title_other', nullif(OLD.title_other, ''), 'level', nullif(OLD.level, ''), 'year', nullif(OLD.year, ''), 'date', nullif(OLD.date, ''), 'event_id', nullif(OLD.event_id, ''), 'note', nullif(OLD.note, ''))),
        NULL
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER disciplines_audit_insert AFTER INSERT ON disciplines
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'disciplines', NEW.id, 'insert',
        NULL,
        json_patch('{}', json_object('member_id', nullif(NEW.member_id, ''), 'date', nullif(NEW.date, ''), 'kind', nullif(NEW.kind, ''), 'note', nullif(NEW.note, ''), 'event_id', nullif(NEW.event_id, '')))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER disciplines_audit_update AFTER UPDATE OF member_id, date, kind, note, event_id ON disciplines
WHEN OLD.member_id IS NOT NEW.member_id OR OLD.date IS NOT NEW.date OR OLD.kind IS NOT NEW.kind OR OLD.note IS NOT NEW.note OR OLD.event_id IS NOT NEW.event_id
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'disciplines', NEW.id, 'update',
        json_patch('{}', json_object('member_id', CASE WHEN OLD.member_id IS NOT NEW.member_id THEN OLD.member_id END, 'date', CASE WHEN OLD.date IS NOT NEW.date THEN OLD.date END, 'kind', CASE WHEN OLD.kind IS NOT NEW.kind THEN OLD.kind END, 'note', CASE WHEN OLD.note IS NOT NEW.note THEN OLD.note END, 'event_id', CASE WHEN OLD.event_id IS NOT NEW.event_id THEN OLD.event_id END)),
        json_patch('{}', json_object('member_id', CASE WHEN OLD.member_id IS NOT NEW.member_id THEN NEW.member_id END, 'date', CASE WHEN OLD.date IS NOT NEW.date THEN NEW.date END, 'kind', CASE WHEN OLD.kind IS NOT NEW.kind THEN NEW.kind END, 'note', CASE WHEN OLD.note IS NOT NEW.note THEN NEW.note END, 'event_id', CASE WHEN OLD.event_id IS NOT NEW.event_id THEN NEW.event_id END))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER disciplines_audit_delete AFTER DELETE ON disciplines
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'disciplines', OLD.id, 'delete',
        json_patch('{}', json_object('member_id', nullif(OLD.member_id, ''), 'date', nullif(OLD.date, ''), 'kind', nullif(OLD.kind, ''), 'note', nullif(OLD.note, ''), 'event_id', nullif(OLD.event_id, ''))),
        NULL
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER assessments_audit_insert AFTER INSERT ON assessments
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'assessments', NEW.id, 'insert',
        NULL,
        json_patch('{}', json_object('year', nullif(NEW.year, ''), 'member_id', nullif(NEW.member_id, ''), 'grade', nullif(NEW.grade, ''), 'paid_entry_id', nullif(NEW.paid_entry_id, '')))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER assessments_audit_update AFTER UPDATE OF year, member_id, grade, paid_entry_id ON assessments
WHEN OLD.year IS NOT NEW.year OR OLD.member_id IS NOT NEW.member_id OR OLD.grade IS NOT NEW.grade OR OLD.paid_entry_id IS NOT NEW.paid_entry_id
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'assessments', NEW.id, 'update',
        json_patch('{}', json_object('year', CASE WHEN OLD.year IS NOT NEW.year THEN OLD.year END, 'member_id', CASE WHEN OLD.member_id IS NOT NEW.member_id THEN OLD.member_id END, 'grade', CASE WHEN OLD.grade IS NOT NEW.grade THEN OLD.grade END, 'paid_entry_id', CASE WHEN OLD.paid_entry_id IS NOT NEW.paid_entry_id THEN OLD.paid_entry_id END)),
        json_patch('{}', json_object('year', CASE WHEN OLD.year IS NOT NEW.year THEN NEW.year END, 'member_id', CASE WHEN OLD.member_id IS NOT NEW.member_id THEN NEW.member_id END, 'grade', CASE WHEN OLD.grade IS NOT NEW.grade THEN NEW.grade END, 'paid_entry_id', CASE WHEN OLD.paid_entry_id IS NOT NEW.paid_entry_id THEN NEW.paid_entry_id END))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE TRIGGER assessments_audit_delete AFTER DELETE ON assessments
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'assessments', OLD.id, 'delete',
        json_patch('{}', json_object('year', nullif(OLD.year, ''), 'member_id', nullif(OLD.member_id, ''), 'grade', nullif(OLD.grade, ''), 'paid_entry_id', nullif(OLD.paid_entry_id, ''))),
        NULL
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;

-- migration: 7
-- 应办事项（保存）: every active member's open obligations, kept current as they
-- are written, so the Overview and `overdue` read an index instead of running
-- the rules over the roster (db/obligations/kept.rs). Derived data: rebuilt
-- from the records whenever it is not current, never audited.
--
-- One row per obligation not satisfied as of the latest record (done = 0), and
-- one per campaign obligation already satisfied (done = 1, for the progress
-- figures). The key is the list order: due date, pinyin order, obligation code,
-- member code. starts_on: an event's date or a campaign's first day, from which
-- the row counts ('' for the others).
CREATE TABLE kept_obligations (
    done        INTEGER NOT NULL,
    due         TEXT NOT NULL,
    sort_key    BLOB NOT NULL,
    code        TEXT NOT NULL,
    member_code TEXT NOT NULL,
    member_id   INTEGER NOT NULL,
    name        TEXT NOT NULL,
    rule        INTEGER NOT NULL,
    campaign_id INTEGER NOT NULL,
    starts_on   TEXT NOT NULL,
    -- a member may owe the same on the same day twice (two events of a kind
    -- on one date, two loans' instalments): numbered apart
    seq         INTEGER NOT NULL,
    PRIMARY KEY (done, due, sort_key, code, member_code, member_id, seq)
) WITHOUT ROWID;
CREATE INDEX kept_obligations_member ON kept_obligations (member_id);
-- The rows above counted by rule, campaign, due date and start: the summary
-- reads a few thousand of these instead of counting the rows.
CREATE TABLE kept_counts (
    done        INTEGER NOT NULL,
    rule        INTEGER NOT NULL,
    campaign_id INTEGER NOT NULL,
    due         TEXT NOT NULL,
    starts_on   TEXT NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (done, rule, campaign_id, due, starts_on)
) WITHOUT ROWID;
-- What the rows were built with (the rules' version and the settings); no row:
-- not built, or made stale by a campaign change or a bulk write.
CREATE TABLE kept_state (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version TEXT NOT NULL
);
-- Members written since their rows were last computed (the writer recomputes
-- them before it commits; a reader finding any here runs the rules instead).
CREATE TABLE kept_dirty (member_id INTEGER PRIMARY KEY);

CREATE TRIGGER kept_members_insert AFTER INSERT ON members
WHEN EXISTS (SELECT 1 FROM kept_state)
BEGIN INSERT OR IGNORE INTO kept_dirty VALUES (NEW.id); END;
CREATE TRIGGER kept_members_update AFTER UPDATE ON members
WHEN EXISTS (SELECT 1 FROM kept_state)
BEGIN INSERT OR IGNORE INTO kept_dirty VALUES (NEW.id); END;
CREATE TRIGGER kept_talks_insert AFTER INSERT ON talks
WHEN EXISTS (SELECT 1 FROM kept_state)
BEGIN INSERT OR IGNORE INTO kept_dirty VALUES (NEW.member_id); END;
CREATE TRIGGER kept_talks_update AFTER UPDATE ON talks
WHEN EXISTS (SELECT 1 FROM kept_state)
BEGIN INSERT OR IGNORE INTO kept_dirty VALUES (NEW.member_id), (OLD.member_id); END;
CREATE TRIGGER kept_talks_delete AFTER DELETE ON talks
WHEN EXISTS (SELECT 1 FROM kept_state)
BEGIN INSERT OR IGNORE INTO kept_dirty VALUES (OLD.member_id); END;
CREATE TRIGGER kept_visits_insert AFTER INSERT ON visits
WHEN EXISTS (SELECT 1 FROM kept_state)
BEGIN INSERT OR IGNORE INTO kept_dirty VALUES (NEW.member_id); END;
CREATE TRIGGER kept_visits_update AFTER UPDATE ON visits
WHEN EXISTS (SELECT 1 FROM kept_state)
BEGIN INSERT OR IGNORE INTO kept_dirty VALUES (NEW.member_id), (OLD.member_id); END;
CREATE TRIGGER kept_visits_delete AFTER DELETE ON visits
WHEN EXISTS (SELECT 1 FROM kept_state)
BEGIN INSERT OR IGNORE INTO kept_dirty VALUES (OLD.member_id); END;
CREATE TRIGGER kept_events_insert AFTER INSERT ON events
WHEN EXISTS (SELECT 1 FROM kept_state)
BEGIN INSERT OR IGNORE INTO kept_dirty VALUES (NEW.member_id); END;
CREATE TRIGGER kept_events_update AFTER UPDATE ON events
WHEN EXISTS (SELECT 1 FROM kept_state)
BEGIN INSERT OR IGNORE INTO kept_dirty VALUES (NEW.member_id), (OLD.member_id); END;
CREATE TRIGGER kept_events_delete AFTER DELETE ON events
WHEN EXISTS (SELECT 1 FROM kept_state)
BEGIN INSERT OR IGNORE INTO kept_dirty VALUES (OLD.member_id); END;
CREATE TRIGGER kept_cases_insert AFTER INSERT ON hardship_cases
WHEN EXISTS (SELECT 1 FROM kept_state)
BEGIN INSERT OR IGNORE INTO kept_dirty VALUES (NEW.member_id); END;
CREATE TRIGGER kept_cases_update AFTER UPDATE ON hardship_cases
WHEN EXISTS (SELECT 1 FROM kept_state)
BEGIN INSERT OR IGNORE INTO kept_dirty VALUES (NEW.member_id), (OLD.member_id); END;
CREATE TRIGGER kept_reviews_insert AFTER INSERT ON hardship_reviews
WHEN EXISTS (SELECT 1 FROM kept_state)
BEGIN INSERT OR IGNORE INTO kept_dirty SELECT member_id FROM hardship_cases WHERE id = NEW.case_id; END;
CREATE TRIGGER kept_loans_insert AFTER INSERT ON loans
WHEN EXISTS (SELECT 1 FROM kept_state)
BEGIN INSERT OR IGNORE INTO kept_dirty VALUES (NEW.member_id); END;
CREATE TRIGGER kept_loans_update AFTER UPDATE ON loans
WHEN EXISTS (SELECT 1 FROM kept_state)
BEGIN INSERT OR IGNORE INTO kept_dirty VALUES (NEW.member_id), (OLD.member_id); END;
CREATE TRIGGER kept_instalments_insert AFTER INSERT ON loan_instalments
WHEN EXISTS (SELECT 1 FROM kept_state)
BEGIN INSERT OR IGNORE INTO kept_dirty SELECT member_id FROM loans WHERE id = NEW.loan_id; END;
CREATE TRIGGER kept_instalments_update AFTER UPDATE ON loan_instalments
WHEN EXISTS (SELECT 1 FROM kept_state)
BEGIN INSERT OR IGNORE INTO kept_dirty SELECT member_id FROM loans WHERE id IN (NEW.loan_id, OLD.loan_id); END;
-- A loan's own payment, or its reversal, decides whether its instalments stand.
CREATE TRIGGER kept_fund_insert AFTER INSERT ON fund_entries
WHEN (NEW.loan_id IS NOT NULL OR NEW.reverses_id IS NOT NULL) AND EXISTS (SELECT 1 FROM kept_state)
BEGIN
    INSERT OR IGNORE INTO kept_dirty SELECT member_id FROM loans WHERE id = NEW.loan_id;
    INSERT OR IGNORE INTO kept_dirty
    SELECT l.member_id FROM fund_entries p JOIN loans l ON l.id = p.loan_id WHERE p.id = NEW.reverses_id;
END;
-- A campaign changes every targeted member's rows: rebuild.
CREATE TRIGGER kept_campaigns_insert AFTER INSERT ON campaigns
BEGIN DELETE FROM kept_state; END;
CREATE TRIGGER kept_campaigns_update AFTER UPDATE ON campaigns
BEGIN DELETE FROM kept_state; END;
CREATE TRIGGER kept_campaigns_delete AFTER DELETE ON campaigns
BEGIN DELETE FROM kept_state; END;
CREATE TRIGGER kept_targets_insert AFTER INSERT ON campaign_targets
BEGIN DELETE FROM kept_state; END;
CREATE TRIGGER kept_targets_delete AFTER DELETE ON campaign_targets
BEGIN DELETE FROM kept_state; END;
-- This month's birthdays and political birthdays are counted at every start:
-- by month through these, not by reading the roster.
CREATE INDEX members_birth_month ON members (substr(birth_date, 6, 2), status, birth_date);
CREATE INDEX members_joined_month ON members (substr(joined_on, 6, 2), status, joined_on);
-- kept.rs `horizon`: the latest date of each, read at every start.
CREATE INDEX hardship_steps_date ON hardship_steps (date);
CREATE INDEX hardship_reviews_date ON hardship_reviews (date);
CREATE INDEX hardship_cases_approved ON hardship_cases (approved_on);
CREATE INDEX loans_date ON loans (date);

-- 帮扶基金 at city scale: each payment's checks read per-day totals and a
-- per-year voucher counter kept by the insert trigger, not every entry
-- (entries are never updated or deleted, so inserts keep both exact).
CREATE TABLE fund_days (
    date TEXT PRIMARY KEY,
    net  INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO fund_days (date, net)
SELECT date, sum(CASE direction WHEN 'in' THEN amount_fen ELSE -amount_fen END)
FROM fund_entries GROUP BY date;
-- The highest N of the vouchers `YYYY-N` of a year (N as Rust reads a u32:
-- an optional +, digits, at most 4294967295): the next proposed is N + 1.
CREATE TABLE fund_voucher_max (
    year INTEGER PRIMARY KEY,
    n    INTEGER NOT NULL
);
CREATE VIEW fund_voucher_numbers AS
SELECT year, CAST(d AS INTEGER) AS n FROM (
    SELECT year, CASE WHEN substr(s, 1, 1) = '+' THEN substr(s, 2) ELSE s END AS d
    FROM (SELECT year, substr(voucher_no, length(year || '-') + 1) AS s FROM fund_entries
          WHERE substr(voucher_no, 1, length(year || '-')) = year || '-'))
WHERE d <> '' AND d NOT GLOB '*[^0-9]*' AND length(ltrim(d, '0')) <= 10
  AND CAST(d AS INTEGER) <= 4294967295;
INSERT INTO fund_voucher_max (year, n) SELECT year, max(n) FROM fund_voucher_numbers GROUP BY year;
DROP VIEW fund_voucher_numbers;
DROP TRIGGER fund_entries_balance;
-- The end-of-day balance from the entry's day on stays at zero or above.
CREATE TRIGGER fund_entries_balance AFTER INSERT ON fund_entries
BEGIN
    INSERT INTO fund_days (date, net)
    VALUES (NEW.date, CASE NEW.direction WHEN 'in' THEN NEW.amount_fen ELSE -NEW.amount_fen END)
    ON CONFLICT (date) DO UPDATE SET net = net + excluded.net;
    INSERT INTO fund_voucher_max (year, n)
    SELECT NEW.year, CAST(d AS INTEGER) FROM (
        SELECT CASE WHEN substr(s, 1, 1) = '+' THEN substr(s, 2) ELSE s END AS d
        FROM (SELECT substr(NEW.voucher_no, length(NEW.year || '-') + 1) AS s
              WHERE substr(NEW.voucher_no, 1, length(NEW.year || '-')) = NEW.year || '-'))
    WHERE d <> '' AND d NOT GLOB '*[^0-9]*' AND length(ltrim(d, '0')) <= 10
      AND CAST(d AS INTEGER) <= 4294967295
    ON CONFLICT (year) DO UPDATE SET n = max(n, excluded.n);
    SELECT RAISE(ABORT, 'the payment is larger than the fund balance')
    WHERE NEW.direction = 'out' AND (
        SELECT (SELECT coalesce(sum(net), 0) FROM fund_days WHERE date < NEW.date) + min(run)
        FROM (SELECT sum(net) OVER (ORDER BY date ROWS UNBOUNDED PRECEDING) AS run
              FROM fund_days WHERE date >= NEW.date)) < 0;
END;

-- migration: 8
-- A large import writes its audit rows, and the members' cached latest
-- dates, in one statement each at its end instead of row by row (db::audit::
-- Bulk): while `bulk_writes` names a table, inside that import's own
-- transaction only, the per-row insert triggers of that table stand aside.
-- Every commit through db::audit empties it, so it never outlives the write.
-- `{table}_audit_new` is the JSON an insert logs, the same expression as
-- the trigger's (a test compares the two).
CREATE TABLE bulk_writes (tbl TEXT PRIMARY KEY) WITHOUT ROWID;

CREATE VIEW members_audit_new (id, new) AS
SELECT r.id, json_patch('{}', json_object('code', nullif(r.code, ''), 'name', nullif(r.name, ''), 'gender', nullif(r.gender, ''), 'birth_date', nullif(r.birth_date, ''), 'id_number', nullif(CASE WHEN r.id_number IS NULL THEN NULL ELSE substr(r.id_number, 1, 4) || '**********' || substr(r.id_number, -4) END, ''), 'phone', nullif(r.phone, ''), 'joined_on', nullif(r.joined_on, ''), 'membership', nullif(r.membership, ''), 'status', nullif(r.status, ''), 'employment', nullif(r.employment, ''), 'registered_on', nullif(r.registered_on, ''), 'mobile', nullif(r.mobile, 0), 'mobile_since', nullif(r.mobile_since, ''), 'whereabouts', nullif(r.whereabouts, ''), 'contact', nullif(r.contact, ''), 'honorary', nullif(r.honorary, 0), 'honorary_since', nullif(r.honorary_since, ''), 'low_income', nullif(r.low_income, 0), 'no_fixed_income', nullif(r.no_fixed_income, 0), 'living_alone', nullif(r.living_alone, 0), 'disabled', nullif(r.disabled, 0), 'chronic_ill', nullif(r.chronic_ill, 0), 'notes', nullif(r.notes, ''), 'left_on', nullif(r.left_on, ''), 'left_to', nullif(r.left_to, '')))
FROM members r;
DROP TRIGGER members_audit_insert;
CREATE TRIGGER members_audit_insert AFTER INSERT ON members
WHEN NOT EXISTS (SELECT 1 FROM bulk_writes WHERE tbl = 'members')
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'members', NEW.id, 'insert',
        NULL,
        json_patch('{}', json_object('code', nullif(NEW.code, ''), 'name', nullif(NEW.name, ''), 'gender', nullif(NEW.gender, ''), 'birth_date', nullif(NEW.birth_date, ''), 'id_number', nullif(CASE WHEN NEW.id_number IS NULL THEN NULL ELSE substr(NEW.id_number, 1, 4) || '**********' || substr(NEW.id_number, -4) END, ''), 'phone', nullif(NEW.phone, ''), 'joined_on', nullif(NEW.joined_on, ''), 'membership', nullif(NEW.membership, ''), 'status', nullif(NEW.status, ''), 'employment', nullif(NEW.employment, ''), 'registered_on', nullif(NEW.registered_on, ''), 'mobile', nullif(NEW.mobile, 0), 'mobile_since', nullif(NEW.mobile_since, ''), 'whereabouts', nullif(NEW.whereabouts, ''), 'contact', nullif(NEW.contact, ''), 'honorary', nullif(NEW.honorary, 0), 'honorary_since', nullif(NEW.honorary_since, ''), 'low_income', nullif(NEW.low_income, 0), 'no_fixed_income', nullif(NEW.no_fixed_income, 0), 'living_alone', nullif(NEW.living_alone, 0), 'disabled', nullif(NEW.disabled, 0), 'chronic_ill', nullif(NEW.chronic_ill, 0), 'notes', nullif(NEW.notes, ''), 'left_on', nullif(NEW.left_on, ''), 'left_to', nullif(NEW.left_to, '')))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE VIEW talks_audit_new (id, new) AS
SELECT r.id, json_patch('{}', json_object('member_id', nullif(r.member_id, ''), 'date', nullif(r.date, ''), 'conductor', nullif(r.conductor, ''), 'form', nullif(r.form, ''), 'summary', nullif(r.summary, ''), 'problems', nullif(r.problems, ''), 'follow_up', nullif(r.follow_up, 0), 'follow_up_note', nullif(r.follow_up_note, ''), 'voided_on', nullif(r.voided_on, ''), 'void_reason', nullif(r.void_reason, '')))
FROM talks r;
DROP TRIGGER talks_audit_insert;
CREATE TRIGGER talks_audit_insert AFTER INSERT ON talks
WHEN NOT EXISTS (SELECT 1 FROM bulk_writes WHERE tbl = 'talks')
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'talks', NEW.id, 'insert',
        NULL,
        json_patch('{}', json_object('member_id', nullif(NEW.member_id, ''), 'date', nullif(NEW.date, ''), 'conductor', nullif(NEW.conductor, ''), 'form', nullif(NEW.form, ''), 'summary', nullif(NEW.summary, ''), 'problems', nullif(NEW.problems, ''), 'follow_up', nullif(NEW.follow_up, 0), 'follow_up_note', nullif(NEW.follow_up_note, ''), 'voided_on', nullif(NEW.voided_on, ''), 'void_reason', nullif(NEW.void_reason, '')))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE VIEW visits_audit_new (id, new) AS
SELECT r.id, json_patch('{}', json_object('member_id', nullif(r.member_id, ''), 'date', nullif(r.date, ''), 'visitor', nullif(r.visitor, ''), 'kind', nullif(r.kind, ''), 'goods', nullif(r.goods, ''), 'fund_entry_id', nullif(r.fund_entry_id, ''), 'notes', nullif(r.notes, ''), 'voided_on', nullif(r.voided_on, ''), 'void_reason', nullif(r.void_reason, '')))
FROM visits r;
DROP TRIGGER visits_audit_insert;
CREATE TRIGGER visits_audit_insert AFTER INSERT ON visits
WHEN NOT EXISTS (SELECT 1 FROM bulk_writes WHERE tbl = 'visits')
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'visits', NEW.id, 'insert',
        NULL,
        json_patch('{}', json_object('member_id', nullif(NEW.member_id, ''), 'date', nullif(NEW.date, ''), 'visitor', nullif(NEW.visitor, ''), 'kind', nullif(NEW.kind, ''), 'goods', nullif(NEW.goods, ''), 'fund_entry_id', nullif(NEW.fund_entry_id, ''), 'notes', nullif(NEW.notes, ''), 'voided_on', nullif(NEW.voided_on, ''), 'void_reason', nullif(NEW.void_reason, '')))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
CREATE VIEW events_audit_new (id, new) AS
SELECT r.id, json_patch('{}', json_object('member_id', nullif(r.member_id, ''), 'date', nullif(r.date, ''), 'kind', nullif(r.kind, ''), 'note', nullif(r.note, ''), 'voided_on', nullif(r.voided_on, ''), 'void_reason', nullif(r.void_reason, '')))
FROM events r;
DROP TRIGGER events_audit_insert;
CREATE TRIGGER events_audit_insert AFTER INSERT ON events
WHEN NOT EXISTS (SELECT 1 FROM bulk_writes WHERE tbl = 'events')
BEGIN
    INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
    WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s WHERE s.at = n.at AND s.user = n.user AND s.action = n.action);
    INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
    SELECT s.id, 'events', NEW.id, 'insert',
        NULL,
        json_patch('{}', json_object('member_id', nullif(NEW.member_id, ''), 'date', nullif(NEW.date, ''), 'kind', nullif(NEW.kind, ''), 'note', nullif(NEW.note, ''), 'voided_on', nullif(NEW.voided_on, ''), 'void_reason', nullif(NEW.void_reason, '')))
    FROM audit_now n JOIN audit_sessions s ON s.at = n.at AND s.user = n.user AND s.action = n.action;
END;
-- The cached latest dates of the members a bulk import of records touched
-- are recomputed from member_latest at its end.
DROP TRIGGER talks_ai;
CREATE TRIGGER talks_ai AFTER INSERT ON talks WHEN NEW.voided_on IS NULL
    AND NOT EXISTS (SELECT 1 FROM bulk_writes WHERE tbl = 'talks')
BEGIN
    UPDATE members SET
        last_talk = max(coalesce(last_talk, ''), NEW.date),
        last_contact = max(coalesce(last_contact, ''), NEW.date)
    WHERE id = NEW.member_id;
END;
DROP TRIGGER visits_ai;
CREATE TRIGGER visits_ai AFTER INSERT ON visits WHEN NEW.voided_on IS NULL
    AND NOT EXISTS (SELECT 1 FROM bulk_writes WHERE tbl = 'visits')
BEGIN
    UPDATE members SET
        last_visit = CASE WHEN NEW.kind IN (SELECT kind FROM in_person_kinds)
                     THEN max(coalesce(last_visit, ''), NEW.date) ELSE last_visit END,
        last_health_check = CASE WHEN NEW.kind = 'health_check'
                     THEN max(coalesce(last_health_check, ''), NEW.date) ELSE last_health_check END,
        last_contact = CASE WHEN NEW.kind <> 'health_check'
                     THEN max(coalesce(last_contact, ''), NEW.date) ELSE last_contact END
    WHERE id = NEW.member_id;
END;

-- migration: 9
-- The help fund's list read a page at a time (db/fund/pages.rs): entries by
-- date then id within a direction, and within a direction and category, with
-- the amount so the totals of what is listed read the index alone.
CREATE INDEX fund_entries_direction ON fund_entries (direction, date, id, amount_fen);
CREATE INDEX fund_entries_category ON fund_entries (direction, category, date, id, amount_fen);
-- The hardship ledger's counts per priority and state (db/hardship/pages.rs)
-- from the index alone, and a priority's cases of a state found through it.
CREATE INDEX hardship_cases_list ON hardship_cases (priority, state, year, member_id);

-- migration: 10
-- kept_obligations again, its key's columns first and in the key's order
-- (seq moved up before name): the sqlite3 shell 3.40 (Debian 12's) reports a
-- false "NULL value in kept_obligations.name" from PRAGMA integrity_check
-- on a WITHOUT ROWID table with a key column after other columns, which
-- would make a sound file look damaged to whoever checks it. Derived data:
-- emptied here and rebuilt by the next writer that opens the file.
DROP TABLE kept_obligations;
CREATE TABLE kept_obligations (
    done        INTEGER NOT NULL,
    due         TEXT NOT NULL,
    sort_key    BLOB NOT NULL,
    code        TEXT NOT NULL,
    member_code TEXT NOT NULL,
    member_id   INTEGER NOT NULL,
    -- a member may owe the same on the same day twice (two events of a kind
    -- on one date, two loans' instalments): numbered apart
    seq         INTEGER NOT NULL,
    name        TEXT NOT NULL,
    rule        INTEGER NOT NULL,
    campaign_id INTEGER NOT NULL,
    starts_on   TEXT NOT NULL,
    PRIMARY KEY (done, due, sort_key, code, member_code, member_id, seq)
) WITHOUT ROWID;
CREATE INDEX kept_obligations_member ON kept_obligations (member_id);
DELETE FROM kept_counts;
DELETE FROM kept_dirty;
DELETE FROM kept_state;

-- migration: 11
-- The JSON a large import logs for each new row (`{table}_audit_new`, read
-- by db::audit::Bulk) joins the row's non-null fields, each quoted by
-- json_quote, with concat_ws (which skips NULLs): the text json_patch('{}',
-- json_object(...)) gives in the insert triggers, key for key (tests compare
-- the two on every kind of text), in half the time.

DROP VIEW members_audit_new;
CREATE VIEW members_audit_new (id, new) AS
SELECT r.id, '{' || concat_ws(',',
    CASE WHEN nullif(r.code, '') IS NOT NULL THEN '"code":' || json_quote(nullif(r.code, '')) END,
    CASE WHEN nullif(r.name, '') IS NOT NULL THEN '"name":' || json_quote(nullif(r.name, '')) END,
    CASE WHEN nullif(r.gender, '') IS NOT NULL THEN '"gender":' || json_quote(nullif(r.gender, '')) END,
    CASE WHEN nullif(r.birth_date, '') IS NOT NULL THEN '"birth_date":' || json_quote(nullif(r.birth_date, '')) END,
    CASE WHEN nullif(CASE WHEN r.id_number IS NULL THEN NULL ELSE substr(r.id_number, 1, 4) || '**********' || substr(r.id_number, -4) END, '') IS NOT NULL THEN '"id_number":' || json_quote(nullif(CASE WHEN r.id_number IS NULL THEN NULL ELSE substr(r.id_number, 1, 4) || '**********' || substr(r.id_number, -4) END, '')) END,
    CASE WHEN nullif(r.phone, '') IS NOT NULL THEN '"phone":' || json_quote(nullif(r.phone, '')) END,
    CASE WHEN nullif(r.joined_on, '') IS NOT NULL THEN '"joined_on":' || json_quote(nullif(r.joined_on, '')) END,
    CASE WHEN nullif(r.membership, '') IS NOT NULL THEN '"membership":' || json_quote(nullif(r.membership, '')) END,
    CASE WHEN nullif(r.status, '') IS NOT NULL THEN '"status":' || json_quote(nullif(r.status, '')) END,
    CASE WHEN nullif(r.employment, '') IS NOT NULL THEN '"employment":' || json_quote(nullif(r.employment, '')) END,
    CASE WHEN nullif(r.registered_on, '') IS NOT NULL THEN '"registered_on":' || json_quote(nullif(r.registered_on, '')) END,
    CASE WHEN nullif(r.mobile, 0) IS NOT NULL THEN '"mobile":' || json_quote(nullif(r.mobile, 0)) END,
    CASE WHEN nullif(r.mobile_since, '') IS NOT NULL THEN '"mobile_since":' || json_quote(nullif(r.mobile_since, '')) END,
    CASE WHEN nullif(r.whereabouts, '') IS NOT NULL THEN '"whereabouts":' || json_quote(nullif(r.whereabouts, '')) END,
    CASE WHEN nullif(r.contact, '') IS NOT NULL THEN '"contact":' || json_quote(nullif(r.contact, '')) END,
    CASE WHEN nullif(r.honorary, 0) IS NOT NULL THEN '"honorary":' || json_quote(nullif(r.honorary, 0)) END,
    CASE WHEN nullif(r.honorary_since, '') IS NOT NULL THEN '"honorary_since":' || json_quote(nullif(r.honorary_since, '')) END,
    CASE WHEN nullif(r.low_income, 0) IS NOT NULL THEN '"low_income":' || json_quote(nullif(r.low_income, 0)) END,
    CASE WHEN nullif(r.no_fixed_income, 0) IS NOT NULL THEN '"no_fixed_income":' || json_quote(nullif(r.no_fixed_income, 0)) END,
    CASE WHEN nullif(r.living_alone, 0) IS NOT NULL THEN '"living_alone":' || json_quote(nullif(r.living_alone, 0)) END,
    CASE WHEN nullif(r.disabled, 0) IS NOT NULL THEN '"disabled":' || json_quote(nullif(r.disabled, 0)) END,
    CASE WHEN nullif(r.chronic_ill, 0) IS NOT NULL THEN '"chronic_ill":' || json_quote(nullif(r.chronic_ill, 0)) END,
    CASE WHEN nullif(r.notes, '') IS NOT NULL THEN '"notes":' || json_quote(nullif(r.notes, '')) END,
    CASE WHEN nullif(r.left_on, '') IS NOT NULL THEN '"left_on":' || json_quote(nullif(r.left_on, '')) END,
    CASE WHEN nullif(r.left_to, '') IS NOT NULL THEN '"left_to":' || json_quote(nullif(r.left_to, '')) END) || '}'
FROM members r;

DROP VIEW talks_audit_new;
CREATE VIEW talks_audit_new (id, new) AS
SELECT r.id, '{' || concat_ws(',',
    CASE WHEN nullif(r.member_id, '') IS NOT NULL THEN '"member_id":' || json_quote(nullif(r.member_id, '')) END,
    CASE WHEN nullif(r.date, '') IS NOT NULL THEN '"date":' || json_quote(nullif(r.date, '')) END,
    CASE WHEN nullif(r.conductor, '') IS NOT NULL THEN '"conductor":' || json_quote(nullif(r.conductor, '')) END,
    CASE WHEN nullif(r.form, '') IS NOT NULL THEN '"form":' || json_quote(nullif(r.form, '')) END,
    CASE WHEN nullif(r.summary, '') IS NOT NULL THEN '"summary":' || json_quote(nullif(r.summary, '')) END,
    CASE WHEN nullif(r.problems, '') IS NOT NULL THEN '"problems":' || json_quote(nullif(r.problems, '')) END,
    CASE WHEN nullif(r.follow_up, 0) IS NOT NULL THEN '"follow_up":' || json_quote(nullif(r.follow_up, 0)) END,
    CASE WHEN nullif(r.follow_up_note, '') IS NOT NULL THEN '"follow_up_note":' || json_quote(nullif(r.follow_up_note, '')) END,
    CASE WHEN nullif(r.voided_on, '') IS NOT NULL THEN '"voided_on":' || json_quote(nullif(r.voided_on, '')) END,
    CASE WHEN nullif(r.void_reason, '') IS NOT NULL THEN '"void_reason":' || json_quote(nullif(r.void_reason, '')) END) || '}'
FROM talks r;

DROP VIEW visits_audit_new;
CREATE VIEW visits_audit_new (id, new) AS
SELECT r.id, '{' || concat_ws(',',
    CASE WHEN nullif(r.member_id, '') IS NOT NULL THEN '"member_id":' || json_quote(nullif(r.member_id, '')) END,
    CASE WHEN nullif(r.date, '') IS NOT NULL THEN '"date":' || json_quote(nullif(r.date, '')) END,
    CASE WHEN nullif(r.visitor, '') IS NOT NULL THEN '"visitor":' || json_quote(nullif(r.visitor, '')) END,
    CASE WHEN nullif(r.kind, '') IS NOT NULL THEN '"kind":' || json_quote(nullif(r.kind, '')) END,
    CASE WHEN nullif(r.goods, '') IS NOT NULL THEN '"goods":' || json_quote(nullif(r.goods, '')) END,
    CASE WHEN nullif(r.fund_entry_id, '') IS NOT NULL THEN '"fund_entry_id":' || json_quote(nullif(r.fund_entry_id, '')) END,
    CASE WHEN nullif(r.notes, '') IS NOT NULL THEN '"notes":' || json_quote(nullif(r.notes, '')) END,
    CASE WHEN nullif(r.voided_on, '') IS NOT NULL THEN '"voided_on":' || json_quote(nullif(r.voided_on, '')) END,
    CASE WHEN nullif(r.void_reason, '') IS NOT NULL THEN '"void_reason":' || json_quote(nullif(r.void_reason, '')) END) || '}'
FROM visits r;

DROP VIEW events_audit_new;
CREATE VIEW events_audit_new (id, new) AS
SELECT r.id, '{' || concat_ws(',',
    CASE WHEN nullif(r.member_id, '') IS NOT NULL THEN '"member_id":' || json_quote(nullif(r.member_id, '')) END,
    CASE WHEN nullif(r.date, '') IS NOT NULL THEN '"date":' || json_quote(nullif(r.date, '')) END,
    CASE WHEN nullif(r.kind, '') IS NOT NULL THEN '"kind":' || json_quote(nullif(r.kind, '')) END,
    CASE WHEN nullif(r.note, '') IS NOT NULL THEN '"note":' || json_quote(nullif(r.note, '')) END,
    CASE WHEN nullif(r.voided_on, '') IS NOT NULL THEN '"voided_on":' || json_quote(nullif(r.voided_on, '')) END,
    CASE WHEN nullif(r.void_reason, '') IS NOT NULL THEN '"void_reason":' || json_quote(nullif(r.void_reason, '')) END) || '}'
FROM events r;

-- migration: 12
-- REPLACE deletes the row it conflicts with without firing delete triggers
-- (unless a connection turns recursive_triggers on), so the no_delete
-- triggers above did not stop `REPLACE INTO audit_log …` from another SQLite
-- tool rewriting a logged row. Every append-only table now refuses an insert
-- whose key, or any of its unique keys, is already there: a row once written
-- can be neither changed nor replaced. (guanhuai never inserts a key that
-- exists; db::audit's tests try REPLACE on every such table.)
CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'the audit log is never edited');
END;
CREATE TRIGGER audit_sessions_no_replace BEFORE INSERT ON audit_sessions
WHEN EXISTS (SELECT 1 FROM audit_sessions WHERE id = NEW.id)
  OR EXISTS (SELECT 1 FROM audit_sessions
             WHERE at = NEW.at AND user = NEW.user AND action = NEW.action)
BEGIN
    SELECT RAISE(ABORT, 'the audit log is never edited');
END;
CREATE TRIGGER hardship_steps_no_replace BEFORE INSERT ON hardship_steps
WHEN EXISTS (SELECT 1 FROM hardship_steps WHERE id = NEW.id)
  OR EXISTS (SELECT 1 FROM hardship_steps WHERE case_id = NEW.case_id AND step = NEW.step)
BEGIN
    SELECT RAISE(ABORT, 'hardship steps are never edited: record the next step');
END;
CREATE TRIGGER hardship_reviews_no_replace BEFORE INSERT ON hardship_reviews
WHEN EXISTS (SELECT 1 FROM hardship_reviews WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'annual reviews are never edited');
END;
CREATE TRIGGER hardship_measure_actions_no_replace BEFORE INSERT ON hardship_measure_actions
WHEN EXISTS (SELECT 1 FROM hardship_measure_actions WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'measure actions are never edited');
END;
-- (the year of a voucher number is the entry's date's: the generated column
-- is not there yet when a BEFORE trigger runs)
CREATE TRIGGER fund_entries_no_replace BEFORE INSERT ON fund_entries
WHEN EXISTS (SELECT 1 FROM fund_entries WHERE id = NEW.id)
  OR EXISTS (SELECT 1 FROM fund_entries WHERE reverses_id = NEW.reverses_id)
  OR EXISTS (SELECT 1 FROM fund_entries
             WHERE year = CAST(substr(NEW.date, 1, 4) AS INTEGER) AND voucher_no = NEW.voucher_no)
BEGIN
    SELECT RAISE(ABORT, 'fund entries are never edited: record a reversal');
END;
CREATE TRIGGER audits_no_replace BEFORE INSERT ON audits
WHEN EXISTS (SELECT 1 FROM audits WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'a closed audit is never edited');
END;
CREATE TRIGGER audit_totals_no_replace BEFORE INSERT ON audit_totals
WHEN EXISTS (SELECT 1 FROM audit_totals
             WHERE audit_id = NEW.audit_id AND direction = NEW.direction AND category = NEW.category)
BEGIN
    SELECT RAISE(ABORT, 'a closed audit is never edited');
END;
-- audit_actor holds a name only inside guanhuai's own write transactions
-- (db::audit::commit takes it out before committing): a write from another
-- tool afterwards is logged with no user or action, not as guanhuai's last.
DELETE FROM audit_actor;
