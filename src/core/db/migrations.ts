// Numbered schema migrations. PRAGMA user_version holds how many have been applied; each runs in its
// own transaction together with the version bump, so a crash leaves the schema at a whole step.
// Long on purpose: the list is append-only (a shipped migration is never edited or moved), so it grows
// with every schema change; the runner below it is short.
import type { Database } from 'better-sqlite3';

const JOB_STATES_SQL = `'queued','preparing','submitted','running','downloading','succeeded','failed','canceled','needs_attention'`;

/**
 * Takes a fal_requests row (OLD) out of Stats' day sums: its request, duration and costs (migration 9's
 * delete trigger; since 28 also a superseded outcome).
 */
const OUT_OF_DAYS = `UPDATE fal_request_days SET
      requests = requests - 1,
      le_1 = le_1 - (OLD.duration_ms <= 1000),
      le_5 = le_5 - (OLD.duration_ms > 1000 AND OLD.duration_ms <= 5000),
      le_10 = le_10 - (OLD.duration_ms > 5000 AND OLD.duration_ms <= 10000),
      le_30 = le_30 - (OLD.duration_ms > 10000 AND OLD.duration_ms <= 30000),
      le_60 = le_60 - (OLD.duration_ms > 30000 AND OLD.duration_ms <= 60000),
      le_120 = le_120 - (OLD.duration_ms > 60000 AND OLD.duration_ms <= 120000),
      le_300 = le_300 - (OLD.duration_ms > 120000 AND OLD.duration_ms <= 300000),
      le_600 = le_600 - (OLD.duration_ms > 300000 AND OLD.duration_ms <= 600000),
      le_inf = le_inf - (OLD.duration_ms > 600000),
      duration_ms = duration_ms - OLD.duration_ms,
      billable_units = MAX(0, billable_units - COALESCE(OLD.billable_units, 0)),
      estimated_usd = MAX(0, estimated_usd - CASE WHEN OLD.real_cost_usd IS NULL THEN COALESCE(OLD.estimated_cost_usd, 0) ELSE 0 END),
      real_usd = MAX(0, real_usd - COALESCE(OLD.real_cost_usd, 0))
    WHERE day = OLD.day AND endpoint = OLD.endpoint AND status = OLD.status AND error_type = COALESCE(OLD.error_type, '');
    DELETE FROM fal_request_days
    WHERE day = OLD.day AND endpoint = OLD.endpoint AND status = OLD.status AND error_type = COALESCE(OLD.error_type, '') AND requests <= 0;`;

/** Append only: never edit a migration that has shipped; add a new one. */
export const MIGRATIONS: readonly string[] = [
  // 1: jobs, their event journal and the library.
  `
  CREATE TABLE jobs (
    id                 TEXT PRIMARY KEY,
    state              TEXT NOT NULL CHECK (state IN (${JOB_STATES_SQL})),
    endpoint           TEXT NOT NULL,
    provider           TEXT NOT NULL CHECK (provider IN ('fal','offline')),
    preset             TEXT NOT NULL,
    options_json       TEXT NOT NULL DEFAULT '{}',
    input_name         TEXT NOT NULL,
    input_path         TEXT NOT NULL,
    input_sha256       TEXT NOT NULL,
    input_mime         TEXT NOT NULL,
    input_url          TEXT,
    fal_request_id     TEXT,
    attempts           INTEGER NOT NULL DEFAULT 0,
    max_attempts       INTEGER NOT NULL,
    next_attempt_at    INTEGER,
    lease_owner        TEXT,
    lease_expires_at   INTEGER,
    fence              INTEGER NOT NULL DEFAULT 0,
    cancel_requested   INTEGER NOT NULL DEFAULT 0,
    -- FAL is done with fal_request_id (failed, forgotten, expired): a retry must submit again.
    request_finished   INTEGER NOT NULL DEFAULT 0,
    progress           REAL NOT NULL DEFAULT 0,
    queue_position     INTEGER,
    message            TEXT,
    error_code         TEXT,
    error_message      TEXT,
    created_at         INTEGER NOT NULL,
    started_at         INTEGER,
    submit_started_at  INTEGER,
    submitted_at       INTEGER,
    finished_at        INTEGER,
    estimated_cost_usd REAL,
    model_id           TEXT REFERENCES models(id) ON DELETE SET NULL
  );
  CREATE INDEX jobs_by_state ON jobs(state, created_at);
  CREATE INDEX jobs_by_input ON jobs(input_sha256);

  CREATE TABLE job_events (
    id         INTEGER PRIMARY KEY, -- rowid order = append order (no AUTOINCREMENT: one page less per write)
    job_id     TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    at         INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('transition','log','error')),
    from_state TEXT,
    to_state   TEXT,
    message    TEXT
  );
  CREATE INDEX job_events_by_job ON job_events(job_id, id);

  CREATE TABLE models (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    endpoint     TEXT NOT NULL,
    preset       TEXT NOT NULL,
    job_id       TEXT REFERENCES jobs(id) ON DELETE SET NULL,
    sha256       TEXT NOT NULL,
    file_path    TEXT NOT NULL,
    stats_json   TEXT NOT NULL,
    tags_json    TEXT NOT NULL DEFAULT '[]',
    preview_path TEXT,
    cost_usd     REAL,
    source_name  TEXT,
    -- sha256 of (input sha256, endpoint, preset, options): finds "already made this" duplicates.
    params_key   TEXT
  );
  CREATE INDEX models_by_sha ON models(sha256);
  CREATE INDEX models_by_created ON models(created_at);
  CREATE INDEX models_by_params ON models(params_key);

  -- Money spent, recorded with each submission; kept when jobs are removed (append-only).
  CREATE TABLE spend (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id TEXT NOT NULL,
    at     INTEGER NOT NULL,
    usd    REAL NOT NULL
  );
  CREATE INDEX spend_by_at ON spend(at);
  `,
  // 2: request statistics (src/core/stats). fal_requests: one row per FAL request outcome (kept when
  // jobs are removed). The day tables are what the Stats view reads: a running sum per local day,
  // model and outcome, written in the same transaction, so 100k requests still answer in milliseconds.
  `
  CREATE TABLE fal_requests (
    id                 INTEGER PRIMARY KEY,
    job_id             TEXT NOT NULL,
    endpoint           TEXT NOT NULL,
    request_id         TEXT,
    status             TEXT NOT NULL CHECK (status IN ('succeeded','failed','canceled','uncertain')),
    error_type         TEXT,
    started_at         INTEGER NOT NULL,
    finished_at        INTEGER NOT NULL,
    duration_ms        INTEGER NOT NULL CHECK (duration_ms >= 0),
    -- Local calendar day of finished_at (YYYY-MM-DD), the day row this request was counted in.
    day                TEXT NOT NULL,
    billable_units     REAL,
    estimated_cost_usd REAL,
    -- FAL's billed cost once known (billing events); wins over the estimate.
    real_cost_usd      REAL
  );
  CREATE INDEX fal_requests_by_finished ON fal_requests(finished_at);
  CREATE INDEX fal_requests_by_request ON fal_requests(request_id) WHERE request_id IS NOT NULL;

  CREATE TABLE fal_request_days (
    day            TEXT NOT NULL,
    endpoint       TEXT NOT NULL,
    status         TEXT NOT NULL,
    error_type     TEXT NOT NULL DEFAULT '',
    requests       INTEGER NOT NULL DEFAULT 0,
    -- Duration histogram, per bucket (not cumulative): <=1 s, <=5 s, ... <=600 s, longer.
    le_1 INTEGER NOT NULL DEFAULT 0, le_5 INTEGER NOT NULL DEFAULT 0, le_10 INTEGER NOT NULL DEFAULT 0,
    le_30 INTEGER NOT NULL DEFAULT 0, le_60 INTEGER NOT NULL DEFAULT 0, le_120 INTEGER NOT NULL DEFAULT 0,
    le_300 INTEGER NOT NULL DEFAULT 0, le_600 INTEGER NOT NULL DEFAULT 0, le_inf INTEGER NOT NULL DEFAULT 0,
    duration_ms    INTEGER NOT NULL DEFAULT 0,
    billable_units REAL NOT NULL DEFAULT 0,
    -- Estimates of the requests whose real cost is not known, and the real costs that are.
    estimated_usd  REAL NOT NULL DEFAULT 0,
    real_usd       REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (day, endpoint, status, error_type)
  ) WITHOUT ROWID;

  CREATE TABLE fal_rate_limit_days (
    day      TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    hits     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, endpoint)
  ) WITHOUT ROWID;
  `,
  // 3: what a reconciler needs to match an uncertain submit (the exact input sent), and where a
  // job's result goes (the CLI's --out), so whichever process finishes it writes it there.
  `
  ALTER TABLE jobs ADD COLUMN submit_input_json TEXT;
  ALTER TABLE jobs ADD COLUMN output_dir TEXT;
  `,
  // 4: reconciliation of uncertain submits against FAL's request history (src/core/reconcile).
  `
  -- One row per job: what the last check of its latest send found (the evidence).
  CREATE TABLE submit_checks (
    job_id            TEXT PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
    sent_at           INTEGER NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('waiting','found','absent')),
    checks            INTEGER NOT NULL DEFAULT 0,
    first_checked_at  INTEGER,
    last_checked_at   INTEGER,
    next_check_at     INTEGER,
    reason            TEXT,
    request_id        TEXT,
    absent_checked_at INTEGER
  );
  `,
  // 5: what FAL really charged per request (billing events, or X-Fal-Billable-Units) (src/core/spend).
  `
  CREATE TABLE real_costs (
    request_id TEXT PRIMARY KEY,
    job_id     TEXT, -- no foreign key: kept when the job is removed, like spend
    endpoint   TEXT,
    at         INTEGER NOT NULL,
    units      REAL,
    usd        REAL, -- null: units known, price not
    source     TEXT NOT NULL CHECK (source IN ('billing_event','units_header','no_charge'))
  );
  CREATE INDEX real_costs_by_at ON real_costs(at);
  CREATE INDEX real_costs_by_job ON real_costs(job_id);
  `,
  // 6: request statistics keep their day sums by triggers, so a cost FAL reports (real_costs, from
  // billing events or X-Fal-Billable-Units, in any process) reaches the Stats view by itself.
  `
  CREATE TRIGGER fal_requests_into_days AFTER INSERT ON fal_requests BEGIN
    INSERT INTO fal_request_days (day, endpoint, status, error_type, requests, le_1, le_5, le_10, le_30, le_60, le_120, le_300, le_600, le_inf,
      duration_ms, billable_units, estimated_usd, real_usd)
    VALUES (NEW.day, NEW.endpoint, NEW.status, COALESCE(NEW.error_type, ''), 1,
      NEW.duration_ms <= 1000,
      NEW.duration_ms > 1000 AND NEW.duration_ms <= 5000,
      NEW.duration_ms > 5000 AND NEW.duration_ms <= 10000,
      NEW.duration_ms > 10000 AND NEW.duration_ms <= 30000,
      NEW.duration_ms > 30000 AND NEW.duration_ms <= 60000,
      NEW.duration_ms > 60000 AND NEW.duration_ms <= 120000,
      NEW.duration_ms > 120000 AND NEW.duration_ms <= 300000,
      NEW.duration_ms > 300000 AND NEW.duration_ms <= 600000,
      NEW.duration_ms > 600000,
      NEW.duration_ms, COALESCE(NEW.billable_units, 0),
      CASE WHEN NEW.real_cost_usd IS NULL THEN COALESCE(NEW.estimated_cost_usd, 0) ELSE 0 END,
      COALESCE(NEW.real_cost_usd, 0))
    ON CONFLICT (day, endpoint, status, error_type) DO UPDATE SET
      requests = requests + 1,
      le_1 = le_1 + excluded.le_1, le_5 = le_5 + excluded.le_5, le_10 = le_10 + excluded.le_10,
      le_30 = le_30 + excluded.le_30, le_60 = le_60 + excluded.le_60, le_120 = le_120 + excluded.le_120,
      le_300 = le_300 + excluded.le_300, le_600 = le_600 + excluded.le_600, le_inf = le_inf + excluded.le_inf,
      duration_ms = duration_ms + excluded.duration_ms, billable_units = billable_units + excluded.billable_units,
      estimated_usd = estimated_usd + excluded.estimated_usd, real_usd = real_usd + excluded.real_usd;
  END;

  CREATE TRIGGER fal_requests_costs_into_days AFTER UPDATE OF billable_units, estimated_cost_usd, real_cost_usd ON fal_requests BEGIN
    UPDATE fal_request_days SET
      billable_units = MAX(0, billable_units - COALESCE(OLD.billable_units, 0) + COALESCE(NEW.billable_units, 0)),
      estimated_usd = MAX(0, estimated_usd
        - CASE WHEN OLD.real_cost_usd IS NULL THEN COALESCE(OLD.estimated_cost_usd, 0) ELSE 0 END
        + CASE WHEN NEW.real_cost_usd IS NULL THEN COALESCE(NEW.estimated_cost_usd, 0) ELSE 0 END),
      real_usd = MAX(0, real_usd - COALESCE(OLD.real_cost_usd, 0) + COALESCE(NEW.real_cost_usd, 0))
    WHERE day = NEW.day AND endpoint = NEW.endpoint AND status = NEW.status AND error_type = COALESCE(NEW.error_type, '');
  END;

  CREATE TRIGGER real_costs_insert_into_stats AFTER INSERT ON real_costs BEGIN
    UPDATE fal_requests SET real_cost_usd = COALESCE(NEW.usd, real_cost_usd), billable_units = COALESCE(NEW.units, billable_units)
    WHERE request_id = NEW.request_id;
  END;

  CREATE TRIGGER real_costs_update_into_stats AFTER UPDATE ON real_costs BEGIN
    UPDATE fal_requests SET real_cost_usd = COALESCE(NEW.usd, real_cost_usd), billable_units = COALESCE(NEW.units, billable_units)
    WHERE request_id = NEW.request_id;
  END;
  `,
  // 7: several images per job, in order with their view (multi-image jobs). Every job's images live
  // here (existing jobs move in as their one image); jobs.input_* keep the first image, and the
  // first image's upload URL stays in jobs.input_url. inputs_json / sources_json carry the set's
  // names and views for the job and model views (NULL for one image).
  `
  CREATE TABLE job_inputs (
    job_id   TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 0),
    role     TEXT CHECK (role IN ('front','left','back','right')),
    name     TEXT NOT NULL,
    path     TEXT NOT NULL,
    sha256   TEXT NOT NULL,
    mime     TEXT NOT NULL,
    url      TEXT,
    PRIMARY KEY (job_id, position)
  ) WITHOUT ROWID;
  INSERT INTO job_inputs (job_id, position, role, name, path, sha256, mime, url)
    SELECT id, 0, NULL, input_name, input_path, input_sha256, input_mime, input_url FROM jobs;
  ALTER TABLE jobs ADD COLUMN inputs_json TEXT;
  ALTER TABLE models ADD COLUMN sources_json TEXT;
  `,
  // 8: request ids a job had before it was sent again ("Generate again", or a reconciled resubmit).
  // A resend keeps the uploaded image URL, so its input equals the earlier one: reconciliation must
  // never adopt the job's own earlier request for the new, uncertain submit.
  `
  CREATE TABLE job_past_requests (
    request_id TEXT PRIMARY KEY,
    job_id     TEXT NOT NULL,
    at         INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
  // 9: a request outcome can be taken back (an uncertain submit that reconciliation found at FAL is
  // the same request as the adopted job's later outcome): the day sums follow by trigger.
  `
  CREATE TRIGGER fal_requests_out_of_days AFTER DELETE ON fal_requests BEGIN
    UPDATE fal_request_days SET
      requests = requests - 1,
      le_1 = le_1 - (OLD.duration_ms <= 1000),
      le_5 = le_5 - (OLD.duration_ms > 1000 AND OLD.duration_ms <= 5000),
      le_10 = le_10 - (OLD.duration_ms > 5000 AND OLD.duration_ms <= 10000),
      le_30 = le_30 - (OLD.duration_ms > 10000 AND OLD.duration_ms <= 30000),
      le_60 = le_60 - (OLD.duration_ms > 30000 AND OLD.duration_ms <= 60000),
      le_120 = le_120 - (OLD.duration_ms > 60000 AND OLD.duration_ms <= 120000),
      le_300 = le_300 - (OLD.duration_ms > 120000 AND OLD.duration_ms <= 300000),
      le_600 = le_600 - (OLD.duration_ms > 300000 AND OLD.duration_ms <= 600000),
      le_inf = le_inf - (OLD.duration_ms > 600000),
      duration_ms = duration_ms - OLD.duration_ms,
      billable_units = MAX(0, billable_units - COALESCE(OLD.billable_units, 0)),
      estimated_usd = MAX(0, estimated_usd - CASE WHEN OLD.real_cost_usd IS NULL THEN COALESCE(OLD.estimated_cost_usd, 0) ELSE 0 END),
      real_usd = MAX(0, real_usd - COALESCE(OLD.real_cost_usd, 0))
    WHERE day = OLD.day AND endpoint = OLD.endpoint AND status = OLD.status AND error_type = COALESCE(OLD.error_type, '');
    DELETE FROM fal_request_days
    WHERE day = OLD.day AND endpoint = OLD.endpoint AND status = OLD.status AND error_type = COALESCE(OLD.error_type, '') AND requests <= 0;
  END;
  `,
  // 10: the file a CLI run wrote the job's model to (its --out): two runs following one job write it once.
  `
  ALTER TABLE jobs ADD COLUMN output_file TEXT;
  `,
  // 11: queued jobs with a cancel to carry out, found by the claim without scanning the queue.
  `
  CREATE INDEX jobs_queued_cancels ON jobs(created_at) WHERE state = 'queued' AND cancel_requested = 1;
  `,
  // 12: models found by their files: "does a row still use this file?" (the orphan sweep asks it for
  // every unreferenced file, a delete for the files it leaves) searches instead of scanning the table.
  `
  CREATE INDEX models_by_file ON models(file_path);
  CREATE INDEX models_by_preview ON models(preview_path) WHERE preview_path IS NOT NULL;
  `,
  // 13: the other files asked for from a job that images joined (the same photo under another name,
  // or a second CLI run's --out): kept with the job, so whichever run finishes it - a `resume` after
  // Ctrl-C - writes each of them, once (output_file: the file written, as jobs.output_file).
  `
  CREATE TABLE job_outputs (
    job_id      TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    output_dir  TEXT NOT NULL,
    name        TEXT NOT NULL,
    output_file TEXT,
    PRIMARY KEY (job_id, output_dir, name)
  ); -- rowid order = the order the images joined
  `,
  // 14: FAL's answer for a finished request ({requestId, output} JSON), kept from its first fetch: the
  // model's own link usually outlives FAL's copy of the answer, so Download again works for longer.
  `
  ALTER TABLE jobs ADD COLUMN result_output_json TEXT;
  `,
  // 15: the submit intent is written (and fsynced) before the job waits for its slot - "armed" - and
  // marked as sent (submit_started_at, no fsync) just before the POST: engine/fal-steps.ts. The boot
  // tells recovery whether that unsynced mark can be trusted to be there (util/boot.ts).
  `
  ALTER TABLE jobs ADD COLUMN submit_armed_at INTEGER;
  ALTER TABLE jobs ADD COLUMN submit_armed_boot TEXT;
  `,
  // 16: each spend row (an estimate) names the FAL request it is for, so FAL's real cost of that
  // request replaces exactly that estimate (src/core/spend/costs.ts), not every estimate of its job:
  // a job sent again keeps its earlier request's estimate until that request's own cost is known.
  // Rows written before name it where it can be told: the job's current request (dated when it was
  // submitted) or a kept late request (dated as kept); the rest stay unnamed (costs.ts: legacy rule).
  // The past requests are looked up by job and date through an index made for this step and dropped
  // after it (the schema left is the same): a scan per estimate took 38 s for 100,000 estimates and
  // 10,000 past requests, at start-up, holding the database.
  `
  ALTER TABLE spend ADD COLUMN request_id TEXT;
  UPDATE spend SET request_id = (SELECT j.fal_request_id FROM jobs j WHERE j.id = spend.job_id AND j.submitted_at = spend.at)
    WHERE request_id IS NULL;
  CREATE INDEX migration_16_past_requests_by_job ON job_past_requests(job_id, at);
  UPDATE spend SET request_id = (SELECT p.request_id FROM job_past_requests p WHERE p.job_id = spend.job_id AND p.at = spend.at LIMIT 1)
    WHERE request_id IS NULL;
  DROP INDEX migration_16_past_requests_by_job;
  CREATE INDEX spend_by_request ON spend(request_id) WHERE request_id IS NOT NULL;
  `,
  // 17: an uncertain send (answer lost, not settled) of a job the user then sent again (Retry,
  // confirmed): the job forgets it, but FAL may have run and charged it. Kept here - its send time,
  // the exact input sent (its fingerprint in FAL's records), the estimate - so it counts against the
  // spending cap until settled: 'found' (FAL's request id; counted as spend once, among the job's
  // past requests) or 'absent' (FAL never received it: nothing). No foreign key: kept when the job
  // is removed, like spend.
  `
  CREATE TABLE job_past_sends (
    job_id             TEXT NOT NULL,
    sent_at            INTEGER NOT NULL,
    endpoint           TEXT NOT NULL,
    input_json         TEXT,
    input_url          TEXT,
    options_json       TEXT NOT NULL DEFAULT '{}',
    preset             TEXT NOT NULL DEFAULT '',
    estimated_cost_usd REAL,
    status             TEXT NOT NULL DEFAULT 'uncertain' CHECK (status IN ('uncertain','found','absent')),
    request_id         TEXT,
    settled_at         INTEGER,
    PRIMARY KEY (job_id, sent_at)
  ) WITHOUT ROWID;
  CREATE INDEX job_past_sends_uncertain ON job_past_sends(sent_at) WHERE status = 'uncertain';
  `,
  // 18: the latest an earlier send can have left (its job's sent_at is the arm's when a power cut lost
  // the send mark - possibly long before the POST - and the job was found so later): FAL's listing delay
  // counts from then, as for the job's own send (reconcile/reconciler.ts latestSendAt). Rows kept before
  // are not known: their delay counts from now (the upgrade), which at worst waits one settle time more.
  `
  ALTER TABLE job_past_sends ADD COLUMN latest_sent_at INTEGER;
  UPDATE job_past_sends SET latest_sent_at = MAX(sent_at, CAST(unixepoch('subsec') * 1000 AS INTEGER)) WHERE status = 'uncertain';
  `,
  // 19: which job and library rows changed, in commit order, written by triggers (so by every process
  // and build that writes): another process's changes are read from here (engine/change-watch.ts)
  // rather than by comparing the whole jobs and models tables on each change, which took the desktop
  // app's main thread ~1 s a look with 10,000 of each while a CLI run worked. seq is the rowid (no
  // AUTOINCREMENT: one page less per write); pruning always keeps the newest row, so it only grows.
  `
  CREATE TABLE row_changes (
    seq    INTEGER PRIMARY KEY,
    tbl    TEXT NOT NULL CHECK (tbl IN ('job','model')),
    row_id TEXT NOT NULL
  );
  CREATE TRIGGER jobs_changed_insert AFTER INSERT ON jobs BEGIN INSERT INTO row_changes (tbl, row_id) VALUES ('job', NEW.id); END;
  CREATE TRIGGER jobs_changed_update AFTER UPDATE ON jobs BEGIN INSERT INTO row_changes (tbl, row_id) VALUES ('job', NEW.id); END;
  CREATE TRIGGER jobs_changed_delete AFTER DELETE ON jobs BEGIN INSERT INTO row_changes (tbl, row_id) VALUES ('job', OLD.id); END;
  CREATE TRIGGER models_changed_insert AFTER INSERT ON models BEGIN INSERT INTO row_changes (tbl, row_id) VALUES ('model', NEW.id); END;
  CREATE TRIGGER models_changed_update AFTER UPDATE ON models BEGIN INSERT INTO row_changes (tbl, row_id) VALUES ('model', NEW.id); END;
  CREATE TRIGGER models_changed_delete AFTER DELETE ON models BEGIN INSERT INTO row_changes (tbl, row_id) VALUES ('model', OLD.id); END;
  `,
  // 20: look-ups a finished job makes, by FAL request id (whose job reported these billable units: every
  // result answer; is this request already a job's: reconciliation) and by job (the stats row of an
  // uncertain send to take back), read the whole jobs / fal_requests tables: ~0.4 ms a job with 1,000
  // in the history, growing with it, on the thread that serves the window.
  `
  CREATE INDEX jobs_by_request ON jobs(fal_request_id) WHERE fal_request_id IS NOT NULL;
  CREATE INDEX fal_requests_by_job ON fal_requests(job_id, started_at);
  `,
  // 21: what refunds took off a request's charges (billing events with a negative cost), so its job
  // says it was refunded rather than showing a charge of nothing (src/core/spend).
  `
  ALTER TABLE real_costs ADD COLUMN refunded_usd REAL;
  `,
  // 22: facts about the data folder itself. 'input_jpeg': how photos are encoded for upload
  // (images/prepare.ts JpegEncoding, db/input-encoding.ts). A folder that already has jobs or models keeps
  // mozjpeg, as its photos were prepared that way: a photo is known again by the sha256 of its prepared
  // bytes, so a photo dropped again there still finds its earlier job (no second charge). A new folder
  // gets the fast encoder.
  `
  CREATE TABLE library_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  INSERT INTO library_meta (key, value)
    SELECT 'input_jpeg', CASE WHEN EXISTS (SELECT 1 FROM jobs) OR EXISTS (SELECT 1 FROM models) THEN 'mozjpeg' ELSE 'fast' END;
  `,
  // 23: when a request's billing events were last read, so a refund FAL lists days later is still
  // read, on a schedule that thins out with the request's age (src/core/spend).
  `
  ALTER TABLE real_costs ADD COLUMN checked_at INTEGER;
  `,
  // 24: a photo is also known again by the sha256 of its original file (the bytes as dropped or read),
  // not only of its prepared bytes: those change with the long side in Settings, a sharp/libvips
  // upgrade, another CPU sharing the folder - and the same photo was sent (and paid for) again.
  // source_sha256: a single-image job's original (NULL for a set, and for jobs added before);
  // source_params_key: its model's paramsKeyOf(original sha256, endpoint, preset, options).
  `
  ALTER TABLE jobs ADD COLUMN source_sha256 TEXT;
  ALTER TABLE models ADD COLUMN source_params_key TEXT;
  CREATE INDEX jobs_by_source ON jobs(source_sha256) WHERE source_sha256 IS NOT NULL;
  CREATE INDEX models_by_source_params ON models(source_params_key) WHERE source_params_key IS NOT NULL;
  `,
  // 25: a job that gave up asking FAL about its request (status or result: a 5xx, a cut connection, no
  // answer in time) is a possible charge, not spent (spend/charge-rule.ts FAL_UNANSWERED_CODES): the
  // spend totals read that rule from fal_requests, and the Stats view's day sums (by trigger) now take
  // out the estimates such requests were recorded with, so both tell the same. A real cost stays.
  `
  UPDATE fal_requests SET estimated_cost_usd = NULL
    WHERE status = 'failed' AND error_type IN ('server_error', 'connection_lost', 'timeout') AND estimated_cost_usd IS NOT NULL;
  `,
  // 26: before 040c98c a job whose MODEL DOWNLOAD gave up also ended server_error / connection_lost /
  // timeout, though FAL had made (and charged) the model; 25 took its estimate out as a possible charge.
  // Such a request is told apart by the answer its job kept for it (jobs.result_output_json,
  // engine/stored-result.ts: FAL's answer naming the model). It ends result_download_failed - spent in
  // the spend totals and Stats alike - and gets its estimate back: the one recorded at its submission
  // (spend), else its job's. Moved between Stats' day rows by delete and insert (the day triggers key
  // on error_type), under the same id. A request another row already counts a cost for (a Download
  // again that succeeded) is not counted twice. A kept answer that is not JSON is left alone.
  `
  CREATE TEMP TABLE m26_made AS
    SELECT f.*, j.estimated_cost_usd AS job_usd, j.fal_request_id AS job_request
    FROM fal_requests f JOIN jobs j ON j.id = f.job_id
    WHERE f.status = 'failed' AND f.error_type IN ('server_error', 'connection_lost', 'timeout') AND f.request_id IS NOT NULL
      AND CASE WHEN json_valid(j.result_output_json) THEN json_extract(j.result_output_json, '$.requestId') END = f.request_id;
  UPDATE m26_made SET estimated_cost_usd = COALESCE(
      (SELECT s.usd FROM spend s WHERE s.request_id = m26_made.request_id ORDER BY s.id LIMIT 1),
      CASE WHEN job_request = request_id THEN job_usd END)
    WHERE estimated_cost_usd IS NULL
      AND id = (SELECT MIN(m.id) FROM m26_made m WHERE m.request_id = m26_made.request_id)
      AND NOT EXISTS (SELECT 1 FROM fal_requests o WHERE o.request_id = m26_made.request_id
        AND (o.estimated_cost_usd IS NOT NULL OR o.real_cost_usd IS NOT NULL));
  DELETE FROM fal_requests WHERE id IN (SELECT id FROM m26_made);
  INSERT INTO fal_requests (id, job_id, endpoint, request_id, status, error_type, started_at, finished_at, duration_ms, day, billable_units, estimated_cost_usd, real_cost_usd)
    SELECT id, job_id, endpoint, request_id, status, 'result_download_failed', started_at, finished_at, duration_ms, day, billable_units, estimated_cost_usd, real_cost_usd
    FROM m26_made ORDER BY id;
  UPDATE jobs SET error_code = 'result_download_failed'
    WHERE state = 'failed' AND error_code IN ('server_error', 'connection_lost', 'timeout')
      AND fal_request_id IN (SELECT request_id FROM m26_made WHERE job_id = jobs.id);
  DROP TABLE m26_made;
  `,
  // 27: a request that ended twice (a failed model download, then a free Download again) is charged once:
  // its cost lives on its latest outcome only (stats/recorder.ts EARLIER_COSTS). FAL's real cost, arriving
  // later, goes there too, not onto every outcome of the request (Stats counted it twice). Rows from
  // before keep what they had.
  `
  DROP TRIGGER real_costs_insert_into_stats;
  DROP TRIGGER real_costs_update_into_stats;
  CREATE TRIGGER real_costs_insert_into_stats AFTER INSERT ON real_costs BEGIN
    UPDATE fal_requests SET real_cost_usd = COALESCE(NEW.usd, real_cost_usd), billable_units = COALESCE(NEW.units, billable_units)
    WHERE id = (SELECT MAX(id) FROM fal_requests WHERE request_id = NEW.request_id);
  END;
  CREATE TRIGGER real_costs_update_into_stats AFTER UPDATE ON real_costs BEGIN
    UPDATE fal_requests SET real_cost_usd = COALESCE(NEW.usd, real_cost_usd), billable_units = COALESCE(NEW.units, billable_units)
    WHERE id = (SELECT MAX(id) FROM fal_requests WHERE request_id = NEW.request_id);
  END;
  `,
  // 28: a request that ended twice (a failed model download, then a free Download again) is one request:
  // Stats counted it twice (one failed, one succeeded) in its request counts, success rate, durations and
  // errors. Its earlier outcomes are now 'superseded': kept in fal_requests (the spend rule reads every
  // outcome: spend/charge-rule.ts) but out of the day sums, which count each request by its latest
  // outcome (stats/recorder.ts). Older pairs are settled the same way: their costs move to the latest
  // outcome first (as the recorder does since b955d39), so nothing is counted twice and nothing is lost.
  `
  ALTER TABLE fal_requests ADD COLUMN superseded INTEGER NOT NULL DEFAULT 0;
  DROP TRIGGER fal_requests_costs_into_days;
  CREATE TRIGGER fal_requests_costs_into_days AFTER UPDATE OF billable_units, estimated_cost_usd, real_cost_usd ON fal_requests
  WHEN OLD.superseded = 0 AND NEW.superseded = 0 BEGIN
    UPDATE fal_request_days SET
      billable_units = MAX(0, billable_units - COALESCE(OLD.billable_units, 0) + COALESCE(NEW.billable_units, 0)),
      estimated_usd = MAX(0, estimated_usd
        - CASE WHEN OLD.real_cost_usd IS NULL THEN COALESCE(OLD.estimated_cost_usd, 0) ELSE 0 END
        + CASE WHEN NEW.real_cost_usd IS NULL THEN COALESCE(NEW.estimated_cost_usd, 0) ELSE 0 END),
      real_usd = MAX(0, real_usd - COALESCE(OLD.real_cost_usd, 0) + COALESCE(NEW.real_cost_usd, 0))
    WHERE day = NEW.day AND endpoint = NEW.endpoint AND status = NEW.status AND error_type = COALESCE(NEW.error_type, '');
  END;
  DROP TRIGGER fal_requests_out_of_days;
  CREATE TRIGGER fal_requests_out_of_days AFTER DELETE ON fal_requests WHEN OLD.superseded = 0 BEGIN
    ${OUT_OF_DAYS}
  END;
  CREATE TRIGGER fal_requests_superseded_out_of_days AFTER UPDATE OF superseded ON fal_requests
  WHEN OLD.superseded = 0 AND NEW.superseded = 1 BEGIN
    ${OUT_OF_DAYS}
  END;
  UPDATE fal_requests SET
      estimated_cost_usd = COALESCE(estimated_cost_usd, (SELECT MAX(e.estimated_cost_usd) FROM fal_requests e WHERE e.request_id = fal_requests.request_id)),
      real_cost_usd = COALESCE(real_cost_usd, (SELECT MAX(e.real_cost_usd) FROM fal_requests e WHERE e.request_id = fal_requests.request_id)),
      billable_units = COALESCE(billable_units, (SELECT MAX(e.billable_units) FROM fal_requests e WHERE e.request_id = fal_requests.request_id))
    WHERE request_id IS NOT NULL
      AND id = (SELECT MAX(l.id) FROM fal_requests l WHERE l.request_id = fal_requests.request_id)
      AND EXISTS (SELECT 1 FROM fal_requests o WHERE o.request_id = fal_requests.request_id AND o.id < fal_requests.id);
  UPDATE fal_requests SET superseded = 1
    WHERE request_id IS NOT NULL AND id < (SELECT MAX(l.id) FROM fal_requests l WHERE l.request_id = fal_requests.request_id);
  `,
  // 29: a possible charge FAL's request history settles (spend/history-settle.ts), read with the ordinary
  // key: 'request_history' - usd 0 when FAL's record shows the run ended in a server error or never
  // started (FAL charges neither), NULL when it shows the run finished (charged: its estimate counts until
  // FAL's billing records, which outrank it, give the cost). SQLite cannot widen a CHECK in place, so the
  // table is made anew with the same rows, indexes and its two triggers (migration 27's).
  `
  CREATE TABLE real_costs_29 (
    request_id   TEXT PRIMARY KEY,
    job_id       TEXT,
    endpoint     TEXT,
    at           INTEGER NOT NULL,
    units        REAL,
    usd          REAL,
    source       TEXT NOT NULL CHECK (source IN ('billing_event','units_header','no_charge','request_history')),
    refunded_usd REAL,
    checked_at   INTEGER
  );
  INSERT INTO real_costs_29 (request_id, job_id, endpoint, at, units, usd, source, refunded_usd, checked_at)
    SELECT request_id, job_id, endpoint, at, units, usd, source, refunded_usd, checked_at FROM real_costs;
  DROP TABLE real_costs;
  ALTER TABLE real_costs_29 RENAME TO real_costs;
  CREATE INDEX real_costs_by_at ON real_costs(at);
  CREATE INDEX real_costs_by_job ON real_costs(job_id);
  CREATE TRIGGER real_costs_insert_into_stats AFTER INSERT ON real_costs BEGIN
    UPDATE fal_requests SET real_cost_usd = COALESCE(NEW.usd, real_cost_usd), billable_units = COALESCE(NEW.units, billable_units)
    WHERE id = (SELECT MAX(id) FROM fal_requests WHERE request_id = NEW.request_id);
  END;
  CREATE TRIGGER real_costs_update_into_stats AFTER UPDATE ON real_costs BEGIN
    UPDATE fal_requests SET real_cost_usd = COALESCE(NEW.usd, real_cost_usd), billable_units = COALESCE(NEW.units, billable_units)
    WHERE id = (SELECT MAX(id) FROM fal_requests WHERE request_id = NEW.request_id);
  END;
  `,
  // 30: when FAL's request history was last asked about a possible charge, and when it is asked next
  // (spend/history-settle.ts): asked soon after the job ended, then ever more rarely, a bounded number of
  // times - not at every spend read. Shared by the app and the CLI (one data folder). next_check_at NULL:
  // asked no more (settled, or the history cannot tell more).
  `
  CREATE TABLE history_checks (
    request_id      TEXT PRIMARY KEY,
    checks          INTEGER NOT NULL,
    last_checked_at INTEGER NOT NULL,
    next_check_at   INTEGER,
    outcome         TEXT NOT NULL CHECK (outcome IN ('charged','not_charged','pending','not_listed','undecidable','unreadable'))
  );
  CREATE INDEX history_checks_due ON history_checks(next_check_at) WHERE next_check_at IS NOT NULL;
  `,
];

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies the migrations the database has not seen yet. Returns the resulting version. */
export function migrate(db: Database, migrations: readonly string[] = MIGRATIONS): number {
  const current = schemaVersion(db);
  if (current > migrations.length) {
    throw new Error(
      `The database was written by a newer version of the app (schema ${current}, this version knows ${migrations.length}).`,
    );
  }
  for (let version = current; version < migrations.length; version++) {
    const sql = migrations[version]!;
    db.transaction(() => {
      // Another process may have applied it while this one waited for the lock.
      if (schemaVersion(db) !== version) return;
      db.exec(sql);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
  return schemaVersion(db);
}
