//! The charts' tests: escaping, snapshots of each chart in both languages (in
//! `src/results/snapshots/`), mirroring in Arabic, degenerate inputs, label fitting, axis
//! numbers, palette contrast and determinism. The helpers and samples, and the escaping check,
//! are here; the charts' layout checks in `layout`.

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

mod layout;
