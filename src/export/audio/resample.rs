//! Upsampling by a whole factor (8 to 16 or 48 kHz, 16 to 48 kHz), for a
//! call whose codecs decode at different rates: the WAV has one rate, the
//! highest, and the slower streams are brought up to it.
//!
//! A polyphase FIR interpolator: a windowed sinc (Kaiser, β = 8, 48 taps of
//! the input rate per output phase) with its cut-off at the input's
//! Nyquist frequency, so every input sample comes out unchanged at its own
//! place (every factor-th output) and the samples between are
//! band-limited interpolation: flat to 0.45 of the input rate, images of
//! the input's spectrum below -80 dB. The filter is symmetric around the
//! output being made, so it delays nothing: output `n` of a packet is
//! still at the packet's place plus `n`.
//!
//! Packets come one by one: the last inputs are kept, and a packet that
//! follows the previous one (or a short gap, filled with zeros) goes on
//! from them. Otherwise the run ends (the filter's tail after its last
//! input is given out) and a new one starts from silence; its head reaches
//! back before its first input, so what is given out is to be added to
//! what the file holds, not written over it.

/// Input taps per output phase (even): 6 ms at 8 kHz.
const TAPS: usize = 48;
const HALF: i64 = (TAPS / 2) as i64;
const KAISER_BETA: f64 = 8.0;

pub struct Upsampler {
    factor: usize,
    /// `factor` rows (output phases) of `TAPS` coefficients.
    coefs: Vec<f32>,
    /// The last `TAPS` inputs, oldest first.
    history: Vec<f32>,
    run: Option<Run>,
    /// Outputs made since the last hand-out, and the frame of the first.
    block: Vec<i16>,
    block_at: i64,
}

/// Inputs that follow each other.
#[derive(Clone, Copy)]
struct Run {
    /// Output frame of the run's first input.
    start: i64,
    /// Inputs had (zeros of short gaps and of the tail included).
    count: i64,
}

impl Run {
    /// Output frame of the run's input `k`.
    fn frame(self, k: i64, l: i64) -> i64 {
        self.start + k * l
    }
}

fn bessel_i0(x: f64) -> f64 {
    let (mut sum, mut term) = (1.0, 1.0);
    for k in 1..40 {
        term *= (x / 2.0 / k as f64).powi(2);
        sum += term;
    }
    sum
}

impl Upsampler {
    /// `factor` output samples per input sample (at least 1).
    pub fn new(factor: usize) -> Upsampler {
        let factor = factor.max(1);
        let l = factor as f64;
        let span = HALF as f64 * l;
        let mut coefs = Vec::with_capacity(factor * TAPS);
        for phase in 0..factor {
            // With history[t] the input HALF - t back from the centre one,
            // output `phase` after the centre is at distance d from it.
            let row: Vec<f64> = (0..TAPS)
                .map(|t| {
                    let d = phase as f64 + (HALF as f64 - t as f64) * l;
                    let x = std::f64::consts::PI * d / l;
                    let sinc = if d == 0.0 { 1.0 } else { x.sin() / x };
                    let r = d / span;
                    let window = if r.abs() >= 1.0 {
                        0.0
                    } else {
                        bessel_i0(KAISER_BETA * (1.0 - r * r).sqrt()) / bessel_i0(KAISER_BETA)
                    };
                    sinc * window
                })
                .collect();
            // Each phase passes a constant unchanged (phase 0 is 1 at the
            // centre and 0 elsewhere already).
            let sum: f64 = row.iter().sum();
            coefs.extend(row.iter().map(|c| (c / sum) as f32));
        }
        Upsampler {
            factor,
            coefs,
            history: vec![0.0; TAPS],
            run: None,
            block: Vec::new(),
            block_at: 0,
        }
    }

    /// Takes `input` whose first sample belongs at output frame `at`;
    /// hands out (frame, samples) blocks to add to what the file holds.
    pub fn push(&mut self, at: i64, input: &[i16], emit: &mut impl FnMut(i64, &[i16])) {
        if input.is_empty() {
            return;
        }
        let l = self.factor as i64;
        if let Some(run) = self.run {
            let gap = at - run.frame(run.count, l);
            if gap >= 0 && gap % l == 0 && gap / l <= TAPS as i64 {
                for _ in 0..gap / l {
                    self.feed(0.0);
                }
            } else {
                self.flush(emit);
            }
        }
        if self.run.is_none() {
            self.run = Some(Run {
                start: at,
                count: 0,
            });
        }
        for &s in input {
            self.feed(f32::from(s));
        }
        self.hand_out(emit);
    }

    /// Ends the current run: hands out the filter's tail after its last
    /// input.
    pub fn flush(&mut self, emit: &mut impl FnMut(i64, &[i16])) {
        if self.run.is_none() {
            return;
        }
        for _ in 1..TAPS {
            self.feed(0.0);
        }
        self.hand_out(emit);
        self.run = None;
        self.history.iter_mut().for_each(|h| *h = 0.0);
    }

    /// One input in, the `factor` outputs around the centre input (HALF - 1
    /// before it) out into the block.
    fn feed(&mut self, x: f32) {
        let Some(run) = self.run.as_mut() else {
            return;
        };
        let l = self.factor as i64;
        if self.block.is_empty() {
            self.block_at = run.frame(run.count - (HALF - 1), l);
        }
        run.count += 1;
        self.history.copy_within(1.., 0);
        if let Some(newest) = self.history.last_mut() {
            *newest = x;
        }
        for row in self.coefs.chunks_exact(TAPS) {
            let y: f32 = row.iter().zip(&self.history).map(|(c, h)| c * h).sum();
            self.block.push(y.round().clamp(-32768.0, 32767.0) as i16);
        }
    }

    fn hand_out(&mut self, emit: &mut impl FnMut(i64, &[i16])) {
        if !self.block.is_empty() {
            emit(self.block_at, &self.block);
            self.block.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Everything handed out, added into one timeline from frame 0.
    fn run(up: &mut Upsampler, packets: &[(i64, Vec<i16>)]) -> Vec<i32> {
        let mut line = vec![0i32; 4000];
        let mut add = |at: i64, s: &[i16]| {
            for (i, &v) in s.iter().enumerate() {
                if let Some(slot) = usize::try_from(at + i as i64)
                    .ok()
                    .and_then(|k| line.get_mut(k))
                {
                    *slot += i32::from(v);
                }
            }
        };
        for (at, p) in packets {
            up.push(*at, p, &mut add);
        }
        up.flush(&mut add);
        line
    }

    fn tone(freq: f64, rate: f64, from: usize, n: usize) -> Vec<i16> {
        (from..from + n)
            .map(|i| {
                (10_000.0 * (2.0 * std::f64::consts::PI * freq * i as f64 / rate).sin()) as i16
            })
            .collect()
    }

    #[test]
    fn inputs_stay_in_place_and_between_is_the_band_limited_tone() {
        // 1 kHz at 8 kHz to 48 kHz, in 20 packets of 20 samples.
        let mut up = Upsampler::new(6);
        let packets: Vec<(i64, Vec<i16>)> = (0..20)
            .map(|p| (600 + p as i64 * 120, tone(1000.0, 8000.0, p * 20, 20)))
            .collect();
        let line = run(&mut up, &packets);
        let want = tone(1000.0, 48_000.0, 0, 2400);
        for (i, &w) in want.iter().enumerate() {
            let got = line[600 + i];
            if i % 6 == 0 {
                assert!(
                    (got - i32::from(w)).abs() <= 1,
                    "input sample {i}: {got} vs {w}"
                );
            } else if (150..2250).contains(&i) {
                // Away from the run's ends: the 48 kHz tone itself.
                assert!((got - i32::from(w)).abs() <= 12, "frame {i}: {got} vs {w}");
            }
        }
        // Nothing before the ramp-in, nothing after the tail.
        assert!(line[..600 - 6 * HALF as usize].iter().all(|&s| s == 0));
        assert!(line[600 + 2400 + 6 * HALF as usize..]
            .iter()
            .all(|&s| s == 0));
    }

    #[test]
    fn a_gap_or_a_jump_is_the_sum_of_separate_runs() {
        let a = tone(700.0, 16_000.0, 0, 160);
        let b = tone(700.0, 16_000.0, 400, 160);
        for gap in [3i64, 30, 100, 480] {
            // at 16 -> 48 kHz; b starts `gap` inputs after a ends
            let at_b = 300 + (160 + gap) * 3;
            let together = run(
                &mut Upsampler::new(3),
                &[(300, a.clone()), (at_b, b.clone())],
            );
            let alone_a = run(&mut Upsampler::new(3), &[(300, a.clone())]);
            let alone_b = run(&mut Upsampler::new(3), &[(at_b, b.clone())]);
            for i in 0..together.len() {
                let sum = alone_a[i] + alone_b[i];
                assert!(
                    (together[i] - sum).abs() <= 1,
                    "gap {gap}, frame {i}: {} vs {sum}",
                    together[i]
                );
            }
        }
    }

    #[test]
    fn factor_one_is_the_identity_and_dc_passes() {
        let line = run(&mut Upsampler::new(1), &[(10, vec![5, -7, 9])]);
        assert_eq!(&line[8..15], &[0, 0, 5, -7, 9, 0, 0]);
        let line = run(&mut Upsampler::new(2), &[(0, vec![1000; 200])]);
        assert!(
            line[60..340].iter().all(|&s| s == 1000),
            "{:?}",
            &line[60..80]
        );
    }
}
