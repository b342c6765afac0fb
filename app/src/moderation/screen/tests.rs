//! Unit tests of the screener's parts; `evaluation` scores it on the labelled examples.

use super::*;

#[path = "evaluation.rs"]
mod evaluation;

fn holds(text: &str) -> Screening {
    screen(text, None)
}

fn categories(text: &str) -> Vec<Category> {
    holds(text).categories
}

fn personal(text: &str) -> Vec<PersonalData> {
    holds(text).personal_data
}

#[test]
fn word_lists_parse_without_problems() {
    let problems = &lexicon::get().problems;
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn keys_round_trip() {
    for c in Category::ALL {
        assert_eq!(Category::from_key(c.key()), Some(c));
    }
    for p in PersonalData::ALL {
        assert_eq!(PersonalData::from_key(p.key()), Some(p));
    }
    assert_eq!(Category::from_key("Security"), None);
    assert_eq!(Decision::Hold.key(), "hold");
}

#[test]
fn normalisation_folds_arabic_spelling() {
    assert_eq!(normalize("الـــخِدْمَةُ   سيئة"), "الخدمه سييه");
    assert_eq!(normalize("أحمد إلى آخر ٱلمدينة"), "احمد الي اخر المدينه");
    assert_eq!(normalize("مؤسسة رئيسية"), "موسسه رييسيه");
    assert_eq!(normalize("حقيييييير"), "حقير");
    assert_eq!(normalize("ح\u{200B}ق\u{200F}ير"), "حقير");
}

#[test]
fn normalisation_reads_digits_case_and_disguises() {
    assert_eq!(normalize("٠٥٠ ۱۲۳"), "050 123");
    assert_eq!(normalize("Y0u 1D10T!!!"), "you idiot");
    assert_eq!(normalize("sh!t a$$ k1ll"), "shit ass kill");
    assert_eq!(
        normalize("Galaxy A55 covid19 2026"),
        "galaxy a55 covid19 2026"
    );
    assert_eq!(normalize("fuuuuck kill"), "fuck kill");
}

#[test]
fn normalisation_rejoins_spaced_out_letters() {
    assert_eq!(normalize("ح ق ي ر"), "حقير");
    assert_eq!(normalize("you i.d.i.o.t"), "you idiot");
    assert_eq!(normalize("f-u-c-k off"), "fuck off");
    assert_eq!(normalize("ح ق ي ر ين"), "حقيرين");
    assert_eq!(normalize("plan a or b"), "plan a or b");
}

#[test]
fn emirates_id_check_digit_is_judged() {
    assert!(personal::luhn_valid("784198026018154"));
    assert!(!personal::luhn_valid("784198026018157"));
    let rule = |text: &str| {
        let s = holds(text);
        assert_eq!(s.personal_data, vec![PersonalData::EmiratesId], "{text}");
        s.reasons[0].rule
    };
    assert!(rule("ID 784-1980-2601815-4").contains("valid check digit"));
    assert!(rule("ID 784198026018154 please").starts_with("Emirates ID number"));
    assert!(rule("هوية ٧٨٤-١٩٨٠-٢٦٠١٨١٥-٤").starts_with("Emirates ID number"));
    assert!(rule("هوية ۷۸۴ ۱۹۸۰ ۲۶۰۱۸۱۵ ۴").starts_with("Emirates ID number"));
    assert!(rule("ID 784-1980-2601815-7").contains("invalid check digit"));
    assert!(rule("رقم ٧٨٤١٩٨٠٢٦٠١٨١٥٧").contains("invalid check digit"));
}

#[test]
fn uae_and_international_phone_formats_are_found() {
    for text in [
        "call 0501234567",
        "call 050 123 4567",
        "call 050-123-4567",
        "call (050) 123 4567",
        "call +971 50 123 4567",
        "call +971-50-1234567",
        "call 00971501234567",
        "call +971 (0)50 123 4567",
        "call 04 345 6789",
        "call +971 4 345 6789",
        "call 50 123 4567",
        "اتصل ٠٥٠١٢٣٤٥٦٧",
        "اتصل ۰۵۰۱۲۳۴۵۶۷",
        "اتصل +٩٧١٥٠١٢٣٤٥٦٧",
        "call +44 7700 900123",
        "call +91 98765 43210",
    ] {
        assert_eq!(personal(text), vec![PersonalData::Phone], "{text}");
    }
}

#[test]
fn numbers_that_are_not_phones_are_left_alone() {
    for text in [
        "request SHK-2026-000123 pending",
        "paid AED 1,250 on 2026-02-14",
        "dated 12/01/2026 at 10:30",
        "version 3.14.2 of the app",
        "budget 500000000 dirhams",
        "1500 people and 15000000 views",
        "Galaxy A55 phone",
        "reference 20260311-4471",
        "call the hotline 800 623",
    ] {
        assert_eq!(personal(text), vec![], "{text}");
    }
}

#[test]
fn two_phones_in_a_row_are_two_reasons() {
    let s = holds("0501234567 0559876543");
    assert_eq!(s.reasons.len(), 2);
}

#[test]
fn emails_and_addresses_are_found() {
    assert_eq!(
        personal("mail me at a.b-c@mail.example.ae."),
        vec![PersonalData::Email]
    );
    assert_eq!(personal("follow @dubai_deals"), vec![]);
    assert_eq!(
        personal("Villa 12, Street 5, Al Mizhar"),
        vec![PersonalData::Address]
    );
    assert_eq!(
        personal("شارع الوصل فيلا رقم ٢٣"),
        vec![PersonalData::Address]
    );
    assert_eq!(personal("the lift in building 12 is broken"), vec![]);
}

#[test]
fn every_reason_points_at_its_match() {
    let texts = [
        "يا حـــمـــار اتصل على ٠٥٠١٢٣٤٥٦٧ أو a@b.ae",
        "You i.d.i.o.t, I will kill you. Villa 3, Street 21.",
        "ح ق ي ر ين\u{200F} كلكم 784-1980-2601815-4",
        "🙂 f*ck 🙂 www.spam.com buy now",
    ];
    for text in texts {
        let s = holds(text);
        assert!(!s.reasons.is_empty(), "{text}");
        for r in &s.reasons {
            assert_eq!(r.matched, &text[r.start..r.end], "{text}");
            assert!(!r.matched.is_empty(), "{text}");
        }
    }
}

#[test]
fn frank_criticism_publishes() {
    for text in [
        "The service is terrible and your staff are incompetent.",
        "This decision is a failure and the minister should admit it.",
        "هذا القرار فاشل والموظفون غير متعاونين",
        "الخدمة زفت والانتظار ثلاث ساعات",
        "I came to kill time. We shoot a video at the food bank.",
        "نقتل الوقت في بنك الطعام",
        "The forms are confusing <script>alert(1)</script> see https://example.com/x",
    ] {
        let s = holds(text);
        assert_eq!(s.decision, Decision::Publish, "{text}: {:?}", s.reasons);
    }
}

#[test]
fn abuse_is_held_with_its_category() {
    assert_eq!(categories("you idiot"), vec![Category::Language]);
    assert_eq!(categories("I will kill you"), vec![Category::Security]);
    assert_eq!(categories("يا حمار"), vec![Category::Language]);
    assert_eq!(categories("free xxx videos"), vec![Category::Obscene]);
}

#[test]
fn language_is_detected_from_letters() {
    assert_eq!(detect_language("هذا القرار فاشل"), Lang::Ar);
    assert_eq!(detect_language("This decision is bad"), Lang::En);
    assert_eq!(detect_language("انت s.t.u.p.i.d ولا شو؟"), Lang::Ar);
    assert_eq!(detect_language("12345"), Lang::Ar);
    assert_eq!(screen("hello", Some(Lang::Ar)).lang, Lang::Ar);
}

#[test]
fn no_input_makes_it_panic() {
    let sample =
        "يا حمار 👍🏽 i.d.i.o.t ٠٥٠-١٢٣ a@b.c +971 é\u{200F}\u{0640}ـ ﷺ ﻻ 784 www.x.ae\t*!@$";
    let chars: Vec<(usize, char)> = sample.char_indices().collect();
    for i in 0..chars.len() {
        for len in 1..=4 {
            let Some(&(start, _)) = chars.get(i) else {
                continue;
            };
            let end = chars.get(i + len).map_or(sample.len(), |&(e, _)| e);
            let s = screen(&sample[start..end], None);
            for r in &s.reasons {
                assert_eq!(r.matched, &sample[start..end][r.start..r.end]);
            }
        }
    }
    for text in [
        "",
        " ",
        "@",
        "+",
        "(",
        "****",
        "1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8",
    ] {
        let _ = screen(text, None);
    }
    let _ = screen(&"9".repeat(10_000), None);
    let _ = screen(&"ح ".repeat(5_000), None);
}
