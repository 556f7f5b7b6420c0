//! The contract of the register's storage: one suite of cases that every engine must pass.
//!
//! A case is a plain `pub fn case(engine: &dyn Engine)` that asks the engine for a fresh,
//! empty register and works on it through the public traits only (`Store`, and
//! `Appointments` for the cases in `appointments`). Nothing here names an engine: SQLite
//! files, temporary folders or a throwaway server belong to the engine's own test file,
//! which runs everything with one line:
//!
//! ```ignore
//! mod common;
//! #[macro_use]
//! mod contract;
//! contract_suite!(sqlite: SqliteEngine, with appointments);
//! ```
//!
//! Each case becomes one `#[test]` named `<engine>::<area>::<case>`, so a failure says what
//! broke and on which engine. The cases use the shared helpers of `tests/common` (fixed
//! Europe/Rome instants, people, walk-ins); the engine's file must declare `mod common;`.
//!
//! What only one engine does (file bytes, hostile files, encryption, a killed file writer)
//! is tested beside that engine, not here.
#![allow(dead_code)]

pub mod appointments;
pub mod audit;
pub mod import;
pub mod merge;
pub mod privacy;
pub mod registration;
pub mod reports;
pub mod search;
pub mod settings;
pub mod staff;
pub mod tickets;
pub mod transitions;

use std::any::Any;

use welcome_desk::store::Store;

/// A fresh register, and a way to reach it from a second terminal.
///
/// `S` is what the register is seen through: `dyn Store` for most cases, `dyn Store`
/// for those about bookings.
pub struct Register<S: ?Sized = dyn Store> {
    /// The first terminal's connection (declared first: dropped before what it lives in).
    pub store: Box<S>,
    another: Box<dyn Fn() -> Box<S>>,
    _keep: Box<dyn Any>,
}

impl<S: ?Sized> Register<S> {
    /// `store` is the first connection; `another` opens one more to the same register;
    /// `keep` is whatever must outlive both (a temporary folder, a database to drop).
    pub fn new(store: Box<S>, another: impl Fn() -> Box<S> + 'static, keep: impl Any) -> Self {
        Register {
            store,
            another: Box::new(another),
            _keep: Box::new(keep),
        }
    }

    /// A second connection to the same register: another desk, another PC.
    pub fn another(&self) -> Box<S> {
        (self.another)()
    }
}

/// A storage engine under test: it hands out empty registers, one per case.
pub trait Engine {
    fn fresh(&self) -> Register;
}

/// An engine whose store also takes bookings.
pub trait BookingEngine {
    fn fresh_with_appointments(&self) -> Register<dyn Store>;
}

/// Expands to one `#[test]` per case of the contract, in a module named after the engine:
/// `contract_suite!(sqlite: SqliteEngine)`, or `contract_suite!(sqlite: SqliteEngine, with
/// appointments)` when the engine's store implements `Appointments` (the engine then
/// implements `BookingEngine` too). The expression is evaluated once per test.
macro_rules! contract_suite {
    ($name:ident : $engine:expr, with appointments) => {
        contract_suite!(@suite $name : $engine; {
            fn booking_engine() -> impl $crate::contract::BookingEngine {
                $engine
            }
            contract_suite!(@cases booking_engine;
                appointments {
                    a_full_slot_is_refused_and_a_cancel_frees_it,
                    a_check_in_issues_an_appointment_ticket_once,
                    a_check_in_sent_again_gets_the_ticket_already_issued,
                    the_sweep_marks_no_shows_once,
                    a_services_agenda_shapes_its_slots,
                    a_persons_export_lists_their_bookings,
                }
            );
        });
    };
    ($name:ident : $engine:expr) => {
        contract_suite!(@suite $name : $engine; {});
    };
    (@suite $name:ident : $engine:expr; { $($extra:tt)* }) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            fn engine() -> impl $crate::contract::Engine {
                $engine
            }

            contract_suite!(@cases engine;
                registration {
                    a_new_visitor_is_a_first_access_and_a_returning_one_is_not,
                    sai_guests_go_to_their_queue_and_an_override_needs_a_reason,
                    the_staff_who_acted_is_stored_and_exported,
                    a_registration_sent_again_gets_the_ticket_already_issued,
                }
                tickets {
                    numbers_are_dense_per_queue_across_terminals_and_restart_each_rome_day,
                    calls_follow_priority_then_due_appointments_then_arrival,
                    a_desk_calls_only_its_queues_and_only_today,
                    two_desks_on_two_connections_never_get_the_same_ticket,
                }
                transitions {
                    recall_start_and_finish_write_one_event_each,
                    no_show_and_cancel_close_a_ticket_for_good,
                    an_illegal_transition_is_refused_and_changes_nothing,
                    a_transfer_closes_the_ticket_and_links_a_new_one,
                }
                search {
                    an_exact_and_a_differently_transliterated_name_find_the_visitor,
                    the_limit_is_respected,
                    a_merged_person_is_found_once,
                }
                merge {
                    reports_and_first_time_follow_the_person_and_undo_restores_both,
                    chained_merges_are_undone_latest_first,
                }
                reports {
                    figures_follow_the_accesses_across_a_month_boundary_in_rome_time,
                }
                import {
                    a_second_import_adds_nothing_and_first_time_flags_are_recomputed,
                }
                privacy {
                    an_erased_person_is_gone_and_the_figures_stay,
                    the_purge_anonymises_only_people_last_seen_before_the_cutoff,
                }
                audit {
                    entries_are_listed_by_rome_day_and_verified,
                    the_chain_holds_when_two_connections_write_alternately,
                }
                settings {
                    a_setting_is_read_back_overwritten_and_shared,
                }
                staff {
                    an_account_signs_in_with_its_password_only,
                    six_failures_lock_the_account_and_a_reset_unlocks_it,
                    a_role_change_is_what_the_next_sign_in_gets,
                }
            );

            $($extra)*
        }
    };
    (@cases $make:ident; $($area:ident { $($(#[$meta:meta])* $case:ident),* $(,)? })*) => {
        $(
            mod $area {
                $(
                    #[test]
                    $(#[$meta])*
                    fn $case() {
                        $crate::contract::$area::$case(&super::$make());
                    }
                )*
            }
        )*
    };
}
