//! Staff accounts: created once by name, signed in with their password only, locked after
//! too many failures, unlocked by a reset, their role changed by an administrator.

use chrono::Duration;
use welcome_desk::domain::staff::{FAILURES_BEFORE_LOCK, LOCK_MINUTES, Role};
use welcome_desk::store::{StaffAccount, StoreError};

use super::Engine;
use crate::common::*;

const TERMINAL: &str = "terminal:front-1";

pub fn an_account_signs_in_with_its_password_only(engine: &dyn Engine) {
    let mut reg = engine.fresh();
    let mut desk = reg.another();
    let store = &mut reg.store;
    let at = rome("2025-07-07 08:30");
    assert!(store.staff_accounts().unwrap().is_empty());
    store
        .create_staff("Admin", Role::Admin, "a long secret", true, at)
        .unwrap();
    // The first administrator only once: accounts exist now.
    let e = store
        .create_staff("Mallory", Role::Admin, "another secret", true, at)
        .unwrap_err();
    assert!(matches!(e, StoreError::Input(_)), "{e}");
    store
        .create_staff("Amina", Role::Reception, "reception pass", false, at)
        .unwrap();
    // A name is taken whatever its case; a short password is refused.
    let e = store
        .create_staff("amina", Role::Mediator, "another pass", false, at)
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Input(ref f) if f.field == "name"),
        "{e}"
    );
    let e = store
        .create_staff("Luca", Role::Mediator, "short", false, at)
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Input(ref f) if f.field == "password"),
        "{e}"
    );
    let account = |name: &str, role| StaffAccount {
        name: name.into(),
        role,
        failures: 0,
        locked_until: None,
        must_change: false,
    };
    assert_eq!(
        store.staff_accounts().unwrap(),
        [
            account("Admin", Role::Admin),
            account("Amina", Role::Reception)
        ]
    );

    let session = store
        .sign_in("amina", "reception pass", TERMINAL, at)
        .unwrap();
    assert_eq!(
        (
            session.staff.as_str(),
            session.role,
            session.must_change_password
        ),
        ("Amina", Role::Reception, false)
    );
    // Another terminal knows the same accounts.
    let session = desk
        .sign_in("Amina", "reception pass", "terminal:desk-3", at)
        .unwrap();
    assert_eq!(session.staff, "Amina");

    let e = store
        .sign_in("Amina", "Reception pass", TERMINAL, at)
        .unwrap_err();
    assert!(matches!(e, StoreError::SignInRefused), "{e}");
    let failures = |store: &dyn welcome_desk::store::Store| {
        store
            .staff_accounts()
            .unwrap()
            .into_iter()
            .find(|a| a.name == "Amina")
            .unwrap()
            .failures
    };
    assert_eq!(failures(&**store), 1);
    assert_eq!(failures(&*desk), 1, "seen from the other terminal");
    store
        .sign_in("Amina", "reception pass", TERMINAL, at)
        .unwrap();
    assert_eq!(failures(&**store), 0, "a sign-in starts the count again");
    let e = store
        .sign_in("Nobody", "reception pass", TERMINAL, at)
        .unwrap_err();
    assert!(matches!(e, StoreError::SignInRefused), "{e}");
    // No account ever shows its hash.
    let listed = format!("{:?}", store.staff_accounts().unwrap());
    assert!(
        !listed.contains("argon2") && !listed.contains("secret"),
        "{listed}"
    );
}

pub fn six_failures_lock_the_account_and_a_reset_unlocks_it(engine: &dyn Engine) {
    let mut reg = engine.fresh();
    let mut admin = reg.another();
    let store = &mut reg.store;
    let at = rome("2025-07-07 08:30");
    store
        .create_staff("Amina", Role::Reception, "reception pass", false, at)
        .unwrap();
    store
        .create_staff("Luca", Role::Mediator, "mediator pass", false, at)
        .unwrap();
    let lock = |store: &mut Box<dyn welcome_desk::store::Store>, name: &str| {
        for n in 1..FAILURES_BEFORE_LOCK {
            let e = store
                .sign_in(name, "wrong guess", TERMINAL, at)
                .unwrap_err();
            assert!(matches!(e, StoreError::SignInRefused), "attempt {n}: {e}");
        }
        let e = store
            .sign_in(name, "wrong guess", TERMINAL, at)
            .unwrap_err();
        assert!(
            matches!(e, StoreError::AccountLocked { failures, .. } if failures == FAILURES_BEFORE_LOCK),
            "{e}"
        );
    };
    lock(store, "Amina");
    let until = at + Duration::minutes(LOCK_MINUTES);
    let amina = |store: &dyn welcome_desk::store::Store| {
        store
            .staff_accounts()
            .unwrap()
            .into_iter()
            .find(|a| a.name == "Amina")
            .unwrap()
    };
    let locked = amina(&**store);
    assert_eq!(
        (locked.failures, locked.locked_until),
        (FAILURES_BEFORE_LOCK, Some(until))
    );
    // Locked: the right password does not open it, from any terminal, until the lock ends.
    let almost = until - Duration::minutes(1);
    for terminal in [&mut *store, &mut admin] {
        let e = terminal
            .sign_in("Amina", "reception pass", TERMINAL, almost)
            .unwrap_err();
        assert!(matches!(e, StoreError::AccountLocked { .. }), "{e}");
    }

    // An administrator resets the password (on another terminal): unlocked at once, and the
    // new password must be changed at the next sign-in.
    admin.set_password("Amina", "temporary 123", true).unwrap();
    let reset = amina(&**store);
    assert_eq!(
        (reset.failures, reset.locked_until, reset.must_change),
        (0, None, true)
    );
    let e = store
        .sign_in("Amina", "reception pass", TERMINAL, almost)
        .unwrap_err();
    assert!(
        matches!(e, StoreError::SignInRefused),
        "the old password: {e}"
    );
    let session = store
        .sign_in("Amina", "temporary 123", TERMINAL, almost)
        .unwrap();
    assert!(session.must_change_password);
    store
        .set_password("Amina", "her own secret", false)
        .unwrap();
    let session = store
        .sign_in("Amina", "her own secret", TERMINAL, almost)
        .unwrap();
    assert!(!session.must_change_password);
    assert!(matches!(
        store.set_password("Nobody", "some password", false),
        Err(StoreError::NotFound(_))
    ));

    // Without a reset, the lock ends by itself; the other account was never locked.
    lock(store, "Luca");
    let after = at + Duration::minutes(LOCK_MINUTES) + Duration::seconds(1);
    store
        .sign_in("Luca", "mediator pass", TERMINAL, after)
        .unwrap();
}

pub fn a_role_change_is_what_the_next_sign_in_gets(engine: &dyn Engine) {
    let mut reg = engine.fresh();
    let mut other = reg.another();
    let store = &mut reg.store;
    let at = rome("2025-07-07 08:30");
    store
        .create_staff("Luca", Role::Mediator, "mediator pass", false, at)
        .unwrap();
    let session = store
        .sign_in("Luca", "mediator pass", TERMINAL, at)
        .unwrap();
    assert_eq!(session.role, Role::Mediator);
    other.set_role("Luca", Role::Coordinator).unwrap();
    assert_eq!(store.staff_accounts().unwrap()[0].role, Role::Coordinator);
    let session = store
        .sign_in("Luca", "mediator pass", TERMINAL, at)
        .unwrap();
    assert_eq!(session.role, Role::Coordinator);
    assert!(matches!(
        store.set_role("Nobody", Role::Admin),
        Err(StoreError::NotFound(_))
    ));
    // The command line's role is not an account's.
    assert!(matches!(
        store.set_role("Luca", Role::System),
        Err(StoreError::Input(_))
    ));
    assert_eq!(store.staff_accounts().unwrap()[0].role, Role::Coordinator);
}
