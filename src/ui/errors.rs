//! Errors in the staff's language, named by the field as the screen labels it. The command
//! line keeps its English contract messages (`Display` of the same errors).

use super::i18n::{FluentValue, Lang, T, msg, t, tf};
use crate::domain::visitor::{FieldError, Problem};
use crate::store::StoreError;

/// The label a screen shows for a field the domain names by its code.
pub fn field_label(lang: Lang, field: &str) -> &'static str {
    let key = match field {
        "family_name" => T::FamilyName,
        "given_name" => T::GivenName,
        "birth_date" => T::BirthDate,
        "sex" => T::Sex,
        "country" => T::Country,
        "languages" => T::Languages,
        "service" => T::Service,
        "priority" => T::Priority,
        "queue" => T::OverrideReason,
        "channel" => T::Channel,
        "name" => T::StaffName,
        "password" => T::Password,
        "repeat" => T::RepeatPassword,
        "desk" => T::DeskLabel,
        "range_from" => T::From,
        "range_to" => T::To,
        "day" => T::AuditTrail,
        "merge" | "into" | "from" => T::MergeRecords,
        "undo" => T::UndoMerge,
        "role" => T::ChangeRole,
        "idle_minutes" => T::IdleLockMinutes,
        "visitor" => T::PersonRequests,
        "phone" => T::Phone,
        "slot" | "at" => T::Slot,
        "visitor_code" => T::VisitorCodeOptional,
        _ => return "",
    };
    t(lang, key)
}

/// What is wrong, in words, without the field.
pub fn problem(lang: Lang, error: &FieldError) -> String {
    let with = |id: &str, name: &str, value: FluentValue<'_>| tf(lang, id, &[(name, value)]);
    match &error.problem {
        Problem::Empty => t(lang, T::ErrRequired).into(),
        Problem::TooLong { max } => with(msg::ERR_TOO_LONG, "max", (*max).into()),
        Problem::TooShort { min } => with(msg::ERR_TOO_SHORT, "min", (*min).into()),
        Problem::NoLetter => t(lang, T::ErrNoLetter).into(),
        Problem::NotANameCharacter(Some(c)) => {
            with(msg::ERR_NAME_CHAR, "char", c.to_string().into())
        }
        Problem::NotANameCharacter(None) => t(lang, T::ErrInvisible).into(),
        Problem::NotADate => t(lang, T::ErrNotADate).into(),
        Problem::InTheFuture => t(lang, T::ErrFuture).into(),
        Problem::Before1900 => t(lang, T::ErrBefore1900).into(),
        Problem::NotACountry => t(lang, T::ErrCountry).into(),
        Problem::NotALanguage(code) => with(msg::ERR_LANGUAGE, "code", code.as_str().into()),
        Problem::NotAPhone => t(lang, T::ErrPhone).into(),
        Problem::OnlySpaces => t(lang, T::ErrOnlySpaces).into(),
        Problem::Mismatch => t(lang, T::ErrMismatch).into(),
        Problem::NotChosen => t(lang, T::ErrNotChosen).into(),
        Problem::NotANumber => t(lang, T::ErrNotANumber).into(),
        Problem::OutOfRange { min, max } => tf(
            lang,
            msg::ERR_OUT_OF_RANGE,
            &[("min", (*min).into()), ("max", (*max).into())],
        ),
        Problem::Other => error.message.clone(),
    }
}

/// "Cognome: campo obbligatorio".
pub fn field_error(lang: Lang, error: &FieldError) -> String {
    match field_label(lang, error.field) {
        "" => problem(lang, error),
        label => format!("{label}: {}", problem(lang, error)),
    }
}

/// A store's answer, for a person at a screen. Faults of the machine keep their technical
/// detail after the words, for whoever answers the support call.
pub fn store_error(lang: Lang, error: &StoreError) -> String {
    let key = match error {
        StoreError::Input(e) => return field_error(lang, e),
        StoreError::Busy(_) => T::ErrBusy,
        StoreError::SignInRefused => T::ErrSignIn,
        StoreError::AccountLocked { failures, until } => {
            return tf(
                lang,
                msg::ERR_ACCOUNT_LOCKED,
                &[
                    ("failures", (*failures).into()),
                    ("until", until.as_str().into()),
                ],
            );
        }
        StoreError::Forbidden { .. } => T::ErrForbidden,
        StoreError::ReadOnly => T::ErrReadOnly,
        StoreError::DiskFull => T::ErrDiskFull,
        StoreError::WriteFailed => T::ErrWriteFailed,
        StoreError::ReadFailed => T::ErrReadFailed,
        StoreError::NotFound(what) => return format!("{}: {what}", t(lang, T::ErrNotFound)),
        StoreError::Transition(_) => T::ErrTransition,
        other => return format!("{}: {other}", t(lang, T::ErrTechnical)),
    };
    t(lang, key).to_string()
}

/// Why a ticket did not print, for the banner "non stampato: …" in the staff's language.
pub fn not_printed(lang: Lang, error: &crate::print::PrintError) -> String {
    use crate::print::PrintError as P;
    let key = match error {
        P::NoPrinter => T::PrintNoPrinter,
        P::BadAddress(_) => T::PrintBadAddress,
        P::Refused { .. } => T::PrintRefused,
        P::NoAnswer { .. } => T::PrintNoAnswer,
        P::Unreachable { .. } => T::PrintUnreachable,
        P::ClosedMidway { .. } => T::PrintClosed,
        P::PaperOut => T::PrintPaperOut,
        P::CoverOpen => T::PrintCoverOpen,
        P::Offline => T::PrintOffline,
        P::Fault => T::PrintFault,
        P::UsbNotConnected { .. } | P::UsbUnsupported | P::Device { .. } | P::Io { .. } => {
            T::PrintNoDevice
        }
        P::Render(_) => T::PrintRender,
    };
    tf(lang, msg::NOT_PRINTED, &[("reason", t(lang, key).into())])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_field_as_the_screen_labels_it() {
        let e = FieldError::of("family_name", Problem::Empty, "is empty");
        assert_eq!(field_error(Lang::It, &e), "Cognome: campo obbligatorio");
        assert_eq!(field_error(Lang::En, &e), "Family name: required");
        let e = FieldError::of("languages", Problem::NotALanguage("xx".into()), "");
        assert!(field_error(Lang::It, &e).contains("«xx»"));
        assert_eq!(
            store_error(Lang::It, &StoreError::SignInRefused),
            "Nome o password errati"
        );
    }
}
