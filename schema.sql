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
