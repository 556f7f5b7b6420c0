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

fn is_arabic(c: char) -> bool {
    matches!(c as u32, 0x0600..=0x06FF | 0x0750..=0x077F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF)
}

fn is_bengali(c: char) -> bool {
    matches!(c as u32, 0x0980..=0x09FF)
}

/// Whether a word is written in Arabic or Bengali script.
pub fn is_arabic_or_bengali(word: &str) -> bool {
    word.chars().any(|c| is_arabic(c) || is_bengali(c))
}

/// The consonant skeleton of an Arabic or Bengali word in Latin letters (`محمد` -> mhmd,
/// `হোসেন` -> hsn), or `None` for a word in another script. Arabic writes no short vowels and
/// transliterations disagree on the long ones, so only consonants are compared across
/// scripts; `latin_skeleton` reduces a Latin spelling the same way (Mohammed -> mhmd).
pub fn script_skeleton(word: &str) -> Option<String> {
    if !is_arabic_or_bengali(word) {
        return None;
    }
    let chars: Vec<char> = word.chars().collect();
    // The Arabic article al- is not part of the name (السيد = Sayed).
    let chars: &[char] = match chars.as_slice() {
        ['ا', 'ل', rest @ ..] if rest.len() >= 2 => rest,
        all => all,
    };
    let mut out = String::new();
    let last = chars.len().saturating_sub(1);
    for (i, &c) in chars.iter().enumerate() {
        let first = out.is_empty();
        // ড়, ঢ়, য় stay decomposed under NFC: a base letter and a nukta.
        let nukta = chars.get(i + 1) == Some(&'\u{09BC}');
        let mapped: &str = match c {
            'ড' | 'ঢ' | '\u{09DC}' | '\u{09DD}' if nukta || c > '\u{09DB}' => "r",
            'য' | '\u{09DF}' if (nukta || c == '\u{09DF}') && first => "y",
            'য' | '\u{09DF}' if nukta || c == '\u{09DF}' => "",
            // Arabic
            'ب' | 'پ' => "b",
            'ت' | 'ث' | 'ط' => "t",
            'ج' | 'غ' | 'گ' => "j",
            'ح' | 'ه' if !(c == 'ه' && i == last) => "h",
            'خ' | 'ق' | 'ك' | 'ک' | 'چ' => "k",
            'د' | 'ذ' | 'ض' => "d",
            'ر' => "r",
            'ز' | 'ظ' => "z",
            'س' | 'ش' | 'ص' => "s",
            'ف' => "f",
            'ل' => "l",
            'م' => "m",
            'ن' => "n",
            'و' if first => "w",
            'ي' | 'ی' if first => "y",
            // Bengali
            'ক' | 'খ' | 'চ' | 'ছ' => "k",
            // After a virama, য is the ya-phala of a conjunct (শ্যামল = Shyamal): a glide.
            'য' if i > 0 && chars[i - 1] == '\u{09CD}' => "",
            'গ' | 'ঘ' | 'জ' | 'ঝ' | 'য' => "j",
            'ঙ' | 'ঞ' | 'ণ' | 'ন' => "n",
            'ট' | 'ঠ' | 'ত' | 'থ' | 'ৎ' => "t",
            'ড' | 'ঢ' | 'দ' | 'ধ' => "d",
            'প' => "p",
            'ফ' => "f",
            'ব' | 'ভ' => "b",
            'ম' => "m",
            'র' => "r",
            'ল' => "l",
            'শ' | 'ষ' | 'স' => "s",
            'হ' => "h",
            // Vowels, vowel signs, hamza, ayn, ta marbuta, diacritics: not compared.
            _ => "",
        };
        out.push_str(mapped);
    }
    Some(squeeze(&out))
}

/// The consonant skeleton of a Latin word, comparable with `script_skeleton`.
pub fn latin_skeleton(word: &str) -> String {
    let mut out = String::new();
    let mut prev: Option<char> = None;
    for c in word.chars() {
        let first = out.is_empty();
        let after = prev.replace(c);
        match c {
            'a' | 'e' | 'i' | 'o' | 'u' => {}
            'y' | 'w' if !first => {}
            // kh, sh, th, dh, gh, ph, ch, bh: one sound, one letter (but the h of Saha, Taha
            // is a consonant of its own).
            'h' if after.is_some_and(|p| "bcdgjkpqstz".contains(p)) => {}
            'q' | 'c' => out.push('k'),
            'g' => out.push('j'),
            'v' => out.push('b'),
            c if c.is_ascii_alphabetic() => out.push(c),
            _ => {}
        }
    }
    squeeze(&out)
}

/// Doubled letters once (Mohammed, মোহাম্মদ).
pub(crate) fn squeeze(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
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
    fn arabic_and_bengali_names_meet_their_latin_spellings_by_skeleton() {
        for (script, latin) in [
            ("محمد", "muhammad"),
            ("محمد", "mohammed"),
            ("فاطمة", "fatima"),
            ("حسن", "hassan"),
            ("إبراهيم", "ibrahim"),
            ("السيد", "sayed"),
            ("يوسف", "yusuf"),
            ("أحمد", "ahmed"),
            ("হোসেন", "hossen"),
            ("হোসেন", "hossain"),
            ("আক্তার", "akhter"),
            ("রোকেয়া", "rokeya"),
            ("মোহাম্মদ", "mohammad"),
            ("চৌধুরী", "chowdhury"),
            ("কামাল", "kamal"),
            ("সাহা", "saha"),
            ("শ্যামল", "shyamal"),
        ] {
            assert_eq!(
                script_skeleton(&normalise(script)).as_deref(),
                Some(latin_skeleton(latin).as_str()),
                "{script} / {latin}"
            );
        }
        assert_eq!(script_skeleton("omar"), None);
        assert_ne!(latin_skeleton("fatima"), latin_skeleton("hassan"));
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
