//! Name normalisation for finding a visitor again. Names are stored as typed; these keys
//! only serve search, so they may fold what reception spells differently from visit to visit.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

fn is_latin(c: char) -> bool {
    matches!(c as u32, 0x0041..=0x024F | 0x1E00..=0x1EFF)
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | 'ʼ' | '`' | '´')
}

/// Lower case, Latin accents removed (José -> jose), punctuation and hyphens as spaces,
/// spaces collapsed. Marks on other scripts are kept: an Arabic or Bengali name must not
/// lose letters (Bengali vowel signs are combining marks).
pub fn normalise(raw: &str) -> String {
    let mut folded = String::with_capacity(raw.len());
    let mut last_base_latin = false;
    for c in raw.nfkd() {
        if is_combining_mark(c) {
            if !last_base_latin {
                folded.push(c);
            }
            continue;
        }
        if is_apostrophe(c) {
            // Sa'id and Said, O'Brien and OBrien: an apostrophe joins, it does not split
            // (and a mark after it still belongs to the letter before).
            continue;
        }
        last_base_latin = is_latin(c);
        if c.is_alphanumeric() {
            folded.extend(c.to_lowercase());
        } else {
            folded.push(' ');
        }
    }
    let recomposed: String = folded.nfc().collect();
    recomposed.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The parts of a full name as an unordered set, so that a family name typed into the given
/// name field still finds the person: `sorted tokens of family + given`.
pub fn name_key(family_name: &str, given_name: &str) -> String {
    let mut tokens: Vec<String> = normalise(family_name)
        .split(' ')
        .chain(normalise(given_name).split(' '))
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    tokens.sort();
    tokens.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_accents_case_and_punctuation_fold() {
        assert_eq!(normalise("  José-María  "), "jose maria");
        assert_eq!(normalise("QUISPE   Mamaní"), "quispe mamani");
        assert_eq!(normalise("O'Brien"), "obrien");
        assert_eq!(normalise("Sa’id"), normalise("Said"));
        assert_eq!(normalise("Ngozi\u{00A0}Okafor"), "ngozi okafor");
    }

    #[test]
    fn arabic_and_bengali_keep_their_letters() {
        assert_eq!(normalise("مُحَمَّد"), "مُحَمَّد");
        assert_eq!(normalise("আলী"), "আলী");
        assert_eq!(normalise("হোসেন"), "হোসেন");
        // Alef with madda decomposes under NFKD; it must come back whole.
        assert_eq!(normalise("آمنة"), "آمنة");
    }

    #[test]
    fn swapped_fields_give_the_same_key() {
        assert_eq!(
            name_key("Hossain", "Md Rahim"),
            name_key("Md Rahim", "HOSSAIN")
        );
        assert_ne!(name_key("Hossain", "Rahim"), name_key("Hossain", "Karim"));
    }
}
