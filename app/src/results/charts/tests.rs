//! The charts' tests: escaping, snapshots of each chart in both languages (in
//! `src/results/snapshots/`), mirroring in Arabic, degenerate inputs, label fitting, axis
//! numbers, palette contrast and determinism.

use super::draw::relative_luminance;
use super::text::parse_attributes;
use super::*;

const LOCALES: [Locale; 2] = [Locale::En, Locale::Ar];
const SNAPSHOTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/results/snapshots");

#[test]
fn labels_are_escaped_so_only_our_svg_reaches_the_page() {
    let bar = Bar {
        label: "<img src=x onerror=alert(1)> & \"q\"".to_owned(),
        value: 3.0,
        display: "<b>3</b>".to_owned(),
    };
    for locale in LOCALES {
        let svg = bars(std::slice::from_ref(&bar), None, locale);
        assert!(!svg.contains("<img") && !svg.contains("<b>"), "{svg}");
        assert!(svg.contains("&lt;img"), "{svg}");
        let svg = stacked(
            &[(bar.label.clone(), vec![1.0])],
            std::slice::from_ref(&bar.display),
            locale,
        );
        assert!(!svg.contains("<img") && !svg.contains("<b>"), "{svg}");
    }
}

/// Compares with `snapshots/<name>.svg`, or (re)writes it when `UPDATE_SNAPSHOTS=1`.
fn snapshot(name: &str, svg: &str) {
    let path = format!("{SNAPSHOTS}/{name}.svg");
    if std::env::var("UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1") {
        std::fs::create_dir_all(SNAPSHOTS).expect("create the snapshot directory");
        std::fs::write(&path, svg).expect("write the snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("missing snapshot {path} ({e}); run the tests with UPDATE_SNAPSHOTS=1 to create it")
    });
    assert!(
        expected == svg,
        "{name}: the chart differs from {path}; if the change is intended, rerun with \
         UPDATE_SNAPSHOTS=1 and review the diff\n--- got:\n{svg}"
    );
}

/// XML-escapes like plotters does, to find a label in the output.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

fn attribute(tag: &str, key: &str) -> Option<f64> {
    parse_attributes(tag)
        .into_iter()
        .find(|(k, _)| *k == key)
        .and_then(|(_, v)| v.parse().ok())
}

/// (x, text-anchor, content) of every <text>.
fn texts(svg: &str) -> Vec<(f64, String, String)> {
    svg.split("<text ")
        .skip(1)
        .filter_map(|chunk| {
            let (tag, rest) = chunk.split_once('>')?;
            let (content, _) = rest.split_once("</text>")?;
            let anchor = parse_attributes(tag)
                .into_iter()
                .find(|(k, _)| *k == "text-anchor")?
                .1
                .to_owned();
            Some((attribute(tag, "x")?, anchor, content.to_owned()))
        })
        .collect()
}

/// (x, width) of the filled rectangles of a colour, in document order.
fn rects(svg: &str, fill: &str) -> Vec<(f64, f64)> {
    svg.split("<rect ")
        .skip(1)
        .filter_map(|chunk| chunk.split_once("/>").map(|(tag, _)| tag))
        .filter(|tag| tag.contains(&format!("fill=\"{fill}\"")))
        .filter_map(|tag| Some((attribute(tag, "x")?, attribute(tag, "width")?)))
        .collect()
}

fn x_of(svg: &str, content: &str) -> f64 {
    texts(svg)
        .into_iter()
        .find(|(_, _, c)| c.contains(content))
        .map_or(f64::NAN, |(x, _, _)| x)
}

fn well_formed(svg: &str) {
    assert!(svg.starts_with("<svg "), "starts with <svg: {svg}");
    assert!(
        svg.trim_end().ends_with("</svg>"),
        "ends with </svg>: {svg}"
    );
    assert!(
        svg.contains(&format!("viewBox=\"0 0 {WIDTH} ")),
        "has a viewBox: {svg}"
    );
    assert!(!svg.contains("style="), "no style attribute: {svg}");
    assert!(
        !svg.contains("<script") && !svg.contains("href"),
        "nothing external: {svg}"
    );
    assert_eq!(svg.matches("<text").count(), svg.matches("</text>").count());
    assert!(
        !svg.contains("font-size=\"13.0000"),
        "font sizes are rounded: {svg}"
    );
}

fn sample_bars(locale: Locale) -> Vec<Bar> {
    let labels: [&str; 4] = match locale {
        Locale::Ar => [
            "موظف حكومي",
            "طالب",
            "قطاع خاص",
            "صاحب عمل حر (مستقل) في مجال التجارة الإلكترونية والخدمات الرقمية",
        ],
        Locale::En => [
            "Government employee",
            "Student",
            "Private sector",
            "Self-employed (freelance) in e-commerce & digital services",
        ],
    };
    let values = [42.0, 30.0, 17.0, 3.0];
    labels
        .iter()
        .zip(values)
        .map(|(label, value)| Bar {
            label: (*label).to_owned(),
            value,
            display: format!("{value} ({}%)", format_number(value / 92.0 * 100.0, 0)),
        })
        .collect()
}

fn sample_stacked(locale: Locale) -> (Vec<(String, Vec<f64>)>, Vec<String>) {
    let (rows, series): ([&str; 3], [&str; 5]) = match locale {
        Locale::Ar => (
            [
                "سهولة الوصول إلى الخدمات",
                "جودة المعلومات المنشورة",
                "سرعة الاستجابة",
            ],
            ["غير راضٍ إطلاقاً", "غير راضٍ", "محايد", "راضٍ", "راضٍ جداً"],
        ),
        Locale::En => (
            [
                "Ease of access to services",
                "Quality of published information",
                "Response time",
            ],
            [
                "Very dissatisfied",
                "Dissatisfied",
                "Neutral",
                "Satisfied",
                "Very satisfied",
            ],
        ),
    };
    let counts = [
        vec![5.0, 10.0, 20.0, 40.0, 25.0],
        vec![1.0, 2.0, 3.0, 4.0, 30.0],
        vec![0.0; 5],
    ];
    (
        rows.iter()
            .zip(counts)
            .map(|(r, c)| ((*r).to_owned(), c))
            .collect(),
        series.iter().map(|s| (*s).to_owned()).collect(),
    )
}

type LineData = (Vec<String>, Vec<(String, Vec<Option<f64>>)>);

fn sample_lines(locale: Locale) -> LineData {
    let (waves, names): ([&str; 5], [&str; 2]) = match locale {
        Locale::Ar => (
            ["الموجة 1", "الموجة 2", "الموجة 3", "الموجة 4", "الموجة 5"],
            ["الرياض", "جدة"],
        ),
        Locale::En => (
            ["Wave 1", "Wave 2", "Wave 3", "Wave 4", "Wave 5"],
            ["Riyadh", "Jeddah"],
        ),
    };
    (
        waves.iter().map(|w| (*w).to_owned()).collect(),
        vec![
            (
                names[0].to_owned(),
                vec![Some(3.2), Some(3.5), None, Some(3.9), Some(4.1)],
            ),
            (
                names[1].to_owned(),
                vec![Some(2.8), Some(3.0), Some(3.4), Some(3.3), Some(3.6)],
            ),
        ],
    )
}

#[test]
fn bars_snapshots() {
    for locale in LOCALES {
        let data = sample_bars(locale);
        let svg = bars(&data, None, locale);
        well_formed(&svg);
        let (shown, _) = category_labels(data.iter().map(|b| b.label.as_str()), is_rtl(locale));
        for (bar, shown) in data.iter().zip(&shown) {
            assert!(
                svg.contains(&escaped(shown)),
                "{locale:?}: label {shown:?} in {svg}"
            );
            let kept = shown.trim_end_matches('…');
            assert!(
                bar.label.starts_with(kept),
                "{locale:?}: {shown:?} is a prefix of the label"
            );
            assert!(
                svg.contains(&escaped(&bar.display)),
                "{locale:?}: {:?} in {svg}",
                bar.display
            );
        }
        snapshot(&format!("bars-{}", locale.code()), &svg);
    }
}

#[test]
fn bars_mirror_in_arabic() {
    for locale in LOCALES {
        let data = sample_bars(locale);
        let svg = bars(&data, Some(100.0), locale);
        let bar_rects = rects(&svg, PALETTE[0]);
        assert_eq!(bar_rects.len(), data.len(), "{svg}");
        let (bar_x, bar_w) = bar_rects[0];
        let label_x = x_of(&svg, &data[0].label);
        let display_x = x_of(&svg, &escaped(&data[0].display));
        let labels = texts(&svg);
        let label_anchor = &labels
            .iter()
            .find(|(_, _, c)| c.contains(&data[0].label))
            .expect("label drawn")
            .1;
        match locale {
            Locale::Ar => {
                // The bar starts at its right edge: the label is right of that, the value
                // left of the bar's end.
                assert!(
                    label_x >= bar_x + bar_w,
                    "label {label_x} right of bar start {}",
                    bar_x + bar_w
                );
                assert!(
                    display_x < bar_x,
                    "value {display_x} left of the bar's end {bar_x}"
                );
                assert!(svg.contains("direction=\"rtl\""));
                // Geometric left edge at x under direction="rtl" is `end`.
                assert_eq!(label_anchor, "end");
            }
            Locale::En => {
                assert!(
                    label_x <= bar_x,
                    "label {label_x} left of bar start {bar_x}"
                );
                assert!(
                    display_x > bar_x + bar_w,
                    "value {display_x} right of the bar's end"
                );
                assert!(svg.contains("direction=\"ltr\""));
                assert_eq!(label_anchor, "end");
            }
        }
        // Bars in order, longest first here.
        assert!(
            bar_rects.windows(2).all(|w| w[0].1 >= w[1].1),
            "{bar_rects:?}"
        );
    }
}

#[test]
fn stacked_snapshots() {
    for locale in LOCALES {
        let (rows, series) = sample_stacked(locale);
        let svg = stacked(&rows, &series, locale);
        well_formed(&svg);
        for label in rows.iter().map(|(l, _)| l).chain(&series) {
            assert!(
                svg.contains(&escaped(label)),
                "{locale:?}: {label:?} in {svg}"
            );
        }
        // Series order follows the reading direction.
        let first = rects(&svg, PALETTE[0]);
        let second = rects(&svg, PALETTE[1]);
        // [0] is the legend swatch, [1] the first row's segment.
        assert!(first.len() >= 2 && second.len() >= 2, "{svg}");
        match locale {
            Locale::Ar => assert!(first[1].0 > second[1].0, "{first:?} {second:?}"),
            Locale::En => assert!(first[1].0 < second[1].0, "{first:?} {second:?}"),
        }
        // The row with total 0 has no segments: 2 rows with segments plus the swatch.
        assert_eq!(first.len(), 3, "{svg}");
        snapshot(&format!("stacked-{}", locale.code()), &svg);
    }
}

#[test]
fn lines_snapshots() {
    for locale in LOCALES {
        let (waves, series) = sample_lines(locale);
        let svg = lines(&waves, &series, Some((1.0, 5.0)), locale);
        well_formed(&svg);
        for label in waves.iter().chain(series.iter().map(|(name, _)| name)) {
            assert!(
                svg.contains(&escaped(label)),
                "{locale:?}: {label:?} in {svg}"
            );
        }
        // The gap breaks the first series: two polylines, plus the legend's sample line.
        let first_colour = format!("stroke=\"{}\"", PALETTE[0]);
        let polylines = svg
            .split("<polyline")
            .skip(1)
            .filter(|p| p.contains(&first_colour))
            .count();
        assert_eq!(polylines, 3, "{svg}");
        let (first, last) = (x_of(&svg, &waves[0]), x_of(&svg, &waves[4]));
        match locale {
            Locale::Ar => assert!(first > last, "first wave on the right: {first} {last}"),
            Locale::En => assert!(first < last, "first wave on the left: {first} {last}"),
        }
        snapshot(&format!("lines-{}", locale.code()), &svg);
    }
}

#[test]
fn empty_and_degenerate_inputs_do_not_panic() {
    for locale in LOCALES {
        for svg in [
            bars(&[], None, locale),
            bars(&[], Some(100.0), locale),
            stacked(&[], &[], locale),
            stacked(&[("x".to_owned(), vec![])], &[], locale),
            stacked(
                &[("x".to_owned(), vec![1.0, f64::NAN, f64::INFINITY, -3.0])],
                &["a".to_owned()],
                locale,
            ),
            lines(&[], &[], None, locale),
            lines(&["a".to_owned()], &[], None, locale),
            lines(
                &["a".to_owned()],
                &[("s".to_owned(), vec![])],
                Some((f64::NAN, 1.0)),
                locale,
            ),
            lines(
                &["a".to_owned(), "b".to_owned()],
                &[("s".to_owned(), vec![None, Some(f64::NAN)])],
                Some((5.0, 5.0)),
                locale,
            ),
            lines(
                &["a".to_owned()],
                &[("s".to_owned(), vec![Some(f64::NEG_INFINITY), Some(2.0)])],
                None,
                locale,
            ),
            bars(
                &[
                    Bar {
                        label: String::new(),
                        value: f64::NAN,
                        display: String::new(),
                    },
                    Bar {
                        label: "\u{0}\n\t".to_owned(),
                        value: f64::INFINITY,
                        display: "<&>".to_owned(),
                    },
                    Bar {
                        label: "big".to_owned(),
                        value: 1e300,
                        display: "x".to_owned(),
                    },
                    Bar {
                        label: "max".to_owned(),
                        value: f64::MAX,
                        display: "x".to_owned(),
                    },
                ],
                Some(f64::NAN),
                locale,
            ),
            bars(
                &[Bar {
                    label: "zero".to_owned(),
                    value: 0.0,
                    display: "0".to_owned(),
                }],
                Some(-1.0),
                locale,
            ),
        ] {
            well_formed(&svg);
            assert!(!svg.contains('\u{0}'));
            assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
        }
    }
}

#[test]
fn long_labels_are_truncated_at_a_char_boundary() {
    let long = "تقييم مستوى رضا المستفيدين عن الخدمات الإلكترونية المقدمة عبر البوابة";
    assert!(long.chars().count() >= 60);
    for locale in LOCALES {
        let label = fit(long, MAX_LABEL_CHARS, 10_000.0, LABEL_PX, is_rtl(locale));
        let core = label
            .trim_start_matches('\u{2068}')
            .trim_end_matches('\u{2069}');
        assert!(core.ends_with('…'), "{label}");
        let kept = core.trim_end_matches('…');
        assert!(long.starts_with(kept), "{kept}");
        assert!(
            core.chars().count() <= MAX_LABEL_CHARS,
            "{}",
            core.chars().count()
        );
        let svg = bars(
            &[Bar {
                label: long.to_owned(),
                value: 1.0,
                display: "1".to_owned(),
            }],
            None,
            locale,
        );
        assert!(!svg.contains(long));
        let drawn = texts(&svg)
            .into_iter()
            .find(|(_, _, c)| c.contains('…'))
            .expect("a truncated label")
            .2;
        let drawn = drawn
            .trim_start_matches('\u{2068}')
            .trim_end_matches('\u{2069}');
        assert!(long.starts_with(drawn.trim_end_matches('…')), "{drawn}");
        assert!(drawn.chars().count() <= MAX_LABEL_CHARS, "{drawn}");
    }
    // By width too: 40 wide capitals do not fit the label column.
    let wide = "W".repeat(40);
    let label = fit(&wide, MAX_LABEL_CHARS, 200.0, LABEL_PX, false);
    assert!(text_width(&label, LABEL_PX) <= 200.0, "{label}");
    // Combining marks stay with their letter, and short labels are left alone.
    assert_eq!(fit("مُحَمَّد", 3, 10_000.0, LABEL_PX, true), "مُحَ…");
    assert_eq!(fit("  Yes \n no ", 40, 10_000.0, LABEL_PX, false), "Yes no");
    // Against the chart's direction: isolated.
    assert_eq!(
        fit("Other (IT)", 40, 10_000.0, LABEL_PX, true),
        "\u{2068}Other (IT)\u{2069}"
    );
    assert_eq!(fit("42 (35%)", 40, 10_000.0, LABEL_PX, true), "42 (35%)");
}

#[test]
fn axis_numbers_are_short_and_round() {
    let axis = Axis::for_values(42.0, None, true);
    assert_eq!(
        axis.ticks()
            .iter()
            .map(|t| axis.format(*t))
            .collect::<Vec<_>>(),
        ["0", "10", "20", "30", "40", "50"]
    );
    let axis = Axis::for_range(&[], Some((1.0, 5.0)));
    let ticks: Vec<String> = axis.ticks().iter().map(|t| axis.format(*t)).collect();
    assert_eq!(ticks, ["1", "2", "3", "4", "5"]);
    let axis = Axis::for_range(&[0.3, 2.4], None);
    let ticks: Vec<String> = axis.ticks().iter().map(|t| axis.format(*t)).collect();
    assert_eq!(ticks, ["0", "0.5", "1", "1.5", "2", "2.5"]);
    let axis = Axis::for_values(1.0, None, true);
    assert!((axis.step - 1.0).abs() < 1e-12);
    // Counts never get 2.5 steps; means may.
    assert!((Axis::for_range(&[12.0], None).step - 5.0).abs() < 1e-12);
    assert!((Axis::for_range(&[12.5], None).step - 2.5).abs() < 1e-12);
    assert_eq!(format_number(-0.0001, 2), "0");
}

#[test]
fn palette_contrast() {
    let contrast = |c: &str| 1.05 / (relative_luminance(hex(c)) + 0.05);
    assert!(contrast(PALETTE[0]) >= 4.5);
    assert!(
        PALETTE[..5].iter().all(|c| contrast(c) >= 3.0),
        "the first five are >= 3:1"
    );
    assert!(contrast("#F0E442") < 3.0);
    assert_eq!(on_colour(hex("#0072B2")), WHITE);
    assert_eq!(on_colour(hex("#F0E442")), BLACK);
}

#[test]
fn deterministic() {
    let data = sample_bars(Locale::Ar);
    assert_eq!(bars(&data, None, Locale::Ar), bars(&data, None, Locale::Ar));
}
