//! Diarization error rate (DER), for tests and benchmarks.
//!
//! Frame-based at 10 ms, NIST style: a forgiveness `collar` around every reference turn
//! boundary is not scored; missed speech, false alarm and speaker confusion are counted per
//! frame (`max(0, ref − hyp)`, `max(0, hyp − ref)`, `min(ref, hyp) − correct`) under the
//! one-to-one speaker mapping that maximises the matched time; DER = their sum / scored
//! reference speech. Overlapped speech counts once per speaker.

use crate::types::SpeakerTurn;

const STEP: f64 = 0.01;

/// DER and its parts, in seconds of scored time.
#[derive(Clone, Debug, PartialEq)]
pub struct DerReport {
    pub der: f64,
    pub missed: f64,
    pub false_alarm: f64,
    pub confusion: f64,
    /// Scored reference speech (speaker-seconds).
    pub total: f64,
}

fn speakers(turns: &[SpeakerTurn]) -> Vec<&str> {
    let mut s: Vec<&str> = turns.iter().map(|t| t.speaker.as_str()).collect();
    s.sort();
    s.dedup();
    s
}

fn frame(t: f64) -> usize {
    (t / STEP).round().max(0.0) as usize
}

/// DER of `hypothesis` against `reference` with a `collar` (seconds) on each side of every
/// reference boundary.
pub fn der(reference: &[SpeakerTurn], hypothesis: &[SpeakerTurn], collar: f64) -> DerReport {
    let end = reference
        .iter()
        .chain(hypothesis)
        .map(|t| t.end)
        .fold(0.0, f64::max);
    let n = frame(end) + 1;
    let (rs, hs) = (speakers(reference), speakers(hypothesis));
    let fill = |turns: &[SpeakerTurn], names: &[&str]| {
        let mut m = vec![vec![false; n]; names.len()];
        for t in turns {
            let i = names.iter().position(|s| *s == t.speaker).unwrap_or(0);
            let (a, b) = (frame(t.start).min(n), frame(t.end).min(n));
            m[i][a..b.max(a)].fill(true);
        }
        m
    };
    let (r, h) = (fill(reference, &rs), fill(hypothesis, &hs));
    let mut scored = vec![true; n];
    for t in reference {
        for b in [t.start, t.end] {
            let (lo, hi) = (frame(b - collar).min(n), frame(b + collar).min(n));
            scored[lo..hi.max(lo)].fill(false);
        }
    }
    // Co-occurrence of each reference and hypothesis speaker over scored frames.
    let mut co = vec![vec![0usize; hs.len()]; rs.len()];
    let (mut missed, mut fa, mut both, mut total) = (0usize, 0usize, 0usize, 0usize);
    for f in (0..n).filter(|&f| scored[f]) {
        let nr = r.iter().filter(|s| s[f]).count();
        let nh = h.iter().filter(|s| s[f]).count();
        total += nr;
        missed += nr.saturating_sub(nh);
        fa += nh.saturating_sub(nr);
        both += nr.min(nh);
        for (i, ri) in r.iter().enumerate() {
            if ri[f] {
                for (j, hj) in h.iter().enumerate() {
                    co[i][j] += usize::from(hj[f]);
                }
            }
        }
    }
    let correct = best_mapping(&co);
    let confusion = both - correct.min(both);
    let secs = |x: usize| x as f64 * STEP;
    DerReport {
        der: if total == 0 {
            0.0
        } else {
            (missed + fa + confusion) as f64 / total as f64
        },
        missed: secs(missed),
        false_alarm: secs(fa),
        confusion: secs(confusion),
        total: secs(total),
    }
}

/// Largest total co-occurrence under a one-to-one mapping (exact for up to 16 hypothesis
/// speakers: dynamic programming over subsets; greedy beyond).
fn best_mapping(co: &[Vec<usize>]) -> usize {
    let h = co.first().map_or(0, Vec::len);
    if h > 16 {
        let mut used = vec![false; h];
        return co
            .iter()
            .map(|row| {
                let best = (0..h).filter(|&j| !used[j]).max_by_key(|&j| row[j]);
                best.map_or(0, |j| {
                    used[j] = true;
                    row[j]
                })
            })
            .sum();
    }
    let mut dp = vec![None::<usize>; 1 << h];
    dp[0] = Some(0);
    for row in co {
        let mut next = dp.clone(); // a reference speaker may stay unmapped
        for (mask, v) in dp.iter().enumerate() {
            let Some(v) = v else { continue };
            for (j, &c) in row.iter().enumerate() {
                if mask & (1 << j) == 0 {
                    let m = mask | (1 << j);
                    next[m] = Some(next[m].map_or(v + c, |x| x.max(v + c)));
                }
            }
        }
        dp = next;
    }
    dp.into_iter().flatten().max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(start: f64, end: f64, s: &str) -> SpeakerTurn {
        SpeakerTurn {
            start,
            end,
            speaker: s.into(),
        }
    }

    #[test]
    fn perfect_and_relabelled_hypotheses_score_zero() {
        let r = vec![t(0.0, 2.0, "a"), t(2.0, 4.0, "b"), t(4.5, 6.0, "a")];
        assert_eq!(der(&r, &r, 0.0).der, 0.0);
        let h = vec![t(0.0, 2.0, "X"), t(2.0, 4.0, "Y"), t(4.5, 6.0, "X")];
        assert_eq!(der(&r, &h, 0.25).der, 0.0);
    }

    #[test]
    fn parts_are_counted() {
        let r = vec![t(0.0, 4.0, "a"), t(4.0, 8.0, "b")];
        // Everything one speaker: half the time confused.
        let one = vec![t(0.0, 8.0, "X")];
        let d = der(&r, &one, 0.0);
        assert!((d.der - 0.5).abs() < 1e-6, "{d:?}");
        assert!((d.confusion - 4.0).abs() < 1e-6);
        // Nothing found: all missed.
        let d = der(&r, &[], 0.0);
        assert!((d.der - 1.0).abs() < 1e-9 && (d.missed - 8.0).abs() < 1e-6);
        // Extra speech after the end: false alarm.
        let h = vec![t(0.0, 4.0, "X"), t(4.0, 10.0, "Y")];
        let d = der(&r, &h, 0.0);
        assert!((d.false_alarm - 2.0).abs() < 1e-6 && (d.der - 0.25).abs() < 1e-6);
    }

    #[test]
    fn the_collar_forgives_boundaries() {
        let r = vec![t(1.0, 3.0, "a"), t(3.0, 5.0, "b")];
        let h = vec![t(1.2, 3.2, "X"), t(3.2, 5.0, "Y")];
        assert!(der(&r, &h, 0.0).der > 0.05);
        assert_eq!(der(&r, &h, 0.25).der, 0.0);
    }
}
