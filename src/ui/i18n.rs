//! Every visible string of the terminal, in Italian (the default) and English.

use crate::domain::reference;
use crate::domain::{Channel, Priority, Queue, Sex, TicketState};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    It,
    En,
}

impl Lang {
    pub fn other(self) -> Lang {
        match self {
            Lang::It => Lang::En,
            Lang::En => Lang::It,
        }
    }
}

/// The catalogue's keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum T {
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
    WaitingNow,
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
    Waited,
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
    Minutes,
    Visitor,
    LastCalls,
    Queue,
    // Keyboard, desk and error wording (issue 11).
    ChangeDesk,
    SaveDesk,
    DeskSetupNote,
    SetDeskFirst,
    FinishFirst,
    ErrRequired,
    ErrChooseOne,
    ErrTooLong,
    ErrTooShort,
    ErrNoLetter,
    ErrNameChar,
    ErrInvisible,
    ErrNotADate,
    ErrFuture,
    ErrBefore1900,
    ErrCountry,
    ErrLanguage,
    ErrPhone,
    ErrOnlySpaces,
    ErrMismatch,
    ErrNotChosen,
    ErrBusy,
    ErrSignIn,
    ErrAccountLocked,
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
}

/// The string for `key` in `lang`.
pub fn t(lang: Lang, key: T) -> &'static str {
    use T::*;
    let (it, en) = match key {
        Reception => ("Accoglienza", "Reception"),
        Desk => ("Sportello", "Desk"),
        Tally => ("Riepilogo", "Tally"),
        OpenDisplay => ("Schermo sala", "Wall display"),
        ChimeOn => ("Suono: sì", "Chime: on"),
        ChimeOff => ("Suono: no", "Chime: off"),
        SwitchLanguage => ("English", "Italiano"),
        DarkTheme => ("Tema scuro", "Dark theme"),
        LightTheme => ("Tema chiaro", "Light theme"),
        Opening => ("Apertura del registro…", "Opening the register…"),
        PassphraseTitle => ("Registro cifrato", "Encrypted register"),
        PassphraseNote => (
            "Scrivi la frase segreta del registro (chiedila all'amministratore).",
            "Type the register's passphrase (ask the administrator).",
        ),
        Records => ("Registro", "Records"),
        PersonRequests => ("Diritti della persona", "Rights of the person"),
        ExportData => ("Esporta i dati (JSON)", "Export the data (JSON)"),
        EraseData => ("Cancella i dati personali…", "Erase personal data…"),
        ConfirmErase => ("Conferma: cancella per sempre", "Confirm: erase for good"),
        Cancel => ("Annulla", "Cancel"),
        MergeRecords => ("Unisci due schede", "Merge two records"),
        Merge => ("Unisci", "Merge"),
        UndoMerge => ("Annulla unione n.", "Undo merge no."),
        AuditTrail => ("Registro delle attività", "Audit trail"),
        Show => ("Mostra", "Show"),
        Erased => (
            "dati personali cancellati; i conteggi restano",
            "personal data erased; the figures stay",
        ),
        MergedNumber => ("unione n.", "merge no."),
        MergeUndone => ("Annullata l'unione n.", "Undone: merge no."),
        FirstAdminTitle => (
            "Primo avvio: account amministratore",
            "First start: administrator account",
        ),
        FirstAdminNote => (
            "L'amministratore crea poi gli account del personale. Password di almeno 8 caratteri.",
            "The administrator then creates the staff accounts. Password of at least 8 characters.",
        ),
        SignInTitle => ("Accesso del personale", "Staff sign-in"),
        LockedTitle => ("Terminale bloccato", "Terminal locked"),
        LockedNote => (
            "Bloccato per inattività o con Ctrl+L. La password sblocca; nulla è andato perso.",
            "Locked after idle minutes or with Ctrl+L. The password unlocks it; nothing was lost.",
        ),
        NewPasswordTitle => ("Scegli una nuova password", "Choose a new password"),
        NewPasswordNote => (
            "La password è stata reimpostata da un amministratore.",
            "An administrator reset your password.",
        ),
        StaffName => ("Nome utente", "User name"),
        Password => ("Password", "Password"),
        RepeatPassword => ("Ripeti la password", "Repeat the password"),
        CreateAdmin => ("Crea amministratore", "Create administrator"),
        Unlock => ("Sblocca", "Unlock"),
        SavePassword => ("Salva password", "Save password"),
        SignIn => ("Entra", "Sign in"),
        SomeoneElse => ("Entra come un altro utente", "Sign in as someone else"),
        StaffAccounts => ("Account del personale", "Staff accounts"),
        CreateAccount => ("Crea account", "Create account"),
        ResetNote => (
            "Per reimpostare una password dimenticata: scrivi una password provvisoria qui sopra e premi Reimposta; andrà cambiata al primo accesso.",
            "To reset a forgotten password: type a temporary password above and press Reset; it must be changed at the next sign-in.",
        ),
        AccountLocked => ("bloccato (6 tentativi)", "locked (6 attempts)"),
        MustChange => ("deve cambiare password", "must change password"),
        ResetPassword => ("Reimposta password", "Reset password"),
        ChangeRole => ("Assegna ruolo scelto", "Give chosen role"),
        IdleLockMinutes => (
            "Blocco dopo minuti di inattività",
            "Lock after idle minutes",
        ),
        Save => ("Salva", "Save"),
        Staff => ("Personale", "Staff"),
        SignOut => ("Esci", "Sign out"),
        LockNow => ("Blocca (Ctrl+L)", "Lock (Ctrl+L)"),
        BackupFailed => (
            "Il backup di oggi non è stato scritto",
            "Today's backup could not be written",
        ),
        CrashNotice => (
            "Il terminale si era chiuso per un errore interno e si è riavviato. Gli accessi già confermati sono salvati. Dettagli",
            "The terminal stopped on an internal error and restarted. Accesses already confirmed are saved. Details",
        ),
        FamilyName => ("Cognome", "Family name"),
        GivenName => ("Nome", "Given name"),
        BirthDate => ("Data di nascita", "Birth date"),
        DateHint => ("AAAA-MM-GG", "YYYY-MM-DD"),
        Sex => ("Sesso", "Sex"),
        Country => ("Paese di provenienza", "Country of origin"),
        CountryHint => ("Scrivi per cercare…", "Type to search…"),
        Languages => ("Lingue parlate", "Languages spoken"),
        LanguagesHint => ("codici, es. ar, bn, es", "codes, e.g. ar, bn, es"),
        SaiGuest => ("Ospite SAI", "SAI guest"),
        Channel => ("Canale", "Channel"),
        Service => ("Servizio richiesto", "Service requested"),
        Priority => ("Priorità", "Priority"),
        NoPriority => ("Nessuna", "None"),
        ProposedQueue => ("Coda proposta", "Proposed queue"),
        BecauseSai => ("ospite SAI", "SAI guest"),
        BecauseNotSai => ("non ospite SAI", "not an SAI guest"),
        OverrideQueue => ("Cambia coda", "Change queue"),
        KeepProposed => ("Coda proposta", "Proposed queue"),
        OverrideReason => (
            "Motivo del cambio (obbligatorio)",
            "Reason for the change (required)",
        ),
        Register => ("Registra (Invio)", "Register (Enter)"),
        Registering => ("Registrazione…", "Registering…"),
        Clear => ("Svuota (Esc)", "Clear (Esc)"),
        FirstAccess => ("PRIMO ACCESSO", "FIRST ACCESS"),
        Returning => ("Già registrato", "Returning visitor"),
        Candidates => ("Possibili corrispondenze", "Possible matches"),
        Likely => ("probabile", "likely"),
        NoCandidates => ("Nessuna corrispondenza in archivio", "No match on file"),
        ConfirmByAsking => (
            "Conferma chiedendo la data di nascita",
            "Confirm by asking the birth date",
        ),
        UseCandidate => ("È questa persona", "This is the person"),
        NotThisPerson => ("Non è questa persona", "Not this person"),
        IssuedTicket => ("Biglietto", "Ticket"),
        WaitingNow => ("in attesa", "waiting"),
        EstimatedWait => ("Attesa stimata", "Estimated wait"),
        NoDeskOpen => ("nessuno sportello aperto", "no desk open"),
        RecentAccesses => ("Accessi di oggi", "Today's accesses"),
        NoAccessesYet => ("Ancora nessun accesso oggi", "No accesses yet today"),
        AfterHours => (
            "Fuori orario di accesso libero: registrare solo appuntamenti",
            "Outside walk-in hours: register appointments only",
        ),
        PublicHoliday => ("Festivo", "Public holiday"),
        ClosingSoon => (
            "Chiusura a breve: il colloquio potrebbe non iniziare oggi",
            "Closing soon: the visitor may not be seen today",
        ),
        DeskLabel => ("Nome dello sportello", "Desk label"),
        QueuesServed => ("Code servite", "Queues served"),
        MyLanguages => ("Le mie lingue", "My languages"),
        CallNext => ("Chiama il prossimo (F5)", "Call next (F5)"),
        Recall => ("Richiama (F6)", "Recall (F6)"),
        Start => ("Inizia colloquio (F7)", "Start (F7)"),
        Finish => ("Concluso (F8)", "Done (F8)"),
        NoShow => ("Non presente (F9)", "No-show (F9)"),
        Transfer => ("Trasferisci", "Transfer"),
        TransferTo => ("Trasferisci a", "Transfer to"),
        NowServing => ("Allo sportello", "At the desk"),
        NobodyAtDesk => ("Nessuno allo sportello", "Nobody at the desk"),
        NobodyWaiting => ("Nessuno in attesa", "Nobody waiting"),
        WaitingList => ("In attesa", "Waiting"),
        Waited => ("attesa", "waiting"),
        SpeaksLanguage => ("parla una tua lingua", "speaks one of your languages"),
        Today => ("Oggi", "Today"),
        Accesses => ("Accessi", "Accesses"),
        FirstTimeShare => ("Primi accessi (spontanei)", "First-time share (walk-ins)"),
        NewVisitors => ("Nuovi utenti", "New users"),
        UniqueVisitors => ("Persone", "People"),
        Waiting => ("In attesa", "Waiting"),
        AtDesk => ("Allo sportello", "At a desk"),
        Served => ("Serviti", "Served"),
        NoShows => ("Non presenti", "No-shows"),
        AverageWait => ("Attesa media", "Average wait"),
        LongestWait => ("Attesa massima", "Longest wait"),
        ArrivalsPerHour => ("Arrivi per ora", "Arrivals per hour"),
        PerService => ("Per servizio", "Per service"),
        Range => ("Periodo", "Date range"),
        From => ("Dal", "From"),
        To => ("Al", "To"),
        Compute => ("Calcola", "Compute"),
        ExportCsv => ("Esporta CSV", "Export CSV"),
        ExportedTo => ("Esportato in", "Exported to"),
        MonthlyAccesses => ("Accessi per mese", "Accesses per month"),
        AverageMonthly => ("Media mensile", "Monthly average"),
        TopServices => ("Servizi più richiesti", "Top services"),
        TopCountries => ("Paesi principali", "Top countries"),
        Dismiss => ("Chiudi", "Dismiss"),
        Minutes => ("min", "min"),
        Visitor => ("Persona", "Visitor"),
        LastCalls => ("Ultime chiamate", "Last calls"),
        Queue => ("Coda", "Queue"),
        ChangeDesk => ("Cambia sportello", "Change desk"),
        SaveDesk => ("Salva (Invio)", "Save (Enter)"),
        DeskSetupNote => (
            "Quale sportello è questo PC? Resta impostato anche dopo l'uscita e al riavvio.",
            "Which desk is this PC? It stays set after sign-out and restart.",
        ),
        SetDeskFirst => (
            "Imposta prima lo sportello di questo PC",
            "Set this PC's desk first",
        ),
        FinishFirst => (
            "Concludere prima il colloquio in corso",
            "Finish the current visitor first",
        ),
        ErrRequired => ("campo obbligatorio", "required"),
        ErrChooseOne => ("sceglierne almeno una", "choose at least one"),
        ErrTooLong => (
            "troppo lungo (al massimo {n} caratteri)",
            "too long (at most {n} characters)",
        ),
        ErrTooShort => (
            "troppo corta (almeno {n} caratteri)",
            "too short (at least {n} characters)",
        ),
        ErrNoLetter => ("non contiene lettere", "has no letter"),
        ErrNameChar => (
            "contiene «{c}», che non fa parte di un nome",
            "contains “{c}”, which is not part of a name",
        ),
        ErrInvisible => (
            "contiene un carattere invisibile o di controllo",
            "contains an invisible or control character",
        ),
        ErrNotADate => (
            "non è una data (scrivere GG/MM/AAAA)",
            "is not a date (type DD/MM/YYYY)",
        ),
        ErrFuture => ("è nel futuro", "is in the future"),
        ErrBefore1900 => ("è prima del 1900", "is before 1900"),
        ErrCountry => ("paese sconosciuto", "unknown country"),
        ErrLanguage => (
            "«{c}» non è un codice di lingua (es. ar, bn, en)",
            "“{c}” is not a language code (e.g. ar, bn, en)",
        ),
        ErrPhone => ("non è un numero di telefono", "is not a phone number"),
        ErrOnlySpaces => ("contiene solo spazi", "is only spaces"),
        ErrMismatch => ("le due password non coincidono", "the two passwords differ"),
        ErrNotChosen => ("scegliere dall'elenco", "choose from the list"),
        ErrBusy => (
            "Il registro è occupato da un altro terminale: riprovare",
            "The register is busy with another terminal: try again",
        ),
        ErrSignIn => ("Nome o password errati", "Wrong name or password"),
        ErrAccountLocked => (
            "Account bloccato dopo {n} tentativi falliti, fino alle {c}; un amministratore può reimpostare la password",
            "Account locked after {n} failed sign-ins, until {c}; an administrator can reset the password",
        ),
        ErrForbidden => (
            "Il proprio ruolo non permette questa operazione",
            "Your role does not allow this",
        ),
        ErrReadOnly => (
            "Il registro è in sola lettura: non è stato salvato nulla",
            "The register is read-only: nothing was saved",
        ),
        ErrDiskFull => (
            "Il disco è pieno: non è stato salvato nulla; liberare spazio e riprovare",
            "The disk is full: nothing was saved; free some space and try again",
        ),
        ErrWriteFailed => (
            "Il disco ha rifiutato la scrittura: non è stato salvato nulla; controllare il disco e riprovare",
            "The disk refused to write: nothing was saved; check the disk and try again",
        ),
        ErrReadFailed => (
            "Il disco non si legge: controllare il disco e riprovare",
            "The disk could not be read: check the disk and try again",
        ),
        ErrNotFound => ("Non trovato", "Not found"),
        ErrTransition => (
            "Non possibile nello stato attuale del biglietto",
            "Not possible in the ticket's present state",
        ),
        ErrTechnical => (
            "Errore del registro; per l'assistenza",
            "Register error; for support",
        ),
        CandidateKeys => (
            "↓ ↑ per scegliere, Invio per confermare",
            "↓ ↑ to choose, Enter to confirm",
        ),
        LargerText => ("Testo grande", "Larger text"),
        NormalText => ("Testo normale", "Normal text"),
    };
    match lang {
        Lang::It => it,
        Lang::En => en,
    }
}

pub fn queue_name(lang: Lang, queue: Queue) -> &'static str {
    match (queue, lang) {
        (Queue::Sai, _) => "SAI",
        (Queue::General, Lang::It) => "Generale",
        (Queue::General, Lang::En) => "General",
    }
}

pub fn channel_name(lang: Lang, channel: Channel) -> &'static str {
    match (channel, lang) {
        (Channel::WalkIn, Lang::It) => "Accesso libero",
        (Channel::WalkIn, Lang::En) => "Walk-in",
        (Channel::Appointment, Lang::It) => "Appuntamento",
        (Channel::Appointment, Lang::En) => "Appointment",
    }
}

pub fn sex_name(lang: Lang, sex: Sex) -> &'static str {
    match (sex, lang) {
        (Sex::F, Lang::It) => "Donna",
        (Sex::F, Lang::En) => "Woman",
        (Sex::M, Lang::It) => "Uomo",
        (Sex::M, Lang::En) => "Man",
        (Sex::X, _) => "X",
        (Sex::Unknown, Lang::It) => "Non indicato",
        (Sex::Unknown, Lang::En) => "Not stated",
    }
}

pub fn priority_name(lang: Lang, priority: Priority) -> &'static str {
    match (priority, lang) {
        (Priority::Minor, Lang::It) => "Minore",
        (Priority::Minor, Lang::En) => "Minor",
        (Priority::Pregnancy, Lang::It) => "Gravidanza",
        (Priority::Pregnancy, Lang::En) => "Pregnancy",
        (Priority::Disability, Lang::It) => "Disabilità",
        (Priority::Disability, Lang::En) => "Disability",
        (Priority::Illness, Lang::It) => "Malattia",
        (Priority::Illness, Lang::En) => "Illness",
        (Priority::Elderly, Lang::It) => "Anziano",
        (Priority::Elderly, Lang::En) => "Elderly",
    }
}

pub fn state_name(lang: Lang, state: TicketState) -> &'static str {
    match (state, lang) {
        (TicketState::Waiting, Lang::It) => "in attesa",
        (TicketState::Waiting, Lang::En) => "waiting",
        (TicketState::Called, Lang::It) => "chiamato",
        (TicketState::Called, Lang::En) => "called",
        (TicketState::InService, Lang::It) => "in colloquio",
        (TicketState::InService, Lang::En) => "in service",
        (TicketState::Done, Lang::It) => "concluso",
        (TicketState::Done, Lang::En) => "done",
        (TicketState::NoShow, Lang::It) => "non presente",
        (TicketState::NoShow, Lang::En) => "no-show",
        (TicketState::Transferred, Lang::It) => "trasferito",
        (TicketState::Transferred, Lang::En) => "transferred",
        (TicketState::Cancelled, Lang::It) => "annullato",
        (TicketState::Cancelled, Lang::En) => "cancelled",
    }
}

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
}
