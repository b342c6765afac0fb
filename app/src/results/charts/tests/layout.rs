//! The charts' layout: snapshots of each chart type in both languages, mirroring in Arabic,
//! degenerate inputs, label truncation, axis numbers, palette contrast and determinism.

use super::*;

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
    // Shares are scaled to the data, never past 100 %.
    let ends = |largest: f64| {
        let axis = Axis::for_values(largest, Some(100.0), false);
        (axis.end, axis.step)
    };
    assert_eq!(ends(35.0), (40.0, 10.0));
    assert_eq!(ends(62.5), (80.0, 20.0));
    assert_eq!(ends(98.0), (100.0, 20.0));
    assert_eq!(ends(0.0), (100.0, 20.0));
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
