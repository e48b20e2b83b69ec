//! CPU accounting from /proc, so a run disturbed by other work shows it.

/// Kernel clock ticks per second (USER_HZ).
pub fn clock_ticks() -> f64 {
    100.0 // USER_HZ on Linux
}

/// utime + stime of this process in seconds (from /proc/self/stat).
pub fn process_cpu_s() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<f64> = after
        .split_whitespace()
        .map(|v| v.parse().unwrap_or(0.0))
        .collect();
    // Fields 14 and 15 of stat; `after` starts at field 3.
    (f.get(11).unwrap_or(&0.0) + f.get(12).unwrap_or(&0.0)) / clock_ticks()
}

/// Busy (non-idle, non-iowait) CPU seconds of the whole machine (from /proc/stat).
pub fn machine_busy_s() -> f64 {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let f: Vec<f64> = stat
        .lines()
        .next()
        .unwrap_or("")
        .split_whitespace()
        .skip(1)
        .map(|v| v.parse().unwrap_or(0.0))
        .collect();
    let total: f64 = f.iter().take(8).sum();
    (total - f.get(3).unwrap_or(&0.0) - f.get(4).unwrap_or(&0.0)) / clock_ticks()
}

/// The 1, 5 and 15-minute load averages.
pub fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}
