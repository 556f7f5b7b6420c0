//! Checks, copies and the bulk demo loader.

use super::*;
use crate::domain::appointment::code::CODE_SPACE;
use crate::domain::appointment::{AppointmentState, BookingCode};
use crate::store::Maintenance;

impl Maintenance for SqliteStore {
    fn check(&self) -> Result<()> {
        let verdict: String = self
            .conn
            .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
            .map_err(|e| classify_open_error(&self.path, e))?;
        if verdict == "ok" {
            Ok(())
        } else {
            Err(StoreError::Corrupt {
                path: self.path.clone(),
                detail: verdict,
            })
        }
    }

    /// `PRAGMA integrity_check`: "ok" or the problems found (reads every page and index).
    fn integrity_check(&self) -> Result<String> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let lines: Vec<String> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(lines.join("; "))
    }

    /// Count of rows in the register, for summaries.
    fn counts(&self) -> Result<(u64, u64)> {
        let visitors: i64 = self
            .conn
            .query_row("SELECT count(*) FROM visitor", [], |r| r.get(0))?;
        let accesses: i64 = self
            .conn
            .query_row("SELECT count(*) FROM access", [], |r| r.get(0))?;
        Ok((visitors as u64, accesses as u64))
    }

    /// Into an empty register, in one transaction with prepared statements and a rollback
    /// journal (see below).
    fn load_synthetic_with(
        &mut self,
        days: &mut dyn Iterator<Item = SyntheticDay>,
        staff: &str,
        progress: &mut dyn Progress,
    ) -> Result<(u64, u64)> {
        // The name index takes inserts in random order: a large page cache keeps them in
        // memory until the commit (256 MiB, for this load only).
        let cache: i64 = self
            .conn
            .pragma_query_value(None, "cache_size", |r| r.get(0))?;
        self.conn.pragma_update(None, "cache_size", -262_144)?;
        // Into an empty register, write each page once: a rollback journal instead of the
        // WAL (which would write every page twice, then checkpoint). Demo data only; the
        // register returns to WAL and synchronous=FULL right after.
        let (visitors, _) = self.counts()?;
        let bulk = visitors == 0
            && self
                .conn
                .pragma_update_and_check(None, "journal_mode", "truncate", |r| {
                    r.get::<_, String>(0)
                })
                .is_ok_and(|m| m.eq_ignore_ascii_case("truncate"));
        if bulk {
            // The generator builds its own references; checking each one costs a seek per row.
            self.conn.pragma_update(None, "synchronous", "OFF")?;
            self.conn.pragma_update(None, "foreign_keys", "OFF")?;
        }
        let loaded = self.load_synthetic_days(days, staff, progress);
        if bulk {
            self.conn.pragma_update(None, "foreign_keys", "ON")?;
            self.conn.pragma_update(None, "synchronous", "FULL")?;
            self.conn
                .pragma_update_and_check(None, "journal_mode", "wal", |r| r.get::<_, String>(0))?;
        }
        self.conn.pragma_update(None, "cache_size", cache)?;
        loaded
    }

    fn backup_to_with(&self, dest: &Path, progress: &mut dyn Progress) -> Result<()> {
        let started = std::time::Instant::now();
        if let Some(parent) = dest.parent().filter(|p| !p.as_os_str().is_empty())
            && !parent.is_dir()
        {
            return Err(StoreError::MissingFolder {
                path: parent.to_path_buf(),
            });
        }
        let tmp = dest.with_extension("partial");
        let _ = std::fs::remove_file(&tmp);
        create_private_file(&tmp)?;
        let copied = (|| -> Result<()> {
            let mut target = Connection::open(&tmp)?;
            // An encrypted register's backups are encrypted with the same passphrase.
            key(&target, self.passphrase.as_deref())?;
            {
                let backup = rusqlite::backup::Backup::new(&self.conn, &mut target)?;
                copy_pages(&backup, "copying", progress)?;
            }
            // A backup is one self-contained file (no -wal beside it) that can travel on a
            // USB stick; the register it came from stays in WAL mode.
            let _: String =
                target.pragma_update_and_check(None, "journal_mode", "delete", |r| r.get(0))?;
            Ok(())
        })();
        if let Err(e) = copied {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
        // A backup that is only half written must never carry the final name.
        std::fs::rename(&tmp, dest).map_err(|e| io_error(format!("{}", dest.display()), e))?;
        // The audit key travels with the copy, or its trail could not be verified.
        copy_audit_key(&self.path, dest)?;
        tracing::info!(
            ms = started.elapsed().as_millis() as u64,
            bytes = std::fs::metadata(dest).map(|m| m.len()).ok(),
            "backup written"
        );
        Ok(())
    }
}

impl SqliteStore {
    fn load_synthetic_days(
        &mut self,
        days: &mut dyn Iterator<Item = SyntheticDay>,
        staff: &str,
        progress: &mut dyn Progress,
    ) -> Result<(u64, u64)> {
        progress.stage("days", days.size_hint().1.map(|n| n as u64));
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut visitor_seqs: Vec<i64> = Vec::new();
        let mut accesses = 0u64;
        let mut profiles: HashMap<(String, String), Profiled> = HashMap::new();
        let mut key_names: HashMap<String, u32> = HashMap::new();
        let mut keys: Vec<(u32, i64)> = Vec::new();
        {
            let mut insert_visitor = tx.prepare(
                "INSERT INTO visitor (id, family_name, given_name, name_key, birth_date, sex, \
                 country, languages, sai_guest, phone, created_at, match_profile) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?;
            let mut insert_access = tx.prepare(
                "INSERT INTO access (id, visitor_seq, arrived_at, channel, service, queue, \
                 first_time, priority, source, staff, appointment_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'demo', ?9, ?10)",
            )?;
            let mut insert_ticket = tx.prepare(
                "INSERT INTO ticket (access_seq, day, queue, number, service, state, priority, \
                 desk, issued_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?;
            let mut insert_event = tx.prepare(
                "INSERT INTO ticket_event (ticket_seq, at, event, state, desk, staff) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            let mut max_number = tx.prepare(
                "SELECT COALESCE(MAX(number), 0) FROM ticket WHERE day = ?1 AND queue = ?2",
            )?;
            let mut insert_appointment = tx.prepare(
                "INSERT INTO appointment (id, code, visitor_seq, family_name, given_name, \
                 service, start_at, day, booked_via, booked_at, state, access_seq) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?;
            let mut insert_appointment_event = tx.prepare(
                "INSERT INTO appointment_event (appointment_seq, at, event, staff) \
                 VALUES (?1, ?2, ?3, ?4)",
            )?;
            // Codes already held (a register that had bookings before the demo).
            let mut codes: HashSet<u32> = tx
                .prepare("SELECT code FROM appointment")?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for (done, day) in days.enumerate() {
                progress.set(done as u64);
                for v in &day.visitors {
                    let d = &v.details;
                    // Names repeat: profile each distinct name once.
                    let names = (d.family_name.clone(), d.given_name.clone());
                    let (profile, stored) = profiles.entry(names).or_insert_with(|| {
                        let profile = matching::profile(&d.family_name, &d.given_name);
                        let stored = profile.to_stored();
                        (profile, stored)
                    });
                    let key_ids: Vec<u32> = profile
                        .index_keys_with_birth(d.birth_date)
                        .into_iter()
                        .map(|k| {
                            let next = key_names.len() as u32;
                            *key_names.entry(k).or_insert(next)
                        })
                        .collect();
                    insert_visitor.execute(params![
                        uuid_at(v.created_at).to_string(),
                        d.family_name,
                        d.given_name,
                        name_key(&d.family_name, &d.given_name),
                        d.birth_date.map(|b| b.to_string()),
                        d.sex.code(),
                        d.country,
                        d.languages.join(","),
                        d.sai_guest,
                        d.phone,
                        secs(v.created_at),
                        stored.as_str(),
                    ])?;
                    let seq = tx.last_insert_rowid();
                    visitor_seqs.push(seq);
                    keys.extend(key_ids.iter().map(|id| (*id, seq)));
                }
                let mut numbers: HashMap<(NaiveDate, Queue), u32> = HashMap::new();
                // The slot of each access that was a booking checked in.
                let slots: HashMap<usize, DateTime<Utc>> = day
                    .appointments
                    .iter()
                    .filter_map(|b| b.access.map(|i| (i, b.start)))
                    .collect();
                let mut day_accesses: Vec<(i64, i64)> = Vec::with_capacity(day.accesses.len());
                for (i, a) in day.accesses.iter().enumerate() {
                    let visitor_seq = *visitor_seqs.get(a.visitor).ok_or_else(|| {
                        StoreError::NotFound(format!(
                            "synthetic access refers to visitor {} of {}",
                            a.visitor,
                            visitor_seqs.len()
                        ))
                    })?;
                    insert_access.execute(params![
                        uuid_at(a.arrived_at).to_string(),
                        visitor_seq,
                        secs(a.arrived_at),
                        a.channel.code(),
                        a.service,
                        a.queue.code(),
                        a.first_time,
                        a.priority.map(Priority::code),
                        staff,
                        slots.get(&i).map(|at| secs(*at)),
                    ])?;
                    accesses += 1;
                    let access_seq = tx.last_insert_rowid();
                    day_accesses.push((access_seq, visitor_seq));
                    let Some(t) = &a.ticket else { continue };
                    let day_of = rome_day(a.arrived_at);
                    let number = match numbers.get_mut(&(day_of, a.queue)) {
                        Some(n) => {
                            *n += 1;
                            *n
                        }
                        None => {
                            let max: u32 = max_number
                                .query_row(params![day_of.to_string(), a.queue.code()], |r| {
                                    r.get(0)
                                })?;
                            numbers.insert((day_of, a.queue), max + 1);
                            max + 1
                        }
                    };
                    let updated = t.closed_at.or(t.started_at).or(t.called_at);
                    insert_ticket.execute(params![
                        access_seq,
                        day_of.to_string(),
                        a.queue.code(),
                        number,
                        a.service,
                        t.state.code(),
                        a.priority.is_some(),
                        t.desk,
                        secs(a.arrived_at),
                        secs(updated.unwrap_or(a.arrived_at)),
                    ])?;
                    let ticket_seq = tx.last_insert_rowid();
                    let mut log = vec![(a.arrived_at, TicketEvent::Issue, TicketState::Waiting)];
                    if let Some(c) = t.called_at {
                        log.push((c, TicketEvent::Call, TicketState::Called));
                    }
                    if let Some(s) = t.started_at {
                        log.push((s, TicketEvent::Start, TicketState::InService));
                    }
                    if let Some(c) = t.closed_at {
                        let event = match t.state {
                            TicketState::NoShow => TicketEvent::NoShow,
                            TicketState::Cancelled => TicketEvent::Cancel,
                            _ => TicketEvent::Finish,
                        };
                        log.push((c, event, t.state));
                    }
                    for (at, event, state) in log {
                        let desk = if event == TicketEvent::Issue {
                            None
                        } else {
                            t.desk.as_deref()
                        };
                        insert_event.execute(params![
                            ticket_seq,
                            secs(at),
                            event.code(),
                            state.code(),
                            desk,
                            staff
                        ])?;
                    }
                }
                for b in &day.appointments {
                    let (access_seq, visitor_seq) = match b.access {
                        Some(i) => {
                            let (access, visitor) = *day_accesses.get(i).ok_or_else(|| {
                                StoreError::NotFound(format!(
                                    "synthetic booking refers to access {i} of {}",
                                    day_accesses.len()
                                ))
                            })?;
                            (Some(access), Some(visitor))
                        }
                        None => (None, None),
                    };
                    let names = b.names.as_ref().filter(|_| visitor_seq.is_none());
                    // The generator's code, or the next one free in a register that had
                    // bookings already.
                    let mut code = b.code;
                    while !codes.insert(code.value()) {
                        code = BookingCode::from_value((code.value() + 1) % CODE_SPACE)
                            .unwrap_or(code);
                    }
                    insert_appointment.execute(params![
                        uuid_at(b.booked_at).to_string(),
                        code.value(),
                        visitor_seq,
                        names.map(|n| &n.0),
                        names.map(|n| &n.1),
                        b.service,
                        secs(b.start),
                        rome_day(b.start).to_string(),
                        b.booked_via.code(),
                        secs(b.booked_at),
                        b.state.code(),
                        access_seq,
                    ])?;
                    let seq = tx.last_insert_rowid();
                    insert_appointment_event.execute(params![
                        seq,
                        secs(b.booked_at),
                        "booked",
                        staff
                    ])?;
                    let event = match b.state {
                        AppointmentState::Booked => "booked",
                        AppointmentState::CheckedIn => "checked-in",
                        AppointmentState::NoShow => "no-show",
                        AppointmentState::Cancelled => "cancelled",
                    };
                    if let Some(at) = b.closed_at {
                        insert_appointment_event.execute(params![seq, secs(at), event, staff])?;
                    }
                }
            }
        }
        // The search keys go in last, in key order: a B-tree filled in order is written once,
        // where the same rows in arrival order would touch a random page each.
        let mut ranked: Vec<(&String, u32)> = key_names.iter().map(|(k, id)| (k, *id)).collect();
        ranked.sort();
        let mut rank = vec![0u32; ranked.len()];
        for (r, (_, id)) in ranked.iter().enumerate() {
            rank[*id as usize] = r as u32;
        }
        keys.sort_unstable_by_key(|(id, seq)| (rank[*id as usize], *seq));
        progress.stage("search keys", Some(keys.len() as u64));
        {
            let mut insert_key = tx.prepare(
                "INSERT OR IGNORE INTO visitor_match_key (key, visitor_seq) VALUES (?1, ?2)",
            )?;
            for (done, (id, seq)) in keys.iter().enumerate() {
                if (done as u64).is_multiple_of(16 * EVERY) {
                    progress.set(done as u64);
                }
                insert_key.execute(params![ranked[rank[*id as usize] as usize].0, seq])?;
            }
        }
        progress.stage("writing", None);
        tx.commit()?;
        tracing::info!(
            visitors = visitor_seqs.len(),
            accesses,
            "synthetic traffic loaded"
        );
        Ok((visitor_seqs.len() as u64, accesses))
    }
}

/// Copy every page through SQLite's online backup, a few at a time with a pause between
/// (terminals keep writing meanwhile), telling `progress` how many are done of how many.
pub(super) fn copy_pages(
    backup: &rusqlite::backup::Backup<'_, '_>,
    stage: &'static str,
    progress: &mut dyn Progress,
) -> Result<()> {
    let mut total = None;
    loop {
        let step = backup.step(256)?;
        // The page count is known after the first step, and grows if terminals add pages.
        let p = backup.progress();
        let pages = Some(p.pagecount.max(0) as u64);
        if pages != total {
            total = pages;
            progress.stage(stage, total);
        }
        progress.set((p.pagecount - p.remaining).max(0) as u64);
        match step {
            rusqlite::backup::StepResult::Done => return Ok(()),
            // More, or busy or locked by a terminal's write: try again after a pause.
            _ => std::thread::sleep(Duration::from_millis(5)),
        }
    }
}
