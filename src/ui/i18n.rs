//! Every visible string of the terminal, in Italian (the default), English, and any other
//! language whose Fluent catalogue lies in assets/i18n/ (`build.rs` embeds them all).
//!
//! A message's id is the kebab-case of its `T` key (`T::CallNext` is `call-next`); messages
//! that take arguments (counts with their plural forms) are formatted with [`tf`].
//!
//! A new message goes into every file of assets/i18n/ (the tests fail until each has it), then
//! gets a `T` key (plain text) or a `msg` id (text with arguments). A new language is a copy of
//! it.ftl named by the language's code (`fr.ftl`), translated: nothing in Rust changes, and the
//! switch button reaches it in turn.

use std::collections::HashMap;
use std::sync::{LazyLock, OnceLock};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use unic_langid::LanguageIdentifier;

pub use fluent_bundle::FluentValue;

use crate::domain::reference;
use crate::domain::staff::Role;
use crate::domain::{Channel, Priority, Queue, Sex, TicketState};

/// `(language code, Fluent source)` of every embedded catalogue: Italian, English, then the
/// others by code.
const CATALOGUES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/catalogues.rs"));

/// A language the terminal speaks: one of the embedded catalogues. Italian is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Lang(u8);

// Named like the enum variants they replace, so code and tests naming `Lang::It` read as before.
#[allow(non_upper_case_globals)]
impl Lang {
    pub const It: Lang = Lang(0);
    pub const En: Lang = Lang(1);

    /// Every embedded language, Italian first.
    pub fn all() -> impl Iterator<Item = Lang> {
        (0..CATALOGUES.len()).map(|i| Lang(i as u8))
    }

    /// The language's code, the name of its catalogue file (`it`, `en`).
    pub fn code(self) -> &'static str {
        CATALOGUES[self.index()].0
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::all().find(|l| l.code() == code)
    }

    /// The language's own name (`Italiano`, `English`).
    pub fn name(self) -> &'static str {
        lookup(self, "language-name").unwrap_or(self.code())
    }

    /// The next language, cycling back to the first: what the switch button leads to.
    pub fn other(self) -> Lang {
        Lang(((self.index() + 1) % CATALOGUES.len()) as u8)
    }

    fn index(self) -> usize {
        usize::from(self.0)
    }
}

macro_rules! keys {
    ($($key:ident,)*) => {
        /// The catalogue's keys: each names the message whose id is its kebab-case.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum T {
            $($key,)*
        }

        impl T {
            /// Every key in declaration order, so `ALL[key as usize] == key`.
            pub const ALL: &[T] = &[$(T::$key,)*];

            fn name(self) -> &'static str {
                match self {
                    $(T::$key => stringify!($key),)*
                }
            }
        }
    };
}

keys! {
    Reception,
    Desk,
    Tally,
    OpenDisplay,
    ChimeOn,
    ChimeOff,
    SwitchLanguage,
    DarkTheme,
    LightTheme,
    Opening,
    PassphraseTitle,
    PassphraseNote,
    Records,
    PersonRequests,
    ExportData,
    EraseData,
    ConfirmErase,
    Cancel,
    MergeRecords,
    Merge,
    UndoMerge,
    AuditTrail,
    Show,
    Erased,
    MergedNumber,
    MergeUndone,
    FirstAdminTitle,
    FirstAdminNote,
    SignInTitle,
    LockedTitle,
    LockedNote,
    NewPasswordTitle,
    NewPasswordNote,
    WallScreenTitle,
    WallScreenNote,
    WallScreenAdminOnly,
    StaffName,
    Password,
    RepeatPassword,
    CreateAdmin,
    Unlock,
    SavePassword,
    SignIn,
    SomeoneElse,
    StaffAccounts,
    CreateAccount,
    ResetNote,
    AccountLocked,
    MustChange,
    ResetPassword,
    ChangeRole,
    IdleLockMinutes,
    Save,
    Staff,
    SignOut,
    LockNow,
    BackupFailed,
    CrashNotice,
    ServerAway,
    FamilyName,
    GivenName,
    BirthDate,
    DateHint,
    Sex,
    Country,
    CountryHint,
    Languages,
    LanguagesHint,
    SaiGuest,
    Channel,
    Service,
    Priority,
    NoPriority,
    ProposedQueue,
    BecauseSai,
    BecauseNotSai,
    OverrideQueue,
    KeepProposed,
    OverrideReason,
    Register,
    Registering,
    Clear,
    FirstAccess,
    Returning,
    Candidates,
    Likely,
    NoCandidates,
    ConfirmByAsking,
    UseCandidate,
    NotThisPerson,
    IssuedTicket,
    EstimatedWait,
    NoDeskOpen,
    RecentAccesses,
    NoAccessesYet,
    AfterHours,
    PublicHoliday,
    ClosingSoon,
    DeskLabel,
    QueuesServed,
    MyLanguages,
    CallNext,
    Recall,
    Start,
    Finish,
    NoShow,
    Transfer,
    TransferTo,
    NowServing,
    NobodyAtDesk,
    NobodyWaiting,
    WaitingList,
    SpeaksLanguage,
    Today,
    Accesses,
    FirstTimeShare,
    NewVisitors,
    UniqueVisitors,
    Waiting,
    AtDesk,
    Served,
    NoShows,
    AverageWait,
    LongestWait,
    ArrivalsPerHour,
    PerService,
    Range,
    From,
    To,
    Compute,
    ExportCsv,
    ExportedTo,
    MonthlyAccesses,
    AverageMonthly,
    TopServices,
    TopCountries,
    Dismiss,
    Visitor,
    LastCalls,
    Queue,
    FinishCurrentFirst,
    ChangeDesk,
    SaveDesk,
    DeskSetupNote,
    SetDeskFirst,
    ErrRequired,
    ErrChooseOne,
    ErrNoLetter,
    ErrInvisible,
    ErrNotADate,
    ErrFuture,
    ErrBefore1900,
    ErrCountry,
    ErrPhone,
    ErrOnlySpaces,
    ErrMismatch,
    ErrNotChosen,
    ErrBusy,
    ErrSignIn,
    ErrForbidden,
    ErrReadOnly,
    ErrDiskFull,
    ErrWriteFailed,
    ErrReadFailed,
    ErrNotFound,
    ErrTransition,
    ErrTechnical,
    LargerText,
    CandidateKeys,
    NormalText,
    Cancelled,
    ErrRangeOrder,
    ErrNotANumber,
    DeskLabelExample,
    Unknown,
    VoiceOn,
    VoiceOff,
    Reprint,
    PrintNoPrinter,
    PrintBadAddress,
    PrintRefused,
    PrintNoAnswer,
    PrintUnreachable,
    PrintClosed,
    PrintPaperOut,
    PrintCoverOpen,
    PrintOffline,
    PrintFault,
    PrintNoDevice,
    PrintRender,
    Appointments,
    AgendaOf,
    PreviousDay,
    NextDay,
    FilterAgenda,
    Time,
    BookingCodeLabel,
    State,
    NoBookings,
    CheckIn,
    CancelBooking,
    ConfirmCancelBooking,
    Reschedule,
    Moving,
    NewBooking,
    FreeSlots,
    NoFreeSlots,
    Phone,
    VisitorCodeOptional,
    BookedViaLabel,
    Book,
    Confirmation,
    ConfirmationLanguage,
    Copy,
    Copied,
    CheckedInLate,
    CheckedInOnTime,
    DueNextHour,
    NoneDue,
    ErrCodeNames,
    BookingRefused,
    Slot,
    OnFileChosen,
    AppointmentKeys,
    BookingCancelled,
    CancelMove,
    NameColumn,
}

impl T {
    /// The id of the key's message: `CallNext` is `call-next`.
    pub fn id(self) -> String {
        let mut id = String::new();
        for (i, c) in self.name().chars().enumerate() {
            if c.is_ascii_uppercase() && i > 0 {
                id.push('-');
            }
            id.push(c.to_ascii_lowercase());
        }
        id
    }
}

/// Ids of the messages that take arguments, for [`tf`].
pub mod msg {
    /// `$count` people waiting in a queue.
    pub const WAITING_COUNT: &str = "waiting-count";
    /// The estimated wait, `$minutes`.
    pub const ESTIMATED_WAIT_MINUTES: &str = "estimated-wait-minutes";
    /// How long a visitor has waited, `$minutes`.
    pub const WAITED_MINUTES: &str = "waited-minutes";
    /// A visitor's `$count` accesses so far.
    pub const ACCESS_COUNT: &str = "access-count";
    /// A duration of `$minutes` in a figure, abbreviated.
    pub const MINUTES_SHORT: &str = "minutes-short";
    /// A field longer than `$max` characters.
    pub const ERR_TOO_LONG: &str = "err-too-long";
    /// A password shorter than `$min` characters.
    pub const ERR_TOO_SHORT: &str = "err-too-short";
    /// A name holding `$char`, which names are not made of.
    pub const ERR_NAME_CHAR: &str = "err-name-char";
    /// `$code` is not a language code.
    pub const ERR_LANGUAGE: &str = "err-language";
    /// An account locked after `$failures` failures until `$until`.
    pub const ERR_ACCOUNT_LOCKED: &str = "err-account-locked";
    /// A number or a length outside `$min`..`$max`.
    pub const ERR_OUT_OF_RANGE: &str = "err-out-of-range";
    /// A ticket not printed, and `$reason`.
    pub const NOT_PRINTED: &str = "not-printed";
    /// The `$time` slot is full, the next free one `$next`.
    pub const ERR_SLOT_FULL: &str = "err-slot-full";
    /// The `$time` slot is full and nothing is free later that day.
    pub const ERR_SLOT_FULL_DAY: &str = "err-slot-full-day";
    /// The person already holds booking `$code` at `$time` that day.
    pub const ERR_ALREADY_BOOKED: &str = "err-already-booked";

    pub const ALL: [&str; 15] = [
        WAITING_COUNT,
        ESTIMATED_WAIT_MINUTES,
        WAITED_MINUTES,
        ACCESS_COUNT,
        MINUTES_SHORT,
        ERR_TOO_LONG,
        ERR_TOO_SHORT,
        ERR_NAME_CHAR,
        ERR_LANGUAGE,
        ERR_ACCOUNT_LOCKED,
        ERR_OUT_OF_RANGE,
        NOT_PRINTED,
        ERR_SLOT_FULL,
        ERR_SLOT_FULL_DAY,
        ERR_ALREADY_BOOKED,
    ];
}

static BUNDLES: LazyLock<Vec<FluentBundle<FluentResource>>> = LazyLock::new(|| {
    CATALOGUES
        .iter()
        .map(|(code, source)| bundle(code, source))
        .collect()
});

fn bundle(code: &str, source: &str) -> FluentBundle<FluentResource> {
    // The tests prove every embedded catalogue parses cleanly and has no duplicate id; were
    // one broken anyway, the terminal keeps what did parse and falls back for the rest.
    let resource = FluentResource::try_new(source.to_string()).unwrap_or_else(|(part, _)| part);
    let mut bundle = FluentBundle::new_concurrent(vec![
        code.parse()
            .unwrap_or_else(|_| LanguageIdentifier::default()),
    ]);
    // Fluent wraps placeables in U+2068/U+2069 for bidirectional text; iced draws them as
    // boxes, and every value placed here (counts, codes) is neutral in direction anyway.
    bundle.set_use_isolating(false);
    let _ = bundle.add_builtins();
    let _ = bundle.add_resource(resource);
    bundle
}

/// `id` in `lang`, `None` when the message is missing or needs arguments it was not given.
fn format(lang: Lang, id: &str, args: Option<&FluentArgs>) -> Option<String> {
    let bundle = &BUNDLES[lang.index()];
    let pattern = bundle.get_message(id)?.value()?;
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, args, &mut errors);
    errors.is_empty().then(|| text.into_owned())
}

/// What a language's argument-free messages read as, formatted once so that `t` can hand out
/// `&'static str` for every frame's labels.
struct Resolved {
    /// By `T` in declaration order.
    keys: Vec<String>,
    /// By message id, for the names of values (queues, roles, audit actions).
    named: HashMap<String, String>,
}

static RESOLVED: LazyLock<Vec<OnceLock<Resolved>>> =
    LazyLock::new(|| CATALOGUES.iter().map(|_| OnceLock::new()).collect());

fn resolved(lang: Lang) -> &'static Resolved {
    RESOLVED[lang.index()].get_or_init(|| resolve(lang))
}

fn resolve(lang: Lang) -> Resolved {
    let own_or_italian = |id: &str| format(lang, id, None).or_else(|| format(Lang::It, id, None));
    let keys = T::ALL
        .iter()
        .map(|key| match key {
            // The switch button names the language it leads to, in that language.
            T::SwitchLanguage => format(lang.other(), "language-name", None)
                .unwrap_or_else(|| lang.other().code().to_string()),
            _ => {
                let id = key.id();
                own_or_italian(&id).unwrap_or(id)
            }
        })
        .collect();
    let mut named = HashMap::new();
    for l in [Lang::It, lang] {
        for id in message_ids(CATALOGUES[l.index()].1) {
            if let Some(text) = own_or_italian(id) {
                named.insert(id.to_string(), text);
            }
        }
    }
    Resolved { keys, named }
}

/// The ids of the messages in a Fluent source.
fn message_ids(source: &str) -> Vec<&str> {
    use fluent_syntax::ast::Entry;
    let resource = match fluent_syntax::parser::parse_runtime(source) {
        Ok(r) => r,
        Err((r, _)) => r,
    };
    resource
        .body
        .into_iter()
        .filter_map(|entry| match entry {
            Entry::Message(m) => Some(m.id.name),
            _ => None,
        })
        .collect()
}

/// An argument-free message by id, in `lang` or else in Italian.
fn lookup(lang: Lang, id: &str) -> Option<&'static str> {
    resolved(lang).named.get(id).map(String::as_str)
}

/// The string for `key` in `lang` (in Italian where `lang` lacks it, the id where both do).
pub fn t(lang: Lang, key: T) -> &'static str {
    &resolved(lang).keys[key as usize]
}

/// The message `id` in `lang` with `args`, plural forms chosen by the language's CLDR rules:
/// `tf(lang, msg::WAITING_COUNT, &[("count", 3.into())])`. Falls back to Italian, then to the
/// id; never panics.
pub fn tf(lang: Lang, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    let args: FluentArgs = args.iter().map(|(k, v)| (*k, v.clone())).collect();
    if let Some(text) = format(lang, id, Some(&args)).or_else(|| format(Lang::It, id, Some(&args)))
    {
        return text;
    }
    // Formatted with errors (an argument missing): a partial sentence beats a bare id.
    let bundle = &BUNDLES[lang.index()];
    match bundle.get_message(id).and_then(|m| m.value()) {
        Some(pattern) => bundle
            .format_pattern(pattern, Some(&args), &mut Vec::new())
            .into_owned(),
        None => id.to_string(),
    }
}

/// A value's name, `fallback` when no catalogue has `id`.
fn name_of(lang: Lang, id: &str, fallback: &'static str) -> &'static str {
    lookup(lang, id).unwrap_or(fallback)
}

fn queue_id(queue: Queue) -> &'static str {
    match queue {
        Queue::Sai => "queue-sai",
        Queue::General => "queue-general",
    }
}

pub fn queue_name(lang: Lang, queue: Queue) -> &'static str {
    name_of(lang, queue_id(queue), queue.code())
}

fn channel_id(channel: Channel) -> &'static str {
    match channel {
        Channel::WalkIn => "channel-walk-in",
        Channel::Appointment => "channel-appointment",
    }
}

pub fn channel_name(lang: Lang, channel: Channel) -> &'static str {
    name_of(lang, channel_id(channel), channel.code())
}

fn sex_id(sex: Sex) -> &'static str {
    match sex {
        Sex::F => "sex-f",
        Sex::M => "sex-m",
        Sex::X => "sex-x",
        Sex::Unknown => "sex-unknown",
    }
}

pub fn sex_name(lang: Lang, sex: Sex) -> &'static str {
    name_of(lang, sex_id(sex), sex.code())
}

fn priority_id(priority: Priority) -> &'static str {
    match priority {
        Priority::Minor => "priority-minor",
        Priority::Pregnancy => "priority-pregnancy",
        Priority::Disability => "priority-disability",
        Priority::Illness => "priority-illness",
        Priority::Elderly => "priority-elderly",
    }
}

pub fn priority_name(lang: Lang, priority: Priority) -> &'static str {
    name_of(lang, priority_id(priority), priority.code())
}

fn state_id(state: TicketState) -> &'static str {
    match state {
        TicketState::Waiting => "state-waiting",
        TicketState::Called => "state-called",
        TicketState::InService => "state-in-service",
        TicketState::Done => "state-done",
        TicketState::NoShow => "state-no-show",
        TicketState::Transferred => "state-transferred",
        TicketState::Cancelled => "state-cancelled",
    }
}

pub fn state_name(lang: Lang, state: TicketState) -> &'static str {
    name_of(lang, state_id(state), state.code())
}

fn role_id(role: Role) -> String {
    format!("role-{}", role.code())
}

/// A staff role's name (`Role::Mediator` is "Mediatore" in Italian).
pub fn role_name(lang: Lang, role: Role) -> &'static str {
    name_of(lang, &role_id(role), role.code())
}

/// Why a candidate is proposed, in words (`reason-` and the reason's stable code); a code
/// no catalogue knows shows as itself.
pub fn reason_name(lang: Lang, reason: &crate::domain::matching::Reason) -> String {
    let code = reason.code();
    lookup(lang, &format!("reason-{code}")).map_or(code, str::to_string)
}

/// The name of an audit trail action, from its stored code (`sign-in`); an unknown code (an
/// entry written by a newer version) shows as itself.
pub fn audit_action_name(lang: Lang, code: &str) -> &str {
    lookup(lang, &format!("audit-{code}")).unwrap_or(code)
}

/// A booking's state in words (`appointment-state-` and its code).
pub fn appointment_state_name(
    lang: Lang,
    state: crate::domain::appointment::AppointmentState,
) -> &'static str {
    name_of(
        lang,
        &format!("appointment-state-{}", state.code()),
        state.code(),
    )
}

/// How a booking was made, in words (`via-` and its code).
pub fn booked_via_name(lang: Lang, via: crate::domain::appointment::BookedVia) -> &'static str {
    name_of(lang, &format!("via-{}", via.code()), via.code())
}

// The reference data carries Italian and English labels only: other languages read English.
pub fn service_name(lang: Lang, code: &str) -> String {
    match reference::service(code) {
        Some(s) if lang == Lang::It => s.label_it.clone(),
        Some(s) => s.label_en.clone(),
        None => code.to_string(),
    }
}

pub fn country_name(lang: Lang, code: &str) -> String {
    match reference::country(code) {
        Some(c) if lang == Lang::It => c.name_it.clone(),
        Some(c) => c.name_en.clone(),
        None => code.to_string(),
    }
}

/// The waiting-room caption, in the languages most visitors read. Never translated away:
/// the wall screen speaks to everyone at once.
pub const DISPLAY_CAPTIONS: [&str; 6] = [
    "Presentarsi allo sportello indicato",
    "Please go to the desk shown",
    "يرجى التوجه إلى الشباك المبين",
    "Por favor, acérquese a la ventanilla indicada",
    "অনুগ্রহ করে নির্দেশিত কাউন্টারে যান",
    "Veuillez vous présenter au guichet indiqué",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_differ_where_they_should() {
        assert_eq!(t(Lang::It, T::Register), "Registra (Invio)");
        assert_eq!(t(Lang::En, T::Register), "Register (Enter)");
        assert_eq!(t(Lang::It, T::SwitchLanguage), "English");
        assert_eq!(Lang::It.other(), Lang::En);
        assert_eq!(service_name(Lang::En, "housing"), "Housing");
        assert_eq!(country_name(Lang::It, "EG"), "Egitto");
    }

    fn every_catalogue() -> impl Iterator<Item = (Lang, &'static str)> {
        Lang::all().map(|l| (l, CATALOGUES[l.index()].1))
    }

    fn has(lang: Lang, id: &str) -> bool {
        BUNDLES[lang.index()].has_message(id)
    }

    #[test]
    fn every_catalogue_parses_cleanly_with_no_duplicate_id() {
        for (lang, source) in every_catalogue() {
            let resource = FluentResource::try_new(source.to_string())
                .unwrap_or_else(|(_, e)| panic!("{}.ftl does not parse: {e:?}", lang.code()));
            // A fresh bundle refuses a second message or term of the same id.
            let mut bundle = FluentBundle::new_concurrent(vec![LanguageIdentifier::default()]);
            assert_eq!(
                bundle.add_resource(resource),
                Ok(()),
                "{}.ftl repeats an id",
                lang.code()
            );
            assert!(
                lang.code().parse::<LanguageIdentifier>().is_ok(),
                "{}.ftl is not named by a language code",
                lang.code()
            );
        }
    }

    #[test]
    fn every_message_id_is_in_every_language() {
        for (a, source) in every_catalogue() {
            for id in message_ids(source) {
                for b in Lang::all() {
                    assert!(
                        has(b, id),
                        "{id} is in {}.ftl but not in {}.ftl",
                        a.code(),
                        b.code()
                    );
                }
            }
        }
    }

    #[test]
    fn every_key_and_value_name_resolves_in_every_language_without_falling_back() {
        let mut ids: Vec<String> = T::ALL
            .iter()
            .filter(|k| **k != T::SwitchLanguage)
            .map(|k| k.id())
            .collect();
        ids.extend(Queue::ALL.map(|q| queue_id(q).to_string()));
        ids.extend([Channel::WalkIn, Channel::Appointment].map(|c| channel_id(c).to_string()));
        ids.extend(Sex::ALL.map(|s| sex_id(s).to_string()));
        ids.extend(Priority::ALL.map(|p| priority_id(p).to_string()));
        ids.extend(TicketState::ALL.map(|s| state_id(s).to_string()));
        ids.extend(Role::ACCOUNTS.map(role_id));
        ids.push(role_id(Role::System));
        ids.extend(all_audit_actions().map(|a| format!("audit-{}", a.code())));
        ids.push("language-name".into());
        ids.extend(
            crate::domain::appointment::AppointmentState::ALL
                .map(|s| format!("appointment-state-{}", s.code())),
        );
        ids.extend(crate::domain::appointment::BookedVia::ALL.map(|v| format!("via-{}", v.code())));
        for lang in Lang::all() {
            for id in &ids {
                assert!(
                    format(lang, id, None).is_some(),
                    "{id} is missing from {}.ftl or needs arguments",
                    lang.code()
                );
            }
        }
        for (i, key) in T::ALL.iter().enumerate() {
            assert_eq!(*key as usize, i, "T::ALL follows the declaration order");
        }
        for id in msg::ALL {
            assert!(
                Lang::all().all(|l| has(l, id)),
                "{id} is not in every catalogue"
            );
        }
    }

    /// Every audit action: the match stops compiling when one is added, a reminder to list it.
    fn all_audit_actions() -> [crate::domain::audit::AuditAction; 21] {
        use crate::domain::audit::AuditAction::*;
        let all = [
            SignIn,
            SignOut,
            SignInFailed,
            Lock,
            Search,
            OpenCard,
            Create,
            Update,
            Merge,
            UndoMerge,
            Export,
            Erase,
            StaffCreate,
            RoleChange,
            PasswordReset,
            PasswordChange,
            Purge,
            Backup,
            Restore,
            Import,
            Report,
        ];
        for a in all {
            match a {
                SignIn | SignOut | SignInFailed | Lock | Search | OpenCard | Create | Update
                | Merge | UndoMerge | Export | Erase | StaffCreate | RoleChange | PasswordReset
                | PasswordChange | Purge | Backup | Restore | Import | Report => {}
            }
        }
        all
    }

    /// Formats `id` in `lang` with `n` for every variable it uses, found by formatting until
    /// no variable is missing (a variable may hide in a variant only a given number reaches).
    fn format_with_every_variable(lang: Lang, id: &str, n: u32) -> (String, Vec<String>) {
        use fluent_bundle::FluentError;
        use fluent_bundle::resolver::ResolverError;
        use fluent_bundle::resolver::errors::ReferenceKind;
        let bundle = &BUNDLES[lang.index()];
        let pattern = bundle
            .get_message(id)
            .and_then(|m| m.value())
            .unwrap_or_else(|| panic!("{id} has no value in {}.ftl", lang.code()));
        let mut args = FluentArgs::new();
        for _ in 0..10 {
            let mut errors = Vec::new();
            let text = bundle
                .format_pattern(pattern, Some(&args), &mut errors)
                .into_owned();
            let missing: Vec<String> = errors
                .iter()
                .filter_map(|e| match e {
                    FluentError::ResolverError(ResolverError::Reference(
                        ReferenceKind::Variable { id },
                    )) => Some(id.clone()),
                    _ => None,
                })
                .collect();
            if missing.is_empty() || missing.len() < errors.len() {
                return (text, errors.iter().map(|e| format!("{e:?}")).collect());
            }
            for name in missing {
                args.set(name, n);
            }
        }
        panic!("{id} in {}.ftl keeps asking for variables", lang.code());
    }

    #[test]
    fn every_message_formats_without_errors_or_isolation_marks() {
        for (lang, source) in every_catalogue() {
            for id in message_ids(source) {
                for n in [0, 1, 2, 5] {
                    let (text, errors) = format_with_every_variable(lang, id, n);
                    assert!(errors.is_empty(), "{id} in {}.ftl: {errors:?}", lang.code());
                    assert!(
                        !text.contains(['\u{2068}', '\u{2069}']),
                        "{id} in {}.ftl: iced would draw the isolation marks as boxes",
                        lang.code()
                    );
                }
            }
        }
    }

    #[test]
    fn plurals_follow_each_languages_rules() {
        let count = |lang, id, n: u32| tf(lang, id, &[("count", n.into()), ("minutes", n.into())]);
        assert_eq!(
            count(Lang::It, msg::WAITING_COUNT, 1),
            "1 persona in attesa"
        );
        assert_eq!(
            count(Lang::It, msg::WAITING_COUNT, 2),
            "2 persone in attesa"
        );
        assert_eq!(
            count(Lang::It, msg::WAITING_COUNT, 0),
            "0 persone in attesa"
        );
        assert_eq!(count(Lang::En, msg::WAITING_COUNT, 1), "1 person waiting");
        assert_eq!(count(Lang::En, msg::WAITING_COUNT, 2), "2 people waiting");
        assert_eq!(count(Lang::It, msg::ACCESS_COUNT, 1), "1 accesso");
        assert_eq!(count(Lang::It, msg::ACCESS_COUNT, 2), "2 accessi");
        assert_eq!(count(Lang::En, msg::ACCESS_COUNT, 1), "1 access");
        assert_eq!(count(Lang::En, msg::ACCESS_COUNT, 2), "2 accesses");
        assert_eq!(
            count(Lang::It, msg::WAITED_MINUTES, 1),
            "1 minuto di attesa"
        );
        assert_eq!(
            count(Lang::It, msg::WAITED_MINUTES, 2),
            "2 minuti di attesa"
        );
        assert_eq!(count(Lang::En, msg::WAITED_MINUTES, 1), "1 minute waiting");
        assert_eq!(count(Lang::En, msg::WAITED_MINUTES, 2), "2 minutes waiting");
        assert_eq!(
            count(Lang::It, msg::ESTIMATED_WAIT_MINUTES, 1),
            "Attesa stimata ~1 minuto"
        );
        assert_eq!(
            count(Lang::En, msg::ESTIMATED_WAIT_MINUTES, 2),
            "Estimated wait ~2 minutes"
        );
    }

    #[test]
    fn languages_cycle_and_name_themselves() {
        assert_eq!(Lang::default(), Lang::It);
        assert_eq!(Lang::It.name(), "Italiano");
        assert_eq!(Lang::En.name(), "English");
        assert_eq!(Lang::from_code("en"), Some(Lang::En));
        let mut seen = vec![Lang::It];
        let mut lang = Lang::It.other();
        while lang != Lang::It {
            assert!(
                !seen.contains(&lang),
                "other() cycles through every language once"
            );
            seen.push(lang);
            lang = lang.other();
        }
        assert_eq!(seen.len(), Lang::all().count());
        for lang in Lang::all() {
            assert_eq!(t(lang, T::SwitchLanguage), lang.other().name());
        }
    }

    #[test]
    fn what_no_catalogue_has_shows_as_its_id_or_code() {
        assert_eq!(tf(Lang::En, "no-such-message", &[]), "no-such-message");
        assert_eq!(audit_action_name(Lang::En, "teleport"), "teleport");
        assert_eq!(audit_action_name(Lang::It, "sign-in"), "Entrata");
        assert_eq!(role_name(Lang::En, Role::Admin), "Administrator");
        assert_eq!(queue_name(Lang::En, Queue::General), "General");
        assert_eq!(T::CallNext.id(), "call-next");
    }

    #[test]
    fn every_reason_a_candidate_can_carry_is_said_in_every_language() {
        use crate::domain::matching::{DateEvidence as D, PartMatch as P, Reason};
        let parts = [
            P::Same,
            P::Variant,
            P::Phonetic,
            P::Script,
            P::Similar,
            P::Initial,
            P::Different,
            P::NotTyped,
            P::NotOnFile,
        ];
        let dates = [
            D::Exact,
            D::TwoDigitYear,
            D::DigitsSwapped,
            D::DayMonthSwapped,
            D::OneDigit,
            D::YearOneOff,
            D::YearKeystroke,
            D::YearDigit,
            D::YearOnly,
            D::JanFirst,
            D::NearYear,
            D::NotTyped,
            D::NotOnFile,
            D::Different,
        ];
        let reasons = parts
            .into_iter()
            .map(Reason::Name)
            .chain(dates.into_iter().map(Reason::Date))
            .chain([Reason::FieldsSwapped, Reason::ImpossibleDate]);
        for reason in reasons {
            for lang in Lang::all() {
                let id = format!("reason-{}", reason.code());
                assert!(
                    format(lang, &id, None).is_some(),
                    "{id} is missing from {}.ftl",
                    lang.code()
                );
            }
        }
        assert_eq!(
            reason_name(Lang::It, &Reason::Date(D::DigitsSwapped)),
            "data con due cifre invertite"
        );
    }
}
