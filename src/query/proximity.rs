//! What a near: or before: match is, on token positions: the one definition that the
//! index scorer, the passage scorer and `--explain` share.
//!
//! Each operand of a chain `a near/N:b before/M:c` occurs at extents (a word is one
//! position, a phrase its first..last position, an entity mention the first and the last
//! word of the mention, each on its own). A window is one occurrence per operand such
//! that every neighbouring pair satisfies its link: the two do not overlap, at most N
//! other words stand between them (measured between their nearer edges), and for
//! before: the left one comes first.

use super::ast::NearLink;

/// Token positions an operand covers at one place, first and last inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Extent {
    pub first: u32,
    pub last: u32,
}

impl Extent {
    /// One word at `position`.
    pub fn word(position: u32) -> Extent {
        Extent {
            first: position,
            last: position,
        }
    }
}

/// One way a chain holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// For each operand, the index of its occurrence in the list given to [`windows`].
    pub parts: Vec<usize>,
    /// The first and last positions the window covers.
    pub first: u32,
    pub last: u32,
    /// Words between neighbouring operands, summed over the links: 0 is adjacent.
    pub gap: u32,
}

/// Words strictly between `a` and `b`, and whether `a` comes first; `None` when they
/// overlap.
pub fn words_between(a: Extent, b: Extent) -> Option<(u32, bool)> {
    if b.first > a.last {
        Some((b.first - a.last - 1, true))
    } else if a.first > b.last {
        Some((a.first - b.last - 1, false))
    } else {
        None
    }
}

/// The words between `left` and `right` when `link` holds from one to the other.
pub fn link_holds(link: NearLink, left: Extent, right: Extent) -> Option<u32> {
    let (between, left_first) = words_between(left, right)?;
    (between <= link.distance && (left_first || !link.ordered)).then_some(between)
}

/// Sorts and de-duplicates one operand's occurrences, as [`windows`] expects them.
pub fn normalise(occurrences: &mut Vec<Extent>) {
    if !occurrences.is_sorted() {
        occurrences.sort_unstable();
    }
    occurrences.dedup();
}

/// The windows of a chain over sorted occurrence lists (one per operand, see
/// [`normalise`]), in order of their first operand's occurrence, at most `limit`.
/// `links[i]` joins operand `i` and `i + 1`.
pub fn windows(occurrences: &[Vec<Extent>], links: &[NearLink], limit: usize) -> Vec<Window> {
    let mut found = Vec::new();
    visit_windows(
        occurrences,
        links,
        limit,
        &mut Scratch::default(),
        |parts, gap| {
            let extents = parts.iter().enumerate().map(|(k, &p)| occurrences[k][p]);
            let first = extents.clone().map(|e| e.first).min().unwrap_or(0);
            let last = extents.map(|e| e.last).max().unwrap_or(0);
            found.push(Window {
                parts: parts.to_vec(),
                first,
                last,
                gap,
            });
        },
    );
    found
}

/// How many windows there are (at most `limit`) and the smallest gap among them, without
/// listing them: what the index scorer needs for every matching document. `None` when the
/// chain does not hold.
pub fn window_summary(
    occurrences: &[Vec<Extent>],
    links: &[NearLink],
    limit: usize,
    scratch: &mut Scratch,
) -> Option<(usize, u32)> {
    if let ([first, second], [link]) = (occurrences, links) {
        return pair_summary(first, second, *link, limit);
    }
    let mut tightest = u32::MAX;
    let count = visit_windows(occurrences, links, limit, scratch, |_, gap| {
        tightest = tightest.min(gap);
    });
    (count > 0).then_some((count, tightest))
}

/// [`window_summary`] of a two-operand chain, the common case: every linked pair is a
/// window, so one sweep over both lists finds them, in the same order as
/// [`visit_windows`] would (by the first operand's occurrence, then the second's).
fn pair_summary(
    first: &[Extent],
    second: &[Extent],
    link: NearLink,
    limit: usize,
) -> Option<(usize, u32)> {
    if limit == 0 {
        return None;
    }
    let reach = link.distance.saturating_add(1);
    let span = longest(second);
    let (mut begin, mut count, mut tightest) = (0, 0, u32::MAX);
    for &from in first {
        let lowest_first = from.first.saturating_sub(reach.saturating_add(span));
        while begin < second.len() && second[begin].first < lowest_first {
            begin += 1;
        }
        let highest_first = from.last.saturating_add(reach);
        for &to in second[begin..]
            .iter()
            .take_while(|e| e.first <= highest_first)
        {
            if let Some(between) = link_holds(link, from, to) {
                count += 1;
                tightest = tightest.min(between);
                if count == limit {
                    return Some((count, tightest));
                }
            }
        }
    }
    (count > 0).then_some((count, tightest))
}

/// Does the chain hold anywhere?
pub fn holds(occurrences: &[Vec<Extent>], links: &[NearLink]) -> bool {
    window_summary(occurrences, links, 1, &mut Scratch::default()).is_some()
}

/// Buffers for finding windows, kept between documents.
#[derive(Debug, Default)]
pub struct Scratch {
    /// Per operand, which occurrences can still be continued to the end of the chain.
    alive: Vec<Vec<bool>>,
    /// The occurrence chosen for each operand so far.
    parts: Vec<usize>,
    /// Per operand, the most positions an occurrence spans, minus one.
    spans: Vec<u32>,
}

/// Calls `on_window(parts, gap)` for each window, in order of the first operand's
/// occurrence, at most `limit` times; returns how many it found.
fn visit_windows(
    occurrences: &[Vec<Extent>],
    links: &[NearLink],
    limit: usize,
    scratch: &mut Scratch,
    mut on_window: impl FnMut(&[usize], u32),
) -> usize {
    if occurrences.is_empty() || links.len() + 1 != occurrences.len() || limit == 0 {
        return 0;
    }
    scratch.spans.clear();
    scratch
        .spans
        .extend(occurrences.iter().map(|list| longest(list)));
    mark_completable(occurrences, links, &scratch.spans, &mut scratch.alive);
    let mut walk = Walk {
        occurrences,
        links,
        spans: &scratch.spans,
        alive: &scratch.alive,
        limit,
        found: 0,
        on_window: &mut on_window,
    };
    let parts = &mut scratch.parts;
    for (start, _) in walk.alive[0].iter().enumerate().filter(|(_, ok)| **ok) {
        parts.clear();
        parts.push(start);
        walk.extend(parts, 0);
        if walk.found >= limit {
            break;
        }
    }
    walk.found
}

/// For each operand, marks which occurrences can still be continued to the end of the
/// chain.
fn mark_completable(
    occurrences: &[Vec<Extent>],
    links: &[NearLink],
    spans: &[u32],
    alive: &mut Vec<Vec<bool>>,
) {
    let count = occurrences.len();
    alive.resize_with(count, Vec::new);
    for (marks, list) in alive.iter_mut().zip(occurrences) {
        marks.clear();
        marks.resize(list.len(), false);
    }
    alive[count - 1].iter_mut().for_each(|a| *a = true);
    for i in (0..count - 1).rev() {
        let (here, next) = alive.split_at_mut(i + 1);
        let (here, next) = (&mut here[i], &next[0]);
        let (list, link) = (&occurrences[i + 1], links[i]);
        let reach = link.distance.saturating_add(1);
        // Occurrences are sorted by first position, so the first possible partner only
        // moves forward: one sweep instead of a search per occurrence.
        let mut begin = 0;
        for (k, &from) in occurrences[i].iter().enumerate() {
            let lowest_first = from
                .first
                .saturating_sub(reach.saturating_add(spans[i + 1]));
            while begin < list.len() && list[begin].first < lowest_first {
                begin += 1;
            }
            let highest_first = from.last.saturating_add(reach);
            here[k] = list[begin..]
                .iter()
                .zip(&next[begin..])
                .take_while(|(e, _)| e.first <= highest_first)
                .any(|(e, &completes)| completes && link_holds(link, from, *e).is_some());
        }
    }
}

/// Indices of the occurrences in `next` that `link` joins to `from` (`span`: the most
/// positions an occurrence of `next` spans, minus one).
fn partners(
    next: &[Extent],
    span: u32,
    link: NearLink,
    from: Extent,
) -> impl Iterator<Item = usize> + '_ {
    // A partner ends at most distance+1 before `from` starts and starts at most
    // distance+1 after it ends; occurrences are sorted by their first position.
    let reach = link.distance.saturating_add(1);
    let lowest_first = from.first.saturating_sub(reach.saturating_add(span));
    let highest_first = from.last.saturating_add(reach);
    let begin = next.partition_point(|e| e.first < lowest_first);
    next[begin..]
        .iter()
        .enumerate()
        .take_while(move |(_, e)| e.first <= highest_first)
        .filter(move |(_, e)| link_holds(link, from, **e).is_some())
        .map(move |(k, _)| begin + k)
}

/// The most positions any occurrence in the list spans, minus one.
fn longest(extents: &[Extent]) -> u32 {
    extents.iter().map(|e| e.last - e.first).max().unwrap_or(0)
}

/// A depth-first walk over the ways to continue a partial window.
struct Walk<'a, F> {
    occurrences: &'a [Vec<Extent>],
    links: &'a [NearLink],
    spans: &'a [u32],
    alive: &'a [Vec<bool>],
    limit: usize,
    found: usize,
    on_window: &'a mut F,
}

impl<F: FnMut(&[usize], u32)> Walk<'_, F> {
    fn extend(&mut self, parts: &mut Vec<usize>, gap: u32) {
        let i = parts.len() - 1;
        if i + 1 == self.occurrences.len() {
            (self.on_window)(parts, gap);
            self.found += 1;
            return;
        }
        let here = self.occurrences[i][parts[i]];
        let (next, link) = (&self.occurrences[i + 1], self.links[i]);
        for j in partners(next, self.spans[i + 1], link, here) {
            if self.found >= self.limit {
                return;
            }
            if !self.alive[i + 1][j] {
                continue;
            }
            let between = link_holds(link, here, next[j]).unwrap_or(0);
            parts.push(j);
            self.extend(parts, gap + between);
            parts.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_two_operand_sweep_agrees_with_the_general_walk() {
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |below: u32| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % u64::from(below)) as u32
        };
        for _ in 0..2_000 {
            let mut lists: Vec<Vec<Extent>> = (0..2)
                .map(|_| {
                    (0..next(12))
                        .map(|_| {
                            let first = next(40);
                            Extent {
                                first,
                                last: first + next(3),
                            }
                        })
                        .collect()
                })
                .collect();
            lists.iter_mut().for_each(normalise);
            let link = NearLink {
                distance: next(6),
                ordered: next(2) == 1,
            };
            let limit = 1 + next(8) as usize;
            let mut tightest = u32::MAX;
            let count = visit_windows(&lists, &[link], limit, &mut Scratch::default(), |_, gap| {
                tightest = tightest.min(gap);
            });
            let general = (count > 0).then_some((count, tightest));
            assert_eq!(
                pair_summary(&lists[0], &lists[1], link, limit),
                general,
                "{lists:?} {link:?}"
            );
        }
    }

    fn near(distance: u32) -> NearLink {
        NearLink {
            distance,
            ordered: false,
        }
    }

    fn before(distance: u32) -> NearLink {
        NearLink {
            distance,
            ordered: true,
        }
    }

    fn words(positions: &[u32]) -> Vec<Extent> {
        positions.iter().map(|&p| Extent::word(p)).collect()
    }

    #[test]
    fn distance_counts_the_words_between() {
        let (a, b) = (words(&[0]), words(&[3]));
        assert!(holds(&[a.clone(), b.clone()], &[near(2)]));
        assert!(!holds(&[a.clone(), b.clone()], &[near(1)]));
        assert!(holds(&[b, a], &[near(2)]), "either order");
    }

    #[test]
    fn before_wants_the_left_operand_first() {
        let (a, b) = (words(&[5]), words(&[2]));
        assert!(!holds(&[a.clone(), b.clone()], &[before(10)]));
        assert!(holds(&[b, a], &[before(10)]));
    }

    #[test]
    fn phrases_are_measured_from_their_nearer_edge() {
        let phrase = vec![Extent { first: 4, last: 6 }];
        assert!(holds(&[words(&[8]), phrase.clone()], &[near(1)]));
        assert!(holds(&[words(&[2]), phrase.clone()], &[near(1)]));
        assert!(
            !holds(&[words(&[5]), phrase], &[near(5)]),
            "inside is not near"
        );
    }

    #[test]
    fn chains_share_their_middle_occurrence() {
        // a at 0, b at 2 and 20, c at 22: a-b holds with b@2, b-c with b@20 only.
        let chain = [words(&[0]), words(&[2, 20]), words(&[22])];
        assert!(!holds(&chain, &[near(3), near(3)]));
        let chain = [words(&[0]), words(&[2, 20]), words(&[4])];
        let found = windows(&chain, &[near(3), near(3)], 10);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].parts, vec![0, 0, 0]);
        assert_eq!((found[0].first, found[0].last, found[0].gap), (0, 4, 2));
    }

    #[test]
    fn windows_stop_at_the_limit() {
        let a = words(&(0..50).collect::<Vec<_>>());
        let b = words(&(0..50).collect::<Vec<_>>());
        assert_eq!(windows(&[a, b], &[near(20)], 7).len(), 7);
    }
}
