//! Importing a legacy register written by Excel in Italian, and its report checked against a
//! count done by hand.

mod common;

use common::*;
use welcome_desk::domain::matching::BirthQuery;
use welcome_desk::import::parse_register;
use welcome_desk::report::report;
use welcome_desk::store::Store;
#[allow(unused_imports)]
use welcome_desk::store::prelude::*;

fn july_report(store: &dyn Store) -> welcome_desk::domain::tally::Report {
    report(store, day("2025-07-01"), day("2025-07-31")).unwrap()
}

#[test]
fn the_excel_register_imports_and_its_july_report_matches_the_hand_count() {
    let (_dir, mut store) = open_temp();
    let bytes = std::fs::read(fixture("register_excel_it.csv")).unwrap();
    let rows = parse_register(&bytes, rome("2025-12-01 12:00")).unwrap();
    assert_eq!(rows.len(), 10, "the trailing empty Excel row is skipped");
    let summary = store
        .import_accesses(&rows, rome("2025-12-01 12:00"))
        .unwrap();
    assert_eq!(summary.accesses_added, 10);
    assert_eq!(summary.visitors_added, 8);

    // The hand count (see the fixture; P001 first came on 30 June, P003 twice in July).
    let r = july_report(&store);
    assert_eq!(r.accesses, 8);
    assert_eq!(r.walk_ins, 6);
    assert_eq!(r.first_time_walk_ins, 4);
    assert!((r.first_time_share_of_walk_ins - 4.0 / 6.0).abs() < 1e-9);
    assert_eq!(r.unique_visitors, 7);
    assert_eq!(r.new_visitors, 6);
    assert_eq!(r.monthly_accesses.get("2025-07"), Some(&8));
    assert_eq!(r.monthly_accesses.len(), 1);
    assert_eq!(r.by_queue["sai"], 3);
    assert_eq!(r.by_queue["general"], 5);
    assert_eq!(r.by_service["family-reunification"], 4);
    assert_eq!(r.by_service["language-orientation"], 2);
    assert_eq!(r.by_service["legal-administrative"], 1);
    assert_eq!(r.by_service["housing"], 1);
    assert_eq!(
        r.top_services,
        ["family-reunification", "language-orientation", "housing"]
    );
    assert_eq!(r.by_country["EG"], 2);
    assert_eq!(r.by_country["BD"], 2);
    assert_eq!(r.by_country["PE"], 1);
    assert_eq!(r.by_country["GN"], 1);
    assert_eq!(r.by_country["unknown"], 1);
    assert_eq!(r.by_sex["F"], 3);
    assert_eq!(r.by_sex["M"], 4);
    assert_eq!(r.by_age_band["0-17"], 1);
    assert_eq!(r.by_age_band["18-24"], 1);
    assert_eq!(r.by_age_band["25-44"], 2);
    assert_eq!(r.by_age_band["45-64"], 0);
    assert_eq!(r.by_age_band["65+"], 1);
    assert_eq!(r.by_age_band["unknown"], 2);

    // 00:30 on 1 July in Rome (22:30 UTC on 30 June) belongs to July.
    let first_of_july = report(&store, day("2025-07-01"), day("2025-07-01")).unwrap();
    assert_eq!(first_of_july.accesses, 1);
    let june = report(&store, day("2025-06-01"), day("2025-06-30")).unwrap();
    assert_eq!(june.accesses, 1);

    // Names in Arabic and Bengali script are kept exactly as typed.
    let found = store
        .search("محمد", "أحمد", BirthQuery::Unknown, 5)
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].family_name, "محمد");
}

#[test]
fn importing_the_same_file_twice_adds_nothing() {
    let (_dir, mut store) = open_temp();
    let bytes = std::fs::read(fixture("register_excel_it.csv")).unwrap();
    let rows = parse_register(&bytes, rome("2025-12-01 12:00")).unwrap();
    store
        .import_accesses(&rows, rome("2025-12-01 12:00"))
        .unwrap();
    let before = july_report(&store);
    let again = store
        .import_accesses(&rows, rome("2025-12-02 12:00"))
        .unwrap();
    assert_eq!(again.accesses_added, 0);
    assert_eq!(again.already_present, 10);
    assert_eq!(again.visitors_added, 0);
    assert_eq!(july_report(&store), before);
}

#[test]
fn older_history_moves_the_first_time_flag() {
    let (_dir, mut store) = open_temp();
    let later = "arrived_at,person_ref,family_name,given_name,birth_date,sex,country,sai_guest,channel,service\n\
                 2025-07-10 10:00,X1,Ali,Omar,,M,EG,no,walk-in,housing\n";
    let earlier = "arrived_at,person_ref,family_name,given_name,birth_date,sex,country,sai_guest,channel,service\n\
                   2025-05-10 10:00,X1,Ali,Omar,,M,EG,no,walk-in,housing\n";
    let now = rome("2025-12-01 12:00");
    store
        .import_accesses(&parse_register(later.as_bytes(), now).unwrap(), now)
        .unwrap();
    assert_eq!(july_report(&store).first_time_walk_ins, 1);
    store
        .import_accesses(&parse_register(earlier.as_bytes(), now).unwrap(), now)
        .unwrap();
    assert_eq!(
        july_report(&store).first_time_walk_ins,
        0,
        "July is no longer the first access"
    );
    assert_eq!(july_report(&store).new_visitors, 0);
}

#[test]
fn an_import_reports_its_progress_by_rows() {
    #[derive(Default)]
    struct Stages(Vec<(&'static str, Option<u64>)>, u64);
    impl welcome_desk::progress::Progress for Stages {
        fn stage(&mut self, name: &'static str, total: Option<u64>) {
            self.0.push((name, total));
        }
        fn set(&mut self, done: u64) {
            self.1 = self.1.max(done);
        }
    }
    let (_dir, mut store) = open_temp();
    let now = rome("2025-12-01 12:00");
    let bytes = std::fs::read(fixture("register_excel_it.csv")).unwrap();
    let rows = parse_register(&bytes, now).unwrap();
    let mut seen = Stages::default();
    welcome_desk::service::maintenance::import(
        &mut store,
        &welcome_desk::cli::os_principal(),
        &rows,
        "register_excel_it.csv",
        &mut seen,
        now,
    )
    .unwrap();
    let names: Vec<_> = seen.0.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, ["visitors", "accesses", "first accesses", "writing"]);
    assert_eq!(seen.0[1].1, Some(rows.len() as u64));
}
