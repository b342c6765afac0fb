//! Assembles a results page's content from the store: the counts (or, under an answer filter,
//! the coded rows), the survey's definition, the author's targets, and the charts. Shared by
//! the staff dashboard, the public page, the SVG downloads and the results API.

use std::collections::{BTreeMap, HashMap};

use uuid::Uuid;

use super::charts::{self, Bar};
use super::db::{self, CodedRow};
use super::rules::{RESPONSE, STARTED, Tally, median, percent};
use super::summary::{self, figure};
use super::{Crosstab, Dimension, Filter, QuestionResult, Results, Shown, Summary};
use crate::Locale;
use crate::responses::Channel;
use crate::store::{Db, StoreError};
use crate::surveys::StakeholderGroup;
use crate::surveys::model::Definition;

/// How results are shown: to staff, or to the public (small counts hidden).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Staff,
    Public,
}

/// The names of a periodic survey's waves by number: their periods in UAE time ("2026-Q3",
/// "2026-11"); empty for a survey that does not recur.
async fn wave_names(db: &Db, survey: Uuid) -> Result<BTreeMap<i32, String>, StoreError> {
    let Some(recurrence) = crate::surveys::db::get(db, survey)
        .await?
        .and_then(|s| s.recurrence)
    else {
        return Ok(BTreeMap::new());
    };
    Ok(crate::surveys::db::waves(db, survey)
        .await?
        .into_iter()
        .filter_map(|w| {
            let number = i32::try_from(w.number).ok()?;
            Some((
                number,
                crate::surveys::lifecycle::wave_label(recurrence, w.opens_at),
            ))
        })
        .collect())
}

/// The counts under a filter, with responses by group and channel: from the running counts,
/// or from the coded rows when the filter names an answer.
async fn counts(
    db: &Db,
    survey: Uuid,
    filter: &Filter,
) -> Result<(Tally, BTreeMap<String, i64>, BTreeMap<String, i64>), StoreError> {
    if filter.by_answer().is_some() {
        let mut tally = Tally::default();
        let mut groups = BTreeMap::new();
        let mut channels = BTreeMap::new();
        // The database passes only the rows holding the answer (`scan` filters by its token).
        db::scan(db, survey, filter, db::Field::Codes, |row: &CodedRow| {
            tally.add_codes(row.text);
            *groups.entry(row.group.to_owned()).or_insert(0) += 1;
            *channels.entry(row.channel.to_owned()).or_insert(0) += 1;
        })
        .await?;
        return Ok((tally, groups, channels));
    }
    let tally = db::tally(db, survey, filter).await?;
    if filter.whole_days() {
        // Read from the totals, which keep responses by group and by channel.
        let by = |item: &str| {
            tally
                .values(RESPONSE, item)
                .map(|(k, c)| (k.to_owned(), c.n))
                .collect()
        };
        let (groups, channels) = (by(db::GROUP), by(db::CHANNEL));
        return Ok((tally, groups, channels));
    }
    let by = |rows: Vec<(String, i64, i64)>| rows.into_iter().map(|(k, n, _)| (k, n)).collect();
    let groups = by(db::responses_by(db, survey, filter, Dimension::Group).await?);
    let channels = by(db::responses_by(db, survey, filter, Dimension::Channel).await?);
    Ok((tally, groups, channels))
}

/// Everything a results page shows for a survey under a filter.
pub async fn results(
    db: &Db,
    survey: Uuid,
    definition: &Definition,
    filter: &Filter,
    locale: Locale,
    audience: Audience,
) -> Result<Results, StoreError> {
    let public = audience == Audience::Public;
    let (tally, groups, channels) = counts(db, survey, filter).await?;
    let (is_public, targets) = db::settings(db, survey).await?;
    let responses = tally.n(RESPONSE, "", "");
    let started = tally.n(RESPONSE, STARTED, "");
    let durations: Vec<(f64, i64)> = tally
        .values(RESPONSE, super::rules::DURATION)
        .filter_map(|(v, c)| v.parse::<f64>().ok().map(|x| (x, c.n)))
        .collect();
    let questions = definition
        .questions()
        .map(|(_, q)| with_chart(summary::question(q, &tally, locale, public), locale))
        .collect();
    // The channels that brought responses (suppressed among themselves on public pages).
    let used: Vec<(Channel, i64)> = Channel::ALL
        .iter()
        .map(|c| (*c, channels.get(c.code()).copied().unwrap_or(0)))
        .filter(|(_, n)| *n > 0)
        .collect();
    let counts: Vec<i64> = used.iter().map(|(_, n)| *n).collect();
    let shown_channels: Vec<Shown> = if public {
        super::rules::suppress(&counts)
    } else {
        counts.iter().copied().map(Some).collect()
    };
    // Few responses say nothing about completion, and could say something about someone.
    let enough = !public || responses >= super::rules::SMALL_CELL;
    let waves = db::tally_by_wave(db, survey).await?;
    let names = wave_names(db, survey).await?;
    let name = |w: i32| {
        names
            .get(&w)
            .cloned()
            .unwrap_or_else(|| locale.t_with("results.wave_n", &[("n", &w.to_string())]))
    };
    let trends = if waves.len() > 1 {
        let labels: Vec<String> = waves.keys().map(|w| name(*w)).collect();
        summary::trends(definition, &waves, locale, public)
            .into_iter()
            .map(|mut trend| {
                let range = definition
                    .question(&trend.key)
                    .and_then(|q| summary::trend_range(&q.kind));
                trend.labels = labels.clone();
                trend.chart = charts::lines(
                    &labels,
                    &[(trend.measure.clone(), trend.values.clone())],
                    range,
                    locale,
                );
                trend
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(Results {
        survey,
        title: definition.title.get(locale).to_owned(),
        responses: enough.then_some(responses),
        // Completion and time taken are for staff judging the survey, and the targets are
        // internal: the public sees what was answered, by whom.
        completion: (started > 0 && enough && !public)
            .then(|| percent(responses.min(started), started)),
        median_seconds: median(&durations).filter(|_| enough && !public),
        groups: summary::groups(&groups, &targets, locale, public),
        channels: used
            .iter()
            .zip(shown_channels)
            .map(|((c, _), n)| (c.code().to_owned(), locale.t(&c.label_key()), n))
            .collect(),
        waves: waves.keys().copied().filter(|w| *w > 0).collect(),
        wave_labels: waves.keys().copied().filter(|w| *w > 0).map(name).collect(),
        questions,
        trends,
        public: is_public,
    })
}

fn bar(label: &str, n: Shown, percent: Option<f64>) -> Bar {
    Bar {
        label: label.to_owned(),
        value: percent.unwrap_or(0.0),
        display: match (n, percent) {
            (Some(n), Some(p)) => format!("{}% ({n})", figure(p)),
            (Some(n), None) => n.to_string(),
            _ => "<5".to_owned(),
        },
    }
}

/// Draws a question's chart.
pub fn with_chart(mut result: QuestionResult, locale: Locale) -> QuestionResult {
    if result.answered.unwrap_or(0) == 0 {
        return result;
    }
    result.chart = match &result.summary {
        Summary::Choices { options, .. } => {
            let bars: Vec<Bar> = options
                .iter()
                .map(|o| bar(&o.label, o.n, o.percent))
                .collect();
            charts::shares(&bars, locale)
        }
        Summary::Scale { points, .. } | Summary::Numeric { bins: points, .. } => {
            let bars: Vec<Bar> = points
                .iter()
                .map(|o| bar(&o.label, o.n, o.percent))
                .collect();
            charts::shares(&bars, locale)
        }
        Summary::Matrix { scale, rows } => {
            let rows: Vec<(String, Vec<f64>)> = rows
                .iter()
                .map(|(label, counts)| {
                    (
                        label.clone(),
                        counts.iter().map(|n| n.unwrap_or(0) as f64).collect(),
                    )
                })
                .collect();
            charts::stacked(&rows, scale, locale)
        }
        Summary::Ranking { items } => {
            let bars: Vec<Bar> = items
                .iter()
                .map(|(label, mean)| Bar {
                    label: label.clone(),
                    value: mean.unwrap_or(0.0),
                    display: mean.map(figure).unwrap_or_else(|| "<5".to_owned()),
                })
                .collect();
            charts::bars(&bars, Some(items.len() as f64), locale)
        }
        Summary::Text { .. } => String::new(),
    };
    result
}

/// What a crosstab axis counts: a question's answers, or a dimension of the response.
#[derive(Debug, Clone, PartialEq)]
pub enum Axis {
    Question(String),
    Dimension(Dimension),
}

impl Axis {
    /// Reads `group`, `channel`, `wave` or a question key.
    pub fn parse(text: &str, definition: &Definition) -> Option<Axis> {
        match text {
            "group" => Some(Axis::Dimension(Dimension::Group)),
            "channel" => Some(Axis::Dimension(Dimension::Channel)),
            "wave" => Some(Axis::Dimension(Dimension::Wave)),
            key => definition
                .question(key)
                .filter(|q| summary::crosstab_question(&q.kind))
                .map(|q| Axis::Question(q.key.clone())),
        }
    }

    /// The column of the running counts the axis reads, with the question whose answers
    /// (`value`) it counts.
    fn column(&self) -> (&'static str, Option<&str>) {
        match self {
            Axis::Question(key) => ("value", Some(key.as_str())),
            Axis::Dimension(d) => (d.column(), None),
        }
    }

    /// What a question axis looks for in the choices (`;key=`).
    fn token(&self) -> String {
        match self {
            Axis::Question(key) => format!(";{key}="),
            Axis::Dimension(_) => String::new(),
        }
    }

    /// The axis' values in a response (several for a multiple-choice answer), borrowed from
    /// the row (a wave number is written into `wave`).
    fn values<'r>(
        &self,
        row: &CodedRow<'r>,
        token: &str,
        wave: &'r mut String,
    ) -> impl Iterator<Item = &'r str> {
        let (single, list): (Option<&'r str>, &'r str) = match self {
            Axis::Dimension(Dimension::Group) => (Some(row.group), ""),
            Axis::Dimension(Dimension::Channel) => (Some(row.channel), ""),
            Axis::Dimension(Dimension::Day) => (Some(row.day), ""),
            Axis::Dimension(Dimension::Wave) => {
                *wave = row.wave.to_string();
                (Some(wave.as_str()), "")
            }
            // `;key=value;` in the choices (`a,b` for several choices).
            Axis::Question(_) => (
                None,
                row.text
                    .find(token)
                    .map(|at| row.text[at + token.len()..].split(';').next().unwrap_or(""))
                    .unwrap_or(""),
            ),
        };
        single
            .into_iter()
            .chain(list.split(',').filter(|v| !v.is_empty()))
    }

    /// The axis' values in order, with labels.
    fn labels(
        &self,
        definition: &Definition,
        seen: &BTreeMap<String, ()>,
        locale: Locale,
    ) -> Vec<(String, String)> {
        match self {
            Axis::Dimension(Dimension::Group) => StakeholderGroup::ALL
                .iter()
                .map(|g| (g.code().to_owned(), locale.t(&g.label_key())))
                .collect(),
            Axis::Dimension(Dimension::Channel) => Channel::ALL
                .iter()
                .map(|c| (c.code().to_owned(), locale.t(&c.label_key())))
                .collect(),
            Axis::Dimension(_) => seen
                .keys()
                .map(|w| (w.clone(), locale.t_with("results.wave_n", &[("n", w)])))
                .collect(),
            Axis::Question(key) => definition
                .question(key)
                .map(|q| summary::value_labels(&q.kind, locale))
                .unwrap_or_default(),
        }
    }

    fn title(&self, definition: &Definition, locale: Locale) -> String {
        match self {
            Axis::Dimension(Dimension::Group) => locale.t("results.group"),
            Axis::Dimension(Dimension::Channel) => locale.t("results.channel"),
            Axis::Dimension(_) => locale.t("results.wave"),
            Axis::Question(key) => definition
                .question(key)
                .map(|q| q.text.get(locale).to_owned())
                .unwrap_or_default(),
        }
    }
}

/// Counts responses by the values of two axes under a filter. A multiple-choice answer
/// counts once under each key chosen. Read from the running counts when an axis is a
/// dimension, from the pair counts for two questions (all waves or one), and from the coded
/// rows (once) under any other filter.
pub async fn crosstab(
    db: &Db,
    survey: Uuid,
    definition: &Definition,
    filter: &Filter,
    rows: &Axis,
    columns: &Axis,
    locale: Locale,
) -> Result<Crosstab, StoreError> {
    let counted = match (rows, columns) {
        _ if filter.by_answer().is_some() => {
            scan_crosstab(db, survey, filter, rows, columns).await?
        }
        (Axis::Question(a), Axis::Question(b)) if a != b && filter.whole_days() => {
            if a < b {
                db::pair_counts(db, survey, filter.wave, a, b).await?
            } else {
                db::pair_counts(db, survey, filter.wave, b, a)
                    .await?
                    .into_iter()
                    .map(|((y, x), n)| ((x, y), n))
                    .collect()
            }
        }
        (Axis::Question(_), Axis::Question(_)) => {
            scan_crosstab(db, survey, filter, rows, columns).await?
        }
        // At least one dimension, so at most one question.
        _ => {
            let ((first, q1), (second, q2)) = (rows.column(), columns.column());
            db::counts_by(db, survey, filter, first, second, q1.or(q2)).await?
        }
    };
    let cells: BTreeMap<(String, String), i64> =
        counted.into_iter().filter(|(_, n)| *n != 0).collect();
    let mut seen_rows = BTreeMap::new();
    let mut seen_columns = BTreeMap::new();
    for (x, y) in cells.keys() {
        seen_rows.insert(x.clone(), ());
        seen_columns.insert(y.clone(), ());
    }
    let row_labels = rows.labels(definition, &seen_rows, locale);
    let column_labels = columns.labels(definition, &seen_columns, locale);
    Ok(Crosstab {
        row_title: rows.title(definition, locale),
        column_title: columns.title(definition, locale),
        columns: column_labels.iter().map(|(_, l)| l.clone()).collect(),
        rows: row_labels
            .iter()
            .map(|(key, label)| {
                let counts: Vec<i64> = column_labels
                    .iter()
                    .map(|(c, _)| cells.get(&(key.clone(), c.clone())).copied().unwrap_or(0))
                    .collect();
                let total = counts.iter().sum();
                (label.clone(), counts, total)
            })
            .collect(),
    })
}

/// A crosstab counted over the coded rows under a filter (read once).
async fn scan_crosstab(
    db: &Db,
    survey: Uuid,
    filter: &Filter,
    rows: &Axis,
    columns: &Axis,
) -> Result<HashMap<(String, String), i64>, StoreError> {
    // Counted by borrowed values; a key is copied only the first time it is seen.
    let mut counted: HashMap<String, HashMap<String, i64>> = HashMap::new();
    let (row_token, column_token) = (rows.token(), columns.token());
    db::scan(db, survey, filter, db::Field::Choices, |row| {
        let mut wave = String::new();
        for x in rows.values(row, &row_token, &mut wave) {
            let mut wave = String::new();
            let line = match counted.get_mut(x) {
                Some(line) => line,
                None => counted.entry(x.to_owned()).or_default(),
            };
            for y in columns.values(row, &column_token, &mut wave) {
                match line.get_mut(y) {
                    Some(n) => *n += 1,
                    None => {
                        line.insert(y.to_owned(), 1);
                    }
                }
            }
        }
    })
    .await?;
    Ok(counted
        .into_iter()
        .flat_map(|(x, line)| line.into_iter().map(move |(y, n)| ((x.clone(), y), n)))
        .collect())
}

/// Folds every survey's new coded rows into the pair counts (see [`db::fold`]), a chunk per
/// transaction, for the questions a crosstab can pair; answers how many rows it folded.
pub async fn fold_all(db: &Db) -> Result<u64, StoreError> {
    let mut done = 0;
    for survey in db::unfolded_surveys(db).await? {
        let Some(found) = crate::surveys::db::get(db, survey).await? else {
            continue;
        };
        let definition = found.definition;
        let keep = |key: &str| {
            definition
                .question(key)
                .is_some_and(|q| summary::crosstab_question(&q.kind))
        };
        let mut after = Uuid::nil();
        loop {
            let folded = db::fold(db, survey, after, &keep).await?;
            done += folded.rows;
            match folded.last {
                Some(last) if folded.rows == db::FOLD_CHUNK as u64 => after = last,
                _ => break,
            }
        }
    }
    Ok(done)
}
