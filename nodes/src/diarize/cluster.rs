//! Global speaker clustering of L2-normalised embeddings.
//!
//! Spectral clustering as 3D-Speaker does it for CAM++ embeddings: cosine affinities, each
//! row pruned to its strongest entries, unnormalised Laplacian, the number of speakers from
//! the largest eigengap within the allowed range (or fixed when the caller knows it), k-means
//! on the leading eigenvectors. The eigengap is relative, so it adapts to how far apart the
//! voices of one recording are; clusters whose centroids are still closer than the merge
//! threshold are then merged (over-splitting one voice is the usual failure). Few embeddings
//! give no usable spectrum, so below [`MIN_SPECTRAL`] it is average-linkage agglomerative
//! clustering with the same threshold.
//!
//! Memory is bounded: at most [`MAX_SPECTRAL`] embeddings (evenly spaced) build the affinity
//! matrix; every embedding is then assigned to its nearest centroid.
//!
//! Near-duplicate embeddings (cosine ≥ [`DUPLICATE`]) are clustered as one point. Pruning
//! keeps each row's few strongest affinities, so a stretch that recurs many times (a jingle,
//! a catchphrase, a recording that repeats) would otherwise keep only its own copies and cut
//! the graph into one island per repeat, and the eigengap would no longer count voices.

use nalgebra::DMatrix;

/// Fewer embeddings than this are clustered agglomeratively.
pub const MIN_SPECTRAL: usize = 12;
/// Largest affinity matrix side (800² f64 = 5 MB; its eigendecomposition takes ~1 s).
pub const MAX_SPECTRAL: usize = 800;
/// Speaker counts the eigengap search considers before clamping to the caller's bounds.
const MAX_GAP_SEARCH: usize = 20;
/// Share of each affinity row kept (at least 6 entries), as in 3D-Speaker.
const PRUNE_KEEP: f64 = 0.022;
/// Embeddings at least this similar count as one point (same voice, same sound: CAM++ puts
/// different voices far below this, and one voice's different words mostly below it too).
pub const DUPLICATE: f32 = 0.95;

/// How many speakers the caller allows.
#[derive(Clone, Copy, Debug)]
pub struct Bounds {
    /// Exactly this many, when known.
    pub num: Option<usize>,
    pub min: usize,
    pub max: usize,
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn normalize(v: &mut [f32]) {
    let n = dot(v, v).sqrt();
    if n > 0.0 {
        v.iter_mut().for_each(|x| *x /= n);
    }
}

/// Normalised centroid of each label's embeddings.
pub fn centroids(emb: &[Vec<f32>], labels: &[usize], k: usize) -> Vec<Vec<f32>> {
    let dim = emb.first().map_or(0, Vec::len);
    let mut c = vec![vec![0f32; dim]; k];
    for (e, &l) in emb.iter().zip(labels) {
        for (a, b) in c[l].iter_mut().zip(e) {
            *a += b;
        }
    }
    c.iter_mut().for_each(|v| normalize(v));
    c
}

/// Labels `0..k` in order of first appearance, and `k`.
fn compact(labels: &mut [usize]) -> usize {
    let mut map: Vec<Option<usize>> = vec![None; labels.iter().max().map_or(0, |m| m + 1)];
    let mut next = 0;
    for l in labels.iter_mut() {
        let m = *map[*l].get_or_insert_with(|| {
            next += 1;
            next - 1
        });
        *l = m;
    }
    next
}

/// Cluster `emb` (normalised rows); returns one label per embedding, `0..k`.
pub fn cluster(emb: &[Vec<f32>], bounds: Bounds, merge_threshold: f32) -> Vec<usize> {
    let n = emb.len();
    if n == 0 {
        return Vec::new();
    }
    let min = bounds.num.unwrap_or(bounds.min).clamp(1, n);
    let max = bounds.num.unwrap_or(bounds.max).clamp(min, n);
    // Evenly spaced subset for the affinity matrix; everything is reassigned below.
    let stride = n.div_ceil(MAX_SPECTRAL);
    let subset: Vec<Vec<f32>> = emb.iter().step_by(stride).cloned().collect();
    let (mut of, mut reps) = collapse_duplicates(&subset);
    if reps.len() < min {
        // Too few distinct points to give the speakers asked for: cluster every one.
        (of, reps) = ((0..subset.len()).collect(), (0..subset.len()).collect());
    }
    let points: Vec<Vec<f32>> = reps.iter().map(|&i| subset[i].clone()).collect();
    let point_labels = if points.len() < MIN_SPECTRAL {
        agglomerative(&points, min, max, merge_threshold)
    } else {
        spectral(&points, bounds.num.map(|k| k.min(points.len())), min, max)
    };
    let sub_labels: Vec<usize> = of.iter().map(|&r| point_labels[r]).collect();
    let mut labels = if stride == 1 {
        sub_labels
    } else {
        let k = sub_labels.iter().max().map_or(0, |m| m + 1);
        nearest(emb, &centroids(&subset, &sub_labels, k))
    };
    let mut k = compact(&mut labels);
    // Merge clusters whose centroids are closer than the threshold (never below `min`;
    // with a fixed count, only down to it), and always down to `max`.
    loop {
        let c = centroids(emb, &labels, k);
        let mut best = (f32::MIN, 0, 0);
        for i in 0..k {
            for j in i + 1..k {
                let s = dot(&c[i], &c[j]);
                if s > best.0 {
                    best = (s, i, j);
                }
            }
        }
        let over = k > max;
        let similar = bounds.num.is_none() && best.0 >= merge_threshold && k > min;
        if k <= 1 || !(over || similar) {
            break;
        }
        let (_, keep, gone) = best;
        for l in labels.iter_mut() {
            if *l == gone {
                *l = keep;
            }
        }
        k = compact(&mut labels);
    }
    labels
}

/// Groups near-duplicates (cosine ≥ [`DUPLICATE`] to a group's first member): returns each
/// embedding's group and each group's first member, in order.
fn collapse_duplicates(emb: &[Vec<f32>]) -> (Vec<usize>, Vec<usize>) {
    let mut reps: Vec<usize> = Vec::new();
    let of = emb
        .iter()
        .enumerate()
        .map(|(i, e)| {
            reps.iter()
                .position(|&r| dot(e, &emb[r]) >= DUPLICATE)
                .unwrap_or_else(|| {
                    reps.push(i);
                    reps.len() - 1
                })
        })
        .collect();
    (of, reps)
}

/// Index of the most similar centroid for each embedding.
pub fn nearest(emb: &[Vec<f32>], centroids: &[Vec<f32>]) -> Vec<usize> {
    emb.iter()
        .map(|e| {
            centroids
                .iter()
                .enumerate()
                .map(|(i, c)| (i, dot(e, c)))
                .fold((0, f32::MIN), |a, b| if b.1 > a.1 { b } else { a })
                .0
        })
        .collect()
}

/// Average-linkage agglomerative clustering on cosine similarity: merge the most similar
/// pair while it is at least `threshold` similar or there are more than `max` clusters,
/// never going below `min`.
fn agglomerative(emb: &[Vec<f32>], min: usize, max: usize, threshold: f32) -> Vec<usize> {
    let n = emb.len();
    let mut members: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    let mut sim: Vec<Vec<f32>> = (0..n)
        .map(|i| (0..n).map(|j| dot(&emb[i], &emb[j])).collect())
        .collect();
    let mut alive: Vec<usize> = (0..n).collect();
    while alive.len() > min {
        let mut best = (f32::MIN, 0, 0);
        for (ai, &a) in alive.iter().enumerate() {
            for &b in &alive[ai + 1..] {
                if sim[a][b] > best.0 {
                    best = (sim[a][b], a, b);
                }
            }
        }
        let (s, a, b) = best;
        if s < threshold && alive.len() <= max {
            break;
        }
        let (na, nb) = (members[a].len() as f32, members[b].len() as f32);
        for &c in &alive {
            if c != a && c != b {
                let v = (sim[a][c] * na + sim[b][c] * nb) / (na + nb);
                sim[a][c] = v;
                sim[c][a] = v;
            }
        }
        let moved = std::mem::take(&mut members[b]);
        members[a].extend(moved);
        alive.retain(|&c| c != b);
    }
    let mut labels = vec![0; n];
    for (l, &c) in alive.iter().enumerate() {
        for &m in &members[c] {
            labels[m] = l;
        }
    }
    labels
}

/// Spectral clustering with p-pruned cosine affinities and an eigengap estimate of k.
fn spectral(emb: &[Vec<f32>], k: Option<usize>, min: usize, max: usize) -> Vec<usize> {
    let n = emb.len();
    let keep = ((PRUNE_KEEP * n as f64).round() as usize).max(6).min(n);
    let mut a = DMatrix::<f64>::zeros(n, n);
    let mut row: Vec<(usize, f64)> = Vec::with_capacity(n);
    for i in 0..n {
        row.clear();
        row.extend((0..n).map(|j| (j, dot(&emb[i], &emb[j]) as f64)));
        row.sort_by(|x, y| y.1.total_cmp(&x.1));
        for &(j, s) in &row[..keep] {
            a[(i, j)] = s;
        }
    }
    let a = (&a + a.transpose()) * 0.5;
    let mut l = -a;
    for i in 0..n {
        l[(i, i)] = 0.0;
    }
    for i in 0..n {
        let degree: f64 = -(0..n).map(|j| l[(i, j)]).sum::<f64>();
        l[(i, i)] = degree;
    }
    let eig = l.symmetric_eigen();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&x, &y| eig.eigenvalues[x].total_cmp(&eig.eigenvalues[y]));
    let lambdas: Vec<f64> = order.iter().map(|&i| eig.eigenvalues[i]).collect();
    let k = k.unwrap_or_else(|| {
        // Largest gap between consecutive eigenvalues λ[k-1] → λ[k], searched beyond the
        // bounds (a gap past `max` means "more than max": take max) and then clamped.
        (1..=max.max(MAX_GAP_SEARCH).min(n - 1))
            .max_by(|&x, &y| {
                (lambdas[x] - lambdas[x - 1]).total_cmp(&(lambdas[y] - lambdas[y - 1]))
            })
            .unwrap_or(min)
            .clamp(min, max)
    });
    let k = k.clamp(1, n);
    let points: Vec<Vec<f64>> = (0..n)
        .map(|i| {
            order[..k]
                .iter()
                .map(|&c| eig.eigenvectors[(i, c)])
                .collect()
        })
        .collect();
    kmeans(&points, k)
}

/// Lloyd's k-means with a deterministic farthest-point start.
fn kmeans(points: &[Vec<f64>], k: usize) -> Vec<usize> {
    let d2 = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum::<f64>();
    let mut centers = vec![points[0].clone()];
    while centers.len() < k {
        let far = points
            .iter()
            .map(|p| centers.iter().map(|c| d2(p, c)).fold(f64::MAX, f64::min))
            .enumerate()
            .fold((0, f64::MIN), |a, b| if b.1 > a.1 { b } else { a })
            .0;
        centers.push(points[far].clone());
    }
    let mut labels = vec![0; points.len()];
    for _ in 0..100 {
        let mut changed = false;
        for (p, l) in points.iter().zip(labels.iter_mut()) {
            let best = (0..k)
                .min_by(|&x, &y| d2(p, &centers[x]).total_cmp(&d2(p, &centers[y])))
                .unwrap_or(0);
            changed |= best != *l;
            *l = best;
        }
        for (c, center) in centers.iter_mut().enumerate() {
            let members: Vec<&Vec<f64>> = points
                .iter()
                .zip(&labels)
                .filter(|(_, &l)| l == c)
                .map(|(p, _)| p)
                .collect();
            if !members.is_empty() {
                for (d, v) in center.iter_mut().enumerate() {
                    *v = members.iter().map(|m| m[d]).sum::<f64>() / members.len() as f64;
                }
            }
        }
        if !changed {
            break;
        }
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `per` noisy unit vectors around each of `centers` random directions in 192-d.
    fn blobs(centers: usize, per: usize, noise: f32, seed: u32) -> (Vec<Vec<f32>>, Vec<usize>) {
        let mut s = seed;
        let mut rnd = move || {
            s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (s >> 8) as f32 / (1u32 << 24) as f32 - 0.5
        };
        let dirs: Vec<Vec<f32>> = (0..centers)
            .map(|_| {
                let mut v: Vec<f32> = (0..192).map(|_| rnd()).collect();
                normalize(&mut v);
                v
            })
            .collect();
        let mut emb = Vec::new();
        let mut truth = Vec::new();
        for _ in 0..per {
            for (c, d) in dirs.iter().enumerate() {
                let mut v: Vec<f32> = d.iter().map(|x| x + noise * rnd()).collect();
                normalize(&mut v);
                emb.push(v);
                truth.push(c);
            }
        }
        (emb, truth)
    }

    fn same_partition(a: &[usize], b: &[usize]) -> bool {
        (0..a.len()).all(|i| (0..a.len()).all(|j| (a[i] == a[j]) == (b[i] == b[j])))
    }

    const FREE: Bounds = Bounds {
        num: None,
        min: 1,
        max: 10,
    };

    #[test]
    fn spectral_finds_the_number_of_voices() {
        for k in 1..=4 {
            let (emb, truth) = blobs(k, 15, 0.08, 7 + k as u32);
            let labels = cluster(&emb, FREE, 0.78);
            assert!(same_partition(&labels, &truth), "k = {k}: {labels:?}");
        }
    }

    /// Two voices, each saying 6 different things (cos ≈ 0.9 within a voice), every stretch
    /// recurring 10 times almost unchanged (cos ≈ 0.99): without collapsing duplicates each
    /// row's pruned neighbours are its own copies and the graph falls apart into 12 islands.
    #[test]
    fn recurring_stretches_do_not_hide_the_voices() {
        let (voices, _) = blobs(2, 1, 0.0, 21);
        let mut s = 5u32;
        let mut rnd = move || {
            s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (s >> 8) as f32 / (1u32 << 24) as f32 - 0.5
        };
        let mut jitter = |v: &[f32], by: f32| {
            let mut w: Vec<f32> = v.iter().map(|x| x + by * rnd()).collect();
            normalize(&mut w);
            w
        };
        let lines: Vec<(usize, Vec<f32>)> = (0..12)
            .map(|i| (i % 2, jitter(&voices[i % 2], 0.08)))
            .collect();
        let (mut emb, mut truth) = (Vec::new(), Vec::new());
        for _ in 0..10 {
            for (voice, line) in &lines {
                emb.push(jitter(line, 0.01));
                truth.push(*voice);
            }
        }
        let labels = cluster(&emb, FREE, 0.78);
        assert!(same_partition(&labels, &truth), "{labels:?}");
    }

    #[test]
    fn few_embeddings_cluster_agglomeratively() {
        let (emb, truth) = blobs(2, 3, 0.08, 3);
        assert!(emb.len() < MIN_SPECTRAL);
        assert!(same_partition(&cluster(&emb, FREE, 0.78), &truth));
    }

    #[test]
    fn bounds_are_honoured() {
        let (emb, _) = blobs(4, 15, 0.08, 11);
        let k = |b: Bounds| cluster(&emb, b, 0.78).iter().max().unwrap() + 1;
        assert_eq!(
            k(Bounds {
                num: Some(2),
                min: 1,
                max: 10
            }),
            2
        );
        assert_eq!(
            k(Bounds {
                num: Some(5),
                min: 1,
                max: 10
            }),
            5
        );
        assert_eq!(
            k(Bounds {
                num: None,
                min: 1,
                max: 3
            }),
            3
        );
        assert_eq!(
            k(Bounds {
                num: None,
                min: 5,
                max: 8
            }),
            5
        );
        let (one, _) = blobs(1, 20, 0.08, 5);
        assert_eq!(
            cluster(
                &one,
                Bounds {
                    num: None,
                    min: 2,
                    max: 4
                },
                0.78
            )
            .iter()
            .max()
            .unwrap()
                + 1,
            2
        );
    }

    #[test]
    fn long_inputs_are_subsampled_and_all_labelled() {
        let (emb, truth) = blobs(3, 270, 0.08, 13);
        assert!(emb.len() > MAX_SPECTRAL);
        let labels = cluster(&emb, FREE, 0.78);
        assert_eq!(labels.len(), emb.len());
        assert!(same_partition(&labels, &truth));
    }
}
