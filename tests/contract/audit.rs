//! The audit trail: entries appended in order, listed by Europe/Rome day, and one chain that
//! verifies whichever terminal wrote each entry.

use chrono::Duration;
use welcome_desk::domain::audit::AuditAction;
use welcome_desk::domain::staff::Role;
use welcome_desk::store::{Principal, Store};

use super::Engine;
use crate::common::*;

fn principal(staff: &str, role: Role, terminal: &str) -> Principal {
    Principal {
        staff: staff.into(),
        role,
        terminal: terminal.into(),
    }
}

pub fn entries_are_listed_by_rome_day_and_verified(engine: &dyn Engine) {
    let mut reg = engine.fresh();
    let store = &mut reg.store;
    assert_eq!(store.verify_audit().unwrap(), 0, "an empty trail");
    let d7 = day("2025-07-07");
    let d8 = day("2025-07-08");
    assert!(store.audit_trail(d7, d8).unwrap().is_empty());

    let amina = principal("Amina", Role::Reception, "terminal:front-1");
    let sara = principal("Sara", Role::Coordinator, "terminal:office");
    // (who, action, record, fields, Rome time): 23:30 and 00:30 in Rome are both 7 July in UTC.
    let written = [
        (
            &amina,
            AuditAction::Search,
            None,
            vec![],
            "2025-07-07 10:00",
        ),
        (
            &amina,
            AuditAction::Create,
            Some("V-000001"),
            vec!["family_name", "given_name"],
            "2025-07-07 10:01",
        ),
        (
            &sara,
            AuditAction::Export,
            Some("V-000001"),
            vec![],
            "2025-07-07 23:30",
        ),
        (
            &sara,
            AuditAction::OpenCard,
            Some("V-000002"),
            vec!["phone"],
            "2025-07-08 00:30",
        ),
    ];
    for (by, action, record, fields, at) in &written {
        store.audit(by, *action, *record, fields, rome(at)).unwrap();
    }
    assert_eq!(store.verify_audit().unwrap(), written.len() as i64);

    let listed = |from, to| {
        store
            .audit_trail(from, to)
            .unwrap()
            .into_iter()
            .map(|e| {
                (
                    e.staff, e.role, e.terminal, e.action, e.record, e.fields, e.at,
                )
            })
            .collect::<Vec<_>>()
    };
    let expected = |range: std::ops::Range<usize>| {
        written[range]
            .iter()
            .map(|(by, action, record, fields, at)| {
                (
                    by.staff.clone(),
                    by.role.code().to_string(),
                    by.terminal.clone(),
                    action.code().to_string(),
                    record.map(str::to_string),
                    fields.iter().map(|f| f.to_string()).collect::<Vec<_>>(),
                    rome(at),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(listed(d7, d7), expected(0..3), "7 July in Rome");
    assert_eq!(listed(d8, d8), expected(3..4), "8 July in Rome");
    assert_eq!(listed(d7, d8), expected(0..4));
    let seqs: Vec<i64> = store
        .audit_trail(d7, d8)
        .unwrap()
        .iter()
        .map(|e| e.seq)
        .collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
}

pub fn the_chain_holds_when_two_connections_write_alternately(engine: &dyn Engine) {
    let mut reg = engine.fresh();
    let mut other = reg.another();
    let front = principal("Amina", Role::Reception, "terminal:front-1");
    let desk = principal("Luca", Role::Mediator, "terminal:desk-3");
    let start = rome("2025-07-07 09:00");
    let n = 12;
    for i in 0..n {
        let (store, by): (&mut Box<dyn Store>, _) = if i % 2 == 0 {
            (&mut reg.store, &front)
        } else {
            (&mut other, &desk)
        };
        store
            .audit(
                by,
                AuditAction::Search,
                None,
                &[],
                start + Duration::minutes(i),
            )
            .unwrap();
    }
    // Sign-ins are audited too, from either terminal.
    reg.store
        .create_staff("Amina", Role::Reception, "reception pass", false, start)
        .unwrap();
    let at = start + Duration::minutes(n);
    other
        .sign_in("Amina", "reception pass", "terminal:desk-3", at)
        .unwrap();
    reg.store
        .sign_in("Amina", "wrong guess", "terminal:front-1", at)
        .unwrap_err();
    let total = n + 2;
    assert_eq!(reg.store.verify_audit().unwrap(), total);
    assert_eq!(other.verify_audit().unwrap(), total);
    let trail = other
        .audit_trail(day("2025-07-07"), day("2025-07-07"))
        .unwrap();
    assert_eq!(trail.len() as i64, total);
    let who: Vec<&str> = trail.iter().map(|e| e.terminal.as_str()).collect();
    let mut expected: Vec<&str> = (0..n)
        .map(|i| {
            if i % 2 == 0 {
                "terminal:front-1"
            } else {
                "terminal:desk-3"
            }
        })
        .collect();
    expected.extend(["terminal:desk-3", "terminal:front-1"]);
    assert_eq!(who, expected, "in the order written");
    let actions: Vec<&str> = trail[n as usize..]
        .iter()
        .map(|e| e.action.as_str())
        .collect();
    assert_eq!(
        actions,
        [AuditAction::SignIn.code(), AuditAction::SignInFailed.code()]
    );
}
