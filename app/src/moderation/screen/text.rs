//! Normalisation: the original text becomes `Unit`s (one normalised char each, with its byte
//! range in the original), then `Token`s (words and numbers). Every later step works on these,
//! so every finding maps back to the original text exactly.

/// One normalised character and the original bytes it stands for.
#[derive(Debug, Clone, Copy)]
pub(super) struct Unit {
    pub c: char,
    pub start: usize,
    pub end: usize,
}

/// A word or number after normalisation, with its byte range in the original text.
#[derive(Debug, Clone)]
pub(super) struct Token {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// One spelling of a token to look up: the whole token (`full`) or a stem with an Arabic
/// prefix/suffix or an English suffix removed.
#[derive(Debug, Clone, Copy)]
pub(super) struct Form<'a> {
    pub text: &'a str,
    pub full: bool,
}

pub(super) fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' | '\u{0671}'..='\u{06D3}')
}

/// Harakat, superscript alef and tatweel: dropped, their bytes joined to the letter before.
fn is_mark(c: char) -> bool {
    matches!(
        c,
        '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' | '\u{200C}' | '\u{200D}'
    )
}

/// Zero-width and bidi controls: dropped without trace.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{200B}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
    )
}

/// Arabic letter variants, Persian/Urdu look-alikes, Arabic-Indic and Persian digits and
/// full-width ASCII folded to one spelling.
fn fold(c: char) -> char {
    match c {
        'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
        'ى' | 'ئ' | 'ی' | 'ې' => 'ي',
        'ة' | 'ۀ' | 'ە' => 'ه',
        'ؤ' => 'و',
        'ک' => 'ك',
        '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
        '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{3000}' => ' ',
        '٫' => '.',
        '٬' => ',',
        _ => c,
    }
}

/// The original text as normalised units: marks and invisible controls dropped, letters
/// folded and lower-cased, runs of three or more identical letters collapsed to one.
pub(super) fn units(text: &str) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::with_capacity(text.len());
    for (start, ch) in text.char_indices() {
        let end = start + ch.len_utf8();
        if is_mark(ch) {
            if let Some(last) = out.last_mut().filter(|u| u.end == start) {
                last.end = end;
            }
            continue;
        }
        if is_invisible(ch) {
            continue;
        }
        let c = fold(ch);
        if c.is_ascii() {
            out.push(Unit {
                c: c.to_ascii_lowercase(),
                start,
                end,
            });
        } else if c.is_uppercase() {
            out.extend(c.to_lowercase().map(|c| Unit { c, start, end }));
        } else {
            out.push(Unit { c, start, end });
        }
    }
    collapse_runs(out)
}

/// "حقييييير" → "حقير", "fuuuuck" → "fuck": three or more identical letters become one unit
/// covering all their bytes. Doubled letters ("kill") and digit runs ("1000") are kept.
fn collapse_runs(units: Vec<Unit>) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::with_capacity(units.len());
    let mut i = 0;
    while i < units.len() {
        let u = units[i];
        let mut j = i + 1;
        while j < units.len() && units[j].c == u.c {
            j += 1;
        }
        if j - i >= 3 && u.c.is_alphabetic() {
            out.push(Unit {
                c: u.c,
                start: u.start,
                end: units[j - 1].end,
            });
        } else {
            out.extend_from_slice(&units[i..j]);
        }
        i = j;
    }
    out
}

/// Characters that may sit inside a word as disguise: `sh!t`, `f*ck`, `a$$`, `@ss`.
fn is_disguise(c: char) -> bool {
    matches!(c, '*' | '!' | '@' | '$')
}

/// Separators allowed between spaced-out letters: "ح ق ي ر", "i.d.i.o.t", "f-u-c-k".
fn is_spacer(c: char) -> bool {
    matches!(c, ' ' | '.' | '-' | '_' | '*' | '·' | '•' | '/')
}

/// Words and numbers of the normalised text, with spaced-out letters rejoined and leetspeak
/// undone inside Latin words.
pub(super) fn tokens(units: &[Unit]) -> Vec<Token> {
    let runs = merge_spaced(units, raw_runs(units));
    runs.into_iter().map(|(a, b)| token(&units[a..b])).collect()
}

/// Maximal runs of letters, digits and disguise characters, as unit index ranges, trimmed of
/// disguise characters at the edges (`idiot!!!`, `@handle`, `**word**`).
fn raw_runs(units: &[Unit]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < units.len() {
        if !(units[i].c.is_alphanumeric() || is_disguise(units[i].c)) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < units.len() && (units[j].c.is_alphanumeric() || is_disguise(units[j].c)) {
            j += 1;
        }
        let (mut a, mut b) = (i, j);
        while a < b && matches!(units[a].c, '*' | '!' | '@')
            || a + 1 < b && units[a].c == '$' && units[a + 1].c.is_ascii_digit()
        {
            a += 1;
        }
        while b > a && matches!(units[b - 1].c, '*' | '!' | '@') {
            b -= 1;
        }
        if units[a..b].iter().any(|u| u.c.is_alphanumeric()) {
            runs.push((a, b));
        }
        i = j;
    }
    runs
}

/// Rejoins three or more single letters separated only by short spacers ("ح ق ي ر",
/// "i.d.i.o.t"), plus a short Arabic suffix written after them ("ح ق ي ر ين").
fn merge_spaced(units: &[Unit], runs: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    let single = |r: (usize, usize)| r.1 == r.0 + 1 && units[r.0].c.is_alphanumeric();
    let spacer_gap = |from: usize, to: usize| {
        to > from && to - from <= 3 && units[from..to].iter().all(|u| is_spacer(u.c))
    };
    let mut out = Vec::with_capacity(runs.len());
    let mut i = 0;
    while i < runs.len() {
        let mut j = i;
        while single(runs[i]) && j + 1 < runs.len() && single(runs[j + 1]) {
            if !spacer_gap(runs[j].1, runs[j + 1].0) {
                break;
            }
            j += 1;
        }
        let has_letter = runs[i..=j].iter().any(|r| units[r.0].c.is_alphabetic());
        if j - i + 1 >= 3 && has_letter {
            let mut end = runs[j].1;
            if let Some(&next) = runs.get(j + 1) {
                let suffix: String = units[next.0..next.1].iter().map(|u| u.c).collect();
                if spacer_gap(end, next.0)
                    && super::stems::ARABIC_SUFFIXES.contains(&suffix.as_str())
                {
                    end = next.1;
                    j += 1;
                }
            }
            out.push((runs[i].0, end));
        } else {
            out.extend_from_slice(&runs[i..=j]);
        }
        i = j + 1;
    }
    out
}

/// The token's text: letters and digits (spacers of a rejoined word dropped), with leetspeak
/// undone in Latin words. A digit is read as a letter only when a letter follows it in the
/// word, so `k1ll` and `1diot` are words but `a55` and `covid19` keep their digits.
fn token(units: &[Unit]) -> Token {
    let (start, end) = (units[0].start, units[units.len() - 1].end);
    let chars: Vec<char> = units
        .iter()
        .map(|u| u.c)
        .filter(|&c| c.is_alphanumeric() || is_disguise(c))
        .collect();
    let latin = chars.iter().any(|c| c.is_ascii_alphabetic())
        && !chars.iter().any(|&c| is_arabic_letter(c));
    let mut text = String::with_capacity(chars.len());
    for (k, &c) in chars.iter().enumerate() {
        let letter_after = || chars[k + 1..].iter().any(|c| c.is_alphabetic());
        let c = match c {
            '@' if latin => 'a',
            '$' if latin => 's',
            '!' if latin => 'i',
            '0' if latin && letter_after() => 'o',
            '1' if latin && letter_after() => 'i',
            '3' if latin && letter_after() => 'e',
            '4' if latin && letter_after() => 'a',
            '5' if latin && letter_after() => 's',
            '7' if latin && letter_after() => 't',
            other => other,
        };
        text.push(c);
    }
    Token { text, start, end }
}

/// The normalised text as the screener reads it: tokens joined by single spaces.
///
/// `normalize("الـــخِدْمَةُ   سيئة")` is `"الخدمه سييه"`; `normalize("Y0u 1d10t")` is `"you idiot"`.
pub fn normalize(text: &str) -> String {
    let units = units(text);
    let tokens = tokens(&units);
    let mut out = String::with_capacity(text.len());
    for (i, t) in tokens.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&t.text);
    }
    out
}
