//! The report: the machine and file system measured on, the table of both servers per
//! backend with the ratio to the baseline, and whether the targets hold.

use std::path::Path;

use super::{Backend, Cli, Pair, TARGET_P99_MS, TARGET_RATE, TARGET_RATIO};

pub fn print_machine(cli: &Cli, work: &Path) {
    print_host(work);
    println!(
        "{} clients, {} s warm-up, {} s measured per server",
        cli.clients, cli.warmup, cli.seconds
    );
    println!();
}

/// The machine (CPUs, model, memory) and the file system the SQLite files are on.
pub fn print_host(work: &Path) {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .and_then(|rest| rest.split_once(':'))
        .map_or("unknown", |(_, model)| model.trim());
    let memory_gb = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|line| line.strip_prefix("MemTotal:"))
                .and_then(|rest| {
                    rest.trim()
                        .trim_end_matches("kB")
                        .trim()
                        .parse::<f64>()
                        .ok()
                })
        })
        .map_or(0.0, |kb| kb / 1024.0 / 1024.0);
    println!("Machine: {cpus} CPUs (nproc), {model}, {memory_gb:.0} GB");
    let fs = filesystem(work).unwrap_or_else(|| "unknown".to_owned());
    println!("SQLite files in {} (file system: {fs})", work.display());
    if fs == "tmpfs" || fs == "ramfs" {
        println!("WARNING: {fs} does not flush to disk; SQLite figures will not be durable ones.");
    }
}

/// The type of the file system holding `path` (the longest matching mount point).
fn filesystem(path: &Path) -> Option<String> {
    let path = path.canonicalize().ok()?;
    let mounts = std::fs::read_to_string("/proc/mounts").ok()?;
    mounts
        .lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let _device = fields.next()?;
            let point = fields.next()?;
            let kind = fields.next()?;
            path.starts_with(point)
                .then(|| (point.len(), kind.to_owned()))
        })
        .max_by_key(|(len, _)| *len)
        .map(|(_, kind)| kind)
}

/// Prints the table and verdicts; answers whether any run was flawed.
pub fn report(results: &[(Backend, Pair)], failures: &[(Backend, String)]) -> bool {
    println!("| backend | server | responses/s | p50 ms | p99 ms | peak RSS MB | errors |");
    println!("|---|---|---:|---:|---:|---:|---:|");
    for (backend, pair) in results {
        for m in [&pair.sharek, &pair.baseline] {
            println!(
                "| {} | {} | {} | {:.1} | {:.1} | {:.1} | {} |",
                backend.name(),
                m.server,
                thousands(m.rate),
                m.p50_ms,
                m.p99_ms,
                m.peak_rss_mb,
                m.errors
            );
        }
    }
    println!();
    let mut flawed = !failures.is_empty();
    for (backend, pair) in results {
        let (s, b) = (&pair.sharek, &pair.baseline);
        let ratio = if b.rate > 0.0 { s.rate / b.rate } else { 0.0 };
        let mark = |ok: bool| if ok { "yes" } else { "NO" };
        let note = match backend {
            Backend::Sqlite => "",
            Backend::Postgres => " (the targets are SQLite's; shown for information)",
        };
        println!(
            "{}: sharek/baseline = {ratio:.2}×; ≥ {} responses/s: {}; ≥ {TARGET_RATIO}× baseline: {}; p99 ≤ {TARGET_P99_MS} ms: {}{note}",
            backend.name(),
            thousands(TARGET_RATE),
            mark(s.rate >= TARGET_RATE),
            mark(ratio >= TARGET_RATIO),
            mark(s.p99_ms <= TARGET_P99_MS),
        );
        for m in [s, b] {
            if m.rows != i64::try_from(m.acked).unwrap_or(i64::MAX) {
                println!(
                    "!! {} {}: {} responses acknowledged but {} rows stored{}",
                    backend.name(),
                    m.server,
                    m.acked,
                    m.rows,
                    if m.rows > 0 && m.errors > 0 {
                        " (requests that failed on the client's side may still have been stored)"
                    } else {
                        ""
                    }
                );
            } else {
                println!(
                    "{} {}: durable check passed ({} acknowledged = {} rows)",
                    backend.name(),
                    m.server,
                    m.acked,
                    m.rows
                );
            }
            if m.errors > 0 {
                println!(
                    "!! {} {}: {} errors; first: {}",
                    backend.name(),
                    m.server,
                    m.errors,
                    m.first_error.as_deref().unwrap_or("?")
                );
            }
            flawed |= !m.clean();
        }
    }
    for (backend, error) in failures {
        println!("!! {}: not measured: {error}", backend.name());
    }
    if flawed {
        println!("\nFLAGGED: this run had errors or lost acknowledged responses.");
    }
    flawed
}

/// 12345.6 → "12,346".
fn thousands(value: f64) -> String {
    let digits = format!("{:.0}", value.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
